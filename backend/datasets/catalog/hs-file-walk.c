/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hs-catalog"

#include <string.h>

#include "hs-file-walk.h"

/* Deep enough for any icon theme; stops a folder loop built from bind
 * mounts, which following no symbolic links cannot otherwise catch. */
#define MAX_DEPTH 12

static void
walk (const char *root, const char *rel, guint depth, GRegex *re, GPtrArray *out)
{
  g_autofree char *dir_path = rel ? g_build_filename (root, rel, NULL) : g_strdup (root);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL || depth > MAX_DEPTH)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child_rel = rel ? g_build_filename (rel, name, NULL) : g_strdup (name);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);

      if (name[0] == '.' || g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        walk (root, child_rel, depth + 1, re, out);
      else if (re == NULL || g_regex_match (re, child_rel, 0, NULL))
        g_ptr_array_add (out, g_steal_pointer (&child_rel));
    }
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

GPtrArray *
hs_file_walk (const char *root, GRegex *re, GError **error)
{
  GPtrArray *out;

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_MISSING, "%s is not a folder", root);
      return NULL;
    }
  out = g_ptr_array_new_with_free_func (g_free);
  walk (root, NULL, 0, re, out);
  /* Directory order is the file system's; sorting makes builds repeatable. */
  g_ptr_array_sort (out, compare_strings);
  return out;
}

GRegex *
hs_build_get_regex (HsBuild *build, const char *key, const char *fallback, GError **error)
{
  g_autofree char *pattern = hs_build_get_string (build, key, fallback ? fallback : "", NULL);
  g_autoptr(GError) local = NULL;
  GRegex *re;

  if (*pattern == '\0')
    return NULL;
  if ((re = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, &local)) == NULL)
    hs_build_key_error (build, error, NULL, key, "not a regular expression: %s", local->message);
  return re;
}

char *
hs_build_expand (GRegex *re, const char *subject, const char *template)
{
  g_autoptr(GMatchInfo) match = NULL;

  if (template == NULL)
    return NULL;
  if (re == NULL || !g_regex_match (re, subject, 0, &match))
    return g_strdup (template);
  return g_match_info_expand_references (match, template, NULL);
}

char *
hs_build_classify (HsBuild *build, GRegex *re, const char *subject, const char *class_template)
{
  GKeyFile *kf = hs_build_get_recipe (build)->keyfile;
  g_autofree char *name = NULL;
  char *renamed;

  if (g_key_file_has_group (kf, "Classes"))
    {
      g_auto(GStrv) keys = g_key_file_get_keys (kf, "Classes", NULL, NULL);

      /* Recipes were checked to hold valid expressions (see the builders). */
      for (guint i = 0; keys != NULL && keys[i] != NULL && name == NULL; i++)
        {
          g_autofree char *pattern = g_key_file_get_string (kf, "Classes", keys[i], NULL);
          g_autoptr(GRegex) cre = g_regex_new (pattern, G_REGEX_CASELESS, 0, NULL);

          if (cre != NULL && g_regex_match (cre, subject, 0, NULL))
            name = g_strdup (keys[i]);
        }
    }
  else
    name = hs_build_expand (re, subject, class_template);
  if (name == NULL || *name == '\0')
    return NULL;
  renamed = g_key_file_get_string (kf, "Rename", name, NULL);
  return renamed != NULL ? renamed : g_steal_pointer (&name);
}
