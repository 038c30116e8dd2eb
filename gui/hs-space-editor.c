/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsSpaceEditor: see hs-space-editor.h.
 */
#define G_LOG_DOMAIN "hs-space-editor"

#include <glib/gi18n.h>
#include <string.h>

#include "hs-json-text.h"
#include "hs-search-space.h"
#include "hs-space-editor-private.h"

/* The parser's type names, in the order of the type rows' list. */
static const char *const type_names[] = { "float", "int", "categorical", NULL };
/* The keys a parser message can be about, each with its row. */
enum { FIELD_NAME, FIELD_TYPE, FIELD_MIN, FIELD_MAX, FIELD_LOG, FIELD_CHOICES, N_FIELDS };
static const char *const field_keys[N_FIELDS] = { "name", "type", "min", "max", "log", "choices" };

typedef struct {
  AdwPreferencesGroup *group;
  GtkWidget *rows[N_FIELDS];
  GtkSwitch *log_switch;
  GtkLabel *error_label;
} Dimension;

struct _HsSpaceEditor
{
  AdwWindow parent_instance;

  HsSession *session;
  char *key;                    /* the space changed, NULL for a new one */
  JsonObject *extra;            /* top-level members the fields do not show */
  GPtrArray *dimensions;        /* Dimension */
  JsonNode *definition;         /* the last valid one, NULL while invalid */
  gboolean saving;
  gboolean disposed;

  AdwPreferencesPage *page;
  GtkRevealer *error_revealer;
  GtkLabel *error_label;
  AdwEntryRow *name_row;
  AdwEntryRow *description_row;
  AdwComboRow *kind_row;
  AdwPreferencesGroup *grid_group;
  GtkTextView *grid_view;
  GtkLabel *grid_error_label;
  AdwPreferencesGroup *dimensions_group;
};

G_DEFINE_FINAL_TYPE (HsSpaceEditor, hs_space_editor, ADW_TYPE_WINDOW)

enum { SIGNAL_SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void validate (HsSpaceEditor *self);

/* Formatting */

static void
append_node (GString *out, JsonNode *node)
{
  g_autofree char *text = hs_json_to_text (node);

  g_string_append (out, text);
}

static void
append_key (GString *out, const char *key)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), key);

  append_node (out, node);
  g_string_append (out, ": ");
}

/* A grid's configurations or the dimensions, one per line. */
static void
append_expanded (GString *out, JsonNode *node)
{
  gboolean object = JSON_NODE_HOLDS_OBJECT (node);
  g_autoptr(GList) members = object ? json_object_get_members (json_node_get_object (node)) : NULL;
  JsonArray *array = object ? NULL : json_node_get_array (node);
  guint n = object ? g_list_length (members) : json_array_get_length (array);
  GList *l = members;

  g_string_append (out, object ? "{\n" : "[\n");
  for (guint i = 0; i < n; i++, l = l ? l->next : NULL)
    {
      g_string_append (out, "    ");
      if (object)
        append_key (out, l->data);
      append_node (out, object ? json_object_get_member (json_node_get_object (node), l->data)
                               : json_array_get_element (array, i));
      g_string_append (out, i + 1 < n ? ",\n" : "\n");
    }
  g_string_append (out, object ? "  }" : "  ]");
}

char *
hs_space_format_definition (JsonObject *definition)
{
  g_autoptr(GList) members = json_object_get_members (definition);
  GString *out = g_string_new ("{\n");

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (definition, l->data);
      gboolean expand = (JSON_NODE_HOLDS_OBJECT (value) &&
                         json_object_get_size (json_node_get_object (value)) > 0) ||
                        (JSON_NODE_HOLDS_ARRAY (value) &&
                         json_array_get_length (json_node_get_array (value)) > 0);

      g_string_append (out, "  ");
      append_key (out, l->data);
      if (expand)
        append_expanded (out, value);
      else
        append_node (out, value);
      g_string_append (out, l->next != NULL ? ",\n" : "\n");
    }
  g_string_append (out, "}");
  return g_string_free (out, FALSE);
}

/* Messages */

static gboolean
is_grid (HsSpaceEditor *self)
{
  return adw_combo_row_get_selected (self->kind_row) == 1;
}

static void
show_top_error (HsSpaceEditor *self, const char *text)
{
  if (text != NULL)
    gtk_label_set_text (self->error_label, text);
  gtk_revealer_set_reveal_child (self->error_revealer, text != NULL);
}

