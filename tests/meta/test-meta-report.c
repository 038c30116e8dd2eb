/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The statistics of `meta report` on hand-made meta-datasets, against
 * values worked out by hand below (definitions in hs-meta-report.h).
 * Tolerance: 1e-12, as every expected value is a short sum of exactly
 * written numbers.
 */
#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "hs-meta-report.h"
#include "test-meta-util.h"

#define TOL 1e-12

static const char grid4[] =
  "{\"c0\": {\"lr\": 0.1}, \"c1\": {\"lr\": 0.01}, \"c2\": {\"lr\": 0.001}, "
  "\"c3\": {\"lr\": 0.0001}}";

typedef struct {
  const char *task;
  const char *config;
  const char *val;     /* NULL: a curve row but no final row (unfinished) */
} Result;

/* One epoch per pair: the curve's only value is the final val_acc; test
 * accuracy is val_acc - 0.125 (exact in binary, so checks stay exact). */
static char *
write_results (const Result *results, guint n)
{
  char *dir = tm_make_dir ();
  g_autoptr(GString) final = g_string_new ("task,config,val_acc,test_acc\n");
  g_autoptr(GString) curves = g_string_new ("task,config,epoch,val_acc,train_loss,seconds\n");

  for (guint i = 0; i < n; i++)
    {
      const Result *r = &results[i];
      const char *val = r->val ? r->val : "0.5";

      g_string_append_printf (curves, "%s,%s,1,%s,1.0,2.0\n", r->task, r->config, val);
      if (r->val != NULL)
        {
          char test[G_ASCII_DTOSTR_BUF_SIZE];

          g_ascii_dtostr (test, sizeof test, g_ascii_strtod (r->val, NULL) - 0.125);
          g_string_append_printf (final, "%s,%s,%s,%s\n", r->task, r->config, r->val, test);
        }
    }
  tm_write (dir, "grid.json", grid4);
  tm_write (dir, "final.csv", final->str);
  tm_write (dir, "curves.csv", curves->str);
  return dir;
}

/* Writes the results, reads them back and removes the folder again; *dir
 * (when not NULL) says where it was. */
static HsMetaData *
load_results (const Result *results, guint n, char **dir)
{
  g_autofree char *path = write_results (results, n);
  g_autoptr(GError) error = NULL;
  HsMetaData *md = hs_meta_data_load (path, &error);

  g_assert_no_error (error);
  tm_remove_dir (path);
  if (dir != NULL)
    *dir = g_steal_pointer (&path);
  return md;
}

/* Three tasks × four configurations, and task-d with one finished
 * configuration (skipped by the report; its other row is unfinished).
 *
 *            c0    c1    c2    c3    ranking (ties in grid order)
 *   task-a   0.9   0.8   0.7   0.6   c0 c1 c2 c3
 *   task-b   0.6   0.8   0.8   0.5   c1 c2 c0 c3   (c1, c2 tie)
 *   task-c   0.85  0.6   0.7   0.8   c0 c3 c2 c1
 *   task-d               0.5
 */
static const Result three_tasks[] = {
  { "task-a", "c0", "0.9" }, { "task-a", "c1", "0.8" },
  { "task-a", "c2", "0.7" }, { "task-a", "c3", "0.6" },
  { "task-b", "c0", "0.6" }, { "task-b", "c1", "0.8" },
  { "task-b", "c2", "0.8" }, { "task-b", "c3", "0.5" },
  { "task-c", "c0", "0.85" }, { "task-c", "c1", "0.6" },
  { "task-c", "c2", "0.7" }, { "task-c", "c3", "0.8" },
  { "task-d", "c2", "0.5" }, { "task-d", "c0", NULL },
};

enum { C0, C1, C2, C3 };
enum { A, B, C };

