/* test-sandbox-faults.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fault specs, seeded decisions, and every fault as a client sees it over
 * real HTTP: a status, a dropped connection, a short body, bad JSON, delay.
 */

#include "config.h"

#include <string.h>

#include "sandbox-test-util.h"

typedef SandboxFixture Fixture;

static void
test_spec_parse (void)
{
  CpSandboxFaultSpec spec;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (cp_sandbox_fault_spec_parse ("5xx=0.1,429=0.05,reset=0.02,truncate=0.01,"
                                              "malformed=1%,latency=50ms,spike=0.01:2s,seed=42",
                                              &spec, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (spec.p_5xx, ==, 100000);
  g_assert_cmpuint (spec.p_429, ==, 50000);
  g_assert_cmpuint (spec.p_reset, ==, 20000);
  g_assert_cmpuint (spec.p_truncate, ==, 10000);
  g_assert_cmpuint (spec.p_malformed, ==, 10000);
  g_assert_cmpuint (spec.latency_ms, ==, 50);
  g_assert_cmpuint (spec.p_spike, ==, 10000);
  g_assert_cmpuint (spec.spike_ms, ==, 2000);
  g_assert_true (spec.has_seed);
  g_assert_cmpuint (spec.seed, ==, 42);

  text = cp_sandbox_fault_spec_to_string (&spec);
  g_assert_cmpstr (text, ==, "5xx=0.1,429=0.05,reset=0.02,truncate=0.01,malformed=0.01,"
                             "latency=50ms,spike=0.01:2000ms,seed=42");
  {
    CpSandboxFaultSpec again;

    g_assert_true (cp_sandbox_fault_spec_parse (text, &again, NULL));
    g_assert_cmpmem (&spec, sizeof spec, &again, sizeof again);
  }

  g_assert_true (cp_sandbox_fault_spec_parse ("none", &spec, NULL));
  g_assert_cmpuint (spec.p_5xx + spec.p_429 + spec.p_reset + spec.latency_ms, ==, 0);
  g_assert_true (cp_sandbox_fault_spec_parse ("", &spec, NULL));
}

static void
test_spec_errors (void)
{
  const struct { const char *spec; const char *names; } bad[] = {
    { "5xx=2", "5xx=2" },
    { "5xx=-0.1", "5xx=-0.1" },
    { "bogus=0.1", "bogus=0.1" },
    { "latency=fast", "latency=fast" },
    { "latency=5m", "latency=5m" },
    { "spike=0.1", "spike=0.1" },
    { "reset", "reset" },
    { "seed=abc", "seed=abc" },
    { "5xx=0.6,429=0.6", "more than 1" },
    { "5xx=0.1,,truncate=x", "truncate=x" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      CpSandboxFaultSpec spec;
      g_autoptr(GError) error = NULL;

      g_assert_false (cp_sandbox_fault_spec_parse (bad[i].spec, &spec, &error));
      g_assert_error (error, CP_SANDBOX_FAULTS_ERROR, CP_SANDBOX_FAULTS_ERROR_SPEC);
      /* the message names the part to fix */
      g_assert_nonnull (strstr (error->message, bad[i].names));
    }
}

static void
draw (const char *spec_text,
      guint       n,
      guint      *counts,
      GString    *sequence)
{
  g_autoptr(CpSandboxFaults) faults = cp_sandbox_faults_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_sandbox_faults_set_from_string (faults, spec_text, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      CpSandboxFaultDecision d = cp_sandbox_faults_decide (faults);

      counts[d.fault]++;
      g_string_append_printf (sequence, "%d/%u ", d.fault, d.delay_ms);
    }
}

static void
test_deterministic (void)
{
  const char *spec = "5xx=0.1,429=0.05,reset=0.02,truncate=0.01,malformed=0.01,spike=0.1:100ms,seed=7";
  guint a[CP_SANDBOX_FAULT_MALFORMED + 1] = { 0 }, b[CP_SANDBOX_FAULT_MALFORMED + 1] = { 0 };
  guint c[CP_SANDBOX_FAULT_MALFORMED + 1] = { 0 };
  g_autoptr(GString) seq_a = g_string_new (NULL);
  g_autoptr(GString) seq_b = g_string_new (NULL);
  g_autoptr(GString) seq_c = g_string_new (NULL);

  draw (spec, 20000, a, seq_a);
  draw (spec, 20000, b, seq_b);
  g_assert_cmpstr (seq_a->str, ==, seq_b->str);

  /* another seed, another sequence */
  draw ("5xx=0.1,429=0.05,reset=0.02,truncate=0.01,malformed=0.01,spike=0.1:100ms,seed=8", 20000, c, seq_c);
  g_assert_cmpstr (seq_a->str, !=, seq_c->str);

  /* and the rates are the ones asked for, within a few standard deviations */
  g_assert_cmpuint (a[CP_SANDBOX_FAULT_5XX], >, 1800);
  g_assert_cmpuint (a[CP_SANDBOX_FAULT_5XX], <, 2200);
  g_assert_cmpuint (a[CP_SANDBOX_FAULT_429], >, 850);
  g_assert_cmpuint (a[CP_SANDBOX_FAULT_429], <, 1150);
  g_assert_cmpuint (a[CP_SANDBOX_FAULT_RESET], >, 300);
  g_assert_cmpuint (a[CP_SANDBOX_FAULT_RESET], <, 500);
  g_assert_cmpuint (a[CP_SANDBOX_FAULT_TRUNCATE], >, 120);
  g_assert_cmpuint (a[CP_SANDBOX_FAULT_TRUNCATE], <, 280);
  g_assert_cmpuint (a[CP_SANDBOX_FAULT_MALFORMED], >, 120);
  g_assert_cmpuint (a[CP_SANDBOX_FAULT_MALFORMED], <, 280);

  /* no spec, no faults */
  {
    guint none[CP_SANDBOX_FAULT_MALFORMED + 1] = { 0 };
    g_autoptr(GString) seq = g_string_new (NULL);

    draw ("none", 5000, none, seq);
    g_assert_cmpuint (none[CP_SANDBOX_FAULT_NONE], ==, 5000);
  }
}

static guint
adjust_once (Fixture  *f,
             const char *note,
             GBytes  **out_body,
             GError  **error)
{
  g_autofree char *body = g_strdup_printf ("{\"quantity\":1,\"reason\":\"received\",\"note\":\"%s\"}", note);
  g_autoptr(SoupMessage) msg = sandbox_request (f, "POST", "/inventory/EC-00001/adjust",
                                                CP_SANDBOX_ECOMV2_DEFAULT_KEY, body, NULL,
                                                out_body, error);

  return soup_message_get_status (msg);
}

static void
test_http_5xx_and_429 (Fixture       *f,
                       gconstpointer  data)
{
  CpSandboxFaults *faults = cp_sandbox_server_get_faults (f->server);
  gint64 before = cp_sandbox_ecomv2_get_available (f->ecomv2, "EC-00001", "wh_001");
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_sandbox_faults_set_from_string (faults, "retry_after=7", &error));
  cp_sandbox_faults_force (faults, CP_SANDBOX_FAULT_5XX, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonNode) json = NULL;
      guint status = sandbox_call (f, "POST", "/inventory/EC-00001/adjust",
                                   "{\"quantity\":1,\"reason\":\"received\"}", &json, NULL);

      g_assert_true (status == 500 || status == 503);
      g_assert_cmpstr (sandbox_assert_error (json), ==, "server_error");
    }
  /* neither reached the platform */
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->ecomv2, "EC-00001", "wh_001"), ==, before);

  cp_sandbox_faults_force (faults, CP_SANDBOX_FAULT_429, 1);
  {
    g_autoptr(JsonNode) json = NULL;
    g_autoptr(SoupMessageHeaders) headers = NULL;

    g_assert_cmpuint (sandbox_call (f, "GET", "/products", NULL, &json, &headers), ==, 429);
    g_assert_cmpstr (sandbox_assert_error (json), ==, "rate_limit_exceeded");
    g_assert_cmpstr (soup_message_headers_get_one (headers, "Retry-After"), ==, "7");
  }
  /* and the next request is fine again */
  g_assert_cmpuint (sandbox_call (f, "GET", "/products", NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (cp_sandbox_server_get_fault_count (f->server, CP_SANDBOX_FAULT_5XX), ==, 2);
  g_assert_cmpuint (cp_sandbox_server_get_fault_count (f->server, CP_SANDBOX_FAULT_429), ==, 1);
}

static void
test_http_reset (Fixture       *f,
                 gconstpointer  data)
{
  CpSandboxFaults *faults = cp_sandbox_server_get_faults (f->server);
  gint64 before = cp_sandbox_ecomv2_get_available (f->ecomv2, "EC-00001", "wh_001");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  cp_sandbox_faults_force (faults, CP_SANDBOX_FAULT_RESET, 1);
  adjust_once (f, "reset-1", &body, &error);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_assert_null (body);

  /* The change was applied before the connection dropped: exactly the
   * case a client must not blindly repeat. */
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->ecomv2, "EC-00001", "wh_001"), ==, before + 1);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "inventory.adjust:reset-1"), ==, 1);
  g_assert_cmpuint (cp_sandbox_server_get_fault_count (f->server, CP_SANDBOX_FAULT_RESET), ==, 1);

  /* the server keeps serving */
  g_assert_cmpuint (sandbox_call (f, "GET", "/products/EC-00001", NULL, NULL, NULL), ==, 200);
}

