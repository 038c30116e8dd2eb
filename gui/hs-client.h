/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The workbench's client of hyperstard: JSON requests over the Unix socket
 * with libsoup, never blocking the main loop; the event WebSocket with
 * reconnection and back-off; and starting hyperstard when nothing answers.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "hs-json-text.h"

G_BEGIN_DECLS

#define HS_CLIENT_ERROR (hs_client_error_quark ())

typedef enum {
  HS_CLIENT_ERROR_NOT_RUNNING,  /* nothing answers, and it could not be started */
  HS_CLIENT_ERROR_PROTOCOL,     /* a reply that is not what the API says */
  HS_CLIENT_ERROR_DAEMON,       /* the daemon refused: its message */
} HsClientError;

GQuark hs_client_error_quark (void);

#define HS_TYPE_CLIENT (hs_client_get_type ())
G_DECLARE_FINAL_TYPE (HsClient, hs_client, HS, CLIENT, GObject)

/* socket_path NULL: the default (hs-socket-path.h). */
HsClient   *hs_client_new              (const char *socket_path);
/* Whether to start hyperstard when nothing answers (default TRUE). */
void        hs_client_set_autostart    (HsClient *self, gboolean autostart);
gboolean    hs_client_get_connected    (HsClient *self);

/* body may be NULL.  The reply's JSON (NULL with no error for an empty
 * body); a refusal is HS_CLIENT_ERROR_DAEMON with the daemon's message. */
void        hs_client_request_async    (HsClient           *self,
                                        const char         *method,
                                        const char         *path,
                                        JsonNode           *body,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
JsonNode   *hs_client_request_finish   (HsClient     *self,
                                        GAsyncResult *result,
                                        GError      **error);

/* A GET whose reply is not JSON (a CSV export, a PNG): its body as is.
 * Errors as for hs_client_request_async. */
void        hs_client_request_bytes_async  (HsClient           *self,
                                            const char         *path,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
GBytes     *hs_client_request_bytes_finish (HsClient     *self,
                                            GAsyncResult *result,
                                            GError      **error);

/* Opens the event stream (and keeps it open: reconnects with back-off,
 * replaying stored events from the last id seen).  Each event is emitted
 * as ::event (type, search_id, data object). */
void        hs_client_watch_events     (HsClient *self);

G_END_DECLS
