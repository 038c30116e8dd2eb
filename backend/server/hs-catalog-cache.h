/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in catalog (hs-catalog.h), read once per daemon when first
 * needed and shared by the routes, the queue and the trial runner, instead
 * of parsing every recipe file on each request.  The recipes are read-only
 * once loaded; a failed read is tried again on the next call.  Safe to use
 * from several threads.
 */
#pragma once

#include "hs-catalog.h"

G_BEGIN_DECLS

typedef struct _HsCatalogCache HsCatalogCache;

/* dir: the recipe folder (NULL: hs_catalog_dir () when first needed). */
HsCatalogCache *hs_catalog_cache_new (const char *dir);
void            hs_catalog_cache_free (HsCatalogCache *cache);

/* The recipes (HsTaskRecipe, by name), owned by the cache and valid as long
 * as it lives; NULL and the reason when the catalog cannot be read. */
GPtrArray      *hs_catalog_cache_get (HsCatalogCache *cache, GError **error);
/* The recipe of a task, or NULL (also when the catalog cannot be read). */
HsTaskRecipe   *hs_catalog_cache_find (HsCatalogCache *cache, const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsCatalogCache, hs_catalog_cache_free)

G_END_DECLS
