// SPDX-License-Identifier: GPL-3.0-or-later
// Batch-norm statistics in inference: save_mean = running_mean and
// save_invstd = 1 / sqrt(running_var + eps), one invocation per channel.
// Separate from batchnorm_finalize.comp so the running statistics are bound
// read-only here: a shader that could store to a binding counts as writing
// it for synchronization, whatever its flags say.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer SaveMean { float save_mean[]; };
layout(std430, set = 0, binding = 1) writeonly buffer SaveInvstd { float save_invstd[]; };
layout(std430, set = 0, binding = 2) readonly buffer RunMean { float run_mean[]; };
layout(std430, set = 0, binding = 3) readonly buffer RunVar { float run_var[]; };

layout(push_constant) uniform Push {
  uint c;
  float eps;
} p;

void main()
{
  uint ch = hs_global_index();
  if (ch >= p.c)
    return;
  save_mean[ch] = run_mean[ch];
  save_invstd[ch] = 1.0 / sqrt(run_var[ch] + p.eps);
}
