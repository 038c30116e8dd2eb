/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hs_bench_fill_store: see hs-bench-common.h.
 */
#include <math.h>
#include <stdio.h>

#include "hs-bench-common.h"
#include "hs-store.h"

gint64
hs_bench_fill_store (const char *path, guint n_trials, gboolean varied)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, &error);
  g_autoptr(HsStoreSearch) search = g_new0 (HsStoreSearch, 1);
  g_autoptr(GArray) curve = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr(GArray) losses = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr(GRand) rand = g_rand_new_with_seed (0);
  gint64 space, id;

  if (store == NULL)
    g_error ("%s", error->message);
  space = hs_store_add_space (store, "bench-space",
                              "{\"dimensions\": [{\"name\": \"lr\", \"type\": \"float\", "
                              "\"min\": 0.0001, \"max\": 0.1, \"log\": true}]}", &error);
  search->dataset = g_strdup ("bench");
  search->space_id = space;
  search->method = g_strdup ("random");
  search->settings = g_strdup ("{\"max_epochs\": 27, \"eta\": 3, \"budget_epochs\": 270000, "
                               "\"min_epochs\": 1, \"n_configs\": 0, \"seed\": 0}");
  if (space <= 0 || (id = hs_store_add_search (store, search, &error)) <= 0 ||
      !hs_store_set_search_state (store, id, HS_SEARCH_RUNNING, NULL, &error))
    g_error ("%s", error->message);
  for (guint e = 0; e < 27; e++)
    {
      gdouble acc = 0.3 + 0.02 * e, loss = 2.0 / (e + 1);
      g_array_append_val (curve, acc);
      g_array_append_val (losses, loss);
    }
  for (guint i = 0; i < n_trials; i++)
    {
      g_autoptr(HsStoreTrial) t = hs_store_trial_new ();

      if (varied)
        {
          gdouble final = g_rand_double_range (rand, 0.2, 0.95);
          gdouble rate = g_rand_double_range (rand, 2.0, 10.0);

          for (guint e = 0; e < 27; e++)
            g_array_index (curve, gdouble, e) = final * (1 - 0.9 * exp (-(e + 1.0) / rate));
        }
      t->search_id = id;
      t->id = i;
      t->config_id = g_strdup_printf ("s%u", i + 1);
      t->config = g_strdup_printf ("{\"lr\": %g}", 0.0001 + i * 1e-6);
      t->from_epoch = 0;
      t->to_epoch = 27;
      if (!hs_store_add_trial (store, t, &error) ||
          !hs_store_start_trial (store, id, i, "CPU (bench)", &error) ||
          !hs_store_finish_trial (store, id, i, curve, losses, 12.5, &error))
        g_error ("%s", error->message);
      if ((i + 1) % 1000 == 0)
        fprintf (stderr, "\rstoring trials: %u/%u", i + 1, n_trials);
    }
  fprintf (stderr, "\n");
  if (!hs_store_set_search_state (store, id, HS_SEARCH_DONE, NULL, &error))
    g_error ("%s", error->message);
  return id;
}
