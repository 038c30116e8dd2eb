/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hs-catalog"

#include <string.h>

#include "hs-builder.h"
#include "hs-catalog.h"
#include "hs-dataset-store.h"
#include "hs-packages.h"

#define TASK_GROUP "Task"

void
hs_task_recipe_free (HsTaskRecipe *recipe)
{
  if (recipe == NULL)
    return;
  g_free (recipe->name);
  g_free (recipe->family);
  g_free (recipe->description);
  g_strfreev (recipe->packages);
  g_free (recipe->licence);
  g_free (recipe->builder);
  g_free (recipe->path);
  g_free (recipe->sha256);
  g_clear_pointer (&recipe->keyfile, g_key_file_unref);
  g_free (recipe);
}

/* $env_var, else the source tree's folder while it exists (so a build tree
 * never runs against stale installed copies), else the installed one. */
static char *
data_dir (const char *env_var, const char *source_dir, const char *installed_dir)
{
  const char *env = g_getenv (env_var);

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (g_file_test (source_dir, G_FILE_TEST_IS_DIR))
    return g_strdup (source_dir);
  return g_strdup (installed_dir);
}

char *
hs_catalog_dir (void)
{
  return data_dir ("HS_TASKS_DIR", HS_SOURCE_TASKS_DIR, HS_INSTALLED_TASKS_DIR);
}

char *
hs_spaces_dir (void)
{
  return data_dir ("HS_SPACES_DIR", HS_SOURCE_SPACES_DIR, HS_INSTALLED_SPACES_DIR);
}

char *
hs_meta_dir (void)
{
  return data_dir ("HS_META_DIR", HS_SOURCE_META_DIR, HS_INSTALLED_META_DIR);
}

char *
hs_pretrain_dir (void)
{
  return data_dir ("HS_PRETRAIN_DIR", HS_SOURCE_PRETRAIN_DIR, HS_INSTALLED_PRETRAIN_DIR);
}

static gboolean
recipe_error (GError **error, const char *path, const char *key, const char *format, ...)
  G_GNUC_PRINTF (4, 5);

static gboolean
recipe_error (GError **error, const char *path, const char *key, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (key != NULL)
    g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID, "%s: [%s] %s: %s", path,
                 TASK_GROUP, key, message);
  else
    g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID, "%s: %s", path, message);
  return FALSE;
}

static char *
required_string (GKeyFile *kf, const char *path, const char *key, GError **error)
{
  g_autofree char *value = g_key_file_get_string (kf, TASK_GROUP, key, NULL);

  if (value == NULL || *g_strstrip (value) == '\0')
    {
      recipe_error (error, path, key, "missing (every recipe needs %s=)", key);
      return NULL;
    }
  return g_steal_pointer (&value);
}

