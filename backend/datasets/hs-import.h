/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Importers: a folder with one sub-folder per class (any image gdk-pixbuf
 * reads: PNG, JPEG, GIF, BMP, TIFF, WebP with webp-pixbuf-loader, SVG with
 * librsvg; recursive inside each class folder; hidden files ignored), IDX
 * files (MNIST format, gzipped or not), and a CSV of `path,label` (paths
 * relative to the CSV's folder).
 *
 * Unreadable, corrupt or truncated images are skipped and listed in the
 * report; they never stop the import.  Structural problems (no classes, fewer
 * than 2, an empty class, a class too small for the splits) are errors naming
 * the class.  The returned dataset has its splits made.
 */
#pragma once

#include "hs-dataset.h"

G_BEGIN_DECLS

typedef struct {
  char *file;    /* as found on disk, displayable (UTF-8 via g_filename_display_name) */
  char *reason;
} HsImportSkip;

typedef struct {
  GPtrArray *skipped;  /* HsImportSkip */
  gsize imported;
} HsImportReport;

HsImportReport *hs_import_report_new (void);
void            hs_import_report_free (HsImportReport *report);
/* {"name", "classes": {name: count}, "imported", "skipped": [{"file", "reason"}]} */
char           *hs_import_report_to_json (HsImportReport *report, HsDataset *ds);

typedef struct {
  guint size;             /* image size, default HS_DATASET_DEFAULT_SIZE */
  guint64 seed;           /* split seed */
  gdouble val_fraction;   /* default 0.15 */
  gdouble test_fraction;  /* default 0.15 */
  HsProgressFunc progress;
  gpointer progress_data;
  /* IDX: the names of labels 0, 1, 2…; NULL: the label numbers themselves. */
  const char * const *class_names;
} HsImportOptions;

void       hs_import_options_init (HsImportOptions *options);

/* Picks the importer from what `path` is: a folder, an IDX images file (its
 * labels file found beside it: train-images… → train-labels…), or a .csv. */
HsDataset *hs_import (const char *path, const char *name, const HsImportOptions *options,
                      HsImportReport *report, GCancellable *cancellable, GError **error);
HsDataset *hs_import_folder (const char *dir, const char *name, const HsImportOptions *options,
                             HsImportReport *report, GCancellable *cancellable, GError **error);
HsDataset *hs_import_idx (const char *images, const char *labels, const char *name,
                          const HsImportOptions *options, HsImportReport *report,
                          GCancellable *cancellable, GError **error);
HsDataset *hs_import_csv (const char *csv, const char *name, const HsImportOptions *options,
                          HsImportReport *report, GCancellable *cancellable, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsImportReport, hs_import_report_free)

G_END_DECLS
