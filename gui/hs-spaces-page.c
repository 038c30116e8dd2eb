/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsSpacesPage: see hs-spaces-page.h.
 */
#define G_LOG_DOMAIN "hs-spaces-page"

#include <glib/gi18n.h>

#include "hs-columns.h"
#include "hs-spaces-page-private.h"

struct _HsSpacesPage
{
  AdwBin parent_instance;

  HsSession *session;
  GtkSingleSelection *selection;
  char *selected_key;           /* kept across reloads, which replace the items */
  JsonObject *definition;       /* the selected space's, once loaded */
  HsSpaceEditor *editor;        /* weak */
  AdwMessageDialog *delete_dialog; /* weak */

  GtkColumnView *spaces_view;
  GtkTextView *definition_view;
  GtkLabel *reason_label;
  GtkWidget *edit_button;
  GtkWidget *delete_button;
};

G_DEFINE_FINAL_TYPE (HsSpacesPage, hs_spaces_page, ADW_TYPE_BIN)

/* The rows: the session's items with the columns' words added, so that
 * the shared label columns show them translated. */
static gpointer
display_item (gpointer item, gpointer data)
{
  g_autoptr(HsItem) space = item;
  JsonObject *o = hs_item_get_object (space);
  g_autoptr(JsonObject) copy = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (o);
  gboolean grid = g_strcmp0 (hs_json_get_string (o, "kind"), "grid") == 0;
  gint64 size = hs_json_get_int (o, "size", 0);
  g_autofree char *size_label = NULL;

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (copy, l->data, json_node_copy (json_object_get_member (o, l->data)));
  size_label = grid
    ? g_strdup_printf (ngettext ("%d configuration", "%d configurations", (gulong) size), (int) size)
    : g_strdup_printf (ngettext ("%d dimension", "%d dimensions", (gulong) size), (int) size);
  json_object_set_string_member (copy, "kind_label", grid ? _("Grid") : _("Dimensions"));
  json_object_set_string_member (copy, "size_label", size_label);
  json_object_set_string_member (copy, "shipped_label",
                                 hs_json_get_int (o, "shipped", 0) ? _("Shipped") : "");
  return hs_item_new (hs_item_get_key (space), copy);
}

static HsItem *
selected_item (HsSpacesPage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static gboolean
find_position (HsSpacesPage *self, const char *member, const char *value, guint *position)
{
  GListModel *model = G_LIST_MODEL (self->selection);

  for (guint i = 0; value != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HsItem) item = g_list_model_get_item (model, i);
      const char *v = member ? hs_json_get_string (hs_item_get_object (item), member)
                             : hs_item_get_key (item);

      if (g_strcmp0 (v, value) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* Why the selected space cannot change, or NULL when it can. */
static char *
locked_reason (JsonObject *o)
{
  gint64 searches = hs_json_get_int (o, "searches", 0);
  const char *name = hs_json_get_string (o, "name");

  if (hs_json_get_int (o, "shipped", 0))
    return g_strdup_printf (_("“%s” ships with the workbench: duplicate it to make a space "
                              "you can change"), name);
  if (searches > 0)
    return g_strdup_printf (ngettext ("“%s” is used by %d search: duplicate it to change it",
                                      "“%s” is used by %d searches: duplicate it to change it",
                                      (gulong) searches),
                            name, (int) searches);
  return NULL;
}

static void
update_actions (HsSpacesPage *self)
{
  HsItem *item = selected_item (self);
  JsonObject *o = item ? hs_item_get_object (item) : NULL;
  g_autofree char *reason = o ? locked_reason (o) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "spaces.duplicate", self->definition != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "spaces.edit",
                                 self->definition != NULL && reason == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "spaces.delete", o != NULL && reason == NULL);
  gtk_label_set_text (self->reason_label, reason ? reason : "");
  gtk_widget_set_tooltip_text (self->edit_button, reason ? reason : _("Change the selected space"));
  gtk_widget_set_tooltip_text (self->delete_button, reason ? reason : _("Delete the selected space"));
}

static void
show_definition (HsSpacesPage *self, JsonObject *definition)
{
  g_autofree char *text = definition ? hs_space_format_definition (definition) : NULL;

  g_clear_pointer (&self->definition, json_object_unref);
  self->definition = definition ? json_object_ref (definition) : NULL;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->definition_view), text ? text : "", -1);
  update_actions (self);
}

