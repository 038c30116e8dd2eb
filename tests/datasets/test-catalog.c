/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in catalog: recipe parsing and its errors, missing packages,
 * and a few small recipes built from packages build-aux/setup installs
 * (DejaVu glyphs, Noto emoji, Fashion-MNIST), checked for class counts,
 * non-blank images, group-disjoint splits and the cache round trip.  A
 * recipe whose packages are not installed is skipped with the reason, as
 * the catalog itself does.  The full catalog build is a command
 * (hyperstar-cli tasks build --all), not a test.
 */
#include <stdlib.h>
#include <string.h>

#include "hs-catalog.h"
#include "hs-image.h"
#include "test-datasets-util.h"

static char *
write_recipe (const char *dir, const char *name, const char *text)
{
  g_autofree char *file = g_strconcat (name, ".task", NULL);
  char *path = g_build_filename (dir, file, NULL);

  td_write_bytes (path, text, strlen (text));
  return path;
}

static HsTaskRecipe *
load_one (const char *name, const char *text)
{
  static guint serial;
  g_autofree char *dir_name = g_strdup_printf ("recipes-%u", serial++);
  g_autofree char *dir = td_mkdir (dir_name);
  g_autofree char *path = write_recipe (dir, name, text);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) catalog = hs_catalog_load (dir, &error);
  HsTaskRecipe *recipe;

  g_assert_no_error (error);
  g_assert_cmpuint (catalog->len, ==, 1);
  recipe = g_ptr_array_steal_index (catalog, 0);
  return recipe;
}

/* The error a single bad recipe gives, which must name its file. */
static char *
load_error (const char *name, const char *text)
{
  g_autofree char *dir_name = g_strconcat ("bad-", name, NULL);
  g_autofree char *dir = td_mkdir (dir_name);
  g_autofree char *path = write_recipe (dir, name, text);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) catalog = hs_catalog_load (dir, &error);

  g_assert_null (catalog);
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, path));
  return g_strdup (error->message);
}

/* Skips the test (with the reason) unless the recipe can be built here. */
static gboolean
require_packages (HsTaskRecipe *recipe)
{
  g_autofree char *missing = hs_task_missing_packages (recipe);

  if (missing != NULL)
    {
      g_autofree char *why = g_strdup_printf ("packages not installed: %s (build-aux/setup "
                                              "installs them)", missing);
      g_test_skip (why);
      return FALSE;
    }
  return TRUE;
}

/* Every image non-blank, every group in one split only, every class in
 * every split. */
static void
check_dataset (HsDataset *ds, guint classes)
{
  g_autoptr(GHashTable) split_of = g_hash_table_new (g_direct_hash, g_direct_equal);
  gsize n = hs_dataset_get_n_images (ds);

  g_assert_cmpuint (hs_dataset_get_n_classes (ds), ==, classes);
  g_assert_cmpuint (hs_dataset_get_size (ds), ==, HS_DATASET_DEFAULT_SIZE);
  for (gsize i = 0; i < n; i++)
    {
      guint32 group = hs_dataset_get_group (ds, i);
      HsSplit split = hs_dataset_get_split (ds, i);
      gpointer seen;

      g_assert_false (hs_image_is_blank (hs_dataset_get_image (ds, i), hs_dataset_get_size (ds),
                                         2.0));
      if (group == 0)
        continue;
      if (g_hash_table_lookup_extended (split_of, GUINT_TO_POINTER (group), NULL, &seen))
        g_assert_cmpint (GPOINTER_TO_INT (seen), ==, split);
      else
        g_hash_table_insert (split_of, GUINT_TO_POINTER (group), GINT_TO_POINTER (split));
    }
  for (guint c = 0; c < classes; c++)
    for (int s = 0; s < HS_N_SPLITS; s++)
      g_assert_cmpuint (hs_dataset_count (ds, c, s), >, 0);
  g_assert_nonnull (hs_dataset_get_meta (ds, "family"));
  g_assert_nonnull (hs_dataset_get_meta (ds, "licence"));
  g_assert_nonnull (hs_dataset_get_meta (ds, "package"));
}

