/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hyperstar-cli search start|list|show|pause|resume|cancel|export|watch`:
 * hyper-parameter searches run by hyperstard, through its API
 * (docs/api.md) on the daemon's Unix socket (hs-cli-client.h).
 *
 * Exit statuses: 0 on success (`watch`: the search ended done), 1 when the
 * daemon refuses or is not there (its message printed; `watch`: the search
 * ended cancelled or failed, or the daemon went away), 2 for bad arguments.
 */
#define G_LOG_DOMAIN "hyperstar-cli"

#include <errno.h>
#include <glib-unix.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hs-json-text.h"
#include "hs-atomic-file.h"
#include "hs-cli.h"
#include "hs-cli-client.h"
#include "hs-cli-progress.h"

#define API "/api/v1"
/* What the daemon accepts (hs-search-settings.c, hs-api-searches.c):
 * checked here too, so a typo is a usage error naming the option. */
#define MAX_MAX_EPOCHS 1000
#define MAX_ETA 100
#define MAX_BUDGET 10000000
#define MAX_N_CONFIGS 100000
#define MAX_PRIORITY 1000
/* The daemon pages lists by at most this many. */
#define PAGE 1000

/* --socket and --json, which every subcommand takes. */
typedef struct {
  char *socket;
  gboolean json;
} CommonOptions;

static void
common_options_clear (CommonOptions *options)
{
  g_clear_pointer (&options->socket, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CommonOptions, common_options_clear)

static void
add_common_options (GOptionContext *context, CommonOptions *options)
{
  const GOptionEntry entries[] = {
    { "socket", 0, 0, G_OPTION_ARG_FILENAME, &options->socket,
      "hyperstard's socket (default: $HS_SOCKET, else "
      "$XDG_RUNTIME_DIR/hyperstar/hyperstard.sock)", "PATH" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json, "Machine-readable output (JSON)", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
}

/* Prints "COMMAND: message" for a failed request: 1, the exit status. */
static int
fail (const char *command, const GError *error)
{
  g_printerr ("%s: %s\n", command, error->message);
  return 1;
}

/* The one argument left after the options: a search id; else a usage error
 * (printed) and FALSE. */
static gboolean
parse_id_argument (const char *command, int argc, char **argv, gint64 *id)
{
  guint64 v;

  if (argc != 2)
    {
      g_printerr ("%s: %s (usage: hyperstar-cli %s ID)\n", command,
                  argc < 2 ? "which search? give its id" : "takes one search id", command);
      return FALSE;
    }
  if (!g_ascii_string_to_unsigned (argv[1], 10, 1, G_MAXINT64, &v, NULL))
    {
      g_printerr ("%s: “%s” is not a search id (a whole number from 1, as `search list` "
                  "shows)\n", command, argv[1]);
      return FALSE;
    }
  *id = (gint64) v;
  return TRUE;
}

static gboolean
no_arguments (const char *command, int argc, char **argv)
{
  if (argc > 1)
    {
      g_printerr ("%s: unexpected argument “%s”\n", command, argv[1]);
      return FALSE;
    }
  return TRUE;
}

static void
print_json (JsonNode *node, gboolean pretty)
{
  g_autofree char *text = json_to_string (node, pretty);

  g_print ("%s\n", text);
}

/* A value accuracy as the other commands show it, "–" before any. */
static char *
format_acc (gdouble val_acc)
{
  if (isnan (val_acc))
    return g_strdup ("–");
  return g_strdup_printf ("%.2f%%", 100.0 * val_acc);
}

/* Milliseconds since 1970 as local time, "–" for not yet. */
static char *
format_time (gint64 ms)
{
  g_autoptr(GDateTime) t = NULL;

  if (ms <= 0 || (t = g_date_time_new_from_unix_local (ms / 1000)) == NULL)
    return g_strdup ("–");
  return g_date_time_format (t, "%Y-%m-%d %H:%M:%S");
}

static char *
format_seconds (gdouble seconds)
{
  if (isnan (seconds))
    return g_strdup ("–");
  if (seconds < 60)
    return g_strdup_printf ("%.1f s", seconds);
  if (seconds < 3600)
    return g_strdup_printf ("%d min %02d s", (int) seconds / 60, (int) seconds % 60);
  return g_strdup_printf ("%d h %02d min", (int) seconds / 3600, (int) seconds / 60 % 60);
}

static gboolean
state_is_final (const char *state)
{
  return g_strcmp0 (state, "done") == 0 || g_strcmp0 (state, "cancelled") == 0 ||
         g_strcmp0 (state, "failed") == 0;
}

/* GET /searches/ID: the search object, or NULL with error. */
static JsonNode *
get_search (HsCliClient *client, gint64 id, GError **error)
{
  g_autofree char *path = g_strdup_printf (API "/searches/%" G_GINT64_FORMAT, id);
  g_autoptr(JsonNode) node = hs_cli_client_request (client, "GET", path, NULL, NULL, error);

  if (node == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, HS_CLI_CLIENT_ERROR, HS_CLI_CLIENT_ERROR_PROTOCOL,
                     "hyperstard sent no search");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, HS_CLI_CLIENT_ERROR, HS_CLI_CLIENT_ERROR_PROTOCOL,
                   "hyperstard's search %" G_GINT64_FORMAT " is not a JSON object", id);
      return NULL;
    }
  return g_steal_pointer (&node);
}

/* The search's best trial (its "best_trial" id), NULL when it has none
 * yet.  Trial ids count from 0 in the order the daemon lists them, so the
 * page at offset = id has it; the list is read through if not. */
static JsonNode *
get_best_trial (HsCliClient *client, JsonObject *search, GError **error)
{
  gint64 search_id = hs_json_get_int (search, "id", 0);
  gint64 best = hs_json_get_int (search, "best_trial", -1);
  gboolean direct = TRUE;
  gint64 offset = best;

  if (best < 0)
    return NULL;
  for (;;)
    {
      g_autofree char *path = g_strdup_printf (API "/searches/%" G_GINT64_FORMAT
                                               "/trials?offset=%" G_GINT64_FORMAT "&limit=%d",
                                               search_id, offset, direct ? 1 : PAGE);
      g_autoptr(JsonNode) page = hs_cli_client_request (client, "GET", path, NULL, NULL, error);
      JsonArray *trials;
      JsonNode *member;

      if (page == NULL || !JSON_NODE_HOLDS_OBJECT (page))
        return NULL;
      member = json_object_get_member (json_node_get_object (page), "trials");
      if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
        return NULL;
      trials = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (trials); i++)
        {
          JsonNode *trial = json_array_get_element (trials, i);

          if (JSON_NODE_HOLDS_OBJECT (trial) &&
              hs_json_get_int (json_node_get_object (trial), "id", -1) == best)
            return json_node_copy (trial);
        }
      if (!direct && json_array_get_length (trials) < PAGE)
        return NULL;
      offset = direct ? 0 : offset + PAGE;
      direct = FALSE;
    }
}

/* ---- search start ---- */

static const char *const methods[] = {
  "random", "random-search", "sh", "successive-halving", "hyperband", "bohb", NULL,
};

/* The name a space file is stored under: its "name", else the file's name
 * without ".json". */
static char *
space_file_name (JsonObject *definition, const char *path)
{
  const char *name = hs_json_get_string (definition, "name");
  g_autofree char *base = NULL;

  if (name != NULL && *name != '\0')
    return g_strdup (name);
  base = g_path_get_basename (path);
  if (g_str_has_suffix (base, ".json") && strlen (base) > strlen (".json"))
    base[strlen (base) - strlen (".json")] = '\0';
  return g_steal_pointer (&base);
}

/* The stored space named name: its id and definition, by the list (a name
 * that is all digits would be taken for an id by GET /spaces/KEY). */
static JsonNode *
find_stored_space (HsCliClient *client, const char *name, GError **error)
{
  g_autoptr(JsonNode) list = hs_cli_client_request (client, "GET", API "/spaces", NULL, NULL,
                                                    error);
  JsonObject *o = list && JSON_NODE_HOLDS_OBJECT (list) ? json_node_get_object (list) : NULL;
  JsonNode *spaces = o ? json_object_get_member (o, "spaces") : NULL;

  if (spaces == NULL || !JSON_NODE_HOLDS_ARRAY (spaces))
    return NULL;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (spaces)); i++)
    {
      JsonNode *space = json_array_get_element (json_node_get_array (spaces), i);
      JsonObject *so = JSON_NODE_HOLDS_OBJECT (space) ? json_node_get_object (space) : NULL;

      if (g_strcmp0 (hs_json_get_string (so, "name"), name) == 0)
        {
          g_autofree char *path = g_strdup_printf (API "/spaces/%" G_GINT64_FORMAT,
                                                   hs_json_get_int (so, "id", 0));
          return hs_cli_client_request (client, "GET", path, NULL, NULL, error);
        }
    }
  return NULL;
}

/* Stores the space in the file `path` (POST /spaces) and returns the id to
 * start the search with: the new space's, or the stored one's when a space
 * of that name with the same definition is there already.  Returns NULL
 * with *usage set when the file is no search space at all (a bad
 * --space), or with error when the daemon refuses. */
static char *
upload_space (HsCliClient *client, const char *path, gboolean *usage, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL, reply = NULL, stored = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *name = NULL;
  JsonNode *root, *definition;
  guint status = 0;

  *usage = FALSE;
  if (!json_parser_load_from_file (parser, path, &local))
    {
      *usage = TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "--space %s: not a search space file: %s", path, local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      *usage = TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "--space %s: a search space file holds a JSON object ({\"grid\": …} or "
                   "{\"dimensions\": […]})", path);
      return NULL;
    }
  name = space_file_name (json_node_get_object (root), path);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "definition");
  json_builder_add_value (b, json_node_copy (root));
  json_builder_end_object (b);
  body = json_builder_get_root (b);

  reply = hs_cli_client_request (client, "POST", API "/spaces", body, &status, &local);
  if (reply != NULL && JSON_NODE_HOLDS_OBJECT (reply))
    return g_strdup_printf ("%" G_GINT64_FORMAT,
                            hs_json_get_int (json_node_get_object (reply), "id", 0));
  if (status != SOUP_STATUS_CONFLICT)
    {
      if (local == NULL)
        g_set_error (error, HS_CLI_CLIENT_ERROR, HS_CLI_CLIENT_ERROR_PROTOCOL,
                     "hyperstard stored the search space but sent no id");
      else if (status == SOUP_STATUS_BAD_REQUEST)
        g_set_error (error, HS_CLI_CLIENT_ERROR, HS_CLI_CLIENT_ERROR_DAEMON,
                     "--space %s: %s", path, local->message);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  /* The name is taken: the same space uploaded before is fine. */
  g_clear_error (&local);
  if ((stored = find_stored_space (client, name, &local)) == NULL)
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, HS_CLI_CLIENT_ERROR, HS_CLI_CLIENT_ERROR_DAEMON,
                     "--space %s: hyperstard says a space named “%s” exists but does not "
                     "list it", path, name);
      return NULL;
    }
  definition = JSON_NODE_HOLDS_OBJECT (stored)
               ? json_object_get_member (json_node_get_object (stored), "definition") : NULL;
  if (definition == NULL || !json_node_equal (definition, root))
    {
      g_set_error (error, HS_CLI_CLIENT_ERROR, HS_CLI_CLIENT_ERROR_DAEMON,
                   "--space %s: hyperstard already has a different search space named “%s” "
                   "(space %" G_GINT64_FORMAT "); give the file another \"name\", or use "
                   "--space %s to search the stored one", path, name,
                   hs_json_get_int (json_node_get_object (stored), "id", 0), name);
      return NULL;
    }
  return g_strdup_printf ("%" G_GINT64_FORMAT,
                          hs_json_get_int (json_node_get_object (stored), "id", 0));
}

/* Checks an option given as an integer (not_set when absent). */
static gboolean
check_range (const char *option, gint64 value, gint64 not_set, gint64 min, gint64 max)
{
  if (value == not_set || (value >= min && value <= max))
    return TRUE;
  g_printerr ("search start: %s must be a whole number from %" G_GINT64_FORMAT " to %"
              G_GINT64_FORMAT " (got %" G_GINT64_FORMAT ")\n", option, min, max, value);
  return FALSE;
}

static void
add_setting (JsonBuilder *b, const char *name, gint64 value, gint64 not_set)
{
  if (value == not_set)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static int
search_start (int argc, char **argv)
{
  g_auto(CommonOptions) common = { 0 };
  g_autofree char *dataset = NULL, *space = NULL, *method = NULL;
  /* G_MININT: not given. */
  gint budget = G_MININT, max_epochs = G_MININT, eta = G_MININT, min_epochs = G_MININT;
  gint n_configs = G_MININT, priority = G_MININT;
  gint64 seed = G_MININT64;
  GOptionEntry entries[] = {
    { "dataset", 'd', 0, G_OPTION_ARG_STRING, &dataset,
      "An imported dataset or a built-in task (required)", "NAME" },
    { "space", 0, 0, G_OPTION_ARG_FILENAME, &space,
      "A search space: a JSON file (stored first under its \"name\", else the file's name) "
      "or a stored space's name or id (required)", "FILE|NAME" },
    { "method", 'm', 0, G_OPTION_ARG_STRING, &method,
      "random, sh (successive halving), hyperband or bohb (required)", "METHOD" },
    { "budget-epochs", 'b', 0, G_OPTION_ARG_INT, &budget,
      "Epochs the whole search may spend (required)", "B" },
    { "max-epochs", 0, 0, G_OPTION_ARG_INT, &max_epochs,
      "The most epochs one configuration gets, R (27)", "R" },
    { "eta", 0, 0, G_OPTION_ARG_INT, &eta, "Keep 1/η at each promotion (3)", "η" },
    { "min-epochs", 0, 0, G_OPTION_ARG_INT, &min_epochs,
      "Successive halving's first budget, r (1)", "r" },
    { "n-configs", 0, 0, G_OPTION_ARG_INT, &n_configs,
      "Random search's N / successive halving's n (the method's default)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Of the sampler and the trainer (0)", "S" },
    { "priority", 0, 0, G_OPTION_ARG_INT, &priority,
      "Larger runs first, -1000 to 1000 (0)", "P" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— queue a search on hyperstard");
  g_autoptr(HsCliClient) client = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL, reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *space_key = NULL;
  JsonObject *o;

  g_option_context_add_main_entries (context, entries, NULL);
  add_common_options (context, &common);
  if (!hs_cli_parse_options (context, "search start", &argc, &argv) ||
      !no_arguments ("search start", argc, argv))
    return HS_CLI_EXIT_USAGE;
  if (dataset == NULL || *dataset == '\0')
    {
      g_printerr ("search start: --dataset is required (an imported dataset or a built-in "
                  "task: `hyperstar-cli tasks list`)\n");
      return HS_CLI_EXIT_USAGE;
    }
  if (space == NULL || *space == '\0')
    {
      g_printerr ("search start: --space is required (a search space file, or a stored "
                  "space's name or id, e.g. paper-grid)\n");
      return HS_CLI_EXIT_USAGE;
    }
  if (method == NULL)
    {
      g_printerr ("search start: --method is required (random, sh, hyperband or bohb)\n");
      return HS_CLI_EXIT_USAGE;
    }
  if (!g_strv_contains (methods, method))
    {
      g_printerr ("search start: --method must be random, sh, hyperband or bohb (got “%s”)\n",
                  method);
      return HS_CLI_EXIT_USAGE;
    }
  if (budget == G_MININT)
    {
      g_printerr ("search start: --budget-epochs is required (the epochs the whole search "
                  "may spend)\n");
      return HS_CLI_EXIT_USAGE;
    }
  if (!check_range ("--budget-epochs", budget, G_MININT, 1, MAX_BUDGET) ||
      !check_range ("--max-epochs", max_epochs, G_MININT, 1, MAX_MAX_EPOCHS) ||
      !check_range ("--eta", eta, G_MININT, 2, MAX_ETA) ||
      !check_range ("--min-epochs", min_epochs, G_MININT, 1, MAX_MAX_EPOCHS) ||
      !check_range ("--n-configs", n_configs, G_MININT, 0, MAX_N_CONFIGS) ||
      !check_range ("--seed", seed, G_MININT64, 0, G_MAXUINT32) ||
      !check_range ("--priority", priority, G_MININT, -MAX_PRIORITY, MAX_PRIORITY))
    return HS_CLI_EXIT_USAGE;

  client = hs_cli_client_new (common.socket);
  if (g_file_test (space, G_FILE_TEST_IS_REGULAR))
    {
      gboolean usage;

      if ((space_key = upload_space (client, space, &usage, &error)) == NULL)
        {
          fail ("search start", error);
          return usage ? HS_CLI_EXIT_USAGE : 1;
        }
    }
  else
    space_key = g_strdup (space);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "dataset");
  json_builder_add_string_value (b, dataset);
  json_builder_set_member_name (b, "space");
  json_builder_add_string_value (b, space_key);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, method);
  json_builder_set_member_name (b, "settings");
  json_builder_begin_object (b);
  add_setting (b, "budget_epochs", budget, G_MININT);
  add_setting (b, "max_epochs", max_epochs, G_MININT);
  add_setting (b, "eta", eta, G_MININT);
  add_setting (b, "min_epochs", min_epochs, G_MININT);
  add_setting (b, "n_configs", n_configs, G_MININT);
  add_setting (b, "seed", seed, G_MININT64);
  json_builder_end_object (b);
  add_setting (b, "priority", priority, G_MININT);
  json_builder_end_object (b);
  body = json_builder_get_root (b);

  if ((reply = hs_cli_client_request (client, "POST", API "/searches", body, NULL,
                                      &error)) == NULL)
    {
      if (error == NULL)
        g_set_error (&error, HS_CLI_CLIENT_ERROR, HS_CLI_CLIENT_ERROR_PROTOCOL,
                     "hyperstard queued the search but sent nothing back");
      return fail ("search start", error);
    }
  if (common.json)
    {
      print_json (reply, TRUE);
      return 0;
    }
  o = JSON_NODE_HOLDS_OBJECT (reply) ? json_node_get_object (reply) : NULL;
  g_print ("Search %" G_GINT64_FORMAT " %s: %s on %s, budget %" G_GINT64_FORMAT " epochs\n",
           hs_json_get_int (o, "id", 0),
           hs_json_get_string (o, "state") ? hs_json_get_string (o, "state") : "queued",
           hs_json_get_string (o, "method") ? hs_json_get_string (o, "method") : method,
           hs_json_get_string (o, "dataset") ? hs_json_get_string (o, "dataset") : dataset,
           hs_json_get_int (hs_json_get_object (o, "settings"), "budget_epochs", budget));
  return 0;
}

/* ---- search list ---- */

static int
search_list (int argc, char **argv)
{
  g_auto(CommonOptions) common = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new ("— list the searches, newest "
                                                            "first");
  g_autoptr(HsCliClient) client = NULL;
  g_autoptr(JsonArray) all = json_array_new ();
  g_autoptr(GError) error = NULL;
  guint width = 7;  /* "DATASET" */

  add_common_options (context, &common);
  if (!hs_cli_parse_options (context, "search list", &argc, &argv) ||
      !no_arguments ("search list", argc, argv))
    return HS_CLI_EXIT_USAGE;
  client = hs_cli_client_new (common.socket);
  for (guint offset = 0;; offset += PAGE)
    {
      g_autofree char *path = g_strdup_printf (API "/searches?offset=%u&limit=%d", offset,
                                               PAGE);
      g_autoptr(JsonNode) page = hs_cli_client_request (client, "GET", path, NULL, NULL,
                                                        &error);
      JsonNode *searches;
      guint n;

      if (page == NULL)
        {
          if (error == NULL)
            g_set_error (&error, HS_CLI_CLIENT_ERROR, HS_CLI_CLIENT_ERROR_PROTOCOL,
                         "hyperstard sent no list");
          return fail ("search list", error);
        }
      searches = JSON_NODE_HOLDS_OBJECT (page)
                 ? json_object_get_member (json_node_get_object (page), "searches") : NULL;
      if (searches == NULL || !JSON_NODE_HOLDS_ARRAY (searches))
        break;
      n = json_array_get_length (json_node_get_array (searches));
      for (guint i = 0; i < n; i++)
        json_array_add_element (all, json_node_copy (json_array_get_element (
                                       json_node_get_array (searches), i)));
      if (n < PAGE)
        break;
    }

  if (common.json)
    {
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), all);
      print_json (node, TRUE);
      return 0;
    }
  if (json_array_get_length (all) == 0)
    {
      g_print ("No searches yet (start one with `hyperstar-cli search start`).\n");
      return 0;
    }
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *s = json_array_get_object_element (all, i);
      const char *dataset = hs_json_get_string (s, "dataset");
      width = MAX (width, (guint) g_utf8_strlen (dataset ? dataset : "", -1));
    }
  width = MIN (width, 32);
  g_print ("%5s  %-9s  %-18s  %-*s  %13s  %8s  %6s\n", "ID", "STATE", "METHOD", (int) width,
           "DATASET", "TRIALS", "BEST VAL", "EPOCHS");
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *s = json_array_get_object_element (all, i);
      const char *dataset = hs_json_get_string (s, "dataset");
      g_autofree char *acc = format_acc (hs_json_get_double (s, "best_val_acc"));
      g_autofree char *trials = NULL;
      glong pad;

      if (hs_json_get_int (s, "n_failed", 0) > 0)
        trials = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " (%" G_GINT64_FORMAT
                                  " ✗)", hs_json_get_int (s, "n_done", 0),
                                  hs_json_get_int (s, "n_trials", 0),
                                  hs_json_get_int (s, "n_failed", 0));
      else
        trials = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                                  hs_json_get_int (s, "n_done", 0),
                                  hs_json_get_int (s, "n_trials", 0));
      /* printf pads by bytes; names and "–" are UTF-8. */
      pad = (glong) width - g_utf8_strlen (dataset ? dataset : "", -1);
      g_print ("%5" G_GINT64_FORMAT "  %-9s  %-18s  %s%*s  %*s  %*s  %6" G_GINT64_FORMAT "\n",
               hs_json_get_int (s, "id", 0),
               hs_json_get_string (s, "state") ? hs_json_get_string (s, "state") : "?",
               hs_json_get_string (s, "method") ? hs_json_get_string (s, "method") : "?",
               dataset ? dataset : "", (int) MAX (pad, 0), "",
               (int) (13 + strlen (trials) - g_utf8_strlen (trials, -1)), trials,
               (int) (8 + strlen (acc) - g_utf8_strlen (acc, -1)), acc,
               hs_json_get_int (s, "epochs_spent", 0));
    }
  return 0;
}

/* ---- search show ---- */

static void
print_search (HsCliClient *client, JsonObject *s, JsonObject *best)
{
  JsonObject *settings = hs_json_get_object (s, "settings");
  gint64 space_id = hs_json_get_int (s, "space_id", 0);
  g_autofree char *space_path = g_strdup_printf (API "/spaces/%" G_GINT64_FORMAT, space_id);
  g_autoptr(JsonNode) space = hs_cli_client_request (client, "GET", space_path, NULL, NULL,
                                                     NULL);
  const char *space_name = space && JSON_NODE_HOLDS_OBJECT (space)
                           ? hs_json_get_string (json_node_get_object (space), "name") : NULL;
  g_autofree char *created = format_time (hs_json_get_int (s, "created", 0));
  g_autofree char *started = format_time (hs_json_get_int (s, "started", 0));
  g_autofree char *finished = format_time (hs_json_get_int (s, "finished", 0));
  g_autofree char *acc = format_acc (hs_json_get_double (s, "best_val_acc"));
  const char *error = hs_json_get_string (s, "error");

  g_print ("Search %" G_GINT64_FORMAT ": %s on %s\n", hs_json_get_int (s, "id", 0),
           hs_json_get_string (s, "method"), hs_json_get_string (s, "dataset"));
  g_print ("  State:     %s\n", hs_json_get_string (s, "state"));
  if (error != NULL)
    g_print ("  Error:     %s\n", error);
  if (space_name != NULL)
    g_print ("  Space:     %s (%" G_GINT64_FORMAT ")\n", space_name, space_id);
  else
    g_print ("  Space:     %" G_GINT64_FORMAT "\n", space_id);
  g_print ("  Settings:  budget %" G_GINT64_FORMAT " epochs, at most %" G_GINT64_FORMAT
           " per configuration, η %" G_GINT64_FORMAT ", min %" G_GINT64_FORMAT
           ", n_configs %" G_GINT64_FORMAT ", seed %" G_GINT64_FORMAT "\n",
           hs_json_get_int (settings, "budget_epochs", 0),
           hs_json_get_int (settings, "max_epochs", 0), hs_json_get_int (settings, "eta", 0),
           hs_json_get_int (settings, "min_epochs", 0),
           hs_json_get_int (settings, "n_configs", 0), hs_json_get_int (settings, "seed", 0));
  g_print ("  Priority:  %" G_GINT64_FORMAT "\n", hs_json_get_int (s, "priority", 0));
  g_print ("  Created:   %s\n  Started:   %s\n  Finished:  %s\n", created, started, finished);
  g_print ("  Trials:    %" G_GINT64_FORMAT " (%" G_GINT64_FORMAT " done, %" G_GINT64_FORMAT
           " failed, %" G_GINT64_FORMAT " running)\n", hs_json_get_int (s, "n_trials", 0),
           hs_json_get_int (s, "n_done", 0), hs_json_get_int (s, "n_failed", 0),
           hs_json_get_int (s, "n_running", 0));
  g_print ("  Epochs:    %" G_GINT64_FORMAT " spent of %" G_GINT64_FORMAT "\n",
           hs_json_get_int (s, "epochs_spent", 0),
           hs_json_get_int (settings, "budget_epochs", 0));
  if (best == NULL)
    {
      g_print ("  Best:      %s\n", hs_json_get_int (s, "best_trial", -1) < 0
                                    ? "no result yet" : acc);
      return;
    }
  {
    g_autofree char *seconds = format_seconds (hs_json_get_double (best, "seconds"));
    JsonNode *config = json_object_get_member (best, "config");
    g_autofree char *config_text = config ? hs_json_to_text (config) : g_strdup ("");

    g_print ("  Best:      val acc %s, trial %" G_GINT64_FORMAT " (config %s, epochs %"
             G_GINT64_FORMAT "→%" G_GINT64_FORMAT ", %s on %s)\n", acc,
             hs_json_get_int (best, "id", 0), hs_json_get_string (best, "config_id"),
             hs_json_get_int (best, "from_epoch", 0), hs_json_get_int (best, "to_epoch", 0),
             seconds, hs_json_get_string (best, "device") ? hs_json_get_string (best, "device")
                                                          : "?");
    g_print ("             %s\n", config_text);
  }
}

static int
search_show (int argc, char **argv)
{
  g_auto(CommonOptions) common = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new ("ID — a search and its best "
                                                            "trial");
  g_autoptr(HsCliClient) client = NULL;
  g_autoptr(JsonNode) search = NULL, best = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  add_common_options (context, &common);
  if (!hs_cli_parse_options (context, "search show", &argc, &argv) ||
      !parse_id_argument ("search show", argc, argv, &id))
    return HS_CLI_EXIT_USAGE;
  client = hs_cli_client_new (common.socket);
  if ((search = get_search (client, id, &error)) == NULL)
    return fail ("search show", error);
  best = get_best_trial (client, json_node_get_object (search), &error);
  if (error != NULL)
    return fail ("search show", error);
  if (common.json)
    {
      /* The search object, its best trial added as "best". */
      json_object_set_member (json_node_get_object (search), "best",
                              best ? json_node_ref (best) : json_node_new (JSON_NODE_NULL));
      print_json (search, TRUE);
      return 0;
    }
  print_search (client, json_node_get_object (search),
                best ? json_node_get_object (best) : NULL);
  return 0;
}

/* ---- search pause|resume|cancel ---- */

static int
search_control (const char *action, int argc, char **argv)
{
  g_auto(CommonOptions) common = { 0 };
  g_autofree char *command = g_strconcat ("search ", action, NULL);
  g_autofree char *summary = g_strdup_printf ("ID — %s a search", action);
  g_autoptr(GOptionContext) context = g_option_context_new (summary);
  g_autoptr(HsCliClient) client = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *state;
  gint64 id;

  add_common_options (context, &common);
  if (!hs_cli_parse_options (context, command, &argc, &argv) ||
      !parse_id_argument (command, argc, argv, &id))
    return HS_CLI_EXIT_USAGE;
  client = hs_cli_client_new (common.socket);
  path = g_strdup_printf (API "/searches/%" G_GINT64_FORMAT "/%s", id, action);
  if ((reply = hs_cli_client_request (client, "POST", path, NULL, NULL, &error)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (reply))
    {
      if (error == NULL)
        g_set_error (&error, HS_CLI_CLIENT_ERROR, HS_CLI_CLIENT_ERROR_PROTOCOL,
                     "hyperstard sent no search back");
      return fail (command, error);
    }
  if (common.json)
    {
      print_json (reply, TRUE);
      return 0;
    }
  /* The reply is the search as it is now: running trials stop in a moment
   * (they keep their checkpoints), so a pause or cancel may still say
   * running. */
  state = hs_json_get_string (json_node_get_object (reply), "state");
  if (g_str_equal (action, "pause") && g_strcmp0 (state, "paused") != 0)
    g_print ("Search %" G_GINT64_FORMAT ": pausing (its running trials stop and keep their "
             "checkpoints)\n", id);
  else if (g_str_equal (action, "cancel") && g_strcmp0 (state, "cancelled") != 0)
    g_print ("Search %" G_GINT64_FORMAT ": cancelling (its running trials stop)\n", id);
  else if (g_str_equal (action, "resume"))
    g_print ("Search %" G_GINT64_FORMAT " resumed (%s)\n", id, state);
  else
    g_print ("Search %" G_GINT64_FORMAT " %s\n", id, state);
  return 0;
}

static int
search_pause (int argc, char **argv)
{
  return search_control ("pause", argc, argv);
}

static int
search_resume (int argc, char **argv)
{
  return search_control ("resume", argc, argv);
}

static int
search_cancel (int argc, char **argv)
{
  return search_control ("cancel", argc, argv);
}

/* ---- search export ---- */

static gboolean
write_file (const char *path, GBytes *bytes, GError **error)
{
  g_autoptr(HsAtomicFile) file = hs_atomic_file_open (path, G_IO_ERROR, G_IO_ERROR_FAILED,
                                                      G_IO_ERROR_EXISTS, error);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  FILE *out;

  if (file == NULL)
    return FALSE;
  out = hs_atomic_file_get_stream (file);
  if (len > 0 && fwrite (data, 1, len, out) != len)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s: %s", path,
                   g_strerror (errno));
      return FALSE;
    }
  return hs_atomic_file_commit (g_steal_pointer (&file), TRUE, error);
}

static int
search_export (int argc, char **argv)
{
  g_auto(CommonOptions) common = { 0 };
  g_autofree char *format = NULL, *output = NULL;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      "csv (a row per trial) or json (the search and its trials); csv unless --json", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write to FILE (whole or not at all) rather than stdout", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("ID — a search's trials as CSV "
                                                            "or JSON");
  g_autoptr(HsCliClient) client = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gint64 id;

  g_option_context_add_main_entries (context, entries, NULL);
  add_common_options (context, &common);
  if (!hs_cli_parse_options (context, "search export", &argc, &argv) ||
      !parse_id_argument ("search export", argc, argv, &id))
    return HS_CLI_EXIT_USAGE;
  if (format == NULL)
    format = g_strdup (common.json ? "json" : "csv");
  if (!g_str_equal (format, "csv") && !g_str_equal (format, "json"))
    {
      g_printerr ("search export: --format must be csv or json (got “%s”)\n", format);
      return HS_CLI_EXIT_USAGE;
    }
  if (output != NULL && *output == '\0')
    {
      g_printerr ("search export: --output needs a file name\n");
      return HS_CLI_EXIT_USAGE;
    }
  client = hs_cli_client_new (common.socket);
  path = g_strdup_printf (API "/searches/%" G_GINT64_FORMAT "/export?format=%s", id, format);
  if ((bytes = hs_cli_client_request_bytes (client, "GET", path, NULL, NULL, NULL,
                                            &error)) == NULL)
    return fail ("search export", error);
  /* JSON comes as one line: end it, as a text file's last line is. */
  if (g_str_equal (format, "json"))
    {
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);

      if (len > 0 && data[len - 1] != '\n')
        {
          GByteArray *with_newline = g_byte_array_sized_new (len + 1);

          g_byte_array_append (with_newline, (const guint8 *) data, len);
          g_byte_array_append (with_newline, (const guint8 *) "\n", 1);
          g_bytes_unref (bytes);
          bytes = g_byte_array_free_to_bytes (with_newline);
        }
    }
  if (output == NULL)
    {
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);

      if (fwrite (data, 1, len, stdout) != len || fflush (stdout) != 0)
        {
          g_printerr ("search export: cannot write to stdout: %s\n", g_strerror (errno));
          return 1;
        }
      return 0;
    }
  if (!write_file (output, bytes, &error))
    return fail ("search export", error);
  g_printerr ("Search %" G_GINT64_FORMAT " exported to %s (%s)\n", id, output, format);
  return 0;
}

/* ---- search watch ---- */

/* A trial that is running, as its progress events tell. */
typedef struct {
  guint id;
  gint64 from_epoch, to_epoch;
  gint64 epoch;           /* under way, 1-based */
  gdouble fraction;       /* of the epoch (or of preparing) */
  gboolean preparing;
  gdouble last_val_acc;   /* NaN before the first epoch */
} Running;

typedef struct {
  gint64 id;
  gboolean json;
  gboolean tty;           /* stderr, where the bar goes, is a terminal */
  HsCliClient *client;
  HsCliProgress *progress;
  GMainLoop *loop;
  GHashTable *running;    /* trial id → Running */
  gint64 shown;           /* the trial the bar shows, -1 none */
  gboolean shown_preparing;
  char *state;
  int status;             /* the exit status once decided, else -1 */
  char *ws_error;
} Watch;

static void
watch_quit (Watch *w, int status)
{
  if (w->status >= 0)
    return;
  w->status = status;
  hs_cli_progress_clear (w->progress);
  g_main_loop_quit (w->loop);
}

/* One line to stdout, above the bar. */
#define watch_print(w, ...) hs_cli_progress_print ((w)->progress, stdout, __VA_ARGS__)

/* "done: 7 trials (1 failed), 6 epochs, best 81.25% (trial 4)". */
static void
print_summary (Watch *w, JsonObject *s)
{
  const char *state = hs_json_get_string (s, "state");
  const char *error = hs_json_get_string (s, "error");
  g_autofree char *acc = format_acc (hs_json_get_double (s, "best_val_acc"));
  g_autofree char *best = NULL;
  g_autofree char *failed = NULL;

  if (hs_json_get_int (s, "best_trial", -1) >= 0)
    best = g_strdup_printf (", best val acc %s (trial %" G_GINT64_FORMAT ")", acc,
                            hs_json_get_int (s, "best_trial", -1));
  if (hs_json_get_int (s, "n_failed", 0) > 0)
    failed = g_strdup_printf (", %" G_GINT64_FORMAT " failed", hs_json_get_int (s, "n_failed", 0));
  watch_print (w, "Search %" G_GINT64_FORMAT " %s: %" G_GINT64_FORMAT " trials%s, %"
               G_GINT64_FORMAT " epochs%s%s%s", w->id, state ? state : "?",
               hs_json_get_int (s, "n_done", 0), failed ? failed : "",
               hs_json_get_int (s, "epochs_spent", 0), best ? best : "",
               error ? ": " : "", error ? error : "");
}

/* Ends the watch when the search is over: 0 when done, 1 otherwise. */
static gboolean
maybe_finish (Watch *w, JsonObject *s)
{
  const char *state = hs_json_get_string (s, "state");

  if (!state_is_final (state))
    return FALSE;
  if (!w->json)
    print_summary (w, s);
  watch_quit (w, g_str_equal (state, "done") ? 0 : 1);
  return TRUE;
}

static void
on_search_state (Watch *w, JsonObject *s)
{
  const char *state = hs_json_get_string (s, "state");

  if (state == NULL || maybe_finish (w, s))
    return;
  if (!w->json && g_strcmp0 (state, w->state) != 0)
    {
      if (g_str_equal (state, "paused"))
        watch_print (w, "Search %" G_GINT64_FORMAT " paused (`hyperstar-cli search resume %"
                     G_GINT64_FORMAT "` goes on)", w->id, w->id);
      else
        watch_print (w, "Search %" G_GINT64_FORMAT " %s", w->id, state);
    }
  g_free (w->state);
  w->state = g_strdup (state);
}

