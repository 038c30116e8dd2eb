/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Batch norm and layer norm over the last dim.
 *
 * Batch norm on NHWC data is a per-column reduction of a [rows, C] matrix
 * with C small (16..512) and rows large: each thread sums its own block of
 * rows into per-channel accumulators, walking rows so the inner loop over C
 * is contiguous and vectorises, and the per-thread partials are combined
 * once.  Sums of a block of rows are kept in float (fast) and folded into
 * double every HS_CPU_BN_BLOCK rows (accurate for 10⁵+ rows).  Statistics
 * are taken around a per-channel shift (the first row), which keeps the
 * one-pass variance free of cancellation when |mean| >> std.
 */
#define G_LOG_DOMAIN "hs-cpu"

#include "hs-cpu-private.h"

#include <omp.h>

#define HS_CPU_BN_BLOCK 256

/* Per-thread partials: two double and two float accumulators per channel. */
typedef struct {
  double *s1, *s2;
  float *f1, *f2;
} HsCpuBnPartial;

static gsize
hs_cpu_bn_partial_stride (gsize c)
{
  /* bytes per thread, cache-line rounded */
  gsize bytes = c * (2 * sizeof (double) + 2 * sizeof (float));
  return (bytes + HS_CPU_ALIGN - 1) & ~(gsize) (HS_CPU_ALIGN - 1);
}

static HsCpuBnPartial
hs_cpu_bn_partial (guint8 *base, gsize c, gint t)
{
  HsCpuBnPartial p;
  guint8 *mine = base + hs_cpu_bn_partial_stride (c) * t;

  p.s1 = (double *) mine;
  p.s2 = p.s1 + c;
  p.f1 = (float *) (p.s2 + c);
  p.f2 = p.f1 + c;
  return p;
}

static inline void
hs_cpu_bn_flush (HsCpuBnPartial *p, gsize c)
{
#pragma omp simd
  for (gsize j = 0; j < c; j++)
    {
      p->s1[j] += p->f1[j];
      p->s2[j] += p->f2[j];
      p->f1[j] = 0.f;
      p->f2[j] = 0.f;
    }
}

static inline void
hs_cpu_bn_clear (HsCpuBnPartial *p, gsize c)
{
  for (gsize j = 0; j < c; j++)
    {
      p->s1[j] = p->s2[j] = 0.0;
      p->f1[j] = p->f2[j] = 0.f;
    }
}

/* Channel @j's double sums over the partials of all @nt threads. */
static inline void
hs_cpu_bn_gather (guint8 *partials, gsize c, gint nt, gsize j, double *s1, double *s2)
{
  double a = 0.0, b = 0.0;

  for (gint u = 0; u < nt; u++)
    {
      HsCpuBnPartial q = hs_cpu_bn_partial (partials, c, u);
      a += q.s1[j];
      b += q.s2[j];
    }
  *s1 = a;
  *s2 = b;
}

/* Per-thread partials for @nt threads followed by @n_coef floats per
 * channel, returned in @coef.  NULL when the scratch cannot be had. */
static guint8 *
hs_cpu_bn_scratch (HsDevice *dev, gsize c, gint nt, gsize n_coef, float **coef)
{
  gsize stride = hs_cpu_bn_partial_stride (c);
  guint8 *partials = hs_cpu_scratch (dev, HS_CPU_SCRATCH_PARTIAL,
                                     stride * nt + n_coef * c * sizeof (float) + HS_CPU_ALIGN);

  if (partials != NULL)
    *coef = (float *) (partials + stride * nt);
  return partials;
}

/* @tx as [rows, c] over its last dim; returns how many threads split the rows. */
static gint
hs_cpu_norm_split (HsDevice *dev, HsTensor *tx, gsize *c, gsize *rows)
{
  gint64 s[4];
  gint nt;

  hs_shape4 (tx, s);
  *c = s[3];
  *rows = tx->numel / *c;
  nt = hs_cpu_threads_for (dev, tx->numel);
  if (*rows < (gsize) nt)
    nt = 1;
  return nt;
}

/* ---- batch norm row loops ------------------------------------------------
 *
 * Each has a SIMD fast path for C a multiple of the vector width up to four
 * vectors (the channel counts of small CNNs), where the per-channel
 * accumulators and coefficients live in registers across rows, and a
 * generic path whose accumulators are arrays.
 */

#ifdef HS_CPU_VEC
#define HS_BN_FAST(c) ((c) % HS_CPU_VEC == 0 && (c) / HS_CPU_VEC <= 4 && (c) / HS_CPU_VEC != 3)

