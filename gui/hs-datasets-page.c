/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsDatasetsPage: see hs-datasets-page.h.
 */
#define G_LOG_DOMAIN "hs-datasets-page"

#include <glib/gi18n.h>

#include "hs-columns.h"
#include "hs-datasets-page.h"
#include "hs-start-dialog.h"

struct _HsDatasetsPage
{
  AdwBin parent_instance;

  HsSession *session;
  GtkSingleSelection *selection;
  char *shown;                  /* the dataset whose details are shown */
  char *to_select;              /* an import's name, selected once listed */
  JsonObject *detail;           /* GET /datasets/NAME of shown, once it came */
  gboolean detail_loading;
  GListStore *classes;          /* HsItem per class of the detail's per_class */
  GStrv class_names;
  gboolean filling;             /* the class filter is being refilled */
  GtkWidget *thumbnails;        /* HsThumbnailGrid */
  GtkFileChooserNative *chooser;

  GtkColumnView *datasets_view;
  GtkStack *detail_stack;
  GtkBox *detail_box;
  GtkLabel *name_label;
  GtkLabel *source_label;
  GtkWidget *delete_button;
  GtkLabel *description_label;
  GtkLabel *counts_label;
  GtkLabel *status_label;
  GtkWidget *classes_scroller;
  GtkColumnView *classes_view;
  GtkWidget *images_header;
  GtkDropDown *class_filter;
  GtkStringList *class_names_list;
};

G_DEFINE_FINAL_TYPE (HsDatasetsPage, hs_datasets_page, ADW_TYPE_BIN)

static gboolean
is_imported (JsonObject *o)
{
  return g_strcmp0 (hs_json_get_string (o, "source"), "imported") == 0;
}

static void
set_status (HsDatasetsPage *self, const char *text)
{
  gtk_label_set_text (self->status_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

/* The details */

static char *
format_counts (JsonObject *o)
{
  JsonNode *classes = json_object_get_member (o, "classes");
  g_autoptr(GString) text = g_string_new (NULL);
  gint64 n;

  if (classes == NULL || JSON_NODE_HOLDS_NULL (classes))
    return g_strdup (_("Not counted yet"));
  n = hs_json_get_int (o, "classes", 0);
  g_string_append_printf (text, ngettext ("%lld class", "%lld classes", n), (long long) n);
  n = hs_json_get_int (o, "images", 0);
  g_string_append (text, " · ");
  g_string_append_printf (text, ngettext ("%lld image", "%lld images", n), (long long) n);
  if (hs_json_get_int (o, "image_width", 0) > 0)
    {
      g_string_append (text, " · ");
      /* TRANSLATORS: image size in pixels, width × height. */
      g_string_append_printf (text, _("%lld × %lld pixels"),
                              (long long) hs_json_get_int (o, "image_width", 0),
                              (long long) hs_json_get_int (o, "image_height", 0));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
format_source (JsonObject *o)
{
  gint64 created = hs_json_get_int (o, "created", 0);

  if (!is_imported (o))
    /* TRANSLATORS: %s is the catalog family of a built-in task. */
    return g_strdup_printf (_("Built-in task · %s family"),
                            hs_json_get_string (o, "family") ? hs_json_get_string (o, "family")
                                                             : "?");
  if (created > 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (created / 1000);
      g_autofree char *date = g_date_time_format (when, "%x");

      /* TRANSLATORS: %s is the date of the import. */
      return g_strdup_printf (_("Imported dataset · %s"), date);
    }
  return g_strdup (_("Imported dataset"));
}

/* Shows o (a list row, or the details once they came). */
static void
fill_summary (HsDatasetsPage *self, JsonObject *o)
{
  const char *description = hs_json_get_string (o, "description");
  g_autofree char *source = format_source (o);
  g_autofree char *counts = format_counts (o);
  gboolean imported = is_imported (o);

  gtk_label_set_text (self->name_label, hs_json_get_string (o, "name"));
  gtk_label_set_text (self->source_label, source);
  gtk_label_set_text (self->description_label, description ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), description != NULL);
  gtk_label_set_text (self->counts_label, counts);
  gtk_widget_set_visible (self->delete_button, imported);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "datasets.delete", imported);
}

static void
fill_classes (HsDatasetsPage *self, JsonArray *per_class)
{
  guint n = per_class ? json_array_get_length (per_class) : 0;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  g_ptr_array_add (labels, (gpointer) _("All Classes"));
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (per_class, i);
      const char *name = row ? hs_json_get_string (row, "name") : NULL;
      g_autofree char *key = g_strdup_printf ("%u", i);

      if (row == NULL)
        continue;
      g_ptr_array_add (items, hs_item_new (key, row));
      g_strv_builder_add (names, name ? name : key);
      g_ptr_array_add (labels, (gpointer) (name ? name : "?"));
    }
  g_ptr_array_add (labels, NULL);
  g_list_store_splice (self->classes, 0, g_list_model_get_n_items (G_LIST_MODEL (self->classes)),
                       items->pdata, items->len);
  g_strfreev (self->class_names);
  self->class_names = g_strv_builder_end (names);

  self->filling = TRUE;
  gtk_string_list_splice (self->class_names_list, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->class_names_list)),
                          (const char *const *) labels->pdata);
  gtk_drop_down_set_selected (self->class_filter, 0);
  self->filling = FALSE;
}

