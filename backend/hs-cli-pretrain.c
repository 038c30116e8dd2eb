/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hyperstar-cli pretrain`: train the backbone from scratch on the
 * pretraining corpus (the recipes in data/pretrain, disjoint from the
 * catalog: docs/pretraining.md) and write its weights.  A checkpoint is
 * written after every epoch, so the same command started again continues
 * where an interrupted run stopped, and ends with the same weights.
 */
#define G_LOG_DOMAIN "hyperstar-cli"

#include <glib/gstdio.h>
#include <stdio.h>

#include "hs-cli.h"
#include "hs-cli-train.h"

/* The recipe the shipped weights were trained with (docs/pretraining.md). */
#define PRETRAIN_CONFIG \
  "{\"lr\": 0.05, \"optimizer\": \"sgd\", \"momentum\": 0.9, \"weight_decay\": 0.0005, " \
  "\"batch_size\": 128, \"finetune\": \"all\", \"augment\": \"strong\", \"epochs\": 80}"
/* The corpus's splits do not move with --seed: only the training does. */
#define CORPUS_SPLIT_SEED 1
#define CORPUS_VAL_FRACTION 0.1
#define CORPUS_TEST_FRACTION 0.1

typedef struct {
  HsCliTrainJob train;
  GPtrArray *recipes;
} PretrainJob;

/* Every corpus recipe, built when needed, in one dataset whose classes are
 * "TASK/CLASS" and whose groups (icon themes, pattern regions) stay apart. */
static HsDataset *
load_corpus (GPtrArray *recipes, HsCliProgress *progress, GCancellable *cancellable,
             GError **error)
{
  g_autoptr(HsDataset) corpus = hs_dataset_new ("pretrain-corpus", HS_DATASET_DEFAULT_SIZE);
  g_autoptr(GString) sources = g_string_new (NULL);

  for (guint i = 0; i < recipes->len; i++)
    {
      HsTaskRecipe *recipe = g_ptr_array_index (recipes, i);
      g_autofree char *label = g_strdup_printf ("[%u/%u] %s", i + 1, recipes->len,
                                                recipe->name);
      g_autofree char *prefix = g_strconcat (recipe->name, "/", NULL);
      g_autoptr(HsDataset) part = NULL;

      hs_cli_progress_set_label (progress, label);
      part = hs_task_is_built (recipe)
             ? hs_task_load (recipe, error)
             : hs_task_build (recipe, hs_cli_progress_update, progress, cancellable, error);
      if (part == NULL)
        {
          g_prefix_error (error, "pretraining corpus, %s: ", recipe->name);
          return NULL;
        }
      hs_dataset_append (corpus, part, prefix);
      g_string_append_printf (sources, "%s%s (%s)", i ? "; " : "", recipe->name,
                              hs_dataset_get_meta (part, "recipe-sha256"));
    }
  if (!hs_dataset_make_splits (corpus, CORPUS_SPLIT_SEED, CORPUS_VAL_FRACTION,
                               CORPUS_TEST_FRACTION, error))
    return NULL;
  hs_dataset_set_meta (corpus, "source", sources->str);
  return g_steal_pointer (&corpus);
}

static gboolean
pretrain_work (gpointer data, GCancellable *cancellable)
{
  PretrainJob *job = data;
  g_autoptr(HsDataset) corpus = load_corpus (job->recipes, job->train.progress, cancellable,
                                             &job->train.error);

  if (corpus == NULL)
    return FALSE;
  job->train.dataset = corpus;
  return hs_cli_train_work (&job->train, cancellable);
}

int
hs_cli_pretrain (int argc, char **argv)
{
  g_autofree char *out = NULL, *config = NULL, *checkpoint = NULL, *dir = NULL;
  gboolean json = FALSE, quiet = FALSE, keep = FALSE;
  gint epochs = 0;
  gint64 seed = -1;
  GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Where to write the weights (required)", "FILE" },
    { "epochs", 'e', 0, G_OPTION_ARG_INT, &epochs, "Epochs (default: the recipe's, 80)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "Training seed (default 0)", "S" },
    { "config", 'c', 0, G_OPTION_ARG_STRING, &config, "Change the recipe: JSON, or @FILE", "JSON" },
    { "checkpoint", 0, 0, G_OPTION_ARG_FILENAME, &checkpoint, "Running checkpoint (default: FILE.ckpt)", "CKPT" },
    { "keep-checkpoint", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the checkpoint after the last epoch", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per epoch, then {\"test_acc\"}", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress bar", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("--out FILE — train the backbone on the pretraining corpus");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(HsCliProgress) progress = NULL;
  g_autoptr(GPtrArray) recipes = NULL;
  g_autoptr(GError) error = NULL;
  PretrainJob job = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse_options (context, "pretrain", &argc, &argv))
    return HS_CLI_EXIT_USAGE;
  if (out == NULL || argc != 1)
    {
      g_printerr ("pretrain: give --out FILE (see --help)\n");
      return HS_CLI_EXIT_USAGE;
    }
  if (epochs < 0 || seed > G_MAXUINT32)
    {
      g_printerr ("pretrain: --epochs must be at least 1 and --seed in [0, %u]\n", G_MAXUINT32);
      return HS_CLI_EXIT_USAGE;
    }

  {
    /* Found out now, not after the first epoch. */
    g_autofree char *folder = g_path_get_dirname (out);
    if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
      {
        g_printerr ("pretrain: the folder of --out %s does not exist\n", out);
        return 1;
      }
  }

  hs_train_config_init_defaults (&job.train.config);
  if (!hs_cli_train_parse_config (&job.train.config, PRETRAIN_CONFIG, "pretrain") ||
      !hs_cli_train_parse_config (&job.train.config, config, "pretrain"))
    return 1;
  if (epochs > 0)
    job.train.config.epochs = (guint) epochs;
  if (seed >= 0)
    job.train.config.seed = (guint32) seed;

  dir = hs_pretrain_dir ();
  if ((recipes = hs_catalog_load (dir, &error)) == NULL || recipes->len == 0)
    {
      g_printerr ("pretrain: no pretraining corpus in %s%s%s\n", dir,
                  error ? ": " : "", error ? error->message : "");
      return 1;
    }
  for (guint i = 0; i < recipes->len; i++)
    {
      g_autofree char *missing = hs_task_missing_packages (g_ptr_array_index (recipes, i));
      if (missing != NULL)
        {
          g_printerr ("pretrain: the corpus recipe %s needs packages that are not installed "
                      "and cannot be downloaded: %s\n",
                      ((HsTaskRecipe *) g_ptr_array_index (recipes, i))->name, missing);
          return 1;
        }
    }

  if (checkpoint == NULL)
    checkpoint = g_strconcat (out, ".ckpt", NULL);
  job.recipes = recipes;
  job.train.checkpoint = checkpoint;
  job.train.weights_out = out;
  job.train.json = json;
  job.train.progress = progress = hs_cli_progress_new (quiet);

  if (!hs_cli_run_interruptible (pretrain_work, &job, cancellable))
    {
      gboolean cancelled = hs_cli_is_cancelled (job.train.error, cancellable);
      hs_cli_progress_clear (progress);
      g_printerr ("pretrain: %s\n", job.train.error ? job.train.error->message : "failed");
      if (cancelled)
        g_printerr ("pretrain: run the same command again to continue from %s\n", checkpoint);
      g_clear_error (&job.train.error);
      return cancelled ? HS_CLI_EXIT_INTERRUPTED : 1;
    }
  if (!keep)
    g_unlink (checkpoint);
  if (json)
    g_print ("{\"test_acc\": %.6g}\n", job.train.test_acc);
  else
    g_print ("\nTest accuracy on the corpus: %.2f%%\nWeights: %s\n",
             100.0 * job.train.test_acc, out);
  return 0;
}
