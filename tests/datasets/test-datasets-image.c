/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pictures to dataset images: aspect ratio, alpha, grey, resampling, blank
 * detection, and decoding files by content.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hs-image.h"
#include "test-datasets-util.h"

#define SIZE 32

static void
pixel_at (const guint8 *out, guint x, guint y, guint8 rgb[3])
{
  memcpy (rgb, out + ((gsize) y * SIZE + x) * 3, 3);
}

/* A wide picture keeps its shape: it spans the width, is centred, and the
 * bars above and below take its border colour (here black), not a colour
 * the picture lacks. */
static void
test_fit_aspect (void)
{
  guint w = 64, h = 16;
  g_autofree guint8 *in = g_new (guint8, w * h * 3);
  guint8 out[SIZE * SIZE * 3], p[3];

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        gboolean border = x == 0 || y == 0 || x == w - 1 || y == h - 1;

        memset (in + (y * w + x) * 3, border ? 0 : 255, 3);
      }
  hs_image_fit (in, w, h, w * 3, 3, SIZE, out);

  /* 64×16 → 32×8, rows 12–19. */
  pixel_at (out, 16, 15, p);
  g_assert_cmpuint (p[0], >, 200);
  pixel_at (out, 16, 5, p);
  g_assert_cmpuint (p[0], ==, 0);
  pixel_at (out, 16, 26, p);
  g_assert_cmpuint (p[0], ==, 0);
  /* The picture's left and right edges reach the square's. */
  pixel_at (out, 0, 15, p);
  g_assert_cmpuint (p[0], <, 160);
  pixel_at (out, 2, 15, p);
  g_assert_cmpuint (p[0], >, 200);
}

/* Transparent pixels become white; half-transparent red becomes pink. */
static void
test_fit_alpha (void)
{
  guint8 in[4 * 4 * 4];
  guint8 out[SIZE * SIZE * 3], p[3];

  for (guint i = 0; i < 16; i++)
    {
      guint8 px[4] = { 255, 0, 0, i < 8 ? 0 : 128 };

      memcpy (in + i * 4, px, 4);
    }
  hs_image_fit (in, 4, 4, 16, 4, SIZE, out);
  pixel_at (out, 16, 2, p);
  g_assert_cmpuint (p[0], ==, 255);
  g_assert_cmpuint (p[1], ==, 255);
  g_assert_cmpuint (p[2], ==, 255);
  pixel_at (out, 16, 29, p);
  g_assert_cmpuint (p[0], ==, 255);
  g_assert_cmpint (abs ((int) p[1] - 127), <=, 1);
  g_assert_cmpint (abs ((int) p[2] - 127), <=, 1);
}

/* Grey (with or without alpha) becomes R = G = B. */
static void
test_fit_grey (void)
{
  guint8 grey[3 * 3] = { 10, 20, 30, 40, 50, 60, 70, 80, 90 };
  guint8 grey_alpha[2 * 2 * 2] = { 100, 255, 100, 255, 100, 0, 100, 0 };
  guint8 out[SIZE * SIZE * 3];

  hs_image_fit (grey, 3, 3, 3, 1, SIZE, out);
  for (guint i = 0; i < SIZE * SIZE; i++)
    {
      g_assert_cmpuint (out[i * 3], ==, out[i * 3 + 1]);
      g_assert_cmpuint (out[i * 3], ==, out[i * 3 + 2]);
    }
  g_assert_cmpint (abs ((int) out[(16 * SIZE + 16) * 3] - 50), <=, 3);

  hs_image_fit (grey_alpha, 2, 2, 4, 2, SIZE, out);
  g_assert_cmpuint (out[(2 * SIZE + 16) * 3], ==, 100);
  g_assert_cmpuint (out[(29 * SIZE + 16) * 3], ==, 255);
}

/* Shrinking averages areas: a one-pixel checkerboard turns mid-grey instead
 * of aliasing to black or white, and a thin line survives as a faint one. */
static void
test_fit_area_average (void)
{
  guint w = 256;
  g_autofree guint8 *in = g_new0 (guint8, w * w);
  guint8 out[SIZE * SIZE * 3];

  for (guint y = 0; y < w; y++)
    for (guint x = 0; x < w; x++)
      in[y * w + x] = (x + y) % 2 ? 255 : 0;
  hs_image_fit (in, w, w, w, 1, SIZE, out);
  for (guint i = 0; i < SIZE * SIZE * 3; i++)
    g_assert_cmpint (abs ((int) out[i] - 128), <=, 1);

  memset (in, 255, w * w);
  for (guint y = 0; y < w; y++)
    in[y * w + 131] = 0;
  hs_image_fit (in, w, w, w, 1, SIZE, out);
  /* Column 131 of 256 lies in output column 16, one eighth of it. */
  g_assert_cmpint (abs ((int) out[(10 * SIZE + 16) * 3] - 223), <=, 1);
  g_assert_cmpuint (out[(10 * SIZE + 15) * 3], ==, 255);
}

