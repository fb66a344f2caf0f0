/* test-api-fixture.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "cp-integrations.h"
#include "cp-sql.h"
#include "test-api-fixture.h"

static gpointer
server_thread (gpointer data)
{
  ApiFixture *f = data;
  g_autoptr(CpApiServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cert_path = NULL;

  g_main_context_push_thread_default (f->context);

  server = cp_api_server_new (f->ledger_path, f->engine);
  g_object_set (server,
                "idle-timeout", f->idle_timeout,
                "total-timeout", f->total_timeout,
                "max-body-bytes", f->max_body_bytes,
                NULL);
  if (f->tls_certificate != NULL)
    {
      cert_path = g_build_filename (f->dir, "tls.pem", NULL);
      g_assert_true (g_file_set_contents (cert_path, f->tls_certificate, -1, NULL));
      cp_api_server_set_tls_files (server, cert_path, NULL);
    }

  g_mutex_lock (&f->mutex);
  if (cp_api_server_listen (server, "127.0.0.1:0", &error))
    {
      f->port = cp_api_server_get_port (server);
      f->base_url = cp_api_server_dup_base_url (server);
      f->server = server;
    }
  else
    f->listen_error = g_steal_pointer (&error);
  f->ready = TRUE;
  g_cond_signal (&f->cond);
  g_mutex_unlock (&f->mutex);

  if (f->listen_error == NULL)
    g_main_loop_run (f->loop);

  f->server = NULL;
  cp_api_server_stop (server);
  g_clear_object (&server);
  g_main_context_pop_thread_default (f->context);
  return NULL;
}

void
api_fixture_start (ApiFixture *f)
{
  g_assert_null (f->thread);

  f->context = g_main_context_new ();
  f->loop = g_main_loop_new (f->context, FALSE);
  f->ready = FALSE;
  f->thread = g_thread_new ("api-server", server_thread, f);

  g_mutex_lock (&f->mutex);
  while (!f->ready)
    g_cond_wait (&f->cond, &f->mutex);
  g_mutex_unlock (&f->mutex);

  g_assert_no_error (f->listen_error);
  g_assert_cmpuint (f->port, >, 0);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
api_fixture_stop (ApiFixture *f)
{
  if (f->thread == NULL)
    return;

  g_main_context_invoke (f->context, quit_cb, f->loop);
  g_thread_join (g_steal_pointer (&f->thread));
  g_clear_pointer (&f->loop, g_main_loop_unref);
  g_clear_pointer (&f->context, g_main_context_unref);
  g_clear_pointer (&f->base_url, g_free);
  g_clear_error (&f->listen_error);
  f->port = 0;
}

void
api_fixture_set_up (ApiFixture    *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("cp-api-XXXXXX", &error);
  g_assert_no_error (error);
  f->ledger_path = g_build_filename (f->dir, "ledger.sqlite3", NULL);
  f->ledger = cp_ledger_open (f->ledger_path, &error);
  g_assert_no_error (error);

  f->integration_id = cp_integrations_add (f->ledger, "ecomv2", "Web shop",
                                           "http://127.0.0.1:9/v2", NULL, &error);
  g_assert_no_error (error);

  f->idle_timeout = CP_API_SERVER_DEFAULT_IDLE_TIMEOUT;
  f->total_timeout = CP_API_SERVER_DEFAULT_TOTAL_TIMEOUT;
  f->max_body_bytes = CP_API_SERVER_DEFAULT_MAX_BODY_BYTES;
  g_mutex_init (&f->mutex);
  g_cond_init (&f->cond);
  f->session = soup_session_new ();
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

void
api_fixture_tear_down (ApiFixture    *f,
                       gconstpointer  data)
{
  api_fixture_stop (f);
  g_clear_object (&f->session);
  g_clear_object (&f->engine);
  g_clear_object (&f->ledger);
  remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->ledger_path);
  g_free (f->integration_id);
  g_mutex_clear (&f->mutex);
  g_cond_clear (&f->cond);
}

char *
api_fixture_new_key (ApiFixture *f,
                     const char *scopes)
{
  g_auto(GStrv) list = g_strsplit (scopes, ",", -1);
  g_autoptr(CpApiKey) key = NULL;
  g_autoptr(GError) error = NULL;
  char *secret = NULL;

  key = cp_api_keys_create (f->ledger, "test", (const char * const *) list, &secret, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  return secret;
}

void
api_response_free (ApiResponse *r)
{
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_clear_object (&r->parser);
  g_free (r->body);
  g_free (r);
}

static gboolean
accept_any_certificate (SoupMessage          *msg,
                        GTlsCertificate      *certificate,
                        GTlsCertificateFlags  errors,
                        gpointer              data)
{
  return TRUE;
}

ApiResponse *
api_request (ApiFixture *f,
             const char *method,
             const char *path,
             const char *key,
             const char *body,
             gsize       body_len)
{
  g_autofree char *url = g_strconcat (f->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  ApiResponse *r = g_new0 (ApiResponse, 1);
  gsize size;

  g_assert_nonnull (msg);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);
  if (key != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", key, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, body_len);

      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }

  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);

  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  r->body = g_strndup (g_bytes_get_data (bytes, &size), g_bytes_get_size (bytes));
  r->parser = json_parser_new ();
  if (size > 0 && json_parser_load_from_data (r->parser, r->body, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (r->parser)))
    r->root = json_node_get_object (json_parser_get_root (r->parser));
  return r;
}

void
api_assert_error (ApiResponse *r,
                  guint        status,
                  const char  *code)
{
  JsonObject *error;
  const char *request_id = soup_message_headers_get_one (r->headers, "X-Request-Id");

  g_assert_cmpuint (r->status, ==, status);
  g_assert_nonnull (r->root);
  g_assert_true (json_object_has_member (r->root, "error"));
  error = json_object_get_object_member (r->root, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  g_assert_cmpuint (strlen (json_object_get_string_member (error, "message")), >, 10);
  g_assert_nonnull (json_object_get_array_member (error, "details"));
  g_assert_nonnull (request_id);
  g_assert_true (g_str_has_prefix (request_id, "req_"));
  g_assert_cmpstr (json_object_get_string_member (error, "request_id"), ==, request_id);
}

gint64
api_assert_rate_headers (ApiResponse *r)
{
  const char *limit = soup_message_headers_get_one (r->headers, "X-RateLimit-Limit");
  const char *remaining = soup_message_headers_get_one (r->headers, "X-RateLimit-Remaining");
  const char *reset = soup_message_headers_get_one (r->headers, "X-RateLimit-Reset");
  gint64 now_s = g_get_real_time () / G_USEC_PER_SEC;
  gint64 value;

  g_assert_cmpstr (limit, ==, "60");
  g_assert_nonnull (remaining);
  g_assert_nonnull (reset);
  g_assert_true (g_ascii_string_to_signed (reset, 10, now_s - 5, now_s + 3600, &value, NULL));
  g_assert_true (g_ascii_string_to_signed (remaining, 10, 0, 60, &value, NULL));
  return value;
}

GSocketConnection *
api_connect (ApiFixture *f)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *conn;

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) f->port, NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (g_socket_connection_get_socket (conn), 30);
  return conn;
}

void
api_send_all (GSocketConnection *conn,
              const char        *data,
              gsize              len)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)),
                             data, len, NULL, NULL, &error);
  g_assert_no_error (error);
}

guint
api_read_response (GSocketConnection *conn,
                   char             **out_text)
{
  GSocket *socket = g_socket_connection_get_socket (conn);
  g_autoptr(GString) text = g_string_new (NULL);
  const char *end;
  gint64 length = 0;
  guint status = 0;
  char buf[4096];

  /* Headers first, then as much body as Content-Length says. */
  while ((end = strstr (text->str, "\r\n\r\n")) == NULL)
    {
      gssize n = g_socket_receive (socket, buf, sizeof buf, NULL, NULL);

      if (n <= 0)
        break;
      g_string_append_len (text, buf, n);
    }

  if (end != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (text->str, end - text->str);
      const char *cl = strstr (lower, "\r\ncontent-length:");
      gsize header_len = end + 4 - text->str;

      if (cl != NULL)
        length = g_ascii_strtoll (cl + strlen ("\r\ncontent-length:"), NULL, 10);
      while (text->len < header_len + length)
        {
          gssize n = g_socket_receive (socket, buf, sizeof buf, NULL, NULL);

          if (n <= 0)
            break;
          g_string_append_len (text, buf, n);
        }
      if (g_str_has_prefix (text->str, "HTTP/1.1 "))
        status = (guint) g_ascii_strtoull (text->str + 9, NULL, 10);
    }

  if (out_text != NULL)
    *out_text = g_strdup (text->str);
  return status;
}

