/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real hyperstard for tests (see hs-test-daemon.h).
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>

#include "hs-test-cli.h"
#include "hs-test-daemon.h"

/* A task of Hershey characters, 18 fonts each. */
static void
write_task (const char *dir, const char *name, const char *classes)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.task", dir, name);
  g_autofree char *text = g_strdup_printf (
    "[Task]\nfamily=test\ndescription=Hershey characters %s\npackages=hershey-fonts-data\n"
    "licence=Hershey font licence\nbuilder=hershey\nmin-per-class=10\n\n"
    "[Source]\nroot=/usr/share/hershey-fonts\n"
    "fonts=futural;futuram;rowmand;rowmans;rowmant;timesr;timesi;timesib;"
    "timesrb;scripts;scriptc;cursive;gothiceng;gothicger;gothicita;gothgbt;"
    "gothgrt;gothitt\nclasses=%s\n", classes, classes);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

gboolean
hs_test_daemon_available (void)
{
  const char *daemon = g_getenv ("HS_DAEMON");

  return daemon != NULL && g_file_test (daemon, G_FILE_TEST_IS_EXECUTABLE) &&
         g_file_test ("/usr/share/hershey-fonts/futural.jhf", G_FILE_TEST_IS_REGULAR);
}

static gboolean
answers (HsTestDaemon *d)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", "http://localhost/api/v1/health");
  g_autoptr(GBytes) bytes = soup_session_send_and_read (d->session, msg, NULL, NULL);

  return bytes != NULL && soup_message_get_status (msg) == SOUP_STATUS_OK;
}

/* A test that fails aborts: its daemon must not outlive it. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

void
hs_test_daemon_start (HsTestDaemon *d)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autofree char *data = g_build_filename (d->dir, "data", NULL);
  g_autofree char *cache = g_build_filename (d->dir, "cache", NULL);
  g_autofree char *tasks = g_build_filename (d->dir, "tasks", NULL);
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  g_subprocess_launcher_setenv (launcher, "HS_DATA_DIR", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "HS_CACHE_DIR", cache, TRUE);
  g_subprocess_launcher_setenv (launcher, "HS_TASKS_DIR", tasks, TRUE);
  g_subprocess_launcher_setenv (launcher, "HS_DEVICE", "cpu", TRUE);
  g_subprocess_launcher_setenv (launcher, "OMP_NUM_THREADS", "1", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "HS_SOCKET");
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  d->process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("HS_DAEMON"),
                                            "--socket", d->socket_path, "--db", d->db_path,
                                            NULL);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  while (!answers (d))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_assert_nonnull (g_subprocess_get_identifier (d->process));  /* still alive */
      g_usleep (20 * 1000);
    }
}

