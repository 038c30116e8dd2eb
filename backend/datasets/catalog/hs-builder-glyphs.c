/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Characters rendered in many installed fonts: letters (notMNIST-like),
 * digits, scripts, kana, kanji, math symbols; or, with label=style or
 * label=font, the face itself is the class.  data/tasks/README.md lists the
 * keys.
 *
 * Each font is checked once, the first time a candidate needs it: every
 * character it is to draw is rendered, and the font is dropped when Pango
 * had to fall back to another font, when its glyphs are largely identical to
 * each other (a box for every character), or when they look the same as
 * their distinct-from counterparts (capitals drawn for small letters).  The
 * renders are kept, so the check costs no second drawing.
 */
#define G_LOG_DOMAIN "hs-catalog"

#include <string.h>

#include "hs-builder.h"
#include "hs-charspec.h"
#include "hs-fonts.h"
#include "hs-glyph-render.h"
#include "hs-packages.h"

typedef enum { LABEL_CHAR, LABEL_STYLE, LABEL_FONT } Label;
typedef enum { GROUP_FAMILY, GROUP_CHAR } GroupBy;

typedef struct {
  HsFont *font;           /* borrowed from Glyphs.fonts */
  gboolean checked;
  gboolean usable;
  GPtrArray *images;      /* per task character: guint8[size²·3] or NULL */
} FontEntry;

typedef struct {
  GPtrArray *fonts;       /* HsFont, every installed face */
  GPtrArray *entries;     /* FontEntry of the faces in use */
  GPtrArray *chars;       /* the task's characters (strings) */
  GHashTable *char_index; /* string → index + 1 */
  GArray *counterpart;    /* per character: index + 1 of its distinct-from, or 0 */
  GPtrArray *class_chars; /* per class: GArray of character indices */
  HsGlyphRenderer *renderer;
  guint checked;
  guint dropped;
} Glyphs;

typedef struct {
  FontEntry *entry;
  guint char_index;
} GlyphItem;

static void
font_entry_free (FontEntry *e)
{
  if (e->images != NULL)
    g_ptr_array_unref (e->images);
  g_free (e);
}

static void
glyphs_free (gpointer data)
{
  Glyphs *g = data;

  g_ptr_array_unref (g->entries);
  g_ptr_array_unref (g->fonts);
  g_ptr_array_unref (g->chars);
  g_hash_table_unref (g->char_index);
  g_array_unref (g->counterpart);
  g_ptr_array_unref (g->class_chars);
  hs_glyph_renderer_free (g->renderer);
  g_free (g);
}

static guint
add_char (Glyphs *g, const char *c)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (g->char_index, c));
  guint zero = 0;

  if (index > 0)
    return index - 1;
  g_ptr_array_add (g->chars, g_strdup (c));
  g_array_append_val (g->counterpart, zero);
  g_hash_table_insert (g->char_index, g_ptr_array_index (g->chars, g->chars->len - 1),
                       GUINT_TO_POINTER (g->chars->len));
  return g->chars->len - 1;
}

/* Small capitals drawn for small letters are not the capitals' pixels, but
 * once fitted to the ink box they look the same: compare the mean absolute
 * difference (0–255) with a threshold well below that of any real pair of
 * different letters. */
#define LOOK_ALIKE_MEAN_DIFF 10.0

static gboolean
look_alike (const guint8 *a, const guint8 *b, gsize n)
{
  guint64 sum = 0;

  for (gsize i = 0; i < n; i++)
    sum += ABS ((gint) a[i] - (gint) b[i]);
  return sum < LOOK_ALIKE_MEAN_DIFF * n;
}

