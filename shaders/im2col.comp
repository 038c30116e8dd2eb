// SPDX-License-Identifier: GPL-3.0-or-later
// col[row - first][q] = x[image, oy*sh - ph + ky, ox*sw - pw + kx, ci], zero
// outside the image; one invocation per element of the chunk's rows.
#version 450
#extension GL_GOOGLE_include_directive : require
// The workgroup size comes before the include: hs_global_index() reads
// gl_WorkGroupSize, which is (1,1,1) until it is declared.
layout(local_size_x = 64, local_size_y = 1, local_size_z = 1) in;
#include "hs-conv-common.glsl"

layout(std430, binding = 0) readonly buffer BufX { float x[]; };
layout(std430, binding = 1) writeonly buffer BufCol { float col[]; };

void main()
{
  uint idx = hs_global_index();
  if (idx >= p.count)
    return;
  uint kcols = p.kh * p.kw * p.c;
  uint row = p.first + idx / kcols;
  uint q = idx % kcols;
  uint ci = q % p.c;
  uint kx = (q / p.c) % p.kw;
  uint ky = q / (p.c * p.kw);
  uint ox = row % p.ow;
  uint oy = (row / p.ow) % p.oh;
  uint img = row / (p.ow * p.oh);
  int iy = int(oy * p.sh + ky) - int(p.ph);
  int ix = int(ox * p.sw + kx) - int(p.pw);
  float v = 0.0;
  if (iy >= 0 && iy < int(p.h) && ix >= 0 && ix < int(p.w))
    v = x[((img * p.h + uint(iy)) * p.w + uint(ix)) * p.c + ci];
  col[idx] = v;
}
