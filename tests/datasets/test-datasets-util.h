/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the dataset tests: a private data/cache folder per test
 * program, and small pictures written in every format the importers read.
 */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "hs-dataset.h"

G_BEGIN_DECLS

/* g_test_init, then a temporary folder for the whole run with HS_DATA_DIR
 * and HS_CACHE_DIR inside it (removed at exit unless HS_TEST_KEEP is set). */
void       td_init (int *argc, char ***argv);
/* The run's temporary folder. */
const char *td_tmp (void);
/* A new empty folder under it. */
char      *td_mkdir (const char *name);
void       td_rm_rf (const char *path);

/* A w×h picture: a solid colour, with a small darker square in the middle
 * when `marked`, saved with gdk-pixbuf (png, jpeg, bmp, tiff, webp). */
void       td_write_picture (const char *path, const char *format, int w, int h,
                             guint32 rgb, gboolean marked);
/* GIF has no gdk-pixbuf saver: a solid-colour GIF89a written by hand. */
void       td_write_gif (const char *path, int w, int h, guint32 rgb);
/* An SVG (text): a filled circle of colour `rgb` on a transparent ground. */
void       td_write_svg (const char *path, guint32 rgb);
/* The first `keep` bytes of `src`, as `dst`. */
void       td_write_truncated (const char *src, const char *dst, gsize keep);
void       td_write_bytes (const char *path, const void *data, gsize n);

/* The mean colour of a dataset image's centre (8×8). */
void       td_centre_colour (HsDataset *ds, gsize index, double rgb[3]);
/* Fails the test unless the colour is within tol of rgb (each channel). */
void       td_assert_colour (const double got[3], guint32 rgb, double tol);

/* A dataset of solid-colour images: counts[c] images of class c, groups
 * from group_of (NULL: none). */
HsDataset *td_make_dataset (const char *name, guint n_classes, const guint *counts,
                            guint32 (*group_of) (guint klass, guint index));

/* Does `message` contain `part`? (a readable failure when not) */
void       td_assert_contains (const char *message, const char *part);

G_END_DECLS
