/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where hyperstard listens, for the daemon and its clients alike:
 * $HS_SOCKET when set, else $XDG_RUNTIME_DIR/hyperstar/hyperstard.sock
 * (inside Flatpak, $XDG_RUNTIME_DIR/app/$FLATPAK_ID/hyperstard.sock).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *hs_socket_default_path (void);

G_END_DECLS
