/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The datasets table (hs-store.h): the datasets searches may name.
 */
#define G_LOG_DOMAIN "hs-store"

#include "hs-store-private.h"

#define DATASET_COLUMNS "name, source, family, n_classes, n_images, created"

void
hs_store_dataset_free (HsStoreDataset *dataset)
{
  if (dataset == NULL)
    return;
  g_free (dataset->name);
  g_free (dataset->source);
  g_free (dataset->family);
  g_free (dataset);
}

static HsStoreDataset *
dataset_from_row (sqlite3_stmt *stmt)
{
  HsStoreDataset *dataset = g_new0 (HsStoreDataset, 1);

  dataset->name = hs_store_column_dup (stmt, 0);
  dataset->source = hs_store_column_dup (stmt, 1);
  dataset->family = hs_store_column_dup (stmt, 2);
  dataset->n_classes = (guint) sqlite3_column_int64 (stmt, 3);
  dataset->n_images = (guint) sqlite3_column_int64 (stmt, 4);
  dataset->created = sqlite3_column_int64 (stmt, 5);
  return dataset;
}

static gboolean
put_dataset_locked (HsStore *store, const HsStoreDataset *dataset, GError **error)
{
  g_auto(HsStoreStmt) stmt = NULL;
  g_autofree char *what = NULL;

  stmt = hs_store_prepare (store,
                           "INSERT INTO datasets (" DATASET_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                           "ON CONFLICT (name) DO UPDATE SET source = excluded.source, "
                           "family = excluded.family, n_classes = excluded.n_classes, "
                           "n_images = excluded.n_images, created = excluded.created",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, dataset->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, dataset->source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, dataset->family, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, dataset->n_classes);
  sqlite3_bind_int64 (stmt, 5, dataset->n_images);
  sqlite3_bind_int64 (stmt, 6, dataset->created != 0 ? dataset->created : hs_store_now ());
  what = g_strdup_printf ("storing dataset “%s”", dataset->name);
  return hs_store_step_done (store, stmt, what, error);
}

gboolean
hs_store_put_dataset (HsStore *store, const HsStoreDataset *dataset, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (dataset != NULL, FALSE);

  if (dataset->name == NULL || *dataset->name == '\0')
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID, "dataset: “name” is empty");
      return FALSE;
    }
  if (g_strcmp0 (dataset->source, "builtin") != 0 && g_strcmp0 (dataset->source, "imported") != 0)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                   "dataset “%s”: “source” is “%s”; it must be “builtin” or “imported”",
                   dataset->name, dataset->source != NULL ? dataset->source : "(null)");
      return FALSE;
    }

  if (!hs_store_begin (store, error, "storing dataset “%s”", dataset->name))
    return FALSE;
  return hs_store_end (store, put_dataset_locked (store, dataset, error), error);
}

HsStoreDataset *
hs_store_get_dataset (HsStore *store, const char *name, GError **error)
{
  g_auto(HsStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  stmt = hs_store_prepare (store, "SELECT " DATASET_COLUMNS " FROM datasets WHERE name = ?1",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return dataset_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND, "no dataset “%s”", name);
  else
    hs_store_set_sqlite_error (store, error, rc, "reading dataset “%s”", name);
  return NULL;
}

GPtrArray *
hs_store_list_datasets (HsStore *store, GError **error)
{
  g_autoptr(GPtrArray) datasets = NULL;
  g_auto(HsStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = hs_store_prepare (store, "SELECT " DATASET_COLUMNS " FROM datasets ORDER BY name",
                           error);
  if (stmt == NULL)
    return NULL;
  datasets = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_store_dataset_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (datasets, dataset_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      hs_store_set_sqlite_error (store, error, rc, "listing datasets");
      return NULL;
    }
  return g_steal_pointer (&datasets);
}

static gboolean
delete_dataset_locked (HsStore *store, const char *name, GError **error)
{
  g_auto(HsStoreStmt) stmt = NULL;
  int rc;

  stmt = hs_store_prepare (store, "SELECT 1 FROM datasets WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND, "no dataset “%s”", name);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      hs_store_set_sqlite_error (store, error, rc, "reading dataset “%s”", name);
      return FALSE;
    }
  hs_store_release (stmt);

  stmt = hs_store_prepare (store,
                           "SELECT id, state FROM searches WHERE dataset = ?1 "
                           "AND state IN ('queued', 'running', 'paused') ORDER BY id LIMIT 1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_INVALID,
                   "dataset “%s” is used by search %" G_GINT64_FORMAT ", which is %s; "
                   "cancel it or let it finish first", name, (gint64) sqlite3_column_int64 (stmt, 0),
                   (const char *) sqlite3_column_text (stmt, 1));
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_sqlite_error (store, error, rc, "reading the searches of dataset “%s”", name);
      return FALSE;
    }
  hs_store_release (stmt);

  stmt = hs_store_prepare (store, "DELETE FROM datasets WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  return hs_store_step_done (store, stmt, "deleting a dataset", error);
}

gboolean
hs_store_delete_dataset (HsStore *store, const char *name, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!hs_store_begin (store, error, "deleting dataset “%s”", name))
    return FALSE;
  return hs_store_end (store, delete_dataset_locked (store, name, error), error);
}
