/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Convolution as implicit GEMM with register-blocked SIMD kernels.
 *
 * im2col + sgemm materialises a col matrix kh*kw times the size of the input
 * (written once, read once, packed again by the BLAS) and leaves the choice
 * of SIMD kernel to OpenBLAS, which on recent AMD cores may be told to use
 * its AVX2 kernels.  For the channel counts of small CNNs (oc a multiple of
 * the vector width, up to a few hundred) the product is done here directly
 * on the input, with accumulators in registers:
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
 * Windows that overhang the input are not read from a zero-padded copy of
 * the whole input: each block of pixels is split into interior pixels, read
 * in place, and border pixels, whose windows are copied zero-filled into a
 * small buffer (see "pixel blocks"); the data gradient accumulates into a
 * padded image per thread and crops it.  Inner loops have no tests.  Tiles
 * are sized so the accumulators fill about 3/4 of the vector registers; the
 * kernels are written once and instantiated for each tile shape by forced
 * inlining with constant arguments.
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

/* ---- padded geometry (data gradient) -------------------------------------- */

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
  if (koff != NULL)
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

/* ---- pixel blocks ----------------------------------------------------------
 *
 * The forward pass and the weight gradient read input windows.  Rather than
 * a zero-padded copy of the whole input, each block of output pixels is
 * split: interior pixels, whose window lies inside x, are read from x in
 * place; border pixels get their window copied, zero-filled where it
 * overhangs, into a row of a small per-thread buffer (a one-row im2col).
 * Kernels take a base pointer, per-pixel offsets and a table of per-k (or
 * per window position) offsets, so both lists run through the same code.
 *
 * With very few channels (c < 8) a border window costs more to copy than
 * it holds, so the whole input is padded once instead (padded mode: every
 * pixel is interior to the padded copy).
 */

typedef struct {
  const HsConvGeom *g;
  gsize k, kpad;   /* kh*kw*c; k rounded up to whole weight-gradient tiles */
  gsize ohw;
  gsize block;     /* most pixels per block */
  gsize *win_x;    /* [kh*kw] offset of window position (ky, kx) in x */
  gsize *win_m;    /* [kh*kw] the same in a one-row im2col: (ky*kw + kx)*c */
  gsize *tap_x;    /* [kpad] offset of each k in x; 0 past k */
  gsize *tap_m;    /* [kpad] k; 0 past k */
  gboolean padded; /* x is the padded copy; pg its geometry */
  HsSimdGeom pg;
} HsSimdTaps;

static gsize
hs_simd_taps_words (const HsConvGeom *g, gsize kpad_multiple)
{
  gsize k = (gsize) g->kh * g->kw * g->c;
  return 2 * (gsize) g->kh * g->kw + 2 * ((k + kpad_multiple - 1) / kpad_multiple * kpad_multiple);
}

/* Fills the tables in `mem` (hs_simd_taps_words() words); returns the
 * floats of one-row im2col buffer each thread needs. */
static gsize
hs_simd_taps (const HsConvGeom *g, HsSimdTaps *t, gsize kpad_multiple, gboolean padded,
              gsize *mem)
{
  gsize nkk = (gsize) g->kh * g->kw, i = 0, row;

  t->g = g;
  t->padded = padded;
  hs_simd_geom (g, &t->pg, NULL);
  row = padded ? t->pg.wp : (gsize) g->w;
  t->k = nkk * g->c;
  t->kpad = (t->k + kpad_multiple - 1) / kpad_multiple * kpad_multiple;
  t->ohw = (gsize) g->oh * g->ow;
  /* A block's one-row im2col buffer stays within 256 KiB (L2). */
  t->block = MIN ((gsize) HS_PIXEL_BLOCK,
                  MAX ((gsize) 8, (256 * 1024 / (t->k * sizeof (float))) & ~(gsize) 7));
  t->win_x = mem;
  t->win_m = t->win_x + nkk;
  t->tap_x = t->win_m + nkk;
  t->tap_m = t->tap_x + t->kpad;
  for (gint ky = 0; ky < g->kh; ky++)
    for (gint kx = 0; kx < g->kw; kx++)
      {
        gsize kk = (gsize) ky * g->kw + kx;
        t->win_x[kk] = ((gsize) ky * row + kx) * g->c;
        t->win_m[kk] = kk * g->c;
        for (gint ci = 0; ci < g->c; ci++, i++)
          {
            t->tap_x[i] = t->win_x[kk] + ci;
            t->tap_m[i] = i;
          }
      }
  for (; i < t->kpad; i++)
    t->tap_x[i] = t->tap_m[i] = 0;
  return hs_cpu_round_floats (t->block * t->k);
}

