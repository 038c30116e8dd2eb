/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The residual backbone (see hs-backbone.h for the architecture).
 *
 * Every tensor lives in one flat table (name, stage, learnable) in the order
 * the weight files store them, so saving, loading, freezing and listing are
 * loops over that table; the forward pass reaches the same tensors through
 * typed per-layer structs that point into it.
 *
 * Names ("<stage>.<layer>.<param>"):
 *   stem.conv.weight                   [16, 3, 3, 3]
 *   stem.bn.{weight,bias,running_mean,running_var}              [16]
 *   stageK.conv1.weight                [oc, 3, 3, ic]
 *   stageK.bn1.{weight,bias,running_mean,running_var}           [oc]
 *   stageK.conv2.weight                [oc, 3, 3, oc]
 *   stageK.bn2.{weight,bias,running_mean,running_var}           [oc]
 *   stageK.proj.weight                 [oc, 1, 1, ic]
 *   stageK.proj_bn.{weight,bias,running_mean,running_var}       [oc]
 *   head.weight                        [classes, 128]
 *   head.bias                          [classes]
 * BN's γ and β are "weight" and "bias", as in PyTorch, so a state dict of
 * the same network in bench/ maps name for name.
 */
#define G_LOG_DOMAIN "hs-backbone"

#include <math.h>
#include <string.h>

#include "hs-backbone.h"

#define BN_MOMENTUM 0.1f
#define BN_EPS      1e-5f
#define N_BLOCKS    3
#define IMAGE_SIZE  32
#define FEATURES    128

static const gint stem_channels = 16;
static const gint block_in[N_BLOCKS] = { 16, 32, 64 };
static const gint block_out[N_BLOCKS] = { 32, 64, 128 };

typedef struct {
  HsTensor *gamma, *beta, *mean, *var;
} HsBn;

typedef struct {
  HsTensor *conv1;
  HsBn bn1;
  HsTensor *conv2;
  HsBn bn2;
  HsTensor *proj;
  HsBn proj_bn;
} HsBlock;

typedef struct {
  char *name;
  HsTensor *tensor; /* owned */
  HsStage stage;
  gboolean learnable;
} HsEntry;

struct _HsBackbone {
  HsDevice *device;
  guint classes;
  GArray *entries;      /* HsEntry, in file order */
  GPtrArray *trainable; /* borrowed tensors; rebuilt by set_finetune */
  gboolean frozen[HS_N_STAGES];

  HsTensor *stem_conv;
  HsBn stem_bn;
  HsBlock blocks[N_BLOCKS];
  HsTensor *head_w, *head_b;
};

static const char *const stage_names[HS_N_STAGES] = {
  "stem", "stage1", "stage2", "stage3", "head",
};

const char *
hs_stage_to_string (HsStage stage)
{
  g_return_val_if_fail (stage < HS_N_STAGES, NULL);
  return stage_names[stage];
}

static void
entry_clear (gpointer p)
{
  HsEntry *e = p;

  g_free (e->name);
  g_clear_pointer (&e->tensor, hs_tensor_unref);
}

/* Takes ownership of t and returns it (borrowed) for the typed structs. */
static HsTensor *
add_entry (HsBackbone *net, HsStage stage, const char *layer, const char *param,
           gboolean learnable, HsTensor *t)
{
  HsEntry e = {
    .name = layer != NULL ? g_strdup_printf ("%s.%s.%s", stage_names[stage], layer, param)
                          : g_strdup_printf ("%s.%s", stage_names[stage], param),
    .tensor = t,
    .stage = stage,
    .learnable = learnable,
  };

  g_array_append_val (net->entries, e);
  return t;
}

static gfloat
normal (GRand *rand)
{
  /* Box–Muller: enough for initialisation. */
  gdouble u1 = g_rand_double_range (rand, 1e-12, 1.0);
  gdouble u2 = g_rand_double (rand);
  return (gfloat) (sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2));
}

/* Kaiming-normal (fan-in, ReLU gain): N(0, 2 / (kh·kw·c)). */
static HsTensor *
new_conv (HsBackbone *net, HsStage stage, const char *layer, gint oc, gint k, gint c,
          GRand *rand, GError **error)
{
  gint64 shape[4] = { oc, k, k, c };
  gsize n = (gsize) oc * k * k * c;
  gfloat scale = sqrtf (2.f / (gfloat) (k * k * c));
  g_autofree gfloat *data = g_new (gfloat, n);
  HsTensor *t;

  for (gsize i = 0; i < n; i++)
    data[i] = scale * normal (rand);
  t = hs_tensor_new_from_data (net->device, HS_DTYPE_F32, 4, shape, data, error);
  return t != NULL ? add_entry (net, stage, layer, "weight", TRUE, t) : NULL;
}

