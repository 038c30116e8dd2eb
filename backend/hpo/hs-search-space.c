/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Search spaces: parsing, seeded sampling, and draws for a search (see
 * hs-search-space.h).
 */
#define G_LOG_DOMAIN "hs-hpo"

#include <math.h>

#include "hs-hpo-private.h"
#include "hs-json-text.h"
#include "hs-search-space.h"

struct _HsSearchSpace
{
  gatomicrefcount ref_count;
  char *name;
  char *description;
  GPtrArray *grid;        /* HsSearchConfig, NULL for a space of dimensions */
  GHashTable *grid_index; /* id → index + 1 */
  GPtrArray *dimensions;  /* HsDimension, NULL for a grid */
};

/* Integer dimensions are drawn with g_rand_int_range(), which takes gint32
 * bounds; max + 1 must fit too. */
#define INT_LIMIT 2147483646.0

static void
dimension_free (HsDimension *dim)
{
  g_free (dim->name);
  g_clear_pointer (&dim->choices, g_ptr_array_unref);
  g_free (dim);
}

HsSearchSpace *
hs_search_space_ref (HsSearchSpace *space)
{
  g_return_val_if_fail (space != NULL, NULL);
  g_atomic_ref_count_inc (&space->ref_count);
  return space;
}

void
hs_search_space_unref (HsSearchSpace *space)
{
  if (space == NULL || !g_atomic_ref_count_dec (&space->ref_count))
    return;
  g_free (space->name);
  g_free (space->description);
  g_clear_pointer (&space->grid, g_ptr_array_unref);
  g_clear_pointer (&space->grid_index, g_hash_table_unref);
  g_clear_pointer (&space->dimensions, g_ptr_array_unref);
  g_free (space);
}

static gboolean
node_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static void
grid_init (HsSearchSpace *space)
{
  space->grid = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_search_config_free);
  space->grid_index = g_hash_table_new (g_str_hash, g_str_equal);
}

static gboolean
grid_add (HsSearchSpace *space, const char *id, JsonNode *config, GError **error)
{
  g_autoptr(GString) json = g_string_new (NULL);
  HsSearchConfig *entry;

  if (*id == '\0')
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                   "search space: “grid” has a configuration with an empty id");
      return FALSE;
    }
  if (g_hash_table_contains (space->grid_index, id))
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                   "search space: grid configuration “%s” appears twice", id);
      return FALSE;
    }
  if (config == NULL || !JSON_NODE_HOLDS_OBJECT (config))
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                   "search space: grid configuration “%s” must be an object", id);
      return FALSE;
    }
  hs_hpo_append_node (json, config);
  entry = hs_search_config_new (id, json->str);
  g_ptr_array_add (space->grid, entry);
  g_hash_table_insert (space->grid_index, entry->id, GUINT_TO_POINTER (space->grid->len));
  return TRUE;
}

static gboolean
parse_grid (HsSearchSpace *space, JsonNode *node, GError **error)
{
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                   "search space: “grid” must be an object of configurations, "
                   "{\"id\": {\"lr\": 0.01, …}, …}");
      return FALSE;
    }
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  if (members == NULL)
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                   "search space: “grid” has no configurations");
      return FALSE;
    }
  grid_init (space);
  for (GList *l = members; l != NULL; l = l->next)
    if (!grid_add (space, l->data, json_object_get_member (object, l->data), error))
      return FALSE;
  return TRUE;
}

HsSearchSpace *
hs_search_space_new_grid (guint n_configs, const char *const *ids, const char *const *jsons,
                          GError **error)
{
  g_autoptr(HsSearchSpace) space = NULL;

  g_return_val_if_fail (ids != NULL || n_configs == 0, NULL);
  g_return_val_if_fail (jsons != NULL || n_configs == 0, NULL);

  if (n_configs == 0)
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                   "search space: “grid” has no configurations");
      return NULL;
    }
  space = g_new0 (HsSearchSpace, 1);
  g_atomic_ref_count_init (&space->ref_count);
  grid_init (space);
  for (guint i = 0; i < n_configs; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) parse_error = NULL;

      g_return_val_if_fail (ids[i] != NULL && jsons[i] != NULL, NULL);
      if (!json_parser_load_from_data (parser, jsons[i], -1, &parse_error))
        {
          g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                       "search space: grid configuration “%s” is not valid JSON: %s", ids[i],
                       parse_error->message);
          return NULL;
        }
      if (!grid_add (space, ids[i], json_parser_get_root (parser), error))
        return NULL;
    }
  return g_steal_pointer (&space);
}

static const char *const dimension_keys[] = { "name", "type", "min", "max", "log", "choices", NULL };
static const char *const kind_names[] = { "float", "int", "categorical", NULL };

