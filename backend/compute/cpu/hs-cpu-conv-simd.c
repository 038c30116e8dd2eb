/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Convolution as implicit GEMM with register-blocked SIMD kernels.
 *
 * im2col + sgemm materialises a col matrix kh*kw times the size of the input
 * (written once, read once, packed again by the BLAS) and leaves the choice
 * of SIMD kernel to OpenBLAS, which on recent AMD cores may be told to use
 * its AVX2 kernels.  For the channel counts of small CNNs (oc a multiple of
 * the vector width, up to a few hundred) the product is done here directly
 * on a zero-padded copy of the input, with accumulators in registers:
 *
 *  - forward: a tile of P output pixels × OCV vectors of output channels;
 *    each step broadcasts one input value per pixel against a row of Wᵀ.
 *  - weight gradient: a tile of KB kernel positions × OCV vectors of output
 *    channels, summed over a block of pixels (outer products of input values
 *    with dY rows), per thread, reduced at the end.
 *  - data gradient: a tile of P pixels × KV vectors of kernel positions
 *    (dY W, inner dim oc), added straight into a padded dx image: col2im
 *    without the col matrix.
 *
 * The padded input makes every window read in bounds, so the inner loops
 * have no tests.  Tiles are sized so the accumulators fill about 3/4 of the
 * vector registers; the kernels are written once and instantiated for each
 * tile width by forced inlining with constant arguments.
 */
#define G_LOG_DOMAIN "hs-cpu"

#include "hs-cpu-private.h"

#include <omp.h>

#ifdef HS_CPU_VEC
#define HS_VEC HS_CPU_VEC
/* Accumulators fill about 3/4 of the vector registers. */
#define HS_ACC_REGS (HS_CPU_VEC_REGS * 3 / 4)
#endif

#ifdef HS_VEC

/* Output-channel vectors per tile (a slice of oc), pixels per forward tile,
 * kernel positions per weight-gradient tile. */
#define HS_OCV_MAX (HS_ACC_REGS / 6)
#define HS_FWD_P(ocv) ((ocv) == 1 ? 8 : HS_ACC_REGS / (ocv) > 8 ? 8 : HS_ACC_REGS / (ocv))
#define HS_BWF_KB(ocv) ((ocv) == 1 ? 9 : HS_FWD_P (ocv))
/* Data gradient: P pixels × KV vectors of kernel positions, one of two
 * shapes (whichever pads the kernel's vector count less). */
#define HS_BWD_PMAX 8
#define HS_BWD_KVMAX (HS_ACC_REGS / 4)
#define HS_BWD_WIDE_KV HS_BWD_KVMAX      /* 4 pixels × 6 (AVX2: 3) */
#define HS_BWD_TALL_KV (HS_ACC_REGS / 8) /* 8 pixels × 3 (AVX2: 4 × 3) */
#define HS_BWD_TALL_P (HS_ACC_REGS / HS_BWD_TALL_KV > 8 ? 8 : HS_ACC_REGS / HS_BWD_TALL_KV)
/* Pixels per unit of work: a multiple of every tile height. */
#define HS_PIXEL_BLOCK 192

/* ---- geometry ------------------------------------------------------------ */

typedef struct {
  const HsConvGeom *g;
  gsize hp, wp;      /* padded input: every position a window reads */
  gsize k;           /* kh * kw * c */
  gsize ohw;
  gsize image;       /* floats per padded image */
  gsize *koff;       /* [kh * kw]: offset of window position (ky, kx) */
} HsSimdGeom;

static void
hs_simd_geom (const HsConvGeom *g, HsSimdGeom *s, gsize *koff)
{
  s->g = g;
  s->hp = (gsize) (g->oh - 1) * g->sh + g->kh;
  s->wp = (gsize) (g->ow - 1) * g->sw + g->kw;
  s->k = (gsize) g->kh * g->kw * g->c;
  s->ohw = (gsize) g->oh * g->ow;
  s->image = s->hp * s->wp * g->c;
  s->koff = koff;
  for (gint ky = 0; ky < g->kh; ky++)
    for (gint kx = 0; kx < g->kw; kx++)
      koff[ky * g->kw + kx] = ((gsize) ky * s->wp + kx) * g->c;
}

