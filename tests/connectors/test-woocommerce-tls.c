/* test-woocommerce-tls.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The WooCommerce connector the way every real shop is reached: https,
 * HTTP Basic with the consumer key and secret. The sandbox serves https
 * with a certificate made for this run, which the connector trusts only
 * because the test hands it that one certificate as its sole authority;
 * without it, or with another, the connection is refused and the keys
 * never leave. The secret is looked for, and must not be found, in the
 * ledger file and in everything logged.
 */

#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <libsoup/soup.h>

#include "cp-activity.h"
#include "cp-connectors.h"
#include "cp-orders.h"
#include "cp-outbox.h"
#include "cp-sandbox-server-tls.h"
#include "cp-woocommerce-connector.h"

#include "woocommerce-test-util.h"

#define OTHER_SECRET "cs_rotated_in_wp_admin"

/* Everything logged while the tests run, whatever the level. */
static GString *captured_log;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].length < 0)
      g_string_append_printf (captured_log, "%s=%s\n", fields[i].key, (const char *) fields[i].value);
    else
      {
        g_string_append_printf (captured_log, "%s=", fields[i].key);
        g_string_append_len (captured_log, fields[i].value, fields[i].length);
        g_string_append_c (captured_log, '\n');
      }
  /* Warnings and worse still reach the terminal and fail the test. */
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

/* What g_log() without structured fields hands to the default handler. */
static void
capture_handler (const char     *domain,
                 GLogLevelFlags  level,
                 const char     *message,
                 gpointer        user_data)
{
  g_string_append_printf (captured_log, "%s: %s\n", domain ? domain : "", message);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    g_log_default_handler (domain, level, message, user_data);
}

static gboolean
require_tls (void)
{
  if (g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    return TRUE;
  if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
    g_error ("CP_TEST_HARNESS=1 but GIO has no TLS backend (install glib-networking)");
  g_test_skip ("GIO has no TLS backend (glib-networking)");
  return FALSE;
}

typedef enum
{
  TRUST_SANDBOX,    /* the run's certificate is the only authority */
  TRUST_SYSTEM,     /* the system's authorities, as in production */
  TRUST_ANOTHER,    /* a different self-signed certificate */
} Trust;

typedef struct
{
  WooFixture  w;
  char       *anchor_pem;
  gboolean    skipped;
} TlsFixture;

static GTlsDatabase *
database_for (TlsFixture *f,
              const char *pem,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->w.t.dir, name, NULL);
  GTlsDatabase *database;

  g_assert_true (g_file_set_contents (path, pem, -1, &error));
  g_assert_no_error (error);
  database = g_tls_file_database_new (path, &error);
  g_assert_no_error (error);
  return database;
}

