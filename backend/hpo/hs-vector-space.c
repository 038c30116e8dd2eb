/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Configurations as vectors (see hs-vector-space.h): one coordinate per
 * dimension of a space, or per varying key of a grid's configurations.
 */
#define G_LOG_DOMAIN "hs-hpo"

#include <math.h>
#include <string.h>

#include "hs-hpo-private.h"
#include "hs-json-text.h"
#include "hs-vector-space.h"

typedef struct {
  char *name;
  guint n_choices;          /* 0: continuous */
  gboolean log;
  gdouble lo, hi;           /* continuous grid keys: the values' range (of log(value) when log) */
  const HsDimension *dim;   /* spaces of dimensions */
  GHashTable *choice_index; /* categorical: a value's JSON text → index + 1 */
} Coord;

struct _HsVectorSpace
{
  HsSearchSpace *space;
  GArray *coords;           /* Coord */
  guint *n_choices;         /* [d], as hs_kde_new() takes them */
  gdouble *grid_vectors;    /* grids: [config · n_dims + d] */
  guint n_grid;
};

/* Stands for a key missing from a grid configuration; no JSON text starts
 * with a control character. */
#define MISSING_TEXT "\001missing"

static void
coord_clear (Coord *coord)
{
  g_free (coord->name);
  g_clear_pointer (&coord->choice_index, g_hash_table_unref);
}

static char *
node_text (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  if (node == NULL)
    g_string_append (out, MISSING_TEXT);
  else
    hs_hpo_append_node (out, node);
  return g_string_free (out, FALSE);
}

static gint
choice_of (const Coord *coord, const char *text)
{
  return (gint) GPOINTER_TO_UINT (g_hash_table_lookup (coord->choice_index, text)) - 1;
}

static void
add_choice (Coord *coord, char *text)
{
  if (g_hash_table_contains (coord->choice_index, text))
    {
      g_free (text);
      return;
    }
  g_hash_table_insert (coord->choice_index, text, GUINT_TO_POINTER (++coord->n_choices));
}

static void
init_dimensions (HsVectorSpace *vspace)
{
  guint n = hs_search_space_get_n_dimensions (vspace->space);

  for (guint d = 0; d < n; d++)
    {
      const HsDimension *dim = hs_search_space_get_dimension (vspace->space, d);
      Coord coord = { .name = g_strdup (dim->name), .dim = dim, .log = dim->log };

      if (dim->kind == HS_DIMENSION_CATEGORICAL)
        {
          coord.choice_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          for (guint i = 0; i < dim->choices->len; i++)
            add_choice (&coord, node_text (g_ptr_array_index (dim->choices, i)));
          /* Equal choices ("choices": ["a", "a"]) share the first's index;
           * the count stays the dimension's, as the sampler draws it. */
          coord.n_choices = dim->choices->len;
        }
      g_array_append_val (vspace->coords, coord);
    }
}

