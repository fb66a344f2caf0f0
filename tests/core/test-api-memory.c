/* test-api-memory.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The figure for the local API: a 200 MB request body, streamed
 * in chunks, is refused with 413 while the process's peak RSS (the
 * server's thread included) grows by less than 2 MiB. libsoup 3.2 left
 * to itself holds the whole body (a 200 MB POST took 401 MB).
 *
 * On its own, because under AddressSanitizer every freed block waits in
 * a 256 MB quarantine before it is reused, so RSS there counts every
 * byte ever read, held or not. This program alone turns the quarantine
 * off to measure what the server holds; the other API tests keep it.
 */

#include "config.h"

#include <string.h>

#include "test-api-fixture.h"

#define MiB ((guint64) 1024 * 1024)

#if defined(__SANITIZE_ADDRESS__)
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "quarantine_size_mb=0";
}
#endif

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

  frame = api_make_frame (&frame_len);
  api_fixture_start (f);

  /* Once with a small overrun, so that thread stacks, TLS buffers and
   * malloc's arenas the path needs anyway exist before measuring. */
  g_assert_cmpuint (api_stream_chunked (f, key, frame, frame_len, 8 * MiB, &sent, &warm_text), ==, 413);
  api_assert_error_text (warm_text, 413, "payload_too_large");

  rss_before = api_proc_status_kb ("VmRSS");
  peak_reset = api_reset_peak_rss ();

  g_assert_cmpuint (api_stream_chunked (f, key, frame, frame_len, 200 * MiB, &sent, &text), ==, 413);

  peak = peak_reset ? api_proc_status_kb ("VmHWM") : api_proc_status_kb ("VmRSS");
  growth_kb = peak - rss_before;
  g_test_message ("200 MB chunked body: answered 413 after %" G_GUINT64_FORMAT " KiB sent; "
                  "RSS %" G_GINT64_FORMAT " kB before, %s %" G_GINT64_FORMAT " kB, growth %"
                  G_GINT64_FORMAT " kB",
                  sent / 1024, rss_before, peak_reset ? "peak" : "after", peak, growth_kb);

  api_assert_error_text (text, 413, "payload_too_large");
  g_assert_nonnull (strstr (text, "Connection: close"));
  /* Refused at the limit, not after reading everything. */
  g_assert_cmpuint (sent, <, 100 * MiB);
  g_assert_cmpint (growth_kb, <, 2048);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/api-memory/streamed-200mb", ApiFixture, NULL, api_fixture_set_up,
              test_streamed_200mb_is_413_in_bounded_memory, api_fixture_tear_down);

  return g_test_run ();
}
