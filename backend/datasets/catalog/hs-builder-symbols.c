/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Symbol sets: SVG files of <symbol> elements (Inkscape's open symbol
 * libraries: Material Design categories, SJJB map symbols), one class per
 * file.  A <symbol> is never drawn by itself, so each one is drawn through a
 * <use> added to a copy of its document.
 *
 *   [Source]
 *   root=/usr/share/inkscape/symbols
 *   files=^sjjb-(.*)\.svg$     the set files
 *   class=\1                   from the captures of files=
 *   ids=^(.*?)[0-9]*$          optional: symbols to draw (default all)
 *   group=\1                   optional: from the captures of ids=, so
 *                              numbered variants ("airport", "airport2")
 *                              share a split
 */
#define G_LOG_DOMAIN "hs-catalog"

#include <string.h>

#include "hs-builder.h"
#include "hs-file-walk.h"
#include "hs-svg-render.h"

typedef struct {
  GBytes *document;  /* shared by the symbols of one file */
  char *id;
} SymbolItem;

static void
symbol_item_free (gpointer data)
{
  SymbolItem *it = data;

  g_bytes_unref (it->document);
  g_free (it->id);
  g_free (it);
}

static gboolean
render_symbol (HsBuild *build, gpointer item, guint8 *rgb, GError **error)
{
  SymbolItem *it = item;
  gsize len;
  const char *text = g_bytes_get_data (it->document, &len);
  const char *end = g_strrstr_len (text, len, "</svg>");
  g_autoptr(GString) doc = NULL;
  RsvgHandle *handle;
  g_autoptr(GError) local = NULL;
  gboolean ok;

  if (end == NULL)
    return FALSE;
  doc = g_string_new_len (text, end - text);
  g_string_append_printf (doc, "<use href=\"#%s\" x=\"0\" y=\"0\" width=\"100\" height=\"100\"/>"
                               "</svg>", it->id);
  handle = rsvg_handle_new_from_data ((const guint8 *) doc->str, doc->len, &local);
  ok = handle != NULL &&
       hs_svg_render (handle, NULL, 3 * hs_build_get_size (build), hs_build_get_size (build),
                      rgb, &local);
  if (!ok)
    g_debug ("symbol %s: %s", it->id, local ? local->message : "failed");
  g_clear_object (&handle);
  return ok;
}

/* Symbols only: the other elements' ids are paths and groups. */
static GPtrArray *
symbol_ids (const char *text)
{
  g_autoptr(GRegex) tag = g_regex_new ("<symbol\\b[^>]*>", 0, 0, NULL);
  g_autoptr(GRegex) id = g_regex_new ("\\sid=[\"']([^\"']+)[\"']", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  g_regex_match (tag, text, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *t = g_match_info_fetch (match, 0);
      g_autoptr(GMatchInfo) m = NULL;

      if (g_regex_match (id, t, 0, &m))
        g_ptr_array_add (ids, g_match_info_fetch (m, 1));
      g_match_info_next (match, NULL);
    }
  return ids;
}

gboolean
hs_builder_symbols (HsBuild *build, GError **error)
{
  g_autofree char *root = NULL;
  g_autofree char *class_template = hs_build_get_string (build, "class", "\\1", NULL);
  g_autofree char *group_template = hs_build_get_string (build, "group", "", NULL);
  g_autoptr(GRegex) files_re = NULL;
  g_autoptr(GRegex) ids_re = NULL;
  g_autoptr(GPtrArray) files = NULL;
  GError *local = NULL;

  if ((root = hs_build_get_package_file (build, "root", error)) == NULL)
    return FALSE;
  files_re = hs_build_get_regex (build, "files", NULL, &local);
  if (local == NULL && files_re == NULL)
    hs_build_key_error (build, &local, NULL, "files", "missing (a regex for the set files)");
  if (local == NULL)
    ids_re = hs_build_get_regex (build, "ids", NULL, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if ((files = hs_file_walk (root, files_re, error)) == NULL)
    return FALSE;
  hs_build_set_render (build, render_symbol, symbol_item_free, NULL, NULL);

  for (guint i = 0; i < files->len; i++)
    {
      const char *rel = g_ptr_array_index (files, i);
      g_autofree char *path = g_build_filename (root, rel, NULL);
      g_autofree char *cls = hs_build_classify (build, files_re, rel, class_template);
      g_autofree char *contents = NULL;
      g_autoptr(GBytes) document = NULL;
      g_autoptr(GPtrArray) ids = NULL;
      gsize len;
      guint class_index;

      if (cls == NULL)
        continue;
      if (!g_file_get_contents (path, &contents, &len, error))
        return FALSE;
      ids = symbol_ids (contents);
      document = g_bytes_new_take (g_steal_pointer (&contents), len);
      class_index = hs_build_add_class (build, cls);
      for (guint k = 0; k < ids->len; k++)
        {
          const char *id = g_ptr_array_index (ids, k);
          g_autofree char *group = NULL;
          SymbolItem *it;

          if (ids_re != NULL && !g_regex_match (ids_re, id, 0, NULL))
            continue;
          /* Ids go into markup below: refuse anything that could break out
           * of the attribute. */
          if (strpbrk (id, "\"'<>&") != NULL)
            continue;
          group = *group_template ? hs_build_expand (ids_re, id, group_template) : NULL;
          it = g_new0 (SymbolItem, 1);
          it->document = g_bytes_ref (document);
          it->id = g_strdup (id);
          hs_build_add_candidate (build, class_index, group, it);
        }
    }
  hs_build_set_source (build, root);
  return TRUE;
}
