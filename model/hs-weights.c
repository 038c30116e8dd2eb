/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Named tensors on disk (see hs-weights.h).
 *
 * File layout, format version 1.  Every integer is little-endian; there is
 * no padding anywhere.
 *
 *   offset  size  field
 *   0       4     magic "HSWT"
 *   4       4     u32 format version (1)
 *   8       4     u32 A: byte length of the architecture id
 *   12      A     architecture id, UTF-8, no terminating NUL
 *           4     u32 N: number of entries
 *   then N entry records, in insertion order:
 *           4     u32 L: byte length of the name
 *           L     name, UTF-8, non-empty, no NUL; unique in the file
 *           4     u32 dtype: 0 = f32, 1 = u8, 2 = i32
 *           4     u32 D: number of dimensions, 1..4
 *           8*D   i64 dims, each >= 1
 *   then the data of each entry, in the same order, back to back:
 *           numel * element size bytes (f32 and i32: 4, u8: 1), each
 *           element little-endian (f32 as its IEEE-754 bit pattern)
 *   last    32    SHA-256 of every byte before it
 *
 * The magic and the version field stay where they are in every future
 * version, so a reader can always say "this is a newer file" rather than
 * "this is corrupt".  A reader refuses versions above its own.
 *
 * Loading checks every length against the bytes that remain before reading
 * (or allocating) anything, so a truncated or hostile file is an error, never
 * a crash or a huge allocation; then the checksum; then duplicate names; then
 * the architecture.
 */
#define G_LOG_DOMAIN "hs-weights"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hs-atomic-file.h"
#include "hs-weights.h"

#define HS_WEIGHTS_MAGIC "HSWT"
#define HS_WEIGHTS_VERSION 1u
#define HS_WEIGHTS_HASH_LEN 32 /* SHA-256 */

G_DEFINE_QUARK (hs-weights-error-quark, hs_weights_error)

typedef struct
{
  char *name;
  HsDType dtype;
  guint ndim;
  gint64 shape[HS_MAX_DIMS];
  gsize numel;
  gpointer data; /* host order */
} HsWeightsEntry;

struct _HsWeights
{
  char *architecture;
  char *origin;        /* display name of the file it was loaded from, or NULL */
  GPtrArray *entries;  /* HsWeightsEntry*, insertion order */
  GHashTable *by_name; /* name (owned by the entry) -> HsWeightsEntry* */
};

static void
entry_free (gpointer p)
{
  HsWeightsEntry *e = p;

  g_free (e->name);
  g_free (e->data);
  g_free (e);
}

static gsize
dtype_size (HsDType dtype)
{
  return dtype == HS_DTYPE_U8 ? 1 : 4;
}

static const char *
dtype_name (HsDType dtype)
{
  switch (dtype)
    {
    case HS_DTYPE_F32: return "f32";
    case HS_DTYPE_U8: return "u8";
    case HS_DTYPE_I32: return "i32";
    default: return "?";
    }
}

/* On-disk dtype codes are fixed by the format, not by the enum's order. */
static guint32
dtype_to_disk (HsDType dtype)
{
  switch (dtype)
    {
    case HS_DTYPE_F32: return 0;
    case HS_DTYPE_U8: return 1;
    case HS_DTYPE_I32: return 2;
    default: g_assert_not_reached ();
    }
}

static gboolean
dtype_from_disk (guint32 code, HsDType *dtype)
{
  switch (code)
    {
    case 0: *dtype = HS_DTYPE_F32; return TRUE;
    case 1: *dtype = HS_DTYPE_U8; return TRUE;
    case 2: *dtype = HS_DTYPE_I32; return TRUE;
    default: return FALSE;
    }
}

