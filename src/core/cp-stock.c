/* cp-stock.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stock levels change only together with a journal row, in one
 * transaction, so the journal always explains the level: summing a
 * variant's movements at a location gives its on hand.
 */

#define G_LOG_DOMAIN "cp-stock"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "cp-catalog.h"
#include "cp-sql.h"
#include "cp-stock.h"

static const char * const reason_names[CP_N_STOCK_REASONS] = {
  "received", "sold", "returned", "damaged", "lost", "count", "correction", "transfer",
};

const char *
cp_stock_reason_to_string (CpStockReason reason)
{
  g_return_val_if_fail (reason < CP_N_STOCK_REASONS, NULL);

  return reason_names[reason];
}

gboolean
cp_stock_reason_from_string (const char    *text,
                             CpStockReason *out_reason)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < CP_N_STOCK_REASONS; i++)
    {
      if (g_str_equal (text, reason_names[i]))
        {
          if (out_reason != NULL)
            *out_reason = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
cp_stock_reason_to_label (CpStockReason reason)
{
  switch (reason)
    {
    case CP_STOCK_REASON_RECEIVED:
      return _("Received");
    case CP_STOCK_REASON_SOLD:
      return _("Sold");
    case CP_STOCK_REASON_RETURNED:
      return _("Returned");
    case CP_STOCK_REASON_DAMAGED:
      return _("Damaged");
    case CP_STOCK_REASON_LOST:
      return _("Lost");
    case CP_STOCK_REASON_COUNT:
      return _("Count");
    case CP_STOCK_REASON_CORRECTION:
      return _("Correction");
    case CP_STOCK_REASON_TRANSFER:
      return _("Transfer");
    case CP_N_STOCK_REASONS:
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
cp_stock_reason_allows_negative (CpStockReason reason)
{
  /* A sale already happened at the till, and a count or correction states
   * a fact: refusing them would only make the ledger lie. Damage or loss
   * of goods we do not have is a typing mistake. */
  return reason == CP_STOCK_REASON_SOLD ||
         reason == CP_STOCK_REASON_CORRECTION ||
         reason == CP_STOCK_REASON_COUNT;
}

void
cp_stock_level_free (CpStockLevel *level)
{
  if (level == NULL)
    return;

  g_free (level->sku);
  g_free (level->location_code);
  g_free (level);
}

void
cp_stock_movement_free (CpStockMovement *movement)
{
  if (movement == NULL)
    return;

  g_free (movement->sku);
  g_free (movement->location_code);
  g_free (movement->note);
  g_free (movement->reference);
  g_free (movement->actor);
  g_free (movement);
}

gint64
cp_stock_available (gint64 on_hand,
                    gint64 reserved,
                    gint64 safety_stock)
{
  gint64 available;

  /* Saturating: a level near the gint64 limits must not wrap around into
   * a huge positive availability. */
  if (__builtin_sub_overflow (on_hand, reserved, &available) ||
      __builtin_sub_overflow (available, safety_stock, &available))
    return on_hand > 0 && reserved < 0 ? G_MAXINT64 : 0;

  return MAX (0, available);
}

static gboolean
resolve_sku (CpLedger    *ledger,
             const char  *sku,
             gint64      *out_id,
             GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  stmt = cp_ledger_prepare_cached (ledger, "SELECT id FROM variants WHERE sku = ?1", error);
  if (stmt == NULL)
    return FALSE;

  cp_sql_bind_text (stmt, 1, sku != NULL ? sku : "");
  rc = cp_sql_step (ledger, stmt, _("Could not read the catalog"), error);
  if (rc == SQLITE_ROW)
    {
      *out_id = sqlite3_column_int64 (stmt, 0);
      return TRUE;
    }

  if (rc == SQLITE_DONE)
    g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND,
                 _("There is no product with the SKU “%s”. Check the SKU, or add the product "
                   "to the catalog first."),
                 sku != NULL ? sku : "");
  return FALSE;
}

static gboolean
resolve_location (CpLedger    *ledger,
                  const char  *code,
                  gint64      *out_id,
                  GError     **error)
{
  g_autoptr(CpLocation) location = cp_locations_get (ledger, code, error);

  if (location == NULL)
    return FALSE;

  *out_id = location->id;
  return TRUE;
}

gboolean
cp_stock_adjust (CpLedger       *ledger,
                 const char     *sku,
                 const char     *location_code,
                 gint64          delta,
                 CpStockReason   reason,
                 const char     *note,
                 const char     *reference,
                 const char     *actor,
                 gint64         *out_movement_id,
                 GError        **error)
{
  gint64 variant_id;
  gint64 location_id;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  if (!resolve_sku (ledger, sku, &variant_id, error) ||
      !resolve_location (ledger, location_code, &location_id, error))
    return FALSE;

  return cp_stock_adjust_ids (ledger, variant_id, location_id, delta, reason,
                              note, reference, actor, out_movement_id, error);
}

typedef struct
{
  gint64  variant_id;
  gint64  location_id;
  char   *sku;            /* filled by describe_level(), for messages */
  char   *location_code;
  gint64  on_hand;
  gint64  reserved;
  gint64  safety_stock;
  gboolean exists;        /* a stock_levels row is there */
} LevelRow;

static void
level_row_clear (LevelRow *row)
{
  g_clear_pointer (&row->sku, g_free);
  g_clear_pointer (&row->location_code, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LevelRow, level_row_clear)

/* Looks up the SKU and location code of ROW, NOT_FOUND when either is
 * gone. Only needed for messages and when there is no level row yet. */
static gboolean
describe_level (CpLedger  *ledger,
                LevelRow  *row,
                GError   **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  if (row->sku != NULL && row->location_code != NULL)
    return TRUE;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT (SELECT sku FROM variants WHERE id = ?1), "
                                   "  (SELECT code FROM locations WHERE id = ?2)",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, row->variant_id);
  sqlite3_bind_int64 (stmt, 2, row->location_id);
  if (cp_sql_step (ledger, stmt, _("Could not read the stock"), error) != SQLITE_ROW)
    return FALSE;

  row->sku = cp_sql_dup_text (stmt, 0);
  row->location_code = cp_sql_dup_text (stmt, 1);

  if (row->sku == NULL)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND,
                   _("The product variant %" PRId64 " no longer exists."),
                   row->variant_id);
      return FALSE;
    }

  if (row->location_code == NULL)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND,
                   _("The location %" PRId64 " no longer exists."), row->location_id);
      return FALSE;
    }

  return TRUE;
}

