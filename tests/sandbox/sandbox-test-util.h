/* sandbox-test-util.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real HTTP client for the sandbox tests: a SoupSession on the test's
 * thread talking to the server's own thread over loopback.
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cp-sandbox-server.h"
#include "cp-sandbox-ecomv2.h"

G_BEGIN_DECLS

typedef struct
{
  CpSandboxServer *server;
  CpSandboxEcomv2 *ecomv2;
  SoupSession     *session;
  char            *base;     /* the ecomv2 base URL, with /v2 */
} SandboxFixture;

void        sandbox_fixture_setup    (SandboxFixture *f,
                                      gconstpointer   data);
void        sandbox_fixture_teardown (SandboxFixture *f,
                                      gconstpointer   data);

/* Sends METHOD PATH (relative to the ecomv2 base) with KEY as the Bearer
 * key (none when NULL) and BODY as JSON (none when NULL). Returns the
 * message, its body in *OUT_BODY, and a transport error in *ERROR. */
SoupMessage *sandbox_request (SandboxFixture  *f,
                              const char      *method,
                              const char      *path,
                              const char      *key,
                              const char      *body,
                              const char      *if_none_match,
                              GBytes         **out_body,
                              GError         **error);
/* The same, asserting that the transport worked; returns the status and
 * the parsed body (NULL for an empty one) in *OUT_JSON. */
guint        sandbox_call    (SandboxFixture  *f,
                              const char      *method,
                              const char      *path,
                              const char      *body,
                              JsonNode       **out_json,
                              SoupMessageHeaders **out_headers);
/* Checks the seed-001 error format and returns its code. */
const char  *sandbox_assert_error (JsonNode *json);

G_END_DECLS
