/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsApplication: one window over one HsClient.  `--socket PATH` picks the
 * daemon; `--screenshot PAGE FILE` shows PAGE, waits for its data, writes a
 * PNG of the window and quits.
 */
#define G_LOG_DOMAIN "hyperstar"

#include "hs-application.h"
#include "hs-window-private.h"

struct _HsApplication
{
  AdwApplication parent_instance;
  char *socket_path;
  char *screenshot_page;
  char *screenshot_file;
  HsWindow *window;
  guint screenshot_ticks;
};

G_DEFINE_FINAL_TYPE (HsApplication, hs_application, ADW_TYPE_APPLICATION)

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
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the window has not been drawn");
      return FALSE;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s", path);
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

  if (self->window != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->window));
      return;
    }
  client = hs_client_new (self->socket_path);
  self->window = hs_window_new (GTK_APPLICATION (app), client);
  g_object_add_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  if (self->screenshot_page != NULL)
    {
      hs_window_set_page (self->window, self->screenshot_page);
      g_timeout_add (100, screenshot_tick, self);
    }
  gtk_window_present (GTK_WINDOW (self->window));
}

static int
hs_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  HsApplication *self = HS_APPLICATION (app);
  g_autofree char **rest = NULL;

  g_variant_dict_lookup (options, "socket", "^ay", &self->socket_path);
  if (g_variant_dict_lookup (options, "screenshot", "s", &self->screenshot_page))
    {
      static const char *pages[] = { "queue", "datasets", "results" };

      if (!g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &rest) ||
          rest == NULL || rest[0] == NULL || rest[1] != NULL)
        {
          g_printerr ("usage: hyperstar --screenshot PAGE FILE\n");
          return 2;
        }
      if (!g_strv_contains (pages, self->screenshot_page))
        {
          g_printerr ("hyperstar: no page “%s” (queue, datasets, results)\n", self->screenshot_page);
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
  G_OBJECT_CLASS (hs_application_parent_class)->finalize (object);
}

static void
hs_application_class_init (HsApplicationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hs_application_finalize;
  G_APPLICATION_CLASS (klass)->activate = hs_application_activate;
  G_APPLICATION_CLASS (klass)->handle_local_options = hs_application_handle_local_options;
}

static void
hs_application_init (HsApplication *self)
{
  static const GOptionEntry entries[] = {
    { "socket", 0, 0, G_OPTION_ARG_FILENAME, NULL, "Talk to hyperstard on this socket", "PATH" },
    { "screenshot", 0, 0, G_OPTION_ARG_STRING, NULL,
      "Write a PNG of the window showing PAGE (queue, datasets, results) to FILE, and quit", "PAGE" },
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