/* "[64, 32, 32, 3]", like hs_tensor_shape_string(). */
static char *
shape_string (guint ndim, const gint64 *shape)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < ndim; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "", shape[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/* Copies n elements of size elsize between host order and little-endian
 * (the same operation both ways). */
static void
copy_le (gpointer dst, gconstpointer src, gsize n, gsize elsize)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  memcpy (dst, src, n * elsize);
#else
  if (elsize == 1)
    {
      memcpy (dst, src, n);
      return;
    }
  for (gsize i = 0; i < n; i++)
    {
      guint32 v;

      memcpy (&v, (const guint8 *) src + 4 * i, 4);
      v = GUINT32_SWAP_LE_BE (v);
      memcpy ((guint8 *) dst + 4 * i, &v, 4);
    }
#endif
}

HsWeights *
hs_weights_new (const char *architecture)
{
  HsWeights *w;

  g_return_val_if_fail (architecture != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (architecture, -1, NULL), NULL);

  w = g_new0 (HsWeights, 1);
  w->architecture = g_strdup (architecture);
  w->entries = g_ptr_array_new_with_free_func (entry_free);
  w->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  return w;
}

void
hs_weights_free (HsWeights *w)
{
  if (w == NULL)
    return;
  g_hash_table_unref (w->by_name);
  g_ptr_array_unref (w->entries);
  g_free (w->architecture);
  g_free (w->origin);
  g_free (w);
}

const char *
hs_weights_get_architecture (HsWeights *w)
{
  g_return_val_if_fail (w != NULL, NULL);
  return w->architecture;
}

static gboolean
name_is_valid (const char *name)
{
  return name != NULL && name[0] != '\0' && g_utf8_validate (name, -1, NULL);
}

/* Takes ownership of data. */
static void
add_entry (HsWeights *w, const char *name, HsDType dtype, guint ndim, const gint64 *shape,
           gsize numel, gpointer data)
{
  HsWeightsEntry *e = g_new0 (HsWeightsEntry, 1);

  e->name = g_strdup (name);
  e->dtype = dtype;
  e->ndim = ndim;
  memcpy (e->shape, shape, ndim * sizeof (gint64));
  e->numel = numel;
  e->data = data;
  g_ptr_array_add (w->entries, e);
  g_hash_table_insert (w->by_name, e->name, e);
}

