/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsImportDialog: see hs-import-dialog.h.
 */
#define G_LOG_DOMAIN "hs-import-dialog"

#include <glib/gi18n.h>
#include <string.h>

#include "hs-import-dialog.h"

/* The daemon's limit on a dataset name (docs/api.md). */
#define MAX_NAME 64

struct _HsImportDialog
{
  AdwWindow parent_instance;

  HsSession *session;
  char *path;
  char *running_name;           /* the name sent, while the request runs */
  JsonObject *report;
  double fraction;
  gboolean detached;            /* closed while running: a toast tells the end */

  GtkStack *stack;
  GtkWidget *cancel_button;
  GtkWidget *import_button;
  GtkWidget *close_button;
  AdwActionRow *folder_row;
  AdwEntryRow *name_row;
  GtkRevealer *error_revealer;
  GtkLabel *error_label;
  GtkLabel *progress_label;
  GtkProgressBar *progress_bar;
  GtkLabel *summary_label;
  GtkLabel *classes_label;
  GtkLabel *skipped_label;
  GtkWidget *skipped_scroller;
  GtkListBox *skipped_list;
};

G_DEFINE_FINAL_TYPE (HsImportDialog, hs_import_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_IMPORTED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Names */

static gboolean
name_char_is_valid (gunichar c)
{
  return c < 128 && (g_ascii_isalnum (c) || c == '.' || c == '_' || c == '-');
}

char *
hs_dataset_name_from_folder (const char *folder)
{
  GString *name = g_string_new (NULL);
  g_autofree char *valid = g_utf8_make_valid (folder ? folder : "", -1);

  for (const char *p = valid; *p != '\0' && name->len < MAX_NAME; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (name->len == 0 && c == '.')
        continue;
      if (name_char_is_valid (c))
        g_string_append_c (name, (char) c);
      /* One "_" for a run of other characters ("my photos" → "my_photos"). */
      else if (name->len > 0 && name->str[name->len - 1] != '_')
        g_string_append_c (name, '_');
    }
  while (name->len > 0 && name->str[name->len - 1] == '_' && name->len > 1)
    g_string_truncate (name, name->len - 1);
  if (name->len == 0 || g_str_equal (name->str, "_"))
    g_string_assign (name, "dataset");
  return g_string_free (name, FALSE);
}

gboolean
hs_dataset_name_check (const char *name, char **why)
{
  gsize len = name ? strlen (name) : 0;
  const char *reason = NULL;
  g_autofree char *owned = NULL;

  if (len == 0)
    reason = _("Give the dataset a name.");
  else if (name[0] == '.')
    reason = _("A dataset name cannot start with “.”.");
  else
    {
      for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
        if (*p == ' ')
          {
            reason = _("Spaces are not allowed in a dataset name: use “-” or “_” instead.");
            break;
          }
        else if (!name_char_is_valid (g_utf8_get_char_validated (p, -1)))
          {
            g_autofree char *c = g_utf8_make_valid (p, g_utf8_next_char (p) - p);

            /* TRANSLATORS: %s is the character that is not allowed. */
            owned = g_strdup_printf (_("“%s” is not allowed in a dataset name: use letters, "
                                       "digits, “.”, “_” and “-”."), c);
            reason = owned;
            break;
          }
      if (reason == NULL && len > MAX_NAME)
        {
          owned = g_strdup_printf (_("A dataset name has at most %d characters (this one has "
                                     "%zu)."), MAX_NAME, len);
          reason = owned;
        }
    }
  if (why != NULL)
    *why = reason ? g_strdup (reason) : NULL;
  return reason == NULL;
}

/* The form */

static void
show_error (HsImportDialog *self, const char *text)
{
  if (text != NULL)
    gtk_label_set_text (self->error_label, text);
  gtk_revealer_set_reveal_child (self->error_revealer, text != NULL);
}

/* Checks the name as it is typed: the row is marked and the reason shown,
 * and Import stays off until it is valid. */
static gboolean
check_name (HsImportDialog *self)
{
  g_autofree char *why = NULL;
  gboolean valid = hs_dataset_name_check (hs_import_dialog_get_name (self), &why);

  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
  show_error (self, why);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.submit",
                                 valid && self->running_name == NULL);
  return valid;
}

static void
name_changed_cb (HsImportDialog *self)
{
  check_name (self);
}

static void
name_activated_cb (HsImportDialog *self)
{
  hs_import_dialog_submit (self);
}

/* Progress */

