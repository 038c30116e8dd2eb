/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's tables, row by row: round trips (doubles bit for bit), the
 * state rules of searches and trials, the queue's order, the summaries,
 * requeueing after a crash, the event log, and a search of 10,000 trials.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "test-store-util.h"

static void
test_datasets (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = store_open (fixture->path);
  g_autoptr(HsStoreDataset) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  HsStoreDataset flowers = {
    .name = (char *) "flowers", .source = (char *) "builtin", .family = (char *) "natural",
    .n_classes = 5, .n_images = 3670, .created = 1700000000000,
  };
  HsStoreDataset letters = {
    .name = (char *) "letters", .source = (char *) "imported", .n_classes = 26, .n_images = 520,
  };
  HsStoreDataset bad = { .name = (char *) "bad", .source = (char *) "downloaded" };
  gint64 search_id;

  g_assert_true (hs_store_put_dataset (store, &letters, &error));
  g_assert_no_error (error);
  g_assert_true (hs_store_put_dataset (store, &flowers, &error));
  g_assert_no_error (error);

  got = hs_store_get_dataset (store, "flowers", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->name, ==, "flowers");
  g_assert_cmpstr (got->source, ==, "builtin");
  g_assert_cmpstr (got->family, ==, "natural");
  g_assert_cmpuint (got->n_classes, ==, 5);
  g_assert_cmpuint (got->n_images, ==, 3670);
  g_assert_cmpint (got->created, ==, 1700000000000);
  g_clear_pointer (&got, hs_store_dataset_free);

  got = hs_store_get_dataset (store, "letters", &error);
  g_assert_no_error (error);
  g_assert_null (got->family);
  g_assert_cmpint (got->created, >, 1700000000000);  /* now, in ms */
  g_clear_pointer (&got, hs_store_dataset_free);

  /* Put again: replaced. */
  letters.n_images = 1040;
  g_assert_true (hs_store_put_dataset (store, &letters, &error));
  g_assert_no_error (error);
  list = hs_store_list_datasets (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((HsStoreDataset *) list->pdata[0])->name, ==, "flowers");
  g_assert_cmpstr (((HsStoreDataset *) list->pdata[1])->name, ==, "letters");
  g_assert_cmpuint (((HsStoreDataset *) list->pdata[1])->n_images, ==, 1040);

  got = hs_store_get_dataset (store, "mnist", &error);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "mnist"));
  g_assert_null (got);
  g_clear_error (&error);

  g_assert_false (hs_store_put_dataset (store, &bad, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "downloaded"));
  g_clear_error (&error);

  /* A search under way keeps its dataset; a finished one does not. */
  search_id = store_add_search (store, "space", "letters", 0);
  g_assert_true (hs_store_set_search_state (store, search_id, HS_SEARCH_RUNNING, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (hs_store_delete_dataset (store, "letters", &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "search 1"));
  g_assert_nonnull (strstr (error->message, "running"));
  g_clear_error (&error);
  g_assert_true (hs_store_set_search_state (store, search_id, HS_SEARCH_CANCELLED, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hs_store_delete_dataset (store, "letters", &error));
  g_assert_no_error (error);
  g_assert_false (hs_store_delete_dataset (store, "letters", &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = hs_store_list_datasets (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
}

static void
test_spaces (StoreFixture *fixture, gconstpointer data)
{
  const char *json = "{\"lr\": {\"type\": \"log\", \"min\": 1e-5, \"max\": 0.1}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = store_open (fixture->path);
  g_autoptr(HsStoreSpace) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 first, second;

  first = hs_store_add_space (store, "paper", json, &error);
  g_assert_no_error (error);
  second = hs_store_add_space (store, "small", "[1, 2]", &error);
  g_assert_no_error (error);
  g_assert_cmpint (second, >, first);

  g_assert_cmpint (hs_store_add_space (store, "paper", "{}", &error), ==, 0);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "paper"));
  g_clear_error (&error);
  g_assert_cmpint (hs_store_add_space (store, "broken", "{\"lr\": ", &error), ==, 0);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (hs_store_add_space (store, "", "{}", &error), ==, 0);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_clear_error (&error);

  got = hs_store_get_space (store, first, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->id, ==, first);
  g_assert_cmpstr (got->name, ==, "paper");
  g_assert_cmpstr (got->json, ==, json);  /* as given, not rewritten */
  g_assert_cmpint (got->created, >, 0);
  g_clear_pointer (&got, hs_store_space_free);

  got = hs_store_find_space (store, "small", &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->id, ==, second);
  g_clear_pointer (&got, hs_store_space_free);

  got = hs_store_get_space (store, 99, &error);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  got = hs_store_find_space (store, "large", &error);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  list = hs_store_list_spaces (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((HsStoreSpace *) list->pdata[0])->name, ==, "paper");
  g_assert_cmpstr (((HsStoreSpace *) list->pdata[1])->name, ==, "small");
}

/* A space changes or goes only while no search, even a finished one,
 * refers to it; the count follows the searches. */
static void
test_space_edits (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = store_open (fixture->path);
  g_autoptr(HsStoreSpace) got = NULL;
  gint64 free_id, used_id, search_id;

  free_id = hs_store_add_space (store, "free", "{\"grid\": {}}", &error);
  g_assert_no_error (error);
  search_id = store_add_search (store, "used", "flowers", 0);
  got = hs_store_find_space (store, "used", &error);
  g_assert_no_error (error);
  used_id = got->id;
  g_assert_cmpuint (got->n_searches, ==, 1);
  g_clear_pointer (&got, hs_store_space_free);
  store_add_search (store, "used", "letters", 0);
  g_assert_cmpint (hs_store_count_space_searches (store, used_id, &error), ==, 2);
  g_assert_cmpint (hs_store_count_space_searches (store, free_id, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (hs_store_count_space_searches (store, 99, &error), ==, -1);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The definition alone, then with a new name. */
  g_assert_true (hs_store_update_space (store, free_id, NULL, "{\"grid\": {\"a\": {}}}", &error));
  g_assert_no_error (error);
  got = hs_store_get_space (store, free_id, &error);
  g_assert_cmpstr (got->name, ==, "free");
  g_assert_cmpstr (got->json, ==, "{\"grid\": {\"a\": {}}}");
  g_assert_cmpuint (got->n_searches, ==, 0);
  g_clear_pointer (&got, hs_store_space_free);
  g_assert_true (hs_store_update_space (store, free_id, "renamed", "[1]", &error));
  got = hs_store_find_space (store, "renamed", &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->id, ==, free_id);
  g_clear_pointer (&got, hs_store_space_free);
  g_assert_true (hs_store_update_space (store, free_id, "renamed", "[2]", &error));

  /* Refusals leave the row as it was. */
  g_assert_false (hs_store_update_space (store, free_id, "used", "[3]", &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "used"));
  g_clear_error (&error);
  g_assert_false (hs_store_update_space (store, free_id, NULL, "{\"lr\": ", &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (hs_store_update_space (store, free_id, "", "[3]", &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (hs_store_update_space (store, 99, NULL, "[3]", &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  got = hs_store_get_space (store, free_id, &error);
  g_assert_cmpstr (got->name, ==, "renamed");
  g_assert_cmpstr (got->json, ==, "[2]");
  g_clear_pointer (&got, hs_store_space_free);

  /* A space in use, even by a finished search, stays. */
  g_assert_true (hs_store_set_search_state (store, search_id, HS_SEARCH_CANCELLED, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (hs_store_update_space (store, used_id, NULL, "[3]", &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2 searches"));
  g_clear_error (&error);
  g_assert_false (hs_store_delete_space (store, used_id, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2 searches"));
  g_clear_error (&error);

  g_assert_true (hs_store_delete_space (store, free_id, &error));
  g_assert_no_error (error);
  g_assert_false (hs_store_delete_space (store, free_id, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (hs_store_find_space (store, "renamed", NULL));
  g_assert_nonnull (got = hs_store_get_space (store, used_id, &error));
}

static void
test_searches (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = store_open (fixture->path);
  g_autoptr(HsStoreSearch) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 space_id = hs_store_add_space (store, "space", "{}", &error);
  HsStoreSearch search = {
    .dataset = (char *) "flowers", .space_id = space_id, .method = (char *) "successive-halving",
    .settings = (char *) "{\"max_epochs\": 9, \"eta\": 3}", .priority = -2,
    /* Ignored: */
    .id = 77, .state = HS_SEARCH_DONE, .created = 5, .n_trials = 9,
  };
  gint64 ids[4];

  g_assert_no_error (error);
  ids[0] = hs_store_add_search (store, &search, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ids[0], ==, 1);

  got = hs_store_get_search (store, ids[0], &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->id, ==, ids[0]);
  g_assert_cmpstr (got->dataset, ==, "flowers");
  g_assert_cmpint (got->space_id, ==, space_id);
  g_assert_cmpstr (got->method, ==, "successive-halving");
  g_assert_cmpstr (got->settings, ==, "{\"max_epochs\": 9, \"eta\": 3}");
  g_assert_cmpint (got->state, ==, HS_SEARCH_QUEUED);
  g_assert_cmpint (got->priority, ==, -2);
  g_assert_cmpint (got->created, >, 5);
  g_assert_cmpint (got->started, ==, 0);
  g_assert_cmpint (got->finished, ==, 0);
  g_assert_null (got->error);
  g_assert_cmpuint (got->n_trials, ==, 0);
  g_assert_cmpuint (got->n_done, ==, 0);
  g_assert_cmpuint (got->epochs_spent, ==, 0);
  g_assert_true (isnan (got->best_val_acc));
  g_assert_cmpint (got->best_trial, ==, -1);
  g_clear_pointer (&got, hs_store_search_free);

  /* Settings default to {}; they must be an object. */
  search.settings = NULL;
  ids[1] = hs_store_add_search (store, &search, &error);
  g_assert_no_error (error);
  got = hs_store_get_search (store, ids[1], &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->settings, ==, "{}");
  g_clear_pointer (&got, hs_store_search_free);
  search.settings = (char *) "[1, 2]";
  g_assert_cmpint (hs_store_add_search (store, &search, &error), ==, 0);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "settings"));
  g_clear_error (&error);
  search.settings = NULL;

  search.space_id = 42;
  g_assert_cmpint (hs_store_add_search (store, &search, &error), ==, 0);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "space 42"));
  g_clear_error (&error);
  search.space_id = space_id;

  ids[2] = hs_store_add_search (store, &search, &error);
  g_assert_no_error (error);
  ids[3] = hs_store_add_search (store, &search, &error);
  g_assert_no_error (error);

  got = hs_store_get_search (store, 1000, &error);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_assert_null (got);
  g_clear_error (&error);

  /* Newest first, paged. */
  list = hs_store_list_searches (store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (((HsStoreSearch *) list->pdata[i])->id, ==, ids[3 - i]);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = hs_store_list_searches (store, 1, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpint (((HsStoreSearch *) list->pdata[0])->id, ==, ids[2]);
  g_assert_cmpint (((HsStoreSearch *) list->pdata[1])->id, ==, ids[1]);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = hs_store_list_searches (store, 4, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
}

static void
test_search_states (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = store_open (fixture->path);
  g_autoptr(HsStoreSearch) got = NULL;
  gint64 id = store_add_search (store, "space", "flowers", 0);
  gint64 other = store_add_search (store, "space", "flowers", 0);
  gint64 started;
  HsSearchState state;

  g_assert_cmpstr (hs_search_state_to_string (HS_SEARCH_CANCELLED), ==, "cancelled");
  g_assert_true (hs_search_state_from_string ("paused", &state));
  g_assert_cmpint (state, ==, HS_SEARCH_PAUSED);
  g_assert_false (hs_search_state_from_string ("stopped", &state));
  g_assert_true (hs_search_state_is_final (HS_SEARCH_FAILED));
  g_assert_false (hs_search_state_is_final (HS_SEARCH_PAUSED));

  g_assert_true (hs_store_set_search_state (store, id, HS_SEARCH_RUNNING, NULL, &error));
  g_assert_no_error (error);
  got = hs_store_get_search (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->state, ==, HS_SEARCH_RUNNING);
  g_assert_cmpint (got->started, >, 0);
  g_assert_cmpint (got->finished, ==, 0);
  started = got->started;
  g_clear_pointer (&got, hs_store_search_free);

  /* Paused and running again: started is the first start. */
  g_usleep (2000);
  g_assert_true (hs_store_set_search_state (store, id, HS_SEARCH_PAUSED, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hs_store_set_search_state (store, id, HS_SEARCH_RUNNING, NULL, &error));
  g_assert_no_error (error);
  got = hs_store_get_search (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->started, ==, started);
  g_clear_pointer (&got, hs_store_search_free);

  g_assert_true (hs_store_set_search_state (store, id, HS_SEARCH_FAILED, "out of memory", &error));
  g_assert_no_error (error);
  got = hs_store_get_search (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->state, ==, HS_SEARCH_FAILED);
  g_assert_cmpint (got->finished, >=, started);
  g_assert_cmpstr (got->error, ==, "out of memory");
  g_clear_pointer (&got, hs_store_search_free);

  /* Final: no way out, not even to itself. */
  g_assert_false (hs_store_set_search_state (store, id, HS_SEARCH_RUNNING, NULL, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "failed"));
  g_assert_nonnull (strstr (error->message, "running"));
  g_clear_error (&error);
  g_assert_false (hs_store_set_search_state (store, id, HS_SEARCH_FAILED, "again", &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_clear_error (&error);
  got = hs_store_get_search (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->error, ==, "out of memory");
  g_clear_pointer (&got, hs_store_search_free);

  g_assert_true (hs_store_set_search_state (store, other, HS_SEARCH_DONE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (hs_store_set_search_state (store, other, HS_SEARCH_CANCELLED, NULL, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "done"));
  g_assert_nonnull (strstr (error->message, "cancelled"));
  g_clear_error (&error);

  g_assert_false (hs_store_set_search_state (store, 999, HS_SEARCH_RUNNING, NULL, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (hs_store_set_search_state (store, other, (HsSearchState) 17, NULL, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
}

static void
test_queue (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = store_open (fixture->path);
  static const gint priorities[] = { 0, 5, 5, 1, 9 };
  /* Priority first, then age; the paused one (index 4) never. */
  static const guint expected[] = { 1, 2, 3, 0 };
  gint64 ids[G_N_ELEMENTS (priorities)];
  HsStoreSearch *next;

  next = hs_store_next_queued_search (store, &error);
  g_assert_no_error (error);
  g_assert_null (next);

  for (guint i = 0; i < G_N_ELEMENTS (priorities); i++)
    ids[i] = store_add_search (store, "space", "flowers", priorities[i]);
  g_assert_true (hs_store_set_search_state (store, ids[4], HS_SEARCH_PAUSED, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      next = hs_store_next_queued_search (store, &error);
      g_assert_no_error (error);
      g_assert_nonnull (next);
      g_assert_cmpint (next->id, ==, ids[expected[i]]);
      g_assert_cmpint (next->priority, ==, priorities[expected[i]]);
      g_assert_true (hs_store_set_search_state (store, next->id, HS_SEARCH_RUNNING, NULL, &error));
      g_assert_no_error (error);
      hs_store_search_free (next);
    }
  next = hs_store_next_queued_search (store, &error);
  g_assert_no_error (error);
  g_assert_null (next);

  /* Back in the queue from paused. */
  g_assert_true (hs_store_set_search_state (store, ids[4], HS_SEARCH_QUEUED, NULL, &error));
  g_assert_no_error (error);
  next = hs_store_next_queued_search (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (next->id, ==, ids[4]);
  hs_store_search_free (next);
}

/* Doubles that a careless text format would not bring back. */
static const gdouble tricky[] = {
  0.1, 1.0 / 3.0, 0.30000000000000004, 2.0 / 3.0, 1e-300, 4.9406564584124654e-324,
  DBL_MAX, -0.0, 0.0, 123456789.123456789, 0.9999999999999999, 1.0,
};
#define N_TRICKY G_N_ELEMENTS (tricky)

static void
test_trial_round_trip (StoreFixture *fixture, gconstpointer data)
{
  static const gdouble losses_epochs[] = { 2.5, NAN, INFINITY };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = store_open (fixture->path);
  g_autoptr(HsStoreTrial) trial = hs_store_trial_new ();
  g_autoptr(HsStoreTrial) got = NULL;
  g_autoptr(HsStoreSearch) search = NULL;
  g_autoptr(GArray) curve = store_doubles (tricky, N_TRICKY);
  gdouble losses_values[N_TRICKY];
  g_autoptr(GArray) losses = NULL;
  gint64 search_id = store_add_search (store, "space", "flowers", 0);

  g_assert_cmpint (trial->parent, ==, -1);
  g_assert_true (isnan (trial->val_acc));
  g_assert_cmpuint (trial->curve->len, ==, 0);
  g_assert_cmpuint (trial->losses->len, ==, 0);

  trial->search_id = search_id;
  trial->id = 3;
  trial->config_id = g_strdup ("s4");
  trial->config = g_strdup ("{\"lr\": 0.001, \"optimizer\": \"adam\"}");
  trial->from_epoch = 3;
  trial->to_epoch = 3 + N_TRICKY;
  trial->parent = 1;
  trial->bracket = 2;
  trial->bracket_index = 1;
  trial->rung = 1;
  trial->state = HS_STORE_TRIAL_DONE;  /* ignored: stored pending */
  g_assert_true (hs_store_add_trial (store, trial, &error));
  g_assert_no_error (error);

  got = hs_store_get_trial (store, search_id, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->search_id, ==, search_id);
  g_assert_cmpuint (got->id, ==, 3);
  g_assert_cmpstr (got->config_id, ==, "s4");
  g_assert_cmpstr (got->config, ==, trial->config);
  g_assert_cmpuint (got->from_epoch, ==, 3);
  g_assert_cmpuint (got->to_epoch, ==, 3 + N_TRICKY);
  g_assert_cmpint (got->parent, ==, 1);
  g_assert_cmpuint (got->bracket, ==, 2);
  g_assert_cmpuint (got->bracket_index, ==, 1);
  g_assert_cmpuint (got->rung, ==, 1);
  g_assert_cmpint (got->state, ==, HS_STORE_TRIAL_PENDING);
  g_assert_true (isnan (got->val_acc));
  g_assert_cmpuint (got->curve->len, ==, 0);
  g_assert_null (got->device);
  g_assert_cmpint (got->started, ==, 0);
  g_clear_pointer (&got, hs_store_trial_free);

  g_assert_true (hs_store_start_trial (store, search_id, 3, "vulkan:0 (lavapipe)", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (hs_store_add_trial_epoch (store, search_id, 3, tricky[i], losses_epochs[i],
                                               &error));
      g_assert_no_error (error);
    }
  got = hs_store_get_trial (store, search_id, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->state, ==, HS_STORE_TRIAL_RUNNING);
  g_assert_cmpstr (got->device, ==, "vulkan:0 (lavapipe)");
  g_assert_cmpint (got->started, >, 0);
  store_assert_doubles (got->curve, tricky, 3);
  store_assert_doubles (got->losses, losses_epochs, 3);
  g_clear_pointer (&got, hs_store_trial_free);

  /* Done: the whole curve replaces the epochs recorded so far. */
  for (guint i = 0; i < N_TRICKY; i++)
    losses_values[i] = -tricky[N_TRICKY - 1 - i];
  losses = store_doubles (losses_values, N_TRICKY);
  g_assert_true (hs_store_finish_trial (store, search_id, 3, curve, losses, 1.0 / 7.0, &error));
  g_assert_no_error (error);
  got = hs_store_get_trial (store, search_id, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->state, ==, HS_STORE_TRIAL_DONE);
  store_assert_doubles (got->curve, tricky, N_TRICKY);
  store_assert_doubles (got->losses, losses_values, N_TRICKY);
  g_assert_true (got->val_acc == tricky[N_TRICKY - 1]);
  g_assert_true (got->seconds == 1.0 / 7.0);
  g_assert_cmpint (got->finished, >=, got->started);
  g_assert_null (got->error);

  search = hs_store_get_search (store, search_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (search->n_trials, ==, 1);
  g_assert_cmpuint (search->n_done, ==, 1);
  g_assert_cmpuint (search->epochs_spent, ==, N_TRICKY);
  g_assert_cmpint (search->best_trial, ==, 3);
  g_assert_true (search->best_val_acc == 1.0);
}

static void
test_trial_rules (StoreFixture *fixture, gconstpointer data)
{
  static const gdouble three[] = { 0.25, 0.5, 0.75 };
  static const gdouble two[] = { 0.25, 0.5 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = store_open (fixture->path);
  g_autoptr(HsStoreTrial) trial = hs_store_trial_new ();
  g_autoptr(HsStoreTrial) got = NULL;
  g_autoptr(GArray) curve = store_doubles (three, 3);
  g_autoptr(GArray) short_curve = store_doubles (two, 2);
  gint64 search_id = store_add_search (store, "space", "flowers", 0);

  store_add_trial (store, search_id, 0, 0, 3);
  store_add_trial (store, search_id, 1, 0, 3);

  /* Recorded once. */
  trial->search_id = search_id;
  trial->id = 0;
  trial->config_id = g_strdup ("other");
  trial->config = g_strdup ("{}");
  trial->to_epoch = 3;
  g_assert_false (hs_store_add_trial (store, trial, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "search 1: trial 0"));
  g_clear_error (&error);
  got = hs_store_get_trial (store, search_id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->config_id, ==, "s1");
  g_clear_pointer (&got, hs_store_trial_free);

  /* Values the schema refuses. */
  trial->id = 5;
  trial->search_id = 99;
  g_assert_false (hs_store_add_trial (store, trial, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  trial->search_id = search_id;
  trial->to_epoch = 0;
  g_assert_false (hs_store_add_trial (store, trial, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_clear_error (&error);
  trial->to_epoch = 3;
  g_free (trial->config);
  trial->config = g_strdup ("lr=0.1");
  g_assert_false (hs_store_add_trial (store, trial, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "config"));
  g_clear_error (&error);

  /* Epochs only while running, and no more than it has. */
  g_assert_false (hs_store_add_trial_epoch (store, search_id, 0, 0.5, 1.0, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "pending"));
  g_clear_error (&error);
  g_assert_true (hs_store_start_trial (store, search_id, 0, "cpu", &error));
  g_assert_no_error (error);
  g_assert_false (hs_store_start_trial (store, search_id, 0, "cpu", &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "running"));
  g_clear_error (&error);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (hs_store_add_trial_epoch (store, search_id, 0, three[i], 1.0, &error));
      g_assert_no_error (error);
    }
  g_assert_false (hs_store_add_trial_epoch (store, search_id, 0, 0.9, 1.0, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A curve of the wrong length: refused, nothing changed. */
  g_assert_false (hs_store_finish_trial (store, search_id, 0, short_curve, NULL, 1.0, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2 values"));
  g_clear_error (&error);
  g_assert_false (hs_store_finish_trial (store, search_id, 0, curve, short_curve, 1.0, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_clear_error (&error);
  got = hs_store_get_trial (store, search_id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->state, ==, HS_STORE_TRIAL_RUNNING);
  g_clear_pointer (&got, hs_store_trial_free);

  /* Finished once. */
  g_assert_true (hs_store_finish_trial (store, search_id, 0, curve, NULL, 1.0, &error));
  g_assert_no_error (error);
  g_assert_false (hs_store_finish_trial (store, search_id, 0, curve, NULL, 2.0, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "search 1: trial 0 is already done"));
  g_clear_error (&error);
  g_assert_false (hs_store_fail_trial (store, search_id, 0, "late", &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (hs_store_start_trial (store, search_id, 0, "cpu", &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_clear_error (&error);
  got = hs_store_get_trial (store, search_id, 0, &error);
  g_assert_no_error (error);
  g_assert_true (got->seconds == 1.0);
  g_assert_null (got->error);
  g_assert_cmpuint (got->losses->len, ==, 3);  /* unknown losses: NaN per epoch */
  g_assert_true (isnan (g_array_index (got->losses, gdouble, 0)));
  g_clear_pointer (&got, hs_store_trial_free);

  /* Failed, from pending; then nothing more. */
  g_assert_true (hs_store_fail_trial (store, search_id, 1, "checkpoint missing", &error));
  g_assert_no_error (error);
  g_assert_false (hs_store_finish_trial (store, search_id, 1, curve, NULL, 1.0, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "already failed"));
  g_clear_error (&error);
  got = hs_store_get_trial (store, search_id, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->state, ==, HS_STORE_TRIAL_FAILED);
  g_assert_cmpstr (got->error, ==, "checkpoint missing");
  g_assert_cmpint (got->finished, >, 0);
  g_clear_pointer (&got, hs_store_trial_free);

  got = hs_store_get_trial (store, search_id, 7, &error);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no trial 7"));
  g_clear_error (&error);
  g_assert_false (hs_store_start_trial (store, search_id, 7, "cpu", &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
}

static void
test_requeue (StoreFixture *fixture, gconstpointer data)
{
  static const gdouble curve_values[] = { 0.5, 0.6 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = store_open (fixture->path);
  g_autoptr(GArray) curve = store_doubles (curve_values, 2);
  g_autoptr(HsStoreTrial) got = NULL;
  g_autoptr(HsStoreSearch) search = NULL;
  gint64 search_id = store_add_search (store, "space", "flowers", 0);
  gint64 other_id = store_add_search (store, "space", "flowers", 0);

  for (guint i = 0; i < 4; i++)
    store_add_trial (store, search_id, i, 0, 2);
  store_add_trial (store, other_id, 0, 0, 2);
  /* 0 running with an epoch, 1 running, 2 done, 3 pending; the other
   * search's trial running. */
  g_assert_true (hs_store_start_trial (store, search_id, 0, "cpu", &error));
  g_assert_true (hs_store_add_trial_epoch (store, search_id, 0, 0.5, 1.5, &error));
  g_assert_true (hs_store_start_trial (store, search_id, 1, "cpu", &error));
  g_assert_true (hs_store_start_trial (store, search_id, 2, "cpu", &error));
  g_assert_true (hs_store_finish_trial (store, search_id, 2, curve, NULL, 2.0, &error));
  g_assert_true (hs_store_start_trial (store, other_id, 0, "gpu", &error));
  g_assert_no_error (error);

  search = hs_store_get_search (store, search_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (search->n_running, ==, 2);
  g_clear_pointer (&search, hs_store_search_free);

  g_assert_cmpuint (hs_store_requeue_running_trials (store, search_id, &error), ==, 2);
  g_assert_no_error (error);

  got = hs_store_get_trial (store, search_id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->state, ==, HS_STORE_TRIAL_PENDING);
  g_assert_cmpuint (got->curve->len, ==, 0);
  g_assert_cmpuint (got->losses->len, ==, 0);
  g_assert_null (got->device);
  g_assert_cmpint (got->started, ==, 0);
  g_clear_pointer (&got, hs_store_trial_free);

  got = hs_store_get_trial (store, search_id, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->state, ==, HS_STORE_TRIAL_DONE);
  store_assert_doubles (got->curve, curve_values, 2);
  g_clear_pointer (&got, hs_store_trial_free);

  got = hs_store_get_trial (store, other_id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->state, ==, HS_STORE_TRIAL_RUNNING);
  g_assert_cmpstr (got->device, ==, "gpu");
  g_clear_pointer (&got, hs_store_trial_free);

  search = hs_store_get_search (store, search_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (search->n_running, ==, 0);
  g_assert_cmpuint (search->n_done, ==, 1);
  g_assert_cmpuint (search->n_trials, ==, 4);

  /* Runs again from the start. */
  g_assert_true (hs_store_start_trial (store, search_id, 0, "cpu", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hs_store_requeue_running_trials (store, search_id, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (hs_store_requeue_running_trials (store, search_id, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (hs_store_requeue_running_trials (store, 555, &error), ==, 0);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* One trial paused while another of the search runs on: only it goes
   * back to pending. */
  g_assert_true (hs_store_start_trial (store, search_id, 0, "cpu", &error));
  g_assert_true (hs_store_start_trial (store, search_id, 1, "cpu", &error));
  g_assert_no_error (error);
  g_assert_true (hs_store_requeue_trial (store, search_id, 1, &error));
  g_assert_no_error (error);
  g_assert_false (hs_store_requeue_trial (store, search_id, 1, &error));
  g_assert_no_error (error);
  got = hs_store_get_trial (store, search_id, 0, &error);
  g_assert_cmpint (got->state, ==, HS_STORE_TRIAL_RUNNING);
  g_clear_pointer (&got, hs_store_trial_free);
  got = hs_store_get_trial (store, search_id, 1, &error);
  g_assert_cmpint (got->state, ==, HS_STORE_TRIAL_PENDING);
  g_clear_pointer (&got, hs_store_trial_free);
}

static void
test_as_hpo (StoreFixture *fixture, gconstpointer data)
{
  static const gdouble curve_values[] = { 0.5, 0.625 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = store_open (fixture->path);
  g_autoptr(GArray) curve = store_doubles (curve_values, 2);
  g_autoptr(GPtrArray) trials = NULL;
  gint64 search_id = store_add_search (store, "space", "flowers", 0);
  static const HsTrialState expected[] = {
    HS_TRIAL_PENDING, HS_TRIAL_PENDING, HS_TRIAL_DONE, HS_TRIAL_FAILED,
  };

  for (guint i = 0; i < 4; i++)
    store_add_trial (store, search_id, i, i == 3 ? 2 : 0, i == 3 ? 4 : 2);
  g_assert_true (hs_store_start_trial (store, search_id, 1, "cpu", &error));
  g_assert_true (hs_store_add_trial_epoch (store, search_id, 1, 0.25, 2.0, &error));
  g_assert_true (hs_store_finish_trial (store, search_id, 2, curve, NULL, 9.0, &error));
  g_assert_true (hs_store_fail_trial (store, search_id, 3, "diverged", &error));
  g_assert_no_error (error);

  trials = hs_store_list_trials (store, search_id, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (trials->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      const HsStoreTrial *trial = trials->pdata[i];
      HsTrial out;

      hs_store_trial_as_hpo (trial, &out);
      g_assert_cmpuint (out.id, ==, i);
      g_assert_cmpint (out.state, ==, expected[i]);
      g_assert_true (out.config_id == trial->config_id);  /* borrowed */
      g_assert_true (out.config_json == trial->config);
      g_assert_true (out.curve == trial->curve);
      g_assert_cmpuint (out.from_epoch, ==, trial->from_epoch);
      g_assert_cmpuint (out.to_epoch, ==, trial->to_epoch);
      g_assert_cmpint (out.parent, ==, trial->parent);
      if (expected[i] == HS_TRIAL_DONE)
        {
          g_assert_true (out.val_acc == 0.625);
          g_assert_true (out.seconds == 9.0);
        }
      else
        g_assert_true (isnan (out.val_acc));
      if (expected[i] == HS_TRIAL_FAILED)
        g_assert_cmpstr (out.message, ==, "diverged");
      else
        g_assert_null (out.message);
    }
}

static void
test_summary (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = store_open (fixture->path);
  g_autoptr(HsStoreSearch) search = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 search_id = store_add_search (store, "space", "flowers", 0);
  gint64 other_id = store_add_search (store, "space", "flowers", 0);
  /* id, from, to, final val_acc (NaN: failed; -1: left running) */
  static const struct { guint from, to; gdouble acc; } trials[] = {
    { 0, 1, 0.5 }, { 0, 1, 0.75 }, { 0, 1, 0.75 }, { 0, 1, NAN }, { 1, 3, 0.75 },
    { 1, 3, 0.75 }, { 0, 1, -1 }, { 0, 9, 0.25 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (trials); i++)
    {
      store_add_trial (store, search_id, i, trials[i].from, trials[i].to);
      g_assert_true (hs_store_start_trial (store, search_id, i, "cpu", &error));
      g_assert_no_error (error);
      if (isnan (trials[i].acc))
        g_assert_true (hs_store_fail_trial (store, search_id, i, "nan loss", &error));
      else if (trials[i].acc >= 0)
        {
          g_autoptr(GArray) curve = g_array_new (FALSE, FALSE, sizeof (gdouble));
          for (guint e = trials[i].from; e < trials[i].to; e++)
            g_array_append_val (curve, trials[i].acc);
          g_assert_true (hs_store_finish_trial (store, search_id, i, curve, NULL, 1.0, &error));
        }
      g_assert_no_error (error);
    }
  /* A better trial of another search counts there only. */
  store_add_trial (store, other_id, 0, 0, 1);
  {
    static const gdouble one[] = { 0.99 };
    g_autoptr(GArray) curve = store_doubles (one, 1);
    g_assert_true (hs_store_finish_trial (store, other_id, 0, curve, NULL, 1.0, &error));
    g_assert_no_error (error);
  }

  search = hs_store_get_search (store, search_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (search->n_trials, ==, 8);
  g_assert_cmpuint (search->n_done, ==, 6);
  g_assert_cmpuint (search->n_failed, ==, 1);
  g_assert_cmpuint (search->n_running, ==, 1);
  g_assert_cmpuint (search->epochs_spent, ==, 1 + 1 + 1 + 2 + 2 + 9);
  /* 0.75 four times: the larger budget (trials 4 and 5), then the earlier. */
  g_assert_true (search->best_val_acc == 0.75);
  g_assert_cmpint (search->best_trial, ==, 4);

  /* The list computes the same summaries. */
  list = hs_store_list_searches (store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpint (((HsStoreSearch *) list->pdata[1])->best_trial, ==, 4);
  g_assert_cmpuint (((HsStoreSearch *) list->pdata[1])->epochs_spent, ==, 16);
  g_assert_cmpint (((HsStoreSearch *) list->pdata[0])->best_trial, ==, 0);
  g_assert_true (((HsStoreSearch *) list->pdata[0])->best_val_acc == 0.99);
}

static void
test_events (StoreFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = store_open (fixture->path);
  g_autoptr(GPtrArray) events = NULL;
  gint64 first = store_add_search (store, "space", "flowers", 0);
  gint64 second = store_add_search (store, "space", "flowers", 0);
  static const struct { guint search; const char *type; } log[] = {
    { 0, "daemon-started" }, { 1, "search-state" }, { 2, "search-state" },
    { 1, "trial-started" }, { 1, "trial-epoch" }, { 2, "trial-started" },
  };
  gint64 ids[G_N_ELEMENTS (log)];
  const HsStoreEvent *event;

  for (guint i = 0; i < G_N_ELEMENTS (log); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"n\": %u}", i);
      gint64 search_id = log[i].search == 0 ? 0 : log[i].search == 1 ? first : second;

      ids[i] = hs_store_add_event (store, search_id, log[i].type, i == 0 ? NULL : json, &error);
      g_assert_no_error (error);
      if (i > 0)
        g_assert_cmpint (ids[i], >, ids[i - 1]);
    }

  events = hs_store_list_events (store, 0, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, G_N_ELEMENTS (log));
  event = events->pdata[0];
  g_assert_cmpint (event->id, ==, ids[0]);
  g_assert_cmpint (event->search_id, ==, 0);
  g_assert_cmpstr (event->type, ==, "daemon-started");
  g_assert_cmpstr (event->data, ==, "{}");
  g_assert_cmpint (event->time, >, 0);
  event = events->pdata[4];
  g_assert_cmpint (event->search_id, ==, first);
  g_assert_cmpstr (event->type, ==, "trial-epoch");
  g_assert_cmpstr (event->data, ==, "{\"n\": 4}");
  g_clear_pointer (&events, g_ptr_array_unref);

  /* From an id, of one search, at most a few. */
  events = hs_store_list_events (store, ids[1], first, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpint (((HsStoreEvent *) events->pdata[0])->id, ==, ids[3]);
  g_assert_cmpint (((HsStoreEvent *) events->pdata[1])->id, ==, ids[4]);
  g_clear_pointer (&events, g_ptr_array_unref);
  events = hs_store_list_events (store, ids[0], 0, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpint (((HsStoreEvent *) events->pdata[0])->id, ==, ids[1]);
  g_assert_cmpint (((HsStoreEvent *) events->pdata[1])->id, ==, ids[2]);
  g_clear_pointer (&events, g_ptr_array_unref);
  events = hs_store_list_events (store, ids[5], 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 0);

  g_assert_cmpint (hs_store_add_event (store, 404, "search-state", "{}", &error), ==, 0);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (hs_store_add_event (store, 0, "", "{}", &error), ==, 0);
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID);
}

static void
test_many_trials (StoreFixture *fixture, gconstpointer data)
{
  const guint n_trials = 10000;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = store_open (fixture->path);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(HsStoreSearch) search = NULL;
  gint64 search_id = store_add_search (store, "space", "flowers", 0);
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < n_trials; i++)
    store_add_trial (store, search_id, i, 0, 1 + i % 3);
  g_test_message ("%u trials added in %.2f s", n_trials,
                  (g_get_monotonic_time () - start) / 1e6);

  /* Every 100th done, its accuracy rising with its id but for trial 4200. */
  for (guint i = 0; i < n_trials; i += 100)
    {
      g_autoptr(GArray) curve = g_array_new (FALSE, FALSE, sizeof (gdouble));
      gdouble acc = i == 4200 ? 0.999 : i / (gdouble) n_trials;

      for (guint e = 0; e < 1 + i % 3; e++)
        g_array_append_val (curve, acc);
      g_assert_true (hs_store_finish_trial (store, search_id, i, curve, NULL, 0.5, &error));
      g_assert_no_error (error);
    }

  start = g_get_monotonic_time ();
  page = hs_store_list_trials (store, search_id, 5000, 50, &error);
  g_assert_no_error (error);
  g_test_message ("page of 50 at 5000 in %.2f ms", (g_get_monotonic_time () - start) / 1e3);
  g_assert_cmpuint (page->len, ==, 50);
  for (guint i = 0; i < 50; i++)
    {
      const HsStoreTrial *trial = page->pdata[i];
      g_autofree char *config_id = g_strdup_printf ("s%u", 5000 + i + 1);

      g_assert_cmpuint (trial->id, ==, 5000 + i);
      g_assert_cmpstr (trial->config_id, ==, config_id);
      g_assert_cmpuint (trial->to_epoch, ==, 1 + (5000 + i) % 3);
      g_assert_cmpint (trial->state, ==, i == 0 ? HS_STORE_TRIAL_DONE : HS_STORE_TRIAL_PENDING);
    }

  g_clear_pointer (&page, g_ptr_array_unref);
  page = hs_store_list_trials (store, search_id, 9990, 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 10);

  all = hs_store_list_trials (store, search_id, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, n_trials);
  g_assert_cmpuint (((HsStoreTrial *) all->pdata[n_trials - 1])->id, ==, n_trials - 1);

  start = g_get_monotonic_time ();
  search = hs_store_get_search (store, search_id, &error);
  g_assert_no_error (error);
  g_test_message ("summary in %.2f ms", (g_get_monotonic_time () - start) / 1e3);
  g_assert_cmpuint (search->n_trials, ==, n_trials);
  g_assert_cmpuint (search->n_done, ==, 100);
  g_assert_cmpint (search->best_trial, ==, 4200);
  g_assert_true (search->best_val_acc == 0.999);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
  ADD ("/store/datasets", test_datasets);
  ADD ("/store/spaces", test_spaces);
  ADD ("/store/spaces/edits", test_space_edits);
  ADD ("/store/searches/round-trip", test_searches);
  ADD ("/store/searches/states", test_search_states);
  ADD ("/store/searches/queue", test_queue);
  ADD ("/store/trials/round-trip", test_trial_round_trip);
  ADD ("/store/trials/rules", test_trial_rules);
  ADD ("/store/trials/requeue", test_requeue);
  ADD ("/store/trials/as-hpo", test_as_hpo);
  ADD ("/store/trials/summary", test_summary);
  ADD ("/store/events", test_events);
  ADD ("/store/trials/many", test_many_trials);
#undef ADD

  return g_test_run ();
}
