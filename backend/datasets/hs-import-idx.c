/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Importing IDX files (the MNIST format): an images file and a labels file,
 * each gzipped or not (told by content, not by name).
 *
 * IDX: two zero bytes, a type code (0x08: unsigned bytes, the only one
 * images come in), the number of dimensions, then each dimension as a
 * big-endian u32, then the data in row-major order.  Images are N × rows ×
 * cols (grey) or N × rows × cols × 1|3; labels are N.  Without class names
 * the classes are the label numbers in increasing order.
 *
 * A short file is an error rather than a partial import: unlike a folder of
 * pictures, the two files only make sense whole.
 */
#define G_LOG_DOMAIN "hs-datasets"

#include <string.h>

#include "hs-dataset-store.h"
#include "hs-image.h"
#include "hs-import-private.h"

#define IDX_UBYTE 0x08
/* 64 MiB: far beyond any real IDX image, small enough that a damaged
 * header cannot exhaust memory. */
#define MAX_IMAGE_BYTES (64u << 20)

typedef struct
{
  guint8 type;
  guint n_dims;
  guint32 dims[4];
} IdxHeader;

static void
set_invalid (GError **error, const char *path, const char *why)
{
  g_autofree char *shown = g_filename_display_name (path);

  g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID, "“%s” %s", shown, why);
}

/* The file as a stream, decompressed when it starts with gzip's magic. */
static GInputStream *
open_idx (const char *path, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) raw = NULL;
  g_autoptr(GInputStream) buffered = NULL;
  g_autoptr(GError) local_error = NULL;
  const guint8 *head;
  gsize n;

  raw = g_file_read (file, NULL, &local_error);
  if (raw == NULL)
    {
      g_autofree char *shown = g_filename_display_name (path);

      g_set_error (error, HS_DATASET_ERROR,
                   g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                   ? HS_DATASET_ERROR_NOT_FOUND : HS_DATASET_ERROR_IO,
                   "Cannot open “%s”: %s", shown, local_error->message);
      return NULL;
    }
  buffered = g_buffered_input_stream_new_sized (G_INPUT_STREAM (raw), 1 << 16);
  if (g_buffered_input_stream_fill (G_BUFFERED_INPUT_STREAM (buffered), 2, NULL,
                                    &local_error) < 0)
    {
      g_autofree char *shown = g_filename_display_name (path);

      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_IO, "Cannot read “%s”: %s",
                   shown, local_error->message);
      return NULL;
    }
  head = g_buffered_input_stream_peek_buffer (G_BUFFERED_INPUT_STREAM (buffered), &n);
  if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
    {
      g_autoptr(GZlibDecompressor) gunzip =
        g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);

      return g_converter_input_stream_new (buffered, G_CONVERTER (gunzip));
    }
  return g_steal_pointer (&buffered);
}

/* Reads exactly n bytes; FALSE at a short read (error set only on a read
 * failure, e.g. a damaged gzip stream). */
