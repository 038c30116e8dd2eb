/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the CLI's commands share: option parsing, the contact-sheet options
 * of `dataset show` and `tasks show`, subcommand dispatch and JSON strings.
 * One copy here so the commands word their errors and exit alike.
 */
#define G_LOG_DOMAIN "hyperstar-cli"

#include <stdio.h>
#include <string.h>

#include "hs-catalog.h"
#include "hs-cli.h"

gboolean
hs_cli_parse_options (GOptionContext *context, const char *command, int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s: %s\n", command, error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
hs_cli_is_cancelled (const GError *error, GCancellable *cancellable)
{
  return g_cancellable_is_cancelled (cancellable) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CANCELLED);
}

void
hs_cli_sheet_options_add (GOptionContext *context, HsCliSheetOptions *options)
{
  /* Main entries, not a GOptionGroup: a group would get its own section
   * and a --help-sheet option in --help. */
  const GOptionEntry entries[] = {
    { "sheet", 0, 0, G_OPTION_ARG_FILENAME, &options->path,
      "Write a contact sheet (a row of samples per class) to FILE.png", "FILE.png" },
    { "samples", 0, 0, G_OPTION_ARG_INT, &options->samples,
      "Samples per class on the sheet (12)", "N" },
    { "scale", 0, 0, G_OPTION_ARG_INT, &options->scale, "Magnification of the sheet (2)", "N" },
    { NULL }
  };

  options->samples = 12;
  options->scale = 2;
  g_option_context_add_main_entries (context, entries, NULL);
}

gboolean
hs_cli_sheet_options_check (const HsCliSheetOptions *options, const char *command)
{
  if (options->samples < 1 || options->scale < 1 || options->scale > 16)
    {
      g_printerr ("%s: --samples must be at least 1 and --scale 1 to 16\n", command);
      return FALSE;
    }
  return TRUE;
}

void
hs_cli_sheet_options_clear (HsCliSheetOptions *options)
{
  g_clear_pointer (&options->path, g_free);
}

int
hs_cli_run_subcommand (const char *command, const HsCliCommand *subcommands, guint n,
                       const char *footer, int argc, char **argv)
{
  gboolean help = argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"));
  FILE *out = help ? stdout : stderr;
  int width = 0;

  if (argc >= 2)
    for (guint i = 0; i < n; i++)
      if (g_str_equal (argv[1], subcommands[i].name))
        return subcommands[i].run (argc - 1, argv + 1);

  if (argc >= 2 && !help)
    g_printerr ("%s: unknown subcommand “%s”\n\n", command, argv[1]);
  /* One space more than the longest name, so the summaries line up. */
  for (guint i = 0; i < n; i++)
    width = MAX (width, (int) strlen (subcommands[i].name) + 1);
  fprintf (out, "Usage: hyperstar-cli %s SUBCOMMAND [OPTIONS…]\n\n", command);
  for (guint i = 0; i < n; i++)
    fprintf (out, "  %s %-*s %s\n", command, width, subcommands[i].name, subcommands[i].summary);
  fprintf (out, "\n%s", footer);
  return help ? 0 : HS_CLI_EXIT_USAGE;
}

void
hs_cli_json_append_string (GString *json, const char *s)
{
  g_autofree char *valid = g_utf8_make_valid (s != NULL ? s : "", -1);

  g_string_append_c (json, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"': g_string_append (json, "\\\""); break;
        case '\\': g_string_append (json, "\\\\"); break;
        case '\n': g_string_append (json, "\\n"); break;
        case '\r': g_string_append (json, "\\r"); break;
        case '\t': g_string_append (json, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (json, "\\u%04x", c);
          else
            g_string_append_c (json, (char) c);
        }
    }
  g_string_append_c (json, '"');
}

GPtrArray *
hs_cli_load_catalog (const char *command)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) catalog = hs_catalog_load (NULL, &error);

  if (catalog == NULL)
    {
      g_autofree char *dir = hs_catalog_dir ();
      g_printerr ("%s: %s (recipes from %s; HS_TASKS_DIR chooses another folder)\n", command,
                  error ? error->message : "cannot read the catalog", dir);
    }
  return g_steal_pointer (&catalog);
}
