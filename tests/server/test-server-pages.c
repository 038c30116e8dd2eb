/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the window's dataset and search-space pages ask of a real
 * hyperstard: a dataset's details, its images a page at a time, each image
 * as a PNG thumbnail (from the daemon's open datasets, which forget a
 * replaced or deleted one), and spaces that can be changed or deleted only
 * while no search uses them and only when they did not ship with the
 * workbench.
 */
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "hs-test-daemon.h"

static HsTestDaemon *daemon_;

static void
assert_error (const char *method, const char *path, const char *body, guint want_status,
              const char *needle)
{
  hs_test_daemon_assert_error (daemon_, method, path, body, want_status, needle);
}

static JsonNode *
get_ok (const char *path)
{
  guint status;
  JsonNode *reply = hs_test_daemon_request (daemon_, "GET", path, NULL, &status);

  if (status != 200)
    g_error ("GET %s: %u %s", path, status, reply ? json_to_string (reply, FALSE) : "");
  return reply;
}

/* GET a PNG and decode it. */
static GdkPixbuf *
get_png (const char *path)
{
  guint status;
  g_autoptr(GBytes) png = hs_test_daemon_request_raw (daemon_, "GET", path, NULL, NULL, &status);
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (png), >, 8);
  g_assert_cmpmem (g_bytes_get_data (png, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
  in = g_memory_input_stream_new_from_bytes (png);
  pixbuf = gdk_pixbuf_new_from_stream (in, NULL, &error);
  g_assert_no_error (error);
  return pixbuf;
}

static guint8
first_red (GdkPixbuf *pixbuf)
{
  return gdk_pixbuf_read_pixels (pixbuf)[0];
}

static void
put_be32 (GByteArray *a, guint32 v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };
  g_byte_array_append (a, b, 4);
}

/* An IDX pair of 24 grey 8×8 images labelled 0, 1, 0, 1…: class 0 is
 * `dark` all over, class 1 its opposite. */
static char *
write_idx (const char *dir, guint8 dark)
{
  g_autoptr(GByteArray) images = g_byte_array_new ();
  g_autoptr(GByteArray) labels = g_byte_array_new ();
  g_autofree char *labels_path = g_build_filename (dir, "train-labels-idx1-ubyte", NULL);
  char *images_path = g_build_filename (dir, "train-images-idx3-ubyte", NULL);
  g_autoptr(GError) error = NULL;
  const guint n = 24;

  g_byte_array_append (images, (const guint8 *) "\0\0\x08\x03", 4);
  put_be32 (images, n);
  put_be32 (images, 8);
  put_be32 (images, 8);
  g_byte_array_append (labels, (const guint8 *) "\0\0\x08\x01", 4);
  put_be32 (labels, n);
  for (guint i = 0; i < n; i++)
    {
      guint8 label = i % 2;
      guint8 grey = label == 0 ? dark : 255 - dark;

      g_byte_array_append (labels, &label, 1);
      for (guint p = 0; p < 64; p++)
        g_byte_array_append (images, &grey, 1);
    }
  g_file_set_contents (images_path, (const char *) images->data, images->len, &error);
  g_assert_no_error (error);
  g_file_set_contents (labels_path, (const char *) labels->data, labels->len, &error);
  g_assert_no_error (error);
  return images_path;
}

static void
import_idx (const char *name, guint8 dark, gboolean replace)
{
  g_autofree char *dir = g_build_filename (daemon_->dir, dark < 128 ? "idx-dark" : "idx-light",
                                           NULL);
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = write_idx (dir, dark);
  body = g_strdup_printf ("{\"name\": \"%s\", \"path\": \"%s\", \"replace\": %s}", name, path,
                          replace ? "true" : "false");
  reply = hs_test_daemon_request (daemon_, "POST", "/api/v1/datasets", body, &status);
  if (status != 201)
    g_error ("import: %u %s", status, json_to_string (reply, FALSE));
}

