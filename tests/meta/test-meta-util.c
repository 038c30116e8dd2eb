/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small meta-datasets written into temporary folders for the meta tests.
 */
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "hs-meta-data.h"
#include "test-meta-util.h"

char *
tm_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("hs-test-meta-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
tm_write (const char *dir, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

void
tm_write_gz (const char *dir, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GZlibCompressor) gzip = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (gzip));
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (out, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);
  g_file_set_contents (path,
                       g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory)),
                       g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)),
                       &error);
  g_assert_no_error (error);
}

void
tm_remove (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_unlink (path);
}

void
tm_remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    tm_remove (dir, name);
  g_rmdir (dir);
}

void
tm_assert_error (const GError *error, gint code, ...)
{
  const char *fragment;
  va_list args;

  g_assert_error (error, HS_META_ERROR, code);
  va_start (args, code);
  while ((fragment = va_arg (args, const char *)) != NULL)
    if (strstr (error->message, fragment) == NULL)
      g_test_fail_printf ("“%s” is not in the error “%s”", fragment, error->message);
  va_end (args);
}
