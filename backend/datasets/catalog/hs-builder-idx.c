/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * IDX files (the MNIST format, gzipped or not): Fashion-MNIST and the like.
 *
 *   [Source]
 *   images=/usr/share/…/train-images-idx3-ubyte.gz;/usr/share/…/t10k-images…
 *   labels=/usr/share/…/train-labels-idx1-ubyte.gz;/usr/share/…/t10k-labels…
 *   label-names=T-shirt/top;Trouser;…      (the name of label 0, 1, …)
 *   classes=Sandal;Sneaker;Bag;Ankle boot  (optional: a subset, by name)
 *
 * The official train/test files are pooled; the task's own seeded splits
 * apply.  Each image is its own sample (no groups).
 */
#define G_LOG_DOMAIN "hs-catalog"

#include "hs-builder.h"

typedef struct {
  GPtrArray *images;  /* GBytes per file pair */
  guint width;
  guint height;
} IdxData;

typedef struct {
  guint file;
  guint index;
} IdxItem;

static void
idx_data_free (gpointer data)
{
  IdxData *d = data;

  g_ptr_array_unref (d->images);
  g_free (d);
}

/* Checks the magic (0x0000 08 NDIMS: unsigned bytes), the dimensions and
 * that the data is all there; returns the item count. */
static gboolean
parse_header (GBytes *bytes, const char *path, guint want_dims, guint *count, guint *rows,
              guint *cols, GError **error)
{
  gsize len;
  const guint8 *p = g_bytes_get_data (bytes, &len);
  guint64 need;

  if (len < 4 + 4 * want_dims || hs_build_read_be32 (p) != (0x0800u | want_dims))
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT,
                   "%s: not an IDX file of %u-dimensional unsigned bytes", path, want_dims);
      return FALSE;
    }
  *count = hs_build_read_be32 (p + 4);
  *rows = want_dims == 3 ? hs_build_read_be32 (p + 8) : 1;
  *cols = want_dims == 3 ? hs_build_read_be32 (p + 12) : 1;
  need = 4 + 4 * want_dims + (guint64) *count * *rows * *cols;
  if (*rows == 0 || *cols == 0 || *rows > 4096 || *cols > 4096 || need > len)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT,
                   "%s: truncated or malformed IDX data", path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
render_idx (HsBuild *build, gpointer item, guint8 *rgb, GError **error)
{
  IdxData *d = hs_build_get_builder_data (build);
  IdxItem *it = item;
  GBytes *bytes = g_ptr_array_index (d->images, it->file);
  const guint8 *pixels = (const guint8 *) g_bytes_get_data (bytes, NULL) + 16 +
                         (gsize) it->index * d->width * d->height;

  return hs_build_fit (build, pixels, d->width, d->height, d->width, 1, rgb);
}

gboolean
hs_builder_idx (HsBuild *build, GError **error)
{
  g_auto(GStrv) images = NULL;
  g_auto(GStrv) labels = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) classes = NULL;
  g_autofree char *package = hs_build_get_package (build);
  g_autofree gint *class_of_label = NULL;
  IdxData *d;
  guint n_names;

  if ((images = hs_build_get_list (build, "images", TRUE, error)) == NULL ||
      (labels = hs_build_get_list (build, "labels", TRUE, error)) == NULL ||
      (names = hs_build_get_list (build, "label-names", TRUE, error)) == NULL)
    return FALSE;
  if (g_strv_length (images) != g_strv_length (labels) || images[0] == NULL)
    {
      hs_build_key_error (build, error, NULL, "labels",
                          "give one labels file for each images file");
      return FALSE;
    }
  classes = hs_build_get_list (build, "classes", FALSE, NULL);

  /* Labels map to classes in the order classes= gives them. */
  n_names = g_strv_length (names);
  class_of_label = g_new (gint, n_names);
  for (guint l = 0; l < n_names; l++)
    class_of_label[l] = -1;
  if (classes != NULL)
    for (guint k = 0; classes[k] != NULL; k++)
      {
        gint l = -1;
        for (guint j = 0; j < n_names; j++)
          if (g_str_equal (names[j], classes[k]))
            l = j;
        if (l < 0)
          {
            hs_build_key_error (build, error, NULL, "classes", "“%s” is not one of label-names",
                                classes[k]);
            return FALSE;
          }
        class_of_label[l] = hs_build_add_class (build, classes[k]);
      }
  else
    for (guint l = 0; l < n_names; l++)
      class_of_label[l] = hs_build_add_class (build, names[l]);

  d = g_new0 (IdxData, 1);
  d->images = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  hs_build_set_render (build, render_idx, g_free, d, idx_data_free);

  for (guint f = 0; images[f] != NULL; f++)
    {
      g_autofree char *image_path = hs_build_package_file (build, package, images[f], error);
      g_autofree char *label_path = NULL;
      g_autoptr(GBytes) image_bytes = NULL;
      g_autoptr(GBytes) label_bytes = NULL;
      guint n, rows, cols, n_labels, one, one2;
      const guint8 *lab;

      if (image_path == NULL ||
          (label_path = hs_build_package_file (build, package, labels[f], error)) == NULL ||
          (image_bytes = hs_build_read_file (image_path, error)) == NULL ||
          (label_bytes = hs_build_read_file (label_path, error)) == NULL ||
          !parse_header (image_bytes, image_path, 3, &n, &rows, &cols, error) ||
          !parse_header (label_bytes, label_path, 1, &n_labels, &one, &one2, error))
        return FALSE;
      if (n != n_labels || (f > 0 && (rows != d->height || cols != d->width)))
        {
          g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT,
                       "%s and %s do not match (%u images, %u labels, %u×%u)", image_path,
                       label_path, n, n_labels, cols, rows);
          return FALSE;
        }
      d->width = cols;
      d->height = rows;
      lab = (const guint8 *) g_bytes_get_data (label_bytes, NULL) + 8;
      for (guint i = 0; i < n; i++)
        {
          IdxItem *it;

          if (lab[i] >= n_names)
            {
              g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT,
                           "%s: label %u of image %u has no name in label-names", label_path,
                           lab[i], i);
              return FALSE;
            }
          if (class_of_label[lab[i]] < 0)
            continue;
          it = g_new (IdxItem, 1);
          it->file = f;
          it->index = i;
          hs_build_add_candidate (build, class_of_label[lab[i]], NULL, it);
        }
      g_ptr_array_add (d->images, g_steal_pointer (&image_bytes));
    }
  hs_build_set_source (build, images[0]);
  return TRUE;
}
