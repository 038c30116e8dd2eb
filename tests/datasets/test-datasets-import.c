/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The importers on inputs made here, the way users make them: folders of
 * mixed formats with broken, hidden, oddly named and looping entries, IDX
 * files gzipped or not, CSVs with headers and quotes, and the structural
 * errors (too few classes, empty or tiny classes, taken names).
 */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hs-dataset-store.h"
#include "hs-import.h"
#include "test-datasets-util.h"

#define NON_UTF8_NAME "caf\xe9-latin1.png"
#define NON_UTF8_BROKEN "broken-\xff\xfe.png"

static char *
path_in (const char *dir, const char *name)
{
  return g_build_filename (dir, name, NULL);
}

/* A file this test expects in the dataset: its class-relative name and the
 * colour its centre should have. */
typedef struct
{
  const char *file;
  const char *format;   /* NULL: written separately */
  guint32 rgb;
} Expected;

/* cats/, in the natural order the importer walks it. */
static const Expected cats[] = {
  { "a.png", "png", 0xe02020 },
  { "b.jpg", "jpeg", 0x20c020 },
  { "c.bmp", "bmp", 0x2020e0 },
  { NON_UTF8_NAME, "png", 0x808000 },
  { "d.gif", NULL, 0x3060f0 },
  { "e.tiff", "tiff", 0xc0c020 },
  { "f.webp", "webp", 0xa020a0 },
  { "g.svg", NULL, 0x00ff00 },
  { "img2.png", "png", 0x102030 },
  { "img10.png", "png", 0x304050 },
  { "mislabelled.jpg", "png", 0x40e0e0 },
  { "odd name, (1) #ü'\".png", "png", 0xf0a000 },
  { "sub/deeper/nested.png", "png", 0x605040 },
  { "sub/nested.jpg", "jpeg", 0x406080 },
};

typedef struct
{
  const char *file;
  const char *reason;   /* a part of it */
} Skip;

static const Skip expected_skips[] = {
  { "cats/" NON_UTF8_BROKEN, "" },
  { "cats/corrupt.png", "" },
  { "cats/dangling", "broken symbolic link" },
  { "cats/empty.png", "empty file" },
  { "cats/notes.txt", "" },
  { "cats/sub/loop", "visited" },
  { "cats/truncated.png", "" },
  { "stray.png", "not in a class folder" },
};

