/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API server: routing, replies, request bodies, the peer check, the
 * event WebSocket (see hs-server.h).
 */
#define G_LOG_DOMAIN "hyperstard"

#include <unistd.h>

#include "hs-json-text.h"
#include "hs-catalog.h"
#include "hs-dataset.h"
#include "hs-device.h"
#include "hs-hpo-types.h"
#include "hs-search-settings.h"
#include "hs-server-private.h"

void
hs_reply_json (SoupServerMessage *msg, guint status, JsonNode *node)
{
  g_autofree char *text = hs_json_to_text (node);
  gsize len = strlen (text);

  json_node_unref (node);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), len);
}

void
hs_reply_error (SoupServerMessage *msg, guint status, const char *code, const char *format, ...)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  hs_reply_json (msg, status, json_builder_get_root (b));
}

void
hs_reply_gerror (SoupServerMessage *msg, const GError *error)
{
  guint status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
  const char *code = "internal";

  if (error->domain == HS_STORE_ERROR)
    switch ((HsStoreError) error->code)
      {
      case HS_STORE_ERROR_NOT_FOUND: status = SOUP_STATUS_NOT_FOUND; code = "not-found"; break;
      case HS_STORE_ERROR_EXISTS: status = SOUP_STATUS_CONFLICT; code = "exists"; break;
      case HS_STORE_ERROR_INVALID: status = SOUP_STATUS_CONFLICT; code = "invalid-state"; break;
      case HS_STORE_ERROR_BUSY: status = SOUP_STATUS_SERVICE_UNAVAILABLE; code = "busy"; break;
      case HS_STORE_ERROR_WRITE: status = SOUP_STATUS_INSUFFICIENT_STORAGE; code = "storage"; break;
      case HS_STORE_ERROR_OPEN:
      case HS_STORE_ERROR_CORRUPT:
      default: break;
      }
  else if (error->domain == HS_SEARCH_SETTINGS_ERROR || error->domain == HS_HPO_ERROR ||
           error->domain == JSON_PARSER_ERROR)
    {
      status = SOUP_STATUS_BAD_REQUEST;
      code = "invalid";
    }
  else if (error->domain == HS_DATASET_ERROR)
    {
      if (error->code == HS_DATASET_ERROR_NOT_FOUND)
        {
          status = SOUP_STATUS_NOT_FOUND;
          code = "not-found";
        }
      else if (error->code == HS_DATASET_ERROR_EXISTS)
        {
          status = SOUP_STATUS_CONFLICT;
          code = "exists";
        }
      else
        {
          status = SOUP_STATUS_BAD_REQUEST;
          code = "invalid";
        }
    }
  else if (error->domain == G_FILE_ERROR || error->domain == G_IO_ERROR)
    {
      status = SOUP_STATUS_BAD_REQUEST;
      code = "invalid";
    }
  hs_reply_error (msg, status, code, "%s", error->message);
}

struct _HsDeferred
{
  SoupServerMessage *msg;
  gulong finished_id;
  gboolean gone;
};

static void
on_deferred_finished (SoupServerMessage *msg, gpointer data)
{
  HsDeferred *deferred = data;
  deferred->gone = TRUE;
}

HsDeferred *
hs_deferred_new (SoupServerMessage *msg)
{
  HsDeferred *deferred = g_new0 (HsDeferred, 1);

  deferred->msg = g_object_ref (msg);
  deferred->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_deferred_finished),
                                            deferred);
  soup_server_message_pause (msg);
  return deferred;
}

SoupServerMessage *
hs_deferred_get_message (HsDeferred *deferred)
{
  return deferred->gone ? NULL : deferred->msg;
}

void
hs_deferred_finish (HsDeferred *deferred)
{
  g_signal_handler_disconnect (deferred->msg, deferred->finished_id);
  if (!deferred->gone)
    soup_server_message_unpause (deferred->msg);
  g_object_unref (deferred->msg);
  g_free (deferred);
}

JsonObject *
hs_request_body (HsRequest *req, const char *const *allowed)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len = g_bytes_get_size (bytes);
  JsonNode *root;
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (len > HS_SERVER_MAX_BODY)
    {
      hs_reply_error (req->msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
                      "the request body is %zu bytes; the limit is %d", len, HS_SERVER_MAX_BODY);
      return NULL;
    }
  if (len == 0)
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                      "the request needs a JSON object as its body");
      return NULL;
    }
  if (!g_utf8_validate (g_bytes_get_data (bytes, NULL), len, NULL) ||
      !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), len, &error))
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid", "the body is not JSON: %s",
                      error ? error->message : "not UTF-8");
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                      "the body must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_autofree char *known = g_strjoinv (", ", (char **) allowed);
        hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                        "unknown field “%s” (known: %s)", (const char *) l->data, known);
        return NULL;
      }
  return json_object_ref (object);
}

