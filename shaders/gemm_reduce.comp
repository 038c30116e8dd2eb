// SPDX-License-Identifier: GPL-3.0-or-later
// The second half of a split-k GEMM: C[b] = sum of the SPLIT partial
// products (alpha already applied) + beta * C[b], then bias and activation.
// Partials are packed [batch * SPLIT, m, n]; one invocation per element of C.
#version 450
#extension GL_GOOGLE_include_directive : require
// The workgroup size comes before the include: hs_global_index() reads
// gl_WorkGroupSize, which is (1,1,1) until it is declared.
layout(local_size_x = 64, local_size_y = 1, local_size_z = 1) in;
#include "hs-gemm-common.glsl"

layout(std430, binding = 0) readonly buffer BufPartial { float partial[]; };

// Reuses the GEMM push block: m, n; k = batch; off_c, ldc, stride_c for C;
// alpha is 1 here because the partials carry it.
void main()
{
  uint idx = hs_global_index();
  uint mn = p.m * p.n;
  if (idx >= mn * p.k)
    return;
  uint bi = idx / mn;
  uint rem = idx % mn;
  uint i = rem / p.n;
  uint j = rem % p.n;
  float sum = 0.0;
  for (uint s = 0u; s < SPLIT; s++)
    sum += partial[(bi * SPLIT + s) * mn + rem];
  hs_gemm_store(p.off_c + bi * p.stride_c + i * p.ldc + j, j, sum);
}