static void
fill_detail (HsDatasetsPage *self)
{
  JsonObject *o = self->detail;
  JsonArray *per_class = hs_json_get_array (o, "per_class");
  gboolean unbuilt = per_class == NULL;

  fill_summary (self, o);
  fill_classes (self, per_class);
  gtk_widget_set_visible (self->classes_scroller, !unbuilt);
  gtk_widget_set_visible (self->images_header, !unbuilt);
  if (unbuilt)
    {
      const char *why = json_object_has_member (o, "built") && !hs_json_get_int (o, "built", 0)
                        ? _("This task is not built yet: it is built when a search first uses it.")
                        : _("The daemon could not read this dataset’s classes.");

      set_status (self, why);
      hs_thumbnail_grid_show (HS_THUMBNAIL_GRID (self->thumbnails), NULL, -1, NULL);
      hs_thumbnail_grid_set_message (HS_THUMBNAIL_GRID (self->thumbnails), NULL);
      gtk_widget_set_visible (self->thumbnails, FALSE);
      return;
    }
  set_status (self, NULL);
  gtk_widget_set_visible (self->thumbnails, TRUE);
  hs_thumbnail_grid_show (HS_THUMBNAIL_GRID (self->thumbnails), self->shown, -1,
                          (const char *const *) self->class_names);
}

static void
detail_loaded (gpointer owner, JsonNode *reply, const GError *error, gpointer data)
{
  HsDatasetsPage *self = owner;
  const char *name = data;

  if (g_strcmp0 (name, self->shown) != 0)
    return;
  self->detail_loading = FALSE;
  if (error != NULL || reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      set_status (self, error ? error->message : _("The daemon’s reply is not valid"));
      return;
    }
  g_clear_pointer (&self->detail, json_object_unref);
  self->detail = json_object_ref (json_node_get_object (reply));
  fill_detail (self);
}

static void
load_detail (HsDatasetsPage *self)
{
  g_autofree char *escaped = g_uri_escape_string (self->shown, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/datasets/%s", escaped);

  self->detail_loading = TRUE;
  hs_session_call (self->session, "GET", path, NULL, self, detail_loaded, g_strdup (self->shown),
                   g_free);
}

/* Whether the list's row says something the details do not (the task was
 * built since, or an import replaced the dataset). */
static gboolean
detail_is_stale (HsDatasetsPage *self, JsonObject *row)
{
  return self->detail != NULL &&
         (hs_json_get_int (row, "built", 0) != hs_json_get_int (self->detail, "built", 0) ||
          hs_json_get_int (row, "images", -1) != hs_json_get_int (self->detail, "images", -1) ||
          hs_json_get_int (row, "created", 0) != hs_json_get_int (self->detail, "created", 0));
}

static void
show_dataset (HsDatasetsPage *self, HsItem *item)
{
  JsonObject *row = item ? hs_item_get_object (item) : NULL;
  const char *name = item ? hs_item_get_key (item) : NULL;

  if (g_strcmp0 (name, self->shown) == 0)
    {
      if (row != NULL && !self->detail_loading && detail_is_stale (self, row))
        {
          /* The same name may now be other images: list them again. */
          hs_thumbnail_grid_show (HS_THUMBNAIL_GRID (self->thumbnails), NULL, -1, NULL);
          load_detail (self);
        }
      return;
    }
  g_free (self->shown);
  self->shown = g_strdup (name);
  g_clear_pointer (&self->detail, json_object_unref);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "datasets.search", name != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "datasets.delete", FALSE);
  gtk_stack_set_visible_child_name (self->detail_stack, name ? "detail" : "empty");
  if (name == NULL)
    {
      hs_thumbnail_grid_show (HS_THUMBNAIL_GRID (self->thumbnails), NULL, -1, NULL);
      return;
    }
  fill_summary (self, row);
  fill_classes (self, NULL);
  set_status (self, _("Loading…"));
  gtk_widget_set_visible (self->classes_scroller, FALSE);
  gtk_widget_set_visible (self->images_header, FALSE);
  hs_thumbnail_grid_show (HS_THUMBNAIL_GRID (self->thumbnails), NULL, -1, NULL);
  load_detail (self);
}

