/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON writing shared by the search-method files.  json-glib prints doubles
 * with 17 digits (0.1 becomes 0.10000000000000001); configurations are read
 * by people and compared as text, so numbers are written with the fewest
 * digits that read back exactly, in the style of hs_train_config_to_json:
 * {"lr": 0.1, "optimizer": "sgd"}.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void hs_hpo_append_double (GString *out, gdouble value);
void hs_hpo_append_string (GString *out, const char *value);
void hs_hpo_append_node (GString *out, JsonNode *node);

G_END_DECLS