static HsTensor *
new_constant (HsBackbone *net, HsStage stage, const char *layer, const char *param,
              gboolean learnable, gint64 c, gfloat value, GError **error)
{
  g_autoptr(HsTensor) t = hs_tensor_new (net->device, HS_DTYPE_F32, 1, &c, error);

  if (t == NULL || !hs_tensor_fill (t, value, error))
    return NULL;
  return add_entry (net, stage, layer, param, learnable, g_steal_pointer (&t));
}

static gboolean
new_bn (HsBackbone *net, HsStage stage, const char *layer, gint64 c, HsBn *bn, GError **error)
{
  return (bn->gamma = new_constant (net, stage, layer, "weight", TRUE, c, 1.f, error)) &&
         (bn->beta = new_constant (net, stage, layer, "bias", TRUE, c, 0.f, error)) &&
         (bn->mean = new_constant (net, stage, layer, "running_mean", FALSE, c, 0.f, error)) &&
         (bn->var = new_constant (net, stage, layer, "running_var", FALSE, c, 1.f, error));
}

HsBackbone *
hs_backbone_new (HsDevice *device, guint classes, guint32 seed, GError **error)
{
  g_autoptr(HsBackbone) net = NULL;
  g_autoptr(GRand) rand = NULL;

  g_return_val_if_fail (device != NULL, NULL);
  g_return_val_if_fail (classes >= 1, NULL);

  net = g_new0 (HsBackbone, 1);
  net->device = hs_device_ref (device);
  net->classes = classes;
  net->entries = g_array_new (FALSE, TRUE, sizeof (HsEntry));
  g_array_set_clear_func (net->entries, entry_clear);
  net->trainable = g_ptr_array_new ();
  rand = g_rand_new_with_seed (seed);

  /* The draw order (stem, blocks in order, conv1 conv2 proj, head) is part
   * of what a seed means: keep it when changing this function. */
  if (!(net->stem_conv = new_conv (net, HS_STAGE_STEM, "conv", stem_channels, 3, 3, rand,
                                   error)) ||
      !new_bn (net, HS_STAGE_STEM, "bn", stem_channels, &net->stem_bn, error))
    return NULL;

  for (guint b = 0; b < N_BLOCKS; b++)
    {
      HsStage stage = HS_STAGE_1 + b;
      HsBlock *blk = &net->blocks[b];
      gint ic = block_in[b], oc = block_out[b];

      if (!(blk->conv1 = new_conv (net, stage, "conv1", oc, 3, ic, rand, error)) ||
          !new_bn (net, stage, "bn1", oc, &blk->bn1, error) ||
          !(blk->conv2 = new_conv (net, stage, "conv2", oc, 3, oc, rand, error)) ||
          !new_bn (net, stage, "bn2", oc, &blk->bn2, error) ||
          !(blk->proj = new_conv (net, stage, "proj", oc, 1, ic, rand, error)) ||
          !new_bn (net, stage, "proj_bn", oc, &blk->proj_bn, error))
        return NULL;
    }

  {
    /* PyTorch's nn.Linear default: U(±1/√fan_in) for weight and bias. */
    gint64 wshape[2] = { classes, FEATURES };
    gint64 bshape = classes;
    gfloat bound = 1.f / sqrtf ((gfloat) FEATURES);
    HsTensor *t;

    if (!(t = hs_tensor_new_uniform (device, 2, wshape, rand, -bound, bound, error)))
      return NULL;
    net->head_w = add_entry (net, HS_STAGE_HEAD, NULL, "weight", TRUE, t);
    if (!(t = hs_tensor_new_uniform (device, 1, &bshape, rand, -bound, bound, error)))
      return NULL;
    net->head_b = add_entry (net, HS_STAGE_HEAD, NULL, "bias", TRUE, t);
  }

  /* The configuration default: everything trains. */
  hs_backbone_set_finetune (net, HS_FINETUNE_ALL);
  return g_steal_pointer (&net);
}

void
hs_backbone_free (HsBackbone *net)
{
  if (net == NULL)
    return;
  g_clear_pointer (&net->trainable, g_ptr_array_unref);
  g_clear_pointer (&net->entries, g_array_unref);
  g_clear_pointer (&net->device, hs_device_unref);
  g_free (net);
}

guint
hs_backbone_get_classes (HsBackbone *net)
{
  g_return_val_if_fail (net != NULL, 0);
  return net->classes;
}

