// SPDX-License-Identifier: GPL-3.0-or-later
// GEMM without shared memory: every invocation keeps a 4x4 block of C in
// registers and streams its rows of op(A) and columns of op(B) from the
// buffers.  On a CPU Vulkan driver (lavapipe) barriers are expensive and
// "shared" memory is ordinary memory, so this beats the tiled kernel there.
//
// C[z] = alpha * op(A)[b] op(B)[b] + beta * C[z] (+ bias, activation), with
// b = z / SPLIT and s = z % SPLIT: when SPLIT > 1 the k range is cut into
// SPLIT pieces of kc and every piece writes its own partial product (beta = 0,
// no epilogue); gemm_reduce.comp adds them up.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z = 1) in;
#include "hs-gemm-common.glsl"

layout(std430, binding = 0) readonly buffer BufA4 { vec4 a4[]; };
layout(std430, binding = 1) readonly buffer BufB4 { vec4 b4[]; };

void main()
{
  uint z = gl_WorkGroupID.z;
  uint s = z % SPLIT;
  uint k0 = s * p.kc;
  uint k1 = min(p.k, k0 + p.kc);
  uint abase = p.off_a + (z / SPLIT) * p.stride_a;
  uint bbase = p.off_b + (z / SPLIT) * p.stride_b;
  uint cbase = p.off_c + z * p.stride_c;

  // x walks columns so that neighbouring lanes load neighbouring vec4s of B
  // and store neighbouring vec4s of C; all lanes of a row share A's loads.
  uint i0 = gl_GlobalInvocationID.y * 4u;
  uint j0 = gl_GlobalInvocationID.x * 4u;
  if (i0 >= p.m || j0 >= p.n)
    return; // no barriers in this shader, so leaving early is fine

  vec4 acc[4] = vec4[4](vec4(0.0), vec4(0.0), vec4(0.0), vec4(0.0));

  if (ALIGNED) {
    // m, n, k, kc, the leading dimensions and the offsets are multiples of 4,
    // so every 4x4 block is inside the matrices and vec4-aligned.
    for (uint kk = k0; kk < k1; kk += 4u) {
      mat4 ab; // ab[q] = column q of the block = A(i0..i0+3, kk+q)
      mat4 bb; // bb[q] = row q of the block = B(kk+q, j0..j0+3)
      if (TA) {
        for (uint q = 0u; q < 4u; q++)
          ab[q] = a4[(abase + (kk + q) * p.lda + i0) / 4u];
      } else {
        mat4 t;
        for (uint r = 0u; r < 4u; r++)
          t[r] = a4[(abase + (i0 + r) * p.lda + kk) / 4u];
        ab = transpose(t);
      }
      if (TB) {
        mat4 t;
        for (uint c = 0u; c < 4u; c++)
          t[c] = b4[(bbase + (j0 + c) * p.ldb + kk) / 4u];
        bb = transpose(t);
      } else {
        for (uint q = 0u; q < 4u; q++)
          bb[q] = b4[(bbase + (kk + q) * p.ldb + j0) / 4u];
      }
      for (uint r = 0u; r < 4u; r++)
        acc[r] += ab[0][r] * bb[0] + ab[1][r] * bb[1] + ab[2][r] * bb[2] + ab[3][r] * bb[3];
    }
  } else {
    // Rows and columns past the edge are clamped onto the last valid one:
    // their loads stay in bounds, and their results are never stored.
    uint ri[4], cj[4];
    for (uint t = 0u; t < 4u; t++) {
      ri[t] = min(i0 + t, p.m - 1u);
      cj[t] = min(j0 + t, p.n - 1u);
    }
    for (uint kk = k0; kk < k1; kk++) {
      vec4 av, bv;
      for (uint t = 0u; t < 4u; t++) {
        av[t] = a[abase + (TA ? kk * p.lda + ri[t] : ri[t] * p.lda + kk)];
        bv[t] = b[bbase + (TB ? cj[t] * p.ldb + kk : kk * p.ldb + cj[t])];
      }
      for (uint r = 0u; r < 4u; r++)
        acc[r] += av[r] * bv;
    }
  }

  for (uint r = 0u; r < 4u; r++) {
    if (i0 + r >= p.m)
      break;
    for (uint c = 0u; c < 4u; c++) {
      if (j0 + c < p.n)
        hs_gemm_store(cbase + (i0 + r) * p.ldc + j0 + c, j0 + c, acc[r][c]);
    }
  }
}
