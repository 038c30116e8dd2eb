/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Elementwise kernels: broadcasting arithmetic, bias + activation and its
 * derivative, dropout, u8 casts.  Memory-bound loops, written so that GCC
 * vectorises them (`omp simd`: the project builds at -O2, whose cost model
 * leaves loops with a runtime trip count scalar otherwise).
 */
#define G_LOG_DOMAIN "hs-cpu"

#include "hs-cpu-private.h"
#include "hs-random.h"

#include <omp.h>

void
hs_cpu_bias_act_rows (float *out, const float *in, const float *bias, gsize rows, gsize cols,
                      HsAct act)
{
  for (gsize r = 0; r < rows; r++)
    {
      float *o = out + r * cols;
      const float *x = in + r * cols;

      switch (act)
        {
        case HS_ACT_NONE:
          if (bias != NULL)
            {
#pragma omp simd
              for (gsize j = 0; j < cols; j++)
                o[j] = x[j] + bias[j];
            }
          else if (o != x)
            memcpy (o, x, cols * sizeof (float));
          break;
        case HS_ACT_RELU:
          if (bias != NULL)
            {
#pragma omp simd
              for (gsize j = 0; j < cols; j++)
                o[j] = MAX (x[j] + bias[j], 0.f);
            }
          else
            {
#pragma omp simd
              for (gsize j = 0; j < cols; j++)
                o[j] = MAX (x[j], 0.f);
            }
          break;
        case HS_ACT_GELU:
          for (gsize j = 0; j < cols; j++)
            o[j] = hs_cpu_gelu (bias != NULL ? x[j] + bias[j] : x[j]);
          break;
        }
    }
}

void
hs_cpu_bias_act (HsDevice *dev, HsTensor *tout, HsTensor *tx, HsTensor *tbias, HsAct act)
{
  float *out = hs_cpu_f32 (tout);
  const float *x = hs_cpu_f32 (tx);
  const float *bias = tbias != NULL ? hs_cpu_f32 (tbias) : NULL;
  gint64 s[4];
  gsize cols, rows;
  gint nt;

  if (hs_device_failed (dev) || tx->numel == 0)
    return;
  hs_shape4 (tx, s);
  cols = s[3];
  rows = tx->numel / cols;
  /* GELU's tanh costs ~20 flops per element: parallelise sooner. */
  nt = hs_cpu_threads_for (dev, tx->numel * (act == HS_ACT_GELU ? 16 : 1));
  if (nt == 1)
    {
      hs_cpu_bias_act_rows (out, x, bias, rows, cols, act);
      return;
    }
#pragma omp parallel num_threads (nt)
  {
    gint t = omp_get_thread_num ();
    gsize lo = rows * t / nt, hi = rows * (t + 1) / nt;
    hs_cpu_bias_act_rows (out + lo * cols, x + lo * cols, bias, hi - lo, cols, act);
  }
}

void
hs_cpu_act_backward (HsDevice *dev, HsTensor *tdx, HsTensor *tdy, HsTensor *tref, HsAct act)
{
  float *dx = hs_cpu_f32 (tdx);
  const float *dy = hs_cpu_f32 (tdy), *ref = hs_cpu_f32 (tref);
  gsize n = tdx->numel;

  if (hs_device_failed (dev))
    return;
  switch (act)
    {
    case HS_ACT_NONE:
      if (dx != dy)
        memcpy (dx, dy, n * sizeof (float));
      break;
    case HS_ACT_RELU:
#pragma omp parallel for simd num_threads (hs_cpu_threads_for (dev, n)) schedule (static)
      for (gsize i = 0; i < n; i++)
        dx[i] = ref[i] > 0.f ? dy[i] : 0.f;
      break;
    case HS_ACT_GELU:
#pragma omp parallel for num_threads (hs_cpu_threads_for (dev, n * 16)) schedule (static)
      for (gsize i = 0; i < n; i++)
        dx[i] = dy[i] * hs_cpu_gelu_grad (ref[i]);
      break;
    }
}

