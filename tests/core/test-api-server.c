/* test-api-server.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local API over real HTTP on 127.0.0.1: who may call what, the
 * answers' shapes (seed 001's error format, seed 002's endpoints), rate
 * limits with their headers, TLS, and that a refused request writes
 * nothing. Bodies and timeouts are in test-api-limits.c.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cp-integrations.h"
#include "test-api-fixture.h"

#define TEST(name, func) \
  g_test_add ("/api-server/" name, ApiFixture, NULL, api_fixture_set_up, func, api_fixture_tear_down)

static const char *
r_message (ApiResponse *r)
{
  return json_object_get_string_member (json_object_get_object_member (r->root, "error"), "message");
}

static void
test_health_needs_no_key (ApiFixture    *f,
                          gconstpointer  data)
{
  g_autoptr(ApiResponse) r = NULL;
  JsonObject *body;

  api_fixture_start (f);
  g_assert_true (g_str_has_prefix (f->base_url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (f->base_url, "/api/v1"));

  r = api_request (f, "GET", "/health", NULL, NULL, 0);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_nonnull (r->root);
  body = json_object_get_object_member (r->root, "data");
  g_assert_cmpstr (json_object_get_string_member (body, "status"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (body, "engine"), ==, "none");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (r->headers, "X-Request-Id"), "req_"));
  g_assert_cmpint (api_assert_rate_headers (r), ==, 59);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (r->headers, NULL),
                                   "application/json"));
}

static void
test_no_key_is_401 (ApiFixture    *f,
                    gconstpointer  data)
{
  static const char * const wrong[] = {
    NULL,
    "",
    "not-a-key",
    "cpk_000000000000_0000000000000000000000000000000000000000000000000000000000000000",
  };

  api_fixture_start (f);

  for (gsize i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(ApiResponse) r = api_request (f, "GET", "/integrations", wrong[i], NULL, 0);

      api_assert_error (r, 401, "authentication_error");
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "WWW-Authenticate"), ==,
                       "Bearer realm=\"counterpart\"");
      api_assert_rate_headers (r);
    }

  /* Not Bearer: Basic with a real key is no key at all. */
  {
    g_autofree char *key = api_fixture_new_key (f, "integrations.read");
    g_autofree char *url = g_strconcat (f->base_url, "/integrations", NULL);
    g_autofree char *basic = g_strconcat ("Basic ", key, NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) body = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", basic);
    body = soup_session_send_and_read (f->session, msg, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
  }
}

static void
test_wrong_scope_is_403 (ApiFixture    *f,
                         gconstpointer  data)
{
  g_autofree char *orders = api_fixture_new_key (f, "orders.read,webhooks.write");
  g_autofree char *reader = api_fixture_new_key (f, "integrations.read");
  g_autofree char *path = NULL;
  g_autoptr(ApiResponse) list = NULL;
  g_autoptr(ApiResponse) sync = NULL;

  api_fixture_start (f);

  list = api_request (f, "GET", "/integrations", orders, NULL, 0);
  api_assert_error (list, 403, "authorization_error");
  g_assert_nonnull (strstr (r_message (list), "integrations.read"));

  /* Reading does not let a key start a sync. */
  path = g_strdup_printf ("/integrations/%s/sync", f->integration_id);
  sync = api_request (f, "POST", path, reader, NULL, 0);
  api_assert_error (sync, 403, "authorization_error");
}

static void
test_integrations_list (ApiFixture    *f,
                        gconstpointer  data)
{
  g_autofree char *key = api_fixture_new_key (f, "integrations.read");
  g_autoptr(ApiResponse) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *second = NULL;
  JsonArray *rows;
  JsonObject *row;

  second = cp_integrations_add (f->ledger, "ecomv2", "Outlet", "http://127.0.0.1:9/v2", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cp_integrations_set_paused (f->ledger, second, TRUE, &error));
  g_assert_no_error (error);

  api_fixture_start (f);
  r = api_request (f, "GET", "/integrations", key, NULL, 0);
  g_assert_cmpuint (r->status, ==, 200);
  api_assert_rate_headers (r);
  rows = json_object_get_array_member (r->root, "data");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);

  /* Seed 002's fields, ids as strings. */
  row = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "id"), ==, f->integration_id);
  g_assert_cmpstr (json_object_get_string_member (row, "name"), ==, "Web shop");
  g_assert_cmpstr (json_object_get_string_member (row, "integration_type"), ==, "ecommerce");
  g_assert_cmpstr (json_object_get_string_member (row, "provider"), ==, "ecomv2");
  g_assert_true (json_object_get_boolean_member (row, "is_active"));
  g_assert_true (json_object_get_null_member (row, "last_sync_at"));
  g_assert_cmpstr (json_object_get_string_member (row, "status"), ==, "active");
  g_assert_cmpint (json_object_get_int_member (row, "queue_depth"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (row, "permissions")), ==, 2);

  row = json_array_get_object_element (rows, 1);
  g_assert_cmpstr (json_object_get_string_member (row, "id"), ==, second);
  g_assert_false (json_object_get_boolean_member (row, "is_active"));
  g_assert_cmpstr (json_object_get_string_member (row, "status"), ==, "paused");
}

