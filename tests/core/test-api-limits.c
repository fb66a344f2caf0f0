/* test-api-limits.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local API against hostile bodies and slow clients, over a bare
 * socket so the test can do what SoupSession will not: stream 200 MB in
 * chunks and watch for an early answer, stop mid-request, trickle bytes.
 * The timeout tests assert the disconnect, never how long it took. The
 * 200 MB body is in test-api-memory.c.
 */

#include "config.h"

#include <string.h>

#include "test-api-fixture.h"

#define MiB ((guint64) 1024 * 1024)

#define TEST(name, func) \
  g_test_add ("/api-limits/" name, ApiFixture, NULL, api_fixture_set_up, func, api_fixture_tear_down)

/* With Content-Length the size is known before a byte of body: the
 * answer comes at once, and with Expect: 100-continue no body is sent. */
static void
test_content_length_is_413_before_the_body (ApiFixture    *f,
                                            gconstpointer  data)
{
  g_autofree char *key = api_fixture_new_key (f, "integrations.sync");
  g_autofree char *expect = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *text = NULL;
  g_autofree char *after = NULL;

  api_fixture_start (f);

  {
    static const char health[] = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    g_autoptr(GSocketConnection) conn = api_connect (f);

    expect = api_sync_request_head (f, key, "Content-Length: 209715200\r\nExpect: 100-continue\r\n");
    api_send_all (conn, expect, strlen (expect));
    g_assert_cmpuint (api_read_response (conn, &text), ==, 413);
    api_assert_error_text (text, 413, "payload_too_large");

    /* libsoup answered and the connection goes on: no body was read. */
    api_send_all (conn, health, strlen (health));
    g_assert_cmpuint (api_read_response (conn, &after), ==, 200);
  }

  {
    g_autoptr(GSocketConnection) conn = api_connect (f);

    g_clear_pointer (&text, g_free);
    plain = api_sync_request_head (f, key, "Content-Length: 209715200\r\n");
    api_send_all (conn, plain, strlen (plain));
    g_assert_cmpuint (api_read_response (conn, &text), ==, 413);
    api_assert_error_text (text, 413, "payload_too_large");
    g_assert_true (api_wait_closed (conn, NULL));
  }
}

static void
test_deep_json_is_400 (ApiFixture    *f,
                       gconstpointer  data)
{
  g_autofree char *key = api_fixture_new_key (f, "integrations.sync");
  g_autofree char *path = g_strdup_printf ("/integrations/%s/sync", f->integration_id);
  g_autofree char *deep = g_strnfill (1000000, '[');
  g_autoptr(GString) nested = g_string_new (NULL);
  g_autoptr(GString) too_nested = g_string_new (NULL);
  g_autoptr(ApiResponse) r = NULL;
  g_autoptr(ApiResponse) ok = NULL;
  g_autoptr(ApiResponse) over = NULL;
  g_autoptr(ApiResponse) health = NULL;

  api_fixture_start (f);

  /* 1,000,000 levels: json-glib 1.6 would crash at ~75,000. */
  r = api_request (f, "POST", path, key, deep, strlen (deep));
  api_assert_error (r, 400, "validation_error");
  g_assert_nonnull (strstr (r->body, "64"));

  /* 64 levels are fine (and reach the endpoint: no engine here, 503);
   * 65 are not. */
  for (guint i = 0; i < 63; i++)
    g_string_append (nested, "{\"a\":");
  g_string_append (nested, "{}");
  for (guint i = 0; i < 63; i++)
    g_string_append_c (nested, '}');
  ok = api_request (f, "POST", path, key, nested->str, nested->len);
  api_assert_error (ok, 503, "service_unavailable");

  g_string_append_printf (too_nested, "{\"a\":%s}", nested->str);
  over = api_request (f, "POST", path, key, too_nested->str, too_nested->len);
  api_assert_error (over, 400, "validation_error");

  health = api_request (f, "GET", "/health", NULL, NULL, 0);
  g_assert_cmpuint (health->status, ==, 200);
}

/* The same million levels, closed again (2 MB), under a raised size
 * limit and in chunks: the depth is refused in the first chunk. */
