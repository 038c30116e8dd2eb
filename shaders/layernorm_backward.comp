// SPDX-License-Identifier: GPL-3.0-or-later
// Layer-norm backward for dx, one invocation per row.  With g = dy * gamma
// and xhat = (x - mean) * invstd:
//   dx = invstd * (g - mean(g) - xhat * mean(g * xhat)).
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Dx { float dx[]; };
layout(std430, set = 0, binding = 1) readonly buffer Dy { float dy[]; };
layout(std430, set = 0, binding = 2) readonly buffer X { float x[]; };
layout(std430, set = 0, binding = 3) readonly buffer Gamma { float gamma[]; };
layout(std430, set = 0, binding = 4) readonly buffer Mean { float mean[]; };
layout(std430, set = 0, binding = 5) readonly buffer Invstd { float invstd[]; };

layout(push_constant) uniform Push {
  uint rows;
  uint d;
  uint has_gamma;
} p;

void main()
{
  uint r = hs_global_index();
  if (r >= p.rows)
    return;
  uint base = r * p.d;
  float m = mean[r];
  float is = invstd[r];

  float sg = 0.0, sgx = 0.0;
  for (uint k = 0u; k < p.d; k++) {
    float g = dy[base + k];
    if (p.has_gamma != 0u)
      g *= gamma[k];
    sg += g;
    sgx += g * ((x[base + k] - m) * is);
  }
  float mg = sg / float(p.d);
  float mgx = sgx / float(p.d);
  for (uint k = 0u; k < p.d; k++) {
    float g = dy[base + k];
    if (p.has_gamma != 0u)
      g *= gamma[k];
    float xhat = (x[base + k] - m) * is;
    dx[base + k] = is * (g - mg - xhat * mgx);
  }
}