static void
test_sync (ApiFixture    *f,
           gconstpointer  data)
{
  g_autofree char *key = api_fixture_new_key (f, "integrations.sync");
  g_autofree char *path = g_strdup_printf ("/integrations/%s/sync", f->integration_id);
  g_autoptr(ApiResponse) no_engine = NULL;
  g_autoptr(ApiResponse) unknown = NULL;
  g_autoptr(ApiResponse) bad_body = NULL;
  g_autoptr(ApiResponse) get = NULL;
  g_autoptr(ApiResponse) nowhere = NULL;

  api_fixture_start (f);

  /* Without an engine (the window with syncing off), a clear 503. */
  no_engine = api_request (f, "POST", path, key, NULL, 0);
  api_assert_error (no_engine, 503, "service_unavailable");

  unknown = api_request (f, "POST", "/integrations/ecomv2-404/sync", key, NULL, 0);
  api_assert_error (unknown, 404, "not_found");

  bad_body = api_request (f, "POST", path, key, "[1, 2]", 6);
  api_assert_error (bad_body, 400, "validation_error");

  get = api_request (f, "GET", path, key, NULL, 0);
  api_assert_error (get, 405, "method_not_allowed");
  g_assert_cmpstr (soup_message_headers_get_one (get->headers, "Allow"), ==, "POST");

  nowhere = api_request (f, "GET", "/orders", key, NULL, 0);
  api_assert_error (nowhere, 404, "not_found");
}

/* With a real engine (not started, so nothing runs): the request is
 * handed to it and answered as seed 002 says, 200 "sync started". */
static void
test_sync_with_engine (ApiFixture    *f,
                       gconstpointer  data)
{
  g_autofree char *key = api_fixture_new_key (f, "integrations.sync");
  g_autofree char *path = g_strdup_printf ("/integrations/%s/sync", f->integration_id);
  g_autoptr(ApiResponse) now = NULL;
  g_autoptr(ApiResponse) full = NULL;
  g_autoptr(ApiResponse) health = NULL;
  JsonObject *body;

  f->engine = cp_engine_new (f->ledger_path);
  api_fixture_start (f);

  now = api_request (f, "POST", path, key, NULL, 0);
  g_assert_cmpuint (now->status, ==, 200);
  body = json_object_get_object_member (now->root, "data");
  g_assert_cmpstr (json_object_get_string_member (body, "integration_id"), ==, f->integration_id);
  g_assert_cmpstr (json_object_get_string_member (body, "status"), ==, "sync_started");
  g_assert_false (json_object_get_boolean_member (body, "full"));

  full = api_request (f, "POST", path, key, "{\"full\": true}", 14);
  g_assert_cmpuint (full->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (full->root, "data"),
                                                 "full"));

  health = api_request (f, "GET", "/health", NULL, NULL, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (health->root, "data"),
                                                  "engine"), ==, "stopped");
}

static void
test_sync_paused (ApiFixture    *f,
                  gconstpointer  data)
{
  g_autofree char *key = api_fixture_new_key (f, "integrations.sync");
  g_autofree char *path = g_strdup_printf ("/integrations/%s/sync", f->integration_id);
  g_autoptr(ApiResponse) r = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_integrations_set_paused (f->ledger, f->integration_id, TRUE, &error));
  g_assert_no_error (error);
  api_fixture_start (f);

  r = api_request (f, "POST", path, key, "{\"full\": true}", 14);
  api_assert_error (r, 409, "conflict");
}

/* Sends until refused, at most 200 times; returns how many got through,
 * counting ALREADY sent before.
 * A token comes back every second, so how many pass depends on how fast
 * this machine is: at least the 60 of the bucket, at most one more per
 * second the loop took. */
