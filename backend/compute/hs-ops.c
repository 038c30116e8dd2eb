/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Core differentiable ops: matmul, broadcasting arithmetic, reductions and
 * shape ops.  Network layers are in hs-ops-nn.c.
 */
#define G_LOG_DOMAIN "hs-ops"

#include <stdarg.h>
#include <string.h>

#include "hs-ops-private.h"

/* ---- shared helpers ---------------------------------------------------- */

HsTensor *
hs_ops_new (HsTensor *like, HsDType dtype, guint ndim, const gint64 *shape)
{
  g_autoptr(GError) error = NULL;
  HsTensor *t = hs_tensor_new (like->device, dtype, ndim, shape, &error);

  if (t == NULL && !hs_device_failed (like->device))
    hs_device_fail (like->device, error->domain == HS_COMPUTE_ERROR ? error->code
                                                                    : HS_COMPUTE_ERROR_FAILED,
                    "%s", error->message);
  return t;
}

HsTensor *
hs_ops_new_like (HsTensor *like)
{
  return hs_ops_new (like, like->dtype, like->ndim, like->shape);
}

void
hs_ops_shape_error (GError **error, const char *op, HsTensor *a, HsTensor *b,
                    const char *format, ...)
{
  g_autofree char *sa = a != NULL ? hs_tensor_shape_string (a) : NULL;
  g_autofree char *sb = b != NULL ? hs_tensor_shape_string (b) : NULL;
  g_autofree char *why = NULL;
  va_list args;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);
  if (sb != NULL)
    g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_SHAPE, "%s: %s and %s: %s",
                 op, sa, sb, why);
  else
    g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_SHAPE, "%s: %s: %s", op, sa, why);
}

gboolean
hs_ops_check_f32 (const char *op, HsTensor *t, GError **error)
{
  if (t->dtype == HS_DTYPE_F32)
    return TRUE;
  g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_INVALID,
               "%s: expected an f32 tensor", op);
  return FALSE;
}

gboolean
hs_ops_check_same_device (const char *op, HsTensor *a, HsTensor *b, GError **error)
{
  if (b == NULL || a->device == b->device)
    return TRUE;
  g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_INVALID,
               "%s: operands live on different devices (%s and %s)", op,
               a->device->name, b->device->name);
  return FALSE;
}

HsTensor *
hs_ops_finish (HsTensor *out, GError **error)
{
  if (out == NULL)
    return NULL;
  if (!hs_device_take_error (out->device, error))
    {
      hs_tensor_unref (out);
      return NULL;
    }
  return out;
}

HsTensor *
hs_ops_reduce_like (HsTensor *dy, HsTensor *like, gfloat scale)
{
  HsTensor *r;
  gboolean same = dy->numel == like->numel;

  if (same && scale == 1.f)
    return hs_tensor_new_view (dy, like->ndim, like->shape);
  r = hs_ops_new (dy, HS_DTYPE_F32, like->ndim, like->shape);
  if (r == NULL)
    return NULL;
  if (same)
    dy->device->ops->binary (dy->device, HS_BINARY_ADD, scale, 0.f, r, dy, NULL);
  else
    dy->device->ops->sum_to (dy->device, r, dy, scale);
  return r;
}

void
hs_ops_gemm (HsTensor *c, HsTensor *a, HsTensor *b, gboolean ta, gboolean tb,
             gint m, gint n, gint k, gint batch, gsize sa, gsize sb, gsize sc, gfloat beta)
{
  HsGemm g = {
    .ta = ta, .tb = tb, .m = m, .n = n, .k = k, .alpha = 1.f, .beta = beta,
    .batch = batch, .stride_a = sa, .stride_b = sb, .stride_c = sc,
  };

  if (c == NULL || a == NULL || b == NULL)
    return;
  c->device->ops->gemm (c->device, &g, a, b, c);
}

/* ---- matmul ------------------------------------------------------------ */

