/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsThumbnailGrid: see hs-thumbnail-grid.h.
 */
#define G_LOG_DOMAIN "hs-thumbnail-grid"

#include <glib/gi18n.h>

#include "hs-thumbnail-grid.h"

/* Images listed per request: a few screens of thumbnails. */
#define PAGE_SIZE 240
/* Thumbnail requests under way at once: enough to fill a screen quickly,
 * few enough that a fast scroll does not queue hundreds behind the cells
 * the user stopped at. */
#define MAX_IN_FLIGHT 6
/* Textures kept (64×64 RGBA is 16 KiB: about 8 MiB in all). */
#define CACHE_SIZE 512

/* The list item's data: the cache key of the thumbnail it shows. */
#define KEY_DATA "hs-thumbnail-key"

typedef struct {
  char *key;
  GdkTexture *texture;
} CacheEntry;

struct _HsThumbnailGrid
{
  AdwBin parent_instance;

  HsSession *session;
  GtkStack *stack;
  GtkLabel *message;
  GtkScrolledWindow *scroller;
  GtkGridView *view;
  GListStore *images;           /* HsItem: {index, class, split} */

  char *dataset;
  int class_index;
  GStrv class_names;
  guint generation;             /* bumped by each show: older replies are dropped */
  guint total;
  gboolean have_total;
  gboolean listing;             /* a page of the list is under way */

  GQueue waiting;               /* GtkListItem: bound, thumbnail not asked for yet */
  guint in_flight;
  GHashTable *cache;            /* key → its link in lru */
  GQueue lru;                   /* CacheEntry, most recently used first */
};

G_DEFINE_FINAL_TYPE (HsThumbnailGrid, hs_thumbnail_grid, ADW_TYPE_BIN)

/* The texture cache */

static void
cache_entry_free (CacheEntry *entry)
{
  g_free (entry->key);
  g_object_unref (entry->texture);
  g_free (entry);
}

static GdkTexture *
cache_lookup (HsThumbnailGrid *self, const char *key)
{
  GList *link = g_hash_table_lookup (self->cache, key);

  if (link == NULL)
    return NULL;
  g_queue_unlink (&self->lru, link);
  g_queue_push_head_link (&self->lru, link);
  return ((CacheEntry *) link->data)->texture;
}

static void
cache_insert (HsThumbnailGrid *self, const char *key, GdkTexture *texture)
{
  CacheEntry *entry;

  if (g_hash_table_contains (self->cache, key))
    return;
  entry = g_new0 (CacheEntry, 1);
  entry->key = g_strdup (key);
  entry->texture = g_object_ref (texture);
  g_queue_push_head (&self->lru, entry);
  g_hash_table_insert (self->cache, entry->key, self->lru.head);
  while (self->lru.length > CACHE_SIZE)
    {
      CacheEntry *old = g_queue_pop_tail (&self->lru);

      g_hash_table_remove (self->cache, old->key);
      cache_entry_free (old);
    }
}

static void
cache_clear (HsThumbnailGrid *self)
{
  g_hash_table_remove_all (self->cache);
  g_queue_clear_full (&self->lru, (GDestroyNotify) cache_entry_free);
}

/* Thumbnails */

typedef struct {
  GtkListItem *list_item;
  char *key;
} Fetch;

static void
fetch_free (Fetch *f)
{
  g_object_unref (f->list_item);
  g_free (f->key);
  g_free (f);
}

static char *
image_path (HsThumbnailGrid *self, const char *rest)
{
  g_autofree char *name = g_uri_escape_string (self->dataset, NULL, FALSE);

  return g_strdup_printf ("/datasets/%s/images%s", name, rest);
}

static void
show_texture (GtkListItem *list_item, GdkTexture *texture)
{
  GtkWidget *picture = gtk_list_item_get_child (list_item);

  if (picture != NULL)
    gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (texture));
}

static void pump (HsThumbnailGrid *self);

static void
thumbnail_loaded (gpointer owner, JsonNode *reply, const GError *error, gpointer data)
{
  HsThumbnailGrid *self = owner;
  Fetch *f = data;
  GBytes *bytes = (GBytes *) reply;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) local = NULL;

  self->in_flight--;
  if (self->session == NULL)
    return;
  if (bytes != NULL)
    texture = gdk_texture_new_from_bytes (bytes, &local);
  if (texture != NULL)
    {
      cache_insert (self, f->key, texture);
      /* Only if the cell still shows that image: it may have been rebound. */
      if (g_strcmp0 (g_object_get_data (G_OBJECT (f->list_item), KEY_DATA), f->key) == 0)
        show_texture (f->list_item, texture);
    }
  else
    g_debug ("thumbnail %s: %s", f->key,
             error ? error->message : local ? local->message : "no body");
  pump (self);
}

