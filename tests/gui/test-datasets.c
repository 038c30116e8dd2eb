/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The datasets page over a real hyperstard (hs-test-gui.h): the list of
 * built-in tasks, a built task's per-class counts and thumbnails, an
 * unbuilt one's notice, importing a folder (progress, the report with the
 * broken file skipped, the new dataset listed and selected), a name refused
 * before any request, and deleting (refused while a search uses the
 * dataset, then done).  Needs a display (Xvfb under meson) and $HS_DAEMON.
 */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>

#include "hs-datasets-page.h"
#include "hs-test-cli.h"
#include "hs-test-gui.h"

static const char *const paths[] = {
  "/gui/datasets/names",
  "/gui/datasets/list",
  "/gui/datasets/detail",
  "/gui/datasets/unbuilt",
  "/gui/datasets/import",
  "/gui/datasets/invalid-name",
  "/gui/datasets/delete",
  NULL,
};

/* The imported dataset, made by /gui/datasets/import. */
#define IMPORTED "test-import"

static char *import_dir;

static HsDatasetsPage *
datasets_page (HsWindow *window)
{
  g_assert_true (hs_window_set_page (window, "datasets"));
  return HS_DATASETS_PAGE (hs_window_get_page (window, "datasets"));
}

static JsonNode *
get_json (const char *path)
{
  guint status = 0;
  JsonNode *reply = hs_test_daemon_request (hs_test_gui_daemon, "GET", path, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (reply);
  return reply;
}

static void
test_names (void)
{
  /* Folder names and the dataset names made of them. */
  const char *const folders[][2] = {
    { "my photos", "my_photos" },
    { ".hidden set", "hidden_set" },
    { "Blätter", "Bl_tter" },
    { "…", "dataset" },
    { "leaves-2024.v1", "leaves-2024.v1" },
  };
  g_autofree char *long_name = NULL;
  g_autofree char *too_long = g_strnfill (65, 'a');
  g_autofree char *why = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *name = hs_dataset_name_from_folder (folders[i][0]);

      g_assert_cmpstr (name, ==, folders[i][1]);
      g_assert_true (hs_dataset_name_check (name, NULL));
    }
  long_name = hs_dataset_name_from_folder ("0123456789012345678901234567890123456789"
                                           "0123456789012345678901234567890123456789");
  g_assert_cmpuint (strlen (long_name), ==, 64);
  g_assert_true (hs_dataset_name_check (long_name, NULL));

  g_assert_true (hs_dataset_name_check ("a.b_c-9", &why));
  g_assert_null (why);
  g_assert_false (hs_dataset_name_check ("", NULL));
  g_assert_false (hs_dataset_name_check (".a", NULL));
  g_assert_false (hs_dataset_name_check (too_long, NULL));
  g_assert_false (hs_dataset_name_check ("a/b", &why));
  g_assert_nonnull (strstr (why, "/"));
}

