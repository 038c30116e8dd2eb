// SPDX-License-Identifier: GPL-3.0-or-later
// Softmax cross-entropy, one invocation per row of logits [rows, C]:
// probs = softmax(logits) and loss = log(sum exp(x - max)) + max - x[label],
// the log-sum-exp form, which stays finite when the label's probability
// underflows.  A label outside [0, C) (the ops validate them on the host)
// gives a NaN loss instead of an out-of-bounds read.
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"

layout(std430, set = 0, binding = 0) writeonly buffer Loss { float loss[]; };
layout(std430, set = 0, binding = 1) buffer Probs { float probs[]; };
layout(std430, set = 0, binding = 2) readonly buffer Logits { float x[]; };
layout(std430, set = 0, binding = 3) readonly buffer Labels { int labels[]; };

layout(push_constant) uniform Push {
  uint rows;
  uint c;
} p;

void main()
{
  uint r = hs_global_index();
  if (r >= p.rows)
    return;
  uint base = r * p.c;

  float m = x[base];
  for (uint k = 1u; k < p.c; k++)
    m = max(m, x[base + k]);
  float s = 0.0;
  for (uint k = 0u; k < p.c; k++) {
    float e = exp(x[base + k] - m);
    probs[base + k] = e;
    s += e;
  }
  for (uint k = 0u; k < p.c; k++)
    probs[base + k] = probs[base + k] / s;

  int label = labels[r];
  if (label < 0 || uint(label) >= p.c)
    loss[r] = uintBitsToFloat(0x7fc00000u);
  else
    loss[r] = log(s) + m - x[base + uint(label)];
}
