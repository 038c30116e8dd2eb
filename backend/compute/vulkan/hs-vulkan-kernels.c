/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Vulkan backend's op kernels: every HsBackendOps entry except memory,
 * casts, GEMM and convolution (those are hs-vulkan.c's).  This file fills in
 * the op table and holds the dispatch helpers; the kernels live in
 * hs-vulkan-kernels-{pointwise,norm,rows,optim}.c.
 *
 * Every kernel is a barrier-free compute shader: four elements per
 * invocation for elementwise work, else one invocation per output, row, or
 * (chunk of rows, column) pair.  Shared-memory reduction trees would suit
 * GPUs better for long rows, but they are slow on lavapipe (the CI device),
 * and the rows in this engine are short.  Path choices that would be uniform
 * branches (activation, optional operands, broadcast or not) are
 * specialization constants: lavapipe pays for both sides of a branch on a
 * push constant.
 */
#define G_LOG_DOMAIN "hs-vulkan"

#include "hs-vulkan-kernels-private.h"

#include "hs-device.h"

gboolean
hs_vk_check_size (HsDevice *dev, const char *op, gsize numel)
{
  if (numel <= G_MAXUINT32)
    return TRUE;
  hs_device_fail (dev, HS_COMPUTE_ERROR_SHAPE,
                  "%s: %" G_GSIZE_FORMAT " elements exceed the Vulkan kernels' 32-bit indices",
                  op, numel);
  return FALSE;
}

void
hs_vk_run_spec (HsDevice *dev, HsShaderId shader, const guint32 *spec, guint n_spec,
                HsTensor *const *bindings, guint n_bindings, guint32 write_mask,
                const void *push, gsize push_size, gsize n)
{
  guint32 gx, gy;

  if (n == 0 || hs_device_failed (dev))
    return;
  if (!hs_vk_check_size (dev, hs_shader_table[shader].name, n))
    return;
  hs_vk_grid_1d (dev, n, HS_VK_LOCAL, &gx, &gy);
  hs_vk_dispatch (dev, shader, spec, n_spec, bindings, n_bindings, write_mask,
                  push, push_size, gx, gy, 1);
}

void
hs_vk_run_1d (HsDevice *dev, HsShaderId shader, HsTensor *const *bindings, guint n_bindings,
              guint32 write_mask, const void *push, gsize push_size, gsize n)
{
  hs_vk_run_spec (dev, shader, NULL, 0, bindings, n_bindings, write_mask, push, push_size, n);
}

void
hs_vk_run_elems_spec (HsDevice *dev, HsShaderId shader, const guint32 *spec, guint n_spec,
                      HsTensor *const *bindings, guint n_bindings, guint32 write_mask,
                      const void *push, gsize push_size, gsize n)
{
  if (!hs_vk_check_size (dev, hs_shader_table[shader].name, n))
    return;
  hs_vk_run_spec (dev, shader, spec, n_spec, bindings, n_bindings, write_mask, push, push_size,
                  (n + HS_VK_ELEMS - 1) / HS_VK_ELEMS);
}

void
hs_vk_run_elems (HsDevice *dev, HsShaderId shader, HsTensor *const *bindings, guint n_bindings,
                 guint32 write_mask, const void *push, gsize push_size, gsize n)
{
  hs_vk_run_elems_spec (dev, shader, NULL, 0, bindings, n_bindings, write_mask,
                        push, push_size, n);
}

/* Aim for this many invocations in the first pass of a chunked reduction:
 * plenty for a GPU, and harmless on lavapipe.  Chunks stay at least
 * HS_VK_MIN_CHUNK rows long, and their count bounded, so the second pass
 * (one invocation per column adding every chunk) stays short. */
#define HS_VK_REDUCE_TARGET 65536
#define HS_VK_MIN_CHUNK 32
#define HS_VK_MAX_CHUNKS 1024

void
hs_vk_chunking (gsize rows, gsize cols, guint32 *chunk, guint32 *chunks)
{
  gsize n = MAX (cols, 1);
  gsize g = HS_VK_REDUCE_TARGET / n;

  g = MIN (g, (rows + HS_VK_MIN_CHUNK - 1) / HS_VK_MIN_CHUNK);
  g = MIN (g, HS_VK_MAX_CHUNKS);
  g = MAX (g, 1);
  *chunk = (guint32) ((rows + g - 1) / g);
  *chunk = MAX (*chunk, 1);
  *chunks = (guint32) ((rows + *chunk - 1) / *chunk);
  *chunks = MAX (*chunks, 1);
}

typedef struct {
  guint32 n;
  guint32 chunks;
  guint32 stride;
  guint32 offset;
  gfloat scale;
} HsColsumPush;

void
hs_vk_colsum (HsDevice *dev, HsTensor *out, HsTensor *part, guint32 n, guint32 chunks,
              guint32 stride, guint32 offset, gfloat scale)
{
  HsColsumPush pc = { n, chunks, stride, offset, scale };
  HsTensor *b[] = { out, part };

  hs_vk_run_1d (dev, HS_SHADER_COLSUM, b, 2, 0x1, &pc, sizeof pc, n);
}

void
hs_vulkan_kernels_init (HsBackendOps *ops)
{
  hs_vulkan_kernels_pointwise_init (ops);
  hs_vulkan_kernels_norm_init (ops);
  hs_vulkan_kernels_rows_init (ops);
  hs_vulkan_kernels_optim_init (ops);
}