/* poff[i] = offset in the padded batch of the top-left input of output
 * pixel q0 + i, for i < n: walked incrementally (no divisions per pixel). */
static void
hs_simd_pixels (const HsSimdGeom *s, gsize q0, gsize n, gsize *poff)
{
  const HsConvGeom *g = s->g;
  gsize b = q0 / s->ohw, r = q0 % s->ohw;
  gsize oy = r / g->ow, ox = r % g->ow;
  gsize row = b * s->image + oy * g->sh * s->wp * g->c;
  gsize step = (gsize) g->sw * g->c;

  for (gsize i = 0; i < n; i++)
    {
      poff[i] = row + ox * step;
      if (++ox == (gsize) g->ow)
        {
          ox = 0;
          row += g->sh * s->wp * g->c;
          if (++oy == (gsize) g->oh)
            {
              oy = 0;
              b++;
              row = b * s->image;
            }
        }
    }
}

/* xp = x zero-padded to [n, hp, wp, c]. */
static void
hs_simd_pad (const HsSimdGeom *s, const float *x, float *xp, gint nt)
{
  const HsConvGeom *g = s->g;
  gsize rows = (gsize) g->n * s->hp, c = g->c;
  gint ix0 = MIN (g->pw, (gint) s->wp), ix1 = MAX (ix0, MIN ((gint) s->wp, g->w + g->pw));

#pragma omp parallel for num_threads (nt) schedule (static)
  for (gsize r = 0; r < rows; r++)
    {
      gsize b = r / s->hp;
      gint iy = (gint) (r % s->hp) - g->ph;
      float *dst = xp + r * s->wp * c;

      if (iy < 0 || iy >= g->h)
        {
          memset (dst, 0, s->wp * c * sizeof (float));
          continue;
        }
      memset (dst, 0, ix0 * c * sizeof (float));
      memcpy (dst + ix0 * c, x + ((b * g->h + iy) * g->w + (ix0 - g->pw)) * c,
              (ix1 - ix0) * c * sizeof (float));
      memset (dst + ix1 * c, 0, (s->wp - ix1) * c * sizeof (float));
    }
}

/* Sizes of the vector slices that oc is cut into: full slices of `max`
 * vectors, then one of the rest. */
static inline gint
hs_simd_slice (gint ocv_total, gint v0, gint max)
{
  return MIN (max, ocv_total - v0);
}

gboolean
hs_cpu_conv_simd_supported (const HsConvGeom *g, HsCpuConvPass pass)
{
  gsize k = (gsize) g->kh * g->kw * g->c;

  /* Wᵀ slices are streamed from L2 once per tile: keep them small. */
  if (k > 4608)
    return FALSE;
#if HS_CPU_VEC_REGS < 32
  /* With 16 vector registers the tiles are too small to beat OpenBLAS's
   * AVX2 kernels, except where its GEMM is starved: few input channels
   * (measured on a Zen 5 built with -mno-avx512f). */
  if (g->c >= 8)
    return FALSE;
#endif
  switch (pass)
    {
    case HS_CPU_CONV_FORWARD:
    case HS_CPU_CONV_BACKWARD_FILTER:
      return g->oc % HS_VEC == 0;
    case HS_CPU_CONV_BACKWARD_DATA:
      return g->c % HS_VEC == 0;
    }
  return FALSE;
}

/* ---- forward ------------------------------------------------------------- */

/* out[p] = Σ_k xp[poff[p] + offset of k] Wᵀ[k, slice] for P pixels, OCV
 * vectors.  k runs over window positions, then channels; with few input
 * channels (flat) one loop over the kofs table of every k is cheaper. */
