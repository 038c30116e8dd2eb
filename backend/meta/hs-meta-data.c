/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading a meta-dataset (see hs-meta-data.h).
 */
#define G_LOG_DOMAIN "hs-meta"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "hs-csv.h"
#include "hs-meta-data.h"

G_DEFINE_QUARK (hs-meta-error-quark, hs_meta_error)

/* How far final.csv's val_acc may be from the last epoch's in curves.csv:
 * enough for a tool that prints the two with different precision, far
 * below the 1/(50 × classes) steps in which accuracies on our validation
 * splits move. */
#define FINAL_VAL_TOLERANCE 1e-4

/* Far more epochs than any grid trains (meta build allows 1000); a bigger
 * number is a damaged file, and would size the dense arrays. */
#define MAX_EPOCHS 100000

struct _HsMetaData
{
  char *dir;
  GPtrArray *tasks;          /* char *, sorted */
  GHashTable *task_index;    /* name → index + 1 */
  GPtrArray *config_ids;     /* char *, grid.json's order */
  GPtrArray *config_json;    /* char * */
  GHashTable *config_index;  /* id → index + 1 */
  guint n_epochs;            /* R */
  guint n_finished;
  /* [task][config]: NaN when the pair is not finished. */
  gdouble *final_val;
  gdouble *final_test;
  /* [task][config][epoch - 1]: NaN (val_acc) when not recorded. */
  gdouble *val_acc;
  gdouble *seconds;
  gdouble *train_loss;
};

void
hs_meta_data_free (HsMetaData *md)
{
  if (md == NULL)
    return;
  g_free (md->dir);
  g_clear_pointer (&md->tasks, g_ptr_array_unref);
  g_clear_pointer (&md->task_index, g_hash_table_unref);
  g_clear_pointer (&md->config_ids, g_ptr_array_unref);
  g_clear_pointer (&md->config_json, g_ptr_array_unref);
  g_clear_pointer (&md->config_index, g_hash_table_unref);
  g_free (md->final_val);
  g_free (md->final_test);
  g_free (md->val_acc);
  g_free (md->seconds);
  g_free (md->train_loss);
  g_free (md);
}

/* Reading files */

/* Takes cause. */
static void
set_io_error (GError **error, const char *path, GError *cause)
{
  g_autofree char *shown = g_filename_display_name (path);

  g_set_error (error, HS_META_ERROR, HS_META_ERROR_IO, "%s: %s", shown, cause->message);
  g_error_free (cause);
}

static char *
read_gzip (const char *path, gsize *length, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) raw = NULL;
  g_autoptr(GZlibDecompressor) gunzip = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  GError *local = NULL;
  gsize size;
  char *data;

  if ((raw = g_file_read (file, NULL, &local)) == NULL)
    {
      set_io_error (error, path, local);
      return NULL;
    }
  in = g_converter_input_stream_new (G_INPUT_STREAM (raw), G_CONVERTER (gunzip));
  /* A NUL after the text, so the caller may treat it as a string. */
  if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE, NULL, &local) < 0 ||
      !g_output_stream_write_all (out, "", 1, NULL, NULL, &local) ||
      !g_output_stream_close (out, NULL, &local))
    {
      set_io_error (error, path, local);
      return NULL;
    }
  size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  data = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
  *length = size - 1;
  return data;
}

/* dir/name, else dir/name.gz decompressed; *path_out says which was read. */
static char *
read_table (const char *dir, const char *name, char **path_out, gsize *length, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *gz_path = g_strconcat (path, ".gz", NULL);
  GError *local = NULL;
  char *text;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!g_file_get_contents (path, &text, length, &local))
        {
          set_io_error (error, path, local);
          return NULL;
        }
    }
  else if (g_file_test (gz_path, G_FILE_TEST_EXISTS))
    {
      if ((text = read_gzip (gz_path, length, error)) == NULL)
        return NULL;
      g_free (path);
      path = g_steal_pointer (&gz_path);
    }
  else
    {
      g_autofree char *shown = g_filename_display_name (dir);

      g_set_error (error, HS_META_ERROR, HS_META_ERROR_NOT_FOUND,
                   "%s has no %s (nor %s.gz): not a meta-dataset", shown, name, name);
      return NULL;
    }
  *path_out = g_steal_pointer (&path);
  return text;
}

