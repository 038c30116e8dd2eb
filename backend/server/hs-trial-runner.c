/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One trial, trained in a worker thread (see hs-trial-runner.h).
 */
#define G_LOG_DOMAIN "hyperstard"

#include <glib/gstdio.h>

#include "hs-catalog.h"
#include "hs-dataset-store.h"
#include "hs-trial-runner.h"

/* Progress inside an epoch is sent at most this often. */
#define PROGRESS_INTERVAL_US (250 * G_TIME_SPAN_MILLISECOND)

/* A loaded dataset, shared by the workers that train on it. */
typedef struct {
  gatomicrefcount refs;
  char *name;
  HsDataset *dataset;
} Loaded;

struct _HsTrialRunner
{
  HsDevice *device;       /* the first; a device runs one trainer at a time */
  GPtrArray *idle;        /* HsDevice: free for the next trial */
  HsWeights *weights;
  HsCatalogCache *catalog;
  GMutex lock;
  Loaded *loaded;         /* the last dataset used */
};

static Loaded *
loaded_ref (Loaded *loaded)
{
  g_atomic_ref_count_inc (&loaded->refs);
  return loaded;
}

static void
loaded_unref (Loaded *loaded)
{
  if (loaded != NULL && g_atomic_ref_count_dec (&loaded->refs))
    {
      hs_dataset_free (loaded->dataset);
      g_free (loaded->name);
      g_free (loaded);
    }
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Loaded, loaded_unref)

HsTrialJob *
hs_trial_job_new (void)
{
  return g_new0 (HsTrialJob, 1);
}

void
hs_trial_job_free (HsTrialJob *job)
{
  if (job == NULL)
    return;
  g_free (job->dataset);
  g_free (job->config);
  g_free (job->checkpoint);
  g_free (job->parent_checkpoint);
  g_free (job);
}

static HsTrialJob *
trial_job_copy (const HsTrialJob *job)
{
  HsTrialJob *copy = g_memdup2 (job, sizeof *job);

  copy->dataset = g_strdup (job->dataset);
  copy->config = g_strdup (job->config);
  copy->checkpoint = g_strdup (job->checkpoint);
  copy->parent_checkpoint = g_strdup (job->parent_checkpoint);
  return copy;
}

HsTrialRunner *
hs_trial_runner_new (HsDevice *device, HsWeights *weights, HsCatalogCache *catalog)
{
  HsTrialRunner *runner = g_new0 (HsTrialRunner, 1);

  runner->device = hs_device_ref (device);
  runner->idle = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_device_unref);
  g_ptr_array_add (runner->idle, hs_device_ref (device));
  runner->weights = weights;
  runner->catalog = catalog;
  g_mutex_init (&runner->lock);
  return runner;
}

void
hs_trial_runner_free (HsTrialRunner *runner)
{
  if (runner == NULL)
    return;
  g_clear_pointer (&runner->loaded, loaded_unref);
  g_ptr_array_unref (runner->idle);
  g_mutex_clear (&runner->lock);
  hs_device_unref (runner->device);
  g_free (runner);
}

const char *
hs_trial_runner_get_device_name (HsTrialRunner *runner)
{
  return hs_device_get_name (runner->device);
}

typedef struct {
  HsTrialRunner *runner;
  HsTrialJob *job;
  GMainContext *context;
  HsTrialProgressFunc progress;
  gpointer progress_data;
  HsDevice *device;       /* this run's own, while it trains */
  guint epoch;            /* under way */
  gint64 last_sent;
  guint n_classes;        /* of the loaded dataset */
  gsize n_images;
  HsEpochResult result;   /* the epoch just trained, reported once saved */
  gboolean have_result;
} Run;

/* A device no other trial is using: an idle one, or a new one when every
 * device is busy (workers > 1). */
static HsDevice *
take_device (HsTrialRunner *runner, GError **error)
{
  HsDevice *device = NULL;

  g_mutex_lock (&runner->lock);
  if (runner->idle->len > 0)
    device = g_ptr_array_steal_index (runner->idle, runner->idle->len - 1);
  g_mutex_unlock (&runner->lock);
  return device != NULL ? device : hs_device_new (NULL, error);
}

static void
give_device (HsTrialRunner *runner, HsDevice *device)
{
  g_mutex_lock (&runner->lock);
  g_ptr_array_add (runner->idle, device);
  g_mutex_unlock (&runner->lock);
}

static void
run_free (Run *run)
{
  hs_trial_job_free (run->job);
  g_main_context_unref (run->context);
  g_free (run);
}

typedef struct {
  Run *run;               /* outlives every message: the task waits for nothing, but */
  HsTrialJob *job;        /* the job copy is the message's own */
  HsTrialProgress progress;
  HsEpochResult result;
  HsTrialProgressFunc func;
  gpointer data;
} Message;