/* Built, found built, and loaded back image for image. */
static void
check_round_trip (HsTaskRecipe *recipe, HsDataset *built)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsDataset) loaded = NULL;
  gsize bytes = (gsize) hs_dataset_get_size (built) * hs_dataset_get_size (built) * 3;

  g_assert_true (hs_task_is_built (recipe));
  loaded = hs_task_load (recipe, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hs_dataset_get_n_images (loaded), ==, hs_dataset_get_n_images (built));
  g_assert_cmpstr (hs_dataset_get_meta (loaded, "recipe-sha256"), ==, recipe->sha256);
  for (gsize i = 0; i < hs_dataset_get_n_images (built); i++)
    {
      g_assert_cmpint (memcmp (hs_dataset_get_image (loaded, i), hs_dataset_get_image (built, i),
                               bytes), ==, 0);
      g_assert_cmpuint (hs_dataset_get_label (loaded, i), ==, hs_dataset_get_label (built, i));
      g_assert_cmpint (hs_dataset_get_split (loaded, i), ==, hs_dataset_get_split (built, i));
    }
}

static void
test_parse_good (void)
{
  g_autoptr(HsTaskRecipe) recipe = load_one ("good-recipe",
    "# a comment\n"
    "[Task]\n"
    "family=letters\n"
    "description=A test recipe\n"
    "packages=fonts-dejavu-core; dpkg\n"
    "licence=test\n"
    "builder=glyphs\n"
    "max-per-class=20\n"
    "[Source]\n"
    "classes=A;B\n");
  g_autofree char *contents = NULL;
  g_autofree char *sha = NULL;
  gsize len;

  g_assert_cmpstr (recipe->name, ==, "good-recipe");
  g_assert_cmpstr (recipe->family, ==, "letters");
  g_assert_cmpstr (recipe->description, ==, "A test recipe");
  g_assert_cmpstr (recipe->licence, ==, "test");
  g_assert_cmpstr (recipe->builder, ==, "glyphs");
  g_assert_cmpuint (g_strv_length (recipe->packages), ==, 2);
  g_assert_cmpstr (recipe->packages[0], ==, "fonts-dejavu-core");
  g_assert_cmpstr (recipe->packages[1], ==, "dpkg");
  g_assert_true (g_file_get_contents (recipe->path, &contents, &len, NULL));
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
  g_assert_cmpstr (recipe->sha256, ==, sha);
  g_assert_nonnull (recipe->keyfile);
}

static const struct {
  const char *name;
  const char *text;
  const char *needle;   /* what the message must mention */
} bad_recipes[] = {
  { "no-family", "[Task]\ndescription=d\npackages=dpkg\nlicence=l\nbuilder=idx\n", "family" },
  { "no-packages", "[Task]\nfamily=f\ndescription=d\nlicence=l\nbuilder=idx\n", "packages" },
  { "bad-builder", "[Task]\nfamily=f\ndescription=d\npackages=dpkg\nlicence=l\nbuilder=magic\n",
    "builder" },
  { "bad-number", "[Task]\nfamily=f\ndescription=d\npackages=dpkg\nlicence=l\nbuilder=idx\n"
    "max-per-class=lots\n", "max-per-class" },
  { "bad-fraction", "[Task]\nfamily=f\ndescription=d\npackages=dpkg\nlicence=l\nbuilder=idx\n"
    "test-fraction=0.9\n", "test-fraction" },
  { "bad-package", "[Task]\nfamily=f\ndescription=d\npackages=Not_A_Package\nlicence=l\n"
    "builder=idx\n", "packages" },
  { "bad-fetch", "[Task]\nfamily=f\ndescription=d\npackages=dpkg\nfetch=other\nlicence=l\n"
    "builder=idx\n", "fetch" },
  { "bad-name", "[Task]\nname=other\nfamily=f\ndescription=d\npackages=dpkg\nlicence=l\n"
    "builder=idx\n", "name" },
  { "no-task-group", "[Source]\nclasses=A;B\n", "[Task]" },
  { "not-a-key-file", "this is not a recipe\n", "key file" },
};

