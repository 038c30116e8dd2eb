/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The part of a catalog build that every builder shares: recipe keys,
 * seeded capping, rendering, blank rejection, dropping classes that came out
 * too small, metadata and splits.
 */
#define G_LOG_DOMAIN "hs-catalog"

#include <string.h>

#include "hs-builder.h"
#include "hs-dataset-store.h"
#include "hs-image.h"
#include "hs-packages.h"

#define SOURCE_GROUP "Source"
#define TASK_GROUP "Task"

/* 0–255 grey standard deviation below which a render counts as empty. */
#define BLANK_STDDEV 2.0

typedef struct {
  guint class_index;
  guint32 group;
  gpointer item;
} Candidate;

typedef struct {
  GByteArray *pixels;
  GArray *groups;   /* guint32 */
  guint n;
} ClassImages;

struct _HsBuild {
  HsTaskRecipe *recipe;
  guint size;
  guint64 seed;
  guint max_per_class;
  guint min_per_class;
  gdouble val_fraction;
  gdouble test_fraction;
  HsProgressFunc progress;
  gpointer progress_data;
  GCancellable *cancellable;
  GPtrArray *class_names;
  GArray *candidates;
  HsRenderFunc render;
  GDestroyNotify item_free;
  gpointer builder_data;
  GDestroyNotify builder_data_free;
  char *source;
};

static const struct {
  const char *name;
  HsBuilderFunc func;
} builders[] = {
  { "idx", hs_builder_idx },
  { "digits", hs_builder_digits },
  { "glyphs", hs_builder_glyphs },
  { "emoji", hs_builder_emoji },
  { "svg", hs_builder_svg },
  { "icons", hs_builder_icons },
  { "symbols", hs_builder_symbols },
  { "textures", hs_builder_textures },
  { "hershey", hs_builder_hershey },
};

HsBuilderFunc
hs_builder_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (builders); i++)
    if (g_strcmp0 (builders[i].name, name) == 0)
      return builders[i].func;
  return NULL;
}

static void
build_free (HsBuild *build)
{
  for (guint i = 0; i < build->candidates->len; i++)
    {
      Candidate *c = &g_array_index (build->candidates, Candidate, i);
      if (build->item_free != NULL && c->item != NULL)
        build->item_free (c->item);
    }
  g_array_unref (build->candidates);
  g_ptr_array_unref (build->class_names);
  if (build->builder_data_free != NULL)
    build->builder_data_free (build->builder_data);
  g_free (build->source);
  g_free (build);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsBuild, build_free)

HsTaskRecipe *
hs_build_get_recipe (HsBuild *build)
{
  return build->recipe;
}

guint
hs_build_get_size (HsBuild *build)
{
  return build->size;
}

guint64
hs_build_get_seed (HsBuild *build)
{
  return build->seed;
}

GCancellable *
hs_build_get_cancellable (HsBuild *build)
{
  return build->cancellable;
}

void
hs_build_progress (HsBuild *build, guint64 done, guint64 total, const char *what)
{
  if (build->progress != NULL)
    build->progress (done, total, what, build->progress_data);
}

void
hs_build_set_source (HsBuild *build, const char *source)
{
  g_free (build->source);
  build->source = g_strdup (source);
}

void
hs_build_key_error (HsBuild *build, GError **error, const char *group, const char *key,
                    const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID, "%s: [%s] %s: %s",
               build->recipe->path, group ? group : SOURCE_GROUP, key, message);
}

gint
hs_build_check_choice (HsBuild *build, const char *key, const char *value,
                       const char *const *choices, GError **error)
{
  g_autoptr(GString) expected = g_string_new (NULL);
  guint n = g_strv_length ((GStrv) choices);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (value, choices[i]))
      return i;
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (expected, i + 1 == n ? " or " : ", ");
      g_string_append (expected, choices[i]);
    }
  hs_build_key_error (build, error, NULL, key, "“%s” is not %s", value, expected->str);
  return -1;
}

char *
hs_build_get_string (HsBuild *build, const char *key, const char *fallback, GError **error)
{
  char *value = g_key_file_get_string (build->recipe->keyfile, SOURCE_GROUP, key, NULL);

  if (value != NULL)
    return g_strstrip (value);
  if (fallback != NULL)
    return g_strdup (fallback);
  hs_build_key_error (build, error, SOURCE_GROUP, key, "missing (the %s builder needs it)",
                      build->recipe->builder);
  return NULL;
}

