/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the importers share: the list of files to decode, the parallel
 * decoder that fills the dataset in list order, skip reports, and the
 * common last steps.
 */
#pragma once

#include "hs-import.h"

G_BEGIN_DECLS

typedef struct
{
  char *path;         /* to open (file-name encoding) */
  char *shown;        /* for the report (file-name encoding; displayed later) */
  guint class_index;
} HsImportItem;

GPtrArray *hs_import_items_new (void);
void       hs_import_items_add (GPtrArray *items, const char *path, const char *shown,
                                guint class_index);

/* `file` is in the file-name encoding; the report keeps its display name. */
void       hs_import_report_skip (HsImportReport *report, const char *file,
                                  const char *reason);

/* Options with the defaults filled in where `options` is NULL. */
void       hs_import_options_resolve (const HsImportOptions *options, HsImportOptions *out);

/* Decodes every item (several threads), adds the good ones to ds in list
 * order so the result does not depend on timing, and reports the others. */
gboolean   hs_import_decode (HsDataset *ds, GPtrArray *items, const HsImportOptions *options,
                             HsImportReport *report, GCancellable *cancellable,
                             GError **error);

/* The common end: the metadata, the class checks, the splits, the report's
 * count.  Returns ds, or NULL (and frees it) with the error. */
HsDataset *hs_import_finish (HsDataset *ds, const char *source, const char *importer,
                             const HsImportOptions *options, HsImportReport *report,
                             GError **error);

gboolean   hs_import_cancelled (GCancellable *cancellable, GError **error);

/* Orders "2" before "10", so class folders and files come in the order a
 * person expects; a total order on bytes. */
int        hs_natural_compare (const char *a, const char *b);

G_END_DECLS
