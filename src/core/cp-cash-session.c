/* cp-cash-session.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The expected cash is computed from the payments in the ledger at the
 * moment of closing and stored with the count, so the end-of-day report
 * shows what the cashier was told, even if an order is edited later.
 */

#define G_LOG_DOMAIN "cp-cash-session"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "cp-cash-session.h"
#include "cp-catalog.h"
#include "cp-money.h"
#include "cp-sql.h"

void
cp_cash_session_free (CpCashSession *session)
{
  if (session == NULL)
    return;

  g_free (session->location_code);
  g_free (session->register_name);
  g_free (session->opened_by);
  g_free (session->closed_by);
  g_free (session);
}

#define SESSION_COLUMNS \
  "s.id, s.location_id, l.code, s.register, s.currency, s.opened_at, s.opened_by, " \
  "s.opening_float_minor, s.closed_at, s.closed_by, s.expected_minor, s.counted_minor "

static CpCashSession *
session_from_row (sqlite3_stmt *stmt)
{
  CpCashSession *session = g_new0 (CpCashSession, 1);

  session->id = sqlite3_column_int64 (stmt, 0);
  session->location_id = sqlite3_column_int64 (stmt, 1);
  session->location_code = cp_sql_dup_text (stmt, 2);
  session->register_name = cp_sql_dup_text (stmt, 3);
  g_strlcpy (session->currency, (const char *) sqlite3_column_text (stmt, 4),
             sizeof session->currency);
  session->opened_at_us = sqlite3_column_int64 (stmt, 5);
  session->opened_by = cp_sql_dup_text (stmt, 6);
  session->opening_float_minor = sqlite3_column_int64 (stmt, 7);
  session->is_open = sqlite3_column_type (stmt, 8) == SQLITE_NULL;
  session->closed_at_us = sqlite3_column_int64 (stmt, 8);
  session->closed_by = cp_sql_dup_text (stmt, 9);
  session->expected_minor = sqlite3_column_int64 (stmt, 10);
  session->counted_minor = sqlite3_column_int64 (stmt, 11);

  return session;
}

CpCashSession *
cp_cash_session_get (CpLedger  *ledger,
                     gint64     id,
                     GError   **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT " SESSION_COLUMNS "FROM cash_sessions s "
                                   "JOIN locations l ON l.id = s.location_id WHERE s.id = ?1",
                                   error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = cp_sql_step (ledger, stmt, _("Could not read the cash sessions"), error);
  if (rc == SQLITE_ROW)
    return session_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND,
                 _("The cash session %" PRId64 " does not exist."), id);
  return NULL;
}

CpCashSession *
cp_cash_session_get_current (CpLedger    *ledger,
                             const char  *location_code,
                             const char  *register_name,
                             GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(CpLocation) location = NULL;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  location = cp_locations_get (ledger, location_code, error);
  if (location == NULL)
    return NULL;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT " SESSION_COLUMNS "FROM cash_sessions s "
                                   "JOIN locations l ON l.id = s.location_id "
                                   "WHERE s.location_id = ?1 AND s.register = ?2 "
                                   "AND s.closed_at IS NULL",
                                   error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, location->id);
  cp_sql_bind_text (stmt, 2, register_name != NULL ? register_name : "");
  rc = cp_sql_step (ledger, stmt, _("Could not read the cash sessions"), error);

  return rc == SQLITE_ROW ? session_from_row (stmt) : NULL;
}

gboolean
cp_cash_session_open (CpLedger     *ledger,
                      const char   *location_code,
                      const char   *register_name,
                      gint64        opening_float_minor,
                      const char   *currency,
                      const char   *opened_by,
                      gint64       *out_id,
                      GError      **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(CpLocation) location = NULL;
  g_autoptr(CpCashSession) current = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  if (register_name == NULL || *register_name == '\0')
    {
      g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                           _("Name the register to open, such as “Till 1”."));
      return FALSE;
    }

  if (opening_float_minor < 0)
    {
      g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                           _("The opening float cannot be negative. Enter the cash put in the "
                             "drawer, or 0."));
      return FALSE;
    }

  location = cp_locations_get (ledger, location_code, error);
  if (location == NULL)
    return FALSE;

  if (currency == NULL || *currency == '\0')
    currency = location->currency;
  if (!cp_currency_is_valid (currency))
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("“%s” is not a currency code. Use a three-letter ISO 4217 code such as "
                     "USD, EUR or JPY."),
                   currency);
      return FALSE;
    }

  if (!cp_ledger_begin (ledger, error))
    return FALSE;

  current = cp_cash_session_get_current (ledger, location_code, register_name, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      goto failed;
    }

  if (current != NULL)
    {
      g_autoptr(GDateTime) opened = g_date_time_new_from_unix_local (current->opened_at_us / G_USEC_PER_SEC);
      g_autofree char *when = g_date_time_format (opened, "%x %X");

      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CONSTRAINT,
                   _("The register “%s” at %s has been open since %s. Close that session "
                     "with its cash count first."),
                   register_name, location_code, when);
      goto failed;
    }

  stmt = cp_ledger_prepare_cached (ledger,
                                   "INSERT INTO cash_sessions (location_id, register, currency, "
                                   "opened_at, opened_by, opening_float_minor) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                   error);
  if (stmt == NULL)
    goto failed;

  sqlite3_bind_int64 (stmt, 1, location->id);
  cp_sql_bind_text (stmt, 2, register_name);
  cp_sql_bind_text (stmt, 3, currency);
  sqlite3_bind_int64 (stmt, 4, cp_ledger_now_us ());
  cp_sql_bind_text_or_null (stmt, 5, opened_by);
  sqlite3_bind_int64 (stmt, 6, opening_float_minor);

  if (!cp_sql_run (ledger, stmt, _("Could not open the register"), error))
    goto failed;

  if (out_id != NULL)
    *out_id = sqlite3_last_insert_rowid (cp_ledger_get_db (ledger));

  cp_ledger_emit_changed (ledger, "cash_sessions");
  return cp_ledger_commit (ledger, error);

failed:
  cp_ledger_rollback (ledger);
  return FALSE;
}

