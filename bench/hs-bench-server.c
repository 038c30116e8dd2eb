/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hyperstard under load, as BENCHMARKS.md reports it:
 *
 *   hs-bench-server HYPERSTARD [--trials 10000] [--requests 2000] [--clients 4]
 *                              [--events 2000]
 *
 * 1. A store with one finished search of N trials (each with the same
 *    27-epoch curve), written through the store API into a temporary
 *    folder (hs-bench-common.h).
 * 2. hyperstard started on it; GET /searches/ID and GET /searches/ID/trials
 *    (a page of 100 from the middle) timed over many requests on one
 *    keep-alive connection: p50, p99, max.
 * 3. The daemon's resident memory (VmRSS, VmHWM) after those requests.
 * 4. Event delivery, in this process: the daemon's event stream (HsEvents:
 *    each event appended to the store, then sent) to C WebSocket clients
 *    over a Unix socket; events per second received by all clients
 *    together (a trial sends one per epoch and a few per second within
 *    one, so this is the ceiling, not the usual load).
 */
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>

#include "hs-bench-common.h"
#include "hs-events.h"
#include "hs-store.h"

static gdouble
timed_get (SoupSession *session, const char *uri)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);

  if (body == NULL || soup_message_get_status (msg) != 200)
    g_error ("GET %s: %s", uri, error ? error->message : soup_message_get_reason_phrase (msg));
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
report_latency (const char *what, GArray *ms)
{
  hs_bench_sort (ms);
  printf ("%-44s p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms  (%u requests)\n", what,
          hs_bench_percentile (ms, 0.5), hs_bench_percentile (ms, 0.99),
          g_array_index (ms, gdouble, ms->len - 1), ms->len);
}

typedef struct {
  guint received;
  GMainLoop *loop;
  guint pending;          /* connections still opening */
  GPtrArray *connections;
} Clients;

static void
on_message (SoupWebsocketConnection *c, gint type, GBytes *message, gpointer data)
{
  ((Clients *) data)->received++;
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  Clients *clients = data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *c = soup_session_websocket_connect_finish (SOUP_SESSION (source),
                                                                       result, &error);
  if (c == NULL)
    g_error ("WebSocket: %s", error->message);
  g_signal_connect (c, "message", G_CALLBACK (on_message), clients);
  g_ptr_array_add (clients->connections, c);
  if (--clients->pending == 0)
    g_main_loop_quit (clients->loop);
}

static void
on_ws (SoupServer *server, SoupServerMessage *msg, const char *path,
       SoupWebsocketConnection *connection, gpointer data)
{
  hs_events_add_client (data, connection);
}

static gboolean
quit_when (gpointer data)
{
  Clients *clients = data;

  if (clients->received >= clients->pending)
    {
      g_main_loop_quit (clients->loop);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
bench_events (const char *db, guint n_clients, guint n_events)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (db, &error);
  g_autoptr(HsEvents) events = NULL;
  g_autofree char *sock = g_strconcat (db, ".events.sock", NULL);
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (sock);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(SoupSession) session = NULL;
  Clients clients = { 0 };
  gint64 start;
  gdouble seconds;

  if (store == NULL)
    g_error ("%s", error->message);
  events = hs_events_new (store);
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                         &error);
  if (socket == NULL || !g_socket_bind (socket, address, TRUE, &error) ||
      !g_socket_listen (socket, &error) ||
      !soup_server_listen_socket (server, socket, 0, &error))
    g_error ("%s", error->message);
  soup_server_add_websocket_handler (server, "/api/v1/events", NULL, NULL, on_ws, events, NULL);
  session = soup_session_new_with_options ("remote-connectable", address, NULL);

  clients.loop = g_main_loop_new (NULL, FALSE);
  clients.connections = g_ptr_array_new_with_free_func (g_object_unref);
  clients.pending = n_clients;
  for (guint i = 0; i < n_clients; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", "ws://localhost/api/v1/events");
      soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                            on_connected, &clients);
    }
  g_main_loop_run (clients.loop);
  /* The server side adds its client on the same loop: let it. */
  while (hs_events_get_n_clients (events) < n_clients)
    g_main_context_iteration (NULL, TRUE);

  for (guint kept = 0; kept < 2; kept++)
    {
      clients.received = 0;
      clients.pending = n_events * n_clients;
      start = g_get_monotonic_time ();
      for (guint i = 0; i < n_events; i++)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "trial_id");
          json_builder_add_int_value (b, i);
          json_builder_set_member_name (b, "epoch");
          json_builder_add_int_value (b, 1 + i % 27);
          json_builder_set_member_name (b, "val_acc");
          json_builder_add_double_value (b, 0.5 + i * 1e-5);
          json_builder_set_member_name (b, "fraction");
          json_builder_add_double_value (b, 1.0);
          json_builder_end_object (b);
          hs_events_emit (events, 1, kept ? "trial-epoch" : "trial-progress",
                          json_builder_get_root (b), kept);
          /* Let the sockets drain as a daemon's loop would between events. */
          while (g_main_context_iteration (NULL, FALSE))
            ;
        }
      g_timeout_add (1, quit_when, &clients);
      g_main_loop_run (clients.loop);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      printf ("events to %u WebSocket clients (%s): %u sent in %.2f s, %.0f events/s sent, "
              "%.0f deliveries/s\n", n_clients,
              kept ? "stored, like trial-epoch" : "not stored, like trial-progress", n_events,
              seconds, n_events / seconds, clients.received / seconds);
    }
  g_ptr_array_unref (clients.connections);
  g_main_loop_unref (clients.loop);
  soup_server_disconnect (server);
  g_unlink (sock);
}