static void
matmul_backward (HsNode *node)
{
  HsTensor *a = node->in[0], *b = node->in[1], *dc = node->grad;
  gboolean ta = node->u.p.i[0], tb = node->u.p.i[1];
  gint m = node->u.p.i[2], n = node->u.p.i[3], k = (gint) node->u.p.z[0];
  gint batch = (gint) node->u.p.z[1];
  gsize sa = node->u.p.z[2], sb = node->u.p.z[3];
  gsize mn = (gsize) m * n;

  if (hs_node_input_wants_grad (node, 0))
    {
      /* A broadcast over the batch (stride 0) gets per-batch gradients
       * summed afterwards. */
      gint64 shape[3] = { batch, a->shape[a->ndim - 2], a->shape[a->ndim - 1] };
      HsTensor *da = sa == 0 && batch > 1 ? hs_ops_new (a, HS_DTYPE_F32, 3, shape)
                                          : hs_ops_new_like (a);
      gsize sda = (gsize) m * k;
      if (!ta)
        hs_ops_gemm (da, dc, b, FALSE, !tb, m, k, n, batch, mn, sb, sda, 0.f);
      else
        hs_ops_gemm (da, b, dc, tb, TRUE, k, m, n, batch, sb, mn, sda, 0.f);
      if (da != NULL && da->numel != a->numel)
        {
          HsTensor *r = hs_ops_reduce_like (da, a, 1.f);
          hs_tensor_unref (da);
          da = r;
        }
      hs_node_give_grad (node, 0, da);
    }
  if (hs_node_input_wants_grad (node, 1))
    {
      gint64 shape[3] = { batch, b->shape[b->ndim - 2], b->shape[b->ndim - 1] };
      HsTensor *db = sb == 0 && batch > 1 ? hs_ops_new (b, HS_DTYPE_F32, 3, shape)
                                          : hs_ops_new_like (b);
      gsize sdb = (gsize) k * n;
      if (!tb)
        hs_ops_gemm (db, a, dc, !ta, FALSE, k, n, m, batch, sa, mn, sdb, 0.f);
      else
        hs_ops_gemm (db, dc, a, TRUE, ta, n, k, m, batch, mn, sa, sdb, 0.f);
      if (db != NULL && db->numel != b->numel)
        {
          HsTensor *r = hs_ops_reduce_like (db, b, 1.f);
          hs_tensor_unref (db);
          db = r;
        }
      hs_node_give_grad (node, 1, db);
    }
}

HsTensor *
hs_matmul (HsTensor *a, HsTensor *b, gboolean ta, gboolean tb, GError **error)
{
  HsTensor *in[2] = { a, b };
  HsTensor *out;
  HsNode *node;
  gint64 shape[HS_MAX_DIMS];
  guint nd, lead_a, lead_b;
  gint m, n, k, kb, batch = 1;

  if (!hs_ops_check_f32 ("matmul", a, error) || !hs_ops_check_f32 ("matmul", b, error) ||
      !hs_ops_check_same_device ("matmul", a, b, error))
    return NULL;
  if (a->ndim < 2 || b->ndim < 2)
    {
      hs_ops_shape_error (error, "matmul", a, b, "both operands need at least 2 dimensions");
      return NULL;
    }
  lead_a = a->ndim - 2;
  lead_b = b->ndim - 2;
  m = a->shape[a->ndim - (ta ? 1 : 2)];
  k = a->shape[a->ndim - (ta ? 2 : 1)];
  kb = b->shape[b->ndim - (tb ? 1 : 2)];
  n = b->shape[b->ndim - (tb ? 2 : 1)];
  if (k != kb)
    {
      hs_ops_shape_error (error, "matmul", a, b, "inner dimensions differ (%d and %d)", k, kb);
      return NULL;
    }
  if (lead_a > 0 && lead_b > 0)
    {
      if (lead_a != lead_b)
        goto bad_batch;
      for (guint i = 0; i < lead_a; i++)
        if (a->shape[i] != b->shape[i])
          goto bad_batch;
    }
  nd = MAX (lead_a, lead_b);
  for (guint i = 0; i < nd; i++)
    {
      shape[i] = lead_a > 0 ? a->shape[i] : b->shape[i];
      batch *= shape[i];
    }
  shape[nd] = m;
  shape[nd + 1] = n;
  out = hs_tensor_new (a->device, HS_DTYPE_F32, nd + 2, shape, error);
  if (out == NULL)
    return NULL;
  {
    gsize sa = lead_a > 0 ? (gsize) m * k : 0, sb = lead_b > 0 ? (gsize) k * n : 0;
    hs_ops_gemm (out, a, b, ta, tb, m, n, k, batch, sa, sb, (gsize) m * n, 0.f);
    node = hs_tape_record ("matmul", matmul_backward, out, in, 2);
    if (node != NULL)
      {
        node->u.p.i[0] = ta;
        node->u.p.i[1] = tb;
        node->u.p.i[2] = m;
        node->u.p.i[3] = n;
        node->u.p.z[0] = k;
        node->u.p.z[1] = batch;
        node->u.p.z[2] = sa;
        node->u.p.z[3] = sb;
      }
  }
  return hs_ops_finish (out, error);

bad_batch:
  hs_ops_shape_error (error, "matmul", a, b, "batch dimensions differ");
  return NULL;
}