/* Renders everything the font is to draw, then judges it. */
static void
check_font (HsBuild *build, Glyphs *g, FontEntry *e)
{
  guint size = hs_build_get_size (build);
  guint rendered = 0, identical = 0, pairs = 0;
  g_autoptr(GHashTable) distinct = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) extra = g_ptr_array_new_with_free_func (g_free);

  e->checked = TRUE;
  e->images = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_size (e->images, g->chars->len);
  for (guint i = 0; i < g->chars->len; i++)
    {
      const char *c = g_ptr_array_index (g->chars, i);
      g_autofree guint8 *rgb = NULL;
      const char *why = NULL;

      if (!hs_font_covers (e->font, c))
        continue;
      rgb = g_malloc (size * size * 3);
      if (!hs_glyph_render (g->renderer, e->font->desc, c, 0, size, rgb, &why))
        continue;
      g_hash_table_add (distinct, g_compute_checksum_for_data (G_CHECKSUM_MD5, rgb,
                                                                size * size * 3));
      g_ptr_array_index (e->images, i) = g_steal_pointer (&rgb);
      rendered++;
    }

  /* distinct-from counterparts are drawn only for the comparison. */
  for (guint i = 0; i < g->chars->len; i++)
    {
      guint other = g_array_index (g->counterpart, guint, i);
      guint8 *mine = g_ptr_array_index (e->images, i);
      g_autofree guint8 *rgb = NULL;
      const char *why = NULL;
      const char *c;

      if (other == 0 || mine == NULL)
        continue;
      c = g_ptr_array_index (g->chars, other - 1);
      rgb = g_malloc (size * size * 3);
      pairs++;
      if (hs_font_covers (e->font, c) &&
          hs_glyph_render (g->renderer, e->font->desc, c, 0, size, rgb, &why) &&
          look_alike (rgb, mine, size * size * 3))
        identical++;
    }

  e->usable = rendered > 0 &&
              (rendered < 4 || g_hash_table_size (distinct) * 10 >= rendered * 9) &&
              identical * 4 <= pairs;
  g->checked++;
  if (!e->usable)
    {
      g->dropped++;
      g_debug ("font %s %s dropped: %u drawn, %u distinct, %u of %u like their counterpart",
               e->font->family, e->font->style, rendered, g_hash_table_size (distinct),
               identical, pairs);
      g_clear_pointer (&e->images, g_ptr_array_unref);
    }
}

static gboolean
render_glyph (HsBuild *build, gpointer item, guint8 *rgb, GError **error)
{
  Glyphs *g = hs_build_get_builder_data (build);
  GlyphItem *it = item;
  guint size = hs_build_get_size (build);
  guint8 *image;

  if (!it->entry->checked)
    check_font (build, g, it->entry);
  if (!it->entry->usable)
    return FALSE;
  image = g_ptr_array_index (it->entry->images, it->char_index);
  if (image == NULL)
    return FALSE;
  memcpy (rgb, image, size * size * 3);
  return TRUE;
}

static GRegex *
get_regex (HsBuild *build, const char *key, GError **error)
{
  g_autofree char *pattern = hs_build_get_string (build, key, "", NULL);
  g_autoptr(GError) local = NULL;
  GRegex *re;

  if (*pattern == '\0')
    return NULL;
  re = g_regex_new (pattern, G_REGEX_CASELESS | G_REGEX_MULTILINE, 0, &local);
  if (re == NULL)
    hs_build_key_error (build, error, NULL, key, "not a regular expression: %s", local->message);
  return re;
}

static gboolean
is_regular (HsFont *f)
{
  return f->slant == FC_SLANT_ROMAN && f->weight >= FC_WEIGHT_BOOK &&
         f->weight <= FC_WEIGHT_MEDIUM &&
         pango_font_description_get_stretch (f->desc) == PANGO_STRETCH_NORMAL;
}

/* The four classic faces, by weight and slant rather than by style name
 * ("Bold Oblique", "BoldItalic", "Negreta cursiva"…). */
static const char *
style_class (HsFont *f)
{
  gboolean bold, regular, italic;

  if (pango_font_description_get_stretch (f->desc) != PANGO_STRETCH_NORMAL)
    return NULL;
  regular = f->weight >= FC_WEIGHT_BOOK && f->weight <= FC_WEIGHT_MEDIUM;
  bold = f->weight >= FC_WEIGHT_DEMIBOLD && f->weight <= FC_WEIGHT_BOLD;
  italic = f->slant != FC_SLANT_ROMAN;
  if (regular)
    return italic ? "Italic" : "Regular";
  if (bold)
    return italic ? "Bold Italic" : "Bold";
  return NULL;
}

