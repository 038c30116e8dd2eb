/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The workbench window's trials table over a real daemon, as BENCHMARKS.md
 * ("Window: trials table") reports it:
 *
 *   hs-bench-gui HYPERSTARD [--trials 10000] [--json]
 *
 * (needs a display: xvfb-run; GSK_RENDERER picks the renderer).
 *
 * 1. A store with one finished search of N trials, each with its own
 *    27-epoch curve (hs-bench-common.h; written by hs-bench-fill, built
 *    beside this program), in a temporary folder, and hyperstard on it.
 * 2. The window, in this process, on the results page's Trials view; from
 *    hs_results_page_show_searches to the first rows, to all N rows in the
 *    table (pages of 1000), to the first frame painted after that, and to
 *    the learning curves handed to the (hidden) chart; the longest stall of
 *    the main loop while loading.
 * 3. Sorting by Val Acc, descending then ascending: the call, until the
 *    first and last rows hold the largest and smallest accuracy, until the
 *    next frame is painted.
 * 4. Scrolling the table from top to bottom one page per frame (the
 *    vertical adjustment moved by its page size in a tick callback): for
 *    each frame the work (frame clock's before-paint to after-paint) and
 *    the time since the previous frame; p50, p99, max.
 * 5. The process's memory (VmRSS, VmHWM) once loaded.
 * 6. The Charts view with 400 learning curves: the frame that shows it,
 *    then the chart redrawn on screen (queued, one frame each), and drawn
 *    off screen (the chart's snapshot, then its node rendered to a texture
 *    by the window's renderer).
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>

#include "hs-bench-common.h"
#include "hs-client.h"
#include "hs-item.h"
#include "hs-results-page.h"
#include "hs-window-private.h"

#define WAIT_SECONDS 120

/* What to stop and remove when giving up. */
static GSubprocess *the_daemon;
static char *the_dir;
static void remove_dir (const char *dir);

static G_NORETURN void
give_up (const char *what)
{
  g_printerr ("hs-bench-gui: timed out waiting for %s\n", what);
  if (the_daemon != NULL)
    {
      g_subprocess_send_signal (the_daemon, SIGTERM);
      g_subprocess_wait (the_daemon, NULL, NULL);
    }
  if (the_dir != NULL)
    remove_dir (the_dir);
  exit (1);
}

typedef struct {
  guint n_painted;
  gint64 begin;          /* before-paint of the frame under way */
  gint64 last_end;       /* after-paint of the previous frame, 0: none recorded */
  gboolean recording;
  GArray *work;          /* ms, before-paint to after-paint */
  GArray *interval;      /* ms, after-paint to after-paint */
} Frames;

static Frames frames;

static void
before_paint_cb (GdkFrameClock *clock, gpointer data)
{
  frames.begin = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock, gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (frames.recording)
    {
      gdouble work = (now - frames.begin) / 1000.0;

      g_array_append_val (frames.work, work);
      if (frames.last_end != 0)
        {
          gdouble interval = (now - frames.last_end) / 1000.0;

          g_array_append_val (frames.interval, interval);
        }
      frames.last_end = now;
    }
  frames.n_painted++;
}

static void
frames_start (void)
{
  g_array_set_size (frames.work, 0);
  g_array_set_size (frames.interval, 0);
  frames.last_end = 0;
  frames.recording = TRUE;
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

#define WAIT_UNTIL(cond, what) G_STMT_START {                                  \
    gint64 _end = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;    \
    while (!(cond))                                                            \
      {                                                                        \
        if (g_get_monotonic_time () > _end)                                    \
          give_up (what);                                                      \
        g_main_context_iteration (NULL, TRUE);                                 \
      }                                                                        \
  } G_STMT_END

/* Iterates until the next frame has been painted; returns when. */
static gint64
wait_frame (GtkWidget *widget)
{
  guint n = frames.n_painted;

  gtk_widget_queue_draw (widget);
  WAIT_UNTIL (frames.n_painted > n, "a frame");
  return g_get_monotonic_time ();
}

static gdouble
ms_since (gint64 start, gint64 end)
{
  return (end - start) / 1000.0;
}

/* Longest gap between dispatches of a 1 ms timeout: how long the main
 * loop was busy at a stretch. */
typedef struct {
  gint64 last;
  gint64 longest;
  guint n_over_budget;   /* gaps over 16.7 ms: frames that could not be drawn in time */
} Stalls;

static gboolean
stall_cb (gpointer data)
{
  Stalls *s = data;
  gint64 now = g_get_monotonic_time ();

  if (s->last != 0 && now - s->last > s->longest)
    s->longest = now - s->last;
  if (s->last != 0 && now - s->last > 16667)
    {
      s->n_over_budget++;
      if (g_getenv ("HS_BENCH_DEBUG"))
        g_printerr ("stall %.1f ms at %.1f ms\n", (now - s->last) / 1e3, now / 1e3);
    }
  s->last = now;
  return G_SOURCE_CONTINUE;
}

static gint64 first_rows_time;

static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added, gpointer data)
{
  if (first_rows_time == 0 && g_list_model_get_n_items (model) > 0)
    first_rows_time = g_get_monotonic_time ();
}

static gdouble
val_acc_at (GListModel *model, guint i)
{
  g_autoptr(HsItem) item = g_list_model_get_item (model, i);

  return hs_json_get_double (hs_item_get_object (item), "val_acc");
}

/* Rows out of order (descending or not). */
static guint
count_disorder (GListModel *model, gboolean descending)
{
  guint n = g_list_model_get_n_items (model), bad = 0;
  gdouble prev = val_acc_at (model, 0);

  for (guint i = 1; i < n; i++)
    {
      gdouble v = val_acc_at (model, i);

      if (descending ? v > prev : v < prev)
        bad++;
      prev = v;
    }
  return bad;
}

typedef struct {
  GtkAdjustment *adjustment;
  gboolean done;
} Scroll;

static gboolean
scroll_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Scroll *s = data;
  gdouble value = gtk_adjustment_get_value (s->adjustment);
  gdouble page = gtk_adjustment_get_page_size (s->adjustment);
  gdouble max = gtk_adjustment_get_upper (s->adjustment) - page;

  if (value >= max)
    {
      s->done = TRUE;
      frames.recording = FALSE;   /* this frame has nothing to show */
      return G_SOURCE_REMOVE;
    }
  gtk_adjustment_set_value (s->adjustment, MIN (value + page, max));
  return G_SOURCE_CONTINUE;
}

