// SPDX-License-Identifier: GPL-3.0-or-later
// Batch-norm backward, pass 2, one invocation per channel: add the chunks'
// sums in order into dbeta = sum dy' and dgamma = sum dy' * xhat, and turn
// them into per-channel coefficients so that pass 3 reads one small buffer:
//   dx = A * dy' + B * (x - mean) + K, coef[4c..4c+3] = (A, B, mean, K)
// Training: dx = gamma * invstd * (dy' - dbeta / N - xhat * dgamma / N), so
//   A = gamma * invstd, B = -A * invstd * dgamma / N, K = -A * dbeta / N.
// Inference treats mean and invstd as constants: B = K = 0.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Coef { float coef[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Dgamma { float dgamma[]; };
layout(std430, set = 0, binding = 2) writeonly buffer Dbeta { float dbeta[]; };
layout(std430, set = 0, binding = 3) readonly buffer Part { float part[]; };
layout(std430, set = 0, binding = 4) readonly buffer Gamma { float gamma[]; };
layout(std430, set = 0, binding = 5) readonly buffer Mean { float mean[]; };
layout(std430, set = 0, binding = 6) readonly buffer Invstd { float invstd[]; };

layout(push_constant) uniform Push {
  uint c;
  uint rows;
  uint chunks;
  uint training;
  uint has_gamma;
  uint has_dgamma;
  uint has_dbeta;
} p;

void main()
{
  uint ch = hs_global_index();
  if (ch >= p.c)
    return;
  float s = 0.0, sx = 0.0;
  for (uint g = 0u; g < p.chunks; g++) {
    uint i = g * p.c + ch;
    s += part[2u * i];
    sx += part[2u * i + 1u];
  }
  if (p.has_dgamma != 0u)
    dgamma[ch] = sx;
  if (p.has_dbeta != 0u)
    dbeta[ch] = s;

  float is = invstd[ch];
  float a = (p.has_gamma != 0u ? gamma[ch] : 1.0) * is;
  float n = float(p.rows);
  coef[4u * ch] = a;
  coef[4u * ch + 1u] = p.training != 0u ? -a * is * sx / n : 0.0;
  coef[4u * ch + 2u] = mean[ch];
  coef[4u * ch + 3u] = p.training != 0u ? -a * s / n : 0.0;
}
