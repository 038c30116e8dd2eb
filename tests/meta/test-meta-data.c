/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading meta-datasets back: replay gives exactly the recorded values and
 * nothing else, unfinished pairs and cut rows are ignored, gzip-compressed
 * tables read like plain ones, and damaged files are errors naming the
 * file, line and field.
 */
#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "hs-meta-data.h"
#include "test-meta-util.h"

/* Three configurations, listed out of name order to show the grid's order
 * is kept. */
static const char grid_json[] =
  "{\n"
  "  \"c10\": {\"lr\": 0.1, \"optimizer\": \"sgd\"},\n"
  "  \"c02\": {\"lr\": 0.02, \"optimizer\": \"adam\"},\n"
  "  \"c00\": {\"lr\": 0.001, \"optimizer\": \"sgd\", \"augment\": \"none\"}\n"
  "}\n";

/* A byte-order mark, CRLF line ends, and a last row cut short by an
 * interrupted write (no line end): beta × c00 is not finished. */
static const char final_csv[] =
  "\xEF\xBB\xBFtask,config,val_acc,test_acc\r\n"
  "beta,c02,0.625,0.6\r\n"
  "alpha,c10,0.5,0.45\r\n"
  "alpha,c00,0.75,0.7\r\n"
  "beta,c00,0.5";

/* Quoted fields, rows out of order, a diverged epoch (nan loss), rows of
 * pairs without a final row (alpha × c02 half done, beta × c00 whole but
 * its final row cut, gamma with nothing finished), and a cut last row. */
static const char curves_csv[] =
  "task,config,epoch,val_acc,train_loss,seconds\n"
  "alpha,c10,1,0.25,2.5,1.5\n"
  "alpha,c10,2,0.375,nan,1.25\n"
  "\"alpha\",\"c10\",3,0.5,1.75,1.0\n"
  "gamma,c10,1,0.125,2,1\n"
  "alpha,c02,1,0.125,2.25,0.5\n"
  "alpha,c02,2,0.25,2.0,0.5\n"
  "beta,c02,3,0.625,1.0,2.0\n"
  "beta,c02,1,0.375,2.0,2.5\n"
  "\n"
  "beta,c02,2,0.5,1.5,2.25\n"
  "alpha,c00,1,0.5,1.0,3\n"
  "alpha,c00,2,0.625,0.75,3.5\n"
  "alpha,c00,3,0.75,0.5,4\n"
  "beta,c00,1,0.25,2,1\n"
  "beta,c00,2,0.375,2,1\n"
  "beta,c00,3,0.5,2,1\n"
  "beta,c10,1,0.2,";

static const char manifest_json[] = "{\"grid\": \"tiny\", \"epochs\": 3, \"tasks\": []}\n";

static void
assert_epoch (HsMetaData *md, guint t, guint c, guint epoch, gdouble val, gdouble seconds)
{
  gdouble got_val = -1, got_seconds = -1;

  g_assert_true (hs_meta_data_val_acc (md, t, c, epoch, &got_val, &got_seconds));
  g_assert_cmpfloat (got_val, ==, val);
  g_assert_cmpfloat (got_seconds, ==, seconds);
}

static void
assert_not_recorded (HsMetaData *md, guint t, guint c, guint epoch)
{
  gdouble val = -1, seconds = -1;

  g_assert_false (hs_meta_data_val_acc (md, t, c, epoch, &val, &seconds));
  /* Untouched. */
  g_assert_cmpfloat (val, ==, -1);
  g_assert_cmpfloat (seconds, ==, -1);
}

