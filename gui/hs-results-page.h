/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsResultsPage: the searches to compare (several may be selected) and,
 * for them, the best validation accuracy against epochs spent on one
 * chart; the learning curves and the sortable trials table of the first
 * one; export of its results to CSV.  Trials are loaded once, page by
 * page, then kept current from the event stream; charts are redrawn at
 * most a few times a second.
 */
#pragma once

#include <adwaita.h>

#include "hs-chart.h"
#include "hs-session.h"

G_BEGIN_DECLS

#define HS_TYPE_RESULTS_PAGE (hs_results_page_get_type ())
G_DECLARE_FINAL_TYPE (HsResultsPage, hs_results_page, HS, RESULTS_PAGE, AdwBin)

GtkWidget  *hs_results_page_new            (HsSession *session);
/* Shows these searches (replaces the selection). */
void        hs_results_page_show_searches  (HsResultsPage *self, const gint64 *ids, guint n);
/* When nothing is selected: the newest search and the others on its
 * dataset (to compare the methods tried on it). */
void        hs_results_page_select_default (HsResultsPage *self);
HsChart    *hs_results_page_get_best_chart   (HsResultsPage *self);
HsChart    *hs_results_page_get_curves_chart (HsResultsPage *self);
/* The table's rows (sorted as shown) of the first shown search. */
GListModel *hs_results_page_get_trials     (HsResultsPage *self);
GtkColumnView *hs_results_page_get_trials_view (HsResultsPage *self);
/* Writes the first shown search's CSV export to file (atomically);
 * ::message says how it went. */
void        hs_results_page_export_csv     (HsResultsPage *self, GFile *file);
/* Asks for a file, then exports. */
void        hs_results_page_choose_export  (HsResultsPage *self);

G_END_DECLS
