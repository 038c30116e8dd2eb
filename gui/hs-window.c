/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsWindow: see hs-window.h.  Lists are GListStores of HsItem fed by
 * requests and kept current by the event stream; nothing here waits on
 * the daemon.
 */
#define G_LOG_DOMAIN "hs-window"

#include <math.h>

#include "hs-item.h"
#include "hs-window-private.h"

#define MAX_OVERLAID 6

struct _HsWindow
{
  AdwApplicationWindow parent_instance;

  HsClient *client;
  GCancellable *cancellable;
  GListStore *searches;
  GListStore *datasets;
  GListStore *trials;
  GtkSingleSelection *queue_selection;
  GtkMultiSelection *results_selection;
  guint pending;
  guint results_generation;

  /* Template children. */
  AdwViewSwitcherTitle *switcher_title;
  AdwToastOverlay *toast_overlay;
  GtkStack *main_stack;
  AdwStatusPage *offline_page;
  AdwViewStack *stack;
  GtkColumnView *searches_view;
  GtkColumnView *trials_view;
  GtkColumnView *datasets_view;
  GtkListView *results_list;
  HsChart *best_chart;
  HsChart *curves_chart;
};

G_DEFINE_FINAL_TYPE (HsWindow, hs_window, ADW_TYPE_APPLICATION_WINDOW)

static void
toast (HsWindow *self, const char *text)
{
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_timeout (t, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static gboolean
is_final (const char *state)
{
  return state != NULL && (g_str_equal (state, "done") || g_str_equal (state, "cancelled") ||
                           g_str_equal (state, "failed"));
}

/* Cells: a label showing one column of the row's HsItem, kept current. */

static void
cell_refresh (HsItem *item, GParamSpec *pspec, GtkListItem *list_item)
{
  const char *key = g_object_get_data (G_OBJECT (list_item), "hs-column");
  g_autofree char *text = hs_item_format (item, key);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)), text);
}

static void
cell_setup (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
  g_object_set_data (G_OBJECT (list_item), "hs-column", data);
}

static void
cell_bind (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  HsItem *item = gtk_list_item_get_item (list_item);
  gulong id = g_signal_connect (item, "notify::object", G_CALLBACK (cell_refresh), list_item);

  g_object_set_data (G_OBJECT (list_item), "hs-handler", GSIZE_TO_POINTER (id));
  cell_refresh (item, NULL, list_item);
}

static void
cell_unbind (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  HsItem *item = gtk_list_item_get_item (list_item);
  gulong id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (list_item), "hs-handler"));

  if (item != NULL && id != 0)
    g_signal_handler_disconnect (item, id);
  g_object_set_data (G_OBJECT (list_item), "hs-handler", NULL);
}

static GtkListItemFactory *
cell_factory (const char *column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), (gpointer) column);
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind), NULL);
  return factory;
}

static void
add_column (GtkColumnView *view, const char *title, const char *column, gboolean expand)
{
  g_autoptr(GtkColumnViewColumn) c = gtk_column_view_column_new (title, cell_factory (column));

  gtk_column_view_column_set_expand (c, expand);
  gtk_column_view_append_column (view, c);
}

/* Loading */

typedef void (*ReplyFunc) (HsWindow *self, JsonNode *reply, const GError *error);

typedef struct {
  HsWindow *self;
  ReplyFunc func;
} Call;

static void
call_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Call *call = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = hs_client_request_finish (HS_CLIENT (source), result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      call->self->pending--;
      call->func (call->self, reply, error);
    }
  g_object_unref (call->self);
  g_free (call);
}

static void
call (HsWindow *self, const char *method, const char *path, JsonNode *body, ReplyFunc func)
{
  Call *c = g_new0 (Call, 1);

  c->self = g_object_ref (self);
  c->func = func;
  self->pending++;
  hs_client_request_async (self->client, method, path, body, self->cancellable, call_done_cb, c);
}

