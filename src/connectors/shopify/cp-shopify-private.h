/* cp-shopify-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the Shopify connector's files share: the instance, the GraphQL
 * call with its cost budget and its classification of failures, and the
 * parsers (pure, so the fuzzer and the golden tests drive them, and the
 * webhook receiver reuses the REST order parser).
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cp-orders.h"
#include "cp-shopify-connector.h"

G_BEGIN_DECLS

#define SHOPIFY_MAX_RESPONSE_BYTES ((gsize) 16 * 1024 * 1024)
#define SHOPIFY_EXCHANGE_MAX_BODY 4096

/* Mapping kinds (cp_integrations_set_mapping). */
#define SHOPIFY_KIND_VARIANT   "variant"         /* variant id → ProductVariant gid */
#define SHOPIFY_KIND_ITEM      "inventory_item"  /* variant id → InventoryItem gid;
                                                  * last_hash: {"LOCATION_GID": last quantity} */
/* In that last_hash, "!LOCATION_GID": 1 when a reconciliation saw
 * Shopify show another quantity there than the last one: the next push
 * sends even what equals the last quantity, to compare it. */
#define SHOPIFY_DRIFT_PREFIX   "!"
/* And "@untracked": 1 when Shopify does not track the item's quantity
 * ("Track quantity" off): a push sends it nothing and says so. */
#define SHOPIFY_UNTRACKED_KEY  "@untracked"
#define SHOPIFY_KIND_PRODUCT   "product"         /* product id → Product gid */
#define SHOPIFY_KIND_LOCATION  "location"        /* location code → Location gid */
#define SHOPIFY_KIND_EXCLUDED  "product.excluded"

struct _CpShopifyConnector
{
  GObject        parent_instance;

  char          *integration_id;
  char          *base_url;         /* the shop, without a trailing '/' */
  char          *access_token;     /* only ever in X-Shopify-Access-Token */
  char          *api_version;
  gboolean       version_pinned;   /* set by cp_shopify_connector_set_api_version() */
  char           ledger_currency[4]; /* learnt with the ledger; "" until then */
  SoupSession   *session;
  GMutex         lock;             /* limiter, counters */
  CpRateLimiter *limiter;
  GHashTable    *last_cost;        /* root field → last requested cost */
  gint64         max_inline_wait_us;
  guint          page_size;
  gboolean       mapped_once;
  guint          n_requests;
  guint          n_throttled;
};

/* ---- GraphQL (cp-shopify-http.c) ---- */

typedef struct
{
  guint       status;
  JsonNode   *root;       /* owned; NULL when the body was empty or blank */
  JsonObject *data;       /* "data", NULL when absent or null */
  char       *exchange;
  char       *url;
  char       *request_body;
  GBytes     *body;
  SoupMessageHeaders *response_headers;
} ShopifyResponse;

void        shopify_response_clear        (ShopifyResponse *response);
const char *shopify_response_get_exchange (ShopifyResponse *response);

/* Sends QUERY with VARIABLES (a JSON object, taken; may be NULL) for the
 * root field FIELD, whose cost is about ESTIMATE points, after waiting for
 * the cost budget. Sits out a THROTTLED answer when the wait is short;
 * TRUE when data came back without top-level errors. Failures are
 * classified CP_CONNECTOR_ERROR with the exchange attached. */
gboolean    shopify_graphql (CpShopifyConnector  *self,
                             const char          *field,
                             const char          *query,
                             JsonNode            *variables,
                             double               estimate,
                             ShopifyResponse     *out,
                             GCancellable        *cancellable,
                             GError             **error);
/* Whether this connector's version honours @idempotent. */
gboolean    shopify_supports_idempotency (CpShopifyConnector *self);
/* Reads the integration's settings (api_version) from LEDGER, or when
 * NULL (a pull) from what the engine set as CP_SHOPIFY_SETTINGS_DATA. */
void        shopify_read_settings        (CpShopifyConnector *self,
                                          CpLedger           *ledger);

/* ---- Parsers (cp-shopify-parse.c), pure ---- */

/* The size/depth pre-scan, then cp_json_parse (json-glib's tree, read
 * fast): a new sealed root, or NULL with no error for a blank body
 * (json-glib reads no value in it). */
JsonNode   *shopify_parse_json   (const char  *data,
                                  gsize        length,
                                  GError     **error);
/* Walks OBJ along dot-separated PATH ("a.b.c"): NULL when absent or null. */
JsonNode   *shopify_get          (JsonObject  *obj,
                                  const char  *path);
JsonObject *shopify_get_object   (JsonObject  *obj,
                                  const char  *path);
JsonArray  *shopify_get_array    (JsonObject  *obj,
                                  const char  *path);
const char *shopify_get_string   (JsonObject  *obj,
                                  const char  *path);
gboolean    shopify_get_int      (JsonObject  *obj,
                                  const char  *path,
                                  gint64      *out);
/* A number or a numeric string ("1000.0") as a double. */
gboolean    shopify_get_number   (JsonObject  *obj,
                                  const char  *path,
                                  double      *out);

typedef struct
{
  double   requested;
  double   actual;           /* -1: null (throttled) */
  double   maximum;
  double   available;
  double   restore_rate;
  gboolean present;
} ShopifyCost;

/* extensions.cost of a response. */
void        shopify_parse_cost   (JsonNode    *root,
                                  ShopifyCost *out);
/* The first top-level error's code (extensions.code) and message, or
 * NULL members. */
void        shopify_parse_top_error (JsonNode    *root,
                                     const char **out_code,
                                     const char **out_message);

