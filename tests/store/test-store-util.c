/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <glib/gstdio.h>

#include "test-store-util.h"

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
    }
  g_remove (path);
}

void
store_fixture_setup (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("hs-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "store", "hyperstar.db", NULL);
}

void
store_fixture_teardown (StoreFixture *fixture, gconstpointer data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

HsStore *
store_open (const char *path)
{
  g_autoptr(GError) error = NULL;
  HsStore *store = hs_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

gint64
store_add_search (HsStore *store, const char *space_name, const char *dataset, gint priority)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStoreSpace) space = hs_store_find_space (store, space_name, NULL);
  HsStoreSearch search = {
    .dataset = (char *) dataset,
    .method = (char *) "hyperband",
    .settings = (char *) "{\"max_epochs\": 27, \"eta\": 3, \"seed\": 7}",
    .priority = priority,
  };
  gint64 id;

  if (space == NULL)
    {
      gint64 space_id = hs_store_add_space (store, space_name,
                                            "{\"lr\": {\"type\": \"log\", \"min\": 1e-4, \"max\": 0.1}}",
                                            &error);
      g_assert_no_error (error);
      space = hs_store_get_space (store, space_id, &error);
      g_assert_no_error (error);
    }
  search.space_id = space->id;
  id = hs_store_add_search (store, &search, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

void
store_add_trial (HsStore *store, gint64 search_id, guint id, guint from, guint to)
{
  g_autoptr(HsStoreTrial) trial = hs_store_trial_new ();
  g_autoptr(GError) error = NULL;

  trial->search_id = search_id;
  trial->id = id;
  trial->config_id = g_strdup_printf ("s%u", id + 1);
  trial->config = g_strdup_printf ("{\"lr\": %u.5e-3}", id % 10);
  trial->from_epoch = from;
  trial->to_epoch = to;
  trial->parent = from > 0 ? 0 : -1;
  g_assert_true (hs_store_add_trial (store, trial, &error));
  g_assert_no_error (error);
}

GArray *
store_doubles (const gdouble *values, guint n)
{
  GArray *array = g_array_sized_new (FALSE, FALSE, sizeof (gdouble), n);

  g_array_append_vals (array, values, n);
  return array;
}

char *
store_query (HsStore *store, const char *sql)
{
  g_autoptr(GError) error = NULL;
  char *value = hs_store_query_for_test (store, sql, &error);

  g_assert_no_error (error);
  return value;
}

void
store_exec_raw (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, sql, NULL, NULL, &message);
  g_assert_cmpstr (message, ==, NULL);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

void
store_assert_doubles (const GArray *got, const gdouble *expected, guint n)
{
  g_assert_nonnull (got);
  g_assert_cmpuint (got->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      gdouble value = g_array_index (got, gdouble, i);

      if (memcmp (&value, &expected[i], sizeof value) != 0)
        {
          g_test_fail_printf ("value %u: got %.17g, expected %.17g", i, value, expected[i]);
          return;
        }
    }
}
