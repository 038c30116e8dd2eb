/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Search settings (see hs-search-settings.h).
 */
#define G_LOG_DOMAIN "hyperstard"

#include "hs-search-settings.h"

G_DEFINE_QUARK (hs-search-settings-error-quark, hs_search_settings_error)

const char *
hs_search_method_canonical (const char *method)
{
  static const char *const names[][2] = {
    { "random", "random" },
    { "random-search", "random" },
    { "sh", "successive-halving" },
    { "successive-halving", "successive-halving" },
    { "hyperband", "hyperband" },
    { "bohb", "bohb" },
  };

  for (guint i = 0; method != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (method, names[i][0]) == 0)
      return names[i][1];
  return NULL;
}

/* A whole number in [min, max] at key, into *value (left alone when the
 * key is absent). */
static gboolean
read_uint (JsonObject *settings, const char *key, guint64 min, guint64 max, guint64 *value,
           GError **error)
{
  JsonNode *node = json_object_get_member (settings, key);
  gdouble v;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 &&
       json_node_get_value_type (node) != G_TYPE_DOUBLE))
    {
      g_set_error (error, HS_SEARCH_SETTINGS_ERROR, HS_SEARCH_SETTINGS_ERROR_INVALID,
                   "settings.%s must be a whole number", key);
      return FALSE;
    }
  v = json_node_get_value_type (node) == G_TYPE_INT64 ? (gdouble) json_node_get_int (node)
                                                      : json_node_get_double (node);
  if (v != (gdouble) (gint64) v || v < (gdouble) min || v > (gdouble) max)
    {
      g_set_error (error, HS_SEARCH_SETTINGS_ERROR, HS_SEARCH_SETTINGS_ERROR_INVALID,
                   "settings.%s must be a whole number from %" G_GUINT64_FORMAT " to %"
                   G_GUINT64_FORMAT " (got %g)", key, min, max, v);
      return FALSE;
    }
  *value = (guint64) v;
  return TRUE;
}

gboolean
hs_search_settings_parse (const char *method, JsonObject *settings, HsSearchSpace *space,
                          HsSchedulerOptions *options, GError **error)
{
  static const char *const keys[] = {
    "max_epochs", "eta", "budget_epochs", "min_epochs", "n_configs", "seed",
  };
  const char *canonical = hs_search_method_canonical (method);
  guint64 max_epochs, eta, budget = 0, min_epochs, n_configs, seed;
  g_autoptr(GList) members = json_object_get_members (settings);
  g_autoptr(HsScheduler) scheduler = NULL;
  g_autoptr(GError) local = NULL;

  if (canonical == NULL)
    {
      g_set_error (error, HS_SEARCH_SETTINGS_ERROR, HS_SEARCH_SETTINGS_ERROR_INVALID,
                   "method: “%s” is not one of random, successive-halving (sh), hyperband, "
                   "bohb", method ? method : "");
      return FALSE;
    }
  for (GList *l = members; l != NULL; l = l->next)
    {
      gboolean known = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        known |= g_str_equal (l->data, keys[i]);
      if (!known)
        {
          g_set_error (error, HS_SEARCH_SETTINGS_ERROR, HS_SEARCH_SETTINGS_ERROR_INVALID,
                       "settings.%s is not a setting (known: max_epochs, eta, budget_epochs, "
                       "min_epochs, n_configs, seed)", (const char *) l->data);
          return FALSE;
        }
    }
  hs_scheduler_options_init (options);
  max_epochs = options->max_epochs;
  eta = options->eta;
  min_epochs = options->min_epochs;
  n_configs = options->n_configs;
  seed = options->seed;
  if (!json_object_has_member (settings, "budget_epochs"))
    {
      g_set_error (error, HS_SEARCH_SETTINGS_ERROR, HS_SEARCH_SETTINGS_ERROR_INVALID,
                   "settings.budget_epochs is required (the epochs the search may spend)");
      return FALSE;
    }
  if (!read_uint (settings, "max_epochs", 1, 1000, &max_epochs, error) ||
      !read_uint (settings, "eta", 2, 100, &eta, error) ||
      !read_uint (settings, "budget_epochs", 1, 10000000, &budget, error) ||
      !read_uint (settings, "min_epochs", 1, 1000, &min_epochs, error) ||
      !read_uint (settings, "n_configs", 0, 100000, &n_configs, error) ||
      !read_uint (settings, "seed", 0, G_MAXUINT32, &seed, error))
    return FALSE;
  options->max_epochs = (guint) max_epochs;
  options->eta = (guint) eta;
  options->budget = budget;
  options->min_epochs = (guint) min_epochs;
  options->n_configs = (guint) n_configs;
  options->seed = (guint32) seed;

  if ((scheduler = hs_scheduler_new (canonical, space, options, &local)) == NULL)
    {
      g_set_error (error, HS_SEARCH_SETTINGS_ERROR, HS_SEARCH_SETTINGS_ERROR_INVALID,
                   "settings: %s", local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
hs_search_settings_parse_text (const char *method, const char *settings, HsSearchSpace *space,
                               HsSchedulerOptions *options, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, settings ? settings : "", -1, error))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, HS_SEARCH_SETTINGS_ERROR, HS_SEARCH_SETTINGS_ERROR_INVALID,
                   "settings must be a JSON object");
      return FALSE;
    }
  return hs_search_settings_parse (method, json_node_get_object (root), space, options, error);
}

char *
hs_search_settings_to_json (const HsSchedulerOptions *o)
{
  return g_strdup_printf ("{\"max_epochs\": %u, \"eta\": %u, \"budget_epochs\": %" G_GUINT64_FORMAT
                          ", \"min_epochs\": %u, \"n_configs\": %u, \"seed\": %u}",
                          o->max_epochs, o->eta, o->budget, o->min_epochs, o->n_configs,
                          o->seed);
}
