/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hs-catalog"

#include <errno.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "hs-dataset.h"
#include "hs-packages.h"

G_LOCK_DEFINE_STATIC (packages);
static GHashTable *installed;     /* package name → itself */
static GHashTable *downloadable;  /* package name → GINT_TO_POINTER (1 + known) */

/* One dpkg-query for the whole list: a per-package query would cost a
 * process per recipe and package each time the catalog is listed. */
static GHashTable *
read_installed (void)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *argv[] = { "dpkg-query", "-W", "-f", "${Package}\\t${db:Status-Abbrev}\\n", NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  gint status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      g_debug ("dpkg-query did not run: every package counts as missing");
      return set;
    }
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *tab = strchr (lines[i], '\t');
      /* "ii " is installed; "rc" (removed, config left) and others are not. */
      if (tab != NULL && g_str_has_prefix (tab + 1, "ii"))
        g_hash_table_add (set, g_strndup (lines[i], tab - lines[i]));
    }
  return set;
}

gboolean
hs_package_is_installed (const char *package)
{
  gboolean found;

  G_LOCK (packages);
  if (installed == NULL)
    installed = read_installed ();
  found = g_hash_table_contains (installed, package);
  G_UNLOCK (packages);
  return found;
}

gboolean
hs_package_is_downloadable (const char *package)
{
  gpointer known;
  const char *argv[] = { "apt-cache", "show", "--no-all-versions", "-q", package, NULL };
  gint status = 0;
  gboolean ok;

  G_LOCK (packages);
  if (downloadable == NULL)
    downloadable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  known = g_hash_table_lookup (downloadable, package);
  G_UNLOCK (packages);
  if (known != NULL)
    return GPOINTER_TO_INT (known) == 2;

  ok = g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL) &&
       g_spawn_check_wait_status (status, NULL);
  G_LOCK (packages);
  g_hash_table_insert (downloadable, g_strdup (package), GINT_TO_POINTER (1 + ok));
  G_UNLOCK (packages);
  return ok;
}

gboolean
hs_package_add_files (const char *package, GHashTable *set)
{
  /* Architecture-independent packages have a plain list, others a
   * qualified one (libfoo:amd64.list). */
  g_autofree char *plain = g_strdup_printf ("/var/lib/dpkg/info/%s.list", package);
  g_autofree char *prefix = g_strdup_printf ("%s:", package);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (plain, &contents, NULL, NULL))
    {
      g_autoptr(GDir) dir = g_dir_open ("/var/lib/dpkg/info", 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL && contents == NULL)
        if (g_str_has_prefix (name, prefix) && g_str_has_suffix (name, ".list"))
          {
            g_autofree char *path = g_build_filename ("/var/lib/dpkg/info", name, NULL);
            g_file_get_contents (path, &contents, NULL, NULL);
          }
    }
  if (contents == NULL)
    return FALSE;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] == '/')
      g_hash_table_add (set, g_strdup (lines[i]));
  return TRUE;
}

void
hs_packages_reset (void)
{
  G_LOCK (packages);
  g_clear_pointer (&installed, g_hash_table_unref);
  g_clear_pointer (&downloadable, g_hash_table_unref);
  G_UNLOCK (packages);
}

static gboolean
run (const char *const *argv, const char *cwd, GError **error)
{
  g_autofree char *err = NULL;
  gint status = 0;

  if (!g_spawn_sync (cwd, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                     &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      /* apt and tar put the useful line last. */
      g_auto(GStrv) lines = g_strsplit (g_strstrip (err), "\n", -1);
      guint n = g_strv_length (lines);
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_IO, "%s failed: %s", argv[0],
                   n > 0 ? lines[n - 1] : "no message");
      return FALSE;
    }
  return TRUE;
}

static char *
find_deb (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".deb"))
      return g_build_filename (dir, name, NULL);
  return NULL;
}

static void
remove_download (const char *tmp, const char *deb)
{
  if (deb != NULL)
    g_unlink (deb);
  g_rmdir (tmp);
}

char *
hs_package_fetch (const char *package, const char *path, const char *root, GError **error)
{
  g_autofree char *dest = g_build_filename (root, package, NULL);
  g_autofree char *unpacked = g_build_filename (dest, path, NULL);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA1, path, -1);
  g_autofree char *marker_name = g_strdup_printf (".unpacked-%.12s", digest);
  g_autofree char *marker = g_build_filename (dest, marker_name, NULL);
  g_autofree char *tmp = NULL;
  g_autofree char *deb = NULL;
  g_autofree char *member = NULL;
  g_autoptr(GError) local = NULL;
  const char *download[] = { "apt-get", "download", "-q", package, NULL };

  /* The marker is written last: a half-unpacked tree is unpacked again. */
  if (g_file_test (marker, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&unpacked);

  if (g_mkdir_with_parents (dest, 0755) != 0)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_IO, "cannot create %s: %s", dest,
                   g_strerror (errno));
      return NULL;
    }
  tmp = g_build_filename (root, ".download-XXXXXX", NULL);
  if (g_mkdtemp (tmp) == NULL)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_IO, "cannot create %s: %s", tmp,
                   g_strerror (errno));
      return NULL;
    }
  /* apt's sandbox user may not write here; apt then downloads as the caller,
   * which is what we want. */
  g_chmod (tmp, 0777);
  if (!run (download, tmp, &local) || (deb = find_deb (tmp)) == NULL)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_MISSING,
                   "package %s is not installed and could not be downloaded (%s); "
                   "install it or run apt-get update", package,
                   local ? local->message : "no .deb");
      remove_download (tmp, deb);
      return NULL;
    }

  member = g_strconcat (".", path, NULL);
  {
    /* Only the needed member: opencv-doc is a 95 MB .deb for one 721 KB PNG. */
    const char *unpack[] = { "sh", "-c", "dpkg-deb --fsys-tarfile \"$1\" | tar -x -C \"$2\" \"$3\"",
                             "sh", deb, dest, member, NULL };
    if (!run (unpack, NULL, &local))
      {
        g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_MISSING,
                     "package %s has no %s (%s)", package, path, local->message);
        remove_download (tmp, deb);
        return NULL;
      }
  }
  remove_download (tmp, deb);
  if (!g_file_set_contents (marker, path, -1, error))
    return NULL;
  return g_steal_pointer (&unpacked);
}
