/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * /api/v1/datasets: the built-in catalog tasks and the imported datasets in
 * one list; import a folder, IDX pair or CSV (POST, answered when the
 * import ends, with progress on the event stream); delete an import.
 */
#define G_LOG_DOMAIN "hyperstard"

#include "hs-api-json.h"
#include "hs-catalog.h"
#include "hs-dataset-store.h"
#include "hs-import.h"
#include "hs-server-private.h"

/* The details a dataset page shows: the image size and each class's
 * counts per split; per_class is null for a task not built yet.  From the
 * open dataset when the image routes have it, else from the file's header
 * (a few hundred bytes, not the pixels). */
static void
add_details (HsServer *server, JsonObject *o, const char *name, const char *path,
             guint unbuilt_size)
{
  HsDataset *ds = hs_dataset_cache_lookup (server->datasets, name);
  g_autoptr(HsDataset) header = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *per_class;
  gsize n_images;

  if (ds == NULL && path != NULL &&
      (ds = header = hs_dataset_load_header (path, &n_images, &error)) == NULL)
    g_warning ("dataset %s: %s", name, error->message);
  json_object_set_int_member (o, "image_width", ds ? hs_dataset_get_size (ds) : unbuilt_size);
  json_object_set_int_member (o, "image_height", ds ? hs_dataset_get_size (ds) : unbuilt_size);
  if (ds == NULL)
    {
      json_object_set_null_member (o, "per_class");
      return;
    }
  per_class = json_array_new ();
  for (guint c = 0; c < hs_dataset_get_n_classes (ds); c++)
    {
      JsonObject *row = json_object_new ();

      json_object_set_string_member (row, "name", hs_dataset_get_class_name (ds, c));
      json_object_set_int_member (row, "images", hs_dataset_count (ds, c, HS_N_SPLITS));
      json_object_set_int_member (row, "train", hs_dataset_count (ds, c, HS_SPLIT_TRAIN));
      json_object_set_int_member (row, "val", hs_dataset_count (ds, c, HS_SPLIT_VAL));
      json_object_set_int_member (row, "test", hs_dataset_count (ds, c, HS_SPLIT_TEST));
      json_array_add_object_element (per_class, row);
    }
  json_object_set_array_member (o, "per_class", per_class);
}

/* A built-in task: what the recipe says, and its counts once it was built
 * and recorded. */
/* A built task's row, made from its cache file's header the first time it
 * is listed (a search's first trial makes it too). */
static HsStoreDataset *
builtin_row (HsServer *server, HsTaskRecipe *recipe, gboolean built)
{
  HsStoreDataset *row = hs_store_get_dataset (server->store, recipe->name, NULL);
  g_autofree char *path = NULL;
  g_autoptr(HsDataset) ds = NULL;
  gsize n_images = 0;

  if (row != NULL || !built)
    return row;
  path = hs_task_cache_path (recipe);
  if ((ds = hs_dataset_load_header (path, &n_images, NULL)) == NULL)
    return NULL;
  row = g_new0 (HsStoreDataset, 1);
  row->name = g_strdup (recipe->name);
  row->source = g_strdup ("builtin");
  row->family = g_strdup (recipe->family);
  row->n_classes = hs_dataset_get_n_classes (ds);
  row->n_images = n_images;
  row->created = g_get_real_time () / 1000;
  hs_store_put_dataset (server->store, row, NULL);
  return row;
}

