/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Search spaces: parsing grids and dimensions, errors that name the field,
 * seeded sampling (log-uniform included) and draws without replacement.
 */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hs-search-space.h"

static const char *const dims_json =
  "{\"name\": \"small\", \"dimensions\": ["
  " {\"name\": \"lr\", \"type\": \"float\", \"min\": 1e-4, \"max\": 0.1, \"log\": true},"
  " {\"name\": \"optimizer\", \"type\": \"categorical\", \"choices\": [\"sgd\", \"adam\"]},"
  " {\"name\": \"batch_size\", \"type\": \"int\", \"min\": 16, \"max\": 256},"
  " {\"name\": \"momentum\", \"type\": \"float\", \"min\": 0.5, \"max\": 0.99}]}";

static JsonObject *
parse_object (JsonParser *parser, const char *json)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_grid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsSearchSpace) space = hs_search_space_new_from_json (
    "{\"name\": \"g\", \"description\": \"three\", \"notes\": [1, 2], \"grid\": {"
    " \"c00\": {\"lr\": 0.1, \"optimizer\": \"sgd\"},"
    " \"c01\": {\"lr\": 0.01, \"optimizer\": \"adam\", \"nested\": {\"a\": [true, null]}},"
    " \"c02\": {}}}", &error);

  g_assert_no_error (error);
  g_assert_nonnull (space);
  g_assert_true (hs_search_space_is_grid (space));
  g_assert_cmpstr (hs_search_space_get_name (space), ==, "g");
  g_assert_cmpstr (hs_search_space_get_description (space), ==, "three");
  g_assert_cmpuint (hs_search_space_get_n_configs (space), ==, 3);
  g_assert_cmpuint (hs_search_space_get_n_dimensions (space), ==, 0);
  /* The file's order, numbers with their shortest exact digits. */
  g_assert_cmpstr (hs_search_space_get_config (space, 0)->id, ==, "c00");
  g_assert_cmpstr (hs_search_space_get_config (space, 0)->json, ==, "{\"lr\": 0.1, \"optimizer\": \"sgd\"}");
  g_assert_cmpstr (hs_search_space_get_config (space, 1)->json, ==,
                   "{\"lr\": 0.01, \"optimizer\": \"adam\", \"nested\": {\"a\": [true, null]}}");
  g_assert_cmpstr (hs_search_space_get_config (space, 2)->json, ==, "{}");
  g_assert_cmpint (hs_search_space_find_config (space, "c01"), ==, 1);
  g_assert_cmpint (hs_search_space_find_config (space, "c00"), ==, 0);
  g_assert_cmpint (hs_search_space_find_config (space, "nope"), ==, -1);
}

static void
test_dimensions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsSearchSpace) space = hs_search_space_new_from_json (dims_json, &error);
  const HsDimension *dim;

  g_assert_no_error (error);
  g_assert_false (hs_search_space_is_grid (space));
  g_assert_cmpuint (hs_search_space_get_n_configs (space), ==, 0);
  g_assert_cmpuint (hs_search_space_get_n_dimensions (space), ==, 4);
  dim = hs_search_space_get_dimension (space, 0);
  g_assert_cmpstr (dim->name, ==, "lr");
  g_assert_cmpint (dim->kind, ==, HS_DIMENSION_FLOAT);
  g_assert_cmpfloat (dim->min, ==, 1e-4);
  g_assert_cmpfloat (dim->max, ==, 0.1);
  g_assert_true (dim->log);
  dim = hs_search_space_get_dimension (space, 1);
  g_assert_cmpint (dim->kind, ==, HS_DIMENSION_CATEGORICAL);
  g_assert_cmpuint (dim->choices->len, ==, 2);
  dim = hs_search_space_get_dimension (space, 2);
  g_assert_cmpint (dim->kind, ==, HS_DIMENSION_INT);
  g_assert_false (dim->log);
  g_assert_cmpint (hs_search_space_find_config (space, "s1"), ==, -1);
}

