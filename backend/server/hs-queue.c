/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The search queue (see hs-queue.h).
 */
#define G_LOG_DOMAIN "hyperstard"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>

#include "hs-api-json.h"
#include "hs-catalog-cache.h"
#include "hs-dataset-store.h"
#include "hs-queue.h"
#include "hs-search-settings.h"

typedef enum {
  STOP_NONE,
  STOP_PAUSE,
  STOP_CANCEL,
} StopKind;

/* A search the queue works on: its scheduler and its trials out. */
typedef struct {
  gint64 id;
  gint priority;
  gint64 created;
  char *dataset;
  guint32 seed;
  HsScheduler *scheduler;
  GQueue ready;            /* GUINT_TO_POINTER (trial id): restored trials to run first */
  GHashTable *running;     /* trial id → Work */
  StopKind stopping;
} Active;

typedef struct {
  HsQueue *queue;
  gint64 search_id;
  guint trial_id;
  guint from_epoch, to_epoch;
  GCancellable *cancellable;
  GArray *epoch_seconds;   /* gdouble, of the epochs done so far: for the ETA */
  gboolean dataset_recorded;
} Work;

struct _HsQueue
{
  HsStore *store;
  HsTrialRunner *runner;
  HsEvents *events;
  HsCatalogCache *catalog;
  char *checkpoint_dir;
  guint n_workers;
  guint n_busy;
  GHashTable *active;      /* search id → Active */
  guint pump_id;
  gboolean shutting_down;
  GSourceFunc shutdown_done;
  gpointer shutdown_data;
};

static void
active_free (Active *a)
{
  g_free (a->dataset);
  g_clear_pointer (&a->scheduler, hs_scheduler_free);
  g_queue_clear (&a->ready);
  g_hash_table_unref (a->running);
  g_free (a);
}

static void
work_free (Work *w)
{
  g_clear_object (&w->cancellable);
  g_array_unref (w->epoch_seconds);
  g_free (w);
}

HsQueue *
hs_queue_new (HsStore *store, HsTrialRunner *runner, HsEvents *events,
              HsCatalogCache *catalog, const char *checkpoint_dir, guint n_workers)
{
  HsQueue *queue = g_new0 (HsQueue, 1);

  queue->store = store;
  queue->runner = runner;
  queue->events = events;
  queue->catalog = catalog;
  queue->checkpoint_dir = g_strdup (checkpoint_dir);
  queue->n_workers = MAX (n_workers, 1);
  queue->active = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                         (GDestroyNotify) active_free);
  return queue;
}

void
hs_queue_free (HsQueue *queue)
{
  if (queue == NULL)
    return;
  g_clear_handle_id (&queue->pump_id, g_source_remove);
  g_hash_table_unref (queue->active);
  g_free (queue->checkpoint_dir);
  g_free (queue);
}

guint
hs_queue_get_n_workers (HsQueue *queue)
{
  return queue->n_workers;
}

guint
hs_queue_get_n_busy (HsQueue *queue)
{
  return queue->n_busy;
}

static char *
search_dir (HsQueue *queue, gint64 search_id)
{
  g_autofree char *name = g_strdup_printf ("search-%" G_GINT64_FORMAT, search_id);
  return g_build_filename (queue->checkpoint_dir, name, NULL);
}

static char *
checkpoint_path (HsQueue *queue, gint64 search_id, gint trial_id)
{
  g_autofree char *dir = search_dir (queue, search_id);
  g_autofree char *name = g_strdup_printf ("trial-%d.hsckpt", trial_id);
  return g_build_filename (dir, name, NULL);
}

static void
remove_checkpoints (HsQueue *queue, gint64 search_id)
{
  g_autofree char *dir = search_dir (queue, search_id);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

/* ---- events ---- */

static void
emit_search (HsQueue *queue, gint64 search_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStoreSearch) search = hs_store_get_search (queue->store, search_id, &error);

  if (search == NULL)
    {
      g_warning ("search %" G_GINT64_FORMAT ": %s", search_id, error->message);
      return;
    }
  hs_events_emit (queue->events, search_id, "search-state", hs_api_search_to_json (search),
                  TRUE);
}

static void
emit_trial (HsQueue *queue, gint64 search_id, guint trial_id, const char *type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStoreTrial) trial = hs_store_get_trial (queue->store, search_id, trial_id, &error);

  if (trial == NULL)
    {
      g_warning ("search %" G_GINT64_FORMAT ", trial %u: %s", search_id, trial_id,
                 error->message);
      return;
    }
  hs_events_emit (queue->events, search_id, type, hs_api_trial_to_json (trial), TRUE);
}

