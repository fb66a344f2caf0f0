/* test-money.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-money"

#include "config.h"

#include <locale.h>

#include "cp-money.h"

static void
test_exponents (void)
{
  static const struct { const char *code; guint exponent; } cases[] = {
    { "USD", 2 }, { "EUR", 2 }, { "GBP", 2 }, { "SAR", 2 }, { "INR", 2 },
    { "BIF", 0 }, { "CLP", 0 }, { "DJF", 0 }, { "GNF", 0 }, { "ISK", 0 }, { "JPY", 0 },
    { "KMF", 0 }, { "KRW", 0 }, { "PYG", 0 }, { "RWF", 0 }, { "UGX", 0 }, { "UYI", 0 },
    { "VND", 0 }, { "VUV", 0 }, { "XAF", 0 }, { "XOF", 0 }, { "XPF", 0 },
    { "BHD", 3 }, { "IQD", 3 }, { "JOD", 3 }, { "KWD", 3 }, { "LYD", 3 }, { "OMR", 3 },
    { "TND", 3 },
    { "CLF", 4 }, { "UYW", 4 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_true (cp_currency_is_valid (cases[i].code));
      g_assert_cmpuint (cp_currency_exponent (cases[i].code), ==, cases[i].exponent);
    }

  g_assert_false (cp_currency_is_valid (NULL));
  g_assert_false (cp_currency_is_valid (""));
  g_assert_false (cp_currency_is_valid ("usd"));
  g_assert_false (cp_currency_is_valid ("US"));
  g_assert_false (cp_currency_is_valid ("USDX"));
  g_assert_false (cp_currency_is_valid ("U$D"));

  /* Real codes from both ends of the table, and typos that are not. */
  {
    static const char * const real[] = {
      "AED", "AFN", "BRL", "CAD", "CHF", "CNY", "DKK", "HKD", "MXN", "NOK", "NZD", "PLN",
      "SEK", "SGD", "TRY", "TWD", "XTS", "XXX", "ZAR", "ZMW", "ZWG", "ZWL",
    };
    static const char * const typos[] = { "USS", "EUU", "ABC", "XYZ", "AAA", "ZZZ", "GPB" };

    for (guint i = 0; i < G_N_ELEMENTS (real); i++)
      g_assert_true (cp_currency_is_valid (real[i]));
    for (guint i = 0; i < G_N_ELEMENTS (typos); i++)
      g_assert_false (cp_currency_is_valid (typos[i]));
  }
}

static gint64
parse_ok (const char *text,
          const char *currency)
{
  g_autoptr(GError) error = NULL;
  gint64 minor = 12345;

  if (!cp_money_parse (text, currency, &minor, &error))
    g_error ("“%s” %s: %s", text, currency, error->message);
  g_assert_no_error (error);

  return minor;
}

static void
parse_fails (const char   *text,
             const char   *currency,
             CpMoneyError  code)
{
  g_autoptr(GError) error = NULL;
  gint64 minor = 777;

  g_assert_false (cp_money_parse (text, currency, &minor, &error));
  g_assert_error (error, CP_MONEY_ERROR, (int) code);
  /* Nothing written on failure. */
  g_assert_cmpint (minor, ==, 777);
}

