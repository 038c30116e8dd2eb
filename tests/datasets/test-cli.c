/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hyperstar-cli's dataset and tasks commands, run as a user would run them:
 * the built binary ($HS_CLI) in a subprocess, with its data and cache
 * folders in a temporary directory, on a folder of images generated here
 * (with broken files in it).  The --json output is parsed, not grepped.
 */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <unistd.h>

#include "hs-test-cli.h"

#define IMAGES_PER_CLASS 12

static char *pets_dir;   /* three classes, some broken files */
static guint pets_files; /* every non-hidden file under pets_dir */
static guint pets_broken;

/* A picture that differs by class (hue) and by image (noise, size, format):
 * the importer has to scale and decode real files. */
static void
write_image (const char *path, guint class_index, guint i, const char *format)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 40 + i, 30 + 2 * i);
  g_autoptr(GRand) rand = g_rand_new_with_seed (class_index * 1000 + i);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < gdk_pixbuf_get_height (pixbuf); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (pixbuf); x++)
      {
        guint8 *px = pixels + y * stride + x * 3;
        px[0] = (guint8) (class_index == 0 ? 200 : g_rand_int_range (rand, 0, 80));
        px[1] = (guint8) (class_index == 1 ? 200 : g_rand_int_range (rand, 0, 80));
        px[2] = (guint8) (class_index == 2 ? 200 : (x * 255) / 40);
      }
  gdk_pixbuf_save (pixbuf, path, format, &error, NULL);
  g_assert_no_error (error);
}

static void
write_bytes (const char *path, const void *data, gsize len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
}

/* pets/ with classes cat, dog and "bird ünï" (a space and non-ASCII), a
 * nested folder, a hidden file, and broken files: garbage with a .png name,
 * an empty .jpg, a truncated PNG and a garbage file whose name is not UTF-8. */
static void
make_pets_folder (void)
{
  static const char *const classes[] = { "cat", "dog", "bird ünï" };

  pets_dir = g_build_filename (hs_test_cli_tmp_dir (), "pets", NULL);
  for (guint c = 0; c < G_N_ELEMENTS (classes); c++)
    {
      g_autofree char *dir = g_build_filename (pets_dir, classes[c], "nested", NULL);
      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      for (guint i = 0; i < IMAGES_PER_CLASS; i++)
        {
          g_autofree char *name = g_strdup_printf ("img-%02u.%s", i, i % 3 ? "png" : "jpg");
          g_autofree char *path = g_build_filename (pets_dir, classes[c], i < 3 ? "nested" : "",
                                                    name, NULL);
          write_image (path, c, i, i % 3 ? "png" : "jpeg");
          pets_files++;
        }
    }

  {
    g_autofree char *garbage = g_build_filename (pets_dir, "cat", "broken.png", NULL);
    g_autofree char *empty = g_build_filename (pets_dir, "dog", "zero.jpg", NULL);
    g_autofree char *odd = g_build_filename (pets_dir, "dog", "odd-\xff\xfe.png", NULL);
    g_autofree char *hidden = g_build_filename (pets_dir, "cat", ".hidden.png", NULL);
    g_autofree char *whole = g_build_filename (pets_dir, "bird ünï", "img-05.png", NULL);
    g_autofree char *truncated = g_build_filename (pets_dir, "bird ünï", "truncated.png", NULL);
    g_autofree char *bytes = NULL;
    gsize len;

    write_bytes (garbage, "this is not a picture", 21);
    write_bytes (empty, "", 0);
    write_bytes (odd, "\x89PNG\r\n\x1a\n garbage", 16);
    write_image (hidden, 0, 0, "png");
    g_assert_true (g_file_get_contents (whole, &bytes, &len, NULL));
    write_bytes (truncated, bytes, len / 2);
    pets_files += 4;
    pets_broken = 4;
  }
}