/* CSV: RFC 4180 records */

typedef struct
{
  HsCsvReader csv;
  char *shown;      /* the file, for messages */
} CsvReader;

/* The next non-blank record (see hs_csv_next_record). */
static GPtrArray *
csv_next (CsvReader *r, guint *line, gboolean *ended)
{
  GPtrArray *fields;

  while ((fields = hs_csv_next_record (&r->csv, line, ended)) != NULL)
    {
      if (fields->len == 1 && *(char *) fields->pdata[0] == '\0')
        {
          g_ptr_array_unref (fields);
          continue;
        }
      return fields;
    }
  return NULL;
}

static gboolean
csv_error (GError **error, CsvReader *r, guint line, const char *field, const char *format, ...)
  G_GNUC_PRINTF (5, 6);

static gboolean
csv_error (GError **error, CsvReader *r, guint line, const char *field, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (field != NULL)
    g_set_error (error, HS_META_ERROR, HS_META_ERROR_INVALID, "%s, line %u, %s: %s",
                 r->shown, line, field, message);
  else
    g_set_error (error, HS_META_ERROR, HS_META_ERROR_INVALID, "%s, line %u: %s",
                 r->shown, line, message);
  return FALSE;
}

static void
csv_reader_init (CsvReader *r, const char *text, gsize length, const char *path)
{
  hs_csv_reader_init (&r->csv, text, length);
  r->shown = g_filename_display_name (path);
}

static void
csv_reader_clear (CsvReader *r)
{
  g_clear_pointer (&r->shown, g_free);
}

/* The header must be exactly `columns`: the columns are found by place. */
static gboolean
csv_check_header (CsvReader *r, const char * const *columns, GError **error)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autofree char *wanted = g_strjoinv (",", (char **) columns);
  guint line, n = g_strv_length ((char **) columns);
  gboolean ended;

  if ((fields = csv_next (r, &line, &ended)) == NULL)
    return csv_error (error, r, 1, NULL, "empty, where the header “%s” should be", wanted);
  for (guint i = 0; i < MAX (n, fields->len); i++)
    {
      const char *got = i < fields->len ? g_ptr_array_index (fields, i) : NULL;

      if (i >= n)
        return csv_error (error, r, line, NULL, "the header has an extra column “%s” "
                          "(expected “%s”)", got, wanted);
      if (got == NULL)
        return csv_error (error, r, line, columns[i], "the header lacks this column "
                          "(expected “%s”)", wanted);
      if (!g_str_equal (got, columns[i]))
        return csv_error (error, r, line, columns[i], "the header has “%s” in this "
                          "column (expected “%s”)", got, wanted);
    }
  return TRUE;
}

/* A row must have the header's columns, no more, no fewer. */
static gboolean
csv_check_row_length (CsvReader *r, GPtrArray *fields, guint line,
                      const char * const *columns, GError **error)
{
  guint n = g_strv_length ((char **) columns);

  if (fields->len < n)
    return csv_error (error, r, line, columns[fields->len], "missing (the row has %u fields, "
                      "the header %u)", fields->len, n);
  if (fields->len > n)
    return csv_error (error, r, line, NULL, "%u fields, where the header has %u",
                      fields->len, n);
  return TRUE;
}

static gboolean
is_task_name (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isalnum (*s) && *s != '.' && *s != '_' && *s != '-')
      return FALSE;
  return TRUE;
}

static gboolean
parse_task (CsvReader *r, const char *s, guint line, GError **error)
{
  if (!is_task_name (s))
    return csv_error (error, r, line, "task", "“%s” is not a task name (letters, digits, "
                      "‘.’, ‘_’ and ‘-’)", s);
  return TRUE;
}

static gboolean
parse_config (HsMetaData *md, CsvReader *r, const char *s, guint line, guint *config,
              GError **error)
{
  gpointer found = g_hash_table_lookup (md->config_index, s);

  if (found == NULL)
    return csv_error (error, r, line, "config", "“%s” is not a configuration of grid.json", s);
  *config = GPOINTER_TO_UINT (found) - 1;
  return TRUE;
}