/* The list shows both tasks with their family. */
static void
test_list (void)
{
  HsWindow *window = hs_test_gui_new_window ();
  HsDatasetsPage *page = datasets_page (window);
  g_autoptr(HsItem) tiny = NULL;
  g_autoptr(HsItem) small = NULL;
  g_autofree char *family = NULL;
  g_autofree char *classes = NULL;

  HS_WAIT_FOR ((tiny = hs_test_gui_find (hs_window_get_datasets (window), "tiny")) != NULL);
  small = hs_test_gui_find (hs_window_get_datasets (window), "small");
  g_assert_nonnull (small);
  family = hs_item_format (tiny, "family");
  g_assert_cmpstr (family, ==, "test");
  /* Nothing is selected yet: no details. */
  g_assert_null (hs_datasets_page_get_detail (page));
  g_assert_true (hs_datasets_page_select (page, "tiny"));
  HS_WAIT_FOR (hs_datasets_page_get_detail (page) != NULL);
  g_assert_cmpstr (hs_json_get_string (hs_datasets_page_get_detail (page), "name"), ==, "tiny");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The first GtkPicture in grid showing a texture, or NULL. */
static GdkPaintable *
first_thumbnail (GtkWidget *widget)
{
  if (GTK_IS_PICTURE (widget) && gtk_picture_get_paintable (GTK_PICTURE (widget)) != NULL)
    return gtk_picture_get_paintable (GTK_PICTURE (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GdkPaintable *found = first_thumbnail (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
count_thumbnails (GtkWidget *widget)
{
  guint n = GTK_IS_PICTURE (widget) && gtk_picture_get_paintable (GTK_PICTURE (widget)) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_thumbnails (child);
  return n;
}

static void
build_tiny (void)
{
  g_autoptr(JsonNode) detail = get_json ("/api/v1/datasets/tiny");
  gint64 id;

  if (json_object_get_boolean_member (json_node_get_object (detail), "built"))
    return;
  /* The first search on a task builds it. */
  id = hs_test_daemon_start_search (hs_test_gui_daemon, "random",
                                    "{\"budget_epochs\": 2, \"max_epochs\": 1, \"n_configs\": 2}");
  json_node_unref (hs_test_daemon_wait_search (hs_test_gui_daemon, id, "done|failed", 120));
  g_clear_pointer (&detail, json_node_unref);
  detail = get_json ("/api/v1/datasets/tiny");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (detail), "built"));
}

/* A built task: per-class counts as the API has them, thumbnails of the
 * asked size, and the class filter narrowing the grid. */
static void
test_detail (void)
{
  g_autoptr(JsonNode) api = NULL;
  HsWindow *window;
  HsDatasetsPage *page;
  HsThumbnailGrid *grid;
  JsonArray *per_class;
  GListModel *classes;
  GdkPaintable *thumbnail;
  gint64 class0_images;

  build_tiny ();
  api = get_json ("/api/v1/datasets/tiny");
  per_class = json_object_get_array_member (json_node_get_object (api), "per_class");
  g_assert_cmpuint (json_array_get_length (per_class), ==, 3);

  window = hs_test_gui_new_window ();
  page = datasets_page (window);
  HS_WAIT_FOR (hs_datasets_page_select (page, "tiny"));
  HS_WAIT_FOR (hs_datasets_page_get_detail (page) != NULL);
  classes = hs_datasets_page_get_classes (page);
  g_assert_cmpuint (g_list_model_get_n_items (classes), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *want = json_array_get_object_element (per_class, i);
      g_autoptr(HsItem) row = g_list_model_get_item (classes, i);
      JsonObject *got = hs_item_get_object (row);
      const char *const members[] = { "images", "train", "val", "test" };

      g_assert_cmpstr (hs_json_get_string (got, "name"), ==,
                       json_object_get_string_member (want, "name"));
      for (guint m = 0; m < G_N_ELEMENTS (members); m++)
        g_assert_cmpint (hs_json_get_int (got, members[m], -1), ==,
                         json_object_get_int_member (want, members[m]));
      g_assert_cmpint (hs_json_get_int (got, "images", 0), >, 0);
    }

  /* The visible cells get real textures of the asked size. */
  grid = hs_datasets_page_get_thumbnails (page);
  HS_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (grid)));
  HS_WAIT_FOR ((thumbnail = first_thumbnail (GTK_WIDGET (grid))) != NULL);
  g_assert_true (GDK_IS_TEXTURE (thumbnail));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (thumbnail), ==, HS_THUMBNAIL_SIZE);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (thumbnail), ==, HS_THUMBNAIL_SIZE);
  HS_WAIT_FOR (count_thumbnails (GTK_WIDGET (grid)) >= 6);
  g_assert_cmpuint (hs_thumbnail_grid_get_total (grid), ==,
                    json_object_get_int_member (json_node_get_object (api), "images"));

  /* One class: the grid lists that class's images only. */
  class0_images = json_object_get_int_member (json_array_get_object_element (per_class, 0),
                                              "images");
  hs_datasets_page_set_class_filter (page, 0);
  HS_WAIT_FOR (hs_thumbnail_grid_get_total (grid) == class0_images);
  HS_WAIT_FOR (first_thumbnail (GTK_WIDGET (grid)) != NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A task not built yet: no per-class rows, no grid, a notice. */
static void
test_unbuilt (void)
{
  g_autoptr(JsonNode) api = get_json ("/api/v1/datasets/small");
  HsWindow *window;
  HsDatasetsPage *page;

  g_assert_false (json_object_get_boolean_member (json_node_get_object (api), "built"));
  window = hs_test_gui_new_window ();
  page = datasets_page (window);
  HS_WAIT_FOR (hs_datasets_page_select (page, "small"));
  HS_WAIT_FOR (hs_datasets_page_get_detail (page) != NULL);
  g_assert_cmpuint (g_list_model_get_n_items (hs_datasets_page_get_classes (page)), ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (hs_datasets_page_get_thumbnails (page))));
  /* Built-in tasks cannot be deleted. */
  g_assert_null (hs_datasets_page_confirm_delete (page));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A folder of three classes of ten small PNGs, and one broken file
 * (made once). */
static const char *
import_folder (void)
{
  g_autoptr(GError) error = NULL;
  char *dir;

  if (import_dir != NULL)
    return import_dir;
  dir = import_dir = g_dir_make_tmp ("hs-import-XXXXXX", &error);
  const char *const classes[] = { "circle", "square", "cross" };
  g_autofree char *broken = NULL;

  g_assert_no_error (error);
  for (guint c = 0; c < G_N_ELEMENTS (classes); c++)
    {
      g_autofree char *class_dir = g_build_filename (dir, classes[c], NULL);

      g_assert_cmpint (g_mkdir (class_dir, 0700), ==, 0);
      for (guint i = 0; i < 10; i++)
        {
          g_autoptr(GdkPixbuf) image = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 12, 12);
          g_autofree char *name = g_strdup_printf ("%02u.png", i);
          g_autofree char *file = g_build_filename (class_dir, name, NULL);

          gdk_pixbuf_fill (image, (0x40u * (c + 1)) << 24 | (i * 20u) << 16 | 0xff);
          g_assert_true (gdk_pixbuf_save (image, file, "png", &error, NULL));
          g_assert_no_error (error);
        }
    }
  broken = g_build_filename (dir, "square", "broken.png", NULL);
  g_assert_true (g_file_set_contents (broken, "not a PNG at all", -1, &error));
  g_assert_no_error (error);
  return dir;
}

