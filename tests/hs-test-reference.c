/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Double-precision references: linear algebra, elementwise ops, losses,
 * reductions, data movement and optimizer updates.  Convolution, pooling,
 * normalisation and attention live in hs-test-reference-nn.c.
 */
#include <math.h>
#include <string.h>

#include "hs-test-reference.h"

/* Element (i, p) of op(A), which is m×k. */
static inline gsize
gemm_a_index (const RefGemm *g, gint i, gint p)
{
  return g->ta ? (gsize) p * g->m + i : (gsize) i * g->k + p;
}

/* Element (p, j) of op(B), which is k×n. */
static inline gsize
gemm_b_index (const RefGemm *g, gint p, gint j)
{
  return g->tb ? (gsize) j * g->k + p : (gsize) p * g->n + j;
}

void
ref_matmul (const RefGemm *g, const double *a, const double *b, double *c)
{
  for (gint bi = 0; bi < g->batch; bi++)
    {
      const double *ab = a + bi * g->stride_a;
      const double *bb = b + bi * g->stride_b;
      double *cb = c + (gsize) bi * g->m * g->n;

      for (gint i = 0; i < g->m; i++)
        for (gint j = 0; j < g->n; j++)
          {
            double s = 0.0;
            for (gint p = 0; p < g->k; p++)
              s += ab[gemm_a_index (g, i, p)] * bb[gemm_b_index (g, p, j)];
            cb[(gsize) i * g->n + j] = s;
          }
    }
}

void
ref_matmul_backward (const RefGemm *g, const double *a, const double *b, const double *dc,
                     double *da, double *db)
{
  for (gint bi = 0; bi < g->batch; bi++)
    {
      const double *ab = a + bi * g->stride_a;
      const double *bb = b + bi * g->stride_b;
      const double *dcb = dc + (gsize) bi * g->m * g->n;

      for (gint i = 0; i < g->m; i++)
        for (gint j = 0; j < g->n; j++)
          {
            double d = dcb[(gsize) i * g->n + j];
            for (gint p = 0; p < g->k; p++)
              {
                if (da != NULL)
                  da[bi * g->stride_a + gemm_a_index (g, i, p)] += d * bb[gemm_b_index (g, p, j)];
                if (db != NULL)
                  db[bi * g->stride_b + gemm_b_index (g, p, j)] += d * ab[gemm_a_index (g, i, p)];
              }
          }
    }
}

gboolean
ref_broadcast_shape (const gint64 sa[4], const gint64 sb[4], gint64 out[4])
{
  for (guint d = 0; d < 4; d++)
    {
      if (sa[d] != sb[d] && sa[d] != 1 && sb[d] != 1)
        return FALSE;
      out[d] = MAX (sa[d], sb[d]);
    }
  return TRUE;
}

/* Offset into a tensor of shape s for the broadcast index i of the output. */
static gsize
broadcast_offset (const gint64 s[4], const gint64 i[4])
{
  gsize off = 0;

  for (guint d = 0; d < 4; d++)
    off = off * s[d] + (s[d] == 1 ? 0 : i[d]);
  return off;
}

#define FOR_EACH_INDEX4(so, i) \
  for (i[0] = 0; i[0] < so[0]; i[0]++) \
    for (i[1] = 0; i[1] < so[1]; i[1]++) \
      for (i[2] = 0; i[2] < so[2]; i[2]++) \
        for (i[3] = 0; i[3] < so[3]; i[3]++)

void
ref_binary (RefBinary op, const double *a, const gint64 sa[4], const double *b,
            const gint64 sb[4], double *out, const gint64 so[4])
{
  gint64 i[4];
  gsize o = 0;

  FOR_EACH_INDEX4 (so, i)
    {
      double x = a[broadcast_offset (sa, i)];
      double y = b[broadcast_offset (sb, i)];
      out[o++] = op == REF_ADD ? x + y : op == REF_SUB ? x - y : x * y;
    }
}