/* The whole field must be the number: "0.5x" and "" are errors. */
static gboolean
parse_number (const char *s, gdouble *value)
{
  char *end;

  if (*s == '\0')
    return FALSE;
  *value = g_ascii_strtod (s, &end);
  return *end == '\0';
}

static gboolean
parse_accuracy (CsvReader *r, const char *s, guint line, const char *field, gdouble *value,
                GError **error)
{
  if (!parse_number (s, value) || !isfinite (*value))
    return csv_error (error, r, line, field, "“%s” is not a number", s);
  if (*value < 0.0 || *value > 1.0)
    return csv_error (error, r, line, field, "%s is not in [0, 1]", s);
  return TRUE;
}

/* grid.json and manifest.json */

static gboolean
load_grid (HsMetaData *md, GError **error)
{
  g_autofree char *path = g_build_filename (md->dir, "grid.json", NULL);
  g_autofree char *shown = g_filename_display_name (path);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GList) ids = NULL;
  g_autoptr(GError) local = NULL;
  JsonObject *grid;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *shown_dir = g_filename_display_name (md->dir);

      g_set_error (error, HS_META_ERROR, HS_META_ERROR_NOT_FOUND,
                   "%s has no grid.json: not a meta-dataset", shown_dir);
      return FALSE;
    }
  if (!json_parser_load_from_file (parser, path, &local))
    {
      /* json-glib's messages start with the file (and line, column). */
      g_set_error_literal (error, HS_META_ERROR,
                           local->domain == JSON_PARSER_ERROR ? HS_META_ERROR_INVALID
                                                              : HS_META_ERROR_IO,
                           local->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, HS_META_ERROR, HS_META_ERROR_INVALID,
                   "%s: expected an object mapping configuration ids to configurations", shown);
      return FALSE;
    }
  grid = json_node_get_object (json_parser_get_root (parser));
  /* json-glib lists members in the file's order: the order of the grid. */
  ids = json_object_get_members (grid);
  for (GList *l = ids; l != NULL; l = l->next)
    {
      const char *id = l->data;
      JsonNode *node = json_object_get_member (grid, id);
      g_autoptr(JsonGenerator) gen = NULL;

      if (*id == '\0')
        {
          g_set_error (error, HS_META_ERROR, HS_META_ERROR_INVALID,
                       "%s: a configuration id is empty", shown);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, HS_META_ERROR, HS_META_ERROR_INVALID,
                       "%s: configuration “%s” is not an object", shown, id);
          return FALSE;
        }
      gen = json_generator_new ();
      json_generator_set_root (gen, node);
      g_hash_table_insert (md->config_index, g_strdup (id),
                           GUINT_TO_POINTER (md->config_ids->len + 1));
      g_ptr_array_add (md->config_ids, g_strdup (id));
      g_ptr_array_add (md->config_json, json_generator_to_data (gen, NULL));
    }
  return TRUE;
}

/* The manifest's "epochs", or 0 when it has none (or there is no
 * manifest: the meta-dataset does not need one). */
static gboolean
load_manifest_epochs (HsMetaData *md, guint *epochs, GError **error)
{
  g_autofree char *path = g_build_filename (md->dir, "manifest.json", NULL);
  g_autofree char *shown = g_filename_display_name (path);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  JsonObject *manifest;
  JsonNode *node;

  *epochs = 0;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!json_parser_load_from_file (parser, path, &local))
    {
      /* json-glib's messages start with the file (and line, column). */
      g_set_error_literal (error, HS_META_ERROR,
                           local->domain == JSON_PARSER_ERROR ? HS_META_ERROR_INVALID
                                                              : HS_META_ERROR_IO,
                           local->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, HS_META_ERROR, HS_META_ERROR_INVALID, "%s: expected an object", shown);
      return FALSE;
    }
  manifest = json_node_get_object (json_parser_get_root (parser));
  if ((node = json_object_get_member (manifest, "epochs")) == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 1 || json_node_get_int (node) > MAX_EPOCHS)
    {
      g_set_error (error, HS_META_ERROR, HS_META_ERROR_INVALID,
                   "%s, epochs: expected an integer in [1, %u]", shown, MAX_EPOCHS);
      return FALSE;
    }
  *epochs = (guint) json_node_get_int (node);
  return TRUE;
}