gboolean
hs_weights_add_tensor (HsWeights *w, const char *name, HsTensor *t, GError **error)
{
  gint64 shape[HS_MAX_DIMS];
  guint ndim;
  gsize numel;
  HsDType dtype;
  g_autofree gpointer data = NULL;

  g_return_val_if_fail (w != NULL, FALSE);
  g_return_val_if_fail (name_is_valid (name), FALSE);
  /* Names come from code (parameter paths), so a repeat is a bug. */
  g_return_val_if_fail (!hs_weights_has (w, name), FALSE);
  g_return_val_if_fail (t != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  dtype = hs_tensor_get_dtype (t);
  ndim = hs_tensor_get_ndim (t);
  numel = hs_tensor_get_numel (t);
  for (guint i = 0; i < ndim; i++)
    shape[i] = hs_tensor_get_dim (t, (gint) i);

  data = g_malloc (numel * dtype_size (dtype));
  if (!hs_tensor_download (t, data, error))
    return FALSE;
  add_entry (w, name, dtype, ndim, shape, numel, g_steal_pointer (&data));
  return TRUE;
}

void
hs_weights_add_data (HsWeights *w, const char *name, HsDType dtype, guint ndim,
                     const gint64 *shape, gconstpointer data)
{
  gsize numel = 1;

  g_return_if_fail (w != NULL);
  g_return_if_fail (name_is_valid (name));
  g_return_if_fail (!hs_weights_has (w, name));
  g_return_if_fail (dtype == HS_DTYPE_F32 || dtype == HS_DTYPE_U8 || dtype == HS_DTYPE_I32);
  g_return_if_fail (ndim >= 1 && ndim <= HS_MAX_DIMS);
  g_return_if_fail (shape != NULL);
  for (guint i = 0; i < ndim; i++)
    {
      g_return_if_fail (shape[i] >= 1);
      numel *= (gsize) shape[i];
    }
  g_return_if_fail (data != NULL);

  add_entry (w, name, dtype, ndim, shape, numel, g_memdup2 (data, numel * dtype_size (dtype)));
}

guint
hs_weights_get_n_entries (HsWeights *w)
{
  g_return_val_if_fail (w != NULL, 0);
  return w->entries->len;
}

const char *
hs_weights_get_entry_name (HsWeights *w, guint index)
{
  g_return_val_if_fail (w != NULL, NULL);
  g_return_val_if_fail (index < w->entries->len, NULL);
  return ((HsWeightsEntry *) g_ptr_array_index (w->entries, index))->name;
}

gboolean
hs_weights_has (HsWeights *w, const char *name)
{
  g_return_val_if_fail (w != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  return g_hash_table_contains (w->by_name, name);
}

/* "“file.hswt”" or "the weights" for error messages. */
static char *
describe_source (HsWeights *w)
{
  if (w->origin != NULL)
    return g_strdup_printf ("“%s”", w->origin);
  return g_strdup_printf ("the %s weights", w->architecture);
}

static HsWeightsEntry *
lookup (HsWeights *w, const char *name, GError **error)
{
  HsWeightsEntry *e = g_hash_table_lookup (w->by_name, name);

  if (e == NULL)
    {
      g_autofree char *source = describe_source (w);

      g_set_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_MISMATCH,
                   "No tensor “%s” in %s", name, source);
    }
  return e;
}

/* A MISMATCH error unless e has this dtype and (when shape is non-NULL) this
 * shape; the message names the tensor and both shapes. */
static gboolean
check_entry (HsWeights *w, HsWeightsEntry *e, HsDType dtype, guint ndim, const gint64 *shape,
             GError **error)
{
  gboolean same = e->dtype == dtype;

  if (same && shape != NULL)
    same = e->ndim == ndim && memcmp (e->shape, shape, ndim * sizeof (gint64)) == 0;
  if (!same)
    {
      g_autofree char *source = describe_source (w);
      g_autofree char *have = shape_string (e->ndim, e->shape);
      g_autofree char *want = shape != NULL ? shape_string (ndim, shape) : g_strdup ("any shape");

      g_set_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_MISMATCH,
                   "Tensor “%s” in %s is %s %s, expected %s %s", e->name, source,
                   dtype_name (e->dtype), have, dtype_name (dtype), want);
      return FALSE;
    }
  return TRUE;
}

