/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Direct convolution for layers with very few input channels (the RGB stem
 * of a CNN: c = 3, so kh*kw*c = 27).
 *
 * There im2col + GEMM is a poor fit: the col matrix is 9x the size of the
 * input, written once and read once, while the product itself does only
 * 27 multiply-adds per output element; OpenBLAS spends its time packing.
 * Here the input is copied once into a zero-padded buffer (so the inner loops
 * have no bounds checks) and each output pixel's oc channels are held in one
 * or two SIMD registers: the forward pass broadcasts input values against
 * rows of Wᵀ, and the weight gradient accumulates outer products of input
 * values with dY rows, a block of kernel positions at a time kept in
 * registers.
 */
#define G_LOG_DOMAIN "hs-cpu"

#include "hs-cpu-private.h"

#include <omp.h>

#if defined(__AVX512F__)
#define HS_VEC 16
#elif defined(__AVX__)
#define HS_VEC 8
#else
#define HS_VEC 4
#endif

typedef float HsVec __attribute__ ((vector_size (HS_VEC * sizeof (float))));

/* Output pixels per register block in the forward pass, and kernel
 * positions per block in the weight gradient.  With OCV vectors per pixel,
 * HS_DIRECT_PIXELS * OCV accumulators stay in registers (16 of 32 zmm; 8 of
 * 16 ymm).  K = kh*kw*c is a multiple of 9 for 3x3 kernels. */
#define HS_DIRECT_PIXELS 8
#define HS_DIRECT_KBLOCK 9
/* Largest kh*kw*c handled here. */
#define HS_DIRECT_MAX_K 64

static inline HsVec
hs_vload (const float *p)
{
  HsVec v;
  memcpy (&v, p, sizeof v);
  return v;
}

static inline void
hs_vstore (float *p, HsVec v)
{
  memcpy (p, &v, sizeof v);
}

gboolean
hs_cpu_conv_direct_supported (const HsConvGeom *g)
{
  gsize k = (gsize) g->kh * g->kw * g->c;
  gint ocv = g->oc / HS_VEC;

  if (g->c > 4 || k > HS_DIRECT_MAX_K || g->oc % HS_VEC != 0)
    return FALSE;
  /* Two vectors per pixel keep 16 accumulators plus operands in registers
   * only with 32 of them (AVX-512). */
  return ocv == 1 || (ocv == 2 && HS_VEC == 16);
}

/* Padded input geometry: every position any window reads. */
typedef struct {
  gsize hp, wp;
  gsize k, kpad;
  gint off[HS_DIRECT_MAX_K + HS_DIRECT_KBLOCK]; /* padded-image offset of each (ky, kx, ci) */
} HsDirectLayout;

static void
hs_direct_layout (const HsConvGeom *g, HsDirectLayout *l)
{
  gsize i = 0;

  l->hp = (gsize) (g->oh - 1) * g->sh + g->kh;
  l->wp = (gsize) (g->ow - 1) * g->sw + g->kw;
  l->k = (gsize) g->kh * g->kw * g->c;
  l->kpad = (l->k + HS_DIRECT_KBLOCK - 1) / HS_DIRECT_KBLOCK * HS_DIRECT_KBLOCK;
  for (gint ky = 0; ky < g->kh; ky++)
    for (gint kx = 0; kx < g->kw; kx++)
      for (gint ci = 0; ci < g->c; ci++)
        l->off[i++] = (gint) (((gsize) ky * l->wp + kx) * g->c + ci);
  /* Dummy positions that pad K to whole blocks read a valid element; their
   * sums are never used. */
  for (; i < l->kpad; i++)
    l->off[i] = 0;
}

/* xp = x zero-padded to [n, hp, wp, c], rows split across the team. */
static void
hs_direct_pad (const HsConvGeom *g, const HsDirectLayout *l, const float *x, float *xp, gint nt)
{
  gsize rows = (gsize) g->n * l->hp, c = g->c;

#pragma omp parallel for num_threads (nt) schedule (static)
  for (gsize r = 0; r < rows; r++)
    {
      gsize b = r / l->hp;
      gint iy = (gint) (r % l->hp) - g->ph;
      float *dst = xp + r * l->wp * c;
      gint ix0 = MIN (g->pw, (gint) l->wp), ix1 = MIN ((gint) l->wp, g->w + g->pw);

      if (iy < 0 || iy >= g->h)
        {
          memset (dst, 0, l->wp * c * sizeof (float));
          continue;
        }
      memset (dst, 0, ix0 * c * sizeof (float));
      if (ix1 > ix0)
        memcpy (dst + ix0 * c, x + ((b * g->h + iy) * g->w + (ix0 - g->pw)) * c,
                (ix1 - ix0) * c * sizeof (float));
      if ((gint) l->wp > MAX (ix1, ix0))
        memset (dst + MAX (ix1, ix0) * c, 0, (l->wp - MAX (ix1, ix0)) * c * sizeof (float));
    }
}

