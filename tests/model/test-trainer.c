/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fine-tuning trainer on a tiny synthetic task (4 classes, one bright
 * coloured quadrant each, plus noise), on the CPU backend: exact resume from
 * a checkpoint, learning well above chance, head-only training that leaves
 * the rest of the backbone untouched, and checkpoints that are refused.
 */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hs-trainer.h"

#define N_CLASSES 4
#define PER_CLASS 40

static HsDevice *device;

static HsDataset *
make_dataset (const char *name, guint64 split_seed)
{
  g_autoptr (HsDataset) ds = hs_dataset_new (name, 32);
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  static const guint8 colours[N_CLASSES][3] = {
    { 230, 40, 40 }, { 40, 230, 40 }, { 40, 40, 230 }, { 230, 230, 40 },
  };
  guint8 img[32 * 32 * 3];
  g_autoptr (GError) error = NULL;

  for (guint c = 0; c < N_CLASSES; c++)
    {
      g_autofree char *cname = g_strdup_printf ("class%u", c);
      hs_dataset_add_class (ds, cname);
    }
  for (guint c = 0; c < N_CLASSES; c++)
    for (guint i = 0; i < PER_CLASS; i++)
      {
        guint qy = (c / 2) * 16, qx = (c % 2) * 16;
        for (guint y = 0; y < 32; y++)
          for (guint x = 0; x < 32; x++)
            for (guint k = 0; k < 3; k++)
              {
                gint v = 100 + g_rand_int_range (rand, -40, 41);
                if (y >= qy && y < qy + 16 && x >= qx && x < qx + 16)
                  v = colours[c][k] + g_rand_int_range (rand, -25, 26);
                img[(y * 32 + x) * 3 + k] = CLAMP (v, 0, 255);
              }
        hs_dataset_add_image (ds, img, c, 0);
      }
  g_assert_true (hs_dataset_make_splits (ds, split_seed, 0.2, 0.2, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&ds);
}

static HsTrainConfig
small_config (HsOptimizerKind optimizer, HsAugment augment)
{
  HsTrainConfig c;

  hs_train_config_init_defaults (&c);
  c.optimizer = optimizer;
  c.lr = optimizer == HS_OPTIMIZER_ADAM ? 0.003 : 0.05;
  c.batch_size = 20;   /* leaves a partial last batch */
  c.augment = augment;
  c.epochs = 3;
  c.seed = 11;
  return c;
}

/* Host copies of every backbone tensor. */
static GPtrArray *
snapshot (HsBackbone *net)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < hs_backbone_get_n_tensors (net); i++)
    {
      HsTensor *t = hs_backbone_get_tensor (net, i, NULL, NULL, NULL);
      gfloat *data = hs_tensor_to_floats (t, &error);
      g_assert_no_error (error);
      g_ptr_array_add (out, data);
    }
  return out;
}

static gboolean
same_tensor (HsBackbone *net, GPtrArray *a, GPtrArray *b, guint i)
{
  HsTensor *t = hs_backbone_get_tensor (net, i, NULL, NULL, NULL);

  return memcmp (a->pdata[i], b->pdata[i], hs_tensor_get_numel (t) * sizeof (gfloat)) == 0;
}

static void
count_epochs (const HsEpochResult *r, gpointer user_data)
{
  guint *n = user_data;

  (*n)++;
  g_assert_cmpuint (r->epoch, >, 0);
}