static HS_ALWAYS_INLINE void
hs_fwd_tile (const HsSimdGeom *s, const float *xp, const gsize *poff, const float *wt,
             const gsize *kofs, float *const *out, const gint ocv, const gint P,
             const gboolean flat)
{
  const HsConvGeom *g = s->g;
  gsize ldw = g->oc, c = flat ? s->k : (gsize) g->c, nkk = flat ? 1 : (gsize) g->kh * g->kw;
  HsVec acc[8][HS_OCV_MAX];

#pragma GCC unroll 8
  for (gint p = 0; p < P; p++)
#pragma GCC unroll 4
    for (gint j = 0; j < ocv; j++)
      acc[p][j] = (HsVec) { 0 };

  for (gsize kk = 0; kk < nkk; kk++)
    {
      const float *src[8];
      const float *wk = wt + kk * c * ldw;

#pragma GCC unroll 8
      for (gint p = 0; p < P; p++)
        src[p] = xp + poff[p] + (flat ? 0 : s->koff[kk]);
      for (gsize ci = 0; ci < c; ci++, wk += ldw)
        {
          HsVec w[HS_OCV_MAX];
          gsize off = flat ? kofs[ci] : ci;

#pragma GCC unroll 4
          for (gint j = 0; j < ocv; j++)
            w[j] = hs_vload (wk + j * HS_VEC);
#pragma GCC unroll 8
          for (gint p = 0; p < P; p++)
            {
              float v = src[p][off];
#pragma GCC unroll 4
              for (gint j = 0; j < ocv; j++)
                acc[p][j] += v * w[j];
            }
        }
    }

#pragma GCC unroll 8
  for (gint p = 0; p < P; p++)
#pragma GCC unroll 4
    for (gint j = 0; j < ocv; j++)
      hs_vstore (out[p] + j * HS_VEC, acc[p][j]);
}

/* Pixels [q0, q1) for the channel slice starting at vector v0.  Tiles past
 * q1 repeat the last pixel: the forward pass overwrites, so computing a
 * pixel twice is harmless. */
static HS_ALWAYS_INLINE void
hs_fwd_range (const HsSimdGeom *s, const float *xp, const float *wt, const gsize *kofs,
              const gsize *pixels, float *y, gsize q0, gsize q1, gint v0, const gint ocv,
              const gboolean flat)
{
  const gint P = HS_FWD_P (ocv);
  gsize oc = s->g->oc;

  for (gsize q = q0; q < q1; q += P)
    {
      gsize poff[8];
      float *out[8];

#pragma GCC unroll 8
      for (gint p = 0; p < P; p++)
        {
          gsize qp = MIN (q + p, q1 - 1);
          poff[p] = pixels[qp - q0];
          out[p] = y + qp * oc + v0 * HS_VEC;
        }
      hs_fwd_tile (s, xp, poff, wt + v0 * HS_VEC, kofs, out, ocv, P, flat);
    }
}

static void
hs_fwd_block (const HsSimdGeom *s, const float *xp, const float *wt, const gsize *kofs,
              const gsize *pixels, float *y, gsize q0, gsize q1, gint v0, gint ocv,
              gboolean flat)
{
#define HS_FWD_CASE(n)                                                   \
  case n:                                                               \
    if (flat)                                                           \
      hs_fwd_range (s, xp, wt, kofs, pixels, y, q0, q1, v0, n, TRUE);          \
    else                                                                \
      hs_fwd_range (s, xp, wt, kofs, pixels, y, q0, q1, v0, n, FALSE);          \
    break;

  switch (ocv)
    {
    HS_FWD_CASE (1)
    HS_FWD_CASE (2)
#if HS_OCV_MAX >= 3
    HS_FWD_CASE (3)
#endif
#if HS_OCV_MAX >= 4
    HS_FWD_CASE (4)
#endif
    default:
      g_assert_not_reached ();
    }
#undef HS_FWD_CASE
}

