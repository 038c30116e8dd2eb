/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsThumbnailGrid: a dataset's images as a grid of thumbnails.  The list
 * of images comes a page at a time as the grid scrolls toward its end
 * (GET /datasets/NAME/images), and each thumbnail is fetched as a PNG only
 * when its cell is bound (GET /datasets/NAME/images/INDEX.png), a few at a
 * time; a cell unbound before its turn drops its request.  Textures are
 * kept in a small least-recently-used cache.
 */
#pragma once

#include <adwaita.h>

#include "hs-session.h"

G_BEGIN_DECLS

/* The side, in pixels, of the thumbnails asked of the daemon. */
#define HS_THUMBNAIL_SIZE 64

#define HS_TYPE_THUMBNAIL_GRID (hs_thumbnail_grid_get_type ())
G_DECLARE_FINAL_TYPE (HsThumbnailGrid, hs_thumbnail_grid, HS, THUMBNAIL_GRID, AdwBin)

GtkWidget *hs_thumbnail_grid_new       (HsSession *session);
/* Shows dataset's images (dataset NULL: none), only those of class
 * class_index when it is not negative.  class_names (may be NULL) name the
 * classes in tooltips.  Showing what is shown already does nothing. */
void       hs_thumbnail_grid_show      (HsThumbnailGrid    *self,
                                        const char         *dataset,
                                        int                 class_index,
                                        const char *const  *class_names);
/* Shows a message instead of images (e.g. why there are none). */
void       hs_thumbnail_grid_set_message (HsThumbnailGrid *self, const char *message);
/* How many images the daemon has in all (0 before the first page came). */
guint      hs_thumbnail_grid_get_total    (HsThumbnailGrid *self);

G_END_DECLS
