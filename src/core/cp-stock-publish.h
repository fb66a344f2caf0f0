/* cp-stock-publish.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a store is told it may sell: the stock rules every connector
 * shares (issue 4), so that no connector computes quantities on its own.
 *
 * Published quantity of a variant at a remote location = the sum, over
 * the ledger locations mapped to that remote location (mapping kind
 * "location", several may feed one), of MAX (0, on hand − reserved −
 * safety stock) (cp_stock_available). A product opted out for an
 * integration (mapping kind "product.excluded", local id = product id)
 * is never published there; with "master": {"stock": "store"} in the
 * integration's settings the POS publishes no stock at all there.
 */

#pragma once

#include <glib.h>

#include "cp-ledger.h"

G_BEGIN_DECLS

/* Mapping kinds (integration_mappings.kind). */
#define CP_MAPPING_KIND_VARIANT          "variant"           /* variant id → remote id */
#define CP_MAPPING_KIND_LOCATION         "location"          /* location code → remote location */
#define CP_MAPPING_KIND_PRODUCT_EXCLUDED "product.excluded"  /* product id → "" */

/* Fields of "master" in the integration's settings. */
#define CP_MASTER_FIELD_STOCK "stock"
#define CP_MASTER_FIELD_PRICE "price"

/* Defaults of "schedule" in the integration's settings. */
#define CP_SCHEDULE_DEFAULT_PULL_MINUTES    5
#define CP_SCHEDULE_DEFAULT_RECONCILE_HOURS 24

typedef struct
{
  gint64  variant_id;
  char   *sku;
  char   *location;  /* remote location id; NULL: the store's default (only) location */
  gint64  quantity;  /* published availability, never below zero */
  char   *remote_id; /* cp_stock_publish_compute_mapped() only: the variant's mapping,
                      * NULL when it has none (and always with cp_stock_publish_compute()) */
  /*< private >*/
  gsize   packed_len; /* bytes of text after the struct, in its allocation: the strings
                       * that point there are freed with it (0 when built by hand) */
} CpStockPublished;

void   cp_stock_published_free (CpStockPublished *published);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpStockPublished, cp_stock_published_free)

/* Whether the POS is the master of FIELD (CP_MASTER_FIELD_*) according to
 * SETTINGS_JSON (an integration's settings): TRUE unless
 * "master": {FIELD: "store"}. Tolerant: NULL, malformed or absent → TRUE. */
gboolean     cp_stock_publish_settings_pos_is_master (const char *settings_json,
                                                      const char *field);
/* "schedule": {"pull_minutes": N, "reconcile_hours": N}, each at least 1;
 * the defaults above when absent or not a positive integer. */
guint        cp_stock_publish_settings_pull_minutes    (const char *settings_json);
guint        cp_stock_publish_settings_reconcile_hours (const char *settings_json);

/* Same as cp_stock_publish_settings_pos_is_master() for the stored
 * integration INTEGRATION_ID (CP_INTEGRATIONS_ERROR_NOT_FOUND when none). */
gboolean     cp_stock_publish_pos_is_master (CpLedger    *ledger,
                                             const char  *integration_id,
                                             const char  *field,
                                             gboolean    *out_pos_is_master,
                                             GError     **error);

/* The remote locations stock is published to, in the order of the ledger
 * locations that feed them (first appearance), each once: the mapped ones;
 * with none mapped and a single ledger location, one NULL element (the
 * store's default location). With several ledger locations and none
 * mapped: CP_CONNECTOR_ERROR_CONFIG, with a message that says how to map
 * them. Elements are char*, freed with the array. */
GPtrArray   *cp_stock_publish_locations (CpLedger    *ledger,
                                         const char  *integration_id,
                                         GError     **error);

/* The published quantities of VARIANT_IDS (N_VARIANT_IDS of them, any
 * order, repeats ignored): CpStockPublished*, grouped by variant in the
 * order given, one per remote location of cp_stock_publish_locations() in
 * its order (a variant without stock somewhere publishes 0 there). A
 * variant that is not published here (deleted, its product opted out,
 * or the store is the master of stock) has no element: its job is done
 * with nothing to send. Does not look at variant mappings: the
 * connector maps variant ids to its own remote ids. */
GPtrArray   *cp_stock_publish_compute (CpLedger      *ledger,
                                       const char    *integration_id,
                                       const gint64  *variant_ids,
                                       guint          n_variant_ids,
                                       GError       **error);
/* The same, and each element's remote_id is the variant's mapping of kind
 * MAPPING_KIND for INTEGRATION_ID (NULL when there is none), read in the
 * same statement: a push needs both, and one lookup per variant less is
 * a good part of what a pushed item costs. */
GPtrArray   *cp_stock_publish_compute_mapped (CpLedger      *ledger,
                                              const char    *integration_id,
                                              const char    *mapping_kind,
                                              const gint64  *variant_ids,
                                              guint          n_variant_ids,
                                              GError       **error);

/* The variants to compare in a full reconciliation: every variant mapped
 * (kind "variant") for INTEGRATION_ID whose product is not opted out,
 * ascending by id. Empty when the store is the master of stock. */
GArray      *cp_stock_publish_list_mapped_variants (CpLedger    *ledger,
                                                   const char  *integration_id,
                                                   GError     **error);

/* Per-product opt-out. Excluding stops every push of the product's
 * variants to the integration (stock, price and name); including it
 * again queues a stock push of each of its variants (when the
 * integration has inventory.sync) in the same transaction, so the store
 * learns the current quantity. A product that does not exist is
 * CP_LEDGER_ERROR_NOT_FOUND. */
gboolean     cp_stock_publish_set_excluded (CpLedger    *ledger,
                                            const char  *integration_id,
                                            gint64       product_id,
                                            gboolean     excluded,
                                            GError     **error);
gboolean     cp_stock_publish_is_excluded  (CpLedger    *ledger,
                                            const char  *integration_id,
                                            gint64       product_id,
                                            gboolean    *out_excluded,
                                            GError     **error);
/* The SKUs (char*) of every variant of the products opted out of
 * INTEGRATION_ID, in SKU order. */
GPtrArray   *cp_stock_publish_list_excluded_skus (CpLedger    *ledger,
                                                  const char  *integration_id,
                                                  GError     **error);

G_END_DECLS
