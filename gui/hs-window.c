/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsWindow: see hs-window.h.  The pages do the work; the window holds
 * them, the header's actions, the toasts and the offline page.
 */
#define G_LOG_DOMAIN "hs-window"

#include <glib/gi18n.h>

#include "hs-datasets-page.h"
#include "hs-queue-page.h"
#include "hs-results-page.h"
#include "hs-spaces-page.h"
#include "hs-window-private.h"

struct _HsWindow
{
  AdwApplicationWindow parent_instance;

  HsSession *session;
  char *last_message;
  GtkWidget *queue_page;
  GtkWidget *datasets_page;
  GtkWidget *spaces_page;
  GtkWidget *results_page;

  /* Template children. */
  AdwToastOverlay *toast_overlay;
  GtkStack *main_stack;
  AdwStatusPage *offline_page;
  AdwViewStack *stack;
};

G_DEFINE_FINAL_TYPE (HsWindow, hs_window, ADW_TYPE_APPLICATION_WINDOW)

static void
message_cb (HsSession *session, const char *text, HsWindow *self)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  g_free (self->last_message);
  self->last_message = g_strdup (text);
}

static void
offline_cb (HsSession *session, GParamSpec *pspec, HsWindow *self)
{
  const char *reason = hs_session_get_offline_reason (session);

  if (reason != NULL)
    adw_status_page_set_description (self->offline_page, reason);
  gtk_stack_set_visible_child_name (self->main_stack, reason ? "offline" : "content");
}

GtkWindow *
hs_window_open_start_dialog (HsWindow *self)
{
  /* The dataset shown on the Datasets page, if any, is the likely one. */
  JsonObject *shown = hs_datasets_page_get_detail (HS_DATASETS_PAGE (self->datasets_page));
  GtkWindow *dialog = hs_start_dialog_new (self->session, GTK_WINDOW (self),
                                           shown ? hs_json_get_string (shown, "name") : NULL);

  gtk_window_present (dialog);
  return dialog;
}

gboolean
hs_window_set_page (HsWindow *self, const char *page)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), FALSE);

  if (hs_window_get_page (self, page) == NULL)
    return FALSE;
  adw_view_stack_set_visible_child_name (self->stack, page);
  if (g_str_equal (page, "results"))
    hs_results_page_select_default (HS_RESULTS_PAGE (self->results_page));
  else if (g_str_equal (page, "datasets"))
    hs_datasets_page_select_default (HS_DATASETS_PAGE (self->datasets_page));
  return TRUE;
}

/* Actions */

static void
new_search_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  hs_window_open_start_dialog (HS_WINDOW (widget));
}

static void
reload_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  hs_session_reload (HS_WINDOW (widget)->session);
}

static void
page_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  hs_window_set_page (HS_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
export_csv_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);

  hs_window_set_page (self, "results");
  hs_results_page_choose_export (HS_RESULTS_PAGE (self->results_page));
}

static void
import_dataset_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);

  hs_window_set_page (self, "datasets");
  hs_datasets_page_choose_import (HS_DATASETS_PAGE (self->datasets_page));
}

/* Accessors */

HsSession *hs_window_get_session (HsWindow *self) { return self->session; }
GListModel *hs_window_get_searches (HsWindow *self) { return hs_session_get_searches (self->session); }
GListModel *hs_window_get_datasets (HsWindow *self) { return hs_session_get_datasets (self->session); }
GListModel *hs_window_get_trials (HsWindow *self) { return hs_session_get_trials (self->session); }
guint hs_window_get_pending (HsWindow *self) { return hs_session_get_pending (self->session); }
const char *hs_window_get_last_message (HsWindow *self) { return self->last_message; }

HsChart *
hs_window_get_best_chart (HsWindow *self)
{
  return hs_results_page_get_best_chart (HS_RESULTS_PAGE (self->results_page));
}

HsChart *
hs_window_get_curves_chart (HsWindow *self)
{
  return hs_results_page_get_curves_chart (HS_RESULTS_PAGE (self->results_page));
}

GtkWidget *
hs_window_get_page (HsWindow *self, const char *page)
{
  return page ? adw_view_stack_get_child_by_name (self->stack, page) : NULL;
}

/* GObject */

static void
add_page (HsWindow *self, GtkWidget *page, const char *name, const char *title,
          const char *icon_name)
{
  AdwViewStackPage *p = adw_view_stack_add_titled (self->stack, page, name, title);

  adw_view_stack_page_set_icon_name (p, icon_name);
}

HsWindow *
hs_window_new (GtkApplication *app, HsClient *client)
{
  HsWindow *self = g_object_new (HS_TYPE_WINDOW, "application", app, NULL);

  self->session = hs_session_new (client);
  g_signal_connect_object (self->session, "message", G_CALLBACK (message_cb), self, 0);
  g_signal_connect_object (self->session, "notify::offline-reason", G_CALLBACK (offline_cb),
                           self, 0);
  self->queue_page = hs_queue_page_new (self->session);
  self->datasets_page = hs_datasets_page_new (self->session);
  self->spaces_page = hs_spaces_page_new (self->session);
  self->results_page = hs_results_page_new (self->session);
  add_page (self, self->queue_page, "queue", _("Queue"), "view-list-symbolic");
  add_page (self, self->datasets_page, "datasets", _("Datasets"), "folder-pictures-symbolic");
  add_page (self, self->spaces_page, "spaces", _("Spaces"), "preferences-other-symbolic");
  add_page (self, self->results_page, "results", _("Results"), "x-office-presentation-symbolic");
  hs_session_reload (self->session);
  return self;
}

static void
hs_window_dispose (GObject *object)
{
  HsWindow *self = HS_WINDOW (object);

  if (self->session != NULL)
    g_object_run_dispose (G_OBJECT (self->session));
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_WINDOW);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (hs_window_parent_class)->dispose (object);
}

static void
hs_window_finalize (GObject *object)
{
  HsWindow *self = HS_WINDOW (object);

  g_free (self->last_message);
  G_OBJECT_CLASS (hs_window_parent_class)->finalize (object);
}

static void
hs_window_class_init (HsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_window_dispose;
  object_class->finalize = hs_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hyperstar/Workbench/hs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, offline_page);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, stack);

  gtk_widget_class_install_action (widget_class, "win.new-search", NULL, new_search_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.page", "s", page_action);
  gtk_widget_class_install_action (widget_class, "win.export-csv", NULL, export_csv_action);
  gtk_widget_class_install_action (widget_class, "win.import-dataset", NULL,
                                   import_dataset_action);
}

static void
hs_window_init (HsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