static char *
make_pets (void)
{
  char *root = td_mkdir ("pets");
  g_autofree char *cat_dir = path_in (root, "cats");
  g_autofree char *dog_dir = path_in (root, "dogs");
  g_autofree char *deeper = g_build_filename (cat_dir, "sub", "deeper", NULL);
  g_autofree char *hidden_dir = g_build_filename (cat_dir, ".thumbnails", NULL);
  g_autofree char *git_dir = g_build_filename (root, ".git", NULL);
  g_autofree char *good_png = NULL;

  g_assert_cmpint (g_mkdir_with_parents (deeper, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (dog_dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (hidden_dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (git_dir, 0755), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cats); i++)
    {
      g_autofree char *path = path_in (cat_dir, cats[i].file);

      if (cats[i].format != NULL)
        td_write_picture (path, cats[i].format, 40 + i, 30 + 2 * i, cats[i].rgb, FALSE);
      else if (g_str_has_suffix (path, ".gif"))
        td_write_gif (path, 24, 24, cats[i].rgb);
      else
        td_write_svg (path, cats[i].rgb);
    }
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("dog-%u.png", i);
      g_autofree char *path = path_in (dog_dir, name);

      td_write_picture (path, "png", 64, 48, 0x101010 * (i + 1), TRUE);
    }

  /* What should be passed over silently. */
  {
    g_autofree char *a = path_in (cat_dir, ".hidden.png");
    g_autofree char *b = path_in (hidden_dir, "thumb.png");
    g_autofree char *c = path_in (git_dir, "x.png");

    td_write_picture (a, "png", 8, 8, 0, FALSE);
    td_write_picture (b, "png", 8, 8, 0, FALSE);
    td_write_picture (c, "png", 8, 8, 0, FALSE);
  }

  /* What should be reported. */
  good_png = path_in (cat_dir, "a.png");
  {
    g_autofree char *empty = path_in (cat_dir, "empty.png");
    g_autofree char *corrupt = path_in (cat_dir, "corrupt.png");
    g_autofree char *truncated = path_in (cat_dir, "truncated.png");
    g_autofree char *broken = path_in (cat_dir, NON_UTF8_BROKEN);
    g_autofree char *notes = path_in (cat_dir, "notes.txt");
    g_autofree char *stray = path_in (root, "stray.png");
    g_autofree char *loop = g_build_filename (cat_dir, "sub", "loop", NULL);
    g_autofree char *dangling = path_in (cat_dir, "dangling");
    g_autofree char *big = path_in (td_tmp (), "big.png");
    static const char noise[] = "\x89PNG\r\n\x1a\n this is not really a PNG at all";

    td_write_bytes (empty, "", 0);
    td_write_bytes (corrupt, noise, sizeof noise);
    td_write_picture (big, "png", 200, 200, 0x123456, TRUE);
    td_write_truncated (big, truncated, 300);
    td_write_bytes (broken, "garbage", 7);
    td_write_bytes (notes, "remember to feed the cats\n", 26);
    td_write_picture (stray, "png", 10, 10, 0, FALSE);
    /* A link back up the tree, and one to nowhere. */
    g_assert_cmpint (symlink ("..", loop), ==, 0);
    g_assert_cmpint (symlink ("no-such-file.png", dangling), ==, 0);
  }
  return root;
}

static gboolean
skip_matches (HsImportSkip *skip, const Skip *want)
{
  g_autofree char *file = g_filename_display_name (want->file);

  return g_str_equal (skip->file, file) && strstr (skip->reason, want->reason) != NULL;
}

static void
test_folder (void)
{
  g_autofree char *root = make_pets ();
  g_autoptr(HsImportReport) report = hs_import_report_new ();
  g_autoptr(HsDataset) ds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  HsImportOptions options;

  hs_import_options_init (&options);
  ds = hs_import (root, "pets", &options, report, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ds);

  for (guint i = 0; i < report->skipped->len; i++)
    {
      HsImportSkip *skip = g_ptr_array_index (report->skipped, i);

      g_test_message ("skipped %s: %s", skip->file, skip->reason);
      g_assert_true (g_utf8_validate (skip->file, -1, NULL));
      g_assert_cmpstr (skip->reason, !=, "");
    }

  g_assert_cmpuint (hs_dataset_get_n_classes (ds), ==, 2);
  g_assert_cmpstr (hs_dataset_get_class_name (ds, 0), ==, "cats");
  g_assert_cmpstr (hs_dataset_get_class_name (ds, 1), ==, "dogs");
  g_assert_cmpuint (hs_dataset_count (ds, 0, HS_N_SPLITS), ==, G_N_ELEMENTS (cats));
  g_assert_cmpuint (hs_dataset_count (ds, 1, HS_N_SPLITS), ==, 6);
  g_assert_cmpuint (report->imported, ==, G_N_ELEMENTS (cats) + 6);
  g_assert_cmpuint (hs_dataset_get_size (ds), ==, HS_DATASET_DEFAULT_SIZE);

  /* Every picture, in walk order, with its own colour: nothing swapped,
   * nothing decoded wrong. */
  for (guint i = 0; i < G_N_ELEMENTS (cats); i++)
    {
      g_autofree char *shown = g_filename_display_name (cats[i].file);
      double colour[3];

      g_test_message ("checking %s", shown);
      td_centre_colour (ds, i, colour);
      td_assert_colour (colour, cats[i].rgb, 8);
    }

  /* Exactly the broken entries are reported, hidden ones are not. */
  g_assert_cmpuint (report->skipped->len, ==, G_N_ELEMENTS (expected_skips));
  for (guint k = 0; k < G_N_ELEMENTS (expected_skips); k++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < report->skipped->len && !found; i++)
        found = skip_matches (g_ptr_array_index (report->skipped, i), &expected_skips[k]);
      if (!found)
        g_test_fail_printf ("no skip for %s (%s)", expected_skips[k].file,
                            expected_skips[k].reason);
    }

  /* Listed by name, whenever each problem was found. */
  g_assert_cmpstr (((HsImportSkip *) g_ptr_array_index (report->skipped, 0))->file, ==,
                   "cats/broken-\xef\xbf\xbd\xef\xbf\xbd.png");
  g_assert_cmpstr (((HsImportSkip *) g_ptr_array_index (report->skipped,
                                                        report->skipped->len - 1))->file, ==,
                   "stray.png");

  /* The metadata says where it came from. */
  g_assert_cmpstr (hs_dataset_get_meta (ds, "importer"), ==, "folder");
  g_assert_true (g_str_has_suffix (hs_dataset_get_meta (ds, "source"), "pets"));

  json = hs_import_report_to_json (report, ds);
  g_test_message ("%s", json);
  td_assert_contains (json, "\"name\": \"pets\"");
  td_assert_contains (json, "\"cats\": 14");
  td_assert_contains (json, "\"dogs\": 6");
  td_assert_contains (json, "\"imported\": 20");
  td_assert_contains (json, "{\"file\": \"stray.png\", \"reason\": \"not in a class folder");
  td_assert_contains (json, "cats/broken-\xef\xbf\xbd\xef\xbf\xbd.png");
  g_assert_true (g_utf8_validate (json, -1, NULL));
}

