/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Network layers: activations, linear, convolution, pooling, normalisation,
 * losses, attention, dropout and embeddings.
 */
#define G_LOG_DOMAIN "hs-ops"

#include <math.h>
#include <string.h>

#include "hs-ops-private.h"

/* ---- bias and activations ------------------------------------------------ */

/* d loss / d (x + bias), from the output gradient and the saved reference
 * (x for GELU, y for RELU). */
static HsTensor *
act_input_grad (HsTensor *dy, HsTensor *ref, HsAct act)
{
  HsTensor *dpre;

  if (act == HS_ACT_NONE)
    return hs_tensor_ref (dy);
  dpre = hs_ops_new_like (dy);
  if (dpre != NULL)
    dy->device->ops->act_backward (dy->device, dpre, dy, ref, act);
  return dpre;
}

static void
bias_act_backward (HsNode *node)
{
  HsTensor *ref = node->mode == HS_ACT_GELU ? node->saved[0] : node->out;
  HsTensor *dpre = act_input_grad (node->grad, ref, node->mode);

  if (dpre == NULL)
    return;
  if (node->n_in > 1 && hs_node_input_wants_grad (node, 1))
    hs_node_give_grad (node, 1, hs_ops_reduce_like (dpre, node->in[1], 1.f));
  if (hs_node_input_wants_grad (node, 0))
    hs_node_give_grad (node, 0, hs_tensor_ref (dpre));
  hs_tensor_unref (dpre);
}

HsTensor *
hs_bias_act (HsTensor *x, HsTensor *bias, HsAct act, GError **error)
{
  HsTensor *in[2] = { x, bias };
  HsTensor *out;
  HsNode *node;

  if (!hs_ops_check_f32 ("bias_act", x, error) ||
      (bias != NULL && (!hs_ops_check_f32 ("bias_act", bias, error) ||
                        !hs_ops_check_same_device ("bias_act", x, bias, error))))
    return NULL;
  if (bias != NULL && (bias->numel != (gsize) x->shape[x->ndim - 1]))
    {
      hs_ops_shape_error (error, "bias_act", x, bias,
                          "the bias must have one value per feature of the last dimension");
      return NULL;
    }
  if (act == HS_ACT_GELU && bias != NULL && hs_tape_wants (in, 2))
    {
      /* GELU's derivative needs its own input, x + bias: keep it. */
      g_autoptr(HsTensor) pre = hs_bias_act (x, bias, HS_ACT_NONE, error);
      return pre != NULL ? hs_bias_act (pre, NULL, HS_ACT_GELU, error) : NULL;
    }
  out = hs_tensor_new_like (x, error);
  if (out == NULL)
    return NULL;
  x->device->ops->bias_act (x->device, out, x, bias, act);
  node = hs_tape_record ("bias_act", bias_act_backward, out, in, bias != NULL ? 2 : 1);
  if (node != NULL)
    {
      node->mode = act;
      if (act == HS_ACT_GELU)
        node->saved[0] = hs_tensor_ref (x);
    }
  return hs_ops_finish (out, error);
}

HsTensor *
hs_relu (HsTensor *x, GError **error)
{
  return hs_bias_act (x, NULL, HS_ACT_RELU, error);
}

HsTensor *
hs_gelu (HsTensor *x, GError **error)
{
  return hs_bias_act (x, NULL, HS_ACT_GELU, error);
}

HsTensor *
hs_linear (HsTensor *x, HsTensor *w, HsTensor *b, HsAct act, GError **error)
{
  g_autoptr(HsTensor) x2 = NULL;
  g_autoptr(HsTensor) y2 = NULL;
  g_autoptr(HsTensor) y = NULL;
  gint64 shape[HS_MAX_DIMS];
  gint64 in_features, rows;

  if (w->ndim != 2 || x->shape[x->ndim - 1] != w->shape[1])
    {
      hs_ops_shape_error (error, "linear", x, w,
                          "weights must be [out, in] with in = the input's last dimension");
      return NULL;
    }
  in_features = w->shape[1];
  rows = x->numel / in_features;
  {
    gint64 s2[2] = { rows, in_features };
    x2 = hs_reshape (x, 2, s2, error);
  }
  if (x2 == NULL || (y2 = hs_matmul (x2, w, FALSE, TRUE, error)) == NULL)
    return NULL;
  memcpy (shape, x->shape, sizeof shape);
  shape[x->ndim - 1] = w->shape[0];
  y = hs_reshape (y2, x->ndim, shape, error);
  if (y == NULL)
    return NULL;
  if (b == NULL && act == HS_ACT_NONE)
    return g_steal_pointer (&y);
  return hs_bias_act (y, b, act, error);
}

