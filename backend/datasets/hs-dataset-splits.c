/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Seeded, stratified train/val/test splits (see hs-dataset.h).
 *
 * Without groups every class is shuffled on its own and cut by the
 * fractions, so each class keeps its proportions exactly (to the image).
 * With groups (fonts, themes, decks: near-duplicates of each other) whole
 * groups are dealt out in a seeded random order, each to the split where it
 * brings the per-class counts closest to their targets; a split that still
 * lacks a class afterwards takes the smallest group that can move there
 * without emptying another.
 *
 * The generator is splitmix64 and each class's stream is keyed by its name,
 * so a seed names one split on every platform and GLib version, and adding
 * a class does not reshuffle the others.
 */
#define G_LOG_DOMAIN "hs-datasets"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hs-dataset-private.h"

/* A class missing from a split outweighs any balance of counts. */
#define COVERAGE_WEIGHT 4.0

static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* FNV-1a, to key a class's stream by its name. */
static guint64
hash_name (const char *s)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (; *s != '\0'; s++)
    h = (h ^ (guint8) *s) * G_GUINT64_CONSTANT (0x100000001b3);
  return h;
}

/* Fisher–Yates; the modulo's bias is below 2⁻³² for any real count. */
static void
shuffle (guint32 *items, gsize n, guint64 *state)
{
  for (gsize i = n; i > 1; i--)
    {
      gsize j = splitmix64 (state) % i;
      guint32 t = items[i - 1];

      items[i - 1] = items[j];
      items[j] = t;
    }
}

static gsize
share (gsize n, gdouble fraction)
{
  return MAX (1, (gsize) floor (n * fraction + 0.5));
}

static const char *
split_name (guint s)
{
  static const char *names[] = { "train", "validation", "test" };

  return names[s];
}

static void
recount (HsDataset *ds)
{
  memset (ds->counts->data, 0, ds->counts->len * sizeof (guint64));
  for (gsize i = 0; i < ds->n_images; i++)
    hs_dataset_counts_of (ds, g_array_index (ds->labels, guint32, i))
      [g_array_index (ds->splits, guint8, i)]++;
}

static gboolean
check_classes (HsDataset *ds, gdouble val_fraction, gdouble test_fraction, GError **error)
{
  if (!(val_fraction > 0 && test_fraction > 0 && val_fraction + test_fraction < 1))
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                   "validation and test fractions must be above 0 and add up to less "
                   "than 1 (got %g and %g)", val_fraction, test_fraction);
      return FALSE;
    }
  if (ds->classes->len == 0)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                   "“%s” has no classes; a classifier needs at least 2", ds->name);
      return FALSE;
    }
  if (ds->classes->len == 1)
    {
      g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                   "“%s” has only one class (“%s”); a classifier needs at least 2",
                   ds->name, (const char *) g_ptr_array_index (ds->classes, 0));
      return FALSE;
    }
  for (guint c = 0; c < ds->classes->len; c++)
    if (hs_dataset_count (ds, c, HS_N_SPLITS) == 0)
      {
        g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                     "class “%s” has no images",
                     (const char *) g_ptr_array_index (ds->classes, c));
        return FALSE;
      }
  return TRUE;
}

