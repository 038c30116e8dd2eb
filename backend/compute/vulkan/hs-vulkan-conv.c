/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 2-D convolution, NHWC, as im2col + GEMM.  With P = n·oh·ow output pixels
 * and K = kh·kw·c, the column matrix col is [P, K] in the weights' own
 * (ky, kx, ci) order, so w [oc, K] needs no reshuffling:
 *
 *   forward          y [P, oc]  = col · wᵀ  (+ bias, act in the GEMM epilogue)
 *   backward data    dcol [P, K] = dy · w,   then dx = col2im (dcol), a gather
 *   backward filter  dw [oc, K] = dyᵀ · col (split-k when P is large)
 *
 * A 1×1 stride-1 unpadded convolution skips the column matrix: it is x.
 * Column matrices are built in chunks of rows (whole images for col2im) so
 * that the scratch stays below HS_VK_COL_BYTES whatever the batch size.
 */
#define G_LOG_DOMAIN "hs-vulkan"

#include "hs-vulkan-runtime.h"

#define HS_VK_COL_BYTES ((gsize) 32 << 20)

/* The push block of shaders/hs-conv-common.glsl. */
typedef struct {
  guint32 h, w, c;
  guint32 kh, kw;
  guint32 sh, sw, ph, pw;
  guint32 oh, ow;
  guint32 first;
  guint32 count;
} HsConvPush;

static HsConvPush
conv_push (const HsConvGeom *g)
{
  return (HsConvPush) {
    .h = g->h, .w = g->w, .c = g->c,
    .kh = g->kh, .kw = g->kw,
    .sh = g->sh, .sw = g->sw, .ph = g->ph, .pw = g->pw,
    .oh = g->oh, .ow = g->ow,
  };
}

static gboolean
is_pointwise (const HsConvGeom *g)
{
  return g->kh == 1 && g->kw == 1 && g->sh == 1 && g->sw == 1 &&
         g->ph == 0 && g->pw == 0 && g->oh == g->h && g->ow == g->w;
}

/* Shapes of x [n,h,w,c], w [oc,kh,kw,c], y [n,oh,ow,oc] and bias [oc]. */
static gboolean
check_geometry (HsDevice *dev, const char *op, const HsConvGeom *g,
                HsTensor *x, HsTensor *w, HsTensor *y, HsTensor *bias)
{
  gboolean ok = g->n > 0 && g->h > 0 && g->w > 0 && g->c > 0 && g->oc > 0 &&
                g->kh > 0 && g->kw > 0 && g->sh > 0 && g->sw > 0 &&
                g->ph >= 0 && g->pw >= 0 && g->oh > 0 && g->ow > 0 &&
                (gint64) (g->oh - 1) * g->sh + g->kh <= (gint64) g->h + 2 * g->ph &&
                (gint64) (g->ow - 1) * g->sw + g->kw <= (gint64) g->w + 2 * g->pw;

  ok = ok && x->dtype == HS_DTYPE_F32 && w->dtype == HS_DTYPE_F32 && y->dtype == HS_DTYPE_F32 &&
       x->numel == (gsize) g->n * g->h * g->w * g->c &&
       w->numel == (gsize) g->oc * g->kh * g->kw * g->c &&
       y->numel == (gsize) g->n * g->oh * g->ow * g->oc &&
       (bias == NULL || (bias->dtype == HS_DTYPE_F32 && bias->numel == (gsize) g->oc));
  if (!ok)
    hs_device_fail (dev, HS_COMPUTE_ERROR_SHAPE,
                    "%s: tensors do not match the geometry n=%d h=%d w=%d c=%d oc=%d "
                    "k=%d×%d s=%d×%d p=%d×%d out=%d×%d", op, g->n, g->h, g->w, g->c, g->oc,
                    g->kh, g->kw, g->sh, g->sw, g->ph, g->pw, g->oh, g->ow);
  return ok;
}

/* One thread per output float of @shader, reading @src and writing @dst. */
static void
conv_gather (HsDevice *dev, const HsConvGeom *g, HsShaderId shader, HsTensor *dst,
             HsTensor *src, guint32 first, guint32 count)
{
  HsConvPush push = conv_push (g);
  HsTensor *bindings[2] = { src, dst };
  guint32 gx, gy;

  push.first = first;
  push.count = count;
  hs_vk_grid_1d (dev, push.count, 64, &gx, &gy);
  hs_vk_dispatch (dev, shader, NULL, 0, bindings, 2, 1u << 1, &push, sizeof push, gx, gy, 1);
}

static void
im2col (HsDevice *dev, const HsConvGeom *g, HsTensor *col, HsTensor *x, guint32 first_row, guint32 rows)
{
  conv_gather (dev, g, HS_SHADER_IM2COL, col, x, first_row, rows * (guint32) (g->kh * g->kw * g->c));
}

