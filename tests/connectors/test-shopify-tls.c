/* test-shopify-tls.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Shopify connector meeting a certificate this computer does not
 * trust: the sandbox serves https with a certificate made for this run,
 * which the system's authorities do not know. The connection is refused
 * in the handshake, so the access token never leaves, and the owner
 * reads the same words as for a WooCommerce store
 * (cp_connector_http_describe_certificate), not GnuTLS's.
 */

#include "config.h"

#include <string.h>

#include "cp-connector.h"
#include "cp-connectors.h"
#include "cp-sandbox-server.h"
#include "cp-sandbox-shopify.h"

static void
test_untrusted (void)
{
  g_autoptr(CpSandboxServer) server = NULL;
  g_autoptr(CpSandboxShopify) fake = NULL;
  g_autoptr(CpConnector) connector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *anchor = NULL, *base = NULL;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
        g_error ("CP_TEST_HARNESS=1 but GIO has no TLS backend (install glib-networking)");
      g_test_skip ("GIO has no TLS backend (glib-networking)");
      return;
    }

  cp_connectors_register_all ();
  server = cp_sandbox_server_new ();
  fake = cp_sandbox_shopify_new ();
  cp_sandbox_server_add_platform (server, CP_SANDBOX_PLATFORM (fake));
  anchor = cp_sandbox_server_use_self_signed_tls (server, &error);
  g_assert_no_error (error);
  g_assert_true (cp_sandbox_server_start (server, 0, &error));
  g_assert_no_error (error);
  base = cp_sandbox_server_dup_platform_url (server, "shopify");
  g_assert_true (g_str_has_prefix (base, "https://127.0.0.1:"));

  /* The system's authorities, as in production. */
  connector = cp_connector_new_for_platform ("shopify", "shopify-1", base,
                                             "{\"access_token\":\"" CP_SANDBOX_SHOPIFY_DEFAULT_TOKEN "\"}",
                                             &error);
  g_assert_no_error (error);
  g_assert_false (cp_connector_test (connector, NULL, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "The store’s security certificate is not valid: "));
  g_assert_nonnull (strstr (error->message, "not signed by an authority this computer trusts"));
  /* Refused in the handshake: no request reached the store, nor the token. */
  g_assert_cmpuint (cp_sandbox_server_get_request_count (server, NULL), ==, 0);
  cp_sandbox_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/shopify/tls/untrusted", test_untrusted);
  return g_test_run ();
}