static void
assert_top (const HsMetaTaskStats *s, guint n, const guint *want)
{
  g_assert_cmpuint (s->n_top, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (s->top[i], ==, want[i]);
}

static void
test_three_tasks (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(HsMetaData) md = load_results (three_tasks, G_N_ELEMENTS (three_tasks), &dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsMetaReport) report = NULL;
  const HsMetaTaskStats *s;
  const HsMetaSummary *sum;
  const guint *skipped;
  guint n_skipped, similar[3], n;
  gdouble rho_ab, rho_ac, rho_bc, mean;

  g_assert_cmpuint (hs_meta_data_n_tasks (md), ==, 4);
  report = hs_meta_report_new (md, 2);
  g_assert_cmpuint (hs_meta_report_get_k (report), ==, 2);

  /* task-d has one finished configuration: skipped. */
  g_assert_cmpuint (hs_meta_report_n_tasks (report), ==, 3);
  skipped = hs_meta_report_skipped (report, &n_skipped);
  g_assert_cmpuint (n_skipped, ==, 1);
  g_assert_cmpstr (hs_meta_data_task_name (md, skipped[0]), ==, "task-d");

  /* task-a: best c0; 0.6–0.9, mean 0.75, deviations ±0.15, ±0.05:
   * variance (2·0.0225 + 2·0.0025)/4 = 0.0125. */
  s = hs_meta_report_task (report, A);
  g_assert_cmpstr (hs_meta_data_task_name (md, s->task), ==, "task-a");
  g_assert_cmpuint (s->n_finished, ==, 4);
  g_assert_cmpuint (s->best, ==, C0);
  g_assert_cmpfloat_with_epsilon (s->best_val, 0.9, TOL);
  g_assert_cmpfloat_with_epsilon (s->best_test, 0.775, TOL);
  g_assert_cmpfloat_with_epsilon (s->min, 0.6, TOL);
  g_assert_cmpfloat_with_epsilon (s->max, 0.9, TOL);
  g_assert_cmpfloat_with_epsilon (s->mean, 0.75, TOL);
  g_assert_cmpfloat_with_epsilon (s->std, sqrt (0.0125), TOL);
  assert_top (s, 2, (const guint[]) { C0, C1 });

  /* task-b: c1 and c2 tie at 0.8, c1 first in the grid: best c1.
   * Mean 2.7/4 = 0.675; deviations -0.075, 0.125, 0.125, -0.175:
   * variance 0.0675/4 = 0.016875. */
  s = hs_meta_report_task (report, B);
  g_assert_cmpuint (s->best, ==, C1);
  g_assert_cmpfloat_with_epsilon (s->min, 0.5, TOL);
  g_assert_cmpfloat_with_epsilon (s->max, 0.8, TOL);
  g_assert_cmpfloat_with_epsilon (s->mean, 0.675, TOL);
  g_assert_cmpfloat_with_epsilon (s->std, sqrt (0.016875), TOL);
  assert_top (s, 2, (const guint[]) { C1, C2 });

  /* task-c: best c0.  Mean 2.95/4 = 0.7375; deviations 0.1125, -0.1375,
   * -0.0375, 0.0625: variance 0.036875/4 = 0.00921875. */
  s = hs_meta_report_task (report, C);
  g_assert_cmpuint (s->best, ==, C0);
  g_assert_cmpfloat_with_epsilon (s->mean, 0.7375, TOL);
  g_assert_cmpfloat_with_epsilon (s->std, sqrt (0.00921875), TOL);
  assert_top (s, 2, (const guint[]) { C0, C3 });

  /* Bests c0, c1, c0: two distinct.  Top-2 sets {c0,c1}, {c1,c2},
   * {c0,c3}: c0 in 2, c1 in 2, c2 in 1, c3 in 1. */
  g_assert_cmpuint (hs_meta_report_n_distinct_best (report), ==, 2);
  g_assert_cmpuint (hs_meta_report_top_count (report, C0), ==, 2);
  g_assert_cmpuint (hs_meta_report_top_count (report, C1), ==, 2);
  g_assert_cmpuint (hs_meta_report_top_count (report, C2), ==, 1);
  g_assert_cmpuint (hs_meta_report_top_count (report, C3), ==, 1);

  /* Spearman, ranks 1 = best, ties averaged:
   *   a = (1, 2, 3, 4)   b = (3, 1.5, 1.5, 4)   c = (1, 4, 3, 2)
   * centred on 2.5: a' = (-1.5, -0.5, 0.5, 1.5), b' = (0.5, -1, -1, 1.5),
   * c' = (-1.5, 1.5, 0.5, -0.5); Σa'² = Σc'² = 5, Σb'² = 4.5.
   *   ρ_ab = (-0.75 + 0.5 - 0.5 + 2.25) / √(5·4.5) = 1.5/√22.5 = √0.1
   *   ρ_ac = (2.25 - 0.75 + 0.25 - 0.75) / 5 = 0.2
   *   ρ_bc = (-0.75 - 1.5 - 0.5 - 0.75) / √22.5 = -3.5/√22.5 */
  rho_ab = sqrt (0.1);
  rho_ac = 0.2;
  rho_bc = -3.5 / sqrt (22.5);
  g_assert_cmpfloat_with_epsilon (hs_meta_report_spearman (report, A, B), rho_ab, TOL);
  g_assert_cmpfloat_with_epsilon (hs_meta_report_spearman (report, B, A), rho_ab, TOL);
  g_assert_cmpfloat_with_epsilon (hs_meta_report_spearman (report, A, C), rho_ac, TOL);
  g_assert_cmpfloat_with_epsilon (hs_meta_report_spearman (report, B, C), rho_bc, TOL);
  g_assert_cmpfloat_with_epsilon (hs_meta_report_spearman (report, A, A), 1.0, TOL);
  /* Mean (√0.1 + 0.2 - 3.5/√22.5)/3 ≈ -0.073879, population std ≈ 0.471900. */
  sum = hs_meta_report_spearman_summary (report);
  mean = (rho_ab + rho_ac + rho_bc) / 3;
  g_assert_cmpuint (sum->n, ==, 3);
  g_assert_cmpfloat_with_epsilon (sum->mean, mean, TOL);
  g_assert_cmpfloat_with_epsilon (sum->std, sqrt ((pow (rho_ab - mean, 2) + pow (rho_ac - mean, 2)
                                                   + pow (rho_bc - mean, 2)) / 3), TOL);
  g_assert_cmpfloat_with_epsilon (sum->mean, -0.0738790071185946, 1e-12);
  g_assert_cmpfloat_with_epsilon (sum->std, 0.4719004560872121, 1e-12);
  g_assert_cmpfloat_with_epsilon (sum->min, rho_bc, TOL);
  g_assert_cmpfloat_with_epsilon (sum->max, rho_ab, TOL);

  /* AP@2, r_ij = task j's ranking against task i's top 2:
   *   r_ab: relevant {c0,c1}, b ranks c1 c2: hit at 1 → (1/2)(1/1) = 0.5
   *   r_ba: relevant {c1,c2}, a ranks c0 c1: hit at 2 → (1/2)(1/2) = 0.25
   *   r_ac: relevant {c0,c1}, c ranks c0 c3: hit at 1 → 0.5
   *   r_ca: relevant {c0,c3}, a ranks c0 c1: hit at 1 → 0.5
   *   r_bc: relevant {c1,c2}, c ranks c0 c3: 0;  r_cb: {c0,c3} vs c1 c2: 0 */
  g_assert_cmpfloat (hs_meta_report_ap (report, A, A), ==, 1.0);
  g_assert_cmpfloat_with_epsilon (hs_meta_report_ap (report, A, B), 0.5, TOL);
  g_assert_cmpfloat_with_epsilon (hs_meta_report_ap (report, B, A), 0.25, TOL);
  g_assert_cmpfloat_with_epsilon (hs_meta_report_ap (report, A, C), 0.5, TOL);
  g_assert_cmpfloat_with_epsilon (hs_meta_report_ap (report, C, A), 0.5, TOL);
  g_assert_cmpfloat_with_epsilon (hs_meta_report_ap (report, B, C), 0.0, TOL);
  g_assert_cmpfloat_with_epsilon (hs_meta_report_ap (report, C, B), 0.0, TOL);
  /* Off the diagonal: mean 1.75/6 = 7/24; deviations 5/24 (×3), -1/24,
   * -7/24 (×2): std √(174/576/6). */
  sum = hs_meta_report_ap_summary (report);
  g_assert_cmpuint (sum->n, ==, 6);
  g_assert_cmpfloat_with_epsilon (sum->mean, 7.0 / 24, TOL);
  g_assert_cmpfloat_with_epsilon (sum->std, sqrt (174.0 / 576 / 6), TOL);
  g_assert_cmpfloat_with_epsilon (sum->min, 0.0, TOL);
  g_assert_cmpfloat_with_epsilon (sum->max, 0.5, TOL);

  /* Most similar to a: b and c tie at 0.5 (task order); to b: a (0.25)
   * then c (0); to c: a then b. */
  n = hs_meta_report_most_similar (report, A, similar, 3);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (similar[0], ==, B);
  g_assert_cmpuint (similar[1], ==, C);
  n = hs_meta_report_most_similar (report, B, similar, 1);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (similar[0], ==, A);
}

/* k = 3: r_ac = relevant {c0,c1,c2}, c ranks c0 c3 c2: hits at 1 and 3 →
 * (1/3)(1/1 + 2/3) = 5/9.  k = 10 > 4 configurations: every top list holds
 * all four, every configuration is relevant and every r_ij is 1. */
static void
test_k (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(HsMetaData) md = load_results (three_tasks, G_N_ELEMENTS (three_tasks), &dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsMetaReport) report3 = NULL, report10 = NULL;

  report3 = hs_meta_report_new (md, 3);
  g_assert_cmpfloat_with_epsilon (hs_meta_report_ap (report3, A, C), 5.0 / 9, TOL);
  /* r_ab: relevant {c0,c1,c2}, b ranks c1 c2 c0: all hits → 1. */
  g_assert_cmpfloat_with_epsilon (hs_meta_report_ap (report3, A, B), 1.0, TOL);
  assert_top (hs_meta_report_task (report3, B), 3, (const guint[]) { C1, C2, C0 });

  report10 = hs_meta_report_new (md, HS_META_REPORT_DEFAULT_K);
  for (guint i = 0; i < 3; i++)
    {
      assert_top (hs_meta_report_task (report10, i), 4, hs_meta_report_task (report10, i)->top);
      g_assert_cmpuint (hs_meta_report_task (report10, i)->n_top, ==, 4);
      for (guint j = 0; j < 3; j++)
        g_assert_cmpfloat (hs_meta_report_ap (report10, i, j), ==, 1.0);
    }
  for (guint c = 0; c < 4; c++)
    g_assert_cmpuint (hs_meta_report_top_count (report10, c), ==, 3);
  g_assert_cmpfloat (hs_meta_report_ap_summary (report10)->mean, ==, 1.0);
  g_assert_cmpfloat (hs_meta_report_ap_summary (report10)->std, ==, 0.0);
}

/* Pairs count over the configurations finished on both tasks.
 *
 *            c0    c1    c2    c3
 *   p        0.9   0.8   0.7   0.6
 *   q        0.6   0.7   –     0.9     (c2 unfinished: a curve, no final row)
 *   r        0.5   0.5   –     –       (a tie: its ranks are constant)
 *
 * p–q over {c0,c1,c3}: p ranks 1 2 3, q ranks 3 2 1: ρ = -1.  AP@2:
 * r_pq: relevant {c0,c1}, q ranks c3 c1: hit at 2 → 0.25; r_qp: relevant
 * {c3,c1}, p ranks c0 c1 → 0.25.  With r over {c0,c1} (n = 2 ≤ k): every
 * configuration is relevant, r = 1; ρ is undefined (r constant). */
static void
test_common_configs (void)
{
  static const Result results[] = {
    { "p", "c0", "0.9" }, { "p", "c1", "0.8" }, { "p", "c2", "0.7" }, { "p", "c3", "0.6" },
    { "q", "c0", "0.6" }, { "q", "c1", "0.7" }, { "q", "c2", NULL }, { "q", "c3", "0.9" },
    { "r", "c0", "0.5" }, { "r", "c1", "0.5" },
  };
  enum { P, Q, R };
  g_autofree char *dir = NULL;
  g_autoptr(HsMetaData) md = load_results (results, G_N_ELEMENTS (results), &dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsMetaReport) report = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  JsonObject *root, *rho;
  JsonArray *matrix;
  const HsMetaSummary *sum;

  report = hs_meta_report_new (md, 2);
  g_assert_cmpuint (hs_meta_report_n_tasks (report), ==, 3);
  g_assert_cmpuint (hs_meta_report_task (report, Q)->n_finished, ==, 3);
  assert_top (hs_meta_report_task (report, Q), 2, (const guint[]) { C3, C1 });
  /* r: c0 and c1 tie, c0 first in the grid; no spread. */
  g_assert_cmpuint (hs_meta_report_task (report, R)->best, ==, C0);
  g_assert_cmpfloat (hs_meta_report_task (report, R)->std, ==, 0.0);

  g_assert_cmpfloat_with_epsilon (hs_meta_report_spearman (report, P, Q), -1.0, TOL);
  g_assert_true (isnan (hs_meta_report_spearman (report, P, R)));
  g_assert_true (isnan (hs_meta_report_spearman (report, R, R)));
  sum = hs_meta_report_spearman_summary (report);
  g_assert_cmpuint (sum->n, ==, 1);
  g_assert_cmpfloat_with_epsilon (sum->mean, -1.0, TOL);
  g_assert_cmpfloat (sum->std, ==, 0.0);

  g_assert_cmpfloat_with_epsilon (hs_meta_report_ap (report, P, Q), 0.25, TOL);
  g_assert_cmpfloat_with_epsilon (hs_meta_report_ap (report, Q, P), 0.25, TOL);
  g_assert_cmpfloat (hs_meta_report_ap (report, P, R), ==, 1.0);
  g_assert_cmpfloat (hs_meta_report_ap (report, R, Q), ==, 1.0);

  /* The JSON: undefined values are null. */
  json = hs_meta_report_to_json (report);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "k"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (root, "finished_pairs"), ==, 9);
  rho = json_object_get_object_member (root, "spearman");
  g_assert_cmpint (json_object_get_int_member (rho, "pairs"), ==, 1);
  matrix = json_object_get_array_member (rho, "matrix");
  g_assert_cmpuint (json_array_get_length (matrix), ==, 3);
  g_assert_cmpfloat (json_array_get_double_element (json_array_get_array_element (matrix, P), Q),
                     ==, -1.0);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (
                   json_array_get_array_element (matrix, P), R)));
}