/* One coordinate per grid key that varies; the grid's vectors. */
static void
init_grid (HsVectorSpace *vspace)
{
  guint n = hs_search_space_get_n_configs (vspace->space);
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) columns = g_array_new (FALSE, FALSE, sizeof (gdouble));
  guint n_dims;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GList) members = NULL;
      JsonObject *object;

      /* The space parsed and re-wrote every configuration: it is an object. */
      if (!json_parser_load_from_data (parser, hs_search_space_get_config (vspace->space, i)->json,
                                       -1, NULL))
        g_assert_not_reached ();
      g_ptr_array_add (objects, json_node_ref (json_parser_get_root (parser)));
      object = json_node_get_object (json_parser_get_root (parser));
      members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        if (!g_hash_table_contains (seen, l->data))
          {
            /* The key strings live in the objects, kept until the end. */
            g_hash_table_add (seen, l->data);
            g_ptr_array_add (keys, l->data);
          }
    }

  for (guint k = 0; k < keys->len; k++)
    {
      const char *key = keys->pdata[k];
      gboolean numeric = TRUE;
      gdouble min = INFINITY, max = -INFINITY;
      Coord coord = { 0 };

      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = json_object_get_member (json_node_get_object (objects->pdata[i]), key);

          if (!hs_json_node_is_number (node))
            numeric = FALSE;
          else
            {
              min = MIN (min, hs_json_node_get_number (node));
              max = MAX (max, hs_json_node_get_number (node));
            }
        }

      coord.name = g_strdup (key);
      if (numeric)
        {
          if (!(max > min))
            {
              coord_clear (&coord);
              continue;
            }
          coord.log = min > 0 && max >= 10 * min;
          coord.lo = coord.log ? log (min) : min;
          coord.hi = coord.log ? log (max) : max;
          for (guint i = 0; i < n; i++)
            {
              gdouble v = hs_json_node_get_number (json_object_get_member (json_node_get_object (objects->pdata[i]), key));
              gdouble u = ((coord.log ? log (v) : v) - coord.lo) / (coord.hi - coord.lo);

              u = CLAMP (u, 0.0, 1.0);
              g_array_append_val (columns, u);
            }
        }
      else
        {
          coord.choice_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          for (guint i = 0; i < n; i++)
            add_choice (&coord, node_text (json_object_get_member (json_node_get_object (objects->pdata[i]), key)));
          if (coord.n_choices < 2)
            {
              coord_clear (&coord);
              continue;
            }
          for (guint i = 0; i < n; i++)
            {
              g_autofree char *text = node_text (json_object_get_member (json_node_get_object (objects->pdata[i]), key));
              gdouble code = choice_of (&coord, text);

              g_array_append_val (columns, code);
            }
        }
      g_array_append_val (vspace->coords, coord);
    }

  /* columns holds one column per coordinate; the vectors are rows. */
  n_dims = vspace->coords->len;
  vspace->n_grid = n;
  vspace->grid_vectors = g_new0 (gdouble, (gsize) n * MAX (n_dims, 1));
  for (guint d = 0; d < n_dims; d++)
    for (guint i = 0; i < n; i++)
      vspace->grid_vectors[i * n_dims + d] = g_array_index (columns, gdouble, d * n + i);
}

HsVectorSpace *
hs_vector_space_new (HsSearchSpace *space)
{
  HsVectorSpace *vspace;

  g_return_val_if_fail (space != NULL, NULL);

  vspace = g_new0 (HsVectorSpace, 1);
  vspace->space = hs_search_space_ref (space);
  vspace->coords = g_array_new (FALSE, TRUE, sizeof (Coord));
  g_array_set_clear_func (vspace->coords, (GDestroyNotify) coord_clear);
  if (hs_search_space_is_grid (space))
    init_grid (vspace);
  else
    init_dimensions (vspace);
  vspace->n_choices = g_new0 (guint, MAX (vspace->coords->len, 1));
  for (guint d = 0; d < vspace->coords->len; d++)
    vspace->n_choices[d] = g_array_index (vspace->coords, Coord, d).n_choices;
  return vspace;
}

void
hs_vector_space_free (HsVectorSpace *vspace)
{
  if (vspace == NULL)
    return;
  g_array_unref (vspace->coords);
  g_free (vspace->n_choices);
  g_free (vspace->grid_vectors);
  hs_search_space_unref (vspace->space);
  g_free (vspace);
}

gboolean
hs_vector_space_is_grid (HsVectorSpace *vspace)
{
  g_return_val_if_fail (vspace != NULL, FALSE);
  return vspace->grid_vectors != NULL;
}

guint
hs_vector_space_get_n_dims (HsVectorSpace *vspace)
{
  g_return_val_if_fail (vspace != NULL, 0);
  return vspace->coords->len;
}

const guint *
hs_vector_space_get_n_choices (HsVectorSpace *vspace)
{
  g_return_val_if_fail (vspace != NULL, NULL);
  return vspace->n_choices;
}

static const Coord *
coord_at (HsVectorSpace *vspace, guint d)
{
  return &g_array_index (vspace->coords, Coord, d);
}

