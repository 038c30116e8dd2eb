/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the store's tests share: a fresh folder per test, a store in it,
 * and quick ways to fill it.
 */
#pragma once

#include "hs-store-private.h"

G_BEGIN_DECLS

typedef struct {
  char *dir;    /* a g_dir_make_tmp () folder, removed after the test */
  char *path;   /* dir/store/hyperstar.db: its folder does not exist yet */
} StoreFixture;

void          store_fixture_setup (StoreFixture *fixture, gconstpointer data);
void          store_fixture_teardown (StoreFixture *fixture, gconstpointer data);

/* Opens (creating or migrating) the store, asserting success. */
HsStore      *store_open (const char *path);

/* A space named `space_name` (made when missing) and a queued search on
 * `dataset` with `priority`; the search's id. */
gint64        store_add_search (HsStore *store, const char *space_name, const char *dataset,
                                gint priority);
/* A trial of search_id from epoch from to epoch to, added (pending). */
void          store_add_trial (HsStore *store, gint64 search_id, guint id, guint from, guint to);
/* A GArray of n doubles. */
GArray       *store_doubles (const gdouble *values, guint n);
/* The first column of the first row, asserting success. */
char         *store_query (HsStore *store, const char *sql);
/* Runs SQL on a connection of its own (another process, as far as the
 * store can tell). */
void          store_exec_raw (const char *path, const char *sql);
/* Bitwise equal: NaN equals NaN, -0.0 differs from 0.0. */
void          store_assert_doubles (const GArray *got, const gdouble *expected, guint n);

G_END_DECLS
