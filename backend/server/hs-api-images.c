/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * /api/v1/datasets/NAME/images: a dataset's images, a page at a time, and
 * each one as a PNG (a thumbnail, scaled with nearest neighbour), for a
 * dataset page's grid.  The dataset is opened once and kept among the last
 * few (hs-dataset-cache.h), loaded in a thread the first time.
 */
#define G_LOG_DOMAIN "hyperstard"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "hs-server-private.h"

#define MAX_PAGE 1000
#define NO_CLASS G_MAXUINT

/* What a request asks of the dataset, read before it is opened. */
typedef struct {
  guint64 offset, limit;
  guint64 class_index;     /* NO_CLASS: every class */
  guint64 index;           /* the image */
  guint64 size;            /* 0: as stored */
} Query;

typedef void (*ReplyFunc) (SoupServerMessage *msg, HsDataset *ds, const Query *q);

typedef struct {
  Query q;
  ReplyFunc reply;
  HsDeferred *deferred;
} Pending;

static const char *const split_names[HS_N_SPLITS] = { "train", "val", "test" };

static void
reply_page (SoupServerMessage *msg, HsDataset *ds, const Query *q)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gsize n = hs_dataset_get_n_images (ds);
  guint64 seen = 0, total;

  if (q->class_index != NO_CLASS && q->class_index >= hs_dataset_get_n_classes (ds))
    {
      hs_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid",
                      "query parameter “class”: the dataset has %u classes (0 to %u), not %"
                      G_GUINT64_FORMAT, hs_dataset_get_n_classes (ds),
                      hs_dataset_get_n_classes (ds) - 1, q->class_index);
      return;
    }
  total = q->class_index == NO_CLASS ? n
                                     : hs_dataset_count (ds, (guint) q->class_index, HS_N_SPLITS);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, (gint64) total);
  json_builder_set_member_name (b, "offset");
  json_builder_add_int_value (b, (gint64) q->offset);
  json_builder_set_member_name (b, "images");
  json_builder_begin_array (b);
  for (gsize i = 0; i < n && seen < q->offset + q->limit; i++)
    {
      guint label = hs_dataset_get_label (ds, i);

      if (q->class_index != NO_CLASS && label != q->class_index)
        continue;
      if (seen++ < q->offset)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, (gint64) i);
      json_builder_set_member_name (b, "class");
      json_builder_add_int_value (b, label);
      json_builder_set_member_name (b, "split");
      json_builder_add_string_value (b, split_names[hs_dataset_get_split (ds, i)]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  hs_reply_json (msg, SOUP_STATUS_OK, json_builder_get_root (b));
}

static void
reply_png (SoupServerMessage *msg, HsDataset *ds, const Query *q)
{
  guint side = hs_dataset_get_size (ds);
  guint size = q->size ? (guint) q->size : side;
  g_autoptr(GdkPixbuf) image = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autoptr(GError) error = NULL;
  char *png = NULL;
  gsize len = 0;

  if (q->index >= hs_dataset_get_n_images (ds))
    {
      hs_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not-found",
                      "no image %" G_GUINT64_FORMAT ": the dataset has %" G_GSIZE_FORMAT
                      " (0 to %" G_GSIZE_FORMAT ")", q->index, hs_dataset_get_n_images (ds),
                      hs_dataset_get_n_images (ds) - 1);
      return;
    }
  /* The pixels are borrowed: the dataset outlives this call. */
  image = gdk_pixbuf_new_from_data (hs_dataset_get_image (ds, q->index), GDK_COLORSPACE_RGB,
                                    FALSE, 8, side, side, side * 3, NULL, NULL);
  scaled = size == side ? g_object_ref (image)
                        : gdk_pixbuf_scale_simple (image, size, size, GDK_INTERP_NEAREST);
  if (scaled == NULL || !gdk_pixbuf_save_to_buffer (scaled, &png, &len, "png", &error, NULL))
    {
      hs_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                      "image %" G_GUINT64_FORMAT ": %s", q->index,
                      error ? error->message : "out of memory");
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_TAKE, png, len);
}

static void
on_dataset (HsDataset *ds, const GError *error, gpointer data)
{
  Pending *p = data;
  SoupServerMessage *msg = hs_deferred_get_message (p->deferred);

  if (msg != NULL && ds == NULL)
    hs_reply_gerror (msg, error);
  else if (msg != NULL)
    p->reply (msg, ds, &p->q);
  hs_deferred_finish (p->deferred);
  g_free (p);
}

/* Replies with the dataset: at once when it is open, else once it is. */
static void
with_dataset (HsRequest *req, const Query *q, ReplyFunc reply)
{
  const char *name = req->segments[1];
  g_autofree char *path = NULL;
  HsDataset *ds;
  Pending *p;

  if (!hs_api_dataset_file (req, name, &path))
    return;
  if ((ds = hs_dataset_cache_lookup (req->server->datasets, name)) != NULL)
    {
      reply (req->msg, ds, q);
      return;
    }
  p = g_new0 (Pending, 1);
  p->q = *q;
  p->reply = reply;
  p->deferred = hs_deferred_new (req->msg);
  hs_dataset_cache_open (req->server->datasets, name, path, on_dataset, p);
}

/* "INDEX.png" → INDEX, or a 404 reply. */
static gboolean
parse_image_name (HsRequest *req, const char *segment, guint64 *index)
{
  g_autofree char *digits = g_str_has_suffix (segment, ".png")
                            ? g_strndup (segment, strlen (segment) - 4) : NULL;

  if (digits == NULL ||
      !g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT64, index, NULL))
    {
      hs_reply_error (req->msg, SOUP_STATUS_NOT_FOUND, "not-found",
                      "no image “%s” (images are INDEX.png)", segment);
      return FALSE;
    }
  return TRUE;
}

void
hs_route_dataset_images (HsRequest *req)
{
  Query q = { 0, 0, NO_CLASS, 0, 0 };

  if (!g_str_equal (req->method, "GET"))
    hs_reply_error (req->msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method",
                    "%s is not allowed here (GET)", req->method);
  else if (req->n_segments == 3)
    {
      if (hs_query_uint (req, "offset", 0, G_MAXUINT, &q.offset) &&
          hs_query_uint (req, "limit", 100, MAX_PAGE, &q.limit) &&
          hs_query_uint (req, "class", NO_CLASS, NO_CLASS - 1, &q.class_index))
        with_dataset (req, &q, reply_page);
    }
  else if (parse_image_name (req, req->segments[3], &q.index) &&
           hs_query_uint_range (req, "size", 0, 8, 256, &q.size))
    with_dataset (req, &q, reply_png);
}