/* Sets a search's state in the store and says so. */
static void
set_state (HsQueue *queue, gint64 search_id, HsSearchState state, const char *message)
{
  g_autoptr(GError) error = NULL;

  if (!hs_store_set_search_state (queue->store, search_id, state, message, &error))
    g_warning ("search %" G_GINT64_FORMAT ": %s", search_id, error->message);
  emit_search (queue, search_id);
}

/* ---- activation: a search's scheduler from its stored trials ---- */

static Active *
activate (HsQueue *queue, const HsStoreSearch *search, GError **error)
{
  g_autoptr(HsStoreSpace) space_row = NULL;
  g_autoptr(HsSearchSpace) space = NULL;
  g_autoptr(GPtrArray) trials = NULL;
  g_autofree HsTrial *views = NULL;
  g_autofree const HsTrial **pointers = NULL;
  HsSchedulerOptions options;
  Active *a;

  if ((space_row = hs_store_get_space (queue->store, search->space_id, error)) == NULL ||
      (space = hs_search_space_new_from_json (space_row->json, error)) == NULL ||
      !hs_search_settings_parse_text (search->method, search->settings, space, &options, error))
    return NULL;
  /* A crash left these running: they run again from their checkpoints. */
  hs_store_requeue_running_trials (queue->store, search->id, NULL);
  if ((trials = hs_store_list_trials (queue->store, search->id, 0, 0, error)) == NULL)
    return NULL;

  a = g_new0 (Active, 1);
  a->id = search->id;
  a->priority = search->priority;
  a->created = search->created;
  a->dataset = g_strdup (search->dataset);
  a->seed = options.seed;
  a->running = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_queue_init (&a->ready);
  a->scheduler = hs_scheduler_new (hs_search_method_canonical (search->method), space, &options,
                                   error);
  if (a->scheduler == NULL)
    {
      active_free (a);
      return NULL;
    }
  views = g_new0 (HsTrial, trials->len);
  pointers = g_new0 (const HsTrial *, trials->len);
  for (guint i = 0; i < trials->len; i++)
    {
      hs_store_trial_as_hpo (g_ptr_array_index (trials, i), &views[i]);
      pointers[i] = &views[i];
    }
  if (!hs_scheduler_restore (a->scheduler, pointers, trials->len, error))
    {
      active_free (a);
      return NULL;
    }
  for (guint i = 0; i < trials->len; i++)
    if (views[i].state == HS_TRIAL_PENDING)
      g_queue_push_tail (&a->ready, GUINT_TO_POINTER (views[i].id));
  g_hash_table_insert (queue->active, &a->id, a);
  return a;
}

/* Ends a search whose workers have all returned. */
static void
finish_active (HsQueue *queue, Active *a, HsSearchState state, const char *message)
{
  gint64 id = a->id;

  g_hash_table_remove (queue->active, &id);
  if (state != HS_SEARCH_PAUSED && state != HS_SEARCH_QUEUED)
    remove_checkpoints (queue, id);
  set_state (queue, id, state, message);
}

/* ---- running trials ---- */

static void on_trial_done (GObject *source, GAsyncResult *result, gpointer data);
static void on_trial_progress (const HsTrialJob *job, const HsTrialProgress *progress,
                               gpointer data);

static gboolean
start_trial (HsQueue *queue, Active *a, guint trial_id, GError **error)
{
  const HsTrial *trial = hs_scheduler_get_trial (a->scheduler, trial_id);
  g_autoptr(HsTrialJob) job = hs_trial_job_new ();
  g_autofree char *dir = search_dir (queue, a->id);
  Work *w;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot create the checkpoint folder %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  if (!hs_store_start_trial (queue->store, a->id, trial_id,
                             hs_trial_runner_get_device_name (queue->runner), error))
    return FALSE;

  job->search_id = a->id;
  job->trial_id = trial_id;
  job->dataset = g_strdup (a->dataset);
  job->config = g_strdup (trial->config_json);
  job->seed = a->seed;
  job->from_epoch = trial->from_epoch;
  job->to_epoch = trial->to_epoch;
  job->checkpoint = checkpoint_path (queue, a->id, (gint) trial_id);
  if (trial->parent >= 0)
    job->parent_checkpoint = checkpoint_path (queue, a->id, trial->parent);

  w = g_new0 (Work, 1);
  w->queue = queue;
  w->search_id = a->id;
  w->trial_id = trial_id;
  w->from_epoch = trial->from_epoch;
  w->to_epoch = trial->to_epoch;
  w->cancellable = g_cancellable_new ();
  w->epoch_seconds = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_hash_table_insert (a->running, GUINT_TO_POINTER (trial_id), w);
  queue->n_busy++;
  emit_trial (queue, a->id, trial_id, "trial-started");
  hs_trial_runner_run_async (queue->runner, job, on_trial_progress, w, w->cancellable,
                             on_trial_done, w);
  return TRUE;
}

