/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BOHB as a scheduler: Hyperband's schedule and promotions, exactly
 * Hyperband's draws while no model exists, proposals that concentrate
 * near the optimum of a synthetic objective once one does (and a better
 * final result than random search), failed trials steering the model
 * away, reproducible runs and restores, grids, ids, and options.
 *
 * The objective is noise-free: a configuration's accuracy after e epochs
 * is f(config) − 0.2 e^(−e/4), so every budget ranks configurations as f
 * does, f peaking at lr = 10^−2.5 (and dropout 0.1, optimizer "adam").
 */
#include <math.h>
#include <string.h>

#include "hs-test-hpo.h"

/* ---- spaces and the synthetic objective ---- */

/* 2-D: lr in [1e-5, 1] (log) and dropout in [0, 0.5]. */
static const char *const space2_json =
  "{\"dimensions\": ["
  " {\"name\": \"lr\", \"type\": \"float\", \"min\": 1e-5, \"max\": 1, \"log\": true},"
  " {\"name\": \"dropout\", \"type\": \"float\", \"min\": 0, \"max\": 0.5}]}";

/* 1-D: lr only. */
static const char *const space1_json =
  "{\"dimensions\": ["
  " {\"name\": \"lr\", \"type\": \"float\", \"min\": 1e-5, \"max\": 1, \"log\": true}]}";

/* Mixed: lr, an optimizer, an int. */
static const char *const mixed_json =
  "{\"dimensions\": ["
  " {\"name\": \"lr\", \"type\": \"float\", \"min\": 1e-5, \"max\": 1, \"log\": true},"
  " {\"name\": \"optimizer\", \"type\": \"categorical\", \"choices\": [\"sgd\", \"adam\", \"rmsprop\"]},"
  " {\"name\": \"batch_size\", \"type\": \"int\", \"min\": 16, \"max\": 256, \"log\": true}]}";

static HsSearchSpace *
space_new (const char *json)
{
  g_autoptr(GError) error = NULL;
  HsSearchSpace *space = hs_search_space_new_from_json (json, &error);

  g_assert_no_error (error);
  return space;
}

static gdouble
member_or (JsonObject *object, const char *key, gdouble fallback)
{
  return json_object_has_member (object, key) ? json_object_get_double_member (object, key)
                                              : fallback;
}

/* f = 1 − (log10 lr + 2.5)² / 10 − 2 (dropout − 0.1)² − 0.15 [optimizer ≠ adam];
 * keys a configuration lacks cost nothing. */
static gdouble
objective (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  gdouble lr, dropout, f;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  lr = member_or (object, "lr", pow (10, -2.5));
  dropout = member_or (object, "dropout", 0.1);
  f = 1 - pow (log10 (lr) + 2.5, 2) / 10 - 2 * pow (dropout - 0.1, 2);
  if (json_object_has_member (object, "optimizer") &&
      g_strcmp0 (json_object_get_string_member (object, "optimizer"), "adam") != 0)
    f -= 0.15;
  return f;
}

static gdouble
accuracy_at (gdouble f, guint epoch)
{
  return f - 0.2 * exp (-(gdouble) epoch / 4);
}

static gboolean
synthetic_evaluate (const HsTrial *trial, GArray *val_acc, GArray *seconds, gpointer user_data,
                    GError **error)
{
  gdouble f = objective (trial->config_json);

  for (guint e = trial->from_epoch + 1; e <= trial->to_epoch; e++)
    {
      gdouble acc = accuracy_at (f, e), secs = 1;

      g_array_append_val (val_acc, acc);
      g_array_append_val (seconds, secs);
    }
  return TRUE;
}

static HsEvaluator *
synthetic_evaluator (void)
{
  return hs_evaluator_new (synthetic_evaluate, NULL, NULL);
}

/* Distance to the optimum in the unit square of the 2-D space. */
static gdouble
distance2 (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  gdouble du, dv;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  du = (log10 (json_object_get_double_member (object, "lr")) + 2.5) / 5;
  dv = (member_or (object, "dropout", 0.1) - 0.1) / 0.5;
  return sqrt (du * du + dv * dv);
}

