/* cp-api-keys.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keys for Counterpart's local API (cp-api-server.h). A key is shown once,
 * when it is created, and only a SHA-256 hash of it is stored (table
 * api_keys, schema 2). Each key carries scopes that say which endpoints it
 * may call.
 *
 * Why SHA-256 and no slow KDF (bcrypt, scrypt, Argon2): those exist to make
 * guessing a low-entropy, human-chosen password expensive. A key's secret
 * is 256 bits from the kernel's CSPRNG, so there is nothing to guess: 2^255
 * attempts on average, fast hash or slow. A slow KDF would only make every
 * API request (and every bogus one an attacker sends) cost tens of
 * milliseconds of CPU.
 */

#pragma once

#include <glib.h>

#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_API_KEYS_ERROR (cp_api_keys_error_quark ())

typedef enum
{
  CP_API_KEYS_ERROR_INVALID,        /* empty or overlong name */
  CP_API_KEYS_ERROR_INVALID_SCOPE,  /* not one of the scopes below, or none */
  CP_API_KEYS_ERROR_NOT_FOUND,      /* no key with that id */
  CP_API_KEYS_ERROR_UNAUTHORIZED,   /* missing, malformed, unknown or revoked key */
} CpApiKeysError;

/* The scopes. Each endpoint of the local API needs exactly one:
 *   integrations.read  GET  /api/v1/integrations
 *   integrations.sync  POST /api/v1/integrations/{id}/sync ("sync now";
 *                      {"full": true} for a full sync)
 *   orders.read        GET  /api/v1/external-orders (seed 002; to come)
 *   webhooks.write     POST /api/v1/webhooks (seed 002; to come)
 * GET /api/v1/health needs no key. A key gets only the scopes it is
 * created with: there is no "all". */
#define CP_API_SCOPE_INTEGRATIONS_READ "integrations.read"
#define CP_API_SCOPE_INTEGRATIONS_SYNC "integrations.sync"
#define CP_API_SCOPE_ORDERS_READ       "orders.read"
#define CP_API_SCOPE_WEBHOOKS_WRITE    "webhooks.write"

/* A key's secret looks like "cpk_<12 hex: the id>_<64 hex: 256 random
 * bits>". The id inside lets the server find the row without searching
 * by secret; the prefix lets secret scanners recognise a leaked key. */
#define CP_API_KEY_PREFIX "cpk_"

typedef struct
{
  char    *id;            /* "3f9a1c2b7d40": also part of the secret */
  char    *name;
  char   **scopes;        /* sorted, NULL-terminated */
  gint64   created_at;    /* µs since the epoch */
  gint64   last_used_at;  /* 0 when never */
  gint64   revoked_at;    /* 0 while valid */
} CpApiKey;

GType       cp_api_key_get_type     (void) G_GNUC_CONST;
CpApiKey   *cp_api_key_copy         (const CpApiKey *self);
void        cp_api_key_free         (CpApiKey *self);
gboolean    cp_api_key_has_scope    (const CpApiKey *self,
                                     const char     *scope);
gboolean    cp_api_key_is_revoked   (const CpApiKey *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpApiKey, cp_api_key_free)

GQuark      cp_api_keys_error_quark (void);

/* Every scope, sorted. */
const char * const *cp_api_keys_all_scopes (void);
/* At least one, all known; duplicates are fine. */
gboolean    cp_api_keys_validate_scopes (const char * const  *scopes,
                                         GError             **error);

/* Creates a key and returns it with its secret in *OUT_SECRET, the only
 * time the secret exists outside the caller's memory: show it once and
 * free it with cp_api_keys_secret_free (). */
CpApiKey   *cp_api_keys_create      (CpLedger            *ledger,
                                     const char          *name,
                                     const char * const  *scopes,
                                     char               **out_secret,
                                     GError             **error);
/* Every key, revoked ones included, oldest first. */
GPtrArray  *cp_api_keys_list        (CpLedger            *ledger,
                                     GError             **error); /* of CpApiKey */
CpApiKey   *cp_api_keys_get         (CpLedger            *ledger,
                                     const char          *id,
                                     GError             **error);
/* Revoking a revoked key again is not an error; it keeps its first
 * revocation time. */
gboolean    cp_api_keys_revoke      (CpLedger            *ledger,
                                     const char          *id,
                                     GError             **error);

/* The key SECRET belongs to, or NULL with CP_API_KEYS_ERROR_UNAUTHORIZED
 * when it is malformed, unknown or revoked (the error says which, for the
 * server's log; a client is told only that the key was not accepted).
 * The hash comparison takes the same time wherever the secrets differ.
 * Writes nothing. */
CpApiKey   *cp_api_keys_verify      (CpLedger            *ledger,
                                     const char          *secret,
                                     GError             **error);
/* Records a use, at most once a minute per key so that a busy client does
 * not turn every read into a write. */
gboolean    cp_api_keys_touch       (CpLedger            *ledger,
                                     CpApiKey            *key,
                                     gint64               now_us,
                                     GError             **error);

/* Overwrites and frees a secret. */
void        cp_api_keys_secret_free (char *secret);

G_END_DECLS
