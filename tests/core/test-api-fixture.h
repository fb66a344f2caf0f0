/* test-api-fixture.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the local API tests share: a real ledger in a temporary folder, a
 * real CpApiServer on 127.0.0.1 in a thread of its own (so the test can
 * block on a socket while the server answers), keys, and two clients: a
 * SoupSession for ordinary requests, a bare socket for what SoupSession
 * cannot do (stall, stream 200 MB, stop sending mid-request).
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cp-api-keys.h"
#include "cp-api-server.h"
#include "cp-ledger.h"

G_BEGIN_DECLS

typedef struct
{
  char          *dir;
  char          *ledger_path;
  CpLedger      *ledger;         /* the test's own connection */
  char          *integration_id;

  /* server settings, read when the server starts */
  guint          idle_timeout;
  guint          total_timeout;
  guint64        max_body_bytes;
  const char    *tls_certificate; /* PEM text, or NULL */
  CpEngine      *engine;

  GThread       *thread;
  GMainContext  *context;
  GMainLoop     *loop;
  CpApiServer   *server;
  GMutex         mutex;
  GCond          cond;
  gboolean       ready;
  GError        *listen_error;
  guint          port;
  char          *base_url;

  SoupSession   *session;
} ApiFixture;

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;   /* response headers */
  JsonParser         *parser;
  JsonObject         *root;      /* NULL when the body is not a JSON object */
  char               *body;
} ApiResponse;

void         api_fixture_set_up        (ApiFixture    *f,
                                        gconstpointer  data);
void         api_fixture_tear_down     (ApiFixture    *f,
                                        gconstpointer  data);
/* Starts the server with F's settings; asserts it listens. */
void         api_fixture_start         (ApiFixture    *f);
void         api_fixture_stop          (ApiFixture    *f);

/* A new key's secret; the caller frees it with cp_api_keys_secret_free. */
char        *api_fixture_new_key       (ApiFixture    *f,
                                        const char    *scopes);

/* KEY may be NULL; BODY may be NULL. */
ApiResponse *api_request               (ApiFixture    *f,
                                        const char    *method,
                                        const char    *path,
                                        const char    *key,
                                        const char    *body,
                                        gsize          body_len);
void         api_response_free         (ApiResponse   *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApiResponse, api_response_free)

/* Asserts R is a seed-001 error with CODE whose request_id is also in the
 * X-Request-Id header. */
void         api_assert_error          (ApiResponse   *r,
                                        guint          status,
                                        const char    *code);
/* Asserts the X-RateLimit triple is there; returns Remaining. */
gint64       api_assert_rate_headers   (ApiResponse   *r);

/* A blocking connection to the server with a 30 s guard on every read
 * and write, so that a server that never answers fails the test instead
 * of hanging it. */
GSocketConnection *api_connect         (ApiFixture    *f);
void         api_send_all              (GSocketConnection *conn,
                                        const char    *data,
                                        gsize          len);
/* Reads one response's status line, headers and Content-Length body.
 * Returns the status, 0 when the connection ended before a status line. */
guint        api_read_response         (GSocketConnection *conn,
                                        char         **out_text);
/* Reads until the server closes: TRUE when it did (EOF or reset) within
 * the guard. Whatever arrives is appended to OUT_TEXT when given. */
gboolean     api_wait_closed           (GSocketConnection *conn,
                                        GString       *out_text);

/* "POST /api/v1/integrations/<F's integration>/sync" with KEY and
 * EXTRA_HEADERS ("Name: value\r\n"…), up to the blank line. */
char        *api_sync_request_head     (ApiFixture    *f,
                                        const char    *key,
                                        const char    *extra_headers);
/* The size of a chunk api_make_frame () makes. */
#define API_FRAME_DATA (64 * 1024)
/* One chunk of a chunked body: API_FRAME_DATA bytes inside a JSON string,
 * so only the size limit can object to it. */
char        *api_make_frame            (gsize         *out_len);
/* Streams up to TOTAL bytes of a chunked body in FRAMEs, stopping as soon
 * as an answer can be read (or the server stops taking bytes); returns
 * the answer's status, *OUT_SENT what went out of the body. */
guint        api_stream_chunked        (ApiFixture    *f,
                                        const char    *key,
                                        const char    *frame,
                                        gsize          frame_len,
                                        guint64        total,
                                        guint64       *out_sent,
                                        char         **out_text);
/* Asserts TEXT is a whole HTTP answer with STATUS and a seed-001 error
 * with CODE, its request id and the X-RateLimit headers. */
void         api_assert_error_text     (const char    *text,
                                        guint          status,
                                        const char    *code);

/* kB from /proc/self/status ("VmRSS", "VmHWM"). */
gint64       api_proc_status_kb        (const char    *field);
/* Resets VmHWM to the current RSS; FALSE where the kernel refuses. */
gboolean     api_reset_peak_rss        (void);

/* Rows in every table a request could write, and the sum of last_used_at
 * of the keys: equal before and after means nothing was written. */
char        *api_ledger_fingerprint    (ApiFixture    *f);

G_END_DECLS
