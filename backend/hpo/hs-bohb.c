/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BOHB (see hs-bohb.h): Hyperband's bracket class under another name, and
 * a proposer that fits the TPE model on the results so far at the start of
 * each bracket.
 */
#define G_LOG_DOMAIN "hs-hpo"

#include <math.h>
#include <string.h>

#include "hs-bohb.h"
#include "hs-scheduler-private.h"
#include "hs-tpe.h"
#include "hs-vector-space.h"

typedef struct {
  HsBohbOptions options;    /* min_points_in_model resolved */
  HsVectorSpace *vspace;
  GRand *rand;
  GHashTable *vectors;      /* config id → gdouble[n_dims], NULL when it does not encode */
  guint n_model;            /* model configurations from dimensions so far: the b-ids */
} Bohb;

static void
bohb_free (Bohb *bohb)
{
  hs_vector_space_free (bohb->vspace);
  g_rand_free (bohb->rand);
  g_hash_table_unref (bohb->vectors);
  g_free (bohb);
}

void
hs_bohb_options_init (HsBohbOptions *bohb)
{
  g_return_if_fail (bohb != NULL);

  *bohb = (HsBohbOptions) {
    .min_points_in_model = 0,
    .top_n_percent = 15,
    .n_samples = 64,
    .random_fraction = 1.0 / 3.0,
    .bandwidth_factor = 3,
    .min_bandwidth = 1e-3,
  };
}

static gboolean
check_bohb_options (const HsBohbOptions *bohb, GError **error)
{
  const char *name = NULL;
  gdouble value = 0;

  if (bohb->top_n_percent < 1 || bohb->top_n_percent > 99)
    name = "top_n_percent", value = bohb->top_n_percent;
  else if (bohb->n_samples < 1)
    name = "n_samples", value = bohb->n_samples;
  else if (!(bohb->random_fraction >= 0 && bohb->random_fraction <= 1))
    name = "random_fraction", value = bohb->random_fraction;
  else if (!(bohb->bandwidth_factor > 0 && isfinite (bohb->bandwidth_factor)))
    name = "bandwidth_factor", value = bohb->bandwidth_factor;
  else if (!(bohb->min_bandwidth > 0 && isfinite (bohb->min_bandwidth)))
    name = "min_bandwidth", value = bohb->min_bandwidth;
  if (name == NULL)
    return TRUE;
  g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_OPTIONS,
               "bohb: “%s” is %g; it must be %s", name, value,
               g_str_equal (name, "top_n_percent") ? "in [1, 99]"
               : g_str_equal (name, "n_samples") ? "at least 1"
               : g_str_equal (name, "random_fraction") ? "in [0, 1]"
               : "positive and finite");
  return FALSE;
}

/* The vector of a trial's configuration, encoded once per id. */
static const gdouble *
trial_vector (Bohb *bohb, const HsTrial *trial)
{
  gdouble *vector;

  if (g_hash_table_lookup_extended (bohb->vectors, trial->config_id, NULL, (gpointer *) &vector))
    return vector;
  vector = g_new0 (gdouble, MAX (hs_vector_space_get_n_dims (bohb->vspace), 1));
  if (!hs_vector_space_encode (bohb->vspace, trial->config_id, trial->config_json, vector))
    {
      /* Not a configuration of this space (a stored trial from elsewhere):
       * it cannot inform the model. */
      g_debug ("bohb: configuration “%s” is not in the space; left out of the model",
               trial->config_id);
      g_clear_pointer (&vector, g_free);
    }
  g_hash_table_insert (bohb->vectors, g_strdup (trial->config_id), vector);
  return vector;
}

/* The model on the results so far; NULL while no budget has enough. */
static HsTpe *
fit_model (Bohb *bohb, HsScheduler *scheduler)
{
  guint n_dims = hs_vector_space_get_n_dims (bohb->vspace);
  GPtrArray *trials = hs_scheduler_get_trials (scheduler);
  g_autoptr(HsTpe) tpe = NULL;

  /* Nothing to model: every configuration is the same to a KDE. */
  if (n_dims == 0)
    return NULL;
  tpe = hs_tpe_new (n_dims, hs_vector_space_get_n_choices (bohb->vspace));
  for (guint i = 0; i < trials->len; i++)
    {
      const HsTrial *trial = g_ptr_array_index (trials, i);
      const gdouble *vector;

      if (trial->state == HS_TRIAL_PENDING || (vector = trial_vector (bohb, trial)) == NULL)
        continue;
      hs_tpe_add (tpe, trial->to_epoch, vector,
                  trial->state == HS_TRIAL_DONE ? trial->val_acc : -INFINITY);
    }
  if (!hs_tpe_fit (tpe, bohb->options.min_points_in_model, bohb->options.top_n_percent,
                   bohb->options.min_bandwidth))
    return NULL;
  return g_steal_pointer (&tpe);
}

static gboolean
better (gdouble score, gdouble best)
{
  return !isnan (score) && score > best;
}

/* The best of n_samples candidates from l, from dimensions. */
static HsSearchConfig *
propose_dimensions (Bohb *bohb, HsTpe *tpe)
{
  guint n_dims = hs_vector_space_get_n_dims (bohb->vspace);
  g_autofree gdouble *x = g_new (gdouble, n_dims);
  g_autofree gdouble *best_x = g_new (gdouble, n_dims);
  g_autofree char *id = NULL;
  g_autofree char *json = NULL;
  gdouble best = -INFINITY;

  for (guint j = 0; j < bohb->options.n_samples; j++)
    {
      gdouble score;

      hs_tpe_sample (tpe, bohb->options.bandwidth_factor, bohb->rand, x);
      hs_vector_space_snap (bohb->vspace, x);
      score = hs_tpe_score (tpe, x);
      /* The first candidate stands even if its score is not a number. */
      if (j == 0 || better (score, best))
        {
          best = isnan (score) ? -INFINITY : score;
          memcpy (best_x, x, sizeof (gdouble) * n_dims);
        }
    }
  id = g_strdup_printf ("b%u", ++bohb->n_model);
  json = hs_vector_space_to_json (bohb->vspace, best_x);
  return hs_search_config_new (id, json);
}