/* ---- convolution and pooling -------------------------------------------- */

static void
conv2d_backward (HsNode *node)
{
  HsTensor *x = node->in[0], *w = node->in[1];
  HsDevice *dev = x->device;
  const HsConvGeom *g = &node->u.geom;
  HsTensor *dpre = act_input_grad (node->grad, node->out, node->mode);

  if (dpre == NULL)
    return;
  /* The network's input needs no gradient: skipping backward_data for it
   * saves a third of the first layer's work. */
  if (hs_node_input_wants_grad (node, 0))
    {
      HsTensor *dx = hs_ops_new_like (x);
      if (dx != NULL)
        dev->ops->conv2d_backward_data (dev, g, dx, dpre, w);
      hs_node_give_grad (node, 0, dx);
    }
  if (hs_node_input_wants_grad (node, 1))
    {
      HsTensor *dw = hs_ops_new_like (w);
      if (dw != NULL)
        dev->ops->conv2d_backward_filter (dev, g, dw, dpre, x);
      hs_node_give_grad (node, 1, dw);
    }
  if (node->n_in > 2 && hs_node_input_wants_grad (node, 2))
    hs_node_give_grad (node, 2, hs_ops_reduce_like (dpre, node->in[2], 1.f));
  hs_tensor_unref (dpre);
}

HsTensor *
hs_conv2d (HsTensor *x, HsTensor *w, HsTensor *bias, gint stride, gint pad, HsAct act,
           GError **error)
{
  HsTensor *in[3] = { x, w, bias };
  HsTensor *out;
  HsNode *node;
  HsConvGeom g;

  if (act == HS_ACT_GELU)
    {
      g_autoptr(HsTensor) pre = hs_conv2d (x, w, bias, stride, pad, HS_ACT_NONE, error);
      return pre != NULL ? hs_gelu (pre, error) : NULL;
    }
  if (!hs_ops_check_f32 ("conv2d", x, error) || !hs_ops_check_f32 ("conv2d", w, error) ||
      !hs_ops_check_same_device ("conv2d", x, w, error) ||
      !hs_ops_check_same_device ("conv2d", x, bias, error))
    return NULL;
  if (x->ndim != 4 || w->ndim != 4 || w->shape[3] != x->shape[3])
    {
      hs_ops_shape_error (error, "conv2d", x, w,
                          "expected input [n, h, w, c] and weights [oc, kh, kw, c]");
      return NULL;
    }
  if (stride < 1 || pad < 0)
    {
      hs_ops_shape_error (error, "conv2d", x, w, "stride %d / padding %d", stride, pad);
      return NULL;
    }
  g = (HsConvGeom) {
    .n = x->shape[0], .h = x->shape[1], .w = x->shape[2], .c = x->shape[3],
    .oc = w->shape[0], .kh = w->shape[1], .kw = w->shape[2],
    .sh = stride, .sw = stride, .ph = pad, .pw = pad,
  };
  g.oh = (g.h + 2 * pad - g.kh) / stride + 1;
  g.ow = (g.w + 2 * pad - g.kw) / stride + 1;
  if (g.h + 2 * pad < g.kh || g.w + 2 * pad < g.kw)
    {
      hs_ops_shape_error (error, "conv2d", x, w, "the kernel is larger than the padded image");
      return NULL;
    }
  if (bias != NULL && (bias->numel != (gsize) g.oc || !hs_ops_check_f32 ("conv2d", bias, error)))
    {
      hs_ops_shape_error (error, "conv2d", w, bias, "the bias must be [oc]");
      return NULL;
    }
  {
    gint64 shape[4] = { g.n, g.oh, g.ow, g.oc };
    out = hs_tensor_new (x->device, HS_DTYPE_F32, 4, shape, error);
  }
  if (out == NULL)
    return NULL;
  x->device->ops->conv2d (x->device, &g, out, x, w, bias, act);
  node = hs_tape_record ("conv2d", conv2d_backward, out, in, bias != NULL ? 3 : 2);
  if (node != NULL)
    {
      node->u.geom = g;
      node->mode = act; /* ReLU's mask is read from the output itself */
    }
  return hs_ops_finish (out, error);
}