/* Redraws the bar: the running trial with the lowest id; the others are
 * counted beside it. */
static void
update_bar (Watch *w)
{
  GHashTableIter iter;
  gpointer value;
  Running *r = NULL;
  g_autofree char *what = NULL;
  g_autofree char *acc = NULL;
  g_autofree char *others = NULL;
  guint n = g_hash_table_size (w->running);
  gint64 epochs;
  gdouble done;

  if (w->json)
    return;
  g_hash_table_iter_init (&iter, w->running);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (r == NULL || ((Running *) value)->id < r->id)
      r = value;
  if (r == NULL)
    {
      hs_cli_progress_clear (w->progress);
      w->shown = -1;
      return;
    }
  /* A new label starts the bar's ETA afresh: only when another trial or
   * phase is shown. */
  if (w->shown != r->id || w->shown_preparing != r->preparing)
    {
      g_autofree char *label = r->preparing
                               ? g_strdup_printf ("Trial %u: preparing the dataset", r->id)
                               : g_strdup_printf ("Trial %u (epochs %" G_GINT64_FORMAT "→%"
                                                  G_GINT64_FORMAT ")", r->id, r->from_epoch,
                                                  r->to_epoch);
      hs_cli_progress_set_label (w->progress, label);
      w->shown = r->id;
      w->shown_preparing = r->preparing;
    }
  epochs = MAX (r->to_epoch - r->from_epoch, 1);
  if (r->preparing)
    done = r->fraction;
  else
    done = CLAMP ((r->epoch - 1 - r->from_epoch + r->fraction) / epochs, 0.0, 1.0);
  acc = format_acc (r->last_val_acc);
  if (n > 1)
    others = g_strdup_printf ("+%u running", n - 1);
  if (r->preparing)
    what = g_strdup (others);
  else
    what = g_strdup_printf ("epoch %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT ", val %s%s%s",
                            MAX (r->epoch, r->from_epoch + 1), r->to_epoch, acc,
                            others ? ", " : "", others ? others : "");
  hs_cli_progress_update ((guint64) (done * 100 + 0.5), 100, what, w->progress);
}

