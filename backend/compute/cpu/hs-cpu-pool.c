/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Max and average pooling, NHWC.  A window's channels are contiguous, so
 * every window position is one vectorised pass over c floats.
 *
 * MAX skips padded positions and keeps the first maximum in window order
 * (strict >), like the Vulkan shaders; a window lying wholly in the padding
 * yields 0.  AVG counts padded positions as zeros (divisor kh * kw).
 */
#define G_LOG_DOMAIN "hs-cpu"

#include "hs-cpu-private.h"

#include <omp.h>

/* The input rows [*y0, *y1) and columns [*x0, *x1) under the window of
 * output (oy, ox), clipped to the image; empty when it is all padding. */
static inline void
hs_cpu_pool_window (const HsConvGeom *g, gint oy, gint ox, gint *y0, gint *y1, gint *x0,
                    gint *x1)
{
  gint top = oy * g->sh - g->ph, left = ox * g->sw - g->pw;

  *y0 = MAX (top, 0);
  *y1 = MIN (top + g->kh, g->h);
  *x0 = MAX (left, 0);
  *x1 = MIN (left + g->kw, g->w);
}

void
hs_cpu_pool2d (HsDevice *dev, const HsConvGeom *g, HsPoolType type, HsTensor *ty,
               HsTensor *tx)
{
  const float *x = hs_cpu_f32 (tx);
  float *y = hs_cpu_f32 (ty);
  gsize c = g->c, out_rows = (gsize) g->n * g->oh;
  float inv_area = 1.f / (g->kh * g->kw);

  if (hs_device_failed (dev))
    return;
#pragma omp parallel for num_threads (hs_cpu_threads_for (dev, ty->numel * g->kh * g->kw)) schedule (static)
  for (gsize row = 0; row < out_rows; row++)
    {
      gsize b = row / g->oh;
      gint oy = row % g->oh;

      for (gint ox = 0; ox < g->ow; ox++)
        {
          float *out = y + ((b * g->oh + oy) * g->ow + ox) * c;
          gboolean first = TRUE;
          gint y0, y1, x0, x1;

          hs_cpu_pool_window (g, oy, ox, &y0, &y1, &x0, &x1);
          for (gint iy = y0; iy < y1; iy++)
            {
              for (gint ix = x0; ix < x1; ix++)
                {
                  const float *in = x + ((b * g->h + iy) * g->w + ix) * c;

                  if (first)
                    memcpy (out, in, c * sizeof (float));
                  else if (type == HS_POOL_MAX)
                    {
#pragma omp simd
                      for (gsize j = 0; j < c; j++)
                        out[j] = in[j] > out[j] ? in[j] : out[j];
                    }
                  else
                    {
#pragma omp simd
                      for (gsize j = 0; j < c; j++)
                        out[j] += in[j];
                    }
                  first = FALSE;
                }
            }
          if (first)
            memset (out, 0, c * sizeof (float));
          else if (type == HS_POOL_AVG)
            {
#pragma omp simd
              for (gsize j = 0; j < c; j++)
                out[j] *= inv_area;
            }
        }
    }
}

void
hs_cpu_pool2d_backward (HsDevice *dev, const HsConvGeom *g, HsPoolType type, HsTensor *tdx,
                        HsTensor *tdy, HsTensor *tx)
{
  const float *x = hs_cpu_f32 (tx), *dy = hs_cpu_f32 (tdy);
  float *dx = hs_cpu_f32 (tdx);
  gsize c = g->c, image = (gsize) g->h * g->w * c;
  gsize stride = hs_cpu_round_floats (2 * c);
  float inv_area = 1.f / (g->kh * g->kw);
  gint nt = MIN (hs_cpu_threads_for (dev, tdy->numel * g->kh * g->kw), g->n);
  float *scratch = NULL;

  if (hs_device_failed (dev))
    return;
  nt = MAX (nt, 1);
  if (type == HS_POOL_MAX)
    {
      scratch = hs_cpu_scratch (dev, HS_CPU_SCRATCH_PARTIAL, stride * nt * sizeof (float));
      if (scratch == NULL)
        return;
    }

  /* Threads own whole images: windows of one image only touch its dx. */
#pragma omp parallel num_threads (nt)
  {
    gint t = omp_get_thread_num ();
    gsize lo = (gsize) g->n * t / nt, hi = (gsize) g->n * (t + 1) / nt;
    float *best = scratch != NULL ? scratch + stride * t : NULL;
    gint32 *arg = best != NULL ? (gint32 *) (best + c) : NULL;

    memset (dx + lo * image, 0, (hi - lo) * image * sizeof (float));
    for (gsize b = lo; b < hi; b++)
      for (gint oy = 0; oy < g->oh; oy++)
        for (gint ox = 0; ox < g->ow; ox++)
          {
            const float *grad = dy + ((b * g->oh + oy) * g->ow + ox) * c;
            gboolean first = TRUE;
            gint y0, y1, x0, x1;

            hs_cpu_pool_window (g, oy, ox, &y0, &y1, &x0, &x1);
            for (gint iy = y0; iy < y1; iy++)
              {
                for (gint ix = x0; ix < x1; ix++)
                  {
                    gsize pos = ((b * g->h + iy) * g->w + ix) * c;

                    /* arg holds offsets within the image: 32 bits suffice */
                    if (type == HS_POOL_AVG)
                      {
#pragma omp simd
                        for (gsize j = 0; j < c; j++)
                          dx[pos + j] += grad[j] * inv_area;
                      }
                    else if (first)
                      {
                        for (gsize j = 0; j < c; j++)
                          {
                            best[j] = x[pos + j];
                            arg[j] = (gint32) (pos - b * image);
                          }
                      }
                    else
                      {
#pragma omp simd
                        for (gsize j = 0; j < c; j++)
                          if (x[pos + j] > best[j])
                            {
                              best[j] = x[pos + j];
                              arg[j] = (gint32) (pos - b * image);
                            }
                      }
                    first = FALSE;
                  }
              }
            if (type == HS_POOL_MAX && !first)
              for (gsize j = 0; j < c; j++)
                dx[b * image + (gsize) arg[j] + j] += grad[j];
          }
  }
}
