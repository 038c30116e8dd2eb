/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * conv2d, max/avg pool2d, global_avg_pool, batch_norm, layer_norm, softmax,
 * cross_entropy, mse, self_attention, cosine_similarity.
 */
#include <string.h>

#include "hs-test-case.h"
#include "test-ops.h"

static void
same_shape (const HtCase *c, guint *ndim, gint64 *shape)
{
  *ndim = c->in[0].ndim;
  memcpy (shape, c->in[0].shape, sizeof c->in[0].shape);
}

static void
scalar_shape (const HtCase *c, guint *ndim, gint64 *shape)
{
  *ndim = 1;
  shape[0] = 1;
}

static gsize
last_dim (const HtArg *a)
{
  return a->shape[a->ndim - 1];
}

static gsize
rows_of (const HtArg *a)
{
  return ht_arg_numel (a) / last_dim (a);
}

/* ---- conv2d ---- */

static void
conv_geom (const HtCase *c, RefConv *g)
{
  const HtArg *x = &c->in[0], *w = &c->in[1];

  *g = (RefConv) { .n = x->shape[0], .h = x->shape[1], .w = x->shape[2], .c = x->shape[3],
                   .oc = w->shape[0], .kh = w->shape[1], .kw = w->shape[2],
                   .stride = c->p.stride, .pad = c->p.pad };
  ref_conv_geom (g);
}

static void
conv_shape (const HtCase *c, guint *ndim, gint64 *shape)
{
  RefConv g;

  conv_geom (c, &g);
  *ndim = 4;
  shape[0] = g.n;
  shape[1] = g.oh;
  shape[2] = g.ow;
  shape[3] = g.oc;
}

static HsTensor *
conv_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_conv2d (in[0], in[1], c->n_in > 2 ? in[2] : NULL, c->p.stride, c->p.pad,
                    c->p.act, error);
}

static void
conv_ref (const HtCase *c, double **in, double *out)
{
  RefConv g;

  conv_geom (c, &g);
  ref_conv2d (&g, in[0], in[1], c->n_in > 2 ? in[2] : NULL, out, c->p.act);
}

static void
conv_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  RefConv g;

  conv_geom (c, &g);
  ref_conv2d_backward (&g, in[0], in[1], c->n_in > 2 ? in[2] : NULL, dout, din[0], din[1],
                       c->n_in > 2 ? din[2] : NULL, c->p.act);
}

#define CONV(path_, s, p_, act_, nin, X, W, B) \
  { .path = "/ops/conv2d/" path_, .n_in = nin, .in = { X, W, B }, \
    .p = { .stride = s, .pad = p_, .act = act_ }, .shape = conv_shape, \
    .engine = conv_engine, .ref = conv_ref, .ref_bwd = conv_bwd, \
    .kinks = act_ == HS_ACT_RELU }

static const HtCase conv_cases[] = {
  CONV ("k3-s1-p0-7x5", 1, 0, HS_ACT_NONE, 3,
        HT_IN (4, 2, 7, 5, 3), HT_IN (4, 4, 3, 3, 3), HT_IN (1, 4)),
  CONV ("k3-s1-p1-7x5-relu", 1, 1, HS_ACT_RELU, 3,
        HT_IN (4, 2, 7, 5, 3), HT_IN (4, 4, 3, 3, 3), HT_IN (1, 4)),
  CONV ("k3-s1-p1-7x5-gelu", 1, 1, HS_ACT_GELU, 3,
        HT_IN (4, 2, 7, 5, 3), HT_IN (4, 4, 3, 3, 3), HT_IN (1, 4)),
  CONV ("k3-s2-p1-7x5-no-bias", 2, 1, HS_ACT_NONE, 2,
        HT_IN (4, 2, 7, 5, 3), HT_IN (4, 4, 3, 3, 3), HT_IN (1, 1)),
  CONV ("k3-s2-p0-9x7-relu", 2, 0, HS_ACT_RELU, 3,
        HT_IN (4, 1, 9, 7, 2), HT_IN (4, 5, 3, 3, 2), HT_IN (1, 5)),
  CONV ("k1-s1-p0-5x7", 1, 0, HS_ACT_NONE, 3,
        HT_IN (4, 1, 5, 7, 6), HT_IN (4, 3, 1, 1, 6), HT_IN (1, 3)),
  CONV ("k1-s2-p0-5x7", 2, 0, HS_ACT_NONE, 2,
        HT_IN (4, 2, 5, 7, 4), HT_IN (4, 3, 1, 1, 4), HT_IN (1, 1)),
  CONV ("k5-s1-p2-6x6", 1, 2, HS_ACT_NONE, 3,
        HT_IN (4, 1, 6, 6, 2), HT_IN (4, 3, 5, 5, 2), HT_IN (1, 3)),
  CONV ("k3x1-s1-p0-5x4", 1, 0, HS_ACT_NONE, 3,
        HT_IN (4, 2, 5, 4, 3), HT_IN (4, 2, 3, 1, 3), HT_IN (1, 2)),
  CONV ("k3-s1-p1-9x9x8-16-relu", 1, 1, HS_ACT_RELU, 3,
        HT_IN (4, 2, 9, 9, 8), HT_IN (4, 16, 3, 3, 8), HT_IN (1, 16)),
  CONV ("k3-s1-p1-10x10x16-24-relu", 1, 1, HS_ACT_RELU, 3,
        HT_IN (4, 2, 10, 10, 16), HT_IN (4, 24, 3, 3, 16), HT_IN (1, 24)),
  CONV ("k3-s2-p1-8x8x3-const-x", 2, 1, HS_ACT_RELU, 3,
        HT_CONST (4, 2, 8, 8, 3), HT_IN (4, 4, 3, 3, 3), HT_IN (1, 4)),
};

