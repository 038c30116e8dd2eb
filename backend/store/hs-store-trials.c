/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The trials table (hs-store.h): the scheduler's trials and their life,
 * pending → running → done or failed, with a learning curve that grows an
 * epoch at a time while running and is replaced whole when done.
 */
#define G_LOG_DOMAIN "hs-store"

#include <math.h>

#include "hs-store-private.h"

static const char *const trial_state_names[] = {
  [HS_STORE_TRIAL_PENDING] = "pending",
  [HS_STORE_TRIAL_RUNNING] = "running",
  [HS_STORE_TRIAL_DONE] = "done",
  [HS_STORE_TRIAL_FAILED] = "failed",
};

const char *
hs_store_trial_state_to_string (HsStoreTrialState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (trial_state_names), NULL);
  return trial_state_names[state];
}

static gboolean
trial_state_from_string (const char *text, HsStoreTrialState *state)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (trial_state_names); i++)
    if (g_str_equal (text, trial_state_names[i]))
      {
        *state = (HsStoreTrialState) i;
        return TRUE;
      }
  return FALSE;
}

HsStoreTrial *
hs_store_trial_new (void)
{
  HsStoreTrial *trial = g_new0 (HsStoreTrial, 1);

  trial->parent = -1;
  trial->state = HS_STORE_TRIAL_PENDING;
  trial->val_acc = NAN;
  trial->curve = g_array_new (FALSE, FALSE, sizeof (gdouble));
  trial->losses = g_array_new (FALSE, FALSE, sizeof (gdouble));
  return trial;
}

void
hs_store_trial_free (HsStoreTrial *trial)
{
  if (trial == NULL)
    return;
  g_free (trial->config_id);
  g_free (trial->config);
  g_clear_pointer (&trial->curve, g_array_unref);
  g_clear_pointer (&trial->losses, g_array_unref);
  g_free (trial->device);
  g_free (trial->error);
  g_free (trial);
}

void
hs_store_trial_as_hpo (const HsStoreTrial *trial, HsTrial *out)
{
  static const HsTrialState states[] = {
    [HS_STORE_TRIAL_PENDING] = HS_TRIAL_PENDING,
    /* A running trial's worker is gone after a restart: handed out, no
     * result, which is what pending means to the scheduler. */
    [HS_STORE_TRIAL_RUNNING] = HS_TRIAL_PENDING,
    [HS_STORE_TRIAL_DONE] = HS_TRIAL_DONE,
    [HS_STORE_TRIAL_FAILED] = HS_TRIAL_FAILED,
  };

  g_return_if_fail (trial != NULL);
  g_return_if_fail (out != NULL);

  *out = (HsTrial) {
    .id = trial->id,
    .config_id = trial->config_id,
    .config_json = trial->config,
    .from_epoch = trial->from_epoch,
    .to_epoch = trial->to_epoch,
    .parent = trial->parent,
    .bracket = trial->bracket,
    .bracket_index = trial->bracket_index,
    .rung = trial->rung,
    .state = (guint) trial->state < G_N_ELEMENTS (states) ? states[trial->state] : HS_TRIAL_PENDING,
    .val_acc = trial->state == HS_STORE_TRIAL_DONE ? trial->val_acc : NAN,
    .seconds = trial->seconds,
    .curve = trial->curve,
    .message = trial->state == HS_STORE_TRIAL_FAILED ? trial->error : NULL,
  };
}

#define TRIAL_COLUMNS \
  "search_id, id, config_id, config, from_epoch, to_epoch, parent, bracket, bracket_index, " \
  "rung, state, val_acc, seconds, curve, losses, device, started, finished, error"

