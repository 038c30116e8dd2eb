/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files appear whole or not at all: written to a hidden temporary file in
 * the destination's folder, flushed to disk, then renamed over the
 * destination (or hard-linked to it when it must not be replaced, which
 * fails if it exists).  Any failure removes the temporary file.  Used by
 * every file the project writes that a crash must not leave half-written:
 * datasets, contact sheets, weights, checkpoints.
 */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HsAtomicFile HsAtomicFile;

/* Errors are reported in the caller's domain: io_code for failed writes,
 * exists_code when the destination exists and must not be replaced. */
HsAtomicFile *hs_atomic_file_open (const char *path, GQuark domain, gint io_code,
                                   gint exists_code, GError **error);
FILE         *hs_atomic_file_get_stream (HsAtomicFile *file);
/* Both consume `file`: pass it with g_steal_pointer. */
gboolean      hs_atomic_file_commit (HsAtomicFile *file, gboolean replace, GError **error);
void          hs_atomic_file_abort (HsAtomicFile *file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsAtomicFile, hs_atomic_file_abort)

G_END_DECLS