static Running *
running_for (Watch *w, JsonObject *data, const char *id_member)
{
  guint id = (guint) hs_json_get_int (data, id_member, 0);
  Running *r = g_hash_table_lookup (w->running, GUINT_TO_POINTER (id));

  if (r == NULL)
    {
      r = g_new0 (Running, 1);
      r->id = id;
      r->from_epoch = hs_json_get_int (data, "from_epoch", 0);
      r->to_epoch = hs_json_get_int (data, "to_epoch", r->from_epoch + 1);
      r->epoch = r->from_epoch + 1;
      r->last_val_acc = NAN;
      g_hash_table_insert (w->running, GUINT_TO_POINTER (id), r);
    }
  return r;
}

static void
on_trial_started (Watch *w, JsonObject *t)
{
  Running *r = running_for (w, t, "id");

  if (!w->json && !w->tty)
    watch_print (w, "Trial %u started: config %s, epochs %" G_GINT64_FORMAT "→%"
                 G_GINT64_FORMAT, r->id, hs_json_get_string (t, "config_id"), r->from_epoch,
                 r->to_epoch);
  update_bar (w);
}

static void
on_trial_progress (Watch *w, JsonObject *p, gboolean epoch_done)
{
  Running *r = running_for (w, p, "trial_id");

  r->preparing = g_strcmp0 (hs_json_get_string (p, "phase"), "preparing") == 0;
  r->epoch = hs_json_get_int (p, "epoch", r->epoch);
  r->fraction = CLAMP (hs_json_get_double (p, "fraction"), 0.0, 1.0);
  if (isnan (r->fraction))
    r->fraction = 0;
  if (epoch_done)
    {
      r->last_val_acc = hs_json_get_double (p, "val_acc");
      if (!w->json && !w->tty)
        {
          g_autofree char *acc = format_acc (r->last_val_acc);
          g_autofree char *seconds = format_seconds (hs_json_get_double (p, "seconds"));
          watch_print (w, "Trial %u: epoch %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
                       ", val acc %s, %s", r->id, r->epoch, r->to_epoch, acc, seconds);
        }
    }
  update_bar (w);
}