static void
test_http_truncate (Fixture       *f,
                    gconstpointer  data)
{
  CpSandboxFaults *faults = cp_sandbox_server_get_faults (f->server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  cp_sandbox_faults_force (faults, CP_SANDBOX_FAULT_TRUNCATE, 1);
  msg = sandbox_request (f, "GET", "/products?limit=20", CP_SANDBOX_ECOMV2_DEFAULT_KEY,
                         NULL, NULL, &body, &error);
  /* Either the read fails, or what arrived is shorter than promised and
   * not a whole document; both are what a connector must survive. */
  if (error == NULL)
    {
      const char *length = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                          "Content-Length");

      g_assert_nonnull (length);
      g_assert_cmpuint (g_bytes_get_size (body), <, g_ascii_strtoull (length, NULL, 10));
    }
  else
    g_assert_true (error->domain == G_IO_ERROR);
  g_assert_cmpuint (sandbox_call (f, "GET", "/products?limit=1", NULL, NULL, NULL), ==, 200);
}

static void
test_http_malformed (Fixture       *f,
                     gconstpointer  data)
{
  CpSandboxFaults *faults = cp_sandbox_server_get_faults (f->server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  cp_sandbox_faults_force (faults, CP_SANDBOX_FAULT_MALFORMED, 1);
  msg = sandbox_request (f, "GET", "/products?limit=5", CP_SANDBOX_ECOMV2_DEFAULT_KEY,
                         NULL, NULL, &body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpuint (g_bytes_get_size (body), >, 0);
  g_assert_false (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                              g_bytes_get_size (body), NULL));
}

static void
test_http_latency (Fixture       *f,
                   gconstpointer  data)
{
  CpSandboxFaults *faults = cp_sandbox_server_get_faults (f->server);
  g_autoptr(GError) error = NULL;
  gint64 start;

  g_assert_true (cp_sandbox_faults_set_from_string (faults, "latency=300ms", &error));
  start = g_get_monotonic_time ();
  g_assert_cmpuint (sandbox_call (f, "GET", "/products/EC-00002", NULL, NULL, NULL), ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);

  /* latency combines with a fault */
  cp_sandbox_faults_force (faults, CP_SANDBOX_FAULT_RESET, 1);
  {
    g_autoptr(GBytes) body = NULL;

    start = g_get_monotonic_time ();
    adjust_once (f, "slow-reset", &body, &error);
    g_assert_nonnull (error);
    g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
    g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "inventory.adjust:slow-reset"), ==, 1);
  }

  g_assert_true (cp_sandbox_faults_set_from_string (faults, "none", NULL));
  start = g_get_monotonic_time ();
  g_assert_cmpuint (sandbox_call (f, "GET", "/products/EC-00002", NULL, NULL, NULL), ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 250 * 1000);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  GError **out_error = data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, out_error);

  if (*out_error == NULL)
    g_set_error_literal (out_error, G_IO_ERROR, G_IO_ERROR_FAILED, "answered anyway");
}

