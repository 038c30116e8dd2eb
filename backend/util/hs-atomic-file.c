/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whole-or-nothing file writes (see hs-atomic-file.h).
 */
#define G_LOG_DOMAIN "hs-util"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hs-atomic-file.h"

struct _HsAtomicFile
{
  char *path;
  char *tmp_path;
  FILE *stream;
  GQuark domain;
  gint io_code, exists_code;
};

static void
set_io_error (GError **error, GQuark domain, gint code, int errsv, const char *what,
              const char *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, domain, code, "%s “%s”: %s", what, display, g_strerror (errsv));
}

HsAtomicFile *
hs_atomic_file_open (const char *path, GQuark domain, gint io_code, gint exists_code,
                     GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp_path = NULL;
  HsAtomicFile *file;
  FILE *stream;
  int fd;

  /* Hidden, so listings that skip dot files never show a half-written one. */
  tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      set_io_error (error, domain, io_code, errno, "Cannot create a file in", dir);
      return NULL;
    }
  stream = fdopen (fd, "wb");
  if (stream == NULL)
    {
      int errsv = errno;

      close (fd);
      g_unlink (tmp_path);
      set_io_error (error, domain, io_code, errsv, "Cannot write", tmp_path);
      return NULL;
    }
  file = g_new0 (HsAtomicFile, 1);
  file->path = g_strdup (path);
  file->tmp_path = g_steal_pointer (&tmp_path);
  file->stream = stream;
  file->domain = domain;
  file->io_code = io_code;
  file->exists_code = exists_code;
  return file;
}

FILE *
hs_atomic_file_get_stream (HsAtomicFile *file)
{
  return file->stream;
}

static void
atomic_file_free (HsAtomicFile *file)
{
  g_free (file->path);
  g_free (file->tmp_path);
  g_free (file);
}

void
hs_atomic_file_abort (HsAtomicFile *file)
{
  if (file == NULL)
    return;
  if (file->stream != NULL)
    fclose (file->stream);
  g_unlink (file->tmp_path);
  atomic_file_free (file);
}

/* So the rename itself survives a crash; best effort, as some file systems
 * refuse fsync on a directory. */
static void
sync_dir (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0)
    {
      (void) fsync (fd);
      close (fd);
    }
}

static gboolean
put_in_place (HsAtomicFile *file, gboolean replace, GError **error)
{
  if (replace)
    {
      if (g_rename (file->tmp_path, file->path) != 0)
        {
          set_io_error (error, file->domain, file->io_code, errno, "Cannot write", file->path);
          return FALSE;
        }
      return TRUE;
    }

  /* link() refuses to overwrite, so two writers racing for one new name
   * cannot both win. */
  if (link (file->tmp_path, file->path) == 0)
    {
      g_unlink (file->tmp_path);
      return TRUE;
    }
  if (errno == EEXIST)
    {
      g_autofree char *display = g_filename_display_name (file->path);

      g_set_error (error, file->domain, file->exists_code,
                   "“%s” already exists", display);
      return FALSE;
    }
  /* Some file systems have no hard links: check, then rename. */
  if (g_file_test (file->path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *display = g_filename_display_name (file->path);

      g_set_error (error, file->domain, file->exists_code,
                   "“%s” already exists", display);
      return FALSE;
    }
  return put_in_place (file, TRUE, error);
}

gboolean
hs_atomic_file_commit (HsAtomicFile *file, gboolean replace, GError **error)
{
  FILE *stream = g_steal_pointer (&file->stream);
  gboolean ok = TRUE;
  int errsv = 0;

  /* Flushed to disk before the rename, so a crash never leaves a complete
   * name on incomplete contents. */
  if (ferror (stream))
    {
      errsv = EIO;
      ok = FALSE;
    }
  else if (fflush (stream) != 0 || fsync (fileno (stream)) != 0)
    {
      errsv = errno;
      ok = FALSE;
    }
  if (fclose (stream) != 0 && ok)
    {
      errsv = errno;
      ok = FALSE;
    }
  if (!ok)
    set_io_error (error, file->domain, file->io_code, errsv, "Cannot write", file->path);
  else
    ok = put_in_place (file, replace, error);

  if (!ok)
    g_unlink (file->tmp_path);
  else
    sync_dir (file->path);
  atomic_file_free (file);
  return ok;
}
