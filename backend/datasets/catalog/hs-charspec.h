/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The characters of a glyph class, as written in a recipe: space-separated
 * tokens, each either literal text (every character of it is one sample:
 * "Aa" is A and a) or a range "U+0531..U+0556" (every assigned, visible
 * code point in it; combining marks and unassigned ones are left out).
 * A literal token wrapped in quotes, "\"क्ष\"", is one sample of several
 * code points (a conjunct, an emoji sequence).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The samples, each a UTF-8 string, in order, without repeats.  NULL with
 * a message in *why when a token is malformed. */
GPtrArray *hs_charspec_parse (const char *spec, char **why);

G_END_DECLS
