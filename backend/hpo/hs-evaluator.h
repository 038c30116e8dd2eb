/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An evaluator runs one trial: it trains trial->config_id (whose settings
 * are trial->config_json) from trial->from_epoch to trial->to_epoch and
 * gives the validation accuracy after each of those epochs.  When
 * from_epoch > 0 the configuration was trained that far by trial
 * trial->parent, and the evaluator continues it (from that trial's
 * checkpoint, for the trainer) rather than starting again: this is what
 * makes a Hyperband promotion cost r_{i+1} − r_i epochs instead of r_{i+1}.
 *
 * Evaluators plug in here:
 *   the trainer           fine-tunes, saving a checkpoint per trial;
 *   a replay              looks values up in recorded learning curves
 *                         (hs_table_evaluator_new);
 *   tests                 synthetic curves.
 */
#pragma once

#include "hs-hpo-types.h"

G_BEGIN_DECLS

/* Appends to_epoch − from_epoch values to val_acc (gdouble, validation
 * accuracy after epochs from_epoch+1 … to_epoch, in order) and as many to
 * seconds (gdouble, each epoch's wall time; 0 when unknown).  FALSE with
 * error set when the trial could not run. */
typedef gboolean (*HsEvaluateFunc) (const HsTrial *trial, GArray *val_acc, GArray *seconds,
                                    gpointer user_data, GError **error);

HsEvaluator *hs_evaluator_new (HsEvaluateFunc func, gpointer user_data, GDestroyNotify destroy);
void         hs_evaluator_free (HsEvaluator *evaluator);

/* Runs the function and checks its answer: exactly one value per epoch
 * (HS_HPO_ERROR_FAILED naming the trial otherwise).  The arrays are
 * cleared first. */
gboolean     hs_evaluator_evaluate (HsEvaluator *evaluator, const HsTrial *trial, GArray *val_acc,
                                    GArray *seconds, GError **error);

/* Recorded learning curves: *val_acc (and *seconds, the epoch's wall time)
 * of configuration config_id after `epoch` epochs (1-based, as the
 * trainer's HsEpochResult.epoch).  FALSE when the table has no such entry. */
typedef gboolean (*HsTableLookupFunc) (const char *config_id, guint epoch, gdouble *val_acc,
                                       gdouble *seconds, gpointer user_data);

/* A replay: each trial's epochs are looked up, never trained, so a whole
 * Hyperband over a meta-dataset's curves runs in milliseconds.  A missing
 * entry is an HS_HPO_ERROR_LOOKUP error naming the configuration and epoch.
 * user_data is borrowed: it must outlive the evaluator. */
HsEvaluator *hs_table_evaluator_new (HsTableLookupFunc lookup, gpointer user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsEvaluator, hs_evaluator_free)

G_END_DECLS
