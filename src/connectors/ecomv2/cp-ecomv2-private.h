/* cp-ecomv2-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the ecomv2 connector's files share: the instance, the HTTP call
 * with its classification of failures, and the response parsers (kept
 * free of I/O so the fuzzer and the golden tests drive them directly).
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cp-ecomv2-connector.h"

G_BEGIN_DECLS

/* A response body larger than this is refused (REMOTE_BUG): a page of 200
 * orders is a few hundred KiB; a body of hundreds of MiB is a broken or
 * hostile server, and libsoup would otherwise buffer it whole. */
#define ECOMV2_MAX_RESPONSE_BYTES ((gsize) 16 * 1024 * 1024)
/* Mapping kinds (cp_integrations_set_mapping). */
#define ECOMV2_KIND_VARIANT  "variant"   /* variant id → product id */
#define ECOMV2_KIND_LOCATION "location"  /* location code → warehouse id */

/* Bodies kept in an exchange for the activity log. */
#define ECOMV2_EXCHANGE_MAX_BODY 4096

struct _CpEcomv2Connector
{
  GObject        parent_instance;

  char          *integration_id;
  char          *base_url;        /* without a trailing '/' */
  char          *api_key;         /* only ever in the Authorization header */
  SoupSession   *session;
  GMutex         limiter_lock;    /* set_rate_limiter from another thread */
  CpRateLimiter *limiter;
  guint          page_size;
  gint64         max_inline_wait_us;
  gboolean       mapped_once;     /* refresh_mappings ran in this instance */
  /* remote product id → SKU, from the last catalog listing: an order
   * line shaped like the seed's example names a product, not a SKU. */
  GHashTable    *sku_by_product;
};

/* ---- HTTP (cp-ecomv2-http.c) ---- */

typedef struct
{
  guint       status;
  JsonNode   *root;     /* owned; NULL when the body was empty or blank */
  char       *exchange; /* redacted, built lazily by ecomv2_response_get_exchange */
  /* what the exchange is built from */
  char       *method;
  char       *url;
  char       *request_body;
  GBytes     *body;
  SoupMessageHeaders *response_headers;
  /* Set by the caller before ecomv2_http_call: a 2xx body is left in
   * BODY, unparsed (ROOT stays NULL), for ecomv2_response_read_batch. */
  gboolean    defer_json;
} Ecomv2Response;

void        ecomv2_response_clear        (Ecomv2Response *response);
const char *ecomv2_response_get_exchange (Ecomv2Response *response);
/* Attaches RESPONSE's exchange to *ERROR, when there is one. */
void        ecomv2_attach_exchange       (GError        **error,
                                          Ecomv2Response *response);

/* Sends METHOD PATH (relative to the base URL, query included) with BODY
 * (JSON text, or NULL), waiting for the rate limiter first. TRUE for a
 * 2xx whose body (if any) is JSON within the limits; then OUT holds it.
 * FALSE otherwise with a classified CP_CONNECTOR_ERROR (or
 * G_IO_ERROR_CANCELLED), the exchange attached; OUT->status is the HTTP
 * status when there was one (0 for a transport failure), so a caller can
 * tell a record's 4xx from the rest. */
gboolean    ecomv2_http_call   (CpEcomv2Connector  *self,
                                const char         *method,
                                const char         *path,
                                const char         *body,
                                Ecomv2Response     *out,
                                GCancellable       *cancellable,
                                GError            **error);
/* The batch results of a 2xx RESPONSE sent with defer_json: read
 * straight from the bytes (ecomv2_scan_batch_results), or when that
 * declines, exactly as ecomv2_http_call and ecomv2_parse_batch_results
 * read them, with the same errors (the exchange attached). */
gboolean    ecomv2_response_read_batch (Ecomv2Response  *response,
                                        GPtrArray       *out,
                                        GError         **error);


/* ---- Parsers (cp-ecomv2-parse.c), all pure ---- */

/* The size/depth pre-scan, then cp_json_parse (json-glib's tree, read
 * fast). A new sealed root; NULL with no error for a blank body (json-glib
 * reads no value in it). A body that does not parse is TRANSIENT (a
 * truncated or garbled transfer); too large or too deep is REMOTE_BUG. */
