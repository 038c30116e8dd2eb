/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the Vulkan kernels (hs-vulkan-kernels*.c) need from the Vulkan runtime
 * (hs-vulkan.c): one call that records a compute dispatch.
 *
 * Shader conventions (shaders/…comp):
 *  - one descriptor set (set 0) of storage buffers, binding i = the i-th tensor
 *    passed to hs_vk_dispatch(), at most HS_VK_MAX_BINDINGS;
 *  - one push-constant block of at most 128 bytes;
 *  - a grid larger than 65535 groups in x is folded into y by
 *    hs_vk_grid_1d(); shaders rebuild the linear index with hs_global_index()
 *    from shaders/hs-common.glsl.
 */
#pragma once

#include <vulkan/vulkan.h>

#include "hs-backend-private.h"
#include "hs-shaders.h"

G_BEGIN_DECLS

#define HS_VK_MAX_BINDINGS 8
#define HS_VK_MAX_SPEC 8

/* Record a dispatch into the device's pending command buffer.  Bit i of
 * write_mask marks bindings[i] as written: the runtime inserts a barrier only
 * when this dispatch reads something an unsynchronised earlier dispatch wrote,
 * or writes something one read or wrote.  spec (may be NULL) are the values of
 * specialization constants 0..n_spec-1; the pipeline is created on first use
 * and cached per (shader, spec). */
void hs_vk_dispatch (HsDevice *dev, HsShaderId shader,
                     const guint32 *spec, guint n_spec,
                     HsTensor *const *bindings, guint n_bindings, guint32 write_mask,
                     const void *push, gsize push_size,
                     guint32 groups_x, guint32 groups_y, guint32 groups_z);

/* Split `n` invocations of `local`-wide workgroups into an x/y grid that
 * respects maxComputeWorkGroupCount. */
void hs_vk_grid_1d (HsDevice *dev, gsize n, guint32 local, guint32 *groups_x, guint32 *groups_y);

/* Scratch f32 tensor on this device (NULL after hs_device_fail()). */
HsTensor *hs_vk_scratch (HsDevice *dev, gsize numel);

/* The kernels' half of the op table, filled in by hs-vulkan-kernels.c. */
void hs_vulkan_kernels_init (HsBackendOps *ops);

G_END_DECLS