/* The same folder twice gives the same dataset, image for image. */
static void
test_folder_deterministic (void)
{
  g_autofree char *root = td_mkdir ("twice");
  g_autoptr(HsDataset) a = NULL;
  g_autoptr(HsDataset) b = NULL;
  gsize bytes;

  for (guint c = 0; c < 3; c++)
    for (guint i = 0; i < 40; i++)
      {
        g_autofree char *dir = g_strdup_printf ("%s/class-%u", root, c);
        g_autofree char *path = g_strdup_printf ("%s/%u.png", dir, i);

        g_mkdir_with_parents (dir, 0755);
        td_write_picture (path, "png", 16, 16, 0x050301 * (i + 1) + c * 0x400000, i % 2);
      }
  /* Four threads finish in any order; the dataset must not care. */
  g_setenv ("HS_IMPORT_THREADS", "4", TRUE);
  a = hs_import_folder (root, "twice", NULL, NULL, NULL, NULL);
  g_unsetenv ("HS_IMPORT_THREADS");
  b = hs_import_folder (root, "twice", NULL, NULL, NULL, NULL);
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpuint (hs_dataset_get_n_images (a), ==, 120);
  bytes = (gsize) 32 * 32 * 3 * 120;
  g_assert_cmpmem (hs_dataset_get_image (a, 0), bytes, hs_dataset_get_image (b, 0), bytes);
  for (gsize i = 0; i < 120; i++)
    g_assert_cmpuint (hs_dataset_get_split (a, i), ==, hs_dataset_get_split (b, i));
}

static void
assert_import_fails (const char *dir, const char *name, gint code, const char *part)
{
  g_autoptr(HsImportReport) report = hs_import_report_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HsDataset) ds = hs_import (dir, name, NULL, report, NULL, &error);

  g_assert_null (ds);
  g_assert_error (error, HS_DATASET_ERROR, code);
  g_test_message ("%s", error->message);
  td_assert_contains (error->message, part);
}

static void
make_class (const char *root, const char *name, guint n, gboolean broken)
{
  g_autofree char *dir = g_build_filename (root, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *file = g_strdup_printf ("%s/%u.png", dir, i);

      if (broken)
        td_write_bytes (file, "not a picture", 13);
      else
        td_write_picture (file, "png", 12, 12, 0x202020 * (i + 1), FALSE);
    }
}

