/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bracket engine behind every search method (see hs-scheduler.h): draws
 * a bracket's configurations, hands out the trials of a rung, waits for
 * their results, promotes the best, and keeps the books (epochs, budget,
 * best trial).
 */
#define G_LOG_DOMAIN "hs-hpo"

#include <math.h>

#include "hs-bohb.h"
#include "hs-scheduler-private.h"

struct _HsScheduler
{
  const HsSchedulerClass *klass;
  HsSearchSpace *space;
  HsSchedulerOptions options;
  HsSampler *sampler;

  HsProposeFunc propose;
  gpointer propose_data;
  GDestroyNotify propose_destroy;

  GPtrArray *trials;          /* HsTrial, index = id */

  /* The bracket under way. */
  gboolean in_bracket;
  HsBracketPlan plan;
  guint n_brackets_started;
  guint rung;
  GPtrArray *rung_configs;    /* HsSearchConfig: the rung's configurations, in rung order */
  GArray *rung_parents;       /* gint: the trial each continues, -1 in rung 0 */
  GArray *rung_trials;        /* guint: trial ids handed out for the rung so far */

  guint n_pending;
  guint64 epochs_issued;
  guint64 epochs_spent;
  gdouble seconds_spent;
  gboolean exhausted;         /* the budget stopped the search */
  gboolean finished;          /* every bracket ran */
};

void
hs_scheduler_options_init (HsSchedulerOptions *options)
{
  g_return_if_fail (options != NULL);

  /* R = 27 = 3³ gives exact budgets with the default η, and our backbone
   * fine-tunes in tens of epochs, not Li et al.'s hundreds. */
  *options = (HsSchedulerOptions) {
    .max_epochs = 27,
    .eta = 3,
    .min_epochs = 1,
    .n_configs = 0,
    .budget = 0,
    .seed = 0,
  };
}

gboolean
hs_scheduler_check_options (const HsSchedulerOptions *options, GError **error)
{
  if (options->max_epochs < 1)
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_OPTIONS,
                   "scheduler: “max_epochs” (R) must be at least 1");
      return FALSE;
    }
  if (options->eta < 2)
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_OPTIONS,
                   "scheduler: “eta” is %u; it must be at least 2", options->eta);
      return FALSE;
    }
  if (options->min_epochs < 1 || options->min_epochs > options->max_epochs)
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_OPTIONS,
                   "scheduler: “min_epochs” is %u; it must be in [1, %u] (max_epochs)",
                   options->min_epochs, options->max_epochs);
      return FALSE;
    }
  return TRUE;
}

static void
trial_free (HsTrial *trial)
{
  g_free (trial->config_id);
  g_free (trial->config_json);
  g_clear_pointer (&trial->curve, g_array_unref);
  g_free (trial->message);
  g_free (trial);
}

HsScheduler *
hs_scheduler_new_with_class (const HsSchedulerClass *klass, HsSearchSpace *space,
                             const HsSchedulerOptions *options)
{
  HsScheduler *self = g_new0 (HsScheduler, 1);

  self->klass = klass;
  self->space = hs_search_space_ref (space);
  self->options = *options;
  self->sampler = hs_sampler_new (space, options->seed);
  self->trials = g_ptr_array_new_with_free_func ((GDestroyNotify) trial_free);
  self->rung_configs = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_search_config_free);
  self->rung_parents = g_array_new (FALSE, FALSE, sizeof (gint));
  self->rung_trials = g_array_new (FALSE, FALSE, sizeof (guint));
  return self;
}

HsScheduler *
hs_scheduler_new (const char *method, HsSearchSpace *space, const HsSchedulerOptions *options,
                  GError **error)
{
  g_return_val_if_fail (method != NULL, NULL);

  if (g_str_equal (method, "random"))
    return hs_random_search_new (space, options, error);
  if (g_str_equal (method, "successive-halving"))
    return hs_successive_halving_new (space, options, error);
  if (g_str_equal (method, "hyperband"))
    return hs_hyperband_new (space, options, error);
  if (g_str_equal (method, "bohb"))
    return hs_bohb_new (space, options, NULL, error);
  g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_OPTIONS,
               "scheduler: unknown method “%s” (known: random, successive-halving, hyperband, "
               "bohb)",
               method);
  return NULL;
}

