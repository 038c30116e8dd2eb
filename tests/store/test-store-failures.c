/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes that fail: a full disk (PRAGMA max_page_count pins the file at
 * its size; chmod tricks do not work for root), during a write and during
 * a migration, and a file another process holds locked.  Each must fail
 * whole, with the error's code and the path, and leave a store that works.
 */
#include <math.h>
#include <string.h>

#include "test-store-util.h"

static char *
big_json (guint n)
{
  GString *out = g_string_new ("{\"grid\": [");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s{\"lr\": %u.123456789e-4}", i > 0 ? ", " : "", i);
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

static void
test_disk_full (StoreFixture *fixture, gconstpointer data)
{
  static const gdouble first[] = { 0.5, 0.25 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = store_open (fixture->path);
  g_autoptr(HsStoreSpace) space = NULL;
  g_autoptr(HsStoreTrial) trial = NULL;
  g_autoptr(GArray) curve = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autofree char *json = big_json (20000);
  gint64 search_id = store_add_search (store, "space", "flowers", 0);
  gint64 space_id;
  const guint n_epochs = 5000;

  store_add_trial (store, search_id, 0, 0, n_epochs);
  g_assert_true (hs_store_start_trial (store, search_id, 0, "vulkan:0", &error));
  g_assert_no_error (error);
  g_assert_true (hs_store_add_trial_epoch (store, search_id, 0, first[0], first[1], &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n_epochs; i++)
    {
      gdouble value = 1.0 / (i + 3.0);
      g_array_append_val (curve, value);
    }

  /* No page more than the file has now. */
  g_assert_true (hs_store_exec_for_test (store, "PRAGMA max_page_count = 1", &error));
  g_assert_no_error (error);

  space_id = hs_store_add_space (store, "big", json, &error);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, "space “big”"));
  g_assert_cmpint (space_id, ==, 0);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_false (hs_store_finish_trial (store, search_id, 0, curve, NULL, 60.0, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "trial 0"));
  g_clear_error (&error);

  /* Nothing of either write landed. */
  space = hs_store_find_space (store, "big", &error);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_assert_null (space);
  g_clear_error (&error);
  trial = hs_store_get_trial (store, search_id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (trial->state, ==, HS_STORE_TRIAL_RUNNING);
  g_assert_cmpuint (trial->curve->len, ==, 1);
  g_assert_true (isnan (trial->val_acc));
  g_clear_pointer (&trial, hs_store_trial_free);

  /* Room again: the same writes go through, on the same connection. */
  g_assert_true (hs_store_exec_for_test (store, "PRAGMA max_page_count = 1073741823", &error));
  g_assert_no_error (error);
  space_id = hs_store_add_space (store, "big", json, &error);
  g_assert_no_error (error);
  g_assert_cmpint (space_id, >, 0);
  g_assert_true (hs_store_finish_trial (store, search_id, 0, curve, NULL, 60.0, &error));
  g_assert_no_error (error);

  g_clear_pointer (&store, hs_store_free);
  store = store_open (fixture->path);  /* passes its quick_check */
  trial = hs_store_get_trial (store, search_id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (trial->state, ==, HS_STORE_TRIAL_DONE);
  g_assert_cmpuint (trial->curve->len, ==, n_epochs);
  g_assert_cmpuint (trial->losses->len, ==, n_epochs);
  g_assert_true (trial->val_acc == 1.0 / (n_epochs + 2.0));
}

static void
test_migration_disk_full (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open_at_version (fixture->path, 1, &error);
  g_autofree char *losses = NULL, *n_trials = NULL, *version = NULL;
  g_autoptr(HsStoreTrial) trial = NULL;

  g_assert_no_error (error);
  g_assert_true (hs_store_exec_for_test (
    store,
    "INSERT INTO spaces (id, name, json) VALUES (1, 'space', '{}');"
    "INSERT INTO searches (id, dataset, space_id, method) VALUES (1, 'flowers', 1, 'random');"
    "WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 199) "
    "INSERT INTO trials (search_id, id, config_id, config, from_epoch, to_epoch, state, "
    "  val_acc, curve) "
    "SELECT 1, i, 's' || i, '{}', 0, 4, 'done', 0.5, '[0.125,0.25,0.375,0.5]' FROM n;",
    &error));
  g_assert_no_error (error);
  g_clear_pointer (&store, hs_store_free);

  /* Version 2's index and the losses it fills in need pages the file cannot
   * grow by. */
  store = hs_store_open_for_test (fixture->path, 2, "PRAGMA max_page_count = 1", &error);
  g_assert_null (store);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, "from version 1 to 2"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* Still version 1, whole: no column of version 2 half added. */
  store = hs_store_open_at_version (fixture->path, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hs_store_get_schema_version (store), ==, 1);
  losses = store_query (store, "SELECT count(*) FROM pragma_table_info ('trials') "
                               "WHERE name IN ('losses', 'device')");
  g_assert_cmpstr (losses, ==, "0");
  n_trials = store_query (store, "SELECT count(*) FROM trials WHERE curve <> '[]'");
  g_assert_cmpstr (n_trials, ==, "200");
  g_clear_pointer (&store, hs_store_free);

  store = store_open (fixture->path);
  version = store_query (store, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "2");
  trial = hs_store_get_trial (store, 1, 199, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (trial->losses->len, ==, 4);
  g_assert_true (isnan (g_array_index (trial->losses, gdouble, 3)));
}

static void
test_busy (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsStoreDataset) got = NULL;
  HsStoreDataset dataset = {
    .name = (char *) "letters", .source = (char *) "imported", .n_classes = 26, .n_images = 520,
  };
  sqlite3 *other = NULL;
  gint64 start;

  /* The default 5 s would make the test slow, not different. */
  g_setenv ("HS_STORE_BUSY_TIMEOUT_MS", "100", TRUE);
  store = store_open (fixture->path);
  g_unsetenv ("HS_STORE_BUSY_TIMEOUT_MS");

  g_assert_cmpint (sqlite3_open (fixture->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);

  start = g_get_monotonic_time ();
  g_assert_false (hs_store_put_dataset (store, &dataset, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_test_message ("%s (after %" G_GINT64_FORMAT " ms)", error->message,
                  (g_get_monotonic_time () - start) / 1000);
  g_clear_error (&error);
  g_assert_cmpint (hs_store_add_event (store, 0, "daemon-started", NULL, &error), ==, 0);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_BUSY);
  g_clear_error (&error);

  /* WAL: reading goes on while the other process writes. */
  got = hs_store_get_dataset (store, "letters", &error);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (other), ==, SQLITE_OK);

  g_assert_true (hs_store_put_dataset (store, &dataset, &error));
  g_assert_no_error (error);
  got = hs_store_get_dataset (store, "letters", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (got->n_classes, ==, 26);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
  ADD ("/store/write/disk-full", test_disk_full);
  ADD ("/store/write/migration-disk-full", test_migration_disk_full);
  ADD ("/store/write/busy", test_busy);
#undef ADD

  return g_test_run ();
}