/* What the files above hold, whichever way they were read. */
static void
check_tiny (HsMetaData *md)
{
  enum { ALPHA, BETA };
  enum { C10, C02, C00 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  gdouble loss;

  g_assert_cmpuint (hs_meta_data_n_tasks (md), ==, 2);
  g_assert_cmpstr (hs_meta_data_task_name (md, ALPHA), ==, "alpha");
  g_assert_cmpstr (hs_meta_data_task_name (md, BETA), ==, "beta");
  g_assert_cmpint (hs_meta_data_task_index (md, "beta"), ==, BETA);
  g_assert_cmpint (hs_meta_data_task_index (md, "gamma"), ==, -1);

  g_assert_cmpuint (hs_meta_data_n_configs (md), ==, 3);
  g_assert_cmpstr (hs_meta_data_config_id (md, C10), ==, "c10");
  g_assert_cmpstr (hs_meta_data_config_id (md, C02), ==, "c02");
  g_assert_cmpstr (hs_meta_data_config_id (md, C00), ==, "c00");
  g_assert_cmpint (hs_meta_data_config_index (md, "c00"), ==, C00);
  g_assert_cmpint (hs_meta_data_config_index (md, "c99"), ==, -1);
  g_assert_true (json_parser_load_from_data (parser, hs_meta_data_config_json (md, C00), -1,
                                             NULL));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (
                     json_parser_get_root (parser)), "augment"), ==, "none");

  g_assert_cmpuint (hs_meta_data_max_epoch (md), ==, 3);
  g_assert_cmpuint (hs_meta_data_n_finished (md), ==, 3);
  g_assert_true (hs_meta_data_is_finished (md, ALPHA, C10));
  g_assert_false (hs_meta_data_is_finished (md, ALPHA, C02));
  g_assert_true (hs_meta_data_is_finished (md, ALPHA, C00));
  g_assert_false (hs_meta_data_is_finished (md, BETA, C10));
  g_assert_true (hs_meta_data_is_finished (md, BETA, C02));
  g_assert_false (hs_meta_data_is_finished (md, BETA, C00));
  g_assert_false (hs_meta_data_is_finished (md, 2, C10));
  g_assert_false (hs_meta_data_is_finished (md, ALPHA, 3));

  g_assert_cmpfloat (hs_meta_data_final_val (md, ALPHA, C10), ==, 0.5);
  g_assert_cmpfloat (hs_meta_data_final_test (md, ALPHA, C10), ==, 0.45);
  g_assert_cmpfloat (hs_meta_data_final_val (md, BETA, C02), ==, 0.625);
  g_assert_cmpfloat (hs_meta_data_final_test (md, BETA, C02), ==, 0.6);
  g_assert_cmpfloat (hs_meta_data_final_test (md, ALPHA, C00), ==, 0.7);
  g_assert_true (isnan (hs_meta_data_final_val (md, BETA, C00)));
  g_assert_true (isnan (hs_meta_data_final_test (md, ALPHA, C02)));

  /* Replay: exactly the recorded values, rows in any order. */
  assert_epoch (md, ALPHA, C10, 1, 0.25, 1.5);
  assert_epoch (md, ALPHA, C10, 2, 0.375, 1.25);
  assert_epoch (md, ALPHA, C10, 3, 0.5, 1.0);
  assert_epoch (md, BETA, C02, 1, 0.375, 2.5);
  assert_epoch (md, BETA, C02, 2, 0.5, 2.25);
  assert_epoch (md, BETA, C02, 3, 0.625, 2.0);
  assert_epoch (md, ALPHA, C00, 3, 0.75, 4.0);
  g_assert_true (hs_meta_data_val_acc (md, ALPHA, C00, 2, NULL, NULL));
  g_assert_true (hs_meta_data_train_loss (md, ALPHA, C10, 1, &loss));
  g_assert_cmpfloat (loss, ==, 2.5);
  g_assert_true (hs_meta_data_train_loss (md, ALPHA, C10, 2, &loss));
  g_assert_true (isnan (loss));

  /* Not recorded: epochs outside 1..R, unfinished pairs (whatever curve
   * rows they have), indices out of range. */
  assert_not_recorded (md, ALPHA, C10, 0);
  assert_not_recorded (md, ALPHA, C10, 4);
  assert_not_recorded (md, ALPHA, C02, 1);
  assert_not_recorded (md, BETA, C00, 1);
  assert_not_recorded (md, BETA, C10, 1);
  assert_not_recorded (md, 2, C10, 1);
  assert_not_recorded (md, ALPHA, 3, 1);
  g_assert_false (hs_meta_data_train_loss (md, BETA, C00, 1, &loss));
}

static void
write_tiny (const char *dir, gboolean gzip, gboolean manifest)
{
  tm_write (dir, "grid.json", grid_json);
  if (manifest)
    tm_write (dir, "manifest.json", manifest_json);
  if (gzip)
    {
      tm_write_gz (dir, "final.csv.gz", final_csv);
      tm_write_gz (dir, "curves.csv.gz", curves_csv);
    }
  else
    {
      tm_write (dir, "final.csv", final_csv);
      tm_write (dir, "curves.csv", curves_csv);
    }
}