static void
pool2d_backward (HsNode *node)
{
  HsTensor *x = node->in[0];
  HsTensor *dx = hs_ops_new_like (x);

  if (dx != NULL)
    x->device->ops->pool2d_backward (x->device, &node->u.geom, node->mode, dx, node->grad, x);
  hs_node_give_grad (node, 0, dx);
}

static HsTensor *
pool2d (const char *op, HsPoolType type, HsTensor *x, gint kernel, gint stride, gint pad,
        GError **error)
{
  HsTensor *out;
  HsNode *node;
  HsConvGeom g;

  if (!hs_ops_check_f32 (op, x, error))
    return NULL;
  if (x->ndim != 4 || kernel < 1 || stride < 1 || pad < 0 || pad * 2 > kernel ||
      x->shape[1] + 2 * pad < kernel || x->shape[2] + 2 * pad < kernel)
    {
      hs_ops_shape_error (error, op, x, NULL,
                          "expected [n, h, w, c] and a kernel (%d) that fits, stride %d, "
                          "padding %d at most half the kernel", kernel, stride, pad);
      return NULL;
    }
  g = (HsConvGeom) {
    .n = x->shape[0], .h = x->shape[1], .w = x->shape[2], .c = x->shape[3],
    .oc = x->shape[3], .kh = kernel, .kw = kernel,
    .sh = stride, .sw = stride, .ph = pad, .pw = pad,
  };
  g.oh = (g.h + 2 * pad - kernel) / stride + 1;
  g.ow = (g.w + 2 * pad - kernel) / stride + 1;
  {
    gint64 shape[4] = { g.n, g.oh, g.ow, g.c };
    out = hs_tensor_new (x->device, HS_DTYPE_F32, 4, shape, error);
  }
  if (out == NULL)
    return NULL;
  x->device->ops->pool2d (x->device, &g, type, out, x);
  node = hs_tape_record (op, pool2d_backward, out, &x, 1);
  if (node != NULL)
    {
      node->u.geom = g;
      node->mode = type;
    }
  return hs_ops_finish (out, error);
}

HsTensor *
hs_max_pool2d (HsTensor *x, gint kernel, gint stride, gint pad, GError **error)
{
  return pool2d ("max_pool2d", HS_POOL_MAX, x, kernel, stride, pad, error);
}

HsTensor *
hs_avg_pool2d (HsTensor *x, gint kernel, gint stride, gint pad, GError **error)
{
  return pool2d ("avg_pool2d", HS_POOL_AVG, x, kernel, stride, pad, error);
}

HsTensor *
hs_global_avg_pool (HsTensor *x, GError **error)
{
  g_autoptr(HsTensor) flat = NULL;

  if (x->ndim != 4)
    {
      hs_ops_shape_error (error, "global_avg_pool", x, NULL, "expected [n, h, w, c]");
      return NULL;
    }
  {
    gint64 shape[3] = { x->shape[0], x->shape[1] * x->shape[2], x->shape[3] };
    flat = hs_reshape (x, 3, shape, error);
  }
  return flat != NULL ? hs_mean (flat, 1, error) : NULL;
}

/* ---- normalisation ------------------------------------------------------- */

/* The output of a normalisation and its saved statistics ([n_stats] each). */
static gboolean
new_norm_outputs (HsTensor *x, gint64 n_stats, HsTensor **out, HsTensor **mean,
                  HsTensor **invstd, GError **error)
{
  *out = hs_tensor_new_like (x, error);
  *mean = *out ? hs_tensor_new (x->device, HS_DTYPE_F32, 1, &n_stats, error) : NULL;
  *invstd = *mean ? hs_tensor_new (x->device, HS_DTYPE_F32, 1, &n_stats, error) : NULL;
  if (*invstd != NULL)
    return TRUE;
  g_clear_pointer (out, hs_tensor_unref);
  g_clear_pointer (mean, hs_tensor_unref);
  return FALSE;
}

