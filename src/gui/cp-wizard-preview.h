/* cp-wizard-preview.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the wizard shows before anything is stored: the connection test
 * and the SKU matching report of a store that is not an integration yet.
 * No GTK: it runs in a worker thread.
 */

#pragma once

#include "cp-connector.h"

G_BEGIN_DECLS

/* Tests the credentials against the platform (out_account: the store's
 * name, maybe ""), then matches the ledger at LEDGER_PATH with the
 * store's catalog. The connector stores mappings as it matches, so it
 * runs against a scratch copy of the ledger's catalog and locations in
 * a temporary directory, deleted before returning: the real ledger is
 * only read. */
CpMappingReport *cp_wizard_preview_run (const char    *ledger_path,
                                        const char    *platform,
                                        const char    *base_url,
                                        const char    *credentials_json,
                                        char         **out_account,
                                        GCancellable  *cancellable,
                                        GError       **error);

G_END_DECLS