static gboolean
list_has_row (GtkListBox *list, const char *title)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_PREFERENCES_ROW (row) &&
        strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_import (void)
{
  HsWindow *window = hs_test_gui_new_window ();
  HsDatasetsPage *page = datasets_page (window);
  HsImportDialog *dialog;
  JsonObject *report;
  g_autofree char *folder_name = NULL;
  g_autofree char *want_name = NULL;

  /* Progress events come on the event stream: wait for it. */
  HS_WAIT_FOR (hs_client_get_connected (hs_session_get_client (hs_window_get_session (window))));
  dialog = hs_datasets_page_open_import (page, import_folder ());
  /* The name is prefilled from the folder's. */
  folder_name = g_path_get_basename (import_folder ());
  want_name = hs_dataset_name_from_folder (folder_name);
  g_assert_cmpstr (hs_import_dialog_get_name (dialog), ==, want_name);
  hs_import_dialog_set_name (dialog, IMPORTED);
  g_assert_null (hs_import_dialog_get_error (dialog));
  g_assert_true (hs_import_dialog_submit (dialog));
  g_assert_true (hs_import_dialog_get_running (dialog));
  /* A second submit while it runs sends nothing. */
  g_assert_false (hs_import_dialog_submit (dialog));

  HS_WAIT_FOR (!hs_import_dialog_get_running (dialog));
  g_assert_null (hs_import_dialog_get_error (dialog));
  report = hs_import_dialog_get_report (dialog);
  g_assert_nonnull (report);
  g_assert_cmpint (hs_json_get_int (report, "imported", 0), ==, 30);
  g_assert_cmpuint (json_array_get_length (hs_json_get_array (report, "skipped")), ==, 1);
  g_assert_true (list_has_row (hs_import_dialog_get_skipped_list (dialog), "broken.png"));
  /* The progress bar followed the import to its end. */
  HS_WAIT_FOR (hs_import_dialog_get_fraction (dialog) == 1.0);

  /* Listed, and selected with its details. */
  HS_WAIT_FOR (hs_test_gui_find (hs_window_get_datasets (window), IMPORTED) != NULL);
  HS_WAIT_FOR (hs_datasets_page_get_detail (page) != NULL &&
               g_strcmp0 (hs_json_get_string (hs_datasets_page_get_detail (page), "name"),
                          IMPORTED) == 0);
  g_assert_cmpuint (g_list_model_get_n_items (hs_datasets_page_get_classes (page)), ==, 3);
  HS_WAIT_FOR (first_thumbnail (GTK_WIDGET (hs_datasets_page_get_thumbnails (page))) != NULL);
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Names the daemon would refuse are refused inline, with nothing sent;
 * what the daemon refuses (the name is taken) is shown in the dialog. */
static void
test_invalid_name (void)
{
  HsWindow *window = hs_test_gui_new_window ();
  HsDatasetsPage *page = datasets_page (window);
  HsImportDialog *dialog = hs_datasets_page_open_import (page, import_folder ());
  const char *const invalid[] = { "", ".hidden", "two words", "a/b" };

  /* The page's own loads (the dataset it shows first) are done. */
  HS_WAIT_FOR (hs_window_get_pending (window) == 0);
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      hs_import_dialog_set_name (dialog, invalid[i]);
      g_assert_nonnull (hs_import_dialog_get_error (dialog));
      g_assert_false (hs_import_dialog_submit (dialog));
      g_assert_false (hs_import_dialog_get_running (dialog));
      g_assert_cmpuint (hs_window_get_pending (window), ==, 0);
    }
  hs_import_dialog_set_name (dialog, "fine-name");
  g_assert_null (hs_import_dialog_get_error (dialog));

  /* Taken: the daemon says so, and the dialog stays on its form. */
  hs_import_dialog_set_name (dialog, IMPORTED);
  g_assert_true (hs_import_dialog_submit (dialog));
  HS_WAIT_FOR (!hs_import_dialog_get_running (dialog));
  g_assert_null (hs_import_dialog_get_report (dialog));
  g_assert_nonnull (hs_import_dialog_get_error (dialog));
  g_assert_nonnull (strstr (hs_import_dialog_get_error (dialog), "exists"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
respond (GtkWindow *dialog, const char *response)
{
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (dialog);
}

static void
test_delete (void)
{
  HsWindow *window = hs_test_gui_new_window ();
  HsDatasetsPage *page = datasets_page (window);
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) reply = NULL;
  gint64 id;
  guint status;

  /* A paused search on it makes the daemon refuse (a budget that cannot
   * run out before the pause comes). */
  id = hs_test_daemon_start_search_on (hs_test_gui_daemon, IMPORTED, "test-grid", "random",
                                       "{\"budget_epochs\": 100000, \"max_epochs\": 1000, "
                                       "\"n_configs\": 1000}");
  path = g_strdup_printf ("/api/v1/searches/%" G_GINT64_FORMAT "/pause", id);
  reply = hs_test_daemon_request (hs_test_gui_daemon, "POST", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  HS_WAIT_FOR (hs_datasets_page_select (page, IMPORTED));
  HS_WAIT_FOR (hs_datasets_page_get_detail (page) != NULL);
  /* Cancelling the confirmation deletes nothing. */
  respond (hs_datasets_page_confirm_delete (page), "cancel");
  HS_WAIT_FOR (hs_window_get_pending (window) == 0);
  json_node_unref (get_json ("/api/v1/datasets/" IMPORTED));

  respond (hs_datasets_page_confirm_delete (page), "delete");
  HS_WAIT_FOR (hs_window_get_last_message (window) != NULL &&
               strstr (hs_window_get_last_message (window), "not deleted") != NULL);
  HS_WAIT_FOR (hs_window_get_pending (window) == 0);
  g_assert_nonnull (hs_test_gui_find (hs_window_get_datasets (window), IMPORTED));

  /* Once the search is cancelled, the delete goes through. */
  g_free (path);
  path = g_strdup_printf ("/api/v1/searches/%" G_GINT64_FORMAT "/cancel", id);
  g_clear_pointer (&reply, json_node_unref);
  reply = hs_test_daemon_request (hs_test_gui_daemon, "POST", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  respond (hs_datasets_page_confirm_delete (page), "delete");
  HS_WAIT_FOR (g_strcmp0 (hs_window_get_last_message (window), "Deleted dataset “" IMPORTED "”") == 0);
  HS_WAIT_FOR (hs_test_gui_find (hs_window_get_datasets (window), IMPORTED) == NULL);
  /* Nothing is left to show. */
  HS_WAIT_FOR (hs_datasets_page_get_detail (page) == NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  int status;

  if (!hs_test_gui_init (&argc, &argv, paths))
    return g_test_run ();
  g_test_add_func ("/gui/datasets/names", test_names);
  g_test_add_func ("/gui/datasets/list", test_list);
  g_test_add_func ("/gui/datasets/detail", test_detail);
  g_test_add_func ("/gui/datasets/unbuilt", test_unbuilt);
  g_test_add_func ("/gui/datasets/import", test_import);
  g_test_add_func ("/gui/datasets/invalid-name", test_invalid_name);
  g_test_add_func ("/gui/datasets/delete", test_delete);
  status = hs_test_gui_run ();
  if (import_dir != NULL && g_getenv ("HS_TEST_KEEP") == NULL)
    hs_test_remove_tree (import_dir);
  g_free (import_dir);
  return status;
}
