// SPDX-License-Identifier: GPL-3.0-or-later
// GEMM tiled through shared memory, for real GPUs: a 16x16 workgroup stages
// a 64x16 slice of op(A) and a 16x64 slice of op(B) per step and each
// invocation accumulates a 4x4 block of the 64x64 C tile.  The invocation's
// rows and columns are strided by 16 so that neighbouring invocations read
// neighbouring shared-memory words.  Same push constants, specialization
// constants and split-k convention as gemm.comp.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
#include "hs-gemm-common.glsl"

#define BM 64u
#define BN 64u
#define BK 16u

shared float sa[BK][BM + 1u]; // sa[q][r] = A(row0 + r, kk + q)
shared float sb[BK][BN + 1u]; // sb[q][c] = B(kk + q, col0 + c)

void main()
{
  uint z = gl_WorkGroupID.z;
  uint s = z % SPLIT;
  uint k0 = s * p.kc;
  uint k1 = min(p.k, k0 + p.kc);
  uint abase = p.off_a + (z / SPLIT) * p.stride_a;
  uint bbase = p.off_b + (z / SPLIT) * p.stride_b;
  uint cbase = p.off_c + z * p.stride_c;

  uint row0 = gl_WorkGroupID.y * BM;
  uint col0 = gl_WorkGroupID.x * BN;
  uint tx = gl_LocalInvocationID.x;
  uint ty = gl_LocalInvocationID.y;
  uint tid = ty * 16u + tx;

  float acc[4][4];
  for (uint r = 0u; r < 4u; r++)
    for (uint c4 = 0u; c4 < 4u; c4++)
      acc[r][c4] = 0.0;

  // Every invocation reaches every barrier(): out-of-range elements are
  // loaded as zeros rather than skipped.
  for (uint kk = k0; kk < k1; kk += BK) {
    for (uint e = tid; e < BM * BK; e += 256u) {
      uint r, q;
      if (TA) { // A stored k x m: consecutive invocations walk rows
        q = e / BM; r = e % BM;
      } else {  // A stored m x k: consecutive invocations walk k
        r = e / BK; q = e % BK;
      }
      uint gi = row0 + r, gk = kk + q;
      float v = 0.0;
      if (gi < p.m && gk < k1)
        v = a[abase + (TA ? gk * p.lda + gi : gi * p.lda + gk)];
      sa[q][r] = v;
    }
    for (uint e = tid; e < BN * BK; e += 256u) {
      uint cc, q;
      if (TB) { // B stored n x k
        cc = e / BK; q = e % BK;
      } else {  // B stored k x n
        q = e / BN; cc = e % BN;
      }
      uint gj = col0 + cc, gk = kk + q;
      float v = 0.0;
      if (gj < p.n && gk < k1)
        v = b[bbase + (TB ? gj * p.ldb + gk : gk * p.ldb + gj)];
      sb[q][cc] = v;
    }
    barrier();
    for (uint q = 0u; q < BK; q++) {
      float av[4], bv[4];
      for (uint t = 0u; t < 4u; t++) {
        av[t] = sa[q][ty + 16u * t];
        bv[t] = sb[q][tx + 16u * t];
      }
      for (uint r = 0u; r < 4u; r++)
        for (uint c4 = 0u; c4 < 4u; c4++)
          acc[r][c4] += av[r] * bv[c4];
    }
    barrier();
  }

  for (uint r = 0u; r < 4u; r++) {
    uint gi = row0 + ty + 16u * r;
    for (uint c4 = 0u; c4 < 4u; c4++) {
      uint gj = col0 + tx + 16u * c4;
      if (gi < p.m && gj < p.n)
        hs_gemm_store(cbase + gi * p.ldc + gj, gj, acc[r][c4]);
    }
  }
}
