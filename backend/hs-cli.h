/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hs-dataset.h"

G_BEGIN_DECLS

int hs_cli_devices (int argc, char **argv);
int hs_cli_bench (int argc, char **argv);
int hs_cli_tasks (int argc, char **argv);
int hs_cli_dataset (int argc, char **argv);

/* Shared by the dataset and tasks commands (hs-cli-dataset.c). */

/* Appends s as a JSON string, quotes included; bytes that are not UTF-8
 * (file names) become U+FFFD rather than invalid JSON. */
void hs_cli_json_append_string (GString *json, const char *s);
/* Class counts per split, metadata and, with sheet_path, a contact sheet:
 * what `dataset show` and `tasks show` print.  extra_json, when not NULL,
 * is spliced into the JSON object (e.g. "\"built\": true"). */
gboolean hs_cli_show_dataset (HsDataset *ds, const char *path, gboolean json,
                              const char *extra_json, const char *sheet_path,
                              guint sheet_samples, guint sheet_scale, GError **error);

G_END_DECLS
