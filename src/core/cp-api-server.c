/* cp-api-server.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local API server: the GObject, listening, and the gatekeeping every
 * request goes through before a handler sees it (cp-api-server.h lists
 * the limits). The gatekeeping runs in SoupServerMessage's got-headers and
 * got-chunk signals rather than in handlers, because libsoup 3.2 reads the
 * whole body into memory before calling a handler (a 200 MB POST took
 * 401 MB): here the body is not accumulated by libsoup at all, each chunk
 * is counted and pre-scanned as it arrives, and a request is refused at
 * the first byte past a limit. Errors are in cp-api-server-reject.c, the
 * endpoints in cp-api-server-routes.c.
 */

#define G_LOG_DOMAIN "cp-api-server"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-api-server-private.h"
#include "cp-http-limits.h"

G_DEFINE_FINAL_TYPE (CpApiServer, cp_api_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LEDGER_PATH,
  PROP_ENGINE,
  PROP_TLS_CERTIFICATE_PATH,
  PROP_TLS_KEY_PATH,
  PROP_MAX_BODY_BYTES,
  PROP_IDLE_TIMEOUT,
  PROP_TOTAL_TIMEOUT,
  PROP_RATE_PER_MINUTE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


/* --- Rate limits ---------------------------------------------------------- */

static CpRateLimiter *
limiter_for (CpApiServer *self,
             GHashTable  *table,
             const char  *name,
             gint64       now_us)
{
  CpRateLimiter *limiter = g_hash_table_lookup (table, name);

  if (limiter == NULL)
    {
      limiter = cp_rate_limiter_new (self->rate_per_minute, self->rate_per_minute / 60.0, now_us);
      g_hash_table_insert (table, g_strdup (name), limiter);
    }
  return limiter;
}

static void
write_limit_headers (CpApiRequest *req,
                     gint64        retry_after_us,
                     gint64        now_us)
{
  cp_http_limits_write (soup_server_message_get_response_headers (req->msg),
                        req->limiter, retry_after_us, now_us, g_get_real_time ());
}

/* --- Requests ------------------------------------------------------------- */

static void
request_free (gpointer data)
{
  CpApiRequest *req = data;

  if (req->server != NULL)
    g_hash_table_remove (req->server->requests, req->msg);
  g_free (req->route_id);
  g_clear_pointer (&req->key, cp_api_key_free);
  g_clear_pointer (&req->chunks, g_ptr_array_unref);
  g_clear_pointer (&req->scanner, cp_json_limits_scanner_free);
  g_free (req);
}

const char *
cp_api_bearer_token (const char *authorization)
{
  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return NULL;
  authorization += 7;
  while (*authorization == ' ')
    authorization++;
  return *authorization != '\0' ? authorization : NULL;
}

static void
on_got_headers (SoupServerMessage *msg,
                CpApiRequest      *req)
{
  CpApiServer *self = req->server;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  g_autofree char *token = NULL;
  gint64 now_us = g_get_monotonic_time ();
  gint64 retry_after_us = 0;
  const char *scope;
  SoupEncoding encoding;
  goffset length;

  if (self == NULL || req->rejected)
    return;

  req->got_headers = TRUE;
  req->last_activity_us = now_us;
  soup_message_headers_replace (response_headers, "X-Request-Id", req->request_id);

  /* libsoup refused the request line or the path (a 400) before us. */
  if (soup_server_message_get_status (msg) != 0)
    {
      cp_api_set_error (msg, soup_server_message_get_status (msg), "validation_error",
                        _("The request could not be read. Check its first line and its path."),
                        req->request_id);
      req->rejected = TRUE;
      return;
    }

  req->route = cp_api_route_match (g_uri_get_path (soup_server_message_get_uri (msg)),
                                   &req->route_id);

  /* Who asks decides the bucket: the key's, or the client address's for
   * requests without a valid key, so that guessing keys is limited too. */
  if (!cp_api_route_is_keyless (req->route))
    {
      const char *presented = cp_api_bearer_token (soup_message_headers_get_one (request_headers,
                                                                         "Authorization"));
      g_autoptr(GError) error = NULL;

      if (presented != NULL)
        {
          token = g_strdup (presented);
          req->key = cp_api_keys_verify (self->ledger, token, &error);
          if (req->key == NULL)
            g_debug ("%s: key not accepted: %s", req->request_id, error->message);
          explicit_bzero (token, strlen (token));
        }
    }

  if (req->key != NULL)
    req->limiter = limiter_for (self, self->key_limiters, req->key->id, now_us);
  else
    {
      const char *host = soup_server_message_get_remote_host (msg);

      req->limiter = limiter_for (self, self->address_limiters, host != NULL ? host : "", now_us);
    }

  req->in_headers = TRUE;

  if (!cp_rate_limiter_try_take (req->limiter, 1, now_us, &retry_after_us))
    {
      write_limit_headers (req, MAX (retry_after_us, 1), now_us);
      cp_api_reject (req, CP_API_STATUS_TOO_MANY_REQUESTS, "rate_limit_exceeded",
                     _("Too many requests: the local API takes 60 a minute. "
                       "Wait for the time in Retry-After, then send again."));
      return;
    }
  write_limit_headers (req, 0, now_us);

  if (!cp_api_route_is_keyless (req->route) && req->key == NULL)
    {
      soup_message_headers_replace (response_headers, "WWW-Authenticate",
                                    "Bearer realm=\"counterpart\"");
      cp_api_reject (req, SOUP_STATUS_UNAUTHORIZED, "authentication_error",
                     _("This needs an API key: send “Authorization: Bearer <key>” with a key "
                       "from “counterpart-cli api-keys create”. The key given, if any, is "
                       "unknown or revoked."));
      return;
    }

  if (req->route == CP_API_ROUTE_NONE)
    {
      cp_api_reject (req, SOUP_STATUS_NOT_FOUND, "not_found",
                     _("There is no such endpoint. The API is under /api/v1/: health, "
                       "integrations and integrations/{id}/sync."));
      return;
    }

  if (g_strcmp0 (soup_server_message_get_method (msg), cp_api_route_method (req->route)) != 0)
    {
      soup_message_headers_replace (response_headers, "Allow", cp_api_route_method (req->route));
      cp_api_reject (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                     _("This endpoint does not take that method; the Allow header says which it takes."));
      return;
    }

  scope = cp_api_route_scope (req->route);
  if (scope != NULL && !cp_api_key_has_scope (req->key, scope))
    {
      g_autofree char *message =
        g_strdup_printf (_("This key may not do that: it needs the scope “%s”. Create a key "
                           "with that scope (counterpart-cli api-keys create NAME --scopes %s)."),
                         scope, scope);

      cp_api_reject (req, SOUP_STATUS_FORBIDDEN, "authorization_error", message);
      return;
    }

  /* A store (integration) takes 60 a minute whichever keys ask. */
  if (req->route_id != NULL)
    {
      CpRateLimiter *store = limiter_for (self, self->store_limiters, req->route_id, now_us);

      if (!cp_rate_limiter_try_take (store, 1, now_us, &retry_after_us))
        {
          cp_rate_limiter_refund (req->limiter, 1, now_us);
          req->limiter = store;
          write_limit_headers (req, MAX (retry_after_us, 1), now_us);
          cp_api_reject (req, CP_API_STATUS_TOO_MANY_REQUESTS, "rate_limit_exceeded",
                         _("Too many requests for this integration: it takes 60 a minute. "
                           "Wait for the time in Retry-After, then send again."));
          return;
        }
    }

  encoding = soup_message_headers_get_encoding (request_headers);
  length = soup_message_headers_get_content_length (request_headers);
  if (encoding == SOUP_ENCODING_CONTENT_LENGTH && length > 0 &&
      (guint64) length > self->max_body_bytes)
    {
      g_autofree char *limit = g_format_size (self->max_body_bytes);
      g_autofree char *message =
        g_strdup_printf (_("The request body is larger than the %s the local API takes."), limit);

      cp_api_reject (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large", message);
      return;
    }

  req->in_headers = FALSE;
  req->chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  req->scanner = cp_json_limits_scanner_new ((gsize) MIN (self->max_body_bytes, G_MAXSIZE),
                                             CP_JSON_LIMITS_DEFAULT_MAX_DEPTH);
}

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              CpApiRequest      *req)
{
  CpApiServer *self = req->server;
  g_autoptr(GError) error = NULL;
  gsize size = g_bytes_get_size (chunk);

  if (self == NULL || req->rejected || req->scanner == NULL)
    return;

  req->last_activity_us = g_get_monotonic_time ();
  req->body_bytes += size;

  if (req->body_bytes > self->max_body_bytes ||
      !cp_json_limits_scanner_feed (req->scanner, g_bytes_get_data (chunk, NULL), size, &error))
    {
      if (g_error_matches (error, CP_JSON_LIMITS_ERROR, CP_JSON_LIMITS_ERROR_TOO_DEEP))
        {
          g_autofree char *message =
            g_strdup_printf (_("The JSON body nests deeper than the %u levels the local API takes."),
                             CP_JSON_LIMITS_DEFAULT_MAX_DEPTH);

          cp_api_reject (req, SOUP_STATUS_BAD_REQUEST, "validation_error", message);
        }
      else
        {
          g_autofree char *limit = g_format_size (self->max_body_bytes);
          g_autofree char *message =
            g_strdup_printf (_("The request body is larger than the %s the local API takes."), limit);

          cp_api_reject (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large", message);
        }
      return;
    }

  g_ptr_array_add (req->chunks, g_bytes_ref (chunk));
}

static void
on_finished (SoupServerMessage *msg,
             CpApiRequest      *req)
{
  CpApiServer *self = req->server;
  GSocket *socket = soup_server_message_get_socket (msg);

  if (self == NULL)
    return;

  g_hash_table_remove (self->requests, msg);
  req->server = NULL;

  /* The connection may be kept for another request: watch it idle. */
  if (socket != NULL && !g_socket_is_closed (socket))
    {
      gint64 *since = g_new (gint64, 1);

      *since = g_get_monotonic_time ();
      g_hash_table_replace (self->idle_sockets, g_object_ref (socket), since);
    }
}

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    CpApiServer       *self)
{
  CpApiRequest *req = g_new0 (CpApiRequest, 1);

  req->server = self;
  req->msg = msg;
  /* Not a secret: a name for the request in logs and support mail. */
  g_snprintf (req->request_id, sizeof req->request_id, "req_%08x%08x",
              g_random_int (), g_random_int ());
  req->started_us = req->last_activity_us = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), CP_API_REQUEST_KEY, req, request_free);
  g_hash_table_insert (self->requests, msg, req);
  if (soup_server_message_get_socket (msg) != NULL)
    g_hash_table_remove (self->idle_sockets, soup_server_message_get_socket (msg));

  /* The body is kept by on_got_chunk within the limit, never by libsoup. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), req);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), req);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), req);
}

static GBytes *
take_body (CpApiRequest *req)
{
  g_autoptr(GByteArray) joined = NULL;

  if (req->chunks == NULL || req->chunks->len == 0)
    return g_bytes_new (NULL, 0);
  if (req->chunks->len == 1)
    return g_bytes_ref (g_ptr_array_index (req->chunks, 0));

  joined = g_byte_array_sized_new ((guint) req->body_bytes);
  for (guint i = 0; i < req->chunks->len; i++)
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (req->chunks, i), &size);

      g_byte_array_append (joined, data, size);
    }
  g_ptr_array_set_size (req->chunks, 0);
  return g_byte_array_free_to_bytes (g_steal_pointer (&joined));
}

/* Called by libsoup once the body is read, unless a status is set. */
static void
handle_request (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  CpApiServer *self = user_data;
  CpApiRequest *req = g_object_get_data (G_OBJECT (msg), CP_API_REQUEST_KEY);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  if (req == NULL || req->rejected || req->scanner == NULL)
    {
      cp_api_set_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server_error",
                        _("The request was lost on its way through the server. Send it again."),
                        req != NULL ? req->request_id : "");
      return;
    }

  req->answering = TRUE;
  body = take_body (req);
  g_clear_pointer (&req->chunks, g_ptr_array_unref);
  cp_api_route_handle (req, body);

  /* Only an answered request counts as a use of its key. */
  if (req->key != NULL && SOUP_STATUS_IS_SUCCESSFUL (soup_server_message_get_status (msg)) &&
      !cp_api_keys_touch (self->ledger, req->key, cp_ledger_now_us (), &error))
    g_warning ("Could not record the use of API key %s: %s", req->key->id, error->message);
}