static guint
send_until_429 (ApiFixture   *f,
                const char   *method,
                const char  **paths,
                const char  **keys,
                guint         n_keys,
                guint         already,
                ApiResponse **out_refused)
{
  gint64 start = g_get_monotonic_time ();
  double elapsed_s;
  guint ok = already;

  for (guint i = 0; i < 200; i++)
    {
      ApiResponse *r = api_request (f, method, paths[i % n_keys], keys[i % n_keys], NULL, 0);

      api_assert_rate_headers (r);
      if (r->status == 429)
        {
          *out_refused = r;
          break;
        }
      ok++;
      api_response_free (r);
    }

  elapsed_s = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("%u requests passed in %.1f s before a 429", ok, elapsed_s);
  g_assert_nonnull (*out_refused);
  g_assert_cmpuint (ok, >=, 60);
  g_assert_cmpfloat (ok, <=, 60 + elapsed_s + 1);
  return ok;
}

static void
assert_refused (ApiResponse *over)
{
  const char *retry_after;
  gint64 wait_s;

  api_assert_error (over, 429, "rate_limit_exceeded");
  g_assert_cmpint (api_assert_rate_headers (over), ==, 0);
  retry_after = soup_message_headers_get_one (over->headers, "Retry-After");
  g_assert_nonnull (retry_after);
  g_assert_true (g_ascii_string_to_signed (retry_after, 10, 1, 60, &wait_s, NULL));
}

static void
test_rate_limit_per_key (ApiFixture    *f,
                         gconstpointer  data)
{
  g_autofree char *key = api_fixture_new_key (f, "integrations.read");
  g_autofree char *other = api_fixture_new_key (f, "integrations.read");
  g_autoptr(ApiResponse) over = NULL;
  g_autoptr(ApiResponse) first = NULL;
  g_autoptr(ApiResponse) fresh = NULL;
  const char *paths[] = { "/integrations" };
  const char *keys[] = { key };

  api_fixture_start (f);

  /* Seed 003: 60 a minute; Remaining counts the first one. */
  first = api_request (f, "GET", "/integrations", key, NULL, 0);
  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpint (api_assert_rate_headers (first), ==, 59);

  send_until_429 (f, "GET", paths, keys, 1, 1, &over);
  assert_refused (over);

  /* The limit is the key's, not the server's. */
  fresh = api_request (f, "GET", "/integrations", other, NULL, 0);
  g_assert_cmpuint (fresh->status, ==, 200);
}

static void
test_rate_limit_per_store (ApiFixture    *f,
                           gconstpointer  data)
{
  g_autofree char *path = g_strdup_printf ("/integrations/%s/sync", f->integration_id);
  g_autoptr(ApiResponse) over = NULL;
  g_autoptr(ApiResponse) list = NULL;
  const char *paths[] = { path, path, path, path };
  char *keys[4];

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    keys[k] = api_fixture_new_key (f, "integrations.sync,integrations.read");
  api_fixture_start (f);

  /* Four keys, one store: about 15 each fill the store's minute (the
   * ones let through get 503, as there is no engine here), while each
   * key's own bucket stays far from empty. */
  send_until_429 (f, "POST", paths, (const char **) keys, 4, 0, &over);
  assert_refused (over);

  /* So the key itself still has room for other things. */
  list = api_request (f, "GET", "/integrations", keys[0], NULL, 0);
  g_assert_cmpuint (list->status, ==, 200);

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    cp_api_keys_secret_free (keys[k]);
}

static void
test_rate_limit_without_key (ApiFixture    *f,
                             gconstpointer  data)
{
  g_autoptr(ApiResponse) over = NULL;
  const char *paths[] = { "/integrations" };
  const char *keys[] = { "cpk_guess" };

  api_fixture_start (f);

  /* Guessing keys is limited by address like anything else. */
  send_until_429 (f, "GET", paths, keys, 1, 0, &over);
  assert_refused (over);
}

static void
test_revoked_key_is_401 (ApiFixture    *f,
                         gconstpointer  data)
{
  g_autofree char *key = api_fixture_new_key (f, "integrations.read");
  g_autofree char *id = g_strndup (key + strlen (CP_API_KEY_PREFIX), 12);
  g_autoptr(ApiResponse) before = NULL;
  g_autoptr(ApiResponse) after = NULL;
  g_autoptr(GError) error = NULL;

  api_fixture_start (f);
  before = api_request (f, "GET", "/integrations", key, NULL, 0);
  g_assert_cmpuint (before->status, ==, 200);

  /* Revoked from another connection (the CLI) while the server runs. */
  g_assert_true (cp_api_keys_revoke (f->ledger, id, &error));
  g_assert_no_error (error);
  after = api_request (f, "GET", "/integrations", key, NULL, 0);
  api_assert_error (after, 401, "authentication_error");
}