static gboolean
read_exactly (GInputStream *in, void *data, gsize n, const char *path, gboolean *short_read,
              GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize got = 0;

  *short_read = FALSE;
  if (!g_input_stream_read_all (in, data, n, &got, NULL, &local_error))
    {
      g_autofree char *shown = g_filename_display_name (path);

      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT,
                   "“%s” is damaged: %s", shown, local_error->message);
      return FALSE;
    }
  if (got < n)
    {
      *short_read = TRUE;
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_header (GInputStream *in, const char *path, IdxHeader *h, GError **error)
{
  guint8 magic[4];
  gboolean short_read;

  if (!read_exactly (in, magic, 4, path, &short_read, error))
    {
      if (short_read)
        set_invalid (error, path, "is not an IDX file (too short)");
      return FALSE;
    }
  if (magic[0] != 0 || magic[1] != 0 || magic[3] < 1 || magic[3] > 4)
    {
      set_invalid (error, path, "is not an IDX file");
      return FALSE;
    }
  h->type = magic[2];
  h->n_dims = magic[3];
  for (guint i = 0; i < h->n_dims; i++)
    {
      guint32 be;

      if (!read_exactly (in, &be, 4, path, &short_read, error))
        {
          if (short_read)
            set_invalid (error, path, "is not an IDX file (its header is cut short)");
          return FALSE;
        }
      h->dims[i] = GUINT32_FROM_BE (be);
    }
  if (h->type != IDX_UBYTE)
    {
      g_autofree char *why = g_strdup_printf ("holds IDX type 0x%02x; only unsigned bytes "
                                              "(0x08) are supported", h->type);

      set_invalid (error, path, why);
      return FALSE;
    }
  return TRUE;
}

/* train-images-idx3-ubyte[.gz] → train-labels-idx1-ubyte[.gz], either
 * compressed or not. */
static char *
find_labels (const char *images, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (images);
  g_autofree char *base = g_path_get_basename (images);
  g_autofree char *stem = NULL;
  char *at = strstr (base, "images");
  GString *name;

  if (at == NULL)
    {
      set_invalid (error, images, "has no “images” in its name, so its labels file cannot "
                   "be found (name them like train-images-idx3-ubyte and "
                   "train-labels-idx1-ubyte)");
      return NULL;
    }
  name = g_string_new_len (base, at - base);
  g_string_append (name, "labels");
  g_string_append (name, at + strlen ("images"));
  g_string_replace (name, "idx3", "idx1", 1);
  if (g_str_has_suffix (name->str, ".gz"))
    g_string_truncate (name, name->len - 3);
  stem = g_string_free (name, FALSE);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *file = g_strconcat (stem, i == 0 ? "" : ".gz", NULL);
      g_autofree char *path = g_build_filename (dir, file, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  {
    g_autofree char *shown = g_filename_display_name (images);
    g_autofree char *stem_shown = g_filename_display_name (stem);

    g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_NOT_FOUND,
                 "no labels file beside “%s” (looked for %s and %s.gz)", shown, stem_shown,
                 stem_shown);
  }
  return NULL;
}

static guint8 *
read_labels (const char *path, guint32 *n_out, GError **error)
{
  g_autoptr(GInputStream) in = open_idx (path, error);
  g_autoptr(GByteArray) labels = NULL;
  IdxHeader h;
  gboolean short_read;

  if (in == NULL || !read_header (in, path, &h, error))
    return NULL;
  if (h.n_dims != 1)
    {
      set_invalid (error, path, "is not an IDX labels file (it has more than one dimension)");
      return NULL;
    }
  if (h.dims[0] == 0)
    {
      set_invalid (error, path, "holds no labels");
      return NULL;
    }
  /* Grown as the labels arrive, so a damaged count cannot make it
   * allocate gigabytes up front. */
  labels = g_byte_array_new ();
  while (labels->len < h.dims[0])
    {
      guint chunk = MIN (h.dims[0] - labels->len, 1u << 16);
      guint at = labels->len;

      g_byte_array_set_size (labels, at + chunk);
      if (!read_exactly (in, labels->data + at, chunk, path, &short_read, error))
        {
          if (short_read)
            {
              g_autofree char *shown = g_filename_display_name (path);

              g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT,
                           "“%s” is truncated: it holds fewer than the %u labels its "
                           "header announces", shown, h.dims[0]);
            }
          return NULL;
        }
    }
  *n_out = h.dims[0];
  return g_byte_array_free (g_steal_pointer (&labels), FALSE);
}

/* Adds the classes; class_of[label] is the class index, or -1 for a label
 * that has no class (an error when it is used). */
