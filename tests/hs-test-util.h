/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared plumbing of the compute tests: which backend a test binary runs on,
 * the device it opened, host/device copies in double precision, and
 * element-wise comparisons that report the first mismatch.
 */
#pragma once

#include <glib.h>

#include "hs-compute.h"

G_BEGIN_DECLS

typedef struct {
  char *backend;       /* "cpu" or "vulkan" */
  HsDevice *device;    /* NULL when it could not be opened */
  char *open_error;    /* why not */
} HtContext;

extern HtContext ht;

/* Parse `--backend cpu|vulkan` (default: $HS_DEVICE, else cpu), run
 * g_test_init() and open the device. */
void      ht_init (int *argc, char ***argv);
/* g_test_run(), after registering the final validation test on Vulkan. */
int       ht_run (void);
/* At the top of every test: FALSE (and the test is skipped, or failed on the
 * CPU backend, which must always open) when there is no device. */
gboolean  ht_require_device (void);

/* Random data, rounded to f32 so the double references see exactly the
 * values the engine sees. */
void      ht_fill_normal (GRand *rand, double *x, gsize n, double scale);
void      ht_fill_uniform (GRand *rand, double *x, gsize n, double lo, double hi);
gsize     ht_numel (guint ndim, const gint64 *shape);
char     *ht_shape_string (guint ndim, const gint64 *shape);

/* Device tensors from double host data (f32 or i32). */
HsTensor *ht_tensor_new (HsDevice *device, HsDType dtype, guint ndim, const gint64 *shape,
                         const double *data);
/* Whole tensor as doubles (f32 or i32), or NULL (the test is failed). */
double   *ht_tensor_read (HsTensor *t);

/* Fail the test without aborting it; the message is also logged, so every
 * failure of a test shows, not only its last. */
void      ht_fail (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* Fail the test (without aborting it) unless t has this shape. */
gboolean  ht_check_shape (const char *what, HsTensor *t, guint ndim, const gint64 *shape);
/* Fail the test unless |got - want| <= atol + rtol * |want| everywhere;
 * the message names the worst element and counts the bad ones. */
gboolean  ht_check_close (const char *what, const double *got, const double *want, gsize n,
                          double atol, double rtol);
/* Fail the test with the error when an engine call failed. */
gboolean  ht_check_no_error (const char *what, GError *error);

G_END_DECLS
