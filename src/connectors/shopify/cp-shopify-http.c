/* cp-shopify-http.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One GraphQL exchange with the Admin API on the engine's worker thread.
 * Shopify budgets by calculated query cost: a leaky bucket of points per
 * app and shop, the requested cost reserved when a query starts and the
 * unused part refunded. The connector keeps the same bucket locally (a
 * cost-mode CpRateLimiter), replaced by the server's own count from every
 * response's extensions.cost.throttleStatus, and waits before a query
 * until its cost is there: in steady state the shop never has to answer
 * THROTTLED. When it does anyway (another app shares the bucket), the
 * wait comes from the same numbers.
 */

#define G_LOG_DOMAIN "cp-shopify"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-connector-http.h"
#include "cp-http-limits.h"

#include "cp-shopify-private.h"

/* THROTTLED answers sat out in one call before giving up to the engine. */
#define MAX_THROTTLED_RETRIES 3

void
shopify_response_clear (ShopifyResponse *response)
{
  g_clear_pointer (&response->root, json_node_unref);
  response->data = NULL;
  g_clear_pointer (&response->exchange, g_free);
  g_clear_pointer (&response->url, g_free);
  g_clear_pointer (&response->request_body, g_free);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->response_headers, soup_message_headers_unref);
  response->status = 0;
}

const char *
shopify_response_get_exchange (ShopifyResponse *response)
{
  /* The token never reaches the redactor: the header is named only. */
  static const char * const request_headers[] = {
    "X-Shopify-Access-Token", "[redacted]",
    "Content-Type", "application/json",
    NULL,
  };

  if (response->exchange != NULL || response->url == NULL)
    return response->exchange;
  response->exchange = cp_connector_http_exchange ("POST", response->url, request_headers,
                                                   response->request_body, response->status,
                                                   response->response_headers, response->body,
                                                   SHOPIFY_EXCHANGE_MAX_BODY);
  return response->exchange;
}

static CpRateLimiter *
dup_limiter (CpShopifyConnector *self)
{
  CpRateLimiter *limiter;

  g_mutex_lock (&self->lock);
  limiter = g_object_ref (self->limiter);
  g_mutex_unlock (&self->lock);
  return limiter;
}

/* Takes COST points from the budget, sitting out a short wait. */
static gboolean
take_points (CpShopifyConnector  *self,
             CpRateLimiter       *limiter,
             double               cost,
             GCancellable        *cancellable,
             GError             **error)
{
  gint64 now = g_get_monotonic_time ();
  gint64 wait = cp_rate_limiter_reserve (limiter, cost, now);

  if (wait <= 0)
    return TRUE;
  if (wait > self->max_inline_wait_us)
    {
      cp_rate_limiter_refund (limiter, cost, now);
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_RATE_LIMITED, wait, NULL,
                              _("Shopify’s request budget for this app is used up for now. "
                                "Counterpart will continue when it refills."));
      return FALSE;
    }
  if (!cp_connector_http_wait (wait, cancellable, error))
    {
      cp_rate_limiter_refund (limiter, cost, g_get_monotonic_time ());
      return FALSE;
    }
  return TRUE;
}

/* "Access denied for X field. Required access: `write_inventory` access
 * scope." → "write_inventory". */
static char *
scope_from_message (const char *message)
{
  const char *start = message != NULL ? strchr (message, '`') : NULL;
  const char *end = start != NULL ? strchr (start + 1, '`') : NULL;

  return end != NULL ? g_strndup (start + 1, end - start - 1) : NULL;
}