/* Which faces the recipe allows, before coverage. */
static gboolean
select_faces (HsBuild *build, Glyphs *g, Label label, GPtrArray *faces, GError **error)
{
  g_auto(GStrv) only = hs_build_get_list (build, "fonts", FALSE, NULL);
  g_autoptr(GRegex) files = NULL;
  g_autoptr(GRegex) exclude_files = NULL;
  g_autoptr(GRegex) families = NULL;
  g_autoptr(GRegex) exclude = NULL;
  g_autoptr(GRegex) styles = NULL;
  g_autofree char *style_key = hs_build_get_string (build, "styles", "regular", NULL);
  g_autoptr(GHashTable) owned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  HsTaskRecipe *recipe = hs_build_get_recipe (build);
  gboolean color = FALSE, any_font = FALSE;
  GError *local = NULL;

  files = get_regex (build, "font-files", &local);
  if (local == NULL)
    exclude_files = get_regex (build, "exclude-files", &local);
  if (local == NULL)
    families = get_regex (build, "font-families", &local);
  if (local == NULL)
    exclude = get_regex (build, "exclude", &local);
  if (local == NULL && !g_str_equal (style_key, "regular") && !g_str_equal (style_key, "all"))
    styles = get_regex (build, "styles", &local);
  if (local != NULL || !hs_build_get_bool (build, "color", FALSE, &color, &local) ||
      !hs_build_get_bool (build, "any-font", FALSE, &any_font, &local))
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  /* Only fonts of the recipe's own packages: the task must not change with
   * whatever else happens to be installed. */
  for (guint k = 0; recipe->packages[k] != NULL; k++)
    hs_package_add_files (recipe->packages[k], owned);

  for (guint i = 0; i < g->fonts->len; i++)
    {
      HsFont *f = g_ptr_array_index (g->fonts, i);
      gboolean ok = TRUE;

      if (only != NULL)
        {
          ok = FALSE;
          for (guint k = 0; only[k] != NULL && !ok; k++)
            ok = hs_font_has_family (f, only[k]);
        }
      ok = ok && f->color == color;
      ok = ok && (any_font || g_hash_table_contains (owned, f->file));
      ok = ok && (files == NULL || g_regex_match (files, f->file, 0, NULL));
      ok = ok && (exclude_files == NULL || !g_regex_match (exclude_files, f->file, 0, NULL));
      ok = ok && (families == NULL || g_regex_match (families, f->names, 0, NULL));
      ok = ok && (exclude == NULL || !g_regex_match (exclude, f->names, 0, NULL));
      if (label == LABEL_STYLE)
        ok = ok && style_class (f) != NULL;
      else if (styles != NULL)
        ok = ok && g_regex_match (styles, f->names, 0, NULL);
      else if (g_str_equal (style_key, "regular"))
        ok = ok && is_regular (f);
      if (ok)
        g_ptr_array_add (faces, f);
    }
  return TRUE;
}

/* Does the face qualify for the class: enough of its characters mapped? */
static guint
covered (Glyphs *g, HsFont *f, GArray *chars)
{
  guint n = 0;

  for (guint k = 0; k < chars->len; k++)
    if (hs_font_covers (f, g_ptr_array_index (g->chars, g_array_index (chars, guint, k))))
      n++;
  return n;
}