/* Two accumulators per vector (even and odd rows) hide the add latency. */
static HS_ALWAYS_INLINE void
hs_bn_stats_fast (const float *x, const float *shift, gsize lo, gsize hi, gsize c,
                  HsCpuBnPartial *p, const gint nv)
{
  HsVec sh[4];

  for (gint v = 0; v < nv; v++)
    sh[v] = hs_vload (shift + v * HS_CPU_VEC);
  for (gsize r0 = lo; r0 < hi; r0 += HS_CPU_BN_BLOCK)
    {
      gsize r1 = MIN (hi, r0 + HS_CPU_BN_BLOCK), r = r0;
      HsVec a1[2][4], a2[2][4];

#pragma GCC unroll 4
      for (gint v = 0; v < nv; v++)
        a1[0][v] = a1[1][v] = a2[0][v] = a2[1][v] = (HsVec) { 0 };
      for (; r + 2 <= r1; r += 2)
#pragma GCC unroll 2
        for (gint u = 0; u < 2; u++)
#pragma GCC unroll 4
          for (gint v = 0; v < nv; v++)
            {
              HsVec d = hs_vload (x + (r + u) * c + v * HS_CPU_VEC) - sh[v];
              a1[u][v] += d;
              a2[u][v] += d * d;
            }
      if (r < r1)
#pragma GCC unroll 4
        for (gint v = 0; v < nv; v++)
          {
            HsVec d = hs_vload (x + r * c + v * HS_CPU_VEC) - sh[v];
            a1[0][v] += d;
            a2[0][v] += d * d;
          }
      for (gint v = 0; v < nv; v++)
        {
          HsVec t1 = a1[0][v] + a1[1][v], t2 = a2[0][v] + a2[1][v];
          for (gint l = 0; l < HS_CPU_VEC; l++)
            {
              p->s1[v * HS_CPU_VEC + l] += t1[l];
              p->s2[v * HS_CPU_VEC + l] += t2[l];
            }
        }
    }
}

static HS_ALWAYS_INLINE void
hs_bn_apply_fast (const float *x, float *y, const float *mean, const float *scale,
                  const float *beta, gsize lo, gsize hi, gsize c, gboolean relu, const gint nv)
{
  HsVec m[4], sc[4], b[4];

  for (gint v = 0; v < nv; v++)
    {
      m[v] = hs_vload (mean + v * HS_CPU_VEC);
      sc[v] = hs_vload (scale + v * HS_CPU_VEC);
      b[v] = beta != NULL ? hs_vload (beta + v * HS_CPU_VEC) : (HsVec) { 0 };
    }
  for (gsize r = lo; r < hi; r++)
#pragma GCC unroll 4
    for (gint v = 0; v < nv; v++)
      {
        HsVec o = (hs_vload (x + r * c + v * HS_CPU_VEC) - m[v]) * sc[v] + b[v];
        if (relu)
          o = hs_vselect (o > 0, o);
        hs_vstore (y + r * c + v * HS_CPU_VEC, o);
      }
}

static HS_ALWAYS_INLINE void
hs_bn_bwd_sums_fast (const float *dy, const float *x, const float *y, const float *mean,
                     gsize lo, gsize hi, gsize c, gboolean relu, HsCpuBnPartial *p,
                     const gint nv)
{
  HsVec m[4];

  for (gint v = 0; v < nv; v++)
    m[v] = hs_vload (mean + v * HS_CPU_VEC);
  for (gsize r0 = lo; r0 < hi; r0 += HS_CPU_BN_BLOCK)
    {
      gsize r1 = MIN (hi, r0 + HS_CPU_BN_BLOCK);
      HsVec a1[4], a2[4];

#pragma GCC unroll 4
      for (gint v = 0; v < nv; v++)
        a1[v] = a2[v] = (HsVec) { 0 };
      for (gsize r = r0; r < r1; r++)
#pragma GCC unroll 4
        for (gint v = 0; v < nv; v++)
          {
            gsize i = r * c + v * HS_CPU_VEC;
            HsVec g = hs_vload (dy + i);
            if (relu)
              g = hs_vselect (hs_vload (y + i) > 0, g);
            a1[v] += g;
            a2[v] += g * (hs_vload (x + i) - m[v]);
          }
      for (gint v = 0; v < nv; v++)
        for (gint l = 0; l < HS_CPU_VEC; l++)
          {
            p->s1[v * HS_CPU_VEC + l] += a1[v][l];
            p->s2[v * HS_CPU_VEC + l] += a2[v][l];
          }
    }
}

