/* cp-woocommerce-http.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One HTTP exchange with a WooCommerce site, synchronous on the engine's
 * worker thread: the rate limiter, the request authenticated as the
 * platform wants it (Basic over https; OAuth 1.0a one-legged signing on
 * plain http, where the secret must not travel), the body read with a
 * size and depth pre-scan, Retry-After fed back, and every failure
 * classified in shop words. The logged URL is the unsigned one: the
 * consumer key and signature never reach the activity log.
 */

#define G_LOG_DOMAIN "cp-woocommerce"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-connector-http.h"
#include "cp-http-limits.h"

#include "cp-woocommerce-private.h"

void
woo_response_clear (WooResponse *response)
{
  g_clear_pointer (&response->root, json_node_unref);
  g_clear_pointer (&response->exchange, g_free);
  g_clear_pointer (&response->method, g_free);
  g_clear_pointer (&response->url, g_free);
  g_clear_pointer (&response->request_body, g_free);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->response_headers, soup_message_headers_unref);
  response->status = 0;
}

const char *
woo_response_get_exchange (WooResponse *response)
{
  /* The keys never reach the redactor: the header is named so a reader
   * sees one was sent, and the logged URL is the unsigned one. */
  static const char * const request_headers[] = {
    "Authorization", "[redacted: consumer key]",
    "Accept", "application/json",
    NULL,
  };

  if (response->exchange == NULL && response->method != NULL)
    response->exchange = cp_connector_http_exchange (response->method, response->url,
                                                     request_headers, response->request_body,
                                                     response->status,
                                                     response->response_headers, response->body,
                                                     WOO_EXCHANGE_MAX_BODY);
  return response->exchange;
}

void
woo_attach_exchange (GError      **error,
                     WooResponse  *response)
{
  if (error != NULL && *error != NULL)
    cp_connector_error_set_exchange (*error, woo_response_get_exchange (response));
}

void
woo_json_append_string (GString    *out,
                        const char *text)
{
  cp_connector_json_append_string (out, text);
}

guint
woo_response_total_pages (WooResponse *response)
{
  const char *text = response->response_headers != NULL
                     ? soup_message_headers_get_one (response->response_headers, "X-WP-TotalPages")
                     : NULL;
  guint64 pages = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &pages, NULL))
    return 0;
  return (guint) pages;
}

/* RFC 3986: what OAuth 1.0a signs. GLib leaves exactly the unreserved
 * characters alone and writes upper-case hex. */
static char *
pct (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char *
woo_oauth_signature (const char    *method,
                     const char    *url,
                     GHashTable    *params,
                     const char    *secret,
                     GChecksumType  type)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autofree char *enc_url = pct (url);
  g_autofree char *enc_joined = NULL;
  g_autofree char *base = NULL;
  g_autofree char *key = g_strconcat (secret, "&", NULL);
  g_autoptr(GHmac) hmac = g_hmac_new (type, (const guchar *) key, strlen (key));
  GHashTableIter iter;
  gpointer k, v;
  guint8 digest[32];
  gsize len = sizeof digest;

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      g_autofree char *ek = pct (k);
      g_autofree char *ev = pct (v);

      g_ptr_array_add (pairs, g_strconcat (ek, "=", ev, NULL));
    }
  g_ptr_array_sort (pairs, compare_strings);
  for (guint i = 0; i < pairs->len; i++)
    g_string_append_printf (joined, "%s%s", i ? "&" : "", (char *) g_ptr_array_index (pairs, i));
  enc_joined = pct (joined->str);
  base = g_strconcat (method, "&", enc_url, "&", enc_joined, NULL);
  g_hmac_update (hmac, (const guchar *) base, strlen (base));
  g_hmac_get_digest (hmac, digest, &len);
  return g_base64_encode (digest, len);
}

/* URL with the oauth_* parameters and their signature appended. */
static char *
sign_url (CpWoocommerceConnector *self,
          const char             *method,
          const char             *url)
{
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *bare = g_strdup (url);
  g_autofree char *nonce = NULL;
  g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *signature = NULL;
  g_autofree char *enc_signature = NULL;
  g_autofree char *enc_key = pct (self->consumer_key);
  char *query = strchr (bare, '?');
  guint8 random[16];

  if (query != NULL)
    *query++ = '\0';
  params = query != NULL && *query != '\0'
           ? g_uri_parse_params (query, -1, "&", G_URI_PARAMS_WWW_FORM, NULL) : NULL;
  if (params == NULL)
    params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* 32 hex characters, as WooCommerce recommends; unique per key. */
  for (guint i = 0; i < G_N_ELEMENTS (random); i++)
    random[i] = (guint8) g_random_int_range (0, 256);
  nonce = g_compute_checksum_for_data (G_CHECKSUM_MD5, random, sizeof random);

  g_hash_table_replace (params, g_strdup ("oauth_consumer_key"), g_strdup (self->consumer_key));
  g_hash_table_replace (params, g_strdup ("oauth_nonce"), g_strdup (nonce));
  g_hash_table_replace (params, g_strdup ("oauth_signature_method"), g_strdup ("HMAC-SHA256"));
  g_hash_table_replace (params, g_strdup ("oauth_timestamp"), g_strdup (timestamp));
  signature = woo_oauth_signature (method, bare, params, self->consumer_secret, G_CHECKSUM_SHA256);
  enc_signature = pct (signature);

  return g_strdup_printf ("%s%soauth_consumer_key=%s&oauth_nonce=%s"
                          "&oauth_signature_method=HMAC-SHA256&oauth_timestamp=%s"
                          "&oauth_signature=%s",
                          url, query != NULL ? "&" : "?", enc_key, nonce, timestamp, enc_signature);
}

