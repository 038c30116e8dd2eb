/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading RFC 4180 CSV text: comma-separated fields, optionally in double
 * quotes (which may hold commas, line ends and "" for a quote), LF or CRLF
 * line ends, an optional UTF-8 byte-order mark.  Unquoted fields lose
 * surrounding white space.  Used by the CSV importer and the meta-dataset
 * reader.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *p;
  const char *end;
  guint line;       /* where p is, 1-based */
} HsCsvReader;

/* Reads text[0, length) (which must outlive the reader), skipping a BOM. */
void       hs_csv_reader_init (HsCsvReader *reader, const char *text, gsize length);
/* The next record's fields (char *, freed with the array), or NULL at the
 * end of the text; *line is the line the record starts on and *ended (may
 * be NULL) whether a line end closed it — a last record without one may be
 * a row a writer was cut off in. */
GPtrArray *hs_csv_next_record (HsCsvReader *reader, guint *line, gboolean *ended);

G_END_DECLS
