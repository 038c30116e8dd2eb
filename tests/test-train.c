/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * End to end: a tiny MLP and a tiny NHWC CNN learn synthetic, learnable
 * data (their loss falls below half of where it started), and the same
 * initialisation trains along the same loss trajectory on the CPU and on
 * Vulkan.
 *
 *   test-train --backend cpu|vulkan [--tap]
 */
#include <math.h>
#include <string.h>

#include "hs-test-util.h"

/* MLP: 64 points in R^6, 3 classes given by a random linear teacher. */
#define MLP_N 64
#define MLP_F 6
#define MLP_H 16
#define MLP_C 3

/* CNN: 32 images 8×8×3, 4 classes: which quadrant is bright. */
#define CNN_N 32
#define CNN_S 8
#define CNN_K 8          /* conv channels */
#define CNN_C 4
#define CNN_FLAT (4 * 4 * CNN_K)

typedef struct {
  HsDevice *dev;
  gboolean cnn;
  GPtrArray *params;      /* learnable, in creation order */
  HsTensor *w1, *b1, *w2, *b2;
  HsTensor *gamma, *beta, *rm, *rv;  /* CNN batch norm */
  HsTensor *x, *labels;
} Net;

static HsTensor *
param (Net *net, GRand *rand, guint ndim, const gint64 *shape, double mean, double std)
{
  gsize n = ht_numel (ndim, shape);
  g_autofree double *data = g_new (double, n);
  HsTensor *t;

  ht_fill_normal (rand, data, n, std);
  for (gsize i = 0; i < n; i++)
    data[i] = (float) (data[i] + mean);
  t = ht_tensor_new (net->dev, HS_DTYPE_F32, ndim, shape, data);
  hs_tensor_set_requires_grad (t, TRUE);
  g_ptr_array_add (net->params, t);
  return t;
}

static HsTensor *
constant (Net *net, HsDType dtype, guint ndim, const gint64 *shape, const double *data)
{
  return ht_tensor_new (net->dev, dtype, ndim, shape, data);
}

static void
mlp_data (GRand *rand, double *x, double *labels)
{
  double teacher[MLP_C * MLP_F];

  ht_fill_normal (rand, teacher, MLP_C * MLP_F, 1.0);
  ht_fill_normal (rand, x, MLP_N * MLP_F, 1.0);
  for (guint i = 0; i < MLP_N; i++)
    {
      double best = -INFINITY;
      for (guint c = 0; c < MLP_C; c++)
        {
          double s = 0.0;
          for (guint f = 0; f < MLP_F; f++)
            s += teacher[c * MLP_F + f] * x[i * MLP_F + f];
          if (s > best)
            {
              best = s;
              labels[i] = c;
            }
        }
    }
}

static void
cnn_data (GRand *rand, double *x, double *labels)
{
  ht_fill_normal (rand, x, CNN_N * CNN_S * CNN_S * 3, 1.0);
  for (guint i = 0; i < CNN_N; i++)
    {
      guint label = i % CNN_C, qy = label / 2, qx = label % 2;

      labels[i] = label;
      for (guint y = qy * 4; y < qy * 4 + 4; y++)
        for (guint xx = qx * 4; xx < qx * 4 + 4; xx++)
          for (guint c = 0; c < 3; c++)
            x[((i * CNN_S + y) * CNN_S + xx) * 3 + c] += 0.5;
    }
}

/* The same seed gives the same data and weights on every device. */
static Net *
net_new (HsDevice *dev, gboolean cnn)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (cnn ? 2024 : 1999);
  Net *net = g_new0 (Net, 1);

  net->dev = hs_device_ref (dev);
  net->cnn = cnn;
  net->params = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_tensor_unref);

  if (!cnn)
    {
      const gint64 xs[] = { MLP_N, MLP_F }, ls[] = { MLP_N };
      const gint64 w1s[] = { MLP_H, MLP_F }, b1s[] = { MLP_H };
      const gint64 w2s[] = { MLP_C, MLP_H }, b2s[] = { MLP_C };
      double x[MLP_N * MLP_F], labels[MLP_N];

      mlp_data (rand, x, labels);
      net->x = constant (net, HS_DTYPE_F32, 2, xs, x);
      net->labels = constant (net, HS_DTYPE_I32, 1, ls, labels);
      net->w1 = param (net, rand, 2, w1s, 0.0, sqrt (2.0 / MLP_F));
      net->b1 = param (net, rand, 1, b1s, 0.0, 0.0);
      net->w2 = param (net, rand, 2, w2s, 0.0, sqrt (1.0 / MLP_H));
      net->b2 = param (net, rand, 1, b2s, 0.0, 0.0);
    }
  else
    {
      const gint64 xs[] = { CNN_N, CNN_S, CNN_S, 3 }, ls[] = { CNN_N };
      const gint64 w1s[] = { CNN_K, 3, 3, 3 }, ks[] = { CNN_K };
      const gint64 w2s[] = { CNN_C, CNN_FLAT }, b2s[] = { CNN_C };
      g_autofree double *x = g_new (double, CNN_N * CNN_S * CNN_S * 3);
      double labels[CNN_N], zero[CNN_K] = { 0 }, one[CNN_K];

      for (guint i = 0; i < CNN_K; i++)
        one[i] = 1.0;
      cnn_data (rand, x, labels);
      net->x = constant (net, HS_DTYPE_F32, 4, xs, x);
      net->labels = constant (net, HS_DTYPE_I32, 1, ls, labels);
      net->w1 = param (net, rand, 4, w1s, 0.0, sqrt (2.0 / 27));
      net->gamma = param (net, rand, 1, ks, 1.0, 0.0);
      net->beta = param (net, rand, 1, ks, 0.0, 0.0);
      net->rm = constant (net, HS_DTYPE_F32, 1, ks, zero);
      net->rv = constant (net, HS_DTYPE_F32, 1, ks, one);
      net->w2 = param (net, rand, 2, w2s, 0.0, sqrt (1.0 / CNN_FLAT));
      net->b2 = param (net, rand, 1, b2s, 0.0, 0.0);
    }
  return net;
}

