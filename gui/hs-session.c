/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsSession: see hs-session.h.
 */
#define G_LOG_DOMAIN "hs-session"

#include <glib/gi18n.h>
#include <math.h>

#include "hs-session.h"

struct _HsSession
{
  GObject parent_instance;

  HsClient *client;
  GCancellable *cancellable;
  GListStore *searches;
  GListStore *datasets;
  GListStore *spaces;
  GListStore *trials;
  guint pending;
  char *offline_reason;
};

G_DEFINE_FINAL_TYPE (HsSession, hs_session, G_TYPE_OBJECT)

enum { PROP_0, PROP_OFFLINE_REASON, N_PROPS };
enum { SIGNAL_MESSAGE, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

gboolean
hs_search_state_is_final (const char *state)
{
  return state != NULL && (g_str_equal (state, "done") || g_str_equal (state, "cancelled") ||
                           g_str_equal (state, "failed"));
}

static void
set_offline_reason (HsSession *self, const char *reason)
{
  if (g_strcmp0 (reason, self->offline_reason) == 0)
    return;
  g_free (self->offline_reason);
  self->offline_reason = g_strdup (reason);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE_REASON]);
}

void
hs_session_message (HsSession *self, const char *text)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text);
}

gboolean
hs_session_check (HsSession *self, JsonNode *reply, const GError *error)
{
  if (error != NULL)
    {
      if (g_error_matches (error, HS_CLIENT_ERROR, HS_CLIENT_ERROR_NOT_RUNNING))
        set_offline_reason (self, error->message);
      else
        hs_session_message (self, error->message);
      return FALSE;
    }
  set_offline_reason (self, NULL);
  return reply != NULL && JSON_NODE_HOLDS_OBJECT (reply);
}

/* Requests */

typedef struct {
  HsSession *self;
  gpointer owner;
  HsReplyFunc func;
  gpointer data;
  GDestroyNotify destroy;
  gboolean bytes;
} Call;

static void
call_free (Call *c)
{
  if (c->destroy != NULL)
    c->destroy (c->data);
  g_object_unref (c->owner);
  g_object_unref (c->self);
  g_free (c);
}

static void
call_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Call *c = data;
  g_autoptr(GError) error = NULL;
  gpointer reply = c->bytes
                   ? (gpointer) hs_client_request_bytes_finish (HS_CLIENT (source), result, &error)
                   : (gpointer) hs_client_request_finish (HS_CLIENT (source), result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      c->self->pending--;
      c->func (c->owner, reply, error, c->data);
    }
  if (reply != NULL)
    c->bytes ? g_bytes_unref (reply) : json_node_unref (reply);
  call_free (c);
}

static Call *
call_new (HsSession *self, gpointer owner, HsReplyFunc func, gpointer data,
          GDestroyNotify destroy, gboolean bytes)
{
  Call *c = g_new0 (Call, 1);

  c->self = g_object_ref (self);
  c->owner = g_object_ref (owner);
  c->func = func;
  c->data = data;
  c->destroy = destroy;
  c->bytes = bytes;
  self->pending++;
  return c;
}

void
hs_session_call (HsSession *self, const char *method, const char *path, JsonNode *body,
                 gpointer owner, HsReplyFunc func, gpointer data, GDestroyNotify destroy)
{
  Call *c = call_new (self, owner, func, data, destroy, FALSE);

  hs_client_request_async (self->client, method, path, body, self->cancellable, call_done_cb, c);
}

void
hs_session_call_bytes (HsSession *self, const char *path, gpointer owner, HsReplyFunc func,
                       gpointer data, GDestroyNotify destroy)
{
  Call *c = call_new (self, owner, func, data, destroy, TRUE);

  hs_client_request_bytes_async (self->client, path, self->cancellable, call_done_cb, c);
}

/* The lists */

static char *
item_key (JsonObject *o, const char *key_member)
{
  if (g_str_equal (key_member, "id"))
    return g_strdup_printf ("%" G_GINT64_FORMAT, hs_json_get_int (o, "id", 0));
  return g_strdup (hs_json_get_string (o, key_member));
}

static void
replace_store (GListStore *store, JsonArray *array, const char *key_member)
{
  guint n = array ? json_array_get_length (array) : 0;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      g_autofree char *key = NULL;

      if (o == NULL)
        continue;
      key = item_key (o, key_member);
      g_ptr_array_add (items, hs_item_new (key, o));
    }
  g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                       items->pdata, items->len);
}

