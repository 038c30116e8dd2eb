/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a meta-dataset says about its configurations: which win where, how
 * much the choice matters, and how alike the tasks' rankings are.  Pure
 * statistics of the finished pairs' final val_acc (hs-meta-data.h); what
 * `hyperstar-cli meta report` prints.
 *
 * Definitions.  Only finished pairs count; a task with fewer than 2
 * finished configurations is skipped (listed, in no statistic).  The
 * remaining tasks keep the HsMetaData's (name) order.
 *
 *   ranking of task i   its finished configurations by final val_acc,
 *                       highest first, ties in grid order.
 *   best                the first of the ranking.
 *   top-k               the first min(k, n) of the ranking (k = 10 unless
 *                       asked otherwise).
 *   min, max, mean, std of final val_acc over the finished configurations;
 *                       std is the population one (divides by n): the
 *                       grid is all there is, not a sample.
 *   distinct bests      how many configurations are the best of at least
 *                       one task.
 *   top count of c      how many tasks have c in their top-k.
 *   Spearman ρ_ij       over C_ij, the configurations finished on both
 *                       tasks: the Pearson correlation of the two tasks'
 *                       ranks of final val_acc within C_ij, tied values
 *                       sharing the average of their ranks.  Undefined
 *                       (NaN) when |C_ij| < 2 or one task gives every
 *                       configuration of C_ij the same value.  Summarised
 *                       over the pairs i < j where defined (population
 *                       std).
 *   AP@k r_ij           average precision at k of task j's ranking against
 *                       task i's best as the relevant items, over C_ij with
 *                       n = |C_ij| and k' = min(k, n):
 *                         relevant  R = the k' best of C_ij by task i's
 *                                   val_acc (ties in grid order);
 *                         ranking   π = C_ij by task j's val_acc, highest
 *                                   first (ties in grid order);
 *                         r_ij = (1/k') Σ_{m=1..k'} [π_m ∈ R] · |π_1..π_m ∩ R| / m.
 *                       r_ij = 1 exactly when j's k' best are i's k' best,
 *                       0 when none is; when k ≥ n every configuration is
 *                       relevant and r_ij = 1.  Not symmetric.  r_ii = 1;
 *                       undefined (NaN) when |C_ij| < 2.  r_ij says how
 *                       well task j's ranking would pick configurations
 *                       for task i: "the tasks most similar to i" are the
 *                       j with the highest r_ij.
 */
#pragma once

#include <glib.h>

#include "hs-meta-data.h"

G_BEGIN_DECLS

#define HS_META_REPORT_DEFAULT_K 10

/* Spearman's ρ of a[0..n) and b[0..n) (average ranks for ties); NaN when
 * n < 2 or either is constant.  Values must be finite. */
gdouble hs_meta_spearman (const gdouble *a, const gdouble *b, guint n);

/* AP@k as defined above, of ranking by ranking_scores[0..n) against the
 * min(k, n) items with the highest relevance_scores[0..n) (ties broken by
 * index, as grid order); NaN when n < 1.  Values must be finite. */
gdouble hs_meta_ap_at_k (const gdouble *relevance_scores, const gdouble *ranking_scores,
                         guint n, guint k);

/* indices[0..n) ordered by scores, highest first, ties by index. */
void    hs_meta_rank_desc (const gdouble *scores, guint n, guint *indices);

typedef struct {
  guint task;             /* index in the HsMetaData */
  guint n_finished;
  guint best;             /* configuration index */
  gdouble best_val;       /* final val_acc and test_acc of best */
  gdouble best_test;
  gdouble min, max, mean, std;
  guint n_top;            /* min (k, n_finished) */
  const guint *top;       /* configuration indices, best first */
} HsMetaTaskStats;

typedef struct {
  guint n;                /* values summarised; the rest are NaN when 0 */
  gdouble mean, std, min, max;
} HsMetaSummary;

typedef struct _HsMetaReport HsMetaReport;

/* Computes everything at once (k ≥ 1).  md must outlive the report. */
HsMetaReport          *hs_meta_report_new (HsMetaData *md, guint k);
void                   hs_meta_report_free (HsMetaReport *report);

HsMetaData            *hs_meta_report_get_data (HsMetaReport *report);
guint                  hs_meta_report_get_k (HsMetaReport *report);

/* The tasks reported, i < n_tasks (indices below are these i, not the
 * HsMetaData's task indices). */
guint                  hs_meta_report_n_tasks (HsMetaReport *report);
const HsMetaTaskStats *hs_meta_report_task (HsMetaReport *report, guint i);
/* The HsMetaData task indices of the skipped tasks (fewer than 2 finished
 * configurations), in order; *n_skipped set. */
const guint           *hs_meta_report_skipped (HsMetaReport *report, guint *n_skipped);

guint                  hs_meta_report_n_distinct_best (HsMetaReport *report);
/* config is an HsMetaData configuration index. */
guint                  hs_meta_report_top_count (HsMetaReport *report, guint config);

gdouble                hs_meta_report_spearman (HsMetaReport *report, guint i, guint j);
const HsMetaSummary   *hs_meta_report_spearman_summary (HsMetaReport *report);
gdouble                hs_meta_report_ap (HsMetaReport *report, guint i, guint j);
/* Over the defined r_ij with i ≠ j. */
const HsMetaSummary   *hs_meta_report_ap_summary (HsMetaReport *report);
/* Up to n_max tasks j ≠ i with the highest defined r_ij (ties in task
 * order) into similar[]; returns how many. */
guint                  hs_meta_report_most_similar (HsMetaReport *report, guint i,
                                                    guint *similar, guint n_max);

/* One JSON object:
 *   {"dir", "tasks_total", "configurations", "epochs", "finished_pairs", "k",
 *    "skipped_tasks": [name…],
 *    "tasks": [{"task", "finished", "best", "best_val_acc", "best_test_acc",
 *               "min", "max", "mean", "std", "top": [id…]}…],
 *    "distinct_best",
 *    "top_counts": {id: count…} (grid order, zeros included),
 *    "spearman": {"pairs", "mean", "std", "min", "max", "matrix": [[…]…]},
 *    "ap_at_k": {"pairs", "mean", "std", "min", "max", "matrix": [[…]…]}}
 * matrix[i][j] in the order of "tasks"; ap_at_k's summary is off the
 * diagonal; undefined values are null.  Numbers print in their shortest
 * exact form. */
char                  *hs_meta_report_to_json (HsMetaReport *report);
/* For people: a line per task (finished configurations, best, spread,
 * top-k), then the summary: distinct bests, top-k counts, Spearman, the
 * AP@k matrix's mean (the matrix itself for up to 6 tasks) and each task's
 * 3 most similar tasks. */
char                  *hs_meta_report_to_text (HsMetaReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsMetaReport, hs_meta_report_free)

G_END_DECLS
