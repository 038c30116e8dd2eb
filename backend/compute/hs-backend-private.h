/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The op table that every backend implements, and the internals of tensors and
 * devices that backends need.  Nothing outside backend/compute/ includes this.
 *
 * Conventions for every kernel below:
 *  - Tensors are contiguous; shapes are right-aligned to 4-D with hs_shape4().
 *  - f32 unless stated; labels and indices are i32.
 *  - Outputs are overwritten (never accumulated) unless stated, and never alias
 *    inputs unless stated.
 *  - Kernels return nothing.  A failure (out of memory, device lost, a pipeline
 *    that fails to build) is recorded with hs_device_fail(); the first error
 *    sticks and later kernels on that device become no-ops until the caller
 *    takes it with hs_device_take_error().
 *  - Kernels may run asynchronously (Vulkan records them into the step's
 *    command buffer); download() and sync() wait.
 */
#pragma once

#include "hs-types.h"

G_BEGIN_DECLS

typedef struct _HsBuffer HsBuffer;

/* Storage shared by a tensor and its reshaped views. */
struct _HsBuffer {
  gint ref_count;
  HsDevice *device;
  gsize bytes;
  gpointer storage; /* backend-owned: CPU pointer or Vulkan sub-allocation */
};

struct _HsTensor {
  gint ref_count;
  HsDevice *device;
  HsDType dtype;
  guint ndim;
  gint64 shape[HS_MAX_DIMS];
  gsize numel;
  HsBuffer *buffer;

  /* Autograd. */
  gboolean requires_grad;
  HsTensor *grad;        /* accumulated by hs_tape_backward() */
  gpointer node;         /* producing node on the active tape, or NULL */

  /* For i32 tensors filled from the host: the range of the values, so ops can
   * validate labels and indices without reading the device back. */
  gboolean range_known;
  gint32 range_min, range_max;
};