/* ---- broadcasting arithmetic -------------------------------------------- */

static gboolean
broadcast_shape (const char *op, HsTensor *a, HsTensor *b, guint *ndim, gint64 *shape,
                 GError **error)
{
  guint nd = MAX (a->ndim, b->ndim);

  for (guint i = 0; i < nd; i++)
    {
      gint ia = (gint) a->ndim - (gint) nd + (gint) i;
      gint ib = (gint) b->ndim - (gint) nd + (gint) i;
      gint64 da = ia >= 0 ? a->shape[ia] : 1;
      gint64 db = ib >= 0 ? b->shape[ib] : 1;
      if (da != db && da != 1 && db != 1)
        {
          hs_ops_shape_error (error, op, a, b, "shapes do not broadcast (dimension %u)", i);
          return FALSE;
        }
      shape[i] = MAX (da, db);
    }
  *ndim = nd;
  return TRUE;
}

static void
add_backward (HsNode *node)
{
  gfloat sign_b = node->u.p.f[0];

  if (hs_node_input_wants_grad (node, 0))
    hs_node_give_grad (node, 0, hs_ops_reduce_like (node->grad, node->in[0], 1.f));
  if (hs_node_input_wants_grad (node, 1))
    hs_node_give_grad (node, 1, hs_ops_reduce_like (node->grad, node->in[1], sign_b));
}

static void
mul_backward (HsNode *node)
{
  HsDevice *dev = node->grad->device;

  for (guint i = 0; i < 2; i++)
    {
      HsTensor *prod, *other = node->in[1 - i];
      if (!hs_node_input_wants_grad (node, i))
        continue;
      prod = hs_ops_new_like (node->grad);
      if (prod == NULL)
        return;
      dev->ops->binary (dev, HS_BINARY_MUL, 1.f, 0.f, prod, node->grad, other);
      hs_node_give_grad (node, i, hs_ops_reduce_like (prod, node->in[i], 1.f));
      hs_tensor_unref (prod);
    }
}

static HsTensor *
binary_op (const char *name, HsBinaryOp op, gfloat beta, HsTensor *a, HsTensor *b,
           GError **error)
{
  HsTensor *in[2] = { a, b };
  HsTensor *out;
  HsNode *node;
  gint64 shape[HS_MAX_DIMS];
  guint nd;

  if (!hs_ops_check_f32 (name, a, error) || !hs_ops_check_f32 (name, b, error) ||
      !hs_ops_check_same_device (name, a, b, error) ||
      !broadcast_shape (name, a, b, &nd, shape, error))
    return NULL;
  out = hs_tensor_new (a->device, HS_DTYPE_F32, nd, shape, error);
  if (out == NULL)
    return NULL;
  a->device->ops->binary (a->device, op, 1.f, beta, out, a, b);
  node = hs_tape_record (name, op == HS_BINARY_MUL ? mul_backward : add_backward, out, in, 2);
  if (node != NULL)
    node->u.p.f[0] = beta;
  return hs_ops_finish (out, error);
}

HsTensor *
hs_add (HsTensor *a, HsTensor *b, GError **error)
{
  return binary_op ("add", HS_BINARY_ADD, 1.f, a, b, error);
}

HsTensor *
hs_sub (HsTensor *a, HsTensor *b, GError **error)
{
  return binary_op ("sub", HS_BINARY_ADD, -1.f, a, b, error);
}

