/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsItem: one row of a list (a search, a dataset, a running trial) holding
 * the daemon's JSON object for it.  hs_item_update replaces the object and
 * notifies "object", so bound cells redraw.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define HS_TYPE_ITEM (hs_item_get_type ())
G_DECLARE_FINAL_TYPE (HsItem, hs_item, HS, ITEM, GObject)

HsItem     *hs_item_new        (const char *key, JsonObject *object);
const char *hs_item_get_key    (HsItem *self);
JsonObject *hs_item_get_object (HsItem *self);
void        hs_item_update     (HsItem *self, JsonObject *object);
/* The text of a column: a member of the object, or one of the derived
 * columns "trials", "best", "progress", "built" (see hs-item.c). */
char       *hs_item_format     (HsItem *self, const char *column);

/* The position of the item with this key in a GListStore of HsItem. */
gboolean    hs_item_store_find (GListStore *store, const char *key, guint *position);

G_END_DECLS
