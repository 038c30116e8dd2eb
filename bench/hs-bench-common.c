/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See hs-bench-common.h (hs_bench_fill_store is in hs-bench-store.c:
 * the window's library and the store's both define
 * hs_search_state_is_final, so hs-bench-gui fills its store through
 * hs-bench-fill).
 */
#include <math.h>
#include <stdio.h>

#include "hs-bench-common.h"

GSubprocess *
hs_bench_start_daemon (const char *hyperstard, const char *db, const char *sock)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, hyperstard,
                                          "--socket", sock, "--db", db, "--from-scratch", NULL);

  if (daemon == NULL)
    g_error ("%s", error->message);
  for (guint i = 0; i < 300 && !g_file_test (sock, G_FILE_TEST_EXISTS); i++)
    g_usleep (20000);
  g_usleep (200000);
  return daemon;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;
  return x < y ? -1 : x > y;
}

void
hs_bench_sort (GArray *values)
{
  g_array_sort (values, compare_double);
}

gdouble
hs_bench_percentile (GArray *sorted, gdouble p)
{
  guint i = (guint) MIN (sorted->len - 1, floor (p * (sorted->len - 1) + 0.5));
  return g_array_index (sorted, gdouble, i);
}

void
hs_bench_memory (GPid pid, guint64 *rss_kb, guint64 *hwm_kb)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  *rss_kb = *hwm_kb = 0;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "VmRSS:"))
        *rss_kb = g_ascii_strtoull (lines[i] + 6, NULL, 10);
      else if (g_str_has_prefix (lines[i], "VmHWM:"))
        *hwm_kb = g_ascii_strtoull (lines[i] + 6, NULL, 10);
    }
}