/* The selection */

static gboolean
select_name (HsDatasetsPage *self, const char *name)
{
  GListModel *model = G_LIST_MODEL (self->selection);

  for (guint i = 0; name != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HsItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (hs_item_get_key (item), name))
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

static void
sync_selection (HsDatasetsPage *self)
{
  HsItem *item = gtk_single_selection_get_selected_item (self->selection);

  /* A reload replaces every row, which drops the selection: keep the
   * dataset shown selected while it is still listed. */
  if (item == NULL && self->shown != NULL && select_name (self, self->shown))
    return;
  show_dataset (self, item);
}

static void
selected_cb (GtkSingleSelection *selection, GParamSpec *pspec, HsDatasetsPage *self)
{
  sync_selection (self);
}

static void
datasets_changed_cb (GListModel *model, guint position, guint removed, guint added,
                     HsDatasetsPage *self)
{
  if (self->to_select != NULL && select_name (self, self->to_select))
    g_clear_pointer (&self->to_select, g_free);
  sync_selection (self);
}

gboolean
hs_datasets_page_select (HsDatasetsPage *self, const char *name)
{
  g_return_val_if_fail (HS_IS_DATASETS_PAGE (self), FALSE);
  return select_name (self, name);
}

/* When nothing is selected: the dataset of the newest search, else the
 * first listed. */
void
hs_datasets_page_select_default (HsDatasetsPage *self)
{
  GListModel *searches = hs_session_get_searches (self->session);
  g_autoptr(HsItem) newest = NULL;

  g_return_if_fail (HS_IS_DATASETS_PAGE (self));
  if (gtk_single_selection_get_selected_item (self->selection) != NULL)
    return;
  if (g_list_model_get_n_items (searches) > 0)
    {
      newest = g_list_model_get_item (searches, 0);
      if (select_name (self, hs_json_get_string (hs_item_get_object (newest), "dataset")))
        return;
    }
  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0)
    gtk_single_selection_set_selected (self->selection, 0);
}

void
hs_datasets_page_set_class_filter (HsDatasetsPage *self, int class_index)
{
  g_return_if_fail (HS_IS_DATASETS_PAGE (self));
  gtk_drop_down_set_selected (self->class_filter, class_index < 0 ? 0 : class_index + 1);
}

static void
class_filter_cb (HsDatasetsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->class_filter);

  if (self->filling || self->detail == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  hs_thumbnail_grid_show (HS_THUMBNAIL_GRID (self->thumbnails), self->shown,
                          (int) selected - 1, (const char *const *) self->class_names);
}

/* A task is built by the first search that trains on it: show it once a
 * search on the task shown has trained an epoch. */
static void
event_cb (HsClient *client, const char *type, gint64 search_id, JsonObject *data,
          HsDatasetsPage *self)
{
  g_autoptr(HsItem) search = NULL;

  if (self->detail == NULL || hs_json_get_array (self->detail, "per_class") != NULL ||
      self->detail_loading || !g_str_equal (type, "trial-epoch"))
    return;
  search = hs_session_find_search (self->session, search_id);
  if (search == NULL ||
      g_strcmp0 (hs_json_get_string (hs_item_get_object (search), "dataset"), self->shown) != 0)
    return;
  load_detail (self);
  hs_session_reload_datasets (self->session);
}

