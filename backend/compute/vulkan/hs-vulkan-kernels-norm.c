/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Vulkan kernels for batch norm and layer norm, forward and backward.
 *
 * Batch norm reduces over rows (often tens of thousands) for few channels,
 * so its statistics and parameter gradients are chunked column reductions:
 * pass 1 gives each (chunk of rows, channel) pair one invocation, pass 2 adds
 * the chunks per channel in a fixed order, pass 3 is elementwise.  Layer
 * norm reduces short rows, one invocation per row; its gamma/beta gradients
 * are the same chunked column reduction as batch norm's.
 *
 * gamma and beta may be NULL (scale 1, shift 0), as may dgamma and dbeta;
 * batch norm's running statistics may be NULL in training (not updated), and
 * its y may be NULL in backward when act is NONE.  Inference statistics come
 * from their own shader (batchnorm_running.comp), which binds the running
 * statistics read-only.
 */
#define G_LOG_DOMAIN "hs-vulkan"

#include "hs-vulkan-kernels-private.h"

#include "hs-device.h"
#include "hs-tensor.h"

typedef struct {
  guint32 c;
  guint32 rows;
  guint32 chunk;
  guint32 chunks;
} HsBnStatsPush;

typedef struct {
  guint32 c;
  guint32 rows;
  guint32 chunk;
  guint32 chunks;
  gfloat momentum;
  gfloat eps;
  guint32 has_running;
} HsBnFinalizePush;

typedef struct {
  guint32 c;
  gfloat eps;
} HsBnRunningPush;

typedef struct {
  guint32 n;
  guint32 c;
} HsBnApplyPush;

/* Training statistics: per-chunk (mean, M2), then the ordered merge that
 * also updates the running statistics. */
static void
hs_vk_batchnorm_train_stats (HsDevice *dev, HsTensor *x, gsize rows, gsize c,
                             HsTensor *running_mean, HsTensor *running_var,
                             HsTensor *save_mean, HsTensor *save_invstd,
                             gfloat momentum, gfloat eps)
{
  HsBnStatsPush st = { (guint32) c, (guint32) rows, 0, 0 };
  gboolean running = running_mean != NULL && running_var != NULL;
  HsTensor *part;

  hs_vk_chunking (rows, c, &st.chunk, &st.chunks);
  part = hs_vk_scratch (dev, 2 * (gsize) st.chunks * c);
  if (part == NULL)
    return;
  HsTensor *sb[] = { part, x };
  hs_vk_run_1d (dev, HS_SHADER_BATCHNORM_STATS, sb, 2, 0x1, &st, sizeof st,
                (gsize) st.chunks * c);

  HsBnFinalizePush fin = {
    .c = (guint32) c,
    .rows = (guint32) rows,
    .chunk = st.chunk,
    .chunks = st.chunks,
    .momentum = momentum,
    .eps = eps,
    .has_running = running,
  };
  /* Without running statistics their slots get save_mean / save_invstd:
   * tensors this dispatch writes anyway, since sync validation counts the
   * shader's stores to those slots as writes whatever has_running says. */
  HsTensor *fb[] = { save_mean, save_invstd,
                     running ? running_mean : save_mean, running ? running_var : save_invstd,
                     part, x };
  hs_vk_run_1d (dev, HS_SHADER_BATCHNORM_FINALIZE, fb, 6, 0xf, &fin, sizeof fin, c);
  hs_tensor_unref (part);
}

static void
hs_vk_batchnorm (HsDevice *dev, HsTensor *y, HsTensor *x, HsTensor *gamma, HsTensor *beta,
                 HsTensor *running_mean, HsTensor *running_var,
                 HsTensor *save_mean, HsTensor *save_invstd,
                 gfloat momentum, gfloat eps, gboolean training, HsAct act)
{
  gsize c = (gsize) x->shape[x->ndim - 1];
  gsize rows = x->numel / c;

  g_return_if_fail (save_mean != NULL && save_invstd != NULL);
  g_return_if_fail (training || (running_mean != NULL && running_var != NULL));
  if (!hs_vk_check_size (dev, "batchnorm", x->numel) || hs_device_failed (dev))
    return;

  if (training)
    {
      hs_vk_batchnorm_train_stats (dev, x, rows, c, running_mean, running_var,
                                   save_mean, save_invstd, momentum, eps);
    }
  else
    {
      HsBnRunningPush rp = { (guint32) c, eps };
      HsTensor *rb[] = { save_mean, save_invstd, running_mean, running_var };
      hs_vk_run_1d (dev, HS_SHADER_BATCHNORM_RUNNING, rb, 4, 0x3, &rp, sizeof rp, c);
    }

  HsBnApplyPush ap = { (guint32) x->numel, (guint32) c };
  guint32 spec[] = { act, gamma != NULL, beta != NULL };  /* ACT, HAS_GAMMA, HAS_BETA */
  HsTensor *ab[] = { y, x, gamma != NULL ? gamma : x, beta != NULL ? beta : x,
                     save_mean, save_invstd };
  hs_vk_run_elems_spec (dev, HS_SHADER_BATCHNORM_APPLY, spec, 3, ab, 6, 0x1, &ap, sizeof ap,
                        x->numel);
}