/* final.csv and curves.csv */

static const char * const final_columns[] = { "task", "config", "val_acc", "test_acc", NULL };
static const char * const curves_columns[] = {
  "task", "config", "epoch", "val_acc", "train_loss", "seconds", NULL
};

typedef struct
{
  char *task;
  guint config;
  guint line;
  gdouble val, test;
} FinalRow;

static void
final_row_clear (gpointer p)
{
  g_free (((FinalRow *) p)->task);
}

static char *
pair_key (const char *task, guint config)
{
  return g_strdup_printf ("%s\n%u", task, config);
}

static gboolean
read_final (HsMetaData *md, GArray *rows, GError **error)
{
  g_autofree char *path = NULL, *text = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *fields;
  CsvReader r;
  gboolean ok = TRUE, ended;
  gsize length;
  guint line;

  if ((text = read_table (md->dir, "final.csv", &path, &length, error)) == NULL)
    return FALSE;
  csv_reader_init (&r, text, length, path);
  ok = csv_check_header (&r, final_columns, error);
  while (ok && (fields = csv_next (&r, &line, &ended)) != NULL)
    {
      FinalRow row = { 0 };
      char *key;
      gpointer first;

      if (!ended)
        {
          /* A row cut short while a build was writing it. */
          g_ptr_array_unref (fields);
          break;
        }
      ok = csv_check_row_length (&r, fields, line, final_columns, error) &&
           parse_task (&r, fields->pdata[0], line, error) &&
           parse_config (md, &r, fields->pdata[1], line, &row.config, error) &&
           parse_accuracy (&r, fields->pdata[2], line, "val_acc", &row.val, error) &&
           parse_accuracy (&r, fields->pdata[3], line, "test_acc", &row.test, error);
      if (ok)
        {
          key = pair_key (fields->pdata[0], row.config);
          if ((first = g_hash_table_lookup (seen, key)) != NULL)
            {
              ok = csv_error (error, &r, line, NULL, "a second row for task %s, configuration "
                              "%s (the first is on line %u)", (char *) fields->pdata[0],
                              (char *) fields->pdata[1], GPOINTER_TO_UINT (first));
              g_free (key);
            }
          else
            {
              g_hash_table_insert (seen, key, GUINT_TO_POINTER (line));
              row.task = g_strdup (fields->pdata[0]);
              row.line = line;
              g_array_append_val (rows, row);
            }
        }
      g_ptr_array_unref (fields);
    }
  csv_reader_clear (&r);
  return ok;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gsize
pair_at (HsMetaData *md, guint task, guint config)
{
  return (gsize) task * md->config_ids->len + config;
}

static gsize
epoch_at (HsMetaData *md, guint task, guint config, guint epoch)
{
  return pair_at (md, task, config) * md->n_epochs + (epoch - 1);
}

typedef struct
{
  guint task, config, epoch, line;
  gdouble val, loss, seconds;
} CurveRow;

/* Parses every complete row (so a damaged file is an error wherever the
 * damage is) and keeps those of finished pairs. */
static gboolean
read_curves (HsMetaData *md, GArray *rows, char **path_out, GError **error)
{
  g_autofree char *path = NULL, *text = NULL;
  GPtrArray *fields;
  CsvReader r;
  gboolean ok = TRUE, ended;
  gsize length;
  guint line;

  if ((text = read_table (md->dir, "curves.csv", &path, &length, error)) == NULL)
    return FALSE;
  csv_reader_init (&r, text, length, path);
  ok = csv_check_header (&r, curves_columns, error);
  while (ok && (fields = csv_next (&r, &line, &ended)) != NULL)
    {
      CurveRow row = { 0 };
      guint64 epoch;
      gpointer task;

      if (!ended)
        {
          g_ptr_array_unref (fields);
          break;
        }
      ok = csv_check_row_length (&r, fields, line, curves_columns, error) &&
           parse_task (&r, fields->pdata[0], line, error) &&
           parse_config (md, &r, fields->pdata[1], line, &row.config, error);
      if (ok && !g_ascii_string_to_unsigned (fields->pdata[2], 10, 1, G_MAXUINT32, &epoch, NULL))
        ok = csv_error (error, &r, line, "epoch", "“%s” is not an integer ≥ 1",
                        (char *) fields->pdata[2]);
      else if (ok && epoch > MAX_EPOCHS)
        ok = csv_error (error, &r, line, "epoch", "%s is more than the %u epochs a "
                        "meta-dataset may have", (char *) fields->pdata[2], MAX_EPOCHS);
      ok = ok && parse_accuracy (&r, fields->pdata[3], line, "val_acc", &row.val, error);
      /* A run that diverged has a loss of nan or inf: still a number. */
      if (ok && !parse_number (fields->pdata[4], &row.loss))
        ok = csv_error (error, &r, line, "train_loss", "“%s” is not a number",
                        (char *) fields->pdata[4]);
      if (ok && (!parse_number (fields->pdata[5], &row.seconds) || !isfinite (row.seconds) ||
                 row.seconds < 0))
        ok = csv_error (error, &r, line, "seconds", "“%s” is not a number ≥ 0",
                        (char *) fields->pdata[5]);
      if (ok && (task = g_hash_table_lookup (md->task_index, fields->pdata[0])) != NULL &&
          !isnan (md->final_val[pair_at (md, GPOINTER_TO_UINT (task) - 1, row.config)]))
        {
          row.task = GPOINTER_TO_UINT (task) - 1;
          row.epoch = (guint) epoch;
          row.line = line;
          g_array_append_val (rows, row);
        }
      g_ptr_array_unref (fields);
    }
  *path_out = g_filename_display_name (path);
  csv_reader_clear (&r);
  return ok;
}

/* Puts the curve rows in place, then checks every finished curve is
 * whole and ends where final.csv says. */
static gboolean
fill_curves (HsMetaData *md, GArray *finals, GArray *curves, const char *curves_shown,
             guint manifest_epochs, GError **error)
{
  g_autofree guint *line_of = NULL;
  g_autofree char *final_shown = NULL;
  /* The same folder: its name is enough (it says whether .gz was read). */
  g_autofree char *curves_name = g_path_get_basename (curves_shown);
  gsize n_pairs = (gsize) md->tasks->len * md->config_ids->len;
  gsize n;

  md->n_epochs = manifest_epochs;
  for (guint i = 0; i < curves->len; i++)
    {
      CurveRow *row = &g_array_index (curves, CurveRow, i);

      if (manifest_epochs > 0 && row->epoch > manifest_epochs)
        {
          g_set_error (error, HS_META_ERROR, HS_META_ERROR_INVALID,
                       "%s, line %u, epoch: %u is beyond manifest.json's \"epochs\": %u",
                       curves_shown, row->line, row->epoch, manifest_epochs);
          return FALSE;
        }
      md->n_epochs = MAX (md->n_epochs, row->epoch);
    }

  n = n_pairs * md->n_epochs;
  md->val_acc = g_new (gdouble, n);
  md->seconds = g_new (gdouble, n);
  md->train_loss = g_new (gdouble, n);
  line_of = g_new0 (guint, n);
  for (gsize i = 0; i < n; i++)
    md->val_acc[i] = md->seconds[i] = md->train_loss[i] = NAN;
  for (guint i = 0; i < curves->len; i++)
    {
      CurveRow *row = &g_array_index (curves, CurveRow, i);
      gsize at = epoch_at (md, row->task, row->config, row->epoch);

      if (line_of[at] != 0)
        {
          g_set_error (error, HS_META_ERROR, HS_META_ERROR_INVALID,
                       "%s, line %u: a second row for task %s, configuration %s, epoch %u "
                       "(the first is on line %u)", curves_shown, row->line,
                       hs_meta_data_task_name (md, row->task),
                       hs_meta_data_config_id (md, row->config), row->epoch, line_of[at]);
          return FALSE;
        }
      line_of[at] = row->line;
      md->val_acc[at] = row->val;
      md->train_loss[at] = row->loss;
      md->seconds[at] = row->seconds;
    }

  for (guint i = 0; i < finals->len; i++)
    {
      FinalRow *row = &g_array_index (finals, FinalRow, i);
      guint t = GPOINTER_TO_UINT (g_hash_table_lookup (md->task_index, row->task)) - 1;
      gdouble last;

      if (final_shown == NULL)
        {
          g_autofree char *path = g_build_filename (md->dir, "final.csv", NULL);
          final_shown = g_filename_display_name (path);
        }
      for (guint e = 1; e <= md->n_epochs; e++)
        if (line_of[epoch_at (md, t, row->config, e)] == 0)
          {
            g_set_error (error, HS_META_ERROR, HS_META_ERROR_INVALID,
                         "%s, line %u: task %s, configuration %s is finished but %s has no "
                         "row for its epoch %u (of %u)", final_shown, row->line, row->task,
                         hs_meta_data_config_id (md, row->config), curves_name, e,
                         md->n_epochs);
            return FALSE;
          }
      if (md->n_epochs == 0)
        {
          g_set_error (error, HS_META_ERROR, HS_META_ERROR_INVALID,
                       "%s, line %u: task %s, configuration %s is finished but %s has no "
                       "curve for it", final_shown, row->line, row->task,
                       hs_meta_data_config_id (md, row->config), curves_name);
          return FALSE;
        }
      last = md->val_acc[epoch_at (md, t, row->config, md->n_epochs)];
      if (fabs (last - row->val) > FINAL_VAL_TOLERANCE)
        {
          g_set_error (error, HS_META_ERROR, HS_META_ERROR_INVALID,
                       "%s, line %u, val_acc: %g is not the last epoch's %g (%s, line %u)",
                       final_shown, row->line, row->val, last, curves_name,
                       line_of[epoch_at (md, t, row->config, md->n_epochs)]);
          return FALSE;
        }
    }
  return TRUE;
}

HsMetaData *
hs_meta_data_load (const char *dir, GError **error)
{
  g_autoptr(HsMetaData) md = g_new0 (HsMetaData, 1);
  g_autoptr(GArray) finals = g_array_new (FALSE, TRUE, sizeof (FinalRow));
  g_autoptr(GArray) curves = g_array_new (FALSE, TRUE, sizeof (CurveRow));
  g_autofree char *curves_shown = NULL;
  gsize n_pairs;
  guint manifest_epochs;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_array_set_clear_func (finals, final_row_clear);
  md->dir = g_strdup (dir);
  md->tasks = g_ptr_array_new_with_free_func (g_free);
  md->task_index = g_hash_table_new (g_str_hash, g_str_equal);
  md->config_ids = g_ptr_array_new_with_free_func (g_free);
  md->config_json = g_ptr_array_new_with_free_func (g_free);
  md->config_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *shown = g_filename_display_name (dir);

      g_set_error (error, HS_META_ERROR, HS_META_ERROR_NOT_FOUND, "%s: no such folder", shown);
      return NULL;
    }
  if (!load_grid (md, error) || !load_manifest_epochs (md, &manifest_epochs, error) ||
      !read_final (md, finals, error))
    return NULL;

  /* The tasks are those with a finished pair, in name order. */
  for (guint i = 0; i < finals->len; i++)
    {
      const char *task = g_array_index (finals, FinalRow, i).task;

      if (!g_hash_table_contains (md->task_index, task))
        {
          char *name = g_strdup (task);

          g_ptr_array_add (md->tasks, name);
          g_hash_table_insert (md->task_index, name, NULL);
        }
    }
  g_ptr_array_sort (md->tasks, compare_strings);
  for (guint t = 0; t < md->tasks->len; t++)
    g_hash_table_insert (md->task_index, md->tasks->pdata[t], GUINT_TO_POINTER (t + 1));

  n_pairs = (gsize) md->tasks->len * md->config_ids->len;
  md->final_val = g_new (gdouble, n_pairs);
  md->final_test = g_new (gdouble, n_pairs);
  for (gsize i = 0; i < n_pairs; i++)
    md->final_val[i] = md->final_test[i] = NAN;
  for (guint i = 0; i < finals->len; i++)
    {
      FinalRow *row = &g_array_index (finals, FinalRow, i);
      guint t = GPOINTER_TO_UINT (g_hash_table_lookup (md->task_index, row->task)) - 1;

      md->final_val[pair_at (md, t, row->config)] = row->val;
      md->final_test[pair_at (md, t, row->config)] = row->test;
    }
  md->n_finished = finals->len;

  if (!read_curves (md, curves, &curves_shown, error) ||
      !fill_curves (md, finals, curves, curves_shown, manifest_epochs, error))
    return NULL;
  return g_steal_pointer (&md);
}

