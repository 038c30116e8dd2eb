/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backbone every trial fine-tunes: a small residual CNN for 32×32×3
 * NHWC input, with named stages so a configuration can say which to train.
 *
 *   stem    conv3×3 (3→16) BN ReLU                                   32×32
 *   stage1  residual block (16→32, stride 2; 1×1 projection)          16×16
 *   stage2  residual block (32→64, stride 2; 1×1 projection)           8×8
 *   stage3  residual block (64→128, stride 2; 1×1 projection)          4×4
 *   head    global average pool → linear (128 → classes)
 *
 * A residual block: conv3×3 BN ReLU → conv3×3 BN, plus the (projected)
 * input, then ReLU.  Parameters are named "<stage>.<layer>.<param>", e.g.
 * "stage2.conv1.weight", "stage2.bn1.running_mean", "head.weight".
 */
#pragma once

#include "hs-compute.h"
#include "hs-train-config.h"
#include "hs-weights.h"

G_BEGIN_DECLS

/* Bumped whenever the architecture changes; stored in weight files. */
#define HS_BACKBONE_ARCH "hs-resnet-s3-v1"

typedef enum {
  HS_STAGE_STEM,
  HS_STAGE_1,
  HS_STAGE_2,
  HS_STAGE_3,
  HS_STAGE_HEAD,
  HS_N_STAGES
} HsStage;

typedef struct _HsBackbone HsBackbone;

/* Fresh weights (Kaiming-normal convolutions, BN γ = 1, β = 0) from seed. */
HsBackbone *hs_backbone_new (HsDevice *device, guint classes, guint32 seed, GError **error);
void        hs_backbone_free (HsBackbone *net);
guint       hs_backbone_get_classes (HsBackbone *net);
const char *hs_stage_to_string (HsStage stage);

/* Every tensor with its name: learnable parameters and BN running
 * statistics, in a fixed order.  Borrowed. */
guint       hs_backbone_get_n_tensors (HsBackbone *net);
HsTensor   *hs_backbone_get_tensor (HsBackbone *net, guint index, const char **name,
                                    HsStage *stage, gboolean *learnable);

/* Which stages train: the others are frozen (no gradient, running
 * statistics not updated, BN in inference mode), so they cost no backward
 * pass.  head: only HEAD; last: STAGE_3 and HEAD; all: everything. */
void        hs_backbone_set_finetune (HsBackbone *net, HsFinetune finetune);
/* The learnable tensors of the trainable stages (borrowed). */
GPtrArray  *hs_backbone_trainable_params (HsBackbone *net);

/* x [n, 32, 32, 3] → features [n, 128] (after the global pool). training
 * applies to the trainable stages only. */
HsTensor   *hs_backbone_features (HsBackbone *net, HsTensor *x, gboolean training,
                                  GError **error);
/* features → logits [n, classes]. */
HsTensor   *hs_backbone_head (HsBackbone *net, HsTensor *features, GError **error);
/* Both. */
HsTensor   *hs_backbone_forward (HsBackbone *net, HsTensor *x, gboolean training,
                                 GError **error);

/* Every tensor into w under its name (architecture HS_BACKBONE_ARCH). */
gboolean    hs_backbone_save_weights (HsBackbone *net, HsWeights *w, GError **error);
/* Loads every tensor from w (MISMATCH errors name the tensor and shapes).
 * skip_head: keep this network's own head (its class count differs from the
 * pretrained one's). */
gboolean    hs_backbone_load_weights (HsBackbone *net, HsWeights *w, gboolean skip_head,
                                      GError **error);

/* The backbone weights that ship with the project (backbone.hswt in
 * $HS_WEIGHTS_DIR, else the source tree's model/weights, else the installed
 * folder), or NULL when there are none. */
char       *hs_backbone_shipped_weights (void);

/* Multiply-adds of one forward pass of one image (convolutions and the head). */
guint64     hs_backbone_macs (HsBackbone *net);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsBackbone, hs_backbone_free)

G_END_DECLS
