/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * matmul, add/sub/mul with broadcasting, scale, bias_act, relu, gelu, linear.
 */
#include <string.h>

#include "hs-test-case.h"
#include "test-ops.h"

/* ---- matmul ---- */

static void
matmul_geom (const HtCase *c, RefGemm *g, guint *ndim, gint64 *shape)
{
  const HtArg *a = &c->in[0], *b = &c->in[1];
  const HtArg *batched = a->ndim >= b->ndim ? a : b;
  gint64 a0 = a->shape[a->ndim - 2], a1 = a->shape[a->ndim - 1];
  gint64 b0 = b->shape[b->ndim - 2], b1 = b->shape[b->ndim - 1];

  g->ta = c->p.ta;
  g->tb = c->p.tb;
  g->m = g->ta ? a1 : a0;
  g->k = g->ta ? a0 : a1;
  g->n = g->tb ? b0 : b1;
  g->batch = ht_arg_dims (batched, 0, batched->ndim - 2);
  g->stride_a = a->ndim > 2 ? (gsize) g->m * g->k : 0;
  g->stride_b = b->ndim > 2 ? (gsize) g->k * g->n : 0;

  if (ndim != NULL)
    {
      *ndim = batched->ndim;
      for (guint i = 0; i + 2 < batched->ndim; i++)
        shape[i] = batched->shape[i];
      shape[*ndim - 2] = g->m;
      shape[*ndim - 1] = g->n;
    }
}

static void
matmul_shape (const HtCase *c, guint *ndim, gint64 *shape)
{
  RefGemm g;
  matmul_geom (c, &g, ndim, shape);
}

static HsTensor *
matmul_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_matmul (in[0], in[1], c->p.ta, c->p.tb, error);
}

static void
matmul_ref (const HtCase *c, double **in, double *out)
{
  RefGemm g;
  matmul_geom (c, &g, NULL, NULL);
  ref_matmul (&g, in[0], in[1], out);
}

static void
matmul_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  RefGemm g;
  matmul_geom (c, &g, NULL, NULL);
  ref_matmul_backward (&g, in[0], in[1], dout, din[0], din[1]);
}

#define MATMUL(path_, ta_, tb_, A, B) \
  { .path = "/ops/matmul/" path_, .n_in = 2, .in = { A, B }, .p = { .ta = ta_, .tb = tb_ }, \
    .shape = matmul_shape, .engine = matmul_engine, .ref = matmul_ref, .ref_bwd = matmul_bwd }

static const HtCase matmul_cases[] = {
  MATMUL ("nn", FALSE, FALSE, HT_IN (2, 5, 7), HT_IN (2, 7, 3)),
  MATMUL ("tn", TRUE, FALSE, HT_IN (2, 7, 5), HT_IN (2, 7, 3)),
  MATMUL ("nt", FALSE, TRUE, HT_IN (2, 5, 7), HT_IN (2, 3, 7)),
  MATMUL ("tt", TRUE, TRUE, HT_IN (2, 7, 5), HT_IN (2, 3, 7)),
  MATMUL ("vector-row", FALSE, FALSE, HT_IN (2, 1, 9), HT_IN (2, 9, 4)),
  MATMUL ("odd-33x67x17", FALSE, FALSE, HT_IN (2, 33, 67), HT_IN (2, 67, 17)),
  MATMUL ("odd-tt-19x41x23", TRUE, TRUE, HT_IN (2, 41, 19), HT_IN (2, 23, 41)),
  /* Past one tile in every direction on the GPU kernels. */
  MATMUL ("tiles-67x131x45", FALSE, FALSE, HT_IN (2, 67, 131), HT_IN (2, 131, 45)),
  MATMUL ("tiles-tt-67x131x45", TRUE, TRUE, HT_IN (2, 131, 67), HT_IN (2, 45, 131)),
  MATMUL ("batched-3d", FALSE, FALSE, HT_IN (3, 3, 5, 7), HT_IN (3, 3, 7, 4)),
  MATMUL ("batched-3d-tn", TRUE, FALSE, HT_IN (3, 2, 7, 5), HT_IN (3, 2, 7, 4)),
  MATMUL ("batched-3d-nt", FALSE, TRUE, HT_IN (3, 2, 5, 7), HT_IN (3, 2, 4, 7)),
  MATMUL ("batched-3d-tt", TRUE, TRUE, HT_IN (3, 2, 7, 5), HT_IN (3, 2, 4, 7)),
  MATMUL ("batched-4d", FALSE, FALSE, HT_IN (4, 2, 3, 4, 5), HT_IN (4, 2, 3, 5, 6)),
  MATMUL ("broadcast-b", FALSE, FALSE, HT_IN (3, 3, 5, 7), HT_IN (2, 7, 4)),
  MATMUL ("broadcast-b-nt", FALSE, TRUE, HT_IN (3, 3, 5, 7), HT_IN (2, 4, 7)),
  MATMUL ("broadcast-a", FALSE, FALSE, HT_IN (2, 5, 7), HT_IN (3, 2, 7, 4)),
  MATMUL ("broadcast-a-tn", TRUE, FALSE, HT_IN (2, 7, 5), HT_IN (3, 2, 7, 4)),
  MATMUL ("broadcast-4d", FALSE, FALSE, HT_IN (4, 2, 2, 3, 5), HT_IN (2, 5, 3)),
};

