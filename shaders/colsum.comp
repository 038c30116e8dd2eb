// SPDX-License-Identifier: GPL-3.0-or-later
// Second pass of the chunked reductions: out[j] = scale * sum over g of
// part[g * stride + offset + j], added in chunk order so results do not
// depend on scheduling.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Out { float y[]; };
layout(std430, set = 0, binding = 1) readonly buffer Part { float part[]; };

layout(push_constant) uniform Push {
  uint n;
  uint chunks;
  uint stride;
  uint offset;
  float scale;
} p;

void main()
{
  uint j = hs_global_index();
  if (j >= p.n)
    return;
  float s = 0.0;
  for (uint g = 0u; g < p.chunks; g++)
    s += part[g * p.stride + p.offset + j];
  y[j] = p.scale * s;
}
