// SPDX-License-Identifier: GPL-3.0-or-later
// Cosine similarity along the last dim, one invocation per row:
// out[r] = a.b / (max(|a|, eps) * max(|b|, eps)).
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Out { float y[]; };
layout(std430, set = 0, binding = 1) readonly buffer A { float a[]; };
layout(std430, set = 0, binding = 2) readonly buffer B { float b[]; };

layout(push_constant) uniform Push {
  uint rows;
  uint d;
  float eps;
} p;

void main()
{
  uint r = hs_global_index();
  if (r >= p.rows)
    return;
  uint base = r * p.d;
  float ab = 0.0, aa = 0.0, bb = 0.0;
  for (uint k = 0u; k < p.d; k++) {
    float va = a[base + k], vb = b[base + k];
    ab += va * vb;
    aa += va * va;
    bb += vb * vb;
  }
  y[r] = ab / (max(sqrt(aa), p.eps) * max(sqrt(bb), p.eps));
}
