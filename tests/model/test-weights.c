/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The named-tensor file format (model/hs-weights.c): bit-exact round trips,
 * uploads into tensors, and every way a file can be refused.
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "hs-weights.h"

#define ARCH "refcnn-test-v1"

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static HsDevice *
cpu_device (void)
{
  g_autoptr(GError) error = NULL;
  HsDevice *dev = hs_device_new ("cpu", &error);

  g_assert_no_error (error);
  return dev;
}

/* Values whose bits must survive unchanged: signed zeros, a denormal,
 * infinities and NaNs with payloads (a conversion through double or a
 * "normalising" copy would change some of them). */
static const guint32 f32_bits[] = {
  0x00000000, 0x80000000, 0x00000001, 0x007fffff, 0x3f800000, 0xbf800000,
  0x7f800000, 0xff800000, 0x7fc00000, 0x7fa12345, 0xffc0beef, 0x3eaaaaab,
};

static HsWeights *
make_sample (void)
{
  HsWeights *w = hs_weights_new (ARCH);
  gint64 s1[] = { 12 };
  gint64 s2[] = { 3, 5 };
  gint64 s3[] = { 2, 3, 4 };
  gint64 s4[] = { 2, 1, 3, 2 };
  gint32 i32[15];
  guint8 u8[24];
  gfloat f4[12];

  for (guint i = 0; i < G_N_ELEMENTS (i32); i++)
    i32[i] = i == 0 ? G_MININT32 : i == 1 ? G_MAXINT32 : (gint32) (i * 7919) - 50000;
  for (guint i = 0; i < G_N_ELEMENTS (u8); i++)
    u8[i] = (guint8) (i * 11 + (i == 23 ? 2 : 0)); /* reaches 255 */
  for (guint i = 0; i < G_N_ELEMENTS (f4); i++)
    f4[i] = (gfloat) sin (i) * 1e-3f;

  hs_weights_add_data (w, "f32.special", HS_DTYPE_F32, 1, s1, f32_bits);
  hs_weights_add_data (w, "i32.matrix", HS_DTYPE_I32, 2, s2, i32);
  hs_weights_add_data (w, "u8.cube", HS_DTYPE_U8, 3, s3, u8);
  hs_weights_add_data (w, "stage1.conv.weight", HS_DTYPE_F32, 4, s4, f4);
  return w;
}

static void
assert_same (HsWeights *a, HsWeights *b)
{
  g_assert_cmpstr (hs_weights_get_architecture (a), ==, hs_weights_get_architecture (b));
  g_assert_cmpuint (hs_weights_get_n_entries (a), ==, hs_weights_get_n_entries (b));
  for (guint i = 0; i < hs_weights_get_n_entries (a); i++)
    {
      const char *name = hs_weights_get_entry_name (a, i);
      static const HsDType dtypes[] = { HS_DTYPE_F32, HS_DTYPE_I32, HS_DTYPE_U8 };
      gconstpointer da = NULL, db = NULL;
      gsize na = 0, nb = 0;
      HsDType dtype = HS_DTYPE_F32;

      /* Insertion order is kept. */
      g_assert_cmpstr (name, ==, hs_weights_get_entry_name (b, i));
      for (guint d = 0; d < G_N_ELEMENTS (dtypes) && da == NULL; d++)
        {
          dtype = dtypes[d];
          da = hs_weights_get_data (a, name, dtype, 0, NULL, &na, NULL);
        }
      g_assert_nonnull (da);
      db = hs_weights_get_data (b, name, dtype, 0, NULL, &nb, NULL);
      g_assert_nonnull (db);
      g_assert_cmpuint (na, ==, nb);
      g_assert_cmpmem (da, na * (dtype == HS_DTYPE_U8 ? 1 : 4), db,
                       nb * (dtype == HS_DTYPE_U8 ? 1 : 4));
    }
}