static void
show_label (GtkLabel *label, const char *text)
{
  gtk_label_set_text (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

static void
set_row_error (GtkWidget *row, gboolean error)
{
  if (error)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

static void
clear_errors (HsSpaceEditor *self)
{
  show_top_error (self, NULL);
  show_label (self->grid_error_label, NULL);
  set_row_error (GTK_WIDGET (self->name_row), FALSE);
  for (guint i = 0; i < self->dimensions->len; i++)
    {
      Dimension *dim = g_ptr_array_index (self->dimensions, i);

      show_label (dim->error_label, NULL);
      for (guint f = 0; f < N_FIELDS; f++)
        set_row_error (dim->rows[f], FALSE);
    }
}

/* A parser message about dimensions[i] goes under that dimension, and the
 * field it names first is marked; any other goes under the grid's text
 * or at the top. */
static void
show_parser_error (HsSpaceEditor *self, const char *message)
{
  const char *text = g_str_has_prefix (message, "search space: ")
                     ? message + strlen ("search space: ") : message;

  for (guint i = 0; !is_grid (self) && i < self->dimensions->len; i++)
    {
      Dimension *dim = g_ptr_array_index (self->dimensions, i);
      g_autofree char *where = g_strdup_printf ("dimensions[%u]", i);
      const char *tail, *first = NULL;
      gint field = -1;

      if (!g_str_has_prefix (text, where))
        continue;
      tail = text + strlen (where);
      /* Past the dimension's own name: dimensions[0] (“lr”): … */
      if (g_str_has_prefix (tail, " (“") && strstr (tail, "”): ") != NULL)
        tail = strstr (tail, "”): ");
      for (guint f = 0; f < N_FIELDS; f++)
        {
          g_autofree char *quoted = g_strdup_printf ("“%s”", field_keys[f]);
          const char *at = strstr (tail, quoted);

          if (at != NULL && (first == NULL || at < first))
            {
              first = at;
              field = f;
            }
        }
      show_label (dim->error_label, text);
      if (field >= 0)
        set_row_error (dim->rows[field], TRUE);
      return;
    }
  if (is_grid (self))
    show_label (self->grid_error_label, text);
  else
    show_top_error (self, text);
}

/* Building the definition */

static const char *
row_text (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* A bound as typed: a number when it reads as one, else the text itself,
 * so that the parser's “must be a number” is what the user sees. */
static JsonNode *
number_node (const char *typed)
{
  g_autofree char *text = g_strstrip (g_strdup (typed));
  gint64 i;
  char *end = NULL;
  double d;

  if (g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &i, NULL))
    return json_node_init_int (json_node_alloc (), i);
  d = g_ascii_strtod (text, &end);
  if (*text != '\0' && end != NULL && *end == '\0')
    return json_node_init_double (json_node_alloc (), d);
  return json_node_init_string (json_node_alloc (), typed);
}

/* Choices as typed, comma-separated: numbers, true, false and null as
 * such, anything else as a string. */
static JsonArray *
choices_array (const char *typed)
{
  g_auto(GStrv) parts = g_strsplit (typed, ",", -1);
  JsonArray *array = json_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);
      g_autoptr(JsonNode) number = NULL;

      if (*part == '\0')
        continue;
      number = number_node (part);
      if (g_str_equal (part, "true") || g_str_equal (part, "false"))
        json_array_add_boolean_element (array, g_str_equal (part, "true"));
      else if (g_str_equal (part, "null"))
        json_array_add_null_element (array);
      else
        json_array_add_element (array, g_steal_pointer (&number));
    }
  return array;
}

static JsonNode *
dimension_to_json (Dimension *dim)
{
  JsonObject *o = json_object_new ();
  guint type = adw_combo_row_get_selected (ADW_COMBO_ROW (dim->rows[FIELD_TYPE]));

  json_object_set_string_member (o, "name", row_text (dim->rows[FIELD_NAME]));
  json_object_set_string_member (o, "type", type_names[MIN (type, 2)]);
  if (type == HS_DIMENSION_CATEGORICAL)
    json_object_set_array_member (o, "choices", choices_array (row_text (dim->rows[FIELD_CHOICES])));
  else
    {
      json_object_set_member (o, "min", number_node (row_text (dim->rows[FIELD_MIN])));
      json_object_set_member (o, "max", number_node (row_text (dim->rows[FIELD_MAX])));
      if (gtk_switch_get_active (dim->log_switch))
        json_object_set_boolean_member (o, "log", TRUE);
    }
  return json_node_init_object (json_node_alloc (), o);
}

static char *
grid_text (HsSpaceEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->grid_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The definition the fields describe: the grid's text as an object, or
 * the dimensions, with the description row's text and the members kept
 * from the space edited.  NULL when the grid's text is not an object. */
static JsonNode *
build_definition (HsSpaceEditor *self)
{
  const char *description = row_text (GTK_WIDGET (self->description_row));
  g_autoptr(JsonObject) o = NULL;

  if (is_grid (self))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *text = grid_text (self);
      JsonNode *root;

      if (!json_parser_load_from_data (parser, text, -1, NULL) ||
          (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        return NULL;
      o = json_object_ref (json_node_get_object (root));
    }
  else
    {
      JsonArray *array = json_array_new ();
      g_autoptr(GList) members = json_object_get_members (self->extra);

      o = json_object_new ();
      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (o, l->data,
                                json_node_copy (json_object_get_member (self->extra, l->data)));
      for (guint i = 0; i < self->dimensions->len; i++)
        json_array_add_element (array, dimension_to_json (g_ptr_array_index (self->dimensions, i)));
      json_object_set_array_member (o, "dimensions", array);
    }
  if (*description != '\0')
    json_object_set_string_member (o, "description", description);
  return json_node_init_object (json_node_alloc (), o);
}

/* Why name cannot name a space, or NULL. */
static const char *
name_problem (const char *name)
{
  gint64 unused;

  if (*name == '\0')
    return _("Give the space a name");
  if (g_utf8_strlen (name, -1) > 128)
    return _("The name is longer than 128 characters");
  if (g_ascii_string_to_signed (name, 10, 0, G_MAXINT64, &unused, NULL))
    return _("A name of digits only would read as a space’s id: add a letter");
  return NULL;
}

static void
update_save (HsSpaceEditor *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 self->definition != NULL && !self->saving &&
                                 name_problem (row_text (GTK_WIDGET (self->name_row))) == NULL);
}

/* Runs on every change: the real parser decides, as the daemon will. */
static void
validate (HsSpaceEditor *self)
{
  g_autoptr(JsonNode) definition = NULL;
  g_autoptr(HsSearchSpace) space = NULL;
  g_autoptr(GError) error = NULL;
  const char *problem = name_problem (row_text (GTK_WIDGET (self->name_row)));

  if (self->disposed)
    return;
  clear_errors (self);
  g_clear_pointer (&self->definition, json_node_unref);
  definition = build_definition (self);
  if (definition == NULL)
    {
      /* Not a JSON object: the parser says where the text goes wrong. */
      g_autofree char *text = grid_text (self);

      space = hs_search_space_new_from_json (text, &error);
    }
  else
    {
      g_autofree char *text = hs_json_to_text (definition);

      space = hs_search_space_new_from_json (text, &error);
    }
  if (space == NULL)
    show_parser_error (self, error ? error->message : _("not a search space"));
  else
    self->definition = g_steal_pointer (&definition);
  if (problem != NULL)
    {
      set_row_error (GTK_WIDGET (self->name_row), TRUE);
      if (!gtk_revealer_get_reveal_child (self->error_revealer))
        show_top_error (self, problem);
    }
  update_save (self);
}

/* Dimensions */

static void
dimension_type_changed (Dimension *dim)
{
  guint type = adw_combo_row_get_selected (ADW_COMBO_ROW (dim->rows[FIELD_TYPE]));
  gboolean categorical = type == HS_DIMENSION_CATEGORICAL;

  gtk_widget_set_visible (dim->rows[FIELD_MIN], !categorical);
  gtk_widget_set_visible (dim->rows[FIELD_MAX], !categorical);
  gtk_widget_set_visible (dim->rows[FIELD_LOG], !categorical);
  gtk_widget_set_visible (dim->rows[FIELD_CHOICES], categorical);
}

static void
renumber_dimensions (HsSpaceEditor *self)
{
  for (guint i = 0; i < self->dimensions->len; i++)
    {
      Dimension *dim = g_ptr_array_index (self->dimensions, i);
      g_autofree char *title = g_strdup_printf (_("Dimension %u"), i + 1);

      adw_preferences_group_set_title (dim->group, title);
    }
}

static GtkWidget *
entry_row (HsSpaceEditor *self, Dimension *dim, const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (validate), self);
  adw_preferences_group_add (dim->group, row);
  return row;
}

static void
remove_clicked_cb (GtkButton *button, HsSpaceEditor *self)
{
  for (guint i = 0; i < self->dimensions->len; i++)
    {
      Dimension *dim = g_ptr_array_index (self->dimensions, i);

      if (gtk_widget_is_ancestor (GTK_WIDGET (button), GTK_WIDGET (dim->group)))
        {
          hs_space_editor_remove_dimension (self, i);
          return;
        }
    }
}

/* A dimension's group of rows, appended; filled from a dimension object
 * of a definition, or with a float dimension when o is NULL. */
static Dimension *
add_dimension (HsSpaceEditor *self, JsonObject *o)
{
  Dimension *dim = g_new0 (Dimension, 1);
  g_autoptr(GtkStringList) types =
    gtk_string_list_new ((const char *const[]) { _("Float"), _("Integer"), _("Categorical"), NULL });
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkWidget *label = gtk_label_new (NULL);
  const char *type = o ? hs_json_get_string (o, "type") : NULL;
  JsonArray *choices = o ? hs_json_get_array (o, "choices") : NULL;

  dim->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  /* The rows' handlers use dim: it lives as long as they do. */
  g_object_set_data_full (G_OBJECT (dim->group), "hs-dimension", dim, g_free);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove Dimension"));
  gtk_widget_add_css_class (remove, "flat");
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  adw_preferences_group_set_header_suffix (dim->group, remove);

  dim->rows[FIELD_NAME] = entry_row (self, dim, _("Name"));
  dim->rows[FIELD_TYPE] = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (dim->rows[FIELD_TYPE]), _("Type"));
  adw_combo_row_set_model (ADW_COMBO_ROW (dim->rows[FIELD_TYPE]), G_LIST_MODEL (types));
  adw_preferences_group_add (dim->group, dim->rows[FIELD_TYPE]);
  dim->rows[FIELD_MIN] = entry_row (self, dim, _("Minimum"));
  dim->rows[FIELD_MAX] = entry_row (self, dim, _("Maximum"));
  dim->log_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (dim->log_switch), GTK_ALIGN_CENTER);
  dim->rows[FIELD_LOG] = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (dim->rows[FIELD_LOG]), _("Log Scale"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (dim->rows[FIELD_LOG]),
                               _("Draw evenly in log(value); needs a minimum above 0"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (dim->rows[FIELD_LOG]), GTK_WIDGET (dim->log_switch));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (dim->rows[FIELD_LOG]),
                                         GTK_WIDGET (dim->log_switch));
  adw_preferences_group_add (dim->group, dim->rows[FIELD_LOG]);
  dim->rows[FIELD_CHOICES] = entry_row (self, dim, _("Choices, separated by commas"));

  dim->error_label = GTK_LABEL (label);
  gtk_label_set_wrap (dim->error_label, TRUE);
  gtk_label_set_wrap_mode (dim->error_label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (dim->error_label, 0);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_set_visible (label, FALSE);
  adw_preferences_group_add (dim->group, label);

  if (o != NULL)
    {
      JsonNode *min = json_object_get_member (o, "min"), *max = json_object_get_member (o, "max");
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *min_text = min ? hs_json_to_text (min) : NULL;
      g_autofree char *max_text = max ? hs_json_to_text (max) : NULL;

      for (guint i = 0; choices != NULL && i < json_array_get_length (choices); i++)
        {
          JsonNode *choice = json_array_get_element (choices, i);
          g_autofree char *number = JSON_NODE_HOLDS_VALUE (choice) &&
                                    json_node_get_value_type (choice) == G_TYPE_STRING
                                    ? g_strdup (json_node_get_string (choice))
                                    : hs_json_to_text (choice);

          g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", number);
        }
      gtk_editable_set_text (GTK_EDITABLE (dim->rows[FIELD_NAME]), hs_json_get_string (o, "name")
                                                                  ? hs_json_get_string (o, "name") : "");
      gtk_editable_set_text (GTK_EDITABLE (dim->rows[FIELD_MIN]), min_text ? min_text : "");
      gtk_editable_set_text (GTK_EDITABLE (dim->rows[FIELD_MAX]), max_text ? max_text : "");
      gtk_editable_set_text (GTK_EDITABLE (dim->rows[FIELD_CHOICES]), text->str);
      gtk_switch_set_active (dim->log_switch, hs_json_get_int (o, "log", 0) != 0);
      for (guint i = 0; type != NULL && type_names[i] != NULL; i++)
        if (g_str_equal (type, type_names[i]))
          adw_combo_row_set_selected (ADW_COMBO_ROW (dim->rows[FIELD_TYPE]), i);
    }
  g_signal_connect_swapped (dim->rows[FIELD_TYPE], "notify::selected",
                            G_CALLBACK (dimension_type_changed), dim);
  g_signal_connect_swapped (dim->rows[FIELD_TYPE], "notify::selected", G_CALLBACK (validate), self);
  g_signal_connect_swapped (dim->log_switch, "notify::active", G_CALLBACK (validate), self);
  dimension_type_changed (dim);

  adw_preferences_page_add (self->page, dim->group);
  g_ptr_array_add (self->dimensions, dim);
  renumber_dimensions (self);
  return dim;
}

