/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsQueuePage: the searches, queued, running and finished, with pause,
 * resume and cancel for the selected one (enabled as its state allows),
 * and the running trials' live progress.
 */
#pragma once

#include <adwaita.h>

#include "hs-session.h"

G_BEGIN_DECLS

#define HS_TYPE_QUEUE_PAGE (hs_queue_page_get_type ())
G_DECLARE_FINAL_TYPE (HsQueuePage, hs_queue_page, HS, QUEUE_PAGE, AdwBin)

GtkWidget *hs_queue_page_new            (HsSession *session);
/* Selects the search with this id (FALSE when it is not listed). */
gboolean   hs_queue_page_select_search  (HsQueuePage *self, gint64 id);

G_END_DECLS
