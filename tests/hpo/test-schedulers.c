/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Schedulers: Hyperband's brackets against Li et al. 2018 (Table 1 and
 * Algorithm 1), successive halving's promotions, random search's seeded
 * draws, whole searches replayed over synthetic learning curves, asking
 * and telling out of order, restoring from stored trials, budgets, and
 * errors.
 */
#include <math.h>
#include <string.h>

#include "hs-test-hpo.h"

/* ---- a table of learning curves, as a replay sees one ---- */

typedef struct {
  GHashTable *rows;     /* config id → row + 1 */
  guint n_configs, n_epochs;
  gdouble *val_acc;     /* [row][epoch − 1] */
  guint lookups;        /* epochs looked up: what a replay "trained" */
} Table;

static Table *
table_new (guint n_configs, guint n_epochs)
{
  Table *table = g_new0 (Table, 1);

  table->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  table->n_configs = n_configs;
  table->n_epochs = n_epochs;
  table->val_acc = g_new0 (gdouble, n_configs * n_epochs);
  for (guint c = 0; c < n_configs; c++)
    g_hash_table_insert (table->rows, g_strdup_printf ("c%02u", c), GUINT_TO_POINTER (c + 1));
  return table;
}

static void
table_free (Table *table)
{
  g_hash_table_unref (table->rows);
  g_free (table->val_acc);
  g_free (table);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Table, table_free)

static gdouble *
table_at (Table *table, guint config, guint epoch)
{
  g_assert (config < table->n_configs && epoch >= 1 && epoch <= table->n_epochs);
  return &table->val_acc[config * table->n_epochs + epoch - 1];
}

static gboolean
table_lookup (const char *config_id, guint epoch, gdouble *val_acc, gdouble *seconds,
              gpointer user_data)
{
  Table *table = user_data;
  guint row = GPOINTER_TO_UINT (g_hash_table_lookup (table->rows, config_id));

  if (row == 0 || epoch < 1 || epoch > table->n_epochs)
    return FALSE;
  *val_acc = *table_at (table, row - 1, epoch);
  *seconds = 0.5;
  table->lookups++;
  return TRUE;
}

/* The table's grid: {"grid": {"c00": {"i": 0}, …}}. */
static HsSearchSpace *
table_space (Table *table)
{
  g_autoptr(GString) json = g_string_new ("{\"grid\": {");
  g_autoptr(GError) error = NULL;
  HsSearchSpace *space;

  for (guint c = 0; c < table->n_configs; c++)
    g_string_append_printf (json, "%s\"c%02u\": {\"i\": %u}", c ? ", " : "", c, c);
  g_string_append (json, "}}");
  space = hs_search_space_new_from_json (json->str, &error);
  g_assert_no_error (error);
  return space;
}

static guint
config_row (const char *id)
{
  g_assert (id[0] == 'c');
  return (guint) g_ascii_strtoull (id + 1, NULL, 10);
}

static const char *const dims_json =
  "{\"dimensions\": ["
  " {\"name\": \"lr\", \"type\": \"float\", \"min\": 1e-4, \"max\": 0.1, \"log\": true},"
  " {\"name\": \"optimizer\", \"type\": \"categorical\", \"choices\": [\"sgd\", \"adam\"]},"
  " {\"name\": \"batch_size\", \"type\": \"int\", \"min\": 16, \"max\": 256}]}";

/* ---- Hyperband's schedule ---- */

typedef struct {
  guint s, n, epochs;
} Expected;

static void
assert_schedule (guint R, guint eta, const Expected *expected, guint n_expected)
{
  g_autoptr(GArray) rungs = hs_hyperband_schedule (R, eta);

  g_test_message ("R = %u, eta = %u", R, eta);
  g_assert_cmpuint (rungs->len, ==, n_expected);
  for (guint k = 0; k < n_expected; k++)
    {
      const HsRung *rung = &g_array_index (rungs, HsRung, k);

      g_assert_cmpuint (rung->bracket, ==, expected[k].s);
      g_assert_cmpuint (rung->n_configs, ==, expected[k].n);
      g_assert_cmpuint (rung->epochs, ==, expected[k].epochs);
    }
}

/* Li et al. 2018, Table 1: R = 81, η = 3. */
static void
test_hyperband_li_table (void)
{
  static const Expected table1[] = {
    { 4, 81, 1 }, { 4, 27, 3 }, { 4, 9, 9 }, { 4, 3, 27 }, { 4, 1, 81 },
    { 3, 34, 3 }, { 3, 11, 9 }, { 3, 3, 27 }, { 3, 1, 81 },
    { 2, 15, 9 }, { 2, 5, 27 }, { 2, 1, 81 },
    { 1, 8, 27 }, { 1, 2, 81 },
    { 0, 5, 81 },
  };
  g_autoptr(GArray) rungs = hs_hyperband_schedule (81, 3);

  g_assert_cmpuint (hs_hyperband_get_s_max (81, 3), ==, 4);
  assert_schedule (81, 3, table1, G_N_ELEMENTS (table1));
  /* For R a power of η the budgets are whole: nothing was rounded. */
  for (guint k = 0; k < rungs->len; k++)
    {
      const HsRung *rung = &g_array_index (rungs, HsRung, k);
      g_assert_cmpfloat (rung->budget, ==, (gdouble) rung->epochs);
    }
}

/* Worked by hand from Algorithm 1. */
static void
test_hyperband_other_schedules (void)
{
  /* s_max = 2, B = 27. */
  static const Expected r9[] = {
    { 2, 9, 1 }, { 2, 3, 3 }, { 2, 1, 9 },
    { 1, 5, 3 }, { 1, 1, 9 },              /* n = ceil(3·3/2) = 5 */
    { 0, 3, 9 },
  };
  /* s_max = 3, B = 108. */
  static const Expected r27[] = {
    { 3, 27, 1 }, { 3, 9, 3 }, { 3, 3, 9 }, { 3, 1, 27 },
    { 2, 12, 3 }, { 2, 4, 9 }, { 2, 1, 27 },
    { 1, 6, 9 }, { 1, 2, 27 },
    { 0, 4, 27 },
  };
  /* s_max = 4, B = 80. */
  static const Expected r16[] = {
    { 4, 16, 1 }, { 4, 8, 2 }, { 4, 4, 4 }, { 4, 2, 8 }, { 4, 1, 16 },
    { 3, 10, 2 }, { 3, 5, 4 }, { 3, 2, 8 }, { 3, 1, 16 },
    { 2, 7, 4 }, { 2, 3, 8 }, { 2, 1, 16 },   /* n = ceil(5·4/3) = 7 */
    { 1, 5, 8 }, { 1, 2, 16 },
    { 0, 5, 16 },
  };
  /* s_max = 2 (9 <= 10 < 27), B = 30; budgets 10/9, 10/3, 10 → 1, 3, 10. */
  static const Expected r10[] = {
    { 2, 9, 1 }, { 2, 3, 3 }, { 2, 1, 10 },
    { 1, 5, 3 }, { 1, 1, 10 },
    { 0, 3, 10 },
  };
  g_autoptr(GArray) rungs10 = hs_hyperband_schedule (10, 3);

  assert_schedule (9, 3, r9, G_N_ELEMENTS (r9));
  assert_schedule (27, 3, r27, G_N_ELEMENTS (r27));
  assert_schedule (16, 2, r16, G_N_ELEMENTS (r16));
  assert_schedule (10, 3, r10, G_N_ELEMENTS (r10));
  g_assert_cmpfloat_with_epsilon (g_array_index (rungs10, HsRung, 0).budget, 10.0 / 9, 1e-12);
  g_assert_cmpfloat_with_epsilon (g_array_index (rungs10, HsRung, 1).budget, 10.0 / 3, 1e-12);
  g_assert_cmpfloat (g_array_index (rungs10, HsRung, 2).budget, ==, 10.0);
}