/* ---- pooling ---- */

static void
pool_geom (const HtCase *c, RefConv *g)
{
  const HtArg *x = &c->in[0];

  *g = (RefConv) { .n = x->shape[0], .h = x->shape[1], .w = x->shape[2], .c = x->shape[3],
                   .oc = x->shape[3], .kh = c->p.kernel, .kw = c->p.kernel,
                   .stride = c->p.stride, .pad = c->p.pad };
  ref_conv_geom (g);
}

static void
pool_shape (const HtCase *c, guint *ndim, gint64 *shape)
{
  RefConv g;

  pool_geom (c, &g);
  *ndim = 4;
  shape[0] = g.n;
  shape[1] = g.oh;
  shape[2] = g.ow;
  shape[3] = g.c;
}

static HsTensor *
pool_engine (const HtCase *c, HsTensor **in, GError **error)
{
  if (c->p.pool == HS_POOL_MAX)
    return hs_max_pool2d (in[0], c->p.kernel, c->p.stride, c->p.pad, error);
  return hs_avg_pool2d (in[0], c->p.kernel, c->p.stride, c->p.pad, error);
}

static void
pool_ref (const HtCase *c, double **in, double *out)
{
  RefConv g;

  pool_geom (c, &g);
  ref_pool2d (&g, c->p.pool, in[0], out);
}

static void
pool_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  RefConv g;

  pool_geom (c, &g);
  ref_pool2d_backward (&g, c->p.pool, in[0], dout, din[0]);
}

/* Max pooling gets distinct inputs (no ties) and all-negative ones, where a
 * padded zero must never win. */
#define POOL(path_, type, k, s, p_, X) \
  { .path = path_, .n_in = 1, .in = { X }, \
    .p = { .pool = type, .kernel = k, .stride = s, .pad = p_ }, .shape = pool_shape, \
    .engine = pool_engine, .ref = pool_ref, .ref_bwd = pool_bwd, \
    .kinks = type == HS_POOL_MAX }
#define MAX_IN(...) HT_IN_GEN (HT_GEN_DISTINCT, 4, __VA_ARGS__)

/* Shifts the distinct ramp below zero: every value at most -1. */
static void
negative_init (const HtCase *c, GRand *rand, double **in)
{
  gsize n = ht_arg_numel (&c->in[0]);

  for (gsize i = 0; i < n; i++)
    in[0][i] = (float) (in[0][i] - 0.005 * (double) n - 1.0);
}

