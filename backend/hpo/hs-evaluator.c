/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Evaluators (see hs-evaluator.h): a function and its data, and the replay
 * of a table of learning curves.
 */
#define G_LOG_DOMAIN "hs-hpo"

#include "hs-evaluator.h"

struct _HsEvaluator
{
  HsEvaluateFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
};

HsEvaluator *
hs_evaluator_new (HsEvaluateFunc func, gpointer user_data, GDestroyNotify destroy)
{
  HsEvaluator *evaluator;

  g_return_val_if_fail (func != NULL, NULL);

  evaluator = g_new0 (HsEvaluator, 1);
  evaluator->func = func;
  evaluator->user_data = user_data;
  evaluator->destroy = destroy;
  return evaluator;
}

void
hs_evaluator_free (HsEvaluator *evaluator)
{
  if (evaluator == NULL)
    return;
  if (evaluator->destroy != NULL)
    evaluator->destroy (evaluator->user_data);
  g_free (evaluator);
}

gboolean
hs_evaluator_evaluate (HsEvaluator *evaluator, const HsTrial *trial, GArray *val_acc,
                       GArray *seconds, GError **error)
{
  guint n_epochs;

  g_return_val_if_fail (evaluator != NULL && trial != NULL, FALSE);
  g_return_val_if_fail (val_acc != NULL && seconds != NULL, FALSE);
  g_return_val_if_fail (trial->to_epoch > trial->from_epoch, FALSE);

  n_epochs = trial->to_epoch - trial->from_epoch;
  g_array_set_size (val_acc, 0);
  g_array_set_size (seconds, 0);
  if (!evaluator->func (trial, val_acc, seconds, evaluator->user_data, error))
    return FALSE;
  if (val_acc->len != n_epochs || seconds->len != n_epochs)
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_FAILED,
                   "trial %u (“%s”, epochs %u–%u): the evaluator gave %u accuracies and %u "
                   "times for %u epochs", trial->id, trial->config_id, trial->from_epoch + 1,
                   trial->to_epoch, val_acc->len, seconds->len, n_epochs);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  HsTableLookupFunc lookup;
  gpointer user_data;
} TableEvaluator;

static gboolean
table_evaluate (const HsTrial *trial, GArray *val_acc, GArray *seconds, gpointer user_data,
                GError **error)
{
  TableEvaluator *table = user_data;

  for (guint epoch = trial->from_epoch + 1; epoch <= trial->to_epoch; epoch++)
    {
      gdouble acc = 0, secs = 0;

      if (!table->lookup (trial->config_id, epoch, &acc, &secs, table->user_data))
        {
          g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_LOOKUP,
                       "replay: no recorded validation accuracy for configuration “%s” "
                       "after epoch %u", trial->config_id, epoch);
          return FALSE;
        }
      g_array_append_val (val_acc, acc);
      g_array_append_val (seconds, secs);
    }
  return TRUE;
}

HsEvaluator *
hs_table_evaluator_new (HsTableLookupFunc lookup, gpointer user_data)
{
  TableEvaluator *table;

  g_return_val_if_fail (lookup != NULL, NULL);

  table = g_new0 (TableEvaluator, 1);
  table->lookup = lookup;
  table->user_data = user_data;
  return hs_evaluator_new (table_evaluate, table, g_free);
}