gconstpointer
hs_weights_get_data (HsWeights *w, const char *name, HsDType dtype, guint ndim,
                     const gint64 *shape, gsize *numel, GError **error)
{
  HsWeightsEntry *e;

  g_return_val_if_fail (w != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  e = lookup (w, name, error);
  if (e == NULL || !check_entry (w, e, dtype, ndim, shape, error))
    return NULL;
  if (numel != NULL)
    *numel = e->numel;
  return e->data;
}

gboolean
hs_weights_copy_to (HsWeights *w, const char *name, HsTensor *t, GError **error)
{
  gint64 shape[HS_MAX_DIMS];
  guint ndim;
  HsWeightsEntry *e;

  g_return_val_if_fail (w != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (t != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ndim = hs_tensor_get_ndim (t);
  for (guint i = 0; i < ndim; i++)
    shape[i] = hs_tensor_get_dim (t, (gint) i);

  e = lookup (w, name, error);
  if (e == NULL || !check_entry (w, e, hs_tensor_get_dtype (t), ndim, shape, error))
    return FALSE;
  return hs_tensor_upload (t, e->data, error);
}

/* Saving */

/* Writes through stdio and feeds the same bytes to the checksum, so the
 * trailer covers exactly what is on disk. */
typedef struct
{
  FILE *stream;
  GChecksum *sha;
} Writer;

static void
put (Writer *wr, gconstpointer data, gsize len)
{
  /* Errors are sticky in the stream and checked once at the end. */
  fwrite (data, 1, len, wr->stream);
  g_checksum_update (wr->sha, data, len);
}

static void
put_u32 (Writer *wr, guint32 v)
{
  guint32 le = GUINT32_TO_LE (v);
  put (wr, &le, sizeof le);
}

static void
put_i64 (Writer *wr, gint64 v)
{
  gint64 le = GINT64_TO_LE (v);
  put (wr, &le, sizeof le);
}

static void
put_string (Writer *wr, const char *s)
{
  gsize len = strlen (s);

  put_u32 (wr, (guint32) len);
  put (wr, s, len);
}

static void
put_data (Writer *wr, HsWeightsEntry *e)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  put (wr, e->data, e->numel * dtype_size (e->dtype));
#else
  /* In slices, so a big tensor does not need a second full copy. */
  gsize elsize = dtype_size (e->dtype);
  gsize chunk = 16384;
  g_autofree guint8 *buf = g_malloc (chunk * elsize);

  for (gsize done = 0; done < e->numel; done += chunk)
    {
      gsize n = MIN (chunk, e->numel - done);

      copy_le (buf, (const guint8 *) e->data + done * elsize, n, elsize);
      put (wr, buf, n * elsize);
    }
#endif
}

static void
write_contents (HsWeights *w, Writer *wr)
{
  guint8 digest[HS_WEIGHTS_HASH_LEN];
  gsize digest_len = sizeof digest;

  put (wr, HS_WEIGHTS_MAGIC, 4);
  put_u32 (wr, HS_WEIGHTS_VERSION);
  put_string (wr, w->architecture);
  put_u32 (wr, w->entries->len);
  for (guint i = 0; i < w->entries->len; i++)
    {
      HsWeightsEntry *e = g_ptr_array_index (w->entries, i);

      put_string (wr, e->name);
      put_u32 (wr, dtype_to_disk (e->dtype));
      put_u32 (wr, e->ndim);
      for (guint d = 0; d < e->ndim; d++)
        put_i64 (wr, e->shape[d]);
    }
  for (guint i = 0; i < w->entries->len; i++)
    put_data (wr, g_ptr_array_index (w->entries, i));

  g_checksum_get_digest (wr->sha, digest, &digest_len);
  g_assert (digest_len == HS_WEIGHTS_HASH_LEN);
  fwrite (digest, 1, digest_len, wr->stream);
}

/* Whole or nothing (hs-atomic-file.h): a reader sees the old file or the new
 * one, never half of one, and a failure leaves no file behind. */
gboolean
hs_weights_save (HsWeights *w, const char *path, GError **error)
{
  g_autoptr(HsAtomicFile) file = NULL;
  g_autoptr(GChecksum) sha = NULL;
  Writer wr;

  g_return_val_if_fail (w != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  file = hs_atomic_file_open (path, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_IO, HS_WEIGHTS_ERROR_IO,
                              error);
  if (file == NULL)
    return FALSE;
  sha = g_checksum_new (G_CHECKSUM_SHA256);
  wr = (Writer) { .stream = hs_atomic_file_get_stream (file), .sha = sha };
  write_contents (w, &wr);
  return hs_atomic_file_commit (g_steal_pointer (&file), TRUE, error);
}

/* Loading */

/* A bounds-checked cursor over the bytes before the checksum. */
typedef struct
{
  const guint8 *data;
  gsize len;
  gsize pos;
  const char *display;
} Reader;

static gboolean
take (Reader *r, gsize n, const char *what, const guint8 **out, GError **error)
{
  if (n > r->len - r->pos)
    {
      g_set_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_CORRUPT,
                   "“%s” is truncated or corrupt: %s needs %" G_GSIZE_FORMAT
                   " bytes at offset %" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT " left",
                   r->display, what, n, r->pos, r->len - r->pos);
      return FALSE;
    }
  *out = r->data + r->pos;
  r->pos += n;
  return TRUE;
}

static gboolean
take_u32 (Reader *r, const char *what, guint32 *v, GError **error)
{
  const guint8 *p;

  if (!take (r, 4, what, &p, error))
    return FALSE;
  memcpy (v, p, 4);
  *v = GUINT32_FROM_LE (*v);
  return TRUE;
}

static gboolean
take_i64 (Reader *r, const char *what, gint64 *v, GError **error)
{
  const guint8 *p;

  if (!take (r, 8, what, &p, error))
    return FALSE;
  memcpy (v, p, 8);
  *v = GINT64_FROM_LE (*v);
  return TRUE;
}

/* A length-prefixed UTF-8 string without NULs, newly allocated. */
static char *
take_string (Reader *r, const char *what, GError **error)
{
  const guint8 *p;
  guint32 len;

  if (!take_u32 (r, what, &len, error) || !take (r, len, what, &p, error))
    return NULL;
  if (memchr (p, '\0', len) != NULL || !g_utf8_validate ((const char *) p, len, NULL))
    {
      g_set_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_CORRUPT,
                   "“%s” is corrupt: %s at offset %" G_GSIZE_FORMAT " is not valid UTF-8",
                   r->display, what, r->pos - len);
      return NULL;
    }
  return g_strndup ((const char *) p, len);
}

static gboolean G_GNUC_PRINTF (3, 4)
corrupt (GError **error, const char *display, const char *format, ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_CORRUPT, "“%s” is corrupt: %s",
               display, detail);
  return FALSE;
}

