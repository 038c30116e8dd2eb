/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HS_APP_ID "io.github.hyperstar.Workbench"
#define HS_TYPE_APPLICATION (hs_application_get_type ())
G_DECLARE_FINAL_TYPE (HsApplication, hs_application, HS, APPLICATION, AdwApplication)

HsApplication *hs_application_new (void);

/* Renders a widget (a mapped window) to a PNG. */
gboolean hs_widget_save_png (GtkWidget *widget, const char *path, GError **error);

G_END_DECLS
