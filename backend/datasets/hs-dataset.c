/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The in-memory dataset and its file.
 *
 * File format, version 1 (".hsds").  Integers are little-endian; a string
 * is a u32 byte count followed by that many bytes of UTF-8 (no NUL).
 *
 *   offset    bytes      field
 *   0         4          magic "HSDS"
 *   4         4          u32 format version: 1
 *   8         4          u32 H, the header's length in bytes
 *   12        H          header:
 *                          u32 size            images are size × size
 *                          u32 channels        3 (RGB)
 *                          u32 C               number of classes
 *                          u64 N               number of images
 *                          u64 split seed
 *                          string name
 *                          u32 M, then M × (string key, string value),
 *                            the metadata sorted by key
 *                          C × (string class name, u64 train, u64 val,
 *                            u64 test): per-class image counts per split
 *   12+H      4·N        u32 label (class index) of each image
 *             4·N        u32 group of each image (0: none)
 *             N          u8 split of each image (0 train, 1 val, 2 test)
 *             N·size²·3  the images in order, rows top to bottom, RGB u8
 *   end−32    32         SHA-256 of every byte before it
 *
 * The header carries its own length so a later version-1 writer can append
 * fields to it that this reader skips; anything a reader must understand
 * raises the version.  The per-class counts repeat what the tables say, so
 * listings (hs_dataset_load_header) read a few hundred bytes instead of the
 * pixels, and a full load checks that both agree.
 *
 * A file is read back only when its size is exactly what its header
 * promises and its checksum matches: a truncated, damaged, or newer file is
 * an error naming it, never a dataset with garbage in it.
 */
#define G_LOG_DOMAIN "hs-datasets"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "hs-dataset-private.h"

G_DEFINE_QUARK (hs-dataset-error-quark, hs_dataset_error)

#define HS_DATASET_MAGIC "HSDS"
#define HS_DATASET_VERSION 1
#define PRELUDE_BYTES 12
#define DIGEST_BYTES 32
/* Far beyond any real header (thousands of classes and a few metadata
 * strings), small enough that a damaged length cannot exhaust memory. */
#define MAX_HEADER_BYTES (64u << 20)
#define MAX_SIZE 4096

/* The dataset in memory */

HsDataset *
hs_dataset_new (const char *name, guint size)
{
  HsDataset *ds;

  g_return_val_if_fail (size > 0 && size <= MAX_SIZE, NULL);

  ds = g_new0 (HsDataset, 1);
  ds->name = g_strdup (name != NULL ? name : "");
  ds->size = size;
  ds->meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ds->classes = g_ptr_array_new_with_free_func (g_free);
  ds->class_index = g_hash_table_new (g_str_hash, g_str_equal);
  ds->pixels = g_byte_array_new ();
  ds->labels = g_array_new (FALSE, FALSE, sizeof (guint32));
  ds->groups = g_array_new (FALSE, FALSE, sizeof (guint32));
  ds->splits = g_array_new (FALSE, FALSE, sizeof (guint8));
  ds->counts = g_array_new (FALSE, TRUE, sizeof (guint64));
  return ds;
}

void
hs_dataset_free (HsDataset *ds)
{
  if (ds == NULL)
    return;
  g_free (ds->name);
  g_hash_table_unref (ds->meta);
  g_hash_table_unref (ds->class_index);
  g_ptr_array_unref (ds->classes);
  g_byte_array_unref (ds->pixels);
  g_array_unref (ds->labels);
  g_array_unref (ds->groups);
  g_array_unref (ds->splits);
  g_array_unref (ds->counts);
  g_free (ds);
}

const char *
hs_dataset_get_name (HsDataset *ds)
{
  return ds->name;
}

void
hs_dataset_set_name (HsDataset *ds, const char *name)
{
  g_free (ds->name);
  ds->name = g_strdup (name != NULL ? name : "");
}

guint
hs_dataset_get_size (HsDataset *ds)
{
  return ds->size;
}

