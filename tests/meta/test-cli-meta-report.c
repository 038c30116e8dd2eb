/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hyperstar-cli meta report` end to end: the built binary on small
 * meta-datasets written into its temporary folder, its JSON and text, the
 * default folder, and the exit statuses of failures (1) and usage errors
 * (2).
 */
#include <string.h>

#include "hs-test-cli.h"
#include "test-meta-util.h"

static char *meta_root;     /* HS_META_DIR */

static const char grid[] = "{\"c0\": {\"lr\": 0.1}, \"c1\": {\"lr\": 0.01}, \"c2\": {\"lr\": 0.001}}";

/* Two tasks × three configurations, two epochs:
 *   alpha  0.5 0.75 0.25   → best c1, ranking c1 c0 c2
 *   beta   0.5 0.25 0.75   → best c2, ranking c2 c0 c1 */
static const char final_csv[] =
  "task,config,val_acc,test_acc\n"
  "alpha,c0,0.5,0.5\nalpha,c1,0.75,0.5\nalpha,c2,0.25,0.5\n"
  "beta,c0,0.5,0.5\nbeta,c1,0.25,0.5\nbeta,c2,0.75,0.5\n";
static const char curves_csv[] =
  "task,config,epoch,val_acc,train_loss,seconds\n"
  "alpha,c0,1,0.25,1,1\nalpha,c0,2,0.5,1,1\nalpha,c1,1,0.5,1,1\nalpha,c1,2,0.75,1,1\n"
  "alpha,c2,1,0.125,1,1\nalpha,c2,2,0.25,1,1\nbeta,c0,1,0.25,1,1\nbeta,c0,2,0.5,1,1\n"
  "beta,c1,1,0.125,1,1\nbeta,c1,2,0.25,1,1\nbeta,c2,1,0.5,1,1\nbeta,c2,2,0.75,1,1\n";

static char *
make_meta (const char *name)
{
  char *dir = g_build_filename (meta_root, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  tm_write (dir, "grid.json", grid);
  tm_write (dir, "final.csv", final_csv);
  tm_write (dir, "curves.csv", curves_csv);
  return dir;
}

static void
test_json (void)
{
  g_autofree char *dir = make_meta ("two-tasks");
  g_autoptr(HsCliRun) run = hs_test_cli ("meta", "report", dir, "--json", NULL);
  g_autoptr(HsJson) json = NULL;
  HsJson *tasks, *beta, *ap;

  g_assert_cmpint (run->status, ==, 0);
  json = hs_test_cli_json (run);
  g_assert_cmpfloat (hs_json_get (json, "k")->number, ==, 10);
  g_assert_cmpfloat (hs_json_get (json, "epochs")->number, ==, 2);
  g_assert_cmpfloat (hs_json_get (json, "distinct_best")->number, ==, 2);
  tasks = hs_json_get (json, "tasks");
  g_assert_cmpuint (hs_json_length (tasks), ==, 2);
  beta = hs_json_index (tasks, 1);
  g_assert_cmpstr (hs_json_get (beta, "task")->string, ==, "beta");
  g_assert_cmpstr (hs_json_get (beta, "best")->string, ==, "c2");
  g_assert_cmpuint (hs_json_length (hs_json_get (beta, "top")), ==, 3);
  /* Ranks (2, 1, 3) and (2, 3, 1), centred (0, -1, 1) and (0, 1, -1):
   * ρ = -2 / √(2·2) = -1. */
  g_assert_cmpfloat (hs_json_get (hs_json_get (json, "spearman"), "mean")->number, ==, -1.0);
  /* Three configurations, k = 10: every one is relevant, r = 1. */
  ap = hs_json_get (hs_json_get (json, "ap_at_k"), "matrix");
  g_assert_cmpfloat (hs_json_index (hs_json_index (ap, 0), 1)->number, ==, 1.0);
}

/* --top 1: alpha's best c1 is beta's last: r_ab = 0. */
static void
test_text_top (void)
{
  g_autofree char *dir = make_meta ("two-tasks");
  g_autoptr(HsCliRun) run = hs_test_cli ("meta", "report", dir, "--top", "1", NULL);
  g_autoptr(HsCliRun) json_run = hs_test_cli ("meta", "report", dir, "--top", "1", "--json",
                                              NULL);
  g_autoptr(HsJson) json = NULL;

  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->out, "top 1"));
  g_assert_nonnull (strstr (run->out, "Distinct best configurations: 2"));
  g_assert_nonnull (strstr (run->out, "AP@1"));
  g_assert_true (g_regex_match_simple ("^alpha +3 +c1 +75\\.0 .* c1$", run->out,
                                       G_REGEX_MULTILINE, 0));
  g_assert_cmpint (json_run->status, ==, 0);
  json = hs_test_cli_json (json_run);
  g_assert_cmpfloat (hs_json_index (hs_json_index (hs_json_get (hs_json_get (json, "ap_at_k"),
                                                                "matrix"), 0), 1)->number,
                     ==, 0.0);
}

/* Without DIR: the first folder with a grid.json, in name order. */
static void
test_default_dir (void)
{
  g_autofree char *b = make_meta ("b-grid");
  g_autofree char *a = make_meta ("a-grid");
  g_autofree char *notes = g_build_filename (meta_root, "0-notes", NULL);
  g_autoptr(HsCliRun) run = NULL;
  g_autoptr(HsJson) json = NULL;

  g_assert_cmpint (g_mkdir_with_parents (notes, 0755), ==, 0);
  run = hs_test_cli ("meta", "report", "--json", NULL);
  g_assert_cmpint (run->status, ==, 0);
  json = hs_test_cli_json (run);
  g_assert_cmpstr (hs_json_get (json, "dir")->string, ==, a);
}

static void
test_errors (void)
{
  g_autofree char *dir = make_meta ("damaged");
  g_autofree char *missing = g_build_filename (meta_root, "missing", NULL);
  g_autofree char *empty = g_build_filename (hs_test_cli_tmp_dir (), "empty", NULL);
  g_autoptr(HsCliRun) no_folder = NULL, damaged = NULL, top = NULL, two = NULL, none = NULL;

  no_folder = hs_test_cli ("meta", "report", missing, NULL);
  g_assert_cmpint (no_folder->status, ==, 1);
  g_assert_true (g_str_has_prefix (no_folder->err, "meta report: "));
  g_assert_nonnull (strstr (no_folder->err, "missing"));

  tm_write (dir, "final.csv", "task,config,val_acc,test_acc\nalpha,c9,0.5,0.5\n");
  damaged = hs_test_cli ("meta", "report", dir, NULL);
  g_assert_cmpint (damaged->status, ==, 1);
  g_assert_nonnull (strstr (damaged->err, "final.csv, line 2, config"));
  g_assert_cmpstr (damaged->out, ==, "");

  top = hs_test_cli ("meta", "report", dir, "--top", "0", NULL);
  g_assert_cmpint (top->status, ==, 2);
  g_assert_nonnull (strstr (top->err, "--top"));
  two = hs_test_cli ("meta", "report", dir, dir, NULL);
  g_assert_cmpint (two->status, ==, 2);

  g_assert_cmpint (g_mkdir_with_parents (empty, 0755), ==, 0);
  hs_test_cli_setenv ("HS_META_DIR", empty);
  none = hs_test_cli ("meta", "report", NULL);
  hs_test_cli_setenv ("HS_META_DIR", meta_root);
  g_assert_cmpint (none->status, ==, 1);
  g_assert_nonnull (strstr (none->err, "no meta-dataset"));
}

int
main (int argc, char **argv)
{
  g_autoptr(HsCliRun) help = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!hs_test_cli_init ())
    {
      g_test_skip ("HS_CLI does not name the built hyperstar-cli");
      return g_test_run ();
    }
  help = hs_test_cli ("meta", "report", "--help", NULL);
  if (help->status != 0)
    {
      g_test_skip ("hyperstar-cli meta has no report subcommand (backend/hs-cli-meta.c)");
      hs_test_cli_cleanup ();
      return g_test_run ();
    }
  meta_root = g_build_filename (hs_test_cli_tmp_dir (), "meta", NULL);
  g_assert_cmpint (g_mkdir_with_parents (meta_root, 0755), ==, 0);
  hs_test_cli_setenv ("HS_META_DIR", meta_root);

  g_test_add_func ("/cli/meta-report/json", test_json);
  g_test_add_func ("/cli/meta-report/text-top", test_text_top);
  g_test_add_func ("/cli/meta-report/default-dir", test_default_dir);
  g_test_add_func ("/cli/meta-report/errors", test_errors);
  status = g_test_run ();
  hs_test_cli_cleanup ();
  g_free (meta_root);
  return status;
}
