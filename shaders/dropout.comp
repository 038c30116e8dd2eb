// SPDX-License-Identifier: GPL-3.0-or-later
// Inverted dropout: y[i] = x[i] / (1 - p) where hs_hash32(seed, i) is at
// least the host's threshold (hs_dropout_threshold), else 0.  The hash of the
// element index makes the mask identical on every backend and lets backward
// re-derive it instead of storing it.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"
#include "hs-kernels.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Y { float y[]; };
layout(std430, set = 0, binding = 1) readonly buffer X { float x[]; };

layout(push_constant) uniform Push {
  uint n;
  uint seed;
  uint threshold;
  float prob;
} p;

void hs_elem(uint i)
{
  y[i] = hs_hash32(p.seed, i) >= p.threshold ? x[i] / (1.0 - p.prob) : 0.0;
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
