/* outbox-fixture.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the outbox tests share: a real ledger file with two integrations
 * and a T-shirt in three sizes, and short ways to query it, sell, list
 * jobs, start an epoch and claim.
 */

#pragma once

#include "cp-ledger.h"
#include "cp-outbox.h"

G_BEGIN_DECLS

#define SECOND ((gint64) G_USEC_PER_SEC)
#define DAY    (G_GINT64_CONSTANT (24) * 3600 * G_USEC_PER_SEC)

typedef struct
{
  char     *dir;
  CpLedger *ledger;
  char     *shop;      /* an integration with every permission */
  char     *other;     /* a second one: inventory.sync only */
  gint64    variant;   /* TEE-S */
  gint64    variant2;  /* TEE-M */
} Fixture;

void         exec_ok          (CpLedger      *ledger,
                               const char    *sql);
gint64       query_int        (CpLedger      *ledger,
                               const char    *sql);
char        *query_text       (CpLedger      *ledger,
                               const char    *sql);
void         fixture_setup    (Fixture       *f,
                               gconstpointer  data);
void         fixture_teardown (Fixture       *f,
                               gconstpointer  data);
void         sell             (Fixture       *f,
                               const char    *sku,
                               gint64         units);
GPtrArray   *jobs_in_state    (Fixture       *f,
                               const char    *integration_id,
                               CpJobState     state);
guint        count_in_state   (Fixture       *f,
                               const char    *integration_id,
                               CpJobState     state);
CpOutboxJob *get_job          (Fixture       *f,
                               gint64         id);
gint64       start_epoch      (Fixture       *f,
                               guint         *out_requeued);
GPtrArray   *claim            (Fixture       *f,
                               const char    *integration_id,
                               const char    *kind,
                               guint          max_jobs,
                               gint64         epoch,
                               gint64         now);
/* A customer.push job of INTEGRATION_ID under KEY, claimed and killed:
 * dead, its id in OUT_ID. */
void         make_dead        (Fixture       *f,
                               const char    *integration_id,
                               const char    *key,
                               gint64        *out_id);

G_END_DECLS