static void
test_grid_from_arrays (void)
{
  static const char *const ids[] = { "b", "a", "c" };
  static const char *const jsons[] = { "{\"lr\":0.10}", "{ \"lr\" : 1e-3, \"o\": \"adam\" }", "{}" };
  static const char *const twice[] = { "a", "b", "a" };
  static const char *const not_object[] = { "{}", "[1]", "{}" };
  static const char *const not_json[] = { "{}", "{}", "{" };
  static const char *const empty[] = { "a", "", "c" };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsSearchSpace) space = hs_search_space_new_grid (3, ids, jsons, &error);

  g_assert_no_error (error);
  g_assert_true (hs_search_space_is_grid (space));
  g_assert_cmpuint (hs_search_space_get_n_configs (space), ==, 3);
  g_assert_cmpstr (hs_search_space_get_config (space, 0)->id, ==, "b");
  g_assert_cmpstr (hs_search_space_get_config (space, 0)->json, ==, "{\"lr\": 0.1}");
  g_assert_cmpstr (hs_search_space_get_config (space, 1)->json, ==, "{\"lr\": 0.001, \"o\": \"adam\"}");
  g_assert_cmpint (hs_search_space_find_config (space, "c"), ==, 2);

  g_assert_null (hs_search_space_new_grid (3, twice, jsons, &error));
  g_assert_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“a” appears twice"));
  g_clear_error (&error);
  g_assert_null (hs_search_space_new_grid (3, ids, not_object, &error));
  g_assert_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“a”"));
  g_clear_error (&error);
  g_assert_null (hs_search_space_new_grid (3, ids, not_json, &error));
  g_assert_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“c”"));
  g_clear_error (&error);
  g_assert_null (hs_search_space_new_grid (3, empty, jsons, &error));
  g_assert_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (hs_search_space_new_grid (0, NULL, NULL, &error));
  g_assert_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID);
}

typedef struct {
  const char *json;
  gint code;
  const char *mentions[3];
} BadCase;

static const BadCase bad_cases[] = {
  { "not json", HS_HPO_ERROR_PARSE, { "not valid JSON" } },
  { "[1, 2]", HS_HPO_ERROR_PARSE, { "object" } },
  { "{}", HS_HPO_ERROR_INVALID, { "“grid”", "“dimensions”" } },
  { "{\"grid\": {\"a\": {}}, \"dimensions\": []}", HS_HPO_ERROR_INVALID, { "both" } },
  { "{\"name\": 3, \"grid\": {\"a\": {}}}", HS_HPO_ERROR_INVALID, { "“name”" } },
  { "{\"grid\": []}", HS_HPO_ERROR_INVALID, { "“grid”" } },
  { "{\"grid\": {}}", HS_HPO_ERROR_INVALID, { "“grid”", "no configurations" } },
  { "{\"grid\": {\"c00\": {}, \"c01\": 3}}", HS_HPO_ERROR_INVALID, { "“c01”", "object" } },
  { "{\"grid\": {\"\": {}}}", HS_HPO_ERROR_INVALID, { "empty id" } },
  { "{\"dimensions\": {}}", HS_HPO_ERROR_INVALID, { "“dimensions”" } },
  { "{\"dimensions\": []}", HS_HPO_ERROR_INVALID, { "“dimensions”", "non-empty" } },
  { "{\"dimensions\": [3]}", HS_HPO_ERROR_INVALID, { "dimensions[0]" } },
  { "{\"dimensions\": [{\"type\": \"int\", \"min\": 1, \"max\": 2}]}", HS_HPO_ERROR_INVALID,
    { "dimensions[0]", "“name”" } },
  { "{\"dimensions\": [{\"name\": \"a\", \"type\": \"int\", \"min\": 1, \"max\": 2},"
    " {\"name\": \"a\", \"type\": \"int\", \"min\": 1, \"max\": 2}]}", HS_HPO_ERROR_INVALID,
    { "dimensions[1] (“a”)", "earlier" } },
  { "{\"dimensions\": [{\"name\": \"lr\", \"type\": \"real\", \"min\": 0, \"max\": 1}]}",
    HS_HPO_ERROR_INVALID, { "dimensions[0] (“lr”)", "“type”", "categorical" } },
  { "{\"dimensions\": [{\"name\": \"lr\", \"min\": 0, \"max\": 1}]}",
    HS_HPO_ERROR_INVALID, { "(“lr”)", "“type”" } },
  { "{\"dimensions\": [{\"name\": \"lr\", \"type\": \"float\", \"max\": 1}]}",
    HS_HPO_ERROR_INVALID, { "(“lr”)", "“min”", "number" } },
  { "{\"dimensions\": [{\"name\": \"lr\", \"type\": \"float\", \"min\": 0, \"max\": \"1\"}]}",
    HS_HPO_ERROR_INVALID, { "(“lr”)", "“max”", "number" } },
  { "{\"dimensions\": [{\"name\": \"lr\", \"type\": \"float\", \"min\": 1, \"max\": 1}]}",
    HS_HPO_ERROR_INVALID, { "(“lr”)", "“max”", "greater" } },
  { "{\"dimensions\": [{\"name\": \"b\", \"type\": \"int\", \"min\": 8, \"max\": 4}]}",
    HS_HPO_ERROR_INVALID, { "(“b”)", "“max”", "at least" } },
  { "{\"dimensions\": [{\"name\": \"b\", \"type\": \"int\", \"min\": 1.5, \"max\": 4}]}",
    HS_HPO_ERROR_INVALID, { "(“b”)", "“min”", "integer" } },
  { "{\"dimensions\": [{\"name\": \"lr\", \"type\": \"float\", \"min\": 0, \"max\": 1, \"log\": true}]}",
    HS_HPO_ERROR_INVALID, { "(“lr”)", "“log”", "“min”" } },
  { "{\"dimensions\": [{\"name\": \"lr\", \"type\": \"float\", \"min\": 1, \"max\": 2, \"log\": 1}]}",
    HS_HPO_ERROR_INVALID, { "(“lr”)", "“log”", "true or false" } },
  { "{\"dimensions\": [{\"name\": \"lr\", \"type\": \"float\", \"min\": 1, \"max\": 2, \"lg\": true}]}",
    HS_HPO_ERROR_INVALID, { "(“lr”)", "unknown key “lg”" } },
  { "{\"dimensions\": [{\"name\": \"o\", \"type\": \"categorical\"}]}",
    HS_HPO_ERROR_INVALID, { "(“o”)", "“choices”" } },
  { "{\"dimensions\": [{\"name\": \"o\", \"type\": \"categorical\", \"choices\": []}]}",
    HS_HPO_ERROR_INVALID, { "(“o”)", "“choices”", "non-empty" } },
  { "{\"dimensions\": [{\"name\": \"o\", \"type\": \"categorical\", \"choices\": [\"a\", [1]]}]}",
    HS_HPO_ERROR_INVALID, { "(“o”)", "“choices”[1]" } },
  { "{\"dimensions\": [{\"name\": \"o\", \"type\": \"categorical\", \"choices\": [\"a\"], \"min\": 0}]}",
    HS_HPO_ERROR_INVALID, { "(“o”)", "“min”" } },
  { "{\"dimensions\": [{\"name\": \"x\", \"type\": \"float\", \"min\": 0, \"max\": 1, \"choices\": [1]}]}",
    HS_HPO_ERROR_INVALID, { "(“x”)", "“choices”" } },
};

