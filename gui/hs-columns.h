/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Columns of GtkColumnViews over HsItem rows: a label showing
 * hs_item_format (item, column), kept current when the item changes, and
 * optionally a sorter on a member of the item's JSON object (numbers as
 * numbers, null last).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* sort_member NULL: the column does not sort. */
GtkColumnViewColumn *hs_columns_add (GtkColumnView *view,
                                     const char    *title,
                                     const char    *column,
                                     gboolean       expand,
                                     const char    *sort_member);

/* A list factory whose rows show hs_item_format (item, column). */
GtkListItemFactory  *hs_columns_factory (const char *column);

/* Wraps model in a GtkSortListModel driven by the view's column sorters,
 * and returns it (transfer full; takes model). */
GtkSortListModel    *hs_columns_sorted  (GtkColumnView *view, GListModel *model);

G_END_DECLS