static void
add_dimension_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  hs_space_editor_add_dimension (HS_SPACE_EDITOR (widget));
}

/* Kind */

static void
set_grid_text (HsSpaceEditor *self, JsonObject *definition)
{
  g_autofree char *text = hs_space_format_definition (definition);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->grid_view), text, -1);
}

/* A grid or dimensions to start from when switching to an empty kind. */
static void
kind_changed (HsSpaceEditor *self)
{
  gboolean grid = is_grid (self);
  g_autofree char *text = grid_text (self);

  gtk_widget_set_visible (GTK_WIDGET (self->grid_group), grid);
  gtk_widget_set_visible (GTK_WIDGET (self->dimensions_group), !grid);
  for (guint i = 0; i < self->dimensions->len; i++)
    gtk_widget_set_visible (GTK_WIDGET (((Dimension *) g_ptr_array_index (self->dimensions, i))->group),
                            !grid);
  if (grid && *g_strstrip (text) == '\0')
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      json_parser_load_from_data (parser,
                                  "{\"grid\": {\"c1\": {\"lr\": 0.01}, \"c2\": {\"lr\": 0.1}}}",
                                  -1, NULL);
      set_grid_text (self, json_node_get_object (json_parser_get_root (parser)));
    }
  if (!grid && self->dimensions->len == 0)
    add_dimension (self, NULL);
  validate (self);
}

