/* cp-ledger-schema.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* cp_ledger_migrations[N] takes a database from user_version N to N + 1.
 * Append new steps; never edit a step that has shipped. */
extern const char * const cp_ledger_migrations[];
extern const guint cp_ledger_n_migrations;

G_END_DECLS
