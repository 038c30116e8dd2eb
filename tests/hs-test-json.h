/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small JSON reader for tests that check what hyperstar-cli prints with
 * --json.  Strict enough to catch invalid output (bad escapes, trailing
 * commas, unquoted keys, text after the value); not fast, not streaming.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  HS_JSON_NULL,
  HS_JSON_BOOL,
  HS_JSON_NUMBER,
  HS_JSON_STRING,
  HS_JSON_ARRAY,
  HS_JSON_OBJECT,
} HsJsonType;

typedef struct _HsJson HsJson;
struct _HsJson {
  HsJsonType type;
  gboolean boolean;
  gdouble number;
  char *string;
  char *key;          /* a member of an object: its name */
  GPtrArray *items;   /* arrays and objects: HsJson, in order */
};

/* NULL, with the offset and what was expected in error, if text is not one
 * JSON value (surrounded by white space at most). */
HsJson     *hs_json_parse (const char *text, GError **error);
void        hs_json_free (HsJson *json);

/* An object's member, or NULL (also when json is not an object). */
HsJson     *hs_json_get (HsJson *json, const char *key);
guint       hs_json_length (HsJson *json);    /* items of an array or object */
HsJson     *hs_json_index (HsJson *json, guint i);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsJson, hs_json_free)

G_END_DECLS