static GStrv
string_list (GKeyFile *kf, const char *key)
{
  g_auto(GStrv) raw = g_key_file_get_string_list (kf, TASK_GROUP, key, NULL, NULL);
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();

  /* Both "a;b" and "a b" separate names: package lists read either way. */
  for (guint i = 0; raw != NULL && raw[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit_set (raw[i], " \t,", -1);
      for (guint k = 0; words[k] != NULL; k++)
        if (*words[k] != '\0')
          g_strv_builder_add (out, words[k]);
    }
  return g_strv_builder_end (out);
}

static gboolean
valid_package_name (const char *name)
{
  if (!g_ascii_isalnum (name[0]) || strlen (name) < 2)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && strchr ("+-.", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
check_number (GKeyFile *kf, const char *path, const char *key, gdouble min, gdouble max,
              GError **error)
{
  g_autofree char *text = g_key_file_get_string (kf, TASK_GROUP, key, NULL);
  char *end = NULL;
  gdouble value;

  if (text == NULL)
    return TRUE;
  value = g_ascii_strtod (g_strstrip (text), &end);
  if (end == text || *end != '\0' || !(value >= min && value <= max))
    return recipe_error (error, path, key, "“%s” is not a number from %g to %g", text, min, max);
  return TRUE;
}

static HsTaskRecipe *
load_recipe (const char *path, GError **error)
{
  g_autoptr(HsTaskRecipe) recipe = g_new0 (HsTaskRecipe, 1);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name_key = NULL;
  g_auto(GStrv) fetch = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &local))
    {
      recipe_error (error, path, NULL, "%s", local->message);
      return NULL;
    }
  if (!g_key_file_load_from_data (kf, contents, length, G_KEY_FILE_NONE, &local))
    {
      recipe_error (error, path, NULL, "not a key file: %s", local->message);
      return NULL;
    }
  if (!g_key_file_has_group (kf, TASK_GROUP))
    {
      recipe_error (error, path, NULL, "no [%s] group", TASK_GROUP);
      return NULL;
    }

  /* The file name is the task's name, so `tasks build NAME` and the recipe
   * cannot disagree. */
  recipe->name = g_strndup (base, strlen (base) - strlen (".task"));
  if (!hs_dataset_name_is_valid (recipe->name, &local))
    {
      recipe_error (error, path, NULL, "the file name is not a valid task name: %s",
                    local->message);
      return NULL;
    }
  name_key = g_key_file_get_string (kf, TASK_GROUP, "name", NULL);
  if (name_key != NULL && g_strcmp0 (g_strstrip (name_key), recipe->name) != 0)
    {
      recipe_error (error, path, "name", "“%s” differs from the file name (%s.task)", name_key,
                    recipe->name);
      return NULL;
    }

  if ((recipe->family = required_string (kf, path, "family", error)) == NULL ||
      (recipe->description = required_string (kf, path, "description", error)) == NULL ||
      (recipe->licence = required_string (kf, path, "licence", error)) == NULL ||
      (recipe->builder = required_string (kf, path, "builder", error)) == NULL)
    return NULL;
  if (hs_builder_lookup (recipe->builder) == NULL)
    {
      recipe_error (error, path, "builder", "no builder named “%s”", recipe->builder);
      return NULL;
    }

  recipe->packages = string_list (kf, "packages");
  if (recipe->packages[0] == NULL)
    {
      recipe_error (error, path, "packages", "missing (name the Debian packages the task needs)");
      return NULL;
    }
  for (guint i = 0; recipe->packages[i] != NULL; i++)
    if (!valid_package_name (recipe->packages[i]))
      {
        recipe_error (error, path, "packages", "“%s” is not a Debian package name",
                      recipe->packages[i]);
        return NULL;
      }
  fetch = string_list (kf, "fetch");
  for (guint i = 0; fetch[i] != NULL; i++)
    if (!g_strv_contains ((const char *const *) recipe->packages, fetch[i]))
      {
        recipe_error (error, path, "fetch", "“%s” is not in packages=", fetch[i]);
        return NULL;
      }

  if (!check_number (kf, path, "size", 8, 256, error) ||
      !check_number (kf, path, "max-per-class", 1, 1000000, error) ||
      !check_number (kf, path, "min-per-class", 3, 1000000, error) ||
      !check_number (kf, path, "val-fraction", 0.01, 0.5, error) ||
      !check_number (kf, path, "test-fraction", 0.01, 0.5, error) ||
      !check_number (kf, path, "seed", 0, G_MAXUINT32, error))
    return NULL;

  recipe->path = g_strdup (path);
  recipe->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents,
                                                length);
  recipe->keyfile = g_steal_pointer (&kf);
  return g_steal_pointer (&recipe);
}

static gint
compare_recipes (gconstpointer a, gconstpointer b)
{
  const HsTaskRecipe *ra = *(HsTaskRecipe *const *) a;
  const HsTaskRecipe *rb = *(HsTaskRecipe *const *) b;

  return strcmp (ra->name, rb->name);
}

GPtrArray *
hs_catalog_load (const char *dir, GError **error)
{
  g_autofree char *owned = dir == NULL ? hs_catalog_dir () : NULL;
  g_autoptr(GPtrArray) catalog = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_task_recipe_free);
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) local = NULL;
  const char *entry;

  if (dir == NULL)
    dir = owned;
  if ((d = g_dir_open (dir, 0, &local)) == NULL)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_IO, "cannot read the recipes: %s",
                   local->message);
      return NULL;
    }
  while ((entry = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      HsTaskRecipe *recipe;

      if (!g_str_has_suffix (entry, ".task") || entry[0] == '.')
        continue;
      path = g_build_filename (dir, entry, NULL);
      if ((recipe = load_recipe (path, error)) == NULL)
        return NULL;
      g_ptr_array_add (catalog, recipe);
    }
  g_ptr_array_sort (catalog, compare_recipes);
  return g_steal_pointer (&catalog);
}