typedef struct {
  const char *name;

  /* Memory.  alloc() returns backend storage for `bytes` bytes (NULL after
   * hs_device_fail()).  upload()/download() move a whole tensor; download()
   * waits for every pending kernel.  fill() sets every element (f32 value,
   * converted for i32/u8).  copy() copies src's bytes into dst (same size). */
  gpointer (*alloc)    (HsDevice *dev, gsize bytes);
  void     (*release)  (HsDevice *dev, gpointer storage);
  void     (*upload)   (HsDevice *dev, HsTensor *t, const void *src);
  void     (*download) (HsDevice *dev, HsTensor *t, void *dst);
  void     (*sync)     (HsDevice *dev);
  void     (*fill)     (HsDevice *dev, HsTensor *t, gfloat value);
  void     (*copy)     (HsDevice *dev, HsTensor *dst, HsTensor *src);
  void     (*destroy)  (HsDevice *dev);

  /* u8 → f32: out = in * scale + shift. */
  void (*cast_u8) (HsDevice *dev, HsTensor *out, HsTensor *in, gfloat scale, gfloat shift);

  /* See HsGemm.  a, b, c are whole tensors holding all batches. */
  void (*gemm) (HsDevice *dev, const HsGemm *g, HsTensor *a, HsTensor *b, HsTensor *c);

  /* Numpy broadcasting (right-aligned, up to 4-D); out has the broadcast shape.
   * b may be NULL: out = alpha * a broadcast to out's shape (op ignored).
   * out may alias a when their shapes are equal. */
  void (*binary) (HsDevice *dev, HsBinaryOp op, gfloat alpha, gfloat beta,
                  HsTensor *out, HsTensor *a, HsTensor *b);

  /* out = scale * sum of `in` over the dims where out (right-aligned) has
   * size 1 or does not exist.  The inverse of broadcasting. */
  void (*sum_to) (HsDevice *dev, HsTensor *out, HsTensor *in, gfloat scale);

  /* out = act(x + bias); x viewed as [rows, C], bias [C] or NULL. */
  void (*bias_act) (HsDevice *dev, HsTensor *out, HsTensor *x, HsTensor *bias, HsAct act);
  /* dx = dy * act'(ref).  ref is the activation's input x; for RELU it may also
   * be the output y (the sign test is the same). */
  void (*act_backward) (HsDevice *dev, HsTensor *dx, HsTensor *dy, HsTensor *ref, HsAct act);

  /* y = act(conv(x, w) + bias).  bias [oc] may be NULL. */
  void (*conv2d) (HsDevice *dev, const HsConvGeom *g, HsTensor *y, HsTensor *x,
                  HsTensor *w, HsTensor *bias, HsAct act);
  void (*conv2d_backward_data)   (HsDevice *dev, const HsConvGeom *g, HsTensor *dx,
                                  HsTensor *dy, HsTensor *w);
  void (*conv2d_backward_filter) (HsDevice *dev, const HsConvGeom *g, HsTensor *dw,
                                  HsTensor *dy, HsTensor *x);

  /* Pooling windows skip padded positions for MAX (ties: the first in window
   * order wins) and count them as zeros for AVG.  Backward recomputes the max
   * position from x. */
  void (*pool2d)          (HsDevice *dev, const HsConvGeom *g, HsPoolType type, HsTensor *y, HsTensor *x);
  void (*pool2d_backward) (HsDevice *dev, const HsConvGeom *g, HsPoolType type, HsTensor *dx,
                           HsTensor *dy, HsTensor *x);

  /* Batch norm over the last dim C of x viewed as [rows, C], then act.
   * training: normalise with the batch's mean and biased variance, write them
   * as save_mean / save_invstd = 1/sqrt(var + eps), and update
   *   running_mean = (1 - momentum) * running_mean + momentum * mean
   *   running_var  = (1 - momentum) * running_var  + momentum * var * rows / (rows - 1)
   * inference: use the running statistics and write them (as mean, invstd)
   * to save_mean / save_invstd. */
  void (*batchnorm) (HsDevice *dev, HsTensor *y, HsTensor *x, HsTensor *gamma, HsTensor *beta,
                     HsTensor *running_mean, HsTensor *running_var,
                     HsTensor *save_mean, HsTensor *save_invstd,
                     gfloat momentum, gfloat eps, gboolean training, HsAct act);
  /* act is NONE or RELU; with RELU, dy is first masked by y > 0.  Inference
   * mode treats mean and invstd as constants.  dgamma, dbeta overwritten. */
  void (*batchnorm_backward) (HsDevice *dev, HsTensor *dx, HsTensor *dgamma, HsTensor *dbeta,
                              HsTensor *dy, HsTensor *x, HsTensor *y, HsTensor *gamma,
                              HsTensor *save_mean, HsTensor *save_invstd,
                              gboolean training, HsAct act);

  /* Layer norm over the last dim D of x viewed as [rows, D]; save_* are [rows]. */
  void (*layernorm) (HsDevice *dev, HsTensor *y, HsTensor *x, HsTensor *gamma, HsTensor *beta,
                     HsTensor *save_mean, HsTensor *save_invstd, gfloat eps);
  void (*layernorm_backward) (HsDevice *dev, HsTensor *dx, HsTensor *dgamma, HsTensor *dbeta,
                              HsTensor *dy, HsTensor *x, HsTensor *gamma,
                              HsTensor *save_mean, HsTensor *save_invstd);

  /* Softmax over the last dim. */
  void (*softmax)          (HsDevice *dev, HsTensor *y, HsTensor *x);
  void (*softmax_backward) (HsDevice *dev, HsTensor *dx, HsTensor *dy, HsTensor *y);

  /* logits [rows, C], labels [rows] i32 in [0, C): probs = softmax(logits),
   * loss[r] = -log(probs[r, label]) computed stably (log-sum-exp).
   * Backward: dlogits[r] = (probs[r] - onehot(label)) * dloss[r]. */
  void (*cross_entropy) (HsDevice *dev, HsTensor *loss, HsTensor *probs, HsTensor *logits,
                         HsTensor *labels);
  void (*cross_entropy_backward) (HsDevice *dev, HsTensor *dlogits, HsTensor *probs,
                                  HsTensor *labels, HsTensor *dloss);

  /* out[perm-th dims]: out.shape4[i] = in.shape4[perm[i]]. */
  void (*permute) (HsDevice *dev, HsTensor *out, HsTensor *in, const gint perm[4]);

  /* View src as [outer, src_axis, inner] and dst as [outer, dst_axis, inner];
   * copy src[:, src_start : src_start + len, :] to dst[:, dst_start : …, :].
   * Other elements of dst are left as they are. */
  void (*copy_block) (HsDevice *dev, HsTensor *dst, HsTensor *src, gsize outer, gsize inner,
                      gsize src_axis, gsize src_start, gsize dst_axis, gsize dst_start, gsize len);

  /* y[i] = keep(i) ? x[i] / (1 - p) : 0, keep(i) = hs_dropout_keep(seed, i, p)
   * (see hs-random.h): a counter-based hash, so backward re-applies the same
   * mask to dy and every backend drops the same elements. */
  void (*dropout) (HsDevice *dev, HsTensor *y, HsTensor *x, gfloat p, guint32 seed);

  /* a, b [rows, D]: out[r] = a·b / (max(|a|, eps) * max(|b|, eps)). */
  void (*cosine) (HsDevice *dev, HsTensor *out, HsTensor *a, HsTensor *b, gfloat eps);
  void (*cosine_backward) (HsDevice *dev, HsTensor *da, HsTensor *db, HsTensor *dout,
                           HsTensor *a, HsTensor *b, gfloat eps);

  /* table [V, D], idx [N] i32 in [0, V): out [N, D] = table[idx].
   * Backward: dtable (overwritten) = sum of dout rows per index. */
  void (*embedding) (HsDevice *dev, HsTensor *out, HsTensor *table, HsTensor *idx);
  void (*embedding_backward) (HsDevice *dev, HsTensor *dtable, HsTensor *dout, HsTensor *idx);

  /* Optimizer steps read their scalars from a small f32 tensor on the device,
   * so a recorded step can be resubmitted with a new learning rate.
   * SGD hp = [lr, momentum, weight_decay]:
   *   g = grad + wd * p;  buf = momentum * buf + g;  p -= lr * buf
   * (buf may be NULL when momentum is 0: p -= lr * g).
   * Adam hp = [lr, beta1, beta2, eps, weight_decay, t, decoupled]:
   *   decoupled (AdamW): p -= lr * wd * p; else g = grad + wd * p;
   *   m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g²;
   *   p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps). */
  void (*sgd_step)  (HsDevice *dev, HsTensor *param, HsTensor *grad, HsTensor *buf, HsTensor *hp);
  void (*adam_step) (HsDevice *dev, HsTensor *param, HsTensor *grad, HsTensor *m, HsTensor *v,
                     HsTensor *hp);
} HsBackendOps;