typedef struct {
  gsize n_in, n_bd;
  gsize in_off[HS_PIXEL_BLOCK], in_q[HS_PIXEL_BLOCK]; /* interior: offset in x, pixel */
  gsize bd_off[HS_PIXEL_BLOCK], bd_q[HS_PIXEL_BLOCK]; /* border: offset in mini, pixel */
} HsSimdPixels;

/* Append output pixel q, whose window starts at (iy0, ix0) of image img and
 * overhangs it, to the border list with its window copied into mini. */
static inline void
hs_simd_border (const HsSimdTaps *t, const float *img, gint iy0, gint ix0, gsize q,
                HsSimdPixels *px, float *mini)
{
  const HsConvGeom *g = t->g;
  gsize c = g->c, run = (gsize) g->kw * c;
  float *dst = mini + px->n_bd * t->k;
  gint kx_lo = MIN (g->kw, MAX (0, -ix0)), kx_hi = MAX (kx_lo, MIN (g->kw, g->w - ix0));

  for (gint ky = 0; ky < g->kh; ky++, dst += run)
    {
      gint iy = iy0 + ky;
      const float *src = img + ((gssize) iy * g->w + ix0) * (gssize) c;
      gsize lo = (gsize) kx_lo * c, hi = (gsize) kx_hi * c;

      if (iy < 0 || iy >= g->h)
        lo = hi = run;
      /* Runs are a few floats when c is small: a loop, not three library
       * calls per window row. */
#pragma omp simd
      for (gsize j = 0; j < run; j++)
        dst[j] = j >= lo && j < hi ? src[j] : 0.f;
    }
  px->bd_off[px->n_bd] = px->n_bd * t->k;
  px->bd_q[px->n_bd++] = q;
}

/* Split output pixels [q0, q0 + n) a row segment at a time: a row's
 * interior pixels are one run of offsets sw*c apart. */
static void
hs_simd_split (const HsSimdTaps *t, const float *x, gsize q0, gsize n, HsSimdPixels *px,
               float *mini)
{
  const HsConvGeom *g = t->g;
  gsize c = g->c, image = (gsize) g->h * g->w * c, step = (gsize) g->sw * c;
  gsize q = q0, q1 = q0 + n;
  /* Interior columns: ox*sw - pw >= 0 and ox*sw - pw + kw <= w. */
  gint ox_lo = MIN (g->ow, (g->pw + g->sw - 1) / g->sw);
  gint ox_hi = g->w - g->kw + g->pw < 0 ? 0 : MIN (g->ow, (g->w - g->kw + g->pw) / g->sw + 1);

  ox_hi = MAX (ox_hi, ox_lo);
  px->n_in = px->n_bd = 0;
  if (t->padded)
    {
      hs_simd_pixels (&t->pg, q0, n, px->in_off);
      for (gsize i = 0; i < n; i++)
        px->in_q[i] = q0 + i;
      px->n_in = n;
      return;
    }
  while (q < q1)
    {
      gsize b = q / t->ohw, r = q % t->ohw;
      gint oy = r / g->ow, ox = r % g->ow;
      gint end = (gint) MIN ((gsize) g->ow, ox + (q1 - q));
      gint iy0 = oy * g->sh - g->ph;
      const float *img = x + b * image;
      gboolean rows_ok = iy0 >= 0 && iy0 + g->kh <= g->h;
      gint in_lo = rows_ok ? CLAMP (ox_lo, ox, end) : end;
      gint in_hi = rows_ok ? CLAMP (ox_hi, in_lo, end) : end;

      for (gint i = ox; i < in_lo; i++)
        hs_simd_border (t, img, iy0, i * g->sw - g->pw, q + (i - ox), px, mini);
      if (in_hi > in_lo)
        {
          gsize off = b * image + ((gsize) iy0 * g->w + (gsize) (in_lo * g->sw - g->pw)) * c;
          gsize qi = q + (in_lo - ox);

          for (gint i = in_lo; i < in_hi; i++, off += step)
            {
              px->in_off[px->n_in] = off;
              px->in_q[px->n_in++] = qi++;
            }
        }
      for (gint i = in_hi; i < end; i++)
        hs_simd_border (t, img, iy0, i * g->sw - g->pw, q + (i - ox), px, mini);
      q += end - ox;
    }
}