/* A line per finished trial: trial, config, epochs, val acc, seconds. */
static void
on_trial_finished (Watch *w, JsonObject *t)
{
  guint id = (guint) hs_json_get_int (t, "id", 0);
  g_autofree char *acc = format_acc (hs_json_get_double (t, "val_acc"));
  g_autofree char *seconds = format_seconds (hs_json_get_double (t, "seconds"));
  const char *config_id = hs_json_get_string (t, "config_id");

  g_hash_table_remove (w->running, GUINT_TO_POINTER (id));
  if (!w->json)
    {
      if (g_strcmp0 (hs_json_get_string (t, "state"), "failed") == 0)
        watch_print (w, "Trial %u  %s  epochs %" G_GINT64_FORMAT "→%" G_GINT64_FORMAT
                     "  failed: %s", id, config_id ? config_id : "?",
                     hs_json_get_int (t, "from_epoch", 0), hs_json_get_int (t, "to_epoch", 0),
                     hs_json_get_string (t, "error") ? hs_json_get_string (t, "error") : "?");
      else
        watch_print (w, "Trial %u  %s  epochs %" G_GINT64_FORMAT "→%" G_GINT64_FORMAT
                     "  val acc %s  %s", id, config_id ? config_id : "?",
                     hs_json_get_int (t, "from_epoch", 0), hs_json_get_int (t, "to_epoch", 0),
                     acc, seconds);
    }
  update_bar (w);
}

