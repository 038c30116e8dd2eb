/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pieces of BOHB's model on their own: the product KDE (normalised,
 * bandwidths by the normal reference rule, draws that follow its density
 * and stay near the data), the TPE's choice of budget and good/bad split,
 * and configurations as vectors (dimensions, and dimensions derived from a
 * grid with its nearest-configuration map).
 *
 * Tolerances: integrals by the midpoint rule on 20000 cells (error far
 * below 1e-4 for the bandwidths used); frequencies from N seeded draws
 * within 5 standard errors plus 0.002.
 */
#include <math.h>
#include <string.h>

#include "hs-hpo.h"
#include "hs-kde.h"
#include "hs-tpe.h"
#include "hs-vector-space.h"

#define N_CELLS 20000

/* ∫_0^1 p(x, rest) dx over the first coordinate, the others fixed in x. */
static gdouble
integrate_first (HsKde *kde, gdouble *x)
{
  gdouble sum = 0;

  for (guint k = 0; k < N_CELLS; k++)
    {
      x[0] = (k + 0.5) / N_CELLS;
      sum += hs_kde_pdf (kde, x) / N_CELLS;
    }
  return sum;
}

static void
test_kde_normalised (void)
{
  static const gdouble spread[] = { 0.05, 0.2, 0.25, 0.3, 0.9 };
  /* All at the boundary: a plain Gaussian would lose half its mass. */
  static const gdouble edge[] = { 0.0, 0.0, 0.0 };
  static const guint continuous[] = { 0 };
  g_autoptr(HsKde) a = hs_kde_new (1, continuous, spread, G_N_ELEMENTS (spread), 1e-3);
  g_autoptr(HsKde) b = hs_kde_new (1, continuous, edge, G_N_ELEMENTS (edge), 0.02);
  gdouble x[2];

  g_assert_cmpfloat_with_epsilon (integrate_first (a, x), 1.0, 1e-4);
  g_assert_cmpfloat (hs_kde_get_bandwidths (b)[0], ==, 0.02);
  g_assert_cmpfloat_with_epsilon (integrate_first (b, x), 1.0, 1e-4);
  /* Outside the unit interval there is no mass. */
  x[0] = -0.01;
  g_assert_cmpfloat (hs_kde_pdf (b, x), ==, 0.0);
  g_assert_cmpfloat (hs_kde_log_pdf (b, x), ==, -INFINITY);

  /* Continuous × categorical (3 codes): Σ_c ∫ p(x, c) dx = 1. */
  {
    static const guint mixed_kinds[] = { 0, 3 };
    static const gdouble mixed[] = { 0.1, 0, 0.15, 0, 0.8, 2, 0.5, 1, 0.52, 0 };
    g_autoptr(HsKde) kde = hs_kde_new (2, mixed_kinds, mixed, 5, 1e-3);
    gdouble total = 0;

    for (guint c = 0; c < 3; c++)
      {
        x[1] = c;
        total += integrate_first (kde, x);
      }
    g_assert_cmpfloat_with_epsilon (total, 1.0, 1e-4);
  }

  /* Aitchison–Aitken: one point at code 1 of 4, bandwidth λ: 1 − λ there,
   * λ/3 at each other code. */
  {
    static const guint cat4[] = { 4 };
    static const gdouble one[] = { 1, 1, 1, 2 };
    g_autoptr(HsKde) kde = hs_kde_new (1, cat4, one, 4, 1e-3);
    gdouble lambda = hs_kde_get_bandwidths (kde)[0];
    gdouble total = 0;

    g_assert_cmpfloat (lambda, >, 0.0);
    g_assert_cmpfloat (lambda, <, 0.75);
    for (guint c = 0; c < 4; c++)
      {
        gdouble expected = 0;

        for (guint i = 0; i < 4; i++)
          expected += (one[i] == c ? 1 - lambda : lambda / 3) / 4;
        x[0] = c;
        g_assert_cmpfloat_with_epsilon (hs_kde_pdf (kde, x), expected, 1e-12);
        total += hs_kde_pdf (kde, x);
      }
    g_assert_cmpfloat_with_epsilon (total, 1.0, 1e-12);
    x[0] = 4;
    g_assert_cmpfloat (hs_kde_pdf (kde, x), ==, 0.0);
  }
}