static void
definition_loaded (gpointer owner, JsonNode *reply, const GError *error, gpointer data)
{
  HsSpacesPage *self = owner;
  JsonObject *definition;

  if (!hs_session_check (self->session, reply, error) ||
      g_strcmp0 (data, self->selected_key) != 0)
    return;
  definition = hs_json_get_object (json_node_get_object (reply), "definition");
  show_definition (self, definition);
}

/* The selection is kept by key: a reload replaces every item, and a space
 * just saved is selected once it is listed. */
static void
selection_changed (HsSpacesPage *self)
{
  HsItem *item = selected_item (self);
  guint position;
  g_autofree char *path = NULL;

  if (item == NULL && g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0)
    {
      /* The space selected before, else the first. */
      if (!find_position (self, NULL, self->selected_key, &position))
        position = 0;
      gtk_single_selection_set_selected (self->selection, position);
      return;
    }
  g_free (self->selected_key);
  self->selected_key = item ? g_strdup (hs_item_get_key (item)) : NULL;
  show_definition (self, NULL);
  if (item == NULL)
    return;
  path = g_strdup_printf ("/spaces/%s", self->selected_key);
  hs_session_call (self->session, "GET", path, NULL, self, definition_loaded,
                   g_strdup (self->selected_key), g_free);
}

static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added,
                  HsSpacesPage *self)
{
  if (selected_item (self) == NULL)
    selection_changed (self);
}

/* A search started somewhere changes its space's count of searches. */
static void
searches_changed_cb (GListModel *model, guint position, guint removed, guint added,
                     HsSpacesPage *self)
{
  if (added > removed)
    hs_session_reload_spaces (self->session);
}

gboolean
hs_spaces_page_select_space (HsSpacesPage *self, const char *name)
{
  guint position;

  g_return_val_if_fail (HS_IS_SPACES_PAGE (self), FALSE);
  if (!find_position (self, "name", name, &position))
    return FALSE;
  gtk_single_selection_set_selected (self->selection, position);
  return TRUE;
}

/* New, Duplicate, Edit */

/* base, or base-2, base-3, …: the first name no listed space has. */
static char *
unused_name (HsSpacesPage *self, const char *base)
{
  char *name = g_strdup (base);
  guint position;

  for (guint i = 2; find_position (self, "name", name, &position); i++)
    {
      g_free (name);
      name = g_strdup_printf ("%s-%u", base, i);
    }
  return name;
}

static void
editor_saved_cb (HsSpaceEditor *editor, const char *key, HsSpacesPage *self)
{
  /* Selected when the reload the editor asked for lists it. */
  g_free (self->selected_key);
  self->selected_key = g_strdup (key);
}

static void
open_editor (HsSpacesPage *self, const char *key, const char *name, JsonObject *definition)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  HsSpaceEditor *editor = hs_space_editor_new (self->session,
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               key, name, definition);

  g_signal_connect_object (editor, "saved", G_CALLBACK (editor_saved_cb), self, 0);
  g_set_weak_pointer (&self->editor, editor);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
space_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  HsSpacesPage *self = HS_SPACES_PAGE (widget);
  HsItem *item = selected_item (self);
  const char *name = item ? hs_json_get_string (hs_item_get_object (item), "name") : NULL;

  if (g_str_equal (action_name, "spaces.new"))
    {
      g_autofree char *new_name = unused_name (self, "new-space");

      open_editor (self, NULL, new_name, NULL);
    }
  else if (item != NULL && self->definition != NULL && g_str_equal (action_name, "spaces.edit"))
    open_editor (self, hs_item_get_key (item), name, self->definition);
  else if (item != NULL && self->definition != NULL)
    {
      g_autofree char *base = g_strdup_printf ("%s-copy", name);
      g_autofree char *copy_name = unused_name (self, base);

      open_editor (self, NULL, copy_name, self->definition);
    }
}

/* Delete */

static void
deleted_cb (gpointer owner, JsonNode *reply, const GError *error, gpointer data)
{
  HsSpacesPage *self = owner;

  if (error != NULL)
    hs_session_check (self->session, reply, error);
  else
    hs_session_reload_spaces (self->session);
}