void
ref_binary_backward (RefBinary op, const double *a, const gint64 sa[4], const double *b,
                     const gint64 sb[4], const double *dout, const gint64 so[4], double *da,
                     double *db)
{
  gint64 i[4];
  gsize o = 0;

  FOR_EACH_INDEX4 (so, i)
    {
      gsize ia = broadcast_offset (sa, i), ib = broadcast_offset (sb, i);
      double d = dout[o++];

      if (da != NULL)
        da[ia] += op == REF_MUL ? d * b[ib] : d;
      if (db != NULL)
        db[ib] += op == REF_MUL ? d * a[ia] : op == REF_SUB ? -d : d;
    }
}

#define GELU_K 0.7978845608028654 /* sqrt(2/pi) */
#define GELU_C 0.044715

double
ref_act (HsAct act, double x)
{
  switch (act)
    {
    case HS_ACT_RELU:
      return x > 0.0 ? x : 0.0;
    case HS_ACT_GELU:
      return 0.5 * x * (1.0 + tanh (GELU_K * (x + GELU_C * x * x * x)));
    case HS_ACT_NONE:
    default:
      return x;
    }
}

double
ref_act_grad (HsAct act, double x)
{
  switch (act)
    {
    case HS_ACT_RELU:
      return x > 0.0 ? 1.0 : 0.0;
    case HS_ACT_GELU:
      {
        double t = tanh (GELU_K * (x + GELU_C * x * x * x));
        return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * GELU_K * (1.0 + 3.0 * GELU_C * x * x);
      }
    case HS_ACT_NONE:
    default:
      return 1.0;
    }
}

void
ref_bias_act (const double *x, const double *bias, double *y, gsize rows, gsize c, HsAct act)
{
  for (gsize r = 0; r < rows; r++)
    for (gsize j = 0; j < c; j++)
      y[r * c + j] = ref_act (act, x[r * c + j] + (bias ? bias[j] : 0.0));
}

void
ref_bias_act_backward (const double *x, const double *bias, const double *dy, double *dx,
                       double *dbias, gsize rows, gsize c, HsAct act)
{
  for (gsize r = 0; r < rows; r++)
    for (gsize j = 0; j < c; j++)
      {
        double z = x[r * c + j] + (bias ? bias[j] : 0.0);
        double d = dy[r * c + j] * ref_act_grad (act, z);
        if (dx != NULL)
          dx[r * c + j] += d;
        if (dbias != NULL)
          dbias[j] += d;
      }
}

static double
linear_pre (const double *x, const double *w, const double *b, gsize r, gsize o, gsize in)
{
  double z = b ? b[o] : 0.0;

  for (gsize i = 0; i < in; i++)
    z += x[r * in + i] * w[o * in + i];
  return z;
}

void
ref_linear (const double *x, const double *w, const double *b, double *y, gsize rows,
            gsize in, gsize out, HsAct act)
{
  for (gsize r = 0; r < rows; r++)
    for (gsize o = 0; o < out; o++)
      y[r * out + o] = ref_act (act, linear_pre (x, w, b, r, o, in));
}

void
ref_linear_backward (const double *x, const double *w, const double *b, const double *dy,
                     double *dx, double *dw, double *db, gsize rows, gsize in, gsize out,
                     HsAct act)
{
  for (gsize r = 0; r < rows; r++)
    for (gsize o = 0; o < out; o++)
      {
        double dz = dy[r * out + o] * ref_act_grad (act, linear_pre (x, w, b, r, o, in));

        if (db != NULL)
          db[o] += dz;
        for (gsize i = 0; i < in; i++)
          {
            if (dx != NULL)
              dx[r * in + i] += dz * w[o * in + i];
            if (dw != NULL)
              dw[o * in + i] += dz * x[r * in + i];
          }
      }
}

void
ref_softmax (const double *x, double *y, gsize rows, gsize c)
{
  for (gsize r = 0; r < rows; r++)
    {
      const double *xr = x + r * c;
      double mx = xr[0], s = 0.0;

      for (gsize j = 1; j < c; j++)
        mx = MAX (mx, xr[j]);
      for (gsize j = 0; j < c; j++)
        s += exp (xr[j] - mx);
      for (gsize j = 0; j < c; j++)
        y[r * c + j] = exp (xr[j] - mx) / s;
    }
}

