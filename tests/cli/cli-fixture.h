/* cli-fixture.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the counterpart-cli tests share: a temporary data folder, a way to
 * run the built binary in it, and the catalog and sales they start from.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *dir;        /* the temporary folder, removed in teardown */
  char *data_dir;   /* dir/data: what --data-dir points at */
  char *ledger;     /* data_dir/ledger.sqlite3 */
  char *out;        /* stdout of the last run */
  char *err;        /* stderr of the last run */
} Fixture;

/* The path of counterpart-cli: the first argument, or $CP_CLI. */
void        cli_fixture_init      (int    argc,
                                   char **argv);

void        fixture_set_up        (Fixture       *f,
                                   gconstpointer  data);
void        fixture_tear_down     (Fixture       *f,
                                   gconstpointer  data);

int         run_argv              (Fixture            *f,
                                   gboolean            with_data_dir,
                                   const char         *stdin_text,
                                   const char * const *args);

#define RUN(f, ...) run_argv ((f), TRUE, NULL, (const char *[]) { __VA_ARGS__, NULL })
#define RUN_STDIN(f, text, ...) run_argv ((f), TRUE, (text), (const char *[]) { __VA_ARGS__, NULL })

JsonNode   *parse_out             (Fixture *f);
JsonObject *root_object           (JsonNode *node);
JsonArray  *data_array            (JsonNode *node);
JsonObject *first_row             (JsonNode *node);

void        write_file            (const char *path,
                                   const char *contents,
                                   gssize      length);
char       *path_in               (Fixture    *f,
                                   const char *name);

void        init_ledger           (Fixture    *f);
gint64      status_count          (Fixture    *f,
                                   const char *what);
gint64      on_hand               (Fixture    *f,
                                   const char *sku);

extern const char good_csv[];
extern const char sales_json[];
extern const char partial_json[];
extern const char all_bad_json[];

void        import_good_catalog   (Fixture *f);
void        record_sales          (Fixture *f);

G_END_DECLS
