/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pictures from a package's folder: whole files (SVG, PNG…: chess piece
 * sets, map presets, LaTeX symbols, diagram shapes) or named elements of
 * SVG documents (the cards of a deck, the faces of a mahjong tile set).
 *
 *   [Source]
 *   root=/usr/share/carddecks      a folder of the package, walked recursively
 *   files=REGEX                     relative paths of the files to use
 *   elements=REGEX                  optional: draw the matching element ids
 *   class=TEMPLATE                  e.g. \2: from the captures of elements=
 *                                   (element mode) or files= (file mode)
 *   group=TEMPLATE                  from the captures of files=; default:
 *                                   the file in element mode, none otherwise
 *   [Classes] NAME=REGEX            instead of class=: the first match wins
 *   [Rename]  OLD=NEW               rename classes ("1" → "ace")
 */
#define G_LOG_DOMAIN "hs-catalog"

#include "hs-builder.h"
#include "hs-file-walk.h"
#include "hs-svg-render.h"

typedef struct {
  char *path;
  char *id;   /* NULL: the whole file */
} SvgItem;

typedef struct {
  GHashTable *handles;  /* path → RsvgHandle, or NULL after a failed load */
  guint px;
  guint failed;
} Svg;

static void
svg_item_free (gpointer data)
{
  SvgItem *it = data;

  g_free (it->path);
  g_free (it->id);
  g_free (it);
}

static void
svg_free (gpointer data)
{
  Svg *s = data;

  g_hash_table_unref (s->handles);
  g_free (s);
}

static gboolean
render_svg (HsBuild *build, gpointer item, guint8 *rgb, GError **error)
{
  Svg *s = hs_build_get_builder_data (build);
  SvgItem *it = item;
  g_autoptr(GError) local = NULL;
  RsvgHandle *handle;
  gboolean ok;

  if (it->id == NULL)
    ok = hs_picture_render (it->path, s->px, hs_build_get_size (build), rgb, &local);
  else
    {
      /* One parse per document, however many of its elements are drawn. */
      if (!g_hash_table_lookup_extended (s->handles, it->path, NULL, (gpointer *) &handle))
        {
          handle = rsvg_handle_new_from_file (it->path, &local);
          g_hash_table_insert (s->handles, g_strdup (it->path), handle);
        }
      ok = handle != NULL &&
           hs_svg_render (handle, it->id, s->px, hs_build_get_size (build), rgb, &local);
    }
  if (!ok)
    {
      /* Some decks carry elements librsvg refuses (InvalidMatrix): those
       * are skipped, not fatal. */
      s->failed++;
      g_debug ("%s%s%s: %s", it->path, it->id ? "#" : "", it->id ? it->id : "",
               local ? local->message : "failed");
    }
  return ok;
}

gboolean
hs_builder_svg (HsBuild *build, GError **error)
{
  g_autofree char *package = hs_build_get_package (build);
  g_autofree char *root = NULL;
  g_autofree char *class_template = hs_build_get_string (build, "class", "", NULL);
  g_autofree char *group_template = hs_build_get_string (build, "group", "", NULL);
  g_autoptr(GRegex) files_re = NULL;
  g_autoptr(GRegex) elements_re = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *source = NULL;
  GError *local = NULL;
  gint px;
  Svg *s;

  if ((root = hs_build_get_package_file (build, "root", error)) == NULL ||
      !hs_build_get_int (build, "px", 3 * hs_build_get_size (build), 16, 1024, &px, error))
    return FALSE;
  files_re = hs_build_get_regex (build, "files", "\\.(svgz?|png)$", &local);
  if (local == NULL)
    elements_re = hs_build_get_regex (build, "elements", NULL, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (*class_template == '\0' &&
      !g_key_file_has_group (hs_build_get_recipe (build)->keyfile, "Classes"))
    {
      hs_build_key_error (build, error, NULL, "class",
                          "missing (give class=TEMPLATE or a [Classes] group)");
      return FALSE;
    }
  if ((files = hs_file_walk (root, files_re, error)) == NULL)
    return FALSE;

  s = g_new0 (Svg, 1);
  s->handles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  s->px = px;
  hs_build_set_render (build, render_svg, svg_item_free, s, svg_free);

  for (guint i = 0; i < files->len; i++)
    {
      const char *rel = g_ptr_array_index (files, i);
      g_autofree char *path = g_build_filename (root, rel, NULL);
      g_autofree char *group = *group_template ? hs_build_expand (files_re, rel, group_template)
                                               : NULL;
      g_autoptr(GPtrArray) ids = NULL;

      if (elements_re == NULL)
        {
          g_autofree char *cls = hs_build_classify (build, files_re, rel, class_template);
          SvgItem *it;

          if (cls == NULL)
            continue;
          it = g_new0 (SvgItem, 1);
          it->path = g_strdup (path);
          hs_build_add_candidate (build, hs_build_add_class (build, cls), group, it);
          continue;
        }

      if ((ids = hs_svg_list_ids (path, &local)) == NULL)
        {
          g_debug ("%s: %s", path, local->message);
          g_clear_error (&local);
          continue;
        }
      for (guint k = 0; k < ids->len; k++)
        {
          const char *id = g_ptr_array_index (ids, k);
          g_autofree char *cls = NULL;
          SvgItem *it;

          if (!g_regex_match (elements_re, id, 0, NULL) ||
              (cls = hs_build_classify (build, elements_re, id, class_template)) == NULL)
            continue;
          it = g_new0 (SvgItem, 1);
          it->path = g_strdup (path);
          it->id = g_strdup (id);
          hs_build_add_candidate (build, hs_build_add_class (build, cls),
                                  group != NULL ? group : rel, it);
        }
    }
  source = g_strdup_printf ("%s (package %s)", root, package);
  hs_build_set_source (build, source);
  return TRUE;
}