typedef struct {
  gdouble p50, p99, max;
  guint n;
} Stats;

static Stats
stats_of (GArray *values)
{
  g_autoptr(GArray) sorted = g_array_copy (values);
  Stats s = { 0 };

  if (sorted->len == 0)
    return s;
  hs_bench_sort (sorted);
  s.p50 = hs_bench_percentile (sorted, 0.5);
  s.p99 = hs_bench_percentile (sorted, 0.99);
  s.max = g_array_index (sorted, gdouble, sorted->len - 1);
  s.n = sorted->len;
  return s;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/* hs-bench-fill, beside this program, fills the store. */
static gint64
fill_store (const char *db, guint n_trials)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", &error);
  g_autofree char *bindir = self ? g_path_get_dirname (self) : NULL;
  g_autofree char *filler = bindir ? g_build_filename (bindir, "hs-bench-fill", NULL) : NULL;
  g_autofree char *n = g_strdup_printf ("%u", n_trials);
  g_autofree char *out = NULL;
  g_autoptr(GSubprocess) process = NULL;

  if (filler == NULL ||
      (process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, filler, db, n,
                                   "varied", NULL)) == NULL ||
      !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error))
    g_error ("hs-bench-fill: %s", error->message);
  if (!g_subprocess_get_successful (process))
    g_error ("hs-bench-fill failed");
  return g_ascii_strtoll (out, NULL, 10);
}

static GtkColumnViewColumn *
find_column (GtkColumnView *view, const char *title, guint fallback)
{
  GListModel *columns = gtk_column_view_get_columns (view);
  g_autoptr(GtkColumnViewColumn) found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (columns) && found == NULL; i++)
    {
      g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (c), title) == 0)
        found = g_steal_pointer (&c);
    }
  if (found == NULL)
    found = g_list_model_get_item (columns, fallback);
  return found;   /* the view holds a reference */
}