/* Reads the level of VARIANT_ID at LOCATION_ID (zeros when no row yet),
 * checking that both exist. One indexed lookup on the hot path (a sale):
 * a level row can only exist for a variant and location that do. */
static gboolean
read_level (CpLedger  *ledger,
            gint64     variant_id,
            gint64     location_id,
            LevelRow  *row,
            GError   **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  row->variant_id = variant_id;
  row->location_id = location_id;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT on_hand, reserved, safety_stock FROM stock_levels "
                                   "WHERE variant_id = ?1 AND location_id = ?2",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, variant_id);
  sqlite3_bind_int64 (stmt, 2, location_id);
  rc = cp_sql_step (ledger, stmt, _("Could not read the stock"), error);
  if (rc == SQLITE_ROW)
    {
      row->on_hand = sqlite3_column_int64 (stmt, 0);
      row->reserved = sqlite3_column_int64 (stmt, 1);
      row->safety_stock = sqlite3_column_int64 (stmt, 2);
      row->exists = TRUE;
      return TRUE;
    }

  if (rc != SQLITE_DONE)
    return FALSE;

  return describe_level (ledger, row, error);
}

static gboolean
adjust_in_transaction (CpLedger       *ledger,
                       gint64          variant_id,
                       gint64          location_id,
                       gint64          delta,
                       CpStockReason   reason,
                       const char     *note,
                       const char     *reference,
                       const char     *actor,
                       gint64         *out_movement_id,
                       GError        **error)
{
  g_autoptr(CpSqlCachedStmt) journal = NULL;
  g_autoptr(CpSqlCachedStmt) level = NULL;
  g_auto(LevelRow) row = { 0 };
  gint64 now = cp_ledger_now_us ();
  gint64 on_hand_after;

  if (!read_level (ledger, variant_id, location_id, &row, error))
    return FALSE;

  if (__builtin_add_overflow (row.on_hand, delta, &on_hand_after))
    {
      describe_level (ledger, &row, NULL);
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("%" PRId64 " units of “%s” is more than Counterpart can count. "
                     "Check the quantity."),
                   delta, row.sku);
      return FALSE;
    }

  if (delta < 0 && on_hand_after < 0 && !cp_stock_reason_allows_negative (reason))
    {
      describe_level (ledger, &row, NULL);
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("Only %" PRId64 " of “%s” on hand at %s, so %" PRId64
                     " cannot be taken out as “%s”. To record selling more than you have, use "
                     "the reason “sold”; to fix a wrong count use “correction”."),
                   row.on_hand, row.sku, row.location_code, -delta,
                   cp_stock_reason_to_string (reason));
      return FALSE;
    }

  journal = cp_ledger_prepare_cached (ledger,
                                      "INSERT INTO stock_movements (at, variant_id, location_id, "
                                      "delta, on_hand_after, reason, note, reference, actor) "
                                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                      error);
  if (journal == NULL)
    return FALSE;

  sqlite3_bind_int64 (journal, 1, now);
  sqlite3_bind_int64 (journal, 2, variant_id);
  sqlite3_bind_int64 (journal, 3, location_id);
  sqlite3_bind_int64 (journal, 4, delta);
  sqlite3_bind_int64 (journal, 5, on_hand_after);
  cp_sql_bind_text (journal, 6, cp_stock_reason_to_string (reason));
  cp_sql_bind_text_or_null (journal, 7, note);
  cp_sql_bind_text_or_null (journal, 8, reference);
  cp_sql_bind_text_or_null (journal, 9, actor);

  if (!cp_sql_run (ledger, journal, _("Could not record the stock movement"), error))
    return FALSE;

  if (out_movement_id != NULL)
    *out_movement_id = sqlite3_last_insert_rowid (cp_ledger_get_db (ledger));

  /* read_level() just said whether the row is there, and we hold the
   * write lock: a plain UPDATE is half the work of an upsert, which tries
   * the INSERT first. */
  if (row.exists)
    level = cp_ledger_prepare_cached (ledger,
                                      "UPDATE stock_levels SET on_hand = ?3, updated_at = ?4 "
                                      "WHERE variant_id = ?1 AND location_id = ?2",
                                      error);
  else
    level = cp_ledger_prepare_cached (ledger,
                                      "INSERT INTO stock_levels (variant_id, location_id, on_hand, "
                                      "updated_at) VALUES (?1, ?2, ?3, ?4) "
                                      "ON CONFLICT (variant_id, location_id) DO UPDATE SET "
                                      "on_hand = excluded.on_hand, updated_at = excluded.updated_at",
                                      error);
  if (level == NULL)
    return FALSE;

  sqlite3_bind_int64 (level, 1, variant_id);
  sqlite3_bind_int64 (level, 2, location_id);
  sqlite3_bind_int64 (level, 3, on_hand_after);
  sqlite3_bind_int64 (level, 4, now);

  if (!cp_sql_run (ledger, level, _("Could not record the stock movement"), error))
    return FALSE;

  cp_ledger_emit_changed (ledger, "stock");
  return TRUE;
}