static HsStoreTrial *
trial_from_row (HsStore *store, sqlite3_stmt *stmt, GError **error)
{
  g_autoptr(HsStoreTrial) trial = g_new0 (HsStoreTrial, 1);
  const char *state = (const char *) sqlite3_column_text (stmt, 10);

  trial->search_id = sqlite3_column_int64 (stmt, 0);
  trial->id = (guint) sqlite3_column_int64 (stmt, 1);
  if (!trial_state_from_string (state, &trial->state))
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CORRUPT,
                   "%s: search %" G_GINT64_FORMAT ": trial %u has an unknown state “%s”",
                   store->path, trial->search_id, trial->id, state != NULL ? state : "(null)");
      return NULL;
    }
  trial->curve = hs_store_curve_from_json ((const char *) sqlite3_column_text (stmt, 13));
  trial->losses = hs_store_curve_from_json ((const char *) sqlite3_column_text (stmt, 14));
  if (trial->curve == NULL || trial->losses == NULL)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CORRUPT,
                   "%s: search %" G_GINT64_FORMAT ": trial %u: its %s is not a JSON array "
                   "of numbers", store->path, trial->search_id, trial->id,
                   trial->curve == NULL ? "curve" : "losses");
      return NULL;
    }
  trial->config_id = hs_store_column_dup (stmt, 2);
  trial->config = hs_store_column_dup (stmt, 3);
  trial->from_epoch = (guint) sqlite3_column_int64 (stmt, 4);
  trial->to_epoch = (guint) sqlite3_column_int64 (stmt, 5);
  trial->parent = sqlite3_column_int (stmt, 6);
  trial->bracket = (guint) sqlite3_column_int64 (stmt, 7);
  trial->bracket_index = (guint) sqlite3_column_int64 (stmt, 8);
  trial->rung = (guint) sqlite3_column_int64 (stmt, 9);
  trial->val_acc = hs_store_column_double (stmt, 11);
  trial->seconds = hs_store_column_double (stmt, 12);
  trial->device = hs_store_column_dup (stmt, 15);
  trial->started = sqlite3_column_int64 (stmt, 16);
  trial->finished = sqlite3_column_int64 (stmt, 17);
  trial->error = hs_store_column_dup (stmt, 18);
  return g_steal_pointer (&trial);
}

/* The search exists: NOT_FOUND otherwise. */
static gboolean
check_search (HsStore *store, gint64 search_id, GError **error)
{
  g_auto(HsStoreStmt) stmt = hs_store_prepare (store, "SELECT 1 FROM searches WHERE id = ?1",
                                               error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, search_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                 "no search %" G_GINT64_FORMAT, search_id);
  else
    hs_store_set_sqlite_error (store, error, rc, "reading search %" G_GINT64_FORMAT, search_id);
  return FALSE;
}

HsStoreTrial *
hs_store_get_trial (HsStore *store, gint64 search_id, guint id, GError **error)
{
  g_auto(HsStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = hs_store_prepare (store,
                           "SELECT " TRIAL_COLUMNS " FROM trials WHERE search_id = ?1 AND id = ?2",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, search_id);
  sqlite3_bind_int64 (stmt, 2, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return trial_from_row (store, stmt, error);
  if (rc == SQLITE_DONE)
    g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                 "search %" G_GINT64_FORMAT ": no trial %u", search_id, id);
  else
    hs_store_set_sqlite_error (store, error, rc, "search %" G_GINT64_FORMAT ": reading trial %u",
                               search_id, id);
  return NULL;
}

GPtrArray *
hs_store_list_trials (HsStore *store, gint64 search_id, guint offset, guint limit,
                      GError **error)
{
  g_autoptr(GPtrArray) trials = NULL;
  g_auto(HsStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  /* The primary key's index (search_id, id): in order, no sort. */
  stmt = hs_store_prepare (store,
                           "SELECT " TRIAL_COLUMNS " FROM trials WHERE search_id = ?1 "
                           "ORDER BY id LIMIT ?2 OFFSET ?3",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, search_id);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 3, offset);

  trials = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_store_trial_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsStoreTrial *trial = trial_from_row (store, stmt, error);

      if (trial == NULL)
        return NULL;
      g_ptr_array_add (trials, trial);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_sqlite_error (store, error, rc,
                                 "search %" G_GINT64_FORMAT ": listing trials", search_id);
      return NULL;
    }
  return g_steal_pointer (&trials);
}

static gboolean
add_trial_locked (HsStore *store, const HsStoreTrial *trial, GError **error)
{
  g_auto(HsStoreStmt) stmt = NULL;
  int rc;

  if (!check_search (store, trial->search_id, error))
    return FALSE;

  stmt = hs_store_prepare (store,
                           "INSERT INTO trials (search_id, id, config_id, config, from_epoch, "
                           "to_epoch, parent, bracket, bracket_index, rung, state) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'pending')",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, trial->search_id);
  sqlite3_bind_int64 (stmt, 2, trial->id);
  sqlite3_bind_text (stmt, 3, trial->config_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, trial->config, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, trial->from_epoch);
  sqlite3_bind_int64 (stmt, 6, trial->to_epoch);
  sqlite3_bind_int (stmt, 7, trial->parent);
  sqlite3_bind_int64 (stmt, 8, trial->bracket);
  sqlite3_bind_int64 (stmt, 9, trial->bracket_index);
  sqlite3_bind_int64 (stmt, 10, trial->rung);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_EXISTS,
                   "search %" G_GINT64_FORMAT ": trial %u is already recorded",
                   trial->search_id, trial->id);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_sqlite_error (store, error, rc,
                                 "search %" G_GINT64_FORMAT ": storing trial %u",
                                 trial->search_id, trial->id);
      return FALSE;
    }
  return TRUE;
}

