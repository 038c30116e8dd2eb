/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsImportDialog: imports a folder (one subfolder per class) as a dataset.
 * It asks for the name (prefilled from the folder's, checked as it is
 * typed), sends POST /datasets, shows the daemon's import-progress events
 * while the request runs, and then the import's report: what was imported
 * and each skipped file with the reason.  What the daemon refuses is shown
 * in the dialog, which stays open.
 */
#pragma once

#include <adwaita.h>

#include "hs-session.h"

G_BEGIN_DECLS

#define HS_TYPE_IMPORT_DIALOG (hs_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HsImportDialog, hs_import_dialog, HS, IMPORT_DIALOG, AdwWindow)

/* path: an absolute folder.  Emits ::imported (name) when the daemon has
 * imported it. */
HsImportDialog *hs_import_dialog_new          (HsSession  *session,
                                               GtkWindow  *parent,
                                               const char *path);
void            hs_import_dialog_set_name     (HsImportDialog *self, const char *name);
const char     *hs_import_dialog_get_name     (HsImportDialog *self);
/* What the Import button does: FALSE when the name is refused (shown
 * inline, nothing sent) or an import is under way. */
gboolean        hs_import_dialog_submit       (HsImportDialog *self);
/* The error shown in the dialog, or NULL. */
const char     *hs_import_dialog_get_error    (HsImportDialog *self);
gboolean        hs_import_dialog_get_running  (HsImportDialog *self);
/* The last import-progress event's done / total (0 before one came). */
double          hs_import_dialog_get_fraction (HsImportDialog *self);
/* The daemon's report once the import is done, else NULL. */
JsonObject     *hs_import_dialog_get_report   (HsImportDialog *self);
/* The report's list of skipped files (an AdwActionRow each: file, reason). */
GtkListBox     *hs_import_dialog_get_skipped_list (HsImportDialog *self);

/* A valid dataset name made from a folder's name: characters outside
 * A–Z a–z 0–9 . _ - become "_", leading dots go, at most 64 characters;
 * "dataset" when nothing is left. */
char           *hs_dataset_name_from_folder   (const char *folder);
/* Whether name is valid for POST /datasets; if not, why (translated). */
gboolean        hs_dataset_name_check         (const char *name, char **why);

G_END_DECLS
