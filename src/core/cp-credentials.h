/* cp-credentials.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Integration credentials live only in the Secret Service, under the
 * schema io.github.counterpart.Credential, keyed by ledger and integration:
 * pass cp_integrations_credential_key () as INTEGRATION_ID.
 * Nothing here ever writes a secret to disk, a log or stdout.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CP_CREDENTIALS_ERROR (cp_credentials_error_quark ())

typedef enum
{
  CP_CREDENTIALS_ERROR_UNAVAILABLE,  /* no Secret Service on the session bus */
  CP_CREDENTIALS_ERROR_LOCKED,       /* the keyring is locked and was not unlocked */
  CP_CREDENTIALS_ERROR_NOT_FOUND,    /* nothing stored for this integration */
  CP_CREDENTIALS_ERROR_INVALID,      /* stored value is not a JSON object */
  CP_CREDENTIALS_ERROR_FAILED,
} CpCredentialsError;

GQuark    cp_credentials_error_quark   (void);

/* SECRET_JSON must be a JSON object; LABEL is what a person sees in
 * Passwords and Keys ("Counterpart: My Shopify store"). */
gboolean  cp_credentials_store_sync    (const char    *integration_id,
                                        const char    *label,
                                        const char    *secret_json,
                                        GCancellable  *cancellable,
                                        GError       **error);
char     *cp_credentials_lookup_sync   (const char    *integration_id,
                                        GCancellable  *cancellable,
                                        GError       **error);
gboolean  cp_credentials_clear_sync    (const char    *integration_id,
                                        GCancellable  *cancellable,
                                        GError       **error);
/* TRUE when a Secret Service answers on the session bus. */
gboolean  cp_credentials_check_sync    (GCancellable  *cancellable,
                                        GError       **error);

void      cp_credentials_store_async   (const char          *integration_id,
                                        const char          *label,
                                        const char          *secret_json,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  cp_credentials_store_finish  (GAsyncResult  *result,
                                        GError       **error);
void      cp_credentials_lookup_async  (const char          *integration_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char     *cp_credentials_lookup_finish (GAsyncResult  *result,
                                        GError       **error);
void      cp_credentials_clear_async   (const char          *integration_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  cp_credentials_clear_finish  (GAsyncResult  *result,
                                        GError       **error);
void      cp_credentials_check_async   (GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  cp_credentials_check_finish  (GAsyncResult  *result,
                                        GError       **error);

G_END_DECLS
