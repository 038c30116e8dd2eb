// SPDX-License-Identifier: GPL-3.0-or-later
// Cosine-similarity backward, one invocation per row.  With na = |a|,
// ma = max(na, eps) (likewise for b) and out = a.b / (ma * mb):
//   da = dout * (b / (ma * mb) - out * a / na^2)
// where the second term exists only while na > eps (below it ma is the
// constant eps).  db is symmetric.  da and db are each optional.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Da { float da[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Db { float db[]; };
layout(std430, set = 0, binding = 2) readonly buffer Dout { float dout[]; };
layout(std430, set = 0, binding = 3) readonly buffer A { float a[]; };
layout(std430, set = 0, binding = 4) readonly buffer B { float b[]; };

layout(push_constant) uniform Push {
  uint rows;
  uint d;
  float eps;
  uint has_da;
  uint has_db;
} p;

void main()
{
  uint r = hs_global_index();
  if (r >= p.rows)
    return;
  uint base = r * p.d;
  float ab = 0.0, aa = 0.0, bb = 0.0;
  for (uint k = 0u; k < p.d; k++) {
    float va = a[base + k], vb = b[base + k];
    ab += va * vb;
    aa += va * va;
    bb += vb * vb;
  }
  float na = sqrt(aa), nb = sqrt(bb);
  float inv = 1.0 / (max(na, p.eps) * max(nb, p.eps));
  float out_ = ab * inv;
  float g = dout[r];
  // Coefficients of the self terms; 0 where the norm is clamped to eps.
  float ka = na > p.eps ? out_ / aa : 0.0;
  float kb = nb > p.eps ? out_ / bb : 0.0;
  for (uint k = 0u; k < p.d; k++) {
    float va = a[base + k], vb = b[base + k];
    if (p.has_da != 0u)
      da[base + k] = g * (vb * inv - ka * va);
    if (p.has_db != 0u)
      db[base + k] = g * (va * inv - kb * vb);
  }
}