HsTaskRecipe *
hs_catalog_find (GPtrArray *catalog, const char *name)
{
  for (guint i = 0; i < catalog->len; i++)
    {
      HsTaskRecipe *recipe = g_ptr_array_index (catalog, i);
      if (g_strcmp0 (recipe->name, name) == 0)
        return recipe;
    }
  return NULL;
}

/* A package under fetch= is not installed but unpacked into the cache; it
 * is there once unpacked, or while apt can download it. */
static gboolean
is_fetched (HsTaskRecipe *recipe, const char *package)
{
  g_auto(GStrv) fetch = string_list (recipe->keyfile, "fetch");

  return g_strv_contains ((const char *const *) fetch, package);
}

char *
hs_task_fetch_root (void)
{
  g_autofree char *cache = hs_cache_dir ();

  return g_build_filename (cache, "packages", NULL);
}

char *
hs_task_missing_packages (HsTaskRecipe *recipe)
{
  g_autoptr(GString) missing = NULL;

  for (guint i = 0; recipe->packages[i] != NULL; i++)
    {
      const char *package = recipe->packages[i];

      if (hs_package_is_installed (package))
        continue;
      if (is_fetched (recipe, package))
        {
          g_autofree char *root = hs_task_fetch_root ();
          g_autofree char *dir = g_build_filename (root, package, NULL);

          if (g_file_test (dir, G_FILE_TEST_IS_DIR) || hs_package_is_downloadable (package))
            continue;
        }
      if (missing == NULL)
        missing = g_string_new (package);
      else
        g_string_append_printf (missing, " %s", package);
    }
  return missing != NULL ? g_string_free (g_steal_pointer (&missing), FALSE) : NULL;
}

char *
hs_task_cache_path (HsTaskRecipe *recipe)
{
  g_autofree char *cache = hs_cache_dir ();
  g_autofree char *file = g_strconcat (recipe->name, ".hsds", NULL);

  return g_build_filename (cache, "tasks", file, NULL);
}

gboolean
hs_task_is_built (HsTaskRecipe *recipe)
{
  g_autofree char *path = hs_task_cache_path (recipe);
  g_autoptr(HsDataset) header = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return FALSE;
  header = hs_dataset_load_header (path, NULL, NULL);
  return header != NULL &&
         g_strcmp0 (hs_dataset_get_meta (header, "recipe-sha256"), recipe->sha256) == 0 &&
         g_strcmp0 (hs_dataset_get_meta (header, "catalog-version"), HS_CATALOG_VERSION) == 0;
}

HsDataset *
hs_task_build (HsTaskRecipe *recipe, HsProgressFunc progress, gpointer data,
               GCancellable *cancellable, GError **error)
{
  g_autofree char *missing = hs_task_missing_packages (recipe);
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(HsDataset) ds = NULL;

  if (missing != NULL)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_MISSING,
                   "%s needs packages that are not installed: %s", recipe->name, missing);
      return NULL;
    }
  ds = hs_build_run (recipe, hs_builder_lookup (recipe->builder), progress, data, cancellable,
                     error);
  if (ds == NULL)
    return NULL;

  path = hs_task_cache_path (recipe);
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_IO, "cannot create %s", dir);
      return NULL;
    }
  if (!hs_dataset_save (ds, path, error))
    return NULL;
  return g_steal_pointer (&ds);
}

HsDataset *
hs_task_load (HsTaskRecipe *recipe, GError **error)
{
  if (hs_task_is_built (recipe))
    {
      g_autofree char *path = hs_task_cache_path (recipe);
      g_autoptr(GError) local = NULL;
      HsDataset *ds = hs_dataset_load (path, &local);

      if (ds != NULL)
        return ds;
      /* A damaged cache is rebuilt: it holds nothing the recipe cannot make. */
      g_debug ("rebuilding %s: %s", recipe->name, local->message);
    }
  return hs_task_build (recipe, NULL, NULL, NULL, error);
}