static void
test_replay (void)
{
  g_autofree char *dir = tm_make_dir ();
  g_autoptr(HsMetaData) md = NULL;
  g_autoptr(GError) error = NULL;

  write_tiny (dir, FALSE, TRUE);
  md = hs_meta_data_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hs_meta_data_dir (md), ==, dir);
  check_tiny (md);
  tm_remove_dir (dir);
}

/* Without a manifest, R is the longest finished curve. */
static void
test_no_manifest (void)
{
  g_autofree char *dir = tm_make_dir ();
  g_autoptr(HsMetaData) md = NULL;
  g_autoptr(GError) error = NULL;

  write_tiny (dir, FALSE, FALSE);
  md = hs_meta_data_load (dir, &error);
  g_assert_no_error (error);
  check_tiny (md);
  tm_remove_dir (dir);
}

static void
test_gzip (void)
{
  g_autofree char *dir = tm_make_dir ();
  g_autoptr(HsMetaData) md = NULL;
  g_autoptr(GError) error = NULL;

  write_tiny (dir, TRUE, TRUE);
  md = hs_meta_data_load (dir, &error);
  g_assert_no_error (error);
  check_tiny (md);
  g_clear_pointer (&md, hs_meta_data_free);

  /* X.csv is read when both are there: the .gz is not even opened. */
  tm_write (dir, "curves.csv", curves_csv);
  tm_write (dir, "curves.csv.gz", "not gzip");
  md = hs_meta_data_load (dir, &error);
  g_assert_no_error (error);
  check_tiny (md);
  g_clear_pointer (&md, hs_meta_data_free);

  /* A damaged .gz alone is an error naming it. */
  tm_remove (dir, "curves.csv");
  md = hs_meta_data_load (dir, &error);
  g_assert_null (md);
  tm_assert_error (error, HS_META_ERROR_IO, "curves.csv.gz", NULL);
  tm_remove_dir (dir);
}

/* Header-only tables: a meta-dataset a build has just started. */
static void
test_empty (void)
{
  g_autofree char *dir = tm_make_dir ();
  g_autoptr(HsMetaData) md = NULL;
  g_autoptr(GError) error = NULL;

  tm_write (dir, "grid.json", grid_json);
  tm_write (dir, "final.csv", "task,config,val_acc,test_acc\n");
  tm_write (dir, "curves.csv", "task,config,epoch,val_acc,train_loss,seconds\n"
                               "alpha,c10,1,0.25,2.5,1.5\n");
  md = hs_meta_data_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hs_meta_data_n_tasks (md), ==, 0);
  g_assert_cmpuint (hs_meta_data_n_configs (md), ==, 3);
  g_assert_cmpuint (hs_meta_data_n_finished (md), ==, 0);
  g_assert_cmpuint (hs_meta_data_max_epoch (md), ==, 0);
  g_assert_false (hs_meta_data_val_acc (md, 0, 0, 1, NULL, NULL));
  tm_remove_dir (dir);
}

/* Damaged meta-datasets.  The base one is whole (t1 × c00 and c01, 2
 * epochs); each case replaces one file.  Lines: final.csv's rows are lines
 * 2–3, curves.csv's lines 2–5. */
static const char base_grid[] = "{\"c00\": {\"lr\": 0.1}, \"c01\": {\"lr\": 0.01}}";
static const char base_final[] =
  "task,config,val_acc,test_acc\n"
  "t1,c00,0.5,0.4\n"
  "t1,c01,0.6,0.55\n";
static const char base_curves[] =
  "task,config,epoch,val_acc,train_loss,seconds\n"
  "t1,c00,1,0.3,1.2,0.5\n"
  "t1,c00,2,0.5,0.9,0.5\n"
  "t1,c01,1,0.4,1.1,0.5\n"
  "t1,c01,2,0.6,0.8,0.5\n";

