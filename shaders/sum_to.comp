// SPDX-License-Identifier: GPL-3.0-or-later
// The inverse of broadcasting: out[j] = scale * sum of in over the reduced
// dims.  Output index j names the kept coordinates (reduced dims have size 1
// in `odims`), reduced index r the reduced ones (kept dims have size 1 in
// `rdims`), so the input coordinate is simply their sum.
//
// A large reduction is split into `chunks` ranges of r so the GPU has enough
// invocations: invocation (g, j) writes its partial sum to part[g * out_n + j]
// and colsum.comp adds the partials in order (deterministic, no atomics).
// With one chunk the invocation writes scale * sum straight to out.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"
#include "hs-kernels.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Out { float y[]; };
layout(std430, set = 0, binding = 1) readonly buffer In { float x[]; };

layout(push_constant) uniform Push {
  uvec4 odims;
  uvec4 rdims;
  uvec4 istride;
  uint out_n;
  uint r_n;       // number of reduced elements per output
  uint chunk;     // reduced elements per partial sum
  uint chunks;
  float scale;    // applied only when chunks == 1
} p;

// The input layout, a specialization constant: 1 when the reduced dims all
// precede the kept ones (in is [r_n, out_n], e.g. a bias gradient), 2 when
// they all follow (in is [out_n, r_n], row sums), 0 for anything else.  The
// first two skip the per-element unravel, whose integer divisions dominate
// on lavapipe.
layout(constant_id = 0) const uint LAYOUT = 0u;

void main()
{
  uint i = hs_global_index();
  if (i >= p.out_n * p.chunks)
    return;
  uint j = i % p.out_n;
  uint g = i / p.out_n;
  uint r0 = g * p.chunk;
  uint r1 = min(r0 + p.chunk, p.r_n);
  float s = 0.0;

  if (LAYOUT == 1u) {
    for (uint r = r0; r < r1; r++)
      s += x[r * p.out_n + j];
  } else if (LAYOUT == 2u) {
    for (uint r = r0; r < r1; r++)
      s += x[j * p.r_n + r];
  } else {
    uvec4 oc = hs_unravel4(j, p.odims);
    uint base = oc.x * p.istride.x + oc.y * p.istride.y + oc.z * p.istride.z + oc.w * p.istride.w;
    for (uint r = r0; r < r1; r++) {
      uvec4 rc = hs_unravel4(r, p.rdims);
      s += x[base + rc.x * p.istride.x + rc.y * p.istride.y + rc.z * p.istride.z + rc.w * p.istride.w];
    }
  }
  y[i] = p.chunks == 1u ? p.scale * s : s;
}