struct _HsDevice {
  gint ref_count;
  const HsBackendOps *ops;
  HsBackendKind kind;
  char *name;
  GError *error;  /* sticky: the first failure */
  HsTape *tape;   /* the recording tape, or NULL */
  guint32 seed_counter;
  gpointer priv;  /* backend state */
};

/* Record a failure on the device (keeps only the first). */
void     hs_device_fail (HsDevice *dev, gint code, const char *format, ...) G_GNUC_PRINTF (3, 4);
gboolean hs_device_failed (HsDevice *dev);

/* Right-aligned 4-D shape of t (leading 1s). */
static inline void
hs_shape4 (const HsTensor *t, gint64 out[4])
{
  guint pad = HS_MAX_DIMS - t->ndim;
  for (guint i = 0; i < HS_MAX_DIMS; i++)
    out[i] = i < pad ? 1 : t->shape[i - pad];
}

static inline gsize
hs_dtype_size (HsDType dt)
{
  return dt == HS_DTYPE_U8 ? 1 : 4;
}

/* A tensor sharing t's storage with another shape of the same size. */
HsTensor *hs_tensor_new_view (HsTensor *t, guint ndim, const gint64 *shape);

/* Backend constructors. */
HsDevice *hs_cpu_device_new (GError **error);

G_END_DECLS
