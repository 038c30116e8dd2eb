/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A dataset: labelled images normalised to size×size RGB (u8, NHWC), class
 * names, an optional group per image (font, theme, deck… — images of one
 * group never cross splits), seeded stratified train/val/test splits, and
 * free-form metadata (family, package, licence, description…).
 *
 * On disk (hs_dataset_save/load): one versioned file, "HSDS" header, the
 * tables and pixels, and a SHA-256 of everything before it.  Saving writes a
 * temporary file and renames it, so a failed save leaves nothing behind.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HS_DATASET_ERROR (hs_dataset_error_quark ())
GQuark hs_dataset_error_quark (void);

typedef enum {
  HS_DATASET_ERROR_IO,        /* reading or writing a file failed */
  HS_DATASET_ERROR_CORRUPT,   /* bad magic, truncated, checksum mismatch */
  HS_DATASET_ERROR_VERSION,   /* a newer format than this build reads */
  HS_DATASET_ERROR_INVALID,   /* bad input: too few classes, empty class… */
  HS_DATASET_ERROR_EXISTS,    /* a dataset of that name exists (use replace) */
  HS_DATASET_ERROR_NOT_FOUND, /* no dataset or task of that name */
  HS_DATASET_ERROR_MISSING,   /* a task's source package is not installed */
  HS_DATASET_ERROR_CANCELLED,
} HsDatasetError;

typedef enum {
  HS_SPLIT_TRAIN,
  HS_SPLIT_VAL,
  HS_SPLIT_TEST,
  HS_N_SPLITS
} HsSplit;

#define HS_DATASET_DEFAULT_SIZE 32

/* Long work reports progress as done/total with a short label ("fonts",
 * "class 3/10"…); returning is enough, there is no way to stop from here
 * (use the GCancellable). */
typedef void (*HsProgressFunc) (guint64 done, guint64 total, const char *what,
                                gpointer user_data);

typedef struct _HsDataset HsDataset;

HsDataset   *hs_dataset_new (const char *name, guint size);
void         hs_dataset_free (HsDataset *ds);

const char  *hs_dataset_get_name (HsDataset *ds);
void         hs_dataset_set_name (HsDataset *ds, const char *name);
guint        hs_dataset_get_size (HsDataset *ds);            /* width = height */
/* Metadata keys used across the project: "family", "package", "licence",
 * "description", "source" (where the images came from), "recipe-sha256". */
void         hs_dataset_set_meta (HsDataset *ds, const char *key, const char *value);
const char  *hs_dataset_get_meta (HsDataset *ds, const char *key); /* NULL if unset */
GStrv        hs_dataset_get_meta_keys (HsDataset *ds);

/* Classes keep the order they were added in. */
guint        hs_dataset_add_class (HsDataset *ds, const char *name); /* existing index if known */
gint         hs_dataset_lookup_class (HsDataset *ds, const char *name); /* -1 if unknown */
guint        hs_dataset_get_n_classes (HsDataset *ds);
const char  *hs_dataset_get_class_name (HsDataset *ds, guint class_index);

/* rgb holds size×size×3 bytes (see hs-image.h to get there).  group 0 means
 * "no group".  Splits are unassigned (train) until hs_dataset_make_splits. */
void         hs_dataset_add_image (HsDataset *ds, const guint8 *rgb, guint class_index,
                                   guint32 group);
gsize        hs_dataset_get_n_images (HsDataset *ds);
/* Appends every image of src (same image size) as a training image: its
 * classes are added as class_prefix + name (NULL: no prefix), its groups
 * are renumbered so they stay apart from ds's, and an image without a group
 * gets one of its own.  Splits are src's no more: call make_splits after. */
void         hs_dataset_append (HsDataset *ds, HsDataset *src, const char *class_prefix);
const guint8 *hs_dataset_get_image (HsDataset *ds, gsize index);
guint        hs_dataset_get_label (HsDataset *ds, gsize index);
guint32      hs_dataset_get_group (HsDataset *ds, gsize index);
HsSplit      hs_dataset_get_split (HsDataset *ds, gsize index);
/* Puts one image in a split by hand, for datasets whose split is given
 * rather than drawn (an official train/test division, a benchmark's fixed
 * held-out set); the per-class counts follow.  make_splits redraws every
 * image's split, so call this after it, not before. */
void         hs_dataset_set_split (HsDataset *ds, gsize index, HsSplit split);
/* Images of a class (G_MAXUINT: all classes) in a split (HS_N_SPLITS: all). */
gsize        hs_dataset_count (HsDataset *ds, guint class_index, HsSplit split);

/* Seeded, stratified splits.  Without groups, each class is shuffled and cut
 * by the fractions (at least one image per class in val and test).  With
 * groups, whole groups go to one split, chosen so each class's counts come
 * close to the fractions.  Errors (naming the class) when there are fewer
 * than 2 classes, or a class is empty or too small to appear in every split. */
gboolean     hs_dataset_make_splits (HsDataset *ds, guint64 seed, gdouble val_fraction,
                                     gdouble test_fraction, GError **error);
guint64      hs_dataset_get_split_seed (HsDataset *ds);
/* A copy with at most max_per_class[split] images of each class in each
 * split, a seeded random sample (same seed, same sample); splits, groups,
 * classes and metadata are kept.  For smaller versions of a task. */
HsDataset   *hs_dataset_subsample (HsDataset *ds, const guint max_per_class[HS_N_SPLITS],
                                   guint64 seed);

gboolean     hs_dataset_save (HsDataset *ds, const char *path, GError **error);
HsDataset   *hs_dataset_load (const char *path, GError **error);
/* Header only (name, size, counts, metadata) without reading the pixels —
 * for listings.  The returned dataset has no images. */
HsDataset   *hs_dataset_load_header (const char *path, gsize *n_images, GError **error);

/* A PNG contact sheet: one row per class (up to `per_class` samples, with the
 * class name), at `scale`× the image size. */
gboolean     hs_dataset_write_sheet (HsDataset *ds, const char *png_path, guint per_class,
                                     guint scale, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsDataset, hs_dataset_free)

G_END_DECLS
