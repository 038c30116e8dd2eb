/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tests and --screenshot reach inside HsWindow.
 */
#pragma once

#include "hs-chart.h"
#include "hs-session.h"
#include "hs-start-dialog.h"
#include "hs-window.h"

G_BEGIN_DECLS

HsSession  *hs_window_get_session      (HsWindow *self);
/* The page widget named page (queue, datasets, spaces, results). */
GtkWidget  *hs_window_get_page         (HsWindow *self, const char *page);
GListModel *hs_window_get_searches     (HsWindow *self);
GListModel *hs_window_get_datasets     (HsWindow *self);
GListModel *hs_window_get_trials       (HsWindow *self);
HsChart    *hs_window_get_best_chart   (HsWindow *self);
HsChart    *hs_window_get_curves_chart (HsWindow *self);
/* Requests still under way (the session's and the pages'). */
guint       hs_window_get_pending      (HsWindow *self);
/* The last message shown as a toast, or NULL. */
const char *hs_window_get_last_message (HsWindow *self);
/* Opens the start-search dialog (hs-start-dialog.h); it loads its lists. */
GtkWindow  *hs_window_open_start_dialog (HsWindow *self);

G_END_DECLS
