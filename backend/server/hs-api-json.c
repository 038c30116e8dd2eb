/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Store records as API JSON (see hs-api-json.h).
 */
#define G_LOG_DOMAIN "hyperstard"

#include <math.h>

#include "hs-api-json.h"

void
hs_api_add_json_member (JsonBuilder *b, const char *name, const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  json_builder_set_member_name (b, name);
  if (text == NULL)
    json_builder_add_null_value (b);
  else if (json_parser_load_from_data (parser, text, -1, NULL) &&
           json_parser_get_root (parser) != NULL)
    json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
  else
    json_builder_add_string_value (b, text);
}

/* A measurement, null when NaN (not measured). */
static void
add_nullable_double_value (JsonBuilder *b, gdouble value)
{
  if (isnan (value))
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, value);
}

void
hs_api_add_double_member (JsonBuilder *b, const char *name, gdouble value)
{
  json_builder_set_member_name (b, name);
  add_nullable_double_value (b, value);
}

void
hs_api_add_doubles_member (JsonBuilder *b, const char *name, const GArray *values)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; values != NULL && i < values->len; i++)
    add_nullable_double_value (b, g_array_index (values, gdouble, i));
  json_builder_end_array (b);
}

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value == NULL)
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, value);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_double (JsonBuilder *b, const char *name, gdouble value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, value);
}

static void
add_nullable_int (JsonBuilder *b, const char *name, gint64 value, gboolean is_null)
{
  json_builder_set_member_name (b, name);
  if (is_null)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, value);
}

/* A time member: milliseconds since 1970, null when not yet. */
static void
add_time (JsonBuilder *b, const char *name, gint64 ms)
{
  add_nullable_int (b, name, ms, ms == 0);
}

/* A trial's id or index, null when negative (none). */
static void
add_trial_ref (JsonBuilder *b, const char *name, gint64 trial)
{
  add_nullable_int (b, name, trial, trial < 0);
}

JsonNode *
hs_api_search_to_json (const HsStoreSearch *s)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_int (b, "id", s->id);
  add_string (b, "dataset", s->dataset);
  add_int (b, "space_id", s->space_id);
  add_string (b, "method", s->method);
  hs_api_add_json_member (b, "settings", s->settings);
  add_string (b, "state", hs_search_state_to_string (s->state));
  add_int (b, "priority", s->priority);
  add_time (b, "created", s->created);
  add_time (b, "started", s->started);
  add_time (b, "finished", s->finished);
  add_string (b, "error", s->error);
  add_int (b, "n_trials", s->n_trials);
  add_int (b, "n_done", s->n_done);
  add_int (b, "n_failed", s->n_failed);
  add_int (b, "n_running", s->n_running);
  add_int (b, "epochs_spent", (gint64) s->epochs_spent);
  hs_api_add_double_member (b, "best_val_acc", s->best_val_acc);
  add_trial_ref (b, "best_trial", s->best_trial);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
hs_api_trial_to_json (const HsStoreTrial *t)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_int (b, "search_id", t->search_id);
  add_int (b, "id", t->id);
  add_string (b, "config_id", t->config_id);
  hs_api_add_json_member (b, "config", t->config);
  add_int (b, "from_epoch", t->from_epoch);
  add_int (b, "to_epoch", t->to_epoch);
  add_trial_ref (b, "parent", t->parent);
  add_int (b, "bracket", t->bracket);
  add_int (b, "bracket_index", t->bracket_index);
  add_int (b, "rung", t->rung);
  add_string (b, "state", hs_store_trial_state_to_string (t->state));
  hs_api_add_double_member (b, "val_acc", t->val_acc);
  add_double (b, "seconds", t->seconds);
  hs_api_add_doubles_member (b, "curve", t->curve);
  hs_api_add_doubles_member (b, "losses", t->losses);
  add_string (b, "device", t->device);
  add_time (b, "started", t->started);
  add_time (b, "finished", t->finished);
  add_string (b, "error", t->error);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
hs_api_space_to_json (const HsStoreSpace *space, gboolean with_definition)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_int (b, "id", space->id);
  add_string (b, "name", space->name);
  add_time (b, "created", space->created);
  if (with_definition)
    hs_api_add_json_member (b, "definition", space->json);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
hs_api_dataset_to_json (const HsStoreDataset *d)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string (b, "name", d->name);
  add_string (b, "source", d->source);
  add_string (b, "family", d->family);
  add_int (b, "classes", d->n_classes);
  add_int (b, "images", d->n_images);
  add_time (b, "created", d->created);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
