/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sum/mean (per axis and over all), concat, slice, reshape, permute,
 * embedding, cast_u8.
 */
#include <string.h>

#include "hs-test-case.h"
#include "test-ops.h"

static guint
norm_axis (const HtArg *a, gint axis)
{
  return axis < 0 ? (guint) (axis + (gint) a->ndim) : (guint) axis;
}

static void
same_shape (const HtCase *c, guint *ndim, gint64 *shape)
{
  *ndim = c->in[0].ndim;
  memcpy (shape, c->in[0].shape, sizeof c->in[0].shape);
}

/* ---- sum and mean ---- */

static void
reduce_shape (const HtCase *c, guint *ndim, gint64 *shape)
{
  const HtArg *x = &c->in[0];
  guint axis = norm_axis (x, c->p.axis), o = 0;

  if (x->ndim == 1)
    {
      *ndim = 1;
      shape[0] = 1;
      return;
    }
  for (guint i = 0; i < x->ndim; i++)
    if (i != axis)
      shape[o++] = x->shape[i];
  *ndim = o;
}

static void
reduce_dims (const HtCase *c, gsize *outer, gsize *axis, gsize *inner, double *scale)
{
  const HtArg *x = &c->in[0];
  guint a = norm_axis (x, c->p.axis);

  *outer = ht_arg_dims (x, 0, a);
  *axis = x->shape[a];
  *inner = ht_arg_dims (x, a + 1, x->ndim);
  *scale = c->p.alpha > 0 ? 1.0 / *axis : 1.0;
}

static HsTensor *
reduce_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return c->p.alpha > 0 ? hs_mean (in[0], c->p.axis, error) : hs_sum (in[0], c->p.axis, error);
}

static void
reduce_ref (const HtCase *c, double **in, double *out)
{
  gsize outer, axis, inner;
  double scale;

  reduce_dims (c, &outer, &axis, &inner, &scale);
  ref_reduce (in[0], out, outer, axis, inner, scale);
}

static void
reduce_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  gsize outer, axis, inner;
  double scale;

  reduce_dims (c, &outer, &axis, &inner, &scale);
  ref_reduce_backward (dout, din[0], outer, axis, inner, scale);
}

static void
scalar_shape (const HtCase *c, guint *ndim, gint64 *shape)
{
  *ndim = 1;
  shape[0] = 1;
}

static HsTensor *
reduce_all_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return c->p.alpha > 0 ? hs_mean_all (in[0], error) : hs_sum_all (in[0], error);
}

static void
reduce_all_ref (const HtCase *c, double **in, double *out)
{
  gsize n = ht_arg_numel (&c->in[0]);
  ref_reduce (in[0], out, 1, n, 1, c->p.alpha > 0 ? 1.0 / n : 1.0);
}

static void
reduce_all_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  gsize n = ht_arg_numel (&c->in[0]);
  ref_reduce_backward (dout, din[0], 1, n, 1, c->p.alpha > 0 ? 1.0 / n : 1.0);
}

/* alpha > 0 selects the mean. */
#define REDUCE(path_, mean, ax, X) \
  { .path = path_, .n_in = 1, .in = { X }, .p = { .axis = ax, .alpha = mean }, \
    .shape = reduce_shape, .engine = reduce_engine, .ref = reduce_ref, .ref_bwd = reduce_bwd }
#define REDUCE_ALL(path_, mean, X) \
  { .path = path_, .n_in = 1, .in = { X }, .p = { .alpha = mean }, .shape = scalar_shape, \
    .engine = reduce_all_engine, .ref = reduce_all_ref, .ref_bwd = reduce_all_bwd }

