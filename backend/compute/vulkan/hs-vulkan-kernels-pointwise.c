/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Vulkan kernels that map elements to elements: broadcasting arithmetic and
 * its inverse (sum_to), bias + activation, permute, block copies, dropout and
 * embedding lookups.  An absent optional input (bias, b) is switched off by
 * a flag and its slot gets a tensor the dispatch already reads (the rule is
 * in hs-vulkan-kernels-private.h).
 */
#define G_LOG_DOMAIN "hs-vulkan"

#include "hs-vulkan-kernels-private.h"

#include "hs-device.h"
#include "hs-random.h"
#include "hs-tensor.h"

/* Row-major element strides of a right-aligned 4-D shape. */
static void
hs_vk_strides4 (const gint64 s[4], guint32 st[4])
{
  st[3] = 1;
  for (gint d = 2; d >= 0; d--)
    st[d] = st[d + 1] * (guint32) s[d + 1];
}

/* The strides of `t` as seen through an output of shape `out` under numpy
 * broadcasting: 0 on dims where t has size 1.  FALSE when t does not
 * broadcast to out. */
static gboolean
hs_vk_broadcast_strides (HsTensor *t, const gint64 out[4], guint32 st[4])
{
  gint64 s[4];

  hs_shape4 (t, s);
  hs_vk_strides4 (s, st);
  for (guint d = 0; d < 4; d++)
    {
      if (s[d] == out[d])
        continue;
      if (s[d] != 1)
        return FALSE;
      st[d] = 0;
    }
  return TRUE;
}

typedef struct {
  guint32 dims[4];
  guint32 a_stride[4];
  guint32 b_stride[4];
  guint32 n;
  gfloat alpha;
  gfloat beta;
} HsBinaryPush;

static void
hs_vk_binary (HsDevice *dev, HsBinaryOp op, gfloat alpha, gfloat beta,
              HsTensor *out, HsTensor *a, HsTensor *b)
{
  HsBinaryPush pc = { 0 };
  gint64 os[4];

  hs_shape4 (out, os);
  for (guint d = 0; d < 4; d++)
    pc.dims[d] = (guint32) os[d];
  if (!hs_vk_broadcast_strides (a, os, pc.a_stride) ||
      (b != NULL && !hs_vk_broadcast_strides (b, os, pc.b_stride)))
    {
      hs_device_fail (dev, HS_COMPUTE_ERROR_SHAPE, "binary: operands do not broadcast to the output");
      return;
    }
  pc.n = (guint32) out->numel;
  pc.alpha = alpha;
  pc.beta = beta;

  /* Specialization constants FLAT, HAS_B, OP.  An operand with the output's
   * element count has its shape: index it directly, without the unravel. */
  guint32 spec[3] = {
    (a->numel == out->numel ? 1 : 0) | (b == NULL || b->numel == out->numel ? 2 : 0),
    b != NULL,
    op == HS_BINARY_MUL ? 1 : 0,
  };
  HsTensor *bind[] = { out, a, b != NULL ? b : a };
  hs_vk_run_elems_spec (dev, HS_SHADER_BINARY, spec, 3, bind, 3, 0x1, &pc, sizeof pc, out->numel);
}

typedef struct {
  guint32 odims[4];
  guint32 rdims[4];
  guint32 istride[4];
  guint32 out_n;
  guint32 r_n;
  guint32 chunk;
  guint32 chunks;
  gfloat scale;
} HsSumToPush;

