/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the benchmark programs share (hs-bench-server, hs-bench-gui): a
 * store holding one finished search, hyperstard started on it, and
 * percentiles of timings.  hs_bench_fill_store is in hs-bench-store.c
 * (with the store's library); the rest in hs-bench-common.c.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* (hs-bench-store.c) Writes one finished random search of n_trials trials (27 epochs each,
 * one transaction each) through the store API into the store at path
 * (created); returns its id.  Every trial has the same curve unless
 * varied: then each has its own (a seeded random final accuracy between
 * 20 % and 95 %, approached exponentially), so that sorting by accuracy
 * has work to do and the curves do not all fall on one line.  Progress
 * goes to stderr; errors abort. */
gint64       hs_bench_fill_store    (const char *path, guint n_trials, gboolean varied);

/* Starts hyperstard (its path) on db, listening on sock, and waits until
 * it listens (at most 6 s).  Errors abort. */
GSubprocess *hs_bench_start_daemon  (const char *hyperstard, const char *db, const char *sock);

/* The value at fraction p (0…1) of sorted (doubles, ascending, not
 * empty); hs_bench_sort sorts such an array. */
gdouble      hs_bench_percentile    (GArray *sorted, gdouble p);
void         hs_bench_sort          (GArray *values);

/* A process's resident memory now and at its peak (VmRSS, VmHWM), in KiB;
 * 0 when /proc cannot tell. */
void         hs_bench_memory        (GPid pid, guint64 *rss_kb, guint64 *hwm_kb);

G_END_DECLS
