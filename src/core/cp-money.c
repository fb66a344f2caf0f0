/* cp-money.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exact decimal parsing and formatting of money. Every step is integer
 * arithmetic: a price typed as "19.99" must become 1999, not 1998.
 */

#define G_LOG_DOMAIN "cp-money"

#include "config.h"

#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "cp-money.h"

G_DEFINE_QUARK (cp-money-error-quark, cp_money_error)

/* ISO 4217 codes in use (2025), sorted for bsearch(), with the fund,
 * precious-metal and testing codes (XTS) a payment platform may send.
 * A code outside the list is a typo far more often than a new currency. */
static const char iso_4217[][4] = {
  "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD",
  "BDT", "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP",
  "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU",
  "CRC", "CUC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB",
  "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD",
  "HNL", "HRK", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
  "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP",
  "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU",
  "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR",
  "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
  "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS",
  "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY",
  "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED",
  "VES", "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD",
  "XCG", "XDR", "XOF", "XPD", "XPF", "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR",
  "ZMW", "ZWG", "ZWL",
};

/* ISO 4217 currencies whose minor unit is not 2 digits. */
static const char exponent_0[][4] = {
  "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
  "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
};
static const char exponent_3[][4] = {
  "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND",
};
static const char exponent_4[][4] = {
  "CLF", "UYW",
};

static int
compare_code (const void *a,
              const void *b)
{
  return strcmp (a, b);
}

gboolean
cp_currency_is_valid (const char *code)
{
  if (code == NULL)
    return FALSE;

  for (guint i = 0; i < 3; i++)
    if (code[i] < 'A' || code[i] > 'Z')
      return FALSE;

  if (code[3] != '\0')
    return FALSE;

  return bsearch (code, iso_4217, G_N_ELEMENTS (iso_4217), sizeof iso_4217[0],
                  compare_code) != NULL;
}

static gboolean
in_table (const char  *code,
          const char (*table)[4],
          gsize        n)
{
  for (gsize i = 0; i < n; i++)
    if (strcmp (code, table[i]) == 0)
      return TRUE;

  return FALSE;
}

guint
cp_currency_exponent (const char *code)
{
  if (!cp_currency_is_valid (code))
    return 2;

  if (in_table (code, exponent_0, G_N_ELEMENTS (exponent_0)))
    return 0;
  if (in_table (code, exponent_3, G_N_ELEMENTS (exponent_3)))
    return 3;
  if (in_table (code, exponent_4, G_N_ELEMENTS (exponent_4)))
    return 4;

  return 2;
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

gboolean
cp_money_parse (const char  *text,
                const char  *currency,
                gint64      *out_minor,
                GError     **error)
{
  const char *p;
  const char *end;
  gboolean negative = FALSE;
  guint exponent;
  guint64 magnitude = 0;
  guint64 limit;
  guint n_int_digits = 0;
  guint n_frac_digits = 0;

  g_return_val_if_fail (out_minor != NULL, FALSE);

  if (!cp_currency_is_valid (currency))
    {
      g_set_error (error, CP_MONEY_ERROR, CP_MONEY_ERROR_CURRENCY,
                   _("“%s” is not a currency code. Use a three-letter ISO 4217 code such as "
                     "USD, EUR or JPY."),
                   currency != NULL ? currency : "");
      return FALSE;
    }

  if (text == NULL)
    text = "";

  exponent = cp_currency_exponent (currency);

  /* Spaces around the number are what spreadsheets leave behind; spaces
   * inside it are not a number. */
  p = text;
  while (is_space (*p))
    p++;
  end = p + strlen (p);
  while (end > p && is_space (end[-1]))
    end--;

  if (p < end && (*p == '-' || *p == '+'))
    {
      negative = *p == '-';
      p++;
    }

  /* G_MININT64 has one more unit than G_MAXINT64. */
  limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;

  for (; p < end && g_ascii_isdigit (*p); p++)
    {
      guint digit = *p - '0';

      if (magnitude > (limit - digit) / 10)
        goto range;
      magnitude = magnitude * 10 + digit;
      n_int_digits++;
    }

  if (p < end && *p == '.')
    {
      for (p++; p < end && g_ascii_isdigit (*p); p++)
        {
          guint digit = *p - '0';

          if (n_frac_digits < exponent)
            {
              if (magnitude > (limit - digit) / 10)
                goto range;
              magnitude = magnitude * 10 + digit;
            }
          else if (digit != 0)
            {
              if (exponent == 0)
                g_set_error (error, CP_MONEY_ERROR, CP_MONEY_ERROR_PRECISION,
                             _("“%s” has decimals, but %s has no smaller unit: write a whole "
                               "number."),
                             text, currency);
              else
                g_set_error (error, CP_MONEY_ERROR, CP_MONEY_ERROR_PRECISION,
                             _("“%s” has more decimals than %s has: round it to %u."),
                             text, currency, exponent);
              return FALSE;
            }
          n_frac_digits++;
        }

      if (n_frac_digits == 0)
        goto syntax;
    }

  if (p != end || n_int_digits == 0)
    goto syntax;

  /* Scale what was typed as whole units (or too few decimals). */
  for (guint i = n_frac_digits; i < exponent; i++)
    {
      if (magnitude > limit / 10)
        goto range;
      magnitude *= 10;
    }

  if (negative)
    *out_minor = magnitude == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) magnitude;
  else
    *out_minor = (gint64) magnitude;

  return TRUE;

syntax:
  g_set_error (error, CP_MONEY_ERROR, CP_MONEY_ERROR_SYNTAX,
               _("“%s” is not an amount. Write it with digits and a dot for decimals, such as "
                 "19.99 or -5."),
               text);
  return FALSE;

range:
  g_set_error (error, CP_MONEY_ERROR, CP_MONEY_ERROR_RANGE,
               _("“%s” is too large an amount for Counterpart to keep exactly."),
               text);
  return FALSE;
}

