/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The daemon's store: one SQLite file (WAL, foreign keys on, schema
 * versions in PRAGMA user_version, migrated forward on open) holding
 *
 *   datasets   the datasets a search can name: imported ones (their file
 *              in the dataset store) and built-in catalog tasks used so far;
 *   spaces     search spaces, as their JSON text (hs-search-space.h);
 *   searches   method, settings (JSON), state, priority, timestamps, error;
 *   trials     per search, the scheduler's trials (hs-hpo-types.h) with their
 *              state, learning curve, device, timings and error;
 *   events     an append-only log of state changes and progress, which the
 *              WebSocket stream and `search watch` replay from an id.
 *
 * One HsStore is one connection, used from one thread (the daemon's main
 * context); it is not locked.  Every write is one transaction: a trial's
 * result lands whole or not at all.  A failed write (disk full, a locked
 * file past the busy timeout, a constraint) rolls back and returns an
 * HS_STORE_ERROR naming what failed; it never aborts.
 *
 * Times are Unix times in milliseconds (gint64); 0 means "not yet".
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "hs-hpo-types.h"

G_BEGIN_DECLS

#define HS_STORE_ERROR (hs_store_error_quark ())
GQuark hs_store_error_quark (void);

typedef enum {
  HS_STORE_ERROR_OPEN,       /* the file cannot be opened or is not a database */
  HS_STORE_ERROR_CORRUPT,    /* a database that fails its integrity check, or of a newer schema */
  HS_STORE_ERROR_BUSY,       /* locked by another process past the busy timeout */
  HS_STORE_ERROR_WRITE,      /* a write failed (disk full, read-only, I/O); rolled back */
  HS_STORE_ERROR_NOT_FOUND,  /* no such dataset, space, search or trial */
  HS_STORE_ERROR_EXISTS,     /* a name already taken */
  HS_STORE_ERROR_INVALID,    /* a value the schema refuses (a state change that is not allowed, …) */
} HsStoreError;

/* The schema this build writes; older files are migrated on open. */
#define HS_STORE_SCHEMA_VERSION 2

typedef struct _HsStore HsStore;

/* Creates the file (and its folder) when missing, migrates an older schema
 * in one transaction per step, refuses a newer one (HS_STORE_ERROR_CORRUPT
 * naming both versions).  Errors name the path. */
HsStore    *hs_store_open (const char *path, GError **error);
void        hs_store_free (HsStore *store);
const char *hs_store_get_path (HsStore *store);
guint       hs_store_get_schema_version (HsStore *store);

/* For the migration tests: opens path migrating only up to `version`
 * (1 … HS_STORE_SCHEMA_VERSION). */
HsStore    *hs_store_open_at_version (const char *path, guint version, GError **error);

/* ---- datasets ---- */

typedef struct {
  char *name;          /* unique */
  char *source;        /* "builtin" (a catalog task) | "imported" */
  char *family;        /* the catalog family; NULL for imported */
  guint n_classes;
  guint n_images;
  gint64 created;
} HsStoreDataset;

void            hs_store_dataset_free (HsStoreDataset *dataset);
/* Inserts or, when the name exists, replaces the row. */
gboolean        hs_store_put_dataset (HsStore *store, const HsStoreDataset *dataset, GError **error);
HsStoreDataset *hs_store_get_dataset (HsStore *store, const char *name, GError **error);
/* HsStoreDataset, by name. */
GPtrArray      *hs_store_list_datasets (HsStore *store, GError **error);
/* NOT_FOUND when missing; INVALID while a search that is not finished
 * (queued, running, paused) names it. */
gboolean        hs_store_delete_dataset (HsStore *store, const char *name, GError **error);

/* ---- search spaces ---- */

typedef struct {
  gint64 id;
  char *name;          /* unique */
  char *json;          /* the space's JSON text as given */
  gint64 created;
  guint n_searches;    /* searches (in any state) that refer to it; read-only,
                        * computed by the get/find/list calls */
} HsStoreSpace;

void          hs_store_space_free (HsStoreSpace *space);
/* The new id (ids start at 1; 0 on error); EXISTS when the name is taken,
 * INVALID when json is not well-formed JSON. */
