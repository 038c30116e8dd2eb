// SPDX-License-Identifier: GPL-3.0-or-later
// The adjoint of im2col as a gather, so no float atomics are needed: every
// element of dx sums the column entries that im2col would have copied it to.
// dcol holds the rows of images first .. first + n - 1; one invocation per
// element of dx in those images.
#version 450
#extension GL_GOOGLE_include_directive : require
// The workgroup size comes before the include: hs_global_index() reads
// gl_WorkGroupSize, which is (1,1,1) until it is declared.
layout(local_size_x = 64, local_size_y = 1, local_size_z = 1) in;
#include "hs-conv-common.glsl"

layout(std430, binding = 0) readonly buffer BufCol { float dcol[]; };
layout(std430, binding = 1) writeonly buffer BufX { float dx[]; };

void main()
{
  uint idx = hs_global_index();
  if (idx >= p.count)
    return;
  uint kcols = p.kh * p.kw * p.c;
  uint ci = idx % p.c;
  uint ix = (idx / p.c) % p.w;
  uint iy = (idx / (p.c * p.w)) % p.h;
  uint img = idx / (p.c * p.w * p.h); // relative to the chunk
  float sum = 0.0;
  for (uint ky = 0u; ky < p.kh; ky++) {
    int ty = int(iy + p.ph) - int(ky);
    if (ty < 0 || uint(ty) % p.sh != 0u)
      continue;
    uint oy = uint(ty) / p.sh;
    if (oy >= p.oh)
      continue;
    for (uint kx = 0u; kx < p.kw; kx++) {
      int tx = int(ix + p.pw) - int(kx);
      if (tx < 0 || uint(tx) % p.sw != 0u)
        continue;
      uint ox = uint(tx) / p.sw;
      if (ox >= p.ow)
        continue;
      uint row = (img * p.oh + oy) * p.ow + ox;
      sum += dcol[row * kcols + (ky * p.kw + kx) * p.c + ci];
    }
  }
  dx[p.first * p.h * p.w * p.c + idx] = sum;
}