/* One entry record, parsed but not yet copied out of the mapping. */
typedef struct
{
  char *name;
  HsDType dtype;
  guint ndim;
  gint64 shape[HS_MAX_DIMS];
  gsize numel;
  const guint8 *data;
} Record;

static void
record_clear (gpointer p)
{
  g_free (((Record *) p)->name);
}

static gboolean
take_record (Reader *r, Record *rec, GError **error)
{
  guint32 code, ndim;

  rec->name = take_string (r, "a tensor name", error);
  if (rec->name == NULL)
    return FALSE;
  if (rec->name[0] == '\0')
    return corrupt (error, r->display, "a tensor has an empty name");
  if (!take_u32 (r, "a dtype", &code, error) || !take_u32 (r, "a rank", &ndim, error))
    return FALSE;
  if (!dtype_from_disk (code, &rec->dtype))
    return corrupt (error, r->display, "tensor “%s” has unknown dtype %u", rec->name, code);
  if (ndim < 1 || ndim > HS_MAX_DIMS)
    return corrupt (error, r->display, "tensor “%s” has %u dimensions", rec->name, ndim);
  rec->ndim = ndim;
  rec->numel = 1;
  for (guint d = 0; d < ndim; d++)
    {
      if (!take_i64 (r, "a dimension", &rec->shape[d], error))
        return FALSE;
      if (rec->shape[d] < 1)
        return corrupt (error, r->display, "tensor “%s” has dimension %" G_GINT64_FORMAT,
                        rec->name, rec->shape[d]);
      /* The data must fit in the file, so anything over its length is
       * already wrong; checking here keeps the product from overflowing. */
      if (!g_size_checked_mul (&rec->numel, rec->numel, (gsize) rec->shape[d]) ||
          rec->numel > r->len)
        {
          g_autofree char *shape = shape_string (d + 1, rec->shape);

          return corrupt (error, r->display, "tensor “%s” of shape %s%s is larger than the file",
                          rec->name, shape, d + 1 < ndim ? "…" : "");
        }
    }
  return TRUE;
}

