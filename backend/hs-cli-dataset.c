/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hyperstar-cli dataset import|list|show|delete`: the user's own datasets,
 * kept in the data directory (hs-dataset-store.h).
 */
#define G_LOG_DOMAIN "hyperstar-cli"

#include <stdio.h>
#include <string.h>

#include "hs-cli.h"
#include "hs-cli-progress.h"
#include "hs-dataset-store.h"
#include "hs-import.h"

/* A human report lists this many skipped files; --json lists them all. */
#define MAX_SKIPS_SHOWN 20

static const char *const split_names[HS_N_SPLITS] = { "train", "val", "test" };

static guint
class_column_width (HsDataset *ds)
{
  guint width = 5;  /* "class" */

  for (guint c = 0; c < hs_dataset_get_n_classes (ds); c++)
    width = MAX (width, (guint) g_utf8_strlen (hs_dataset_get_class_name (ds, c), -1));
  return MIN (width, 40);
}

/* printf pads by bytes; class names are UTF-8, so pad by characters. */
static void
print_padded (const char *s, guint width)
{
  glong len = g_utf8_strlen (s, -1);

  g_print ("%s", s);
  for (glong i = len; i < (glong) width; i++)
    g_print (" ");
}

/* "Label:" padded so the values line up, however long the metadata keys
 * a builder recorded are. */
static void
print_field (guint width, const char *label, const char *value)
{
  g_autofree char *with_colon = g_strconcat (label, ":", NULL);

  print_padded (with_colon, width);
  g_print (" %s\n", value);
}

static void
show_dataset_text (HsDataset *ds, const char *path, const char *sheet_path)
{
  g_auto(GStrv) keys = hs_dataset_get_meta_keys (ds);
  guint n_classes = hs_dataset_get_n_classes (ds);
  guint width = class_column_width (ds);
  guint label_width = 8;
  g_autofree char *images = NULL, *classes = NULL, *splits = NULL;

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    label_width = MAX (label_width, strlen (keys[i]) + 1);
  images = g_strdup_printf ("%" G_GSIZE_FORMAT " (%u×%u RGB)", hs_dataset_get_n_images (ds),
                            hs_dataset_get_size (ds), hs_dataset_get_size (ds));
  classes = g_strdup_printf ("%u", n_classes);
  splits = g_strdup_printf ("train %" G_GSIZE_FORMAT ", val %" G_GSIZE_FORMAT ", test %"
                            G_GSIZE_FORMAT " (seed %" G_GUINT64_FORMAT ")",
                            hs_dataset_count (ds, G_MAXUINT, HS_SPLIT_TRAIN),
                            hs_dataset_count (ds, G_MAXUINT, HS_SPLIT_VAL),
                            hs_dataset_count (ds, G_MAXUINT, HS_SPLIT_TEST),
                            hs_dataset_get_split_seed (ds));

  print_field (label_width, "Name", hs_dataset_get_name (ds));
  print_field (label_width, "Images", images);
  print_field (label_width, "Classes", classes);
  print_field (label_width, "Splits", splits);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *label = g_strdup_printf ("%c%s", g_ascii_toupper (keys[i][0]),
                                                keys[i] + 1);
      print_field (label_width, label, hs_dataset_get_meta (ds, keys[i]));
    }
  if (path != NULL)
    print_field (label_width, "File", path);
  if (sheet_path != NULL)
    print_field (label_width, "Sheet", sheet_path);

  g_print ("\n  ");
  print_padded ("class", width);
  g_print ("  %7s %7s %7s %7s\n", "train", "val", "test", "total");
  for (guint c = 0; c < n_classes; c++)
    {
      g_print ("  ");
      print_padded (hs_dataset_get_class_name (ds, c), width);
      g_print ("  %7" G_GSIZE_FORMAT " %7" G_GSIZE_FORMAT " %7" G_GSIZE_FORMAT " %7"
               G_GSIZE_FORMAT "\n",
               hs_dataset_count (ds, c, HS_SPLIT_TRAIN), hs_dataset_count (ds, c, HS_SPLIT_VAL),
               hs_dataset_count (ds, c, HS_SPLIT_TEST), hs_dataset_count (ds, c, HS_N_SPLITS));
    }
}

static void
show_dataset_json (HsDataset *ds, const char *path, const char *extra_json,
                   const char *sheet_path)
{
  g_autoptr(GString) json = g_string_new ("{\"name\": ");
  g_auto(GStrv) keys = hs_dataset_get_meta_keys (ds);

  hs_cli_json_append_string (json, hs_dataset_get_name (ds));
  g_string_append_printf (json, ", \"size\": %u, \"images\": %" G_GSIZE_FORMAT
                          ", \"seed\": %" G_GUINT64_FORMAT ", \"splits\": {",
                          hs_dataset_get_size (ds), hs_dataset_get_n_images (ds),
                          hs_dataset_get_split_seed (ds));
  for (guint s = 0; s < HS_N_SPLITS; s++)
    g_string_append_printf (json, "%s\"%s\": %" G_GSIZE_FORMAT, s ? ", " : "", split_names[s],
                            hs_dataset_count (ds, G_MAXUINT, s));
  g_string_append (json, "}, \"classes\": [");
  for (guint c = 0; c < hs_dataset_get_n_classes (ds); c++)
    {
      g_string_append (json, c ? ", {\"name\": " : "{\"name\": ");
      hs_cli_json_append_string (json, hs_dataset_get_class_name (ds, c));
      for (guint s = 0; s < HS_N_SPLITS; s++)
        g_string_append_printf (json, ", \"%s\": %" G_GSIZE_FORMAT, split_names[s],
                                hs_dataset_count (ds, c, s));
      g_string_append_printf (json, ", \"images\": %" G_GSIZE_FORMAT "}",
                              hs_dataset_count (ds, c, HS_N_SPLITS));
    }
  g_string_append (json, "], \"meta\": {");
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (json, ", ");
      hs_cli_json_append_string (json, keys[i]);
      g_string_append (json, ": ");
      hs_cli_json_append_string (json, hs_dataset_get_meta (ds, keys[i]));
    }
  g_string_append (json, "}");
  if (path != NULL)
    {
      g_string_append (json, ", \"file\": ");
      hs_cli_json_append_string (json, path);
    }
  if (sheet_path != NULL)
    {
      g_string_append (json, ", \"sheet\": ");
      hs_cli_json_append_string (json, sheet_path);
    }
  if (extra_json != NULL)
    g_string_append_printf (json, ", %s", extra_json);
  g_string_append (json, "}");
  g_print ("%s\n", json->str);
}

gboolean
hs_cli_show_dataset (HsDataset *ds, const char *path, gboolean json, const char *extra_json,
                     const char *sheet_path, guint sheet_samples, guint sheet_scale,
                     GError **error)
{
  /* The sheet first: when it cannot be written the command fails before
   * printing anything that suggests it worked. */
  if (sheet_path != NULL &&
      !hs_dataset_write_sheet (ds, sheet_path, sheet_samples, sheet_scale, error))
    return FALSE;
  if (json)
    show_dataset_json (ds, path, extra_json, sheet_path);
  else
    show_dataset_text (ds, path, sheet_path);
  return TRUE;
}

/* dataset import */

typedef struct {
  const char *path;
  const char *name;
  gboolean replace;
  HsImportOptions options;
  HsImportReport *report;
  HsDataset *ds;
  GError *error;
} ImportJob;

static gboolean
import_work (gpointer data, GCancellable *cancellable)
{
  ImportJob *job = data;
  g_autoptr(HsDataset) ds = hs_import (job->path, job->name, &job->options, job->report,
                                       cancellable, &job->error);

  if (ds == NULL)
    return FALSE;
  if (hs_dataset_get_meta (ds, "source") == NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (job->path);
      g_autofree char *where = g_file_get_path (file);
      g_autofree char *display = g_filename_display_name (where);
      hs_dataset_set_meta (ds, "source", display);
    }
  /* Saving cannot be stopped half-way (it writes a temporary file and
   * renames it), so a Ctrl-C that came during the import's last steps is
   * honoured here: nothing is saved. */
  if (g_cancellable_set_error_if_cancelled (cancellable, &job->error) ||
      !hs_dataset_store_save (ds, job->replace, &job->error))
    return FALSE;
  job->ds = g_steal_pointer (&ds);
  return TRUE;
}

/* Without --name, a folder "Pets/" or a file "pets.csv" is called "Pets" or
 * "pets" when that is a valid name. */
static char *
default_name (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  char *dot;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      if (g_str_has_suffix (base, ".gz"))
        base[strlen (base) - 3] = '\0';
      if ((dot = strrchr (base, '.')) != NULL && dot != base)
        *dot = '\0';
    }
  return hs_dataset_name_is_valid (base, NULL) ? g_steal_pointer (&base) : NULL;
}

static void
print_skips (FILE *out, HsImportReport *report, guint max)
{
  guint n = report->skipped->len;

  if (n == 0)
    return;
  fprintf (out, "Skipped %u file%s:\n", n, n == 1 ? "" : "s");
  for (guint i = 0; i < MIN (n, max); i++)
    {
      HsImportSkip *skip = g_ptr_array_index (report->skipped, i);
      fprintf (out, "  %s: %s\n", skip->file, skip->reason);
    }
  if (n > max)
    fprintf (out, "  … and %u more (--json lists them all)\n", n - max);
}

static void
print_import_text (ImportJob *job, gdouble seconds)
{
  HsDataset *ds = job->ds;
  g_autofree char *path = hs_dataset_store_path (hs_dataset_get_name (ds));
  guint width = class_column_width (ds);

  g_print ("Imported “%s”: %" G_GSIZE_FORMAT " images in %u classes (%u×%u) in %.1f s\n",
           hs_dataset_get_name (ds), hs_dataset_get_n_images (ds),
           hs_dataset_get_n_classes (ds), hs_dataset_get_size (ds), hs_dataset_get_size (ds),
           seconds);
  g_print ("  ");
  print_padded ("class", width);
  g_print ("  %7s %7s %7s %7s\n", "images", "train", "val", "test");
  for (guint c = 0; c < hs_dataset_get_n_classes (ds); c++)
    {
      g_print ("  ");
      print_padded (hs_dataset_get_class_name (ds, c), width);
      g_print ("  %7" G_GSIZE_FORMAT " %7" G_GSIZE_FORMAT " %7" G_GSIZE_FORMAT " %7"
               G_GSIZE_FORMAT "\n",
               hs_dataset_count (ds, c, HS_N_SPLITS), hs_dataset_count (ds, c, HS_SPLIT_TRAIN),
               hs_dataset_count (ds, c, HS_SPLIT_VAL), hs_dataset_count (ds, c, HS_SPLIT_TEST));
    }
  fflush (stdout);
  print_skips (stdout, job->report, MAX_SKIPS_SHOWN);
  g_print ("Saved to %s\n", path);
}

/* The report's JSON is the importer's (hs_import_report_to_json); the CLI
 * adds where the dataset was saved and how long the import took, in the
 * same layout (one member per line). */
static void
print_import_json (ImportJob *job, gdouble seconds)
{
  g_autofree char *report = hs_import_report_to_json (job->report, job->ds);
  g_autofree char *path = hs_dataset_store_path (hs_dataset_get_name (job->ds));
  g_autoptr(GString) json = g_string_new (g_strchomp (report));

  if (json->len > 0 && json->str[json->len - 1] == '}')
    {
      g_string_truncate (json, json->len - 1);
      g_strchomp (json->str);
      g_string_set_size (json, strlen (json->str));
      if (json->str[json->len - 1] != '{')
        g_string_append_c (json, ',');
      g_string_append (json, "\n  \"file\": ");
      hs_cli_json_append_string (json, path);
      g_string_append_printf (json, ",\n  \"seconds\": %.3f\n}", seconds);
    }
  g_print ("%s\n", json->str);
}

static int
dataset_import (int argc, char **argv)
{
  g_autofree char *name = NULL;
  gboolean replace = FALSE, json = FALSE, quiet = FALSE;
  gint size = HS_DATASET_DEFAULT_SIZE;
  gint64 seed = -1;
  gdouble val = -1, test = -1;
  GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name,
      "The dataset's name (default: the folder's or file's name)", "NAME" },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace, "Replace a dataset of that name", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the import report as JSON", NULL },
    { "size", 0, 0, G_OPTION_ARG_INT, &size, "Image size in pixels (default 32)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the train/val/test split", "N" },
    { "val", 0, 0, G_OPTION_ARG_DOUBLE, &val, "Fraction for validation (default 0.15)", "F" },
    { "test", 0, 0, G_OPTION_ARG_DOUBLE, &test, "Fraction for testing (default 0.15)", "F" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress bar", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("DIR|FILE — import a folder of class folders, an IDX or a CSV file");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(HsImportReport) report = hs_import_report_new ();
  g_autoptr(HsCliProgress) progress = NULL;
  g_autoptr(HsDataset) ds = NULL;
  g_autoptr(GError) error = NULL;
  ImportJob job = { 0 };
  gint64 start;
  gboolean ok;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "A folder holds one sub-folder per class (PNG, JPEG, GIF, BMP, TIFF, WebP, SVG;\n"
    "searched recursively, hidden files ignored).  A FILE is an IDX images file\n"
    "(MNIST format, labels file beside it) or a CSV of path,label lines.\n"
    "Unreadable images are skipped and listed in the report.");
  if (!hs_cli_parse_options (context, "dataset import", &argc, &argv))
    return HS_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      g_printerr ("dataset import: give one folder or file to import "
                  "(hyperstar-cli dataset import DIR|FILE --name NAME)\n");
      return HS_CLI_EXIT_USAGE;
    }
  if (size < 4 || size > 1024)
    {
      g_printerr ("dataset import: --size must be between 4 and 1024\n");
      return HS_CLI_EXIT_USAGE;
    }
  if (!g_file_test (argv[1], G_FILE_TEST_EXISTS))
    {
      g_autofree char *display = g_filename_display_name (argv[1]);
      g_printerr ("dataset import: %s: no such file or folder\n", display);
      return 1;
    }
  if (name == NULL && (name = default_name (argv[1])) == NULL)
    {
      g_printerr ("dataset import: name the dataset with --name NAME\n");
      return HS_CLI_EXIT_USAGE;
    }
  if (!hs_dataset_name_is_valid (name, &error))
    {
      g_printerr ("dataset import: %s\n", error->message);
      return HS_CLI_EXIT_USAGE;
    }
  /* Asked before the import rather than after it: an import can take
   * minutes, and would then be thrown away. */
  if (!replace && hs_dataset_store_exists (name))
    {
      g_printerr ("dataset import: a dataset named “%s” already exists; "
                  "use --replace to replace it\n", name);
      return 1;
    }

  progress = hs_cli_progress_new (quiet);
  hs_cli_progress_set_label (progress, name);
  job.path = argv[1];
  job.name = name;
  job.replace = replace;
  job.report = report;
  hs_import_options_init (&job.options);
  job.options.size = size;
  if (seed >= 0)
    job.options.seed = seed;
  if (val >= 0)
    job.options.val_fraction = val;
  if (test >= 0)
    job.options.test_fraction = test;
  job.options.progress = hs_cli_progress_update;
  job.options.progress_data = progress;

  start = g_get_monotonic_time ();
  ok = hs_cli_run_interruptible (import_work, &job, cancellable);
  hs_cli_progress_clear (progress);
  ds = job.ds;
  if (!ok)
    {
      g_autoptr(GError) job_error = job.error;

      if (hs_cli_is_cancelled (job_error, cancellable))
        {
          g_printerr ("dataset import: interrupted; nothing was saved\n");
          return HS_CLI_EXIT_INTERRUPTED;
        }
      g_printerr ("dataset import: %s\n", job_error ? job_error->message : "failed");
      /* The skipped files often explain the failure (a class whose images
       * were all unreadable is empty). */
      print_skips (stderr, report, MAX_SKIPS_SHOWN);
      return 1;
    }
  if (json)
    print_import_json (&job, (g_get_monotonic_time () - start) / 1e6);
  else
    print_import_text (&job, (g_get_monotonic_time () - start) / 1e6);
  return 0;
}

/* dataset list */

static int
dataset_list (int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON array", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— list imported datasets");
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *data_dir = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse_options (context, "dataset list", &argc, &argv))
    return HS_CLI_EXIT_USAGE;
  if (argc != 1)
    {
      g_printerr ("dataset list: takes no arguments\n");
      return HS_CLI_EXIT_USAGE;
    }
  if ((names = hs_dataset_store_list (&error)) == NULL && error != NULL)
    {
      g_printerr ("dataset list: %s\n", error->message);
      return 1;
    }
  if (names == NULL)
    names = g_new0 (char *, 1);
  data_dir = hs_data_dir ();
  if (json)
    g_string_append_c (out, '[');
  if (!json && names[0] == NULL)
    {
      g_print ("No datasets in %s (add one with hyperstar-cli dataset import).\n", data_dir);
      return 0;
    }
  if (!json)
    g_string_append_printf (out, "%-24s %7s %8s %7s  %s\n", "NAME", "CLASSES", "IMAGES", "SIZE",
                            "SOURCE");
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = hs_dataset_store_path (names[i]);
      g_autoptr(GError) load_error = NULL;
      gsize n_images = 0;
      g_autoptr(HsDataset) ds = hs_dataset_load_header (path, &n_images, &load_error);
      const char *source = ds ? hs_dataset_get_meta (ds, "source") : NULL;

      if (json)
        {
          g_string_append (out, i ? ", {\"name\": " : "{\"name\": ");
          hs_cli_json_append_string (out, names[i]);
          if (ds != NULL)
            g_string_append_printf (out, ", \"classes\": %u, \"images\": %" G_GSIZE_FORMAT
                                    ", \"size\": %u", hs_dataset_get_n_classes (ds), n_images,
                                    hs_dataset_get_size (ds));
          else
            {
              g_string_append (out, ", \"error\": ");
              hs_cli_json_append_string (out, load_error->message);
            }
          if (source != NULL)
            {
              g_string_append (out, ", \"source\": ");
              hs_cli_json_append_string (out, source);
            }
          g_string_append (out, ", \"file\": ");
          hs_cli_json_append_string (out, path);
          g_string_append (out, "}");
        }
      else if (ds != NULL)
        {
          g_autofree char *dims = g_strdup_printf ("%u×%u", hs_dataset_get_size (ds),
                                                   hs_dataset_get_size (ds));
          g_string_append_printf (out, "%-24s %7u %8" G_GSIZE_FORMAT " %*s  %s\n", names[i],
                                  hs_dataset_get_n_classes (ds), n_images,
                                  /* "×" is two bytes wide in printf's eyes */
                                  8, dims, source ? source : "");
        }
      else
        g_string_append_printf (out, "%-24s unreadable: %s\n", names[i], load_error->message);
    }
  if (json)
    g_string_append (out, "]\n");
  g_print ("%s", out->str);
  return 0;
}

/* dataset show */

static int
dataset_show (int argc, char **argv)
{
  g_auto(HsCliSheetOptions) sheet = { 0 };
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON object", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("NAME — show a dataset's classes and splits");
  g_autoptr(GError) error = NULL;
  g_autoptr(HsDataset) ds = NULL;
  g_autofree char *path = NULL;

  hs_cli_sheet_options_add (context, &sheet);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse_options (context, "dataset show", &argc, &argv))
    return HS_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      g_printerr ("dataset show: give one dataset name (hyperstar-cli dataset list shows them)\n");
      return HS_CLI_EXIT_USAGE;
    }
  if (!hs_cli_sheet_options_check (&sheet, "dataset show"))
    return HS_CLI_EXIT_USAGE;
  if ((ds = hs_dataset_store_load (argv[1], &error)) == NULL)
    {
      g_printerr ("dataset show: %s\n", error->message);
      return 1;
    }
  path = hs_dataset_store_path (argv[1]);
  if (!hs_cli_show_dataset (ds, path, json, NULL, sheet.path, sheet.samples, sheet.scale,
                            &error))
    {
      g_printerr ("dataset show: %s\n", error->message);
      return 1;
    }
  return 0;
}

/* dataset delete */

static int
dataset_delete (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("NAME… — delete imported datasets");
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!hs_cli_parse_options (context, "dataset delete", &argc, &argv))
    return HS_CLI_EXIT_USAGE;
  if (argc < 2)
    {
      g_printerr ("dataset delete: give the name of the dataset to delete\n");
      return HS_CLI_EXIT_USAGE;
    }
  for (int i = 1; i < argc; i++)
    {
      if (hs_dataset_store_delete (argv[i], &error))
        g_print ("Deleted “%s”.\n", argv[i]);
      else
        {
          g_printerr ("dataset delete: %s\n", error->message);
          g_clear_error (&error);
          status = 1;
        }
    }
  return status;
}

static const HsCliCommand subcommands[] = {
  { "import", dataset_import, "DIR|FILE [--name NAME] [--replace] [--json]  import images" },
  { "list", dataset_list, "[--json]  list imported datasets" },
  { "show", dataset_show, "NAME [--sheet FILE.png] [--json]  classes, splits, contact sheet" },
  { "delete", dataset_delete, "NAME…  delete datasets" },
};

int
hs_cli_dataset (int argc, char **argv)
{
  return hs_cli_run_subcommand ("dataset", subcommands, G_N_ELEMENTS (subcommands),
                                "Datasets are kept in $HS_DATA_DIR, else $XDG_DATA_HOME/hyperstar.\n",
                                argc, argv);
}