static void
show_offline (HsWindow *self, const GError *error)
{
  adw_status_page_set_description (self->offline_page, error->message);
  gtk_stack_set_visible_child_name (self->main_stack, "offline");
}

/* A reply that failed: no daemon shows the status page, a refusal a toast. */
static gboolean
check_reply (HsWindow *self, JsonNode *reply, const GError *error)
{
  if (error != NULL)
    {
      if (g_error_matches (error, HS_CLIENT_ERROR, HS_CLIENT_ERROR_NOT_RUNNING))
        show_offline (self, error);
      else
        toast (self, error->message);
      return FALSE;
    }
  gtk_stack_set_visible_child_name (self->main_stack, "content");
  return reply != NULL && JSON_NODE_HOLDS_OBJECT (reply);
}

static void
replace_store (GListStore *store, JsonArray *array, const char *key_member)
{
  guint n = array ? json_array_get_length (array) : 0;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      g_autofree char *key = NULL;

      if (o == NULL)
        continue;
      key = g_str_equal (key_member, "id")
            ? g_strdup_printf ("%" G_GINT64_FORMAT, hs_json_get_int (o, "id", 0))
            : g_strdup (hs_json_get_string (o, key_member));
      g_ptr_array_add (items, hs_item_new (key, o));
    }
  g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                       items->pdata, items->len);
}

static void
searches_loaded (HsWindow *self, JsonNode *reply, const GError *error)
{
  if (check_reply (self, reply, error))
    replace_store (self->searches, hs_json_get_array (json_node_get_object (reply), "searches"),
                   "id");
}

static void
datasets_loaded (HsWindow *self, JsonNode *reply, const GError *error)
{
  const char *catalog_error;

  if (!check_reply (self, reply, error))
    return;
  replace_store (self->datasets, hs_json_get_array (json_node_get_object (reply), "datasets"),
                 "name");
  if ((catalog_error = hs_json_get_string (json_node_get_object (reply), "catalog_error")))
    toast (self, catalog_error);
}

static void
reload (HsWindow *self)
{
  call (self, "GET", "/searches?limit=1000", NULL, searches_loaded);
  call (self, "GET", "/datasets", NULL, datasets_loaded);
}

static void
upsert (GListStore *store, const char *key, JsonObject *object, gboolean prepend)
{
  guint position;

  if (hs_item_store_find (store, key, &position))
    {
      g_autoptr(HsItem) item = g_list_model_get_item (G_LIST_MODEL (store), position);

      hs_item_update (item, object);
    }
  else
    {
      g_autoptr(HsItem) item = hs_item_new (key, object);

      if (prepend)
        g_list_store_insert (store, 0, item);
      else
        g_list_store_append (store, item);
    }
}

static void
search_refreshed (HsWindow *self, JsonNode *reply, const GError *error)
{
  if (error == NULL && reply != NULL && JSON_NODE_HOLDS_OBJECT (reply))
    {
      JsonObject *o = json_node_get_object (reply);
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, hs_json_get_int (o, "id", 0));

      upsert (self->searches, key, o, TRUE);
    }
}

static void
remove_trials_of (HsWindow *self, gint64 search_id)
{
  g_autofree char *prefix = g_strdup_printf ("%" G_GINT64_FORMAT ":", search_id);

  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->trials)); i-- > 0;)
    {
      g_autoptr(HsItem) item = g_list_model_get_item (G_LIST_MODEL (self->trials), i);

      if (g_str_has_prefix (hs_item_get_key (item), prefix))
        g_list_store_remove (self->trials, i);
    }
}

static void reload_results (HsWindow *self);

static gboolean
results_show (HsWindow *self, gint64 search_id)
{
  GtkBitset *selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->results_selection));
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, search_id);
  guint position;
  gboolean shown = hs_item_store_find (self->searches, key, &position) &&
                   gtk_bitset_contains (selected, position);

  gtk_bitset_unref (selected);
  return shown;
}

