/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tensor lifetime, host transfers and shape helpers.
 */
#define G_LOG_DOMAIN "hs-tensor"

#include <string.h>

#include "hs-backend-private.h"
#include "hs-device.h"
#include "hs-tensor.h"

static gboolean
check_shape (guint ndim, const gint64 *shape, GError **error)
{
  if (ndim < 1 || ndim > HS_MAX_DIMS)
    {
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_SHAPE,
                   "tensors have 1 to %d dimensions, not %u", HS_MAX_DIMS, ndim);
      return FALSE;
    }
  for (guint i = 0; i < ndim; i++)
    if (shape[i] < 1 || shape[i] > G_MAXINT32)
      {
        g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_SHAPE,
                     "dimension %u of a tensor is %" G_GINT64_FORMAT
                     " (must be between 1 and %d)", i, shape[i], G_MAXINT32);
        return FALSE;
      }
  return TRUE;
}

static HsTensor *
tensor_alloc_header (HsDevice *device, HsDType dtype, guint ndim, const gint64 *shape)
{
  HsTensor *t = g_new0 (HsTensor, 1);

  t->ref_count = 1;
  t->device = hs_device_ref (device);
  t->dtype = dtype;
  t->ndim = ndim;
  t->numel = 1;
  for (guint i = 0; i < ndim; i++)
    {
      t->shape[i] = shape[i];
      t->numel *= (gsize) shape[i];
    }
  return t;
}

HsTensor *
hs_tensor_new (HsDevice *device, HsDType dtype, guint ndim, const gint64 *shape,
               GError **error)
{
  HsTensor *t;
  HsBuffer *buffer;
  gpointer storage;
  gsize bytes;

  g_return_val_if_fail (device != NULL, NULL);
  if (!check_shape (ndim, shape, error))
    return NULL;
  if (!hs_device_take_error (device, error))
    return NULL;

  t = tensor_alloc_header (device, dtype, ndim, shape);
  bytes = t->numel * hs_dtype_size (dtype);
  storage = device->ops->alloc (device, bytes);
  if (storage == NULL)
    {
      hs_tensor_unref (t);
      if (!hs_device_take_error (device, error))
        return NULL;
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_OUT_OF_MEMORY,
                   "%s: out of memory for %" G_GSIZE_FORMAT " bytes", device->name, bytes);
      return NULL;
    }
  buffer = g_new0 (HsBuffer, 1);
  buffer->ref_count = 1;
  buffer->device = device;
  buffer->bytes = bytes;
  buffer->storage = storage;
  t->buffer = buffer;
  return t;
}

HsTensor *
hs_tensor_new_zeros (HsDevice *device, HsDType dtype, guint ndim, const gint64 *shape,
                     GError **error)
{
  HsTensor *t = hs_tensor_new (device, dtype, ndim, shape, error);

  if (t != NULL && !hs_tensor_fill (t, 0.f, error))
    g_clear_pointer (&t, hs_tensor_unref);
  return t;
}

HsTensor *
hs_tensor_new_from_data (HsDevice *device, HsDType dtype, guint ndim, const gint64 *shape,
                         gconstpointer data, GError **error)
{
  HsTensor *t = hs_tensor_new (device, dtype, ndim, shape, error);

  if (t != NULL && !hs_tensor_upload (t, data, error))
    g_clear_pointer (&t, hs_tensor_unref);
  return t;
}

HsTensor *
hs_tensor_new_uniform (HsDevice *device, guint ndim, const gint64 *shape, GRand *rand,
                       gfloat low, gfloat high, GError **error)
{
  g_autofree gfloat *data = NULL;
  gsize n = 1;

  if (!check_shape (ndim, shape, error))
    return NULL;
  for (guint i = 0; i < ndim; i++)
    n *= shape[i];
  data = g_new (gfloat, n);
  for (gsize i = 0; i < n; i++)
    data[i] = (gfloat) g_rand_double_range (rand, low, high);
  return hs_tensor_new_from_data (device, HS_DTYPE_F32, ndim, shape, data, error);
}

HsTensor *
hs_tensor_new_like (HsTensor *like, GError **error)
{
  return hs_tensor_new (like->device, like->dtype, like->ndim, like->shape, error);
}

/* A tensor sharing t's storage with another shape of the same size. */
HsTensor *
hs_tensor_new_view (HsTensor *t, guint ndim, const gint64 *shape)
{
  HsTensor *view = tensor_alloc_header (t->device, t->dtype, ndim, shape);

  g_assert (view->numel == t->numel);
  view->buffer = t->buffer;
  g_atomic_int_inc (&t->buffer->ref_count);
  view->range_known = t->range_known;
  view->range_min = t->range_min;
  view->range_max = t->range_max;
  return view;
}

HsTensor *
hs_tensor_ref (HsTensor *t)
{
  g_atomic_int_inc (&t->ref_count);
  return t;
}