void
hs_dataset_set_meta (HsDataset *ds, const char *key, const char *value)
{
  g_return_if_fail (key != NULL && g_utf8_validate (key, -1, NULL));

  if (value == NULL)
    g_hash_table_remove (ds->meta, key);
  else
    {
      g_return_if_fail (g_utf8_validate (value, -1, NULL));
      g_hash_table_insert (ds->meta, g_strdup (key), g_strdup (value));
    }
}

const char *
hs_dataset_get_meta (HsDataset *ds, const char *key)
{
  return g_hash_table_lookup (ds->meta, key);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
hs_dataset_get_meta_keys (HsDataset *ds)
{
  guint n;
  GStrv keys = (GStrv) g_hash_table_get_keys_as_array (ds->meta, &n);
  GStrv copy = g_new0 (char *, n + 1);

  /* Sorted, so files and listings come out the same every time. */
  qsort (keys, n, sizeof (char *), compare_strings);
  for (guint i = 0; i < n; i++)
    copy[i] = g_strdup (keys[i]);
  g_free (keys);
  return copy;
}

guint
hs_dataset_add_class (HsDataset *ds, const char *name)
{
  gpointer found;
  char *copy;

  g_return_val_if_fail (name != NULL && g_utf8_validate (name, -1, NULL), 0);

  found = g_hash_table_lookup (ds->class_index, name);
  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;

  copy = g_strdup (name);
  g_ptr_array_add (ds->classes, copy);
  g_hash_table_insert (ds->class_index, copy, GUINT_TO_POINTER (ds->classes->len));
  g_array_set_size (ds->counts, (gsize) ds->classes->len * HS_N_SPLITS);
  return ds->classes->len - 1;
}

gint
hs_dataset_lookup_class (HsDataset *ds, const char *name)
{
  gpointer found = g_hash_table_lookup (ds->class_index, name);

  return found != NULL ? (gint) GPOINTER_TO_UINT (found) - 1 : -1;
}

guint
hs_dataset_get_n_classes (HsDataset *ds)
{
  return ds->classes->len;
}

const char *
hs_dataset_get_class_name (HsDataset *ds, guint class_index)
{
  g_return_val_if_fail (class_index < ds->classes->len, NULL);
  return g_ptr_array_index (ds->classes, class_index);
}

void
hs_dataset_add_image (HsDataset *ds, const guint8 *rgb, guint class_index, guint32 group)
{
  guint32 label = class_index;
  guint8 split = HS_SPLIT_TRAIN;

  g_return_if_fail (rgb != NULL);
  g_return_if_fail (class_index < ds->classes->len);
  g_return_if_fail (!ds->header_only);

  g_byte_array_append (ds->pixels, rgb, hs_dataset_image_bytes (ds));
  g_array_append_val (ds->labels, label);
  g_array_append_val (ds->groups, group);
  g_array_append_val (ds->splits, split);
  hs_dataset_counts_of (ds, class_index)[HS_SPLIT_TRAIN]++;
  ds->n_images++;
}

void
hs_dataset_append (HsDataset *ds, HsDataset *src, const char *class_prefix)
{
  g_autoptr(GHashTable) groups = g_hash_table_new (NULL, NULL);  /* src group -> new */
  g_autofree guint *classes = NULL;
  guint32 next_group = 1;

  g_return_if_fail (ds != src);
  g_return_if_fail (hs_dataset_get_size (ds) == hs_dataset_get_size (src));
  g_return_if_fail (!ds->header_only && !src->header_only);

  for (gsize i = 0; i < ds->n_images; i++)
    next_group = MAX (next_group, g_array_index (ds->groups, guint32, i) + 1);

  classes = g_new (guint, src->classes->len);
  for (guint c = 0; c < src->classes->len; c++)
    {
      g_autofree char *name = g_strconcat (class_prefix ? class_prefix : "",
                                           (const char *) g_ptr_array_index (src->classes, c),
                                           NULL);
      classes[c] = hs_dataset_add_class (ds, name);
    }

  for (gsize i = 0; i < src->n_images; i++)
    {
      guint32 group = g_array_index (src->groups, guint32, i);
      guint32 mapped;

      if (group == 0)
        mapped = next_group++;  /* its own group: images without one stay apart */
      else if ((mapped = GPOINTER_TO_UINT (g_hash_table_lookup (groups,
                                                                GUINT_TO_POINTER (group)))) == 0)
        {
          mapped = next_group++;
          g_hash_table_insert (groups, GUINT_TO_POINTER (group), GUINT_TO_POINTER (mapped));
        }
      hs_dataset_add_image (ds, hs_dataset_get_image (src, i),
                            classes[g_array_index (src->labels, guint32, i)], mapped);
    }
}

gsize
hs_dataset_get_n_images (HsDataset *ds)
{
  return ds->header_only ? 0 : ds->n_images;
}

const guint8 *
hs_dataset_get_image (HsDataset *ds, gsize index)
{
  g_return_val_if_fail (index < hs_dataset_get_n_images (ds), NULL);
  return ds->pixels->data + index * hs_dataset_image_bytes (ds);
}

guint
hs_dataset_get_label (HsDataset *ds, gsize index)
{
  g_return_val_if_fail (index < hs_dataset_get_n_images (ds), 0);
  return g_array_index (ds->labels, guint32, index);
}

guint32
hs_dataset_get_group (HsDataset *ds, gsize index)
{
  g_return_val_if_fail (index < hs_dataset_get_n_images (ds), 0);
  return g_array_index (ds->groups, guint32, index);
}

HsSplit
hs_dataset_get_split (HsDataset *ds, gsize index)
{
  g_return_val_if_fail (index < hs_dataset_get_n_images (ds), HS_SPLIT_TRAIN);
  return g_array_index (ds->splits, guint8, index);
}

void
hs_dataset_set_split (HsDataset *ds, gsize index, HsSplit split)
{
  guint8 *current;
  guint64 *counts;

  g_return_if_fail (index < hs_dataset_get_n_images (ds));
  g_return_if_fail (split < HS_N_SPLITS);

  /* Move the image between its class's counters rather than recounting:
   * listings read the counts, and a whole pass per image would make
   * splitting a large dataset by hand quadratic. */
  current = &g_array_index (ds->splits, guint8, index);
  counts = hs_dataset_counts_of (ds, g_array_index (ds->labels, guint32, index));
  counts[*current]--;
  counts[split]++;
  *current = split;
}

gsize
hs_dataset_count (HsDataset *ds, guint class_index, HsSplit split)
{
  guint first = class_index == G_MAXUINT ? 0 : class_index;
  guint last = class_index == G_MAXUINT ? ds->classes->len : class_index + 1;
  guint64 total = 0;

  g_return_val_if_fail (class_index == G_MAXUINT || class_index < ds->classes->len, 0);
  g_return_val_if_fail (split <= HS_N_SPLITS, 0);

  for (guint c = first; c < last; c++)
    {
      const guint64 *counts = hs_dataset_counts_of (ds, c);

      for (guint s = 0; s < HS_N_SPLITS; s++)
        if (split == HS_N_SPLITS || split == s)
          total += counts[s];
    }
  return total;
}

guint64
hs_dataset_get_split_seed (HsDataset *ds)
{
  return ds->split_seed;
}

/* Writing */

typedef struct
{
  FILE *stream;
  GChecksum *sum;
} Writer;

static gboolean
write_bytes (Writer *w, const void *data, gsize n)
{
  g_checksum_update (w->sum, data, n);
  return fwrite (data, 1, n, w->stream) == n;
}

static void
put_u32 (GByteArray *out, guint32 v)
{
  v = GUINT32_TO_LE (v);
  g_byte_array_append (out, (const guint8 *) &v, 4);
}

static void
put_u64 (GByteArray *out, guint64 v)
{
  v = GUINT64_TO_LE (v);
  g_byte_array_append (out, (const guint8 *) &v, 8);
}

static void
put_string (GByteArray *out, const char *s)
{
  gsize n = strlen (s);

  put_u32 (out, n);
  g_byte_array_append (out, (const guint8 *) s, n);
}

static GByteArray *
build_header (HsDataset *ds)
{
  GByteArray *h = g_byte_array_new ();
  g_auto(GStrv) keys = hs_dataset_get_meta_keys (ds);

  put_u32 (h, ds->size);
  put_u32 (h, 3);
  put_u32 (h, ds->classes->len);
  put_u64 (h, ds->n_images);
  put_u64 (h, ds->split_seed);
  put_string (h, ds->name);
  put_u32 (h, g_strv_length (keys));
  for (guint i = 0; keys[i] != NULL; i++)
    {
      put_string (h, keys[i]);
      put_string (h, hs_dataset_get_meta (ds, keys[i]));
    }
  for (guint c = 0; c < ds->classes->len; c++)
    {
      put_string (h, g_ptr_array_index (ds->classes, c));
      for (guint s = 0; s < HS_N_SPLITS; s++)
        put_u64 (h, hs_dataset_counts_of (ds, c)[s]);
    }
  return h;
}

/* The u32 tables go out in little-endian chunks. */
static gboolean
write_u32_table (Writer *w, GArray *table)
{
  guint32 chunk[4096];
  gsize done = 0;

  while (done < table->len)
    {
      gsize n = MIN (G_N_ELEMENTS (chunk), table->len - done);

      for (gsize i = 0; i < n; i++)
        chunk[i] = GUINT32_TO_LE (g_array_index (table, guint32, done + i));
      if (!write_bytes (w, chunk, n * sizeof (guint32)))
        return FALSE;
      done += n;
    }
  return TRUE;
}

gboolean
hs_dataset_save_full (HsDataset *ds, const char *path, gboolean replace, GError **error)
{
  g_autoptr(HsAtomicFile) file = NULL;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GByteArray) header = NULL;
  guint8 prelude[PRELUDE_BYTES];
  guint8 digest[DIGEST_BYTES];
  gsize digest_len = sizeof digest;
  Writer w;
  guint32 v;

  g_return_val_if_fail (ds != NULL && path != NULL, FALSE);
  g_return_val_if_fail (!ds->header_only, FALSE);

  file = hs_atomic_file_open (path, HS_DATASET_ERROR, HS_DATASET_ERROR_IO,
                              HS_DATASET_ERROR_EXISTS, error);
  if (file == NULL)
    return FALSE;
  w.stream = hs_atomic_file_get_stream (file);
  w.sum = sum;

  header = build_header (ds);
  memcpy (prelude, HS_DATASET_MAGIC, 4);
  v = GUINT32_TO_LE (HS_DATASET_VERSION);
  memcpy (prelude + 4, &v, 4);
  v = GUINT32_TO_LE (header->len);
  memcpy (prelude + 8, &v, 4);

  if (!write_bytes (&w, prelude, sizeof prelude)
      || !write_bytes (&w, header->data, header->len)
      || !write_u32_table (&w, ds->labels)
      || !write_u32_table (&w, ds->groups)
      || !write_bytes (&w, ds->splits->data, ds->splits->len)
      || !write_bytes (&w, ds->pixels->data, ds->pixels->len))
    {
      int errsv = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_IO, "Cannot write “%s”: %s",
                   display, g_strerror (errsv));
      return FALSE;
    }
  g_checksum_get_digest (sum, digest, &digest_len);
  if (fwrite (digest, 1, sizeof digest, w.stream) != sizeof digest)
    {
      int errsv = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_IO, "Cannot write “%s”: %s",
                   display, g_strerror (errsv));
      return FALSE;
    }
  return hs_atomic_file_commit (g_steal_pointer (&file), replace, error);
}