gboolean
cp_stock_adjust_ids (CpLedger       *ledger,
                     gint64          variant_id,
                     gint64          location_id,
                     gint64          delta,
                     CpStockReason   reason,
                     const char     *note,
                     const char     *reference,
                     const char     *actor,
                     gint64         *out_movement_id,
                     GError        **error)
{
  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  if (delta == 0)
    {
      g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                           _("A movement of zero units changes nothing. Enter how many units "
                             "came in (a positive number) or went out (a negative number)."));
      return FALSE;
    }

  if (reason >= CP_N_STOCK_REASONS)
    {
      g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                           _("Unknown reason for a stock movement. Use received, sold, returned, "
                             "damaged, lost, count, correction or transfer."));
      return FALSE;
    }

  /* Inside a caller's transaction (an order with many lines) no savepoint
   * of our own: FTS5 flushes its pending terms at every savepoint, which
   * makes a batch of orders several times slower. Every refusal comes
   * before the first write; only an engine failure can leave the journal
   * row without its level, and then the caller rolls back. */
  if (cp_ledger_in_transaction (ledger))
    return adjust_in_transaction (ledger, variant_id, location_id, delta, reason,
                                  note, reference, actor, out_movement_id, error);

  if (!cp_ledger_begin (ledger, error))
    return FALSE;

  if (!adjust_in_transaction (ledger, variant_id, location_id, delta, reason,
                              note, reference, actor, out_movement_id, error))
    {
      cp_ledger_rollback (ledger);
      return FALSE;
    }

  return cp_ledger_commit (ledger, error);
}

