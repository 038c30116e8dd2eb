/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dataset in memory, its splits, its file, the store and contact
 * sheets.
 */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hs-dataset-store.h"
#include "test-datasets-util.h"

static const guint uneven[] = { 10, 47, 200, 3 };

/* Splits: every image's split, as a string ("tvvt…"), for comparing runs. */
static char *
split_string (HsDataset *ds)
{
  gsize n = hs_dataset_get_n_images (ds);
  char *s = g_new (char, n + 1);

  for (gsize i = 0; i < n; i++)
    s[i] = "tvx"[hs_dataset_get_split (ds, i)];
  s[n] = '\0';
  return s;
}

static void
test_classes_and_meta (void)
{
  g_autoptr(HsDataset) ds = hs_dataset_new ("meta", 8);
  g_auto(GStrv) keys = NULL;

  g_assert_cmpuint (hs_dataset_add_class (ds, "zebra"), ==, 0);
  g_assert_cmpuint (hs_dataset_add_class (ds, "ant"), ==, 1);
  g_assert_cmpuint (hs_dataset_add_class (ds, "zebra"), ==, 0);
  g_assert_cmpint (hs_dataset_lookup_class (ds, "ant"), ==, 1);
  g_assert_cmpint (hs_dataset_lookup_class (ds, "bee"), ==, -1);
  g_assert_cmpstr (hs_dataset_get_class_name (ds, 1), ==, "ant");

  hs_dataset_set_meta (ds, "family", "glyphs");
  hs_dataset_set_meta (ds, "description", "Lettres accentuées");
  hs_dataset_set_meta (ds, "gone", "x");
  hs_dataset_set_meta (ds, "gone", NULL);
  keys = hs_dataset_get_meta_keys (ds);
  g_assert_cmpuint (g_strv_length (keys), ==, 2);
  g_assert_cmpstr (keys[0], ==, "description");
  g_assert_cmpstr (hs_dataset_get_meta (ds, "family"), ==, "glyphs");
  g_assert_null (hs_dataset_get_meta (ds, "gone"));
}

