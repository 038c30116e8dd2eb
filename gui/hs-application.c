/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsApplication: one window over one HsClient.  `--socket PATH` picks the
 * daemon; `--screenshot PAGE FILE` shows PAGE, waits for its data, writes a
 * PNG of the window and quits.
 *
 * Desktop integration lives here too: app.about (an AdwAboutWindow),
 * app.quit, the keyboard accelerators of the app and window actions (the
 * shortcuts window itself is gtk/help-overlay.ui, which GtkApplication
 * loads on its own), and the GSettings schema: the window's size and
 * maximized state, and the daemon's socket.
 */
#define G_LOG_DOMAIN "hyperstar"

#include <glib/gi18n.h>

#include "hs-application.h"
#include "hs-socket-path.h"
#include "hs-window-private.h"

struct _HsApplication
{
  AdwApplication parent_instance;
  char *socket_path;
  char *screenshot_page;
  char *screenshot_file;
  HsWindow *window;
  GSettings *settings;
  guint screenshot_ticks;
};

/* The keys hs-application.c reads: a schema without one of them (an older
 * installed copy) is treated as missing rather than crashing GSettings. */
static const char *const settings_keys[] = {
  "window-width", "window-height", "window-maximized", "socket-path",
};

/* Accelerators, the same as gtk/help-overlay.ui shows.  The win.* actions
 * belong to the window; an accelerator for an action a window lacks does
 * nothing. */
static const struct {
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
  { "win.new-search", { "<Control>n", NULL } },
  { "win.reload", { "<Control>r", NULL } },
  { "win.export-csv", { "<Control>e", NULL } },
  { "win.import-dataset", { "<Control>i", NULL } },
  { "win.page::queue", { "<Control>1", NULL } },
  { "win.page::datasets", { "<Control>2", NULL } },
  { "win.page::spaces", { "<Control>3", NULL } },
  { "win.page::results", { "<Control>4", NULL } },
};

G_DEFINE_FINAL_TYPE (HsApplication, hs_application, ADW_TYPE_APPLICATION)

/* The schema compiled into the build tree (data/, by meson) comes first, so
 * that an uninstalled hyperstar and the tests find the schema of their own
 * source; then the installed schemas ($XDG_DATA_DIRS, GSETTINGS_SCHEMA_DIR).
 * Without a usable schema the window runs with its built-in defaults and
 * saves nothing: settings are a convenience, not a reason to fail. */
static GSettings *
load_settings (void)
{
  static gsize warned = 0;
  GSettingsSchemaSource *installed = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchemaSource) build = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;

#ifdef HS_BUILD_SCHEMA_DIR
  if (g_file_test (HS_BUILD_SCHEMA_DIR "/gschemas.compiled", G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GError) error = NULL;

      build = g_settings_schema_source_new_from_directory (HS_BUILD_SCHEMA_DIR, installed,
                                                           FALSE, &error);
      if (build == NULL)
        g_debug ("%s: %s", HS_BUILD_SCHEMA_DIR, error->message);
    }