gint64        hs_store_add_space (HsStore *store, const char *name, const char *json, GError **error);
HsStoreSpace *hs_store_get_space (HsStore *store, gint64 id, GError **error);
HsStoreSpace *hs_store_find_space (HsStore *store, const char *name, GError **error);
/* HsStoreSpace, by id. */
GPtrArray    *hs_store_list_spaces (HsStore *store, GError **error);
/* How many searches, in any state, refer to the space; −1 on error
 * (NOT_FOUND when there is no such space). */
gint64        hs_store_count_space_searches (HsStore *store, gint64 space_id, GError **error);
/* Replaces the definition of a space that no search refers to, and its name
 * too when name is not NULL.  NOT_FOUND when missing; INVALID when json is
 * not well-formed JSON, the name is empty, or a search refers to the space
 * (the message says how many); EXISTS when the new name is taken. */
gboolean      hs_store_update_space (HsStore *store, gint64 id, const char *name,
                                     const char *json, GError **error);
/* Deletes a space that no search refers to: NOT_FOUND when missing,
 * INVALID (saying how many) when a search refers to it. */
gboolean      hs_store_delete_space (HsStore *store, gint64 id, GError **error);

/* ---- searches ---- */

typedef enum {
  HS_SEARCH_QUEUED,
  HS_SEARCH_RUNNING,
  HS_SEARCH_PAUSED,
  HS_SEARCH_DONE,
  HS_SEARCH_CANCELLED,
  HS_SEARCH_FAILED,
} HsSearchState;

const char *hs_search_state_to_string (HsSearchState state);  /* "queued", "running", … */
gboolean    hs_search_state_from_string (const char *text, HsSearchState *state);
/* done, cancelled, failed */
gboolean    hs_search_state_is_final (HsSearchState state);

typedef struct {
  gint64 id;
  char *dataset;
  gint64 space_id;
  char *method;          /* "random" | "successive-halving" | "hyperband" | "bohb" */
  char *settings;        /* JSON object text: max_epochs, eta, budget_epochs, seed, … */
  HsSearchState state;
  gint priority;         /* larger runs first; then the older */
  gint64 created, started, finished;
  char *error;           /* why it failed; NULL otherwise */
  /* Summary of its trials (read-only, computed by the get/list calls). */
  guint n_trials, n_done, n_failed, n_running;
  guint64 epochs_spent;  /* to_epoch − from_epoch over done trials */
  gdouble best_val_acc;  /* NaN before any result */
  gint best_trial;       /* trial id of best_val_acc, −1 before any result */
} HsStoreSearch;

void           hs_store_search_free (HsStoreSearch *search);
/* Inserts a queued search (id, state, times and summary of `search` are
 * ignored) and returns its id (0 on error).  NOT_FOUND when the space is
 * missing; INVALID when settings (NULL: "{}") is not a JSON object. */
gint64         hs_store_add_search (HsStore *store, const HsStoreSearch *search, GError **error);
HsStoreSearch *hs_store_get_search (HsStore *store, gint64 id, GError **error);
/* HsStoreSearch, newest first; offset/limit page them (limit 0: all). */
GPtrArray     *hs_store_list_searches (HsStore *store, guint offset, guint limit, GError **error);
/* The next search to run: state queued, by priority then age; NULL (and no
 * error) when none. */
HsStoreSearch *hs_store_next_queued_search (HsStore *store, GError **error);
/* Sets the state (and started when entering running for the first time,
 * finished when entering a final state, error when given).  A search in a
 * final state cannot change: INVALID naming both states. */
gboolean       hs_store_set_search_state (HsStore *store, gint64 id, HsSearchState state,
                                          const char *error_message, GError **error);

/* ---- trials ---- */

/* A trial's life in the store: pending (handed out by the scheduler, not
 * started), running (a worker has it), done, failed. */
typedef enum {
  HS_STORE_TRIAL_PENDING,
  HS_STORE_TRIAL_RUNNING,
  HS_STORE_TRIAL_DONE,
  HS_STORE_TRIAL_FAILED,
} HsStoreTrialState;

const char *hs_store_trial_state_to_string (HsStoreTrialState state);

