/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsClient: see hs-client.h.
 */
#define G_LOG_DOMAIN "hs-client"

#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "hs-client.h"
#include "hs-socket-path.h"

/* How long a request waits for a daemon it started: 60 tries 250 ms apart. */
#define START_RETRIES 60
#define START_RETRY_MS 250
#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 8000
#define MAX_EVENT_BYTES (16 * 1024 * 1024)
/* Replies larger than this are parsed in a worker thread. */
#define PARSE_IN_THREAD_BYTES (64 * 1024)

G_DEFINE_QUARK (hs-client-error-quark, hs_client_error)

struct _HsClient
{
  GObject parent_instance;

  char *socket_path;
  SoupSession *session;
  gboolean autostart;
  GSubprocess *daemon;         /* the hyperstard this client started, if any */

  /* The event stream. */
  gboolean watching;
  SoupWebsocketConnection *events;
  GCancellable *events_cancellable;
  guint reconnect_source;
  guint backoff_ms;
  gint64 last_event_id;
};

G_DEFINE_FINAL_TYPE (HsClient, hs_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SOCKET_PATH,
  PROP_CONNECTED,
  N_PROPS
};

enum {
  SIGNAL_EVENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Starting the daemon */

/* hyperstard next to us in the build tree (gui/ and backend/ side by side)
 * or installed beside us, else the install bindir, else $PATH. */
static char *
find_daemon (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe ? g_path_get_dirname (exe) : NULL;
  const char *env = g_getenv ("HS_HYPERSTARD");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (dir != NULL)
    {
      g_autofree char *in_tree = g_build_filename (dir, "..", "backend", "hyperstard", NULL);
      g_autofree char *beside = g_build_filename (dir, "hyperstard", NULL);

      if (g_file_test (in_tree, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&in_tree);
      if (g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&beside);
    }
  if (g_file_test (HS_BINDIR "/hyperstard", G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (HS_BINDIR "/hyperstard");
  return g_find_program_in_path ("hyperstard");
}

/* Starts hyperstard once (again only after the one we started died). */
static gboolean
ensure_daemon (HsClient *self, GError **error)
{
  g_autofree char *path = NULL;

  if (self->daemon != NULL && g_subprocess_get_identifier (self->daemon) != NULL)
    return TRUE;
  g_clear_object (&self->daemon);
  if ((path = find_daemon ()) == NULL)
    {
      g_set_error (error, HS_CLIENT_ERROR, HS_CLIENT_ERROR_NOT_RUNNING,
                   _("hyperstard is not running on %s and could not be found to start it"),
                   self->socket_path);
      return FALSE;
    }
  g_message ("starting %s --socket %s", path, self->socket_path);
  self->daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, error,
                                   path, "--socket", self->socket_path, NULL);
  if (self->daemon != NULL)
    /* Reap it when it exits; it outlives us otherwise, as a daemon should. */
    g_subprocess_wait_async (self->daemon, NULL, NULL, NULL);
  return self->daemon != NULL;
}

/* Requests */

typedef struct {
  char *method;
  char *path;
  GBytes *body;
  gboolean raw;                /* return the body's bytes, not its JSON */
  GBytes *reply;               /* the body, while it is parsed */
  guint attempts;
  SoupMessage *msg;
} Request;

static void
request_free (Request *r)
{
  g_free (r->method);
  g_free (r->path);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_pointer (&r->reply, g_bytes_unref);
  g_clear_object (&r->msg);
  g_free (r);
}

static void send_request (GTask *task);

static void
set_connected (HsClient *self, gboolean connected)
{
  (void) connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static void
set_daemon_error (SoupMessage *msg, GBytes *bytes, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;
  const char *message;
  JsonNode *root;

  if (len > 0 && json_parser_load_from_data (parser, data, len, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
      (message = hs_json_get_string (json_node_get_object (root), "message")) != NULL)
    {
      g_set_error_literal (error, HS_CLIENT_ERROR, HS_CLIENT_ERROR_DAEMON, message);
      return;
    }
  g_set_error (error, HS_CLIENT_ERROR, HS_CLIENT_ERROR_DAEMON, _("hyperstard answered %u %s"),
               soup_message_get_status (msg),
               soup_message_get_reason_phrase (msg) ? soup_message_get_reason_phrase (msg) : "");
}

static gboolean
retry_cb (gpointer data)
{
  send_request (G_TASK (data));
  return G_SOURCE_REMOVE;
}

/* The reply's JSON (in a worker thread for large replies). */
static void
parse_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Request *r = task_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (r->reply, &len);

  if (!json_parser_load_from_data (parser, data, len, &error))
    {
      g_task_return_new_error (task, HS_CLIENT_ERROR, HS_CLIENT_ERROR_PROTOCOL,
                               _("hyperstard’s reply to %s %s is not JSON: %s"), r->method,
                               r->path, error->message);
      return;
    }
  g_task_return_pointer (task, json_node_ref (json_parser_get_root (parser)),
                         (GDestroyNotify) json_node_unref);
}

static void
request_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  HsClient *self = g_task_get_source_object (task);
  Request *r = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                               &error);
  guint status = soup_message_get_status (r->msg);

  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || status != SOUP_STATUS_NONE)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* Nothing answers: start hyperstard and try again for a while. */
      if (self->autostart && r->attempts < START_RETRIES)
        {
          g_autoptr(GError) start_error = NULL;

          if (!ensure_daemon (self, &start_error))
            {
              g_task_return_error (task, g_steal_pointer (&start_error));
              return;
            }
          r->attempts++;
          g_timeout_add (START_RETRY_MS, retry_cb, g_steal_pointer (&task));
          return;
        }
      g_task_return_new_error (task, HS_CLIENT_ERROR, HS_CLIENT_ERROR_NOT_RUNNING,
                               _("hyperstard does not answer on %s: %s"), self->socket_path,
                               error->message);
      return;
    }
  if (status >= 400)
    {
      set_daemon_error (r->msg, bytes, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (r->raw)
    {
      g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  r->reply = g_steal_pointer (&bytes);
  /* A page of 1,000 trials is over a megabyte: parsing it here would hold
   * up the frames for tens of milliseconds. */
  if (g_bytes_get_size (r->reply) > PARSE_IN_THREAD_BYTES)
    g_task_run_in_thread (task, parse_thread);
  else
    parse_thread (task, self, r, NULL);
}

static void
send_request (GTask *task)
{
  HsClient *self = g_task_get_source_object (task);
  Request *r = g_task_get_task_data (task);
  g_autofree char *uri = g_strconcat ("http://localhost/api/v1", r->path, NULL);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  g_clear_object (&r->msg);
  r->msg = soup_message_new (r->method, uri);
  if (r->msg == NULL)
    {
      g_task_return_new_error (task, HS_CLIENT_ERROR, HS_CLIENT_ERROR_PROTOCOL,
                               _("“%s” is not a valid request path"), r->path);
      g_object_unref (task);
      return;
    }
  if (r->body != NULL)
    soup_message_set_request_body_from_bytes (r->msg, "application/json", r->body);
  soup_session_send_and_read_async (self->session, r->msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), request_done_cb, task);
}

static void
request_start (HsClient *self, const char *method, const char *path, JsonNode *body,
               gboolean raw, GCancellable *cancellable, GAsyncReadyCallback callback,
               gpointer user_data)
{
  GTask *task;
  Request *r;

  g_return_if_fail (HS_IS_CLIENT (self));
  g_return_if_fail (method != NULL && path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, raw ? (gpointer) hs_client_request_bytes_async
                                   : (gpointer) hs_client_request_async);
  r = g_new0 (Request, 1);
  r->method = g_strdup (method);
  r->path = g_strdup (path);
  r->raw = raw;
  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);

      r->body = g_bytes_new_take (text, strlen (text));
    }
  g_task_set_task_data (task, r, (GDestroyNotify) request_free);
  send_request (task);
}

