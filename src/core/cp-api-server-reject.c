/* cp-api-server-reject.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the local API says no. An error found in the headers of a request
 * without a body is answered by libsoup as usual. An error found while a
 * body is still coming (too large, too deep, too slow) cannot be: libsoup
 * 3.2 reads the whole body before it writes any answer. So the connection
 * is taken from libsoup (soup_server_message_steal_connection), the answer
 * is written on it by hand, and the connection lingers for a moment,
 * reading and throwing away into one fixed buffer, so that a client still
 * sending can read the answer instead of a connection reset. Then it is
 * closed. Nothing of the refused body is kept.
 */

#define G_LOG_DOMAIN "cp-api-server"

#include "config.h"

#include "cp-api-server-private.h"

typedef struct
{
  CpApiServer  *server;
  GIOStream    *stream;
  GSocket      *socket;     /* under STREAM; drained raw, TLS or not */
  GBytes       *out;
  gsize         written;
  GSource      *io_source;
  GSource      *timeout_source;
  guint64       drained;
  guint8        buffer[16 * 1024];
} CpApiLinger;

static const char *
reason_phrase (guint status)
{
  switch (status)
    {
    case CP_API_STATUS_TOO_MANY_REQUESTS:
      return "Too Many Requests";
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      return "Payload Too Large";
    default:
      return NULL;
    }
}

void
cp_api_set_json (SoupServerMessage *msg,
                 guint              status,
                 JsonNode          *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, reason_phrase (status));
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

void
cp_api_set_error (SoupServerMessage *msg,
                  guint              status,
                  const char        *code,
                  const char        *message,
                  const char        *request_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "details");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "request_id");
  json_builder_add_string_value (builder, request_id);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  cp_api_set_json (msg, status, root);
}

/* Whether libsoup reads a body before it writes an answer. */
static gboolean
body_comes_first (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE)
    return FALSE;

  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_NONE:
      return FALSE;
    case SOUP_ENCODING_CONTENT_LENGTH:
      return soup_message_headers_get_content_length (headers) > 0;
    case SOUP_ENCODING_UNRECOGNIZED:
    case SOUP_ENCODING_EOF:
    case SOUP_ENCODING_CHUNKED:
    case SOUP_ENCODING_BYTERANGES:
    default:
      return TRUE;
    }
}

/* The status line, the headers and the body, as libsoup would write them. */
static GBytes *
format_response (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  g_autoptr(GString) out = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  guint status = soup_server_message_get_status (msg);
  const char *phrase = soup_server_message_get_reason_phrase (msg);

  soup_message_headers_set_content_length (headers, g_bytes_get_size (body));
  soup_message_headers_replace (headers, "Connection", "close");

  g_string_append_printf (out, "HTTP/1.1 %u %s\r\n", status,
                          phrase != NULL ? phrase : soup_status_get_phrase (status));
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (out, "%s: %s\r\n", name, value);
  g_string_append (out, "\r\n");
  g_string_append_len (out, g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  return g_string_free_to_bytes (g_steal_pointer (&out));
}

static void
linger_free (CpApiLinger *linger)
{
  if (linger->io_source != NULL)
    {
      g_source_destroy (linger->io_source);
      g_source_unref (linger->io_source);
    }
  if (linger->timeout_source != NULL)
    {
      g_source_destroy (linger->timeout_source);
      g_source_unref (linger->timeout_source);
    }
  /* The socket first: closing a TLS stream on an open socket would try
   * to send close_notify to a client that may not be reading. */
  if (linger->socket != NULL)
    g_socket_close (linger->socket, NULL);
  if (linger->stream != NULL)
    g_io_stream_close (linger->stream, NULL, NULL);
  g_clear_object (&linger->socket);
  g_clear_object (&linger->stream);
  g_clear_pointer (&linger->out, g_bytes_unref);
  g_free (linger);
}

static void
linger_finish (CpApiLinger *linger)
{
  if (linger->server != NULL)
    g_ptr_array_remove_fast (linger->server->lingering, linger);
  linger_free (linger);
}

static void linger_step (CpApiLinger *linger);

static gboolean
on_linger_ready (gpointer data)
{
  CpApiLinger *linger = data;

  g_clear_pointer (&linger->io_source, g_source_unref);
  linger_step (linger);
  return G_SOURCE_REMOVE;
}

static gboolean
on_linger_socket_ready (GSocket      *socket,
                        GIOCondition  condition,
                        gpointer      data)
{
  return on_linger_ready (data);
}

static gboolean
on_linger_timeout (gpointer data)
{
  CpApiLinger *linger = data;

  g_clear_pointer (&linger->timeout_source, g_source_unref);
  linger_finish (linger);
  return G_SOURCE_REMOVE;
}

static void
linger_wait (CpApiLinger *linger,
             GSource     *source)
{
  linger->io_source = source;
  g_source_attach (source, linger->server != NULL ? linger->server->context : NULL);
}

/* Writes what is left of the answer, then drains, without ever blocking
 * the server's main context. */
static void
linger_step (CpApiLinger *linger)
{
  GOutputStream *out = g_io_stream_get_output_stream (linger->stream);
  gsize size = g_bytes_get_size (linger->out);

  while (linger->written < size)
    {
      g_autoptr(GError) error = NULL;
      gssize n;

      n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (out),
                                                      (const guint8 *) g_bytes_get_data (linger->out, NULL) + linger->written,
                                                      size - linger->written, NULL, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          GSource *source = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (out), NULL);

          g_source_set_callback (source, on_linger_ready, linger, NULL);
          linger_wait (linger, source);
          return;
        }
      if (n < 0)
        {
          linger_finish (linger);
          return;
        }
      linger->written += (gsize) n;
      if (linger->written == size)
        {
          g_output_stream_flush (out, NULL, NULL);
          /* On plain HTTP, say "that was all" so the client reads the
           * answer and stops; TLS would need a close_notify for that. */
          if (linger->socket != NULL && !G_IS_TLS_CONNECTION (linger->stream) &&
              !(linger->server != NULL && linger->server->tls))
            g_socket_shutdown (linger->socket, FALSE, TRUE, NULL);
        }
    }

  if (linger->socket == NULL)
    {
      linger_finish (linger);
      return;
    }

  /* Drain, a bounded amount per turn of the main loop. */
  for (guint turn = 0;; turn++)
    {
      g_autoptr(GError) error = NULL;
      gssize n;

      if (turn == 64)
        {
          GSource *source = g_idle_source_new ();

          g_source_set_callback (source, on_linger_ready, linger, NULL);
          linger_wait (linger, source);
          return;
        }

      n = g_socket_receive_with_blocking (linger->socket, (char *) linger->buffer,
                                          sizeof linger->buffer, FALSE, NULL, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          GSource *source = g_socket_create_source (linger->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);

          g_source_set_callback (source, G_SOURCE_FUNC (on_linger_socket_ready), linger, NULL);
          linger_wait (linger, source);
          return;
        }
      if (n <= 0)
        break;                  /* the client closed, or reset */
      linger->drained += (guint64) n;
      if (linger->drained > CP_API_LINGER_BYTES)
        break;                  /* it keeps sending: enough */
    }

  linger_finish (linger);
}

