/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hyperstard's HTTP + WebSocket API (docs/api.md) on a listening Unix
 * socket, with libsoup 3 on the main context.  Routes live under /api/v1;
 * errors are JSON {"error": code, "message": text} with the HTTP status
 * that fits; request bodies over HS_SERVER_MAX_BODY bytes are refused
 * (413); requests from another user's process are refused (403).
 */
#pragma once

#include <gio/gio.h>

#include "hs-catalog-cache.h"
#include "hs-events.h"
#include "hs-queue.h"
#include "hs-store.h"

G_BEGIN_DECLS

#define HS_SERVER_MAX_BODY (1024 * 1024)

typedef struct _HsServer HsServer;

/* store, queue, events and catalog are borrowed; socket is bound and
 * listening.  The spaces shipped in data/spaces are added to the store when
 * it has none of their names. */
HsServer *hs_server_new (HsStore *store, HsQueue *queue, HsEvents *events,
                         HsCatalogCache *catalog, GSocket *socket, GError **error);
void      hs_server_free (HsServer *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsServer, hs_server_free)

G_END_DECLS