/* The dataset's counts, once a trial has loaded it: a built-in task's are
 * known only after it is built, and the dataset list shows them. */
static void
record_dataset (HsQueue *queue, const char *name, guint n_classes, gsize n_images)
{
  g_autoptr(HsStoreDataset) row = hs_store_get_dataset (queue->store, name, NULL);
  g_autoptr(GError) error = NULL;

  if (row != NULL && row->n_classes == n_classes && row->n_images == n_images)
    return;
  if (row == NULL)
    {
      HsTaskRecipe *recipe = hs_catalog_cache_find (queue->catalog, name);

      row = g_new0 (HsStoreDataset, 1);
      row->name = g_strdup (name);
      row->source = g_strdup (hs_dataset_store_exists (name) || recipe == NULL ? "imported"
                                                                              : "builtin");
      row->family = recipe != NULL ? g_strdup (recipe->family) : NULL;
      row->created = g_get_real_time () / 1000;
    }
  row->n_classes = n_classes;
  row->n_images = n_images;
  if (!hs_store_put_dataset (queue->store, row, &error))
    g_warning ("dataset %s: %s", name, error->message);
}

static void
on_trial_progress (const HsTrialJob *job, const HsTrialProgress *progress, gpointer data)
{
  Work *w = data;
  HsQueue *queue = w->queue;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gdouble mean = 0, left;
  guint epochs_left;

  if (progress->n_images > 0 && !w->dataset_recorded)
    {
      record_dataset (queue, job->dataset, progress->n_classes, progress->n_images);
      w->dataset_recorded = TRUE;
    }
  if (progress->result != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_array_append_val (w->epoch_seconds, progress->result->seconds);
      if (!hs_store_add_trial_epoch (queue->store, w->search_id, w->trial_id,
                                     progress->result->val_acc, progress->result->train_loss,
                                     &error))
        g_warning ("search %" G_GINT64_FORMAT ", trial %u: %s", w->search_id, w->trial_id,
                   error->message);
    }
  for (guint i = 0; i < w->epoch_seconds->len; i++)
    mean += g_array_index (w->epoch_seconds, gdouble, i) / w->epoch_seconds->len;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "trial_id");
  json_builder_add_int_value (b, w->trial_id);
  json_builder_set_member_name (b, "phase");
  json_builder_add_string_value (b, progress->phase == HS_TRIAL_PHASE_PREPARING ? "preparing"
                                                                                : "training");
  json_builder_set_member_name (b, "epoch");
  json_builder_add_int_value (b, progress->epoch);
  json_builder_set_member_name (b, "from_epoch");
  json_builder_add_int_value (b, w->from_epoch);
  json_builder_set_member_name (b, "to_epoch");
  json_builder_add_int_value (b, w->to_epoch);
  json_builder_set_member_name (b, "fraction");
  json_builder_add_double_value (b, progress->fraction);
  if (progress->result != NULL)
    {
      json_builder_set_member_name (b, "val_acc");
      json_builder_add_double_value (b, progress->result->val_acc);
      json_builder_set_member_name (b, "train_loss");
      json_builder_add_double_value (b, progress->result->train_loss);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, progress->result->seconds);
    }
  /* The time left: the epochs to go at the mean epoch time so far. */
  json_builder_set_member_name (b, "eta_seconds");
  if (w->epoch_seconds->len > 0 && progress->phase == HS_TRIAL_PHASE_TRAINING)
    {
      epochs_left = w->to_epoch - MIN (w->to_epoch, w->from_epoch + w->epoch_seconds->len);
      left = mean * epochs_left;
      if (progress->result == NULL)
        left = MAX (0.0, left - mean * progress->fraction);
      json_builder_add_double_value (b, left);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  hs_events_emit (queue->events, w->search_id,
                  progress->result != NULL ? "trial-epoch" : "trial-progress",
                  json_builder_get_root (b), progress->result != NULL);
}

