/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desktop side of HsApplication, as a user meets it: app.about opens an
 * about window that names this version, its licence and where to report
 * bugs; the shortcuts window exists for every application window and shows
 * exactly the accelerators the application sets; the window comes back at
 * the size it was left at, and the socket setting picks the daemon.  Runs
 * under Xvfb with GSETTINGS_BACKEND=memory and the schema compiled into the
 * build tree; no daemon is started (HS_HYPERSTARD points nowhere).
 */
#include <adwaita.h>
#include <glib/gstdio.h>

#include "hs-application.h"

static HsApplication *app;

static void
iterate (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

static void
test_about (void)
{
  GtkWindow *about;
  g_autofree char *version = NULL, *website = NULL, *issues = NULL, *icon = NULL;
  g_autofree char *debug = NULL;
  GtkLicense license;

  g_assert_null (find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_object_get (about, "version", &version, "website", &website, "issue-url", &issues,
                "application-icon", &icon, "license-type", &license, "debug-info", &debug, NULL);
  g_assert_cmpstr (version, ==, HS_VERSION);
  g_assert_cmpstr (icon, ==, HS_APP_ID);
  g_assert_cmpint (license, ==, GTK_LICENSE_GPL_3_0);
  g_assert_true (g_str_has_prefix (website, "https://"));
  g_assert_true (g_str_has_prefix (issues, website));
  /* Bug reports carry the version and the socket the window would use. */
  g_assert_nonnull (strstr (debug, HS_VERSION));
  g_assert_nonnull (strstr (debug, "Daemon socket: /"));
  iterate (100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (about)));
  gtk_window_destroy (about);
  iterate (50);
  g_assert_null (find_toplevel (ADW_TYPE_ABOUT_WINDOW));
}

/* Every accelerator the application sets, as "<Control>q". */
static GPtrArray *
app_accels (void)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        g_ptr_array_add (all, g_strdup (accels[j]));
    }
  return all;
}

static gboolean
same_accel (const char *a, const char *b)
{
  guint ka, kb;
  GdkModifierType ma, mb;

  return gtk_accelerator_parse (a, &ka, &ma) && gtk_accelerator_parse (b, &kb, &mb) &&
         ka == kb && ma == mb;
}

static gboolean
contains_accel (GPtrArray *accels, const char *accel)
{
  for (guint i = 0; i < accels->len; i++)
    if (same_accel (g_ptr_array_index (accels, i), accel))
      return TRUE;
  return FALSE;
}

static void
assert_accel (const char *action, const char *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  g_assert_nonnull (accels[0]);
  g_assert_true (same_accel (accels[0], accel));
}

static void
test_shortcuts (void)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/hyperstar/Workbench/gtk/help-overlay.ui");
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) set = app_accels ();
  GtkWidget *window;
  GtkShortcutsWindow *overlay;

  /* What the brief promises, spelled out. */
  assert_accel ("app.quit", "<Control>q");
  assert_accel ("win.show-help-overlay", "<Control>question");
  assert_accel ("win.new-search", "<Control>n");
  assert_accel ("win.reload", "<Control>r");
  assert_accel ("win.export-csv", "<Control>e");
  assert_accel ("win.import-dataset", "<Control>i");
  assert_accel ("win.page::queue", "<Control>1");
  assert_accel ("win.page::datasets", "<Control>2");
  assert_accel ("win.page::spaces", "<Control>3");
  assert_accel ("win.page::results", "<Control>4");

  /* The overlay shows exactly the accelerators that work. */
  for (GSList *l = objects; l != NULL; l = l->next)
    if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
      {
        char *accel = NULL;

        g_object_get (l->data, "accelerator", &accel, NULL);
        g_assert_nonnull (accel);
        g_ptr_array_add (shown, accel);
      }
  g_assert_cmpuint (shown->len, ==, set->len);
  for (guint i = 0; i < shown->len; i++)
    g_assert_true (contains_accel (set, g_ptr_array_index (shown, i)));
  for (guint i = 0; i < set->len; i++)
    g_assert_true (contains_accel (shown, g_ptr_array_index (set, i)));

  /* GtkApplication found gtk/help-overlay.ui under the app's resource path
   * and gives each application window win.show-help-overlay. */
  window = adw_application_window_new (GTK_APPLICATION (app));
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_present (GTK_WINDOW (window));
  iterate (100);
  g_assert_true (gtk_widget_activate_action (window, "win.show-help-overlay", NULL));
  iterate (100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  gtk_window_destroy (GTK_WINDOW (window));
  iterate (50);
}

static void
test_settings (void)
{
  GSettings *settings = hs_application_get_settings (app);
  g_autofree char *dir = g_dir_make_tmp ("hs-desktop-XXXXXX", NULL);
  g_autofree char *socket = g_build_filename (dir, "hyperstard.sock", NULL);
  g_autofree char *used = NULL, *from_env = NULL;
  g_autofree char *saved_env = g_strdup (g_getenv ("HS_SOCKET"));
  GtkWindow *window;
  int width, height;

  /* The schema compiled into the build tree was found. */
  g_assert_nonnull (settings);

  g_unsetenv ("HS_SOCKET");
  g_settings_set_string (settings, "socket-path", socket);
  used = hs_application_dup_socket_path (app);
  g_assert_cmpstr (used, ==, socket);
  /* $HS_SOCKET, set for this run, wins over the stored setting. */
  g_setenv ("HS_SOCKET", "/tmp/hs-desktop-env.sock", TRUE);
  from_env = hs_application_dup_socket_path (app);
  g_assert_cmpstr (from_env, ==, "/tmp/hs-desktop-env.sock");
  g_unsetenv ("HS_SOCKET");

  /* The window opens at the stored size ... */
  g_settings_set_int (settings, "window-width", 820);
  g_settings_set_int (settings, "window-height", 610);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_nonnull (window);
  gtk_window_get_default_size (window, &width, &height);
  g_assert_cmpint (width, ==, 820);
  g_assert_cmpint (height, ==, 610);
  iterate (200);

  /* ... and a new size is stored. */
  gtk_window_set_default_size (window, 900, 640);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  gtk_window_destroy (window);
  iterate (50);

  if (saved_env != NULL)
    g_setenv ("HS_SOCKET", saved_env, TRUE);
  g_settings_reset (settings, "socket-path");
  g_rmdir (dir);
}

static void
skip_no_display (void)
{
  g_test_skip ("no display (run under Xvfb: meson test --suite desktop)");
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_add_func ("/desktop/about", skip_no_display);
      g_test_add_func ("/desktop/shortcuts", skip_no_display);
      g_test_add_func ("/desktop/settings", skip_no_display);
      return g_test_run ();
    }
  adw_init ();

  /* A test instance must not hand its work to a running workbench. */
  app = hs_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/desktop/about", test_about);
  g_test_add_func ("/desktop/shortcuts", test_shortcuts);
  g_test_add_func ("/desktop/settings", test_settings);
  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
