/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Contact sheets: a PNG with a title, then one row per class (its name and
 * image count, then samples spread evenly over the class, so a folder
 * sorted by name shows more than its first few files).
 */
#define G_LOG_DOMAIN "hs-datasets"

#include <cairo.h>
#include <pango/pangocairo.h>

#include "hs-dataset-private.h"

#define MARGIN 8
#define GAP 4
#define LABEL_MAX_WIDTH 220
/* Past this many rows the sheet says how many more classes there are:
 * cairo surfaces stop at 32767 pixels, and nobody reads row 300. */
#define MAX_ROWS 256

static PangoLayout *
make_layout (cairo_t *cr, const char *text, const char *font)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static cairo_surface_t *
image_surface (HsDataset *ds, gsize index)
{
  guint size = ds->size;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, size, size);
  const guint8 *rgb = hs_dataset_get_image (ds, index);
  guint8 *data;
  int stride;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (guint y = 0; y < size; y++)
    {
      guint32 *row = (guint32 *) (data + (gsize) y * stride);

      for (guint x = 0; x < size; x++)
        {
          const guint8 *p = rgb + ((gsize) y * size + x) * 3;

          row[x] = (guint32) p[0] << 16 | (guint32) p[1] << 8 | p[2];
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

static cairo_status_t
write_stream (void *closure, const unsigned char *data, unsigned int length)
{
  return fwrite (data, 1, length, closure) == length ? CAIRO_STATUS_SUCCESS
                                                     : CAIRO_STATUS_WRITE_ERROR;
}

/* Indices of each class's images, in order (start[c] … start[c + 1]). */
static guint32 *
index_by_class (HsDataset *ds, gsize **start_out)
{
  guint n_classes = ds->classes->len;
  gsize *start = g_new0 (gsize, n_classes + 1);
  g_autofree gsize *fill = NULL;
  guint32 *order = g_new (guint32, MAX (ds->n_images, 1));

  for (gsize i = 0; i < ds->n_images; i++)
    start[g_array_index (ds->labels, guint32, i) + 1]++;
  for (guint c = 0; c < n_classes; c++)
    start[c + 1] += start[c];
  fill = g_memdup2 (start, (n_classes + 1) * sizeof (gsize));
  for (gsize i = 0; i < ds->n_images; i++)
    order[fill[g_array_index (ds->labels, guint32, i)]++] = i;
  *start_out = start;
  return order;
}

gboolean
hs_dataset_write_sheet (HsDataset *ds, const char *png_path, guint per_class, guint scale,
                        GError **error)
{
  g_autoptr(HsAtomicFile) file = NULL;
  g_autofree gsize *start = NULL;
  g_autofree guint32 *order = NULL;
  g_autofree char *title = NULL;
  g_autoptr(PangoLayout) title_layout = NULL;
  cairo_surface_t *probe, *sheet;
  cairo_t *cr;
  guint n_rows, cell, label_width = 0;
  int title_height, width, height, text_w, text_h;
  cairo_status_t status;

  g_return_val_if_fail (ds != NULL && png_path != NULL, FALSE);
  g_return_val_if_fail (!ds->header_only, FALSE);

  per_class = CLAMP (per_class, 1, 64);
  scale = CLAMP (scale, 1, MAX (1, 512 / ds->size));
  cell = ds->size * scale;
  n_rows = MIN (ds->classes->len, MAX_ROWS);
  order = index_by_class (ds, &start);

  /* Measure the text on a scratch surface first. */
  probe = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1, 1);
  cr = cairo_create (probe);
  title = g_strdup_printf ("%s — %zu images, %u classes, %u×%u", ds->name, ds->n_images,
                           ds->classes->len, ds->size, ds->size);
  title_layout = make_layout (cr, title, "Sans Bold 11");
  pango_layout_get_pixel_size (title_layout, &text_w, &title_height);
  for (guint c = 0; c < n_rows; c++)
    {
      g_autofree char *label = g_strdup_printf ("%s (%zu)",
                                                (const char *) g_ptr_array_index (ds->classes, c),
                                                start[c + 1] - start[c]);
      g_autoptr(PangoLayout) layout = make_layout (cr, label, "Sans 9");

      pango_layout_get_pixel_size (layout, &text_w, &text_h);
      label_width = MAX (label_width, (guint) text_w);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (probe);
  label_width = MIN (label_width, LABEL_MAX_WIDTH);

  width = MARGIN * 2 + label_width + GAP + per_class * (cell + GAP);
  height = MARGIN * 2 + title_height + GAP + n_rows * (cell + GAP)
           + (ds->classes->len > n_rows ? title_height + GAP : 0);
  sheet = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (sheet);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_move_to (cr, MARGIN, MARGIN);
  pango_cairo_update_layout (cr, title_layout);
  pango_cairo_show_layout (cr, title_layout);

  for (guint c = 0; c < n_rows; c++)
    {
      gsize n = start[c + 1] - start[c];
      guint shown = MIN (per_class, n);
      double top = MARGIN + title_height + GAP + (double) c * (cell + GAP);
      g_autofree char *label = g_strdup_printf ("%s (%zu)",
                                                (const char *) g_ptr_array_index (ds->classes, c),
                                                n);
      g_autoptr(PangoLayout) layout = make_layout (cr, label, "Sans 9");

      pango_layout_set_width (layout, label_width * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (layout, &text_w, &text_h);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      cairo_move_to (cr, MARGIN, top + (cell - text_h) / 2.0);
      pango_cairo_show_layout (cr, layout);

      for (guint k = 0; k < shown; k++)
        {
          gsize index = order[start[c] + (gsize) k * n / shown];
          cairo_surface_t *image = image_surface (ds, index);

          cairo_save (cr);
          cairo_translate (cr, MARGIN + label_width + GAP + (double) k * (cell + GAP), top);
          cairo_scale (cr, scale, scale);
          cairo_set_source_surface (cr, image, 0, 0);
          /* Crisp pixels: the sheet shows what the network sees. */
          cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
          cairo_paint (cr);
          cairo_restore (cr);
          cairo_surface_destroy (image);
        }
    }
  if (ds->classes->len > n_rows)
    {
      g_autofree char *more = g_strdup_printf ("… and %u more classes",
                                               ds->classes->len - n_rows);
      g_autoptr(PangoLayout) layout = make_layout (cr, more, "Sans Italic 9");

      cairo_move_to (cr, MARGIN, MARGIN + title_height + GAP + (double) n_rows * (cell + GAP));
      pango_cairo_show_layout (cr, layout);
    }
  cairo_destroy (cr);

  file = hs_atomic_file_open (png_path, HS_DATASET_ERROR, HS_DATASET_ERROR_IO,
                              HS_DATASET_ERROR_EXISTS, error);
  if (file == NULL)
    {
      cairo_surface_destroy (sheet);
      return FALSE;
    }
  status = cairo_surface_write_to_png_stream (sheet, write_stream,
                                              hs_atomic_file_get_stream (file));
  cairo_surface_destroy (sheet);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_autofree char *display = g_filename_display_name (png_path);

      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_IO, "Cannot write “%s”: %s",
                   display, cairo_status_to_string (status));
      return FALSE;
    }
  return hs_atomic_file_commit (g_steal_pointer (&file), TRUE, error);
}
