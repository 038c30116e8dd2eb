/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Statistics of a meta-dataset (see hs-meta-report.h for the definitions).
 */
#define G_LOG_DOMAIN "hs-meta"

#include <math.h>
#include <string.h>

#include "hs-format.h"
#include "hs-meta-report.h"

/* Tasks up to which the text shows the whole AP@k matrix; beyond, its
 * rows no longer fit a terminal and the most similar tasks say more. */
#define TEXT_MATRIX_MAX_TASKS 6
#define TEXT_N_SIMILAR 3

struct _HsMetaReport
{
  HsMetaData *md;
  guint k;
  GArray *tasks;           /* HsMetaTaskStats */
  GArray *skipped;         /* guint */
  guint n_distinct_best;
  guint *top_count;        /* [config] */
  gdouble *spearman;       /* [i][j] */
  gdouble *ap;             /* [i][j] */
  HsMetaSummary spearman_summary;
  HsMetaSummary ap_summary;
};

/* Pure statistics */

typedef struct
{
  const gdouble *scores;
} RankData;

static int
compare_desc (gconstpointer a, gconstpointer b, gpointer data)
{
  const gdouble *scores = ((RankData *) data)->scores;
  guint i = *(const guint *) a, j = *(const guint *) b;

  if (scores[i] != scores[j])
    return scores[i] > scores[j] ? -1 : 1;
  return i < j ? -1 : i > j;
}

void
hs_meta_rank_desc (const gdouble *scores, guint n, guint *indices)
{
  RankData data = { scores };

  for (guint i = 0; i < n; i++)
    indices[i] = i;
  g_qsort_with_data (indices, n, sizeof (guint), compare_desc, &data);
}

/* Ranks 1..n, highest value first; tied values share the average of the
 * ranks they span. */
static void
average_ranks (const gdouble *values, guint n, gdouble *ranks)
{
  g_autofree guint *order = g_new (guint, n);

  hs_meta_rank_desc (values, n, order);
  for (guint p = 0; p < n;)
    {
      guint q = p + 1;

      while (q < n && values[order[q]] == values[order[p]])
        q++;
      /* Positions p..q-1 hold ranks p+1..q. */
      for (guint x = p; x < q; x++)
        ranks[order[x]] = (p + 1 + q) / 2.0;
      p = q;
    }
}

gdouble
hs_meta_spearman (const gdouble *a, const gdouble *b, guint n)
{
  g_autofree gdouble *ra = NULL, *rb = NULL;
  gdouble mean = (n + 1) / 2.0, sxx = 0, syy = 0, sxy = 0;

  if (n < 2)
    return NAN;
  ra = g_new (gdouble, n);
  rb = g_new (gdouble, n);
  average_ranks (a, n, ra);
  average_ranks (b, n, rb);
  /* Average ranks keep the mean of 1..n whatever the ties. */
  for (guint i = 0; i < n; i++)
    {
      sxx += (ra[i] - mean) * (ra[i] - mean);
      syy += (rb[i] - mean) * (rb[i] - mean);
      sxy += (ra[i] - mean) * (rb[i] - mean);
    }
  if (sxx == 0 || syy == 0)
    return NAN;
  /* sqrt (x · x) is x exactly: identical rankings give exactly 1. */
  return CLAMP (sxy / sqrt (sxx * syy), -1.0, 1.0);
}

gdouble
hs_meta_ap_at_k (const gdouble *relevance_scores, const gdouble *ranking_scores, guint n,
                 guint k)
{
  g_autofree guint *by_relevance = NULL, *ranking = NULL;
  g_autofree gboolean *relevant = NULL;
  guint kk = MIN (k, n), hits = 0;
  gdouble sum = 0;

  if (n < 1 || kk < 1)
    return NAN;
  by_relevance = g_new (guint, n);
  ranking = g_new (guint, n);
  relevant = g_new0 (gboolean, n);
  hs_meta_rank_desc (relevance_scores, n, by_relevance);
  hs_meta_rank_desc (ranking_scores, n, ranking);
  for (guint m = 0; m < kk; m++)
    relevant[by_relevance[m]] = TRUE;
  for (guint m = 0; m < kk; m++)
    if (relevant[ranking[m]])
      {
        hits++;
        sum += (gdouble) hits / (m + 1);
      }
  return sum / kk;
}