HsTensor *
hs_mul (HsTensor *a, HsTensor *b, GError **error)
{
  return binary_op ("mul", HS_BINARY_MUL, 0.f, a, b, error);
}

static void
scale_backward (HsNode *node)
{
  hs_node_give_grad (node, 0, hs_ops_reduce_like (node->grad, node->in[0], node->u.p.f[0]));
}

HsTensor *
hs_scale (HsTensor *x, gfloat s, GError **error)
{
  HsTensor *out;
  HsNode *node;

  if (!hs_ops_check_f32 ("scale", x, error))
    return NULL;
  out = hs_tensor_new_like (x, error);
  if (out == NULL)
    return NULL;
  x->device->ops->binary (x->device, HS_BINARY_ADD, s, 0.f, out, x, NULL);
  node = hs_tape_record ("scale", scale_backward, out, &x, 1);
  if (node != NULL)
    node->u.p.f[0] = s;
  return hs_ops_finish (out, error);
}

/* ---- reductions ---------------------------------------------------------- */

static void
reduce_backward (HsNode *node)
{
  HsTensor *x = node->in[0];
  HsTensor *dx = hs_ops_new_like (x);

  if (dx == NULL)
    return;
  /* Broadcast the reduced gradient back over the reduced dims. */
  x->device->ops->binary (x->device, HS_BINARY_ADD, node->u.p.f[0], 0.f, dx, node->grad, NULL);
  hs_node_give_grad (node, 0, dx);
}

/* Sum x into `shape` (x's shape with reduced dims set to 1, same ndim, or
 * [1] for everything), times scale. */
static HsTensor *
reduce_to (const char *op, HsTensor *x, guint ndim, const gint64 *shape, gfloat scale,
           GError **error)
{
  HsTensor *out;
  HsNode *node;

  if (!hs_ops_check_f32 (op, x, error))
    return NULL;
  out = hs_tensor_new (x->device, HS_DTYPE_F32, ndim, shape, error);
  if (out == NULL)
    return NULL;
  x->device->ops->sum_to (x->device, out, x, scale);
  node = hs_tape_record (op, reduce_backward, out, &x, 1);
  if (node != NULL)
    node->u.p.f[0] = scale;
  return hs_ops_finish (out, error);
}

static HsTensor *
reduce_axis (const char *op, HsTensor *x, gint axis, gboolean mean, GError **error)
{
  g_autoptr(HsTensor) kept = NULL;
  gint64 shape[HS_MAX_DIMS];
  guint nd = 0;
  gint64 len;

  if (axis < 0)
    axis += x->ndim;
  if (axis < 0 || (guint) axis >= x->ndim)
    {
      hs_ops_shape_error (error, op, x, NULL, "no axis %d", axis);
      return NULL;
    }
  len = x->shape[axis];
  memcpy (shape, x->shape, sizeof shape);
  shape[axis] = 1;
  kept = reduce_to (op, x, x->ndim, shape, mean ? 1.f / (gfloat) len : 1.f, error);
  if (kept == NULL)
    return NULL;
  for (guint i = 0; i < x->ndim; i++)
    if (i != (guint) axis)
      shape[nd++] = x->shape[i];
  if (nd == 0)
    shape[nd++] = 1;
  return hs_reshape (kept, nd, shape, error);
}

HsTensor *
hs_sum (HsTensor *x, gint axis, GError **error)
{
  return reduce_axis ("sum", x, axis, FALSE, error);
}

HsTensor *
hs_mean (HsTensor *x, gint axis, GError **error)
{
  return reduce_axis ("mean", x, axis, TRUE, error);
}

HsTensor *
hs_sum_all (HsTensor *x, GError **error)
{
  const gint64 one = 1;
  return reduce_to ("sum", x, 1, &one, 1.f, error);
}

HsTensor *
hs_mean_all (HsTensor *x, GError **error)
{
  const gint64 one = 1;
  return reduce_to ("mean", x, 1, &one, 1.f / (gfloat) x->numel, error);
}

/* ---- shape ops ------------------------------------------------------------ */