static void
delete_response_cb (AdwMessageDialog *dialog, const char *response, HsSpacesPage *self)
{
  const char *key = g_object_get_data (G_OBJECT (dialog), "hs-key");
  g_autofree char *path = NULL;

  if (!g_str_equal (response, "delete"))
    return;
  path = g_strdup_printf ("/spaces/%s", key);
  hs_session_call (self->session, "DELETE", path, NULL, self, deleted_cb, NULL, NULL);
}

static void
delete_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  HsSpacesPage *self = HS_SPACES_PAGE (widget);
  HsItem *item = selected_item (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (item == NULL)
    return;
  heading = g_strdup_printf (_("Delete “%s”?"),
                             hs_json_get_string (hs_item_get_object (item), "name"));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("No search uses it. Its definition cannot be brought back."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "hs-key", g_strdup (hs_item_get_key (item)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  g_set_weak_pointer (&self->delete_dialog, ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Test API (hs-spaces-page-private.h) */

HsSpaceEditor *
hs_spaces_page_get_editor (HsSpacesPage *self)
{
  return self->editor;
}

AdwMessageDialog *
hs_spaces_page_get_delete_dialog (HsSpacesPage *self)
{
  return self->delete_dialog;
}

char *
hs_spaces_page_get_definition_text (HsSpacesPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->definition_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* GObject */

GtkWidget *
hs_spaces_page_new (HsSession *session)
{
  HsSpacesPage *self = g_object_new (HS_TYPE_SPACES_PAGE, NULL);
  GListModel *spaces = hs_session_get_spaces (session);
  GtkMapListModel *rows = gtk_map_list_model_new (g_object_ref (spaces), display_item, NULL, NULL);
  GtkSortListModel *sorted = hs_columns_sorted (self->spaces_view, G_LIST_MODEL (rows));

  self->session = g_object_ref (session);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_column_view_set_model (self->spaces_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (items_changed_cb), self,
                           G_CONNECT_AFTER);
  g_signal_connect_object (hs_session_get_searches (session), "items-changed",
                           G_CALLBACK (searches_changed_cb), self, 0);
  selection_changed (self);
  return GTK_WIDGET (self);
}

static void
hs_spaces_page_dispose (GObject *object)
{
  HsSpacesPage *self = HS_SPACES_PAGE (object);

  g_clear_weak_pointer (&self->editor);
  g_clear_weak_pointer (&self->delete_dialog);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_SPACES_PAGE);
  g_clear_pointer (&self->definition, json_object_unref);
  g_clear_pointer (&self->selected_key, g_free);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (hs_spaces_page_parent_class)->dispose (object);
}

static void
hs_spaces_page_class_init (HsSpacesPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = hs_spaces_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hyperstar/Workbench/hs-spaces-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HsSpacesPage, spaces_view);
  gtk_widget_class_bind_template_child (widget_class, HsSpacesPage, definition_view);
  gtk_widget_class_bind_template_child (widget_class, HsSpacesPage, reason_label);
  gtk_widget_class_bind_template_child (widget_class, HsSpacesPage, edit_button);
  gtk_widget_class_bind_template_child (widget_class, HsSpacesPage, delete_button);
  gtk_widget_class_install_action (widget_class, "spaces.new", NULL, space_action);
  gtk_widget_class_install_action (widget_class, "spaces.duplicate", NULL, space_action);
  gtk_widget_class_install_action (widget_class, "spaces.edit", NULL, space_action);
  gtk_widget_class_install_action (widget_class, "spaces.delete", NULL, delete_action);
}

static void
hs_spaces_page_init (HsSpacesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  hs_columns_add (self->spaces_view, _("Name"), "name", TRUE, "name");
  hs_columns_add (self->spaces_view, _("Kind"), "kind_label", FALSE, "kind");
  hs_columns_add (self->spaces_view, _("Size"), "size_label", FALSE, "size");
  hs_columns_add (self->spaces_view, _("Searches"), "searches", FALSE, "searches");
  hs_columns_add (self->spaces_view, _("Shipped"), "shipped_label", FALSE, "shipped");
}
