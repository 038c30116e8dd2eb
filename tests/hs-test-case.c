/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "hs-test-case.h"

#define FWD_ATOL 1e-4
#define FWD_RTOL 1e-3
#define FD_ATOL  1e-3
#define FD_RTOL  1e-2
#define FD_REF_ATOL 1e-4
#define FD_REF_RTOL 1e-3
#define FD_MAX_ELEMENTS 96

void
ht_arg_shape4 (const HtArg *a, gint64 s[4])
{
  guint pad = 4 - a->ndim;

  for (guint i = 0; i < 4; i++)
    s[i] = i < pad ? 1 : a->shape[i - pad];
}

gsize
ht_arg_numel (const HtArg *a)
{
  return ht_numel (a->ndim, a->shape);
}

gsize
ht_arg_dims (const HtArg *a, guint from, guint to)
{
  gsize n = 1;

  for (guint i = from; i < to && i < a->ndim; i++)
    n *= a->shape[i];
  return n;
}

static void
generate (const HtArg *a, GRand *rand, double *x)
{
  gsize n = ht_arg_numel (a);
  double scale = a->scale > 0 ? a->scale : 1.0;

  switch (a->gen)
    {
    case HT_GEN_NORMAL:
      ht_fill_normal (rand, x, n, scale);
      break;
    case HT_GEN_AWAY:
      for (gsize i = 0; i < n; i++)
        x[i] = (float) (scale * g_rand_double_range (rand, 0.1, 1.0)
                        * (g_rand_boolean (rand) ? 1 : -1));
      break;
    case HT_GEN_DISTINCT:
      /* A shuffled ramp: any two values differ by at least 0.01 · scale. */
      for (gsize i = 0; i < n; i++)
        x[i] = (float) (scale * (0.01 * (double) i - 0.005 * (double) n));
      for (gsize i = n; i > 1; i--)
        {
          gsize j = g_rand_int_range (rand, 0, i);
          double t = x[i - 1];
          x[i - 1] = x[j];
          x[j] = t;
        }
      break;
    case HT_GEN_POSITIVE:
      ht_fill_uniform (rand, x, n, 0.5 * scale, 1.5 * scale);
      break;
    case HT_GEN_INDEX:
      for (gsize i = 0; i < n; i++)
        x[i] = g_rand_int_range (rand, 0, a->range);
      break;
    default:
      g_assert_not_reached ();
    }
}

static double
loss_of (const HtCase *c, double **in, const double *r, double *out, gsize n_out)
{
  double l = 0.0;

  c->ref (c, in, out);
  for (gsize i = 0; i < n_out; i++)
    l += out[i] * r[i];
  return l;
}

/* Finite differences of sum(ref(in) * r) for input k; checks the reference
 * gradient `want` and the engine's `got` at up to FD_MAX_ELEMENTS elements. */
static void
check_finite_differences (const HtCase *c, guint k, double **in, const double *r,
                          gsize n_out, const double *want, const double *got, GRand *rand)
{
  gsize n = ht_arg_numel (&c->in[k]);
  gsize n_check = MIN (n, FD_MAX_ELEMENTS), skipped = 0;
  double eps = c->kinks ? 1e-5 : 1e-3;
  double tol = c->tol_scale > 0 ? c->tol_scale : 1.0;
  g_autofree double *out = g_new (double, n_out);
  g_autofree double *fd = g_new (double, n_check);
  g_autofree double *fd_want = g_new (double, n_check);
  g_autofree double *fd_got = g_new (double, n_check);
  g_autofree char *what_ref = g_strdup_printf ("reference backward of input %u vs finite "
                                               "differences (a test bug)", k);
  g_autofree char *what = g_strdup_printf ("grad of input %u vs finite differences", k);
  gsize m = 0;
  double l0 = loss_of (c, in, r, out, n_out);

  for (gsize j = 0; j < n_check; j++)
    {
      /* One element from each of n_check equal blocks. */
      gsize lo = j * n / n_check, hi = (j + 1) * n / n_check;
      gsize i = lo + g_rand_int_range (rand, 0, hi - lo);
      double v = in[k][i], lp, lm, dp, dm;

      in[k][i] = v + eps;
      lp = loss_of (c, in, r, out, n_out);
      in[k][i] = v - eps;
      lm = loss_of (c, in, r, out, n_out);
      in[k][i] = v;
      dp = (lp - l0) / eps;
      dm = (l0 - lm) / eps;

      /* For a piecewise-linear function the central difference is off by
       * half the one-sided difference when a kink lies within eps. */
      if (c->kinks && fabs (dp - dm) / 2 > 1e-5 + 1e-4 * fabs (dp + dm) / 2)
        {
          skipped++;
          continue;
        }
      fd[m] = (lp - lm) / (2 * eps);
      fd_want[m] = want[i];
      fd_got[m] = got[i];
      m++;
    }

  if (skipped > 2 + n_check / 10)
    ht_fail ("input %u: %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
             " finite differences hit a kink", k, skipped, n_check);
  ht_check_close (what_ref, fd_want, fd, m, FD_REF_ATOL, FD_REF_RTOL);
  ht_check_close (what, fd_got, fd, m, FD_ATOL * tol, FD_RTOL * tol);
}