static void
batch_norm_backward (HsNode *node)
{
  HsTensor *x = node->in[0], *gamma = node->in[1], *beta = node->in[2];
  HsDevice *dev = x->device;
  HsTensor *dx = hs_ops_new_like (x);
  HsTensor *dgamma = hs_ops_new_like (gamma);
  HsTensor *dbeta = hs_ops_new_like (beta);

  if (dx != NULL && dgamma != NULL && dbeta != NULL)
    dev->ops->batchnorm_backward (dev, dx, dgamma, dbeta, node->grad, x, node->out, gamma,
                                  node->saved[0], node->saved[1], node->u.p.i[0], node->mode);
  hs_node_give_grad (node, 0, dx);
  hs_node_give_grad (node, 1, dgamma);
  hs_node_give_grad (node, 2, dbeta);
}

static gboolean
check_per_feature (const char *op, HsTensor *x, HsTensor *p, GError **error)
{
  if (p == NULL)
    return TRUE;
  if (!hs_ops_check_f32 (op, p, error) || !hs_ops_check_same_device (op, x, p, error))
    return FALSE;
  if (p->numel != (gsize) x->shape[x->ndim - 1])
    {
      hs_ops_shape_error (error, op, x, p, "parameters need one value per feature");
      return FALSE;
    }
  return TRUE;
}

HsTensor *
hs_batch_norm (HsTensor *x, HsTensor *gamma, HsTensor *beta, HsTensor *running_mean,
               HsTensor *running_var, gboolean training, gfloat momentum, gfloat eps,
               HsAct act, GError **error)
{
  HsTensor *in[3] = { x, gamma, beta };
  HsTensor *out, *mean, *invstd;
  HsNode *node;
  gint64 c = x->shape[x->ndim - 1];

  if (!hs_ops_check_f32 ("batch_norm", x, error) ||
      !check_per_feature ("batch_norm", x, gamma, error) ||
      !check_per_feature ("batch_norm", x, beta, error) ||
      !check_per_feature ("batch_norm", x, running_mean, error) ||
      !check_per_feature ("batch_norm", x, running_var, error))
    return NULL;
  if (gamma == NULL || beta == NULL || running_mean == NULL || running_var == NULL)
    {
      hs_ops_shape_error (error, "batch_norm", x, NULL,
                          "gamma, beta and the running statistics are required");
      return NULL;
    }
  if (act == HS_ACT_GELU)
    {
      g_autoptr(HsTensor) pre = hs_batch_norm (x, gamma, beta, running_mean, running_var,
                                               training, momentum, eps, HS_ACT_NONE, error);
      return pre != NULL ? hs_gelu (pre, error) : NULL;
    }
  if (training && x->numel / c < 2)
    {
      hs_ops_shape_error (error, "batch_norm", x, NULL,
                          "training needs more than one value per feature");
      return NULL;
    }
  if (!new_norm_outputs (x, c, &out, &mean, &invstd, error))
    return NULL;
  x->device->ops->batchnorm (x->device, out, x, gamma, beta, running_mean, running_var,
                             mean, invstd, momentum, eps, training, act);
  node = hs_tape_record ("batch_norm", batch_norm_backward, out, in, 3);
  if (node != NULL)
    {
      node->saved[0] = hs_tensor_ref (mean);
      node->saved[1] = hs_tensor_ref (invstd);
      node->u.p.i[0] = training;
      node->mode = act;
    }
  hs_tensor_unref (mean);
  hs_tensor_unref (invstd);
  return hs_ops_finish (out, error);
}

static void
layer_norm_backward (HsNode *node)
{
  HsTensor *x = node->in[0], *gamma = node->in[1], *beta = node->in[2];
  HsDevice *dev = x->device;
  HsTensor *dx = hs_ops_new_like (x);
  HsTensor *dgamma = hs_ops_new_like (gamma);
  HsTensor *dbeta = hs_ops_new_like (beta);

  if (dx != NULL && dgamma != NULL && dbeta != NULL)
    dev->ops->layernorm_backward (dev, dx, dgamma, dbeta, node->grad, x, gamma,
                                  node->saved[0], node->saved[1]);
  hs_node_give_grad (node, 0, dx);
  hs_node_give_grad (node, 1, dgamma);
  hs_node_give_grad (node, 2, dbeta);
}

