/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Spaces page and the space editor over a real hyperstard
 * (tests/gui/hs-test-gui.h): the page lists the shipped paper-grid and
 * the fixture's test-grid, neither of which can change; a space made in
 * the editor lands on the daemon; the parser's message shows under the
 * field while Save is off; the daemon's refusal of a taken name shows in
 * the editor, which stays open; editing and deleting a space no search
 * uses reach the daemon.
 */
#include <string.h>

#include "hs-search-space.h"
#include "hs-space-editor-private.h"
#include "hs-spaces-page-private.h"
#include "hs-test-gui.h"

static HsSpacesPage *
spaces_page (HsWindow *window)
{
  g_assert_true (hs_window_set_page (window, "spaces"));
  return HS_SPACES_PAGE (hs_window_get_page (window, "spaces"));
}

static GtkWidget *
page_button (HsSpacesPage *page, const char *action)
{
  GtkWidget *button = hs_test_gui_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, action);

  g_assert_nonnull (button);
  return button;
}

static GtkWidget *
save_button (HsSpaceEditor *editor)
{
  GtkWidget *button = hs_test_gui_find_widget (GTK_WIDGET (editor), GTK_TYPE_BUTTON, "editor.save");

  g_assert_nonnull (button);
  return button;
}

static gboolean
definition_shows (HsSpacesPage *page, const char *needle)
{
  g_autofree char *text = hs_spaces_page_get_definition_text (page);

  return strstr (text, needle) != NULL;
}

/* Opens the editor with one of the page's buttons. */
static HsSpaceEditor *
open_editor (HsSpacesPage *page, const char *action)
{
  GtkWidget *button = page_button (page, action);

  HS_WAIT_FOR (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_nonnull (hs_spaces_page_get_editor (page));
  return hs_spaces_page_get_editor (page);
}

/* Saves and waits for the editor to close (asserting no message stayed). */
static void
save_and_close (HsSpacesPage *page, HsSpaceEditor *editor)
{
  GtkWidget *save = save_button (editor);

  g_assert_null (hs_space_editor_get_error (editor));
  g_assert_true (gtk_widget_is_sensitive (save));
  g_signal_emit_by_name (save, "clicked");
  HS_WAIT_FOR (hs_spaces_page_get_editor (page) == NULL ||
               hs_space_editor_get_error (editor) != NULL);
  if (hs_spaces_page_get_editor (page) != NULL)
    g_error ("the daemon refused the space: %s", hs_space_editor_get_error (editor));
}

/* The definition the daemon holds for name, or NULL (status 404). */
static JsonObject *
daemon_definition (const char *name)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/spaces/%s", name);
  guint status;
  g_autoptr(JsonNode) reply = hs_test_daemon_request (hs_test_gui_daemon, "GET", path, NULL,
                                                      &status);

  if (status == 404)
    return NULL;
  g_assert_cmpuint (status, ==, 200);
  return json_object_ref (json_object_get_object_member (json_node_get_object (reply),
                                                         "definition"));
}

static void
add_space (const char *body)
{
  guint status;
  g_autoptr(JsonNode) reply = hs_test_daemon_request (hs_test_gui_daemon, "POST",
                                                      "/api/v1/spaces", body, &status);

  g_assert_cmpuint (status, ==, 201);
}

/* The parser's own message for a definition, without its "search space: "
 * prefix: what the editor must show. */
static char *
parser_message (const char *definition)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsSearchSpace) space = hs_search_space_new_from_json (definition, &error);

  g_assert_null (space);
  g_assert_true (g_str_has_prefix (error->message, "search space: "));
  return g_strdup (error->message + strlen ("search space: "));
}

/* paper-grid ships and test-grid is used by a search: both listed with
 * their definitions, neither editable nor deletable, and the page says
 * why; both can be duplicated. */
