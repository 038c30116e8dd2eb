// SPDX-License-Identifier: GPL-3.0-or-later
// dx = dy * act'(ref).  ref is the activation's input; for RELU it may be
// the output as well, since both are positive at the same places.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"
#include "hs-kernels.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Dx { float dx[]; };
layout(std430, set = 0, binding = 1) readonly buffer Dy { float dy[]; };
layout(std430, set = 0, binding = 2) readonly buffer Ref { float ref[]; };

layout(push_constant) uniform Push {
  uint n;
} p;

// Specialization constants (see binary.comp for why not push constants).
layout(constant_id = 0) const uint ACT = 0u;

void hs_elem(uint i)
{
  float g = dy[i];
  if (ACT == HS_ACT_RELU)
    g = ref[i] > 0.0 ? g : 0.0;
  else if (ACT == HS_ACT_GELU)
    g *= hs_gelu_grad(ref[i]);
  dx[i] = g;
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
