/* test-connector.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The connector interface's own parts: the classified error and what it
 * carries, the push context, the wrappers' contract and the platform
 * registry.
 */

#include "config.h"

#include "cp-connector.h"

/* ---- A connector that does nearly nothing ---------------------------- */

#define TEST_TYPE_CONNECTOR (test_connector_get_type ())
G_DECLARE_FINAL_TYPE (TestConnector, test_connector, TEST, CONNECTOR, GObject)

struct _TestConnector
{
  GObject        parent_instance;
  char          *integration_id;
  CpRateLimiter *limiter;
  gboolean       break_contract;
};

static void test_connector_iface_init (CpConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestConnector, test_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CP_TYPE_CONNECTOR,
                                                      test_connector_iface_init))

static CpConnectorCaps
test_connector_get_capabilities (CpConnector *connector)
{
  return CP_CONNECTOR_CAP_PUSH_STOCK | CP_CONNECTOR_CAP_PULL_ORDERS;
}

static guint
test_connector_get_batch_size (CpConnector *connector,
                               const char  *job_kind)
{
  /* 0 for everything but stock: the wrapper must turn it into 1. */
  return g_str_equal (job_kind, CP_JOB_STOCK_PUSH) ? 50 : 0;
}

static gboolean
test_connector_push (CpConnector   *connector,
                     CpLedger      *ledger,
                     CpPushContext *context,
                     const char    *job_kind,
                     GPtrArray     *jobs,
                     GPtrArray     *out_errors,
                     GCancellable  *cancellable,
                     GError       **error)
{
  TestConnector *self = TEST_CONNECTOR (connector);

  if (!cp_push_context_will_send (context, jobs, "fingerprint", error))
    return FALSE;
  if (self->break_contract)
    {
      /* Leaves an entry behind and fails: the wrapper must empty it. */
      g_ptr_array_add (out_errors, NULL);
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_TRANSIENT, 0, NULL, "reset");
      return FALSE;
    }
  for (guint i = 0; i < jobs->len; i++)
    g_ptr_array_add (out_errors, NULL);
  return TRUE;
}

static CpRateLimiter *
test_connector_get_rate_limiter (CpConnector *connector)
{
  return TEST_CONNECTOR (connector)->limiter;
}

static void
test_connector_iface_init (CpConnectorInterface *iface)
{
  iface->get_capabilities = test_connector_get_capabilities;
  iface->get_batch_size = test_connector_get_batch_size;
  iface->push = test_connector_push;
  iface->get_rate_limiter = test_connector_get_rate_limiter;
}

static void
test_connector_finalize (GObject *object)
{
  TestConnector *self = TEST_CONNECTOR (object);

  g_free (self->integration_id);
  g_clear_object (&self->limiter);
  G_OBJECT_CLASS (test_connector_parent_class)->finalize (object);
}

static void
test_connector_class_init (TestConnectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_connector_finalize;
}

static void
test_connector_init (TestConnector *self)
{
  self->limiter = cp_rate_limiter_new_default (0);
}

static CpConnector *
test_factory (const char  *integration_id,
              const char  *base_url,
              const char  *credentials_json,
              GError     **error)
{
  TestConnector *self;

  if (credentials_json == NULL)
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL,
                              "no credentials");
      return NULL;
    }
  self = g_object_new (TEST_TYPE_CONNECTOR, NULL);
  self->integration_id = g_strdup (integration_id);
  return CP_CONNECTOR (self);
}

static const char * const test_fields[] = { "api_key", NULL };

static const CpPlatformInfo test_platform = {
  .platform = "test-platform",
  .display_name = "Test platform",
  .capabilities = CP_CONNECTOR_CAP_PUSH_STOCK,
  .credential_fields = test_fields,
  .factory = test_factory,
};

static const CpPlatformInfo other_platform = {
  .platform = "other-platform",
  .display_name = "Other platform",
  .capabilities = CP_CONNECTOR_CAP_NONE,
  .credential_fields = test_fields,
  .factory = test_factory,
};

/* ---- The error --------------------------------------------------------- */

