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
hs_spaces_add_shipped (HsServer *server)
{
  HsStore *store = server->store;
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
      if ((space_name = hs_search_space_get_name (space)) == NULL)
        continue;
      g_hash_table_add (server->shipped, g_strdup (space_name));
      if ((existing = hs_store_find_space (store, space_name, NULL)) != NULL)
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

/* A space as the API shows it: the store's fields, whether it ships with
 * the workbench and how many searches use it (the GUI greys out edit and
 * delete by these two). */
static JsonNode *
space_to_json (HsServer *server, const HsStoreSpace *row, gboolean with_definition)
{
  JsonNode *node = hs_api_space_to_json (row, with_definition);
  JsonObject *o = json_node_get_object (node);

  json_object_set_boolean_member (o, "shipped", g_hash_table_contains (server->shipped,
                                                                       row->name));
  json_object_set_int_member (o, "searches", row->n_searches);
  return node;
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
      JsonNode *node = space_to_json (req->server, row, FALSE);
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

/* The body's "name" (required or not) and "definition", checked: the
 * definition's JSON text, or NULL after a 400 reply. */
static char *
body_definition (HsRequest *req, JsonObject *body, gboolean name_required, const char **name)
{
  g_autoptr(HsSearchSpace) space = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonNode *definition;

  if (!hs_body_string (req, body, "name", name_required, name))
    return NULL;
  if (*name != NULL && (**name == '\0' || strlen (*name) > 128))
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                      "field “name” must be 1 to 128 characters");
      return NULL;
    }
  if ((definition = json_object_get_member (body, "definition")) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (definition))
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                      "field “definition” must be a search space object ({\"grid\": …} or "
                      "{\"dimensions\": […]})");
      return NULL;
    }
  text = hs_json_to_text (definition);
  if ((space = hs_search_space_new_from_json (text, &error)) == NULL)
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid", "definition: %s",
                      error->message);
      return NULL;
    }
  return g_steal_pointer (&text);
}

static void
reply_space (HsRequest *req, guint status, gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStoreSpace) row = hs_store_get_space (req->server->store, id, &error);

  if (row == NULL)
    hs_reply_gerror (req->msg, error);
  else
    hs_reply_json (req->msg, status, space_to_json (req->server, row, TRUE));
}

static void
add_space (HsRequest *req)
{
  static const char *const allowed[] = { "name", "definition", NULL };
  g_autoptr(JsonObject) body = hs_request_body (req, allowed);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *name;
  gint64 id;

  if (body == NULL || (text = body_definition (req, body, TRUE, &name)) == NULL)
    return;
  if ((id = hs_store_add_space (req->server->store, name, text, &error)) <= 0)
    hs_reply_gerror (req->msg, error);
  else
    reply_space (req, SOUP_STATUS_CREATED, id);
}

/* The space KEY names, when it may change: not shipped (else a 409 reply).
 * Whether searches use it is the store's to check, in the write itself. */
static HsStoreSpace *
find_editable_space (HsRequest *req)
{
  g_autoptr(HsStoreSpace) row = hs_api_find_space (req, req->segments[1]);

  if (row != NULL && g_hash_table_contains (req->server->shipped, row->name))
    {
      hs_reply_error (req->msg, SOUP_STATUS_CONFLICT, "invalid-state",
                      "%s ships with the workbench: duplicate it to change it", row->name);
      return NULL;
    }
  return g_steal_pointer (&row);
}

static void
update_space (HsRequest *req)
{
  static const char *const allowed[] = { "name", "definition", NULL };
  g_autoptr(JsonObject) body = hs_request_body (req, allowed);
  g_autoptr(HsStoreSpace) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *name;

  if (body == NULL || (text = body_definition (req, body, FALSE, &name)) == NULL ||
      (row = find_editable_space (req)) == NULL)
    return;
  if (!hs_store_update_space (req->server->store, row->id, name, text, &error))
    hs_reply_gerror (req->msg, error);
  else
    reply_space (req, SOUP_STATUS_OK, row->id);
}

static void
delete_space (HsRequest *req)
{
  g_autoptr(HsStoreSpace) row = find_editable_space (req);
  g_autoptr(GError) error = NULL;

  if (row == NULL)
    return;
  if (!hs_store_delete_space (req->server->store, row->id, &error))
    hs_reply_gerror (req->msg, error);
  else
    soup_server_message_set_status (req->msg, SOUP_STATUS_NO_CONTENT, NULL);
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
        hs_reply_json (req->msg, SOUP_STATUS_OK, space_to_json (req->server, space, TRUE));
    }
  else if (req->n_segments == 2 && g_str_equal (req->method, "PUT"))
    update_space (req);
  else if (req->n_segments == 2 && g_str_equal (req->method, "DELETE"))
    delete_space (req);
  else if (req->n_segments <= 2)
    hs_reply_error (req->msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method",
                    "%s is not allowed here (GET, POST /spaces, PUT or DELETE /spaces/KEY)",
                    req->method);
  else
    hs_reply_error (req->msg, SOUP_STATUS_NOT_FOUND, "not-found", "no such route");
}
