/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API's contract, against a real hyperstard on a temporary socket:
 * routes, status codes, error bodies naming the field, and a daemon that
 * still answers after a flood of broken requests.
 */
#include "hs-test-daemon.h"

static HsTestDaemon *daemon_;

/* The error reply of a request: its status and that "message" mentions
 * `needle`. */
static void
assert_error (const char *method, const char *path, const char *body, guint want_status,
              const char *needle)
{
  hs_test_daemon_assert_error (daemon_, method, path, body, want_status, needle);
}

static void
test_health (void)
{
  guint status;
  g_autoptr(JsonNode) health = hs_test_daemon_request (daemon_, "GET", "/api/v1/health", NULL,
                                                       &status);

  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (hs_json_string (health, "status"), ==, "ok");
  g_assert_cmpstr (hs_json_string (health, "version"), ==, HS_VERSION);
  g_assert_cmpint (hs_json_int (health, "workers"), ==, 1);
  assert_error ("POST", "/api/v1/health", "{}", 405, NULL);
  assert_error ("GET", "/api/v1/nothing", NULL, 404, "/api/v1/nothing");
  assert_error ("GET", "/elsewhere", NULL, 404, "/api/v1");
}

static void
test_devices (void)
{
  guint status;
  g_autoptr(JsonNode) reply = hs_test_daemon_request (daemon_, "GET", "/api/v1/devices", NULL,
                                                      &status);
  JsonArray *devices;

  g_assert_cmpuint (status, ==, 200);
  devices = json_object_get_array_member (json_node_get_object (reply), "devices");
  g_assert_cmpuint (json_array_get_length (devices), >=, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (devices, 0),
                                                  "backend"), ==, "cpu");
}

