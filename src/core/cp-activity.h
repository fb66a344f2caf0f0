/* cp-activity.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The activity log: typed events, filterable, with the redacted request
 * and response of every failure for whoever supports the shop.
 */

#pragma once

#include <glib.h>

#include "cp-ledger.h"

G_BEGIN_DECLS

/* Seed 003's events, and the ones the product needs besides. */
#define CP_ACTIVITY_PRODUCT_SYNCED_TO_STORE     "ProductSyncedToStore"
#define CP_ACTIVITY_ORDER_RECEIVED_FROM_STORE   "OrderReceivedFromStore"
#define CP_ACTIVITY_INVENTORY_SYNC_COMPLETED    "InventorySyncCompleted"
#define CP_ACTIVITY_STORE_CONNECTION_FAILED     "StoreConnectionFailed"
#define CP_ACTIVITY_ORDER_STATUS_PUSHED         "OrderStatusPushedToStore"
#define CP_ACTIVITY_RECORD_REJECTED             "RecordRejected"       /* one record isolated */
#define CP_ACTIVITY_RATE_LIMITED                "RateLimited"
#define CP_ACTIVITY_JOB_DEAD                    "JobDead"
#define CP_ACTIVITY_JOB_RETRIED                 "JobRetried"
#define CP_ACTIVITY_CREDENTIALS_REJECTED        "CredentialsRejected"
#define CP_ACTIVITY_INTEGRATION_ADDED           "IntegrationAdded"
#define CP_ACTIVITY_INTEGRATION_REMOVED         "IntegrationRemoved"
#define CP_ACTIVITY_INTEGRATION_PAUSED          "IntegrationPaused"
#define CP_ACTIVITY_INTEGRATION_RESUMED         "IntegrationResumed"
#define CP_ACTIVITY_SYNC_STOPPED                "SyncStopped"          /* disk full, ... */
#define CP_ACTIVITY_INVENTORY_RECONCILED        "InventoryReconciled"  /* a full comparison */
#define CP_ACTIVITY_WEBHOOK_REJECTED            "WebhookRejected"      /* a bad signature, ... */
#define CP_ACTIVITY_STORE_CURRENCY_MISMATCH     "StoreCurrencyMismatch" /* orders kept aside */

typedef enum
{
  CP_ACTIVITY_INFO,
  CP_ACTIVITY_WARNING,
  CP_ACTIVITY_ERROR,
} CpActivitySeverity;

typedef struct
{
  gint64              id;
  gint64              at;             /* µs UTC */
  char               *type;
  CpActivitySeverity  severity;
  char               *integration_id; /* or NULL */
  gint64              job_id;         /* 0 when none */
  char               *message;
  char               *details;        /* JSON, redacted; or NULL */
} CpActivityEvent;

GType             cp_activity_event_get_type (void) G_GNUC_CONST;
CpActivityEvent  *cp_activity_event_copy     (const CpActivityEvent *self);
void              cp_activity_event_free     (CpActivityEvent *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpActivityEvent, cp_activity_event_free)

const char       *cp_activity_severity_to_string (CpActivitySeverity severity);
gboolean          cp_activity_severity_from_string (const char         *text,
                                                    CpActivitySeverity *out);

/* Appends one event; joins the caller's transaction when there is one.
 * details_json must already be redacted (cp_activity_redact_*). Returns
 * the new id, or 0 with error set. */
gint64            cp_activity_log    (CpLedger            *ledger,
                                      const char          *type,
                                      CpActivitySeverity   severity,
                                      const char          *integration_id,
                                      gint64               job_id,
                                      const char          *message,
                                      const char          *details_json,
                                      GError             **error);

typedef struct
{
  const char         *integration_id;  /* NULL: all */
  const char         *type;            /* NULL: all */
  gboolean            has_min_severity;
  CpActivitySeverity  min_severity;
  gint64              since;           /* µs, 0: no bound */
  gint64              before_id;       /* keyset paging: ids below this; 0: from the newest */
  guint               limit;           /* 0: 100 */
} CpActivityQuery;

/* Newest first. Returns a GPtrArray of CpActivityEvent. */
GPtrArray        *cp_activity_query  (CpLedger              *ledger,
                                      const CpActivityQuery *query,
                                      GError               **error);
/* Events of severity >= warning not older than since (the Activity badge). */
guint             cp_activity_count_attention (CpLedger  *ledger,
                                      gint64     since,
                                      GError   **error);

/* Redaction: what may be kept of an HTTP exchange. Authorization,
 * Cookie, X-*-Key, *token*, *secret*, *password* headers and JSON
 * members are replaced by "[redacted]"; bodies are cut to max_body bytes.
 * Returns a JSON object text:
 * {"request":{"method","url","headers":{},"body"},"response":{"status","headers":{},"body"}} */
char             *cp_activity_redact_exchange (const char         *method,
                                               const char         *url,
                                               const char * const *request_headers,  /* name, value, ..., NULL */
                                               const char         *request_body,
                                               guint               status,
                                               const char * const *response_headers,
                                               const char         *response_body,
                                               gsize               max_body);
/* Replaces secret-looking members in a JSON text, recursively. */
char             *cp_activity_redact_json    (const char *json_text);

/* Deletes events older than before_us. */
gboolean          cp_activity_purge  (CpLedger  *ledger,
                                      gint64     before_us,
                                      GError   **error);

G_END_DECLS