typedef struct {
  guint pending;
  guint ok;
} Burst;

static void
on_burst_reply (GObject *source, GAsyncResult *result, gpointer data)
{
  Burst *burst = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                               NULL);

  if (bytes != NULL && soup_message_get_status (msg) == SOUP_STATUS_OK &&
      g_bytes_get_size (bytes) > 8 && memcmp (g_bytes_get_data (bytes, NULL), "\x89PNG", 4) == 0)
    burst->ok++;
  burst->pending--;
}

/* Thumbnails asked for all at once, as a grid does, while the dataset is
 * not open yet: each gets its PNG (from one load). */
static void
get_thumbnails_at_once (const char *name, guint n)
{
  Burst burst = { n, 0 };
  g_autoptr(GPtrArray) msgs = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *uri = g_strdup_printf ("http://localhost/api/v1/datasets/%s/images/"
                                              "%u.png?size=16", name, i);
      SoupMessage *msg = soup_message_new ("GET", uri);

      g_ptr_array_add (msgs, msg);
      soup_session_send_and_read_async (daemon_->session, msg, G_PRIORITY_DEFAULT, NULL,
                                        on_burst_reply, &burst);
    }
  while (burst.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (burst.ok, ==, n);
}

/* per_class: one row per class, named, whose splits add up. */
static void
assert_per_class (JsonNode *dataset, guint n_classes, const char *first_name)
{
  JsonObject *o = json_node_get_object (dataset);
  JsonArray *per_class = json_object_get_array_member (o, "per_class");
  gint64 sum = 0;

  g_assert_cmpint (json_object_get_int_member (o, "image_width"), ==, 32);
  g_assert_cmpint (json_object_get_int_member (o, "image_height"), ==, 32);
  g_assert_cmpuint (json_array_get_length (per_class), ==, n_classes);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (per_class, 0),
                                                  "name"), ==, first_name);
  for (guint c = 0; c < n_classes; c++)
    {
      JsonObject *row = json_array_get_object_element (per_class, c);
      gint64 images = json_object_get_int_member (row, "images");

      g_assert_cmpint (images, >, 0);
      g_assert_cmpint (json_object_get_int_member (row, "train") +
                       json_object_get_int_member (row, "val") +
                       json_object_get_int_member (row, "test"), ==, images);
      g_assert_cmpint (json_object_get_int_member (row, "val"), >, 0);
      sum += images;
    }
  g_assert_cmpint (sum, ==, json_object_get_int_member (o, "images"));
}

/* A task nobody has used yet: what the recipe says, and no images yet
 * (they are built when a search first uses the task, not on a GET). */
static void
test_unbuilt_task (void)
{
  g_autoptr(JsonNode) small = get_ok ("/api/v1/datasets/small");
  JsonObject *o = json_node_get_object (small);

  g_assert_false (json_object_get_boolean_member (o, "built"));
  g_assert_true (json_object_get_null_member (o, "per_class"));
  g_assert_cmpint (json_object_get_int_member (o, "image_width"), ==, 32);
  g_assert_cmpint (json_object_get_int_member (o, "image_height"), ==, 32);
  assert_error ("GET", "/api/v1/datasets/small/images", NULL, 409, "when a search first uses");
  assert_error ("GET", "/api/v1/datasets/small/images/0.png", NULL, 409, "not built");
  assert_error ("GET", "/api/v1/datasets/nope/images", NULL, 404, "nope");
  assert_error ("GET", "/api/v1/datasets/nope/images/0.png", NULL, 404, "nope");
  small = get_ok ("/api/v1/datasets/small");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (small), "built"));
}

