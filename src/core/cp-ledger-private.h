/* cp-ledger-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by cp-ledger.c (the running connection) and cp-ledger-open.c
 * (checking, migrating and opening the file).
 */

#pragma once

#include "cp-ledger.h"

G_BEGIN_DECLS

struct _CpLedger
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  int         schema_version;
  char       *currency;
  guint       tx_depth;
  gboolean    tx_aborted;
  /* Bit N of each is level N + 1: joined its caller's transaction
   * without a SAVEPOINT (cp_ledger_join()); cancelled by a joined level
   * inside it that was rolled back, so it cannot commit. */
  guint64     tx_joined;
  guint64     tx_doomed;
  /* Tables changed inside the open transaction, announced on commit. */
  GPtrArray  *pending_changes;
  GHashTable *stmt_cache;
};

/* Turns SQLite result CODE (with ERRMSG) about the ledger at PATH into a
 * CP_LEDGER_ERROR; WHAT, when given, prefixes the message. */
void cp_ledger_set_error_from_code (GError     **error,
                                    int          code,
                                    const char  *errmsg,
                                    const char  *path,
                                    const char  *what);

G_END_DECLS
