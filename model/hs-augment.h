/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Training-time augmentation and input normalisation of the trainer.
 *
 * Pixels are normalised as x / 255 − 0.5: dataset-independent (no statistics
 * to store or to keep in step between a checkpoint and its dataset) and
 * centred enough for a network with batch norm after its first convolution.
 */
#pragma once

#include <glib.h>

#include "hs-train-config.h"

G_BEGIN_DECLS

/* Padding of the random crop, in pixels on each side. */
#define HS_AUGMENT_CROP_PAD 4
/* Side of the cutout square. */
#define HS_AUGMENT_CUTOUT 8
/* Colour jitter draws brightness, contrast and saturation factors from
 * [1 − J, 1 + J]. */
#define HS_AUGMENT_JITTER 0.2

/* rgb (size×size×3 u8) → out (size×size×3 normalised floats), no
 * augmentation. */
void hs_augment_normalise (const guint8 *rgb, guint size, gfloat *out);

/* rgb → out augmented with `augment`, drawing from rand.  The number and
 * order of draws depend only on `augment`, never on pixel values, so one
 * GRand seeded per epoch reproduces an epoch's augmentation exactly.
 * scratch holds size×size×3 floats. */
void hs_augment_image (const guint8 *rgb, guint size, HsAugment augment, GRand *rand,
                       gfloat *scratch, gfloat *out);

G_END_DECLS
