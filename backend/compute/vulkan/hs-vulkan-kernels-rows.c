/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Vulkan kernels over rows of the last dim (softmax, cross-entropy, cosine
 * similarity: one invocation per row) and 2-D pooling (elementwise over the
 * output; backward gathers per input element, so it needs no atomics).
 */
#define G_LOG_DOMAIN "hs-vulkan"

#include "hs-vulkan-kernels-private.h"

#include "hs-device.h"
#include "hs-tensor.h"

/* Mirrors the push block of shaders/hs-pool.glsl. */
typedef struct {
  gint32 n, h, w, c;
  gint32 kh, kw, sh, sw;
  gint32 ph, pw, oh, ow;
  guint32 total;
} HsPoolPush;

static HsPoolPush
hs_vk_pool_push (const HsConvGeom *g, gsize total)
{
  HsPoolPush pc = {
    g->n, g->h, g->w, g->c,
    g->kh, g->kw, g->sh, g->sw,
    g->ph, g->pw, g->oh, g->ow,
    (guint32) total,
  };
  return pc;
}

static void
hs_vk_pool2d (HsDevice *dev, const HsConvGeom *g, HsPoolType type, HsTensor *y, HsTensor *x)
{
  HsPoolPush pc = hs_vk_pool_push (g, y->numel);
  guint32 spec[] = { type == HS_POOL_MAX ? 0 : 1 };  /* TYPE */
  HsTensor *bind[] = { y, x };

  if (!hs_vk_check_size (dev, "pool2d", x->numel))
    return;
  hs_vk_run_elems_spec (dev, HS_SHADER_POOL2D, spec, 1, bind, 2, 0x1, &pc, sizeof pc, y->numel);
}

static void
hs_vk_pool2d_backward (HsDevice *dev, const HsConvGeom *g, HsPoolType type, HsTensor *dx,
                       HsTensor *dy, HsTensor *x)
{
  HsTensor *arg = NULL;

  if (!hs_vk_check_size (dev, "pool2d_backward", MAX (dx->numel, dy->numel)) ||
      hs_device_failed (dev))
    return;

  /* Max pooling first finds each window's argmax (ints in an f32 scratch
   * tensor), so the gather below compares one int per window instead of
   * rescanning every window that covers the element. */
  if (type == HS_POOL_MAX)
    {
      HsPoolPush ap = hs_vk_pool_push (g, dy->numel);

      arg = hs_vk_scratch (dev, dy->numel);
      if (arg == NULL)
        return;
      HsTensor *ab[] = { arg, x };
      hs_vk_run_elems (dev, HS_SHADER_POOL2D_ARGMAX, ab, 2, 0x1, &ap, sizeof ap, dy->numel);
    }

  HsPoolPush pc = hs_vk_pool_push (g, dx->numel);
  guint32 spec[] = { type == HS_POOL_MAX ? 0 : 1 };  /* TYPE */
  HsTensor *bind[] = { dx, dy, arg != NULL ? arg : dy };
  hs_vk_run_elems_spec (dev, HS_SHADER_POOL2D_BACKWARD, spec, 1, bind, 3, 0x1, &pc, sizeof pc,
                        dx->numel);

  if (arg != NULL)
    hs_tensor_unref (arg);
}

/* Rows and row length of t viewed as [rows, D] over its last dim. */
typedef struct {
  guint32 rows;
  guint32 d;
} HsRowsPush;

static HsRowsPush
hs_vk_rows (HsTensor *t)
{
  guint32 d = (guint32) t->shape[t->ndim - 1];
  HsRowsPush pc = { (guint32) (t->numel / d), d };
  return pc;
}

static void
hs_vk_softmax (HsDevice *dev, HsTensor *y, HsTensor *x)
{
  HsRowsPush pc = hs_vk_rows (x);
  HsTensor *bind[] = { y, x };

  if (!hs_vk_check_size (dev, "softmax", x->numel))
    return;
  hs_vk_run_1d (dev, HS_SHADER_SOFTMAX, bind, 2, 0x1, &pc, sizeof pc, pc.rows);
}