static const HtCase reduce_cases[] = {
  REDUCE ("/ops/sum/3x4x5-axis0", 0, 0, HT_IN (3, 3, 4, 5)),
  REDUCE ("/ops/sum/3x4x5-axis1", 0, 1, HT_IN (3, 3, 4, 5)),
  REDUCE ("/ops/sum/3x4x5-axis2", 0, 2, HT_IN (3, 3, 4, 5)),
  REDUCE ("/ops/sum/3x4x5-axis-1", 0, -1, HT_IN (3, 3, 4, 5)),
  REDUCE ("/ops/sum/2x3x4x5-axis0", 0, 0, HT_IN (4, 2, 3, 4, 5)),
  REDUCE ("/ops/sum/2x3x4x5-axis1", 0, 1, HT_IN (4, 2, 3, 4, 5)),
  REDUCE ("/ops/sum/2x3x4x5-axis2", 0, 2, HT_IN (4, 2, 3, 4, 5)),
  REDUCE ("/ops/sum/2x3x4x5-axis3", 0, 3, HT_IN (4, 2, 3, 4, 5)),
  REDUCE ("/ops/sum/7x9-axis-2", 0, -2, HT_IN (2, 7, 9)),
  REDUCE ("/ops/sum/only-axis-13", 0, 0, HT_IN (1, 13)),
  REDUCE ("/ops/sum/long-axis-2x700", 0, 1, HT_IN (2, 2, 700)),
  REDUCE ("/ops/mean/3x4x5-axis0", 1, 0, HT_IN (3, 3, 4, 5)),
  REDUCE ("/ops/mean/3x4x5-axis1", 1, 1, HT_IN (3, 3, 4, 5)),
  REDUCE ("/ops/mean/3x4x5-axis2", 1, 2, HT_IN (3, 3, 4, 5)),
  REDUCE ("/ops/mean/2x3x4x5-axis3", 1, 3, HT_IN (4, 2, 3, 4, 5)),
  REDUCE ("/ops/mean/2x3x4x5-axis1", 1, 1, HT_IN (4, 2, 3, 4, 5)),
  REDUCE ("/ops/mean/only-axis-13", 1, 0, HT_IN (1, 13)),
  REDUCE_ALL ("/ops/sum_all/2x3x4x5", 0, HT_IN (4, 2, 3, 4, 5)),
  REDUCE_ALL ("/ops/sum_all/one-1", 0, HT_IN (1, 1)),
  REDUCE_ALL ("/ops/sum_all/odd-3001", 0, HT_IN (1, 3001)),
  REDUCE_ALL ("/ops/mean_all/7x11", 1, HT_IN (2, 7, 11)),
  REDUCE_ALL ("/ops/mean_all/odd-3001", 1, HT_IN (1, 3001)),
};

/* ---- concat and slice ---- */

static void
concat_shape (const HtCase *c, guint *ndim, gint64 *shape)
{
  guint axis = norm_axis (&c->in[0], c->p.axis);

  *ndim = c->in[0].ndim;
  memcpy (shape, c->in[0].shape, sizeof c->in[0].shape);
  for (guint k = 1; k < c->n_in; k++)
    shape[axis] += c->in[k].shape[axis];
}

static HsTensor *
concat_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_concat (in, c->n_in, c->p.axis, error);
}

static void
concat_ref (const HtCase *c, double **in, double *out)
{
  guint axis = norm_axis (&c->in[0], c->p.axis);
  gsize outer = ht_arg_dims (&c->in[0], 0, axis), inner = ht_arg_dims (&c->in[0], axis + 1, 4);
  gsize total = 0, start = 0;

  for (guint k = 0; k < c->n_in; k++)
    total += c->in[k].shape[axis];
  for (guint k = 0; k < c->n_in; k++)
    {
      gsize len = c->in[k].shape[axis];
      ref_copy_block (out, in[k], outer, inner, len, 0, total, start, len);
      start += len;
    }
}

static void
concat_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  guint axis = norm_axis (&c->in[0], c->p.axis);
  gsize outer = ht_arg_dims (&c->in[0], 0, axis), inner = ht_arg_dims (&c->in[0], axis + 1, 4);
  gsize total = 0, start = 0;

  for (guint k = 0; k < c->n_in; k++)
    total += c->in[k].shape[axis];
  for (guint k = 0; k < c->n_in; k++)
    {
      gsize len = c->in[k].shape[axis];
      /* din is zero on entry, so a copy is the sum. */
      if (din[k] != NULL)
        ref_copy_block (din[k], dout, outer, inner, total, start, len, 0, len);
      start += len;
    }
}

static void
slice_shape (const HtCase *c, guint *ndim, gint64 *shape)
{
  *ndim = c->in[0].ndim;
  memcpy (shape, c->in[0].shape, sizeof c->in[0].shape);
  shape[norm_axis (&c->in[0], c->p.axis)] = c->p.len;
}

static HsTensor *
slice_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_slice (in[0], c->p.axis, c->p.start, c->p.len, error);
}

static void
slice_ref (const HtCase *c, double **in, double *out)
{
  guint axis = norm_axis (&c->in[0], c->p.axis);

  ref_copy_block (out, in[0], ht_arg_dims (&c->in[0], 0, axis),
                  ht_arg_dims (&c->in[0], axis + 1, 4), c->in[0].shape[axis], c->p.start,
                  c->p.len, 0, c->p.len);
}

static void
slice_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  guint axis = norm_axis (&c->in[0], c->p.axis);

  ref_copy_block (din[0], dout, ht_arg_dims (&c->in[0], 0, axis),
                  ht_arg_dims (&c->in[0], axis + 1, 4), c->p.len, 0, c->in[0].shape[axis],
                  c->p.start, c->p.len);
}

