/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kernels that move elements without arithmetic (or nearly): permute,
 * block copies for slicing and concatenation, embedding lookups.
 */
#define G_LOG_DOMAIN "hs-cpu"

#include "hs-cpu-private.h"

#include <omp.h>

void
hs_cpu_permute (HsDevice *dev, HsTensor *tout, HsTensor *tin, const gint perm[4])
{
  gint64 si[4], so[4], is[4], st[4], rows;
  gsize esize = hs_dtype_size (tin->dtype);

  if (hs_device_failed (dev) || tout->numel == 0)
    return;
  hs_shape4 (tin, si);
  is[3] = 1;
  for (gint d = 2; d >= 0; d--)
    is[d] = is[d + 1] * si[d + 1];
  for (gint i = 0; i < 4; i++)
    {
      so[i] = si[perm[i]];
      st[i] = is[perm[i]]; /* input stride of output dim i */
    }
  rows = so[0] * so[1] * so[2];

#pragma omp parallel for num_threads (hs_cpu_threads_for (dev, tout->numel)) schedule (static)
  for (gint64 r = 0; r < rows; r++)
    {
      gint64 o2 = r % so[2], o1 = (r / so[2]) % so[1], o0 = r / (so[2] * so[1]);
      gint64 base = o0 * st[0] + o1 * st[1] + o2 * st[2];

      if (esize == 4)
        {
          const guint32 *src = (const guint32 *) tin->buffer->storage + base;
          guint32 *dst = (guint32 *) tout->buffer->storage + r * so[3];
          if (st[3] == 1)
            memcpy (dst, src, so[3] * 4);
          else
            for (gint64 j = 0; j < so[3]; j++)
              dst[j] = src[j * st[3]];
        }
      else
        {
          const guint8 *src = (const guint8 *) tin->buffer->storage + base;
          guint8 *dst = (guint8 *) tout->buffer->storage + r * so[3];
          for (gint64 j = 0; j < so[3]; j++)
            dst[j] = src[j * st[3]];
        }
    }
}

void
hs_cpu_copy_block (HsDevice *dev, HsTensor *dst, HsTensor *src, gsize outer, gsize inner,
                   gsize src_axis, gsize src_start, gsize dst_axis, gsize dst_start, gsize len)
{
  gsize esize = hs_dtype_size (dst->dtype);
  gsize run = len * inner * esize;
  const guint8 *s = src->buffer->storage;
  guint8 *d = dst->buffer->storage;

  if (hs_device_failed (dev) || run == 0)
    return;
#pragma omp parallel for num_threads (hs_cpu_threads_for (dev, outer * len * inner)) schedule (static)
  for (gsize o = 0; o < outer; o++)
    memcpy (d + ((o * dst_axis + dst_start) * inner) * esize,
            s + ((o * src_axis + src_start) * inner) * esize, run);
}

void
hs_cpu_embedding (HsDevice *dev, HsTensor *tout, HsTensor *ttable, HsTensor *tidx)
{
  float *out = hs_cpu_f32 (tout);
  const float *table = hs_cpu_f32 (ttable);
  const gint32 *idx = hs_cpu_i32 (tidx);
  gsize n = tidx->numel, d = n > 0 ? tout->numel / n : 0;

  if (hs_device_failed (dev))
    return;
#pragma omp parallel for num_threads (hs_cpu_threads_for (dev, n * d)) schedule (static)
  for (gsize i = 0; i < n; i++)
    memcpy (out + i * d, table + (gsize) idx[i] * d, d * sizeof (float));
}

void
hs_cpu_embedding_backward (HsDevice *dev, HsTensor *tdtable, HsTensor *tdout, HsTensor *tidx)
{
  float *dtable = hs_cpu_f32 (tdtable);
  const float *dout = hs_cpu_f32 (tdout);
  const gint32 *idx = hs_cpu_i32 (tidx);
  gsize n = tidx->numel, d = n > 0 ? tdout->numel / n : 0;
  gint nt = hs_cpu_threads_for (dev, n * d);

  if (hs_device_failed (dev))
    return;
  memset (dtable, 0, tdtable->numel * sizeof (float));
  if (d < 16 * (gsize) nt)
    nt = 1;
  /* Threads own column ranges, so repeated indices never race. */
#pragma omp parallel num_threads (nt)
  {
    gint t = omp_get_thread_num ();
    gsize lo = d * t / nt, hi = d * (t + 1) / nt;

    for (gsize i = 0; i < n; i++)
      {
        float *row = dtable + (gsize) idx[i] * d;
        const float *g = dout + i * d;
#pragma omp simd
        for (gsize j = lo; j < hi; j++)
          row[j] += g[j];
      }
  }
}
