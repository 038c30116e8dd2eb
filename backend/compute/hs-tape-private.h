/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tape nodes, shared by the tape (hs-tape.c) and the ops that record them
 * (hs-ops*.c).
 */
#pragma once

#include "hs-backend-private.h"

G_BEGIN_DECLS

typedef struct _HsNode HsNode;

/* Computes the gradients of the node's inputs from node->grad and hands each
 * to hs_node_give_grad().  Kernel failures stick on the device. */
typedef void (*HsBackwardFunc) (HsNode *node);

#define HS_NODE_MAX_SAVED 4

struct _HsNode {
  const char *op;
  HsBackwardFunc backward;
  HsTensor *out;                      /* strong */
  HsTensor **in;                      /* strong, n_in */
  guint n_in;
  HsTensor *saved[HS_NODE_MAX_SAVED]; /* strong, may be NULL */
  HsTensor *grad;                     /* d loss / d out, filled during backward */
  gint mode;                          /* op variant: activation, pool type… */
  union {
    HsConvGeom geom;
    struct { gint perm[4]; } perm;
    struct { gfloat f[4]; gint i[4]; guint32 seed; gsize z[6]; } p;
  } u;
};

/* Whether the op producing `out` from these inputs must be recorded. */
gboolean hs_tape_wants (HsTensor *const *in, guint n_in);
/* Record a node producing `out` (no-op without a recording tape or when no
 * input needs a gradient).  Returns the node to fill with saved tensors and
 * parameters, or NULL when nothing was recorded. */
HsNode  *hs_tape_record (const char *op, HsBackwardFunc backward, HsTensor *out,
                         HsTensor *const *in, guint n_in);
/* Whether input i needs a gradient (a leaf that requires one, or the output
 * of a recorded node). */
gboolean hs_node_input_wants_grad (HsNode *node, guint i);
/* Hand over (transfer) the gradient for input i; it is accumulated. */
void     hs_node_give_grad (HsNode *node, guint i, HsTensor *grad);

G_END_DECLS
