/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hyperstar-cli meta`: the meta-dataset (build, report).
 */
#define G_LOG_DOMAIN "hyperstar-cli"

#include <string.h>

#include "hs-catalog.h"
#include "hs-cli.h"

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The first folder under root (in name order) holding a grid.json: a
 * meta-dataset, finished or not.  NULL, having printed why, when there is
 * none. */
char *
hs_cli_meta_default_dir (const char *command)
{
  g_autofree char *root = hs_meta_dir ();
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *name;

  if ((dir = g_dir_open (root, 0, &error)) == NULL)
    {
      g_printerr ("%s: %s; give the meta-dataset's folder\n", command, error->message);
      return NULL;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *grid = g_build_filename (root, name, "grid.json", NULL);

      if (name[0] != '.' && g_file_test (grid, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (names, g_strdup (name));
    }
  if (names->len == 0)
    {
      g_autofree char *shown = g_filename_display_name (root);

      g_printerr ("%s: no meta-dataset in %s (hyperstar-cli meta build makes one); "
                  "give the meta-dataset's folder\n", command, shown);
      return NULL;
    }
  g_ptr_array_sort (names, compare_names);
  return g_build_filename (root, g_ptr_array_index (names, 0), NULL);
}


int
hs_cli_meta (int argc, char **argv)
{
  static const HsCliCommand subcommands[] = {
    { "build", hs_cli_meta_build, "Train every (task, configuration) pair of a grid, resumably" },
    { "search", hs_cli_meta_search, "Replay Hyperband, successive halving or random search on one task" },
    { "report", hs_cli_meta_report, "Best configurations, spread, top-N, Spearman and AP@N between tasks" },
  };

  return hs_cli_run_subcommand ("meta", subcommands, G_N_ELEMENTS (subcommands),
                                "The meta-dataset lives in data/meta/GRID-NAME (docs/meta-dataset.md).",
                                argc, argv);
}
