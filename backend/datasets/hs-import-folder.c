/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Importing a folder with one sub-folder per class.
 *
 * Each class folder is walked recursively in natural name order, so the
 * dataset comes out the same on every run.  Hidden files and folders (dot
 * names: .DS_Store, .thumbnails, .git) are not pictures anyone meant to
 * import and are passed over silently; everything else that is not
 * imported is reported with the reason.  Symbolic links are followed, but
 * every folder is visited once (by device and inode), which ends loops and
 * keeps a picture reached by two paths from counting twice.  Files that are
 * not regular (FIFOs, sockets, devices) are reported and never opened: a
 * FIFO would block the import forever.
 */
#define G_LOG_DOMAIN "hs-datasets"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "hs-dataset-store.h"
#include "hs-import-private.h"

/* Deeper than any real photo collection, shallow enough to stop a runaway. */
#define MAX_DEPTH 32

typedef struct
{
  GPtrArray *items;
  GHashTable *visited;   /* "dev:inode" of folders seen in this class */
  HsImportReport *report;
  GCancellable *cancellable;
  guint class_index;
} Walk;

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  return hs_natural_compare (*(const char * const *) a, *(const char * const *) b);
}

/* The visible entries of a folder, sorted; NULL with errno set. */
static GPtrArray *
list_folder (const char *path)
{
  DIR *dir = opendir (path);
  GPtrArray *names;
  struct dirent *entry;

  if (dir == NULL)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((entry = readdir (dir)) != NULL)
    if (entry->d_name[0] != '.')
      g_ptr_array_add (names, g_strdup (entry->d_name));
  closedir (dir);
  g_ptr_array_sort (names, compare_entries);
  return names;
}

/* stat() through links; the reason when that fails. */
static char *
stat_entry (const char *path, GStatBuf *st)
{
  GStatBuf link_st;
  int errsv;

  if (g_stat (path, st) == 0)
    return NULL;
  errsv = errno;
  if (errsv == ELOOP)
    return g_strdup ("symbolic link loop");
  if (g_lstat (path, &link_st) == 0 && S_ISLNK (link_st.st_mode))
    return g_strdup ("broken symbolic link");
  return g_strdup_printf ("cannot read: %s", g_strerror (errsv));
}

static void
walk (Walk *w, const char *path, const char *shown, GStatBuf *st, guint depth)
{
  g_autofree char *key = g_strdup_printf ("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT,
                                          (guint64) st->st_dev, (guint64) st->st_ino);
  g_autoptr(GPtrArray) names = NULL;

  if (g_hash_table_contains (w->visited, key))
    {
      hs_import_report_skip (w->report, shown,
                             "folder already visited (a symbolic link loops back to it)");
      return;
    }
  g_hash_table_add (w->visited, g_steal_pointer (&key));
  if (depth > MAX_DEPTH)
    {
      hs_import_report_skip (w->report, shown, "folder nested too deep");
      return;
    }
  names = list_folder (path);
  if (names == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("cannot open folder: %s",
                                                 g_strerror (errno));

      hs_import_report_skip (w->report, shown, reason);
      return;
    }

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *child_shown = g_build_filename (shown, name, NULL);
      g_autofree char *reason = NULL;
      GStatBuf child_st;

      if (g_cancellable_is_cancelled (w->cancellable))
        return;
      reason = stat_entry (child, &child_st);
      if (reason != NULL)
        hs_import_report_skip (w->report, child_shown, reason);
      else if (S_ISDIR (child_st.st_mode))
        walk (w, child, child_shown, &child_st, depth + 1);
      else if (S_ISREG (child_st.st_mode))
        hs_import_items_add (w->items, child, child_shown, w->class_index);
      else
        hs_import_report_skip (w->report, child_shown, "not a regular file");
    }
}

HsDataset *
hs_import_folder (const char *dir, const char *name, const HsImportOptions *options,
                  HsImportReport *report, GCancellable *cancellable, GError **error)
{
  g_autoptr(HsDataset) ds = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) items = hs_import_items_new ();
  g_autofree char *dir_shown = NULL;
  HsImportOptions opts;

  g_return_val_if_fail (dir != NULL, NULL);

  hs_import_options_resolve (options, &opts);
  if (!hs_dataset_name_is_valid (name, error))
    return NULL;

  dir_shown = g_filename_display_name (dir);
  names = list_folder (dir);
  if (names == NULL)
    {
      int errsv = errno;

      g_set_error (error, HS_DATASET_ERROR,
                   errsv == ENOENT ? HS_DATASET_ERROR_NOT_FOUND : HS_DATASET_ERROR_IO,
                   "Cannot open “%s”: %s", dir_shown, g_strerror (errsv));
      return NULL;
    }

  ds = hs_dataset_new (name, opts.size);
  for (guint i = 0; i < names->len; i++)
    {
      const char *entry = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir, entry, NULL);
      g_autofree char *reason = NULL;
      GStatBuf st;

      reason = stat_entry (path, &st);
      if (reason != NULL)
        hs_import_report_skip (report, entry, reason);
      else if (S_ISDIR (st.st_mode))
        {
          g_autofree char *class_name = g_filename_display_name (entry);
          g_autoptr(GHashTable) visited = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                                 g_free, NULL);
          Walk w = { items, visited, report, cancellable, 0 };

          w.class_index = hs_dataset_add_class (ds, class_name);
          walk (&w, path, entry, &st, 0);
        }
      else
        hs_import_report_skip (report, entry,
                               "not in a class folder (put each class's images in a "
                               "sub-folder named after the class)");
    }
  if (hs_import_cancelled (cancellable, error))
    return NULL;
  if (hs_dataset_get_n_classes (ds) == 0)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                   "“%s” has no class folders: put the images of each class in a "
                   "sub-folder named after the class", dir_shown);
      return NULL;
    }
  if (hs_dataset_get_n_classes (ds) == 1)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                   "“%s” has only one class folder (“%s”); a classifier needs at least 2",
                   dir_shown, hs_dataset_get_class_name (ds, 0));
      return NULL;
    }

  if (!hs_import_decode (ds, items, &opts, report, cancellable, error))
    return NULL;
  for (guint c = 0; c < hs_dataset_get_n_classes (ds); c++)
    if (hs_dataset_count (ds, c, HS_N_SPLITS) == 0)
      {
        g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                     "class “%s” has no images that could be read%s",
                     hs_dataset_get_class_name (ds, c),
                     report != NULL && report->skipped->len > 0
                     ? " (see the skipped files)" : "");
        return NULL;
      }
  return hs_import_finish (g_steal_pointer (&ds), dir, "folder", &opts, report, error);
}
