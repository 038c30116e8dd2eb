/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sum_to: the inverse of broadcasting.
 *
 * The right-aligned 4-D shapes are collapsed into at most four alternating
 * kept / reduced dims (size-1 dims dropped, neighbours of the same kind
 * merged), so every case is one loop nest over a box of the input whose
 * innermost run is either added onto a row of the output (kept) or summed
 * into one output element (reduced).  Sums are accumulated in double: a
 * bias gradient adds up tens of thousands of rows.
 */
#define G_LOG_DOMAIN "hs-cpu"

#include "hs-cpu-private.h"

#include <omp.h>

typedef struct {
  gint nd;              /* collapsed dims, innermost first */
  gint64 size[4];
  gboolean kept[4];
  gint64 in_stride[4];
  gint64 out_stride[4]; /* 0 on reduced dims */
} HsCpuReduce;

static void
hs_cpu_reduce_init (HsCpuReduce *rd, HsTensor *out, HsTensor *in)
{
  gint64 so[4], si[4], is = 1, os = 1;

  hs_shape4 (out, so);
  hs_shape4 (in, si);
  rd->nd = 0;
  for (gint d = 3; d >= 0; d--)
    {
      gboolean kept = so[d] != 1;
      gint i = rd->nd - 1;

      if (si[d] == 1)
        continue;
      if (i >= 0 && rd->kept[i] == kept)
        rd->size[i] *= si[d];
      else
        {
          rd->size[rd->nd] = si[d];
          rd->kept[rd->nd] = kept;
          rd->nd++;
        }
    }
  if (rd->nd == 0)
    {
      rd->nd = 1;
      rd->size[0] = 1;
      rd->kept[0] = TRUE;
    }
  for (gint i = rd->nd; i < 4; i++)
    {
      rd->size[i] = 1;
      rd->kept[i] = TRUE;
    }
  for (gint i = 0; i < 4; i++)
    {
      rd->in_stride[i] = is;
      is *= rd->size[i];
      rd->out_stride[i] = rd->kept[i] ? os : 0;
      if (rd->kept[i])
        os *= rd->size[i];
    }
}

/* acc[out index] += in over the box lo[d] <= i[d] < hi[d]. */
static void
hs_cpu_reduce_box (const HsCpuReduce *rd, double *acc, const float *in,
                   const gint64 lo[4], const gint64 hi[4])
{
  gint64 n0 = hi[0] - lo[0];

  for (gint64 i3 = lo[3]; i3 < hi[3]; i3++)
    for (gint64 i2 = lo[2]; i2 < hi[2]; i2++)
      for (gint64 i1 = lo[1]; i1 < hi[1]; i1++)
        {
          const float *src = in + i3 * rd->in_stride[3] + i2 * rd->in_stride[2]
                             + i1 * rd->in_stride[1] + lo[0];
          double *dst = acc + i3 * rd->out_stride[3] + i2 * rd->out_stride[2]
                        + i1 * rd->out_stride[1];

          if (rd->kept[0])
            {
              dst += lo[0];
#pragma omp simd
              for (gint64 j = 0; j < n0; j++)
                dst[j] += src[j];
            }
          else
            {
              double s = 0.0;
#pragma omp simd reduction (+:s)
              for (gint64 j = 0; j < n0; j++)
                s += src[j];
              *dst += s;
            }
        }
}

void
hs_cpu_sum_to (HsDevice *dev, HsTensor *tout, HsTensor *tin, gfloat scale)
{
  HsCpuReduce rd;
  float *out = hs_cpu_f32 (tout);
  const float *in = hs_cpu_f32 (tin);
  gsize on = tout->numel, stride = (on + 7) & ~(gsize) 7;
  gint nt = hs_cpu_threads_for (dev, tin->numel);
  gint split = -1;
  gboolean privatise = FALSE;
  double *acc;

  if (hs_device_failed (dev))
    return;
  hs_cpu_reduce_init (&rd, tout, tin);

  if (nt > 1)
    {
      /* Prefer splitting the outermost kept dim: threads then own disjoint
       * outputs.  Otherwise split the outermost dim with one private
       * accumulator per thread, if the output is small enough for that. */
      for (gint d = rd.nd - 1; d >= 0 && split < 0; d--)
        if (rd.kept[d] && rd.size[d] >= 4 * nt)
          split = d;
      if (split < 0 && rd.size[rd.nd - 1] >= nt && on <= (1 << 20))
        {
          split = rd.nd - 1;
          privatise = !rd.kept[split];
        }
      if (split < 0)
        nt = 1;
    }

  acc = hs_cpu_scratch (dev, HS_CPU_SCRATCH_PARTIAL,
                        stride * (privatise ? nt : 1) * sizeof (double));
  if (acc == NULL)
    return;

  if (nt == 1)
    {
      gint64 lo[4] = { 0, 0, 0, 0 };
      memset (acc, 0, on * sizeof (double));
      hs_cpu_reduce_box (&rd, acc, in, lo, rd.size);
      for (gsize i = 0; i < on; i++)
        out[i] = (float) (acc[i] * scale);
      return;
    }

#pragma omp parallel num_threads (nt)
  {
    gint t = omp_get_thread_num ();
    gint64 lo[4] = { 0, 0, 0, 0 }, hi[4];
    double *my_acc = privatise ? acc + stride * t : acc;

    memcpy (hi, rd.size, sizeof hi);
    lo[split] = rd.size[split] * t / nt;
    hi[split] = rd.size[split] * (t + 1) / nt;
    if (privatise)
      memset (my_acc, 0, on * sizeof (double));
    else
      {
#pragma omp for schedule (static)
        for (gsize i = 0; i < on; i++)
          acc[i] = 0.0;
      }
    hs_cpu_reduce_box (&rd, my_acc, in, lo, hi);
#pragma omp barrier
#pragma omp for schedule (static)
    for (gsize i = 0; i < on; i++)
      {
        double s = acc[i];
        if (privatise)
          for (gint u = 1; u < nt; u++)
            s += acc[stride * u + i];
        out[i] = (float) (s * scale);
      }
  }
}
