/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Import reports, and their JSON form for `dataset import --json`.
 *
 * The JSON is small and flat, so it is written by hand with one escaping
 * helper rather than through a JSON library.
 */
#define G_LOG_DOMAIN "hs-datasets"

#include "hs-import-private.h"

static void
skip_free (gpointer data)
{
  HsImportSkip *skip = data;

  g_free (skip->file);
  g_free (skip->reason);
  g_free (skip);
}

HsImportReport *
hs_import_report_new (void)
{
  HsImportReport *report = g_new0 (HsImportReport, 1);

  report->skipped = g_ptr_array_new_with_free_func (skip_free);
  return report;
}

void
hs_import_report_free (HsImportReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->skipped);
  g_free (report);
}

void
hs_import_report_skip (HsImportReport *report, const char *file, const char *reason)
{
  HsImportSkip *skip = g_new0 (HsImportSkip, 1);

  skip->file = g_filename_display_name (file);
  skip->reason = g_utf8_make_valid (reason, -1);
  g_debug ("skipped %s: %s", skip->file, skip->reason);
  if (report != NULL)
    g_ptr_array_add (report->skipped, skip);
  else
    skip_free (skip);
}

/* A JSON string; invalid UTF-8 becomes U+FFFD rather than invalid JSON. */
static void
append_string (GString *out, const char *s)
{
  g_autofree char *valid = g_utf8_make_valid (s != NULL ? s : "", -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guint8 c = *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

char *
hs_import_report_to_json (HsImportReport *report, HsDataset *ds)
{
  GString *out = g_string_new ("{\n  \"name\": ");
  guint n_classes = ds != NULL ? hs_dataset_get_n_classes (ds) : 0;
  static const char *split_names[] = { "train", "val", "test" };

  g_return_val_if_fail (report != NULL, NULL);

  if (ds != NULL)
    append_string (out, hs_dataset_get_name (ds));
  else
    g_string_append (out, "null");
  if (ds != NULL)
    g_string_append_printf (out, ",\n  \"size\": %u", hs_dataset_get_size (ds));

  g_string_append (out, ",\n  \"classes\": {");
  for (guint c = 0; c < n_classes; c++)
    {
      g_string_append (out, c == 0 ? "\n    " : ",\n    ");
      append_string (out, hs_dataset_get_class_name (ds, c));
      g_string_append_printf (out, ": %zu", hs_dataset_count (ds, c, HS_N_SPLITS));
    }
  g_string_append (out, n_classes > 0 ? "\n  }" : "}");

  g_string_append_printf (out, ",\n  \"imported\": %zu", report->imported);
  if (ds != NULL)
    {
      g_string_append (out, ",\n  \"splits\": {");
      for (guint s = 0; s < HS_N_SPLITS; s++)
        g_string_append_printf (out, "%s\"%s\": %zu", s == 0 ? "" : ", ", split_names[s],
                                hs_dataset_count (ds, G_MAXUINT, s));
      g_string_append_printf (out, "},\n  \"seed\": %" G_GUINT64_FORMAT,
                              hs_dataset_get_split_seed (ds));
    }

  g_string_append (out, ",\n  \"skipped\": [");
  for (guint i = 0; i < report->skipped->len; i++)
    {
      HsImportSkip *skip = g_ptr_array_index (report->skipped, i);

      g_string_append (out, i == 0 ? "\n    {\"file\": " : ",\n    {\"file\": ");
      append_string (out, skip->file);
      g_string_append (out, ", \"reason\": ");
      append_string (out, skip->reason);
      g_string_append_c (out, '}');
    }
  g_string_append (out, report->skipped->len > 0 ? "\n  ]\n}\n" : "]\n}\n");
  return g_string_free (out, FALSE);
}