static void
event_cb (HsClient *client, const char *type, gint64 search_id, JsonObject *data, HsWindow *self)
{
  g_autofree char *search_key = g_strdup_printf ("%" G_GINT64_FORMAT, search_id);

  if (g_str_equal (type, "search-state"))
    {
      const char *state = hs_json_get_string (data, "state");
      const char *before = NULL;
      guint position;

      if (hs_item_store_find (self->searches, search_key, &position))
        {
          g_autoptr(HsItem) item = g_list_model_get_item (G_LIST_MODEL (self->searches), position);

          before = hs_json_get_string (hs_item_get_object (item), "state");
          /* Kept for the comparison below: upsert drops the old object. */
          before = before ? g_intern_string (before) : NULL;
        }
      upsert (self->searches, search_key, data, TRUE);
      if (is_final (state))
        {
          remove_trials_of (self, search_id);
          if (!is_final (before))
            {
              double best = hs_json_get_double (data, "best_val_acc");
              g_autofree char *text =
                isnan (best) ? g_strdup_printf ("Search %" G_GINT64_FORMAT " %s", search_id, state)
                             : g_strdup_printf ("Search %" G_GINT64_FORMAT " %s: best %.1f %%",
                                                search_id, state, 100 * best);

              toast (self, text);
            }
        }
    }
  else if (g_str_equal (type, "trial-started") || g_str_equal (type, "trial-progress") ||
           g_str_equal (type, "trial-epoch"))
    {
      gint64 trial = hs_json_get_int (data, g_str_equal (type, "trial-started") ? "id" : "trial_id", 0);
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                              search_id, trial);

      json_object_set_int_member (data, "search_id", search_id);
      json_object_set_int_member (data, "trial_id", trial);
      upsert (self->trials, key, data, FALSE);
    }
  else if (g_str_equal (type, "trial-finished"))
    {
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                              search_id, hs_json_get_int (data, "id", 0));
      g_autofree char *path = g_strdup_printf ("/searches/%" G_GINT64_FORMAT, search_id);
      guint position;

      if (hs_item_store_find (self->trials, key, &position))
        g_list_store_remove (self->trials, position);
      /* Counts and the best accuracy change without a search-state event. */
      call (self, "GET", path, NULL, search_refreshed);
      if (results_show (self, search_id))
        reload_results (self);
    }
  else if (g_str_equal (type, "dataset-added"))
    call (self, "GET", "/datasets", NULL, datasets_loaded);
}

/* Results */

typedef struct {
  HsWindow *self;
  guint generation;
  guint index;
  char *label;
} ResultsCall;

