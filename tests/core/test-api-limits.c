/* test-api-limits.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local API against hostile bodies and slow clients, over a bare
 * socket so the test can do what SoupSession will not: stream 200 MB in
 * chunks and watch for an early answer, stop mid-request, trickle bytes.
 * The memory figure is the process's peak RSS (server thread included)
 * while the 200 MB go by; the timeout tests assert the disconnect, never
 * how long it took.
 */

#include "config.h"

#include <string.h>

#include "test-api-fixture.h"

#define MiB ((guint64) 1024 * 1024)
#define FRAME_DATA (64 * 1024)

#define TEST(name, func) \
  g_test_add ("/api-limits/" name, ApiFixture, NULL, api_fixture_set_up, func, api_fixture_tear_down)

static char *
sync_request_head (ApiFixture *f,
                   const char *key,
                   const char *extra_headers)
{
  return g_strdup_printf ("POST /api/v1/integrations/%s/sync HTTP/1.1\r\n"
                          "Host: 127.0.0.1\r\n"
                          "Authorization: Bearer %s\r\n"
                          "Content-Type: application/json\r\n"
                          "%s"
                          "\r\n",
                          f->integration_id, key, extra_headers);
}

/* One chunk of a chunked body: FRAME_DATA bytes of a JSON string's
 * inside, so only the size limit can object. */
static char *
make_frame (gsize *out_len)
{
  g_autofree char *size_line = g_strdup_printf ("%x\r\n", FRAME_DATA);
  gsize len = strlen (size_line) + FRAME_DATA + 2;
  char *frame = g_malloc (len);

  memcpy (frame, size_line, strlen (size_line));
  memset (frame + strlen (size_line), 'a', FRAME_DATA);
  memcpy (frame + len - 2, "\r\n", 2);
  *out_len = len;
  return frame;
}

/* Streams up to TOTAL bytes of a chunked body, stopping as soon as an
 * answer can be read (or the server stops taking bytes). Returns the
 * status of the answer; *OUT_SENT is how much of the body went out. */
static guint
stream_chunked (ApiFixture  *f,
                const char  *key,
                const char  *frame,
                gsize        frame_len,
                guint64      total,
                guint64     *out_sent,
                char       **out_text)
{
  g_autoptr(GSocketConnection) conn = api_connect (f);
  GSocket *socket = g_socket_connection_get_socket (conn);
  g_autofree char *head = sync_request_head (f, key, "Transfer-Encoding: chunked\r\n");
  guint64 sent = 0;

  api_send_all (conn, head, strlen (head));
  api_send_all (conn, "3\r\n\"aa\r\n", 8);      /* the string's opening quote */

  while (sent < total)
    {
      gsize done = 0;

      if (g_socket_condition_check (socket, G_IO_IN | G_IO_HUP | G_IO_ERR) != 0)
        break;

      while (done < frame_len)
        {
          gssize n = g_socket_send (socket, frame + done, frame_len - done, NULL, NULL);

          if (n <= 0)
            goto answered;              /* the server closed: its answer is waiting */
          done += (gsize) n;
        }
      sent += FRAME_DATA;
    }

answered:
  *out_sent = sent;
  return api_read_response (conn, out_text);
}

static void
assert_error_text (const char *text,
                   guint       status,
                   const char *code)
{
  g_autofree char *status_line = g_strdup_printf ("HTTP/1.1 %u ", status);
  g_autofree char *code_field = g_strdup_printf ("\"code\":\"%s\"", code);

  g_assert_true (g_str_has_prefix (text, status_line));
  g_assert_nonnull (strstr (text, code_field));
  g_assert_nonnull (strstr (text, "\"request_id\":\"req_"));
  g_assert_nonnull (strstr (text, "X-Request-Id: req_"));
  g_assert_nonnull (strstr (text, "X-RateLimit-Remaining: "));
}