#define CONCAT(path_, ax, nin, ...) \
  { .path = "/ops/concat/" path_, .n_in = nin, .in = { __VA_ARGS__ }, .p = { .axis = ax }, \
    .shape = concat_shape, .engine = concat_engine, .ref = concat_ref, .ref_bwd = concat_bwd }
#define SLICE(path_, ax, st, ln, X) \
  { .path = "/ops/slice/" path_, .n_in = 1, .in = { X }, \
    .p = { .axis = ax, .start = st, .len = ln }, .shape = slice_shape, \
    .engine = slice_engine, .ref = slice_ref, .ref_bwd = slice_bwd }

static const HtCase concat_cases[] = {
  CONCAT ("axis0-2x3+4x3+1x3", 0, 3, HT_IN (2, 2, 3), HT_IN (2, 4, 3), HT_IN (2, 1, 3)),
  CONCAT ("axis1-2x3x4+2x5x4", 1, 2, HT_IN (3, 2, 3, 4), HT_IN (3, 2, 5, 4)),
  CONCAT ("axis-1-2x3x4+2x3x2", -1, 2, HT_IN (3, 2, 3, 4), HT_IN (3, 2, 3, 2)),
  CONCAT ("axis3-nhwc-1x3x3x2+1x3x3x5", 3, 2, HT_IN (4, 1, 3, 3, 2), HT_IN (4, 1, 3, 3, 5)),
  CONCAT ("axis2-const-2x2x3x2+2x2x1x2", 2, 2, HT_IN (4, 2, 2, 3, 2), HT_CONST (4, 2, 2, 1, 2)),
  SLICE ("axis0-5x6x7-1+3", 0, 1, 3, HT_IN (3, 5, 6, 7)),
  SLICE ("axis1-5x6x7-2+4", 1, 2, 4, HT_IN (3, 5, 6, 7)),
  SLICE ("axis2-5x6x7-full", 2, 0, 7, HT_IN (3, 5, 6, 7)),
  SLICE ("axis-1-5x6x7-last", -1, 6, 1, HT_IN (3, 5, 6, 7)),
  SLICE ("axis3-2x3x4x5-1+3", 3, 1, 3, HT_IN (4, 2, 3, 4, 5)),
  SLICE ("1d-40-17+9", 0, 17, 9, HT_IN (1, 40)),
};

/* ---- reshape and permute ---- */

static void
reshape_shape (const HtCase *c, guint *ndim, gint64 *shape)
{
  *ndim = c->p.ndim;
  memcpy (shape, c->p.shape, sizeof c->p.shape);
}

static HsTensor *
reshape_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_reshape (in[0], c->p.ndim, c->p.shape, error);
}

static void
copy_ref (const HtCase *c, double **in, double *out)
{
  memcpy (out, in[0], ht_arg_numel (&c->in[0]) * sizeof (double));
}

static void
copy_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  for (gsize i = 0; i < ht_arg_numel (&c->in[0]); i++)
    din[0][i] += dout[i];
}

/* The case's permutation of x's ndim axes, as one of 4 right-aligned ones. */
static void
perm4 (const HtCase *c, gint p[4], gint64 s[4])
{
  guint pad = 4 - c->in[0].ndim;

  ht_arg_shape4 (&c->in[0], s);
  for (guint i = 0; i < 4; i++)
    p[i] = i < pad ? (gint) i : (gint) pad + c->p.perm[i - pad];
}

static void
permute_shape (const HtCase *c, guint *ndim, gint64 *shape)
{
  *ndim = c->in[0].ndim;
  for (guint i = 0; i < *ndim; i++)
    shape[i] = c->in[0].shape[c->p.perm[i]];
}

static HsTensor *
permute_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_permute (in[0], c->p.perm, error);
}

static void
permute_ref (const HtCase *c, double **in, double *out)
{
  gint p[4];
  gint64 s[4];

  perm4 (c, p, s);
  ref_permute (in[0], s, p, out);
}

static void
permute_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  gint p[4];
  gint64 s[4];

  perm4 (c, p, s);
  ref_permute_backward (dout, s, p, din[0]);
}

#define RESHAPE(path_, X, nd, ...) \
  { .path = "/ops/reshape/" path_, .n_in = 1, .in = { X }, \
    .p = { .ndim = nd, .shape = { __VA_ARGS__ } }, .shape = reshape_shape, \
    .engine = reshape_engine, .ref = copy_ref, .ref_bwd = copy_bwd }
#define PERMUTE(path_, X, ...) \
  { .path = "/ops/permute/" path_, .n_in = 1, .in = { X }, .p = { .perm = { __VA_ARGS__ } }, \
    .shape = permute_shape, .engine = permute_engine, .ref = permute_ref, \
    .ref_bwd = permute_bwd }