static void
test_kde_bandwidth (void)
{
  static const guint c1[] = { 0 };
  static const guint c2[] = { 0, 0 };
  static const gdouble five[] = { 0.1, 0.2, 0.3, 0.4, 0.5 };
  /* The same five in the first coordinate, a constant in the second. */
  static const gdouble pairs[] = { 0.1, 0.7, 0.2, 0.7, 0.3, 0.7, 0.4, 0.7, 0.5, 0.7 };
  g_autoptr(HsKde) one = hs_kde_new (1, c1, five, 5, 1e-3);
  g_autoptr(HsKde) two = hs_kde_new (2, c2, pairs, 5, 1e-3);
  gdouble sigma = sqrt (0.02);   /* population deviation of 0.1 … 0.5 */

  /* statsmodels' normal_reference: 1.06 σ n^(−1/(4 + d)). */
  g_assert_cmpfloat_with_epsilon (hs_kde_get_bandwidths (one)[0], 1.06 * sigma * pow (5, -1.0 / 5), 1e-12);
  g_assert_cmpfloat_with_epsilon (hs_kde_get_bandwidths (two)[0], 1.06 * sigma * pow (5, -1.0 / 6), 1e-12);
  /* A coordinate on which the points agree keeps min_bandwidth. */
  g_assert_cmpfloat (hs_kde_get_bandwidths (two)[1], ==, 1e-3);

  /* Categorical: at most (c − 1)/c (uniform); one choice: 0. */
  {
    static const guint kinds[] = { 3, 1 };
    static const gdouble codes[] = { 0, 0, 2, 0 };   /* σ = 1 → 1.06 · 2^(−1/6) > 2/3 */
    g_autoptr(HsKde) kde = hs_kde_new (2, kinds, codes, 2, 1e-3);

    g_assert_cmpfloat_with_epsilon (hs_kde_get_bandwidths (kde)[0], 2.0 / 3, 1e-12);
    g_assert_cmpfloat (hs_kde_get_bandwidths (kde)[1], ==, 0.0);
    g_assert_cmpuint (hs_kde_get_n_points (kde), ==, 2);
    g_assert_cmpuint (hs_kde_get_n_dims (kde), ==, 2);
  }
}

static gboolean
within (gdouble freq, gdouble p, guint n)
{
  return fabs (freq - p) <= 5 * sqrt (p * (1 - p) / n) + 0.002;
}

/* Draws with bandwidth factor 1 follow the density: a histogram of them
 * against the density's mass per bin, continuous and categorical. */