static guint64
power_of_ten (guint exponent)
{
  guint64 result = 1;

  for (guint i = 0; i < exponent; i++)
    result *= 10;

  return result;
}

static guint64
magnitude_of (gint64 minor)
{
  /* -(G_MININT64) overflows; go through the unsigned type. */
  return minor < 0 ? (guint64) (-(minor + 1)) + 1 : (guint64) minor;
}

/* Writes DIGITS into STR with THOUSANDS_SEP between groups. */
static void
append_grouped (GString    *str,
                const char *digits,
                const char *thousands_sep,
                const char *grouping)
{
  gsize len = strlen (digits);
  g_autoptr(GArray) breaks = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize remaining = len;
  const char *g = grouping;
  guint size = 0;

  if (thousands_sep == NULL || *thousands_sep == '\0' || grouping == NULL || *grouping == '\0')
    {
      g_string_append (str, digits);
      return;
    }

  /* Positions (from the left) after which a separator goes. */
  for (;;)
    {
      if (*g != '\0')
        {
          if (*g == CHAR_MAX || *g <= 0)
            break;
          size = (guint) *g;
          g++;
        }
      if (size == 0 || remaining <= size)
        break;
      remaining -= size;
      g_array_prepend_val (breaks, remaining);
    }

  for (gsize i = 0, b = 0; i < len; i++)
    {
      if (b < breaks->len && i == g_array_index (breaks, gsize, b))
        {
          g_string_append (str, thousands_sep);
          b++;
        }
      g_string_append_c (str, digits[i]);
    }
}

static const char *
symbol_for (const char *currency)
{
  static const struct { const char *code; const char *symbol; } symbols[] = {
    { "USD", "$" },
    { "EUR", "€" },
    { "GBP", "£" },
    { "JPY", "¥" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (symbols); i++)
    if (g_strcmp0 (currency, symbols[i].code) == 0)
      return symbols[i].symbol;

  return NULL;
}

/* The digits of MINOR in major units, without sign or symbol. */
static char *
format_number (gint64      minor,
               const char *currency,
               const char *decimal_point,
               const char *thousands_sep,
               const char *grouping)
{
  GString *number = g_string_new (NULL);
  g_autofree char *int_digits = NULL;
  guint exponent = cp_currency_exponent (currency);
  guint64 magnitude = magnitude_of (minor);
  guint64 scale = power_of_ten (exponent);

  if (decimal_point == NULL || *decimal_point == '\0')
    decimal_point = ".";

  int_digits = g_strdup_printf ("%" G_GUINT64_FORMAT, magnitude / scale);
  append_grouped (number, int_digits, thousands_sep, grouping);
  if (exponent > 0)
    g_string_append_printf (number, "%s%0*" G_GUINT64_FORMAT,
                            decimal_point, (int) exponent, magnitude % scale);

  return g_string_free (number, FALSE);
}

char *
cp_money_format_plain (gint64      minor,
                       const char *currency)
{
  g_autofree char *number = format_number (minor, currency, ".", NULL, NULL);

  return g_strconcat (minor < 0 ? "-" : "", number, NULL);
}

char *
cp_money_format_with (gint64      minor,
                      const char *currency,
                      const char *decimal_point,
                      const char *thousands_sep,
                      const char *grouping)
{
  g_autofree char *number = format_number (minor, currency, decimal_point, thousands_sep, grouping);
  const char *sign = minor < 0 ? "-" : "";
  const char *symbol = symbol_for (currency);

  if (symbol == NULL)
    return g_strdup_printf ("%s%s %s", sign, currency != NULL ? currency : "", number);

  /* Where the comma is the decimal mark, the euro sign follows. */
  if (g_str_equal (symbol, "€") && g_strcmp0 (decimal_point, ".") != 0)
    return g_strdup_printf ("%s%s %s", sign, number, symbol);

  return g_strdup_printf ("%s%s%s", sign, symbol, number);
}

char *
cp_money_format (gint64      minor,
                 const char *currency)
{
  struct lconv *lc = localeconv ();

  /* The monetary conventions where the locale has them (LC_MONETARY may
   * differ from LC_NUMERIC), the numeric ones otherwise. */
  if (lc->mon_decimal_point != NULL && *lc->mon_decimal_point != '\0')
    return cp_money_format_with (minor, currency, lc->mon_decimal_point,
                                 lc->mon_thousands_sep, lc->mon_grouping);

  return cp_money_format_with (minor, currency,
                               lc->decimal_point, lc->thousands_sep, lc->grouping);
}
