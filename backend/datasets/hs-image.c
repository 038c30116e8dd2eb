/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fitting a picture into the dataset's square (see hs-image.h for what is
 * kept and what is filled), and telling blank renders apart.
 *
 * Resampling is separable: each source row is composited over white and
 * resampled horizontally, then the columns vertically.  Shrinking averages
 * the source area that each output pixel covers (partial pixels weighted by
 * their overlap), which keeps thin strokes of glyphs and icons instead of
 * dropping them as point sampling would; growing is bilinear.
 */
#define G_LOG_DOMAIN "hs-datasets"

#include <math.h>
#include <string.h>

#include "hs-image.h"

/* Taps of one output pixel: source indices first … first + n − 1. */
typedef struct
{
  guint first;
  guint n;
} Span;

typedef struct
{
  Span *spans;      /* per output pixel */
  float *weights;   /* max_taps per output pixel */
  guint max_taps;
} Taps;

static void
taps_clear (Taps *t)
{
  g_free (t->spans);
  g_free (t->weights);
}

static void
taps_init (Taps *t, guint in, guint out)
{
  t->spans = g_new0 (Span, out);
  if (out < in)
    {
      double ratio = (double) in / out;

      t->max_taps = (guint) ceil (ratio) + 1;
      t->weights = g_new0 (float, (gsize) out * t->max_taps);
      for (guint i = 0; i < out; i++)
        {
          double lo = i * ratio, hi = MIN ((i + 1) * ratio, (double) in);
          guint first = (guint) floor (lo);
          guint last = MIN ((guint) ceil (hi), in);

          t->spans[i].first = first;
          t->spans[i].n = last - first;
          g_assert (t->spans[i].n <= t->max_taps);
          for (guint j = first; j < last; j++)
            {
              double overlap = MIN (hi, j + 1.0) - MAX (lo, (double) j);

              t->weights[(gsize) i * t->max_taps + (j - first)] = overlap / ratio;
            }
        }
    }
  else
    {
      double ratio = (double) in / out;

      t->max_taps = 2;
      t->weights = g_new0 (float, (gsize) out * 2);
      for (guint i = 0; i < out; i++)
        {
          double src = CLAMP ((i + 0.5) * ratio - 0.5, 0.0, in - 1.0);
          guint j = (guint) floor (src);
          double f = src - j;

          t->spans[i].first = j;
          t->spans[i].n = j + 1 < in ? 2 : 1;
          t->weights[(gsize) i * 2] = t->spans[i].n == 2 ? 1.0 - f : 1.0;
          t->weights[(gsize) i * 2 + 1] = t->spans[i].n == 2 ? f : 0.0;
        }
    }
}

/* One source pixel as RGB over white. */
static inline void
composite (const guint8 *p, guint n_channels, float rgb[3])
{
  switch (n_channels)
    {
    case 1:
      rgb[0] = rgb[1] = rgb[2] = p[0];
      break;
    case 2:
      rgb[0] = rgb[1] = rgb[2] = (p[0] * p[1] + 255.0f * (255 - p[1])) / 255.0f;
      break;
    case 3:
      rgb[0] = p[0];
      rgb[1] = p[1];
      rgb[2] = p[2];
      break;
    default:
      for (guint c = 0; c < 3; c++)
        rgb[c] = (p[c] * p[3] + 255.0f * (255 - p[3])) / 255.0f;
      break;
    }
}

static void
border_mean (const guint8 *pixels, guint width, guint height, gsize rowstride,
             guint n_channels, float mean[3])
{
  double sum[3] = { 0, 0, 0 };
  gsize n = 0;

  for (guint y = 0; y < height; y++)
    {
      const guint8 *row = pixels + y * rowstride;
      gboolean edge_row = y == 0 || y == height - 1;
      guint step = edge_row ? 1 : MAX (width - 1, 1);

      for (guint x = 0; x < width; x += step)
        {
          float rgb[3];

          composite (row + (gsize) x * n_channels, n_channels, rgb);
          for (guint c = 0; c < 3; c++)
            sum[c] += rgb[c];
          n++;
        }
    }
  for (guint c = 0; c < 3; c++)
    mean[c] = sum[c] / n;
}

