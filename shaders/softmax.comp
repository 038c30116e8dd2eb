// SPDX-License-Identifier: GPL-3.0-or-later
// Softmax over the last dim, one invocation per row: subtract the row max
// so exp never overflows, then normalise.  y holds exp(x - max) between the
// two passes, so exp runs once per element.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"

layout(std430, set = 0, binding = 0) buffer Y { float y[]; };
layout(std430, set = 0, binding = 1) readonly buffer X { float x[]; };

layout(push_constant) uniform Push {
  uint rows;
  uint d;
} p;

void main()
{
  uint r = hs_global_index();
  if (r >= p.rows)
    return;
  uint base = r * p.d;

  float m = x[base];
  for (uint k = 1u; k < p.d; k++)
    m = max(m, x[base + k]);
  float s = 0.0;
  for (uint k = 0u; k < p.d; k++) {
    float e = exp(x[base + k] - m);
    y[base + k] = e;
    s += e;
  }
  for (uint k = 0u; k < p.d; k++)
    y[base + k] = y[base + k] / s;
}