/* Asks for the waiting cells' thumbnails, oldest binding first. */
static void
pump (HsThumbnailGrid *self)
{
  while (self->in_flight < MAX_IN_FLIGHT && !g_queue_is_empty (&self->waiting))
    {
      GtkListItem *list_item = g_queue_pop_head (&self->waiting);
      const char *key = g_object_get_data (G_OBJECT (list_item), KEY_DATA);
      HsItem *item = gtk_list_item_get_item (list_item);
      GdkTexture *texture;
      g_autofree char *rest = NULL;
      g_autofree char *path = NULL;
      Fetch *f;

      if (key == NULL || item == NULL)
        continue;
      /* Another cell may have fetched it meanwhile. */
      if ((texture = cache_lookup (self, key)) != NULL)
        {
          show_texture (list_item, texture);
          continue;
        }
      rest = g_strdup_printf ("/%" G_GINT64_FORMAT ".png?size=%d",
                              hs_json_get_int (hs_item_get_object (item), "index", 0),
                              HS_THUMBNAIL_SIZE);
      path = image_path (self, rest);
      f = g_new0 (Fetch, 1);
      f->list_item = g_object_ref (list_item);
      f->key = g_strdup (key);
      self->in_flight++;
      hs_session_call_bytes (self->session, path, self, thumbnail_loaded, f,
                             (GDestroyNotify) fetch_free);
    }
}

static void
cell_setup (GtkSignalListItemFactory *factory, GtkListItem *list_item, HsThumbnailGrid *self)
{
  GtkWidget *picture = gtk_picture_new ();

  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_size_request (picture, HS_THUMBNAIL_SIZE, HS_THUMBNAIL_SIZE);
  gtk_list_item_set_child (list_item, picture);
}

static void
cell_bind (GtkSignalListItemFactory *factory, GtkListItem *list_item, HsThumbnailGrid *self)
{
  JsonObject *o = hs_item_get_object (gtk_list_item_get_item (list_item));
  gint64 index = hs_json_get_int (o, "index", 0), class_index = hs_json_get_int (o, "class", -1);
  const char *split = hs_json_get_string (o, "split");
  guint n_names = self->class_names ? g_strv_length (self->class_names) : 0;
  g_autofree char *key = g_strdup_printf ("%s/%" G_GINT64_FORMAT, self->dataset, index);
  g_autofree char *tooltip = NULL;
  GdkTexture *texture = cache_lookup (self, key);

  /* TRANSLATORS: a thumbnail's tooltip: image number, class, split. */
  tooltip = g_strdup_printf (_("Image %lld · %s · %s"), (long long) index,
                             class_index >= 0 && class_index < n_names
                             ? self->class_names[class_index] : "?",
                             split ? split : "?");
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (list_item), tooltip);
  show_texture (list_item, texture);
  g_object_set_data_full (G_OBJECT (list_item), KEY_DATA, g_steal_pointer (&key), g_free);
  g_queue_remove (&self->waiting, list_item);
  if (texture == NULL)
    {
      g_queue_push_tail (&self->waiting, list_item);
      pump (self);
    }
}

static void
cell_unbind (GtkSignalListItemFactory *factory, GtkListItem *list_item, HsThumbnailGrid *self)
{
  /* A request under way still fills the cache; one not sent is dropped. */
  g_queue_remove (&self->waiting, list_item);
  g_object_set_data (G_OBJECT (list_item), KEY_DATA, NULL);
  show_texture (list_item, NULL);
}

/* The list of images, a page at a time */

static void list_more (HsThumbnailGrid *self);

void
hs_thumbnail_grid_set_message (HsThumbnailGrid *self, const char *message)
{
  g_return_if_fail (HS_IS_THUMBNAIL_GRID (self));

  gtk_label_set_text (self->message, message ? message : "");
  gtk_stack_set_visible_child_name (self->stack, message ? "message" : "grid");
}

