/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the scheduler tests share (see hs-test-hpo.h).
 */
#include "hs-test-hpo.h"

gint
hs_test_compare_ranked (gconstpointer a, gconstpointer b)
{
  const HsTestRanked *x = a, *y = b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return (gint) x->position - (gint) y->position;
}

char *
hs_test_trial_text (const HsTrial *trial)
{
  return g_strdup_printf ("%u %s %s %u-%u parent %d bracket %u/%u rung %u", trial->id,
                          trial->config_id, trial->config_json, trial->from_epoch,
                          trial->to_epoch, trial->parent, trial->bracket, trial->bracket_index,
                          trial->rung);
}

HsTrial *
hs_test_copy_trial (const HsTrial *trial, gboolean keep_curve)
{
  HsTrial *copy = g_new0 (HsTrial, 1);

  *copy = *trial;
  copy->config_id = g_strdup (trial->config_id);
  copy->config_json = g_strdup (trial->config_json);
  copy->curve = keep_curve && trial->curve != NULL ? g_array_copy (trial->curve) : NULL;
  copy->message = g_strdup (trial->message);
  return copy;
}

void
hs_test_free_trial_copy (HsTrial *trial)
{
  g_free (trial->config_id);
  g_free (trial->config_json);
  g_clear_pointer (&trial->curve, g_array_unref);
  g_free (trial->message);
  g_free (trial);
}

void
hs_test_run_to_stop (HsScheduler *scheduler, const HsTestStop *stop, HsTrialFunc report,
                     gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  const HsTrial *trial;

  while (hs_scheduler_get_trials (scheduler)->len < stop->n_trials)
    {
      g_assert_cmpint (hs_scheduler_next (scheduler, &trial, &error), ==, HS_SCHEDULER_TRIAL);
      if (trial->id == stop->pending[0] || trial->id == stop->pending[1])
        continue;
      if (trial->id == stop->failed)
        g_assert_true (hs_scheduler_report_failure (scheduler, trial->id, "killed", NULL));
      else
        report (scheduler, trial, user_data);
    }
}

guint
hs_test_finish_together (HsScheduler *a, HsScheduler *b, const HsTestStop *stop,
                         HsTrialFunc report, gpointer user_data)
{
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (stop->pending); i++)
    report (a, hs_scheduler_get_trial (a, stop->pending[i]), user_data);
  for (guint i = 0; i < G_N_ELEMENTS (stop->pending); i++)
    report (b, hs_scheduler_get_trial (b, stop->pending[i]), user_data);
  for (;;)
    {
      const HsTrial *x = NULL, *y = NULL;
      HsSchedulerStatus sx = hs_scheduler_next (a, &x, NULL);
      HsSchedulerStatus sy = hs_scheduler_next (b, &y, NULL);
      g_autofree char *tx = NULL, *ty = NULL;

      g_assert_cmpint (sx, ==, sy);
      if (sx == HS_SCHEDULER_DONE)
        return n;
      g_assert_cmpint (sx, ==, HS_SCHEDULER_TRIAL);
      tx = hs_test_trial_text (x);
      ty = hs_test_trial_text (y);
      g_assert_cmpstr (tx, ==, ty);
      report (a, x, user_data);
      report (b, y, user_data);
      n++;
    }
}
