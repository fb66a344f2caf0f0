/* test-outbox-keys.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Idempotency keys of retried requests whose body changed. A platform
 * that honours keys (Shopify's @idempotent, Stripe) refuses or replays a
 * known key sent with another body, so a stock push retried after the
 * quantity moved must go under a new key: cp_outbox_mark_sending_many()
 * gives one and asks for the request to be built again. The same body
 * keeps its key (a resend after a crash is known as one), requests of
 * one attempt do not rotate each other, and kinds that may create keep
 * their key whatever the body.
 */

#define G_LOG_DOMAIN "test-outbox-keys"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cp-integrations.h"
#include "cp-outbox.h"
#include "cp-outbox-private.h"
#include "test-engine-common.h"

typedef struct
{
  char     *dir;
  CpLedger *ledger;
  char     *shop;
  GRand    *rand;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *permissions[] = { "products.sync", "inventory.sync", NULL };

  f->dir = g_dir_make_tmp ("test-outbox-keys-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "ledger.sqlite3", NULL);
  f->ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);
  f->shop = cp_integrations_add (f->ledger, "ecomv2", "Shop", "http://127.0.0.1:1/v2",
                                 permissions, &error);
  g_assert_no_error (error);
  f->rand = g_rand_new_with_seed (3);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_strdup (cp_ledger_get_path (f->ledger));

  g_clear_object (&f->ledger);
  engine_test_remove_ledger (path);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->shop);
  g_rand_free (f->rand);
}

static char *
key_of (Fixture *f,
        gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpOutboxJob) job = cp_outbox_get (f->ledger, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (job);
  return g_strdup (job->idempotency_key);
}

/* A new attempt of job ID: claimed again under EPOCH, later than any
 * backoff. */
