/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every part of the search methods shares: the error domain, a
 * configuration drawn from a search space, and a trial (one configuration
 * trained from one epoch count to a larger one).
 *
 * The pieces:
 *   HsSearchSpace (hs-search-space.h)  a grid or dimensions, parsed from JSON;
 *   HsSampler                          seeded draws from a space;
 *   HsScheduler (hs-scheduler.h)       random search, successive halving,
 *                                      Hyperband, BOHB (hs-bohb.h): ask for a
 *                                      trial, report its result;
 *   HsEvaluator (hs-evaluator.h)       runs a trial: the trainer, or a replay
 *                                      of recorded learning curves.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HS_HPO_ERROR (hs_hpo_error_quark ())
GQuark hs_hpo_error_quark (void);

typedef enum {
  HS_HPO_ERROR_PARSE,       /* a search space that is not JSON, or not an object */
  HS_HPO_ERROR_INVALID,     /* a field of a search space missing, of the wrong type or out of range */
  HS_HPO_ERROR_OPTIONS,     /* scheduler options that make no search */
  HS_HPO_ERROR_TRIAL,       /* a report for an unknown trial, a second report, a curve of the wrong length */
  HS_HPO_ERROR_LOOKUP,      /* a replay table without the value a trial needs */
  HS_HPO_ERROR_FAILED,      /* an evaluator could not run a trial */
} HsHpoError;

typedef struct _HsSearchSpace HsSearchSpace;
typedef struct _HsSampler HsSampler;
typedef struct _HsScheduler HsScheduler;
typedef struct _HsEvaluator HsEvaluator;

/* A configuration of a search space: an id (a grid's key, or s1, s2, … for
 * draws from dimensions in the order drawn; BOHB's model proposes b1, b2,
 * …) and a JSON object text such as
 * {"lr": 0.001, "optimizer": "adam"}. */
typedef struct {
  char *id;
  char *json;
} HsSearchConfig;

HsSearchConfig *hs_search_config_new (const char *id, const char *json);
HsSearchConfig *hs_search_config_copy (const HsSearchConfig *config);
void            hs_search_config_free (HsSearchConfig *config);

typedef enum {
  HS_TRIAL_PENDING,   /* handed out, no result yet */
  HS_TRIAL_DONE,
  HS_TRIAL_FAILED,    /* never promoted; its epochs still count as issued */
} HsTrialState;

/* One unit of work: train config_id from from_epoch to to_epoch.
 * from_epoch > 0 continues the configuration where trial `parent` left it
 * (its checkpoint at from_epoch), as Hyperband's promotions do; the
 * evaluator then trains only epochs from_epoch+1 … to_epoch.  Owned by the
 * scheduler; read-only for everyone else. */
typedef struct {
  guint id;              /* 0, 1, … in the order handed out */
  char *config_id;
  char *config_json;
  guint from_epoch;      /* epochs already trained (0: from scratch) */
  guint to_epoch;        /* the budget, in epochs */
  gint parent;           /* the trial continued, -1 when from scratch */
  guint bracket;         /* Hyperband's s (rungs − 1 of the bracket) */
  guint bracket_index;   /* 0, 1, … brackets in the order started */
  guint rung;            /* 0 for the first budget of the bracket */
  HsTrialState state;
  gdouble val_acc;       /* validation accuracy at to_epoch; NaN until done */
  gdouble seconds;       /* wall time of the trial's epochs (0 when unknown) */
  GArray *curve;         /* gdouble val_acc of epochs from_epoch+1 … to_epoch */
  char *message;         /* why it failed */
} HsTrial;

/* One JSON object: id, config_id, config (the object itself), from_epoch,
 * to_epoch, parent, bracket, bracket_index, rung, state ("pending" |
 * "done" | "failed"), and when done val_acc, seconds and curve, when failed
 * message.  For a daemon's store and for hyperstar-cli --json. */
char       *hs_trial_to_json (const HsTrial *trial);
const char *hs_trial_state_to_string (HsTrialState state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsSearchConfig, hs_search_config_free)

G_END_DECLS
