/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Optimizer steps.  The hyper-parameters come from a small f32 tensor (host
 * memory here), read once per call.
 */
#define G_LOG_DOMAIN "hs-cpu"

#include "hs-cpu-private.h"

#include <omp.h>

void
hs_cpu_sgd_step (HsDevice *dev, HsTensor *tparam, HsTensor *tgrad, HsTensor *tbuf,
                 HsTensor *thp)
{
  const float *hp = hs_cpu_f32 (thp);
  float lr = hp[0], momentum = hp[1], wd = hp[2];
  float *p = hs_cpu_f32 (tparam), *buf = tbuf != NULL ? hs_cpu_f32 (tbuf) : NULL;
  const float *grad = hs_cpu_f32 (tgrad);
  gsize n = tparam->numel;

  if (hs_device_failed (dev))
    return;
  if (buf != NULL)
    {
#pragma omp parallel for simd num_threads (hs_cpu_threads_for (dev, n)) schedule (static)
      for (gsize i = 0; i < n; i++)
        {
          float g = grad[i] + wd * p[i];
          float b = momentum * buf[i] + g;
          buf[i] = b;
          p[i] -= lr * b;
        }
    }
  else
    {
#pragma omp parallel for simd num_threads (hs_cpu_threads_for (dev, n)) schedule (static)
      for (gsize i = 0; i < n; i++)
        p[i] -= lr * (grad[i] + wd * p[i]);
    }
}

void
hs_cpu_adam_step (HsDevice *dev, HsTensor *tparam, HsTensor *tgrad, HsTensor *tm,
                  HsTensor *tv, HsTensor *thp)
{
  const float *hp = hs_cpu_f32 (thp);
  float lr = hp[0], b1 = hp[1], b2 = hp[2], eps = hp[3], wd = hp[4], t = hp[5];
  gboolean decoupled = hp[6] != 0.f;
  float *p = hs_cpu_f32 (tparam), *m = hs_cpu_f32 (tm), *v = hs_cpu_f32 (tv);
  const float *grad = hs_cpu_f32 (tgrad);
  float inv_bc1 = 1.f / (1.f - powf (b1, t));
  float inv_bc2 = 1.f / (1.f - powf (b2, t));
  gsize n = tparam->numel;

  if (hs_device_failed (dev))
    return;
#pragma omp parallel for simd num_threads (hs_cpu_threads_for (dev, n * 4)) schedule (static)
  for (gsize i = 0; i < n; i++)
    {
      float g = grad[i], pi = p[i], mi, vi;

      if (decoupled)
        pi -= lr * wd * pi;
      else
        g += wd * pi;
      mi = b1 * m[i] + (1.f - b1) * g;
      vi = b2 * v[i] + (1.f - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      p[i] = pi - lr * (mi * inv_bc1) / (sqrtf (vi * inv_bc2) + eps);
    }
}