/* The GSocket under a stream libsoup gave up: libsoup 3.2 hangs it on the
 * stream as "GSocket"; a plain GSocketConnection has it itself. */
static GSocket *
socket_of (GIOStream *stream)
{
  GSocket *socket = g_object_get_data (G_OBJECT (stream), "GSocket");

  if (socket == NULL && G_IS_SOCKET_CONNECTION (stream))
    socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream));
  return socket != NULL ? g_object_ref (socket) : NULL;
}

/* Takes REQ's connection from libsoup. REQ stays valid while the caller
 * holds a reference on its message, but no longer belongs to the server. */
static GIOStream *
steal (CpApiRequest *req)
{
  if (req->server != NULL)
    g_hash_table_remove (req->server->requests, req->msg);
  req->server = NULL;
  return soup_server_message_steal_connection (req->msg);
}

static void
write_and_linger (CpApiRequest *req)
{
  CpApiServer *server = req->server;
  g_autoptr(SoupServerMessage) msg = g_object_ref (req->msg);
  g_autoptr(GBytes) out = format_response (msg);
  g_autoptr(GIOStream) stream = NULL;
  CpApiLinger *linger;

  stream = steal (req);
  if (stream == NULL)
    return;

  linger = g_new0 (CpApiLinger, 1);
  linger->server = server;
  linger->stream = g_steal_pointer (&stream);
  linger->socket = socket_of (linger->stream);
  linger->out = g_steal_pointer (&out);
  g_ptr_array_add (server->lingering, linger);

  linger->timeout_source = g_timeout_source_new ((guint) (CP_API_LINGER_US / 1000));
  g_source_set_callback (linger->timeout_source, on_linger_timeout, linger, NULL);
  g_source_attach (linger->timeout_source, server->context);

  linger_step (linger);
}

void
cp_api_reject (CpApiRequest *req,
               guint         status,
               const char   *code,
               const char   *message)
{
  req->rejected = TRUE;
  /* What was read of the body goes at once. */
  g_clear_pointer (&req->chunks, g_ptr_array_unref);
  g_clear_pointer (&req->scanner, cp_json_limits_scanner_free);

  cp_api_set_error (req->msg, status, code, message, req->request_id);
  g_debug ("%s: %u %s", req->request_id, status, code);

  if (req->in_headers && !body_comes_first (req->msg))
    return;                     /* libsoup writes it, reading no body */

  write_and_linger (req);
}

void
cp_api_drop_connection (CpApiRequest *req)
{
  g_autoptr(SoupServerMessage) msg = g_object_ref (req->msg);
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GSocket) socket = NULL;

  req->rejected = TRUE;
  stream = steal (req);
  if (stream == NULL)
    return;
  socket = socket_of (stream);
  if (socket != NULL)
    g_socket_close (socket, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

void
cp_api_linger_cancel_all (CpApiServer *self)
{
  while (self->lingering->len > 0)
    {
      CpApiLinger *linger = g_ptr_array_steal_index_fast (self->lingering, 0);

      linger->server = NULL;
      linger_free (linger);
    }
}