static HS_ALWAYS_INLINE void
hs_bn_bwd_apply_fast (const float *dy, const float *x, const float *y, const float *mean,
                      const float *coef, gsize lo, gsize hi, gsize c, gboolean relu, float *dx,
                      const gint nv)
{
  HsVec m[4], ca[4], cb[4], ck[4];

  for (gint v = 0; v < nv; v++)
    {
      m[v] = hs_vload (mean + v * HS_CPU_VEC);
      ca[v] = hs_vload (coef + v * HS_CPU_VEC);
      cb[v] = hs_vload (coef + c + v * HS_CPU_VEC);
      ck[v] = hs_vload (coef + 2 * c + v * HS_CPU_VEC);
    }
  for (gsize r = lo; r < hi; r++)
#pragma GCC unroll 4
    for (gint v = 0; v < nv; v++)
      {
        gsize i = r * c + v * HS_CPU_VEC;
        HsVec g = hs_vload (dy + i);
        if (relu)
          g = hs_vselect (hs_vload (y + i) > 0, g);
        hs_vstore (dx + i, ca[v] * g + cb[v] * (hs_vload (x + i) - m[v]) + ck[v]);
      }
}

/* Instantiate a fast path for 1, 2 and 4 vectors per row. */
#define HS_BN_DISPATCH(fn, c, ...)                  \
  switch ((c) / HS_CPU_VEC)                         \
    {                                               \
    case 1: fn (__VA_ARGS__, 1); break;             \
    case 2: fn (__VA_ARGS__, 2); break;             \
    default: fn (__VA_ARGS__, 4); break;            \
    }
#else
#define HS_BN_FAST(c) FALSE
#define HS_BN_DISPATCH(fn, c, ...) g_assert_not_reached ()
#endif

static void
hs_bn_stats (const float *x, const float *shift, gsize lo, gsize hi, gsize c,
             HsCpuBnPartial *p)
{
  if (HS_BN_FAST (c))
    {
      HS_BN_DISPATCH (hs_bn_stats_fast, c, x, shift, lo, hi, c, p);
      return;
    }
  for (gsize r = lo; r < hi; r++)
    {
      const float *row = x + r * c;
#pragma omp simd
      for (gsize j = 0; j < c; j++)
        {
          float d = row[j] - shift[j];
          p->f1[j] += d;
          p->f2[j] += d * d;
        }
      if ((r - lo) % HS_CPU_BN_BLOCK == HS_CPU_BN_BLOCK - 1)
        hs_cpu_bn_flush (p, c);
    }
  hs_cpu_bn_flush (p, c);
}

static void
hs_bn_apply (const float *x, float *y, const float *mean, const float *scale,
             const float *beta, gsize lo, gsize hi, gsize c, HsAct act)
{
  if (HS_BN_FAST (c) && act != HS_ACT_GELU)
    {
      HS_BN_DISPATCH (hs_bn_apply_fast, c, x, y, mean, scale, beta, lo, hi, c,
                      act == HS_ACT_RELU);
      return;
    }
  for (gsize r = lo; r < hi; r++)
    {
      const float *row = x + r * c;
      float *out = y + r * c;

      if (act == HS_ACT_RELU)
        {
#pragma omp simd
          for (gsize j = 0; j < c; j++)
            out[j] = MAX ((row[j] - mean[j]) * scale[j] + (beta != NULL ? beta[j] : 0.f), 0.f);
        }
      else
        {
#pragma omp simd
          for (gsize j = 0; j < c; j++)
            out[j] = (row[j] - mean[j]) * scale[j] + (beta != NULL ? beta[j] : 0.f);
          if (act == HS_ACT_GELU)
            for (gsize j = 0; j < c; j++)
              out[j] = hs_cpu_gelu (out[j]);
        }
    }
}

