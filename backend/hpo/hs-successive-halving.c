/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Successive halving (Jamieson & Talwalkar 2016, as one bracket of
 * Hyperband): n configurations trained to r epochs, the best floor(n/η)
 * continued to r·η, and so on while the budget stays within R.
 */
#define G_LOG_DOMAIN "hs-hpo"

#include "hs-scheduler-private.h"

/* The largest s with r·η^s <= R and η^s <= n (n = 0: no limit from n), so
 * that every rung has a budget within R and at least one configuration. */
static guint
halving_s (const HsSchedulerOptions *options, guint n)
{
  guint64 budget = options->min_epochs, power = 1;
  guint s = 0;

  while (budget * options->eta <= options->max_epochs &&
         (n == 0 || power * options->eta <= n))
    {
      budget *= options->eta;
      power *= options->eta;
      s++;
    }
  return s;
}

static guint
halving_n_brackets (HsScheduler *self)
{
  return 1;
}

static void
halving_plan_bracket (HsScheduler *self, guint index, HsBracketPlan *plan)
{
  const HsSchedulerOptions *options = hs_scheduler_get_options (self);
  guint s = halving_s (options, options->n_configs);
  guint n = options->n_configs;

  if (n == 0)
    {
      n = 1;
      for (guint i = 0; i < s; i++)
        n *= options->eta;
    }
  hs_bracket_plan_halving (plan, n, options->min_epochs, options->eta, s);
}

static const HsSchedulerClass halving_class = {
  .method = "successive-halving",
  .n_brackets = halving_n_brackets,
  .plan_bracket = halving_plan_bracket,
  .repeat_with_budget = FALSE,
};

HsScheduler *
hs_successive_halving_new (HsSearchSpace *space, const HsSchedulerOptions *options,
                           GError **error)
{
  g_return_val_if_fail (space != NULL && options != NULL, NULL);

  if (!hs_scheduler_check_options (options, error))
    return NULL;
  return hs_scheduler_new_with_class (&halving_class, space, options);
}