guint
hs_backbone_get_n_tensors (HsBackbone *net)
{
  g_return_val_if_fail (net != NULL, 0);
  return net->entries->len;
}

HsTensor *
hs_backbone_get_tensor (HsBackbone *net, guint index, const char **name, HsStage *stage,
                        gboolean *learnable)
{
  HsEntry *e;

  g_return_val_if_fail (net != NULL, NULL);
  g_return_val_if_fail (index < net->entries->len, NULL);

  e = &g_array_index (net->entries, HsEntry, index);
  if (name != NULL)
    *name = e->name;
  if (stage != NULL)
    *stage = e->stage;
  if (learnable != NULL)
    *learnable = e->learnable;
  return e->tensor;
}

void
hs_backbone_set_finetune (HsBackbone *net, HsFinetune finetune)
{
  HsStage first_trained;

  g_return_if_fail (net != NULL);

  switch (finetune)
    {
    case HS_FINETUNE_HEAD: first_trained = HS_STAGE_HEAD; break;
    case HS_FINETUNE_LAST: first_trained = HS_STAGE_3; break;
    case HS_FINETUNE_ALL: first_trained = HS_STAGE_STEM; break;
    default: g_return_if_reached ();
    }

  for (guint s = 0; s < HS_N_STAGES; s++)
    net->frozen[s] = s < first_trained;

  /* requires_grad is what the tape looks at: an op is recorded only when an
   * input needs a gradient, so with every frozen parameter (and the image)
   * not requiring one, the frozen prefix of the network leaves no node on
   * the tape and hs_tape_backward() never walks it. */
  g_ptr_array_set_size (net->trainable, 0);
  for (guint i = 0; i < net->entries->len; i++)
    {
      HsEntry *e = &g_array_index (net->entries, HsEntry, i);

      if (!e->learnable)
        continue;
      hs_tensor_set_requires_grad (e->tensor, !net->frozen[e->stage]);
      if (!net->frozen[e->stage])
        g_ptr_array_add (net->trainable, e->tensor);
    }
}

GPtrArray *
hs_backbone_trainable_params (HsBackbone *net)
{
  g_return_val_if_fail (net != NULL, NULL);
  return net->trainable;
}

/* conv (no bias: BN follows) → BN, act fused into the BN.  A frozen stage
 * runs BN in inference mode so its running statistics stay as loaded. */
static HsTensor *
conv_bn (HsBackbone *net, HsStage stage, HsTensor *x, HsTensor *w, HsBn *bn, gint stride,
         gint pad, HsAct act, gboolean training, GError **error)
{
  g_autoptr(HsTensor) conv = hs_conv2d (x, w, NULL, stride, pad, HS_ACT_NONE, error);

  if (conv == NULL)
    return NULL;
  return hs_batch_norm (conv, bn->gamma, bn->beta, bn->mean, bn->var,
                        training && !net->frozen[stage], BN_MOMENTUM, BN_EPS, act, error);
}

static HsTensor *
block_forward (HsBackbone *net, guint b, HsTensor *x, gboolean training, GError **error)
{
  HsStage stage = HS_STAGE_1 + b;
  HsBlock *blk = &net->blocks[b];
  g_autoptr(HsTensor) h1 = NULL, h2 = NULL, shortcut = NULL, sum = NULL;

  if (!(h1 = conv_bn (net, stage, x, blk->conv1, &blk->bn1, 2, 1, HS_ACT_RELU, training,
                      error)) ||
      !(h2 = conv_bn (net, stage, h1, blk->conv2, &blk->bn2, 1, 1, HS_ACT_NONE, training,
                      error)) ||
      !(shortcut = conv_bn (net, stage, x, blk->proj, &blk->proj_bn, 2, 0, HS_ACT_NONE,
                            training, error)) ||
      !(sum = hs_add (h2, shortcut, error)))
    return NULL;
  return hs_relu (sum, error);
}

HsTensor *
hs_backbone_features (HsBackbone *net, HsTensor *x, gboolean training, GError **error)
{
  g_autoptr(HsTensor) h = NULL;

  g_return_val_if_fail (net != NULL, NULL);
  g_return_val_if_fail (x != NULL, NULL);

  if (hs_tensor_get_ndim (x) != 4 || hs_tensor_get_dim (x, 1) != IMAGE_SIZE ||
      hs_tensor_get_dim (x, 2) != IMAGE_SIZE || hs_tensor_get_dim (x, 3) != 3)
    {
      g_autofree char *shape = hs_tensor_shape_string (x);
      g_set_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_SHAPE,
                   "backbone: input %s is not [n, %d, %d, 3]", shape, IMAGE_SIZE, IMAGE_SIZE);
      return NULL;
    }

  h = conv_bn (net, HS_STAGE_STEM, x, net->stem_conv, &net->stem_bn, 1, 1, HS_ACT_RELU,
               training, error);
  if (h == NULL)
    return NULL;
  for (guint b = 0; b < N_BLOCKS; b++)
    {
      HsTensor *next = block_forward (net, b, h, training, error);

      if (next == NULL)
        return NULL;
      hs_tensor_unref (h);
      h = next;
    }
  return hs_global_avg_pool (h, error);
}