static void
test_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *bc = &bad_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(HsSearchSpace) space = hs_search_space_new_from_json (bc->json, &error);

      g_assert_null (space);
      g_assert_error (error, HS_HPO_ERROR, bc->code);
      for (guint j = 0; j < G_N_ELEMENTS (bc->mentions) && bc->mentions[j] != NULL; j++)
        if (strstr (error->message, bc->mentions[j]) == NULL)
          g_error ("%s: message “%s” does not mention “%s”", bc->json, error->message,
                   bc->mentions[j]);
    }
}

static void
test_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hs-hpo-XXXXXX", &error);
  g_autofree char *good = g_build_filename (dir, "good.json", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.json", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
  g_autoptr(HsSearchSpace) space = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (good, dims_json, -1, NULL));
  g_assert_true (g_file_set_contents (bad, "{\"grid\": {\"x\": 1}}", -1, NULL));

  space = hs_search_space_new_from_file (good, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hs_search_space_get_name (space), ==, "small");

  g_assert_null (hs_search_space_new_from_file (bad, &error));
  g_assert_error (error, HS_HPO_ERROR, HS_HPO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "bad.json"));
  g_assert_nonnull (strstr (error->message, "“x”"));
  g_clear_error (&error);

  g_assert_null (hs_search_space_new_from_file (missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);

  g_remove (good);
  g_remove (bad);
  g_rmdir (dir);
}

/* Every sample is in range, of the right type, and the same seed gives the
 * same samples. */
