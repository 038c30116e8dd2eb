/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where datasets live, and how names map to files (see hs-dataset-store.h).
 */
#define G_LOG_DOMAIN "hs-datasets"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hs-dataset-private.h"
#include "hs-dataset-store.h"

#define SUFFIX ".hsds"
#define MAX_NAME 64

static char *
dir_from_env (const char *variable, const char *base)
{
  const char *dir = g_getenv (variable);

  if (dir != NULL && dir[0] != '\0')
    return g_strdup (dir);
  return g_build_filename (base, "hyperstar", NULL);
}

char *
hs_data_dir (void)
{
  return dir_from_env ("HS_DATA_DIR", g_get_user_data_dir ());
}

char *
hs_cache_dir (void)
{
  return dir_from_env ("HS_CACHE_DIR", g_get_user_cache_dir ());
}

static char *
datasets_dir (void)
{
  g_autofree char *data = hs_data_dir ();

  return g_build_filename (data, "datasets", NULL);
}

gboolean
hs_dataset_name_is_valid (const char *name, GError **error)
{
  gsize len = name != NULL ? strlen (name) : 0;

  if (len == 0 || len > MAX_NAME)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                   "a dataset name has 1 to %d characters (got %zu)", MAX_NAME, len);
      return FALSE;
    }
  if (name[0] == '.')
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                   "a dataset name cannot start with “.”");
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
      {
        g_autofree char *shown = g_utf8_make_valid (name, -1);

        g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                     "“%s” is not a valid dataset name: use letters, digits, “.”, "
                     "“_” and “-”", shown);
        return FALSE;
      }
  return TRUE;
}

char *
hs_dataset_store_path (const char *name)
{
  g_autofree char *dir = datasets_dir ();
  g_autofree char *file = g_strconcat (name, SUFFIX, NULL);

  return g_build_filename (dir, file, NULL);
}

gboolean
hs_dataset_store_exists (const char *name)
{
  g_autofree char *path = NULL;

  if (!hs_dataset_name_is_valid (name, NULL))
    return FALSE;
  path = hs_dataset_store_path (name);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

static void
set_exists_error (GError **error, const char *name)
{
  g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_EXISTS,
               "a dataset named “%s” already exists (use --replace to overwrite it)", name);
}

gboolean
hs_dataset_store_save (HsDataset *ds, gboolean replace, GError **error)
{
  const char *name = hs_dataset_get_name (ds);
  g_autofree char *dir = datasets_dir ();
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!hs_dataset_name_is_valid (name, error))
    return FALSE;
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int errsv = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_IO,
                   "Cannot create the dataset folder “%s”: %s", display, g_strerror (errsv));
      return FALSE;
    }
  path = hs_dataset_store_path (name);
  /* Checked first so a taken name fails before the file is written; the
   * save itself refuses to overwrite too, for a name taken meanwhile. */
  if (!replace && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      set_exists_error (error, name);
      return FALSE;
    }
  if (!hs_dataset_save_full (ds, path, replace, &local_error))
    {
      if (g_error_matches (local_error, HS_DATASET_ERROR, HS_DATASET_ERROR_EXISTS))
        set_exists_error (error, name);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_known (const char *name, const char *path, GError **error)
{
  if (!hs_dataset_name_is_valid (name, error))
    return FALSE;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_NOT_FOUND,
                   "no dataset named “%s”", name);
      return FALSE;
    }
  return TRUE;
}

HsDataset *
hs_dataset_store_load (const char *name, GError **error)
{
  g_autofree char *path = name != NULL ? hs_dataset_store_path (name) : NULL;

  if (!check_known (name, path, error))
    return NULL;
  return hs_dataset_load (path, error);
}

gboolean
hs_dataset_store_delete (const char *name, GError **error)
{
  g_autofree char *path = name != NULL ? hs_dataset_store_path (name) : NULL;

  if (!check_known (name, path, error))
    return FALSE;
  if (g_unlink (path) != 0)
    {
      int errsv = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_IO, "Cannot delete “%s”: %s",
                   display, g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
hs_dataset_store_list (GError **error)
{
  g_autofree char *dir_path = datasets_dir ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &local_error);
  const char *entry;

  if (dir == NULL)
    {
      /* Nothing imported yet. */
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_new0 (char *, 1);
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_IO, "%s", local_error->message);
      return NULL;
    }
  /* Temporary files of a save in progress are hidden, hence skipped as
   * invalid names. */
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (entry, SUFFIX))
      {
        g_autofree char *name = g_strndup (entry, strlen (entry) - strlen (SUFFIX));

        if (hs_dataset_name_is_valid (name, NULL))
          g_ptr_array_add (names, g_steal_pointer (&name));
      }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}