static void
test_parse (void)
{
  /* Two decimals. */
  g_assert_cmpint (parse_ok ("19.99", "USD"), ==, 1999);
  g_assert_cmpint (parse_ok ("19.9", "USD"), ==, 1990);
  g_assert_cmpint (parse_ok ("19", "USD"), ==, 1900);
  g_assert_cmpint (parse_ok ("0.01", "USD"), ==, 1);
  g_assert_cmpint (parse_ok ("-0.5", "USD"), ==, -50);
  g_assert_cmpint (parse_ok ("+3.10", "EUR"), ==, 310);
  g_assert_cmpint (parse_ok ("19.990", "USD"), ==, 1999);
  g_assert_cmpint (parse_ok ("19.99000000000000000000", "USD"), ==, 1999);
  g_assert_cmpint (parse_ok ("0", "USD"), ==, 0);
  g_assert_cmpint (parse_ok ("-0", "USD"), ==, 0);
  g_assert_cmpint (parse_ok ("007.50", "USD"), ==, 750);
  g_assert_cmpint (parse_ok (" 4.20\t", "USD"), ==, 420);

  /* The float trap: 0.29 * 100 is 28.999… as a double. */
  g_assert_cmpint (parse_ok ("0.29", "USD"), ==, 29);
  g_assert_cmpint (parse_ok ("1.15", "USD"), ==, 115);

  /* Zero decimals. */
  g_assert_cmpint (parse_ok ("1200", "JPY"), ==, 1200);
  g_assert_cmpint (parse_ok ("1200.000", "JPY"), ==, 1200);
  g_assert_cmpint (parse_ok ("-5", "KRW"), ==, -5);
  parse_fails ("1200.5", "JPY", CP_MONEY_ERROR_PRECISION);

  /* Three and four. */
  g_assert_cmpint (parse_ok ("1.234", "KWD"), ==, 1234);
  g_assert_cmpint (parse_ok ("1.2", "BHD"), ==, 1200);
  g_assert_cmpint (parse_ok ("-0.001", "OMR"), ==, -1);
  parse_fails ("1.2345", "KWD", CP_MONEY_ERROR_PRECISION);
  g_assert_cmpint (parse_ok ("1.2345", "CLF"), ==, 12345);
  g_assert_cmpint (parse_ok ("2", "UYW"), ==, 20000);
  parse_fails ("1.23456", "CLF", CP_MONEY_ERROR_PRECISION);

  parse_fails ("19.991", "USD", CP_MONEY_ERROR_PRECISION);
  parse_fails ("19.9901", "USD", CP_MONEY_ERROR_PRECISION);

  /* Not numbers. */
  parse_fails ("", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("   ", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails (NULL, "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("abc", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("1e3", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("1E3", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("1 000", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("1,000.00", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("12,50", "EUR", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("--1", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("+-1", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("1-", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("- 1", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("1.2.3", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails (".", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("-", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("1.", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails (".5", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("$5", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("0x10", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("nan", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("inf", "USD", CP_MONEY_ERROR_SYNTAX);
  parse_fails ("５", "USD", CP_MONEY_ERROR_SYNTAX);

  /* Currency. */
  parse_fails ("1", "usd", CP_MONEY_ERROR_CURRENCY);
  parse_fails ("1", NULL, CP_MONEY_ERROR_CURRENCY);
  parse_fails ("1", "DOLLARS", CP_MONEY_ERROR_CURRENCY);
  parse_fails ("1", "USS", CP_MONEY_ERROR_CURRENCY);
}

static void
test_range (void)
{
  /* G_MAXINT64 = 9223372036854775807 minor units. */
  g_assert_cmpint (parse_ok ("92233720368547758.07", "USD"), ==, G_MAXINT64);
  g_assert_cmpint (parse_ok ("-92233720368547758.08", "USD"), ==, G_MININT64);
  g_assert_cmpint (parse_ok ("9223372036854775807", "JPY"), ==, G_MAXINT64);
  g_assert_cmpint (parse_ok ("-9223372036854775808", "JPY"), ==, G_MININT64);

  parse_fails ("92233720368547758.08", "USD", CP_MONEY_ERROR_RANGE);
  parse_fails ("-92233720368547758.09", "USD", CP_MONEY_ERROR_RANGE);
  parse_fails ("92233720368547758.1", "USD", CP_MONEY_ERROR_RANGE);
  parse_fails ("92233720368547759", "USD", CP_MONEY_ERROR_RANGE);
  parse_fails ("9223372036854775808", "JPY", CP_MONEY_ERROR_RANGE);
  parse_fails ("99999999999999999999999999", "USD", CP_MONEY_ERROR_RANGE);
  parse_fails ("922337203685477.5808", "CLF", CP_MONEY_ERROR_RANGE);
  g_assert_cmpint (parse_ok ("922337203685477.5807", "CLF"), ==, G_MAXINT64);
}

static void
test_format_plain (void)
{
  static const struct { gint64 minor; const char *currency; const char *text; } cases[] = {
    { 1999, "USD", "19.99" },
    { -50, "USD", "-0.50" },
    { 0, "USD", "0.00" },
    { 5, "EUR", "0.05" },
    { 123456789, "USD", "1234567.89" },
    { 1200, "JPY", "1200" },
    { -7, "KRW", "-7" },
    { 1234, "KWD", "1.234" },
    { -1, "BHD", "-0.001" },
    { 12345, "CLF", "1.2345" },
    { G_MAXINT64, "USD", "92233720368547758.07" },
    { G_MININT64, "USD", "-92233720368547758.08" },
    { G_MININT64, "JPY", "-9223372036854775808" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cp_money_format_plain (cases[i].minor, cases[i].currency);
      gint64 back;

      g_assert_cmpstr (text, ==, cases[i].text);

      /* Round trip. */
      back = parse_ok (text, cases[i].currency);
      g_assert_cmpint (back, ==, cases[i].minor);
    }
}

static void
test_round_trip (void)
{
  static const char * const currencies[] = { "USD", "JPY", "KWD", "CLF" };
  GRand *rand = g_rand_new_with_seed (4217);

  for (guint i = 0; i < 2000; i++)
    {
      const char *currency = currencies[i % G_N_ELEMENTS (currencies)];
      gint64 minor = ((gint64) g_rand_int (rand) << 31 | g_rand_int (rand)) - G_MAXINT32;
      g_autofree char *text = cp_money_format_plain (minor, currency);

      g_assert_cmpint (parse_ok (text, currency), ==, minor);
    }

  g_rand_free (rand);
}

static void
test_format_people (void)
{
  static const struct {
    gint64 minor; const char *currency; const char *dp; const char *sep; const char *grouping;
    const char *text;
  } cases[] = {
    /* en_US */
    { 123450, "USD", ".", ",", "\3\3", "$1,234.50" },
    { -123450, "USD", ".", ",", "\3\3", "-$1,234.50" },
    { 99, "USD", ".", ",", "\3\3", "$0.99" },
    { 100000000, "USD", ".", ",", "\3\3", "$1,000,000.00" },
    { 123456, "GBP", ".", ",", "\3", "£1,234.56" },
    { 1234567, "JPY", ".", ",", "\3", "¥1,234,567" },
    /* de_DE */
    { 123450, "EUR", ",", ".", "\3\3", "1.234,50 €" },
    { -5, "EUR", ",", ".", "\3\3", "-0,05 €" },
    /* en_IE */
    { 123450, "EUR", ".", ",", "\3\3", "€1,234.50" },
    /* en_IN: 3 then 2 repeated */
    { 1234567890, "INR", ".", ",", "\3\2", "INR 1,23,45,678.90" },
    /* A code without a well-known symbol. */
    { 1250, "SAR", ".", ",", "\3", "SAR 12.50" },
    { 1234, "KWD", ".", ",", "\3", "KWD 1.234" },
    /* C locale: no grouping. */
    { 123450, "USD", ".", "", "", "$1234.50" },
    /* Grouping that stops (CHAR_MAX). */
    { 123456789, "USD", ".", ",", "\3\177", "$1234,567.89" },
    /* A multi-byte separator (fr_FR uses U+202F). */
    { 123450, "CHF", ",", "\u202f", "\3", "CHF 1\u202f234,50" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cp_money_format_with (cases[i].minor, cases[i].currency,
                                                    cases[i].dp, cases[i].sep, cases[i].grouping);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_format_locale (void)
{
  g_autofree char *usd = NULL;
  g_autofree char *sar = NULL;

  /* The test environment runs in C.UTF-8: '.' and no grouping. */
  setlocale (LC_ALL, "C.UTF-8");
  usd = cp_money_format (123450, "USD");
  sar = cp_money_format (-1250, "SAR");
  g_assert_cmpstr (usd, ==, "$1234.50");
  g_assert_cmpstr (sar, ==, "-SAR 12.50");
}

/* A real German locale, compiled into a private folder with localedef:
 * the test machines ship only C.UTF-8. */
static void
test_format_real_locale (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-money-XXXXXX", &error);
  g_autofree char *target = g_build_filename (dir, "de_DE.UTF-8", NULL);
  g_autofree char *eur = NULL;
  g_autofree char *usd = NULL;
  g_autofree char *sar = NULL;
  const char *argv[] = { "localedef", "-i", "de_DE", "-f", "UTF-8", target, NULL };
  g_autofree char *rm_argv_dir = g_strdup (dir);
  const char *rm_argv[] = { "rm", "-rf", rm_argv_dir, NULL };
  int status = -1;

  g_assert_no_error (error);

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      g_spawn_sync (NULL, (char **) rm_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
      g_test_skip ("localedef or the de_DE locale source is not installed");
      return;
    }

  g_setenv ("LOCPATH", dir, TRUE);
  if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
    {
      g_unsetenv ("LOCPATH");
      g_spawn_sync (NULL, (char **) rm_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
      g_test_skip ("The compiled de_DE.UTF-8 locale could not be loaded");
      return;
    }

  eur = cp_money_format (123450, "EUR");
  usd = cp_money_format (-100000000, "USD");
  sar = cp_money_format (1250, "SAR");

  setlocale (LC_ALL, "C.UTF-8");
  g_unsetenv ("LOCPATH");
  g_spawn_sync (NULL, (char **) rm_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);

  g_assert_cmpstr (eur, ==, "1.234,50 €");
  g_assert_cmpstr (usd, ==, "-$1.000.000,00");
  g_assert_cmpstr (sar, ==, "SAR 12,50");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/money/exponents", test_exponents);
  g_test_add_func ("/money/parse", test_parse);
  g_test_add_func ("/money/range", test_range);
  g_test_add_func ("/money/format-plain", test_format_plain);
  g_test_add_func ("/money/round-trip", test_round_trip);
  g_test_add_func ("/money/format-people", test_format_people);
  g_test_add_func ("/money/format-locale", test_format_locale);
  g_test_add_func ("/money/format-real-locale", test_format_real_locale);

  return g_test_run ();
}
