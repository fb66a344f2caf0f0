/* test-engine-script.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-engine"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "cp-orders.h"
#include "cp-outbox.h"
#include "cp-sql.h"
#include "test-engine-script.h"

/* ---- The script ------------------------------------------------------------ */

Script script;

void
script_reset (void)
{
  g_mutex_lock (&script.mutex);
  script.push_requests = 0;
  script.pull_requests = 0;
  script.batch_size = 100;
  script.bad_variant = 0;
  g_queue_clear_full (&script.failures, g_free);
  g_queue_clear_full (&script.pull_failures, g_free);
  script.always.code = -1;
  script.hang = FALSE;
  script.hanging = FALSE;
  g_clear_pointer (&script.remote, g_hash_table_unref);
  script.remote = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  script.n_orders = 0;
  script.page_size = 2;
  g_mutex_unlock (&script.mutex);
}

void
script_fail_next_in (GQueue *queue,
                     int     code,
                     gint64  wait_us)
{
  Failure *failure = g_new0 (Failure, 1);

  failure->code = code;
  failure->wait_us = wait_us;
  g_mutex_lock (&script.mutex);
  g_queue_push_tail (queue, failure);
  g_mutex_unlock (&script.mutex);
}

static gboolean
script_take_failure (GQueue  *queue,
                     GError **error)
{
  g_autofree Failure *failure = NULL;
  Failure copy = { -1, 0 };

  g_mutex_lock (&script.mutex);
  failure = g_queue_pop_head (queue);
  if (failure != NULL)
    copy = *failure;
  else if (queue == &script.failures)
    copy = script.always;
  g_mutex_unlock (&script.mutex);

  if (copy.code < 0)
    return FALSE;
  cp_connector_set_error (error, copy.code, copy.wait_us,
                          "{\"request\":{\"method\":\"POST\"},\"response\":{\"status\":500}}",
                          "scripted failure %d", copy.code);
  return TRUE;
}

gint64
remote_value (gint64 variant_id)
{
  gint64 *value;
  gint64 result = -1;

  g_mutex_lock (&script.mutex);
  value = g_hash_table_lookup (script.remote, &variant_id);
  if (value != NULL)
    result = *value;
  g_mutex_unlock (&script.mutex);
  return result;
}

/* ---- The scripted connector ------------------------------------------------ */

#define TEST_TYPE_CONNECTOR (test_connector_get_type ())
G_DECLARE_FINAL_TYPE (TestConnector, test_connector, TEST, CONNECTOR, GObject)

struct _TestConnector
{
  GObject  parent_instance;
  char    *id;
};

static void test_connector_iface_init (CpConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestConnector, test_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CP_TYPE_CONNECTOR, test_connector_iface_init))

static void
test_connector_finalize (GObject *object)
{
  g_free (TEST_CONNECTOR (object)->id);
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
}

static CpConnectorCaps
test_get_capabilities (CpConnector *self)
{
  return CP_CONNECTOR_CAP_PUSH_STOCK | CP_CONNECTOR_CAP_PULL_ORDERS;
}

static guint
test_get_batch_size (CpConnector *self,
                     const char  *kind)
{
  guint size;

  g_mutex_lock (&script.mutex);
  size = script.batch_size;
  g_mutex_unlock (&script.mutex);
  return size;
}

static gint64
job_variant (CpOutboxJob *job)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, job->payload, -1, NULL));
  return json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                     "variant_id");
}

