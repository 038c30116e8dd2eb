/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The installed fonts, one entry per face (family + style), from fontconfig,
 * with what each covers.  Coverage comes from the font's own character map:
 * Pango would otherwise draw a missing character with another font without
 * saying so.
 */
#pragma once

#include <fontconfig/fontconfig.h>
#include <pango/pango.h>

G_BEGIN_DECLS

typedef struct {
  char *family;       /* the first family name (usually the English one) */
  char *style;
  char *file;
  char *names;        /* every family and style name, for matching */
  gint weight;        /* FC_WEIGHT_* */
  gint slant;         /* FC_SLANT_* */
  gboolean color;
  FcCharSet *charset; /* owned */
  PangoFontDescription *desc;
} HsFont;

void       hs_font_free (HsFont *font);

/* Scalable faces, sorted by family then style, one per family + style
 * (the first file wins). */
GPtrArray *hs_fonts_list (GError **error);

/* Does the font map every code point of text itself? */
gboolean   hs_font_covers (HsFont *font, const char *text);
/* Any of the font's family names equals name (case-insensitive)? */
gboolean   hs_font_has_family (HsFont *font, const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsFont, hs_font_free)

G_END_DECLS
