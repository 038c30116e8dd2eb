/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * /api/v1/searches: start searches, list and watch them, pause, resume,
 * cancel, page through trials, export results.
 */
#define G_LOG_DOMAIN "hyperstard"

#include <math.h>

#include "hs-api-json.h"
#include "hs-dataset-store.h"
#include "hs-events.h"
#include "hs-search-settings.h"
#include "hs-server-private.h"

#define MAX_PAGE 1000

/* A dataset a search can name: imported, or a built-in task. */
static gboolean
dataset_exists (HsServer *server, const char *name)
{
  return (hs_dataset_name_is_valid (name, NULL) && hs_dataset_store_exists (name)) ||
         hs_catalog_cache_find (server->catalog, name) != NULL;
}

static void
reply_search (HsRequest *req, guint status, gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStoreSearch) search = hs_store_get_search (req->server->store, id, &error);

  if (search == NULL)
    hs_reply_gerror (req->msg, error);
  else
    hs_reply_json (req->msg, status, hs_api_search_to_json (search));
}

static void
start_search (HsRequest *req)
{
  static const char *const allowed[] = { "dataset", "space", "method", "settings", "priority",
                                         NULL };
  g_autoptr(JsonObject) body = hs_request_body (req, allowed);
  g_autoptr(HsStoreSpace) space_row = NULL;
  g_autoptr(HsSearchSpace) space = NULL;
  g_autoptr(HsStoreSearch) search = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *settings_text = NULL;
  g_autofree char *space_key = NULL;
  HsSchedulerOptions options;
  const char *dataset, *method;
  JsonNode *space_node, *settings;
  gint64 priority = 0, id;

  if (body == NULL || !hs_body_string (req, body, "dataset", TRUE, &dataset) ||
      !hs_body_string (req, body, "method", TRUE, &method) ||
      !hs_body_int (req, body, "priority", -1000, 1000, &priority))
    return;
  if (hs_search_method_canonical (method) == NULL)
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                      "field “method”: “%s” is not one of random, successive-halving (sh), "
                      "hyperband, bohb", method);
      return;
    }
  space_node = json_object_get_member (body, "space");
  if (space_node == NULL || !JSON_NODE_HOLDS_VALUE (space_node) ||
      (json_node_get_value_type (space_node) != G_TYPE_STRING &&
       json_node_get_value_type (space_node) != G_TYPE_INT64))
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                      "field “space” is required: a search space's id or name");
      return;
    }
  space_key = json_node_get_value_type (space_node) == G_TYPE_STRING
              ? g_strdup (json_node_get_string (space_node))
              : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (space_node));
  settings = json_object_get_member (body, "settings");
  if (settings == NULL || !JSON_NODE_HOLDS_OBJECT (settings))
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                      "field “settings” is required: an object with budget_epochs and "
                      "optionally max_epochs, eta, min_epochs, n_configs, seed");
      return;
    }
  if (!dataset_exists (req->server, dataset))
    {
      hs_reply_error (req->msg, SOUP_STATUS_NOT_FOUND, "not-found",
                      "field “dataset”: no imported dataset or built-in task named “%s”",
                      dataset);
      return;
    }
  if ((space_row = hs_api_find_space (req, space_key)) == NULL)
    return;
  if ((space = hs_search_space_new_from_json (space_row->json, &error)) == NULL ||
      !hs_search_settings_parse (method, json_node_get_object (settings), space, &options,
                                 &error))
    {
      hs_reply_gerror (req->msg, error);
      return;
    }
  settings_text = hs_search_settings_to_json (&options);
  search = g_new0 (HsStoreSearch, 1);
  search->dataset = g_strdup (dataset);
  search->space_id = space_row->id;
  search->method = g_strdup (hs_search_method_canonical (method));
  search->settings = g_strdup (settings_text);
  search->priority = (gint) priority;
  if ((id = hs_store_add_search (req->server->store, search, &error)) <= 0)
    {
      hs_reply_gerror (req->msg, error);
      return;
    }
  {
    g_autoptr(HsStoreSearch) added = hs_store_get_search (req->server->store, id, NULL);
    if (added != NULL)
      hs_events_emit (req->server->events, id, "search-state", hs_api_search_to_json (added),
                      TRUE);
  }
  hs_queue_kick (req->server->queue);
  reply_search (req, SOUP_STATUS_CREATED, id);
}

