/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's schema, as the migrations that build it: step N takes a file
 * from PRAGMA user_version N − 1 to N, in one transaction that also bumps
 * user_version, so a file is always at one version or the next, never
 * between.  A step is never edited once released: a change is a new step.
 *
 *   1  datasets, spaces, searches, trials (with their validation curve as
 *      a JSON array of numbers), events.
 *   2  searches.priority and the queue's index on it; trials.losses (train
 *      loss per epoch; a v1 trial's curve gets nulls of the same length)
 *      and trials.device; events indexed by (search_id, id) so that one
 *      search's log replays without scanning everybody's.
 */
#define G_LOG_DOMAIN "hs-store"

#include "hs-store-private.h"

static const char *const migrations[] = {
  /* 1: the initial schema. */
  "CREATE TABLE datasets ("
  "  name      TEXT PRIMARY KEY NOT NULL CHECK (name <> ''),"
  "  source    TEXT NOT NULL CHECK (source IN ('builtin', 'imported')),"
  "  family    TEXT,"
  "  n_classes INTEGER NOT NULL DEFAULT 0 CHECK (n_classes >= 0),"
  "  n_images  INTEGER NOT NULL DEFAULT 0 CHECK (n_images >= 0),"
  "  created   INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE spaces ("
  "  id      INTEGER PRIMARY KEY,"
  "  name    TEXT NOT NULL UNIQUE CHECK (name <> ''),"
  "  json    TEXT NOT NULL,"
  "  created INTEGER NOT NULL DEFAULT 0"
  ");"
  /* A search names its dataset without a foreign key: a finished search
   * keeps its history when the dataset is deleted. */
  "CREATE TABLE searches ("
  "  id       INTEGER PRIMARY KEY,"
  "  dataset  TEXT NOT NULL,"
  "  space_id INTEGER NOT NULL REFERENCES spaces (id),"
  "  method   TEXT NOT NULL CHECK (method <> ''),"
  "  settings TEXT NOT NULL DEFAULT '{}',"
  "  state    TEXT NOT NULL DEFAULT 'queued' CHECK (state IN"
  "             ('queued', 'running', 'paused', 'done', 'cancelled', 'failed')),"
  "  created  INTEGER NOT NULL DEFAULT 0,"
  "  started  INTEGER NOT NULL DEFAULT 0,"
  "  finished INTEGER NOT NULL DEFAULT 0,"
  "  error    TEXT"
  ");"
  "CREATE INDEX searches_by_state ON searches (state, created);"
  "CREATE INDEX searches_by_dataset ON searches (dataset, state);"
  /* The primary key's index (search_id, id) pages a search's trials; the
   * second index answers the summary (counts per state, epochs spent, the
   * best trial) without reading the rows and their curves. */
  "CREATE TABLE trials ("
  "  search_id     INTEGER NOT NULL REFERENCES searches (id),"
  "  id            INTEGER NOT NULL CHECK (id >= 0),"
  "  config_id     TEXT NOT NULL,"
  "  config        TEXT NOT NULL,"
  "  from_epoch    INTEGER NOT NULL CHECK (from_epoch >= 0),"
  "  to_epoch      INTEGER NOT NULL CHECK (to_epoch > from_epoch),"
  "  parent        INTEGER NOT NULL DEFAULT -1 CHECK (parent >= -1),"
  "  bracket       INTEGER NOT NULL DEFAULT 0,"
  "  bracket_index INTEGER NOT NULL DEFAULT 0,"
  "  rung          INTEGER NOT NULL DEFAULT 0,"
  "  state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN"
  "                  ('pending', 'running', 'done', 'failed')),"
  "  val_acc       REAL,"
  "  seconds       REAL DEFAULT 0,"
  "  started       INTEGER NOT NULL DEFAULT 0,"
  "  finished      INTEGER NOT NULL DEFAULT 0,"
  "  error         TEXT,"
  "  curve         TEXT NOT NULL DEFAULT '[]',"
  "  PRIMARY KEY (search_id, id)"
  ");"
  "CREATE INDEX trials_by_result ON trials"
  "  (search_id, state, val_acc DESC, to_epoch DESC, id, from_epoch);"
  /* AUTOINCREMENT: an event id is never handed out twice, so a client
   * replaying from an id never misses or repeats one. */
  "CREATE TABLE events ("
  "  id        INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  time      INTEGER NOT NULL,"
  "  search_id INTEGER NOT NULL DEFAULT 0,"
  "  type      TEXT NOT NULL CHECK (type <> ''),"
  "  data      TEXT NOT NULL DEFAULT '{}'"
  ");",

  /* 2: priorities, train losses and devices, per-search event replay. */
  "ALTER TABLE searches ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;"
  "DROP INDEX searches_by_state;"
  "CREATE INDEX searches_queue ON searches (state, priority DESC, created, id);"
  "ALTER TABLE trials ADD COLUMN losses TEXT NOT NULL DEFAULT '[]';"
  "ALTER TABLE trials ADD COLUMN device TEXT;"
  /* Version 1 kept no losses: one null (unknown) per epoch it recorded
   * keeps losses as long as the curve. */
  "UPDATE trials SET losses ="
  "  (SELECT json_group_array (NULL) FROM json_each (trials.curve))"
  "  WHERE curve <> '[]' AND json_valid (curve);"
  "CREATE INDEX events_by_search ON events (search_id, id);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == HS_STORE_SCHEMA_VERSION);

gboolean
hs_store_read_user_version (HsStore *store, guint *version, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (store->db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      hs_store_set_sqlite_error (store, error, rc, "reading the schema version");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  *version = (guint) CLAMP (sqlite3_column_int64 (stmt, 0), 0, G_MAXUINT);
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
migrate_step (HsStore *store, guint version, GError **error)
{
  g_autofree char *bump = NULL;
  guint current = 0;
  int rc;

  if (!hs_store_begin (store, error, "migrating the schema from version %u to %u",
                       version - 1, version))
    return FALSE;

  /* Another process may have migrated while we waited for the lock. */
  if (!hs_store_read_user_version (store, &current, error))
    {
      hs_store_rollback (store);
      return FALSE;
    }
  if (current >= version)
    return hs_store_commit (store, error);

  rc = sqlite3_exec (store->db, migrations[version - 1], NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    {
      bump = g_strdup_printf ("PRAGMA user_version = %u", version);
      rc = sqlite3_exec (store->db, bump, NULL, NULL, NULL);
    }
  if (rc != SQLITE_OK)
    {
      hs_store_set_sqlite_error (store, error, rc, "migrating the schema from version %u to %u",
                                 version - 1, version);
      hs_store_rollback (store);
      return FALSE;
    }
  if (!hs_store_commit (store, error))
    return FALSE;
  g_debug ("%s: schema migrated to version %u", store->path, version);
  return TRUE;
}

gboolean
hs_store_migrate (HsStore *store, guint from, guint to, GError **error)
{
  g_return_val_if_fail (to <= HS_STORE_SCHEMA_VERSION, FALSE);

  for (guint version = from + 1; version <= to; version++)
    if (!migrate_step (store, version, error))
      return FALSE;
  return TRUE;
}