/* Saving */

static void
saved_cb (gpointer owner, JsonNode *reply, const GError *error, gpointer data)
{
  HsSpaceEditor *self = owner;
  g_autofree char *key = NULL;

  self->saving = FALSE;
  if (error != NULL || reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      /* The daemon's refusal stays in view, the window open. */
      if (error != NULL && g_error_matches (error, HS_CLIENT_ERROR, HS_CLIENT_ERROR_NOT_RUNNING))
        hs_session_check (self->session, reply, error);
      if (!self->disposed)
        {
          show_top_error (self, error ? error->message : _("hyperstard sent no space back"));
          set_row_error (GTK_WIDGET (self->name_row),
                         error != NULL && strstr (error->message, "already exists") != NULL);
          update_save (self);
        }
      return;
    }
  hs_session_check (self->session, reply, error);
  key = g_strdup_printf ("%" G_GINT64_FORMAT,
                         hs_json_get_int (json_node_get_object (reply), "id", 0));
  hs_session_reload_spaces (self->session);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, key);
  if (!self->disposed)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  HsSpaceEditor *self = HS_SPACE_EDITOR (widget);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *path = NULL;

  validate (self);
  if (self->definition == NULL || self->saving ||
      name_problem (row_text (GTK_WIDGET (self->name_row))) != NULL)
    return;
  json_object_set_string_member (body, "name", row_text (GTK_WIDGET (self->name_row)));
  json_object_set_member (body, "definition", json_node_copy (self->definition));
  node = json_node_init_object (json_node_alloc (), body);
  path = self->key ? g_strdup_printf ("/spaces/%s", self->key) : g_strdup ("/spaces");
  self->saving = TRUE;
  update_save (self);
  hs_session_call (self->session, self->key ? "PUT" : "POST", path, node, self, saved_cb,
                   NULL, NULL);
}

