/* cp-sandbox-server-tls.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GnuTLS makes the certificate in process (glib-networking already
 * loads it for every TLS connection): no openssl binary to find, and a
 * key generated in a few milliseconds because it is elliptic-curve.
 */

#define G_LOG_DOMAIN "cp-sandbox-server"

#include "config.h"

#include <string.h>
#include <time.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "cp-sandbox-server-tls.h"

G_DEFINE_QUARK (cp-sandbox-tls-error-quark, cp_sandbox_tls_error)

#define VALID_BEFORE_S (60 * 60)            /* clocks a little apart */
#define VALID_FOR_S    (7 * 24 * 60 * 60)   /* a sandbox left running for days */

static gboolean
check (int          ret,
       const char  *what,
       GError     **error)
{
  if (ret >= 0)
    return TRUE;
  g_set_error (error, CP_SANDBOX_TLS_ERROR, CP_SANDBOX_TLS_ERROR_GENERATE,
               "Could not make the sandbox certificate (%s: %s)", what, gnutls_strerror (ret));
  return FALSE;
}

static char *
datum_to_string (gnutls_datum_t *datum)
{
  char *text = g_strndup ((const char *) datum->data, datum->size);

  gnutls_free (datum->data);
  datum->data = NULL;
  return text;
}

gboolean
cp_sandbox_tls_generate (char   **out_cert_pem,
                         char   **out_key_pem,
                         GError **error)
{
  static const char common_name[] = "127.0.0.1";
  static const char organization[] = "Counterpart sandbox";
  static const char dns_name[] = "localhost";
  static const guint8 loopback[4] = { 127, 0, 0, 1 };
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t cert_pem = { NULL, 0 };
  gnutls_datum_t key_pem = { NULL, 0 };
  guint8 serial[16];
  time_t now = time (NULL);
  gboolean ok;

  g_return_val_if_fail (out_cert_pem != NULL && out_key_pem != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (serial); i++)
    serial[i] = (guint8) g_random_int_range (0, 256);
  serial[0] &= 0x7f;   /* a positive serial number */
  serial[0] |= 0x01;   /* and no leading zero byte */

  ok = check (gnutls_x509_privkey_init (&key), "key", error) &&
       check (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                            GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0),
              "key", error) &&
       check (gnutls_x509_crt_init (&crt), "certificate", error) &&
       check (gnutls_x509_crt_set_version (crt, 3), "version", error) &&
       check (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "serial", error) &&
       check (gnutls_x509_crt_set_activation_time (crt, now - VALID_BEFORE_S), "dates", error) &&
       check (gnutls_x509_crt_set_expiration_time (crt, now + VALID_FOR_S), "dates", error) &&
       check (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                             common_name, strlen (common_name)), "name", error) &&
       check (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
                                             organization, strlen (organization)), "name", error) &&
       /* Clients match the address against the alternative names, not
        * the common name: both spellings of this computer are there. */
       check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, loopback,
                                                    sizeof loopback, GNUTLS_FSAN_APPEND),
              "address", error) &&
       check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, dns_name,
                                                    strlen (dns_name), GNUTLS_FSAN_APPEND),
              "address", error) &&
       /* Its own authority, so that a trust list holding only it
        * verifies it as a chain of one. */
       check (gnutls_x509_crt_set_basic_constraints (crt, 1, 0), "constraints", error) &&
       check (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
                                                  GNUTLS_KEY_KEY_CERT_SIGN), "usage", error) &&
       check (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0),
              "usage", error) &&
       check (gnutls_x509_crt_set_key (crt, key), "key", error) &&
       check (gnutls_x509_crt_set_subject_key_id (crt, serial, sizeof serial), "key id", error) &&
       check (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), "signature", error) &&
       check (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &cert_pem), "export", error) &&
       check (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                 GNUTLS_PKCS_PLAIN, &key_pem), "export", error);

  if (ok)
    {
      *out_cert_pem = datum_to_string (&cert_pem);
      *out_key_pem = datum_to_string (&key_pem);
    }
  if (key_pem.data != NULL)
    {
      memset (key_pem.data, 0, key_pem.size);
      gnutls_free (key_pem.data);
    }
  gnutls_free (cert_pem.data);
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  return ok;
}
