/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Random search: N configurations, each trained to R epochs, as one bracket
 * of one rung.  Its N: n_configs when given, else as many as the budget
 * holds (at most the grid's size, so a grid is not repeated unasked), else
 * the whole grid.
 */
#define G_LOG_DOMAIN "hs-hpo"

#include "hs-scheduler-private.h"

static guint
random_n_brackets (HsScheduler *self)
{
  return 1;
}

static void
random_plan_bracket (HsScheduler *self, guint index, HsBracketPlan *plan)
{
  const HsSchedulerOptions *options = hs_scheduler_get_options (self);

  *plan = (HsBracketPlan) {
    .s = 0,
    .n_rungs = 1,
    .n_configs = { options->n_configs },
    .budget = { options->max_epochs },
    .epochs = { options->max_epochs },
  };
}

static const HsSchedulerClass random_class = {
  .method = "random",
  .n_brackets = random_n_brackets,
  .plan_bracket = random_plan_bracket,
  .repeat_with_budget = FALSE,
};

HsScheduler *
hs_random_search_new (HsSearchSpace *space, const HsSchedulerOptions *options, GError **error)
{
  HsSchedulerOptions resolved;

  g_return_val_if_fail (space != NULL && options != NULL, NULL);

  if (!hs_scheduler_check_options (options, error))
    return NULL;
  resolved = *options;
  if (options->budget > 0 && options->budget < options->max_epochs)
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_OPTIONS,
                   "random search: “budget” (%" G_GUINT64_FORMAT " epochs) is less than one "
                   "configuration's “max_epochs” (%u)", options->budget, options->max_epochs);
      return NULL;
    }
  if (resolved.n_configs == 0)
    {
      if (options->budget > 0)
        {
          guint64 fits = options->budget / options->max_epochs;

          if (hs_search_space_is_grid (space))
            fits = MIN (fits, hs_search_space_get_n_configs (space));
          resolved.n_configs = (guint) MIN (fits, G_MAXUINT);
        }
      else if (hs_search_space_is_grid (space))
        resolved.n_configs = hs_search_space_get_n_configs (space);
      else
        {
          g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_OPTIONS,
                       "random search: a space of dimensions needs “n_configs” or “budget”");
          return NULL;
        }
    }
  return hs_scheduler_new_with_class (&random_class, space, &resolved);
}
