/* cp-bench-catalog.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A synthetic but realistic catalog for the benchmarks: product names
 * made of a brand, a line and a kind ("Shoei Touring Helmet"), colour and
 * size options, SKUs and unique EAN-13 barcodes. Deterministic: variant N
 * is always the same, so runs compare.
 */

#pragma once

#include <glib.h>

#include "cp-catalog.h"

G_BEGIN_DECLS

#define CP_BENCH_VARIANTS_PER_PRODUCT 5

/* Fills VARIANT (its strings are replaced) with variant INDEX. */
void   cp_bench_catalog_fill_variant (CpVariant *variant,
                                      guint64    index);

/* The SKU of variant INDEX, as _fill_variant() writes it. */
char  *cp_bench_catalog_sku          (guint64    index);

/* A search a person would type for a product among the first
 * N_VARIANTS: one to three words of a real name, the last often cut short
 * ("shoei tour", "brake pa"), now and then an SKU prefix. Always matches
 * at least one of those variants. */
char  *cp_bench_catalog_query        (GRand     *rand,
                                      guint64    n_variants);

G_END_DECLS