#endif
  if (build != NULL)
    schema = g_settings_schema_source_lookup (build, HS_APP_ID, TRUE);
  else if (installed != NULL)
    schema = g_settings_schema_source_lookup (installed, HS_APP_ID, TRUE);

  for (guint i = 0; schema != NULL && i < G_N_ELEMENTS (settings_keys); i++)
    if (!g_settings_schema_has_key (schema, settings_keys[i]))
      g_clear_pointer (&schema, g_settings_schema_unref);

  if (schema == NULL)
    {
      if (g_once_init_enter (&warned))
        {
          g_warning ("no usable GSettings schema %s: the window's size and the socket "
                     "setting are neither read nor saved", HS_APP_ID);
          g_once_init_leave (&warned, 1);
        }
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

GSettings *
hs_application_get_settings (HsApplication *self)
{
  g_return_val_if_fail (HS_IS_APPLICATION (self), NULL);

  return self->settings;
}

/* --socket, then $HS_SOCKET (this run's environment), then the setting,
 * then the default (hs-socket-path.h, which knows about Flatpak). */
char *
hs_application_dup_socket_path (HsApplication *self)
{
  const char *env = g_getenv ("HS_SOCKET");
  g_autofree char *setting = NULL;

  g_return_val_if_fail (HS_IS_APPLICATION (self), NULL);

  if (self->socket_path != NULL)
    return g_strdup (self->socket_path);
  if ((env == NULL || *env == '\0') && self->settings != NULL)
    {
      setting = g_settings_get_string (self->settings, "socket-path");
      if (*setting != '\0')
        return g_steal_pointer (&setting);
    }
  return hs_socket_default_path ();
}

static char *
debug_info (HsApplication *self)
{
  g_autofree char *socket = hs_application_dup_socket_path (self);
  const char *flatpak = g_getenv ("FLATPAK_ID");

  return g_strdup_printf ("HyperSTAR Workbench %s\n"
                          "GLib %u.%u.%u\n"
                          "GTK %u.%u.%u\n"
                          "libadwaita %u.%u.%u\n"
                          "Flatpak: %s\n"
                          "Daemon socket: %s\n"
                          "Settings schema: %s\n",
                          HS_VERSION,
                          glib_major_version, glib_minor_version, glib_micro_version,
                          gtk_get_major_version (), gtk_get_minor_version (),
                          gtk_get_micro_version (),
                          adw_get_major_version (), adw_get_minor_version (),
                          adw_get_micro_version (),
                          flatpak != NULL ? flatpak : "no",
                          socket,
                          self->settings != NULL ? "found" : "missing");
}

static void
about_action (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  HsApplication *self = data;
  static const char *developers[] = {
    N_("HyperSTAR contributors https://github.com/hyperstar/workbench/graphs/contributors"),
    NULL
  };
  const char *translated[G_N_ELEMENTS (developers)];
  g_autofree char *info = debug_info (self);
  GtkWindow *about;

  for (guint i = 0; i < G_N_ELEMENTS (developers); i++)
    translated[i] = developers[i] != NULL ? _(developers[i]) : NULL;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application-name", _("HyperSTAR Workbench"),
                        "application-icon", HS_APP_ID,
                        "developer-name", _("The HyperSTAR developers"),
                        "version", HS_VERSION,
                        "website", "https://github.com/hyperstar/workbench",
                        "issue-url", "https://github.com/hyperstar/workbench/issues",
                        "copyright", _("© 2026 The HyperSTAR developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", translated,
                        /* TRANSLATORS: your names, one per line, as they should be credited */
                        "translator-credits", _("translator-credits"),
                        "debug-info", info,
                        "debug-info-filename", "hyperstar-debug-info.txt",
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        NULL);
  gtk_window_present (about);
}

static void
quit_action (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  g_application_quit (G_APPLICATION (data));
}

/* The window comes back at the size the user left it: GTK 4 keeps
 * default-width/-height up to date as the window is resized (but not while
 * maximized, so the unmaximized size survives a maximized session). */
static void
bind_window_state (HsApplication *self, GtkWindow *window)
{
  if (self->settings == NULL)
    return;
  g_settings_bind (self->settings, "window-width", window, "default-width",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", window, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", window, "maximized",
                   G_SETTINGS_BIND_DEFAULT);
}

void
hs_bind_textdomain (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *build_root = g_path_get_dirname (HS_BUILD_LOCALEDIR);
  g_autofree char *prefix = g_strconcat (build_root, "/", NULL);

  bindtextdomain (GETTEXT_PACKAGE,
                  exe && g_str_has_prefix (exe, prefix) ? HS_BUILD_LOCALEDIR : HS_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

gboolean
hs_widget_save_png (GtkWidget *widget, const char *path, GError **error)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL || w <= 0 || h <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("the window has not been drawn"));
      return FALSE;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("cannot write %s"), path);
      return FALSE;
    }
  return TRUE;
}

/* Every 100 ms: once the window's requests are answered (at most 10 s),
 * and a few frames later, the picture is taken. */