/* Mean, population std, min and max of the values that are not NaN. */
static void
summarise (const gdouble *values, gsize n, HsMetaSummary *s)
{
  gdouble sum = 0, sq = 0;

  s->n = 0;
  s->min = INFINITY;
  s->max = -INFINITY;
  for (gsize i = 0; i < n; i++)
    if (!isnan (values[i]))
      {
        s->n++;
        sum += values[i];
        s->min = MIN (s->min, values[i]);
        s->max = MAX (s->max, values[i]);
      }
  if (s->n == 0)
    {
      s->mean = s->std = s->min = s->max = NAN;
      return;
    }
  s->mean = sum / s->n;
  for (gsize i = 0; i < n; i++)
    if (!isnan (values[i]))
      sq += (values[i] - s->mean) * (values[i] - s->mean);
  s->std = sqrt (sq / s->n);
}

/* The report */

static void
task_stats_clear (gpointer p)
{
  g_free ((guint *) ((HsMetaTaskStats *) p)->top);
}

void
hs_meta_report_free (HsMetaReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->tasks, g_array_unref);
  g_clear_pointer (&report->skipped, g_array_unref);
  g_free (report->top_count);
  g_free (report->spearman);
  g_free (report->ap);
  g_free (report);
}

static void
compute_task (HsMetaReport *report, guint t, HsMetaTaskStats *stats)
{
  HsMetaData *md = report->md;
  guint n_configs = hs_meta_data_n_configs (md);
  g_autofree gdouble *values = g_new (gdouble, n_configs);
  g_autofree guint *configs = g_new (guint, n_configs);
  g_autofree guint *order = NULL;
  HsMetaSummary s;
  guint n = 0, *top;

  for (guint c = 0; c < n_configs; c++)
    if (hs_meta_data_is_finished (md, t, c))
      {
        configs[n] = c;
        values[n++] = hs_meta_data_final_val (md, t, c);
      }
  order = g_new (guint, n);
  hs_meta_rank_desc (values, n, order);
  summarise (values, n, &s);

  stats->task = t;
  stats->n_finished = n;
  stats->best = configs[order[0]];
  stats->best_val = hs_meta_data_final_val (md, t, stats->best);
  stats->best_test = hs_meta_data_final_test (md, t, stats->best);
  stats->min = s.min;
  stats->max = s.max;
  stats->mean = s.mean;
  stats->std = s.std;
  stats->n_top = MIN (report->k, n);
  top = g_new (guint, stats->n_top);
  for (guint i = 0; i < stats->n_top; i++)
    top[i] = configs[order[i]];
  stats->top = top;
}

/* Spearman and AP@k of one pair of reported tasks, over the
 * configurations finished on both, in grid order (so the functions'
 * index ties are grid-order ties). */
static void
compute_pair (HsMetaReport *report, guint i, guint j)
{
  HsMetaData *md = report->md;
  guint n_tasks = report->tasks->len, n_configs = hs_meta_data_n_configs (md);
  guint ti = g_array_index (report->tasks, HsMetaTaskStats, i).task;
  guint tj = g_array_index (report->tasks, HsMetaTaskStats, j).task;
  g_autofree gdouble *a = g_new (gdouble, n_configs);
  g_autofree gdouble *b = g_new (gdouble, n_configs);
  guint n = 0;

  for (guint c = 0; c < n_configs; c++)
    if (hs_meta_data_is_finished (md, ti, c) && hs_meta_data_is_finished (md, tj, c))
      {
        a[n] = hs_meta_data_final_val (md, ti, c);
        b[n++] = hs_meta_data_final_val (md, tj, c);
      }
  report->spearman[i * n_tasks + j] = report->spearman[j * n_tasks + i] =
    hs_meta_spearman (a, b, n);
  report->ap[i * n_tasks + j] = n >= 2 ? hs_meta_ap_at_k (a, b, n, report->k) : NAN;
  report->ap[j * n_tasks + i] = n >= 2 ? hs_meta_ap_at_k (b, a, n, report->k) : NAN;
}

