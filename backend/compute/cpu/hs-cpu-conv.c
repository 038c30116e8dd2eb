/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * NHWC convolution as im2col + GEMM.
 *
 * With channels last, the receptive field of one output pixel is kh runs of
 * kw*c contiguous floats, so im2col is a handful of memcpy's per output row
 * and the convolution is col [rows, kh*kw*c] times Wᵀ, W being [oc, kh*kw*c]
 * row-major.  The backward passes are the two other products of the same
 * matrices: dW = dYᵀ col and dcol = dY W, dcol then folded back into dx.
 *
 * Each thread walks its own range of output rows in chunks whose col slice
 * fits in L2 (im2col, multiply and epilogue touch it while it is hot) instead
 * of materialising the whole batch's col matrix, which for the first layers
 * of a CNN is several times larger than the images themselves.
 */
#define G_LOG_DOMAIN "hs-cpu"

#include "hs-cpu-private.h"

#include <cblas.h>
#include <omp.h>

/* Bytes of col per thread and chunk: a good part of a 1 MiB L2, leaving room
 * for OpenBLAS's packed panels of the other operand. */
#define HS_CPU_COL_BUDGET (256 * 1024)
/* Below this many flops a convolution runs on one thread. */
#define HS_CPU_CONV_PARALLEL_FLOPS (1 << 21)

static inline gboolean
hs_cpu_conv_is_pointwise (const HsConvGeom *g)
{
  return g->kh == 1 && g->kw == 1 && g->sh == 1 && g->sw == 1 && g->ph == 0 && g->pw == 0
         && g->oh == g->h && g->ow == g->w;
}

static inline gsize
hs_cpu_conv_k (const HsConvGeom *g)
{
  return (gsize) g->kh * g->kw * g->c;
}

/* Rows per chunk: as many as fit the budget, a multiple of 16 (the GEMM's
 * row tile), at least 16. */
static gsize
hs_cpu_conv_chunk_rows (const HsConvGeom *g)
{
  gsize k = hs_cpu_conv_k (g);
  gsize rows = HS_CPU_COL_BUDGET / (k * sizeof (float));
  return MAX (16, rows & ~(gsize) 15);
}

static inline void
hs_cpu_copy_floats (float *restrict dst, const float *restrict src, gsize n)
{
  /* Runs are short (kw*c floats); an inline loop beats a call to memcpy. */
#pragma omp simd
  for (gsize i = 0; i < n; i++)
    dst[i] = src[i];
}

static inline void
hs_cpu_zero_floats (float *dst, gsize n)
{
#pragma omp simd
  for (gsize i = 0; i < n; i++)
    dst[i] = 0.f;
}

/* col[r - r0, :] = receptive field of output row r, for r in [r0, r1). */
static void
hs_cpu_im2col (const HsConvGeom *g, const float *x, float *col, gsize r0, gsize r1)
{
  gsize k = hs_cpu_conv_k (g), run = (gsize) g->kw * g->c;
  gsize ohw = (gsize) g->oh * g->ow;
  gsize b = r0 / ohw, p = r0 % ohw;
  gint oy = p / g->ow, ox = p % g->ow;

  for (gsize r = r0; r < r1; r++)
    {
      float *dst = col + (r - r0) * k;
      gint iy0 = oy * g->sh - g->ph, ix0 = ox * g->sw - g->pw;
      gint kx_lo = MAX (0, -ix0), kx_hi = MIN (g->kw, g->w - ix0);
      const float *img = x + b * g->h * g->w * g->c;

      kx_hi = MAX (kx_hi, kx_lo);
      for (gint ky = 0; ky < g->kh; ky++, dst += run)
        {
          gint iy = iy0 + ky;
          if (iy < 0 || iy >= g->h)
            {
              hs_cpu_zero_floats (dst, run);
              continue;
            }
          if (kx_lo == 0 && kx_hi == g->kw)
            {
              hs_cpu_copy_floats (dst, img + ((gsize) iy * g->w + ix0) * g->c, run);
              continue;
            }
          hs_cpu_zero_floats (dst, (gsize) kx_lo * g->c);
          hs_cpu_copy_floats (dst + (gsize) kx_lo * g->c,
                              img + ((gsize) iy * g->w + ix0 + kx_lo) * g->c,
                              (gsize) (kx_hi - kx_lo) * g->c);
          hs_cpu_zero_floats (dst + (gsize) kx_hi * g->c, (gsize) (g->kw - kx_hi) * g->c);
        }

      if (++ox == g->ow)
        {
          ox = 0;
          if (++oy == g->oh)
            {
              oy = 0;
              b++;
            }
        }
    }
}

/* dx rows iy in [iy0, iy1) of images [b0, b1), gathered from dcol, which
 * holds the rows of images b0.. (so image b's rows start at (b - b0) * ohw).
 * Every dx element is written exactly once: no zeroing pass and no write
 * conflicts between threads. */