static gboolean
update_level_column (CpLedger    *ledger,
                     const char  *sql,
                     gint64       variant_id,
                     gint64       location_id,
                     gint64       value,
                     GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  stmt = cp_ledger_prepare_cached (ledger, sql, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, variant_id);
  sqlite3_bind_int64 (stmt, 2, location_id);
  sqlite3_bind_int64 (stmt, 3, value);
  sqlite3_bind_int64 (stmt, 4, cp_ledger_now_us ());

  if (!cp_sql_run (ledger, stmt, _("Could not save the stock level"), error))
    return FALSE;

  cp_ledger_emit_changed (ledger, "stock");
  return TRUE;
}

gboolean
cp_stock_set_safety (CpLedger    *ledger,
                     const char  *sku,
                     const char  *location_code,
                     gint64       quantity,
                     GError     **error)
{
  gint64 variant_id;
  gint64 location_id;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  if (!resolve_sku (ledger, sku, &variant_id, error) ||
      !resolve_location (ledger, location_code, &location_id, error))
    return FALSE;

  if (quantity < 0)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("Safety stock cannot be negative (%" PRId64 "). Enter how many "
                     "units of “%s” to hold back at %s, or 0."),
                   quantity, sku, location_code);
      return FALSE;
    }

  /* One statement: atomic by itself, and it nests in a caller's
   * transaction without one of its own. */
  return update_level_column (ledger,
                              "INSERT INTO stock_levels (variant_id, location_id, safety_stock, "
                              "updated_at) VALUES (?1, ?2, ?3, ?4) "
                              "ON CONFLICT (variant_id, location_id) DO UPDATE SET "
                              "safety_stock = excluded.safety_stock, updated_at = excluded.updated_at",
                              variant_id, location_id, quantity, error);
}

gboolean
cp_stock_reserve_ids (CpLedger  *ledger,
                      gint64     variant_id,
                      gint64     location_id,
                      gint64     delta,
                      GError   **error)
{
  g_auto(LevelRow) row = { 0 };
  gboolean nested;
  gint64 reserved;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  /* One write after the checks: a savepoint would only cost (see
   * cp_stock_adjust_ids()). */
  nested = cp_ledger_in_transaction (ledger);
  if (!nested && !cp_ledger_begin (ledger, error))
    return FALSE;

  if (!read_level (ledger, variant_id, location_id, &row, error))
    goto failed;

  if (__builtin_add_overflow (row.reserved, delta, &reserved) || reserved < 0)
    {
      describe_level (ledger, &row, NULL);
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("Only %" PRId64 " of “%s” are reserved at %s, so %" PRId64
                     " cannot be released."),
                   row.reserved, row.sku, row.location_code, -delta);
      goto failed;
    }

  if (!update_level_column (ledger,
                            "INSERT INTO stock_levels (variant_id, location_id, reserved, "
                            "updated_at) VALUES (?1, ?2, ?3, ?4) "
                            "ON CONFLICT (variant_id, location_id) DO UPDATE SET "
                            "reserved = excluded.reserved, updated_at = excluded.updated_at",
                            variant_id, location_id, reserved, error))
    goto failed;

  return nested || cp_ledger_commit (ledger, error);

