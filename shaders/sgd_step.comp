// SPDX-License-Identifier: GPL-3.0-or-later
// SGD with momentum and weight decay.  The scalars come from the hp buffer,
// [lr, momentum, weight_decay], not from push constants, so a recorded step
// can be resubmitted after the host writes a new learning rate.
//   g = grad + wd * p;  buf = momentum * buf + g;  p -= lr * buf
// Without a momentum buffer (has_buf = 0): p -= lr * g.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"

layout(std430, set = 0, binding = 0) buffer Param { float param[]; };
layout(std430, set = 0, binding = 1) readonly buffer Grad { float grad[]; };
layout(std430, set = 0, binding = 2) buffer Buf { float buf[]; };
layout(std430, set = 0, binding = 3) readonly buffer Hp { float hp[]; };

layout(push_constant) uniform Push {
  uint n;
  uint has_buf;
} p;

void main()
{
  uint i = hs_global_index();
  if (i >= p.n)
    return;
  float lr = hp[0], momentum = hp[1], wd = hp[2];
  float w = param[i];
  float g = grad[i] + wd * w;
  if (p.has_buf != 0u) {
    g = momentum * buf[i] + g;
    buf[i] = g;
  }
  param[i] = w - lr * g;
}
