/* test-cash-session.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cash-session"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cp-cash-session.h"
#include "cp-catalog.h"

typedef struct
{
  char     *dir;
  CpLedger *ledger;
  gint64    main_id;
  gint64    back_id;
  guint     n_orders;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("test-cash-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "ledger.sqlite3", NULL);
  fixture->ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (cp_locations_add (fixture->ledger, "MAIN", "Main", NULL, &fixture->main_id, &error));
  g_assert_true (cp_locations_add (fixture->ledger, "BACK", "Back", NULL, &fixture->back_id, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&fixture->ledger);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->dir, "/ledger.sqlite3", suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

/* An order with one payment, written as the orders code would. The cash
 * session only reads these tables. */
static void
add_paid_order (Fixture    *fixture,
                const char *source,
                gint64      location_id,
                const char *method,
                gint64      amount,
                const char *currency,
                gint64      at_us)
{
  sqlite3 *db = cp_ledger_get_db (fixture->ledger);
  g_autofree char *number = g_strdup_printf ("%u", ++fixture->n_orders);
  sqlite3_stmt *stmt = NULL;
  gint64 order_id;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO orders (number, source, external_id, status, "
                                       "location_id, placed_at, currency, subtotal_minor, total_minor, "
                                       "created_at, updated_at) "
                                       "VALUES (?1, ?2, ?1, 'paid', ?3, ?4, ?5, ?6, ?6, ?4, ?4)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, source, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, location_id);
  sqlite3_bind_int64 (stmt, 4, at_us);
  sqlite3_bind_text (stmt, 5, currency, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, amount);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  order_id = sqlite3_last_insert_rowid (db);

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO payments (order_id, method, amount_minor, currency, at) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, order_id);
  sqlite3_bind_text (stmt, 2, method, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, amount);
  sqlite3_bind_text (stmt, 4, currency, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, at_us);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

static void
test_open_close (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpCashSession) current = NULL;
  g_autoptr(CpCashSession) closed = NULL;
  g_autoptr(CpCashSession) reread = NULL;
  CpCashSession *none;
  gint64 id = 0;
  gint64 second = 0;
  gint64 before_open;
  gint64 expected;

  before_open = cp_ledger_now_us () - 10 * G_USEC_PER_SEC;
  /* Cash taken before the session opened belongs to an earlier one. */
  add_paid_order (fixture, "pos", fixture->main_id, "cash", 999, "USD", before_open);

  g_assert_true (cp_cash_session_open (fixture->ledger, "MAIN", "Till 1", 10000, NULL, "sam",
                                       &id, &error));
  g_assert_no_error (error);

  current = cp_cash_session_get_current (fixture->ledger, "MAIN", "Till 1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (current);
  g_assert_cmpint (current->id, ==, id);
  g_assert_true (current->is_open);
  g_assert_cmpstr (current->currency, ==, "USD");
  g_assert_cmpstr (current->location_code, ==, "MAIN");
  g_assert_cmpstr (current->register_name, ==, "Till 1");
  g_assert_cmpstr (current->opened_by, ==, "sam");
  g_assert_cmpint (current->opening_float_minor, ==, 10000);

  /* One open session per register. */
  g_assert_false (cp_cash_session_open (fixture->ledger, "MAIN", "Till 1", 0, NULL, NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "Till 1"));
  g_clear_error (&error);

  /* Another register, or the same name elsewhere, is fine. */
  g_assert_true (cp_cash_session_open (fixture->ledger, "MAIN", "Till 2", 0, NULL, NULL, &second, &error));
  g_assert_true (cp_cash_session_open (fixture->ledger, "BACK", "Till 1", 0, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* What counts: cash, POS, this location, this currency, in the session. */
  add_paid_order (fixture, "pos", fixture->main_id, "cash", 2550, "USD", cp_ledger_now_us ());
  add_paid_order (fixture, "pos", fixture->main_id, "cash", 1000, "USD", cp_ledger_now_us ());
  add_paid_order (fixture, "pos", fixture->main_id, "card", 5000, "USD", cp_ledger_now_us ());
  add_paid_order (fixture, "shopify-1", fixture->main_id, "cash", 7000, "USD", cp_ledger_now_us ());
  add_paid_order (fixture, "pos", fixture->back_id, "cash", 300, "USD", cp_ledger_now_us ());
  add_paid_order (fixture, "pos", fixture->main_id, "cash", 400, "EUR", cp_ledger_now_us ());
  /* Change given back as a negative cash payment. */
  add_paid_order (fixture, "pos", fixture->main_id, "cash", -50, "USD", cp_ledger_now_us ());

  g_assert_true (cp_cash_session_expected (fixture->ledger, id, &expected, &error));
  g_assert_no_error (error);
  g_assert_cmpint (expected, ==, 10000 + 2550 + 1000 - 50);

  closed = cp_cash_session_close (fixture->ledger, id, 13400, "sam", &error);
  g_assert_no_error (error);
  g_assert_nonnull (closed);
  g_assert_false (closed->is_open);
  g_assert_cmpint (closed->expected_minor, ==, 13500);
  g_assert_cmpint (closed->counted_minor, ==, 13400);
  g_assert_cmpint (closed->closed_at_us, >=, closed->opened_at_us);
  g_assert_cmpstr (closed->closed_by, ==, "sam");

  /* Cash after closing does not change what was expected. */
  add_paid_order (fixture, "pos", fixture->main_id, "cash", 800,
                  "USD", cp_ledger_now_us () + 10 * G_USEC_PER_SEC);
  reread = cp_cash_session_get (fixture->ledger, id, &error);
  g_assert_cmpint (reread->expected_minor, ==, 13500);
  g_assert_true (cp_cash_session_expected (fixture->ledger, id, &expected, &error));
  g_assert_cmpint (expected, ==, 13500);

  none = cp_cash_session_get_current (fixture->ledger, "MAIN", "Till 1", &error);
  g_assert_no_error (error);
  g_assert_null (none);

  /* Closed twice: refused. Reopened: fine. */
  none = cp_cash_session_close (fixture->ledger, id, 1, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_true (cp_cash_session_open (fixture->ledger, "MAIN", "Till 1", 5000, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CpCashSession *session;
  gint64 id;

  g_assert_false (cp_cash_session_open (fixture->ledger, "ATTIC", "Till 1", 0, NULL, NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cp_cash_session_open (fixture->ledger, "MAIN", "", 0, NULL, NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_cash_session_open (fixture->ledger, "MAIN", "Till 1", -1, NULL, NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_cash_session_open (fixture->ledger, "MAIN", "Till 1", 0, "xx", NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  session = cp_cash_session_close (fixture->ledger, 4242, 0, NULL, &error);
  g_assert_null (session);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (cp_cash_session_open (fixture->ledger, "MAIN", "Till 1", 0, "EUR", NULL, &id, &error));
  session = cp_cash_session_close (fixture->ledger, id, -5, NULL, &error);
  g_assert_null (session);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  /* Still open after the refused close. */
  session = cp_cash_session_get_current (fixture->ledger, "MAIN", "Till 1", &error);
  g_assert_nonnull (session);
  g_assert_cmpstr (session->currency, ==, "EUR");
  cp_cash_session_free (session);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cash-session/open-close", Fixture, NULL, fixture_setup, test_open_close, fixture_teardown);
  g_test_add ("/cash-session/refusals", Fixture, NULL, fixture_setup, test_refusals, fixture_teardown);

  return g_test_run ();
}
