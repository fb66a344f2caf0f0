/* cp-sandbox-server.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SoupServer runs in its own thread with its own GMainContext: a test
 * that drives a synchronous SoupSession, or the CLI blocked in a sync, must
 * not be the loop that serves its own requests. Everything the other
 * threads read (counters, faults) is behind a mutex.
 */

#define G_LOG_DOMAIN "cp-sandbox-server"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <glib/gi18n.h>

#include "cp-sandbox-server.h"
#include "cp-sandbox-server-tls.h"

struct _CpSandboxServer
{
  GObject       parent_instance;

  GPtrArray    *platforms;     /* CpSandboxPlatform; fixed once started */
  CpSandboxFaults *faults;

  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *soup;
  GPtrArray    *delayed;     /* GSource of requests held back by latency;
                              * only touched on the server thread */
  guint         port;
  char         *base_url;
  GTlsCertificate *tls_certificate; /* NULL: plain http; fixed once started */

  /* start() waits for the thread to listen or fail */
  GMutex        start_mutex;
  GCond         start_cond;
  gboolean      start_done;
  GError       *start_error;
  guint         requested_port;

  GMutex        counters_mutex;
  GHashTable   *requests;      /* label → GUINT_TO_POINTER (count) */
  GHashTable   *effects;       /* key → GUINT_TO_POINTER (count) */
  guint         n_requests;
  guint         n_connections; /* distinct client sockets served */
  guint         fault_counts[CP_SANDBOX_FAULT_MALFORMED + 1];
  CpSandboxRequestObserver observer;
  gpointer      observer_data;
};

G_DEFINE_TYPE (CpSandboxServer, cp_sandbox_server, G_TYPE_OBJECT)

G_DEFINE_QUARK (cp-sandbox-server-error-quark, cp_sandbox_server_error)

typedef struct
{
  CpSandboxServer   *self;
  CpSandboxPlatform *platform;
  SoupServerMessage *msg;
  char              *path;
  CpSandboxFault     fault;
} Pending;

static void
pending_free (Pending *p)
{
  g_object_unref (p->msg);
  g_free (p->path);
  g_free (p);
}

static void
write_simple_not_found (SoupServerMessage *msg)
{
  static const char body[] =
    "{\"error\":{\"code\":\"not_found\",\"message\":\"No sandbox platform at this path\"}}";

  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    body, strlen (body));
}

/* Writes the status line and headers by hand so that Content-Length can
 * promise more than the body that follows: the client sees a connection
 * closed mid-body, as when a proxy or the platform dies while sending. */
static void
write_truncated (SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  guint status = soup_server_message_get_status (msg);
  gsize len = g_bytes_get_size (body);
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GString) head = g_string_new (NULL);
  GOutputStream *out;

  /* A promise of at least 64 bytes even for an empty body, so there is
   * always something missing. */
  g_string_append_printf (head, "HTTP/1.1 %u %s\r\nContent-Type: %s\r\nContent-Length: %"
                          G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                          status, soup_status_get_phrase (status),
                          type ? type : "application/json", MAX (len, 64));

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  out = g_io_stream_get_output_stream (stream);
  g_output_stream_write_all (out, head->str, head->len, NULL, NULL, NULL);
  g_output_stream_write_all (out, g_bytes_get_data (body, NULL), len / 2, NULL, NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static void
write_malformed (SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  gsize len = g_bytes_get_size (body);
  g_autoptr(GString) bad = g_string_new_len (g_bytes_get_data (body, NULL), len / 2);

  /* Half a JSON document plus what a misbehaving gateway might append: a
   * complete HTTP response whose body no JSON parser accepts. */
  g_string_append (bad, "<html><body>502 Bad Gateway</body></html>");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    bad->str, bad->len);
}

static void
count_fault (CpSandboxServer *self,
             CpSandboxFault   fault)
{
  g_mutex_lock (&self->counters_mutex);
  self->fault_counts[fault]++;
  g_mutex_unlock (&self->counters_mutex);
}