static void
net_free (Net *net)
{
  g_ptr_array_unref (net->params);
  g_clear_pointer (&net->rm, hs_tensor_unref);
  g_clear_pointer (&net->rv, hs_tensor_unref);
  hs_tensor_unref (net->x);
  hs_tensor_unref (net->labels);
  hs_device_unref (net->dev);
  g_free (net);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Net, net_free)

/* Logits [N, C], or NULL with an error.  Intermediates are kept alive in
 * `keep` until the caller's backward pass is done. */
static HsTensor *
net_forward (Net *net, GPtrArray *keep, GError **error)
{
  HsTensor *t;

#define STEP(expr) \
  G_STMT_START { \
    if ((t = (expr)) == NULL) \
      return NULL; \
    g_ptr_array_add (keep, t); \
  } G_STMT_END

  if (!net->cnn)
    {
      STEP (hs_linear (net->x, net->w1, net->b1, HS_ACT_RELU, error));
      STEP (hs_linear (t, net->w2, net->b2, HS_ACT_NONE, error));
    }
  else
    {
      const gint64 flat[] = { CNN_N, CNN_FLAT };

      STEP (hs_conv2d (net->x, net->w1, NULL, 1, 1, HS_ACT_NONE, error));
      STEP (hs_batch_norm (t, net->gamma, net->beta, net->rm, net->rv, TRUE, 0.1f, 1e-5f,
                           HS_ACT_RELU, error));
      STEP (hs_max_pool2d (t, 2, 2, 0, error));
      STEP (hs_reshape (t, 2, flat, error));
      STEP (hs_linear (t, net->w2, net->b2, HS_ACT_NONE, error));
    }
#undef STEP
  return hs_tensor_ref (t);
}

/* One optimizer step; returns the loss before it, or NAN (test failed). */
static double
train_step (Net *net, HsOptimizer *opt)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_tensor_unref);
  HsTape *tape = hs_tape_new (net->dev);
  g_autoptr (HsTensor) logits = NULL;
  g_autoptr (HsTensor) loss = NULL;
  gfloat value = NAN;
  gboolean ok = FALSE;

  logits = net_forward (net, keep, &error);
  if (logits != NULL)
    loss = hs_cross_entropy (logits, net->labels, &error);
  if (loss != NULL && hs_tape_backward (tape, loss, &error))
    ok = hs_tensor_item (loss, &value, &error);
  hs_tape_free (tape);
  if (ok)
    ok = hs_optimizer_step (opt, &error) && hs_optimizer_zero_grad (opt, &error);
  if (!ok)
    {
      if (error == NULL)
        ht_fail ("training step failed without an error");
      ht_check_no_error ("training step", error);
      return NAN;
    }
  return value;
}

/* The fraction of training examples classified right. */
static double
net_accuracy (Net *net)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_tensor_unref);
  g_autoptr (HsTensor) logits = net_forward (net, keep, &error);
  g_autofree double *z = NULL;
  g_autofree double *labels = NULL;
  gsize n, c, right = 0;

  if (logits == NULL || (z = ht_tensor_read (logits)) == NULL
      || (labels = ht_tensor_read (net->labels)) == NULL)
    {
      ht_check_no_error ("forward", error);
      return 0.0;
    }
  n = hs_tensor_get_dim (logits, 0);
  c = hs_tensor_get_dim (logits, 1);
  for (gsize i = 0; i < n; i++)
    {
      gsize best = 0;
      for (gsize j = 1; j < c; j++)
        if (z[i * c + j] > z[i * c + best])
          best = j;
      right += best == (gsize) labels[i];
    }
  return (double) right / n;
}

