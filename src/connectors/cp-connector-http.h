/* cp-connector-http.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The plumbing every HTTP connector needs around one synchronous
 * exchange on the engine's worker thread, whatever the platform: waiting
 * cancellably, taking a rate-limiter token (sitting out a short wait,
 * handing a long one to the engine), reading a response body within a
 * size and depth budget, the redacted exchange for the activity log, and
 * JSON string literals for request bodies. Shared by the ecomv2,
 * WooCommerce and Shopify connectors.
 */

#pragma once

#include <libsoup/soup.h>

#include "cp-rate-limiter.h"

G_BEGIN_DECLS

/* Sleeps WAIT_US unless CANCELLABLE fires first (then FALSE with
 * G_IO_ERROR_CANCELLED). */
gboolean  cp_connector_http_wait        (gint64          wait_us,
                                         GCancellable   *cancellable,
                                         GError        **error);

/* Takes one token of LIMITER. A wait up to MAX_INLINE_WAIT_US is sat out
 * here; a longer one refunds the token and fails with
 * CP_CONNECTOR_ERROR_RATE_LIMITED carrying the wait and LIMITED_MESSAGE
 * (what a shop owner reads), so the engine schedules the retry. */
gboolean  cp_connector_http_take_token  (CpRateLimiter  *limiter,
                                         gint64          max_inline_wait_us,
                                         const char     *limited_message,
                                         GCancellable   *cancellable,
                                         GError        **error);

/* Reads STREAM whole, refusing it past MAX_BYTES or past the nesting
 * depth json-glib survives (then NULL with *OUT_TOO_BIG set): a hostile
 * server costs a bounded amount of memory. */
GBytes   *cp_connector_http_read_body   (GInputStream   *stream,
                                         gsize           max_bytes,
                                         gboolean       *out_too_big,
                                         GCancellable   *cancellable,
                                         GError        **error);

/* The redacted exchange (cp_activity_redact_exchange) of one request:
 * REQUEST_HEADERS as name, value pairs (NULL-terminated, secrets already
 * replaced by the caller), the response's headers and at most MAX_BODY
 * bytes of its body. */
char     *cp_connector_http_exchange    (const char         *method,
                                         const char         *url,
                                         const char * const *request_headers,
                                         const char         *request_body,
                                         guint               status,
                                         SoupMessageHeaders *response_headers,
                                         GBytes             *response_body,
                                         gsize               max_body);

/* Whether URI names this computer (plain http is allowed only there). */
gboolean  cp_connector_http_is_loopback (GUri           *uri);

/* BASE_URL checked as a connector must before it sends a key there:
 * cp_integrations_validate_base_url, then https (plain http only to this
 * computer) with no query, fragment or user info, else a CONFIG error
 * saying WRONG_ADDRESS (the platform's own example). Returns the address
 * without trailing slashes; OUT_PLAIN_HTTP (may be NULL) says whether it
 * is plain http. */
char     *cp_connector_http_check_base_url (const char  *base_url,
                                            const char  *wrong_address,
                                            gboolean    *out_plain_http,
                                            GError     **error);

/* Whether a credential can go into a header: a control character (a
 * line break above all) would smuggle headers into every request. */
gboolean  cp_connector_http_is_header_safe (const char *value);

/* Why a store's certificate was refused, in shop words, from the flags
 * soup_message_get_tls_peer_certificate_errors() gives (0: unknown):
 * "it is not signed by an authority this computer trusts"… */
char     *cp_connector_http_describe_certificate (GTlsCertificateFlags errors);

/* Development builds only (-Dprofile=development): when CP_TEST_TLS_CA
 * names a PEM file, its certificates become SESSION's only trusted
 * authorities, so that the CLI's tests reach the sandbox's self-signed
 * https in a child process. Any other build ignores the variable: a
 * shop's certificate is checked against the system's authorities. */
void      cp_connector_http_use_test_authority (SoupSession *session);

/* TEXT as a JSON string literal, appended to OUT. */
void      cp_connector_json_append_string (GString      *out,
                                           const char   *text);

G_END_DECLS
