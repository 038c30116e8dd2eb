/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   hs-bench-fill DB N [varied]
 *
 * hs_bench_fill_store (hs-bench-common.h) in a process of its own, for
 * hs-bench-gui (which cannot link the store beside the window's library);
 * prints the search's id.
 */
#include <stdio.h>

#include "hs-bench-common.h"

int
main (int argc, char **argv)
{
  if (argc < 3 || argc > 4)
    {
      g_printerr ("usage: hs-bench-fill DB N [varied]\n");
      return 2;
    }
  printf ("%" G_GINT64_FORMAT "\n",
          hs_bench_fill_store (argv[1], (guint) g_ascii_strtoull (argv[2], NULL, 10),
                               argc == 4 && g_str_equal (argv[3], "varied")));
  return 0;
}