/* --- Lifecycle ------------------------------------------------------------ */

static gboolean
load_tls (CpApiServer  *self,
          GError      **error)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) local_error = NULL;

  if (self->tls_key_path != NULL)
    certificate = g_tls_certificate_new_from_files (self->tls_certificate_path,
                                                    self->tls_key_path, &local_error);
  else
    certificate = g_tls_certificate_new_from_file (self->tls_certificate_path, &local_error);

  if (certificate == NULL)
    {
      g_set_error (error, CP_API_SERVER_ERROR, CP_API_SERVER_ERROR_TLS,
                   _("Could not use the TLS certificate %s: %s. Give a PEM file with the "
                     "certificate and its private key (or the key in a file of its own)."),
                   self->tls_certificate_path, local_error->message);
      return FALSE;
    }

  soup_server_set_tls_certificate (self->soup, certificate);
  return TRUE;
}

gboolean
cp_api_server_listen (CpApiServer  *self,
                      const char   *address,
                      GError      **error)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoslist(GUri) uris = NULL;
  gboolean loopback = FALSE;
  guint16 port = 0;
  guint interval_ms;

  g_return_val_if_fail (CP_IS_API_SERVER (self), FALSE);
  g_return_val_if_fail (self->soup == NULL, FALSE);

  if (!cp_api_server_parse_address (address, &host, &port, &loopback, error))
    return FALSE;

  self->tls = self->tls_certificate_path != NULL;
  if (!loopback && !self->tls)
    {
      g_set_error (error, CP_API_SERVER_ERROR, CP_API_SERVER_ERROR_INSECURE,
                   _("The local API answers beyond this computer (%s) only over TLS, so that "
                     "keys and shop data cannot be read on the network. Give a certificate "
                     "(--tls-certificate and --tls-key), or listen on %s."),
                   host, CP_API_SERVER_DEFAULT_LISTEN);
      return FALSE;
    }

  self->ledger = cp_ledger_open (self->ledger_path, error);
  if (self->ledger == NULL)
    return FALSE;

  self->context = g_main_context_ref_thread_default ();
  /* No "server-header": the version is nobody's business on the LAN. */
  self->soup = soup_server_new (NULL, NULL);
  if (self->tls && !load_tls (self, error))
    goto fail;

  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started), self);
  soup_server_add_handler (self->soup, NULL, handle_request, self, NULL);

  inet = g_inet_address_new_from_string (host);
  socket_address = g_inet_socket_address_new (inet, port);
  if (!soup_server_listen (self->soup, socket_address,
                           self->tls ? SOUP_SERVER_LISTEN_HTTPS : 0, &local_error))
    {
      g_set_error (error, CP_API_SERVER_ERROR, CP_API_SERVER_ERROR_LISTEN,
                   _("Could not listen on %s: %s. Another program (or another Counterpart) "
                     "may use that port; choose another with --listen."),
                   address != NULL ? address : CP_API_SERVER_DEFAULT_LISTEN,
                   local_error->message);
      goto fail;
    }

  uris = soup_server_get_uris (self->soup);
  self->port = uris != NULL ? (guint) g_uri_get_port (uris->data) : port;
  self->host = g_steal_pointer (&host);

  interval_ms = CLAMP (MIN (self->idle_timeout_s, self->total_timeout_s) * 1000 / 4, 100, 1000);
  self->timer = g_timeout_source_new (interval_ms);
  g_source_set_callback (self->timer, cp_api_server_tick, self, NULL);
  g_source_set_name (self->timer, "[counterpart] API timeouts");
  g_source_attach (self->timer, self->context);
  self->last_prune_us = g_get_monotonic_time ();
  cp_webhooks_api_start (self);
  return TRUE;

