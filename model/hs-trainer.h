/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fine-tuning the backbone on a dataset's train split with one
 * configuration, epoch by epoch, with a learning curve and exact resume.
 *
 * Everything random in epoch e (shuffling, augmentation, dropout) is drawn
 * from (config seed, e) alone, so a run resumed at epoch b from a checkpoint
 * continues exactly as the uninterrupted run (same device): Hyperband's
 * promotions rely on it.
 */
#pragma once

#include "hs-backbone.h"
#include "hs-dataset.h"
#include "hs-train-config.h"
#include "hs-weights.h"

G_BEGIN_DECLS

typedef struct {
  guint epoch;          /* 1-based: the epoch just finished */
  gdouble train_loss;   /* mean over the epoch's batches */
  gdouble val_acc;      /* top-1 on the val split, in [0, 1] */
  gdouble seconds;      /* wall time of the epoch (training + validation) */
} HsEpochResult;

typedef void (*HsEpochFunc) (const HsEpochResult *result, gpointer user_data);

typedef struct _HsTrainer HsTrainer;

/* pretrained may be NULL (from scratch: fresh weights from the seed); its
 * head is not used (the trainer's head has the dataset's class count).
 * dataset is borrowed and must outlive the trainer.  A run that fails or is
 * cancelled leaves the weights mid-epoch: load a checkpoint to go on. */
HsTrainer  *hs_trainer_new (HsDevice *device, HsDataset *dataset, const HsTrainConfig *config,
                            HsWeights *pretrained, GError **error);
void        hs_trainer_free (HsTrainer *trainer);
HsBackbone *hs_trainer_get_backbone (HsTrainer *trainer);
guint       hs_trainer_get_epoch (HsTrainer *trainer);    /* epochs done */

/* Trains epochs get_epoch()+1 … to_epoch, calling on_epoch after each and
 * progress (steps done / total) within them. */
gboolean    hs_trainer_run (HsTrainer *trainer, guint to_epoch, HsEpochFunc on_epoch,
                            HsProgressFunc progress, gpointer user_data,
                            GCancellable *cancellable, GError **error);
/* Top-1 accuracy on a split, in [0, 1]. */
gboolean    hs_trainer_evaluate (HsTrainer *trainer, HsSplit split, gdouble *accuracy,
                                 GError **error);

/* Weights, optimizer state, epoch, the learning curve so far, and the
 * identity of the configuration and dataset, written atomically. */
gboolean    hs_trainer_save_checkpoint (HsTrainer *trainer, const char *path, GError **error);
/* Refuses (HS_WEIGHTS_ERROR_MISMATCH, saying which) a checkpoint of another
 * architecture, dataset or configuration (epochs excepted). */
gboolean    hs_trainer_load_checkpoint (HsTrainer *trainer, const char *path, GError **error);
/* The learning curve so far (HsEpochResult), including epochs restored from a
 * checkpoint.  A new reference: g_array_unref() it. */
GArray     *hs_trainer_get_curve (HsTrainer *trainer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTrainer, hs_trainer_free)

G_END_DECLS