gboolean
hs_store_add_trial (HsStore *store, const HsStoreTrial *trial, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (trial != NULL, FALSE);

  if (trial->config_id == NULL || *trial->config_id == '\0')
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                   "search %" G_GINT64_FORMAT ": trial %u: “config_id” is empty",
                   trial->search_id, trial->id);
      return FALSE;
    }
  if (trial->config == NULL || !json_parser_load_from_data (parser, trial->config, -1, NULL) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                   "search %" G_GINT64_FORMAT ": trial %u: “config” is not a JSON object",
                   trial->search_id, trial->id);
      return FALSE;
    }
  if (trial->to_epoch <= trial->from_epoch || trial->parent < -1)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                   "search %" G_GINT64_FORMAT ": trial %u: epochs %u to %u with parent %d "
                   "(to_epoch must be above from_epoch, parent at least −1)",
                   trial->search_id, trial->id, trial->from_epoch, trial->to_epoch,
                   trial->parent);
      return FALSE;
    }

  if (!hs_store_begin (store, error, "search %" G_GINT64_FORMAT ": storing trial %u",
                       trial->search_id, trial->id))
    return FALSE;
  return hs_store_end (store, add_trial_locked (store, trial, error), error);
}

/* The trial, read inside the write's transaction; INVALID unless its state
 * is one of `allowed` (a bit per HsStoreTrialState), `doing` saying what
 * was refused. */
static HsStoreTrial *
get_trial_in_state (HsStore *store, gint64 search_id, guint id, guint allowed,
                    const char *doing, GError **error)
{
  g_autoptr(HsStoreTrial) trial = hs_store_get_trial (store, search_id, id, error);

  if (trial == NULL)
    return NULL;
  if ((allowed & (1u << trial->state)) == 0)
    {
      if (trial->state == HS_STORE_TRIAL_DONE || trial->state == HS_STORE_TRIAL_FAILED)
        g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                     "search %" G_GINT64_FORMAT ": trial %u is already %s; it cannot %s",
                     search_id, id, trial_state_names[trial->state], doing);
      else
        g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                     "search %" G_GINT64_FORMAT ": trial %u is %s; it cannot %s",
                     search_id, id, trial_state_names[trial->state], doing);
      return NULL;
    }
  return g_steal_pointer (&trial);
}

#define STATE_BIT(state) (1u << (state))

static gboolean
start_trial_locked (HsStore *store, gint64 search_id, guint id, const char *device,
                    GError **error)
{
  g_autoptr(HsStoreTrial) trial = NULL;
  g_auto(HsStoreStmt) stmt = NULL;
  g_autofree char *what = NULL;

  trial = get_trial_in_state (store, search_id, id, STATE_BIT (HS_STORE_TRIAL_PENDING), "start",
                              error);
  if (trial == NULL)
    return FALSE;

  stmt = hs_store_prepare (store,
                           "UPDATE trials SET state = 'running', device = ?3, started = ?4, "
                           "curve = '[]', losses = '[]' WHERE search_id = ?1 AND id = ?2",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, search_id);
  sqlite3_bind_int64 (stmt, 2, id);
  sqlite3_bind_text (stmt, 3, device, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, hs_store_now ());
  what = g_strdup_printf ("search %" G_GINT64_FORMAT ": starting trial %u", search_id, id);
  return hs_store_step_done (store, stmt, what, error);
}

gboolean
hs_store_start_trial (HsStore *store, gint64 search_id, guint id, const char *device,
                      GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);

  if (!hs_store_begin (store, error, "search %" G_GINT64_FORMAT ": starting trial %u",
                       search_id, id))
    return FALSE;
  return hs_store_end (store, start_trial_locked (store, search_id, id, device, error), error);
}

