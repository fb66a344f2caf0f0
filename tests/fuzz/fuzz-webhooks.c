/* fuzz-webhooks.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for what the local API reads from a store's webhook
 * delivery (cp-webhooks.h): the input is headers ("Name: value" lines),
 * a blank line, then the body. Whatever the bytes: the ping check, the
 * signature check and the meta reader come back; the meta reader only
 * sees bodies within the JSON limits, as on the server, and on success
 * always gives a delivery id and a topic; a signature made for the body
 * verifies, and a wrong one does not.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "cp-json-limits.h"
#include "cp-webhooks.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char *
header (const char *name,
        gpointer    user_data)
{
  return g_hash_table_lookup (user_data, name);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GHashTable) headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(CpWebhookMeta) meta = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *secret = NULL;
  const char *text = (const char *) data;
  const char *end = text + size;
  const char *line = text;
  const char *body;
  gsize body_len;
  CpWebhookKind kind = size > 0 ? (CpWebhookKind) (data[0] % 3) : CP_WEBHOOK_KIND_ORDERS;

  /* Header lines up to the first empty one. */
  while (line < end)
    {
      const char *nl = memchr (line, '\n', end - line);
      const char *stop = nl != NULL ? nl : end;
      const char *colon = memchr (line, ':', stop - line);

      if (stop == line)
        {
          line = stop + 1;
          break;
        }
      if (colon != NULL)
        {
          g_autofree char *value = g_strndup (colon + 1, stop - colon - 1);

          g_hash_table_replace (headers, g_strndup (line, colon - line),
                                g_strdup (g_strstrip (value)));
        }
      line = nl != NULL ? nl + 1 : end;
    }
  body = line < end ? line : "";
  body_len = line < end ? (gsize) (end - line) : 0;

  cp_webhooks_is_ping (body, body_len);
  cp_webhooks_verify ("fuzz-secret", body, body_len,
                      cp_webhooks_signature_header (header, headers));
  signature = cp_webhooks_sign ("fuzz-secret", body, body_len);
  g_assert_true (cp_webhooks_verify ("fuzz-secret", body, body_len, signature));
  g_assert_false (cp_webhooks_verify ("other-secret", body, body_len, signature));

  if (cp_json_check_limits (body, body_len, CP_JSON_LIMITS_DEFAULT_MAX_BYTES,
                            CP_JSON_LIMITS_DEFAULT_MAX_DEPTH, NULL))
    {
      g_autofree char *copy = g_strndup (body, body_len);

      if (cp_webhooks_read_meta (kind, header, headers, body, body_len, &meta, &error))
        {
          g_assert_nonnull (meta.delivery_id);
          g_assert_nonnull (meta.topic);
        }
      else
        g_assert_error (error, CP_WEBHOOKS_ERROR, CP_WEBHOOKS_ERROR_INVALID);

      /* The credentials reader takes the same kind of text. */
      secret = cp_webhooks_secret_from_credentials (strlen (copy) == body_len ? copy : NULL, NULL);
    }
  return 0;
}
