/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * /api/v1/spaces: search spaces (hs-search-space.h), by id or name.
 */
#define G_LOG_DOMAIN "hyperstard"

#include "hs-json-text.h"
#include "hs-api-json.h"
#include "hs-catalog.h"
#include "hs-search-space.h"
#include "hs-server-private.h"

void
hs_spaces_add_shipped (HsStore *store)
{
  g_autofree char *dir = hs_spaces_dir ();
  g_autoptr(GDir) d = dir ? g_dir_open (dir, 0, NULL) : NULL;
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *text = NULL;
      g_autoptr(HsSearchSpace) space = NULL;
      g_autoptr(HsStoreSpace) existing = NULL;
      g_autoptr(GError) error = NULL;
      const char *space_name;

      if (!g_str_has_suffix (name, ".json") || !g_file_get_contents (path, &text, NULL, NULL))
        continue;
      if ((space = hs_search_space_new_from_json (text, &error)) == NULL)
        {
          g_warning ("shipped space %s: %s", path, error->message);
          continue;
        }
      space_name = hs_search_space_get_name (space);
      if (space_name == NULL ||
          (existing = hs_store_find_space (store, space_name, NULL)) != NULL)
        continue;
      if (hs_store_add_space (store, space_name, text, &error) <= 0)
        g_warning ("shipped space %s: %s", path, error->message);
    }
}

/* A space by id ("3") or by name ("paper-grid"); a 404 reply when none. */
HsStoreSpace *
hs_api_find_space (HsRequest *req, const char *key)
{
  g_autoptr(GError) error = NULL;
  HsStoreSpace *space;
  guint64 id;

  if (g_ascii_string_to_unsigned (key, 10, 1, G_MAXINT64, &id, NULL))
    space = hs_store_get_space (req->server->store, (gint64) id, &error);
  else
    space = hs_store_find_space (req->server->store, key, &error);
  if (space == NULL)
    {
      if (error != NULL)
        hs_reply_gerror (req->msg, error);
      else
        hs_reply_error (req->msg, SOUP_STATUS_NOT_FOUND, "not-found", "no search space “%s”",
                        key);
    }
  return space;
}

static void
list_spaces (HsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) spaces = hs_store_list_spaces (req->server->store, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (spaces == NULL)
    {
      hs_reply_gerror (req->msg, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "spaces");
  json_builder_begin_array (b);
  for (guint i = 0; i < spaces->len; i++)
    {
      HsStoreSpace *row = g_ptr_array_index (spaces, i);
      g_autoptr(HsSearchSpace) space = hs_search_space_new_from_json (row->json, NULL);
      JsonNode *node = hs_api_space_to_json (row, FALSE);
      JsonObject *o = json_node_get_object (node);

      if (space != NULL)
        {
          json_object_set_string_member (o, "kind", hs_search_space_is_grid (space) ? "grid"
                                                                                  : "dimensions");
          json_object_set_int_member (o, "size", hs_search_space_is_grid (space)
                                                 ? hs_search_space_get_n_configs (space)
                                                 : hs_search_space_get_n_dimensions (space));
          if (hs_search_space_get_description (space) != NULL)
            json_object_set_string_member (o, "description",
                                           hs_search_space_get_description (space));
        }
      json_builder_add_value (b, node);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  hs_reply_json (req->msg, SOUP_STATUS_OK, json_builder_get_root (b));
}

static void
add_space (HsRequest *req)
{
  static const char *const allowed[] = { "name", "definition", NULL };
  g_autoptr(JsonObject) body = hs_request_body (req, allowed);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsSearchSpace) space = NULL;
  g_autoptr(HsStoreSpace) row = NULL;
  g_autofree char *text = NULL;
  const char *name;
  JsonNode *definition;
  gint64 id;

  if (body == NULL || !hs_body_string (req, body, "name", TRUE, &name))
    return;
  if (*name == '\0' || strlen (name) > 128)
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                      "field “name” must be 1 to 128 characters");
      return;
    }
  if ((definition = json_object_get_member (body, "definition")) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (definition))
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                      "field “definition” must be a search space object ({\"grid\": …} or "
                      "{\"dimensions\": […]})");
      return;
    }
  text = hs_json_to_text (definition);
  if ((space = hs_search_space_new_from_json (text, &error)) == NULL)
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid", "definition: %s",
                      error->message);
      return;
    }
  if ((id = hs_store_add_space (req->server->store, name, text, &error)) <= 0 ||
      (row = hs_store_get_space (req->server->store, id, &error)) == NULL)
    {
      hs_reply_gerror (req->msg, error);
      return;
    }
  hs_reply_json (req->msg, SOUP_STATUS_CREATED, hs_api_space_to_json (row, TRUE));
}

void
hs_route_spaces (HsRequest *req)
{
  gboolean get = g_str_equal (req->method, "GET");

  if (req->n_segments == 1 && get)
    list_spaces (req);
  else if (req->n_segments == 1 && g_str_equal (req->method, "POST"))
    add_space (req);
  else if (req->n_segments == 2 && get)
    {
      g_autoptr(HsStoreSpace) space = hs_api_find_space (req, req->segments[1]);
      if (space != NULL)
        hs_reply_json (req->msg, SOUP_STATUS_OK, hs_api_space_to_json (space, TRUE));
    }
  else if (req->n_segments <= 2)
    hs_reply_error (req->msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method",
                    "%s is not allowed here (GET, or POST to /spaces)", req->method);
  else
    hs_reply_error (req->msg, SOUP_STATUS_NOT_FOUND, "not-found", "no such route");
}