const char *
hs_vector_space_get_name (HsVectorSpace *vspace, guint d)
{
  g_return_val_if_fail (vspace != NULL && d < vspace->coords->len, NULL);
  return coord_at (vspace, d)->name;
}

gboolean
hs_vector_space_get_log (HsVectorSpace *vspace, guint d)
{
  g_return_val_if_fail (vspace != NULL && d < vspace->coords->len, FALSE);
  return coord_at (vspace, d)->log;
}

/* An int dimension cut into max − min + 1 cells over [min, max + 1) (in
 * log(value) when log): the cell of k, and the k of a unit coordinate. */
static void
int_cell (const HsDimension *dim, gdouble k, gdouble *start, gdouble *end)
{
  if (dim->log)
    {
      gdouble span = log (dim->max + 1) - log (dim->min);

      *start = (log (k) - log (dim->min)) / span;
      *end = (log (k + 1) - log (dim->min)) / span;
    }
  else
    {
      *start = (k - dim->min) / (dim->max - dim->min + 1);
      *end = (k + 1 - dim->min) / (dim->max - dim->min + 1);
    }
}

static gdouble
int_centre (const HsDimension *dim, gdouble k)
{
  gdouble start, end;

  int_cell (dim, k, &start, &end);
  return (start + end) / 2;
}

static gdouble
int_of_unit (const HsDimension *dim, gdouble u)
{
  gdouble k;

  u = CLAMP (u, 0.0, 1.0);
  if (dim->log)
    k = floor (exp (log (dim->min) + u * (log (dim->max + 1) - log (dim->min))));
  else
    k = dim->min + floor (u * (dim->max - dim->min + 1));
  return CLAMP (k, dim->min, dim->max);
}

static gdouble
float_of_unit (const HsDimension *dim, gdouble u)
{
  gdouble v;

  u = CLAMP (u, 0.0, 1.0);
  if (dim->log)
    v = exp (log (dim->min) + u * (log (dim->max) - log (dim->min)));
  else
    v = dim->min + u * (dim->max - dim->min);
  return CLAMP (v, dim->min, dim->max);
}

static gboolean
encode_dimension (const Coord *coord, JsonNode *node, gdouble *out)
{
  const HsDimension *dim = coord->dim;
  gdouble v;

  if (dim->kind == HS_DIMENSION_CATEGORICAL)
    {
      g_autofree char *text = NULL;
      gint index;

      if (node == NULL)
        return FALSE;
      text = node_text (node);
      index = choice_of (coord, text);
      *out = index;
      return index >= 0;
    }
  if (!hs_json_node_is_number (node))
    return FALSE;
  v = hs_json_node_get_number (node);
  if (!(v >= dim->min && v <= dim->max))
    return FALSE;
  if (dim->kind == HS_DIMENSION_INT)
    {
      if (v != floor (v))
        return FALSE;
      *out = int_centre (dim, v);
    }
  else if (dim->log)
    *out = CLAMP ((log (v) - log (dim->min)) / (log (dim->max) - log (dim->min)), 0.0, 1.0);
  else
    *out = CLAMP ((v - dim->min) / (dim->max - dim->min), 0.0, 1.0);
  return TRUE;
}

gboolean
hs_vector_space_encode (HsVectorSpace *vspace, const char *id, const char *json, gdouble *out)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;

  g_return_val_if_fail (vspace != NULL && out != NULL, FALSE);

  if (hs_vector_space_is_grid (vspace))
    {
      gint index = id != NULL ? hs_search_space_find_config (vspace->space, id) : -1;
      guint n_dims = vspace->coords->len;

      if (index < 0)
        return FALSE;
      memcpy (out, &vspace->grid_vectors[index * n_dims], sizeof (gdouble) * n_dims);
      return TRUE;
    }

  parser = json_parser_new ();
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  object = json_node_get_object (json_parser_get_root (parser));
  for (guint d = 0; d < vspace->coords->len; d++)
    {
      const Coord *coord = coord_at (vspace, d);

      if (!encode_dimension (coord, json_object_get_member (object, coord->name), &out[d]))
        return FALSE;
    }
  return TRUE;
}