static void
serve (CpSandboxServer   *self,
       CpSandboxPlatform *platform,
       SoupServerMessage *msg,
       const char        *path,
       CpSandboxFault     fault)
{
  if (fault != CP_SANDBOX_FAULT_NONE)
    count_fault (self, fault);

  /* 5xx and 429 stop the request before the platform sees it; the other
   * faults hit the response, after the change was applied — the case an
   * idempotency key or a search for the external reference must cover. */
  switch (fault)
    {
    case CP_SANDBOX_FAULT_5XX:
      if (self->fault_counts[CP_SANDBOX_FAULT_5XX] % 2 == 1)
        cp_sandbox_platform_write_error (platform, msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                                         "server_error", "Service temporarily unavailable (injected fault)");
      else
        cp_sandbox_platform_write_error (platform, msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                         "server_error", "Internal error (injected fault)");
      return;

    case CP_SANDBOX_FAULT_429:
      {
        CpSandboxFaultSpec spec;
        g_autofree char *after = NULL;

        cp_sandbox_faults_get_spec (self->faults, &spec);
        after = g_strdup_printf ("%u", spec.retry_after_s);
        cp_sandbox_platform_write_error (platform, msg, CP_SANDBOX_STATUS_TOO_MANY_REQUESTS,
                                         "rate_limit_exceeded", "Too many requests (injected fault)");
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Retry-After", after);
      }
      return;

    case CP_SANDBOX_FAULT_NONE:
    case CP_SANDBOX_FAULT_RESET:
    case CP_SANDBOX_FAULT_TRUNCATE:
    case CP_SANDBOX_FAULT_MALFORMED:
    default:
      break;
    }

  cp_sandbox_platform_handle (platform, self, msg, path);

  switch (fault)
    {
    case CP_SANDBOX_FAULT_RESET:
      {
        g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

        if (stream != NULL)
          g_io_stream_close (stream, NULL, NULL);
      }
      break;

    case CP_SANDBOX_FAULT_TRUNCATE:
      write_truncated (msg);
      break;

    case CP_SANDBOX_FAULT_MALFORMED:
      write_malformed (msg);
      break;

    case CP_SANDBOX_FAULT_NONE:
    case CP_SANDBOX_FAULT_5XX:
    case CP_SANDBOX_FAULT_429:
    default:
      break;
    }
}

static gboolean
delayed_serve_cb (gpointer data)
{
  Pending *p = data;

  g_ptr_array_remove_fast (p->self->delayed, g_main_current_source ());

  serve (p->self, p->platform, p->msg, p->path, p->fault);
  /* A stolen connection has no message I/O left to resume. */
  if (p->fault != CP_SANDBOX_FAULT_RESET && p->fault != CP_SANDBOX_FAULT_TRUNCATE)
    soup_server_message_unpause (p->msg);
  return G_SOURCE_REMOVE;
}

static void
count_request (CpSandboxServer *self,
               const char      *label)
{
  g_mutex_lock (&self->counters_mutex);
  self->n_requests++;
  if (label != NULL)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->requests, label));
      g_hash_table_replace (self->requests, g_strdup (label), GUINT_TO_POINTER (n + 1));
    }
  g_mutex_unlock (&self->counters_mutex);
}

static void
handler_cb (SoupServer        *soup,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  CpSandboxServer *self = user_data;
  CpSandboxPlatform *platform = NULL;
  const char *method = soup_server_message_get_method (msg);
  const char *rest = NULL;
  const char *label;
  g_autofree char *full_label = NULL;
  CpSandboxFaultDecision decision;
  CpSandboxRequestObserver observer;
  gpointer observer_data;

  for (guint i = 0; i < self->platforms->len; i++)
    {
      CpSandboxPlatform *candidate = g_ptr_array_index (self->platforms, i);
      const char *name = cp_sandbox_platform_get_name (candidate);
      gsize len = strlen (name);

      if (path[0] == '/' && strncmp (path + 1, name, len) == 0 &&
          (path[len + 1] == '/' || path[len + 1] == '\0'))
        {
          platform = candidate;
          rest = path + len + 1;
          break;
        }
    }

  if (platform == NULL)
    {
      count_request (self, NULL);
      write_simple_not_found (msg);
      return;
    }

  label = cp_sandbox_platform_classify (platform, method, rest);
  full_label = g_strdup_printf ("%s %s", cp_sandbox_platform_get_name (platform),
                                label ? label : "unmatched");
  count_request (self, full_label);

  g_mutex_lock (&self->counters_mutex);
  observer = self->observer;
  observer_data = self->observer_data;
  g_mutex_unlock (&self->counters_mutex);
  if (observer != NULL)
    observer (full_label, observer_data);

  decision = cp_sandbox_faults_decide (self->faults);
  if (decision.delay_ms == 0)
    {
      serve (self, platform, msg, rest, decision.fault);
      return;
    }

  {
    Pending *p = g_new0 (Pending, 1);
    g_autoptr(GSource) source = g_timeout_source_new (decision.delay_ms);

    p->self = self;
    p->platform = platform;
    p->msg = g_object_ref (msg);
    p->path = g_strdup (rest);
    p->fault = decision.fault;
    soup_server_message_pause (msg);
    g_source_set_callback (source, delayed_serve_cb, p, (GDestroyNotify) pending_free);
    g_source_attach (source, self->context);
    g_ptr_array_add (self->delayed, g_source_ref (source));
  }
}

