/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Icon themes (freedesktop layout), labelled by context folder (apps,
 * devices, places…) or by theme.
 *
 *   [Source]
 *   themes=Adwaita;breeze;oxygen;…   folders of /usr/share/icons
 *   label=context | theme
 *   contexts=apps;devices;…          the contexts used (classes for
 *                                    label=context)
 *   min-size=32                      size folders below this are ignored
 *   [Themes] THEME=PACKAGE           a theme's own package (default: the
 *                                    [Source] package=, else the first)
 *
 * Themes spell contexts differently (mimes, applications): the common
 * aliases are folded.  Each icon name of a context is drawn once per theme,
 * from its scalable version or its largest bitmap; "-symbolic" icons
 * (monochrome glyphs) and symbolic links are left out.  Groups: the theme
 * for label=context (a theme's style never crosses splits), the icon name
 * for label=theme (one icon's versions stay together).
 */
#define G_LOG_DOMAIN "hs-catalog"

#include <string.h>

#include "hs-builder.h"
#include "hs-file-walk.h"
#include "hs-svg-render.h"

typedef struct {
  char *path;
  gint score;
} Best;

static const struct {
  const char *alias;
  const char *context;
} aliases[] = {
  { "applications", "apps" },
  { "mimes", "mimetypes" },
  { "mime", "mimetypes" },
  { "device", "devices" },
  { "place", "places" },
  { "action", "actions" },
  { "emblem", "emblems" },
  { "emote", "emotes" },
  { "category", "categories" },
};

static const char *
canonical_context (const char *component)
{
  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_str_equal (component, aliases[i].alias))
      return aliases[i].context;
  return component;
}

/* How good a copy of an icon the path is: scalable beats any bitmap, a
 * larger bitmap beats a smaller one; -1 below min_size. */
static gint
size_score (GStrv parts, gint min_size)
{
  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 n;
      char *x;

      if (g_str_equal (parts[i], "scalable"))
        return 100000;
      if ((x = strchr (parts[i], 'x')) != NULL)
        *x = '\0';
      if ((x = strchr (parts[i], '@')) != NULL)
        *x = '\0';
      if (g_ascii_string_to_unsigned (parts[i], 10, 1, 4096, &n, NULL))
        return (gint) n >= min_size ? (gint) n : -1;
    }
  return 0;  /* no size folder: a flat theme */
}

static void
best_free (Best *b)
{
  g_free (b->path);
  g_free (b);
}

static gboolean
render_icon (HsBuild *build, gpointer item, guint8 *rgb, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (!hs_picture_render (item, 3 * hs_build_get_size (build), hs_build_get_size (build), rgb,
                          &local))
    {
      g_debug ("%s: %s", (const char *) item, local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
hs_builder_icons (HsBuild *build, GError **error)
{
  g_autofree char *package = hs_build_get_package (build);
  g_autofree char *label = hs_build_get_string (build, "label", "context", NULL);
  g_auto(GStrv) themes = hs_build_get_list (build, "themes", TRUE, error);
  g_auto(GStrv) contexts = NULL;
  g_autoptr(GRegex) icon_re = g_regex_new ("\\.(svgz?|png)$", 0, 0, NULL);
  g_autofree char *source = NULL;
  static const char *const labels[] = { "context", "theme", NULL };
  gboolean by_theme;
  gint min_size, which;

  if (themes == NULL || (contexts = hs_build_get_list (build, "contexts", TRUE, error)) == NULL ||
      !hs_build_get_int (build, "min-size", 32, 8, 1024, &min_size, error))
    return FALSE;
  if ((which = hs_build_check_choice (build, "label", label, labels, error)) < 0)
    return FALSE;
  by_theme = which == 1;
  hs_build_set_render (build, render_icon, g_free, NULL, NULL);
  if (!by_theme)
    for (guint c = 0; contexts[c] != NULL; c++)
      hs_build_add_class (build, contexts[c]);

  for (guint t = 0; themes[t] != NULL; t++)
    {
      g_autofree char *theme_dir = g_build_filename ("/usr/share/icons", themes[t], NULL);
      g_autofree char *root = NULL;
      g_autoptr(GPtrArray) files = NULL;
      g_autoptr(GHashTable) best = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) best_free);
      g_autoptr(GList) keys = NULL;
      const char *theme_package = package;

      /* Each theme may come from its own package: [Themes] THEME=PACKAGE. */
      {
        g_autofree char *own = g_key_file_get_string (hs_build_get_recipe (build)->keyfile,
                                                      "Themes", themes[t], NULL);
        if (own != NULL)
          theme_package = g_intern_string (g_strstrip (own));
      }
      if ((root = hs_build_package_file (build, theme_package, theme_dir, error)) == NULL ||
          (files = hs_file_walk (root, icon_re, error)) == NULL)
        return FALSE;

      for (guint i = 0; i < files->len; i++)
        {
          const char *rel = g_ptr_array_index (files, i);
          g_auto(GStrv) parts = g_strsplit (rel, "/", -1);
          g_autofree char *base = g_path_get_basename (rel);
          const char *context = NULL;
          char *dot;
          Best *b;
          gint score;

          for (guint k = 0; parts[k + 1] != NULL && context == NULL; k++)
            if (g_strv_contains ((const char *const *) contexts, canonical_context (parts[k])))
              context = canonical_context (parts[k]);
          if (context == NULL || strstr (base, "-symbolic") != NULL)
            continue;
          if ((score = size_score (parts, min_size)) < 0)
            continue;
          if ((dot = strchr (base, '.')) != NULL)
            *dot = '\0';
          {
            g_autofree char *key = g_strconcat (context, "/", base, NULL);

            b = g_hash_table_lookup (best, key);
            if (b == NULL)
              {
                b = g_new0 (Best, 1);
                b->score = -1;
                g_hash_table_insert (best, g_steal_pointer (&key), b);
              }
          }
          if (score > b->score)
            {
              g_free (b->path);
              b->path = g_build_filename (root, rel, NULL);
              b->score = score;
            }
        }

      keys = g_hash_table_get_keys (best);
      keys = g_list_sort (keys, (GCompareFunc) strcmp);
      for (GList *l = keys; l != NULL; l = l->next)
        {
          const char *key = l->data;
          Best *b = g_hash_table_lookup (best, key);
          g_autofree char *context = g_strndup (key, strchr (key, '/') - key);
          const char *icon = strchr (key, '/') + 1;
          guint cls = by_theme ? hs_build_add_class (build, themes[t])
                               : hs_build_add_class (build, context);

          hs_build_add_candidate (build, cls, by_theme ? icon : themes[t], g_strdup (b->path));
        }
    }
  source = g_strjoinv (", ", themes);
  hs_build_set_source (build, source);
  return TRUE;
}
