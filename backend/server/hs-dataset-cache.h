/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The datasets the API opened last (a few, most recently used first), so
 * that paging through a dataset's images and drawing its thumbnails read
 * the file once, not once a request.  A dataset is loaded in a thread; the
 * requests that want it while it loads wait for that one load.  Whoever
 * replaces or deletes a dataset's file calls hs_dataset_cache_forget ().
 * Main context only.
 */
#pragma once

#include "hs-dataset.h"

G_BEGIN_DECLS

typedef struct _HsDatasetCache HsDatasetCache;

/* Keeps up to `capacity` datasets open. */
HsDatasetCache *hs_dataset_cache_new (guint capacity);
void            hs_dataset_cache_free (HsDatasetCache *cache);

/* The open dataset of that name, now (and it becomes the most recently
 * used), or NULL.  Borrowed: valid until the caller returns to the main
 * loop. */
HsDataset      *hs_dataset_cache_lookup (HsDatasetCache *cache, const char *name);

/* dataset (borrowed, valid during the call) or NULL and error. */
typedef void (*HsDatasetCacheFunc) (HsDataset *dataset, const GError *error, gpointer data);

/* Calls func with the dataset `name`, read from `path` in a thread unless
 * it is open already (then func runs before this returns).  While a load of
 * that name is under way, func waits for it rather than starting another. */
void            hs_dataset_cache_open (HsDatasetCache *cache, const char *name,
                                       const char *path, HsDatasetCacheFunc func,
                                       gpointer data);

/* The dataset's file was replaced or deleted: closes it, and a load under
 * way is handed to its waiters but not kept. */
void            hs_dataset_cache_forget (HsDatasetCache *cache, const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsDatasetCache, hs_dataset_cache_free)

G_END_DECLS
