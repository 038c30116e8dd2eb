/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The events table (hs-store.h): an append-only log that clients replay
 * from the last id they saw.
 */
#define G_LOG_DOMAIN "hs-store"

#include "hs-store-private.h"

#define EVENT_COLUMNS "id, time, search_id, type, data"

void
hs_store_event_free (HsStoreEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->type);
  g_free (event->data);
  g_free (event);
}

static gboolean
add_event_locked (HsStore *store, gint64 search_id, const char *type, const char *data,
                  gint64 *id, GError **error)
{
  g_auto(HsStoreStmt) stmt = NULL;
  g_autofree char *what = NULL;

  if (search_id > 0)
    {
      int rc;

      stmt = hs_store_prepare (store, "SELECT 1 FROM searches WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, search_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        {
          g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                       "event “%s”: no search %" G_GINT64_FORMAT, type, search_id);
          return FALSE;
        }
      if (rc != SQLITE_ROW)
        {
          hs_store_set_sqlite_error (store, error, rc, "reading search %" G_GINT64_FORMAT,
                                     search_id);
          return FALSE;
        }
      hs_store_release (stmt);
    }

  stmt = hs_store_prepare (store,
                           "INSERT INTO events (time, search_id, type, data) "
                           "VALUES (?1, ?2, ?3, ?4)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, hs_store_now ());
  sqlite3_bind_int64 (stmt, 2, MAX (search_id, 0));
  sqlite3_bind_text (stmt, 3, type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, data != NULL ? data : "{}", -1, SQLITE_TRANSIENT);
  what = g_strdup_printf ("storing event “%s”", type);
  if (!hs_store_step_done (store, stmt, what, error))
    return FALSE;
  *id = sqlite3_last_insert_rowid (store->db);
  return TRUE;
}

gint64
hs_store_add_event (HsStore *store, gint64 search_id, const char *type, const char *data,
                    GError **error)
{
  gint64 id = 0;

  g_return_val_if_fail (store != NULL, 0);

  if (type == NULL || *type == '\0')
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID, "event: “type” is empty");
      return 0;
    }
  if (!hs_store_begin (store, error, "storing event “%s”", type))
    return 0;
  if (!hs_store_end (store, add_event_locked (store, search_id, type, data, &id, error), error))
    return 0;
  return id;
}

GPtrArray *
hs_store_list_events (HsStore *store, gint64 after_id, gint64 search_id, guint limit,
                      GError **error)
{
  g_autoptr(GPtrArray) events = NULL;
  g_auto(HsStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  /* Two statements rather than "(?2 <= 0 OR search_id = ?2)", which would
   * keep the planner from the events_by_search index. */
  if (search_id > 0)
    stmt = hs_store_prepare (store,
                             "SELECT " EVENT_COLUMNS " FROM events WHERE search_id = ?2 "
                             "AND id > ?1 ORDER BY id LIMIT ?3",
                             error);
  else
    stmt = hs_store_prepare (store,
                             "SELECT " EVENT_COLUMNS " FROM events WHERE id > ?1 "
                             "ORDER BY id LIMIT ?3",
                             error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_id);
  if (search_id > 0)
    sqlite3_bind_int64 (stmt, 2, search_id);
  sqlite3_bind_int64 (stmt, 3, limit > 0 ? (gint64) limit : -1);

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_store_event_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsStoreEvent *event = g_new0 (HsStoreEvent, 1);

      event->id = sqlite3_column_int64 (stmt, 0);
      event->time = sqlite3_column_int64 (stmt, 1);
      event->search_id = sqlite3_column_int64 (stmt, 2);
      event->type = hs_store_column_dup (stmt, 3);
      event->data = hs_store_column_dup (stmt, 4);
      g_ptr_array_add (events, event);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_sqlite_error (store, error, rc, "listing events after %" G_GINT64_FORMAT,
                                 after_id);
      return NULL;
    }
  return g_steal_pointer (&events);
}