fail:
  g_clear_object (&self->soup);
  g_clear_object (&self->ledger);
  g_clear_pointer (&self->context, g_main_context_unref);
  return FALSE;
}

void
cp_api_server_stop (CpApiServer *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (CP_IS_API_SERVER (self));

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }

  cp_api_linger_cancel_all (self);
  cp_webhooks_api_cancel (self);

  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }

  /* Messages still alive (held by someone) must not reach back here. */
  g_hash_table_iter_init (&iter, self->requests);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((CpApiRequest *) value)->server = NULL;
  g_hash_table_remove_all (self->requests);
  g_hash_table_remove_all (self->idle_sockets);

  g_clear_object (&self->ledger);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->host, g_free);
  self->port = 0;
}

guint
cp_api_server_get_port (CpApiServer *self)
{
  g_return_val_if_fail (CP_IS_API_SERVER (self), 0);

  return self->port;
}

char *
cp_api_server_dup_base_url (CpApiServer *self)
{
  g_return_val_if_fail (CP_IS_API_SERVER (self), NULL);

  if (self->soup == NULL)
    return NULL;
  return g_strdup_printf ("%s://%s%s%s:%u/api/v1",
                          self->tls ? "https" : "http",
                          strchr (self->host, ':') != NULL ? "[" : "", self->host,
                          strchr (self->host, ':') != NULL ? "]" : "", self->port);
}