void
hs_scheduler_free (HsScheduler *self)
{
  if (self == NULL)
    return;
  if (self->propose_destroy != NULL)
    self->propose_destroy (self->propose_data);
  hs_sampler_free (self->sampler);
  hs_search_space_unref (self->space);
  g_ptr_array_unref (self->trials);
  g_ptr_array_unref (self->rung_configs);
  g_array_unref (self->rung_parents);
  g_array_unref (self->rung_trials);
  g_free (self);
}

const char *
hs_scheduler_get_method (HsScheduler *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->klass->method;
}

HsSearchSpace *
hs_scheduler_get_space (HsScheduler *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->space;
}

const HsSchedulerOptions *
hs_scheduler_get_options (HsScheduler *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->options;
}

void
hs_bracket_plan_halving (HsBracketPlan *plan, guint n, gdouble r, guint eta, guint s)
{
  guint64 divisor = 1;

  g_assert (s < HS_MAX_RUNGS);

  plan->s = s;
  plan->n_rungs = s + 1;
  for (guint i = 0; i <= s; i++)
    {
      /* floor(n / η^i) in integers; equal to keeping floor(n_{i-1} / η)
       * at each step, as Algorithm 1 does. */
      plan->n_configs[i] = (guint) (n / divisor);
      plan->budget[i] = r * (gdouble) divisor;
      plan->epochs[i] = MAX (1, (guint) floor (plan->budget[i] + 0.5));
      divisor *= eta;
    }
}

GArray *
hs_scheduler_get_schedule (HsScheduler *self)
{
  GArray *rungs;
  guint n_brackets;

  g_return_val_if_fail (self != NULL, NULL);

  rungs = g_array_new (FALSE, FALSE, sizeof (HsRung));
  n_brackets = self->klass->n_brackets (self);
  for (guint b = 0; b < n_brackets; b++)
    {
      HsBracketPlan plan;

      self->klass->plan_bracket (self, b, &plan);
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

void
hs_scheduler_set_proposer (HsScheduler *self, HsProposeFunc func, gpointer user_data,
                           GDestroyNotify destroy)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->trials->len == 0);

  if (self->propose_destroy != NULL)
    self->propose_destroy (self->propose_data);
  self->propose = func;
  self->propose_data = user_data;
  self->propose_destroy = destroy;
}

GPtrArray *
hs_scheduler_sample (HsScheduler *self, guint n)
{
  g_return_val_if_fail (self != NULL, NULL);
  return hs_sampler_draw (self->sampler, n);
}

/* The configurations of a new bracket, from the proposer or the sampler. */
static GPtrArray *
propose (HsScheduler *self, guint n, GError **error)
{
  g_autoptr(GPtrArray) configs = NULL;

  if (self->propose == NULL)
    return hs_sampler_draw (self->sampler, n);

  configs = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_search_config_free);
  if (!self->propose (self, n, configs, self->propose_data, error))
    return NULL;
  if (configs->len != n)
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_FAILED,
                   "scheduler: the proposer gave %u configurations for a bracket of %u",
                   configs->len, n);
      return NULL;
    }
  return g_steal_pointer (&configs);
}

static gboolean
start_bracket (HsScheduler *self, GError **error)
{
  guint per_pass = self->klass->n_brackets (self);
  gboolean repeat = self->klass->repeat_with_budget && self->options.budget > 0;
  g_autoptr(GPtrArray) configs = NULL;
  HsBracketPlan plan;

  if (self->n_brackets_started >= per_pass && !repeat)
    {
      self->finished = TRUE;
      return TRUE;
    }
  self->klass->plan_bracket (self, self->n_brackets_started % per_pass, &plan);
  g_assert (plan.n_rungs >= 1 && plan.n_configs[0] >= 1);

  configs = propose (self, plan.n_configs[0], error);
  if (configs == NULL)
    return FALSE;

  self->plan = plan;
  self->in_bracket = TRUE;
  self->n_brackets_started++;
  self->rung = 0;
  g_ptr_array_set_size (self->rung_configs, 0);
  g_ptr_array_extend_and_steal (self->rung_configs, g_steal_pointer (&configs));
  g_array_set_size (self->rung_parents, 0);
  for (guint i = 0; i < self->rung_configs->len; i++)
    {
      gint none = -1;
      g_array_append_val (self->rung_parents, none);
    }
  g_array_set_size (self->rung_trials, 0);
  g_debug ("bracket %u (s = %u): %u configurations", self->n_brackets_started - 1, plan.s,
           plan.n_configs[0]);
  return TRUE;
}

