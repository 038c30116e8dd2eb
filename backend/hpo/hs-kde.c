/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The product kernel density estimate (see hs-kde.h): bandwidths by the
 * normal reference rule, densities as log-sum-exps, seeded draws.
 */
#define G_LOG_DOMAIN "hs-hpo"

#include <math.h>

#include "hs-kde.h"

struct _HsKde
{
  guint n_dims;
  guint n_points;
  guint *n_choices;     /* [d]: 0 continuous, else the number of codes */
  gdouble *data;        /* [i · n_dims + d] */
  gdouble *bandwidth;   /* [d] */
  /* Continuous coordinates: −log(h √(2π) Z_id), Z_id the mass of the
   * point's Gaussian inside [0, 1]; [i · n_dims + d]. */
  gdouble *log_norm;
};

/* The standard normal distribution function. */
static gdouble
normal_cdf (gdouble z)
{
  return 0.5 * erfc (-z / G_SQRT2);
}

/* The mass in [0, 1] of a Gaussian of mean m and deviation h. */
static gdouble
unit_mass (gdouble m, gdouble h)
{
  return normal_cdf ((1 - m) / h) - normal_cdf (-m / h);
}

HsKde *
hs_kde_new (guint n_dims, const guint *n_choices, const gdouble *data, guint n_points,
            gdouble min_bandwidth)
{
  HsKde *kde;
  gdouble shrink;

  g_return_val_if_fail (n_choices != NULL || n_dims == 0, NULL);
  g_return_val_if_fail (data != NULL || n_dims == 0, NULL);
  g_return_val_if_fail (n_points >= 1, NULL);
  g_return_val_if_fail (min_bandwidth > 0, NULL);

  kde = g_new0 (HsKde, 1);
  kde->n_dims = n_dims;
  kde->n_points = n_points;
  kde->n_choices = g_memdup2 (n_choices, sizeof (guint) * n_dims);
  kde->data = g_memdup2 (data, sizeof (gdouble) * n_dims * n_points);
  kde->bandwidth = g_new0 (gdouble, n_dims);
  kde->log_norm = g_new0 (gdouble, (gsize) n_dims * n_points);

  /* Coordinates outside the space would make the truncated kernels
   * meaningless: keep them in it. */
  for (guint i = 0; i < n_points; i++)
    for (guint d = 0; d < n_dims; d++)
      {
        gdouble *v = &kde->data[i * n_dims + d];

        if (n_choices[d] == 0)
          *v = isnan (*v) ? 0.5 : CLAMP (*v, 0.0, 1.0);
        else
          *v = CLAMP (floor (*v), 0.0, (gdouble) n_choices[d] - 1);
      }

  /* Normal reference rule over all coordinates, as statsmodels'
   * KDEMultivariate(bw="normal_reference") computes it. */
  shrink = 1.06 * pow ((gdouble) n_points, -1.0 / (4.0 + n_dims));
  for (guint d = 0; d < n_dims; d++)
    {
      gdouble mean = 0, var = 0, h;

      for (guint i = 0; i < n_points; i++)
        mean += kde->data[i * n_dims + d];
      mean /= n_points;
      for (guint i = 0; i < n_points; i++)
        var += (kde->data[i * n_dims + d] - mean) * (kde->data[i * n_dims + d] - mean);
      var /= n_points;
      h = MAX (shrink * sqrt (var), min_bandwidth);
      if (n_choices[d] == 1)
        h = 0;
      else if (n_choices[d] > 1)
        h = MIN (h, (gdouble) (n_choices[d] - 1) / n_choices[d]);
      kde->bandwidth[d] = h;
    }

  for (guint i = 0; i < n_points; i++)
    for (guint d = 0; d < n_dims; d++)
      if (n_choices[d] == 0)
        {
          gdouble h = kde->bandwidth[d];

          kde->log_norm[i * n_dims + d] =
            -log (h * sqrt (2 * G_PI) * unit_mass (kde->data[i * n_dims + d], h));
        }
  return kde;
}

void
hs_kde_free (HsKde *kde)
{
  if (kde == NULL)
    return;
  g_free (kde->n_choices);
  g_free (kde->data);
  g_free (kde->bandwidth);
  g_free (kde->log_norm);
  g_free (kde);
}

guint
hs_kde_get_n_dims (HsKde *kde)
{
  g_return_val_if_fail (kde != NULL, 0);
  return kde->n_dims;
}

