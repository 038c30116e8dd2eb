/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "hs-test-util.h"

HtContext ht;

static guint last_validation_count;

void
ht_init (int *argc, char ***argv)
{
  const char *env = g_getenv ("HS_DEVICE");
  g_autoptr (GError) error = NULL;
  char **args = *argv;
  int out = 1;

  ht.backend = g_strdup (env != NULL && g_str_has_prefix (env, "vulkan") ? "vulkan" : "cpu");

  /* Take our own option out before g_test_init() sees the arguments. */
  for (int i = 1; i < *argc; i++)
    {
      const char *value = NULL;

      if (g_str_equal (args[i], "--backend") && i + 1 < *argc)
        value = args[++i];
      else if (g_str_has_prefix (args[i], "--backend="))
        value = args[i] + strlen ("--backend=");

      if (value != NULL)
        {
          if (!g_str_equal (value, "cpu") && !g_str_equal (value, "vulkan"))
            g_error ("--backend must be cpu or vulkan, not %s", value);
          g_free (ht.backend);
          ht.backend = g_strdup (value);
        }
      else
        args[out++] = args[i];
    }
  *argc = out;
  args[out] = NULL;

  g_test_init (argc, argv, NULL);

  ht.device = hs_device_new (ht.backend, &error);
  if (ht.device == NULL)
    ht.open_error = g_strdup_printf ("cannot open the %s device: %s", ht.backend,
                                     error->message);
  else
    g_test_message ("backend %s, device %s", ht.backend, hs_device_get_name (ht.device));
}

gboolean
ht_require_device (void)
{
  if (ht.device == NULL)
    {
      if (g_str_equal (ht.backend, "cpu"))
        ht_fail ("%s", ht.open_error);
      else
        g_test_skip (ht.open_error);
      return FALSE;
    }

  /* Point at the test that made the validation layer speak. */
  if (hs_vulkan_validation_message_count () != last_validation_count)
    {
      g_test_message ("the previous test raised %u Vulkan validation messages",
                      hs_vulkan_validation_message_count () - last_validation_count);
      last_validation_count = hs_vulkan_validation_message_count ();
    }
  return TRUE;
}

static void
test_validation_clean (void)
{
  g_autoptr (GError) error = NULL;

  if (!ht_require_device ())
    return;
  /* Let every recorded kernel run before counting. */
  g_assert_true (hs_device_sync (ht.device, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hs_vulkan_validation_message_count (), ==, 0);
}

int
ht_run (void)
{
  int ret;

  /* Registered last, so it runs after every other test of the binary. */
  if (g_str_equal (ht.backend, "vulkan"))
    g_test_add_func ("/validation/clean", test_validation_clean);

  ret = g_test_run ();

  g_clear_pointer (&ht.device, hs_device_unref);
  g_clear_pointer (&ht.backend, g_free);
  g_clear_pointer (&ht.open_error, g_free);
  return ret;
}

void
ht_fill_normal (GRand *rand, double *x, gsize n, double scale)
{
  for (gsize i = 0; i < n; i++)
    {
      /* Box–Muller. */
      double u1 = g_rand_double_range (rand, 1e-12, 1.0);
      double u2 = g_rand_double (rand);
      x[i] = (float) (scale * sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2));
    }
}

void
ht_fill_uniform (GRand *rand, double *x, gsize n, double lo, double hi)
{
  for (gsize i = 0; i < n; i++)
    x[i] = (float) g_rand_double_range (rand, lo, hi);
}

gsize
ht_numel (guint ndim, const gint64 *shape)
{
  gsize n = 1;

  for (guint i = 0; i < ndim; i++)
    n *= shape[i];
  return n;
}

char *
ht_shape_string (guint ndim, const gint64 *shape)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < ndim; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? ", " : "", shape[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

HsTensor *
ht_tensor_new (HsDevice *device, HsDType dtype, guint ndim, const gint64 *shape,
               const double *data)
{
  g_autoptr (GError) error = NULL;
  gsize n = ht_numel (ndim, shape);
  HsTensor *t;

  if (dtype == HS_DTYPE_I32)
    {
      g_autofree gint32 *buf = g_new (gint32, n);
      for (gsize i = 0; i < n; i++)
        buf[i] = (gint32) data[i];
      t = hs_tensor_new_from_data (device, dtype, ndim, shape, buf, &error);
    }
  else if (dtype == HS_DTYPE_U8)
    {
      g_autofree guint8 *buf = g_new (guint8, n);
      for (gsize i = 0; i < n; i++)
        buf[i] = (guint8) data[i];
      t = hs_tensor_new_from_data (device, dtype, ndim, shape, buf, &error);
    }
  else
    {
      g_autofree float *buf = g_new (float, n);
      for (gsize i = 0; i < n; i++)
        buf[i] = (float) data[i];
      t = hs_tensor_new_from_data (device, dtype, ndim, shape, buf, &error);
    }
  /* Making a tensor is not what these tests are about: stop here. */
  g_assert_no_error (error);
  g_assert_nonnull (t);
  return t;
}

double *
ht_tensor_read (HsTensor *t)
{
  g_autoptr (GError) error = NULL;
  gsize n = hs_tensor_get_numel (t);
  double *out = g_new (double, n);

  if (hs_tensor_get_dtype (t) == HS_DTYPE_I32)
    {
      g_autofree gint32 *buf = g_new (gint32, n);
      if (hs_tensor_download (t, buf, &error))
        for (gsize i = 0; i < n; i++)
          out[i] = buf[i];
    }
  else
    {
      g_autofree float *buf = g_new (float, n);
      g_assert_cmpint (hs_tensor_get_dtype (t), ==, HS_DTYPE_F32);
      if (hs_tensor_download (t, buf, &error))
        for (gsize i = 0; i < n; i++)
          out[i] = buf[i];
    }
  if (!ht_check_no_error ("download", error))
    g_clear_pointer (&out, g_free);
  return out;
}

void
ht_fail (const char *format, ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_test_message ("FAIL: %s", msg);
  g_test_fail_printf ("%s", msg);
}

gboolean
ht_check_shape (const char *what, HsTensor *t, guint ndim, const gint64 *shape)
{
  g_autofree char *want = ht_shape_string (ndim, shape);
  g_autofree char *got = hs_tensor_shape_string (t);

  if (g_str_equal (want, got))
    return TRUE;
  ht_fail ("%s: shape %s, expected %s", what, got, want);
  return FALSE;
}

gboolean
ht_check_close (const char *what, const double *got, const double *want, gsize n,
                double atol, double rtol)
{
  gsize bad = 0, worst = 0;
  double worst_excess = -1.0;

  for (gsize i = 0; i < n; i++)
    {
      double err = fabs (got[i] - want[i]);
      double tol = atol + rtol * fabs (want[i]);
      /* NaN fails the comparison too. */
      if (!(err <= tol))
        {
          double excess = isnan (err) ? INFINITY : err / tol;
          bad++;
          if (excess > worst_excess)
            {
              worst_excess = excess;
              worst = i;
            }
        }
    }
  if (bad == 0)
    return TRUE;
  ht_fail ("%s: %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " elements differ "
           "(|got - want| > %g + %g |want|); worst at %" G_GSIZE_FORMAT
           ": got %.7g, want %.7g",
           what, bad, n, atol, rtol, worst, got[worst], want[worst]);
  return FALSE;
}

gboolean
ht_check_no_error (const char *what, GError *error)
{
  if (error == NULL)
    return TRUE;
  ht_fail ("%s failed: %s", what, error->message);
  return FALSE;
}