/* ---- add, sub, mul ---- */

static void
binary_shape (const HtCase *c, guint *ndim, gint64 *shape)
{
  gint64 sa[4], sb[4], so[4];

  ht_arg_shape4 (&c->in[0], sa);
  ht_arg_shape4 (&c->in[1], sb);
  g_assert_true (ref_broadcast_shape (sa, sb, so));
  *ndim = MAX (c->in[0].ndim, c->in[1].ndim);
  for (guint i = 0; i < *ndim; i++)
    shape[i] = so[4 - *ndim + i];
}

static HsTensor *
binary_engine (const HtCase *c, HsTensor **in, GError **error)
{
  switch (c->p.binop)
    {
    case REF_ADD:
      return hs_add (in[0], in[1], error);
    case REF_SUB:
      return hs_sub (in[0], in[1], error);
    case REF_MUL:
    default:
      return hs_mul (in[0], in[1], error);
    }
}

static void
binary_ref (const HtCase *c, double **in, double *out)
{
  gint64 sa[4], sb[4], so[4];

  ht_arg_shape4 (&c->in[0], sa);
  ht_arg_shape4 (&c->in[1], sb);
  ref_broadcast_shape (sa, sb, so);
  ref_binary (c->p.binop, in[0], sa, in[1], sb, out, so);
}

static void
binary_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  gint64 sa[4], sb[4], so[4];

  ht_arg_shape4 (&c->in[0], sa);
  ht_arg_shape4 (&c->in[1], sb);
  ref_broadcast_shape (sa, sb, so);
  ref_binary_backward (c->p.binop, in[0], sa, in[1], sb, dout, so, din[0], din[1]);
}

#define BINARY(path_, op_, A, B) \
  { .path = "/ops/" path_, .n_in = 2, .in = { A, B }, .p = { .binop = op_ }, \
    .shape = binary_shape, .engine = binary_engine, .ref = binary_ref, .ref_bwd = binary_bwd }

static const HtCase binary_cases[] = {
  BINARY ("add/same-5x7", REF_ADD, HT_IN (2, 5, 7), HT_IN (2, 5, 7)),
  BINARY ("add/row-2x3x4+4", REF_ADD, HT_IN (3, 2, 3, 4), HT_IN (1, 4)),
  BINARY ("add/outer-3x1+1x5", REF_ADD, HT_IN (2, 3, 1), HT_IN (2, 1, 5)),
  BINARY ("add/scalar-1+3x5", REF_ADD, HT_IN (1, 1), HT_IN (2, 3, 5)),
  BINARY ("add/4d-2x1x4x1+3x1x5", REF_ADD, HT_IN (4, 2, 1, 4, 1), HT_IN (3, 3, 1, 5)),
  BINARY ("add/odd-1000", REF_ADD, HT_IN (1, 1000), HT_IN (1, 1000)),
  BINARY ("sub/same-5x7", REF_SUB, HT_IN (2, 5, 7), HT_IN (2, 5, 7)),
  BINARY ("sub/col-2x3x4-3x1", REF_SUB, HT_IN (3, 2, 3, 4), HT_IN (2, 3, 1)),
  BINARY ("sub/4-2x3x4", REF_SUB, HT_IN (1, 4), HT_IN (3, 2, 3, 4)),
  BINARY ("mul/same-2x3x4", REF_MUL, HT_IN (3, 2, 3, 4), HT_IN (3, 2, 3, 4)),
  BINARY ("mul/outer-3x1*1x5", REF_MUL, HT_IN (2, 3, 1), HT_IN (2, 1, 5)),
  BINARY ("mul/row-2x3x4*4", REF_MUL, HT_IN (3, 2, 3, 4), HT_IN (1, 4)),
  BINARY ("mul/mid-2x1x5*2x3x1", REF_MUL, HT_IN (3, 2, 1, 5), HT_IN (3, 2, 3, 1)),
  BINARY ("mul/4d-2x3x4x5*3x1x5", REF_MUL, HT_IN (4, 2, 3, 4, 5), HT_IN (3, 3, 1, 5)),
  /* Only one side learns. */
  BINARY ("mul/const-b", REF_MUL, HT_IN (2, 4, 6), HT_CONST (1, 6)),
};

