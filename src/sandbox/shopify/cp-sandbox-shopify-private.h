/* cp-sandbox-shopify-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Shopify fake's store and the request context its GraphQL
 * operations run in (cp-sandbox-shopify-graphql.c).
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cp-sandbox-json.h"
#include "cp-sandbox-server.h"
#include "cp-sandbox-shopify.h"

G_BEGIN_DECLS

#define SHOPIFY_N_LOCATIONS 2

typedef struct
{
  gint64  id;
  gint64  product_id;
  char   *sku;           /* NULL: a variant without SKU */
  gint64  price_minor;
  gint64  inventory_item_id;
  gint64  available[SHOPIFY_N_LOCATIONS];
  /* Zero is Shopify's usual state: stocked everywhere, quantity tracked. */
  gboolean unstocked[SHOPIFY_N_LOCATIONS];
  gboolean untracked;
} ShopifyVariant;

typedef struct
{
  gint64      id;
  char       *title;
  char       *status;     /* ACTIVE, DRAFT, ARCHIVED */
  char       *product_type; /* productType: the merchant's own word, "" when none */
  gboolean    deleted;
  GPtrArray  *variants;   /* ShopifyVariant* */
  GHashTable *metafields; /* "namespace.key" → value */
  gint64      updated_at;
} ShopifyProduct;

typedef struct
{
  gint64  id;
  char   *sku;           /* NULL for a custom line item */
  char   *title;
  gint64  variant_id;    /* 0: custom */
  gint64  quantity;
  gint64  current_quantity;
  gint64  fulfilled;
  gint64  unit_price_minor;
  gint64  tax_minor;
} ShopifyLine;

typedef struct
{
  gint64  id;
  gint64  amount_minor;
  gint64  created_at;
} ShopifyRefund;

typedef struct
{
  gint64     id;
  char      *name;
  char       currency[4];
  gint64     created_at;
  gint64     updated_at;
  gint64     cancelled_at;   /* 0: not */
  char      *financial_status;
  GPtrArray *lines;          /* ShopifyLine* */
  GPtrArray *refunds;        /* ShopifyRefund* */
  char      *tracking;       /* of the last fulfillment */
  gint64     shipping_minor;
} ShopifyOrder;

typedef struct
{
  GPtrArray  *products;       /* ShopifyProduct* */
  GPtrArray  *orders;         /* ShopifyOrder*, by id */
  GHashTable *by_item;        /* inventory item id → ShopifyVariant* */
  GHashTable *by_variant;     /* variant id → ShopifyVariant* */
  char        currency[4];
  gint64      next_id;
  gint64      clock;          /* Unix µs, strictly increasing */
  GPtrArray  *by_updated;     /* ShopifyOrder*, by (updated_at, id), or NULL */
  gint64      by_updated_clock; /* the clock by_updated was sorted at */
} ShopifyStore;

extern const char * const shopify_location_names[SHOPIFY_N_LOCATIONS];
extern const gint64 shopify_location_ids[SHOPIFY_N_LOCATIONS];

ShopifyStore   *shopify_store_new        (guint          n_products,
                                          guint          n_orders);
void            shopify_store_free       (ShopifyStore  *store);
gint64          shopify_store_tick       (ShopifyStore  *store);
ShopifyProduct *shopify_store_add_product (ShopifyStore *store,
                                          const char    *title);
ShopifyVariant *shopify_store_add_variant (ShopifyStore *store,
                                          ShopifyProduct *product,
                                          const char    *sku,
                                          gint64         price_minor);
ShopifyVariant *shopify_store_find_sku   (ShopifyStore  *store,
                                          const char    *sku);
ShopifyProduct *shopify_store_find_product (ShopifyStore *store,
                                          gint64         id);
ShopifyOrder   *shopify_store_find_order (ShopifyStore  *store,
                                          gint64         id);
ShopifyOrder   *shopify_store_add_order  (ShopifyStore  *store);
/* The orders by (updated_at, id), sorted again only when the store's
 * clock has moved: every change to an order ticks it. */
GPtrArray      *shopify_store_orders_by_updated (ShopifyStore *store);
void            shopify_store_delete_product (ShopifyStore   *store,
                                          ShopifyProduct *product);

/* "gid://shopify/TYPE/ID" → ID, 0 when it is not one of TYPE. */
gint64          shopify_gid_parse        (const char    *gid,
                                          const char    *type);
char           *shopify_gid              (const char    *type,
                                          gint64         id);
char           *shopify_fake_format_time      (gint64         unix_us);
char           *shopify_money            (gint64         minor);

