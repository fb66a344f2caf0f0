/* cp-sandbox-ecomv2-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ecomv2 fake's store, shared by its data and request-handling files.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cp-sandbox-json.h"
#include "cp-sandbox-server.h"

#include "cp-sandbox-ecomv2.h"

G_BEGIN_DECLS

#define ECOMV2_N_WAREHOUSES 3
#define ECOMV2_CURRENCY "USD"

extern const char * const ecomv2_warehouses[ECOMV2_N_WAREHOUSES];

typedef struct
{
  guint   id;
  char   *sku;
  char   *size;
  gint64  price_minor;   /* -1: the product's price */
} Ecomv2Variant;

typedef struct
{
  guint      id;
  char      *sku;
  char      *name;
  char      *description;
  char      *status;     /* active, draft, archived */
  char      *category;
  gint64     price_minor;
  gint64     created_at; /* Unix µs */
  gint64     updated_at;
  GPtrArray *variants;   /* Ecomv2Variant */
  gint64     available[ECOMV2_N_WAREHOUSES];
  gint64     reserved[ECOMV2_N_WAREHOUSES];
} Ecomv2Product;

typedef struct
{
  guint   product_id;
  guint   variant_id;
  char   *sku;
  char   *name;
  gint64  quantity;
  gint64  price_minor;
} Ecomv2Item;

typedef struct
{
  guint      id;
  char      *customer_id;
  char      *status;              /* pending processing shipped delivered cancelled */
  char      *payment_status;      /* pending paid failed refunded */
  char      *fulfillment_status;  /* unfulfilled partial fulfilled */
  gint64     created_at;
  gint64     updated_at;
  GPtrArray *items;               /* Ecomv2Item */
  char       currency[4];         /* the store's when it was placed */
} Ecomv2Order;

typedef struct
{
  GPtrArray  *products;     /* Ecomv2Product, by id − 1 */
  GHashTable *by_sku;       /* sku → Ecomv2Product (borrowed) */
  GPtrArray  *orders;       /* Ecomv2Order, by id − 1 */
  guint       next_variant_id;
  gint64      clock;        /* Unix µs; a "now" that only moves forward,
                             * on every change: also the store's version */
  GHashTable *sorted;       /* "orders:updated_at:1" → sorted index (list.c) */
  char        currency[4];  /* of orders placed from now on */
} Ecomv2Store;

Ecomv2Store   *ecomv2_store_new        (guint n_products,
                                        guint n_orders);
void           ecomv2_store_free       (Ecomv2Store *store);
/* N_ORDERS more demo orders, created now (cp_sandbox_ecomv2_add_orders). */
void           ecomv2_store_add_orders (Ecomv2Store *store,
                                        guint        n_orders,
                                        guint32      seed);
/* "prod_0042", "42" or a SKU. */
Ecomv2Product *ecomv2_store_find_product (Ecomv2Store *store,
                                          const char  *id_or_sku);
Ecomv2Order   *ecomv2_store_find_order   (Ecomv2Store *store,
                                          const char  *id);
Ecomv2Product *ecomv2_store_add_product  (Ecomv2Store *store,
                                          const char  *sku,
                                          const char  *name,
                                          gint64       price_minor);
/* Real time, but strictly increasing, so updated_at orders every change. */
gint64         ecomv2_store_tick         (Ecomv2Store *store);
int            ecomv2_warehouse_index    (const char *id);

/* The seed's shapes, written as json-glib wrote their JsonBuilder forms
 * (cp-sandbox-json.h). */
void           ecomv2_write_money_in     (CpSandboxJson *w,
                                          const char    *member,
                                          gint64         minor,
                                          const char    *currency);
void           ecomv2_write_product      (CpSandboxJson *w,
                                          Ecomv2Product *p);
void           ecomv2_write_inventory    (CpSandboxJson *w,
                                          Ecomv2Product *p);
void           ecomv2_write_order        (CpSandboxJson *w,
                                          Ecomv2Order   *o);
/* Frees a value of Ecomv2Store.sorted. */
void           ecomv2_sorted_index_free  (gpointer data);

/* A JSON number or string in major units ("19.99") to minor units. */
gboolean       ecomv2_parse_money        (JsonNode *node,
                                          gint64   *out_minor);

/* One request being served, with what the handlers need. */
typedef struct
{
  CpSandboxServer   *server;
  SoupServerMessage *msg;
  Ecomv2Store       *store;
  GHashTable        *query;       /* name → value, never NULL */
  char             **segments;    /* the path after /v2, split on '/' */
  const char        *request_id;
} Ecomv2Request;

typedef void (*Ecomv2Handler) (Ecomv2Request *r);

/* The seed's error format: {"error":{"code","message","details"?,"request_id"}}.
 * FIELD, when given, adds one entry to details. */
void           ecomv2_error              (Ecomv2Request *r,
                                          guint          status,
                                          const char    *code,
                                          const char    *message,
                                          const char    *field,
                                          const char    *field_message);
void           ecomv2_error_body         (SoupServerMessage *msg,
                                          guint              status,
                                          const char        *code,
                                          const char        *message,
                                          const char        *field,
                                          const char        *field_message,
                                          const char        *request_id);
/* Takes the builder's root as the response body. */
void           ecomv2_respond            (Ecomv2Request *r,
                                          guint          status,
                                          JsonBuilder   *b);
/* Takes BODY, JSON text, as the response body. */
void           ecomv2_respond_text       (Ecomv2Request *r,
                                          guint          status,
                                          GString       *body);
/* The request body as a JSON object, or NULL after answering 400. */
JsonObject    *ecomv2_read_body          (Ecomv2Request *r,
                                          JsonParser   **out_parser);

void           ecomv2_products_list      (Ecomv2Request *r);
void           ecomv2_product_get        (Ecomv2Request *r);
void           ecomv2_product_create     (Ecomv2Request *r);
void           ecomv2_product_update     (Ecomv2Request *r);
void           ecomv2_inventory_get      (Ecomv2Request *r);
void           ecomv2_inventory_adjust   (Ecomv2Request *r);
void           ecomv2_orders_list        (Ecomv2Request *r);
void           ecomv2_order_get          (Ecomv2Request *r);
void           ecomv2_order_status       (Ecomv2Request *r);
void           ecomv2_batch_update       (Ecomv2Request *r);

G_END_DECLS
