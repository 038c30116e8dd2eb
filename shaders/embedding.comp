// SPDX-License-Identifier: GPL-3.0-or-later
// out[i, k] = table[idx[i], k].  An index outside [0, V) (the ops validate
// them on the host) reads as a zero row instead of out of bounds.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"
#include "hs-kernels.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Out { float y[]; };
layout(std430, set = 0, binding = 1) readonly buffer Table { float table[]; };
layout(std430, set = 0, binding = 2) readonly buffer Idx { int idx[]; };

layout(push_constant) uniform Push {
  uint n;  // N * D
  uint d;
  uint v;
} p;

void hs_elem(uint i)
{
  int row = idx[i / p.d];
  y[i] = row >= 0 && uint(row) < p.v ? table[uint(row) * p.d + i % p.d] : 0.0;
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
