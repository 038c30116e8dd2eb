/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsWindow: the workbench window — Queue, Datasets, Spaces and Results
 * pages over one HsSession (one HsClient); a toast for each message, a
 * status page while hyperstard does not answer.
 */
#pragma once

#include <adwaita.h>

#include "hs-client.h"

G_BEGIN_DECLS

#define HS_TYPE_WINDOW (hs_window_get_type ())
G_DECLARE_FINAL_TYPE (HsWindow, hs_window, HS, WINDOW, AdwApplicationWindow)

HsWindow *hs_window_new      (GtkApplication *app, HsClient *client);
/* page: queue, datasets, spaces or results; FALSE for another name. */
gboolean  hs_window_set_page (HsWindow *self, const char *page);

G_END_DECLS