static void
results_trials_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  ResultsCall *rc = data;
  HsWindow *self = rc->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = hs_client_request_finish (HS_CLIENT (source), result, &error);
  JsonArray *trials;
  g_autoptr(GPtrArray) done = g_ptr_array_new ();
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ys = g_array_new (FALSE, FALSE, sizeof (double));
  double spent = 0, best = -1;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;
  self->pending--;
  if (rc->generation != self->results_generation)
    goto out;
  if (error != NULL)
    {
      toast (self, error->message);
      goto out;
    }
  trials = hs_json_get_array (json_node_get_object (reply), "trials");
  for (guint i = 0; trials && i < json_array_get_length (trials); i++)
    {
      JsonObject *t = json_array_get_object_element (trials, i);
      const char *state = hs_json_get_string (t, "state");

      if (state && g_str_equal (state, "done"))
        g_ptr_array_add (done, t);
    }
  /* Best so far against epochs spent, in the order trials finished. */
  for (guint i = 1; i < done->len; i++)
    for (guint j = i; j > 0 &&
         hs_json_get_int (done->pdata[j - 1], "finished", 0) >
         hs_json_get_int (done->pdata[j], "finished", 0); j--)
      {
        gpointer tmp = done->pdata[j];
        done->pdata[j] = done->pdata[j - 1];
        done->pdata[j - 1] = tmp;
      }
  for (guint i = 0; i < done->len; i++)
    {
      JsonObject *t = done->pdata[i];
      double acc = hs_json_get_double (t, "val_acc");

      spent += hs_json_get_int (t, "to_epoch", 0) - hs_json_get_int (t, "from_epoch", 0);
      if (!isnan (acc) && acc > best)
        best = acc;
      if (best >= 0)
        {
          g_array_append_val (xs, spent);
          g_array_append_val (ys, best);
        }
    }
  hs_chart_add_series (self->best_chart, rc->label, (double *) xs->data, (double *) ys->data,
                       xs->len);
  /* The learning curves of the first search shown. */
  if (rc->index == 0)
    for (guint i = 0; trials && i < json_array_get_length (trials); i++)
      {
        JsonObject *t = json_array_get_object_element (trials, i);
        JsonArray *curve = hs_json_get_array (t, "curve");
        gint64 from = hs_json_get_int (t, "from_epoch", 0);
        guint n = curve ? json_array_get_length (curve) : 0;
        g_autofree double *cx = g_new (double, n + 1);
        g_autofree double *cy = g_new (double, n + 1);
        g_autofree char *label = g_strdup_printf ("trial %" G_GINT64_FORMAT,
                                                  hs_json_get_int (t, "id", 0));

        for (guint j = 0; j < n; j++)
          {
            cx[j] = from + j + 1;
            cy[j] = json_node_get_double (json_array_get_element (curve, j));
          }
        if (n > 0)
          hs_chart_add_series (self->curves_chart, label, cx, cy, n);
      }
out:
  g_object_unref (rc->self);
  g_free (rc->label);
  g_free (rc);
}

static void
reload_results (HsWindow *self)
{
  GtkBitset *selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->results_selection));
  GtkBitsetIter iter;
  guint position, index = 0;

  self->results_generation++;
  hs_chart_clear (self->best_chart);
  hs_chart_clear (self->curves_chart);
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok && index < MAX_OVERLAID; ok = gtk_bitset_iter_next (&iter, &position), index++)
    {
      g_autoptr(HsItem) item = g_list_model_get_item (G_LIST_MODEL (self->searches), position);
      JsonObject *o = hs_item_get_object (item);
      g_autofree char *path = g_strdup_printf ("/searches/%s/trials?limit=1000",
                                               hs_item_get_key (item));
      ResultsCall *rc = g_new0 (ResultsCall, 1);

      rc->self = g_object_ref (self);
      rc->generation = self->results_generation;
      rc->index = index;
      rc->label = g_strdup_printf ("#%s %s %s", hs_item_get_key (item),
                                   hs_json_get_string (o, "dataset"),
                                   hs_json_get_string (o, "method"));
      self->pending++;
      hs_client_request_async (self->client, "GET", path, NULL, self->cancellable,
                               results_trials_cb, rc);
    }
  gtk_bitset_unref (selected);
}

static void
results_selection_changed_cb (GtkSelectionModel *model, guint position, guint n, HsWindow *self)
{
  reload_results (self);
}

/* Actions */

static HsItem *
selected_search (HsWindow *self)
{
  return gtk_single_selection_get_selected_item (self->queue_selection);
}

static void
state_changed (HsWindow *self, JsonNode *reply, const GError *error)
{
  if (check_reply (self, reply, error))
    search_refreshed (self, reply, NULL);
}

static void
search_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  HsWindow *self = HS_WINDOW (widget);
  HsItem *item = selected_search (self);
  g_autofree char *path = NULL;

  if (item == NULL)
    {
      toast (self, "Select a search first");
      return;
    }
  path = g_strdup_printf ("/searches/%s/%s", hs_item_get_key (item), strchr (action_name, '.') + 1);
  call (self, "POST", path, NULL, state_changed);
}

static void
reload_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  reload (HS_WINDOW (widget));
}

/* The start-search dialog (hs-start-dialog.ui). */

typedef struct {
  HsWindow *window;
  GtkBuilder *builder;
} StartDialog;

