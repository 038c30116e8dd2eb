/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Search methods as ask/tell schedulers.  Every method here runs brackets:
 * a bracket draws n configurations, trains them all to the budget of its
 * first rung, keeps the best floor(n_i / η) of rung i for rung i + 1, and
 * continues those from where they stopped (from_epoch = the earlier
 * to_epoch).
 *
 *   random search        one bracket of one rung: N configurations to R epochs
 *                        (N = n_configs; else as many as the budget holds;
 *                        else the whole grid);
 *   successive halving   one bracket: n configurations from r epochs, ×η per
 *                        rung while r·η^i <= R and floor(n / η^i) >= 1
 *                        (n defaults to η^s with s = floor(log_η(R / r)));
 *   Hyperband            Li et al. 2018, Algorithm 1: s_max = floor(log_η R),
 *                        B = (s_max + 1) R, brackets s = s_max … 0, each of
 *                        n = ceil(B/R · η^s/(s + 1)) configurations from
 *                        r = R η^{-s}; with a budget, passes repeat until it is
 *                        spent;
 *   BOHB                 Falkner et al. 2018: Hyperband's brackets, budgets and
 *                        promotions, configurations proposed by a TPE model of
 *                        the results so far (hs-bohb.h: hs_bohb_new() and its
 *                        options).
 *
 * Budgets are whole epochs: rung i of bracket s trains to r_i = R η^{i−s}
 * rounded to the nearest epoch (at least 1); for R a power of η that is
 * exact.  The rounded budgets still grow strictly (r_{i+1} − r_i >= r_i >= 1
 * before rounding), and the last rung is exactly R.
 *
 * Asking and telling: hs_scheduler_next() hands out trials while it can;
 * each needs hs_scheduler_report() (or _report_failure()) later, in any
 * order, from any loop (a daemon runs them on workers).  Brackets run one
 * after another, and a rung's promotions wait for all of its results, so
 * the sequence of trials is a function of the options, the seed and the
 * reported values alone: hs_scheduler_restore() rebuilds a scheduler from
 * stored trials after a restart.  A scheduler is not locked: call it from
 * one thread (a daemon's main context), workers report back through it.
 *
 * Promotion ranks a rung by validation accuracy at the rung's budget, best
 * first; equal accuracies keep the order of the rung (the order the
 * configurations were drawn in, then ranked in), so ties break the same
 * way on every run.  Failed trials rank last and are never promoted.
 *
 * Where configurations come from: the scheduler's sampler (seeded draws
 * from the space, hs-search-space.h) unless a proposer is set.  A proposer
 * is how task-aware Hyperband (the top of a HyperSTAR ranking, mixed with
 * random draws) and model-based methods such as BOHB (a density model fitted
 * on the results per budget so far, hs_scheduler_get_trials(); hs-bohb.c)
 * plug in.
 */
#pragma once

#include <gio/gio.h>

#include "hs-evaluator.h"
#include "hs-search-space.h"

G_BEGIN_DECLS

typedef struct {
  guint max_epochs;  /* R: the largest budget, in epochs (default 27) */
  guint eta;         /* η >= 2: the keep ratio is 1/η (default 3) */
  guint min_epochs;  /* successive halving's first budget r (default 1) */
  guint n_configs;   /* random search's N, successive halving's n; 0: the default */
  guint64 budget;    /* total epochs a search may hand out; 0: no limit */
  guint32 seed;      /* of the sampler (default 0) */
} HsSchedulerOptions;

void hs_scheduler_options_init (HsSchedulerOptions *options);

/* Options that make no search (η < 2, R = 0, r > R, a random search over
 * dimensions with neither N nor a budget, …) are HS_HPO_ERROR_OPTIONS
 * errors naming the option.  The scheduler keeps a reference to space. */
HsScheduler *hs_random_search_new (HsSearchSpace *space, const HsSchedulerOptions *options,
                                   GError **error);
HsScheduler *hs_successive_halving_new (HsSearchSpace *space, const HsSchedulerOptions *options,
                                        GError **error);
HsScheduler *hs_hyperband_new (HsSearchSpace *space, const HsSchedulerOptions *options,
                               GError **error);
/* By method name: "random", "successive-halving", "hyperband" or "bohb"
 * (BOHB with its default HsBohbOptions). */
HsScheduler *hs_scheduler_new (const char *method, HsSearchSpace *space,
                               const HsSchedulerOptions *options, GError **error);
void         hs_scheduler_free (HsScheduler *scheduler);

const char               *hs_scheduler_get_method (HsScheduler *scheduler);
HsSearchSpace            *hs_scheduler_get_space (HsScheduler *scheduler);
const HsSchedulerOptions *hs_scheduler_get_options (HsScheduler *scheduler);

