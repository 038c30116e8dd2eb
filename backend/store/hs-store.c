/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's connection (hs-store.h): opening a file (its folder, the
 * pragmas, an integrity check, the migrations), the statement cache,
 * transactions, and SQLite's result codes as HS_STORE_ERROR.
 */
#define G_LOG_DOMAIN "hs-store"

#include <errno.h>
#include <math.h>

#include <glib/gstdio.h>

#include "hs-store-private.h"

G_DEFINE_QUARK (hs-store-error-quark, hs_store_error)

/* How long a write waits for another process's lock before failing with
 * HS_STORE_ERROR_BUSY.  The daemon is the only writer in normal use; a
 * `sqlite3` shell or a backup holding the file is what this waits out. */
#define DEFAULT_BUSY_TIMEOUT_MS 5000

gint64
hs_store_now (void)
{
  return g_get_real_time () / 1000;
}

static guint
busy_timeout_ms (void)
{
  const char *text = g_getenv ("HS_STORE_BUSY_TIMEOUT_MS");
  guint64 value;

  /* The tests shorten it so that a locked file fails fast. */
  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 0, 600000, &value, NULL))
    return (guint) value;
  return DEFAULT_BUSY_TIMEOUT_MS;
}

static HsStoreError
error_code_from_sqlite (int rc)
{
  switch (rc)
    {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return HS_STORE_ERROR_EXISTS;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return HS_STORE_ERROR_NOT_FOUND;
    default:
      break;
    }

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return HS_STORE_ERROR_BUSY;
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM:
    case SQLITE_NOLFS:
    case SQLITE_TOOBIG:
      return HS_STORE_ERROR_WRITE;
    case SQLITE_CONSTRAINT:
      return HS_STORE_ERROR_INVALID;
    case SQLITE_NOTADB:
      return HS_STORE_ERROR_OPEN;
    default:
      /* SQLITE_CORRUPT, and SQLITE_ERROR ("no such table", "no such
       * column"): a file whose schema is not the one this build wrote. */
      return HS_STORE_ERROR_CORRUPT;
    }
}

static const char *
sqlite_message (HsStore *store, int rc)
{
  /* The connection's message is the precise one ("UNIQUE constraint
   * failed: spaces.name") while it still belongs to this failure. */
  if (store->db != NULL && sqlite3_extended_errcode (store->db) == rc)
    return sqlite3_errmsg (store->db);
  return sqlite3_errstr (rc);
}

void
hs_store_set_sqlite_error (HsStore *store, GError **error, int rc, const char *format, ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_BUSY,
                 "%s: %s: %s (another process held the store past the %u ms busy timeout)",
                 store->path, what, sqlite_message (store, rc), store->busy_timeout_ms);
  else
    g_set_error (error, HS_STORE_ERROR, error_code_from_sqlite (rc), "%s: %s: %s",
                 store->path, what, sqlite_message (store, rc));
}

sqlite3_stmt *
hs_store_prepare (HsStore *store, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (store->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      hs_store_set_sqlite_error (store, error, rc, "preparing “%s”", sql);
      sqlite3_finalize (stmt);
      return NULL;
    }
  g_hash_table_insert (store->statements, (gpointer) sql, stmt);
  return stmt;
}

void
hs_store_release (sqlite3_stmt *stmt)
{
  if (stmt == NULL)
    return;
  /* A statement left stepping keeps a read transaction open, which in WAL
   * mode pins an old snapshot and stops checkpoints. */
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

gboolean
hs_store_step_done (HsStore *store, sqlite3_stmt *stmt, const char *what, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return TRUE;
    }
  hs_store_set_sqlite_error (store, error, rc, "%s", what);
  sqlite3_reset (stmt);
  return FALSE;
}

static gboolean
exec (HsStore *store, const char *sql, const char *what, GError **error)
{
  int rc = sqlite3_exec (store->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      hs_store_set_sqlite_error (store, error, rc, "%s", what);
      return FALSE;
    }
  return TRUE;
}

gboolean
hs_store_begin (HsStore *store, GError **error, const char *format, ...)
{
  va_list args;
  int rc;

  /* Formatted every time: a COMMIT that finds the disk full names it too. */
  va_start (args, format);
  g_free (store->write);
  store->write = g_strdup_vprintf (format, args);
  va_end (args);

  rc = sqlite3_exec (store->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      hs_store_set_sqlite_error (store, error, rc, "%s", store->write);
      return FALSE;
    }
  return TRUE;
}

