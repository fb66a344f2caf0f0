/* cp-integrations.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Integrations: one connected account on one platform, any number per
 * platform. Rows in the ledger (schema 2); credentials in the Secret
 * Service under the integration id, never here.
 */

#pragma once

#include <glib.h>

#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_INTEGRATIONS_ERROR (cp_integrations_error_quark ())

typedef enum
{
  CP_INTEGRATIONS_ERROR_NOT_FOUND,          /* no integration with that id */
  CP_INTEGRATIONS_ERROR_INVALID_URL,        /* not http(s), or plain http to a non-loopback host */
  CP_INTEGRATIONS_ERROR_INVALID_PERMISSION, /* not one of seed 003's permissions */
  CP_INTEGRATIONS_ERROR_INVALID,            /* empty name, unknown platform, ... */
} CpIntegrationsError;

/* Seed 003's permissions. */
#define CP_PERMISSION_PRODUCTS_SYNC  "products.sync"
#define CP_PERMISSION_ORDERS_PULL    "orders.pull"
#define CP_PERMISSION_ORDERS_PUSH    "orders.push"
#define CP_PERMISSION_INVENTORY_SYNC "inventory.sync"

/* What a person must fix (attention_kind). */
#define CP_ATTENTION_CREDENTIALS "credentials"
#define CP_ATTENTION_PERMISSION  "permission"
#define CP_ATTENTION_MAPPING     "mapping"
#define CP_ATTENTION_CURRENCY    "currency"  /* blocks nothing: cp-order-currency.h */

typedef struct _CpIntegration CpIntegration;

struct _CpIntegration
{
  char    *id;              /* "ecomv2-3" */
  char    *platform;        /* "ecomv2" */
  char    *name;
  char    *base_url;
  char    *state;           /* "active" or "paused" */
  char    *attention;       /* why a person must act, or NULL */
  char    *attention_kind;  /* CP_ATTENTION_*, or NULL */
  char    *settings;        /* JSON object */
  char   **permissions;     /* sorted, NULL-terminated */
  char    *last_error;
  gint64   wait_until;      /* µs, 0 when none */
  gint64   last_success_at; /* µs, 0 when never */
  gint64   last_error_at;
  gint64   next_run_at;
  gint64   created_at;
  /* Filled by list/get from the outbox: */
  guint    queue_depth;     /* pending + started jobs */
  guint    dead_jobs;
};

GType           cp_integration_get_type   (void) G_GNUC_CONST;
CpIntegration  *cp_integration_copy       (const CpIntegration *self);
void            cp_integration_free       (CpIntegration *self);
gboolean        cp_integration_has_permission (const CpIntegration *self,
                                               const char          *permission);
gboolean        cp_integration_is_paused  (const CpIntegration *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpIntegration, cp_integration_free)

GQuark          cp_integrations_error_quark (void);

/* The default when none are given (CLI.md): orders.pull,inventory.sync. */
const char * const *cp_integrations_default_permissions (void);

/* What cp_credentials_*() take for the integration ID of LEDGER:
 * "<ledger id>/<integration id>", so two ledgers' "ecomv2-1" (the
 * sandbox's and a real shop's, or two tests') keep separate secrets. */
char           *cp_integrations_credential_key (CpLedger    *ledger,
                                                const char  *id,
                                                GError     **error);
gboolean        cp_integrations_validate_permissions (const char * const  *permissions,
                                                      GError             **error);
/* https anywhere; http only to loopback (127.0.0.0/8, ::1, localhost). */
gboolean        cp_integrations_validate_base_url (const char  *base_url,
                                                   GError     **error);

/* Returns the new id. Stores no credentials: the caller does, under the
 * returned id, and removes the row again when that fails. */
char           *cp_integrations_add       (CpLedger            *ledger,
                                           const char          *platform,
                                           const char          *name,
                                           const char          *base_url,
                                           const char * const  *permissions,
                                           GError             **error);
GPtrArray      *cp_integrations_list      (CpLedger            *ledger,
                                           GError             **error); /* of CpIntegration */
CpIntegration  *cp_integrations_get       (CpLedger            *ledger,
                                           const char          *id,
                                           GError             **error);
gboolean        cp_integrations_set_paused (CpLedger           *ledger,
                                           const char          *id,
                                           gboolean             paused,
                                           GError             **error);
gboolean        cp_integrations_set_permissions (CpLedger           *ledger,
                                           const char          *id,
                                           const char * const  *permissions,
                                           GError             **error);
gboolean        cp_integrations_set_name  (CpLedger            *ledger,
                                           const char          *id,
                                           const char          *name,
                                           GError             **error);
gboolean        cp_integrations_set_settings (CpLedger         *ledger,
                                           const char          *id,
                                           const char          *settings_json,
                                           GError             **error);
/* Deletes the row, its jobs, mappings and cursors; keeps its activity
 * and its orders (whose source keeps the id). */
gboolean        cp_integrations_remove    (CpLedger            *ledger,
                                           const char          *id,
                                           GError             **error);

/* Health, written by the engine. kind/message NULL clears attention. */
gboolean        cp_integrations_set_attention (CpLedger        *ledger,
                                           const char          *id,
                                           const char          *kind,
                                           const char          *message,
                                           GError             **error);
gboolean        cp_integrations_record_success (CpLedger       *ledger,
                                           const char          *id,
                                           gint64               at,
                                           GError             **error);
gboolean        cp_integrations_record_error (CpLedger         *ledger,
                                           const char          *id,
                                           gint64               at,
                                           const char          *message,
                                           GError             **error);
gboolean        cp_integrations_set_schedule (CpLedger         *ledger,
                                           const char          *id,
                                           gint64               wait_until,
                                           gint64               next_run_at,
                                           GError             **error);

/* Cursors: where incremental pulls resume. get returns NULL when unset. */
char           *cp_integrations_get_cursor (CpLedger           *ledger,
                                           const char          *id,
                                           const char          *name,
                                           GError             **error);
gboolean        cp_integrations_set_cursor (CpLedger           *ledger,
                                           const char          *id,
                                           const char          *name,
                                           const char          *value,
                                           GError             **error);

/* Mappings, kind is "variant", "location", ... get_* return NULL (no
 * error) when there is no mapping. The local id of a "variant" is the
 * variant's id in decimal, that of a "location" the location's code
 * (unique, never reused, and what `integration map --location` takes). */
gboolean        cp_integrations_set_mapping (CpLedger          *ledger,
                                           const char          *id,
                                           const char          *kind,
                                           const char          *local_id,
                                           const char          *remote_id,
                                           const char          *last_hash,
                                           GError             **error);
char           *cp_integrations_get_remote_id (CpLedger        *ledger,
                                           const char          *id,
                                           const char          *kind,
                                           const char          *local_id,
                                           GError             **error);
char           *cp_integrations_get_local_id (CpLedger         *ledger,
                                           const char          *id,
                                           const char          *kind,
                                           const char          *remote_id,
                                           GError             **error);
char           *cp_integrations_get_mapping_hash (CpLedger     *ledger,
                                           const char          *id,
                                           const char          *kind,
                                           const char          *local_id,
                                           GError             **error);
gboolean        cp_integrations_clear_mapping (CpLedger        *ledger,
                                           const char          *id,
                                           const char          *kind,
                                           const char          *local_id,
                                           GError             **error);

G_END_DECLS
