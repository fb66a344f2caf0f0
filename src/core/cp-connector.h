/* cp-connector.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where the engine (which knows no platform) meets a connector (which
 * knows one platform's wire protocol and no GUI). Operations are
 * synchronous and run on the engine's worker thread, one at a time per
 * connector instance; they take a GCancellable and honour it.
 *
 * Every failure is classified (CpConnectorError) so the engine knows what
 * to do with it; the error may carry a wait (rate limits) and the
 * redacted exchange for the activity log (cp_connector_error_*).
 */

#pragma once

#include <gio/gio.h>

#include "cp-ledger.h"
#include "cp-orders.h"
#include "cp-outbox.h"
#include "cp-rate-limiter.h"
#include "cp-stock-publish.h"

G_BEGIN_DECLS

#define CP_CONNECTOR_ERROR (cp_connector_error_quark ())

typedef enum
{
  CP_CONNECTOR_ERROR_AUTH,          /* credentials rejected: needs attention, no retry storm */
  CP_CONNECTOR_ERROR_PERMISSION,    /* the credentials lack a scope: needs attention */
  CP_CONNECTOR_ERROR_RATE_LIMITED,  /* wait cp_connector_error_get_wait_us, no attempt used */
  CP_CONNECTOR_ERROR_TRANSIENT,     /* 5xx, timeout, reset, truncated body: retry with backoff */
  CP_CONNECTOR_ERROR_INVALID_DATA,  /* the platform refuses this record (4xx): isolate it */
  CP_CONNECTOR_ERROR_REMOTE_BUG,    /* a malformed or unexpected answer: retry, then dead */
  CP_CONNECTOR_ERROR_NOT_FOUND,     /* the remote object is gone */
  CP_CONNECTOR_ERROR_CONFIG,        /* a mapping or setting is missing: needs attention */
} CpConnectorError;

/* G_DEFINE_EXTENDED_ERROR: the error carries a wait and an exchange. */
GQuark        cp_connector_error_quark (void);
void          cp_connector_set_error   (GError     **error,
                                        CpConnectorError code,
                                        gint64       wait_us,        /* 0: none */
                                        const char  *exchange_json,  /* redacted, or NULL */
                                        const char  *format,
                                        ...) G_GNUC_PRINTF (5, 6);
gint64        cp_connector_error_get_wait_us   (const GError *error);
const char   *cp_connector_error_get_exchange  (const GError *error);
/* Attaches (replaces) the redacted exchange of an error already set, for
 * a connector that learns the exchange after classifying the failure.
 * Does nothing when ERROR is not a CP_CONNECTOR_ERROR. */
void          cp_connector_error_set_exchange  (GError       *error,
                                                const char   *exchange_json);
/* "auth", "permission", "rate_limited", "transient", "invalid_data",
 * "remote_bug", "not_found", "config"; "internal" for other domains. */
const char   *cp_connector_error_kind_to_string (const GError *error);
/* Whether retrying later may succeed (transient, rate limited, remote bug). */
gboolean      cp_connector_error_is_retryable  (const GError *error);

typedef enum
{
  CP_CONNECTOR_CAP_NONE              = 0,
  CP_CONNECTOR_CAP_PUSH_STOCK        = 1 << 0,
  CP_CONNECTOR_CAP_PUSH_PRODUCTS     = 1 << 1,
  CP_CONNECTOR_CAP_PULL_ORDERS       = 1 << 2,
  CP_CONNECTOR_CAP_PUSH_ORDER_STATUS = 1 << 3,
  CP_CONNECTOR_CAP_IDEMPOTENCY_KEYS  = 1 << 4, /* honours Idempotency-Key on creates */
  CP_CONNECTOR_CAP_FIND_BY_REFERENCE = 1 << 5, /* can search for our external reference */
  CP_CONNECTOR_CAP_REMOTE_CATALOG    = 1 << 6, /* can list the remote catalog to match SKUs */
} CpConnectorCaps;

/* What the engine gives a push: it commits the request's fingerprint
 * for the jobs of a request before the connector sends a byte of it.
 * A connector calls cp_push_context_will_send() before every request; a
 * FALSE return (the ledger could not record it) means: do not send. */
typedef struct _CpPushContext CpPushContext;

gboolean      cp_push_context_will_send (CpPushContext  *context,
                                         GPtrArray      *jobs,         /* CpOutboxJob*, those in this request */
                                         const char     *fingerprint,  /* e.g. SHA-256 of method+path+body */
                                         GError        **error);

/* Announces several requests at once, before the first of them is
 * sent: JOBS holds the jobs of them all, in the order they go, and
 * FINGERPRINTS[i] is the fingerprint of the request that carries JOBS[i].
 * The engine records them in one durable commit (a commit waits for the
 * disk, and it was most of what a request cost the engine), so a
 * connector that sends several requests for one push announces them
 * with this and then sends them without announcing each. */
gboolean      cp_push_context_will_send_many (CpPushContext       *context,
                                              GPtrArray           *jobs,
                                              const char * const  *fingerprints,
                                              GError             **error);