static void
test_imported (void)
{
  g_autoptr(JsonNode) pix = NULL, page = NULL;
  g_autoptr(GdkPixbuf) thumb = NULL;
  JsonArray *images;

  import_idx ("pix", 20, FALSE);
  pix = get_ok ("/api/v1/datasets/pix");
  g_assert_cmpint (hs_json_int (pix, "images"), ==, 24);
  assert_per_class (pix, 2, "0");

  page = get_ok ("/api/v1/datasets/pix/images?limit=5");
  g_assert_cmpint (hs_json_int (page, "total"), ==, 24);
  g_assert_cmpint (hs_json_int (page, "offset"), ==, 0);
  images = json_object_get_array_member (json_node_get_object (page), "images");
  g_assert_cmpuint (json_array_get_length (images), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      JsonObject *image = json_array_get_object_element (images, i);
      const char *split = json_object_get_string_member (image, "split");

      g_assert_cmpint (json_object_get_int_member (image, "index"), ==, i);
      g_assert_cmpint (json_object_get_int_member (image, "class"), ==, i % 2);
      g_assert_true (g_str_equal (split, "train") || g_str_equal (split, "val") ||
                     g_str_equal (split, "test"));
    }
  g_clear_pointer (&page, json_node_unref);

  /* One class: the offset counts that class's images only. */
  page = get_ok ("/api/v1/datasets/pix/images?class=1&offset=2&limit=3");
  g_assert_cmpint (hs_json_int (page, "total"), ==, 12);
  g_assert_cmpint (hs_json_int (page, "offset"), ==, 2);
  images = json_object_get_array_member (json_node_get_object (page), "images");
  g_assert_cmpuint (json_array_get_length (images), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *image = json_array_get_object_element (images, i);
      g_assert_cmpint (json_object_get_int_member (image, "index"), ==, 5 + 2 * i);
      g_assert_cmpint (json_object_get_int_member (image, "class"), ==, 1);
    }
  g_clear_pointer (&page, json_node_unref);
  page = get_ok ("/api/v1/datasets/pix/images?offset=23&limit=1000");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (page), "images")), ==, 1);

  assert_error ("GET", "/api/v1/datasets/pix/images?limit=1001", NULL, 400, "limit");
  assert_error ("GET", "/api/v1/datasets/pix/images?offset=-1", NULL, 400, "offset");
  assert_error ("GET", "/api/v1/datasets/pix/images?class=x", NULL, 400, "class");
  assert_error ("GET", "/api/v1/datasets/pix/images?class=2", NULL, 400, "class");
  assert_error ("POST", "/api/v1/datasets/pix/images", "{}", 405, "POST");

  thumb = get_png ("/api/v1/datasets/pix/images/0.png");
  g_assert_cmpint (gdk_pixbuf_get_width (thumb), ==, 32);
  g_assert_cmpint (gdk_pixbuf_get_height (thumb), ==, 32);
  g_assert_cmpuint (first_red (thumb), ==, 20);
  g_clear_object (&thumb);
  thumb = get_png ("/api/v1/datasets/pix/images/1.png?size=96");
  g_assert_cmpint (gdk_pixbuf_get_width (thumb), ==, 96);
  g_assert_cmpint (gdk_pixbuf_get_height (thumb), ==, 96);
  g_assert_cmpuint (first_red (thumb), ==, 235);
  g_clear_object (&thumb);
  thumb = get_png ("/api/v1/datasets/pix/images/23.png?size=8");
  g_assert_cmpint (gdk_pixbuf_get_width (thumb), ==, 8);
  g_clear_object (&thumb);
  assert_error ("GET", "/api/v1/datasets/pix/images/24.png", NULL, 404, "24");
  assert_error ("GET", "/api/v1/datasets/pix/images/x.png", NULL, 404, "x.png");
  assert_error ("GET", "/api/v1/datasets/pix/images/0.jpg", NULL, 404, "0.jpg");
  assert_error ("GET", "/api/v1/datasets/pix/images/0.png?size=7", NULL, 400, "size");
  assert_error ("GET", "/api/v1/datasets/pix/images/0.png?size=257", NULL, 400, "size");

  /* Replaced: the thumbnails show the new images, not the open old ones. */
  import_idx ("pix", 200, TRUE);
  get_thumbnails_at_once ("pix", 8);
  thumb = get_png ("/api/v1/datasets/pix/images/0.png");
  g_assert_cmpuint (first_red (thumb), ==, 200);
  g_clear_object (&thumb);

  /* Deleted: gone from the image routes too. */
  g_clear_pointer (&page, json_node_unref);
  {
    guint status;
    g_autoptr(JsonNode) reply = hs_test_daemon_request (daemon_, "DELETE", "/api/v1/datasets/pix",
                                                        NULL, &status);
    g_assert_cmpuint (status, ==, 204);
  }
  assert_error ("GET", "/api/v1/datasets/pix/images/0.png", NULL, 404, "pix");
  assert_error ("GET", "/api/v1/datasets/pix/images", NULL, 404, "pix");
}