static void
permission_error (GError    **error,
                  const char *exchange,
                  const char *message)
{
  g_autofree char *scope = scope_from_message (message);

  if (scope != NULL)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_PERMISSION, 0, exchange,
                            _("The access token lacks the %s permission: in Shopify admin open "
                              "Settings → Apps and sales channels → Develop apps → your app → "
                              "Configuration, add %s, then reinstall the app and paste the new "
                              "token."), scope, scope);
  else
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_PERMISSION, 0, exchange,
                            _("Shopify refused this to the app (%s): in Shopify admin open "
                              "Settings → Apps and sales channels → Develop apps → your app → "
                              "Configuration and give it the access it needs, then reinstall "
                              "the app and paste the new token."),
                            message != NULL ? message : "ACCESS_DENIED");
}

static void
status_error (ShopifyResponse  *out,
              gint64            wait_us,
              GError          **error)
{
  const char *exchange = shopify_response_get_exchange (out);
  guint status = out->status;

  if (status == SOUP_STATUS_UNAUTHORIZED)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_AUTH, 0, exchange,
                            _("Shopify refused the access token (HTTP 401): it was revoked, "
                              "expired or mistyped. Re-enter the token: in Shopify admin open "
                              "Settings → Apps and sales channels → Develop apps → your app → "
                              "API credentials."));
  else if (status == SOUP_STATUS_FORBIDDEN)
    permission_error (error, exchange, NULL);
  else if (status == SOUP_STATUS_PAYMENT_REQUIRED || status == 423)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, exchange,
                            _("The Shopify store is frozen or locked (HTTP %u). Check the "
                              "store’s plan and billing in Shopify admin."), status);
  else if (status == SOUP_STATUS_NOT_FOUND)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, exchange,
                            _("There is no Shopify store at this address (HTTP 404). Check "
                              "it: it looks like https://your-shop.myshopify.com."));
  else if (status == 429)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_RATE_LIMITED, wait_us, exchange,
                            _("Shopify asked Counterpart to slow down. It will continue "
                              "when Shopify allows."));
  else if (status >= 500)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_TRANSIENT, wait_us, exchange,
                            _("Shopify had a problem (HTTP %u). Counterpart will try again."),
                            status);
  else if (status >= 300 && status < 400)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, exchange,
                            _("The Shopify store’s address has moved (HTTP %u). Enter the "
                              "store’s myshopify.com address."), status);
  else
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0, exchange,
                            _("Shopify refused the request (HTTP %u)."), status);
}

/* One POST; TRUE when a body came back (any status), parsed. */
static gboolean
send_once (CpShopifyConnector  *self,
           CpRateLimiter       *limiter,
           gboolean             resendable,
           ShopifyResponse     *out,
           gint64              *out_wait_us,
           GCancellable        *cancellable,
           GError             **error)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", out->url);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) request = NULL;
  GError *local_error = NULL;
  CpHttpLimits limits = { 0 };
  gboolean too_big = FALSE;

  if (msg == NULL)
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL,
                              _("The Shopify store address cannot be used. Enter it as "
                                "https://your-shop.myshopify.com."));
      return FALSE;
    }
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  /* Every GraphQL call is a POST, for which libsoup opens a new
   * connection (a TLS handshake) each time unless told the request may
   * be resent: true of a query, and of a mutation under an @idempotent
   * key, which Shopify answers once. */
  if (resendable)
    soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "X-Shopify-Access-Token", self->access_token);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  request = g_bytes_new (out->request_body, strlen (out->request_body));
  soup_message_set_request_body_from_bytes (msg, "application/json", request);

  g_mutex_lock (&self->lock);
  self->n_requests++;
  g_mutex_unlock (&self->lock);

  stream = soup_session_send (self->session, msg, cancellable, &local_error);
  if (stream == NULL)
    goto transport;
  out->status = soup_message_get_status (msg);
  g_clear_pointer (&out->response_headers, soup_message_headers_unref);
  out->response_headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  cp_http_limits_parse (out->response_headers, g_get_real_time (), &limits);
  *out_wait_us = limits.has_retry_after ? limits.retry_after_us : 0;
  if (limits.has_retry_after)
    cp_rate_limiter_block_until (limiter, g_get_monotonic_time () + limits.retry_after_us,
                                 g_get_monotonic_time ());

  g_clear_pointer (&out->body, g_bytes_unref);
  out->body = cp_connector_http_read_body (stream, SHOPIFY_MAX_RESPONSE_BYTES, &too_big,
                                          cancellable, &local_error);
  g_input_stream_close (stream, NULL, NULL);
  if (out->body == NULL)
    {
      if (too_big)
        {
          cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0,
                                  shopify_response_get_exchange (out),
                                  _("Shopify sent an answer too large or too deeply nested to "
                                    "read (%s)."), local_error->message);
          g_error_free (local_error);
          return FALSE;
        }
      goto transport;
    }
  if (g_bytes_get_size (out->body) > 0)
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (out->body, &size);
      GError *parse_error = NULL;

      g_clear_pointer (&out->root, json_node_unref);
      out->root = shopify_parse_json (data, size, &parse_error);
      if (parse_error != NULL)
        {
          if (!SOUP_STATUS_IS_SUCCESSFUL (out->status) && out->status != 429)
            {
              /* An HTML error page: the status says enough. */
              g_error_free (parse_error);
              return TRUE;
            }
          cp_connector_set_error (error, parse_error->code, 0, shopify_response_get_exchange (out),
                                  "%s", parse_error->message);
          g_error_free (parse_error);
          return FALSE;
        }
    }
  return TRUE;