typedef struct {
  guint32 c;
  guint32 rows;
  guint32 chunk;
  guint32 chunks;
} HsBnBackwardPartialPush;

typedef struct {
  guint32 c;
  guint32 rows;
  guint32 chunks;
  guint32 training;
  guint32 has_gamma;
  guint32 has_dgamma;
  guint32 has_dbeta;
} HsBnBackwardFinalizePush;

typedef struct {
  guint32 n;
  guint32 c;
} HsBnBackwardApplyPush;

/* The three passes of batch-norm backward, with scratch `part` for the
 * chunks' sums and `coef` for the per-channel coefficients of dx. */
static void
hs_vk_batchnorm_backward_record (HsDevice *dev, HsTensor *dx, HsTensor *dgamma, HsTensor *dbeta,
                                 HsTensor *dy, HsTensor *x, HsTensor *y, HsTensor *gamma,
                                 HsTensor *save_mean, HsTensor *save_invstd,
                                 gboolean training, gboolean relu, HsTensor *part,
                                 HsTensor *coef, const HsBnBackwardPartialPush *pp)
{
  gsize c = pp->c;
  gsize rows = pp->rows;
  guint32 spec[] = { relu };  /* RELU, in both the partial sums and dx */

  HsTensor *pb[] = { part, dy, x, y != NULL ? y : x, save_mean, save_invstd };
  hs_vk_run_spec (dev, HS_SHADER_BATCHNORM_BACKWARD_PARTIAL, spec, 1, pb, 6, 0x1, pp, sizeof *pp,
                  (gsize) pp->chunks * c);

  HsBnBackwardFinalizePush fp = {
    .c = (guint32) c,
    .rows = (guint32) rows,
    .chunks = pp->chunks,
    .training = training != FALSE,
    .has_gamma = gamma != NULL,
    .has_dgamma = dgamma != NULL,
    .has_dbeta = dbeta != NULL,
  };
  /* An absent dgamma / dbeta slot gets coef, which this dispatch writes
   * anyway (see hs-vulkan-kernels-private.h). */
  HsTensor *fb[] = { coef, dgamma != NULL ? dgamma : coef, dbeta != NULL ? dbeta : coef,
                     part, gamma != NULL ? gamma : part, save_mean, save_invstd };
  hs_vk_run_1d (dev, HS_SHADER_BATCHNORM_BACKWARD_FINALIZE, fb, 7, 0x7, &fp, sizeof fp, c);

  if (dx != NULL)
    {
      HsBnBackwardApplyPush ap = { (guint32) x->numel, (guint32) c };
      HsTensor *ab[] = { dx, dy, x, y != NULL ? y : x, coef };
      hs_vk_run_elems_spec (dev, HS_SHADER_BATCHNORM_BACKWARD_APPLY, spec, 1, ab, 5, 0x1,
                            &ap, sizeof ap, x->numel);
    }
}

static void
hs_vk_batchnorm_backward (HsDevice *dev, HsTensor *dx, HsTensor *dgamma, HsTensor *dbeta,
                          HsTensor *dy, HsTensor *x, HsTensor *y, HsTensor *gamma,
                          HsTensor *save_mean, HsTensor *save_invstd,
                          gboolean training, HsAct act)
{
  gsize c = (gsize) x->shape[x->ndim - 1];
  gsize rows = x->numel / c;
  gboolean relu = act == HS_ACT_RELU;
  HsTensor *part, *coef;

  g_return_if_fail (act == HS_ACT_NONE || act == HS_ACT_RELU);
  g_return_if_fail (!relu || y != NULL);
  if (!hs_vk_check_size (dev, "batchnorm_backward", x->numel) || hs_device_failed (dev))
    return;

  HsBnBackwardPartialPush pp = { (guint32) c, (guint32) rows, 0, 0 };
  hs_vk_chunking (rows, c, &pp.chunk, &pp.chunks);
  part = hs_vk_scratch (dev, 2 * (gsize) pp.chunks * c);
  coef = hs_vk_scratch (dev, 4 * c);
  if (part != NULL && coef != NULL)
    hs_vk_batchnorm_backward_record (dev, dx, dgamma, dbeta, dy, x, y, gamma, save_mean,
                                     save_invstd, training, relu, part, coef, &pp);

  if (part != NULL)
    hs_tensor_unref (part);
  if (coef != NULL)
    hs_tensor_unref (coef);
}