static gboolean
split_images (HsDataset *ds, guint64 seed, gdouble val_fraction, gdouble test_fraction,
              GError **error)
{
  guint n_classes = ds->classes->len;
  g_autofree gsize *start = g_new0 (gsize, n_classes + 1);
  g_autofree guint32 *by_class = g_new (guint32, ds->n_images);
  g_autofree gsize *fill = NULL;

  /* Bucket the images by class, in the order they were added. */
  for (guint c = 0; c < n_classes; c++)
    start[c + 1] = start[c] + hs_dataset_count (ds, c, HS_N_SPLITS);
  fill = g_memdup2 (start, n_classes * sizeof (gsize));
  for (gsize i = 0; i < ds->n_images; i++)
    by_class[fill[g_array_index (ds->labels, guint32, i)]++] = i;

  for (guint c = 0; c < n_classes; c++)
    {
      const char *name = g_ptr_array_index (ds->classes, c);
      gsize n = start[c + 1] - start[c];
      gsize n_val = share (n, val_fraction);
      gsize n_test = share (n, test_fraction);
      guint32 *items = by_class + start[c];
      guint64 state = seed ^ hash_name (name);

      if (n_val + n_test >= n)
        {
          gsize needed = 3;

          while (share (needed, val_fraction) + share (needed, test_fraction) >= needed)
            needed++;
          g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                       "class “%s” has %zu image%s; it needs at least %zu to appear in "
                       "train, validation and test", name, n, n == 1 ? "" : "s", needed);
          return FALSE;
        }
      shuffle (items, n, &state);
      for (gsize i = 0; i < n; i++)
        g_array_index (ds->splits, guint8, items[i]) =
          i < n_val ? HS_SPLIT_VAL : i < n_val + n_test ? HS_SPLIT_TEST : HS_SPLIT_TRAIN;
    }
  return TRUE;
}

/* A group: its images' classes with counts (entries[first … first + n)),
 * and the split it went to. */
typedef struct
{
  guint32 klass;
  guint32 count;
} Entry;

typedef struct
{
  gsize first;
  gsize n;
  gsize images;
  guint8 split;
} Group;

typedef struct
{
  HsDataset *ds;
  GArray *groups;     /* Group */
  GArray *entries;    /* Entry */
  gdouble *target;    /* n_classes × HS_N_SPLITS */
  gdouble *current;   /* n_classes × HS_N_SPLITS */
  gdouble *total;     /* per class */
} Dealer;