GStrv
hs_build_get_list (HsBuild *build, const char *key, gboolean required, GError **error)
{
  g_auto(GStrv) raw = g_key_file_get_string_list (build->recipe->keyfile, SOURCE_GROUP, key,
                                                  NULL, NULL);
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();

  for (guint i = 0; raw != NULL && raw[i] != NULL; i++)
    {
      char *item = g_strstrip (raw[i]);
      if (*item != '\0')
        g_strv_builder_add (out, item);
    }
  if (raw == NULL)
    {
      if (required)
        hs_build_key_error (build, error, SOURCE_GROUP, key,
                            "missing (the %s builder needs a list here)", build->recipe->builder);
      return NULL;
    }
  return g_strv_builder_end (out);
}

gboolean
hs_build_get_int (HsBuild *build, const char *key, gint fallback, gint min, gint max,
                  gint *value, GError **error)
{
  g_autofree char *text = g_key_file_get_string (build->recipe->keyfile, SOURCE_GROUP, key, NULL);
  gint64 v;

  if (text == NULL)
    {
      *value = fallback;
      return TRUE;
    }
  if (!g_ascii_string_to_signed (g_strstrip (text), 10, min, max, &v, NULL))
    {
      hs_build_key_error (build, error, SOURCE_GROUP, key, "“%s” is not a whole number from %d to %d",
                          text, min, max);
      return FALSE;
    }
  *value = v;
  return TRUE;
}

gboolean
hs_build_get_bool (HsBuild *build, const char *key, gboolean fallback, gboolean *value,
                   GError **error)
{
  g_autofree char *text = g_key_file_get_string (build->recipe->keyfile, SOURCE_GROUP, key, NULL);

  if (text == NULL)
    *value = fallback;
  else if (g_str_equal (g_strstrip (text), "true"))
    *value = TRUE;
  else if (g_str_equal (text, "false"))
    *value = FALSE;
  else
    {
      hs_build_key_error (build, error, SOURCE_GROUP, key, "“%s” is neither true nor false", text);
      return FALSE;
    }
  return TRUE;
}

guint
hs_build_add_class (HsBuild *build, const char *name)
{
  for (guint i = 0; i < build->class_names->len; i++)
    if (g_str_equal (g_ptr_array_index (build->class_names, i), name))
      return i;
  g_ptr_array_add (build->class_names, g_strdup (name));
  return build->class_names->len - 1;
}

guint
hs_build_get_n_classes (HsBuild *build)
{
  return build->class_names->len;
}

void
hs_build_add_candidate (HsBuild *build, guint class_index, const char *group, gpointer item)
{
  Candidate c = { class_index, 0, item };

  g_return_if_fail (class_index < build->class_names->len);
  if (group != NULL)
    {
      /* 0 means "no group" to the dataset. */
      c.group = g_str_hash (group);
      if (c.group == 0)
        c.group = 1;
    }
  g_array_append_val (build->candidates, c);
}

void
hs_build_set_render (HsBuild *build, HsRenderFunc render, GDestroyNotify item_free,
                     gpointer builder_data, GDestroyNotify builder_data_free)
{
  build->render = render;
  build->item_free = item_free;
  build->builder_data = builder_data;
  build->builder_data_free = builder_data_free;
}

gpointer
hs_build_get_builder_data (HsBuild *build)
{
  return build->builder_data;
}

gboolean
hs_build_fit (HsBuild *build, const guint8 *pixels, guint width, guint height, gsize rowstride,
              guint n_channels, guint8 *rgb)
{
  if (width == 0 || height == 0)
    return FALSE;
  hs_image_fit (pixels, width, height, rowstride, n_channels, build->size, rgb);
  return TRUE;
}

char *
hs_build_package_file (HsBuild *build, const char *package, const char *path, GError **error)
{
  g_auto(GStrv) fetch = g_key_file_get_string_list (build->recipe->keyfile, TASK_GROUP, "fetch",
                                                    NULL, NULL);
  g_autofree char *root = NULL;

  if (hs_package_is_installed (package) && g_file_test (path, G_FILE_TEST_EXISTS))
    return g_strdup (path);
  if (fetch == NULL || !g_strv_contains ((const char *const *) fetch, package))
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_MISSING,
                   "%s needs %s from package %s, which is %s", build->recipe->name, path,
                   package, hs_package_is_installed (package) ? "installed without it"
                                                             : "not installed");
      return NULL;
    }
  root = hs_task_fetch_root ();
  return hs_package_fetch (package, path, root, error);
}

/* [Task] numbers were range-checked when the recipe was loaded. */
static gdouble
task_number (HsTaskRecipe *recipe, const char *key, gdouble fallback)
{
  g_autofree char *text = g_key_file_get_string (recipe->keyfile, TASK_GROUP, key, NULL);

  return text != NULL ? g_ascii_strtod (text, NULL) : fallback;
}

