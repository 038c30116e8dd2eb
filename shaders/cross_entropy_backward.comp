// SPDX-License-Identifier: GPL-3.0-or-later
// dlogits[r, k] = (probs[r, k] - (k == label[r])) * dloss[r], elementwise.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"
#include "hs-kernels.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Dlogits { float dx[]; };
layout(std430, set = 0, binding = 1) readonly buffer Probs { float probs[]; };
layout(std430, set = 0, binding = 2) readonly buffer Labels { int labels[]; };
layout(std430, set = 0, binding = 3) readonly buffer Dloss { float dloss[]; };

layout(push_constant) uniform Push {
  uint n;
  uint c;
} p;

void hs_elem(uint i)
{
  uint r = i / p.c;
  int k = int(i % p.c);
  float onehot = labels[r] == k ? 1.0 : 0.0;
  dx[i] = (probs[i] - onehot) * dloss[r];
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
