/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Configurations of a search space as vectors, for density models
 * (hs-kde.h, BOHB).  Each coordinate is continuous, in [0, 1], or
 * categorical, a choice's index stored as a double.
 *
 * A space of dimensions maps one coordinate per dimension:
 *   float        (x − min) / (max − min), of log(x) when the dimension is log;
 *   int          the centre of the integer's cell when [min, max + 1) is cut
 *                into one cell per integer (cells of equal width, or of equal
 *                width in log(value) when log, as the sampler draws them);
 *                a vector maps back to the integer whose cell holds it, so
 *                int dimensions are modelled as continuous and then rounded;
 *   categorical  the choice's index.
 *
 * A grid has no dimensions: they are derived from its configuration
 * objects, one per key (in the order keys first appear), and keys that
 * do not vary across the grid are left out.  A key whose values are all
 * numbers (and present in every configuration) is continuous, scaled to
 * [min, max] of those values, and log-scaled when they are all positive
 * and max >= 10 min; any other key (strings, booleans, null, objects,
 * mixed types, or missing from some configurations) is categorical over
 * its distinct values (by JSON text; "missing" counts as one value).  A
 * vector maps to the nearest grid configuration: squared distance over
 * continuous coordinates plus one per categorical coordinate that
 * differs, ties to the first in the grid's order.
 */
#pragma once

#include "hs-search-space.h"

G_BEGIN_DECLS

typedef struct _HsVectorSpace HsVectorSpace;

HsVectorSpace *hs_vector_space_new (HsSearchSpace *space);
void           hs_vector_space_free (HsVectorSpace *vspace);

gboolean       hs_vector_space_is_grid (HsVectorSpace *vspace);
guint          hs_vector_space_get_n_dims (HsVectorSpace *vspace);
/* Per coordinate: 0 continuous, else the number of categories (the form
 * hs_kde_new() takes). */
const guint   *hs_vector_space_get_n_choices (HsVectorSpace *vspace);
/* A coordinate's name (a dimension's or a grid key's), and for a
 * continuous one whether it is log-scaled. */
const char    *hs_vector_space_get_name (HsVectorSpace *vspace, guint d);
gboolean       hs_vector_space_get_log (HsVectorSpace *vspace, guint d);

/* The vector of a configuration into out: a grid's by its id (json is not
 * read), dimensions' from the JSON object text.  FALSE when the id is not
 * in the grid, or the text lacks a dimension or holds a value that is not
 * in the space. */
gboolean       hs_vector_space_encode (HsVectorSpace *vspace, const char *id, const char *json,
                                       gdouble *out);

/* Dimensions only.  The configuration of a vector as a JSON object text,
 * in the order of the dimensions: {"lr": 0.001, "optimizer": "adam"}. */
char          *hs_vector_space_to_json (HsVectorSpace *vspace, const gdouble *x);
/* The vector moved to what a configuration can hold, so that a density
 * is evaluated where the configuration really is: int coordinates to their
 * cell's centre, categorical ones to whole codes, all within range. */
void           hs_vector_space_snap (HsVectorSpace *vspace, gdouble *x);

/* Grids only.  The index of the configuration nearest to x whose index is
 * not in exclude (a set of GUINT_TO_POINTER (index), may be NULL); when
 * every configuration is excluded, the nearest of all. */
guint          hs_vector_space_nearest (HsVectorSpace *vspace, const gdouble *x,
                                        GHashTable *exclude);
/* The vector of grid configuration `index`. */
const gdouble *hs_vector_space_get_grid_vector (HsVectorSpace *vspace, guint index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsVectorSpace, hs_vector_space_free)

G_END_DECLS