static gboolean
parse_classes (HsBuild *build, Glyphs *g, Label label, GError **error)
{
  HsTaskRecipe *recipe = hs_build_get_recipe (build);
  g_auto(GStrv) classes = hs_build_get_list (build, "classes", label != LABEL_FONT, error);
  g_autofree char *chars = NULL;
  g_autofree char *distinct = NULL;

  if (classes == NULL && label != LABEL_FONT)
    return FALSE;
  if (label != LABEL_CHAR)
    {
      g_autoptr(GPtrArray) samples = NULL;
      g_autofree char *why = NULL;
      GArray *indices = g_array_new (FALSE, FALSE, sizeof (guint));

      /* Style and font tasks draw the same characters for every class. */
      if ((chars = hs_build_get_string (build, "chars", NULL, error)) == NULL)
        return FALSE;
      if ((samples = hs_charspec_parse (chars, &why)) == NULL)
        {
          hs_build_key_error (build, error, NULL, "chars", "%s", why);
          return FALSE;
        }
      for (guint k = 0; k < samples->len; k++)
        {
          guint index = add_char (g, g_ptr_array_index (samples, k));
          g_array_append_val (indices, index);
        }
      g_ptr_array_add (g->class_chars, indices);
      for (guint c = 0; label == LABEL_STYLE && classes[c] != NULL; c++)
        if (!g_strv_contains ((const char *[]) { "Regular", "Bold", "Italic", "Bold Italic", NULL },
                              classes[c]))
          {
            hs_build_key_error (build, error, NULL, "classes",
                                "“%s” is not Regular, Bold, Italic or Bold Italic", classes[c]);
            return FALSE;
          }
      return TRUE;
    }

  for (guint c = 0; classes[c] != NULL; c++)
    {
      g_autofree char *spec = g_key_file_get_string (recipe->keyfile, "Classes", classes[c], NULL);
      g_autoptr(GPtrArray) samples = NULL;
      g_autofree char *why = NULL;
      GArray *indices = g_array_new (FALSE, FALSE, sizeof (guint));

      /* Without a [Classes] entry the class name is its own character. */
      g_ptr_array_add (g->class_chars, indices);
      samples = spec ? hs_charspec_parse (spec, &why) : hs_charspec_parse (classes[c], &why);
      if (samples == NULL)
        {
          hs_build_key_error (build, error, spec ? "Classes" : NULL, spec ? classes[c] : "classes",
                              "%s", why);
          return FALSE;
        }
      hs_build_add_class (build, classes[c]);
      for (guint k = 0; k < samples->len; k++)
        {
          guint index = add_char (g, g_ptr_array_index (samples, k));
          g_array_append_val (indices, index);
        }
    }

  distinct = hs_build_get_string (build, "distinct-from", "", NULL);
  if (*distinct != '\0')
    {
      const char *p = distinct;

      if ((guint) g_utf8_strlen (distinct, -1) != g_strv_length (classes))
        {
          hs_build_key_error (build, error, NULL, "distinct-from",
                              "needs one character for each of the %u classes",
                              g_strv_length (classes));
          return FALSE;
        }
      for (guint c = 0; classes[c] != NULL; c++, p = g_utf8_next_char (p))
        {
          g_autofree char *other = g_strndup (p, g_utf8_next_char (p) - p);
          GArray *indices = g_ptr_array_index (g->class_chars, c);
          guint other_index = add_char (g, other) + 1;

          g_array_index (g->counterpart, guint, g_array_index (indices, guint, 0)) = other_index;
        }
    }
  return TRUE;
}

static const char *
design_group (GPtrArray *same_design, HsFont *f)
{
  for (guint k = 0; same_design != NULL && k < same_design->len; k++)
    if (g_regex_match (g_ptr_array_index (same_design, k), f->names, 0, NULL))
      return g_regex_get_pattern (g_ptr_array_index (same_design, k));
  return f->family;
}

static void
shuffle_faces (HsBuild *build, GPtrArray *faces, gint keep)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) hs_build_get_seed (build) ^ 0x9e3779b9u);

  for (guint i = faces->len; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i);
      gpointer t = faces->pdata[i - 1];
      faces->pdata[i - 1] = faces->pdata[j];
      faces->pdata[j] = t;
    }
  if (keep > 0 && (guint) keep < faces->len)
    g_ptr_array_set_size (faces, keep);
}