gboolean
api_wait_closed (GSocketConnection *conn,
                 GString           *out_text)
{
  GSocket *socket = g_socket_connection_get_socket (conn);
  char buf[4096];

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (socket, buf, sizeof buf, NULL, &error);

      if (n == 0)
        return TRUE;
      if (n < 0)
        /* A reset is a close too; the 30 s guard running out is not. */
        return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
      if (out_text != NULL)
        g_string_append_len (out_text, buf, n);
    }
}

gint64
api_proc_status_kb (const char *field)
{
  g_autofree char *status = NULL;
  g_autofree char *key = g_strconcat ("\n", field, ":", NULL);
  const char *at;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  at = strstr (status, key);
  g_assert_nonnull (at);
  return g_ascii_strtoll (at + strlen (key), NULL, 10);
}

gboolean
api_reset_peak_rss (void)
{
  int fd = open ("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = write (fd, "5", 1) == 1;
  close (fd);
  return ok;
}

char *
api_ledger_fingerprint (ApiFixture *f)
{
  static const char * const tables[] = {
    "api_keys", "integrations", "integration_permissions", "integration_mappings",
    "integration_cursors", "outbox_jobs", "activity", "orders", "stock_levels", "stock_movements", "settings",
  };
  g_autoptr(GString) out = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", tables[i]);

      g_string_append_printf (out, "%s=%" G_GINT64_FORMAT " ", tables[i],
                              cp_sql_query_int (f->ledger, sql, -1));
    }
  g_string_append_printf (out, "last_used=%" G_GINT64_FORMAT " ",
                          cp_sql_query_int (f->ledger,
                                            "SELECT coalesce(sum(last_used_at), 0) FROM api_keys", -1));
  g_string_append_printf (out, "integrations_changed=%" G_GINT64_FORMAT " ",
                          cp_sql_query_int (f->ledger,
                                            "SELECT coalesce(sum(updated_at), 0) FROM integrations", -1));
  /* Changes when any other connection (the server's) commits. */
  g_string_append_printf (out, "data_version=%" G_GINT64_FORMAT, cp_ledger_data_version (f->ledger));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
api_sync_request_head (ApiFixture *f,
                   const char *key,
                   const char *extra_headers)
{
  return g_strdup_printf ("POST /api/v1/integrations/%s/sync HTTP/1.1\r\n"
                          "Host: 127.0.0.1\r\n"
                          "Authorization: Bearer %s\r\n"
                          "Content-Type: application/json\r\n"
                          "%s"
                          "\r\n",
                          f->integration_id, key, extra_headers);
}

/* One chunk of a chunked body: API_FRAME_DATA bytes of a JSON string's
 * inside, so only the size limit can object. */
char *
api_make_frame (gsize *out_len)
{
  g_autofree char *size_line = g_strdup_printf ("%x\r\n", API_FRAME_DATA);
  gsize len = strlen (size_line) + API_FRAME_DATA + 2;
  char *frame = g_malloc (len);

  memcpy (frame, size_line, strlen (size_line));
  memset (frame + strlen (size_line), 'a', API_FRAME_DATA);
  memcpy (frame + len - 2, "\r\n", 2);
  *out_len = len;
  return frame;
}

/* Streams up to TOTAL bytes of a chunked body, stopping as soon as an
 * answer can be read (or the server stops taking bytes). Returns the
 * status of the answer; *OUT_SENT is how much of the body went out. */
guint
api_stream_chunked (ApiFixture  *f,
                const char  *key,
                const char  *frame,
                gsize        frame_len,
                guint64      total,
                guint64     *out_sent,
                char       **out_text)
{
  g_autoptr(GSocketConnection) conn = api_connect (f);
  GSocket *socket = g_socket_connection_get_socket (conn);
  g_autofree char *head = api_sync_request_head (f, key, "Transfer-Encoding: chunked\r\n");
  guint64 sent = 0;

  api_send_all (conn, head, strlen (head));
  api_send_all (conn, "3\r\n\"aa\r\n", 8);      /* the string's opening quote */

  while (sent < total)
    {
      gsize done = 0;

      if (g_socket_condition_check (socket, G_IO_IN | G_IO_HUP | G_IO_ERR) != 0)
        break;

      while (done < frame_len)
        {
          gssize n = g_socket_send (socket, frame + done, frame_len - done, NULL, NULL);

          if (n <= 0)
            goto answered;              /* the server closed: its answer is waiting */
          done += (gsize) n;
        }
      sent += API_FRAME_DATA;
    }

answered:
  *out_sent = sent;
  return api_read_response (conn, out_text);
}

void
api_assert_error_text (const char *text,
                   guint       status,
                   const char *code)
{
  g_autofree char *status_line = g_strdup_printf ("HTTP/1.1 %u ", status);
  g_autofree char *code_field = g_strdup_printf ("\"code\":\"%s\"", code);

  g_assert_true (g_str_has_prefix (text, status_line));
  g_assert_nonnull (strstr (text, code_field));
  g_assert_nonnull (strstr (text, "\"request_id\":\"req_"));
  g_assert_nonnull (strstr (text, "X-Request-Id: req_"));
  g_assert_nonnull (strstr (text, "X-RateLimit-Remaining: "));
}
