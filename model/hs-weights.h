/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Named tensors on disk: the format of the shipped backbone weights
 * (model/weights/) and of checkpoints.
 *
 * A file is a header (magic "HSWT", format version, architecture id string),
 * a table of entries (name, dtype, shape), their data (little-endian), and a
 * SHA-256 of everything before it.  Saving writes a temporary file and
 * renames it.  A corrupt, truncated or newer-version file, or one whose
 * architecture id or tensor shapes do not match what the caller expects, is
 * an error naming the file and what is wrong.
 */
#pragma once

#include "hs-compute.h"

G_BEGIN_DECLS

#define HS_WEIGHTS_ERROR (hs_weights_error_quark ())
GQuark hs_weights_error_quark (void);

typedef enum {
  HS_WEIGHTS_ERROR_IO,
  HS_WEIGHTS_ERROR_CORRUPT,     /* bad magic, truncated, checksum mismatch */
  HS_WEIGHTS_ERROR_VERSION,     /* a newer format than this build reads */
  HS_WEIGHTS_ERROR_MISMATCH,    /* architecture, missing tensor, shape or dtype */
} HsWeightsError;

typedef struct _HsWeights HsWeights;

/* An in-memory set of named tensors (host copies), in insertion order. */
HsWeights  *hs_weights_new (const char *architecture);
void        hs_weights_free (HsWeights *w);
const char *hs_weights_get_architecture (HsWeights *w);

/* Copies t's data to the host (downloads from its device). */
gboolean    hs_weights_add_tensor (HsWeights *w, const char *name, HsTensor *t, GError **error);
/* Raw host data (f32, i32 or u8), e.g. RNG state or counters in checkpoints. */
void        hs_weights_add_data (HsWeights *w, const char *name, HsDType dtype, guint ndim,
                                 const gint64 *shape, gconstpointer data);
guint       hs_weights_get_n_entries (HsWeights *w);
const char *hs_weights_get_entry_name (HsWeights *w, guint index);
gboolean    hs_weights_has (HsWeights *w, const char *name);
/* Host data of an entry, or NULL (with a MISMATCH error) when missing or of
 * another dtype/shape than asked (shape NULL: any shape; *numel set). */
gconstpointer hs_weights_get_data (HsWeights *w, const char *name, HsDType dtype, guint ndim,
                                   const gint64 *shape, gsize *numel, GError **error);
/* Uploads the entry into t (same dtype and shape, or a MISMATCH error naming
 * the tensor and both shapes). */
gboolean    hs_weights_copy_to (HsWeights *w, const char *name, HsTensor *t, GError **error);

gboolean    hs_weights_save (HsWeights *w, const char *path, GError **error);
/* expected_architecture may be NULL (any). */
HsWeights  *hs_weights_load (const char *path, const char *expected_architecture,
                             GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsWeights, hs_weights_free)

G_END_DECLS
