/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hyperstar-cli meta build`: the meta-dataset.  Every (task, configuration)
 * pair of a grid is fine-tuned from the shipped backbone for R epochs and its
 * learning curve recorded in DIR (docs/meta-dataset.md):
 *
 *   curves.csv     task,config,epoch,val_acc,train_loss,seconds
 *   final.csv      task,config,val_acc,test_acc   (one row per finished pair)
 *   grid.json      configuration id → the configuration, every trainer key
 *   manifest.json  tasks (recipe checksums, sizes), weights checksum, engine
 *                  version, device, dates, compute spent
 *
 * Results are committed one pair at a time: a pair's curve rows are appended
 * and synced, then its final row.  A pair is finished when its final row is
 * there; a build started again skips finished pairs, and first drops the
 * curve rows of a pair it was in the middle of (and a half-written line).
 *
 * Task sizes: the paper's datasets differ in size, and size changes which
 * configuration wins, so each task keeps at most N training images per class
 * with N taken in turn from --sizes over the tasks in name order; validation
 * and test keep at most 50 per class, enough to rank configurations.
 */
#define G_LOG_DOMAIN "hyperstar-cli"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <unistd.h>

#include "hs-cli.h"
#include "hs-cli-progress.h"
#include "hs-catalog.h"
#include "hs-trainer.h"

#define DEFAULT_EPOCHS 9
#define DEFAULT_SIZES "20,40,80,160,320"
#define EVAL_PER_CLASS 50
#define SUBSAMPLE_SEED 7

typedef struct {
  char *id;
  HsTrainConfig config;
} GridEntry;

typedef struct {
  /* Inputs. */
  GPtrArray *tasks;          /* HsTaskRecipe, borrowed from the catalog */
  GArray *grid;              /* GridEntry */
  char *grid_name;
  char *out;
  guint epochs;
  GArray *sizes;             /* guint: training images per class, in turn */
  char *weights_path;
  HsCliProgress *progress;
  /* State. */
  GHashTable *finished;      /* "task,config" */
  guint n_pairs, n_done;
  gdouble seconds;           /* compute spent by finished pairs, earlier runs included */
  GError *error;
} MetaBuild;

static void
grid_entry_clear (gpointer p)
{
  g_free (((GridEntry *) p)->id);
}

/* A grid file: {"name": …, "description": …, "grid": {ID: {config}, …}}. */
static GArray *
load_grid (const char *path, char **name, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) grid = g_array_new (FALSE, TRUE, sizeof (GridEntry));
  JsonObject *root, *members;
  g_autoptr(GList) ids = NULL;

  g_array_set_clear_func (grid, grid_entry_clear);
  if (!json_parser_load_from_file (parser, path, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      (root = json_node_get_object (json_parser_get_root (parser))) == NULL ||
      !json_object_has_member (root, "grid") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "grid")))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: expected an object with a \"grid\" object of configurations", path);
      return NULL;
    }
  members = json_object_get_object_member (root, "grid");
  ids = json_object_get_members (members);
  for (GList *l = ids; l != NULL; l = l->next)
    {
      const char *id = l->data;
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autofree char *text = NULL;
      GridEntry entry = { 0 };

      if (*id == '\0' || strpbrk (id, ",\"\n\r") != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: configuration id “%s” may not be empty or hold commas, quotes "
                       "or line breaks", path, id);
          return NULL;
        }
      json_generator_set_root (gen, json_object_get_member (members, id));
      text = json_generator_to_data (gen, NULL);
      hs_train_config_init_defaults (&entry.config);
      if (!hs_train_config_parse (&entry.config, text, error))
        {
          g_prefix_error (error, "%s: configuration %s: ", path, id);
          return NULL;
        }
      entry.id = g_strdup (id);
      g_array_append_val (grid, entry);
    }
  if (grid->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: the grid is empty", path);
      return NULL;
    }
  *name = g_strdup (json_object_has_member (root, "name") &&
                    JSON_NODE_HOLDS_VALUE (json_object_get_member (root, "name"))
                    ? json_object_get_string_member (root, "name") : NULL);
  return g_steal_pointer (&grid);
}

static char *
pair_key (const char *task, const char *config)
{
  return g_strconcat (task, ",", config, NULL);
}

/* The first two fields of a CSV line, as "task,config". */
static char *
line_pair (const char *line)
{
  const char *second = strchr (line, ',');
  const char *third = second ? strchr (second + 1, ',') : NULL;

  return third ? g_strndup (line, third - line) : NULL;
}

/* Reads path's lines; a last line without its newline was cut short by a
 * crash and is left out (*cut set). */
static GStrv
read_lines (const char *path, gboolean *cut, GError **error)
{
  g_autofree char *text = NULL;
  gsize length;
  char *end;

  *cut = FALSE;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return g_new0 (char *, 1);
  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  if (length > 0 && text[length - 1] != '\n')
    {
      *cut = TRUE;
      end = strrchr (text, '\n');
      if (end != NULL)
        end[1] = '\0';
      else
        text[0] = '\0';
    }
  if (text[0] == '\0')
    return g_new0 (char *, 1);
  if ((end = strrchr (text, '\n')) != NULL && end[1] == '\0')
    *end = '\0';
  return g_strsplit (text, "\n", -1);
}

static gboolean
write_lines (const char *path, const char *header, GPtrArray *lines, GError **error)
{
  g_autoptr(GString) text = g_string_new (header);

  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (text, "%s\n", (const char *) g_ptr_array_index (lines, i));
  return g_file_set_contents_full (path, text->str, text->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}

static const char curves_header[] = "task,config,epoch,val_acc,train_loss,seconds\n";
static const char final_header[] = "task,config,val_acc,test_acc\n";

/* Reads what an earlier run finished and tidies up after an interrupted
 * one: final.csv loses a half-written line, curves.csv the rows of pairs
 * that never got a final row. */
static gboolean
recover (MetaBuild *b, GError **error)
{
  g_autofree char *final_path = g_build_filename (b->out, "final.csv", NULL);
  g_autofree char *curves_path = g_build_filename (b->out, "curves.csv", NULL);
  g_auto(GStrv) finals = NULL, curves = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new ();
  gboolean cut_final, cut_curves;

  if ((finals = read_lines (final_path, &cut_final, error)) == NULL ||
      (curves = read_lines (curves_path, &cut_curves, error)) == NULL)
    return FALSE;
  for (guint i = finals[0] ? 1 : 0; finals[i] != NULL; i++)
    {
      char *key = line_pair (finals[i]);
      if (key == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s, line %u: not a result",
                       final_path, i + 1);
          return FALSE;
        }
      g_ptr_array_add (keep, finals[i]);
      g_hash_table_add (b->finished, key);
    }
  if (cut_final || finals[0] == NULL)
    if (!write_lines (final_path, final_header, keep, error))
      return FALSE;

  g_ptr_array_set_size (keep, 0);
  for (guint i = curves[0] ? 1 : 0; curves[i] != NULL; i++)
    {
      g_autofree char *key = line_pair (curves[i]);
      if (key != NULL && g_hash_table_contains (b->finished, key))
        {
          const char *last = strrchr (curves[i], ',');
          g_ptr_array_add (keep, curves[i]);
          b->seconds += last ? g_ascii_strtod (last + 1, NULL) : 0;
        }
    }
  if (cut_curves || curves[0] == NULL || keep->len + 1 != g_strv_length (curves))
    if (!write_lines (curves_path, curves_header, keep, error))
      return FALSE;
  return TRUE;
}

/* Appends text and syncs it before the next pair starts. */
static gboolean
append_synced (const char *path, const char *text, GError **error)
{
  FILE *f = g_fopen (path, "a");
  gboolean ok;

  if (f == NULL)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  ok = fputs (text, f) >= 0 && fflush (f) == 0 && fsync (fileno (f)) == 0;
  if (!ok)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", path,
                   g_strerror (saved));
    }
  fclose (f);
  return ok;
}

static char *
file_sha256 (const char *path, GError **error)
{
  g_autofree char *bytes = NULL;
  gsize length;

  if (!g_file_get_contents (path, &bytes, &length, error))
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) bytes, length);
}

typedef struct {
  MetaBuild *build;
  const char *task;
  const char *config;
  GString *rows;
  gdouble last_val;
  gdouble seconds;
} PairRun;

static void
on_epoch (const HsEpochResult *r, gpointer data)
{
  PairRun *pair = data;

  g_string_append_printf (pair->rows, "%s,%s,%u,%.6g,%.6g,%.3f\n", pair->task, pair->config,
                          r->epoch, r->val_acc, r->train_loss, r->seconds);
  pair->last_val = r->val_acc;
  pair->seconds += r->seconds;
}

static void
on_progress (guint64 done, guint64 total, const char *what, gpointer data)
{
  PairRun *pair = data;
  MetaBuild *b = pair->build;

  (void) what;
  /* The bar spans the whole build, counted in pairs. */
  hs_cli_progress_update ((guint64) b->n_done * 1000 + (total ? done * 1000 / total : 0),
                          (guint64) b->n_pairs * 1000, pair->config, b->progress);
}

/* What the manifest says about a task: its recipe and the sizes used. */
static void
add_task_json (JsonBuilder *json, HsTaskRecipe *recipe, guint train_cap, HsDataset *sub)
{
  const char *split_keys[] = { "train", "val", "test" };

  json_builder_begin_object (json);
  json_builder_set_member_name (json, "name");
  json_builder_add_string_value (json, recipe->name);
  json_builder_set_member_name (json, "family");
  json_builder_add_string_value (json, recipe->family);
  json_builder_set_member_name (json, "recipe_sha256");
  json_builder_add_string_value (json, recipe->sha256);
  json_builder_set_member_name (json, "train_per_class");
  json_builder_add_int_value (json, train_cap);
  json_builder_set_member_name (json, "classes");
  json_builder_add_int_value (json, hs_dataset_get_n_classes (sub));
  for (guint s = 0; s < HS_N_SPLITS; s++)
    {
      json_builder_set_member_name (json, split_keys[s]);
      json_builder_add_int_value (json, (gint64) hs_dataset_count (sub, G_MAXUINT, s));
    }
  json_builder_end_object (json);
}

static gboolean
write_json (const char *path, JsonBuilder *json, GError **error)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (json);
  g_autofree char *text = NULL;
  g_autofree char *with_newline = NULL;

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  with_newline = g_strconcat (text, "\n", NULL);
  return g_file_set_contents_full (path, with_newline, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}

static char *
grid_json_text (MetaBuild *b)
{
  g_autoptr(GString) text = g_string_new ("{\n");

  for (guint i = 0; i < b->grid->len; i++)
    {
      GridEntry *e = &g_array_index (b->grid, GridEntry, i);
      g_autofree char *config = hs_train_config_to_json (&e->config);
      g_string_append_printf (text, "  \"%s\": %s%s\n", e->id, config,
                              i + 1 < b->grid->len ? "," : "");
    }
  g_string_append (text, "}\n");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* A folder holds one meta-dataset: results of other weights, epochs, sizes
 * or configurations are never mixed in. */
static gboolean
check_or_start (MetaBuild *b, const char *weights_sha, GError **error)
{
  g_autofree char *grid_path = g_build_filename (b->out, "grid.json", NULL);
  g_autofree char *manifest_path = g_build_filename (b->out, "manifest.json", NULL);
  g_autofree char *grid = grid_json_text (b);
  g_autofree char *old = NULL;

  if (g_mkdir_with_parents (b->out, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", b->out,
                   g_strerror (saved));
      return FALSE;
    }
  if (g_file_test (manifest_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *m;
      const char *sha = NULL;
      gint64 epochs = -1;
      g_autofree char *sizes = NULL;

      if (!json_parser_load_from_file (parser, manifest_path, error))
        {
          g_prefix_error (error, "%s: ", manifest_path);
          return FALSE;
        }
      m = JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
          ? json_node_get_object (json_parser_get_root (parser)) : NULL;
      if (m != NULL && json_object_has_member (m, "weights_sha256"))
        sha = json_object_get_string_member (m, "weights_sha256");
      if (m != NULL && json_object_has_member (m, "epochs"))
        epochs = json_object_get_int_member (m, "epochs");
      if (m != NULL && json_object_has_member (m, "sizes"))
        {
          g_autoptr(JsonGenerator) gen = json_generator_new ();
          json_generator_set_root (gen, json_object_get_member (m, "sizes"));
          sizes = json_generator_to_data (gen, NULL);
        }
      if (g_strcmp0 (sha, weights_sha) != 0 || epochs != b->epochs)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       "%s was built with other backbone weights or another --epochs (%s); "
                       "give another --out or remove it", b->out, manifest_path);
          return FALSE;
        }
      {
        g_autoptr(GString) mine = g_string_new ("[");
        for (guint i = 0; i < b->sizes->len; i++)
          g_string_append_printf (mine, "%s%u", i ? "," : "", g_array_index (b->sizes, guint, i));
        g_string_append_c (mine, ']');
        if (sizes != NULL && !g_str_equal (sizes, mine->str))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                         "%s was built with other --sizes (%s); give another --out or "
                         "remove it", b->out, sizes);
            return FALSE;
          }
      }
    }
  /* After the manifest: its message names what differs more precisely. */
  if (g_file_get_contents (grid_path, &old, NULL, NULL) && !g_str_equal (old, grid))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "%s holds a meta-dataset of other configurations (grid.json differs); "
                   "give another --out or remove it", b->out);
      return FALSE;
    }
  return g_file_set_contents_full (grid_path, grid, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error) &&
         recover (b, error);
}

static gboolean
write_manifest (MetaBuild *b, GPtrArray *task_nodes, const char *weights_sha,
                const char *device, const char *started, GError **error)
{
  g_autofree char *path = g_build_filename (b->out, "manifest.json", NULL);
  g_autoptr(JsonBuilder) json = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *updated = g_date_time_format_iso8601 (now);
  g_autofree char *weights_name = g_path_get_basename (b->weights_path);

  json_builder_begin_object (json);
  json_builder_set_member_name (json, "grid");
  json_builder_add_string_value (json, b->grid_name);
  json_builder_set_member_name (json, "configurations");
  json_builder_add_int_value (json, b->grid->len);
  json_builder_set_member_name (json, "epochs");
  json_builder_add_int_value (json, b->epochs);
  json_builder_set_member_name (json, "sizes");
  json_builder_begin_array (json);
  for (guint i = 0; i < b->sizes->len; i++)
    json_builder_add_int_value (json, g_array_index (b->sizes, guint, i));
  json_builder_end_array (json);
  json_builder_set_member_name (json, "eval_per_class");
  json_builder_add_int_value (json, EVAL_PER_CLASS);
  json_builder_set_member_name (json, "weights");
  json_builder_add_string_value (json, weights_name);
  json_builder_set_member_name (json, "weights_sha256");
  json_builder_add_string_value (json, weights_sha);
  json_builder_set_member_name (json, "engine_version");
  json_builder_add_string_value (json, HS_VERSION);
  json_builder_set_member_name (json, "device");
  json_builder_add_string_value (json, device);
  json_builder_set_member_name (json, "started");
  json_builder_add_string_value (json, started);
  json_builder_set_member_name (json, "updated");
  json_builder_add_string_value (json, updated);
  json_builder_set_member_name (json, "pairs");
  json_builder_add_int_value (json, b->n_pairs);
  json_builder_set_member_name (json, "finished_pairs");
  json_builder_add_int_value (json, g_hash_table_size (b->finished));
  json_builder_set_member_name (json, "compute_seconds");
  json_builder_add_double_value (json, b->seconds);
  json_builder_set_member_name (json, "tasks");
  json_builder_begin_array (json);
  for (guint i = 0; i < task_nodes->len; i++)
    json_builder_add_value (json, json_node_copy (g_ptr_array_index (task_nodes, i)));
  json_builder_end_array (json);
  json_builder_end_object (json);
  return write_json (path, json, error);
}

/* The manifest's started date, from an earlier run. */
static void
read_manifest_started (MetaBuild *b, char **started)
{
  g_autofree char *path = g_build_filename (b->out, "manifest.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *m;

  if (!json_parser_load_from_file (parser, path, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  m = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (m, "started"))
    {
      g_free (*started);
      *started = g_strdup (json_object_get_string_member (m, "started"));
    }
}

/* Trains one pair and commits it: curve rows, then the final row. */
static gboolean
run_pair (MetaBuild *b, HsDevice *device, HsDataset *ds, HsWeights *weights,
          const char *task, GridEntry *entry, GCancellable *cancellable, GError **error)
{
  g_autofree char *curves_path = g_build_filename (b->out, "curves.csv", NULL);
  g_autofree char *final_path = g_build_filename (b->out, "final.csv", NULL);
  g_autoptr(GString) rows = g_string_new (NULL);
  g_autoptr(HsTrainer) trainer = NULL;
  g_autofree char *final = NULL;
  PairRun pair = { b, task, entry->id, rows, 0, 0 };
  gdouble test_acc;

  if ((trainer = hs_trainer_new (device, ds, &entry->config, weights, error)) == NULL ||
      !hs_trainer_run (trainer, b->epochs, on_epoch, on_progress, &pair, cancellable, error) ||
      !hs_trainer_evaluate (trainer, HS_SPLIT_TEST, &test_acc, error))
    return FALSE;
  final = g_strdup_printf ("%s,%s,%.6g,%.6g\n", task, entry->id, pair.last_val, test_acc);
  if (!append_synced (curves_path, rows->str, error) ||
      !append_synced (final_path, final, error))
    return FALSE;
  g_hash_table_add (b->finished, pair_key (task, entry->id));
  b->seconds += pair.seconds;
  return TRUE;
}

static gboolean
build_work (gpointer data, GCancellable *cancellable)
{
  MetaBuild *b = data;
  GError **error = &b->error;
  g_autoptr(HsDevice) device = NULL;
  g_autoptr(HsWeights) weights = NULL;
  g_autoptr(GPtrArray) task_nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *started = g_date_time_format_iso8601 (now);
  g_autofree char *weights_sha = NULL;

  if ((weights_sha = file_sha256 (b->weights_path, error)) == NULL ||
      (weights = hs_weights_load (b->weights_path, HS_BACKBONE_ARCH, error)) == NULL ||
      (device = hs_device_new (NULL, error)) == NULL)
    return FALSE;
  read_manifest_started (b, &started);
  if (!check_or_start (b, weights_sha, error))
    return FALSE;
  b->n_done = g_hash_table_size (b->finished);

  for (guint t = 0; t < b->tasks->len; t++)
    {
      HsTaskRecipe *recipe = g_ptr_array_index (b->tasks, t);
      guint train_cap = g_array_index (b->sizes, guint, t % b->sizes->len);
      const guint caps[HS_N_SPLITS] = { train_cap, EVAL_PER_CLASS, EVAL_PER_CLASS };
      g_autoptr(HsDataset) full = NULL, sub = NULL;
      g_autoptr(JsonBuilder) json = json_builder_new ();
      g_autofree char *label = g_strdup_printf ("[%u/%u] %s", t + 1, b->tasks->len, recipe->name);

      hs_cli_progress_set_label (b->progress, label);
      full = hs_task_is_built (recipe)
             ? hs_task_load (recipe, error)
             : hs_task_build (recipe, NULL, NULL, cancellable, error);
      if (full == NULL)
        {
          g_prefix_error (error, "%s: ", recipe->name);
          return FALSE;
        }
      sub = hs_dataset_subsample (full, caps, SUBSAMPLE_SEED);
      g_clear_pointer (&full, hs_dataset_free);
      add_task_json (json, recipe, train_cap, sub);
      g_ptr_array_add (task_nodes, json_builder_get_root (json));

      for (guint c = 0; c < b->grid->len; c++)
        {
          GridEntry *entry = &g_array_index (b->grid, GridEntry, c);
          g_autofree char *key = pair_key (recipe->name, entry->id);

          if (g_hash_table_contains (b->finished, key))
            continue;
          if (!run_pair (b, device, sub, weights, recipe->name, entry, cancellable, error))
            {
              g_prefix_error (error, "%s × %s: ", recipe->name, entry->id);
              return FALSE;
            }
          b->n_done++;
        }
      if (!write_manifest (b, task_nodes, weights_sha, hs_device_get_name (device), started,
                           error))
        return FALSE;
      hs_cli_progress_print (b->progress, stdout, "%-24s %3u classes, %5zu train images: "
                             "%u configurations done", recipe->name,
                             hs_dataset_get_n_classes (sub),
                             hs_dataset_count (sub, G_MAXUINT, HS_SPLIT_TRAIN), b->grid->len);
    }
  hs_cli_progress_clear (b->progress);
  return TRUE;
}

static gboolean
parse_sizes (const char *text, GArray *sizes)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 n;
      if (!g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, 1, 100000, &n, NULL))
        return FALSE;
      g_array_append_val (sizes, (guint) { n });
    }
  return sizes->len > 0;
}

int
hs_cli_meta_build (int argc, char **argv)
{
  g_auto(GStrv) task_args = NULL;
  g_autofree char *grid_path = NULL, *out = NULL, *sizes = NULL, *weights = NULL;
  gboolean all = FALSE, quiet = FALSE, dry_run = FALSE;
  gint epochs = DEFAULT_EPOCHS;
  GOptionEntry entries[] = {
    { "tasks", 't', 0, G_OPTION_ARG_STRING_ARRAY, &task_args, "Tasks (repeat, or NAME,NAME…)", "NAMES" },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, "Every task of the catalog that can be built", NULL },
    { "grid", 'g', 0, G_OPTION_ARG_FILENAME, &grid_path, "The configurations (default: data/spaces/paper-grid.json)", "FILE" },
    { "epochs", 'e', 0, G_OPTION_ARG_INT, &epochs, "Epochs R of every pair (9)", "R" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Output folder (default: data/meta/GRID-NAME)", "DIR" },
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes, "Training images per class, given to the tasks in turn (" DEFAULT_SIZES ")", "N,N…" },
    { "weights", 0, 0, G_OPTION_ARG_FILENAME, &weights, "Backbone weights (default: the shipped ones)", "FILE" },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, "Print the plan and the work left, train nothing", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress bar", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("[--tasks NAME… | --all] — train every (task, configuration) pair");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(HsCliProgress) progress = NULL;
  g_autoptr(GPtrArray) catalog = NULL;
  g_autoptr(GPtrArray) tasks = g_ptr_array_new ();
  g_autoptr(GArray) size_list = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) grid = NULL;
  g_autoptr(GHashTable) finished = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *grid_name = NULL;
  MetaBuild b = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse_options (context, "meta build", &argc, &argv))
    return HS_CLI_EXIT_USAGE;
  if ((task_args == NULL) == !all || argc != 1)
    {
      g_printerr ("meta build: give either --tasks NAME… or --all (see --help)\n");
      return HS_CLI_EXIT_USAGE;
    }
  if (epochs < 1 || epochs > 1000)
    {
      g_printerr ("meta build: --epochs must be in [1, 1000]\n");
      return HS_CLI_EXIT_USAGE;
    }
  if (!parse_sizes (sizes ? sizes : DEFAULT_SIZES, size_list))
    {
      g_printerr ("meta build: --sizes must be a list of counts in [1, 100000], such as "
                  DEFAULT_SIZES "\n");
      return HS_CLI_EXIT_USAGE;
    }

  if (grid_path == NULL)
    {
      g_autofree char *dir = hs_spaces_dir ();
      grid_path = g_build_filename (dir, "paper-grid.json", NULL);
    }
  if ((grid = load_grid (grid_path, &grid_name, &error)) == NULL)
    {
      g_printerr ("meta build: %s\n", error->message);
      return 1;
    }
  /* Every pair trains R epochs, whatever a configuration says. */
  for (guint i = 0; i < grid->len; i++)
    g_array_index (grid, GridEntry, i).config.epochs = (guint) epochs;
  if (grid_name == NULL)
    {
      g_autofree char *base = g_path_get_basename (grid_path);
      char *dot = strrchr (base, '.');
      if (dot != NULL)
        *dot = '\0';
      grid_name = g_steal_pointer (&base);
    }

  if ((catalog = hs_cli_load_catalog ("meta build")) == NULL)
    return 1;
  if (all)
    {
      for (guint i = 0; i < catalog->len; i++)
        {
          HsTaskRecipe *recipe = g_ptr_array_index (catalog, i);
          g_autofree char *missing = hs_task_missing_packages (recipe);
          if (missing == NULL)
            g_ptr_array_add (tasks, recipe);
          else
            g_printerr ("meta build: skipping %s: missing %s\n", recipe->name, missing);
        }
    }
  else
    for (guint i = 0; task_args[i] != NULL; i++)
      {
        g_auto(GStrv) names = g_strsplit (task_args[i], ",", -1);
        for (guint j = 0; names[j] != NULL; j++)
          {
            HsTaskRecipe *recipe = hs_catalog_find (catalog, g_strstrip (names[j]));
            if (recipe == NULL)
              {
                g_printerr ("meta build: no task “%s” (hyperstar-cli tasks list shows them)\n",
                            names[j]);
                return 1;
              }
            if (!g_ptr_array_find (tasks, recipe, NULL))
              g_ptr_array_add (tasks, recipe);
          }
      }

  if (weights == NULL && (weights = hs_backbone_shipped_weights ()) == NULL)
    {
      g_printerr ("meta build: no shipped backbone weights (model/weights/backbone.hswt); "
                  "give --weights FILE\n");
      return 1;
    }
  if (out == NULL)
    {
      g_autofree char *dir = hs_meta_dir ();
      out = g_build_filename (dir, grid_name, NULL);
    }

  b.tasks = tasks;
  b.grid = grid;
  b.grid_name = grid_name;
  b.out = out;
  b.epochs = (guint) epochs;
  b.sizes = size_list;
  b.weights_path = weights;
  b.finished = finished;
  b.n_pairs = tasks->len * grid->len;
  b.progress = progress = hs_cli_progress_new (quiet);

  g_print ("Meta-dataset %s: %u tasks × %u configurations × %u epochs, into %s\n"
           "Weights: %s\n", grid_name, tasks->len, grid->len, b.epochs, out, weights);
  if (dry_run)
    {
      g_autofree char *curves = g_build_filename (out, "final.csv", NULL);
      gboolean cut;
      g_auto(GStrv) done = read_lines (curves, &cut, NULL);
      guint n_done = done && done[0] ? g_strv_length (done) - 1 : 0;
      g_print ("%u of %u pairs finished; nothing trained (--dry-run)\n", n_done, b.n_pairs);
      return 0;
    }
  if (!hs_cli_run_interruptible (build_work, &b, cancellable))
    {
      gboolean cancelled = hs_cli_is_cancelled (b.error, cancellable);
      hs_cli_progress_clear (progress);
      g_printerr ("meta build: %s\n", b.error ? b.error->message : "failed");
      if (cancelled)
        g_printerr ("meta build: %u pairs are recorded; the same command continues\n",
                    g_hash_table_size (finished));
      g_clear_error (&b.error);
      return cancelled ? HS_CLI_EXIT_INTERRUPTED : 1;
    }
  g_print ("\nDone: %u pairs in %s (%.1f hours of training in all)\n", b.n_pairs, out,
           b.seconds / 3600.0);
  return 0;
}