static JsonNode *
builtin_to_json (HsServer *server, HsTaskRecipe *recipe, gboolean details)
{
  gboolean built = hs_task_is_built (recipe);
  g_autoptr(HsStoreDataset) row = builtin_row (server, recipe, built);
  JsonNode *node;
  JsonObject *o;

  if (row != NULL)
    node = hs_api_dataset_to_json (row);
  else
    {
      HsStoreDataset empty = { recipe->name, (char *) "builtin", recipe->family, 0, 0, 0 };
      node = hs_api_dataset_to_json (&empty);
      o = json_node_get_object (node);
      json_object_set_null_member (o, "classes");
      json_object_set_null_member (o, "images");
    }
  o = json_node_get_object (node);
  json_object_set_string_member (o, "source", "builtin");
  json_object_set_string_member (o, "family", recipe->family);
  json_object_set_string_member (o, "description", recipe->description);
  json_object_set_boolean_member (o, "built", built);
  if (details)
    {
      g_autofree char *path = built ? hs_task_cache_path (recipe) : NULL;
      gint size = g_key_file_get_integer (recipe->keyfile, "Task", "size", NULL);

      add_details (server, o, recipe->name, path, size > 0 ? size : HS_DATASET_DEFAULT_SIZE);
    }
  return node;
}

/* An imported dataset: the store's row, made from the file's header the
 * first time. */
static JsonNode *
imported_to_json (HsServer *server, const char *name, gboolean details, GError **error)
{
  g_autoptr(HsStoreDataset) row = hs_store_get_dataset (server->store, name, NULL);
  g_autofree char *path = hs_dataset_store_path (name);
  JsonNode *node;

  if (row == NULL)
    {
      gsize n_images = 0;
      g_autoptr(HsDataset) ds = hs_dataset_load_header (path, &n_images, error);

      if (ds == NULL)
        return NULL;
      row = g_new0 (HsStoreDataset, 1);
      row->name = g_strdup (name);
      row->source = g_strdup ("imported");
      row->n_classes = hs_dataset_get_n_classes (ds);
      row->n_images = n_images;
      row->created = g_get_real_time () / 1000;
      hs_store_put_dataset (server->store, row, NULL);
    }
  node = hs_api_dataset_to_json (row);
  if (details)
    add_details (server, json_node_get_object (node), name, path, 0);
  return node;
}

static void
list_datasets (HsRequest *req)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *catalog = hs_catalog_cache_get (req->server->catalog, &error);
  g_auto(GStrv) imported = hs_dataset_store_list (NULL);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "datasets");
  json_builder_begin_array (b);
  for (guint i = 0; catalog != NULL && i < catalog->len; i++)
    json_builder_add_value (b, builtin_to_json (req->server, g_ptr_array_index (catalog, i),
                                                FALSE));
  for (guint i = 0; imported != NULL && imported[i] != NULL; i++)
    {
      g_autoptr(GError) local = NULL;
      JsonNode *node = imported_to_json (req->server, imported[i], FALSE, &local);

      if (node != NULL)
        json_builder_add_value (b, node);
      else
        g_warning ("dataset %s: %s", imported[i], local->message);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "catalog_error");
  if (error != NULL)
    json_builder_add_string_value (b, error->message);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  hs_reply_json (req->msg, SOUP_STATUS_OK, json_builder_get_root (b));
}

gboolean
hs_api_dataset_file (HsRequest *req, const char *name, char **path)
{
  HsTaskRecipe *recipe;

  *path = NULL;
  if (hs_dataset_name_is_valid (name, NULL) && hs_dataset_store_exists (name))
    *path = hs_dataset_store_path (name);
  else if ((recipe = hs_catalog_cache_find (req->server->catalog, name)) == NULL)
    hs_reply_error (req->msg, SOUP_STATUS_NOT_FOUND, "not-found",
                    "no imported dataset or built-in task named “%s”", name);
  else if (!hs_task_is_built (recipe))
    hs_reply_error (req->msg, SOUP_STATUS_CONFLICT, "invalid-state",
                    "the built-in task “%s” is not built yet: it is built when a search first "
                    "uses it", name);
  else
    *path = hs_task_cache_path (recipe);
  return *path != NULL;
}