void
hs_client_request_async (HsClient           *self,
                         const char         *method,
                         const char         *path,
                         JsonNode           *body,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  request_start (self, method, path, body, FALSE, cancellable, callback, user_data);
}

JsonNode *
hs_client_request_finish (HsClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
hs_client_request_bytes_async (HsClient           *self,
                               const char         *path,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  request_start (self, "GET", path, NULL, TRUE, cancellable, callback, user_data);
}

GBytes *
hs_client_request_bytes_finish (HsClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The event stream */

static void connect_events (HsClient *self);

static gboolean
reconnect_cb (gpointer data)
{
  HsClient *self = data;

  self->reconnect_source = 0;
  connect_events (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (HsClient *self)
{
  if (!self->watching || self->reconnect_source != 0)
    return;
  self->backoff_ms = self->backoff_ms == 0 ? BACKOFF_MIN_MS
                                           : MIN (self->backoff_ms * 2, BACKOFF_MAX_MS);
  g_debug ("event stream: reconnecting in %u ms", self->backoff_ms);
  self->reconnect_source = g_timeout_add (self->backoff_ms, reconnect_cb, self);
}

static void
events_message_cb (SoupWebsocketConnection *conn, int type, GBytes *message, gpointer data)
{
  HsClient *self = data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *text = g_bytes_get_data (message, &len);
  JsonObject *event;
  JsonNode *root;
  gint64 id;

  if (type != SOUP_WEBSOCKET_DATA_TEXT ||
      !json_parser_load_from_data (parser, text, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_warning ("event stream: a frame that is not a JSON object");
      return;
    }
  event = json_node_get_object (root);
  if ((id = hs_json_get_int (event, "id", 0)) > self->last_event_id)
    self->last_event_id = id;
  if (hs_json_get_string (event, "type") == NULL)
    return;
  {
    JsonNode *data_node = json_object_get_member (event, "data");
    g_autoptr(JsonObject) empty = json_object_new ();
    JsonObject *data_object = data_node && JSON_NODE_HOLDS_OBJECT (data_node)
                              ? json_node_get_object (data_node) : empty;

    g_signal_emit (self, signals[SIGNAL_EVENT], 0, hs_json_get_string (event, "type"),
                   hs_json_get_int (event, "search_id", 0), data_object);
  }
}

static void
events_closed_cb (SoupWebsocketConnection *conn, gpointer data)
{
  HsClient *self = data;

  g_debug ("event stream closed (%d)", soup_websocket_connection_get_close_code (conn));
  g_signal_handlers_disconnect_by_data (conn, self);
  g_clear_object (&self->events);
  set_connected (self, FALSE);
  schedule_reconnect (self);
}

static void
events_connected_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(HsClient) self = data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *conn =
    soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  if (conn == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("event stream: %s", error->message);
          schedule_reconnect (self);
        }
      return;
    }
  self->events = conn;
  self->backoff_ms = 0;
  soup_websocket_connection_set_max_incoming_payload_size (conn, MAX_EVENT_BYTES);
  g_signal_connect (conn, "message", G_CALLBACK (events_message_cb), self);
  g_signal_connect (conn, "closed", G_CALLBACK (events_closed_cb), self);
  set_connected (self, TRUE);
}

static void
connect_events (HsClient *self)
{
  g_autofree char *uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  if (self->events != NULL)
    return;
  /* After a drop, replay what was stored meanwhile. */
  uri = self->last_event_id > 0
        ? g_strdup_printf ("ws://localhost/api/v1/events?after=%" G_GINT64_FORMAT,
                           self->last_event_id)
        : g_strdup ("ws://localhost/api/v1/events");
  msg = soup_message_new ("GET", uri);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->events_cancellable, events_connected_cb,
                                        g_object_ref (self));
}

void
hs_client_watch_events (HsClient *self)
{
  g_return_if_fail (HS_IS_CLIENT (self));

  if (self->watching)
    return;
  self->watching = TRUE;
  connect_events (self);
}

/* GObject */

HsClient *
hs_client_new (const char *socket_path)
{
  return g_object_new (HS_TYPE_CLIENT, "socket-path", socket_path, NULL);
}

void
hs_client_set_autostart (HsClient *self, gboolean autostart)
{
  g_return_if_fail (HS_IS_CLIENT (self));
  self->autostart = autostart;
}

gboolean
hs_client_get_connected (HsClient *self)
{
  g_return_val_if_fail (HS_IS_CLIENT (self), FALSE);
  return self->events != NULL;
}

static void
hs_client_constructed (GObject *object)
{
  HsClient *self = HS_CLIENT (object);
  g_autoptr(GSocketAddress) address = NULL;

  G_OBJECT_CLASS (hs_client_parent_class)->constructed (object);
  if (self->socket_path == NULL)
    self->socket_path = hs_socket_default_path ();
  address = g_unix_socket_address_new (self->socket_path);
  /* Every request goes to the socket whatever the URI's host, and never
   * through a proxy. */
  self->session = soup_session_new_with_options ("remote-connectable", address,
                                                 "proxy-resolver", NULL,
                                                 "user-agent", "hyperstar/" HS_VERSION " ",
                                                 NULL);
}

static void
hs_client_dispose (GObject *object)
{
  HsClient *self = HS_CLIENT (object);

  self->watching = FALSE;
  g_cancellable_cancel (self->events_cancellable);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  if (self->events != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->events, self);
      if (soup_websocket_connection_get_state (self->events) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->events, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&self->events);
    }
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->daemon);
  G_OBJECT_CLASS (hs_client_parent_class)->dispose (object);
}

static void
hs_client_finalize (GObject *object)
{
  HsClient *self = HS_CLIENT (object);

  g_clear_object (&self->events_cancellable);
  g_free (self->socket_path);
  G_OBJECT_CLASS (hs_client_parent_class)->finalize (object);
}

static void
hs_client_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HsClient *self = HS_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SOCKET_PATH:
      g_value_set_string (value, self->socket_path);
      break;
    case PROP_CONNECTED:
      g_value_set_boolean (value, hs_client_get_connected (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_client_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  HsClient *self = HS_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SOCKET_PATH:
      self->socket_path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_client_class_init (HsClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = hs_client_constructed;
  object_class->dispose = hs_client_dispose;
  object_class->finalize = hs_client_finalize;
  object_class->get_property = hs_client_get_property;
  object_class->set_property = hs_client_set_property;

  properties[PROP_SOCKET_PATH] =
    g_param_spec_string ("socket-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* ::event (type, search_id, data): one event of the stream. */
  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_INT64, JSON_TYPE_OBJECT);
}

static void
hs_client_init (HsClient *self)
{
  self->autostart = TRUE;
  self->events_cancellable = g_cancellable_new ();
}
