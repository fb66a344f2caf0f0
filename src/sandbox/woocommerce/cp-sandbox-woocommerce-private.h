/* cp-sandbox-woocommerce-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The WooCommerce fake's store, shared by its front door, data and
 * handler files. Products and variations share one id space, as posts do
 * in WordPress; orders are kept as the wc/v3 JSON the store serves, so
 * what a test adds in that shape comes back byte for byte.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cp-sandbox-server.h"

#include "cp-sandbox-woocommerce.h"

G_BEGIN_DECLS



typedef struct
{
  guint      id;
  guint      parent_id;      /* 0 for a product; the product of a variation */
  char      *type;           /* simple, variable, variation */
  char      *sku;            /* "" when none */
  char      *name;
  char      *size;           /* a variation's attribute option, or NULL */
  gint64     price_minor;
  gboolean   manage_stock;
  gint64     stock_quantity;
  gint64     modified_us;
  GArray    *variations;     /* guint ids, for a variable product */
  JsonNode  *categories;     /* array, or NULL */
  JsonNode  *meta_data;      /* array of {id,key,value}, or NULL */
  gboolean   trashed;
} WooProduct;

/* An order is kept as the text it is served as: as a JsonNode it took
 * ~9 KB, and a page of them was generated again for every request.
 * woo_order_edit() makes it a node to change, woo_order_pack() (which
 * woo_order_touch() calls after each change) text again. */
typedef struct
{
  guint      id;
  gint64     modified_us;
  char      *json;           /* the wc/v3 order object as JSON, or NULL while edited */
  char      *status;         /* its "status", for the list's filter */
  JsonNode  *node;           /* the object while it is being changed, else NULL */
  JsonArray *refunds;        /* the full refund objects (orders/{id}/refunds) */
} WooOrder;

/* A product_cat term. Terms have their own ids, apart from posts. */
typedef struct
{
  guint  id;
  guint  parent;             /* 0 for a top-level category */
  char  *name;               /* as WordPress stores it: &, < and > as entities */
  char  *slug;               /* unique in the taxonomy */
} WooCategory;

typedef struct
{
  GHashTable *by_id;         /* id → WooProduct (owned), products and variations */
  GPtrArray  *categories;    /* WooCategory, by id */
  guint       next_term_id;
  GPtrArray  *products;      /* WooProduct of the top level, by id (borrowed) */
  GPtrArray  *orders;        /* WooOrder, by id */
  guint       next_id;       /* posts: products, variations, orders, refunds */
  guint       next_item_id;  /* order line items, meta */
  char        currency[4];
  gint64      clock;         /* µs, strictly increasing */
  /* The last orders list asked for, its orders filtered and sorted, kept
   * while the clock stands still (every change to an order ticks it): a
   * pull asks for the same list page after page
   * (cp-sandbox-woocommerce-orders.c). */
  GPtrArray  *list;          /* WooOrder (borrowed), or NULL */
  char       *list_key;
  gint64      list_clock;
  guint       list_n_orders;
} WooStore;

/* The front door's state (cp-sandbox-woocommerce.c); the test accessors
 * of cp-sandbox-woocommerce-access.c take the same mutex. */
struct _CpSandboxWoocommerce
{
  GObject     parent_instance;

  GMutex      mutex;       /* the store and the settings */
  WooStore   *store;
  char       *consumer_key;
  char       *consumer_secret;
  char       *permission;  /* read, write, read_write */
  GHashTable *nonces;      /* "timestamp:nonce" seen */
  guint       n_basic_logins;  /* requests let in by HTTP Basic (https only) */
  guint       n_oauth_logins;  /* and by an OAuth 1.0a signature */
  guint       limit;       /* 0: no rate limit */
  guint       window_s;
  gint64      window_start;
  guint       window_count;
  /* One webhook (topic order.created/order.updated) as WooCommerce
   * delivers it: signed, once, never retried (cp-sandbox-woocommerce-webhooks.c). */
  char       *webhook_url;     /* NULL: none */
  char       *webhook_secret;
  guint       webhook_id;
  guint       webhook_failures;  /* consecutive */
  gboolean    webhook_disabled;
  guint       webhook_delivered;
  guint       webhook_failed;
  guint       webhook_pending;
  GCond       webhook_cond;
  GThreadPool *webhook_pool;
};

/* Queues a delivery of ORDER for TOPIC ("order.updated") when a webhook
 * is set and not disabled. Called with the mutex held. */
void        woo_webhook_queue      (CpSandboxWoocommerce *self,
                                    WooOrder             *order,
                                    const char           *topic);
void        woo_webhook_shutdown   (CpSandboxWoocommerce *self);

WooStore   *woo_store_new          (guint n_products,
                                    guint variable_every,
                                    guint n_orders);
void        woo_store_free         (WooStore *store);
gint64      woo_store_tick         (WooStore *store);
WooProduct *woo_store_add_product  (WooStore   *store,
                                    const char *sku,
                                    const char *name,
                                    gint64      price_minor,
                                    gint64      stock);