/* Stopping the server while a request is held back by latency drops it
 * cleanly: the client gets an error, nothing crashes, the thread ends. */
static void
test_http_stop_while_delayed (Fixture       *f,
                              gconstpointer  data)
{
  CpSandboxFaults *faults = cp_sandbox_server_get_faults (f->server);
  g_autofree char *url = g_strconcat (f->base, "/products", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_assert_true (cp_sandbox_faults_set_from_string (faults, "latency=30s", NULL));
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " CP_SANDBOX_ECOMV2_DEFAULT_KEY);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &error);
  while (cp_sandbox_server_get_request_count (f->server, NULL) == 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (cp_sandbox_server_get_request_count (f->server, NULL), ==, 1);

  cp_sandbox_server_stop (f->server);
  g_assert_false (cp_sandbox_server_is_running (f->server));
  while (error == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED));
}

static void
test_http_seeded_mix (Fixture       *f,
                      gconstpointer  data)
{
  CpSandboxFaults *faults = cp_sandbox_server_get_faults (f->server);
  g_autoptr(GString) first = g_string_new (NULL);

  /* The same seed twice over HTTP gives the same outcomes in order. */
  for (int run = 0; run < 2; run++)
    {
      g_autoptr(GString) outcomes = g_string_new (NULL);

      g_assert_true (cp_sandbox_faults_set_from_string (faults, "5xx=0.2,429=0.1,reset=0.1,malformed=0.1,seed=3", NULL));
      for (guint i = 0; i < 40; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GBytes) body = NULL;
          g_autoptr(SoupMessage) msg = sandbox_request (f, "GET", "/products/EC-00003",
                                                        CP_SANDBOX_ECOMV2_DEFAULT_KEY, NULL, NULL,
                                                        &body, &error);

          g_string_append_printf (outcomes, "%u ", error ? 0 : soup_message_get_status (msg));
        }
      if (run == 0)
        g_string_assign (first, outcomes->str);
      else
        g_assert_cmpstr (first->str, ==, outcomes->str);
    }
  g_assert_nonnull (strstr (first->str, "200"));
  g_assert_nonnull (strstr (first->str, " 0 "));
  /* libsoup resends a GET once when a kept-alive connection drops before
   * any response, so a reset can count twice on the server. */
  g_assert_cmpuint (cp_sandbox_server_get_request_count (f->server, "ecomv2 GET /products/{id}"), >=, 80);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox/faults/spec-parse", test_spec_parse);
  g_test_add_func ("/sandbox/faults/spec-errors", test_spec_errors);
  g_test_add_func ("/sandbox/faults/deterministic", test_deterministic);

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, sandbox_fixture_setup, fn, sandbox_fixture_teardown)

  ADD ("/sandbox/faults/http/5xx-and-429", test_http_5xx_and_429);
  ADD ("/sandbox/faults/http/reset", test_http_reset);
  ADD ("/sandbox/faults/http/truncate", test_http_truncate);
  ADD ("/sandbox/faults/http/malformed", test_http_malformed);
  ADD ("/sandbox/faults/http/latency", test_http_latency);
  ADD ("/sandbox/faults/http/seeded-mix", test_http_seeded_mix);
  ADD ("/sandbox/faults/http/stop-while-delayed", test_http_stop_while_delayed);

  return g_test_run ();
}
