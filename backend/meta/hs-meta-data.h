/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A meta-dataset read back: for M tasks × H training configurations, the
 * learning curve of every finished (task, configuration) pair, as
 * `hyperstar-cli meta build` writes it into data/meta/GRID-NAME
 * (docs/meta-dataset.md):
 *
 *   curves.csv     task,config,epoch,val_acc,train_loss,seconds
 *   final.csv      task,config,val_acc,test_acc
 *   grid.json      {"CONFIG-ID": {configuration}, …}
 *   manifest.json  metadata; only its "epochs" is read, when present
 *
 * Either CSV file may be gzip-compressed as X.csv.gz, read when X.csv is
 * absent.  The CSV dialect is RFC 4180's (quoted fields, LF or CRLF, an
 * optional byte-order mark); the header must be exactly the one above.
 *
 * A pair is finished when final.csv has its row; curve rows of any other
 * pair are what an interrupted build left and are ignored (once they parse).
 * Rows are appended while a build runs, so a last line without its line
 * end is a row cut short and is ignored too.  Every finished pair has all
 * of epochs 1..R, where R is manifest.json's "epochs" or, without it, the
 * largest epoch of a finished pair; its final val_acc is epoch R's.
 *
 * The tasks are those with at least one finished pair, sorted by name
 * (byte order); the configurations are grid.json's, in the file's order.
 * Everything is held in dense arrays: every query below is O(1).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HS_META_ERROR (hs_meta_error_quark ())
GQuark hs_meta_error_quark (void);

typedef enum {
  HS_META_ERROR_NOT_FOUND, /* no such folder, or a file of the meta-dataset is missing */
  HS_META_ERROR_IO,        /* a file could not be read or decompressed */
  HS_META_ERROR_INVALID,   /* a malformed file: the message names file, line and field */
} HsMetaError;

typedef struct _HsMetaData HsMetaData;

/* Reads the meta-dataset in dir.  Errors name the file, and for CSV files
 * the line and the field: a bad header, an unknown task name or
 * configuration id, an epoch that is not an integer ≥ 1 (or is beyond the
 * manifest's), an accuracy outside [0, 1], a duplicate row, a finished
 * pair whose curve misses an epoch or ends on another val_acc. */
HsMetaData *hs_meta_data_load (const char *dir, GError **error);
void        hs_meta_data_free (HsMetaData *md);

const char *hs_meta_data_dir (HsMetaData *md);

guint       hs_meta_data_n_tasks (HsMetaData *md);
/* t < n_tasks; names come sorted. */
const char *hs_meta_data_task_name (HsMetaData *md, guint t);
/* -1 when no finished pair has that task. */
gint        hs_meta_data_task_index (HsMetaData *md, const char *name);

guint       hs_meta_data_n_configs (HsMetaData *md);
/* c < n_configs, in grid.json's order. */
const char *hs_meta_data_config_id (HsMetaData *md, guint c);
/* The configuration as compact JSON, keys in grid.json's order. */
const char *hs_meta_data_config_json (HsMetaData *md, guint c);
/* -1 when grid.json has no such id. */
gint        hs_meta_data_config_index (HsMetaData *md, const char *id);

/* R: the epochs of every finished curve (0 when nothing is finished and
 * the manifest does not say). */
guint       hs_meta_data_max_epoch (HsMetaData *md);

guint       hs_meta_data_n_finished (HsMetaData *md);
gboolean    hs_meta_data_is_finished (HsMetaData *md, guint task, guint config);
/* final.csv's val_acc (= epoch R's) and test_acc; NaN when the pair is not
 * finished. */
gdouble     hs_meta_data_final_val (HsMetaData *md, guint task, guint config);
gdouble     hs_meta_data_final_test (HsMetaData *md, guint task, guint config);

/* Replay: the validation accuracy of configuration `config` on task `task`
 * after `epoch` epochs (1..R), and the seconds that epoch took (either
 * pointer may be NULL).  FALSE, leaving both untouched, when it was not
 * recorded: an unfinished pair, an epoch outside 1..R, an index out of
 * range. */
gboolean    hs_meta_data_val_acc (HsMetaData *md, guint task, guint config, guint epoch,
                                  gdouble *val_acc, gdouble *seconds);
/* The mean training loss of that epoch (NaN or infinite for a run that
 * diverged); FALSE as above. */
gboolean    hs_meta_data_train_loss (HsMetaData *md, guint task, guint config, guint epoch,
                                     gdouble *train_loss);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsMetaData, hs_meta_data_free)

G_END_DECLS
