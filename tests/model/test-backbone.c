/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The residual backbone: shapes, cost, tensor names, weight round trips, and
 * that freezing stages really leaves them untouched and off the tape.
 *
 * HS_BACKBONE_BENCH=1 also times training steps at batch 64 (full fine-tune
 * and head-only) and prints img/s.
 */
#include <string.h>

#include <glib/gstdio.h>

#include "hs-backbone.h"

#define BATCH 8

static HsDevice *
cpu_device (void)
{
  g_autoptr(GError) error = NULL;
  HsDevice *dev = hs_device_new ("cpu", &error);

  g_assert_no_error (error);
  return dev;
}

/* A deterministic batch of images in [-1, 1). */
static HsTensor *
make_images (HsDevice *dev, gint64 n, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gint64 shape[4] = { n, 32, 32, 3 };
  g_autoptr(GError) error = NULL;
  HsTensor *x = hs_tensor_new_uniform (dev, 4, shape, rand, -1.f, 1.f, &error);

  g_assert_no_error (error);
  return x;
}

static HsTensor *
make_labels (HsDevice *dev, gint64 n, gint classes)
{
  g_autofree gint32 *data = g_new (gint32, n);
  g_autoptr(GError) error = NULL;
  HsTensor *t;

  for (gint64 i = 0; i < n; i++)
    data[i] = (gint32) (i % classes);
  t = hs_tensor_new_from_data (dev, HS_DTYPE_I32, 1, &n, data, &error);
  g_assert_no_error (error);
  return t;
}

static gfloat *
floats (HsTensor *t)
{
  g_autoptr(GError) error = NULL;
  gfloat *data = hs_tensor_to_floats (t, &error);

  g_assert_no_error (error);
  return data;
}

static void
assert_shape (HsTensor *t, gint64 d0, gint64 d1)
{
  g_assert_nonnull (t);
  g_assert_cmpuint (hs_tensor_get_ndim (t), ==, 2);
  g_assert_cmpint (hs_tensor_get_dim (t, 0), ==, d0);
  g_assert_cmpint (hs_tensor_get_dim (t, 1), ==, d1);
}

static void
test_shapes (void)
{
  g_autoptr(HsDevice) dev = cpu_device ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HsBackbone) net = hs_backbone_new (dev, 10, 1, &error);
  g_autoptr(HsTensor) x = make_images (dev, BATCH, 2);
  g_autoptr(HsTensor) features = NULL, logits = NULL, logits_eval = NULL, bad = NULL;
  g_autoptr(HsTensor) wrong = NULL;
  gint64 wrong_shape[4] = { 2, 28, 28, 1 };

  g_assert_no_error (error);
  g_assert_cmpuint (hs_backbone_get_classes (net), ==, 10);

  features = hs_backbone_features (net, x, FALSE, &error);
  g_assert_no_error (error);
  assert_shape (features, BATCH, 128);
  logits = hs_backbone_head (net, features, &error);
  g_assert_no_error (error);
  assert_shape (logits, BATCH, 10);
  logits_eval = hs_backbone_forward (net, x, TRUE, &error);
  g_assert_no_error (error);
  assert_shape (logits_eval, BATCH, 10);

  /* A wrong input shape is an error naming the shape, not a crash. */
  wrong = hs_tensor_new_zeros (dev, HS_DTYPE_F32, 4, wrong_shape, &error);
  g_assert_no_error (error);
  bad = hs_backbone_forward (net, wrong, FALSE, &error);
  g_assert_null (bad);
  g_assert_error (error, HS_COMPUTE_ERROR, HS_COMPUTE_ERROR_SHAPE);
  g_assert_nonnull (strstr (error->message, "[2, 28, 28, 1]"));
}

static void
test_macs (void)
{
  g_autoptr(HsDevice) dev = cpu_device ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HsBackbone) net10 = hs_backbone_new (dev, 10, 1, &error);
  g_autoptr(HsBackbone) net100 = hs_backbone_new (dev, 100, 1, &error);
  /* From the layer shapes (output pixels × oc × kh × kw × c):
   *   stem    32·32·16·27                                 442 368
   *   stage1  16·16·32·(9·16 + 9·32 + 16)               3 670 016
   *   stage2   8·8·64·(9·32 + 9·64 + 32)                3 670 016
   *   stage3   4·4·128·(9·64 + 9·128 + 64)              3 670 016
   *   head    128·classes                         1 280 (10 classes)
   * = 11 453 696 for 10 classes. */
  const guint64 body = 442368 + 3 * 3670016ull;

  g_assert_no_error (error);
  g_assert_cmpuint (hs_backbone_macs (net10), ==, body + 128 * 10);
  g_assert_cmpuint (hs_backbone_macs (net10), ==, 11453696);
  g_assert_cmpuint (hs_backbone_macs (net100), ==, body + 128 * 100);
  g_assert_cmpuint (hs_backbone_macs (net10), >=, 5000000);
  g_assert_cmpuint (hs_backbone_macs (net10), <=, 15000000);
}