static gboolean
compute_expected (CpLedger             *ledger,
                  const CpCashSession  *session,
                  gint64                until_us,
                  gint64               *out_expected,
                  GError              **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  gint64 cash;

  /* sum() of integers is exact (and fails rather than wrap). */
  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT coalesce (sum (p.amount_minor), 0) FROM payments p "
                                   "JOIN orders o ON o.id = p.order_id "
                                   "WHERE p.method = 'cash' AND o.source = 'pos' "
                                   "AND o.location_id = ?1 AND p.currency = ?2 "
                                   "AND p.at >= ?3 AND p.at <= ?4",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, session->location_id);
  cp_sql_bind_text (stmt, 2, session->currency);
  sqlite3_bind_int64 (stmt, 3, session->opened_at_us);
  sqlite3_bind_int64 (stmt, 4, until_us);

  if (cp_sql_step (ledger, stmt, _("Could not add up the cash payments"), error) != SQLITE_ROW)
    return FALSE;

  cash = sqlite3_column_int64 (stmt, 0);
  if (__builtin_add_overflow (cash, session->opening_float_minor, out_expected))
    {
      g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                           _("The cash payments add up to more than Counterpart can count. "
                             "Check the payments recorded for this register."));
      return FALSE;
    }

  return TRUE;
}

gboolean
cp_cash_session_expected (CpLedger  *ledger,
                          gint64     id,
                          gint64    *out_expected_minor,
                          GError   **error)
{
  g_autoptr(CpCashSession) session = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (out_expected_minor != NULL, FALSE);

  session = cp_cash_session_get (ledger, id, error);
  if (session == NULL)
    return FALSE;

  if (!session->is_open)
    {
      *out_expected_minor = session->expected_minor;
      return TRUE;
    }

  return compute_expected (ledger, session, cp_ledger_now_us (), out_expected_minor, error);
}

CpCashSession *
cp_cash_session_close (CpLedger    *ledger,
                       gint64       id,
                       gint64       counted_minor,
                       const char  *closed_by,
                       GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(CpCashSession) session = NULL;
  gint64 now;
  gint64 expected;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  if (counted_minor < 0)
    {
      g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                           _("The counted cash cannot be negative. Enter what is in the drawer."));
      return NULL;
    }

  if (!cp_ledger_begin (ledger, error))
    return NULL;

  session = cp_cash_session_get (ledger, id, error);
  if (session == NULL)
    goto failed;

  if (!session->is_open)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CONSTRAINT,
                   _("The session of register “%s” at %s is already closed."),
                   session->register_name, session->location_code);
      goto failed;
    }

  /* Payments recorded in the same microsecond as opening still count. */
  now = MAX (cp_ledger_now_us (), session->opened_at_us);
  if (!compute_expected (ledger, session, now, &expected, error))
    goto failed;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "UPDATE cash_sessions SET closed_at = ?2, closed_by = ?3, "
                                   "expected_minor = ?4, counted_minor = ?5 WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    goto failed;

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now);
  cp_sql_bind_text_or_null (stmt, 3, closed_by);
  sqlite3_bind_int64 (stmt, 4, expected);
  sqlite3_bind_int64 (stmt, 5, counted_minor);

  if (!cp_sql_run (ledger, stmt, _("Could not close the register"), error))
    goto failed;

  cp_ledger_emit_changed (ledger, "cash_sessions");
  if (!cp_ledger_commit (ledger, error))
    return NULL;

  return cp_cash_session_get (ledger, id, error);

failed:
  cp_ledger_rollback (ledger);
  return NULL;
}