static void
test_spaces_list (void)
{
  gint64 id = hs_test_daemon_start_search (hs_test_gui_daemon, "random",
                                           "{\"budget_epochs\": 2, \"max_epochs\": 1, \"n_configs\": 2}");
  g_autofree char *cancel = g_strdup_printf ("/api/v1/searches/%" G_GINT64_FORMAT "/cancel", id);
  g_autoptr(JsonNode) cancelled = NULL;
  HsWindow *window;
  HsSpacesPage *page;
  GtkWidget *edit, *delete, *duplicate;
  guint status;

  /* Cancelled, it still refers to test-grid. */
  cancelled = hs_test_daemon_request (hs_test_gui_daemon, "POST", cancel, NULL, &status);
  window = hs_test_gui_new_window ();
  page = spaces_page (window);
  edit = page_button (page, "spaces.edit");
  delete = page_button (page, "spaces.delete");
  duplicate = page_button (page, "spaces.duplicate");

  HS_WAIT_FOR (hs_spaces_page_select_space (page, "paper-grid"));
  HS_WAIT_FOR (definition_shows (page, "\"sgd0.01-head-none\": {\"lr\": 0.01"));
  g_assert_true (gtk_widget_is_sensitive (duplicate));
  g_assert_false (gtk_widget_is_sensitive (edit));
  g_assert_false (gtk_widget_is_sensitive (delete));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (edit), "ships with the workbench"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (delete), "ships with the workbench"));

  HS_WAIT_FOR (hs_spaces_page_select_space (page, "test-grid"));
  HS_WAIT_FOR (definition_shows (page, "\"augment\": \"none\""));
  g_assert_true (gtk_widget_is_sensitive (duplicate));
  g_assert_false (gtk_widget_is_sensitive (edit));
  g_assert_false (gtk_widget_is_sensitive (delete));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (edit), "used by 1 search"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A space of three dimensions, one of each type, made in the editor. */
static void
test_spaces_create (void)
{
  HsWindow *window = hs_test_gui_new_window ();
  HsSpacesPage *page = spaces_page (window);
  HsSpaceEditor *editor = open_editor (page, "spaces.new");
  g_autoptr(JsonObject) definition = NULL;
  JsonArray *dims;
  JsonObject *lr, *optimizer, *batch;

  /* It starts from a valid space of one dimension. */
  g_assert_cmpuint (hs_space_editor_get_n_dimensions (editor), ==, 1);
  g_assert_null (hs_space_editor_get_error (editor));
  hs_space_editor_set_name (editor, "gui-dims");
  hs_space_editor_set_dimension (editor, 0, "lr", "float", "1e-4", "0.3", TRUE, NULL);
  hs_space_editor_add_dimension (editor);
  hs_space_editor_set_dimension (editor, 1, "optimizer", "categorical", NULL, NULL, FALSE,
                                 "sgd, adam");
  hs_space_editor_add_dimension (editor);
  hs_space_editor_set_dimension (editor, 2, "batch", "int", "16", "256", FALSE, NULL);
  save_and_close (page, editor);

  definition = daemon_definition ("gui-dims");
  g_assert_nonnull (definition);
  dims = json_object_get_array_member (definition, "dimensions");
  g_assert_cmpuint (json_array_get_length (dims), ==, 3);
  lr = json_array_get_object_element (dims, 0);
  g_assert_cmpstr (json_object_get_string_member (lr, "type"), ==, "float");
  g_assert_cmpfloat (json_object_get_double_member (lr, "min"), ==, 1e-4);
  g_assert_cmpfloat (json_object_get_double_member (lr, "max"), ==, 0.3);
  g_assert_true (json_object_get_boolean_member (lr, "log"));
  optimizer = json_array_get_object_element (dims, 1);
  g_assert_cmpstr (json_object_get_string_member (optimizer, "type"), ==, "categorical");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (optimizer, "choices")), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (optimizer, "choices"), 1),
                   ==, "adam");
  batch = json_array_get_object_element (dims, 2);
  g_assert_cmpstr (json_object_get_string_member (batch, "type"), ==, "int");
  g_assert_cmpint (json_object_get_int_member (batch, "max"), ==, 256);
  g_assert_false (json_object_has_member (batch, "log"));

  /* The page lists it, selected, with its definition. */
  HS_WAIT_FOR (definition_shows (page, "\"name\": \"optimizer\""));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* What the parser refuses shows under the dimension (or the grid, or at
 * the top), word for word, and Save is off until it is put right. */
