/* cp-cli-integration.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the `integration` commands and `status` share: how an integration
 * is shown (--json members, health in words) and how a command reaches
 * its platform (credentials from the keyring, the connector).
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cp-cli-private.h"
#include "cp-connector.h"
#include "cp-integrations.h"
#include "cp-sandbox-server.h"

G_BEGIN_DECLS

/* "needs_attention", "paused", "waiting", "failing", "ok" or "never_synced". */
const char    *cp_cli_integration_health       (const CpIntegration *integration,
                                                gint64               now);
/* The health in shop words, one line: "Needs attention: …", "Synced 2
 * minutes ago", … */
char          *cp_cli_integration_describe     (const CpIntegration *integration,
                                                gint64               now);
/* "2 minutes ago", "just now". */
char          *cp_cli_format_ago               (gint64 at_us,
                                                gint64 now);

/* The documented members (id, name, platform, status, permissions,
 * base_url) and the rest of what a script may want. */
void           cp_cli_integration_add_members  (JsonBuilder         *builder,
                                                const CpIntegration *integration);

/* The object of add_members as the run's JSON document. */
void           cp_cli_integration_print_json   (const CpIntegration *integration);

/* Opens the ledger and reads integration ID; on failure prints why and
 * returns NULL with *OUT_EXIT set. */
CpIntegration *cp_cli_integration_load         (CpCli       *cli,
                                                const char  *id,
                                                CpLedger   **out_ledger,
                                                int         *out_exit);

/* For commands whose only argument is the ID: parses ARGV, then loads as
 * above. NULL with *OUT_EXIT set also after --help (0) or a usage error. */
CpIntegration *cp_cli_integration_load_arg     (CpCli       *cli,
                                                int          argc,
                                                char       **argv,
                                                CpLedger   **out_ledger,
                                                int         *out_exit);

/* With --sandbox, starts the sandbox's platforms for as long as
 * *OUT_SERVER lives and reads *INTEGRATION again (its address moves with
 * the sandbox's port). FALSE with *OUT_EXIT set when that fails; TRUE and
 * nothing done without --sandbox. */
gboolean       cp_cli_integration_start_sandbox (CpCli           *cli,
                                                 CpLedger        *ledger,
                                                 CpIntegration  **integration,
                                                 CpSandboxServer **out_server,
                                                 int             *out_exit);

/* The connector of INTEGRATION with its credentials from the keyring; on
 * failure prints why and returns NULL with *OUT_EXIT set (4 when the
 * credentials are missing). */
CpConnector   *cp_cli_integration_connect      (CpCli               *cli,
                                                CpLedger            *ledger,
                                                const CpIntegration *integration,
                                                int                 *out_exit);

/* Prints a connector failure in shop words and returns the exit code:
 * 4 for what a person must fix (credentials, permission, mapping), 1
 * otherwise. */
int            cp_cli_integration_report_error (CpCli               *cli,
                                                const char          *doing,
                                                const GError        *error);

G_END_DECLS
