/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Training configurations: defaults, parsing, and errors that name the key
 * and the allowed range.
 */
#include <string.h>

#include "hs-train-config.h"

static void
assert_same_config (const HsTrainConfig *a, const HsTrainConfig *b)
{
  g_assert_cmpfloat (a->lr, ==, b->lr);
  g_assert_cmpint (a->optimizer, ==, b->optimizer);
  g_assert_cmpfloat (a->momentum, ==, b->momentum);
  g_assert_cmpfloat (a->weight_decay, ==, b->weight_decay);
  g_assert_cmpuint (a->batch_size, ==, b->batch_size);
  g_assert_cmpint (a->finetune, ==, b->finetune);
  g_assert_cmpint (a->augment, ==, b->augment);
  g_assert_cmpuint (a->epochs, ==, b->epochs);
  g_assert_cmpuint (a->seed, ==, b->seed);
}

static void
test_defaults (void)
{
  HsTrainConfig c;

  hs_train_config_init_defaults (&c);
  g_assert_true (hs_train_config_parse (&c, "{}", NULL));
  g_assert_cmpfloat (c.lr, ==, 0.01);
  g_assert_cmpint (c.optimizer, ==, HS_OPTIMIZER_SGD);
  g_assert_cmpfloat (c.momentum, ==, 0.9);
  g_assert_cmpuint (c.batch_size, ==, 64);
  g_assert_cmpint (c.finetune, ==, HS_FINETUNE_ALL);
  g_assert_cmpint (c.augment, ==, HS_AUGMENT_FLIP_CROP);
  g_assert_cmpuint (c.epochs, ==, 10);
}

static void
test_parse_all_keys (void)
{
  HsTrainConfig c;
  g_autoptr(GError) error = NULL;

  hs_train_config_init_defaults (&c);
  g_assert_true (hs_train_config_parse (&c,
      "{\"lr\": 0.003, \"optimizer\": \"adam\", \"momentum\": 0, \"weight_decay\": 0.01,"
      " \"batch_size\": 32, \"finetune\": \"head\", \"augment\": \"strong\", \"epochs\": 3,"
      " \"seed\": 4294967295}", &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (c.lr, ==, 0.003);
  g_assert_cmpint (c.optimizer, ==, HS_OPTIMIZER_ADAM);
  g_assert_cmpfloat (c.momentum, ==, 0.0);
  g_assert_cmpfloat (c.weight_decay, ==, 0.01);
  g_assert_cmpuint (c.batch_size, ==, 32);
  g_assert_cmpint (c.finetune, ==, HS_FINETUNE_HEAD);
  g_assert_cmpint (c.augment, ==, HS_AUGMENT_STRONG);
  g_assert_cmpuint (c.epochs, ==, 3);
  g_assert_cmpuint (c.seed, ==, 4294967295u);
}

/* The JSON form parses back to the same configuration. */
static void
test_round_trip (void)
{
  HsTrainConfig a, b;
  g_autofree char *json = NULL;

  hs_train_config_init_defaults (&a);
  g_assert_true (hs_train_config_parse (&a, "{\"lr\": 0.1, \"finetune\": \"last\", \"seed\": 7}", NULL));
  json = hs_train_config_to_json (&a);
  hs_train_config_init_defaults (&b);
  g_assert_true (hs_train_config_parse (&b, json, NULL));
  assert_same_config (&a, &b);
}

typedef struct {
  const char *json;
  gint code;
  const char *mentions[3];
} BadCase;

static const BadCase bad_cases[] = {
  { "not json", HS_CONFIG_ERROR_PARSE, { "JSON" } },
  { "[1, 2]", HS_CONFIG_ERROR_PARSE, { "object" } },
  { "{\"learning_rate\": 0.1}", HS_CONFIG_ERROR_UNKNOWN_KEY, { "learning_rate", "lr" } },
  { "{\"lr\": 0}", HS_CONFIG_ERROR_RANGE, { "lr", "(0, 10]" } },
  { "{\"lr\": -1}", HS_CONFIG_ERROR_RANGE, { "lr", "(0, 10]" } },
  { "{\"lr\": \"fast\"}", HS_CONFIG_ERROR_TYPE, { "lr", "number" } },
  { "{\"momentum\": 1}", HS_CONFIG_ERROR_RANGE, { "momentum", "[0, 1)" } },
  { "{\"batch_size\": 0}", HS_CONFIG_ERROR_RANGE, { "batch_size", "[1, 4096]" } },
  { "{\"batch_size\": 12.5}", HS_CONFIG_ERROR_RANGE, { "batch_size", "integer" } },
  { "{\"optimizer\": \"rmsprop\"}", HS_CONFIG_ERROR_RANGE, { "optimizer", "rmsprop", "\"sgd\", \"adam\"" } },
  { "{\"finetune\": 2}", HS_CONFIG_ERROR_TYPE, { "finetune", "\"head\", \"last\", \"all\"" } },
  { "{\"augment\": \"flip\"}", HS_CONFIG_ERROR_RANGE, { "augment", "flip_crop" } },
  { "{\"epochs\": 1001}", HS_CONFIG_ERROR_RANGE, { "epochs", "[1, 1000]" } },
  { "{\"seed\": -1}", HS_CONFIG_ERROR_RANGE, { "seed" } },
  { "{\"weight_decay\": null}", HS_CONFIG_ERROR_TYPE, { "weight_decay" } },
};

/* Each bad configuration fails with its code, a message naming the key and
 * what is allowed, and leaves the caller's configuration untouched. */
static void
test_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *bc = &bad_cases[i];
      HsTrainConfig c, before;
      g_autoptr(GError) error = NULL;

      hs_train_config_init_defaults (&c);
      g_assert_true (hs_train_config_parse (&c, "{\"lr\": 0.5}", NULL));
      before = c;
      g_assert_false (hs_train_config_parse (&c, bc->json, &error));
      g_assert_error (error, HS_CONFIG_ERROR, bc->code);
      for (guint j = 0; j < G_N_ELEMENTS (bc->mentions) && bc->mentions[j]; j++)
        if (strstr (error->message, bc->mentions[j]) == NULL)
          g_error ("%s: message “%s” does not mention “%s”", bc->json, error->message,
                   bc->mentions[j]);
      assert_same_config (&c, &before);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/config/defaults", test_defaults);
  g_test_add_func ("/config/parse-all-keys", test_parse_all_keys);
  g_test_add_func ("/config/round-trip", test_round_trip);
  g_test_add_func ("/config/errors", test_errors);
  return g_test_run ();
}
