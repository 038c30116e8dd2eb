/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON text as people read it: compact, members in their order, numbers
 * with the fewest digits that read back exactly ({"lr": 0.003}, where
 * json-glib's generator writes 0.0030000000000000001), NaN and infinities
 * as null.  For the daemon's replies and events as much as for
 * configurations.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char *hs_json_to_text (JsonNode *node);

/* Members of an object as the daemon's replies hold them, leniently: NULL
 * (or def, NaN) when object is NULL, the member is missing or of another
 * type; whole numbers read as doubles and doubles (truncated) and booleans
 * as whole numbers. */
const char *hs_json_get_string (JsonObject *object, const char *name);
/* Whether node is a JSON number (whole or not), and its value. */
gboolean    hs_json_node_is_number (JsonNode *node);
gdouble     hs_json_node_get_number (JsonNode *node);
gint64      hs_json_get_int (JsonObject *object, const char *name, gint64 def);
gdouble     hs_json_get_double (JsonObject *object, const char *name);
JsonArray  *hs_json_get_array (JsonObject *object, const char *name);
JsonObject *hs_json_get_object (JsonObject *object, const char *name);

G_END_DECLS
