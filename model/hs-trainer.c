/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fine-tuning trainer: epochs of shuffled, augmented mini-batches, a
 * validation accuracy per epoch, and checkpoints that resume exactly.
 *
 * Choices worth knowing:
 *  - Inputs are normalised as x / 255 − 0.5 (hs-augment.h).
 *  - Batches are assembled on the host (augmentation included) into buffers
 *    allocated once, and uploaded into device tensors cached per batch size,
 *    so a step allocates no input tensors.
 *  - Epoch e draws its shuffle, its augmentation and its dropout seed from
 *    one GRand seeded by (config seed, e) alone, in a fixed order: a run
 *    resumed from the checkpoint of epoch b replays epochs b+1… exactly.
 *  - The last partial batch of an epoch is kept, unless it holds a single
 *    image (batch norm's batch statistics of one image are meaningless);
 *    both cases depend only on the train split's size and the batch size.
 *  - The learning rate is constant (no schedule): nothing in an epoch
 *    depends on the number of epochs asked for, which Hyperband changes.
 *  - Adam is AdamW (decoupled weight decay), betas 0.9/0.999, eps 1e-8.
 */
#define G_LOG_DOMAIN "hs-trainer"

#include <string.h>

#include <gio/gio.h>

#include "hs-augment.h"
#include "hs-trainer.h"

/* Images per forward pass when evaluating. */
#define EVAL_BATCH 256

/* Checkpoint entries besides the backbone's tensors. */
#define KEY_DATASET  "trainer.dataset"      /* u8: "key=value\n" lines */
#define KEY_CONFIG   "trainer.config"       /* u8: configuration JSON, epochs 0 */
#define KEY_EPOCH    "trainer.epoch"        /* i32 [1] */
#define KEY_CURVE    "trainer.curve"        /* u8: per epoch 4 little-endian doubles */
#define KEY_STEP     "optimizer.step"       /* i32 [1] */
#define KEY_STATE    "optimizer.state%u.%s" /* f32, the parameter's shape */

#define CURVE_FIELDS 4

struct _HsTrainer {
  HsDevice *device;
  HsDataset *dataset;          /* borrowed: outlives the trainer */
  HsTrainConfig config;
  HsBackbone *net;
  HsOptimizer *opt;
  GPtrArray *params;           /* trainable tensors (borrowed from net) */
  GHashTable *param_names;     /* HsTensor* → name (borrowed from net) */
  guint opt_slots;             /* state tensors per parameter */
  guint epoch;
  GArray *curve;               /* HsEpochResult */
  GArray *split_index[HS_N_SPLITS]; /* gsize image indices per split */
  guint size;

  /* Host staging, sized for max (batch_size, EVAL_BATCH) images. */
  guint host_capacity;
  gfloat *host_x;
  gint32 *host_y;
  gfloat *scratch;
  GHashTable *x_tensors;       /* batch size → HsTensor [n, size, size, 3] */
  GHashTable *y_tensors;       /* batch size → HsTensor i32 [n] */

  char *config_json;           /* identity: the configuration, epochs 0 */
  char *dataset_identity;      /* identity: "key=value\n" lines */
};

/* ------------------------------------------------------------------------- */
/* Identity                                                                  */

static char *
config_identity (const HsTrainConfig *config)
{
  HsTrainConfig c = *config;

  /* Epochs are left out (always 0): Hyperband resumes a run with more. */
  c.epochs = 0;
  return hs_train_config_to_json (&c);
}

static char *
dataset_identity (HsDataset *ds)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize n = hs_dataset_get_n_images (ds);

  /* Labels, splits and class names: a dataset rebuilt with other images
   * under the same name, or re-split, is another dataset. */
  for (gsize i = 0; i < n; i++)
    {
      guint8 rec[5];
      guint32 label = GUINT32_TO_LE (hs_dataset_get_label (ds, i));
      memcpy (rec, &label, 4);
      rec[4] = (guint8) hs_dataset_get_split (ds, i);
      g_checksum_update (sum, rec, sizeof rec);
    }
  for (guint c = 0; c < hs_dataset_get_n_classes (ds); c++)
    g_checksum_update (sum, (const guint8 *) hs_dataset_get_class_name (ds, c),
                       strlen (hs_dataset_get_class_name (ds, c)) + 1);

  return g_strdup_printf ("name=%s\nsize=%u\nn_images=%" G_GSIZE_FORMAT "\nn_classes=%u\n"
                          "split_seed=%" G_GUINT64_FORMAT "\nlabels_sha256=%s\n",
                          hs_dataset_get_name (ds), hs_dataset_get_size (ds), n,
                          hs_dataset_get_n_classes (ds), hs_dataset_get_split_seed (ds),
                          g_checksum_get_string (sum));
}

