/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the scheduler tests share (test-schedulers, test-bohb): trials as
 * text and as copies a store would keep, ranking as promotions do, and a
 * daemon's stop and restore driven to the end of a search.
 */
#pragma once

#include "hs-hpo.h"

G_BEGIN_DECLS

/* A trial's position in its rung and its score, for qsort with
 * hs_test_compare_ranked: best first, ties to the earlier. */
typedef struct {
  guint position;
  gdouble score;
} HsTestRanked;

gint     hs_test_compare_ranked (gconstpointer a, gconstpointer b);

/* Everything that makes two trials the same trial, on one line. */
char    *hs_test_trial_text (const HsTrial *trial);

/* A deep copy, as a store keeps a trial (the curve only with keep_curve);
 * free it with hs_test_free_trial_copy. */
HsTrial *hs_test_copy_trial (const HsTrial *trial, gboolean keep_curve);
void     hs_test_free_trial_copy (HsTrial *trial);

/* Where a daemon stops a search: once n_trials have been handed out, with
 * two of them still running (pending) and one failed. */
typedef struct {
  guint n_trials;
  guint pending[2];
  guint failed;
} HsTestStop;

/* Asks for trials until stop->n_trials have been handed out, reporting
 * each through report, except the pending ones (left out) and the failed
 * one (reported failed, "killed"). */
void     hs_test_run_to_stop (HsScheduler *scheduler, const HsTestStop *stop, HsTrialFunc report,
                              gpointer user_data);

/* After a stop: reports the pending trials to a and to b, then runs both
 * to the end together, asserting that they hand out the same trials.
 * Returns how many each handed out after the pending ones. */
guint    hs_test_finish_together (HsScheduler *a, HsScheduler *b, const HsTestStop *stop,
                                  HsTrialFunc report, gpointer user_data);

G_END_DECLS