/* Growing is smooth and keeps the corners' colours. */
static void
test_fit_grow (void)
{
  guint8 in[2 * 2 * 3] = { 0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0 };
  guint8 out[SIZE * SIZE * 3], p[3];

  hs_image_fit (in, 2, 2, 6, 3, SIZE, out);
  pixel_at (out, 0, 0, p);
  g_assert_cmpuint (p[0], ==, 0);
  pixel_at (out, SIZE - 1, 0, p);
  g_assert_cmpuint (p[0], ==, 255);
  pixel_at (out, 15, 0, p);
  g_assert_cmpuint (p[0], >, 60);
  g_assert_cmpuint (p[0], <, 196);
}

static void
test_blank (void)
{
  guint8 image[SIZE * SIZE * 3];

  memset (image, 255, sizeof image);
  g_assert_true (hs_image_is_blank (image, SIZE, 2.0));
  /* Faint noise and a stray faint pixel are still blank… */
  for (guint i = 0; i < SIZE * SIZE; i++)
    memset (image + i * 3, 255 - (i * 7919 % 3), 3);
  memset (image + 100 * 3, 200, 3);
  g_assert_true (hs_image_is_blank (image, SIZE, 2.0));
  /* …one black pixel on white is already a mark (σ ≈ 8)… */
  memset (image + 200 * 3, 0, 3);
  g_assert_false (hs_image_is_blank (image, SIZE, 2.0));
  g_assert_true (hs_image_is_blank (image, SIZE, 10.0));
  memset (image + 200 * 3, 255, 3);
  /* …a glyph-sized stroke is not. */
  for (guint y = 8; y < 24; y++)
    memset (image + ((gsize) y * SIZE + 14) * 3, 0, 4 * 3);
  g_assert_false (hs_image_is_blank (image, SIZE, 2.0));
}