static void
hs_vk_softmax_backward (HsDevice *dev, HsTensor *dx, HsTensor *dy, HsTensor *y)
{
  HsRowsPush pc = hs_vk_rows (y);
  HsTensor *bind[] = { dx, dy, y };

  if (!hs_vk_check_size (dev, "softmax_backward", y->numel))
    return;
  hs_vk_run_1d (dev, HS_SHADER_SOFTMAX_BACKWARD, bind, 3, 0x1, &pc, sizeof pc, pc.rows);
}

static void
hs_vk_cross_entropy (HsDevice *dev, HsTensor *loss, HsTensor *probs, HsTensor *logits,
                     HsTensor *labels)
{
  HsRowsPush pc = hs_vk_rows (logits);
  HsTensor *bind[] = { loss, probs, logits, labels };

  if (!hs_vk_check_size (dev, "cross_entropy", logits->numel))
    return;
  hs_vk_run_1d (dev, HS_SHADER_CROSS_ENTROPY, bind, 4, 0x3, &pc, sizeof pc, pc.rows);
}

static void
hs_vk_cross_entropy_backward (HsDevice *dev, HsTensor *dlogits, HsTensor *probs,
                              HsTensor *labels, HsTensor *dloss)
{
  /* Elementwise over [rows, C]: push is { n, C }. */
  HsRowsPush pc = { (guint32) probs->numel, (guint32) probs->shape[probs->ndim - 1] };
  HsTensor *bind[] = { dlogits, probs, labels, dloss };

  hs_vk_run_elems (dev, HS_SHADER_CROSS_ENTROPY_BACKWARD, bind, 4, 0x1, &pc, sizeof pc,
                probs->numel);
}

typedef struct {
  guint32 rows;
  guint32 d;
  gfloat eps;
  guint32 has_da;
  guint32 has_db;
} HsCosinePush;

static void
hs_vk_cosine (HsDevice *dev, HsTensor *out, HsTensor *a, HsTensor *b, gfloat eps)
{
  HsRowsPush r = hs_vk_rows (a);
  HsCosinePush pc = { r.rows, r.d, eps, 0, 0 };
  HsTensor *bind[] = { out, a, b };

  if (!hs_vk_check_size (dev, "cosine", a->numel))
    return;
  hs_vk_run_1d (dev, HS_SHADER_COSINE, bind, 3, 0x1, &pc, sizeof pc, r.rows);
}

static void
hs_vk_cosine_backward (HsDevice *dev, HsTensor *da, HsTensor *db, HsTensor *dout,
                       HsTensor *a, HsTensor *b, gfloat eps)
{
  HsRowsPush r = hs_vk_rows (a);
  HsCosinePush pc = { r.rows, r.d, eps, da != NULL, db != NULL };
  /* An absent output's slot gets the other output (see
   * hs-vulkan-kernels-private.h), so both slots are always written. */
  HsTensor *bind[] = { da != NULL ? da : db, db != NULL ? db : da, dout, a, b };

  if ((da == NULL && db == NULL) || !hs_vk_check_size (dev, "cosine_backward", a->numel))
    return;
  hs_vk_run_1d (dev, HS_SHADER_COSINE_BACKWARD, bind, 5, 0x3, &pc, sizeof pc, r.rows);
}

void
hs_vulkan_kernels_rows_init (HsBackendOps *ops)
{
  ops->pool2d = hs_vk_pool2d;
  ops->pool2d_backward = hs_vk_pool2d_backward;
  ops->softmax = hs_vk_softmax;
  ops->softmax_backward = hs_vk_softmax_backward;
  ops->cross_entropy = hs_vk_cross_entropy;
  ops->cross_entropy_backward = hs_vk_cross_entropy_backward;
  ops->cosine = hs_vk_cosine;
  ops->cosine_backward = hs_vk_cosine_backward;
}