static void
reshape_backward (HsNode *node)
{
  HsTensor *x = node->in[0];
  hs_node_give_grad (node, 0, hs_tensor_new_view (node->grad, x->ndim, x->shape));
}

HsTensor *
hs_reshape (HsTensor *x, guint ndim, const gint64 *shape, GError **error)
{
  HsTensor *out;
  gsize numel = 1;

  if (ndim < 1 || ndim > HS_MAX_DIMS)
    {
      hs_ops_shape_error (error, "reshape", x, NULL, "cannot have %u dimensions", ndim);
      return NULL;
    }
  for (guint i = 0; i < ndim; i++)
    numel *= shape[i] > 0 ? (gsize) shape[i] : 0;
  if (numel != x->numel)
    {
      g_autoptr(GString) to = g_string_new ("[");
      for (guint i = 0; i < ndim; i++)
        g_string_append_printf (to, "%s%" G_GINT64_FORMAT, i ? ", " : "", shape[i]);
      g_string_append_c (to, ']');
      hs_ops_shape_error (error, "reshape", x, NULL,
                          "cannot become %s, which holds %" G_GSIZE_FORMAT " elements, not %"
                          G_GSIZE_FORMAT, to->str, numel, x->numel);
      return NULL;
    }
  out = hs_tensor_new_view (x, ndim, shape);
  hs_tape_record ("reshape", reshape_backward, out, &x, 1);
  return out;
}

/* perm over ndim dims → perm over the right-aligned 4-D shape. */
static void
perm4 (guint ndim, const gint *perm, gint out[4])
{
  guint pad = HS_MAX_DIMS - ndim;
  for (guint i = 0; i < HS_MAX_DIMS; i++)
    out[i] = i < pad ? (gint) i : (gint) pad + perm[i - pad];
}

static void
permute_backward (HsNode *node)
{
  HsTensor *x = node->in[0];
  HsTensor *dx = hs_ops_new_like (x);
  gint inverse[4];

  if (dx == NULL)
    return;
  for (guint i = 0; i < 4; i++)
    inverse[node->u.perm.perm[i]] = i;
  x->device->ops->permute (x->device, dx, node->grad, inverse);
  hs_node_give_grad (node, 0, dx);
}

HsTensor *
hs_permute (HsTensor *x, const gint *perm, GError **error)
{
  HsTensor *out;
  HsNode *node;
  gint64 shape[HS_MAX_DIMS];
  gboolean seen[HS_MAX_DIMS] = { 0 };
  gint p4[4];

  for (guint i = 0; i < x->ndim; i++)
    {
      if (perm[i] < 0 || (guint) perm[i] >= x->ndim || seen[perm[i]])
        {
          hs_ops_shape_error (error, "permute", x, NULL, "not a permutation of its axes");
          return NULL;
        }
      seen[perm[i]] = TRUE;
      shape[i] = x->shape[perm[i]];
    }
  out = hs_tensor_new (x->device, x->dtype, x->ndim, shape, error);
  if (out == NULL)
    return NULL;
  perm4 (x->ndim, perm, p4);
  x->device->ops->permute (x->device, out, x, p4);
  node = hs_tape_record ("permute", permute_backward, out, &x, 1);
  if (node != NULL)
    memcpy (node->u.perm.perm, p4, sizeof p4);
  return hs_ops_finish (out, error);
}

/* outer × axis × inner view of x around `axis`. */
static void
axis_view (HsTensor *x, guint axis, gsize *outer, gsize *inner)
{
  *outer = 1;
  *inner = 1;
  for (guint i = 0; i < axis; i++)
    *outer *= x->shape[i];
  for (guint i = axis + 1; i < x->ndim; i++)
    *inner *= x->shape[i];
}

static void
slice_backward (HsNode *node)
{
  HsTensor *x = node->in[0];
  HsDevice *dev = x->device;
  gsize axis = node->u.p.z[0], start = node->u.p.z[1], len = node->u.p.z[2];
  gsize outer, inner;
  HsTensor *dx = hs_ops_new_like (x);

  if (dx == NULL)
    return;
  axis_view (x, axis, &outer, &inner);
  dev->ops->fill (dev, dx, 0.f);
  dev->ops->copy_block (dev, dx, node->grad, outer, inner, len, 0, x->shape[axis], start, len);
  hs_node_give_grad (node, 0, dx);
}

