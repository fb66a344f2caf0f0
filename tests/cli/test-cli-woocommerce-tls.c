/* test-cli-woocommerce-tls.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `counterpart-cli integration add woocommerce` and `integration test`
 * against the WooCommerce fake over https, served from this process with
 * a certificate made for the run: HTTP Basic, as with a real shop. The
 * CLI trusts that certificate only through CP_TEST_TLS_CA, which a
 * development build honours (meson registers this test only there);
 * without it the same command refuses the store's certificate. The
 * session's real Secret Service holds the keys (build-aux/test-session.sh).
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>

#include "cli-fixture.h"
#include "cp-credentials.h"
#include "cp-integrations.h"
#include "cp-sandbox-server.h"
#include "cp-sandbox-woocommerce.h"

static const char *cli_path;

typedef struct
{
  Fixture               f;
  CpSandboxServer      *server;
  CpSandboxWoocommerce *woo;
  char                 *url;
  char                 *anchor;   /* the run's certificate, as a PEM file */
  char                 *secret;   /* the one the fake accepts: to look for */
  gint64                first_seq;
  gboolean              skipped;
} TlsShop;

static gboolean
require (void)
{
  g_autoptr(GError) error = NULL;
  gboolean harness = g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      if (harness)
        g_test_fail_printf ("The test harness should have a TLS backend (glib-networking)");
      else
        g_test_skip ("GIO has no TLS backend (glib-networking)");
      return FALSE;
    }
  if (cp_credentials_check_sync (NULL, &error))
    return TRUE;
  if (harness)
    g_test_fail_printf ("The test harness should provide a Secret Service, but: %s", error->message);
  else
    g_test_skip_printf ("No Secret Service on the session bus (%s); run under "
                        "build-aux/test-session.sh", error->message);
  return FALSE;
}

static void
shop_set_up (TlsShop       *s,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *hex = NULL;
  sqlite3 *db = NULL;

  fixture_set_up (&s->f, data);
  if (!require ())
    {
      s->skipped = TRUE;
      return;
    }
  init_ledger (&s->f);
  /* Parallel test programs share the session's keyring: ids of their own. */
  s->first_seq = g_random_int_range (1000000, G_MAXINT32 / 2);
  sql = g_strdup_printf ("INSERT INTO sqlite_sequence (name, seq) VALUES ('integrations', %"
                         G_GINT64_FORMAT ")", s->first_seq);
  g_assert_cmpint (sqlite3_open (s->f.ledger, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  hex = g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
  s->secret = g_strconcat ("cs_", hex, NULL);
  s->server = cp_sandbox_server_new ();
  s->woo = cp_sandbox_woocommerce_new_sized (10, 0, 5);
  cp_sandbox_woocommerce_set_key (s->woo, CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY, s->secret, "read_write");
  cp_sandbox_server_add_platform (s->server, CP_SANDBOX_PLATFORM (s->woo));
  pem = cp_sandbox_server_use_self_signed_tls (s->server, &error);
  g_assert_no_error (error);
  g_assert_true (cp_sandbox_server_start (s->server, 0, &error));
  g_assert_no_error (error);
  s->url = cp_sandbox_server_dup_platform_url (s->server, "woocommerce");
  g_assert_true (g_str_has_prefix (s->url, "https://"));
  s->anchor = path_in (&s->f, "sandbox-ca.pem");
  write_file (s->anchor, pem, -1);
}

static void
shop_tear_down (TlsShop       *s,
                gconstpointer  data)
{
  g_unsetenv ("CP_TEST_TLS_CA");
  if (!s->skipped)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CpLedger) ledger = cp_ledger_open (s->f.ledger, &error);

      g_assert_no_error (error);
      /* Whatever a test left in the keyring goes with it. */
      for (gint64 seq = s->first_seq + 1; seq <= s->first_seq + 3; seq++)
        {
          g_autofree char *id = g_strdup_printf ("woocommerce-%" G_GINT64_FORMAT, seq);
          g_autofree char *key = cp_integrations_credential_key (ledger, id, NULL);

          if (key != NULL)
            cp_credentials_clear_sync (key, NULL, NULL);
        }
      cp_sandbox_server_stop (s->server);
    }
  g_clear_object (&s->server);
  g_clear_object (&s->woo);
  g_free (s->url);
  g_free (s->anchor);
  g_free (s->secret);
  fixture_tear_down (&s->f, data);
}

static void
assert_no_secret (TlsShop *s)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_null (strstr (s->f.out, s->secret));
  g_assert_null (strstr (s->f.err, s->secret));
  g_assert_true (g_file_get_contents (s->f.ledger, &contents, &len, NULL));
  g_assert_null (g_strstr_len (contents, len, s->secret));
}

static void
test_add_and_test_over_https (TlsShop       *s,
                              gconstpointer  data)
{
  g_autofree char *credentials = NULL;
  g_autofree char *wrong = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *id = NULL;

  if (s->skipped)
    return;

  credentials = g_strdup_printf ("{\"consumer_key\": \"%s\", \"consumer_secret\": \"%s\"}",
                                 CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY, s->secret);
  wrong = g_strdup_printf ("{\"consumer_key\": \"%s\", \"consumer_secret\": \"cs_wrong\"}",
                           CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY);

  g_setenv ("CP_TEST_TLS_CA", s->anchor, TRUE);
  /* A wrong secret: WooCommerce's 401 over https, nothing stored. */
  g_assert_cmpint (RUN_STDIN (&s->f, wrong, "integration", "add", "woocommerce", "--name", "Woo",
                              "--base-url", s->url, "--credentials-stdin",
                              "--permissions", "orders.pull"), ==, 4);
  g_assert_nonnull (strstr (s->f.err, "credentials"));
  g_assert_nonnull (strstr (s->f.err, "Consumer secret is invalid"));

  /* The right keys: add tests them first, over https with Basic. */
  g_assert_cmpint (RUN_STDIN (&s->f, credentials, "--json", "integration", "add", "woocommerce",
                              "--name", "Woo", "--base-url", s->url, "--credentials-stdin",
                              "--permissions", "orders.pull"), ==, 0);
  node = parse_out (&s->f);
  id = g_strdup (json_object_get_string_member (root_object (node), "id"));
  assert_no_secret (s);
  g_assert_cmpint (RUN (&s->f, "integration", "test", id), ==, 0);
  g_assert_nonnull (strstr (s->f.out, CP_SANDBOX_WOOCOMMERCE_SITE_NAME));
  assert_no_secret (s);

  /* Without the test's authority the store's certificate is refused,
   * in words a shop owner can act on. */
  g_unsetenv ("CP_TEST_TLS_CA");
  g_assert_cmpint (RUN (&s->f, "integration", "test", id), !=, 0);
  g_assert_nonnull (strstr (s->f.err, "security certificate is not valid"));
  g_assert_nonnull (strstr (s->f.err, "not signed by an authority this computer trusts"));
  assert_no_secret (s);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  cli_fixture_init (argc, argv);
  cli_path = argc > 1 ? argv[1] : g_getenv ("CP_CLI");

  g_test_add ("/cli/woocommerce-tls/add-test", TlsShop, NULL, shop_set_up,
              test_add_and_test_over_https, shop_tear_down);

  ret = g_test_run ();
#if defined(__SANITIZE_ADDRESS__)
  /* LeakSanitizer's scan at exit crashes on the thread-local storage of
   * glib-networking's module in the threads it leaves behind (see
   * tests/core/test-api-server.c); every access was watched until here. */
  fflush (stdout);
  fflush (stderr);
  _exit (ret);
#endif
  return ret;
}
