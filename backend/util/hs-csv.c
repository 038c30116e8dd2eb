/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "hs-csv.h"

void
hs_csv_reader_init (HsCsvReader *reader, const char *text, gsize length)
{
  reader->p = text;
  reader->end = text + length;
  reader->line = 1;
  /* A spreadsheet's UTF-8 byte-order mark. */
  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    reader->p += 3;
}

static void
add_field (GPtrArray *fields, GString *field, gboolean was_quoted)
{
  g_ptr_array_add (fields, was_quoted ? g_strdup (field->str)
                                      : g_strstrip (g_strdup (field->str)));
}

GPtrArray *
hs_csv_next_record (HsCsvReader *r, guint *line, gboolean *ended)
{
  g_autoptr(GString) field = NULL;
  GPtrArray *fields;
  gboolean quoted = FALSE, was_quoted = FALSE, closed = FALSE;

  if (r->p >= r->end)
    return NULL;
  *line = r->line;
  fields = g_ptr_array_new_with_free_func (g_free);
  field = g_string_new (NULL);
  while (r->p < r->end)
    {
      char c = *r->p++;

      if (quoted)
        {
          if (c == '"' && r->p < r->end && *r->p == '"')
            {
              g_string_append_c (field, '"');
              r->p++;
            }
          else if (c == '"')
            quoted = FALSE;
          else
            {
              if (c == '\n')
                r->line++;
              g_string_append_c (field, c);
            }
        }
      else if (c == '"' && field->len == 0 && !was_quoted)
        quoted = was_quoted = TRUE;
      else if (c == ',')
        {
          add_field (fields, field, was_quoted);
          g_string_truncate (field, 0);
          was_quoted = FALSE;
        }
      else if (c == '\n' || c == '\r')
        {
          if (c == '\r' && r->p < r->end && *r->p == '\n')
            r->p++;
          r->line++;
          closed = TRUE;
          break;
        }
      else
        g_string_append_c (field, c);
    }
  add_field (fields, field, was_quoted);
  if (ended != NULL)
    *ended = closed;
  return fields;
}