static void
test_folder_errors (void)
{
  g_autofree char *one = td_mkdir ("err-one");
  g_autofree char *empty = td_mkdir ("err-empty");
  g_autofree char *broken = td_mkdir ("err-broken");
  g_autofree char *tiny = td_mkdir ("err-tiny");
  g_autofree char *none = td_mkdir ("err-none");
  g_autofree char *missing = path_in (td_tmp (), "err-missing");
  g_autofree char *loose = path_in (none, "loose.png");

  make_class (one, "only", 5, FALSE);
  assert_import_fails (one, "x", HS_DATASET_ERROR_INVALID, "only");

  make_class (empty, "full", 5, FALSE);
  make_class (empty, "hollow", 0, FALSE);
  assert_import_fails (empty, "x", HS_DATASET_ERROR_INVALID, "class “hollow” has no images");

  make_class (broken, "fine", 5, FALSE);
  make_class (broken, "all-bad", 4, TRUE);
  assert_import_fails (broken, "x", HS_DATASET_ERROR_INVALID, "all-bad");

  make_class (tiny, "big", 10, FALSE);
  make_class (tiny, "small", 2, FALSE);
  assert_import_fails (tiny, "x", HS_DATASET_ERROR_INVALID, "class “small” has 2 images");

  td_write_picture (loose, "png", 8, 8, 0, FALSE);
  assert_import_fails (none, "x", HS_DATASET_ERROR_INVALID, "no class folders");
  assert_import_fails (missing, "x", HS_DATASET_ERROR_NOT_FOUND, "err-missing");
  assert_import_fails (tiny, "bad/name", HS_DATASET_ERROR_INVALID, "bad/name");

  /* Nothing of these reached the store. */
  g_assert_false (hs_dataset_store_exists ("x"));
}

/* An unreadable folder inside a class is reported, not fatal. */
static void
test_folder_unreadable (void)
{
  g_autofree char *root = td_mkdir ("unreadable");
  g_autofree char *locked = g_build_filename (root, "a", "locked", NULL);
  g_autoptr(HsImportReport) report = hs_import_report_new ();
  g_autoptr(HsDataset) ds = NULL;
  g_autoptr(GError) error = NULL;
  HsImportSkip *skip;

  if (geteuid () == 0)
    {
      g_test_skip ("root reads every folder, so none can be made unreadable");
      return;
    }
  make_class (root, "a", 4, FALSE);
  make_class (root, "b", 4, FALSE);
  make_class (root, "a/locked", 2, FALSE);
  g_assert_cmpint (g_chmod (locked, 0), ==, 0);
  ds = hs_import_folder (root, "unreadable", NULL, report, NULL, &error);
  g_chmod (locked, 0755);
  g_assert_no_error (error);
  g_assert_cmpuint (hs_dataset_count (ds, 0, HS_N_SPLITS), ==, 4);
  g_assert_cmpuint (report->skipped->len, ==, 1);
  skip = g_ptr_array_index (report->skipped, 0);
  g_assert_cmpstr (skip->file, ==, "a/locked");
  td_assert_contains (skip->reason, "Permission denied");
}

/* A folder that links to its own parent class folder does not hang. */
static void
test_folder_symlink_loops (void)
{
  g_autofree char *root = td_mkdir ("loops");
  g_autofree char *a_dir = path_in (root, "a");
  g_autofree char *up = g_build_filename (a_dir, "up", NULL);
  g_autofree char *self = g_build_filename (a_dir, "self", NULL);
  g_autofree char *to_b = g_build_filename (a_dir, "b-link", NULL);
  g_autofree char *b_dir = path_in (root, "b");
  g_autofree char *b_loop = path_in (b_dir, "me");
  g_autoptr(HsImportReport) report = hs_import_report_new ();
  g_autoptr(HsDataset) ds = NULL;
  g_autoptr(GError) error = NULL;

  make_class (root, "a", 3, FALSE);
  make_class (root, "b", 4, FALSE);
  g_assert_cmpint (symlink ("..", up), ==, 0);
  g_assert_cmpint (symlink (".", self), ==, 0);
  g_assert_cmpint (symlink ("../b", to_b), ==, 0);
  g_assert_cmpint (symlink ("me", b_loop), ==, 0);
  ds = hs_import_folder (root, "loops", NULL, report, NULL, &error);
  g_assert_no_error (error);
  /* a's own 3, and b's 4 through the link (a link into another class is
   * followed like any folder). */
  g_assert_cmpuint (hs_dataset_count (ds, 0, HS_N_SPLITS), ==, 7);
  g_assert_cmpuint (hs_dataset_count (ds, 1, HS_N_SPLITS), ==, 4);
  for (guint i = 0; i < report->skipped->len; i++)
    {
      HsImportSkip *skip = g_ptr_array_index (report->skipped, i);

      g_test_message ("skipped %s: %s", skip->file, skip->reason);
    }
  /* up → root: its "a" is visited, its "b" is new; self is visited;
   * b/me links to itself (ELOOP) both times b is walked. */
  g_assert_cmpuint (report->skipped->len, >=, 3);
}