static void pump_soon (HsQueue *queue);

static void
maybe_finish_stop (HsQueue *queue, Active *a)
{
  if (a->stopping == STOP_NONE || g_hash_table_size (a->running) > 0)
    return;
  finish_active (queue, a, a->stopping == STOP_PAUSE ? HS_SEARCH_PAUSED : HS_SEARCH_CANCELLED,
                 NULL);
}

static void
on_trial_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Work *w = data;
  HsQueue *queue = w->queue;
  Active *a = g_hash_table_lookup (queue->active, &w->search_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autoptr(GArray) epochs = hs_trial_runner_run_finish (queue->runner, result, &error);

  queue->n_busy--;
  g_hash_table_remove (a->running, GUINT_TO_POINTER (w->trial_id));

  if (epochs != NULL)
    {
      g_autoptr(GArray) curve = g_array_new (FALSE, FALSE, sizeof (gdouble));
      g_autoptr(GArray) losses = g_array_new (FALSE, FALSE, sizeof (gdouble));
      g_autoptr(GArray) seconds = g_array_new (FALSE, FALSE, sizeof (gdouble));
      gdouble total = 0;

      for (guint i = 0; i < epochs->len; i++)
        {
          const HsEpochResult *r = &g_array_index (epochs, HsEpochResult, i);
          g_array_append_val (curve, r->val_acc);
          g_array_append_val (losses, r->train_loss);
          g_array_append_val (seconds, r->seconds);
          total += r->seconds;
        }
      if (!hs_store_finish_trial (queue->store, w->search_id, w->trial_id, curve, losses, total,
                                  &store_error) ||
          !hs_scheduler_report (a->scheduler, w->trial_id, (const gdouble *) curve->data,
                                (const gdouble *) seconds->data, curve->len, &store_error))
        {
          /* The result is not in the store: the search cannot go on
           * truthfully (a full disk, …). */
          g_warning ("search %" G_GINT64_FORMAT ", trial %u: %s", w->search_id, w->trial_id,
                     store_error->message);
          a->stopping = STOP_PAUSE;
          hs_store_requeue_trial (queue->store, w->search_id, w->trial_id, NULL);
        }
      else
        emit_trial (queue, w->search_id, w->trial_id, "trial-finished");
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Paused, cancelled or shutting down: paused and shut-down trials run
       * again later from their checkpoints. */
      if (a->stopping == STOP_CANCEL)
        hs_store_fail_trial (queue->store, w->search_id, w->trial_id, "cancelled", NULL);
      else
        {
          hs_store_requeue_trial (queue->store, w->search_id, w->trial_id, NULL);
          /* Resumed before it stopped: it runs again, first. */
          if (a->stopping == STOP_NONE && !queue->shutting_down)
            g_queue_push_head (&a->ready, GUINT_TO_POINTER (w->trial_id));
        }
    }
  else
    {
      gboolean fatal = error->domain == HS_DATASET_ERROR || error->domain == HS_CONFIG_ERROR;

      if (!hs_store_fail_trial (queue->store, w->search_id, w->trial_id, error->message,
                                &store_error))
        g_warning ("search %" G_GINT64_FORMAT ", trial %u: %s", w->search_id, w->trial_id,
                   store_error->message);
      hs_scheduler_report_failure (a->scheduler, w->trial_id, error->message, NULL);
      emit_trial (queue, w->search_id, w->trial_id, "trial-finished");
      /* A dataset that cannot be loaded or a configuration the trainer
       * refuses fails every trial alike: the search stops here. */
      if (fatal && g_hash_table_size (a->running) == 0)
        {
          work_free (w);
          finish_active (queue, a, HS_SEARCH_FAILED, error->message);
          pump_soon (queue);
          return;
        }
      if (fatal)
        a->stopping = STOP_CANCEL;
    }
  work_free (w);

  if (queue->shutting_down)
    {
      if (queue->n_busy == 0 && queue->shutdown_done != NULL)
        queue->shutdown_done (queue->shutdown_data);
      return;
    }
  maybe_finish_stop (queue, a);
  pump_soon (queue);
}

/* ---- the pump: hands trials to idle workers ---- */

