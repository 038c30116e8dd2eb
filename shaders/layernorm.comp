// SPDX-License-Identifier: GPL-3.0-or-later
// Layer norm over the last dim D of x viewed as [rows, D], one invocation per
// row: the mean (summed around the row's first value, so rows far from 0 keep
// their precision), then the biased variance as the mean squared deviation
// (a second pass, where E[x^2] - E[x]^2 would cancel), then y.  No shared memory or
// barriers: rows are the parallel dimension, and barrier-heavy kernels are
// slow on lavapipe.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Y { float y[]; };
layout(std430, set = 0, binding = 1) writeonly buffer SaveMean { float save_mean[]; };
layout(std430, set = 0, binding = 2) writeonly buffer SaveInvstd { float save_invstd[]; };
layout(std430, set = 0, binding = 3) readonly buffer X { float x[]; };
layout(std430, set = 0, binding = 4) readonly buffer Gamma { float gamma[]; };
layout(std430, set = 0, binding = 5) readonly buffer Beta { float beta[]; };

layout(push_constant) uniform Push {
  uint rows;
  uint d;
  float eps;
  uint has_gamma;
  uint has_beta;
} p;

void main()
{
  uint r = hs_global_index();
  if (r >= p.rows)
    return;
  uint base = r * p.d;

  float shift = x[base];
  float s = 0.0;
  for (uint k = 1u; k < p.d; k++)
    s += x[base + k] - shift;
  float mean = shift + s / float(p.d);
  float ss = 0.0;
  for (uint k = 0u; k < p.d; k++) {
    float t = x[base + k] - mean;
    ss += t * t;
  }
  float invstd = 1.0 / sqrt(ss / float(p.d) + p.eps);
  save_mean[r] = mean;
  save_invstd[r] = invstd;

  for (uint k = 0u; k < p.d; k++) {
    float v = (x[base + k] - mean) * invstd;
    if (p.has_gamma != 0u)
      v *= gamma[k];
    if (p.has_beta != 0u)
      v += beta[k];
    y[base + k] = v;
  }
}