/* One dimension; `where` names it in errors: dimensions[2] (“lr”). */
static HsDimension *
parse_dimension (JsonNode *node, guint index, GHashTable *seen, GError **error)
{
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  JsonNode *member;
  HsDimension *dim;
  const char *type;
  gint kind = -1;

  g_string_printf (where, "dimensions[%u]", index);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                   "search space: %s must be an object with “name” and “type”", where->str);
      return NULL;
    }
  object = json_node_get_object (node);

  member = json_object_get_member (object, "name");
  if (!node_is_string (member) || *json_node_get_string (member) == '\0')
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                   "search space: %s: “name” must be a non-empty string", where->str);
      return NULL;
    }
  g_string_append_printf (where, " (“%s”)", json_node_get_string (member));
  if (g_hash_table_contains (seen, json_node_get_string (member)))
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                   "search space: %s: “name” is used by an earlier dimension", where->str);
      return NULL;
    }

  /* A misspelt key ("lg", "choice") would otherwise be silently ignored
   * and the search would run over another space than the one meant. */
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (dimension_keys, l->data))
      {
        g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                     "search space: %s: unknown key “%s” (known keys: name, type, min, max, "
                     "log, choices)", where->str, (const char *) l->data);
        return NULL;
      }

  member = json_object_get_member (object, "type");
  type = node_is_string (member) ? json_node_get_string (member) : NULL;
  for (gint i = 0; type != NULL && kind_names[i] != NULL; i++)
    if (g_str_equal (type, kind_names[i]))
      kind = i;
  if (kind < 0)
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                   "search space: %s: “type” must be one of \"float\", \"int\", \"categorical\"",
                   where->str);
      return NULL;
    }

  dim = g_new0 (HsDimension, 1);
  dim->name = g_strdup (json_node_get_string (json_object_get_member (object, "name")));
  dim->kind = kind;

  if (kind == HS_DIMENSION_CATEGORICAL)
    {
      JsonArray *choices;

      for (guint i = 0; i < 3; i++)
        {
          const char *key = (const char *const[]) { "min", "max", "log" }[i];
          if (json_object_has_member (object, key))
            {
              g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                           "search space: %s: “%s” is for \"float\" and \"int\" dimensions; "
                           "a categorical one has “choices”", where->str, key);
              dimension_free (dim);
              return NULL;
            }
        }
      member = json_object_get_member (object, "choices");
      if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member) ||
          json_array_get_length (json_node_get_array (member)) == 0)
        {
          g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                       "search space: %s: “choices” must be a non-empty array", where->str);
          dimension_free (dim);
          return NULL;
        }
      choices = json_node_get_array (member);
      dim->choices = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      for (guint i = 0; i < json_array_get_length (choices); i++)
        {
          JsonNode *choice = json_array_get_element (choices, i);

          if (JSON_NODE_HOLDS_OBJECT (choice) || JSON_NODE_HOLDS_ARRAY (choice))
            {
              g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                           "search space: %s: “choices”[%u] must be a string, number, "
                           "boolean or null", where->str, i);
              dimension_free (dim);
              return NULL;
            }
          g_ptr_array_add (dim->choices, json_node_copy (choice));
        }
      return dim;
    }

  if (json_object_has_member (object, "choices"))
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                   "search space: %s: “choices” is for \"categorical\" dimensions", where->str);
      dimension_free (dim);
      return NULL;
    }
  for (guint i = 0; i < 2; i++)
    {
      const char *key = i == 0 ? "min" : "max";
      gdouble *bound = i == 0 ? &dim->min : &dim->max;

      member = json_object_get_member (object, key);
      if (!hs_json_node_is_number (member))
        {
          g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                       "search space: %s: “%s” must be a number", where->str, key);
          dimension_free (dim);
          return NULL;
        }
      *bound = hs_json_node_get_number (member);
      if (!isfinite (*bound) ||
          (kind == HS_DIMENSION_INT && (*bound != floor (*bound) || fabs (*bound) > INT_LIMIT)))
        {
          g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                       "search space: %s: “%s” is %.15g; it must be %s", where->str, key, *bound,
                       kind == HS_DIMENSION_INT ? "an integer in [-2147483646, 2147483646]"
                                                : "finite");
          dimension_free (dim);
          return NULL;
        }
    }
  if (kind == HS_DIMENSION_FLOAT ? !(dim->min < dim->max) : !(dim->min <= dim->max))
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                   "search space: %s: “max” (%.15g) must be %s “min” (%.15g)", where->str,
                   dim->max, kind == HS_DIMENSION_FLOAT ? "greater than" : "at least", dim->min);
      dimension_free (dim);
      return NULL;
    }
  member = json_object_get_member (object, "log");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        {
          g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                       "search space: %s: “log” must be true or false", where->str);
          dimension_free (dim);
          return NULL;
        }
      dim->log = json_node_get_boolean (member);
      if (dim->log && !(dim->min > 0))
        {
          g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                       "search space: %s: “log” needs “min” greater than 0 (it is %.15g)",
                       where->str, dim->min);
          dimension_free (dim);
          return NULL;
        }
    }
  return dim;
}

