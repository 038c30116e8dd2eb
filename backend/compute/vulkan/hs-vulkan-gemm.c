/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GEMM: picks gemm.comp (register-blocked, CPU devices) or gemm_tiled.comp
 * (shared-memory tiles, GPUs), their vec4 variant when everything is
 * 4-aligned, and split-k when the output has too few tiles to keep the
 * device busy (the typical weight gradient: small m×n, k = every pixel of
 * the batch).  Grids beyond the device's workgroup-count limits are cut into
 * several dispatches by moving offsets.  The convolution code uses
 * hs_vk_gemm_record() directly with offsets into its scratch buffers.
 */
#define G_LOG_DOMAIN "hs-vulkan"

#include "hs-vulkan-runtime.h"

/* The push block of shaders/hs-gemm-common.glsl. */
typedef struct {
  guint32 m, n, k;
  guint32 lda, ldb, ldc;
  guint32 off_a, off_b, off_c;
  guint32 stride_a, stride_b, stride_c;
  guint32 kc;
  guint32 off_bias;
  gfloat alpha, beta;
} HsGemmPush;

enum { SPEC_LX, SPEC_LY, SPEC_ALIGNED, SPEC_TA, SPEC_TB, SPEC_BIAS, SPEC_ACT, SPEC_SPLIT, N_SPEC };

/* gemm.comp's workgroup: 8×8 invocations of 4×4 outputs cover 32×32.  x is
 * a multiple of lavapipe's 8-wide SIMD lanes. */
#define REG_LX 8u
#define REG_LY 8u
#define TILED_TILE 64u

/* Partial products of a split-k GEMM are kept below this many bytes. */
#define SPLIT_SCRATCH_BYTES ((gsize) 32 << 20)

static gboolean
is_aligned (const HsVkGemmArgs *g)
{
  guint32 all = g->m | g->n | g->k | g->lda | g->ldb | g->off_a | g->off_b;
  if (g->batch > 1)
    all |= g->stride_a | g->stride_b;
  return (all & 3u) == 0;
}

/* How many k-pieces to cut the product into, 1 for none. */
static guint32
choose_split (HsVkDevice *vk, const HsVkGemmArgs *g, guint32 tile_m, guint32 tile_n,
              guint32 k_align, guint32 *kc)
{
  guint64 tiles = (guint64) ((g->m + tile_m - 1) / tile_m) * ((g->n + tile_n - 1) / tile_n) * g->batch;
  guint64 want = vk->props.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU
    ? 2 * g_get_num_processors () : 256; /* workgroups that fill the device */
  guint64 split;

  *kc = g->k;
  if (tiles >= want || g->k < 512)
    return 1;
  split = (want + tiles - 1) / tiles;
  split = MIN (split, g->k / 256);  /* keep every piece worth a dispatch */
  split = MIN (split, 64);
  split = MIN (split, SPLIT_SCRATCH_BYTES / (sizeof (gfloat) * g->m * g->n * g->batch));
  split = MIN (split, vk->props.limits.maxComputeWorkGroupCount[2] / g->batch);
  if (split < 2)
    return 1;
  *kc = (g->k + split - 1) / split;
  *kc = (*kc + k_align - 1) / k_align * k_align;
  return (g->k + *kc - 1) / *kc;
}

static void
dispatch_gemm (HsDevice *dev, HsShaderId shader, const guint32 *spec,
               HsTensor *a, HsTensor *b, HsTensor *c, HsTensor *bias,
               const HsGemmPush *push, guint32 gx, guint32 gy, guint32 gz)
{
  HsTensor *bindings[4] = { a, b, c, bias != NULL ? bias : a };
  hs_vk_dispatch (dev, shader, spec, N_SPEC, bindings, 4, 1u << 2, push, sizeof *push, gx, gy, gz);
}

