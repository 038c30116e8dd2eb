/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Progress for long commands (tasks build, dataset import), on stderr so
 * stdout stays clean for --json.  On a terminal a bar with a percentage and
 * an ETA is redrawn in place; otherwise (a log, a pipe) a plain line is
 * written now and then, so CI logs show a long build is alive without
 * filling up with redraws.
 *
 * Long work runs in a thread (hs_cli_run_interruptible) while the main
 * thread waits for Ctrl-C, which cancels the work's GCancellable.
 */
#pragma once

#include <gio/gio.h>
#include <stdio.h>

G_BEGIN_DECLS

typedef struct _HsCliProgress HsCliProgress;

/* quiet: draw nothing (still safe to call everything). */
HsCliProgress *hs_cli_progress_new (gboolean quiet);
void           hs_cli_progress_free (HsCliProgress *progress);

/* The text before the bar ("[3/40] emoji-faces").  Starts a new ETA. */
void           hs_cli_progress_set_label (HsCliProgress *progress, const char *label);
/* An HsProgressFunc: pass the HsCliProgress as its data.  Thread-safe. */
void           hs_cli_progress_update (guint64 done, guint64 total, const char *what,
                                       gpointer progress);
/* Prints a line to out (stdout or stderr) above the bar, which is redrawn
 * at the next update.  Thread-safe. */
void           hs_cli_progress_print (HsCliProgress *progress, FILE *out, const char *format, ...)
  G_GNUC_PRINTF (3, 4);
/* Erases the bar, leaving the line empty for whatever comes next. */
void           hs_cli_progress_clear (HsCliProgress *progress);

/* Runs func (data, cancellable) in a thread and waits for it.  The first
 * SIGINT cancels `cancellable` (and says so); a second one ends the process
 * as SIGINT normally would.  Returns what func returned. */
typedef gboolean (*HsCliWorkFunc) (gpointer data, GCancellable *cancellable);
gboolean       hs_cli_run_interruptible (HsCliWorkFunc func, gpointer data,
                                         GCancellable *cancellable);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsCliProgress, hs_cli_progress_free)

G_END_DECLS
