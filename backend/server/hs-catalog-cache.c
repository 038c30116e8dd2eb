/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalog, read once (see hs-catalog-cache.h).
 */
#define G_LOG_DOMAIN "hyperstard"

#include "hs-catalog-cache.h"

struct _HsCatalogCache
{
  GMutex lock;
  char *dir;
  GPtrArray *catalog;  /* NULL until read */
};

HsCatalogCache *
hs_catalog_cache_new (const char *dir)
{
  HsCatalogCache *cache = g_new0 (HsCatalogCache, 1);

  g_mutex_init (&cache->lock);
  cache->dir = g_strdup (dir);
  return cache;
}

void
hs_catalog_cache_free (HsCatalogCache *cache)
{
  if (cache == NULL)
    return;
  g_clear_pointer (&cache->catalog, g_ptr_array_unref);
  g_free (cache->dir);
  g_mutex_clear (&cache->lock);
  g_free (cache);
}

GPtrArray *
hs_catalog_cache_get (HsCatalogCache *cache, GError **error)
{
  GPtrArray *catalog;

  g_return_val_if_fail (cache != NULL, NULL);

  g_mutex_lock (&cache->lock);
  if (cache->catalog == NULL)
    {
      g_autofree char *dir = cache->dir ? g_strdup (cache->dir) : hs_catalog_dir ();
      cache->catalog = hs_catalog_load (dir, error);
    }
  catalog = cache->catalog;
  g_mutex_unlock (&cache->lock);
  return catalog;
}

HsTaskRecipe *
hs_catalog_cache_find (HsCatalogCache *cache, const char *name)
{
  GPtrArray *catalog = hs_catalog_cache_get (cache, NULL);

  return catalog != NULL ? hs_catalog_find (catalog, name) : NULL;
}