/* The formulas of Algorithm 1 in floating point, for many (R, η): exact
 * powers (243 = 3⁵, where log(243)/log(3) = 4.999…), the HyperSTAR paper's
 * R = 100, R below η. */
static void
test_hyperband_formulas (void)
{
  static const guint cases[][2] = {
    { 81, 3 }, { 9, 3 }, { 27, 3 }, { 16, 2 }, { 10, 3 }, { 243, 3 }, { 100, 3 }, { 100, 2 },
    { 1, 2 }, { 2, 3 }, { 3, 3 }, { 64, 4 }, { 1000, 10 }, { 50, 5 }, { 7, 2 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      guint R = cases[c][0], eta = cases[c][1];
      g_autoptr(GArray) rungs = hs_hyperband_schedule (R, eta);
      /* A small epsilon against log's rounding, as implementations of
       * Algorithm 1 must add. */
      guint s_max = (guint) floor (log ((gdouble) R) / log ((gdouble) eta) + 1e-9);
      gdouble B = (s_max + 1.0) * R;
      guint k = 0;

      g_test_message ("R = %u, eta = %u: s_max %u", R, eta, s_max);
      g_assert_cmpuint (hs_hyperband_get_s_max (R, eta), ==, s_max);
      for (gint s = (gint) s_max; s >= 0; s--)
        {
          gdouble n = ceil (B / R * pow (eta, s) / (s + 1) - 1e-9);
          gdouble r = R * pow (eta, -s);

          for (gint i = 0; i <= s; i++, k++)
            {
              const HsRung *rung = &g_array_index (rungs, HsRung, k);
              guint n_i = (guint) floor (n * pow (eta, -i) + 1e-9);
              gdouble r_i = r * pow (eta, i);

              g_assert_cmpuint (k, <, rungs->len);
              g_assert_cmpuint (rung->bracket, ==, (guint) s);
              g_assert_cmpuint (rung->rung, ==, (guint) i);
              g_assert_cmpuint (rung->n_configs, ==, n_i);
              g_assert_cmpfloat_with_epsilon (rung->budget, r_i, 1e-9 * r_i);
              g_assert_cmpuint (rung->epochs, ==, MAX (1, (guint) lround (r_i)));
              /* Promotion keeps floor(n_i / η). */
              if (i > 0)
                g_assert_cmpuint (rung->n_configs, ==, (rung - 1)->n_configs / eta);
              if (i == s)
                g_assert_cmpuint (rung->epochs, ==, R);
              else
                g_assert_cmpuint ((rung + 1)->epochs, >, rung->epochs);
            }
        }
      g_assert_cmpuint (k, ==, rungs->len);
    }
}

/* ---- successive halving ---- */

static void
test_halving_schedule (void)
{
  g_autoptr(HsSearchSpace) space = hs_search_space_new_from_json (dims_json, NULL);
  HsSchedulerOptions options;
  g_autoptr(HsScheduler) sh = NULL;
  g_autoptr(HsScheduler) sh2 = NULL;
  g_autoptr(GArray) rungs = NULL;
  g_autoptr(GArray) rungs2 = NULL;
  static const Expected default27[] = { { 3, 27, 1 }, { 3, 9, 3 }, { 3, 3, 9 }, { 3, 1, 27 } };
  static const Expected n10[] = { { 3, 10, 2 }, { 3, 5, 4 }, { 3, 2, 8 }, { 3, 1, 16 } };

  hs_scheduler_options_init (&options);
  sh = hs_successive_halving_new (space, &options, NULL);
  g_assert_cmpstr (hs_scheduler_get_method (sh), ==, "successive-halving");
  rungs = hs_scheduler_get_schedule (sh);
  g_assert_cmpuint (rungs->len, ==, G_N_ELEMENTS (default27));
  for (guint k = 0; k < rungs->len; k++)
    {
      g_assert_cmpuint (g_array_index (rungs, HsRung, k).n_configs, ==, default27[k].n);
      g_assert_cmpuint (g_array_index (rungs, HsRung, k).epochs, ==, default27[k].epochs);
    }

  /* n = 10, r = 2, R = 20, η = 2: budgets 2, 4, 8, 16 (32 > R). */
  options.n_configs = 10;
  options.min_epochs = 2;
  options.max_epochs = 20;
  options.eta = 2;
  sh2 = hs_successive_halving_new (space, &options, NULL);
  rungs2 = hs_scheduler_get_schedule (sh2);
  g_assert_cmpuint (rungs2->len, ==, G_N_ELEMENTS (n10));
  for (guint k = 0; k < rungs2->len; k++)
    {
      g_assert_cmpuint (g_array_index (rungs2, HsRung, k).n_configs, ==, n10[k].n);
      g_assert_cmpuint (g_array_index (rungs2, HsRung, k).epochs, ==, n10[k].epochs);
    }
}

/* Each rung after the first holds exactly the top floor(n_i / η) of the
 * rung before, by accuracy at that rung's budget, ties to the earlier in
 * the rung; and each continues its own trial. */
static void
assert_promotions (HsScheduler *scheduler, guint eta)
{
  GPtrArray *trials = hs_scheduler_get_trials (scheduler);
  guint start = 0;

  while (start < trials->len)
    {
      const HsTrial *first = g_ptr_array_index (trials, start);
      guint end = start;
      guint next_end;
      g_autofree HsTestRanked *ranked = NULL;

      while (end < trials->len &&
             ((HsTrial *) g_ptr_array_index (trials, end))->bracket_index == first->bracket_index &&
             ((HsTrial *) g_ptr_array_index (trials, end))->rung == first->rung)
        end++;
      next_end = end;
      while (next_end < trials->len &&
             ((HsTrial *) g_ptr_array_index (trials, next_end))->bracket_index == first->bracket_index &&
             ((HsTrial *) g_ptr_array_index (trials, next_end))->rung == first->rung + 1)
        next_end++;
      if (next_end == end)
        {
          start = end;
          continue;
        }

      g_assert_cmpuint (next_end - end, ==, (end - start) / eta);
      ranked = g_new (HsTestRanked, end - start);
      for (guint i = start; i < end; i++)
        ranked[i - start] = (HsTestRanked) { i - start, ((HsTrial *) trials->pdata[i])->val_acc };
      qsort (ranked, end - start, sizeof (HsTestRanked), hs_test_compare_ranked);
      for (guint i = end; i < next_end; i++)
        {
          const HsTrial *promoted = trials->pdata[i];
          const HsTrial *parent = trials->pdata[start + ranked[i - end].position];

          g_assert_cmpint (promoted->parent, ==, (gint) parent->id);
          g_assert_cmpstr (promoted->config_id, ==, parent->config_id);
          g_assert_cmpstr (promoted->config_json, ==, parent->config_json);
          g_assert_cmpuint (promoted->from_epoch, ==, parent->to_epoch);
          g_assert_cmpuint (promoted->to_epoch, >, promoted->from_epoch);
        }
      start = end;
    }
}

static void
test_halving_promotes_top (void)
{
  g_autoptr(Table) table = table_new (10, 9);
  g_autoptr(HsSearchSpace) space = table_space (table);
  g_autoptr(HsEvaluator) evaluator = hs_table_evaluator_new (table_lookup, table);
  /* Rankings at epochs 1, 3 and 9 disagree, and epoch 1 has a four-way
   * tie for the top, of which three go on. */
  static const gdouble at1[10] = { 0.50, 0.70, 0.70, 0.20, 0.70, 0.70, 0.10, 0.30, 0.65, 0.40 };
  static const gdouble at3[10] = { 0.90, 0.60, 0.80, 0.95, 0.75, 0.85, 0.99, 0.10, 0.50, 0.20 };
  HsSchedulerOptions options;
  g_autoptr(GError) error = NULL;

  for (guint c = 0; c < 10; c++)
    for (guint e = 1; e <= 9; e++)
      *table_at (table, c, e) = e < 3 ? at1[c] : e < 9 ? at3[c] : 1.0 - 0.01 * c;

  for (guint seed = 0; seed < 8; seed++)
    {
      g_autoptr(HsScheduler) sh = NULL;
      GPtrArray *trials;
      guint n_rung[3] = { 0 };

      hs_scheduler_options_init (&options);
      options.n_configs = 10;
      options.max_epochs = 9;
      options.seed = seed;
      sh = hs_successive_halving_new (space, &options, &error);
      g_assert_no_error (error);
      g_assert_true (hs_scheduler_run (sh, evaluator, NULL, NULL, NULL, &error));
      g_assert_no_error (error);

      trials = hs_scheduler_get_trials (sh);
      for (guint i = 0; i < trials->len; i++)
        {
          const HsTrial *trial = trials->pdata[i];

          g_assert_cmpuint (trial->rung, <, 3);
          n_rung[trial->rung]++;
          g_assert_cmpint (trial->state, ==, HS_TRIAL_DONE);
          g_assert_cmpfloat (trial->val_acc, ==, *table_at (table, config_row (trial->config_id),
                                                            trial->to_epoch));
        }
      /* 10 configurations; floor(10/3) = 3; floor(3/3) = 1. */
      g_assert_cmpuint (n_rung[0], ==, 10);
      g_assert_cmpuint (n_rung[1], ==, 3);
      g_assert_cmpuint (n_rung[2], ==, 1);
      assert_promotions (sh, 3);

      /* Rung 1 is three of the four tied at 0.70 (c01, c02, c04, c05): the
       * three drawn first.  Rung 2 is the best of them at epoch 3. */
      {
        g_autoptr(GPtrArray) tied = g_ptr_array_new ();
        const HsTrial *last = trials->pdata[trials->len - 1];
        gdouble best3 = -1;
        const char *best3_id = NULL;

        for (guint i = 0; i < 10; i++)
          if (((HsTrial *) trials->pdata[i])->val_acc == 0.70)
            g_ptr_array_add (tied, ((HsTrial *) trials->pdata[i])->config_id);
        g_assert_cmpuint (tied->len, ==, 4);
        for (guint i = 0; i < 3; i++)
          {
            const HsTrial *promoted = trials->pdata[10 + i];

            g_assert_cmpstr (promoted->config_id, ==, tied->pdata[i]);
            g_assert_cmpuint (promoted->from_epoch, ==, 1);
            g_assert_cmpuint (promoted->to_epoch, ==, 3);
            if (at3[config_row (promoted->config_id)] > best3)
              {
                best3 = at3[config_row (promoted->config_id)];
                best3_id = promoted->config_id;
              }
          }
        g_assert_cmpstr (last->config_id, ==, best3_id);
        g_assert_cmpuint (last->from_epoch, ==, 3);
        g_assert_cmpuint (last->to_epoch, ==, 9);
      }
      /* 10·1 + 3·2 + 1·6 epochs, each looked up once. */
      g_assert_cmpuint (hs_scheduler_get_epochs_spent (sh), ==, 22);
    }
  g_assert_cmpuint (table->lookups, ==, 8 * 22);
}

/* Li et al. return the best accuracy seen; when a configuration's
 * accuracy does not change with more epochs, the trial at the larger
 * budget is the one to keep. */
static void
test_best_prefers_larger_budget (void)
{
  g_autoptr(Table) table = table_new (3, 3);
  g_autoptr(HsSearchSpace) space = table_space (table);
  g_autoptr(HsEvaluator) evaluator = hs_table_evaluator_new (table_lookup, table);
  g_autoptr(HsScheduler) sh = NULL;
  g_autoptr(GError) error = NULL;
  HsSchedulerOptions options;
  const HsTrial *best;

  for (guint c = 0; c < 3; c++)
    for (guint e = 1; e <= 3; e++)
      *table_at (table, c, e) = 0.5;
  hs_scheduler_options_init (&options);
  options.max_epochs = 3;
  sh = hs_successive_halving_new (space, &options, &error);
  g_assert_null (hs_scheduler_get_best (sh));
  g_assert_true (hs_scheduler_run (sh, evaluator, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hs_scheduler_get_trials (sh)->len, ==, 4);
  best = hs_scheduler_get_best (sh);
  g_assert_cmpuint (best->id, ==, 3);
  g_assert_cmpuint (best->to_epoch, ==, 3);
  /* All tied at rung 0: the first drawn goes on. */
  g_assert_cmpstr (best->config_id, ==, hs_scheduler_get_trial (sh, 0)->config_id);
}

/* ---- random search ---- */

static GPtrArray *
run_random (HsSearchSpace *space, guint32 seed, guint n)
{
  HsSchedulerOptions options;
  g_autoptr(HsScheduler) rs = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *configs = g_ptr_array_new_with_free_func (g_free);
  const HsTrial *trial;
  gdouble acc[27] = { 0 };

  hs_scheduler_options_init (&options);
  options.n_configs = n;
  options.seed = seed;
  rs = hs_random_search_new (space, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hs_scheduler_get_method (rs), ==, "random");
  while (hs_scheduler_next (rs, &trial, &error) == HS_SCHEDULER_TRIAL)
    {
      g_assert_cmpuint (trial->from_epoch, ==, 0);
      g_assert_cmpuint (trial->to_epoch, ==, 27);
      g_assert_cmpuint (trial->rung, ==, 0);
      g_assert_cmpint (trial->parent, ==, -1);
      g_ptr_array_add (configs, g_strdup_printf ("%s %s", trial->config_id, trial->config_json));
      g_assert_true (hs_scheduler_report (rs, trial->id, acc, NULL, 27, &error));
    }
  g_assert_no_error (error);
  return configs;
}

static void
test_random_deterministic (void)
{
  g_autoptr(HsSearchSpace) space = hs_search_space_new_from_json (dims_json, NULL);
  g_autoptr(GPtrArray) a = run_random (space, 11, 20);
  g_autoptr(GPtrArray) b = run_random (space, 11, 20);
  g_autoptr(GPtrArray) c = run_random (space, 12, 20);
  guint n_same = 0;

  g_assert_cmpuint (a->len, ==, 20);
  g_assert_cmpuint (c->len, ==, 20);
  for (guint i = 0; i < 20; i++)
    {
      g_assert_cmpstr (a->pdata[i], ==, b->pdata[i]);
      n_same += g_str_equal (a->pdata[i], c->pdata[i]);
    }
  g_assert_cmpuint (n_same, ==, 0);
  g_assert_true (g_str_has_prefix (a->pdata[0], "s1 {\"lr\": "));

  /* Over a grid and with no N: the whole grid, each once, in a seeded order. */
  {
    g_autoptr(Table) table = table_new (12, 27);
    g_autoptr(HsSearchSpace) grid = table_space (table);
    g_autoptr(GPtrArray) all = run_random (grid, 3, 0);
    g_autoptr(GPtrArray) again = run_random (grid, 3, 0);
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    g_assert_cmpuint (all->len, ==, 12);
    for (guint i = 0; i < all->len; i++)
      {
        g_assert_cmpstr (all->pdata[i], ==, again->pdata[i]);
        g_assert_false (g_hash_table_contains (seen, all->pdata[i]));
        g_hash_table_add (seen, all->pdata[i]);
      }
  }
}

static void
test_random_budget (void)
{
  g_autoptr(HsSearchSpace) space = hs_search_space_new_from_json (dims_json, NULL);
  g_autoptr(Table) table = table_new (50, 27);
  g_autoptr(HsSearchSpace) grid = table_space (table);
  g_autoptr(HsEvaluator) evaluator = hs_table_evaluator_new (table_lookup, table);
  g_autoptr(HsScheduler) rs = NULL;
  g_autoptr(HsScheduler) rs_grid = NULL;
  g_autoptr(GError) error = NULL;
  HsSchedulerOptions options;

  hs_scheduler_options_init (&options);
  options.budget = 100;
  rs = hs_random_search_new (space, &options, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GArray) rungs = hs_scheduler_get_schedule (rs);
    g_assert_cmpuint (rungs->len, ==, 1);
    g_assert_cmpuint (g_array_index (rungs, HsRung, 0).n_configs, ==, 3);  /* 3·27 <= 100 */
    g_assert_cmpuint (g_array_index (rungs, HsRung, 0).epochs, ==, 27);
  }

  /* A grid bigger than the budget: as many as fit, all different. */
  options.budget = 27 * 7 + 5;
  rs_grid = hs_random_search_new (grid, &options, &error);
  g_assert_no_error (error);
  g_assert_true (hs_scheduler_run (rs_grid, evaluator, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hs_scheduler_get_trials (rs_grid)->len, ==, 7);
  g_assert_cmpuint (hs_scheduler_get_epochs_spent (rs_grid), ==, 27 * 7);
}

/* ---- whole searches over a table of curves ---- */

typedef struct {
  guint n_calls;
  guint64 epochs;
} RunCount;

static void
count_trial (HsScheduler *scheduler, const HsTrial *trial, gpointer user_data)
{
  RunCount *count = user_data;

  g_assert_cmpint (trial->state, ==, HS_TRIAL_DONE);
  count->n_calls++;
  count->epochs += trial->to_epoch - trial->from_epoch;
  g_assert_cmpuint (hs_scheduler_get_epochs_spent (scheduler), ==, count->epochs);
}

/* Separable curves (no two cross): config c's accuracy after e epochs is
 * q_c (1 − exp(−e / 4)), q a seeded permutation of distinct values. */
static Table *
separable_table (guint n_configs, guint n_epochs, guint32 seed, guint *best)
{
  Table *table = table_new (n_configs, n_epochs);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree guint *order = g_new (guint, n_configs);

  for (guint c = 0; c < n_configs; c++)
    order[c] = c;
  for (guint c = n_configs; c > 1; c--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) c);
      guint tmp = order[c - 1];
      order[c - 1] = order[j];
      order[j] = tmp;
    }
  for (guint c = 0; c < n_configs; c++)
    {
      gdouble q = 0.3 + 0.6 * order[c] / n_configs;

      if (order[c] == n_configs - 1)
        *best = c;
      for (guint e = 1; e <= n_epochs; e++)
        *table_at (table, c, e) = q * (1 - exp (-(gdouble) e / 4));
    }
  return table;
}

