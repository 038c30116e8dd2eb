/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsQueuePage: see hs-queue-page.h.
 */
#define G_LOG_DOMAIN "hs-queue-page"

#include <glib/gi18n.h>
#include <math.h>

#include "hs-columns.h"
#include "hs-queue-page.h"

struct _HsQueuePage
{
  AdwBin parent_instance;

  HsSession *session;
  GtkSingleSelection *selection;
  HsItem *selected;             /* watched for state changes */

  GtkStack *stack;
  GtkColumnView *searches_view;
  GtkColumnView *trials_view;
  GtkLabel *selection_label;
};

G_DEFINE_FINAL_TYPE (HsQueuePage, hs_queue_page, ADW_TYPE_BIN)

/* Which state changes the daemon allows (docs/api.md). */
static gboolean
action_allowed (HsQueuePage *self, const char *action)
{
  JsonObject *o = self->selected ? hs_item_get_object (self->selected) : NULL;
  const char *state = o ? hs_json_get_string (o, "state") : NULL;

  if (state == NULL)
    return FALSE;
  if (g_str_equal (action, "queue.pause"))
    return g_str_equal (state, "queued") || g_str_equal (state, "running");
  if (g_str_equal (action, "queue.resume"))
    return g_str_equal (state, "paused");
  return !hs_search_state_is_final (state);
}

static void
update_actions (HsQueuePage *self)
{
  static const char *actions[] = { "queue.pause", "queue.resume", "queue.cancel" };
  JsonObject *o = self->selected ? hs_item_get_object (self->selected) : NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i],
                                   action_allowed (self, actions[i]));
  if (o != NULL)
    {
      g_autofree char *state = hs_item_format (self->selected, "state");

      text = g_strdup_printf (_("Search %lld · %s"), (long long) hs_json_get_int (o, "id", 0),
                              hs_json_get_string (o, "error") ? hs_json_get_string (o, "error")
                                                              : state);
    }
  gtk_label_set_text (self->selection_label, text ? text : _("No search selected"));
}

static void
selected_changed_cb (HsItem *item, GParamSpec *pspec, HsQueuePage *self)
{
  update_actions (self);
}

static void
watch_selected (HsQueuePage *self)
{
  HsItem *item = gtk_single_selection_get_selected_item (self->selection);

  if (item == self->selected)
    return;
  if (self->selected != NULL)
    g_signal_handlers_disconnect_by_func (self->selected, selected_changed_cb, self);
  g_set_object (&self->selected, item);
  if (item != NULL)
    g_signal_connect (item, "notify::object", G_CALLBACK (selected_changed_cb), self);
  update_actions (self);
}

static void
selection_changed_cb (GtkSelectionModel *model, guint position, guint n, HsQueuePage *self)
{
  watch_selected (self);
}

static void
searches_changed_cb (GListModel *model, guint position, guint removed, guint added,
                     HsQueuePage *self)
{
  gtk_stack_set_visible_child_name (self->stack,
                                    g_list_model_get_n_items (model) > 0 ? "list" : "empty");
  watch_selected (self);
}

static void
search_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  HsQueuePage *self = HS_QUEUE_PAGE (widget);
  g_autofree char *path = NULL;

  if (self->selected == NULL)
    return;
  path = g_strdup_printf ("/searches/%s/%s", hs_item_get_key (self->selected),
                          strchr (action_name, '.') + 1);
  hs_session_call_search (self->session, "POST", path,
                          g_ascii_strtoll (hs_item_get_key (self->selected), NULL, 10));
}

gboolean
hs_queue_page_select_search (HsQueuePage *self, gint64 id)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  GListModel *model = G_LIST_MODEL (self->selection);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HsItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (hs_item_get_key (item), key))
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

/* Running trials: a progress bar per trial. */

static double
trial_fraction (JsonObject *o)
{
  double fraction = hs_json_get_double (o, "fraction");
  gint64 from = hs_json_get_int (o, "from_epoch", 0), to = hs_json_get_int (o, "to_epoch", 0);
  gint64 epoch = hs_json_get_int (o, "epoch", 0);
  const char *phase = hs_json_get_string (o, "phase");

  if (isnan (fraction))
    fraction = 0;
  if ((phase && g_str_equal (phase, "preparing")) || to <= from || epoch <= 0)
    return 0;
  return CLAMP ((epoch - 1 - from + fraction) / (double) (to - from), 0, 1);
}