void
hs_cpu_cast_u8 (HsDevice *dev, HsTensor *tout, HsTensor *tin, gfloat scale, gfloat shift)
{
  float *out = hs_cpu_f32 (tout);
  const guint8 *in = tin->buffer->storage;
  gsize n = tout->numel;

  if (hs_device_failed (dev))
    return;
#pragma omp parallel for simd num_threads (hs_cpu_threads_for (dev, n)) schedule (static)
  for (gsize i = 0; i < n; i++)
    out[i] = (float) in[i] * scale + shift;
}

void
hs_cpu_dropout (HsDevice *dev, HsTensor *ty, HsTensor *tx, gfloat p, guint32 seed)
{
  float *y = hs_cpu_f32 (ty);
  const float *x = hs_cpu_f32 (tx);
  gsize n = ty->numel;
  guint32 threshold = hs_dropout_threshold (p);
  float keep_scale = 1.0f - p;

  if (hs_device_failed (dev))
    return;
#pragma omp parallel for simd num_threads (hs_cpu_threads_for (dev, n)) schedule (static)
  for (gsize i = 0; i < n; i++)
    y[i] = hs_dropout_keep (seed, (guint32) i, threshold) ? x[i] / keep_scale : 0.f;
}

/* Broadcasting.  The right-aligned 4-D shapes are first collapsed: adjacent
 * dims merge when each operand is broadcast along both or along neither, so
 * the common cases (same shape; [rows, C] with [C]; [n, hw, c] with
 * [n, 1, c]) end with a long contiguous or constant inner run. */
typedef struct {
  gint nd;
  gint64 size[4];
  gint64 sa[4], sb[4]; /* element strides, 0 where broadcast */
} HsCpuBroadcast;

static void
hs_cpu_broadcast_init (HsCpuBroadcast *bc, HsTensor *out, HsTensor *a, HsTensor *b)
{
  gint64 so[4], sha[4], shb[4], stride_a = 1, stride_b = 1;
  gint64 size[4], sa[4], sb[4];

  hs_shape4 (out, so);
  hs_shape4 (a, sha);
  if (b != NULL)
    hs_shape4 (b, shb);
  else
    shb[0] = shb[1] = shb[2] = shb[3] = 1;

  for (gint d = 3; d >= 0; d--)
    {
      size[d] = so[d];
      sa[d] = sha[d] == 1 ? 0 : stride_a;
      sb[d] = shb[d] == 1 ? 0 : stride_b;
      stride_a *= sha[d];
      stride_b *= shb[d];
    }

  /* Collapse from the inside out. */
  bc->nd = 0;
  for (gint d = 3; d >= 0; d--)
    {
      gint i = bc->nd - 1;

      if (size[d] == 1)
        continue;
      if (i >= 0
          && (sa[d] == 0) == (bc->sa[i] == 0) && (sb[d] == 0) == (bc->sb[i] == 0)
          && (sa[d] == 0 || sa[d] == bc->sa[i] * bc->size[i])
          && (sb[d] == 0 || sb[d] == bc->sb[i] * bc->size[i]))
        {
          bc->size[i] *= size[d];
          continue;
        }
      bc->size[bc->nd] = size[d];
      bc->sa[bc->nd] = sa[d];
      bc->sb[bc->nd] = sb[d];
      bc->nd++;
    }
  if (bc->nd == 0)
    {
      bc->nd = 1;
      bc->size[0] = 1;
      bc->sa[0] = bc->sb[0] = 0;
    }
  /* Stored innermost first; pad to 4 with size-1 dims. */
  for (gint i = bc->nd; i < 4; i++)
    {
      bc->size[i] = 1;
      bc->sa[i] = bc->sb[i] = 0;
    }
}