HsWeights *
hs_weights_load (const char *path, const char *expected_architecture, GError **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GArray) records = NULL;
  g_autoptr(GChecksum) sha = NULL;
  g_autoptr(HsWeights) w = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autofree char *display = NULL;
  g_autofree char *architecture = NULL;
  guint8 digest[HS_WEIGHTS_HASH_LEN];
  gsize digest_len = sizeof digest;
  const guint8 *bytes;
  gsize len;
  guint32 version, n_entries;
  Reader r;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display = g_filename_display_name (path);
  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_IO, "Cannot read “%s”: %s",
                   display, local_error->message);
      return NULL;
    }
  bytes = (const guint8 *) g_mapped_file_get_contents (mapped);
  len = g_mapped_file_get_length (mapped);

  /* Magic and version first: they never move, so a newer file is reported
   * as newer even if everything after them changed. */
  if (len >= 4 && memcmp (bytes, HS_WEIGHTS_MAGIC, 4) != 0)
    {
      g_set_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_CORRUPT,
                   "“%s” is not a weights file (bad magic)", display);
      return NULL;
    }
  if (len < 8 + HS_WEIGHTS_HASH_LEN)
    {
      g_set_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_CORRUPT,
                   "“%s” is truncated: %" G_GSIZE_FORMAT " bytes is shorter than any weights file",
                   display, len);
      return NULL;
    }
  memcpy (&version, bytes + 4, 4);
  version = GUINT32_FROM_LE (version);
  if (version == 0)
    {
      corrupt (error, display, "format version 0");
      return NULL;
    }
  if (version > HS_WEIGHTS_VERSION)
    {
      g_set_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_VERSION,
                   "“%s” is in weights format version %u; this build reads up to version %u",
                   display, version, HS_WEIGHTS_VERSION);
      return NULL;
    }

  /* The structure, bounds-checked against the bytes before the checksum. */
  r = (Reader) { .data = bytes, .len = len - HS_WEIGHTS_HASH_LEN, .pos = 8, .display = display };
  architecture = take_string (&r, "the architecture id", error);
  if (architecture == NULL || !take_u32 (&r, "the entry count", &n_entries, error))
    return NULL;
  /* Each record is at least 20 bytes: refuse a count that cannot fit before
   * allocating anything for it. */
  if (n_entries > (r.len - r.pos) / 20)
    {
      g_set_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_CORRUPT,
                   "“%s” is truncated or corrupt: %u entries cannot fit in the %" G_GSIZE_FORMAT
                   " bytes left", display, n_entries, r.len - r.pos);
      return NULL;
    }
  records = g_array_sized_new (FALSE, TRUE, sizeof (Record), n_entries);
  g_array_set_clear_func (records, record_clear);
  for (guint i = 0; i < n_entries; i++)
    {
      Record rec = { 0 };
      gboolean ok = take_record (&r, &rec, error);

      g_array_append_val (records, rec);
      if (!ok)
        return NULL;
    }
  for (guint i = 0; i < n_entries; i++)
    {
      Record *rec = &g_array_index (records, Record, i);
      char what[64];

      g_snprintf (what, sizeof what, "the data of entry %u", i);
      if (!take (&r, rec->numel * dtype_size (rec->dtype), what, &rec->data, error))
        return NULL;
    }
  if (r.pos != r.len)
    {
      corrupt (error, display, "%" G_GSIZE_FORMAT " unexpected bytes after the data",
               r.len - r.pos);
      return NULL;
    }

  sha = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sha, bytes, r.len);
  g_checksum_get_digest (sha, digest, &digest_len);
  if (memcmp (digest, bytes + r.len, HS_WEIGHTS_HASH_LEN) != 0)
    {
      corrupt (error, display, "SHA-256 checksum mismatch");
      return NULL;
    }

  /* Integrity before meaning: a file with two entries of one name was not
   * written by us, whatever it claims to be. */
  names = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n_entries; i++)
    {
      Record *rec = &g_array_index (records, Record, i);

      if (!g_hash_table_add (names, rec->name))
        {
          corrupt (error, display, "tensor “%s” appears twice", rec->name);
          return NULL;
        }
    }

  if (expected_architecture != NULL && g_strcmp0 (architecture, expected_architecture) != 0)
    {
      g_set_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_MISMATCH,
                   "“%s” holds weights for architecture “%s”, expected “%s”", display,
                   architecture, expected_architecture);
      return NULL;
    }

  w = hs_weights_new (architecture);
  w->origin = g_strdup (display);
  for (guint i = 0; i < n_entries; i++)
    {
      Record *rec = &g_array_index (records, Record, i);
      gpointer data = g_malloc (rec->numel * dtype_size (rec->dtype));

      copy_le (data, rec->data, rec->numel, dtype_size (rec->dtype));
      add_entry (w, rec->name, rec->dtype, rec->ndim, rec->shape, rec->numel, data);
    }
  return g_steal_pointer (&w);
}