/* Pixels per block: at most max_block, with a block count that is a
 * multiple of the thread count, so threads dealt blocks round-robin end
 * together. */
static gsize
hs_simd_block_size (gsize pixels, gsize max_block, gint nt)
{
  gsize blocks = (pixels + max_block - 1) / max_block;

  blocks = (blocks + nt - 1) / nt * nt;
  return MIN (max_block, ((pixels + blocks - 1) / blocks + 7) & ~(gsize) 7);
}

/* ---- forward ------------------------------------------------------------- */

/* out[p] = Σ_k base[off[p] + offset of k] Wᵀ[k, slice] for P pixels, OCV
 * vectors.  k runs over window positions (win), then channels; with few
 * input channels (flat) one loop over the per-k table (tap) is cheaper. */
static HS_ALWAYS_INLINE void
hs_fwd_tile (const float *base, const gsize *off, gsize k, gsize c, gsize nkk,
             const gsize *win, const gsize *tap, const float *wt, gsize ldw,
             float *const *out, const gint ocv, const gint P, const gboolean flat)
{
  HsVec acc[8][HS_OCV_MAX];

  if (flat)
    {
      c = k;
      nkk = 1;
    }

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
        src[p] = base + off[p] + (flat ? 0 : win[kk]);
      for (gsize ci = 0; ci < c; ci++, wk += ldw)
        {
          HsVec w[HS_OCV_MAX];
          gsize o = flat ? tap[ci] : ci;

#pragma GCC unroll 4
          for (gint j = 0; j < ocv; j++)
            w[j] = hs_vload (wk + j * HS_VEC);
#pragma GCC unroll 8
          for (gint p = 0; p < P; p++)
            {
              float v = src[p][o];
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

/* The n pixels of one list, P at a time; a last, partial tile repeats the
 * list's last pixel (the forward pass overwrites, so that is harmless). */
static HS_ALWAYS_INLINE void
hs_fwd_list (const HsSimdTaps *t, const float *base, const gsize *off, const gsize *q,
             gsize n, const gsize *win, const gsize *tap, const float *wt, float *y, gint v0,
             const gint ocv, const gboolean flat)
{
  const gint P = HS_FWD_P (ocv);
  gsize oc = t->g->oc;

  for (gsize i = 0; i < n; i += P)
    {
      gsize poff[8];
      float *out[8];

#pragma GCC unroll 8
      for (gint p = 0; p < P; p++)
        {
          gsize ip = MIN (i + p, n - 1);
          poff[p] = off[ip];
          out[p] = y + q[ip] * oc + v0 * HS_VEC;
        }
      hs_fwd_tile (base, poff, t->k, t->g->c, (gsize) t->g->kh * t->g->kw, win, tap,
                   wt + v0 * HS_VEC, oc, out, ocv, P, flat);
    }
}

static HS_ALWAYS_INLINE void
hs_fwd_slice (const HsSimdTaps *t, const HsSimdPixels *px, const float *x, const float *mini,
              const float *wt, float *y, gint v0, const gint ocv, const gboolean flat)
{
  hs_fwd_list (t, x, px->in_off, px->in_q, px->n_in, t->win_x, t->tap_x, wt, y, v0, ocv, flat);
  hs_fwd_list (t, mini, px->bd_off, px->bd_q, px->n_bd, t->win_m, t->tap_m, wt, y, v0, ocv,
               flat);
}

static void
hs_fwd_block (const HsSimdTaps *t, const HsSimdPixels *px, const float *x, const float *mini,
              const float *wt, float *y, gint v0, gint ocv, gboolean flat)
{
#define HS_FWD_CASE(n)                                                   \
  case n:                                                               \
    if (flat)                                                           \
      hs_fwd_slice (t, px, x, mini, wt, y, v0, n, TRUE);                \
    else                                                                \
      hs_fwd_slice (t, px, x, mini, wt, y, v0, n, FALSE);               \
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
  HsSimdTaps t;
  gsize pixels = (gsize) g->n * g->oh * g->ow, n_blocks, block;
  gsize k = (gsize) g->kh * g->kw * g->c, wt_floats, xp_floats, mini_floats, words;
  gint ocv_total = g->oc / HS_VEC;
  /* Few channels: one flat loop over k rather than a short inner loop,
   * and a padded copy of the input rather than border windows. */
  gboolean flat = g->c < 8;
  float *wt, *xp, *minis;

  wt_floats = hs_cpu_round_floats (k * g->oc);
  words = hs_cpu_round_floats (hs_simd_taps_words (g, 1));
  hs_simd_geom (g, &t.pg, NULL);
  xp_floats = flat ? hs_cpu_round_floats (g->n * t.pg.image) : 0;
  /* COL: Wᵀ, the tap tables, the padded input (flat only). */
  wt = hs_cpu_scratch (dev, HS_CPU_SCRATCH_COL,
                       (wt_floats + xp_floats) * sizeof (float) + words * sizeof (gsize));
  if (wt == NULL)
    return;
  xp = wt + wt_floats;
  mini_floats = hs_simd_taps (g, &t, 1, flat, (gsize *) (xp + xp_floats));
  minis = hs_cpu_scratch (dev, HS_CPU_SCRATCH_PARTIAL, mini_floats * nt * sizeof (float));
  if (minis == NULL)
    return;

  /* Wᵀ [k, oc]: a kernel position's weights for a slice of outputs are
   * consecutive vectors. */
  for (gint o = 0; o < g->oc; o++)
    for (gsize i = 0; i < k; i++)
      wt[i * g->oc + o] = w[(gsize) o * k + i];
  if (flat)
    {
      hs_simd_pad (&t.pg, x, xp, nt);
      x = xp;
    }

  block = hs_simd_block_size (pixels, t.block, nt);
  n_blocks = (pixels + block - 1) / block;
#pragma omp parallel num_threads (nt)
  {
    float *mini = minis + mini_floats * omp_get_thread_num ();
    HsSimdPixels px;

#pragma omp for schedule (static, 1)
    for (gsize blk = 0; blk < n_blocks; blk++)
      {
        gsize q0 = blk * block, n = MIN (pixels, q0 + block) - q0;

        hs_simd_split (&t, x, q0, n, &px, mini);
        for (gint v0 = 0; v0 < ocv_total; v0 += HS_OCV_MAX)
          hs_fwd_block (&t, &px, x, mini, wt, y, v0, hs_simd_slice (ocv_total, v0, HS_OCV_MAX),
                        flat);
        if (bias != NULL || act != HS_ACT_NONE)
          hs_cpu_bias_act_rows (y + q0 * g->oc, y + q0 * g->oc, bias, n, g->oc, act);
      }
  }
}

/* ---- weight gradient ----------------------------------------------------- */

/* part[kk, slice] += Σ_p base[off[p] + tap[kk]] dy[q[p], slice], kk < KB. */
static HS_ALWAYS_INLINE void
hs_bwf_tile (const float *base, const gsize *off, const gsize *q, gsize np, const float *dy,
             gsize ldd, const gsize *tap, float *part, gsize ldp, const gint ocv, const gint KB)
{
  HsVec acc[9][HS_OCV_MAX];
  gsize ko[9];

#pragma GCC unroll 9
  for (gint kk = 0; kk < KB; kk++)
    {
      ko[kk] = tap[kk];
#pragma GCC unroll 4
      for (gint j = 0; j < ocv; j++)
        acc[kk][j] = (HsVec) { 0 };
    }

  for (gsize p = 0; p < np; p++)
    {
      const float *src = base + off[p];
      const float *drow = dy + q[p] * ldd;
      HsVec d[HS_OCV_MAX];

#pragma GCC unroll 4
      for (gint j = 0; j < ocv; j++)
        d[j] = hs_vload (drow + j * HS_VEC);
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
hs_bwf_slice (const HsSimdTaps *t, const HsSimdPixels *px, const float *x, const float *mini,
              const float *dy, float *part, gint v0, const gint ocv)
{
  const gint KB = HS_BWF_KB (ocv);
  gsize oc = t->g->oc;
  const float *dys = dy + v0 * HS_VEC;

  for (gsize kb = 0; kb < t->kpad; kb += KB)
    {
      float *pk = part + kb * oc + v0 * HS_VEC;

      if (px->n_in > 0)
        hs_bwf_tile (x, px->in_off, px->in_q, px->n_in, dys, oc, t->tap_x + kb, pk, oc, ocv,
                     KB);
      if (px->n_bd > 0)
        hs_bwf_tile (mini, px->bd_off, px->bd_q, px->n_bd, dys, oc, t->tap_m + kb, pk, oc, ocv,
                     KB);
    }
}

static void
hs_bwf_block (const HsSimdTaps *t, const HsSimdPixels *px, const float *x, const float *mini,
              const float *dy, float *part, gint v0, gint ocv)
{
  switch (ocv)
    {
    case 1: hs_bwf_slice (t, px, x, mini, dy, part, v0, 1); break;
    case 2: hs_bwf_slice (t, px, x, mini, dy, part, v0, 2); break;
#if HS_OCV_MAX >= 3
    case 3: hs_bwf_slice (t, px, x, mini, dy, part, v0, 3); break;
#endif
#if HS_OCV_MAX >= 4
    case 4: hs_bwf_slice (t, px, x, mini, dy, part, v0, 4); break;
#endif
    default: g_assert_not_reached ();
    }
}

/* k is padded to whole tiles of both heights used: the full slices' and
 * the last slice's. */
static gsize
hs_bwf_kpad_multiple (gint ocv_total)
{
  gint kb_full = HS_BWF_KB (MIN (ocv_total, HS_OCV_MAX));
  gint kb_last = HS_BWF_KB (ocv_total % HS_OCV_MAX ? ocv_total % HS_OCV_MAX : HS_OCV_MAX);

  for (gint l = MAX (kb_full, kb_last); l < kb_full * kb_last; l++)
    if (l % kb_full == 0 && l % kb_last == 0)
      return l;
  return kb_full * kb_last;
}

void
hs_cpu_conv2d_backward_filter_simd (HsDevice *dev, const HsConvGeom *g, float *dw,
                                    const float *dy, const float *x, gint nt)
{
  HsSimdTaps t;
  gsize pixels = (gsize) g->n * g->oh * g->ow, n_blocks, block;
  gsize oc = g->oc, part_floats, mini_floats, kmul, words, xp_floats;
  gint ocv_total = g->oc / HS_VEC;
  /* See hs_cpu_conv2d_simd(). */
  gboolean padded = g->c < 8;
  gsize *tables;
  float *partials;

  kmul = hs_bwf_kpad_multiple (ocv_total);
  words = hs_cpu_round_floats (hs_simd_taps_words (g, kmul));
  hs_simd_geom (g, &t.pg, NULL);
  xp_floats = padded ? hs_cpu_round_floats (g->n * t.pg.image) : 0;
  /* COL: the tap tables, the padded input (few channels only). */
  tables = hs_cpu_scratch (dev, HS_CPU_SCRATCH_COL,
                           words * sizeof (gsize) + xp_floats * sizeof (float));
  if (tables == NULL)
    return;
  mini_floats = hs_simd_taps (g, &t, kmul, padded, tables);
  if (padded)
    {
      float *xp = (float *) (tables + words);
      hs_simd_pad (&t.pg, x, xp, nt);
      x = xp;
    }
  part_floats = hs_cpu_round_floats (t.kpad * oc);
  /* Per thread: the partial dW [kpad, oc], then the one-row im2col buffer. */
  partials = hs_cpu_scratch (dev, HS_CPU_SCRATCH_PARTIAL,
                             (part_floats + mini_floats) * nt * sizeof (float));
  if (partials == NULL)
    return;

  block = hs_simd_block_size (pixels, t.block, nt);
  n_blocks = (pixels + block - 1) / block;
#pragma omp parallel num_threads (nt)
  {
    gint tid = omp_get_thread_num ();
    float *part = partials + part_floats * tid;
    float *mini = partials + part_floats * nt + mini_floats * tid;
    HsSimdPixels px;

    memset (part, 0, t.kpad * oc * sizeof (float));
#pragma omp for schedule (static, 1)
    for (gsize blk = 0; blk < n_blocks; blk++)
      {
        gsize q0 = blk * block, n = MIN (pixels, q0 + block) - q0;

        hs_simd_split (&t, x, q0, n, &px, mini);
        for (gint v0 = 0; v0 < ocv_total; v0 += HS_OCV_MAX)
          hs_bwf_block (&t, &px, x, mini, dy, part, v0,
                        hs_simd_slice (ocv_total, v0, HS_OCV_MAX));
      }

    /* dw [oc, k] = Σ over threads of part [k, oc]ᵀ; the for's barrier has
     * completed every partial. */
#pragma omp for schedule (static)
    for (gsize o = 0; o < oc; o++)
      for (gsize i = 0; i < t.k; i++)
        {
          float sum = 0.f;
          for (gint u = 0; u < nt; u++)
            sum += partials[part_floats * u + i * oc + o];
          dw[o * t.k + i] = sum;
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

#pragma omp for schedule (static, 1)
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