void
hs_vk_gemm_record (HsDevice *dev, const HsVkGemmArgs *g, HsTensor *a, HsTensor *b, HsTensor *c)
{
  HsVkDevice *vk = hs_vk_get (dev);
  const guint32 *max_groups = vk->props.limits.maxComputeWorkGroupCount;
  gboolean tiled = vk->gemm_kind == HS_VK_GEMM_TILED;
  HsShaderId shader = tiled ? HS_SHADER_GEMM_TILED : HS_SHADER_GEMM;
  guint32 tile_m = tiled ? TILED_TILE : 4 * REG_LY;
  guint32 tile_n = tiled ? TILED_TILE : 4 * REG_LX;
  gboolean aligned = !tiled && is_aligned (g);
  guint32 spec[N_SPEC] = {
    [SPEC_LX] = REG_LX, [SPEC_LY] = REG_LY,
    [SPEC_ALIGNED] = aligned, [SPEC_TA] = g->ta != 0, [SPEC_TB] = g->tb != 0,
    [SPEC_BIAS] = g->bias != NULL, [SPEC_ACT] = g->act, [SPEC_SPLIT] = 1,
  };
  HsGemmPush push = {
    .m = g->m, .n = g->n, .k = g->k,
    .lda = g->lda, .ldb = g->ldb, .ldc = g->ldc,
    .off_a = g->off_a, .off_b = g->off_b, .off_c = g->off_c,
    .stride_a = g->stride_a, .stride_b = g->stride_b, .stride_c = g->stride_c,
    .kc = g->k, .off_bias = 0,
    .alpha = g->alpha, .beta = g->beta,
  };
  guint32 groups_m = (g->m + tile_m - 1) / tile_m;
  guint32 groups_n = (g->n + tile_n - 1) / tile_n;
  guint32 kc, split;

  if (!hs_vk_usable (dev) || g->m == 0 || g->n == 0 || g->batch == 0)
    return;

  split = choose_split (vk, g, tile_m, tile_n, aligned ? 4 : (tiled ? 16 : 1), &kc);
  if (split > 1 && groups_m <= max_groups[1] && groups_n <= max_groups[0])
    {
      g_autoptr(HsTensor) partial = hs_vk_scratch (dev, (gsize) g->batch * split * g->m * g->n);
      if (partial == NULL)
        return;

      /* Pieces: C'[b * split + s] = alpha * A[b](:, piece s) B[b](piece s, :). */
      HsGemmPush p = push;
      guint32 pspec[N_SPEC];
      memcpy (pspec, spec, sizeof pspec);
      pspec[SPEC_BIAS] = FALSE;
      pspec[SPEC_ACT] = HS_ACT_NONE;
      pspec[SPEC_SPLIT] = split;
      p.kc = kc;
      p.off_c = 0;
      p.ldc = g->n;
      p.stride_c = g->m * g->n;
      p.beta = 0.0f;
      dispatch_gemm (dev, shader, pspec, a, b, partial, NULL, &p, groups_n, groups_m, g->batch * split);

      /* C[b] = sum_s C'[b * split + s] + beta C[b], then bias and act. */
      HsGemmPush r = push;
      guint32 rspec[N_SPEC];
      guint32 gx, gy;
      memcpy (rspec, spec, sizeof rspec);
      rspec[SPEC_SPLIT] = split;
      r.k = g->batch;
      r.alpha = 1.0f;
      hs_vk_grid_1d (dev, (gsize) g->batch * g->m * g->n, 64, &gx, &gy);
      HsTensor *bindings[4] = { partial, partial, c, g->bias != NULL ? g->bias : partial };
      hs_vk_dispatch (dev, HS_SHADER_GEMM_REDUCE, rspec, N_SPEC, bindings, 4, 1u << 2,
                      &r, sizeof r, gx, gy, 1);
      return;
    }

  /* Cut grids that exceed the device's limits into pieces of rows, columns
   * and batches; each piece moves its operands' offsets. */
  guint32 rows_step = MIN ((guint64) max_groups[1] * tile_m, G_MAXUINT32 / 2);
  guint32 cols_step = MIN ((guint64) max_groups[0] * tile_n, G_MAXUINT32 / 2);
  guint32 batch_step = max_groups[2];
  if (aligned)
    {
      rows_step &= ~3u;
      cols_step &= ~3u;
    }
  for (guint32 i0 = 0; i0 < g->m; i0 += rows_step)
    for (guint32 j0 = 0; j0 < g->n; j0 += cols_step)
      for (guint32 b0 = 0; b0 < g->batch; b0 += batch_step)
        {
          HsGemmPush p = push;
          p.m = MIN (rows_step, g->m - i0);
          p.n = MIN (cols_step, g->n - j0);
          p.off_a += b0 * g->stride_a + (g->ta ? i0 : i0 * g->lda);
          p.off_b += b0 * g->stride_b + (g->tb ? j0 * g->ldb : j0);
          p.off_c += b0 * g->stride_c + i0 * g->ldc + j0;
          p.off_bias = j0;
          dispatch_gemm (dev, shader, spec, a, b, c, g->bias, &p,
                         (p.n + tile_n - 1) / tile_n, (p.m + tile_m - 1) / tile_m,
                         MIN (batch_step, g->batch - b0));
        }
}

/* The op-table entry: whole tensors, row-major, HsGemm semantics. */
void
hs_vk_gemm (HsDevice *dev, const HsGemm *g, HsTensor *a, HsTensor *b, HsTensor *c)
{
  if (!hs_vk_usable (dev))
    return;
  if (g->m <= 0 || g->n <= 0 || g->k <= 0 || g->batch <= 0)
    {
      if (g->m < 0 || g->n < 0 || g->k < 0 || g->batch < 0)
        hs_device_fail (dev, HS_COMPUTE_ERROR_SHAPE, "gemm: negative size");
      return;
    }

  guint64 m = g->m, n = g->n, k = g->k, batch = g->batch;
  guint64 need_a = (batch - 1) * g->stride_a + m * k;
  guint64 need_b = (batch - 1) * g->stride_b + k * n;
  guint64 need_c = (batch - 1) * g->stride_c + m * n;
  if (a->dtype != HS_DTYPE_F32 || b->dtype != HS_DTYPE_F32 || c->dtype != HS_DTYPE_F32 ||
      need_a > a->numel || need_b > b->numel || need_c > c->numel ||
      (batch > 1 && g->stride_c != 0 && g->stride_c < m * n))
    {
      hs_device_fail (dev, HS_COMPUTE_ERROR_SHAPE,
                      "gemm: %d×%d×%d ×%d batches does not fit tensors of %" G_GSIZE_FORMAT
                      ", %" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT " elements",
                      g->m, g->n, g->k, g->batch, a->numel, b->numel, c->numel);
      return;
    }

  HsVkGemmArgs args = {
    .ta = g->ta, .tb = g->tb,
    .m = m, .n = n, .k = k,
    .lda = g->ta ? m : k,
    .ldb = g->tb ? k : n,
    .ldc = n,
    .stride_a = g->stride_a, .stride_b = g->stride_b, .stride_c = g->stride_c,
    .batch = batch,
    .alpha = g->alpha, .beta = g->beta,
    .act = HS_ACT_NONE,
  };
  hs_vk_gemm_record (dev, &args, a, b, c);
}
