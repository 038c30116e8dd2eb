/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsResultsPage: see hs-results-page.h.
 *
 * Each shown search keeps its trials in a GListStore of HsItem whose
 * position is the trial id (ids count from 0 without gaps, and pages come
 * in id order).  Events that arrive while a search is still loading are
 * kept and applied once it is complete.
 */
#define G_LOG_DOMAIN "hs-results-page"

#include <glib/gi18n.h>
#include <math.h>

#include "hs-columns.h"
#include "hs-results-page.h"

#define MAX_SHOWN 6
#define PAGE_SIZE 1000
/* Learning curves drawn at most (the best ones when there are more). */
#define MAX_CURVES 400
/* Charts are redrawn at most this often while events stream in. */
#define REDRAW_MS 250

typedef struct {
  gint64 id;
  GListStore *trials;
  gboolean complete;
  GPtrArray *held;             /* events (JsonObject with "type") kept while loading */
} Shown;

struct _HsResultsPage
{
  AdwBin parent_instance;

  HsSession *session;
  GtkMultiSelection *selection;
  GPtrArray *shown;            /* Shown, the first is the focus */
  GtkSortListModel *table;
  guint redraw_source;

  GtkListView *searches_list;
  GtkColumnView *trials_view;
  GtkLabel *summary_label;
  HsChart *best_chart;
  HsChart *curves_chart;
};

G_DEFINE_FINAL_TYPE (HsResultsPage, hs_results_page, ADW_TYPE_BIN)

static void schedule_redraw (HsResultsPage *self);

static void
shown_free (gpointer data)
{
  Shown *s = data;

  g_object_unref (s->trials);
  g_ptr_array_unref (s->held);
  g_free (s);
}

static Shown *
find_shown (HsResultsPage *self, gint64 id)
{
  for (guint i = 0; i < self->shown->len; i++)
    if (((Shown *) self->shown->pdata[i])->id == id)
      return self->shown->pdata[i];
  return NULL;
}

static gboolean
trial_is_over (JsonObject *o)
{
  const char *state = hs_json_get_string (o, "state");

  return state != NULL && (g_str_equal (state, "done") || g_str_equal (state, "failed"));
}

/* Applying what the event stream says about a trial */

static void
apply_trial (Shown *s, JsonObject *trial)
{
  gint64 id = hs_json_get_int (trial, "id", -1);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (s->trials));
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  if (id >= 0 && id < n)
    {
      g_autoptr(HsItem) item = g_list_model_get_item (G_LIST_MODEL (s->trials), id);

      /* A late trial-started never undoes a result. */
      if (!(trial_is_over (hs_item_get_object (item)) && !trial_is_over (trial)))
        hs_item_update (item, trial);
    }
  else if (id == n)
    {
      g_autoptr(HsItem) item = hs_item_new (key, trial);

      g_list_store_append (s->trials, item);
    }
}

/* A trial-epoch event: the running trial's curve grows by one point. */
static void
apply_epoch (Shown *s, JsonObject *data)
{
  gint64 id = hs_json_get_int (data, "trial_id", -1);
  g_autoptr(HsItem) item = NULL;
  g_autoptr(JsonObject) copy = NULL;
  JsonObject *o;
  JsonArray *curve, *grown;
  GList *members;
  double acc = hs_json_get_double (data, "val_acc");

  if (id < 0 || id >= g_list_model_get_n_items (G_LIST_MODEL (s->trials)) || isnan (acc))
    return;
  item = g_list_model_get_item (G_LIST_MODEL (s->trials), id);
  o = hs_item_get_object (item);
  curve = hs_json_get_array (o, "curve");
  if (trial_is_over (o) ||
      (curve ? json_array_get_length (curve) : 0) !=
      (guint) MAX (0, hs_json_get_int (data, "epoch", 0) - hs_json_get_int (o, "from_epoch", 0) - 1))
    return;
  copy = json_object_new ();
  members = json_object_get_members (o);
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (copy, l->data, json_node_copy (json_object_get_member (o, l->data)));
  g_list_free (members);
  grown = json_array_new ();
  for (guint i = 0; curve && i < json_array_get_length (curve); i++)
    json_array_add_element (grown, json_node_copy (json_array_get_element (curve, i)));
  json_array_add_double_element (grown, acc);
  json_object_set_array_member (copy, "curve", grown);
  json_object_set_double_member (copy, "val_acc", acc);
  hs_item_update (item, copy);
}

