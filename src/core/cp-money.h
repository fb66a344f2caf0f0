/* cp-money.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Money is gint64 minor units plus an ISO 4217 code, never a double.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CP_MONEY_ERROR (cp_money_error_quark ())

typedef enum
{
  CP_MONEY_ERROR_SYNTAX,     /* not a decimal number */
  CP_MONEY_ERROR_PRECISION,  /* more decimals than the currency has */
  CP_MONEY_ERROR_RANGE,      /* does not fit in gint64 minor units */
  CP_MONEY_ERROR_CURRENCY,   /* not a three-letter ISO 4217 code */
} CpMoneyError;

typedef struct
{
  gint64 amount_minor;
  char   currency[4];
} CpMoney;

GQuark    cp_money_error_quark     (void);

/* Number of minor digits: 2 for USD/EUR, 0 for JPY/KRW, 3 for KWD/BHD/… */
guint     cp_currency_exponent     (const char *code);
/* Whether CODE is an ISO 4217 code in use (uppercase, as published). */
gboolean  cp_currency_is_valid     (const char *code);

/* Parses a plain decimal string in major units ("19.99", "-0.5", "1200",
 * "1e3" is refused) exactly, into minor units of CURRENCY. Trailing zeros
 * beyond the exponent are accepted ("19.990"), other extra digits are not. */
gboolean  cp_money_parse           (const char  *text,
                                    const char  *currency,
                                    gint64      *out_minor,
                                    GError     **error);

/* "19.99", "-0.50", "1200" (JPY): a machine format with '.' and no grouping,
 * for CSV, JSON and platform payloads. */
char     *cp_money_format_plain    (gint64      minor,
                                    const char *currency);

/* For people: the user's locale decimal point and grouping, with the
 * currency symbol where one is well known ("$1,234.50", "1.234,50 €",
 * "١٬٢٣٤٫٥٠ US$" is not attempted: digits stay Western). */
char     *cp_money_format          (gint64      minor,
                                    const char *currency);

/* cp_money_format() with the locale's conventions spelled out: DECIMAL_POINT
 * and THOUSANDS_SEP as strings, GROUPING as in struct lconv (group sizes
 * from the right, the last repeated, CHAR_MAX or "" for no more groups). */
char     *cp_money_format_with     (gint64      minor,
                                    const char *currency,
                                    const char *decimal_point,
                                    const char *thousands_sep,
                                    const char *grouping);

G_END_DECLS
