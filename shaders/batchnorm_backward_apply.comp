// SPDX-License-Identifier: GPL-3.0-or-later
// Batch-norm backward, pass 3: dx = A * dy' + B * (x - mean) + K with the
// per-channel coefficients of batchnorm_backward_finalize.comp.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"
#include "hs-kernels.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Dx { float dx[]; };
layout(std430, set = 0, binding = 1) readonly buffer Dy { float dy[]; };
layout(std430, set = 0, binding = 2) readonly buffer X { float x[]; };
layout(std430, set = 0, binding = 3) readonly buffer Y { float y[]; };
layout(std430, set = 0, binding = 4) readonly buffer Coef { float coef[]; };

layout(push_constant) uniform Push {
  uint n;
  uint c;
} p;

// Specialization constants (see binary.comp for why not push constants).
layout(constant_id = 0) const uint RELU = 0u;

void hs_elem(uint i)
{
  uint ch = i % p.c;
  float d = dy[i];
  if (RELU != 0u && !(y[i] > 0.0))
    d = 0.0;
  dx[i] = coef[4u * ch] * d + coef[4u * ch + 1u] * (x[i] - coef[4u * ch + 2u]) + coef[4u * ch + 3u];
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