static void
event_cb (HsClient *client, const char *type, gint64 search_id, JsonObject *data,
          HsImportDialog *self)
{
  gint64 done, total;
  g_autofree char *text = NULL;

  /* The last event may come after the reply: it still counts. */
  if (!g_str_equal (type, "import-progress") ||
      (self->running_name == NULL && self->report == NULL))
    return;
  if (g_strcmp0 (hs_json_get_string (data, "name"), hs_import_dialog_get_name (self)) != 0)
    return;
  done = hs_json_get_int (data, "done", 0);
  total = hs_json_get_int (data, "total", 0);
  self->fraction = total > 0 ? CLAMP ((double) done / total, 0, 1) : 0;
  gtk_progress_bar_set_fraction (self->progress_bar, self->fraction);
  /* TRANSLATORS: import progress: images read of all found. */
  text = g_strdup_printf (_("%lld of %lld files"), (long long) done, (long long) total);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

/* The report */

static void
add_skipped_row (HsImportDialog *self, JsonObject *skip)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *file = g_markup_escape_text (hs_json_get_string (skip, "file")
                                                ? hs_json_get_string (skip, "file") : "?", -1);
  g_autofree char *reason = g_markup_escape_text (hs_json_get_string (skip, "reason")
                                                  ? hs_json_get_string (skip, "reason") : "", -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), file);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), reason);
  gtk_list_box_append (self->skipped_list, row);
}

static void
show_report (HsImportDialog *self, const char *name, JsonObject *report)
{
  JsonObject *classes = hs_json_get_object (report, "classes");
  JsonArray *skipped = hs_json_get_array (report, "skipped");
  guint n_skipped = skipped ? json_array_get_length (skipped) : 0;
  guint n_classes = classes ? json_object_get_size (classes) : 0;
  gint64 imported = hs_json_get_int (report, "imported", 0);
  g_autoptr(GString) counts = g_string_new (NULL);
  g_autoptr(GList) members = classes ? json_object_get_members (classes) : NULL;
  g_autofree char *summary = NULL;
  g_autofree char *skipped_text = NULL;

  summary = g_strdup_printf (ngettext ("Imported %lld image into “%s”",
                                       "Imported %lld images into “%s”", imported),
                             (long long) imported, name);
  gtk_label_set_text (self->summary_label, summary);
  g_string_append_printf (counts, ngettext ("%u class: ", "%u classes: ", n_classes),
                          n_classes);
  for (GList *l = members; l != NULL; l = l->next)
    g_string_append_printf (counts, "%s%s %" G_GINT64_FORMAT, l == members ? "" : ", ",
                            (const char *) l->data, hs_json_get_int (classes, l->data, 0));
  gtk_label_set_text (self->classes_label, counts->str);

  if (n_skipped == 0)
    skipped_text = g_strdup (_("No files were skipped."));
  else
    skipped_text = g_strdup_printf (ngettext ("%u file was skipped:",
                                                 "%u files were skipped:", n_skipped),
                                    n_skipped);
  gtk_label_set_text (self->skipped_label, skipped_text);
  for (guint i = 0; i < n_skipped; i++)
    if (json_array_get_object_element (skipped, i) != NULL)
      add_skipped_row (self, json_array_get_object_element (skipped, i));
  gtk_widget_set_visible (self->skipped_scroller, n_skipped > 0);

  gtk_stack_set_visible_child_name (self->stack, "report");
  gtk_widget_set_visible (self->import_button, FALSE);
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_set_visible (self->close_button, TRUE);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->close_button);
}

static void
imported (gpointer owner, JsonNode *reply, const GError *error, gpointer data)
{
  HsImportDialog *self = owner;
  g_autofree char *name = g_steal_pointer (&self->running_name);
  JsonObject *report;

  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), TRUE);
  if (error != NULL || reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (_("The import failed: %s"),
                              error ? error->message : _("the daemon’s reply is not valid"));
      if (self->detached)
        {
          hs_session_message (self->session, text);
          gtk_window_destroy (GTK_WINDOW (self));
          return;
        }
      gtk_stack_set_visible_child_name (self->stack, "form");
      gtk_widget_set_visible (self->cancel_button, TRUE);
      gtk_widget_set_visible (self->import_button, TRUE);
      check_name (self);
      show_error (self, text);
      return;
    }
  report = hs_json_get_object (json_node_get_object (reply), "report");
  self->report = report ? json_object_ref (report) : json_object_new ();
  show_report (self, name, self->report);
  g_signal_emit (self, signals[SIGNAL_IMPORTED], 0, name);
  if (self->detached)
    {
      g_autofree char *text = g_strdup_printf (_("Imported dataset “%s”"), name);

      hs_session_message (self->session, text);
      gtk_window_destroy (GTK_WINDOW (self));
    }
}

