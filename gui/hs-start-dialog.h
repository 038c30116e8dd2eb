/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The start-search dialog (hs-start-dialog.ui): dataset, search space,
 * method and budget.  What the daemon refuses is shown in the dialog,
 * next to the fields, and the dialog stays open.
 */
#pragma once

#include <gtk/gtk.h>

#include "hs-session.h"

G_BEGIN_DECLS

/* dataset: preselected when not NULL.  The dialog loads its lists. */
GtkWindow  *hs_start_dialog_new        (HsSession *session, GtkWindow *parent,
                                        const char *dataset);
/* Picks a dataset and space by name: FALSE while they are not loaded. */
gboolean    hs_start_dialog_select     (GtkWindow *dialog, const char *dataset,
                                        const char *space);
void        hs_start_dialog_set_budget (GtkWindow *dialog, int budget, int max_epochs, int eta);
/* What the Start button does. */
void        hs_start_dialog_submit     (GtkWindow *dialog);
/* The error shown in the dialog, or NULL. */
const char *hs_start_dialog_get_error  (GtkWindow *dialog);

G_END_DECLS
