/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reference CNN of DESIGN.md, the network that engine benchmarks (and
 * bench/torch_reference.py, its PyTorch twin) train:
 *   conv3×3(3→16) BN ReLU → conv3×3(16→32, s2) BN ReLU → conv3×3(32→64, s2)
 *   BN ReLU → conv3×3(64→64, s2) BN ReLU → global avg pool → FC(64→classes)
 * on NHWC 32×32×3 input.
 */
#pragma once

#include "hs-compute.h"

G_BEGIN_DECLS

#define HS_REF_CNN_STAGES 4

typedef struct {
  HsDevice *device;
  HsTensor *conv_w[HS_REF_CNN_STAGES];
  HsTensor *bn_gamma[HS_REF_CNN_STAGES], *bn_beta[HS_REF_CNN_STAGES];
  HsTensor *bn_mean[HS_REF_CNN_STAGES], *bn_var[HS_REF_CNN_STAGES];
  HsTensor *fc_w, *fc_b;
} HsRefCnn;

/* Kaiming-normal convolutions, PyTorch's default linear init, from `seed`. */
HsRefCnn *hs_ref_cnn_new (HsDevice *device, gint classes, guint32 seed, GError **error);
void      hs_ref_cnn_free (HsRefCnn *net);
/* Every learnable tensor, in a fixed order. */
GPtrArray *hs_ref_cnn_params (HsRefCnn *net);
/* x [n, 32, 32, 3] → logits [n, classes]. */
HsTensor *hs_ref_cnn_forward (HsRefCnn *net, HsTensor *x, gboolean training, GError **error);

/* Layer geometry at batch n, for benchmarks. */
void      hs_ref_cnn_conv_geom (gint n, guint stage, HsConvGeom *geom);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsRefCnn, hs_ref_cnn_free)

G_END_DECLS
