// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the op kernels (hs-vulkan-kernels*.c).  Include after
// hs-common.glsl.  Every kernel runs 64-wide workgroups (HS_VK_LOCAL on the
// host): one size for every device, since lavapipe runs 4- or 8-wide
// subgroups and GPUs 32 or 64, and none of these kernels shares data across
// invocations.

// Elementwise kernels give each invocation HS_ELEMS elements (HS_VK_ELEMS on
// the host): a workgroup covers 64 * HS_ELEMS consecutive elements, and
// invocation l takes base + l, base + l + 64, ... so each of its loads is
// contiguous across the workgroup (coalesced on GPUs).  On lavapipe, where
// per-invocation overhead dominates such light kernels, this ran 3-4x faster
// than one element per invocation.
const uint HS_ELEMS = 4u;

// The first element of this invocation; the others follow at strides of the
// workgroup width.  Folded grids (hs_vk_grid_1d) count workgroups row-major.
uint hs_elems_base()
{
  uint wg = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
  return wg * gl_WorkGroupSize.x * HS_ELEMS + gl_LocalInvocationID.x;
}

// HsAct, as in backend/compute/hs-types.h.
const uint HS_ACT_NONE = 0u;
const uint HS_ACT_RELU = 1u;
const uint HS_ACT_GELU = 2u;

float hs_act(float x, uint act)
{
  if (act == HS_ACT_RELU)
    return max(x, 0.0);
  if (act == HS_ACT_GELU)
    return hs_gelu(x);
  return x;
}

// Split a row-major linear index into 4-D coordinates over dims d.
uvec4 hs_unravel4(uint i, uvec4 d)
{
  uvec4 c;
  c.w = i % d.w; i /= d.w;
  c.z = i % d.z; i /= d.z;
  c.y = i % d.y;
  c.x = i / d.y;
  return c;
}
