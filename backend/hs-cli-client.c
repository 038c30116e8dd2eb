/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CLI's client of hyperstard (see hs-cli-client.h).
 */
#define G_LOG_DOMAIN "hyperstar-cli"

#include <gio/gunixsocketaddress.h>
#include <math.h>

#include "hs-cli-client.h"
#include "hs-socket-path.h"

/* The event stream's frames are small (a search or a trial with its
 * curve); this only guards against a runaway. */
#define MAX_EVENT_BYTES (16 * 1024 * 1024)

G_DEFINE_QUARK (hs-cli-client-error-quark, hs_cli_client_error)

struct _HsCliClient
{
  char *socket_path;
  SoupSession *session;
};

HsCliClient *
hs_cli_client_new (const char *socket_path)
{
  HsCliClient *client = g_new0 (HsCliClient, 1);
  g_autoptr(GSocketAddress) address = NULL;

  client->socket_path = socket_path != NULL ? g_strdup (socket_path) : hs_socket_default_path ();
  address = g_unix_socket_address_new (client->socket_path);
  /* Every request goes to the socket, whatever the URI's host says, and
   * never through a proxy an environment variable names. */
  client->session = soup_session_new_with_options ("remote-connectable", address,
                                                   "proxy-resolver", NULL,
                                                   "user-agent", "hyperstar-cli/" HS_VERSION " ",
                                                   NULL);
  return client;
}

void
hs_cli_client_free (HsCliClient *client)
{
  if (client == NULL)
    return;
  g_clear_object (&client->session);
  g_free (client->socket_path);
  g_free (client);
}

const char *
hs_cli_client_get_socket_path (HsCliClient *client)
{
  return client->socket_path;
}

/* Rewords a failure to reach the daemon: nothing listening (no socket, or
 * one a crashed daemon left) says how to start it. */
static void
set_connect_error (HsCliClient *client, GError *local, GError **error)
{
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
      g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      !g_file_test (client->socket_path, G_FILE_TEST_EXISTS))
    g_set_error (error, HS_CLI_CLIENT_ERROR, HS_CLI_CLIENT_ERROR_NOT_RUNNING,
                 "hyperstard is not running on %s (start it with `hyperstard &`)",
                 client->socket_path);
  else
    g_set_error (error, HS_CLI_CLIENT_ERROR, HS_CLI_CLIENT_ERROR_PROTOCOL,
                 "cannot talk to hyperstard on %s: %s", client->socket_path, local->message);
}

static SoupMessage *
new_message (HsCliClient *client, const char *method, const char *path, GError **error)
{
  g_autofree char *uri = g_strconcat ("http://localhost", path, NULL);
  SoupMessage *msg = soup_message_new (method, uri);

  if (msg == NULL)
    g_set_error (error, HS_CLI_CLIENT_ERROR, HS_CLI_CLIENT_ERROR_PROTOCOL,
                 "“%s” is not a valid request path", path);
  return msg;
}

/* The daemon's {"error": code, "message": text}, else the status line. */
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
      g_set_error_literal (error, HS_CLI_CLIENT_ERROR, HS_CLI_CLIENT_ERROR_DAEMON, message);
      return;
    }
  g_set_error (error, HS_CLI_CLIENT_ERROR, HS_CLI_CLIENT_ERROR_DAEMON,
               "hyperstard answered %u %s", soup_message_get_status (msg),
               soup_message_get_reason_phrase (msg) ? soup_message_get_reason_phrase (msg)
                                                    : "");
}

GBytes *
hs_cli_client_request_bytes (HsCliClient *client, const char *method, const char *path,
                             JsonNode *body, guint *status, char **content_type, GError **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;
  guint code;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (method != NULL && path != NULL, NULL);

  if (status != NULL)
    *status = 0;
  if (content_type != NULL)
    *content_type = NULL;
  if ((msg = new_message (client, method, path, error)) == NULL)
    return NULL;
  if (body != NULL)
    {
      g_autofree char *text = json_to_string (body, FALSE);
      gsize len = strlen (text);
      g_autoptr(GBytes) request = g_bytes_new_take (g_steal_pointer (&text), len);

      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }
  bytes = soup_session_send_and_read (client->session, msg, NULL, &local);
  code = soup_message_get_status (msg);
  if (bytes == NULL)
    {
      /* No status: it never got through; a status: the daemon went away
       * while answering. */
      if (code == SOUP_STATUS_NONE)
        set_connect_error (client, local, error);
      else
        g_set_error (error, HS_CLI_CLIENT_ERROR, HS_CLI_CLIENT_ERROR_PROTOCOL,
                     "hyperstard on %s stopped answering: %s", client->socket_path,
                     local->message);
      return NULL;
    }
  if (status != NULL)
    *status = code;
  if (code >= 400)
    {
      set_daemon_error (msg, bytes, error);
      return NULL;
    }
  if (content_type != NULL)
    {
      const char *type = soup_message_headers_get_content_type (
        soup_message_get_response_headers (msg), NULL);
      *content_type = g_strdup (type);
    }
  return g_steal_pointer (&bytes);
}

JsonNode *
hs_cli_client_request (HsCliClient *client, const char *method, const char *path,
                       JsonNode *body, guint *status, GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  gsize len;
  const char *data;

  if ((bytes = hs_cli_client_request_bytes (client, method, path, body, status, NULL,
                                            error)) == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    return NULL;  /* 204 No Content */
  if (!json_parser_load_from_data (parser, data, len, &local) ||
      json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, HS_CLI_CLIENT_ERROR, HS_CLI_CLIENT_ERROR_PROTOCOL,
                   "hyperstard's reply to %s %s is not JSON: %s", method, path,
                   local ? local->message : "empty");
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

typedef struct {
  GMainLoop *loop;
  SoupWebsocketConnection *connection;
  GError *error;
} Connect;

static void
on_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  Connect *c = data;

  c->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result,
                                                         &c->error);
  g_main_loop_quit (c->loop);
}

SoupWebsocketConnection *
hs_cli_client_connect_events (HsCliClient *client, const char *path, GCancellable *cancellable,
                              GError **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Connect c = { 0 };
  guint code;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if ((msg = new_message (client, "GET", path, error)) == NULL)
    return NULL;
  loop = g_main_loop_new (g_main_context_get_thread_default (), FALSE);
  c.loop = loop;
  soup_session_websocket_connect_async (client->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        cancellable, on_connected, &c);
  g_main_loop_run (loop);
  if (c.connection == NULL)
    {
      g_autoptr(GError) local = g_steal_pointer (&c.error);

      code = soup_message_get_status (msg);
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local));
      else if (code == SOUP_STATUS_NONE)
        set_connect_error (client, local, error);
      else if (code >= 400)
        set_daemon_error (msg, NULL, error);
      else
        g_set_error (error, HS_CLI_CLIENT_ERROR, HS_CLI_CLIENT_ERROR_PROTOCOL,
                     "hyperstard on %s refused the event stream: %s", client->socket_path,
                     local->message);
      return NULL;
    }
  soup_websocket_connection_set_max_incoming_payload_size (c.connection, MAX_EVENT_BYTES);
  return c.connection;
}