/* ---- scale ---- */

static void
same_shape (const HtCase *c, guint *ndim, gint64 *shape)
{
  *ndim = c->in[0].ndim;
  memcpy (shape, c->in[0].shape, sizeof c->in[0].shape);
}

static HsTensor *
scale_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_scale (in[0], c->p.alpha, error);
}

static void
scale_ref (const HtCase *c, double **in, double *out)
{
  for (gsize i = 0; i < ht_arg_numel (&c->in[0]); i++)
    out[i] = (float) c->p.alpha * in[0][i];
}

static void
scale_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  for (gsize i = 0; i < ht_arg_numel (&c->in[0]); i++)
    din[0][i] += (float) c->p.alpha * dout[i];
}

#define SCALE(path_, s, A) \
  { .path = "/ops/scale/" path_, .n_in = 1, .in = { A }, .p = { .alpha = s }, \
    .shape = same_shape, .engine = scale_engine, .ref = scale_ref, .ref_bwd = scale_bwd }

static const HtCase scale_cases[] = {
  SCALE ("neg-3x5x7", -0.75, HT_IN (3, 3, 5, 7)),
  SCALE ("big-2x3x4x5", 3.5, HT_IN (4, 2, 3, 4, 5)),
  SCALE ("zero-9", 0.0, HT_IN (1, 9)),
};

/* ---- bias_act, relu, gelu ---- */

static gsize
last_dim (const HtArg *a)
{
  return a->shape[a->ndim - 1];
}

static HsTensor *
bias_act_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_bias_act (in[0], in[1], c->p.act, error);
}

static void
bias_act_ref (const HtCase *c, double **in, double *out)
{
  gsize n = last_dim (&c->in[0]);
  ref_bias_act (in[0], in[1], out, ht_arg_numel (&c->in[0]) / n, n, c->p.act);
}

static void
bias_act_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  gsize n = last_dim (&c->in[0]);
  ref_bias_act_backward (in[0], in[1], dout, din[0], din[1], ht_arg_numel (&c->in[0]) / n,
                         n, c->p.act);
}

static HsTensor *
act_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return c->p.act == HS_ACT_RELU ? hs_relu (in[0], error) : hs_gelu (in[0], error);
}

static void
act_ref (const HtCase *c, double **in, double *out)
{
  ref_bias_act (in[0], NULL, out, ht_arg_numel (&c->in[0]), 1, c->p.act);
}

static void
act_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  ref_bias_act_backward (in[0], NULL, dout, din[0], NULL, ht_arg_numel (&c->in[0]), 1,
                         c->p.act);
}

#define BIAS_ACT(path_, act_, X, B) \
  { .path = "/ops/bias_act/" path_, .n_in = 2, .in = { X, B }, .p = { .act = act_ }, \
    .shape = same_shape, .engine = bias_act_engine, .ref = bias_act_ref, \
    .ref_bwd = bias_act_bwd, .kinks = act_ == HS_ACT_RELU }
#define ACT(path_, act_, X) \
  { .path = "/ops/" path_, .n_in = 1, .in = { X }, .p = { .act = act_ }, \
    .shape = same_shape, .engine = act_engine, .ref = act_ref, .ref_bwd = act_bwd, \
    .kinks = act_ == HS_ACT_RELU }

