/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Dropout against the hash of hs-random.h, and the tape's bookkeeping:
 * accumulation across backward passes, inputs used twice, what is recorded.
 */
#include <math.h>

#include "hs-random.h"
#include "hs-test-util.h"
#include "test-ops.h"

#define DROP_P 0.3f

/* x: 3050 values away from zero, so a zero in the output means dropped. */
static HsTensor *
dropout_input (double *x)
{
  const gint64 shape[] = { 50, 61 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);

  for (gsize i = 0; i < 3050; i++)
    x[i] = (float) (g_rand_double_range (rand, 0.1, 2.0) * (g_rand_boolean (rand) ? 1 : -1));
  return ht_tensor_new (ht.device, HS_DTYPE_F32, 2, shape, x);
}

/* Checks y against x: every element dropped (0) or x / (1 - p); fills keep. */
static gboolean
check_dropout_values (const double *x, const double *y, gsize n, gboolean *keep)
{
  gsize bad = 0, first = 0;

  for (gsize i = 0; i < n; i++)
    {
      double scaled = x[i] / (1.0 - DROP_P);
      keep[i] = y[i] != 0.0;
      if (keep[i] && fabs (y[i] - scaled) > 1e-6 + 1e-5 * fabs (scaled))
        {
          if (bad++ == 0)
            first = i;
        }
    }
  if (bad == 0)
    return TRUE;
  ht_fail ("%" G_GSIZE_FORMAT " kept elements are not x / (1 - p); first at %"
           G_GSIZE_FORMAT ": got %g, want %g", bad, first, y[first],
           x[first] / (1.0 - DROP_P));
  return FALSE;
}

static void
test_dropout_forward (void)
{
  double x[3050];
  gboolean keep[3050];
  g_autoptr (HsTensor) tx = NULL;
  g_autoptr (HsTensor) ty = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree double *y = NULL;
  guint32 threshold = hs_dropout_threshold (DROP_P);
  gsize dropped = 0, mismatched = 0;

  if (!ht_require_device ())
    return;
  tx = dropout_input (x);
  hs_device_seed (ht.device, 1234);
  ty = hs_dropout (tx, DROP_P, TRUE, &error);
  if (!ht_check_no_error ("dropout", error) || (y = ht_tensor_read (ty)) == NULL)
    return;
  check_dropout_values (x, y, 3050, keep);

  for (gsize i = 0; i < 3050; i++)
    {
      dropped += !keep[i];
      /* The first dropout after hs_device_seed (dev, s) hashes with seed s. */
      mismatched += keep[i] != hs_dropout_keep (1234, i, threshold);
    }
  /* 3050 Bernoulli(0.3) draws: the standard deviation of the fraction is
   * 0.0083; 0.03 is 3.6 of them. */
  g_test_message ("dropped %" G_GSIZE_FORMAT " of 3050", dropped);
  if (fabs ((double) dropped / 3050 - DROP_P) > 0.03)
    ht_fail ("dropped fraction %.3f, expected %.2f", dropped / 3050.0, DROP_P);
  if (mismatched != 0)
    ht_fail ("%" G_GSIZE_FORMAT " elements disagree with hs_dropout_keep (seed "
             "1234)", mismatched);
}