gboolean
hs_dataset_save (HsDataset *ds, const char *path, GError **error)
{
  return hs_dataset_save_full (ds, path, TRUE, error);
}

/* Reading */

typedef struct
{
  FILE *stream;
  GChecksum *sum;
  char *display;   /* the file's name, for messages */
  guint64 file_size;
} Reader;

static void
reader_clear (Reader *r)
{
  if (r->stream != NULL)
    fclose (r->stream);
  g_clear_pointer (&r->sum, g_checksum_free);
  g_clear_pointer (&r->display, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reader, reader_clear)

static gboolean G_GNUC_PRINTF (3, 4)
corrupt (Reader *r, GError **error, const char *format, ...)
{
  g_autofree char *why = NULL;
  va_list args;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT,
               "“%s” is damaged: %s", r->display, why);
  return FALSE;
}

static gboolean
read_bytes (Reader *r, void *data, gsize n, GError **error)
{
  if (fread (data, 1, n, r->stream) != n)
    {
      if (ferror (r->stream))
        {
          int errsv = errno;

          g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_IO,
                       "Cannot read “%s”: %s", r->display, g_strerror (errsv));
          return FALSE;
        }
      return corrupt (r, error, "it is truncated");
    }
  g_checksum_update (r->sum, data, n);
  return TRUE;
}

