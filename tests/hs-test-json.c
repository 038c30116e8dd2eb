/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A recursive-descent JSON reader (RFC 8259) for the tests.
 */
#include <stdlib.h>
#include <string.h>

#include "hs-test-json.h"

typedef struct {
  const char *start;
  const char *p;
  GError **error;
} Parser;

static gboolean
fail (Parser *parser, const char *what)
{
  g_set_error (parser->error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE,
               "JSON: expected %s at offset %ld (near “%.20s”)", what,
               (long) (parser->p - parser->start), parser->p);
  return FALSE;
}

static void
skip_space (Parser *parser)
{
  while (*parser->p == ' ' || *parser->p == '\t' || *parser->p == '\n' || *parser->p == '\r')
    parser->p++;
}

static HsJson *parse_value (Parser *parser, guint depth);

static gboolean
parse_hex4 (Parser *parser, gunichar *out)
{
  gunichar value = 0;

  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (parser->p[i]);
      if (digit < 0)
        return fail (parser, "four hex digits after \\u");
      value = value * 16 + digit;
    }
  parser->p += 4;
  *out = value;
  return TRUE;
}

static char *
parse_string (Parser *parser)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (*parser->p != '"')
    return fail (parser, "a string"), NULL;
  parser->p++;
  while (*parser->p != '"')
    {
      guchar c = (guchar) *parser->p;

      if (c == '\0')
        return fail (parser, "the end of a string"), NULL;
      if (c < 0x20)
        return fail (parser, "an escaped control character"), NULL;
      if (c != '\\')
        {
          g_string_append_c (out, (char) c);
          parser->p++;
          continue;
        }
      parser->p++;
      switch (*parser->p++)
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar u, low;

            if (!parse_hex4 (parser, &u))
              return NULL;
            if (u >= 0xd800 && u < 0xdc00)
              {
                if (parser->p[0] != '\\' || parser->p[1] != 'u')
                  return fail (parser, "a low surrogate"), NULL;
                parser->p += 2;
                if (!parse_hex4 (parser, &low) || low < 0xdc00 || low > 0xdfff)
                  return fail (parser, "a low surrogate"), NULL;
                u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
              }
            g_string_append_unichar (out, u);
            break;
          }
        default:
          parser->p--;
          return fail (parser, "a valid escape"), NULL;
        }
    }
  parser->p++;
  if (!g_utf8_validate (out->str, out->len, NULL))
    return fail (parser, "UTF-8 text in the string"), NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static HsJson *
parse_container (Parser *parser, guint depth, gboolean object)
{
  g_autoptr(HsJson) json = g_new0 (HsJson, 1);
  char close = object ? '}' : ']';

  json->type = object ? HS_JSON_OBJECT : HS_JSON_ARRAY;
  json->items = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_json_free);
  parser->p++;
  skip_space (parser);
  if (*parser->p == close)
    {
      parser->p++;
      return g_steal_pointer (&json);
    }
  for (;;)
    {
      g_autofree char *key = NULL;
      HsJson *item;

      skip_space (parser);
      if (object)
        {
          if ((key = parse_string (parser)) == NULL)
            return NULL;
          skip_space (parser);
          if (*parser->p != ':')
            return fail (parser, "“:”"), NULL;
          parser->p++;
        }
      if ((item = parse_value (parser, depth + 1)) == NULL)
        return NULL;
      item->key = g_steal_pointer (&key);
      g_ptr_array_add (json->items, item);
      skip_space (parser);
      if (*parser->p == ',')
        {
          parser->p++;
          continue;
        }
      if (*parser->p != close)
        return fail (parser, object ? "“,” or “}”" : "“,” or “]”"), NULL;
      parser->p++;
      return g_steal_pointer (&json);
    }
}

static HsJson *
parse_number (Parser *parser)
{
  const char *s = parser->p;
  HsJson *json;
  char *end;

  /* JSON's grammar is narrower than strtod's: no hex, no leading '+' or
   * '.', no "inf", no leading zeros. */
  if (*s == '-')
    s++;
  if (!g_ascii_isdigit (*s) || (s[0] == '0' && g_ascii_isdigit (s[1])))
    return fail (parser, "a value"), NULL;
  json = g_new0 (HsJson, 1);
  json->type = HS_JSON_NUMBER;
  json->number = g_ascii_strtod (parser->p, &end);
  parser->p = end;
  return json;
}

static HsJson *
parse_value (Parser *parser, guint depth)
{
  HsJson *json;

  if (depth > 64)
    return fail (parser, "less nesting"), NULL;
  skip_space (parser);
  switch (*parser->p)
    {
    case '{':
      return parse_container (parser, depth, TRUE);
    case '[':
      return parse_container (parser, depth, FALSE);
    case '"':
      {
        char *s = parse_string (parser);
        if (s == NULL)
          return NULL;
        json = g_new0 (HsJson, 1);
        json->type = HS_JSON_STRING;
        json->string = s;
        return json;
      }
    default:
      break;
    }
  for (guint i = 0; i < 3; i++)
    {
      static const char *const words[] = { "null", "true", "false" };
      if (strncmp (parser->p, words[i], strlen (words[i])) == 0)
        {
          parser->p += strlen (words[i]);
          json = g_new0 (HsJson, 1);
          json->type = i == 0 ? HS_JSON_NULL : HS_JSON_BOOL;
          json->boolean = i == 1;
          return json;
        }
    }
  return parse_number (parser);
}

HsJson *
hs_json_parse (const char *text, GError **error)
{
  Parser parser = { text, text, error };
  g_autoptr(HsJson) json = parse_value (&parser, 0);

  if (json == NULL)
    return NULL;
  skip_space (&parser);
  if (*parser.p != '\0')
    return fail (&parser, "the end of the text"), NULL;
  return g_steal_pointer (&json);
}

void
hs_json_free (HsJson *json)
{
  if (json == NULL)
    return;
  g_free (json->string);
  g_free (json->key);
  if (json->items != NULL)
    g_ptr_array_unref (json->items);
  g_free (json);
}

HsJson *
hs_json_get (HsJson *json, const char *key)
{
  if (json == NULL || json->type != HS_JSON_OBJECT)
    return NULL;
  for (guint i = 0; i < json->items->len; i++)
    {
      HsJson *item = g_ptr_array_index (json->items, i);
      if (g_strcmp0 (item->key, key) == 0)
        return item;
    }
  return NULL;
}

guint
hs_json_length (HsJson *json)
{
  return json != NULL && json->items != NULL ? json->items->len : 0;
}

HsJson *
hs_json_index (HsJson *json, guint i)
{
  return i < hs_json_length (json) ? g_ptr_array_index (json->items, i) : NULL;
}