static void
test_parse_bad (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_recipes); i++)
    {
      g_autofree char *message = load_error (bad_recipes[i].name, bad_recipes[i].text);

      if (strstr (message, bad_recipes[i].needle) == NULL)
        g_error ("%s: “%s” does not mention %s", bad_recipes[i].name, message,
                 bad_recipes[i].needle);
    }
}

/* A [Source] key a builder needs is reported at build time, naming the
 * file and the key. */
static void
test_source_key_error (void)
{
  g_autoptr(HsTaskRecipe) recipe = load_one ("idx-no-labels",
    "[Task]\nfamily=f\ndescription=d\npackages=dpkg\nlicence=l\nbuilder=idx\n"
    "[Source]\nimages=/nonexistent.gz\nlabel-names=a;b\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(HsDataset) ds = hs_task_build (recipe, NULL, NULL, NULL, &error);

  g_assert_null (ds);
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, recipe->path));
  g_assert_nonnull (strstr (error->message, "labels"));
}

static void
test_missing_packages (void)
{
  g_autoptr(HsTaskRecipe) recipe = load_one ("needs-missing",
    "[Task]\nfamily=f\ndescription=d\nlicence=l\nbuilder=glyphs\n"
    "packages=dpkg;hs-no-such-package-a;hs-no-such-package-b\n"
    "[Source]\nclasses=A;B\n");
  g_autofree char *missing = hs_task_missing_packages (recipe);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsDataset) ds = NULL;
  g_autofree char *cache = hs_task_cache_path (recipe);

  g_assert_cmpstr (missing, ==, "hs-no-such-package-a hs-no-such-package-b");
  ds = hs_task_build (recipe, NULL, NULL, NULL, &error);
  g_assert_null (ds);
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_MISSING);
  g_assert_nonnull (strstr (error->message, "hs-no-such-package-a hs-no-such-package-b"));
  /* Skipped, never faked: nothing was written. */
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));
  g_assert_false (hs_task_is_built (recipe));
}

/* dpkg is on every Debian system; the images come from a test IDX file. */
static void
write_idx (const char *images, const char *labels)
{
  /* 3 classes × 8 images of 4×4: class c is a diagonal stripe pattern;
   * every fourth image is flat, which must be rejected as blank. */
  guint n = 24;
  g_autoptr(GByteArray) img = g_byte_array_new ();
  g_autoptr(GByteArray) lab = g_byte_array_new ();
  const guint8 img_header[16] = { 0, 0, 8, 3, 0, 0, 0, n, 0, 0, 0, 4, 0, 0, 0, 4 };
  const guint8 lab_header[8] = { 0, 0, 8, 1, 0, 0, 0, n };

  g_byte_array_append (img, img_header, sizeof img_header);
  g_byte_array_append (lab, lab_header, sizeof lab_header);
  for (guint i = 0; i < n; i++)
    {
      guint8 label = i % 3;
      for (guint p = 0; p < 16; p++)
        {
          guint8 v = (i % 4 == 3) ? 128 : (((p / 4 + p % 4 + label) % 3) == 0 ? 255 : 0);
          g_byte_array_append (img, &v, 1);
        }
      g_byte_array_append (lab, &label, 1);
    }
  td_write_bytes (images, img->data, img->len);
  td_write_bytes (labels, lab->data, lab->len);
}

