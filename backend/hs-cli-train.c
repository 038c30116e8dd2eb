/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hyperstar-cli train`: fine-tune the backbone on a catalog task or an
 * imported dataset with one configuration, printing the learning curve.
 */
#define G_LOG_DOMAIN "hyperstar-cli"

#include <stdio.h>
#include <stdlib.h>

#include "hs-catalog.h"
#include "hs-cli.h"
#include "hs-cli-progress.h"
#include "hs-dataset-store.h"
#include "hs-trainer.h"

typedef struct {
  /* Inputs. */
  HsTaskRecipe *recipe;      /* or */
  const char *dataset_name;
  HsTrainConfig config;
  guint epochs;
  const char *weights_path;  /* NULL: from scratch */
  const char *resume;
  const char *save;
  gboolean json;
  HsCliProgress *progress;
  /* Outputs. */
  gdouble test_acc;
  GError *error;
} TrainJob;

static void
on_epoch (const HsEpochResult *r, gpointer data)
{
  TrainJob *job = data;

  if (job->json)
    {
      g_autoptr(GString) line = g_string_new (NULL);
      g_string_append_printf (line, "{\"epoch\": %u, \"train_loss\": %.6g, \"val_acc\": %.6g, "
                              "\"seconds\": %.3f}", r->epoch, r->train_loss, r->val_acc,
                              r->seconds);
      hs_cli_progress_print (job->progress, stdout, "%s", line->str);
    }
  else
    hs_cli_progress_print (job->progress, stdout, "%5u  %10.4f  %7.2f%%  %7.1f s", r->epoch,
                           r->train_loss, 100.0 * r->val_acc, r->seconds);
}

/* The trainer hands on_epoch and progress the same data: the job. */
static void
on_progress (guint64 done, guint64 total, const char *what, gpointer data)
{
  TrainJob *job = data;

  hs_cli_progress_update (done, total, what, job->progress);
}

static gboolean
train_work (gpointer data, GCancellable *cancellable)
{
  TrainJob *job = data;
  g_autoptr(HsDevice) device = NULL;
  g_autoptr(HsDataset) ds = NULL;
  g_autoptr(HsWeights) weights = NULL;
  g_autoptr(HsTrainer) trainer = NULL;
  GError **error = &job->error;

  if (job->recipe != NULL)
    {
      hs_cli_progress_set_label (job->progress, job->recipe->name);
      ds = hs_task_is_built (job->recipe)
           ? hs_task_load (job->recipe, error)
           : hs_task_build (job->recipe, hs_cli_progress_update, job->progress, cancellable, error);
    }
  else
    ds = hs_dataset_store_load (job->dataset_name, error);
  if (ds == NULL)
    return FALSE;

  if (job->weights_path != NULL &&
      (weights = hs_weights_load (job->weights_path, HS_BACKBONE_ARCH, error)) == NULL)
    return FALSE;
  if ((device = hs_device_new (NULL, error)) == NULL ||
      (trainer = hs_trainer_new (device, ds, &job->config, weights, error)) == NULL)
    return FALSE;
  if (job->resume != NULL && !hs_trainer_load_checkpoint (trainer, job->resume, error))
    return FALSE;
  if (hs_trainer_get_epoch (trainer) > job->epochs)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                   "the checkpoint is at epoch %u, past --epochs %u",
                   hs_trainer_get_epoch (trainer), job->epochs);
      return FALSE;
    }

  if (!job->json)
    {
      g_autofree char *config = hs_train_config_to_json (&job->config);
      hs_cli_progress_print (job->progress, stdout,
                             "Training on %s (%s, %zu images, %u classes)\n"
                             "Configuration: %s\n"
                             "Weights: %s\n\n"
                             "epoch  train loss  val acc     time",
                             hs_dataset_get_name (ds), hs_device_get_name (device),
                             hs_dataset_get_n_images (ds), hs_dataset_get_n_classes (ds),
                             config, job->weights_path ? job->weights_path
                                                       : "none (from scratch)");
      /* Epochs restored from a checkpoint belong to the curve too. */
    }
  {
    GArray *curve = hs_trainer_get_curve (trainer);
    for (guint i = 0; i < curve->len; i++)
      on_epoch (&g_array_index (curve, HsEpochResult, i), job);
  }
  hs_cli_progress_set_label (job->progress, "training");
  if (!hs_trainer_run (trainer, job->epochs, on_epoch, on_progress, job,
                       cancellable, error))
    return FALSE;
  hs_cli_progress_clear (job->progress);
  if (job->save != NULL && !hs_trainer_save_checkpoint (trainer, job->save, error))
    return FALSE;
  return hs_trainer_evaluate (trainer, HS_SPLIT_TEST, &job->test_acc, error);
}

/* The backbone weights that ship with the project, when they exist. */
static char *
shipped_weights (void)
{
  const char *dirs[] = { g_getenv ("HS_WEIGHTS_DIR"), HS_SOURCE_WEIGHTS_DIR, HS_INSTALLED_WEIGHTS_DIR };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    if (dirs[i] != NULL)
      {
        g_autofree char *path = g_build_filename (dirs[i], "backbone.hswt", NULL);
        if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
          return g_steal_pointer (&path);
      }
  return NULL;
}

int
hs_cli_train (int argc, char **argv)
{
  g_autofree char *task = NULL, *dataset = NULL, *config = NULL, *weights = NULL;
  g_autofree char *save = NULL, *resume = NULL;
  gboolean json = FALSE, quiet = FALSE, scratch = FALSE;
  gint epochs = 0;
  GOptionEntry entries[] = {
    { "task", 't', 0, G_OPTION_ARG_STRING, &task, "A built-in task (hyperstar-cli tasks list)", "NAME" },
    { "dataset", 'd', 0, G_OPTION_ARG_STRING, &dataset, "An imported dataset", "NAME" },
    { "config", 'c', 0, G_OPTION_ARG_STRING, &config, "Configuration: JSON, or @FILE", "JSON" },
    { "epochs", 'e', 0, G_OPTION_ARG_INT, &epochs, "Train up to this epoch (default: the configuration's)", "N" },
    { "save", 0, 0, G_OPTION_ARG_FILENAME, &save, "Write a checkpoint at the end", "CKPT" },
    { "resume", 0, 0, G_OPTION_ARG_FILENAME, &resume, "Continue from a checkpoint", "CKPT" },
    { "weights", 0, 0, G_OPTION_ARG_FILENAME, &weights, "Backbone weights (default: the shipped ones)", "FILE" },
    { "from-scratch", 0, 0, G_OPTION_ARG_NONE, &scratch, "Start from random weights", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per epoch, then {\"test_acc\"}", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress bar", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("(--task NAME | --dataset NAME) --config JSON|@FILE — fine-tune the backbone");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(HsCliProgress) progress = NULL;
  g_autoptr(GPtrArray) catalog = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config_text = NULL;
  TrainJob job = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse_options (context, "train", &argc, &argv))
    return HS_CLI_EXIT_USAGE;
  if ((task == NULL) == (dataset == NULL) || argc != 1)
    {
      g_printerr ("train: give either --task NAME or --dataset NAME (see --help)\n");
      return HS_CLI_EXIT_USAGE;
    }
  if (epochs < 0)
    {
      g_printerr ("train: --epochs must be at least 1\n");
      return HS_CLI_EXIT_USAGE;
    }

  hs_train_config_init_defaults (&job.config);
  if (config != NULL && config[0] == '@')
    {
      if (!g_file_get_contents (config + 1, &config_text, NULL, &error))
        {
          g_printerr ("train: %s\n", error->message);
          return 1;
        }
    }
  else
    config_text = g_strdup (config != NULL ? config : "{}");
  if (!hs_train_config_parse (&job.config, config_text, &error))
    {
      g_printerr ("train: %s\n", error->message);
      return 1;
    }
  /* --epochs is where this run stops; the configuration shows it too. */
  if (epochs > 0)
    job.config.epochs = (guint) epochs;
  job.epochs = job.config.epochs;

  if (task != NULL)
    {
      if ((catalog = hs_cli_load_catalog ("train")) == NULL)
        return 1;
      if ((job.recipe = hs_catalog_find (catalog, task)) == NULL)
        {
          g_printerr ("train: no task “%s” (hyperstar-cli tasks list shows them)\n", task);
          return 1;
        }
    }
  job.dataset_name = dataset;
  if (weights == NULL && !scratch)
    weights = shipped_weights ();
  if (weights == NULL && !scratch)
    g_printerr ("train: no shipped backbone weights were found (model/weights/backbone.hswt); "
                "training from scratch\n");
  job.weights_path = scratch ? NULL : weights;
  job.resume = resume;
  job.save = save;
  job.json = json;
  job.progress = progress = hs_cli_progress_new (quiet);

  if (!hs_cli_run_interruptible (train_work, &job, cancellable))
    {
      int status = hs_cli_is_cancelled (job.error, cancellable) ? HS_CLI_EXIT_INTERRUPTED : 1;
      hs_cli_progress_clear (progress);
      g_printerr ("train: %s\n", job.error ? job.error->message : "failed");
      g_clear_error (&job.error);
      return status;
    }
  if (json)
    g_print ("{\"test_acc\": %.6g}\n", job.test_acc);
  else
    g_print ("\nTest accuracy: %.2f%%\n", 100.0 * job.test_acc);
  return 0;
}
