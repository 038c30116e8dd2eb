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

G_END_DECLS