static void
get_dataset (HsRequest *req, const char *name)
{
  HsTaskRecipe *recipe = hs_catalog_cache_find (req->server->catalog, name);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  if (hs_dataset_name_is_valid (name, NULL) && hs_dataset_store_exists (name))
    {
      if ((node = imported_to_json (req->server, name, TRUE, &error)) == NULL)
        hs_reply_gerror (req->msg, error);
      else
        hs_reply_json (req->msg, SOUP_STATUS_OK, node);
    }
  else if (recipe != NULL)
    hs_reply_json (req->msg, SOUP_STATUS_OK, builtin_to_json (req->server, recipe, TRUE));
  else
    hs_reply_error (req->msg, SOUP_STATUS_NOT_FOUND, "not-found",
                    "no imported dataset or built-in task named “%s”", name);
}

static void
delete_dataset (HsRequest *req, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStoreDataset) row = NULL;

  if (!hs_dataset_name_is_valid (name, NULL) || !hs_dataset_store_exists (name))
    {
      hs_reply_error (req->msg, SOUP_STATUS_NOT_FOUND, "not-found",
                      "no imported dataset named “%s” (built-in tasks cannot be deleted)", name);
      return;
    }
  /* The store refuses while a search that is not over uses it. */
  if ((row = hs_store_get_dataset (req->server->store, name, NULL)) != NULL &&
      !hs_store_delete_dataset (req->server->store, name, &error))
    {
      hs_reply_gerror (req->msg, error);
      return;
    }
  hs_dataset_cache_forget (req->server->datasets, name);
  if (!hs_dataset_store_delete (name, &error))
    {
      hs_reply_gerror (req->msg, error);
      return;
    }
  soup_server_message_set_status (req->msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* ---- import, in a thread ---- */

typedef struct {
  HsServer *server;
  HsDeferred *reply;
  char *name;
  char *path;
  gboolean replace;
  HsDataset *dataset;
  HsImportReport *report;
  gint64 last_sent;
} Import;

static void
import_free (Import *import)
{
  g_free (import->name);
  g_free (import->path);
  g_clear_pointer (&import->dataset, hs_dataset_free);
  g_clear_pointer (&import->report, hs_import_report_free);
  g_clear_pointer (&import->reply, hs_deferred_finish);
  g_free (import);
}

typedef struct {
  HsServer *server;
  char *name;
  guint64 done, total;
} ImportProgress;

static gboolean
send_import_progress (gpointer data)
{
  ImportProgress *p = data;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, p->name);
  json_builder_set_member_name (b, "done");
  json_builder_add_int_value (b, (gint64) p->done);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, (gint64) p->total);
  json_builder_end_object (b);
  hs_events_emit (p->server->events, 0, "import-progress", json_builder_get_root (b), FALSE);
  return G_SOURCE_REMOVE;
}

static void
import_progress_free (gpointer data)
{
  ImportProgress *p = data;
  g_free (p->name);
  g_free (p);
}

static void
on_import_progress (guint64 done, guint64 total, const char *what, gpointer data)
{
  Import *import = data;
  gint64 now = g_get_monotonic_time ();
  ImportProgress *p;

  if (now - import->last_sent < 250 * G_TIME_SPAN_MILLISECOND && done < total)
    return;
  import->last_sent = now;
  p = g_new0 (ImportProgress, 1);
  p->server = import->server;
  p->name = g_strdup (import->name);
  p->done = done;
  p->total = total;
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, send_import_progress, p,
                              import_progress_free);
}