/* Actions */

static void
search_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  HsDatasetsPage *self = HS_DATASETS_PAGE (widget);
  GtkWindow *dialog;

  if (self->shown == NULL)
    return;
  dialog = hs_start_dialog_new (self->session, GTK_WINDOW (gtk_widget_get_root (widget)),
                                self->shown);
  gtk_window_present (dialog);
}

static void
deleted (gpointer owner, JsonNode *reply, const GError *error, gpointer data)
{
  HsDatasetsPage *self = owner;
  const char *name = data;
  g_autofree char *text = NULL;

  if (g_error_matches (error, HS_CLIENT_ERROR, HS_CLIENT_ERROR_NOT_RUNNING))
    {
      hs_session_check (self->session, reply, error);
      return;
    }
  if (error != NULL)
    /* TRANSLATORS: the first %s is a dataset, the second the daemon's reason. */
    text = g_strdup_printf (_("“%s” was not deleted: %s"), name, error->message);
  else
    text = g_strdup_printf (_("Deleted dataset “%s”"), name);
  hs_session_message (self->session, text);
  if (error == NULL)
    hs_session_reload_datasets (self->session);
}

static void
delete_response_cb (AdwMessageDialog *dialog, const char *response, HsDatasetsPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "hs-dataset");
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  if (!g_str_equal (response, "delete"))
    return;
  escaped = g_uri_escape_string (name, NULL, FALSE);
  path = g_strdup_printf ("/datasets/%s", escaped);
  hs_session_call (self->session, "DELETE", path, NULL, self, deleted, g_strdup (name), g_free);
}

