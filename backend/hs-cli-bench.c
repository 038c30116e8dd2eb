/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hyperstar-cli bench engine`: sgemm and convolution throughput of each
 * backend, and training speed of the reference CNN (bench/torch_reference.py
 * prints the same figures for PyTorch).
 */
#define G_LOG_DOMAIN "hyperstar-cli"

#include <stdio.h>

#include "hs-backend-private.h"
#include "hs-cli.h"
#include "hs-compute.h"
#include "hs-backbone.h"
#include "hs-refcnn.h"

#define TRAIN_BATCH 64

typedef struct {
  gboolean json;
  gdouble min_seconds;
} BenchOptions;

/* Runs `body` once to warm up (pipelines, caches), then repeatedly until
 * min_seconds have passed (at least twice); returns seconds per run. */
typedef gboolean (*BenchBody) (gpointer data, GError **error);

static gdouble
time_runs (HsDevice *dev, const BenchOptions *opts, BenchBody body, gpointer data,
           GError **error)
{
  gint64 start;
  guint runs = 0;
  gdouble elapsed;

  if (!body (data, error) || !hs_device_sync (dev, error))
    return -1;
  start = g_get_monotonic_time ();
  do
    {
      if (!body (data, error) || !hs_device_sync (dev, error))
        return -1;
      runs++;
      elapsed = (g_get_monotonic_time () - start) / 1e6;
    }
  while (runs < 2 || elapsed < opts->min_seconds);
  return elapsed / runs;
}

typedef struct {
  HsDevice *dev;
  HsGemm g;
  HsTensor *a, *b, *c;
} GemmBench;

static gboolean
gemm_body (gpointer data, GError **error)
{
  GemmBench *gb = data;
  gb->dev->ops->gemm (gb->dev, &gb->g, gb->a, gb->b, gb->c);
  return hs_device_take_error (gb->dev, error);
}

static gdouble
bench_sgemm (HsDevice *dev, const BenchOptions *opts, gint size, GRand *rand, GError **error)
{
  gint64 shape[2] = { size, size };
  g_autoptr(HsTensor) a = hs_tensor_new_uniform (dev, 2, shape, rand, -1.f, 1.f, error);
  g_autoptr(HsTensor) b = a ? hs_tensor_new_uniform (dev, 2, shape, rand, -1.f, 1.f, error) : NULL;
  g_autoptr(HsTensor) c = b ? hs_tensor_new (dev, HS_DTYPE_F32, 2, shape, error) : NULL;
  GemmBench gb = {
    .dev = dev, .a = a, .b = b, .c = c,
    .g = { .m = size, .n = size, .k = size, .alpha = 1.f, .beta = 0.f, .batch = 1 },
  };
  gdouble seconds;

  if (c == NULL)
    return -1;
  seconds = time_runs (dev, opts, gemm_body, &gb, error);
  return seconds < 0 ? -1 : 2.0 * size * size * (gdouble) size / seconds / 1e9;
}

typedef struct {
  HsDevice *dev;
  HsConvGeom g;
  HsTensor *x, *w, *y, *dx, *dw;
} ConvBench;

static gboolean
conv_body (gpointer data, GError **error)
{
  ConvBench *cb = data;
  HsDevice *dev = cb->dev;

  dev->ops->conv2d (dev, &cb->g, cb->y, cb->x, cb->w, NULL, HS_ACT_NONE);
  dev->ops->conv2d_backward_data (dev, &cb->g, cb->dx, cb->y, cb->w);
  dev->ops->conv2d_backward_filter (dev, &cb->g, cb->dw, cb->y, cb->x);
  return hs_device_take_error (dev, error);
}

/* Forward, backward-data and backward-filter of one reference-CNN layer at
 * batch 64: three GEMM-sized passes. */
static gdouble
bench_conv (HsDevice *dev, const BenchOptions *opts, guint stage, GRand *rand,
            gdouble *flop_out, GError **error)
{
  ConvBench cb = { .dev = dev };
  const HsConvGeom *g = &cb.g;
  gdouble flop, seconds;
  gboolean ok;

  hs_ref_cnn_conv_geom (TRAIN_BATCH, stage, &cb.g);
  {
    gint64 xs[4] = { g->n, g->h, g->w, g->c };
    gint64 ws[4] = { g->oc, g->kh, g->kw, g->c };
    gint64 ys[4] = { g->n, g->oh, g->ow, g->oc };
    ok = (cb.x = hs_tensor_new_uniform (dev, 4, xs, rand, -1.f, 1.f, error)) &&
         (cb.w = hs_tensor_new_uniform (dev, 4, ws, rand, -1.f, 1.f, error)) &&
         (cb.y = hs_tensor_new (dev, HS_DTYPE_F32, 4, ys, error)) &&
         (cb.dx = hs_tensor_new (dev, HS_DTYPE_F32, 4, xs, error)) &&
         (cb.dw = hs_tensor_new (dev, HS_DTYPE_F32, 4, ws, error));
  }
  seconds = ok ? time_runs (dev, opts, conv_body, &cb, error) : -1;
  g_clear_pointer (&cb.x, hs_tensor_unref);
  g_clear_pointer (&cb.w, hs_tensor_unref);
  g_clear_pointer (&cb.y, hs_tensor_unref);
  g_clear_pointer (&cb.dx, hs_tensor_unref);
  g_clear_pointer (&cb.dw, hs_tensor_unref);
  if (seconds < 0)
    return -1;
  flop = 3.0 * 2.0 * g->n * g->oh * g->ow * (gdouble) g->oc * g->kh * g->kw * g->c;
  *flop_out = flop;
  return seconds;
}

/* A network under training: its forward pass and learnable parameters. */
typedef HsTensor *(*ForwardFunc) (gpointer net, HsTensor *x, gboolean training, GError **error);

typedef struct {
  HsDevice *dev;
  ForwardFunc forward;
  gpointer net;
  HsOptimizer *opt;
  HsTensor *x, *labels;
} TrainBench;

static gboolean
train_body (gpointer data, GError **error)
{
  TrainBench *tb = data;
  g_autoptr(HsTape) tape = hs_tape_new (tb->dev);
  g_autoptr(HsTensor) logits = tb->forward (tb->net, tb->x, TRUE, error);
  g_autoptr(HsTensor) loss = logits ? hs_cross_entropy (logits, tb->labels, error) : NULL;

  return loss != NULL &&
         hs_optimizer_zero_grad (tb->opt, error) &&
         hs_tape_backward (tape, loss, error) &&
         hs_optimizer_step (tb->opt, error);
}

/* Images per second of full SGD+momentum steps at batch 64 on random
 * images with 10 classes. */
static gdouble
bench_train (HsDevice *dev, const BenchOptions *opts, GRand *rand, ForwardFunc forward,
             gpointer net, GPtrArray *params, GError **error)
{
  TrainBench tb = { .dev = dev, .forward = forward, .net = net };
  gint64 xs[4] = { TRAIN_BATCH, 32, 32, 3 };
  gint64 ls = TRAIN_BATCH;
  gint32 labels[TRAIN_BATCH];
  g_autoptr(HsTensor) x = NULL;
  g_autoptr(HsTensor) lab = NULL;
  g_autoptr(HsOptimizer) opt = NULL;
  gdouble seconds;

  for (guint i = 0; i < TRAIN_BATCH; i++)
    labels[i] = g_rand_int_range (rand, 0, 10);
  if ((x = hs_tensor_new_uniform (dev, 4, xs, rand, -1.f, 1.f, error)) == NULL ||
      (lab = hs_tensor_new_from_data (dev, HS_DTYPE_I32, 1, &ls, labels, error)) == NULL)
    return -1;
  opt = hs_optimizer_new_sgd (dev, 0.05f, 0.9f, 0.f);
  for (guint i = 0; i < params->len; i++)
    hs_optimizer_add_param (opt, g_ptr_array_index (params, i));
  tb.opt = opt;
  tb.x = x;
  tb.labels = lab;
  seconds = time_runs (dev, opts, train_body, &tb, error);
  return seconds < 0 ? -1 : TRAIN_BATCH / seconds;
}

static gdouble
bench_ref_cnn (HsDevice *dev, const BenchOptions *opts, GRand *rand, GError **error)
{
  g_autoptr(HsRefCnn) net = hs_ref_cnn_new (dev, 10, 1, error);
  g_autoptr(GPtrArray) params = NULL;

  if (net == NULL)
    return -1;
  params = hs_ref_cnn_params (net);
  return bench_train (dev, opts, rand, (ForwardFunc) hs_ref_cnn_forward, net, params, error);
}

/* `bench backbone`: the fine-tuning backbone, fully and head-only trained. */
static gboolean
bench_backbone (const char *policy, const BenchOptions *opts, GError **error)
{
  g_autoptr(HsDevice) dev = hs_device_new (policy, error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GString) json = g_string_new (NULL);
  g_autofree char *escaped = NULL;
  const HsFinetune modes[] = { HS_FINETUNE_ALL, HS_FINETUNE_LAST, HS_FINETUNE_HEAD };

  if (dev == NULL)
    return FALSE;
  escaped = g_strescape (hs_device_get_name (dev), NULL);
  g_string_append_printf (json, "{\"device\": \"%s\", \"batch\": %d, \"train_img_per_s\": {",
                          escaped, TRAIN_BATCH);
  if (!opts->json)
    g_print ("%s\n", hs_device_get_name (dev));
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(HsBackbone) net = hs_backbone_new (dev, 10, 1, error);
      gdouble img_per_s;

      if (net == NULL)
        return FALSE;
      hs_backbone_set_finetune (net, modes[i]);
      img_per_s = bench_train (dev, opts, rand, (ForwardFunc) hs_backbone_forward, net,
                               hs_backbone_trainable_params (net), error);
      if (img_per_s < 0)
        return FALSE;
      g_string_append_printf (json, "%s\"%s\": %.1f", i ? ", " : "",
                              hs_finetune_to_string (modes[i]), img_per_s);
      if (!opts->json)
        g_print ("  backbone training, finetune=%-4s %8.1f img/s (batch %d, SGD+momentum)\n",
                 hs_finetune_to_string (modes[i]), img_per_s, TRAIN_BATCH);
    }
  g_string_append (json, "}}");
  if (opts->json)
    g_print ("%s\n", json->str);
  return TRUE;
}

static gboolean
bench_device (const char *policy, const BenchOptions *opts, GError **error)
{
  static const gint sizes[] = { 256, 512, 1024 };
  g_autoptr(HsDevice) dev = hs_device_new (policy, error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GString) json = g_string_new (NULL);
  g_autofree char *escaped = NULL;
  gdouble total_flop = 0, total_seconds = 0, img_per_s;

  if (dev == NULL)
    return FALSE;
  escaped = g_strescape (hs_device_get_name (dev), NULL);
  g_string_append_printf (json, "{\"device\": \"%s\", \"backend\": \"%s\", \"sgemm_gflops\": {",
                          escaped, hs_device_get_backend (dev) == HS_BACKEND_CPU ? "cpu" : "vulkan");
  if (!opts->json)
    g_print ("%s\n", hs_device_get_name (dev));

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      gdouble gflops = bench_sgemm (dev, opts, sizes[i], rand, error);
      if (gflops < 0)
        return FALSE;
      g_string_append_printf (json, "%s\"%d\": %.2f", i ? ", " : "", sizes[i], gflops);
      if (!opts->json)
        g_print ("  sgemm %4d³            %8.2f GFLOP/s\n", sizes[i], gflops);
    }
  g_string_append (json, "}, \"conv_gflops\": {");
  for (guint s = 0; s < HS_REF_CNN_STAGES; s++)
    {
      HsConvGeom g;
      gdouble flop = 0, seconds = bench_conv (dev, opts, s, rand, &flop, error);
      if (seconds < 0)
        return FALSE;
      hs_ref_cnn_conv_geom (TRAIN_BATCH, s, &g);
      total_flop += flop;
      total_seconds += seconds;
      g_string_append_printf (json, "\"conv%u\": %.2f, ", s + 1, flop / seconds / 1e9);
      if (!opts->json)
        g_print ("  conv%u %2d→%-2d s%d %2d×%-2d fwd+bwd %8.2f GFLOP/s\n", s + 1, g.c, g.oc,
                 g.sh, g.h, g.w, flop / seconds / 1e9);
    }
  g_string_append_printf (json, "\"all\": %.2f}", total_flop / total_seconds / 1e9);
  if (!opts->json)
    g_print ("  conv, all layers       %8.2f GFLOP/s\n", total_flop / total_seconds / 1e9);

  img_per_s = bench_ref_cnn (dev, opts, rand, error);
  if (img_per_s < 0)
    return FALSE;
  g_string_append_printf (json, ", \"train_img_per_s\": %.1f, \"batch\": %d}", img_per_s,
                          TRAIN_BATCH);
  if (opts->json)
    g_print ("%s\n", json->str);
  else
    g_print ("  reference CNN training %8.1f img/s (batch %d, SGD+momentum)\n", img_per_s,
             TRAIN_BATCH);
  return TRUE;
}

int
hs_cli_bench (int argc, char **argv)
{
  g_autofree char *device = NULL;
  gboolean json = FALSE;
  gdouble seconds = 2.0;
  GOptionEntry entries[] = {
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device,
      "cpu, vulkan or vulkan:N (default: the CPU and every Vulkan device)", "DEVICE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per device", NULL },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Minimum time per measurement", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("engine|backbone — measure the compute engine or the backbone");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) policies = g_ptr_array_new_with_free_func (g_free);
  BenchOptions opts;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse_options (context, "bench", &argc, &argv))
    return HS_CLI_EXIT_USAGE;
  if (argc != 2 || !(g_str_equal (argv[1], "engine") || g_str_equal (argv[1], "backbone")))
    {
      g_printerr ("bench: say which: “engine” (kernels and the reference CNN) or "
                  "“backbone” (fine-tuning speed)\n");
      return HS_CLI_EXIT_USAGE;
    }
  opts.json = json;
  opts.min_seconds = seconds;

  if (device != NULL)
    g_ptr_array_add (policies, g_strdup (device));
  else
    {
      g_autoptr(GPtrArray) list = hs_device_list (NULL);
      g_ptr_array_add (policies, g_strdup ("cpu"));
      for (guint i = 1; i < list->len; i++)
        g_ptr_array_add (policies, g_strdup_printf ("vulkan:%u",
                                                    ((HsDeviceInfo *) g_ptr_array_index (list, i))->index));
    }
  for (guint i = 0; i < policies->len; i++)
    if (!(g_str_equal (argv[1], "engine") ? bench_device : bench_backbone) (
            g_ptr_array_index (policies, i), &opts, &error))
      {
        g_printerr ("bench: %s: %s\n", (char *) g_ptr_array_index (policies, i), error->message);
        return 1;
      }
  return 0;
}