static void
import_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Import *import = data;
  HsImportOptions options;
  GError *error = NULL;

  hs_import_options_init (&options);
  options.progress = on_import_progress;
  options.progress_data = import;
  import->report = hs_import_report_new ();
  if ((import->dataset = hs_import (import->path, import->name, &options, import->report,
                                    cancellable, &error)) == NULL ||
      !hs_dataset_store_save (import->dataset, import->replace, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_import_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Import *import = g_task_get_task_data (G_TASK (result));
  SoupServerMessage *msg = hs_deferred_get_message (import->reply);
  g_autoptr(GError) error = NULL;
  HsServer *server = import->server;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (msg != NULL)
        hs_reply_gerror (msg, error);
    }
  else
    {
      g_autoptr(HsStoreDataset) row = g_new0 (HsStoreDataset, 1);
      g_autofree char *report = hs_import_report_to_json (import->report, import->dataset);
      g_autoptr(GError) store_error = NULL;
      JsonNode *node;

      /* A replaced dataset's pixels are no longer what the server has open. */
      hs_dataset_cache_forget (server->datasets, import->name);
      row->name = g_strdup (import->name);
      row->source = g_strdup ("imported");
      row->n_classes = hs_dataset_get_n_classes (import->dataset);
      row->n_images = hs_dataset_get_n_images (import->dataset);
      row->created = g_get_real_time () / 1000;
      if (!hs_store_put_dataset (server->store, row, &store_error))
        g_warning ("dataset %s: %s", import->name, store_error->message);
      node = hs_api_dataset_to_json (row);
      {
        g_autoptr(JsonParser) parser = json_parser_new ();
        if (json_parser_load_from_data (parser, report, -1, NULL))
          json_object_set_member (json_node_get_object (node), "report",
                                  json_node_copy (json_parser_get_root (parser)));
      }
      hs_events_emit (server->events, 0, "dataset-added", json_node_copy (node), TRUE);
      if (msg != NULL)
        hs_reply_json (msg, SOUP_STATUS_CREATED, node);
      else
        json_node_unref (node);
    }
  g_clear_pointer (&import->reply, hs_deferred_finish);
}

static void
import_dataset (HsRequest *req)
{
  static const char *const allowed[] = { "name", "path", "replace", NULL };
  g_autoptr(JsonObject) body = hs_request_body (req, allowed);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  const char *name, *path;
  JsonNode *replace;
  Import *import;

  if (body == NULL || !hs_body_string (req, body, "name", TRUE, &name) ||
      !hs_body_string (req, body, "path", TRUE, &path))
    return;
  if (!hs_dataset_name_is_valid (name, &error))
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid", "field “name”: %s",
                      error->message);
      return;
    }
  if (!g_path_is_absolute (path) || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                      "field “path”: “%s” is not an absolute path to an existing folder or file",
                      path);
      return;
    }
  replace = json_object_get_member (body, "replace");
  if (replace != NULL && (!JSON_NODE_HOLDS_VALUE (replace) ||
                          json_node_get_value_type (replace) != G_TYPE_BOOLEAN))
    {
      hs_reply_error (req->msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                      "field “replace” must be true or false");
      return;
    }
  import = g_new0 (Import, 1);
  import->server = req->server;
  import->name = g_strdup (name);
  import->path = g_strdup (path);
  import->replace = replace != NULL && json_node_get_boolean (replace);
  import->reply = hs_deferred_new (req->msg);
  task = g_task_new (NULL, NULL, on_import_done, NULL);
  g_task_set_task_data (task, import, (GDestroyNotify) import_free);
  g_task_run_in_thread (task, import_thread);
}

void
hs_route_datasets (HsRequest *req)
{
  gboolean get = g_str_equal (req->method, "GET");

  if (req->n_segments == 1 && get)
    list_datasets (req);
  else if (req->n_segments == 1 && g_str_equal (req->method, "POST"))
    import_dataset (req);
  else if (req->n_segments == 2 && get)
    get_dataset (req, req->segments[1]);
  else if (req->n_segments == 2 && g_str_equal (req->method, "DELETE"))
    delete_dataset (req, req->segments[1]);
  else if (req->n_segments >= 3 && req->n_segments <= 4 && g_str_equal (req->segments[2], "images"))
    hs_route_dataset_images (req);
  else if (req->n_segments <= 2)
    hs_reply_error (req->msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method",
                    "%s is not allowed here (GET, POST /datasets, DELETE /datasets/NAME)",
                    req->method);
  else
    hs_reply_error (req->msg, SOUP_STATUS_NOT_FOUND, "not-found", "no such route");
}