/* The engine makes one with its will_send (tests make their own): the
 * context only carries the function and its data, it owns neither. */
typedef gboolean (*CpPushContextWillSend) (GPtrArray   *jobs,
                                           const char  *fingerprint,
                                           gpointer     user_data,
                                           GError     **error);
/* Optional: several requests at once (cp_push_context_will_send_many).
 * Without it, a context announces them one fingerprint at a time. */
typedef gboolean (*CpPushContextWillSendMany) (GPtrArray           *jobs,
                                               const char * const  *fingerprints,
                                               gpointer             user_data,
                                               GError             **error);

CpPushContext *cp_push_context_new  (CpPushContextWillSend  will_send,
                                     gpointer               user_data);
void           cp_push_context_set_will_send_many (CpPushContext             *context,
                                                   CpPushContextWillSendMany  will_send_many);
void           cp_push_context_free (CpPushContext         *context);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpPushContext, cp_push_context_free)

/* A page of orders for the engine to store; the engine stores each page
 * in one transaction and then advances the cursor, so a pull holds one
 * page in memory whatever its size. Return FALSE to stop the pull. */
typedef gboolean (*CpOrderSink) (GPtrArray  *orders,      /* CpOrder*, source/external_id set */
                                 const char *page_cursor, /* where to resume after this page */
                                 gpointer    user_data,
                                 GError    **error);

typedef struct
{
  GPtrArray *matched;          /* char* SKUs */
  GPtrArray *unmatched_local;
  GPtrArray *unmatched_remote;
  GPtrArray *duplicates;       /* SKUs present more than once remotely */
  GPtrArray *locations;        /* char* remote location ids */
} CpMappingReport;

void          cp_mapping_report_free (CpMappingReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpMappingReport, cp_mapping_report_free)

#define CP_TYPE_CONNECTOR (cp_connector_get_type ())
G_DECLARE_INTERFACE (CpConnector, cp_connector, CP, CONNECTOR, GObject)

struct _CpConnectorInterface
{
  GTypeInterface parent_iface;

  CpConnectorCaps (*get_capabilities) (CpConnector *self);
  /* Jobs of this kind per request (1 when the platform has no batch). */
  guint           (*get_batch_size)   (CpConnector *self,
                                       const char  *job_kind);
  /* Optional (NULL: 1). How many batches of this kind one push may take:
   * the connector sends them as that many requests (of at most
   * get_batch_size jobs each) and announces them all before the first
   * with cp_push_context_will_send_many(). The engine gives it fewer when
   * the rate limiter has fewer requests to spare right now. */
  guint           (*get_batches_per_push) (CpConnector *self,
                                           const char  *job_kind);
  /* Checks the credentials; on success the account's display name. */
  gboolean        (*test)             (CpConnector   *self,
                                       char         **out_account_name,
                                       GCancellable  *cancellable,
                                       GError       **error);
  /* Lists the remote catalog, matches by SKU (the ledger is the master),
   * stores the variant and location mappings it can, reports the rest. */
  CpMappingReport *(*refresh_mappings) (CpConnector   *self,
                                       CpLedger      *ledger,
                                       GCancellable  *cancellable,
                                       GError       **error);
  /* Sends jobs of one kind (at most get_batch_size times
   * get_batches_per_push), reading the current
   * values from the ledger. Fills out_errors (same length as jobs) with
   * NULL for each job that succeeded and a classified GError for each
   * that failed (one bad record never fails the others). Returns FALSE
   * with error when the whole request failed (auth, rate limit, network):
   * then out_errors is left empty. */
  gboolean        (*push)             (CpConnector   *self,
                                       CpLedger      *ledger,
                                       CpPushContext *context,
                                       const char    *job_kind,
                                       GPtrArray     *jobs,
                                       GPtrArray     *out_errors,
                                       GCancellable  *cancellable,
                                       GError       **error);
  /* Orders changed since cursor (NULL: the connector's initial window),
   * page by page into sink. out_cursor: the watermark to store once all
   * pages are in (the engine subtracts nothing: the connector applies its
   * own overlap when it reads the cursor back). */
  gboolean        (*pull_orders)      (CpConnector   *self,
                                       const char    *cursor,
                                       CpOrderSink    sink,
                                       gpointer       sink_data,
                                       char         **out_cursor,
                                       GCancellable  *cancellable,
                                       GError       **error);
  /* Optional (NULL: none). The connector's limiter for the platform's
   * budget, transfer none, alive as long as the connector. The connector
   * itself takes one token per request it sends and feeds the response's
   * X-RateLimit-* / Retry-After into it, so the engine must not take
   * tokens for the connector's requests; it reads it (blocked until,
   * available) to schedule the next run and to say when it will be. */
  CpRateLimiter  *(*get_rate_limiter) (CpConnector   *self);
  /* Optional (NULL: the platform's webhooks cannot be read). Reads the
   * raw BODY of one webhook delivery whose platform topic is TOPIC
   * ("orders/paid", "order.updated") into out_orders (CpOrder*, external
   * id set; the caller sets the source), the same way pull_orders reads
   * an order. A topic with nothing to import (a deletion) gives no
   * orders. A body that is not what the topic says:
   * CP_CONNECTOR_ERROR_INVALID_DATA. No network, no ledger. */
  gboolean        (*parse_webhook)    (CpConnector   *self,
                                       const char    *topic,
                                       GBytes        *body,
                                       GPtrArray     *out_orders,
                                       GError       **error);
  /* Optional (NULL: the store's stock cannot be read, so it is never
   * reconciled). What the store shows now, for a full reconciliation
   * (cp_engine_reconcile). WANTED: CpStockPublished* (cp-stock-publish.h),
   * a variant and a remote location each (location NULL: the store's
   * default location), quantity = what the POS publishes (not to be read
   * from the store). For each one it can read, the connector appends to
   * OUT_FOUND a new CpStockPublished* with the same variant_id, sku and
   * location and the store's quantity; one the store does not have (not
   * mapped, deleted there) is left out, not an error. At most
   * CP_CONNECTOR_READ_STOCK_MAX variants per call; the connector sends as
   * many requests as it needs and takes its limiter's tokens, like a
   * push. Errors are classified as for push. */
  gboolean        (*read_stock)       (CpConnector   *self,
                                       CpLedger      *ledger,
                                       GPtrArray     *wanted,
                                       GPtrArray     *out_found,
                                       GCancellable  *cancellable,
                                       GError       **error);
};