/* Writes a trial's curve and losses (and with `finish`, its result). */
static gboolean
write_curve (HsStore *store, const HsStoreTrial *trial, const GArray *curve,
             const GArray *losses, gboolean finish, gdouble seconds, GError **error)
{
  g_autofree char *curve_json = hs_store_curve_to_json (curve);
  g_autofree char *losses_json = hs_store_curve_to_json (losses);
  g_autofree char *what = NULL;
  g_auto(HsStoreStmt) stmt = NULL;

  if (finish)
    stmt = hs_store_prepare (store,
                             "UPDATE trials SET curve = ?3, losses = ?4, state = 'done', "
                             "val_acc = ?5, seconds = ?6, finished = ?7, "
                             "started = CASE WHEN started = 0 THEN ?7 ELSE started END "
                             "WHERE search_id = ?1 AND id = ?2",
                             error);
  else
    stmt = hs_store_prepare (store,
                             "UPDATE trials SET curve = ?3, losses = ?4 "
                             "WHERE search_id = ?1 AND id = ?2",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, trial->search_id);
  sqlite3_bind_int64 (stmt, 2, trial->id);
  sqlite3_bind_text (stmt, 3, curve_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, losses_json, -1, SQLITE_TRANSIENT);
  if (finish)
    {
      hs_store_bind_double (stmt, 5, g_array_index (curve, gdouble, curve->len - 1));
      hs_store_bind_double (stmt, 6, seconds);
      sqlite3_bind_int64 (stmt, 7, hs_store_now ());
    }
  what = g_strdup_printf ("search %" G_GINT64_FORMAT ": %s trial %u", trial->search_id,
                          finish ? "finishing" : "recording an epoch of", trial->id);
  return hs_store_step_done (store, stmt, what, error);
}

static gboolean
add_trial_epoch_locked (HsStore *store, gint64 search_id, guint id, gdouble val_acc,
                        gdouble train_loss, GError **error)
{
  g_autoptr(HsStoreTrial) trial = NULL;
  guint n_epochs;

  trial = get_trial_in_state (store, search_id, id, STATE_BIT (HS_STORE_TRIAL_RUNNING),
                              "record an epoch", error);
  if (trial == NULL)
    return FALSE;

  n_epochs = trial->to_epoch - trial->from_epoch;
  if (trial->curve->len >= n_epochs)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                   "search %" G_GINT64_FORMAT ": trial %u already has all its %u epochs "
                   "(%u to %u)", search_id, id, n_epochs, trial->from_epoch + 1,
                   trial->to_epoch);
      return FALSE;
    }
  /* A v1 file's trial has no losses: pad them to the curve's length. */
  while (trial->losses->len < trial->curve->len)
    {
      gdouble unknown = NAN;
      g_array_append_val (trial->losses, unknown);
    }
  g_array_set_size (trial->losses, trial->curve->len);
  g_array_append_val (trial->curve, val_acc);
  g_array_append_val (trial->losses, train_loss);
  return write_curve (store, trial, trial->curve, trial->losses, FALSE, 0, error);
}

gboolean
hs_store_add_trial_epoch (HsStore *store, gint64 search_id, guint id, gdouble val_acc,
                          gdouble train_loss, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);

  if (!hs_store_begin (store, error,
                       "search %" G_GINT64_FORMAT ": recording an epoch of trial %u", search_id, id))
    return FALSE;
  return hs_store_end (store,
                       add_trial_epoch_locked (store, search_id, id, val_acc, train_loss, error),
                       error);
}

static gboolean
finish_trial_locked (HsStore *store, gint64 search_id, guint id, const GArray *curve,
                     const GArray *losses, gdouble seconds, GError **error)
{
  g_autoptr(HsStoreTrial) trial = NULL;
  g_autoptr(GArray) unknown_losses = NULL;
  guint n_epochs;

  /* A pending trial may finish too: an evaluator that replays recorded
   * curves has nothing to report per epoch. */
  trial = get_trial_in_state (store, search_id, id,
                              STATE_BIT (HS_STORE_TRIAL_PENDING) | STATE_BIT (HS_STORE_TRIAL_RUNNING),
                              "finish", error);
  if (trial == NULL)
    return FALSE;

  n_epochs = trial->to_epoch - trial->from_epoch;
  if (curve == NULL || curve->len != n_epochs)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                   "search %" G_GINT64_FORMAT ": trial %u: the curve has %u values; "
                   "epochs %u to %u are %u", search_id, id, curve != NULL ? curve->len : 0,
                   trial->from_epoch + 1, trial->to_epoch, n_epochs);
      return FALSE;
    }
  if (losses == NULL || losses->len == 0)
    {
      /* No losses reported: unknown, one per epoch. */
      gdouble unknown = NAN;

      unknown_losses = g_array_sized_new (FALSE, FALSE, sizeof (gdouble), n_epochs);
      for (guint i = 0; i < n_epochs; i++)
        g_array_append_val (unknown_losses, unknown);
      losses = unknown_losses;
    }
  else if (losses->len != n_epochs)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                   "search %" G_GINT64_FORMAT ": trial %u: the losses have %u values, "
                   "the curve %u", search_id, id, losses->len, n_epochs);
      return FALSE;
    }
  return write_curve (store, trial, curve, losses, TRUE, seconds, error);
}