/* One output row (b, oy): y[b, oy, :, :] = conv, before bias/act.
 * np pixels starting at ox (np <= HS_DIRECT_PIXELS), ocv vectors each. */
static inline __attribute__ ((always_inline)) void
hs_direct_fwd_block (const float *src, gsize pstride, const float *wt, const gint *off,
                     gsize k, float *out, gint np, gint ocv, gint oc)
{
  HsVec acc[HS_DIRECT_PIXELS][2];

#pragma GCC unroll 8
  for (gint p = 0; p < HS_DIRECT_PIXELS; p++)
    acc[p][0] = acc[p][1] = (HsVec) { 0 };

  for (gsize i = 0; i < k; i++)
    {
      const float *s = src + off[i];
      HsVec w0 = hs_vload (wt + i * oc);
      HsVec w1 = ocv > 1 ? hs_vload (wt + i * oc + HS_VEC) : w0;

#pragma GCC unroll 8
      for (gint p = 0; p < HS_DIRECT_PIXELS; p++)
        if (p < np)
          {
            float v = s[p * pstride];
            acc[p][0] += v * w0;
            if (ocv > 1)
              acc[p][1] += v * w1;
          }
    }

#pragma GCC unroll 8
  for (gint p = 0; p < HS_DIRECT_PIXELS; p++)
    if (p < np)
      {
        hs_vstore (out + p * oc, acc[p][0]);
        if (ocv > 1)
          hs_vstore (out + p * oc + HS_VEC, acc[p][1]);
      }
}

static void
hs_direct_fwd_row (const HsConvGeom *g, const HsDirectLayout *l, const float *xp,
                   const float *wt, float *y, gsize b, gint oy)
{
  gsize c = g->c, pstride = (gsize) g->sw * c;
  const float *row = xp + ((b * l->hp + (gsize) oy * g->sh) * l->wp) * c;
  float *out = y + ((b * g->oh + oy) * (gsize) g->ow) * g->oc;
  gint ocv = g->oc / HS_VEC;
  gint ox = 0;

  /* Constant ocv and np let the compiler keep acc in registers. */
  for (; ox + HS_DIRECT_PIXELS <= g->ow; ox += HS_DIRECT_PIXELS)
    {
      if (ocv == 1)
        hs_direct_fwd_block (row + ox * pstride, pstride, wt, l->off, l->k, out + (gsize) ox * g->oc,
                             HS_DIRECT_PIXELS, 1, HS_VEC);
      else
        hs_direct_fwd_block (row + ox * pstride, pstride, wt, l->off, l->k, out + (gsize) ox * g->oc,
                             HS_DIRECT_PIXELS, 2, 2 * HS_VEC);
    }
  for (; ox < g->ow; ox++)
    {
      if (ocv == 1)
        hs_direct_fwd_block (row + ox * pstride, pstride, wt, l->off, l->k, out + (gsize) ox * g->oc,
                             1, 1, HS_VEC);
      else
        hs_direct_fwd_block (row + ox * pstride, pstride, wt, l->off, l->k, out + (gsize) ox * g->oc,
                             1, 2, 2 * HS_VEC);
    }
}

void
hs_cpu_conv2d_direct (HsDevice *dev, const HsConvGeom *g, float *y, const float *x,
                      const float *w, const float *bias, HsAct act, gint nt)
{
  HsDirectLayout l;
  gsize xp_floats, out_rows = (gsize) g->n * g->oh;
  float *xp, *wt;

  hs_direct_layout (g, &l);
  xp_floats = hs_cpu_round_floats ((gsize) g->n * l.hp * l.wp * g->c);
  xp = hs_cpu_scratch (dev, HS_CPU_SCRATCH_COL,
                       (xp_floats + l.k * g->oc) * sizeof (float));
  if (xp == NULL)
    return;
  wt = xp + xp_floats;

  /* Wᵀ: [k, oc], so one kernel position's weights for all outputs are
   * one vector load. */
  for (gint o = 0; o < g->oc; o++)
    for (gsize i = 0; i < l.k; i++)
      wt[i * g->oc + o] = w[(gsize) o * l.k + i];
  hs_direct_pad (g, &l, x, xp, nt);

#pragma omp parallel for num_threads (nt) schedule (dynamic, 4)
  for (gsize r = 0; r < out_rows; r++)
    {
      gsize b = r / g->oh;
      gint oy = r % g->oh;
      float *out = y + r * g->ow * g->oc;

      hs_direct_fwd_row (g, &l, xp, wt, y, b, oy);
      if (bias != NULL || act != HS_ACT_NONE)
        hs_cpu_bias_act_rows (out, out, bias, g->ow, g->oc, act);
    }
}

