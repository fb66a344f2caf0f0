/* cp-cli-serve.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `serve [--listen ADDR:PORT]`: the local API (cp-api-server.h) and the
 * sync engine, without a window, until SIGINT or SIGTERM. For a shop's
 * back-office computer that other programs ask about stock and syncs.
 */

#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "cp-api-server.h"
#include "cp-cli-output.h"
#include "cp-cli-private.h"
#include "cp-engine.h"
#include "cp-sandbox-server.h"

static gboolean
quit_on_signal_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

int
cp_cli_serve (CpCli  *cli,
              int     argc,
              char  **argv)
{
  g_autofree char *listen = NULL;
  g_autofree char *certificate = NULL;
  g_autofree char *key = NULL;
  const CpCliOption options[] = {
    { "listen", TRUE, NULL, &listen },
    { "tls-certificate", TRUE, NULL, &certificate },
    { "tls-key", TRUE, NULL, &key },
    { NULL },
  };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpSandboxServer) sandbox = NULL;
  g_autoptr(CpEngine) engine = NULL;
  g_autoptr(CpApiServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *url = NULL;
  gboolean loopback = FALSE;
  guint16 port = 0;
  guint sigint, sigterm;
  int status;

  status = cp_cli_parse_args (cli, options, 0, 0, argc, argv, &positional);
  if (status >= 0)
    return status;

  if (!cp_api_server_parse_address (listen, &host, &port, &loopback, &error))
    return cp_cli_usage_error (cli, "%s", error->message);
  if (key != NULL && certificate == NULL)
    return cp_cli_usage_error (cli, "%s", _("--tls-key goes with --tls-certificate: give both."));
  /* Beyond this computer only over TLS: keys and shop data would
   * otherwise cross the network in the clear. */
  if (!loopback && certificate == NULL)
    return cp_cli_usage_error (cli, _("The local API answers beyond this computer (%s) only over "
                                      "TLS. Give --tls-certificate FILE (and --tls-key FILE), or "
                                      "leave out --listen to serve on %s."),
                               host, CP_API_SERVER_DEFAULT_LISTEN);

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;

  /* --sandbox: the test stores run in this process, as for sync. */
  if (cli->sandbox)
    {
      sandbox = cp_cli_start_sandbox (cli, ledger, &status);
      if (sandbox == NULL)
        return status;
    }

  engine = cp_engine_new (cp_ledger_get_path (ledger));
  server = cp_api_server_new (cp_ledger_get_path (ledger), engine);
  if (certificate != NULL)
    cp_api_server_set_tls_files (server, certificate, key);

  if (!cp_api_server_listen (server, listen, &error))
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }
  cp_engine_start (engine);
  url = cp_api_server_dup_base_url (server);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cp_cli_json_add_string (builder, "url", url);
      cp_cli_json_add_string (builder, "host", host);
      cp_cli_json_add_int (builder, "port", cp_api_server_get_port (server));
      json_builder_set_member_name (builder, "tls");
      json_builder_add_boolean_value (builder, certificate != NULL);
      cp_cli_json_add_string (builder, "ledger", cp_ledger_get_path (ledger));
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
    }
  else
    {
      cp_cli_info (cli, _("Serving the local API at %s"), url);
      cp_cli_info (cli, "%s", _("Syncing runs as well. Requests need a key from "
                                "“counterpart-cli api-keys create”; /health needs none."));
      cp_cli_info (cli, "%s", _("Press Ctrl+C to stop."));
    }
  /* Whoever started us waits for that first output to find the port. */
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, quit_on_signal_cb, loop);
  sigterm = g_unix_signal_add (SIGTERM, quit_on_signal_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  cp_api_server_stop (server);
  cp_engine_stop (engine);
  /* Let the engine's last notifications run before it goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (sandbox != NULL)
    cp_sandbox_server_stop (sandbox);

  return CP_CLI_EXIT_OK;
}