HsTensor *
hs_layer_norm (HsTensor *x, HsTensor *gamma, HsTensor *beta, gfloat eps, GError **error)
{
  HsTensor *in[3] = { x, gamma, beta };
  HsTensor *out, *mean, *invstd;
  HsNode *node;
  gint64 rows = x->numel / x->shape[x->ndim - 1];

  if (!hs_ops_check_f32 ("layer_norm", x, error) ||
      !check_per_feature ("layer_norm", x, gamma, error) ||
      !check_per_feature ("layer_norm", x, beta, error))
    return NULL;
  if (gamma == NULL || beta == NULL)
    {
      hs_ops_shape_error (error, "layer_norm", x, NULL, "gamma and beta are required");
      return NULL;
    }
  if (!new_norm_outputs (x, rows, &out, &mean, &invstd, error))
    return NULL;
  x->device->ops->layernorm (x->device, out, x, gamma, beta, mean, invstd, eps);
  node = hs_tape_record ("layer_norm", layer_norm_backward, out, in, 3);
  if (node != NULL)
    {
      node->saved[0] = hs_tensor_ref (mean);
      node->saved[1] = hs_tensor_ref (invstd);
    }
  hs_tensor_unref (mean);
  hs_tensor_unref (invstd);
  return hs_ops_finish (out, error);
}

/* ---- softmax and losses -------------------------------------------------- */

static void
softmax_backward (HsNode *node)
{
  HsTensor *dx = hs_ops_new_like (node->in[0]);

  if (dx != NULL)
    dx->device->ops->softmax_backward (dx->device, dx, node->grad, node->out);
  hs_node_give_grad (node, 0, dx);
}

HsTensor *
hs_softmax (HsTensor *x, GError **error)
{
  HsTensor *out;

  if (!hs_ops_check_f32 ("softmax", x, error))
    return NULL;
  out = hs_tensor_new_like (x, error);
  if (out == NULL)
    return NULL;
  x->device->ops->softmax (x->device, out, x);
  hs_tape_record ("softmax", softmax_backward, out, &x, 1);
  return hs_ops_finish (out, error);
}

static void
cross_entropy_backward (HsNode *node)
{
  HsTensor *dlogits = hs_ops_new_like (node->in[0]);

  if (dlogits != NULL)
    dlogits->device->ops->cross_entropy_backward (dlogits->device, dlogits, node->saved[0],
                                                  node->in[1], node->grad);
  hs_node_give_grad (node, 0, dlogits);
}

static gboolean
check_indices (const char *op, const char *what, HsTensor *idx, gint64 limit, GError **error)
{
  if (idx->dtype != HS_DTYPE_I32 || idx->ndim != 1)
    {
      hs_ops_shape_error (error, op, idx, NULL, "%s must be a 1-D i32 tensor", what);
      return FALSE;
    }
  if (idx->range_known && (idx->range_min < 0 || idx->range_max >= limit))
    {
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_INVALID,
                   "%s: %s must lie in [0, %" G_GINT64_FORMAT "), found %d",
                   op, what, limit, idx->range_min < 0 ? idx->range_min : idx->range_max);
      return FALSE;
    }
  return TRUE;
}

HsTensor *
hs_cross_entropy (HsTensor *logits, HsTensor *labels, GError **error)
{
  HsTensor *in[2] = { logits, labels };
  g_autoptr(HsTensor) rows = NULL;
  HsTensor *probs;
  HsNode *node;
  gint64 r;

  if (!hs_ops_check_f32 ("cross_entropy", logits, error) ||
      !hs_ops_check_same_device ("cross_entropy", logits, labels, error))
    return NULL;
  if (logits->ndim != 2 || labels->numel != (gsize) logits->shape[0])
    {
      hs_ops_shape_error (error, "cross_entropy", logits, labels,
                          "expected logits [rows, classes] and one label per row");
      return NULL;
    }
  if (!check_indices ("cross_entropy", "labels", labels, logits->shape[1], error))
    return NULL;
  r = logits->shape[0];
  probs = hs_tensor_new_like (logits, error);
  rows = probs ? hs_tensor_new (logits->device, HS_DTYPE_F32, 1, &r, error) : NULL;
  if (rows == NULL)
    {
      g_clear_pointer (&probs, hs_tensor_unref);
      return NULL;
    }
  logits->device->ops->cross_entropy (logits->device, rows, probs, logits, labels);
  node = hs_tape_record ("cross_entropy", cross_entropy_backward, rows, in, 2);
  if (node != NULL)
    node->saved[0] = hs_tensor_ref (probs);
  hs_tensor_unref (probs);
  if (!hs_device_take_error (logits->device, error))
    return NULL;
  return hs_mean_all (rows, error);
}

