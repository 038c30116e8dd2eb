// SPDX-License-Identifier: GPL-3.0-or-later
// SGD with momentum and weight decay.  The scalars come from the hp buffer,
// [lr, momentum, weight_decay], not from push constants, so a recorded step
// can be resubmitted after the host writes a new learning rate.
//   g = grad + wd * p;  buf = momentum * buf + g;  p -= lr * buf
// Without a momentum buffer (HAS_BUF = 0): p -= lr * g.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"
#include "hs-kernels.glsl"

layout(std430, set = 0, binding = 0) buffer Param { float param[]; };
layout(std430, set = 0, binding = 1) readonly buffer Grad { float grad[]; };
layout(std430, set = 0, binding = 2) buffer Buf { float buf[]; };
layout(std430, set = 0, binding = 3) readonly buffer Hp { float hp[]; };

layout(push_constant) uniform Push {
  uint n;
} p;

// Specialization constants (see binary.comp for why not push constants).
layout(constant_id = 0) const uint HAS_BUF = 1u;

void hs_elem(uint i, float lr, float momentum, float wd)
{
  float w = param[i];
  float g = grad[i] + wd * w;
  if (HAS_BUF != 0u) {
    g = momentum * buf[i] + g;
    buf[i] = g;
  }
  param[i] = w - lr * g;
}

void main()
{
  float lr = hp[0], momentum = hp[1], wd = hp[2];
  uint base = hs_elems_base();
  for (uint k = 0u; k < HS_ELEMS; k++) {
    uint i = base + k * gl_WorkGroupSize.x;
    if (i < p.n)
      hs_elem(i, lr, momentum, wd);
  }
}
