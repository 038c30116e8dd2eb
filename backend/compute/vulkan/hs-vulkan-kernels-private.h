/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the op kernels of the Vulkan backend (hs-vulkan-kernels*.c):
 * each file fills in its part of the op table, and they share a few dispatch
 * helpers.  The shaders are shaders/<name>.comp; each one's header comment
 * states its bindings and push constants, which the structs here mirror
 * field for field (scalars after any 16-byte uvec4, so C and std430 agree).
 *
 * Optional tensors (a NULL bias, gamma, momentum buffer...) are switched off
 * by a flag (a push or specialization constant), but their binding slot must
 * still hold a tensor.
 * The rule for choosing it: a slot the shader only reads gets any tensor the
 * dispatch already reads; a slot the shader may store to gets a tensor the
 * dispatch writes anyway, with its write_mask bit set.  Synchronization
 * validation decides from the SPIR-V, not from the flag, that such a slot is
 * written; a read-only input there would look written without the runtime
 * knowing, and the next dispatch reading it would be reported as a hazard.
 */
#pragma once

#include "hs-vulkan-private.h"

G_BEGIN_DECLS

/* The workgroup width of every kernel shader (local_size_x in the .comp). */
#define HS_VK_LOCAL 64
/* Elements per invocation of the elementwise shaders (HS_ELEMS in
 * shaders/hs-kernels.glsl). */
#define HS_VK_ELEMS 4

/* Record `shader` over n invocations (1-D, folded into x/y by
 * hs_vk_grid_1d()).  Does nothing when n is 0 or the device has failed;
 * fails the device when n does not fit the shaders' 32-bit indices. */
void hs_vk_run_1d (HsDevice *dev, HsShaderId shader, HsTensor *const *bindings,
                   guint n_bindings, guint32 write_mask, const void *push,
                   gsize push_size, gsize n);

/* The same with specialization constants 0..n_spec-1. */
void hs_vk_run_spec (HsDevice *dev, HsShaderId shader, const guint32 *spec, guint n_spec,
                     HsTensor *const *bindings, guint n_bindings, guint32 write_mask,
                     const void *push, gsize push_size, gsize n);

/* Record an elementwise shader (one written with hs_elems_base()) over n
 * elements: HS_VK_ELEMS per invocation. */
void hs_vk_run_elems (HsDevice *dev, HsShaderId shader, HsTensor *const *bindings,
                      guint n_bindings, guint32 write_mask, const void *push,
                      gsize push_size, gsize n);
/* The same with specialization constants 0..n_spec-1. */
void hs_vk_run_elems_spec (HsDevice *dev, HsShaderId shader, const guint32 *spec, guint n_spec,
                           HsTensor *const *bindings, guint n_bindings, guint32 write_mask,
                           const void *push, gsize push_size, gsize n);

/* Check that `numel` (elements of one tensor) fits the 32-bit indices the
 * shaders use; fails the device otherwise. */
gboolean hs_vk_check_size (HsDevice *dev, const char *op, gsize numel);

/* How a column reduction over `rows` rows of `cols` independent sums is
 * split into chunks of rows, so that enough invocations run even when cols
 * is small.  The partial sums are added in chunk order: results never depend
 * on scheduling. */
void hs_vk_chunking (gsize rows, gsize cols, guint32 *chunk, guint32 *chunks);

/* out[j] = scale * sum_g part[g * stride + offset + j] for j < n (colsum.comp). */
void hs_vk_colsum (HsDevice *dev, HsTensor *out, HsTensor *part, guint32 n, guint32 chunks,
                   guint32 stride, guint32 offset, gfloat scale);

/* The per-family parts of the op table. */
void hs_vulkan_kernels_pointwise_init (HsBackendOps *ops);
void hs_vulkan_kernels_norm_init (HsBackendOps *ops);
void hs_vulkan_kernels_rows_init (HsBackendOps *ops);
void hs_vulkan_kernels_optim_init (HsBackendOps *ops);

G_END_DECLS