static gint
compare_double (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

static gdouble
median (GArray *values)
{
  g_autoptr(GArray) sorted = g_array_copy (values);
  guint n = sorted->len;

  g_assert_cmpuint (n, >, 0);
  g_array_sort (sorted, compare_double);
  return n % 2 ? g_array_index (sorted, gdouble, n / 2)
               : (g_array_index (sorted, gdouble, n / 2 - 1) + g_array_index (sorted, gdouble, n / 2)) / 2;
}

static HsSchedulerOptions
options_for (guint R, guint eta, guint64 budget, guint32 seed)
{
  HsSchedulerOptions options;

  hs_scheduler_options_init (&options);
  options.max_epochs = R;
  options.eta = eta;
  options.budget = budget;
  options.seed = seed;
  return options;
}

static HsScheduler *
bohb_new (HsSearchSpace *space, guint R, guint eta, guint64 budget, guint32 seed,
          const HsBohbOptions *bohb)
{
  g_autoptr(GError) error = NULL;
  HsSchedulerOptions options = options_for (R, eta, budget, seed);
  HsScheduler *scheduler;

  scheduler = hs_bohb_new (space, &options, bohb, &error);
  g_assert_no_error (error);
  g_assert_nonnull (scheduler);
  return scheduler;
}

static HsScheduler *
hyperband_new (HsSearchSpace *space, guint R, guint eta, guint64 budget, guint32 seed)
{
  g_autoptr(GError) error = NULL;
  HsSchedulerOptions options = options_for (R, eta, budget, seed);
  HsScheduler *scheduler;

  scheduler = hs_hyperband_new (space, &options, &error);
  g_assert_no_error (error);
  return scheduler;
}

static void
run (HsScheduler *scheduler)
{
  g_autoptr(HsEvaluator) evaluator = synthetic_evaluator ();
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_scheduler_run (scheduler, evaluator, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* The first n trials of a and b are the same (all of both when n = 0). */
static void
assert_same_trials (HsScheduler *a, HsScheduler *b, guint n)
{
  GPtrArray *ta = hs_scheduler_get_trials (a), *tb = hs_scheduler_get_trials (b);

  if (n == 0)
    {
      g_assert_cmpuint (ta->len, ==, tb->len);
      n = ta->len;
    }
  g_assert_cmpuint (ta->len, >=, n);
  g_assert_cmpuint (tb->len, >=, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *x = hs_test_trial_text (ta->pdata[i]);
      g_autofree char *y = hs_test_trial_text (tb->pdata[i]);

      g_assert_cmpstr (x, ==, y);
    }
}

static guint
count_model_configs (HsScheduler *scheduler)
{
  GPtrArray *trials = hs_scheduler_get_trials (scheduler);
  guint n = 0;

  for (guint i = 0; i < trials->len; i++)
    {
      const HsTrial *trial = trials->pdata[i];

      n += trial->rung == 0 && trial->config_id[0] == 'b';
    }
  return n;
}

/* ---- Hyperband's schedule and promotions ---- */

/* Each (bracket, rung) has the schedule's n_i trials at its epochs, and
 * each rung after the first holds the top floor(n_i / η) of the one
 * before, best first, continuing their trials. */
static void
assert_follows_schedule (HsScheduler *scheduler, guint R, guint eta)
{
  GPtrArray *trials = hs_scheduler_get_trials (scheduler);
  g_autoptr(GArray) schedule = hs_hyperband_schedule (R, eta);
  guint s_max = hs_hyperband_get_s_max (R, eta);
  guint start = 0;

  /* Whole passes, one after another (a budget of whole passes). */
  for (guint k = 0; start < trials->len; k = (k + 1) % schedule->len)
    {
      const HsRung *rung = &g_array_index (schedule, HsRung, k);
      guint pass = ((HsTrial *) trials->pdata[start])->bracket_index / (s_max + 1);
      guint end = start + rung->n_configs;

      g_assert_cmpuint (end, <=, trials->len);
      for (guint i = start; i < end; i++)
        {
          const HsTrial *trial = trials->pdata[i];

          g_assert_cmpuint (trial->bracket, ==, rung->bracket);
          g_assert_cmpuint (trial->bracket_index, ==, pass * (s_max + 1) + s_max - rung->bracket);
          g_assert_cmpuint (trial->rung, ==, rung->rung);
          g_assert_cmpuint (trial->to_epoch, ==, rung->epochs);
          g_assert_cmpuint (trial->from_epoch, ==, rung->rung == 0 ? 0 : (rung - 1)->epochs);
        }
      if (rung->rung > 0)
        {
          guint prev_n = (rung - 1)->n_configs, prev_start = start - prev_n;
          g_autofree HsTestRanked *ranked = g_new (HsTestRanked, prev_n);

          g_assert_cmpuint (rung->n_configs, ==, prev_n / eta);
          for (guint i = 0; i < prev_n; i++)
            ranked[i] = (HsTestRanked) { i, ((HsTrial *) trials->pdata[prev_start + i])->val_acc };
          qsort (ranked, prev_n, sizeof (HsTestRanked), hs_test_compare_ranked);
          for (guint i = 0; i < rung->n_configs; i++)
            {
              const HsTrial *promoted = trials->pdata[start + i];
              const HsTrial *parent = trials->pdata[prev_start + ranked[i].position];

              g_assert_cmpint (promoted->parent, ==, (gint) parent->id);
              g_assert_cmpstr (promoted->config_id, ==, parent->config_id);
              g_assert_cmpstr (promoted->config_json, ==, parent->config_json);
            }
        }
      start = end;
      if (start == trials->len)
        g_assert_cmpuint (k, ==, schedule->len - 1);
    }
}

static void
test_schedule (void)
{
  static const guint cases[][2] = { { 81, 3 }, { 27, 3 }, { 16, 2 }, { 10, 3 }, { 9, 3 } };
  /* Li et al. 2018, Table 1 (R = 81, η = 3): the first rung of each bracket. */
  static const guint li_n[] = { 81, 34, 15, 8, 5 }, li_r[] = { 1, 3, 9, 27, 81 };
  g_autoptr(HsSearchSpace) space = space_new (mixed_json);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      guint R = cases[c][0], eta = cases[c][1];
      g_autoptr(HsScheduler) bohb = bohb_new (space, R, eta, 0, c, NULL);
      g_autoptr(HsScheduler) hb = hyperband_new (space, R, eta, 0, c);
      g_autoptr(GArray) mine = hs_scheduler_get_schedule (bohb);
      g_autoptr(GArray) theirs = hs_hyperband_schedule (R, eta);

      g_test_message ("R = %u, eta = %u", R, eta);
      g_assert_cmpstr (hs_scheduler_get_method (bohb), ==, "bohb");
      g_assert_cmpuint (mine->len, ==, theirs->len);
      for (guint k = 0; k < mine->len; k++)
        {
          const HsRung *a = &g_array_index (mine, HsRung, k);
          const HsRung *b = &g_array_index (theirs, HsRung, k);

          g_assert_cmpuint (a->bracket, ==, b->bracket);
          g_assert_cmpuint (a->rung, ==, b->rung);
          g_assert_cmpuint (a->n_configs, ==, b->n_configs);
          g_assert_cmpuint (a->epochs, ==, b->epochs);
          g_assert_cmpfloat (a->budget, ==, b->budget);
        }
      if (R == 81)
        for (guint s = 0, k = 0; s < 5; k += 5 - s, s++)
          {
            g_assert_cmpuint (g_array_index (mine, HsRung, k).n_configs, ==, li_n[s]);
            g_assert_cmpuint (g_array_index (mine, HsRung, k).epochs, ==, li_r[s]);
          }

      run (bohb);
      run (hb);
      assert_follows_schedule (bohb, R, eta);
      g_assert_cmpuint (hs_scheduler_get_trials (bohb)->len, ==, hs_scheduler_get_trials (hb)->len);
      g_assert_cmpuint (hs_scheduler_get_epochs_spent (bohb), ==, hs_scheduler_get_epochs_spent (hb));
      g_assert_false (hs_scheduler_budget_exhausted (bohb));
    }

  /* With a budget, passes repeat until it is spent, as Hyperband's do. */
  {
    g_autoptr(HsScheduler) bohb = bohb_new (space, 27, 3, 1000, 1, NULL);
    GPtrArray *trials;

    run (bohb);
    trials = hs_scheduler_get_trials (bohb);
    g_assert_true (hs_scheduler_budget_exhausted (bohb));
    g_assert_cmpuint (hs_scheduler_get_epochs_spent (bohb), <=, 1000);
    g_assert_cmpuint (hs_scheduler_get_epochs_spent (bohb) + 27, >, 1000);
    g_assert_cmpuint (((HsTrial *) trials->pdata[trials->len - 1])->bracket_index, >=, 8);
  }
}

/* ---- no model yet: Hyperband's draws ---- */

static void
test_random_before_model (void)
{
  g_autoptr(HsSearchSpace) space = space_new (mixed_json);
  HsBohbOptions never, always_random;

  /* The first bracket (27 configurations from rung 0 on, 40 trials) is
   * Hyperband's with the same seed, trial for trial, and its
   * configurations are the sampler's first 27 draws, s1 … s27. */
  for (guint32 seed = 0; seed < 4; seed++)
    {
      g_autoptr(HsScheduler) bohb = bohb_new (space, 27, 3, 0, seed, NULL);
      g_autoptr(HsScheduler) hb = hyperband_new (space, 27, 3, 0, seed);
      g_autoptr(HsSampler) sampler = hs_sampler_new (space, seed);
      g_autoptr(GPtrArray) draws = hs_sampler_draw (sampler, 27);
      GPtrArray *trials;
      guint n_model_next = 0;

      run (bohb);
      run (hb);
      assert_same_trials (bohb, hb, 40);
      trials = hs_scheduler_get_trials (bohb);
      for (guint i = 0; i < 27; i++)
        {
          const HsSearchConfig *draw = draws->pdata[i];
          const HsTrial *trial = trials->pdata[i];

          g_assert_cmpstr (trial->config_id, ==, draw->id);
          g_assert_cmpstr (trial->config_json, ==, draw->json);
        }
      /* …and the next bracket has a model (budget 3 has 9 observations,
       * N_min + 2 = 6): most of its 12 configurations come from it. */
      for (guint i = 40; i < 52; i++)
        n_model_next += ((HsTrial *) trials->pdata[i])->config_id[0] == 'b';
      g_test_message ("seed %u: %u of 12 from the model in bracket 1", seed, n_model_next);
      g_assert_cmpuint (n_model_next, >=, 4);
      g_assert_cmpuint (((HsTrial *) trials->pdata[40])->bracket_index, ==, 1);
    }

  /* A model that never has enough points, or a random fraction of 1:
   * Hyperband's whole search, over two passes. */
  hs_bohb_options_init (&never);
  never.min_points_in_model = 1000;
  hs_bohb_options_init (&always_random);
  always_random.random_fraction = 1;
  for (guint32 seed = 0; seed < 3; seed++)
    {
      g_autoptr(HsScheduler) a = bohb_new (space, 27, 3, 714, seed, &never);
      g_autoptr(HsScheduler) b = bohb_new (space, 27, 3, 714, seed, &always_random);
      g_autoptr(HsScheduler) hb = hyperband_new (space, 27, 3, 714, seed);

      run (a);
      run (b);
      run (hb);
      g_assert_cmpuint (hs_scheduler_get_trials (hb)->len, ==, 2 * 69);
      assert_same_trials (a, hb, 0);
      assert_same_trials (b, hb, 0);
      g_assert_cmpuint (count_model_configs (a), ==, 0);
    }
}

/* ---- the model ---- */

/* The model's proposals (b-ids, rung 0) against as many random draws from
 * the same seed: distances to the optimum in the unit square. */
static void
test_model_concentrates (void)
{
  g_autoptr(HsSearchSpace) space = space_new (space2_json);
  g_autoptr(GArray) all_model = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr(GArray) all_random = g_array_new (FALSE, FALSE, sizeof (gdouble));
  gdouble model_median, random_median;

  for (guint32 seed = 0; seed < 5; seed++)
    {
      /* Three passes of R = 27, η = 3. */
      g_autoptr(HsScheduler) bohb = bohb_new (space, 27, 3, 3 * 357, seed, NULL);
      g_autoptr(GArray) model = g_array_new (FALSE, FALSE, sizeof (gdouble));
      g_autoptr(GArray) random = g_array_new (FALSE, FALSE, sizeof (gdouble));
      g_autoptr(HsSampler) sampler = hs_sampler_new (space, seed);
      g_autoptr(GPtrArray) draws = NULL;
      GPtrArray *trials;

      run (bohb);
      trials = hs_scheduler_get_trials (bohb);
      for (guint i = 0; i < trials->len; i++)
        {
          const HsTrial *trial = trials->pdata[i];
          gdouble d;

          if (trial->rung != 0 || trial->config_id[0] != 'b')
            continue;
          d = distance2 (trial->config_json);
          g_array_append_val (model, d);
          g_array_append_val (all_model, d);
        }
      draws = hs_sampler_draw (sampler, model->len);
      for (guint i = 0; i < draws->len; i++)
        {
          gdouble d = distance2 (((HsSearchConfig *) draws->pdata[i])->json);

          g_array_append_val (random, d);
          g_array_append_val (all_random, d);
        }
      g_test_message ("seed %u: %u model proposals, median distance %.4f (random %.4f)", seed,
                      model->len, median (model), median (random));
      g_assert_cmpuint (model->len, >=, 40);
      g_assert_cmpfloat (median (model), <, 0.5 * median (random));
    }
  model_median = median (all_model);
  random_median = median (all_random);
  g_test_message ("all seeds: %u model proposals, median distance %.4f, random %.4f (%.1fx)",
                  all_model->len, model_median, random_median, random_median / model_median);
  g_assert_cmpfloat (model_median, <, 0.25 * random_median);
}

/* The best accuracy at the full budget R. */
static gdouble
best_at_full_budget (HsScheduler *scheduler, guint R)
{
  GPtrArray *trials = hs_scheduler_get_trials (scheduler);
  gdouble best = -INFINITY;

  for (guint i = 0; i < trials->len; i++)
    {
      const HsTrial *trial = trials->pdata[i];

      if (trial->to_epoch == R && trial->state == HS_TRIAL_DONE)
        best = MAX (best, trial->val_acc);
    }
  return best;
}

/* The same epochs (two passes, 714) for BOHB and for random search (26
 * configurations to R): BOHB's final best is better on average, by a
 * clear margin, and on most seeds. */
static void
test_beats_random (void)
{
  g_autoptr(HsSearchSpace) space = space_new (space2_json);
  gdouble optimum = accuracy_at (1.0, 27);
  gdouble regret_bohb = 0, regret_random = 0, regret_hb = 0;
  guint n_seeds = 10, bohb_wins = 0;

  for (guint32 seed = 0; seed < n_seeds; seed++)
    {
      g_autoptr(HsScheduler) bohb = bohb_new (space, 27, 3, 714, seed, NULL);
      g_autoptr(HsScheduler) hb = hyperband_new (space, 27, 3, 714, seed);
      g_autoptr(HsScheduler) rs = NULL;
      g_autoptr(GError) error = NULL;
      HsSchedulerOptions options;
      gdouble b, r, h;

      hs_scheduler_options_init (&options);
      options.budget = 714;
      options.seed = seed;
      rs = hs_random_search_new (space, &options, &error);
      g_assert_no_error (error);
      run (bohb);
      run (hb);
      run (rs);
      g_assert_cmpuint (hs_scheduler_get_trials (rs)->len, ==, 26);
      g_assert_cmpuint (hs_scheduler_get_epochs_spent (bohb), <=, 714);
      b = optimum - best_at_full_budget (bohb, 27);
      r = optimum - best_at_full_budget (rs, 27);
      h = optimum - best_at_full_budget (hb, 27);
      g_test_message ("seed %u: regret bohb %.2e, random search %.2e, hyperband %.2e", seed, b, r, h);
      regret_bohb += b / n_seeds;
      regret_random += r / n_seeds;
      regret_hb += h / n_seeds;
      bohb_wins += b < r;
    }
  g_test_message ("mean regret: bohb %.2e, random search %.2e, hyperband %.2e; bohb better "
                  "than random search on %u of %u seeds", regret_bohb, regret_random, regret_hb,
                  bohb_wins, n_seeds);
  g_assert_cmpfloat (regret_bohb, <, 0.5 * regret_random);
  /* Hyperband is reported, not asserted against: on this smooth 2-D
   * objective its 98 random draws in two passes are about as good as the
   * model, which refines around the best few points at R (as HpBandSter's
   * does); BOHB's first bracket is Hyperband's, so it is never far behind. */
  g_assert_cmpuint (bohb_wins, >=, n_seeds / 2 + 1);
}

/* A categorical dimension: the model learns the good choice. */
static void
test_model_categorical (void)
{
  g_autoptr(HsSearchSpace) space = space_new (mixed_json);
  guint n_adam = 0, n_model = 0;

  for (guint32 seed = 0; seed < 3; seed++)
    {
      g_autoptr(HsScheduler) bohb = bohb_new (space, 27, 3, 3 * 357, seed, NULL);
      GPtrArray *trials;

      run (bohb);
      trials = hs_scheduler_get_trials (bohb);
      for (guint i = 0; i < trials->len; i++)
        {
          const HsTrial *trial = trials->pdata[i];

          if (trial->rung != 0 || trial->config_id[0] != 'b')
            continue;
          n_model++;
          n_adam += strstr (trial->config_json, "\"optimizer\": \"adam\"") != NULL;
          /* Ints stay ints in range. */
          g_assert_nonnull (strstr (trial->config_json, "\"batch_size\": "));
          g_assert_null (strstr (strstr (trial->config_json, "\"batch_size\": "), "."));
        }
    }
  g_test_message ("adam in %u of %u model proposals (random: 1/3)", n_adam, n_model);
  g_assert_cmpuint (n_model, >=, 100);
  g_assert_cmpfloat ((gdouble) n_adam / n_model, >, 0.6);
}

/* A search where training fails over a whole region goes on, and the
 * model's proposals stay where training works.  As with real divergence,
 * accuracy rises with lr up to the edge (f peaks at lr = 10^−1.5) and
 * training fails beyond it (lr > 0.01), so the good configurations crowd
 * the edge.  (That failures enter the model as the worst observations is
 * /bohb/failures-rank-last.) */
static void
test_failures_steer (void)
{
  g_autoptr(HsSearchSpace) space = space_new (space1_json);
  g_autoptr(HsScheduler) bohb = bohb_new (space, 27, 3, 3 * 357, 2, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) acc = g_array_new (FALSE, FALSE, sizeof (gdouble));
  guint n_model = 0, n_failing = 0, n_failed = 0;
  GPtrArray *trials;
  const HsTrial *trial;

  while (hs_scheduler_next (bohb, &trial, &error) == HS_SCHEDULER_TRIAL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gdouble lr, f;

      g_assert_true (json_parser_load_from_data (parser, trial->config_json, -1, NULL));
      lr = json_object_get_double_member (json_node_get_object (json_parser_get_root (parser)), "lr");
      f = 1 - pow (log10 (lr) + 1.5, 2) / 10;
      if (lr > 0.01)
        {
          g_assert_true (hs_scheduler_report_failure (bohb, trial->id, "diverged", &error));
          n_failed++;
          continue;
        }
      g_array_set_size (acc, 0);
      for (guint e = trial->from_epoch + 1; e <= trial->to_epoch; e++)
        {
          gdouble v = accuracy_at (f, e);
          g_array_append_val (acc, v);
        }
      g_assert_true (hs_scheduler_report (bohb, trial->id, (gdouble *) acc->data, NULL, acc->len,
                                          &error));
    }
  g_assert_no_error (error);
  trials = hs_scheduler_get_trials (bohb);
  for (guint i = 0; i < trials->len; i++)
    {
      trial = trials->pdata[i];
      if (trial->rung == 0 && trial->config_id[0] == 'b')
        {
          n_model++;
          n_failing += trial->state == HS_TRIAL_FAILED;
        }
    }
  g_test_message ("%u failed trials; %u of %u model proposals fail", n_failed, n_failing, n_model);
  g_assert_cmpuint (n_failed, >, 10);
  g_assert_cmpuint (n_model, >=, 40);
  g_assert_cmpfloat ((gdouble) n_failing / n_model, <, 0.1);
}

/* ---- reproducibility ---- */

static void
test_deterministic (void)
{
  g_autoptr(HsSearchSpace) space = space_new (mixed_json);
  g_autoptr(HsScheduler) a = bohb_new (space, 27, 3, 1000, 7, NULL);
  g_autoptr(HsScheduler) b = bohb_new (space, 27, 3, 1000, 7, NULL);
  g_autoptr(HsScheduler) c = bohb_new (space, 27, 3, 1000, 8, NULL);
  g_autoptr(HsScheduler) by_name = NULL;
  g_autoptr(GError) error = NULL;
  HsSchedulerOptions options;
  GPtrArray *ta, *tc;
  guint n_same = 0;

  run (a);
  run (b);
  run (c);
  assert_same_trials (a, b, 0);
  g_assert_cmpuint (count_model_configs (a), >, 50);
  ta = hs_scheduler_get_trials (a);
  tc = hs_scheduler_get_trials (c);
  for (guint i = 0; i < MIN (ta->len, tc->len); i++)
    n_same += g_str_equal (((HsTrial *) ta->pdata[i])->config_json,
                           ((HsTrial *) tc->pdata[i])->config_json);
  g_assert_cmpuint (n_same, <, 10);

  /* By name, with the default options: the same search as hs_bohb_new (…, NULL). */
  hs_scheduler_options_init (&options);
  options.budget = 1000;
  options.seed = 7;
  by_name = hs_scheduler_new ("bohb", space, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hs_scheduler_get_method (by_name), ==, "bohb");
  g_assert_true (hs_scheduler_get_space (by_name) == space);
  run (by_name);
  assert_same_trials (a, by_name, 0);
}

/* Reports what synthetic_evaluate gives (an HsTrialFunc). */
static void
report_synthetic (HsScheduler *scheduler, const HsTrial *trial, gpointer user_data)
{
  g_autoptr(GArray) acc = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr(GArray) secs = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr(GError) error = NULL;

  g_assert_true (synthetic_evaluate (trial, acc, secs, NULL, NULL));
  g_assert_true (hs_scheduler_report (scheduler, trial->id, (gdouble *) acc->data,
                                      (gdouble *) secs->data, acc->len, &error));
  g_assert_no_error (error);
}

/* A failed trial is an observation worse than every other, as HpBandSter
 * counts one: failing some first-rung trials, or reporting them with an
 * accuracy of 0 (below every real one, so that neither is promoted), gives
 * the same model and so the same search.  Were failures left out of the
 * model, the proposals would part. */
static void
run_failing (HsScheduler *scheduler, gboolean as_failure)
{
  g_autoptr(GError) error = NULL;
  const HsTrial *trial;
  guint n_bad = 0;

  while (hs_scheduler_next (scheduler, &trial, &error) == HS_SCHEDULER_TRIAL)
    {
      if (trial->rung == 0 && trial->id % 5 == 2)
        {
          g_autofree gdouble *zeros = g_new0 (gdouble, trial->to_epoch - trial->from_epoch);

          if (as_failure)
            g_assert_true (hs_scheduler_report_failure (scheduler, trial->id, "diverged", &error));
          else
            g_assert_true (hs_scheduler_report (scheduler, trial->id, zeros, NULL,
                                                trial->to_epoch - trial->from_epoch, &error));
          n_bad++;
          continue;
        }
      report_synthetic (scheduler, trial, NULL);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n_bad, >, 20);
}

static void
test_failures_rank_last (void)
{
  g_autoptr(HsSearchSpace) space = space_new (mixed_json);

  for (guint32 seed = 0; seed < 3; seed++)
    {
      g_autoptr(HsScheduler) failing = bohb_new (space, 27, 3, 1000, seed, NULL);
      g_autoptr(HsScheduler) zero = bohb_new (space, 27, 3, 1000, seed, NULL);

      run_failing (failing, TRUE);
      run_failing (zero, FALSE);
      assert_same_trials (failing, zero, 0);
      g_assert_cmpuint (count_model_configs (failing), >, 50);
    }
}

/* A daemon stops in bracket 2, after two brackets built with the model;
 * a new BOHB restored from the stored trials (with or without curves)
 * hands out the same trials from there on. */
static void
test_restore (void)
{
  /* Bracket 0 is trials 0–39, bracket 1 40–56, bracket 2 starts at 57:
   * stop at 60 with 58 and 59 still out and 45 failed. */
  static const HsTestStop stop = { 60, { 58, 59 }, 45 };
  g_autoptr(HsSearchSpace) space = space_new (mixed_json);
  g_autoptr(HsScheduler) first = bohb_new (space, 27, 3, 1000, 5, NULL);
  g_autoptr(GPtrArray) stored =
    g_ptr_array_new_with_free_func ((GDestroyNotify) hs_test_free_trial_copy);
  g_autoptr(GPtrArray) bare =
    g_ptr_array_new_with_free_func ((GDestroyNotify) hs_test_free_trial_copy);
  g_autoptr(GError) error = NULL;
  guint n_model_stored = 0;

  hs_test_run_to_stop (first, &stop, report_synthetic, NULL);
  g_assert_cmpuint (hs_scheduler_get_trial (first, 57)->bracket_index, ==, 2);
  for (guint i = 0; i < 60; i++)
    {
      g_ptr_array_add (stored, hs_test_copy_trial (hs_scheduler_get_trial (first, i), TRUE));
      g_ptr_array_add (bare, hs_test_copy_trial (hs_scheduler_get_trial (first, i), FALSE));
      n_model_stored += hs_scheduler_get_trial (first, i)->config_id[0] == 'b';
    }
  g_test_message ("%u of the 60 stored trials are model proposals", n_model_stored);
  g_assert_cmpuint (n_model_stored, >=, 5);

  for (guint variant = 0; variant < 2; variant++)
    {
      GPtrArray *from = variant == 0 ? stored : bare;
      g_autoptr(HsScheduler) a = bohb_new (space, 27, 3, 1000, 5, NULL);
      g_autoptr(HsScheduler) restored = bohb_new (space, 27, 3, 1000, 5, NULL);
      guint n_after;

      g_assert_true (hs_scheduler_restore (restored, (const HsTrial *const *) from->pdata,
                                           from->len, &error));
      g_assert_no_error (error);
      g_assert_cmpint (hs_scheduler_get_trial (restored, 58)->state, ==, HS_TRIAL_PENDING);
      g_assert_cmpint (hs_scheduler_get_trial (restored, 45)->state, ==, HS_TRIAL_FAILED);

      /* a: the first search again, through the same reports, then run on
       * without a stop, to compare against. */
      hs_test_run_to_stop (a, &stop, report_synthetic, NULL);
      assert_same_trials (a, first, 60);
      assert_same_trials (restored, first, 60);

      n_after = hs_test_finish_together (a, restored, &stop, report_synthetic, NULL);
      g_test_message ("variant %u: %u trials after the restore point", variant, n_after);
      g_assert_cmpuint (n_after, >, 50);
      g_assert_cmpuint (count_model_configs (restored), >, n_model_stored);
      g_assert_cmpstr (hs_scheduler_get_best (a)->config_id, ==,
                       hs_scheduler_get_best (restored)->config_id);
    }

  /* Another seed is refused, naming a stored trial. */
  {
    g_autoptr(HsScheduler) other = bohb_new (space, 27, 3, 1000, 6, NULL);

    g_assert_false (hs_scheduler_restore (other, (const HsTrial *const *) stored->pdata,
                                          stored->len, &error));
    g_assert_error (error, HS_HPO_ERROR, HS_HPO_ERROR_TRIAL);
    g_assert_nonnull (strstr (error->message, "stored trial"));
  }
}

/* ---- ids ---- */

static void
test_ids (void)
{
  g_autoptr(HsSearchSpace) space = space_new (mixed_json);
  g_autoptr(HsScheduler) bohb = bohb_new (space, 27, 3, 2000, 3, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *trials;
  guint next_s = 1, next_b = 1;

  run (bohb);
  trials = hs_scheduler_get_trials (bohb);
  for (guint i = 0; i < trials->len; i++)
    {
      const HsTrial *trial = trials->pdata[i];
      g_autofree char *expected = NULL;

      if (trial->rung > 0)
        {
          g_assert_cmpstr (trial->config_id, ==,
                           ((HsTrial *) trials->pdata[trial->parent])->config_id);
          continue;
        }
      /* Fresh configurations: s1, s2, … from the sampler and b1, b2, … from
       * the model, each counting up on its own, none used twice. */
      g_assert_false (g_hash_table_contains (seen, trial->config_id));
      g_hash_table_add (seen, trial->config_id);
      if (trial->config_id[0] == 's')
        expected = g_strdup_printf ("s%u", next_s++);
      else
        expected = g_strdup_printf ("b%u", next_b++);
      g_assert_cmpstr (trial->config_id, ==, expected);
      /* Compact JSON, in the order of the dimensions. */
      g_assert_true (g_str_has_prefix (trial->config_json, "{\"lr\": "));
      g_assert_nonnull (strstr (trial->config_json, ", \"optimizer\": \""));
    }
  g_test_message ("%u sampler draws, %u model proposals", next_s - 1, next_b - 1);
  g_assert_cmpuint (next_b - 1, >, next_s - 1);
}

/* ---- grids ---- */

/* lr = 10^(−5 + 5k/39) for k = 0 … 39, × {sgd, adam}: 80 configurations,
 * ids l00-sgd … l39-adam. */
static HsSearchSpace *
grid_space (guint n_lr)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) jsons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  HsSearchSpace *space;

  for (guint k = 0; k < n_lr; k++)
    for (guint o = 0; o < 2; o++)
      {
        gdouble lr = pow (10, -5 + 5.0 * k / (n_lr - 1));

        g_ptr_array_add (ids, g_strdup_printf ("l%02u-%s", k, o ? "adam" : "sgd"));
        g_ptr_array_add (jsons, g_strdup_printf ("{\"lr\": %.6g, \"optimizer\": \"%s\"}", lr,
                                                 o ? "adam" : "sgd"));
      }
  space = hs_search_space_new_grid (ids->len, (const char *const *) ids->pdata,
                                    (const char *const *) jsons->pdata, &error);
  g_assert_no_error (error);
  return space;
}

static void
test_grid (void)
{
  g_autoptr(HsSearchSpace) space = grid_space (40);
  gdouble regret_first = 0, regret_later = 0;
  guint n_first = 0, n_later = 0;

  for (guint32 seed = 0; seed < 3; seed++)
    {
      g_autoptr(HsScheduler) bohb = bohb_new (space, 27, 3, 2 * 357, seed, NULL);
      g_autoptr(HsScheduler) hb = hyperband_new (space, 27, 3, 2 * 357, seed);
      GPtrArray *trials;
      guint start = 0;

      run (bohb);
      run (hb);
      /* The first bracket is Hyperband's: the sampler's shuffled grid. */
      assert_same_trials (bohb, hb, 40);
      assert_follows_schedule (bohb, 27, 3);
      trials = hs_scheduler_get_trials (bohb);
      g_assert_cmpuint (trials->len, ==, 2 * 69);
      while (start < trials->len)
        {
          const HsTrial *head = trials->pdata[start];
          g_autoptr(GHashTable) in_bracket = g_hash_table_new (g_str_hash, g_str_equal);
          guint end = start;

          /* One bracket's first rung: every id a grid id with the grid's
           * JSON, none twice (each is at most 27 ≤ 80). */
          while (end < trials->len &&
                 ((HsTrial *) trials->pdata[end])->bracket_index == head->bracket_index &&
                 ((HsTrial *) trials->pdata[end])->rung == 0)
            {
              const HsTrial *trial = trials->pdata[end];
              gint index = hs_search_space_find_config (space, trial->config_id);
              gdouble regret = 1 - objective (trial->config_json);

              g_assert_cmpint (index, >=, 0);
              g_assert_cmpstr (trial->config_json, ==,
                               hs_search_space_get_config (space, (guint) index)->json);
              g_assert_false (g_hash_table_contains (in_bracket, trial->config_id));
              g_hash_table_add (in_bracket, trial->config_id);
              if (head->bracket_index == 0)
                regret_first += regret, n_first++;
              else
                regret_later += regret, n_later++;
              end++;
            }
          g_assert_cmpuint (end, >, start);
          while (end < trials->len &&
                 ((HsTrial *) trials->pdata[end])->bracket_index == head->bracket_index)
            end++;
          start = end;
        }
    }
  regret_first /= n_first;
  regret_later /= n_later;
  g_test_message ("grid: mean regret of new configurations %.4f in the random first bracket, "
                  "%.4f in the model's brackets", regret_first, regret_later);
  g_assert_cmpfloat (regret_later, <, 0.5 * regret_first);

  /* Brackets larger than the grid (6 configurations, brackets of 27 and 12):
   * every id is still a grid id. */
  {
    g_autoptr(HsSearchSpace) small = grid_space (3);
    g_autoptr(HsScheduler) bohb = bohb_new (small, 27, 3, 0, 1, NULL);
    GPtrArray *trials;

    run (bohb);
    trials = hs_scheduler_get_trials (bohb);
    g_assert_cmpuint (trials->len, ==, 69);
    for (guint i = 0; i < trials->len; i++)
      g_assert_cmpint (hs_search_space_find_config (small, ((HsTrial *) trials->pdata[i])->config_id), >=, 0);
  }
}

/* ---- options ---- */

static void
test_options (void)
{
  g_autoptr(HsSearchSpace) space = space_new (mixed_json);
  HsBohbOptions bohb;
  HsSchedulerOptions options;
  /* Case i spoils names[i % 5]. */
  static const char *const names[] = {
    "top_n_percent", "n_samples", "random_fraction", "bandwidth_factor", "min_bandwidth",
  };

  hs_bohb_options_init (&bohb);
  g_assert_cmpuint (bohb.min_points_in_model, ==, 0);
  g_assert_cmpuint (bohb.top_n_percent, ==, 15);
  g_assert_cmpuint (bohb.n_samples, ==, 64);
  g_assert_cmpfloat (bohb.random_fraction, ==, 1.0 / 3);
  g_assert_cmpfloat (bohb.bandwidth_factor, ==, 3);
  g_assert_cmpfloat (bohb.min_bandwidth, ==, 1e-3);

  hs_scheduler_options_init (&options);
  for (guint i = 0; i < G_N_ELEMENTS (names) * 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HsScheduler) scheduler = NULL;

      hs_bohb_options_init (&bohb);
      switch (i)
        {
        case 0: bohb.top_n_percent = 0; break;
        case 1: bohb.n_samples = 0; break;
        case 2: bohb.random_fraction = 1.5; break;
        case 3: bohb.bandwidth_factor = 0; break;
        case 4: bohb.min_bandwidth = 0; break;
        case 5: bohb.top_n_percent = 100; break;
        case 6: bohb.n_samples = 0; bohb.top_n_percent = 50; break;
        case 7: bohb.random_fraction = NAN; break;
        case 8: bohb.bandwidth_factor = INFINITY; break;
        case 9: bohb.min_bandwidth = -1; break;
        }
      scheduler = hs_bohb_new (space, &options, &bohb, &error);
      g_assert_null (scheduler);
      g_assert_error (error, HS_HPO_ERROR, HS_HPO_ERROR_OPTIONS);
      if (strstr (error->message, names[i % G_N_ELEMENTS (names)]) == NULL)
        g_error ("case %u: “%s” does not mention “%s”", i, error->message,
                 names[i % G_N_ELEMENTS (names)]);
    }

  /* Hyperband's own checks come first. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(HsScheduler) scheduler = NULL;

    options.eta = 1;
    scheduler = hs_scheduler_new ("bohb", space, &options, &error);
    g_assert_null (scheduler);
    g_assert_error (error, HS_HPO_ERROR, HS_HPO_ERROR_OPTIONS);
    g_assert_nonnull (strstr (error->message, "eta"));
  }
  /* Edges that are fine: no randomness, all random, the largest q. */
  hs_scheduler_options_init (&options);
  hs_bohb_options_init (&bohb);
  bohb.random_fraction = 0;
  bohb.top_n_percent = 99;
  {
    g_autoptr(HsScheduler) scheduler = hs_bohb_new (space, &options, &bohb, NULL);
    GPtrArray *trials;
    guint n_model_later = 0, n_later = 0;

    g_assert_nonnull (scheduler);
    run (scheduler);
    trials = hs_scheduler_get_trials (scheduler);
    /* With ρ = 0 every configuration after the first bracket is the model's. */
    for (guint i = 40; i < trials->len; i++)
      if (((HsTrial *) trials->pdata[i])->rung == 0)
        {
          n_later++;
          n_model_later += ((HsTrial *) trials->pdata[i])->config_id[0] == 'b';
        }
    g_assert_cmpuint (n_later, ==, 12 + 6 + 4);
    g_assert_cmpuint (n_model_later, ==, n_later);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bohb/schedule", test_schedule);
  g_test_add_func ("/bohb/random-before-model", test_random_before_model);
  g_test_add_func ("/bohb/model-concentrates", test_model_concentrates);
  g_test_add_func ("/bohb/beats-random", test_beats_random);
  g_test_add_func ("/bohb/categorical", test_model_categorical);
  g_test_add_func ("/bohb/failures-steer", test_failures_steer);
  g_test_add_func ("/bohb/failures-rank-last", test_failures_rank_last);
  g_test_add_func ("/bohb/deterministic", test_deterministic);
  g_test_add_func ("/bohb/restore", test_restore);
  g_test_add_func ("/bohb/ids", test_ids);
  g_test_add_func ("/bohb/grid", test_grid);
  g_test_add_func ("/bohb/options", test_options);
  return g_test_run ();
}
