/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hs-catalog"

#include <pango/pangocairo.h>

#include "hs-glyph-render.h"
#include "hs-image.h"

/* Room around the ink so antialiased edges are not clipped. */
#define MARGIN 2

struct _HsGlyphRenderer {
  guint px;
  PangoFontMap *map;
  PangoContext *context;
  PangoLayout *layout;
};

HsGlyphRenderer *
hs_glyph_renderer_new (guint px)
{
  HsGlyphRenderer *r = g_new0 (HsGlyphRenderer, 1);
  cairo_font_options_t *options = cairo_font_options_create ();

  r->px = px;
  /* A map of our own: the default one is per thread and shared with
   * whatever else the process draws. */
  r->map = pango_cairo_font_map_new ();
  r->context = pango_font_map_create_context (r->map);
  /* Unhinted outlines: hinting at one size would distort shapes that are
   * then scaled down anyway. */
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (r->context, options);
  cairo_font_options_destroy (options);
  r->layout = pango_layout_new (r->context);
  return r;
}

void
hs_glyph_renderer_free (HsGlyphRenderer *r)
{
  if (r == NULL)
    return;
  g_clear_object (&r->layout);
  g_clear_object (&r->context);
  g_clear_object (&r->map);
  g_free (r);
}

static gboolean
same_face (const PangoFontDescription *want, PangoFont *font)
{
  g_autoptr(PangoFontDescription) got = pango_font_describe (font);

  return g_ascii_strcasecmp (pango_font_description_get_family (want),
                             pango_font_description_get_family (got)) == 0 &&
         pango_font_description_get_weight (want) == pango_font_description_get_weight (got) &&
         pango_font_description_get_style (want) == pango_font_description_get_style (got);
}

/* Every run drawn by the font asked for, and how many visible glyphs. */
static gboolean
check_runs (HsGlyphRenderer *r, const PangoFontDescription *want, guint *n_glyphs)
{
  PangoLayoutIter *iter = pango_layout_get_iter (r->layout);
  gboolean ok = TRUE;

  *n_glyphs = 0;
  do
    {
      PangoLayoutRun *run = pango_layout_iter_get_run_readonly (iter);

      if (run == NULL)
        continue;
      if (!same_face (want, run->item->analysis.font))
        {
          ok = FALSE;
          break;
        }
      for (int i = 0; i < run->glyphs->num_glyphs; i++)
        if (run->glyphs->glyphs[i].geometry.width > 0 &&
            run->glyphs->glyphs[i].glyph != PANGO_GLYPH_EMPTY)
          (*n_glyphs)++;
    }
  while (pango_layout_iter_next_run (iter));
  pango_layout_iter_free (iter);
  return ok;
}

gboolean
hs_glyph_render (HsGlyphRenderer *r, const PangoFontDescription *desc, const char *text,
                 guint max_glyphs, guint size, guint8 *rgb, const char **why)
{
  g_autoptr(PangoFontDescription) sized = pango_font_description_copy (desc);
  PangoRectangle ink;
  cairo_surface_t *surface;
  cairo_t *cr;
  guint n_glyphs, w, h;
  const guint8 *data;
  int stride;
  g_autofree guint8 *pixels = NULL;

  pango_font_description_set_absolute_size (sized, r->px * PANGO_SCALE);
  pango_layout_set_font_description (r->layout, sized);
  pango_layout_set_text (r->layout, text, -1);

  if (pango_layout_get_unknown_glyphs_count (r->layout) > 0)
    return (*why = "unknown glyph", FALSE);
  if (!check_runs (r, desc, &n_glyphs))
    return (*why = "drawn by another font", FALSE);
  if (n_glyphs == 0 || (max_glyphs > 0 && n_glyphs > max_glyphs))
    return (*why = "not one glyph", FALSE);

  pango_layout_get_pixel_extents (r->layout, &ink, NULL);
  if (ink.width <= 0 || ink.height <= 0)
    return (*why = "no ink", FALSE);
  w = ink.width + 2 * MARGIN;
  h = ink.height + 2 * MARGIN;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_move_to (cr, MARGIN - ink.x, MARGIN - ink.y);
  pango_cairo_show_layout (cr, r->layout);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  /* cairo's RGB24 is a native-endian 0xXXRRGGBB word per pixel. */
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  pixels = g_malloc ((gsize) w * h * 3);
  for (guint y = 0; y < h; y++)
    {
      const guint32 *row = (const guint32 *) (const void *) (data + (gsize) y * stride);
      guint8 *out = pixels + (gsize) y * w * 3;

      for (guint x = 0; x < w; x++)
        {
          out[3 * x] = (row[x] >> 16) & 0xff;
          out[3 * x + 1] = (row[x] >> 8) & 0xff;
          out[3 * x + 2] = row[x] & 0xff;
        }
    }
  cairo_surface_destroy (surface);
  hs_image_fit (pixels, w, h, (gsize) w * 3, 3, size, rgb);
  return TRUE;
}