static gboolean
transport_error (WooResponse  *out,
                 SoupMessage  *msg,
                 GError       *local_error,
                 GError      **error)
{
  GTlsCertificateFlags cert_errors = soup_message_get_tls_peer_certificate_errors (msg);

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  /* A certificate is never accepted against the session's verdict (no
   * accept-certificate handler): the request, keys included, was not
   * sent. Retrying cannot help; the owner or the host must act. */
  if (g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) || cert_errors != 0)
    {
      g_autofree char *why = cp_connector_http_describe_certificate (cert_errors);

      cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, woo_response_get_exchange (out),
                              _("The store’s security certificate is not valid: %s. Check that "
                                "the address is the store’s own; if it is, ask whoever hosts the "
                                "store to renew or repair its certificate."), why);
    }
  else if (local_error->domain == G_TLS_ERROR)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, woo_response_get_exchange (out),
                            _("The WooCommerce site’s secure connection cannot be trusted (%s). "
                              "Check the site address and its certificate."), local_error->message);
  else
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_TRANSIENT, 0, woo_response_get_exchange (out),
                            _("The WooCommerce site did not answer properly (%s). "
                              "Counterpart will try again."), local_error->message);
  g_error_free (local_error);
  return FALSE;
}

static void
status_error (WooResponse  *out,
              gint64        wait_us,
              GError      **error)
{
  g_autoptr(JsonNode) root = NULL;
  const char *code = NULL, *message = NULL;
  g_autofree char *detail = NULL;
  const char *exchange = woo_response_get_exchange (out);
  guint status = out->status;

  if (out->body != NULL && g_bytes_get_size (out->body) > 0)
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (out->body, &size);

      g_autoptr(GError) parse_error = NULL;

      root = woo_parse_json (data, size, &parse_error);
      if (parse_error == NULL)
        woo_parse_error_body (root, &code, &message);
    }
  detail = g_strdup_printf ("HTTP %u%s%s%s%s", status, code ? ", " : "", code ? code : "",
                            message ? ": " : "", message ? message : "");

  if (status == SOUP_STATUS_UNAUTHORIZED && message != NULL &&
      strstr (message, "write permission") != NULL)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_PERMISSION, 0, exchange,
                            _("The WooCommerce key is Read only (%s): in WooCommerce → "
                              "Settings → Advanced → REST API, edit the key and choose "
                              "Read/Write."), detail);
  else if (status == SOUP_STATUS_UNAUTHORIZED && message != NULL &&
           strstr (message, "read permission") != NULL)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_PERMISSION, 0, exchange,
                            _("The WooCommerce key is Write only (%s): in WooCommerce → "
                              "Settings → Advanced → REST API, edit the key and choose "
                              "Read/Write."), detail);
  else if (status == SOUP_STATUS_UNAUTHORIZED)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_AUTH, 0, exchange,
                            _("WooCommerce refused the keys (%s). Re-enter the keys: in "
                              "WooCommerce → Settings → Advanced → REST API, add a key with "
                              "Read/Write permission and paste its consumer key and secret."),
                            detail);
  else if (status == SOUP_STATUS_FORBIDDEN)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_PERMISSION, 0, exchange,
                            _("The WordPress user of the WooCommerce key may not do this (%s). "
                              "Make the key with a user who can manage WooCommerce (a Shop "
                              "manager or an Administrator)."), detail);
  else if (status == 429)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_RATE_LIMITED, wait_us, exchange,
                            _("The WooCommerce site asked Counterpart to slow down (%s). "
                              "It will continue when the site allows."), detail);
  else if (status == SOUP_STATUS_NOT_FOUND && g_strcmp0 (code, "rest_no_route") == 0)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, exchange,
                            _("The site does not offer the WooCommerce REST API here (%s). "
                              "Check the site address, that WooCommerce is active, and that "
                              "Settings → Permalinks is not set to Plain."), detail);
  else if (status == SOUP_STATUS_NOT_FOUND)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_NOT_FOUND, 0, exchange,
                            _("WooCommerce does not have this any more (%s)."), detail);
  else if (status >= 500 && status <= 599)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_TRANSIENT, wait_us, exchange,
                            _("The WooCommerce site had a problem (%s). Counterpart will try "
                              "again."), detail);
  else if (status >= 400 && status <= 499)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, exchange,
                            _("WooCommerce refused this (%s)."), detail);
  else if (status >= 300 && status <= 399)
    /* Not followed: the credentials must not go where a redirect says. */
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, exchange,
                            _("The WooCommerce site’s address has moved (%s). Enter the "
                              "address the site now has, with https://."), detail);
  else
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0, exchange,
                            _("The WooCommerce site gave an answer Counterpart does not "
                              "understand (%s)."), detail);
}