/* ISO 8601 (Z or offset) to Unix µs, and back (UTC, whole seconds). */
gboolean    shopify_parse_time   (const char  *text,
                                  gint64      *out_us);
char       *shopify_format_time  (gint64       unix_us);

/* A MoneyV2 {amount: "19.99", currencyCode} (or a *Set's shopMoney, or
 * REST's {amount, currency_code}) into minor units of CURRENCY, which it
 * must match (or fill when empty). */
gboolean    shopify_parse_money  (JsonObject  *money,
                                  char         currency[4],
                                  gint64      *out_minor,
                                  const char  *what,
                                  GError     **error);

/* A GraphQL order node as a CpOrder (source INTEGRATION_ID, external_id
 * its gid); *OUT_UPDATED_AT_US its updatedAt. A line item without a
 * variant or SKU (a custom item) is kept with its name and no SKU; a
 * refund larger than what was paid is capped there. */
CpOrder    *shopify_parse_order  (JsonObject  *node,
                                  const char  *integration_id,
                                  gint64      *out_updated_at_us,
                                  GError     **error);
/* The REST (and webhook) order, {"order": {…}} or the bare object, as a
 * CpOrder whose external_id is its admin_graphql_api_id, so an order
 * that arrives both ways is one order. */
CpOrder    *cp_shopify_parse_rest_order (JsonNode    *root,
                                         const char  *integration_id,
                                         gint64      *out_updated_at_us,
                                         GError     **error);

typedef struct
{
  char *code;
  char *message;
  int   index;      /* the input array index the field names, or -1 */
} ShopifyUserError;

void        shopify_user_error_free (ShopifyUserError *e);
/* PAYLOAD.userErrors into OUT (ShopifyUserError*). */
void        shopify_parse_user_errors (JsonObject *payload,
                                       GPtrArray  *out);

/* ---- Operations (cp-shopify-pull.c, cp-shopify-push*.c) ---- */

CpMappingReport *shopify_refresh_mappings (CpConnector   *connector,
                                           CpLedger      *ledger,
                                           GCancellable  *cancellable,
                                           GError       **error);
gboolean    shopify_pull_orders (CpConnector   *connector,
                                 const char    *cursor,
                                 CpOrderSink    sink,
                                 gpointer       sink_data,
                                 char         **out_cursor,
                                 GCancellable  *cancellable,
                                 GError       **error);
gboolean    shopify_push        (CpConnector   *connector,
                                 CpLedger      *ledger,
                                 CpPushContext *context,
                                 const char    *job_kind,
                                 GPtrArray     *jobs,
                                 GPtrArray     *out_errors,
                                 GCancellable  *cancellable,
                                 GError       **error);

/* The shop's active locations (gids) into OUT. */
gboolean    shopify_list_locations (CpShopifyConnector  *self,
                                    GPtrArray           *out,
                                    GCancellable        *cancellable,
                                    GError             **error);
/* cp-shopify-stock-read.c: CpConnectorInterface.read_stock */
gboolean    shopify_read_stock  (CpConnector   *connector,
                                 CpLedger      *ledger,
                                 GPtrArray     *wanted,
                                 GPtrArray     *out_found,
                                 GCancellable  *cancellable,
                                 GError       **error);

/* Re-reads the available quantities of inventory items (gids) at every
 * location into OUT: item gid → GHashTable (location gid → gint64*, and
 * SHOPIFY_UNTRACKED_KEY when not tracked). */
gboolean    shopify_read_levels (CpShopifyConnector  *self,
                                 GPtrArray           *item_ids,
                                 GHashTable          *out,
                                 GCancellable        *cancellable,
                                 GError             **error);
/* {"LOC": n, …} for the mapping's last_hash, and back. */
char       *shopify_levels_to_json (GHashTable *levels);
GHashTable *shopify_levels_from_json (const char *text);

typedef struct
{
  CpShopifyConnector *self;
  CpLedger           *ledger;
  CpPushContext      *context;
  GPtrArray          *jobs;
  GPtrArray          *results;
  GCancellable       *cancellable;
} ShopifyPush;

/* A JSON array of ids (gint64) for "IN (SELECT value FROM json_each (?))". */
char       *shopify_ids_to_json    (GArray            *ids);
gint64      shopify_payload_int    (const CpOutboxJob *job,
                                    const char        *member);
const char *shopify_payload_string (const CpOutboxJob *job,
                                    const char        *member,
                                    JsonParser       **parser);
void        shopify_job_fail       (ShopifyPush *push,
                                    guint        index,
                                    GError      *error);
/* Announces the request for JOB_INDICES and sends it. */
gboolean    shopify_send_for_jobs  (ShopifyPush      *push,
                                    GArray           *job_indices,
                                    const char       *field,
                                    const char       *query,
                                    JsonNode         *variables,
                                    double            estimate,
                                    ShopifyResponse  *out,
                                    GError          **error);
/* An @idempotent key for the jobs JOB_INDICES: the same jobs, the same key. */
char       *shopify_idempotency_key (ShopifyPush *push,
                                     GArray      *job_indices);
gboolean    shopify_ensure_mapped  (ShopifyPush *push,
                                    GError     **error);
gboolean    shopify_push_stock     (ShopifyPush *push,
                                    GError     **error);
gboolean    shopify_push_products  (ShopifyPush *push,
                                    GError     **error);
gboolean    shopify_push_order_status (ShopifyPush *push,
                                       guint        index,
                                       GError     **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ShopifyResponse, shopify_response_clear)

G_END_DECLS