static void
start_dialog_free (StartDialog *sd)
{
  g_object_unref (sd->window);
  g_object_unref (sd->builder);
  g_free (sd);
}

static StartDialog *
start_dialog_get (GtkWindow *dialog)
{
  return g_object_get_data (G_OBJECT (dialog), "hs-start-dialog");
}

static void
fill_names (GtkWindow *dialog, const char *list_id, const char *member, JsonNode *reply,
            const GError *error)
{
  StartDialog *sd = start_dialog_get (dialog);
  GtkStringList *list = GTK_STRING_LIST (gtk_builder_get_object (sd->builder, list_id));
  JsonArray *array;

  if (error != NULL)
    {
      toast (sd->window, error->message);
      return;
    }
  array = hs_json_get_array (json_node_get_object (reply), member);
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      const char *name = hs_json_get_string (json_array_get_object_element (array, i), "name");

      if (name != NULL)
        gtk_string_list_append (list, name);
    }
}

static void
dialog_list_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GtkWindow) dialog = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = hs_client_request_finish (HS_CLIENT (source), result, &error);
  const char *which = g_object_get_data (G_OBJECT (source), "hs-dummy");
  JsonObject *o = reply && JSON_NODE_HOLDS_OBJECT (reply) ? json_node_get_object (reply) : NULL;

  (void) which;
  if (start_dialog_get (dialog) == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (o != NULL && json_object_has_member (o, "datasets"))
    fill_names (dialog, "datasets", "datasets", reply, NULL);
  else if (o != NULL && json_object_has_member (o, "spaces"))
    fill_names (dialog, "spaces", "spaces", reply, NULL);
  else if (error != NULL)
    fill_names (dialog, "datasets", "datasets", NULL, error);
}

static gboolean
select_name (GtkBuilder *builder, const char *row_id, const char *list_id, const char *name)
{
  GListModel *list = G_LIST_MODEL (gtk_builder_get_object (builder, list_id));

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (list), i), name))
      {
        adw_combo_row_set_selected (ADW_COMBO_ROW (gtk_builder_get_object (builder, row_id)), i);
        return TRUE;
      }
  return FALSE;
}

gboolean
hs_start_dialog_select (GtkWindow *dialog, const char *dataset, const char *space)
{
  StartDialog *sd = start_dialog_get (dialog);

  return select_name (sd->builder, "dataset_row", "datasets", dataset) &&
         select_name (sd->builder, "space_row", "spaces", space);
}

void
hs_start_dialog_set_budget (GtkWindow *dialog, int budget, int max_epochs, int eta)
{
  StartDialog *sd = start_dialog_get (dialog);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (gtk_builder_get_object (sd->builder, "budget_spin")), budget);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (gtk_builder_get_object (sd->builder, "max_epochs_spin")), max_epochs);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (gtk_builder_get_object (sd->builder, "eta_spin")), eta);
}

static void
search_started (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GtkWindow) dialog = data;
  StartDialog *sd = start_dialog_get (dialog);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = hs_client_request_finish (HS_CLIENT (source), result, &error);
  g_autofree char *text = NULL;

  if (sd == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (gtk_builder_get_object (sd->builder, "start_button")), TRUE);
  if (error != NULL)
    {
      toast (sd->window, error->message);
      return;
    }
  search_refreshed (sd->window, reply, NULL);
  text = g_strdup_printf ("Search %" G_GINT64_FORMAT " queued",
                          hs_json_get_int (json_node_get_object (reply), "id", 0));
  toast (sd->window, text);
  gtk_window_destroy (dialog);
}

static const char *
combo_string (GtkBuilder *builder, const char *row_id)
{
  GObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (gtk_builder_get_object (builder, row_id)));

  return item ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