typedef struct {
  const char *name;
  const char *file;        /* the file replaced (NULL: removed is `remove`) */
  const char *text;
  const char *remove;      /* a file removed instead */
  gint code;
  const char *fragments[4];
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "curves-header", "curves.csv",
    "task,config,epoch,val,train_loss,seconds\n", NULL, HS_META_ERROR_INVALID,
    { "curves.csv, line 1, val_acc", "“val”" } },
  { "final-header-extra", "final.csv",
    "task,config,val_acc,test_acc,notes\n", NULL, HS_META_ERROR_INVALID,
    { "final.csv, line 1", "extra column “notes”" } },
  { "final-header-short", "final.csv",
    "task,config,val_acc\n", NULL, HS_META_ERROR_INVALID,
    { "final.csv, line 1, test_acc" } },
  { "empty-file", "final.csv", "", NULL, HS_META_ERROR_INVALID,
    { "final.csv, line 1", "header" } },
  { "final-unknown-config", "final.csv",
    "task,config,val_acc,test_acc\nt1,c00,0.5,0.4\nt1,c99,0.6,0.55\n", NULL,
    HS_META_ERROR_INVALID, { "final.csv, line 3, config", "“c99”", "grid.json" } },
  { "curves-unknown-config", "curves.csv",
    "task,config,epoch,val_acc,train_loss,seconds\n"
    "t1,c00,1,0.3,1.2,0.5\nt1,c00,2,0.5,0.9,0.5\nt1,c01,1,0.4,1.1,0.5\nt1,c01,2,0.6,0.8,0.5\n"
    "t2,c7,1,0.4,1.1,0.5\n", NULL,
    HS_META_ERROR_INVALID, { "curves.csv, line 6, config", "“c7”" } },
  { "epoch-zero", "curves.csv",
    "task,config,epoch,val_acc,train_loss,seconds\n"
    "t1,c00,1,0.3,1.2,0.5\nt1,c00,0,0.5,0.9,0.5\n", NULL,
    HS_META_ERROR_INVALID, { "curves.csv, line 3, epoch", "“0”", "integer ≥ 1" } },
  { "epoch-fraction", "curves.csv",
    "task,config,epoch,val_acc,train_loss,seconds\n"
    "t1,c00,1.5,0.3,1.2,0.5\n", NULL,
    HS_META_ERROR_INVALID, { "curves.csv, line 2, epoch", "“1.5”" } },
  { "epoch-beyond-manifest", "manifest.json", "{\"epochs\": 1}", NULL,
    HS_META_ERROR_INVALID, { "curves.csv, line 3, epoch", "manifest.json" } },
  { "curve-short-of-manifest", "manifest.json", "{\"epochs\": 3}", NULL,
    HS_META_ERROR_INVALID, { "final.csv, line 2", "epoch 3 (of 3)", "curves.csv" } },
  { "manifest-epochs-type", "manifest.json", "{\"epochs\": \"nine\"}", NULL,
    HS_META_ERROR_INVALID, { "manifest.json, epochs" } },
  { "curves-val-above-1", "curves.csv",
    "task,config,epoch,val_acc,train_loss,seconds\n"
    "t1,c00,1,1.2,1.2,0.5\n", NULL,
    HS_META_ERROR_INVALID, { "curves.csv, line 2, val_acc", "1.2 is not in [0, 1]" } },
  { "final-val-negative", "final.csv",
    "task,config,val_acc,test_acc\nt1,c00,-0.1,0.4\n", NULL,
    HS_META_ERROR_INVALID, { "final.csv, line 2, val_acc", "not in [0, 1]" } },
  { "final-test-text", "final.csv",
    "task,config,val_acc,test_acc\nt1,c00,0.5,abc\n", NULL,
    HS_META_ERROR_INVALID, { "final.csv, line 2, test_acc", "“abc” is not a number" } },
  { "final-val-nan", "final.csv",
    "task,config,val_acc,test_acc\nt1,c00,nan,0.4\n", NULL,
    HS_META_ERROR_INVALID, { "final.csv, line 2, val_acc", "not a number" } },
  { "curves-seconds-negative", "curves.csv",
    "task,config,epoch,val_acc,train_loss,seconds\n"
    "t1,c00,1,0.3,1.2,-1\n", NULL,
    HS_META_ERROR_INVALID, { "curves.csv, line 2, seconds" } },
  { "curves-missing-field", "curves.csv",
    "task,config,epoch,val_acc,train_loss,seconds\n"
    "t1,c00,1,0.3,1.2\n", NULL,
    HS_META_ERROR_INVALID, { "curves.csv, line 2, seconds", "missing" } },
  { "curves-extra-field", "curves.csv",
    "task,config,epoch,val_acc,train_loss,seconds\n"
    "t1,c00,1,0.3,1.2,0.5,7\n", NULL,
    HS_META_ERROR_INVALID, { "curves.csv, line 2", "7 fields" } },
  { "bad-task-name", "final.csv",
    "task,config,val_acc,test_acc\n\"t 1\",c00,0.5,0.4\n", NULL,
    HS_META_ERROR_INVALID, { "final.csv, line 2, task", "“t 1”" } },
  { "final-duplicate", "final.csv",
    "task,config,val_acc,test_acc\nt1,c00,0.5,0.4\nt1,c01,0.6,0.55\nt1,c00,0.5,0.4\n", NULL,
    HS_META_ERROR_INVALID, { "final.csv, line 4", "second row", "line 2" } },
  { "curves-duplicate", "curves.csv",
    "task,config,epoch,val_acc,train_loss,seconds\n"
    "t1,c00,1,0.3,1.2,0.5\nt1,c00,2,0.5,0.9,0.5\nt1,c01,1,0.4,1.1,0.5\nt1,c01,2,0.6,0.8,0.5\n"
    "t1,c00,1,0.3,1.2,0.5\n", NULL,
    HS_META_ERROR_INVALID, { "curves.csv, line 6", "epoch 1", "line 2" } },
  { "curve-incomplete", "curves.csv",
    "task,config,epoch,val_acc,train_loss,seconds\n"
    "t1,c00,1,0.3,1.2,0.5\nt1,c00,2,0.5,0.9,0.5\nt1,c01,2,0.6,0.8,0.5\n", NULL,
    HS_META_ERROR_INVALID, { "final.csv, line 3", "c01", "epoch 1 (of 2)" } },
  { "final-not-last-epoch", "final.csv",
    "task,config,val_acc,test_acc\nt1,c00,0.3,0.4\n", NULL,
    HS_META_ERROR_INVALID, { "final.csv, line 2, val_acc", "last epoch", "curves.csv, line 3" } },
  { "grid-not-json", "grid.json", "{\"c00\": ", NULL, HS_META_ERROR_INVALID,
    { "grid.json" } },
  { "grid-not-object", "grid.json", "{\"c00\": 3, \"c01\": {}}", NULL, HS_META_ERROR_INVALID,
    { "grid.json", "“c00”" } },
  { "no-grid", NULL, NULL, "grid.json", HS_META_ERROR_NOT_FOUND, { "grid.json" } },
  { "no-curves", NULL, NULL, "curves.csv", HS_META_ERROR_NOT_FOUND, { "curves.csv" } },
};