GtkWindow *
hs_datasets_page_confirm_delete (HsDatasetsPage *self)
{
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  g_return_val_if_fail (HS_IS_DATASETS_PAGE (self), NULL);

  if (self->shown == NULL || self->detail == NULL || !is_imported (self->detail))
    return NULL;
  /* TRANSLATORS: %s is the dataset's name. */
  heading = g_strdup_printf (_("Delete “%s”?"), self->shown);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
                                   _("Its imported images are removed from the daemon’s store. "
                                     "The folder it was imported from is not touched."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "hs-dataset", g_strdup (self->shown), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static void
delete_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  hs_datasets_page_confirm_delete (HS_DATASETS_PAGE (widget));
}

/* Import */

static void
imported_cb (HsImportDialog *dialog, const char *name, HsDatasetsPage *self)
{
  g_free (self->to_select);
  self->to_select = g_strdup (name);
  hs_session_reload_datasets (self->session);
}

HsImportDialog *
hs_datasets_page_open_import (HsDatasetsPage *self, const char *path)
{
  HsImportDialog *dialog;

  g_return_val_if_fail (HS_IS_DATASETS_PAGE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  dialog = hs_import_dialog_new (self->session,
                                 GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), path);
  g_signal_connect_object (dialog, "imported", G_CALLBACK (imported_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
folder_chosen_cb (GtkNativeDialog *chooser, int response, HsDatasetsPage *self)
{
  g_autoptr(GFile) folder = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (folder == NULL)
    return;
  /* The daemon reads the folder itself: it needs a local path. */
  if ((path = g_file_get_path (folder)) == NULL)
    {
      hs_session_message (self->session, _("Only folders on this computer can be imported"));
      return;
    }
  hs_datasets_page_open_import (self, path);
}

void
hs_datasets_page_choose_import (HsDatasetsPage *self)
{
  g_return_if_fail (HS_IS_DATASETS_PAGE (self));

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Import Folder"),
                                               GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (folder_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Accessors */

JsonObject *hs_datasets_page_get_detail (HsDatasetsPage *self) { return self->detail; }
GListModel *hs_datasets_page_get_classes (HsDatasetsPage *self) { return G_LIST_MODEL (self->classes); }

HsThumbnailGrid *
hs_datasets_page_get_thumbnails (HsDatasetsPage *self)
{
  return HS_THUMBNAIL_GRID (self->thumbnails);
}

/* GObject */

GtkWidget *
hs_datasets_page_new (HsSession *session)
{
  HsDatasetsPage *self = g_object_new (HS_TYPE_DATASETS_PAGE, NULL);
  GtkSortListModel *sorted;
  g_autoptr(GtkSortListModel) sorted_classes = NULL;

  self->session = g_object_ref (session);
  sorted = hs_columns_sorted (self->datasets_view, g_object_ref (hs_session_get_datasets (session)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_column_view_set_model (self->datasets_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (selected_cb),
                           self, 0);
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (datasets_changed_cb),
                           self, 0);

  sorted_classes = hs_columns_sorted (self->classes_view, g_object_ref (G_LIST_MODEL (self->classes)));
  gtk_column_view_set_model (self->classes_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&sorted_classes)))));

  self->thumbnails = hs_thumbnail_grid_new (session);
  gtk_box_append (self->detail_box, self->thumbnails);
  g_signal_connect_object (hs_session_get_client (session), "event", G_CALLBACK (event_cb), self,
                           0);
  return GTK_WIDGET (self);
}

static void
hs_datasets_page_dispose (GObject *object)
{
  HsDatasetsPage *self = HS_DATASETS_PAGE (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->selection);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_DATASETS_PAGE);
  g_clear_object (&self->classes);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (hs_datasets_page_parent_class)->dispose (object);
}

static void
hs_datasets_page_finalize (GObject *object)
{
  HsDatasetsPage *self = HS_DATASETS_PAGE (object);

  g_free (self->shown);
  g_free (self->to_select);
  g_clear_pointer (&self->detail, json_object_unref);
  g_strfreev (self->class_names);
  G_OBJECT_CLASS (hs_datasets_page_parent_class)->finalize (object);
}

static void
hs_datasets_page_class_init (HsDatasetsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_datasets_page_dispose;
  object_class->finalize = hs_datasets_page_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hyperstar/Workbench/hs-datasets-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HsDatasetsPage, datasets_view);
  gtk_widget_class_bind_template_child (widget_class, HsDatasetsPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, HsDatasetsPage, detail_box);
  gtk_widget_class_bind_template_child (widget_class, HsDatasetsPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, HsDatasetsPage, source_label);
  gtk_widget_class_bind_template_child (widget_class, HsDatasetsPage, delete_button);
  gtk_widget_class_bind_template_child (widget_class, HsDatasetsPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, HsDatasetsPage, counts_label);
  gtk_widget_class_bind_template_child (widget_class, HsDatasetsPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, HsDatasetsPage, classes_scroller);
  gtk_widget_class_bind_template_child (widget_class, HsDatasetsPage, classes_view);
  gtk_widget_class_bind_template_child (widget_class, HsDatasetsPage, images_header);
  gtk_widget_class_bind_template_child (widget_class, HsDatasetsPage, class_filter);
  gtk_widget_class_bind_template_child_full (widget_class, "class_names", FALSE,
                                             G_STRUCT_OFFSET (HsDatasetsPage, class_names_list));
  gtk_widget_class_bind_template_callback (widget_class, class_filter_cb);
  gtk_widget_class_install_action (widget_class, "datasets.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "datasets.delete", NULL, delete_action);
}

static void
hs_datasets_page_init (HsDatasetsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->classes = g_list_store_new (HS_TYPE_ITEM);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "datasets.search", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "datasets.delete", FALSE);

  /* Task names are the longest cells: never cut them to a few letters. */
  gtk_column_view_column_set_fixed_width (hs_columns_add (self->datasets_view, _("Name"), "name",
                                                          TRUE, "name"), 170);
  hs_columns_add (self->datasets_view, _("Source"), "source", FALSE, "source");
  hs_columns_add (self->datasets_view, _("Family"), "family", FALSE, "family");
  hs_columns_add (self->datasets_view, _("Classes"), "classes", FALSE, "classes");
  hs_columns_add (self->datasets_view, _("Images"), "images", FALSE, "images");
  hs_columns_add (self->datasets_view, _("Cache"), "built", FALSE, "built");

  hs_columns_add (self->classes_view, _("Class"), "name", TRUE, "name");
  hs_columns_add (self->classes_view, _("Images"), "images", FALSE, "images");
  hs_columns_add (self->classes_view, _("Train"), "train", FALSE, "train");
  hs_columns_add (self->classes_view, _("Val"), "val", FALSE, "val");
  hs_columns_add (self->classes_view, _("Test"), "test", FALSE, "test");
}