gint64
ledger_on_hand (CpLedger *ledger,
                gint64    variant_id)
{
  g_autoptr(CpSqlStmt) stmt = cp_ledger_prepare (ledger,
                                                 "SELECT TOTAL (on_hand) FROM stock_levels "
                                                 "WHERE variant_id = ?1", NULL);
  gint64 value;

  g_assert_nonnull (stmt);
  sqlite3_bind_int64 (stmt, 1, variant_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  return value;
}

/* Whether every job of a request had its fingerprint committed before
 * the request went out, read from another connection as a crash would
 * leave it: started under this run's lease (the claim and the
 * fingerprint are written together), fingerprint and sent_at set. */
static gboolean
fingerprints_committed (CpLedger  *ledger,
                        GPtrArray *jobs)
{
  g_autoptr(CpLedger) other = cp_ledger_open (cp_ledger_get_path (ledger), NULL);

  for (guint i = 0; i < jobs->len; i++)
    {
      CpOutboxJob *job = g_ptr_array_index (jobs, i);
      g_autoptr(CpOutboxJob) stored = cp_outbox_get (other, job->id, NULL);

      if (stored == NULL || stored->request_fingerprint == NULL || stored->sent_at == 0 ||
          stored->state != CP_JOB_STARTED || stored->lease_epoch != job->lease_epoch)
        return FALSE;
    }
  return TRUE;
}

static gboolean
test_push (CpConnector    *connector,
           CpLedger       *ledger,
           CpPushContext  *context,
           const char     *kind,
           GPtrArray      *jobs,
           GPtrArray      *out_errors,
           GCancellable   *cancellable,
           GError        **error)
{
  gboolean hang;

  g_assert_cmpstr (kind, ==, CP_JOB_STOCK_PUSH);
  if (!cp_push_context_will_send (context, jobs, "fingerprint", error))
    return FALSE;
  g_assert_true (fingerprints_committed (ledger, jobs));

  g_mutex_lock (&script.mutex);
  script.push_requests++;
  hang = script.hang;
  if (hang)
    script.hanging = TRUE;
  g_mutex_unlock (&script.mutex);

  if (hang)
    {
      while (!g_cancellable_is_cancelled (cancellable))
        g_usleep (1000);
      g_cancellable_set_error_if_cancelled (cancellable, error);
      return FALSE;
    }

  if (script_take_failure (&script.failures, error))
    return FALSE;

  for (guint i = 0; i < jobs->len; i++)
    if (job_variant (g_ptr_array_index (jobs, i)) == script.bad_variant && jobs->len > 1)
      {
        cp_connector_set_error (error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                                "the batch holds a bad record");
        return FALSE;
      }

  for (guint i = 0; i < jobs->len; i++)
    {
      gint64 variant = job_variant (g_ptr_array_index (jobs, i));
      gint64 value = ledger_on_hand (ledger, variant);

      if (variant == script.bad_variant)
        {
          g_ptr_array_add (out_errors,
                           g_error_new_literal (CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_INVALID_DATA,
                                                "quantity refused"));
          continue;
        }
      g_mutex_lock (&script.mutex);
      g_hash_table_insert (script.remote, g_memdup2 (&variant, sizeof variant),
                           g_memdup2 (&value, sizeof value));
      g_mutex_unlock (&script.mutex);
      g_ptr_array_add (out_errors, NULL);
    }
  return TRUE;
}

static CpOrder *
remote_order (guint n)
{
  CpOrder *order = cp_order_new ();

  order->source = g_strdup ("whatever the connector says");
  order->external_id = g_strdup_printf ("ext-%u", n);
  order->number = g_strdup_printf ("#%u", 1000 + n);
  memcpy (order->currency, "USD", 4);
  order->customer_name = g_strdup ("A customer with a long enough name to fill pages quickly "
                                   "when the disk is small, which it is in one test");
  cp_order_add_line (order, "SKU-A", "Thing A", 1, 1000, 0, 0);
  return order;
}

/* Orders ext-1 … ext-N, page by page; the watermark is N, and a pull
 * from a watermark starts one order earlier (an overlap, as real
 * connectors have), so the engine must deduplicate. */
static gboolean
test_pull_orders (CpConnector   *connector,
                  const char    *cursor,
                  CpOrderSink    sink,
                  gpointer       sink_data,
                  char         **out_cursor,
                  GCancellable  *cancellable,
                  GError       **error)
{
  guint n, page_size, start = 0;

  if (script_take_failure (&script.pull_failures, error))
    return FALSE;

  g_mutex_lock (&script.mutex);
  n = script.n_orders;
  page_size = script.page_size;
  g_mutex_unlock (&script.mutex);

  if (cursor != NULL && g_str_has_prefix (cursor, "page:"))
    start = atoi (cursor + 5);
  else if (cursor != NULL)
    start = MAX (atoi (cursor), 1) - 1;

  for (guint i = start; i < n; i += page_size)
    {
      g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free);
      g_autofree char *page_cursor = g_strdup_printf ("page:%u", MIN (i + page_size, n));

      for (guint j = i; j < MIN (i + page_size, n); j++)
        g_ptr_array_add (page, remote_order (j + 1));
      g_mutex_lock (&script.mutex);
      script.pull_requests++;
      g_mutex_unlock (&script.mutex);
      if (!sink (page, page_cursor, sink_data, error))
        return FALSE;
    }
  *out_cursor = g_strdup_printf ("%u", n);
  return TRUE;
}

static void
test_connector_iface_init (CpConnectorInterface *iface)
{
  iface->get_capabilities = test_get_capabilities;
  iface->get_batch_size = test_get_batch_size;
  iface->push = test_push;
  iface->pull_orders = test_pull_orders;
}

static CpConnector *
test_factory (const char  *integration_id,
              const char  *base_url,
              const char  *credentials_json,
              GError     **error)
{
  TestConnector *self = g_object_new (TEST_TYPE_CONNECTOR, NULL);

  self->id = g_strdup (integration_id);
  return CP_CONNECTOR (self);
}

static const char * const test_credential_fields[] = { "api_key", NULL };

static const CpPlatformInfo test_platform = {
  PLATFORM, "Scripted test platform",
  CP_CONNECTOR_CAP_PUSH_STOCK | CP_CONNECTOR_CAP_PULL_ORDERS,
  test_credential_fields, test_factory,
};

guint
n_pushes (void)
{
  guint n;

  g_mutex_lock (&script.mutex);
  n = script.push_requests;
  g_mutex_unlock (&script.mutex);
  return n;
}

gboolean
is_hanging (void)
{
  gboolean hanging;

  g_mutex_lock (&script.mutex);
  hanging = script.hanging;
  g_mutex_unlock (&script.mutex);
  return hanging;
}

void
script_init (void)
{
  g_mutex_init (&script.mutex);
  g_queue_init (&script.failures);
  g_queue_init (&script.pull_failures);
  cp_connector_register_platform (&test_platform);
}