static void
test_sample (void)
{
  g_autoptr(HsSearchSpace) space = hs_search_space_new_from_json (dims_json, NULL);
  g_autoptr(GRand) a = g_rand_new_with_seed (7);
  g_autoptr(GRand) b = g_rand_new_with_seed (7);
  g_autoptr(GRand) c = g_rand_new_with_seed (8);
  guint n_adam = 0, n_differ = 0;
  gint64 min_batch = G_MAXINT64, max_batch = 0;

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *ja = hs_search_space_sample_json (space, a);
      g_autofree char *jb = hs_search_space_sample_json (space, b);
      g_autofree char *jc = hs_search_space_sample_json (space, c);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object = parse_object (parser, ja);
      g_autoptr(GList) members = json_object_get_members (object);
      gdouble lr = json_object_get_double_member (object, "lr");
      gdouble momentum = json_object_get_double_member (object, "momentum");
      gint64 batch = json_object_get_int_member (object, "batch_size");
      const char *optimizer = json_object_get_string_member (object, "optimizer");

      g_assert_cmpstr (ja, ==, jb);
      n_differ += g_strcmp0 (ja, jc) != 0;
      /* Dimensions in the order of the file. */
      g_assert_cmpuint (g_list_length (members), ==, 4);
      g_assert_cmpstr (members->data, ==, "lr");
      g_assert_cmpstr (members->next->data, ==, "optimizer");
      g_assert_true (lr >= 1e-4 && lr <= 0.1);
      g_assert_true (momentum >= 0.5 && momentum < 0.99);
      g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "batch_size")));
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "batch_size")), ==,
                       G_TYPE_INT64);
      g_assert_cmpint (batch, >=, 16);
      g_assert_cmpint (batch, <=, 256);
      min_batch = MIN (min_batch, batch);
      max_batch = MAX (max_batch, batch);
      g_assert_true (g_str_equal (optimizer, "sgd") || g_str_equal (optimizer, "adam"));
      n_adam += g_str_equal (optimizer, "adam");
    }
  g_assert_cmpuint (n_differ, ==, 2000);
  /* Both ends of an integer range are reachable (241 values, 2000 draws). */
  g_assert_cmpint (min_batch, ==, 16);
  g_assert_cmpint (max_batch, ==, 256);
  /* Binomial(2000, 1/2): sd ≈ 22; 1000 ± 150 is a 6.7-sigma bound. */
  g_assert_cmpuint (n_adam, >, 850);
  g_assert_cmpuint (n_adam, <, 1150);
}

/* log10(lr) of a log-uniform lr over [1e-4, 0.1] is uniform over [-4, -1]:
 * each of the three decades gets a third of the draws, and the mean of the
 * log is -2.5.  A plain uniform draw would put 90% in the top decade. */
static void
test_log_uniform (void)
{
  g_autoptr(HsSearchSpace) space = hs_search_space_new_from_json (
    "{\"dimensions\": [{\"name\": \"lr\", \"type\": \"float\", \"min\": 1e-4, \"max\": 0.1, \"log\": true},"
    " {\"name\": \"b\", \"type\": \"int\", \"min\": 1, \"max\": 999, \"log\": true}]}", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (2024);
  const guint n = 6000;
  guint decade[3] = { 0 }, int_decade[3] = { 0 };
  gdouble sum = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *json = hs_search_space_sample_json (space, rand);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object = parse_object (parser, json);
      gdouble lr = json_object_get_double_member (object, "lr");
      gint64 b = json_object_get_int_member (object, "b");
      gdouble l = log10 (lr);

      g_assert_true (lr >= 1e-4 && lr <= 0.1);
      g_assert_cmpint (b, >=, 1);
      g_assert_cmpint (b, <=, 999);
      sum += l;
      decade[CLAMP ((gint) floor (l + 4), 0, 2)]++;
      int_decade[b < 10 ? 0 : b < 100 ? 1 : 2]++;
    }
  /* Binomial(6000, 1/3): sd ≈ 37; ± 200 is over 5 sigma.  The mean of a
   * uniform over an interval of 3 has sd 3/sqrt(12 n) ≈ 0.011; ± 0.06. */
  for (guint d = 0; d < 3; d++)
    {
      g_assert_cmpuint (decade[d], >, n / 3 - 200);
      g_assert_cmpuint (decade[d], <, n / 3 + 200);
    }
  g_assert_cmpfloat (fabs (sum / n + 2.5), <, 0.06);
  /* log-uniform integers over 1 … 999: [1, 10), [10, 100), [100, 1000) each
   * about a third. */
  for (guint d = 0; d < 3; d++)
    {
      g_assert_cmpuint (int_decade[d], >, n / 3 - 200);
      g_assert_cmpuint (int_decade[d], <, n / 3 + 200);
    }
}

static GPtrArray *
ids_of (GPtrArray *configs)
{
  GPtrArray *ids = g_ptr_array_new ();

  for (guint i = 0; i < configs->len; i++)
    g_ptr_array_add (ids, ((HsSearchConfig *) g_ptr_array_index (configs, i))->id);
  return ids;
}

/* From a grid: a seeded permutation; passes never repeat a configuration
 * within one draw while the grid has enough others. */
