/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test helpers (see test-datasets-util.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "test-datasets-util.h"

static char *tmp_root;

static void
remove_tmp (void)
{
  if (tmp_root != NULL && g_getenv ("HS_TEST_KEEP") == NULL)
    td_rm_rf (tmp_root);
}

void
td_init (int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *cache = NULL;

  g_test_init (argc, argv, NULL);
  tmp_root = g_dir_make_tmp ("hs-test-datasets-XXXXXX", &error);
  g_assert_no_error (error);
  data = g_build_filename (tmp_root, "data", NULL);
  cache = g_build_filename (tmp_root, "cache", NULL);
  /* Every store call of the run goes here, never to the user's folders. */
  g_setenv ("HS_DATA_DIR", data, TRUE);
  g_setenv ("HS_CACHE_DIR", cache, TRUE);
  atexit (remove_tmp);
}

const char *
td_tmp (void)
{
  return tmp_root;
}

char *
td_mkdir (const char *name)
{
  char *path = g_build_filename (tmp_root, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
  return path;
}

void
td_rm_rf (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      GDir *dir;
      const char *name;

      /* Folders a test made unreadable must be opened again to go. */
      g_chmod (path, 0755);
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          td_rm_rf (child);
        }
      if (dir != NULL)
        g_dir_close (dir);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
td_write_picture (const char *path, const char *format, int w, int h, guint32 rgb,
                  gboolean marked)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, w, h);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint8 *p = pixels + (gsize) y * stride + x * 3;
        gboolean mark = marked && abs (x - w / 2) < w / 8 && abs (y - h / 2) < h / 8;

        p[0] = ((rgb >> 16) & 0xff) >> (mark ? 1 : 0);
        p[1] = ((rgb >> 8) & 0xff) >> (mark ? 1 : 0);
        p[2] = (rgb & 0xff) >> (mark ? 1 : 0);
      }
  if (g_str_equal (format, "jpeg"))
    gdk_pixbuf_save (pixbuf, path, format, &error, "quality", "95", NULL);
  else
    gdk_pixbuf_save (pixbuf, path, format, &error, NULL);
  g_assert_no_error (error);
}

void
td_write_bytes (const char *path, const void *data, gsize n)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, n, &error);
  g_assert_no_error (error);
}

void
td_write_gif (const char *path, int w, int h, guint32 rgb)
{
  g_autoptr(GByteArray) gif = g_byte_array_new ();
  g_autoptr(GByteArray) codes = g_byte_array_new ();
  guint8 lsd[7] = { w & 0xff, w >> 8, h & 0xff, h >> 8, 0xf6, 0, 0 };
  guint8 desc[10] = { 0x2c, 0, 0, 0, 0, w & 0xff, w >> 8, h & 0xff, h >> 8, 0 };
  guint8 min_code_size = 7, zero = 0, trailer = 0x3b;
  guint8 clear = 128, end = 129;

  g_byte_array_append (gif, (const guint8 *) "GIF89a", 6);
  /* 128-colour global table: entry 0 is the colour, the rest black. */
  g_byte_array_append (gif, lsd, sizeof lsd);
  for (guint i = 0; i < 128; i++)
    {
      guint8 c[3] = { 0, 0, 0 };

      if (i == 0)
        {
          c[0] = rgb >> 16;
          c[1] = rgb >> 8;
          c[2] = rgb;
        }
      g_byte_array_append (gif, c, 3);
    }
  g_byte_array_append (gif, desc, sizeof desc);
  g_byte_array_append (gif, &min_code_size, 1);

  /* LZW that never compresses: with 7-bit pixels every code is 8 bits
   * wide, so codes are bytes, as long as a clear code comes before the
   * table grows to 256 entries. */
  for (int i = 0; i < w * h; i++)
    {
      if (i % 100 == 0)
        g_byte_array_append (codes, &clear, 1);
      g_byte_array_append (codes, &zero, 1);
    }
  g_byte_array_append (codes, &end, 1);
  for (guint at = 0; at < codes->len; at += 255)
    {
      guint8 n = MIN (255, codes->len - at);

      g_byte_array_append (gif, &n, 1);
      g_byte_array_append (gif, codes->data + at, n);
    }
  g_byte_array_append (gif, &zero, 1);
  g_byte_array_append (gif, &trailer, 1);
  td_write_bytes (path, gif->data, gif->len);
}

void
td_write_svg (const char *path, guint32 rgb)
{
  g_autofree char *svg = g_strdup_printf (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"16\" height=\"16\" "
    "viewBox=\"0 0 16 16\">\n"
    "  <circle cx=\"8\" cy=\"8\" r=\"6\" fill=\"#%06x\"/>\n"
    "</svg>\n", rgb);

  td_write_bytes (path, svg, strlen (svg));
}

void
td_write_truncated (const char *src, const char *dst, gsize keep)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize n;

  g_file_get_contents (src, &data, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keep, <, n);
  td_write_bytes (dst, data, keep);
}

void
td_centre_colour (HsDataset *ds, gsize index, double rgb[3])
{
  guint size = hs_dataset_get_size (ds);
  const guint8 *image = hs_dataset_get_image (ds, index);

  rgb[0] = rgb[1] = rgb[2] = 0;
  for (guint y = size / 2 - 4; y < size / 2 + 4; y++)
    for (guint x = size / 2 - 4; x < size / 2 + 4; x++)
      for (guint c = 0; c < 3; c++)
        rgb[c] += image[((gsize) y * size + x) * 3 + c] / 64.0;
}

void
td_assert_colour (const double got[3], guint32 rgb, double tol)
{
  for (guint c = 0; c < 3; c++)
    {
      double want = (rgb >> (16 - 8 * c)) & 0xff;

      if (fabs (got[c] - want) > tol)
        {
          g_test_fail_printf ("colour (%.0f, %.0f, %.0f), expected #%06x (±%.0f)", got[0],
                              got[1], got[2], rgb, tol);
          return;
        }
    }
}

HsDataset *
td_make_dataset (const char *name, guint n_classes, const guint *counts,
                 guint32 (*group_of) (guint klass, guint index))
{
  HsDataset *ds = hs_dataset_new (name, 8);
  guint8 image[8 * 8 * 3];

  for (guint c = 0; c < n_classes; c++)
    {
      g_autofree char *class_name = g_strdup_printf ("class-%u", c);

      hs_dataset_add_class (ds, class_name);
    }
  for (guint c = 0; c < n_classes; c++)
    for (guint i = 0; i < counts[c]; i++)
      {
        for (guint k = 0; k < sizeof image; k++)
          image[k] = (c * 37 + i * 11 + k) & 0xff;
        hs_dataset_add_image (ds, image, c, group_of != NULL ? group_of (c, i) : 0);
      }
  return ds;
}

void
td_assert_contains (const char *message, const char *part)
{
  if (message == NULL || strstr (message, part) == NULL)
    g_test_fail_printf ("“%s” does not mention “%s”", message, part);
}