static HsOptimizer *
net_optimizer (Net *net, gboolean adam)
{
  HsOptimizer *opt = adam
    ? hs_optimizer_new_adam (net->dev, 0.01f, 0.9f, 0.999f, 1e-8f, 0.0f, FALSE)
    : hs_optimizer_new_sgd (net->dev, 0.05f, 0.9f, 1e-4f);

  for (guint i = 0; i < net->params->len; i++)
    hs_optimizer_add_param (opt, g_ptr_array_index (net->params, i));
  return opt;
}

typedef struct {
  const char *path;
  gboolean cnn, adam;
  guint steps;
} TrainCase;

static const TrainCase train_cases[] = {
  { "/train/mlp/sgd", FALSE, FALSE, 60 },
  { "/train/mlp/adam", FALSE, TRUE, 60 },
  { "/train/cnn/sgd", TRUE, FALSE, 30 },
  { "/train/cnn/adam", TRUE, TRUE, 30 },
};

static void
test_train (gconstpointer data)
{
  const TrainCase *c = data;
  g_autoptr (Net) net = NULL;
  g_autoptr (HsOptimizer) opt = NULL;
  double first = NAN, last = NAN, accuracy;

  if (!ht_require_device ())
    return;
  net = net_new (ht.device, c->cnn);
  opt = net_optimizer (net, c->adam);
  for (guint s = 0; s < c->steps; s++)
    {
      last = train_step (net, opt);
      if (isnan (last))
        return;
      if (s == 0)
        first = last;
    }
  accuracy = net_accuracy (net);
  g_test_message ("loss %.4f -> %.4f over %u steps, training accuracy %.2f", first, last,
                  c->steps, accuracy);
  /* A learnable problem: the loss must at least halve. */
  g_assert_cmpfloat (last, <, 0.5 * first);
  g_assert_cmpfloat (accuracy, >=, 0.9);
}

/* The device of kind `backend`: the test's own when it is that kind. */
static HsDevice *
open_device (const char *backend, GError **error)
{
  if (g_str_equal (ht.backend, backend))
    return hs_device_ref (ht.device);
  return hs_device_new (backend, error);
}

#define TRAJECTORY_STEPS 20
#define TRAJECTORY_ATOL 1e-4
#define TRAJECTORY_RTOL 1e-3

/* Same init, same data, 20 SGD steps on CPU and on Vulkan: the losses agree
 * within 1e-4 + 1e-3 |cpu| at every step. */
static void
test_trajectory (gconstpointer data)
{
  gboolean cnn = GPOINTER_TO_INT (data);
  g_autoptr (GError) error = NULL;
  g_autoptr (HsDevice) cpu = NULL;
  g_autoptr (HsDevice) vk = NULL;
  double loss[2][TRAJECTORY_STEPS];

  if (!ht_require_device ())
    return;
  cpu = open_device ("cpu", &error);
  g_assert_no_error (error);
  vk = open_device ("vulkan", &error);
  if (vk == NULL)
    {
      g_autofree char *why = g_strdup_printf ("no Vulkan device: %s", error->message);
      g_test_skip (why);
      return;
    }

  for (guint d = 0; d < 2; d++)
    {
      g_autoptr (Net) net = net_new (d == 0 ? cpu : vk, cnn);
      g_autoptr (HsOptimizer) opt = net_optimizer (net, FALSE);

      for (guint s = 0; s < TRAJECTORY_STEPS; s++)
        if (isnan (loss[d][s] = train_step (net, opt)))
          return;
    }
  for (guint s = 0; s < TRAJECTORY_STEPS; s++)
    g_test_message ("step %2u: cpu %.6f vulkan %.6f", s, loss[0][s], loss[1][s]);
  ht_check_close ("Vulkan loss trajectory vs CPU", loss[1], loss[0], TRAJECTORY_STEPS,
                  TRAJECTORY_ATOL, TRAJECTORY_RTOL);
  /* And it is a real trajectory, not a flat line. */
  g_assert_cmpfloat (loss[0][TRAJECTORY_STEPS - 1], <, 0.9 * loss[0][0]);
}

int
main (int argc, char **argv)
{
  ht_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (train_cases); i++)
    g_test_add_data_func (train_cases[i].path, &train_cases[i], test_train);
  g_test_add_data_func ("/train/trajectory/mlp", GINT_TO_POINTER (FALSE), test_trajectory);
  g_test_add_data_func ("/train/trajectory/cnn", GINT_TO_POINTER (TRUE), test_trajectory);

  return ht_run ();
}
