/* cp-ecomv2-http.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One HTTP exchange with the platform, synchronous on the caller's (the
 * engine's worker) thread: the rate limiter first, then the request, the
 * body read with a size and depth pre-scan, the X-RateLimit-* headers fed
 * back to the limiter, and every failure classified for the engine with
 * the redacted exchange attached.
 */

#define G_LOG_DOMAIN "cp-ecomv2"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-activity.h"
#include "cp-connector-http.h"
#include "cp-http-limits.h"
#include "cp-json-limits.h"

#include "cp-ecomv2-private.h"

void
ecomv2_response_clear (Ecomv2Response *response)
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

static char *
bytes_to_text (GBytes *bytes,
               gsize   max)
{
  gsize size = 0;
  const char *data;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  if (data == NULL || size == 0)
    return NULL;
  /* Cut before making it valid UTF-8: the redactor cuts again, but a
   * 16 MiB body must not be copied whole to keep 4 KiB of it. */
  return g_utf8_make_valid (data, MIN (size, max + 4));
}

const char *
ecomv2_response_get_exchange (Ecomv2Response *response)
{
  g_autoptr(GPtrArray) response_headers = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *body = NULL;
  /* The key never reaches the redactor, let alone the log: the header is
   * named so a reader sees it was sent. */
  static const char * const request_headers[] = {
    "Authorization", "Bearer [redacted]",
    "Accept", "application/json",
    "Content-Type", "application/json",
    NULL,
  };
  static const char * const request_headers_no_body[] = {
    "Authorization", "Bearer [redacted]",
    "Accept", "application/json",
    NULL,
  };

  if (response->exchange != NULL || response->method == NULL)
    return response->exchange;

  if (response->response_headers != NULL)
    {
      SoupMessageHeadersIter iter;
      const char *name, *value;

      soup_message_headers_iter_init (&iter, response->response_headers);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        {
          g_ptr_array_add (response_headers, g_strdup (name));
          g_ptr_array_add (response_headers, g_strdup (value));
        }
    }
  g_ptr_array_add (response_headers, NULL);

  body = bytes_to_text (response->body, ECOMV2_EXCHANGE_MAX_BODY);
  response->exchange =
    cp_activity_redact_exchange (response->method, response->url,
                                 response->request_body != NULL ? request_headers
                                                                : request_headers_no_body,
                                 response->request_body,
                                 response->status,
                                 (const char * const *) response_headers->pdata,
                                 body, ECOMV2_EXCHANGE_MAX_BODY);
  return response->exchange;
}

void
ecomv2_attach_exchange (GError        **error,
                        Ecomv2Response *response)
{
  if (error != NULL && *error != NULL)
    cp_connector_error_set_exchange (*error, ecomv2_response_get_exchange (response));
}

static CpRateLimiter *
dup_limiter (CpEcomv2Connector *self)
{
  CpRateLimiter *limiter;

  g_mutex_lock (&self->limiter_lock);
  limiter = g_object_ref (self->limiter);
  g_mutex_unlock (&self->limiter_lock);
  return limiter;
}

static gboolean
transport_error (Ecomv2Response  *out,
                 GError          *local_error,
                 GError         **error)
{
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (local_error->domain == G_TLS_ERROR)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0,
                            ecomv2_response_get_exchange (out),
                            _("The store’s secure connection cannot be trusted (%s). "
                              "Check the store address."), local_error->message);
  else
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_TRANSIENT, 0,
                            ecomv2_response_get_exchange (out),
                            _("The store did not answer properly (%s). "
                              "Counterpart will try again."), local_error->message);
  g_error_free (local_error);
  return FALSE;
}

static void
status_error (Ecomv2Response  *out,
              gint64           wait_us,
              GError         **error)
{
  const char *code = NULL, *message = NULL, *request_id = NULL;
  g_autofree char *detail = NULL;
  const char *exchange;
  guint status = out->status;

  if (out->body != NULL && g_bytes_get_size (out->body) > 0)
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (out->body, &size);
      g_autoptr(GError) parse_error = NULL;
      g_autoptr(JsonNode) root = ecomv2_parse_json (data, size, &parse_error);

      if (parse_error == NULL)
        {
          ecomv2_parse_error_body (root, &code, &message);
          if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
            {
              JsonNode *e = json_object_get_member (json_node_get_object (root), "error");

              if (e != NULL && JSON_NODE_HOLDS_OBJECT (e))
                {
                  JsonNode *r = json_object_get_member (json_node_get_object (e), "request_id");

                  if (r != NULL && json_node_get_value_type (r) == G_TYPE_STRING)
                    request_id = json_node_get_string (r);
                }
            }
          /* copied before the tree goes */
          detail = g_strdup_printf ("HTTP %u%s%s%s%s%s%s", status,
                                    code ? ", " : "", code ? code : "",
                                    message ? ": " : "", message ? message : "",
                                    request_id ? ", request " : "", request_id ? request_id : "");
        }
    }
  if (detail == NULL)
    detail = g_strdup_printf ("HTTP %u", status);

  exchange = ecomv2_response_get_exchange (out);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_AUTH, 0, exchange,
                            _("The store refused the API key (%s). Enter the store’s "
                              "credentials again."), detail);
  else if (status == SOUP_STATUS_FORBIDDEN)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_PERMISSION, 0, exchange,
                            _("The store’s API key is not allowed to do this (%s). Give "
                              "the key the scope it needs in the store’s dashboard under "
                              "Settings > API Keys."), detail);
  else if (status == 429)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_RATE_LIMITED, wait_us, exchange,
                            _("The store asked Counterpart to slow down (%s). "
                              "It will continue when the store allows."), detail);
  else if (status == SOUP_STATUS_NOT_FOUND)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_NOT_FOUND, 0, exchange,
                            _("The store does not have this (%s)."), detail);
  else if (status >= 500 && status <= 599)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_TRANSIENT, wait_us, exchange,
                            _("The store had a problem (%s). Counterpart will try again."),
                            detail);
  else if (status >= 400 && status <= 499)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, exchange,
                            _("The store refused this (%s)."), detail);
  else if (status >= 300 && status <= 399)
    /* Redirects are not followed: the Authorization header must not go to
     * whatever host a redirect names. */
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, exchange,
                            _("The store’s address has moved (%s). Check the store address; "
                              "it ends with the API version, such as /v2."), detail);
  else
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0, exchange,
                            _("The store gave an answer Counterpart does not understand (%s)."),
                            detail);
}