/* Accessors */

const char *
hs_meta_data_dir (HsMetaData *md)
{
  g_return_val_if_fail (md != NULL, NULL);
  return md->dir;
}

guint
hs_meta_data_n_tasks (HsMetaData *md)
{
  g_return_val_if_fail (md != NULL, 0);
  return md->tasks->len;
}

const char *
hs_meta_data_task_name (HsMetaData *md, guint t)
{
  g_return_val_if_fail (md != NULL && t < md->tasks->len, NULL);
  return md->tasks->pdata[t];
}

gint
hs_meta_data_task_index (HsMetaData *md, const char *name)
{
  g_return_val_if_fail (md != NULL && name != NULL, -1);
  return (gint) GPOINTER_TO_UINT (g_hash_table_lookup (md->task_index, name)) - 1;
}

guint
hs_meta_data_n_configs (HsMetaData *md)
{
  g_return_val_if_fail (md != NULL, 0);
  return md->config_ids->len;
}

const char *
hs_meta_data_config_id (HsMetaData *md, guint c)
{
  g_return_val_if_fail (md != NULL && c < md->config_ids->len, NULL);
  return md->config_ids->pdata[c];
}

const char *
hs_meta_data_config_json (HsMetaData *md, guint c)
{
  g_return_val_if_fail (md != NULL && c < md->config_json->len, NULL);
  return md->config_json->pdata[c];
}

