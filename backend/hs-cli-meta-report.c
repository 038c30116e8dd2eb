/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hyperstar-cli meta report [DIR] [--json] [--top N]`: what a meta-dataset
 * says about its configurations (backend/meta/hs-meta-report.h): per task
 * the best configuration, the spread of final accuracy and the top N; over
 * tasks the distinct bests, how often each configuration makes a top N,
 * how alike the tasks' rankings are (Spearman) and the AP@N matrix.
 *
 * Without DIR, the first meta-dataset (in name order) of the meta-dataset
 * folder that `meta build` writes into by default ($HS_META_DIR, else
 * data/meta in the source tree, else the installed one).
 */
#define G_LOG_DOMAIN "hyperstar-cli"

#include <string.h>

#include "hs-cli.h"
#include "hs-catalog.h"
#include "hs-meta-report.h"

/* Far beyond any grid's size; a bigger --top is a typing slip. */
#define MAX_TOP 100000

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The first folder under root (in name order) holding a grid.json: a
 * meta-dataset, finished or not.  NULL, having printed why, when there is
 * none. */
static char *
default_dir (void)
{
  g_autofree char *root = hs_meta_dir ();
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *name;

  if ((dir = g_dir_open (root, 0, &error)) == NULL)
    {
      g_printerr ("meta report: %s; give the meta-dataset's folder\n", error->message);
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

      g_printerr ("meta report: no meta-dataset in %s (hyperstar-cli meta build makes one); "
                  "give the meta-dataset's folder\n", shown);
      return NULL;
    }
  g_ptr_array_sort (names, compare_names);
  return g_build_filename (root, g_ptr_array_index (names, 0), NULL);
}

int
hs_cli_meta_report (int argc, char **argv)
{
  gboolean json = FALSE;
  gint top = HS_META_REPORT_DEFAULT_K;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object, with the full matrices", NULL },
    { "top", 'k', 0, G_OPTION_ARG_INT, &top, "Length of the top lists and k of AP@k (10)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("[DIR] — which configurations win where, and how alike the tasks are");
  g_autoptr(GError) error = NULL;
  g_autoptr(HsMetaData) md = NULL;
  g_autoptr(HsMetaReport) report = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *text = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Only finished (task, configuration) pairs count, by their final validation accuracy;\n"
    "tasks with fewer than 2 of them are skipped.  AP@N r_ij is the average precision of\n"
    "task j's ranking against task i's top N (backend/meta/hs-meta-report.h).\n");
  if (!hs_cli_parse_options (context, "meta report", &argc, &argv))
    return HS_CLI_EXIT_USAGE;
  if (argc > 2)
    {
      g_printerr ("meta report: give at most one folder (see --help)\n");
      return HS_CLI_EXIT_USAGE;
    }
  if (top < 1 || top > MAX_TOP)
    {
      g_printerr ("meta report: --top must be in [1, %d]\n", MAX_TOP);
      return HS_CLI_EXIT_USAGE;
    }

  if (argc == 2)
    dir = g_strdup (argv[1]);
  else if ((dir = default_dir ()) == NULL)
    return 1;

  if ((md = hs_meta_data_load (dir, &error)) == NULL)
    {
      g_printerr ("meta report: %s\n", error->message);
      return 1;
    }
  report = hs_meta_report_new (md, (guint) top);
  text = json ? hs_meta_report_to_json (report) : hs_meta_report_to_text (report);
  g_print ("%s", text);
  return 0;
}
