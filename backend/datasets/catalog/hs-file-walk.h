/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Walking a package's folder for the files a recipe selects, and turning
 * their paths into class and group names with the recipe's regular
 * expression and replacement templates.
 */
#pragma once

#include "hs-builder.h"

G_BEGIN_DECLS

/* Relative paths of the regular files (symbolic links are skipped: in icon
 * themes and data packages they are the same picture under another name)
 * under root, sorted, that match re (NULL: all). */
GPtrArray *hs_file_walk (const char *root, GRegex *re, GError **error);

/* A compiled [Source] regex; NULL and no error when the key is absent and
 * fallback is NULL. */
GRegex    *hs_build_get_regex (HsBuild *build, const char *key, const char *fallback,
                               GError **error);

/* The class of subject: with a [Classes] group, the first class whose
 * regex matches; else the `class` template expanded on re's match.  Then
 * renamed through [Rename].  NULL when it has no class. */
char      *hs_build_classify (HsBuild *build, GRegex *re, const char *subject,
                              const char *class_template);
/* The `template` expanded on re's match of subject (NULL template: NULL). */
char      *hs_build_expand (GRegex *re, const char *subject, const char *template);

G_END_DECLS