JsonNode   *ecomv2_parse_json  (const char  *data,
                                gsize        length,
                                GError     **error);

typedef struct
{
  gboolean  has_next;
  char     *next_cursor;  /* when the platform pages by cursor */
} Ecomv2Page;

void        ecomv2_page_clear  (Ecomv2Page *page);

typedef struct
{
  char     *id;
  char     *sku;
  char     *status;       /* active, draft, archived; NULL when absent */
} Ecomv2Product;

void        ecomv2_product_free (Ecomv2Product *product);

/* {"data":[product…],"pagination":{…}} → Ecomv2Product* into OUT. */
gboolean    ecomv2_parse_products_page (JsonNode    *root,
                                        GPtrArray   *out,
                                        Ecomv2Page  *page,
                                        GError     **error);
/* A single product object (POST /products, GET /products/{id}). */
Ecomv2Product *ecomv2_parse_product    (JsonNode    *root,
                                        GError     **error);
/* GET /inventory/{id}: the warehouse ids, in the platform's order. */
gboolean    ecomv2_parse_inventory_warehouses (JsonNode  *root,
                                               GPtrArray *out,
                                               GError   **error);

/* An order as CpOrder: source INTEGRATION_ID, external_id the order id.
 * *OUT_UPDATED_AT_US is its updated_at. */
/* SKU_BY_PRODUCT (may be NULL) names the SKU of a line that gives only
 * its product_id; *OUT_MISSING_SKU (may be NULL) is set when a line had
 * neither. */
CpOrder    *ecomv2_parse_order         (JsonNode    *node,
                                        const char  *integration_id,
                                        GHashTable  *sku_by_product,
                                        gint64      *out_updated_at_us,
                                        gboolean    *out_missing_sku,
                                        GError     **error);
/* {"data":[order…],"pagination":{…}}. Orders go into OUT (CpOrder*),
 * their updated_at into UPDATED_AT (gint64, same order). */
gboolean    ecomv2_parse_orders_page   (JsonNode    *root,
                                        const char  *integration_id,
                                        GHashTable  *sku_by_product,
                                        gboolean    *out_missing_sku,
                                        GPtrArray   *out,
                                        GArray      *updated_at,
                                        Ecomv2Page  *page,
                                        GError     **error);

typedef struct
{
  char     *id;
  gboolean  ok;
  char     *code;     /* the platform's error code when !ok */
  char     *message;
} Ecomv2ItemResult;

void        ecomv2_item_result_free    (Ecomv2ItemResult *result);
/* PATCH /batch/update's {"data":[{"id","status":"updated"|"failed","error"?}]}. */
gboolean    ecomv2_parse_batch_results (JsonNode    *root,
                                        GPtrArray   *out,
                                        GError     **error);

/* cp-ecomv2-scan.c: the same results without a tree: TRUE with them appended to OUT only
 * when ecomv2_parse_json + ecomv2_parse_batch_results would succeed with
 * exactly these; FALSE (OUT as it was) whenever it is not sure, and the
 * caller reads DATA the tree way. It never reports an error of its own. */
gboolean    ecomv2_scan_batch_results  (const char  *data,
                                        gsize        length,
                                        GPtrArray   *out);

/* The seed's {"error":{"code","message",…}}, or NULL members. */
void        ecomv2_parse_error_body    (JsonNode    *root,
                                        const char **out_code,
                                        const char **out_message);

/* ISO 8601 with a zone, to Unix µs. */
gboolean    ecomv2_parse_time          (const char  *text,
                                        gint64      *out_us);
char       *ecomv2_format_time         (gint64       unix_us);

/* Platform order status ↔ the ledger's words. */
const char *ecomv2_status_to_local     (const char  *status,
                                        const char  *payment_status);
const char *ecomv2_status_to_remote    (const char  *local_status);

/* ---- Operations (cp-ecomv2-pull.c, cp-ecomv2-push.c) ---- */

