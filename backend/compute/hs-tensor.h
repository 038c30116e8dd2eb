/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tensors: f32, u8 or i32, up to 4-D, contiguous, living on one device.
 * Reference-counted; views made by hs_reshape() share storage.
 */
#pragma once

#include "hs-types.h"

G_BEGIN_DECLS

/* A new uninitialised tensor.  shape has ndim (1..4) positive entries. */
HsTensor *hs_tensor_new (HsDevice *device, HsDType dtype, guint ndim, const gint64 *shape,
                         GError **error);
HsTensor *hs_tensor_new_zeros (HsDevice *device, HsDType dtype, guint ndim,
                               const gint64 *shape, GError **error);
/* A new tensor holding a copy of `data` (numel elements of dtype). */
HsTensor *hs_tensor_new_from_data (HsDevice *device, HsDType dtype, guint ndim,
                                   const gint64 *shape, gconstpointer data, GError **error);
/* A new f32 tensor of values drawn uniformly from [low, high) by `rand`. */
HsTensor *hs_tensor_new_uniform (HsDevice *device, guint ndim, const gint64 *shape, GRand *rand,
                                 gfloat low, gfloat high, GError **error);
/* A new tensor with the same dtype and shape as `like`. */
HsTensor *hs_tensor_new_like (HsTensor *like, GError **error);

HsTensor *hs_tensor_ref (HsTensor *t);
void      hs_tensor_unref (HsTensor *t);

HsDevice *hs_tensor_get_device (HsTensor *t);
HsDType   hs_tensor_get_dtype (HsTensor *t);
guint     hs_tensor_get_ndim (HsTensor *t);
gint64    hs_tensor_get_dim (HsTensor *t, gint axis); /* negative axes count from the end */
gsize     hs_tensor_get_numel (HsTensor *t);
/* "[64, 32, 32, 3]" — for error messages. */
char     *hs_tensor_shape_string (HsTensor *t);

/* Copy host data in / out (numel elements of the tensor's dtype).  download
 * waits for pending work on the device. */
gboolean  hs_tensor_upload (HsTensor *t, gconstpointer data, GError **error);
gboolean  hs_tensor_download (HsTensor *t, gpointer data, GError **error);
/* Convenience for f32: a newly allocated host copy. */
gfloat   *hs_tensor_to_floats (HsTensor *t, GError **error);
/* The single value of a one-element f32 tensor (waits). */
gboolean  hs_tensor_item (HsTensor *t, gfloat *value, GError **error);
gboolean  hs_tensor_fill (HsTensor *t, gfloat value, GError **error);
gboolean  hs_tensor_copy_from (HsTensor *dst, HsTensor *src, GError **error);

/* Autograd: a tensor that requires grad is a leaf whose gradient
 * hs_tape_backward() accumulates into hs_tensor_get_grad(). */
void      hs_tensor_set_requires_grad (HsTensor *t, gboolean requires_grad);
gboolean  hs_tensor_get_requires_grad (HsTensor *t);
HsTensor *hs_tensor_get_grad (HsTensor *t);  /* borrowed; NULL before any backward */
gboolean  hs_tensor_zero_grad (HsTensor *t, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTensor, hs_tensor_unref)

G_END_DECLS