/* Test API (hs-space-editor-private.h) */

void
hs_space_editor_set_name (HsSpaceEditor *self, const char *name)
{
  g_return_if_fail (HS_IS_SPACE_EDITOR (self));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
}

void
hs_space_editor_set_grid (HsSpaceEditor *self, gboolean grid)
{
  g_return_if_fail (HS_IS_SPACE_EDITOR (self));
  adw_combo_row_set_selected (self->kind_row, grid ? 1 : 0);
}

void
hs_space_editor_set_grid_text (HsSpaceEditor *self, const char *text)
{
  g_return_if_fail (HS_IS_SPACE_EDITOR (self));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->grid_view), text, -1);
}

guint
hs_space_editor_get_n_dimensions (HsSpaceEditor *self)
{
  g_return_val_if_fail (HS_IS_SPACE_EDITOR (self), 0);
  return self->dimensions->len;
}

void
hs_space_editor_add_dimension (HsSpaceEditor *self)
{
  g_return_if_fail (HS_IS_SPACE_EDITOR (self));
  add_dimension (self, NULL);
  validate (self);
}

void
hs_space_editor_remove_dimension (HsSpaceEditor *self, guint index)
{
  Dimension *dim;

  g_return_if_fail (HS_IS_SPACE_EDITOR (self));
  g_return_if_fail (index < self->dimensions->len);
  dim = g_ptr_array_index (self->dimensions, index);
  adw_preferences_page_remove (self->page, dim->group);
  g_ptr_array_remove_index (self->dimensions, index);
  renumber_dimensions (self);
  validate (self);
}