static void
progress_refresh (HsItem *item, GParamSpec *pspec, GtkListItem *list_item)
{
  GtkProgressBar *bar = GTK_PROGRESS_BAR (gtk_list_item_get_child (list_item));
  g_autofree char *text = hs_item_format (item, "progress");

  gtk_progress_bar_set_fraction (bar, trial_fraction (hs_item_get_object (item)));
  gtk_progress_bar_set_text (bar, text);
}

static void
progress_setup (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  GtkWidget *bar = gtk_progress_bar_new ();

  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (bar), TRUE);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_list_item_set_child (list_item, bar);
}

static void
progress_bind (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  HsItem *item = gtk_list_item_get_item (list_item);

  g_signal_connect (item, "notify::object", G_CALLBACK (progress_refresh), list_item);
  progress_refresh (item, NULL, list_item);
}

static void
progress_unbind (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  HsItem *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, progress_refresh, list_item);
}

static void
add_progress_column (GtkColumnView *view)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) c = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (progress_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (progress_bind), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (progress_unbind), NULL);
  c = gtk_column_view_column_new (_("Progress"), factory);
  gtk_column_view_column_set_expand (c, TRUE);
  gtk_column_view_append_column (view, c);
}

/* GObject */

GtkWidget *
hs_queue_page_new (HsSession *session)
{
  HsQueuePage *self = g_object_new (HS_TYPE_QUEUE_PAGE, NULL);
  GListModel *searches = hs_session_get_searches (session);
  g_autoptr(GtkSortListModel) sorted_trials = NULL;
  GtkSortListModel *sorted_searches;

  self->session = g_object_ref (session);
  sorted_searches = hs_columns_sorted (self->searches_view, g_object_ref (searches));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted_searches));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->searches_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, 0);
  g_signal_connect_object (searches, "items-changed", G_CALLBACK (searches_changed_cb), self, 0);

  sorted_trials = hs_columns_sorted (self->trials_view,
                                     g_object_ref (hs_session_get_trials (session)));
  gtk_column_view_set_model (self->trials_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&sorted_trials)))));
  searches_changed_cb (searches, 0, 0, 0, self);
  update_actions (self);
  return GTK_WIDGET (self);
}

static void
hs_queue_page_dispose (GObject *object)
{
  HsQueuePage *self = HS_QUEUE_PAGE (object);

  if (self->selected != NULL)
    g_signal_handlers_disconnect_by_func (self->selected, selected_changed_cb, self);
  g_clear_object (&self->selected);
  g_clear_object (&self->selection);
  /* AdwBin's dispose unparents the template's child. */
  g_clear_object (&self->session);
  G_OBJECT_CLASS (hs_queue_page_parent_class)->dispose (object);
}

static void
hs_queue_page_class_init (HsQueuePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = hs_queue_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hyperstar/Workbench/hs-queue-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HsQueuePage, stack);
  gtk_widget_class_bind_template_child (widget_class, HsQueuePage, searches_view);
  gtk_widget_class_bind_template_child (widget_class, HsQueuePage, trials_view);
  gtk_widget_class_bind_template_child (widget_class, HsQueuePage, selection_label);
  gtk_widget_class_install_action (widget_class, "queue.pause", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "queue.resume", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "queue.cancel", NULL, search_action);
}

static void
hs_queue_page_init (HsQueuePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  hs_columns_add (self->searches_view, _("Search"), "id", FALSE, "id");
  hs_columns_add (self->searches_view, _("Dataset"), "dataset", TRUE, "dataset");
  hs_columns_add (self->searches_view, _("Method"), "method", TRUE, "method");
  hs_columns_add (self->searches_view, _("State"), "state", FALSE, "state");
  hs_columns_add (self->searches_view, _("Trials"), "trials", TRUE, "n_done");
  hs_columns_add (self->searches_view, _("Epochs"), "budget", TRUE, "epochs_spent");
  hs_columns_add (self->searches_view, _("Best"), "best", FALSE, "best_val_acc");

  hs_columns_add (self->trials_view, _("Search"), "search_id", FALSE, "search_id");
  hs_columns_add (self->trials_view, _("Trial"), "trial_id", FALSE, "trial_id");
  add_progress_column (self->trials_view);
  hs_columns_add (self->trials_view, _("Last Val Acc"), "val_acc", FALSE, "val_acc");
}