static void
test_kde_sample_follows_pdf (void)
{
  static const guint c1[] = { 0 };
  static const gdouble data[] = { 0.02, 0.2, 0.25, 0.3, 0.9 };
  g_autoptr(HsKde) kde = hs_kde_new (1, c1, data, G_N_ELEMENTS (data), 1e-3);
  g_autoptr(GRand) rand = g_rand_new_with_seed (17);
  const guint n = 40000, n_bins = 10;
  guint counts[10] = { 0 };
  gdouble x;

  for (guint i = 0; i < n; i++)
    {
      hs_kde_sample (kde, 1.0, rand, &x);
      g_assert_cmpfloat (x, >=, 0.0);
      g_assert_cmpfloat (x, <=, 1.0);
      counts[MIN ((guint) (x * n_bins), n_bins - 1)]++;
    }
  for (guint b = 0; b < n_bins; b++)
    {
      gdouble mass = 0;

      for (guint k = 0; k < N_CELLS / n_bins; k++)
        {
          x = (b + (k + 0.5) / (N_CELLS / n_bins)) / n_bins;
          mass += hs_kde_pdf (kde, &x) / N_CELLS;
        }
      g_test_message ("bin %u: %.4f drawn, %.4f mass", b, (gdouble) counts[b] / n, mass);
      g_assert_true (within ((gdouble) counts[b] / n, mass, n));
    }

  /* Categorical: each code as often as its probability. */
  {
    static const guint c3[] = { 3 };
    static const gdouble codes[] = { 0, 1, 1, 1, 2 };
    g_autoptr(HsKde) cat = hs_kde_new (1, c3, codes, 5, 1e-3);
    guint code_counts[3] = { 0 };

    for (guint i = 0; i < n; i++)
      {
        hs_kde_sample (cat, 3.0, rand, &x);   /* categorical kernels are not widened */
        g_assert_cmpfloat (x, ==, floor (x));
        code_counts[(guint) x]++;
      }
    for (guint c = 0; c < 3; c++)
      {
        x = c;
        g_assert_true (within ((gdouble) code_counts[c] / n, hs_kde_pdf (cat, &x), n));
      }
  }
}

static gdouble
sample_sd (HsKde *kde, gdouble factor, GRand *rand, guint n, gdouble *mean_out, gdouble *near)
{
  gdouble sum = 0, sum2 = 0, x;
  guint n_near = 0;

  for (guint i = 0; i < n; i++)
    {
      hs_kde_sample (kde, factor, rand, &x);
      sum += x;
      sum2 += x * x;
      n_near += fabs (x - 0.3) < 0.05;
    }
  *mean_out = sum / n;
  *near = (gdouble) n_near / n;
  return sqrt (sum2 / n - (sum / n) * (sum / n));
}

/* Draws stay near tightly clustered data, and bandwidth_factor widens
 * them by about that factor. */
static void
test_kde_samples_concentrate (void)
{
  static const guint c1[] = { 0 };
  static const gdouble cluster[] = { 0.30, 0.31, 0.29, 0.32, 0.28, 0.30 };
  g_autoptr(HsKde) kde = hs_kde_new (1, c1, cluster, G_N_ELEMENTS (cluster), 1e-3);
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  gdouble h = hs_kde_get_bandwidths (kde)[0];
  gdouble var = 0, mean1, mean3, near1, near3, sd1, sd3;

  for (guint i = 0; i < G_N_ELEMENTS (cluster); i++)
    var += (cluster[i] - 0.3) * (cluster[i] - 0.3) / G_N_ELEMENTS (cluster);
  sd1 = sample_sd (kde, 1.0, rand, 20000, &mean1, &near1);
  sd3 = sample_sd (kde, 3.0, rand, 20000, &mean3, &near3);
  g_test_message ("h %.4f: sd %.4f (factor 1), %.4f (factor 3); within 0.05: %.3f, %.3f",
                  h, sd1, sd3, near1, near3);
  g_assert_cmpfloat (near1, >, 0.99);
  g_assert_cmpfloat_with_epsilon (mean1, 0.3, 0.002);
  g_assert_cmpfloat_with_epsilon (mean3, 0.3, 0.002);
  /* A mixture's variance: the data's plus the kernel's. */
  g_assert_cmpfloat_with_epsilon (sd1, sqrt (var + h * h), 0.05 * sd1);
  g_assert_cmpfloat_with_epsilon (sd3, sqrt (var + 9 * h * h), 0.05 * sd3);

  /* The log density stays finite where the density underflows. */
  {
    static const gdouble far[] = { 0.0, 0.0 };
    g_autoptr(HsKde) narrow = hs_kde_new (1, c1, far, 2, 1e-3);
    gdouble x = 0.9;

    g_assert_cmpfloat (hs_kde_pdf (narrow, &x), ==, 0.0);
    g_assert_true (isfinite (hs_kde_log_pdf (narrow, &x)));
    g_assert_cmpfloat (hs_kde_log_pdf (narrow, &x), <, -1e5);
  }
}

