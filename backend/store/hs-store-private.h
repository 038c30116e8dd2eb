/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the store's files share: the connection, a cache of prepared
 * statements, transactions, the mapping of SQLite's result codes to
 * HS_STORE_ERROR, the schema's migrations and the JSON number arrays that
 * hold learning curves.  Also the few test-only entry points the store's
 * tests need (disk full, a second look at the schema).
 */
#pragma once

#include <sqlite3.h>

#include "hs-store.h"

G_BEGIN_DECLS

struct _HsStore
{
  sqlite3 *db;
  char *path;
  guint schema_version;
  guint busy_timeout_ms;
  char *write;              /* what the write under way is, for its errors */
  GHashTable *statements;   /* SQL text (static) → sqlite3_stmt, prepared once */
};

/* Unix time in milliseconds. */
gint64        hs_store_now (void);

/* The cached statement for `sql` (a string literal: the cache keeps the
 * pointer's text as its key), reset and with its bindings cleared.  Hand
 * it back with hs_store_release () (or declare it g_auto (HsStoreStmt)) so
 * that no read stays open. */
sqlite3_stmt *hs_store_prepare (HsStore *store, const char *sql, GError **error);
void          hs_store_release (sqlite3_stmt *stmt);

typedef sqlite3_stmt *HsStoreStmt;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (HsStoreStmt, hs_store_release, NULL)

/* Sets *error from SQLite's result code `rc` (and the connection's message,
 * so call it before anything else touches the connection): BUSY and LOCKED
 * → HS_STORE_ERROR_BUSY; FULL, IOERR, READONLY, … → _WRITE; a unique or
 * primary key constraint → _EXISTS, a foreign key → _NOT_FOUND, another
 * constraint → _INVALID; the rest → _CORRUPT.  The message is
 * "<path>: <what>: <SQLite's message>". */
void          hs_store_set_sqlite_error (HsStore *store, GError **error, int rc,
                                         const char *format, ...) G_GNUC_PRINTF (4, 5);

/* BEGIN IMMEDIATE: the write lock now, waiting up to the busy timeout.
 * The format says what the write is, for the error (it is only formatted
 * on failure). */
gboolean      hs_store_begin (HsStore *store, GError **error, const char *format, ...)
                              G_GNUC_PRINTF (3, 4);
/* COMMIT; on failure rolls back and sets *error. */
gboolean      hs_store_commit (HsStore *store, GError **error);
/* ROLLBACK when a transaction is still open (SQLite may have rolled back
 * already, after a full disk or an I/O error).  Never fails. */
void          hs_store_rollback (HsStore *store);
/* Ends the write hs_store_begin () started: COMMIT when `ok`, ROLLBACK
 * otherwise (*error already says why).  Whether the write landed.  Every
 * public write is `begin; end (store, write_locked (…), error)`. */
gboolean      hs_store_end (HsStore *store, gboolean ok, GError **error);

/* Runs a statement that returns no rows (an INSERT, UPDATE, DELETE with its
 * values bound); *error names `what` on failure. */
gboolean      hs_store_step_done (HsStore *store, sqlite3_stmt *stmt, const char *what,
                                  GError **error);

/* Column helpers: a copy of a text column (NULL for NULL), a real column
 * (NaN for NULL: SQLite stores NaN as NULL). */
char         *hs_store_column_dup (sqlite3_stmt *stmt, int column);
gdouble       hs_store_column_double (sqlite3_stmt *stmt, int column);
void          hs_store_bind_double (sqlite3_stmt *stmt, int index, gdouble value);

/* hs-store-schema.c: PRAGMA user_version, and the migrations from `from`
 * up to `to`, each step in its own transaction. */
gboolean      hs_store_read_user_version (HsStore *store, guint *version, GError **error);
gboolean      hs_store_migrate (HsStore *store, guint from, guint to, GError **error);

/* hs-store-curve.c: a JSON array of numbers ("[0.5,0.75]"), each double
 * written with the fewest digits that read back to the same double; NaN
 * is null and ±infinity ±1e999 (JSON has neither). */
char         *hs_store_curve_to_json (const GArray *values);
/* The doubles of such an array, NULL when `text` is not one. */
GArray       *hs_store_curve_from_json (const char *text);

/* ---- for the tests only ---- */

/* hs_store_open_at_version () that runs `init_sql` (e.g. "PRAGMA
 * max_page_count = 1", a full disk) after its pragmas and before the
 * integrity check and migrations. */
HsStore      *hs_store_open_for_test (const char *path, guint version, const char *init_sql,
                                      GError **error);
/* Runs SQL statements on the store's connection. */
gboolean      hs_store_exec_for_test (HsStore *store, const char *sql, GError **error);
/* The first column of the first row as text; NULL (no error) without rows. */
char         *hs_store_query_for_test (HsStore *store, const char *sql, GError **error);

G_END_DECLS