static gboolean
deliver (gpointer data)
{
  Message *m = data;

  m->func (m->job, &m->progress, m->data);
  return G_SOURCE_REMOVE;
}

static void
message_free (gpointer data)
{
  Message *m = data;

  hs_trial_job_free (m->job);
  g_free (m);
}

static void
send_progress (Run *run, HsTrialPhase phase, gdouble fraction, const HsEpochResult *result)
{
  Message *m;

  if (run->progress == NULL)
    return;
  m = g_new0 (Message, 1);
  m->job = trial_job_copy (run->job);
  m->progress.phase = phase;
  m->progress.epoch = run->epoch;
  m->progress.fraction = CLAMP (fraction, 0.0, 1.0);
  m->progress.n_classes = run->n_classes;
  m->progress.n_images = run->n_images;
  if (result != NULL)
    {
      m->result = *result;
      m->progress.result = &m->result;
    }
  m->func = run->progress;
  m->data = run->progress_data;
  g_main_context_invoke_full (run->context, G_PRIORITY_DEFAULT, deliver, m, message_free);
}

static void
on_build_progress (guint64 done, guint64 total, const char *what, gpointer data)
{
  Run *run = data;
  gint64 now = g_get_monotonic_time ();

  if (now - run->last_sent < PROGRESS_INTERVAL_US)
    return;
  run->last_sent = now;
  send_progress (run, HS_TRIAL_PHASE_PREPARING, total ? (gdouble) done / total : 0, NULL);
}

static void
on_train_progress (guint64 done, guint64 total, const char *what, gpointer data)
{
  Run *run = data;
  gint64 now = g_get_monotonic_time ();

  if (now - run->last_sent < PROGRESS_INTERVAL_US)
    return;
  run->last_sent = now;
  send_progress (run, HS_TRIAL_PHASE_TRAINING, total ? (gdouble) done / total : 0, NULL);
}

/* An epoch is reported once its checkpoint is written, so what the store
 * shows as done is what a restart continues from. */
static void
on_epoch (const HsEpochResult *result, gpointer data)
{
  Run *run = data;

  run->result = *result;
  run->have_result = TRUE;
}

/* The dataset, from the runner's cache or loaded (built) now. */
static Loaded *
load_dataset (Run *run, GCancellable *cancellable, GError **error)
{
  HsTrialRunner *runner = run->runner;
  const char *name = run->job->dataset;
  GPtrArray *catalog;
  HsTaskRecipe *recipe;
  HsDataset *ds;
  Loaded *loaded;

  g_mutex_lock (&runner->lock);
  if (runner->loaded != NULL && g_strcmp0 (runner->loaded->name, name) == 0)
    {
      loaded = loaded_ref (runner->loaded);
      g_mutex_unlock (&runner->lock);
      return loaded;
    }
  g_mutex_unlock (&runner->lock);

  send_progress (run, HS_TRIAL_PHASE_PREPARING, 0.0, NULL);
  if (hs_dataset_store_exists (name))
    ds = hs_dataset_store_load (name, error);
  else if ((catalog = hs_catalog_cache_get (runner->catalog, error)) == NULL)
    return NULL;
  else if ((recipe = hs_catalog_find (catalog, name)) == NULL)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_NOT_FOUND,
                   "no dataset or built-in task named “%s”", name);
      return NULL;
    }
  else
    ds = hs_task_is_built (recipe) ? hs_task_load (recipe, error)
                                   : hs_task_build (recipe, on_build_progress, run, cancellable,
                                                    error);
  if (ds == NULL)
    return NULL;

  loaded = g_new0 (Loaded, 1);
  g_atomic_ref_count_init (&loaded->refs);
  loaded->name = g_strdup (name);
  loaded->dataset = ds;
  g_mutex_lock (&runner->lock);
  g_clear_pointer (&runner->loaded, loaded_unref);
  runner->loaded = loaded_ref (loaded);
  g_mutex_unlock (&runner->lock);
  return loaded;
}

/* Where the trial starts: its own checkpoint when it reached an epoch of
 * this trial, else the parent's at from_epoch, else (from scratch) nothing. */