int
main (int argc, char **argv)
{
  gint n_trials = 10000, n_requests = 2000, n_clients = 4, n_events = 2000;
  GOptionEntry entries[] = {
    { "trials", 0, 0, G_OPTION_ARG_INT, &n_trials, "Trials in the stored search", "N" },
    { "requests", 0, 0, G_OPTION_ARG_INT, &n_requests, "Timed requests per route", "N" },
    { "clients", 0, 0, G_OPTION_ARG_INT, &n_clients, "WebSocket clients", "N" },
    { "events", 0, 0, G_OPTION_ARG_INT, &n_events, "State changes to broadcast", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("HYPERSTARD — time the daemon's API");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *db = NULL, *sock = NULL, *search_uri = NULL, *page_uri = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  gint64 id, start;
  guint64 rss_kb, hwm_kb;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("%s\n", error ? error->message : "usage: hs-bench-server HYPERSTARD");
      return 2;
    }
  dir = g_dir_make_tmp ("hs-bench-server-XXXXXX", &error);
  db = g_build_filename (dir, "hyperstard.db", NULL);
  sock = g_build_filename (dir, "hyperstard.sock", NULL);
  start = g_get_monotonic_time ();
  id = hs_bench_fill_store (db, (guint) n_trials, FALSE);
  printf ("store: %d trials written in %.1f s (one transaction each)\n", n_trials,
          (g_get_monotonic_time () - start) / 1e6);

  daemon = hs_bench_start_daemon (argv[1], db, sock);
  address = g_unix_socket_address_new (sock);
  session = soup_session_new_with_options ("remote-connectable", address, NULL);

  search_uri = g_strdup_printf ("http://localhost/api/v1/searches/%" G_GINT64_FORMAT, id);
  page_uri = g_strdup_printf ("http://localhost/api/v1/searches/%" G_GINT64_FORMAT
                              "/trials?offset=%d&limit=100", id, n_trials / 2);
  timed_get (session, search_uri);  /* warm the connection and the page cache */
  for (gint i = 0; i < n_requests; i++)
    {
      gdouble t = timed_get (session, "http://localhost/api/v1/health");
      g_array_append_val (ms, t);
    }
  report_latency ("GET /health (no store access: the floor)", ms);
  g_array_set_size (ms, 0);
  for (gint i = 0; i < n_requests; i++)
    {
      gdouble t = timed_get (session, search_uri);
      g_array_append_val (ms, t);
    }
  report_latency ("GET /searches/ID (10,000 trials summed)", ms);
  g_array_set_size (ms, 0);
  for (gint i = 0; i < n_requests; i++)
    {
      gdouble t = timed_get (session, page_uri);
      g_array_append_val (ms, t);
    }
  report_latency ("GET /searches/ID/trials (100 from the middle)", ms);

  hs_bench_memory (g_ascii_strtoll (g_subprocess_get_identifier (daemon), NULL, 10), &rss_kb,
                   &hwm_kb);
  printf ("daemon memory: VmRSS %.1f MiB, VmHWM %.1f MiB\n", rss_kb / 1024.0, hwm_kb / 1024.0);
  g_subprocess_send_signal (daemon, SIGTERM);
  g_subprocess_wait (daemon, NULL, NULL);

  bench_events (db, (guint) n_clients, (guint) n_events);
  return 0;
}