static const HtCase pool_cases[] = {
  POOL ("/ops/max_pool2d/k2-s2-p0-6x8", HS_POOL_MAX, 2, 2, 0, MAX_IN (2, 6, 8, 3)),
  POOL ("/ops/max_pool2d/k2-s1-p0-5x7", HS_POOL_MAX, 2, 1, 0, MAX_IN (1, 5, 7, 2)),
  POOL ("/ops/max_pool2d/k3-s1-p1-7x5", HS_POOL_MAX, 3, 1, 1, MAX_IN (1, 7, 5, 4)),
  POOL ("/ops/max_pool2d/k3-s2-p1-7x5", HS_POOL_MAX, 3, 2, 1, MAX_IN (2, 7, 5, 3)),
  POOL ("/ops/max_pool2d/k3-s2-p0-7x7", HS_POOL_MAX, 3, 2, 0, MAX_IN (2, 7, 7, 3)),
  POOL ("/ops/max_pool2d/k2-s2-p0-odd-7x5", HS_POOL_MAX, 2, 2, 0, MAX_IN (1, 7, 5, 3)),
  POOL ("/ops/avg_pool2d/k2-s2-p0-6x8", HS_POOL_AVG, 2, 2, 0, HT_IN (4, 2, 6, 8, 3)),
  POOL ("/ops/avg_pool2d/k2-s1-p0-5x7", HS_POOL_AVG, 2, 1, 0, HT_IN (4, 1, 5, 7, 2)),
  POOL ("/ops/avg_pool2d/k3-s1-p1-7x5", HS_POOL_AVG, 3, 1, 1, HT_IN (4, 1, 7, 5, 4)),
  POOL ("/ops/avg_pool2d/k3-s2-p1-7x5", HS_POOL_AVG, 3, 2, 1, HT_IN (4, 2, 7, 5, 3)),
  POOL ("/ops/avg_pool2d/k3-s2-p0-7x7", HS_POOL_AVG, 3, 2, 0, HT_IN (4, 2, 7, 7, 3)),
};

static HtCase max_negative_case =
  POOL ("/ops/max_pool2d/k3-s2-p1-all-negative", HS_POOL_MAX, 3, 2, 1, MAX_IN (1, 5, 6, 2));

/* ---- global average pool ---- */

static void
gap_shape (const HtCase *c, guint *ndim, gint64 *shape)
{
  *ndim = 2;
  shape[0] = c->in[0].shape[0];
  shape[1] = c->in[0].shape[3];
}

static HsTensor *
gap_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_global_avg_pool (in[0], error);
}

static void
gap_ref (const HtCase *c, double **in, double *out)
{
  const gint64 *s = c->in[0].shape;
  ref_global_avg_pool (in[0], out, s[0], s[1] * s[2], s[3]);
}

static void
gap_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  const gint64 *s = c->in[0].shape;
  ref_global_avg_pool_backward (dout, din[0], s[0], s[1] * s[2], s[3]);
}

#define GAP(path_, X) \
  { .path = "/ops/global_avg_pool/" path_, .n_in = 1, .in = { X }, .shape = gap_shape, \
    .engine = gap_engine, .ref = gap_ref, .ref_bwd = gap_bwd }

static const HtCase gap_cases[] = {
  GAP ("2x5x7x3", HT_IN (4, 2, 5, 7, 3)),
  GAP ("3x1x1x4", HT_IN (4, 3, 1, 1, 4)),
  GAP ("1x9x9x16", HT_IN (4, 1, 9, 9, 16)),
};

/* ---- batch norm ---- */

#define BN_MOMENTUM 0.1
#define BN_EPS 1e-5

static HsTensor *
bn_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_batch_norm (in[0], in[1], in[2], in[3], in[4], c->p.training, BN_MOMENTUM,
                        BN_EPS, c->p.act, error);
}

static void
bn_ref (const HtCase *c, double **in, double *out)
{
  ref_batch_norm (in[0], in[1], in[2], in[3], in[4], out, rows_of (&c->in[0]),
                  last_dim (&c->in[0]), c->p.training, (float) BN_EPS, c->p.act);
}

static void
bn_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  ref_batch_norm_backward (in[0], in[1], in[2], in[3], in[4], dout, din[0], din[1], din[2],
                           rows_of (&c->in[0]), last_dim (&c->in[0]), c->p.training,
                           (float) BN_EPS, c->p.act);
}

/* Inputs with a non-zero mean and non-unit spread, like real activations. */
static void
bn_init (const HtCase *c, GRand *rand, double **in)
{
  gsize ch = last_dim (&c->in[0]);

  for (gsize i = 0; i < ht_arg_numel (&c->in[0]); i++)
    in[0][i] = (float) (in[0][i] * (1.0 + 0.5 * (i % ch)) + 0.3 * (double) (i % ch) - 0.5);
}