static gboolean
parse_dimensions (HsSearchSpace *space, JsonNode *node, GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                   "search space: “dimensions” must be a non-empty array of "
                   "{\"name\": …, \"type\": …}");
      return FALSE;
    }
  array = json_node_get_array (node);
  space->dimensions = g_ptr_array_new_with_free_func ((GDestroyNotify) dimension_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      HsDimension *dim = parse_dimension (json_array_get_element (array, i), i, seen, error);

      if (dim == NULL)
        return FALSE;
      g_ptr_array_add (space->dimensions, dim);
      g_hash_table_add (seen, dim->name);
    }
  return TRUE;
}

static gboolean
read_optional_string (JsonObject *object, const char *key, char **out, GError **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL)
    return TRUE;
  if (!node_is_string (node))
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                   "search space: “%s” must be a string", key);
      return FALSE;
    }
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

HsSearchSpace *
hs_search_space_new_from_json (const char *json, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(HsSearchSpace) space = NULL;
  JsonObject *object;
  JsonNode *grid, *dimensions;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &parse_error))
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_PARSE, "search space: not valid JSON: %s",
                   parse_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_PARSE,
                   "search space: expected a JSON object with “grid” or “dimensions”");
      return NULL;
    }
  object = json_node_get_object (json_parser_get_root (parser));

  space = g_new0 (HsSearchSpace, 1);
  g_atomic_ref_count_init (&space->ref_count);
  if (!read_optional_string (object, "name", &space->name, error) ||
      !read_optional_string (object, "description", &space->description, error))
    return NULL;

  grid = json_object_get_member (object, "grid");
  dimensions = json_object_get_member (object, "dimensions");
  if ((grid == NULL) == (dimensions == NULL))
    {
      g_set_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID,
                   grid == NULL ? "search space: needs “grid” or “dimensions”"
                                : "search space: has both “grid” and “dimensions”; it must be one of them");
      return NULL;
    }
  if (grid != NULL ? !parse_grid (space, grid, error) : !parse_dimensions (space, dimensions, error))
    return NULL;
  return g_steal_pointer (&space);
}

HsSearchSpace *
hs_search_space_new_from_file (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  HsSearchSpace *space;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  space = hs_search_space_new_from_json (contents, &local_error);
  if (space == NULL)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, local_error->domain, local_error->code, "%s: %s", display,
                   local_error->message);
    }
  return space;
}

const char *
hs_search_space_get_name (HsSearchSpace *space)
{
  g_return_val_if_fail (space != NULL, NULL);
  return space->name;
}

const char *
hs_search_space_get_description (HsSearchSpace *space)
{
  g_return_val_if_fail (space != NULL, NULL);
  return space->description;
}

gboolean
hs_search_space_is_grid (HsSearchSpace *space)
{
  g_return_val_if_fail (space != NULL, FALSE);
  return space->grid != NULL;
}

guint
hs_search_space_get_n_configs (HsSearchSpace *space)
{
  g_return_val_if_fail (space != NULL, 0);
  return space->grid != NULL ? space->grid->len : 0;
}

const HsSearchConfig *
hs_search_space_get_config (HsSearchSpace *space, guint index)
{
  g_return_val_if_fail (space != NULL && space->grid != NULL, NULL);
  g_return_val_if_fail (index < space->grid->len, NULL);
  return g_ptr_array_index (space->grid, index);
}

gint
hs_search_space_find_config (HsSearchSpace *space, const char *id)
{
  g_return_val_if_fail (space != NULL && id != NULL, -1);
  if (space->grid_index == NULL)
    return -1;
  return (gint) GPOINTER_TO_UINT (g_hash_table_lookup (space->grid_index, id)) - 1;
}

guint
hs_search_space_get_n_dimensions (HsSearchSpace *space)
{
  g_return_val_if_fail (space != NULL, 0);
  return space->dimensions != NULL ? space->dimensions->len : 0;
}

const HsDimension *
hs_search_space_get_dimension (HsSearchSpace *space, guint index)
{
  g_return_val_if_fail (space != NULL && space->dimensions != NULL, NULL);
  g_return_val_if_fail (index < space->dimensions->len, NULL);
  return g_ptr_array_index (space->dimensions, index);
}

static gdouble
sample_float (const HsDimension *dim, GRand *rand)
{
  gdouble value;

  if (!dim->log)
    return g_rand_double_range (rand, dim->min, dim->max);
  value = exp (g_rand_double_range (rand, log (dim->min), log (dim->max)));
  /* exp(log(x)) may miss x by an ulp: keep the bounds the file promised. */
  return CLAMP (value, dim->min, dim->max);
}

