/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turning decoded pictures into dataset images: size×size RGB u8.
 *
 * Alpha is composited over white (icons, emoji and glyph renders are drawn on
 * transparent backgrounds).  The aspect ratio is kept: the picture is scaled
 * to fit the square (area-averaged when shrinking, bilinear when growing),
 * centred, and the rest is filled with the picture's mean border colour, so a
 * photo's letterbox bars do not introduce a colour the picture lacks.
 * Grey pictures become R = G = B.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* pixels: height rows of `rowstride` bytes, n_channels 1 (grey), 2 (grey +
 * alpha), 3 (RGB) or 4 (RGBA), 8 bits each.  out: size×size×3. */
void     hs_image_fit (const guint8 *pixels, guint width, guint height, gsize rowstride,
                       guint n_channels, guint size, guint8 *out);

/* Near-empty renders: TRUE when the standard deviation of the grey levels is
 * below `min_stddev` (0–255 scale; 2.0 rejects flat and faintly noisy
 * images; for scale, one black pixel on a white 32×32 image measures 8). */
gboolean hs_image_is_blank (const guint8 *rgb, guint size, gdouble min_stddev);

/* Decodes a picture file with gdk-pixbuf (PNG, JPEG, the first frame of a
 * GIF, BMP, TIFF, WebP, SVG through librsvg…: the content decides, not the
 * extension), turns it upright by its EXIF orientation and fits it into
 * out (size×size×3).  Large pictures are decoded at reduced size where the
 * loader can (JPEG scales while decoding; SVG renders at the size asked).
 * On failure the error's message says why, in words fit for a report
 * ("empty file", the decoder's own message…).  Safe to call from several
 * threads at once. */
gboolean hs_image_load (const char *path, guint size, guint8 *out, GError **error);

G_END_DECLS