void
hs_space_editor_set_dimension (HsSpaceEditor *self, guint index, const char *name,
                               const char *type, const char *min, const char *max,
                               gboolean log, const char *choices)
{
  Dimension *dim;

  g_return_if_fail (HS_IS_SPACE_EDITOR (self));
  g_return_if_fail (index < self->dimensions->len);
  dim = g_ptr_array_index (self->dimensions, index);
  gtk_editable_set_text (GTK_EDITABLE (dim->rows[FIELD_NAME]), name);
  for (guint i = 0; type_names[i] != NULL; i++)
    if (g_str_equal (type, type_names[i]))
      adw_combo_row_set_selected (ADW_COMBO_ROW (dim->rows[FIELD_TYPE]), i);
  gtk_editable_set_text (GTK_EDITABLE (dim->rows[FIELD_MIN]), min ? min : "");
  gtk_editable_set_text (GTK_EDITABLE (dim->rows[FIELD_MAX]), max ? max : "");
  gtk_switch_set_active (dim->log_switch, log);
  gtk_editable_set_text (GTK_EDITABLE (dim->rows[FIELD_CHOICES]), choices ? choices : "");
}

char *
hs_space_editor_get_definition_text (HsSpaceEditor *self)
{
  g_return_val_if_fail (HS_IS_SPACE_EDITOR (self), NULL);
  return self->definition ? hs_json_to_text (self->definition) : NULL;
}

const char *
hs_space_editor_get_dimension_error (HsSpaceEditor *self, guint index)
{
  Dimension *dim;

  g_return_val_if_fail (HS_IS_SPACE_EDITOR (self), NULL);
  g_return_val_if_fail (index < self->dimensions->len, NULL);
  dim = g_ptr_array_index (self->dimensions, index);
  return gtk_widget_get_visible (GTK_WIDGET (dim->error_label))
         ? gtk_label_get_text (dim->error_label) : NULL;
}

const char *
hs_space_editor_get_error (HsSpaceEditor *self)
{
  g_return_val_if_fail (HS_IS_SPACE_EDITOR (self), NULL);
  if (gtk_revealer_get_reveal_child (self->error_revealer))
    return gtk_label_get_text (self->error_label);
  for (guint i = 0; i < self->dimensions->len; i++)
    if (hs_space_editor_get_dimension_error (self, i) != NULL)
      return hs_space_editor_get_dimension_error (self, i);
  if (gtk_widget_get_visible (GTK_WIDGET (self->grid_error_label)))
    return gtk_label_get_text (self->grid_error_label);
  return NULL;
}

/* GObject */