gint
hs_meta_data_config_index (HsMetaData *md, const char *id)
{
  g_return_val_if_fail (md != NULL && id != NULL, -1);
  return (gint) GPOINTER_TO_UINT (g_hash_table_lookup (md->config_index, id)) - 1;
}

guint
hs_meta_data_max_epoch (HsMetaData *md)
{
  g_return_val_if_fail (md != NULL, 0);
  return md->n_epochs;
}

guint
hs_meta_data_n_finished (HsMetaData *md)
{
  g_return_val_if_fail (md != NULL, 0);
  return md->n_finished;
}

gboolean
hs_meta_data_is_finished (HsMetaData *md, guint task, guint config)
{
  g_return_val_if_fail (md != NULL, FALSE);
  return task < md->tasks->len && config < md->config_ids->len &&
         !isnan (md->final_val[pair_at (md, task, config)]);
}

gdouble
hs_meta_data_final_val (HsMetaData *md, guint task, guint config)
{
  if (!hs_meta_data_is_finished (md, task, config))
    return NAN;
  return md->final_val[pair_at (md, task, config)];
}

gdouble
hs_meta_data_final_test (HsMetaData *md, guint task, guint config)
{
  if (!hs_meta_data_is_finished (md, task, config))
    return NAN;
  return md->final_test[pair_at (md, task, config)];
}

gboolean
hs_meta_data_val_acc (HsMetaData *md, guint task, guint config, guint epoch,
                      gdouble *val_acc, gdouble *seconds)
{
  gsize at;

  if (!hs_meta_data_is_finished (md, task, config) || epoch < 1 || epoch > md->n_epochs)
    return FALSE;
  at = epoch_at (md, task, config, epoch);
  if (val_acc != NULL)
    *val_acc = md->val_acc[at];
  if (seconds != NULL)
    *seconds = md->seconds[at];
  return TRUE;
}

gboolean
hs_meta_data_train_loss (HsMetaData *md, guint task, guint config, guint epoch,
                         gdouble *train_loss)
{
  if (!hs_meta_data_is_finished (md, task, config) || epoch < 1 || epoch > md->n_epochs)
    return FALSE;
  if (train_loss != NULL)
    *train_loss = md->train_loss[epoch_at (md, task, config, epoch)];
  return TRUE;
}