static void
apply_event (Shown *s, const char *type, JsonObject *data)
{
  if (g_str_equal (type, "trial-epoch"))
    apply_epoch (s, data);
  else
    apply_trial (s, data);
}

static void
event_cb (HsClient *client, const char *type, gint64 search_id, JsonObject *data,
          HsResultsPage *self)
{
  Shown *s;

  if (!g_str_equal (type, "trial-started") && !g_str_equal (type, "trial-finished") &&
      !g_str_equal (type, "trial-epoch"))
    return;
  if ((s = find_shown (self, search_id)) == NULL)
    return;
  if (!s->complete)
    {
      JsonObject *held = json_object_new ();

      json_object_set_string_member (held, "type", type);
      json_object_set_object_member (held, "data", json_object_ref (data));
      g_ptr_array_add (s->held, held);
      return;
    }
  apply_event (s, type, data);
  schedule_redraw (self);
}

/* Loading, page by page */

typedef struct {
  gint64 id;
  guint offset;
} PageRequest;

static void load_page (HsResultsPage *self, gint64 id, guint offset);

static void
page_loaded (gpointer owner, JsonNode *reply, const GError *error, gpointer data)
{
  HsResultsPage *self = owner;
  PageRequest *pr = data;
  Shown *s = find_shown (self, pr->id);
  JsonObject *o;
  JsonArray *trials;
  guint n;
  gint64 total;

  if (s == NULL || s->complete)
    return;     /* no longer shown (or shown again: that load goes on) */
  if (!hs_session_check (self->session, reply, error))
    return;
  o = json_node_get_object (reply);
  trials = hs_json_get_array (o, "trials");
  n = trials ? json_array_get_length (trials) : 0;
  if (g_list_model_get_n_items (G_LIST_MODEL (s->trials)) != pr->offset)
    return;     /* a stale page of an earlier load */
  {
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < n; i++)
      {
        JsonObject *t = json_array_get_object_element (trials, i);
        g_autofree char *key = NULL;

        if (t == NULL || hs_json_get_int (t, "id", -1) != pr->offset + i)
          break;
        key = g_strdup_printf ("%u", pr->offset + i);
        g_ptr_array_add (items, hs_item_new (key, t));
      }
    g_list_store_splice (s->trials, pr->offset, 0, items->pdata, items->len);
  }
  total = hs_json_get_int (o, "total", 0);
  if (n > 0 && pr->offset + n < total)
    {
      load_page (self, pr->id, pr->offset + n);
      return;
    }
  s->complete = TRUE;
  for (guint i = 0; i < s->held->len; i++)
    {
      JsonObject *held = s->held->pdata[i];

      apply_event (s, hs_json_get_string (held, "type"),
                   json_object_get_object_member (held, "data"));
    }
  g_ptr_array_set_size (s->held, 0);
  schedule_redraw (self);
}

static void
load_page (HsResultsPage *self, gint64 id, guint offset)
{
  PageRequest *pr = g_new0 (PageRequest, 1);
  g_autofree char *path = g_strdup_printf ("/searches/%" G_GINT64_FORMAT "/trials?offset=%u&limit=%u",
                                           id, offset, PAGE_SIZE);

  pr->id = id;
  pr->offset = offset;
  hs_session_call (self->session, "GET", path, NULL, self, page_loaded, pr, g_free);
}

/* Charts */

static int
compare_finished (gconstpointer a, gconstpointer b)
{
  gint64 fa = hs_json_get_int (*(JsonObject **) a, "finished", 0);
  gint64 fb = hs_json_get_int (*(JsonObject **) b, "finished", 0);

  return fa < fb ? -1 : fa > fb;
}

static int
compare_acc_desc (gconstpointer a, gconstpointer b)
{
  double va = hs_json_get_double (*(JsonObject **) a, "val_acc");
  double vb = hs_json_get_double (*(JsonObject **) b, "val_acc");

  va = isnan (va) ? -1 : va;
  vb = isnan (vb) ? -1 : vb;
  return va > vb ? -1 : va < vb;
}

static char *
search_label (HsResultsPage *self, gint64 id)
{
  g_autoptr(HsItem) item = hs_session_find_search (self->session, id);
  JsonObject *o = item ? hs_item_get_object (item) : NULL;

  return g_strdup_printf ("#%" G_GINT64_FORMAT " %s %s", id,
                          o ? hs_json_get_string (o, "dataset") : "",
                          o ? hs_json_get_string (o, "method") : "");
}

/* Best validation accuracy so far against epochs spent, in the order the
 * trials finished. */