/* A cursor over the header, checked at every step: a damaged length must
 * give an error, not a read past the end. */
typedef struct
{
  const guint8 *p;
  const guint8 *end;
  gboolean overrun;
} Cursor;

static guint32
take_u32 (Cursor *c)
{
  guint32 v;

  if (c->overrun || c->end - c->p < 4)
    {
      c->overrun = TRUE;
      return 0;
    }
  memcpy (&v, c->p, 4);
  c->p += 4;
  return GUINT32_FROM_LE (v);
}

static guint64
take_u64 (Cursor *c)
{
  guint64 v;

  if (c->overrun || c->end - c->p < 8)
    {
      c->overrun = TRUE;
      return 0;
    }
  memcpy (&v, c->p, 8);
  c->p += 8;
  return GUINT64_FROM_LE (v);
}

/* NULL on overrun or invalid UTF-8 (which the writer never produces). */
static char *
take_string (Cursor *c)
{
  guint32 n = take_u32 (c);
  char *s;

  if (c->overrun || (guint64) (c->end - c->p) < n)
    {
      c->overrun = TRUE;
      return NULL;
    }
  if (!g_utf8_validate ((const char *) c->p, n, NULL))
    {
      c->overrun = TRUE;
      return NULL;
    }
  s = g_strndup ((const char *) c->p, n);
  c->p += n;
  return s;
}

