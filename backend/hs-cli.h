/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hs-dataset.h"

G_BEGIN_DECLS

int hs_cli_devices (int argc, char **argv);
int hs_cli_bench (int argc, char **argv);
int hs_cli_tasks (int argc, char **argv);
int hs_cli_dataset (int argc, char **argv);
int hs_cli_pretrain (int argc, char **argv);
int hs_cli_train (int argc, char **argv);
int hs_cli_meta (int argc, char **argv);
int hs_cli_meta_build (int argc, char **argv);
int hs_cli_meta_search (int argc, char **argv);
/* The first meta-dataset under hs_meta_dir() (name order), or NULL having
 * printed "COMMAND: why". */
char *hs_cli_meta_default_dir (const char *command);
int hs_cli_meta_report (int argc, char **argv);
int hs_cli_search (int argc, char **argv);

/* Exit statuses shared by the commands: 2 is a usage error, 130 what a
 * shell reports for a command stopped by Ctrl-C. */
#define HS_CLI_EXIT_USAGE 2
#define HS_CLI_EXIT_INTERRUPTED 130

/* Shared by the commands (hs-cli-common.c). */

/* g_option_context_parse, printing "COMMAND: message" on a bad option. */
gboolean hs_cli_parse_options (GOptionContext *context, const char *command, int *argc,
                               char ***argv);
/* Whether work that failed with error was stopped by Ctrl-C rather than
 * failing: however the library under it words a cancellation. */
gboolean hs_cli_is_cancelled (const GError *error, GCancellable *cancellable);

/* --sheet, --samples and --scale of `dataset show` and `tasks show`. */
typedef struct {
  char *path;     /* NULL: no sheet */
  gint samples;
  gint scale;
} HsCliSheetOptions;

/* Adds the options to context's main group (before a command's own, as
 * --help lists them) and sets the defaults. */
void     hs_cli_sheet_options_add (GOptionContext *context, HsCliSheetOptions *options);
/* FALSE, having printed "COMMAND: why", when the values are out of range. */
gboolean hs_cli_sheet_options_check (const HsCliSheetOptions *options, const char *command);
void     hs_cli_sheet_options_clear (HsCliSheetOptions *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HsCliSheetOptions, hs_cli_sheet_options_clear)

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} HsCliCommand;

/* Runs the subcommand argv[1] names; else prints the usage ("Usage:
 * hyperstar-cli COMMAND SUBCOMMAND…", the subcommands, then footer) to
 * stdout for --help and to stderr, after an unknown subcommand's name,
 * otherwise. */
int      hs_cli_run_subcommand (const char *command, const HsCliCommand *subcommands, guint n,
                                const char *footer, int argc, char **argv);

/* The built-in catalog, or NULL having printed "COMMAND: why" and where the
 * recipes were looked for. */
GPtrArray *hs_cli_load_catalog (const char *command);

/* Appends s as a JSON string, quotes included; bytes that are not UTF-8
 * (file names) become U+FFFD rather than invalid JSON. */
void hs_cli_json_append_string (GString *json, const char *s);

/* Shared by the dataset and tasks commands (hs-cli-dataset.c). */

/* Class counts per split, metadata and, with sheet_path, a contact sheet:
 * what `dataset show` and `tasks show` print.  extra_json, when not NULL,
 * is spliced into the JSON object (e.g. "\"built\": true"). */
gboolean hs_cli_show_dataset (HsDataset *ds, const char *path, gboolean json,
                              const char *extra_json, const char *sheet_path,
                              guint sheet_samples, guint sheet_scale, GError **error);

G_END_DECLS
