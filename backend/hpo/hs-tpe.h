/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BOHB's model (Falkner, Klein & Hutter 2018, §3.1 and Algorithm 2): a
 * tree-structured Parzen estimator over the observations of one budget.
 *
 * Observations (a vector, hs-vector-space.h, and a score, higher better:
 * validation accuracy) are kept per budget.  hs_tpe_fit() picks the
 * largest budget with at least N_min + 2 observations, ranks them by score
 * (best first; equal scores in the order added), and fits two product KDEs
 * (hs-kde.h):
 *
 *   l(x)  on the best  n_l = max(N_min, floor(q N / 100)) observations,
 *   g(x)  on the worst n_g = max(N_min, N − n_l),
 *
 * q = top_n_percent, N the budget's observations (the paper's Eqs. 2–3;
 * when N < 2 N_min the two sets share observations).  Failed trials score
 * −∞ (NaN is read as −∞ too): they count, as HpBandSter counts them, and
 * always among the worst.  A candidate is then worth l(x)/g(x), which
 * hs_tpe_score() gives as log l(x) − log g(x).
 */
#pragma once

#include "hs-kde.h"

G_BEGIN_DECLS

typedef struct _HsTpe HsTpe;

/* Vectors of n_dims coordinates, n_choices as hs_kde_new() takes them. */
HsTpe   *hs_tpe_new (guint n_dims, const guint *n_choices);
void     hs_tpe_free (HsTpe *tpe);

void     hs_tpe_add (HsTpe *tpe, gdouble budget, const gdouble *x, gdouble score);
guint    hs_tpe_get_n_observations (HsTpe *tpe, gdouble budget);

/* Fits l and g as above, N_min = min_points (at least 1).  FALSE (and no
 * model) when no budget has N_min + 2 observations. */
gboolean hs_tpe_fit (HsTpe *tpe, guint min_points, guint top_n_percent, gdouble min_bandwidth);

/* After a successful fit: the budget fitted on, and the two densities. */
gdouble  hs_tpe_get_budget (HsTpe *tpe);
HsKde   *hs_tpe_get_good (HsTpe *tpe);
HsKde   *hs_tpe_get_bad (HsTpe *tpe);

/* log l(x) − log g(x). */
gdouble  hs_tpe_score (HsTpe *tpe, const gdouble *x);
/* A candidate from l, continuous bandwidths × bandwidth_factor. */
void     hs_tpe_sample (HsTpe *tpe, gdouble bandwidth_factor, GRand *rand, gdouble *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTpe, hs_tpe_free)

G_END_DECLS