static void
add_string (HsWeights *w, const char *name, const char *value)
{
  gint64 len = strlen (value);

  hs_weights_add_data (w, name, HS_DTYPE_U8, 1, &len, value);
}

static char *
get_string (HsWeights *w, const char *name, GError **error)
{
  gsize len = 0;
  const char *data = hs_weights_get_data (w, name, HS_DTYPE_U8, 1, NULL, &len, error);

  return data != NULL ? g_strndup (data, len) : NULL;
}

/* "Checkpoint X is of another dataset: its n_images is 120, this one's 160". */
static gboolean
check_dataset_identity (const char *path, const char *theirs, const char *ours,
                        GError **error)
{
  g_auto (GStrv) their_lines = g_strsplit (theirs, "\n", -1);
  g_auto (GStrv) our_lines = g_strsplit (ours, "\n", -1);

  if (g_strcmp0 (theirs, ours) == 0)
    return TRUE;
  for (guint i = 0; our_lines[i] != NULL; i++)
    {
      const char *eq = strchr (our_lines[i], '=');
      gsize key_len;
      const char *their_value = NULL;

      if (eq == NULL)
        continue;
      key_len = eq - our_lines[i] + 1;
      for (guint j = 0; their_lines[j] != NULL; j++)
        if (strncmp (their_lines[j], our_lines[i], key_len) == 0)
          their_value = their_lines[j] + key_len;
      if (g_strcmp0 (their_value, eq + 1) != 0)
        {
          g_autofree char *key = g_strndup (our_lines[i], key_len - 1);
          g_set_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_MISMATCH,
                       "Checkpoint %s is of another dataset: its %s is %s, this dataset's is %s",
                       path, key, their_value != NULL ? their_value : "(none)", eq + 1);
          return FALSE;
        }
    }
  g_set_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_MISMATCH,
               "Checkpoint %s is of another dataset", path);
  return FALSE;
}

/* Both strings are hs_train_config_to_json's canonical form: the same keys
 * in the same order, separated by ", ", so the first differing piece names
 * the key and both values as they were written. */
static gboolean
check_config_identity (const char *path, const char *theirs, const char *ours, GError **error)
{
  g_auto (GStrv) a = NULL;
  g_auto (GStrv) b = NULL;

  if (g_strcmp0 (theirs, ours) == 0)
    return TRUE;
  a = g_strsplit_set (theirs, "{}", -1);
  b = g_strsplit_set (ours, "{}", -1);
  if (g_strv_length (a) == 3 && g_strv_length (b) == 3)
    {
      g_auto (GStrv) pa = g_strsplit (a[1], ", ", -1);
      g_auto (GStrv) pb = g_strsplit (b[1], ", ", -1);

      for (guint i = 0; pa[i] != NULL && pb[i] != NULL; i++)
        if (!g_str_equal (pa[i], pb[i]))
          {
            g_set_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_MISMATCH,
                         "Checkpoint %s is of another configuration: its %s, this one's %s",
                         path, pa[i], pb[i]);
            return FALSE;
          }
    }
  g_set_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_MISMATCH,
               "Checkpoint %s is of another configuration: %s", path, theirs);
  return FALSE;
}

/* ------------------------------------------------------------------------- */
/* Construction                                                              */