static char *
save_sample (const char *name)
{
  g_autoptr(HsWeights) w = make_sample ();
  g_autoptr(GError) error = NULL;
  char *path = tmp_path (name);

  hs_weights_save (w, path, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_round_trip (void)
{
  g_autoptr(HsWeights) w = make_sample ();
  g_autoptr(HsWeights) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path ("round-trip.hswt");
  gint64 s3[] = { 2, 3, 4 };
  gconstpointer data;
  gsize numel = 0;

  g_assert_true (hs_weights_save (w, path, &error));
  g_assert_no_error (error);
  back = hs_weights_load (path, ARCH, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  assert_same (w, back);

  /* Exact shape asked for. */
  data = hs_weights_get_data (back, "u8.cube", HS_DTYPE_U8, 3, s3, &numel, &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);
  g_assert_cmpuint (numel, ==, 24);
  g_assert_cmpuint (((const guint8 *) data)[23], ==, 255);
  g_assert_true (hs_weights_has (back, "i32.matrix"));
  g_assert_false (hs_weights_has (back, "i32"));

  /* Any architecture. */
  g_clear_pointer (&back, hs_weights_free);
  back = hs_weights_load (path, NULL, &error);
  g_assert_no_error (error);
  assert_same (w, back);

  /* Saving over an existing file replaces it, and leaves nothing else. */
  g_clear_pointer (&back, hs_weights_free);
  {
    g_autoptr(HsWeights) other = hs_weights_new ("other");
    gint64 s[] = { 1 };
    gint32 v = 42;
    g_autoptr(GDir) dir = NULL;
    const char *entry;
    guint n = 0;

    hs_weights_add_data (other, "x", HS_DTYPE_I32, 1, s, &v);
    g_assert_true (hs_weights_save (other, path, &error));
    g_assert_no_error (error);
    back = hs_weights_load (path, "other", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hs_weights_get_n_entries (back), ==, 1);

    dir = g_dir_open (tmp_dir, 0, &error);
    g_assert_no_error (error);
    while ((entry = g_dir_read_name (dir)) != NULL)
      {
        g_assert_false (g_str_has_prefix (entry, "."));
        n += g_str_equal (entry, "round-trip.hswt");
      }
    g_assert_cmpuint (n, ==, 1);
  }
  g_unlink (path);
}

static void
test_empty (void)
{
  g_autoptr(HsWeights) w = hs_weights_new ("");
  g_autoptr(HsWeights) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path ("empty.hswt");

  g_assert_true (hs_weights_save (w, path, &error));
  back = hs_weights_load (path, "", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hs_weights_get_n_entries (back), ==, 0);
  g_unlink (path);
}

static void
test_tensors (void)
{
  g_autoptr(HsDevice) dev = cpu_device ();
  g_autoptr(HsWeights) w = hs_weights_new (ARCH);
  g_autoptr(HsWeights) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path ("tensors.hswt");
  static const gint64 shapes[4][4] = { { 7 }, { 4, 3 }, { 2, 3, 5 }, { 2, 3, 2, 4 } };
  static const HsDType dtypes[3] = { HS_DTYPE_F32, HS_DTYPE_I32, HS_DTYPE_U8 };
  g_autoptr(GPtrArray) tensors = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_tensor_unref);
  g_autoptr(GPtrArray) host = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  /* Every dtype at every rank. */
  for (guint d = 0; d < G_N_ELEMENTS (dtypes); d++)
    for (guint r = 0; r < 4; r++)
      {
        gsize numel = 1, elsize = dtypes[d] == HS_DTYPE_U8 ? 1 : 4;
        g_autofree char *name = g_strdup_printf ("t%u.%uD", d, r + 1);
        guint8 *data;
        HsTensor *t;

        for (guint i = 0; i <= r; i++)
          numel *= (gsize) shapes[r][i];
        data = g_malloc (numel * elsize);
        for (gsize i = 0; i < numel * elsize; i++)
          data[i] = (guint8) g_rand_int (rand);
        if (dtypes[d] == HS_DTYPE_F32)
          for (gsize i = 0; i < numel; i++)
            ((gfloat *) data)[i] = (gfloat) g_rand_double_range (rand, -10, 10);
        t = hs_tensor_new_from_data (dev, dtypes[d], r + 1, shapes[r], data, &error);
        g_assert_no_error (error);
        g_assert_true (hs_weights_add_tensor (w, name, t, &error));
        g_assert_no_error (error);
        g_ptr_array_add (tensors, t);
        g_ptr_array_add (host, data);
      }

  g_assert_true (hs_weights_save (w, path, &error));
  g_assert_no_error (error);
  back = hs_weights_load (path, ARCH, &error);
  g_assert_no_error (error);
  assert_same (w, back);

  for (guint k = 0; k < tensors->len; k++)
    {
      HsTensor *src = g_ptr_array_index (tensors, k);
      const char *name = hs_weights_get_entry_name (back, k);
      g_autoptr(HsTensor) dst = hs_tensor_new_like (src, &error);
      gsize bytes = hs_tensor_get_numel (src) * (hs_tensor_get_dtype (src) == HS_DTYPE_U8 ? 1 : 4);
      g_autofree guint8 *out = g_malloc (bytes);

      g_assert_no_error (error);
      g_assert_true (hs_weights_copy_to (back, name, dst, &error));
      g_assert_no_error (error);
      g_assert_true (hs_tensor_download (dst, out, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (out, bytes, g_ptr_array_index (host, k), bytes);
    }
  g_unlink (path);
}

static void
test_mismatch (void)
{
  g_autoptr(HsDevice) dev = cpu_device ();
  g_autofree char *path = save_sample ("mismatch.hswt");
  g_autoptr(HsWeights) w = NULL;
  g_autoptr(GError) error = NULL;
  gint64 wrong[] = { 2, 1, 2, 3 };
  gint64 s4[] = { 2, 1, 3, 2 };
  g_autoptr(HsTensor) t = NULL;

  /* Wrong architecture. */
  w = hs_weights_load (path, "refcnn-test-v2", &error);
  g_assert_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_MISMATCH);
  g_assert_null (w);
  g_assert_nonnull (strstr (error->message, "mismatch.hswt"));
  g_assert_nonnull (strstr (error->message, ARCH));
  g_assert_nonnull (strstr (error->message, "refcnn-test-v2"));
  g_clear_error (&error);

  w = hs_weights_load (path, ARCH, &error);
  g_assert_no_error (error);

  /* Missing tensor. */
  t = hs_tensor_new_zeros (dev, HS_DTYPE_F32, 4, s4, &error);
  g_assert_no_error (error);
  g_assert_false (hs_weights_copy_to (w, "stage9.conv.weight", t, &error));
  g_assert_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "stage9.conv.weight"));
  g_assert_nonnull (strstr (error->message, "mismatch.hswt"));
  g_clear_error (&error);
  g_assert_null (hs_weights_get_data (w, "nope", HS_DTYPE_F32, 0, NULL, NULL, &error));
  g_assert_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_MISMATCH);
  g_clear_error (&error);

  /* The right one works... */
  g_assert_true (hs_weights_copy_to (w, "stage1.conv.weight", t, &error));
  g_assert_no_error (error);
  g_clear_pointer (&t, hs_tensor_unref);

  /* ...a wrong shape names the tensor and both shapes. */
  t = hs_tensor_new_zeros (dev, HS_DTYPE_F32, 4, wrong, &error);
  g_assert_no_error (error);
  g_assert_false (hs_weights_copy_to (w, "stage1.conv.weight", t, &error));
  g_assert_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "stage1.conv.weight"));
  g_assert_nonnull (strstr (error->message, "[2, 1, 3, 2]"));
  g_assert_nonnull (strstr (error->message, "[2, 1, 2, 3]"));
  g_clear_error (&error);
  g_clear_pointer (&t, hs_tensor_unref);

  /* Another rank, and another dtype. */
  {
    gint64 flat[] = { 12 };

    t = hs_tensor_new_zeros (dev, HS_DTYPE_F32, 1, flat, &error);
    g_assert_no_error (error);
    g_assert_false (hs_weights_copy_to (w, "stage1.conv.weight", t, &error));
    g_assert_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_MISMATCH);
    g_assert_nonnull (strstr (error->message, "[12]"));
    g_clear_error (&error);
    g_clear_pointer (&t, hs_tensor_unref);

    g_assert_null (hs_weights_get_data (w, "f32.special", HS_DTYPE_I32, 1, flat, NULL, &error));
    g_assert_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_MISMATCH);
    g_assert_nonnull (strstr (error->message, "f32.special"));
    g_assert_nonnull (strstr (error->message, "i32"));
    g_clear_error (&error);
  }

  /* An in-memory set (not loaded) names itself by architecture. */
  {
    g_autoptr(HsWeights) mem = make_sample ();

    g_assert_null (hs_weights_get_data (mem, "nope", HS_DTYPE_F32, 0, NULL, NULL, &error));
    g_assert_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_MISMATCH);
    g_assert_nonnull (strstr (error->message, ARCH));
    g_clear_error (&error);
  }
  g_unlink (path);
}

