/* cp-sandbox-server-tls.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A self-signed certificate for the sandbox server's https mode, made
 * fresh each time: a real shop is reached over https only, and the path
 * a connector takes there (Basic auth, certificate checks) must run
 * against the fakes too. No key or certificate is ever stored in the
 * source tree, so none can leak into a real trust store.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CP_SANDBOX_TLS_ERROR (cp_sandbox_tls_error_quark ())

typedef enum
{
  CP_SANDBOX_TLS_ERROR_GENERATE,   /* GnuTLS could not make the key or certificate */
} CpSandboxTlsError;

GQuark   cp_sandbox_tls_error_quark (void);

/* A new ECDSA P-256 key and a certificate signed by it for 127.0.0.1
 * and localhost, valid from an hour ago for a week, both as PEM (the
 * key as unencrypted PKCS#8, which g_tls_certificate_new_from_pem
 * reads). The certificate is its own authority: a client trusts the
 * sandbox by taking OUT_CERT_PEM as its only anchor. */
gboolean cp_sandbox_tls_generate (char   **out_cert_pem,
                                  char   **out_key_pem,
                                  GError **error);

G_END_DECLS