static inline void
hs_cpu_binary_run (HsBinaryOp op, float alpha, float beta, float *o,
                   const float *a, gint64 sa, const float *b, gint64 sb, gint64 n)
{
  /* sa, sb are 0 or 1 here: four loops the compiler can vectorise. */
  if (b == NULL)
    {
      if (sa)
        {
#pragma omp simd
          for (gint64 i = 0; i < n; i++)
            o[i] = alpha * a[i];
        }
      else
        {
          float v = alpha * a[0];
#pragma omp simd
          for (gint64 i = 0; i < n; i++)
            o[i] = v;
        }
      return;
    }

#define HS_BINARY_LOOP(EXPR)                                   \
  do {                                                         \
    if (sa && sb)                                              \
      {                                                        \
        _Pragma ("omp simd")                                   \
        for (gint64 i = 0; i < n; i++)                         \
          { float va = a[i], vb = b[i]; o[i] = (EXPR); }       \
      }                                                        \
    else if (sa)                                               \
      {                                                        \
        float vb = b[0];                                       \
        _Pragma ("omp simd")                                   \
        for (gint64 i = 0; i < n; i++)                         \
          { float va = a[i]; o[i] = (EXPR); }                  \
      }                                                        \
    else if (sb)                                               \
      {                                                        \
        float va = a[0];                                       \
        _Pragma ("omp simd")                                   \
        for (gint64 i = 0; i < n; i++)                         \
          { float vb = b[i]; o[i] = (EXPR); }                  \
      }                                                        \
    else                                                       \
      {                                                        \
        float va = a[0], vb = b[0];                            \
        for (gint64 i = 0; i < n; i++)                         \
          o[i] = (EXPR);                                       \
      }                                                        \
  } while (0)

  if (op == HS_BINARY_ADD)
    HS_BINARY_LOOP (alpha * va + beta * vb);
  else
    HS_BINARY_LOOP (alpha * va * vb);
#undef HS_BINARY_LOOP
}

void
hs_cpu_binary (HsDevice *dev, HsBinaryOp op, gfloat alpha, gfloat beta, HsTensor *tout,
               HsTensor *ta, HsTensor *tb)
{
  HsCpuBroadcast bc;
  float *out = hs_cpu_f32 (tout);
  const float *a = hs_cpu_f32 (ta), *b = tb != NULL ? hs_cpu_f32 (tb) : NULL;
  gint64 inner, outer;
  gint64 inner_sa, inner_sb;
  gint nt;

  if (hs_device_failed (dev) || tout->numel == 0)
    return;
  hs_cpu_broadcast_init (&bc, tout, ta, tb);
  inner = bc.size[0];
  inner_sa = bc.sa[0] != 0;
  inner_sb = bc.sb[0] != 0;
  outer = (gint64) tout->numel / inner;
  nt = hs_cpu_threads_for (dev, tout->numel);

  if (outer == 1)
    {
      /* One run: split it between the threads. */
#pragma omp parallel num_threads (nt)
      {
        gint t = omp_get_thread_num (), team = omp_get_num_threads ();
        gint64 lo = inner * t / team, hi = inner * (t + 1) / team;
        hs_cpu_binary_run (op, alpha, beta, out + lo, a + lo * inner_sa, inner_sa,
                           b != NULL ? b + lo * inner_sb : NULL, inner_sb, hi - lo);
      }
      return;
    }

#pragma omp parallel for num_threads (nt) schedule (static)
  for (gint64 j = 0; j < outer; j++)
    {
      gint64 rem = j, oa = 0, ob = 0;

      for (gint d = 1; d < 4; d++)
        {
          gint64 i = rem % bc.size[d];
          rem /= bc.size[d];
          oa += i * bc.sa[d];
          ob += i * bc.sb[d];
        }
      hs_cpu_binary_run (op, alpha, beta, out + j * inner, a + oa, inner_sa,
                         b != NULL ? b + ob : NULL, inner_sb, inner);
    }
}