/* The tiny task once a search has built it. */
static void
test_built_task (void)
{
  gint64 id = hs_test_daemon_start_search (daemon_, "random",
                                           "{\"budget_epochs\": 1, \"max_epochs\": 1}");
  g_autoptr(JsonNode) done = hs_test_daemon_wait_search (daemon_, id, "done|failed", 300);
  g_autoptr(JsonNode) tiny = NULL, page = NULL;
  g_autoptr(GdkPixbuf) thumb = NULL;

  g_assert_cmpstr (hs_json_string (done, "state"), ==, "done");
  tiny = get_ok ("/api/v1/datasets/tiny");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (tiny), "built"));
  assert_per_class (tiny, 3, "A");
  page = get_ok ("/api/v1/datasets/tiny/images?class=2&limit=1000");
  g_assert_cmpint (hs_json_int (page, "total"), ==,
                   json_object_get_int_member (json_array_get_object_element (
                     json_object_get_array_member (json_node_get_object (tiny), "per_class"), 2),
                     "images"));
  thumb = get_png ("/api/v1/datasets/tiny/images/0.png?size=64");
  g_assert_cmpint (gdk_pixbuf_get_width (thumb), ==, 64);
}

/* A space's object in GET /spaces. */
static JsonObject *
find_listed (JsonNode *list, const char *name)
{
  JsonArray *spaces = json_object_get_array_member (json_node_get_object (list), "spaces");

  for (guint i = 0; i < json_array_get_length (spaces); i++)
    {
      JsonObject *o = json_array_get_object_element (spaces, i);
      if (g_str_equal (json_object_get_string_member (o, "name"), name))
        return o;
    }
  g_error ("GET /spaces has no “%s”", name);
}

#define GRID(lr) "{\"grid\": {\"a\": {\"lr\": " lr ", \"finetune\": \"head\"}}}"