HsTrainer *
hs_trainer_new (HsDevice *device, HsDataset *dataset, const HsTrainConfig *config,
                HsWeights *pretrained, GError **error)
{
  g_autoptr (HsTrainer) tr = NULL;
  guint classes = hs_dataset_get_n_classes (dataset);

  g_return_val_if_fail (device != NULL && dataset != NULL && config != NULL, NULL);

  if (hs_dataset_get_size (dataset) != HS_DATASET_DEFAULT_SIZE)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                   "Dataset %s has %u×%u images; the backbone takes %u×%u",
                   hs_dataset_get_name (dataset), hs_dataset_get_size (dataset),
                   hs_dataset_get_size (dataset), HS_DATASET_DEFAULT_SIZE,
                   HS_DATASET_DEFAULT_SIZE);
      return NULL;
    }

  tr = g_new0 (HsTrainer, 1);
  tr->device = hs_device_ref (device);
  tr->dataset = dataset;
  tr->config = *config;
  tr->size = hs_dataset_get_size (dataset);
  tr->curve = g_array_new (FALSE, TRUE, sizeof (HsEpochResult));
  tr->x_tensors = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) hs_tensor_unref);
  tr->y_tensors = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) hs_tensor_unref);
  tr->param_names = g_hash_table_new (NULL, NULL);

  for (guint s = 0; s < HS_N_SPLITS; s++)
    tr->split_index[s] = g_array_new (FALSE, FALSE, sizeof (gsize));
  for (gsize i = 0; i < hs_dataset_get_n_images (dataset); i++)
    g_array_append_val (tr->split_index[hs_dataset_get_split (dataset, i)], i);

  if (classes < 2 || tr->split_index[HS_SPLIT_TRAIN]->len < 2)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                   "Dataset %s has too little to train on (%u classes, %u train images)",
                   hs_dataset_get_name (dataset), classes, tr->split_index[HS_SPLIT_TRAIN]->len);
      return NULL;
    }

  tr->net = hs_backbone_new (device, classes, config->seed, error);
  if (tr->net == NULL)
    return NULL;
  if (pretrained != NULL && !hs_backbone_load_weights (tr->net, pretrained, TRUE, error))
    return NULL;
  for (guint i = 0; i < hs_backbone_get_n_tensors (tr->net); i++)
    {
      const char *name = NULL;
      HsTensor *t = hs_backbone_get_tensor (tr->net, i, &name, NULL, NULL);
      g_hash_table_insert (tr->param_names, t, (gpointer) name);
    }
  hs_backbone_set_finetune (tr->net, config->finetune);
  tr->params = g_ptr_array_ref (hs_backbone_trainable_params (tr->net));

  if (config->optimizer == HS_OPTIMIZER_ADAM)
    {
      tr->opt = hs_optimizer_new_adam (device, config->lr, 0.9f, 0.999f, 1e-8f,
                                       config->weight_decay, TRUE);
      tr->opt_slots = 2;
    }
  else
    {
      tr->opt = hs_optimizer_new_sgd (device, config->lr, config->momentum,
                                      config->weight_decay);
      tr->opt_slots = (gfloat) config->momentum != 0.f ? 1 : 0;
    }
  for (guint i = 0; i < tr->params->len; i++)
    hs_optimizer_add_param (tr->opt, g_ptr_array_index (tr->params, i));

  tr->host_capacity = MAX (config->batch_size, EVAL_BATCH);
  tr->host_x = g_new (gfloat, (gsize) tr->host_capacity * tr->size * tr->size * 3);
  tr->host_y = g_new (gint32, tr->host_capacity);
  tr->scratch = g_new (gfloat, (gsize) tr->size * tr->size * 3);

  tr->config_json = config_identity (config);
  tr->dataset_identity = dataset_identity (dataset);
  return g_steal_pointer (&tr);
}

void
hs_trainer_free (HsTrainer *tr)
{
  if (tr == NULL)
    return;
  g_clear_pointer (&tr->opt, hs_optimizer_free);
  g_clear_pointer (&tr->params, g_ptr_array_unref);
  g_clear_pointer (&tr->net, hs_backbone_free);
  g_hash_table_unref (tr->param_names);
  g_hash_table_unref (tr->x_tensors);
  g_hash_table_unref (tr->y_tensors);
  for (guint s = 0; s < HS_N_SPLITS; s++)
    g_array_unref (tr->split_index[s]);
  g_array_unref (tr->curve);
  g_free (tr->host_x);
  g_free (tr->host_y);
  g_free (tr->scratch);
  g_free (tr->config_json);
  g_free (tr->dataset_identity);
  hs_device_unref (tr->device);
  g_free (tr);
}

HsBackbone *
hs_trainer_get_backbone (HsTrainer *tr)
{
  return tr->net;
}

guint
hs_trainer_get_epoch (HsTrainer *tr)
{
  return tr->epoch;
}

GArray *
hs_trainer_get_curve (HsTrainer *tr)
{
  return g_array_ref (tr->curve);
}

/* ------------------------------------------------------------------------- */
/* Batches                                                                   */

/* Uploads the first n staged images and labels into the cached tensors of
 * batch size n. */
