/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ready-made digit sets that are neither IDX nor image folders.
 *
 *   [Source]
 *   format=csv | sheet
 *   file=/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz
 *   classes=0;1;…;9          class names, by label (csv) or by band (sheet)
 *
 *   csv: one image per line, width×width grey levels then the label
 *   (scikit-learn's digits: 8×8 levels 0–16, UCI optdigits)
 *     width=8  max-level=16
 *   sheet: one picture of equal cells, classes in horizontal bands of
 *   rows-per-class rows (OpenCV's digits.png: 20×20 cells, 5 rows a digit)
 *     cell=20  rows-per-class=5
 *
 * Writers are not recorded in either source, so images have no group.
 */
#define G_LOG_DOMAIN "hs-catalog"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "hs-builder.h"

typedef struct {
  guint8 *pixels;   /* grey */
  guint width;      /* of one image (csv) or of the sheet */
  guint cell;
} Digits;

typedef struct {
  guint x, y;       /* csv: y is the image index */
} DigitItem;

static void
digits_free (gpointer data)
{
  Digits *d = data;

  g_free (d->pixels);
  g_free (d);
}

static gboolean
render_csv (HsBuild *build, gpointer item, guint8 *rgb, GError **error)
{
  Digits *d = hs_build_get_builder_data (build);
  DigitItem *it = item;

  return hs_build_fit (build, d->pixels + (gsize) it->y * d->cell * d->cell, d->cell, d->cell,
                       d->cell, 1, rgb);
}

static gboolean
render_cell (HsBuild *build, gpointer item, guint8 *rgb, GError **error)
{
  Digits *d = hs_build_get_builder_data (build);
  DigitItem *it = item;

  return hs_build_fit (build, d->pixels + (gsize) it->y * d->width + it->x, d->cell, d->cell,
                       d->width, 1, rgb);
}

static gboolean
read_csv (HsBuild *build, const char *path, GStrv classes, GError **error)
{
  g_autoptr(GBytes) bytes = hs_build_read_file (path, error);
  g_autoptr(GByteArray) pixels = g_byte_array_new ();
  g_auto(GStrv) lines = NULL;
  gint width, max_level;
  guint n_classes = g_strv_length (classes), n = 0;
  Digits *d;

  if (bytes == NULL ||
      !hs_build_get_int (build, "width", 8, 1, 256, &width, error) ||
      !hs_build_get_int (build, "max-level", 16, 1, 65535, &max_level, error))
    return FALSE;
  lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      guint64 label;
      DigitItem *it;

      if (*g_strstrip (lines[i]) == '\0')
        continue;
      fields = g_strsplit (lines[i], ",", -1);
      if (g_strv_length (fields) != (guint) (width * width + 1) ||
          !g_ascii_string_to_unsigned (fields[width * width], 10, 0, n_classes - 1, &label, NULL))
        {
          g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT,
                       "%s: line %u is not %d levels and a label below %u", path, i + 1,
                       width * width, n_classes);
          return FALSE;
        }
      for (gint k = 0; k < width * width; k++)
        {
          guint64 v = 0;
          guint8 grey;

          g_ascii_string_to_unsigned (fields[k], 10, 0, max_level, &v, NULL);
          grey = (guint8) (v * 255 / max_level);
          g_byte_array_append (pixels, &grey, 1);
        }
      it = g_new0 (DigitItem, 1);
      it->y = n++;
      hs_build_add_candidate (build, hs_build_add_class (build, classes[label]), NULL, it);
    }
  d = g_new0 (Digits, 1);
  d->cell = width;
  d->pixels = g_byte_array_free (g_steal_pointer (&pixels), FALSE);
  hs_build_set_render (build, render_csv, g_free, d, digits_free);
  return TRUE;
}

static gboolean
read_sheet (HsBuild *build, const char *path, GStrv classes, GError **error)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (path, error);
  guint n_classes = g_strv_length (classes);
  gint cell, rows_per_class;
  guint w, h, nch, stride, cols, rows;
  const guint8 *src;
  Digits *d;

  if (pixbuf == NULL || !hs_build_get_int (build, "cell", 20, 2, 1024, &cell, error) ||
      !hs_build_get_int (build, "rows-per-class", 5, 1, 10000, &rows_per_class, error))
    return FALSE;
  w = gdk_pixbuf_get_width (pixbuf);
  h = gdk_pixbuf_get_height (pixbuf);
  nch = gdk_pixbuf_get_n_channels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  cols = w / cell;
  rows = h / cell;
  if (rows != n_classes * rows_per_class)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT,
                   "%s: %u rows of %d px cells, not %u classes × %d rows", path, rows, cell,
                   n_classes, rows_per_class);
      return FALSE;
    }

  /* gdk-pixbuf hands grey PNGs over as RGB: keep one channel. */
  d = g_new0 (Digits, 1);
  d->width = w;
  d->cell = cell;
  d->pixels = g_malloc ((gsize) w * h);
  src = gdk_pixbuf_read_pixels (pixbuf);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      d->pixels[(gsize) y * w + x] = src[(gsize) y * stride + (gsize) x * nch];
  hs_build_set_render (build, render_cell, g_free, d, digits_free);

  for (guint r = 0; r < rows; r++)
    {
      guint class_index = hs_build_add_class (build, classes[r / rows_per_class]);

      for (guint c = 0; c < cols; c++)
        {
          DigitItem *it = g_new (DigitItem, 1);
          it->x = c * cell;
          it->y = r * cell;
          hs_build_add_candidate (build, class_index, NULL, it);
        }
    }
  return TRUE;
}

gboolean
hs_builder_digits (HsBuild *build, GError **error)
{
  static const char *const formats[] = { "csv", "sheet", NULL };
  g_autofree char *format = hs_build_get_string (build, "format", NULL, error);
  g_autofree char *path = NULL;
  g_auto(GStrv) classes = NULL;

  if (format == NULL || (classes = hs_build_get_list (build, "classes", TRUE, error)) == NULL)
    return FALSE;
  if (hs_build_check_choice (build, "format", format, formats, error) < 0)
    return FALSE;
  if (g_strv_length (classes) < 2)
    {
      hs_build_key_error (build, error, NULL, "classes", "needs at least 2 class names");
      return FALSE;
    }
  if ((path = hs_build_get_package_file (build, "file", error)) == NULL)
    return FALSE;
  /* Classes in label order, whatever order the images come in. */
  for (guint i = 0; classes[i] != NULL; i++)
    hs_build_add_class (build, classes[i]);
  hs_build_set_source (build, path);
  return g_str_equal (format, "csv") ? read_csv (build, path, classes, error)
                                     : read_sheet (build, path, classes, error);
}