static void
upsert (GListStore *store, const char *key, JsonObject *object, gboolean prepend)
{
  guint position;

  if (hs_item_store_find (store, key, &position))
    {
      g_autoptr(HsItem) item = g_list_model_get_item (G_LIST_MODEL (store), position);

      hs_item_update (item, object);
    }
  else
    {
      g_autoptr(HsItem) item = hs_item_new (key, object);

      if (prepend)
        g_list_store_insert (store, 0, item);
      else
        g_list_store_append (store, item);
    }
}

static void
update_search (HsSession *self, JsonObject *search)
{
  g_autofree char *key = item_key (search, "id");

  upsert (self->searches, key, search, TRUE);
}

HsItem *
hs_session_find_search (HsSession *self, gint64 id)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  guint position;

  if (!hs_item_store_find (self->searches, key, &position))
    return NULL;
  return g_list_model_get_item (G_LIST_MODEL (self->searches), position);
}

static void
list_loaded (gpointer owner, JsonNode *reply, const GError *error, gpointer data)
{
  HsSession *self = owner;
  const char *member = data;
  GListStore *store = g_str_equal (member, "searches") ? self->searches
                      : g_str_equal (member, "datasets") ? self->datasets : self->spaces;
  const char *catalog_error;

  if (!hs_session_check (self, reply, error))
    return;
  replace_store (store, hs_json_get_array (json_node_get_object (reply), member),
                 store == self->datasets ? "name" : "id");
  if (store == self->datasets &&
      (catalog_error = hs_json_get_string (json_node_get_object (reply), "catalog_error")))
    hs_session_message (self, catalog_error);
}

void
hs_session_reload_datasets (HsSession *self)
{
  hs_session_call (self, "GET", "/datasets", NULL, self, list_loaded, "datasets", NULL);
}

void
hs_session_reload_spaces (HsSession *self)
{
  hs_session_call (self, "GET", "/spaces", NULL, self, list_loaded, "spaces", NULL);
}

void
hs_session_reload (HsSession *self)
{
  hs_session_call (self, "GET", "/searches?limit=1000", NULL, self, list_loaded, "searches",
                   NULL);
  hs_session_reload_datasets (self);
  hs_session_reload_spaces (self);
}

/* Events */

static const char *
search_state (HsSession *self, gint64 id)
{
  g_autoptr(HsItem) item = hs_session_find_search (self, id);
  const char *state = item ? hs_json_get_string (hs_item_get_object (item), "state") : NULL;

  return state ? g_intern_string (state) : NULL;
}

void
hs_session_update_search_reply (HsSession *self, JsonObject *search, const char *state_when_asked)
{
  if (search_state (self, hs_json_get_int (search, "id", 0)) == g_intern_string (state_when_asked))
    update_search (self, search);
}

typedef struct {
  gint64 id;
  const char *state;           /* interned, when the request was made */
} SearchCall;

static void
search_replied (gpointer owner, JsonNode *reply, const GError *error, gpointer data)
{
  HsSession *self = owner;
  SearchCall *sc = data;

  if (hs_session_check (self, reply, error))
    hs_session_update_search_reply (self, json_node_get_object (reply), sc->state);
}

void
hs_session_call_search (HsSession *self, const char *method, const char *path, gint64 search_id)
{
  SearchCall *sc = g_new0 (SearchCall, 1);

  sc->id = search_id;
  sc->state = search_state (self, search_id);
  hs_session_call (self, method, path, NULL, self, search_replied, sc, g_free);
}

static void
remove_trials_of (HsSession *self, gint64 search_id)
{
  g_autofree char *prefix = g_strdup_printf ("%" G_GINT64_FORMAT ":", search_id);

  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->trials)); i-- > 0;)
    {
      g_autoptr(HsItem) item = g_list_model_get_item (G_LIST_MODEL (self->trials), i);

      if (g_str_has_prefix (hs_item_get_key (item), prefix))
        g_list_store_remove (self->trials, i);
    }
}