static void
add_best_series (HsResultsPage *self, Shown *s)
{
  GListModel *model = G_LIST_MODEL (s->trials);
  guint n = g_list_model_get_n_items (model);
  g_autoptr(GPtrArray) done = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ys = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *label = search_label (self, s->id);
  double spent = 0, best = -1;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HsItem) item = g_list_model_get_item (model, i);
      JsonObject *o = hs_item_get_object (item);
      const char *state = hs_json_get_string (o, "state");

      if (state != NULL && g_str_equal (state, "done"))
        g_ptr_array_add (done, json_object_ref (o));
    }
  g_ptr_array_sort (done, compare_finished);
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
  hs_chart_add_series (self->best_chart, label, (double *) xs->data, (double *) ys->data, xs->len);
}

static void
add_curves (HsResultsPage *self, Shown *s)
{
  GListModel *model = G_LIST_MODEL (s->trials);
  guint n = g_list_model_get_n_items (model);
  g_autoptr(GPtrArray) with_curve = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HsItem) item = g_list_model_get_item (model, i);
      JsonArray *curve = hs_json_get_array (hs_item_get_object (item), "curve");

      if (curve != NULL && json_array_get_length (curve) > 0)
        g_ptr_array_add (with_curve, json_object_ref (hs_item_get_object (item)));
    }
  if (with_curve->len > MAX_CURVES)
    {
      g_ptr_array_sort (with_curve, compare_acc_desc);
      g_ptr_array_set_size (with_curve, MAX_CURVES);
    }
  for (guint i = 0; i < with_curve->len; i++)
    {
      JsonObject *t = with_curve->pdata[i];
      JsonArray *curve = hs_json_get_array (t, "curve");
      gint64 from = hs_json_get_int (t, "from_epoch", 0);
      guint len = json_array_get_length (curve);
      g_autofree double *cx = g_new (double, len);
      g_autofree double *cy = g_new (double, len);
      g_autofree char *label = g_strdup_printf (_("trial %lld"),
                                                (long long) hs_json_get_int (t, "id", 0));

      for (guint j = 0; j < len; j++)
        {
          cx[j] = from + j + 1;
          cy[j] = json_node_get_double (json_array_get_element (curve, j));
        }
      hs_chart_add_series (self->curves_chart, label, cx, cy, len);
    }
}

static void
update_summary (HsResultsPage *self)
{
  Shown *s = self->shown->len > 0 ? self->shown->pdata[0] : NULL;
  g_autoptr(HsItem) item = s ? hs_session_find_search (self->session, s->id) : NULL;
  JsonObject *o = item ? hs_item_get_object (item) : NULL;
  g_autofree char *text = NULL;
  double best = o ? hs_json_get_double (o, "best_val_acc") : NAN;

  if (s != NULL)
    text = isnan (best)
           ? g_strdup_printf (_("#%lld: %u trials"), (long long) s->id,
                              g_list_model_get_n_items (G_LIST_MODEL (s->trials)))
           : g_strdup_printf (_("#%lld: %u trials, best %.1f %%"), (long long) s->id,
                              g_list_model_get_n_items (G_LIST_MODEL (s->trials)), 100 * best);
  gtk_label_set_text (self->summary_label, text ? text : "");
}

static void
redraw_now (HsResultsPage *self)
{
  hs_chart_clear (self->best_chart);
  hs_chart_clear (self->curves_chart);
  for (guint i = 0; i < self->shown->len; i++)
    add_best_series (self, self->shown->pdata[i]);
  if (self->shown->len > 0)
    add_curves (self, self->shown->pdata[0]);
  update_summary (self);
}

static gboolean
redraw_cb (gpointer data)
{
  HsResultsPage *self = data;

  self->redraw_source = 0;
  redraw_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_redraw (HsResultsPage *self)
{
  if (self->redraw_source == 0)
    self->redraw_source = g_timeout_add (REDRAW_MS, redraw_cb, self);
}

/* What is shown follows the selection */

static void
update_shown (HsResultsPage *self)
{
  GtkBitset *selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GListModel *searches = hs_session_get_searches (self->session);
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (shown_free);
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok && shown->len < MAX_SHOWN; ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(HsItem) item = g_list_model_get_item (searches, position);
      gint64 id = g_ascii_strtoll (hs_item_get_key (item), NULL, 10);
      Shown *s = NULL;

      /* Keep what is loaded already. */
      for (guint i = 0; i < self->shown->len; i++)
        if (((Shown *) self->shown->pdata[i])->id == id)
          s = g_ptr_array_steal_index (self->shown, i);
      if (s == NULL)
        {
          s = g_new0 (Shown, 1);
          s->id = id;
          s->trials = g_list_store_new (HS_TYPE_ITEM);
          s->held = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
          load_page (self, id, 0);
        }
      g_ptr_array_add (shown, s);
    }
  gtk_bitset_unref (selected);
  g_ptr_array_unref (self->shown);
  self->shown = g_steal_pointer (&shown);
  gtk_sort_list_model_set_model (self->table, self->shown->len > 0
                                 ? G_LIST_MODEL (((Shown *) self->shown->pdata[0])->trials)
                                 : NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "results.export-csv", self->shown->len > 0);
  redraw_now (self);
}

