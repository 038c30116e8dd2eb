/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Vulkan optimizer steps.  The hyper-parameters are read by the shaders from
 * the hp tensor, never baked into push constants: the trainer records a step
 * once and resubmits it after writing a new learning rate and Adam's t.
 */
#define G_LOG_DOMAIN "hs-vulkan"

#include "hs-vulkan-kernels-private.h"

typedef struct {
  guint32 n;
} HsSgdPush;

static void
hs_vk_sgd_step (HsDevice *dev, HsTensor *param, HsTensor *grad, HsTensor *buf, HsTensor *hp)
{
  HsSgdPush pc = { (guint32) param->numel };
  guint32 spec[] = { buf != NULL };  /* HAS_BUF */
  /* Without a momentum buffer its slot gets param, which is written anyway
   * (see hs-vulkan-kernels-private.h). */
  HsTensor *bind[] = { param, grad, buf != NULL ? buf : param, hp };

  g_return_if_fail (hp->numel >= 3);
  hs_vk_run_elems_spec (dev, HS_SHADER_SGD_STEP, spec, 1, bind, 4, 0x5, &pc, sizeof pc,
                        param->numel);
}

typedef struct {
  guint32 n;
} HsAdamPush;

static void
hs_vk_adam_step (HsDevice *dev, HsTensor *param, HsTensor *grad, HsTensor *m, HsTensor *v,
                 HsTensor *hp)
{
  HsAdamPush pc = { (guint32) param->numel };
  HsTensor *bind[] = { param, grad, m, v, hp };

  g_return_if_fail (hp->numel >= 7);
  hs_vk_run_elems (dev, HS_SHADER_ADAM_STEP, bind, 5, 0xd, &pc, sizeof pc, param->numel);
}

void
hs_vulkan_kernels_optim_init (HsBackendOps *ops)
{
  ops->sgd_step = hs_vk_sgd_step;
  ops->adam_step = hs_vk_adam_step;
}
