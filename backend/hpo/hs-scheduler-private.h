/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a search method supplies to the bracket engine in hs-scheduler.c:
 * how many brackets one pass has, and each bracket's rungs.  The engine
 * does the rest (drawing, handing out, promoting, budgets, results), so a
 * method is a page of arithmetic (hs-random-search.c,
 * hs-successive-halving.c, hs-hyperband.c), or, for a model-based method,
 * a class and a proposer (hs-bohb.c).
 */
#pragma once

#include "hs-scheduler.h"

G_BEGIN_DECLS

/* s_max <= log2(R) < 32 for any guint R. */
#define HS_MAX_RUNGS 33

typedef struct {
  guint s;                           /* the trials' bracket */
  guint n_rungs;
  guint n_configs[HS_MAX_RUNGS];     /* n_i: n_configs[0] are drawn */
  gdouble budget[HS_MAX_RUNGS];      /* r_i before rounding */
  guint epochs[HS_MAX_RUNGS];        /* r_i in whole epochs, strictly growing */
} HsBracketPlan;

typedef struct {
  const char *method;
  /* Brackets in one pass. */
  guint (*n_brackets) (HsScheduler *self);
  /* Bracket `index` (0 … n_brackets − 1) of a pass. */
  void (*plan_bracket) (HsScheduler *self, guint index, HsBracketPlan *plan);
  /* With a budget, passes repeat until it is spent (Hyperband); otherwise
   * one pass is the whole search. */
  gboolean repeat_with_budget;
} HsSchedulerClass;

/* options are checked by the caller; they are copied. */
HsScheduler *hs_scheduler_new_with_class (const HsSchedulerClass *klass, HsSearchSpace *space,
                                          const HsSchedulerOptions *options);

/* Successive halving's rungs: n_i = floor(n / η^i), r_i = r η^i, for
 * i = 0 … s; epochs rounded to the nearest whole epoch, at least 1. */
void hs_bracket_plan_halving (HsBracketPlan *plan, guint n, gdouble r, guint eta, guint s);

/* Hyperband's brackets (s = s_max … 0 of Algorithm 1), which BOHB
 * (hs-bohb.c) runs too. */
guint hs_hyperband_n_brackets (HsScheduler *self);
void  hs_hyperband_plan_bracket (HsScheduler *self, guint index, HsBracketPlan *plan);

/* Common checks of options, naming the option. */
gboolean hs_scheduler_check_options (const HsSchedulerOptions *options, GError **error);

G_END_DECLS
