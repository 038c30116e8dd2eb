/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hyperstar-cli meta`: the meta-dataset (build, report).
 */
#define G_LOG_DOMAIN "hyperstar-cli"

#include "hs-cli.h"

int
hs_cli_meta (int argc, char **argv)
{
  static const HsCliCommand subcommands[] = {
    { "build", hs_cli_meta_build, "Train every (task, configuration) pair of a grid, resumably" },
    { "report", hs_cli_meta_report, "Best configurations, spread, top-N, Spearman and AP@N between tasks" },
  };

  return hs_cli_run_subcommand ("meta", subcommands, G_N_ELEMENTS (subcommands),
                                "The meta-dataset lives in data/meta/GRID-NAME (docs/meta-dataset.md).",
                                argc, argv);
}