#define BN(path_, train, act_, C, ...) \
  { .path = "/ops/batch_norm/" path_, .n_in = 5, \
    .in = { HT_IN (__VA_ARGS__), HT_IN (1, C), HT_IN (1, C), HT_CONST (1, C), \
            { .ndim = 1, .shape = { C }, .gen = HT_GEN_POSITIVE } }, \
    .p = { .training = train, .act = act_ }, .shape = same_shape, .engine = bn_engine, \
    .ref = bn_ref, .ref_bwd = bn_bwd, .init = bn_init, .kinks = act_ == HS_ACT_RELU }

static const HtCase bn_cases[] = {
  BN ("train-9x6", TRUE, HS_ACT_NONE, 6, 2, 9, 6),
  BN ("train-nhwc-2x4x3x5", TRUE, HS_ACT_NONE, 5, 4, 2, 4, 3, 5),
  BN ("train-relu-nhwc-2x4x3x5", TRUE, HS_ACT_RELU, 5, 4, 2, 4, 3, 5),
  BN ("train-relu-3d-3x7x4", TRUE, HS_ACT_RELU, 4, 3, 3, 7, 4),
  BN ("train-many-rows-300x7", TRUE, HS_ACT_NONE, 7, 2, 300, 7),
  BN ("infer-9x6", FALSE, HS_ACT_NONE, 6, 2, 9, 6),
  BN ("infer-relu-nhwc-2x4x3x5", FALSE, HS_ACT_RELU, 5, 4, 2, 4, 3, 5),
};

/* Training updates the running statistics (unbiased variance); inference
 * leaves them alone. */
static void
test_batch_norm_running (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  const gint64 xs[] = { 2, 4, 3, 5 }, cs[] = { 5 };
  const gsize rows = 24, ch = 5;
  double x[120], gamma[5], beta[5], rm[5], rv[5], want_m[5], want_v[5];
  g_autoptr (GError) error = NULL;

  if (!ht_require_device ())
    return;

  ht_fill_normal (rand, x, rows * ch, 2.0);
  for (gsize i = 0; i < rows * ch; i++)
    x[i] = (float) (x[i] + (double) (i % ch));
  ht_fill_normal (rand, gamma, ch, 1.0);
  ht_fill_normal (rand, beta, ch, 1.0);
  ht_fill_normal (rand, rm, ch, 1.0);
  ht_fill_uniform (rand, rv, ch, 0.5, 2.0);
  memcpy (want_m, rm, sizeof rm);
  memcpy (want_v, rv, sizeof rv);

  for (guint training = 0; training < 2; training++)
    {
      g_autoptr (HsTensor) tx = ht_tensor_new (ht.device, HS_DTYPE_F32, 4, xs, x);
      g_autoptr (HsTensor) tg = ht_tensor_new (ht.device, HS_DTYPE_F32, 1, cs, gamma);
      g_autoptr (HsTensor) tb = ht_tensor_new (ht.device, HS_DTYPE_F32, 1, cs, beta);
      g_autoptr (HsTensor) tm = ht_tensor_new (ht.device, HS_DTYPE_F32, 1, cs, rm);
      g_autoptr (HsTensor) tv = ht_tensor_new (ht.device, HS_DTYPE_F32, 1, cs, rv);
      g_autoptr (HsTensor) y = NULL;
      g_autofree double *got_m = NULL;
      g_autofree double *got_v = NULL;

      y = hs_batch_norm (tx, tg, tb, tm, tv, training, 0.25f, 1e-5f, HS_ACT_NONE, &error);
      if (!ht_check_no_error ("batch_norm", error))
        return;
      if (training)
        ref_batch_norm_running (x, want_m, want_v, rows, ch, (float) 0.25f);
      got_m = ht_tensor_read (tm);
      got_v = ht_tensor_read (tv);
      g_assert_nonnull (got_m);
      g_assert_nonnull (got_v);
      ht_check_close (training ? "running_mean after training" : "running_mean after inference",
                      got_m, want_m, ch, 1e-5, 1e-4);
      ht_check_close (training ? "running_var after training" : "running_var after inference",
                      got_v, want_v, ch, 1e-5, 1e-4);
    }
}

/* ---- layer norm ---- */

static HsTensor *
ln_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_layer_norm (in[0], in[1], in[2], c->p.eps, error);
}

static void
ln_ref (const HtCase *c, double **in, double *out)
{
  ref_layer_norm (in[0], in[1], in[2], out, rows_of (&c->in[0]), last_dim (&c->in[0]),
                  (float) c->p.eps);
}

static void
ln_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  ref_layer_norm_backward (in[0], in[1], dout, din[0], din[1], din[2], rows_of (&c->in[0]),
                           last_dim (&c->in[0]), (float) c->p.eps);
}