static gboolean
upload_batch (HsTrainer *tr, guint n, HsTensor **x_out, HsTensor **y_out, GError **error)
{
  HsTensor *x = g_hash_table_lookup (tr->x_tensors, GUINT_TO_POINTER (n));
  HsTensor *y = g_hash_table_lookup (tr->y_tensors, GUINT_TO_POINTER (n));

  if (x == NULL)
    {
      const gint64 xs[4] = { n, tr->size, tr->size, 3 };
      const gint64 ys[1] = { n };

      x = hs_tensor_new (tr->device, HS_DTYPE_F32, 4, xs, error);
      if (x == NULL)
        return FALSE;
      g_hash_table_insert (tr->x_tensors, GUINT_TO_POINTER (n), x);
      y = hs_tensor_new (tr->device, HS_DTYPE_I32, 1, ys, error);
      if (y == NULL)
        return FALSE;
      g_hash_table_insert (tr->y_tensors, GUINT_TO_POINTER (n), y);
    }
  if (!hs_tensor_upload (x, tr->host_x, error) || !hs_tensor_upload (y, tr->host_y, error))
    return FALSE;
  *x_out = x;
  *y_out = y;
  return TRUE;
}

static guint
n_train_batches (HsTrainer *tr)
{
  guint n = tr->split_index[HS_SPLIT_TRAIN]->len;
  guint b = tr->config.batch_size;

  return n / b + (n % b >= 2 ? 1 : 0);
}

/* Everything random in epoch e comes from this, drawn in a fixed order. */
static GRand *
epoch_rand (HsTrainer *tr, guint epoch)
{
  const guint32 seed[3] = { tr->config.seed, epoch, 0x48535452 /* "HSTR" */ };

  return g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));
}

static gboolean
train_step (HsTrainer *tr, guint n, gdouble *loss_out, GError **error)
{
  HsTensor *x, *y;
  g_autoptr (HsTape) tape = NULL;
  g_autoptr (HsTensor) logits = NULL;
  g_autoptr (HsTensor) loss = NULL;
  gfloat value = 0;

  if (!upload_batch (tr, n, &x, &y, error))
    return FALSE;
  tape = hs_tape_new (tr->device);
  logits = hs_backbone_forward (tr->net, x, TRUE, error);
  if (logits == NULL)
    return FALSE;
  loss = hs_cross_entropy (logits, y, error);
  if (loss == NULL || !hs_tape_backward (tape, loss, error))
    return FALSE;
  g_clear_pointer (&tape, hs_tape_free);
  if (!hs_tensor_item (loss, &value, error))
    return FALSE;
  if (!hs_optimizer_step (tr->opt, error) || !hs_optimizer_zero_grad (tr->opt, error))
    return FALSE;
  *loss_out = value;
  return TRUE;
}

gboolean
hs_trainer_run (HsTrainer *tr, guint to_epoch, HsEpochFunc on_epoch, HsProgressFunc progress,
                gpointer user_data, GCancellable *cancellable, GError **error)
{
  GArray *train = tr->split_index[HS_SPLIT_TRAIN];
  guint n_batches = n_train_batches (tr);
  guint64 total, done = 0;
  g_autofree gsize *order = g_new (gsize, train->len);
  gsize image_bytes = (gsize) tr->size * tr->size * 3;

  if (to_epoch <= tr->epoch)
    return TRUE;
  total = (guint64) (to_epoch - tr->epoch) * n_batches;

  while (tr->epoch < to_epoch)
    {
      guint e = tr->epoch + 1;
      g_autoptr (GRand) rand = epoch_rand (tr, e);
      g_autoptr (GTimer) timer = g_timer_new ();
      g_autofree char *what = g_strdup_printf ("epoch %u/%u", e, to_epoch);
      HsEpochResult result = { .epoch = e };
      gdouble loss_sum = 0;

      hs_device_seed (tr->device, g_rand_int (rand));
      memcpy (order, train->data, train->len * sizeof (gsize));
      for (guint i = train->len - 1; i > 0; i--)
        {
          guint j = g_rand_int_range (rand, 0, i + 1);
          gsize t = order[i];
          order[i] = order[j];
          order[j] = t;
        }

      for (guint b = 0; b < n_batches; b++)
        {
          guint start = b * tr->config.batch_size;
          guint n = MIN (tr->config.batch_size, train->len - start);
          gdouble loss = 0;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          for (guint k = 0; k < n; k++)
            {
              gsize idx = order[start + k];
              hs_augment_image (hs_dataset_get_image (tr->dataset, idx), tr->size,
                                tr->config.augment, rand, tr->scratch,
                                tr->host_x + k * image_bytes);
              tr->host_y[k] = hs_dataset_get_label (tr->dataset, idx);
            }
          if (!train_step (tr, n, &loss, error))
            return FALSE;
          loss_sum += loss;
          if (progress != NULL)
            progress (++done, total, what, user_data);
        }

      result.train_loss = loss_sum / n_batches;
      if (!hs_trainer_evaluate (tr, HS_SPLIT_VAL, &result.val_acc, error))
        return FALSE;
      result.seconds = g_timer_elapsed (timer, NULL);
      g_array_append_val (tr->curve, result);
      tr->epoch = e;
      if (on_epoch != NULL)
        on_epoch (&result, user_data);
    }
  return TRUE;
}