static void
test_names (void)
{
  g_autoptr(HsDevice) dev = cpu_device ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HsBackbone) net = hs_backbone_new (dev, 7, 1, &error);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  static const char *const bn_params[] = { "weight", "bias", "running_mean", "running_var" };
  guint n = hs_backbone_get_n_tensors (net);
  guint n_learnable = 0;
  guint expected_n = 5 + 3 * (3 + 3 * 4) + 2;

  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, expected_n);
  for (guint i = 0; i < n; i++)
    {
      const char *name = NULL;
      HsStage stage = HS_N_STAGES;
      gboolean learnable = FALSE;
      HsTensor *t = hs_backbone_get_tensor (net, i, &name, &stage, &learnable);
      g_autofree char *prefix = NULL;

      g_assert_nonnull (t);
      g_assert_nonnull (name);
      g_assert_cmpuint (stage, <, HS_N_STAGES);
      prefix = g_strconcat (hs_stage_to_string (stage), ".", NULL);
      g_assert_true (g_str_has_prefix (name, prefix));
      g_assert_false (g_hash_table_contains (seen, name));
      g_hash_table_add (seen, (gpointer) name);
      g_assert_cmpint (learnable, ==, !g_str_has_suffix (name, ".running_mean") &&
                                      !g_str_has_suffix (name, ".running_var"));
      n_learnable += learnable;
    }
  g_assert_cmpuint (n_learnable, ==, 3 + 3 * (3 + 3 * 2) + 2);

  /* The documented names, with their shapes. */
  {
    static const struct { const char *name; gint64 d0, d_last; } expect[] = {
      { "stem.conv.weight", 16, 3 },
      { "stage1.conv1.weight", 32, 16 },
      { "stage1.conv2.weight", 32, 32 },
      { "stage1.proj.weight", 32, 16 },
      { "stage2.conv1.weight", 64, 32 },
      { "stage3.conv2.weight", 128, 128 },
      { "stage3.proj.weight", 128, 64 },
      { "head.weight", 7, 128 },
      { "head.bias", 7, 7 },
    };
    for (guint k = 0; k < G_N_ELEMENTS (expect); k++)
      {
        gboolean found = FALSE;

        for (guint i = 0; i < n && !found; i++)
          {
            const char *name;
            HsTensor *t = hs_backbone_get_tensor (net, i, &name, NULL, NULL);

            if (strcmp (name, expect[k].name) != 0)
              continue;
            found = TRUE;
            g_assert_cmpint (hs_tensor_get_dim (t, 0), ==, expect[k].d0);
            g_assert_cmpint (hs_tensor_get_dim (t, -1), ==, expect[k].d_last);
          }
        if (!found)
          g_error ("no tensor named %s", expect[k].name);
      }
    for (guint s = 0; s < 4; s++)
      for (guint l = 0; l < (s == 0 ? 1 : 3); l++)
        for (guint p = 0; p < G_N_ELEMENTS (bn_params); p++)
          {
            static const char *const stage_bns[] = { "bn", "bn1", "bn2", "proj_bn" };
            g_autofree char *name =
              g_strdup_printf ("%s.%s.%s", hs_stage_to_string (s),
                               s == 0 ? "bn" : stage_bns[l + 1], bn_params[p]);
            if (!g_hash_table_contains (seen, name))
              g_error ("no tensor named %s", name);
          }
  }
}

/* Runs a training-mode forward so BN running statistics move away from
 * their initial values, making the round trip test meaningful. */
static void
perturb (HsBackbone *net, HsDevice *dev)
{
  g_autoptr(HsTensor) x = make_images (dev, BATCH, 99);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTensor) y = hs_backbone_forward (net, x, TRUE, &error);

  g_assert_no_error (error);
}