static void
get_bytes (const char *path, guint8 **data, gsize *len)
{
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, (char **) data, len, &error);
  g_assert_no_error (error);
}

static void
put_bytes (const char *path, const guint8 *data, gsize len)
{
  g_autoptr(GError) error = NULL;

  /* No fsync: these files are rewritten hundreds of times. */
  g_file_set_contents_full (path, (const char *) data, (gssize) len,
                            G_FILE_SET_CONTENTS_NONE, 0644, &error);
  g_assert_no_error (error);
}

/* Loads path, asserting it fails with code and names the file. */
static void
assert_refused (const char *path, int code, const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsWeights) w = hs_weights_load (path, ARCH, &error);
  g_autofree char *base = g_path_get_basename (path);

  g_assert_null (w);
  g_assert_error (error, HS_WEIGHTS_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, base));
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("“%s” lacks “%s”", error->message, fragment);
}

static void
test_flipped_byte (void)
{
  g_autofree char *good = save_sample ("good.hswt");
  g_autofree char *bad = tmp_path ("flipped.hswt");
  g_autofree guint8 *data = NULL;
  gsize len;

  get_bytes (good, &data, &len);
  /* Every byte: the header, the table, the data and the checksum itself. */
  for (gsize i = 0; i < len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HsWeights) w = NULL;
      /* The version field flipped reads as a newer version. */
      int code = i >= 4 && i < 8 ? HS_WEIGHTS_ERROR_VERSION : HS_WEIGHTS_ERROR_CORRUPT;

      data[i] ^= 0xff;
      put_bytes (bad, data, len);
      w = hs_weights_load (bad, ARCH, &error);
      g_assert_null (w);
      g_assert_error (error, HS_WEIGHTS_ERROR, code);
      g_assert_nonnull (strstr (error->message, "flipped.hswt"));
      data[i] ^= 0xff;
    }

  /* A flip in the data is caught by the checksum alone. */
  data[len - 40] ^= 0x01;
  put_bytes (bad, data, len);
  assert_refused (bad, HS_WEIGHTS_ERROR_CORRUPT, "checksum");

  g_unlink (bad);
  g_unlink (good);
}