void
hs_start_dialog_submit (GtkWindow *dialog)
{
  StartDialog *sd = start_dialog_get (dialog);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  const char *dataset = combo_string (sd->builder, "dataset_row");
  const char *space = combo_string (sd->builder, "space_row");

  if (dataset == NULL || space == NULL)
    {
      toast (sd->window, "Choose a dataset and a search space");
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "dataset");
  json_builder_add_string_value (b, dataset);
  json_builder_set_member_name (b, "space");
  json_builder_add_string_value (b, space);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, combo_string (sd->builder, "method_row"));
  json_builder_set_member_name (b, "settings");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "budget_epochs");
  json_builder_add_int_value (b, gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (gtk_builder_get_object (sd->builder, "budget_spin"))));
  json_builder_set_member_name (b, "max_epochs");
  json_builder_add_int_value (b, gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (gtk_builder_get_object (sd->builder, "max_epochs_spin"))));
  json_builder_set_member_name (b, "eta");
  json_builder_add_int_value (b, gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (gtk_builder_get_object (sd->builder, "eta_spin"))));
  json_builder_end_object (b);
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  gtk_widget_set_sensitive (GTK_WIDGET (gtk_builder_get_object (sd->builder, "start_button")), FALSE);
  hs_client_request_async (sd->window->client, "POST", "/searches", body, sd->window->cancellable,
                           search_started, g_object_ref (dialog));
}

static void
start_clicked_cb (GtkButton *button, GtkWindow *dialog)
{
  hs_start_dialog_submit (dialog);
}

GtkWindow *
hs_window_open_start_dialog (HsWindow *self)
{
  StartDialog *sd = g_new0 (StartDialog, 1);
  GtkWindow *dialog;

  sd->window = g_object_ref (self);
  sd->builder = gtk_builder_new_from_resource ("/io/github/hyperstar/Workbench/hs-start-dialog.ui");
  dialog = GTK_WINDOW (gtk_builder_get_object (sd->builder, "dialog"));
  g_object_set_data_full (G_OBJECT (dialog), "hs-start-dialog", sd,
                          (GDestroyNotify) start_dialog_free);
  gtk_window_set_transient_for (dialog, GTK_WINDOW (self));
  g_signal_connect_swapped (gtk_builder_get_object (sd->builder, "cancel_button"), "clicked",
                            G_CALLBACK (gtk_window_destroy), dialog);
  g_signal_connect (gtk_builder_get_object (sd->builder, "start_button"), "clicked",
                    G_CALLBACK (start_clicked_cb), dialog);
  hs_client_request_async (self->client, "GET", "/datasets", NULL, self->cancellable,
                           dialog_list_cb, g_object_ref (dialog));
  hs_client_request_async (self->client, "GET", "/spaces", NULL, self->cancellable,
                           dialog_list_cb, g_object_ref (dialog));
  gtk_window_present (dialog);
  return dialog;
}

static void
new_search_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  hs_window_open_start_dialog (HS_WINDOW (widget));
}

/* Accessors */

GListModel *hs_window_get_searches (HsWindow *self) { return G_LIST_MODEL (self->searches); }
GListModel *hs_window_get_datasets (HsWindow *self) { return G_LIST_MODEL (self->datasets); }
GListModel *hs_window_get_trials (HsWindow *self) { return G_LIST_MODEL (self->trials); }
HsChart *hs_window_get_best_chart (HsWindow *self) { return self->best_chart; }
HsChart *hs_window_get_curves_chart (HsWindow *self) { return self->curves_chart; }
guint hs_window_get_pending (HsWindow *self) { return self->pending; }

void
hs_window_set_page (HsWindow *self, const char *page)
{
  g_return_if_fail (HS_IS_WINDOW (self));
  adw_view_stack_set_visible_child_name (self->stack, page);
  if (g_str_equal (page, "results") &&
      gtk_bitset_is_empty (gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->results_selection))) &&
      g_list_model_get_n_items (G_LIST_MODEL (self->searches)) > 0)
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->results_selection), 0, TRUE);
}

/* GObject */

