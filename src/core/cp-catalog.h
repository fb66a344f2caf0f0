/* cp-catalog.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Locations, products and variants. The SKU is the master identifier
 * (seed 003): unique across the ledger; a barcode is unique when present.
 */

#pragma once

#include "cp-ledger.h"

G_BEGIN_DECLS

/* Seed 003's data modules. Each adds its own fields to a variant's
 * attributes (stored as a JSON object). */
typedef enum
{
  CP_MODULE_GENERAL,
  CP_MODULE_MOTORCYCLE,     /* brand, model, year */
  CP_MODULE_SPARES,         /* part_number, compatibility */
  CP_MODULE_WOOD,           /* dimensions, type */
  CP_MODULE_RENTAL,         /* rental_duration, deposit */
  CP_MODULE_MANUFACTURING,  /* material_type, bom */
  CP_N_MODULES
} CpModule;

const char          *cp_module_to_string   (CpModule module);
gboolean             cp_module_from_string (const char *text,
                                            CpModule   *out_module);
/* NULL-terminated list of the module's own field names. */
const char * const  *cp_module_fields      (CpModule module);

typedef struct
{
  gint64  id;
  char   *code;
  char   *name;
  char    currency[4];
} CpLocation;

void        cp_location_free        (CpLocation *location);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpLocation, cp_location_free)

/* Array of CpLocation*, ordered by code. */
GPtrArray  *cp_locations_list       (CpLedger    *ledger,
                                     GError     **error);
CpLocation *cp_locations_get        (CpLedger    *ledger,
                                     const char  *code,
                                     GError     **error);
gboolean    cp_locations_add        (CpLedger    *ledger,
                                     const char  *code,
                                     const char  *name,
                                     const char  *currency,
                                     gint64      *out_id,
                                     GError     **error);

typedef struct
{
  gint64    id;               /* 0 when not stored yet */
  gint64    product_id;
  char     *product_handle;   /* groups variants of one product */
  char     *product_name;
  char     *sku;
  char     *barcode;          /* NULL when none */
  char     *option1;
  char     *option2;
  char     *option3;
  gint64    price_minor;
  gint64    cost_minor;       /* -1 when unknown */
  char      currency[4];
  char     *tax_class;        /* NULL for the default class */
  CpModule  module;
  char     *attributes_json;  /* module fields as a JSON object, "{}" when none */
} CpVariant;

CpVariant  *cp_variant_new          (void);
CpVariant  *cp_variant_copy         (const CpVariant *variant);
void        cp_variant_free         (CpVariant *variant);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpVariant, cp_variant_free)

typedef enum
{
  CP_UPSERT_CREATED,
  CP_UPSERT_UPDATED,
  CP_UPSERT_UNCHANGED,
} CpUpsertResult;

/* Creates or updates by SKU (the product by handle). Call inside
 * cp_ledger_begin()/commit() when doing many; it opens its own
 * transaction otherwise. Inside the caller's transaction it takes no
 * savepoint (FTS5 flushes at each one): every refusal (INVALID,
 * CONSTRAINT for a barcode) comes before the first write and leaves
 * nothing behind; after an engine failure the caller must roll back.
 * Without a product_handle the SKU is its own product; an empty currency
 * is the shop's; attributes are stored as canonical JSON. */
gboolean    cp_catalog_upsert_variant (CpLedger        *ledger,
                                       const CpVariant *variant,
                                       gint64          *out_id,
                                       CpUpsertResult  *out_result,
                                       GError         **error);
CpVariant  *cp_catalog_get_by_sku     (CpLedger    *ledger,
                                       const char  *sku,
                                       GError     **error);
CpVariant  *cp_catalog_get_by_barcode (CpLedger    *ledger,
                                       const char  *barcode,
                                       GError     **error);
CpVariant  *cp_catalog_get_by_id      (CpLedger    *ledger,
                                       gint64       id,
                                       GError     **error);
gint64      cp_catalog_count_variants (CpLedger *ledger);
gint64      cp_catalog_count_products (CpLedger *ledger);

/* Calls FUNC for each variant in SKU order (for exports); stops and
 * returns FALSE when FUNC does. */
typedef gboolean (*CpVariantFunc) (const CpVariant *variant,
                                   gpointer         user_data);
gboolean    cp_catalog_foreach        (CpLedger       *ledger,
                                       CpVariantFunc   func,
                                       gpointer        user_data,
                                       GError        **error);

G_END_DECLS
