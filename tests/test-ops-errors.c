/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bad input: each op returns NULL with an HS_COMPUTE_ERROR whose message
 * names the op and, for shape mismatches, both shapes as
 * hs_tensor_shape_string() writes them.
 */
#include <string.h>

#include "hs-test-util.h"
#include "test-ops.h"

typedef enum {
  E_MATMUL,
  E_MATMUL_BATCH,
  E_ADD,
  E_MUL,
  E_LINEAR,
  E_CONV,
  E_MSE,
  E_COSINE,
  E_CONCAT,
  E_BIAS_ACT,
  E_LAYER_NORM,
  E_ATTENTION_HEADS,
  E_SLICE_RANGE,
  E_RESHAPE_NUMEL,
  E_CE_LABEL_HIGH,
  E_CE_LABEL_NEGATIVE,
  E_EMBEDDING_HIGH,
  E_EMBEDDING_NEGATIVE,
} ErrorKind;

typedef struct {
  const char *path;
  ErrorKind kind;
  /* Words the message must contain (NULL-terminated). */
  const char *words[4];
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "/errors/matmul-2x3-4x5", E_MATMUL, { "matmul", "[2, 3]", "[4, 5]" } },
  { "/errors/matmul-batch-2x3x4-5x4x2", E_MATMUL_BATCH, { "matmul", "[2, 3, 4]", "[5, 4, 2]" } },
  { "/errors/add-2x3-4x5", E_ADD, { "add", "[2, 3]", "[4, 5]" } },
  { "/errors/mul-3x4-2x4", E_MUL, { "mul", "[3, 4]", "[2, 4]" } },
  { "/errors/linear-2x3-4x5", E_LINEAR, { "linear", "[2, 3]", "[4, 5]" } },
  { "/errors/conv2d-channels", E_CONV, { "conv2d", "[1, 5, 5, 3]", "[4, 3, 3, 2]" } },
  { "/errors/mse-3x4-4x3", E_MSE, { "mse", "[3, 4]", "[4, 3]" } },
  { "/errors/cosine-2x5-2x6", E_COSINE, { "cosine", "[2, 5]", "[2, 6]" } },
  { "/errors/concat-2x3-2x4-axis0", E_CONCAT, { "concat", "[2, 3]", "[2, 4]" } },
  { "/errors/bias_act-4x5-bias-4", E_BIAS_ACT, { "bias", "[4, 5]", "[4]" } },
  { "/errors/layer_norm-3x6-gamma-5", E_LAYER_NORM, { "layer_norm", "[3, 6]", "[5]" } },
  { "/errors/self_attention-heads-3-d-8", E_ATTENTION_HEADS, { "attention" } },
  { "/errors/slice-out-of-range", E_SLICE_RANGE, { "slice" } },
  { "/errors/reshape-numel", E_RESHAPE_NUMEL, { "reshape", "[2, 3]", "[4, 2]" } },
  { "/errors/cross_entropy-label-too-high", E_CE_LABEL_HIGH, { "cross" } },
  { "/errors/cross_entropy-label-negative", E_CE_LABEL_NEGATIVE, { "cross" } },
  { "/errors/embedding-index-too-high", E_EMBEDDING_HIGH, { "embedding" } },
  { "/errors/embedding-index-negative", E_EMBEDDING_NEGATIVE, { "embedding" } },
};

static HsTensor *
zeros (HsDType dtype, guint ndim, gint64 a, gint64 b, gint64 c, gint64 d)
{
  const gint64 shape[] = { a, b, c, d };
  gsize n = ht_numel (ndim, shape);
  g_autofree double *data = g_new0 (double, n);

  return ht_tensor_new (ht.device, dtype, ndim, shape, data);
}

static HsTensor *
labels (const double *values, gsize n)
{
  const gint64 shape[] = { n };
  return ht_tensor_new (ht.device, HS_DTYPE_I32, 1, shape, values);
}