/* libsoup writes headers and body separately; with Nagle's algorithm on,
 * the body then waits for the client's delayed ACK, 40 ms a response on
 * Linux loopback, which would dominate every sync test and benchmark. */
static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  CpSandboxServer *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    {
      g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
      /* A socket's first request: a connection the client opened. */
      if (g_object_get_data (G_OBJECT (socket), "cp-sandbox-seen") == NULL)
        {
          g_object_set_data (G_OBJECT (socket), "cp-sandbox-seen", GINT_TO_POINTER (1));
          g_mutex_lock (&self->counters_mutex);
          self->n_connections++;
          g_mutex_unlock (&self->counters_mutex);
        }
    }
}

static gpointer
server_thread (gpointer data)
{
  CpSandboxServer *self = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (self->context);

  self->soup = soup_server_new ("server-header", "counterpart-sandbox ",
                                "tls-certificate", self->tls_certificate,
                                NULL);
  soup_server_add_handler (self->soup, "/", handler_cb, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);

  if (soup_server_listen_local (self->soup, self->requested_port,
                                SOUP_SERVER_LISTEN_IPV4_ONLY |
                                (self->tls_certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0),
                                &error))
    {
      uris = soup_server_get_uris (self->soup);
      self->port = (guint) g_uri_get_port (uris->data);
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
      self->base_url = g_strdup_printf ("%s://127.0.0.1:%u",
                                        self->tls_certificate != NULL ? "https" : "http",
                                        self->port);
    }

  g_mutex_lock (&self->start_mutex);
  self->start_done = TRUE;
  if (error != NULL)
    self->start_error = g_steal_pointer (&error);
  g_cond_signal (&self->start_cond);
  g_mutex_unlock (&self->start_mutex);

  if (self->base_url != NULL)
    g_main_loop_run (self->loop);

  /* Requests still held back by latency are dropped here, on this thread,
   * while their server still exists. */
  for (guint i = 0; i < self->delayed->len; i++)
    g_source_destroy (g_ptr_array_index (self->delayed, i));
  g_ptr_array_set_size (self->delayed, 0);

  soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  /* Let the disconnects and pending sources finish on this context. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

gboolean
cp_sandbox_server_start (CpSandboxServer  *self,
                         guint             port,
                         GError          **error)
{
  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (self), FALSE);

  if (self->thread != NULL)
    {
      g_set_error (error, CP_SANDBOX_SERVER_ERROR, CP_SANDBOX_SERVER_ERROR_RUNNING,
                   _("The sandbox server is already running at %s"), self->base_url);
      return FALSE;
    }

  self->requested_port = port;
  self->start_done = FALSE;
  g_clear_error (&self->start_error);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("cp-sandbox", server_thread, self);

  g_mutex_lock (&self->start_mutex);
  while (!self->start_done)
    g_cond_wait (&self->start_cond, &self->start_mutex);
  g_mutex_unlock (&self->start_mutex);

  if (self->start_error != NULL)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      g_clear_pointer (&self->loop, g_main_loop_unref);
      g_clear_pointer (&self->context, g_main_context_unref);
      g_set_error (error, CP_SANDBOX_SERVER_ERROR, CP_SANDBOX_SERVER_ERROR_LISTEN,
                   _("Could not listen on 127.0.0.1 port %u: %s. Choose another port with --port, or 0 for any free one"),
                   port, self->start_error->message);
      g_clear_error (&self->start_error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
cp_sandbox_server_stop (CpSandboxServer *self)
{
  g_autoptr(GSource) source = NULL;

  g_return_if_fail (CP_IS_SANDBOX_SERVER (self));

  if (self->thread == NULL)
    return;

  source = g_idle_source_new ();
  g_source_set_callback (source, quit_cb, self->loop, NULL);
  g_source_attach (source, self->context);
  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->base_url, g_free);
  self->port = 0;
}

gboolean
cp_sandbox_server_is_running (CpSandboxServer *self)
{
  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (self), FALSE);
  return self->thread != NULL;
}

guint
cp_sandbox_server_get_port (CpSandboxServer *self)
{
  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (self), 0);
  return self->port;
}

const char *
cp_sandbox_server_get_base_url (CpSandboxServer *self)
{
  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (self), NULL);
  return self->base_url;
}

void
cp_sandbox_server_add_platform (CpSandboxServer   *self,
                                CpSandboxPlatform *platform)
{
  g_return_if_fail (CP_IS_SANDBOX_SERVER (self));
  g_return_if_fail (CP_IS_SANDBOX_PLATFORM (platform));
  g_return_if_fail (self->thread == NULL);

  g_ptr_array_add (self->platforms, g_object_ref (platform));
}

CpSandboxPlatform *
cp_sandbox_server_get_platform (CpSandboxServer *self,
                                const char      *name)
{
  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (self), NULL);

  for (guint i = 0; i < self->platforms->len; i++)
    {
      CpSandboxPlatform *p = g_ptr_array_index (self->platforms, i);

      if (g_strcmp0 (cp_sandbox_platform_get_name (p), name) == 0)
        return p;
    }
  return NULL;
}

char *
cp_sandbox_server_dup_platform_url (CpSandboxServer *self,
                                    const char      *name)
{
  CpSandboxPlatform *p;

  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (self), NULL);

  p = cp_sandbox_server_get_platform (self, name);
  if (p == NULL || self->base_url == NULL)
    return NULL;
  return g_strconcat (self->base_url, "/", name, cp_sandbox_platform_get_api_path (p), NULL);
}

void
cp_sandbox_server_set_tls_certificate (CpSandboxServer *self,
                                       GTlsCertificate *certificate)
{
  g_return_if_fail (CP_IS_SANDBOX_SERVER (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));
  g_return_if_fail (self->thread == NULL);

  g_set_object (&self->tls_certificate, certificate);
}

char *
cp_sandbox_server_use_self_signed_tls (CpSandboxServer  *self,
                                       GError          **error)
{
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *both = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;

  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (self), NULL);
  g_return_val_if_fail (self->thread == NULL, NULL);

  if (!cp_sandbox_tls_generate (&cert_pem, &key_pem, error))
    return NULL;
  /* Fails without a TLS backend (glib-networking): said as GIO says it. */
  both = g_strconcat (cert_pem, key_pem, NULL);
  certificate = g_tls_certificate_new_from_pem (both, -1, error);
  memset (key_pem, 0, strlen (key_pem));
  memset (both, 0, strlen (both));
  if (certificate == NULL)
    return NULL;
  cp_sandbox_server_set_tls_certificate (self, certificate);
  return g_steal_pointer (&cert_pem);
}