/* Σ dy' and Σ dy' (x - mean), dy' = dy masked by y > 0 under RELU. */
static void
hs_bn_bwd_sums (const float *dy, const float *x, const float *y, const float *mean, gsize lo,
                gsize hi, gsize c, gboolean relu, HsCpuBnPartial *p)
{
  if (HS_BN_FAST (c))
    {
      HS_BN_DISPATCH (hs_bn_bwd_sums_fast, c, dy, x, y, mean, lo, hi, c, relu, p);
      return;
    }
  for (gsize r = lo; r < hi; r++)
    {
      const float *xr = x + r * c, *gr = dy + r * c;

      if (relu)
        {
          const float *yr = y + r * c;
#pragma omp simd
          for (gsize j = 0; j < c; j++)
            {
              float g = yr[j] > 0.f ? gr[j] : 0.f;
              p->f1[j] += g;
              p->f2[j] += g * (xr[j] - mean[j]);
            }
        }
      else
        {
#pragma omp simd
          for (gsize j = 0; j < c; j++)
            {
              p->f1[j] += gr[j];
              p->f2[j] += gr[j] * (xr[j] - mean[j]);
            }
        }
      if ((r - lo) % HS_CPU_BN_BLOCK == HS_CPU_BN_BLOCK - 1)
        hs_cpu_bn_flush (p, c);
    }
  hs_cpu_bn_flush (p, c);
}

/* dx = a dy' + b (x - mean) + k, coef = [a | b | k] per channel. */
static void
hs_bn_bwd_apply (const float *dy, const float *x, const float *y, const float *mean,
                 const float *coef, gsize lo, gsize hi, gsize c, gboolean relu, float *dx)
{
  const float *ca = coef, *cb = coef + c, *ck = coef + 2 * c;

  if (HS_BN_FAST (c))
    {
      HS_BN_DISPATCH (hs_bn_bwd_apply_fast, c, dy, x, y, mean, coef, lo, hi, c, relu, dx);
      return;
    }
  for (gsize r = lo; r < hi; r++)
    {
      const float *xr = x + r * c, *gr = dy + r * c;
      float *out = dx + r * c;

      if (relu)
        {
          const float *yr = y + r * c;
#pragma omp simd
          for (gsize j = 0; j < c; j++)
            {
              float g = yr[j] > 0.f ? gr[j] : 0.f;
              out[j] = ca[j] * g + cb[j] * (xr[j] - mean[j]) + ck[j];
            }
        }
      else
        {
#pragma omp simd
          for (gsize j = 0; j < c; j++)
            out[j] = ca[j] * gr[j] + cb[j] * (xr[j] - mean[j]) + ck[j];
        }
    }
}

void
hs_cpu_batchnorm (HsDevice *dev, HsTensor *ty, HsTensor *tx, HsTensor *tgamma,
                  HsTensor *tbeta, HsTensor *trm, HsTensor *trv, HsTensor *tsave_mean,
                  HsTensor *tsave_invstd, gfloat momentum, gfloat eps, gboolean training,
                  HsAct act)
{
  gsize c, rows;
  const float *x = hs_cpu_f32 (tx);
  float *y = hs_cpu_f32 (ty);
  const float *gamma = tgamma != NULL ? hs_cpu_f32 (tgamma) : NULL;
  const float *beta = tbeta != NULL ? hs_cpu_f32 (tbeta) : NULL;
  float *mean = hs_cpu_f32 (tsave_mean), *invstd = hs_cpu_f32 (tsave_invstd);
  float *rm = trm != NULL ? hs_cpu_f32 (trm) : NULL;
  float *rv = trv != NULL ? hs_cpu_f32 (trv) : NULL;
  guint8 *partials = NULL;
  float *scale;
  gint nt;

  if (hs_device_failed (dev) || tx->numel == 0)
    return;
  nt = hs_cpu_norm_split (dev, tx, &c, &rows);

  /* Per-thread partials, then gamma * invstd per channel. */
  partials = hs_cpu_bn_scratch (dev, c, nt, 1, &scale);
  if (partials == NULL)
    return;

#pragma omp parallel num_threads (nt)
  {
    gint t = omp_get_thread_num ();
    gsize lo = rows * t / nt, hi = rows * (t + 1) / nt;

    if (training)
      {
        HsCpuBnPartial p = hs_cpu_bn_partial (partials, c, t);
        const float *shift = x; /* the first row */

        hs_cpu_bn_clear (&p, c);
        hs_bn_stats (x, shift, lo, hi, c, &p);
#pragma omp barrier
#pragma omp single
        {
          for (gsize j = 0; j < c; j++)
            {
              double s1, s2, m, var;

              hs_cpu_bn_gather (partials, c, nt, j, &s1, &s2);
              m = s1 / rows;
              var = MAX (s2 / rows - m * m, 0.0);
              mean[j] = (float) (shift[j] + m);
              invstd[j] = (float) (1.0 / sqrt (var + eps));
              if (rm != NULL)
                rm[j] = (1.f - momentum) * rm[j] + momentum * mean[j];
              if (rv != NULL)
                rv[j] = (1.f - momentum) * rv[j]
                        + momentum * (float) (rows > 1 ? var * rows / (rows - 1) : var);
              scale[j] = (gamma != NULL ? gamma[j] : 1.f) * invstd[j];
            }
        }
      }
    else
      {
#pragma omp single
        for (gsize j = 0; j < c; j++)
          {
            mean[j] = rm[j];
            invstd[j] = 1.f / sqrtf (rv[j] + eps);
            scale[j] = (gamma != NULL ? gamma[j] : 1.f) * invstd[j];
          }
      }

    /* y = act ((x - mean) * gamma * invstd + beta) */
    hs_bn_apply (x, y, mean, scale, beta, lo, hi, c, act);
  }
}

