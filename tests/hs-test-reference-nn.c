/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Double-precision references: NHWC convolution and pooling, batch and layer
 * norm, multi-head self-attention.
 */
#include <math.h>
#include <string.h>

#include "hs-test-reference.h"

void
ref_conv_geom (RefConv *g)
{
  g->oh = (g->h + 2 * g->pad - g->kh) / g->stride + 1;
  g->ow = (g->w + 2 * g->pad - g->kw) / g->stride + 1;
}

static inline gsize
nhwc (const RefConv *g, gint n, gint y, gint x, gint c, gint channels)
{
  return (((gsize) n * g->h + y) * g->w + x) * channels + c;
}

/* The pre-activation of output (n, oy, ox, o). */
static double
conv_pre (const RefConv *g, const double *x, const double *w, const double *bias, gint n,
          gint oy, gint ox, gint o)
{
  double z = bias ? bias[o] : 0.0;

  for (gint ky = 0; ky < g->kh; ky++)
    for (gint kx = 0; kx < g->kw; kx++)
      {
        gint iy = oy * g->stride - g->pad + ky, ix = ox * g->stride - g->pad + kx;
        if (iy < 0 || iy >= g->h || ix < 0 || ix >= g->w)
          continue;
        for (gint c = 0; c < g->c; c++)
          z += x[nhwc (g, n, iy, ix, c, g->c)]
               * w[(((gsize) o * g->kh + ky) * g->kw + kx) * g->c + c];
      }
  return z;
}

void
ref_conv2d (const RefConv *g, const double *x, const double *w, const double *bias, double *y,
            HsAct act)
{
  gsize i = 0;

  for (gint n = 0; n < g->n; n++)
    for (gint oy = 0; oy < g->oh; oy++)
      for (gint ox = 0; ox < g->ow; ox++)
        for (gint o = 0; o < g->oc; o++)
          y[i++] = ref_act (act, conv_pre (g, x, w, bias, n, oy, ox, o));
}

void
ref_conv2d_backward (const RefConv *g, const double *x, const double *w, const double *bias,
                     const double *dy, double *dx, double *dw, double *dbias, HsAct act)
{
  gsize i = 0;

  for (gint n = 0; n < g->n; n++)
    for (gint oy = 0; oy < g->oh; oy++)
      for (gint ox = 0; ox < g->ow; ox++)
        for (gint o = 0; o < g->oc; o++)
          {
            double dz = dy[i++] * ref_act_grad (act, conv_pre (g, x, w, bias, n, oy, ox, o));

            if (dbias != NULL)
              dbias[o] += dz;
            for (gint ky = 0; ky < g->kh; ky++)
              for (gint kx = 0; kx < g->kw; kx++)
                {
                  gint iy = oy * g->stride - g->pad + ky, ix = ox * g->stride - g->pad + kx;
                  if (iy < 0 || iy >= g->h || ix < 0 || ix >= g->w)
                    continue;
                  for (gint c = 0; c < g->c; c++)
                    {
                      gsize xi = nhwc (g, n, iy, ix, c, g->c);
                      gsize wi = (((gsize) o * g->kh + ky) * g->kw + kx) * g->c + c;
                      if (dx != NULL)
                        dx[xi] += dz * w[wi];
                      if (dw != NULL)
                        dw[wi] += dz * x[xi];
                    }
                }
          }
}

/* For max pooling: the input offset of the window's maximum (padding is
 * skipped; on ties the first in window order wins). */
static gsize
pool_argmax (const RefConv *g, const double *x, gint n, gint oy, gint ox, gint c)
{
  gsize best = G_MAXSIZE;

  for (gint ky = 0; ky < g->kh; ky++)
    for (gint kx = 0; kx < g->kw; kx++)
      {
        gint iy = oy * g->stride - g->pad + ky, ix = ox * g->stride - g->pad + kx;
        gsize xi;
        if (iy < 0 || iy >= g->h || ix < 0 || ix >= g->w)
          continue;
        xi = nhwc (g, n, iy, ix, c, g->c);
        if (best == G_MAXSIZE || x[xi] > x[best])
          best = xi;
      }
  g_assert (best != G_MAXSIZE);
  return best;
}

