/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers shared by the op files (hs-ops.c, hs-ops-nn.c).
 */
#pragma once

#include "hs-device.h"
#include "hs-ops.h"
#include "hs-tape-private.h"
#include "hs-tensor.h"

G_BEGIN_DECLS

/* A new tensor on `like`'s device that backward passes allocate; failures
 * stick on the device (backward code checks the device once at the end). */
HsTensor *hs_ops_new (HsTensor *like, HsDType dtype, guint ndim, const gint64 *shape);
HsTensor *hs_ops_new_like (HsTensor *like);

/* Sets a shape error "op: …" naming the shapes of a and b (b may be NULL). */
void      hs_ops_shape_error (GError **error, const char *op, HsTensor *a, HsTensor *b,
                              const char *format, ...) G_GNUC_PRINTF (5, 6);
gboolean  hs_ops_check_f32 (const char *op, HsTensor *t, GError **error);
gboolean  hs_ops_check_same_device (const char *op, HsTensor *a, HsTensor *b, GError **error);

/* The op's epilogue: returns out, or NULL (dropping out) when the device
 * failed while computing it. */
HsTensor *hs_ops_finish (HsTensor *out, GError **error);

/* sum_to(dy → like's shape) as a new tensor, or a new reference to dy when
 * the shapes already match. */
HsTensor *hs_ops_reduce_like (HsTensor *dy, HsTensor *like, gfloat scale);

/* out = g_a(a) · g_b(b) for whole tensors (see HsGemm). */
void      hs_ops_gemm (HsTensor *c, HsTensor *a, HsTensor *b, gboolean ta, gboolean tb,
                       gint m, gint n, gint k, gint batch, gsize sa, gsize sb, gsize sc,
                       gfloat beta);

G_END_DECLS
