/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsSpacesPage: the search spaces, with the selected one's definition, and
 * New, Duplicate, Edit and Delete.  A space that ships with the workbench
 * or that searches use cannot be changed or deleted (the daemon refuses):
 * the page says why and offers Duplicate instead.
 */
#pragma once

#include <adwaita.h>

#include "hs-session.h"

G_BEGIN_DECLS

#define HS_TYPE_SPACES_PAGE (hs_spaces_page_get_type ())
G_DECLARE_FINAL_TYPE (HsSpacesPage, hs_spaces_page, HS, SPACES_PAGE, AdwBin)

GtkWidget *hs_spaces_page_new          (HsSession *session);
/* Selects the space with this name (FALSE when it is not listed). */
gboolean   hs_spaces_page_select_space (HsSpacesPage *self, const char *name);

G_END_DECLS
