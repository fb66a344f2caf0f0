/* cp-api-server.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Counterpart's local API (shared/CLI.md, "Local API"): a SoupServer that
 * serves /api/v1/ to other programs of the shop — a website widget, a
 * script, a monitor. Off unless started (`counterpart-cli serve`, or the
 * window's setting), on loopback by default; another address only over
 * TLS.
 *
 *   GET  /api/v1/health                  no key
 *   GET  /api/v1/integrations            integrations.read (seed 002)
 *   POST /api/v1/integrations/{id}/sync  integrations.sync (seed 002);
 *                                        body {"full": true} for a full sync
 *   POST /api/v1/stores/{store}/webhooks/orders|products|inventory
 *                                        no key: signed by the store (seed 003,
 *                                        cp-webhooks.h)
 *   POST /api/v1/stores/{store}/sync/products|inventory  integrations.sync
 *   GET  /api/v1/stores/{store}/orders   orders.read ({store}: an integration id)
 *
 * Requests authenticate with "Authorization: Bearer <key>" (seed 001)
 * using a key from cp-api-keys.h. Answers are {"data": …}; errors are
 * seed 001's {"error": {"code", "message", "details", "request_id"}}, and
 * every response carries the request id in X-Request-Id and the
 * X-RateLimit-Limit/-Remaining/-Reset triple of the bucket it drew from.
 *
 * Limits, all checked before anything is written to the ledger:
 *  - 60 requests a minute (seed 003) per key, per integration a request
 *    addresses, and per client address for requests without a valid key;
 *    past that, 429 with Retry-After.
 *  - Bodies of at most max-body-bytes (1 MiB): refused from Content-Length
 *    before reading, and while reading chunked bodies at the first byte
 *    past the limit (413). libsoup 3.2 would otherwise hold the whole body
 *    in memory. Clients sending large bodies should use
 *    "Expect: 100-continue": they then get the 413 before sending any.
 *  - JSON bodies are pre-scanned for size and depth (cp-json-limits.h) as
 *    they arrive, before json-glib sees them (400 past 64 levels).
 *  - idle-timeout: a connection that sends nothing for that long is
 *    closed (with 408 when a request was under way); total-timeout: no
 *    request takes longer than that from its first byte to its answer.
 *
 * The server runs on the GMainContext that is the thread-default when it
 * is created, with its own ledger connection.
 */

#pragma once

#include <gio/gio.h>

#include "cp-engine.h"

G_BEGIN_DECLS

#define CP_API_SERVER_ERROR (cp_api_server_error_quark ())

typedef enum
{
  CP_API_SERVER_ERROR_ADDRESS,   /* not ADDRESS:PORT with an IP address */
  CP_API_SERVER_ERROR_INSECURE,  /* beyond loopback without TLS */
  CP_API_SERVER_ERROR_TLS,       /* the certificate or key cannot be used */
  CP_API_SERVER_ERROR_LISTEN,    /* the port is taken, or not ours to use */
} CpApiServerError;

/* Loopback, so that only programs on this computer can reach the API
 * unless the shop chooses otherwise (and then TLS is required); 8787 is
 * free of well-known services and above 1024, so no privileges needed. */
#define CP_API_SERVER_DEFAULT_LISTEN          "127.0.0.1:8787"
#define CP_API_SERVER_DEFAULT_MAX_BODY_BYTES  ((guint64) 1024 * 1024)
/* Seconds. A person's script sends its request at once; these only ever
 * cut off clients that stall, or trickle bytes to hold a connection. */
#define CP_API_SERVER_DEFAULT_IDLE_TIMEOUT    15
#define CP_API_SERVER_DEFAULT_TOTAL_TIMEOUT   60

#define CP_TYPE_API_SERVER (cp_api_server_get_type ())
G_DECLARE_FINAL_TYPE (CpApiServer, cp_api_server, CP, API_SERVER, GObject)

GQuark       cp_api_server_error_quark (void);

/* LEDGER_PATH: the server opens its own connection when it starts
 * listening. ENGINE may be NULL: sync requests are then answered 503. */
CpApiServer *cp_api_server_new          (const char   *ledger_path,
                                         CpEngine     *engine);

/* For listening beyond loopback: a PEM certificate (chain) and its
 * private key; KEY_PATH may be NULL when CERTIFICATE_PATH holds both.
 * Properties "tls-certificate-path", "tls-key-path". */
void         cp_api_server_set_tls_files (CpApiServer *self,
                                         const char   *certificate_path,
                                         const char   *key_path);

/* Properties "max-body-bytes", "idle-timeout", "total-timeout" (seconds)
 * and "rate-per-minute" can be changed before listening. */

/* ADDRESS is "127.0.0.1:8787", "[::1]:8787", "localhost:8787" (NULL: the
 * default); port 0 picks a free one. An address beyond loopback
 * ("0.0.0.0", a LAN address) needs the TLS files, else
 * CP_API_SERVER_ERROR_INSECURE. */
gboolean     cp_api_server_listen       (CpApiServer  *self,
                                         const char   *address,
                                         GError      **error);
/* Closes the port and every connection, lingering ones included. */
void         cp_api_server_stop         (CpApiServer  *self);

guint        cp_api_server_get_port     (CpApiServer  *self);
/* "http://127.0.0.1:8787/api/v1", "https://…" with TLS; NULL before
 * listening. */
char        *cp_api_server_dup_base_url (CpApiServer  *self);

/* Splits "HOST:PORT" as listen() does, without listening: for the CLI to
 * tell a usage error apart from a failure. HOST comes back as an IP
 * address ("localhost" becomes 127.0.0.1). */
gboolean     cp_api_server_parse_address (const char  *address,
                                          char       **out_host,
                                          guint16     *out_port,
                                          gboolean    *out_is_loopback,
                                          GError     **error);

G_END_DECLS
