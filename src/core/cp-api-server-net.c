/* cp-api-server-net.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local API server's dealings with the network around the requests:
 * which addresses it may listen on, and the timer that closes clients
 * that stall (cp-api-server.h says which timeouts).
 */

#define G_LOG_DOMAIN "cp-api-server"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-api-server-private.h"

G_DEFINE_QUARK (cp-api-server-error-quark, cp_api_server_error)

/* Idle address buckets are forgotten this often, so that a LAN full of
 * clients cannot grow the table without end. */
#define PRUNE_INTERVAL_US ((gint64) 60 * G_USEC_PER_SEC)

/* --- Addresses ------------------------------------------------------------ */

gboolean
cp_api_server_parse_address (const char  *address,
                             char       **out_host,
                             guint16     *out_port,
                             gboolean    *out_is_loopback,
                             GError     **error)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  const char *colon;
  const char *port_text;
  guint64 port;

  if (address == NULL)
    address = CP_API_SERVER_DEFAULT_LISTEN;

  if (address[0] == '[')
    {
      const char *end = strchr (address, ']');

      if (end == NULL || end[1] != ':')
        goto bad;
      host = g_strndup (address + 1, end - address - 1);
      port_text = end + 2;
    }
  else
    {
      colon = strrchr (address, ':');
      if (colon == NULL || strchr (address, ':') != colon)
        goto bad;
      host = g_strndup (address, colon - address);
      port_text = colon + 1;
    }

  if (!g_ascii_string_to_unsigned (port_text, 10, 0, 65535, &port, NULL))
    goto bad;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    {
      g_free (host);
      host = g_strdup ("127.0.0.1");
    }
  inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    goto bad;

  if (out_host != NULL)
    *out_host = g_inet_address_to_string (inet);
  if (out_port != NULL)
    *out_port = (guint16) port;
  if (out_is_loopback != NULL)
    *out_is_loopback = g_inet_address_get_is_loopback (inet);
  return TRUE;

bad:
  g_set_error (error, CP_API_SERVER_ERROR, CP_API_SERVER_ERROR_ADDRESS,
               _("“%s” is not an address to listen on. Give an IP address and a port, "
                 "such as %s, [::1]:8787 or 0.0.0.0:8787."),
               address, CP_API_SERVER_DEFAULT_LISTEN);
  return FALSE;
}

static gboolean
limiter_is_idle (gpointer key,
                 gpointer value,
                 gpointer user_data)
{
  gint64 now_us = *(gint64 *) user_data;

  return cp_rate_limiter_get_available (value, now_us) >= cp_rate_limiter_get_capacity (value);
}

/* --- Timeouts ------------------------------------------------------------- */

gboolean
cp_api_server_tick (gpointer data)
{
  CpApiServer *self = data;
  gint64 now_us = g_get_monotonic_time ();
  gint64 idle_us = (gint64) self->idle_timeout_s * G_USEC_PER_SEC;
  gint64 total_us = (gint64) self->total_timeout_s * G_USEC_PER_SEC;
  g_autoptr(GPtrArray) expired = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->requests);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      CpApiRequest *req = value;
      gboolean too_long = now_us - req->started_us > total_us;
      gboolean idle = now_us - req->last_activity_us > idle_us;

      if (too_long || (idle && !req->answering))
        g_ptr_array_add (expired, g_object_ref (key));
    }

  /* A kept-alive connection that sends no next request is shut down;
   * libsoup then reads the end of it and lets it go. */
  g_hash_table_iter_init (&iter, self->idle_sockets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (now_us - *(gint64 *) value > idle_us)
      {
        g_socket_shutdown (key, TRUE, TRUE, NULL);
        g_hash_table_iter_remove (&iter);
      }

  /* Acting may free requests, so not while walking the table. */
  for (guint i = 0; i < expired->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (expired, i);
      CpApiRequest *req = g_object_get_data (G_OBJECT (msg), CP_API_REQUEST_KEY);

      if (req == NULL || req->server == NULL || req->rejected)
        continue;
      /* Nothing to answer before a request arrived, nor once the answer
       * is being written: just close. */
      if (!req->got_headers || req->answering)
        cp_api_drop_connection (req);
      else
        cp_api_reject (req, SOUP_STATUS_REQUEST_TIMEOUT, "request_timeout",
                       _("The request body did not arrive in time. Send the whole request at once."));
    }

  if (now_us - self->last_prune_us > PRUNE_INTERVAL_US)
    {
      self->last_prune_us = now_us;
      g_hash_table_foreach_remove (self->address_limiters, limiter_is_idle, &now_us);
    }

  return G_SOURCE_CONTINUE;
}
