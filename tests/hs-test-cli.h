/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Running the built hyperstar-cli ($HS_CLI) as a user would, in a
 * subprocess whose data and cache folders lie in a temporary directory.
 */
#pragma once

#include <gio/gio.h>

#include "hs-test-json.h"

G_BEGIN_DECLS

typedef struct {
  int status;   /* exit status; 128 + signal when killed */
  char *out;
  char *err;
} HsCliRun;

void hs_cli_run_free (HsCliRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsCliRun, hs_cli_run_free)

/* Reads $HS_CLI and makes the temporary directory with data/ and cache/
 * folders (HS_DATA_DIR, HS_CACHE_DIR and the XDG ones of every run).  FALSE
 * (the caller skips) when HS_CLI does not name an executable. */
gboolean     hs_test_cli_init (void);
const char  *hs_test_cli_tmp_dir (void);
const char  *hs_test_cli_data_dir (void);
const char  *hs_test_cli_cache_dir (void);
/* An extra environment variable for every later run (NULL unsets it). */
void         hs_test_cli_setenv (const char *name, const char *value);
/* Removes a folder and everything in it (links are removed, not followed). */
void         hs_test_remove_tree (const char *path);
/* Removes the temporary directory unless HS_TEST_KEEP is set. */
void         hs_test_cli_cleanup (void);

/* hyperstar-cli with the NULL-terminated arguments, stdout and stderr piped. */
GSubprocess *hs_test_cli_spawn (const char *const *args);
/* Waits for it, logging what it printed. */
HsCliRun    *hs_test_cli_finish (GSubprocess *process);
HsCliRun    *hs_test_cli (const char *first, ...) G_GNUC_NULL_TERMINATED;
/* Its stdout as one JSON value (asserting it is one). */
HsJson      *hs_test_cli_json (HsCliRun *run);

/* A small real task: the given classes (";"-separated characters) stroked
 * from the 18 Hershey fonts of hershey-fonts-data, written as
 * dir/NAME.task.  hs_test_cli_have_hershey() says whether the package is
 * there (build-aux/setup installs it). */
gboolean     hs_test_cli_have_hershey (void);
void         hs_test_cli_write_hershey_recipe (const char *dir, const char *name,
                                               const char *classes);

G_END_DECLS
