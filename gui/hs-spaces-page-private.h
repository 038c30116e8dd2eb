/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tests reach inside HsSpacesPage.
 */
#pragma once

#include "hs-space-editor.h"
#include "hs-spaces-page.h"

G_BEGIN_DECLS

/* The editor New, Duplicate or Edit opened, while it is open. */
HsSpaceEditor    *hs_spaces_page_get_editor        (HsSpacesPage *self);
/* The confirmation Delete opened, while it is open. */
AdwMessageDialog *hs_spaces_page_get_delete_dialog (HsSpacesPage *self);
/* The selected space's definition as shown ("" until it is loaded). */
char             *hs_spaces_page_get_definition_text (HsSpacesPage *self);

G_END_DECLS