static gboolean
parse_header (Reader *r, const guint8 *data, gsize len, HsDataset **out, guint64 *n_images,
              GError **error)
{
  Cursor c = { data, data + len, FALSE };
  g_autoptr(HsDataset) ds = NULL;
  g_autofree char *name = NULL;
  guint32 size, channels, n_classes, n_meta;
  guint64 n, seed;

  size = take_u32 (&c);
  channels = take_u32 (&c);
  n_classes = take_u32 (&c);
  n = take_u64 (&c);
  seed = take_u64 (&c);
  name = take_string (&c);
  if (c.overrun)
    return corrupt (r, error, "its header is cut short");
  if (size == 0 || size > MAX_SIZE || channels != 3)
    return corrupt (r, error, "its header gives images of %u×%u×%u", size, size, channels);
  /* Each class takes at least 28 header bytes: bounds C before allocating. */
  if ((guint64) n_classes * 28 > len)
    return corrupt (r, error, "its header lists %u classes in %zu bytes", n_classes, len);

  ds = hs_dataset_new (name, size);
  ds->split_seed = seed;
  n_meta = take_u32 (&c);
  for (guint32 i = 0; i < n_meta && !c.overrun; i++)
    {
      g_autofree char *key = take_string (&c);
      g_autofree char *value = take_string (&c);

      if (key != NULL && value != NULL)
        g_hash_table_insert (ds->meta, g_steal_pointer (&key), g_steal_pointer (&value));
    }
  for (guint32 i = 0; i < n_classes && !c.overrun; i++)
    {
      g_autofree char *class_name = take_string (&c);
      guint64 counts[HS_N_SPLITS];
      guint index;

      for (guint s = 0; s < HS_N_SPLITS; s++)
        counts[s] = take_u64 (&c);
      if (class_name == NULL)
        break;
      if (hs_dataset_lookup_class (ds, class_name) >= 0)
        return corrupt (r, error, "class “%s” appears twice", class_name);
      index = hs_dataset_add_class (ds, class_name);
      memcpy (hs_dataset_counts_of (ds, index), counts, sizeof counts);
    }
  if (c.overrun)
    return corrupt (r, error, "its header is cut short");

  *out = g_steal_pointer (&ds);
  *n_images = n;
  return TRUE;
}

