// SPDX-License-Identifier: GPL-3.0-or-later
// src viewed as [outer, src_axis, inner], dst as [outer, dst_axis, inner]:
// dst[:, dst_start + l, :] = src[:, src_start + l, :] for l < len.  Other
// elements of dst are untouched (concat writes its parts one by one).
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"
#include "hs-kernels.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Dst { uint dst[]; };
layout(std430, set = 0, binding = 1) readonly buffer Src { uint src[]; };

layout(push_constant) uniform Push {
  uint n;       // outer * len * inner
  uint inner;
  uint len;
  uint src_axis;
  uint src_start;
  uint dst_axis;
  uint dst_start;
} p;

void hs_elem(uint i)
{
  uint k = i % p.inner;
  uint t = i / p.inner;
  uint l = t % p.len;
  uint o = t / p.len;
  dst[(o * p.dst_axis + p.dst_start + l) * p.inner + k] =
      src[(o * p.src_axis + p.src_start + l) * p.inner + k];
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
