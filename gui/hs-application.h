/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* meson passes the application ID (app_id in the root meson.build). */
#ifndef HS_APP_ID
#define HS_APP_ID "io.github.hyperstar.Workbench"
#endif
#define HS_TYPE_APPLICATION (hs_application_get_type ())
G_DECLARE_FINAL_TYPE (HsApplication, hs_application, HS, APPLICATION, AdwApplication)

HsApplication *hs_application_new (void);
/* The settings (io.github.hyperstar.Workbench), NULL when no schema was
 * found; available once the application has started up. */
GSettings     *hs_application_get_settings    (HsApplication *self);
/* The socket the window talks to hyperstard on: --socket, $HS_SOCKET, the
 * socket-path setting, then the default. */
char          *hs_application_dup_socket_path (HsApplication *self);

/* Renders a widget (a mapped window) to a PNG. */
/* Binds the translations: those built in the tree when this program runs
 * from the build tree, else the installed ones. */
void     hs_bind_textdomain (void);

gboolean hs_widget_save_png (GtkWidget *widget, const char *path, GError **error);

G_END_DECLS
