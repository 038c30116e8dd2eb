/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One training run as `train` and `pretrain` print it: the header, the
 * learning curve (a table, or one JSON object per epoch), a progress bar,
 * checkpoints, and the test accuracy at the end.
 */
#pragma once

#include "hs-catalog.h"
#include "hs-cli-progress.h"
#include "hs-trainer.h"

G_BEGIN_DECLS

typedef struct {
  /* Inputs: the data is dataset (taken as is, not freed), else recipe
   * (built when needed), else the imported dataset dataset_name. */
  HsDataset *dataset;
  HsTaskRecipe *recipe;
  const char *dataset_name;
  HsTrainConfig config;       /* config.epochs: where the run stops */
  const char *weights_path;   /* NULL: from scratch */
  const char *resume;         /* a checkpoint to continue from */
  const char *save;           /* a checkpoint written at the end */
  /* Written after every epoch and continued from when it exists: a run
   * that can be stopped at any time and started again with the same
   * command. */
  const char *checkpoint;
  const char *weights_out;    /* the trained weights, at the end */
  gboolean json;
  HsCliProgress *progress;
  /* Private: the stretch of the run the progress bar spans. */
  guint first_epoch, last_epoch, current_epoch;
  /* Outputs. */
  gdouble test_acc;
  GError *error;
} HsCliTrainJob;

/* An HsCliWorkFunc: runs job (data) and sets its test_acc or error. */
gboolean hs_cli_train_work (gpointer data, GCancellable *cancellable);

/* Reads --config: JSON, or @FILE; keys not given keep config's defaults.
 * FALSE having printed "COMMAND: why". */
gboolean hs_cli_train_parse_config (HsTrainConfig *config, const char *arg,
                                    const char *command);

G_END_DECLS
