/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsSession: the window's view of hyperstard.  It owns the HsClient and
 * the lists every page shows (searches, datasets, search spaces, running
 * trials: GListModels of HsItem), loads them, keeps them current from the
 * event stream, and counts the requests under way.  Pages make their own
 * requests through hs_session_call so that one cancellable stops them all
 * when the window goes and the count covers them too.
 */
#pragma once

#include <gtk/gtk.h>

#include "hs-client.h"
#include "hs-item.h"

G_BEGIN_DECLS

#define HS_TYPE_SESSION (hs_session_get_type ())
G_DECLARE_FINAL_TYPE (HsSession, hs_session, HS, SESSION, GObject)

/* A reply for owner (kept alive until then): reply is NULL on error or for
 * an empty body.  Not called once the session was disposed. */
typedef void (*HsReplyFunc) (gpointer owner, JsonNode *reply, const GError *error,
                             gpointer data);

HsSession  *hs_session_new            (HsClient *client);
HsClient   *hs_session_get_client     (HsSession *self);
GListModel *hs_session_get_searches   (HsSession *self);
GListModel *hs_session_get_datasets   (HsSession *self);
GListModel *hs_session_get_spaces     (HsSession *self);
GListModel *hs_session_get_trials     (HsSession *self);
guint       hs_session_get_pending    (HsSession *self);
/* Why the daemon cannot be reached, or NULL while it answers
 * (property "offline-reason"). */
const char *hs_session_get_offline_reason (HsSession *self);

/* Reloads the searches, datasets and spaces. */
void        hs_session_reload          (HsSession *self);
void        hs_session_reload_datasets (HsSession *self);
void        hs_session_reload_spaces   (HsSession *self);

/* A JSON request (body may be NULL). */
void        hs_session_call            (HsSession     *self,
                                        const char    *method,
                                        const char    *path,
                                        JsonNode      *body,
                                        gpointer       owner,
                                        HsReplyFunc    func,
                                        gpointer       data,
                                        GDestroyNotify destroy);
/* A GET whose body is not JSON: func gets it as GBytes in reply's place
 * (cast the JsonNode pointer back). */
void        hs_session_call_bytes      (HsSession     *self,
                                        const char    *path,
                                        gpointer       owner,
                                        HsReplyFunc    func,
                                        gpointer       data,
                                        GDestroyNotify destroy);
/* For replies: an unreachable daemon sets offline-reason, any other error
 * becomes a message.  TRUE when reply holds a JSON object. */
gboolean    hs_session_check           (HsSession  *self,
                                        JsonNode   *reply,
                                        const GError *error);
/* Emits ::message (a toast in the window). */
void        hs_session_message         (HsSession *self, const char *text);
/* Puts a search object from a reply into the searches list, unless the
 * search's state changed since the request was made (state_when_asked;
 * NULL for a search not listed then): an event came meanwhile, and may be
 * newer than the reply. */
void        hs_session_update_search_reply (HsSession  *self,
                                            JsonObject *search,
                                            const char *state_when_asked);
/* GET or POST path, whose reply is a search object, and put the reply in
 * the list as hs_session_update_search_reply does (a pause's reply still
 * says "running" when the "paused" event has come first). */
void        hs_session_call_search     (HsSession  *self,
                                        const char *method,
                                        const char *path,
                                        gint64      search_id);
/* The search with this id, or NULL. */
HsItem     *hs_session_find_search     (HsSession *self, gint64 id);

gboolean    hs_search_state_is_final   (const char *state);

G_END_DECLS
