/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Draws a short text (one character, an emoji sequence) in one font with
 * Pango and cairo, black on white, cropped to its ink and fitted to the
 * dataset size.  The draw is refused when Pango reaches for any other font
 * or an unknown glyph: a task must never label a fallback font's glyph.
 */
#pragma once

#include <pango/pango.h>

G_BEGIN_DECLS

typedef struct _HsGlyphRenderer HsGlyphRenderer;

/* px: the em size drawn at before fitting (2–3× the dataset size keeps
 * thin strokes). */
HsGlyphRenderer *hs_glyph_renderer_new (guint px);
void             hs_glyph_renderer_free (HsGlyphRenderer *r);

/* rgb: size×size×3.  max_glyphs > 0 also refuses a text shaped into more
 * glyphs than that (an emoji sequence the font does not ligate).  FALSE
 * with why set to a short reason when refused. */
gboolean         hs_glyph_render (HsGlyphRenderer *r, const PangoFontDescription *desc,
                                  const char *text, guint max_glyphs, guint size, guint8 *rgb,
                                  const char **why);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsGlyphRenderer, hs_glyph_renderer_free)

G_END_DECLS