void
hs_cpu_batchnorm_backward (HsDevice *dev, HsTensor *tdx, HsTensor *tdgamma, HsTensor *tdbeta,
                           HsTensor *tdy, HsTensor *tx, HsTensor *ty, HsTensor *tgamma,
                           HsTensor *tsave_mean, HsTensor *tsave_invstd, gboolean training,
                           HsAct act)
{
  gsize c, rows;
  const float *x = hs_cpu_f32 (tx), *dy = hs_cpu_f32 (tdy);
  const float *y = ty != NULL ? hs_cpu_f32 (ty) : NULL;
  const float *gamma = tgamma != NULL ? hs_cpu_f32 (tgamma) : NULL;
  const float *mean = hs_cpu_f32 (tsave_mean), *invstd = hs_cpu_f32 (tsave_invstd);
  float *dx = tdx != NULL ? hs_cpu_f32 (tdx) : NULL;
  float *dgamma = tdgamma != NULL ? hs_cpu_f32 (tdgamma) : NULL;
  float *dbeta = tdbeta != NULL ? hs_cpu_f32 (tdbeta) : NULL;
  gboolean relu = act == HS_ACT_RELU && y != NULL;
  guint8 *partials;
  float *coef; /* per channel: a, b, k: dx = a dy' + b (x - mean) + k */
  gint nt;

  if (hs_device_failed (dev) || tx->numel == 0)
    return;
  nt = hs_cpu_norm_split (dev, tx, &c, &rows);

  partials = hs_cpu_bn_scratch (dev, c, nt, 3, &coef);
  if (partials == NULL)
    return;

#pragma omp parallel num_threads (nt)
  {
    gint t = omp_get_thread_num ();
    gsize lo = rows * t / nt, hi = rows * (t + 1) / nt;
    HsCpuBnPartial p = hs_cpu_bn_partial (partials, c, t);

    hs_cpu_bn_clear (&p, c);
    hs_bn_bwd_sums (dy, x, y, mean, lo, hi, c, relu, &p);
#pragma omp barrier
#pragma omp single
    {
      for (gsize j = 0; j < c; j++)
        {
          double sdb, sdg, g = gamma != NULL ? gamma[j] : 1.0;
          double is = invstd[j], db, dg;

          hs_cpu_bn_gather (partials, c, nt, j, &sdb, &sdg);
          db = sdb;
          dg = sdg * is;
          if (dbeta != NULL)
            dbeta[j] = (float) db;
          if (dgamma != NULL)
            dgamma[j] = (float) dg;
          coef[j] = (float) (g * is);
          if (training)
            {
              /* dx = g is (dy' - db/N - xhat dg/N), xhat = (x - mean) is */
              coef[c + j] = (float) (-g * is * is * dg / rows);
              coef[2 * c + j] = (float) (-g * is * db / rows);
            }
          else
            {
              coef[c + j] = 0.f;
              coef[2 * c + j] = 0.f;
            }
        }
    }

    if (dx != NULL)
      hs_bn_bwd_apply (dy, x, y, mean, coef, lo, hi, c, relu, dx);
  }
}