void
hs_tensor_unref (HsTensor *t)
{
  HsDevice *device;

  if (t == NULL || !g_atomic_int_dec_and_test (&t->ref_count))
    return;
  device = t->device;
  if (t->buffer != NULL && g_atomic_int_dec_and_test (&t->buffer->ref_count))
    {
      device->ops->release (device, t->buffer->storage);
      g_free (t->buffer);
    }
  g_clear_pointer (&t->grad, hs_tensor_unref);
  g_free (t);
  hs_device_unref (device);
}

HsDevice *
hs_tensor_get_device (HsTensor *t)
{
  return t->device;
}

HsDType
hs_tensor_get_dtype (HsTensor *t)
{
  return t->dtype;
}

guint
hs_tensor_get_ndim (HsTensor *t)
{
  return t->ndim;
}

gint64
hs_tensor_get_dim (HsTensor *t, gint axis)
{
  if (axis < 0)
    axis += t->ndim;
  g_return_val_if_fail (axis >= 0 && (guint) axis < t->ndim, 0);
  return t->shape[axis];
}

gsize
hs_tensor_get_numel (HsTensor *t)
{
  return t->numel;
}

char *
hs_tensor_shape_string (HsTensor *t)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < t->ndim; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? ", " : "", t->shape[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

gboolean
hs_tensor_upload (HsTensor *t, gconstpointer data, GError **error)
{
  HsDevice *device = t->device;

  if (!hs_device_take_error (device, error))
    return FALSE;
  /* Remember the range of host-provided indices so ops can validate labels
   * without a round trip to the device. */
  t->range_known = FALSE;
  if (t->dtype == HS_DTYPE_I32 && t->numel > 0)
    {
      const gint32 *v = data;
      gint32 lo = v[0], hi = v[0];
      for (gsize i = 1; i < t->numel; i++)
        {
          lo = MIN (lo, v[i]);
          hi = MAX (hi, v[i]);
        }
      t->range_known = TRUE;
      t->range_min = lo;
      t->range_max = hi;
    }
  device->ops->upload (device, t, data);
  return hs_device_take_error (device, error);
}

gboolean
hs_tensor_download (HsTensor *t, gpointer data, GError **error)
{
  HsDevice *device = t->device;

  if (!hs_device_take_error (device, error))
    return FALSE;
  device->ops->download (device, t, data);
  return hs_device_take_error (device, error);
}

gfloat *
hs_tensor_to_floats (HsTensor *t, GError **error)
{
  g_autofree gfloat *data = NULL;

  g_return_val_if_fail (t->dtype == HS_DTYPE_F32, NULL);
  data = g_new (gfloat, t->numel);
  if (!hs_tensor_download (t, data, error))
    return NULL;
  return g_steal_pointer (&data);
}

gboolean
hs_tensor_item (HsTensor *t, gfloat *value, GError **error)
{
  if (t->numel != 1 || t->dtype != HS_DTYPE_F32)
    {
      g_autofree char *shape = hs_tensor_shape_string (t);
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_SHAPE,
                   "item: expected a one-element f32 tensor, got %s", shape);
      return FALSE;
    }
  return hs_tensor_download (t, value, error);
}

gboolean
hs_tensor_fill (HsTensor *t, gfloat value, GError **error)
{
  if (!hs_device_take_error (t->device, error))
    return FALSE;
  t->range_known = t->dtype == HS_DTYPE_I32;
  t->range_min = t->range_max = (gint32) value;
  t->device->ops->fill (t->device, t, value);
  return hs_device_take_error (t->device, error);
}

gboolean
hs_tensor_copy_from (HsTensor *dst, HsTensor *src, GError **error)
{
  if (dst->device != src->device || dst->dtype != src->dtype || dst->numel != src->numel)
    {
      g_autofree char *a = hs_tensor_shape_string (dst);
      g_autofree char *b = hs_tensor_shape_string (src);
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_SHAPE,
                   "copy: destination %s and source %s differ in size, type or device", a, b);
      return FALSE;
    }
  if (!hs_device_take_error (dst->device, error))
    return FALSE;
  dst->device->ops->copy (dst->device, dst, src);
  dst->range_known = src->range_known;
  dst->range_min = src->range_min;
  dst->range_max = src->range_max;
  return hs_device_take_error (dst->device, error);
}

void
hs_tensor_set_requires_grad (HsTensor *t, gboolean requires_grad)
{
  g_return_if_fail (t->dtype == HS_DTYPE_F32 || !requires_grad);
  t->requires_grad = requires_grad;
}

gboolean
hs_tensor_get_requires_grad (HsTensor *t)
{
  return t->requires_grad;
}

HsTensor *
hs_tensor_get_grad (HsTensor *t)
{
  return t->grad;
}

gboolean
hs_tensor_zero_grad (HsTensor *t, GError **error)
{
  if (t->grad == NULL)
    return TRUE;
  return hs_tensor_fill (t->grad, 0.f, error);
}
