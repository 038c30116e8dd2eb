// SPDX-License-Identifier: GPL-3.0-or-later
// out[o0, o1, o2, o3] = in[...] with out.shape4[i] = in.shape4[perm[i]]: the
// host passes, for each output dim i, the input stride of dim perm[i].  Moves
// 32-bit words, so it serves f32 and i32 alike.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"
#include "hs-kernels.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Out { uint y[]; };
layout(std430, set = 0, binding = 1) readonly buffer In { uint x[]; };

layout(push_constant) uniform Push {
  uvec4 dims;    // output shape
  uvec4 stride;  // input stride for each output dim
  uint n;
} p;

void hs_elem(uint i)
{
  uvec4 c = hs_unravel4(i, p.dims);
  y[i] = x[c.x * p.stride.x + c.y * p.stride.y + c.z * p.stride.z + c.w * p.stride.w];
}

void main()
{
  uint base = hs_elems_base();
  for (uint k = 0u; k < HS_ELEMS; k++) {
    uint i = base + k * gl_WorkGroupSize.x;
    if (i < p.n)
      hs_elem(i);
  }
}