/* The file size the header promises; FALSE when it does not fit in 64 bits. */
static gboolean
expected_file_size (guint32 header_len, guint64 n, guint size, guint64 *out)
{
  guint64 per_image = 4 + 4 + 1 + (guint64) size * size * 3;
  guint64 body;

  return g_uint64_checked_mul (&body, n, per_image)
         && g_uint64_checked_add (out, body, PRELUDE_BYTES + (guint64) header_len + DIGEST_BYTES);
}

static gboolean
read_u32_table (Reader *r, GArray *table, guint64 n, GError **error)
{
  g_array_set_size (table, n);
  if (!read_bytes (r, table->data, n * sizeof (guint32), error))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    g_array_index (table, guint32, i) = GUINT32_FROM_LE (g_array_index (table, guint32, i));
  return TRUE;
}

/* The tables agree with each other and with the header's counts. */
static gboolean
check_tables (Reader *r, HsDataset *ds, GError **error)
{
  g_autoptr(GArray) counts = g_array_sized_new (FALSE, TRUE, sizeof (guint64),
                                                ds->counts->len);

  g_array_set_size (counts, ds->counts->len);
  for (gsize i = 0; i < ds->n_images; i++)
    {
      guint32 label = g_array_index (ds->labels, guint32, i);
      guint8 split = g_array_index (ds->splits, guint8, i);

      if (label >= ds->classes->len || split >= HS_N_SPLITS)
        return corrupt (r, error, "image %zu has label %u and split %u", i, label, split);
      g_array_index (counts, guint64, (gsize) label * HS_N_SPLITS + split)++;
    }
  if (memcmp (counts->data, ds->counts->data, counts->len * sizeof (guint64)) != 0)
    return corrupt (r, error, "its class counts do not match its images");
  return TRUE;
}