static void
on_message (SoupWebsocketConnection *connection, gint type, GBytes *message, gpointer data)
{
  Watch *w = data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *text = g_bytes_get_data (message, &len);
  JsonObject *event, *payload;
  const char *event_type;

  if (w->status >= 0 || type != SOUP_WEBSOCKET_DATA_TEXT ||
      !json_parser_load_from_data (parser, text, len, NULL) ||
      json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  event = json_node_get_object (json_parser_get_root (parser));
  if (hs_json_get_int (event, "search_id", 0) != w->id)
    return;  /* another search's, an import's */
  event_type = hs_json_get_string (event, "type");
  payload = hs_json_get_object (event, "data");
  if (event_type == NULL || payload == NULL)
    return;
  if (w->json)
    {
      /* The daemon sends each event as one line of JSON. */
      fwrite (text, 1, len, stdout);
      fputc ('\n', stdout);
      fflush (stdout);
    }
  if (g_str_equal (event_type, "search-state"))
    on_search_state (w, payload);
  else if (g_str_equal (event_type, "trial-started"))
    on_trial_started (w, payload);
  else if (g_str_equal (event_type, "trial-progress"))
    on_trial_progress (w, payload, FALSE);
  else if (g_str_equal (event_type, "trial-epoch"))
    on_trial_progress (w, payload, TRUE);
  else if (g_str_equal (event_type, "trial-finished"))
    on_trial_finished (w, payload);
}

static void
on_ws_error (SoupWebsocketConnection *connection, GError *error, gpointer data)
{
  Watch *w = data;

  if (w->ws_error == NULL)
    w->ws_error = g_strdup (error->message);
}

static void
on_closed (SoupWebsocketConnection *connection, gpointer data)
{
  Watch *w = data;
  const char *reason = soup_websocket_connection_get_close_data (connection);
  gushort code = soup_websocket_connection_get_close_code (connection);
  g_autofree char *why = NULL;

  if (w->status >= 0)
    return;
  hs_cli_progress_clear (w->progress);
  if (reason != NULL && *reason != '\0')
    why = g_strdup (reason);
  else if (w->ws_error != NULL)
    why = g_strdup (w->ws_error);
  else if (code != 0)
    why = g_strdup_printf ("closed with code %u", code);
  else
    why = g_strdup ("the connection closed");
  g_printerr ("search watch: hyperstard went away before search %" G_GINT64_FORMAT
              " ended (%s); it goes on when hyperstard is started again\n", w->id, why);
  watch_quit (w, 1);
}

static gboolean
on_interrupt (gpointer data)
{
  Watch *w = data;

  hs_cli_progress_clear (w->progress);
  if (!w->json)
    g_printerr ("Stopped watching; search %" G_GINT64_FORMAT " goes on\n", w->id);
  watch_quit (w, HS_CLI_EXIT_INTERRUPTED);
  return G_SOURCE_CONTINUE;
}

/* In --json, the search as an event, so every line has the stream's
 * shape: {"id": 0, "time": …, "type": "search-state", "search_id", "data"}. */
static void
print_state_event (JsonNode *search)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "time");
  json_builder_add_int_value (b, g_get_real_time () / 1000);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "search-state");
  json_builder_set_member_name (b, "search_id");
  json_builder_add_int_value (b, hs_json_get_int (json_node_get_object (search), "id", 0));
  json_builder_set_member_name (b, "data");
  json_builder_add_value (b, json_node_copy (search));
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  print_json (node, FALSE);
}

