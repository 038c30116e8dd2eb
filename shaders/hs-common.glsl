// SPDX-License-Identifier: GPL-3.0-or-later
// Shared helpers for every compute shader.  A 1-D problem larger than
// 65535 workgroups is folded into an x/y grid by hs_vk_grid_1d() on the host;
// hs_global_index() undoes the fold.
//
// Declare the shader's local_size BEFORE including this file: glslang treats
// gl_WorkGroupSize as (1, 1, 1) in code that precedes the declaration, which
// silently breaks hs_global_index().


uint hs_global_index()
{
  return gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x) + gl_GlobalInvocationID.x;
}

// The counter-based hash of backend/compute/hs-random.h, bit for bit.
uint hs_hash32(uint seed, uint index)
{
  uint x = index * 747796405u + seed * 2891336453u + 1u;
  uint word = ((x >> ((x >> 28u) + 4u)) ^ x) * 277803737u;
  return (word >> 22u) ^ word;
}

// GELU, tanh approximation (the same formula as the CPU backend).
float hs_gelu(float x)
{
  const float k = 0.7978845608028654; // sqrt(2/pi)
  float u = k * (x + 0.044715 * x * x * x);
  return 0.5 * x * (1.0 + tanh(u));
}

float hs_gelu_grad(float x)
{
  const float k = 0.7978845608028654;
  float u = k * (x + 0.044715 * x * x * x);
  float t = tanh(u);
  return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * k * (1.0 + 3.0 * 0.044715 * x * x);
}