static const HtCase layout_cases[] = {
  RESHAPE ("2x3x4-to-6x4", HT_IN (3, 2, 3, 4), 2, 6, 4),
  RESHAPE ("2x3x4-to-24", HT_IN (3, 2, 3, 4), 1, 24),
  RESHAPE ("4x6-to-2x2x3x2", HT_IN (2, 4, 6), 4, 2, 2, 3, 2),
  RESHAPE ("nhwc-flatten-2x3x3x5-to-2x45", HT_IN (4, 2, 3, 3, 5), 2, 2, 45),
  PERMUTE ("3x4-transpose", HT_IN (2, 3, 4), 1, 0),
  PERMUTE ("2x3x4-201", HT_IN (3, 2, 3, 4), 2, 0, 1),
  PERMUTE ("2x3x4-021", HT_IN (3, 2, 3, 4), 0, 2, 1),
  PERMUTE ("nchw-to-nhwc-2x3x4x5", HT_IN (4, 2, 3, 4, 5), 0, 2, 3, 1),
  PERMUTE ("heads-2x5x2x4-0213", HT_IN (4, 2, 5, 2, 4), 0, 2, 1, 3),
  PERMUTE ("reverse-2x3x4x5", HT_IN (4, 2, 3, 4, 5), 3, 2, 1, 0),
};

/* ---- embedding, cast_u8 ---- */

static void
embedding_shape (const HtCase *c, guint *ndim, gint64 *shape)
{
  *ndim = 2;
  shape[0] = c->in[1].shape[0];
  shape[1] = c->in[0].shape[1];
}

static HsTensor *
embedding_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_embedding (in[0], in[1], error);
}

static void
embedding_ref (const HtCase *c, double **in, double *out)
{
  ref_embedding (in[0], in[1], out, c->in[1].shape[0], c->in[0].shape[1]);
}

static void
embedding_bwd (const HtCase *c, double **in, const double *dout, double **din)
{
  ref_embedding_backward (in[1], dout, din[0], c->in[1].shape[0], c->in[0].shape[1]);
}

/* Index 2 three times, and both ends of the table. */
static void
embedding_init (const HtCase *c, GRand *rand, double **in)
{
  gsize n = c->in[1].shape[0];

  in[1][0] = in[1][3] = in[1][n - 1] = 2;
  in[1][1] = 0;
  in[1][2] = c->in[0].shape[0] - 1;
}

static HsTensor *
cast_engine (const HtCase *c, HsTensor **in, GError **error)
{
  return hs_cast_u8 (in[0], c->p.alpha, c->p.beta, error);
}

static void
cast_ref (const HtCase *c, double **in, double *out)
{
  for (gsize i = 0; i < ht_arg_numel (&c->in[0]); i++)
    out[i] = in[0][i] * (float) c->p.alpha + (float) c->p.beta;
}

#define EMBEDDING(path_, V, D, N) \
  { .path = "/ops/embedding/" path_, .n_in = 2, .in = { HT_IN (2, V, D), HT_INDEX (V, 1, N) }, \
    .shape = embedding_shape, .engine = embedding_engine, .ref = embedding_ref, \
    .ref_bwd = embedding_bwd, .init = embedding_init }
#define CAST(path_, sc, sh, ...) \
  { .path = "/ops/cast_u8/" path_, .n_in = 1, \
    .in = { { .dtype = HS_DTYPE_U8, .ndim = 4, .shape = { __VA_ARGS__ }, \
              .gen = HT_GEN_INDEX, .range = 256 } }, .p = { .alpha = sc, .beta = sh }, \
    .shape = same_shape, .engine = cast_engine, .ref = cast_ref }

static const HtCase misc_cases[] = {
  EMBEDDING ("7x5-9-repeated", 7, 5, 9),
  EMBEDDING ("50x16-33-repeated", 50, 16, 33),
  CAST ("unit-2x5x7x3", 1.0 / 255.0, 0.0, 2, 5, 7, 3),
  CAST ("centred-1x8x8x3", 2.0 / 255.0, -1.0, 1, 8, 8, 3),
  CAST ("odd-1x3x3x111", 0.5, 3.0, 1, 3, 3, 111),
};

void
test_ops_shape_register (void)
{
  ht_case_add_all (reduce_cases, G_N_ELEMENTS (reduce_cases));
  ht_case_add_all (concat_cases, G_N_ELEMENTS (concat_cases));
  ht_case_add_all (layout_cases, G_N_ELEMENTS (layout_cases));
  ht_case_add_all (misc_cases, G_N_ELEMENTS (misc_cases));
}