WooProduct *woo_store_add_variation (WooStore   *store,
                                     WooProduct *parent,
                                     const char *sku,
                                     const char *size,
                                     gint64      stock);
/* A live (not trashed) product or variation. */
WooProduct *woo_store_find         (WooStore   *store,
                                    guint       id);
WooProduct *woo_store_find_sku     (WooStore   *store,
                                    const char *sku);
WooOrder   *woo_store_find_order   (WooStore   *store,
                                    guint       id);
void        woo_store_add_orders   (WooStore   *store,
                                    guint       n_orders,
                                    guint32     seed);
/* Takes NODE (a wc/v3 order object), giving it an id and dates. */
WooOrder   *woo_store_add_order_node (WooStore *store,
                                      JsonNode *node);
/* Sets the order's date_modified(_gmt) to now. */
/* The order's object, to change: TOUCH (or PACK) it after. */
JsonObject *woo_order_edit         (WooOrder *order);
void        woo_order_pack         (WooOrder *order);
/* The order as JSON text, and its status. */
const char *woo_order_json         (WooOrder *order);
const char *woo_order_status       (WooOrder *order);
void        woo_order_touch        (WooStore *store,
                                    WooOrder *order);

char       *woo_format_date        (gint64      unix_us);
/* "2017-03-22T16:28:02" (UTC when there is no zone) to µs. */
gboolean    woo_parse_date         (const char *text,
                                    gint64     *out_us);
void        woo_add_money          (JsonBuilder *b,
                                    const char  *member,
                                    gint64       minor,
                                    const char  *currency);
void        woo_add_product        (JsonBuilder *b,
                                    WooStore    *store,
                                    WooProduct  *p);

/* One request being served. */
typedef struct
{
  CpSandboxServer   *server;
  SoupServerMessage *msg;
  WooStore          *store;
  GHashTable        *query;      /* name → value, never NULL */
  char             **segments;   /* after /wp-json/wc/v3/ */
  gboolean           can_write;
  guint              batch_limit;
  CpSandboxWoocommerce *fake;
} WooRequest;

typedef void (*WooHandler) (WooRequest *r);

/* WordPress's WP_Error JSON. */
void        woo_error_body         (SoupServerMessage *msg,
                                    guint              status,
                                    const char        *code,
                                    const char        *message);
void        woo_error              (WooRequest *r,
                                    guint       status,
                                    const char *code,
                                    const char *message);
void        woo_respond            (WooRequest  *r,
                                    guint        status,
                                    JsonBuilder *b);
/* The body as a JSON object, or NULL after answering 400. */
JsonObject *woo_read_body          (WooRequest  *r,
                                    JsonParser **out_parser);
/* per_page and page from the query; FALSE after answering 400. */
gboolean    woo_read_paging        (WooRequest *r,
                                    guint      *out_per_page,
                                    guint      *out_page);
/* X-WP-Total, X-WP-TotalPages and Link for TOTAL items. */
void        woo_set_paging_headers (WooRequest *r,
                                    guint       total,
                                    guint       per_page,
                                    guint       page);

/* The id in path segment INDEX; a string member of OBJ, or NULL. */
guint       woo_segment_id         (WooRequest *r,
                                    guint       index);
const char *woo_member_string      (JsonObject *obj,
                                    const char *member);

void        woo_products_list      (WooRequest *r);
void        woo_product_get        (WooRequest *r);
void        woo_product_create     (WooRequest *r);
void        woo_product_update     (WooRequest *r);
void        woo_products_batch     (WooRequest *r);
void        woo_variations_list    (WooRequest *r);
void        woo_variation_update   (WooRequest *r);
void        woo_variations_batch   (WooRequest *r);
void        woo_orders_list        (WooRequest *r);
void        woo_order_get          (WooRequest *r);
void        woo_order_update       (WooRequest *r);
void        woo_refunds_list       (WooRequest *r);
void        woo_refund_create      (WooRequest *r);
void        woo_settings_general   (WooRequest *r);
void        woo_categories_list    (WooRequest *r);
void        woo_category_create    (WooRequest *r);

/* cp-sandbox-woocommerce-categories.c */
void        woo_category_free      (WooCategory *category);
WooCategory *woo_store_find_category (WooStore   *store,
                                      guint       id);
/* wp_insert_term(): NULL with *OUT_EXISTING set to the sibling's id
 * when PARENT already has a category of that name (term_exists), or 0
 * when PARENT does not exist (missing_parent). */
WooCategory *woo_store_add_category (WooStore   *store,
                                     const char *name,
                                     guint       parent,
                                     guint      *out_existing);
/* A product's "categories" as a request gives them ([{"id": N}]) into
 * what the product keeps and serves ([{"id","name","slug"}]); ids of
 * no category are dropped, as WordPress drops them. */
JsonNode   *woo_categories_resolve (WooStore   *store,
                                    JsonNode   *request);

G_END_DECLS