static gboolean
screenshot_tick (gpointer data)
{
  HsApplication *self = data;
  g_autoptr(GError) error = NULL;

  self->screenshot_ticks++;
  if (hs_window_get_pending (self->window) > 0 && self->screenshot_ticks < 100)
    return G_SOURCE_CONTINUE;
  if (self->screenshot_ticks < 10)
    return G_SOURCE_CONTINUE;
  hs_window_set_page (self->window, self->screenshot_page);
  if (hs_window_get_pending (self->window) > 0 && self->screenshot_ticks < 100)
    return G_SOURCE_CONTINUE;
  if (self->screenshot_ticks < 15)
    return G_SOURCE_CONTINUE;
  if (!hs_widget_save_png (GTK_WIDGET (self->window), self->screenshot_file, &error))
    {
      g_printerr ("hyperstar: %s\n", error->message);
      g_application_hold (G_APPLICATION (self));
      g_application_release (G_APPLICATION (self));
    }
  else
    g_print ("%s\n", self->screenshot_file);
  gtk_window_destroy (GTK_WINDOW (self->window));
  return G_SOURCE_REMOVE;
}

static void
hs_application_activate (GApplication *app)
{
  HsApplication *self = HS_APPLICATION (app);
  g_autoptr(HsClient) client = NULL;
  g_autofree char *socket_path = NULL;

  if (self->window != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->window));
      return;
    }
  socket_path = hs_application_dup_socket_path (self);
  client = hs_client_new (socket_path);
  self->window = hs_window_new (GTK_APPLICATION (app), client);
  g_object_add_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  if (self->screenshot_page != NULL)
    {
      /* Pictures come out the same size whatever the user last did. */
      hs_window_set_page (self->window, self->screenshot_page);
      g_timeout_add (100, screenshot_tick, self);
    }
  else
    bind_window_state (self, GTK_WINDOW (self->window));
  gtk_window_present (GTK_WINDOW (self->window));
}

static void
hs_application_startup (GApplication *app)
{
  HsApplication *self = HS_APPLICATION (app);
  static const GActionEntry actions[] = {
    { "about", about_action, NULL, NULL, NULL },
    { "quit", quit_action, NULL, NULL, NULL },
  };

  G_APPLICATION_CLASS (hs_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
  self->settings = load_settings ();
}

static int
hs_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  HsApplication *self = HS_APPLICATION (app);
  g_autofree char **rest = NULL;

  g_variant_dict_lookup (options, "socket", "^ay", &self->socket_path);
  if (g_variant_dict_lookup (options, "screenshot", "s", &self->screenshot_page))
    {
      static const char *pages[] = { "queue", "datasets", "spaces", "results" };

      if (!g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &rest) ||
          rest == NULL || rest[0] == NULL || rest[1] != NULL)
        {
          g_printerr (_("usage: hyperstar --screenshot PAGE FILE\n"));
          return 2;
        }
      if (!g_strv_contains (pages, self->screenshot_page))
        {
          g_printerr (_("hyperstar: no page “%s” (queue, datasets, spaces, results)\n"),
                      self->screenshot_page);
          return 2;
        }
      self->screenshot_file = g_strdup (rest[0]);
      /* A picture of this process's own window, whatever else runs. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }
  return -1;
}

static void
hs_application_finalize (GObject *object)
{
  HsApplication *self = HS_APPLICATION (object);

  g_free (self->socket_path);
  g_free (self->screenshot_page);
  g_free (self->screenshot_file);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (hs_application_parent_class)->finalize (object);
}

static void
hs_application_class_init (HsApplicationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hs_application_finalize;
  G_APPLICATION_CLASS (klass)->startup = hs_application_startup;
  G_APPLICATION_CLASS (klass)->activate = hs_application_activate;
  G_APPLICATION_CLASS (klass)->handle_local_options = hs_application_handle_local_options;
}

static void
hs_application_init (HsApplication *self)
{
  static const GOptionEntry entries[] = {
    { "socket", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Talk to hyperstard on this socket"),
      N_("PATH") },
    { "screenshot", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Write a PNG of the window showing PAGE (queue, datasets, spaces, results) to FILE, and quit"),
      N_("PAGE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, "[FILE]" },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

HsApplication *
hs_application_new (void)
{
  return g_object_new (HS_TYPE_APPLICATION, "application-id", HS_APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS, NULL);
}
