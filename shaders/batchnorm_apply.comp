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
} p;

// Specialization constants (see binary.comp for why not push constants).
layout(constant_id = 0) const uint ACT = 0u;
layout(constant_id = 1) const uint HAS_GAMMA = 1u;
layout(constant_id = 2) const uint HAS_BETA = 1u;

void hs_elem(uint i)
{
  uint ch = i % p.c;
  float v = (x[i] - mean[ch]) * invstd[ch];
  if (HAS_GAMMA != 0u)
    v *= gamma[ch];
  if (HAS_BETA != 0u)
    v += beta[ch];
  y[i] = hs_act(v, ACT);
}

void main()
{
  uint base = hs_elems_base();
  for (uint k = 0u; k < HS_ELEMS; k++) {
    uint i = base + k * gl_WorkGroupSize.x;
    if (i < p.n)
      hs_elem(i);
  }
}
