/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The counter-based hash behind dropout.  shaders/hs-random.glsl implements
 * the same function bit for bit, so every backend drops the same elements and
 * a backward pass re-derives its mask instead of storing it.
 */
#pragma once

#include <glib.h>

/* PCG's output permutation over a linear mix of seed and index. */
static inline guint32
hs_hash32 (guint32 seed, guint32 index)
{
  guint32 x = index * 747796405u + seed * 2891336453u + 1u;
  guint32 word = ((x >> ((x >> 28u) + 4u)) ^ x) * 277803737u;
  return (word >> 22u) ^ word;
}

/* Elements whose hash is below this are dropped. */
static inline guint32
hs_dropout_threshold (float p)
{
  double t = (double) p * 4294967296.0;
  return t >= 4294967295.0 ? 4294967295u : (guint32) t;
}

static inline gboolean
hs_dropout_keep (guint32 seed, guint32 index, guint32 threshold)
{
  return hs_hash32 (seed, index) >= threshold;
}