static gint
compare_active (gconstpointer pa, gconstpointer pb)
{
  const Active *a = *(Active **) pa, *b = *(Active **) pb;

  if (a->priority != b->priority)
    return a->priority > b->priority ? -1 : 1;
  if (a->created != b->created)
    return a->created < b->created ? -1 : 1;
  return a->id < b->id ? -1 : a->id > b->id;
}

/* The next trial of a, or FALSE when it has none ready now.  A search that
 * is over (nothing out, nothing more) ends here. */
static gboolean
next_trial (HsQueue *queue, Active *a, guint *trial_id)
{
  g_autoptr(GError) error = NULL;
  const HsTrial *trial = NULL;

  if (a->stopping != STOP_NONE)
    return FALSE;
  if (!g_queue_is_empty (&a->ready))
    {
      *trial_id = GPOINTER_TO_UINT (g_queue_pop_head (&a->ready));
      return TRUE;
    }
  switch (hs_scheduler_next (a->scheduler, &trial, &error))
    {
    case HS_SCHEDULER_TRIAL:
      {
        g_autoptr(HsStoreTrial) row = hs_store_trial_new ();

        row->search_id = a->id;
        row->id = trial->id;
        row->config_id = g_strdup (trial->config_id);
        row->config = g_strdup (trial->config_json);
        row->from_epoch = trial->from_epoch;
        row->to_epoch = trial->to_epoch;
        row->parent = trial->parent;
        row->bracket = trial->bracket;
        row->bracket_index = trial->bracket_index;
        row->rung = trial->rung;
        if (!hs_store_add_trial (queue->store, row, &error))
          {
            g_warning ("search %" G_GINT64_FORMAT ": %s", a->id, error->message);
            a->stopping = STOP_PAUSE;
            maybe_finish_stop (queue, a);
            return FALSE;
          }
        *trial_id = trial->id;
        return TRUE;
      }
    case HS_SCHEDULER_WAIT:
      return FALSE;
    case HS_SCHEDULER_DONE:
      if (g_hash_table_size (a->running) == 0)
        finish_active (queue, a, HS_SEARCH_DONE, NULL);
      return FALSE;
    case HS_SCHEDULER_ERROR:
    default:
      if (g_hash_table_size (a->running) == 0)
        finish_active (queue, a, HS_SEARCH_FAILED, error->message);
      else
        a->stopping = STOP_CANCEL;
      return FALSE;
    }
}

/* Takes the next queued search from the store; FALSE when there is none. */
static gboolean
activate_next_queued (HsQueue *queue)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStoreSearch) search = hs_store_next_queued_search (queue->store, &error);

  if (search == NULL)
    {
      if (error != NULL)
        g_warning ("queue: %s", error->message);
      return FALSE;
    }
  if (activate (queue, search, &error) == NULL)
    {
      set_state (queue, search->id, HS_SEARCH_FAILED, error->message);
      return TRUE;  /* look again: the next one may run */
    }
  set_state (queue, search->id, HS_SEARCH_RUNNING, NULL);
  return TRUE;
}

static gboolean
pump (gpointer data)
{
  HsQueue *queue = data;

  queue->pump_id = 0;
  while (!queue->shutting_down && queue->n_busy < queue->n_workers)
    {
      g_autoptr(GPtrArray) actives = g_ptr_array_new ();
      gboolean started = FALSE;
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, queue->active);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_ptr_array_add (actives, value);

      g_ptr_array_sort (actives, compare_active);
      for (guint i = 0; i < actives->len && !started; i++)
        {
          Active *a = g_ptr_array_index (actives, i);
          guint trial_id;
          g_autoptr(GError) error = NULL;

          if (!next_trial (queue, a, &trial_id))
            continue;
          if (!start_trial (queue, a, trial_id, &error))
            {
              g_warning ("search %" G_GINT64_FORMAT ", trial %u: %s", a->id, trial_id,
                         error->message);
              g_queue_push_head (&a->ready, GUINT_TO_POINTER (trial_id));
              a->stopping = STOP_PAUSE;
              maybe_finish_stop (queue, a);
              continue;
            }
          started = TRUE;
        }
      if (!started && !activate_next_queued (queue))
        break;
    }
  return G_SOURCE_REMOVE;
}

static void
pump_soon (HsQueue *queue)
{
  if (queue->pump_id == 0 && !queue->shutting_down)
    queue->pump_id = g_idle_add (pump, queue);
}