gboolean
hs_import_dialog_submit (HsImportDialog *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *title = NULL;
  const char *name;

  g_return_val_if_fail (HS_IS_IMPORT_DIALOG (self), FALSE);

  if (self->running_name != NULL || self->report != NULL || !check_name (self))
    return FALSE;
  name = hs_import_dialog_get_name (self);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, self->path);
  json_builder_end_object (b);
  body = json_builder_get_root (b);

  self->running_name = g_strdup (name);
  self->fraction = 0;
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Looking for images…"));
  /* TRANSLATORS: %s is the new dataset's name. */
  title = g_strdup_printf (_("Importing “%s”…"), name);
  gtk_label_set_text (self->progress_label, title);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  gtk_widget_set_visible (self->import_button, FALSE);
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.submit", FALSE);
  show_error (self, NULL);
  hs_session_call (self->session, "POST", "/datasets", body, self, imported, NULL, NULL);
  return TRUE;
}

static void
submit_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  hs_import_dialog_submit (HS_IMPORT_DIALOG (widget));
}

/* Accessors */

void
hs_import_dialog_set_name (HsImportDialog *self, const char *name)
{
  g_return_if_fail (HS_IS_IMPORT_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name ? name : "");
}

const char *
hs_import_dialog_get_name (HsImportDialog *self)
{
  g_return_val_if_fail (HS_IS_IMPORT_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->name_row));
}

const char *
hs_import_dialog_get_error (HsImportDialog *self)
{
  g_return_val_if_fail (HS_IS_IMPORT_DIALOG (self), NULL);
  if (!gtk_revealer_get_reveal_child (self->error_revealer))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

gboolean hs_import_dialog_get_running (HsImportDialog *self) { return self->running_name != NULL; }
double hs_import_dialog_get_fraction (HsImportDialog *self) { return self->fraction; }
JsonObject *hs_import_dialog_get_report (HsImportDialog *self) { return self->report; }
GtkListBox *hs_import_dialog_get_skipped_list (HsImportDialog *self) { return self->skipped_list; }

/* GObject */

HsImportDialog *
hs_import_dialog_new (HsSession *session, GtkWindow *parent, const char *path)
{
  HsImportDialog *self = g_object_new (HS_TYPE_IMPORT_DIALOG, "transient-for", parent, NULL);
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *shown = g_filename_display_name (path);
  g_autofree char *display_base = g_filename_display_name (basename);
  g_autofree char *name = hs_dataset_name_from_folder (display_base);

  self->session = g_object_ref (session);
  self->path = g_strdup (path);
  adw_action_row_set_subtitle (self->folder_row, shown);
  g_signal_connect_object (hs_session_get_client (session), "event", G_CALLBACK (event_cb), self,
                           0);
  hs_import_dialog_set_name (self, name);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->import_button);
  return self;
}

static gboolean
hs_import_dialog_close_request (GtkWindow *window)
{
  HsImportDialog *self = HS_IMPORT_DIALOG (window);

  /* The daemon cannot stop an import: hide, and tell the end in a toast. */
  if (self->running_name != NULL)
    {
      self->detached = TRUE;
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (hs_import_dialog_parent_class)->close_request (window);
}

static void
hs_import_dialog_dispose (GObject *object)
{
  HsImportDialog *self = HS_IMPORT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_IMPORT_DIALOG);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (hs_import_dialog_parent_class)->dispose (object);
}

static void
hs_import_dialog_finalize (GObject *object)
{
  HsImportDialog *self = HS_IMPORT_DIALOG (object);

  g_free (self->path);
  g_free (self->running_name);
  g_clear_pointer (&self->report, json_object_unref);
  G_OBJECT_CLASS (hs_import_dialog_parent_class)->finalize (object);
}

static void
hs_import_dialog_class_init (HsImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_import_dialog_dispose;
  object_class->finalize = hs_import_dialog_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = hs_import_dialog_close_request;

  signals[SIGNAL_IMPORTED] =
    g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hyperstar/Workbench/hs-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HsImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, HsImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, HsImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, HsImportDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, HsImportDialog, folder_row);
  gtk_widget_class_bind_template_child (widget_class, HsImportDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, HsImportDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, HsImportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, HsImportDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, HsImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, HsImportDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, HsImportDialog, classes_label);
  gtk_widget_class_bind_template_child (widget_class, HsImportDialog, skipped_label);
  gtk_widget_class_bind_template_child (widget_class, HsImportDialog, skipped_scroller);
  gtk_widget_class_bind_template_child (widget_class, HsImportDialog, skipped_list);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_activated_cb);
  gtk_widget_class_install_action (widget_class, "import.submit", NULL, submit_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hs_import_dialog_init (HsImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
