/* test-cli-api-keys.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `api-keys create/list/revoke` and `serve` as scripts use them: the
 * --json shapes of shared/CLI.md, the exit codes, the secret shown once
 * and never stored, and a running `serve` answering over HTTP.
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <libsoup/soup.h>

#include "cli-fixture.h"

static const char *cli_path;

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize len;
  gsize needle_len = strlen (needle);

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  for (gsize i = 0; i + needle_len <= len; i++)
    if (memcmp (data + i, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

/* Creates a key and returns its secret; *OUT_ID gets its id. */
static char *
create_key (Fixture     *f,
            const char  *name,
            const char  *scopes,
            char       **out_id)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *key;

  g_assert_cmpint (RUN (f, "--json", "api-keys", "create", name, "--scopes", scopes), ==, 0);
  node = parse_out (f);
  key = root_object (node);
  if (out_id != NULL)
    *out_id = g_strdup (json_object_get_string_member (key, "id"));
  return g_strdup (json_object_get_string_member (key, "secret"));
}

static void
test_create_shape (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *wal = NULL;
  JsonObject *key;
  JsonArray *scopes;
  const char *secret;

  init_ledger (f);
  g_assert_cmpint (RUN (f, "--json", "api-keys", "create", "Website widget",
                        "--scopes", "orders.read, integrations.read"), ==, 0);
  node = parse_out (f);
  key = root_object (node);

  /* CLI.md: id, name, scopes, secret. */
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (key, "id")));
  g_assert_cmpuint (strlen (json_object_get_string_member (key, "id")), ==, 12);
  g_assert_cmpstr (json_object_get_string_member (key, "name"), ==, "Website widget");
  scopes = json_object_get_array_member (key, "scopes");
  g_assert_cmpuint (json_array_get_length (scopes), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (scopes, 0), ==, "integrations.read");
  g_assert_cmpstr (json_array_get_string_element (scopes, 1), ==, "orders.read");
  secret = json_object_get_string_member (key, "secret");
  g_assert_true (g_str_has_prefix (secret, "cpk_"));
  g_assert_cmpstr (f->err, ==, "");

  /* Stored only as a hash. */
  wal = g_strconcat (f->ledger, "-wal", NULL);
  g_assert_false (file_contains (f->ledger, secret));
  g_assert_false (file_contains (wal, secret));
  g_assert_false (file_contains (f->ledger, secret + 17));
  g_assert_false (file_contains (wal, secret + 17));

  /* Never again: not in the list, in no shape. */
  g_assert_cmpint (RUN (f, "--json", "api-keys", "list"), ==, 0);
  g_assert_null (strstr (f->out, secret + 17));
  g_assert_null (strstr (f->out, "\"secret\""));
  g_assert_cmpint (RUN (f, "api-keys", "list"), ==, 0);
  g_assert_null (strstr (f->out, secret + 17));
}

static void
test_create_human (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(GStrv) lines = NULL;

  init_ledger (f);
  g_assert_cmpint (RUN (f, "api-keys", "create", "Script", "--scopes", "integrations.sync"), ==, 0);
  g_assert_nonnull (strstr (f->out, "only now"));
  lines = g_strsplit (g_strstrip (f->out), "\n", -1);
  g_assert_true (g_str_has_prefix (lines[g_strv_length (lines) - 1], "cpk_"));

  /* --quiet: the secret alone, for $(…) in scripts. */
  g_assert_cmpint (RUN (f, "--quiet", "api-keys", "create", "Quiet", "--scopes", "integrations.read"), ==, 0);
  g_assert_true (g_str_has_prefix (f->out, "cpk_"));
  g_assert_cmpuint (strlen (f->out), ==, 4 + 12 + 1 + 64 + 1);
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  init_ledger (f);

  g_assert_cmpint (RUN (f, "api-keys", "create", "No scopes"), ==, 2);
  g_assert_nonnull (strstr (f->err, "--scopes"));
  g_assert_nonnull (strstr (f->err, "integrations.read"));

  g_assert_cmpint (RUN (f, "api-keys", "create", "Bad", "--scopes", "integrations.read,everything"), ==, 2);
  g_assert_nonnull (strstr (f->err, "everything"));
  g_assert_nonnull (strstr (f->err, "webhooks.write"));

  g_assert_cmpint (RUN (f, "api-keys", "create", "--scopes", "orders.read"), ==, 2);
  g_assert_cmpint (RUN (f, "api-keys", "create", " ", "--scopes", "orders.read"), ==, 2);
  g_assert_cmpint (RUN (f, "api-keys", "revoke"), ==, 2);
  g_assert_cmpint (RUN (f, "api-keys"), ==, 2);

  /* Nothing was created by any of those. */
  g_assert_cmpint (RUN (f, "--json", "api-keys", "list"), ==, 0);
  {
    g_autoptr(JsonNode) node = parse_out (f);

    g_assert_cmpuint (json_array_get_length (data_array (node)), ==, 0);
  }
}

