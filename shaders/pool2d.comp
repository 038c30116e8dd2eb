// SPDX-License-Identifier: GPL-3.0-or-later
// 2-D max / average pooling, NHWC, each output element on its own.
// MAX skips padded positions (an all-padding window gives 0); AVG counts them
// as zeros (divisor kh * kw).
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"
#include "hs-kernels.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Y { float y[]; };
layout(std430, set = 0, binding = 1) readonly buffer X { float x[]; };

#include "hs-pool.glsl"

void hs_elem(uint i)
{
  uint ch = i % uint(p.c);
  uint t = i / uint(p.c);
  int ox = int(t % uint(p.ow));
  t /= uint(p.ow);
  int oy = int(t % uint(p.oh));
  uint b = t / uint(p.oh);

  if (TYPE == 0u) {
    float best;
    hs_pool_argmax(b, oy, ox, ch, best);
    y[i] = best;
    return;
  }

  float s = 0.0;
  for (int ky = 0; ky < p.kh; ky++) {
    int iy = oy * p.sh - p.ph + ky;
    if (iy < 0 || iy >= p.h)
      continue;
    for (int kx = 0; kx < p.kw; kx++) {
      int ix = ox * p.sw - p.pw + kx;
      if (ix < 0 || ix >= p.w)
        continue;
      s += x[((b * uint(p.h) + uint(iy)) * uint(p.w) + uint(ix)) * uint(p.c) + ch];
    }
  }
  y[i] = s / float(p.kh * p.kw);
}

void main()
{
  uint base = hs_elems_base();
  for (uint k = 0u; k < HS_ELEMS; k++) {
    uint i = base + k * gl_WorkGroupSize.x;
    if (i < p.total)
      hs_elem(i);
  }
}