/* A cancelled import gives a CANCELLED error and no dataset. */
static void
cancel_at_first (guint64 done, guint64 total, const char *what, gpointer data)
{
  g_cancellable_cancel (data);
}

static void
test_cancel (void)
{
  g_autofree char *root = td_mkdir ("cancel");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  HsImportOptions options;

  /* More than one batch, so a progress report comes before the end. */
  make_class (root, "a", 150, FALSE);
  make_class (root, "b", 150, FALSE);
  hs_import_options_init (&options);
  options.progress = cancel_at_first;
  options.progress_data = cancellable;
  g_assert_null (hs_import (root, "cancelled", &options, NULL, cancellable, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CANCELLED);
  g_assert_false (hs_dataset_store_exists ("cancelled"));
}

/* Importing into a taken name needs replace; replacing works. */
static void
test_name_exists (void)
{
  g_autofree char *root = td_mkdir ("exists");
  g_autoptr(HsDataset) first = NULL;
  g_autoptr(HsDataset) second = NULL;
  g_autoptr(HsDataset) loaded = NULL;
  g_autoptr(GError) error = NULL;

  make_class (root, "a", 4, FALSE);
  make_class (root, "b", 4, FALSE);
  first = hs_import (root, "mine", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hs_dataset_store_save (first, FALSE, &error));
  g_assert_no_error (error);

  make_class (root, "c", 5, FALSE);
  second = hs_import (root, "mine", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (hs_dataset_store_save (second, FALSE, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_EXISTS);
  td_assert_contains (error->message, "--replace");
  g_clear_error (&error);
  loaded = hs_dataset_store_load ("mine", &error);
  g_assert_cmpuint (hs_dataset_get_n_classes (loaded), ==, 2);
  g_clear_pointer (&loaded, hs_dataset_free);

  g_assert_true (hs_dataset_store_save (second, TRUE, &error));
  g_assert_no_error (error);
  loaded = hs_dataset_store_load ("mine", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hs_dataset_get_n_classes (loaded), ==, 3);
  g_assert_cmpuint (hs_dataset_get_n_images (loaded), ==, 13);
  g_assert_true (hs_dataset_store_delete ("mine", NULL));
}

/* IDX */

static void
write_idx (const char *path, gboolean gzip, const guint8 *header, gsize header_len,
           const guint8 *data, gsize len)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) raw = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, 0, NULL,
                                                                  &error));
  g_autoptr(GOutputStream) out = NULL;

  g_assert_no_error (error);
  if (gzip)
    {
      g_autoptr(GZlibCompressor) zip = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP,
                                                              -1);

      out = g_converter_output_stream_new (raw, G_CONVERTER (zip));
    }
  else
    out = g_object_ref (raw);
  g_output_stream_write_all (out, header, header_len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (out, data, len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);
}

/* n images of 28×28, label i % 3, every pixel of image i = 40 × label + i. */
static void
write_mnist (const char *dir, const char *prefix, guint n, gboolean gzip, guint images_cut)
{
  g_autofree char *images_name = g_strdup_printf ("%s-images-idx3-ubyte%s", prefix,
                                                  gzip ? ".gz" : "");
  g_autofree char *labels_name = g_strdup_printf ("%s-labels-idx1-ubyte%s", prefix,
                                                  gzip ? ".gz" : "");
  g_autofree char *images = path_in (dir, images_name);
  g_autofree char *labels = path_in (dir, labels_name);
  g_autofree guint8 *pixels = g_new (guint8, n * 28 * 28);
  g_autofree guint8 *label = g_new (guint8, n);
  guint8 image_header[16] = { 0, 0, 8, 3, n >> 24, n >> 16, n >> 8, n, 0, 0, 0, 28, 0, 0, 0, 28 };
  guint8 label_header[8] = { 0, 0, 8, 1, n >> 24, n >> 16, n >> 8, n };

  for (guint i = 0; i < n; i++)
    {
      label[i] = i % 3;
      memset (pixels + i * 28 * 28, 40 * label[i] + i, 28 * 28);
    }
  write_idx (images, gzip, image_header, sizeof image_header, pixels,
             (n - images_cut) * 28 * 28);
  write_idx (labels, gzip, label_header, sizeof label_header, label, n);
}

