/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the route files share: the server, replies, request bodies.
 */
#pragma once

#include <libsoup/soup.h>

#include "hs-server.h"

G_BEGIN_DECLS

struct _HsServer
{
  SoupServer *soup;
  HsStore *store;
  HsQueue *queue;
  HsEvents *events;
  uid_t uid;
};

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
/* A query parameter as a whole number in [min, max] (default when absent),
 * or a 400 reply and FALSE. */
gboolean  hs_query_uint (HsRequest *req, const char *name, guint64 def, guint64 max,
                         guint64 *value);
/* A path segment as an id, or a 404 reply and FALSE. */
gboolean  hs_segment_id (HsRequest *req, guint index, const char *what, gint64 *id);

/* A space by id ("3") or name ("paper-grid"), or a 404 reply and NULL. */
HsStoreSpace *hs_api_find_space (HsRequest *req, const char *key);

void hs_route_datasets (HsRequest *req);
void hs_route_spaces (HsRequest *req);
void hs_route_searches (HsRequest *req);

G_END_DECLS