#define LN(path_, D, ...) \
  { .path = "/ops/layer_norm/" path_, .n_in = 3, \
    .in = { HT_IN (__VA_ARGS__), HT_IN (1, D), HT_IN (1, D) }, .p = { .eps = 1e-5 }, \
    .shape = same_shape, .engine = ln_engine, .ref = ln_ref, .ref_bwd = ln_bwd, \
    .init = bn_init }

static const HtCase ln_cases[] = {
  LN ("6x9", 9, 2, 6, 9),
  LN ("3d-2x3x7", 7, 3, 2, 3, 7),
  LN ("wide-3x129", 129, 2, 3, 129),
};

/* ---- softmax, cross-entropy, mse ---- */

static HsTensor *
softmax_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_softmax (in[0], error);
}

static void
softmax_ref (const HtCase *c, double **in, double *out)
{
  ref_softmax (in[0], out, rows_of (&c->in[0]), last_dim (&c->in[0]));
}

static void
softmax_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  ref_softmax_backward (in[0], dout, din[0], rows_of (&c->in[0]), last_dim (&c->in[0]));
}

static HsTensor *
ce_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_cross_entropy (in[0], in[1], error);
}

static void
ce_ref (const HtCase *c, double **in, double *out)
{
  out[0] = ref_cross_entropy (in[0], in[1], c->in[0].shape[0], c->in[0].shape[1]);
}

static void
ce_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  ref_cross_entropy_backward (in[0], in[1], dout[0], din[0], c->in[0].shape[0],
                              c->in[0].shape[1]);
}

static HsTensor *
mse_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_mse (in[0], in[1], error);
}

static void
mse_ref (const HtCase *c, double **in, double *out)
{
  out[0] = ref_mse (in[0], in[1], ht_arg_numel (&c->in[0]));
}

static void
mse_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  ref_mse_backward (in[0], in[1], dout[0], din[0], din[1], ht_arg_numel (&c->in[0]));
}

#define SOFTMAX(path_, X) \
  { .path = "/ops/softmax/" path_, .n_in = 1, .in = { X }, .shape = same_shape, \
    .engine = softmax_engine, .ref = softmax_ref, .ref_bwd = softmax_bwd }
#define CE(path_, R, C, scale_) \
  { .path = "/ops/cross_entropy/" path_, .n_in = 2, \
    .in = { HT_IN_SCALED (scale_, 2, R, C), HT_INDEX (C, 1, R) }, .shape = scalar_shape, \
    .engine = ce_engine, .ref = ce_ref, .ref_bwd = ce_bwd }
#define MSE(path_, A, B) \
  { .path = "/ops/mse/" path_, .n_in = 2, .in = { A, B }, .shape = scalar_shape, \
    .engine = mse_engine, .ref = mse_ref, .ref_bwd = mse_bwd }

static const HtCase loss_cases[] = {
  SOFTMAX ("5x7", HT_IN (2, 5, 7)),
  SOFTMAX ("3d-2x3x11", HT_IN (3, 2, 3, 11)),
  SOFTMAX ("wide-3x257", HT_IN (2, 3, 257)),
  SOFTMAX ("wider-2x1031", HT_IN (2, 2, 1031)),
  /* exp(±60) overflows nothing when the row max is subtracted. */
  SOFTMAX ("large-logits-4x9", HT_IN_SCALED (30.0, 2, 4, 9)),
  CE ("6x5", 6, 5, 1.0),
  CE ("13x3", 13, 3, 2.0),
  CE ("wide-4x100", 4, 100, 1.0),
  CE ("large-logits-5x4", 5, 4, 40.0),
  CE ("many-rows-300x5", 300, 5, 1.0),
  MSE ("4x7", HT_IN (2, 4, 7), HT_IN (2, 4, 7)),
  MSE ("3x2x5-const-b", HT_IN (3, 3, 2, 5), HT_CONST (3, 3, 2, 5)),
  MSE ("odd-1001", HT_IN (1, 1001), HT_IN (1, 1001)),
};

/* ---- self-attention ---- */

static HsTensor *
attn_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_self_attention (in[0], in[1], in[2], in[3], in[4], c->p.heads, error);
}

static void
attn_ref (const HtCase *c, double **in, double *out)
{
  const gint64 *s = c->in[0].shape;
  ref_self_attention (in[0], in[1], in[2], in[3], in[4], out, s[0], s[1], s[2], c->p.heads);
}

