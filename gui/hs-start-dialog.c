/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The start-search dialog: see hs-start-dialog.h.
 */
#define G_LOG_DOMAIN "hs-start-dialog"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "hs-start-dialog.h"

typedef struct {
  HsSession *session;
  GtkBuilder *builder;
  GtkWindow *parent;
  char *dataset;               /* to preselect once loaded */
} StartDialog;

static void
start_dialog_free (StartDialog *sd)
{
  g_object_unref (sd->session);
  g_object_unref (sd->builder);
  g_free (sd->dataset);
  g_free (sd);
}

static StartDialog *
start_dialog_get (GtkWindow *dialog)
{
  return g_object_get_data (G_OBJECT (dialog), "hs-start-dialog");
}

static GObject *
child (StartDialog *sd, const char *id)
{
  return gtk_builder_get_object (sd->builder, id);
}

static void
show_error (StartDialog *sd, const char *text)
{
  if (text != NULL)
    gtk_label_set_text (GTK_LABEL (child (sd, "error_label")), text);
  gtk_revealer_set_reveal_child (GTK_REVEALER (child (sd, "error_revealer")), text != NULL);
}

const char *
hs_start_dialog_get_error (GtkWindow *dialog)
{
  StartDialog *sd = start_dialog_get (dialog);

  if (!gtk_revealer_get_reveal_child (GTK_REVEALER (child (sd, "error_revealer"))))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (child (sd, "error_label")));
}

static gboolean
select_name (StartDialog *sd, const char *row_id, const char *list_id, const char *name)
{
  GListModel *list = G_LIST_MODEL (child (sd, list_id));

  for (guint i = 0; name != NULL && i < g_list_model_get_n_items (list); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (list), i), name))
      {
        adw_combo_row_set_selected (ADW_COMBO_ROW (child (sd, row_id)), i);
        return TRUE;
      }
  return FALSE;
}

static void
names_loaded (gpointer owner, JsonNode *reply, const GError *error, gpointer data)
{
  GtkWindow *dialog = owner;
  StartDialog *sd = start_dialog_get (dialog);
  const char *member = data;
  GtkStringList *list;
  JsonArray *array;

  if (sd == NULL)
    return;
  if (error != NULL)
    {
      show_error (sd, error->message);
      return;
    }
  list = GTK_STRING_LIST (child (sd, member));
  array = hs_json_get_array (json_node_get_object (reply), member);
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      const char *name = hs_json_get_string (json_array_get_object_element (array, i), "name");

      if (name != NULL)
        gtk_string_list_append (list, name);
    }
  if (g_str_equal (member, "datasets"))
    select_name (sd, "dataset_row", "datasets", sd->dataset);
  else
    select_name (sd, "space_row", "spaces", "paper-grid");
}

gboolean
hs_start_dialog_select (GtkWindow *dialog, const char *dataset, const char *space)
{
  StartDialog *sd = start_dialog_get (dialog);

  return select_name (sd, "dataset_row", "datasets", dataset) &&
         select_name (sd, "space_row", "spaces", space);
}

static void
set_spin (StartDialog *sd, const char *id, int value)
{
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (sd, id)), value);
}

static int
get_spin (StartDialog *sd, const char *id)
{
  return gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (child (sd, id)));
}

void
hs_start_dialog_set_budget (GtkWindow *dialog, int budget, int max_epochs, int eta)
{
  StartDialog *sd = start_dialog_get (dialog);

  set_spin (sd, "budget_spin", budget);
  set_spin (sd, "max_epochs_spin", max_epochs);
  set_spin (sd, "eta_spin", eta);
}

static void
search_started (gpointer owner, JsonNode *reply, const GError *error, gpointer data)
{
  GtkWindow *dialog = owner;
  StartDialog *sd = start_dialog_get (dialog);
  g_autofree char *text = NULL;

  if (sd == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (child (sd, "start_button")), TRUE);
  if (error != NULL)
    {
      /* The daemon names the field at fault: say it here, keep the dialog. */
      show_error (sd, error->message);
      return;
    }
  /* Not listed when asked: its events may have come first, and be newer. */
  hs_session_update_search_reply (sd->session, json_node_get_object (reply), NULL);
  text = g_strdup_printf (_("Search %lld queued"),
                          (long long) hs_json_get_int (json_node_get_object (reply), "id", 0));
  hs_session_message (sd->session, text);
  gtk_window_destroy (dialog);
}

static const char *
combo_string (StartDialog *sd, const char *row_id)
{
  GObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (child (sd, row_id)));

  return item ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

static void
add_int (JsonBuilder *b, const char *name, int value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

void
hs_start_dialog_submit (GtkWindow *dialog)
{
  StartDialog *sd = start_dialog_get (dialog);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  const char *dataset = combo_string (sd, "dataset_row");
  const char *space = combo_string (sd, "space_row");

  if (dataset == NULL || space == NULL)
    {
      show_error (sd, dataset == NULL ? _("Choose a dataset: none is listed yet")
                                      : _("Choose a search space: none is listed yet"));
      return;
    }
  show_error (sd, NULL);
  json_builder_begin_object (b);
  add_string (b, "dataset", dataset);
  add_string (b, "space", space);
  add_string (b, "method", combo_string (sd, "method_row"));
  json_builder_set_member_name (b, "settings");
  json_builder_begin_object (b);
  add_int (b, "budget_epochs", get_spin (sd, "budget_spin"));
  add_int (b, "max_epochs", get_spin (sd, "max_epochs_spin"));
  add_int (b, "eta", get_spin (sd, "eta_spin"));
  json_builder_end_object (b);
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  gtk_widget_set_sensitive (GTK_WIDGET (child (sd, "start_button")), FALSE);
  hs_session_call (sd->session, "POST", "/searches", body, dialog, search_started, NULL, NULL);
}

static void
start_clicked_cb (GtkButton *button, GtkWindow *dialog)
{
  hs_start_dialog_submit (dialog);
}

GtkWindow *
hs_start_dialog_new (HsSession *session, GtkWindow *parent, const char *dataset)
{
  StartDialog *sd = g_new0 (StartDialog, 1);
  GtkWindow *dialog;

  sd->session = g_object_ref (session);
  sd->dataset = g_strdup (dataset);
  sd->builder = gtk_builder_new_from_resource ("/io/github/hyperstar/Workbench/hs-start-dialog.ui");
  dialog = GTK_WINDOW (child (sd, "dialog"));
  g_object_set_data_full (G_OBJECT (dialog), "hs-start-dialog", sd,
                          (GDestroyNotify) start_dialog_free);
  gtk_window_set_transient_for (dialog, parent);
  g_signal_connect_swapped (child (sd, "cancel_button"), "clicked",
                            G_CALLBACK (gtk_window_destroy), dialog);
  g_signal_connect (child (sd, "start_button"), "clicked", G_CALLBACK (start_clicked_cb), dialog);
  hs_session_call (session, "GET", "/datasets", NULL, dialog, names_loaded, "datasets", NULL);
  hs_session_call (session, "GET", "/spaces", NULL, dialog, names_loaded, "spaces", NULL);
  return dialog;
}
