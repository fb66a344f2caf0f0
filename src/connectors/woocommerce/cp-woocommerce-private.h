/* cp-woocommerce-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the WooCommerce connector's files share: the instance, the HTTP
 * call with its authentication and its classification of failures, and
 * the response parsers. The parsers do no I/O, so the golden tests, the
 * fuzzer and a colleague's webhook code call them directly:
 * cp_woocommerce_parse_order() reads one wc/v3 order as a REST answer or
 * a webhook delivery body gives it.
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cp-orders.h"
#include "cp-woocommerce-connector.h"

G_BEGIN_DECLS

/* A page of 100 orders is a few hundred KiB; far larger is a broken or
 * hostile server, which libsoup would otherwise buffer whole. */
#define WOO_MAX_RESPONSE_BYTES ((gsize) 16 * 1024 * 1024)
#define WOO_EXCHANGE_MAX_BODY 4096
#define WOO_API_PATH "/wp-json/wc/v3"

struct _CpWoocommerceConnector
{
  GObject        parent_instance;

  char          *integration_id;
  char          *base_url;         /* the site, without a trailing '/' */
  char          *consumer_key;     /* only ever in a header or a signed query */
  char          *consumer_secret;  /* never sent over plain http */
  gboolean       use_oauth;        /* plain http (loopback): OAuth 1.0a */
  SoupSession   *session;
  GMutex         limiter_lock;
  CpRateLimiter *limiter;
  guint          page_size;
  gint64         max_inline_wait_us;
  gboolean       mapped_once;
  guint          rate_per_minute; /* from the settings, 0: seed 003's default */
};

/* ---- HTTP (cp-woocommerce-http.c) ---- */

typedef struct
{
  guint               status;
  JsonNode           *root;     /* owned; NULL when the body was empty or blank */
  char               *exchange; /* redacted, built lazily */
  char               *method;
  char               *url;      /* as logged: without any signature */
  char               *request_body;
  GBytes             *body;
  SoupMessageHeaders *response_headers;
} WooResponse;

void        woo_response_clear        (WooResponse *response);
const char *woo_response_get_exchange (WooResponse *response);
void        woo_attach_exchange       (GError     **error,
                                       WooResponse *response);

/* METHOD PATH (under /wp-json/wc/v3, query included; or an absolute site
 * path when it starts with "/wp-json/") with BODY (JSON text or NULL),
 * after the rate limiter. TRUE for a 2xx whose body (if any) is JSON
 * within the limits. FALSE with a classified CP_CONNECTOR_ERROR (or
 * G_IO_ERROR_CANCELLED), the exchange attached; OUT->status is the
 * HTTP status when there was one. */
gboolean    woo_http_call             (CpWoocommerceConnector *self,
                                       const char             *method,
                                       const char             *path,
                                       const char             *body,
                                       WooResponse            *out,
                                       GCancellable           *cancellable,
                                       GError                **error);
/* The OAuth 1.0a one-legged signature (base64 HMAC) of METHOD URL
 * (without query) and the decoded PARAMS (name → value, oauth_* included,
 * oauth_signature not), keyed with SECRET + "&". Exposed for the tests. */
char       *woo_oauth_signature       (const char   *method,
                                       const char   *url,
                                       GHashTable   *params,
                                       const char   *secret,
                                       GChecksumType type);
void        woo_json_append_string    (GString    *out,
                                       const char *text);
/* X-WP-TotalPages of a list answer, 0 when absent. */
guint       woo_response_total_pages  (WooResponse *response);

/* ---- Parsers (cp-woocommerce-parse.c), all pure ---- */

/* The size/depth pre-scan, then cp_json_parse (json-glib's tree, read
 * fast): a new sealed root, or NULL with no error for a blank body
 * (json-glib reads no value in it). */
JsonNode   *woo_parse_json            (const char  *data,
                                       gsize        length,
                                       GError     **error);

typedef struct
{
  gint64    id;
  gint64    parent_id;    /* 0 for a product */
  char     *type;         /* simple, variable, variation, … */
  char     *sku;          /* NULL when empty */
  char     *status;       /* publish, draft, trash…; NULL for a variation */
  GArray   *variations;   /* gint64 ids of a variable product */
  gboolean  manage_stock; /* FALSE also for "parent" (a variation's stock is its parent's) */
  gint64    stock_quantity; /* -1 when null */
} WooProduct;

void        woo_product_free          (WooProduct *product);
/* A product or variation object. */
WooProduct *woo_parse_product         (JsonNode  *node,
                                       GError   **error);
/* A JSON array of them into OUT (WooProduct*). */
gboolean    woo_parse_products        (JsonNode  *root,
                                       GPtrArray *out,
                                       GError   **error);

/* One wc/v3 order as a CpOrder: source INTEGRATION_ID, external_id the
 * order id, money parsed exactly in the order's currency (line price as
 * a JSON number or string), lines with product_id 0 kept by name, refunds
 * from its refunds array. *OUT_MODIFIED_US (may be NULL) is its
 * date_modified_gmt. */
CpOrder    *cp_woocommerce_parse_order (JsonNode    *node,
                                        const char  *integration_id,
                                        gint64      *out_modified_us,
                                        GError     **error);
/* GET orders/{id}/refunds, or one refund: amounts (positive minor units)
 * and reasons added to ORDER. */
gboolean    woo_parse_refunds         (JsonNode    *root,
                                       CpOrder     *order,
                                       GError     **error);

typedef struct
{
  gint64  id;
  gboolean ok;
  char   *code;
  char   *message;
} WooItemResult;

