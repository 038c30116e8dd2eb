/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The last datasets the API opened (see hs-dataset-cache.h).
 */
#define G_LOG_DOMAIN "hyperstard"

#include "hs-dataset-cache.h"

typedef struct {
  char *name;
  HsDataset *dataset;
} Entry;

typedef struct {
  HsDatasetCacheFunc func;
  gpointer data;
} Waiter;

/* One load in a thread, and who waits for it. */
typedef struct {
  HsDatasetCache *cache;  /* NULL once the cache is gone or forgot the name */
  char *name;
  char *path;
  GArray *waiters;        /* Waiter */
} Load;

struct _HsDatasetCache
{
  guint capacity;
  GQueue open;            /* Entry, most recently used first */
  GHashTable *loads;      /* name → Load */
};

static void
entry_free (Entry *entry)
{
  g_free (entry->name);
  g_clear_pointer (&entry->dataset, hs_dataset_free);
  g_free (entry);
}

static void
load_free (Load *load)
{
  g_free (load->name);
  g_free (load->path);
  g_array_unref (load->waiters);
  g_free (load);
}

static void
orphan_load (gpointer data)
{
  Load *load = data;
  load->cache = NULL;
}

HsDatasetCache *
hs_dataset_cache_new (guint capacity)
{
  HsDatasetCache *cache = g_new0 (HsDatasetCache, 1);

  cache->capacity = MAX (capacity, 1);
  g_queue_init (&cache->open);
  cache->loads = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, orphan_load);
  return cache;
}

void
hs_dataset_cache_free (HsDatasetCache *cache)
{
  if (cache == NULL)
    return;
  g_queue_clear_full (&cache->open, (GDestroyNotify) entry_free);
  g_hash_table_unref (cache->loads);
  g_free (cache);
}

static GList *
find_open (HsDatasetCache *cache, const char *name)
{
  for (GList *l = cache->open.head; l != NULL; l = l->next)
    if (g_str_equal (((Entry *) l->data)->name, name))
      return l;
  return NULL;
}

HsDataset *
hs_dataset_cache_lookup (HsDatasetCache *cache, const char *name)
{
  GList *link = find_open (cache, name);

  if (link == NULL)
    return NULL;
  g_queue_unlink (&cache->open, link);
  g_queue_push_head_link (&cache->open, link);
  return ((Entry *) link->data)->dataset;
}

static void
keep_open (HsDatasetCache *cache, const char *name, HsDataset *dataset)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->name = g_strdup (name);
  entry->dataset = dataset;
  g_queue_push_head (&cache->open, entry);
  while (cache->open.length > cache->capacity)
    entry_free (g_queue_pop_tail (&cache->open));
}

static void
load_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Load *load = data;
  GError *error = NULL;
  HsDataset *dataset = hs_dataset_load (load->path, &error);

  if (dataset == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, dataset, (GDestroyNotify) hs_dataset_free);
}

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer data)
{
  Load *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(HsDataset) dataset = g_task_propagate_pointer (G_TASK (result), &error);
  HsDatasetCache *cache = load->cache;

  if (cache == NULL)
    g_debug ("dataset %s: loaded, but no longer wanted", load->name);
  else
    g_hash_table_steal (cache->loads, load->name);
  /* The waiters see it before it can be evicted by anything they do. */
  for (guint i = 0; i < load->waiters->len; i++)
    {
      Waiter *w = &g_array_index (load->waiters, Waiter, i);
      w->func (dataset, error, w->data);
    }
  if (cache != NULL && dataset != NULL)
    keep_open (cache, load->name, g_steal_pointer (&dataset));
}

void
hs_dataset_cache_open (HsDatasetCache *cache, const char *name, const char *path,
                       HsDatasetCacheFunc func, gpointer data)
{
  HsDataset *dataset = hs_dataset_cache_lookup (cache, name);
  Waiter waiter = { func, data };
  g_autoptr(GTask) task = NULL;
  Load *load;

  if (dataset != NULL)
    {
      func (dataset, NULL, data);
      return;
    }
  if ((load = g_hash_table_lookup (cache->loads, name)) != NULL)
    {
      g_array_append_val (load->waiters, waiter);
      return;
    }
  load = g_new0 (Load, 1);
  load->cache = cache;
  load->name = g_strdup (name);
  load->path = g_strdup (path);
  load->waiters = g_array_new (FALSE, FALSE, sizeof (Waiter));
  g_array_append_val (load->waiters, waiter);
  g_hash_table_insert (cache->loads, load->name, load);
  task = g_task_new (NULL, NULL, on_loaded, NULL);
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  g_task_run_in_thread (task, load_thread);
}

void
hs_dataset_cache_forget (HsDatasetCache *cache, const char *name)
{
  GList *link = find_open (cache, name);

  if (link != NULL)
    {
      entry_free (link->data);
      g_queue_delete_link (&cache->open, link);
    }
  g_hash_table_remove (cache->loads, name);
}