gboolean
hs_store_finish_trial (HsStore *store, gint64 search_id, guint id, const GArray *curve,
                       const GArray *losses, gdouble seconds, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);

  if (!hs_store_begin (store, error, "search %" G_GINT64_FORMAT ": finishing trial %u",
                       search_id, id))
    return FALSE;
  return hs_store_end (store,
                       finish_trial_locked (store, search_id, id, curve, losses, seconds, error),
                       error);
}

static gboolean
fail_trial_locked (HsStore *store, gint64 search_id, guint id, const char *message,
                   GError **error)
{
  g_autoptr(HsStoreTrial) trial = NULL;
  g_auto(HsStoreStmt) stmt = NULL;
  g_autofree char *what = NULL;

  trial = get_trial_in_state (store, search_id, id,
                              STATE_BIT (HS_STORE_TRIAL_PENDING) | STATE_BIT (HS_STORE_TRIAL_RUNNING),
                              "fail", error);
  if (trial == NULL)
    return FALSE;

  stmt = hs_store_prepare (store,
                           "UPDATE trials SET state = 'failed', error = ?3, finished = ?4 "
                           "WHERE search_id = ?1 AND id = ?2",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, search_id);
  sqlite3_bind_int64 (stmt, 2, id);
  sqlite3_bind_text (stmt, 3, message != NULL ? message : "failed", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, hs_store_now ());
  what = g_strdup_printf ("search %" G_GINT64_FORMAT ": failing trial %u", search_id, id);
  return hs_store_step_done (store, stmt, what, error);
}

gboolean
hs_store_fail_trial (HsStore *store, gint64 search_id, guint id, const char *message,
                     GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);

  if (!hs_store_begin (store, error, "search %" G_GINT64_FORMAT ": failing trial %u",
                       search_id, id))
    return FALSE;
  return hs_store_end (store, fail_trial_locked (store, search_id, id, message, error), error);
}

/* trial_id < 0: every running trial of the search. */
static gboolean
requeue_locked (HsStore *store, gint64 search_id, gint64 trial_id, guint *n_reset,
                GError **error)
{
  g_auto(HsStoreStmt) stmt = NULL;
  g_autofree char *what = NULL;

  if (!check_search (store, search_id, error))
    return FALSE;

  stmt = hs_store_prepare (store,
                           "UPDATE trials SET state = 'pending', curve = '[]', losses = '[]', "
                           "device = NULL, started = 0 WHERE search_id = ?1 AND state = 'running' "
                           "AND (?2 < 0 OR id = ?2)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, search_id);
  sqlite3_bind_int64 (stmt, 2, trial_id);
  what = g_strdup_printf ("search %" G_GINT64_FORMAT ": requeueing running trials", search_id);
  if (!hs_store_step_done (store, stmt, what, error))
    return FALSE;
  *n_reset = (guint) sqlite3_changes (store->db);
  return TRUE;
}

static guint
requeue (HsStore *store, gint64 search_id, gint64 trial_id, GError **error)
{
  guint n_reset = 0;

  g_return_val_if_fail (store != NULL, 0);

  if (!hs_store_begin (store, error,
                       "search %" G_GINT64_FORMAT ": requeueing running trials", search_id))
    return 0;
  if (!hs_store_end (store, requeue_locked (store, search_id, trial_id, &n_reset, error), error))
    return 0;
  if (n_reset > 0)
    g_debug ("%s: search %" G_GINT64_FORMAT ": %u running trials back to pending",
             store->path, search_id, n_reset);
  return n_reset;
}

guint
hs_store_requeue_running_trials (HsStore *store, gint64 search_id, GError **error)
{
  return requeue (store, search_id, -1, error);
}

gboolean
hs_store_requeue_trial (HsStore *store, gint64 search_id, guint id, GError **error)
{
  GError *local = NULL;
  guint n = requeue (store, search_id, id, &local);

  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return n == 1;
}