static void
hs_vk_sum_to (HsDevice *dev, HsTensor *out, HsTensor *in, gfloat scale)
{
  HsSumToPush pc = { 0 };
  gint64 is[4], os[4];
  gsize r_n = 1;

  if (!hs_vk_check_size (dev, "sum_to", in->numel))
    return;
  hs_shape4 (in, is);
  hs_shape4 (out, os);
  hs_vk_strides4 (is, pc.istride);
  for (guint d = 0; d < 4; d++)
    {
      if (os[d] == is[d])
        {
          pc.odims[d] = (guint32) is[d];
          pc.rdims[d] = 1;
        }
      else if (os[d] == 1)
        {
          pc.odims[d] = 1;
          pc.rdims[d] = (guint32) is[d];
          r_n *= (gsize) is[d];
        }
      else
        {
          hs_device_fail (dev, HS_COMPUTE_ERROR_SHAPE, "sum_to: input does not reduce to the output");
          return;
        }
    }
  pc.out_n = (guint32) out->numel;
  pc.r_n = (guint32) r_n;
  pc.scale = scale;
  hs_vk_chunking (r_n, out->numel, &pc.chunk, &pc.chunks);

  /* LAYOUT: 1 when every reduced dim (of size > 1) precedes every kept one,
   * 2 when every one follows, else 0 (see sum_to.comp). */
  gint last_reduced = -1, first_reduced = 4, last_kept = -1, first_kept = 4;
  for (gint d = 0; d < 4; d++)
    {
      if (pc.rdims[d] > 1)
        last_reduced = d, first_reduced = MIN (first_reduced, d);
      if (pc.odims[d] > 1)
        last_kept = d, first_kept = MIN (first_kept, d);
    }
  guint32 spec[] = { last_reduced < first_kept ? 1 : last_kept < first_reduced ? 2 : 0 };

  if (pc.chunks == 1)
    {
      HsTensor *bind[] = { out, in };
      hs_vk_run_spec (dev, HS_SHADER_SUM_TO, spec, 1, bind, 2, 0x1, &pc, sizeof pc, out->numel);
      return;
    }

  HsTensor *part = hs_vk_scratch (dev, (gsize) pc.chunks * out->numel);
  if (part == NULL)
    return;
  HsTensor *bind[] = { part, in };
  hs_vk_run_spec (dev, HS_SHADER_SUM_TO, spec, 1, bind, 2, 0x1, &pc, sizeof pc,
                  (gsize) pc.chunks * out->numel);
  hs_vk_colsum (dev, out, part, pc.out_n, pc.chunks, pc.out_n, 0, scale);
  hs_tensor_unref (part);
}

typedef struct {
  guint32 n;
  guint32 c;
} HsBiasActPush;

static void
hs_vk_bias_act (HsDevice *dev, HsTensor *out, HsTensor *x, HsTensor *bias, HsAct act)
{
  HsBiasActPush pc = { (guint32) x->numel, (guint32) x->shape[x->ndim - 1] };
  guint32 spec[] = { act, bias != NULL };  /* ACT, HAS_BIAS */
  HsTensor *bind[] = { out, x, bias != NULL ? bias : x };

  hs_vk_run_elems_spec (dev, HS_SHADER_BIAS_ACT, spec, 2, bind, 3, 0x1, &pc, sizeof pc, x->numel);
}

typedef struct {
  guint32 n;
} HsActBackwardPush;

static void
hs_vk_act_backward (HsDevice *dev, HsTensor *dx, HsTensor *dy, HsTensor *ref, HsAct act)
{
  HsActBackwardPush pc = { (guint32) dy->numel };
  guint32 spec[] = { act };  /* ACT */
  HsTensor *bind[] = { dx, dy, ref != NULL ? ref : dy };

  hs_vk_run_elems_spec (dev, HS_SHADER_ACT_BACKWARD, spec, 1, bind, 3, 0x1, &pc, sizeof pc,
                        dy->numel);
}

typedef struct {
  guint32 dims[4];
  guint32 stride[4];
  guint32 n;
} HsPermutePush;

static void
hs_vk_permute (HsDevice *dev, HsTensor *out, HsTensor *in, const gint perm[4])
{
  HsPermutePush pc = { 0 };
  gint64 is[4];
  guint32 ist[4];

  /* The shader moves 32-bit words. */
  g_return_if_fail (hs_dtype_size (in->dtype) == 4);
  hs_shape4 (in, is);
  hs_vk_strides4 (is, ist);
  for (guint i = 0; i < 4; i++)
    {
      g_return_if_fail (perm[i] >= 0 && perm[i] < 4);
      pc.dims[i] = (guint32) is[perm[i]];
      pc.stride[i] = ist[perm[i]];
    }
  pc.n = (guint32) in->numel;

  HsTensor *bind[] = { out, in };
  hs_vk_run_elems (dev, HS_SHADER_PERMUTE, bind, 2, 0x1, &pc, sizeof pc, in->numel);
}

