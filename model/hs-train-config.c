/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parsing and validating training configurations (see hs-train-config.h for
 * the keys, defaults and ranges).
 */
#define G_LOG_DOMAIN "hs-train-config"

#include <json-glib/json-glib.h>

#include "hs-format.h"
#include "hs-train-config.h"

G_DEFINE_QUARK (hs-config-error-quark, hs_config_error)

static const char *const optimizer_names[] = { "sgd", "adam", NULL };
static const char *const finetune_names[] = { "head", "last", "all", NULL };
static const char *const augment_names[] = { "none", "flip_crop", "strong", NULL };

const char *
hs_optimizer_kind_to_string (HsOptimizerKind kind)
{
  return optimizer_names[kind];
}

const char *
hs_finetune_to_string (HsFinetune finetune)
{
  return finetune_names[finetune];
}

const char *
hs_augment_to_string (HsAugment augment)
{
  return augment_names[augment];
}

void
hs_train_config_init_defaults (HsTrainConfig *config)
{
  *config = (HsTrainConfig) {
    .lr = 0.01,
    .optimizer = HS_OPTIMIZER_SGD,
    .momentum = 0.9,
    .weight_decay = 5e-4,
    .batch_size = 64,
    .finetune = HS_FINETUNE_ALL,
    .augment = HS_AUGMENT_FLIP_CROP,
    .epochs = 10,
    .seed = 0,
  };
}

/* How each key is read: a number within a range (open or closed at each
 * end), an integer within a range, or one of a list of names. */
typedef enum { KEY_NUMBER, KEY_INTEGER, KEY_CHOICE } KeyKind;

typedef struct {
  const char *name;
  KeyKind kind;
  gdouble min, max;
  gboolean min_open, max_open;
  const char *const *choices;
  gsize offset;
} KeySpec;

#define FIELD(f) G_STRUCT_OFFSET (HsTrainConfig, f)

static const KeySpec keys[] = {
  { "lr", KEY_NUMBER, 0, 10, TRUE, FALSE, NULL, FIELD (lr) },
  { "optimizer", KEY_CHOICE, 0, 0, FALSE, FALSE, optimizer_names, FIELD (optimizer) },
  { "momentum", KEY_NUMBER, 0, 1, FALSE, TRUE, NULL, FIELD (momentum) },
  { "weight_decay", KEY_NUMBER, 0, 1, FALSE, FALSE, NULL, FIELD (weight_decay) },
  { "batch_size", KEY_INTEGER, 1, 4096, FALSE, FALSE, NULL, FIELD (batch_size) },
  { "finetune", KEY_CHOICE, 0, 0, FALSE, FALSE, finetune_names, FIELD (finetune) },
  { "augment", KEY_CHOICE, 0, 0, FALSE, FALSE, augment_names, FIELD (augment) },
  { "epochs", KEY_INTEGER, 1, 1000, FALSE, FALSE, NULL, FIELD (epochs) },
  { "seed", KEY_INTEGER, 0, 4294967295.0, FALSE, FALSE, NULL, FIELD (seed) },
};

static char *
range_string (const KeySpec *spec)
{
  if (spec->kind == KEY_CHOICE)
    {
      g_autofree char *list = g_strjoinv ("\", \"", (char **) spec->choices);
      return g_strdup_printf ("one of \"%s\"", list);
    }
  return g_strdup_printf ("%s %s%.15g, %.15g%s", spec->kind == KEY_INTEGER ? "an integer in" : "a number in",
                          spec->min_open ? "(" : "[", spec->min, spec->max,
                          spec->max_open ? ")" : "]");
}