static void
test_use_is_recorded (ApiFixture    *f,
                      gconstpointer  data)
{
  g_autofree char *key = api_fixture_new_key (f, "integrations.read");
  g_autofree char *id = g_strndup (key + strlen (CP_API_KEY_PREFIX), 12);
  g_autoptr(ApiResponse) r = NULL;
  g_autoptr(CpApiKey) row = NULL;

  api_fixture_start (f);
  r = api_request (f, "GET", "/integrations", key, NULL, 0);
  g_assert_cmpuint (r->status, ==, 200);
  row = cp_api_keys_get (f->ledger, id, NULL);
  g_assert_cmpint (row->last_used_at, >, 0);
}

/* Every kind of refusal, then the ledger compared: same rows, same
 * key use times, and no commit by the server's connection at all. */
static void
test_rejected_requests_write_nothing (ApiFixture    *f,
                                      gconstpointer  data)
{
  g_autofree char *reader = api_fixture_new_key (f, "integrations.read");
  g_autofree char *syncer = api_fixture_new_key (f, "integrations.sync");
  g_autofree char *path = g_strdup_printf ("/integrations/%s/sync", f->integration_id);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *big = g_malloc0 (2 * 1024 * 1024);
  g_autofree char *deep = NULL;

  memset (big, ' ', 2 * 1024 * 1024);
  deep = g_strnfill (1000, '[');

  api_fixture_start (f);
  before = api_ledger_fingerprint (f);

  {
    g_autoptr(ApiResponse) r1 = api_request (f, "POST", path, NULL, "{}", 2);
    g_autoptr(ApiResponse) r2 = api_request (f, "POST", path, reader, "{\"full\": true}", 14);
    g_autoptr(ApiResponse) r3 = api_request (f, "POST", path, syncer, big, 2 * 1024 * 1024);
    g_autoptr(ApiResponse) r4 = api_request (f, "POST", path, syncer, deep, strlen (deep));
    g_autoptr(ApiResponse) r5 = api_request (f, "POST", "/integrations/nope/sync", syncer, NULL, 0);
    g_autoptr(ApiResponse) r6 = api_request (f, "DELETE", "/integrations", reader, NULL, 0);

    api_assert_error (r1, 401, "authentication_error");
    api_assert_error (r2, 403, "authorization_error");
    api_assert_error (r3, 413, "payload_too_large");
    api_assert_error (r4, 400, "validation_error");
    api_assert_error (r5, 404, "not_found");
    api_assert_error (r6, 405, "method_not_allowed");
  }
  for (guint i = 0; i < 70; i++)
    {
      g_autoptr(ApiResponse) r = api_request (f, "POST", path, syncer, "{}", 2);

      g_assert_true (r->status == 503 || r->status == 429);
    }

  after = api_ledger_fingerprint (f);
  g_assert_cmpstr (after, ==, before);
}

