/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The error domain, configurations and trials (hs-hpo-types.h), and the
 * JSON writer the search-method files share (hs-hpo-private.h).
 */
#define G_LOG_DOMAIN "hs-hpo"

#include <math.h>

#include "hs-format.h"
#include "hs-hpo-private.h"
#include "hs-json-text.h"
#include "hs-hpo-types.h"

G_DEFINE_QUARK (hs-hpo-error-quark, hs_hpo_error)

HsSearchConfig *
hs_search_config_new (const char *id, const char *json)
{
  HsSearchConfig *config;

  g_return_val_if_fail (id != NULL && json != NULL, NULL);

  config = g_new0 (HsSearchConfig, 1);
  config->id = g_strdup (id);
  config->json = g_strdup (json);
  return config;
}

HsSearchConfig *
hs_search_config_copy (const HsSearchConfig *config)
{
  return hs_search_config_new (config->id, config->json);
}

void
hs_search_config_free (HsSearchConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->id);
  g_free (config->json);
  g_free (config);
}

void
hs_hpo_append_double (GString *out, gdouble value)
{

  /* JSON has no NaN or infinity: a failed or missing value is null. */
  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  hs_append_shortest_double (out, value);
}

void
hs_hpo_append_string (GString *out, const char *value)
{
  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

void
hs_hpo_append_node (GString *out, JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            if (l != members)
              g_string_append (out, ", ");
            hs_hpo_append_string (out, l->data);
            g_string_append (out, ": ");
            hs_hpo_append_node (out, json_object_get_member (object, l->data));
          }
        g_string_append_c (out, '}');
        break;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append (out, ", ");
            hs_hpo_append_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
        break;
      }
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          hs_hpo_append_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          hs_hpo_append_string (out, json_node_get_string (node));
          break;
        default:
          g_assert_not_reached ();
        }
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    }
}

const char *
hs_trial_state_to_string (HsTrialState state)
{
  static const char *const names[] = { "pending", "done", "failed" };

  return names[state];
}

char *
hs_trial_to_json (const HsTrial *trial)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (trial != NULL, NULL);

  g_string_append_printf (out, "{\"id\": %u, \"config_id\": ", trial->id);
  hs_hpo_append_string (out, trial->config_id);
  /* The configuration is a JSON object already: embedded as it is. */
  g_string_append_printf (out, ", \"config\": %s, \"from_epoch\": %u, \"to_epoch\": %u, "
                          "\"parent\": %d, \"bracket\": %u, \"bracket_index\": %u, "
                          "\"rung\": %u, \"state\": \"%s\"",
                          trial->config_json, trial->from_epoch, trial->to_epoch,
                          trial->parent, trial->bracket, trial->bracket_index, trial->rung,
                          hs_trial_state_to_string (trial->state));
  if (trial->state == HS_TRIAL_DONE)
    {
      g_string_append (out, ", \"val_acc\": ");
      hs_hpo_append_double (out, trial->val_acc);
      g_string_append (out, ", \"seconds\": ");
      hs_hpo_append_double (out, trial->seconds);
      g_string_append (out, ", \"curve\": [");
      for (guint i = 0; trial->curve != NULL && i < trial->curve->len; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          hs_hpo_append_double (out, g_array_index (trial->curve, gdouble, i));
        }
      g_string_append_c (out, ']');
    }
  else if (trial->state == HS_TRIAL_FAILED)
    {
      g_string_append (out, ", \"message\": ");
      hs_hpo_append_string (out, trial->message != NULL ? trial->message : "");
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

char *
hs_json_to_text (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  hs_hpo_append_node (out, node);
  return g_string_free (out, FALSE);
}