char *
hs_vector_space_to_json (HsVectorSpace *vspace, const gdouble *x)
{
  GString *out;

  g_return_val_if_fail (vspace != NULL && x != NULL, NULL);
  g_return_val_if_fail (!hs_vector_space_is_grid (vspace), NULL);

  out = g_string_new ("{");
  for (guint d = 0; d < vspace->coords->len; d++)
    {
      const HsDimension *dim = coord_at (vspace, d)->dim;

      if (d > 0)
        g_string_append (out, ", ");
      hs_hpo_append_string (out, dim->name);
      g_string_append (out, ": ");
      switch (dim->kind)
        {
        case HS_DIMENSION_FLOAT:
          hs_hpo_append_double (out, float_of_unit (dim, x[d]));
          break;
        case HS_DIMENSION_INT:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) int_of_unit (dim, x[d]));
          break;
        case HS_DIMENSION_CATEGORICAL:
          {
            gdouble code = CLAMP (floor (x[d]), 0.0, (gdouble) dim->choices->len - 1);

            hs_hpo_append_node (out, g_ptr_array_index (dim->choices, (guint) code));
            break;
          }
        }
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

void
hs_vector_space_snap (HsVectorSpace *vspace, gdouble *x)
{
  g_return_if_fail (vspace != NULL && (x != NULL || vspace->coords->len == 0));

  for (guint d = 0; d < vspace->coords->len; d++)
    {
      const Coord *coord = coord_at (vspace, d);

      if (coord->n_choices > 0)
        x[d] = CLAMP (floor (x[d]), 0.0, (gdouble) coord->n_choices - 1);
      else if (coord->dim != NULL && coord->dim->kind == HS_DIMENSION_INT)
        x[d] = int_centre (coord->dim, int_of_unit (coord->dim, x[d]));
      else
        x[d] = isnan (x[d]) ? 0.5 : CLAMP (x[d], 0.0, 1.0);
    }
}

static gdouble
grid_distance (HsVectorSpace *vspace, const gdouble *x, guint index)
{
  guint n_dims = vspace->coords->len;
  const gdouble *g = &vspace->grid_vectors[index * n_dims];
  gdouble sum = 0;

  for (guint d = 0; d < n_dims; d++)
    {
      if (coord_at (vspace, d)->n_choices > 0)
        sum += floor (x[d]) != g[d] ? 1 : 0;
      else
        sum += (x[d] - g[d]) * (x[d] - g[d]);
    }
  return sum;
}

guint
hs_vector_space_nearest (HsVectorSpace *vspace, const gdouble *x, GHashTable *exclude)
{
  gboolean skip;
  gdouble best_distance = INFINITY;
  guint best = 0;

  g_return_val_if_fail (vspace != NULL && hs_vector_space_is_grid (vspace), 0);
  g_return_val_if_fail (x != NULL || vspace->coords->len == 0, 0);

  /* Whether any configuration is left once the excluded are skipped. */
  skip = FALSE;
  for (guint i = 0; exclude != NULL && i < vspace->n_grid && !skip; i++)
    skip = !g_hash_table_contains (exclude, GUINT_TO_POINTER (i));

  for (guint i = 0; i < vspace->n_grid; i++)
    {
      gdouble distance;

      if (skip && g_hash_table_contains (exclude, GUINT_TO_POINTER (i)))
        continue;
      distance = grid_distance (vspace, x, i);
      if (distance < best_distance)
        {
          best_distance = distance;
          best = i;
        }
    }
  return best;
}

const gdouble *
hs_vector_space_get_grid_vector (HsVectorSpace *vspace, guint index)
{
  g_return_val_if_fail (vspace != NULL && hs_vector_space_is_grid (vspace), NULL);
  g_return_val_if_fail (index < vspace->n_grid, NULL);
  return &vspace->grid_vectors[index * vspace->coords->len];
}