/* ---- the TPE ---- */

static void
test_tpe_budget (void)
{
  static const guint c1[] = { 0 };
  g_autoptr(HsTpe) tpe = hs_tpe_new (1, c1);
  gdouble x;

  /* N_min = 2: a budget needs 4 observations. */
  for (guint i = 0; i < 3; i++)
    {
      x = 0.1 * i;
      hs_tpe_add (tpe, 9, &x, 0.5 + 0.1 * i);
      hs_tpe_add (tpe, 1, &x, 0.2 + 0.1 * i);
    }
  g_assert_false (hs_tpe_fit (tpe, 2, 15, 1e-3));
  g_assert_true (isnan (hs_tpe_get_budget (tpe)));
  g_assert_null (hs_tpe_get_good (tpe));

  x = 0.9;
  hs_tpe_add (tpe, 1, &x, 0.1);
  g_assert_cmpuint (hs_tpe_get_n_observations (tpe, 1), ==, 4);
  g_assert_true (hs_tpe_fit (tpe, 2, 15, 1e-3));
  g_assert_cmpfloat (hs_tpe_get_budget (tpe), ==, 1);

  /* Budget 3 gets four: the larger budget wins. */
  for (guint i = 0; i < 4; i++)
    {
      x = 0.2 * i;
      hs_tpe_add (tpe, 3, &x, 0.3);
    }
  g_assert_true (hs_tpe_fit (tpe, 2, 15, 1e-3));
  g_assert_cmpfloat (hs_tpe_get_budget (tpe), ==, 3);
  /* Budget 9's fourth: 9 now; an N_min of 3 needs five, so back to none
   * but budget 1 … which has four: none. */
  hs_tpe_add (tpe, 9, &x, 0.9);
  g_assert_true (hs_tpe_fit (tpe, 2, 15, 1e-3));
  g_assert_cmpfloat (hs_tpe_get_budget (tpe), ==, 9);
  g_assert_false (hs_tpe_fit (tpe, 3, 15, 1e-3));
}

static void
test_tpe_split (void)
{
  static const guint c1[] = { 0 };
  g_autoptr(HsTpe) tpe = hs_tpe_new (1, c1);
  g_autoptr(HsTpe) small = hs_tpe_new (1, c1);
  gdouble x, low, high;

  /* 20 observations, score rising with x; two failed ones at x = 0.97
   * and 0.99 (they rank last, below the worst real score). */
  for (guint i = 0; i < 18; i++)
    {
      x = 0.05 * i;
      hs_tpe_add (tpe, 27, &x, x);
    }
  x = 0.97;
  hs_tpe_add (tpe, 27, &x, -INFINITY);
  x = 0.99;
  hs_tpe_add (tpe, 27, &x, NAN);
  g_assert_true (hs_tpe_fit (tpe, 2, 15, 1e-3));
  /* n_l = max(2, floor(15 · 20 / 100)) = 3; n_g = max(2, 17) = 17. */
  g_assert_cmpuint (hs_kde_get_n_points (hs_tpe_get_good (tpe)), ==, 3);
  g_assert_cmpuint (hs_kde_get_n_points (hs_tpe_get_bad (tpe)), ==, 17);
  /* l is the best three (x = 0.75, 0.8, 0.85): the ratio peaks there and
   * not at the failed ones' x. */
  x = 0.8;
  high = hs_tpe_score (tpe, &x);
  x = 0.2;
  low = hs_tpe_score (tpe, &x);
  g_assert_cmpfloat (high, >, low + 1);
  x = 0.98;
  g_assert_cmpfloat (hs_tpe_score (tpe, &x), <, high);

  /* Four observations, N_min = 2: the best two and the worst two. */
  for (guint i = 0; i < 4; i++)
    {
      x = 0.25 * i;
      hs_tpe_add (small, 3, &x, 1 - x);
    }
  g_assert_true (hs_tpe_fit (small, 2, 15, 1e-3));
  g_assert_cmpuint (hs_kde_get_n_points (hs_tpe_get_good (small)), ==, 2);
  g_assert_cmpuint (hs_kde_get_n_points (hs_tpe_get_bad (small)), ==, 2);
  /* Six with N_min = 4: l the best 4, g the worst 4, overlapping. */
  for (guint i = 0; i < 2; i++)
    {
      x = 0.9 + 0.05 * i;
      hs_tpe_add (small, 3, &x, 0);
    }
  g_assert_true (hs_tpe_fit (small, 4, 15, 1e-3));
  g_assert_cmpuint (hs_kde_get_n_points (hs_tpe_get_good (small)), ==, 4);
  g_assert_cmpuint (hs_kde_get_n_points (hs_tpe_get_bad (small)), ==, 4);
}

