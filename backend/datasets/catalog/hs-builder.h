/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the catalog's builders share (private to backend/datasets).
 *
 * A builder reads its recipe's [Source] keys, registers the classes and
 * offers candidates: cheap descriptions of one image each (a font and a
 * character, an index into an IDX file, an SVG element…) with the group the
 * image belongs to.  hs-build.c then takes each class's candidates in a
 * seeded order and asks the builder to render them one at a time until the
 * class has max-per-class images, dropping blank renders.  So a capped task
 * never renders what it would throw away, and every builder gets the same
 * capping, blank check, progress and cancellation.
 */
#pragma once

#include "hs-catalog.h"

G_BEGIN_DECLS

typedef struct _HsBuild HsBuild;

/* Renders one candidate into rgb (size×size×3, see hs_build_fit).
 * FALSE without an error skips the candidate (not covered by the font,
 * unreadable file…); FALSE with an error stops the build. */
typedef gboolean (*HsRenderFunc) (HsBuild *build, gpointer item, guint8 *rgb, GError **error);

/* Reads the recipe, registers classes and candidates, and sets the render
 * function.  Errors name the recipe file and key. */
typedef gboolean (*HsBuilderFunc) (HsBuild *build, GError **error);

/* Bumped whenever a builder would draw different images from the same
 * recipe: a cache made by another version is stale. */
#define HS_CATALOG_VERSION "2"

HsBuilderFunc hs_builder_lookup (const char *name);

/* The builders (catalog/hs-builder-*.c). */
gboolean hs_builder_idx (HsBuild *build, GError **error);
gboolean hs_builder_digits (HsBuild *build, GError **error);
gboolean hs_builder_glyphs (HsBuild *build, GError **error);
gboolean hs_builder_emoji (HsBuild *build, GError **error);
gboolean hs_builder_svg (HsBuild *build, GError **error);
gboolean hs_builder_icons (HsBuild *build, GError **error);
gboolean hs_builder_symbols (HsBuild *build, GError **error);
gboolean hs_builder_textures (HsBuild *build, GError **error);
gboolean hs_builder_hershey (HsBuild *build, GError **error);

/* Runs a whole build: the builder, then rendering, then the dataset. */
HsDataset *hs_build_run (HsTaskRecipe *recipe, HsBuilderFunc builder, HsProgressFunc progress,
                         gpointer progress_data, GCancellable *cancellable, GError **error);

HsTaskRecipe *hs_build_get_recipe (HsBuild *build);
guint         hs_build_get_size (HsBuild *build);
guint64       hs_build_get_seed (HsBuild *build);
GCancellable *hs_build_get_cancellable (HsBuild *build);
/* Reports progress while a builder prepares (scanning fonts…). */
void          hs_build_progress (HsBuild *build, guint64 done, guint64 total, const char *what);
/* Free-form text recorded as the dataset's "source" metadata. */
void          hs_build_set_source (HsBuild *build, const char *source);

/* [Source] keys.  A missing key is an error naming the file and key unless
 * a fallback is given; a malformed one always is. */
char     *hs_build_get_string (HsBuild *build, const char *key, const char *fallback,
                               GError **error);
/* NULL with no error when the key is absent and not required. */
GStrv     hs_build_get_list (HsBuild *build, const char *key, gboolean required, GError **error);
gboolean  hs_build_get_int (HsBuild *build, const char *key, gint fallback, gint min, gint max,
                            gint *value, GError **error);
gboolean  hs_build_get_bool (HsBuild *build, const char *key, gboolean fallback, gboolean *value,
                             GError **error);
/* Checks a [Source] key that picks one of a few words (label=, group-by=,
 * format=…): value (as hs_build_get_string returned it) against the
 * NULL-terminated choices.  The index of the match, else -1 with an
 * INVALID error "“VALUE” is not A, B or C", so every builder words it
 * alike. */
gint      hs_build_check_choice (HsBuild *build, const char *key, const char *value,
                                 const char *const *choices, GError **error);
/* An INVALID error "FILE: [Source] KEY: message". */
void      hs_build_key_error (HsBuild *build, GError **error, const char *group, const char *key,
                              const char *format, ...) G_GNUC_PRINTF (5, 6);

guint     hs_build_add_class (HsBuild *build, const char *name);
guint     hs_build_get_n_classes (HsBuild *build);
/* group: what near-duplicates share (font, theme, deck…); NULL for none.
 * The build owns item and frees it with the function given to set_render. */
void      hs_build_add_candidate (HsBuild *build, guint class_index, const char *group,
                                  gpointer item);
void      hs_build_set_render (HsBuild *build, HsRenderFunc render, GDestroyNotify item_free,
                               gpointer builder_data, GDestroyNotify builder_data_free);
gpointer  hs_build_get_builder_data (HsBuild *build);

/* Fits decoded pixels (as hs_image_fit) into rgb and says whether the result
 * is worth keeping (not blank). */
gboolean  hs_build_fit (HsBuild *build, const guint8 *pixels, guint width, guint height,
                        gsize rowstride, guint n_channels, guint8 *rgb);

/* A file of a Debian package: the installed one when the package is
 * installed, else, for a package the recipe lists under fetch=, the copy
 * unpacked into the cache by `apt-get download` + `dpkg-deb`.  path is
 * absolute as in the package ("/usr/share/…") and may name a directory.
 * MISSING error when neither works. */
/* Where fetched packages are unpacked: the cache's packages/ folder. */
char     *hs_task_fetch_root (void);
char     *hs_build_package_file (HsBuild *build, const char *package, const char *path,
                                 GError **error);

/* The source package named by [Source] package=, else the recipe's first. */
char     *hs_build_get_package (HsBuild *build);
/* Resolves a [Source] key holding a path of the source package. */
char     *hs_build_get_package_file (HsBuild *build, const char *key, GError **error);
/* A big-endian 32-bit integer, as IDX and GIMP pattern headers store them. */
guint32   hs_build_read_be32 (const guint8 *p);
/* A whole file, gunzipped when its name ends in .gz. */
GBytes   *hs_build_read_file (const char *path, GError **error);

G_END_DECLS
