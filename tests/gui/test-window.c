/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window over a real hyperstard on a temporary socket
 * (tests/server/hs-test-daemon.h): its pages show the daemon's datasets
 * and searches; a search started from the window's dialog produces
 * progress rows; --screenshot's renderer writes a PNG.  Needs a display
 * (Xvfb under meson) and $HS_DAEMON; skipped without them.
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "hs-application.h"
#include "hs-item.h"
#include "hs-test-daemon.h"
#include "hs-window-private.h"

static HsTestDaemon *the_daemon;

/* Runs the main loop until cond holds; a 120 s guard fails the test
 * instead of hanging it (it asserts behaviour, not speed). */
#define WAIT_FOR(cond)                                                       \
  G_STMT_START {                                                             \
    gint64 deadline_ = g_get_monotonic_time () + 120 * G_TIME_SPAN_SECOND;   \
    while (!(cond))                                                          \
      {                                                                      \
        g_assert_cmpint (g_get_monotonic_time (), <, deadline_);             \
        g_main_context_iteration (NULL, FALSE);                              \
        g_usleep (2000);                                                     \
      }                                                                      \
  } G_STMT_END

static HsItem *
find (GListModel *model, const char *key)
{
  guint position;

  if (hs_item_store_find (G_LIST_STORE (model), key, &position))
    return g_list_model_get_item (model, position);
  return NULL;
}

static HsWindow *
new_window (void)
{
  g_autoptr(HsClient) client = hs_client_new (the_daemon->socket_path);

  hs_client_set_autostart (client, FALSE);
  return hs_window_new (NULL, client);
}

static void
test_window_pages (void)
{
  gint64 id = hs_test_daemon_start_search (the_daemon, "random",
                                           "{\"budget_epochs\": 2, \"max_epochs\": 1, \"n_configs\": 2}");
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  HsWindow *window = new_window ();
  g_autoptr(HsItem) tiny = NULL;
  g_autoptr(HsItem) search = NULL;
  g_autofree char *classes = NULL, *family = NULL, *method = NULL;

  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR ((tiny = find (hs_window_get_datasets (window), "tiny")) != NULL);
  classes = hs_item_format (tiny, "classes");
  family = hs_item_format (tiny, "family");
  g_assert_cmpstr (family, ==, "test");
  g_assert_nonnull (find (hs_window_get_datasets (window), "small"));
  WAIT_FOR ((search = find (hs_window_get_searches (window), key)) != NULL);
  method = hs_item_format (search, "method");
  g_assert_cmpstr (method, ==, "random");

  hs_window_set_page (window, "datasets");
  hs_window_set_page (window, "results");
  /* The results page selects the newest search and charts it. */
  WAIT_FOR (hs_window_get_pending (window) == 0);
  hs_window_set_page (window, "queue");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_start_search (void)
{
  HsWindow *window = new_window ();
  GtkWindow *dialog;
  guint before;
  gboolean progress = FALSE;

  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (hs_window_get_pending (window) == 0);
  before = g_list_model_get_n_items (hs_window_get_searches (window));
  dialog = hs_window_open_start_dialog (window);
  /* test-grid was made by the first test's search. */
  WAIT_FOR (hs_start_dialog_select (dialog, "tiny", "test-grid"));
  hs_start_dialog_set_budget (dialog, 4, 2, 2);
  hs_start_dialog_submit (dialog);
  WAIT_FOR (g_list_model_get_n_items (hs_window_get_searches (window)) > before);
  /* Progress rows come from the event stream. */
  while (!progress)
    {
      GListModel *trials = hs_window_get_trials (window);

      WAIT_FOR (g_list_model_get_n_items (trials) > 0);
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

static void
test_window_screenshot (void)
{
  HsWindow *window = new_window ();
  g_autofree char *dir = g_dir_make_tmp ("hs-gui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "queue.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (hs_window_get_pending (window) == 0 && gtk_widget_get_width (GTK_WIDGET (window)) > 0);
  for (int i = 0; i < 20; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  g_assert_true (hs_widget_save_png (GTK_WIDGET (window), path, &error));
  g_assert_no_error (error);
  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, gtk_widget_get_width (GTK_WIDGET (window)));
  g_unlink (path);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
skip (gconstpointer reason)
{
  g_test_skip (reason);
}

int
main (int argc, char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check () || !hs_test_daemon_available ())
    {
      const char *why = gtk_init_check () ? "no $HS_DAEMON or Hershey fonts"
                                          : "no display (run under xvfb-run)";

      g_test_add_data_func ("/gui/window/pages", why, skip);
      g_test_add_data_func ("/gui/window/start-search", why, skip);
      g_test_add_data_func ("/gui/window/screenshot", why, skip);
      return g_test_run ();
    }
  adw_init ();
  the_daemon = hs_test_daemon_new ();
  g_test_add_func ("/gui/window/pages", test_window_pages);
  g_test_add_func ("/gui/window/start-search", test_window_start_search);
  g_test_add_func ("/gui/window/screenshot", test_window_screenshot);
  status = g_test_run ();
  hs_test_daemon_free (the_daemon);
  return status;
}
