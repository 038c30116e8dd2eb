/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Naive double-precision references for every op of hs-ops.h and for the
 * optimizer updates.  They follow the written semantics (hs-ops.h,
 * hs-backend-private.h), not the engine's code.
 *
 * Every *_backward function ADDS its input gradients into the d* arrays
 * (which callers zero), given the output gradient dout.  NULL d* arrays are
 * skipped.  Shapes are right-aligned to 4-D where they broadcast.
 */
#pragma once

#include <glib.h>

#include "hs-types.h"

G_BEGIN_DECLS

/* C[b] = op(A[b]) op(B[b]); A[b] starts at b * stride_a (0 broadcasts). */
typedef struct {
  gint batch, m, n, k;
  gboolean ta, tb;
  gsize stride_a, stride_b;
} RefGemm;

void   ref_matmul (const RefGemm *g, const double *a, const double *b, double *c);
void   ref_matmul_backward (const RefGemm *g, const double *a, const double *b,
                            const double *dc, double *da, double *db);

typedef enum { REF_ADD, REF_SUB, REF_MUL } RefBinary;

/* The broadcast of two right-aligned 4-D shapes; FALSE when incompatible. */
gboolean ref_broadcast_shape (const gint64 sa[4], const gint64 sb[4], gint64 out[4]);
void   ref_binary (RefBinary op, const double *a, const gint64 sa[4], const double *b,
                   const gint64 sb[4], double *out, const gint64 so[4]);
void   ref_binary_backward (RefBinary op, const double *a, const gint64 sa[4], const double *b,
                            const gint64 sb[4], const double *dout, const gint64 so[4],
                            double *da, double *db);

double ref_act (HsAct act, double x);
double ref_act_grad (HsAct act, double x);

/* y = act(x + bias), x [rows, c], bias [c] or NULL. */
void   ref_bias_act (const double *x, const double *bias, double *y, gsize rows, gsize c,
                     HsAct act);
void   ref_bias_act_backward (const double *x, const double *bias, const double *dy,
                              double *dx, double *dbias, gsize rows, gsize c, HsAct act);

/* y = act(x wᵀ + b), x [rows, in], w [out, in], b [out] or NULL. */
void   ref_linear (const double *x, const double *w, const double *b, double *y, gsize rows,
                   gsize in, gsize out, HsAct act);
void   ref_linear_backward (const double *x, const double *w, const double *b,
                            const double *dy, double *dx, double *dw, double *db, gsize rows,
                            gsize in, gsize out, HsAct act);

/* NHWC convolution and pooling geometry (HsConvGeom with square stride/pad). */
typedef struct {
  gint n, h, w, c;
  gint oc, kh, kw;
  gint stride, pad;
  gint oh, ow;
} RefConv;

void   ref_conv_geom (RefConv *g); /* fills oh, ow */
void   ref_conv2d (const RefConv *g, const double *x, const double *w, const double *bias,
                   double *y, HsAct act);
void   ref_conv2d_backward (const RefConv *g, const double *x, const double *w,
                            const double *bias, const double *dy, double *dx, double *dw,
                            double *dbias, HsAct act);
void   ref_pool2d (const RefConv *g, HsPoolType type, const double *x, double *y);
void   ref_pool2d_backward (const RefConv *g, HsPoolType type, const double *x,
                            const double *dy, double *dx);
void   ref_global_avg_pool (const double *x, double *y, gsize n, gsize hw, gsize c);
void   ref_global_avg_pool_backward (const double *dy, double *dx, gsize n, gsize hw, gsize c);

/* Batch norm over c of x [rows, c].  Training uses the batch statistics
 * (biased variance); inference the running ones. */
void   ref_batch_norm (const double *x, const double *gamma, const double *beta,
                       const double *running_mean, const double *running_var, double *y,
                       gsize rows, gsize c, gboolean training, double eps, HsAct act);