/* The paging query values of the list routes, with the same range errors:
 * where to start (start_name: "offset", or "after" for events) and "limit"
 * (default 100, at most MAX_PAGE). */
static gboolean
query_page (HsRequest *req, const char *start_name, guint64 start_max, guint64 *start,
            guint64 *limit)
{
  return hs_query_uint (req, start_name, 0, start_max, start) &&
         hs_query_uint (req, "limit", 100, MAX_PAGE, limit);
}

typedef JsonNode *(*ItemToJson) (gconstpointer item);

/* Ends the reply object that b has begun with the member "name", an array
 * of the items as JSON, and replies with it.  NULL items is an empty array:
 * a page of limit 0 (the store reads limit 0 as "all", so the list routes
 * do not pass it on). */
static void
reply_items (HsRequest *req, JsonBuilder *b, const char *name, GPtrArray *items,
             ItemToJson to_json)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; items != NULL && i < items->len; i++)
    json_builder_add_value (b, to_json (g_ptr_array_index (items, i)));
  json_builder_end_array (b);
  json_builder_end_object (b);
  hs_reply_json (req->msg, SOUP_STATUS_OK, json_builder_get_root (b));
}

static void
list_searches (HsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) searches = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint64 offset, limit;

  if (!query_page (req, "offset", G_MAXUINT, &offset, &limit))
    return;
  if ((searches = hs_store_list_searches (req->server->store, offset, MAX (limit, 1),
                                          &error)) == NULL)
    {
      hs_reply_gerror (req->msg, error);
      return;
    }
  json_builder_begin_object (b);
  reply_items (req, b, "searches", limit > 0 ? searches : NULL,
              (ItemToJson) hs_api_search_to_json);
}

static void
list_trials (HsRequest *req, gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStoreSearch) search = NULL;
  g_autoptr(GPtrArray) trials = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint64 offset, limit;

  if (!query_page (req, "offset", G_MAXUINT, &offset, &limit))
    return;
  if ((search = hs_store_get_search (req->server->store, id, &error)) == NULL ||
      (limit > 0 &&
       (trials = hs_store_list_trials (req->server->store, id, offset, limit, &error)) == NULL))
    {
      hs_reply_gerror (req->msg, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, search->n_trials);
  json_builder_set_member_name (b, "offset");
  json_builder_add_int_value (b, (gint64) offset);
  reply_items (req, b, "trials", trials, (ItemToJson) hs_api_trial_to_json);
}

static void
list_events (HsRequest *req, gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStoreSearch) search = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint64 after, limit;

  if (!query_page (req, "after", G_MAXINT64, &after, &limit))
    return;
  if ((search = hs_store_get_search (req->server->store, id, &error)) == NULL ||
      (events = hs_store_list_events (req->server->store, (gint64) after, id, MAX (limit, 1),
                                      &error)) == NULL)
    {
      hs_reply_gerror (req->msg, error);
      return;
    }
  json_builder_begin_object (b);
  reply_items (req, b, "events", limit > 0 ? events : NULL,
              (ItemToJson) hs_events_stored_to_json);
}

/* RFC 4180: a field with a comma, quote or line break is quoted, quotes
 * doubled. */
static void
csv_field (GString *out, const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
csv_double (GString *out, gdouble v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isnan (v))
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}

