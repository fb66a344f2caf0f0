/* test-cli-sandbox.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `counterpart-cli sandbox serve` as another tool would use it: start it,
 * read the address it prints, talk HTTP to it, stop it with SIGTERM.
 */

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <string.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

static const char *cli_path;

typedef struct
{
  GSubprocess *proc;
  JsonObject  *info;    /* the --json document it printed first */
  JsonParser  *parser;
} Served;

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
served_start (Served             *s,
              const char * const *extra)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GString) doc = g_string_new (NULL);

  g_ptr_array_add (args, (char *) cli_path);
  g_ptr_array_add (args, (char *) "--json");
  g_ptr_array_add (args, (char *) "sandbox");
  g_ptr_array_add (args, (char *) "serve");
  for (guint i = 0; extra[i] != NULL; i++)
    g_ptr_array_add (args, (char *) extra[i]);
  g_ptr_array_add (args, NULL);

  /* A failed assertion aborts this process: the server must not outlive it. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  s->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);

  /* The document is pretty-printed; it ends with a "}" line, and the
   * process keeps running after it. */
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->proc));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_string_append (doc, line);
      if (g_str_equal (line, "}"))
        break;
    }

  s->parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (s->parser, doc->str, -1, &error));
  g_assert_no_error (error);
  s->info = json_node_get_object (json_parser_get_root (s->parser));
}

static void
served_stop (Served *s)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (s->proc, SIGTERM);
  g_assert_true (g_subprocess_wait (s->proc, NULL, &error));
  g_assert_no_error (error);
  /* a clean stop is a successful run */
  g_assert_true (g_subprocess_get_if_exited (s->proc));
  g_assert_cmpint (g_subprocess_get_exit_status (s->proc), ==, 0);
  g_clear_object (&s->proc);
  g_clear_object (&s->parser);
}

static guint
get (const char *url,
     const char *key,
     GBytes    **out_body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;

  if (key != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", key, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  *out_body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

static void
test_serve (void)
{
  Served s = { 0 };
  const char *extra[] = { "--port", "0", "--faults", "seed=1", NULL };
  g_autofree char *url = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) unauth = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *base, *key;
  gint64 port;

  served_start (&s, extra);
  g_assert_cmpstr (json_object_get_string_member (s.info, "platform"), ==, "ecomv2");
  g_assert_cmpstr (json_object_get_string_member (s.info, "faults"), ==, "seed=1");
  port = json_object_get_int_member (s.info, "port");
  g_assert_cmpint (port, >, 0);
  base = json_object_get_string_member (s.info, "base_url");
  g_assert_true (g_str_has_prefix (base, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (base, "/ecomv2/v2"));
  key = json_object_get_string_member (s.info, "api_key");

  url = g_strconcat (base, "/products?limit=2", NULL);
  g_assert_cmpuint (get (url, key, &body), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                             g_bytes_get_size (body), NULL));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (json_parser_get_root (parser)), "data")), ==, 2);
  g_assert_cmpuint (get (url, NULL, &unauth), ==, 401);

  /* A second server on the same port fails and says what to do. */
  {
    g_autofree char *port_text = g_strdup_printf ("%" G_GINT64_FORMAT, port);
    g_autoptr(GSubprocess) again = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    again = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              cli_path, "sandbox", "serve", "--port", port_text, NULL);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_communicate_utf8 (again, NULL, NULL, &out, &err, &error));
    g_assert_cmpint (g_subprocess_get_exit_status (again), ==, 1);
    g_assert_nonnull (strstr (err, port_text));
    g_assert_nonnull (strstr (err, "--port"));
    g_assert_cmpstr (out, ==, "");
  }

  served_stop (&s);
}

static void
test_serve_faults (void)
{
  Served s = { 0 };
  const char *extra[] = { "--faults", "5xx=1", NULL };
  g_autofree char *url = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;
  guint status;

  served_start (&s, extra);
  url = g_strconcat (json_object_get_string_member (s.info, "base_url"), "/products", NULL);
  status = get (url, json_object_get_string_member (s.info, "api_key"), &body);
  g_assert_true (status == 500 || status == 503);
  /* GBytes from libsoup are not NUL-terminated: search a terminated copy. */
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_assert_nonnull (strstr (text, "\"server_error\""));
  served_stop (&s);
}

static void
test_bad_arguments (void)
{
  const struct { const char *args[4]; const char *message; } cases[] = {
    { { "--faults", "5xx=lots" }, "Invalid fault spec “5xx=lots”" },
    { { "--faults", "jitter=1" }, "unknown fault" },
    { { "--platform", "nowhere" }, "no sandbox for the platform “nowhere”" },
    { { "--port", "70000" }, "not a number from 0 to 65535" },
    { { "extra" }, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_ptr_array_add (args, (char *) cli_path);
      g_ptr_array_add (args, (char *) "sandbox");
      g_ptr_array_add (args, (char *) "serve");
      for (guint k = 0; k < G_N_ELEMENTS (cases[i].args) && cases[i].args[k]; k++)
        g_ptr_array_add (args, (char *) cases[i].args[k]);
      g_ptr_array_add (args, NULL);

      proc = g_subprocess_newv ((const char * const *) args->pdata,
                                G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error));
      g_assert_no_error (error);
      /* a usage error: exit 2, the reason on stderr, nothing on stdout */
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
      g_assert_nonnull (strstr (err, cases[i].message));
      g_assert_cmpstr (out, ==, "");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  cli_path = argc > 1 ? argv[1] : g_getenv ("CP_CLI");
  g_assert_nonnull (cli_path);

  g_test_add_func ("/cli/sandbox/serve", test_serve);
  g_test_add_func ("/cli/sandbox/serve-faults", test_serve_faults);
  g_test_add_func ("/cli/sandbox/bad-arguments", test_bad_arguments);

  return g_test_run ();
}
