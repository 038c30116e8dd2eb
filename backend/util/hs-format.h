/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Numbers as text that people read and programs read back: the fewest
 * digits (15, 16 or 17) that give the same double again, in the C locale
 * (0.1 stays "0.1", not json-glib's "0.10000000000000001").
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* value must be finite: callers decide what NaN and infinities become. */
void hs_append_shortest_double (GString *out, gdouble value);

G_END_DECLS