void
hs_cpu_conv2d_simd (HsDevice *dev, const HsConvGeom *g, float *y, const float *x,
                    const float *w, const float *bias, HsAct act, gint nt)
{
  HsSimdGeom s;
  gsize koff[g->kh * g->kw];
  gsize xp_floats, wt_floats, pixels = (gsize) g->n * g->oh * g->ow, n_blocks;
  gint ocv_total = g->oc / HS_VEC;
  /* Few channels: one flat loop over k rather than a 3-trip inner loop. */
  gboolean flat = g->c < 8;
  float *xp, *wt;
  gsize *kofs;

  hs_simd_geom (g, &s, koff);
  xp_floats = hs_cpu_round_floats (g->n * s.image);
  wt_floats = hs_cpu_round_floats (s.k * g->oc);
  xp = hs_cpu_scratch (dev, HS_CPU_SCRATCH_COL,
                       (xp_floats + wt_floats) * sizeof (float) + s.k * sizeof (gsize));
  if (xp == NULL)
    return;
  wt = xp + xp_floats;
  kofs = (gsize *) (wt + wt_floats);
  for (gsize kk = 0, i = 0; kk < (gsize) g->kh * g->kw; kk++)
    for (gint ci = 0; ci < g->c; ci++)
      kofs[i++] = koff[kk] + ci;

  /* Wᵀ [k, oc]: a kernel position's weights for a slice of outputs are
   * consecutive vectors. */
  for (gint o = 0; o < g->oc; o++)
    for (gsize i = 0; i < s.k; i++)
      wt[i * g->oc + o] = w[(gsize) o * s.k + i];
  hs_simd_pad (&s, x, xp, nt);

  n_blocks = (pixels + HS_PIXEL_BLOCK - 1) / HS_PIXEL_BLOCK;
#pragma omp parallel for num_threads (nt) schedule (dynamic, 1)
  for (gsize blk = 0; blk < n_blocks; blk++)
    {
      gsize q0 = blk * HS_PIXEL_BLOCK, q1 = MIN (pixels, q0 + HS_PIXEL_BLOCK);
      gsize poff[HS_PIXEL_BLOCK];

      hs_simd_pixels (&s, q0, q1 - q0, poff);
      for (gint v0 = 0; v0 < ocv_total; v0 += HS_OCV_MAX)
        hs_fwd_block (&s, xp, wt, kofs, poff, y, q0, q1, v0,
                      hs_simd_slice (ocv_total, v0, HS_OCV_MAX), flat);
      if (bias != NULL || act != HS_ACT_NONE)
        hs_cpu_bias_act_rows (y + q0 * g->oc, y + q0 * g->oc, bias, q1 - q0, g->oc, act);
    }
}

/* ---- weight gradient ----------------------------------------------------- */

/* part[kb + kk, slice] += Σ_p xp[poff[p] + kofs[kk]] dy[p, slice]. */
static HS_ALWAYS_INLINE void
hs_bwf_tile (const float *xp, const gsize *poff, gsize np, const float *dy, gsize ldd,
             const gsize *kofs, float *part, gsize ldp, const gint ocv, const gint KB)
{
  HsVec acc[9][HS_OCV_MAX];
  gsize ko[9];

#pragma GCC unroll 9
  for (gint kk = 0; kk < KB; kk++)
    {
      ko[kk] = kofs[kk];
#pragma GCC unroll 4
      for (gint j = 0; j < ocv; j++)
        acc[kk][j] = (HsVec) { 0 };
    }

  for (gsize p = 0; p < np; p++)
    {
      const float *src = xp + poff[p];
      HsVec d[HS_OCV_MAX];

#pragma GCC unroll 4
      for (gint j = 0; j < ocv; j++)
        d[j] = hs_vload (dy + p * ldd + j * HS_VEC);
#pragma GCC unroll 9
      for (gint kk = 0; kk < KB; kk++)
        {
          float v = src[ko[kk]];
#pragma GCC unroll 4
          for (gint j = 0; j < ocv; j++)
            acc[kk][j] += v * d[j];
        }
    }

  /* The block's sums are added to the running partial: a two-level sum,
   * more accurate than one float accumulator over the whole batch. */
#pragma GCC unroll 9
  for (gint kk = 0; kk < KB; kk++)
#pragma GCC unroll 4
    for (gint j = 0; j < ocv; j++)
      {
        float *dst = part + kk * ldp + j * HS_VEC;
        hs_vstore (dst, hs_vload (dst) + acc[kk][j]);
      }
}