/* One GraphQL request being served. */
typedef struct
{
  CpSandboxServer *server;
  ShopifyStore    *store;
  const char      *query;
  JsonObject      *variables;  /* never NULL */
  const char      *field;      /* the root field */
  gboolean         mutation;
  char            *idempotency_key; /* NULL when none */
  const char      *version;    /* the version served */
  GStrv            scopes;
  guint            mutation_cost;
  guint            per_input_cost;
  guint            connection_base;
  /* What the operation sets. */
  double           requested;  /* cost, known before running */
  double           actual;
  guint            n_effects;
  /* The field's value as JSON text, when the operation wrote it itself
   * (a page of orders) and added a null to the builder in its place. */
  GString         *raw;
} ShopifyOp;

/* Finds the root field and the directive in the document. FALSE with a
 * GraphQL error message in *OUT_MESSAGE for what is not understood
 * (cp-sandbox-shopify-document.c). */
gboolean        shopify_op_parse         (ShopifyOp     *op,
                                          char         **out_message);
/* The value of argument ARG of the nested FIELD(…) (a $variable's value
 * or a "literal"), or NULL (cp-sandbox-shopify-document.c). */
char           *shopify_op_argument      (ShopifyOp     *op,
                                          const char    *field,
                                          const char    *arg);
/* Whether the document asks for inventoryLevel(locationId:). */
gboolean        shopify_op_selects_one_level (ShopifyOp *op);
/* The requested cost, or -1 with *OUT_MESSAGE for bad arguments. */
double          shopify_op_requested_cost (ShopifyOp    *op,
                                          char         **out_message,
                                          const char   **out_code);
/* The scope the field needs, or NULL. */
const char     *shopify_op_required_scope (ShopifyOp    *op);
/* Runs the operation: the value of data.<field>, added to B. */
void            shopify_op_run           (ShopifyOp     *op,
                                          JsonBuilder   *b);

/* The fake itself (cp-sandbox-shopify.c), its settings and counters
 * (cp-sandbox-shopify-api.c). */
typedef struct
{
  double available;
  double size;
  double rate;      /* per second */
  gint64 last_us;   /* monotonic */
} Bucket;

struct _CpSandboxShopify
{
  GObject       parent_instance;
  GMutex        mutex;
  ShopifyStore *store;
  GHashTable   *tokens;          /* token → GStrv scopes */
  gboolean      default_token;   /* the default is still the only one */
  Bucket        bucket;
  Bucket        rest;            /* "available" is the fill level here */
  guint         mutation_cost;
  guint         per_input_cost;
  guint         connection_base;
  gboolean      throttle_429;
  GHashTable   *replies;         /* idempotency key → response body */
  GHashTable   *versions;        /* version asked for in a GraphQL path → count */
  guint         n_throttled;
  guint         n_mutations;
  double        points;
  guint         n_rest_throttled;
};

/* JSON helpers shared by the GraphQL files. */
JsonObject     *shopify_var_object       (ShopifyOp     *op,
                                          const char    *name);
JsonArray      *shopify_member_array     (JsonObject    *obj,
                                          const char    *name);
const char     *shopify_member_string    (JsonObject    *obj,
                                          const char    *name);
gboolean        shopify_member_int       (JsonObject    *obj,
                                          const char    *name,
                                          gint64        *out);
void            shopify_begin_user_errors (JsonBuilder  *b);
void            shopify_add_user_error   (JsonBuilder   *b,
                                          const char    *code,
                                          const char    *message,
                                          const char    *field0,
                                          int            index,
                                          const char    *field2);
void            shopify_add_str          (JsonBuilder   *b,
                                          const char    *name,
                                          const char    *value);
void            shopify_add_gid          (JsonBuilder   *b,
                                          const char    *name,
                                          const char    *type,
                                          gint64         id);
void            shopify_add_id_object    (JsonBuilder   *b,
                                          const char    *name,
                                          const char    *type,
                                          gint64         id);
void            shopify_add_time         (JsonBuilder   *b,
                                          const char    *name,
                                          gint64         us);

/* An order as the orders connection shows it, its first MAX_LINES
 * lines (LEAVE_OPEN: the object left open for the caller to add to), in
 * the text the JsonBuilder helpers would write (cp-sandbox-shopify-json.c). */
void            shopify_write_order      (CpSandboxJson *w,
                                          ShopifyOrder  *o,
                                          gint64         max_lines,
                                          gboolean       leave_open);
/* An order's fulfillmentOrders member, for the order query. */
void            shopify_write_fulfillment_orders (CpSandboxJson *w,
                                                  ShopifyOrder  *o);
/* A connection's pageInfo, as the builder's add_page_info writes it. */
void            shopify_write_page_info  (CpSandboxJson *w,
                                          gboolean       has_next,
                                          const char    *end_cursor);

/* The mutations (cp-sandbox-shopify-mutations.c). */
void            shopify_run_inventory_set      (ShopifyOp   *op,
                                                JsonBuilder *b);
void            shopify_run_product_set        (ShopifyOp   *op,
                                                JsonBuilder *b);
void            shopify_run_fulfillment_create (ShopifyOp   *op,
                                                JsonBuilder *b);

G_END_DECLS