static gboolean
restore (Run *run, HsTrainer *trainer, GError **error)
{
  const HsTrialJob *job = run->job;

  if (job->checkpoint != NULL && g_file_test (job->checkpoint, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) own_error = NULL;

      if (hs_trainer_load_checkpoint (trainer, job->checkpoint, &own_error) &&
          hs_trainer_get_epoch (trainer) >= job->from_epoch &&
          hs_trainer_get_epoch (trainer) <= job->to_epoch)
        {
          g_message ("search %" G_GINT64_FORMAT ", trial %u: continuing from its checkpoint at "
                     "epoch %u", job->search_id, job->trial_id, hs_trainer_get_epoch (trainer));
          return TRUE;
        }
      /* A checkpoint cut by a crash cannot exist (it is written whole), but
       * one of another run of this id can: start this trial over. */
      g_message ("search %" G_GINT64_FORMAT ", trial %u: not continuing from %s: %s",
                 job->search_id, job->trial_id, job->checkpoint,
                 own_error ? own_error->message : "another epoch range");
      g_unlink (job->checkpoint);
      return FALSE;  /* the trainer may be half restored: the caller makes a new one */
    }
  if (job->from_epoch == 0)
    return TRUE;
  if (job->parent_checkpoint == NULL ||
      !hs_trainer_load_checkpoint (trainer, job->parent_checkpoint, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_NOT_FOUND,
                     "trial %u continues epoch %u of its parent, whose checkpoint is missing",
                     job->trial_id, job->from_epoch);
      return FALSE;
    }
  if (hs_trainer_get_epoch (trainer) != job->from_epoch)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                   "trial %u continues epoch %u, but %s is at epoch %u", job->trial_id,
                   job->from_epoch, job->parent_checkpoint, hs_trainer_get_epoch (trainer));
      return FALSE;
    }
  return TRUE;
}

static HsTrainer *
make_trainer (Run *run, HsDataset *ds, GError **error)
{
  HsTrainConfig config;
  g_autoptr(HsTrainer) trainer = NULL;
  g_autoptr(GError) local = NULL;

  hs_train_config_init_defaults (&config);
  if (!hs_train_config_parse (&config, run->job->config, error))
    return NULL;
  config.seed = run->job->seed;
  config.epochs = run->job->to_epoch;
  if ((trainer = hs_trainer_new (run->device, ds, &config, run->runner->weights,
                                 error)) == NULL)
    return NULL;
  if (restore (run, trainer, &local))
    return g_steal_pointer (&trainer);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  /* Its own checkpoint was unusable and is gone: from the parent again. */
  g_clear_pointer (&trainer, hs_trainer_free);
  if ((trainer = hs_trainer_new (run->device, ds, &config, run->runner->weights,
                                 error)) == NULL ||
      !restore (run, trainer, error))
    return NULL;
  return g_steal_pointer (&trainer);
}

static void run_trial (GTask *task, Run *run, GCancellable *cancellable);

static void
run_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Run *run = data;
  GError *error = NULL;

  if ((run->device = take_device (run->runner, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  run_trial (task, run, cancellable);
  give_device (run->runner, g_steal_pointer (&run->device));
}

static void
run_trial (GTask *task, Run *run, GCancellable *cancellable)
{
  const HsTrialJob *job = run->job;
  g_autoptr(Loaded) loaded = NULL;
  g_autoptr(HsTrainer) trainer = NULL;
  g_autoptr(GArray) curve = NULL;
  GArray *epochs;
  GError *error = NULL;

  /* The trainer borrows the dataset: it goes first (declared after). */
  if ((loaded = load_dataset (run, cancellable, &error)) == NULL ||
      (trainer = make_trainer (run, loaded->dataset, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  run->n_classes = hs_dataset_get_n_classes (loaded->dataset);
  run->n_images = hs_dataset_get_n_images (loaded->dataset);
  while (hs_trainer_get_epoch (trainer) < job->to_epoch)
    {
      run->epoch = hs_trainer_get_epoch (trainer) + 1;
      run->have_result = FALSE;
      if (!hs_trainer_run (trainer, run->epoch, on_epoch, on_train_progress, run, cancellable,
                           &error) ||
          (job->checkpoint != NULL &&
           !hs_trainer_save_checkpoint (trainer, job->checkpoint, &error)))
        {
          g_task_return_error (task, error);
          return;
        }
      if (run->have_result)
        send_progress (run, HS_TRIAL_PHASE_TRAINING, 1.0, &run->result);
    }
  curve = hs_trainer_get_curve (trainer);
  epochs = g_array_new (FALSE, FALSE, sizeof (HsEpochResult));
  for (guint i = 0; i < curve->len; i++)
    {
      const HsEpochResult *r = &g_array_index (curve, HsEpochResult, i);
      if (r->epoch > job->from_epoch && r->epoch <= job->to_epoch)
        g_array_append_val (epochs, *r);
    }
  g_task_return_pointer (task, epochs, (GDestroyNotify) g_array_unref);
}

void
hs_trial_runner_run_async (HsTrialRunner *runner, const HsTrialJob *job,
                           HsTrialProgressFunc progress, gpointer progress_data,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Run *run = g_new0 (Run, 1);

  g_return_if_fail (job->to_epoch > job->from_epoch);
  run->runner = runner;
  run->job = trial_job_copy (job);
  run->context = g_main_context_ref_thread_default ();
  run->progress = progress;
  run->progress_data = progress_data;
  g_task_set_source_tag (task, hs_trial_runner_run_async);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  /* Trials must not be cut short by GTask's own check: the thread decides. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, run_thread);
}

GArray *
hs_trial_runner_run_finish (HsTrialRunner *runner, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
