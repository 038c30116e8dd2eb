/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsDatasetsPage: built-in tasks and imported datasets in one list, with
 * family, classes and image counts; the selected one's details beside it
 * (description, counts, per-class counts by split, a grid of thumbnails
 * that load as they scroll into view, optionally of one class); searching
 * it, deleting an imported one, and importing a folder.
 */
#pragma once

#include <adwaita.h>

#include "hs-import-dialog.h"
#include "hs-session.h"
#include "hs-thumbnail-grid.h"

G_BEGIN_DECLS

#define HS_TYPE_DATASETS_PAGE (hs_datasets_page_get_type ())
G_DECLARE_FINAL_TYPE (HsDatasetsPage, hs_datasets_page, HS, DATASETS_PAGE, AdwBin)

GtkWidget       *hs_datasets_page_new             (HsSession *session);
/* Asks for a folder (GtkFileChooserNative), then opens the import dialog
 * on it. */
void             hs_datasets_page_choose_import   (HsDatasetsPage *self);
/* The import dialog on a folder, as after choosing it; once the import is
 * done, the page selects the new dataset. */
HsImportDialog  *hs_datasets_page_open_import     (HsDatasetsPage *self, const char *path);
/* Selects the dataset with this name (FALSE when it is not listed). */
gboolean         hs_datasets_page_select          (HsDatasetsPage *self, const char *name);
/* When nothing is selected: the newest search's dataset, else the first. */
void             hs_datasets_page_select_default  (HsDatasetsPage *self);
/* Shows the images of one class (class_index -1: all). */
void             hs_datasets_page_set_class_filter (HsDatasetsPage *self, int class_index);
/* What the Delete button does: asks to confirm (an AdwMessageDialog,
 * responses "cancel" and "delete"), or NULL when the selected dataset is
 * not an imported one. */
GtkWindow       *hs_datasets_page_confirm_delete  (HsDatasetsPage *self);

/* For tests: the selected dataset's details (GET /datasets/NAME) once they
 * came, its per-class rows (HsItem), and its thumbnail grid. */
JsonObject      *hs_datasets_page_get_detail      (HsDatasetsPage *self);
GListModel      *hs_datasets_page_get_classes     (HsDatasetsPage *self);
HsThumbnailGrid *hs_datasets_page_get_thumbnails  (HsDatasetsPage *self);

G_END_DECLS
