/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Matrix products on OpenBLAS, split across the OpenMP team by hand.
 *
 * OpenBLAS itself runs with one thread (see hs-cpu-private.h), so a large
 * product is cut into one slice per thread: rows of C when C is tall, columns
 * when it is wide, and the inner dimension when C is small and k is long (the
 * shape of a weight gradient), each thread then writing a private partial
 * product that is summed at the end.
 */
#define G_LOG_DOMAIN "hs-cpu"

#include "hs-cpu-private.h"

#include <cblas.h>
#include <omp.h>

/* Below this many flops a product runs on one thread: OpenBLAS does ~1
 * MFLOP in under 10 µs, about what waking the team costs. */
#define HS_CPU_GEMM_PARALLEL_FLOPS (1 << 21)

/* One single-threaded product with explicit leading dimensions. */
static void
hs_cpu_sgemm_ld (gboolean ta, gboolean tb, gint m, gint n, gint k, float alpha,
                 const float *a, gint lda, const float *b, gint ldb, float beta,
                 float *c, gint ldc)
{
  if (m <= 0 || n <= 0)
    return;
  if (k <= 0 || alpha == 0.f)
    {
      /* C = beta C; beta == 0 must clear NaNs too. */
      for (gint i = 0; i < m; i++)
        {
          float *row = c + (gsize) i * ldc;
          if (beta == 0.f)
            memset (row, 0, n * sizeof (float));
          else
            for (gint j = 0; j < n; j++)
              row[j] *= beta;
        }
      return;
    }
  cblas_sgemm (CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
               m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/* The slice [lo, hi) of `total` for thread t of nt, in multiples of `quantum`
 * so that slices line up with the micro-kernel's tiles. */
static inline void
hs_cpu_slice (gint total, gint t, gint nt, gint quantum, gint *lo, gint *hi)
{
  gint units = (total + quantum - 1) / quantum;
  gint u0 = (gint) ((gint64) units * t / nt);
  gint u1 = (gint) ((gint64) units * (t + 1) / nt);
  *lo = MIN (total, u0 * quantum);
  *hi = MIN (total, u1 * quantum);
}

void
hs_cpu_sgemm (HsDevice *dev, gboolean ta, gboolean tb, gint m, gint n, gint k,
              float alpha, const float *a, const float *b, float beta, float *c)
{
  gint lda = ta ? m : k, ldb = tb ? k : n;
  gint nt = hs_cpu_threads (dev);
  double flops = 2.0 * m * n * k;
  gint big = MAX (m, n);

  if (nt <= 1 || flops < HS_CPU_GEMM_PARALLEL_FLOPS || (big < 16 * nt && k < 256))
    {
      hs_cpu_sgemm_ld (ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, n);
      return;
    }

  if (big >= 16 * nt)
    {
      gboolean split_m = m >= n;
#pragma omp parallel num_threads (nt)
      {
        gint t = omp_get_thread_num (), lo, hi;

        if (split_m)
          {
            hs_cpu_slice (m, t, nt, 16, &lo, &hi);
            /* Rows lo..hi of op(A): rows of A, or columns when transposed. */
            hs_cpu_sgemm_ld (ta, tb, hi - lo, n, k, alpha,
                             ta ? a + lo : a + (gsize) lo * lda, lda,
                             b, ldb, beta, c + (gsize) lo * n, n);
          }
        else
          {
            hs_cpu_slice (n, t, nt, 16, &lo, &hi);
            hs_cpu_sgemm_ld (ta, tb, m, hi - lo, k, alpha, a, lda,
                             tb ? b + (gsize) lo * ldb : b + lo, ldb,
                             beta, c + lo, n);
          }
      }
      return;
    }

  /* Small C, long k: private partial products, then one reduction. */
  {
    gsize mn = (gsize) m * n, stride = hs_cpu_round_floats (mn);
    float *partial = hs_cpu_scratch (dev, HS_CPU_SCRATCH_GEMM, stride * nt * sizeof (float));

    if (partial == NULL)
      return;
#pragma omp parallel num_threads (nt)
    {
      gint t = omp_get_thread_num (), lo, hi;

      hs_cpu_slice (k, t, nt, 16, &lo, &hi);
      hs_cpu_sgemm_ld (ta, tb, m, n, hi - lo, alpha,
                       ta ? a + (gsize) lo * lda : a + lo, lda,
                       tb ? b + lo : b + (gsize) lo * ldb, ldb,
                       0.f, partial + stride * t, n);
#pragma omp barrier
#pragma omp for schedule (static)
      for (gsize i = 0; i < mn; i++)
        {
          float s = 0.f;
          for (gint u = 0; u < nt; u++)
            s += partial[stride * u + i];
          c[i] = beta == 0.f ? s : s + beta * c[i];
        }
    }
  }
}

void
hs_cpu_gemm (HsDevice *dev, const HsGemm *g, HsTensor *ta_, HsTensor *tb_, HsTensor *tc_)
{
  const float *a = hs_cpu_f32 (ta_), *b = hs_cpu_f32 (tb_);
  float *c = hs_cpu_f32 (tc_);
  gint nt = hs_cpu_threads (dev);
  double flops = 2.0 * g->m * g->n * g->k;

  if (hs_device_failed (dev) || g->batch <= 0)
    return;

  /* A stack of row-major A's times one shared B is a single tall product. */
  if (g->batch > 1 && g->stride_b == 0 && !g->ta
      && g->stride_a == (gsize) g->m * g->k && g->stride_c == (gsize) g->m * g->n
      && (gint64) g->m * g->batch <= G_MAXINT)
    {
      hs_cpu_sgemm (dev, FALSE, g->tb, g->m * g->batch, g->n, g->k, g->alpha, a, b,
                    g->beta, c);
      return;
    }

  /* Many small products: one per thread at a time.  (A C shared by every
   * batch, stride_c == 0, must run in order.) */
  if (g->batch >= nt && nt > 1 && g->stride_c != 0
      && flops * g->batch >= HS_CPU_GEMM_PARALLEL_FLOPS)
    {
      gint lda = g->ta ? g->m : g->k, ldb = g->tb ? g->k : g->n;
#pragma omp parallel for num_threads (nt) schedule (dynamic, 1)
      for (gint i = 0; i < g->batch; i++)
        hs_cpu_sgemm_ld (g->ta, g->tb, g->m, g->n, g->k, g->alpha,
                         a + g->stride_a * i, lda, b + g->stride_b * i, ldb,
                         g->beta, c + g->stride_c * i, g->n);
      return;
    }

  for (gint i = 0; i < g->batch; i++)
    hs_cpu_sgemm (dev, g->ta, g->tb, g->m, g->n, g->k, g->alpha, a + g->stride_a * i,
                  b + g->stride_b * i, g->beta, c + g->stride_c * i);
}