static void
assert_hyperband_run (guint R, guint eta, guint n_configs, guint32 seed)
{
  guint best_row = 0;
  g_autoptr(Table) table = separable_table (n_configs, R, seed + 100, &best_row);
  g_autoptr(HsSearchSpace) space = table_space (table);
  g_autoptr(HsEvaluator) evaluator = hs_table_evaluator_new (table_lookup, table);
  g_autoptr(HsScheduler) hb = NULL;
  g_autoptr(GArray) schedule = hs_hyperband_schedule (R, eta);
  g_autoptr(GError) error = NULL;
  HsSchedulerOptions options;
  RunCount count = { 0 };
  GPtrArray *trials;
  const HsTrial *best;
  guint64 expected_epochs = 0, sum = 0;
  guint n_expected_trials = 0;
  g_autofree char *best_id = g_strdup_printf ("c%02u", best_row);

  hs_scheduler_options_init (&options);
  options.max_epochs = R;
  options.eta = eta;
  options.seed = seed;
  hb = hs_hyperband_new (space, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hs_scheduler_get_method (hb), ==, "hyperband");
  g_assert_true (hs_scheduler_run (hb, evaluator, count_trial, &count, NULL, &error));
  g_assert_no_error (error);

  /* What the schedule says a pass costs, each promotion paying only for
   * the epochs it adds. */
  for (guint k = 0; k < schedule->len; k++)
    {
      const HsRung *rung = &g_array_index (schedule, HsRung, k);
      guint before = rung->rung == 0 ? 0 : (rung - 1)->epochs;

      expected_epochs += (guint64) rung->n_configs * (rung->epochs - before);
      n_expected_trials += rung->n_configs;
    }

  trials = hs_scheduler_get_trials (hb);
  g_assert_cmpuint (trials->len, ==, n_expected_trials);
  g_assert_cmpuint (count.n_calls, ==, trials->len);
  for (guint i = 0; i < trials->len; i++)
    {
      const HsTrial *trial = trials->pdata[i];
      const HsRung *rung = NULL;

      g_assert_cmpuint (trial->id, ==, i);
      for (guint k = 0; k < schedule->len; k++)
        if (g_array_index (schedule, HsRung, k).bracket == trial->bracket &&
            g_array_index (schedule, HsRung, k).rung == trial->rung)
          rung = &g_array_index (schedule, HsRung, k);
      g_assert_nonnull (rung);
      g_assert_cmpuint (trial->bracket_index, ==, hs_hyperband_get_s_max (R, eta) - trial->bracket);
      g_assert_cmpuint (trial->to_epoch, ==, rung->epochs);
      if (trial->rung == 0)
        {
          g_assert_cmpuint (trial->from_epoch, ==, 0);
          g_assert_cmpint (trial->parent, ==, -1);
        }
      else
        {
          const HsTrial *parent = trials->pdata[trial->parent];

          /* A promotion continues the earlier trial of the same
           * configuration, in the same bracket, one rung down. */
          g_assert_cmpint (trial->parent, <, (gint) trial->id);
          g_assert_cmpstr (parent->config_id, ==, trial->config_id);
          g_assert_cmpuint (parent->bracket_index, ==, trial->bracket_index);
          g_assert_cmpuint (parent->rung + 1, ==, trial->rung);
          g_assert_cmpuint (trial->from_epoch, ==, parent->to_epoch);
        }
      g_assert_cmpuint (trial->curve->len, ==, trial->to_epoch - trial->from_epoch);
      for (guint e = 0; e < trial->curve->len; e++)
        g_assert_cmpfloat (g_array_index (trial->curve, gdouble, e), ==,
                           *table_at (table, config_row (trial->config_id), trial->from_epoch + 1 + e));
      g_assert_cmpfloat (trial->seconds, ==, 0.5 * (trial->to_epoch - trial->from_epoch));
      sum += trial->to_epoch - trial->from_epoch;
    }
  assert_promotions (hb, eta);

  g_assert_cmpuint (hs_scheduler_get_epochs_spent (hb), ==, sum);
  g_assert_cmpuint (hs_scheduler_get_epochs_spent (hb), ==, expected_epochs);
  g_assert_cmpuint (hs_scheduler_get_epochs_issued (hb), ==, sum);
  g_assert_cmpuint (table->lookups, ==, sum);
  g_assert_cmpfloat (hs_scheduler_get_seconds_spent (hb), ==, 0.5 * sum);

  best = hs_scheduler_get_best (hb);
  g_assert_nonnull (best);
  g_assert_cmpstr (best->config_id, ==, best_id);
  g_assert_cmpuint (best->to_epoch, ==, R);
  g_assert_cmpfloat (best->val_acc, ==, *table_at (table, best_row, R));
}

