// SPDX-License-Identifier: GPL-3.0-or-later
// Adam / AdamW.  The scalars come from the hp buffer,
// [lr, beta1, beta2, eps, weight_decay, t, decoupled], so a recorded step can
// be resubmitted with a new t and learning rate.
//   decoupled: p -= lr * wd * p; else g = grad + wd * p
//   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
//   p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
#version 450
#extension GL_GOOGLE_include_directive : require
layout(local_size_x = 64) in;
#include "hs-common.glsl"
#include "hs-kernels.glsl"

layout(std430, set = 0, binding = 0) buffer Param { float param[]; };
layout(std430, set = 0, binding = 1) readonly buffer Grad { float grad[]; };
layout(std430, set = 0, binding = 2) buffer M { float mom[]; };
layout(std430, set = 0, binding = 3) buffer V { float vel[]; };
layout(std430, set = 0, binding = 4) readonly buffer Hp { float hp[]; };

layout(push_constant) uniform Push {
  uint n;
} p;

// 1 - b^t for a whole step count t, by square-and-multiply on complements:
// with q(k) = 1 - b^k, q(j + k) = q(j) + q(k) - q(j) q(k).  This keeps full
// relative precision where 1 - pow(b, t) would cancel (b = 0.999, small t),
// and GLSL's pow is only as precise as exp2(t * log2(b)).
float hs_one_minus_pow(float b, float t)
{
  uint e = uint(max(t, 0.0) + 0.5);
  float q = 1.0 - b;
  float r = 0.0;
  while (e != 0u) {
    if ((e & 1u) != 0u)
      r = r + q - r * q;
    q = q + q - q * q;
    e >>= 1u;
  }
  return r;
}

void main()
{
  float lr = hp[0], b1 = hp[1], b2 = hp[2], eps = hp[3], wd = hp[4], t = hp[5];
  bool decoupled = hp[6] != 0.0;
  // The bias corrections are the same for every element: once per
  // invocation, shared by its HS_ELEMS elements.
  float bc1 = hs_one_minus_pow(b1, t);
  float bc2 = hs_one_minus_pow(b2, t);

  uint base = hs_elems_base();
  for (uint k = 0u; k < HS_ELEMS; k++) {
    uint i = base + k * gl_WorkGroupSize.x;
    if (i >= p.n)
      break;
    float w = param[i];
    float g = grad[i];
    if (decoupled)
      w -= lr * wd * w;
    else
      g += wd * w;
    float m = b1 * mom[i] + (1.0 - b1) * g;
    float v = b2 * vel[i] + (1.0 - b2) * g * g;
    mom[i] = m;
    vel[i] = v;
    param[i] = w - lr * (m / bc1) / (sqrt(v / bc2) + eps);
  }
}
