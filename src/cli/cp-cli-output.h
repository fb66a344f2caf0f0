/* cp-cli-output.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The two faces of counterpart-cli's output: one JSON document on stdout
 * for scripts (--json), aligned tables for people.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Writes ROOT as the one JSON document of this run, on stdout. */
void        cp_cli_print_json          (JsonNode *root);
/* Finishes BUILDER and prints its root. */
void        cp_cli_print_builder       (JsonBuilder *builder);

/* Money is {"amount_minor": N, "currency": "C"}, never a float. */
void        cp_cli_json_add_money      (JsonBuilder *builder,
                                        const char  *key,
                                        gint64       amount_minor,
                                        const char  *currency);
/* Ids are strings, so a script never rounds one through a double. */
void        cp_cli_json_add_id         (JsonBuilder *builder,
                                        const char  *key,
                                        gint64       id);
void        cp_cli_json_add_string     (JsonBuilder *builder,
                                        const char  *key,
                                        const char  *value_or_null);
void        cp_cli_json_add_int        (JsonBuilder *builder,
                                        const char  *key,
                                        gint64       value);
/* ISO 8601 in UTC with a "Z"; null when AT_US is 0. */
void        cp_cli_json_add_time       (JsonBuilder *builder,
                                        const char  *key,
                                        gint64       at_us);
char       *cp_cli_format_time_utc     (gint64 at_us);

/* For people: local time, "2026-11-01 09:30:00"; "" when AT_US is 0. */
char       *cp_cli_format_time_local   (gint64 at_us);

/* A list as --json shows one: {"data": [ROWS], "has_more": HAS_MORE},
 * each row an object written by ADD_ROW. */
typedef void (*CpCliAddRowFunc) (JsonBuilder   *builder,
                                 gconstpointer  row);
void        cp_cli_print_rows          (GPtrArray       *rows,
                                        CpCliAddRowFunc  add_row,
                                        gboolean         has_more);

typedef struct _CpCliTable CpCliTable;

/* Columns whose header starts with '>' are right-aligned (numbers). */
CpCliTable *cp_cli_table_new           (const char *first_header,
                                        ...) G_GNUC_NULL_TERMINATED;
/* As many cells as there are columns. */
void        cp_cli_table_add_row       (CpCliTable *table,
                                        const char *first_cell,
                                        ...) G_GNUC_NULL_TERMINATED;
guint       cp_cli_table_get_n_rows    (CpCliTable *table);
void        cp_cli_table_print         (CpCliTable *table);
void        cp_cli_table_free          (CpCliTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpCliTable, cp_cli_table_free)

G_END_DECLS
