/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hyperstar-cli tasks list|build|show`: the built-in catalog of tasks
 * (hs-catalog.h), built from Debian packages into the cache.
 */
#define G_LOG_DOMAIN "hyperstar-cli"

#include <stdio.h>

#include "hs-catalog.h"
#include "hs-cli.h"
#include "hs-cli-progress.h"
#include "hs-dataset-store.h"

static gint
compare_strings (gconstpointer a, gconstpointer b, gpointer data)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* The distinct package names in space-separated lists, sorted. */
static char *
union_of_packages (GPtrArray *lists)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char **names = NULL;
  guint n;

  for (guint i = 0; i < lists->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (lists, i), " ", -1);
      for (guint k = 0; parts[k] != NULL; k++)
        if (*parts[k] != '\0')
          g_hash_table_add (set, g_strdup (parts[k]));
    }
  names = (char **) g_hash_table_get_keys_as_array (set, &n);
  g_qsort_with_data (names, n, sizeof (char *), compare_strings, NULL);
  return g_strjoinv (" ", names);
}

static char *
packages_string (HsTaskRecipe *recipe)
{
  return recipe->packages != NULL ? g_strjoinv (" ", recipe->packages) : g_strdup ("");
}

/* The table's package column: a glyph task can draw on sixty font
 * packages, so name the first and count the rest (--json lists them all). */
static char *
packages_short (HsTaskRecipe *recipe)
{
  guint n = recipe->packages != NULL ? g_strv_length (recipe->packages) : 0;

  if (n <= 1)
    return g_strdup (n == 1 ? recipe->packages[0] : "");
  return g_strdup_printf ("%s +%u", recipe->packages[0], n - 1);
}

/* What a listing knows of a task's size.  A built task's cache header is
 * the truth; before that, the recipe may say how many classes it asks for
 * (a "classes" list) and caps each class (max-per-class), which bounds the
 * images but does not say how many survive rendering. */
typedef struct {
  gboolean built;
  gint classes;        /* -1: unknown */
  gint64 images;       /* -1: unknown */
  gint64 max_images;   /* -1: unknown; the recipe's bound when not built */
  gint max_per_class;  /* -1: not in the recipe */
  const char *counts;  /* "cache", "recipe" or "unknown" */
} TaskSize;

static void
task_size (HsTaskRecipe *recipe, TaskSize *size)
{
  size->built = hs_task_is_built (recipe);
  size->classes = -1;
  size->images = -1;
  size->max_images = -1;
  size->max_per_class = -1;
  size->counts = "unknown";
  if (recipe->keyfile != NULL && g_key_file_has_key (recipe->keyfile, "Task", "max-per-class", NULL))
    size->max_per_class = g_key_file_get_integer (recipe->keyfile, "Task", "max-per-class", NULL);
  if (size->built)
    {
      g_autofree char *path = hs_task_cache_path (recipe);
      gsize n_images = 0;
      g_autoptr(HsDataset) header = hs_dataset_load_header (path, &n_images, NULL);

      if (header != NULL)
        {
          size->classes = hs_dataset_get_n_classes (header);
          size->images = n_images;
          size->counts = "cache";
          return;
        }
      size->built = FALSE;  /* unreadable: it will be rebuilt */
    }
  if (recipe->keyfile != NULL)
    {
      g_auto(GStrv) groups = g_key_file_get_groups (recipe->keyfile, NULL);

      for (guint i = 0; groups != NULL && groups[i] != NULL; i++)
        {
          gsize n = 0;
          g_auto(GStrv) classes = g_key_file_get_string_list (recipe->keyfile, groups[i],
                                                               "classes", &n, NULL);
          if (classes != NULL && n > 1)
            {
              size->classes = n;
              size->counts = "recipe";
              if (size->max_per_class > 0)
                size->max_images = (gint64) n * size->max_per_class;
              break;
            }
        }
    }
}

/* tasks list */

static int
tasks_list (int argc, char **argv)
{
  gboolean json = FALSE;
  g_autofree char *family = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON array", NULL },
    { "family", 'f', 0, G_OPTION_ARG_STRING, &family, "Only tasks of this family", "FAMILY" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— list the built-in tasks");
  g_autoptr(GPtrArray) catalog = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GHashTable) families = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) missing_lists = g_ptr_array_new_with_free_func (g_free);
  guint shown = 0, built = 0, unavailable = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse_options (context, "tasks list", &argc, &argv))
    return HS_CLI_EXIT_USAGE;
  if (argc != 1)
    {
      g_printerr ("tasks list: takes no arguments\n");
      return HS_CLI_EXIT_USAGE;
    }
  if ((catalog = hs_cli_load_catalog ("tasks list")) == NULL)
    return 1;

  if (json)
    g_string_append_c (out, '[');
  else
    g_string_append_printf (out, "%-24s %-9s %7s %7s  %-30s %s\n", "NAME", "FAMILY", "CLASSES",
                            "IMAGES", "PACKAGE", "STATUS");
  for (guint i = 0; i < catalog->len; i++)
    {
      HsTaskRecipe *recipe = g_ptr_array_index (catalog, i);
      g_autofree char *packages = packages_string (recipe);
      g_autofree char *missing = hs_task_missing_packages (recipe);
      TaskSize size;

      if (family != NULL && g_strcmp0 (recipe->family, family) != 0)
        continue;
      task_size (recipe, &size);
      if (recipe->family != NULL)
        g_hash_table_add (families, recipe->family);
      built += size.built;
      if (missing != NULL)
        {
          unavailable++;
          g_ptr_array_add (missing_lists, g_strdup (missing));
        }

      if (json)
        {
          g_string_append (out, shown ? ", {\"name\": " : "{\"name\": ");
          hs_cli_json_append_string (out, recipe->name);
          g_string_append (out, ", \"family\": ");
          hs_cli_json_append_string (out, recipe->family);
          if (size.classes >= 0)
            g_string_append_printf (out, ", \"classes\": %d", size.classes);
          else
            g_string_append (out, ", \"classes\": null");
          if (size.images >= 0)
            g_string_append_printf (out, ", \"images\": %" G_GINT64_FORMAT, size.images);
          else
            g_string_append (out, ", \"images\": null");
          if (size.max_images >= 0)
            g_string_append_printf (out, ", \"max_images\": %" G_GINT64_FORMAT, size.max_images);
          if (size.max_per_class >= 0)
            g_string_append_printf (out, ", \"max_per_class\": %d", size.max_per_class);
          g_string_append_printf (out, ", \"counts\": \"%s\", \"package\": ", size.counts);
          hs_cli_json_append_string (out, packages);
          g_string_append (out, ", \"packages\": [");
          for (guint k = 0; recipe->packages != NULL && recipe->packages[k] != NULL; k++)
            {
              if (k > 0)
                g_string_append (out, ", ");
              hs_cli_json_append_string (out, recipe->packages[k]);
            }
          g_string_append (out, "]");
          g_string_append_printf (out, ", \"built\": %s, \"available\": %s, \"missing\": ",
                                  size.built ? "true" : "false", missing ? "false" : "true");
          if (missing != NULL)
            hs_cli_json_append_string (out, missing);
          else
            g_string_append (out, "null");
          g_string_append (out, ", \"licence\": ");
          hs_cli_json_append_string (out, recipe->licence);
          g_string_append (out, ", \"description\": ");
          hs_cli_json_append_string (out, recipe->description);
          g_string_append (out, "}");
        }
      else
        {
          g_autofree char *classes = size.classes >= 0 ? g_strdup_printf ("%d", size.classes)
                                                       : g_strdup ("?");
          g_autofree char *images = size.images >= 0
                                    ? g_strdup_printf ("%" G_GINT64_FORMAT, size.images)
                                    : size.max_images >= 0
                                    ? g_strdup_printf ("≤%" G_GINT64_FORMAT, size.max_images)
                                    : g_strdup ("?");
          g_autofree char *short_packages = packages_short (recipe);
          g_autofree char *status = missing != NULL ? g_strdup_printf ("needs %s", missing)
                                    : g_strdup (size.built ? "built" : "not built");

          /* "≤" is three bytes and one column: printf pads by bytes. */
          g_string_append_printf (out, "%-24s %-9s %7s %*s  %-30s %s\n", recipe->name,
                                  recipe->family ? recipe->family : "", classes,
                                  g_str_has_prefix (images, "≤") ? 9 : 7, images,
                                  short_packages, status);
        }
      shown++;
    }
  if (json)
    {
      g_string_append (out, "]\n");
      g_print ("%s", out->str);
      return 0;
    }

  g_print ("%s", out->str);
  g_print ("\n%u task%s in %u famil%s; %u built", shown, shown == 1 ? "" : "s",
           g_hash_table_size (families), g_hash_table_size (families) == 1 ? "y" : "ies", built);
  if (unavailable > 0)
    {
      g_autofree char *joined = union_of_packages (missing_lists);

      g_print ("; %u cannot be built until these packages are installed:\n  %s\n",
               unavailable, joined);
    }
  else
    g_print (".\n");
  if (shown > built)
    g_print ("Build them with: hyperstar-cli tasks build --all\n");
  return 0;
}

/* tasks build */

typedef struct {
  GPtrArray *todo;        /* HsTaskRecipe, borrowed from the catalog */
  HsCliProgress *progress;
  gboolean force;
  gboolean json;
  GPtrArray *built;       /* "name" */
  GPtrArray *up_to_date;  /* "name" */
  GPtrArray *skipped;     /* "name\tmissing packages, or why" */
  GPtrArray *packages;    /* the missing packages' lists, for an install hint */
  GPtrArray *failed;      /* "name: message" */
  GString *json_out;
  gboolean cancelled;
} BuildJob;

static void
json_item (GString *json, const char *name, const char *key, const char *value)
{
  g_string_append (json, json->str[json->len - 1] == '[' ? "{\"name\": " : ", {\"name\": ");
  hs_cli_json_append_string (json, name);
  if (key != NULL)
    {
      g_string_append_printf (json, ", \"%s\": ", key);
      hs_cli_json_append_string (json, value);
    }
  g_string_append (json, "}");
}

static gboolean
build_work (gpointer data, GCancellable *cancellable)
{
  BuildJob *job = data;
  guint n = job->todo->len;

  for (guint i = 0; i < n && !job->cancelled; i++)
    {
      HsTaskRecipe *recipe = g_ptr_array_index (job->todo, i);
      g_autofree char *missing = hs_task_missing_packages (recipe);
      g_autofree char *label = g_strdup_printf ("[%u/%u] %s", i + 1, n, recipe->name);
      g_autoptr(GError) error = NULL;
      g_autoptr(HsDataset) ds = NULL;
      gint64 start;

      if (missing != NULL)
        {
          g_ptr_array_add (job->skipped, g_strdup_printf ("%s\t%s", recipe->name, missing));
          g_ptr_array_add (job->packages, g_strdup (missing));
          hs_cli_progress_print (job->progress, stdout, "%s: skipped, needs %s", label, missing);
          continue;
        }
      if (!job->force && hs_task_is_built (recipe))
        {
          g_ptr_array_add (job->up_to_date, g_strdup (recipe->name));
          hs_cli_progress_print (job->progress, stdout, "%s: up to date", label);
          continue;
        }

      hs_cli_progress_set_label (job->progress, label);
      start = g_get_monotonic_time ();
      ds = hs_task_build (recipe, hs_cli_progress_update, job->progress, cancellable, &error);
      if (ds != NULL)
        {
          g_ptr_array_add (job->built, g_strdup (recipe->name));
          hs_cli_progress_print (job->progress, stdout,
                                 "%s: %" G_GSIZE_FORMAT " images, %u classes (%.1f s)", label,
                                 hs_dataset_get_n_images (ds), hs_dataset_get_n_classes (ds),
                                 (g_get_monotonic_time () - start) / 1e6);
        }
      else if (hs_cli_is_cancelled (error, cancellable))
        job->cancelled = TRUE;
      else if (g_error_matches (error, HS_DATASET_ERROR, HS_DATASET_ERROR_MISSING))
        {
          /* The recipe's package list did not name everything it needed;
           * still a missing package, not a failure of the build. */
          g_ptr_array_add (job->skipped, g_strdup_printf ("%s\t%s", recipe->name, error->message));
          hs_cli_progress_print (job->progress, stdout, "%s: skipped, %s", label, error->message);
        }
      else
        {
          g_ptr_array_add (job->failed, g_strdup_printf ("%s\t%s", recipe->name, error->message));
          hs_cli_progress_print (job->progress, stderr, "%s: FAILED: %s", label, error->message);
        }
    }
  hs_cli_progress_clear (job->progress);
  return job->failed->len == 0 && !job->cancelled;
}

static void
print_build_summary (BuildJob *job, gdouble seconds)
{
  if (job->json)
    {
      g_autoptr(GString) json = g_string_new ("{\"built\": [");

      for (guint i = 0; i < job->built->len; i++)
        json_item (json, g_ptr_array_index (job->built, i), NULL, NULL);
      g_string_append (json, "], \"up_to_date\": [");
      for (guint i = 0; i < job->up_to_date->len; i++)
        json_item (json, g_ptr_array_index (job->up_to_date, i), NULL, NULL);
      g_string_append (json, "], \"skipped\": [");
      for (guint i = 0; i < job->skipped->len; i++)
        {
          g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (job->skipped, i), "\t", 2);
          json_item (json, parts[0], "missing", parts[1]);
        }
      g_string_append (json, "], \"failed\": [");
      for (guint i = 0; i < job->failed->len; i++)
        {
          g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (job->failed, i), "\t", 2);
          json_item (json, parts[0], "error", parts[1]);
        }
      g_string_append_printf (json, "], \"interrupted\": %s, \"seconds\": %.3f}",
                              job->cancelled ? "true" : "false", seconds);
      g_print ("%s\n", json->str);
      return;
    }

  g_print ("\nBuilt %u, up to date %u, skipped %u, failed %u in %.1f s.\n", job->built->len,
           job->up_to_date->len, job->skipped->len, job->failed->len, seconds);
  if (job->skipped->len > 0)
    {
      g_autofree char *packages = union_of_packages (job->packages);

      g_print ("Skipped, their packages are not installed:\n");
      for (guint i = 0; i < job->skipped->len; i++)
        {
          g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (job->skipped, i), "\t", 2);
          g_print ("  %-28s %s\n", parts[0], parts[1]);
        }
      if (*packages != '\0')
        g_print ("Install them (apt-get install %s, or build-aux/setup) and build again.\n",
                 packages);
    }
  if (job->failed->len > 0)
    {
      g_print ("Failed:\n");
      for (guint i = 0; i < job->failed->len; i++)
        {
          g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (job->failed, i), "\t", 2);
          g_print ("  %-28s %s\n", parts[0], parts[1]);
        }
    }
}

static int
tasks_build (int argc, char **argv)
{
  gboolean all = FALSE, force = FALSE, json = FALSE, quiet = FALSE;
  g_autofree char *family = NULL;
  GOptionEntry entries[] = {
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, "Build every task", NULL },
    { "family", 'f', 0, G_OPTION_ARG_STRING, &family, "Build every task of a family", "FAMILY" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Rebuild tasks that are up to date", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary at the end", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress bar", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("NAME…|--all — build tasks into the cache");
  g_autoptr(GPtrArray) catalog = NULL;
  g_autoptr(GPtrArray) todo = g_ptr_array_new ();
  g_autoptr(GPtrArray) built = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) up_to_date = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) failed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) packages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(HsCliProgress) progress = NULL;
  BuildJob job = { 0 };
  gint64 start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse_options (context, "tasks build", &argc, &argv))
    return HS_CLI_EXIT_USAGE;
  if ((argc > 1) + all + (family != NULL) != 1)
    {
      g_printerr ("tasks build: name the tasks to build, or use --all or --family FAMILY\n");
      return HS_CLI_EXIT_USAGE;
    }
  if ((catalog = hs_cli_load_catalog ("tasks build")) == NULL)
    return 1;

  for (int i = 1; i < argc; i++)
    {
      HsTaskRecipe *recipe = hs_catalog_find (catalog, argv[i]);
      if (recipe == NULL)
        {
          g_printerr ("tasks build: no task named “%s” (hyperstar-cli tasks list shows them)\n",
                      argv[i]);
          return HS_CLI_EXIT_USAGE;
        }
      if (!g_ptr_array_find (todo, recipe, NULL))
        g_ptr_array_add (todo, recipe);
    }
  for (guint i = 0; (all || family) && i < catalog->len; i++)
    {
      HsTaskRecipe *recipe = g_ptr_array_index (catalog, i);
      if (all || g_strcmp0 (recipe->family, family) == 0)
        g_ptr_array_add (todo, recipe);
    }
  if (todo->len == 0)
    {
      g_printerr ("tasks build: no task of family “%s”\n", family);
      return HS_CLI_EXIT_USAGE;
    }

  progress = hs_cli_progress_new (quiet);
  job.todo = todo;
  job.progress = progress;
  job.force = force;
  job.json = json;
  job.built = built;
  job.up_to_date = up_to_date;
  job.skipped = skipped;
  job.packages = packages;
  job.failed = failed;
  start = g_get_monotonic_time ();
  hs_cli_run_interruptible (build_work, &job, cancellable);
  print_build_summary (&job, (g_get_monotonic_time () - start) / 1e6);
  if (job.cancelled)
    {
      g_printerr ("tasks build: interrupted; the task being built was not saved\n");
      return HS_CLI_EXIT_INTERRUPTED;
    }
  return failed->len > 0 ? 1 : 0;
}

/* tasks show */

typedef struct {
  HsTaskRecipe *recipe;
  HsCliProgress *progress;
  HsDataset *ds;
  GError *error;
} LoadJob;

static gboolean
load_work (gpointer data, GCancellable *cancellable)
{
  LoadJob *job = data;

  if (hs_task_is_built (job->recipe))
    job->ds = hs_task_load (job->recipe, &job->error);
  else
    job->ds = hs_task_build (job->recipe, hs_cli_progress_update, job->progress, cancellable,
                             &job->error);
  hs_cli_progress_clear (job->progress);
  return job->ds != NULL;
}

static int
tasks_show (int argc, char **argv)
{
  g_auto(HsCliSheetOptions) sheet = { 0 };
  gboolean json = FALSE, quiet = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON object", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress bar when it must be built", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("NAME — show a task's classes and splits (building it if needed)");
  g_autoptr(GPtrArray) catalog = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(HsCliProgress) progress = NULL;
  g_autoptr(HsDataset) ds = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) extra = g_string_new ("\"recipe\": ");
  g_autofree char *missing = NULL;
  g_autofree char *cache = NULL;
  HsTaskRecipe *recipe;
  LoadJob job = { 0 };

  hs_cli_sheet_options_add (context, &sheet);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse_options (context, "tasks show", &argc, &argv))
    return HS_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      g_printerr ("tasks show: give one task name (hyperstar-cli tasks list shows them)\n");
      return HS_CLI_EXIT_USAGE;
    }
  if (!hs_cli_sheet_options_check (&sheet, "tasks show"))
    return HS_CLI_EXIT_USAGE;
  if ((catalog = hs_cli_load_catalog ("tasks show")) == NULL)
    return 1;
  if ((recipe = hs_catalog_find (catalog, argv[1])) == NULL)
    {
      g_printerr ("tasks show: no task named “%s” (hyperstar-cli tasks list shows them)\n",
                  argv[1]);
      return 1;
    }
  if (!hs_task_is_built (recipe) && (missing = hs_task_missing_packages (recipe)) != NULL)
    {
      g_printerr ("tasks show: %s is not built, and cannot be until these packages are "
                  "installed: %s\n", recipe->name, missing);
      return 1;
    }

  progress = hs_cli_progress_new (quiet);
  hs_cli_progress_set_label (progress, recipe->name);
  job.recipe = recipe;
  job.progress = progress;
  if (!hs_cli_run_interruptible (load_work, &job, cancellable))
    {
      g_autoptr(GError) job_error = job.error;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_printerr ("tasks show: interrupted\n");
          return HS_CLI_EXIT_INTERRUPTED;
        }
      g_printerr ("tasks show: %s: %s\n", recipe->name, job_error ? job_error->message : "failed");
      return 1;
    }
  ds = job.ds;

  cache = hs_task_cache_path (recipe);
  hs_cli_json_append_string (extra, recipe->path);
  g_string_append (extra, ", \"family\": ");
  hs_cli_json_append_string (extra, recipe->family);
  g_string_append (extra, ", \"package\": ");
  {
    g_autofree char *packages = packages_string (recipe);
    hs_cli_json_append_string (extra, packages);
  }
  g_string_append (extra, ", \"licence\": ");
  hs_cli_json_append_string (extra, recipe->licence);
  g_string_append (extra, ", \"built\": true");
  if (!hs_cli_show_dataset (ds, cache, json, extra->str, sheet.path, sheet.samples,
                            sheet.scale, &error))
    {
      g_printerr ("tasks show: %s\n", error->message);
      return 1;
    }
  return 0;
}

static const HsCliCommand subcommands[] = {
  { "list", tasks_list, "[--json] [--family F]  the catalog: families, sizes, packages, status" },
  { "build", tasks_build, "NAME…|--all|--family F [--force]  build tasks into the cache" },
  { "show", tasks_show, "NAME [--sheet FILE.png] [--json]  classes, splits, contact sheet" },
};

int
hs_cli_tasks (int argc, char **argv)
{
  g_autofree char *dir = hs_catalog_dir ();
  g_autofree char *footer =
    g_strdup_printf ("Recipes are read from %s; built tasks are cached in $HS_CACHE_DIR,\n"
                     "else $XDG_CACHE_HOME/hyperstar.\n", dir);

  return hs_cli_run_subcommand ("tasks", subcommands, G_N_ELEMENTS (subcommands), footer,
                                argc, argv);
}
