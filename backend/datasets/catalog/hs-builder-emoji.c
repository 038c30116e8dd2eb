/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Emoji drawn with a colour emoji font, labelled by Unicode's own group or
 * subgroup from emoji-test.txt (package unicode-data).
 *
 *   [Source]
 *   emoji-test=/usr/share/unicode/emoji/emoji-test.txt
 *   package=unicode-data         (the package holding emoji-test)
 *   font=Noto Color Emoji
 *   label=group | subgroup
 *   groups=Animals & Nature;…    (optional: only these groups)
 *   subgroups=animal-mammal;…    (optional: only these subgroups)
 *   skin-tones=false             (true: also the skin-tone variants)
 *
 * Only fully-qualified sequences are drawn, each must come out as a single
 * glyph of that font (a sequence the font does not ligate is left out), and
 * the "Component" group (bare skin tones, hair styles) never is.  Variants
 * of one design share a split group: the skin tones of an emoji, and the
 * man / woman / person forms ("woman technologist", "technologist").
 */
#define G_LOG_DOMAIN "hs-catalog"

#include <string.h>

#include "hs-builder.h"
#include "hs-fonts.h"
#include "hs-glyph-render.h"

typedef struct {
  HsGlyphRenderer *renderer;
  PangoFontDescription *desc;
} Emoji;

static void
emoji_free (gpointer data)
{
  Emoji *e = data;

  hs_glyph_renderer_free (e->renderer);
  if (e->desc != NULL)
    pango_font_description_free (e->desc);
  g_free (e);
}

static gboolean
render_emoji (HsBuild *build, gpointer item, guint8 *rgb, GError **error)
{
  Emoji *e = hs_build_get_builder_data (build);
  const char *why = NULL;

  return hs_glyph_render (e->renderer, e->desc, item, 1, hs_build_get_size (build), rgb, &why);
}

/* "1F469 200D 1F4BB" → UTF-8. */
static char *
sequence_from_hex (const char *hex)
{
  g_auto(GStrv) parts = g_strsplit (hex, " ", -1);
  GString *s = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_string_append_unichar (s, g_ascii_strtoull (parts[i], NULL, 16));
  return g_string_free (s, FALSE);
}

static gboolean
has_skin_tone (const char *seq)
{
  for (const char *p = seq; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c >= 0x1F3FB && c <= 0x1F3FF)
        return TRUE;
    }
  return FALSE;
}

/* The design an emoji shares with its variants (see the file comment). */
static char *
design_of (const char *name)
{
  const char *colon = strstr (name, ": ");
  static const char *const prefixes[] = { "man ", "woman ", "person ", "men ", "women ",
                                          "people ", NULL };
  g_autofree char *base = NULL;

  if (colon != NULL && strstr (colon, "skin tone") != NULL)
    base = g_strndup (name, colon - name);
  else
    base = g_strdup (name);
  for (guint i = 0; prefixes[i] != NULL; i++)
    if (g_str_has_prefix (base, prefixes[i]))
      return g_strdup (base + strlen (prefixes[i]));
  return g_steal_pointer (&base);
}

static HsFont *
find_font (GPtrArray *fonts, const char *family)
{
  for (guint i = 0; fonts != NULL && i < fonts->len; i++)
    {
      HsFont *f = g_ptr_array_index (fonts, i);
      if (hs_font_has_family (f, family))
        return f;
    }
  return NULL;
}

gboolean
hs_builder_emoji (HsBuild *build, GError **error)
{
  g_autofree char *path = hs_build_get_package_file (build, "emoji-test", error);
  g_autofree char *family = hs_build_get_string (build, "font", "Noto Color Emoji", NULL);
  g_autofree char *label = hs_build_get_string (build, "label", "group", NULL);
  g_auto(GStrv) groups = hs_build_get_list (build, "groups", FALSE, NULL);
  g_auto(GStrv) subgroups = hs_build_get_list (build, "subgroups", FALSE, NULL);
  g_autoptr(GPtrArray) fonts = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *group = NULL;
  g_autofree char *subgroup = NULL;
  g_autofree char *source = NULL;
  static const char *const labels[] = { "group", "subgroup", NULL };
  gboolean by_subgroup, skin_tones = FALSE;
  gint which;
  HsFont *font;
  Emoji *e;

  if (path == NULL || !hs_build_get_bool (build, "skin-tones", FALSE, &skin_tones, error))
    return FALSE;
  if ((which = hs_build_check_choice (build, "label", label, labels, error)) < 0)
    return FALSE;
  by_subgroup = which == 1;

  fonts = hs_fonts_list (error);
  if (fonts == NULL)
    return FALSE;
  if ((font = find_font (fonts, family)) == NULL)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_MISSING,
                   "%s: the font “%s” is not installed", hs_build_get_recipe (build)->name,
                   family);
      return FALSE;
    }
  if ((bytes = hs_build_read_file (path, error)) == NULL)
    return FALSE;

  e = g_new0 (Emoji, 1);
  e->renderer = hs_glyph_renderer_new (48);
  e->desc = pango_font_description_copy (font->desc);
  hs_build_set_render (build, render_emoji, g_free, e, emoji_free);

  /* The classes keep the file's order, so the groups come out as Unicode
   * lists them. */
  lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *semi, *hash, *name;
      g_autofree char *hex = NULL;
      g_autofree char *seq = NULL;
      g_autofree char *design = NULL;
      const char *cls;

      if (g_str_has_prefix (line, "# group: "))
        {
          g_free (group);
          group = g_strstrip (g_strdup (line + strlen ("# group: ")));
          continue;
        }
      if (g_str_has_prefix (line, "# subgroup: "))
        {
          g_free (subgroup);
          subgroup = g_strstrip (g_strdup (line + strlen ("# subgroup: ")));
          continue;
        }
      if (line[0] == '#' || line[0] == '\0' || group == NULL || subgroup == NULL)
        continue;
      if ((semi = strchr (line, ';')) == NULL || (hash = strchr (semi, '#')) == NULL ||
          strstr (semi, "fully-qualified") == NULL || strstr (semi, "fully-qualified") > hash)
        continue;
      if (g_str_equal (group, "Component"))
        continue;
      if (groups != NULL && !g_strv_contains ((const char *const *) groups, group))
        continue;
      if (subgroups != NULL && !g_strv_contains ((const char *const *) subgroups, subgroup))
        continue;

      hex = g_strstrip (g_strndup (line, semi - line));
      seq = sequence_from_hex (hex);
      if (!skin_tones && has_skin_tone (seq))
        continue;
      /* "# 😀 E1.0 grinning face": the name follows the version. */
      name = strstr (hash, " E");
      name = name != NULL ? strchr (name + 2, ' ') : NULL;
      design = design_of (name != NULL ? name + 1 : hex);
      cls = by_subgroup ? subgroup : group;
      hs_build_add_candidate (build, hs_build_add_class (build, cls), design,
                              g_steal_pointer (&seq));
    }
  if (hs_build_get_n_classes (build) == 0)
    {
      hs_build_key_error (build, error, NULL, groups != NULL ? "groups" : "subgroups",
                          "no emoji of %s in %s", groups ? "these groups" : "these subgroups",
                          path);
      return FALSE;
    }
  source = g_strdup_printf ("%s drawn with %s", path, font->family);
  hs_build_set_source (build, source);
  return TRUE;
}