void
ref_pool2d (const RefConv *g, HsPoolType type, const double *x, double *y)
{
  gsize i = 0;

  for (gint n = 0; n < g->n; n++)
    for (gint oy = 0; oy < g->oh; oy++)
      for (gint ox = 0; ox < g->ow; ox++)
        for (gint c = 0; c < g->c; c++)
          {
            double s = 0.0;

            if (type == HS_POOL_MAX)
              {
                y[i++] = x[pool_argmax (g, x, n, oy, ox, c)];
                continue;
              }
            for (gint ky = 0; ky < g->kh; ky++)
              for (gint kx = 0; kx < g->kw; kx++)
                {
                  gint iy = oy * g->stride - g->pad + ky, ix = ox * g->stride - g->pad + kx;
                  if (iy >= 0 && iy < g->h && ix >= 0 && ix < g->w)
                    s += x[nhwc (g, n, iy, ix, c, g->c)];
                }
            /* Padding counts as zeros. */
            y[i++] = s / (g->kh * g->kw);
          }
}

void
ref_pool2d_backward (const RefConv *g, HsPoolType type, const double *x, const double *dy,
                     double *dx)
{
  gsize i = 0;

  for (gint n = 0; n < g->n; n++)
    for (gint oy = 0; oy < g->oh; oy++)
      for (gint ox = 0; ox < g->ow; ox++)
        for (gint c = 0; c < g->c; c++)
          {
            double d = dy[i++];

            if (type == HS_POOL_MAX)
              {
                dx[pool_argmax (g, x, n, oy, ox, c)] += d;
                continue;
              }
            for (gint ky = 0; ky < g->kh; ky++)
              for (gint kx = 0; kx < g->kw; kx++)
                {
                  gint iy = oy * g->stride - g->pad + ky, ix = ox * g->stride - g->pad + kx;
                  if (iy >= 0 && iy < g->h && ix >= 0 && ix < g->w)
                    dx[nhwc (g, n, iy, ix, c, g->c)] += d / (g->kh * g->kw);
                }
          }
}

void
ref_global_avg_pool (const double *x, double *y, gsize n, gsize hw, gsize c)
{
  for (gsize b = 0; b < n; b++)
    for (gsize j = 0; j < c; j++)
      {
        double s = 0.0;
        for (gsize p = 0; p < hw; p++)
          s += x[(b * hw + p) * c + j];
        y[b * c + j] = s / hw;
      }
}

void
ref_global_avg_pool_backward (const double *dy, double *dx, gsize n, gsize hw, gsize c)
{
  for (gsize b = 0; b < n; b++)
    for (gsize p = 0; p < hw; p++)
      for (gsize j = 0; j < c; j++)
        dx[(b * hw + p) * c + j] += dy[b * c + j] / hw;
}

/* Per-channel mean and 1/sqrt(var + eps): the batch's (biased variance)
 * when training, else the running statistics. */
static void
bn_stats (const double *x, const double *running_mean, const double *running_var, gsize rows,
          gsize c, gboolean training, double eps, double *mean, double *istd)
{
  for (gsize j = 0; j < c; j++)
    {
      double m = 0.0, v = 0.0;

      if (!training)
        {
          mean[j] = running_mean[j];
          istd[j] = 1.0 / sqrt (running_var[j] + eps);
          continue;
        }
      for (gsize r = 0; r < rows; r++)
        m += x[r * c + j];
      m /= rows;
      for (gsize r = 0; r < rows; r++)
        v += (x[r * c + j] - m) * (x[r * c + j] - m);
      mean[j] = m;
      istd[j] = 1.0 / sqrt (v / rows + eps);
    }
}

void
ref_batch_norm (const double *x, const double *gamma, const double *beta,
                const double *running_mean, const double *running_var, double *y, gsize rows,
                gsize c, gboolean training, double eps, HsAct act)
{
  g_autofree double *mean = g_new (double, c);
  g_autofree double *istd = g_new (double, c);

  bn_stats (x, running_mean, running_var, rows, c, training, eps, mean, istd);
  for (gsize r = 0; r < rows; r++)
    for (gsize j = 0; j < c; j++)
      y[r * c + j] = ref_act (act, gamma[j] * (x[r * c + j] - mean[j]) * istd[j] + beta[j]);
}

void
ref_batch_norm_backward (const double *x, const double *gamma, const double *beta,
                         const double *running_mean, const double *running_var,
                         const double *dy, double *dx, double *dgamma, double *dbeta,
                         gsize rows, gsize c, gboolean training, double eps, HsAct act)
{
  g_autofree double *mean = g_new (double, c);
  g_autofree double *istd = g_new (double, c);

  bn_stats (x, running_mean, running_var, rows, c, training, eps, mean, istd);
  for (gsize j = 0; j < c; j++)
    {
      double sg = 0.0, sgx = 0.0;

      /* g = dy through the activation; sums over the batch. */
      for (gsize r = 0; r < rows; r++)
        {
          double xh = (x[r * c + j] - mean[j]) * istd[j];
          double g = dy[r * c + j] * ref_act_grad (act, gamma[j] * xh + beta[j]);
          sg += g;
          sgx += g * xh;
        }
      if (dgamma != NULL)
        dgamma[j] += sgx;
      if (dbeta != NULL)
        dbeta[j] += sg;
      if (dx == NULL)
        continue;
      for (gsize r = 0; r < rows; r++)
        {
          double xh = (x[r * c + j] - mean[j]) * istd[j];
          double g = dy[r * c + j] * ref_act_grad (act, gamma[j] * xh + beta[j]);
          if (training)
            dx[r * c + j] += gamma[j] * istd[j] * (g - sg / rows - xh * sgx / rows);
          else
            dx[r * c + j] += gamma[j] * istd[j] * g;
        }
    }
}