int
main (int argc, char **argv)
{
  gint n_trials = 10000, chart_repeats = 20;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "trials", 0, 0, G_OPTION_ARG_INT, &n_trials, "Trials in the stored search", "N" },
    { "chart-repeats", 0, 0, G_OPTION_ARG_INT, &chart_repeats, "Chart redraws timed", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the figures as JSON", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("HYPERSTARD — time the window's trials table (needs a display)");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *db = NULL, *sock = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(HsClient) client = NULL;
  HsWindow *window;
  GtkWidget *page, *view_stack, *scrolled;
  GtkColumnView *view;
  GListModel *table, *trials;
  HsChart *curves;
  GdkFrameClock *clock;
  GskRenderer *renderer;
  Stalls stalls = { 0 };
  Scroll scroll = { 0 };
  guint stall_source, n_rows_seen;
  gint64 id, start, t_call, t_rows, t_painted, t_charts, t_order;
  gdouble fill_s, min_acc = INFINITY, max_acc = -INFINITY, row_height;
  gdouble sort_call[2], sort_order[2], sort_painted[2], chart_show;
  gdouble load_first, load_rows, load_painted, load_curves, load_stall;
  guint sort_bad[2];
  guint64 rss_kb, hwm_kb;
  Stats work, interval, chart_frame, chart_record, chart_render;
  g_autoptr(GArray) record_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr(GArray) render_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  const char *renderer_name;
  guint n_series;
  int width, height;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || n_trials < 2)
    {
      g_printerr ("%s\n", error ? error->message : "usage: hs-bench-gui HYPERSTARD [--trials N]");
      return 2;
    }
  if (!gtk_init_check ())
    {
      g_printerr ("hs-bench-gui: no display (run under xvfb-run)\n");
      return 2;
    }
  adw_init ();
  frames.work = g_array_new (FALSE, FALSE, sizeof (gdouble));
  frames.interval = g_array_new (FALSE, FALSE, sizeof (gdouble));

  dir = g_dir_make_tmp ("hs-bench-gui-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  db = g_build_filename (dir, "hyperstard.db", NULL);
  sock = g_build_filename (dir, "hyperstard.sock", NULL);
  start = g_get_monotonic_time ();
  id = fill_store (db, (guint) n_trials);
  fill_s = (g_get_monotonic_time () - start) / 1e6;
  daemon = hs_bench_start_daemon (argv[1], db, sock);
  the_daemon = daemon;
  the_dir = dir;

  /* The window, as the tests open it; the table shown before loading. */
  g_timeout_add (10, wake_cb, NULL);
  client = hs_client_new (sock);
  hs_client_set_autostart (client, FALSE);
  window = hs_window_new (NULL, client);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)) &&
              hs_window_get_pending (window) == 0, "the window");
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  renderer_name = G_OBJECT_TYPE_NAME (renderer);

  page = hs_window_get_page (window, "results");
  view = hs_results_page_get_trials_view (HS_RESULTS_PAGE (page));
  view_stack = gtk_widget_get_ancestor (GTK_WIDGET (view), GTK_TYPE_STACK);
  scrolled = gtk_widget_get_ancestor (GTK_WIDGET (view), GTK_TYPE_SCROLLED_WINDOW);
  curves = hs_results_page_get_curves_chart (HS_RESULTS_PAGE (page));
  table = hs_results_page_get_trials (HS_RESULTS_PAGE (page));
  g_assert (view_stack != NULL && scrolled != NULL);
  gtk_stack_set_visible_child_name (GTK_STACK (view_stack), "trials");
  g_signal_connect (table, "items-changed", G_CALLBACK (items_changed_cb), NULL);
  wait_frame (GTK_WIDGET (window));

  /* Loading: show the search (as a click in the list would), then the
   * page (its default selection is not used: one is made). */
  stall_source = g_timeout_add (1, stall_cb, &stalls);
  start = g_get_monotonic_time ();
  hs_results_page_show_searches (HS_RESULTS_PAGE (page), &id, 1);
  hs_window_set_page (window, "results");
  t_call = g_get_monotonic_time ();
  WAIT_UNTIL (g_list_model_get_n_items (table) == (guint) n_trials, "all rows");
  t_rows = g_get_monotonic_time ();
  t_painted = wait_frame (GTK_WIDGET (view));
  WAIT_UNTIL (hs_chart_get_n_series (curves) > 0, "the learning curves");
  t_charts = g_get_monotonic_time ();
  g_source_remove (stall_source);
  load_first = ms_since (start, first_rows_time);
  load_rows = ms_since (start, t_rows);
  load_painted = ms_since (start, t_painted);
  load_curves = ms_since (start, t_charts);
  load_stall = stalls.longest / 1000.0;
  WAIT_UNTIL (hs_window_get_pending (window) == 0, "the requests");
  hs_bench_memory (getpid (), &rss_kb, &hwm_kb);
  n_series = hs_chart_get_n_series (curves);

  trials = gtk_sort_list_model_get_model (GTK_SORT_LIST_MODEL (table));
  for (guint i = 0; i < (guint) n_trials; i++)
    {
      gdouble v = val_acc_at (trials, i);

      min_acc = MIN (min_acc, v);
      max_acc = MAX (max_acc, v);
    }

  /* Sorting by Val Acc, both ways. */
  for (guint k = 0; k < 2; k++)
    {
      GtkColumnViewColumn *column = find_column (view, "Val Acc", 7);
      gboolean descending = k == 0;
      gdouble want_first = descending ? max_acc : min_acc;
      gdouble want_last = descending ? min_acc : max_acc;

      wait_frame (GTK_WIDGET (view));
      start = g_get_monotonic_time ();
      gtk_column_view_sort_by_column (view, column,
                                      descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
      t_call = g_get_monotonic_time ();
      WAIT_UNTIL (val_acc_at (table, 0) == want_first &&
                  val_acc_at (table, n_trials - 1) == want_last, "the sort");
      t_order = g_get_monotonic_time ();
      t_painted = wait_frame (GTK_WIDGET (view));
      sort_call[k] = ms_since (start, t_call);
      sort_order[k] = ms_since (start, t_order);
      sort_painted[k] = ms_since (start, t_painted);
      sort_bad[k] = count_disorder (table, descending);
    }

  /* Scrolling, one page per frame, top to bottom. */
  scroll.adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (scroll.adjustment, 0);
  wait_frame (GTK_WIDGET (view));
  wait_frame (GTK_WIDGET (view));
  row_height = gtk_adjustment_get_upper (scroll.adjustment) / n_trials;
  frames_start ();
  gtk_widget_add_tick_callback (GTK_WIDGET (view), scroll_tick_cb, &scroll, NULL);
  WAIT_UNTIL (scroll.done, "the end of the table");
  frames.recording = FALSE;
  work = stats_of (frames.work);
  interval = stats_of (frames.interval);
  n_rows_seen = (guint) round (gtk_adjustment_get_page_size (scroll.adjustment) / row_height);
  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));

  /* The charts: shown, redrawn on screen, drawn off screen. */
  start = g_get_monotonic_time ();
  gtk_stack_set_visible_child_name (GTK_STACK (view_stack), "charts");
  chart_show = ms_since (start, wait_frame (GTK_WIDGET (curves)));
  wait_frame (GTK_WIDGET (curves));
  frames_start ();
  for (gint i = 0; i < chart_repeats; i++)
    wait_frame (GTK_WIDGET (curves));
  frames.recording = FALSE;
  chart_frame = stats_of (frames.work);
  for (gint i = 0; i < chart_repeats; i++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      int w = gtk_widget_get_width (GTK_WIDGET (curves));
      int h = gtk_widget_get_height (GTK_WIDGET (curves));
      gint64 t0 = g_get_monotonic_time (), t1;
      gdouble ms;

      /* The chart's own snapshot (gtk_widget_snapshot would reuse its
       * last node). */
      GTK_WIDGET_GET_CLASS (curves)->snapshot (GTK_WIDGET (curves), snapshot);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      t1 = g_get_monotonic_time ();
      texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
      ms = ms_since (t0, t1);
      g_array_append_val (record_ms, ms);
      ms = ms_since (t1, g_get_monotonic_time ());
      g_array_append_val (render_ms, ms);
    }
  chart_record = stats_of (record_ms);
  chart_render = stats_of (render_ms);

  gtk_window_destroy (GTK_WINDOW (window));
  g_subprocess_send_signal (daemon, SIGTERM);
  g_subprocess_wait (daemon, NULL, NULL);
  remove_dir (dir);

  if (json)
    {
      printf ("{\"trials\": %d, \"renderer\": \"%s\", \"window\": [%d, %d], "
              "\"rows_per_page\": %u, \"store_fill_s\": %.1f,\n", n_trials, renderer_name,
              width, height, n_rows_seen, fill_s);
      printf (" \"load_ms\": {\"first_rows\": %.1f, \"all_rows\": %.1f, \"painted\": %.1f, "
              "\"curves\": %.1f, \"stalls_over_16ms\": %u, \"longest_stall\": %.1f},\n",
              load_first, load_rows, load_painted, load_curves, stalls.n_over_budget, load_stall);
      printf (" \"sort_ms\": {\"descending\": {\"call\": %.1f, \"in_order\": %.1f, "
              "\"painted\": %.1f, \"out_of_order\": %u}, \"ascending\": {\"call\": %.1f, "
              "\"in_order\": %.1f, \"painted\": %.1f, \"out_of_order\": %u}},\n",
              sort_call[0], sort_order[0], sort_painted[0], sort_bad[0],
              sort_call[1], sort_order[1], sort_painted[1], sort_bad[1]);
      printf (" \"scroll_ms\": {\"frames\": %u, \"work\": {\"p50\": %.2f, \"p99\": %.2f, "
              "\"max\": %.2f}, \"interval\": {\"p50\": %.2f, \"p99\": %.2f, \"max\": %.2f}},\n",
              work.n, work.p50, work.p99, work.max, interval.p50, interval.p99, interval.max);
      printf (" \"memory_mib\": {\"rss\": %.1f, \"hwm\": %.1f},\n", rss_kb / 1024.0,
              hwm_kb / 1024.0);
      printf (" \"chart_ms\": {\"series\": %u, \"show\": %.1f, \"frame_p50\": %.2f, "
              "\"frame_max\": %.2f, \"snapshot_p50\": %.2f, \"render_p50\": %.2f}}\n",
              n_series, chart_show, chart_frame.p50, chart_frame.max, chart_record.p50,
              chart_render.p50);
      return 0;
    }
  printf ("renderer %s, window %d×%d, %u rows per page; store: %d trials written in %.1f s\n",
          renderer_name, width, height, n_rows_seen, n_trials, fill_s);
  printf ("load: first rows %.0f ms, all %d rows %.0f ms, painted %.0f ms, curves %.0f ms; "
          "main loop busy over 16.7 ms %u times, longest %.1f ms\n", load_first, n_trials,
          load_rows, load_painted, load_curves, stalls.n_over_budget, load_stall);
  for (guint k = 0; k < 2; k++)
    printf ("sort by Val Acc %-10s call %6.1f ms, in order %6.1f ms, painted %6.1f ms "
            "(%u rows out of order)\n", k == 0 ? "descending" : "ascending", sort_call[k],
            sort_order[k], sort_painted[k], sort_bad[k]);
  printf ("scroll, a page per frame (%u frames): work p50 %.2f p99 %.2f max %.2f ms; "
          "frame to frame p50 %.2f p99 %.2f max %.2f ms\n", work.n, work.p50, work.p99, work.max,
          interval.p50, interval.p99, interval.max);
  printf ("memory once loaded: VmRSS %.1f MiB, VmHWM %.1f MiB\n", rss_kb / 1024.0,
          hwm_kb / 1024.0);
  printf ("charts, %u curves: shown in %.1f ms; redrawn on screen p50 %.2f max %.2f ms; "
          "off screen snapshot p50 %.2f ms + render p50 %.2f ms\n", n_series, chart_show,
          chart_frame.p50, chart_frame.max, chart_record.p50, chart_render.p50);
  return 0;
}
