/* test-customers.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-customers"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cp-customers.h"

typedef struct
{
  char     *dir;
  CpLedger *ledger;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("test-customers-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "ledger.sqlite3", NULL);
  fixture->ledger = cp_ledger_open (path, &error);
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

static void
test_channels (void)
{
  static const char * const names[] = { "email", "sms", "phone", "post" };
  CpConsentChannel channel;

  G_STATIC_ASSERT (G_N_ELEMENTS (names) == CP_N_CONSENT_CHANNELS);
  for (guint i = 0; i < CP_N_CONSENT_CHANNELS; i++)
    {
      g_assert_cmpstr (cp_consent_channel_to_string (i), ==, names[i]);
      g_assert_true (cp_consent_channel_from_string (names[i], &channel));
      g_assert_cmpint (channel, ==, i);
    }
  g_assert_false (cp_consent_channel_from_string ("fax", &channel));
}

static void
test_upsert (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpCustomer) customer = NULL;
  gint64 id = 0;
  gint64 again = 0;
  gint64 walk_in = 0;
  gboolean created = FALSE;

  g_assert_true (cp_customers_upsert (fixture->ledger, "ana@example.com", "Ana", NULL,
                                      &id, &created, &error));
  g_assert_no_error (error);
  g_assert_true (created);

  /* Found again by email, whatever its case; the phone is added, the
   * name kept when not given. */
  g_assert_true (cp_customers_upsert (fixture->ledger, "ANA@Example.COM", NULL, "+34 600 000 000",
                                      &again, &created, &error));
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_cmpint (again, ==, id);

  customer = cp_customers_get (fixture->ledger, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (customer->name, ==, "Ana");
  g_assert_cmpstr (customer->email, ==, "ana@example.com");
  g_assert_cmpstr (customer->phone, ==, "+34 600 000 000");
  g_assert_cmpint (customer->created_at_us, >, 0);

  /* Without an email: a new customer each time. */
  g_assert_true (cp_customers_upsert (fixture->ledger, NULL, "Walk-in", NULL, &walk_in, &created, &error));
  g_assert_true (created);
  g_assert_cmpint (walk_in, !=, id);

  g_assert_false (cp_customers_upsert (fixture->ledger, "not an email", "Bob", NULL, NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_customers_upsert (fixture->ledger, "a@b@c", "Bob", NULL, NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_customers_upsert (fixture->ledger, NULL, NULL, "", NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  g_clear_pointer (&customer, cp_customer_free);
  customer = cp_customers_get_by_email (fixture->ledger, "nobody@example.com", &error);
  g_assert_null (customer);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND);
}

static void
test_consent (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpConsent) consent = NULL;
  gint64 id;
  gint64 first = 0;
  gint64 second = 0;

  g_assert_true (cp_customers_upsert (fixture->ledger, "ana@example.com", "Ana", NULL, &id, NULL, &error));

  /* Nothing recorded: no consent, and no error. */
  consent = cp_customers_get_consent (fixture->ledger, id, CP_CONSENT_CHANNEL_EMAIL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (consent);
  g_assert_false (cp_customers_has_consent (fixture->ledger, id, CP_CONSENT_CHANNEL_EMAIL, NULL));

  g_assert_true (cp_customers_record_consent (fixture->ledger, id, CP_CONSENT_CHANNEL_EMAIL, NULL,
                                              TRUE, "pos", "Ticked the box on receipt 1042",
                                              &first, &error));
  g_assert_no_error (error);
  g_assert_true (cp_customers_has_consent (fixture->ledger, id, CP_CONSENT_CHANNEL_EMAIL, "marketing"));
  /* Per channel and per purpose. */
  g_assert_false (cp_customers_has_consent (fixture->ledger, id, CP_CONSENT_CHANNEL_SMS, NULL));
  g_assert_false (cp_customers_has_consent (fixture->ledger, id, CP_CONSENT_CHANNEL_EMAIL, "surveys"));

  /* Withdrawn: the latest record is in force, the earlier one stays. */
  g_assert_true (cp_customers_record_consent (fixture->ledger, id, CP_CONSENT_CHANNEL_EMAIL, "marketing",
                                              FALSE, "web", "Unsubscribe link", &second, &error));
  g_assert_cmpint (second, >, first);
  g_assert_false (cp_customers_has_consent (fixture->ledger, id, CP_CONSENT_CHANNEL_EMAIL, NULL));

  consent = cp_customers_get_consent (fixture->ledger, id, CP_CONSENT_CHANNEL_EMAIL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (consent);
  g_assert_cmpint (consent->id, ==, second);
  g_assert_false (consent->granted);
  g_assert_cmpstr (consent->source, ==, "web");
  g_assert_cmpstr (consent->evidence, ==, "Unsubscribe link");
  g_assert_cmpstr (consent->purpose, ==, "marketing");
  g_assert_cmpint (consent->channel, ==, CP_CONSENT_CHANNEL_EMAIL);
  g_assert_cmpint (consent->at_us, >, 0);

  {
    sqlite3_stmt *stmt = NULL;

    sqlite3_prepare_v2 (cp_ledger_get_db (fixture->ledger),
                        "SELECT count (*) FROM customer_consents", -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2);
    sqlite3_finalize (stmt);
  }

  /* A record needs its source and a real customer. */
  g_assert_false (cp_customers_record_consent (fixture->ledger, id, CP_CONSENT_CHANNEL_SMS, NULL,
                                               TRUE, "", NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_customers_record_consent (fixture->ledger, id + 50, CP_CONSENT_CHANNEL_SMS, NULL,
                                               TRUE, "pos", NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cp_customers_record_consent (fixture->ledger, id, CP_N_CONSENT_CHANNELS, NULL,
                                               TRUE, "pos", NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/customers/channels", test_channels);
  g_test_add ("/customers/upsert", Fixture, NULL, fixture_setup, test_upsert, fixture_teardown);
  g_test_add ("/customers/consent", Fixture, NULL, fixture_setup, test_consent, fixture_teardown);

  return g_test_run ();
}
