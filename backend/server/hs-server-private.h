/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the route files share: the server, replies, request bodies.
 */
#pragma once

#include <libsoup/soup.h>

#include "hs-dataset-cache.h"
#include "hs-server.h"

G_BEGIN_DECLS

struct _HsServer
{
  SoupServer *soup;
  HsStore *store;
  HsQueue *queue;
  HsEvents *events;
  HsCatalogCache *catalog;   /* borrowed */
  HsDatasetCache *datasets;  /* what the dataset pages and thumbnails opened */
  GHashTable *shipped;       /* names of the spaces shipped in data/spaces */
  uid_t uid;
};

/* A reply that comes later, once a thread's work is done: the message is
 * paused until hs_deferred_finish (). */
typedef struct _HsDeferred HsDeferred;

HsDeferred        *hs_deferred_new (SoupServerMessage *msg);
/* The message to answer, or NULL when the client went away meanwhile. */
SoupServerMessage *hs_deferred_get_message (HsDeferred *deferred);
/* Sends what was set on the message (when the client is still there) and
 * frees deferred. */
void               hs_deferred_finish (HsDeferred *deferred);

/* A route: path segments after /api/v1 ("searches", "3", "pause"). */
typedef struct {
  HsServer *server;
  SoupServerMessage *msg;
  const char *method;
  char **segments;
  guint n_segments;
  GHashTable *query;
} HsRequest;

void      hs_reply_json (SoupServerMessage *msg, guint status, JsonNode *node);  /* takes node */
void      hs_reply_error (SoupServerMessage *msg, guint status, const char *code,
                          const char *format, ...) G_GNUC_PRINTF (4, 5);
/* The status and code that fit a GError from the store, the settings, a
 * search space, a dataset or an import. */
void      hs_reply_gerror (SoupServerMessage *msg, const GError *error);

/* The request body as a JSON object whose members are all in `allowed`
 * (NULL-terminated); otherwise a 400 reply naming what is wrong, and NULL. */
JsonObject *hs_request_body (HsRequest *req, const char *const *allowed);
/* A member of the body of the right type, or a 400 reply and FALSE. */
gboolean  hs_body_string (HsRequest *req, JsonObject *body, const char *name, gboolean required,
                          const char **value);
gboolean  hs_body_int (HsRequest *req, JsonObject *body, const char *name, gint64 min,
                       gint64 max, gint64 *value);
/* A query parameter as a whole number in [0, max] or [min, max] (default
 * when absent), or a 400 reply naming it and FALSE. */
gboolean  hs_query_uint (HsRequest *req, const char *name, guint64 def, guint64 max,
                         guint64 *value);
gboolean  hs_query_uint_range (HsRequest *req, const char *name, guint64 def, guint64 min,
                               guint64 max, guint64 *value);
/* A path segment as an id, or a 404 reply and FALSE. */
gboolean  hs_segment_id (HsRequest *req, guint index, const char *what, gint64 *id);

/* A space by id ("3") or name ("paper-grid"), or a 404 reply and NULL. */
HsStoreSpace *hs_api_find_space (HsRequest *req, const char *key);
/* Adds the spaces shipped in data/spaces to the store when it has none of
 * their names (the paper-like grid is ready from the first start), and
 * remembers their names: shipped spaces are not edited or deleted. */
void          hs_spaces_add_shipped (HsServer *server);

/* The file of an imported dataset or of a built-in task that is built
 * (newly allocated in *path); otherwise a 404 (no such name) or 409 (a task
 * not built yet) reply and FALSE. */
gboolean  hs_api_dataset_file (HsRequest *req, const char *name, char **path);

void hs_route_datasets (HsRequest *req);
/* /datasets/NAME/images and /datasets/NAME/images/INDEX.png */
void hs_route_dataset_images (HsRequest *req);
void hs_route_spaces (HsRequest *req);
void hs_route_searches (HsRequest *req);

G_END_DECLS