void
hs_store_rollback (HsStore *store)
{
  if (!sqlite3_get_autocommit (store->db))
    sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
hs_store_commit (HsStore *store, GError **error)
{
  int rc = sqlite3_exec (store->db, "COMMIT", NULL, NULL, NULL);

  if (rc == SQLITE_OK)
    return TRUE;
  hs_store_set_sqlite_error (store, error, rc, "%s: committing",
                             store->write != NULL ? store->write : "a write");
  hs_store_rollback (store);
  return FALSE;
}

gboolean
hs_store_end (HsStore *store, gboolean ok, GError **error)
{
  if (!ok)
    {
      hs_store_rollback (store);
      return FALSE;
    }
  return hs_store_commit (store, error);
}

char *
hs_store_column_dup (sqlite3_stmt *stmt, int column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

gdouble
hs_store_column_double (sqlite3_stmt *stmt, int column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NAN;
  return sqlite3_column_double (stmt, column);
}

void
hs_store_bind_double (sqlite3_stmt *stmt, int index, gdouble value)
{
  if (isnan (value))
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_double (stmt, index, value);
}

/* Errors while opening: a file that is not a database is HS_STORE_ERROR_OPEN
 * whatever SQLite calls it. */
static void
set_open_error (HsStore *store, GError **error, int rc, const char *what)
{
  if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CANTOPEN)
    g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_OPEN,
                 "%s: cannot open the store (%s): %s", store->path, what,
                 sqlite_message (store, rc));
  else
    hs_store_set_sqlite_error (store, error, rc, "opening the store (%s)", what);
}

static gboolean
set_pragmas (HsStore *store, GError **error)
{
  static const char *const pragmas[] = {
    /* Readers (`search watch`, the CLI) never block the daemon's writes. */
    "PRAGMA journal_mode = WAL",
    /* In WAL mode NORMAL syncs at checkpoints, not at every commit: a crash
     * of the daemon loses nothing, a power cut may lose the last commits
     * but never leaves the file inconsistent.  Losing the last epochs of a
     * trial costs a re-run from its checkpoint; an fsync per epoch of every
     * running trial is not worth that. */
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
  };

  for (guint i = 0; i < G_N_ELEMENTS (pragmas); i++)
    {
      int rc = sqlite3_exec (store->db, pragmas[i], NULL, NULL, NULL);

      if (rc != SQLITE_OK)
        {
          set_open_error (store, error, rc, pragmas[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_integrity (HsStore *store, GError **error)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  guint n_problems = 0;
  int rc;

  rc = sqlite3_prepare_v2 (store->db, "PRAGMA quick_check", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);
      g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "?", "\n", -1);

      rc = SQLITE_OK;
      /* One row per problem, though the first also carries a
       * "*** in database main ***" line. */
      for (guint i = 0; lines[i] != NULL; i++)
        {
          if (g_str_equal (lines[i], "ok") || g_str_has_prefix (lines[i], "***") ||
              *lines[i] == '\0')
            continue;
          if (n_problems++ < 3)
            g_string_append_printf (problems, "%s%s", problems->len > 0 ? "; " : "", lines[i]);
        }
    }
  if (rc != SQLITE_DONE)
    {
      set_open_error (store, error, rc, "PRAGMA quick_check");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  if (n_problems > 0)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CORRUPT,
                   "%s: the store fails its integrity check (%u problems): %s%s", store->path,
                   n_problems, problems->str, n_problems > 3 ? "; …" : "");
      return FALSE;
    }
  return TRUE;
}

/* The first column of the first row of `sql` as text; NULL without rows
 * (no error) or on failure (*error set). */
static char *
query_text (HsStore *store, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = hs_store_column_dup (stmt, 0);
  else if (rc != SQLITE_DONE)
    set_open_error (store, error, rc, sql);
  sqlite3_finalize (stmt);
  return value;
}

/* A file with tables but no schema version was not written by us: adding
 * our tables to another program's database would be worse than refusing. */
static gboolean
check_foreign (HsStore *store, GError **error)
{
  g_autofree char *count = query_text (store, "SELECT count(*) FROM sqlite_schema", error);

  if (count == NULL)
    return FALSE;
  if (!g_str_equal (count, "0"))
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_OPEN,
                   "%s: a database of another program (no schema version, %s objects "
                   "already there); not a HyperSTAR store", store->path, count);
      return FALSE;
    }
  return TRUE;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static HsStore *
