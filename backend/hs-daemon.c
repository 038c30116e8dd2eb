/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hyperstard: the workbench's long-lived backend.  It owns the store and
 * the search queue, runs trials in the background and serves the API on a
 * Unix socket (docs/api.md).
 *
 *   hyperstard [--socket PATH] [--db PATH] [--workers N]
 *
 * One instance per socket: it refuses to start when another answers there,
 * and removes a socket a crashed one left behind.  SIGTERM / SIGINT stop it
 * cleanly: running trials stop (their checkpoints keep every finished
 * epoch) and go back to pending; the next start continues them.
 */
#define G_LOG_DOMAIN "hyperstard"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <sys/stat.h>

#include "hs-backbone.h"
#include "hs-dataset-store.h"
#include "hs-server.h"
#include "hs-socket-path.h"

typedef struct {
  GMainLoop *loop;
  HsQueue *queue;
  gboolean stopping;
} Daemon;

static gboolean
on_stopped (gpointer data)
{
  Daemon *d = data;

  g_main_loop_quit (d->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_signal (gpointer data)
{
  Daemon *d = data;

  if (d->stopping)
    return G_SOURCE_CONTINUE;
  d->stopping = TRUE;
  g_printerr ("hyperstard: stopping (running trials keep their checkpoints)\n");
  hs_queue_shutdown (d->queue, on_stopped, d);
  return G_SOURCE_CONTINUE;
}

/* Binds and listens on path: a live daemon there is an error; a socket
 * nobody answers on is a leftover, removed. */
static GSocket *
listen_on (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (path);
  g_autoptr(GSocket) socket = NULL;

  /* A folder made here is the daemon's own (0700, whatever the umask);
   * one given with --socket is left as it is. */
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR) &&
      (g_mkdir_with_parents (dir, 0700) != 0 || g_chmod (dir, 0700) != 0))
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot create the socket folder %s: %s", dir, g_strerror (saved));
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection =
        g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, NULL);

      if (connection != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                       "another hyperstard answers on %s (stop it first, or use --socket)",
                       path);
          return NULL;
        }
      g_unlink (path);
    }
  if ((socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                              G_SOCKET_PROTOCOL_DEFAULT, error)) == NULL ||
      !g_socket_bind (socket, address, TRUE, error))
    return NULL;
  if (g_chmod (path, 0600) != 0 || !g_socket_listen (socket, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot restrict %s to its owner",
                     path);
      g_unlink (path);
      return NULL;
    }
  return g_steal_pointer (&socket);
}

int
main (int argc, char **argv)
{
  g_autofree char *socket_path = NULL, *db_path = NULL, *weights_path = NULL;
  g_autofree char *checkpoint_dir = NULL, *db_dir = NULL;
  gboolean from_scratch = FALSE, version = FALSE;
  gint workers = 1;
  GOptionEntry entries[] = {
    { "socket", 's', 0, G_OPTION_ARG_FILENAME, &socket_path, "Listen here (default: $HS_SOCKET, else $XDG_RUNTIME_DIR/hyperstar/hyperstard.sock)", "PATH" },
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db_path, "The store (default: $HS_DB, else the data folder's hyperstard.db)", "PATH" },
    { "workers", 'w', 0, G_OPTION_ARG_INT, &workers, "Trials run at once (default 1: one trial uses every CPU core)", "N" },
    { "weights", 0, 0, G_OPTION_ARG_FILENAME, &weights_path, "Backbone weights trials start from (default: the shipped ones)", "FILE" },
    { "from-scratch", 0, 0, G_OPTION_ARG_NONE, &from_scratch, "Trials start from random weights", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the HyperSTAR Workbench daemon");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsDevice) device = NULL;
  g_autoptr(HsWeights) weights = NULL;
  g_autoptr(HsCatalogCache) catalog = NULL;
  g_autoptr(HsTrialRunner) runner = NULL;
  g_autoptr(HsEvents) events = NULL;
  g_autoptr(HsQueue) queue = NULL;
  g_autoptr(HsServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Daemon daemon = { 0 };

  setlocale (LC_ALL, "");
  /* Trials use every core through OpenMP; waiting threads that spin starve
   * whatever else runs (a window, an import): they sleep instead.  On a
   * 2-core machine a spinning team ran 30× slower beside one busy process;
   * a passive one lost 6 % (BENCHMARKS.md). */
  g_setenv ("OMP_WAIT_POLICY", "passive", FALSE);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("hyperstard: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      printf ("hyperstard %s\n", HS_VERSION);
      return 0;
    }
  if (workers < 1 || workers > 64)
    {
      g_printerr ("hyperstard: --workers must be from 1 to 64 (got %d)\n", workers);
      return 2;
    }
  if (socket_path == NULL)
    socket_path = hs_socket_default_path ();
  if (db_path == NULL && g_getenv ("HS_DB") != NULL)
    db_path = g_strdup (g_getenv ("HS_DB"));
  if (db_path == NULL)
    {
      g_autofree char *data = hs_data_dir ();
      db_path = g_build_filename (data, "hyperstard.db", NULL);
    }
  db_dir = g_path_get_dirname (db_path);
  checkpoint_dir = g_build_filename (db_dir, "hyperstard-checkpoints", NULL);
  if (!from_scratch && weights_path == NULL)
    weights_path = hs_backbone_shipped_weights ();

  if ((store = hs_store_open (db_path, &error)) == NULL ||
      (device = hs_device_new (NULL, &error)) == NULL ||
      (weights_path != NULL && !from_scratch &&
       (weights = hs_weights_load (weights_path, HS_BACKBONE_ARCH, &error)) == NULL) ||
      (socket = listen_on (socket_path, &error)) == NULL)
    {
      g_printerr ("hyperstard: %s\n", error->message);
      return 1;
    }
  catalog = hs_catalog_cache_new (NULL);
  runner = hs_trial_runner_new (device, weights, catalog);
  events = hs_events_new (store);
  queue = hs_queue_new (store, runner, events, catalog, checkpoint_dir, (guint) workers);
  if ((server = hs_server_new (store, queue, events, catalog, socket, &error)) == NULL ||
      !hs_queue_start (queue, &error))
    {
      g_printerr ("hyperstard: %s\n", error->message);
      g_unlink (socket_path);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  daemon.loop = loop;
  daemon.queue = queue;
  g_unix_signal_add (SIGTERM, on_signal, &daemon);
  g_unix_signal_add (SIGINT, on_signal, &daemon);
  printf ("hyperstard %s: listening on %s\n  store %s\n  device %s, %d worker%s, weights %s\n",
          HS_VERSION, socket_path, db_path, hs_device_get_name (device), workers,
          workers == 1 ? "" : "s", weights != NULL ? weights_path : "none (from scratch)");
  fflush (stdout);
  g_main_loop_run (loop);

  hs_events_close_all (events);
  g_clear_pointer (&server, hs_server_free);
  g_unlink (socket_path);
  return 0;
}
