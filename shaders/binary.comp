// SPDX-License-Identifier: GPL-3.0-or-later
// out = alpha * a + beta * b (ADD) or alpha * a * b (MUL), numpy broadcasting.
// The host passes each operand's element strides per output dim, with 0 on
// broadcast dims, so one formula covers every broadcast pattern.  b may be
// absent (has_b = 0): out = alpha * a.  out may alias a (same shape), which is
// safe since each invocation reads a[i] before writing out[i] at the same
// index.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"
#include "hs-kernels.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Out { float y[]; };
layout(std430, set = 0, binding = 1) readonly buffer A { float a[]; };
layout(std430, set = 0, binding = 2) readonly buffer B { float b[]; };

layout(push_constant) uniform Push {
  uvec4 dims;      // output shape, right-aligned 4-D
  uvec4 a_stride;  // 0 where a is broadcast
  uvec4 b_stride;
  uint n;
  uint op;         // 0 = ADD, 1 = MUL
  uint has_b;
  uint flat_ab;    // bit 0: a has out's shape, bit 1: b does (skip the unravel)
  float alpha;
  float beta;
} p;

void main()
{
  uint i = hs_global_index();
  if (i >= p.n)
    return;

  uvec4 c = uvec4(0u);
  if (p.flat_ab != 3u)
    c = hs_unravel4(i, p.dims);
  uint ia = (p.flat_ab & 1u) != 0u ? i : c.x * p.a_stride.x + c.y * p.a_stride.y + c.z * p.a_stride.z + c.w * p.a_stride.w;
  float va = a[ia];
  if (p.has_b == 0u) {
    y[i] = p.alpha * va;
    return;
  }
  uint ib = (p.flat_ab & 2u) != 0u ? i : c.x * p.b_stride.x + c.y * p.b_stride.y + c.z * p.b_stride.z + c.w * p.b_stride.w;
  float vb = b[ib];
  y[i] = p.op == 0u ? p.alpha * va + p.beta * vb : p.alpha * va * vb;
}