/* ---- configurations as vectors ---- */

static const char *const dims_json =
  "{\"dimensions\": ["
  " {\"name\": \"lr\", \"type\": \"float\", \"min\": 1e-4, \"max\": 0.1, \"log\": true},"
  " {\"name\": \"optimizer\", \"type\": \"categorical\", \"choices\": [\"sgd\", \"adam\", true]},"
  " {\"name\": \"batch_size\", \"type\": \"int\", \"min\": 16, \"max\": 256},"
  " {\"name\": \"width\", \"type\": \"int\", \"min\": 1, \"max\": 1000, \"log\": true}]}";

static gdouble
json_number (const char *json, const char *key)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  return json_object_get_double_member (object, key);
}

static void
test_vector_dimensions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsSearchSpace) space = hs_search_space_new_from_json (dims_json, &error);
  g_autoptr(HsVectorSpace) vspace = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  gdouble x[4];

  g_assert_no_error (error);
  vspace = hs_vector_space_new (space);
  g_assert_false (hs_vector_space_is_grid (vspace));
  g_assert_cmpuint (hs_vector_space_get_n_dims (vspace), ==, 4);
  g_assert_cmpuint (hs_vector_space_get_n_choices (vspace)[0], ==, 0);
  g_assert_cmpuint (hs_vector_space_get_n_choices (vspace)[1], ==, 3);
  g_assert_cmpuint (hs_vector_space_get_n_choices (vspace)[2], ==, 0);
  g_assert_true (hs_vector_space_get_log (vspace, 0));
  g_assert_cmpstr (hs_vector_space_get_name (vspace, 2), ==, "batch_size");

  g_assert_true (hs_vector_space_encode (vspace, "s1",
                                         "{\"lr\": 0.001, \"optimizer\": true, \"batch_size\": 64, \"width\": 10}", x));
  g_assert_cmpfloat_with_epsilon (x[0], 1.0 / 3, 1e-12);     /* log: 1e-4 … 0.1 */
  g_assert_cmpfloat (x[1], ==, 2);
  g_assert_cmpfloat_with_epsilon (x[2], (64 - 16 + 0.5) / 241, 1e-12);
  g_assert_cmpfloat_with_epsilon (x[3], (log (10) + log (11)) / 2 / log (1001), 1e-12);
  {
    g_autofree char *json = hs_vector_space_to_json (vspace, x);

    /* The float comes back within rounding (exp of log), the rest exactly. */
    g_assert_true (g_str_has_prefix (json, "{\"lr\": 0.00"));
    g_assert_true (g_str_has_suffix (json, ", \"optimizer\": true, \"batch_size\": 64, \"width\": 10}"));
    g_assert_cmpfloat_with_epsilon (json_number (json, "lr"), 0.001, 1e-15);
  }

  /* Not in the space: refused. */
  g_assert_false (hs_vector_space_encode (vspace, "s1", "{\"lr\": 0.001, \"optimizer\": \"sgd\", \"batch_size\": 64}", x));
  g_assert_false (hs_vector_space_encode (vspace, "s1", "{\"lr\": 0.001, \"optimizer\": \"rmsprop\", \"batch_size\": 64, \"width\": 1}", x));
  g_assert_false (hs_vector_space_encode (vspace, "s1", "{\"lr\": 0.5, \"optimizer\": \"sgd\", \"batch_size\": 64, \"width\": 1}", x));
  g_assert_false (hs_vector_space_encode (vspace, "s1", "{\"lr\": 0.01, \"optimizer\": \"sgd\", \"batch_size\": 64.5, \"width\": 1}", x));
  g_assert_false (hs_vector_space_encode (vspace, "s1", "[1, 2]", x));

  /* Every integer of a log int dimension comes back as itself, and its
   * cells grow in order. */
  {
    gdouble previous = -1;

    for (guint k = 1; k <= 1000; k++)
      {
        g_autofree char *in = g_strdup_printf ("{\"lr\": 0.01, \"optimizer\": \"sgd\", \"batch_size\": 16, \"width\": %u}", k);
        g_autofree char *out = NULL;

        g_assert_true (hs_vector_space_encode (vspace, "s", in, x));
        g_assert_cmpfloat (x[3], >, previous);
        previous = x[3];
        out = hs_vector_space_to_json (vspace, x);
        g_assert_cmpfloat (json_number (out, "width"), ==, k);
        g_assert_cmpfloat (json_number (out, "batch_size"), ==, 16);
      }
  }

  /* Any vector: snapped, written, read back, is where it was snapped to;
   * and whatever the sampler draws encodes. */
  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *json = NULL;
      g_autofree char *drawn = hs_search_space_sample_json (space, rand);
      gdouble y[4];

      for (guint d = 0; d < 4; d++)
        x[d] = d == 1 ? g_rand_int_range (rand, 0, 3) : g_rand_double (rand);
      hs_vector_space_snap (vspace, x);
      json = hs_vector_space_to_json (vspace, x);
      g_assert_true (hs_vector_space_encode (vspace, "b", json, y));
      for (guint d = 0; d < 4; d++)
        g_assert_cmpfloat_with_epsilon (y[d], x[d], 1e-12);
      g_assert_true (hs_vector_space_encode (vspace, "s", drawn, y));
    }
}

