/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Choosing an importer, and the steps every importer shares: decoding the
 * files in parallel and finishing the dataset.
 */
#define G_LOG_DOMAIN "hs-datasets"

#include <string.h>

#include "hs-dataset-store.h"
#include "hs-image.h"
#include "hs-import-private.h"

/* Files decoded between two progress reports and cancellation checks; also
 * bounds the memory held by decoded images not yet in the dataset. */
#define BATCH 256
#define MAX_THREADS 16

void
hs_import_options_init (HsImportOptions *options)
{
  memset (options, 0, sizeof *options);
  options->size = HS_DATASET_DEFAULT_SIZE;
  options->seed = 0;
  options->val_fraction = 0.15;
  options->test_fraction = 0.15;
}

void
hs_import_options_resolve (const HsImportOptions *options, HsImportOptions *out)
{
  if (options != NULL)
    *out = *options;
  else
    hs_import_options_init (out);
  if (out->size == 0)
    out->size = HS_DATASET_DEFAULT_SIZE;
}

gboolean
hs_import_cancelled (GCancellable *cancellable, GError **error)
{
  if (!g_cancellable_is_cancelled (cancellable))
    return FALSE;
  g_set_error_literal (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CANCELLED,
                       "the import was cancelled");
  return TRUE;
}

int
hs_natural_compare (const char *a, const char *b)
{
  const char *p = a, *q = b;

  while (*p != '\0' && *q != '\0')
    {
      if (g_ascii_isdigit (*p) && g_ascii_isdigit (*q))
        {
          const char *p_end, *q_end;
          gsize p_len, q_len;
          int cmp;

          while (*p == '0' && g_ascii_isdigit (p[1]))
            p++;
          while (*q == '0' && g_ascii_isdigit (q[1]))
            q++;
          for (p_end = p; g_ascii_isdigit (*p_end); p_end++)
            ;
          for (q_end = q; g_ascii_isdigit (*q_end); q_end++)
            ;
          p_len = p_end - p;
          q_len = q_end - q;
          if (p_len != q_len)
            return p_len < q_len ? -1 : 1;
          cmp = memcmp (p, q, p_len);
          if (cmp != 0)
            return cmp;
          p = p_end;
          q = q_end;
        }
      else if (*p != *q)
        return (guint8) *p < (guint8) *q ? -1 : 1;
      else
        {
          p++;
          q++;
        }
    }
  if (*p != *q)
    return (guint8) *p < (guint8) *q ? -1 : 1;
  /* Equal but for leading zeros ("07" and "7"): still two names. */
  return strcmp (a, b);
}

static void
item_free (gpointer data)
{
  HsImportItem *item = data;

  g_free (item->path);
  g_free (item->shown);
  g_free (item);
}

GPtrArray *
hs_import_items_new (void)
{
  return g_ptr_array_new_with_free_func (item_free);
}

void
hs_import_items_add (GPtrArray *items, const char *path, const char *shown, guint class_index)
{
  HsImportItem *item = g_new0 (HsImportItem, 1);

  item->path = g_strdup (path);
  item->shown = g_strdup (shown);
  item->class_index = class_index;
  g_ptr_array_add (items, item);
}

typedef struct
{
  GPtrArray *items;
  gsize first;
  gsize n;
  guint size;
  guint8 *pixels;     /* n images */
  char **reasons;     /* n; NULL where the file decoded */
  gint next;
  GCancellable *cancellable;
} Batch;

static gpointer
decode_worker (gpointer data)
{
  Batch *b = data;
  gsize bytes = (gsize) b->size * b->size * 3;

  for (;;)
    {
      gsize i = (gsize) g_atomic_int_add (&b->next, 1);
      HsImportItem *item;
      g_autoptr(GError) error = NULL;

      if (i >= b->n || g_cancellable_is_cancelled (b->cancellable))
        break;
      item = g_ptr_array_index (b->items, b->first + i);
      if (!hs_image_load (item->path, b->size, b->pixels + i * bytes, &error))
        b->reasons[i] = g_strdup (error->message);
    }
  return NULL;
}

static guint
decode_threads (void)
{
  const char *env = g_getenv ("HS_IMPORT_THREADS");
  guint n = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 0;

  if (n == 0)
    n = g_get_num_processors ();
  return CLAMP (n, 1, MAX_THREADS);
}

