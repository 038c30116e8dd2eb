/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BOHB (Falkner, Klein & Hutter, ICML 2018): Hyperband's brackets
 * (hs-scheduler.h; the same schedule for the same R and η, the same
 * promotions, passes repeated while a budget lasts) with configurations
 * proposed by a model instead of drawn at random.
 *
 * At the start of each bracket the results so far (every done or failed
 * trial, hs_scheduler_get_trials()) are the observations: one per trial, at
 * the trial's budget (to_epoch), its validation accuracy there (a failed
 * trial ranks below all).  The model (hs-tpe.h) is fitted on the largest
 * budget with at least min_points_in_model + 2 observations: a product KDE
 * (hs-kde.h) l of the top top_n_percent % (at least min_points_in_model),
 * another g of the rest (likewise).  Each configuration of the bracket is
 * then, with probability random_fraction, a draw from the scheduler's
 * sampler (hs_scheduler_sample(), the draws plain Hyperband would make),
 * and otherwise the best of n_samples candidates drawn from l with
 * continuous bandwidths × bandwidth_factor, the best being the one with the
 * largest l(x)/g(x).  Before any budget has enough observations every
 * configuration is a sampler draw.  So while no model exists a BOHB search
 * hands out exactly the trials Hyperband with the same options and seed
 * would.
 *
 * Vectors: a space's dimensions map to [0, 1] (log dimensions by their
 * logarithm; int dimensions as continuous, rounded back) and categorical
 * choices to codes (hs-vector-space.h).  A grid has no dimensions: they
 * are derived from its configuration objects (numbers continuous, log when
 * all positive and spanning at least 10×; other values categorical), and
 * a model candidate becomes the nearest grid configuration not yet in the
 * current bracket (any, when the bracket is larger than the grid), scored
 * where that configuration lies.  A grid whose configurations do not
 * differ in any key is searched at random.
 *
 * Ids: sampler draws keep the sampler's ids (a grid's own ids; s1, s2, …
 * from dimensions); model configurations from dimensions are b1, b2, … in
 * the order proposed, so every id is unique within a search and tells how
 * the configuration was found.  From a grid every id is a grid id.
 *
 * Randomness: the coin flips and candidates come from a GRand seeded from
 * options->seed (mixed with a constant, so that it does not replay the
 * sampler's stream), and a bracket's model sees only reported results: the
 * same options, seed and results give the same trials, and
 * hs_scheduler_restore() rebuilds a search (it needs only each trial's
 * final val_acc, not its curve).
 */
#pragma once

#include "hs-scheduler.h"

G_BEGIN_DECLS

/* HpBandSter's defaults (hpbandster.optimizers.BOHB). */
typedef struct {
  guint min_points_in_model;  /* N_min; 0: dims + 1, the least a KDE in d
                               * dimensions needs (a smaller value is raised to it) */
  guint top_n_percent;        /* q, in [1, 99] (default 15) */
  guint n_samples;            /* candidates per model configuration (default 64) */
  gdouble random_fraction;    /* ρ in [0, 1] (default 1/3) */
  gdouble bandwidth_factor;   /* b_w > 0: candidates' widening (default 3) */
  gdouble min_bandwidth;      /* > 0 (default 1e-3) */
} HsBohbOptions;

void hs_bohb_options_init (HsBohbOptions *bohb);

/* bohb NULL: the defaults.  Options that make no search are
 * HS_HPO_ERROR_OPTIONS errors naming the option, as hs_hyperband_new()'s. */
HsScheduler *hs_bohb_new (HsSearchSpace *space, const HsSchedulerOptions *options,
                          const HsBohbOptions *bohb, GError **error);

G_END_DECLS