static void
test_vector_grid (void)
{
  /* lr spans 100× (log), bs 2× (linear), opt strings, wd missing from one
   * configuration (categorical: 0 or missing), flag only in one, fixed the
   * same everywhere (left out), depth negative numbers (linear). */
  static const char *const ids[] = { "a", "b", "c", "d" };
  static const char *const jsons[] = {
    "{\"lr\": 0.1, \"opt\": \"sgd\", \"bs\": 32, \"wd\": 0, \"fixed\": 1, \"depth\": -1}",
    "{\"lr\": 0.001, \"opt\": \"adam\", \"bs\": 64, \"wd\": 0, \"fixed\": 1, \"depth\": -3}",
    "{\"lr\": 0.01, \"opt\": \"adam\", \"bs\": 48, \"flag\": true, \"fixed\": 1, \"depth\": -2}",
    "{\"lr\": 0.01, \"opt\": \"sgd\", \"bs\": 32, \"wd\": 0, \"fixed\": 1, \"depth\": -1}",
  };
  static const char *const names[] = { "lr", "opt", "bs", "wd", "depth", "flag" };
  static const guint choices[] = { 0, 2, 0, 2, 0, 2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsSearchSpace) space = hs_search_space_new_grid (4, ids, jsons, &error);
  g_autoptr(HsVectorSpace) vspace = NULL;
  g_autoptr(GHashTable) exclude = g_hash_table_new (NULL, NULL);
  const gdouble *c;
  gdouble x[6];

  g_assert_no_error (error);
  vspace = hs_vector_space_new (space);
  g_assert_true (hs_vector_space_is_grid (vspace));
  g_assert_cmpuint (hs_vector_space_get_n_dims (vspace), ==, G_N_ELEMENTS (names));
  for (guint d = 0; d < G_N_ELEMENTS (names); d++)
    {
      g_assert_cmpstr (hs_vector_space_get_name (vspace, d), ==, names[d]);
      g_assert_cmpuint (hs_vector_space_get_n_choices (vspace)[d], ==, choices[d]);
    }
  g_assert_true (hs_vector_space_get_log (vspace, 0));
  g_assert_false (hs_vector_space_get_log (vspace, 2));
  g_assert_false (hs_vector_space_get_log (vspace, 4));

  /* c: lr halfway in log, opt "adam" (the second value seen), bs 16/32 of
   * the way, wd missing (the second value), depth −2 halfway, flag true. */
  c = hs_vector_space_get_grid_vector (vspace, 2);
  g_assert_cmpfloat_with_epsilon (c[0], 0.5, 1e-12);
  g_assert_cmpfloat (c[1], ==, 1);
  g_assert_cmpfloat_with_epsilon (c[2], 0.5, 1e-12);
  g_assert_cmpfloat (c[3], ==, 1);
  g_assert_cmpfloat_with_epsilon (c[4], 0.5, 1e-12);
  g_assert_cmpfloat (c[5], ==, 1);
  g_assert_true (hs_vector_space_encode (vspace, "b", NULL, x));
  g_assert_cmpfloat (x[0], ==, 0);
  g_assert_false (hs_vector_space_encode (vspace, "e", "{}", x));

  /* Nearest: itself; with it excluded, the next nearest; all excluded,
   * the nearest of all. */
  memcpy (x, c, sizeof x);
  g_assert_cmpuint (hs_vector_space_nearest (vspace, x, NULL), ==, 2);
  g_hash_table_add (exclude, GUINT_TO_POINTER (2));
  /* From c, b differs in lr (0.25), bs (0.25), wd, flag, depth (0.25): 2.75;
   * a: lr 0.25, opt 1, bs 0.25, wd 1, flag 1, depth 0.25: 3.75;
   * d: lr 0, opt 1, bs 0.25, wd 1, flag 1, depth 0.25: 3.5. */
  g_assert_cmpuint (hs_vector_space_nearest (vspace, x, exclude), ==, 1);
  g_hash_table_add (exclude, GUINT_TO_POINTER (1));
  g_assert_cmpuint (hs_vector_space_nearest (vspace, x, exclude), ==, 3);
  g_hash_table_add (exclude, GUINT_TO_POINTER (0));
  g_hash_table_add (exclude, GUINT_TO_POINTER (3));
  g_assert_cmpuint (hs_vector_space_nearest (vspace, x, exclude), ==, 2);

  /* A grid whose configurations never differ has no coordinates. */
  {
    static const char *const same_ids[] = { "x", "y" };
    static const char *const same[] = { "{\"lr\": 0.1}", "{\"lr\": 0.1}" };
    g_autoptr(HsSearchSpace) flat = hs_search_space_new_grid (2, same_ids, same, &error);
    g_autoptr(HsVectorSpace) none = hs_vector_space_new (flat);

    g_assert_no_error (error);
    g_assert_cmpuint (hs_vector_space_get_n_dims (none), ==, 0);
    g_assert_cmpuint (hs_vector_space_nearest (none, NULL, NULL), ==, 0);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kde/normalised", test_kde_normalised);
  g_test_add_func ("/kde/bandwidth", test_kde_bandwidth);
  g_test_add_func ("/kde/sample-follows-pdf", test_kde_sample_follows_pdf);
  g_test_add_func ("/kde/samples-concentrate", test_kde_samples_concentrate);
  g_test_add_func ("/tpe/budget", test_tpe_budget);
  g_test_add_func ("/tpe/split", test_tpe_split);
  g_test_add_func ("/vector-space/dimensions", test_vector_dimensions);
  g_test_add_func ("/vector-space/grid", test_vector_grid);
  return g_test_run ();
}
