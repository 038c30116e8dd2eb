/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * fill and copy as transfer commands (vkCmdFillBuffer, vkCmdCopyBuffer: no
 * pipeline to build, and the hazard tracker's barrier covers the transfer
 * stage too), and cast_u8 as a small shader.
 */
#define G_LOG_DOMAIN "hs-vulkan"

#include <math.h>

#include "hs-vulkan-runtime.h"

/* The 32-bit word that repeats through a tensor filled with `value`: the
 * float itself, the integer, or the byte four times over.  Conversions
 * saturate and truncate toward zero. */
static guint32
fill_pattern (HsDType dtype, gfloat value)
{
  union { gfloat f; guint32 u; gint32 i; } w;

  switch (dtype)
    {
    case HS_DTYPE_I32:
      w.i = isnan (value) ? 0 : (gint32) CLAMP ((gdouble) value, (gdouble) G_MININT32, (gdouble) G_MAXINT32);
      return w.u;
    case HS_DTYPE_U8:
      {
        guint32 b = isnan (value) ? 0 : (guint8) CLAMP (value, 0.0f, 255.0f);
        return b * 0x01010101u;
      }
    case HS_DTYPE_F32:
    default:
      w.f = value;
      return w.u;
    }
}

void
hs_vk_fill (HsDevice *dev, HsTensor *t, gfloat value)
{
  gsize bytes = hs_vk_tensor_bytes (t);
  VkCommandBuffer cmd;

  if (!hs_vk_usable (dev) || bytes == 0)
    return;
  cmd = hs_vk_begin (dev);
  if (cmd == VK_NULL_HANDLE)
    return;

  HsVkRange range = hs_vk_tensor_range (t);
  hs_vk_track (dev, &range, 1, 1u << 0);
  /* vkCmdFillBuffer writes whole words; the allocation is padded to at
   * least 16 bytes, so a u8 tensor's last partial word stays inside it. */
  vkCmdFillBuffer (cmd, range.buffer, range.offset, (bytes + 3) & ~(gsize) 3,
                   fill_pattern (t->dtype, value));
  hs_vk_command_recorded (dev);
}

void
hs_vk_copy (HsDevice *dev, HsTensor *dst, HsTensor *src)
{
  gsize bytes = hs_vk_tensor_bytes (dst);
  VkCommandBuffer cmd;

  if (!hs_vk_usable (dev) || bytes == 0)
    return;
  if (hs_vk_tensor_bytes (src) != bytes)
    {
      hs_device_fail (dev, HS_COMPUTE_ERROR_SHAPE,
                      "copy: %" G_GSIZE_FORMAT " bytes into %" G_GSIZE_FORMAT,
                      hs_vk_tensor_bytes (src), bytes);
      return;
    }

  HsVkRange ranges[2] = { hs_vk_tensor_range (dst), hs_vk_tensor_range (src) };
  if (ranges[0].buffer == ranges[1].buffer && ranges[0].offset == ranges[1].offset)
    return; /* the same storage */
  cmd = hs_vk_begin (dev);
  if (cmd == VK_NULL_HANDLE)
    return;
  hs_vk_track (dev, ranges, 2, 1u << 0);
  VkBufferCopy region = { ranges[1].offset, ranges[0].offset, bytes };
  vkCmdCopyBuffer (cmd, ranges[1].buffer, ranges[0].buffer, 1, &region);
  hs_vk_command_recorded (dev);
}

void
hs_vk_cast_u8 (HsDevice *dev, HsTensor *out, HsTensor *in, gfloat scale, gfloat shift)
{
  struct { guint32 count; gfloat scale, shift; } push = { out->numel, scale, shift };
  HsTensor *bindings[2] = { out, in };
  guint32 gx, gy;

  if (!hs_vk_usable (dev))
    return;
  if (in->numel != out->numel || in->dtype != HS_DTYPE_U8 || out->dtype != HS_DTYPE_F32)
    {
      hs_device_fail (dev, HS_COMPUTE_ERROR_SHAPE, "cast_u8: needs u8 in and f32 out of equal size");
      return;
    }
  hs_vk_grid_1d (dev, out->numel, 64, &gx, &gy);
  hs_vk_dispatch (dev, HS_SHADER_CAST_U8, NULL, 0, bindings, 2, 1u << 0,
                  &push, sizeof push, gx, gy, 1);
}
