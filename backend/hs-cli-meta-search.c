/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hyperstar-cli meta search`: a search method run on one task of a
 * meta-dataset, every trial answered from the recorded learning curves
 * instead of by training.  A Hyperband run takes milliseconds, so methods
 * can be compared over many tasks and seeds; the answer is what the same
 * search would have found training for real (same curves, same promotions).
 */
#define G_LOG_DOMAIN "hyperstar-cli"

#include <math.h>
#include <stdio.h>

#include "hs-cli.h"
#include "hs-hpo.h"
#include "hs-meta-data.h"

typedef struct {
  HsMetaData *md;
  guint task;
} Replay;

static gboolean
replay_lookup (const char *config_id, guint epoch, gdouble *val_acc, gdouble *seconds,
               gpointer data)
{
  Replay *replay = data;
  gint c = hs_meta_data_config_index (replay->md, config_id);

  return c >= 0 && hs_meta_data_val_acc (replay->md, replay->task, (guint) c, epoch, val_acc,
                                         seconds);
}

static void
print_trial (HsScheduler *scheduler, const HsTrial *trial, gpointer data)
{
  gboolean *json = data;

  (void) scheduler;
  if (*json)
    {
      g_autofree char *text = hs_trial_to_json (trial);
      g_print ("%s\n", text);
    }
  else
    g_print ("  bracket %u rung %u  %-28s epochs %2u→%-2u  val %6.2f%%\n", trial->bracket,
             trial->rung, trial->config_id, trial->from_epoch, trial->to_epoch,
             100.0 * trial->val_acc);
}

int
hs_cli_meta_search (int argc, char **argv)
{
  g_autofree char *task = NULL, *method = NULL, *dir = NULL;
  gint eta = 3, max_epochs = 0, seed = 0;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "task", 't', 0, G_OPTION_ARG_STRING, &task, "The task (required)", "NAME" },
    { "method", 'm', 0, G_OPTION_ARG_STRING, &method, "hyperband (default), successive-halving or random", "METHOD" },
    { "eta", 0, 0, G_OPTION_ARG_INT, &eta, "Keep 1/η at each promotion (3)", "η" },
    { "max-epochs", 'R', 0, G_OPTION_ARG_INT, &max_epochs, "Largest budget R (default: the meta-dataset's)", "R" },
    { "seed", 's', 0, G_OPTION_ARG_INT, &seed, "Sampling seed (0)", "S" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per trial, then a summary object", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("[DIR] --task NAME — replay a search on recorded learning curves");
  g_autoptr(HsMetaData) md = NULL;
  g_autoptr(HsSearchSpace) space = NULL;
  g_autoptr(HsEvaluator) evaluator = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) jsons = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  HsScheduler *scheduler = NULL;
  HsSchedulerOptions options;
  const HsTrial *best;
  Replay replay;
  gint t, oracle = -1;
  gint64 started;
  gdouble elapsed;
  int status = 1;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse_options (context, "meta search", &argc, &argv))
    return HS_CLI_EXIT_USAGE;
  if (task == NULL || argc > 2 || eta < 2 || max_epochs < 0 || seed < 0)
    {
      g_printerr ("meta search: give --task NAME, at most one folder, --eta of at least 2 "
                  "(see --help)\n");
      return HS_CLI_EXIT_USAGE;
    }
  if (argc == 2)
    dir = g_strdup (argv[1]);
  else if ((dir = hs_cli_meta_default_dir ("meta search")) == NULL)
    return 1;
  if ((md = hs_meta_data_load (dir, &error)) == NULL)
    {
      g_printerr ("meta search: %s\n", error->message);
      return 1;
    }
  if ((t = hs_meta_data_task_index (md, task)) < 0)
    {
      g_printerr ("meta search: %s has no results for task “%s”\n", dir, task);
      return 1;
    }

  /* The configurations finished on this task: a build in progress may not
   * have reached them all. */
  for (guint c = 0; c < hs_meta_data_n_configs (md); c++)
    if (hs_meta_data_is_finished (md, (guint) t, c))
      {
        g_ptr_array_add (ids, (gpointer) hs_meta_data_config_id (md, c));
        g_ptr_array_add (jsons, (gpointer) hs_meta_data_config_json (md, c));
        if (oracle < 0 || hs_meta_data_final_val (md, (guint) t, c) >
                          hs_meta_data_final_val (md, (guint) t, (guint) oracle))
          oracle = (gint) c;
      }
  if ((space = hs_search_space_new_grid (ids->len, (const char *const *) ids->pdata,
                                         (const char *const *) jsons->pdata, &error)) == NULL)
    {
      g_printerr ("meta search: %s\n", error->message);
      return 1;
    }

  hs_scheduler_options_init (&options);
  options.max_epochs = max_epochs > 0 ? (guint) max_epochs : hs_meta_data_max_epoch (md);
  options.eta = (guint) eta;
  options.seed = (guint32) seed;
  if (options.max_epochs > hs_meta_data_max_epoch (md))
    {
      g_printerr ("meta search: --max-epochs %u is past the %u epochs recorded\n",
                  options.max_epochs, hs_meta_data_max_epoch (md));
      return HS_CLI_EXIT_USAGE;
    }
  replay = (Replay) { md, (guint) t };
  evaluator = hs_table_evaluator_new (replay_lookup, &replay);
  if ((scheduler = hs_scheduler_new (method ? method : "hyperband", space, &options,
                                     &error)) == NULL)
    {
      g_printerr ("meta search: %s\n", error->message);
      return 1;
    }

  if (!json)
    g_print ("%s on %s (%u configurations, R = %u, η = %u, seed %d), replayed from %s\n",
             hs_scheduler_get_method (scheduler), task, ids->len, options.max_epochs,
             options.eta, seed, dir);
  started = g_get_monotonic_time ();
  if (!hs_scheduler_run (scheduler, evaluator, print_trial, &json, NULL, &error))
    {
      g_printerr ("meta search: %s\n", error->message);
      goto out;
    }
  elapsed = (g_get_monotonic_time () - started) / 1e3;
  best = hs_scheduler_get_best (scheduler);
  {
    gint b = hs_meta_data_config_index (md, best->config_id);
    gdouble best_final = hs_meta_data_final_val (md, (guint) t, (guint) b);
    gdouble oracle_val = hs_meta_data_final_val (md, (guint) t, (guint) oracle);
    guint64 spent = hs_scheduler_get_epochs_spent (scheduler);
    guint64 grid_epochs = (guint64) ids->len * hs_meta_data_max_epoch (md);

    if (json)
      g_print ("{\"best\": \"%s\", \"best_val_acc\": %.6g, \"best_final_val_acc\": %.6g, "
               "\"best_test_acc\": %.6g, \"oracle\": \"%s\", \"oracle_val_acc\": %.6g, "
               "\"epochs_spent\": %" G_GUINT64_FORMAT ", \"grid_epochs\": %" G_GUINT64_FORMAT
               ", \"trials\": %u, \"milliseconds\": %.3f}\n",
               best->config_id, best->val_acc, best_final,
               hs_meta_data_final_test (md, (guint) t, (guint) b),
               hs_meta_data_config_id (md, (guint) oracle), oracle_val, spent, grid_epochs,
               hs_scheduler_get_trials (scheduler)->len, elapsed);
    else
      g_print ("\nBest: %s, %.2f%% at %u epochs (%.2f%% after all %u; test %.2f%%)\n"
               "Best of the whole grid: %s, %.2f%% (regret %.2f points)\n"
               "Spent %" G_GUINT64_FORMAT " epochs in %u trials, %.0f%% of training the whole "
               "grid; replayed in %.1f ms\n",
               best->config_id, 100.0 * best->val_acc, best->to_epoch, 100.0 * best_final,
               hs_meta_data_max_epoch (md), 100.0 * hs_meta_data_final_test (md, (guint) t, (guint) b),
               hs_meta_data_config_id (md, (guint) oracle), 100.0 * oracle_val,
               100.0 * (oracle_val - best_final), spent,
               hs_scheduler_get_trials (scheduler)->len, 100.0 * spent / grid_epochs, elapsed);
  }
  status = 0;
out:
  hs_scheduler_free (scheduler);
  return status;
}
