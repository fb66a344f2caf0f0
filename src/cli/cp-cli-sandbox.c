/* cp-cli-sandbox.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `sandbox serve`: one fake platform on 127.0.0.1 until interrupted, for
 * demos and for testing other tools against it. It needs no ledger.
 */

#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "cp-cli-output.h"
#include "cp-cli-private.h"
#include "cp-sandbox-ecomv2.h"
#include "cp-sandbox-server.h"
#include "cp-sandbox-shopify.h"
#include "cp-sandbox-woocommerce.h"

static const char * const platforms[] = { "ecomv2", "shopify", "woocommerce", NULL };

static gboolean
quit_on_signal_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

int
cp_cli_sandbox_serve (CpCli  *cli,
                      int     argc,
                      char  **argv)
{
  g_autofree char *platform_name = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *faults_text = NULL;
  const CpCliOption options[] = {
    { "platform", TRUE, NULL, &platform_name },
    { "port", TRUE, NULL, &port_text },
    { "faults", TRUE, NULL, &faults_text },
    { NULL }
  };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpSandboxServer) server = NULL;
  g_autoptr(CpSandboxEcomv2) ecomv2 = NULL;
  g_autoptr(CpSandboxWoocommerce) woocommerce = NULL;
  g_autoptr(CpSandboxShopify) shopify = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *faults_normal = NULL;
  CpSandboxFaultSpec spec;
  gint64 port = 0;
  guint sigint, sigterm;
  int status;

  status = cp_cli_parse_args (cli, options, 0, 0, argc, argv, &positional);
  if (status >= 0)
    return status;

  if (platform_name == NULL)
    platform_name = g_strdup ("ecomv2");
  if (!g_strv_contains (platforms, platform_name))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) platforms);

      return cp_cli_usage_error (cli, _("There is no sandbox for the platform “%s”. The sandbox platforms are: %s."),
                                 platform_name, list);
    }
  if (port_text != NULL && !cp_cli_parse_int64 (port_text, 0, 65535, &port))
    return cp_cli_usage_error (cli, _("The port “%s” is not a number from 0 to 65535 (0 picks a free one)."),
                               port_text);
  if (!cp_sandbox_fault_spec_parse (faults_text, &spec, &error))
    return cp_cli_usage_error (cli, "%s", error->message);

  server = cp_sandbox_server_new ();
  ecomv2 = cp_sandbox_ecomv2_new ();
  cp_sandbox_server_add_platform (server, CP_SANDBOX_PLATFORM (ecomv2));
  woocommerce = cp_sandbox_woocommerce_new ();
  cp_sandbox_server_add_platform (server, CP_SANDBOX_PLATFORM (woocommerce));
  shopify = cp_sandbox_shopify_new ();
  cp_sandbox_server_add_platform (server, CP_SANDBOX_PLATFORM (shopify));
  cp_sandbox_faults_set_spec (cp_sandbox_server_get_faults (server), &spec);

  if (!cp_sandbox_server_start (server, (guint) port, &error))
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  url = cp_sandbox_server_dup_platform_url (server, platform_name);
  faults_normal = cp_sandbox_fault_spec_to_string (&spec);

  /* Before the first output: whoever started us may stop us as soon as
   * it has read it, and a SIGTERM that came before the handler killed
   * the process instead of stopping it cleanly (seen in CI). */
  loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, quit_on_signal_cb, loop);
  sigterm = g_unix_signal_add (SIGTERM, quit_on_signal_cb, loop);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cp_cli_json_add_string (builder, "platform", platform_name);
      cp_cli_json_add_string (builder, "base_url", url);
      cp_cli_json_add_int (builder, "port", cp_sandbox_server_get_port (server));
      /* The sandbox's published demo key, not a secret: the seed marks
       * sandbox keys with "test_". */
      if (g_str_equal (platform_name, "woocommerce"))
        {
          /* The WooCommerce fake's published sandbox keys. */
          cp_cli_json_add_string (builder, "consumer_key", CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY);
          cp_cli_json_add_string (builder, "consumer_secret", CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET);
        }
      else if (g_str_equal (platform_name, "shopify"))
        /* The Shopify fake's published sandbox token. */
        cp_cli_json_add_string (builder, "access_token", CP_SANDBOX_SHOPIFY_DEFAULT_TOKEN);
      else
        cp_cli_json_add_string (builder, "api_key", CP_SANDBOX_ECOMV2_DEFAULT_KEY);
      cp_cli_json_add_string (builder, "faults", faults_normal);
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
    }
  else
    {
      cp_cli_info (cli, _("Serving the %s sandbox at %s"), platform_name, url);
      if (g_str_equal (platform_name, "woocommerce"))
        {
          cp_cli_info (cli, _("Consumer key: %s"), CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY);
          cp_cli_info (cli, _("Consumer secret: %s"), CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET);
        }
      else if (g_str_equal (platform_name, "shopify"))
        cp_cli_info (cli, _("Access token: %s"), CP_SANDBOX_SHOPIFY_DEFAULT_TOKEN);
      else
        cp_cli_info (cli, _("API key: %s"), CP_SANDBOX_ECOMV2_DEFAULT_KEY);
      cp_cli_info (cli, _("Faults: %s"), faults_normal);
      cp_cli_info (cli, "%s", _("Press Ctrl+C to stop."));
    }
  /* Whoever started us waits for that first output to find the port. */
  fflush (stdout);

  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  cp_sandbox_server_stop (server);
  return CP_CLI_EXIT_OK;
}
