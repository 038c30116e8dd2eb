/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hyperstar-cli search …` as a user runs it, against a real hyperstard:
 * start (with --json giving the new id), watch to the end, list, show,
 * export, pause/resume/cancel, and the errors (no daemon, bad options,
 * the daemon's refusals).
 */
#include <glib/gstdio.h>

#include "hs-test-daemon.h"

static HsTestDaemon *daemon_;

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

/* hyperstar-cli search ARGS… --socket (the test daemon's). */
static Run *
cli (const char *socket_path, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Run *run = g_new0 (Run, 1);
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("HS_CLI"));
  g_ptr_array_add (argv, (gpointer) "search");
  va_start (args, socket_path);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  if (socket_path != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--socket");
      g_ptr_array_add (argv, (gpointer) socket_path);
    }
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("status %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
  return run;
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_start_watch_export (void)
{
  const char *sock = daemon_->socket_path;
  g_autoptr(Run) start = cli (sock, "start", "--dataset", "tiny", "--space", "paper-grid",
                              "--method", "hyperband", "--budget-epochs", "11",
                              "--max-epochs", "3", "--eta", "3", "--json", NULL);
  g_autoptr(JsonNode) started = NULL, shown = NULL;
  g_autoptr(Run) watch = NULL, show = NULL, list = NULL, csv = NULL, out = NULL;
  g_autofree char *id = NULL, *path = NULL, *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (start->status, ==, 0);
  started = parse (start->out);
  g_assert_cmpint (hs_json_int (started, "id"), >, 0);
  g_assert_cmpstr (hs_json_string (started, "method"), ==, "hyperband");
  id = g_strdup_printf ("%" G_GINT64_FORMAT, hs_json_int (started, "id"));

  /* watch follows it to the end and exits 0 for a finished search. */
  watch = cli (sock, "watch", id, NULL);
  g_assert_cmpint (watch->status, ==, 0);
  g_assert_nonnull (strstr (watch->out, "done"));
  g_assert_nonnull (strstr (watch->out, "val acc"));

  show = cli (sock, "show", id, "--json", NULL);
  g_assert_cmpint (show->status, ==, 0);
  shown = parse (show->out);
  g_assert_cmpstr (hs_json_string (shown, "state"), ==, "done");
  g_assert_cmpint (hs_json_int (shown, "n_trials"), ==, 6);

  list = cli (sock, "list", NULL);
  g_assert_cmpint (list->status, ==, 0);
  g_assert_nonnull (strstr (list->out, "hyperband"));

  csv = cli (sock, "export", id, "--format", "csv", NULL);
  g_assert_cmpint (csv->status, ==, 0);
  lines = g_strsplit (csv->out, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "search,trial,config_id"));
  g_assert_cmpuint (g_strv_length (lines), >=, 7);

  path = g_build_filename (daemon_->dir, "export.json", NULL);
  out = cli (sock, "export", id, "--format", "json", "--output", path, NULL);
  g_assert_cmpint (out->status, ==, 0);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  {
    g_autoptr(JsonNode) exported = parse (text);
    JsonArray *trials = json_object_get_array_member (json_node_get_object (exported), "trials");
    g_assert_cmpuint (json_array_get_length (trials), ==, 6);
  }
}

static void
test_controls (void)
{
  const char *sock = daemon_->socket_path;
  g_autoptr(Run) start = cli (sock, "start", "--dataset", "tiny", "--space", "paper-grid",
                              "--method", "random", "--budget-epochs", "400",
                              "--max-epochs", "20", "--json", NULL);
  g_autoptr(JsonNode) started = parse (start->out);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, hs_json_int (started, "id"));
  g_autoptr(Run) pause = NULL, resume = NULL, cancel = NULL, again = NULL, watch = NULL;
  g_autoptr(JsonNode) s = NULL;

  pause = cli (sock, "pause", id, NULL);
  g_assert_cmpint (pause->status, ==, 0);
  s = hs_test_daemon_wait_search (daemon_, hs_json_int (started, "id"), "paused", 60);
  resume = cli (sock, "resume", id, NULL);
  g_assert_cmpint (resume->status, ==, 0);
  cancel = cli (sock, "cancel", id, NULL);
  g_assert_cmpint (cancel->status, ==, 0);
  g_clear_pointer (&s, json_node_unref);
  s = hs_test_daemon_wait_search (daemon_, hs_json_int (started, "id"), "cancelled", 60);
  /* A second cancel is refused with the daemon's reason; watch of a
   * cancelled search ends at once with status 1. */
  again = cli (sock, "cancel", id, NULL);
  g_assert_cmpint (again->status, ==, 1);
  g_assert_nonnull (strstr (again->err, "cancelled"));
  watch = cli (sock, "watch", id, NULL);
  g_assert_cmpint (watch->status, ==, 1);
}

static void
test_errors (void)
{
  const char *sock = daemon_->socket_path;
  g_autofree char *nowhere = g_build_filename (daemon_->dir, "nobody.sock", NULL);
  g_autoptr(Run) no_daemon = cli (nowhere, "list", NULL);
  g_autoptr(Run) no_budget = cli (sock, "start", "--dataset", "tiny", "--space", "paper-grid",
                                  "--method", "hyperband", NULL);
  g_autoptr(Run) bad_method = cli (sock, "start", "--dataset", "tiny", "--space", "paper-grid",
                                   "--method", "annealing", "--budget-epochs", "5", NULL);
  g_autoptr(Run) no_dataset = cli (sock, "start", "--dataset", "nope", "--space", "paper-grid",
                                   "--method", "random", "--budget-epochs", "5", NULL);
  g_autoptr(Run) no_search = cli (sock, "show", "4242", NULL);

  g_assert_cmpint (no_daemon->status, ==, 1);
  g_assert_nonnull (strstr (no_daemon->err, "not running"));
  g_assert_nonnull (strstr (no_daemon->err, nowhere));
  g_assert_cmpint (no_budget->status, ==, 2);
  g_assert_nonnull (strstr (no_budget->err, "--budget-epochs"));
  g_assert_cmpint (bad_method->status, !=, 0);
  g_assert_nonnull (strstr (bad_method->err, "annealing"));
  g_assert_cmpint (no_dataset->status, ==, 1);
  g_assert_nonnull (strstr (no_dataset->err, "nope"));
  g_assert_cmpint (no_search->status, ==, 1);
  g_assert_nonnull (strstr (no_search->err, "4242"));
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  if (!hs_test_daemon_available () || g_getenv ("HS_CLI") == NULL)
    {
      g_test_skip ("HS_DAEMON or HS_CLI is not set, or hershey-fonts-data is missing");
      return g_test_run ();
    }
  daemon_ = hs_test_daemon_new ();
  g_test_add_func ("/cli-search/start-watch-export", test_start_watch_export);
  g_test_add_func ("/cli-search/controls", test_controls);
  g_test_add_func ("/cli-search/errors", test_errors);
  result = g_test_run ();
  hs_test_daemon_free (daemon_);
  return result;
}
