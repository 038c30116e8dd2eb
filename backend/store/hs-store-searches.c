/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The searches table (hs-store.h): a search's settings and state, its
 * place in the queue, and the summary of its trials, which is computed
 * when read (from the trials_by_result index) rather than kept in step.
 */
#define G_LOG_DOMAIN "hs-store"

#include <math.h>

#include "hs-store-private.h"

static const char *const search_state_names[] = {
  [HS_SEARCH_QUEUED] = "queued",
  [HS_SEARCH_RUNNING] = "running",
  [HS_SEARCH_PAUSED] = "paused",
  [HS_SEARCH_DONE] = "done",
  [HS_SEARCH_CANCELLED] = "cancelled",
  [HS_SEARCH_FAILED] = "failed",
};

const char *
hs_search_state_to_string (HsSearchState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (search_state_names), NULL);
  return search_state_names[state];
}

gboolean
hs_search_state_from_string (const char *text, HsSearchState *state)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (search_state_names); i++)
    if (g_str_equal (text, search_state_names[i]))
      {
        if (state != NULL)
          *state = (HsSearchState) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
hs_search_state_is_final (HsSearchState state)
{
  return state == HS_SEARCH_DONE || state == HS_SEARCH_CANCELLED || state == HS_SEARCH_FAILED;
}

void
hs_store_search_free (HsStoreSearch *search)
{
  if (search == NULL)
    return;
  g_free (search->dataset);
  g_free (search->method);
  g_free (search->settings);
  g_free (search->error);
  g_free (search);
}

/* The row and its summary.  Each subquery is a range of the
 * trials_by_result index (search_id, state, val_acc DESC, to_epoch DESC,
 * id, from_epoch): no trial row, and no curve, is read.  The best trial is
 * the scheduler's (hs_scheduler_get_best): the best accuracy, at the larger
 * budget when equal, then the earlier. */
#define TRIALS_OF(cond) "FROM trials t WHERE t.search_id = s.id" cond
#define BEST_TRIAL(column) \
  "(SELECT " column " " TRIALS_OF (" AND t.state = 'done' AND t.val_acc IS NOT NULL") \
  " ORDER BY t.val_acc DESC, t.to_epoch DESC, t.id LIMIT 1)"
#define SEARCH_SELECT \
  "SELECT s.id, s.dataset, s.space_id, s.method, s.settings, s.state, s.priority, " \
  "s.created, s.started, s.finished, s.error, " \
  "(SELECT count(*) " TRIALS_OF ("") "), " \
  "(SELECT count(*) " TRIALS_OF (" AND t.state = 'done'") "), " \
  "(SELECT count(*) " TRIALS_OF (" AND t.state = 'failed'") "), " \
  "(SELECT count(*) " TRIALS_OF (" AND t.state = 'running'") "), " \
  "(SELECT coalesce (sum (t.to_epoch - t.from_epoch), 0) " TRIALS_OF (" AND t.state = 'done'") "), " \
  BEST_TRIAL ("t.id") ", " BEST_TRIAL ("t.val_acc") " " \
  "FROM searches s "

static HsStoreSearch *
search_from_row (HsStore *store, sqlite3_stmt *stmt, GError **error)
{
  g_autoptr(HsStoreSearch) search = g_new0 (HsStoreSearch, 1);
  const char *state = (const char *) sqlite3_column_text (stmt, 5);

  search->id = sqlite3_column_int64 (stmt, 0);
  if (!hs_search_state_from_string (state, &search->state))
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CORRUPT,
                   "%s: search %" G_GINT64_FORMAT " has an unknown state “%s”", store->path,
                   search->id, state != NULL ? state : "(null)");
      return NULL;
    }
  search->dataset = hs_store_column_dup (stmt, 1);
  search->space_id = sqlite3_column_int64 (stmt, 2);
  search->method = hs_store_column_dup (stmt, 3);
  search->settings = hs_store_column_dup (stmt, 4);
  search->priority = sqlite3_column_int (stmt, 6);
  search->created = sqlite3_column_int64 (stmt, 7);
  search->started = sqlite3_column_int64 (stmt, 8);
  search->finished = sqlite3_column_int64 (stmt, 9);
  search->error = hs_store_column_dup (stmt, 10);
  search->n_trials = (guint) sqlite3_column_int64 (stmt, 11);
  search->n_done = (guint) sqlite3_column_int64 (stmt, 12);
  search->n_failed = (guint) sqlite3_column_int64 (stmt, 13);
  search->n_running = (guint) sqlite3_column_int64 (stmt, 14);
  search->epochs_spent = (guint64) sqlite3_column_int64 (stmt, 15);
  if (sqlite3_column_type (stmt, 16) == SQLITE_NULL)
    {
      search->best_trial = -1;
      search->best_val_acc = NAN;
    }
  else
    {
      search->best_trial = sqlite3_column_int (stmt, 16);
      search->best_val_acc = hs_store_column_double (stmt, 17);
    }
  return g_steal_pointer (&search);
}

