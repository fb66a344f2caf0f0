/* cp-api-server-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the local API server's files share: the server's fields, the state
 * of one request, and the functions that answer it. Internal to
 * cp-api-server*.c.
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cp-api-keys.h"
#include "cp-api-server.h"
#include "cp-json-limits.h"
#include "cp-ledger.h"
#include "cp-rate-limiter.h"

G_BEGIN_DECLS

/* Where a request's CpApiRequest hangs on its SoupServerMessage. */
#define CP_API_REQUEST_KEY "cp-api-request"

/* HTTP statuses libsoup 3.2 has no phrase for. */
#define CP_API_STATUS_TOO_MANY_REQUESTS 429

/* A rejected connection is drained (read and thrown away, into one fixed
 * buffer) for at most this long and this many bytes after the error was
 * sent, so that a client still sending its body can read our answer
 * instead of a connection reset; then it is closed. */
#define CP_API_LINGER_US     ((gint64) 2 * G_USEC_PER_SEC)
#define CP_API_LINGER_BYTES  ((guint64) 16 * 1024 * 1024)

typedef enum
{
  CP_API_ROUTE_NONE,                /* not under /api/v1/, or unknown */
  CP_API_ROUTE_HEALTH,
  CP_API_ROUTE_INTEGRATIONS,
  CP_API_ROUTE_INTEGRATION_SYNC,
  /* Seed 003's store endpoints; route_id is the store (integration). */
  CP_API_ROUTE_STORE_WEBHOOK,       /* POST stores/{store}/webhooks/{kind}: no key, a signature */
  CP_API_ROUTE_STORE_SYNC,          /* POST stores/{store}/sync/products|inventory */
  CP_API_ROUTE_STORE_ORDERS,        /* GET  stores/{store}/orders */
} CpApiRoute;

struct _CpApiServer
{
  GObject         parent_instance;

  char           *ledger_path;
  CpEngine       *engine;             /* nullable */
  char           *tls_certificate_path;
  char           *tls_key_path;
  guint64         max_body_bytes;
  guint           idle_timeout_s;
  guint           total_timeout_s;
  guint           rate_per_minute;

  GMainContext   *context;
  CpLedger       *ledger;             /* open while listening */
  SoupServer     *soup;
  guint           port;
  gboolean        tls;
  char           *host;

  GHashTable     *requests;           /* SoupServerMessage → CpApiRequest, not owned */
  /* Kept-alive connections between two requests: libsoup 3.2 starts the
   * next request (and tells us) only when its first byte arrives, so an
   * idle one is known by its socket. GSocket → gint64 *since (monotonic). */
  GHashTable     *idle_sockets;
  GHashTable     *key_limiters;       /* key id → CpRateLimiter */
  GHashTable     *store_limiters;     /* integration id → CpRateLimiter */
  GHashTable     *address_limiters;   /* client address → CpRateLimiter */
  GPtrArray      *lingering;          /* CpApiLinger, closing after an error */
  GSource        *timer;
  gint64          last_prune_us;
  GSource        *webhooks_idle;      /* processing of stored webhooks, when due */
};

/* One request, from its connection's first byte (or the end of the
 * previous request on a kept-alive connection) to its answer. It lives as
 * data on its SoupServerMessage. */
typedef struct
{
  CpApiServer        *server;         /* NULL once the server is gone */
  SoupServerMessage  *msg;            /* owns this */
  char                request_id[24]; /* "req_" + 16 hex digits */
  gint64              started_us;     /* monotonic */
  gint64              last_activity_us;
  gboolean            got_headers;
  gboolean            in_headers;     /* inside got-headers: libsoup may still answer */
  gboolean            answering;      /* body read; the handler answered */
  gboolean            rejected;       /* an error is set; no handler runs */

  CpApiRoute          route;
  char               *route_id;       /* {id} of the path, or NULL */
  CpApiKey           *key;            /* NULL without a valid key */
  CpRateLimiter      *limiter;        /* the bucket in the headers; not owned */

  guint64             body_bytes;
  GPtrArray          *chunks;         /* GBytes of the body so far */
  CpJsonLimitsScanner *scanner;
} CpApiRequest;

/* cp-api-server-net.c */

/* The timer: closes what stalls, forgets idle rate buckets. */
gboolean    cp_api_server_tick        (gpointer           data);

/* cp-api-server-reject.c */

/* Sets a seed-001 error as MSG's response (status, JSON body). */
void        cp_api_set_error          (SoupServerMessage *msg,
                                       guint              status,
                                       const char        *code,
                                       const char        *message,
                                       const char        *request_id);
void        cp_api_set_json           (SoupServerMessage *msg,
                                       guint              status,
                                       JsonNode          *root);
/* Refuses REQ with an error. When libsoup will not read a body first
 * (there is none, or the client waits for 100 Continue), libsoup answers;
 * otherwise the connection is taken from libsoup, the error written by
 * hand, the rest of the body drained for a moment, and the connection
 * closed, so that not one more byte of the body is kept. */
void        cp_api_reject             (CpApiRequest      *req,
                                       guint              status,
                                       const char        *code,
                                       const char        *message);
/* Takes the connection from libsoup and closes it without an answer. */
void        cp_api_drop_connection    (CpApiRequest      *req);
/* Cancels every lingering connection (the server stops). */
void        cp_api_linger_cancel_all  (CpApiServer       *self);

/* cp-api-server.c */

/* The token of an "Authorization: Bearer <token>" value (RFC 6750; the
 * scheme in any case), or NULL. */
const char *cp_api_bearer_token       (const char        *authorization);

/* cp-api-server-routes.c */

CpApiRoute  cp_api_route_match        (const char        *path,
                                       char             **out_id);
/* Whether the LEN bytes at ID make an {id} of a path: 1 to 100 of
 * [A-Za-z0-9._-]. */
gboolean    cp_api_is_clean_id        (const char        *id,
                                       gsize              len);
/* The method the route takes ("GET", "POST"). */
const char *cp_api_route_method       (CpApiRoute         route);
/* The scope the route needs, or NULL (health). */
const char *cp_api_route_scope        (CpApiRoute         route);
/* The body of POST …/sync, already pre-scanned: empty, or an object
 * whose optional "full" is a boolean. FALSE with a message to send. */
gboolean    cp_api_parse_sync_body    (GBytes            *body,
                                       gboolean          *out_full,
                                       const char       **out_message);
/* Answers an accepted request whose body (possibly empty) is BODY. */
void        cp_api_route_handle       (CpApiRequest      *req,
                                       GBytes            *body);
/* Whether the route takes requests without an API key (health; store
 * webhooks, which prove themselves by their signature). */
gboolean    cp_api_route_is_keyless   (CpApiRoute         route);

/* cp-webhooks-api.c: the store routes. */

/* Matches "stores/…" (REST is the path after /api/v1/). */
CpApiRoute  cp_webhooks_api_match     (const char        *rest,
                                       char             **out_id);
void        cp_webhooks_api_handle    (CpApiRequest      *req,
                                       GBytes            *body);
/* Processes stored deliveries soon, on the server's context. */
void        cp_webhooks_api_schedule  (CpApiServer       *self);
/* At listen: processes what a previous run left unprocessed, and forgets
 * deliveries older than CP_WEBHOOKS_KEEP_US. */
void        cp_webhooks_api_start     (CpApiServer       *self);
void        cp_webhooks_api_cancel    (CpApiServer       *self);

G_END_DECLS
