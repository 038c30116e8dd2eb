/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Columns: see hs-columns.h.
 */
#define G_LOG_DOMAIN "hs-columns"

#include <math.h>

#include "hs-client.h"
#include "hs-columns.h"
#include "hs-item.h"

static void
cell_refresh (HsItem *item, GParamSpec *pspec, GtkListItem *list_item)
{
  const char *key = g_object_get_data (G_OBJECT (list_item), "hs-column");
  g_autofree char *text = hs_item_format (item, key);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)), text);
}

static void
cell_setup (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
  g_object_set_data (G_OBJECT (list_item), "hs-column", data);
}

static void
cell_bind (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  HsItem *item = gtk_list_item_get_item (list_item);
  gulong id = g_signal_connect (item, "notify::object", G_CALLBACK (cell_refresh), list_item);

  g_object_set_data (G_OBJECT (list_item), "hs-handler", GSIZE_TO_POINTER (id));
  cell_refresh (item, NULL, list_item);
}

static void
cell_unbind (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  HsItem *item = gtk_list_item_get_item (list_item);
  gulong id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (list_item), "hs-handler"));

  if (item != NULL && id != 0)
    g_signal_handler_disconnect (item, id);
  g_object_set_data (G_OBJECT (list_item), "hs-handler", NULL);
}

GtkListItemFactory *
hs_columns_factory (const char *column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), (gpointer) g_intern_string (column));
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind), NULL);
  return factory;
}

/* Numbers before strings before null/missing; numbers by value. */
static int
member_rank (JsonNode *node, double *number, const char **text)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 2;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
    case G_TYPE_BOOLEAN:
      *number = json_node_get_double (node);
      return isnan (*number) ? 2 : 0;
    case G_TYPE_STRING:
      *text = json_node_get_string (node);
      return 1;
    default:
      return 2;
    }
}

static int
compare_members (gconstpointer a, gconstpointer b, gpointer data)
{
  const char *member = data;
  JsonObject *oa = hs_item_get_object ((HsItem *) a), *ob = hs_item_get_object ((HsItem *) b);
  double na = 0, nb = 0;
  const char *ta = NULL, *tb = NULL;
  int ra = member_rank (json_object_get_member (oa, member), &na, &ta);
  int rb = member_rank (json_object_get_member (ob, member), &nb, &tb);

  if (ra != rb)
    return ra < rb ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
  if (ra == 0)
    return na < nb ? GTK_ORDERING_SMALLER : na > nb ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
  if (ra == 1)
    return gtk_ordering_from_cmpfunc (g_utf8_collate (ta, tb));
  return GTK_ORDERING_EQUAL;
}

GtkColumnViewColumn *
hs_columns_add (GtkColumnView *view, const char *title, const char *column, gboolean expand,
                const char *sort_member)
{
  g_autoptr(GtkColumnViewColumn) c = gtk_column_view_column_new (title, hs_columns_factory (column));

  gtk_column_view_column_set_expand (c, expand);
  gtk_column_view_column_set_resizable (c, TRUE);
  if (sort_member != NULL)
    {
      g_autoptr(GtkSorter) sorter =
        GTK_SORTER (gtk_custom_sorter_new (compare_members, (gpointer) g_intern_string (sort_member),
                                           NULL));

      gtk_column_view_column_set_sorter (c, sorter);
    }
  gtk_column_view_append_column (view, c);
  return c;
}

GtkSortListModel *
hs_columns_sorted (GtkColumnView *view, GListModel *model)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (view);

  return gtk_sort_list_model_new (model, sorter ? g_object_ref (sorter) : NULL);
}