typedef struct {
  gint64 search_id;
  guint id;              /* the scheduler's trial id: 0, 1, … within the search */
  char *config_id;
  char *config;          /* JSON object text */
  guint from_epoch, to_epoch;
  gint parent;           /* −1 when from scratch */
  guint bracket, bracket_index, rung;
  HsStoreTrialState state;
  gdouble val_acc;       /* at to_epoch; NaN until done */
  gdouble seconds;       /* wall time of its epochs */
  GArray *curve;         /* gdouble val_acc after epochs from_epoch+1 … (grows while running) */
  GArray *losses;        /* gdouble train loss per epoch, same length as curve */
  char *device;          /* where it ran; NULL until started */
  gint64 started, finished;
  char *error;           /* why it failed */
} HsStoreTrial;

HsStoreTrial *hs_store_trial_new (void);   /* curve and losses empty, val_acc NaN, parent −1 */
void          hs_store_trial_free (HsStoreTrial *trial);
/* Fills *out with the scheduler's view of a stored trial, for
 * hs_scheduler_restore (): strings and curve are borrowed from trial;
 * running counts as pending. */
void          hs_store_trial_as_hpo (const HsStoreTrial *trial, HsTrial *out);

/* Records a trial the scheduler handed out (state pending).  EXISTS when
 * (search_id, id) is already stored: a trial is never recorded twice. */
gboolean      hs_store_add_trial (HsStore *store, const HsStoreTrial *trial, GError **error);
/* pending → running, with the device and start time. */
gboolean      hs_store_start_trial (HsStore *store, gint64 search_id, guint id,
                                    const char *device, GError **error);
/* Appends one epoch (val_acc, train loss) to a running trial's curve. */
gboolean      hs_store_add_trial_epoch (HsStore *store, gint64 search_id, guint id,
                                        gdouble val_acc, gdouble train_loss, GError **error);
/* running → done: the whole curve (replacing the per-epoch rows), val_acc =
 * the last value, seconds and finish time, in one transaction.  INVALID when
 * the trial is already done or failed (no trial finishes twice), or the
 * curve's length is not to_epoch − from_epoch.  A pending trial may finish
 * too (an evaluator with nothing to report per epoch); losses NULL or empty
 * stores NaN (unknown) per epoch. */
gboolean      hs_store_finish_trial (HsStore *store, gint64 search_id, guint id,
                                     const GArray *curve, const GArray *losses,
                                     gdouble seconds, GError **error);
/* running or pending → failed, with the message. */
gboolean      hs_store_fail_trial (HsStore *store, gint64 search_id, guint id,
                                   const char *message, GError **error);
/* Every running trial of the search back to pending, its partial curve
 * dropped (after a crash: it runs again from its last checkpoint); the
 * number reset. */
guint         hs_store_requeue_running_trials (HsStore *store, gint64 search_id, GError **error);
/* The same for one trial (paused or stopped while others of the search go
 * on); FALSE when it was not running. */
gboolean      hs_store_requeue_trial (HsStore *store, gint64 search_id, guint id, GError **error);
HsStoreTrial *hs_store_get_trial (HsStore *store, gint64 search_id, guint id, GError **error);
/* HsStoreTrial in id order; offset/limit page them (limit 0: all). */
GPtrArray    *hs_store_list_trials (HsStore *store, gint64 search_id, guint offset, guint limit,
                                    GError **error);

/* ---- events ---- */

typedef struct {
  gint64 id;             /* increasing */
  gint64 time;
  gint64 search_id;      /* 0 when about no search */
  char *type;            /* "search-state", "trial-started", "trial-epoch", "trial-finished", … */
  char *data;            /* JSON object text */
} HsStoreEvent;

void       hs_store_event_free (HsStoreEvent *event);
/* The new event's id (0 on error); NOT_FOUND when search_id > 0 names no
 * search. */
gint64     hs_store_add_event (HsStore *store, gint64 search_id, const char *type,
                               const char *data, GError **error);
/* Events with id > after_id (of one search when search_id > 0), oldest
 * first, at most limit (0: all). */
GPtrArray *hs_store_list_events (HsStore *store, gint64 after_id, gint64 search_id, guint limit,
                                 GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsStore, hs_store_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsStoreDataset, hs_store_dataset_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsStoreSpace, hs_store_space_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsStoreSearch, hs_store_search_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsStoreTrial, hs_store_trial_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsStoreEvent, hs_store_event_free)

G_END_DECLS