static void
test_list_and_revoke (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) revoked = NULL;
  JsonObject *row;

  init_ledger (f);
  secret = create_key (f, "Widget", "integrations.read", &id);

  g_assert_cmpint (RUN (f, "--json", "api-keys", "list"), ==, 0);
  list = parse_out (f);
  g_assert_cmpuint (json_array_get_length (data_array (list)), ==, 1);
  row = first_row (list);
  g_assert_cmpstr (json_object_get_string_member (row, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (row, "name"), ==, "Widget");
  g_assert_cmpstr (json_object_get_string_member (row, "state"), ==, "active");
  g_assert_true (json_object_get_null_member (row, "last_used_at"));
  g_assert_true (json_object_get_null_member (row, "revoked_at"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (row, "created_at"), "Z"));

  g_assert_cmpint (RUN (f, "--json", "api-keys", "revoke", id), ==, 0);
  revoked = parse_out (f);
  g_assert_cmpstr (json_object_get_string_member (root_object (revoked), "state"), ==, "revoked");

  g_assert_cmpint (RUN (f, "--json", "api-keys", "list"), ==, 0);
  after = parse_out (f);
  row = first_row (after);
  g_assert_cmpstr (json_object_get_string_member (row, "state"), ==, "revoked");
  g_assert_false (json_object_get_null_member (row, "revoked_at"));

  /* Again: still revoked, not an error. An unknown id is. */
  g_assert_cmpint (RUN (f, "api-keys", "revoke", id), ==, 0);
  g_assert_cmpint (RUN (f, "api-keys", "revoke", "000000000000"), ==, 1);
  g_assert_nonnull (strstr (f->err, "api-keys list"));
}

