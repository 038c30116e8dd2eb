/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Importing a CSV of `path,label` rows.
 *
 * The CSV dialect is RFC 4180's: comma-separated, fields optionally in
 * double quotes (which may hold commas, newlines and "" for a quote), LF or
 * CRLF line ends, an optional UTF-8 byte-order mark.  Columns after the
 * second are ignored, so a spreadsheet export with extra columns works.
 * The first row is a header, not data, when it reads like one (a path
 * column named path, file, filename, image…, and a label column named
 * label, class, category…) and names no existing file.  Relative paths are
 * relative to the CSV's folder.  Classes come in natural order of their
 * names, images in the order of the rows.
 */
#define G_LOG_DOMAIN "hs-datasets"

#include <string.h>

#include "hs-csv.h"
#include "hs-dataset-store.h"
#include "hs-import-private.h"

static gboolean
is_one_of (const char *field, const char * const *words)
{
  g_autofree char *lower = g_ascii_strdown (field, -1);

  return g_strv_contains (words, lower);
}

static gboolean
looks_like_header (GPtrArray *fields, const char *dir)
{
  static const char * const path_words[] = {
    "path", "file", "filename", "file_name", "filepath", "file_path", "image", "image_path",
    "img", "name", NULL
  };
  static const char * const label_words[] = {
    "label", "class", "class_name", "category", "target", "y", NULL
  };
  const char *first = g_ptr_array_index (fields, 0);
  g_autofree char *path = g_build_filename (dir, first, NULL);

  return fields->len >= 2 && is_one_of (first, path_words)
         && is_one_of (g_ptr_array_index (fields, 1), label_words)
         && !g_file_test (path, G_FILE_TEST_EXISTS);
}

typedef struct
{
  char *path;
  char *shown;
  char *label;
} Row;

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->path);
  g_free (row->shown);
  g_free (row->label);
  g_free (row);
}

static int
compare_labels (gconstpointer a, gconstpointer b)
{
  return hs_natural_compare (*(const char * const *) a, *(const char * const *) b);
}

HsDataset *
hs_import_csv (const char *csv, const char *name, const HsImportOptions *options,
               HsImportReport *report, GCancellable *cancellable, GError **error)
{
  g_autoptr(HsDataset) ds = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (row_free);
  g_autoptr(GPtrArray) items = hs_import_items_new ();
  g_autoptr(GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree const char **sorted = NULL;
  GPtrArray *fields;
  HsImportOptions opts;
  HsCsvReader ps;
  gsize len;
  guint line, n_labels;

  g_return_val_if_fail (csv != NULL, NULL);

  hs_import_options_resolve (options, &opts);
  if (!hs_dataset_name_is_valid (name, error))
    return NULL;
  if (!g_file_get_contents (csv, &text, &len, &local_error))
    {
      g_set_error (error, HS_DATASET_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                   ? HS_DATASET_ERROR_NOT_FOUND : HS_DATASET_ERROR_IO,
                   "%s", local_error->message);
      return NULL;
    }
  dir = g_path_get_dirname (csv);
  base = g_path_get_basename (csv);

  hs_csv_reader_init (&ps, text, len);
  while ((fields = hs_csv_next_record (&ps, &line, NULL)) != NULL)
    {
      g_autoptr(GPtrArray) owned = fields;
      const char *path, *label;
      Row *row;

      if (fields->len == 1 && ((const char *) g_ptr_array_index (fields, 0))[0] == '\0')
        continue;
      if (rows->len == 0 && line == 1 && looks_like_header (fields, dir))
        continue;
      if (fields->len < 2)
        {
          g_autofree char *where = g_strdup_printf ("%s:%u", base, line);

          hs_import_report_skip (report, where, "expected two fields, path and label");
          continue;
        }
      path = g_ptr_array_index (fields, 0);
      label = g_ptr_array_index (fields, 1);
      if (path[0] == '\0' || label[0] == '\0')
        {
          g_autofree char *where = g_strdup_printf ("%s:%u", base, line);

          hs_import_report_skip (report, where,
                                 path[0] == '\0' ? "empty path" : "empty label");
          continue;
        }

      row = g_new0 (Row, 1);
      row->path = g_path_is_absolute (path) ? g_strdup (path)
                                            : g_build_filename (dir, path, NULL);
      row->shown = g_strdup (path);
      row->label = g_utf8_make_valid (label, -1);
      g_ptr_array_add (rows, row);
      g_hash_table_add (labels, row->label);
    }

  sorted = (const char **) g_hash_table_get_keys_as_array (labels, &n_labels);
  qsort (sorted, n_labels, sizeof (char *), compare_labels);
  ds = hs_dataset_new (name, opts.size);
  for (guint i = 0; i < n_labels; i++)
    hs_dataset_add_class (ds, sorted[i]);
  if (n_labels < 2)
    {
      g_autofree char *shown = g_filename_display_name (csv);

      if (n_labels == 0)
        g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                     "“%s” lists no images (expected rows of path,label)", shown);
      else
        g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                     "“%s” has only one class (“%s”); a classifier needs at least 2", shown,
                     sorted[0]);
      return NULL;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);

      hs_import_items_add (items, row->path, row->shown,
                           hs_dataset_lookup_class (ds, row->label));
    }
  if (!hs_import_decode (ds, items, &opts, report, cancellable, error))
    return NULL;
  for (guint c = 0; c < hs_dataset_get_n_classes (ds); c++)
    if (hs_dataset_count (ds, c, HS_N_SPLITS) == 0)
      {
        g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                     "class “%s” has no images that could be read (see the skipped files)",
                     hs_dataset_get_class_name (ds, c));
        return NULL;
      }
  return hs_import_finish (g_steal_pointer (&ds), csv, "csv", &opts, report, error);
}