static void
test_sampler_grid (void)
{
  g_autoptr(GString) json = g_string_new ("{\"grid\": {");
  g_autoptr(HsSearchSpace) space = NULL;
  g_autoptr(HsSampler) s1 = NULL, s2 = NULL, s3 = NULL;
  g_autoptr(GPtrArray) all = NULL, again = NULL, other = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean same_order = TRUE;

  for (guint i = 0; i < 10; i++)
    g_string_append_printf (json, "%s\"c%02u\": {\"i\": %u}", i ? ", " : "", i, i);
  g_string_append (json, "}}");
  space = hs_search_space_new_from_json (json->str, NULL);
  g_assert_nonnull (space);

  s1 = hs_sampler_new (space, 1);
  s2 = hs_sampler_new (space, 1);
  s3 = hs_sampler_new (space, 2);
  all = hs_sampler_draw (s1, 10);
  again = hs_sampler_draw (s2, 10);
  other = hs_sampler_draw (s3, 10);
  g_assert_cmpuint (all->len, ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      const HsSearchConfig *config = g_ptr_array_index (all, i);
      const HsSearchConfig *twin = g_ptr_array_index (again, i);
      gint index = hs_search_space_find_config (space, config->id);

      g_assert_cmpstr (config->id, ==, twin->id);
      g_assert_cmpint (index, >=, 0);
      g_assert_cmpstr (config->json, ==, hs_search_space_get_config (space, index)->json);
      g_assert_false (g_hash_table_contains (seen, config->id));
      g_hash_table_add (seen, config->id);
      same_order &= g_str_equal (config->id, ((HsSearchConfig *) g_ptr_array_index (other, i))->id);
    }
  g_assert_false (same_order);

  /* Draws of 4 from a pass of 10: 4, 4, then 2 left + a new pass that
   * skips those 2, so no draw repeats a configuration. */
  {
    g_autoptr(HsSampler) s = hs_sampler_new (space, 5);

    for (guint round = 0; round < 20; round++)
      {
        g_autoptr(GPtrArray) draw = hs_sampler_draw (s, 4);
        g_autoptr(GPtrArray) ids = ids_of (draw);
        g_autoptr(GHashTable) in_draw = g_hash_table_new (g_str_hash, g_str_equal);

        for (guint i = 0; i < ids->len; i++)
          {
            g_assert_false (g_hash_table_contains (in_draw, ids->pdata[i]));
            g_hash_table_add (in_draw, ids->pdata[i]);
          }
      }
  }
  /* A draw larger than the grid holds every configuration, some twice. */
  {
    g_autoptr(HsSampler) s = hs_sampler_new (space, 6);
    g_autoptr(GPtrArray) draw = hs_sampler_draw (s, 25);
    g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < draw->len; i++)
      {
        const char *id = ((HsSearchConfig *) g_ptr_array_index (draw, i))->id;
        g_hash_table_insert (counts, (gpointer) id,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, id)) + 1));
      }
    g_assert_cmpuint (g_hash_table_size (counts), ==, 10);
  }
}

static void
test_sampler_dimensions (void)
{
  g_autoptr(HsSearchSpace) space = hs_search_space_new_from_json (dims_json, NULL);
  g_autoptr(HsSampler) a = hs_sampler_new (space, 3);
  g_autoptr(HsSampler) b = hs_sampler_new (space, 3);
  g_autoptr(GPtrArray) first = hs_sampler_draw (a, 3);
  g_autoptr(GPtrArray) second = hs_sampler_draw (a, 2);
  g_autoptr(GPtrArray) together = hs_sampler_draw (b, 5);

  /* Ids number the draws; splitting a draw changes nothing. */
  g_assert_cmpstr (((HsSearchConfig *) first->pdata[0])->id, ==, "s1");
  g_assert_cmpstr (((HsSearchConfig *) first->pdata[2])->id, ==, "s3");
  g_assert_cmpstr (((HsSearchConfig *) second->pdata[1])->id, ==, "s5");
  for (guint i = 0; i < 5; i++)
    {
      HsSearchConfig *x = i < 3 ? first->pdata[i] : second->pdata[i - 3];
      HsSearchConfig *y = together->pdata[i];

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpstr (x->json, ==, y->json);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/search-space/grid", test_grid);
  g_test_add_func ("/search-space/grid-from-arrays", test_grid_from_arrays);
  g_test_add_func ("/search-space/dimensions", test_dimensions);
  g_test_add_func ("/search-space/errors", test_errors);
  g_test_add_func ("/search-space/file", test_file);
  g_test_add_func ("/search-space/sample", test_sample);
  g_test_add_func ("/search-space/log-uniform", test_log_uniform);
  g_test_add_func ("/search-space/sampler-grid", test_sampler_grid);
  g_test_add_func ("/search-space/sampler-dimensions", test_sampler_dimensions);
  return g_test_run ();
}
