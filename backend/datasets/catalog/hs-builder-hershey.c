/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hershey vector fonts (package hershey-fonts-data): strokes drawn with
 * cairo, one group per font.
 *
 *   [Source]
 *   root=/usr/share/hershey-fonts
 *   fonts=futural;rowmans;timesr;…   .jhf files in root
 *   classes=0;1;…;9                  ASCII characters (glyphs 32–126 in
 *                                    file order)
 *   stroke=1.6                       pen width in font units
 *
 * A .jhf glyph is a 5-digit number, a 3-digit vertex count, then that many
 * pairs of letters (coordinate + 'R'); the first pair is the advance, " R"
 * lifts the pen.  Long glyphs wrap onto following lines.
 */
#define G_LOG_DOMAIN "hs-catalog"

#include <cairo.h>
#include <string.h>

#include "hs-builder.h"
#include "hs-image.h"

#define MARGIN 2

typedef struct {
  char *strokes;   /* the coordinate pairs after the advance */
  gdouble width;
} HersheyItem;

static void
hershey_item_free (gpointer data)
{
  HersheyItem *it = data;

  g_free (it->strokes);
  g_free (it);
}

static gboolean
render_hershey (HsBuild *build, gpointer item, guint8 *rgb, GError **error)
{
  HersheyItem *it = item;
  const char *s = it->strokes;
  gsize n = strlen (s) / 2;
  gdouble x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE, scale;
  guint size = hs_build_get_size (build), px = 3 * size, w, h;
  cairo_surface_t *surface;
  cairo_t *cr;
  gboolean pen_up = TRUE;
  g_autofree guint8 *pixels = NULL;

  for (gsize i = 0; i < n; i++)
    {
      if (s[2 * i] == ' ' && s[2 * i + 1] == 'R')
        continue;
      x0 = MIN (x0, s[2 * i] - 'R');
      x1 = MAX (x1, s[2 * i] - 'R');
      y0 = MIN (y0, s[2 * i + 1] - 'R');
      y1 = MAX (y1, s[2 * i + 1] - 'R');
    }
  if (x1 < x0)
    return FALSE;
  /* The ink box plus the pen's half width on each side. */
  x0 -= it->width / 2;
  y0 -= it->width / 2;
  x1 += it->width / 2;
  y1 += it->width / 2;
  scale = px / MAX (x1 - x0, y1 - y0);
  w = (guint) ((x1 - x0) * scale + 0.5) + 2 * MARGIN;
  h = (guint) ((y1 - y0) * scale + 0.5) + 2 * MARGIN;

  surface = cairo_image_surface_create (CAIRO_FORMAT_A8, w, h);
  cr = cairo_create (surface);
  cairo_translate (cr, MARGIN, MARGIN);
  cairo_scale (cr, scale, scale);
  cairo_translate (cr, -x0, -y0);
  cairo_set_line_width (cr, it->width);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (gsize i = 0; i < n; i++)
    {
      if (s[2 * i] == ' ' && s[2 * i + 1] == 'R')
        {
          pen_up = TRUE;
          continue;
        }
      if (pen_up)
        cairo_move_to (cr, s[2 * i] - 'R', s[2 * i + 1] - 'R');
      else
        cairo_line_to (cr, s[2 * i] - 'R', s[2 * i + 1] - 'R');
      pen_up = FALSE;
    }
  cairo_stroke (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  /* Ink coverage → black on white. */
  pixels = g_malloc ((gsize) w * h);
  for (guint y = 0; y < h; y++)
    {
      const guint8 *row = cairo_image_surface_get_data (surface) +
                          (gsize) y * cairo_image_surface_get_stride (surface);
      for (guint x = 0; x < w; x++)
        pixels[(gsize) y * w + x] = 255 - row[x];
    }
  cairo_surface_destroy (surface);
  hs_image_fit (pixels, w, h, w, 1, size, rgb);
  return TRUE;
}

/* The glyphs of a .jhf file in order, each "advance pair + strokes". */
static GPtrArray *
read_jhf (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(GPtrArray) glyphs = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;
  gsize pos = 0;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  /* Unwrap: the vertex count says how long a glyph is, not the lines. */
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append (joined, g_strchomp (lines[i]));
  while (pos + 8 <= joined->len)
    {
      g_autofree char *count_text = g_strndup (joined->str + pos + 5, 3);
      guint64 count;

      if (!g_ascii_string_to_unsigned (g_strstrip (count_text), 10, 1, 1000, &count, NULL) ||
          pos + 8 + 2 * count > joined->len)
        {
          g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT,
                       "%s: malformed glyph %u", path, glyphs->len + 1);
          return NULL;
        }
      g_ptr_array_add (glyphs, g_strndup (joined->str + pos + 8, 2 * count));
      pos += 8 + 2 * count;
    }
  return g_steal_pointer (&glyphs);
}

gboolean
hs_builder_hershey (HsBuild *build, GError **error)
{
  g_autofree char *root = NULL;
  g_auto(GStrv) fonts = hs_build_get_list (build, "fonts", TRUE, error);
  g_auto(GStrv) classes = NULL;
  g_autofree char *stroke_text = hs_build_get_string (build, "stroke", "1.6", NULL);
  gdouble stroke = g_ascii_strtod (stroke_text, NULL);

  if (fonts == NULL || (classes = hs_build_get_list (build, "classes", TRUE, error)) == NULL ||
      (root = hs_build_get_package_file (build, "root", error)) == NULL)
    return FALSE;
  if (!(stroke > 0 && stroke < 20))
    {
      hs_build_key_error (build, error, NULL, "stroke", "“%s” is not a width from 0 to 20",
                          stroke_text);
      return FALSE;
    }
  for (guint c = 0; classes[c] != NULL; c++)
    if (strlen (classes[c]) != 1 || classes[c][0] < 33 || classes[c][0] > 126)
      {
        hs_build_key_error (build, error, NULL, "classes", "“%s” is not a printable ASCII "
                            "character", classes[c]);
        return FALSE;
      }
  hs_build_set_render (build, render_hershey, hershey_item_free, NULL, NULL);
  for (guint c = 0; classes[c] != NULL; c++)
    hs_build_add_class (build, classes[c]);

  for (guint f = 0; fonts[f] != NULL; f++)
    {
      g_autofree char *file = g_strconcat (fonts[f], ".jhf", NULL);
      g_autofree char *path = g_build_filename (root, file, NULL);
      g_autoptr(GPtrArray) glyphs = read_jhf (path, error);

      if (glyphs == NULL)
        return FALSE;
      for (guint c = 0; classes[c] != NULL; c++)
        {
          guint index = classes[c][0] - 32;
          const char *g;
          HersheyItem *it;

          if (index >= glyphs->len || strlen (g = g_ptr_array_index (glyphs, index)) < 2)
            continue;
          it = g_new0 (HersheyItem, 1);
          it->strokes = g_strdup (g + 2);
          it->width = stroke;
          hs_build_add_candidate (build, c, fonts[f], it);
        }
    }
  hs_build_set_source (build, root);
  return TRUE;
}