static HS_ALWAYS_INLINE void
hs_bwf_block (const float *xp, const gsize *poff, gsize np, const float *dy, gsize oc,
              const gsize *kofs, gsize kpad, float *part, gint v0, const gint ocv)
{
  const gint KB = HS_BWF_KB (ocv);

  for (gsize kb = 0; kb < kpad; kb += KB)
    hs_bwf_tile (xp, poff, np, dy + v0 * HS_VEC, oc, kofs + kb, part + kb * oc + v0 * HS_VEC,
                 oc, ocv, KB);
}

void
hs_cpu_conv2d_backward_filter_simd (HsDevice *dev, const HsConvGeom *g, float *dw,
                                    const float *dy, const float *x, gint nt)
{
  HsSimdGeom s;
  gsize koff[g->kh * g->kw];
  gsize xp_floats, pixels = (gsize) g->n * g->oh * g->ow, n_blocks;
  gsize oc = g->oc, kpad, part_floats, i;
  gint ocv_total = g->oc / HS_VEC;
  float *xp, *partials;
  gsize *kofs;

  hs_simd_geom (g, &s, koff);
  /* Pad k to whole tiles of both heights used (full slices and the last
   * one); padding rows read a valid element and are dropped. */
  {
    gint kb_full = HS_BWF_KB (MIN (ocv_total, HS_OCV_MAX));
    gint kb_last = HS_BWF_KB (ocv_total % HS_OCV_MAX ? ocv_total % HS_OCV_MAX : HS_OCV_MAX);
    gint kb = kb_full * kb_last;

    for (gint l = MAX (kb_full, kb_last); l <= kb_full * kb_last; l++)
      if (l % kb_full == 0 && l % kb_last == 0)
        {
          kb = l;
          break;
        }
    kpad = (s.k + kb - 1) / kb * kb;
  }
  xp_floats = hs_cpu_round_floats (g->n * s.image);
  part_floats = hs_cpu_round_floats (kpad * oc);
  xp = hs_cpu_scratch (dev, HS_CPU_SCRATCH_COL,
                       (xp_floats + hs_cpu_round_floats (kpad)) * sizeof (float)
                       + kpad * sizeof (gsize));
  partials = hs_cpu_scratch (dev, HS_CPU_SCRATCH_PARTIAL, part_floats * nt * sizeof (float));
  if (xp == NULL || partials == NULL)
    return;
  kofs = (gsize *) (xp + xp_floats + hs_cpu_round_floats (kpad));
  i = 0;
  for (gsize kk = 0; kk < (gsize) g->kh * g->kw; kk++)
    for (gint ci = 0; ci < g->c; ci++)
      kofs[i++] = koff[kk] + ci;
  for (; i < kpad; i++)
    kofs[i] = 0;
  hs_simd_pad (&s, x, xp, nt);

  n_blocks = (pixels + HS_PIXEL_BLOCK - 1) / HS_PIXEL_BLOCK;
#pragma omp parallel num_threads (nt)
  {
    float *part = partials + part_floats * omp_get_thread_num ();

    memset (part, 0, kpad * oc * sizeof (float));
#pragma omp for schedule (dynamic, 1)
    for (gsize blk = 0; blk < n_blocks; blk++)
      {
        gsize q0 = blk * HS_PIXEL_BLOCK, np = MIN (pixels, q0 + HS_PIXEL_BLOCK) - q0;
        gsize poff[HS_PIXEL_BLOCK];
        const float *dyb = dy + q0 * oc;

        hs_simd_pixels (&s, q0, np, poff);
        for (gint v0 = 0; v0 < ocv_total; v0 += HS_OCV_MAX)
          switch (hs_simd_slice (ocv_total, v0, HS_OCV_MAX))
            {
            case 1: hs_bwf_block (xp, poff, np, dyb, oc, kofs, kpad, part, v0, 1); break;
            case 2: hs_bwf_block (xp, poff, np, dyb, oc, kofs, kpad, part, v0, 2); break;
#if HS_OCV_MAX >= 3
            case 3: hs_bwf_block (xp, poff, np, dyb, oc, kofs, kpad, part, v0, 3); break;
#endif
#if HS_OCV_MAX >= 4
            case 4: hs_bwf_block (xp, poff, np, dyb, oc, kofs, kpad, part, v0, 4); break;
#endif
            default: g_assert_not_reached ();
            }
      }

    /* dw [oc, k] = Σ over threads of part [k, oc]ᵀ; the for's barrier has
     * completed every partial. */
#pragma omp for schedule (static)
    for (gsize o = 0; o < oc; o++)
      for (gsize k = 0; k < s.k; k++)
        {
          float sum = 0.f;
          for (gint t = 0; t < nt; t++)
            sum += partials[part_floats * t + k * oc + o];
          dw[o * s.k + k] = sum;
        }
  }
}