HsTensor *
hs_mse (HsTensor *a, HsTensor *b, GError **error)
{
  g_autoptr(HsTensor) diff = NULL;
  g_autoptr(HsTensor) sq = NULL;

  if (a->numel != b->numel || a->ndim != b->ndim ||
      memcmp (a->shape, b->shape, a->ndim * sizeof (gint64)) != 0)
    {
      hs_ops_shape_error (error, "mse", a, b, "shapes differ");
      return NULL;
    }
  if ((diff = hs_sub (a, b, error)) == NULL || (sq = hs_mul (diff, diff, error)) == NULL)
    return NULL;
  return hs_mean_all (sq, error);
}

/* ---- attention ------------------------------------------------------------ */

/* [b, t, d] → [b, heads, t, d / heads] */
static HsTensor *
split_heads (HsTensor *x, gint heads, GError **error)
{
  g_autoptr(HsTensor) r = NULL;
  gint64 shape[4] = { x->shape[0], x->shape[1], heads, x->shape[2] / heads };
  const gint perm[4] = { 0, 2, 1, 3 };

  r = hs_reshape (x, 4, shape, error);
  return r != NULL ? hs_permute (r, perm, error) : NULL;
}

HsTensor *
hs_self_attention (HsTensor *x, HsTensor *wq, HsTensor *wk, HsTensor *wv, HsTensor *wo,
                   gint heads, GError **error)
{
  g_autoptr(HsTensor) q = NULL, k = NULL, v = NULL;
  g_autoptr(HsTensor) qh = NULL, kh = NULL, vh = NULL;
  g_autoptr(HsTensor) scores = NULL, scaled = NULL, p = NULL, ctx = NULL;
  g_autoptr(HsTensor) merged = NULL, flat = NULL;
  const gint perm[4] = { 0, 2, 1, 3 };
  gint64 d;

  if (x->ndim != 3 || heads < 1 || x->shape[2] % heads != 0)
    {
      hs_ops_shape_error (error, "self_attention", x, NULL,
                          "expected [batch, seq, d] with d divisible by %d heads", heads);
      return NULL;
    }
  d = x->shape[2];
  if ((q = hs_linear (x, wq, NULL, HS_ACT_NONE, error)) == NULL ||
      (k = hs_linear (x, wk, NULL, HS_ACT_NONE, error)) == NULL ||
      (v = hs_linear (x, wv, NULL, HS_ACT_NONE, error)) == NULL ||
      (qh = split_heads (q, heads, error)) == NULL ||
      (kh = split_heads (k, heads, error)) == NULL ||
      (vh = split_heads (v, heads, error)) == NULL ||
      (scores = hs_matmul (qh, kh, FALSE, TRUE, error)) == NULL ||
      (scaled = hs_scale (scores, 1.f / sqrtf ((gfloat) (d / heads)), error)) == NULL ||
      (p = hs_softmax (scaled, error)) == NULL ||
      (ctx = hs_matmul (p, vh, FALSE, FALSE, error)) == NULL ||
      (merged = hs_permute (ctx, perm, error)) == NULL)
    return NULL;
  flat = hs_reshape (merged, 3, x->shape, error);
  return flat != NULL ? hs_linear (flat, wo, NULL, HS_ACT_NONE, error) : NULL;
}

/* ---- similarity, dropout, embeddings ---------------------------------------- */

static void
cosine_backward (HsNode *node)
{
  HsTensor *a = node->in[0], *b = node->in[1];
  HsTensor *da = hs_ops_new_like (a), *db = hs_ops_new_like (b);

  if (da != NULL && db != NULL)
    a->device->ops->cosine_backward (a->device, da, db, node->grad, a, b, node->u.p.f[0]);
  hs_node_give_grad (node, 0, da);
  hs_node_give_grad (node, 1, db);
}