gboolean
cp_sandbox_server_is_tls (CpSandboxServer *self)
{
  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (self), FALSE);
  return self->tls_certificate != NULL;
}

CpSandboxFaults *
cp_sandbox_server_get_faults (CpSandboxServer *self)
{
  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (self), NULL);
  return self->faults;
}

void
cp_sandbox_server_set_request_observer (CpSandboxServer          *self,
                                        CpSandboxRequestObserver  observer,
                                        gpointer                  user_data)
{
  g_return_if_fail (CP_IS_SANDBOX_SERVER (self));

  g_mutex_lock (&self->counters_mutex);
  self->observer = observer;
  self->observer_data = user_data;
  g_mutex_unlock (&self->counters_mutex);
}

guint
cp_sandbox_server_get_request_count (CpSandboxServer *self,
                                     const char      *endpoint)
{
  guint n;

  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (self), 0);

  g_mutex_lock (&self->counters_mutex);
  if (endpoint == NULL)
    n = self->n_requests;
  else
    n = GPOINTER_TO_UINT (g_hash_table_lookup (self->requests, endpoint));
  g_mutex_unlock (&self->counters_mutex);
  return n;
}

guint
cp_sandbox_server_get_connection_count (CpSandboxServer *self)
{
  guint n;

  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (self), 0);

  g_mutex_lock (&self->counters_mutex);
  n = self->n_connections;
  g_mutex_unlock (&self->counters_mutex);
  return n;
}

char **
cp_sandbox_server_dup_endpoints (CpSandboxServer *self)
{
  g_autofree const char **keys = NULL;
  char **out;
  guint n = 0;

  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (self), NULL);

  g_mutex_lock (&self->counters_mutex);
  keys = (const char **) g_hash_table_get_keys_as_array (self->requests, &n);
  out = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    out[i] = g_strdup (keys[i]);
  g_mutex_unlock (&self->counters_mutex);

  qsort (out, n, sizeof (char *), (GCompareFunc) g_strcmp0);
  return out;
}

