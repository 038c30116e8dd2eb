/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window over a real hyperstard on a temporary socket
 * (tests/gui/hs-test-gui.h): its pages show the daemon's datasets and
 * searches; the queue's buttons follow the selected search's state; a
 * search started from the window's dialog produces progress rows, and the
 * dialog shows what went wrong in place; the results page charts and
 * tabulates a finished search and exports its CSV; a toast says when a
 * search ends; --screenshot's renderer writes a PNG.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "hs-application.h"
#include "hs-queue-page.h"
#include "hs-results-page.h"
#include "hs-test-gui.h"

static gint64 finished_id;     /* a finished random search, made by the first test */

static void
test_window_pages (void)
{
  g_autoptr(JsonNode) done = NULL;
  g_autofree char *key = NULL;
  HsWindow *window;
  g_autoptr(HsItem) tiny = NULL;
  g_autoptr(HsItem) search = NULL;
  g_autofree char *family = NULL, *method = NULL;

  finished_id = hs_test_daemon_start_search (hs_test_gui_daemon, "random",
                                             "{\"budget_epochs\": 4, \"max_epochs\": 2, \"n_configs\": 2}");
  done = hs_test_daemon_wait_search (hs_test_gui_daemon, finished_id, "done", 300);
  key = g_strdup_printf ("%" G_GINT64_FORMAT, finished_id);
  window = hs_test_gui_new_window ();
  HS_WAIT_FOR ((tiny = hs_test_gui_find (hs_window_get_datasets (window), "tiny")) != NULL);
  family = hs_item_format (tiny, "family");
  g_assert_cmpstr (family, ==, "test");
  g_assert_nonnull (hs_test_gui_find (hs_window_get_datasets (window), "small"));
  HS_WAIT_FOR ((search = hs_test_gui_find (hs_window_get_searches (window), key)) != NULL);
  method = hs_item_format (search, "method");
  g_assert_cmpstr (method, ==, "random");

  g_assert_true (hs_window_set_page (window, "datasets"));
  g_assert_true (hs_window_set_page (window, "queue"));
  g_assert_false (hs_window_set_page (window, "no-such-page"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The queue's buttons are enabled as the selected search's state allows,
 * and follow it when it changes. */
static void
test_window_queue_controls (void)
{
  HsWindow *window = hs_test_gui_new_window ();
  HsQueuePage *page = HS_QUEUE_PAGE (hs_window_get_page (window, "queue"));
  GtkWidget *pause = hs_test_gui_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "queue.pause");
  GtkWidget *resume = hs_test_gui_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "queue.resume");
  GtkWidget *cancel = hs_test_gui_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "queue.cancel");
  gint64 id;
  g_autoptr(JsonNode) paused = NULL;

  g_assert_nonnull (pause);
  g_assert_nonnull (resume);
  g_assert_nonnull (cancel);
  /* Nothing selected, then a finished search: nothing to do. */
  g_assert_false (gtk_widget_is_sensitive (pause));
  g_assert_false (gtk_widget_is_sensitive (resume));
  g_assert_false (gtk_widget_is_sensitive (cancel));
  g_assert_true (hs_queue_page_select_search (page, finished_id));
  g_assert_false (gtk_widget_is_sensitive (pause));
  g_assert_false (gtk_widget_is_sensitive (resume));
  g_assert_false (gtk_widget_is_sensitive (cancel));

  /* A long search: pause, then resume and cancel, from the buttons. */
  id = hs_test_daemon_start_search (hs_test_gui_daemon, "random",
                                    "{\"budget_epochs\": 1000000, \"max_epochs\": 2, \"n_configs\": 100000}");
  HS_WAIT_FOR (hs_queue_page_select_search (page, id));
  HS_WAIT_FOR (gtk_widget_is_sensitive (pause));
  g_assert_false (gtk_widget_is_sensitive (resume));
  g_assert_true (gtk_widget_is_sensitive (cancel));
  g_signal_emit_by_name (pause, "clicked");
  /* (The daemon is asked from the main loop: keep it turning.) */
  HS_WAIT_FOR (gtk_widget_is_sensitive (resume));
  paused = hs_test_daemon_wait_search (hs_test_gui_daemon, id, "paused", 10);
  g_assert_false (gtk_widget_is_sensitive (pause));
  g_signal_emit_by_name (cancel, "clicked");
  HS_WAIT_FOR (!gtk_widget_is_sensitive (cancel));
  g_assert_false (gtk_widget_is_sensitive (resume));
  /* The toast says how it ended. */
  HS_WAIT_FOR (hs_window_get_last_message (window) != NULL &&
               strstr (hs_window_get_last_message (window), "cancelled") != NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_start_search (void)
{
  HsWindow *window = hs_test_gui_new_window ();
  GtkWindow *dialog;
  guint before;
  gboolean progress = FALSE;

  before = g_list_model_get_n_items (hs_window_get_searches (window));
  dialog = hs_window_open_start_dialog (window);
  /* test-grid was made by the first test's search. */
  HS_WAIT_FOR (hs_start_dialog_select (dialog, "tiny", "test-grid"));
  g_assert_null (hs_start_dialog_get_error (dialog));
  hs_start_dialog_set_budget (dialog, 4, 2, 2);
  hs_start_dialog_submit (dialog);
  HS_WAIT_FOR (g_list_model_get_n_items (hs_window_get_searches (window)) > before);
  /* Progress rows come from the event stream. */
  while (!progress)
    {
      GListModel *trials = hs_window_get_trials (window);

      HS_WAIT_FOR (g_list_model_get_n_items (trials) > 0);
      for (guint i = 0; i < g_list_model_get_n_items (trials); i++)
        {
          g_autoptr(HsItem) row = g_list_model_get_item (trials, i);
          g_autofree char *text = hs_item_format (row, "progress");

          if (g_str_has_prefix (text, "epoch") || g_str_has_prefix (text, "preparing"))
            progress = TRUE;
        }
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* With no daemon behind the socket the dialog says so in place. */
static void
test_window_dialog_error (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hs-gui-XXXXXX", NULL);
  g_autofree char *socket_path = g_build_filename (dir, "nobody.sock", NULL);
  g_autoptr(HsClient) client = hs_client_new (socket_path);
  HsWindow *window;
  GtkWindow *dialog;

  hs_client_set_autostart (client, FALSE);
  window = hs_window_new (NULL, client);
  gtk_window_present (GTK_WINDOW (window));
  dialog = hs_window_open_start_dialog (window);
  HS_WAIT_FOR (hs_start_dialog_get_error (dialog) != NULL);
  g_assert_nonnull (strstr (hs_start_dialog_get_error (dialog), socket_path));
  /* Start with nothing listed: refused in place, nothing sent. */
  hs_start_dialog_submit (dialog);
  g_assert_nonnull (strstr (hs_start_dialog_get_error (dialog), "dataset"));
  gtk_window_destroy (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
  g_rmdir (dir);
}

/* The finished search on the results page: the best-so-far series, its
 * learning curves, the trials table (sortable) and the CSV export. */
static void
test_window_results (void)
{
  HsWindow *window = hs_test_gui_new_window ();
  HsResultsPage *page = HS_RESULTS_PAGE (hs_window_get_page (window, "results"));
  g_autoptr(JsonNode) trials = NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/searches/%" G_GINT64_FORMAT "/trials?limit=1000",
                                           finished_id);
  g_autofree char *dir = g_dir_make_tmp ("hs-gui-XXXXXX", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "search.csv", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GListModel *table;
  guint status, n_trials;
  GtkColumnView *view;
  GtkColumnViewColumn *acc_column;
  double last = 2;

  trials = hs_test_daemon_request (hs_test_gui_daemon, "GET", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  n_trials = json_array_get_length (json_object_get_array_member (json_node_get_object (trials), "trials"));
  g_assert_cmpuint (n_trials, >, 0);

  hs_window_set_page (window, "results");
  hs_results_page_show_searches (page, &finished_id, 1);
  table = hs_results_page_get_trials (page);
  HS_WAIT_FOR (g_list_model_get_n_items (table) == n_trials);
  /* Charts are redrawn a moment after the trials came. */
  HS_WAIT_FOR (hs_chart_get_n_series (hs_window_get_curves_chart (window)) == n_trials);
  g_assert_cmpuint (hs_chart_get_n_series (hs_window_get_best_chart (window)), ==, 1);

  /* Sorting by validation accuracy, descending. */
  view = hs_results_page_get_trials_view (page);
  acc_column = g_list_model_get_item (gtk_column_view_get_columns (view), 7);
  g_assert_cmpstr (gtk_column_view_column_get_title (acc_column), ==, "Val Acc");
  gtk_column_view_sort_by_column (view, acc_column, GTK_SORT_DESCENDING);
  g_object_unref (acc_column);
  for (guint i = 0; i < g_list_model_get_n_items (table); i++)
    {
      g_autoptr(HsItem) row = g_list_model_get_item (table, i);
      double acc = hs_json_get_double (hs_item_get_object (row), "val_acc");

      g_assert_cmpfloat (acc, <=, last);
      last = acc;
    }

  /* Export: the daemon's CSV, one row per trial, written whole. */
  hs_results_page_export_csv (page, csv);
  HS_WAIT_FOR (g_file_test (csv_path, G_FILE_TEST_EXISTS) && hs_window_get_last_message (window) &&
               strstr (hs_window_get_last_message (window), "search.csv"));
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "search,trial,config_id,"));
  lines = g_strsplit (g_strchomp (contents), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, n_trials + 1);
  g_unlink (csv_path);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A running search on the results page grows from the event stream: it
 * is loaded once, when shown, and later trials and curve points come as
 * events. */
static void
test_window_results_live (void)
{
  HsWindow *window = hs_test_gui_new_window ();
  HsResultsPage *page = HS_RESULTS_PAGE (hs_window_get_page (window, "results"));
  gint64 id = hs_test_daemon_start_search (hs_test_gui_daemon, "random",
                                           "{\"budget_epochs\": 1000000, \"max_epochs\": 2, \"n_configs\": 100000}");
  g_autofree char *path = g_strdup_printf ("/api/v1/searches/%" G_GINT64_FORMAT "/cancel", id);
  g_autoptr(JsonNode) cancelled = NULL;
  g_autoptr(HsItem) listed = NULL;
  GListModel *table;
  guint status;

  hs_window_set_page (window, "results");
  /* Listed once its first event came. */
  HS_WAIT_FOR ((listed = hs_session_find_search (hs_window_get_session (window), id)) != NULL);
  hs_results_page_show_searches (page, &id, 1);
  table = hs_results_page_get_trials (page);
  HS_WAIT_FOR (g_list_model_get_n_items (table) >= 4);
  /* Finished trials have their curve and accuracy, as a reload would. */
  {
    g_autoptr(HsItem) first = g_list_model_get_item (table, 0);
    JsonObject *o = hs_item_get_object (first);

    HS_WAIT_FOR (g_strcmp0 (hs_json_get_string (hs_item_get_object (first), "state"), "done") == 0);
    o = hs_item_get_object (first);
    g_assert_nonnull (hs_json_get_array (o, "curve"));
    g_assert_false (isnan (hs_json_get_double (o, "val_acc")));
  }
  HS_WAIT_FOR (hs_chart_get_n_series (hs_window_get_curves_chart (window)) >= 2);
  cancelled = hs_test_daemon_request (hs_test_gui_daemon, "POST", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  HS_WAIT_FOR (hs_window_get_last_message (window) != NULL &&
               strstr (hs_window_get_last_message (window), "cancelled") != NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_screenshot (void)
{
  HsWindow *window = hs_test_gui_new_window ();
  g_autofree char *dir = g_dir_make_tmp ("hs-gui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "queue.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  HS_WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (window)) > 0);
  hs_test_gui_spin (100);
  g_assert_true (hs_widget_save_png (GTK_WIDGET (window), path, &error));
  g_assert_no_error (error);
  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, gtk_widget_get_width (GTK_WIDGET (window)));
  /* A picture of the window, not a blank: the header bar's and the page's
   * pixels differ, and there is text (many distinct colours). */
  {
    int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
    g_autofree guchar *pixels = g_malloc ((gsize) w * h * 4);
    g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);

    gdk_texture_download (texture, pixels, (gsize) w * 4);
    for (int i = 0; i < w * h; i++)
      g_hash_table_add (colours, GUINT_TO_POINTER (((guint32 *) pixels)[i]));
    g_assert_cmpuint (g_hash_table_size (colours), >, 16);
  }
  g_unlink (path);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  static const char *const paths[] = {
    "/gui/window/pages", "/gui/window/queue-controls", "/gui/window/start-search",
    "/gui/window/dialog-error", "/gui/window/results", "/gui/window/results-live",
    "/gui/window/screenshot", NULL
  };

  if (!hs_test_gui_init (&argc, &argv, paths))
    return g_test_run ();
  g_test_add_func (paths[0], test_window_pages);
  g_test_add_func (paths[1], test_window_queue_controls);
  g_test_add_func (paths[2], test_window_start_search);
  g_test_add_func (paths[3], test_window_dialog_error);
  g_test_add_func (paths[4], test_window_results);
  g_test_add_func (paths[5], test_window_results_live);
  g_test_add_func (paths[6], test_window_screenshot);
  return hs_test_gui_run ();
}
