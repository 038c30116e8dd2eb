/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small meta-datasets written into temporary folders for the meta tests.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new empty folder under the system's temporary folder. */
char *tm_make_dir (void);
/* Writes dir/name (replacing it); the test aborts if that fails. */
void  tm_write (const char *dir, const char *name, const char *text);
/* Writes dir/name gzip-compressed. */
void  tm_write_gz (const char *dir, const char *name, const char *text);
void  tm_remove (const char *dir, const char *name);
/* Removes dir and the files in it (no sub-folders are made). */
void  tm_remove_dir (const char *dir);
/* Asserts error is in HS_META_ERROR with code and its message holds every
 * one of the NULL-terminated fragments. */
void  tm_assert_error (const GError *error, gint code, ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