static void
hs_cpu_col2im_gather (const HsConvGeom *g, float *dx, const float *dcol, gsize b0,
                      gsize b1, gint iy0, gint iy1)
{
  gsize k = hs_cpu_conv_k (g), c = g->c;
  gsize ohw = (gsize) g->oh * g->ow;

  for (gsize b = b0; b < b1; b++)
    {
      const float *dimg = dcol + (b - b0) * ohw * k;

      for (gint iy = iy0; iy < iy1; iy++)
        for (gint ix = 0; ix < g->w; ix++)
          {
            float *out = dx + ((b * g->h + iy) * g->w + ix) * c;
            gboolean first = TRUE;

            for (gint ky = 0; ky < g->kh; ky++)
              {
                gint ty = iy + g->ph - ky, oy;
                if (ty < 0)
                  break;
                if (ty % g->sh != 0 || (oy = ty / g->sh) >= g->oh)
                  continue;
                for (gint kx = 0; kx < g->kw; kx++)
                  {
                    gint tx = ix + g->pw - kx, ox;
                    const float *src;
                    if (tx < 0)
                      break;
                    if (tx % g->sw != 0 || (ox = tx / g->sw) >= g->ow)
                      continue;
                    src = dimg + ((gsize) oy * g->ow + ox) * k + ((gsize) ky * g->kw + kx) * c;
                    if (first)
                      hs_cpu_copy_floats (out, src, c);
                    else
                      {
#pragma omp simd
                        for (gsize i = 0; i < c; i++)
                          out[i] += src[i];
                      }
                    first = FALSE;
                  }
              }
            if (first)
              hs_cpu_zero_floats (out, c);
          }
    }
}

static gint
hs_cpu_conv_threads (HsDevice *dev, const HsConvGeom *g, gsize rows)
{
  double flops = 2.0 * rows * g->oc * hs_cpu_conv_k (g);
  gint nt = hs_cpu_threads (dev);

  if (flops < HS_CPU_CONV_PARALLEL_FLOPS)
    return 1;
  return (gint) MIN ((gsize) nt, MAX ((gsize) 1, rows / 16));
}

void
hs_cpu_conv2d (HsDevice *dev, const HsConvGeom *g, HsTensor *ty, HsTensor *tx,
               HsTensor *tw, HsTensor *tbias, HsAct act)
{
  const float *x = hs_cpu_f32 (tx), *w = hs_cpu_f32 (tw);
  const float *bias = tbias != NULL ? hs_cpu_f32 (tbias) : NULL;
  float *y = hs_cpu_f32 (ty);
  gsize rows = (gsize) g->n * g->oh * g->ow, k = hs_cpu_conv_k (g);
  gboolean pointwise = hs_cpu_conv_is_pointwise (g);
  gsize chunk = hs_cpu_conv_chunk_rows (g);
  gint nt;
  float *col = NULL;

  if (hs_device_failed (dev) || rows == 0)
    return;
  nt = hs_cpu_conv_threads (dev, g, rows);
  if (!pointwise)
    {
      col = hs_cpu_scratch (dev, HS_CPU_SCRATCH_COL, chunk * k * nt * sizeof (float));
      if (col == NULL)
        return;
    }

#pragma omp parallel num_threads (nt)
  {
    gint t = omp_get_thread_num ();
    gsize lo = rows * t / nt, hi = rows * (t + 1) / nt;
    float *my_col = pointwise ? NULL : col + chunk * k * t;

    for (gsize r0 = lo; r0 < hi; r0 += chunk)
      {
        gsize r1 = MIN (hi, r0 + chunk);
        const float *a;

        if (pointwise)
          a = x + r0 * g->c;
        else
          {
            hs_cpu_im2col (g, x, my_col, r0, r1);
            a = my_col;
          }
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, r1 - r0, g->oc, k, 1.f,
                     a, k, w, k, 0.f, y + r0 * g->oc, g->oc);
        if (bias != NULL || act != HS_ACT_NONE)
          hs_cpu_bias_act_rows (y + r0 * g->oc, y + r0 * g->oc, bias, r1 - r0, g->oc, act);
      }
  }
}

