/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The daemon's socket path (see hs-socket-path.h).
 */
#include "hs-socket-path.h"

char *
hs_socket_default_path (void)
{
  const char *env = g_getenv ("HS_SOCKET");
  const char *flatpak_id = g_getenv ("FLATPAK_ID");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (flatpak_id != NULL && *flatpak_id != '\0')
    return g_build_filename (g_get_user_runtime_dir (), "app", flatpak_id, "hyperstard.sock",
                             NULL);
  return g_build_filename (g_get_user_runtime_dir (), "hyperstar", "hyperstard.sock", NULL);
}
