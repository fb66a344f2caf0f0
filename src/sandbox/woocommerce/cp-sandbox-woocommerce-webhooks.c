/* cp-sandbox-woocommerce-webhooks.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The WooCommerce fake's webhook, as class-wc-webhook.php delivers it
 * (shared/platforms.md §2): a POST of the order's wc/v3 JSON with the
 * X-WC-Webhook-* headers, X-WC-Webhook-Signature = base64 (HMAC-SHA256
 * (secret, body)), a Delivery-ID hashed from the webhook id and the
 * second (so two deliveries in one second share it), any 2xx–302 a
 * success, and no retry: a failed delivery is lost, and more than 5
 * failures in a row disable the webhook. Deliveries go out one at a time
 * from a thread of their own, never from the server's.
 */

#define G_LOG_DOMAIN "cp-sandbox-woocommerce"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "cp-sandbox-woocommerce-private.h"

/* woocommerce_max_webhook_delivery_failures */
#define MAX_FAILURES 5

typedef struct
{
  CpSandboxWoocommerce *self;
  char                 *url;
  char                 *secret;
  char                 *topic;
  char                 *body;
  guint                 webhook_id;
} Delivery;

static void
delivery_free (Delivery *d)
{
  g_free (d->url);
  g_free (d->secret);
  g_free (d->topic);
  g_free (d->body);
  g_free (d);
}

static void
deliver (gpointer data,
         gpointer user_data)
{
  Delivery *d = data;
  CpSandboxWoocommerce *self = d->self;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", d->url);
  g_autoptr(GBytes) body = g_bytes_new (d->body, strlen (d->body));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) d->secret, strlen (d->secret));
  g_autofree char *signature = NULL;
  g_autofree char *id = g_strdup_printf ("%u", d->webhook_id);
  g_autofree char *second = g_strdup_printf ("%u:%" G_GINT64_FORMAT, d->webhook_id,
                                             g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *delivery_id = g_compute_checksum_for_string (G_CHECKSUM_MD5, second, -1);
  g_auto(GStrv) topic = g_strsplit (d->topic, ".", 2);
  SoupMessageHeaders *headers;
  guint8 digest[32];
  gsize len = sizeof digest;
  gboolean ok = FALSE, skip;

  /* A webhook turned off (or replaced) since: what is queued is dropped. */
  g_mutex_lock (&self->mutex);
  skip = self->webhook_disabled || self->webhook_id != d->webhook_id;
  if (skip)
    {
      self->webhook_pending--;
      g_cond_broadcast (&self->webhook_cond);
    }
  g_mutex_unlock (&self->mutex);
  if (skip)
    {
      delivery_free (d);
      return;
    }

  if (msg != NULL)
    {
      g_hmac_update (hmac, (const guchar *) d->body, strlen (d->body));
      g_hmac_get_digest (hmac, digest, &len);
      signature = g_base64_encode (digest, len);
      headers = soup_message_get_request_headers (msg);
      soup_message_headers_replace (headers, "User-Agent", "WooCommerce/9.0.0 Hookshot (WordPress/6.5.0)");
      soup_message_headers_replace (headers, "X-WC-Webhook-Source", "http://127.0.0.1/");
      soup_message_headers_replace (headers, "X-WC-Webhook-Topic", d->topic);
      soup_message_headers_replace (headers, "X-WC-Webhook-Resource", topic[0]);
      soup_message_headers_replace (headers, "X-WC-Webhook-Event", topic[1] != NULL ? topic[1] : "");
      soup_message_headers_replace (headers, "X-WC-Webhook-Signature", signature);
      soup_message_headers_replace (headers, "X-WC-Webhook-ID", id);
      soup_message_headers_replace (headers, "X-WC-Webhook-Delivery-ID", delivery_id);
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
      soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
      reply = soup_session_send_and_read (session, msg, NULL, NULL);
      ok = reply != NULL && soup_message_get_status (msg) >= 200 && soup_message_get_status (msg) <= 302;
    }

  g_mutex_lock (&self->mutex);
  if (ok)
    {
      self->webhook_delivered++;
      self->webhook_failures = 0;
    }
  else
    {
      /* WC_Webhook::failed_delivery: no retry, and too many in a row
       * turn the webhook off. */
      self->webhook_failed++;
      if (++self->webhook_failures > MAX_FAILURES)
        self->webhook_disabled = TRUE;
    }
  self->webhook_pending--;
  g_cond_broadcast (&self->webhook_cond);
  g_mutex_unlock (&self->mutex);
  delivery_free (d);
}

void
woo_webhook_queue (CpSandboxWoocommerce *self,
                   WooOrder             *order,
                   const char           *topic)
{
  Delivery *d;

  if (self->webhook_url == NULL || self->webhook_disabled)
    return;
  if (self->webhook_pool == NULL)
    self->webhook_pool = g_thread_pool_new (deliver, NULL, 1, FALSE, NULL);
  d = g_new0 (Delivery, 1);
  d->self = self;
  d->url = g_strdup (self->webhook_url);
  d->secret = g_strdup (self->webhook_secret);
  d->topic = g_strdup (topic);
  d->body = g_strdup (woo_order_json (order));
  d->webhook_id = self->webhook_id;
  self->webhook_pending++;
  g_thread_pool_push (self->webhook_pool, d, NULL);
}

void
woo_webhook_shutdown (CpSandboxWoocommerce *self)
{
  /* Lets the queued deliveries finish: they hold SELF. */
  if (self->webhook_pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->webhook_pool), FALSE, TRUE);
}

void
cp_sandbox_woocommerce_set_webhook (CpSandboxWoocommerce *self,
                                    const char           *delivery_url,
                                    const char           *secret)
{
  g_return_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self));

  g_mutex_lock (&self->mutex);
  g_free (self->webhook_url);
  g_free (self->webhook_secret);
  self->webhook_url = g_strdup (delivery_url);
  self->webhook_secret = g_strdup (secret != NULL ? secret : "");
  self->webhook_id++;
  self->webhook_failures = 0;
  self->webhook_disabled = FALSE;
  g_mutex_unlock (&self->mutex);
}

void
cp_sandbox_woocommerce_wait_webhooks (CpSandboxWoocommerce *self,
                                      guint                *out_delivered,
                                      guint                *out_failed,
                                      gboolean             *out_disabled)
{
  g_return_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self));

  g_mutex_lock (&self->mutex);
  while (self->webhook_pending > 0)
    g_cond_wait (&self->webhook_cond, &self->mutex);
  if (out_delivered != NULL)
    *out_delivered = self->webhook_delivered;
  if (out_failed != NULL)
    *out_failed = self->webhook_failed;
  if (out_disabled != NULL)
    *out_disabled = self->webhook_disabled;
  g_mutex_unlock (&self->mutex);
}