/* One rung of a bracket's plan. */
typedef struct {
  guint bracket;     /* s: the bracket has s + 1 rungs */
  guint rung;        /* i = 0 … s */
  guint n_configs;   /* n_i */
  gdouble budget;    /* r_i before rounding (Hyperband: R η^{i−s}) */
  guint epochs;      /* r_i in whole epochs: what the rung's trials train to */
} HsRung;

/* The rungs (HsRung) of one pass of the scheduler's brackets, in order. */
GArray *hs_scheduler_get_schedule (HsScheduler *scheduler);
/* Hyperband's s_max = floor(log_η R), computed in integers so that exact
 * powers (R = 243, η = 3) are not lost to rounding. */
guint   hs_hyperband_get_s_max (guint max_epochs, guint eta);
/* One pass of Hyperband's brackets (HsRung), s = s_max … 0. */
GArray *hs_hyperband_schedule (guint max_epochs, guint eta);

/* n new configurations (HsSearchConfig) appended to configs. */
typedef gboolean (*HsProposeFunc) (HsScheduler *scheduler, guint n, GPtrArray *configs,
                                   gpointer user_data, GError **error);

/* Set before the first hs_scheduler_next(). */
void       hs_scheduler_set_proposer (HsScheduler *scheduler, HsProposeFunc func,
                                      gpointer user_data, GDestroyNotify destroy);
/* n draws from the scheduler's own sampler (HsSearchConfig, newly
 * allocated): what a proposer mixes in as random configurations. */
GPtrArray *hs_scheduler_sample (HsScheduler *scheduler, guint n);

typedef enum {
  HS_SCHEDULER_TRIAL,   /* *trial is the next trial to run */
  HS_SCHEDULER_WAIT,    /* trials are out, and what comes next depends on their results */
  HS_SCHEDULER_DONE,    /* the search is over: nothing out, nothing more to hand out */
  HS_SCHEDULER_ERROR,   /* the proposer failed; error is set */
} HsSchedulerStatus;

/* *trial is owned by the scheduler and lives as long as it does. */
HsSchedulerStatus hs_scheduler_next (HsScheduler *scheduler, const HsTrial **trial,
                                     GError **error);
/* The result of a trial handed out: n_epochs = to_epoch − from_epoch
 * accuracies (after epochs from_epoch+1 … to_epoch) and as many epoch times
 * (seconds may be NULL).  HS_HPO_ERROR_TRIAL for an unknown trial, a second
 * report, or the wrong number of epochs. */
gboolean          hs_scheduler_report (HsScheduler *scheduler, guint trial_id,
                                       const gdouble *val_acc, const gdouble *seconds,
                                       guint n_epochs, GError **error);
gboolean          hs_scheduler_report_failure (HsScheduler *scheduler, guint trial_id,
                                               const char *message, GError **error);

/* Called after each trial's result is reported. */
typedef void (*HsTrialFunc) (HsScheduler *scheduler, const HsTrial *trial, gpointer user_data);

/* Drives the whole search synchronously: next, evaluate, report, until
 * done.  An evaluator error stops it, the trial marked failed with the
 * message, and is returned. */
gboolean hs_scheduler_run (HsScheduler *scheduler, HsEvaluator *evaluator, HsTrialFunc callback,
                           gpointer user_data, GCancellable *cancellable, GError **error);

/* Rebuilds the state of a search from its stored trials (in id order, as
 * they were handed out): each must be the trial this scheduler hands out
 * next (same configuration and epochs), done and failed ones are reported
 * again, pending ones stay out to be run again.  A scheduler made with other
 * options or another seed gives HS_HPO_ERROR_TRIAL naming the first trial
 * that differs. */
gboolean hs_scheduler_restore (HsScheduler *scheduler, const HsTrial *const *trials, guint n_trials,
                               GError **error);

/* Results.  Trials (HsTrial) in id order, borrowed. */
GPtrArray     *hs_scheduler_get_trials (HsScheduler *scheduler);
const HsTrial *hs_scheduler_get_trial (HsScheduler *scheduler, guint trial_id);
/* The trial with the best validation accuracy seen so far (Li et al.:
 * "the configuration with the smallest intermediate loss"), at the larger
 * budget when equal, then the earlier; NULL before any result. */
const HsTrial *hs_scheduler_get_best (HsScheduler *scheduler);
/* Sum of to_epoch − from_epoch over done trials. */
guint64        hs_scheduler_get_epochs_spent (HsScheduler *scheduler);
/* The same over every trial handed out: what the budget is charged. */
guint64        hs_scheduler_get_epochs_issued (HsScheduler *scheduler);
gdouble        hs_scheduler_get_seconds_spent (HsScheduler *scheduler);
/* TRUE once the budget stopped the search early. */
gboolean       hs_scheduler_budget_exhausted (HsScheduler *scheduler);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsScheduler, hs_scheduler_free)

G_END_DECLS