/* The same from a grid: each candidate moved to the nearest grid
 * configuration not in `used`, and scored there. */
static HsSearchConfig *
propose_grid (Bohb *bohb, HsTpe *tpe, HsSearchSpace *space, GHashTable *used)
{
  guint n_dims = hs_vector_space_get_n_dims (bohb->vspace);
  g_autofree gdouble *x = g_new (gdouble, n_dims);
  gdouble best = -INFINITY;
  guint best_index = 0;

  for (guint j = 0; j < bohb->options.n_samples; j++)
    {
      guint index;
      gdouble score;

      hs_tpe_sample (tpe, bohb->options.bandwidth_factor, bohb->rand, x);
      index = hs_vector_space_nearest (bohb->vspace, x, used);
      score = hs_tpe_score (tpe, hs_vector_space_get_grid_vector (bohb->vspace, index));
      if (j == 0 || better (score, best))
        {
          best = isnan (score) ? -INFINITY : score;
          best_index = index;
        }
    }
  g_hash_table_add (used, GUINT_TO_POINTER (best_index));
  return hs_search_config_copy (hs_search_space_get_config (space, best_index));
}

static gboolean
bohb_propose (HsScheduler *scheduler, guint n, GPtrArray *configs, gpointer user_data,
              GError **error)
{
  Bohb *bohb = user_data;
  HsSearchSpace *space = hs_scheduler_get_space (scheduler);
  g_autoptr(HsTpe) tpe = fit_model (bohb, scheduler);
  g_autofree gboolean *from_model = g_new0 (gboolean, n);
  g_autoptr(GPtrArray) random = NULL;
  g_autoptr(GHashTable) used = g_hash_table_new (NULL, NULL);
  guint n_random = 0, next_random = 0;

  /* Which configurations the model proposes: none without a model (no coin
   * is tossed then), else each with probability 1 − random_fraction. */
  for (guint i = 0; i < n; i++)
    {
      from_model[i] = tpe != NULL && g_rand_double (bohb->rand) >= bohb->options.random_fraction;
      n_random += !from_model[i];
    }
  /* The random ones in one draw, as Hyperband's bracket is drawn: from a
   * grid that keeps them distinct. */
  random = hs_scheduler_sample (scheduler, n_random);
  if (hs_search_space_is_grid (space))
    for (guint i = 0; i < random->len; i++)
      {
        const HsSearchConfig *config = g_ptr_array_index (random, i);

        g_hash_table_add (used, GUINT_TO_POINTER (hs_search_space_find_config (space, config->id)));
      }

  for (guint i = 0; i < n; i++)
    {
      if (!from_model[i])
        g_ptr_array_add (configs, hs_search_config_copy (g_ptr_array_index (random, next_random++)));
      else if (hs_search_space_is_grid (space))
        g_ptr_array_add (configs, propose_grid (bohb, tpe, space, used));
      else
        g_ptr_array_add (configs, propose_dimensions (bohb, tpe));
    }
  if (tpe != NULL)
    g_debug ("bohb: bracket of %u, %u from the model (budget %g: %u good, %u bad)", n,
             n - n_random, hs_tpe_get_budget (tpe), hs_kde_get_n_points (hs_tpe_get_good (tpe)),
             hs_kde_get_n_points (hs_tpe_get_bad (tpe)));
  return TRUE;
}

static const HsSchedulerClass bohb_class = {
  .method = "bohb",
  .n_brackets = hs_hyperband_n_brackets,
  .plan_bracket = hs_hyperband_plan_bracket,
  .repeat_with_budget = TRUE,
};

HsScheduler *
hs_bohb_new (HsSearchSpace *space, const HsSchedulerOptions *options, const HsBohbOptions *bohb_options,
             GError **error)
{
  HsBohbOptions defaults;
  HsScheduler *scheduler;
  Bohb *bohb;
  guint32 seeds[2];

  g_return_val_if_fail (space != NULL && options != NULL, NULL);

  if (bohb_options == NULL)
    {
      hs_bohb_options_init (&defaults);
      bohb_options = &defaults;
    }
  if (!hs_scheduler_check_options (options, error) || !check_bohb_options (bohb_options, error))
    return NULL;

  bohb = g_new0 (Bohb, 1);
  bohb->options = *bohb_options;
  bohb->vspace = hs_vector_space_new (space);
  /* A KDE in d dimensions needs more than d points (HpBandSter raises a
   * smaller N_min the same way). */
  bohb->options.min_points_in_model = MAX (bohb->options.min_points_in_model,
                                           hs_vector_space_get_n_dims (bohb->vspace) + 1);
  /* The sampler's GRand has the bare seed; "bohb" mixed in keeps the
   * model's stream from replaying the sampler's. */
  seeds[0] = options->seed;
  seeds[1] = 0x626f6862;
  bohb->rand = g_rand_new_with_seed_array (seeds, G_N_ELEMENTS (seeds));
  bohb->vectors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  scheduler = hs_scheduler_new_with_class (&bohb_class, space, options);
  hs_scheduler_set_proposer (scheduler, bohb_propose, bohb, (GDestroyNotify) bohb_free);
  return scheduler;
}
