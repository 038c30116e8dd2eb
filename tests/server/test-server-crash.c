/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hyperstard's life: one instance per socket, a clean stop on SIGTERM, and
 * a `kill -9` in the middle of a search that loses nothing: after a restart
 * the search completes with each trial recorded once, and its results equal
 * those of the same search run without interruption (trials continue from
 * their checkpoints, and training is deterministic).
 */
#include <glib/gstdio.h>
#include <math.h>

#include "hs-test-daemon.h"

#define SETTINGS "{\"budget_epochs\": 69, \"max_epochs\": 9, \"eta\": 3, \"seed\": 7}"

static JsonArray *
export_trials (HsTestDaemon *d, gint64 id, JsonNode **holder)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/searches/%" G_GINT64_FORMAT
                                           "/export?format=json", id);
  guint status;

  *holder = hs_test_daemon_request (d, "GET", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  return json_object_get_array_member (json_node_get_object (*holder), "trials");
}

static void
assert_same_trials (JsonArray *a, JsonArray *b)
{
  g_assert_cmpuint (json_array_get_length (a), ==, json_array_get_length (b));
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *x = json_array_get_object_element (a, i);
      JsonObject *y = json_array_get_object_element (b, i);
      JsonArray *cx = json_object_get_array_member (x, "curve");
      JsonArray *cy = json_object_get_array_member (y, "curve");

      g_assert_cmpint (json_object_get_int_member (x, "id"), ==, i);
      g_assert_cmpint (json_object_get_int_member (y, "id"), ==, i);
      g_assert_cmpstr (json_object_get_string_member (x, "config_id"), ==,
                       json_object_get_string_member (y, "config_id"));
      g_assert_cmpint (json_object_get_int_member (x, "from_epoch"), ==,
                       json_object_get_int_member (y, "from_epoch"));
      g_assert_cmpint (json_object_get_int_member (x, "to_epoch"), ==,
                       json_object_get_int_member (y, "to_epoch"));
      g_assert_cmpstr (json_object_get_string_member (y, "state"), ==, "done");
      g_assert_cmpuint (json_array_get_length (cx), ==, json_array_get_length (cy));
      for (guint e = 0; e < json_array_get_length (cx); e++)
        g_assert_cmpfloat (json_array_get_double_element (cx, e), ==,
                           json_array_get_double_element (cy, e));
    }
}

/* A trial of search `id` that is running and has finished at least one of
 * two or more epochs (so a kill now lands inside it, after a checkpoint):
 * its id and the epochs it has done, or FALSE. */
static gboolean
find_trial_mid_way (HsTestDaemon *d, gint64 id, guint *trial, guint *done)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/searches/%" G_GINT64_FORMAT
                                           "/trials?limit=1000", id);
  g_autoptr(JsonNode) page = NULL;
  JsonArray *trials;
  guint status;

  page = hs_test_daemon_request (d, "GET", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  trials = json_object_get_array_member (json_node_get_object (page), "trials");
  for (guint i = 0; i < json_array_get_length (trials); i++)
    {
      JsonObject *t = json_array_get_object_element (trials, i);
      guint n = json_array_get_length (json_object_get_array_member (t, "curve"));
      gint64 span = json_object_get_int_member (t, "to_epoch") -
                    json_object_get_int_member (t, "from_epoch");

      if (g_str_equal (json_object_get_string_member (t, "state"), "running") && n >= 1 &&
          n < span)
        {
          *trial = json_object_get_int_member (t, "id");
          *done = n;
          return TRUE;
        }
    }
  return FALSE;
}

/* The epochs the trial reported (trial-epoch events) after event `after`,
 * the smallest one in *first. */
