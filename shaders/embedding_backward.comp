// SPDX-License-Identifier: GPL-3.0-or-later
// dtable[v, k] = sum of dout[i, k] over the i with idx[i] == v, added in
// order of i.  One invocation per table element scans idx: deterministic and
// without float atomics, at N reads of idx per element, which is cheap for
// the small batches of indices this engine embeds.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Dtable { float dt[]; };
layout(std430, set = 0, binding = 1) readonly buffer Dout { float dout[]; };
layout(std430, set = 0, binding = 2) readonly buffer Idx { int idx[]; };

layout(push_constant) uniform Push {
  uint n;  // V * D
  uint d;
  uint count;  // N
} p;

void main()
{
  uint i = hs_global_index();
  if (i >= p.n)
    return;
  int row = int(i / p.d);
  uint k = i % p.d;
  float s = 0.0;
  for (uint j = 0u; j < p.count; j++) {
    if (idx[j] == row)
      s += dout[j * p.d + k];
  }
  dt[i] = s;
}
