// SPDX-License-Identifier: GPL-3.0-or-later
// The push constants of the pooling kernels: HsConvGeom, NHWC, and the pool
// type as a specialization constant (0 = MAX, 1 = AVG).  Each invocation
// takes HS_ELEMS elements (hs-kernels.glsl).  Define HS_POOL_NO_X before
// including this in a kernel that has no x binding.

layout(push_constant) uniform Push {
  int n, h, w, c;
  int kh, kw, sh, sw;
  int ph, pw, oh, ow;
  uint total;   // elements this dispatch covers
} p;

layout(constant_id = 0) const uint TYPE = 0u;

#ifndef HS_POOL_NO_X
// Index of window element (ky, kx) of output (b, oy, ox, ch) holding the
// maximum, or -1 when the whole window lies in the padding.  Padded positions
// are skipped and the first maximum in window order wins, as the contract
// requires; the strict > keeps NaNs from displacing a found maximum.
int hs_pool_argmax(uint b, int oy, int ox, uint ch, out float best)
{
  int arg = -1;
  best = 0.0;
  for (int ky = 0; ky < p.kh; ky++) {
    int iy = oy * p.sh - p.ph + ky;
    if (iy < 0 || iy >= p.h)
      continue;
    for (int kx = 0; kx < p.kw; kx++) {
      int ix = ox * p.sw - p.pw + kx;
      if (ix < 0 || ix >= p.w)
        continue;
      float v = x[((b * uint(p.h) + uint(iy)) * uint(p.w) + uint(ix)) * uint(p.c) + ch];
      if (arg < 0 || v > best) {
        best = v;
        arg = ky * p.kw + kx;
      }
    }
  }
  return arg;
}
#endif