/* Up to `limit` searches of a prepared query (one row for limit 1). */
static GPtrArray *
read_searches (HsStore *store, sqlite3_stmt *stmt, const char *what, GError **error)
{
  g_autoptr(GPtrArray) searches = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_store_search_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsStoreSearch *search = search_from_row (store, stmt, error);

      if (search == NULL)
        return NULL;
      g_ptr_array_add (searches, search);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_sqlite_error (store, error, rc, "%s", what);
      return NULL;
    }
  return g_steal_pointer (&searches);
}

static gboolean
check_settings (const HsStoreSearch *search, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  if (search->settings == NULL)
    return TRUE;
  if (!json_parser_load_from_data (parser, search->settings, -1, &local_error))
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                   "search: “settings” is not JSON: %s", local_error->message);
      return FALSE;
    }
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                   "search: “settings” is not a JSON object");
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_search_locked (HsStore *store, const HsStoreSearch *search, gint64 *id, GError **error)
{
  g_auto(HsStoreStmt) stmt = NULL;
  g_autofree char *what = NULL;
  int rc;

  stmt = hs_store_prepare (store, "SELECT 1 FROM spaces WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, search->space_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                   "search: no space %" G_GINT64_FORMAT, search->space_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      hs_store_set_sqlite_error (store, error, rc, "reading space %" G_GINT64_FORMAT,
                                 search->space_id);
      return FALSE;
    }
  hs_store_release (stmt);

  stmt = hs_store_prepare (store,
                           "INSERT INTO searches (dataset, space_id, method, settings, state, "
                           "priority, created) VALUES (?1, ?2, ?3, ?4, 'queued', ?5, ?6)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, search->dataset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, search->space_id);
  sqlite3_bind_text (stmt, 3, search->method, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, search->settings != NULL ? search->settings : "{}", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 5, search->priority);
  sqlite3_bind_int64 (stmt, 6, hs_store_now ());
  what = g_strdup_printf ("storing a search of dataset “%s”", search->dataset);
  if (!hs_store_step_done (store, stmt, what, error))
    return FALSE;
  *id = sqlite3_last_insert_rowid (store->db);
  return TRUE;
}

gint64
hs_store_add_search (HsStore *store, const HsStoreSearch *search, GError **error)
{
  gint64 id = 0;

  g_return_val_if_fail (store != NULL, 0);
  g_return_val_if_fail (search != NULL, 0);

  if (search->dataset == NULL || *search->dataset == '\0')
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID, "search: “dataset” is empty");
      return 0;
    }
  if (search->method == NULL || *search->method == '\0')
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID, "search: “method” is empty");
      return 0;
    }
  if (!check_settings (search, error))
    return 0;

  if (!hs_store_begin (store, error, "storing a search of dataset “%s”", search->dataset))
    return 0;
  if (!hs_store_end (store, add_search_locked (store, search, &id, error), error))
    return 0;
  return id;
}

