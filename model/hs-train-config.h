/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A training configuration: what a HyperSTAR configuration sets when it
 * fine-tunes the backbone.  JSON keys and defaults:
 *
 *   lr            learning rate             0.01     (0, 10]
 *   optimizer     "sgd" (with momentum) | "adam"      "sgd"
 *   momentum      SGD momentum              0.9      [0, 1)
 *   weight_decay  L2 (SGD) / decoupled (Adam)  0.0005 [0, 1]
 *   batch_size    images per step           64       [1, 4096]
 *   finetune      "head" | "last" | "all"            "all"
 *                 (the head only; the last stage and the head; everything)
 *   augment       "none" | "flip_crop" | "strong"    "flip_crop"
 *                 (strong = flip + crop + colour jitter + cutout)
 *   epochs        epochs to train           10       [1, 1000]
 *   seed          RNG seed                  0        [0, 2^32 - 1]
 *
 * Unknown keys, wrong types and out-of-range values are errors naming the
 * key and what is allowed.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HS_CONFIG_ERROR (hs_config_error_quark ())
GQuark hs_config_error_quark (void);

typedef enum {
  HS_CONFIG_ERROR_PARSE,     /* not JSON, or not an object */
  HS_CONFIG_ERROR_UNKNOWN_KEY,
  HS_CONFIG_ERROR_TYPE,
  HS_CONFIG_ERROR_RANGE,
} HsConfigError;

typedef enum { HS_OPTIMIZER_SGD, HS_OPTIMIZER_ADAM } HsOptimizerKind;
typedef enum { HS_FINETUNE_HEAD, HS_FINETUNE_LAST, HS_FINETUNE_ALL } HsFinetune;
typedef enum { HS_AUGMENT_NONE, HS_AUGMENT_FLIP_CROP, HS_AUGMENT_STRONG } HsAugment;

typedef struct {
  gdouble lr;
  HsOptimizerKind optimizer;
  gdouble momentum;
  gdouble weight_decay;
  guint batch_size;
  HsFinetune finetune;
  HsAugment augment;
  guint epochs;
  guint32 seed;
} HsTrainConfig;

void     hs_train_config_init_defaults (HsTrainConfig *config);
/* Parses a JSON object; keys not given keep their defaults. */
gboolean hs_train_config_parse (HsTrainConfig *config, const char *json, GError **error);
/* The whole configuration as a JSON object with every key (canonical key
 * order), newly allocated. */
char    *hs_train_config_to_json (const HsTrainConfig *config);

const char *hs_optimizer_kind_to_string (HsOptimizerKind kind);
const char *hs_finetune_to_string (HsFinetune finetune);
const char *hs_augment_to_string (HsAugment augment);

G_END_DECLS
