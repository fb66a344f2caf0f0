/* cp-webhooks.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Store webhooks (issue 4, seed 003): a store tells the local API at once
 * about an order, a product or a stock level, as a fast path beside the
 * engine's incremental pull, which stays the safety net.
 *
 *   POST /api/v1/stores/{store}/webhooks/orders|products|inventory
 *
 * {store} is the integration id. A delivery carries no API key: it proves
 * itself with a base64 HMAC-SHA256 of its raw body, keyed with the
 * store's "webhook_secret" (the integration's credentials in the Secret
 * Service), in X-Shopify-Hmac-Sha256 or X-WC-Webhook-Signature. Then:
 *
 *  1. the raw body is stored (table webhook_deliveries) and committed
 *     before the 200 is sent, so an acknowledged delivery is never lost;
 *  2. deliveries are deduplicated twice: by the platform's delivery id
 *     (unique per integration), and by (resource, modified time), since
 *     WooCommerce's delivery id is only a hash of webhook id and second,
 *     and a redelivered or replayed event has the same resource and
 *     modified time;
 *  3. processing runs after the answer, off the request path, and again
 *     for whatever is still "received" when the server starts (a process
 *     killed between 1 and 3): orders go through cp_orders_import() (the
 *     pull's import path, unique by integration and order id); products
 *     and inventory ask the engine for a pull of that integration.
 *
 * WooCommerce's activation ping, an unsigned form body "webhook_id=N", is
 * answered 200 and not stored. A missing or bad signature is answered 401
 * and logged in the activity log; nothing is stored.
 */

#pragma once

#include <gio/gio.h>

#include "cp-engine.h"
#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_WEBHOOKS_ERROR (cp_webhooks_error_quark ())

typedef enum
{
  CP_WEBHOOKS_ERROR_NO_SECRET,    /* the credentials have no webhook_secret */
  CP_WEBHOOKS_ERROR_BAD_SIGNATURE,/* missing, malformed or not matching */
  CP_WEBHOOKS_ERROR_INVALID,      /* the body is not what the topic says */
  CP_WEBHOOKS_ERROR_UNSUPPORTED,  /* the platform's connector cannot read webhooks */
} CpWebhooksError;

GQuark      cp_webhooks_error_quark (void);

/* The crash point between "stored and acknowledged" and "processed". */
#define CP_WEBHOOKS_CRASH_AFTER_STORED "after-webhook-stored"

/* What a delivery's route says it is about. */
typedef enum
{
  CP_WEBHOOK_KIND_ORDERS,
  CP_WEBHOOK_KIND_PRODUCTS,
  CP_WEBHOOK_KIND_INVENTORY,
} CpWebhookKind;

const char *cp_webhook_kind_to_string   (CpWebhookKind kind);
gboolean    cp_webhook_kind_from_string (const char    *text,
                                         CpWebhookKind *out_kind);

/* base64 (HMAC-SHA256 (SECRET, BODY)), as Shopify and WooCommerce send it. */
char       *cp_webhooks_sign            (const char   *secret,
                                         const void   *body,
                                         gsize         length);
/* Whether SIGNATURE (base64, surrounding blanks ignored) is the signature
 * of BODY under SECRET. The comparison runs over every byte whatever the
 * first difference, so its time says nothing about how close a forged
 * signature came. NULL or empty SIGNATURE: FALSE. */
gboolean    cp_webhooks_verify          (const char   *secret,
                                         const void   *body,
                                         gsize         length,
                                         const char   *signature);
/* Constant-time equality of two buffers of the same length. */
gboolean    cp_webhooks_equal_ct        (const guint8 *a,
                                         const guint8 *b,
                                         gsize         length);

/* Whether BODY is WooCommerce's activation ping ("webhook_id=N", N
 * digits, as application/x-www-form-urlencoded). */
gboolean    cp_webhooks_is_ping         (const void   *body,
                                         gsize         length);

/* The webhook_secret member of a credentials JSON object, or NULL (with
 * ERROR: CP_WEBHOOKS_ERROR_NO_SECRET) when there is none. */
char       *cp_webhooks_secret_from_credentials (const char  *credentials_json,
                                                 GError     **error);

/* What a delivery's headers and body say about it. */
typedef struct
{
  char          *delivery_id;   /* the dedup key; never NULL once read */
  char          *topic;         /* the platform's: "orders/paid", "order.updated" */
  char          *resource_id;   /* "order:123", or NULL when the body names none */
  char          *modified;      /* the resource's modified time as sent, or NULL */
} CpWebhookMeta;

void        cp_webhook_meta_clear       (CpWebhookMeta *meta);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CpWebhookMeta, cp_webhook_meta_clear)

