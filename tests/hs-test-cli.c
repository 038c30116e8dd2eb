/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "hs-test-cli.h"

static const char *cli_path;
static char *tmp_dir, *data_dir, *cache_dir;
static GHashTable *extra_env;   /* name -> value or NULL */

void
hs_cli_run_free (HsCliRun *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

gboolean
hs_test_cli_init (void)
{
  g_autoptr(GError) error = NULL;

  cli_path = g_getenv ("HS_CLI");
  if (cli_path == NULL || !g_file_test (cli_path, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;
  tmp_dir = g_dir_make_tmp ("hs-test-cli-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (tmp_dir, "data", NULL);
  cache_dir = g_build_filename (tmp_dir, "cache", NULL);
  extra_env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return TRUE;
}

const char *hs_test_cli_tmp_dir (void) { return tmp_dir; }
const char *hs_test_cli_data_dir (void) { return data_dir; }
const char *hs_test_cli_cache_dir (void) { return cache_dir; }

void
hs_test_cli_setenv (const char *name, const char *value)
{
  g_hash_table_insert (extra_env, g_strdup (name), g_strdup (value));
}

void
hs_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, entry, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        hs_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
hs_test_cli_cleanup (void)
{
  if (tmp_dir != NULL && g_getenv ("HS_TEST_KEEP") == NULL)
    hs_test_remove_tree (tmp_dir);
}

GSubprocess *
hs_test_cli_spawn (const char *const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer name, value;
  GSubprocess *process;

  g_subprocess_launcher_setenv (launcher, "HS_DATA_DIR", data_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "HS_CACHE_DIR", cache_dir, TRUE);
  /* Were HS_DATA_DIR ignored, the user's own folders must not be touched. */
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache_dir, TRUE);
  g_hash_table_iter_init (&iter, extra_env);
  while (g_hash_table_iter_next (&iter, &name, &value))
    if (value != NULL)
      g_subprocess_launcher_setenv (launcher, name, value, TRUE);
    else
      g_subprocess_launcher_unsetenv (launcher, name);
  g_ptr_array_add (argv, (gpointer) cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

HsCliRun *
hs_test_cli_finish (GSubprocess *process)
{
  HsCliRun *run = g_new0 (HsCliRun, 1);
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_if_exited (process))
    run->status = g_subprocess_get_exit_status (process);
  else
    run->status = 128 + g_subprocess_get_term_sig (process);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
  return run;
}

HsCliRun *
hs_test_cli (const char *first, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  va_list ap;

  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  process = hs_test_cli_spawn ((const char *const *) args->pdata);
  return hs_test_cli_finish (process);
}

HsJson *
hs_test_cli_json (HsCliRun *run)
{
  g_autoptr(GError) error = NULL;
  HsJson *json = hs_json_parse (run->out, &error);

  g_assert_no_error (error);
  return json;
}

gboolean
hs_test_cli_have_hershey (void)
{
  return g_file_test ("/usr/share/hershey-fonts/futural.jhf", G_FILE_TEST_IS_REGULAR);
}

void
hs_test_cli_write_hershey_recipe (const char *dir, const char *name, const char *classes)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.task", dir, name);
  g_autofree char *text =
    g_strdup_printf ("[Task]\nfamily=%s\ndescription=%s\npackages=hershey-fonts-data\n"
                     "licence=Hershey font licence\nbuilder=hershey\nmin-per-class=10\n\n"
                     "[Source]\nroot=/usr/share/hershey-fonts\n"
                     "fonts=futural;futuram;rowmand;rowmans;rowmant;timesr;timesi;timesib;"
                     "timesrb;scripts;scriptc;cursive;gothiceng;gothicger;gothicita;gothgbt;"
                     "gothgrt;gothitt\nclasses=%s\n", name, name, classes);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}
