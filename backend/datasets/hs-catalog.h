/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in catalog: one recipe per task in data/tasks/NAME.task (a
 * GKeyFile; see data/tasks/README.md for the keys), built from Debian
 * packages into the cache (hs-dataset-store.h).  A recipe whose package is
 * missing is reported and skipped, never faked.
 */
#pragma once

#include "hs-dataset.h"

G_BEGIN_DECLS

typedef struct {
  char *name;
  char *family;       /* digits, letters, scripts, clothing, emoji, icons, symbols, cards, textures… */
  char *description;
  char **packages;    /* Debian packages the task needs */
  char *licence;
  char *builder;      /* which builder renders or reads the images */
  char *path;         /* the recipe file */
  char *sha256;       /* of the recipe file */
  GKeyFile *keyfile;  /* the whole recipe, for the builder */
} HsTaskRecipe;

void          hs_task_recipe_free (HsTaskRecipe *recipe);

/* The recipe folder: $HS_TASKS_DIR, else the source tree's data/tasks when
 * running from the build tree, else the installed one. */
char         *hs_catalog_dir (void);
/* The pretraining corpus's recipes (same format, never part of the
 * catalog): $HS_PRETRAIN_DIR, else data/pretrain, else the installed one. */
char         *hs_pretrain_dir (void);
/* Search spaces and grids (data/spaces, $HS_SPACES_DIR), and meta-datasets
 * (data/meta, $HS_META_DIR), found the same way. */
char         *hs_spaces_dir (void);
char         *hs_meta_dir (void);
/* Every recipe in dir (NULL: hs_catalog_dir()), sorted by name.  A recipe
 * that does not parse is an error naming the file and key. */
GPtrArray    *hs_catalog_load (const char *dir, GError **error);
HsTaskRecipe *hs_catalog_find (GPtrArray *catalog, const char *name);

/* NULL when every package is installed, else a newly allocated
 * space-separated list of the missing ones. */
char         *hs_task_missing_packages (HsTaskRecipe *recipe);
char         *hs_task_cache_path (HsTaskRecipe *recipe);
/* Built, from this very recipe (its checksum matches) and by this version of
 * the builders (HS_CATALOG_VERSION matches)? */
gboolean      hs_task_is_built (HsTaskRecipe *recipe);
/* Renders or reads the task's images, makes the splits and saves the cache
 * file.  MISSING error when a package is absent. */
HsDataset    *hs_task_build (HsTaskRecipe *recipe, HsProgressFunc progress, gpointer data,
                             GCancellable *cancellable, GError **error);
/* The cached dataset (building it first when needed). */
HsDataset    *hs_task_load (HsTaskRecipe *recipe, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTaskRecipe, hs_task_recipe_free)

G_END_DECLS
