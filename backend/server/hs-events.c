/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The event stream (see hs-events.h).
 */
#define G_LOG_DOMAIN "hyperstard"

#include "hs-json-text.h"
#include "hs-events.h"

struct _HsEvents
{
  HsStore *store;
  GPtrArray *clients;  /* SoupWebsocketConnection */
};

HsEvents *
hs_events_new (HsStore *store)
{
  HsEvents *events = g_new0 (HsEvents, 1);

  events->store = store;
  events->clients = g_ptr_array_new_with_free_func (g_object_unref);
  return events;
}

static void on_closed (SoupWebsocketConnection *connection, gpointer data);

void
hs_events_close_all (HsEvents *events)
{
  while (events->clients->len > 0)
    {
      SoupWebsocketConnection *connection = g_ptr_array_steal_index (events->clients, 0);

      g_signal_handlers_disconnect_by_func (connection, on_closed, events);
      if (soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
                                         "hyperstard is stopping");
      g_object_unref (connection);
    }
}

void
hs_events_free (HsEvents *events)
{
  if (events == NULL)
    return;
  hs_events_close_all (events);
  g_ptr_array_unref (events->clients);
  g_free (events);
}

static void
on_closed (SoupWebsocketConnection *connection, gpointer data)
{
  HsEvents *events = data;

  g_signal_handlers_disconnect_by_func (connection, on_closed, events);
  g_ptr_array_remove (events->clients, connection);
}

void
hs_events_add_client (HsEvents *events, SoupWebsocketConnection *connection)
{
  g_ptr_array_add (events->clients, g_object_ref (connection));
  g_signal_connect (connection, "closed", G_CALLBACK (on_closed), events);
}

guint
hs_events_get_n_clients (HsEvents *events)
{
  return events->clients->len;
}

static JsonNode *
event_node (gint64 id, gint64 time, gint64 search_id, const char *type, JsonNode *data)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, id);
  json_builder_set_member_name (b, "time");
  json_builder_add_int_value (b, time);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, "search_id");
  json_builder_add_int_value (b, search_id);
  json_builder_set_member_name (b, "data");
  json_builder_add_value (b, data);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
hs_events_stored_to_json (const HsStoreEvent *event)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *data;

  if (event->data != NULL && json_parser_load_from_data (parser, event->data, -1, NULL) &&
      json_parser_get_root (parser) != NULL)
    data = json_node_copy (json_parser_get_root (parser));
  else
    data = json_node_init_object (json_node_alloc (), json_object_new ());
  return event_node (event->id, event->time, event->search_id, event->type, data);
}

void
hs_events_emit (HsEvents *events, gint64 search_id, const char *type, JsonNode *data,
                gboolean keep)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  gint64 id = 0;

  if (keep)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *data_text = hs_json_to_text (data);

      if ((id = hs_store_add_event (events->store, search_id, type, data_text, &error)) <= 0)
        {
          g_warning ("event %s of search %" G_GINT64_FORMAT " not stored: %s", type, search_id,
                     error ? error->message : "unknown error");
          id = 0;
        }
    }
  node = event_node (id, g_get_real_time () / 1000, search_id, type, data);
  if (events->clients->len == 0)
    return;
  text = hs_json_to_text (node);
  for (guint i = 0; i < events->clients->len; i++)
    {
      SoupWebsocketConnection *connection = g_ptr_array_index (events->clients, i);

      if (soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_text (connection, text);
    }
}