static void
test_hyperband_replay (void)
{
  /* R = 27: one pass draws 27 + 12 + 6 + 4 = 49 configurations, so a grid
   * of 40 is wholly drawn (and a little of it twice); 357 epochs. */
  for (guint32 seed = 0; seed < 10; seed++)
    assert_hyperband_run (27, 3, 40, seed);
  /* R = 81 draws 143 from a grid of 60; R = 16, η = 2; R = 10 rounds. */
  assert_hyperband_run (81, 3, 60, 1);
  assert_hyperband_run (16, 2, 30, 2);
  assert_hyperband_run (10, 3, 17, 3);
  assert_hyperband_run (9, 3, 5, 4);
}

/* ---- asking and telling ---- */

/* Reports the trial's epochs from the table (an HsTrialFunc). */
static void
report_from_table (HsScheduler *scheduler, const HsTrial *trial, gpointer user_data)
{
  Table *table = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) acc = g_array_new (FALSE, FALSE, sizeof (gdouble));

  for (guint e = trial->from_epoch + 1; e <= trial->to_epoch; e++)
    g_array_append_val (acc, *table_at (table, config_row (trial->config_id), e));
  g_assert_true (hs_scheduler_report (scheduler, trial->id, (gdouble *) acc->data, NULL,
                                      acc->len, &error));
  g_assert_no_error (error);
}

