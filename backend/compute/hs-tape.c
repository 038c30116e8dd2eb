/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The autograd tape: ops append nodes while it records; backward walks them
 * in reverse, which is a topological order because ops run in program order.
 */
#define G_LOG_DOMAIN "hs-tape"

#include "hs-device.h"
#include "hs-tape.h"
#include "hs-tape-private.h"
#include "hs-tensor.h"

struct _HsTape {
  HsDevice *device;
  GPtrArray *nodes;
  gboolean backward_running;
};

static void
node_free (HsNode *node)
{
  /* The output outlives the tape possibly: it must not point at us. */
  if (node->out->node == node)
    node->out->node = NULL;
  hs_tensor_unref (node->out);
  for (guint i = 0; i < node->n_in; i++)
    hs_tensor_unref (node->in[i]);
  g_free (node->in);
  for (guint i = 0; i < HS_NODE_MAX_SAVED; i++)
    g_clear_pointer (&node->saved[i], hs_tensor_unref);
  g_clear_pointer (&node->grad, hs_tensor_unref);
  g_free (node);
}

HsTape *
hs_tape_new (HsDevice *device)
{
  HsTape *tape = g_new0 (HsTape, 1);

  g_return_val_if_fail (device->tape == NULL, NULL);
  tape->device = hs_device_ref (device);
  tape->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  device->tape = tape;
  return tape;
}

void
hs_tape_free (HsTape *tape)
{
  if (tape == NULL)
    return;
  if (tape->device->tape == tape)
    tape->device->tape = NULL;
  g_ptr_array_unref (tape->nodes);
  hs_device_unref (tape->device);
  g_free (tape);
}

guint
hs_tape_get_n_nodes (HsTape *tape)
{
  return tape->nodes->len;
}

static gboolean
wants_grad (HsTensor *t)
{
  return t != NULL && (t->requires_grad || t->node != NULL);
}

gboolean
hs_tape_wants (HsTensor *const *in, guint n_in)
{
  HsTape *tape;

  if (n_in == 0)
    return FALSE;
  tape = in[0]->device->tape;
  if (tape == NULL || tape->backward_running)
    return FALSE;
  for (guint i = 0; i < n_in; i++)
    if (wants_grad (in[i]))
      return TRUE;
  return FALSE;
}

HsNode *
hs_tape_record (const char *op, HsBackwardFunc backward, HsTensor *out,
                HsTensor *const *in, guint n_in)
{
  HsNode *node;

  if (!hs_tape_wants (in, n_in))
    return NULL;
  node = g_new0 (HsNode, 1);
  node->op = op;
  node->backward = backward;
  node->out = hs_tensor_ref (out);
  node->n_in = n_in;
  node->in = g_new (HsTensor *, n_in);
  for (guint i = 0; i < n_in; i++)
    node->in[i] = in[i] != NULL ? hs_tensor_ref (in[i]) : NULL;
  out->node = node;
  g_ptr_array_add (out->device->tape->nodes, node);
  return node;
}

gboolean
hs_node_input_wants_grad (HsNode *node, guint i)
{
  return i < node->n_in && wants_grad (node->in[i]);
}

/* Whether t's memory is ours alone, so it can be updated in place. */
static gboolean
exclusively_owned (HsTensor *t)
{
  return t->ref_count == 1 && t->buffer->ref_count == 1;
}

static void
accumulate (HsTensor **slot, HsTensor *grad)
{
  HsDevice *dev = grad->device;
  HsTensor *sum;

  if (*slot == NULL)
    {
      *slot = grad;
      return;
    }
  if (exclusively_owned (*slot))
    {
      dev->ops->binary (dev, HS_BINARY_ADD, 1.f, 1.f, *slot, *slot, grad);
      hs_tensor_unref (grad);
      return;
    }
  sum = hs_tensor_new_like (*slot, NULL);
  if (sum == NULL)
    {
      hs_device_fail (dev, HS_COMPUTE_ERROR_OUT_OF_MEMORY, "out of memory for a gradient");
      hs_tensor_unref (grad);
      return;
    }
  dev->ops->binary (dev, HS_BINARY_ADD, 1.f, 1.f, sum, *slot, grad);
  hs_tensor_unref (*slot);
  hs_tensor_unref (grad);
  *slot = sum;
}

void
hs_node_give_grad (HsNode *node, guint i, HsTensor *grad)
{
  HsTensor *input = node->in[i];

  if (grad == NULL)
    return; /* allocation failed; the device carries the error */
  if (!wants_grad (input))
    {
      hs_tensor_unref (grad);
      return;
    }
  g_assert (grad->numel == input->numel);
  if (input->node != NULL)
    accumulate (&((HsNode *) input->node)->grad, grad);
  else
    accumulate (&input->grad, grad);
}

gboolean
hs_tape_backward (HsTape *tape, HsTensor *loss, GError **error)
{
  HsDevice *dev = tape->device;
  HsNode *root = loss->node;

  if (loss->numel != 1 || root == NULL || loss->device != dev)
    {
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_INVALID,
                   "backward: the loss must be a one-element tensor computed on this tape "
                   "from tensors that require a gradient");
      return FALSE;
    }
  if (!hs_device_take_error (dev, error))
    return FALSE;

  root->grad = hs_tensor_new_like (loss, error);
  if (root->grad == NULL || !hs_tensor_fill (root->grad, 1.f, error))
    return FALSE;

  tape->backward_running = TRUE;
  for (guint n = tape->nodes->len; n-- > 0;)
    {
      HsNode *node = g_ptr_array_index (tape->nodes, n);
      if (node->grad == NULL)
        continue;
      node->backward (node);
      /* Intermediate gradients are dropped as soon as they are used. */
      g_clear_pointer (&node->grad, hs_tensor_unref);
      if (hs_device_failed (dev))
        break;
    }
  tape->backward_running = FALSE;
  return hs_device_take_error (dev, error);
}