gboolean
hs_body_string (HsRequest *req, JsonObject *body, const char *name, gboolean required,
                const char **value)
{
  JsonNode *node = json_object_get_member (body, name);

  *value = NULL;
  if (node == NULL)
    {
      if (!required)
        return TRUE;
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid", "field “%s” is required",
                      name);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                      "field “%s” must be a string", name);
      return FALSE;
    }
  *value = json_node_get_string (node);
  return TRUE;
}

gboolean
hs_body_int (HsRequest *req, JsonObject *body, const char *name, gint64 min, gint64 max,
             gint64 *value)
{
  JsonNode *node = json_object_get_member (body, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < min || json_node_get_int (node) > max)
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                      "field “%s” must be a whole number from %" G_GINT64_FORMAT " to %"
                      G_GINT64_FORMAT, name, min, max);
      return FALSE;
    }
  *value = json_node_get_int (node);
  return TRUE;
}

gboolean
hs_query_uint_range (HsRequest *req, const char *name, guint64 def, guint64 min, guint64 max,
                     guint64 *value)
{
  const char *text = req->query ? g_hash_table_lookup (req->query, name) : NULL;
  guint64 v;

  *value = def;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, min, max, &v, NULL))
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                      "query parameter “%s” must be a whole number from %" G_GUINT64_FORMAT
                      " to %" G_GUINT64_FORMAT " (got “%s”)", name, min, max, text);
      return FALSE;
    }
  *value = v;
  return TRUE;
}

gboolean
hs_query_uint (HsRequest *req, const char *name, guint64 def, guint64 max, guint64 *value)
{
  return hs_query_uint_range (req, name, def, 0, max, value);
}

gboolean
hs_segment_id (HsRequest *req, guint index, const char *what, gint64 *id)
{
  guint64 v;

  if (index >= req->n_segments ||
      !g_ascii_string_to_unsigned (req->segments[index], 10, 1, G_MAXINT64, &v, NULL))
    {
      hs_reply_error (req->msg, SOUP_STATUS_NOT_FOUND, "not-found", "no %s “%s”", what,
                      index < req->n_segments ? req->segments[index] : "");
      return FALSE;
    }
  *id = (gint64) v;
  return TRUE;
}

static void
route_health (HsRequest *req)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "ok");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, HS_VERSION);
  json_builder_set_member_name (b, "api");
  json_builder_add_string_value (b, "v1");
  json_builder_set_member_name (b, "pid");
  json_builder_add_int_value (b, getpid ());
  json_builder_set_member_name (b, "workers");
  json_builder_add_int_value (b, hs_queue_get_n_workers (req->server->queue));
  json_builder_set_member_name (b, "busy");
  json_builder_add_int_value (b, hs_queue_get_n_busy (req->server->queue));
  json_builder_set_member_name (b, "event_clients");
  json_builder_add_int_value (b, hs_events_get_n_clients (req->server->events));
  json_builder_set_member_name (b, "store");
  json_builder_add_string_value (b, hs_store_get_path (req->server->store));
  json_builder_end_object (b);
  hs_reply_json (req->msg, SOUP_STATUS_OK, json_builder_get_root (b));
}

static void
route_devices (HsRequest *req)
{
  g_autoptr(GError) vulkan_error = NULL;
  g_autoptr(GPtrArray) devices = hs_device_list (&vulkan_error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "devices");
  json_builder_begin_array (b);
  for (guint i = 0; devices != NULL && i < devices->len; i++)
    {
      HsDeviceInfo *d = g_ptr_array_index (devices, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "backend");
      json_builder_add_string_value (b, d->backend == HS_BACKEND_CPU ? "cpu" : "vulkan");
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, d->index);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, hs_device_type_to_string (d->type));
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, d->name);
      json_builder_set_member_name (b, "memory_bytes");
      json_builder_add_int_value (b, (gint64) d->memory_bytes);
      json_builder_set_member_name (b, "threads");
      json_builder_add_int_value (b, d->threads);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "vulkan_error");
  if (vulkan_error != NULL)
    json_builder_add_string_value (b, vulkan_error->message);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  hs_reply_json (req->msg, SOUP_STATUS_OK, json_builder_get_root (b));
}

/* Only the user who runs the daemon may talk to it (the socket is 0600
 * too; this also covers a socket made reachable by other means). */
static gboolean
peer_allowed (HsServer *server, SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr(GCredentials) credentials = NULL;
  uid_t uid;

  if (socket == NULL || g_socket_get_family (socket) != G_SOCKET_FAMILY_UNIX)
    return FALSE;
  if ((credentials = g_socket_get_credentials (socket, NULL)) == NULL)
    return FALSE;
  uid = g_credentials_get_unix_user (credentials, NULL);
  return uid == server->uid;
}

