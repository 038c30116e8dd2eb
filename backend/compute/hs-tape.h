/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reverse-mode autograd on a tape.  A model is written once, as its forward:
 *
 *   HsTape *tape = hs_tape_new (device);     // starts recording
 *   loss = model_forward (...);
 *   hs_tape_backward (tape, loss, &error);   // += into every leaf's grad
 *   hs_tape_free (tape);                     // stops recording
 *
 * Gradients accumulate across backward passes until hs_tensor_zero_grad().
 */
#pragma once

#include "hs-types.h"

G_BEGIN_DECLS

HsTape   *hs_tape_new (HsDevice *device);
/* loss must be a one-element tensor recorded on this tape. */
gboolean  hs_tape_backward (HsTape *tape, HsTensor *loss, GError **error);
guint     hs_tape_get_n_nodes (HsTape *tape);
void      hs_tape_free (HsTape *tape);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTape, hs_tape_free)

G_END_DECLS
