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
 * Threads take chunks of output rows whose col slice fits in L2 (im2col,
 * multiply and epilogue touch it while it is hot) instead of materialising
 * the whole batch's col matrix, which for the first layers of a CNN is
 * several times larger than the images themselves.
 *
 * This is the general path.  Where hs_cpu_conv_simd_supported() says so
 * (oc, or c for the data gradient, a multiple of the SIMD width), the
 * implicit-GEMM kernels of hs-cpu-conv-simd.c run instead: about twice as
 * fast on the reference CNN, with no col matrix at all.
 */
#define G_LOG_DOMAIN "hs-cpu"

#include "hs-cpu-private.h"

#include <cblas.h>
#include <omp.h>

/* Bytes of col per thread and chunk: half of a 1 MiB L2, leaving room for
 * OpenBLAS's packed panels of the other operand (256 KiB to 1 MiB measured
 * within noise of each other on the reference CNN). */
#define HS_CPU_COL_BUDGET (512 * 1024)
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

/* Rows per chunk: at most what fits the budget, a multiple of 16 (the GEMM's
 * row tile), and cut so the chunk count is a multiple of the thread count
 * (threads take chunks dynamically, so a thread the OS delays does not hold
 * up the whole team, but equal shares still matter on an idle machine). */
static gsize
hs_cpu_conv_chunk_rows (const HsConvGeom *g, gsize rows, gint nt)
{
  gsize k = hs_cpu_conv_k (g);
  gsize max_rows = MAX ((gsize) 16, HS_CPU_COL_BUDGET / (k * sizeof (float)));
  gsize chunks = (rows + max_rows - 1) / max_rows;

  chunks = (chunks + nt - 1) / nt * nt;
  return MAX ((gsize) 16, ((rows + chunks - 1) / chunks + 15) & ~(gsize) 15);
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
 * Every dx element is written exactly once, so threads can split one image
 * by rows (the path for batches smaller than the team). */
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

/* Splits @rows output pixels into chunks for @nt threads and takes a
 * column matrix of one chunk per thread, or none for a pointwise
 * convolution (*col stays NULL).  FALSE when the scratch cannot be had. */
static gboolean
hs_cpu_conv_chunks (HsDevice *dev, const HsConvGeom *g, gsize rows, gint nt, gsize *chunk,
                    gsize *n_chunks, float **col)
{
  *chunk = hs_cpu_conv_chunk_rows (g, rows, nt);
  *n_chunks = (rows + *chunk - 1) / *chunk;
  *col = NULL;
  if (hs_cpu_conv_is_pointwise (g))
    return TRUE;
  *col = hs_cpu_scratch (dev, HS_CPU_SCRATCH_COL, *chunk * hs_cpu_conv_k (g) * nt * sizeof (float));
  return *col != NULL;
}

/* Rows [r0, r1) of the column matrix: x itself for a pointwise convolution
 * (@my_col NULL), else built in @my_col. */
static inline const float *
hs_cpu_conv_columns (const HsConvGeom *g, const float *x, float *my_col, gsize r0, gsize r1)
{
  if (my_col == NULL)
    return x + r0 * g->c;
  hs_cpu_im2col (g, x, my_col, r0, r1);
  return my_col;
}

void
hs_cpu_conv2d (HsDevice *dev, const HsConvGeom *g, HsTensor *ty, HsTensor *tx,
               HsTensor *tw, HsTensor *tbias, HsAct act)
{
  const float *x = hs_cpu_f32 (tx), *w = hs_cpu_f32 (tw);
  const float *bias = tbias != NULL ? hs_cpu_f32 (tbias) : NULL;
  float *y = hs_cpu_f32 (ty);
  gsize rows = (gsize) g->n * g->oh * g->ow, k = hs_cpu_conv_k (g);
  gsize chunk, n_chunks;
  gint nt;
  float *col;

  if (hs_device_failed (dev) || rows == 0)
    return;
  nt = hs_cpu_conv_threads (dev, g, rows);
  if (hs_cpu_conv_simd_supported (g, HS_CPU_CONV_FORWARD))
    {
      hs_cpu_conv2d_simd (dev, g, y, x, w, bias, act, nt);
      return;
    }
  if (!hs_cpu_conv_chunks (dev, g, rows, nt, &chunk, &n_chunks, &col))
    return;

#pragma omp parallel num_threads (nt)
  {
    float *my_col = col != NULL ? col + chunk * k * omp_get_thread_num () : NULL;

#pragma omp for schedule (static, 1)
    for (gsize i = 0; i < n_chunks; i++)
      {
        gsize r0 = i * chunk, r1 = MIN (rows, r0 + chunk);
        const float *a = hs_cpu_conv_columns (g, x, my_col, r0, r1);

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
  gsize chunk, n_chunks;
  gint nt;
  float *col, *partial = NULL;

  if (hs_device_failed (dev))
    return;
  if (rows == 0)
    {
      memset (dw, 0, wn * sizeof (float));
      return;
    }
  nt = hs_cpu_conv_threads (dev, g, rows);
  if (hs_cpu_conv_simd_supported (g, HS_CPU_CONV_BACKWARD_FILTER))
    {
      hs_cpu_conv2d_backward_filter_simd (dev, g, dw, dy, x, nt);
      return;
    }
  if (!hs_cpu_conv_chunks (dev, g, rows, nt, &chunk, &n_chunks, &col))
    return;
  if (nt > 1)
    {
      partial = hs_cpu_scratch (dev, HS_CPU_SCRATCH_PARTIAL, wstride * nt * sizeof (float));
      if (partial == NULL)
        return;
    }

#pragma omp parallel num_threads (nt)
  {
    gint t = omp_get_thread_num ();
    float *my_col = col != NULL ? col + chunk * k * t : NULL;
    float *my_dw = nt > 1 ? partial + wstride * t : dw;

    /* Each thread sums the chunks it happens to take into its own dW. */
    memset (my_dw, 0, wn * sizeof (float));
#pragma omp for schedule (static, 1)
    for (gsize i = 0; i < n_chunks; i++)
      {
        gsize r0 = i * chunk, r1 = MIN (rows, r0 + chunk);
        const float *b = hs_cpu_conv_columns (g, x, my_col, r0, r1);

        /* dW[oc, k] += dY[r0:r1, oc]ᵀ col[r0:r1, k] */
        cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, g->oc, k, r1 - r0, 1.f,
                     dy + r0 * g->oc, g->oc, b, k, 1.f, my_dw, k);
      }

    if (nt > 1)
      {
        /* The for's implicit barrier has completed every partial. */
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

/* dx of images [b0, b1) = col2im (dcol), dcol holding those images' rows.
 * The transpose of im2col: each output row adds kh runs of kw*c floats
 * back onto the input, after the images' dx is cleared. */
static void
hs_cpu_col2im_scatter (const HsConvGeom *g, float *dx, const float *dcol, gsize b0, gsize b1)
{
  gsize k = hs_cpu_conv_k (g), c = g->c, run = (gsize) g->kw * c;
  gsize image = (gsize) g->h * g->w * c;

  memset (dx + b0 * image, 0, (b1 - b0) * image * sizeof (float));
  for (gsize b = b0; b < b1; b++)
    {
      float *img = dx + b * image;

      for (gint oy = 0; oy < g->oh; oy++)
        for (gint ox = 0; ox < g->ow; ox++)
          {
            const float *src = dcol + (((b - b0) * g->oh + oy) * g->ow + ox) * k;
            gint iy0 = oy * g->sh - g->ph, ix0 = ox * g->sw - g->pw;
            gint kx_lo = MAX (0, -ix0), kx_hi = MIN (g->kw, g->w - ix0);
            gsize n = kx_hi > kx_lo ? (gsize) (kx_hi - kx_lo) * c : 0;

            for (gint ky = 0; ky < g->kh; ky++)
              {
                gint iy = iy0 + ky;
                const float *s;
                float *d;

                if (iy < 0 || iy >= g->h)
                  continue;
                s = src + ky * run + (gsize) kx_lo * c;
                d = img + ((gsize) iy * g->w + ix0 + kx_lo) * c;
#pragma omp simd
                for (gsize i = 0; i < n; i++)
                  d[i] += s[i];
              }
          }
    }
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
  if ((gsize) g->n >= (gsize) nt && hs_cpu_conv_simd_supported (g, HS_CPU_CONV_BACKWARD_DATA))
    {
      hs_cpu_conv2d_backward_data_simd (dev, g, dx, dy, w, nt);
      return;
    }
  if ((gsize) g->n >= (gsize) nt)
    {
      /* Chunks of whole images: a chunk's scatter only touches its own
       * images' dx, so threads never write the same element. */
      gsize per_chunk = MAX ((gsize) 1, HS_CPU_COL_BUDGET / image_bytes);
      gsize n_chunks = ((gsize) g->n + per_chunk - 1) / per_chunk;
      gsize stride;
      float *dcol;

      /* A multiple of nt chunks, as in hs_cpu_conv_chunk_rows(). */
      n_chunks = (n_chunks + nt - 1) / nt * nt;
      per_chunk = ((gsize) g->n + n_chunks - 1) / n_chunks;
      n_chunks = ((gsize) g->n + per_chunk - 1) / per_chunk;
      stride = hs_cpu_round_floats (per_chunk * ohw * k);
      dcol = hs_cpu_scratch (dev, HS_CPU_SCRATCH_COL, stride * nt * sizeof (float));
      if (dcol == NULL)
        return;
#pragma omp parallel num_threads (nt)
      {
        float *my_dcol = dcol + stride * omp_get_thread_num ();

#pragma omp for schedule (static, 1)
        for (gsize i = 0; i < n_chunks; i++)
          {
            gsize b0 = i * per_chunk, b1 = MIN ((gsize) g->n, b0 + per_chunk);

            /* dcol = dY W for these images' rows, then fold into dx. */
            cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (b1 - b0) * ohw, k, g->oc,
                         1.f, dy + b0 * ohw * g->oc, g->oc, w, k, 0.f, my_dcol, k);
            hs_cpu_col2im_scatter (g, dx, my_dcol, b0, b1);
          }
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