static void
claim_again (Fixture *f,
             gint64   id,
             gint64   epoch,
             gint64  *now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;

  *now += CP_OUTBOX_BACKOFF_CAP_US * 2;
  jobs = cp_outbox_claim (f->ledger, f->shop, NULL, 10, epoch, *now, CP_OUTBOX_LEASE_US, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_assert_cmpint (((CpOutboxJob *) g_ptr_array_index (jobs, 0))->id, ==, id);
}

static void
fail (Fixture *f,
      gint64   id,
      gint64   epoch,
      gint64   now)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_outbox_fail (f->ledger, id, epoch, "transient", "503 from the store", now,
                                 f->rand, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
mark (Fixture     *f,
      gint64       id,
      gint64       epoch,
      const char  *fingerprint,
      GError     **error)
{
  return cp_outbox_mark_sending (f->ledger, id, epoch, fingerprint, NULL, error);
}

/* A job read from the ledger keeps its text in its own block
 * (cp_outbox_job_from_stmt()): every string as stored, NULL where the
 * column is; a string replaced in place (the keys a reload brings) and
 * a copy are freed without touching that block (ASan, in CI, fails on
 * anything else). */
static void
test_read_job_text (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) read = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outbox_job_free);
  g_autoptr(CpOutboxJob) copy = NULL;
  CpOutboxJob *job;
  gint64 now = cp_ledger_now_us ();
  gint64 epoch = cp_outbox_start_epoch (f->ledger, NULL, &error);
  gint64 id;

  g_assert_no_error (error);
  id = cp_outbox_enqueue (f->ledger, f->shop, CP_JOB_STOCK_PUSH, "variant:7",
                          "{\"variant_id\":7}", 0, &error);
  g_assert_no_error (error);
  claim_again (f, id, epoch, &now);
  g_assert_true (mark (f, id, epoch, "fp-7", &error));
  g_assert_no_error (error);
  fail (f, id, epoch, now);

  g_ptr_array_add (read, cp_outbox_get (f->ledger, id, &error));
  g_assert_no_error (error);
  job = g_ptr_array_index (read, 0);
  g_assert_cmpstr (job->integration_id, ==, f->shop);
  g_assert_cmpstr (job->kind, ==, CP_JOB_STOCK_PUSH);
  g_assert_cmpstr (job->coalesce_key, ==, "variant:7");
  g_assert_cmpstr (job->payload, ==, "{\"variant_id\":7}");
  g_assert_cmpuint (strlen (job->idempotency_key), >, 0);
  g_assert_cmpstr (job->request_fingerprint, ==, "fp-7");
  g_assert_cmpstr (job->last_error, ==, "503 from the store");
  g_assert_cmpstr (job->last_error_kind, ==, "transient");
  g_assert_cmpuint (job->packed_len, >, 0);

  /* Another key in the ledger: the reload replaces the job's own. */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE outbox_jobs SET idempotency_key = 'key-renewed',"
                                            " request_fingerprint = NULL WHERE id = %" G_GINT64_FORMAT,
                                            id);

    g_assert_cmpint (sqlite3_exec (cp_ledger_get_db (f->ledger), sql, NULL, NULL, NULL), ==, SQLITE_OK);
  }
  g_assert_true (cp_outbox_reload_keys (f->ledger, read, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (job->idempotency_key, ==, "key-renewed");
  g_assert_null (job->request_fingerprint);
  g_assert_cmpstr (job->payload, ==, "{\"variant_id\":7}");

  copy = cp_outbox_job_copy (job);
  g_assert_cmpuint (copy->packed_len, ==, 0);
  g_assert_cmpstr (copy->idempotency_key, ==, "key-renewed");
  g_assert_cmpstr (copy->last_error, ==, "503 from the store");
  g_assert_true (copy->payload != job->payload);
}

static void
test_stock_push_rotates (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpOutboxJob) job = NULL;
  g_autoptr(GPtrArray) mine = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outbox_job_free);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *key = NULL;
  gint64 now = cp_ledger_now_us ();
  gint64 epoch = cp_outbox_start_epoch (f->ledger, NULL, &error);
  gint64 id;

  g_assert_no_error (error);
  id = cp_outbox_enqueue (f->ledger, f->shop, CP_JOB_STOCK_PUSH, "variant:1",
                          "{\"variant_id\":1}", 0, &error);
  g_assert_no_error (error);
  first = key_of (f, id);

  /* Attempt 1 goes with fp-1, and fails. */
  claim_again (f, id, epoch, &now);
  g_assert_true (mark (f, id, epoch, "fp-1", &error));
  g_assert_no_error (error);
  fail (f, id, epoch, now);

  /* Attempt 2, the same request: the same key, so the platform knows it. */
  claim_again (f, id, epoch, &now);
  g_assert_true (mark (f, id, epoch, "fp-1", &error));
  g_assert_no_error (error);
  key = key_of (f, id);
  g_assert_cmpstr (key, ==, first);
  g_clear_pointer (&key, g_free);
  fail (f, id, epoch, now);

  /* Attempt 3: the quantity moved meanwhile, the body differs. The old
   * key must not go with it: nothing is marked, the job has a new key
   * and no fingerprint, and it is still ours to send. */
  claim_again (f, id, epoch, &now);
  g_assert_false (mark (f, id, epoch, "fp-2", &error));
  g_assert_error (error, CP_OUTBOX_ERROR, CP_OUTBOX_ERROR_KEY_CHANGED);
  g_clear_error (&error);
  job = cp_outbox_get (f->ledger, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job->state, ==, CP_JOB_STARTED);
  g_assert_cmpstr (job->idempotency_key, !=, first);
  g_assert_null (job->request_fingerprint);
  second = g_strdup (job->idempotency_key);

  /* The caller's copy takes the new key, to build the request again. */
  g_ptr_array_add (mine, cp_outbox_job_copy (job));
  g_free (((CpOutboxJob *) g_ptr_array_index (mine, 0))->idempotency_key);
  ((CpOutboxJob *) g_ptr_array_index (mine, 0))->idempotency_key = g_strdup (first);
  g_assert_true (cp_outbox_reload_keys (f->ledger, mine, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (((CpOutboxJob *) g_ptr_array_index (mine, 0))->idempotency_key, ==, second);

  /* Built again (its body holds the new key): it goes. */
  g_assert_true (mark (f, id, epoch, "fp-2b", &error));
  g_assert_no_error (error);
  key = key_of (f, id);
  g_assert_cmpstr (key, ==, second);
  g_clear_pointer (&key, g_free);

  /* A second request of the same attempt (a resend without a refused
   * record) is not a changed retry: the key stays. */
  g_assert_true (mark (f, id, epoch, "fp-2c", &error));
  g_assert_no_error (error);
  key = key_of (f, id);
  g_assert_cmpstr (key, ==, second);
  g_clear_pointer (&key, g_free);

  /* A crash after it went: a new run requeues it, and the resend with
   * another body takes a new key too. */
  epoch = cp_outbox_start_epoch (f->ledger, NULL, &error);
  g_assert_no_error (error);
  claim_again (f, id, epoch, &now);
  g_assert_false (mark (f, id, epoch, "fp-3", &error));
  g_assert_error (error, CP_OUTBOX_ERROR, CP_OUTBOX_ERROR_KEY_CHANGED);
  g_clear_error (&error);
  key = key_of (f, id);
  g_assert_cmpstr (key, !=, second);
  g_assert_cmpstr (key, !=, first);
}

/* The same resend after a crash keeps its key: the platform answers it
 * as the request it already had. */
static void
test_same_body_keeps_key (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 now = cp_ledger_now_us ();
  gint64 epoch = cp_outbox_start_epoch (f->ledger, NULL, &error);
  gint64 id;

  id = cp_outbox_enqueue (f->ledger, f->shop, CP_JOB_STOCK_PUSH, "variant:2",
                          "{\"variant_id\":2}", 0, &error);
  g_assert_no_error (error);
  before = key_of (f, id);
  claim_again (f, id, epoch, &now);
  g_assert_true (mark (f, id, epoch, "fp-1", &error));
  epoch = cp_outbox_start_epoch (f->ledger, NULL, &error);
  g_assert_no_error (error);
  claim_again (f, id, epoch, &now);
  g_assert_true (mark (f, id, epoch, "fp-1", &error));
  g_assert_no_error (error);
  after = key_of (f, id);
  g_assert_cmpstr (after, ==, before);
}

/* A product push may create the product, an order's status a
 * fulfilment: a second key could do it twice. Their key stays. */
static void
test_creates_keep_key (Fixture       *f,
                       gconstpointer  data)
{
  const char *kinds[] = { CP_JOB_PRODUCT_PUSH, CP_JOB_ORDER_STATUS_PUSH, "order.create" };
  gint64 now = cp_ledger_now_us ();
  g_autoptr(GError) error = NULL;
  gint64 epoch = cp_outbox_start_epoch (f->ledger, NULL, &error);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *coalesce = g_strdup_printf ("thing:%u", i);
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      g_autoptr(GPtrArray) jobs = NULL;
      gint64 id;

      id = cp_outbox_enqueue (f->ledger, f->shop, kinds[i], coalesce, "{}", 0, &error);
      g_assert_no_error (error);
      before = key_of (f, id);
      claim_again (f, id, epoch, &now);
      g_assert_true (mark (f, id, epoch, "fp-1", &error));
      fail (f, id, epoch, now);
      claim_again (f, id, epoch, &now);
      g_assert_true (mark (f, id, epoch, "fp-2", &error));
      g_assert_no_error (error);
      after = key_of (f, id);
      g_assert_cmpstr (after, ==, before);
      g_assert_true (cp_outbox_complete (f->ledger, id, epoch, now, &error));
      g_assert_no_error (error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/outbox-keys/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("read-job-text", test_read_job_text);
  ADD ("stock-push-rotates", test_stock_push_rotates);
  ADD ("same-body-keeps-key", test_same_body_keeps_key);
  ADD ("creates-keep-key", test_creates_keep_key);

#undef ADD

  return g_test_run ();
}
