/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tests reach inside HsSpaceEditor: they fill in the fields the
 * way typing would (each change is validated at once) and read the
 * messages shown.  Save is the window's "editor.save" action.
 */
#pragma once

#include "hs-space-editor.h"

G_BEGIN_DECLS

void        hs_space_editor_set_name          (HsSpaceEditor *self, const char *name);
/* FALSE: dimensions, TRUE: a grid as JSON text. */
void        hs_space_editor_set_grid          (HsSpaceEditor *self, gboolean grid);
void        hs_space_editor_set_grid_text     (HsSpaceEditor *self, const char *text);
guint       hs_space_editor_get_n_dimensions  (HsSpaceEditor *self);
void        hs_space_editor_add_dimension     (HsSpaceEditor *self);
void        hs_space_editor_remove_dimension  (HsSpaceEditor *self, guint index);
/* type: "float", "int" or "categorical"; min, max and choices as typed. */
void        hs_space_editor_set_dimension     (HsSpaceEditor *self,
                                               guint          index,
                                               const char    *name,
                                               const char    *type,
                                               const char    *min,
                                               const char    *max,
                                               gboolean       log,
                                               const char    *choices);
/* The definition Save would send (JSON text), or NULL while invalid. */
char       *hs_space_editor_get_definition_text (HsSpaceEditor *self);
/* The message shown under dimension index, or NULL. */
const char *hs_space_editor_get_dimension_error (HsSpaceEditor *self, guint index);
/* The first message shown anywhere (top, a dimension, the grid), or NULL. */
const char *hs_space_editor_get_error         (HsSpaceEditor *self);

G_END_DECLS
