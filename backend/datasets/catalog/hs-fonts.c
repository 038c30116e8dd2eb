/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hs-catalog"

#include <math.h>

#include "hs-dataset.h"
#include "hs-fonts.h"

void
hs_font_free (HsFont *font)
{
  if (font == NULL)
    return;
  g_free (font->family);
  g_free (font->style);
  g_free (font->file);
  g_free (font->names);
  if (font->charset != NULL)
    FcCharSetDestroy (font->charset);
  if (font->desc != NULL)
    pango_font_description_free (font->desc);
  g_free (font);
}

/* What Pango's fontconfig backend would make of the pattern (as
 * pango_fc_font_description_from_pattern, which lives in pangoft2, a
 * library the project does not link). */
static PangoFontDescription *
describe (const char *family, gint weight, gint slant, gint width)
{
  PangoFontDescription *desc = pango_font_description_new ();
  static const struct { gint fc; PangoStretch stretch; } widths[] = {
    { FC_WIDTH_ULTRACONDENSED, PANGO_STRETCH_ULTRA_CONDENSED },
    { FC_WIDTH_EXTRACONDENSED, PANGO_STRETCH_EXTRA_CONDENSED },
    { FC_WIDTH_CONDENSED, PANGO_STRETCH_CONDENSED },
    { FC_WIDTH_SEMICONDENSED, PANGO_STRETCH_SEMI_CONDENSED },
    { FC_WIDTH_NORMAL, PANGO_STRETCH_NORMAL },
    { FC_WIDTH_SEMIEXPANDED, PANGO_STRETCH_SEMI_EXPANDED },
    { FC_WIDTH_EXPANDED, PANGO_STRETCH_EXPANDED },
    { FC_WIDTH_EXTRAEXPANDED, PANGO_STRETCH_EXTRA_EXPANDED },
    { FC_WIDTH_ULTRAEXPANDED, PANGO_STRETCH_ULTRA_EXPANDED },
  };
  PangoStretch stretch = PANGO_STRETCH_NORMAL;

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    if (width == widths[i].fc)
      stretch = widths[i].stretch;
  pango_font_description_set_family (desc, family);
  pango_font_description_set_weight (desc, (PangoWeight) lround (FcWeightToOpenTypeDouble (weight)));
  pango_font_description_set_style (desc, slant == FC_SLANT_ITALIC ? PANGO_STYLE_ITALIC
                                          : slant == FC_SLANT_OBLIQUE ? PANGO_STYLE_OBLIQUE
                                          : PANGO_STYLE_NORMAL);
  pango_font_description_set_stretch (desc, stretch);
  return desc;
}

static gint
compare_fonts (gconstpointer a, gconstpointer b)
{
  const HsFont *fa = *(HsFont *const *) a;
  const HsFont *fb = *(HsFont *const *) b;
  gint c = g_strcmp0 (fa->family, fb->family);

  if (c == 0)
    c = g_strcmp0 (fa->style, fb->style);
  return c != 0 ? c : g_strcmp0 (fa->file, fb->file);
}

static char *
all_names (FcPattern *pattern)
{
  GString *names = g_string_new (NULL);
  FcChar8 *s;

  for (int i = 0; FcPatternGetString (pattern, FC_FAMILY, i, &s) == FcResultMatch; i++)
    g_string_append_printf (names, "%s\n", (const char *) s);
  for (int i = 0; FcPatternGetString (pattern, FC_STYLE, i, &s) == FcResultMatch; i++)
    g_string_append_printf (names, "style:%s\n", (const char *) s);
  return g_string_free (names, FALSE);
}

GPtrArray *
hs_fonts_list (GError **error)
{
  g_autoptr(GPtrArray) fonts = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_font_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  FcPattern *query = FcPatternBuild (NULL, FC_SCALABLE, FcTypeBool, FcTrue, NULL);
  FcObjectSet *objects = FcObjectSetBuild (FC_FAMILY, FC_STYLE, FC_FILE, FC_INDEX, FC_CHARSET,
                                           FC_WEIGHT, FC_SLANT, FC_WIDTH, FC_COLOR, NULL);
  FcFontSet *set;

  if (!FcInit () || (set = FcFontList (NULL, query, objects)) == NULL)
    {
      FcPatternDestroy (query);
      FcObjectSetDestroy (objects);
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_IO, "fontconfig lists no fonts");
      return NULL;
    }
  for (int i = 0; i < set->nfont; i++)
    {
      FcPattern *p = set->fonts[i];
      FcChar8 *family = NULL, *style = NULL, *file = NULL;
      FcCharSet *charset = NULL;
      FcBool color = FcFalse;
      gint width = FC_WIDTH_NORMAL;
      HsFont *font;

      if (FcPatternGetString (p, FC_FAMILY, 0, &family) != FcResultMatch ||
          FcPatternGetString (p, FC_FILE, 0, &file) != FcResultMatch ||
          FcPatternGetCharSet (p, FC_CHARSET, 0, &charset) != FcResultMatch)
        continue;
      if (FcPatternGetString (p, FC_STYLE, 0, &style) != FcResultMatch)
        style = (FcChar8 *) "Regular";
      font = g_new0 (HsFont, 1);
      font->family = g_strdup ((const char *) family);
      font->style = g_strdup ((const char *) style);
      font->file = g_strdup ((const char *) file);
      font->names = all_names (p);
      font->charset = FcCharSetCopy (charset);
      if (FcPatternGetInteger (p, FC_WEIGHT, 0, &font->weight) != FcResultMatch)
        font->weight = FC_WEIGHT_REGULAR;
      if (FcPatternGetInteger (p, FC_SLANT, 0, &font->slant) != FcResultMatch)
        font->slant = FC_SLANT_ROMAN;
      FcPatternGetBool (p, FC_COLOR, 0, &color);
      font->color = color;
      FcPatternGetInteger (p, FC_WIDTH, 0, &width);
      font->desc = describe (font->family, font->weight, font->slant, width);
      g_ptr_array_add (fonts, font);
    }
  FcFontSetDestroy (set);
  FcPatternDestroy (query);
  FcObjectSetDestroy (objects);

  /* The same face often comes twice (TTF and OTF, or two packages): Pango
   * can only ask for family + weight + slant, so keep one of each. */
  g_ptr_array_sort (fonts, compare_fonts);
  for (guint i = 0; i < fonts->len;)
    {
      HsFont *font = g_ptr_array_index (fonts, i);
      g_autofree char *lower = g_utf8_strdown (font->family, -1);
      char *key = g_strdup_printf ("%s\n%d\n%d\n%d", lower,
                                   font->weight, font->slant,
                                   pango_font_description_get_stretch (font->desc));
      if (g_hash_table_contains (seen, key))
        {
          g_free (key);
          g_ptr_array_remove_index (fonts, i);
          continue;
        }
      g_hash_table_add (seen, key);
      i++;
    }
  return g_steal_pointer (&fonts);
}

gboolean
hs_font_covers (HsFont *font, const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Joiners and variation selectors are shaping hints, not glyphs. */
      if (c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F))
        continue;
      if (!FcCharSetHasChar (font->charset, c))
        return FALSE;
    }
  return TRUE;
}

gboolean
hs_font_has_family (HsFont *font, const char *name)
{
  g_auto(GStrv) lines = g_strsplit (font->names, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (!g_str_has_prefix (lines[i], "style:") && g_ascii_strcasecmp (lines[i], name) == 0)
      return TRUE;
  return FALSE;
}