/* The JSON and text of the three-task report carry the same numbers. */
static void
test_renderings (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(HsMetaData) md = load_results (three_tasks, G_N_ELEMENTS (three_tasks), &dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsMetaReport) report = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL, *text = NULL;
  JsonObject *root, *task, *counts, *ap;
  JsonArray *tasks, *top, *skipped;

  report = hs_meta_report_new (md, 2);
  json = hs_meta_report_to_json (report);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "dir"), ==, dir);
  g_assert_cmpint (json_object_get_int_member (root, "tasks_total"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (root, "configurations"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (root, "epochs"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (root, "distinct_best"), ==, 2);
  skipped = json_object_get_array_member (root, "skipped_tasks");
  g_assert_cmpuint (json_array_get_length (skipped), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (skipped, 0), ==, "task-d");
  tasks = json_object_get_array_member (root, "tasks");
  g_assert_cmpuint (json_array_get_length (tasks), ==, 3);
  task = json_array_get_object_element (tasks, B);
  g_assert_cmpstr (json_object_get_string_member (task, "task"), ==, "task-b");
  g_assert_cmpstr (json_object_get_string_member (task, "best"), ==, "c1");
  /* Shortest exact numbers: 0.8 prints as 0.8 and reads back the same. */
  g_assert_nonnull (strstr (json, "\"best_val_acc\": 0.8,"));
  g_assert_cmpfloat (json_object_get_double_member (task, "mean"), ==,
                     hs_meta_report_task (report, B)->mean);
  top = json_object_get_array_member (task, "top");
  g_assert_cmpuint (json_array_get_length (top), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (top, 1), ==, "c2");
  counts = json_object_get_object_member (root, "top_counts");
  g_assert_cmpint (json_object_get_int_member (counts, "c3"), ==, 1);
  ap = json_object_get_object_member (root, "ap_at_k");
  g_assert_cmpfloat (json_array_get_double_element (json_array_get_array_element (
                       json_object_get_array_member (ap, "matrix"), B), A), ==, 0.25);
  g_assert_cmpfloat (json_object_get_double_member (ap, "mean"), ==,
                     hs_meta_report_ap_summary (report)->mean);

  text = hs_meta_report_to_text (report);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Skipped, with fewer than 2 finished configurations: task-d"));
  g_assert_nonnull (strstr (text, "Distinct best configurations: 2"));
  g_assert_nonnull (strstr (text, "0.074"));       /* mean ρ, -0.074 */
  g_assert_nonnull (strstr (text, "0.292"));       /* mean r, 7/24 */
  /* task-a's line: 4 finished, best c0 at 90.0 %, spread 60.0–90.0, top 2 c0 c1. */
  g_assert_true (g_regex_match_simple ("^task-a +4 +c0 +90\\.0 +60\\.0–90\\.0 +11\\.2 +c0 c1$",
                                       text, G_REGEX_MULTILINE, 0));
}

static void
test_empty_report (void)
{
  static const Result results[] = { { "solo", "c1", "0.5" } };
  g_autofree char *dir = NULL;
  g_autoptr(HsMetaData) md = load_results (results, G_N_ELEMENTS (results), &dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsMetaReport) report = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL, *text = NULL;

  report = hs_meta_report_new (md, 10);
  g_assert_cmpuint (hs_meta_report_n_tasks (report), ==, 0);
  g_assert_cmpuint (hs_meta_report_spearman_summary (report)->n, ==, 0);
  g_assert_true (isnan (hs_meta_report_spearman_summary (report)->mean));
  json = hs_meta_report_to_json (report);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  text = hs_meta_report_to_text (report);
  g_assert_nonnull (strstr (text, "nothing to report"));
}

/* The exported statistics on their own. */
static void
test_functions (void)
{
  const gdouble a[] = { 0.9, 0.8, 0.7, 0.6 };
  const gdouble b[] = { 0.6, 0.8, 0.8, 0.5 };
  const gdouble c[] = { 0.85, 0.6, 0.7, 0.8 };
  const gdouble flat[] = { 0.5, 0.5, 0.5, 0.5 };
  const gdouble reversed[] = { 0.1, 0.2, 0.3, 0.4 };
  const gdouble scores[] = { 0.5, 0.7, 0.5, 0.7 };
  guint order[4];

  g_assert_cmpfloat_with_epsilon (hs_meta_spearman (a, b, 4), sqrt (0.1), TOL);
  g_assert_cmpfloat (hs_meta_spearman (a, a, 4), ==, 1.0);
  g_assert_cmpfloat (hs_meta_spearman (a, reversed, 4), ==, -1.0);
  g_assert_true (isnan (hs_meta_spearman (a, flat, 4)));
  g_assert_true (isnan (hs_meta_spearman (a, b, 1)));

  /* Relevant: a's best k; ranked by c: c0 c3 c2 c1. */
  g_assert_cmpfloat (hs_meta_ap_at_k (a, c, 4, 1), ==, 1.0);
  g_assert_cmpfloat_with_epsilon (hs_meta_ap_at_k (a, c, 4, 2), 0.5, TOL);
  g_assert_cmpfloat_with_epsilon (hs_meta_ap_at_k (a, c, 4, 3), 5.0 / 9, TOL);
  g_assert_cmpfloat (hs_meta_ap_at_k (a, c, 4, 4), ==, 1.0);
  g_assert_cmpfloat (hs_meta_ap_at_k (a, c, 4, 100), ==, 1.0);
  /* Reversed, k = 2: relevant {c0,c1}, ranked c3 c2: 0. */
  g_assert_cmpfloat (hs_meta_ap_at_k (a, reversed, 4, 2), ==, 0.0);
  g_assert_true (isnan (hs_meta_ap_at_k (a, c, 0, 10)));

  hs_meta_rank_desc (scores, 4, order);
  g_assert_cmpuint (order[0], ==, 1);
  g_assert_cmpuint (order[1], ==, 3);
  g_assert_cmpuint (order[2], ==, 0);
  g_assert_cmpuint (order[3], ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/meta/report/functions", test_functions);
  g_test_add_func ("/meta/report/three-tasks", test_three_tasks);
  g_test_add_func ("/meta/report/k", test_k);
  g_test_add_func ("/meta/report/common-configs", test_common_configs);
  g_test_add_func ("/meta/report/renderings", test_renderings);
  g_test_add_func ("/meta/report/empty", test_empty_report);
  return g_test_run ();
}
