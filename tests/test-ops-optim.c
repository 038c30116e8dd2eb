/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SGD (momentum, weight decay), Adam and AdamW over a few steps against the
 * double references of hs-test-reference.c.  Each step's gradient is a fresh
 * random G (loss = sum(p * G)), so a missing zero_grad shows up as a wrong
 * update.  Tolerance: |p - ref| <= 1e-5 + 1e-4 |ref|.
 */
#include <math.h>
#include <string.h>

#include "hs-test-reference.h"
#include "hs-test-util.h"
#include "test-ops.h"

typedef struct {
  const char *path;
  gboolean adam;
  float lr, momentum, weight_decay;  /* momentum: SGD only */
  float beta1, beta2, eps;
  gboolean decoupled;
  guint steps;
  guint halve_lr_at;                 /* 0: never */
} OptCase;

static const OptCase opt_cases[] = {
  { "/optim/sgd/plain", FALSE, 0.1f, 0.0f, 0.0f, .steps = 3 },
  { "/optim/sgd/momentum-weight-decay", FALSE, 0.1f, 0.9f, 0.01f, .steps = 5 },
  { "/optim/sgd/set-lr", FALSE, 0.1f, 0.9f, 0.01f, .steps = 5, .halve_lr_at = 3 },
  { "/optim/adam/plain", TRUE, 0.01f, 0, 0.0f, 0.9f, 0.999f, 1e-8f, FALSE, 5 },
  { "/optim/adam/l2-weight-decay", TRUE, 0.01f, 0, 0.05f, 0.9f, 0.999f, 1e-8f, FALSE, 5 },
  { "/optim/adamw", TRUE, 0.01f, 0, 0.1f, 0.9f, 0.99f, 1e-6f, TRUE, 5 },
  { "/optim/adamw/set-lr", TRUE, 0.02f, 0, 0.1f, 0.8f, 0.95f, 1e-6f, TRUE, 5, 2 },
};

#define N_PARAMS 2
static const gint64 param_shapes[N_PARAMS][2] = { { 5, 7 }, { 13, 1 } };

/* Give each param the gradient g[k] through the tape. */
static gboolean
set_grads (HsTensor **params, double **g)
{
  g_autoptr (GError) error = NULL;
  HsTape *tape = hs_tape_new (ht.device);
  HsTensor *loss = NULL;
  gboolean ok = TRUE;

  for (guint k = 0; k < N_PARAMS && ok; k++)
    {
      g_autoptr (HsTensor) tg = ht_tensor_new (ht.device, HS_DTYPE_F32, 2, param_shapes[k], g[k]);
      g_autoptr (HsTensor) prod = hs_mul (params[k], tg, &error);
      g_autoptr (HsTensor) part = prod ? hs_sum_all (prod, &error) : NULL;
      HsTensor *sum;

      if (part == NULL)
        {
          ok = FALSE;
          break;
        }
      sum = loss ? hs_add (loss, part, &error) : hs_tensor_ref (part);
      g_clear_pointer (&loss, hs_tensor_unref);
      loss = sum;
      ok = loss != NULL;
    }
  if (ok)
    ok = hs_tape_backward (tape, loss, &error);
  hs_tape_free (tape);
  g_clear_pointer (&loss, hs_tensor_unref);
  return ht_check_no_error ("making gradients", error) && ok;
}

static gboolean
check_tensor (const char *what, HsTensor *t, const double *want, gsize n)
{
  g_autofree double *got = NULL;

  if (t == NULL)
    {
      ht_fail ("%s: missing", what);
      return FALSE;
    }
  got = ht_tensor_read (t);
  return got != NULL && ht_check_close (what, got, want, n, 1e-5, 1e-4);
}