static void
test_round_trip (void)
{
  g_autoptr(HsDevice) dev = cpu_device ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HsBackbone) a = hs_backbone_new (dev, 10, 1, &error);
  g_autoptr(HsBackbone) b = hs_backbone_new (dev, 10, 2, &error);
  g_autoptr(HsWeights) w = hs_weights_new (HS_BACKBONE_ARCH);
  g_autoptr(HsWeights) loaded = NULL;
  g_autoptr(HsTensor) x = make_images (dev, BATCH, 3);
  g_autoptr(HsTensor) ya = NULL, yb = NULL, yb_before = NULL;
  g_autofree char *dir = NULL, *path = NULL;
  g_autofree gfloat *fa = NULL, *fb = NULL, *fb_before = NULL;
  gsize n;

  g_assert_no_error (error);
  perturb (a, dev);
  g_assert_true (hs_backbone_save_weights (a, w, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hs_weights_get_n_entries (w), ==, hs_backbone_get_n_tensors (a));
  g_assert_cmpstr (hs_weights_get_entry_name (w, 0), ==, "stem.conv.weight");

  /* Through a file, as the shipped weights travel. */
  dir = g_dir_make_tmp ("hs-backbone-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "bb.hswt", NULL);
  g_assert_true (hs_weights_save (w, path, &error));
  g_assert_no_error (error);
  loaded = hs_weights_load (path, HS_BACKBONE_ARCH, &error);
  g_assert_no_error (error);

  yb_before = hs_backbone_forward (b, x, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (hs_backbone_load_weights (b, loaded, FALSE, &error));
  g_assert_no_error (error);

  ya = hs_backbone_forward (a, x, FALSE, &error);
  g_assert_no_error (error);
  yb = hs_backbone_forward (b, x, FALSE, &error);
  g_assert_no_error (error);
  fa = floats (ya);
  fb = floats (yb);
  fb_before = floats (yb_before);
  n = hs_tensor_get_numel (ya);
  g_assert_cmpmem (fa, n * sizeof (gfloat), fb, n * sizeof (gfloat));
  g_assert_true (memcmp (fb_before, fb, n * sizeof (gfloat)) != 0);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_skip_head (void)
{
  g_autoptr(HsDevice) dev = cpu_device ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HsBackbone) src = hs_backbone_new (dev, 10, 1, &error);
  g_autoptr(HsBackbone) dst = hs_backbone_new (dev, 5, 2, &error);
  g_autoptr(HsWeights) w = hs_weights_new (HS_BACKBONE_ARCH);
  g_autoptr(HsWeights) other = hs_weights_new ("not-" HS_BACKBONE_ARCH);
  g_autoptr(HsTensor) x = make_images (dev, BATCH, 4);
  g_autoptr(HsTensor) fs = NULL, fd = NULL, fd_before = NULL, logits = NULL;
  g_autofree gfloat *a = NULL, *b = NULL, *b_before = NULL;
  gsize n;

  g_assert_no_error (error);
  perturb (src, dev);
  g_assert_true (hs_backbone_save_weights (src, w, &error));
  g_assert_no_error (error);

  fd_before = hs_backbone_features (dst, x, FALSE, &error);
  g_assert_no_error (error);
  b_before = floats (fd_before);

  /* Without skip_head the head's shape differs: refused, naming it, and
   * nothing is loaded (the features are unchanged). */
  g_assert_false (hs_backbone_load_weights (dst, w, FALSE, &error));
  g_assert_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "head.weight"));
  g_clear_error (&error);
  {
    g_autoptr(HsTensor) again = hs_backbone_features (dst, x, FALSE, &error);
    g_autofree gfloat *c = floats (again);

    g_assert_no_error (error);
    g_assert_cmpmem (c, BATCH * 128 * sizeof (gfloat), b_before, BATCH * 128 * sizeof (gfloat));
  }

  /* Another architecture id is refused too. */
  g_assert_false (hs_backbone_load_weights (dst, other, TRUE, &error));
  g_assert_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_MISMATCH);
  g_clear_error (&error);

  g_assert_true (hs_backbone_load_weights (dst, w, TRUE, &error));
  g_assert_no_error (error);
  fs = hs_backbone_features (src, x, FALSE, &error);
  g_assert_no_error (error);
  fd = hs_backbone_features (dst, x, FALSE, &error);
  g_assert_no_error (error);
  n = hs_tensor_get_numel (fs);
  a = floats (fs);
  b = floats (fd);
  g_assert_cmpmem (a, n * sizeof (gfloat), b, n * sizeof (gfloat));
  logits = hs_backbone_head (dst, fd, &error);
  g_assert_no_error (error);
  assert_shape (logits, BATCH, 5);
}

/* Host copies of every tensor of net, in order. */
static GPtrArray *
snapshot (HsBackbone *net)
{
  GPtrArray *s = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < hs_backbone_get_n_tensors (net); i++)
    g_ptr_array_add (s, floats (hs_backbone_get_tensor (net, i, NULL, NULL, NULL)));
  return s;
}

