/* cp-integrations-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What cp-integrations.c, cp-integrations-sync.c and
 * cp-integrations-validate.c share.
 */

#pragma once

#include "cp-integrations.h"

G_BEGIN_DECLS

void      cp_integrations_set_not_found  (GError       **error,
                                          const char    *id);
/* NOT_FOUND when there is no integration ID. */
gboolean  cp_integrations_check_exists   (CpLedger      *ledger,
                                          const char    *id,
                                          GError       **error);
/* Runs STMT, a write of one row of integration ID, in a transaction of
 * its own or as part of the caller's; NOT_FOUND when it touched no row.
 * Emits CpLedger::changed with TABLE. */
gboolean  cp_integrations_run_row_write  (CpLedger      *ledger,
                                          sqlite3_stmt  *stmt,
                                          const char    *id,
                                          const char    *table,
                                          const char    *what,
                                          GError       **error);

/* A platform name fit for an id and a keyring attribute: lower-case
 * letters, digits and "_", at most 32. */
gboolean  cp_integrations_platform_is_valid (const char  *platform);
/* INVALID unless NAME is a name a person can tell integrations by. */
gboolean  cp_integrations_check_name     (const char    *name,
                                          GError       **error);

G_END_DECLS