/* Lists the catalog into self->sku_by_product. */
gboolean    ecomv2_load_catalog (CpEcomv2Connector  *self,
                                 GCancellable       *cancellable,
                                 GError            **error);

CpMappingReport *ecomv2_refresh_mappings (CpConnector   *connector,
                                          CpLedger      *ledger,
                                          GCancellable  *cancellable,
                                          GError       **error);
gboolean    ecomv2_pull_orders (CpConnector   *connector,
                                const char    *cursor,
                                CpOrderSink    sink,
                                gpointer       sink_data,
                                char         **out_cursor,
                                GCancellable  *cancellable,
                                GError       **error);
gboolean    ecomv2_push        (CpConnector   *connector,
                                CpLedger      *ledger,
                                CpPushContext *context,
                                const char    *job_kind,
                                GPtrArray     *jobs,
                                GPtrArray     *out_errors,
                                GCancellable  *cancellable,
                                GError       **error);

/* ---- Pushing (cp-ecomv2-push.c, cp-ecomv2-push-products.c) ---- */

/* The requests of a stock push, announced together. */
#define ECOMV2_STOCK_REQUESTS_PER_PUSH 10

typedef struct
{
  CpEcomv2Connector *self;
  CpLedger          *ledger;
  CpPushContext     *context;
  GPtrArray         *jobs;
  GPtrArray         *results;     /* GError* or NULL per job, same order */
  GCancellable      *cancellable;
  /* The requests about to go were announced together
   * (cp_push_context_will_send_many): send them without announcing. */
  gboolean           announced;
} Ecomv2Push;

gint64      ecomv2_payload_int     (const CpOutboxJob *job,
                                    const char        *member);
/* Sets job INDEX's error (the first one set stays). */
void        ecomv2_job_fail        (Ecomv2Push  *push,
                                    guint        index,
                                    GError      *error);
/* Errors that concern the record, not the request as a whole. */
gboolean    ecomv2_is_record_error (const GError *error);
/* Announces (cp_push_context_will_send) and sends one request for the
 * jobs JOB_INDICES (guint, into push->jobs). */
gboolean    ecomv2_send_for_jobs   (Ecomv2Push      *push,
                                    GArray          *job_indices,
                                    const char      *method,
                                    const char      *path,
                                    const char      *body,
                                    Ecomv2Response  *response,
                                    GError         **error);
gboolean    ecomv2_send_for_job    (Ecomv2Push      *push,
                                    guint            index,
                                    const char      *method,
                                    const char      *path,
                                    const char      *body,
                                    Ecomv2Response  *response,
                                    GError         **error);
/* Matches the catalog first when this integration never was. */
gboolean    ecomv2_ensure_mapped   (Ecomv2Push  *push,
                                    GError     **error);
/* The store's product ids of VARIANT_IDS (gint64) as a table gint64* →
 * char*; unmapped variants are not in it. */
GHashTable *ecomv2_map_variants    (Ecomv2Push  *push,
                                    GArray      *variant_ids,
                                    GError     **error);
gboolean    ecomv2_send_batch      (Ecomv2Push  *push,
                                    GArray      *job_indices,
                                    GArray      *update_jobs,
                                    GPtrArray   *update_skus,
                                    gboolean     stock,
                                    const char  *body,
                                    GError     **error);
gboolean    ecomv2_push_products   (Ecomv2Push  *push,
                                    GError     **error);
gboolean    ecomv2_push_order_status (Ecomv2Push  *push,
                                      guint        index,
                                      GError     **error);

/* cp-ecomv2-reconcile.c: CpConnectorInterface.read_stock */
gboolean    ecomv2_read_stock      (CpConnector   *connector,
                                    CpLedger      *ledger,
                                    GPtrArray     *wanted,
                                    GPtrArray     *out_found,
                                    GCancellable  *cancellable,
                                    GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Ecomv2Product, ecomv2_product_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Ecomv2ItemResult, ecomv2_item_result_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Ecomv2Response, ecomv2_response_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Ecomv2Page, ecomv2_page_clear)

G_END_DECLS