static void
page_loaded (gpointer owner, JsonNode *reply, const GError *error, gpointer data)
{
  HsThumbnailGrid *self = owner;
  JsonObject *o;
  JsonArray *images;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  if (GPOINTER_TO_UINT (data) != self->generation || self->session == NULL)
    return;
  self->listing = FALSE;
  if (error != NULL || reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    {
      hs_thumbnail_grid_set_message (self, error ? error->message
                                                 : _("The daemon’s list of images is not valid"));
      return;
    }
  o = json_node_get_object (reply);
  images = hs_json_get_array (o, "images");
  self->total = (guint) MAX (hs_json_get_int (o, "total", 0), 0);
  self->have_total = TRUE;
  for (guint i = 0; images != NULL && i < json_array_get_length (images); i++)
    {
      JsonObject *image = json_array_get_object_element (images, i);
      g_autofree char *key = NULL;

      if (image == NULL)
        continue;
      key = g_strdup_printf ("%" G_GINT64_FORMAT, hs_json_get_int (image, "index", 0));
      g_ptr_array_add (items, hs_item_new (key, image));
    }
  g_list_store_splice (self->images, g_list_model_get_n_items (G_LIST_MODEL (self->images)), 0,
                       items->pdata, items->len);
  if (self->total == 0)
    hs_thumbnail_grid_set_message (self, _("No images"));
  /* A page that did not come back whole means the list ended early. */
  if (items->len < PAGE_SIZE)
    self->total = g_list_model_get_n_items (G_LIST_MODEL (self->images));
}

static void
list_more (HsThumbnailGrid *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->images));
  g_autofree char *rest = NULL;
  g_autofree char *path = NULL;

  if (self->listing || self->dataset == NULL || (self->have_total && n >= self->total))
    return;
  if (self->class_index >= 0)
    rest = g_strdup_printf ("?offset=%u&limit=%d&class=%d", n, PAGE_SIZE, self->class_index);
  else
    rest = g_strdup_printf ("?offset=%u&limit=%d", n, PAGE_SIZE);
  path = image_path (self, rest);
  self->listing = TRUE;
  hs_session_call (self->session, "GET", path, NULL, self, page_loaded,
                   GUINT_TO_POINTER (self->generation), NULL);
}

/* Lists more once the view is within two screens of the end. */
static void
scrolled_cb (GtkAdjustment *adjustment, HsThumbnailGrid *self)
{
  double page = gtk_adjustment_get_page_size (adjustment);

  if (gtk_adjustment_get_value (adjustment) + page >= gtk_adjustment_get_upper (adjustment) - 2 * page)
    list_more (self);
}

void
hs_thumbnail_grid_show (HsThumbnailGrid *self, const char *dataset, int class_index,
                        const char *const *class_names)
{
  g_return_if_fail (HS_IS_THUMBNAIL_GRID (self));

  g_strfreev (self->class_names);
  self->class_names = g_strdupv ((char **) class_names);
  class_index = MAX (class_index, -1);
  if (g_strcmp0 (dataset, self->dataset) == 0 && class_index == self->class_index)
    return;
  g_free (self->dataset);
  self->dataset = g_strdup (dataset);
  self->class_index = class_index;
  self->generation++;
  self->listing = FALSE;
  self->have_total = FALSE;
  self->total = 0;
  g_queue_clear (&self->waiting);
  g_list_store_remove_all (self->images);
  hs_thumbnail_grid_set_message (self, NULL);
  list_more (self);
}

guint
hs_thumbnail_grid_get_total (HsThumbnailGrid *self)
{
  g_return_val_if_fail (HS_IS_THUMBNAIL_GRID (self), 0);
  return self->total;
}

/* GObject */

GtkWidget *
hs_thumbnail_grid_new (HsSession *session)
{
  HsThumbnailGrid *self = g_object_new (HS_TYPE_THUMBNAIL_GRID, NULL);

  self->session = g_object_ref (session);
  return GTK_WIDGET (self);
}

static void
hs_thumbnail_grid_dispose (GObject *object)
{
  HsThumbnailGrid *self = HS_THUMBNAIL_GRID (object);

  g_queue_clear (&self->waiting);
  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_object (&self->images);
  g_clear_object (&self->session);
  cache_clear (self);
  G_OBJECT_CLASS (hs_thumbnail_grid_parent_class)->dispose (object);
}

static void
hs_thumbnail_grid_finalize (GObject *object)
{
  HsThumbnailGrid *self = HS_THUMBNAIL_GRID (object);

  g_hash_table_unref (self->cache);
  g_free (self->dataset);
  g_strfreev (self->class_names);
  G_OBJECT_CLASS (hs_thumbnail_grid_parent_class)->finalize (object);
}

static void
hs_thumbnail_grid_class_init (HsThumbnailGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_thumbnail_grid_dispose;
  object_class->finalize = hs_thumbnail_grid_finalize;
}

static void
hs_thumbnail_grid_init (HsThumbnailGrid *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkAdjustment *adjustment;

  self->class_index = -1;
  self->cache = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&self->waiting);
  g_queue_init (&self->lru);
  self->images = g_list_store_new (HS_TYPE_ITEM);

  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind), self);
  self->view = GTK_GRID_VIEW (gtk_grid_view_new (
    GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->images)))),
    factory));
  gtk_grid_view_set_max_columns (self->view, 64);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "thumbnails");

  self->scroller = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_scrolled_window_set_policy (self->scroller, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (self->scroller, GTK_WIDGET (self->view));
  gtk_widget_set_vexpand (GTK_WIDGET (self->scroller), TRUE);
  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (scrolled_cb), self, 0);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (scrolled_cb), self, 0);

  self->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->message, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->message), "dim-label");

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->scroller), "grid");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->message), "message");
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->stack));
}