/* Distinct variants per read_stock call. */
#define CP_CONNECTOR_READ_STOCK_MAX 250

CpConnectorCaps  cp_connector_get_capabilities (CpConnector   *self);
guint            cp_connector_get_batch_size   (CpConnector   *self,
                                                const char    *job_kind);
guint            cp_connector_get_batches_per_push (CpConnector *self,
                                                    const char  *job_kind);
gboolean         cp_connector_test             (CpConnector   *self,
                                                char         **out_account_name,
                                                GCancellable  *cancellable,
                                                GError       **error);
CpMappingReport *cp_connector_refresh_mappings (CpConnector   *self,
                                                CpLedger      *ledger,
                                                GCancellable  *cancellable,
                                                GError       **error);
gboolean         cp_connector_push             (CpConnector   *self,
                                                CpLedger      *ledger,
                                                CpPushContext *context,
                                                const char    *job_kind,
                                                GPtrArray     *jobs,
                                                GPtrArray     *out_errors,
                                                GCancellable  *cancellable,
                                                GError       **error);
gboolean         cp_connector_pull_orders      (CpConnector   *self,
                                                const char    *cursor,
                                                CpOrderSink    sink,
                                                gpointer       sink_data,
                                                char         **out_cursor,
                                                GCancellable  *cancellable,
                                                GError       **error);
/* NULL when the connector has none. */
CpRateLimiter   *cp_connector_get_rate_limiter (CpConnector   *self);
/* Whether parse_webhook is there. */
gboolean         cp_connector_can_parse_webhooks (CpConnector *self);
gboolean         cp_connector_parse_webhook    (CpConnector   *self,
                                                const char    *topic,
                                                GBytes        *body,
                                                GPtrArray     *out_orders,
                                                GError       **error);
/* Whether read_stock is there. */
gboolean         cp_connector_can_read_stock   (CpConnector   *self);
/* CP_CONNECTOR_ERROR_CONFIG when the connector cannot read stock. */
gboolean         cp_connector_read_stock       (CpConnector   *self,
                                                CpLedger      *ledger,
                                                GPtrArray     *wanted,
                                                GPtrArray     *out_found,
                                                GCancellable  *cancellable,
                                                GError       **error);

/* How a connector is made: the engine and the CLI look platforms up by
 * name. Connectors register from src/connectors (cp_connectors_register_all). */
typedef CpConnector *(*CpConnectorFactory) (const char  *integration_id,
                                            const char  *base_url,
                                            const char  *credentials_json,
                                            GError     **error);

typedef struct
{
  const char         *platform;      /* "ecomv2" */
  const char         *display_name;  /* translatable: "WooCommerce", "E-Commerce Platform" */
  CpConnectorCaps     capabilities;
  const char * const *credential_fields; /* JSON members the credentials need: "api_key", NULL */
  CpConnectorFactory  factory;
} CpPlatformInfo;

void                  cp_connector_register_platform (const CpPlatformInfo *info); /* static storage */
const CpPlatformInfo *cp_connector_lookup_platform   (const char *platform);
/* NULL-terminated, in registration order. */
const CpPlatformInfo * const *cp_connector_list_platforms (guint *out_n);
CpConnector          *cp_connector_new_for_platform  (const char  *platform,
                                                      const char  *integration_id,
                                                      const char  *base_url,
                                                      const char  *credentials_json,
                                                      GError     **error);

G_END_DECLS