gboolean
hs_trainer_evaluate (HsTrainer *tr, HsSplit split, gdouble *accuracy, GError **error)
{
  GArray *index;
  guint classes = hs_backbone_get_classes (tr->net);
  g_autofree gfloat *logits_host = g_new (gfloat, (gsize) EVAL_BATCH * classes);
  gsize image_bytes = (gsize) tr->size * tr->size * 3;
  guint correct = 0;

  g_return_val_if_fail (split < HS_N_SPLITS, FALSE);
  index = tr->split_index[split];
  for (guint start = 0; start < index->len; start += EVAL_BATCH)
    {
      guint n = MIN (EVAL_BATCH, index->len - start);
      HsTensor *x, *y;
      g_autoptr (HsTensor) logits = NULL;

      for (guint k = 0; k < n; k++)
        {
          gsize idx = g_array_index (index, gsize, start + k);
          hs_augment_normalise (hs_dataset_get_image (tr->dataset, idx), tr->size,
                                tr->host_x + k * image_bytes);
          tr->host_y[k] = hs_dataset_get_label (tr->dataset, idx);
        }
      if (!upload_batch (tr, n, &x, &y, error))
        return FALSE;
      logits = hs_backbone_forward (tr->net, x, FALSE, error);
      if (logits == NULL || !hs_tensor_download (logits, logits_host, error))
        return FALSE;
      for (guint k = 0; k < n; k++)
        {
          const gfloat *row = logits_host + (gsize) k * classes;
          guint best = 0;
          for (guint c = 1; c < classes; c++)
            if (row[c] > row[best])
              best = c;
          correct += best == (guint) tr->host_y[k];
        }
    }
  *accuracy = index->len > 0 ? (gdouble) correct / index->len : 0.0;
  return TRUE;
}

/* ------------------------------------------------------------------------- */
/* Checkpoints                                                               */

gboolean
hs_trainer_save_checkpoint (HsTrainer *tr, const char *path, GError **error)
{
  g_autoptr (HsWeights) w = hs_weights_new (HS_BACKBONE_ARCH);
  const gint64 one = 1;
  gint32 value;

  if (!hs_backbone_save_weights (tr->net, w, error))
    return FALSE;
  add_string (w, KEY_DATASET, tr->dataset_identity);
  add_string (w, KEY_CONFIG, tr->config_json);
  value = tr->epoch;
  hs_weights_add_data (w, KEY_EPOCH, HS_DTYPE_I32, 1, &one, &value);
  if (tr->curve->len > 0)
    {
      /* Doubles as little-endian bytes: the restored curve is the very one
       * the uninterrupted run would have. */
      gint64 len = (gint64) tr->curve->len * CURVE_FIELDS * sizeof (guint64);
      g_autofree guint64 *raw = g_new (guint64, tr->curve->len * CURVE_FIELDS);

      for (guint i = 0; i < tr->curve->len; i++)
        {
          const HsEpochResult *r = &g_array_index (tr->curve, HsEpochResult, i);
          const gdouble f[CURVE_FIELDS] = { r->epoch, r->train_loss, r->val_acc, r->seconds };
          for (guint k = 0; k < CURVE_FIELDS; k++)
            {
              guint64 bits;
              memcpy (&bits, &f[k], sizeof bits);
              raw[i * CURVE_FIELDS + k] = GUINT64_TO_LE (bits);
            }
        }
      hs_weights_add_data (w, KEY_CURVE, HS_DTYPE_U8, 1, &len, raw);
    }
  value = hs_optimizer_get_step (tr->opt);
  hs_weights_add_data (w, KEY_STEP, HS_DTYPE_I32, 1, &one, &value);
  for (guint i = 0; i < tr->params->len; i++)
    {
      HsTensor *p = g_ptr_array_index (tr->params, i);
      for (guint s = 0; s < tr->opt_slots; s++)
        {
          HsTensor *state = hs_optimizer_get_state (tr->opt, p, s);
          g_autofree char *name = NULL;

          if (state == NULL)
            continue;
          name = g_strdup_printf (KEY_STATE, s, (const char *) g_hash_table_lookup (tr->param_names, p));
          if (!hs_weights_add_tensor (w, name, state, error))
            return FALSE;
        }
    }
  return hs_weights_save (w, path, error);
}