static const HtCase act_cases[] = {
  BIAS_ACT ("none-6x5", HS_ACT_NONE, HT_IN (2, 6, 5), HT_IN (1, 5)),
  BIAS_ACT ("relu-6x5", HS_ACT_RELU, HT_IN (2, 6, 5), HT_IN (1, 5)),
  BIAS_ACT ("gelu-6x5", HS_ACT_GELU, HT_IN (2, 6, 5), HT_IN (1, 5)),
  BIAS_ACT ("none-3d-2x3x7", HS_ACT_NONE, HT_IN (3, 2, 3, 7), HT_IN (1, 7)),
  BIAS_ACT ("relu-4d-2x3x5x9", HS_ACT_RELU, HT_IN (4, 2, 3, 5, 9), HT_IN (1, 9)),
  BIAS_ACT ("gelu-4d-2x3x5x9", HS_ACT_GELU, HT_IN (4, 2, 3, 5, 9), HT_IN (1, 9)),
  ACT ("relu/4x33", HS_ACT_RELU, HT_IN_GEN (HT_GEN_AWAY, 2, 4, 33)),
  ACT ("relu/2x3x4x5", HS_ACT_RELU, HT_IN_GEN (HT_GEN_AWAY, 4, 2, 3, 4, 5)),
  ACT ("gelu/4x33", HS_ACT_GELU, HT_IN_SCALED (2.0, 2, 4, 33)),
  ACT ("gelu/wide-1001", HS_ACT_GELU, HT_IN_SCALED (4.0, 1, 1001)),
};

/* ---- linear ---- */

static void
linear_shape (const HtCase *c, guint *ndim, gint64 *shape)
{
  same_shape (c, ndim, shape);
  shape[*ndim - 1] = c->in[1].shape[0];
}

static HsTensor *
linear_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_linear (in[0], in[1], c->n_in > 2 ? in[2] : NULL, c->p.act, error);
}

static void
linear_ref (const HtCase *c, double **in, double *out)
{
  gsize k = last_dim (&c->in[0]);
  ref_linear (in[0], in[1], c->n_in > 2 ? in[2] : NULL, out, ht_arg_numel (&c->in[0]) / k, k,
              c->in[1].shape[0], c->p.act);
}

static void
linear_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  gsize k = last_dim (&c->in[0]);
  ref_linear_backward (in[0], in[1], c->n_in > 2 ? in[2] : NULL, dout, din[0], din[1],
                       c->n_in > 2 ? din[2] : NULL, ht_arg_numel (&c->in[0]) / k, k,
                       c->in[1].shape[0], c->p.act);
}

#define LINEAR(path_, act_, nin, X, W, B) \
  { .path = "/ops/linear/" path_, .n_in = nin, .in = { X, W, B }, .p = { .act = act_ }, \
    .shape = linear_shape, .engine = linear_engine, .ref = linear_ref, \
    .ref_bwd = linear_bwd, .kinks = act_ == HS_ACT_RELU }

static const HtCase linear_cases[] = {
  LINEAR ("none-6x7-5", HS_ACT_NONE, 3, HT_IN (2, 6, 7), HT_IN (2, 5, 7), HT_IN (1, 5)),
  LINEAR ("relu-6x7-5", HS_ACT_RELU, 3, HT_IN (2, 6, 7), HT_IN (2, 5, 7), HT_IN (1, 5)),
  LINEAR ("gelu-6x7-5", HS_ACT_GELU, 3, HT_IN (2, 6, 7), HT_IN (2, 5, 7), HT_IN (1, 5)),
  LINEAR ("no-bias-6x7-5", HS_ACT_NONE, 2, HT_IN (2, 6, 7), HT_IN (2, 5, 7), HT_IN (1, 1)),
  LINEAR ("3d-2x3x7-5", HS_ACT_NONE, 3, HT_IN (3, 2, 3, 7), HT_IN (2, 5, 7), HT_IN (1, 5)),
  LINEAR ("relu-odd-17x33-13", HS_ACT_RELU, 3, HT_IN (2, 17, 33), HT_IN (2, 13, 33),
          HT_IN (1, 13)),
  LINEAR ("const-x-5x4-3", HS_ACT_GELU, 3, HT_CONST (2, 5, 4), HT_IN (2, 3, 4), HT_IN (1, 3)),
};

void
test_ops_basic_register (void)
{
  ht_case_add_all (matmul_cases, G_N_ELEMENTS (matmul_cases));
  ht_case_add_all (binary_cases, G_N_ELEMENTS (binary_cases));
  ht_case_add_all (scale_cases, G_N_ELEMENTS (scale_cases));
  ht_case_add_all (act_cases, G_N_ELEMENTS (act_cases));
  ht_case_add_all (linear_cases, G_N_ELEMENTS (linear_cases));
}