static void
test_optimizer (gconstpointer data)
{
  const OptCase *c = data;
  g_autoptr (GRand) rand = g_rand_new_with_seed (g_str_hash (c->path));
  g_autoptr (HsOptimizer) opt = NULL;
  g_autoptr (GError) error = NULL;
  HsTensor *params[N_PARAMS];
  double *p[N_PARAMS], *g[N_PARAMS], *m[N_PARAMS], *v[N_PARAMS];
  gsize n[N_PARAMS];
  double lr = c->lr;

  if (!ht_require_device ())
    return;

  if (c->adam)
    opt = hs_optimizer_new_adam (ht.device, c->lr, c->beta1, c->beta2, c->eps, c->weight_decay,
                                 c->decoupled);
  else
    opt = hs_optimizer_new_sgd (ht.device, c->lr, c->momentum, c->weight_decay);
  g_assert_nonnull (opt);

  for (guint k = 0; k < N_PARAMS; k++)
    {
      n[k] = ht_numel (2, param_shapes[k]);
      p[k] = g_new (double, n[k]);
      g[k] = g_new (double, n[k]);
      m[k] = g_new0 (double, n[k]);
      v[k] = g_new0 (double, n[k]);
      ht_fill_normal (rand, p[k], n[k], 1.0);
      params[k] = ht_tensor_new (ht.device, HS_DTYPE_F32, 2, param_shapes[k], p[k]);
      hs_tensor_set_requires_grad (params[k], TRUE);
      hs_optimizer_add_param (opt, params[k]);
    }

  for (guint t = 1; t <= c->steps && !g_test_failed (); t++)
    {
      if (c->halve_lr_at == t)
        {
          lr = (float) (c->lr / 2);
          hs_optimizer_set_lr (opt, (float) lr);
        }
      for (guint k = 0; k < N_PARAMS; k++)
        {
          ht_fill_normal (rand, g[k], n[k], 1.0);
          if (c->adam)
            ref_adam_step (p[k], g[k], m[k], v[k], n[k], lr, c->beta1, c->beta2, c->eps,
                           c->weight_decay, t, c->decoupled);
          else
            ref_sgd_step (p[k], g[k], c->momentum != 0 ? m[k] : NULL, n[k], lr, c->momentum,
                          c->weight_decay);
        }
      if (!set_grads (params, g))
        break;
      if (!hs_optimizer_step (opt, &error) || !hs_optimizer_zero_grad (opt, &error))
        {
          ht_check_no_error ("optimizer step", error);
          break;
        }
      for (guint k = 0; k < N_PARAMS; k++)
        {
          g_autofree char *what = g_strdup_printf ("param %u after step %u", k, t);
          check_tensor (what, params[k], p[k], n[k]);
        }
    }

  if (!g_test_failed ())
    {
      g_assert_cmpuint (hs_optimizer_get_step (opt), ==, c->steps);
      for (guint k = 0; k < N_PARAMS; k++)
        {
          if (c->adam)
            {
              check_tensor ("Adam m", hs_optimizer_get_state (opt, params[k], 0), m[k], n[k]);
              check_tensor ("Adam v", hs_optimizer_get_state (opt, params[k], 1), v[k], n[k]);
            }
          else if (c->momentum != 0)
            check_tensor ("SGD momentum buffer", hs_optimizer_get_state (opt, params[k], 0),
                          m[k], n[k]);
        }
    }

  for (guint k = 0; k < N_PARAMS; k++)
    {
      hs_tensor_unref (params[k]);
      g_free (p[k]);
      g_free (g[k]);
      g_free (m[k]);
      g_free (v[k]);
    }
}

/* A parameter that never received a gradient is left alone, even with
 * weight decay. */
static void
test_optimizer_skips_gradless (void)
{
  const gint64 shape[] = { 6 };
  double x[6] = { 1, -2, 3, -4, 5, -6 };
  g_autoptr (HsTensor) t = NULL;
  g_autoptr (GError) error = NULL;

  if (!ht_require_device ())
    return;
  t = ht_tensor_new (ht.device, HS_DTYPE_F32, 1, shape, x);
  hs_tensor_set_requires_grad (t, TRUE);
  for (guint adam = 0; adam < 2; adam++)
    {
      g_autoptr (HsOptimizer) opt = adam
        ? hs_optimizer_new_adam (ht.device, 0.1f, 0.9f, 0.999f, 1e-8f, 0.5f, TRUE)
        : hs_optimizer_new_sgd (ht.device, 0.1f, 0.9f, 0.5f);

      hs_optimizer_add_param (opt, t);
      g_assert_true (hs_optimizer_step (opt, &error));
      g_assert_no_error (error);
      check_tensor (adam ? "AdamW param without grad" : "SGD param without grad", t, x, 6);
    }
}

void
test_ops_optim_register (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (opt_cases); i++)
    g_test_add_data_func (opt_cases[i].path, &opt_cases[i], test_optimizer);
  g_test_add_func ("/optim/skips-params-without-grad", test_optimizer_skips_gradless);
}