/* Engine forward under a tape, loss = sum(out * R), backward. */
static gboolean
engine_backward (const HtCase *c, HsTensor **tin, HsTensor *r)
{
  g_autoptr (GError) error = NULL;
  HsTape *tape = hs_tape_new (ht.device);
  HsTensor *out = NULL, *prod = NULL, *loss = NULL;
  gboolean ok = FALSE;

  out = c->engine (c, tin, &error);
  if (out != NULL)
    prod = hs_mul (out, r, &error);
  if (prod != NULL)
    loss = hs_sum_all (prod, &error);
  if (loss != NULL)
    ok = hs_tape_backward (tape, loss, &error);
  if (!ok && error == NULL)
    ht_fail ("forward or backward failed without an error");
  ok = ht_check_no_error ("taped forward and backward", error) && ok;

  hs_tape_free (tape);
  g_clear_pointer (&loss, hs_tensor_unref);
  g_clear_pointer (&prod, hs_tensor_unref);
  g_clear_pointer (&out, hs_tensor_unref);
  return ok;
}

static void
check_backward (const HtCase *c, GRand *rand, double **in, HsTensor **tin, guint out_ndim,
                const gint64 *out_shape)
{
  gsize n_out = ht_numel (out_ndim, out_shape);
  double tol = c->tol_scale > 0 ? c->tol_scale : 1.0;
  g_autofree double *r = g_new (double, n_out);
  double *din[6] = { NULL };
  g_autoptr (HsTensor) tr = NULL;

  ht_fill_normal (rand, r, n_out, 1.0);
  tr = ht_tensor_new (ht.device, HS_DTYPE_F32, out_ndim, out_shape, r);

  for (guint k = 0; k < c->n_in; k++)
    if (c->in[k].grad)
      din[k] = g_new0 (double, ht_arg_numel (&c->in[k]));
  c->ref_bwd (c, in, r, din);

  if (engine_backward (c, tin, tr))
    for (guint k = 0; k < c->n_in; k++)
      {
        g_autofree char *what = g_strdup_printf ("grad of input %u", k);
        g_autofree double *got = NULL;
        HsTensor *grad;

        if (!c->in[k].grad)
          continue;
        grad = hs_tensor_get_grad (tin[k]);
        if (grad == NULL)
          {
            ht_fail ("input %u requires grad but got none", k);
            continue;
          }
        if (!ht_check_shape (what, grad, c->in[k].ndim, c->in[k].shape)
            || (got = ht_tensor_read (grad)) == NULL)
          continue;
        ht_check_close (what, got, din[k], ht_arg_numel (&c->in[k]), FWD_ATOL * tol,
                        FWD_RTOL * tol);
        check_finite_differences (c, k, in, r, n_out, din[k], got, rand);
      }

  for (guint k = 0; k < c->n_in; k++)
    g_free (din[k]);
}

static void
case_run (gconstpointer data)
{
  const HtCase *c = data;
  g_autoptr (GRand) rand = g_rand_new_with_seed (g_str_hash (c->path));
  g_autoptr (GError) error = NULL;
  double *in[6] = { NULL };
  HsTensor *tin[6] = { NULL };
  g_autofree double *want = NULL;
  g_autofree double *got = NULL;
  HsTensor *out;
  guint out_ndim = 0;
  gint64 out_shape[4] = { 0 };
  double tol = c->tol_scale > 0 ? c->tol_scale : 1.0;
  gboolean shape_ok = FALSE;

  if (!ht_require_device ())
    return;

  for (guint k = 0; k < c->n_in; k++)
    {
      in[k] = g_new (double, ht_arg_numel (&c->in[k]));
      generate (&c->in[k], rand, in[k]);
    }
  if (c->init != NULL)
    c->init (c, rand, in);
  for (guint k = 0; k < c->n_in; k++)
    {
      tin[k] = ht_tensor_new (ht.device, c->in[k].dtype, c->in[k].ndim, c->in[k].shape, in[k]);
      hs_tensor_set_requires_grad (tin[k], c->in[k].grad);
    }

  c->shape (c, &out_ndim, out_shape);
  want = g_new (double, ht_numel (out_ndim, out_shape));
  c->ref (c, in, want);

  out = c->engine (c, tin, &error);
  if (out == NULL)
    {
      if (error == NULL)
        ht_fail ("forward returned NULL without an error");
      ht_check_no_error ("forward", error);
    }
  else if ((shape_ok = ht_check_shape ("forward", out, out_ndim, out_shape))
           && (got = ht_tensor_read (out)) != NULL)
    ht_check_close ("forward", got, want, ht_numel (out_ndim, out_shape), FWD_ATOL * tol,
                    FWD_RTOL * tol);

  /* The backward is worth checking even when forward values are off. */
  if (shape_ok && c->ref_bwd != NULL)
    check_backward (c, rand, in, tin, out_ndim, out_shape);
  g_clear_pointer (&out, hs_tensor_unref);

  for (guint k = 0; k < c->n_in; k++)
    {
      g_clear_pointer (&tin[k], hs_tensor_unref);
      g_free (in[k]);
    }
}

void
ht_case_add (const HtCase *c)
{
  g_test_add_data_func (c->path, c, case_run);
}

void
ht_case_add_all (const HtCase *cases, guint n)
{
  for (guint i = 0; i < n; i++)
    ht_case_add (&cases[i]);
}