void   ref_batch_norm_backward (const double *x, const double *gamma, const double *beta,
                                const double *running_mean, const double *running_var,
                                const double *dy, double *dx, double *dgamma, double *dbeta,
                                gsize rows, gsize c, gboolean training, double eps, HsAct act);
/* The running statistics after one training step (unbiased variance). */
void   ref_batch_norm_running (const double *x, double *running_mean, double *running_var,
                               gsize rows, gsize c, double momentum);

void   ref_layer_norm (const double *x, const double *gamma, const double *beta, double *y,
                       gsize rows, gsize d, double eps);
void   ref_layer_norm_backward (const double *x, const double *gamma, const double *dy,
                                double *dx, double *dgamma, double *dbeta, gsize rows, gsize d,
                                double eps);

void   ref_softmax (const double *x, double *y, gsize rows, gsize c);
void   ref_softmax_backward (const double *x, const double *dy, double *dx, gsize rows, gsize c);
/* Mean over rows of -log softmax(logits)[label]. */
double ref_cross_entropy (const double *logits, const double *labels, gsize rows, gsize c);
void   ref_cross_entropy_backward (const double *logits, const double *labels, double dloss,
                                   double *dlogits, gsize rows, gsize c);
double ref_mse (const double *a, const double *b, gsize n);
void   ref_mse_backward (const double *a, const double *b, double dloss, double *da,
                         double *db, gsize n);

/* x [batch, seq, d]; weights [d, d]; out = concat_h(softmax(Q_h K_hᵀ/√dh) V_h) woᵀ. */
void   ref_self_attention (const double *x, const double *wq, const double *wk,
                           const double *wv, const double *wo, double *out, gsize batch,
                           gsize seq, gsize d, gsize heads);
void   ref_self_attention_backward (const double *x, const double *wq, const double *wk,
                                    const double *wv, const double *wo, const double *dout,
                                    double *dx, double *dwq, double *dwk, double *dwv,
                                    double *dwo, gsize batch, gsize seq, gsize d, gsize heads);

/* a, b [rows, d] → [rows]. */
void   ref_cosine (const double *a, const double *b, double *out, gsize rows, gsize d,
                   double eps);
void   ref_cosine_backward (const double *a, const double *b, const double *dout, double *da,
                            double *db, gsize rows, gsize d, double eps);

/* x viewed as [outer, axis, inner]; sum (scale 1) or mean (scale 1/axis). */
void   ref_reduce (const double *x, double *y, gsize outer, gsize axis, gsize inner,
                   double scale);
void   ref_reduce_backward (const double *dy, double *dx, gsize outer, gsize axis,
                            gsize inner, double scale);

/* dst [outer, dst_axis, inner][:, dst_start + i, :] = src[:, src_start + i, :]. */
void   ref_copy_block (double *dst, const double *src, gsize outer, gsize inner,
                       gsize src_axis, gsize src_start, gsize dst_axis, gsize dst_start,
                       gsize len);
/* out.shape[i] = in.shape[perm[i]] (4-D, right-aligned). */
void   ref_permute (const double *x, const gint64 s[4], const gint perm[4], double *y);
/* The inverse: dx from dy of ref_permute. */
void   ref_permute_backward (const double *dy, const gint64 s[4], const gint perm[4],
                             double *dx);

void   ref_embedding (const double *table, const double *idx, double *out, gsize n, gsize d);
void   ref_embedding_backward (const double *idx, const double *dout, double *dtable, gsize n,
                               gsize d);

/* One optimizer update in double (see hs-backend-private.h). */
void   ref_sgd_step (double *p, const double *g, double *buf, gsize n, double lr,
                     double momentum, double weight_decay);
void   ref_adam_step (double *p, const double *g, double *m, double *v, gsize n, double lr,
                      double beta1, double beta2, double eps, double weight_decay, guint t,
                      gboolean decoupled);

G_END_DECLS