typedef struct {
  guint32 n;
  guint32 inner;
  guint32 len;
  guint32 src_axis;
  guint32 src_start;
  guint32 dst_axis;
  guint32 dst_start;
} HsCopyBlockPush;

static void
hs_vk_copy_block (HsDevice *dev, HsTensor *dst, HsTensor *src, gsize outer, gsize inner,
                  gsize src_axis, gsize src_start, gsize dst_axis, gsize dst_start, gsize len)
{
  gsize n = outer * len * inner;

  g_return_if_fail (hs_dtype_size (src->dtype) == 4 && hs_dtype_size (dst->dtype) == 4);
  g_return_if_fail (src_start + len <= src_axis && dst_start + len <= dst_axis);
  g_return_if_fail (outer * src_axis * inner <= src->numel && outer * dst_axis * inner <= dst->numel);
  if (!hs_vk_check_size (dev, "copy_block", MAX (src->numel, dst->numel)))
    return;

  HsCopyBlockPush pc = {
    .n = (guint32) n,
    .inner = (guint32) inner,
    .len = (guint32) len,
    .src_axis = (guint32) src_axis,
    .src_start = (guint32) src_start,
    .dst_axis = (guint32) dst_axis,
    .dst_start = (guint32) dst_start,
  };
  HsTensor *bind[] = { dst, src };
  hs_vk_run_elems (dev, HS_SHADER_COPY_BLOCK, bind, 2, 0x1, &pc, sizeof pc, n);
}

typedef struct {
  guint32 n;
  guint32 seed;
  guint32 threshold;
  gfloat prob;
} HsDropoutPush;

static void
hs_vk_dropout (HsDevice *dev, HsTensor *y, HsTensor *x, gfloat p, guint32 seed)
{
  HsDropoutPush pc = { (guint32) x->numel, seed, hs_dropout_threshold (p), p };
  HsTensor *bind[] = { y, x };

  hs_vk_run_elems (dev, HS_SHADER_DROPOUT, bind, 2, 0x1, &pc, sizeof pc, x->numel);
}

typedef struct {
  guint32 n;
  guint32 d;
  guint32 v;
} HsEmbeddingPush;

static void
hs_vk_embedding (HsDevice *dev, HsTensor *out, HsTensor *table, HsTensor *idx)
{
  gsize d = (gsize) table->shape[table->ndim - 1];
  HsEmbeddingPush pc = {
    .n = (guint32) (idx->numel * d),
    .d = (guint32) d,
    .v = (guint32) (table->numel / d),
  };
  HsTensor *bind[] = { out, table, idx };

  hs_vk_run_elems (dev, HS_SHADER_EMBEDDING, bind, 3, 0x1, &pc, sizeof pc, idx->numel * d);
}

typedef struct {
  guint32 n;
  guint32 d;
  guint32 count;
} HsEmbeddingBackwardPush;

static void
hs_vk_embedding_backward (HsDevice *dev, HsTensor *dtable, HsTensor *dout, HsTensor *idx)
{
  HsEmbeddingBackwardPush pc = {
    .n = (guint32) dtable->numel,
    .d = (guint32) dtable->shape[dtable->ndim - 1],
    .count = (guint32) idx->numel,
  };
  HsTensor *bind[] = { dtable, dout, idx };

  hs_vk_run_1d (dev, HS_SHADER_EMBEDDING_BACKWARD, bind, 3, 0x1, &pc, sizeof pc, dtable->numel);
}

void
hs_vulkan_kernels_pointwise_init (HsBackendOps *ops)
{
  ops->binary = hs_vk_binary;
  ops->sum_to = hs_vk_sum_to;
  ops->bias_act = hs_vk_bias_act;
  ops->act_backward = hs_vk_act_backward;
  ops->permute = hs_vk_permute;
  ops->copy_block = hs_vk_copy_block;
  ops->dropout = hs_vk_dropout;
  ops->embedding = hs_vk_embedding;
  ops->embedding_backward = hs_vk_embedding_backward;
}
