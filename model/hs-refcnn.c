/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hs-refcnn"

#include <math.h>

#include "hs-refcnn.h"

static const gint channels[HS_REF_CNN_STAGES + 1] = { 3, 16, 32, 64, 64 };
static const gint strides[HS_REF_CNN_STAGES] = { 1, 2, 2, 2 };

void
hs_ref_cnn_conv_geom (gint n, guint stage, HsConvGeom *g)
{
  gint size = 32;

  for (guint i = 0; i < stage; i++)
    size = (size + 2 - 3) / strides[i] + 1;
  *g = (HsConvGeom) {
    .n = n, .h = size, .w = size, .c = channels[stage], .oc = channels[stage + 1],
    .kh = 3, .kw = 3, .sh = strides[stage], .sw = strides[stage], .ph = 1, .pw = 1,
  };
  g->oh = (size + 2 - 3) / strides[stage] + 1;
  g->ow = g->oh;
}

static gfloat
normal (GRand *rand)
{
  /* Box–Muller: enough for initialisation. */
  gdouble u1 = g_rand_double_range (rand, 1e-12, 1.0);
  gdouble u2 = g_rand_double (rand);
  return (gfloat) (sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2));
}

/* Kaiming-normal weights: N(0, 2 / fan_in). */
static HsTensor *
kaiming_normal (HsDevice *dev, guint ndim, const gint64 *shape, gfloat fan_in, GRand *rand,
                GError **error)
{
  g_autofree gfloat *data = NULL;
  gfloat scale = sqrtf (2.f / fan_in);
  gsize n = 1;

  for (guint i = 0; i < ndim; i++)
    n *= shape[i];
  data = g_new (gfloat, n);
  for (gsize i = 0; i < n; i++)
    data[i] = scale * normal (rand);
  return hs_tensor_new_from_data (dev, HS_DTYPE_F32, ndim, shape, data, error);
}

static HsTensor *
constant (HsDevice *dev, gint64 n, gfloat value, GError **error)
{
  g_autoptr(HsTensor) t = hs_tensor_new (dev, HS_DTYPE_F32, 1, &n, error);

  return t != NULL && hs_tensor_fill (t, value, error) ? g_steal_pointer (&t) : NULL;
}

HsRefCnn *
hs_ref_cnn_new (HsDevice *device, gint classes, guint32 seed, GError **error)
{
  g_autoptr(HsRefCnn) net = g_new0 (HsRefCnn, 1);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  net->device = hs_device_ref (device);
  for (guint s = 0; s < HS_REF_CNN_STAGES; s++)
    {
      gint64 wshape[4] = { channels[s + 1], 3, 3, channels[s] };
      gint64 c = channels[s + 1];
      if (!(net->conv_w[s] = kaiming_normal (device, 4, wshape, 9.f * channels[s], rand, error)) ||
          !(net->bn_gamma[s] = constant (device, c, 1.f, error)) ||
          !(net->bn_beta[s] = constant (device, c, 0.f, error)) ||
          !(net->bn_mean[s] = constant (device, c, 0.f, error)) ||
          !(net->bn_var[s] = constant (device, c, 1.f, error)))
        return NULL;
    }
  {
    gint64 wshape[2] = { classes, channels[HS_REF_CNN_STAGES] };
    gint64 b = classes;
    gfloat bound = 1.f / sqrtf ((gfloat) channels[HS_REF_CNN_STAGES]);
    if (!(net->fc_w = hs_tensor_new_uniform (device, 2, wshape, rand, -bound, bound, error)) ||
        !(net->fc_b = hs_tensor_new_uniform (device, 1, &b, rand, -bound, bound, error)))
      return NULL;
  }
  return g_steal_pointer (&net);
}

void
hs_ref_cnn_free (HsRefCnn *net)
{
  if (net == NULL)
    return;
  for (guint s = 0; s < HS_REF_CNN_STAGES; s++)
    {
      g_clear_pointer (&net->conv_w[s], hs_tensor_unref);
      g_clear_pointer (&net->bn_gamma[s], hs_tensor_unref);
      g_clear_pointer (&net->bn_beta[s], hs_tensor_unref);
      g_clear_pointer (&net->bn_mean[s], hs_tensor_unref);
      g_clear_pointer (&net->bn_var[s], hs_tensor_unref);
    }
  g_clear_pointer (&net->fc_w, hs_tensor_unref);
  g_clear_pointer (&net->fc_b, hs_tensor_unref);
  g_clear_pointer (&net->device, hs_device_unref);
  g_free (net);
}

GPtrArray *
hs_ref_cnn_params (HsRefCnn *net)
{
  GPtrArray *params = g_ptr_array_new ();

  for (guint s = 0; s < HS_REF_CNN_STAGES; s++)
    {
      g_ptr_array_add (params, net->conv_w[s]);
      g_ptr_array_add (params, net->bn_gamma[s]);
      g_ptr_array_add (params, net->bn_beta[s]);
    }
  g_ptr_array_add (params, net->fc_w);
  g_ptr_array_add (params, net->fc_b);
  return params;
}

HsTensor *
hs_ref_cnn_forward (HsRefCnn *net, HsTensor *x, gboolean training, GError **error)
{
  g_autoptr(HsTensor) h = hs_tensor_ref (x);
  g_autoptr(HsTensor) pooled = NULL;

  for (guint s = 0; s < HS_REF_CNN_STAGES; s++)
    {
      g_autoptr(HsTensor) conv = hs_conv2d (h, net->conv_w[s], NULL, strides[s], 1,
                                            HS_ACT_NONE, error);
      if (conv == NULL)
        return NULL;
      g_clear_pointer (&h, hs_tensor_unref);
      h = hs_batch_norm (conv, net->bn_gamma[s], net->bn_beta[s], net->bn_mean[s],
                         net->bn_var[s], training, 0.1f, 1e-5f, HS_ACT_RELU, error);
      if (h == NULL)
        return NULL;
    }
  pooled = hs_global_avg_pool (h, error);
  if (pooled == NULL)
    return NULL;
  return hs_linear (pooled, net->fc_w, net->fc_b, HS_ACT_NONE, error);
}