transport:
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  /* A certificate is never accepted against the session's verdict (no
   * accept-certificate handler): the request, token included, was not
   * sent. Retrying cannot help. The words are WooCommerce's, so the
   * owner reads the same thing whichever store it is. */
  if (g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) ||
      soup_message_get_tls_peer_certificate_errors (msg) != 0)
    {
      g_autofree char *why =
        cp_connector_http_describe_certificate (soup_message_get_tls_peer_certificate_errors (msg));

      cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, shopify_response_get_exchange (out),
                              _("The store’s security certificate is not valid: %s. Check that "
                                "the address is the store’s own; if it is, ask whoever hosts the "
                                "store to renew or repair its certificate."), why);
    }
  else if (local_error->domain == G_TLS_ERROR)
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, shopify_response_get_exchange (out),
                            _("Shopify’s secure connection cannot be trusted (%s). Check the "
                              "store address."), local_error->message);
  else
    cp_connector_set_error (error, CP_CONNECTOR_ERROR_TRANSIENT, 0, shopify_response_get_exchange (out),
                            _("Shopify did not answer properly (%s). Counterpart will try "
                              "again."), local_error->message);
  g_error_free (local_error);
  return FALSE;
}

gboolean
shopify_graphql (CpShopifyConnector  *self,
                 const char          *field,
                 const char          *query,
                 JsonNode            *variables,
                 double               estimate,
                 ShopifyResponse     *out,
                 GCancellable        *cancellable,
                 GError             **error)
{
  g_autoptr(CpRateLimiter) limiter = dup_limiter (self);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) vars = variables;
  double cost = estimate;
  gpointer last;
  gboolean resendable;

  g_return_val_if_fail (out != NULL && out->url == NULL, FALSE);

  query += strspn (query, " \t\n");
  resendable = g_str_has_prefix (query, "query") || g_str_has_prefix (query, "{") ||
               strstr (query, "@idempotent") != NULL;

  out->url = g_strdup_printf ("%s/admin/api/%s/graphql.json", self->base_url, self->api_version);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "query");
  json_builder_add_string_value (b, query);
  if (vars != NULL)
    {
      json_builder_set_member_name (b, "variables");
      json_builder_add_value (b, g_steal_pointer (&vars));
    }
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  out->request_body = json_to_string (body, FALSE);

  /* The shop's own figure for this field, once seen, beats our guess. */
  g_mutex_lock (&self->lock);
  last = g_hash_table_lookup (self->last_cost, field);
  g_mutex_unlock (&self->lock);
  if (last != NULL)
    cost = MAX (cost, (double) GPOINTER_TO_UINT (last));

  for (guint attempt = 0;; attempt++)
    {
      ShopifyCost c = { 0 };
      const char *code = NULL, *message = NULL;
      gint64 wait_us = 0, now;

      if (!take_points (self, limiter, cost, cancellable, error))
        return FALSE;
      if (!send_once (self, limiter, resendable, out, &wait_us, cancellable, error))
        return FALSE;

      now = g_get_monotonic_time ();
      shopify_parse_cost (out->root, &c);
      if (c.present)
        {
          cp_rate_limiter_update_from_server (limiter, c.available, c.maximum, c.restore_rate, now);
          if (c.requested > 0)
            {
              g_mutex_lock (&self->lock);
              g_hash_table_insert (self->last_cost, (gpointer) g_intern_string (field),
                                   GUINT_TO_POINTER ((guint) c.requested));
              g_mutex_unlock (&self->lock);
              cost = MAX (cost, c.requested);
            }
        }
      shopify_parse_top_error (out->root, &code, &message);

      if (g_strcmp0 (code, "THROTTLED") == 0 || out->status == 429)
        {
          g_mutex_lock (&self->lock);
          self->n_throttled++;
          g_mutex_unlock (&self->lock);
          /* Until the bucket holds the requested cost again. */
          if (c.present && c.restore_rate > 0)
            wait_us = MAX (wait_us, (gint64) ((cost - c.available) / c.restore_rate * G_USEC_PER_SEC));
          if (wait_us <= 0)
            wait_us = G_USEC_PER_SEC;
          if (attempt + 1 < MAX_THROTTLED_RETRIES && wait_us <= self->max_inline_wait_us)
            {
              /* The server's count already replaced ours: sit out the
               * difference, then ask again. */
              if (!cp_connector_http_wait (wait_us, cancellable, error))
                return FALSE;
              continue;
            }
          cp_connector_set_error (error, CP_CONNECTOR_ERROR_RATE_LIMITED, wait_us,
                                  shopify_response_get_exchange (out),
                                  _("Shopify’s request budget for this app is used up for now "
                                    "(THROTTLED). Counterpart will continue when it refills."));
          return FALSE;
        }
      if (!SOUP_STATUS_IS_SUCCESSFUL (out->status))
        {
          status_error (out, wait_us, error);
          return FALSE;
        }
      if (code != NULL || message != NULL)
        {
          const char *exchange = shopify_response_get_exchange (out);

          if (g_strcmp0 (code, "ACCESS_DENIED") == 0)
            permission_error (error, exchange, message);
          else if (g_strcmp0 (code, "INTERNAL_SERVER_ERROR") == 0)
            cp_connector_set_error (error, CP_CONNECTOR_ERROR_TRANSIENT, 0, exchange,
                                    _("Shopify had a problem (%s). Counterpart will try again."),
                                    message ? message : code);
          else
            cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0, exchange,
                                    _("Shopify did not accept Counterpart’s request (%s: %s). "
                                      "Check for a Counterpart update."),
                                    code ? code : "error", message ? message : "");
          return FALSE;
        }
      out->data = out->root != NULL && JSON_NODE_HOLDS_OBJECT (out->root)
                  ? shopify_get_object (json_node_get_object (out->root), "data") : NULL;
      if (out->data == NULL)
        {
          cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0,
                                  shopify_response_get_exchange (out),
                                  _("Shopify answered without data. Counterpart will try again."));
          return FALSE;
        }
      return TRUE;
    }
}

gboolean
shopify_supports_idempotency (CpShopifyConnector *self)
{
  return g_strcmp0 (self->api_version, "unstable") == 0 ||
         strcmp (self->api_version, CP_SHOPIFY_IDEMPOTENT_SINCE) >= 0;
}