HsWindow *
hs_window_new (GtkApplication *app, HsClient *client)
{
  HsWindow *self = g_object_new (HS_TYPE_WINDOW, "application", app, NULL);

  self->client = g_object_ref (client);
  g_signal_connect_object (client, "event", G_CALLBACK (event_cb), self, 0);
  hs_client_watch_events (client);
  reload (self);
  return self;
}

static void
hs_window_dispose (GObject *object)
{
  HsWindow *self = HS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_WINDOW);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (hs_window_parent_class)->dispose (object);
}

static void
hs_window_finalize (GObject *object)
{
  HsWindow *self = HS_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->searches);
  g_clear_object (&self->datasets);
  g_clear_object (&self->trials);
  g_clear_object (&self->queue_selection);
  g_clear_object (&self->results_selection);
  G_OBJECT_CLASS (hs_window_parent_class)->finalize (object);
}

static void
hs_window_class_init (HsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_window_dispose;
  object_class->finalize = hs_window_finalize;

  g_type_ensure (HS_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hyperstar/Workbench/hs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HsWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, offline_page);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, searches_view);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, trials_view);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, datasets_view);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, results_list);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, best_chart);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, curves_chart);

  gtk_widget_class_install_action (widget_class, "win.new-search", NULL, new_search_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.resume", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.reload", NULL);
}

static void
hs_window_init (HsWindow *self)
{
  g_autoptr(GtkListItemFactory) title_factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->searches = g_list_store_new (HS_TYPE_ITEM);
  self->datasets = g_list_store_new (HS_TYPE_ITEM);
  self->trials = g_list_store_new (HS_TYPE_ITEM);

  self->queue_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->searches)));
  gtk_single_selection_set_autoselect (self->queue_selection, FALSE);
  gtk_column_view_set_model (self->searches_view, GTK_SELECTION_MODEL (self->queue_selection));
  add_column (self->searches_view, "Search", "id", FALSE);
  add_column (self->searches_view, "Dataset", "dataset", TRUE);
  add_column (self->searches_view, "Method", "method", TRUE);
  add_column (self->searches_view, "State", "state", FALSE);
  add_column (self->searches_view, "Trials", "trials", TRUE);
  add_column (self->searches_view, "Epochs", "budget", TRUE);
  add_column (self->searches_view, "Best", "best", FALSE);

  gtk_column_view_set_model (self->trials_view,
    GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->trials)))));
  add_column (self->trials_view, "Search", "search_id", FALSE);
  add_column (self->trials_view, "Trial", "trial_id", FALSE);
  add_column (self->trials_view, "Progress", "progress", TRUE);
  add_column (self->trials_view, "Last Val Acc", "val_acc", FALSE);

  gtk_column_view_set_model (self->datasets_view,
    GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->datasets)))));
  add_column (self->datasets_view, "Name", "name", TRUE);
  add_column (self->datasets_view, "Source", "source", FALSE);
  add_column (self->datasets_view, "Family", "family", TRUE);
  add_column (self->datasets_view, "Classes", "classes", FALSE);
  add_column (self->datasets_view, "Images", "images", FALSE);
  add_column (self->datasets_view, "Cache", "built", FALSE);

  self->results_selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->searches)));
  gtk_list_view_set_model (self->results_list, GTK_SELECTION_MODEL (self->results_selection));
  title_factory = cell_factory ("title");
  gtk_list_view_set_factory (self->results_list, title_factory);
  g_signal_connect (self->results_selection, "selection-changed",
                    G_CALLBACK (results_selection_changed_cb), self);

  hs_chart_set_axis_labels (self->best_chart, "epochs spent", "best val acc");
  hs_chart_set_y_range (self->best_chart, 0, 1);
  hs_chart_set_placeholder (self->best_chart, "Select searches to compare (Ctrl-click for several)");
  hs_chart_set_axis_labels (self->curves_chart, "epoch", "val acc");
  hs_chart_set_y_range (self->curves_chart, 0, 1);
  hs_chart_set_placeholder (self->curves_chart, "Learning curves of the first selected search");
}
