// SPDX-License-Identifier: GPL-3.0-or-later
// Batch-norm training statistics, pass 2, one invocation per channel:
// merge the chunks' (mean, M2) in chunk order with Chan's parallel
// formula, add back the shift K = x[0, c] of batchnorm_stats.comp, write save_mean / save_invstd and update the running statistics
// (unbiased variance, var * rows / (rows - 1); with a single row the biased
// one, which is 0, instead of a division by zero).  batchnorm_running.comp
// is the inference counterpart.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer SaveMean { float save_mean[]; };
layout(std430, set = 0, binding = 1) writeonly buffer SaveInvstd { float save_invstd[]; };
layout(std430, set = 0, binding = 2) buffer RunMean { float run_mean[]; };
layout(std430, set = 0, binding = 3) buffer RunVar { float run_var[]; };
layout(std430, set = 0, binding = 4) readonly buffer Part { float part[]; };
layout(std430, set = 0, binding = 5) readonly buffer X { float x[]; };

layout(push_constant) uniform Push {
  uint c;
  uint rows;
  uint chunk;
  uint chunks;
  float momentum;
  float eps;
  uint has_running;  // whether to update the running stats
} p;

void main()
{
  uint ch = hs_global_index();
  if (ch >= p.c)
    return;

  float n = 0.0, mean = 0.0, m2 = 0.0;
  for (uint g = 0u; g < p.chunks; g++) {
    uint i = g * p.c + ch;
    float nb = float(min(p.chunk, p.rows - g * p.chunk));
    float mb = part[2u * i];
    float delta = mb - mean;
    float nab = n + nb;
    mean += delta * (nb / nab);
    m2 += part[2u * i + 1u] + delta * delta * (n * nb / nab);
    n = nab;
  }
  float var = m2 / float(p.rows);
  mean += x[ch];
  save_mean[ch] = mean;
  save_invstd[ch] = 1.0 / sqrt(var + p.eps);
  if (p.has_running != 0u) {
    float unbiased = p.rows > 1u ? var * float(p.rows) / float(p.rows - 1u) : var;
    run_mean[ch] = (1.0 - p.momentum) * run_mean[ch] + p.momentum * mean;
    run_var[ch] = (1.0 - p.momentum) * run_var[ch] + p.momentum * unbiased;
  }
}