/* Families that have every one of the wanted styles, one face per style. */
static void
add_style_candidates (HsBuild *build, Glyphs *g, GPtrArray *faces, GStrv classes, gint max_fonts)
{
  g_autoptr(GHashTable) by_family = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                           (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) families = g_ptr_array_new ();
  GArray *chars = g_ptr_array_index (g->class_chars, 0);
  guint n = g_strv_length (classes);

  for (guint c = 0; c < n; c++)
    hs_build_add_class (build, classes[c]);
  for (guint i = 0; i < faces->len; i++)
    {
      HsFont *f = g_ptr_array_index (faces, i);
      GPtrArray *slots = g_hash_table_lookup (by_family, f->family);
      const char *style = style_class (f);

      if (covered (g, f, chars) < chars->len)
        continue;
      if (slots == NULL)
        {
          slots = g_ptr_array_new ();
          g_ptr_array_set_size (slots, n);
          g_hash_table_insert (by_family, f->family, slots);
          g_ptr_array_add (families, f->family);
        }
      for (guint c = 0; c < n; c++)
        if (g_str_equal (classes[c], style) && g_ptr_array_index (slots, c) == NULL)
          g_ptr_array_index (slots, c) = f;
    }
  shuffle_faces (build, families, 0);
  for (guint i = 0, used = 0; i < families->len && (max_fonts <= 0 || used < (guint) max_fonts);
       i++)
    {
      GPtrArray *slots = g_hash_table_lookup (by_family, g_ptr_array_index (families, i));
      gboolean complete = TRUE;

      for (guint c = 0; c < n; c++)
        complete = complete && g_ptr_array_index (slots, c) != NULL;
      if (!complete)
        continue;
      used++;
      for (guint c = 0; c < n; c++)
        {
          FontEntry *e = g_new0 (FontEntry, 1);

          e->font = g_ptr_array_index (slots, c);
          g_ptr_array_add (g->entries, e);
          for (guint k = 0; k < chars->len; k++)
            {
              GlyphItem *it = g_new (GlyphItem, 1);
              it->entry = e;
              it->char_index = g_array_index (chars, guint, k);
              hs_build_add_candidate (build, c, e->font->family, it);
            }
        }
    }
}

