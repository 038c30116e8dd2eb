/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsSpaceEditor: a modal window that creates or changes a search space.
 * A space of dimensions is edited field by field (name, type, range, log
 * scale, choices); a grid, a list of named configurations, as JSON text.
 * Every change is checked with the daemon's own parser
 * (backend/hpo/hs-search-space.h): its message shows under the dimension
 * or the text it is about, and Save stays off until the space parses.  A
 * refusal from the daemon (a name already taken) shows in place too, and
 * the window stays open.
 */
#pragma once

#include <adwaita.h>

#include "hs-session.h"

G_BEGIN_DECLS

#define HS_TYPE_SPACE_EDITOR (hs_space_editor_get_type ())
G_DECLARE_FINAL_TYPE (HsSpaceEditor, hs_space_editor, HS, SPACE_EDITOR, AdwWindow)

/* key: the space to change (PUT /spaces/KEY), or NULL to add one (POST
 * /spaces).  definition: what to start from, or NULL for a space of one
 * dimension.  Once the daemon has taken the space, the editor reloads the
 * session's spaces, emits ::saved (the space's key) and closes. */
HsSpaceEditor *hs_space_editor_new (HsSession  *session,
                                    GtkWindow  *parent,
                                    const char *key,
                                    const char *name,
                                    JsonObject *definition);

/* A definition as people read it: one line per member, per configuration
 * of a grid and per dimension. */
char          *hs_space_format_definition (JsonObject *definition);

G_END_DECLS
