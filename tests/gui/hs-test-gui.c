/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See hs-test-gui.h.
 */
#include "hs-test-gui.h"

HsTestDaemon *hs_test_gui_daemon;

static void
skip (gconstpointer reason)
{
  g_test_skip (reason);
}

gboolean
hs_test_gui_init (int *argc, char ***argv, const char *const *paths)
{
  const char *why = NULL;

  g_test_init (argc, argv, NULL);
  if (!gtk_init_check ())
    why = "no display (run under xvfb-run)";
  else if (!hs_test_daemon_available ())
    why = "no $HS_DAEMON or Hershey fonts";
  if (why != NULL)
    {
      for (guint i = 0; paths[i] != NULL; i++)
        g_test_add_data_func (paths[i], why, skip);
      return FALSE;
    }
  adw_init ();
  hs_test_gui_daemon = hs_test_daemon_new ();
  return TRUE;
}

int
hs_test_gui_run (void)
{
  int status = g_test_run ();

  g_clear_pointer (&hs_test_gui_daemon, hs_test_daemon_free);
  return status;
}

HsWindow *
hs_test_gui_new_window (void)
{
  g_autoptr(HsClient) client = hs_client_new (hs_test_gui_daemon->socket_path);
  HsWindow *window;

  hs_client_set_autostart (client, FALSE);
  window = hs_window_new (NULL, client);
  gtk_window_present (GTK_WINDOW (window));
  HS_WAIT_FOR (hs_window_get_pending (window) == 0);
  return window;
}

HsItem *
hs_test_gui_find (GListModel *model, const char *key)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HsItem) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (hs_item_get_key (item), key) == 0)
        return g_steal_pointer (&item);
    }
  return NULL;
}

GtkWidget *
hs_test_gui_find_widget (GtkWidget *root, GType type, const char *action)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (action == NULL ||
       (GTK_IS_ACTIONABLE (root) &&
        g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = hs_test_gui_find_widget (child, type, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
hs_test_gui_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}
