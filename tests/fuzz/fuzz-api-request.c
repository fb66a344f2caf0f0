/* fuzz-api-request.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for what the local API reads from a request before a
 * handler runs: the path (routing and the {id} in it), the Authorization
 * header, the listen address a user types, and a body on the server's
 * path — fed to the pre-scan in chunks as it arrives from the network,
 * then, only when the pre-scan lets it through, to json-glib and the
 * sync endpoint's reading of it. The input is split at its first two
 * newlines into path, header and body; the first byte sets the chunk size.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "cp-api-server-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define FUZZ_MAX_BYTES (256 * 1024)

static char *
take_line (const char **p,
           const char  *end)
{
  const char *nl = memchr (*p, '\n', end - *p);
  const char *stop = nl != NULL ? nl : end;
  char *line = g_strndup (*p, stop - *p);

  *p = nl != NULL ? nl + 1 : end;
  return line;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *p = (const char *) data;
  const char *end = p + size;
  g_autofree char *path = NULL;
  g_autofree char *header = NULL;
  g_autofree char *id = NULL;
  g_autofree char *host = NULL;
  g_autoptr(CpJsonLimitsScanner) scanner = NULL;
  g_autoptr(GBytes) body = NULL;
  gsize chunk;
  gboolean accepted = TRUE;
  CpApiRoute route;
  const char *token;
  guint16 port;
  gboolean loopback;

  if (size == 0)
    return 0;
  chunk = 1 + data[0] % 64;
  p++;

  path = take_line (&p, end);
  route = cp_api_route_match (path, &id);
  /* Only the sync route carries an id, and it never holds a slash. */
  g_assert_true ((route == CP_API_ROUTE_INTEGRATION_SYNC) == (id != NULL));
  g_assert_true (id == NULL || (*id != '\0' && strchr (id, '/') == NULL));
  g_assert_true (cp_api_route_method (route) != NULL);

  header = take_line (&p, end);
  token = cp_api_bearer_token (header);
  g_assert_true (token == NULL || (*token != '\0' && *token != ' '));

  if (cp_api_server_parse_address (path, &host, &port, &loopback, NULL))
    g_assert_nonnull (host);

  scanner = cp_json_limits_scanner_new (FUZZ_MAX_BYTES, CP_JSON_LIMITS_DEFAULT_MAX_DEPTH);
  for (const char *c = p; c < end && accepted; c += chunk)
    accepted = cp_json_limits_scanner_feed (scanner, c, MIN (chunk, (gsize) (end - c)), NULL);

  if (accepted)
    {
      gboolean full;
      const char *message = NULL;

      body = g_bytes_new (p, end - p);
      if (!cp_api_parse_sync_body (body, &full, &message))
        g_assert_nonnull (message);
    }

  return 0;
}