void
ref_softmax_backward (const double *x, const double *dy, double *dx, gsize rows, gsize c)
{
  g_autofree double *y = g_new (double, rows * c);

  ref_softmax (x, y, rows, c);
  for (gsize r = 0; r < rows; r++)
    {
      double dot = 0.0;

      for (gsize j = 0; j < c; j++)
        dot += dy[r * c + j] * y[r * c + j];
      for (gsize j = 0; j < c; j++)
        dx[r * c + j] += y[r * c + j] * (dy[r * c + j] - dot);
    }
}

double
ref_cross_entropy (const double *logits, const double *labels, gsize rows, gsize c)
{
  double total = 0.0;

  for (gsize r = 0; r < rows; r++)
    {
      const double *z = logits + r * c;
      double mx = z[0], s = 0.0;

      for (gsize j = 1; j < c; j++)
        mx = MAX (mx, z[j]);
      for (gsize j = 0; j < c; j++)
        s += exp (z[j] - mx);
      total += mx + log (s) - z[(gsize) labels[r]];
    }
  return total / rows;
}

void
ref_cross_entropy_backward (const double *logits, const double *labels, double dloss,
                            double *dlogits, gsize rows, gsize c)
{
  g_autofree double *p = g_new (double, rows * c);

  ref_softmax (logits, p, rows, c);
  for (gsize r = 0; r < rows; r++)
    for (gsize j = 0; j < c; j++)
      dlogits[r * c + j] += (p[r * c + j] - (j == (gsize) labels[r] ? 1.0 : 0.0)) * dloss / rows;
}

double
ref_mse (const double *a, const double *b, gsize n)
{
  double s = 0.0;

  for (gsize i = 0; i < n; i++)
    s += (a[i] - b[i]) * (a[i] - b[i]);
  return s / n;
}

void
ref_mse_backward (const double *a, const double *b, double dloss, double *da, double *db,
                  gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      double d = 2.0 * (a[i] - b[i]) * dloss / n;
      if (da != NULL)
        da[i] += d;
      if (db != NULL)
        db[i] -= d;
    }
}

void
ref_cosine (const double *a, const double *b, double *out, gsize rows, gsize d, double eps)
{
  for (gsize r = 0; r < rows; r++)
    {
      double dot = 0.0, na = 0.0, nb = 0.0;

      for (gsize j = 0; j < d; j++)
        {
          dot += a[r * d + j] * b[r * d + j];
          na += a[r * d + j] * a[r * d + j];
          nb += b[r * d + j] * b[r * d + j];
        }
      out[r] = dot / (MAX (sqrt (na), eps) * MAX (sqrt (nb), eps));
    }
}

void
ref_cosine_backward (const double *a, const double *b, const double *dout, double *da,
                     double *db, gsize rows, gsize d, double eps)
{
  for (gsize r = 0; r < rows; r++)
    {
      const double *ar = a + r * d, *br = b + r * d;
      double dot = 0.0, na = 0.0, nb = 0.0, ma, mb;

      for (gsize j = 0; j < d; j++)
        {
          dot += ar[j] * br[j];
          na += ar[j] * ar[j];
          nb += br[j] * br[j];
        }
      na = sqrt (na);
      nb = sqrt (nb);
      ma = MAX (na, eps);
      mb = MAX (nb, eps);
      /* max(|a|, eps) is constant below eps: only the dot product moves. */
      for (gsize j = 0; j < d; j++)
        {
          double ga = br[j] / (ma * mb), gb = ar[j] / (ma * mb);

          if (na > eps)
            ga -= dot * ar[j] / (ma * ma * mb * na);
          if (nb > eps)
            gb -= dot * br[j] / (ma * mb * mb * nb);
          if (da != NULL)
            da[r * d + j] += dout[r] * ga;
          if (db != NULL)
            db[r * d + j] += dout[r] * gb;
        }
    }
}

