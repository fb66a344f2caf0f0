/* cp-demo-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the demo shop's catalog (cp-demo-catalog.c) and its sales
 * and stock (cp-demo.c).
 */

#pragma once

#include "cp-catalog.h"
#include "cp-demo.h"

G_BEGIN_DECLS

enum { LOC_MAIN, LOC_WH, N_LOCS };

typedef struct
{
  char     *sku;
  char     *name;      /* product name and options, for order lines */
  gint64    price;
  CpModule  module;
  gint64    id;
  guint     weight;    /* how often it sells */
  gint64    sold[N_LOCS];
} CpDemoItem;

typedef struct
{
  CpLedger   *ledger;
  GRand      *rand;
  guint32     seed;
  GPtrArray  *items;        /* CpDemoItem* */
  GHashTable *by_sku;       /* sku → CpDemoItem* (borrowed) */
  guint64    *cumulative;   /* running weights, for picking */
  guint64     total_weight;
  gint64      location_ids[N_LOCS];
  char       *location_codes[N_LOCS];
  const char *id_prefix;    /* of the orders' external ids */
  guint       n_products;
  guint       next_barcode;
} CpDemoState;

static inline int
rand_range (CpDemoState *demo,
            int          low,
            int          high_inclusive)
{
  return g_rand_int_range (demo->rand, low, high_inclusive + 1);
}

static inline gboolean
chance (CpDemoState *demo,
        guint        percent)
{
  return (guint) g_rand_int_range (demo->rand, 0, 100) < percent;
}

#define PICK(demo, array) ((array)[g_rand_int_range ((demo)->rand, 0, G_N_ELEMENTS (array))])

/* Adds N_PRODUCTS products over every module to the catalog and an item
 * per variant to DEMO->items. */
gboolean  cp_demo_add_catalog (CpDemoState  *demo,
                               guint         n_products,
                               GError      **error);

G_END_DECLS