/* Failed trials and NaN accuracies rank below every real accuracy. */
static gdouble
trial_score (const HsTrial *trial)
{
  if (trial->state != HS_TRIAL_DONE || isnan (trial->val_acc))
    return -INFINITY;
  return trial->val_acc;
}

typedef struct {
  guint position;   /* in the rung */
  gdouble score;
} Ranked;

static gint
compare_ranked (gconstpointer a, gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return x->position < y->position ? -1 : x->position > y->position;
}

/* The best floor(n_i / η) of the finished rung go on to the next, best
 * first, each continuing its own trial. */
static void
promote (HsScheduler *self)
{
  guint n = self->rung_trials->len;
  guint keep = self->plan.n_configs[self->rung + 1];
  g_autofree Ranked *ranked = g_new (Ranked, n);
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_search_config_free);
  g_autoptr(GArray) parents = g_array_new (FALSE, FALSE, sizeof (gint));

  for (guint i = 0; i < n; i++)
    {
      const HsTrial *trial = g_ptr_array_index (self->trials,
                                                g_array_index (self->rung_trials, guint, i));
      ranked[i] = (Ranked) { .position = i, .score = trial_score (trial) };
    }
  qsort (ranked, n, sizeof (Ranked), compare_ranked);
  for (guint i = 0; i < MIN (keep, n) && ranked[i].score != -INFINITY; i++)
    {
      guint id = g_array_index (self->rung_trials, guint, ranked[i].position);
      gint parent = (gint) id;

      g_ptr_array_add (configs, hs_search_config_copy (g_ptr_array_index (self->rung_configs,
                                                                          ranked[i].position)));
      g_array_append_val (parents, parent);
    }
  g_ptr_array_set_size (self->rung_configs, 0);
  g_ptr_array_extend_and_steal (self->rung_configs, g_steal_pointer (&configs));
  g_array_set_size (self->rung_parents, 0);
  g_array_append_vals (self->rung_parents, parents->data, parents->len);
  g_array_set_size (self->rung_trials, 0);
  self->rung++;
}

static gboolean
rung_has_pending (HsScheduler *self)
{
  for (guint i = 0; i < self->rung_trials->len; i++)
    {
      const HsTrial *trial = g_ptr_array_index (self->trials,
                                                g_array_index (self->rung_trials, guint, i));
      if (trial->state == HS_TRIAL_PENDING)
        return TRUE;
    }
  return FALSE;
}

static HsSchedulerStatus
waiting_or_done (HsScheduler *self)
{
  return self->n_pending > 0 ? HS_SCHEDULER_WAIT : HS_SCHEDULER_DONE;
}

HsSchedulerStatus
hs_scheduler_next (HsScheduler *self, const HsTrial **trial_out, GError **error)
{
  g_return_val_if_fail (self != NULL, HS_SCHEDULER_ERROR);
  g_return_val_if_fail (trial_out != NULL, HS_SCHEDULER_ERROR);

  *trial_out = NULL;
  for (;;)
    {
      if (self->finished || self->exhausted)
        return waiting_or_done (self);

      if (!self->in_bracket)
        {
          if (!start_bracket (self, error))
            return HS_SCHEDULER_ERROR;
          continue;
        }

      if (self->rung_trials->len < self->rung_configs->len)
        {
          guint i = self->rung_trials->len;
          const HsSearchConfig *config = g_ptr_array_index (self->rung_configs, i);
          guint from = self->rung == 0 ? 0 : self->plan.epochs[self->rung - 1];
          guint to = self->plan.epochs[self->rung];
          HsTrial *trial;

          /* A trial that would go past the budget is not started: the
           * search ends there, having spent at most the budget. */
          if (self->options.budget > 0 && self->epochs_issued + (to - from) > self->options.budget)
            {
              g_debug ("budget of %" G_GUINT64_FORMAT " epochs spent", self->options.budget);
              self->exhausted = TRUE;
              continue;
            }
          trial = g_new0 (HsTrial, 1);
          trial->id = self->trials->len;
          trial->config_id = g_strdup (config->id);
          trial->config_json = g_strdup (config->json);
          trial->from_epoch = from;
          trial->to_epoch = to;
          trial->parent = g_array_index (self->rung_parents, gint, i);
          trial->bracket = self->plan.s;
          trial->bracket_index = self->n_brackets_started - 1;
          trial->rung = self->rung;
          trial->state = HS_TRIAL_PENDING;
          trial->val_acc = NAN;
          g_ptr_array_add (self->trials, trial);
          g_array_append_val (self->rung_trials, trial->id);
          self->n_pending++;
          self->epochs_issued += to - from;
          *trial_out = trial;
          return HS_SCHEDULER_TRIAL;
        }

      if (rung_has_pending (self))
        return HS_SCHEDULER_WAIT;

      if (self->rung + 1 >= self->plan.n_rungs)
        self->in_bracket = FALSE;
      else
        {
          promote (self);
          /* Every trial of the rung failed: nothing to continue. */
          if (self->rung_configs->len == 0)
            self->in_bracket = FALSE;
        }
    }
}