static int
search_watch (int argc, char **argv)
{
  g_auto(CommonOptions) common = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new ("ID — follow a search until it "
                                                            "ends");
  g_autoptr(HsCliClient) client = NULL;
  g_autoptr(JsonNode) search = NULL;
  g_autoptr(SoupWebsocketConnection) connection = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(HsCliProgress) progress = NULL;
  g_autoptr(GHashTable) running = NULL;
  g_autoptr(GError) error = NULL;
  Watch w = { 0 };
  JsonObject *s;
  guint sigint_id, sigterm_id;
  gint64 id;

  g_option_context_set_description (context,
    "Shows a progress bar for the running trial and a line per finished trial (trial, "
    "configuration, epochs, val acc, time); exits 0 when the search is done, 1 when it is "
    "cancelled or failed or hyperstard goes away.  With --json, every event of the search "
    "is printed as one line of JSON (docs/api.md), the first being its state now.");
  add_common_options (context, &common);
  if (!hs_cli_parse_options (context, "search watch", &argc, &argv) ||
      !parse_id_argument ("search watch", argc, argv, &id))
    return HS_CLI_EXIT_USAGE;
  client = hs_cli_client_new (common.socket);
  progress = hs_cli_progress_new (common.json);
  loop = g_main_loop_new (NULL, FALSE);
  running = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  w.id = id;
  w.json = common.json;
  w.tty = isatty (STDERR_FILENO);
  w.client = client;
  w.progress = progress;
  w.loop = loop;
  w.running = running;
  w.shown = -1;
  w.status = -1;

  /* The search first: an id that does not exist, or a search that is over,
   * needs no stream. */
  if ((search = get_search (client, id, &error)) == NULL)
    return fail ("search watch", error);
  if (!state_is_final (hs_json_get_string (json_node_get_object (search), "state")))
    {
      if ((connection = hs_cli_client_connect_events (client, API "/events", NULL,
                                                      &error)) == NULL)
        return fail ("search watch", error);
      /* Read again now that the stream is open: whatever changes from here
       * on comes as an event, so an end between the two reads is not
       * missed. */
      g_clear_pointer (&search, json_node_unref);
      if ((search = get_search (client, id, &error)) == NULL)
        return fail ("search watch", error);
    }
  s = json_node_get_object (search);
  if (w.json)
    print_state_event (search);
  if (maybe_finish (&w, s))
    {
      g_free (w.state);
      return w.status;
    }

  w.state = g_strdup (hs_json_get_string (s, "state"));
  if (!w.json)
    {
      g_autofree char *acc = format_acc (hs_json_get_double (s, "best_val_acc"));
      g_print ("Watching search %" G_GINT64_FORMAT ": %s on %s, %s; %" G_GINT64_FORMAT
               " trials done, %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " epochs spent, "
               "best val acc %s%s\n", id, hs_json_get_string (s, "method"),
               hs_json_get_string (s, "dataset"), w.state, hs_json_get_int (s, "n_done", 0),
               hs_json_get_int (s, "epochs_spent", 0),
               hs_json_get_int (hs_json_get_object (s, "settings"), "budget_epochs", 0), acc,
               w.tty ? " (Ctrl-C stops watching; the search goes on)" : "");
      fflush (stdout);
    }
  g_signal_connect (connection, "message", G_CALLBACK (on_message), &w);
  g_signal_connect (connection, "error", G_CALLBACK (on_ws_error), &w);
  g_signal_connect (connection, "closed", G_CALLBACK (on_closed), &w);
  sigint_id = g_unix_signal_add (SIGINT, on_interrupt, &w);
  sigterm_id = g_unix_signal_add (SIGTERM, on_interrupt, &w);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (connection, &w);
  if (soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_free (w.state);
  g_free (w.ws_error);
  return w.status;
}

int
hs_cli_search (int argc, char **argv)
{
  static const HsCliCommand subcommands[] = {
    { "start", search_start, "Queue a search (--dataset D --space FILE|NAME --method M --budget-epochs B)" },
    { "list", search_list, "The searches: state, trials, best val acc, epochs spent" },
    { "show", search_show, "A search and its best trial (show ID)" },
    { "watch", search_watch, "Follow a search's trials live until it ends (watch ID)" },
    { "pause", search_pause, "Stop a search's trials, keeping their checkpoints (pause ID)" },
    { "resume", search_resume, "Go on with a paused search (resume ID)" },
    { "cancel", search_cancel, "Stop a search for good (cancel ID)" },
    { "export", search_export, "A search's trials as CSV or JSON (export ID [--format F] [--output FILE])" },
  };

  return hs_cli_run_subcommand ("search", subcommands, G_N_ELEMENTS (subcommands),
                                "Searches run in hyperstard (start it with `hyperstard &`); every "
                                "subcommand takes --socket PATH and --json.\n",
                                argc, argv);
}
