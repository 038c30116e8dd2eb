/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A product kernel density estimate over mixed vectors, the density model
 * behind BOHB (hs-bohb.h; Falkner, Klein & Hutter 2018, §3.1).
 *
 * A vector has n_dims coordinates.  Coordinate d is either continuous, a
 * number in [0, 1] (a dimension of a search space mapped to the unit
 * interval, hs-vector-space.h), or categorical, a code 0 … n_choices[d] − 1
 * stored as a double.  The estimate of n points X_1 … X_n is
 *
 *   p(x) = 1/n Σ_i Π_d K_d(x_d; X_id, h_d)
 *
 * with, for a continuous coordinate, a Gaussian of standard deviation h_d
 * truncated to [0, 1] and renormalised there, so that p integrates to one
 * over the unit interval (BOHB samples from truncated Gaussians; using the
 * same kernel for the density keeps sampling and density consistent); and
 * for a categorical one the Aitchison–Aitken kernel, 1 − h_d at the point's
 * own code and h_d / (c − 1) at each of the c − 1 others.
 *
 * Bandwidths follow the normal reference rule that HpBandSter takes from
 * statsmodels: h_d = 1.06 σ_d n^(−1/(4 + n_dims)), σ_d the standard
 * deviation of coordinate d over the points (of the codes, for a
 * categorical one), raised to at least min_bandwidth so that points that
 * agree on a coordinate still leave room to explore around it.  A
 * categorical bandwidth is kept at most (c − 1)/c, where the kernel becomes
 * uniform; with one choice it is 0.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HsKde HsKde;

/* n_choices[d]: 0 for a continuous coordinate, the number of codes (>= 1)
 * for a categorical one.  data holds n_points vectors of n_dims, row after
 * row; it is copied.  n_points >= 1. */
HsKde         *hs_kde_new (guint n_dims, const guint *n_choices, const gdouble *data,
                           guint n_points, gdouble min_bandwidth);
void           hs_kde_free (HsKde *kde);

guint          hs_kde_get_n_dims (HsKde *kde);
guint          hs_kde_get_n_points (HsKde *kde);
/* h_d, n_dims of them. */
const gdouble *hs_kde_get_bandwidths (HsKde *kde);

/* The density at x, and its logarithm (computed as a log-sum-exp, so it
 * stays finite where p underflows: narrow kernels far from x).  x must
 * lie in the space: continuous coordinates in [0, 1], codes in range;
 * elsewhere the density is 0 and the logarithm −∞. */
gdouble        hs_kde_pdf (HsKde *kde, const gdouble *x);
gdouble        hs_kde_log_pdf (HsKde *kde, const gdouble *x);

/* One draw into out (n_dims values): a point X_i picked uniformly, then
 * each coordinate from its kernel around X_i, continuous bandwidths
 * multiplied by bandwidth_factor (BOHB widens them to explore; 1 draws
 * from p itself).  Categorical kernels are not widened, as in HpBandSter. */
void           hs_kde_sample (HsKde *kde, gdouble bandwidth_factor, GRand *rand, gdouble *out);

/* A standard normal deviate from rand (Box–Muller): shared with tests. */
gdouble        hs_kde_gaussian (GRand *rand);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsKde, hs_kde_free)

G_END_DECLS