static void
tls_fixture_setup (TlsFixture    *f,
                   gconstpointer  data)
{
  Trust trust = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(CpRateLimiter) unlimited = cp_rate_limiter_new (1e9, 1e6, g_get_monotonic_time ());
  CpWoocommerceConnector *woo;

  if (!require_tls ())
    {
      f->skipped = TRUE;
      return;
    }

  cp_connectors_register_all ();
  f->w.server = cp_sandbox_server_new ();
  f->w.fake = cp_sandbox_woocommerce_new_sized (30, 4, 25);
  cp_sandbox_server_add_platform (f->w.server, CP_SANDBOX_PLATFORM (f->w.fake));
  f->anchor_pem = cp_sandbox_server_use_self_signed_tls (f->w.server, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (f->anchor_pem, "-----BEGIN CERTIFICATE-----"));
  g_assert_true (cp_sandbox_server_start (f->w.server, 0, &error));
  g_assert_no_error (error);
  f->w.base = cp_sandbox_server_dup_platform_url (f->w.server, "woocommerce");
  g_assert_true (g_str_has_prefix (f->w.base, "https://127.0.0.1:"));

  test_ledger_setup (&f->w.t, f->w.base);
  f->w.connector = cp_connector_new_for_platform ("woocommerce", f->w.t.integration_id, f->w.base,
                                                  WOO_TEST_CREDENTIALS, &error);
  g_assert_no_error (error);
  woo = CP_WOOCOMMERCE_CONNECTOR (f->w.connector);
  cp_woocommerce_connector_set_rate_limiter (woo, unlimited);
  cp_woocommerce_connector_set_max_inline_wait (woo, 0);

  if (trust == TRUST_SANDBOX)
    {
      g_autoptr(GTlsDatabase) database = database_for (f, f->anchor_pem, "sandbox-ca.pem");

      cp_woocommerce_connector_set_tls_database (woo, database);
    }
  else if (trust == TRUST_ANOTHER)
    {
      g_autofree char *other_cert = NULL;
      g_autofree char *other_key = NULL;
      g_autoptr(GTlsDatabase) database = NULL;

      g_assert_true (cp_sandbox_tls_generate (&other_cert, &other_key, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (other_cert, !=, f->anchor_pem);
      database = database_for (f, other_cert, "another-ca.pem");
      cp_woocommerce_connector_set_tls_database (woo, database);
    }
  f->w.context = test_push_context_new (&f->w.ws);
}

static void
tls_fixture_teardown (TlsFixture    *f,
                      gconstpointer  data)
{
  if (f->skipped)
    return;
  woo_fixture_teardown (&f->w, data);
  g_free (f->anchor_pem);
}

/* A request the connector never sends, from a session trusting the
 * sandbox only. */
static guint
raw_get (TlsFixture  *f,
         const char  *path_query,
         const char  *authorization,
         char       **out_body)
{
  g_autoptr(GTlsDatabase) database = database_for (f, f->anchor_pem, "raw-ca.pem");
  g_autoptr(SoupSession) session = soup_session_new_with_options ("tls-database", database, NULL);
  g_autofree char *url = g_strconcat (f->w.base, path_query, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (out_body != NULL)
    *out_body = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  return soup_message_get_status (msg);
}

static char *
basic (const char *key,
       const char *secret)
{
  g_autofree char *pair = g_strconcat (key, ":", secret, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

  return g_strconcat ("Basic ", encoded, NULL);
}

static void
test_fake_basic_over_https (TlsFixture    *f,
                            gconstpointer  data)
{
  g_autofree char *right = basic (CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY, CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET);
  g_autofree char *bad_key = basic ("ck_unknown", CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET);
  g_autofree char *bad_secret = basic (CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY, OTHER_SECRET);
  g_autofree char *body = NULL, *key_body = NULL, *secret_body = NULL, *none_body = NULL;

  if (f->skipped)
    return;

  /* Basic is what logs a key in over https… */
  g_assert_cmpuint (raw_get (f, "/wp-json/wc/v3/settings/general", right, &body), ==, 200);
  g_assert_nonnull (strstr (body, "woocommerce_currency"));
  /* …and the query-string pair WooCommerce takes when a host strips
   * the Authorization header. */
  g_assert_cmpuint (raw_get (f, "/wp-json/wc/v3/products?consumer_key=" CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY
                                "&consumer_secret=" CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET, NULL, NULL),
                    ==, 200);

  /* WooCommerce's refusals, word for word. */
  g_assert_cmpuint (raw_get (f, "/wp-json/wc/v3/products", bad_key, &key_body), ==, 401);
  g_assert_nonnull (strstr (key_body, "\"code\":\"woocommerce_rest_authentication_error\""));
  g_assert_nonnull (strstr (key_body, "Consumer key is invalid."));
  g_assert_nonnull (strstr (key_body, "\"status\":401"));
  g_assert_cmpuint (raw_get (f, "/wp-json/wc/v3/products", bad_secret, &secret_body), ==, 401);
  g_assert_nonnull (strstr (secret_body, "\"code\":\"woocommerce_rest_authentication_error\""));
  g_assert_nonnull (strstr (secret_body, "Consumer secret is invalid."));
  /* No credentials at all: the endpoint's own refusal. */
  g_assert_cmpuint (raw_get (f, "/wp-json/wc/v3/products", NULL, &none_body), ==, 401);
  g_assert_nonnull (strstr (none_body, "woocommerce_rest_cannot_view"));
}

static void
test_connection (TlsFixture    *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (f->skipped)
    return;
  g_assert_true (cp_connector_test (f->w.connector, &name, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (name, CP_SANDBOX_WOOCOMMERCE_SITE_NAME));
  g_assert_nonnull (strstr (name, "USD"));
  /* It went through the authenticated endpoints, over https, logged in
   * with Basic as on a real shop, never with an OAuth signature. */
  g_assert_cmpuint (woo_fixture_requests (&f->w, "GET /settings/general"), ==, 1);
  g_assert_cmpuint (woo_fixture_requests (&f->w, "POST /products/batch"), ==, 1);
  g_assert_cmpuint (cp_sandbox_woocommerce_get_n_logins (f->w.fake, "basic"), ==, 2);
  g_assert_cmpuint (cp_sandbox_woocommerce_get_n_logins (f->w.fake, "oauth"), ==, 0);
}

static GArray *
ids_of (TlsFixture         *f,
        const char * const *skus)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; skus[i] != NULL; i++)
    {
      gint64 id = test_ledger_variant_id (&f->w.t, skus[i]);

      g_array_append_val (ids, id);
    }
  return ids;
}

static void
push_products (TlsFixture *f)
{
  static const char * const skus[] = { "EC-00002", "EC-00001-M", "TLS-0001", NULL };
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;

  woo_fixture_add_demo_skus (&f->w, 2, 4, 3);
  test_ledger_add_variant (&f->w.t, "TLS-0001", "Sent over https", 1250, 0);
  ids = ids_of (f, skus);
  errors = woo_fixture_push (&f->w, CP_JOB_PRODUCT_PUSH, ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (woo_fixture_count_errors (errors), ==, 0);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->w.server, "product.create:TLS-0001"), ==, 1);
  g_assert_cmpuint (cp_sandbox_woocommerce_get_n_logins (f->w.fake, "oauth"), ==, 0);
  g_assert_cmpuint (woo_fixture_requests (&f->w, "POST /products/batch"), >=, 1);
}

static gboolean
record_sink (GPtrArray   *orders,
             const char  *page_cursor,
             gpointer     user_data,
             GError     **error)
{
  TlsFixture *f = user_data;

  for (guint i = 0; i < orders->len; i++)
    if (!cp_orders_record (f->w.t.ledger, g_ptr_array_index (orders, i), TRUE, NULL, NULL, error))
      return FALSE;
  return TRUE;
}

static void
pull_orders (TlsFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;

  cp_woocommerce_connector_set_page_size (CP_WOOCOMMERCE_CONNECTOR (f->w.connector), 10);
  g_assert_true (cp_connector_pull_orders (f->w.connector, NULL, record_sink, f, &cursor, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cp_orders_count (f->w.t.ledger), ==, 25);
  g_assert_cmpuint (woo_fixture_requests (&f->w, "GET /orders"), >=, 3);
  g_assert_cmpuint (cp_sandbox_woocommerce_get_n_logins (f->w.fake, "basic"), >=, 3);
  g_assert_cmpuint (cp_sandbox_woocommerce_get_n_logins (f->w.fake, "oauth"), ==, 0);
}

static void
test_product_push (TlsFixture    *f,
                   gconstpointer  data)
{
  if (f->skipped)
    return;
  push_products (f);
}

static void
test_order_pull (TlsFixture    *f,
                 gconstpointer  data)
{
  if (f->skipped)
    return;
  woo_fixture_add_demo_skus (&f->w, 30, 4, 50);
  pull_orders (f);
}

/* The engine keeps a failure's message and exchange in the activity
 * log; so does this, to look for the secret in the file afterwards. */
static void
log_failure (TlsFixture   *f,
             const GError *failure)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (cp_activity_log (f->w.t.ledger, CP_ACTIVITY_STORE_CONNECTION_FAILED, CP_ACTIVITY_ERROR,
                                    f->w.t.integration_id, 0, failure->message,
                                    cp_connector_error_get_exchange (failure), &error), >, 0);
  g_assert_no_error (error);
}

static void
test_wrong_key (TlsFixture    *f,
                gconstpointer  data)
{
  g_autoptr(GError) secret_error = NULL;
  g_autoptr(GError) key_error = NULL;

  if (f->skipped)
    return;

  /* The secret was regenerated in WP admin: the one Counterpart holds
   * is refused with WooCommerce's own 401. */
  cp_sandbox_woocommerce_set_key (f->w.fake, CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY, OTHER_SECRET, "read_write");
  g_assert_false (cp_connector_test (f->w.connector, NULL, NULL, &secret_error));
  g_assert_error (secret_error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_AUTH);
  g_assert_nonnull (strstr (secret_error->message, "woocommerce_rest_authentication_error"));
  g_assert_nonnull (strstr (secret_error->message, "Consumer secret is invalid."));
  g_assert_nonnull (strstr (secret_error->message, "Re-enter the keys"));
  g_assert_nonnull (strstr (secret_error->message, "Settings → Advanced → REST API"));
  g_assert_null (strstr (secret_error->message, CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET));
  g_assert_null (strstr (cp_connector_error_get_exchange (secret_error), CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET));

  /* The key was revoked. */
  cp_sandbox_woocommerce_set_key (f->w.fake, "ck_new_key", CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET, "read_write");
  g_assert_false (cp_connector_test (f->w.connector, NULL, NULL, &key_error));
  g_assert_error (key_error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_AUTH);
  g_assert_nonnull (strstr (key_error->message, "Consumer key is invalid."));
  g_assert_nonnull (strstr (key_error->message, "Re-enter the keys"));
  log_failure (f, key_error);
}

static void
test_untrusted (TlsFixture    *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) push_error = NULL;
  g_autoptr(GPtrArray) errors = NULL;

  if (f->skipped)
    return;

  g_assert_false (cp_connector_test (f->w.connector, NULL, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "The store’s security certificate is not valid: "));
  if (GPOINTER_TO_INT (data) == TRUST_SYSTEM)
    g_assert_nonnull (strstr (error->message, "not signed by an authority this computer trusts"));
  else
    g_assert_nonnull (strstr (error->message, "does not verify against the authorities this computer trusts"));
  /* Refused in the handshake: no request reached the store, so neither
   * did the keys. */
  g_assert_cmpuint (cp_sandbox_server_get_request_count (f->w.server, NULL), ==, 0);

  /* A push fails the same way, and writes nothing. */
  woo_fixture_add_demo_skus (&f->w, 1, 0, 3);
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  {
    gint64 id = test_ledger_variant_id (&f->w.t, "EC-00001");

    g_array_append_val (ids, id);
  }
  errors = woo_fixture_push (&f->w, CP_JOB_STOCK_PUSH, ids, &push_error);
  if (errors != NULL)
    {
      const GError *job_error = g_ptr_array_index (errors, 0);

      g_assert_nonnull (job_error);
      g_assert_nonnull (strstr (job_error->message, "security certificate is not valid"));
    }
  else
    g_assert_nonnull (strstr (push_error->message, "security certificate is not valid"));
  g_assert_cmpuint (cp_sandbox_server_get_request_count (f->w.server, NULL), ==, 0);
  log_failure (f, error);
}

/* Reads a file whole, as bytes: SQLite's pages, not its rows, so text
 * in a freed page or the WAL counts too. */
static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  gsize n = strlen (needle);

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  for (gsize i = 0; i + n <= len; i++)
    if (data[i] == needle[0] && memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
test_secret_never_kept (TlsFixture    *f,
                        gconstpointer  data)
{
  g_autofree char *header = NULL;
  const char *token;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) failure = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *entry;
  guint files = 0;

  if (f->skipped)
    return;

  g_string_truncate (captured_log, 0);
  g_debug ("The secret test begins");
  g_assert_true (cp_connector_test (f->w.connector, &name, NULL, &error));
  g_assert_no_error (error);
  push_products (f);
  pull_orders (f);
  /* A failure, its exchange in the activity log as the engine keeps it. */
  cp_sandbox_woocommerce_set_key (f->w.fake, CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY, OTHER_SECRET, "read_write");
  g_assert_false (cp_connector_test (f->w.connector, NULL, NULL, &failure));
  log_failure (f, failure);
  g_assert_nonnull (strstr (cp_connector_error_get_exchange (failure), "Authorization"));

  /* The secret, and the Basic token that carries it. */
  header = basic (CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY, CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET);
  token = header + strlen ("Basic ");
  /* The capture works: this test's own line is in it. */
  g_assert_nonnull (strstr (captured_log->str, "The secret test begins"));
  g_assert_null (strstr (captured_log->str, CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET));
  g_assert_null (strstr (captured_log->str, token));

  dir = g_dir_open (f->w.t.dir, 0, &error);
  g_assert_no_error (error);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->w.t.dir, entry, NULL);

      if (g_str_has_suffix (entry, ".pem"))
        continue;
      files++;
      g_assert_false (file_contains (path, CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET));
      g_assert_false (file_contains (path, token));
    }
  g_assert_cmpuint (files, >=, 1);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_log_set_default_handler (capture_handler, NULL);

#define ADD(path, trust, func) \
  g_test_add ("/woocommerce-tls/" path, TlsFixture, GINT_TO_POINTER (trust), \
              tls_fixture_setup, func, tls_fixture_teardown)
  ADD ("fake/basic-over-https", TRUST_SANDBOX, test_fake_basic_over_https);
  ADD ("connection", TRUST_SANDBOX, test_connection);
  ADD ("product-push", TRUST_SANDBOX, test_product_push);
  ADD ("order-pull", TRUST_SANDBOX, test_order_pull);
  ADD ("wrong-key", TRUST_SANDBOX, test_wrong_key);
  ADD ("untrusted/system-authorities", TRUST_SYSTEM, test_untrusted);
  ADD ("untrusted/another-certificate", TRUST_ANOTHER, test_untrusted);
  ADD ("secret-never-kept", TRUST_SANDBOX, test_secret_never_kept);
#undef ADD

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
