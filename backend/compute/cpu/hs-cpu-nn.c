/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Row-wise kernels over the last dim: softmax, cross-entropy, cosine
 * similarity.  Rows are independent, so threads split rows.
 */
#define G_LOG_DOMAIN "hs-cpu"

#include "hs-cpu-private.h"

#include <omp.h>

/* @t as rows over its last dim: returns the row count, the row length in @n. */
static inline gsize
hs_cpu_rows (HsTensor *t, gsize *n)
{
  gint64 s[4];

  hs_shape4 (t, s);
  *n = s[3];
  return *n > 0 ? t->numel / *n : 0;
}

/* out = exp (x - max), returns the sum of out (and the max). */
static inline double
hs_cpu_exp_row (const float *x, float *out, gsize n, float *max_out)
{
  float m = -INFINITY;
  double sum = 0.0;

  for (gsize j = 0; j < n; j++)
    m = MAX (m, x[j]);
  for (gsize j = 0; j < n; j++)
    {
      out[j] = expf (x[j] - m);
      sum += out[j];
    }
  *max_out = m;
  return sum;
}

void
hs_cpu_softmax (HsDevice *dev, HsTensor *ty, HsTensor *tx)
{
  const float *x = hs_cpu_f32 (tx);
  float *y = hs_cpu_f32 (ty);
  gsize n, rows = hs_cpu_rows (tx, &n);

  if (hs_device_failed (dev))
    return;
#pragma omp parallel for num_threads (hs_cpu_threads_for (dev, tx->numel * 8)) schedule (static)
  for (gsize r = 0; r < rows; r++)
    {
      float m, inv;
      double sum = hs_cpu_exp_row (x + r * n, y + r * n, n, &m);

      inv = (float) (1.0 / sum);
      for (gsize j = 0; j < n; j++)
        y[r * n + j] *= inv;
    }
}

void
hs_cpu_softmax_backward (HsDevice *dev, HsTensor *tdx, HsTensor *tdy, HsTensor *ty)
{
  const float *dy = hs_cpu_f32 (tdy), *y = hs_cpu_f32 (ty);
  float *dx = hs_cpu_f32 (tdx);
  gsize n, rows = hs_cpu_rows (ty, &n);

  if (hs_device_failed (dev))
    return;
  /* dx = y (dy - Σ dy y) */
#pragma omp parallel for num_threads (hs_cpu_threads_for (dev, ty->numel)) schedule (static)
  for (gsize r = 0; r < rows; r++)
    {
      const float *yr = y + r * n, *gr = dy + r * n;
      float *out = dx + r * n;
      double dot = 0.0;
      float d;

#pragma omp simd reduction (+:dot)
      for (gsize j = 0; j < n; j++)
        dot += gr[j] * yr[j];
      d = (float) dot;
#pragma omp simd
      for (gsize j = 0; j < n; j++)
        out[j] = yr[j] * (gr[j] - d);
    }
}

void
hs_cpu_cross_entropy (HsDevice *dev, HsTensor *tloss, HsTensor *tprobs, HsTensor *tlogits,
                      HsTensor *tlabels)
{
  const float *logits = hs_cpu_f32 (tlogits);
  const gint32 *labels = hs_cpu_i32 (tlabels);
  float *loss = hs_cpu_f32 (tloss), *probs = hs_cpu_f32 (tprobs);
  gsize n, rows = hs_cpu_rows (tlogits, &n);

  if (hs_device_failed (dev))
    return;
#pragma omp parallel for num_threads (hs_cpu_threads_for (dev, tlogits->numel * 8)) schedule (static)
  for (gsize r = 0; r < rows; r++)
    {
      const float *x = logits + r * n;
      float *p = probs + r * n;
      float m;
      double sum = hs_cpu_exp_row (x, p, n, &m);
      /* log-sum-exp: loss = m + log Σ exp (x - m) - x[label] */
      float lse = m + (float) log (sum);
      float inv = (float) (1.0 / sum);

      for (gsize j = 0; j < n; j++)
        p[j] *= inv;
      loss[r] = lse - x[labels[r]];
    }
}

