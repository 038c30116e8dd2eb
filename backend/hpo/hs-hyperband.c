/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hyperband (Li, Jamieson, DeSalvo, Rostamizadeh, Talwalkar, JMLR 2018,
 * Algorithm 1): brackets s = s_max … 0 of successive halving, each trading
 * the number of configurations against the budget each starts with, so
 * that every bracket spends about the same B = (s_max + 1) R epochs.
 */
#define G_LOG_DOMAIN "hs-hpo"

#include "hs-scheduler-private.h"

guint
hs_hyperband_get_s_max (guint max_epochs, guint eta)
{
  guint64 power = eta;
  guint s = 0;

  g_return_val_if_fail (max_epochs >= 1 && eta >= 2, 0);

  /* floor(log(R) / log(η)) in floating point gives 4.999… for R = 243,
   * η = 3: count the powers instead. */
  while (power <= max_epochs)
    {
      s++;
      power *= eta;
    }
  return s;
}

static void
plan_bracket (guint max_epochs, guint eta, guint s_max, guint s, HsBracketPlan *plan)
{
  guint64 eta_s = 1;
  guint64 n;

  for (guint i = 0; i < s; i++)
    eta_s *= eta;
  /* n = ceil(B/R · η^s / (s + 1)) with B = (s_max + 1) R, in integers. */
  n = ((s_max + 1) * eta_s + s) / (s + 1);
  hs_bracket_plan_halving (plan, (guint) n, (gdouble) max_epochs / (gdouble) eta_s, eta, s);
}

GArray *
hs_hyperband_schedule (guint max_epochs, guint eta)
{
  GArray *rungs;
  guint s_max;

  g_return_val_if_fail (max_epochs >= 1 && eta >= 2, NULL);

  rungs = g_array_new (FALSE, FALSE, sizeof (HsRung));
  s_max = hs_hyperband_get_s_max (max_epochs, eta);
  for (guint b = 0; b <= s_max; b++)
    {
      HsBracketPlan plan;

      plan_bracket (max_epochs, eta, s_max, s_max - b, &plan);
      for (guint i = 0; i < plan.n_rungs; i++)
        {
          HsRung rung = {
            .bracket = plan.s,
            .rung = i,
            .n_configs = plan.n_configs[i],
            .budget = plan.budget[i],
            .epochs = plan.epochs[i],
          };
          g_array_append_val (rungs, rung);
        }
    }
  return rungs;
}

guint
hs_hyperband_n_brackets (HsScheduler *self)
{
  const HsSchedulerOptions *options = hs_scheduler_get_options (self);

  return hs_hyperband_get_s_max (options->max_epochs, options->eta) + 1;
}

void
hs_hyperband_plan_bracket (HsScheduler *self, guint index, HsBracketPlan *plan)
{
  const HsSchedulerOptions *options = hs_scheduler_get_options (self);
  guint s_max = hs_hyperband_get_s_max (options->max_epochs, options->eta);

  plan_bracket (options->max_epochs, options->eta, s_max, s_max - index, plan);
}

static const HsSchedulerClass hyperband_class = {
  .method = "hyperband",
  .n_brackets = hs_hyperband_n_brackets,
  .plan_bracket = hs_hyperband_plan_bracket,
  .repeat_with_budget = TRUE,
};

HsScheduler *
hs_hyperband_new (HsSearchSpace *space, const HsSchedulerOptions *options, GError **error)
{
  g_return_val_if_fail (space != NULL && options != NULL, NULL);

  if (!hs_scheduler_check_options (options, error))
    return NULL;
  return hs_scheduler_new_with_class (&hyperband_class, space, options);
}
