/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hs-catalog"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "hs-builder.h"
#include "hs-image.h"
#include "hs-svg-render.h"

#define MARGIN 2

static void
copy_rgb24 (cairo_surface_t *surface, guint8 *out)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  int w = cairo_image_surface_get_width (surface);
  int h = cairo_image_surface_get_height (surface);

  for (int y = 0; y < h; y++)
    {
      const guint32 *row = (const guint32 *) (const void *) (data + (gsize) y * stride);
      for (int x = 0; x < w; x++, out += 3)
        {
          out[0] = (row[x] >> 16) & 0xff;
          out[1] = (row[x] >> 8) & 0xff;
          out[2] = row[x] & 0xff;
        }
    }
}

gboolean
hs_svg_render (RsvgHandle *handle, const char *id, guint px, guint size, guint8 *rgb,
               GError **error)
{
  RsvgRectangle viewport = { 0, 0, 0, 0 };
  RsvgRectangle ink, logical;
  gdouble w = 0, h = 0, scale;
  g_autofree char *ref = id != NULL ? g_strconcat ("#", id, NULL) : NULL;
  g_autofree guint8 *pixels = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  int sw, sh;
  gboolean ok;

  /* Elements are placed within the document's own viewport, then cropped to
   * their ink: rsvg_handle_render_element misplaces some card decks'
   * elements, rendering the layer inside a translated viewport does not. */
  if (!rsvg_handle_get_intrinsic_size_in_pixels (handle, &w, &h) || w <= 0 || h <= 0)
    w = h = 100;
  viewport.width = w;
  viewport.height = h;
  if (!rsvg_handle_get_geometry_for_layer (handle, ref, &viewport, &ink, &logical, error))
    return FALSE;
  /* The geometric (logical) box, not the ink box: librsvg 2.54 counts whole
   * filter regions and hidden helpers as ink (a card whose ink is 25 cards
   * wide), and no ink at all for <image> elements.  Strokes reach a little
   * past the geometric box, hence the padding. */
  if (logical.width > 0 && logical.height > 0)
    {
      gdouble pad = 0.02 * MAX (logical.width, logical.height);

      ink.x = logical.x - pad;
      ink.y = logical.y - pad;
      ink.width = logical.width + 2 * pad;
      ink.height = logical.height + 2 * pad;
    }
  if (ink.width <= 0 || ink.height <= 0)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID, "no ink");
      return FALSE;
    }
  scale = px / MAX (ink.width, ink.height);
  sw = MAX (1, (int) (ink.width * scale + 0.5)) + 2 * MARGIN;
  sh = MAX (1, (int) (ink.height * scale + 0.5)) + 2 * MARGIN;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, sw, sh);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_translate (cr, MARGIN, MARGIN);
  cairo_scale (cr, scale, scale);
  cairo_translate (cr, -ink.x, -ink.y);
  ok = rsvg_handle_render_layer (handle, cr, ref, &viewport, error);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  if (ok)
    {
      pixels = g_malloc ((gsize) sw * sh * 3);
      copy_rgb24 (surface, pixels);
      hs_image_fit (pixels, sw, sh, (gsize) sw * 3, 3, size, rgb);
    }
  cairo_surface_destroy (surface);
  return ok;
}

gboolean
hs_picture_render (const char *path, guint px, guint size, guint8 *rgb, GError **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  if (g_str_has_suffix (path, ".svg") || g_str_has_suffix (path, ".svgz"))
    {
      /* librsvg 2.54 defines no autoptr cleanup for its handle. */
      RsvgHandle *handle = rsvg_handle_new_from_file (path, error);
      gboolean ok = handle != NULL && hs_svg_render (handle, NULL, px, size, rgb, error);

      g_clear_object (&handle);
      return ok;
    }
  if ((pixbuf = gdk_pixbuf_new_from_file (path, error)) == NULL)
    return FALSE;
  hs_image_fit (gdk_pixbuf_read_pixels (pixbuf), gdk_pixbuf_get_width (pixbuf),
                gdk_pixbuf_get_height (pixbuf), gdk_pixbuf_get_rowstride (pixbuf),
                gdk_pixbuf_get_n_channels (pixbuf), size, rgb);
  return TRUE;
}

GPtrArray *
hs_svg_list_ids (const char *path, GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GRegex) re = g_regex_new ("\\sid=[\"']([^\"']+)[\"']", G_REGEX_OPTIMIZE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  guint8 magic[2] = { 0, 0 };
  gsize n = 0;

  /* .svgz is gzip whatever its name says; look at the magic number. */
  in = G_INPUT_STREAM (g_file_read (file, NULL, error));
  if (in == NULL)
    return NULL;
  g_input_stream_read_all (in, magic, 2, &n, NULL, NULL);
  g_seekable_seek (G_SEEKABLE (in), 0, G_SEEK_SET, NULL, NULL);
  if (magic[0] == 0x1f && magic[1] == 0x8b)
    {
      g_autoptr(GZlibDecompressor) gunzip = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
      GInputStream *raw = in;
      in = g_converter_input_stream_new (raw, G_CONVERTER (gunzip));
      g_object_unref (raw);
    }
  /* A terminating NUL makes the bytes a C string for the regex. */
  if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE, NULL, error) < 0 ||
      !g_output_stream_write_all (out, "", 1, NULL, NULL, error) ||
      !g_output_stream_close (out, NULL, error))
    return NULL;
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_regex_match (re, g_bytes_get_data (bytes, NULL), 0, &match);
  while (g_match_info_matches (match))
    {
      g_ptr_array_add (ids, g_match_info_fetch (match, 1));
      g_match_info_next (match, NULL);
    }
  return g_steal_pointer (&ids);
}