void
hs_cpu_cross_entropy_backward (HsDevice *dev, HsTensor *tdlogits, HsTensor *tprobs,
                               HsTensor *tlabels, HsTensor *tdloss)
{
  const float *probs = hs_cpu_f32 (tprobs), *dloss = hs_cpu_f32 (tdloss);
  const gint32 *labels = hs_cpu_i32 (tlabels);
  float *dl = hs_cpu_f32 (tdlogits);
  gsize n, rows = hs_cpu_rows (tprobs, &n);

  if (hs_device_failed (dev))
    return;
#pragma omp parallel for num_threads (hs_cpu_threads_for (dev, tprobs->numel)) schedule (static)
  for (gsize r = 0; r < rows; r++)
    {
      const float *p = probs + r * n;
      float *out = dl + r * n;
      float g = dloss[r];

#pragma omp simd
      for (gsize j = 0; j < n; j++)
        out[j] = p[j] * g;
      out[labels[r]] = (p[labels[r]] - 1.f) * g;
    }
}

/* Dot product and squared norms of two rows, in double. */
static inline void
hs_cpu_cosine_sums (const float *a, const float *b, gsize n, double *ab, double *aa,
                    double *bb)
{
  double sab = 0.0, saa = 0.0, sbb = 0.0;

#pragma omp simd reduction (+:sab, saa, sbb)
  for (gsize j = 0; j < n; j++)
    {
      sab += (double) a[j] * b[j];
      saa += (double) a[j] * a[j];
      sbb += (double) b[j] * b[j];
    }
  *ab = sab;
  *aa = saa;
  *bb = sbb;
}

void
hs_cpu_cosine (HsDevice *dev, HsTensor *tout, HsTensor *ta, HsTensor *tb, gfloat eps)
{
  const float *a = hs_cpu_f32 (ta), *b = hs_cpu_f32 (tb);
  float *out = hs_cpu_f32 (tout);
  gsize n, rows = hs_cpu_rows (ta, &n);

  if (hs_device_failed (dev))
    return;
#pragma omp parallel for num_threads (hs_cpu_threads_for (dev, ta->numel)) schedule (static)
  for (gsize r = 0; r < rows; r++)
    {
      double ab, aa, bb;

      hs_cpu_cosine_sums (a + r * n, b + r * n, n, &ab, &aa, &bb);
      out[r] = (float) (ab / (MAX (sqrt (aa), (double) eps) * MAX (sqrt (bb), (double) eps)));
    }
}

void
hs_cpu_cosine_backward (HsDevice *dev, HsTensor *tda, HsTensor *tdb, HsTensor *tdout,
                        HsTensor *ta, HsTensor *tb, gfloat eps)
{
  const float *a = hs_cpu_f32 (ta), *b = hs_cpu_f32 (tb), *dout = hs_cpu_f32 (tdout);
  float *da = tda != NULL ? hs_cpu_f32 (tda) : NULL;
  float *db = tdb != NULL ? hs_cpu_f32 (tdb) : NULL;
  gsize n, rows = hs_cpu_rows (ta, &n);

  if (hs_device_failed (dev))
    return;
  /* out = ab / (na nb), na = max (|a|, eps).  Where |a| > eps,
   * d out / da = b / (na nb) - out a / |a|²; where the norm is clamped it
   * is a constant and only the first term remains. */
#pragma omp parallel for num_threads (hs_cpu_threads_for (dev, ta->numel)) schedule (static)
  for (gsize r = 0; r < rows; r++)
    {
      const float *ar = a + r * n, *br = b + r * n;
      double ab, aa, bb, la, lb, na, nb, cos, g = dout[r];
      float ka, kb, ca, cb;

      hs_cpu_cosine_sums (ar, br, n, &ab, &aa, &bb);
      la = sqrt (aa);
      lb = sqrt (bb);
      na = MAX (la, (double) eps);
      nb = MAX (lb, (double) eps);
      cos = ab / (na * nb);
      ka = (float) (g / (na * nb));
      ca = la > eps ? (float) (g * cos / aa) : 0.f;
      kb = ka;
      cb = lb > eps ? (float) (g * cos / bb) : 0.f;
      if (da != NULL)
        {
#pragma omp simd
          for (gsize j = 0; j < n; j++)
            da[r * n + j] = ka * br[j] - ca * ar[j];
        }
      if (db != NULL)
        {
#pragma omp simd
          for (gsize j = 0; j < n; j++)
            db[r * n + j] = kb * ar[j] - cb * br[j];
        }
    }
}