static void
check_mnist (HsDataset *ds, guint n)
{
  g_assert_cmpuint (hs_dataset_get_n_images (ds), ==, n);
  for (guint i = 0; i < n; i++)
    {
      const guint8 *image = hs_dataset_get_image (ds, i);

      g_assert_cmpuint (hs_dataset_get_label (ds, i), ==, i % 3);
      /* 28×28 of one grey level fills the 32×32 square with it. */
      g_assert_cmpuint (image[0], ==, 40 * (i % 3) + i);
      g_assert_cmpuint (image[(16 * 32 + 16) * 3 + 2], ==, 40 * (i % 3) + i);
    }
}

static void
test_idx (void)
{
  g_autofree char *dir = td_mkdir ("idx");
  g_autofree char *plain = path_in (dir, "train-images-idx3-ubyte");
  g_autofree char *zipped = path_in (dir, "t10k-images-idx3-ubyte.gz");
  g_autoptr(HsImportReport) report = hs_import_report_new ();
  g_autoptr(HsDataset) a = NULL;
  g_autoptr(HsDataset) b = NULL;
  g_autoptr(HsDataset) named = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const names[] = { "zero", "one", "two", NULL };
  HsImportOptions options;

  write_mnist (dir, "train", 30, FALSE, 0);
  write_mnist (dir, "t10k", 24, TRUE, 0);

  a = hs_import (plain, "mnist", NULL, report, NULL, &error);
  g_assert_no_error (error);
  check_mnist (a, 30);
  g_assert_cmpuint (report->imported, ==, 30);
  g_assert_cmpuint (hs_dataset_get_n_classes (a), ==, 3);
  g_assert_cmpstr (hs_dataset_get_class_name (a, 0), ==, "0");
  g_assert_cmpstr (hs_dataset_get_class_name (a, 2), ==, "2");
  g_assert_cmpstr (hs_dataset_get_meta (a, "importer"), ==, "idx");

  b = hs_import (zipped, "mnist-test", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  check_mnist (b, 24);

  hs_import_options_init (&options);
  options.class_names = names;
  named = hs_import_idx (plain, NULL, "named", &options, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hs_dataset_get_class_name (named, 1), ==, "one");
  g_assert_cmpuint (hs_dataset_get_label (named, 4), ==, 1);
}

static void
test_idx_errors (void)
{
  g_autofree char *dir = td_mkdir ("idx-bad");
  g_autofree char *cut = path_in (dir, "cut-images-idx3-ubyte.gz");
  g_autofree char *lonely = path_in (dir, "lonely-images-idx3-ubyte");
  g_autofree char *lonely_labels = path_in (dir, "lonely-labels-idx1-ubyte");
  g_autofree char *other = path_in (dir, "other-labels-idx1-ubyte");
  g_autoptr(GError) error = NULL;
  static const char * const too_few[] = { "zero", "one", NULL };
  HsImportOptions options;

  write_mnist (dir, "cut", 12, TRUE, 2);
  g_assert_null (hs_import (cut, "cut", NULL, NULL, NULL, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT);
  td_assert_contains (error->message, "ends after 10 of the 12 images");
  g_clear_error (&error);

  write_mnist (dir, "lonely", 6, FALSE, 0);
  g_assert_cmpint (g_rename (lonely_labels, other), ==, 0);
  g_assert_null (hs_import (lonely, "lonely", NULL, NULL, NULL, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_NOT_FOUND);
  td_assert_contains (error->message, "lonely-labels-idx1-ubyte");
  g_clear_error (&error);

  /* Labels of another set: the counts disagree. */
  write_mnist (dir, "other", 9, FALSE, 0);
  g_assert_null (hs_import_idx (lonely, other, "mixed", NULL, NULL, NULL, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID);
  td_assert_contains (error->message, "6 images");
  g_clear_error (&error);

  hs_import_options_init (&options);
  options.class_names = too_few;
  g_assert_cmpint (g_rename (other, lonely_labels), ==, 0);
  write_mnist (dir, "lonely", 6, FALSE, 0);
  g_assert_null (hs_import (lonely, "few-names", &options, NULL, NULL, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID);
  td_assert_contains (error->message, "label 2");
}

/* CSV */

static void
test_csv (void)
{
  g_autofree char *dir = td_mkdir ("csv");
  g_autofree char *pics = g_build_filename (dir, "pics", NULL);
  g_autofree char *csv = path_in (dir, "labels.csv");
  g_autoptr(HsImportReport) report = hs_import_report_new ();
  g_autoptr(HsDataset) ds = NULL;
  g_autoptr(GError) error = NULL;
  GString *text = g_string_new ("\xef\xbb\xbfpath,label\r\n");
  gboolean found_missing = FALSE, found_short = FALSE;

  g_mkdir_with_parents (pics, 0755);
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf (i == 3 ? "pic, %u.png" : "pic%u.png", i);
      g_autofree char *path = path_in (pics, name);

      td_write_picture (path, "png", 20, 20, 0x111111 * (i % 2 + 1), FALSE);
      if (i == 3)
        g_string_append_printf (text, "\"pics/%s\",\"odd \"\"ones\"\"\"\r\n", name);
      else if (i % 2)
        g_string_append_printf (text, "pics/%s,\"odd \"\"ones\"\"\"\r\n", name);
      else
        g_string_append_printf (text, "  pics/%s , even,extra column\r\n", name);
    }
  g_string_append (text, "\r\npics/missing.png,even\r\njust-a-path.png\r\n");
  td_write_bytes (csv, text->str, text->len);
  g_string_free (text, TRUE);

  ds = hs_import (csv, "from-csv", NULL, report, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hs_dataset_get_n_classes (ds), ==, 2);
  g_assert_cmpstr (hs_dataset_get_class_name (ds, 0), ==, "even");
  g_assert_cmpstr (hs_dataset_get_class_name (ds, 1), ==, "odd \"ones\"");
  g_assert_cmpuint (hs_dataset_count (ds, 0, HS_N_SPLITS), ==, 6);
  g_assert_cmpuint (hs_dataset_count (ds, 1, HS_N_SPLITS), ==, 6);
  g_assert_cmpuint (hs_dataset_get_image (ds, 1)[0], ==, 0x22);
  g_assert_cmpuint (report->skipped->len, ==, 2);
  for (guint i = 0; i < report->skipped->len; i++)
    {
      HsImportSkip *skip = g_ptr_array_index (report->skipped, i);

      g_test_message ("skipped %s: %s", skip->file, skip->reason);
      found_missing |= g_str_equal (skip->file, "pics/missing.png");
      found_short |= g_str_equal (skip->file, "labels.csv:16");
    }
  g_assert_true (found_missing);
  g_assert_true (found_short);
}

static void
test_csv_errors (void)
{
  g_autofree char *dir = td_mkdir ("csv-bad");
  g_autofree char *one = path_in (dir, "one.csv");
  g_autofree char *none = path_in (dir, "none.csv");
  g_autofree char *pic = path_in (dir, "p.png");
  g_autoptr(GError) error = NULL;

  td_write_picture (pic, "png", 8, 8, 0, FALSE);
  td_write_bytes (one, "p.png,cat\np.png,cat\np.png,cat\n", 30);
  g_assert_null (hs_import (one, "one", NULL, NULL, NULL, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID);
  td_assert_contains (error->message, "cat");
  g_clear_error (&error);

  td_write_bytes (none, "path,label\n", 11);
  g_assert_null (hs_import (none, "none", NULL, NULL, NULL, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID);
  td_assert_contains (error->message, "no images");
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  g_test_add_func ("/datasets/import/folder", test_folder);
  g_test_add_func ("/datasets/import/folder-deterministic", test_folder_deterministic);
  g_test_add_func ("/datasets/import/folder-errors", test_folder_errors);
  g_test_add_func ("/datasets/import/folder-unreadable", test_folder_unreadable);
  g_test_add_func ("/datasets/import/folder-symlink-loops", test_folder_symlink_loops);
  g_test_add_func ("/datasets/import/cancel", test_cancel);
  g_test_add_func ("/datasets/import/name-exists", test_name_exists);
  g_test_add_func ("/datasets/import/idx", test_idx);
  g_test_add_func ("/datasets/import/idx-errors", test_idx_errors);
  g_test_add_func ("/datasets/import/csv", test_csv);
  g_test_add_func ("/datasets/import/csv-errors", test_csv_errors);
  return g_test_run ();
}
