// SPDX-License-Identifier: GPL-3.0-or-later
// y = act(gamma * (x - mean) * invstd + beta), x viewed as [rows, C], with
// the statistics batchnorm_finalize.comp wrote.  gamma and beta are optional
// (1 and 0).
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"
#include "hs-kernels.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Y { float y[]; };
layout(std430, set = 0, binding = 1) readonly buffer X { float x[]; };
layout(std430, set = 0, binding = 2) readonly buffer Gamma { float gamma[]; };
layout(std430, set = 0, binding = 3) readonly buffer Beta { float beta[]; };
layout(std430, set = 0, binding = 4) readonly buffer Mean { float mean[]; };
layout(std430, set = 0, binding = 5) readonly buffer Invstd { float invstd[]; };

layout(push_constant) uniform Push {
  uint n;
  uint c;
  uint act;
  uint has_gamma;
  uint has_beta;
} p;

void main()
{
  uint i = hs_global_index();
  if (i >= p.n)
    return;
  uint ch = i % p.c;
  float v = (x[i] - mean[ch]) * invstd[ch];
  if (p.has_gamma != 0u)
    v *= gamma[ch];
  if (p.has_beta != 0u)
    v += beta[ch];
  y[i] = hs_act(v, p.act);
}