static void
test_error_carries_wait_and_exchange (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;

  cp_connector_set_error (&error, CP_CONNECTOR_ERROR_RATE_LIMITED,
                          30 * G_USEC_PER_SEC, "{\"request\":{}}",
                          "Slow down for %d s", 30);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_RATE_LIMITED);
  g_assert_cmpstr (error->message, ==, "Slow down for 30 s");
  g_assert_cmpint (cp_connector_error_get_wait_us (error), ==, 30 * G_USEC_PER_SEC);
  g_assert_cmpstr (cp_connector_error_get_exchange (error), ==, "{\"request\":{}}");

  /* The engine copies errors into job results: the extras must follow. */
  copy = g_error_copy (error);
  g_clear_error (&error);
  g_assert_cmpint (cp_connector_error_get_wait_us (copy), ==, 30 * G_USEC_PER_SEC);
  g_assert_cmpstr (cp_connector_error_get_exchange (copy), ==, "{\"request\":{}}");

  cp_connector_error_set_exchange (copy, "{\"response\":{}}");
  g_assert_cmpstr (cp_connector_error_get_exchange (copy), ==, "{\"response\":{}}");
  cp_connector_error_set_exchange (copy, NULL);
  g_assert_null (cp_connector_error_get_exchange (copy));
}

static void
test_error_propagates (void)
{
  g_autoptr(GError) error = NULL;
  GError *inner = NULL;

  cp_connector_set_error (&inner, CP_CONNECTOR_ERROR_TRANSIENT, -5, NULL, "reset");
  /* A negative wait is no wait. */
  g_assert_cmpint (cp_connector_error_get_wait_us (inner), ==, 0);
  g_assert_null (cp_connector_error_get_exchange (inner));
  g_propagate_prefixed_error (&error, inner, "Pushing: ");
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_TRANSIENT);
  g_assert_cmpstr (error->message, ==, "Pushing: reset");

  /* A NULL error location is allowed, as with g_set_error. */
  cp_connector_set_error (NULL, CP_CONNECTOR_ERROR_AUTH, 0, NULL, "ignored");
}

static void
test_error_other_domain (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "disk");

  g_assert_cmpint (cp_connector_error_get_wait_us (error), ==, 0);
  g_assert_null (cp_connector_error_get_exchange (error));
  cp_connector_error_set_exchange (error, "{}"); /* ignored, no crash */
  g_assert_cmpstr (cp_connector_error_kind_to_string (error), ==, "internal");
  g_assert_false (cp_connector_error_is_retryable (error));
  g_assert_cmpstr (cp_connector_error_kind_to_string (NULL), ==, "internal");
  g_assert_false (cp_connector_error_is_retryable (NULL));
  g_assert_cmpint (cp_connector_error_get_wait_us (NULL), ==, 0);
}

static void
test_error_kinds (void)
{
  static const struct
  {
    CpConnectorError code;
    const char *kind;
    gboolean retryable;
  } cases[] = {
    { CP_CONNECTOR_ERROR_AUTH, "auth", FALSE },
    { CP_CONNECTOR_ERROR_PERMISSION, "permission", FALSE },
    { CP_CONNECTOR_ERROR_RATE_LIMITED, "rate_limited", TRUE },
    { CP_CONNECTOR_ERROR_TRANSIENT, "transient", TRUE },
    { CP_CONNECTOR_ERROR_INVALID_DATA, "invalid_data", FALSE },
    { CP_CONNECTOR_ERROR_REMOTE_BUG, "remote_bug", TRUE },
    { CP_CONNECTOR_ERROR_NOT_FOUND, "not_found", FALSE },
    { CP_CONNECTOR_ERROR_CONFIG, "config", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (CP_CONNECTOR_ERROR, cases[i].code, "x");

      g_assert_cmpstr (cp_connector_error_kind_to_string (error), ==, cases[i].kind);
      g_assert_cmpint (cp_connector_error_is_retryable (error), ==, cases[i].retryable);
    }

  {
    g_autoptr(GError) error = g_error_new_literal (CP_CONNECTOR_ERROR, 999, "x");
    g_assert_cmpstr (cp_connector_error_kind_to_string (error), ==, "internal");
    g_assert_false (cp_connector_error_is_retryable (error));
  }
}

/* ---- The push context and the wrappers --------------------------------- */

/* out_errors holds NULL for each success. */
static void
error_free0 (gpointer error)
{
  if (error != NULL)
    g_error_free (error);
}

typedef struct
{
  guint     calls;
  gboolean  refuse;
  char     *fingerprint;
  guint     jobs;
} WillSend;

static gboolean
will_send_cb (GPtrArray   *jobs,
              const char  *fingerprint,
              gpointer     user_data,
              GError     **error)
{
  WillSend *ws = user_data;

  ws->calls++;
  ws->jobs = jobs->len;
  g_free (ws->fingerprint);
  ws->fingerprint = g_strdup (fingerprint);
  if (ws->refuse)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk full");
      return FALSE;
    }
  return TRUE;
}

