/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A progress bar for the terminal, and Ctrl-C handling for long commands.
 */
#define G_LOG_DOMAIN "hyperstar-cli"

#include <glib-unix.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hs-cli-progress.h"

/* Redrawing more often than this only costs time (a build reports every
 * image); a plain line more often than every ten seconds floods a log. */
#define TTY_INTERVAL_US   (100 * G_TIME_SPAN_MILLISECOND)
#define PLAIN_INTERVAL_US (10 * G_TIME_SPAN_SECOND)
#define BAR_WIDTH 24

struct _HsCliProgress {
  GMutex lock;
  gboolean quiet;
  gboolean tty;
  char *label;
  gint64 start;        /* when the current count began, for the ETA */
  guint64 start_done;  /* and where it stood then (a resumed build starts far from 0) */
  gint64 last_draw;
  guint64 last_done;
  guint64 last_total;
  gboolean drawn;      /* a bar is on the terminal's last line */
};

HsCliProgress *
hs_cli_progress_new (gboolean quiet)
{
  HsCliProgress *progress = g_new0 (HsCliProgress, 1);

  g_mutex_init (&progress->lock);
  progress->quiet = quiet;
  progress->tty = isatty (STDERR_FILENO);
  progress->start = g_get_monotonic_time ();
  progress->last_draw = progress->start;
  return progress;
}

void
hs_cli_progress_free (HsCliProgress *progress)
{
  if (progress == NULL)
    return;
  hs_cli_progress_clear (progress);
  g_mutex_clear (&progress->lock);
  g_free (progress->label);
  g_free (progress);
}

static void
erase_locked (HsCliProgress *progress)
{
  if (progress->drawn)
    {
      fputs ("\r\033[K", stderr);
      fflush (stderr);
      progress->drawn = FALSE;
    }
}

void
hs_cli_progress_clear (HsCliProgress *progress)
{
  g_mutex_lock (&progress->lock);
  erase_locked (progress);
  g_mutex_unlock (&progress->lock);
}

void
hs_cli_progress_set_label (HsCliProgress *progress, const char *label)
{
  g_mutex_lock (&progress->lock);
  g_free (progress->label);
  progress->label = g_strdup (label);
  progress->start = g_get_monotonic_time ();
  progress->last_done = 0;
  progress->last_total = 0;
  /* A plain log gets its first line only once a task has run a while. */
  progress->last_draw = progress->tty ? 0 : progress->start;
  g_mutex_unlock (&progress->lock);
}

static guint
terminal_columns (void)
{
  struct winsize ws;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
    return ws.ws_col;
  return 80;
}