static void
test_spaces_invalid (void)
{
  HsWindow *window = hs_test_gui_new_window ();
  HsSpacesPage *page = spaces_page (window);
  HsSpaceEditor *editor = open_editor (page, "spaces.new");
  GtkWidget *save = save_button (editor);
  g_autofree char *reversed = NULL, *log_zero = NULL, *fraction = NULL, *no_choices = NULL;
  g_autofree char *empty_grid = NULL, *no_dims = NULL;

  reversed = parser_message ("{\"dimensions\": [{\"name\": \"lr\", \"type\": \"float\", "
                             "\"min\": 0.1, \"max\": 0.001}]}");
  log_zero = parser_message ("{\"dimensions\": [{\"name\": \"x\", \"type\": \"float\", "
                             "\"min\": 0, \"max\": 1, \"log\": true}]}");
  fraction = parser_message ("{\"dimensions\": [{\"name\": \"x\", \"type\": \"float\", "
                             "\"min\": 0.1, \"max\": 1}, {\"name\": \"n\", \"type\": \"int\", "
                             "\"min\": 1.5, \"max\": 4}]}");
  no_choices = parser_message ("{\"dimensions\": [{\"name\": \"o\", \"type\": \"categorical\", "
                               "\"choices\": []}]}");
  empty_grid = parser_message ("{\"grid\": {}}");
  no_dims = parser_message ("{\"dimensions\": []}");

  hs_space_editor_set_name (editor, "gui-invalid");
  g_assert_true (gtk_widget_is_sensitive (save));

  /* min > max */
  hs_space_editor_set_dimension (editor, 0, "lr", "float", "0.1", "0.001", FALSE, NULL);
  g_assert_cmpstr (hs_space_editor_get_dimension_error (editor, 0), ==, reversed);
  g_assert_false (gtk_widget_is_sensitive (save));
  hs_space_editor_set_dimension (editor, 0, "lr", "float", "0.001", "0.1", FALSE, NULL);
  g_assert_null (hs_space_editor_get_error (editor));
  g_assert_true (gtk_widget_is_sensitive (save));

  /* A log scale from 0 */
  hs_space_editor_set_dimension (editor, 0, "x", "float", "0", "1", TRUE, NULL);
  g_assert_cmpstr (hs_space_editor_get_dimension_error (editor, 0), ==, log_zero);
  g_assert_false (gtk_widget_is_sensitive (save));
  hs_space_editor_set_dimension (editor, 0, "x", "float", "0.1", "1", TRUE, NULL);
  g_assert_true (gtk_widget_is_sensitive (save));

  /* The message goes under the dimension it is about. */
  hs_space_editor_add_dimension (editor);
  hs_space_editor_set_dimension (editor, 1, "n", "int", "1.5", "4", FALSE, NULL);
  g_assert_null (hs_space_editor_get_dimension_error (editor, 0));
  g_assert_cmpstr (hs_space_editor_get_dimension_error (editor, 1), ==, fraction);
  g_assert_false (gtk_widget_is_sensitive (save));
  hs_space_editor_remove_dimension (editor, 1);
  g_assert_true (gtk_widget_is_sensitive (save));

  hs_space_editor_set_dimension (editor, 0, "o", "categorical", NULL, NULL, FALSE, " , ");
  g_assert_cmpstr (hs_space_editor_get_dimension_error (editor, 0), ==, no_choices);
  g_assert_false (gtk_widget_is_sensitive (save));

  /* No dimension at all: at the top. */
  hs_space_editor_remove_dimension (editor, 0);
  g_assert_cmpstr (hs_space_editor_get_error (editor), ==, no_dims);
  g_assert_false (gtk_widget_is_sensitive (save));

  /* A grid as text: a starting grid that parses, then one that does not. */
  hs_space_editor_set_grid (editor, TRUE);
  g_assert_null (hs_space_editor_get_error (editor));
  g_assert_true (gtk_widget_is_sensitive (save));
  hs_space_editor_set_grid_text (editor, "{\"grid\": {}}");
  g_assert_cmpstr (hs_space_editor_get_error (editor), ==, empty_grid);
  g_assert_false (gtk_widget_is_sensitive (save));
  hs_space_editor_set_grid_text (editor, "{\"grid\": {\"a\": ");
  g_assert_true (g_str_has_prefix (hs_space_editor_get_error (editor), "not valid JSON"));
  g_assert_false (gtk_widget_is_sensitive (save));
  hs_space_editor_set_grid_text (editor, "{\"grid\": {\"a\": {\"lr\": 0.1}}}");
  g_assert_true (gtk_widget_is_sensitive (save));

  /* A name is needed. */
  hs_space_editor_set_name (editor, "");
  g_assert_nonnull (hs_space_editor_get_error (editor));
  g_assert_false (gtk_widget_is_sensitive (save));

  gtk_window_destroy (GTK_WINDOW (editor));
  g_assert_null (daemon_definition ("gui-invalid"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A name already taken: the daemon's 409 message in the editor, which
 * stays open and can save once the name changes. */
static void
test_spaces_name_taken (void)
{
  HsWindow *window = hs_test_gui_new_window ();
  HsSpacesPage *page = spaces_page (window);
  HsSpaceEditor *editor;
  GtkWidget *save;

  HS_WAIT_FOR (hs_spaces_page_select_space (page, "paper-grid"));
  editor = open_editor (page, "spaces.duplicate");
  save = save_button (editor);
  hs_space_editor_set_name (editor, "paper-grid");
  g_assert_null (hs_space_editor_get_error (editor));
  g_signal_emit_by_name (save, "clicked");
  HS_WAIT_FOR (hs_space_editor_get_error (editor) != NULL);
  g_assert_nonnull (strstr (hs_space_editor_get_error (editor), "“paper-grid” already exists"));
  g_assert_true (hs_spaces_page_get_editor (page) == editor);
  g_assert_true (gtk_widget_is_sensitive (save));

  /* The duplicate of the grid under a new name. */
  hs_space_editor_set_name (editor, "paper-grid-mine");
  save_and_close (page, editor);
  {
    g_autoptr(JsonObject) definition = daemon_definition ("paper-grid-mine");

    g_assert_nonnull (definition);
    g_assert_cmpuint (json_object_get_size (json_object_get_object_member (definition, "grid")),
                      ==, 54);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Editing a space no search uses changes it on the daemon; deleting it
 * removes it. */
static void
test_spaces_edit_delete (void)
{
  HsWindow *window;
  HsSpacesPage *page;
  HsSpaceEditor *editor;
  GtkWidget *delete;
  AdwMessageDialog *dialog;
  g_autoptr(JsonObject) definition = NULL;
  g_autofree char *loaded = NULL;
  JsonObject *dim;

  add_space ("{\"name\": \"gui-edit\", \"definition\": {\"description\": \"to change\", "
             "\"dimensions\": [{\"name\": \"lr\", \"type\": \"float\", \"min\": 0.001, "
             "\"max\": 0.1, \"log\": true}]}}");
  window = hs_test_gui_new_window ();
  page = spaces_page (window);
  HS_WAIT_FOR (hs_spaces_page_select_space (page, "gui-edit"));
  editor = open_editor (page, "spaces.edit");
  g_assert_cmpuint (hs_space_editor_get_n_dimensions (editor), ==, 1);
  /* The fields hold the space as it was. */
  loaded = hs_space_editor_get_definition_text (editor);
  g_assert_cmpstr (loaded, ==, "{\"dimensions\": [{\"name\": \"lr\", \"type\": \"float\", "
                   "\"min\": 0.001, \"max\": 0.1, \"log\": true}], \"description\": \"to change\"}");
  hs_space_editor_set_dimension (editor, 0, "lr", "float", "0.001", "0.5", TRUE, NULL);
  save_and_close (page, editor);

  definition = daemon_definition ("gui-edit");
  dim = json_array_get_object_element (json_object_get_array_member (definition, "dimensions"), 0);
  g_assert_cmpfloat (json_object_get_double_member (dim, "max"), ==, 0.5);
  g_assert_cmpstr (json_object_get_string_member (definition, "description"), ==, "to change");
  HS_WAIT_FOR (definition_shows (page, "\"max\": 0.5"));

  delete = page_button (page, "spaces.delete");
  HS_WAIT_FOR (gtk_widget_is_sensitive (delete));
  g_signal_emit_by_name (delete, "clicked");
  dialog = hs_spaces_page_get_delete_dialog (page);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");
  HS_WAIT_FOR (!hs_spaces_page_select_space (page, "gui-edit"));
  g_assert_null (daemon_definition ("gui-edit"));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  static const char *const paths[] = {
    "/gui/spaces/list", "/gui/spaces/create", "/gui/spaces/invalid",
    "/gui/spaces/name-taken", "/gui/spaces/edit-delete", NULL,
  };

  if (!hs_test_gui_init (&argc, &argv, paths))
    return g_test_run ();
  g_test_add_func (paths[0], test_spaces_list);
  g_test_add_func (paths[1], test_spaces_create);
  g_test_add_func (paths[2], test_spaces_invalid);
  g_test_add_func (paths[3], test_spaces_name_taken);
  g_test_add_func (paths[4], test_spaces_edit_delete);
  return hs_test_gui_run ();
}