failed:
  if (!nested)
    cp_ledger_rollback (ledger);
  return FALSE;
}

static CpStockLevel *
level_from_row (sqlite3_stmt *stmt)
{
  CpStockLevel *level = g_new0 (CpStockLevel, 1);

  level->variant_id = sqlite3_column_int64 (stmt, 0);
  level->sku = cp_sql_dup_text (stmt, 1);
  level->location_code = cp_sql_dup_text (stmt, 2);
  level->on_hand = sqlite3_column_int64 (stmt, 3);
  level->reserved = sqlite3_column_int64 (stmt, 4);
  level->safety_stock = sqlite3_column_int64 (stmt, 5);
  level->available = cp_stock_available (level->on_hand, level->reserved, level->safety_stock);

  return level;
}

/* Every variant × location, as zeros where nothing was ever recorded.
 * One statement per filter, bound by id, so SQLite can use the keys: an
 * "?1 IS NULL OR v.sku = ?1" filter would scan every variant × location
 * to show one SKU. */
#define LEVELS_SELECT \
  "SELECT v.id, v.sku, l.code, coalesce (s.on_hand, 0), coalesce (s.reserved, 0), " \
  "  coalesce (s.safety_stock, 0) " \
  "FROM variants v CROSS JOIN locations l " \
  "LEFT JOIN stock_levels s ON s.variant_id = v.id AND s.location_id = l.id "
#define LEVELS_ORDER "ORDER BY v.sku, l.code"

static const char * const levels_queries[4] = {
  LEVELS_SELECT LEVELS_ORDER,
  LEVELS_SELECT "WHERE v.id = ?1 " LEVELS_ORDER,
  LEVELS_SELECT "WHERE l.id = ?2 " LEVELS_ORDER,
  LEVELS_SELECT "WHERE v.id = ?1 AND l.id = ?2 " LEVELS_ORDER,
};

/* Resolves the optional SKU and location filters to ids (NOT_FOUND when
 * given and unknown) and picks the statement for them. */
static const char *
levels_query_for (CpLedger    *ledger,
                  const char  *sku,
                  const char  *location_code,
                  gint64      *out_variant_id,
                  gint64      *out_location_id,
                  GError     **error)
{
  guint index = 0;

  *out_variant_id = 0;
  *out_location_id = 0;

  if (sku != NULL)
    {
      if (!resolve_sku (ledger, sku, out_variant_id, error))
        return NULL;
      index |= 1;
    }

  if (location_code != NULL)
    {
      if (!resolve_location (ledger, location_code, out_location_id, error))
        return NULL;
      index |= 2;
    }

  return levels_queries[index];
}

CpStockLevel *
cp_stock_get (CpLedger    *ledger,
              const char  *sku,
              const char  *location_code,
              GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  gint64 variant_id;
  gint64 location_id;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  /* Both are required here: one level, not a list. */
  if (!resolve_sku (ledger, sku, &variant_id, error) ||
      !resolve_location (ledger, location_code, &location_id, error))
    return NULL;

  stmt = cp_ledger_prepare_cached (ledger, levels_queries[3], error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, variant_id);
  sqlite3_bind_int64 (stmt, 2, location_id);
  if (cp_sql_step (ledger, stmt, _("Could not read the stock"), error) != SQLITE_ROW)
    return NULL;

  return level_from_row (stmt);
}

