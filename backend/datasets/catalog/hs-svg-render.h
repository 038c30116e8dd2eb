/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pictures from files: an SVG (or SVGZ) document or one element of it,
 * cropped to its ink, or a bitmap gdk-pixbuf reads; composited over white
 * and fitted to the dataset size.
 */
#pragma once

#include <librsvg/rsvg.h>

G_BEGIN_DECLS

/* Draws element id ("king_heart"; NULL: the whole document) of handle,
 * scaled so its ink box fills about px pixels.  FALSE with an error when
 * librsvg cannot place or draw it. */
gboolean hs_svg_render (RsvgHandle *handle, const char *id, guint px, guint size, guint8 *rgb,
                        GError **error);

/* An SVG/SVGZ through librsvg, anything else through gdk-pixbuf. */
gboolean hs_picture_render (const char *path, guint px, guint size, guint8 *rgb, GError **error);

/* The element ids an SVG or SVGZ file declares, in document order. */
GPtrArray *hs_svg_list_ids (const char *path, GError **error);

G_END_DECLS
