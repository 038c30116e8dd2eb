/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Differentiable ops.  Each returns a new tensor (NULL with an error naming
 * the op and the shapes on bad input, or the device's failure).  While a tape
 * records on the device (hs_tape_new()), ops whose inputs need gradients are
 * recorded and hs_tape_backward() differentiates them.
 *
 * Layout: images are NHWC, [n, h, w, c]; conv weights [oc, kh, kw, c];
 * per-feature ops (bias, norms, softmax) act on the last dim.
 */
#pragma once

#include "hs-types.h"

G_BEGIN_DECLS

/* op(a) · op(b).  2-D: [m,k]·[k,n].  3-D or 4-D: batched over the leading
 * dims, which must match (or be absent on one side: broadcast). */
HsTensor *hs_matmul (HsTensor *a, HsTensor *b, gboolean ta, gboolean tb, GError **error);

/* Elementwise with numpy broadcasting. */
HsTensor *hs_add (HsTensor *a, HsTensor *b, GError **error);
HsTensor *hs_sub (HsTensor *a, HsTensor *b, GError **error);
HsTensor *hs_mul (HsTensor *a, HsTensor *b, GError **error);
HsTensor *hs_scale (HsTensor *x, gfloat s, GError **error);

/* x + bias over the last dim, then act. */
HsTensor *hs_bias_act (HsTensor *x, HsTensor *bias, HsAct act, GError **error);
HsTensor *hs_relu (HsTensor *x, GError **error);
HsTensor *hs_gelu (HsTensor *x, GError **error);
/* x [.., in] · w[out, in]ᵀ + b[out], then act.  b may be NULL. */
HsTensor *hs_linear (HsTensor *x, HsTensor *w, HsTensor *b, HsAct act, GError **error);

/* NHWC convolution, bias [oc] may be NULL; act fused. */
HsTensor *hs_conv2d (HsTensor *x, HsTensor *w, HsTensor *bias, gint stride, gint pad,
                     HsAct act, GError **error);
HsTensor *hs_max_pool2d (HsTensor *x, gint kernel, gint stride, gint pad, GError **error);
HsTensor *hs_avg_pool2d (HsTensor *x, gint kernel, gint stride, gint pad, GError **error);
/* [n, h, w, c] → [n, c] */
HsTensor *hs_global_avg_pool (HsTensor *x, GError **error);

/* Batch norm over the last dim; gamma/beta are learnable [C] tensors,
 * running_mean/var [C] are updated in training mode. act: NONE or RELU. */
HsTensor *hs_batch_norm (HsTensor *x, HsTensor *gamma, HsTensor *beta,
                         HsTensor *running_mean, HsTensor *running_var,
                         gboolean training, gfloat momentum, gfloat eps, HsAct act,
                         GError **error);
HsTensor *hs_layer_norm (HsTensor *x, HsTensor *gamma, HsTensor *beta, gfloat eps,
                         GError **error);

HsTensor *hs_softmax (HsTensor *x, GError **error);
/* Mean cross-entropy of logits [rows, C] against i32 labels [rows]: a
 * one-element tensor. */
HsTensor *hs_cross_entropy (HsTensor *logits, HsTensor *labels, GError **error);
/* Mean squared error over all elements: a one-element tensor. */
HsTensor *hs_mse (HsTensor *a, HsTensor *b, GError **error);

/* Multi-head scaled dot-product self-attention over x [batch, seq, d]:
 * softmax(Q Kᵀ / sqrt(d/heads)) V per head, with Q = x wqᵀ, K = x wkᵀ,
 * V = x wvᵀ, and the output projected by wo (all weights [d, d]). */
HsTensor *hs_self_attention (HsTensor *x, HsTensor *wq, HsTensor *wk, HsTensor *wv,
                             HsTensor *wo, gint heads, GError **error);

/* a, b [.., D] → [..]: cosine similarity along the last dim. */
HsTensor *hs_cosine_similarity (HsTensor *a, HsTensor *b, gfloat eps, GError **error);

/* Reduce one axis (negative counts from the end); the axis is removed
 * (unless it is the only one, which leaves [1]). */
HsTensor *hs_sum (HsTensor *x, gint axis, GError **error);
HsTensor *hs_mean (HsTensor *x, gint axis, GError **error);
/* Over every element: a one-element tensor. */
HsTensor *hs_sum_all (HsTensor *x, GError **error);
HsTensor *hs_mean_all (HsTensor *x, GError **error);

HsTensor *hs_concat (HsTensor *const *xs, guint n, gint axis, GError **error);
HsTensor *hs_slice (HsTensor *x, gint axis, gint64 start, gint64 len, GError **error);
HsTensor *hs_reshape (HsTensor *x, guint ndim, const gint64 *shape, GError **error);
HsTensor *hs_permute (HsTensor *x, const gint *perm, GError **error); /* perm has ndim entries */

/* Inverted dropout; the identity (a new reference to x) when !training or
 * p == 0.  The mask comes from the device's seed counter (hs_device_seed). */
HsTensor *hs_dropout (HsTensor *x, gfloat p, gboolean training, GError **error);
void      hs_device_seed (HsDevice *device, guint32 seed);

/* table [V, D], idx i32 [N] → [N, D]. */
HsTensor *hs_embedding (HsTensor *table, HsTensor *idx, GError **error);

/* u8 → f32: x * scale + shift (not differentiable). */
HsTensor *hs_cast_u8 (HsTensor *x, gfloat scale, gfloat shift, GError **error);

G_END_DECLS