static void
test_ask_tell (void)
{
  guint best_row;
  g_autoptr(Table) table = separable_table (20, 9, 7, &best_row);
  g_autoptr(HsSearchSpace) space = table_space (table);
  g_autoptr(HsScheduler) hb = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  HsSchedulerOptions options;
  const HsTrial *trial;
  gdouble one = 0.5;

  hs_scheduler_options_init (&options);
  options.max_epochs = 9;
  hb = hs_hyperband_new (space, &options, &error);
  g_assert_no_error (error);

  /* Rung 0 of bracket s = 2: nine trials at once, then a wait. */
  while (hs_scheduler_next (hb, &trial, &error) == HS_SCHEDULER_TRIAL)
    g_ptr_array_add (out, (gpointer) trial);
  g_assert_no_error (error);
  g_assert_cmpuint (out->len, ==, 9);
  g_assert_cmpint (hs_scheduler_next (hb, &trial, &error), ==, HS_SCHEDULER_WAIT);
  g_assert_null (trial);

  /* Reports that do not fit are refused and change nothing. */
  g_assert_false (hs_scheduler_report (hb, 99, &one, NULL, 1, &error));
  g_assert_error (error, HS_HPO_ERROR, HS_HPO_ERROR_TRIAL);
  g_assert_nonnull (strstr (error->message, "99"));
  g_clear_error (&error);
  g_assert_false (hs_scheduler_report (hb, 0, &one, NULL, 0, &error));
  g_assert_error (error, HS_HPO_ERROR, HS_HPO_ERROR_TRIAL);
  g_clear_error (&error);

  /* Out of order: the last first; still waiting until all nine are in. */
  for (guint i = out->len; i-- > 0;)
    {
      report_from_table (hb, out->pdata[i], table);
      if (i > 0)
        g_assert_cmpint (hs_scheduler_next (hb, &trial, &error), ==, HS_SCHEDULER_WAIT);
    }
  g_assert_false (hs_scheduler_report (hb, 3, &one, NULL, 1, &error));
  g_assert_error (error, HS_HPO_ERROR, HS_HPO_ERROR_TRIAL);
  g_assert_nonnull (strstr (error->message, "already"));
  g_clear_error (&error);

  /* Rung 1: three promotions, continuing from epoch 1 to 3. */
  g_ptr_array_set_size (out, 0);
  while (hs_scheduler_next (hb, &trial, &error) == HS_SCHEDULER_TRIAL)
    g_ptr_array_add (out, (gpointer) trial);
  g_assert_cmpuint (out->len, ==, 3);
  for (guint i = 0; i < out->len; i++)
    {
      g_assert_cmpuint (((HsTrial *) out->pdata[i])->rung, ==, 1);
      g_assert_cmpuint (((HsTrial *) out->pdata[i])->from_epoch, ==, 1);
    }
  /* One of them fails: it ranks last and is not promoted. */
  g_assert_true (hs_scheduler_report_failure (hb, ((HsTrial *) out->pdata[0])->id, "out of memory",
                                              &error));
  g_assert_no_error (error);
  report_from_table (hb, out->pdata[1], table);
  report_from_table (hb, out->pdata[2], table);
  g_assert_cmpint (hs_scheduler_next (hb, &trial, &error), ==, HS_SCHEDULER_TRIAL);
  g_assert_cmpuint (trial->rung, ==, 2);
  g_assert_cmpstr (trial->config_id, !=, ((HsTrial *) out->pdata[0])->config_id);
  g_assert_cmpint (((HsTrial *) out->pdata[0])->state, ==, HS_TRIAL_FAILED);
  g_assert_cmpstr (((HsTrial *) out->pdata[0])->message, ==, "out of memory");
  report_from_table (hb, trial, table);

  /* The rest, one at a time, until done. */
  for (;;)
    {
      HsSchedulerStatus status = hs_scheduler_next (hb, &trial, &error);

      g_assert_no_error (error);
      if (status == HS_SCHEDULER_DONE)
        break;
      g_assert_cmpint (status, ==, HS_SCHEDULER_TRIAL);
      report_from_table (hb, trial, table);
    }
  g_assert_cmpint (hs_scheduler_next (hb, &trial, &error), ==, HS_SCHEDULER_DONE);
  /* 9 + 3 + 1, 5 + 1, 3. */
  g_assert_cmpuint (hs_scheduler_get_trials (hb)->len, ==, 22);
}