static void
test_blank_rejected (void)
{
  g_autofree char *dir = td_mkdir ("idx-data");
  g_autofree char *images = g_build_filename (dir, "images-idx3-ubyte", NULL);
  g_autofree char *labels = g_build_filename (dir, "labels-idx1-ubyte", NULL);
  g_autofree char *text = NULL;
  g_autoptr(HsTaskRecipe) recipe = NULL;
  g_autoptr(HsDataset) ds = NULL;
  g_autoptr(GError) error = NULL;

  write_idx (images, labels);
  text = g_strdup_printf ("[Task]\nfamily=test\ndescription=d\npackages=dpkg\nlicence=l\n"
                          "builder=idx\nmin-per-class=3\n"
                          "[Source]\nimages=%s\nlabels=%s\nlabel-names=a;b;c\n", images, labels);
  recipe = load_one ("idx-blank", text);
  if (!require_packages (recipe))
    return;
  ds = hs_task_build (recipe, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  /* 24 images, 6 of them flat. */
  g_assert_cmpuint (hs_dataset_get_n_images (ds), ==, 18);
  g_assert_cmpstr (hs_dataset_get_meta (ds, "rejected-blank"), ==, "6");
  check_dataset (ds, 3);
  check_round_trip (recipe, ds);
}

static void
test_glyphs (void)
{
  g_autoptr(HsTaskRecipe) recipe = load_one ("glyphs-dejavu",
    "[Task]\nfamily=letters\ndescription=d\nlicence=l\nbuilder=glyphs\n"
    "packages=fonts-dejavu-core\nmin-per-class=3\n"
    "[Source]\nclasses=A;B;C;D\nfonts=DejaVu Sans;DejaVu Serif;DejaVu Sans Mono\nstyles=all\n");
  g_autoptr(HsDataset) ds = NULL;
  g_autoptr(GError) error = NULL;

  if (!require_packages (recipe))
    return;
  ds = hs_task_build (recipe, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  check_dataset (ds, 4);
  g_assert_cmpstr (hs_dataset_get_class_name (ds, 0), ==, "A");
  /* Three families, so three groups: one per split. */
  for (guint c = 0; c < 4; c++)
    g_assert_cmpuint (hs_dataset_count (ds, c, HS_N_SPLITS), >=, 3);
  check_round_trip (recipe, ds);
}

/* A font that does not have the character is never asked to draw it:
 * DejaVu Sans Mono has no Hiragana, and Pango's fallback must not be used. */
static void
test_glyph_coverage (void)
{
  g_autoptr(HsTaskRecipe) recipe = load_one ("glyphs-uncovered",
    "[Task]\nfamily=letters\ndescription=d\nlicence=l\nbuilder=glyphs\n"
    "packages=fonts-dejavu-core\n"
    "[Source]\nclasses=あ;い\nfonts=DejaVu Sans Mono\n");
  g_autoptr(HsDataset) ds = NULL;
  g_autoptr(GError) error = NULL;

  if (!require_packages (recipe))
    return;
  ds = hs_task_build (recipe, NULL, NULL, NULL, &error);
  g_assert_null (ds);
  g_assert_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_MISSING);
}

static void
test_emoji (void)
{
  g_autoptr(HsTaskRecipe) recipe = load_one ("emoji-subset",
    "[Task]\nfamily=emoji\ndescription=d\nlicence=l\nbuilder=emoji\n"
    "packages=fonts-noto-color-emoji;unicode-data\nmax-per-class=12\nmin-per-class=8\n"
    "[Source]\nemoji-test=/usr/share/unicode/emoji/emoji-test.txt\npackage=unicode-data\n"
    "label=subgroup\nsubgroups=animal-mammal;animal-bird;food-fruit\n");
  g_autoptr(HsDataset) ds = NULL;
  g_autoptr(GError) error = NULL;
  gboolean colour = FALSE;

  if (!require_packages (recipe))
    return;
  ds = hs_task_build (recipe, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  check_dataset (ds, 3);
  g_assert_cmpstr (hs_dataset_get_class_name (ds, 0), ==, "animal-mammal");
  g_assert_cmpuint (hs_dataset_count (ds, 0, HS_N_SPLITS), ==, 12);
  /* Colour bitmaps, not black outlines from a fallback font. */
  for (gsize i = 0; i < hs_dataset_get_n_images (ds) && !colour; i++)
    {
      const guint8 *p = hs_dataset_get_image (ds, i);
      for (guint k = 0; k < 32 * 32 && !colour; k++)
        colour = abs (p[3 * k] - p[3 * k + 1]) > 60 || abs (p[3 * k + 1] - p[3 * k + 2]) > 60;
    }
  g_assert_true (colour);
  check_round_trip (recipe, ds);
}

static void
test_fashion_subset (void)
{
  g_autoptr(HsTaskRecipe) recipe = load_one ("fashion-subset",
    "[Task]\nfamily=clothing\ndescription=d\nlicence=l\nbuilder=idx\n"
    "packages=dataset-fashion-mnist\nmax-per-class=30\n"
    "[Source]\n"
    "images=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz\n"
    "labels=/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz\n"
    "label-names=T-shirt/top;Trouser;Pullover;Dress;Coat;Sandal;Shirt;Sneaker;Bag;Ankle boot\n"
    "classes=Bag;Sandal\n");
  g_autoptr(HsDataset) ds = NULL;
  g_autoptr(GError) error = NULL;

  if (!require_packages (recipe))
    return;
  ds = hs_task_build (recipe, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  check_dataset (ds, 2);
  g_assert_cmpstr (hs_dataset_get_class_name (ds, 0), ==, "Bag");
  g_assert_cmpuint (hs_dataset_get_n_images (ds), ==, 60);
  g_assert_cmpstr (hs_dataset_get_meta (ds, "package"), ==, "dataset-fashion-mnist");
  check_round_trip (recipe, ds);
}

/* An edited recipe makes the cache stale. */
static void
test_stale_cache (void)
{
  g_autoptr(HsTaskRecipe) recipe = load_one ("fashion-subset", "[Task]\nfamily=clothing\n"
    "description=d, edited\nlicence=l\nbuilder=idx\npackages=dataset-fashion-mnist\n"
    "max-per-class=30\n[Source]\nimages=x\nlabels=y\nlabel-names=a;b\n");

  /* Same name as test_fashion_subset's, another checksum. */
  g_assert_false (hs_task_is_built (recipe));
}

static void
test_cancelled (void)
{
  g_autoptr(HsTaskRecipe) recipe = load_one ("glyphs-cancelled",
    "[Task]\nfamily=letters\ndescription=d\nlicence=l\nbuilder=glyphs\n"
    "packages=fonts-dejavu-core\nmin-per-class=3\n"
    "[Source]\nclasses=A;B;C\nfonts=DejaVu Sans;DejaVu Serif;DejaVu Sans Mono\nstyles=all\n");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(HsDataset) ds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cache = hs_task_cache_path (recipe);

  if (!require_packages (recipe))
    return;
  g_cancellable_cancel (cancellable);
  ds = hs_task_build (recipe, NULL, NULL, cancellable, &error);
  g_assert_null (ds);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));
}

/* The shipped recipes all parse, and make the catalog the project
 * promises: at least 40 tasks from at least 8 families. */
static void
test_shipped_catalog (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) catalog = hs_catalog_load (HS_SOURCE_TASKS_DIR, &error);
  g_autoptr(GHashTable) families = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_no_error (error);
  g_assert_cmpuint (catalog->len, >=, 40);
  for (guint i = 0; i < catalog->len; i++)
    {
      HsTaskRecipe *recipe = g_ptr_array_index (catalog, i);

      g_assert_nonnull (recipe->family);
      g_assert_nonnull (recipe->licence);
      g_hash_table_add (families, recipe->family);
      g_assert_nonnull (hs_catalog_find (catalog, recipe->name));
    }
  g_assert_cmpuint (g_hash_table_size (families), >=, 8);
  g_assert_null (hs_catalog_find (catalog, "no-such-task"));
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);

  g_test_add_func ("/catalog/parse/good", test_parse_good);
  g_test_add_func ("/catalog/parse/bad", test_parse_bad);
  g_test_add_func ("/catalog/parse/source-key", test_source_key_error);
  g_test_add_func ("/catalog/shipped", test_shipped_catalog);
  g_test_add_func ("/catalog/missing-packages", test_missing_packages);
  g_test_add_func ("/catalog/build/blank-rejected", test_blank_rejected);
  g_test_add_func ("/catalog/build/glyphs", test_glyphs);
  g_test_add_func ("/catalog/build/glyph-coverage", test_glyph_coverage);
  g_test_add_func ("/catalog/build/emoji", test_emoji);
  g_test_add_func ("/catalog/build/fashion-subset", test_fashion_subset);
  g_test_add_func ("/catalog/build/stale-cache", test_stale_cache);
  g_test_add_func ("/catalog/build/cancelled", test_cancelled);
  return g_test_run ();
}