static void
col2im (HsDevice *dev, const HsConvGeom *g, HsTensor *dx, HsTensor *dcol, guint32 first_image, guint32 images)
{
  conv_gather (dev, g, HS_SHADER_COL2IM, dx, dcol, first_image, images * (guint32) (g->h * g->w * g->c));
}

/* Rows of the column matrix per chunk. */
static guint32
chunk_rows (const HsConvGeom *g)
{
  guint64 row_bytes = (guint64) g->kh * g->kw * g->c * sizeof (gfloat);
  guint64 total = (guint64) g->n * g->oh * g->ow;
  return MAX (1, MIN (total, HS_VK_COL_BYTES / row_bytes));
}

void
hs_vk_conv2d (HsDevice *dev, const HsConvGeom *g, HsTensor *y, HsTensor *x,
              HsTensor *w, HsTensor *bias, HsAct act)
{
  if (!hs_vk_usable (dev) || !check_geometry (dev, "conv2d", g, x, w, y, bias))
    return;

  guint32 K = g->kh * g->kw * g->c;
  guint32 P = g->n * g->oh * g->ow;
  HsVkGemmArgs args = {
    .tb = TRUE,
    .n = g->oc, .k = K,
    .lda = K, .ldb = K, .ldc = g->oc,
    .batch = 1,
    .alpha = 1.0f, .beta = 0.0f,
    .bias = bias, .act = act,
  };

  if (is_pointwise (g))
    {
      args.m = P;
      hs_vk_gemm_record (dev, &args, x, w, y);
      return;
    }

  guint32 rows = chunk_rows (g);
  g_autoptr(HsTensor) col = hs_vk_scratch (dev, (gsize) rows * K);
  if (col == NULL)
    return;
  for (guint32 p0 = 0; p0 < P; p0 += rows)
    {
      guint32 n_rows = MIN (rows, P - p0);
      im2col (dev, g, col, x, p0, n_rows);
      args.m = n_rows;
      args.off_c = p0 * g->oc;
      hs_vk_gemm_record (dev, &args, col, w, y);
    }
}

void
hs_vk_conv2d_backward_data (HsDevice *dev, const HsConvGeom *g, HsTensor *dx,
                            HsTensor *dy, HsTensor *w)
{
  if (!hs_vk_usable (dev) || !check_geometry (dev, "conv2d_backward_data", g, dx, w, dy, NULL))
    return;

  guint32 K = g->kh * g->kw * g->c;
  guint32 pixels = g->oh * g->ow;
  HsVkGemmArgs args = {
    .k = g->oc,
    .lda = g->oc, .ldb = K, .ldc = K,
    .batch = 1,
    .alpha = 1.0f, .beta = 0.0f,
  };

  if (is_pointwise (g))
    {
      args.m = g->n * pixels;
      args.n = g->c;
      args.ldc = g->c;
      hs_vk_gemm_record (dev, &args, dy, w, dx);
      return;
    }

  /* col2im needs every row of an image at once: chunk whole images. */
  guint32 images = MAX (1, MIN ((guint32) g->n, chunk_rows (g) / pixels));
  g_autoptr(HsTensor) dcol = hs_vk_scratch (dev, (gsize) images * pixels * K);
  if (dcol == NULL)
    return;
  for (guint32 n0 = 0; n0 < (guint32) g->n; n0 += images)
    {
      guint32 n_images = MIN (images, g->n - n0);
      args.m = n_images * pixels;
      args.n = K;
      args.off_a = n0 * pixels * g->oc;
      hs_vk_gemm_record (dev, &args, dy, w, dcol);
      col2im (dev, g, dx, dcol, n0, n_images);
    }
}

void
hs_vk_conv2d_backward_filter (HsDevice *dev, const HsConvGeom *g, HsTensor *dw,
                              HsTensor *dy, HsTensor *x)
{
  if (!hs_vk_usable (dev) || !check_geometry (dev, "conv2d_backward_filter", g, x, dw, dy, NULL))
    return;

  guint32 K = g->kh * g->kw * g->c;
  guint32 P = g->n * g->oh * g->ow;
  HsVkGemmArgs args = {
    .ta = TRUE,
    .m = g->oc, .n = K,
    .lda = g->oc, .ldb = K, .ldc = K,
    .batch = 1,
    .alpha = 1.0f, .beta = 0.0f,
  };

  if (is_pointwise (g))
    {
      args.k = P;
      hs_vk_gemm_record (dev, &args, dy, x, dw);
      return;
    }

  guint32 rows = chunk_rows (g);
  g_autoptr(HsTensor) col = hs_vk_scratch (dev, (gsize) rows * K);
  if (col == NULL)
    return;
  for (guint32 p0 = 0; p0 < P; p0 += rows)
    {
      guint32 n_rows = MIN (rows, P - p0);
      im2col (dev, g, col, x, p0, n_rows);
      args.k = n_rows;
      args.off_a = p0 * g->oc;
      args.beta = p0 == 0 ? 0.0f : 1.0f; /* later chunks accumulate */
      hs_vk_gemm_record (dev, &args, dy, col, dw);
    }
}