void
ref_batch_norm_running (const double *x, double *running_mean, double *running_var,
                        gsize rows, gsize c, double momentum)
{
  for (gsize j = 0; j < c; j++)
    {
      double m = 0.0, v = 0.0;

      for (gsize r = 0; r < rows; r++)
        m += x[r * c + j];
      m /= rows;
      for (gsize r = 0; r < rows; r++)
        v += (x[r * c + j] - m) * (x[r * c + j] - m);
      running_mean[j] = (1.0 - momentum) * running_mean[j] + momentum * m;
      running_var[j] = (1.0 - momentum) * running_var[j] + momentum * v / (rows - 1);
    }
}

static void
ln_row (const double *x, gsize d, double eps, double *mean, double *istd)
{
  double m = 0.0, v = 0.0;

  for (gsize j = 0; j < d; j++)
    m += x[j];
  m /= d;
  for (gsize j = 0; j < d; j++)
    v += (x[j] - m) * (x[j] - m);
  *mean = m;
  *istd = 1.0 / sqrt (v / d + eps);
}

void
ref_layer_norm (const double *x, const double *gamma, const double *beta, double *y,
                gsize rows, gsize d, double eps)
{
  for (gsize r = 0; r < rows; r++)
    {
      double mean, istd;

      ln_row (x + r * d, d, eps, &mean, &istd);
      for (gsize j = 0; j < d; j++)
        y[r * d + j] = gamma[j] * (x[r * d + j] - mean) * istd + beta[j];
    }
}

void
ref_layer_norm_backward (const double *x, const double *gamma, const double *dy, double *dx,
                         double *dgamma, double *dbeta, gsize rows, gsize d, double eps)
{
  for (gsize r = 0; r < rows; r++)
    {
      const double *xr = x + r * d, *dyr = dy + r * d;
      double mean, istd, sg = 0.0, sgx = 0.0;

      ln_row (xr, d, eps, &mean, &istd);
      for (gsize j = 0; j < d; j++)
        {
          double xh = (xr[j] - mean) * istd;
          sg += dyr[j] * gamma[j];
          sgx += dyr[j] * gamma[j] * xh;
          if (dgamma != NULL)
            dgamma[j] += dyr[j] * xh;
          if (dbeta != NULL)
            dbeta[j] += dyr[j];
        }
      if (dx == NULL)
        continue;
      for (gsize j = 0; j < d; j++)
        {
          double xh = (xr[j] - mean) * istd;
          dx[r * d + j] += istd * (dyr[j] * gamma[j] - sg / d - xh * sgx / d);
        }
    }
}

/* y [rows, d] = x [rows, d] wᵀ, w [d, d]. */
static void
proj (const double *x, const double *w, double *y, gsize rows, gsize d)
{
  for (gsize r = 0; r < rows; r++)
    for (gsize i = 0; i < d; i++)
      {
        double s = 0.0;
        for (gsize j = 0; j < d; j++)
          s += x[r * d + j] * w[i * d + j];
        y[r * d + i] = s;
      }
}

/* dx += dy w; dw += dyᵀ x. */
static void
proj_backward (const double *x, const double *w, const double *dy, double *dx, double *dw,
               gsize rows, gsize d)
{
  for (gsize r = 0; r < rows; r++)
    for (gsize i = 0; i < d; i++)
      for (gsize j = 0; j < d; j++)
        {
          if (dx != NULL)
            dx[r * d + j] += dy[r * d + i] * w[i * d + j];
          if (dw != NULL)
            dw[i * d + j] += dy[r * d + i] * x[r * d + j];
        }
}

typedef struct {
  gsize batch, seq, d, heads, dh;
  double *q, *k, *v, *p, *o; /* p: [batch, heads, seq, seq] */
} Attn;

