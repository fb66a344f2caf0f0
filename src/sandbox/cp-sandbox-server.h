/* cp-sandbox-server.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sandbox's HTTP server: fake platforms on 127.0.0.1, in a thread of
 * their own so that a test, the CLI or the window can talk to them from
 * their own main loop without deadlocking.
 */

#pragma once

#include <gio/gio.h>

#include "cp-sandbox-faults.h"
#include "cp-sandbox-platform.h"

G_BEGIN_DECLS

#define CP_SANDBOX_SERVER_ERROR (cp_sandbox_server_error_quark ())

typedef enum
{
  CP_SANDBOX_SERVER_ERROR_LISTEN,        /* the port could not be bound */
  CP_SANDBOX_SERVER_ERROR_RUNNING,       /* started twice */
  CP_SANDBOX_SERVER_ERROR_NO_PLATFORM,   /* no platform by that name */
} CpSandboxServerError;

#define CP_TYPE_SANDBOX_SERVER (cp_sandbox_server_get_type ())

G_DECLARE_FINAL_TYPE (CpSandboxServer, cp_sandbox_server, CP, SANDBOX_SERVER, GObject)

GQuark             cp_sandbox_server_error_quark (void);

CpSandboxServer   *cp_sandbox_server_new         (void);
/* Platforms are added before start; each is served under /NAME. */
void               cp_sandbox_server_add_platform (CpSandboxServer   *self,
                                                   CpSandboxPlatform *platform);
CpSandboxPlatform *cp_sandbox_server_get_platform (CpSandboxServer   *self,
                                                   const char        *name);
/* Binds 127.0.0.1:PORT (0: an ephemeral port) and starts serving in a new
 * thread; returns once the socket listens. */
gboolean           cp_sandbox_server_start       (CpSandboxServer  *self,
                                                  guint             port,
                                                  GError          **error);
/* Stops serving and joins the thread; requests in flight are dropped. */
void               cp_sandbox_server_stop        (CpSandboxServer  *self);
gboolean           cp_sandbox_server_is_running  (CpSandboxServer  *self);
guint              cp_sandbox_server_get_port    (CpSandboxServer  *self);
/* https instead of plain http, with CERTIFICATE (which holds its private
 * key); NULL goes back to plain http. Before start(). A platform asks
 * is_tls() to authenticate as its real counterpart does over each. */
void               cp_sandbox_server_set_tls_certificate (CpSandboxServer *self,
                                                          GTlsCertificate *certificate);
/* Makes a fresh self-signed certificate for 127.0.0.1 (see
 * cp-sandbox-server-tls.h) and serves https with it. Returns the
 * certificate as PEM, the one trust anchor a client needs; NULL when
 * there is no TLS backend (glib-networking) or GnuTLS failed. */
char              *cp_sandbox_server_use_self_signed_tls (CpSandboxServer  *self,
                                                          GError          **error);
gboolean           cp_sandbox_server_is_tls      (CpSandboxServer  *self);
/* "http://127.0.0.1:PORT", or "https://127.0.0.1:PORT" with TLS */
const char        *cp_sandbox_server_get_base_url (CpSandboxServer *self);
/* The base URL a connector is given for platform NAME, e.g.
 * "http://127.0.0.1:PORT/ecomv2/v2"; NULL when there is no such platform. */
char              *cp_sandbox_server_dup_platform_url (CpSandboxServer  *self,
                                                       const char       *name);

/* The fault injector applied to every platform; owned by the server. */
CpSandboxFaults   *cp_sandbox_server_get_faults  (CpSandboxServer  *self);

/* Requests received, per endpoint label "NAME METHOD /pattern" as the
 * platform classifies them ("ecomv2 GET /products/{id}"), or in total with
 * ENDPOINT NULL. Injected faults count too: the request did arrive. */
guint              cp_sandbox_server_get_request_count (CpSandboxServer *self,
                                                        const char      *endpoint);
/* The connections clients opened: fewer than the requests when they
 * keep connections alive. */
guint              cp_sandbox_server_get_connection_count (CpSandboxServer *self);
/* The labels seen so far, sorted; free with g_strfreev(). */
char             **cp_sandbox_server_dup_endpoints (CpSandboxServer   *self);
/* How many requests got each kind of injected fault. */
guint              cp_sandbox_server_get_fault_count (CpSandboxServer *self,
                                                      CpSandboxFault   fault);

/* For tests: called on the server's thread as each request for a
 * platform arrives, before it is served, with its endpoint label (as
 * get_request_count() names it). What the client had committed before
 * sending can be read from there. NULL removes it. */
typedef void (*CpSandboxRequestObserver) (const char *endpoint,
                                          gpointer    user_data);
void               cp_sandbox_server_set_request_observer (CpSandboxServer          *self,
                                                           CpSandboxRequestObserver  observer,
                                                           gpointer                  user_data);

/* Effects: what a platform actually did, counted per key, so that a crash
 * test can tell "the same stock change applied twice" from "the same
 * request sent twice and deduplicated". A platform calls record_effect()
 * each time it applies a change; returns TRUE the first time for KEY. */
gboolean           cp_sandbox_server_record_effect (CpSandboxServer *self,
                                                    const char      *key);
guint              cp_sandbox_server_get_effect_count (CpSandboxServer *self,
                                                       const char      *key);
guint              cp_sandbox_server_get_n_distinct_effects (CpSandboxServer *self);
/* Sum over keys of (applications − 1): zero when nothing applied twice. */
guint              cp_sandbox_server_get_n_duplicate_effects (CpSandboxServer *self);
/* The keys applied more than once, sorted, as "KEY ×N", so a failing
 * crash test can say which effect doubled; free with g_strfreev(). */
char             **cp_sandbox_server_dup_duplicate_effects (CpSandboxServer *self);
void               cp_sandbox_server_reset_counters (CpSandboxServer *self);

G_END_DECLS