static void
test_truncated (void)
{
  g_autofree char *good = save_sample ("good.hswt");
  g_autofree char *bad = tmp_path ("truncated.hswt");
  g_autofree guint8 *data = NULL;
  gsize len;

  get_bytes (good, &data, &len);
  /* Every length short of the whole, including an empty file and cuts in
   * the middle of a length field or of the data. */
  for (gsize cut = 0; cut < len; cut++)
    {
      put_bytes (bad, data, cut);
      assert_refused (bad, HS_WEIGHTS_ERROR_CORRUPT, NULL);
    }
  /* A cut in the data says so. */
  put_bytes (bad, data, len - 33);
  assert_refused (bad, HS_WEIGHTS_ERROR_CORRUPT, "truncated");

  /* And an extra byte is refused too. */
  {
    g_autofree guint8 *longer = g_malloc (len + 1);

    memcpy (longer, data, len);
    longer[len] = 0;
    put_bytes (bad, longer, len + 1);
    assert_refused (bad, HS_WEIGHTS_ERROR_CORRUPT, NULL);
  }
  g_unlink (bad);
  g_unlink (good);
}

static void
test_bad_magic (void)
{
  g_autofree char *good = save_sample ("good.hswt");
  g_autofree char *bad = tmp_path ("magic.hswt");
  g_autofree guint8 *data = NULL;
  gsize len;

  get_bytes (good, &data, &len);
  g_assert_cmpmem (data, 4, "HSWT", 4);
  memcpy (data, "PK\x03\x04", 4);
  put_bytes (bad, data, len);
  assert_refused (bad, HS_WEIGHTS_ERROR_CORRUPT, "magic");

  put_bytes (bad, (const guint8 *) "hello, world", 12);
  assert_refused (bad, HS_WEIGHTS_ERROR_CORRUPT, "magic");
  g_unlink (bad);
  g_unlink (good);
}

