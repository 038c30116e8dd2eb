/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Learning curves and train losses as JSON arrays of numbers, in a text
 * column: "[0.5,0.75,null]".  Each double is written with the fewest of
 * 15, 16 or 17 significant digits that reads back to the same double, so a
 * curve round-trips bit for bit and stays readable in a `sqlite3` shell.
 */
#define G_LOG_DOMAIN "hs-store"

#include <math.h>

#include "hs-format.h"
#include "hs-store-private.h"

static void
append_double (GString *out, gdouble value)
{
  /* JSON has no NaN or infinity.  1e999 overflows to infinity in every
   * JSON reader we know of (and in g_ascii_strtod). */
  if (isnan (value))
    {
      g_string_append (out, "null");
      return;
    }
  if (isinf (value))
    {
      g_string_append (out, value > 0 ? "1e999" : "-1e999");
      return;
    }
  /* -0.0 is written "-0", which reads back as -0.0. */
  hs_append_shortest_double (out, value);
}

char *
hs_store_curve_to_json (const GArray *values)
{
  GString *out = g_string_new ("[");

  for (guint i = 0; values != NULL && i < values->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_double (out, g_array_index (values, gdouble, i));
    }
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

static const char *
skip_space (const char *p)
{
  while (g_ascii_isspace (*p))
    p++;
  return p;
}

GArray *
hs_store_curve_from_json (const char *text)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (gdouble));
  const char *p;

  if (text == NULL)
    return NULL;
  p = skip_space (text);
  if (*p++ != '[')
    return NULL;
  p = skip_space (p);
  if (*p == ']')
    return *skip_space (p + 1) == '\0' ? g_steal_pointer (&values) : NULL;

  for (;;)
    {
      gdouble value;

      p = skip_space (p);
      if (g_str_has_prefix (p, "null"))
        {
          value = NAN;
          p += 4;
        }
      else
        {
          char *end = NULL;

          /* Only JSON's number syntax: strtod alone would also take "inf",
           * "nan" and hexadecimal. */
          if (!(*p == '-' || g_ascii_isdigit (*p)))
            return NULL;
          value = g_ascii_strtod (p, &end);
          if (end == p)
            return NULL;
          for (const char *c = p; c < end; c++)
            if (!(g_ascii_isdigit (*c) || *c == '-' || *c == '+' || *c == '.' || *c == 'e' ||
                  *c == 'E'))
              return NULL;
          p = end;
        }
      g_array_append_val (values, value);

      p = skip_space (p);
      if (*p == ',')
        {
          p++;
          continue;
        }
      if (*p == ']' && *skip_space (p + 1) == '\0')
        return g_steal_pointer (&values);
      return NULL;
    }
}
