// SPDX-License-Identifier: GPL-3.0-or-later
// Batch-norm backward, pass 1: invocation (g, c) sums, over rows
// [g * chunk, (g + 1) * chunk) of channel c, dy' and dy' * xhat, where dy'
// is dy masked by y > 0 under a fused ReLU and xhat = (x - mean) * invstd.
// Written to part[2 * (g * C + c) + {0, 1}].
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Part { float part[]; };
layout(std430, set = 0, binding = 1) readonly buffer Dy { float dy[]; };
layout(std430, set = 0, binding = 2) readonly buffer X { float x[]; };
layout(std430, set = 0, binding = 3) readonly buffer Y { float y[]; };
layout(std430, set = 0, binding = 4) readonly buffer Mean { float mean[]; };
layout(std430, set = 0, binding = 5) readonly buffer Invstd { float invstd[]; };

layout(push_constant) uniform Push {
  uint c;
  uint rows;
  uint chunk;
  uint chunks;
} p;

// A specialization constant: lavapipe pays for a push-constant branch on
// every element.
layout(constant_id = 0) const uint RELU = 0u;

void main()
{
  uint i = hs_global_index();
  if (i >= p.c * p.chunks)
    return;
  uint ch = i % p.c;
  uint g = i / p.c;
  uint r0 = g * p.chunk;
  uint r1 = min(r0 + p.chunk, p.rows);
  float m = mean[ch];
  float is = invstd[ch];

  float s = 0.0, sx = 0.0;
  for (uint r = r0; r < r1; r++) {
    uint k = r * p.c + ch;
    float d = dy[k];
    if (RELU != 0u && !(y[k] > 0.0))
      d = 0.0;
    s += d;
    sx += d * ((x[k] - m) * is);
  }
  part[2u * i] = s;
  part[2u * i + 1u] = sx;
}
