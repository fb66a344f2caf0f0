/* sandbox-test-util.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sandbox-test-util.h"

void
sandbox_fixture_setup (SandboxFixture *f,
                       gconstpointer   data)
{
  g_autoptr(GError) error = NULL;

  f->server = cp_sandbox_server_new ();
  f->ecomv2 = cp_sandbox_ecomv2_new ();
  cp_sandbox_server_add_platform (f->server, CP_SANDBOX_PLATFORM (f->ecomv2));
  g_assert_true (cp_sandbox_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cp_sandbox_server_get_port (f->server), >, 0);
  f->base = cp_sandbox_server_dup_platform_url (f->server, "ecomv2");
  f->session = soup_session_new_with_options ("timeout", 10, NULL);
}

void
sandbox_fixture_teardown (SandboxFixture *f,
                          gconstpointer   data)
{
  g_clear_object (&f->session);
  cp_sandbox_server_stop (f->server);
  g_assert_false (cp_sandbox_server_is_running (f->server));
  g_clear_object (&f->server);
  g_clear_object (&f->ecomv2);
  g_clear_pointer (&f->base, g_free);
}

SoupMessage *
sandbox_request (SandboxFixture  *f,
                 const char      *method,
                 const char      *path,
                 const char      *key,
                 const char      *body,
                 const char      *if_none_match,
                 GBytes         **out_body,
                 GError         **error)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);
  SoupMessageHeaders *headers;

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (key != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", key, NULL);

      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (if_none_match != NULL)
    soup_message_headers_replace (headers, "If-None-Match", if_none_match);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  *out_body = soup_session_send_and_read (f->session, msg, NULL, error);
  return msg;
}

guint
sandbox_call (SandboxFixture      *f,
              const char          *method,
              const char          *path,
              const char          *body,
              JsonNode           **out_json,
              SoupMessageHeaders **out_headers)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SoupMessage) msg = sandbox_request (f, method, path, CP_SANDBOX_ECOMV2_DEFAULT_KEY,
                                                body, NULL, &bytes, &error);
  guint status;

  g_assert_no_error (error);
  status = soup_message_get_status (msg);
  if (out_json != NULL)
    {
      *out_json = NULL;
      if (g_bytes_get_size (bytes) > 0)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          gsize len = 0;
          const char *data = g_bytes_get_data (bytes, &len);

          json_parser_load_from_data (parser, data, len, &error);
          g_assert_no_error (error);
          *out_json = json_node_copy (json_parser_get_root (parser));
        }
    }
  if (out_headers != NULL)
    *out_headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return status;
}

const char *
sandbox_assert_error (JsonNode *json)
{
  JsonObject *err;

  g_assert_nonnull (json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json));
  err = json_object_get_object_member (json_node_get_object (json), "error");
  g_assert_nonnull (err);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (err, "request_id"), "req_"));
  g_assert_nonnull (json_object_get_string_member (err, "message"));
  return json_object_get_string_member (err, "code");
}