static inline guint8
to_byte (float v)
{
  return (guint8) CLAMP (floorf (v + 0.5f), 0.0f, 255.0f);
}

void
hs_image_fit (const guint8 *pixels, guint width, guint height, gsize rowstride,
              guint n_channels, guint size, guint8 *out)
{
  double scale;
  guint w, h, x0, y0;
  float fill[3];
  Taps tx, ty;
  g_autofree float *row = NULL;
  g_autofree float *tmp = NULL;

  g_return_if_fail (pixels != NULL && out != NULL);
  g_return_if_fail (width > 0 && height > 0 && size > 0);
  g_return_if_fail (n_channels >= 1 && n_channels <= 4);

  /* The longer side spans the square; the other keeps the aspect ratio. */
  scale = (double) size / MAX (width, height);
  w = CLAMP ((guint) floor (width * scale + 0.5), 1, size);
  h = CLAMP ((guint) floor (height * scale + 0.5), 1, size);
  x0 = (size - w) / 2;
  y0 = (size - h) / 2;

  border_mean (pixels, width, height, rowstride, n_channels, fill);
  for (gsize i = 0; i < (gsize) size * size; i++)
    for (guint c = 0; c < 3; c++)
      out[i * 3 + c] = to_byte (fill[c]);

  taps_init (&tx, width, w);
  taps_init (&ty, height, h);
  row = g_new (float, (gsize) width * 3);
  tmp = g_new (float, (gsize) height * w * 3);

  for (guint y = 0; y < height; y++)
    {
      const guint8 *src = pixels + y * rowstride;
      float *dst = tmp + (gsize) y * w * 3;

      for (guint x = 0; x < width; x++)
        composite (src + (gsize) x * n_channels, n_channels, row + (gsize) x * 3);
      for (guint i = 0; i < w; i++)
        {
          const float *wt = tx.weights + (gsize) i * tx.max_taps;
          float acc[3] = { 0, 0, 0 };

          for (guint k = 0; k < tx.spans[i].n; k++)
            for (guint c = 0; c < 3; c++)
              acc[c] += wt[k] * row[(gsize) (tx.spans[i].first + k) * 3 + c];
          memcpy (dst + (gsize) i * 3, acc, sizeof acc);
        }
    }

  for (guint j = 0; j < h; j++)
    {
      const float *wt = ty.weights + (gsize) j * ty.max_taps;
      guint8 *dst = out + ((gsize) (y0 + j) * size + x0) * 3;

      for (guint i = 0; i < w; i++)
        {
          float acc[3] = { 0, 0, 0 };

          for (guint k = 0; k < ty.spans[j].n; k++)
            {
              const float *src = tmp + ((gsize) (ty.spans[j].first + k) * w + i) * 3;

              for (guint c = 0; c < 3; c++)
                acc[c] += wt[k] * src[c];
            }
          for (guint c = 0; c < 3; c++)
            dst[(gsize) i * 3 + c] = to_byte (acc[c]);
        }
    }

  taps_clear (&tx);
  taps_clear (&ty);
}

gboolean
hs_image_is_blank (const guint8 *rgb, guint size, gdouble min_stddev)
{
  gsize n = (gsize) size * size;
  double sum = 0, sum2 = 0, mean;

  g_return_val_if_fail (rgb != NULL && size > 0, TRUE);

  for (gsize i = 0; i < n; i++)
    {
      double grey = (rgb[i * 3] + rgb[i * 3 + 1] + rgb[i * 3 + 2]) / 3.0;

      sum += grey;
      sum2 += grey * grey;
    }
  mean = sum / n;
  return sqrt (MAX (sum2 / n - mean * mean, 0.0)) < min_stddev;
}
