/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shortest round-trip doubles (see hs-format.h).
 */
#include "hs-format.h"

void
hs_append_shortest_double (GString *out, gdouble value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (gint digits = 15; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}