static gboolean
read_key (HsTrainConfig *config, const KeySpec *spec, JsonNode *node, GError **error)
{
  g_autofree char *allowed = range_string (spec);
  gpointer field = G_STRUCT_MEMBER_P (config, spec->offset);

  if (spec->kind == KEY_CHOICE)
    {
      const char *value = JSON_NODE_HOLDS_VALUE (node) &&
                          json_node_get_value_type (node) == G_TYPE_STRING
                          ? json_node_get_string (node) : NULL;
      if (value == NULL)
        {
          g_set_error (error, HS_CONFIG_ERROR, HS_CONFIG_ERROR_TYPE,
                       "config: “%s” must be a string, %s", spec->name, allowed);
          return FALSE;
        }
      for (guint i = 0; spec->choices[i] != NULL; i++)
        if (g_str_equal (value, spec->choices[i]))
          {
            *(gint *) field = (gint) i;
            return TRUE;
          }
      g_set_error (error, HS_CONFIG_ERROR, HS_CONFIG_ERROR_RANGE,
                   "config: “%s” is “%s”; it must be %s", spec->name, value, allowed);
      return FALSE;
    }
  else
    {
      GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
      gdouble value;

      if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
        {
          g_set_error (error, HS_CONFIG_ERROR, HS_CONFIG_ERROR_TYPE,
                       "config: “%s” must be %s", spec->name, allowed);
          return FALSE;
        }
      value = type == G_TYPE_INT64 ? (gdouble) json_node_get_int (node) : json_node_get_double (node);
      if ((spec->kind == KEY_INTEGER && value != (gdouble) (gint64) value) ||
          !(spec->min_open ? value > spec->min : value >= spec->min) ||
          !(spec->max_open ? value < spec->max : value <= spec->max))
        {
          g_set_error (error, HS_CONFIG_ERROR, HS_CONFIG_ERROR_RANGE,
                       "config: “%s” is %.15g; it must be %s", spec->name, value, allowed);
          return FALSE;
        }
      if (spec->kind == KEY_NUMBER)
        *(gdouble *) field = value;
      else
        *(guint32 *) field = (guint32) value;
      return TRUE;
    }
}

gboolean
hs_train_config_parse (HsTrainConfig *config, const char *json, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  HsTrainConfig parsed = *config;
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (!json_parser_load_from_data (parser, json, -1, &parse_error))
    {
      g_set_error (error, HS_CONFIG_ERROR, HS_CONFIG_ERROR_PARSE, "config: not valid JSON: %s",
                   parse_error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, HS_CONFIG_ERROR, HS_CONFIG_ERROR_PARSE,
                   "config: expected a JSON object such as {\"lr\": 0.01}");
      return FALSE;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      const KeySpec *spec = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        if (g_str_equal (name, keys[i].name))
          spec = &keys[i];
      if (spec == NULL)
        {
          g_autoptr(GString) known = g_string_new (NULL);
          for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
            g_string_append_printf (known, "%s%s", i ? ", " : "", keys[i].name);
          g_set_error (error, HS_CONFIG_ERROR, HS_CONFIG_ERROR_UNKNOWN_KEY,
                       "config: unknown key “%s” (known keys: %s)", name, known->str);
          return FALSE;
        }
      if (!read_key (&parsed, spec, json_object_get_member (object, name), error))
        return FALSE;
    }
  /* Only a fully valid configuration replaces the caller's. */
  *config = parsed;
  return TRUE;
}

char *
hs_train_config_to_json (const HsTrainConfig *config)
{
  GString *json = g_string_new ("{\"lr\": ");

  hs_append_shortest_double (json, config->lr);
  g_string_append_printf (json, ", \"optimizer\": \"%s\", \"momentum\": ",
                          hs_optimizer_kind_to_string (config->optimizer));
  hs_append_shortest_double (json, config->momentum);
  g_string_append (json, ", \"weight_decay\": ");
  hs_append_shortest_double (json, config->weight_decay);
  g_string_append_printf (json, ", \"batch_size\": %u, \"finetune\": \"%s\", "
                          "\"augment\": \"%s\", \"epochs\": %u, \"seed\": %u}",
                          config->batch_size, hs_finetune_to_string (config->finetune),
                          hs_augment_to_string (config->augment), config->epochs,
                          config->seed);
  return g_string_free (json, FALSE);
}