typedef struct {
  guint32 rows;
  guint32 d;
  gfloat eps;
  guint32 has_gamma;
  guint32 has_beta;
} HsLayernormPush;

static void
hs_vk_layernorm (HsDevice *dev, HsTensor *y, HsTensor *x, HsTensor *gamma, HsTensor *beta,
                 HsTensor *save_mean, HsTensor *save_invstd, gfloat eps)
{
  gsize d = (gsize) x->shape[x->ndim - 1];
  HsLayernormPush pc = {
    .rows = (guint32) (x->numel / d),
    .d = (guint32) d,
    .eps = eps,
    .has_gamma = gamma != NULL,
    .has_beta = beta != NULL,
  };

  g_return_if_fail (save_mean != NULL && save_invstd != NULL);
  if (!hs_vk_check_size (dev, "layernorm", x->numel))
    return;
  HsTensor *bind[] = { y, save_mean, save_invstd, x,
                       gamma != NULL ? gamma : x, beta != NULL ? beta : x };
  hs_vk_run_1d (dev, HS_SHADER_LAYERNORM, bind, 6, 0x7, &pc, sizeof pc, pc.rows);
}

typedef struct {
  guint32 rows;
  guint32 d;
  guint32 has_gamma;
} HsLayernormBackwardPush;

typedef struct {
  guint32 d;
  guint32 rows;
  guint32 chunk;
  guint32 chunks;
} HsLayernormParamsPush;

static void
hs_vk_layernorm_backward (HsDevice *dev, HsTensor *dx, HsTensor *dgamma, HsTensor *dbeta,
                          HsTensor *dy, HsTensor *x, HsTensor *gamma,
                          HsTensor *save_mean, HsTensor *save_invstd)
{
  gsize d = (gsize) x->shape[x->ndim - 1];
  gsize rows = x->numel / d;

  if (!hs_vk_check_size (dev, "layernorm_backward", x->numel))
    return;

  if (dx != NULL)
    {
      HsLayernormBackwardPush pc = { (guint32) rows, (guint32) d, gamma != NULL };
      HsTensor *bind[] = { dx, dy, x, gamma != NULL ? gamma : x, save_mean, save_invstd };
      hs_vk_run_1d (dev, HS_SHADER_LAYERNORM_BACKWARD, bind, 6, 0x1, &pc, sizeof pc, rows);
    }

  if ((dgamma == NULL && dbeta == NULL) || hs_device_failed (dev))
    return;

  /* part is [chunks, 2, D]: dy * xhat sums, then dy sums. */
  HsLayernormParamsPush pp = { (guint32) d, (guint32) rows, 0, 0 };
  hs_vk_chunking (rows, d, &pp.chunk, &pp.chunks);
  HsTensor *part = hs_vk_scratch (dev, 2 * (gsize) pp.chunks * d);
  if (part == NULL)
    return;
  HsTensor *bind[] = { part, dy, x, save_mean, save_invstd };
  hs_vk_run_1d (dev, HS_SHADER_LAYERNORM_BACKWARD_PARAMS, bind, 5, 0x1, &pp, sizeof pp,
                (gsize) pp.chunks * d);
  if (dgamma != NULL)
    hs_vk_colsum (dev, dgamma, part, (guint32) d, pp.chunks, 2 * (guint32) d, 0, 1.0f);
  if (dbeta != NULL)
    hs_vk_colsum (dev, dbeta, part, (guint32) d, pp.chunks, 2 * (guint32) d, (guint32) d, 1.0f);
  hs_tensor_unref (part);
}

void
hs_vulkan_kernels_norm_init (HsBackendOps *ops)
{
  ops->batchnorm = hs_vk_batchnorm;
  ops->batchnorm_backward = hs_vk_batchnorm_backward;
  ops->layernorm = hs_vk_layernorm;
  ops->layernorm_backward = hs_vk_layernorm_backward;
}