void
hs_cpu_layernorm (HsDevice *dev, HsTensor *ty, HsTensor *tx, HsTensor *tgamma,
                  HsTensor *tbeta, HsTensor *tsave_mean, HsTensor *tsave_invstd, gfloat eps)
{
  gint64 s[4];
  gsize d, rows;
  const float *x = hs_cpu_f32 (tx);
  float *y = hs_cpu_f32 (ty);
  const float *gamma = tgamma != NULL ? hs_cpu_f32 (tgamma) : NULL;
  const float *beta = tbeta != NULL ? hs_cpu_f32 (tbeta) : NULL;
  float *mean = hs_cpu_f32 (tsave_mean), *invstd = hs_cpu_f32 (tsave_invstd);

  if (hs_device_failed (dev) || tx->numel == 0)
    return;
  hs_shape4 (tx, s);
  d = s[3];
  rows = tx->numel / d;

#pragma omp parallel for num_threads (hs_cpu_threads_for (dev, tx->numel)) schedule (static)
  for (gsize r = 0; r < rows; r++)
    {
      const float *row = x + r * d;
      float *out = y + r * d;
      double s1 = 0.0, s2 = 0.0;
      float m, is;

      /* Two passes over a row that sits in L1. */
#pragma omp simd reduction (+:s1)
      for (gsize j = 0; j < d; j++)
        s1 += row[j];
      m = (float) (s1 / d);
#pragma omp simd reduction (+:s2)
      for (gsize j = 0; j < d; j++)
        s2 += (double) (row[j] - m) * (row[j] - m);
      is = (float) (1.0 / sqrt (s2 / d + eps));
      mean[r] = m;
      invstd[r] = is;
#pragma omp simd
      for (gsize j = 0; j < d; j++)
        out[j] = (row[j] - m) * is * (gamma != NULL ? gamma[j] : 1.f)
                 + (beta != NULL ? beta[j] : 0.f);
    }
}

void
hs_cpu_layernorm_backward (HsDevice *dev, HsTensor *tdx, HsTensor *tdgamma, HsTensor *tdbeta,
                           HsTensor *tdy, HsTensor *tx, HsTensor *tgamma,
                           HsTensor *tsave_mean, HsTensor *tsave_invstd)
{
  gsize d, rows, stride;
  const float *x = hs_cpu_f32 (tx), *dy = hs_cpu_f32 (tdy);
  const float *gamma = tgamma != NULL ? hs_cpu_f32 (tgamma) : NULL;
  const float *mean = hs_cpu_f32 (tsave_mean), *invstd = hs_cpu_f32 (tsave_invstd);
  float *dx = tdx != NULL ? hs_cpu_f32 (tdx) : NULL;
  float *dgamma = tdgamma != NULL ? hs_cpu_f32 (tdgamma) : NULL;
  float *dbeta = tdbeta != NULL ? hs_cpu_f32 (tdbeta) : NULL;
  double *partials;
  gint nt;

  if (hs_device_failed (dev) || tx->numel == 0)
    return;
  nt = hs_cpu_norm_split (dev, tx, &d, &rows);
  stride = (2 * d + 7) & ~(gsize) 7;
  partials = hs_cpu_scratch (dev, HS_CPU_SCRATCH_PARTIAL, stride * nt * sizeof (double));
  if (partials == NULL)
    return;

#pragma omp parallel num_threads (nt)
  {
    gint t = omp_get_thread_num ();
    gsize lo = rows * t / nt, hi = rows * (t + 1) / nt;
    double *pg = partials + stride * t, *pb = pg + d;

    memset (pg, 0, 2 * d * sizeof (double));
    for (gsize r = lo; r < hi; r++)
      {
        const float *xr = x + r * d, *gr = dy + r * d;
        float m = mean[r], is = invstd[r];
        double sg = 0.0, sgx = 0.0;

#pragma omp simd reduction (+:sg, sgx)
        for (gsize j = 0; j < d; j++)
          {
            float xh = (xr[j] - m) * is;
            float g = gr[j] * (gamma != NULL ? gamma[j] : 1.f);
            pg[j] += gr[j] * xh;
            pb[j] += gr[j];
            sg += g;
            sgx += g * xh;
          }
        if (dx != NULL)
          {
            float *out = dx + r * d;
            float mg = (float) (sg / d), mgx = (float) (sgx / d);
#pragma omp simd
            for (gsize j = 0; j < d; j++)
              {
                float xh = (xr[j] - m) * is;
                float g = gr[j] * (gamma != NULL ? gamma[j] : 1.f);
                out[j] = is * (g - mg - xh * mgx);
              }
          }
      }
#pragma omp barrier
#pragma omp for schedule (static)
    for (gsize j = 0; j < d; j++)
      {
        double sg = 0.0, sb = 0.0;
        for (gint u = 0; u < nt; u++)
          {
            sg += partials[stride * u + j];
            sb += partials[stride * u + d + j];
          }
        if (dgamma != NULL)
          dgamma[j] = (float) sg;
        if (dbeta != NULL)
          dbeta[j] = (float) sb;
      }
  }
}
