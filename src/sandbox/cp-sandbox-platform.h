/* cp-sandbox-platform.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One fake platform served by CpSandboxServer. The server owns the socket,
 * the thread and fault injection; a platform only knows its own wire format.
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* libsoup 3.2 has no name for it. */
#define CP_SANDBOX_STATUS_TOO_MANY_REQUESTS 429

typedef struct _CpSandboxServer CpSandboxServer;

#define CP_TYPE_SANDBOX_PLATFORM (cp_sandbox_platform_get_type ())

G_DECLARE_INTERFACE (CpSandboxPlatform, cp_sandbox_platform, CP, SANDBOX_PLATFORM, GObject)

struct _CpSandboxPlatformInterface
{
  GTypeInterface parent_iface;

  /* "ecomv2": also the first path segment the server routes on. */
  const char *(*get_name)     (CpSandboxPlatform *self);
  /* What follows the name in the platform's base URL: "/v2" for ecomv2,
   * whose documented base URL includes its version. */
  const char *(*get_api_path) (CpSandboxPlatform *self);
  /* A stable label of the endpoint PATH hits ("GET /products/{id}") for the
   * request counters, or NULL when nothing matches. PATH starts after the
   * name, with the API path still on it. */
  const char *(*classify)     (CpSandboxPlatform *self,
                               const char        *method,
                               const char        *path);
  /* Serves MSG completely (status, headers, body); runs on the server's
   * thread. */
  void        (*handle)       (CpSandboxPlatform *self,
                               CpSandboxServer   *server,
                               SoupServerMessage *msg,
                               const char        *path);
  /* An error in the platform's own format, used by injected faults. */
  void        (*write_error)  (CpSandboxPlatform *self,
                               SoupServerMessage *msg,
                               guint              status,
                               const char        *code,
                               const char        *message);
};

const char *cp_sandbox_platform_get_name     (CpSandboxPlatform *self);
const char *cp_sandbox_platform_get_api_path (CpSandboxPlatform *self);
const char *cp_sandbox_platform_classify     (CpSandboxPlatform *self,
                                              const char        *method,
                                              const char        *path);
void        cp_sandbox_platform_handle       (CpSandboxPlatform *self,
                                              CpSandboxServer   *server,
                                              SoupServerMessage *msg,
                                              const char        *path);
void        cp_sandbox_platform_write_error  (CpSandboxPlatform *self,
                                              SoupServerMessage *msg,
                                              guint              status,
                                              const char        *code,
                                              const char        *message);

G_END_DECLS