static void
shuffle (GRand *rand, guint *v, guint n)
{
  for (guint i = n; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i);
      guint t = v[i - 1];
      v[i - 1] = v[j];
      v[j] = t;
    }
}

static gboolean
render_all (HsBuild *build, ClassImages *classes, guint *rejected, GError **error)
{
  guint n_classes = build->class_names->len;
  g_autoptr(GPtrArray) buckets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) (build->seed ^ (build->seed >> 32)));
  g_autofree guint8 *rgb = g_malloc (build->size * build->size * 3);
  guint64 total = 0, done = 0;

  for (guint c = 0; c < n_classes; c++)
    g_ptr_array_add (buckets, g_array_new (FALSE, FALSE, sizeof (guint)));
  for (guint i = 0; i < build->candidates->len; i++)
    g_array_append_val (g_ptr_array_index (buckets, g_array_index (build->candidates, Candidate,
                                                                   i).class_index), i);
  for (guint c = 0; c < n_classes; c++)
    {
      GArray *bucket = g_ptr_array_index (buckets, c);
      shuffle (rand, (guint *) (void *) bucket->data, bucket->len);
      total += MIN (bucket->len, build->max_per_class);
    }

  for (guint c = 0; c < n_classes; c++)
    {
      GArray *bucket = g_ptr_array_index (buckets, c);
      ClassImages *ci = &classes[c];
      g_autofree char *what = g_strdup_printf ("class %u/%u", c + 1, n_classes);
      guint64 class_start = done;

      for (guint k = 0; k < bucket->len && ci->n < build->max_per_class; k++)
        {
          Candidate *cand = &g_array_index (build->candidates, Candidate,
                                            g_array_index (bucket, guint, k));
          GError *local = NULL;

          if (g_cancellable_set_error_if_cancelled (build->cancellable, error))
            return FALSE;
          if (!build->render (build, cand->item, rgb, &local))
            {
              if (local != NULL)
                {
                  g_propagate_error (error, local);
                  return FALSE;
                }
              continue;
            }
          if (hs_image_is_blank (rgb, build->size, BLANK_STDDEV))
            {
              (*rejected)++;
              continue;
            }
          g_byte_array_append (ci->pixels, rgb, build->size * build->size * 3);
          g_array_append_val (ci->groups, cand->group);
          ci->n++;
          done++;
          if (build->progress != NULL && (done & 31) == 0)
            build->progress (done, total, what, build->progress_data);
        }
      /* A class that ran out of candidates finishes its share of the bar. */
      done = class_start + MIN (bucket->len, build->max_per_class);
    }
  if (build->progress != NULL)
    build->progress (total, total, "done", build->progress_data);
  return TRUE;
}

static guint
distinct_groups (ClassImages *ci)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  gboolean ungrouped = FALSE;

  for (guint i = 0; i < ci->n; i++)
    {
      guint32 g = g_array_index (ci->groups, guint32, i);
      if (g == 0)
        ungrouped = TRUE;
      else
        g_hash_table_add (seen, GUINT_TO_POINTER (g));
    }
  return ungrouped ? G_MAXUINT : g_hash_table_size (seen);
}

static void
set_metadata (HsBuild *build, HsDataset *ds, guint rejected, const char *dropped)
{
  HsTaskRecipe *recipe = build->recipe;
  g_autofree char *packages = g_strjoinv (" ", recipe->packages);
  g_autofree char *rejected_text = g_strdup_printf ("%u", rejected);

  hs_dataset_set_meta (ds, "task", recipe->name);
  hs_dataset_set_meta (ds, "family", recipe->family);
  hs_dataset_set_meta (ds, "package", packages);
  hs_dataset_set_meta (ds, "licence", recipe->licence);
  hs_dataset_set_meta (ds, "description", recipe->description);
  hs_dataset_set_meta (ds, "builder", recipe->builder);
  hs_dataset_set_meta (ds, "recipe-sha256", recipe->sha256);
  hs_dataset_set_meta (ds, "catalog-version", HS_CATALOG_VERSION);
  hs_dataset_set_meta (ds, "rejected-blank", rejected_text);
  if (build->source != NULL)
    hs_dataset_set_meta (ds, "source", build->source);
  if (dropped != NULL && *dropped != '\0')
    hs_dataset_set_meta (ds, "dropped-classes", dropped);
}