HsStoreSearch *
hs_store_get_search (HsStore *store, gint64 id, GError **error)
{
  g_auto(HsStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) found = NULL;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = hs_store_prepare (store, SEARCH_SELECT "WHERE s.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  found = read_searches (store, stmt, "reading a search", error);
  if (found == NULL)
    return NULL;
  if (found->len == 0)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                   "no search %" G_GINT64_FORMAT, id);
      return NULL;
    }
  return g_ptr_array_steal_index (found, 0);
}

GPtrArray *
hs_store_list_searches (HsStore *store, guint offset, guint limit, GError **error)
{
  g_auto(HsStoreStmt) stmt = NULL;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = hs_store_prepare (store, SEARCH_SELECT "ORDER BY s.id DESC LIMIT ?1 OFFSET ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 2, offset);
  return read_searches (store, stmt, "listing searches", error);
}

HsStoreSearch *
hs_store_next_queued_search (HsStore *store, GError **error)
{
  g_auto(HsStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) found = NULL;

  g_return_val_if_fail (store != NULL, NULL);

  /* The searches_queue index, in this order. */
  stmt = hs_store_prepare (store,
                           SEARCH_SELECT "WHERE s.state = 'queued' "
                           "ORDER BY s.priority DESC, s.created, s.id LIMIT 1",
                           error);
  if (stmt == NULL)
    return NULL;
  found = read_searches (store, stmt, "reading the queue", error);
  if (found == NULL || found->len == 0)
    return NULL;
  return g_ptr_array_steal_index (found, 0);
}

static gboolean
set_search_state_locked (HsStore *store, gint64 id, HsSearchState state,
                         const char *error_message, GError **error)
{
  g_auto(HsStoreStmt) stmt = NULL;
  g_autofree char *what = NULL;
  HsSearchState current;
  const char *text;
  int rc;

  stmt = hs_store_prepare (store, "SELECT state FROM searches WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                   "no search %" G_GINT64_FORMAT, id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      hs_store_set_sqlite_error (store, error, rc, "reading search %" G_GINT64_FORMAT, id);
      return FALSE;
    }
  text = (const char *) sqlite3_column_text (stmt, 0);
  if (!hs_search_state_from_string (text, &current))
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CORRUPT,
                   "%s: search %" G_GINT64_FORMAT " has an unknown state “%s”", store->path, id,
                   text != NULL ? text : "(null)");
      return FALSE;
    }
  if (hs_search_state_is_final (current))
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                   "search %" G_GINT64_FORMAT " is %s; it cannot become %s", id,
                   search_state_names[current], search_state_names[state]);
      return FALSE;
    }
  hs_store_release (stmt);

  stmt = hs_store_prepare (store,
                           "UPDATE searches SET state = ?2, "
                           "started = CASE WHEN ?2 = 'running' AND started = 0 THEN ?3 "
                           "  ELSE started END, "
                           "finished = CASE WHEN ?4 THEN ?3 ELSE finished END, "
                           "error = coalesce (?5, error) WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, search_state_names[state], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, hs_store_now ());
  sqlite3_bind_int (stmt, 4, hs_search_state_is_final (state));
  if (error_message != NULL)
    sqlite3_bind_text (stmt, 5, error_message, -1, SQLITE_TRANSIENT);
  what = g_strdup_printf ("search %" G_GINT64_FORMAT ": changing its state to %s", id,
                          search_state_names[state]);
  return hs_store_step_done (store, stmt, what, error);
}

gboolean
hs_store_set_search_state (HsStore *store, gint64 id, HsSearchState state,
                           const char *error_message, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);

  if ((guint) state >= G_N_ELEMENTS (search_state_names))
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                   "search %" G_GINT64_FORMAT ": no state %d", id, (int) state);
      return FALSE;
    }
  if (!hs_store_begin (store, error, "search %" G_GINT64_FORMAT ": changing its state to %s",
                       id, search_state_names[state]))
    return FALSE;
  return hs_store_end (store, set_search_state_locked (store, id, state, error_message, error),
                       error);
}