GPtrArray *
cp_stock_list (CpLedger    *ledger,
               const char  *sku,
               const char  *location_code,
               GError     **error)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autoptr(GPtrArray) levels = NULL;
  const char *sql;
  gint64 variant_id;
  gint64 location_id;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  sql = levels_query_for (ledger, sku, location_code, &variant_id, &location_id, error);
  if (sql == NULL)
    return NULL;

  stmt = cp_ledger_prepare (ledger, sql, error);
  if (stmt == NULL)
    return NULL;

  if (sku != NULL)
    sqlite3_bind_int64 (stmt, 1, variant_id);
  if (location_code != NULL)
    sqlite3_bind_int64 (stmt, 2, location_id);

  levels = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_stock_level_free);
  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the stock"), error)) == SQLITE_ROW)
    g_ptr_array_add (levels, level_from_row (stmt));

  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&levels);
}

/* By id, one statement per filter: a variant's history comes from the
 * (variant_id, location_id, id) index instead of a scan of the journal. */
#define MOVEMENTS_SELECT \
  "SELECT m.id, m.at, v.sku, l.code, m.delta, m.on_hand_after, " \
  "  m.reason, m.note, m.reference, m.actor " \
  "FROM stock_movements m " \
  "JOIN variants v ON v.id = m.variant_id " \
  "JOIN locations l ON l.id = m.location_id "
#define MOVEMENTS_ORDER "ORDER BY m.id DESC LIMIT ?3"

static const char * const movements_queries[4] = {
  MOVEMENTS_SELECT MOVEMENTS_ORDER,
  MOVEMENTS_SELECT "WHERE m.variant_id = ?1 " MOVEMENTS_ORDER,
  MOVEMENTS_SELECT "WHERE m.location_id = ?2 " MOVEMENTS_ORDER,
  MOVEMENTS_SELECT "WHERE m.variant_id = ?1 AND m.location_id = ?2 " MOVEMENTS_ORDER,
};

GPtrArray *
cp_stock_movements (CpLedger    *ledger,
                    const char  *sku,
                    const char  *location_code,
                    guint        limit,
                    GError     **error)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autoptr(GPtrArray) movements = NULL;
  guint index = 0;
  gint64 variant_id = 0;
  gint64 location_id = 0;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  if (sku != NULL)
    {
      if (!resolve_sku (ledger, sku, &variant_id, error))
        return NULL;
      index |= 1;
    }

  if (location_code != NULL)
    {
      if (!resolve_location (ledger, location_code, &location_id, error))
        return NULL;
      index |= 2;
    }

  stmt = cp_ledger_prepare (ledger, movements_queries[index], error);
  if (stmt == NULL)
    return NULL;

  if (sku != NULL)
    sqlite3_bind_int64 (stmt, 1, variant_id);
  if (location_code != NULL)
    sqlite3_bind_int64 (stmt, 2, location_id);
  /* 0 means no limit. */
  sqlite3_bind_int64 (stmt, 3, limit > 0 ? (gint64) limit : -1);

  movements = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_stock_movement_free);
  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the stock journal"), error)) == SQLITE_ROW)
    {
      CpStockMovement *movement = g_new0 (CpStockMovement, 1);

      movement->id = sqlite3_column_int64 (stmt, 0);
      movement->at_us = sqlite3_column_int64 (stmt, 1);
      movement->sku = cp_sql_dup_text (stmt, 2);
      movement->location_code = cp_sql_dup_text (stmt, 3);
      movement->delta = sqlite3_column_int64 (stmt, 4);
      movement->on_hand_after = sqlite3_column_int64 (stmt, 5);
      if (!cp_stock_reason_from_string ((const char *) sqlite3_column_text (stmt, 6),
                                        &movement->reason))
        movement->reason = CP_STOCK_REASON_CORRECTION;
      movement->note = cp_sql_dup_text (stmt, 7);
      movement->reference = cp_sql_dup_text (stmt, 8);
      movement->actor = cp_sql_dup_text (stmt, 9);

      g_ptr_array_add (movements, movement);
    }

  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&movements);
}