gboolean
hs_builder_glyphs (HsBuild *build, GError **error)
{
  g_autofree char *label_key = hs_build_get_string (build, "label", "char", NULL);
  g_autofree char *group_key = NULL;
  g_auto(GStrv) classes = hs_build_get_list (build, "classes", FALSE, NULL);
  g_auto(GStrv) same_design_keys = hs_build_get_list (build, "same-design", FALSE, NULL);
  g_autoptr(GPtrArray) same_design = g_ptr_array_new_with_free_func ((GDestroyNotify) g_regex_unref);
  g_autoptr(GPtrArray) faces = g_ptr_array_new ();
  g_autofree char *coverage_key = hs_build_get_string (build, "min-coverage", "1", NULL);
  g_autofree char *source = NULL;
  gboolean require_all = TRUE;
  gdouble min_coverage;
  gint max_fonts, px;
  static const char *const labels[] = { "char", "style", "font", NULL };
  static const char *const group_bys[] = { "family", "char", NULL };
  guint used = 0;
  gint which;
  Label label;
  GroupBy group_by;
  Glyphs *g;

  /* In the order of the Label and GroupBy enums. */
  if ((which = hs_build_check_choice (build, "label", label_key, labels, error)) < 0)
    return FALSE;
  label = which;
  group_key = hs_build_get_string (build, "group-by", label == LABEL_FONT ? "char" : "family",
                                   NULL);
  if ((which = hs_build_check_choice (build, "group-by", group_key, group_bys, error)) < 0)
    return FALSE;
  group_by = which;
  min_coverage = g_ascii_strtod (coverage_key, NULL);
  if (!(min_coverage > 0 && min_coverage <= 1))
    {
      hs_build_key_error (build, error, NULL, "min-coverage", "“%s” is not a share in (0, 1]",
                          coverage_key);
      return FALSE;
    }
  if (!hs_build_get_int (build, "max-fonts", 0, 0, 100000, &max_fonts, error) ||
      !hs_build_get_int (build, "px", 64, 16, 256, &px, error) ||
      !hs_build_get_bool (build, "require-all", TRUE, &require_all, error))
    return FALSE;
  for (guint k = 0; same_design_keys != NULL && same_design_keys[k] != NULL; k++)
    {
      g_autoptr(GError) local = NULL;
      GRegex *re = g_regex_new (same_design_keys[k], G_REGEX_CASELESS | G_REGEX_MULTILINE, 0,
                                &local);
      if (re == NULL)
        {
          hs_build_key_error (build, error, NULL, "same-design", "%s", local->message);
          return FALSE;
        }
      g_ptr_array_add (same_design, re);
    }

  g = g_new0 (Glyphs, 1);
  g->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) font_entry_free);
  g->chars = g_ptr_array_new_with_free_func (g_free);
  g->char_index = g_hash_table_new (g_str_hash, g_str_equal);
  g->counterpart = g_array_new (FALSE, FALSE, sizeof (guint));
  g->class_chars = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g->renderer = hs_glyph_renderer_new (px);
  g->fonts = hs_fonts_list (NULL);
  if (g->fonts == NULL)
    g->fonts = g_ptr_array_new ();
  hs_build_set_render (build, render_glyph, g_free, g, glyphs_free);

  if (!parse_classes (build, g, label, error) || !select_faces (build, g, label, faces, error))
    return FALSE;

  if (label == LABEL_STYLE)
    add_style_candidates (build, g, faces, classes, max_fonts);
  else
    {
      shuffle_faces (build, faces, 0);
      for (guint i = 0; i < faces->len && (max_fonts <= 0 || used < (guint) max_fonts); i++)
        {
          HsFont *f = g_ptr_array_index (faces, i);
          guint n_classes = label == LABEL_FONT ? 1 : g->class_chars->len;
          g_autofree gboolean *ok = g_new0 (gboolean, n_classes);
          guint n_ok = 0;
          FontEntry *e;

          for (guint c = 0; c < n_classes; c++)
            {
              GArray *chars = g_ptr_array_index (g->class_chars, c);
              ok[c] = covered (g, f, chars) >= MAX (1, min_coverage * chars->len - 1e-9);
              n_ok += ok[c];
            }
          if (n_ok == 0 || (require_all && n_ok < n_classes))
            continue;
          if (label == LABEL_FONT && classes != NULL &&
              !g_strv_contains ((const char *const *) classes, f->family))
            continue;

          e = g_new0 (FontEntry, 1);
          e->font = f;
          g_ptr_array_add (g->entries, e);
          /* A font task's classes are its fonts: check them now, so
           * max-fonts counts fonts that will really have images. */
          if (label == LABEL_FONT)
            {
              check_font (build, g, e);
              if (!e->usable)
                continue;
            }
          used++;
          for (guint c = 0; c < n_classes; c++)
            {
              GArray *chars = g_ptr_array_index (g->class_chars, c);
              guint class_index = label == LABEL_FONT ? hs_build_add_class (build, f->family) : c;

              for (guint k = 0; ok[c] && k < chars->len; k++)
                {
                  guint ci = g_array_index (chars, guint, k);
                  const char *ch = g_ptr_array_index (g->chars, ci);
                  GlyphItem *it;

                  if (!hs_font_covers (f, ch))
                    continue;
                  it = g_new (GlyphItem, 1);
                  it->entry = e;
                  it->char_index = ci;
                  hs_build_add_candidate (build, class_index,
                                          group_by == GROUP_CHAR ? ch : design_group (same_design, f),
                                          it);
                }
            }
        }
    }

  if (g->entries->len == 0)
    {
      g_autofree char *packages = g_strjoinv (" ", hs_build_get_recipe (build)->packages);

      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_MISSING,
                   "%s: no installed font matches the recipe and covers its characters "
                   "(packages: %s)", hs_build_get_recipe (build)->name, packages);
      return FALSE;
    }
  source = g_strdup_printf ("%u font faces", g->entries->len);
  hs_build_set_source (build, source);
  return TRUE;
}
