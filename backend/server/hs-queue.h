/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The search queue: searches wait in the store in priority order (then
 * age); the queue runs their trials on a pool of workers (hs-trial-runner),
 * asking each search's scheduler (hs-scheduler.h) for the next trial and
 * telling it the results.
 *
 * Everything the queue learns goes to the store first, one transaction per
 * step: a trial handed out is recorded (pending) before it starts, marked
 * running when a worker takes it, and its result is committed whole when it
 * ends.  After a crash, hs_queue_start() puts the trials that were running
 * back to pending; their searches' schedulers are rebuilt from the stored
 * trials (hs_scheduler_restore), so no finished trial is lost or run again
 * and the interrupted ones continue from their checkpoints.
 *
 * Pause stops a search's running trials (each keeps its checkpoint) and
 * hands out nothing more until it is resumed; cancel stops them for good.
 * Main context only.
 */
#pragma once

#include "hs-events.h"
#include "hs-store.h"
#include "hs-trial-runner.h"

G_BEGIN_DECLS

typedef struct _HsQueue HsQueue;

/* store, runner, events and catalog are borrowed.  checkpoint_dir holds a
 * folder of checkpoints per search, removed when the search ends. */
HsQueue *hs_queue_new (HsStore *store, HsTrialRunner *runner, HsEvents *events,
                       HsCatalogCache *catalog, const char *checkpoint_dir, guint n_workers);
void     hs_queue_free (HsQueue *queue);

/* Recovers what a crash left running and starts working. */
gboolean hs_queue_start (HsQueue *queue, GError **error);
/* Looks for work (after a search was added or resumed). */
void     hs_queue_kick (HsQueue *queue);

gboolean hs_queue_pause (HsQueue *queue, gint64 search_id, GError **error);
gboolean hs_queue_resume (HsQueue *queue, gint64 search_id, GError **error);
gboolean hs_queue_cancel (HsQueue *queue, gint64 search_id, GError **error);

guint    hs_queue_get_n_workers (HsQueue *queue);
guint    hs_queue_get_n_busy (HsQueue *queue);

/* Stops the running trials (each keeps its checkpoint and goes back to
 * pending), hands out nothing more, and calls done once every worker has
 * returned. */
void     hs_queue_shutdown (HsQueue *queue, GSourceFunc done, gpointer data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsQueue, hs_queue_free)

G_END_DECLS