store_open (const char *path, guint version, const char *init_sql, GError **error)
{
  g_autoptr(HsStore) store = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *journal_mode = NULL;
  guint current = 0;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (*path == '\0')
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_OPEN, "store: the path is empty");
      return NULL;
    }
  if (version < 1 || version > HS_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                   "%s: schema version %u asked for; this build knows 1 to %u", path, version,
                   HS_STORE_SCHEMA_VERSION);
      return NULL;
    }

  folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_OPEN,
                   "%s: cannot create the folder “%s”: %s", path, folder,
                   g_strerror (saved_errno));
      return NULL;
    }

  store = g_new0 (HsStore, 1);
  store->path = g_strdup (path);
  store->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_statement);

  rc = sqlite3_open_v2 (path, &store->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_OPEN, "%s: cannot open the store: %s",
                   path, sqlite_message (store, rc));
      return NULL;
    }
  sqlite3_extended_result_codes (store->db, 1);
  store->busy_timeout_ms = busy_timeout_ms ();
  sqlite3_busy_timeout (store->db, (int) store->busy_timeout_ms);

  /* The first read of the file: it fails with SQLITE_NOTADB for anything
   * that is not a database, before anything is written to it. */
  if (!hs_store_read_user_version (store, &current, error))
    return NULL;
  if (current > HS_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CORRUPT,
                   "%s: the store has schema version %u, newer than this build's %u "
                   "(written by a newer HyperSTAR?)", path, current, HS_STORE_SCHEMA_VERSION);
      return NULL;
    }

  if (!set_pragmas (store, error))
    return NULL;
  /* Some file systems (network ones) cannot share the WAL's index. */
  journal_mode = query_text (store, "PRAGMA journal_mode", error);
  if (journal_mode == NULL)
    return NULL;
  if (!g_str_equal (journal_mode, "wal"))
    g_message ("%s: journal mode “%s”, not WAL: readers will hold up writes", path,
               journal_mode);
  if (init_sql != NULL && !hs_store_exec_for_test (store, init_sql, error))
    return NULL;
  if (!check_integrity (store, error))
    return NULL;
  if (current == 0 && !check_foreign (store, error))
    return NULL;

  if (current < version && !hs_store_migrate (store, current, version, error))
    return NULL;
  if (!hs_store_read_user_version (store, &store->schema_version, error))
    return NULL;

  g_debug ("%s: opened, schema version %u", path, store->schema_version);
  return g_steal_pointer (&store);
}

HsStore *
hs_store_open_at_version (const char *path, guint version, GError **error)
{
  return store_open (path, version, NULL, error);
}

HsStore *
hs_store_open (const char *path, GError **error)
{
  return store_open (path, HS_STORE_SCHEMA_VERSION, NULL, error);
}

HsStore *
hs_store_open_for_test (const char *path, guint version, const char *init_sql, GError **error)
{
  return store_open (path, version, init_sql, error);
}

void
hs_store_free (HsStore *store)
{
  if (store == NULL)
    return;
  /* Statements first: sqlite3_close refuses a connection with live ones. */
  g_clear_pointer (&store->statements, g_hash_table_unref);
  if (store->db != NULL)
    {
      int rc = sqlite3_close (store->db);
      if (rc != SQLITE_OK)
        g_debug ("%s: closing: %s", store->path, sqlite3_errstr (rc));
    }
  g_free (store->path);
  g_free (store->write);
  g_free (store);
}

const char *
hs_store_get_path (HsStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->path;
}

guint
hs_store_get_schema_version (HsStore *store)
{
  g_return_val_if_fail (store != NULL, 0);
  return store->schema_version;
}

gboolean
hs_store_exec_for_test (HsStore *store, const char *sql, GError **error)
{
  g_return_val_if_fail (store != NULL && sql != NULL, FALSE);
  return exec (store, sql, sql, error);
}

char *
hs_store_query_for_test (HsStore *store, const char *sql, GError **error)
{
  g_return_val_if_fail (store != NULL && sql != NULL, NULL);
  return query_text (store, sql, error);
}