static HsDataset *
load (const char *path, gboolean with_pixels, gsize *n_images_out, GError **error)
{
  g_auto(Reader) r = { NULL };
  g_autoptr(HsDataset) ds = NULL;
  g_autofree guint8 *header = NULL;
  guint8 prelude[PRELUDE_BYTES];
  guint8 stored[DIGEST_BYTES], digest[DIGEST_BYTES];
  gsize digest_len = sizeof digest;
  guint32 version, header_len;
  guint64 n, expected;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, NULL);

  r.display = g_filename_display_name (path);
  r.sum = g_checksum_new (G_CHECKSUM_SHA256);
  r.stream = g_fopen (path, "rbe");
  if (r.stream == NULL || fstat (fileno (r.stream), &st) != 0)
    {
      int errsv = errno;

      g_set_error (error, HS_DATASET_ERROR,
                   errsv == ENOENT ? HS_DATASET_ERROR_NOT_FOUND : HS_DATASET_ERROR_IO,
                   "Cannot open “%s”: %s", r.display, g_strerror (errsv));
      return NULL;
    }
  r.file_size = st.st_size;

  if (r.file_size < PRELUDE_BYTES || !read_bytes (&r, prelude, PRELUDE_BYTES, NULL)
      || memcmp (prelude, HS_DATASET_MAGIC, 4) != 0)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_CORRUPT,
                   "“%s” is not a HyperSTAR dataset file", r.display);
      return NULL;
    }
  memcpy (&version, prelude + 4, 4);
  version = GUINT32_FROM_LE (version);
  memcpy (&header_len, prelude + 8, 4);
  header_len = GUINT32_FROM_LE (header_len);
  if (version > HS_DATASET_VERSION)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_VERSION,
                   "“%s” is in dataset format version %u; this build reads version %u "
                   "(import or build it again, or update HyperSTAR Workbench)",
                   r.display, version, HS_DATASET_VERSION);
      return NULL;
    }
  if (version == 0)
    {
      corrupt (&r, error, "its format version is 0");
      return NULL;
    }
  if (header_len > MAX_HEADER_BYTES
      || (guint64) header_len + PRELUDE_BYTES + DIGEST_BYTES > r.file_size)
    {
      corrupt (&r, error, "it is truncated or its header length (%u bytes) is wrong",
               header_len);
      return NULL;
    }

  header = g_malloc (header_len);
  if (!read_bytes (&r, header, header_len, error)
      || !parse_header (&r, header, header_len, &ds, &n, error))
    return NULL;

  if (!expected_file_size (header_len, n, ds->size, &expected) || r.file_size < expected)
    {
      corrupt (&r, error, "it is truncated (%" G_GUINT64_FORMAT " bytes; its header "
               "describes %" G_GUINT64_FORMAT " images)", r.file_size, n);
      return NULL;
    }
  if (r.file_size > expected)
    {
      corrupt (&r, error, "it has %" G_GUINT64_FORMAT " unexpected bytes at the end",
               r.file_size - expected);
      return NULL;
    }

  if (!with_pixels)
    {
      guint64 counted = 0;

      for (guint i = 0; i < ds->counts->len; i++)
        counted += g_array_index (ds->counts, guint64, i);
      if (counted != n)
        {
          corrupt (&r, error, "its class counts do not add up to its %" G_GUINT64_FORMAT
                   " images", n);
          return NULL;
        }
      ds->n_images = n;
      ds->header_only = TRUE;
      if (n_images_out != NULL)
        *n_images_out = n;
      return g_steal_pointer (&ds);
    }

  ds->n_images = n;
  g_array_set_size (ds->splits, n);
  g_byte_array_set_size (ds->pixels, n * hs_dataset_image_bytes (ds));
  if (!read_u32_table (&r, ds->labels, n, error)
      || !read_u32_table (&r, ds->groups, n, error)
      || !read_bytes (&r, ds->splits->data, n, error)
      || !read_bytes (&r, ds->pixels->data, ds->pixels->len, error))
    return NULL;
  if (fread (stored, 1, sizeof stored, r.stream) != sizeof stored)
    {
      corrupt (&r, error, "it is truncated");
      return NULL;
    }
  g_checksum_get_digest (r.sum, digest, &digest_len);
  if (memcmp (stored, digest, sizeof digest) != 0)
    {
      corrupt (&r, error, "its SHA-256 checksum does not match its contents");
      return NULL;
    }
  if (!check_tables (&r, ds, error))
    return NULL;
  if (n_images_out != NULL)
    *n_images_out = n;
  return g_steal_pointer (&ds);
}

HsDataset *
hs_dataset_load (const char *path, GError **error)
{
  return load (path, TRUE, NULL, error);
}

HsDataset *
hs_dataset_load_header (const char *path, gsize *n_images, GError **error)
{
  return load (path, FALSE, n_images, error);
}