void
hs_cpu_conv2d_backward_filter (HsDevice *dev, const HsConvGeom *g, HsTensor *tdw,
                               HsTensor *tdy, HsTensor *tx)
{
  const float *x = hs_cpu_f32 (tx), *dy = hs_cpu_f32 (tdy);
  float *dw = hs_cpu_f32 (tdw);
  gsize rows = (gsize) g->n * g->oh * g->ow, k = hs_cpu_conv_k (g);
  gsize wn = (gsize) g->oc * k, wstride = hs_cpu_round_floats (wn);
  gboolean pointwise = hs_cpu_conv_is_pointwise (g);
  gsize chunk = hs_cpu_conv_chunk_rows (g);
  gint nt;
  float *col = NULL, *partial = NULL;

  if (hs_device_failed (dev))
    return;
  if (rows == 0)
    {
      memset (dw, 0, wn * sizeof (float));
      return;
    }
  nt = hs_cpu_conv_threads (dev, g, rows);
  if (!pointwise)
    {
      col = hs_cpu_scratch (dev, HS_CPU_SCRATCH_COL, chunk * k * nt * sizeof (float));
      if (col == NULL)
        return;
    }
  if (nt > 1)
    {
      partial = hs_cpu_scratch (dev, HS_CPU_SCRATCH_PARTIAL, wstride * nt * sizeof (float));
      if (partial == NULL)
        return;
    }

#pragma omp parallel num_threads (nt)
  {
    gint t = omp_get_thread_num ();
    gsize lo = rows * t / nt, hi = rows * (t + 1) / nt;
    float *my_col = pointwise ? NULL : col + chunk * k * t;
    float *my_dw = nt > 1 ? partial + wstride * t : dw;
    float beta = 0.f;

    if (lo == hi)
      memset (my_dw, 0, wn * sizeof (float));
    for (gsize r0 = lo; r0 < hi; r0 += chunk)
      {
        gsize r1 = MIN (hi, r0 + chunk);
        const float *b;

        if (pointwise)
          b = x + r0 * g->c;
        else
          {
            hs_cpu_im2col (g, x, my_col, r0, r1);
            b = my_col;
          }
        /* dW[oc, k] += dY[r0:r1, oc]ᵀ col[r0:r1, k] */
        cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, g->oc, k, r1 - r0, 1.f,
                     dy + r0 * g->oc, g->oc, b, k, beta, my_dw, k);
        beta = 1.f;
      }

    if (nt > 1)
      {
#pragma omp barrier
#pragma omp for simd schedule (static)
        for (gsize i = 0; i < wn; i++)
          {
            float s = partial[i];
            for (gint u = 1; u < nt; u++)
              s += partial[wstride * u + i];
            dw[i] = s;
          }
      }
  }
}

/* dcol = dY W for the output rows of images [b0, b1), then gather into dx
 * rows [iy0, iy1) of those images.  Runs on the calling thread. */
static void
hs_cpu_conv_bwd_data_images (const HsConvGeom *g, float *dx, const float *dy, const float *w,
                             float *dcol, gsize b0, gsize b1)
{
  gsize ohw = (gsize) g->oh * g->ow, k = hs_cpu_conv_k (g);

  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (b1 - b0) * ohw, k, g->oc, 1.f,
               dy + b0 * ohw * g->oc, g->oc, w, k, 0.f, dcol, k);
  hs_cpu_col2im_gather (g, dx, dcol, b0, b1, 0, g->h);
}

void
hs_cpu_conv2d_backward_data (HsDevice *dev, const HsConvGeom *g, HsTensor *tdx,
                             HsTensor *tdy, HsTensor *tw)
{
  const float *dy = hs_cpu_f32 (tdy), *w = hs_cpu_f32 (tw);
  float *dx = hs_cpu_f32 (tdx);
  gsize rows = (gsize) g->n * g->oh * g->ow, k = hs_cpu_conv_k (g);
  gsize ohw = (gsize) g->oh * g->ow;
  gsize image_bytes = ohw * k * sizeof (float);
  gint nt;

  if (hs_device_failed (dev))
    return;
  if (hs_cpu_conv_is_pointwise (g))
    {
      /* dx [rows, c] = dY [rows, oc] W [oc, c] */
      hs_cpu_sgemm (dev, FALSE, FALSE, rows, g->c, g->oc, 1.f, dy, w, 0.f, dx);
      return;
    }
  if (rows == 0)
    {
      memset (dx, 0, (gsize) g->n * g->h * g->w * g->c * sizeof (float));
      return;
    }

  nt = hs_cpu_conv_threads (dev, g, rows);
  if ((gsize) g->n >= (gsize) nt)
    {
      /* Each thread folds its own images: chunks of whole images, so the
       * gather never needs rows another chunk holds. */
      gsize per_chunk = MAX ((gsize) 1, HS_CPU_COL_BUDGET / image_bytes);
      gsize stride = hs_cpu_round_floats (per_chunk * ohw * k);
      float *dcol = hs_cpu_scratch (dev, HS_CPU_SCRATCH_COL, stride * nt * sizeof (float));

      if (dcol == NULL)
        return;
#pragma omp parallel num_threads (nt)
      {
        gint t = omp_get_thread_num ();
        gsize lo = (gsize) g->n * t / nt, hi = (gsize) g->n * (t + 1) / nt;

        for (gsize b0 = lo; b0 < hi; b0 += per_chunk)
          hs_cpu_conv_bwd_data_images (g, dx, dy, w, dcol + stride * t, b0,
                                       MIN (hi, b0 + per_chunk));
      }
    }
  else
    {
      /* Few large images: the team shares one image at a time. */
      float *dcol = hs_cpu_scratch (dev, HS_CPU_SCRATCH_COL, image_bytes);

      if (dcol == NULL)
        return;
      for (gsize b = 0; b < (gsize) g->n; b++)
        {
          hs_cpu_sgemm (dev, FALSE, FALSE, ohw, k, g->oc, 1.f, dy + b * ohw * g->oc, w,
                        0.f, dcol);
#pragma omp parallel for num_threads (nt) schedule (static)
          for (gint iy = 0; iy < g->h; iy++)
            hs_cpu_col2im_gather (g, dx, dcol, b, b + 1, iy, iy + 1);
        }
    }
}
