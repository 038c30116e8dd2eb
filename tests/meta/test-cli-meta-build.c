/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hyperstar-cli meta build` and `meta search` end to end: real training of
 * two small Hershey tasks × a three-configuration grid from the shipped
 * weights, a build stopped half-way and continued, and a Hyperband search
 * replayed on the result.
 */
#include <glib/gstdio.h>

#include "hs-meta-data.h"
#include "hs-test-cli.h"

#define EPOCHS "3"

static char *recipes_dir, *out_dir, *grid_path;

static char *
read_file (const char *name)
{
  g_autofree char *path = g_build_filename (out_dir, name, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
write_file (const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (out_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* curves.csv without its seconds column, which no two runs share. */
static char *
without_seconds (const char *curves)
{
  g_auto(GStrv) lines = g_strsplit (curves, "\n", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      char *last = strrchr (lines[i], ',');
      g_string_append_len (out, lines[i], last ? last - lines[i] : (gssize) strlen (lines[i]));
      g_string_append_c (out, '\n');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static HsCliRun *
build (void)
{
  return hs_test_cli ("meta", "build", "--tasks", "digits,letters", "--grid", grid_path,
                      "--epochs", EPOCHS, "--sizes", "12,8", "--out", out_dir, "--quiet", NULL);
}

/* Every pair has its R curve rows and exactly one final row. */
static void
assert_complete (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsMetaData) md = hs_meta_data_load (out_dir, &error);
  g_autofree char *final = read_file ("final.csv");
  g_autofree char *curves = read_file ("curves.csv");
  g_auto(GStrv) final_lines = g_strsplit (final, "\n", -1);
  g_auto(GStrv) curve_lines = g_strsplit (curves, "\n", -1);

  g_assert_no_error (error);
  g_assert_cmpuint (hs_meta_data_n_tasks (md), ==, 2);
  g_assert_cmpuint (hs_meta_data_n_configs (md), ==, 3);
  g_assert_cmpuint (hs_meta_data_n_finished (md), ==, 6);
  g_assert_cmpuint (hs_meta_data_max_epoch (md), ==, 3);
  /* Header + 6 rows + the empty string after the last newline. */
  g_assert_cmpuint (g_strv_length (final_lines), ==, 8);
  g_assert_cmpuint (g_strv_length (curve_lines), ==, 1 + 6 * 3 + 1);
}

static void
test_build (void)
{
  g_autoptr(HsCliRun) run = build ();
  g_autofree char *manifest = NULL;

  g_assert_cmpint (run->status, ==, 0);
  assert_complete ();
  manifest = read_file ("manifest.json");
  g_assert_nonnull (strstr (manifest, "\"weights_sha256\""));
  g_assert_nonnull (strstr (manifest, "\"finished_pairs\" : 6"));
  g_assert_nonnull (strstr (manifest, "\"train_per_class\" : 12"));
}

/* A build that finds everything done trains nothing: the files stay as they
 * were, byte for byte. */
static void
test_rerun_trains_nothing (void)
{
  g_autofree char *before = read_file ("curves.csv");
  g_autofree char *final_before = read_file ("final.csv");
  g_autofree char *after = NULL, *final_after = NULL;
  g_autoptr(HsCliRun) run = build ();

  g_assert_cmpint (run->status, ==, 0);
  after = read_file ("curves.csv");
  final_after = read_file ("final.csv");
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpstr (final_before, ==, final_after);
}

/* As a crash leaves it: the last pair's final row cut half-way and the curve
 * rows of the pair after it written without their final row.  The build
 * drops both, trains exactly those pairs again, and keeps every other row. */
static void
test_resume_after_crash (void)
{
  g_autofree char *curves = read_file ("curves.csv");
  g_autofree char *final = read_file ("final.csv");
  g_auto(GStrv) final_lines = g_strsplit (final, "\n", -1);
  g_autoptr(GString) cut = g_string_new (NULL);
  g_autoptr(HsCliRun) run = NULL;
  g_autofree char *kept_curves = NULL, *after_curves = NULL, *after_final = NULL;
  guint n = g_strv_length (final_lines);   /* header, 6 rows, "" */
  char *last_pair_rows;

  /* final.csv: the header and four whole rows, then half of the fifth. */
  for (guint i = 0; i < 5; i++)
    g_string_append_printf (cut, "%s\n", final_lines[i]);
  g_string_append_len (cut, final_lines[5], strlen (final_lines[5]) / 2);
  write_file ("final.csv", cut->str);
  g_assert_cmpuint (n, ==, 8);

  /* curves.csv keeps its rows: those of pairs 5 and 6 are now orphans. */
  last_pair_rows = curves;
  for (guint row = 0; row < 1 + 4 * 3; row++)
    last_pair_rows = strchr (last_pair_rows, '\n') + 1;
  kept_curves = g_strndup (curves, last_pair_rows - curves);

  run = build ();
  g_assert_cmpint (run->status, ==, 0);
  assert_complete ();
  after_curves = read_file ("curves.csv");
  after_final = read_file ("final.csv");
  /* The four finished pairs are untouched (their timings too). */
  g_assert_true (g_str_has_prefix (after_curves, kept_curves));
  /* Training is deterministic: the two re-run pairs match the first run,
   * all but the time each epoch took. */
  {
    g_autofree char *a = without_seconds (after_curves), *b = without_seconds (curves);
    g_assert_cmpstr (a, ==, b);
  }
  g_assert_cmpstr (after_final, ==, final);
}

/* A folder of other epochs is refused, not mixed. */
static void
test_refuses_other_build (void)
{
  g_autoptr(HsCliRun) run =
    hs_test_cli ("meta", "build", "--tasks", "digits", "--grid", grid_path, "--epochs", "2",
                 "--sizes", "12,8", "--out", out_dir, "--quiet", NULL);

  g_assert_cmpint (run->status, ==, 1);
  g_assert_nonnull (strstr (run->err, "--epochs"));
}

static void
test_search (void)
{
  g_autoptr(HsCliRun) run = hs_test_cli ("meta", "search", out_dir, "--task", "letters",
                                         "--method", "hyperband", "--json", NULL);
  g_auto(GStrv) lines = NULL;
  g_autoptr(HsJson) summary = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  g_assert_cmpint (run->status, ==, 0);
  lines = g_strsplit (g_strchomp (run->out), "\n", -1);
  n = g_strv_length (lines);
  g_assert_cmpuint (n, >=, 2);
  summary = hs_json_parse (lines[n - 1], &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hs_json_get (summary, "best")->string, "c"));
  g_assert_cmpfloat (hs_json_get (summary, "epochs_spent")->number, >, 0);
  g_assert_cmpfloat (hs_json_get (summary, "grid_epochs")->number, ==, 9);
  g_assert_cmpfloat (hs_json_get (summary, "oracle_val_acc")->number, >=,
                     hs_json_get (summary, "best_final_val_acc")->number);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!hs_test_cli_init ())
    {
      g_test_skip ("HS_CLI does not name the built hyperstar-cli");
      return g_test_run ();
    }
  if (!hs_test_cli_have_hershey ())
    {
      g_test_skip ("hershey-fonts-data is not installed (build-aux/setup installs it)");
      return g_test_run ();
    }
  recipes_dir = g_build_filename (hs_test_cli_tmp_dir (), "recipes", NULL);
  out_dir = g_build_filename (hs_test_cli_tmp_dir (), "meta", "tiny", NULL);
  grid_path = g_build_filename (hs_test_cli_tmp_dir (), "grid.json", NULL);
  hs_test_cli_write_hershey_recipe (recipes_dir, "digits", "0;1;2;3;4;5;6;7;8;9");
  hs_test_cli_write_hershey_recipe (recipes_dir, "letters", "A;B;C;D;E;F;G;H");
  g_file_set_contents (grid_path,
                       "{\"name\": \"tiny\", \"grid\": {"
                       "\"c1\": {\"lr\": 0.1, \"finetune\": \"head\", \"augment\": \"none\"},"
                       "\"c2\": {\"lr\": 0.03, \"finetune\": \"last\", \"augment\": \"flip_crop\"},"
                       "\"c3\": {\"lr\": 0.001, \"optimizer\": \"adam\", \"finetune\": \"all\"}}}",
                       -1, &error);
  g_assert_no_error (error);
  hs_test_cli_setenv ("HS_TASKS_DIR", recipes_dir);
  hs_test_cli_setenv ("HS_DEVICE", "cpu");
  hs_test_cli_setenv ("OMP_NUM_THREADS", "2");

  /* In order: each test continues the meta-dataset of the one before. */
  g_test_add_func ("/cli/meta-build/build", test_build);
  g_test_add_func ("/cli/meta-build/rerun-trains-nothing", test_rerun_trains_nothing);
  g_test_add_func ("/cli/meta-build/resume-after-crash", test_resume_after_crash);
  g_test_add_func ("/cli/meta-build/refuses-other-build", test_refuses_other_build);
  g_test_add_func ("/cli/meta-search/hyperband", test_search);
  status = g_test_run ();
  hs_test_cli_cleanup ();
  return status;
}
