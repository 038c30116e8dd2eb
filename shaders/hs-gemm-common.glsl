// SPDX-License-Identifier: GPL-3.0-or-later
// What gemm.comp, gemm_tiled.comp and gemm_reduce.comp share: the push
// constants built by hs-vulkan-gemm.c, the specialization constants that pick
// a variant, and the epilogue (beta, bias, activation).
#include "hs-common.glsl"

// 0 and 1 are the workgroup size where a shader takes it from the host.
layout(constant_id = 2) const bool ALIGNED = false; // vec4 paths are valid
layout(constant_id = 3) const bool TA = false;
layout(constant_id = 4) const bool TB = false;
layout(constant_id = 5) const bool BIAS = false;    // add bias[column]
layout(constant_id = 6) const uint ACT = 0u;        // HsAct: 0 none, 1 relu, 2 gelu
layout(constant_id = 7) const uint SPLIT = 1u;      // k split into this many partials

// Offsets, leading dimensions and batch strides count floats from the start
// of each binding.
layout(push_constant) uniform Push {
  uint m, n, k;
  uint lda, ldb, ldc;
  uint off_a, off_b, off_c;
  uint stride_a, stride_b, stride_c;
  uint kc;       // k per split
  uint off_bias; // bias[off_bias + column]
  float alpha, beta;
} p;

layout(std430, binding = 0) readonly buffer BufA { float a[]; };
layout(std430, binding = 1) readonly buffer BufB { float b[]; };
layout(std430, binding = 2) buffer BufC { float c[]; };
layout(std430, binding = 3) readonly buffer BufBias { float bias[]; };

float hs_act(float v)
{
  if (ACT == 1u)
    return max(v, 0.0);
  if (ACT == 2u)
    return hs_gelu(v);
  return v;
}

// alpha = 0 must not let NaN or Inf from A or B through, as in BLAS; beta = 0
// must not read C, which may be uninitialised.
void hs_gemm_store(uint index, uint column, float acc)
{
  float v = p.alpha == 0.0 ? 0.0 : p.alpha * acc;
  if (p.beta != 0.0)
    v += p.beta * c[index];
  if (BIAS)
    v += bias[p.off_bias + column];
  c[index] = hs_act(v);
}
