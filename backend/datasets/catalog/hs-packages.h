/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Debian packages as the catalog sees them: installed or not (dpkg), known
 * to apt or not, and files fetched from a package without installing it
 * (for sources whose package would pull a large dependency tree, such as
 * python3-sklearn for one CSV file).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* dpkg says "installed".  The list is read once per process. */
gboolean hs_package_is_installed (const char *package);
/* apt can download it (apt-cache knows a candidate).  Memoised. */
gboolean hs_package_is_downloadable (const char *package);
/* Adds the paths an installed package put on the system (dpkg's file
 * list) to set; FALSE when dpkg has no list for it. */
gboolean hs_package_add_files (const char *package, GHashTable *set);
/* Forgets what was learnt (after installing packages, in tests). */
void     hs_packages_reset (void);

/* Unpacks `path` (absolute, as in the package; a file or a directory) of
 * `package` under `root`, downloading the .deb with `apt-get download` into
 * a temporary folder of `root` and removing it afterwards.  Returns the
 * unpacked path.  Nothing is downloaded when it is already there. */
char    *hs_package_fetch (const char *package, const char *path, const char *root,
                           GError **error);

G_END_DECLS