static guint
epochs_reported_after (HsTestDaemon *d, gint64 id, guint trial, gint64 after, guint *first)
{
  guint n = 0;

  *first = G_MAXUINT;
  for (;;)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/searches/%" G_GINT64_FORMAT
                                               "/events?after=%" G_GINT64_FORMAT "&limit=1000",
                                               id, after);
      g_autoptr(JsonNode) page = NULL;
      JsonArray *events;
      guint status;

      page = hs_test_daemon_request (d, "GET", path, NULL, &status);
      g_assert_cmpuint (status, ==, 200);
      events = json_object_get_array_member (json_node_get_object (page), "events");
      if (json_array_get_length (events) == 0)
        return n;
      for (guint i = 0; i < json_array_get_length (events); i++)
        {
          JsonObject *e = json_array_get_object_element (events, i);
          JsonObject *data = json_object_get_object_member (e, "data");

          after = json_object_get_int_member (e, "id");
          if (g_str_equal (json_object_get_string_member (e, "type"), "trial-epoch") &&
              json_object_get_int_member (data, "trial_id") == trial)
            {
              n++;
              *first = MIN (*first, (guint) json_object_get_int_member (data, "epoch"));
            }
        }
    }
}

static gint64
last_event_id (HsTestDaemon *d, gint64 id)
{
  gint64 last = 0;

  for (;;)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/searches/%" G_GINT64_FORMAT
                                               "/events?after=%" G_GINT64_FORMAT "&limit=1000",
                                               id, last);
      g_autoptr(JsonNode) page = NULL;
      JsonArray *events;
      guint status;

      page = hs_test_daemon_request (d, "GET", path, NULL, &status);
      events = json_object_get_array_member (json_node_get_object (page), "events");
      if (json_array_get_length (events) == 0)
        return last;
      last = json_object_get_int_member (
        json_array_get_object_element (events, json_array_get_length (events) - 1), "id");
    }
}

static void
test_kill_and_restart (void)
{
  g_autoptr(HsTestDaemon) d = hs_test_daemon_new ();
  g_autoptr(JsonNode) straight = NULL, straight_export = NULL, crashed_export = NULL;
  JsonArray *straight_trials, *crashed_trials;
  gint64 first, second;
  guint kills = 0;

  /* The reference: the search without interruption (Hyperband, R = 9,
   * η = 3: one pass of 22 trials and 69 epochs). */
  first = hs_test_daemon_start_search_on (d, "small", "crash-grid", "hyperband", SETTINGS);
  straight = hs_test_daemon_wait_search (d, first, "done", 600);
  straight_trials = export_trials (d, first, &straight_export);
  g_assert_cmpuint (json_array_get_length (straight_trials), ==, 22);

  /* The same search, killed twice inside a trial. */
  second = hs_test_daemon_start_search_on (d, "small", "crash-grid", "hyperband", SETTINGS);
  while (kills < 2)
    {
      g_autoptr(JsonNode) before_export = NULL, after_export = NULL, s = NULL;
      g_autofree char *path = g_strdup_printf ("/api/v1/searches/%" G_GINT64_FORMAT, second);
      JsonArray *before, *after;
      guint trial, done, status, first_epoch, n_epochs;
      gint64 from, to, last;

      s = hs_test_daemon_request (d, "GET", path, NULL, &status);
      g_assert_cmpstr (hs_json_string (s, "state"), !=, "done");
      if (hs_json_int (s, "n_done") < 2 + 6 * (kills % 2) || !find_trial_mid_way (d, second, &trial, &done))
        {
          g_usleep (5 * 1000);
          continue;
        }
      before = export_trials (d, second, &before_export);
      last = last_event_id (d, second);
      hs_test_daemon_kill (d);
      kills++;
      /* The socket a dead daemon left is taken over. */
      g_assert_true (g_file_test (d->socket_path, G_FILE_TEST_EXISTS));
      hs_test_daemon_start (d);

      /* What was finished before the kill comes back unchanged. */
      after = export_trials (d, second, &after_export);
      for (guint i = 0; i < json_array_get_length (before); i++)
        {
          JsonObject *x = json_array_get_object_element (before, i);
          JsonObject *y = json_array_get_object_element (after, i);

          if (!g_str_equal (json_object_get_string_member (x, "state"), "done"))
            continue;
          g_assert_cmpstr (json_object_get_string_member (y, "state"), ==, "done");
          g_assert_cmpint (json_object_get_int_member (x, "finished"), ==,
                           json_object_get_int_member (y, "finished"));
        }

      /* The interrupted trial goes on from its checkpoint: after the restart
       * it reports only the epochs it had not finished (at least those past
       * the `done` seen before the kill). */
      g_clear_pointer (&s, json_node_unref);
      s = hs_test_daemon_wait_search (d, second, "done", 600);
      from = json_object_get_int_member (json_array_get_object_element (after, trial),
                                         "from_epoch");
      to = json_object_get_int_member (json_array_get_object_element (after, trial), "to_epoch");
      n_epochs = epochs_reported_after (d, second, trial, last, &first_epoch);
      g_test_message ("kill %u: search %" G_GINT64_FORMAT ", trial %u (epochs %" G_GINT64_FORMAT
                      "–%" G_GINT64_FORMAT ") had %u epochs done; after the restart it reported "
                      "%u from epoch %u", kills, second, trial, from + 1, to, done, n_epochs,
                      first_epoch);
      g_assert_cmpuint (n_epochs, >=, 1);
      g_assert_cmpuint (first_epoch, >, from + done);
      g_assert_cmpuint (n_epochs, <=, to - from - done);

      /* Each trial recorded once, and the results those of the search
       * that ran straight through. */
      g_assert_cmpint (hs_json_int (s, "n_trials"), ==, 22);
      g_assert_cmpint (hs_json_int (s, "n_done"), ==, 22);
      g_assert_cmpint (hs_json_int (s, "epochs_spent"), ==,
                       hs_json_int (straight, "epochs_spent"));
      g_clear_pointer (&crashed_export, json_node_unref);
      crashed_trials = export_trials (d, second, &crashed_export);
      assert_same_trials (straight_trials, crashed_trials);

      /* Again, on a fresh copy of the same search. */
      if (kills < 2)
        second = hs_test_daemon_start_search_on (d, "small", "crash-grid", "hyperband",
                                                 SETTINGS);
    }
}