/* The figure: a 200 MB body costs the server at most 2 MiB. */
static void
test_streamed_200mb_is_413_in_bounded_memory (ApiFixture    *f,
                                              gconstpointer  data)
{
  g_autofree char *key = api_fixture_new_key (f, "integrations.sync");
  g_autofree char *warm_text = NULL;
  g_autofree char *text = NULL;
  g_autofree char *frame = NULL;
  gsize frame_len;
  guint64 sent = 0;
  gint64 rss_before, peak, growth_kb;
  gboolean peak_reset;

  frame = make_frame (&frame_len);
  api_fixture_start (f);

  /* Once with a small overrun, so that thread stacks, TLS buffers and
   * malloc's arenas the path needs anyway exist before measuring. */
  g_assert_cmpuint (stream_chunked (f, key, frame, frame_len, 8 * MiB, &sent, &warm_text), ==, 413);
  assert_error_text (warm_text, 413, "payload_too_large");

  rss_before = api_proc_status_kb ("VmRSS");
  peak_reset = api_reset_peak_rss ();

  g_assert_cmpuint (stream_chunked (f, key, frame, frame_len, 200 * MiB, &sent, &text), ==, 413);

  peak = peak_reset ? api_proc_status_kb ("VmHWM") : api_proc_status_kb ("VmRSS");
  growth_kb = peak - rss_before;
  g_test_message ("200 MB chunked body: answered 413 after %" G_GUINT64_FORMAT " KiB sent; "
                  "RSS %" G_GINT64_FORMAT " kB before, %s %" G_GINT64_FORMAT " kB, growth %"
                  G_GINT64_FORMAT " kB",
                  sent / 1024, rss_before, peak_reset ? "peak" : "after", peak, growth_kb);

  assert_error_text (text, 413, "payload_too_large");
  g_assert_nonnull (strstr (text, "Connection: close"));
  /* Refused at the limit, not after reading everything. */
  g_assert_cmpuint (sent, <, 100 * MiB);
  g_assert_cmpint (growth_kb, <, 2048);
}

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

    expect = sync_request_head (f, key, "Content-Length: 209715200\r\nExpect: 100-continue\r\n");
    api_send_all (conn, expect, strlen (expect));
    g_assert_cmpuint (api_read_response (conn, &text), ==, 413);
    assert_error_text (text, 413, "payload_too_large");

    /* libsoup answered and the connection goes on: no body was read. */
    api_send_all (conn, health, strlen (health));
    g_assert_cmpuint (api_read_response (conn, &after), ==, 200);
  }

  {
    g_autoptr(GSocketConnection) conn = api_connect (f);

    g_clear_pointer (&text, g_free);
    plain = sync_request_head (f, key, "Content-Length: 209715200\r\n");
    api_send_all (conn, plain, strlen (plain));
    g_assert_cmpuint (api_read_response (conn, &text), ==, 413);
    assert_error_text (text, 413, "payload_too_large");
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
  g_autofree char *size_line = g_strdup_printf ("%x\r\n", FRAME_DATA);
  guint64 sent = 0;

  f->max_body_bytes = 4 * MiB;
  api_fixture_start (f);
  conn = api_connect (f);
  head = sync_request_head (f, key, "Transfer-Encoding: chunked\r\n");
  api_send_all (conn, head, strlen (head));

  frame = g_malloc (FRAME_DATA);
  for (guint64 i = 0; i < 2000000 / FRAME_DATA; i++)
    {
      GSocket *socket = g_socket_connection_get_socket (conn);

      if (g_socket_condition_check (socket, G_IO_IN | G_IO_HUP) != 0)
        break;
      memset (frame, sent < 1000000 ? '[' : ']', FRAME_DATA);
      api_send_all (conn, size_line, strlen (size_line));
      api_send_all (conn, frame, FRAME_DATA);
      api_send_all (conn, "\r\n", 2);
      sent += FRAME_DATA;
    }

  g_assert_cmpuint (api_read_response (conn, &text), ==, 400);
  assert_error_text (text, 400, "validation_error");
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
  head = sync_request_head (f, key, "Content-Length: 100\r\n");
  api_send_all (conn, head, strlen (head));
  api_send_all (conn, "{\"fu", 4);

  g_assert_true (api_wait_closed (conn, text));
  assert_error_text (text->str, 408, "request_timeout");
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
  head = sync_request_head (f, key, "Content-Length: 200\r\n");
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
  assert_error_text (text->str, 408, "request_timeout");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  TEST ("body/streamed-200mb", test_streamed_200mb_is_413_in_bounded_memory);
  TEST ("body/content-length", test_content_length_is_413_before_the_body);
  TEST ("json/deep", test_deep_json_is_400);
  TEST ("json/deep-chunked", test_deep_json_chunked_is_400);
  TEST ("timeout/idle-headers", test_idle_headers_are_closed);
  TEST ("timeout/idle-body", test_idle_body_is_408);
  TEST ("timeout/idle-keepalive", test_idle_keepalive_is_closed);
  TEST ("timeout/total", test_total_timeout);

  return g_test_run ();
}
