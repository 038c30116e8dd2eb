// SPDX-License-Identifier: GPL-3.0-or-later
// out[i] = in[i] * scale + shift for u8 in.  The bytes are read as packed
// 32-bit words, so the device needs no 8-bit storage feature.
#version 450
#extension GL_GOOGLE_include_directive : require
// The workgroup size comes before the include: hs_global_index() reads
// gl_WorkGroupSize, which is (1,1,1) until it is declared.
layout(local_size_x = 64, local_size_y = 1, local_size_z = 1) in;
#include "hs-common.glsl"

layout(std430, binding = 0) writeonly buffer BufOut { float outv[]; };
layout(std430, binding = 1) readonly buffer BufIn { uint inw[]; };

layout(push_constant) uniform Push {
  uint count;
  float scale, shift;
} p;

void main()
{
  uint i = hs_global_index();
  if (i >= p.count)
    return;
  uint byte = (inw[i >> 2u] >> ((i & 3u) * 8u)) & 0xffu;
  outv[i] = float(byte) * p.scale + p.shift;
}