/* Files decode by content in every format, at the dataset size. */
static void
test_load_formats (void)
{
  g_autofree char *dir = td_mkdir ("image-formats");
  static const struct {
    const char *file;
    const char *format;
    guint32 rgb;
  } pictures[] = {
    { "p.png", "png", 0xd02020 },
    { "p.jpg", "jpeg", 0x20a040 },
    { "p.bmp", "bmp", 0x2040d0 },
    { "p.tiff", "tiff", 0xc0c020 },
    { "p.webp", "webp", 0x8020a0 },
    { "png-named.jpg", "png", 0x10e0e0 },
  };
  guint8 out[SIZE * SIZE * 3];
  g_autoptr(HsDataset) ds = hs_dataset_new ("formats", SIZE);
  g_autoptr(GError) error = NULL;
  g_autofree char *gif = g_build_filename (dir, "p.gif", NULL);
  g_autofree char *svg = g_build_filename (dir, "p.svg", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.png", NULL);
  g_autofree char *text = g_build_filename (dir, "notes.png", NULL);
  double colour[3];

  hs_dataset_add_class (ds, "all");
  for (guint i = 0; i < G_N_ELEMENTS (pictures); i++)
    {
      g_autofree char *path = g_build_filename (dir, pictures[i].file, NULL);

      td_write_picture (path, pictures[i].format, 48, 40, pictures[i].rgb, FALSE);
      g_assert_true (hs_image_load (path, SIZE, out, &error));
      g_assert_no_error (error);
      hs_dataset_add_image (ds, out, 0, 0);
      td_centre_colour (ds, i, colour);
      /* JPEG and lossy WebP are close, the others exact. */
      td_assert_colour (colour, pictures[i].rgb, 6);
    }

  td_write_gif (gif, 20, 10, 0x3060f0);
  g_assert_true (hs_image_load (gif, SIZE, out, &error));
  g_assert_no_error (error);
  hs_dataset_add_image (ds, out, 0, 0);
  td_centre_colour (ds, hs_dataset_get_n_images (ds) - 1, colour);
  td_assert_colour (colour, 0x3060f0, 0);

  /* A 16-pixel SVG renders at the dataset size: a crisp circle, white
   * (transparent) corners. */
  td_write_svg (svg, 0x00ff00);
  g_assert_true (hs_image_load (svg, SIZE, out, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (out[0], ==, 255);
  g_assert_cmpuint (out[1], ==, 255);
  g_assert_cmpuint (out[((16 * SIZE) + 16) * 3], ==, 0);
  g_assert_cmpuint (out[((16 * SIZE) + 16) * 3 + 1], ==, 255);

  td_write_bytes (empty, "", 0);
  g_assert_false (hs_image_load (empty, SIZE, out, &error));
  td_assert_contains (error->message, "empty file");
  g_clear_error (&error);

  td_write_bytes (text, "just some notes\n", 16);
  g_assert_false (hs_image_load (text, SIZE, out, &error));
  g_assert_nonnull (error);
  g_test_message ("text file: %s", error->message);
  g_clear_error (&error);

  g_assert_false (hs_image_load (dir, SIZE, out, &error));
  td_assert_contains (error->message, "not a regular file");
}

/* Cut files are refused in every format, including those whose loaders
 * return a partial picture without complaint. */
static void
test_load_truncated (void)
{
  static const char *formats[] = { "png", "jpeg", "bmp", "tiff", "webp", "gif" };
  g_autofree char *dir = td_mkdir ("image-truncated");
  g_autoptr(GdkPixbuf) noise = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 90, 70);
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  guint8 out[SIZE * SIZE * 3];
  guint8 *pixels = gdk_pixbuf_get_pixels (noise);

  for (gsize i = 0; i < gdk_pixbuf_get_byte_length (noise); i++)
    pixels[i] = g_rand_int (rand);
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autofree char *whole = g_strdup_printf ("%s/whole.%s", dir, formats[f]);
      g_autofree char *cut = g_strdup_printf ("%s/cut.%s", dir, formats[f]);
      g_autoptr(GError) error = NULL;
      GStatBuf st;

      if (g_str_equal (formats[f], "gif"))
        td_write_gif (whole, 90, 70, 0x804020);
      else
        g_assert_true (gdk_pixbuf_save (noise, whole, formats[f], &error, NULL));
      g_assert_no_error (error);
      g_assert_true (hs_image_load (whole, SIZE, out, &error));
      g_assert_no_error (error);

      g_assert_cmpint (g_stat (whole, &st), ==, 0);
      td_write_truncated (whole, cut, st.st_size * 6 / 10);
      g_assert_false (hs_image_load (cut, SIZE, out, &error));
      g_assert_nonnull (error);
      g_test_message ("%s cut at 60%%: %s", formats[f], error->message);
    }
}

/* A big photo imports (decoded at reduced size) with the right colour. */
static void
test_load_large (void)
{
  g_autofree char *dir = td_mkdir ("image-large");
  g_autofree char *path = g_build_filename (dir, "big.jpg", NULL);
  g_autoptr(HsDataset) ds = hs_dataset_new ("large", SIZE);
  g_autoptr(GError) error = NULL;
  guint8 out[SIZE * SIZE * 3];
  double colour[3];

  td_write_picture (path, "jpeg", 3000, 2000, 0x4080c0, FALSE);
  g_assert_true (hs_image_load (path, SIZE, out, &error));
  g_assert_no_error (error);
  hs_dataset_add_class (ds, "big");
  hs_dataset_add_image (ds, out, 0, 0);
  td_centre_colour (ds, 0, colour);
  td_assert_colour (colour, 0x4080c0, 6);
  /* 3:2, so the top rows are filled with the border colour. */
  g_assert_cmpint (abs ((int) out[0] - 0x40), <=, 6);
  g_assert_cmpint (abs ((int) out[2] - 0xc0), <=, 6);
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  g_test_add_func ("/datasets/image/fit-aspect", test_fit_aspect);
  g_test_add_func ("/datasets/image/fit-alpha", test_fit_alpha);
  g_test_add_func ("/datasets/image/fit-grey", test_fit_grey);
  g_test_add_func ("/datasets/image/fit-area-average", test_fit_area_average);
  g_test_add_func ("/datasets/image/fit-grow", test_fit_grow);
  g_test_add_func ("/datasets/image/blank", test_blank);
  g_test_add_func ("/datasets/image/load-formats", test_load_formats);
  g_test_add_func ("/datasets/image/load-truncated", test_load_truncated);
  g_test_add_func ("/datasets/image/load-large", test_load_large);
  return g_test_run ();
}