static void
test_datasets (void)
{
  guint status;
  g_autoptr(JsonNode) list = hs_test_daemon_request (daemon_, "GET", "/api/v1/datasets", NULL,
                                                     &status);
  g_autoptr(JsonNode) tiny = NULL;
  JsonArray *datasets;
  gboolean found = FALSE;

  g_assert_cmpuint (status, ==, 200);
  datasets = json_object_get_array_member (json_node_get_object (list), "datasets");
  for (guint i = 0; i < json_array_get_length (datasets); i++)
    {
      JsonObject *o = json_array_get_object_element (datasets, i);
      if (g_str_equal (json_object_get_string_member (o, "name"), "tiny"))
        {
          found = TRUE;
          g_assert_cmpstr (json_object_get_string_member (o, "source"), ==, "builtin");
          g_assert_cmpstr (json_object_get_string_member (o, "family"), ==, "test");
        }
    }
  g_assert_true (found);
  tiny = hs_test_daemon_request (daemon_, "GET", "/api/v1/datasets/tiny", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (hs_json_string (tiny, "name"), ==, "tiny");
  assert_error ("GET", "/api/v1/datasets/nope", NULL, 404, "nope");
  assert_error ("DELETE", "/api/v1/datasets/tiny", NULL, 404, "built-in");
  assert_error ("POST", "/api/v1/datasets", "{\"name\": \"x\"}", 400, "path");
  assert_error ("POST", "/api/v1/datasets", "{\"name\": \"x\", \"path\": \"/no/such/folder\"}",
                400, "/no/such/folder");
  assert_error ("POST", "/api/v1/datasets", "{\"name\": \"../x\", \"path\": \"/tmp\"}", 400,
                "name");
}

static void
test_spaces (void)
{
  guint status;
  g_autoptr(JsonNode) list = hs_test_daemon_request (daemon_, "GET", "/api/v1/spaces", NULL,
                                                     &status);
  g_autoptr(JsonNode) grid = NULL, added = NULL, by_id = NULL;
  g_autofree char *path = NULL;
  JsonArray *spaces;
  gboolean shipped = FALSE;

  g_assert_cmpuint (status, ==, 200);
  spaces = json_object_get_array_member (json_node_get_object (list), "spaces");
  for (guint i = 0; i < json_array_get_length (spaces); i++)
    {
      JsonObject *o = json_array_get_object_element (spaces, i);
      if (g_str_equal (json_object_get_string_member (o, "name"), "paper-grid"))
        {
          shipped = TRUE;
          g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "grid");
          g_assert_cmpint (json_object_get_int_member (o, "size"), ==, 54);
        }
    }
  g_assert_true (shipped);
  grid = hs_test_daemon_request (daemon_, "GET", "/api/v1/spaces/paper-grid", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_object_has_member (json_node_get_object (grid), "definition"));

  added = hs_test_daemon_request (daemon_, "POST", "/api/v1/spaces",
                                  "{\"name\": \"lr-only\", \"definition\": {\"dimensions\": ["
                                  "{\"name\": \"lr\", \"type\": \"float\", \"min\": 0.0001, "
                                  "\"max\": 0.1, \"log\": true}]}}", &status);
  g_assert_cmpuint (status, ==, 201);
  path = g_strdup_printf ("/api/v1/spaces/%" G_GINT64_FORMAT, hs_json_int (added, "id"));
  by_id = hs_test_daemon_request (daemon_, "GET", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (hs_json_string (by_id, "name"), ==, "lr-only");

  assert_error ("POST", "/api/v1/spaces", "{\"name\": \"lr-only\", \"definition\": {\"grid\": "
                "{\"a\": {\"lr\": 0.1}}}}", 409, "lr-only");
  assert_error ("POST", "/api/v1/spaces", "{\"name\": \"bad\", \"definition\": {\"dimensions\": "
                "[{\"name\": \"lr\", \"type\": \"float\", \"min\": \"low\", \"max\": 1}]}}",
                400, "min");
  assert_error ("POST", "/api/v1/spaces", "{\"name\": \"bad\"}", 400, "definition");
  assert_error ("POST", "/api/v1/spaces", "{\"name\": \"bad\", \"definition\": {}, \"x\": 1}",
                400, "“x”");
  assert_error ("GET", "/api/v1/spaces/9999", NULL, 404, NULL);
  assert_error ("GET", "/api/v1/spaces/no-such-space", NULL, 404, NULL);
}

static void
test_search_refusals (void)
{
  const char *const path = "/api/v1/searches";

  assert_error ("POST", path, "{\"dataset\": \"tiny\", \"space\": \"paper-grid\", \"method\": "
                "\"hyperband\", \"settings\": {\"budget_epochs\": 0}}", 400, "budget_epochs");
  assert_error ("POST", path, "{\"dataset\": \"tiny\", \"space\": \"paper-grid\", \"method\": "
                "\"hyperband\", \"settings\": {\"budget_epochs\": -5}}", 400, "budget_epochs");
  assert_error ("POST", path, "{\"dataset\": \"tiny\", \"space\": \"paper-grid\", \"method\": "
                "\"hyperband\", \"settings\": {}}", 400, "budget_epochs");
  assert_error ("POST", path, "{\"dataset\": \"tiny\", \"space\": \"paper-grid\", \"method\": "
                "\"hyperband\", \"settings\": {\"budget_epochs\": 9, \"eta\": 1}}", 400, "eta");
  assert_error ("POST", path, "{\"dataset\": \"tiny\", \"space\": \"paper-grid\", \"method\": "
                "\"hyperband\", \"settings\": {\"budget_epochs\": 9, \"max_epochs\": \"9\"}}",
                400, "max_epochs");
  assert_error ("POST", path, "{\"dataset\": \"tiny\", \"space\": \"paper-grid\", \"method\": "
                "\"hyperband\", \"settings\": {\"budget_epochs\": 9, \"speed\": 2}}", 400,
                "speed");
  assert_error ("POST", path, "{\"dataset\": \"tiny\", \"space\": \"paper-grid\", \"method\": "
                "\"annealing\", \"settings\": {\"budget_epochs\": 9}}", 400, "annealing");
  assert_error ("POST", path, "{\"dataset\": \"nope\", \"space\": \"paper-grid\", \"method\": "
                "\"hyperband\", \"settings\": {\"budget_epochs\": 9}}", 404, "nope");
  assert_error ("POST", path, "{\"dataset\": \"tiny\", \"space\": \"no-space\", \"method\": "
                "\"hyperband\", \"settings\": {\"budget_epochs\": 9}}", 404, "no-space");
  assert_error ("POST", path, "{\"dataset\": 3, \"space\": \"paper-grid\", \"method\": "
                "\"hyperband\", \"settings\": {\"budget_epochs\": 9}}", 400, "dataset");
  assert_error ("POST", path, "{\"dataset\": \"tiny\", \"space\": \"paper-grid\", \"method\": "
                "\"hyperband\", \"settings\": {\"budget_epochs\": 9}, \"colour\": 1}", 400,
                "colour");
  assert_error ("GET", "/api/v1/searches/424242", NULL, 404, "424242");
  assert_error ("GET", "/api/v1/searches/abc", NULL, 404, "abc");
  assert_error ("POST", "/api/v1/searches/424242/pause", NULL, 404, NULL);
  assert_error ("GET", "/api/v1/searches?limit=abc", NULL, 400, "limit");
}

/* The trials' and events' pages: limit 0 (only the page's frame), paging
 * on with offset and after, and the paging values' range errors. */
static void
assert_pages (gint64 id, gint64 n_trials)
{
  g_autofree char *base = g_strdup_printf ("/api/v1/searches/%" G_GINT64_FORMAT, id);
  g_autofree char *trials0 = g_strconcat (base, "/trials?limit=0", NULL);
  g_autofree char *trials_end = g_strdup_printf ("%s/trials?offset=%" G_GINT64_FORMAT, base,
                                                 n_trials);
  g_autofree char *events0 = g_strconcat (base, "/events?limit=0", NULL);
  g_autofree char *events2 = g_strconcat (base, "/events?after=0&limit=2", NULL);
  g_autofree char *events_next = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(GString) text = NULL;
  JsonArray *events;
  gint64 second;
  guint status;

  page = hs_test_daemon_request (daemon_, "GET", trials0, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  text = g_string_new (NULL);
  g_string_printf (text, "{\"total\":%" G_GINT64_FORMAT ",\"offset\":0,\"trials\":[]}",
                   n_trials);
  {
    g_autofree char *got = json_to_string (page, FALSE);
    g_assert_cmpstr (got, ==, text->str);
  }
  g_clear_pointer (&page, json_node_unref);
  page = hs_test_daemon_request (daemon_, "GET", trials_end, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (hs_json_int (page, "offset"), ==, n_trials);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (page), "trials")), ==, 0);
  g_clear_pointer (&page, json_node_unref);

  page = hs_test_daemon_request (daemon_, "GET", events0, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  {
    g_autofree char *got = json_to_string (page, FALSE);
    g_assert_cmpstr (got, ==, "{\"events\":[]}");
  }
  g_clear_pointer (&page, json_node_unref);
  page = hs_test_daemon_request (daemon_, "GET", events2, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  events = json_object_get_array_member (json_node_get_object (page), "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 2);
  second = json_object_get_int_member (json_array_get_object_element (events, 1), "id");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (events, 0), "id"),
                   <, second);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (events, 0),
                                               "search_id"), ==, id);
  /* Paging on: the next page starts after the last id seen. */
  events_next = g_strdup_printf ("%s/events?after=%" G_GINT64_FORMAT "&limit=1", base, second);
  g_clear_pointer (&page, json_node_unref);
  page = hs_test_daemon_request (daemon_, "GET", events_next, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  events = json_object_get_array_member (json_node_get_object (page), "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (events, 0), "id"),
                   >, second);

  {
    static const struct {
      const char *query, *message;
    } errors[] = {
      { "/trials?limit=1001",
        "query parameter “limit” must be a whole number from 0 to 1000 (got “1001”)" },
      { "/trials?offset=-1",
        "query parameter “offset” must be a whole number from 0 to 4294967295 (got “-1”)" },
      { "/events?limit=abc",
        "query parameter “limit” must be a whole number from 0 to 1000 (got “abc”)" },
      { "/events?after=-1",
        "query parameter “after” must be a whole number from 0 to 9223372036854775807 "
        "(got “-1”)" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
      {
        g_autofree char *path = g_strconcat (base, errors[i].query, NULL);
        g_autoptr(JsonNode) reply = hs_test_daemon_request (daemon_, "GET", path, NULL, &status);

        g_assert_cmpuint (status, ==, 400);
        g_assert_cmpstr (hs_json_string (reply, "error"), ==, "invalid");
        g_assert_cmpstr (hs_json_string (reply, "message"), ==, errors[i].message);
      }
  }
}

/* A whole small search, with the trials' pages, the exports, and the
 * state changes that are refused once it is over. */
static void
test_search_lifecycle (void)
{
  gint64 id = hs_test_daemon_start_search (daemon_, "hyperband",
                                           "{\"budget_epochs\": 11, \"max_epochs\": 3, \"eta\": 3}");
  g_autoptr(JsonNode) done = hs_test_daemon_wait_search (daemon_, id, "done|failed", 300);
  g_autofree char *trials_path = g_strdup_printf ("/api/v1/searches/%" G_GINT64_FORMAT
                                                  "/trials?offset=1&limit=2", id);
  g_autofree char *csv_path = g_strdup_printf ("/api/v1/searches/%" G_GINT64_FORMAT
                                               "/export?format=csv", id);
  g_autofree char *json_path = g_strdup_printf ("/api/v1/searches/%" G_GINT64_FORMAT
                                                "/export?format=json", id);
  g_autofree char *cancel_path = g_strdup_printf ("/api/v1/searches/%" G_GINT64_FORMAT
                                                  "/cancel", id);
  g_autoptr(JsonNode) page = NULL, exported = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_auto(GStrv) lines = NULL;
  JsonArray *trials;
  guint status;
  gint64 n_trials;

  g_assert_cmpstr (hs_json_string (done, "state"), ==, "done");
  n_trials = hs_json_int (done, "n_trials");
  /* R = 3, η = 3 (Li et al.): bracket s = 1 trains 3 configurations for 1
   * epoch and continues the best to 3; bracket s = 0 trains 2 for 3 epochs:
   * 11 epochs, the whole budget (a second pass would go past it). */
  g_assert_cmpint (n_trials, ==, 3 + 1 + 2);
  g_assert_cmpint (hs_json_int (done, "n_done"), ==, n_trials);
  g_assert_cmpint (hs_json_int (done, "epochs_spent"), ==, 3 + 2 + 6);
  g_assert_true (json_object_get_double_member (json_node_get_object (done), "best_val_acc") > 0);

  page = hs_test_daemon_request (daemon_, "GET", trials_path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (hs_json_int (page, "total"), ==, n_trials);
  trials = json_object_get_array_member (json_node_get_object (page), "trials");
  g_assert_cmpuint (json_array_get_length (trials), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (trials, 0), "id"),
                   ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (trials, 0),
                                                  "state"), ==, "done");
  assert_pages (id, n_trials);

  exported = hs_test_daemon_request (daemon_, "GET", json_path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (exported), "trials")), ==, (guint) n_trials);

  csv = hs_test_daemon_request_raw (daemon_, "GET", csv_path, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  lines = g_strsplit (g_bytes_get_data (csv, NULL), "\r\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "search,trial,config_id,config,"));
  g_assert_cmpuint (g_strv_length (lines), ==, (guint) n_trials + 2);  /* header, rows, "" */

  /* The task's counts are known once a trial has loaded it. */
  {
    g_autoptr(JsonNode) tiny = hs_test_daemon_request (daemon_, "GET", "/api/v1/datasets/tiny",
                                                       NULL, &status);
    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpint (hs_json_int (tiny, "classes"), ==, 3);
    g_assert_cmpint (hs_json_int (tiny, "images"), >=, 30);
    g_assert_true (json_object_get_boolean_member (json_node_get_object (tiny), "built"));
  }
  assert_error ("POST", cancel_path, NULL, 409, "done");
  assert_error ("GET", "/api/v1/searches/1/export?format=xml", NULL, 400, "format");
}

static void
test_pause_resume_cancel (void)
{
  gint64 id = hs_test_daemon_start_search (daemon_, "random",
                                           "{\"budget_epochs\": 200, \"max_epochs\": 20}");
  g_autofree char *base = g_strdup_printf ("/api/v1/searches/%" G_GINT64_FORMAT, id);
  g_autofree char *pause = g_strconcat (base, "/pause", NULL);
  g_autofree char *resume = g_strconcat (base, "/resume", NULL);
  g_autofree char *cancel = g_strconcat (base, "/cancel", NULL);
  g_autoptr(JsonNode) running = hs_test_daemon_wait_search (daemon_, id, "running", 60);
  g_autoptr(JsonNode) paused = NULL, resumed = NULL, cancelled = NULL, reply = NULL;
  guint status;

  reply = hs_test_daemon_request (daemon_, "POST", pause, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  paused = hs_test_daemon_wait_search (daemon_, id, "paused", 60);
  g_assert_cmpint (hs_json_int (paused, "n_running"), ==, 0);
  g_clear_pointer (&reply, json_node_unref);
  reply = hs_test_daemon_request (daemon_, "POST", resume, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  resumed = hs_test_daemon_wait_search (daemon_, id, "running", 60);
  g_clear_pointer (&reply, json_node_unref);
  reply = hs_test_daemon_request (daemon_, "POST", cancel, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  cancelled = hs_test_daemon_wait_search (daemon_, id, "cancelled", 60);
  g_assert_cmpint (hs_json_int (cancelled, "n_running"), ==, 0);
  assert_error ("POST", resume, NULL, 409, "cancelled");
  assert_error ("POST", pause, NULL, 409, "cancelled");
}

/* Many broken requests; the daemon answers each with a 4xx and lives. */
static void
test_malformed (void)
{
  const char *const bodies[] = {
    "", "{", "}", "[]", "null", "42", "\"text\"", "{\"dataset\":", "{\"dataset\": tiny}",
    "{'dataset': 'tiny'}", "{\"dataset\": \"tiny\",}", "\xff\xfe\xfd", "{\"a\": [1, 2, {]}",
    "{\"dataset\": \"tiny\", \"space\": {}, \"method\": [], \"settings\": 3}",
    "{\"dataset\": \"tiny\", \"space\": \"paper-grid\", \"method\": \"random\", "
    "\"settings\": {\"budget_epochs\": 1e400}}",
    "{\"dataset\": \"tiny\", \"space\": \"paper-grid\", \"method\": \"random\", "
    "\"settings\": {\"budget_epochs\": 2.5}}",
    "{\"dataset\": \"tiny\", \"space\": \"paper-grid\", \"method\": \"random\", "
    "\"settings\": {\"budget_epochs\": 10, \"seed\": -1}}",
    "{\"dataset\": \"tiny\", \"space\": -3, \"method\": \"random\", "
    "\"settings\": {\"budget_epochs\": 10}}",
    "{\"dataset\": \"tiny\", \"space\": \"paper-grid\", \"method\": \"random\", "
    "\"settings\": {\"budget_epochs\": 10}, \"priority\": 99999}",
  };
  const char *const paths[] = { "/api/v1/searches", "/api/v1/spaces", "/api/v1/datasets" };
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GBytes) big = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonNode) health = NULL;
  char *huge;
  guint status;

  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
      {
        g_autoptr(GBytes) body = g_bytes_new_static (bodies[i], strlen (bodies[i]));
        g_autoptr(GBytes) out = hs_test_daemon_request_raw (daemon_, "POST", paths[p],
                                                            "application/json", body, &status);
        if (status < 400 || status >= 500)
          g_error ("POST %s “%s”: status %u (%.*s)", paths[p], bodies[i], status,
                   (int) g_bytes_get_size (out), (const char *) g_bytes_get_data (out, NULL));
      }
  /* Nested 10,000 deep. */
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (deep, '[');
  {
    g_autoptr(GBytes) body = g_bytes_new (deep->str, deep->len);
    g_autoptr(GBytes) out = hs_test_daemon_request_raw (daemon_, "POST", "/api/v1/searches",
                                                        "application/json", body, &status);
    g_assert_cmpuint (status, ==, 400);
  }
  /* Over the size limit: refused, not read into memory. */
  huge = g_malloc (4 * 1024 * 1024);
  memset (huge, ' ', 4 * 1024 * 1024);
  big = g_bytes_new_take (huge, 4 * 1024 * 1024);
  reply = hs_test_daemon_request_raw (daemon_, "POST", "/api/v1/searches", "application/json",
                                      big, &status);
  g_assert_cmpuint (status, ==, 413);

  health = hs_test_daemon_request (daemon_, "GET", "/api/v1/health", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (g_subprocess_get_identifier (daemon_->process));
}

/* The event stream: a client sees a search's state changes and its
 * trials' epochs as they happen. */
typedef struct {
  GMainLoop *loop;
  SoupWebsocketConnection *connection;
  GPtrArray *types;
  gint64 search_id;
  gboolean finished;
} Stream;

static void
on_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  Stream *s = data;
  g_autoptr(GError) error = NULL;

  s->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  g_main_loop_quit (s->loop);
}

static void
on_message (SoupWebsocketConnection *connection, gint type, GBytes *message, gpointer data)
{
  Stream *s = data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *event;

  json_parser_load_from_data (parser, g_bytes_get_data (message, NULL), -1, &error);
  g_assert_no_error (error);
  event = json_node_get_object (json_parser_get_root (parser));
  if (json_object_get_int_member (event, "search_id") != s->search_id)
    return;
  g_ptr_array_add (s->types, g_strdup (json_object_get_string_member (event, "type")));
  if (g_str_equal (json_object_get_string_member (event, "type"), "search-state") &&
      g_str_equal (json_object_get_string_member (json_object_get_object_member (event, "data"),
                                                  "state"), "done"))
    {
      s->finished = TRUE;
      g_main_loop_quit (s->loop);
    }
}

static gboolean
on_timeout (gpointer data)
{
  g_error ("no search-state “done” event within the time limit");
  return G_SOURCE_REMOVE;
}

static void
test_events (void)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", "ws://localhost/api/v1/events");
  Stream s = { g_main_loop_new (NULL, FALSE), NULL, g_ptr_array_new_with_free_func (g_free), 0 };
  guint timeout;

  soup_session_websocket_connect_async (daemon_->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, on_connected, &s);
  g_main_loop_run (s.loop);
  s.search_id = -1;
  g_signal_connect (s.connection, "message", G_CALLBACK (on_message), &s);
  s.search_id = hs_test_daemon_start_search (daemon_, "successive-halving",
                                             "{\"budget_epochs\": 10, \"max_epochs\": 2, "
                                             "\"eta\": 2, \"n_configs\": 2}");
  timeout = g_timeout_add_seconds (300, on_timeout, NULL);
  g_main_loop_run (s.loop);
  g_source_remove (timeout);

  g_assert_true (s.finished);
  g_assert_true (g_ptr_array_find_with_equal_func (s.types, "trial-started", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (s.types, "trial-epoch", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (s.types, "trial-finished", g_str_equal, NULL));
  soup_websocket_connection_close (s.connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_object_unref (s.connection);
  g_ptr_array_unref (s.types);
  g_main_loop_unref (s.loop);
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  if (!hs_test_daemon_available ())
    {
      g_test_skip ("HS_DAEMON is not set or hershey-fonts-data is missing");
      return g_test_run ();
    }
  daemon_ = hs_test_daemon_new ();
  g_test_add_func ("/server/health", test_health);
  g_test_add_func ("/server/devices", test_devices);
  g_test_add_func ("/server/datasets", test_datasets);
  g_test_add_func ("/server/spaces", test_spaces);
  g_test_add_func ("/server/search-refusals", test_search_refusals);
  g_test_add_func ("/server/search-lifecycle", test_search_lifecycle);
  g_test_add_func ("/server/pause-resume-cancel", test_pause_resume_cancel);
  g_test_add_func ("/server/malformed", test_malformed);
  g_test_add_func ("/server/events", test_events);
  result = g_test_run ();
  hs_test_daemon_free (daemon_);
  return result;
}