void
cp_api_server_set_tls_files (CpApiServer *self,
                             const char  *certificate_path,
                             const char  *key_path)
{
  g_return_if_fail (CP_IS_API_SERVER (self));

  g_object_set (self, "tls-certificate-path", certificate_path, "tls-key-path", key_path, NULL);
}

CpApiServer *
cp_api_server_new (const char *ledger_path,
                   CpEngine   *engine)
{
  g_return_val_if_fail (ledger_path != NULL, NULL);
  g_return_val_if_fail (engine == NULL || CP_IS_ENGINE (engine), NULL);

  return g_object_new (CP_TYPE_API_SERVER, "ledger-path", ledger_path, "engine", engine, NULL);
}

static void
cp_api_server_dispose (GObject *object)
{
  CpApiServer *self = CP_API_SERVER (object);

  cp_api_server_stop (self);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (cp_api_server_parent_class)->dispose (object);
}

static void
cp_api_server_finalize (GObject *object)
{
  CpApiServer *self = CP_API_SERVER (object);

  g_free (self->ledger_path);
  g_free (self->tls_certificate_path);
  g_free (self->tls_key_path);
  g_hash_table_unref (self->requests);
  g_hash_table_unref (self->idle_sockets);
  g_hash_table_unref (self->key_limiters);
  g_hash_table_unref (self->store_limiters);
  g_hash_table_unref (self->address_limiters);
  g_ptr_array_unref (self->lingering);

  G_OBJECT_CLASS (cp_api_server_parent_class)->finalize (object);
}