void        woo_item_result_free      (WooItemResult *result);
/* A batch answer {"create":[…],"update":[…],"delete":[…]}: the results
 * of ACTION ("update"…) into OUT, in order. */
gboolean    woo_parse_batch_results   (JsonNode    *root,
                                       const char  *action,
                                       GPtrArray   *out,
                                       GError     **error);
/* WordPress's {"code","message","data":{"status"}}, or NULL members. */
void        woo_parse_error_body      (JsonNode    *root,
                                       const char **out_code,
                                       const char **out_message);
/* settings/general: the value of woocommerce_currency, or NULL. */
char       *woo_parse_currency_setting (JsonNode  *root);

/* "2017-03-22T16:28:02" (UTC, as the *_gmt fields are) to Unix µs. */
gboolean    woo_parse_gmt_date        (const char *text,
                                       gint64     *out_us);
char       *woo_format_gmt_date       (gint64      unix_us);

/* Order statuses ↔ the ledger's words. */
const char *woo_status_to_local       (const char *status);
const char *woo_status_to_remote      (const char *local_status);

/* ---- Operations ---- */

/* "rate_limit_per_minute": N in the integration's settings (1…100,000)
 * sets the connector's pace in place of seed 003's 60 a minute; read
 * whenever an operation has the ledger (cp-woocommerce-pull.c). */
#define WOO_SETTING_RATE "rate_limit_per_minute"
gboolean    woo_apply_settings        (CpWoocommerceConnector *self,
                                       CpLedger               *ledger,
                                       GError                **error);

CpMappingReport *woo_refresh_mappings (CpConnector   *connector,
                                       CpLedger      *ledger,
                                       GCancellable  *cancellable,
                                       GError       **error);
gboolean    woo_pull_orders           (CpConnector   *connector,
                                       const char    *cursor,
                                       CpOrderSink    sink,
                                       gpointer       sink_data,
                                       char         **out_cursor,
                                       GCancellable  *cancellable,
                                       GError       **error);
gboolean    woo_push                  (CpConnector   *connector,
                                       CpLedger      *ledger,
                                       CpPushContext *context,
                                       const char    *job_kind,
                                       GPtrArray     *jobs,
                                       GPtrArray     *out_errors,
                                       GCancellable  *cancellable,
                                       GError       **error);

/* ---- Pushing (cp-woocommerce-push.c, cp-woocommerce-push-products.c) ---- */

typedef struct
{
  CpWoocommerceConnector *self;
  CpLedger               *ledger;
  CpPushContext          *context;
  GPtrArray              *jobs;
  GPtrArray              *results;  /* GError* or NULL per job */
  GCancellable           *cancellable;
} WooPush;

/* One item of a batch: the job it serves and its JSON. */
typedef struct
{
  guint   job;
  gint64  remote_id;
  char   *sku;
  char   *json;
} WooItem;

void        woo_item_clear        (gpointer data);
typedef struct
{
  GArray     *simple;      /* WooItem */
  GHashTable *variations;  /* gint64* parent → GArray of WooItem */
  GArray     *parents;     /* gint64, in order of first appearance */
} WooGrouped;

void        woo_grouped_init      (WooGrouped *g);
void        woo_grouped_clear     (WooGrouped *g);
/* Adds ITEM (taken) to the simple products, or to PARENT's variations. */
void        woo_grouped_add       (WooGrouped *g,
                                   gint64      parent,
                                   WooItem    *item);
/* products/batch for the simple ones, one variations/batch per parent,
 * at most 100 items a request. */
gboolean    woo_send_grouped      (WooPush    *push,
                                   WooGrouped *g,
                                   gboolean    stock,
                                   GError    **error);
/* Sets job INDEX's error (the first one set stays). */
void        woo_job_fail          (WooPush    *push,
                                   guint       index,
                                   GError     *error);
gboolean    woo_is_record_error   (const GError *error);
gint64      woo_payload_int       (const CpOutboxJob *job,
                                   const char        *member);
/* Announces (cp_push_context_will_send) and sends one request for the
 * jobs of ITEMS. */
gboolean    woo_send_for_items    (WooPush      *push,
                                   GArray       *items,
                                   const char   *method,
                                   const char   *path,
                                   const char   *body,
                                   WooResponse  *response,
                                   GError      **error);
/* Matches the catalog first when this integration never was. */
gboolean    woo_ensure_mapped     (WooPush    *push,
                                   GError    **error);
/* variant id (gint64*) → remote id ("93" or "22/732") for IDS. */
GHashTable *woo_map_variants      (WooPush      *push,
                                   const gint64 *ids,
                                   guint         n,
                                   GError      **error);
/* "22/732" → parent 22, id 732; "93" → parent 0, id 93. */
gboolean    woo_split_remote_id   (const char *remote,
                                   gint64     *out_parent,
                                   gint64     *out_id);
GError     *woo_item_error        (const WooItemResult *result,
                                   gboolean             stock,
                                   const char          *sku,
                                   const char          *exchange);
/* The connector's read_stock (cp-woocommerce-push.c). */
gboolean    woo_read_stock        (CpConnector  *connector,
                                   CpLedger     *ledger,
                                   GPtrArray    *wanted,
                                   GPtrArray    *out_found,
                                   GCancellable *cancellable,
                                   GError      **error);
gboolean    woo_push_products     (WooPush    *push,
                                   GError    **error);
gboolean    woo_push_order_status (WooPush    *push,
                                   guint       index,
                                   GError    **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WooGrouped, woo_grouped_clear)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WooProduct, woo_product_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WooResponse, woo_response_clear)

G_END_DECLS