HsMetaReport *
hs_meta_report_new (HsMetaData *md, guint k)
{
  HsMetaReport *report;
  guint n_tasks, n_configs;
  g_autofree gboolean *is_best = NULL;
  g_autofree gdouble *upper = NULL, *off = NULL;
  gsize n_upper = 0, n_off = 0;

  g_return_val_if_fail (md != NULL, NULL);
  g_return_val_if_fail (k >= 1, NULL);

  n_configs = hs_meta_data_n_configs (md);
  report = g_new0 (HsMetaReport, 1);
  report->md = md;
  report->k = k;
  report->tasks = g_array_new (FALSE, TRUE, sizeof (HsMetaTaskStats));
  g_array_set_clear_func (report->tasks, task_stats_clear);
  report->skipped = g_array_new (FALSE, FALSE, sizeof (guint));
  report->top_count = g_new0 (guint, n_configs);
  is_best = g_new0 (gboolean, n_configs);

  for (guint t = 0; t < hs_meta_data_n_tasks (md); t++)
    {
      HsMetaTaskStats stats = { 0 };
      guint finished = 0;

      for (guint c = 0; c < n_configs; c++)
        finished += hs_meta_data_is_finished (md, t, c);
      if (finished < 2)
        {
          g_array_append_val (report->skipped, t);
          continue;
        }
      compute_task (report, t, &stats);
      if (!is_best[stats.best])
        {
          is_best[stats.best] = TRUE;
          report->n_distinct_best++;
        }
      for (guint i = 0; i < stats.n_top; i++)
        report->top_count[stats.top[i]]++;
      g_array_append_val (report->tasks, stats);
    }

  n_tasks = report->tasks->len;
  report->spearman = g_new (gdouble, (gsize) n_tasks * n_tasks);
  report->ap = g_new (gdouble, (gsize) n_tasks * n_tasks);
  upper = g_new (gdouble, (gsize) n_tasks * n_tasks / 2 + 1);
  off = g_new (gdouble, (gsize) n_tasks * n_tasks + 1);
  for (guint i = 0; i < n_tasks; i++)
    {
      /* A task's ranking against itself: ρ is 1 unless every value ties. */
      const HsMetaTaskStats *s = &g_array_index (report->tasks, HsMetaTaskStats, i);

      report->spearman[i * n_tasks + i] = s->min < s->max ? 1.0 : NAN;
      report->ap[i * n_tasks + i] = 1.0;
      for (guint j = i + 1; j < n_tasks; j++)
        {
          compute_pair (report, i, j);
          upper[n_upper++] = report->spearman[i * n_tasks + j];
          off[n_off++] = report->ap[i * n_tasks + j];
          off[n_off++] = report->ap[j * n_tasks + i];
        }
    }
  summarise (upper, n_upper, &report->spearman_summary);
  summarise (off, n_off, &report->ap_summary);
  return report;
}

HsMetaData *
hs_meta_report_get_data (HsMetaReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);
  return report->md;
}

guint
hs_meta_report_get_k (HsMetaReport *report)
{
  g_return_val_if_fail (report != NULL, 0);
  return report->k;
}

guint
hs_meta_report_n_tasks (HsMetaReport *report)
{
  g_return_val_if_fail (report != NULL, 0);
  return report->tasks->len;
}