static char *
format_duration (gint64 seconds)
{
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

/* The time left at the average rate since the count began (or resumed); NULL until
 * there is enough to go on (a second, and some work done). */
static char *
estimate_locked (HsCliProgress *progress, guint64 done, guint64 total, gint64 now)
{
  gdouble elapsed = (now - progress->start) / (gdouble) G_TIME_SPAN_SECOND;

  if (elapsed < 1.0 || done <= progress->start_done || total == 0 || done >= total)
    return NULL;
  return format_duration ((gint64) (elapsed * (total - done) / (done - progress->start_done) + 0.5));
}

/* Cuts s to at most `columns` characters (not bytes: labels are UTF-8). */
static void
append_cut (GString *line, const char *s, glong columns)
{
  const char *end;

  if (columns <= 0 || s == NULL)
    return;
  if (!g_utf8_validate (s, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (s, -1);
      append_cut (line, valid, columns);
      return;
    }
  if (g_utf8_strlen (s, -1) <= columns)
    {
      g_string_append (line, s);
      return;
    }
  end = g_utf8_offset_to_pointer (s, columns - 1);
  g_string_append_len (line, s, end - s);
  g_string_append (line, "…");
}

static void
draw_tty_locked (HsCliProgress *progress, guint64 done, guint64 total, const char *what,
                 gint64 now)
{
  g_autoptr(GString) right = g_string_new (NULL);
  g_autoptr(GString) line = g_string_new ("\r");
  g_autofree char *eta = estimate_locked (progress, done, total, now);
  glong columns = terminal_columns () - 1;  /* the last column would wrap */
  glong label_columns;

  if (total > 0)
    {
      guint filled = (guint) (BAR_WIDTH * MIN (done, total) / total);

      g_string_append (right, " [");
      for (guint i = 0; i < BAR_WIDTH; i++)
        g_string_append (right, i < filled ? "#" : "-");
      /* Fixed widths, so the line does not shift as the numbers grow. */
      g_autofree char *total_str = g_strdup_printf ("%" G_GUINT64_FORMAT, total);
      g_string_append_printf (right, "] %3u%% %*" G_GUINT64_FORMAT "/%s",
                              (guint) (100 * MIN (done, total) / total),
                              (int) strlen (total_str), done, total_str);
      g_string_append_printf (right, " ETA %5s",
                              eta != NULL ? eta : done >= total ? "0:00" : "-:--");
    }
  else
    g_string_append_printf (right, " %" G_GUINT64_FORMAT, done);

  /* The bar comes first; the label is cut to fit beside it, and whatever
   * room is left shows what is being worked on.  A very narrow terminal
   * gets the label and the counts without the bar. */
  if ((glong) g_utf8_strlen (right->str, -1) + 8 > columns)
    g_string_assign (right, "");
  label_columns = MIN ((glong) g_utf8_strlen (progress->label ? progress->label : "", -1),
                       columns - (glong) g_utf8_strlen (right->str, -1));
  append_cut (line, progress->label, label_columns);
  g_string_append (line, right->str);
  if (what != NULL && *what != '\0')
    {
      glong used = g_utf8_strlen (line->str, -1) - 1;  /* not the '\r' */
      if (columns - used > 4)
        {
          g_string_append_c (line, ' ');
          append_cut (line, what, columns - used - 1);
        }
    }
  g_string_append (line, "\033[K");
  fputs (line->str, stderr);
  fflush (stderr);
  progress->drawn = TRUE;
}

static void
draw_plain_locked (HsCliProgress *progress, guint64 done, guint64 total, const char *what,
                   gint64 now)
{
  g_autofree char *eta = estimate_locked (progress, done, total, now);

  if (total > 0)
    fprintf (stderr, "%s: %u%% (%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT ")",
             progress->label ? progress->label : "progress",
             (guint) (100 * MIN (done, total) / total), done, total);
  else
    fprintf (stderr, "%s: %" G_GUINT64_FORMAT, progress->label ? progress->label : "progress",
             done);
  if (what != NULL && *what != '\0')
    fprintf (stderr, " %s", what);
  if (eta != NULL)
    fprintf (stderr, ", about %s left", eta);
  fputc ('\n', stderr);
  fflush (stderr);
}

void
hs_cli_progress_update (guint64 done, guint64 total, const char *what, gpointer data)
{
  HsCliProgress *progress = data;
  gint64 now;

  if (progress == NULL || progress->quiet)
    return;
  now = g_get_monotonic_time ();
  g_mutex_lock (&progress->lock);
  /* A new phase (another total, or counting again from the start) gets its
   * own ETA: the rate of the previous one says nothing about it. */
  if (total != progress->last_total || done < progress->last_done)
    {
      progress->start = now;
      progress->start_done = done;
    }
  progress->last_done = done;
  progress->last_total = total;
  if (progress->tty && now - progress->last_draw >= TTY_INTERVAL_US)
    {
      draw_tty_locked (progress, done, total, what, now);
      progress->last_draw = now;
    }
  else if (!progress->tty && now - progress->last_draw >= PLAIN_INTERVAL_US)
    {
      draw_plain_locked (progress, done, total, what, now);
      progress->last_draw = now;
    }
  g_mutex_unlock (&progress->lock);
}

void
hs_cli_progress_print (HsCliProgress *progress, FILE *out, const char *format, ...)
{
  va_list args;

  g_mutex_lock (&progress->lock);
  erase_locked (progress);
  va_start (args, format);
  vfprintf (out, format, args);
  va_end (args);
  fputc ('\n', out);
  fflush (out);
  if (progress->tty)
    progress->last_draw = 0;  /* put the bar back at the next update */
  g_mutex_unlock (&progress->lock);
}

typedef struct {
  HsCliWorkFunc func;
  gpointer data;
  GCancellable *cancellable;
  gboolean result;
  GMainLoop *loop;
  guint sigint_id;
  guint sigterm_id;
} Work;

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gpointer
work_thread (gpointer data)
{
  Work *work = data;

  work->result = work->func (work->data, work->cancellable);
  /* An idle source, not g_main_context_invoke: work that fails at once can
   * end before the main thread enters the loop, and invoke would then quit
   * a loop that is not yet running (and the loop would never end). */
  g_idle_add (quit_loop, work->loop);
  return NULL;
}

/* Removing the watch puts back the default action, so a second Ctrl-C
 * stops a process whose work does not notice the cancellation soon. */
static gboolean
on_signal (gpointer data)
{
  Work *work = data;

  g_clear_handle_id (&work->sigint_id, g_source_remove);
  g_clear_handle_id (&work->sigterm_id, g_source_remove);
  if (isatty (STDERR_FILENO))
    fputs ("\r\033[K", stderr);
  fputs ("Interrupted: stopping (press Ctrl-C again to quit at once)…\n", stderr);
  g_cancellable_cancel (work->cancellable);
  return G_SOURCE_REMOVE;
}

gboolean
hs_cli_run_interruptible (HsCliWorkFunc func, gpointer data, GCancellable *cancellable)
{
  Work work = { .func = func, .data = data, .cancellable = cancellable };
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  GThread *thread;

  work.loop = loop;
  work.sigint_id = g_unix_signal_add (SIGINT, on_signal, &work);
  work.sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &work);
  thread = g_thread_new ("hs-cli-work", work_thread, &work);
  g_main_loop_run (loop);
  g_thread_join (thread);
  g_clear_handle_id (&work.sigint_id, g_source_remove);
  g_clear_handle_id (&work.sigterm_id, g_source_remove);
  return work.result;
}
