/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hs-item"

#include <glib/gi18n.h>
#include <math.h>

#include "hs-client.h"
#include "hs-item.h"

struct _HsItem
{
  GObject parent_instance;
  char *key;
  JsonObject *object;
};

G_DEFINE_FINAL_TYPE (HsItem, hs_item, G_TYPE_OBJECT)

enum { PROP_0, PROP_OBJECT, N_PROPS };
static GParamSpec *properties[N_PROPS];

HsItem *
hs_item_new (const char *key, JsonObject *object)
{
  HsItem *self = g_object_new (HS_TYPE_ITEM, NULL);

  self->key = g_strdup (key);
  self->object = json_object_ref (object);
  return self;
}

const char *
hs_item_get_key (HsItem *self)
{
  return self->key;
}

JsonObject *
hs_item_get_object (HsItem *self)
{
  return self->object;
}

void
hs_item_update (HsItem *self, JsonObject *object)
{
  g_return_if_fail (HS_IS_ITEM (self));
  if (object == self->object)
    return;
  json_object_ref (object);
  json_object_unref (self->object);
  self->object = object;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OBJECT]);
}

static char *
format_count (JsonObject *o, const char *name)
{
  gint64 v = hs_json_get_int (o, name, -1);

  return v < 0 ? g_strdup ("—") : g_strdup_printf ("%" G_GINT64_FORMAT, v);
}

/* The daemon's words for states and sources, as shown. */
static const char *
state_name (const char *value)
{
  static const struct { const char *value, *name; } names[] = {
    { "queued", N_("queued") }, { "running", N_("running") }, { "paused", N_("paused") },
    { "done", N_("done") }, { "cancelled", N_("cancelled") }, { "failed", N_("failed") },
    { "pending", N_("pending") }, { "builtin", N_("built-in") }, { "imported", N_("imported") },
  };

  for (guint i = 0; value != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (value, names[i].value))
      return _(names[i].name);
  return value;
}

char *
hs_item_format (HsItem *self, const char *column)
{
  JsonObject *o = self->object;
  JsonNode *node;

  if (g_str_equal (column, "state") || g_str_equal (column, "source"))
    {
      const char *value = hs_json_get_string (o, column);

      return g_strdup (value ? state_name (value) : "—");
    }

  if (g_str_equal (column, "trials"))
    return g_strdup_printf (hs_json_get_int (o, "n_running", 0) > 0
                            /* TRANSLATORS: trials of a search: done / all */
                            ? _("%lld / %lld done · running") : _("%lld / %lld done"),
                            (long long) hs_json_get_int (o, "n_done", 0),
                            (long long) hs_json_get_int (o, "n_trials", 0));
  if (g_str_equal (column, "best") || g_str_equal (column, "val_acc"))
    {
      double v = hs_json_get_double (o, g_str_equal (column, "best") ? "best_val_acc" : "val_acc");

      return isnan (v) ? g_strdup ("—") : g_strdup_printf ("%.1f %%", 100 * v);
    }
  if (g_str_equal (column, "budget"))
    {
      JsonNode *s = json_object_get_member (o, "settings");
      JsonObject *settings = s && JSON_NODE_HOLDS_OBJECT (s) ? json_node_get_object (s) : NULL;

      /* TRANSLATORS: epochs spent / the search's budget */
      return g_strdup_printf (_("%lld / %lld epochs"),
                              (long long) hs_json_get_int (o, "epochs_spent", 0),
                              (long long) hs_json_get_int (settings, "budget_epochs", 0));
    }
  if (g_str_equal (column, "progress"))
    {
      /* A trial-progress or trial-epoch event's data. */
      double fraction = hs_json_get_double (o, "fraction");
      const char *phase = hs_json_get_string (o, "phase");

      if (phase != NULL && g_str_equal (phase, "preparing"))
        return g_strdup_printf (_("preparing %.0f %%"), 100 * (isnan (fraction) ? 0 : fraction));
      return g_strdup_printf (_("epoch %lld of %lld · %.0f %%"),
                              (long long) hs_json_get_int (o, "epoch", 0),
                              (long long) hs_json_get_int (o, "to_epoch", 0),
                              100 * (isnan (fraction) ? 0 : fraction));
    }
  if (g_str_equal (column, "title"))
    return g_strdup_printf ("#%" G_GINT64_FORMAT " %s · %s · %s", hs_json_get_int (o, "id", 0),
                            hs_json_get_string (o, "dataset"), hs_json_get_string (o, "method"),
                            state_name (hs_json_get_string (o, "state")));
  if (g_str_equal (column, "built"))
    {
      if (json_object_get_member (o, "built") == NULL)
        return g_strdup ("");
      return g_strdup (hs_json_get_int (o, "built", 0) ? _("built") : _("not built"));
    }
  if (g_str_equal (column, "classes") || g_str_equal (column, "images"))
    return format_count (o, column);
  node = json_object_get_member (o, column);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        return g_strdup_printf ("%g", json_node_get_double (node));
      if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? _("yes") : _("no"));
    }
  return json_to_string (node, FALSE);
}

gboolean
hs_item_store_find (GListStore *store, const char *key, guint *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HsItem) item = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (g_strcmp0 (item->key, key) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
hs_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_OBJECT:
      g_value_set_boxed (value, HS_ITEM (object)->object);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_item_finalize (GObject *object)
{
  HsItem *self = HS_ITEM (object);

  g_free (self->key);
  g_clear_pointer (&self->object, json_object_unref);
  G_OBJECT_CLASS (hs_item_parent_class)->finalize (object);
}

static void
hs_item_class_init (HsItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hs_item_finalize;
  object_class->get_property = hs_item_get_property;
  properties[PROP_OBJECT] =
    g_param_spec_boxed ("object", NULL, NULL, JSON_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hs_item_init (HsItem *self)
{
}