static void
test_dropout_backward (void)
{
  double x[3050], r[3050], want[3050];
  gboolean keep[3050];
  const gint64 shape[] = { 50, 61 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (43);
  g_autoptr (HsTensor) tx = NULL;
  g_autoptr (HsTensor) tr = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree double *y = NULL;
  g_autofree double *grad = NULL;
  HsTensor *ty = NULL, *prod = NULL, *loss = NULL;
  HsTape *tape;

  if (!ht_require_device ())
    return;
  tx = dropout_input (x);
  hs_tensor_set_requires_grad (tx, TRUE);
  ht_fill_normal (rand, r, 3050, 1.0);
  tr = ht_tensor_new (ht.device, HS_DTYPE_F32, 2, shape, r);

  hs_device_seed (ht.device, 99);
  tape = hs_tape_new (ht.device);
  ty = hs_dropout (tx, DROP_P, TRUE, &error);
  if (ty != NULL)
    prod = hs_mul (ty, tr, &error);
  if (prod != NULL)
    loss = hs_sum_all (prod, &error);
  /* Another dropout between forward and backward moves the device's seed
   * counter on; the backward pass must still use the forward's mask. */
  if (loss != NULL)
    {
      g_autoptr (HsTensor) other = hs_dropout (tr, DROP_P, TRUE, &error);
      if (other != NULL)
        hs_tape_backward (tape, loss, &error);
    }
  hs_tape_free (tape);

  if (ht_check_no_error ("dropout forward and backward", error)
      && (y = ht_tensor_read (ty)) != NULL
      && check_dropout_values (x, y, 3050, keep))
    {
      HsTensor *g = hs_tensor_get_grad (tx);

      /* The backward pass must drop exactly what the forward dropped. */
      for (gsize i = 0; i < 3050; i++)
        want[i] = keep[i] ? (float) r[i] / (1.0 - DROP_P) : 0.0;
      if (g == NULL)
        ht_fail ("x requires grad but got none");
      else if ((grad = ht_tensor_read (g)) != NULL)
        ht_check_close ("dropout grad", grad, want, 3050, 1e-6, 1e-5);
    }
  g_clear_pointer (&loss, hs_tensor_unref);
  g_clear_pointer (&prod, hs_tensor_unref);
  g_clear_pointer (&ty, hs_tensor_unref);
}

/* The same seed drops the same elements; the next call draws a new mask. */
static void
test_dropout_seed (void)
{
  double x[3050];
  gboolean keep[3][3050];
  g_autoptr (HsTensor) tx = NULL;
  gsize differ_same = 0, differ_next = 0;

  if (!ht_require_device ())
    return;
  tx = dropout_input (x);
  for (guint k = 0; k < 3; k++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (HsTensor) ty = NULL;
      g_autofree double *y = NULL;

      /* Seeds 5, 5, then whatever follows the second call. */
      if (k < 2)
        hs_device_seed (ht.device, 5);
      ty = hs_dropout (tx, DROP_P, TRUE, &error);
      if (!ht_check_no_error ("dropout", error) || (y = ht_tensor_read (ty)) == NULL)
        return;
      check_dropout_values (x, y, 3050, keep[k]);
    }
  for (gsize i = 0; i < 3050; i++)
    {
      differ_same += keep[0][i] != keep[1][i];
      differ_next += keep[1][i] != keep[2][i];
    }
  g_assert_cmpuint (differ_same, ==, 0);
  /* Independent masks differ at 2 p (1 - p) = 42 % of the elements. */
  g_assert_cmpuint (differ_next, >, 3050 / 4);
}

static void
test_dropout_identity (void)
{
  double x[3050];
  g_autoptr (HsTensor) tx = NULL;

  if (!ht_require_device ())
    return;
  tx = dropout_input (x);
  for (guint k = 0; k < 2; k++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (HsTensor) ty = NULL;
      g_autofree double *y = NULL;

      /* Inference, then p = 0 while training. */
      ty = k == 0 ? hs_dropout (tx, DROP_P, FALSE, &error) : hs_dropout (tx, 0.0f, TRUE, &error);
      if (ht_check_no_error ("dropout", error) && (y = ht_tensor_read (ty)) != NULL)
        ht_check_close (k == 0 ? "dropout in inference" : "dropout with p = 0", y, x, 3050,
                        0.0, 0.0);
    }
}

/* ---- tape ---- */

/* loss = sum (f(x) * r), f = x * x (which = 1) or x + x, backward once. */
static gboolean
tape_step (HsTensor *x, HsTensor *r, guint which)
{
  g_autoptr (GError) error = NULL;
  HsTape *tape = hs_tape_new (ht.device);
  HsTensor *y = NULL, *prod = NULL, *loss = NULL;
  gboolean ok = FALSE;

  y = which == 1 ? hs_mul (x, x, &error) : hs_add (x, x, &error);
  if (y != NULL)
    prod = hs_mul (y, r, &error);
  if (prod != NULL)
    loss = hs_sum_all (prod, &error);
  if (loss != NULL)
    ok = hs_tape_backward (tape, loss, &error);
  hs_tape_free (tape);
  g_clear_pointer (&loss, hs_tensor_unref);
  g_clear_pointer (&prod, hs_tensor_unref);
  g_clear_pointer (&y, hs_tensor_unref);
  return ht_check_no_error ("forward and backward", error) && ok;
}

static gboolean
check_grad (const char *what, HsTensor *x, const double *want, gsize n)
{
  g_autofree double *got = NULL;
  HsTensor *g = hs_tensor_get_grad (x);

  if (g == NULL)
    {
      ht_fail ("%s: no grad", what);
      return FALSE;
    }
  got = ht_tensor_read (g);
  return got != NULL && ht_check_close (what, got, want, n, 1e-5, 1e-4);
}

static void
test_tape_accumulate (void)
{
  const gint64 shape[] = { 3, 7 };
  double x[21], r[21], want[21];
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  g_autoptr (HsTensor) tx = NULL;
  g_autoptr (HsTensor) tr = NULL;
  g_autoptr (GError) error = NULL;

  if (!ht_require_device ())
    return;
  ht_fill_normal (rand, x, 21, 1.0);
  ht_fill_normal (rand, r, 21, 1.0);
  tx = ht_tensor_new (ht.device, HS_DTYPE_F32, 2, shape, x);
  tr = ht_tensor_new (ht.device, HS_DTYPE_F32, 2, shape, r);
  hs_tensor_set_requires_grad (tx, TRUE);

  /* Two passes add up; zero_grad starts over. */
  if (!tape_step (tx, tr, 1) || !tape_step (tx, tr, 1))
    return;
  for (guint i = 0; i < 21; i++)
    want[i] = 2 * (2 * x[i] * r[i]);
  if (!check_grad ("grad after two backward passes", tx, want, 21))
    return;
  g_assert_true (hs_tensor_zero_grad (tx, &error));
  g_assert_no_error (error);
  if (!tape_step (tx, tr, 2))
    return;
  for (guint i = 0; i < 21; i++)
    want[i] = 2 * r[i];
  check_grad ("grad of x + x after zero_grad", tx, want, 21);
}

static void
test_tape_records_only_grad (void)
{
  const gint64 shape[] = { 4, 5 };
  double x[20];
  g_autoptr (GRand) rand = g_rand_new_with_seed (12);
  g_autoptr (HsTensor) tx = NULL;
  g_autoptr (HsTensor) tw = NULL;
  g_autoptr (HsTensor) y = NULL;
  g_autoptr (HsTensor) z = NULL;
  g_autoptr (GError) error = NULL;
  HsTape *tape;

  if (!ht_require_device ())
    return;
  ht_fill_normal (rand, x, 20, 1.0);
  tx = ht_tensor_new (ht.device, HS_DTYPE_F32, 2, shape, x);
  tw = ht_tensor_new (ht.device, HS_DTYPE_F32, 2, shape, x);

  tape = hs_tape_new (ht.device);
  y = hs_relu (tx, &error);
  g_assert_no_error (error);
  /* Nothing needs a gradient yet: nothing to record. */
  g_assert_cmpuint (hs_tape_get_n_nodes (tape), ==, 0);
  hs_tensor_set_requires_grad (tw, TRUE);
  z = hs_mul (y, tw, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hs_tape_get_n_nodes (tape), >=, 1);
  hs_tape_free (tape);
}

void
test_ops_random_register (void)
{
  g_test_add_func ("/ops/dropout/forward-p0.3", test_dropout_forward);
  g_test_add_func ("/ops/dropout/backward-same-mask", test_dropout_backward);
  g_test_add_func ("/ops/dropout/seed", test_dropout_seed);
  g_test_add_func ("/ops/dropout/identity", test_dropout_identity);
  g_test_add_func ("/tape/accumulate-and-zero", test_tape_accumulate);
  g_test_add_func ("/tape/records-only-grad", test_tape_records_only_grad);
}
