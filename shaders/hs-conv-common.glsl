// SPDX-License-Identifier: GPL-3.0-or-later
// The convolution geometry that im2col.comp and col2im.comp share (HsConvGeom,
// NHWC), pushed by hs-vulkan-conv.c.  The column matrix has one row per
// output pixel (image, oy, ox) and one column per (ky, kx, ci), the same
// order as the weights [oc, kh, kw, c].
#include "hs-common.glsl"

layout(push_constant) uniform Push {
  uint h, w, c;
  uint kh, kw;
  uint sh, sw, ph, pw;
  uint oh, ow;
  uint first;  // im2col: first column row; col2im: first image
  uint count;  // invocations that do work
} p;
