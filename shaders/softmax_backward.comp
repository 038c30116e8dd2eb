// SPDX-License-Identifier: GPL-3.0-or-later
// Softmax backward, one invocation per row: dx = y * (dy - sum(dy * y)).
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Dx { float dx[]; };
layout(std430, set = 0, binding = 1) readonly buffer Dy { float dy[]; };
layout(std430, set = 0, binding = 2) readonly buffer Y { float y[]; };

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
  float dot = 0.0;
  for (uint k = 0u; k < p.d; k++)
    dot += dy[base + k] * y[base + k];
  for (uint k = 0u; k < p.d; k++)
    dx[base + k] = y[base + k] * (dy[base + k] - dot);
}