static void
cp_api_server_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CpApiServer *self = CP_API_SERVER (object);

  switch (prop_id)
    {
    case PROP_LEDGER_PATH:
      g_value_set_string (value, self->ledger_path);
      break;
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_TLS_CERTIFICATE_PATH:
      g_value_set_string (value, self->tls_certificate_path);
      break;
    case PROP_TLS_KEY_PATH:
      g_value_set_string (value, self->tls_key_path);
      break;
    case PROP_MAX_BODY_BYTES:
      g_value_set_uint64 (value, self->max_body_bytes);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout_s);
      break;
    case PROP_TOTAL_TIMEOUT:
      g_value_set_uint (value, self->total_timeout_s);
      break;
    case PROP_RATE_PER_MINUTE:
      g_value_set_uint (value, self->rate_per_minute);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_api_server_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CpApiServer *self = CP_API_SERVER (object);

  switch (prop_id)
    {
    case PROP_LEDGER_PATH:
      g_free (self->ledger_path);
      self->ledger_path = g_value_dup_string (value);
      break;
    case PROP_ENGINE:
      g_set_object (&self->engine, g_value_get_object (value));
      break;
    case PROP_TLS_CERTIFICATE_PATH:
      g_free (self->tls_certificate_path);
      self->tls_certificate_path = g_value_dup_string (value);
      break;
    case PROP_TLS_KEY_PATH:
      g_free (self->tls_key_path);
      self->tls_key_path = g_value_dup_string (value);
      break;
    case PROP_MAX_BODY_BYTES:
      self->max_body_bytes = g_value_get_uint64 (value);
      break;
    case PROP_IDLE_TIMEOUT:
      self->idle_timeout_s = g_value_get_uint (value);
      break;
    case PROP_TOTAL_TIMEOUT:
      self->total_timeout_s = g_value_get_uint (value);
      break;
    case PROP_RATE_PER_MINUTE:
      self->rate_per_minute = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_api_server_class_init (CpApiServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cp_api_server_dispose;
  object_class->finalize = cp_api_server_finalize;
  object_class->get_property = cp_api_server_get_property;
  object_class->set_property = cp_api_server_set_property;

  properties[PROP_LEDGER_PATH] =
    g_param_spec_string ("ledger-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, CP_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TLS_CERTIFICATE_PATH] =
    g_param_spec_string ("tls-certificate-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TLS_KEY_PATH] =
    g_param_spec_string ("tls-key-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_BODY_BYTES] =
    g_param_spec_uint64 ("max-body-bytes", NULL, NULL, 1, G_MAXUINT32,
                         CP_API_SERVER_DEFAULT_MAX_BODY_BYTES,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 1, 3600, CP_API_SERVER_DEFAULT_IDLE_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL_TIMEOUT] =
    g_param_spec_uint ("total-timeout", NULL, NULL, 1, 3600, CP_API_SERVER_DEFAULT_TOTAL_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_RATE_PER_MINUTE] =
    g_param_spec_uint ("rate-per-minute", NULL, NULL, 1, 1000000,
                       CP_RATE_LIMITER_DEFAULT_PER_MINUTE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cp_api_server_init (CpApiServer *self)
{
  self->requests = g_hash_table_new (NULL, NULL);
  self->idle_sockets = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
  self->key_limiters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->store_limiters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->address_limiters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->lingering = g_ptr_array_new ();
}