static void
selection_changed_cb (GtkSelectionModel *model, guint position, guint n, HsResultsPage *self)
{
  update_shown (self);
}

void
hs_results_page_show_searches (HsResultsPage *self, const gint64 *ids, guint n)
{
  GListModel *searches = hs_session_get_searches (self->session);
  g_autoptr(GtkBitset) wanted = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) all = gtk_bitset_new_range (0, g_list_model_get_n_items (searches));

  for (guint i = 0; i < g_list_model_get_n_items (searches); i++)
    {
      g_autoptr(HsItem) item = g_list_model_get_item (searches, i);
      gint64 id = g_ascii_strtoll (hs_item_get_key (item), NULL, 10);

      for (guint j = 0; j < n; j++)
        if (ids[j] == id)
          gtk_bitset_add (wanted, i);
    }
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), wanted, all);
}

/* The newest search, and the other searches on its dataset: the methods
 * tried on one task, side by side. */
void
hs_results_page_select_default (HsResultsPage *self)
{
  GListModel *searches = hs_session_get_searches (self->session);
  GtkBitset *selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  gboolean empty = gtk_bitset_is_empty (selected);
  g_autoptr(GtkBitset) wanted = gtk_bitset_new_empty ();
  g_autoptr(HsItem) newest = NULL;
  const char *dataset;

  gtk_bitset_unref (selected);
  if (!empty || g_list_model_get_n_items (searches) == 0)
    return;
  newest = g_list_model_get_item (searches, 0);
  dataset = hs_json_get_string (hs_item_get_object (newest), "dataset");
  for (guint i = 0; i < g_list_model_get_n_items (searches) &&
                    gtk_bitset_get_size (wanted) < MAX_SHOWN; i++)
    {
      g_autoptr(HsItem) item = g_list_model_get_item (searches, i);

      if (g_strcmp0 (hs_json_get_string (hs_item_get_object (item), "dataset"), dataset) == 0)
        gtk_bitset_add (wanted, i);
    }
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), wanted, wanted);
}

/* Export */

typedef struct {
  GFile *file;
  gint64 id;
} Export;

static void
export_free (gpointer data)
{
  Export *e = data;

  g_object_unref (e->file);
  g_free (e);
}

static void
export_written (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(HsResultsPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (G_FILE (source));
  g_autofree char *text = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    text = g_strdup_printf (_("Could not save %s: %s"), name, error->message);
  else
    text = g_strdup_printf (_("Saved %s"), name);
  hs_session_message (self->session, text);
}

static void
export_loaded (gpointer owner, JsonNode *reply, const GError *error, gpointer data)
{
  HsResultsPage *self = owner;
  Export *e = data;
  GBytes *bytes = (GBytes *) reply;

  if (error != NULL)
    {
      hs_session_check (self->session, NULL, error);
      return;
    }
  /* GIO writes beside the file and renames: an old file stays whole. */
  g_file_replace_contents_bytes_async (e->file, bytes, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                       export_written, g_object_ref (self));
}

void
hs_results_page_export_csv (HsResultsPage *self, GFile *file)
{
  Export *e;
  g_autofree char *path = NULL;

  g_return_if_fail (HS_IS_RESULTS_PAGE (self) && G_IS_FILE (file));
  if (self->shown->len == 0)
    return;
  e = g_new0 (Export, 1);
  e->file = g_object_ref (file);
  e->id = ((Shown *) self->shown->pdata[0])->id;
  path = g_strdup_printf ("/searches/%" G_GINT64_FORMAT "/export?format=csv", e->id);
  hs_session_call_bytes (self->session, path, self, export_loaded, e, export_free);
}

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, HsResultsPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      hs_results_page_export_csv (self, file);
    }
  g_object_unref (chooser);
}