static gint64
sample_int (const HsDimension *dim, GRand *rand)
{
  gdouble value;

  if (!dim->log)
    return g_rand_int_range (rand, (gint32) dim->min, (gint32) dim->max + 1);
  /* Uniform in log over [min, max + 1), floored: each integer k gets the
   * share log((k + 1) / k) of the draws, as a log-uniform real would. */
  value = floor (exp (g_rand_double_range (rand, log (dim->min), log (dim->max + 1))));
  return (gint64) CLAMP (value, dim->min, dim->max);
}

char *
hs_search_space_sample_json (HsSearchSpace *space, GRand *rand)
{
  GString *out;

  g_return_val_if_fail (space != NULL && space->dimensions != NULL, NULL);
  g_return_val_if_fail (rand != NULL, NULL);

  out = g_string_new ("{");
  for (guint i = 0; i < space->dimensions->len; i++)
    {
      const HsDimension *dim = g_ptr_array_index (space->dimensions, i);

      if (i > 0)
        g_string_append (out, ", ");
      hs_hpo_append_string (out, dim->name);
      g_string_append (out, ": ");
      switch (dim->kind)
        {
        case HS_DIMENSION_FLOAT:
          hs_hpo_append_double (out, sample_float (dim, rand));
          break;
        case HS_DIMENSION_INT:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, sample_int (dim, rand));
          break;
        case HS_DIMENSION_CATEGORICAL:
          hs_hpo_append_node (out, g_ptr_array_index (dim->choices,
                                                      g_rand_int_range (rand, 0, (gint32) dim->choices->len)));
          break;
        }
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

struct _HsSampler
{
  HsSearchSpace *space;
  GRand *rand;
  guint n_drawn;       /* from dimensions: the last id's number */
  GArray *pool;        /* from a grid: guint indices not yet drawn in this pass, drawn from the end */
};

HsSampler *
hs_sampler_new (HsSearchSpace *space, guint32 seed)
{
  HsSampler *sampler;

  g_return_val_if_fail (space != NULL, NULL);

  sampler = g_new0 (HsSampler, 1);
  sampler->space = hs_search_space_ref (space);
  sampler->rand = g_rand_new_with_seed (seed);
  sampler->pool = g_array_new (FALSE, FALSE, sizeof (guint));
  return sampler;
}

void
hs_sampler_free (HsSampler *sampler)
{
  if (sampler == NULL)
    return;
  hs_search_space_unref (sampler->space);
  g_rand_free (sampler->rand);
  g_array_unref (sampler->pool);
  g_free (sampler);
}

/* A new pass over the grid: every configuration not in `exclude` (the
 * current draw's, while the grid has more than those), in a Fisher–Yates
 * order from the sampler's generator. */
static void
refill_pool (HsSampler *sampler, GHashTable *exclude)
{
  GPtrArray *grid = sampler->space->grid;
  gboolean skip = g_hash_table_size (exclude) < grid->len;

  for (guint i = 0; i < grid->len; i++)
    if (!skip || !g_hash_table_contains (exclude, GUINT_TO_POINTER (i)))
      g_array_append_val (sampler->pool, i);
  for (guint i = sampler->pool->len; i > 1; i--)
    {
      guint j = (guint) g_rand_int_range (sampler->rand, 0, (gint32) i);
      guint tmp = g_array_index (sampler->pool, guint, i - 1);

      g_array_index (sampler->pool, guint, i - 1) = g_array_index (sampler->pool, guint, j);
      g_array_index (sampler->pool, guint, j) = tmp;
    }
}

GPtrArray *
hs_sampler_draw (HsSampler *sampler, guint n)
{
  GPtrArray *configs;

  g_return_val_if_fail (sampler != NULL, NULL);

  configs = g_ptr_array_new_full (n, (GDestroyNotify) hs_search_config_free);
  if (sampler->space->grid == NULL)
    {
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *json = hs_search_space_sample_json (sampler->space, sampler->rand);
          g_autofree char *id = g_strdup_printf ("s%u", ++sampler->n_drawn);

          g_ptr_array_add (configs, hs_search_config_new (id, json));
        }
    }
  else
    {
      g_autoptr(GHashTable) drawn = g_hash_table_new (NULL, NULL);

      for (guint i = 0; i < n; i++)
        {
          guint index;

          if (sampler->pool->len == 0)
            refill_pool (sampler, drawn);
          index = g_array_index (sampler->pool, guint, sampler->pool->len - 1);
          g_array_set_size (sampler->pool, sampler->pool->len - 1);
          g_hash_table_add (drawn, GUINT_TO_POINTER (index));
          g_ptr_array_add (configs, hs_search_config_copy (g_ptr_array_index (sampler->space->grid, index)));
        }
    }
  return configs;
}
