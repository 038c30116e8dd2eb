/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the window tests share: one real hyperstard on a temporary socket
 * (tests/server/hs-test-daemon.h), windows over it, waiting on the main
 * loop, and finding widgets.
 */
#pragma once

#include <adwaita.h>

#include "hs-item.h"
#include "hs-test-daemon.h"
#include "hs-window-private.h"

G_BEGIN_DECLS

/* The daemon hs_test_gui_init started. */
extern HsTestDaemon *hs_test_gui_daemon;

/* Runs the main loop until cond holds; a 120 s guard fails the test
 * instead of hanging it (it asserts behaviour, not speed). */
#define HS_WAIT_FOR(cond)                                                    \
  G_STMT_START {                                                             \
    gint64 deadline_ = g_get_monotonic_time () + 120 * G_TIME_SPAN_SECOND;   \
    while (!(cond))                                                          \
      {                                                                      \
        g_assert_cmpint (g_get_monotonic_time (), <, deadline_);             \
        g_main_context_iteration (NULL, FALSE);                              \
        g_usleep (2000);                                                     \
      }                                                                      \
  } G_STMT_END

/* g_test_init, GTK and libadwaita, and the daemon.  FALSE when there is
 * no display or no daemon: then each of paths is registered as skipped
 * with the reason, and the caller just returns g_test_run (). */
gboolean  hs_test_gui_init       (int *argc, char ***argv, const char *const *paths);
/* g_test_run, then the daemon stopped and its folder removed. */
int       hs_test_gui_run        (void);

/* A window over the test daemon (never starts one of its own), shown, its
 * first loads answered. */
HsWindow *hs_test_gui_new_window (void);
/* The item with this key in a list of HsItem, or NULL (transfer full). */
HsItem   *hs_test_gui_find       (GListModel *model, const char *key);
/* The first descendant of root of type type whose GtkActionable action
 * name is action (action NULL: any), or NULL. */
GtkWidget *hs_test_gui_find_widget (GtkWidget *root, GType type, const char *action);
/* Iterates the main loop for about ms milliseconds (lets frames draw). */
void      hs_test_gui_spin       (guint ms);

G_END_DECLS
