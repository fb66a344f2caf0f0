/* cp-cash-session.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cash sessions for end-of-day: a register is opened with a float and
 * closed with the cash counted in the drawer; the ledger says what should
 * have been there.
 */

#pragma once

#include "cp-ledger.h"

G_BEGIN_DECLS

typedef struct
{
  gint64    id;
  gint64    location_id;
  char     *location_code;
  char     *register_name;
  char      currency[4];
  gint64    opened_at_us;
  char     *opened_by;
  gint64    opening_float_minor;
  gboolean  is_open;
  gint64    closed_at_us;     /* 0 while open */
  char     *closed_by;
  gint64    expected_minor;   /* set when closed */
  gint64    counted_minor;    /* set when closed */
} CpCashSession;

void           cp_cash_session_free        (CpCashSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpCashSession, cp_cash_session_free)

/* Opens REGISTER_NAME at LOCATION_CODE with OPENING_FLOAT_MINOR in the drawer.
 * CURRENCY NULL: the location's. Refused (CP_LEDGER_ERROR_CONSTRAINT)
 * while that register has a session open. */
gboolean       cp_cash_session_open        (CpLedger     *ledger,
                                            const char   *location_code,
                                            const char   *register_name,
                                            gint64        opening_float_minor,
                                            const char   *currency,
                                            const char   *opened_by,
                                            gint64       *out_id,
                                            GError      **error);

/* The cash that should be in the drawer of session ID now (or at its
 * close): the opening float plus the cash payments of POS orders at its
 * location, in its currency, from its opening to its close. The orders
 * table has no register column, so registers sharing a location share
 * their cash takings. */
gboolean       cp_cash_session_expected    (CpLedger     *ledger,
                                            gint64        id,
                                            gint64       *out_expected_minor,
                                            GError      **error);

/* Closes session ID with COUNTED_MINOR found in the drawer and returns it
 * with expected_minor filled in (the difference is counted − expected). */
CpCashSession *cp_cash_session_close       (CpLedger     *ledger,
                                            gint64        id,
                                            gint64        counted_minor,
                                            const char   *closed_by,
                                            GError      **error);

CpCashSession *cp_cash_session_get         (CpLedger     *ledger,
                                            gint64        id,
                                            GError      **error);
/* The open session of REGISTER_NAME at LOCATION_CODE, or NULL without an
 * error when it is closed. */
CpCashSession *cp_cash_session_get_current (CpLedger     *ledger,
                                            const char   *location_code,
                                            const char   *register_name,
                                            GError      **error);

G_END_DECLS
