/* cp-cli-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the command files of counterpart-cli share: the global flags, the
 * exit codes of the contract (shared/CLI.md), a small option parser and
 * the one way every command opens the ledger.
 */

#pragma once

#include <stdio.h>
#include <glib.h>

#include "cp-ledger.h"

G_BEGIN_DECLS

/* The exit codes are a contract: scripts test them. */
typedef enum
{
  CP_CLI_EXIT_OK        = 0,
  CP_CLI_EXIT_FAILED    = 1,
  CP_CLI_EXIT_USAGE     = 2,
  CP_CLI_EXIT_PARTIAL   = 3,
  CP_CLI_EXIT_ATTENTION = 4,
} CpCliExit;

typedef struct
{
  char     *data_dir;    /* NULL: the default (or the sandbox's) */
  gboolean  json;
  gboolean  quiet;
  gboolean  sandbox;
  char     *command;     /* "stock adjust", for messages and help */
  const char *usage;     /* "stock adjust SKU --location CODE …" */
  const char *help;      /* what the command does, and its options */
} CpCli;

typedef struct
{
  const char  *name;      /* without the leading "--" */
  gboolean     takes_value;
  gboolean    *flag;      /* set when a flag (takes_value FALSE) is given */
  char       **value;     /* set to a copy of the value (last one wins) */
} CpCliOption;

/* Parses the arguments after the command words. Positional arguments go
 * to OUT_POSITIONAL (a NULL-terminated vector). Returns -1 when all went
 * well, or the exit code to return: CP_CLI_EXIT_OK after printing the
 * command's help for --help, CP_CLI_EXIT_USAGE after printing the usage
 * and what was wrong. OPTIONS ends with a zeroed entry. */
int        cp_cli_parse_args        (CpCli              *cli,
                                     const CpCliOption  *options,
                                     guint               min_positional,
                                     guint               max_positional,
                                     int                 argc,
                                     char              **argv,
                                     char             ***out_positional);

/* Prints "counterpart-cli: MESSAGE" and the command's usage to stderr;
 * returns CP_CLI_EXIT_USAGE. */
int        cp_cli_usage_error       (CpCli      *cli,
                                     const char *format,
                                     ...) G_GNUC_PRINTF (2, 3);

/* Prints "counterpart-cli: MESSAGE" to stderr, always (also in --json
 * mode: stdout then stays valid JSON or empty). */
void       cp_cli_error             (CpCli      *cli,
                                     const char *format,
                                     ...) G_GNUC_PRINTF (2, 3);
/* A line of human output on stdout; nothing with --json or --quiet. */
void       cp_cli_info              (CpCli      *cli,
                                     const char *format,
                                     ...) G_GNUC_PRINTF (2, 3);

/* The data directory these flags select. */
char      *cp_cli_get_data_dir      (CpCli *cli);

/* Opens the ledger of the selected data directory. Without CREATE a
 * missing ledger is an error saying to run init (so a typo in --data-dir
 * never leaves an empty ledger behind). The sandbox is created, with its
 * demo shop, on first use. On failure prints why and returns NULL with
 * *OUT_EXIT set. */
CpLedger  *cp_cli_open_ledger       (CpCli     *cli,
                                     gboolean   create,
                                     gboolean  *out_created,
                                     int       *out_exit);

/* Whole numbers from the command line, refusing trailing junk. */
gboolean   cp_cli_parse_int64       (const char *text,
                                     gint64      min,
                                     gint64      max,
                                     gint64     *out_value);

/* An ISO 8601 date (local midnight) or date and time, as --since takes. */
gboolean   cp_cli_parse_since       (const char *text,
                                     gint64     *out_us);

/* The commands. ARGV starts after the command words. */
int        cp_cli_init              (CpCli *cli, int argc, char **argv);
int        cp_cli_status            (CpCli *cli, int argc, char **argv);
int        cp_cli_locations_list    (CpCli *cli, int argc, char **argv);
int        cp_cli_locations_add     (CpCli *cli, int argc, char **argv);
int        cp_cli_catalog_import    (CpCli *cli, int argc, char **argv);
int        cp_cli_catalog_export    (CpCli *cli, int argc, char **argv);
int        cp_cli_stock_show        (CpCli *cli, int argc, char **argv);
int        cp_cli_stock_adjust      (CpCli *cli, int argc, char **argv);
int        cp_cli_stock_set_safety  (CpCli *cli, int argc, char **argv);
int        cp_cli_sales_record      (CpCli *cli, int argc, char **argv);
int        cp_cli_orders_list       (CpCli *cli, int argc, char **argv);
int        cp_cli_sandbox_serve     (CpCli *cli, int argc, char **argv);
int        cp_cli_integration_platforms (CpCli *cli, int argc, char **argv);
int        cp_cli_integration_add   (CpCli *cli, int argc, char **argv);
int        cp_cli_integration_list  (CpCli *cli, int argc, char **argv);
int        cp_cli_integration_show  (CpCli *cli, int argc, char **argv);
int        cp_cli_integration_test  (CpCli *cli, int argc, char **argv);
int        cp_cli_integration_pause (CpCli *cli, int argc, char **argv);
int        cp_cli_integration_resume (CpCli *cli, int argc, char **argv);
int        cp_cli_integration_remove (CpCli *cli, int argc, char **argv);
int        cp_cli_integration_map   (CpCli *cli, int argc, char **argv);
int        cp_cli_sync              (CpCli *cli, int argc, char **argv);

/* --sandbox: starts the fake platforms in this process and points the
 * sandbox integrations at them (creating the demo store once). NULL with
 * *OUT_EXIT set when that fails. */
struct _CpSandboxServer *cp_cli_start_sandbox (CpCli     *cli,
                                               CpLedger  *ledger,
                                               int       *out_exit);
int        cp_cli_api_keys_create   (CpCli *cli, int argc, char **argv);
int        cp_cli_api_keys_list     (CpCli *cli, int argc, char **argv);
int        cp_cli_api_keys_revoke   (CpCli *cli, int argc, char **argv);
int        cp_cli_serve             (CpCli *cli, int argc, char **argv);
int        cp_cli_jobs_list         (CpCli *cli, int argc, char **argv);
int        cp_cli_jobs_retry        (CpCli *cli, int argc, char **argv);
int        cp_cli_activity          (CpCli *cli, int argc, char **argv);

G_END_DECLS