guint
cp_sandbox_server_get_fault_count (CpSandboxServer *self,
                                   CpSandboxFault   fault)
{
  guint n;

  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (self), 0);
  g_return_val_if_fail (fault <= CP_SANDBOX_FAULT_MALFORMED, 0);

  g_mutex_lock (&self->counters_mutex);
  n = self->fault_counts[fault];
  g_mutex_unlock (&self->counters_mutex);
  return n;
}

gboolean
cp_sandbox_server_record_effect (CpSandboxServer *self,
                                 const char      *key)
{
  guint n;

  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  g_mutex_lock (&self->counters_mutex);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (self->effects, key));
  g_hash_table_replace (self->effects, g_strdup (key), GUINT_TO_POINTER (n + 1));
  g_mutex_unlock (&self->counters_mutex);
  return n == 0;
}

guint
cp_sandbox_server_get_effect_count (CpSandboxServer *self,
                                    const char      *key)
{
  guint n;

  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (self), 0);

  g_mutex_lock (&self->counters_mutex);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (self->effects, key));
  g_mutex_unlock (&self->counters_mutex);
  return n;
}

guint
cp_sandbox_server_get_n_distinct_effects (CpSandboxServer *self)
{
  guint n;

  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (self), 0);

  g_mutex_lock (&self->counters_mutex);
  n = g_hash_table_size (self->effects);
  g_mutex_unlock (&self->counters_mutex);
  return n;
}

guint
cp_sandbox_server_get_n_duplicate_effects (CpSandboxServer *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (self), 0);

  g_mutex_lock (&self->counters_mutex);
  g_hash_table_iter_init (&iter, self->effects);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += GPOINTER_TO_UINT (value) - 1;
  g_mutex_unlock (&self->counters_mutex);
  return n;
}

static int
compare_effect_lines (gconstpointer a,
                      gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char **
cp_sandbox_server_dup_duplicate_effects (CpSandboxServer *self)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (self), NULL);

  g_mutex_lock (&self->counters_mutex);
  g_hash_table_iter_init (&iter, self->effects);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) > 1)
      g_ptr_array_add (out, g_strdup_printf ("%s ×%u", (const char *) key,
                                             GPOINTER_TO_UINT (value)));
  g_mutex_unlock (&self->counters_mutex);

  g_ptr_array_sort (out, compare_effect_lines);
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

void
cp_sandbox_server_reset_counters (CpSandboxServer *self)
{
  g_return_if_fail (CP_IS_SANDBOX_SERVER (self));

  g_mutex_lock (&self->counters_mutex);
  g_hash_table_remove_all (self->requests);
  g_hash_table_remove_all (self->effects);
  self->n_requests = 0;
  memset (self->fault_counts, 0, sizeof self->fault_counts);
  g_mutex_unlock (&self->counters_mutex);
}

static void
cp_sandbox_server_finalize (GObject *object)
{
  CpSandboxServer *self = CP_SANDBOX_SERVER (object);

  cp_sandbox_server_stop (self);
  g_ptr_array_unref (self->platforms);
  cp_sandbox_faults_free (self->faults);
  g_clear_object (&self->tls_certificate);
  g_hash_table_unref (self->requests);
  g_hash_table_unref (self->effects);
  g_ptr_array_unref (self->delayed);
  g_clear_error (&self->start_error);
  g_mutex_clear (&self->start_mutex);
  g_cond_clear (&self->start_cond);
  g_mutex_clear (&self->counters_mutex);

  G_OBJECT_CLASS (cp_sandbox_server_parent_class)->finalize (object);
}

static void
cp_sandbox_server_class_init (CpSandboxServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cp_sandbox_server_finalize;
}

static void
cp_sandbox_server_init (CpSandboxServer *self)
{
  self->platforms = g_ptr_array_new_with_free_func (g_object_unref);
  self->faults = cp_sandbox_faults_new ();
  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->effects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->delayed = g_ptr_array_new_with_free_func ((GDestroyNotify) g_source_unref);
  g_mutex_init (&self->start_mutex);
  g_cond_init (&self->start_cond);
  g_mutex_init (&self->counters_mutex);
}

CpSandboxServer *
cp_sandbox_server_new (void)
{
  return g_object_new (CP_TYPE_SANDBOX_SERVER, NULL);
}
