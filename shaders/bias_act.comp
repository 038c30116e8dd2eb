// SPDX-License-Identifier: GPL-3.0-or-later
// out = act(x + bias[i % C]), x viewed as [rows, C]; bias is optional.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"
#include "hs-kernels.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Out { float y[]; };
layout(std430, set = 0, binding = 1) readonly buffer X { float x[]; };
layout(std430, set = 0, binding = 2) readonly buffer Bias { float bias[]; };

layout(push_constant) uniform Push {
  uint n;
  uint c;
  uint act;
  uint has_bias;
} p;

void main()
{
  uint i = hs_global_index();
  if (i >= p.n)
    return;
  float v = x[i];
  if (p.has_bias != 0u)
    v += bias[i % p.c];
  y[i] = hs_act(v, p.act);
}
