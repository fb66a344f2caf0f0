/* cp-integration-detail-reconcile.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Check Stock on an integration's page: asks the window's engine
 * to compare every linked product's stock with the store
 * (cp_engine_reconcile) and follows the activity log until the answer —
 * the InventoryReconciled event, or the failure that stopped it.
 */

#pragma once

#include <gio/gio.h>

#include "cp-activity.h"
#include "cp-engine.h"
#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_STOCK_CHECK_ERROR (cp_stock_check_error_quark ())

typedef enum
{
  CP_STOCK_CHECK_ERROR_NOT_SYNCING,  /* no engine, or syncing is paused */
  CP_STOCK_CHECK_ERROR_PAUSED,       /* this integration is paused */
  CP_STOCK_CHECK_ERROR_FAILED,       /* the store or the ledger stopped it; the message says why */
} CpStockCheckError;

/* What one check found: the counts of the InventoryReconciled event. */
typedef struct
{
  gint64    at;         /* µs UTC */
  gboolean  compared;   /* FALSE: it could not compare; message says why */
  guint     checked;
  guint     fixed;
  guint     missing;
  guint     in_flight;
  char     *message;    /* the event's own words */
} CpStockCheck;

GQuark        cp_stock_check_error_quark (void);

void          cp_stock_check_free        (CpStockCheck *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpStockCheck, cp_stock_check_free)

/* The check an InventoryReconciled EVENT tells of. */
CpStockCheck *cp_stock_check_from_event  (const CpActivityEvent *event);

/* The latest check of INTEGRATION_ID, or NULL (error unset) when none
 * is in the log. */
CpStockCheck *cp_stock_check_get_last    (CpLedger      *ledger,
                                          const char    *integration_id,
                                          GError       **error);

/* The toast for CHECK, in shop words, STORE_NAME being the integration's. */
char         *cp_stock_check_describe    (const CpStockCheck *check,
                                          const char         *store_name);
/* "2 hours ago · 3 corrected" for the page's row. */
char         *cp_stock_check_summary     (const CpStockCheck *check,
                                          gint64              now_us);

/* Asks ENGINE for a check of INTEGRATION_ID and completes, on the
 * calling thread's main context, once LEDGER's activity log has its
 * outcome. Nothing blocks: the comparison runs on the engine's thread,
 * and this only reads a few indexed rows when the engine says the
 * integration changed. Cancelling stops the waiting, not a comparison
 * under way (its result still lands in the log). */
void          cp_stock_check_async       (CpEngine            *engine,
                                          CpLedger            *ledger,
                                          const char          *integration_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
CpStockCheck *cp_stock_check_finish      (GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
