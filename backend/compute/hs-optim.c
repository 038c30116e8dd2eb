/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SGD with momentum and Adam/AdamW.  The scalars of a step live in `hp`, a
 * small device tensor rewritten before each step, so the update kernels are
 * recorded with the same arguments every step.
 */
#define G_LOG_DOMAIN "hs-optim"

#include "hs-backend-private.h"
#include "hs-device.h"
#include "hs-optim.h"
#include "hs-tensor.h"

typedef enum { OPT_SGD, OPT_ADAM } OptKind;

#define N_HP 7

typedef struct {
  HsTensor *param;
  HsTensor *state[2]; /* SGD: momentum buffer; Adam: m, v */
} Slot;

struct _HsOptimizer {
  OptKind kind;
  HsDevice *device;
  GArray *slots;
  HsTensor *hp;
  gfloat lr, momentum, beta1, beta2, eps, weight_decay;
  gboolean decoupled;
  guint step;
};

static HsOptimizer *
optimizer_new (HsDevice *device, OptKind kind)
{
  HsOptimizer *opt = g_new0 (HsOptimizer, 1);

  opt->kind = kind;
  opt->device = hs_device_ref (device);
  opt->slots = g_array_new (FALSE, TRUE, sizeof (Slot));
  return opt;
}

HsOptimizer *
hs_optimizer_new_sgd (HsDevice *device, gfloat lr, gfloat momentum, gfloat weight_decay)
{
  HsOptimizer *opt = optimizer_new (device, OPT_SGD);

  opt->lr = lr;
  opt->momentum = momentum;
  opt->weight_decay = weight_decay;
  return opt;
}

HsOptimizer *
hs_optimizer_new_adam (HsDevice *device, gfloat lr, gfloat beta1, gfloat beta2, gfloat eps,
                       gfloat weight_decay, gboolean decoupled)
{
  HsOptimizer *opt = optimizer_new (device, OPT_ADAM);

  opt->lr = lr;
  opt->beta1 = beta1;
  opt->beta2 = beta2;
  opt->eps = eps;
  opt->weight_decay = weight_decay;
  opt->decoupled = decoupled;
  return opt;
}

void
hs_optimizer_free (HsOptimizer *opt)
{
  if (opt == NULL)
    return;
  for (guint i = 0; i < opt->slots->len; i++)
    {
      Slot *s = &g_array_index (opt->slots, Slot, i);
      hs_tensor_unref (s->param);
      g_clear_pointer (&s->state[0], hs_tensor_unref);
      g_clear_pointer (&s->state[1], hs_tensor_unref);
    }
  g_array_unref (opt->slots);
  g_clear_pointer (&opt->hp, hs_tensor_unref);
  hs_device_unref (opt->device);
  g_free (opt);
}

void
hs_optimizer_add_param (HsOptimizer *opt, HsTensor *param)
{
  Slot slot = { .param = hs_tensor_ref (param) };

  g_return_if_fail (param->device == opt->device);
  hs_tensor_set_requires_grad (param, TRUE);
  g_array_append_val (opt->slots, slot);
}

void
hs_optimizer_set_lr (HsOptimizer *opt, gfloat lr)
{
  opt->lr = lr;
}

guint
hs_optimizer_get_step (HsOptimizer *opt)
{
  return opt->step;
}

HsTensor *
hs_optimizer_get_state (HsOptimizer *opt, HsTensor *param, guint slot_index)
{
  g_return_val_if_fail (slot_index < 2, NULL);
  for (guint i = 0; i < opt->slots->len; i++)
    {
      Slot *s = &g_array_index (opt->slots, Slot, i);
      if (s->param == param)
        return s->state[slot_index];
    }
  return NULL;
}

static gboolean
ensure_state (HsOptimizer *opt, Slot *s, GError **error)
{
  guint n = opt->kind == OPT_ADAM ? 2 : (opt->momentum != 0.f ? 1 : 0);

  for (guint j = 0; j < n; j++)
    if (s->state[j] == NULL)
      {
        s->state[j] = hs_tensor_new_zeros (opt->device, HS_DTYPE_F32, s->param->ndim,
                                           s->param->shape, error);
        if (s->state[j] == NULL)
          return FALSE;
      }
  return TRUE;
}

void
hs_optimizer_set_step (HsOptimizer *opt, guint step)
{
  opt->step = step;
}

gboolean
hs_optimizer_set_state (HsOptimizer *opt, HsTensor *param, guint slot_index,
                        const gfloat *data, GError **error)
{
  guint n = opt->kind == OPT_ADAM ? 2 : (opt->momentum != 0.f ? 1 : 0);

  if (slot_index >= n)
    {
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_INVALID,
                   "This optimizer has no state slot %u", slot_index);
      return FALSE;
    }
  for (guint i = 0; i < opt->slots->len; i++)
    {
      Slot *s = &g_array_index (opt->slots, Slot, i);
      if (s->param != param)
        continue;
      return ensure_state (opt, s, error) && hs_tensor_upload (s->state[slot_index], data, error);
    }
  g_set_error_literal (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_INVALID,
                       "The tensor is not a parameter of this optimizer");
  return FALSE;
}

gboolean
hs_optimizer_step (HsOptimizer *opt, GError **error)
{
  HsDevice *dev = opt->device;
  gfloat hp[N_HP] = { 0 };

  if (opt->hp == NULL)
    {
      const gint64 n = N_HP;
      opt->hp = hs_tensor_new (dev, HS_DTYPE_F32, 1, &n, error);
      if (opt->hp == NULL)
        return FALSE;
    }
  opt->step++;
  if (opt->kind == OPT_SGD)
    {
      hp[0] = opt->lr;
      hp[1] = opt->momentum;
      hp[2] = opt->weight_decay;
    }
  else
    {
      hp[0] = opt->lr;
      hp[1] = opt->beta1;
      hp[2] = opt->beta2;
      hp[3] = opt->eps;
      hp[4] = opt->weight_decay;
      hp[5] = (gfloat) opt->step;
      hp[6] = opt->decoupled ? 1.f : 0.f;
    }
  if (!hs_tensor_upload (opt->hp, hp, error))
    return FALSE;

  for (guint i = 0; i < opt->slots->len; i++)
    {
      Slot *s = &g_array_index (opt->slots, Slot, i);
      if (s->param->grad == NULL)
        continue;
      if (!ensure_state (opt, s, error))
        return FALSE;
      if (opt->kind == OPT_SGD)
        dev->ops->sgd_step (dev, s->param, s->param->grad, s->state[0], opt->hp);
      else
        dev->ops->adam_step (dev, s->param, s->param->grad, s->state[0], s->state[1], opt->hp);
    }
  return hs_device_take_error (dev, error);
}

gboolean
hs_optimizer_zero_grad (HsOptimizer *opt, GError **error)
{
  /* Dropping the gradients is cheaper than zeroing them: the next backward
   * hands its fresh gradient tensors over without an add. */
  for (guint i = 0; i < opt->slots->len; i++)
    g_clear_pointer (&g_array_index (opt->slots, Slot, i).param->grad, hs_tensor_unref);
  return hs_device_take_error (opt->device, error);
}