static void
test_push_context (void)
{
  WillSend ws = { 0 };
  g_autoptr(CpPushContext) context = cp_push_context_new (will_send_cb, &ws);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  CpOutboxJob job = { .id = 1 };

  g_ptr_array_add (jobs, &job);
  g_assert_true (cp_push_context_will_send (context, jobs, "abc", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ws.calls, ==, 1);
  g_assert_cmpuint (ws.jobs, ==, 1);
  g_assert_cmpstr (ws.fingerprint, ==, "abc");

  ws.refuse = TRUE;
  g_assert_false (cp_push_context_will_send (context, jobs, "def", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (ws.calls, ==, 2);
  g_free (ws.fingerprint);
}

/* Several requests announced at once: with the engine's will_send_many
 * in one call, else one will_send per request, in order, the jobs of a
 * request together; a refusal stops the rest. */
typedef struct
{
  guint calls;
  guint jobs;
} WillSendMany;

static gboolean
will_send_many_cb (GPtrArray           *jobs,
                   const char * const  *fingerprints,
                   gpointer             user_data,
                   GError             **error)
{
  WillSendMany *many = user_data;

  many->calls++;
  many->jobs += jobs->len;
  g_assert_cmpstr (fingerprints[0], ==, "one");
  g_assert_cmpstr (fingerprints[jobs->len - 1], ==, "two");
  return TRUE;
}

static void
test_push_context_many (void)
{
  WillSend ws = { 0 };
  g_autoptr(CpPushContext) context = cp_push_context_new (will_send_cb, &ws);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *fingerprints[] = { "one", "one", "two" };
  CpOutboxJob a = { .id = 1 }, b = { .id = 2 }, c = { .id = 3 };
  WillSendMany many = { 0 };

  g_ptr_array_add (jobs, &a);
  g_ptr_array_add (jobs, &b);
  g_ptr_array_add (jobs, &c);
  g_assert_true (cp_push_context_will_send_many (context, jobs, fingerprints, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ws.calls, ==, 2);
  g_assert_cmpuint (ws.jobs, ==, 1);
  g_assert_cmpstr (ws.fingerprint, ==, "two");

  ws.refuse = TRUE;
  g_assert_false (cp_push_context_will_send_many (context, jobs, fingerprints, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  g_assert_cmpuint (ws.calls, ==, 3);

  {
    g_autoptr(CpPushContext) with_many = cp_push_context_new (will_send_cb, &many);

    cp_push_context_set_will_send_many (with_many, will_send_many_cb);
    g_assert_true (cp_push_context_will_send_many (with_many, jobs, fingerprints, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (many.calls, ==, 1);
    g_assert_cmpuint (many.jobs, ==, 3);
  }
  g_free (ws.fingerprint);
}

static void
test_wrappers (void)
{
  g_autoptr(CpConnector) connector = test_factory ("i1", "http://127.0.0.1/v2", "{}", NULL);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new ();
  g_autoptr(GPtrArray) out_errors = g_ptr_array_new_with_free_func (error_free0);
  g_autoptr(GError) error = NULL;
  g_autofree char *account = (char *) 0x1;
  g_autofree char *cursor = NULL;
  WillSend ws = { 0 };
  g_autoptr(CpPushContext) context = cp_push_context_new (will_send_cb, &ws);
  CpOutboxJob a = { .id = 1 }, b = { .id = 2 };
  CpLedger *fake_ledger = (CpLedger *) 0x1; /* never dereferenced by the test connector */
  gboolean ok;

  g_assert_cmpint (cp_connector_get_capabilities (connector), ==,
                   CP_CONNECTOR_CAP_PUSH_STOCK | CP_CONNECTOR_CAP_PULL_ORDERS);
  g_assert_cmpuint (cp_connector_get_batch_size (connector, CP_JOB_STOCK_PUSH), ==, 50);
  g_assert_cmpuint (cp_connector_get_batch_size (connector, CP_JOB_PRODUCT_PUSH), ==, 1);
  g_assert_cmpuint (cp_connector_get_batches_per_push (connector, CP_JOB_STOCK_PUSH), ==, 1);
  g_assert_nonnull (cp_connector_get_rate_limiter (connector));

  /* Missing operations are CONFIG errors, not crashes; outputs are reset. */
  g_assert_false (cp_connector_test (connector, &account, NULL, &error));
  g_assert_null (account);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_CONFIG);
  g_clear_error (&error);
  g_assert_null (cp_connector_refresh_mappings (connector, fake_ledger, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_CONFIG);
  g_clear_error (&error);

  g_ptr_array_add (jobs, &a);
  g_ptr_array_add (jobs, &b);
  ok = cp_connector_push (connector, fake_ledger, context, CP_JOB_STOCK_PUSH,
                          jobs, out_errors, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (out_errors->len, ==, 2);
  g_assert_cmpuint (ws.calls, ==, 1);

  /* A whole-request failure leaves out_errors empty, even when the
   * connector forgot to. */
  g_ptr_array_set_size (out_errors, 0);
  TEST_CONNECTOR (connector)->break_contract = TRUE;
  ok = cp_connector_push (connector, fake_ledger, context, CP_JOB_STOCK_PUSH,
                          jobs, out_errors, NULL, &error);
  g_assert_false (ok);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_TRANSIENT);
  g_assert_cmpuint (out_errors->len, ==, 0);
  g_clear_error (&error);

  g_assert_false (cp_connector_pull_orders (connector, NULL, (CpOrderSink) will_send_cb,
                                            NULL, &cursor, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_CONFIG);
  g_assert_null (cursor);
  g_free (ws.fingerprint);
}

static void
test_mapping_report_free (void)
{
  g_autoptr(CpMappingReport) report = g_new0 (CpMappingReport, 1);

  report->matched = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (report->matched, g_strdup ("SKU-1"));
  report->locations = g_ptr_array_new_with_free_func (g_free);
  /* The other arrays stay NULL: freeing must cope. */
  cp_mapping_report_free (NULL);
}

/* ---- The registry ------------------------------------------------------ */

typedef struct
{
  const CpPlatformInfo *info;
} RegisterThread;

static gpointer
register_thread (gpointer data)
{
  for (guint i = 0; i < 1000; i++)
    {
      cp_connector_register_platform (data);
      g_assert_true (cp_connector_lookup_platform (((const CpPlatformInfo *) data)->platform) == data);
    }
  return NULL;
}

static void
test_registry (void)
{
  const CpPlatformInfo * const *list;
  guint n = 99;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpConnector) connector = NULL;
  GThread *threads[4];

  g_assert_null (cp_connector_lookup_platform ("test-platform"));
  list = cp_connector_list_platforms (&n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_null (list[0]);

  /* Concurrent registration of the same two platforms: each lands once. */
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("register", register_thread,
                               (gpointer) (i % 2 == 0 ? &test_platform : &other_platform));
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  list = cp_connector_list_platforms (&n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_nonnull (list[0]);
  g_assert_nonnull (list[1]);
  g_assert_null (list[2]);
  g_assert_true ((list[0] == &test_platform && list[1] == &other_platform) ||
                 (list[0] == &other_platform && list[1] == &test_platform));
  g_assert_true (cp_connector_lookup_platform ("test-platform") == &test_platform);
  g_assert_null (cp_connector_lookup_platform ("nope"));
  g_assert_null (cp_connector_lookup_platform (NULL));

  connector = cp_connector_new_for_platform ("test-platform", "i7", "http://127.0.0.1/v2",
                                             "{\"api_key\":\"k\"}", &error);
  g_assert_no_error (error);
  g_assert_true (TEST_IS_CONNECTOR (connector));
  g_assert_cmpstr (TEST_CONNECTOR (connector)->integration_id, ==, "i7");

  /* The factory's own error comes through. */
  g_assert_null (cp_connector_new_for_platform ("test-platform", "i8", "http://127.0.0.1/v2",
                                                NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_CONFIG);
  g_assert_cmpstr (error->message, ==, "no credentials");
  g_clear_error (&error);

  g_assert_null (cp_connector_new_for_platform ("unknown", "i9", "http://127.0.0.1/v2",
                                                "{}", &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "unknown"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/connector/error/wait-and-exchange", test_error_carries_wait_and_exchange);
  g_test_add_func ("/connector/error/propagate", test_error_propagates);
  g_test_add_func ("/connector/error/other-domain", test_error_other_domain);
  g_test_add_func ("/connector/error/kinds", test_error_kinds);
  g_test_add_func ("/connector/push-context", test_push_context);
  g_test_add_func ("/connector/push-context-many", test_push_context_many);
  g_test_add_func ("/connector/wrappers", test_wrappers);
  g_test_add_func ("/connector/mapping-report", test_mapping_report_free);
  g_test_add_func ("/connector/registry", test_registry);

  return g_test_run ();
}