gboolean
hs_import_decode (HsDataset *ds, GPtrArray *items, const HsImportOptions *options,
                  HsImportReport *report, GCancellable *cancellable, GError **error)
{
  guint size = hs_dataset_get_size (ds);
  gsize bytes = (gsize) size * size * 3;
  guint n_threads = decode_threads ();
  g_autofree guint8 *pixels = g_malloc (BATCH * bytes);
  char *reasons[BATCH];
  GThread *threads[MAX_THREADS];

  for (gsize first = 0; first < items->len; first += BATCH)
    {
      Batch b = { items, first, MIN (BATCH, items->len - first), size, pixels, reasons, 0,
                  cancellable };
      guint spawned = MIN (n_threads - 1, b.n > 1 ? b.n - 1 : 0);

      if (hs_import_cancelled (cancellable, error))
        return FALSE;
      memset (reasons, 0, sizeof reasons);
      for (guint t = 0; t < spawned; t++)
        threads[t] = g_thread_new ("hs-import", decode_worker, &b);
      decode_worker (&b);
      for (guint t = 0; t < spawned; t++)
        g_thread_join (threads[t]);

      for (gsize i = 0; i < b.n; i++)
        {
          HsImportItem *item = g_ptr_array_index (items, first + i);

          if (reasons[i] != NULL)
            hs_import_report_skip (report, item->shown, reasons[i]);
          else
            hs_dataset_add_image (ds, pixels + i * bytes, item->class_index, 0);
          g_free (reasons[i]);
        }
      if (hs_import_cancelled (cancellable, error))
        return FALSE;
      if (options->progress != NULL)
        options->progress (first + b.n, items->len, "images", options->progress_data);
    }
  return TRUE;
}

static int
compare_skips (gconstpointer a, gconstpointer b)
{
  const HsImportSkip *x = *(HsImportSkip * const *) a;
  const HsImportSkip *y = *(HsImportSkip * const *) b;

  return hs_natural_compare (x->file, y->file);
}

HsDataset *
hs_import_finish (HsDataset *ds, const char *source, const char *importer,
                  const HsImportOptions *options, HsImportReport *report, GError **error)
{
  g_autoptr(HsDataset) owned = ds;
  g_autofree char *shown = g_filename_display_name (source);
  g_autofree char *absolute = NULL;

  if (!g_path_is_absolute (shown))
    {
      g_autofree char *cwd = g_get_current_dir ();
      g_autofree char *cwd_shown = g_filename_display_name (cwd);

      absolute = g_build_filename (cwd_shown, shown, NULL);
    }
  hs_dataset_set_meta (ds, "source", absolute != NULL ? absolute : shown);
  hs_dataset_set_meta (ds, "importer", importer);

  if (!hs_dataset_make_splits (ds, options->seed, options->val_fraction,
                               options->test_fraction, error))
    return NULL;
  if (report != NULL)
    {
      report->imported = hs_dataset_get_n_images (ds);
      /* Walk-time and decode-time skips were found apart; a person reads
       * them by name. */
      g_ptr_array_sort (report->skipped, compare_skips);
    }
  return g_steal_pointer (&owned);
}

static gboolean
is_idx (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  guint8 head[4];
  gsize n = 0;

  if (in == NULL)
    return FALSE;
  if (!g_input_stream_read_all (G_INPUT_STREAM (in), head, sizeof head, &n, NULL, NULL)
      || n < 2)
    return FALSE;
  /* gzip, or IDX's two zero bytes, a type code and 1–4 dimensions. */
  if (head[0] == 0x1f && head[1] == 0x8b)
    return TRUE;
  return n == 4 && head[0] == 0 && head[1] == 0 && head[2] >= 0x08 && head[2] <= 0x0e
         && head[3] >= 1 && head[3] <= 4;
}

HsDataset *
hs_import (const char *path, const char *name, const HsImportOptions *options,
           HsImportReport *report, GCancellable *cancellable, GError **error)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return hs_import_folder (path, name, options, report, cancellable, error);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *shown = g_filename_display_name (path);

      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_NOT_FOUND,
                   "“%s” does not exist", shown);
      return NULL;
    }
  lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".csv"))
    return hs_import_csv (path, name, options, report, cancellable, error);
  if (is_idx (path))
    return hs_import_idx (path, NULL, name, options, report, cancellable, error);
  {
    g_autofree char *shown = g_filename_display_name (path);

    g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                 "“%s” is not a folder of class folders, a .csv file or an IDX images file",
                 shown);
  }
  return NULL;
}