static int
compare_u64 (const void *a, const void *b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

/* Groups in order of first appearance; an image without a group is a group
 * of its own. */
static guint32 *
collect_groups (Dealer *d)
{
  HsDataset *ds = d->ds;
  g_autoptr(GHashTable) ids = g_hash_table_new (NULL, NULL);
  g_autofree guint64 *keys = g_new (guint64, ds->n_images);
  guint32 *group_of = g_new (guint32, ds->n_images);
  guint32 n_groups = 0;

  for (gsize i = 0; i < ds->n_images; i++)
    {
      guint32 id = g_array_index (ds->groups, guint32, i);
      gpointer found;

      if (id == 0)
        group_of[i] = n_groups++;
      else if ((found = g_hash_table_lookup (ids, GUINT_TO_POINTER (id))) != NULL)
        group_of[i] = GPOINTER_TO_UINT (found) - 1;
      else
        {
          group_of[i] = n_groups++;
          g_hash_table_insert (ids, GUINT_TO_POINTER (id), GUINT_TO_POINTER (n_groups));
        }
      keys[i] = (guint64) group_of[i] << 32 | g_array_index (ds->labels, guint32, i);
    }

  /* Sorted by (group, class), the keys run-length encode every group's
   * class counts. */
  qsort (keys, ds->n_images, sizeof (guint64), compare_u64);
  g_array_set_size (d->groups, n_groups);
  for (gsize i = 0; i < ds->n_images; i++)
    {
      guint32 g = keys[i] >> 32;
      Entry e = { keys[i] & 0xffffffffu, 1 };
      Group *group = &g_array_index (d->groups, Group, g);

      if (group->images == 0)
        group->first = d->entries->len;
      group->images++;
      if (group->n > 0 && g_array_index (d->entries, Entry, d->entries->len - 1).klass == e.klass)
        g_array_index (d->entries, Entry, d->entries->len - 1).count++;
      else
        {
          g_array_append_val (d->entries, e);
          group->n++;
        }
    }
  return group_of;
}

static void
place (Dealer *d, Group *group, guint8 split, gdouble sign)
{
  for (gsize e = 0; e < group->n; e++)
    {
      Entry *entry = &g_array_index (d->entries, Entry, group->first + e);

      d->current[entry->klass * HS_N_SPLITS + split] += sign * entry->count;
    }
  if (sign > 0)
    group->split = split;
}

/* How much better the counts get (squared distance to the targets, each
 * class relative to its size) if the group goes to `split`, plus a bonus
 * for each class the split still lacks. */
static gdouble
score (Dealer *d, Group *group, guint split)
{
  gdouble gain = 0;

  for (gsize e = 0; e < group->n; e++)
    {
      Entry *entry = &g_array_index (d->entries, Entry, group->first + e);
      gsize at = entry->klass * HS_N_SPLITS + split;
      gdouble k = entry->count;
      gdouble missing = d->target[at] - d->current[at];
      gdouble t = d->total[entry->klass];

      if (d->current[at] == 0)
        gain += COVERAGE_WEIGHT;
      gain += k * (2 * missing - k) / (t * t);
    }
  return gain;
}

/* Can the group leave its split without emptying a class there? */
static gboolean
can_leave (Dealer *d, Group *group)
{
  for (gsize e = 0; e < group->n; e++)
    {
      Entry *entry = &g_array_index (d->entries, Entry, group->first + e);

      if (d->current[entry->klass * HS_N_SPLITS + group->split] <= entry->count)
        return FALSE;
    }
  return TRUE;
}

static gboolean
has_class (Dealer *d, Group *group, guint klass)
{
  for (gsize e = 0; e < group->n; e++)
    if (g_array_index (d->entries, Entry, group->first + e).klass == klass)
      return TRUE;
  return FALSE;
}

/* Moves the smallest group that can go into `split` and has `klass`. */
static gboolean
repair (Dealer *d, guint klass, guint8 split)
{
  Group *best = NULL;

  for (guint g = 0; g < d->groups->len; g++)
    {
      Group *group = &g_array_index (d->groups, Group, g);

      if (group->split != split && (best == NULL || group->images < best->images)
          && has_class (d, group, klass) && can_leave (d, group))
        best = group;
    }
  if (best == NULL)
    return FALSE;
  place (d, best, best->split, -1);
  place (d, best, split, +1);
  return TRUE;
}

static guint
count_groups_with (Dealer *d, guint klass)
{
  guint n = 0;

  for (guint g = 0; g < d->groups->len; g++)
    n += has_class (d, &g_array_index (d->groups, Group, g), klass);
  return n;
}

static gboolean
split_groups (HsDataset *ds, guint64 seed, gdouble val_fraction, gdouble test_fraction,
              GError **error)
{
  guint n_classes = ds->classes->len;
  const gdouble fraction[HS_N_SPLITS] = {
    1 - val_fraction - test_fraction, val_fraction, test_fraction
  };
  g_autoptr(GArray) groups = g_array_new (FALSE, TRUE, sizeof (Group));
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_autofree gdouble *target = g_new0 (gdouble, n_classes * HS_N_SPLITS);
  g_autofree gdouble *current = g_new0 (gdouble, n_classes * HS_N_SPLITS);
  g_autofree gdouble *total = g_new0 (gdouble, n_classes);
  g_autofree guint32 *group_of = NULL;
  g_autofree guint32 *order = NULL;
  Dealer d = { ds, groups, entries, target, current, total };
  guint64 state = seed;

  for (guint c = 0; c < n_classes; c++)
    {
      total[c] = hs_dataset_count (ds, c, HS_N_SPLITS);
      for (guint s = 0; s < HS_N_SPLITS; s++)
        target[c * HS_N_SPLITS + s] = fraction[s] * total[c];
    }
  group_of = collect_groups (&d);

  order = g_new (guint32, groups->len);
  for (guint g = 0; g < groups->len; g++)
    order[g] = g;
  shuffle (order, groups->len, &state);

  for (guint i = 0; i < groups->len; i++)
    {
      Group *group = &g_array_index (groups, Group, order[i]);
      guint8 best = HS_SPLIT_TRAIN;
      gdouble best_score = score (&d, group, HS_SPLIT_TRAIN);

      for (guint8 s = HS_SPLIT_VAL; s < HS_N_SPLITS; s++)
        {
          gdouble sc = score (&d, group, s);

          if (sc > best_score)
            {
              best = s;
              best_score = sc;
            }
        }
      place (&d, group, best, +1);
    }

  for (guint c = 0; c < n_classes; c++)
    for (guint8 s = 0; s < HS_N_SPLITS; s++)
      if (current[c * HS_N_SPLITS + s] == 0 && !repair (&d, c, s))
        {
          guint n = count_groups_with (&d, c);

          g_set_error (error, HS_DATASET_ERROR, HS_DATASET_ERROR_INVALID,
                       "class “%s” cannot appear in train, validation and test: its "
                       "%g images come from %u group%s (font, theme, deck…), each "
                       "kept whole in one split, and no %s group can be spared",
                       (const char *) g_ptr_array_index (ds->classes, c), total[c], n,
                       n == 1 ? "" : "s", split_name (s));
          return FALSE;
        }

  for (gsize i = 0; i < ds->n_images; i++)
    g_array_index (ds->splits, guint8, i) = g_array_index (groups, Group, group_of[i]).split;
  return TRUE;
}

static gboolean
has_groups (HsDataset *ds)
{
  for (gsize i = 0; i < ds->n_images; i++)
    if (g_array_index (ds->groups, guint32, i) != 0)
      return TRUE;
  return FALSE;
}

gboolean
hs_dataset_make_splits (HsDataset *ds, guint64 seed, gdouble val_fraction,
                        gdouble test_fraction, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (ds != NULL, FALSE);
  g_return_val_if_fail (!ds->header_only, FALSE);

  if (!check_classes (ds, val_fraction, test_fraction, error))
    return FALSE;
  if (has_groups (ds))
    ok = split_groups (ds, seed, val_fraction, test_fraction, error);
  else
    ok = split_images (ds, seed, val_fraction, test_fraction, error);

  /* A failed split leaves every image unassigned (in train), never half
   * split. */
  if (!ok)
    memset (ds->splits->data, HS_SPLIT_TRAIN, ds->splits->len);
  recount (ds);
  if (ok)
    ds->split_seed = seed;
  return ok;
}

HsDataset *
hs_dataset_subsample (HsDataset *ds, const guint max_per_class[HS_N_SPLITS], guint64 seed)
{
  HsDataset *sub;
  g_autofree guint32 *order = NULL;
  g_autofree guint *taken = NULL;
  guint64 state = seed ^ hash_name (ds->name);
  gsize n = ds->n_images;

  g_return_val_if_fail (!ds->header_only, NULL);

  sub = hs_dataset_new (ds->name, ds->size);
  for (guint c = 0; c < ds->classes->len; c++)
    hs_dataset_add_class (sub, g_ptr_array_index (ds->classes, c));
  {
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init (&iter, ds->meta);
    while (g_hash_table_iter_next (&iter, &key, &value))
      hs_dataset_set_meta (sub, key, value);
  }

  /* A seeded random order, walked once: each class and split keeps the
   * first max_per_class of its images in that order, in file order. */
  order = g_new (guint32, n);
  for (gsize i = 0; i < n; i++)
    order[i] = (guint32) i;
  shuffle (order, n, &state);
  {
    g_autofree gboolean *keep = g_new0 (gboolean, n);
    taken = g_new0 (guint, (gsize) ds->classes->len * HS_N_SPLITS);
    for (gsize k = 0; k < n; k++)
      {
        guint32 i = order[k];
        guint8 split = g_array_index (ds->splits, guint8, i);
        guint *count = &taken[(gsize) g_array_index (ds->labels, guint32, i) * HS_N_SPLITS + split];

        if (*count < max_per_class[split])
          {
            (*count)++;
            keep[i] = TRUE;
          }
      }
    for (gsize i = 0; i < n; i++)
      if (keep[i])
        {
          hs_dataset_add_image (sub, hs_dataset_get_image (ds, i),
                                g_array_index (ds->labels, guint32, i),
                                g_array_index (ds->groups, guint32, i));
          g_array_index (sub->splits, guint8, sub->n_images - 1) =
            g_array_index (ds->splits, guint8, i);
        }
  }
  recount (sub);
  sub->split_seed = ds->split_seed;
  return sub;
}
