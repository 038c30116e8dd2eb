/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The spaces table (hs-store.h): search spaces by name, as their JSON text.
 */
#define G_LOG_DOMAIN "hs-store"

#include "hs-store-private.h"

/* The last column counts the searches that refer to the space, in any
 * state: a space they use is never changed or deleted under them. */
#define SPACE_COLUMNS \
  "id, name, json, created, " \
  "(SELECT COUNT(*) FROM searches WHERE searches.space_id = spaces.id)"

void
hs_store_space_free (HsStoreSpace *space)
{
  if (space == NULL)
    return;
  g_free (space->name);
  g_free (space->json);
  g_free (space);
}

static HsStoreSpace *
space_from_row (sqlite3_stmt *stmt)
{
  HsStoreSpace *space = g_new0 (HsStoreSpace, 1);

  space->id = sqlite3_column_int64 (stmt, 0);
  space->name = hs_store_column_dup (stmt, 1);
  space->json = hs_store_column_dup (stmt, 2);
  space->created = sqlite3_column_int64 (stmt, 3);
  space->n_searches = (guint) sqlite3_column_int64 (stmt, 4);
  return space;
}

/* A name, and only well-formed JSON: what it describes is
 * hs-search-space.c's to judge, but text that no reader can parse back is
 * refused here. */
static gboolean
space_is_valid (const char *name, const char *json, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  if (name == NULL || *name == '\0')
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID, "space: “name” is empty");
      return FALSE;
    }
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, &local_error) ||
      json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                   "space “%s”: “json” is not JSON: %s", name,
                   local_error != NULL ? local_error->message : "empty");
      return FALSE;
    }
  return TRUE;
}

/* Runs the INSERT or UPDATE that names a space `name`: EXISTS when another
 * space has that name. */
static gboolean
write_space (HsStore *store, sqlite3_stmt *stmt, const char *name, const char *what,
             GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_EXISTS,
                   "space “%s” already exists", name);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_sqlite_error (store, error, rc, "%s space “%s”", what, name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_space_locked (HsStore *store, const char *name, const char *json, gint64 *id,
                  GError **error)
{
  g_auto(HsStoreStmt) stmt = NULL;

  stmt = hs_store_prepare (store,
                           "INSERT INTO spaces (name, json, created) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, hs_store_now ());
  if (!write_space (store, stmt, name, "storing", error))
    return FALSE;
  *id = sqlite3_last_insert_rowid (store->db);
  return TRUE;
}

gint64
hs_store_add_space (HsStore *store, const char *name, const char *json, GError **error)
{
  gint64 id = 0;

  g_return_val_if_fail (store != NULL, 0);

  if (!space_is_valid (name, json, error))
    return 0;
  if (!hs_store_begin (store, error, "storing space “%s”", name))
    return 0;
  if (!hs_store_end (store, add_space_locked (store, name, json, &id, error), error))
    return 0;
  return id;
}

static HsStoreSpace *
get_space_where (HsStore *store, const char *sql, gint64 id, const char *name, GError **error)
{
  g_auto(HsStoreStmt) stmt = hs_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (name != NULL)
    sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return space_from_row (stmt);

  if (rc != SQLITE_DONE)
    {
      if (name != NULL)
        hs_store_set_sqlite_error (store, error, rc, "reading space “%s”", name);
      else
        hs_store_set_sqlite_error (store, error, rc, "reading space %" G_GINT64_FORMAT, id);
    }
  else if (name != NULL)
    g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND, "no space “%s”", name);
  else
    g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                 "no space %" G_GINT64_FORMAT, id);
  return NULL;
}

HsStoreSpace *
hs_store_get_space (HsStore *store, gint64 id, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  return get_space_where (store, "SELECT " SPACE_COLUMNS " FROM spaces WHERE id = ?1", id, NULL,
                          error);
}

HsStoreSpace *
hs_store_find_space (HsStore *store, const char *name, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return get_space_where (store, "SELECT " SPACE_COLUMNS " FROM spaces WHERE name = ?1", 0, name,
                          error);
}

GPtrArray *
hs_store_list_spaces (HsStore *store, GError **error)
{
  g_autoptr(GPtrArray) spaces = NULL;
  g_auto(HsStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = hs_store_prepare (store, "SELECT " SPACE_COLUMNS " FROM spaces ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  spaces = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_store_space_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (spaces, space_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      hs_store_set_sqlite_error (store, error, rc, "listing spaces");
      return NULL;
    }
  return g_steal_pointer (&spaces);
}

gint64
hs_store_count_space_searches (HsStore *store, gint64 space_id, GError **error)
{
  g_autoptr(HsStoreSpace) space = NULL;

  g_return_val_if_fail (store != NULL, -1);

  if ((space = hs_store_get_space (store, space_id, error)) == NULL)
    return -1;
  return space->n_searches;
}

/* The space, when it exists and no search refers to it; inside the write's
 * transaction, so no search can start using it in between. */
static HsStoreSpace *
get_unused_space_locked (HsStore *store, gint64 id, const char *what, GError **error)
{
  g_autoptr(HsStoreSpace) space = hs_store_get_space (store, id, error);

  if (space == NULL)
    return NULL;
  if (space->n_searches > 0)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                   "space “%s” is used by %u search%s; it cannot be %s (add a new space "
                   "instead)", space->name, space->n_searches,
                   space->n_searches == 1 ? "" : "es", what);
      return NULL;
    }
  return g_steal_pointer (&space);
}

static gboolean
update_space_locked (HsStore *store, gint64 id, const char *name, const char *json,
                     GError **error)
{
  g_autoptr(HsStoreSpace) space = get_unused_space_locked (store, id, "changed", error);
  g_auto(HsStoreStmt) stmt = NULL;

  if (space == NULL)
    return FALSE;
  if (name == NULL)
    name = space->name;
  if (!space_is_valid (name, json, error))
    return FALSE;
  stmt = hs_store_prepare (store, "UPDATE spaces SET name = ?1, json = ?2 WHERE id = ?3", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, id);
  return write_space (store, stmt, name, "changing", error);
}

gboolean
hs_store_update_space (HsStore *store, gint64 id, const char *name, const char *json,
                       GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);

  if (!hs_store_begin (store, error, "changing space %" G_GINT64_FORMAT, id))
    return FALSE;
  return hs_store_end (store, update_space_locked (store, id, name, json, error), error);
}

static gboolean
delete_space_locked (HsStore *store, gint64 id, GError **error)
{
  g_autoptr(HsStoreSpace) space = get_unused_space_locked (store, id, "deleted", error);
  g_auto(HsStoreStmt) stmt = NULL;

  if (space == NULL)
    return FALSE;
  stmt = hs_store_prepare (store, "DELETE FROM spaces WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return hs_store_step_done (store, stmt, "deleting a space", error);
}

gboolean
hs_store_delete_space (HsStore *store, gint64 id, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);

  if (!hs_store_begin (store, error, "deleting space %" G_GINT64_FORMAT, id))
    return FALSE;
  return hs_store_end (store, delete_space_locked (store, id, error), error);
}