guint
hs_kde_get_n_points (HsKde *kde)
{
  g_return_val_if_fail (kde != NULL, 0);
  return kde->n_points;
}

const gdouble *
hs_kde_get_bandwidths (HsKde *kde)
{
  g_return_val_if_fail (kde != NULL, NULL);
  return kde->bandwidth;
}

static gboolean
in_space (HsKde *kde, const gdouble *x)
{
  for (guint d = 0; d < kde->n_dims; d++)
    {
      if (kde->n_choices[d] == 0 ? !(x[d] >= 0 && x[d] <= 1)
                                 : !(x[d] >= 0 && x[d] < kde->n_choices[d]))
        return FALSE;
    }
  return TRUE;
}

/* log Π_d K_d(x_d; X_id, h_d) for point i. */
static gdouble
log_kernel (HsKde *kde, guint i, const gdouble *x)
{
  const gdouble *point = &kde->data[i * kde->n_dims];
  gdouble sum = 0;

  for (guint d = 0; d < kde->n_dims; d++)
    {
      gdouble h = kde->bandwidth[d];
      guint c = kde->n_choices[d];

      if (c == 0)
        {
          gdouble z = (x[d] - point[d]) / h;

          sum += -0.5 * z * z + kde->log_norm[i * kde->n_dims + d];
        }
      else if (c > 1)
        sum += floor (x[d]) == point[d] ? log1p (-h) : log (h / (c - 1));
    }
  return sum;
}

gdouble
hs_kde_log_pdf (HsKde *kde, const gdouble *x)
{
  g_autofree gdouble *terms = NULL;
  gdouble top = -INFINITY, sum = 0;

  g_return_val_if_fail (kde != NULL && (x != NULL || kde->n_dims == 0), NAN);

  if (!in_space (kde, x))
    return -INFINITY;
  terms = g_new (gdouble, kde->n_points);
  for (guint i = 0; i < kde->n_points; i++)
    {
      terms[i] = log_kernel (kde, i, x);
      top = MAX (top, terms[i]);
    }
  if (top == -INFINITY)
    return -INFINITY;
  for (guint i = 0; i < kde->n_points; i++)
    sum += exp (terms[i] - top);
  return top + log (sum / kde->n_points);
}

gdouble
hs_kde_pdf (HsKde *kde, const gdouble *x)
{
  return exp (hs_kde_log_pdf (kde, x));
}

gdouble
hs_kde_gaussian (GRand *rand)
{
  /* 1 − u is in (0, 1]: its logarithm is finite. */
  gdouble u1 = 1.0 - g_rand_double (rand);
  gdouble u2 = g_rand_double (rand);

  return sqrt (-2 * log (u1)) * cos (2 * G_PI * u2);
}

/* A Gaussian of mean m and deviation h conditioned on [0, 1], by
 * rejection.  For m in [0, 1] more than a fifth of the draws land inside
 * while h <= 1.6 (about the widest of BOHB's widened bandwidths); a much
 * wider kernel is nearly uniform on the interval, which is what it falls
 * back to after 1000 misses. */
static gdouble
truncated_gaussian (gdouble m, gdouble h, GRand *rand)
{
  for (guint tries = 0; tries < 1000; tries++)
    {
      gdouble v = m + h * hs_kde_gaussian (rand);

      if (v >= 0 && v <= 1)
        return v;
    }
  return g_rand_double (rand);
}

void
hs_kde_sample (HsKde *kde, gdouble bandwidth_factor, GRand *rand, gdouble *out)
{
  const gdouble *point;

  g_return_if_fail (kde != NULL && rand != NULL && (out != NULL || kde->n_dims == 0));
  g_return_if_fail (bandwidth_factor > 0);

  point = &kde->data[(guint) g_rand_int_range (rand, 0, (gint32) kde->n_points) * kde->n_dims];
  for (guint d = 0; d < kde->n_dims; d++)
    {
      guint c = kde->n_choices[d];

      if (c == 0)
        out[d] = truncated_gaussian (point[d], kde->bandwidth[d] * bandwidth_factor, rand);
      else if (c == 1 || g_rand_double (rand) >= kde->bandwidth[d])
        out[d] = point[d];
      else
        {
          /* One of the c − 1 other codes, uniformly: the kernel's mass
           * away from the point. */
          guint other = (guint) g_rand_int_range (rand, 0, (gint32) c - 1);

          out[d] = other >= (guint) point[d] ? other + 1 : other;
        }
    }
}