/* acc[kk] += x(pixel, kb + kk) * dy(pixel) over the pixels of one output
 * row, for one block of kernel positions; ocv vectors per dy row. */
static inline __attribute__ ((always_inline)) void
hs_direct_bwd_block (const float *row, gsize pstride, const float *dyrow, gint ow,
                     const gint *off, float *part, gint ocv, gint oc)
{
  HsVec acc[HS_DIRECT_KBLOCK][2];

  /* The row's sums start from zero and are added to part at the end: a
   * two-level sum, more accurate than one running float sum over every
   * pixel of the batch. */
#pragma GCC unroll 9
  for (gint kk = 0; kk < HS_DIRECT_KBLOCK; kk++)
    acc[kk][0] = acc[kk][1] = (HsVec) { 0 };

  for (gint ox = 0; ox < ow; ox++)
    {
      const float *s = row + ox * pstride;
      HsVec d0 = hs_vload (dyrow + (gsize) ox * oc);
      HsVec d1 = ocv > 1 ? hs_vload (dyrow + (gsize) ox * oc + HS_VEC) : d0;

#pragma GCC unroll 9
      for (gint kk = 0; kk < HS_DIRECT_KBLOCK; kk++)
        {
          float v = s[off[kk]];
          acc[kk][0] += v * d0;
          if (ocv > 1)
            acc[kk][1] += v * d1;
        }
    }

#pragma GCC unroll 9
  for (gint kk = 0; kk < HS_DIRECT_KBLOCK; kk++)
    {
      hs_vstore (part + kk * oc, hs_vload (part + kk * oc) + acc[kk][0]);
      if (ocv > 1)
        hs_vstore (part + kk * oc + HS_VEC, hs_vload (part + kk * oc + HS_VEC) + acc[kk][1]);
    }
}

void
hs_cpu_conv2d_backward_filter_direct (HsDevice *dev, const HsConvGeom *g, float *dw,
                                      const float *dy, const float *x, gint nt)
{
  HsDirectLayout l;
  gsize xp_floats, out_rows = (gsize) g->n * g->oh, part_floats;
  gsize c = g->c, pstride = (gsize) g->sw * c, oc = g->oc;
  gint ocv = g->oc / HS_VEC;
  float *xp, *partials;

  hs_direct_layout (g, &l);
  xp_floats = hs_cpu_round_floats ((gsize) g->n * l.hp * l.wp * c);
  part_floats = hs_cpu_round_floats (l.kpad * oc);
  xp = hs_cpu_scratch (dev, HS_CPU_SCRATCH_COL, xp_floats * sizeof (float));
  partials = hs_cpu_scratch (dev, HS_CPU_SCRATCH_PARTIAL, part_floats * nt * sizeof (float));
  if (xp == NULL || partials == NULL)
    return;
  hs_direct_pad (g, &l, x, xp, nt);

#pragma omp parallel num_threads (nt)
  {
    float *part = partials + part_floats * omp_get_thread_num ();

    memset (part, 0, l.kpad * oc * sizeof (float));
#pragma omp for schedule (dynamic, 4)
    for (gsize r = 0; r < out_rows; r++)
      {
        gsize b = r / g->oh;
        gint oy = r % g->oh;
        const float *row = xp + ((b * l.hp + (gsize) oy * g->sh) * l.wp) * c;
        const float *dyrow = dy + r * g->ow * oc;

        for (gsize kb = 0; kb < l.kpad; kb += HS_DIRECT_KBLOCK)
          {
            if (ocv == 1)
              hs_direct_bwd_block (row, pstride, dyrow, g->ow, l.off + kb, part + kb * oc, 1,
                                   HS_VEC);
            else
              hs_direct_bwd_block (row, pstride, dyrow, g->ow, l.off + kb, part + kb * oc, 2,
                                   2 * HS_VEC);
          }
      }

    /* dw [oc, k] = Σ over threads of part [k, oc]ᵀ (the for's barrier has
     * made every partial complete). */
#pragma omp for schedule (static)
    for (gsize o = 0; o < oc; o++)
      for (gsize i = 0; i < l.k; i++)
        {
          float s = 0.f;
          for (gint t = 0; t < nt; t++)
            s += partials[part_floats * t + i * oc + o];
          dw[o * l.k + i] = s;
        }
  }
}
