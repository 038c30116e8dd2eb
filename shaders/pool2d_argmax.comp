// SPDX-License-Identifier: GPL-3.0-or-later
// First pass of max-pool backward: the window position of each output's
// maximum (ky * kw + kx, or -1), recomputed from x.  Stored as int in an f32
// scratch tensor; pool2d_backward.comp reads it back as int.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"
#include "hs-kernels.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Arg { int arg[]; };
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
  float best;
  arg[i] = hs_pool_argmax(b, oy, ox, ch, best);
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