static gboolean
dataset_file_exists (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".hsds", NULL);
  g_autofree char *path = g_build_filename (hs_test_cli_data_dir (), "datasets", file, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Nothing but finished datasets in the store: no temporary files left by a
 * failed or interrupted import. */
static void
assert_store_holds_only (const char *const *names)
{
  g_autofree char *dir_path = g_build_filename (hs_test_cli_data_dir (), "datasets", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *entry;
  guint n = 0;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *name = g_str_has_suffix (entry, ".hsds")
                              ? g_strndup (entry, strlen (entry) - 5) : NULL;
      if (name == NULL || !g_strv_contains (names, name))
        g_error ("unexpected file in the dataset store: %s", entry);
      n++;
    }
  g_assert_cmpuint (n, ==, g_strv_length ((char **) names));
}

static gboolean
skipped_contains (HsJson *skipped, const char *needle)
{
  for (guint i = 0; i < hs_json_length (skipped); i++)
    {
      HsJson *file = hs_json_get (hs_json_index (skipped, i), "file");
      if (file != NULL && strstr (file->string, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_import_json (void)
{
  g_autoptr(HsCliRun) run = hs_test_cli ("dataset", "import", pets_dir, "--name", "pets", "--json", NULL);
  g_autoptr(HsJson) report = NULL;
  HsJson *classes, *skipped, *imported;
  gdouble sum = 0;

  g_assert_cmpint (run->status, ==, 0);
  report = hs_test_cli_json (run);
  g_assert_cmpint (report->type, ==, HS_JSON_OBJECT);
  g_assert_cmpstr (hs_json_get (report, "name")->string, ==, "pets");

  classes = hs_json_get (report, "classes");
  g_assert_nonnull (classes);
  g_assert_cmpint (classes->type, ==, HS_JSON_OBJECT);
  g_assert_cmpuint (hs_json_length (classes), ==, 3);
  g_assert_nonnull (hs_json_get (classes, "cat"));
  g_assert_nonnull (hs_json_get (classes, "dog"));
  g_assert_nonnull (hs_json_get (classes, "bird ünï"));
  for (guint i = 0; i < hs_json_length (classes); i++)
    {
      HsJson *count = hs_json_index (classes, i);
      g_assert_cmpint (count->type, ==, HS_JSON_NUMBER);
      /* The nested folder's images belong to their class. */
      g_assert_cmpfloat (count->number, ==, IMAGES_PER_CLASS);
      sum += count->number;
    }

  imported = hs_json_get (report, "imported");
  g_assert_nonnull (imported);
  g_assert_cmpfloat (imported->number, ==, sum);

  /* Truthful: every file is either imported or listed with a reason, and
   * the hidden file is neither. */
  skipped = hs_json_get (report, "skipped");
  g_assert_nonnull (skipped);
  g_assert_cmpint (skipped->type, ==, HS_JSON_ARRAY);
  g_assert_cmpfloat (imported->number + hs_json_length (skipped), ==, pets_files);
  g_assert_cmpuint (hs_json_length (skipped), ==, pets_broken);
  for (guint i = 0; i < hs_json_length (skipped); i++)
    {
      HsJson *skip = hs_json_index (skipped, i);
      g_assert_cmpint (hs_json_get (skip, "file")->type, ==, HS_JSON_STRING);
      g_assert_cmpint (hs_json_get (skip, "reason")->type, ==, HS_JSON_STRING);
      g_assert_cmpstr (hs_json_get (skip, "reason")->string, !=, "");
    }
  g_assert_true (skipped_contains (skipped, "broken.png"));
  g_assert_true (skipped_contains (skipped, "zero.jpg"));
  g_assert_true (skipped_contains (skipped, "truncated.png"));
  g_assert_true (skipped_contains (skipped, "odd-"));
  g_assert_false (skipped_contains (skipped, ".hidden"));

  g_assert_true (dataset_file_exists ("pets"));
}

static void
test_list (void)
{
  g_autoptr(HsCliRun) run = hs_test_cli ("dataset", "list", "--json", NULL);
  g_autoptr(HsCliRun) text = hs_test_cli ("dataset", "list", NULL);
  g_autoptr(HsJson) list = NULL;
  HsJson *pets;

  g_assert_cmpint (run->status, ==, 0);
  list = hs_test_cli_json (run);
  g_assert_cmpint (list->type, ==, HS_JSON_ARRAY);
  g_assert_cmpuint (hs_json_length (list), ==, 1);
  pets = hs_json_index (list, 0);
  g_assert_cmpstr (hs_json_get (pets, "name")->string, ==, "pets");
  g_assert_cmpfloat (hs_json_get (pets, "classes")->number, ==, 3);
  g_assert_cmpfloat (hs_json_get (pets, "images")->number, ==, 3 * IMAGES_PER_CLASS);

  g_assert_cmpint (text->status, ==, 0);
  g_assert_nonnull (strstr (text->out, "pets"));
}

static void
test_show (void)
{
  g_autofree char *sheet = g_build_filename (hs_test_cli_tmp_dir (), "pets-sheet.png", NULL);
  g_autoptr(HsCliRun) run = hs_test_cli ("dataset", "show", "pets", "--json", "--sheet", sheet, NULL);
  g_autoptr(HsCliRun) text = hs_test_cli ("dataset", "show", "pets", NULL);
  g_autoptr(HsJson) show = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  HsJson *classes, *splits;
  gdouble split_sum = 0;

  g_assert_cmpint (run->status, ==, 0);
  show = hs_test_cli_json (run);
  g_assert_cmpstr (hs_json_get (show, "name")->string, ==, "pets");
  g_assert_cmpfloat (hs_json_get (show, "images")->number, ==, 3 * IMAGES_PER_CLASS);
  classes = hs_json_get (show, "classes");
  g_assert_cmpuint (hs_json_length (classes), ==, 3);
  /* Stratified: every class is in every split. */
  for (guint i = 0; i < 3; i++)
    {
      HsJson *c = hs_json_index (classes, i);
      g_assert_cmpfloat (hs_json_get (c, "train")->number, >=, 1);
      g_assert_cmpfloat (hs_json_get (c, "val")->number, >=, 1);
      g_assert_cmpfloat (hs_json_get (c, "test")->number, >=, 1);
      g_assert_cmpfloat (hs_json_get (c, "train")->number + hs_json_get (c, "val")->number +
                         hs_json_get (c, "test")->number, ==, IMAGES_PER_CLASS);
    }
  splits = hs_json_get (show, "splits");
  for (guint i = 0; i < hs_json_length (splits); i++)
    split_sum += hs_json_index (splits, i)->number;
  g_assert_cmpfloat (split_sum, ==, 3 * IMAGES_PER_CLASS);

  /* The contact sheet is a real PNG, with a row per class. */
  pixbuf = gdk_pixbuf_new_from_file (sheet, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), >=, 3 * 32);

  g_assert_cmpint (text->status, ==, 0);
  g_assert_nonnull (strstr (text->out, "bird ünï"));
  g_assert_nonnull (strstr (text->out, "train"));

  {
    g_autoptr(HsCliRun) missing = hs_test_cli ("dataset", "show", "no-such-dataset", NULL);
    g_assert_cmpint (missing->status, !=, 0);
    g_assert_nonnull (strstr (missing->err, "no-such-dataset"));
  }
}

static void
test_import_existing (void)
{
  g_autofree char *before = NULL, *after = NULL;
  g_autofree char *path = g_build_filename (hs_test_cli_data_dir (), "datasets", "pets.hsds", NULL);
  gsize before_len, after_len;

  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));
  {
    g_autoptr(HsCliRun) run = hs_test_cli ("dataset", "import", pets_dir, "--name", "pets", NULL);
    g_assert_cmpint (run->status, !=, 0);
    g_assert_nonnull (strstr (run->err, "--replace"));
    g_assert_cmpstr (run->out, ==, "");
  }
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);

  {
    g_autoptr(HsCliRun) run = hs_test_cli ("dataset", "import", pets_dir, "--name", "pets", "--replace",
                                 "--seed", "7", NULL);
    g_assert_cmpint (run->status, ==, 0);
    g_assert_nonnull (strstr (run->out, "pets"));
    /* The human report names the skipped files too. */
    g_assert_nonnull (strstr (run->out, "broken.png"));
  }
  assert_store_holds_only ((const char *const[]) { "pets", NULL });
}

/* A structural problem is an error on stderr naming the problem, exits
 * non-zero, and leaves nothing behind. */
static void
test_import_failures (void)
{
  g_autofree char *one = g_build_filename (hs_test_cli_tmp_dir (), "one-class", "only", NULL);
  g_autofree char *img = g_build_filename (one, "a.png", NULL);
  g_autofree char *empty = g_build_filename (hs_test_cli_tmp_dir (), "empty-class", NULL);
  g_autofree char *empty_a = g_build_filename (empty, "apples", NULL);
  g_autofree char *empty_b = g_build_filename (empty, "bananas", NULL);

  g_assert_cmpint (g_mkdir_with_parents (one, 0755), ==, 0);
  write_image (img, 0, 0, "png");
  {
    g_autofree char *parent = g_path_get_dirname (one);
    g_autoptr(HsCliRun) run = hs_test_cli ("dataset", "import", parent, "--name", "single", "--json", NULL);
    g_assert_cmpint (run->status, !=, 0);
    g_assert_cmpstr (run->err, !=, "");
  }

  /* An empty class is named in the message. */
  g_assert_cmpint (g_mkdir_with_parents (empty_a, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (empty_b, 0755), ==, 0);
  for (guint i = 0; i < IMAGES_PER_CLASS; i++)
    {
      g_autofree char *name = g_strdup_printf ("%u.png", i);
      g_autofree char *path = g_build_filename (empty_a, name, NULL);
      write_image (path, 1, i, "png");
    }
  {
    g_autoptr(HsCliRun) run = hs_test_cli ("dataset", "import", empty, "--name", "fruit", NULL);
    g_assert_cmpint (run->status, !=, 0);
    g_assert_nonnull (strstr (run->err, "bananas"));
  }

  {
    g_autoptr(HsCliRun) run = hs_test_cli ("dataset", "import", "/nonexistent/folder", "--name", "x", NULL);
    g_assert_cmpint (run->status, !=, 0);
    g_assert_nonnull (strstr (run->err, "/nonexistent/folder"));
  }
  {
    g_autoptr(HsCliRun) run = hs_test_cli ("dataset", "import", pets_dir, "--name", "../escape", NULL);
    g_assert_cmpint (run->status, !=, 0);
  }
  assert_store_holds_only ((const char *const[]) { "pets", NULL });
}

/* A gradient big enough that decoding it takes milliseconds, as a photo
 * would, but that compresses to a few kilobytes. */
static void
write_big_png (const char *path, guint class_index)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 1600, 1200);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < 1200; y++)
    for (int x = 0; x < 1600; x++)
      {
        guint8 *px = pixels + y * stride + x * 3;
        px[0] = (guint8) (x * class_index);
        px[1] = (guint8) y;
        px[2] = (guint8) ((x + y) * (class_index + 1));
      }
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
}