static void
test_needs_a_ledger (Fixture       *f,
                     gconstpointer  data)
{
  g_assert_cmpint (RUN (f, "api-keys", "list"), ==, 1);
  g_assert_nonnull (strstr (f->err, "init"));
  g_assert_cmpint (RUN (f, "serve"), ==, 1);
  g_assert_false (g_file_test (f->ledger, G_FILE_TEST_EXISTS));
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static guint
http_get (const char  *url,
          const char  *key,
          char       **out_body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  if (key != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", key, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return soup_message_get_status (msg);
}

static void
serve_and_check (Fixture  *f,
                 gboolean  sandbox)
{
  g_autofree char *key = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GString) doc = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *xdg = g_build_filename (f->dir, "xdg", NULL);
  g_autofree char *err_path = g_build_filename (f->dir, "serve.err", NULL);
  g_autofree char *health_url = NULL;
  g_autofree char *list_url = NULL;
  g_autofree char *body = NULL;
  JsonObject *info;
  const char *url;

  if (sandbox)
    {
      /* The sandbox's own ledger (under XDG_DATA_HOME), demo shop and all. */
      g_assert_cmpint (run_argv (f, FALSE, NULL, (const char *[]) { "--sandbox", "--json", "api-keys", "create",
                                                                    "Monitor", "--scopes",
                                                                    "integrations.read", NULL }), ==, 0);
      {
        g_autoptr(JsonNode) node = parse_out (f);

        key = g_strdup (json_object_get_string_member (root_object (node), "secret"));
      }
    }
  else
    {
      init_ledger (f);
      key = create_key (f, "Monitor", "integrations.read", NULL);
    }

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", xdg, TRUE);
  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  /* A failed assertion aborts this process: the server must not outlive it. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  if (sandbox)
    proc = g_subprocess_launcher_spawn (launcher, &error, cli_path, "--json", "--sandbox",
                                        "serve", "--listen", "127.0.0.1:0", NULL);
  else
    proc = g_subprocess_launcher_spawn (launcher, &error, cli_path, "--json", "--data-dir", f->data_dir,
                                        "serve", "--listen", "127.0.0.1:0", NULL);
  g_assert_no_error (error);

  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        {
          g_autofree char *err = NULL;

          g_assert_true (g_subprocess_wait (proc, NULL, NULL));
          g_file_get_contents (err_path, &err, NULL, NULL);
          /* The sandbox keeps its test store's key in the keyring. */
          if (sandbox && err != NULL && strstr (err, "Secret Service") != NULL &&
              g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") != 0)
            {
              g_test_skip_printf ("No Secret Service for the sandbox's store; run under "
                                  "build-aux/test-session.sh (%s)", err);
              return;
            }
          g_error ("serve stopped before saying where it listens:\n%s", err != NULL ? err : "");
        }
      g_string_append (doc, line);
      if (g_str_equal (line, "}"))
        break;
    }
  g_assert_true (json_parser_load_from_data (parser, doc->str, -1, &error));
  info = json_node_get_object (json_parser_get_root (parser));
  url = json_object_get_string_member (info, "url");
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (url, "/api/v1"));
  g_assert_cmpint (json_object_get_int_member (info, "port"), >, 0);
  g_assert_false (json_object_get_boolean_member (info, "tls"));

  health_url = g_strconcat (url, "/health", NULL);
  g_assert_cmpuint (http_get (health_url, NULL, &body), ==, 200);
  g_assert_nonnull (strstr (body, "\"status\":\"ok\""));
  /* serve runs the engine too. */
  g_assert_nonnull (strstr (body, "\"engine\":\"running\""));
  g_clear_pointer (&body, g_free);

  list_url = g_strconcat (url, "/integrations", NULL);
  g_assert_cmpuint (http_get (list_url, key, &body), ==, 200);
  g_assert_true (g_str_has_prefix (body, "{\"data\":["));
  /* The sandbox has its demo store connected; a new ledger has none. */
  g_assert_true ((strstr (body, "\"provider\":\"ecomv2\"") != NULL) == sandbox);
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (http_get (list_url, NULL, &body), ==, 401);
  g_assert_nonnull (strstr (body, "\"request_id\""));

  /* SIGTERM is a clean stop. */
  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
}

static void
test_serve (Fixture       *f,
            gconstpointer  data)
{
  serve_and_check (f, FALSE);
}

static void
test_serve_sandbox (Fixture       *f,
                    gconstpointer  data)
{
  serve_and_check (f, TRUE);
}

static void
test_serve_refuses_lan_without_tls (Fixture       *f,
                                    gconstpointer  data)
{
  init_ledger (f);

  g_assert_cmpint (RUN (f, "serve", "--listen", "0.0.0.0:8787"), ==, 2);
  g_assert_nonnull (strstr (f->err, "TLS"));
  g_assert_nonnull (strstr (f->err, "--tls-certificate"));

  g_assert_cmpint (RUN (f, "serve", "--listen", "8787"), ==, 2);
  g_assert_nonnull (strstr (f->err, "127.0.0.1:8787"));

  g_assert_cmpint (RUN (f, "serve", "--tls-key", "key.pem"), ==, 2);

  /* A certificate that is not one fails, and says which file. */
  g_assert_cmpint (RUN (f, "serve", "--listen", "127.0.0.1:0", "--tls-certificate", "/nonexistent.pem"), ==, 1);
  g_assert_nonnull (strstr (f->err, "/nonexistent.pem"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  cli_fixture_init (argc, argv);
  cli_path = argc > 1 ? argv[1] : g_getenv ("CP_CLI");

#define TEST(name, func) \
  g_test_add ("/cli/api-keys/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  TEST ("create", test_create_shape);
  TEST ("create-human", test_create_human);
  TEST ("usage", test_usage_errors);
  TEST ("list-revoke", test_list_and_revoke);
  TEST ("needs-ledger", test_needs_a_ledger);
  TEST ("serve", test_serve);
  TEST ("serve-sandbox", test_serve_sandbox);
  TEST ("serve-lan", test_serve_refuses_lan_without_tls);
#undef TEST

  return g_test_run ();
}