HsTestDaemon *
hs_test_daemon_new (void)
{
  HsTestDaemon *d = g_new0 (HsTestDaemon, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *tasks = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  d->dir = g_dir_make_tmp ("hs-server-XXXXXX", &error);
  g_assert_no_error (error);
  tasks = g_build_filename (d->dir, "tasks", NULL);
  write_task (tasks, "tiny", "A;B;C");
  write_task (tasks, "small", "A;B;C;D;E;F;G;H;J;K");
  d->socket_path = g_build_filename (d->dir, "run", "hyperstard.sock", NULL);
  d->db_path = g_build_filename (d->dir, "store", "hyperstard.db", NULL);
  address = g_unix_socket_address_new (d->socket_path);
  d->session = soup_session_new_with_options ("remote-connectable", address, "timeout", 60,
                                              NULL);
  hs_test_daemon_start (d);
  return d;
}

void
hs_test_daemon_kill (HsTestDaemon *d)
{
  g_assert_nonnull (d->process);
  g_subprocess_send_signal (d->process, SIGKILL);
  g_subprocess_wait (d->process, NULL, NULL);
  g_clear_object (&d->process);
  /* The next request must not reuse a connection to the dead one. */
  soup_session_abort (d->session);
}

int
hs_test_daemon_stop (HsTestDaemon *d)
{
  int status;

  g_assert_nonnull (d->process);
  g_subprocess_send_signal (d->process, SIGTERM);
  g_subprocess_wait (d->process, NULL, NULL);
  status = g_subprocess_get_if_exited (d->process) ? g_subprocess_get_exit_status (d->process)
                                                   : 128 + g_subprocess_get_term_sig (d->process);
  g_clear_object (&d->process);
  soup_session_abort (d->session);
  return status;
}

void
hs_test_daemon_free (HsTestDaemon *d)
{
  if (d == NULL)
    return;
  if (d->process != NULL)
    hs_test_daemon_stop (d);
  g_clear_object (&d->session);
  if (g_getenv ("HS_TEST_KEEP") == NULL)
    hs_test_remove_tree (d->dir);
  else
    g_test_message ("kept %s", d->dir);
  g_free (d->dir);
  g_free (d->socket_path);
  g_free (d->db_path);
  g_free (d);
}

GBytes *
hs_test_daemon_request_raw (HsTestDaemon *d, const char *method, const char *path,
                            const char *content_type, GBytes *body, guint *status)
{
  g_autofree char *uri = g_strconcat ("http://localhost", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  GBytes *reply;

  g_assert_nonnull (msg);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  reply = soup_session_send_and_read (d->session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return reply;
}

JsonNode *
hs_test_daemon_request (HsTestDaemon *d, const char *method, const char *path, const char *body,
                        guint *status)
{
  g_autoptr(GBytes) in = body ? g_bytes_new (body, strlen (body)) : NULL;
  g_autoptr(GBytes) out = hs_test_daemon_request_raw (d, method, path, "application/json", in,
                                                      status);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (out, &len);

  if (len == 0)
    return NULL;
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

gint64
hs_json_int (JsonNode *node, const char *member)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_true (json_object_has_member (json_node_get_object (node), member));
  return json_object_get_int_member (json_node_get_object (node), member);
}

const char *
hs_json_string (JsonNode *node, const char *member)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_true (json_object_has_member (json_node_get_object (node), member));
  return json_object_get_string_member (json_node_get_object (node), member);
}

JsonNode *
hs_test_daemon_wait_search (HsTestDaemon *d, gint64 id, const char *states, guint timeout_s)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/searches/%" G_GINT64_FORMAT, id);
  g_auto(GStrv) wanted = g_strsplit (states, "|", -1);
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;

  for (;;)
    {
      guint status;
      JsonNode *search = hs_test_daemon_request (d, "GET", path, NULL, &status);

      g_assert_cmpuint (status, ==, 200);
      if (g_strv_contains ((const char *const *) wanted, hs_json_string (search, "state")))
        return search;
      if (g_get_monotonic_time () > deadline)
        g_error ("search %" G_GINT64_FORMAT " still %s after %u s (wanted %s)", id,
                 hs_json_string (search, "state"), timeout_s, states);
      json_node_unref (search);
      g_usleep (100 * 1000);
    }
}

gint64
hs_test_daemon_start_search (HsTestDaemon *d, const char *method, const char *settings_json)
{
  return hs_test_daemon_start_search_on (d, "tiny", "test-grid", method, settings_json);
}

gint64
hs_test_daemon_start_search_on (HsTestDaemon *d, const char *dataset, const char *space_name,
                                const char *method, const char *settings_json)
{
  g_autofree char *body = g_strdup_printf ("{\"dataset\": \"%s\", \"space\": \"%s\", "
                                           "\"method\": \"%s\", \"settings\": %s}", dataset,
                                           space_name, method, settings_json);
  g_autofree char *space_path = g_strdup_printf ("/api/v1/spaces/%s", space_name);
  g_autoptr(JsonNode) space = NULL;
  g_autoptr(JsonNode) search = NULL;
  guint status;

  /* test-grid: real configurations, the head only (fast); crash-grid:
   * the whole network (slower epochs, so that a kill lands mid-trial). */
  space = hs_test_daemon_request (d, "GET", space_path, NULL, &status);
  if (status == 404 && g_str_equal (space_name, "crash-grid"))
    {
      g_clear_pointer (&space, json_node_unref);
      space = hs_test_daemon_request (d, "POST", "/api/v1/spaces",
        "{\"name\": \"crash-grid\", \"definition\": {\"grid\": {"
        "\"a\": {\"lr\": 0.01, \"finetune\": \"all\", \"augment\": \"strong\"},"
        "\"b\": {\"lr\": 0.03, \"finetune\": \"all\", \"augment\": \"strong\"},"
        "\"c\": {\"lr\": 0.1, \"finetune\": \"all\", \"augment\": \"strong\"}}}}", &status);
      g_assert_cmpuint (status, ==, 201);
    }
  else if (status == 404)
    {
      g_clear_pointer (&space, json_node_unref);
      space = hs_test_daemon_request (d, "POST", "/api/v1/spaces",
        "{\"name\": \"test-grid\", \"definition\": {\"grid\": {"
        "\"a\": {\"lr\": 0.01, \"finetune\": \"head\", \"augment\": \"none\"},"
        "\"b\": {\"lr\": 0.1, \"finetune\": \"head\", \"augment\": \"none\"},"
        "\"c\": {\"lr\": 0.001, \"optimizer\": \"adam\", \"finetune\": \"head\", \"augment\": \"none\"},"
        "\"d\": {\"lr\": 0.003, \"optimizer\": \"adam\", \"finetune\": \"head\", \"augment\": \"none\"},"
        "\"e\": {\"lr\": 0.03, \"finetune\": \"head\", \"augment\": \"none\"}}}}", &status);
      g_assert_cmpuint (status, ==, 201);
    }
  search = hs_test_daemon_request (d, "POST", "/api/v1/searches", body, &status);
  if (status != 201)
    g_error ("POST /searches: %u %s", status, json_to_string (search, FALSE));
  return hs_json_int (search, "id");
}

void
hs_test_daemon_assert_error (HsTestDaemon *d, const char *method, const char *path,
                             const char *body, guint want_status, const char *needle)
{
  guint status;
  g_autoptr(JsonNode) reply = hs_test_daemon_request (d, method, path, body, &status);

  if (status != want_status)
    g_error ("%s %s %s: status %u, wanted %u (%s)", method, path, body ? body : "", status,
             want_status, reply ? json_to_string (reply, FALSE) : "no body");
  g_assert_nonnull (reply);
  g_assert_nonnull (hs_json_string (reply, "error"));
  if (needle != NULL && strstr (hs_json_string (reply, "message"), needle) == NULL)
    g_error ("%s %s: message “%s” does not mention “%s”", method, path,
             hs_json_string (reply, "message"), needle);
}
