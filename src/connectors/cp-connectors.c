/* cp-connectors.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cp-connector.h"
#include "cp-connectors.h"
#include "cp-ecomv2-connector.h"
#include "cp-shopify-connector.h"
#include "cp-woocommerce-connector.h"

void
cp_connectors_register_all (void)
{
  static gsize registered = 0;

  /* Idempotent and thread-safe: the CLI, the window and every test call
   * it, sometimes more than once. */
  if (g_once_init_enter (&registered))
    {
      cp_connector_register_platform (cp_ecomv2_connector_get_platform_info ());
      cp_connector_register_platform (cp_shopify_connector_get_platform_info ());
      cp_connector_register_platform (cp_woocommerce_connector_get_platform_info ());
      g_once_init_leave (&registered, 1);
    }
}
