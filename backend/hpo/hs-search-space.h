/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A search space: either a finite grid of named configurations
 *
 *   {"grid": {"c00": {"lr": 0.01, "optimizer": "sgd"}, "c01": {…}, …}}
 *
 * or dimensions that configurations are drawn from
 *
 *   {"dimensions": [
 *     {"name": "lr", "type": "float", "min": 1e-4, "max": 0.1, "log": true},
 *     {"name": "optimizer", "type": "categorical", "choices": ["sgd", "adam"]},
 *     {"name": "batch_size", "type": "int", "min": 16, "max": 256}]}
 *
 * Dimension keys: name (unique), type ("float" | "int" | "categorical"),
 * min and max (float: min < max; int: integers, min <= max; both bounds
 * included), log (optional, float and int, needs min > 0: uniform in
 * log(value)), choices (categorical: a non-empty array of strings, numbers,
 * booleans or null).  "name" and "description" of the space are kept;
 * other top-level keys are ignored, so a space file can carry notes.
 * Errors (HS_HPO_ERROR_PARSE / _INVALID) name the field, e.g.
 * dimensions[0] (“lr”): “min” must be a number.
 *
 * Every draw comes from a GRand with an explicit seed: the same seed gives
 * the same configurations on every machine.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "hs-hpo-types.h"

G_BEGIN_DECLS

typedef enum {
  HS_DIMENSION_FLOAT,
  HS_DIMENSION_INT,
  HS_DIMENSION_CATEGORICAL,
} HsDimensionKind;

typedef struct {
  char *name;
  HsDimensionKind kind;
  gdouble min, max;    /* float and int */
  gboolean log;
  GPtrArray *choices;  /* categorical: JsonNode, each a scalar */
} HsDimension;

HsSearchSpace *hs_search_space_new_from_json (const char *json, GError **error);
/* Errors name the file. */
HsSearchSpace *hs_search_space_new_from_file (const char *path, GError **error);
/* A grid from configurations held elsewhere (a meta-dataset's grid.json,
 * a ranking): ids[i] names the JSON object text jsons[i]; the order is
 * kept.  Empty or repeated ids and texts that are not JSON objects are
 * HS_HPO_ERROR_INVALID errors naming the id. */
HsSearchSpace *hs_search_space_new_grid (guint n_configs, const char *const *ids,
                                         const char *const *jsons, GError **error);
HsSearchSpace *hs_search_space_ref (HsSearchSpace *space);
void           hs_search_space_unref (HsSearchSpace *space);

const char    *hs_search_space_get_name (HsSearchSpace *space);         /* NULL when none */
const char    *hs_search_space_get_description (HsSearchSpace *space);  /* NULL when none */
gboolean       hs_search_space_is_grid (HsSearchSpace *space);

/* A grid's configurations, in the order of the file. */
guint                 hs_search_space_get_n_configs (HsSearchSpace *space);
const HsSearchConfig *hs_search_space_get_config (HsSearchSpace *space, guint index);
/* The index of a grid configuration, -1 when the grid has no such id: how a
 * replay maps a trial's config_id to a row of a recorded table. */
gint                  hs_search_space_find_config (HsSearchSpace *space, const char *id);

/* A space of dimensions' dimensions, in the order of the file. */
guint              hs_search_space_get_n_dimensions (HsSearchSpace *space);
const HsDimension *hs_search_space_get_dimension (HsSearchSpace *space, guint index);

/* One configuration of a space of dimensions as a JSON object text
 * (dimension name → value, in the order of the dimensions), each dimension
 * drawn in turn from rand: float uniform in [min, max) (of log(value) when
 * log), int uniform over min … max (likewise), categorical uniform over the
 * choices. */
char          *hs_search_space_sample_json (HsSearchSpace *space, GRand *rand);

/* Draws configurations for a search.  From a grid: without replacement, in
 * a seeded random order; once every configuration has been drawn a new
 * shuffled pass begins, which skips those already in the current draw
 * while enough others remain, so one draw of at most the grid's size never
 * holds a configuration twice.  From dimensions: independent draws with
 * ids s1, s2, … in the order drawn. */
HsSampler     *hs_sampler_new (HsSearchSpace *space, guint32 seed);
void           hs_sampler_free (HsSampler *sampler);
/* n configurations (HsSearchConfig), newly allocated. */
GPtrArray     *hs_sampler_draw (HsSampler *sampler, guint n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsSearchSpace, hs_search_space_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsSampler, hs_sampler_free)

G_END_DECLS
