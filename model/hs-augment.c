/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Augmentation of one image on the host, while the batch is assembled.
 *
 *   flip_crop  horizontal flip (p = ½), then a random crop of the image
 *              padded by HS_AUGMENT_CROP_PAD pixels of zeros (in normalised
 *              space: mid grey) on each side — i.e. a shift by −4…4 pixels.
 *   strong     colour jitter (brightness, contrast, saturation, each by a
 *              factor in [0.8, 1.2], in that order, clamped to [0, 1]),
 *              then flip_crop, then cutout: one 8×8 square (centre anywhere
 *              in the image, so it may be clipped) set to zero.
 */
#define G_LOG_DOMAIN "hs-augment"

#include "hs-augment.h"

void
hs_augment_normalise (const guint8 *rgb, guint size, gfloat *out)
{
  gsize n = (gsize) size * size * 3;

  for (gsize i = 0; i < n; i++)
    out[i] = rgb[i] * (1.f / 255.f) - 0.5f;
}

static gfloat
jitter_factor (GRand *rand)
{
  return (gfloat) g_rand_double_range (rand, 1.0 - HS_AUGMENT_JITTER, 1.0 + HS_AUGMENT_JITTER);
}

/* In place on [0, 1] pixels. */
static void
colour_jitter (gfloat *px, guint size, GRand *rand)
{
  gsize n = (gsize) size * size;
  gfloat brightness = jitter_factor (rand);
  gfloat contrast = jitter_factor (rand);
  gfloat saturation = jitter_factor (rand);
  gdouble mean = 0;

  for (gsize i = 0; i < n * 3; i++)
    px[i] = CLAMP (px[i] * brightness, 0.f, 1.f);

  /* Contrast pulls towards the image's mean grey, saturation towards each
   * pixel's own grey (ITU-R 601 luma), as torchvision's ColorJitter does. */
  for (gsize i = 0; i < n; i++)
    mean += 0.299 * px[3 * i] + 0.587 * px[3 * i + 1] + 0.114 * px[3 * i + 2];
  mean /= n;
  for (gsize i = 0; i < n * 3; i++)
    px[i] = CLAMP ((gfloat) ((px[i] - mean) * contrast + mean), 0.f, 1.f);

  for (gsize i = 0; i < n; i++)
    {
      gfloat *p = px + 3 * i;
      gfloat grey = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
      for (guint c = 0; c < 3; c++)
        p[c] = CLAMP ((p[c] - grey) * saturation + grey, 0.f, 1.f);
    }
}

void
hs_augment_image (const guint8 *rgb, guint size, HsAugment augment, GRand *rand,
                  gfloat *scratch, gfloat *out)
{
  gsize n = (gsize) size * size * 3;
  gboolean flip;
  gint dx, dy;

  if (augment == HS_AUGMENT_NONE)
    {
      hs_augment_normalise (rgb, size, out);
      return;
    }

  /* scratch: the source in [0, 1] (jittered for strong). */
  for (gsize i = 0; i < n; i++)
    scratch[i] = rgb[i] * (1.f / 255.f);
  if (augment == HS_AUGMENT_STRONG)
    colour_jitter (scratch, size, rand);

  flip = g_rand_boolean (rand);
  dx = g_rand_int_range (rand, -HS_AUGMENT_CROP_PAD, HS_AUGMENT_CROP_PAD + 1);
  dy = g_rand_int_range (rand, -HS_AUGMENT_CROP_PAD, HS_AUGMENT_CROP_PAD + 1);
  for (gint y = 0; y < (gint) size; y++)
    for (gint x = 0; x < (gint) size; x++)
      {
        gint sy = y + dy;
        gint sx = (flip ? (gint) size - 1 - x : x) + dx;
        gfloat *o = out + ((gsize) y * size + x) * 3;

        if (sy < 0 || sy >= (gint) size || sx < 0 || sx >= (gint) size)
          o[0] = o[1] = o[2] = 0.f;
        else
          {
            const gfloat *s = scratch + ((gsize) sy * size + sx) * 3;
            for (guint c = 0; c < 3; c++)
              o[c] = s[c] - 0.5f;
          }
      }

  if (augment == HS_AUGMENT_STRONG)
    {
      gint cy = g_rand_int_range (rand, 0, size);
      gint cx = g_rand_int_range (rand, 0, size);
      gint h = HS_AUGMENT_CUTOUT / 2;

      for (gint y = MAX (cy - h, 0); y < MIN (cy + h, (gint) size); y++)
        for (gint x = MAX (cx - h, 0); x < MIN (cx + h, (gint) size); x++)
          {
            gfloat *o = out + ((gsize) y * size + x) * 3;
            o[0] = o[1] = o[2] = 0.f;
          }
    }
}
