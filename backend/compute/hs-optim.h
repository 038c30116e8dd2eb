/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Optimizers over a set of parameters.  Their per-step scalars (learning
 * rate, Adam's step count) live in a small device buffer that each step
 * rewrites, so the kernels themselves never change between steps.
 */
#pragma once

#include "hs-types.h"

G_BEGIN_DECLS

typedef struct _HsOptimizer HsOptimizer;

HsOptimizer *hs_optimizer_new_sgd (HsDevice *device, gfloat lr, gfloat momentum,
                                   gfloat weight_decay);
/* decoupled: AdamW (weight decay applied to the weights, not the gradient). */
HsOptimizer *hs_optimizer_new_adam (HsDevice *device, gfloat lr, gfloat beta1, gfloat beta2,
                                    gfloat eps, gfloat weight_decay, gboolean decoupled);
void         hs_optimizer_free (HsOptimizer *opt);

/* The optimizer keeps a reference; its state is allocated on the first step. */
void         hs_optimizer_add_param (HsOptimizer *opt, HsTensor *param);
void         hs_optimizer_set_lr (HsOptimizer *opt, gfloat lr);
/* Apply one update from each parameter's grad (parameters without a grad are
 * skipped). */
gboolean     hs_optimizer_step (HsOptimizer *opt, GError **error);
gboolean     hs_optimizer_zero_grad (HsOptimizer *opt, GError **error);
/* The state tensors of param (momentum buffer; Adam's m and v) for
 * checkpoints: NULL before the first step. */
HsTensor    *hs_optimizer_get_state (HsOptimizer *opt, HsTensor *param, guint slot);
guint        hs_optimizer_get_step (HsOptimizer *opt);
/* Restoring a checkpoint: the step count (Adam's bias correction reads it)
 * and one state tensor of param (numel floats; allocated if need be).  A
 * slot the optimizer does not have (SGD without momentum, slot 1 of SGD) or
 * a param it does not own is an HS_COMPUTE_ERROR_INVALID error. */
void         hs_optimizer_set_step (HsOptimizer *opt, guint step);
gboolean     hs_optimizer_set_state (HsOptimizer *opt, HsTensor *param, guint slot,
                                     const gfloat *data, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsOptimizer, hs_optimizer_free)

G_END_DECLS
