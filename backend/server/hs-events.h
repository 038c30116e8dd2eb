/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The daemon's event stream: state changes and trial progress, sent as
 * JSON text frames to every WebSocket client of /api/v1/events,
 *
 *   {"id": 42, "time": 1764000000000, "type": "trial-epoch",
 *    "search_id": 3, "data": {…}}
 *
 * and, for the events worth keeping (state changes, started, epochs,
 * finished), appended to the store first, so a client that reconnects
 * replays what it missed (the WebSocket URL /api/v1/events?after=ID, or
 * GET /api/v1/searches/ID/events?after=ID).  Progress within an
 * epoch is sent but not kept: those events have "id": 0.
 *
 * Main context only.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "hs-store.h"

G_BEGIN_DECLS

typedef struct _HsEvents HsEvents;

HsEvents *hs_events_new (HsStore *store);
void      hs_events_free (HsEvents *events);

/* A WebSocket client (its reference taken; dropped when it closes). */
void      hs_events_add_client (HsEvents *events, SoupWebsocketConnection *connection);
guint     hs_events_get_n_clients (HsEvents *events);
/* Closes every client (shutdown). */
void      hs_events_close_all (HsEvents *events);

/* data: a JSON object (taken).  keep: append to the store (a store error is
 * logged; the event is still sent). */
void      hs_events_emit (HsEvents *events, gint64 search_id, const char *type, JsonNode *data,
                          gboolean keep);

/* One stored event as the stream sends it. */
JsonNode *hs_events_stored_to_json (const HsStoreEvent *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsEvents, hs_events_free)

G_END_DECLS
