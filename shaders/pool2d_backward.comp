// SPDX-License-Identifier: GPL-3.0-or-later
// Pooling backward as a gather: each input element sums dy over
// the windows that contain it, so no two invocations write the same dx and no
// float atomics are needed.  For MAX a window contributes only when its
// argmax (from pool2d_argmax.comp) is this element; for AVG every window
// contributes dy / (kh * kw).
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"
#include "hs-kernels.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Dx { float dx[]; };
layout(std430, set = 0, binding = 1) readonly buffer Dy { float dy[]; };
layout(std430, set = 0, binding = 2) readonly buffer Arg { int arg[]; };
#define HS_POOL_NO_X
#include "hs-pool.glsl"

void hs_elem(uint i)
{
  uint ch = i % uint(p.c);
  uint t = i / uint(p.c);
  int ix = int(t % uint(p.w));
  t /= uint(p.w);
  int iy = int(t % uint(p.h));
  uint b = t / uint(p.h);

  // Windows oy with oy*sh - ph <= iy < oy*sh - ph + kh.
  int ly = iy + p.ph - p.kh + 1;
  int lx = ix + p.pw - p.kw + 1;
  int oy0 = ly <= 0 ? 0 : (ly + p.sh - 1) / p.sh;
  int ox0 = lx <= 0 ? 0 : (lx + p.sw - 1) / p.sw;
  int oy1 = min(p.oh - 1, (iy + p.ph) / p.sh);
  int ox1 = min(p.ow - 1, (ix + p.pw) / p.sw);
  float inv = 1.0 / float(p.kh * p.kw);

  float s = 0.0;
  for (int oy = oy0; oy <= oy1; oy++) {
    for (int ox = ox0; ox <= ox1; ox++) {
      uint o = ((b * uint(p.oh) + uint(oy)) * uint(p.ow) + uint(ox)) * uint(p.c) + ch;
      if (TYPE == 0u) {
        int k = (iy + p.ph - oy * p.sh) * p.kw + (ix + p.pw - ox * p.sw);
        if (arg[o] == k)
          s += dy[o];
      } else {
        s += dy[o] * inv;
      }
    }
  }
  dx[i] = s;
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
