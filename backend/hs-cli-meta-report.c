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
  else if ((dir = hs_cli_meta_default_dir ("meta report")) == NULL)
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