static CpRateLimiter *
dup_limiter (CpWoocommerceConnector *self)
{
  CpRateLimiter *limiter;

  g_mutex_lock (&self->limiter_lock);
  limiter = g_object_ref (self->limiter);
  g_mutex_unlock (&self->limiter_lock);
  return limiter;
}

gboolean
woo_http_call (CpWoocommerceConnector  *self,
               const char              *method,
               const char              *path,
               const char              *body,
               WooResponse             *out,
               GCancellable            *cancellable,
               GError                 **error)
{
  g_autoptr(CpRateLimiter) limiter = dup_limiter (self);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *send_url = NULL;
  SoupMessageHeaders *headers;
  GError *local_error = NULL;
  CpHttpLimits limits = { 0 };
  gboolean too_big = FALSE;
  gint64 wait_us;

  g_return_val_if_fail (out != NULL && out->method == NULL, FALSE);

  out->method = g_strdup (method);
  out->url = g_str_has_prefix (path, "/wp-json/")
             ? g_strconcat (self->base_url, path, NULL)
             : g_strconcat (self->base_url, WOO_API_PATH, path, NULL);
  out->request_body = g_strdup (body);

  send_url = self->use_oauth ? sign_url (self, method, out->url) : g_strdup (out->url);
  msg = soup_message_new (method, send_url);
  if (msg == NULL)
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL,
                              _("The WooCommerce site address cannot be used. Check it in the "
                                "store’s settings."));
      return FALSE;
    }
  if (!cp_connector_http_take_token (limiter, self->max_inline_wait_us,
                                     _("Counterpart is pacing its requests to the WooCommerce "
                                       "store. It will continue by itself in a moment."),
                                     cancellable, error))
    return FALSE;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  /* libsoup opens a new connection (a TLS handshake) for every POST,
   * since by method it may not resend one. A batch that only updates
   * sets absolute values (stock_quantity, price), so it may: it keeps
   * the connection; one that creates products does not. */
  if (g_strcmp0 (method, "POST") == 0 && g_str_has_suffix (path, "/batch") &&
      body != NULL && strstr (body, "\"create\"") == NULL)
    soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  headers = soup_message_get_request_headers (msg);
  if (!self->use_oauth)
    {
      g_autofree char *pair = g_strconcat (self->consumer_key, ":", self->consumer_secret, NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *auth = g_strconcat ("Basic ", encoded, NULL);

      soup_message_headers_replace (headers, "Authorization", auth);
      memset (pair, 0, strlen (pair));
    }
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  stream = soup_session_send (self->session, msg, cancellable, &local_error);
  if (stream == NULL)
    return transport_error (out, msg, local_error, error);

  out->status = soup_message_get_status (msg);
  out->response_headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  cp_http_limits_parse (out->response_headers, g_get_real_time (), &limits);
  wait_us = cp_http_limits_apply (&limits, out->status, limiter, g_get_monotonic_time ());

  out->body = cp_connector_http_read_body (stream, WOO_MAX_RESPONSE_BYTES, &too_big,
                                           cancellable, &local_error);
  g_input_stream_close (stream, NULL, NULL);
  if (out->body == NULL)
    {
      if (too_big)
        {
          cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0,
                                  woo_response_get_exchange (out),
                                  _("The WooCommerce site sent an answer too large or too deeply "
                                    "nested to read (%s)."), local_error->message);
          g_error_free (local_error);
          return FALSE;
        }
      return transport_error (out, msg, local_error, error);
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (out->status))
    {
      status_error (out, wait_us, error);
      return FALSE;
    }

  if (g_bytes_get_size (out->body) > 0)
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (out->body, &size);

      out->root = woo_parse_json (data, size, &local_error);
      if (local_error != NULL)
        {
          cp_connector_set_error (error, local_error->code, 0, woo_response_get_exchange (out),
                                  "%s", local_error->message);
          g_error_free (local_error);
          return FALSE;
        }
    }
  return TRUE;
}