const HsMetaTaskStats *
hs_meta_report_task (HsMetaReport *report, guint i)
{
  g_return_val_if_fail (report != NULL && i < report->tasks->len, NULL);
  return &g_array_index (report->tasks, HsMetaTaskStats, i);
}

const guint *
hs_meta_report_skipped (HsMetaReport *report, guint *n_skipped)
{
  g_return_val_if_fail (report != NULL && n_skipped != NULL, NULL);
  *n_skipped = report->skipped->len;
  return (const guint *) report->skipped->data;
}

guint
hs_meta_report_n_distinct_best (HsMetaReport *report)
{
  g_return_val_if_fail (report != NULL, 0);
  return report->n_distinct_best;
}

guint
hs_meta_report_top_count (HsMetaReport *report, guint config)
{
  g_return_val_if_fail (report != NULL, 0);
  g_return_val_if_fail (config < hs_meta_data_n_configs (report->md), 0);
  return report->top_count[config];
}

gdouble
hs_meta_report_spearman (HsMetaReport *report, guint i, guint j)
{
  g_return_val_if_fail (report != NULL, NAN);
  g_return_val_if_fail (i < report->tasks->len && j < report->tasks->len, NAN);
  return report->spearman[i * report->tasks->len + j];
}

const HsMetaSummary *
hs_meta_report_spearman_summary (HsMetaReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);
  return &report->spearman_summary;
}

gdouble
hs_meta_report_ap (HsMetaReport *report, guint i, guint j)
{
  g_return_val_if_fail (report != NULL, NAN);
  g_return_val_if_fail (i < report->tasks->len && j < report->tasks->len, NAN);
  return report->ap[i * report->tasks->len + j];
}

const HsMetaSummary *
hs_meta_report_ap_summary (HsMetaReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);
  return &report->ap_summary;
}

guint
hs_meta_report_most_similar (HsMetaReport *report, guint i, guint *similar, guint n_max)
{
  guint n_tasks, n = 0;
  g_autofree gdouble *r = NULL;
  g_autofree guint *order = NULL;

  g_return_val_if_fail (report != NULL && i < report->tasks->len, 0);
  n_tasks = report->tasks->len;
  r = g_new (gdouble, n_tasks);
  order = g_new (guint, n_tasks);
  /* Undefined and the task itself sort last, and are never taken. */
  for (guint j = 0; j < n_tasks; j++)
    r[j] = j == i || isnan (report->ap[i * n_tasks + j]) ? -INFINITY : report->ap[i * n_tasks + j];
  hs_meta_rank_desc (r, n_tasks, order);
  for (guint m = 0; m < n_tasks && n < n_max; m++)
    if (r[order[m]] != -INFINITY)
      similar[n++] = order[m];
  return n;
}

/* JSON */

/* Names and ids are plain ASCII in practice; anything else is escaped so
 * the output is valid JSON whatever the files held. */