static void
test_space_edits (void)
{
  g_autoptr(JsonNode) list = get_ok ("/api/v1/spaces");
  g_autoptr(JsonNode) mine = NULL, changed = NULL, grid = NULL;
  JsonObject *o;
  guint status;

  /* test-grid: the built-task test's search uses it. */
  o = find_listed (list, "paper-grid");
  g_assert_true (json_object_get_boolean_member (o, "shipped"));
  g_assert_cmpint (json_object_get_int_member (o, "searches"), ==, 0);
  o = find_listed (list, "test-grid");
  g_assert_false (json_object_get_boolean_member (o, "shipped"));
  g_assert_cmpint (json_object_get_int_member (o, "searches"), ==, 1);
  grid = get_ok ("/api/v1/spaces/paper-grid");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (grid), "shipped"));

  assert_error ("PUT", "/api/v1/spaces/paper-grid", "{\"definition\": " GRID ("0.1") "}", 409,
                "paper-grid ships with the workbench: duplicate it to change it");
  assert_error ("DELETE", "/api/v1/spaces/paper-grid", NULL, 409, "ships with the workbench");
  assert_error ("PUT", "/api/v1/spaces/test-grid", "{\"definition\": " GRID ("0.1") "}", 409,
                "1 search");
  assert_error ("DELETE", "/api/v1/spaces/test-grid", NULL, 409, "1 search");

  mine = hs_test_daemon_request (daemon_, "POST", "/api/v1/spaces",
                                 "{\"name\": \"mine\", \"definition\": " GRID ("0.1") "}",
                                 &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (mine), "shipped"));
  g_assert_cmpint (hs_json_int (mine, "searches"), ==, 0);

  /* The definition alone keeps the name; with a name it renames. */
  changed = hs_test_daemon_request (daemon_, "PUT", "/api/v1/spaces/mine",
                                    "{\"definition\": " GRID ("0.2") "}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (hs_json_string (changed, "name"), ==, "mine");
  g_assert_cmpint (hs_json_int (changed, "id"), ==, hs_json_int (mine, "id"));
  g_clear_pointer (&changed, json_node_unref);
  changed = hs_test_daemon_request (daemon_, "PUT", "/api/v1/spaces/mine",
                                    "{\"name\": \"mine-2\", \"definition\": " GRID ("0.3") "}",
                                    &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (hs_json_string (changed, "name"), ==, "mine-2");
  g_clear_pointer (&changed, json_node_unref);
  changed = get_ok ("/api/v1/spaces/mine-2");
  {
    JsonObject *def = json_object_get_object_member (json_node_get_object (changed),
                                                     "definition");
    JsonObject *a = json_object_get_object_member (json_object_get_object_member (def, "grid"),
                                                   "a");
    g_assert_cmpfloat (json_object_get_double_member (a, "lr"), ==, 0.3);
  }
  assert_error ("GET", "/api/v1/spaces/mine", NULL, 404, NULL);

  assert_error ("PUT", "/api/v1/spaces/mine-2", "{\"name\": \"test-grid\", \"definition\": "
                GRID ("0.1") "}", 409, "test-grid");
  assert_error ("PUT", "/api/v1/spaces/mine-2", "{\"definition\": {\"dimensions\": "
                "[{\"name\": \"lr\", \"type\": \"float\", \"min\": \"low\", \"max\": 1}]}}",
                400, "min");
  assert_error ("PUT", "/api/v1/spaces/mine-2", "{\"name\": \"x\"}", 400, "definition");
  assert_error ("PUT", "/api/v1/spaces/mine-2", "{\"name\": \"\", \"definition\": "
                GRID ("0.1") "}", 400, "name");
  assert_error ("PUT", "/api/v1/spaces/mine-2", "{\"definition\": " GRID ("0.1") ", \"x\": 1}",
                400, "“x”");
  assert_error ("PUT", "/api/v1/spaces/9999", "{\"definition\": " GRID ("0.1") "}", 404, NULL);
  assert_error ("PATCH", "/api/v1/spaces/mine-2", "{}", 405, "PATCH");

  {
    g_autoptr(JsonNode) reply = hs_test_daemon_request (daemon_, "DELETE",
                                                        "/api/v1/spaces/mine-2", NULL, &status);
    g_assert_cmpuint (status, ==, 204);
  }
  assert_error ("DELETE", "/api/v1/spaces/mine-2", NULL, 404, NULL);
  assert_error ("GET", "/api/v1/spaces/mine-2", NULL, 404, NULL);
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  if (!hs_test_daemon_available ())
    {
      g_test_skip ("HS_DAEMON is not set or hershey-fonts-data is missing");
      return g_test_run ();
    }
  daemon_ = hs_test_daemon_new ();
  g_test_add_func ("/pages/unbuilt-task", test_unbuilt_task);
  g_test_add_func ("/pages/imported", test_imported);
  g_test_add_func ("/pages/built-task", test_built_task);
  g_test_add_func ("/pages/space-edits", test_space_edits);
  result = g_test_run ();
  hs_test_daemon_free (daemon_);
  return result;
}