static void
search_state_event (HsSession *self, gint64 search_id, JsonObject *data)
{
  const char *state = hs_json_get_string (data, "state");
  g_autoptr(HsItem) item = hs_session_find_search (self, search_id);
  const char *before = item ? hs_json_get_string (hs_item_get_object (item), "state") : NULL;
  gboolean was_final = hs_search_state_is_final (before);
  double best;
  g_autofree char *text = NULL;

  update_search (self, data);
  if (!hs_search_state_is_final (state))
    return;
  remove_trials_of (self, search_id);
  if (was_final)
    return;
  best = hs_json_get_double (data, "best_val_acc");
  if (g_str_equal (state, "done"))
    text = isnan (best)
           ? g_strdup_printf (_("Search %lld finished"), (long long) search_id)
           : g_strdup_printf (_("Search %lld finished: best %.1f %%"),
                              (long long) search_id, 100 * best);
  else if (g_str_equal (state, "cancelled"))
    text = g_strdup_printf (_("Search %lld cancelled"), (long long) search_id);
  else
    text = g_strdup_printf (_("Search %lld failed: %s"), (long long) search_id,
                            hs_json_get_string (data, "error") ? hs_json_get_string (data, "error")
                                                               : _("no reason given"));
  hs_session_message (self, text);
}

static void
event_cb (HsClient *client, const char *type, gint64 search_id, JsonObject *data,
          HsSession *self)
{
  if (g_str_equal (type, "search-state"))
    search_state_event (self, search_id, data);
  else if (g_str_equal (type, "trial-started") || g_str_equal (type, "trial-progress") ||
           g_str_equal (type, "trial-epoch"))
    {
      gint64 trial = hs_json_get_int (data, g_str_equal (type, "trial-started") ? "id" : "trial_id", 0);
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                              search_id, trial);
      json_object_set_int_member (data, "search_id", search_id);
      json_object_set_int_member (data, "trial_id", trial);
      upsert (self->trials, key, data, FALSE);
    }
  else if (g_str_equal (type, "trial-finished"))
    {
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                              search_id, hs_json_get_int (data, "id", 0));
      g_autofree char *path = g_strdup_printf ("/searches/%" G_GINT64_FORMAT, search_id);
      guint position;

      if (hs_item_store_find (self->trials, key, &position))
        g_list_store_remove (self->trials, position);
      /* Counts and the best accuracy change without a search-state event. */
      hs_session_call_search (self, "GET", path, search_id);
    }
  else if (g_str_equal (type, "dataset-added"))
    hs_session_reload_datasets (self);
}

/* GObject */

HsSession *
hs_session_new (HsClient *client)
{
  HsSession *self = g_object_new (HS_TYPE_SESSION, NULL);

  self->client = g_object_ref (client);
  g_signal_connect_object (client, "event", G_CALLBACK (event_cb), self, 0);
  hs_client_watch_events (client);
  return self;
}

HsClient *hs_session_get_client (HsSession *self) { return self->client; }
GListModel *hs_session_get_searches (HsSession *self) { return G_LIST_MODEL (self->searches); }
GListModel *hs_session_get_datasets (HsSession *self) { return G_LIST_MODEL (self->datasets); }
GListModel *hs_session_get_spaces (HsSession *self) { return G_LIST_MODEL (self->spaces); }
GListModel *hs_session_get_trials (HsSession *self) { return G_LIST_MODEL (self->trials); }
guint hs_session_get_pending (HsSession *self) { return self->pending; }
const char *hs_session_get_offline_reason (HsSession *self) { return self->offline_reason; }

static void
hs_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  HsSession *self = HS_SESSION (object);

  switch (prop_id)
    {
    case PROP_OFFLINE_REASON:
      g_value_set_string (value, self->offline_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_session_dispose (GObject *object)
{
  HsSession *self = HS_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (hs_session_parent_class)->dispose (object);
}

static void
hs_session_finalize (GObject *object)
{
  HsSession *self = HS_SESSION (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->searches);
  g_clear_object (&self->datasets);
  g_clear_object (&self->spaces);
  g_clear_object (&self->trials);
  g_free (self->offline_reason);
  G_OBJECT_CLASS (hs_session_parent_class)->finalize (object);
}

static void
hs_session_class_init (HsSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hs_session_get_property;
  object_class->dispose = hs_session_dispose;
  object_class->finalize = hs_session_finalize;

  properties[PROP_OFFLINE_REASON] =
    g_param_spec_string ("offline-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
hs_session_init (HsSession *self)
{
  self->cancellable = g_cancellable_new ();
  self->searches = g_list_store_new (HS_TYPE_ITEM);
  self->datasets = g_list_store_new (HS_TYPE_ITEM);
  self->spaces = g_list_store_new (HS_TYPE_ITEM);
  self->trials = g_list_store_new (HS_TYPE_ITEM);
}
