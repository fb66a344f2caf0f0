/* cp-connector-http.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-connectors"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cp-activity.h"
#include "cp-connector.h"
#include "cp-integrations.h"
#include "cp-json-limits.h"

#include "cp-connector-http.h"

typedef struct
{
  GMutex mutex;
  GCond  cond;
} Waiter;

static void
waiter_wake_cb (GCancellable *cancellable,
                gpointer      data)
{
  Waiter *w = data;

  g_mutex_lock (&w->mutex);
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->mutex);
}

gboolean
cp_connector_http_wait (gint64         wait_us,
                        GCancellable  *cancellable,
                        GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + wait_us;
  Waiter w;
  gulong handler = 0;

  g_mutex_init (&w.mutex);
  g_cond_init (&w.cond);
  /* Connected before the lock is taken: g_cancellable_connect runs the
   * callback at once when already cancelled, and it takes the lock. */
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (waiter_wake_cb), &w, NULL);
  g_mutex_lock (&w.mutex);
  while (!g_cancellable_is_cancelled (cancellable) &&
         g_cond_wait_until (&w.cond, &w.mutex, deadline))
    ;
  g_mutex_unlock (&w.mutex);
  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler);
  g_mutex_clear (&w.mutex);
  g_cond_clear (&w.cond);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

gboolean
cp_connector_http_take_token (CpRateLimiter  *limiter,
                              gint64          max_inline_wait_us,
                              const char     *limited_message,
                              GCancellable   *cancellable,
                              GError        **error)
{
  gint64 now = g_get_monotonic_time ();
  gint64 wait = cp_rate_limiter_reserve (limiter, 1, now);

  if (wait <= 0)
    return TRUE;
  if (wait > max_inline_wait_us)
    {
      cp_rate_limiter_refund (limiter, 1, now);
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_RATE_LIMITED, wait, NULL, "%s",
                              limited_message);
      return FALSE;
    }
  if (!cp_connector_http_wait (wait, cancellable, error))
    {
      cp_rate_limiter_refund (limiter, 1, g_get_monotonic_time ());
      return FALSE;
    }
  return TRUE;
}

GBytes *
cp_connector_http_read_body (GInputStream  *stream,
                             gsize          max_bytes,
                             gboolean      *out_too_big,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(CpJsonLimitsScanner) scanner =
    cp_json_limits_scanner_new (max_bytes, CP_JSON_LIMITS_DEFAULT_MAX_DEPTH);
  guint8 buffer[16384];

  *out_too_big = FALSE;
  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer, sizeof buffer, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (!cp_json_limits_scanner_feed (scanner, (const char *) buffer, n, error))
        {
          *out_too_big = TRUE;
          return NULL;
        }
      g_byte_array_append (data, buffer, n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

char *
cp_connector_http_exchange (const char         *method,
                            const char         *url,
                            const char * const *request_headers,
                            const char         *request_body,
                            guint               status,
                            SoupMessageHeaders *response_headers,
                            GBytes             *response_body,
                            gsize               max_body)
{
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *body = NULL;

  if (response_headers != NULL)
    {
      SoupMessageHeadersIter iter;
      const char *name, *value;

      soup_message_headers_iter_init (&iter, response_headers);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        {
          g_ptr_array_add (headers, g_strdup (name));
          g_ptr_array_add (headers, g_strdup (value));
        }
    }
  g_ptr_array_add (headers, NULL);

  if (response_body != NULL && g_bytes_get_size (response_body) > 0)
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (response_body, &size);

      /* Cut first: a 16 MiB body is not copied whole to keep 4 KiB. */
      body = g_utf8_make_valid (data, MIN (size, max_body + 4));
    }
  return cp_activity_redact_exchange (method, url, request_headers, request_body, status,
                                      (const char * const *) headers->pdata, body, max_body);
}

gboolean
cp_connector_http_is_loopback (GUri *uri)
{
  const char *host = g_uri_get_host (uri);
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

char *
cp_connector_http_check_base_url (const char  *base_url,
                                  const char  *wrong_address,
                                  gboolean    *out_plain_http,
                                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  char *trimmed;
  gsize len;

  /* cp_integrations_validate_base_url says the same for the CLI and the
   * window; the connector checks again because it is the one that sends
   * the key, whoever made it. */
  if (!cp_integrations_validate_base_url (base_url, &local_error))
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL, "%s", local_error->message);
      return NULL;
    }
  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || scheme == NULL ||
      !(g_ascii_strcasecmp (scheme, "https") == 0 ||
        (g_ascii_strcasecmp (scheme, "http") == 0 && cp_connector_http_is_loopback (uri))) ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      g_uri_get_userinfo (uri) != NULL)
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL, "%s", wrong_address);
      return NULL;
    }
  if (out_plain_http != NULL)
    *out_plain_http = g_ascii_strcasecmp (scheme, "http") == 0;

  trimmed = g_strdup (base_url);
  len = strlen (trimmed);
  while (len > 0 && trimmed[len - 1] == '/')
    trimmed[--len] = '\0';
  return trimmed;
}

gboolean
cp_connector_http_is_header_safe (const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

char *
cp_connector_http_describe_certificate (GTlsCertificateFlags errors)
{
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();

  /* Most telling first: a shop owner acts on the first reason. */
  if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_ptr_array_add (reasons, _("it was issued for another address"));
  if (errors & G_TLS_CERTIFICATE_EXPIRED)
    g_ptr_array_add (reasons, _("it has expired"));
  if (errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_ptr_array_add (reasons, _("it is not valid yet (check this computer’s date)"));
  if (errors & G_TLS_CERTIFICATE_REVOKED)
    g_ptr_array_add (reasons, _("it has been revoked"));
  if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_ptr_array_add (reasons, _("it is not signed by an authority this computer trusts"));
  /* GnuTLS's verdict on a signature that no trusted authority made,
   * such as a self-signed certificate named like a trusted one. */
  if (errors & G_TLS_CERTIFICATE_GENERIC_ERROR)
    g_ptr_array_add (reasons, _("it does not verify against the authorities this computer trusts"));
  if (errors & G_TLS_CERTIFICATE_INSECURE)
    g_ptr_array_add (reasons, _("it uses an insecure algorithm"));
  if (reasons->len == 0)
    g_ptr_array_add (reasons, _("it could not be checked"));
  g_ptr_array_add (reasons, NULL);
  /* Translators: joins the reasons a certificate was refused. */
  return g_strjoinv (_("; "), (char **) reasons->pdata);
}

void
cp_connector_http_use_test_authority (SoupSession *session)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  const char *path;

  g_return_if_fail (SOUP_IS_SESSION (session));

  if (!DEVELOPMENT_BUILD)
    return;
  path = g_getenv ("CP_TEST_TLS_CA");
  if (path == NULL || *path == '\0')
    return;
  database = g_tls_file_database_new (path, &error);
  if (database == NULL)
    {
      /* The system's authorities stay: the sandbox is then refused, as
       * the test that set the variable will see. */
      g_message ("CP_TEST_TLS_CA is not a certificate file: %s", error->message);
      return;
    }
  soup_session_set_tls_database (session, database);
}

void
cp_connector_json_append_string (GString    *out,
                                 const char *text)
{
  /* By hand, not through a JsonNode and a generator: a push writes a
   * string or two for each of its hundreds of items. Every control
   * character is escaped (json-glib lets U+001F through). */
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
          break;
        }
    }
  g_string_append_c (out, '"');
}