static void
append_json_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (; *s != '\0'; s++)
    {
      guchar c = (guchar) *s;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

/* The shortest of %.15g / %.16g / %.17g that reads back as the same
 * double, so 0.9 prints as 0.9 and every value still round-trips; JSON
 * has no NaN: undefined values are null. */
static void
append_json_double (GString *out, gdouble value)
{
  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  hs_append_shortest_double (out, value);
}

static void
append_json_summary (GString *out, const HsMetaSummary *s)
{
  g_string_append_printf (out, "\"pairs\": %u, \"mean\": ", s->n);
  append_json_double (out, s->mean);
  g_string_append (out, ", \"std\": ");
  append_json_double (out, s->std);
  g_string_append (out, ", \"min\": ");
  append_json_double (out, s->min);
  g_string_append (out, ", \"max\": ");
  append_json_double (out, s->max);
}

static void
append_json_matrix (GString *out, const gdouble *m, guint n)
{
  g_string_append (out, "\"matrix\": [");
  for (guint i = 0; i < n; i++)
    {
      g_string_append (out, i ? ",\n      [" : "\n      [");
      for (guint j = 0; j < n; j++)
        {
          if (j)
            g_string_append (out, ", ");
          append_json_double (out, m[i * n + j]);
        }
      g_string_append_c (out, ']');
    }
  g_string_append (out, n ? "\n    ]" : "]");
}

char *
hs_meta_report_to_json (HsMetaReport *report)
{
  HsMetaData *md;
  g_autoptr(GString) out = g_string_new ("{\n  \"dir\": ");
  guint n_tasks;

  g_return_val_if_fail (report != NULL, NULL);
  md = report->md;
  n_tasks = report->tasks->len;

  append_json_string (out, hs_meta_data_dir (md));
  g_string_append_printf (out, ",\n  \"tasks_total\": %u,\n  \"configurations\": %u,\n"
                          "  \"epochs\": %u,\n  \"finished_pairs\": %u,\n  \"k\": %u,\n"
                          "  \"skipped_tasks\": [",
                          hs_meta_data_n_tasks (md), hs_meta_data_n_configs (md),
                          hs_meta_data_max_epoch (md), hs_meta_data_n_finished (md), report->k);
  for (guint i = 0; i < report->skipped->len; i++)
    {
      if (i)
        g_string_append (out, ", ");
      append_json_string (out, hs_meta_data_task_name (md, g_array_index (report->skipped,
                                                                          guint, i)));
    }
  g_string_append (out, "],\n  \"tasks\": [");
  for (guint i = 0; i < n_tasks; i++)
    {
      const HsMetaTaskStats *s = &g_array_index (report->tasks, HsMetaTaskStats, i);

      g_string_append (out, i ? ",\n    {\"task\": " : "\n    {\"task\": ");
      append_json_string (out, hs_meta_data_task_name (md, s->task));
      g_string_append_printf (out, ", \"finished\": %u, \"best\": ", s->n_finished);
      append_json_string (out, hs_meta_data_config_id (md, s->best));
      g_string_append (out, ", \"best_val_acc\": ");
      append_json_double (out, s->best_val);
      g_string_append (out, ", \"best_test_acc\": ");
      append_json_double (out, s->best_test);
      g_string_append (out, ", \"min\": ");
      append_json_double (out, s->min);
      g_string_append (out, ", \"max\": ");
      append_json_double (out, s->max);
      g_string_append (out, ", \"mean\": ");
      append_json_double (out, s->mean);
      g_string_append (out, ", \"std\": ");
      append_json_double (out, s->std);
      g_string_append (out, ", \"top\": [");
      for (guint m = 0; m < s->n_top; m++)
        {
          if (m)
            g_string_append (out, ", ");
          append_json_string (out, hs_meta_data_config_id (md, s->top[m]));
        }
      g_string_append (out, "]}");
    }
  g_string_append (out, n_tasks ? "\n  ],\n" : "],\n");
  g_string_append_printf (out, "  \"distinct_best\": %u,\n  \"top_counts\": {",
                          report->n_distinct_best);
  for (guint c = 0; c < hs_meta_data_n_configs (md); c++)
    {
      g_string_append (out, c ? ", " : "");
      append_json_string (out, hs_meta_data_config_id (md, c));
      g_string_append_printf (out, ": %u", report->top_count[c]);
    }
  g_string_append (out, "},\n  \"spearman\": {");
  append_json_summary (out, &report->spearman_summary);
  g_string_append (out, ",\n    ");
  append_json_matrix (out, report->spearman, n_tasks);
  g_string_append (out, "},\n  \"ap_at_k\": {");
  append_json_summary (out, &report->ap_summary);
  g_string_append (out, ",\n    ");
  append_json_matrix (out, report->ap, n_tasks);
  g_string_append (out, "}\n}\n");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Text */

static char *
percent (gdouble value)
{
  return g_strdup_printf ("%.1f", 100.0 * value);
}

/* printf's widths count bytes; en dashes take three. */
static void
append_padded (GString *out, const char *s, guint width, gboolean right)
{
  glong n = g_utf8_strlen (s, -1);

  if (!right)
    g_string_append (out, s);
  for (glong i = n; i < (glong) width; i++)
    g_string_append_c (out, ' ');
  if (right)
    g_string_append (out, s);
}

static int
compare_counts (gconstpointer a, gconstpointer b, gpointer data)
{
  const guint *count = data;
  guint i = *(const guint *) a, j = *(const guint *) b;

  if (count[i] != count[j])
    return count[i] > count[j] ? -1 : 1;
  return i < j ? -1 : i > j;
}

static void
append_ap_matrix (GString *out, HsMetaReport *report, int name_width)
{
  HsMetaData *md = report->md;
  guint n_tasks = report->tasks->len;

  g_string_append_printf (out, "  %-*s", name_width, "i \\ j");
  for (guint j = 0; j < n_tasks; j++)
    g_string_append_printf (out, " %6u", j + 1);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < n_tasks; i++)
    {
      const HsMetaTaskStats *s = &g_array_index (report->tasks, HsMetaTaskStats, i);
      g_autofree char *label = g_strdup_printf ("%u %s", i + 1,
                                                hs_meta_data_task_name (md, s->task));

      g_string_append_printf (out, "  %-*s", name_width, label);
      for (guint j = 0; j < n_tasks; j++)
        {
          gdouble r = report->ap[i * n_tasks + j];

          g_string_append_c (out, ' ');
          if (isnan (r))
            append_padded (out, "–", 6, TRUE);
          else
            g_string_append_printf (out, "%6.3f", r);
        }
      g_string_append_c (out, '\n');
    }
}

char *
hs_meta_report_to_text (HsMetaReport *report)
{
  HsMetaData *md;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree guint *by_count = NULL;
  const HsMetaSummary *rho, *ap;
  guint n_tasks, n_configs, n_never = 0;
  int name_width = 4, id_width = 4;

  g_return_val_if_fail (report != NULL, NULL);
  md = report->md;
  n_tasks = report->tasks->len;
  n_configs = hs_meta_data_n_configs (md);
  for (guint t = 0; t < hs_meta_data_n_tasks (md); t++)
    name_width = MAX (name_width, (int) strlen (hs_meta_data_task_name (md, t)));
  for (guint c = 0; c < n_configs; c++)
    id_width = MAX (id_width, (int) strlen (hs_meta_data_config_id (md, c)));

  g_string_append_printf (out, "Meta-dataset %s: %u tasks × %u configurations, %u epoch%s; "
                          "%u pairs finished\n", hs_meta_data_dir (md), hs_meta_data_n_tasks (md),
                          n_configs, hs_meta_data_max_epoch (md),
                          hs_meta_data_max_epoch (md) == 1 ? "" : "s",
                          hs_meta_data_n_finished (md));
  if (report->skipped->len > 0)
    {
      g_string_append (out, "Skipped, with fewer than 2 finished configurations:");
      for (guint i = 0; i < report->skipped->len; i++)
        g_string_append_printf (out, " %s", hs_meta_data_task_name (
                                  md, g_array_index (report->skipped, guint, i)));
      g_string_append_c (out, '\n');
    }
  if (n_tasks == 0)
    {
      g_string_append (out, "No task has 2 finished configurations yet: nothing to report.\n");
      return g_string_free (g_steal_pointer (&out), FALSE);
    }

  /* Per task. */
  g_string_append_printf (out, "\nFinal val_acc (%%) over each task's finished configurations:\n"
                          "%-*s  %4s  %-*s  %5s  ", name_width, "task", "done", id_width, "best",
                          "val");
  append_padded (out, "min–max", 11, FALSE);
  g_string_append_printf (out, "  %4s  top %u\n", "std", report->k);
  for (guint i = 0; i < n_tasks; i++)
    {
      const HsMetaTaskStats *s = &g_array_index (report->tasks, HsMetaTaskStats, i);
      g_autofree char *best = percent (s->best_val), *lo = percent (s->min);
      g_autofree char *hi = percent (s->max), *std = percent (s->std);
      g_autofree char *spread = g_strdup_printf ("%s–%s", lo, hi);

      g_string_append_printf (out, "%-*s  %4u  %-*s  %5s  ", name_width,
                              hs_meta_data_task_name (md, s->task), s->n_finished, id_width,
                              hs_meta_data_config_id (md, s->best), best);
      append_padded (out, spread, 11, FALSE);
      g_string_append_printf (out, "  %4s ", std);
      for (guint m = 0; m < s->n_top; m++)
        g_string_append_printf (out, " %s", hs_meta_data_config_id (md, s->top[m]));
      g_string_append_c (out, '\n');
    }

  /* Over tasks. */
  g_string_append_printf (out, "\nDistinct best configurations: %u (over %u tasks, of %u "
                          "configurations)\n", report->n_distinct_best, n_tasks, n_configs);
  g_string_append_printf (out, "Tasks with the configuration in their top %u:\n", report->k);
  by_count = g_new (guint, n_configs);
  for (guint c = 0; c < n_configs; c++)
    by_count[c] = c;
  g_qsort_with_data (by_count, n_configs, sizeof (guint), compare_counts, report->top_count);
  for (guint m = 0; m < n_configs; m++)
    {
      guint c = by_count[m];

      if (report->top_count[c] == 0)
        n_never++;
      else
        g_string_append_printf (out, "  %-*s %4u\n", id_width, hs_meta_data_config_id (md, c),
                                report->top_count[c]);
    }
  if (n_never > 0)
    g_string_append_printf (out, "  (%u configuration%s in no task's top %u)\n", n_never,
                            n_never == 1 ? " is" : "s are", report->k);

  rho = &report->spearman_summary;
  if (rho->n == 0)
    g_string_append (out, "\nSpearman rank correlation between tasks: undefined (no pair of "
                          "tasks shares 2 finished configurations that rank apart)\n");
  else
    g_string_append_printf (out, "\nSpearman rank correlation between tasks: %.3f ± %.3f "
                            "(min %.3f, max %.3f; %u pairs)\n", rho->mean, rho->std, rho->min,
                            rho->max, rho->n);

  ap = &report->ap_summary;
  g_string_append_printf (out, "AP@%u between tasks (r_ij: task j's ranking against task i's "
                          "top %u): ", report->k, report->k);
  if (ap->n == 0)
    {
      g_string_append (out, "undefined (a single task)\n");
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  g_string_append_printf (out, "mean off-diagonal %.3f ± %.3f (min %.3f, max %.3f)\n",
                          ap->mean, ap->std, ap->min, ap->max);
  if (n_tasks <= TEXT_MATRIX_MAX_TASKS)
    append_ap_matrix (out, report, name_width + 4);
  else
    g_string_append (out, "  (the whole matrix with --json)\n");
  g_string_append (out, "Most similar tasks (highest r_ij):\n");
  for (guint i = 0; i < n_tasks; i++)
    {
      const HsMetaTaskStats *s = &g_array_index (report->tasks, HsMetaTaskStats, i);
      guint similar[TEXT_N_SIMILAR];
      guint n = hs_meta_report_most_similar (report, i, similar, TEXT_N_SIMILAR);

      g_string_append_printf (out, "  %-*s ", name_width, hs_meta_data_task_name (md, s->task));
      for (guint m = 0; m < n; m++)
        {
          const HsMetaTaskStats *sj = &g_array_index (report->tasks, HsMetaTaskStats,
                                                      similar[m]);

          g_string_append_printf (out, "%s%s %.3f", m ? ", " : "",
                                  hs_meta_data_task_name (md, sj->task),
                                  report->ap[i * n_tasks + similar[m]]);
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