/* Without groups each class is cut exactly by the fractions. */
static void
test_splits_stratified (void)
{
  g_autoptr(HsDataset) ds = td_make_dataset ("strat", 4, uneven, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_dataset_make_splits (ds, 7, 0.15, 0.15, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hs_dataset_get_split_seed (ds), ==, 7);
  for (guint c = 0; c < 4; c++)
    {
      gsize n = uneven[c];
      gsize val = hs_dataset_count (ds, c, HS_SPLIT_VAL);
      gsize test = hs_dataset_count (ds, c, HS_SPLIT_TEST);

      g_test_message ("class %u: %zu train, %zu val, %zu test", c,
                      hs_dataset_count (ds, c, HS_SPLIT_TRAIN), val, test);
      g_assert_cmpuint (val, >=, 1);
      g_assert_cmpuint (test, >=, 1);
      g_assert_cmpuint (hs_dataset_count (ds, c, HS_SPLIT_TRAIN), >=, 1);
      g_assert_cmpuint (hs_dataset_count (ds, c, HS_N_SPLITS), ==, n);
      if (n >= 10)
        {
          g_assert_cmpfloat (fabs ((double) val / n - 0.15), <=, 0.5 / n + 1e-9);
          g_assert_cmpfloat (fabs ((double) test / n - 0.15), <=, 0.5 / n + 1e-9);
        }
    }
  g_assert_cmpuint (hs_dataset_count (ds, 2, HS_SPLIT_VAL), ==, 30);
  g_assert_cmpuint (hs_dataset_count (ds, G_MAXUINT, HS_N_SPLITS), ==, 260);
}

/* One seed names one split; another seed gives another. */
static void
test_splits_deterministic (void)
{
  g_autoptr(HsDataset) a = td_make_dataset ("a", 4, uneven, NULL);
  g_autoptr(HsDataset) b = td_make_dataset ("b", 4, uneven, NULL);
  g_autofree char *sa = NULL, *sb = NULL, *sc = NULL;

  g_assert_true (hs_dataset_make_splits (a, 42, 0.15, 0.15, NULL));
  g_assert_true (hs_dataset_make_splits (b, 42, 0.15, 0.15, NULL));
  sa = split_string (a);
  sb = split_string (b);
  g_assert_cmpstr (sa, ==, sb);
  g_assert_true (hs_dataset_make_splits (b, 43, 0.15, 0.15, NULL));
  sc = split_string (b);
  g_assert_cmpstr (sa, !=, sc);
  /* The counts do not depend on the seed. */
  for (guint c = 0; c < 4; c++)
    g_assert_cmpuint (hs_dataset_count (a, c, HS_SPLIT_VAL), ==,
                      hs_dataset_count (b, c, HS_SPLIT_VAL));
}

/* 30 "fonts", each with 2–3 images of every class: a font stays in one
 * split, every class is in every split, and the fractions come close. */
static guint32
font_of (guint klass, guint index)
{
  return 1 + index % 30;
}

static void
test_splits_groups (void)
{
  static const guint counts[] = { 90, 90, 80 };
  g_autoptr(HsDataset) ds = td_make_dataset ("groups", 3, counts, font_of);
  g_autoptr(GHashTable) split_of = g_hash_table_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL, *again = NULL;

  g_assert_true (hs_dataset_make_splits (ds, 1, 0.2, 0.2, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < hs_dataset_get_n_images (ds); i++)
    {
      gpointer group = GUINT_TO_POINTER (hs_dataset_get_group (ds, i));
      gpointer split = GUINT_TO_POINTER (hs_dataset_get_split (ds, i) + 1);
      gpointer seen = g_hash_table_lookup (split_of, group);

      if (seen == NULL)
        g_hash_table_insert (split_of, group, split);
      else
        g_assert_true (seen == split);
    }
  g_assert_cmpuint (g_hash_table_size (split_of), >=, 20);
  for (guint c = 0; c < 3; c++)
    for (guint s = 0; s < HS_N_SPLITS; s++)
      {
        double fraction = (double) hs_dataset_count (ds, c, s) / counts[c];
        double want = s == HS_SPLIT_TRAIN ? 0.6 : 0.2;

        g_test_message ("class %u split %u: %.3f", c, s, fraction);
        g_assert_cmpfloat (fabs (fraction - want), <, 0.08);
      }

  first = split_string (ds);
  g_assert_true (hs_dataset_make_splits (ds, 1, 0.2, 0.2, NULL));
  again = split_string (ds);
  g_assert_cmpstr (first, ==, again);
}

/* Two fonts cannot fill three splits: an error naming the class. */
static guint32
two_fonts (guint klass, guint index)
{
  return klass == 1 ? 1 + index % 2 : 10 + index;
}

static void
test_splits_groups_too_few (void)
{
  static const guint counts[] = { 12, 12 };
  g_autoptr(HsDataset) ds = td_make_dataset ("few-groups", 2, counts, two_fonts);
  g_autoptr(GError) error = NULL;

  g_assert_false (hs_dataset_make_splits (ds, 1, 0.15, 0.15, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID);
  td_assert_contains (error->message, "class-1");
  td_assert_contains (error->message, "2 groups");
  g_assert_cmpuint (hs_dataset_count (ds, G_MAXUINT, HS_SPLIT_TRAIN), ==, 24);
}

static void
test_splits_errors (void)
{
  static const guint one[] = { 10 };
  static const guint tiny[] = { 10, 2 };
  static const guint empty[] = { 10, 0, 5 };
  g_autoptr(HsDataset) a = td_make_dataset ("one", 1, one, NULL);
  g_autoptr(HsDataset) b = td_make_dataset ("tiny", 2, tiny, NULL);
  g_autoptr(HsDataset) c = td_make_dataset ("empty", 3, empty, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (hs_dataset_make_splits (a, 0, 0.15, 0.15, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID);
  td_assert_contains (error->message, "class-0");
  td_assert_contains (error->message, "at least 2");
  g_clear_error (&error);

  g_assert_false (hs_dataset_make_splits (b, 0, 0.15, 0.15, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID);
  td_assert_contains (error->message, "class “class-1” has 2 images");
  td_assert_contains (error->message, "at least 3");
  g_clear_error (&error);

  g_assert_false (hs_dataset_make_splits (c, 0, 0.15, 0.15, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID);
  td_assert_contains (error->message, "class “class-1” has no images");
  g_clear_error (&error);

  g_assert_false (hs_dataset_make_splits (b, 0, 0.6, 0.5, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID);
}

static HsDataset *
make_saved_dataset (void)
{
  static const guint counts[] = { 6, 9, 5 };
  HsDataset *ds = td_make_dataset ("round-trip", 3, counts, font_of);

  hs_dataset_set_meta (ds, "family", "glyphs");
  hs_dataset_set_meta (ds, "description", "Ünïcödé \"quoted\"\nand a newline");
  hs_dataset_add_class (ds, "日本語");
  for (guint i = 0; i < 4; i++)
    {
      guint8 image[8 * 8 * 3];

      memset (image, 200 + i, sizeof image);
      hs_dataset_add_image (ds, image, 3, 0);
    }
  g_assert_true (hs_dataset_make_splits (ds, 99, 0.2, 0.2, NULL));
  return ds;
}

static void
assert_same_dataset (HsDataset *a, HsDataset *b)
{
  gsize n = hs_dataset_get_n_images (a);
  g_auto(GStrv) keys = hs_dataset_get_meta_keys (a);
  g_auto(GStrv) keys_b = hs_dataset_get_meta_keys (b);

  g_assert_cmpstr (hs_dataset_get_name (a), ==, hs_dataset_get_name (b));
  g_assert_cmpuint (hs_dataset_get_size (a), ==, hs_dataset_get_size (b));
  g_assert_cmpuint (hs_dataset_get_split_seed (a), ==, hs_dataset_get_split_seed (b));
  g_assert_cmpuint (hs_dataset_get_n_classes (a), ==, hs_dataset_get_n_classes (b));
  for (guint c = 0; c < hs_dataset_get_n_classes (a); c++)
    g_assert_cmpstr (hs_dataset_get_class_name (a, c), ==, hs_dataset_get_class_name (b, c));
  g_assert_cmpstrv (keys, keys_b);
  for (guint i = 0; keys[i] != NULL; i++)
    g_assert_cmpstr (hs_dataset_get_meta (a, keys[i]), ==, hs_dataset_get_meta (b, keys[i]));
  g_assert_cmpuint (n, ==, hs_dataset_get_n_images (b));
  for (gsize i = 0; i < n; i++)
    {
      gsize bytes = (gsize) hs_dataset_get_size (a) * hs_dataset_get_size (a) * 3;

      g_assert_cmpuint (hs_dataset_get_label (a, i), ==, hs_dataset_get_label (b, i));
      g_assert_cmpuint (hs_dataset_get_group (a, i), ==, hs_dataset_get_group (b, i));
      g_assert_cmpuint (hs_dataset_get_split (a, i), ==, hs_dataset_get_split (b, i));
      g_assert_cmpmem (hs_dataset_get_image (a, i), bytes, hs_dataset_get_image (b, i), bytes);
    }
}

static char *
saved_file (const char *name)
{
  g_autoptr(HsDataset) ds = make_saved_dataset ();
  g_autofree char *dir = td_mkdir ("files");
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_dataset_save (ds, path, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_file_round_trip (void)
{
  g_autoptr(HsDataset) ds = make_saved_dataset ();
  g_autoptr(HsDataset) loaded = NULL;
  g_autoptr(HsDataset) header = NULL;
  g_autofree char *path = saved_file ("a.hsds");
  g_autofree char *again = g_strconcat (path, ".again.hsds", NULL);
  g_autofree char *bytes_a = NULL, *bytes_b = NULL;
  g_autoptr(GError) error = NULL;
  gsize len_a, len_b, n_images = 0;

  loaded = hs_dataset_load (path, &error);
  g_assert_no_error (error);
  assert_same_dataset (ds, loaded);

  /* Saving what was loaded gives the same bytes. */
  g_assert_true (hs_dataset_save (loaded, again, &error));
  g_assert_true (g_file_get_contents (path, &bytes_a, &len_a, NULL));
  g_assert_true (g_file_get_contents (again, &bytes_b, &len_b, NULL));
  g_assert_cmpmem (bytes_a, len_a, bytes_b, len_b);
  g_assert_cmpmem (bytes_a, 4, "HSDS", 4);

  /* The header alone: counts and metadata for listings, no pixels. */
  header = hs_dataset_load_header (path, &n_images, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_images, ==, 24);
  g_assert_cmpuint (hs_dataset_get_n_images (header), ==, 0);
  g_assert_cmpuint (hs_dataset_get_n_classes (header), ==, 4);
  g_assert_cmpstr (hs_dataset_get_class_name (header, 3), ==, "日本語");
  g_assert_cmpstr (hs_dataset_get_meta (header, "family"), ==, "glyphs");
  for (guint s = 0; s < HS_N_SPLITS; s++)
    g_assert_cmpuint (hs_dataset_count (header, G_MAXUINT, s), ==,
                      hs_dataset_count (ds, G_MAXUINT, s));
}

/* Damage found anywhere is an error naming the file. */
static void
test_file_corrupt_byte (void)
{
  g_autofree char *path = saved_file ("corrupt.hsds");
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsDataset) ds = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  data[len - 100] ^= 0x01;   /* a pixel */
  td_write_bytes (path, data, len);
  ds = hs_dataset_load (path, &error);
  g_assert_null (ds);
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT);
  td_assert_contains (error->message, "corrupt.hsds");
  td_assert_contains (error->message, "checksum");
}

static void
test_file_truncated (void)
{
  g_autofree char *path = saved_file ("truncated.hsds");
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize len, n;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  td_write_bytes (path, data, len - 10);
  g_assert_null (hs_dataset_load (path, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT);
  td_assert_contains (error->message, "truncated.hsds");
  td_assert_contains (error->message, "truncated");
  g_clear_error (&error);
  /* Listings notice it too. */
  g_assert_null (hs_dataset_load_header (path, &n, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT);
  g_clear_error (&error);

  /* Cut inside the header. */
  td_write_bytes (path, data, 20);
  g_assert_null (hs_dataset_load (path, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT);
  g_clear_error (&error);

  td_write_bytes (path, "", 0);
  g_assert_null (hs_dataset_load (path, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT);
  td_assert_contains (error->message, "not a HyperSTAR dataset");
}

static void
test_file_version (void)
{
  g_autofree char *path = saved_file ("newer.hsds");
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  data[4] = 2;
  td_write_bytes (path, data, len);
  g_assert_null (hs_dataset_load (path, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_VERSION);
  td_assert_contains (error->message, "newer.hsds");
  td_assert_contains (error->message, "version 2");
  g_clear_error (&error);

  memcpy (data, "PNG!", 4);
  td_write_bytes (path, data, len);
  g_assert_null (hs_dataset_load (path, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT);
}

/* A header whose counts are damaged (and checksum patched up to match, as
 * a buggy writer would) is still refused. */
static void
test_file_counts_checked (void)
{
  g_autofree char *path = saved_file ("counts.hsds");
  g_autofree char *data = NULL;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GError) error = NULL;
  guint32 header_len;
  gsize len, digest_len = 32;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  memcpy (&header_len, data + 8, 4);
  header_len = GUINT32_FROM_LE (header_len);
  /* The last class's test count is the header's last 8 bytes. */
  data[12 + header_len - 8] += 1;
  data[12 + header_len - 24] -= 1;
  g_checksum_update (sum, (const guint8 *) data, len - 32);
  g_checksum_get_digest (sum, (guint8 *) data + len - 32, &digest_len);
  td_write_bytes (path, data, len);
  g_assert_null (hs_dataset_load (path, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT);
  td_assert_contains (error->message, "counts");
}

static gboolean
has_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_test_message ("left behind: %s", name);
      return TRUE;
    }
  return FALSE;
}

/* A failed save leaves nothing: neither a partial file nor a temporary. */
static void
test_file_failed_save (void)
{
  g_autoptr(HsDataset) ds = make_saved_dataset ();
  g_autofree char *dir = td_mkdir ("failed-save");
  g_autofree char *blocker = g_build_filename (dir, "taken.hsds", NULL);
  g_autofree char *inside = g_build_filename (blocker, "x", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "x.hsds", NULL);
  g_autoptr(GError) error = NULL;

  /* A folder in the way: the rename fails after the whole file was written. */
  g_assert_cmpint (g_mkdir (blocker, 0755), ==, 0);
  td_write_bytes (inside, "x", 1);
  g_assert_false (hs_dataset_save (ds, blocker, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_IO);
  td_assert_contains (error->message, "taken.hsds");
  g_clear_error (&error);
  g_assert_cmpint (g_unlink (inside), ==, 0);
  g_assert_cmpint (g_rmdir (blocker), ==, 0);
  g_assert_false (has_entries (dir));

  g_assert_false (hs_dataset_save (ds, missing, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_IO);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_assert_false (has_entries (dir));
}

static void
test_store (void)
{
  static const guint counts[] = { 5, 5 };
  g_autoptr(HsDataset) ds = td_make_dataset ("pets", 2, counts, NULL);
  g_autoptr(HsDataset) other = td_make_dataset ("pets", 2, uneven, NULL);
  g_autoptr(HsDataset) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *data_dir = hs_data_dir ();
  g_autofree char *cache_dir = hs_cache_dir ();
  g_autofree char *path = hs_dataset_store_path ("pets");

  g_assert_true (g_str_has_prefix (data_dir, td_tmp ()));
  g_assert_true (g_str_has_prefix (cache_dir, td_tmp ()));
  g_assert_true (g_str_has_prefix (path, data_dir));
  g_assert_true (g_str_has_suffix (path, "/datasets/pets.hsds"));

  g_assert_true (hs_dataset_name_is_valid ("Fashion-MNIST_v2.1", NULL));
  g_assert_false (hs_dataset_name_is_valid ("", NULL));
  g_assert_false (hs_dataset_name_is_valid (".hidden", NULL));
  g_assert_false (hs_dataset_name_is_valid ("../escape", &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (hs_dataset_name_is_valid ("with space", NULL));

  g_assert_true (hs_dataset_make_splits (ds, 0, 0.2, 0.2, NULL));
  g_assert_true (hs_dataset_make_splits (other, 0, 0.15, 0.15, NULL));
  g_assert_false (hs_dataset_store_exists ("pets"));
  g_assert_true (hs_dataset_store_save (ds, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (hs_dataset_store_exists ("pets"));

  /* The name is taken: refused, and the first dataset is untouched. */
  g_assert_false (hs_dataset_store_save (other, FALSE, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_EXISTS);
  td_assert_contains (error->message, "pets");
  td_assert_contains (error->message, "--replace");
  g_clear_error (&error);
  loaded = hs_dataset_store_load ("pets", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hs_dataset_get_n_images (loaded), ==, 10);
  g_clear_pointer (&loaded, hs_dataset_free);

  g_assert_true (hs_dataset_store_save (other, TRUE, &error));
  g_assert_no_error (error);
  loaded = hs_dataset_store_load ("pets", &error);
  g_assert_cmpuint (hs_dataset_get_n_images (loaded), ==, 57);

  hs_dataset_set_name (ds, "ants");
  g_assert_true (hs_dataset_store_save (ds, FALSE, NULL));
  names = hs_dataset_store_list (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, "ants");
  g_assert_cmpstr (names[1], ==, "pets");

  g_assert_true (hs_dataset_store_delete ("ants", &error));
  g_assert_false (hs_dataset_store_exists ("ants"));
  g_assert_false (hs_dataset_store_delete ("ants", &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (hs_dataset_store_load ("nothing", &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_NOT_FOUND);
  td_assert_contains (error->message, "nothing");
  g_assert_true (hs_dataset_store_delete ("pets", NULL));
}

/* The sheet is a PNG with one row per class. */
static void
test_sheet (void)
{
  g_autoptr(HsDataset) ds = make_saved_dataset ();
  g_autofree char *dir = td_mkdir ("sheet");
  g_autofree char *path = g_build_filename (dir, "sheet.png", NULL);
  g_autofree char *bad = g_build_filename (dir, "missing", "sheet.png", NULL);
  g_autoptr(GdkPixbuf) png = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_dataset_write_sheet (ds, path, 5, 4, &error));
  g_assert_no_error (error);
  png = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  /* 4 rows of 32-pixel thumbnails, 5 across after the names. */
  g_assert_cmpint (gdk_pixbuf_get_height (png), >, 4 * 32);
  g_assert_cmpint (gdk_pixbuf_get_width (png), >, 5 * 32);

  g_assert_false (hs_dataset_write_sheet (ds, bad, 5, 4, &error));
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_IO);
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  g_test_add_func ("/datasets/dataset/classes-and-meta", test_classes_and_meta);
  g_test_add_func ("/datasets/splits/stratified", test_splits_stratified);
  g_test_add_func ("/datasets/splits/deterministic", test_splits_deterministic);
  g_test_add_func ("/datasets/splits/groups", test_splits_groups);
  g_test_add_func ("/datasets/splits/groups-too-few", test_splits_groups_too_few);
  g_test_add_func ("/datasets/splits/errors", test_splits_errors);
  g_test_add_func ("/datasets/file/round-trip", test_file_round_trip);
  g_test_add_func ("/datasets/file/corrupt-byte", test_file_corrupt_byte);
  g_test_add_func ("/datasets/file/truncated", test_file_truncated);
  g_test_add_func ("/datasets/file/version", test_file_version);
  g_test_add_func ("/datasets/file/counts-checked", test_file_counts_checked);
  g_test_add_func ("/datasets/file/failed-save", test_file_failed_save);
  g_test_add_func ("/datasets/store", test_store);
  g_test_add_func ("/datasets/sheet", test_sheet);
  return g_test_run ();
}