static void
test_lan_needs_tls (ApiFixture    *f,
                    gconstpointer  data)
{
  g_autoptr(CpApiServer) server = cp_api_server_new (f->ledger_path, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  guint16 port;
  gboolean loopback;

  g_assert_false (cp_api_server_listen (server, "0.0.0.0:0", &error));
  g_assert_error (error, CP_API_SERVER_ERROR, CP_API_SERVER_ERROR_INSECURE);
  g_assert_nonnull (strstr (error->message, "TLS"));
  g_clear_error (&error);

  g_assert_false (cp_api_server_listen (server, "192.168.1.20:8787", &error));
  g_assert_error (error, CP_API_SERVER_ERROR, CP_API_SERVER_ERROR_INSECURE);
  g_clear_error (&error);

  g_assert_false (cp_api_server_listen (server, "8787", &error));
  g_assert_error (error, CP_API_SERVER_ERROR, CP_API_SERVER_ERROR_ADDRESS);
  g_clear_error (&error);
  g_assert_false (cp_api_server_listen (server, "shop.example:8787", &error));
  g_assert_error (error, CP_API_SERVER_ERROR, CP_API_SERVER_ERROR_ADDRESS);
  g_clear_error (&error);

  g_assert_true (cp_api_server_parse_address ("[::1]:8787", &host, &port, &loopback, &error));
  g_assert_cmpstr (host, ==, "::1");
  g_assert_cmpuint (port, ==, 8787);
  g_assert_true (loopback);
  g_clear_pointer (&host, g_free);
  g_assert_true (cp_api_server_parse_address ("localhost:1", &host, &port, &loopback, &error));
  g_assert_cmpstr (host, ==, "127.0.0.1");
  g_assert_true (loopback);
  g_clear_pointer (&host, g_free);
  g_assert_true (cp_api_server_parse_address (NULL, &host, &port, &loopback, &error));
  g_assert_cmpstr (host, ==, "127.0.0.1");
  g_assert_cmpuint (port, ==, 8787);
}

/* A throwaway self-signed certificate for 127.0.0.1, valid to 2126. */
static const char test_certificate[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBmzCCAUGgAwIBAgIUXKC2hqPN+2bYxVQ4NSHSxwpXstMwCgYIKoZIzj0EAwIw\n"
  "FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMzExNDMyM1oYDzIxMjYxMDMw\n"
  "MTE0MzIzWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO\n"
  "PQMBBwNCAAQCAT4hlYSk/aEvLfXwcgStAxTXyKgczMbB7o7k791Xu1hhBxfus+2u\n"
  "0qiy45MJ3uonvxXANVt7mLPv3glhBmlpo28wbTAdBgNVHQ4EFgQUsHW/WWbosGUw\n"
  "Iyxt6HCNgO5mmxMwHwYDVR0jBBgwFoAUsHW/WWbosGUwIyxt6HCNgO5mmxMwDwYD\n"
  "VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI\n"
  "zj0EAwIDSAAwRQIgW57bTl5hGqwHIqCkZut7LFge8RPXvToMG92qJMGSfqICIQC7\n"
  "K3XHMOWHnlIH27f6d3gHDShB5As2ljcZwVZZr2CKUA==\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgimQO2HXGIHKKbJgq\n"
  "0yMTOBLdjwWw9J0Ks50GsgZ10cChRANCAAQCAT4hlYSk/aEvLfXwcgStAxTXyKgc\n"
  "zMbB7o7k791Xu1hhBxfus+2u0qiy45MJ3uonvxXANVt7mLPv3glhBmlp\n"
  "-----END PRIVATE KEY-----\n";

static void
check_tls (ApiFixture *f)
{
  g_autofree char *key = api_fixture_new_key (f, "integrations.read");
  g_autoptr(ApiResponse) health = NULL;
  g_autoptr(ApiResponse) list = NULL;
  g_autoptr(ApiResponse) big = NULL;
  g_autofree char *body = g_malloc (3 * 1024 * 1024);

  f->tls_certificate = test_certificate;
  api_fixture_start (f);
  g_assert_true (g_str_has_prefix (f->base_url, "https://127.0.0.1:"));

  health = api_request (f, "GET", "/health", NULL, NULL, 0);
  g_assert_cmpuint (health->status, ==, 200);
  list = api_request (f, "GET", "/integrations", key, NULL, 0);
  g_assert_cmpuint (list->status, ==, 200);

  /* A body refused before it is read is answered over TLS as well. */
  memset (body, ' ', 3 * 1024 * 1024);
  big = api_request (f, "POST", "/integrations/x/sync", key, body, 3 * 1024 * 1024);
  g_assert_cmpuint (big->status, ==, 403);
}

static void
test_tls (ApiFixture    *f,
          gconstpointer  data)
{
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
        g_error ("CP_TEST_HARNESS=1 but GIO has no TLS backend (install glib-networking)");
      g_test_skip ("GIO has no TLS backend (glib-networking)");
      return;
    }

#if defined(__SANITIZE_ADDRESS__)
  /* LeakSanitizer's scan at exit crashes ("Tracer caught signal 11") on
   * the thread-local storage of glib-networking's module in the threads
   * it leaves behind (GCC 12, glibc 2.36). So under ASan the TLS checks
   * run in a child that leaves without that scan, once they passed and
   * everything is torn down; ASan still watches every access. */
  if (g_test_subprocess ())
    {
      check_tls (f);
      api_fixture_tear_down (f, data);
      fflush (stdout);
      _exit (0);
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
#else
  check_tls (f);
#endif
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  TEST ("health", test_health_needs_no_key);
  TEST ("no-key", test_no_key_is_401);
  TEST ("wrong-scope", test_wrong_scope_is_403);
  TEST ("integrations", test_integrations_list);
  TEST ("sync", test_sync);
  TEST ("sync-engine", test_sync_with_engine);
  TEST ("sync-paused", test_sync_paused);
  TEST ("rate-limit/key", test_rate_limit_per_key);
  TEST ("rate-limit/store", test_rate_limit_per_store);
  TEST ("rate-limit/no-key", test_rate_limit_without_key);
  TEST ("revoked-key", test_revoked_key_is_401);
  TEST ("use-recorded", test_use_is_recorded);
  TEST ("rejected-write-nothing", test_rejected_requests_write_nothing);
  TEST ("lan-needs-tls", test_lan_needs_tls);
  TEST ("tls", test_tls);

  return g_test_run ();
}