static HsTensor *
run_error_case (ErrorKind kind, GError **error)
{
  g_autoptr (HsTensor) a = NULL;
  g_autoptr (HsTensor) b = NULL;
  static const double bad_high[] = { 0, 3, 4 }, bad_negative[] = { 0, -1, 2 };
  static const double idx_high[] = { 1, 5, 0, 2 }, idx_negative[] = { 1, 0, -3, 2 };

  switch (kind)
    {
    case E_MATMUL:
      a = zeros (HS_DTYPE_F32, 2, 2, 3, 0, 0);
      b = zeros (HS_DTYPE_F32, 2, 4, 5, 0, 0);
      return hs_matmul (a, b, FALSE, FALSE, error);
    case E_MATMUL_BATCH:
      a = zeros (HS_DTYPE_F32, 3, 2, 3, 4, 0);
      b = zeros (HS_DTYPE_F32, 3, 5, 4, 2, 0);
      return hs_matmul (a, b, FALSE, FALSE, error);
    case E_ADD:
      a = zeros (HS_DTYPE_F32, 2, 2, 3, 0, 0);
      b = zeros (HS_DTYPE_F32, 2, 4, 5, 0, 0);
      return hs_add (a, b, error);
    case E_MUL:
      a = zeros (HS_DTYPE_F32, 2, 3, 4, 0, 0);
      b = zeros (HS_DTYPE_F32, 2, 2, 4, 0, 0);
      return hs_mul (a, b, error);
    case E_LINEAR:
      a = zeros (HS_DTYPE_F32, 2, 2, 3, 0, 0);
      b = zeros (HS_DTYPE_F32, 2, 4, 5, 0, 0);
      return hs_linear (a, b, NULL, HS_ACT_NONE, error);
    case E_CONV:
      a = zeros (HS_DTYPE_F32, 4, 1, 5, 5, 3);
      b = zeros (HS_DTYPE_F32, 4, 4, 3, 3, 2);
      return hs_conv2d (a, b, NULL, 1, 1, HS_ACT_NONE, error);
    case E_MSE:
      a = zeros (HS_DTYPE_F32, 2, 3, 4, 0, 0);
      b = zeros (HS_DTYPE_F32, 2, 4, 3, 0, 0);
      return hs_mse (a, b, error);
    case E_COSINE:
      a = zeros (HS_DTYPE_F32, 2, 2, 5, 0, 0);
      b = zeros (HS_DTYPE_F32, 2, 2, 6, 0, 0);
      return hs_cosine_similarity (a, b, 1e-8f, error);
    case E_CONCAT:
      {
        HsTensor *xs[2];
        a = zeros (HS_DTYPE_F32, 2, 2, 3, 0, 0);
        b = zeros (HS_DTYPE_F32, 2, 2, 4, 0, 0);
        xs[0] = a;
        xs[1] = b;
        return hs_concat (xs, 2, 0, error);
      }
    case E_BIAS_ACT:
      a = zeros (HS_DTYPE_F32, 2, 4, 5, 0, 0);
      b = zeros (HS_DTYPE_F32, 1, 4, 0, 0, 0);
      return hs_bias_act (a, b, HS_ACT_RELU, error);
    case E_LAYER_NORM:
      a = zeros (HS_DTYPE_F32, 2, 3, 6, 0, 0);
      b = zeros (HS_DTYPE_F32, 1, 5, 0, 0, 0);
      return hs_layer_norm (a, b, b, 1e-5f, error);
    case E_ATTENTION_HEADS:
      a = zeros (HS_DTYPE_F32, 3, 2, 5, 8, 0);
      b = zeros (HS_DTYPE_F32, 2, 8, 8, 0, 0);
      return hs_self_attention (a, b, b, b, b, 3, error);
    case E_SLICE_RANGE:
      a = zeros (HS_DTYPE_F32, 2, 5, 6, 0, 0);
      return hs_slice (a, 1, 4, 3, error);
    case E_RESHAPE_NUMEL:
      {
        const gint64 shape[] = { 4, 2 };
        a = zeros (HS_DTYPE_F32, 2, 2, 3, 0, 0);
        return hs_reshape (a, 2, shape, error);
      }
    case E_CE_LABEL_HIGH:
    case E_CE_LABEL_NEGATIVE:
      a = zeros (HS_DTYPE_F32, 2, 3, 4, 0, 0);
      b = labels (kind == E_CE_LABEL_HIGH ? bad_high : bad_negative, 3);
      return hs_cross_entropy (a, b, error);
    case E_EMBEDDING_HIGH:
    case E_EMBEDDING_NEGATIVE:
      a = zeros (HS_DTYPE_F32, 2, 5, 3, 0, 0);
      b = labels (kind == E_EMBEDDING_HIGH ? idx_high : idx_negative, 4);
      return hs_embedding (a, b, error);
    default:
      g_assert_not_reached ();
    }
}

static void
test_error (gconstpointer data)
{
  const ErrorCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (HsTensor) out = NULL;

  if (!ht_require_device ())
    return;
  out = run_error_case (c->kind, &error);
  if (out != NULL)
    {
      g_autofree char *shape = hs_tensor_shape_string (out);
      ht_fail ("bad input accepted: got a %s tensor and %s", shape,
               error ? error->message : "no error");
      return;
    }
  if (error == NULL)
    {
      ht_fail ("NULL without an error");
      return;
    }
  g_test_message ("error: %s", error->message);
  if (error->domain != HS_COMPUTE_ERROR)
    ht_fail ("error domain %s, not HS_COMPUTE_ERROR", g_quark_to_string (error->domain));
  for (guint i = 0; i < G_N_ELEMENTS (c->words) && c->words[i] != NULL; i++)
    if (strstr (error->message, c->words[i]) == NULL)
      ht_fail ("message \"%s\" does not mention \"%s\"", error->message, c->words[i]);

  /* A rejected call leaves the device usable. */
  {
    g_autoptr (GError) sync_error = NULL;
    if (!hs_device_sync (ht.device, &sync_error))
      ht_fail ("device unusable after the error: %s", sync_error->message);
  }
}

void
test_ops_errors_register (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    g_test_add_data_func (error_cases[i].path, &error_cases[i], test_error);
}