static void
attn_forward (Attn *a, const double *x, const double *wq, const double *wk, const double *wv)
{
  gsize rows = a->batch * a->seq, s = a->seq, d = a->d, dh = a->dh;
  double scale = 1.0 / sqrt ((double) dh);

  a->q = g_new (double, rows * d);
  a->k = g_new (double, rows * d);
  a->v = g_new (double, rows * d);
  a->o = g_new0 (double, rows * d);
  a->p = g_new (double, a->batch * a->heads * s * s);
  proj (x, wq, a->q, rows, d);
  proj (x, wk, a->k, rows, d);
  proj (x, wv, a->v, rows, d);

  for (gsize b = 0; b < a->batch; b++)
    for (gsize h = 0; h < a->heads; h++)
      {
        double *p = a->p + (b * a->heads + h) * s * s;

        for (gsize i = 0; i < s; i++)
          for (gsize j = 0; j < s; j++)
            {
              double dot = 0.0;
              for (gsize e = 0; e < dh; e++)
                dot += a->q[(b * s + i) * d + h * dh + e] * a->k[(b * s + j) * d + h * dh + e];
              p[i * s + j] = dot * scale;
            }
        ref_softmax (p, p, s, s);
        for (gsize i = 0; i < s; i++)
          for (gsize e = 0; e < dh; e++)
            {
              double acc = 0.0;
              for (gsize j = 0; j < s; j++)
                acc += p[i * s + j] * a->v[(b * s + j) * d + h * dh + e];
              a->o[(b * s + i) * d + h * dh + e] = acc;
            }
      }
}

static void
attn_clear (Attn *a)
{
  g_free (a->q);
  g_free (a->k);
  g_free (a->v);
  g_free (a->p);
  g_free (a->o);
}

void
ref_self_attention (const double *x, const double *wq, const double *wk, const double *wv,
                    const double *wo, double *out, gsize batch, gsize seq, gsize d,
                    gsize heads)
{
  Attn a = { batch, seq, d, heads, d / heads };

  attn_forward (&a, x, wq, wk, wv);
  proj (a.o, wo, out, batch * seq, d);
  attn_clear (&a);
}

void
ref_self_attention_backward (const double *x, const double *wq, const double *wk,
                             const double *wv, const double *wo, const double *dout,
                             double *dx, double *dwq, double *dwk, double *dwv, double *dwo,
                             gsize batch, gsize seq, gsize d, gsize heads)
{
  Attn a = { batch, seq, d, heads, d / heads };
  gsize rows = batch * seq, s = seq, dh = d / heads;
  double scale = 1.0 / sqrt ((double) dh);
  g_autofree double *d_o = g_new0 (double, rows * d);
  g_autofree double *dq = g_new0 (double, rows * d);
  g_autofree double *dk = g_new0 (double, rows * d);
  g_autofree double *dv = g_new0 (double, rows * d);
  g_autofree double *dp = g_new (double, s * s);

  attn_forward (&a, x, wq, wk, wv);
  proj_backward (a.o, wo, dout, d_o, dwo, rows, d);

  for (gsize b = 0; b < batch; b++)
    for (gsize h = 0; h < heads; h++)
      {
        const double *p = a.p + (b * heads + h) * s * s;

        /* dP = dO Vᵀ, dV = Pᵀ dO. */
        for (gsize i = 0; i < s; i++)
          for (gsize j = 0; j < s; j++)
            {
              gsize ri = (b * s + i) * d + h * dh, rj = (b * s + j) * d + h * dh;
              double acc = 0.0;
              for (gsize e = 0; e < dh; e++)
                {
                  acc += d_o[ri + e] * a.v[rj + e];
                  dv[rj + e] += p[i * s + j] * d_o[ri + e];
                }
              dp[i * s + j] = acc;
            }
        /* Through the softmax, then the scaled Q Kᵀ. */
        for (gsize i = 0; i < s; i++)
          {
            double dot = 0.0;
            for (gsize j = 0; j < s; j++)
              dot += dp[i * s + j] * p[i * s + j];
            for (gsize j = 0; j < s; j++)
              {
                double ds = p[i * s + j] * (dp[i * s + j] - dot) * scale;
                for (gsize e = 0; e < dh; e++)
                  {
                    dq[(b * s + i) * d + h * dh + e] += ds * a.k[(b * s + j) * d + h * dh + e];
                    dk[(b * s + j) * d + h * dh + e] += ds * a.q[(b * s + i) * d + h * dh + e];
                  }
              }
          }
      }
  proj_backward (x, wq, dq, dx, dwq, rows, d);
  proj_backward (x, wk, dk, dx, dwk, rows, d);
  proj_backward (x, wv, dv, dx, dwv, rows, d);
  attn_clear (&a);
}