static void
test_newer_version (void)
{
  g_autofree char *good = save_sample ("good.hswt");
  g_autofree char *bad = tmp_path ("newer.hswt");
  g_autofree guint8 *data = NULL;
  gsize len;

  get_bytes (good, &data, &len);
  g_assert_cmpuint (data[4], ==, 1);
  data[4] = 2;
  put_bytes (bad, data, len);
  assert_refused (bad, HS_WEIGHTS_ERROR_VERSION, "version 2");

  /* Whatever follows: a newer format may change all of it. */
  put_bytes (bad, data, 8 + 32);
  assert_refused (bad, HS_WEIGHTS_ERROR_VERSION, NULL);
  g_unlink (bad);
  g_unlink (good);
}

/* Rewrites the trailer so only the structure is wrong. */
static void
reseal (guint8 *data, gsize len)
{
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  gsize digest_len = 32;

  g_checksum_update (sha, data, len - 32);
  g_checksum_get_digest (sha, data + len - 32, &digest_len);
}

static void
test_duplicate_names (void)
{
  g_autoptr(HsWeights) w = hs_weights_new (ARCH);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path ("dup.hswt");
  g_autofree guint8 *data = NULL;
  gint64 s[] = { 2 };
  gint32 v[] = { 1, 2 };
  guint8 *p;
  gsize len;

  hs_weights_add_data (w, "bias.a", HS_DTYPE_I32, 1, s, v);
  hs_weights_add_data (w, "bias.b", HS_DTYPE_I32, 1, s, v);
  g_assert_true (hs_weights_save (w, path, &error));
  g_assert_no_error (error);

  /* Rename the second to the first, with a valid checksum. */
  get_bytes (path, &data, &len);
  p = NULL;
  for (gsize i = 0; i + 6 <= len && p == NULL; i++)
    if (memcmp (data + i, "bias.b", 6) == 0)
      p = data + i;
  g_assert_nonnull (p);
  p[5] = 'a';
  reseal (data, len);
  put_bytes (path, data, len);
  assert_refused (path, HS_WEIGHTS_ERROR_CORRUPT, "bias.a");
  g_unlink (path);
}

static void
test_hostile_sizes (void)
{
  g_autofree char *path = save_sample ("hostile.hswt");
  g_autofree guint8 *data = NULL;
  g_autofree guint8 *copy = NULL;
  gsize len;
  guint32 count_at = 8 + 4 + strlen (ARCH);
  guint32 huge = GUINT32_TO_LE (0xffffffffu);
  gint64 big = GINT64_TO_LE (G_GINT64_CONSTANT (1) << 40);

  get_bytes (path, &data, &len);

  /* An entry count that cannot fit, resealed so only bounds checks stop it. */
  copy = g_memdup2 (data, len);
  memcpy (copy + count_at, &huge, 4);
  reseal (copy, len);
  put_bytes (path, copy, len);
  assert_refused (path, HS_WEIGHTS_ERROR_CORRUPT, NULL);

  /* A name length past the end. */
  memcpy (copy, data, len);
  memcpy (copy + count_at + 4, &huge, 4);
  reseal (copy, len);
  put_bytes (path, copy, len);
  assert_refused (path, HS_WEIGHTS_ERROR_CORRUPT, "truncated");

  /* A dimension of 2^40 elements (the first entry's only one). */
  memcpy (copy, data, len);
  memcpy (copy + count_at + 4 + 4 + strlen ("f32.special") + 8, &big, 8);
  reseal (copy, len);
  put_bytes (path, copy, len);
  assert_refused (path, HS_WEIGHTS_ERROR_CORRUPT, "f32.special");
  g_unlink (path);
}

