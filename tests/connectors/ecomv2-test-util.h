/* ecomv2-test-util.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the ecomv2 connector tests share: a real ledger in a temporary
 * directory with an integration row, and push jobs made by hand (the
 * connector reads only their payload).
 */

#pragma once

#include "cp-catalog.h"
#include "cp-connector.h"
#include "cp-ledger.h"
#include "cp-sandbox-ecomv2.h"
#include "cp-sandbox-server.h"

G_BEGIN_DECLS

typedef struct
{
  char     *dir;
  CpLedger *ledger;
  char     *integration_id;
} TestLedger;

/* A ledger with location MAIN and an ecomv2 integration at BASE_URL. */
void         test_ledger_setup        (TestLedger  *t,
                                       const char  *base_url);
void         test_ledger_teardown     (TestLedger  *t);
gint64       test_ledger_add_variant  (TestLedger  *t,
                                       const char  *sku,
                                       const char  *name,
                                       gint64       price_minor,
                                       gint64       on_hand);
gint64       test_ledger_variant_id   (TestLedger  *t,
                                       const char  *sku);

/* A job as the outbox would hand it over. */
CpOutboxJob *test_job_new             (gint64       id,
                                       const char  *kind,
                                       const char  *payload);

/* Records every will_send. */
typedef struct
{
  guint      calls;
  GPtrArray *fingerprints;  /* char* */
  GArray    *job_counts;    /* guint */
  gboolean   refuse;
} TestWillSend;

CpPushContext *test_push_context_new  (TestWillSend *ws);
void         test_will_send_clear     (TestWillSend *ws);

/* out_errors arrays hold NULL for each success. */
GPtrArray   *test_errors_new          (void);

#define TEST_KEY CP_SANDBOX_ECOMV2_DEFAULT_KEY
#define TEST_CREDENTIALS "{\"api_key\":\"" TEST_KEY "\"}"

/* A pull's sink that stores each page slowly, as a big page into a
 * ledger is: it waits (up to 5 s) for SERVER to be asked for the next
 * page (requests counted under LABEL, "ecomv2 GET /orders") meanwhile. */
typedef struct
{
  CpSandboxServer *server;
  const char      *label;
  guint            requests_before;
  guint            connections_before;
  guint            pages;
  guint            orders;
  guint            fetched_ahead;   /* pages whose next page was asked for while they were stored */
} TestAheadSink;

void         test_ahead_sink_init     (TestAheadSink   *sink,
                                       CpSandboxServer *server,
                                       const char      *label);
gboolean     test_ahead_sink_cb       (GPtrArray       *orders,
                                       const char      *page_cursor,
                                       gpointer         user_data,
                                       GError         **error);
/* Pulls every order of CONNECTOR from the start through SINK (set up for
 * SERVER and LABEL), asserting that the pull succeeds. */
void         test_ahead_pull          (TestAheadSink   *sink,
                                       CpConnector     *connector,
                                       CpSandboxServer *server,
                                       const char      *label);
/* Asserts a pull of N_PAGES through SINK: each page but the last had its
 * next one read while it was stored, no page was read twice or past the
 * last, and the pages shared one connection. */
void         test_ahead_sink_check    (TestAheadSink   *sink,
                                       guint            n_pages);

/* The sandbox's ecomv2 fake (30 products EC-00001…, 25 orders) on
 * loopback, a ledger, and a connector for it. */
typedef struct
{
  CpSandboxServer *server;
  CpSandboxEcomv2 *fake;
  char            *base;
  TestLedger       t;
  CpConnector     *connector;
  TestWillSend     ws;
  CpPushContext   *context;
} SandboxFixture;

void             sandbox_fixture_setup    (SandboxFixture *f,
                                           gconstpointer   data);
void             sandbox_fixture_teardown (SandboxFixture *f,
                                           gconstpointer   data);
/* Requests the fake received for LABEL ("GET /products"). */
guint            fixture_requests         (SandboxFixture *f,
                                           const char     *label);
CpMappingReport *fixture_refresh          (SandboxFixture *f);

G_END_DECLS
