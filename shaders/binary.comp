// SPDX-License-Identifier: GPL-3.0-or-later
// out = alpha * a + beta * b (ADD) or alpha * a * b (MUL), numpy broadcasting.
// The host passes each operand's element strides per output dim, with 0 on
// broadcast dims, so one formula covers every broadcast pattern.  b may be
// absent (HAS_B = 0): out = alpha * a.  out may alias a (same shape), which is
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
  float alpha;
  float beta;
} p;

// Specialization constants, so each pipeline variant compiles only its own
// path: uniform branches on push constants still cost lavapipe both sides.
layout(constant_id = 0) const uint FLAT = 0u;   // bit 0: a has out's shape, bit 1: b does
layout(constant_id = 1) const uint HAS_B = 1u;
layout(constant_id = 2) const uint OP = 0u;     // 0 = ADD, 1 = MUL

void hs_elem(uint i)
{
  uvec4 c = uvec4(0u);
  if (FLAT != 3u)
    c = hs_unravel4(i, p.dims);
  uint ia = (FLAT & 1u) != 0u ? i : c.x * p.a_stride.x + c.y * p.a_stride.y + c.z * p.a_stride.z + c.w * p.a_stride.w;
  float va = a[ia];
  if (HAS_B == 0u) {
    y[i] = p.alpha * va;
  } else {
    uint ib = (FLAT & 2u) != 0u ? i : c.x * p.b_stride.x + c.y * p.b_stride.y + c.z * p.b_stride.z + c.w * p.b_stride.w;
    float vb = b[ib];
    y[i] = OP == 0u ? p.alpha * va + p.beta * vb : p.alpha * va * vb;
  }
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