static gboolean
add_classes (HsDataset *ds, const guint8 *labels, guint32 n, const HsImportOptions *opts,
             const char *labels_path, gint class_of[256], GError **error)
{
  gboolean present[256] = { FALSE };

  for (guint32 i = 0; i < n; i++)
    present[labels[i]] = TRUE;
  for (guint l = 0; l < 256; l++)
    class_of[l] = -1;

  if (opts->class_names != NULL)
    {
      guint n_names = g_strv_length ((GStrv) opts->class_names);

      for (guint l = 0; l < 256; l++)
        if (present[l] && l >= n_names)
          {
            g_autofree char *shown = g_filename_display_name (labels_path);

            g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                         "“%s” uses label %u, but only %u class names were given", shown, l,
                         n_names);
            return FALSE;
          }
      for (guint l = 0; l < n_names && l < 256; l++)
        class_of[l] = hs_dataset_add_class (ds, opts->class_names[l]);
      return TRUE;
    }
  for (guint l = 0; l < 256; l++)
    if (present[l])
      {
        g_autofree char *name = g_strdup_printf ("%u", l);

        class_of[l] = hs_dataset_add_class (ds, name);
      }
  return TRUE;
}

HsDataset *
hs_import_idx (const char *images, const char *labels, const char *name,
               const HsImportOptions *options, HsImportReport *report,
               GCancellable *cancellable, GError **error)
{
  g_autoptr(HsDataset) ds = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autofree char *found_labels = NULL;
  g_autofree guint8 *label_of = NULL;
  g_autofree guint8 *pixels = NULL;
  g_autofree guint8 *rgb = NULL;
  gint class_of[256];
  HsImportOptions opts;
  IdxHeader h;
  guint32 n_labels = 0, channels;
  guint64 image_bytes;

  g_return_val_if_fail (images != NULL, NULL);

  hs_import_options_resolve (options, &opts);
  if (!hs_dataset_name_is_valid (name, error))
    return NULL;
  if (labels == NULL)
    {
      found_labels = find_labels (images, error);
      if (found_labels == NULL)
        return NULL;
      labels = found_labels;
    }

  label_of = read_labels (labels, &n_labels, error);
  if (label_of == NULL)
    return NULL;
  in = open_idx (images, error);
  if (in == NULL || !read_header (in, images, &h, error))
    return NULL;
  channels = h.n_dims == 4 ? h.dims[3] : 1;
  if (h.n_dims < 3 || (channels != 1 && channels != 3) || h.dims[1] == 0 || h.dims[2] == 0)
    {
      set_invalid (error, images, "is not an IDX images file (expected N × rows × columns, "
                   "optionally × 1 or 3 channels)");
      return NULL;
    }
  image_bytes = (guint64) h.dims[1] * h.dims[2] * channels;
  if (image_bytes > MAX_IMAGE_BYTES)
    {
      set_invalid (error, images, "holds images too large to be real");
      return NULL;
    }
  if (h.dims[0] != n_labels)
    {
      g_autofree char *images_shown = g_filename_display_name (images);
      g_autofree char *labels_shown = g_filename_display_name (labels);

      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                   "“%s” holds %u images but “%s” holds %u labels", images_shown, h.dims[0],
                   labels_shown, n_labels);
      return NULL;
    }

  ds = hs_dataset_new (name, opts.size);
  if (!add_classes (ds, label_of, n_labels, &opts, labels, class_of, error))
    return NULL;

  pixels = g_malloc (image_bytes);
  rgb = g_malloc ((gsize) opts.size * opts.size * 3);
  for (guint32 i = 0; i < h.dims[0]; i++)
    {
      gboolean short_read;

      if (!read_exactly (in, pixels, image_bytes, images, &short_read, error))
        {
          if (short_read)
            {
              g_autofree char *shown = g_filename_display_name (images);

              g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT,
                           "“%s” is truncated: it ends after %u of the %u images its "
                           "header announces", shown, i, h.dims[0]);
            }
          return NULL;
        }
      hs_image_fit (pixels, h.dims[2], h.dims[1], (gsize) h.dims[2] * channels, channels,
                    opts.size, rgb);
      hs_dataset_add_image (ds, rgb, class_of[label_of[i]], 0);
      if ((i + 1) % 1024 == 0 || i + 1 == h.dims[0])
        {
          if (hs_import_cancelled (cancellable, error))
            return NULL;
          if (opts.progress != NULL)
            opts.progress (i + 1, h.dims[0], "images", opts.progress_data);
        }
    }
  return hs_import_finish (g_steal_pointer (&ds), images, "idx", &opts, report, error);
}