/* ---- data gradient ------------------------------------------------------- */

/* acc[p, j] = Σ_o dy[p, o] W[o, kv0 + j]; then dxp[poff[p] + kvoff[j]] +=
 * acc for the np real pixels and nkv real vectors. */
static HS_ALWAYS_INLINE void
hs_bwd_tile (const float *dy, gsize np, gsize oc, const float *wv, gsize ldw,
             float *dxp, const gsize *poff, const gsize *kvoff, gsize nkv, const gint P,
             const gint KV)
{
  HsVec acc[HS_BWD_PMAX][HS_BWD_KVMAX];
  const float *d[HS_BWD_PMAX];

#pragma GCC unroll 8
  for (gint p = 0; p < P; p++)
    {
      /* Pixels past np repeat the last one; they are not added. */
      d[p] = dy + MIN ((gsize) p, np - 1) * oc;
#pragma GCC unroll 8
      for (gint j = 0; j < KV; j++)
        acc[p][j] = (HsVec) { 0 };
    }

  for (gsize o = 0; o < oc; o++, wv += ldw)
    {
      HsVec wj[HS_BWD_KVMAX];

#pragma GCC unroll 8
      for (gint j = 0; j < KV; j++)
        wj[j] = hs_vload (wv + j * HS_VEC);
#pragma GCC unroll 8
      for (gint p = 0; p < P; p++)
        {
          float v = d[p][o];
#pragma GCC unroll 8
          for (gint j = 0; j < KV; j++)
            acc[p][j] += v * wj[j];
        }
    }

#pragma GCC unroll 8
  for (gint p = 0; p < P; p++)
    if ((gsize) p < np)
#pragma GCC unroll 8
      for (gint j = 0; j < KV; j++)
        if ((gsize) j < nkv)
          {
            float *dst = dxp + poff[p] + kvoff[j];
            hs_vstore (dst, hs_vload (dst) + acc[p][j]);
          }
}

/* Every tile of one image: k tiles outermost, so a tile's slice of W
 * (oc × KV vectors) stays in L1 while every pixel of the image uses it. */
static HS_ALWAYS_INLINE void
hs_bwd_image (const float *dyb, gsize ohw, gsize oc, const float *wpad, gsize ldw, float *dxp,
              const gsize *poffs, const gsize *kvoff, gsize kv, gsize kvpad, const gint P,
              const gint KV)
{
  for (gsize j0 = 0; j0 < kvpad; j0 += KV)
    for (gsize q = 0; q < ohw; q += P)
      hs_bwd_tile (dyb + q * oc, MIN ((gsize) P, ohw - q), oc, wpad + j0 * HS_VEC, ldw, dxp,
                   poffs + q, kvoff + j0, MIN ((gsize) KV, kv - j0), P, KV);
}