static void
test_deep_json_chunked_is_400 (ApiFixture    *f,
                               gconstpointer  data)
{
  g_autofree char *key = api_fixture_new_key (f, "integrations.sync");
  g_autoptr(GSocketConnection) conn = NULL;
  g_autofree char *head = NULL;
  g_autofree char *text = NULL;
  g_autofree char *frame = NULL;
  g_autofree char *size_line = g_strdup_printf ("%x\r\n", API_FRAME_DATA);
  guint64 sent = 0;

  f->max_body_bytes = 4 * MiB;
  api_fixture_start (f);
  conn = api_connect (f);
  head = api_sync_request_head (f, key, "Transfer-Encoding: chunked\r\n");
  api_send_all (conn, head, strlen (head));

  frame = g_malloc (API_FRAME_DATA);
  for (guint64 i = 0; i < 2000000 / API_FRAME_DATA; i++)
    {
      GSocket *socket = g_socket_connection_get_socket (conn);

      if (g_socket_condition_check (socket, G_IO_IN | G_IO_HUP) != 0)
        break;
      memset (frame, sent < 1000000 ? '[' : ']', API_FRAME_DATA);
      api_send_all (conn, size_line, strlen (size_line));
      api_send_all (conn, frame, API_FRAME_DATA);
      api_send_all (conn, "\r\n", 2);
      sent += API_FRAME_DATA;
    }

  g_assert_cmpuint (api_read_response (conn, &text), ==, 400);
  api_assert_error_text (text, 400, "validation_error");
}

static void
use_short_timeouts (ApiFixture *f)
{
  f->idle_timeout = 1;
  f->total_timeout = 3;
}

/* Headers begun and never finished, or none sent: closed, nothing to
 * answer. */
static void
test_idle_headers_are_closed (ApiFixture    *f,
                              gconstpointer  data)
{
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  static const char partial[] = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";

  use_short_timeouts (f);
  api_fixture_start (f);
  conn = api_connect (f);
  api_send_all (conn, partial, strlen (partial));
  g_assert_true (api_wait_closed (conn, text));
  g_assert_cmpuint (text->len, ==, 0);

  /* Nothing at all after connecting: the same. */
  g_clear_object (&conn);
  conn = api_connect (f);
  g_assert_true (api_wait_closed (conn, text));
  g_assert_cmpuint (text->len, ==, 0);
}

/* Headers sent, then the body stalls: 408, then closed. */
static void
test_idle_body_is_408 (ApiFixture    *f,
                       gconstpointer  data)
{
  g_autofree char *key = api_fixture_new_key (f, "integrations.sync");
  g_autofree char *head = NULL;
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  use_short_timeouts (f);
  api_fixture_start (f);
  conn = api_connect (f);
  head = api_sync_request_head (f, key, "Content-Length: 100\r\n");
  api_send_all (conn, head, strlen (head));
  api_send_all (conn, "{\"fu", 4);

  g_assert_true (api_wait_closed (conn, text));
  api_assert_error_text (text->str, 408, "request_timeout");
}

/* A kept-alive connection nobody uses is closed as well. */
static void
test_idle_keepalive_is_closed (ApiFixture    *f,
                               gconstpointer  data)
{
  g_autoptr(GSocketConnection) conn = NULL;
  g_autofree char *text = NULL;
  static const char request[] = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  use_short_timeouts (f);
  api_fixture_start (f);
  conn = api_connect (f);
  api_send_all (conn, request, strlen (request));
  g_assert_cmpuint (api_read_response (conn, &text), ==, 200);
  g_assert_true (api_wait_closed (conn, NULL));
}

/* A body trickled a byte at a time is never idle, but the whole request
 * has a time limit: cut off (408) before it is complete. */
static void
test_total_timeout (ApiFixture    *f,
                    gconstpointer  data)
{
  g_autofree char *key = api_fixture_new_key (f, "integrations.sync");
  g_autofree char *head = NULL;
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  GSocket *socket;
  guint sent = 0;
  const guint length = 200;
  gboolean cut = FALSE;

  f->idle_timeout = 2;
  f->total_timeout = 3;
  api_fixture_start (f);
  conn = api_connect (f);
  socket = g_socket_connection_get_socket (conn);
  head = api_sync_request_head (f, key, "Content-Length: 200\r\n");
  api_send_all (conn, head, strlen (head));

  /* 200 bytes at 4 a second would take 50 s. */
  for (sent = 0; sent < length; sent++)
    {
      if (g_socket_condition_check (socket, G_IO_IN | G_IO_HUP | G_IO_ERR) != 0)
        {
          cut = TRUE;
          break;
        }
      if (g_socket_send (socket, " ", 1, NULL, NULL) != 1)
        {
          cut = TRUE;
          break;
        }
      g_usleep (G_USEC_PER_SEC / 4);
    }

  g_assert_true (cut);
  g_assert_cmpuint (sent, <, length);
  g_assert_true (api_wait_closed (conn, text));
  api_assert_error_text (text->str, 408, "request_timeout");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  TEST ("body/content-length", test_content_length_is_413_before_the_body);
  TEST ("json/deep", test_deep_json_is_400);
  TEST ("json/deep-chunked", test_deep_json_chunked_is_400);
  TEST ("timeout/idle-headers", test_idle_headers_are_closed);
  TEST ("timeout/idle-body", test_idle_body_is_408);
  TEST ("timeout/idle-keepalive", test_idle_keepalive_is_closed);
  TEST ("timeout/total", test_total_timeout);

  return g_test_run ();
}