void
hs_results_page_choose_export (HsResultsPage *self)
{
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (self->shown->len == 0)
    return;
  chooser = gtk_file_chooser_native_new (_("Export Trials as CSV"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  name = g_strdup_printf ("search-%" G_GINT64_FORMAT ".csv", ((Shown *) self->shown->pdata[0])->id);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  hs_results_page_choose_export (HS_RESULTS_PAGE (widget));
}

/* Accessors */

HsChart *hs_results_page_get_best_chart (HsResultsPage *self) { return self->best_chart; }
HsChart *hs_results_page_get_curves_chart (HsResultsPage *self) { return self->curves_chart; }
GListModel *hs_results_page_get_trials (HsResultsPage *self) { return G_LIST_MODEL (self->table); }
GtkColumnView *hs_results_page_get_trials_view (HsResultsPage *self) { return self->trials_view; }

/* GObject */

GtkWidget *
hs_results_page_new (HsSession *session)
{
  HsResultsPage *self = g_object_new (HS_TYPE_RESULTS_PAGE, NULL);
  g_autoptr(GtkListItemFactory) title_factory = hs_columns_factory ("title");

  self->session = g_object_ref (session);
  self->selection = gtk_multi_selection_new (g_object_ref (hs_session_get_searches (session)));
  gtk_list_view_set_model (self->searches_list, GTK_SELECTION_MODEL (self->selection));
  gtk_list_view_set_factory (self->searches_list, title_factory);
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, 0);
  g_signal_connect_object (hs_session_get_client (session), "event", G_CALLBACK (event_cb),
                           self, 0);
  return GTK_WIDGET (self);
}

static void
hs_results_page_dispose (GObject *object)
{
  HsResultsPage *self = HS_RESULTS_PAGE (object);

  g_clear_handle_id (&self->redraw_source, g_source_remove);
  /* AdwBin's dispose unparents the template's child. */
  g_clear_object (&self->selection);
  g_clear_object (&self->table);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (hs_results_page_parent_class)->dispose (object);
}

static void
hs_results_page_class_init (HsResultsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = hs_results_page_dispose;
  g_type_ensure (HS_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hyperstar/Workbench/hs-results-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HsResultsPage, searches_list);
  gtk_widget_class_bind_template_child (widget_class, HsResultsPage, trials_view);
  gtk_widget_class_bind_template_child (widget_class, HsResultsPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, HsResultsPage, best_chart);
  gtk_widget_class_bind_template_child (widget_class, HsResultsPage, curves_chart);
  gtk_widget_class_install_action (widget_class, "results.export-csv", NULL, export_action);
}

static void
hs_results_page_init (HsResultsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->shown = g_ptr_array_new_with_free_func (shown_free);

  hs_columns_add (self->trials_view, _("Trial"), "id", FALSE, "id");
  hs_columns_add (self->trials_view, _("Configuration"), "config_id", TRUE, "config_id");
  hs_columns_add (self->trials_view, _("Bracket"), "bracket", FALSE, "bracket");
  hs_columns_add (self->trials_view, _("Rung"), "rung", FALSE, "rung");
  hs_columns_add (self->trials_view, _("From"), "from_epoch", FALSE, "from_epoch");
  hs_columns_add (self->trials_view, _("To"), "to_epoch", FALSE, "to_epoch");
  hs_columns_add (self->trials_view, _("State"), "state", FALSE, "state");
  hs_columns_add (self->trials_view, _("Val Acc"), "val_acc", FALSE, "val_acc");
  hs_columns_add (self->trials_view, _("Seconds"), "seconds", FALSE, "seconds");
  hs_columns_add (self->trials_view, _("Device"), "device", TRUE, "device");
  self->table = hs_columns_sorted (self->trials_view, NULL);
  gtk_column_view_set_model (self->trials_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->table)))));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "results.export-csv", FALSE);

  hs_chart_set_axis_labels (self->best_chart, _("epochs spent"), _("best val acc"));
  hs_chart_set_y_range (self->best_chart, 0, 1);
  hs_chart_set_placeholder (self->best_chart, _("Select searches to compare (Ctrl-click for several)"));
  hs_chart_set_axis_labels (self->curves_chart, _("epoch"), _("val acc"));
  hs_chart_set_y_range (self->curves_chart, 0, 1);
  hs_chart_set_placeholder (self->curves_chart, _("Learning curves of the first selected search"));
}