HsTensor *
hs_cosine_similarity (HsTensor *a, HsTensor *b, gfloat eps, GError **error)
{
  HsTensor *in[2] = { a, b };
  HsTensor *out;
  HsNode *node;
  gint64 shape[HS_MAX_DIMS];
  guint nd;

  if (!hs_ops_check_f32 ("cosine_similarity", a, error) ||
      !hs_ops_check_f32 ("cosine_similarity", b, error) ||
      !hs_ops_check_same_device ("cosine_similarity", a, b, error))
    return NULL;
  if (a->ndim != b->ndim || memcmp (a->shape, b->shape, a->ndim * sizeof (gint64)) != 0)
    {
      hs_ops_shape_error (error, "cosine_similarity", a, b, "shapes differ");
      return NULL;
    }
  nd = a->ndim > 1 ? a->ndim - 1 : 1;
  memcpy (shape, a->shape, sizeof shape);
  if (a->ndim == 1)
    shape[0] = 1;
  out = hs_tensor_new (a->device, HS_DTYPE_F32, nd, shape, error);
  if (out == NULL)
    return NULL;
  a->device->ops->cosine (a->device, out, a, b, eps);
  node = hs_tape_record ("cosine_similarity", cosine_backward, out, in, 2);
  if (node != NULL)
    node->u.p.f[0] = eps;
  return hs_ops_finish (out, error);
}

void
hs_device_seed (HsDevice *device, guint32 seed)
{
  device->seed_counter = seed;
}

static void
dropout_backward (HsNode *node)
{
  HsTensor *dx = hs_ops_new_like (node->in[0]);

  /* The mask is a hash of (seed, index): applying the same op to dy
   * re-derives it. */
  if (dx != NULL)
    dx->device->ops->dropout (dx->device, dx, node->grad, node->u.p.f[0], node->u.p.seed);
  hs_node_give_grad (node, 0, dx);
}

HsTensor *
hs_dropout (HsTensor *x, gfloat p, gboolean training, GError **error)
{
  HsTensor *out;
  HsNode *node;
  guint32 seed;

  if (!hs_ops_check_f32 ("dropout", x, error))
    return NULL;
  if (!(p >= 0.f && p < 1.f))
    {
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_INVALID,
                   "dropout: p = %g is outside [0, 1)", p);
      return NULL;
    }
  if (!training || p == 0.f)
    return hs_tensor_ref (x);
  out = hs_tensor_new_like (x, error);
  if (out == NULL)
    return NULL;
  seed = x->device->seed_counter++;
  x->device->ops->dropout (x->device, out, x, p, seed);
  node = hs_tape_record ("dropout", dropout_backward, out, &x, 1);
  if (node != NULL)
    {
      node->u.p.f[0] = p;
      node->u.p.seed = seed;
    }
  return hs_ops_finish (out, error);
}

static void
embedding_backward (HsNode *node)
{
  HsTensor *dtable = hs_ops_new_like (node->in[0]);

  if (dtable != NULL)
    dtable->device->ops->embedding_backward (dtable->device, dtable, node->grad, node->in[1]);
  hs_node_give_grad (node, 0, dtable);
}

HsTensor *
hs_embedding (HsTensor *table, HsTensor *idx, GError **error)
{
  HsTensor *in[2] = { table, idx };
  HsTensor *out;

  if (!hs_ops_check_f32 ("embedding", table, error) ||
      !hs_ops_check_same_device ("embedding", table, idx, error))
    return NULL;
  if (table->ndim != 2)
    {
      hs_ops_shape_error (error, "embedding", table, NULL, "the table must be [rows, dim]");
      return NULL;
    }
  if (!check_indices ("embedding", "indices", idx, table->shape[0], error))
    return NULL;
  {
    gint64 shape[2] = { idx->shape[0], table->shape[1] };
    out = hs_tensor_new (table->device, HS_DTYPE_F32, 2, shape, error);
  }
  if (out == NULL)
    return NULL;
  table->device->ops->embedding (table->device, out, table, idx);
  hs_tape_record ("embedding", embedding_backward, out, in, 2);
  return hs_ops_finish (out, error);
}

HsTensor *
hs_cast_u8 (HsTensor *x, gfloat scale, gfloat shift, GError **error)
{
  HsTensor *out;

  if (x->dtype != HS_DTYPE_U8)
    {
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_INVALID,
                   "cast_u8: expected a u8 tensor");
      return NULL;
    }
  out = hs_tensor_new (x->device, HS_DTYPE_F32, x->ndim, x->shape, error);
  if (out == NULL)
    return NULL;
  x->device->ops->cast_u8 (x->device, out, x, scale, shift);
  return hs_ops_finish (out, error);
}
