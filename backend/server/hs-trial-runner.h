/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs one trial of a search for real: fine-tunes the backbone on the
 * search's dataset with the trial's configuration from from_epoch to
 * to_epoch, off the main thread.
 *
 * Checkpoints: the trial writes its own checkpoint after every epoch.  When
 * it starts it continues, in this order, from its own checkpoint (a trial
 * cut short by a crash, a pause or a shutdown loses at most the epoch it
 * was in), from its parent's (a Hyperband promotion: only the new epochs
 * are trained), or from the shipped weights.
 *
 * Datasets: a built-in catalog task (built into the cache on first use,
 * which can take a while: reported as the "preparing" phase) or an imported
 * dataset.  The last dataset used stays loaded for the next trial.
 */
#pragma once

#include <gio/gio.h>

#include "hs-catalog-cache.h"
#include "hs-device.h"
#include "hs-trainer.h"
#include "hs-weights.h"

G_BEGIN_DECLS

typedef struct {
  gint64 search_id;
  guint trial_id;
  char *dataset;            /* a catalog task or an imported dataset */
  char *config;             /* the configuration's JSON object (hs-train-config.h keys) */
  guint32 seed;             /* the trainer's seed (the search's) */
  guint from_epoch, to_epoch;
  char *checkpoint;         /* this trial's checkpoint, written after every epoch */
  char *parent_checkpoint;  /* when from_epoch > 0: the checkpoint continued */
} HsTrialJob;

HsTrialJob *hs_trial_job_new (void);
void        hs_trial_job_free (HsTrialJob *job);

/* What a running trial reports, delivered on the main context of the
 * thread that called hs_trial_runner_run_async(). */
typedef enum {
  HS_TRIAL_PHASE_PREPARING,  /* loading or building the dataset */
  HS_TRIAL_PHASE_TRAINING,   /* fraction = of the current epoch */
} HsTrialPhase;

typedef struct {
  HsTrialPhase phase;
  guint epoch;               /* the epoch under way (1-based) */
  gdouble fraction;          /* of the phase or the epoch, in [0, 1] */
  const HsEpochResult *result;  /* set when an epoch has just finished */
  guint n_classes;           /* the dataset's, once it is loaded (0 before) */
  gsize n_images;
} HsTrialProgress;

typedef void (*HsTrialProgressFunc) (const HsTrialJob *job, const HsTrialProgress *progress,
                                     gpointer user_data);

typedef struct _HsTrialRunner HsTrialRunner;

/* weights: the backbone's starting point (NULL: from scratch); weights and
 * catalog (where built-in tasks are found) are borrowed. */
HsTrialRunner *hs_trial_runner_new (HsDevice *device, HsWeights *weights,
                                    HsCatalogCache *catalog);
void           hs_trial_runner_free (HsTrialRunner *runner);
const char    *hs_trial_runner_get_device_name (HsTrialRunner *runner);

/* job is borrowed until callback.  Cancelling stops the trial within an
 * epoch; its checkpoint keeps the epochs before. */
void    hs_trial_runner_run_async (HsTrialRunner *runner, const HsTrialJob *job,
                                   HsTrialProgressFunc progress, gpointer progress_data,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);
/* The epochs from_epoch+1 … to_epoch (HsEpochResult), or NULL with error. */
GArray *hs_trial_runner_run_finish (HsTrialRunner *runner, GAsyncResult *result, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTrialJob, hs_trial_job_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTrialRunner, hs_trial_runner_free)

G_END_DECLS