HsTensor *
hs_backbone_head (HsBackbone *net, HsTensor *features, GError **error)
{
  g_return_val_if_fail (net != NULL, NULL);
  g_return_val_if_fail (features != NULL, NULL);

  return hs_linear (features, net->head_w, net->head_b, HS_ACT_NONE, error);
}

HsTensor *
hs_backbone_forward (HsBackbone *net, HsTensor *x, gboolean training, GError **error)
{
  g_autoptr(HsTensor) features = hs_backbone_features (net, x, training, error);

  return features != NULL ? hs_backbone_head (net, features, error) : NULL;
}

static gboolean
check_architecture (HsWeights *w, GError **error)
{
  const char *arch = hs_weights_get_architecture (w);

  if (g_strcmp0 (arch, HS_BACKBONE_ARCH) != 0)
    {
      g_set_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_MISMATCH,
                   "backbone: weights are for architecture “%s”, not “%s”",
                   arch != NULL ? arch : "(none)", HS_BACKBONE_ARCH);
      return FALSE;
    }
  return TRUE;
}

gboolean
hs_backbone_save_weights (HsBackbone *net, HsWeights *w, GError **error)
{
  g_return_val_if_fail (net != NULL, FALSE);
  g_return_val_if_fail (w != NULL, FALSE);

  if (!check_architecture (w, error))
    return FALSE;
  for (guint i = 0; i < net->entries->len; i++)
    {
      HsEntry *e = &g_array_index (net->entries, HsEntry, i);

      if (!hs_weights_add_tensor (w, e->name, e->tensor, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
hs_backbone_load_weights (HsBackbone *net, HsWeights *w, gboolean skip_head, GError **error)
{
  g_return_val_if_fail (net != NULL, FALSE);
  g_return_val_if_fail (w != NULL, FALSE);

  if (!check_architecture (w, error))
    return FALSE;

  /* Check every entry before changing anything, so a mismatched file leaves
   * the network as it was rather than half loaded. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < net->entries->len; i++)
      {
        HsEntry *e = &g_array_index (net->entries, HsEntry, i);
        gint64 shape[4];
        guint ndim = hs_tensor_get_ndim (e->tensor);
        gsize numel;

        if (skip_head && e->stage == HS_STAGE_HEAD)
          continue;
        for (guint d = 0; d < ndim; d++)
          shape[d] = hs_tensor_get_dim (e->tensor, (gint) d);
        if (pass == 0 ? hs_weights_get_data (w, e->name, hs_tensor_get_dtype (e->tensor),
                                             ndim, shape, &numel, error) == NULL
                      : !hs_weights_copy_to (w, e->name, e->tensor, error))
          return FALSE;
      }
  return TRUE;
}

guint64
hs_backbone_macs (HsBackbone *net)
{
  guint64 macs = 0;
  guint64 size = IMAGE_SIZE;

  g_return_val_if_fail (net != NULL, 0);

  /* One multiply-add per weight per output pixel. */
  macs += size * size * stem_channels * 3 * 3 * 3;
  for (guint b = 0; b < N_BLOCKS; b++)
    {
      guint64 ic = block_in[b], oc = block_out[b];

      size /= 2;
      macs += size * size * oc * 3 * 3 * ic;  /* conv1, stride 2 */
      macs += size * size * oc * 3 * 3 * oc;  /* conv2 */
      macs += size * size * oc * ic;          /* 1×1 projection */
    }
  macs += (guint64) FEATURES * net->classes;
  return macs;
}

char *
hs_backbone_shipped_weights (void)
{
  const char *dirs[] = { g_getenv ("HS_WEIGHTS_DIR"), HS_SOURCE_WEIGHTS_DIR,
                         HS_INSTALLED_WEIGHTS_DIR };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    if (dirs[i] != NULL && dirs[i][0] != '\0')
      {
        g_autofree char *path = g_build_filename (dirs[i], "backbone.hswt", NULL);
        if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
          return g_steal_pointer (&path);
      }
  return NULL;
}