static void
attn_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  const gint64 *s = c->in[0].shape;
  ref_self_attention_backward (in[0], in[1], in[2], in[3], in[4], dout, din[0], din[1],
                               din[2], din[3], din[4], s[0], s[1], s[2], c->p.heads);
}

/* Weights ~ N(0, 1/d) keep the scores in softmax's sensitive range. */
#define ATTN(path_, B, S, D, H, ws) \
  { .path = "/ops/self_attention/" path_, .n_in = 5, \
    .in = { HT_IN (3, B, S, D), HT_IN_SCALED (ws, 2, D, D), HT_IN_SCALED (ws, 2, D, D), \
            HT_IN_SCALED (ws, 2, D, D), HT_IN_SCALED (ws, 2, D, D) }, \
    .p = { .heads = H }, .shape = same_shape, .engine = attn_engine, .ref = attn_ref, \
    .ref_bwd = attn_bwd }

static const HtCase attn_cases[] = {
  ATTN ("b2-s5-d8-h2", 2, 5, 8, 2, 0.35),
  ATTN ("b1-s7-d12-h3", 1, 7, 12, 3, 0.3),
  ATTN ("b2-s4-d6-h1", 2, 4, 6, 1, 0.4),
  ATTN ("b3-s1-d4-h2", 3, 1, 4, 2, 0.5),
};

/* ---- cosine similarity ---- */

static void
cosine_shape (const HtCase *c, guint *ndim, gint64 *shape)
{
  same_shape (c, ndim, shape);
  *ndim -= 1;
}

static HsTensor *
cosine_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_cosine_similarity (in[0], in[1], c->p.eps, error);
}

static void
cosine_ref (const HtCase *c, double **in, double *out)
{
  ref_cosine (in[0], in[1], out, rows_of (&c->in[0]), last_dim (&c->in[0]), (float) c->p.eps);
}

static void
cosine_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  ref_cosine_backward (in[0], in[1], dout, din[0], din[1], rows_of (&c->in[0]),
                       last_dim (&c->in[0]), (float) c->p.eps);
}

/* Rows 0 and 2 of a and row 1 of b fall below eps = 1: their norm is
 * clamped. */
static void
cosine_small_init (const HtCase *c, GRand *rand, double **in)
{
  gsize d = last_dim (&c->in[0]);

  for (gsize j = 0; j < d; j++)
    {
      in[0][0 * d + j] = (float) (in[0][0 * d + j] * 0.05);
      in[0][2 * d + j] = (float) (in[0][2 * d + j] * 0.05);
      in[1][1 * d + j] = (float) (in[1][1 * d + j] * 0.05);
    }
}

#define COSINE(path_, eps_, init_, ...) \
  { .path = "/ops/cosine_similarity/" path_, .n_in = 2, \
    .in = { HT_IN (__VA_ARGS__), HT_IN (__VA_ARGS__) }, .p = { .eps = eps_ }, \
    .shape = cosine_shape, .engine = cosine_engine, .ref = cosine_ref, \
    .ref_bwd = cosine_bwd, .init = init_ }

static const HtCase cosine_cases[] = {
  COSINE ("5x7", 1e-8, NULL, 2, 5, 7),
  COSINE ("3d-2x3x4", 1e-8, NULL, 3, 2, 3, 4),
  COSINE ("wide-2x300", 1e-8, NULL, 2, 2, 300),
  COSINE ("eps-clamp-4x6", 1.0, cosine_small_init, 2, 4, 6),
};

void
test_ops_nn_register (void)
{
  ht_case_add_all (conv_cases, G_N_ELEMENTS (conv_cases));
  ht_case_add_all (pool_cases, G_N_ELEMENTS (pool_cases));
  max_negative_case.init = negative_init;
  ht_case_add (&max_negative_case);
  ht_case_add_all (gap_cases, G_N_ELEMENTS (gap_cases));
  ht_case_add_all (bn_cases, G_N_ELEMENTS (bn_cases));
  g_test_add_func ("/ops/batch_norm/running-stats", test_batch_norm_running);
  ht_case_add_all (ln_cases, G_N_ELEMENTS (ln_cases));
  ht_case_add_all (loss_cases, G_N_ELEMENTS (loss_cases));
  ht_case_add_all (attn_cases, G_N_ELEMENTS (attn_cases));
  ht_case_add_all (cosine_cases, G_N_ELEMENTS (cosine_cases));
}
