/* test-engine-keys.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine with a platform that honours idempotency keys as Shopify's
 * @idempotent does: a key seen before gets the first answer again, and
 * nothing is applied, whatever the body says. A stock push that went out
 * (the answer lost in a crash) and is sent again after the quantity
 * moved must reach the platform under a new key, or the new quantity
 * never lands. The same resend with an unchanged quantity keeps its key.
 */

#define G_LOG_DOMAIN "test-engine-keys"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cp-catalog.h"
#include "cp-connector.h"
#include "cp-engine.h"
#include "cp-integrations.h"
#include "cp-outbox.h"
#include "cp-sql.h"
#include "cp-stock.h"
#include "test-engine-common.h"

#define PLATFORM "testkeys"

/* The platform: request key → body first seen with it; variant → on
 * hand applied. Only the engine's worker thread and the test, one after
 * the other, touch it. */
static GHashTable *seen;
static GHashTable *applied;
static guint       replays;

static gint64
job_variant (const CpOutboxJob *job)
{
  const char *digits = job->payload != NULL ? strchr (job->payload, ':') : NULL;

  return digits != NULL ? g_ascii_strtoll (digits + 1, NULL, 10) : 0;
}

static gint64
on_hand (CpLedger *ledger,
         gint64    variant)
{
  g_autoptr(CpSqlCachedStmt) stmt = cp_ledger_prepare_cached (ledger,
                                                              "SELECT on_hand FROM stock_levels"
                                                              " WHERE variant_id = ?1", NULL);
  gint64 value = -1;

  g_assert_nonnull (stmt);
  sqlite3_bind_int64 (stmt, 1, variant);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/* The request the connector sends for JOBS: its key (derived from the
 * jobs' keys, as the Shopify connector does), its body and fingerprint. */
static void
build_request (CpLedger   *ledger,
               GPtrArray  *jobs,
               char      **out_key,
               char      **out_body,
               char      **out_fingerprint)
{
  g_autoptr(GString) keys = g_string_new (NULL);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *text = NULL;

  for (guint i = 0; i < jobs->len; i++)
    {
      CpOutboxJob *job = g_ptr_array_index (jobs, i);

      g_string_append_printf (keys, "%s\n", job->idempotency_key);
      g_string_append_printf (body, "%" G_GINT64_FORMAT "=%" G_GINT64_FORMAT ";",
                              job_variant (job), on_hand (ledger, job_variant (job)));
    }
  *out_key = g_compute_checksum_for_string (G_CHECKSUM_SHA256, keys->str, -1);
  *out_body = g_strdup (body->str);
  text = g_strconcat (*out_key, "\n", body->str, NULL);
  *out_fingerprint = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* The platform takes a request: a known key is answered as the first
 * time and changes nothing. */
static void
platform_receive (const char *key,
                  const char *body)
{
  g_auto(GStrv) items = NULL;

  if (g_hash_table_contains (seen, key))
    {
      replays++;
      return;
    }
  g_hash_table_insert (seen, g_strdup (key), g_strdup (body));
  items = g_strsplit (body, ";", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      gint64 variant, value;

      if (sscanf (items[i], "%" G_GINT64_FORMAT "=%" G_GINT64_FORMAT, &variant, &value) == 2)
        g_hash_table_insert (applied, g_memdup2 (&variant, sizeof variant),
                             g_memdup2 (&value, sizeof value));
    }
}

static gint64
applied_value (gint64 variant)
{
  gint64 *value = g_hash_table_lookup (applied, &variant);

  return value != NULL ? *value : -1;
}

/* ---- The connector ----------------------------------------------------------- */

#define TEST_TYPE_KEYS_CONNECTOR (test_keys_connector_get_type ())
G_DECLARE_FINAL_TYPE (TestKeysConnector, test_keys_connector, TEST, KEYS_CONNECTOR, GObject)

struct _TestKeysConnector
{
  GObject parent_instance;
};

static void test_keys_connector_iface_init (CpConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestKeysConnector, test_keys_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CP_TYPE_CONNECTOR, test_keys_connector_iface_init))

static void
test_keys_connector_class_init (TestKeysConnectorClass *klass)
{
}

static void
test_keys_connector_init (TestKeysConnector *self)
{
}

static CpConnectorCaps
keys_get_capabilities (CpConnector *self)
{
  return CP_CONNECTOR_CAP_PUSH_STOCK | CP_CONNECTOR_CAP_IDEMPOTENCY_KEYS;
}

static guint
keys_get_batch_size (CpConnector *self,
                     const char  *kind)
{
  return 100;
}

static gboolean
keys_push (CpConnector    *connector,
           CpLedger       *ledger,
           CpPushContext  *context,
           const char     *kind,
           GPtrArray      *jobs,
           GPtrArray      *out_errors,
           GCancellable   *cancellable,
           GError        **error)
{
  g_autofree char *key = NULL;
  g_autofree char *body = NULL;
  g_autofree char *fingerprint = NULL;

  build_request (ledger, jobs, &key, &body, &fingerprint);
  if (!cp_push_context_will_send (context, jobs, fingerprint, error))
    return FALSE;
  platform_receive (key, body);
  for (guint i = 0; i < jobs->len; i++)
    g_ptr_array_add (out_errors, NULL);
  return TRUE;
}

static void
test_keys_connector_iface_init (CpConnectorInterface *iface)
{
  iface->get_capabilities = keys_get_capabilities;
  iface->get_batch_size = keys_get_batch_size;
  iface->push = keys_push;
}

static CpConnector *
keys_factory (const char  *integration_id,
              const char  *base_url,
              const char  *credentials_json,
              GError     **error)
{
  return g_object_new (TEST_TYPE_KEYS_CONNECTOR, NULL);
}

static const char * const keys_credential_fields[] = { "api_key", NULL };

static const CpPlatformInfo keys_platform = {
  PLATFORM, "Test platform with idempotency keys",
  CP_CONNECTOR_CAP_PUSH_STOCK | CP_CONNECTOR_CAP_IDEMPOTENCY_KEYS,
  keys_credential_fields, keys_factory,
};

static char *
lookup_credentials (const char  *integration_id,
                    gpointer     user_data,
                    GError     **error)
{
  return g_strdup ("{\"api_key\": \"k\"}");
}

/* ---- Tests ----------------------------------------------------------------- */

typedef struct
{
  char      *dir;
  char      *path;
  CpLedger  *ledger;
  char      *id;
  gint64     variant;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const permissions[] = { CP_PERMISSION_INVENTORY_SYNC, NULL };
  g_autoptr(CpVariant) variant = cp_variant_new ();
  g_autoptr(GError) error = NULL;

  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  applied = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  replays = 0;

  f->dir = g_dir_make_tmp ("test-engine-keys-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "ledger.sqlite3", NULL);
  f->ledger = cp_ledger_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (cp_locations_add (f->ledger, "MAIN", "Main", "USD", NULL, &error));
  g_assert_no_error (error);
  variant->sku = g_strdup ("TEE");
  variant->product_name = g_strdup ("Tee");
  variant->price_minor = 1000;
  memcpy (variant->currency, "USD", 4);
  g_assert_true (cp_catalog_upsert_variant (f->ledger, variant, &f->variant, NULL, &error));
  g_assert_no_error (error);

  engine_test_unique_ids (f->ledger);
  f->id = cp_integrations_add (f->ledger, PLATFORM, "Keys shop", "http://127.0.0.1:9",
                               permissions, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->ledger);
  engine_test_remove_ledger (f->path);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->id);
  g_clear_pointer (&seen, g_hash_table_unref);
  g_clear_pointer (&applied, g_hash_table_unref);
}

/* A run that sent the stock push and stopped before it could record the
 * answer: claimed and announced under an epoch of its own, the request
 * received by the platform, the job left started. */
static void
send_and_crash (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autofree char *key = NULL;
  g_autofree char *body = NULL;
  g_autofree char *fingerprint = NULL;
  gint64 epoch = cp_outbox_start_epoch (f->ledger, NULL, &error);

  g_assert_no_error (error);
  jobs = cp_outbox_claim (f->ledger, f->id, NULL, 100, epoch, cp_ledger_now_us (),
                          CP_OUTBOX_LEASE_US, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 1);
  build_request (f->ledger, jobs, &key, &body, &fingerprint);
  g_assert_true (cp_outbox_mark_sending (f->ledger, ((CpOutboxJob *) g_ptr_array_index (jobs, 0))->id,
                                         epoch, fingerprint, NULL, &error));
  g_assert_no_error (error);
  platform_receive (key, body);
}

static void
run_engine (Fixture *f)
{
  g_autoptr(CpEngine) engine = cp_engine_new (f->path);

  cp_engine_set_credentials_lookup (engine, lookup_credentials, NULL, NULL);
  g_assert_cmpint (engine_test_run_once_ok (engine, 0), ==, CP_ENGINE_OUTCOME_DONE);
}

static void
test_changed_resend_new_key (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  engine_test_adjust (f->ledger, "TEE", 10);
  send_and_crash (f);
  g_assert_cmpint (applied_value (f->variant), ==, 10);

  /* Sold meanwhile: the resend carries 7. */
  engine_test_adjust (f->ledger, "TEE", -3);
  run_engine (f);

  g_assert_cmpint (on_hand (f->ledger, f->variant), ==, 7);
  g_assert_cmpint (applied_value (f->variant), ==, 7);
  g_assert_cmpuint (replays, ==, 0);
}

static void
test_same_resend_same_key (Fixture       *f,
                           gconstpointer  data)
{
  engine_test_adjust (f->ledger, "TEE", 10);
  send_and_crash (f);

  /* Nothing changed: the resend is the same request, under the same
   * key, and the platform answers it as the first. */
  run_engine (f);
  g_assert_cmpuint (replays, ==, 1);
  g_assert_cmpint (applied_value (f->variant), ==, 10);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  cp_connector_register_platform (&keys_platform);

#define ADD(name, func) \
  g_test_add ("/engine-keys/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("changed-resend-new-key", test_changed_resend_new_key);
  ADD ("same-resend-same-key", test_same_resend_same_key);

#undef ADD

  return g_test_run ();
}
