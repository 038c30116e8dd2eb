// SPDX-License-Identifier: GPL-3.0-or-later
// Inverted dropout: y[i] = x[i] / (1 - p) where hs_hash32(seed, i) is at
// least the host's threshold (hs_dropout_threshold), else 0.  The hash of the
// element index makes the mask identical on every backend and lets backward
// re-derive it instead of storing it.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Y { float y[]; };
layout(std430, set = 0, binding = 1) readonly buffer X { float x[]; };

layout(push_constant) uniform Push {
  uint n;
  uint seed;
  uint threshold;
  float prob;
} p;

void main()
{
  uint i = hs_global_index();
  if (i >= p.n)
    return;
  y[i] = hs_hash32(p.seed, i) >= p.threshold ? x[i] / (1.0 - p.prob) : 0.0;
}
