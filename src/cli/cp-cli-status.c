/* cp-cli-status.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `status`: where the ledger is, how big, what it holds, and how the
 * integrations are doing: health, queue depth, dead jobs, last sync.
 */

#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cp-catalog.h"
#include "cp-cli-integration.h"
#include "cp-cli-output.h"
#include "cp-cli-private.h"
#include "cp-integrations.h"
#include "cp-orders.h"

int
cp_cli_status (CpCli  *cli,
               int     argc,
               char  **argv)
{
  const CpCliOption options[] = { { NULL } };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(GPtrArray) locations = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *size_text = NULL;
  g_autofree char *demo = NULL;
  GStatBuf st;
  gint64 size = 0;
  gint64 n_products, n_variants, n_orders;
  gint64 queue_depth = 0, dead_jobs = 0, last_sync = 0;
  gint64 now = cp_ledger_now_us ();
  int status;

  status = cp_cli_parse_args (cli, options, 0, 0, argc, argv, &positional);
  if (status >= 0)
    return status;

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;

  if (g_stat (cp_ledger_get_path (ledger), &st) == 0)
    size = st.st_size;
  size_text = g_format_size (size);

  locations = cp_locations_list (ledger, &error);
  if (locations == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }
  integrations = cp_integrations_list (ledger, &error);
  if (integrations == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }
  for (guint i = 0; i < integrations->len; i++)
    {
      CpIntegration *integration = g_ptr_array_index (integrations, i);

      queue_depth += integration->queue_depth;
      dead_jobs += integration->dead_jobs;
      last_sync = MAX (last_sync, integration->last_success_at);
    }

  demo = cp_ledger_get_setting (ledger, "demo");
  n_products = cp_catalog_count_products (ledger);
  n_variants = cp_catalog_count_variants (ledger);
  n_orders = cp_orders_count (ledger);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "ledger");
      json_builder_begin_object (builder);
      cp_cli_json_add_string (builder, "path", cp_ledger_get_path (ledger));
      cp_cli_json_add_int (builder, "size_bytes", size);
      cp_cli_json_add_int (builder, "schema_version", cp_ledger_get_schema_version (ledger));
      cp_cli_json_add_string (builder, "currency", cp_ledger_get_currency (ledger));
      json_builder_set_member_name (builder, "demo");
      json_builder_add_boolean_value (builder, g_strcmp0 (demo, "1") == 0);
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "counts");
      json_builder_begin_object (builder);
      cp_cli_json_add_int (builder, "products", n_products);
      cp_cli_json_add_int (builder, "variants", n_variants);
      cp_cli_json_add_int (builder, "locations", locations->len);
      cp_cli_json_add_int (builder, "orders", n_orders);
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "integrations");
      json_builder_begin_array (builder);
      for (guint i = 0; i < integrations->len; i++)
        {
          json_builder_begin_object (builder);
          cp_cli_integration_add_members (builder, g_ptr_array_index (integrations, i));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      /* The totals over every integration. */
      cp_cli_json_add_int (builder, "queue_depth", queue_depth);
      cp_cli_json_add_int (builder, "dead_jobs", dead_jobs);
      cp_cli_json_add_time (builder, "last_sync", last_sync);
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
      return CP_CLI_EXIT_OK;
    }

  /* status is what the user asked to see: --quiet does not hide it. */
  printf ("%-15s %s\n", _("Ledger:"), cp_ledger_get_path (ledger));
  printf ("%-15s %s (%" G_GINT64_FORMAT " bytes)\n", _("Size:"), size_text, size);
  printf ("%-15s %d\n", _("Schema:"), cp_ledger_get_schema_version (ledger));
  printf ("%-15s %s\n", _("Currency:"), cp_ledger_get_currency (ledger));
  if (g_strcmp0 (demo, "1") == 0)
    printf ("%-15s %s\n", _("Shop:"), _("the demo shop"));
  printf ("%-15s %" G_GINT64_FORMAT "\n", _("Products:"), n_products);
  printf ("%-15s %" G_GINT64_FORMAT "\n", _("Variants:"), n_variants);
  printf ("%-15s %u\n", _("Locations:"), locations->len);
  printf ("%-15s %" G_GINT64_FORMAT "\n", _("Orders:"), n_orders);
  if (integrations->len == 0)
    printf ("%-15s %s\n", _("Integrations:"), _("none connected"));
  else
    printf ("%-15s %u\n", _("Integrations:"), integrations->len);
  for (guint i = 0; i < integrations->len; i++)
    {
      CpIntegration *integration = g_ptr_array_index (integrations, i);
      g_autofree char *health = cp_cli_integration_describe (integration, now);

      printf ("  %s (%s): %s\n", integration->name, integration->id, health);
      printf ("    ");
      printf (g_dngettext (GETTEXT_PACKAGE, "%u change waiting to be sent",
                           "%u changes waiting to be sent", integration->queue_depth),
              integration->queue_depth);
      if (integration->dead_jobs > 0)
        printf (g_dngettext (GETTEXT_PACKAGE, "; %u failed for good", "; %u failed for good",
                             integration->dead_jobs),
                integration->dead_jobs);
      printf ("\n");
    }
  printf ("%-15s ", _("Queue:"));
  printf (g_dngettext (GETTEXT_PACKAGE, "%u waiting", "%u waiting", (gulong) queue_depth),
          (guint) MIN (queue_depth, G_MAXUINT));
  printf (g_dngettext (GETTEXT_PACKAGE, ", %u failed for good", ", %u failed for good",
                       (gulong) dead_jobs),
          (guint) MIN (dead_jobs, G_MAXUINT));
  if (dead_jobs > 0)
    printf (" (%s)", _("retry them with “counterpart-cli jobs retry --all-dead”"));
  printf ("\n");
  if (last_sync > 0)
    {
      g_autofree char *ago = cp_cli_format_ago (last_sync, now);
      g_autofree char *exact = cp_cli_format_time_local (last_sync);

      printf ("%-15s %s (%s)\n", _("Last sync:"), ago, exact);
    }
  else
    printf ("%-15s %s\n", _("Last sync:"), _("never"));

  return CP_CLI_EXIT_OK;
}
