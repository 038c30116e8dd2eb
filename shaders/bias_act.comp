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
} p;

// Specialization constants (see binary.comp for why not push constants).
layout(constant_id = 0) const uint ACT = 0u;
layout(constant_id = 1) const uint HAS_BIAS = 1u;

void hs_elem(uint i)
{
  float v = x[i];
  if (HAS_BIAS != 0u)
    v += bias[i % p.c];
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
