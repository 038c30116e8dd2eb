/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small synchronous client of hyperstard's API (docs/api.md) for the
 * command-line: requests over the daemon's Unix socket, answered with the
 * parsed JSON, and the event WebSocket (/api/v1/events) for `search watch`.
 *
 * Errors are worded for the person at the terminal: nothing answering on
 * the socket is HS_CLI_CLIENT_ERROR_NOT_RUNNING ("hyperstard is not running
 * on PATH …"); a 4xx/5xx reply is HS_CLI_CLIENT_ERROR_DAEMON carrying the
 * daemon's own message.
 *
 * Main thread only: the WebSocket lives on the thread-default main context
 * the client was made in.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "hs-json-text.h"
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define HS_CLI_CLIENT_ERROR (hs_cli_client_error_quark ())
GQuark hs_cli_client_error_quark (void);

typedef enum {
  HS_CLI_CLIENT_ERROR_NOT_RUNNING,  /* nothing answers on the socket */
  HS_CLI_CLIENT_ERROR_DAEMON,       /* a 4xx/5xx reply: the message is the daemon's */
  HS_CLI_CLIENT_ERROR_PROTOCOL,     /* a reply that is not the API's (not JSON, …) */
} HsCliClientError;

typedef struct _HsCliClient HsCliClient;

/* socket_path: NULL for hs_socket_default_path() ($HS_SOCKET, else
 * $XDG_RUNTIME_DIR/hyperstar/hyperstard.sock). */
HsCliClient *hs_cli_client_new (const char *socket_path);
void         hs_cli_client_free (HsCliClient *client);
const char  *hs_cli_client_get_socket_path (HsCliClient *client);

/* method ("GET", "POST", …) on path ("/api/v1/searches?limit=10"), with body
 * (borrowed; NULL for none) sent as JSON.  Returns the reply's JSON (NULL
 * with no error for an empty 204 reply).  status, when not NULL, is set to
 * the HTTP status whenever the daemon answered, errors included (0
 * otherwise). */
JsonNode    *hs_cli_client_request (HsCliClient *client, const char *method, const char *path,
                                    JsonNode *body, guint *status, GError **error);
/* The same, with the reply's body as it came (an export's CSV) and its
 * content type (when not NULL). */
GBytes      *hs_cli_client_request_bytes (HsCliClient *client, const char *method,
                                          const char *path, JsonNode *body, guint *status,
                                          char **content_type, GError **error);

/* Opens the event stream: path is "/api/v1/events" (optionally with a
 * query).  Runs a nested main loop until the handshake ends; cancellable
 * stops it. */
SoupWebsocketConnection *hs_cli_client_connect_events (HsCliClient *client, const char *path,
                                                       GCancellable *cancellable,
                                                       GError **error);

/* Members of a reply's object, forgiving: a missing member, null or a
 * value of another type gives the default (NULL, def, NaN). */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsCliClient, hs_cli_client_free)

G_END_DECLS
