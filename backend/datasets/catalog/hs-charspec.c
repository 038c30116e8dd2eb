/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "hs-charspec.h"

static gboolean
parse_code_point (const char *text, gunichar *c)
{
  guint64 v;

  if (g_ascii_strncasecmp (text, "U+", 2) != 0)
    return FALSE;
  if (!g_ascii_string_to_unsigned (text + 2, 16, 0, 0x10FFFF, &v, NULL))
    return FALSE;
  *c = v;
  return TRUE;
}

static void
add_unique (GPtrArray *out, GHashTable *seen, char *sample)
{
  if (g_hash_table_contains (seen, sample))
    {
      g_free (sample);
      return;
    }
  g_hash_table_add (seen, sample);
  g_ptr_array_add (out, sample);
}

static gboolean
visible (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_SPACE_SEPARATOR:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
      return FALSE;
    default:
      return TRUE;
    }
}

GPtrArray *
hs_charspec_parse (const char *spec, char **why)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  /* Owns nothing: the strings belong to out. */
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) tokens = g_strsplit_set (spec, " \t", -1);

  if (!g_utf8_validate (spec, -1, NULL))
    {
      *why = g_strdup ("not UTF-8");
      return NULL;
    }
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      const char *t = tokens[i];
      const char *dots = strstr (t, "..");
      gsize len = strlen (t);

      if (len == 0)
        continue;
      if (g_ascii_strncasecmp (t, "U+", 2) == 0)
        {
          g_autofree char *first = g_strndup (t, dots ? (gsize) (dots - t) : len);
          gunichar lo, hi;

          if (!parse_code_point (first, &lo) || (dots && !parse_code_point (dots + 2, &hi)))
            {
              *why = g_strdup_printf ("“%s” is not a code point or a range U+XXXX..U+YYYY", t);
              return NULL;
            }
          if (!dots)
            hi = lo;
          if (hi < lo || hi - lo > 0x10000)
            {
              *why = g_strdup_printf ("“%s” is not an ascending range", t);
              return NULL;
            }
          for (gunichar c = lo; c <= hi; c++)
            if (visible (c))
              {
                char buf[8] = { 0 };
                g_unichar_to_utf8 (c, buf);
                add_unique (out, seen, g_strdup (buf));
              }
        }
      else if (len >= 3 && t[0] == '"' && t[len - 1] == '"')
        add_unique (out, seen, g_strndup (t + 1, len - 2));
      else
        for (const char *p = t; *p != '\0'; p = g_utf8_next_char (p))
          add_unique (out, seen, g_strndup (p, g_utf8_next_char (p) - p));
    }
  if (out->len == 0)
    {
      *why = g_strdup ("no characters");
      return NULL;
    }
  return g_steal_pointer (&out);
}