HsTensor *
hs_slice (HsTensor *x, gint axis, gint64 start, gint64 len, GError **error)
{
  HsTensor *out;
  HsNode *node;
  gint64 shape[HS_MAX_DIMS];
  gsize outer, inner;

  if (axis < 0)
    axis += x->ndim;
  if (axis < 0 || (guint) axis >= x->ndim)
    {
      hs_ops_shape_error (error, "slice", x, NULL, "no axis %d", axis);
      return NULL;
    }
  if (start < 0 || len < 1 || start + len > x->shape[axis])
    {
      hs_ops_shape_error (error, "slice", x, NULL,
                          "[%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ") is outside axis %d",
                          start, start + len, axis);
      return NULL;
    }
  memcpy (shape, x->shape, sizeof shape);
  shape[axis] = len;
  out = hs_tensor_new (x->device, x->dtype, x->ndim, shape, error);
  if (out == NULL)
    return NULL;
  axis_view (x, axis, &outer, &inner);
  x->device->ops->copy_block (x->device, out, x, outer, inner, x->shape[axis], start, len, 0, len);
  node = hs_tape_record ("slice", slice_backward, out, &x, 1);
  if (node != NULL)
    {
      node->u.p.z[0] = axis;
      node->u.p.z[1] = start;
      node->u.p.z[2] = len;
    }
  return hs_ops_finish (out, error);
}

static void
concat_backward (HsNode *node)
{
  HsDevice *dev = node->grad->device;
  gsize axis = node->u.p.z[0], total = node->out->shape[axis], start = 0;

  for (guint i = 0; i < node->n_in; i++)
    {
      HsTensor *x = node->in[i];
      gsize outer, inner, len = x->shape[axis];
      if (hs_node_input_wants_grad (node, i))
        {
          HsTensor *dx = hs_ops_new_like (x);
          if (dx == NULL)
            return;
          axis_view (x, axis, &outer, &inner);
          dev->ops->copy_block (dev, dx, node->grad, outer, inner, total, start, len, 0, len);
          hs_node_give_grad (node, i, dx);
        }
      start += len;
    }
}

HsTensor *
hs_concat (HsTensor *const *xs, guint n, gint axis, GError **error)
{
  HsTensor *out;
  HsNode *node;
  gint64 shape[HS_MAX_DIMS];
  gsize outer, inner, start = 0;

  g_return_val_if_fail (n > 0, NULL);
  if (axis < 0)
    axis += xs[0]->ndim;
  if (axis < 0 || (guint) axis >= xs[0]->ndim)
    {
      hs_ops_shape_error (error, "concat", xs[0], NULL, "no axis %d", axis);
      return NULL;
    }
  memcpy (shape, xs[0]->shape, sizeof shape);
  shape[axis] = 0;
  for (guint i = 0; i < n; i++)
    {
      gboolean ok = xs[i]->ndim == xs[0]->ndim && xs[i]->dtype == xs[0]->dtype &&
                    xs[i]->device == xs[0]->device;
      for (guint d = 0; ok && d < xs[0]->ndim; d++)
        ok = d == (guint) axis || xs[i]->shape[d] == xs[0]->shape[d];
      if (!ok)
        {
          hs_ops_shape_error (error, "concat", xs[0], xs[i],
                              "inputs must match except along axis %d", axis);
          return NULL;
        }
      shape[axis] += xs[i]->shape[axis];
    }
  out = hs_tensor_new (xs[0]->device, xs[0]->dtype, xs[0]->ndim, shape, error);
  if (out == NULL)
    return NULL;
  for (guint i = 0; i < n; i++)
    {
      gsize len = xs[i]->shape[axis];
      axis_view (xs[i], axis, &outer, &inner);
      out->device->ops->copy_block (out->device, out, xs[i], outer, inner, len, 0,
                                    shape[axis], start, len);
      start += len;
    }
  node = hs_tape_record ("concat", concat_backward, out, xs, n);
  if (node != NULL)
    node->u.p.z[0] = axis;
  return hs_ops_finish (out, error);
}