/* Reads the meta of a delivery. GET_HEADER looks a request header up by
 * name (case-insensitive), as soup_message_headers_get_one does. BODY must
 * be within the JSON limits already (the server pre-scans it); a body that
 * is not a JSON object is CP_WEBHOOKS_ERROR_INVALID. Shopify's
 * X-Shopify-Webhook-Id is the delivery id; WooCommerce's delivery id is
 * combined with the resource and its modified time, since two events of
 * one webhook in the same second share it; without either, a SHA-256 of
 * the body stands in, so replaying the same bytes is still a duplicate. */
typedef const char *(*CpWebhookHeaderFunc) (const char *name,
                                            gpointer    user_data);

gboolean    cp_webhooks_read_meta       (CpWebhookKind        kind,
                                         CpWebhookHeaderFunc  get_header,
                                         gpointer             header_data,
                                         const void          *body,
                                         gsize                length,
                                         CpWebhookMeta       *out_meta,
                                         GError             **error);
/* The signature header the delivery carries, or NULL. */
const char *cp_webhooks_signature_header (CpWebhookHeaderFunc get_header,
                                          gpointer            header_data);

/* --- Storage (cp-webhooks-store.c) ------------------------------------- */

typedef enum
{
  CP_WEBHOOK_STORED,            /* new: will be processed */
  CP_WEBHOOK_DUPLICATE_ID,      /* that delivery id was stored before: nothing new */
  CP_WEBHOOK_DUPLICATE_RESOURCE,/* same resource and modified time: kept as "duplicate" */
} CpWebhookStoreResult;

/* Stores the raw body and its meta, committed when this returns TRUE
 * (in its own transaction). */
gboolean    cp_webhooks_store           (CpLedger              *ledger,
                                         const char            *integration_id,
                                         CpWebhookKind          kind,
                                         const CpWebhookMeta   *meta,
                                         const void            *body,
                                         gsize                  length,
                                         gint64                *out_id,
                                         CpWebhookStoreResult  *out_result,
                                         GError               **error);

typedef struct
{
  gint64         id;
  char          *integration_id;
  CpWebhookKind  kind;
  char          *delivery_id;
  char          *topic;
  char          *resource_id;
  char          *modified;
  gint64         received_at;
  GBytes        *body;
  char          *state;        /* "received", "processed", "duplicate", "failed" */
  char          *error;
} CpWebhookDelivery;

void        cp_webhook_delivery_free    (CpWebhookDelivery *delivery);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpWebhookDelivery, cp_webhook_delivery_free)

/* Deliveries still "received", oldest first, at most LIMIT (0: all);
 * INTEGRATION_ID NULL: every integration. */
GPtrArray  *cp_webhooks_list_pending    (CpLedger    *ledger,
                                         const char  *integration_id,
                                         guint        limit,
                                         GError     **error);
CpWebhookDelivery *cp_webhooks_get      (CpLedger    *ledger,
                                         gint64       id,
                                         GError     **error);
/* Sets a delivery's state ("processed", "failed") and error (NULL), in
 * the caller's transaction when there is one. */
gboolean    cp_webhooks_set_state       (CpLedger    *ledger,
                                         gint64       id,
                                         const char  *state,
                                         const char  *error_text,
                                         GError     **error);
/* Forgets processed and duplicate deliveries received before BEFORE_US
 * (failed ones stay for a person to look at). Their delivery ids go with
 * them, so keep them longer than a store retries: Shopify retries for 4
 * hours; CP_WEBHOOKS_KEEP_US is 30 days. */
#define CP_WEBHOOKS_KEEP_US ((gint64) 30 * 24 * 3600 * G_USEC_PER_SEC)
gboolean    cp_webhooks_purge           (CpLedger    *ledger,
                                         gint64       before_us,
                                         gint64      *out_purged,
                                         GError     **error);
/* Rows per state, for tests and the integration page. */
gint64      cp_webhooks_count           (CpLedger    *ledger,
                                         const char  *integration_id,
                                         const char  *state);

/* --- Processing (cp-webhooks-process.c) -------------------------------- */

/* Where processing gets an integration's credentials; NULL: the Secret
 * Service (cp_credentials_lookup_sync under the ledger's key). */
typedef char *(*CpWebhooksCredentials) (CpLedger    *ledger,
                                        const char  *integration_id,
                                        gpointer     user_data,
                                        GError     **error);

/* Processes up to LIMIT (0: all) "received" deliveries of INTEGRATION_ID
 * (NULL: all), oldest first, each in one transaction with what it
 * imports. A delivery that cannot be read is marked "failed" with the
 * reason (and an activity event); the others go on. ENGINE (nullable) is
 * asked to pull the integration for product and inventory topics. FALSE
 * only when the ledger refused a write. */
gboolean    cp_webhooks_process_pending (CpLedger               *ledger,
                                         const char             *integration_id,
                                         CpEngine               *engine,
                                         CpWebhooksCredentials   credentials,
                                         gpointer                credentials_data,
                                         guint                   limit,
                                         guint                  *out_processed,
                                         GError                **error);

G_END_DECLS
