// SPDX-License-Identifier: GPL-3.0-or-later
// Layer-norm backward for gamma and beta, pass 1: invocation (g, k) sums,
// over rows [g * chunk, (g + 1) * chunk), dy * xhat into part[g * 2D + k]
// and dy into part[g * 2D + D + k].  colsum.comp adds the chunks in order
// into dgamma and dbeta.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Part { float part[]; };
layout(std430, set = 0, binding = 1) readonly buffer Dy { float dy[]; };
layout(std430, set = 0, binding = 2) readonly buffer X { float x[]; };
layout(std430, set = 0, binding = 3) readonly buffer Mean { float mean[]; };
layout(std430, set = 0, binding = 4) readonly buffer Invstd { float invstd[]; };

layout(push_constant) uniform Push {
  uint d;
  uint rows;
  uint chunk;
  uint chunks;
} p;

void main()
{
  uint i = hs_global_index();
  if (i >= p.d * p.chunks)
    return;
  uint k = i % p.d;
  uint g = i / p.d;
  uint r0 = g * p.chunk;
  uint r1 = min(r0 + p.chunk, p.rows);

  float sx = 0.0, s = 0.0;
  for (uint r = r0; r < r1; r++) {
    float v = dy[r * p.d + k];
    sx += v * ((x[r * p.d + k] - mean[r]) * invstd[r]);
    s += v;
  }
  part[g * 2u * p.d + k] = sx;
  part[g * 2u * p.d + p.d + k] = s;
}
