/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API's JSON for the store's records (docs/api.md lists the fields),
 * shared by the routes and the event stream.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "hs-store.h"

G_BEGIN_DECLS

JsonNode *hs_api_search_to_json (const HsStoreSearch *search);
JsonNode *hs_api_trial_to_json (const HsStoreTrial *trial);
JsonNode *hs_api_space_to_json (const HsStoreSpace *space, gboolean with_definition);
JsonNode *hs_api_dataset_to_json (const HsStoreDataset *dataset);

/* Adds a member parsed from JSON text (a configuration, settings); text
 * that does not parse is added as a string. */
void      hs_api_add_json_member (JsonBuilder *b, const char *name, const char *text);
/* A double member, null when NaN. */
void      hs_api_add_double_member (JsonBuilder *b, const char *name, gdouble value);
/* An array of doubles (gdouble), null entries for NaN. */
void      hs_api_add_doubles_member (JsonBuilder *b, const char *name, const GArray *values);

G_END_DECLS