void
hs_queue_kick (HsQueue *queue)
{
  pump_soon (queue);
}

gboolean
hs_queue_start (HsQueue *queue, GError **error)
{
  g_autoptr(GPtrArray) searches = hs_store_list_searches (queue->store, 0, 0, error);

  if (searches == NULL)
    return FALSE;
  /* Searches that were running when the daemon stopped go on first. */
  for (guint i = 0; i < searches->len; i++)
    {
      HsStoreSearch *s = g_ptr_array_index (searches, i);
      g_autoptr(GError) local = NULL;

      if (s->state != HS_SEARCH_RUNNING)
        continue;
      if (activate (queue, s, &local) == NULL)
        set_state (queue, s->id, HS_SEARCH_FAILED, local->message);
    }
  pump_soon (queue);
  return TRUE;
}

static void
stop_running (Active *a)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, a->running);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_cancellable_cancel (((Work *) value)->cancellable);
}

static HsStoreSearch *
get_search (HsQueue *queue, gint64 search_id, GError **error)
{
  return hs_store_get_search (queue->store, search_id, error);
}

gboolean
hs_queue_pause (HsQueue *queue, gint64 search_id, GError **error)
{
  g_autoptr(HsStoreSearch) search = get_search (queue, search_id, error);
  Active *a;

  if (search == NULL)
    return FALSE;
  if (search->state == HS_SEARCH_PAUSED)
    return TRUE;
  if (search->state != HS_SEARCH_QUEUED && search->state != HS_SEARCH_RUNNING)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                   "search %" G_GINT64_FORMAT " is %s: only a queued or running search can be "
                   "paused", search_id, hs_search_state_to_string (search->state));
      return FALSE;
    }
  if ((a = g_hash_table_lookup (queue->active, &search_id)) == NULL)
    {
      set_state (queue, search_id, HS_SEARCH_PAUSED, NULL);
      return TRUE;
    }
  a->stopping = STOP_PAUSE;
  stop_running (a);
  maybe_finish_stop (queue, a);
  return TRUE;
}

gboolean
hs_queue_resume (HsQueue *queue, gint64 search_id, GError **error)
{
  g_autoptr(HsStoreSearch) search = get_search (queue, search_id, error);
  Active *a;

  if (search == NULL)
    return FALSE;
  if ((a = g_hash_table_lookup (queue->active, &search_id)) != NULL &&
      a->stopping == STOP_PAUSE)
    {
      /* Paused while its trials were still stopping: it simply goes on. */
      a->stopping = STOP_NONE;
      pump_soon (queue);
      return TRUE;
    }
  if (search->state == HS_SEARCH_QUEUED || search->state == HS_SEARCH_RUNNING)
    return TRUE;
  if (search->state != HS_SEARCH_PAUSED)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                   "search %" G_GINT64_FORMAT " is %s: only a paused search can be resumed",
                   search_id, hs_search_state_to_string (search->state));
      return FALSE;
    }
  set_state (queue, search_id, HS_SEARCH_QUEUED, NULL);
  pump_soon (queue);
  return TRUE;
}

gboolean
hs_queue_cancel (HsQueue *queue, gint64 search_id, GError **error)
{
  g_autoptr(HsStoreSearch) search = get_search (queue, search_id, error);
  Active *a;

  if (search == NULL)
    return FALSE;
  if (hs_search_state_is_final (search->state))
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                   "search %" G_GINT64_FORMAT " is already %s", search_id,
                   hs_search_state_to_string (search->state));
      return FALSE;
    }
  if ((a = g_hash_table_lookup (queue->active, &search_id)) == NULL)
    {
      remove_checkpoints (queue, search_id);
      set_state (queue, search_id, HS_SEARCH_CANCELLED, NULL);
      return TRUE;
    }
  a->stopping = STOP_CANCEL;
  stop_running (a);
  maybe_finish_stop (queue, a);
  pump_soon (queue);
  return TRUE;
}

void
hs_queue_shutdown (HsQueue *queue, GSourceFunc done, gpointer data)
{
  GHashTableIter iter;
  gpointer value;

  queue->shutting_down = TRUE;
  queue->shutdown_done = done;
  queue->shutdown_data = data;
  g_clear_handle_id (&queue->pump_id, g_source_remove);
  g_hash_table_iter_init (&iter, queue->active);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    stop_running (value);
  if (queue->n_busy == 0 && done != NULL)
    done (data);
}