/* A daemon stops mid-search; a new scheduler with the same options,
 * restored from the stored trials, goes on exactly as the first would. */
static void
test_restore (void)
{
  /* 32 trials handed out, two of them still out when the daemon stops. */
  static const HsTestStop stop = { 32, { 29, 31 }, 30 };
  guint best_row;
  g_autoptr(Table) table = separable_table (30, 27, 9, &best_row);
  g_autoptr(HsSearchSpace) space = table_space (table);
  g_autoptr(HsScheduler) first = NULL, restored = NULL, other = NULL;
  g_autoptr(GPtrArray) stored =
    g_ptr_array_new_with_free_func ((GDestroyNotify) hs_test_free_trial_copy);
  g_autoptr(GError) error = NULL;
  HsSchedulerOptions options;
  guint n_pending;

  hs_scheduler_options_init (&options);
  options.seed = 5;
  options.budget = 1000;   /* more than one pass: the second pass is restored too */
  first = hs_hyperband_new (space, &options, &error);
  g_assert_no_error (error);

  hs_test_run_to_stop (first, &stop, report_from_table, table);
  for (guint i = 0; i < hs_scheduler_get_trials (first)->len; i++)
    g_ptr_array_add (stored, hs_test_copy_trial (hs_scheduler_get_trial (first, i), TRUE));

  restored = hs_hyperband_new (space, &options, &error);
  g_assert_true (hs_scheduler_restore (restored, (const HsTrial *const *) stored->pdata,
                                       stored->len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hs_scheduler_get_epochs_spent (restored), ==,
                    hs_scheduler_get_epochs_spent (first));
  g_assert_cmpuint (hs_scheduler_get_epochs_issued (restored), ==,
                    hs_scheduler_get_epochs_issued (first));
  g_assert_cmpint (hs_scheduler_get_trial (restored, 29)->state, ==, HS_TRIAL_PENDING);
  g_assert_cmpint (hs_scheduler_get_trial (restored, 30)->state, ==, HS_TRIAL_FAILED);

  /* Both finish the search the same way: the pending ones rerun first. */
  n_pending = hs_test_finish_together (first, restored, &stop, report_from_table, table);
  g_assert_cmpuint (n_pending, >, 0);
  g_assert_true (hs_scheduler_budget_exhausted (restored));
  g_assert_cmpstr (hs_scheduler_get_best (first)->config_id, ==,
                   hs_scheduler_get_best (restored)->config_id);

  /* Another seed draws other configurations: refused, naming the trial. */
  options.seed = 6;
  other = hs_hyperband_new (space, &options, &error);
  g_assert_false (hs_scheduler_restore (other, (const HsTrial *const *) stored->pdata,
                                        stored->len, &error));
  g_assert_error (error, HS_HPO_ERROR, HS_HPO_ERROR_TRIAL);
  g_assert_nonnull (strstr (error->message, "stored trial"));
}

/* ---- budgets ---- */

static void
test_hyperband_budget (void)
{
  guint best_row;
  g_autoptr(Table) table = separable_table (40, 27, 11, &best_row);
  g_autoptr(HsSearchSpace) space = table_space (table);
  g_autoptr(HsEvaluator) evaluator = hs_table_evaluator_new (table_lookup, table);
  g_autoptr(GError) error = NULL;
  HsSchedulerOptions options;
  static const guint64 budgets[] = { 1, 26, 27, 100, 357, 500, 2000 };

  for (guint b = 0; b < G_N_ELEMENTS (budgets); b++)
    {
      g_autoptr(HsScheduler) hb = NULL;
      GPtrArray *trials;
      const HsTrial *last;

      hs_scheduler_options_init (&options);
      options.budget = budgets[b];
      hb = hs_hyperband_new (space, &options, &error);
      g_assert_true (hs_scheduler_run (hb, evaluator, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      trials = hs_scheduler_get_trials (hb);
      g_test_message ("budget %" G_GUINT64_FORMAT ": %u trials, %" G_GUINT64_FORMAT " epochs",
                      budgets[b], trials->len, hs_scheduler_get_epochs_spent (hb));
      g_assert_cmpuint (hs_scheduler_get_epochs_spent (hb), <=, budgets[b]);
      /* A budget stops Hyperband only where the next trial would not fit;
       * without the limit a pass would go on forever. */
      g_assert_true (hs_scheduler_budget_exhausted (hb));
      last = trials->pdata[trials->len - 1];
      g_assert_cmpuint (hs_scheduler_get_epochs_spent (hb) + 27, >, budgets[b]);
      if (budgets[b] > 357)
        g_assert_cmpuint (last->bracket_index, >=, 4);   /* into the second pass */
      else
        g_assert_cmpuint (last->bracket_index, <, 4);
    }

  /* Without a budget: one pass, not stopped by a budget. */
  {
    g_autoptr(HsScheduler) hb = NULL;

    hs_scheduler_options_init (&options);
    hb = hs_hyperband_new (space, &options, &error);
    g_assert_true (hs_scheduler_run (hb, evaluator, NULL, NULL, NULL, &error));
    g_assert_false (hs_scheduler_budget_exhausted (hb));
    g_assert_cmpuint (hs_scheduler_get_epochs_spent (hb), ==, 357);
  }
}

/* ---- options and evaluator errors ---- */

static void
test_options_errors (void)
{
  g_autoptr(HsSearchSpace) space = hs_search_space_new_from_json (dims_json, NULL);
  HsSchedulerOptions options;
  struct {
    const char *method;
    guint R, eta, r, n;
    guint64 budget;
    const char *mentions;
  } cases[] = {
    { "hyperband", 0, 3, 1, 0, 0, "max_epochs" },
    { "hyperband", 27, 1, 1, 0, 0, "eta" },
    { "successive-halving", 27, 3, 0, 0, 0, "min_epochs" },
    { "successive-halving", 27, 3, 28, 0, 0, "min_epochs" },
    { "random", 27, 3, 1, 0, 0, "n_configs" },
    { "random", 27, 3, 1, 0, 20, "budget" },
    { "bohb", 0, 3, 1, 0, 0, "max_epochs" },
    { "smac", 27, 3, 1, 0, 0, "smac" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HsScheduler) scheduler = NULL;

      hs_scheduler_options_init (&options);
      options.max_epochs = cases[i].R;
      options.eta = cases[i].eta;
      options.min_epochs = cases[i].r;
      options.n_configs = cases[i].n;
      options.budget = cases[i].budget;
      scheduler = hs_scheduler_new (cases[i].method, space, &options, &error);
      g_assert_null (scheduler);
      g_assert_error (error, HS_HPO_ERROR, HS_HPO_ERROR_OPTIONS);
      if (strstr (error->message, cases[i].mentions) == NULL)
        g_error ("case %u: “%s” does not mention “%s”", i, error->message, cases[i].mentions);
    }
  /* Each name makes its method. */
  hs_scheduler_options_init (&options);
  options.n_configs = 4;
  for (guint i = 0; i < 4; i++)
    {
      const char *method = (const char *[]) { "random", "successive-halving", "hyperband", "bohb" }[i];
      g_autoptr(HsScheduler) scheduler = hs_scheduler_new (method, space, &options, NULL);

      g_assert_nonnull (scheduler);
      g_assert_cmpstr (hs_scheduler_get_method (scheduler), ==, method);
      g_assert_true (hs_scheduler_get_space (scheduler) == space);
    }
}

static gboolean
partial_lookup (const char *config_id, guint epoch, gdouble *val_acc, gdouble *seconds,
                gpointer user_data)
{
  /* Curves recorded only up to epoch 5. */
  if (epoch > 5)
    return FALSE;
  *val_acc = 0.1 * epoch;
  *seconds = 1;
  return TRUE;
}

static gboolean
short_evaluate (const HsTrial *trial, GArray *val_acc, GArray *seconds, gpointer user_data,
                GError **error)
{
  gdouble v = 0.5;

  g_array_append_val (val_acc, v);   /* one value, whatever the epochs */
  g_array_append_val (seconds, v);
  return TRUE;
}

static void
test_evaluator_errors (void)
{
  g_autoptr(HsSearchSpace) space = hs_search_space_new_from_json (dims_json, NULL);
  g_autoptr(HsEvaluator) partial = hs_table_evaluator_new (partial_lookup, NULL);
  g_autoptr(HsEvaluator) short_one = hs_evaluator_new (short_evaluate, NULL, NULL);
  g_autoptr(GError) error = NULL;
  HsSchedulerOptions options;

  /* A replay that lacks an epoch stops the run, names the configuration
   * and epoch, and marks that trial failed. */
  {
    g_autoptr(HsScheduler) hb = NULL;
    GPtrArray *trials;
    const HsTrial *failed;

    hs_scheduler_options_init (&options);
    options.max_epochs = 9;
    hb = hs_hyperband_new (space, &options, NULL);
    g_assert_false (hs_scheduler_run (hb, partial, NULL, NULL, NULL, &error));
    g_assert_error (error, HS_HPO_ERROR, HS_HPO_ERROR_LOOKUP);
    trials = hs_scheduler_get_trials (hb);
    failed = trials->pdata[trials->len - 1];
    g_assert_cmpint (failed->state, ==, HS_TRIAL_FAILED);
    g_assert_cmpuint (failed->to_epoch, ==, 9);
    g_assert_nonnull (strstr (error->message, failed->config_id));
    g_assert_nonnull (strstr (error->message, "epoch 6"));
    g_clear_error (&error);
  }
  /* An evaluator that answers with the wrong number of epochs. */
  {
    g_autoptr(HsScheduler) hb = NULL;

    hs_scheduler_options_init (&options);
    options.max_epochs = 9;
    hb = hs_hyperband_new (space, &options, NULL);
    g_assert_false (hs_scheduler_run (hb, short_one, NULL, NULL, NULL, &error));
    g_assert_error (error, HS_HPO_ERROR, HS_HPO_ERROR_FAILED);
    g_clear_error (&error);
  }
  /* Cancelled before it starts. */
  {
    g_autoptr(HsScheduler) hb = NULL;
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    hs_scheduler_options_init (&options);
    hb = hs_hyperband_new (space, &options, NULL);
    g_cancellable_cancel (cancellable);
    g_assert_false (hs_scheduler_run (hb, partial, NULL, NULL, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpuint (hs_scheduler_get_trials (hb)->len, ==, 0);
  }
}

/* ---- proposers: where task-aware Hyperband and BOHB plug in ---- */

typedef struct {
  GArray *asked;     /* guint n per call */
  guint next_row;
} Ranking;

/* Proposes the table's rows in a fixed "ranked" order (c00, c01, …), mixing
 * in one random draw per bracket as task-aware Hyperband may. */
static gboolean
ranked_propose (HsScheduler *scheduler, guint n, GPtrArray *configs, gpointer user_data,
                GError **error)
{
  Ranking *ranking = user_data;
  g_autoptr(GPtrArray) random = hs_scheduler_sample (scheduler, 1);

  g_array_append_val (ranking->asked, n);
  /* Model-based methods see every result so far. */
  for (guint i = 0; i < hs_scheduler_get_trials (scheduler)->len; i++)
    g_assert_cmpint (((HsTrial *) hs_scheduler_get_trials (scheduler)->pdata[i])->state, !=,
                     HS_TRIAL_PENDING);
  for (guint i = 0; i + 1 < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("c%02u", ranking->next_row++);
      g_autofree char *json = g_strdup_printf ("{\"i\": %u}", ranking->next_row - 1);

      g_ptr_array_add (configs, hs_search_config_new (id, json));
    }
  g_ptr_array_add (configs, hs_search_config_copy (random->pdata[0]));
  return TRUE;
}

static gboolean
failing_propose (HsScheduler *scheduler, guint n, GPtrArray *configs, gpointer user_data,
                 GError **error)
{
  g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_FAILED, "no ranking yet");
  return FALSE;
}

static void
test_proposer (void)
{
  guint best_row;
  g_autoptr(Table) table = separable_table (60, 9, 13, &best_row);
  g_autoptr(HsSearchSpace) space = table_space (table);
  g_autoptr(HsEvaluator) evaluator = hs_table_evaluator_new (table_lookup, table);
  g_autoptr(HsScheduler) hb = NULL;
  g_autoptr(GError) error = NULL;
  HsSchedulerOptions options;
  Ranking ranking = { g_array_new (FALSE, FALSE, sizeof (guint)), 0 };
  GPtrArray *trials;

  hs_scheduler_options_init (&options);
  options.max_epochs = 9;
  hb = hs_hyperband_new (space, &options, NULL);
  hs_scheduler_set_proposer (hb, ranked_propose, &ranking, NULL);
  g_assert_true (hs_scheduler_run (hb, evaluator, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  /* One call per bracket, for n = 9, 5, 3. */
  g_assert_cmpuint (ranking.asked->len, ==, 3);
  g_assert_cmpuint (g_array_index (ranking.asked, guint, 0), ==, 9);
  g_assert_cmpuint (g_array_index (ranking.asked, guint, 1), ==, 5);
  g_assert_cmpuint (g_array_index (ranking.asked, guint, 2), ==, 3);
  trials = hs_scheduler_get_trials (hb);
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *id = g_strdup_printf ("c%02u", i);
      g_assert_cmpstr (((HsTrial *) trials->pdata[i])->config_id, ==, id);
    }
  g_array_unref (ranking.asked);

  /* A proposer's error reaches whoever asked for the trial. */
  {
    g_autoptr(HsScheduler) failing = hs_hyperband_new (space, &options, NULL);
    const HsTrial *trial;

    hs_scheduler_set_proposer (failing, failing_propose, NULL, NULL);
    g_assert_cmpint (hs_scheduler_next (failing, &trial, &error), ==, HS_SCHEDULER_ERROR);
    g_assert_error (error, HS_HPO_ERROR, HS_HPO_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "no ranking yet"));
  }
}

/* ---- a trial as JSON ---- */

static void
test_trial_json (void)
{
  g_autoptr(Table) table = table_new (3, 9);
  g_autoptr(HsSearchSpace) space = table_space (table);
  g_autoptr(HsScheduler) rs = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  HsSchedulerOptions options;
  const HsTrial *trial;
  g_autofree char *pending = NULL, *done = NULL, *failed = NULL;
  gdouble acc[9] = { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9 };
  gdouble secs[9] = { 1, 1, 1, 1, 1, 1, 1, 1, 1.5 };
  JsonObject *object;
  JsonArray *curve;

  hs_scheduler_options_init (&options);
  options.max_epochs = 9;
  rs = hs_random_search_new (space, &options, NULL);
  g_assert_cmpint (hs_scheduler_next (rs, &trial, NULL), ==, HS_SCHEDULER_TRIAL);
  pending = hs_trial_to_json (trial);
  g_assert_true (json_parser_load_from_data (parser, pending, -1, &error));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "pending");
  g_assert_false (json_object_has_member (object, "val_acc"));
  g_assert_cmpint (json_object_get_int_member (object, "parent"), ==, -1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "config"), "i"),
                   ==, config_row (trial->config_id));

  g_assert_true (hs_scheduler_report (rs, trial->id, acc, secs, 9, &error));
  done = hs_trial_to_json (trial);
  g_assert_true (json_parser_load_from_data (parser, done, -1, &error));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "done");
  g_assert_cmpstr (json_object_get_string_member (object, "config_id"), ==, trial->config_id);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object, "from_epoch"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object, "to_epoch"), ==, 9);
  g_assert_cmpfloat (json_object_get_double_member (object, "val_acc"), ==, 0.9);
  g_assert_cmpfloat (json_object_get_double_member (object, "seconds"), ==, 9.5);
  curve = json_object_get_array_member (object, "curve");
  g_assert_cmpuint (json_array_get_length (curve), ==, 9);
  g_assert_cmpfloat (json_array_get_double_element (curve, 2), ==, 0.3);
  /* Shortest exact digits, as configurations are written. */
  g_assert_nonnull (strstr (done, "\"val_acc\": 0.9,"));

  g_assert_cmpint (hs_scheduler_next (rs, &trial, NULL), ==, HS_SCHEDULER_TRIAL);
  g_assert_true (hs_scheduler_report_failure (rs, trial->id, "diverged \"badly\"", NULL));
  failed = hs_trial_to_json (trial);
  g_assert_true (json_parser_load_from_data (parser, failed, -1, &error));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (object, "message"), ==, "diverged \"badly\"");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hyperband/li-2018-table-1", test_hyperband_li_table);
  g_test_add_func ("/hyperband/other-schedules", test_hyperband_other_schedules);
  g_test_add_func ("/hyperband/formulas", test_hyperband_formulas);
  g_test_add_func ("/hyperband/replay", test_hyperband_replay);
  g_test_add_func ("/hyperband/budget", test_hyperband_budget);
  g_test_add_func ("/successive-halving/schedule", test_halving_schedule);
  g_test_add_func ("/successive-halving/promotes-top", test_halving_promotes_top);
  g_test_add_func ("/successive-halving/best", test_best_prefers_larger_budget);
  g_test_add_func ("/random-search/deterministic", test_random_deterministic);
  g_test_add_func ("/random-search/budget", test_random_budget);
  g_test_add_func ("/scheduler/ask-tell", test_ask_tell);
  g_test_add_func ("/scheduler/restore", test_restore);
  g_test_add_func ("/scheduler/options-errors", test_options_errors);
  g_test_add_func ("/scheduler/evaluator-errors", test_evaluator_errors);
  g_test_add_func ("/scheduler/proposer", test_proposer);
  g_test_add_func ("/scheduler/trial-json", test_trial_json);
  return g_test_run ();
}
