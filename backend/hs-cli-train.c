/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hyperstar-cli train`: fine-tune the backbone on a catalog task or an
 * imported dataset with one configuration, printing the learning curve.
 */
#define G_LOG_DOMAIN "hyperstar-cli"

#include <stdio.h>
#include <stdlib.h>

#include "hs-cli.h"
#include "hs-cli-train.h"
#include "hs-dataset-store.h"

static void
on_epoch (const HsEpochResult *r, gpointer data)
{
  HsCliTrainJob *job = data;

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

/* The trainer hands on_epoch and progress the same data: the job.  Its
 * counts are those of one hs_trainer_run, which may be one epoch of many:
 * the bar spans the whole run. */
static void
on_progress (guint64 done, guint64 total, const char *what, gpointer data)
{
  HsCliTrainJob *job = data;
  guint run_epochs = job->last_epoch - job->first_epoch;
  guint64 per_epoch, before;
  g_autofree char *label = NULL;

  (void) what;
  if (run_epochs == 0 || job->current_epoch <= job->first_epoch)
    return;
  /* One run covers the epochs current … to: per_epoch steps each. */
  per_epoch = MAX (total / (job->checkpoint ? 1 : run_epochs), 1);
  before = (guint64) (job->current_epoch - 1 - job->first_epoch) * per_epoch;
  label = g_strdup_printf ("epoch %u/%u",
                           job->current_epoch + (guint) (job->checkpoint ? 0 : done / per_epoch),
                           job->last_epoch);
  hs_cli_progress_update (MIN (before + done, per_epoch * run_epochs), per_epoch * run_epochs,
                          label, job->progress);
}

static HsDataset *
load_dataset (HsCliTrainJob *job, GCancellable *cancellable, GError **error)
{
  if (job->recipe != NULL)
    {
      hs_cli_progress_set_label (job->progress, job->recipe->name);
      return hs_task_is_built (job->recipe)
             ? hs_task_load (job->recipe, error)
             : hs_task_build (job->recipe, hs_cli_progress_update, job->progress, cancellable,
                              error);
    }
  return hs_dataset_store_load (job->dataset_name, error);
}
gboolean
hs_cli_train_work (gpointer data, GCancellable *cancellable)
{
  HsCliTrainJob *job = data;
  g_autoptr(HsDevice) device = NULL;
  g_autoptr(HsDataset) loaded = NULL;
  g_autoptr(HsWeights) weights = NULL;
  g_autoptr(HsTrainer) trainer = NULL;
  GError **error = &job->error;
  const char *resume = job->resume;
  HsDataset *ds = job->dataset;
  guint epochs = job->config.epochs;

  if (ds == NULL && (ds = loaded = load_dataset (job, cancellable, error)) == NULL)
    return FALSE;
  if (job->weights_path != NULL &&
      (weights = hs_weights_load (job->weights_path, HS_BACKBONE_ARCH, error)) == NULL)
    return FALSE;
  if ((device = hs_device_new (NULL, error)) == NULL ||
      (trainer = hs_trainer_new (device, ds, &job->config, weights, error)) == NULL)
    return FALSE;
  if (resume == NULL && job->checkpoint != NULL &&
      g_file_test (job->checkpoint, G_FILE_TEST_EXISTS))
    resume = job->checkpoint;
  if (resume != NULL && !hs_trainer_load_checkpoint (trainer, resume, error))
    return FALSE;
  if (hs_trainer_get_epoch (trainer) > epochs)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                   "the checkpoint %s is at epoch %u, past --epochs %u", resume,
                   hs_trainer_get_epoch (trainer), epochs);
      return FALSE;
    }

  if (!job->json)
    {
      g_autofree char *config = hs_train_config_to_json (&job->config);
      g_autofree char *continued =
        resume != NULL ? g_strdup_printf ("Continuing from %s (epoch %u)\n", resume,
                                          hs_trainer_get_epoch (trainer))
                       : g_strdup ("");
      hs_cli_progress_print (job->progress, stdout,
                             "Training on %s (%s, %zu images, %u classes)\n"
                             "Configuration: %s\n"
                             "Weights: %s\n%s\n"
                             "epoch  train loss  val acc     time",
                             hs_dataset_get_name (ds), hs_device_get_name (device),
                             hs_dataset_get_n_images (ds), hs_dataset_get_n_classes (ds),
                             config, job->weights_path ? job->weights_path
                                                       : "none (from scratch)", continued);
    }
  /* Epochs restored from a checkpoint belong to the curve too. */
  {
    GArray *curve = hs_trainer_get_curve (trainer);
    for (guint i = 0; i < curve->len; i++)
      on_epoch (&g_array_index (curve, HsEpochResult, i), job);
  }
  hs_cli_progress_set_label (job->progress, "training");
  job->first_epoch = hs_trainer_get_epoch (trainer);
  job->last_epoch = epochs;
  /* With a running checkpoint, one epoch at a time, each saved. */
  while (hs_trainer_get_epoch (trainer) < epochs)
    {
      guint to = job->checkpoint != NULL ? hs_trainer_get_epoch (trainer) + 1 : epochs;

      job->current_epoch = hs_trainer_get_epoch (trainer) + 1;
      if (!hs_trainer_run (trainer, to, on_epoch, on_progress, job, cancellable, error))
        return FALSE;
      if (job->checkpoint != NULL &&
          !hs_trainer_save_checkpoint (trainer, job->checkpoint, error))
        return FALSE;
    }
  hs_cli_progress_clear (job->progress);
  if (job->save != NULL && !hs_trainer_save_checkpoint (trainer, job->save, error))
    return FALSE;
  if (job->weights_out != NULL)
    {
      g_autoptr(HsWeights) out = hs_weights_new (HS_BACKBONE_ARCH);
      if (!hs_backbone_save_weights (hs_trainer_get_backbone (trainer), out, error) ||
          !hs_weights_save (out, job->weights_out, error))
        return FALSE;
    }
  return hs_trainer_evaluate (trainer, HS_SPLIT_TEST, &job->test_acc, error);
}

gboolean
hs_cli_train_parse_config (HsTrainConfig *config, const char *arg, const char *command)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (arg != NULL && arg[0] == '@')
    {
      if (!g_file_get_contents (arg + 1, &text, NULL, &error))
        {
          g_printerr ("%s: %s\n", command, error->message);
          return FALSE;
        }
    }
  else
    text = g_strdup (arg != NULL ? arg : "{}");
  if (!hs_train_config_parse (config, text, &error))
    {
      g_printerr ("%s: %s\n", command, error->message);
      return FALSE;
    }
  return TRUE;
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
  HsCliTrainJob job = { 0 };

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
  if (!hs_cli_train_parse_config (&job.config, config, "train"))
    return 1;
  /* --epochs is where this run stops; the configuration shows it too. */
  if (epochs > 0)
    job.config.epochs = (guint) epochs;

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
    weights = hs_backbone_shipped_weights ();
  if (weights == NULL && !scratch)
    g_printerr ("train: no shipped backbone weights were found (model/weights/backbone.hswt); "
                "training from scratch\n");
  job.weights_path = scratch ? NULL : weights;
  job.resume = resume;
  job.save = save;
  job.json = json;
  job.progress = progress = hs_cli_progress_new (quiet);

  if (!hs_cli_run_interruptible (hs_cli_train_work, &job, cancellable))
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