static HsTrial *
pending_trial (HsScheduler *self, guint trial_id, GError **error)
{
  HsTrial *trial;

  if (trial_id >= self->trials->len)
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_TRIAL,
                   "scheduler: no trial %u was handed out", trial_id);
      return NULL;
    }
  trial = g_ptr_array_index (self->trials, trial_id);
  if (trial->state != HS_TRIAL_PENDING)
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_TRIAL,
                   "scheduler: trial %u (“%s”) already has a result", trial_id, trial->config_id);
      return NULL;
    }
  return trial;
}

static void
complete_trial (HsScheduler *self, HsTrial *trial, const gdouble *val_acc, guint n_epochs,
                gdouble seconds)
{
  trial->state = HS_TRIAL_DONE;
  trial->curve = g_array_sized_new (FALSE, FALSE, sizeof (gdouble), n_epochs);
  g_array_append_vals (trial->curve, val_acc, n_epochs);
  trial->val_acc = val_acc[n_epochs - 1];
  trial->seconds = seconds;
  self->n_pending--;
  self->epochs_spent += trial->to_epoch - trial->from_epoch;
  self->seconds_spent += seconds;
}

gboolean
hs_scheduler_report (HsScheduler *self, guint trial_id, const gdouble *val_acc,
                     const gdouble *seconds, guint n_epochs, GError **error)
{
  HsTrial *trial;
  gdouble total = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (val_acc != NULL || n_epochs == 0, FALSE);

  trial = pending_trial (self, trial_id, error);
  if (trial == NULL)
    return FALSE;
  if (n_epochs != trial->to_epoch - trial->from_epoch)
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_TRIAL,
                   "scheduler: trial %u (“%s”) trains epochs %u–%u, %u of them; the report "
                   "has %u", trial_id, trial->config_id, trial->from_epoch + 1, trial->to_epoch,
                   trial->to_epoch - trial->from_epoch, n_epochs);
      return FALSE;
    }
  for (guint i = 0; seconds != NULL && i < n_epochs; i++)
    total += seconds[i];
  complete_trial (self, trial, val_acc, n_epochs, total);
  return TRUE;
}

gboolean
hs_scheduler_report_failure (HsScheduler *self, guint trial_id, const char *message,
                             GError **error)
{
  HsTrial *trial;

  g_return_val_if_fail (self != NULL, FALSE);

  trial = pending_trial (self, trial_id, error);
  if (trial == NULL)
    return FALSE;
  trial->state = HS_TRIAL_FAILED;
  trial->message = g_strdup (message != NULL ? message : "");
  self->n_pending--;
  return TRUE;
}