void
hs_cpu_conv2d_backward_data_simd (HsDevice *dev, const HsConvGeom *g, float *dx,
                                  const float *dy, const float *w, gint nt)
{
  HsSimdGeom s;
  gsize koff[g->kh * g->kw];
  gsize oc = g->oc, c = g->c, kv, kvpad, ldw, image_floats, wp_floats;
  gboolean tall;
  gint tile_kv;
  float *wpad, *dxps;
  gsize *kvoff, *poffs;

  hs_simd_geom (g, &s, koff);
  kv = s.k / HS_VEC;
  /* The wide tile reuses each dY value more; the tall one wastes no work
   * when kv is a multiple of 3 but not of 6 (3x3 kernels, c = 16). */
  tall = kv % HS_BWD_WIDE_KV != 0 && kv % HS_BWD_TALL_KV == 0;
  tile_kv = tall ? HS_BWD_TALL_KV : HS_BWD_WIDE_KV;
  kvpad = (kv + tile_kv - 1) / tile_kv * tile_kv;
  ldw = kvpad * HS_VEC;
  wp_floats = hs_cpu_round_floats (oc * ldw);
  image_floats = hs_cpu_round_floats (s.image);

  /* COL: W padded to whole k tiles, the vector offsets and the pixel
   * offsets of one image; PARTIAL: one padded dx image per thread. */
  wpad = hs_cpu_scratch (dev, HS_CPU_SCRATCH_COL,
                         wp_floats * sizeof (float) + (kvpad + s.ohw) * sizeof (gsize));
  dxps = hs_cpu_scratch (dev, HS_CPU_SCRATCH_PARTIAL, image_floats * nt * sizeof (float));
  if (wpad == NULL || dxps == NULL)
    return;
  kvoff = (gsize *) (wpad + wp_floats);
  poffs = kvoff + kvpad;

  for (gsize o = 0; o < oc; o++)
    {
      memcpy (wpad + o * ldw, w + o * s.k, s.k * sizeof (float));
      memset (wpad + o * ldw + s.k, 0, (ldw - s.k) * sizeof (float));
    }
  /* c is a multiple of the vector width: a vector never straddles two
   * window positions. */
  for (gsize j = 0; j < kv; j++)
    kvoff[j] = koff[(j * HS_VEC) / c] + (j * HS_VEC) % c;
  for (gsize j = kv; j < kvpad; j++)
    kvoff[j] = 0;
  hs_simd_pixels (&s, 0, s.ohw, poffs);

#pragma omp parallel num_threads (nt)
  {
    float *dxp = dxps + image_floats * omp_get_thread_num ();

#pragma omp for schedule (dynamic, 1)
    for (gsize b = 0; b < (gsize) g->n; b++)
      {
        const float *dyb = dy + b * s.ohw * oc;
        float *dxb = dx + b * (gsize) g->h * g->w * c;

        memset (dxp, 0, s.image * sizeof (float));
        if (tall)
          hs_bwd_image (dyb, s.ohw, oc, wpad, ldw, dxp, poffs, kvoff, kv, kvpad, HS_BWD_TALL_P,
                        HS_BWD_TALL_KV);
        else
          hs_bwd_image (dyb, s.ohw, oc, wpad, ldw, dxp, poffs, kvoff, kv, kvpad, 4,
                        HS_BWD_WIDE_KV);

        /* Crop the padding: dx[iy, ix] = dxp[iy + ph, ix + pw]; input rows
         * and columns no window reaches get 0. */
        for (gint iy = 0; iy < g->h; iy++)
          {
            gsize py = (gsize) iy + g->ph;
            float *dst = dxb + (gsize) iy * g->w * c;
            gint nx = py < s.hp ? MAX (0, MIN (g->w, (gint) s.wp - g->pw)) : 0;

            if (nx > 0)
              memcpy (dst, dxp + (py * s.wp + g->pw) * c, nx * c * sizeof (float));
            memset (dst + nx * c, 0, (g->w - nx) * c * sizeof (float));
          }
      }
  }
}

#else /* no SIMD kernels for this target: the GEMM paths run instead */

gboolean
hs_cpu_conv_simd_supported (const HsConvGeom *g, HsCpuConvPass pass)
{
  return FALSE;
}

void
hs_cpu_conv2d_simd (HsDevice *dev, const HsConvGeom *g, float *y, const float *x,
                    const float *w, const float *bias, HsAct act, gint nt)
{
  g_assert_not_reached ();
}

void
hs_cpu_conv2d_backward_filter_simd (HsDevice *dev, const HsConvGeom *g, float *dw,
                                    const float *dy, const float *x, gint nt)
{
  g_assert_not_reached ();
}

void
hs_cpu_conv2d_backward_data_simd (HsDevice *dev, const HsConvGeom *g, float *dx,
                                  const float *dy, const float *w, gint nt)
{
  g_assert_not_reached ();
}

#endif
