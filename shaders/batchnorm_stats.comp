// SPDX-License-Identifier: GPL-3.0-or-later
// Batch-norm training statistics, pass 1: invocation (g, c) covers rows
// [g * chunk, (g + 1) * chunk) of channel c and writes that chunk's mean and
// sum of squared deviations (M2) to part[2 * (g * C + c) + {0, 1}].
// Every chunk works on x - K with K = x[0, c], the channel's first value, so
// the sums stay small and exact enough when |mean| >> stddev (activations
// far from 0); the mean written is that of x - K.  Two passes over the chunk
// keep M2 accurate where E[x^2] - E[x]^2 would cancel.  Adjacent invocations
// read adjacent channels of the same row.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Part { float part[]; };
layout(std430, set = 0, binding = 1) readonly buffer X { float x[]; };

layout(push_constant) uniform Push {
  uint c;
  uint rows;
  uint chunk;
  uint chunks;
} p;

void main()
{
  uint i = hs_global_index();
  if (i >= p.c * p.chunks)
    return;
  uint ch = i % p.c;
  uint g = i / p.c;
  uint r0 = g * p.chunk;
  uint r1 = min(r0 + p.chunk, p.rows);

  float k = x[ch];
  float s = 0.0;
  for (uint r = r0; r < r1; r++)
    s += x[r * p.c + ch] - k;
  float mean = s / float(r1 - r0);
  float m2 = 0.0;
  for (uint r = r0; r < r1; r++) {
    float d = (x[r * p.c + ch] - k) - mean;
    m2 += d * d;
  }
  part[2u * i] = mean;
  part[2u * i + 1u] = m2;
}
