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
  uint act;
} p;

void main()
{
  uint i = hs_global_index();
  if (i >= p.n)
    return;
  float g = dy[i];
  if (p.act == HS_ACT_RELU)
    g = ref[i] > 0.0 ? g : 0.0;
  else if (p.act == HS_ACT_GELU)
    g *= hs_gelu_grad(ref[i]);
  dx[i] = g;
}
