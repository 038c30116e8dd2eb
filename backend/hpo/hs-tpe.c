/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BOHB's tree-structured Parzen estimator (see hs-tpe.h): observations per
 * budget, the good/bad split, and the ratio l/g.
 */
#define G_LOG_DOMAIN "hs-hpo"

#include <math.h>

#include "hs-tpe.h"

typedef struct {
  gdouble budget;
  GArray *points;   /* gdouble, n_dims per observation */
  GArray *scores;   /* gdouble */
} Bucket;

struct _HsTpe
{
  guint n_dims;
  guint *n_choices;
  GArray *buckets;  /* Bucket */

  gdouble budget;   /* of the fitted model */
  HsKde *good;
  HsKde *bad;
};

static void
bucket_clear (Bucket *bucket)
{
  g_array_unref (bucket->points);
  g_array_unref (bucket->scores);
}

HsTpe *
hs_tpe_new (guint n_dims, const guint *n_choices)
{
  HsTpe *tpe;

  g_return_val_if_fail (n_choices != NULL || n_dims == 0, NULL);

  tpe = g_new0 (HsTpe, 1);
  tpe->n_dims = n_dims;
  tpe->n_choices = g_new0 (guint, MAX (n_dims, 1));
  for (guint d = 0; d < n_dims; d++)
    tpe->n_choices[d] = n_choices[d];
  tpe->buckets = g_array_new (FALSE, FALSE, sizeof (Bucket));
  g_array_set_clear_func (tpe->buckets, (GDestroyNotify) bucket_clear);
  tpe->budget = NAN;
  return tpe;
}

void
hs_tpe_free (HsTpe *tpe)
{
  if (tpe == NULL)
    return;
  g_free (tpe->n_choices);
  g_array_unref (tpe->buckets);
  hs_kde_free (tpe->good);
  hs_kde_free (tpe->bad);
  g_free (tpe);
}

static Bucket *
find_bucket (HsTpe *tpe, gdouble budget)
{
  for (guint b = 0; b < tpe->buckets->len; b++)
    if (g_array_index (tpe->buckets, Bucket, b).budget == budget)
      return &g_array_index (tpe->buckets, Bucket, b);
  return NULL;
}

void
hs_tpe_add (HsTpe *tpe, gdouble budget, const gdouble *x, gdouble score)
{
  Bucket *bucket;

  g_return_if_fail (tpe != NULL && (x != NULL || tpe->n_dims == 0));

  bucket = find_bucket (tpe, budget);
  if (bucket == NULL)
    {
      Bucket fresh = {
        .budget = budget,
        .points = g_array_new (FALSE, FALSE, sizeof (gdouble)),
        .scores = g_array_new (FALSE, FALSE, sizeof (gdouble)),
      };

      g_array_append_val (tpe->buckets, fresh);
      bucket = &g_array_index (tpe->buckets, Bucket, tpe->buckets->len - 1);
    }
  if (isnan (score))
    score = -INFINITY;
  g_array_append_vals (bucket->points, x, tpe->n_dims);
  g_array_append_val (bucket->scores, score);
}

guint
hs_tpe_get_n_observations (HsTpe *tpe, gdouble budget)
{
  Bucket *bucket;

  g_return_val_if_fail (tpe != NULL, 0);

  bucket = find_bucket (tpe, budget);
  return bucket != NULL ? bucket->scores->len : 0;
}

typedef struct {
  guint index;      /* in the order added */
  gdouble score;
} Ranked;

static gint
compare_ranked (gconstpointer a, gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* A KDE on observations ranked[first … first + n − 1]. */
static HsKde *
fit_kde (HsTpe *tpe, Bucket *bucket, const Ranked *ranked, guint first, guint n,
         gdouble min_bandwidth)
{
  g_autofree gdouble *data = g_new (gdouble, (gsize) n * MAX (tpe->n_dims, 1));

  for (guint k = 0; k < n; k++)
    for (guint d = 0; d < tpe->n_dims; d++)
      data[k * tpe->n_dims + d] =
        g_array_index (bucket->points, gdouble, ranked[first + k].index * tpe->n_dims + d);
  return hs_kde_new (tpe->n_dims, tpe->n_choices, data, n, min_bandwidth);
}

gboolean
hs_tpe_fit (HsTpe *tpe, guint min_points, guint top_n_percent, gdouble min_bandwidth)
{
  Bucket *bucket = NULL;
  g_autofree Ranked *ranked = NULL;
  guint n, n_good, n_bad;

  g_return_val_if_fail (tpe != NULL, FALSE);

  g_clear_pointer (&tpe->good, hs_kde_free);
  g_clear_pointer (&tpe->bad, hs_kde_free);
  tpe->budget = NAN;
  min_points = MAX (min_points, 1);

  for (guint b = 0; b < tpe->buckets->len; b++)
    {
      Bucket *candidate = &g_array_index (tpe->buckets, Bucket, b);

      if (candidate->scores->len >= min_points + 2 &&
          (bucket == NULL || candidate->budget > bucket->budget))
        bucket = candidate;
    }
  if (bucket == NULL)
    return FALSE;

  n = bucket->scores->len;
  ranked = g_new (Ranked, n);
  for (guint i = 0; i < n; i++)
    ranked[i] = (Ranked) { .index = i, .score = g_array_index (bucket->scores, gdouble, i) };
  qsort (ranked, n, sizeof (Ranked), compare_ranked);

  n_good = MAX (min_points, (guint) ((guint64) top_n_percent * n / 100));
  n_good = MIN (n_good, n);
  n_bad = MAX (min_points, n - n_good);
  n_bad = MIN (n_bad, n);

  tpe->budget = bucket->budget;
  tpe->good = fit_kde (tpe, bucket, ranked, 0, n_good, min_bandwidth);
  tpe->bad = fit_kde (tpe, bucket, ranked, n - n_bad, n_bad, min_bandwidth);
  return TRUE;
}

gdouble
hs_tpe_get_budget (HsTpe *tpe)
{
  g_return_val_if_fail (tpe != NULL, NAN);
  return tpe->budget;
}

HsKde *
hs_tpe_get_good (HsTpe *tpe)
{
  g_return_val_if_fail (tpe != NULL, NULL);
  return tpe->good;
}

HsKde *
hs_tpe_get_bad (HsTpe *tpe)
{
  g_return_val_if_fail (tpe != NULL, NULL);
  return tpe->bad;
}

gdouble
hs_tpe_score (HsTpe *tpe, const gdouble *x)
{
  g_return_val_if_fail (tpe != NULL && tpe->good != NULL, NAN);
  return hs_kde_log_pdf (tpe->good, x) - hs_kde_log_pdf (tpe->bad, x);
}

void
hs_tpe_sample (HsTpe *tpe, gdouble bandwidth_factor, GRand *rand, gdouble *out)
{
  g_return_if_fail (tpe != NULL && tpe->good != NULL);
  hs_kde_sample (tpe->good, bandwidth_factor, rand, out);
}
