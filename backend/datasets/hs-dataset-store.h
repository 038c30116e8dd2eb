/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where datasets live.  Imported datasets: $HS_DATA_DIR, else
 * $XDG_DATA_HOME/hyperstar, under datasets/NAME.hsds.  Rebuildable caches
 * (built catalog tasks): $HS_CACHE_DIR, else $XDG_CACHE_HOME/hyperstar,
 * under tasks/NAME.hsds.
 */
#pragma once

#include "hs-dataset.h"

G_BEGIN_DECLS

char      *hs_data_dir (void);
char      *hs_cache_dir (void);

/* Dataset names: 1–64 characters of [A-Za-z0-9._-], not starting with '.'. */
gboolean   hs_dataset_name_is_valid (const char *name, GError **error);

char      *hs_dataset_store_path (const char *name);
gboolean   hs_dataset_store_exists (const char *name);
/* EXISTS error when the name is taken and !replace. */
gboolean   hs_dataset_store_save (HsDataset *ds, gboolean replace, GError **error);
HsDataset *hs_dataset_store_load (const char *name, GError **error);
gboolean   hs_dataset_store_delete (const char *name, GError **error);
/* Sorted names of the imported datasets. */
GStrv      hs_dataset_store_list (GError **error);

G_END_DECLS