HsSpaceEditor *
hs_space_editor_new (HsSession *session, GtkWindow *parent, const char *key, const char *name,
                     JsonObject *definition)
{
  HsSpaceEditor *self;
  g_autofree char *title = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *dimensions;
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (HS_IS_SESSION (session), NULL);
  if (definition == NULL &&
      json_parser_load_from_data (parser, "{\"dimensions\": [{\"name\": \"lr\", \"type\": "
                                  "\"float\", \"min\": 0.0001, \"max\": 0.1, \"log\": true}]}",
                                  -1, NULL))
    definition = json_node_get_object (json_parser_get_root (parser));
  self = g_object_new (HS_TYPE_SPACE_EDITOR, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  self->key = g_strdup (key);
  if (key != NULL)
    {
      title = g_strdup_printf (_("Edit “%s”"), name ? name : key);
      gtk_window_set_title (GTK_WINDOW (self), title);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name ? name : "");

  /* The name row names the space; a name inside the definition would only
   * contradict it. */
  if (definition != NULL)
    members = json_object_get_members (definition);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "name") && !g_str_equal (l->data, "description") &&
        !g_str_equal (l->data, "dimensions") && !g_str_equal (l->data, "grid"))
      json_object_set_member (self->extra, l->data,
                              json_node_copy (json_object_get_member (definition, l->data)));
  if (definition != NULL && hs_json_get_string (definition, "description") != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->description_row),
                           hs_json_get_string (definition, "description"));
  dimensions = definition ? hs_json_get_array (definition, "dimensions") : NULL;
  for (guint i = 0; dimensions != NULL && i < json_array_get_length (dimensions); i++)
    {
      JsonNode *node = json_array_get_element (dimensions, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        add_dimension (self, json_node_get_object (node));
    }
  if (definition != NULL && json_object_has_member (definition, "grid"))
    {
      g_autoptr(JsonObject) grid = json_object_new ();
      g_autoptr(GList) keep = json_object_get_members (definition);

      for (GList *l = keep; l != NULL; l = l->next)
        if (!g_str_equal (l->data, "name") && !g_str_equal (l->data, "description"))
          json_object_set_member (grid, l->data,
                                  json_node_copy (json_object_get_member (definition, l->data)));
      set_grid_text (self, grid);
      adw_combo_row_set_selected (self->kind_row, 1);
    }
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (validate), self);
  g_signal_connect_swapped (self->description_row, "changed", G_CALLBACK (validate), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->grid_view), "changed",
                            G_CALLBACK (validate), self);
  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (kind_changed), self);
  kind_changed (self);
  return self;
}

static void
hs_space_editor_dispose (GObject *object)
{
  HsSpaceEditor *self = HS_SPACE_EDITOR (object);

  self->disposed = TRUE;
  if (self->grid_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_text_view_get_buffer (self->grid_view), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_SPACE_EDITOR);
  g_clear_pointer (&self->dimensions, g_ptr_array_unref);
  g_clear_pointer (&self->definition, json_node_unref);
  g_clear_pointer (&self->extra, json_object_unref);
  G_OBJECT_CLASS (hs_space_editor_parent_class)->dispose (object);
}

static void
hs_space_editor_finalize (GObject *object)
{
  HsSpaceEditor *self = HS_SPACE_EDITOR (object);

  /* Kept to the end: a save's reply may come after the window closed. */
  g_clear_object (&self->session);
  g_free (self->key);
  G_OBJECT_CLASS (hs_space_editor_parent_class)->finalize (object);
}

static void
hs_space_editor_class_init (HsSpaceEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_space_editor_dispose;
  object_class->finalize = hs_space_editor_finalize;

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hyperstar/Workbench/hs-space-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, HsSpaceEditor, page);
  gtk_widget_class_bind_template_child (widget_class, HsSpaceEditor, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, HsSpaceEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, HsSpaceEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, HsSpaceEditor, description_row);
  gtk_widget_class_bind_template_child (widget_class, HsSpaceEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, HsSpaceEditor, grid_group);
  gtk_widget_class_bind_template_child (widget_class, HsSpaceEditor, grid_view);
  gtk_widget_class_bind_template_child (widget_class, HsSpaceEditor, grid_error_label);
  gtk_widget_class_bind_template_child (widget_class, HsSpaceEditor, dimensions_group);
  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.add-dimension", NULL,
                                   add_dimension_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hs_space_editor_init (HsSpaceEditor *self)
{
  self->dimensions = g_ptr_array_new ();
  self->extra = json_object_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
