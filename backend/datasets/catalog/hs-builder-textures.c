/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Texture patches cut from GIMP pattern files (.pat), Brodatz style.
 *
 *   [Source]
 *   root=/usr/share/gimp/2.0/patterns
 *   package=gimp-data;gimp-data-extras   the root is read in each of these
 *   files=REGEX            the pattern files (relative paths)
 *   class=TEMPLATE         from the captures of files=, or a [Classes] group
 *                          of NAME=REGEX (materials by file-name keyword)
 *   group-by=region|file   region: each quadrant of a pattern is a group,
 *                          so a pattern can be a class of its own and still
 *                          have unseen regions in val and test; file: the
 *                          whole pattern is one group
 *   patch=32               patch side in pattern pixels (smaller quadrants
 *                          give smaller patches)
 *   patches=24             patches per pattern file
 *   min-size=64            patterns with a smaller side are skipped
 *
 * A .pat file is a big-endian header (header size, version 1, width,
 * height, bytes per pixel 1–4, "GPAT"), the pattern's name, then the pixels.
 */
#define G_LOG_DOMAIN "hs-catalog"

#include <string.h>

#include "hs-builder.h"
#include "hs-file-walk.h"

typedef struct {
  gint refs;
  guint8 *pixels;
  guint width, height, bpp;
} Pattern;

typedef struct {
  Pattern *pattern;
  guint x, y, side;
} Patch;

static void
pattern_unref (Pattern *p)
{
  if (--p->refs == 0)
    {
      g_free (p->pixels);
      g_free (p);
    }
}

static void
patch_free (gpointer data)
{
  Patch *patch = data;

  pattern_unref (patch->pattern);
  g_free (patch);
}

static Pattern *
read_pat (const char *path, GError **error)
{
  g_autofree guint8 *data = NULL;
  gsize len = 0;
  guint32 header, width, height, bpp;
  Pattern *p;

  if (!g_file_get_contents (path, (char **) &data, &len, error))
    return NULL;
  if (len < 24 || memcmp (data + 20, "GPAT", 4) != 0 || hs_build_read_be32 (data + 4) != 1)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT,
                   "%s: not a GIMP pattern (version 1)", path);
      return NULL;
    }
  header = hs_build_read_be32 (data);
  width = hs_build_read_be32 (data + 8);
  height = hs_build_read_be32 (data + 12);
  bpp = hs_build_read_be32 (data + 16);
  if (header < 24 || bpp < 1 || bpp > 4 || width == 0 || height == 0 || width > 8192 ||
      height > 8192 || header + (guint64) width * height * bpp > len)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT,
                   "%s: truncated or malformed pattern", path);
      return NULL;
    }
  p = g_new0 (Pattern, 1);
  p->refs = 1;
  p->width = width;
  p->height = height;
  p->bpp = bpp;
  p->pixels = g_memdup2 (data + header, (gsize) width * height * bpp);
  return p;
}

static gboolean
render_patch (HsBuild *build, gpointer item, guint8 *rgb, GError **error)
{
  Patch *patch = item;
  Pattern *p = patch->pattern;
  gsize stride = (gsize) p->width * p->bpp;

  return hs_build_fit (build, p->pixels + patch->y * stride + (gsize) patch->x * p->bpp,
                       patch->side, patch->side, stride, p->bpp, rgb);
}

/* Random patch positions inside a rectangle, in a seeded order. */
static void
add_patches (HsBuild *build, GRand *rand, Pattern *p, guint class_index, const char *group,
             guint x0, guint y0, guint w, guint h, guint side, guint n)
{
  side = MIN (side, MIN (w, h));
  for (guint i = 0; i < n; i++)
    {
      Patch *patch = g_new (Patch, 1);

      patch->pattern = p;
      p->refs++;
      patch->side = side;
      patch->x = x0 + g_rand_int_range (rand, 0, w - side + 1);
      patch->y = y0 + g_rand_int_range (rand, 0, h - side + 1);
      hs_build_add_candidate (build, class_index, group, patch);
    }
}

gboolean
hs_builder_textures (HsBuild *build, GError **error)
{
  g_auto(GStrv) packages = hs_build_get_list (build, "package", FALSE, NULL);
  g_autofree char *root_key = hs_build_get_string (build, "root", NULL, error);
  g_autoptr(GString) source = g_string_new (NULL);
  g_autofree char *class_template = hs_build_get_string (build, "class", "", NULL);
  g_autofree char *group_by = hs_build_get_string (build, "group-by", "region", NULL);
  g_autoptr(GRegex) files_re = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) hs_build_get_seed (build));
  static const char *const group_bys[] = { "region", "file", NULL };
  gint patch, patches, min_size, which;
  gboolean by_region;
  GError *local = NULL;

  if (root_key == NULL ||
      !hs_build_get_int (build, "patch", 32, 4, 1024, &patch, error) ||
      !hs_build_get_int (build, "patches", 24, 1, 10000, &patches, error) ||
      !hs_build_get_int (build, "min-size", 64, 4, 8192, &min_size, error))
    return FALSE;
  if ((which = hs_build_check_choice (build, "group-by", group_by, group_bys, error)) < 0)
    return FALSE;
  by_region = which == 0;
  files_re = hs_build_get_regex (build, "files", "\\.pat$", &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  hs_build_set_render (build, render_patch, patch_free, NULL, NULL);
  if (packages == NULL)
    packages = g_strdupv ((GStrv) (const char *const[]) { hs_build_get_recipe (build)->packages[0], NULL });

  for (guint k = 0; packages[k] != NULL; k++)
    {
      g_autofree char *root = hs_build_package_file (build, packages[k], root_key, error);
      g_autoptr(GPtrArray) files = NULL;

      if (root == NULL || (files = hs_file_walk (root, files_re, error)) == NULL)
        return FALSE;
      g_string_append_printf (source, "%s%s", source->len ? ", " : "", root);
      for (guint i = 0; i < files->len; i++)
        {
          const char *rel = g_ptr_array_index (files, i);
          g_autofree char *path = g_build_filename (root, rel, NULL);
          g_autofree char *cls = hs_build_classify (build, files_re, rel, class_template);
          g_autofree char *file_group = g_strconcat (packages[k], ":", rel, NULL);
          guint class_index;
          Pattern *p;

          if (cls == NULL)
            continue;
          if ((p = read_pat (path, &local)) == NULL)
            {
              g_debug ("%s", local->message);
              g_clear_error (&local);
              continue;
            }
          if (p->width < (guint) min_size || p->height < (guint) min_size)
            {
              pattern_unref (p);
              continue;
            }
          class_index = hs_build_add_class (build, cls);
          if (by_region)
            for (guint q = 0; q < 4; q++)
              {
                g_autofree char *group = g_strdup_printf ("%s#%u", file_group, q);
                guint hw = p->width / 2, hh = p->height / 2;

                add_patches (build, rand, p, class_index, group, (q & 1) * hw, (q >> 1) * hh, hw,
                             hh, patch, (patches + 3) / 4);
              }
          else
            add_patches (build, rand, p, class_index, file_group, 0, 0, p->width, p->height,
                         patch, patches);
          pattern_unref (p);
        }
    }
  hs_build_set_source (build, source->str);
  return TRUE;
}