HsDataset *
hs_build_run (HsTaskRecipe *recipe, HsBuilderFunc builder, HsProgressFunc progress,
              gpointer progress_data, GCancellable *cancellable, GError **error)
{
  g_autoptr(HsBuild) build = g_new0 (HsBuild, 1);
  g_autoptr(HsDataset) ds = NULL;
  g_autoptr(GString) dropped = g_string_new (NULL);
  g_autofree ClassImages *classes = NULL;
  guint n_classes, kept = 0, rejected = 0;
  gboolean ok;

  build->recipe = recipe;
  build->size = task_number (recipe, "size", HS_DATASET_DEFAULT_SIZE);
  /* The default seed follows the name, so tasks that share a source still
   * draw different samples. */
  build->seed = task_number (recipe, "seed", g_str_hash (recipe->name));
  build->max_per_class = task_number (recipe, "max-per-class", 500);
  build->min_per_class = task_number (recipe, "min-per-class", 10);
  build->val_fraction = task_number (recipe, "val-fraction", 0.15);
  build->test_fraction = task_number (recipe, "test-fraction", 0.15);
  build->progress = progress;
  build->progress_data = progress_data;
  build->cancellable = cancellable;
  build->class_names = g_ptr_array_new_with_free_func (g_free);
  build->candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));

  if (!builder (build, error))
    return NULL;
  g_assert (build->render != NULL);
  n_classes = build->class_names->len;
  if (n_classes < 2)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                   "%s: the source gave %u classes; a task needs at least 2", recipe->path,
                   n_classes);
      return NULL;
    }

  classes = g_new0 (ClassImages, n_classes);
  for (guint c = 0; c < n_classes; c++)
    {
      classes[c].pixels = g_byte_array_new ();
      classes[c].groups = g_array_new (FALSE, FALSE, sizeof (guint32));
    }
  ok = render_all (build, classes, &rejected, error);

  ds = hs_dataset_new (recipe->name, build->size);
  for (guint c = 0; ok && c < n_classes; c++)
    {
      ClassImages *ci = &classes[c];
      const char *name = g_ptr_array_index (build->class_names, c);
      guint groups = distinct_groups (ci);
      guint index;

      /* Too few images, or too few groups to put one in each split: the
       * class is left out and the metadata says so. */
      if (ci->n < build->min_per_class || groups < 3)
        {
          g_string_append_printf (dropped, "%s%s (%u images, %u groups)", dropped->len ? "; " : "",
                                  name, ci->n, groups == G_MAXUINT ? 0 : groups);
          continue;
        }
      index = hs_dataset_add_class (ds, name);
      for (guint i = 0; i < ci->n; i++)
        hs_dataset_add_image (ds, ci->pixels->data + (gsize) i * build->size * build->size * 3,
                              index, g_array_index (ci->groups, guint32, i));
      kept++;
    }
  for (guint c = 0; c < n_classes; c++)
    {
      g_byte_array_unref (classes[c].pixels);
      g_array_unref (classes[c].groups);
    }
  if (!ok)
    return NULL;
  if (kept < 2)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                   "%s: only %u of %u classes have at least %u images from 3 groups (%s)",
                   recipe->name, kept, n_classes, build->min_per_class, dropped->str);
      return NULL;
    }

  set_metadata (build, ds, rejected, dropped->str);
  if (!hs_dataset_make_splits (ds, build->seed, build->val_fraction, build->test_fraction, error))
    {
      g_prefix_error (error, "%s: ", recipe->name);
      return NULL;
    }
  return g_steal_pointer (&ds);
}

char *
hs_build_get_package (HsBuild *build)
{
  return hs_build_get_string (build, "package", build->recipe->packages[0], NULL);
}

char *
hs_build_get_package_file (HsBuild *build, const char *key, GError **error)
{
  g_autofree char *package = hs_build_get_package (build);
  g_autofree char *path = hs_build_get_string (build, key, NULL, error);

  if (path == NULL)
    return NULL;
  if (!g_path_is_absolute (path))
    {
      hs_build_key_error (build, error, SOURCE_GROUP, key,
                          "“%s” is not an absolute path inside package %s", path, package);
      return NULL;
    }
  return hs_build_package_file (build, package, path, error);
}

guint32
hs_build_read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

GBytes *
hs_build_read_file (const char *path, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  in = G_INPUT_STREAM (g_file_read (file, NULL, error));
  if (in == NULL)
    return NULL;
  if (g_str_has_suffix (path, ".gz"))
    {
      g_autoptr(GZlibDecompressor) gunzip = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
      GInputStream *raw = in;

      in = g_converter_input_stream_new (raw, G_CONVERTER (gunzip));
      g_object_unref (raw);
    }
  if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                              G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}
