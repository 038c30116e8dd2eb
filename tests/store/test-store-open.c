/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening the store: a new file, the migrations (from nothing, and from a
 * version 1 file holding rows), and the files it must refuse without
 * crashing (newer, garbage, corrupt, another program's database).
 */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "test-store-util.h"

static void
test_open_new (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr(HsStore) store = NULL;
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  g_autofree char *mode = NULL, *sync = NULL, *fk = NULL, *version = NULL, *tables = NULL;
  GStatBuf st;

  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  store = store_open (fixture->path);
  g_assert_cmpuint (hs_store_get_schema_version (store), ==, HS_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (hs_store_get_path (store), ==, fixture->path);

  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  mode = store_query (store, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  sync = store_query (store, "PRAGMA synchronous");
  g_assert_cmpstr (sync, ==, "1");  /* NORMAL */
  fk = store_query (store, "PRAGMA foreign_keys");
  g_assert_cmpstr (fk, ==, "1");
  version = store_query (store, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "2");
  tables = store_query (store,
                        "SELECT group_concat (name, ',') FROM (SELECT name FROM sqlite_schema "
                        "WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)");
  g_assert_cmpstr (tables, ==, "datasets,events,searches,spaces,trials");
}

static char *
column_count (HsStore *store, const char *table, const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM pragma_table_info ('%s') "
                                          "WHERE name = '%s'", table, column);
  return store_query (store, sql);
}

static void
test_open_at_version (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = NULL;
  g_autofree char *priority = NULL, *losses = NULL, *index = NULL;

  store = hs_store_open_at_version (fixture->path, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hs_store_get_schema_version (store), ==, 1);
  priority = column_count (store, "searches", "priority");
  g_assert_cmpstr (priority, ==, "0");
  g_clear_pointer (&store, hs_store_free);

  store = hs_store_open_at_version (fixture->path, 0, &error);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_assert_null (store);
  g_clear_error (&error);

  store = store_open (fixture->path);
  g_assert_cmpuint (hs_store_get_schema_version (store), ==, 2);
  g_clear_pointer (&priority, g_free);
  priority = column_count (store, "searches", "priority");
  g_assert_cmpstr (priority, ==, "1");
  losses = column_count (store, "trials", "losses");
  g_assert_cmpstr (losses, ==, "1");
  index = store_query (store, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                              "AND name IN ('events_by_search', 'searches_queue')");
  g_assert_cmpstr (index, ==, "2");
}

/* A version 1 file with rows, as a build of version 1 wrote them. */
static void
make_v1_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open_at_version (path, 1, &error);
  gint64 space_id;
  HsStoreDataset dataset = {
    .name = (char *) "flowers", .source = (char *) "builtin", .family = (char *) "natural",
    .n_classes = 5, .n_images = 3670,
  };

  g_assert_no_error (error);
  g_assert_cmpuint (hs_store_get_schema_version (store), ==, 1);
  /* Datasets and spaces did not change in version 2: the API writes them. */
  g_assert_true (hs_store_put_dataset (store, &dataset, &error));
  g_assert_no_error (error);
  space_id = hs_store_add_space (store, "small", "{\"lr\": [0.1, 0.01]}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (space_id, ==, 1);

  /* Searches and trials did: raw SQL in version 1's shape. */
  g_assert_true (hs_store_exec_for_test (
    store,
    "INSERT INTO searches (id, dataset, space_id, method, settings, state, created, started) "
    "  VALUES (1, 'flowers', 1, 'hyperband', '{\"seed\": 3}', 'running', 1000, 2000);"
    "INSERT INTO trials (search_id, id, config_id, config, from_epoch, to_epoch, state, "
    "  val_acc, seconds, curve, started, finished) VALUES "
    "  (1, 0, 's1', '{\"lr\": 0.1}', 0, 3, 'done', 0.30000000000000004, 12.5, "
    "   '[0.1,0.2,0.30000000000000004]', 2100, 2200),"
    "  (1, 1, 's2', '{\"lr\": 0.01}', 0, 3, 'running', NULL, 0, '[0.25,0.5]', 2300, 0),"
    "  (1, 2, 's3', '{\"lr\": 0.01}', 0, 3, 'pending', NULL, 0, '[]', 0, 0);"
    "INSERT INTO events (time, search_id, type, data) VALUES "
    "  (2000, 1, 'search-state', '{\"state\": \"running\"}'),"
    "  (2001, 0, 'daemon-started', '{}');",
    &error));
  g_assert_no_error (error);
}

static void
test_migrate_v1_rows (StoreFixture *fixture, gconstpointer data)
{
  static const gdouble done_curve[] = { 0.1, 0.2, 0.30000000000000004 };
  static const gdouble nans[] = { NAN, NAN, NAN };
  static const gdouble running_curve[] = { 0.25, 0.5, 0.75 };
  static const gdouble running_losses[] = { NAN, NAN, 0.125 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsStoreDataset) dataset = NULL;
  g_autoptr(HsStoreSpace) space = NULL;
  g_autoptr(HsStoreSearch) search = NULL;
  g_autoptr(HsStoreTrial) done = NULL, running = NULL, pending = NULL;
  g_autoptr(GPtrArray) events = NULL;

  make_v1_file (fixture->path);
  store = store_open (fixture->path);
  g_assert_cmpuint (hs_store_get_schema_version (store), ==, 2);

  dataset = hs_store_get_dataset (store, "flowers", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dataset->n_images, ==, 3670);
  space = hs_store_get_space (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (space->name, ==, "small");

  search = hs_store_get_search (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (search->state, ==, HS_SEARCH_RUNNING);
  g_assert_cmpint (search->priority, ==, 0);
  g_assert_cmpint (search->started, ==, 2000);
  g_assert_cmpstr (search->settings, ==, "{\"seed\": 3}");
  g_assert_cmpuint (search->n_trials, ==, 3);
  g_assert_cmpuint (search->n_done, ==, 1);
  g_assert_cmpuint (search->n_running, ==, 1);
  g_assert_cmpuint (search->epochs_spent, ==, 3);
  g_assert_cmpint (search->best_trial, ==, 0);
  g_assert_true (search->best_val_acc == 0.30000000000000004);

  done = hs_store_get_trial (store, 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (done->state, ==, HS_STORE_TRIAL_DONE);
  store_assert_doubles (done->curve, done_curve, 3);
  /* Version 1 kept no losses: unknown, one per epoch of the curve. */
  store_assert_doubles (done->losses, nans, 3);
  g_assert_null (done->device);
  g_assert_true (done->seconds == 12.5);

  running = hs_store_get_trial (store, 1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (running->state, ==, HS_STORE_TRIAL_RUNNING);
  store_assert_doubles (running->losses, nans, 2);
  g_clear_pointer (&running, hs_store_trial_free);

  /* The migrated trial goes on growing. */
  g_assert_true (hs_store_add_trial_epoch (store, 1, 1, 0.75, 0.125, &error));
  g_assert_no_error (error);
  running = hs_store_get_trial (store, 1, 1, &error);
  g_assert_no_error (error);
  store_assert_doubles (running->curve, running_curve, 3);
  store_assert_doubles (running->losses, running_losses, 3);

  pending = hs_store_get_trial (store, 1, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->curve->len, ==, 0);
  g_assert_cmpuint (pending->losses->len, ==, 0);

  events = hs_store_list_events (store, 0, 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((HsStoreEvent *) events->pdata[0])->type, ==, "search-state");
}

static void
test_newer_refused (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = store_open (fixture->path);
  g_autoptr(HsStore) again = NULL;
  g_autofree char *version = NULL;

  g_clear_pointer (&store, hs_store_free);
  store_exec_raw (fixture->path, "PRAGMA user_version = 3");

  again = hs_store_open (fixture->path, &error);
  g_assert_null (again);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, "version 3"));
  g_assert_nonnull (strstr (error->message, "build's 2"));
  g_clear_error (&error);

  /* Refused without touching it. */
  store_exec_raw (fixture->path, "PRAGMA user_version = 2");
  store = store_open (fixture->path);
  version = store_query (store, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "2");
}

static void
write_file (const char *path, const char *contents, gsize length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, length, &error));
  g_assert_no_error (error);
}

static void
test_garbage_refused (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  GString *garbage = g_string_new (NULL);

  for (guint i = 0; i < 400; i++)
    g_string_append_printf (garbage, "line %u of a file that is not a database\n", i);
  write_file (fixture->path, garbage->str, garbage->len);

  store = hs_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_test_message ("%s", error->message);

  /* Left as it was. */
  g_assert_true (g_file_get_contents (fixture->path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, garbage->str, garbage->len);
  g_string_free (garbage, TRUE);
}

static void
test_corrupt_refused (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = store_open (fixture->path);
  g_autofree char *contents = NULL;
  gsize length;
  gint64 search_id = store_add_search (store, "space", "flowers", 0);

  for (guint i = 0; i < 50; i++)
    store_add_trial (store, search_id, i, 0, 3);
  g_clear_pointer (&store, hs_store_free);  /* checkpoints the WAL into the file */

  /* Scribble over every page but the first (the header and schema). */
  g_assert_true (g_file_get_contents (fixture->path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 4096 * 2);
  for (gsize i = 4096 + 8; i < length; i += 97)
    contents[i] ^= 0x5a;
  write_file (fixture->path, contents, length);

  store = hs_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_test_message ("%s", error->message);
}

static void
test_foreign_refused (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = NULL;
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  store_exec_raw (fixture->path, "CREATE TABLE notes (text TEXT)");

  store = hs_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, fixture->path));

  /* None of our tables were added to it. */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM sqlite_schema", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_folder_refused (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = NULL;
  g_autofree char *blocker = g_build_filename (fixture->dir, "file", NULL);
  g_autofree char *path = g_build_filename (blocker, "store.db", NULL);

  /* The store's folder would be a regular file. */
  write_file (blocker, "x", 1);
  store = hs_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_persistence (StoreFixture *fixture, gconstpointer data)
{
  static const gdouble curve[] = { 0.5, 2.0 / 3.0 };
  static const gdouble losses[] = { 1.25, 1e-300 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = store_open (fixture->path);
  g_autoptr(GArray) curve_array = store_doubles (curve, 2);
  g_autoptr(GArray) losses_array = store_doubles (losses, 2);
  g_autoptr(HsStoreSearch) search = NULL;
  g_autoptr(HsStoreTrial) trial = NULL;
  g_autoptr(GPtrArray) events = NULL;
  gint64 search_id = store_add_search (store, "space", "flowers", 4);

  store_add_trial (store, search_id, 0, 0, 2);
  g_assert_true (hs_store_start_trial (store, search_id, 0, "cpu", &error));
  g_assert_no_error (error);
  g_assert_true (hs_store_finish_trial (store, search_id, 0, curve_array, losses_array, 3.5,
                                        &error));
  g_assert_no_error (error);
  g_assert_true (hs_store_set_search_state (store, search_id, HS_SEARCH_DONE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hs_store_add_event (store, search_id, "search-state", "{\"state\": \"done\"}",
                                       &error), >, 0);
  g_assert_no_error (error);
  g_clear_pointer (&store, hs_store_free);

  store = store_open (fixture->path);
  search = hs_store_get_search (store, search_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (search->state, ==, HS_SEARCH_DONE);
  g_assert_cmpint (search->priority, ==, 4);
  g_assert_cmpint (search->finished, >, 0);
  g_assert_cmpint (search->best_trial, ==, 0);
  g_assert_true (search->best_val_acc == 2.0 / 3.0);
  trial = hs_store_get_trial (store, search_id, 0, &error);
  g_assert_no_error (error);
  store_assert_doubles (trial->curve, curve, 2);
  store_assert_doubles (trial->losses, losses, 2);
  g_assert_cmpstr (trial->device, ==, "cpu");
  g_assert_true (trial->seconds == 3.5);
  events = hs_store_list_events (store, 0, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((HsStoreEvent *) events->pdata[0])->data, ==, "{\"state\": \"done\"}");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
  ADD ("/store/open/new", test_open_new);
  ADD ("/store/open/at-version", test_open_at_version);
  ADD ("/store/open/migrate-v1-rows", test_migrate_v1_rows);
  ADD ("/store/open/newer-refused", test_newer_refused);
  ADD ("/store/open/garbage-refused", test_garbage_refused);
  ADD ("/store/open/corrupt-refused", test_corrupt_refused);
  ADD ("/store/open/foreign-refused", test_foreign_refused);
  ADD ("/store/open/folder-refused", test_folder_refused);
  ADD ("/store/open/persistence", test_persistence);
#undef ADD

  return g_test_run ();
}