static void
export_search (HsRequest *req, gint64 id)
{
  const char *format = req->query ? g_hash_table_lookup (req->query, "format") : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStoreSearch) search = NULL;
  g_autoptr(GPtrArray) trials = NULL;

  if (format == NULL)
    format = "json";
  if (!g_str_equal (format, "json") && !g_str_equal (format, "csv"))
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                      "query parameter “format” must be csv or json (got “%s”)", format);
      return;
    }
  if ((search = hs_store_get_search (req->server->store, id, &error)) == NULL ||
      (trials = hs_store_list_trials (req->server->store, id, 0, 0, &error)) == NULL)
    {
      hs_reply_gerror (req->msg, error);
      return;
    }
  if (g_str_equal (format, "json"))
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "search");
      json_builder_add_value (b, hs_api_search_to_json (search));
      reply_items (req, b, "trials", trials, (ItemToJson) hs_api_trial_to_json);
    }
  else
    {
      GString *out = g_string_new ("search,trial,config_id,config,from_epoch,to_epoch,parent,"
                                   "bracket,rung,state,val_acc,seconds,curve,device,error\r\n");
      g_autofree char *disposition = g_strdup_printf ("attachment; filename=\"search-%"
                                                      G_GINT64_FORMAT ".csv\"", id);

      for (guint i = 0; i < trials->len; i++)
        {
          HsStoreTrial *t = g_ptr_array_index (trials, i);
          g_autoptr(GString) curve = g_string_new (NULL);

          for (guint e = 0; t->curve != NULL && e < t->curve->len; e++)
            {
              if (e > 0)
                g_string_append_c (curve, ' ');
              csv_double (curve, g_array_index (t->curve, gdouble, e));
            }
          g_string_append_printf (out, "%" G_GINT64_FORMAT ",%u,", t->search_id, t->id);
          csv_field (out, t->config_id);
          g_string_append_c (out, ',');
          csv_field (out, t->config);
          g_string_append_printf (out, ",%u,%u,", t->from_epoch, t->to_epoch);
          if (t->parent >= 0)
            g_string_append_printf (out, "%d", t->parent);
          g_string_append_printf (out, ",%u,%u,%s,", t->bracket, t->rung,
                                  hs_store_trial_state_to_string (t->state));
          csv_double (out, t->val_acc);
          g_string_append_c (out, ',');
          csv_double (out, t->seconds);
          g_string_append_c (out, ',');
          csv_field (out, curve->str);
          g_string_append_c (out, ',');
          csv_field (out, t->device);
          g_string_append_c (out, ',');
          csv_field (out, t->error);
          g_string_append (out, "\r\n");
        }
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                    "Content-Disposition", disposition);
      soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
      {
        gsize len = out->len;
        soup_server_message_set_response (req->msg, "text/csv; charset=utf-8",
                                          SOUP_MEMORY_TAKE, g_string_free (out, FALSE), len);
      }
    }
}

static void
control (HsRequest *req, gint64 id, const char *action)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_str_equal (action, "pause"))
    ok = hs_queue_pause (req->server->queue, id, &error);
  else if (g_str_equal (action, "resume"))
    ok = hs_queue_resume (req->server->queue, id, &error);
  else
    ok = hs_queue_cancel (req->server->queue, id, &error);
  if (!ok)
    hs_reply_gerror (req->msg, error);
  else
    reply_search (req, SOUP_STATUS_OK, id);
}

void
hs_route_searches (HsRequest *req)
{
  gboolean get = g_str_equal (req->method, "GET");
  gboolean post = g_str_equal (req->method, "POST");
  gint64 id;

  if (req->n_segments == 1)
    {
      if (get)
        list_searches (req);
      else if (post)
        start_search (req);
      else
        hs_reply_error (req->msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method",
                        "%s /searches: use GET or POST", req->method);
      return;
    }
  if (!hs_segment_id (req, 1, "search", &id))
    return;
  if (req->n_segments == 2 && get)
    reply_search (req, SOUP_STATUS_OK, id);
  else if (req->n_segments == 3 && get && g_str_equal (req->segments[2], "trials"))
    list_trials (req, id);
  else if (req->n_segments == 3 && get && g_str_equal (req->segments[2], "events"))
    list_events (req, id);
  else if (req->n_segments == 3 && get && g_str_equal (req->segments[2], "export"))
    export_search (req, id);
  else if (req->n_segments == 3 && post &&
           (g_str_equal (req->segments[2], "pause") || g_str_equal (req->segments[2], "resume") ||
            g_str_equal (req->segments[2], "cancel")))
    control (req, id, req->segments[2]);
  else
    hs_reply_error (req->msg, SOUP_STATUS_NOT_FOUND, "not-found", "no route %s %s",
                    req->method, g_uri_get_path (soup_server_message_get_uri (req->msg)));
}