gboolean
hs_trainer_load_checkpoint (HsTrainer *tr, const char *path, GError **error)
{
  g_autoptr (HsWeights) w = NULL;
  g_autofree char *dataset = NULL;
  g_autofree char *config = NULL;
  const gint32 *epoch, *step;
  const guint64 *raw = NULL;
  gsize curve_bytes = 0;
  const gint64 one = 1;

  w = hs_weights_load (path, HS_BACKBONE_ARCH, error);
  if (w == NULL)
    return FALSE;

  /* Identity first, so another run's checkpoint changes nothing here. */
  if ((dataset = get_string (w, KEY_DATASET, error)) == NULL ||
      (config = get_string (w, KEY_CONFIG, error)) == NULL)
    {
      g_prefix_error (error, "%s is not a trainer checkpoint: ", path);
      return FALSE;
    }
  if (!check_dataset_identity (path, dataset, tr->dataset_identity, error) ||
      !check_config_identity (path, config, tr->config_json, error))
    return FALSE;

  epoch = hs_weights_get_data (w, KEY_EPOCH, HS_DTYPE_I32, 1, &one, NULL, error);
  step = epoch != NULL ? hs_weights_get_data (w, KEY_STEP, HS_DTYPE_I32, 1, &one, NULL, error) : NULL;
  if (step == NULL)
    return FALSE;
  if (hs_weights_has (w, KEY_CURVE))
    {
      raw = hs_weights_get_data (w, KEY_CURVE, HS_DTYPE_U8, 1, NULL, &curve_bytes, error);
      if (raw == NULL)
        return FALSE;
    }
  if (epoch[0] < 0 || step[0] < 0 ||
      curve_bytes != (gsize) epoch[0] * CURVE_FIELDS * sizeof (guint64))
    {
      g_set_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_CORRUPT,
                   "Checkpoint %s: its learning curve does not match its epoch %d", path,
                   epoch[0]);
      return FALSE;
    }

  if (!hs_backbone_load_weights (tr->net, w, FALSE, error))
    return FALSE;

  for (guint i = 0; i < tr->params->len; i++)
    {
      HsTensor *p = g_ptr_array_index (tr->params, i);
      for (guint s = 0; s < tr->opt_slots; s++)
        {
          g_autofree char *name = g_strdup_printf (KEY_STATE, s, (const char *) g_hash_table_lookup (tr->param_names, p));
          gint64 dims[HS_MAX_DIMS];
          guint ndim = hs_tensor_get_ndim (p);
          const gfloat *data;

          if (!hs_weights_has (w, name))
            {
              if (step[0] == 0)
                continue;
              g_set_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_MISMATCH,
                           "Checkpoint %s lacks optimizer state %s", path, name);
              return FALSE;
            }
          for (guint d = 0; d < ndim; d++)
            dims[d] = hs_tensor_get_dim (p, d);
          data = hs_weights_get_data (w, name, HS_DTYPE_F32, ndim, dims, NULL, error);
          if (data == NULL || !hs_optimizer_set_state (tr->opt, p, s, data, error))
            return FALSE;
        }
    }
  hs_optimizer_set_step (tr->opt, step[0]);

  g_array_set_size (tr->curve, 0);
  for (gint32 i = 0; i < epoch[0]; i++)
    {
      HsEpochResult r;
      gdouble f[CURVE_FIELDS];
      for (guint k = 0; k < CURVE_FIELDS; k++)
        {
          guint64 bits;
          memcpy (&bits, (const guint8 *) raw + ((gsize) i * CURVE_FIELDS + k) * 8, sizeof bits);
          bits = GUINT64_FROM_LE (bits);
          memcpy (&f[k], &bits, sizeof bits);
        }
      r.epoch = (guint) f[0];
      r.train_loss = f[1];
      r.val_acc = f[2];
      r.seconds = f[3];
      g_array_append_val (tr->curve, r);
    }
  tr->epoch = epoch[0];
  return TRUE;
}