static void
handle_api (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer data)
{
  HsServer *server = data;
  g_auto(GStrv) segments = NULL;
  HsRequest req = { server, msg, soup_server_message_get_method (msg), NULL, 0, query };
  const char *rest = path + strlen ("/api/v1");
  g_autoptr(GPtrArray) parts = g_ptr_array_new_null_terminated (4, NULL, TRUE);

  if (!peer_allowed (server, msg))
    {
      hs_reply_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                      "only the user running hyperstard may use it");
      return;
    }
  if (*rest != '\0' && *rest != '/')
    {
      hs_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", "no route %s", path);
      return;
    }
  segments = g_strsplit (rest, "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    if (*segments[i] != '\0')
      g_ptr_array_add (parts, segments[i]);
  req.segments = (char **) parts->pdata;
  req.n_segments = parts->len;

  if (req.n_segments == 0)
    hs_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not-found",
                    "no route %s (see docs/api.md; try /api/v1/health)", path);
  else if (g_str_equal (req.segments[0], "health") && req.n_segments == 1)
    {
      if (g_str_equal (req.method, "GET"))
        route_health (&req);
      else
        hs_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method", "%s %s: use GET",
                        req.method, path);
    }
  else if (g_str_equal (req.segments[0], "devices") && req.n_segments == 1)
    {
      if (g_str_equal (req.method, "GET"))
        route_devices (&req);
      else
        hs_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method", "%s %s: use GET",
                        req.method, path);
    }
  else if (g_str_equal (req.segments[0], "datasets"))
    hs_route_datasets (&req);
  else if (g_str_equal (req.segments[0], "spaces"))
    hs_route_spaces (&req);
  else if (g_str_equal (req.segments[0], "searches"))
    hs_route_searches (&req);
  else
    hs_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", "no route %s", path);
}

static void
handle_other (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
              gpointer data)
{
  hs_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not-found",
                  "no route %s: the API is under /api/v1 (docs/api.md)", path);
}

/* Bodies over the limit are refused before they are read. */
static void
handle_early (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
              gpointer data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);

  if (length > HS_SERVER_MAX_BODY)
    hs_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
                    "the request body is %" G_GOFFSET_FORMAT " bytes; the limit is %d", length,
                    HS_SERVER_MAX_BODY);
}

/* A new event client; ?after=ID first replays the stored events after ID
 * (what a client that reconnects missed). */
static void
handle_events (SoupServer *soup, SoupServerMessage *msg, const char *path,
               SoupWebsocketConnection *connection, gpointer data)
{
  HsServer *server = data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);
  g_autoptr(GHashTable) params = query ? g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE,
                                                             NULL)
                                       : NULL;
  const char *after = params ? g_hash_table_lookup (params, "after") : NULL;
  guint64 after_id;

  if (!peer_allowed (server, msg))
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                       "only the user running hyperstard may use it");
      return;
    }
  soup_websocket_connection_set_keepalive_interval (connection, 30);
  if (after != NULL && g_ascii_string_to_unsigned (after, 10, 0, G_MAXINT64, &after_id, NULL))
    {
      g_autoptr(GPtrArray) missed = hs_store_list_events (server->store, (gint64) after_id, 0, 0,
                                                          NULL);
      for (guint i = 0; missed != NULL && i < missed->len; i++)
        {
          if (soup_websocket_connection_get_state (connection) != SOUP_WEBSOCKET_STATE_OPEN)
            return;  /* the client went away during the replay */
          g_autoptr(JsonNode) node = hs_events_stored_to_json (g_ptr_array_index (missed, i));
          g_autofree char *text = hs_json_to_text (node);
          soup_websocket_connection_send_text (connection, text);
        }
    }
  hs_events_add_client (server->events, connection);
}

HsServer *
hs_server_new (HsStore *store, HsQueue *queue, HsEvents *events, HsCatalogCache *catalog,
               GSocket *socket, GError **error)
{
  g_autoptr(HsServer) server = g_new0 (HsServer, 1);

  server->store = store;
  server->queue = queue;
  server->events = events;
  server->catalog = catalog;
  /* Two: the dataset a page shows, and the one it showed before. */
  server->datasets = hs_dataset_cache_new (2);
  server->shipped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  hs_spaces_add_shipped (server);
  server->uid = getuid ();
  server->soup = soup_server_new ("server-header", "hyperstard/" HS_VERSION " ", NULL);
  soup_server_add_early_handler (server->soup, NULL, handle_early, server, NULL);
  soup_server_add_handler (server->soup, "/api/v1", handle_api, server, NULL);
  soup_server_add_handler (server->soup, NULL, handle_other, server, NULL);
  soup_server_add_websocket_handler (server->soup, "/api/v1/events", NULL, NULL, handle_events,
                                     server, NULL);
  if (!soup_server_listen_socket (server->soup, socket, 0, error))
    return NULL;
  return g_steal_pointer (&server);
}

void
hs_server_free (HsServer *server)
{
  if (server == NULL)
    return;
  if (server->soup != NULL)
    {
      soup_server_disconnect (server->soup);
      g_object_unref (server->soup);
    }
  g_clear_pointer (&server->datasets, hs_dataset_cache_free);
  g_clear_pointer (&server->shipped, g_hash_table_unref);
  g_free (server);
}