/* OUT's body into OUT->root, a failure classified with the exchange. */
static gboolean
parse_body (Ecomv2Response  *out,
            GError         **error)
{
  GError *local_error = NULL;
  gsize size = 0;
  const char *data;

  if (out->body == NULL || g_bytes_get_size (out->body) == 0)
    return TRUE;
  data = g_bytes_get_data (out->body, &size);
  out->root = ecomv2_parse_json (data, size, &local_error);
  if (local_error != NULL)
    {
      cp_connector_set_error (error, local_error->code, 0,
                              ecomv2_response_get_exchange (out),
                              "%s", local_error->message);
      g_error_free (local_error);
      return FALSE;
    }
  return TRUE;
}

gboolean
ecomv2_http_call (CpEcomv2Connector  *self,
                  const char         *method,
                  const char         *path,
                  const char         *body,
                  Ecomv2Response     *out,
                  GCancellable       *cancellable,
                  GError            **error)
{
  g_autoptr(CpRateLimiter) limiter = dup_limiter (self);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *auth = NULL;
  SoupMessageHeaders *headers;
  GError *local_error = NULL;
  CpHttpLimits limits = { 0 };
  gboolean too_big = FALSE;
  gint64 wait_us;

  g_return_val_if_fail (out != NULL && out->method == NULL, FALSE);

  out->method = g_strdup (method);
  out->url = g_strconcat (self->base_url, path, NULL);
  out->request_body = g_strdup (body);

  msg = soup_message_new (method, out->url);
  if (msg == NULL)
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL,
                              _("The store address cannot be used. Check it in the "
                                "store’s settings."));
      return FALSE;
    }

  /* A short wait is sat out here; a long one is the engine's to
   * schedule (RATE_LIMITED, which costs a job no attempt). */
  if (!cp_connector_http_take_token (limiter, self->max_inline_wait_us,
                                     _("The store’s request limit is used up for now. "
                                       "Counterpart will continue when it allows more."),
                                     cancellable, error))
    return FALSE;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  /* libsoup opens a new connection for every request it cannot resend
   * safely, and by method that is every PATCH: a TCP (over the internet
   * a TLS) handshake per batch. Our PATCHes set absolute values (stock,
   * name, price), so the same request twice has one effect; only the
   * POST that creates a product keeps a connection of its own. */
  if (g_strcmp0 (method, "PATCH") == 0)
    soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  headers = soup_message_get_request_headers (msg);
  auth = g_strconcat ("Bearer ", self->api_key, NULL);
  soup_message_headers_replace (headers, "Authorization", auth);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  stream = soup_session_send (self->session, msg, cancellable, &local_error);
  if (stream == NULL)
    return transport_error (out, local_error, error);

  out->status = soup_message_get_status (msg);
  out->response_headers = soup_message_headers_ref (soup_message_get_response_headers (msg));

  /* The limits first: a 429 or a truncated body still says when to
   * come back. */
  cp_http_limits_parse (out->response_headers, g_get_real_time (), &limits);
  wait_us = cp_http_limits_apply (&limits, out->status, limiter, g_get_monotonic_time ());

  /* Refused past ECOMV2_MAX_RESPONSE_BYTES or past the nesting depth
   * json-glib survives: a hostile server costs bounded memory. */
  out->body = cp_connector_http_read_body (stream, ECOMV2_MAX_RESPONSE_BYTES, &too_big,
                                           cancellable, &local_error);
  g_input_stream_close (stream, NULL, NULL);
  if (out->body == NULL)
    {
      if (too_big)
        {
          cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0,
                                  ecomv2_response_get_exchange (out),
                                  _("The store sent an answer too large or too deeply "
                                    "nested to read (%s)."), local_error->message);
          g_error_free (local_error);
          return FALSE;
        }
      return transport_error (out, local_error, error);
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (out->status))
    {
      status_error (out, wait_us, error);
      return FALSE;
    }

  if (out->defer_json)
    return TRUE;
  return parse_body (out, error);
}

gboolean
ecomv2_response_read_batch (Ecomv2Response  *response,
                            GPtrArray       *out,
                            GError         **error)
{
  gsize size = 0;
  const char *data = response->body != NULL ? g_bytes_get_data (response->body, &size) : NULL;

  g_return_val_if_fail (response->defer_json && response->root == NULL, FALSE);

  /* The hot path: a hundred results read with no tree built and freed. */
  if (size > 0 && ecomv2_scan_batch_results (data, size, out))
    return TRUE;

  /* The reference path, which gives every error. */
  if (!parse_body (response, error))
    return FALSE;
  if (!ecomv2_parse_batch_results (response->root, out, error))
    {
      ecomv2_attach_exchange (error, response);
      return FALSE;
    }
  return TRUE;
}