gboolean
hs_scheduler_run (HsScheduler *self, HsEvaluator *evaluator, HsTrialFunc callback,
                  gpointer user_data, GCancellable *cancellable, GError **error)
{
  g_autoptr(GArray) val_acc = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr(GArray) seconds = g_array_new (FALSE, FALSE, sizeof (gdouble));

  g_return_val_if_fail (self != NULL && evaluator != NULL, FALSE);

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      const HsTrial *trial = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      switch (hs_scheduler_next (self, &trial, error))
        {
        case HS_SCHEDULER_TRIAL:
          break;
        case HS_SCHEDULER_DONE:
          return TRUE;
        case HS_SCHEDULER_ERROR:
          return FALSE;
        case HS_SCHEDULER_WAIT:
          g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_TRIAL,
                       "scheduler: %u trials handed out earlier have no result; a synchronous "
                       "run cannot wait for them", self->n_pending);
          return FALSE;
        }

      if (!hs_evaluator_evaluate (evaluator, trial, val_acc, seconds, &local_error))
        {
          hs_scheduler_report_failure (self, trial->id, local_error->message, NULL);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!hs_scheduler_report (self, trial->id, (const gdouble *) val_acc->data,
                                (const gdouble *) seconds->data, val_acc->len, error))
        return FALSE;
      if (callback != NULL)
        callback (self, trial, user_data);
    }
}

gboolean
hs_scheduler_restore (HsScheduler *self, const HsTrial *const *trials, guint n_trials,
                      GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (trials != NULL || n_trials == 0, FALSE);
  g_return_val_if_fail (self->trials->len == 0, FALSE);

  for (guint i = 0; i < n_trials; i++)
    {
      const HsTrial *stored = trials[i];
      const HsTrial *trial = NULL;
      HsSchedulerStatus status = hs_scheduler_next (self, &trial, error);

      if (status == HS_SCHEDULER_ERROR)
        return FALSE;
      if (status != HS_SCHEDULER_TRIAL || stored->id != trial->id ||
          g_strcmp0 (stored->config_id, trial->config_id) != 0 ||
          stored->from_epoch != trial->from_epoch || stored->to_epoch != trial->to_epoch)
        {
          g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_TRIAL,
                       "scheduler: stored trial %u (“%s”, epochs %u–%u) is not what this "
                       "search hands out next (other options, seed or space?)", stored->id,
                       stored->config_id, stored->from_epoch + 1, stored->to_epoch);
          return FALSE;
        }
      if (stored->state == HS_TRIAL_DONE)
        {
          guint n_epochs = trial->to_epoch - trial->from_epoch;
          g_autoptr(GArray) curve = g_array_new (FALSE, FALSE, sizeof (gdouble));

          /* A store that kept only the final accuracy still restores the
           * search: promotions look at nothing else. */
          if (stored->curve != NULL && stored->curve->len == n_epochs)
            g_array_append_vals (curve, stored->curve->data, n_epochs);
          else
            {
              gdouble nan_value = NAN;
              for (guint e = 0; e + 1 < n_epochs; e++)
                g_array_append_val (curve, nan_value);
              g_array_append_val (curve, stored->val_acc);
            }
          complete_trial (self, (HsTrial *) trial, (const gdouble *) curve->data, n_epochs,
                          stored->seconds);
        }
      else if (stored->state == HS_TRIAL_FAILED &&
               !hs_scheduler_report_failure (self, trial->id, stored->message, error))
        return FALSE;
    }
  return TRUE;
}

GPtrArray *
hs_scheduler_get_trials (HsScheduler *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->trials;
}

const HsTrial *
hs_scheduler_get_trial (HsScheduler *self, guint trial_id)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (trial_id < self->trials->len, NULL);
  return g_ptr_array_index (self->trials, trial_id);
}

const HsTrial *
hs_scheduler_get_best (HsScheduler *self)
{
  const HsTrial *best = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->trials->len; i++)
    {
      const HsTrial *trial = g_ptr_array_index (self->trials, i);
      gdouble score = trial_score (trial);

      if (score == -INFINITY)
        continue;
      if (best == NULL || score > best->val_acc ||
          (score == best->val_acc && trial->to_epoch > best->to_epoch))
        best = trial;
    }
  return best;
}

guint64
hs_scheduler_get_epochs_spent (HsScheduler *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->epochs_spent;
}

guint64
hs_scheduler_get_epochs_issued (HsScheduler *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->epochs_issued;
}

gdouble
hs_scheduler_get_seconds_spent (HsScheduler *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->seconds_spent;
}

gboolean
hs_scheduler_budget_exhausted (HsScheduler *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->exhausted;
}