/* Ctrl-C during an import: either the import finished first (a dataset),
 * or it stopped (exit 130) and nothing was saved.  The folder is 500 large
 * pictures (hard links to two files, so it is quick to make) that take
 * seconds to decode. */
static void
test_import_interrupted (void)
{
  g_autofree char *big = g_build_filename (hs_test_cli_tmp_dir (), "big", NULL);
  const char *args[] = { "dataset", "import", big, "--name", "big", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(HsCliRun) run = NULL;

  for (guint c = 0; c < 2; c++)
    {
      g_autofree char *class_name = g_strdup_printf ("class%u", c);
      g_autofree char *dir = g_build_filename (big, class_name, NULL);
      g_autofree char *first = g_build_filename (dir, "000.png", NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      write_big_png (first, c);
      for (guint i = 1; i < 250; i++)
        {
          g_autofree char *name = g_strdup_printf ("%03u.png", i);
          g_autofree char *path = g_build_filename (dir, name, NULL);
          g_assert_cmpint (link (first, path), ==, 0);
        }
    }
  process = hs_test_cli_spawn (args);
  g_usleep (300 * G_TIME_SPAN_MILLISECOND);
  g_subprocess_send_signal (process, SIGINT);
  run = hs_test_cli_finish (process);
  if (run->status == 0)
    {
      g_test_message ("the import finished before the interrupt");
      g_assert_true (dataset_file_exists ("big"));
      g_autoptr(HsCliRun) del = hs_test_cli ("dataset", "delete", "big", NULL);
      g_assert_cmpint (del->status, ==, 0);
    }
  else
    {
      g_assert_cmpint (run->status, ==, 130);
      g_assert_nonnull (strstr (run->err, "nothing was saved"));
      g_assert_false (dataset_file_exists ("big"));
    }
  assert_store_holds_only ((const char *const[]) { "pets", NULL });
}

static void
test_tasks_list (void)
{
  g_autoptr(HsCliRun) run = hs_test_cli ("tasks", "list", "--json", NULL);
  g_autoptr(HsCliRun) text = hs_test_cli ("tasks", "list", NULL);
  g_autoptr(HsJson) list = NULL;

  g_assert_cmpint (run->status, ==, 0);
  list = hs_test_cli_json (run);
  g_assert_cmpint (list->type, ==, HS_JSON_ARRAY);
  g_assert_cmpuint (hs_json_length (list), >, 0);
  for (guint i = 0; i < hs_json_length (list); i++)
    {
      HsJson *task = hs_json_index (list, i);
      HsJson *classes = hs_json_get (task, "classes");
      HsJson *images = hs_json_get (task, "images");

      g_assert_cmpint (hs_json_get (task, "name")->type, ==, HS_JSON_STRING);
      g_assert_cmpint (hs_json_get (task, "family")->type, ==, HS_JSON_STRING);
      g_assert_cmpint (hs_json_get (task, "package")->type, ==, HS_JSON_STRING);
      g_assert_cmpint (hs_json_get (task, "built")->type, ==, HS_JSON_BOOL);
      /* A fresh cache: nothing is built, and unknown counts say so (null)
       * rather than a made-up number. */
      g_assert_false (hs_json_get (task, "built")->boolean);
      g_assert_nonnull (classes);
      g_assert_true (classes->type == HS_JSON_NUMBER || classes->type == HS_JSON_NULL);
      g_assert_nonnull (images);
      g_assert_cmpint (images->type, ==, HS_JSON_NULL);
    }
  g_assert_cmpint (text->status, ==, 0);
  g_assert_nonnull (strstr (text->out, hs_json_get (hs_json_index (list, 0), "name")->string));

  {
    g_autoptr(HsCliRun) unknown = hs_test_cli ("tasks", "build", "no-such-task", NULL);
    g_assert_cmpint (unknown->status, ==, 2);
    g_assert_nonnull (strstr (unknown->err, "no-such-task"));
  }
  {
    g_autoptr(HsCliRun) unknown = hs_test_cli ("tasks", "show", "no-such-task", NULL);
    g_assert_cmpint (unknown->status, !=, 0);
  }
}

static void
test_delete (void)
{
  g_autoptr(HsCliRun) run = hs_test_cli ("dataset", "delete", "pets", NULL);
  g_autoptr(HsCliRun) again = NULL;
  g_autoptr(HsCliRun) list = NULL;
  g_autoptr(HsJson) json = NULL;

  g_assert_cmpint (run->status, ==, 0);
  g_assert_false (dataset_file_exists ("pets"));
  again = hs_test_cli ("dataset", "delete", "pets", NULL);
  g_assert_cmpint (again->status, !=, 0);
  g_assert_nonnull (strstr (again->err, "pets"));
  list = hs_test_cli ("dataset", "list", "--json", NULL);
  json = hs_test_cli_json (list);
  g_assert_cmpuint (hs_json_length (json), ==, 0);
}

static void
test_usage (void)
{
  g_autoptr(HsCliRun) none = hs_test_cli ("dataset", NULL);
  g_autoptr(HsCliRun) bad = hs_test_cli ("dataset", "frobnicate", NULL);
  g_autoptr(HsCliRun) help = hs_test_cli ("tasks", "--help", NULL);
  g_autoptr(HsCliRun) no_args = hs_test_cli ("dataset", "import", NULL);

  g_assert_cmpint (none->status, ==, 2);
  g_assert_cmpint (bad->status, ==, 2);
  g_assert_cmpint (help->status, ==, 0);
  g_assert_nonnull (strstr (help->out, "build"));
  g_assert_cmpint (no_args->status, ==, 2);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!hs_test_cli_init ())
    {
      g_test_skip ("HS_CLI does not name the built hyperstar-cli");
      return g_test_run ();
    }
  make_pets_folder ();

  /* In order: later tests use the dataset the first one imports. */
  g_test_add_func ("/cli/usage", test_usage);
  g_test_add_func ("/cli/dataset/import-json", test_import_json);
  g_test_add_func ("/cli/dataset/list", test_list);
  g_test_add_func ("/cli/dataset/show", test_show);
  g_test_add_func ("/cli/dataset/import-existing", test_import_existing);
  g_test_add_func ("/cli/dataset/import-failures", test_import_failures);
  g_test_add_func ("/cli/dataset/import-interrupted", test_import_interrupted);
  g_test_add_func ("/cli/dataset/delete", test_delete);
  g_test_add_func ("/cli/tasks/list", test_tasks_list);
  status = g_test_run ();
  hs_test_cli_cleanup ();
  return status;
}