void
ref_reduce (const double *x, double *y, gsize outer, gsize axis, gsize inner, double scale)
{
  for (gsize o = 0; o < outer; o++)
    for (gsize i = 0; i < inner; i++)
      {
        double s = 0.0;
        for (gsize a = 0; a < axis; a++)
          s += x[(o * axis + a) * inner + i];
        y[o * inner + i] = s * scale;
      }
}

void
ref_reduce_backward (const double *dy, double *dx, gsize outer, gsize axis, gsize inner,
                     double scale)
{
  for (gsize o = 0; o < outer; o++)
    for (gsize a = 0; a < axis; a++)
      for (gsize i = 0; i < inner; i++)
        dx[(o * axis + a) * inner + i] += dy[o * inner + i] * scale;
}

void
ref_copy_block (double *dst, const double *src, gsize outer, gsize inner, gsize src_axis,
                gsize src_start, gsize dst_axis, gsize dst_start, gsize len)
{
  for (gsize o = 0; o < outer; o++)
    memcpy (dst + (o * dst_axis + dst_start) * inner, src + (o * src_axis + src_start) * inner,
            len * inner * sizeof (double));
}

/* in_off[o]: the input offset that output element o of a permutation reads. */
static void
permute_offsets (const gint64 s[4], const gint perm[4], gsize *in_off, gsize n)
{
  gint64 os[4], i[4];
  gsize o = 0;

  for (guint d = 0; d < 4; d++)
    os[d] = s[perm[d]];
  FOR_EACH_INDEX4 (os, i)
    {
      gint64 src[4];
      gsize off = 0;

      for (guint d = 0; d < 4; d++)
        src[perm[d]] = i[d];
      for (guint d = 0; d < 4; d++)
        off = off * s[d] + src[d];
      g_assert (o < n);
      in_off[o++] = off;
    }
}

void
ref_permute (const double *x, const gint64 s[4], const gint perm[4], double *y)
{
  gsize n = s[0] * s[1] * s[2] * s[3];
  g_autofree gsize *off = g_new (gsize, n);

  permute_offsets (s, perm, off, n);
  for (gsize o = 0; o < n; o++)
    y[o] = x[off[o]];
}

void
ref_permute_backward (const double *dy, const gint64 s[4], const gint perm[4], double *dx)
{
  gsize n = s[0] * s[1] * s[2] * s[3];
  g_autofree gsize *off = g_new (gsize, n);

  permute_offsets (s, perm, off, n);
  for (gsize o = 0; o < n; o++)
    dx[off[o]] += dy[o];
}

void
ref_embedding (const double *table, const double *idx, double *out, gsize n, gsize d)
{
  for (gsize r = 0; r < n; r++)
    memcpy (out + r * d, table + (gsize) idx[r] * d, d * sizeof (double));
}

void
ref_embedding_backward (const double *idx, const double *dout, double *dtable, gsize n,
                        gsize d)
{
  for (gsize r = 0; r < n; r++)
    for (gsize j = 0; j < d; j++)
      dtable[(gsize) idx[r] * d + j] += dout[r * d + j];
}

void
ref_sgd_step (double *p, const double *g, double *buf, gsize n, double lr, double momentum,
              double weight_decay)
{
  for (gsize i = 0; i < n; i++)
    {
      double gi = g[i] + weight_decay * p[i];

      if (buf != NULL)
        {
          buf[i] = momentum * buf[i] + gi;
          gi = buf[i];
        }
      p[i] -= lr * gi;
    }
}

void
ref_adam_step (double *p, const double *g, double *m, double *v, gsize n, double lr,
               double beta1, double beta2, double eps, double weight_decay, guint t,
               gboolean decoupled)
{
  double c1 = 1.0 - pow (beta1, t), c2 = 1.0 - pow (beta2, t);

  for (gsize i = 0; i < n; i++)
    {
      double gi = g[i];

      if (decoupled)
        p[i] -= lr * weight_decay * p[i];
      else
        gi += weight_decay * p[i];
      m[i] = beta1 * m[i] + (1.0 - beta1) * gi;
      v[i] = beta2 * v[i] + (1.0 - beta2) * gi * gi;
      p[i] -= lr * (m[i] / c1) / (sqrt (v[i] / c2) + eps);
    }
}
