/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tests and --screenshot reach inside HsWindow.
 */
#pragma once

#include "hs-chart.h"
#include "hs-window.h"

G_BEGIN_DECLS

GListModel *hs_window_get_searches     (HsWindow *self);
GListModel *hs_window_get_datasets     (HsWindow *self);
GListModel *hs_window_get_trials       (HsWindow *self);
HsChart    *hs_window_get_best_chart   (HsWindow *self);
HsChart    *hs_window_get_curves_chart (HsWindow *self);
/* Requests still under way (the window's loads). */
guint       hs_window_get_pending      (HsWindow *self);
/* Opens the start-search dialog; it loads its datasets and spaces. */
GtkWindow  *hs_window_open_start_dialog (HsWindow *self);
/* Picks a dataset and space by name in an open dialog: FALSE while they
 * have not been loaded yet. */
gboolean    hs_start_dialog_select      (GtkWindow *dialog, const char *dataset,
                                         const char *space);
void        hs_start_dialog_set_budget  (GtkWindow *dialog, int budget, int max_epochs, int eta);
/* What the Start button does. */
void        hs_start_dialog_submit      (GtkWindow *dialog);

G_END_DECLS
