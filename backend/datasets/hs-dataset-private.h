/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dataset's insides, shared by hs-dataset.c (memory and file),
 * hs-dataset-splits.c and hs-dataset-sheet.c, and the atomic file writer
 * that every saved file goes through.
 */
#pragma once

#include "hs-atomic-file.h"

#include <stdio.h>

#include "hs-dataset.h"

G_BEGIN_DECLS

struct _HsDataset
{
  char *name;
  guint size;
  GHashTable *meta;         /* char * → char * */
  GPtrArray *classes;       /* char *, in the order added */
  GHashTable *class_index;  /* class name → index + 1 */
  GByteArray *pixels;       /* n_images × size × size × 3 */
  GArray *labels;           /* guint32 per image */
  GArray *groups;           /* guint32 per image */
  GArray *splits;           /* guint8 (HsSplit) per image */
  /* guint64 per class and split (n_classes × HS_N_SPLITS), kept up to date
   * so listings need no pass over the images; a dataset read with
   * hs_dataset_load_header has these and no images. */
  GArray *counts;
  gsize n_images;
  gboolean header_only;
  guint64 split_seed;
};

static inline gsize
hs_dataset_image_bytes (HsDataset *ds)
{
  return (gsize) ds->size * ds->size * 3;
}

static inline guint64 *
hs_dataset_counts_of (HsDataset *ds, guint class_index)
{
  return &g_array_index (ds->counts, guint64, (gsize) class_index * HS_N_SPLITS);
}

/* Like hs_dataset_save; with !replace an existing file is an EXISTS error,
 * decided atomically when the file is put in place. */
gboolean hs_dataset_save_full (HsDataset *ds, const char *path, gboolean replace,
                               GError **error);


G_END_DECLS