static void
test_missing_file (void)
{
  g_autofree char *path = tmp_path ("does-not-exist.hswt");

  assert_refused (path, HS_WEIGHTS_ERROR_IO, NULL);
}

static void
assert_dir_empty (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);

  g_assert_no_error (error);
  g_assert_null (g_dir_read_name (dir));
}

/* Only the names in tmp_dir, none of them hidden (no temporary left). */
static void
assert_no_temporaries (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, &error);
  const char *entry;

  g_assert_no_error (error);
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (entry[0] == '.')
      g_error ("a temporary file was left behind: %s", entry);
}

static void
test_failed_save_not_dir (void)
{
  g_autoptr(HsWeights) w = make_sample ();
  g_autoptr(GError) error = NULL;
  g_autofree char *file = tmp_path ("plain-file");
  g_autofree char *path = g_build_filename (file, "w.hswt", NULL);

  /* A parent that is a file: fails for every user, root included. */
  g_file_set_contents (file, "x", 1, &error);
  g_assert_no_error (error);
  g_assert_false (hs_weights_save (w, path, &error));
  g_assert_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "plain-file"));
  g_unlink (file);
  assert_no_temporaries ();
}

static void
test_failed_save_rename (void)
{
  g_autoptr(HsWeights) w = make_sample ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path ("occupied.hswt");
  g_autofree char *inside = g_build_filename (path, "keep", NULL);

  /* The name is a non-empty directory, so everything succeeds up to the
   * rename: the temporary file was written and must be removed. */
  g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
  g_file_set_contents (inside, "x", 1, &error);
  g_assert_no_error (error);
  g_assert_false (hs_weights_save (w, path, &error));
  g_assert_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "occupied.hswt"));
  g_assert_true (g_file_test (inside, G_FILE_TEST_IS_REGULAR));
  assert_no_temporaries ();
  g_unlink (inside);
  g_rmdir (path);
}

static void
test_failed_save_read_only (void)
{
  g_autoptr(HsWeights) w = make_sample ();
  g_autoptr(GError) error = NULL;
  g_autofree char *ro = tmp_path ("read-only");
  g_autofree char *path = g_build_filename (ro, "w.hswt", NULL);

  g_assert_cmpint (g_mkdir (ro, 0555), ==, 0);
  if (access (ro, W_OK) == 0)
    {
      g_rmdir (ro);
      g_test_skip ("Running with permission to write anywhere (root?)");
      return;
    }
  g_assert_false (hs_weights_save (w, path, &error));
  g_assert_error (error, HS_WEIGHTS_ERROR, HS_WEIGHTS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  assert_dir_empty (ro);
  g_rmdir (ro);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("hs-test-weights-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/weights/round-trip", test_round_trip);
  g_test_add_func ("/weights/empty", test_empty);
  g_test_add_func ("/weights/tensors", test_tensors);
  g_test_add_func ("/weights/mismatch", test_mismatch);
  g_test_add_func ("/weights/flipped-byte", test_flipped_byte);
  g_test_add_func ("/weights/truncated", test_truncated);
  g_test_add_func ("/weights/bad-magic", test_bad_magic);
  g_test_add_func ("/weights/newer-version", test_newer_version);
  g_test_add_func ("/weights/duplicate-names", test_duplicate_names);
  g_test_add_func ("/weights/hostile-sizes", test_hostile_sizes);
  g_test_add_func ("/weights/missing-file", test_missing_file);
  g_test_add_func ("/weights/failed-save/not-a-directory", test_failed_save_not_dir);
  g_test_add_func ("/weights/failed-save/rename", test_failed_save_rename);
  g_test_add_func ("/weights/failed-save/read-only", test_failed_save_read_only);
  ret = g_test_run ();

  /* Each test removes what it wrote, so this fails if one left a file. */
  if (g_rmdir (tmp_dir) != 0)
    {
      g_printerr ("# could not remove %s: %s\n", tmp_dir, g_strerror (errno));
      ret = 1;
    }
  g_free (tmp_dir);
  return ret;
}
