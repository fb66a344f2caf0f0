/* cp-stock.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stock levels per variant × location, changed only through an
 * append-only movement journal (reason, reference, actor).
 */

#pragma once

#include "cp-ledger.h"

G_BEGIN_DECLS

typedef enum
{
  CP_STOCK_REASON_RECEIVED,
  CP_STOCK_REASON_SOLD,
  CP_STOCK_REASON_RETURNED,
  CP_STOCK_REASON_DAMAGED,
  CP_STOCK_REASON_LOST,
  CP_STOCK_REASON_COUNT,
  CP_STOCK_REASON_CORRECTION,
  CP_STOCK_REASON_TRANSFER,
  CP_N_STOCK_REASONS
} CpStockReason;

const char *cp_stock_reason_to_string   (CpStockReason reason);
gboolean    cp_stock_reason_from_string (const char    *text,
                                         CpStockReason *out_reason);
/* Translated, for people: "Received", "Sold"… */
const char *cp_stock_reason_to_label    (CpStockReason reason);
/* Shops oversell: a movement may take on hand below zero only when its
 * reason says so (sold, correction, count). Others are refused. */
gboolean    cp_stock_reason_allows_negative (CpStockReason reason);

typedef struct
{
  gint64  variant_id;
  char   *sku;
  char   *location_code;
  gint64  on_hand;
  gint64  reserved;
  gint64  safety_stock;
  gint64  available;   /* MAX (0, on_hand − reserved − safety_stock) */
} CpStockLevel;

void         cp_stock_level_free (CpStockLevel *level);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpStockLevel, cp_stock_level_free)

gint64       cp_stock_available  (gint64 on_hand,
                                  gint64 reserved,
                                  gint64 safety_stock);

/* Journals a movement of DELTA (whole units) and updates the level, in one
 * transaction (or the caller's). Returns the movement id. DELTA 0 is
 * INVALID; taking on hand below zero is INVALID unless the reason allows
 * it. Inside the caller's transaction no savepoint is taken: a refusal
 * writes nothing, an engine failure needs the caller's rollback. Emits
 * "changed::stock" after the commit. */
gboolean     cp_stock_adjust     (CpLedger       *ledger,
                                  const char     *sku,
                                  const char     *location_code,
                                  gint64          delta,
                                  CpStockReason   reason,
                                  const char     *note,
                                  const char     *reference,
                                  const char     *actor,
                                  gint64         *out_movement_id,
                                  GError        **error);
/* Same by ids, for callers that already resolved them. */
gboolean     cp_stock_adjust_ids (CpLedger       *ledger,
                                  gint64          variant_id,
                                  gint64          location_id,
                                  gint64          delta,
                                  CpStockReason   reason,
                                  const char     *note,
                                  const char     *reference,
                                  const char     *actor,
                                  gint64         *out_movement_id,
                                  GError        **error);
gboolean     cp_stock_set_safety (CpLedger    *ledger,
                                  const char  *sku,
                                  const char  *location_code,
                                  gint64       quantity,
                                  GError     **error);
/* Changes the units held for unpaid orders by DELTA (positive reserves,
 * negative releases); never below zero. No journal row: reserving moves
 * nothing. Nests in the caller's transaction. */
gboolean     cp_stock_reserve_ids (CpLedger  *ledger,
                                   gint64     variant_id,
                                   gint64     location_id,
                                   gint64     delta,
                                   GError   **error);
CpStockLevel *cp_stock_get       (CpLedger    *ledger,
                                  const char  *sku,
                                  const char  *location_code,
                                  GError     **error);
/* CpStockLevel* for every variant × location (SKU, then location code),
 * narrowed by SKU and/or location when given. A SKU or location that does
 * not exist is CP_LEDGER_ERROR_NOT_FOUND. */
GPtrArray   *cp_stock_list       (CpLedger    *ledger,
                                  const char  *sku,
                                  const char  *location_code,
                                  GError     **error);

typedef struct
{
  gint64         id;
  gint64         at_us;
  char          *sku;
  char          *location_code;
  gint64         delta;
  gint64         on_hand_after;
  CpStockReason  reason;
  char          *note;
  char          *reference;
  char          *actor;
} CpStockMovement;

void         cp_stock_movement_free (CpStockMovement *movement);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpStockMovement, cp_stock_movement_free)

/* Newest first, at most LIMIT. */
GPtrArray   *cp_stock_movements  (CpLedger    *ledger,
                                  const char  *sku,
                                  const char  *location_code,
                                  guint        limit,
                                  GError     **error);

G_END_DECLS
