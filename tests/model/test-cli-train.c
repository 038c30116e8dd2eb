/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hyperstar-cli pretrain` and `train` end to end, as a user runs them: the
 * built binary in a subprocess, on a small corpus of real recipes (two
 * Hershey font tasks, from a package build-aux/setup installs), with the
 * pretrained weights found where the shipped ones would be.
 */
#include <glib/gstdio.h>

#include "hs-test-cli.h"

static char *corpus_dir;    /* recipes: the pretraining corpus and the catalog */
static char *weights_dir;   /* HS_WEIGHTS_DIR */

static char *
tmp_path (const char *name)
{
  return g_build_filename (hs_test_cli_tmp_dir (), name, NULL);
}

static gboolean
same_bytes (const char *a, const char *b)
{
  g_autofree char *ta = NULL, *tb = NULL;
  gsize la, lb;

  g_assert_true (g_file_get_contents (a, &ta, &la, NULL));
  g_assert_true (g_file_get_contents (b, &tb, &lb, NULL));
  return la == lb && memcmp (ta, tb, la) == 0;
}

/* Stopped after epoch 1 and started again, pretraining ends with the
 * weights a run straight through writes; the running checkpoint goes. */
static void
test_pretrain_resume (void)
{
  g_autofree char *a = tmp_path ("a.hswt"), *b = tmp_path ("b.hswt");
  g_autofree char *a_ckpt = g_strconcat (a, ".ckpt", NULL);
  g_autofree char *b_ckpt = g_strconcat (b, ".ckpt", NULL);
  g_autoptr(HsCliRun) whole = NULL, first = NULL, rest = NULL;

  whole = hs_test_cli ("pretrain", "--epochs", "2", "--seed", "3", "--out", a, "--quiet", NULL);
  g_assert_cmpint (whole->status, ==, 0);
  g_assert_nonnull (strstr (whole->out, "36 classes"));  /* digits + letters */
  g_assert_nonnull (strstr (whole->out, "Test accuracy on the corpus"));
  g_assert_false (g_file_test (a_ckpt, G_FILE_TEST_EXISTS));

  first = hs_test_cli ("pretrain", "--epochs", "1", "--seed", "3", "--out", b,
                       "--keep-checkpoint", "--quiet", NULL);
  g_assert_cmpint (first->status, ==, 0);
  g_assert_true (g_file_test (b_ckpt, G_FILE_TEST_IS_REGULAR));
  rest = hs_test_cli ("pretrain", "--epochs", "2", "--seed", "3", "--out", b, "--quiet", NULL);
  g_assert_cmpint (rest->status, ==, 0);
  g_assert_nonnull (strstr (rest->out, "Continuing from"));
  g_assert_true (same_bytes (a, b));
}

static void
test_pretrain_errors (void)
{
  g_autofree char *nowhere = tmp_path ("no-such-folder/w.hswt");
  g_autofree char *c = tmp_path ("c.hswt");
  g_autofree char *c_ckpt = g_strconcat (c, ".ckpt", NULL);
  g_autoptr(HsCliRun) no_out = NULL, bad_folder = NULL, bad_ckpt = NULL, bad_key = NULL;
  g_autoptr(GError) error = NULL;

  no_out = hs_test_cli ("pretrain", "--epochs", "1", NULL);
  g_assert_cmpint (no_out->status, ==, 2);
  g_assert_nonnull (strstr (no_out->err, "--out"));

  bad_folder = hs_test_cli ("pretrain", "--epochs", "1", "--out", nowhere, NULL);
  g_assert_cmpint (bad_folder->status, ==, 1);
  g_assert_nonnull (strstr (bad_folder->err, "no-such-folder"));

  bad_key = hs_test_cli ("pretrain", "--epochs", "1", "--out", c, "--config", "{\"lr\": -1}",
                         NULL);
  g_assert_cmpint (bad_key->status, ==, 1);
  g_assert_nonnull (strstr (bad_key->err, "lr"));

  /* A checkpoint that is not one is refused, by name, and left alone. */
  g_file_set_contents (c_ckpt, "not a checkpoint", -1, &error);
  g_assert_no_error (error);
  bad_ckpt = hs_test_cli ("pretrain", "--epochs", "1", "--out", c, "--quiet", NULL);
  g_assert_cmpint (bad_ckpt->status, ==, 1);
  g_assert_nonnull (strstr (bad_ckpt->err, c_ckpt));
  g_assert_false (g_file_test (c, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (c_ckpt, G_FILE_TEST_EXISTS));
}

/* The JSON lines of `train --json`: epochs, then {"test_acc"}. */
static GPtrArray *
json_lines (HsCliRun *run)
{
  g_auto(GStrv) lines = g_strsplit (run->out, "\n", -1);
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_json_free);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      {
        g_autoptr(GError) error = NULL;
        HsJson *json = hs_json_parse (lines[i], &error);
        g_assert_no_error (error);
        g_ptr_array_add (objects, json);
      }
  return objects;
}

/* Fine-tuning finds the shipped weights, prints a learning curve, and a run
 * continued from a checkpoint ends where a run straight through ends. */
static void
test_train_shipped_resume (void)
{
  g_autofree char *shipped = g_build_filename (weights_dir, "backbone.hswt", NULL);
  g_autofree char *a = tmp_path ("a.hswt"), *ckpt = tmp_path ("train.ckpt");
  const char *config = "{\"lr\": 0.01, \"optimizer\": \"sgd\", \"finetune\": \"last\"}";
  g_autoptr(HsCliRun) whole = NULL, first = NULL, rest = NULL, table = NULL;
  g_autoptr(GPtrArray) w = NULL, r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bytes = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (a, &bytes, &length, NULL));
  g_file_set_contents (shipped, bytes, length, &error);
  g_assert_no_error (error);

  whole = hs_test_cli ("train", "--task", "digits", "--config", config, "--epochs", "3",
                       "--json", "--quiet", NULL);
  g_assert_cmpint (whole->status, ==, 0);
  g_assert_null (strstr (whole->err, "no shipped"));
  w = json_lines (whole);
  g_assert_cmpuint (w->len, ==, 4);
  for (guint e = 0; e < 3; e++)
    {
      HsJson *epoch = g_ptr_array_index (w, e);
      g_assert_cmpfloat (hs_json_get (epoch, "epoch")->number, ==, e + 1);
      g_assert_cmpfloat (hs_json_get (epoch, "train_loss")->number, >, 0);
      g_assert_cmpfloat (hs_json_get (epoch, "val_acc")->number, >=, 0);
      g_assert_cmpfloat (hs_json_get (epoch, "seconds")->number, >, 0);
    }

  first = hs_test_cli ("train", "--task", "digits", "--config", config, "--epochs", "1",
                       "--save", ckpt, "--quiet", NULL);
  g_assert_cmpint (first->status, ==, 0);
  rest = hs_test_cli ("train", "--task", "digits", "--config", config, "--epochs", "3",
                      "--resume", ckpt, "--json", "--quiet", NULL);
  g_assert_cmpint (rest->status, ==, 0);
  r = json_lines (rest);
  g_assert_cmpuint (r->len, ==, 4);
  for (guint e = 0; e < 3; e++)
    {
      g_assert_cmpfloat (hs_json_get (g_ptr_array_index (r, e), "train_loss")->number, ==,
                         hs_json_get (g_ptr_array_index (w, e), "train_loss")->number);
      g_assert_cmpfloat (hs_json_get (g_ptr_array_index (r, e), "val_acc")->number, ==,
                         hs_json_get (g_ptr_array_index (w, e), "val_acc")->number);
    }
  g_assert_cmpfloat (hs_json_get (g_ptr_array_index (r, 3), "test_acc")->number, ==,
                     hs_json_get (g_ptr_array_index (w, 3), "test_acc")->number);

  /* The table a person reads. */
  table = hs_test_cli ("train", "--task", "digits", "--config", config, "--epochs", "1",
                       "--quiet", NULL);
  g_assert_cmpint (table->status, ==, 0);
  g_assert_nonnull (strstr (table->out, "epoch  train loss  val acc"));
  g_assert_nonnull (strstr (table->out, shipped));
  g_assert_nonnull (strstr (table->out, "Test accuracy:"));
}

/* Weights that are not the backbone's are refused before any training. */
static void
test_train_bad_weights (void)
{
  g_autofree char *bad = tmp_path ("bad.hswt");
  g_autoptr(HsCliRun) run = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (bad, "HSWT but not really", -1, &error);
  g_assert_no_error (error);
  run = hs_test_cli ("train", "--task", "digits", "--weights", bad, "--epochs", "1", NULL);
  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->err, bad));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!hs_test_cli_init ())
    {
      g_test_skip ("HS_CLI does not name the built hyperstar-cli");
      return g_test_run ();
    }
  if (!hs_test_cli_have_hershey ())
    {
      g_test_skip ("hershey-fonts-data is not installed (build-aux/setup installs it)");
      return g_test_run ();
    }
  corpus_dir = tmp_path ("recipes");
  weights_dir = tmp_path ("weights");
  g_assert_cmpint (g_mkdir_with_parents (corpus_dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (weights_dir, 0755), ==, 0);
  hs_test_cli_write_hershey_recipe (corpus_dir, "digits", "0;1;2;3;4;5;6;7;8;9");
  hs_test_cli_write_hershey_recipe (corpus_dir, "letters",
                                    "A;B;C;D;E;F;G;H;I;J;K;L;M;N;O;P;Q;R;S;T;U;V;W;X;Y;Z");
  hs_test_cli_setenv ("HS_PRETRAIN_DIR", corpus_dir);
  hs_test_cli_setenv ("HS_TASKS_DIR", corpus_dir);
  hs_test_cli_setenv ("HS_WEIGHTS_DIR", weights_dir);
  hs_test_cli_setenv ("HS_DEVICE", "cpu");
  hs_test_cli_setenv ("OMP_NUM_THREADS", "2");

  /* In order: training uses the weights pretraining wrote. */
  g_test_add_func ("/cli/pretrain/resume", test_pretrain_resume);
  g_test_add_func ("/cli/pretrain/errors", test_pretrain_errors);
  g_test_add_func ("/cli/train/shipped-resume", test_train_shipped_resume);
  g_test_add_func ("/cli/train/bad-weights", test_train_bad_weights);
  status = g_test_run ();
  hs_test_cli_cleanup ();
  g_free (corpus_dir);
  g_free (weights_dir);
  return status;
}
