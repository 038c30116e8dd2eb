/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A search's method and settings as the API takes them and the store keeps
 * them (a JSON object):
 *
 *   max_epochs     R: the largest budget of one configuration   (27)
 *   eta            η >= 2                                        (3)
 *   budget_epochs  epochs the whole search may spend, > 0        (required)
 *   min_epochs     successive halving's first budget             (1)
 *   n_configs      random search's N / successive halving's n    (0: default)
 *   seed           of the sampler and the trainer               (0)
 *
 * Methods: "random", "successive-halving" (or "sh"), "hyperband", "bohb".
 */
#pragma once

#include <json-glib/json-glib.h>

#include "hs-scheduler.h"

G_BEGIN_DECLS

#define HS_SEARCH_SETTINGS_ERROR (hs_search_settings_error_quark ())
GQuark hs_search_settings_error_quark (void);

typedef enum {
  HS_SEARCH_SETTINGS_ERROR_INVALID,  /* the message names the field */
} HsSearchSettingsError;

/* The canonical name of a method, NULL when unknown. */
const char *hs_search_method_canonical (const char *method);

/* Reads settings (a JSON object; unknown keys, wrong types and values out of
 * range are errors naming the field) into options.  The scheduler is
 * created once here too, so settings that make no search (R < r, …) fail
 * now rather than when the search starts. */
gboolean    hs_search_settings_parse (const char *method, JsonObject *settings,
                                      HsSearchSpace *space, HsSchedulerOptions *options,
                                      GError **error);
/* The same from the stored text. */
gboolean    hs_search_settings_parse_text (const char *method, const char *settings,
                                           HsSearchSpace *space, HsSchedulerOptions *options,
                                           GError **error);
/* The settings object with every key (what the store keeps). */
char       *hs_search_settings_to_json (const HsSchedulerOptions *options);

G_END_DECLS