/* One SGD step on a fixed batch; returns the number of tape nodes. */
static guint
train_step (HsBackbone *net, HsDevice *dev, HsTensor *x, HsTensor *labels, guint *n_params)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsOptimizer) opt = hs_optimizer_new_sgd (dev, 0.1f, 0.9f, 1e-4f);
  GPtrArray *params = hs_backbone_trainable_params (net);
  g_autoptr(HsTensor) logits = NULL, loss = NULL;
  guint nodes;

  for (guint i = 0; i < params->len; i++)
    hs_optimizer_add_param (opt, params->pdata[i]);
  *n_params = params->len;

  {
    g_autoptr(HsTape) tape = hs_tape_new (dev);

    logits = hs_backbone_forward (net, x, TRUE, &error);
    g_assert_no_error (error);
    loss = hs_cross_entropy (logits, labels, &error);
    g_assert_no_error (error);
    g_assert_true (hs_tape_backward (tape, loss, &error));
    g_assert_no_error (error);
    nodes = hs_tape_get_n_nodes (tape);
  }
  g_assert_true (hs_optimizer_step (opt, &error));
  g_assert_no_error (error);
  g_assert_true (hs_device_sync (dev, &error));
  g_assert_no_error (error);
  return nodes;
}

static void
test_freeze (void)
{
  g_autoptr(HsDevice) dev = cpu_device ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HsBackbone) net = hs_backbone_new (dev, 10, 1, &error);
  g_autoptr(HsTensor) x = make_images (dev, BATCH, 5);
  g_autoptr(HsTensor) labels = make_labels (dev, BATCH, 10);
  g_autoptr(GPtrArray) before = NULL, after = NULL, before_all = NULL, after_all = NULL;
  guint nodes_head, nodes_last, nodes_all, n_params;

  g_assert_no_error (error);
  /* Move the running statistics off 0/1 first, so "untouched" means more
   * than "still at the initial value". */
  perturb (net, dev);

  hs_backbone_set_finetune (net, HS_FINETUNE_HEAD);
  before = snapshot (net);
  nodes_head = train_step (net, dev, x, labels, &n_params);
  g_assert_cmpuint (n_params, ==, 2);
  after = snapshot (net);
  for (guint i = 0; i < before->len; i++)
    {
      const char *name;
      HsStage stage;
      HsTensor *t = hs_backbone_get_tensor (net, i, &name, &stage, NULL);
      gsize bytes = hs_tensor_get_numel (t) * sizeof (gfloat);

      if (stage != HS_STAGE_HEAD)
        {
          if (memcmp (before->pdata[i], after->pdata[i], bytes) != 0)
            g_error ("frozen tensor %s changed", name);
        }
      else if (memcmp (before->pdata[i], after->pdata[i], bytes) == 0)
        g_error ("head tensor %s did not change", name);
    }
  /* Frozen parameters got no gradient at all. */
  for (guint i = 0; i < hs_backbone_get_n_tensors (net); i++)
    {
      HsStage stage;
      HsTensor *t = hs_backbone_get_tensor (net, i, NULL, &stage, NULL);

      if (stage != HS_STAGE_HEAD)
        g_assert_null (hs_tensor_get_grad (t));
    }

  hs_backbone_set_finetune (net, HS_FINETUNE_LAST);
  nodes_last = train_step (net, dev, x, labels, &n_params);
  g_assert_cmpuint (n_params, ==, 2 + 3 * 2 + 3);

  hs_backbone_set_finetune (net, HS_FINETUNE_ALL);
  before_all = snapshot (net);
  nodes_all = train_step (net, dev, x, labels, &n_params);
  g_assert_cmpuint (n_params, ==, 3 + 3 * (3 + 3 * 2) + 2);
  after_all = snapshot (net);

  g_test_message ("tape nodes: head %u, last %u, all %u", nodes_head, nodes_last, nodes_all);
  g_assert_cmpuint (nodes_head, >, 0);
  g_assert_cmpuint (nodes_head, <, nodes_last);
  g_assert_cmpuint (nodes_last, <, nodes_all);

  /* With everything trainable, the stem and its running statistics move. */
  for (guint i = 0; i < before_all->len; i++)
    {
      const char *name;
      HsTensor *t = hs_backbone_get_tensor (net, i, &name, NULL, NULL);
      gsize bytes = hs_tensor_get_numel (t) * sizeof (gfloat);

      if ((strcmp (name, "stem.conv.weight") == 0 || strcmp (name, "stem.bn.running_mean") == 0) &&
          memcmp (before_all->pdata[i], after_all->pdata[i], bytes) == 0)
        g_error ("%s did not change with finetune=all", name);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/backbone/shapes", test_shapes);
  g_test_add_func ("/backbone/macs", test_macs);
  g_test_add_func ("/backbone/names", test_names);
  g_test_add_func ("/backbone/round-trip", test_round_trip);
  g_test_add_func ("/backbone/skip-head", test_skip_head);
  g_test_add_func ("/backbone/freeze", test_freeze);
  return g_test_run ();
}
