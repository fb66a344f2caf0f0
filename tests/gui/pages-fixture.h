/* pages-fixture.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What test-pages.c shares between its catalog and orders cases: a real
 * ledger in a temporary directory, a window to show a page in, waiting on
 * the main loop, and optional screenshots.
 */

#pragma once

#include <adwaita.h>

#include "cp-ledger.h"

G_BEGIN_DECLS

typedef struct
{
  char      *dir;
  char      *path;
  CpLedger  *ledger;
  GtkWidget *window;
  GtkWidget *page;
} Fixture;

typedef gboolean (*Predicate) (gpointer data);

gboolean timeout_cb       (gpointer    user_data);
/* FALSE when PREDICATE stayed false for 20 s. */
gboolean wait_until       (Predicate   predicate,
                           gpointer    data);
void     drain            (void);
/* Aborts the test when MODEL does not reach N rows within 20 s. */
void     wait_for_n_items (GListModel *model,
                           guint       n);
/* With CP_PAGES_SCREENSHOT_DIR set, saves what WINDOW shows as NAME.png
 * there, for a person to look at; otherwise does nothing. */
void     maybe_screenshot (GtkWidget  *window,
                           const char *name);

gint64   record_order     (CpLedger   *ledger,
                           const char *source,
                           const char *external_id,
                           const char *number,
                           const char *customer,
                           const char *sku,
                           gint64      quantity,
                           gint64      unit_minor,
                           gboolean    split_tender);
/* POPULATE: locations MAIN and WEST, three variants with stock
 * (HELM-RED-L 12 at MAIN, GLOVE-M 4 at WEST, CHAIN-520 none) and two
 * orders (R1-000001 at the register, #1001 from "shop-web" with a split
 * payment, a refund, a tax line and a discount code). */
void     fixture_open     (Fixture    *fixture,
                           gboolean    populate);
void     fixture_show     (Fixture    *fixture,
                           GtkWidget  *page);
void     fixture_close    (Fixture    *fixture);

G_END_DECLS
