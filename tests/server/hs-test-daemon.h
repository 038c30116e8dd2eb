/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real hyperstard ($HS_DAEMON) for the server tests: spawned on a socket
 * in a temporary folder with its own store, data and cache folders and a
 * catalog holding two small Hershey tasks ("tiny", 3 classes, and
 * "small", 10), and a client
 * that talks to it over the socket with libsoup.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct {
  char *dir;           /* the temporary folder */
  char *socket_path;
  char *db_path;
  GSubprocess *process;
  SoupSession *session;
} HsTestDaemon;

/* FALSE (the caller skips) when $HS_DAEMON is not set or the Hershey fonts
 * are missing. */
gboolean      hs_test_daemon_available (void);
/* A new folder, and the daemon started in it (waits until it answers). */
HsTestDaemon *hs_test_daemon_new (void);
/* Starts (again) on the same folder, store and socket. */
void          hs_test_daemon_start (HsTestDaemon *d);
/* SIGKILL, and waits for it to die (the socket file stays behind). */
void          hs_test_daemon_kill (HsTestDaemon *d);
/* SIGTERM, and waits: returns the exit status. */
int           hs_test_daemon_stop (HsTestDaemon *d);
/* Stops it if running and removes the folder (unless HS_TEST_KEEP). */
void          hs_test_daemon_free (HsTestDaemon *d);

/* One request; body may be NULL.  Returns the parsed JSON reply (NULL for
 * an empty body) and sets *status. */
JsonNode     *hs_test_daemon_request (HsTestDaemon *d, const char *method, const char *path,
                                      const char *body, guint *status);
/* The same, raw bytes in and out (for malformed requests and CSV). */
GBytes       *hs_test_daemon_request_raw (HsTestDaemon *d, const char *method, const char *path,
                                          const char *content_type, GBytes *body, guint *status);

/* Polls GET /searches/ID every 100 ms until its state is one of the
 * "|"-separated states (e.g. "done|failed"), at most timeout_s; returns the
 * search object (asserting it got there). */
JsonNode     *hs_test_daemon_wait_search (HsTestDaemon *d, gint64 id, const char *states,
                                          guint timeout_s);

/* Starts a search on the tiny task ("tiny": 3 classes; "small" has 10)
 * over the head-only "test-grid" and returns its id. */
gint64        hs_test_daemon_start_search (HsTestDaemon *d, const char *method,
                                           const char *settings_json);
/* The same on a dataset and a space: "test-grid" or "crash-grid" (three
 * configurations training the whole network), made when missing. */
gint64        hs_test_daemon_start_search_on (HsTestDaemon *d, const char *dataset,
                                              const char *space_name, const char *method,
                                              const char *settings_json);

/* An error reply: asserts the status, a JSON {"error", "message"} body, and
 * (unless needle is NULL) that the message mentions needle. */
void          hs_test_daemon_assert_error (HsTestDaemon *d, const char *method, const char *path,
                                           const char *body, guint want_status,
                                           const char *needle);

/* Member access on a JSON object node. */
gint64        hs_json_int (JsonNode *node, const char *member);
const char   *hs_json_string (JsonNode *node, const char *member);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTestDaemon, hs_test_daemon_free)

G_END_DECLS