static void
test_single_instance_and_stop (void)
{
  g_autoptr(HsTestDaemon) d = hs_test_daemon_new ();
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) running = NULL, paused_back = NULL;
  g_autofree char *path = NULL;
  gint64 id;

  second = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                             &error, g_getenv ("HS_DAEMON"), "--socket", d->socket_path, "--db",
                             d->db_path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (second, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (second));
  g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 1);
  /* The socket is its owner's alone, in a folder of its own. */
  {
    GStatBuf st;
    g_autofree char *dir = g_path_get_dirname (d->socket_path);

    g_assert_cmpint (g_stat (d->socket_path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    g_assert_cmpint (g_stat (dir, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  }
  g_assert_nonnull (strstr (err, "another hyperstard answers"));

  /* SIGTERM while a trial runs: exit 0, socket gone, the search still
   * "running" (it goes on at the next start) with nothing running. */
  id = hs_test_daemon_start_search (d, "random", "{\"budget_epochs\": 60, \"max_epochs\": 20}");
  running = hs_test_daemon_wait_search (d, id, "running", 60);
  g_assert_cmpint (hs_test_daemon_stop (d), ==, 0);
  g_assert_false (g_file_test (d->socket_path, G_FILE_TEST_EXISTS));
  hs_test_daemon_start (d);
  path = g_strdup_printf ("/api/v1/searches/%" G_GINT64_FORMAT "/cancel", id);
  {
    guint status;
    g_autoptr(JsonNode) reply = hs_test_daemon_request (d, "POST", path, NULL, &status);
    g_assert_cmpuint (status, ==, 200);
  }
  paused_back = hs_test_daemon_wait_search (d, id, "cancelled", 60);
  g_assert_cmpint (hs_json_int (paused_back, "n_running"), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (!hs_test_daemon_available ())
    {
      g_test_skip ("HS_DAEMON is not set or hershey-fonts-data is missing");
      return g_test_run ();
    }
  g_test_add_func ("/server/single-instance-and-stop", test_single_instance_and_stop);
  g_test_add_func ("/server/kill-and-restart", test_kill_and_restart);
  return g_test_run ();
}