static void
test_error_case (gconstpointer data)
{
  const ErrorCase *ec = data;
  g_autofree char *dir = tm_make_dir ();
  g_autoptr(HsMetaData) md = NULL;
  g_autoptr(GError) error = NULL;

  tm_write (dir, "grid.json", base_grid);
  tm_write (dir, "final.csv", base_final);
  tm_write (dir, "curves.csv", base_curves);
  /* The base loads. */
  md = hs_meta_data_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hs_meta_data_n_finished (md), ==, 2);
  g_clear_pointer (&md, hs_meta_data_free);

  if (ec->file != NULL)
    tm_write (dir, ec->file, ec->text);
  if (ec->remove != NULL)
    tm_remove (dir, ec->remove);
  md = hs_meta_data_load (dir, &error);
  g_assert_null (md);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  tm_assert_error (error, ec->code, ec->fragments[0] ? ec->fragments[0] : "",
                   ec->fragments[1] ? ec->fragments[1] : "",
                   ec->fragments[2] ? ec->fragments[2] : "",
                   ec->fragments[3] ? ec->fragments[3] : "", NULL);
  tm_remove_dir (dir);
}

static void
test_no_folder (void)
{
  g_autoptr(HsMetaData) md = NULL;
  g_autoptr(GError) error = NULL;

  md = hs_meta_data_load ("/nonexistent/hs-meta", &error);
  g_assert_null (md);
  tm_assert_error (error, HS_META_ERROR_NOT_FOUND, "/nonexistent/hs-meta", NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/meta/data/replay", test_replay);
  g_test_add_func ("/meta/data/no-manifest", test_no_manifest);
  g_test_add_func ("/meta/data/gzip", test_gzip);
  g_test_add_func ("/meta/data/empty", test_empty);
  g_test_add_func ("/meta/data/no-folder", test_no_folder);
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/meta/data/error/%s", error_cases[i].name);
      g_test_add_data_func (path, &error_cases[i], test_error_case);
    }
  return g_test_run ();
}