static void
check_resume (HsOptimizerKind optimizer)
{
  g_autoptr (HsDataset) ds = make_dataset ("tiny", 1);
  HsTrainConfig config = small_config (optimizer, HS_AUGMENT_STRONG);
  g_autoptr (HsTrainer) straight = NULL;
  g_autoptr (HsTrainer) first = NULL;
  g_autoptr (HsTrainer) resumed = NULL;
  g_autoptr (GPtrArray) w1 = NULL;
  g_autoptr (GPtrArray) w2 = NULL;
  g_autoptr (GArray) c1 = NULL;
  g_autoptr (GArray) c2 = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hs-trainer-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "ckpt.hswt", NULL);
  guint n_epochs = 0;

  straight = hs_trainer_new (device, ds, &config, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hs_trainer_run (straight, 3, count_epochs, NULL, &n_epochs, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_epochs, ==, 3);

  first = hs_trainer_new (device, ds, &config, NULL, &error);
  g_assert_true (hs_trainer_run (first, 1, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hs_trainer_save_checkpoint (first, path, &error));
  g_assert_no_error (error);

  resumed = hs_trainer_new (device, ds, &config, NULL, &error);
  g_assert_true (hs_trainer_load_checkpoint (resumed, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hs_trainer_get_epoch (resumed), ==, 1);
  g_assert_true (hs_trainer_run (resumed, 3, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hs_trainer_get_epoch (resumed), ==, 3);

  c1 = hs_trainer_get_curve (straight);
  c2 = hs_trainer_get_curve (resumed);
  for (guint i = 0; i < 3; i++)
    g_test_message ("epoch %u: %.9g %.9g / %.9g %.9g", i + 1,
                    g_array_index (c1, HsEpochResult, i).train_loss,
                    g_array_index (c1, HsEpochResult, i).val_acc,
                    g_array_index (c2, HsEpochResult, i).train_loss,
                    g_array_index (c2, HsEpochResult, i).val_acc);
  w1 = snapshot (hs_trainer_get_backbone (straight));
  w2 = snapshot (hs_trainer_get_backbone (resumed));
  for (guint i = 0; i < w1->len; i++)
    {
      const char *name;
      hs_backbone_get_tensor (hs_trainer_get_backbone (straight), i, &name, NULL, NULL);
      if (!same_tensor (hs_trainer_get_backbone (straight), w1, w2, i))
        g_error ("%s differs after resuming", name);
    }

  g_assert_cmpuint (c1->len, ==, 3);
  g_assert_cmpuint (c2->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      HsEpochResult *a = &g_array_index (c1, HsEpochResult, i);
      HsEpochResult *b = &g_array_index (c2, HsEpochResult, i);
      g_assert_cmpuint (a->epoch, ==, i + 1);
      g_assert_cmpuint (b->epoch, ==, i + 1);
      g_assert_cmpfloat (a->train_loss, ==, b->train_loss);
      g_assert_cmpfloat (a->val_acc, ==, b->val_acc);
      g_assert_true (isfinite (a->train_loss));
    }
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_resume_sgd (void)
{
  check_resume (HS_OPTIMIZER_SGD);
}

static void
test_resume_adam (void)
{
  check_resume (HS_OPTIMIZER_ADAM);
}

static void
progress_cb (guint64 done, guint64 total, const char *what, gpointer user_data)
{
  guint64 *last = user_data;

  g_assert_cmpuint (done, ==, *last + 1);
  g_assert_cmpuint (done, <=, total);
  *last = done;
}

static void
test_learns (void)
{
  g_autoptr (HsDataset) ds = make_dataset ("tiny", 1);
  HsTrainConfig config = small_config (HS_OPTIMIZER_SGD, HS_AUGMENT_NONE);
  g_autoptr (HsTrainer) tr = NULL;
  g_autoptr (GArray) curve = NULL;
  g_autoptr (GError) error = NULL;
  guint64 steps = 0;
  gdouble acc = 0;

  tr = hs_trainer_new (device, ds, &config, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hs_trainer_run (tr, 6, NULL, progress_cb, &steps, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (steps, >, 0);
  curve = hs_trainer_get_curve (tr);
  for (guint i = 0; i < curve->len; i++)
    {
      HsEpochResult *r = &g_array_index (curve, HsEpochResult, i);
      g_test_message ("epoch %u: loss %.4f, val %.3f, %.2f s", r->epoch, r->train_loss,
                      r->val_acc, r->seconds);
    }
  g_assert_cmpfloat (g_array_index (curve, HsEpochResult, curve->len - 1).val_acc, >=, 0.8);
  g_assert_cmpfloat (g_array_index (curve, HsEpochResult, curve->len - 1).train_loss, <,
                     g_array_index (curve, HsEpochResult, 0).train_loss);
  g_assert_true (hs_trainer_evaluate (tr, HS_SPLIT_TEST, &acc, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (acc, >=, 0.7);
}

static void
test_head_only (void)
{
  g_autoptr (HsDataset) ds = make_dataset ("tiny", 1);
  HsTrainConfig config = small_config (HS_OPTIMIZER_ADAM, HS_AUGMENT_FLIP_CROP);
  g_autoptr (HsTrainer) tr = NULL;
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GError) error = NULL;
  HsBackbone *net;
  gboolean head_changed = FALSE;

  config.finetune = HS_FINETUNE_HEAD;
  tr = hs_trainer_new (device, ds, &config, NULL, &error);
  g_assert_no_error (error);
  net = hs_trainer_get_backbone (tr);
  before = snapshot (net);
  g_assert_true (hs_trainer_run (tr, 2, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  after = snapshot (net);
  for (guint i = 0; i < before->len; i++)
    {
      const char *name;
      HsStage stage;
      hs_backbone_get_tensor (net, i, &name, &stage, NULL);
      if (stage == HS_STAGE_HEAD)
        head_changed |= !same_tensor (net, before, after, i);
      else if (!same_tensor (net, before, after, i))
        g_error ("%s changed in head-only training", name);
    }
  g_assert_true (head_changed);
}

static void
assert_refused (HsTrainer *tr, const char *path, const char *needle)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (hs_trainer_load_checkpoint (tr, path, &error));
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  if (strstr (error->message, needle) == NULL)
    g_error ("\"%s\" does not name %s", error->message, needle);
  g_assert_cmpuint (hs_trainer_get_epoch (tr), ==, 0);
}

static void
test_refused (void)
{
  g_autoptr (HsDataset) ds = make_dataset ("tiny", 1);
  g_autoptr (HsDataset) other_name = make_dataset ("other", 1);
  g_autoptr (HsDataset) other_split = make_dataset ("tiny", 2);
  HsTrainConfig config = small_config (HS_OPTIMIZER_SGD, HS_AUGMENT_NONE);
  HsTrainConfig other_lr = config, more_epochs = config;
  g_autoptr (HsTrainer) tr = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hs-trainer-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "ckpt.hswt", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.hswt", NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;

  tr = hs_trainer_new (device, ds, &config, NULL, &error);
  g_assert_true (hs_trainer_run (tr, 1, NULL, NULL, NULL, NULL, &error));
  g_assert_true (hs_trainer_save_checkpoint (tr, path, &error));
  g_assert_no_error (error);

  {
    g_autoptr (HsTrainer) t = hs_trainer_new (device, other_name, &config, NULL, &error);
    assert_refused (t, path, "name");
  }
  {
    g_autoptr (HsTrainer) t = hs_trainer_new (device, other_split, &config, NULL, &error);
    assert_refused (t, path, "split_seed");
  }
  other_lr.lr = 0.02;
  {
    g_autoptr (HsTrainer) t = hs_trainer_new (device, ds, &other_lr, NULL, &error);
    assert_refused (t, path, "lr");
  }
  /* Epochs are not part of the identity: Hyperband extends runs. */
  more_epochs.epochs = 9;
  {
    g_autoptr (HsTrainer) t = hs_trainer_new (device, ds, &more_epochs, NULL, &error);
    g_assert_true (hs_trainer_load_checkpoint (t, path, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (hs_trainer_get_epoch (t), ==, 1);
  }

  /* A flipped byte, and a truncated file. */
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  contents[len / 2] ^= 0x5a;
  g_assert_true (g_file_set_contents (bad, contents, len, &error));
  {
    g_autoptr (HsTrainer) t = hs_trainer_new (device, ds, &config, NULL, &error);
    g_assert_false (hs_trainer_load_checkpoint (t, bad, &error));
    g_assert_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_CORRUPT);
    g_clear_error (&error);
    g_assert_true (g_file_set_contents (bad, contents, len / 3, &error));
    g_assert_false (hs_trainer_load_checkpoint (t, bad, &error));
    g_assert_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_CORRUPT);
    g_assert_cmpuint (hs_trainer_get_epoch (t), ==, 0);
  }
  g_unlink (bad);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  device = hs_device_new ("cpu", &error);
  g_assert_no_error (error);

  g_test_add_func ("/trainer/resume-sgd", test_resume_sgd);
  g_test_add_func ("/trainer/resume-adam", test_resume_adam);
  g_test_add_func ("/trainer/learns", test_learns);
  g_test_add_func ("/trainer/head-only", test_head_only);
  g_test_add_func ("/trainer/refused", test_refused);
  ret = g_test_run ();
  hs_device_unref (device);
  return ret;
}
