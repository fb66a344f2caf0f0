/* cp-cli-integration-map.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `integration map ID --show` and `integration map ID --location
 * LOCAL_CODE=REMOTE_ID`: which products and places match between the
 * ledger (the master) and the platform. `--exclude SKU` / `--include
 * SKU` keep a product off one store (its stock and price are never sent
 * there) or bring it back; the opt-out is per product, so it covers
 * every variant of the SKU's product.
 */

#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cp-catalog.h"
#include "cp-cli-integration.h"
#include "cp-cli-output.h"
#include "cp-stock-publish.h"

/* Long lists are for --json; people see the first few and the count. */
#define MAX_LISTED 20

/* The kind and local id of location mappings: the location's code, which
 * is unique, never reused, and what a person types. */
#define LOCATION_KIND "location"

static void
add_string_array (JsonBuilder *builder,
                  const char  *key,
                  GPtrArray   *strings)
{
  json_builder_set_member_name (builder, key);
  json_builder_begin_array (builder);
  for (guint i = 0; strings != NULL && i < strings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (strings, i));
  json_builder_end_array (builder);
}

static void
print_list (const char *label,
            GPtrArray  *strings)
{
  guint n = strings != NULL ? strings->len : 0;
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; i < n && i < MAX_LISTED; i++)
    g_string_append_printf (line, "%s%s", i > 0 ? ", " : "", (char *) g_ptr_array_index (strings, i));
  if (n > MAX_LISTED)
    g_string_append_printf (line, _(" and %u more (all of them with --json)"), n - MAX_LISTED);

  printf ("%s (%u)%s%s\n", label, n, n > 0 ? ": " : "", line->str);
}

/* The ledger's locations with the remote id each is mapped to (or NULL),
 * as pairs in one array: code, remote id, code, remote id… */
static GPtrArray *
read_location_mappings (CpLedger             *ledger,
                        const CpIntegration  *integration,
                        GError              **error)
{
  g_autoptr(GPtrArray) locations = cp_locations_list (ledger, error);
  g_autoptr(GPtrArray) pairs = NULL;

  if (locations == NULL)
    return NULL;

  pairs = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < locations->len; i++)
    {
      CpLocation *location = g_ptr_array_index (locations, i);
      GError *local_error = NULL;
      char *remote = cp_integrations_get_remote_id (ledger, integration->id, LOCATION_KIND,
                                                    location->code, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      g_ptr_array_add (pairs, g_strdup (location->code));
      g_ptr_array_add (pairs, remote);
    }

  return g_steal_pointer (&pairs);
}

static void
add_location_mappings (JsonBuilder *builder,
                       GPtrArray   *mappings)
{
  json_builder_set_member_name (builder, "location_mappings");
  json_builder_begin_array (builder);
  for (guint i = 0; i + 1 < mappings->len; i += 2)
    {
      json_builder_begin_object (builder);
      cp_cli_json_add_string (builder, "location", g_ptr_array_index (mappings, i));
      cp_cli_json_add_string (builder, "remote_id", g_ptr_array_index (mappings, i + 1));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static int
show_report (CpCli               *cli,
             CpLedger            *ledger,
             const CpIntegration *integration)
{
  g_autoptr(CpConnector) connector = NULL;
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(GPtrArray) mappings = NULL;
  g_autoptr(GPtrArray) excluded = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  connector = cp_cli_integration_connect (cli, ledger, integration, &status);
  if (connector == NULL)
    return status;

  if (!cli->json && !cli->quiet)
    fprintf (stderr, _("Reading the catalog of “%s”…\n"), integration->name);

  report = cp_connector_refresh_mappings (connector, ledger, NULL, &error);
  if (report == NULL)
    {
      g_autofree char *doing = g_strdup_printf (_("Could not match the products of “%s”"),
                                                integration->name);

      return cp_cli_integration_report_error (cli, doing, error);
    }

  /* After the refresh: it may have mapped the only location itself. */
  mappings = read_location_mappings (ledger, integration, &error);
  if (mappings != NULL)
    excluded = cp_stock_publish_list_excluded_skus (ledger, integration->id, &error);
  if (mappings == NULL || excluded == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cp_cli_json_add_string (builder, "id", integration->id);
      add_string_array (builder, "matched", report->matched);
      add_string_array (builder, "unmatched_local", report->unmatched_local);
      add_string_array (builder, "unmatched_remote", report->unmatched_remote);
      add_string_array (builder, "duplicates", report->duplicates);
      add_string_array (builder, "locations", report->locations);
      add_location_mappings (builder, mappings);
      add_string_array (builder, "excluded", excluded);
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
      return CP_CLI_EXIT_OK;
    }

  printf (_("Products of “%s” (%s), matched by SKU:\n"), integration->name, integration->id);
  print_list (_("  Matched"), report->matched);
  print_list (_("  Only in Counterpart"), report->unmatched_local);
  print_list (_("  Only on the platform"), report->unmatched_remote);
  print_list (_("  On the platform more than once"), report->duplicates);
  print_list (_("  Kept off this store (--include SKU sends them again)"), excluded);
  print_list (_("Locations on the platform"), report->locations);
  printf ("%s\n", _("Where our stock goes:"));
  for (guint i = 0; i + 1 < mappings->len; i += 2)
    {
      const char *remote = g_ptr_array_index (mappings, i + 1);

      if (remote != NULL)
        printf ("  %s → %s\n", (char *) g_ptr_array_index (mappings, i), remote);
      else
        printf (_("  %s → not mapped: map it with “counterpart-cli integration map %s "
                  "--location %s=REMOTE_ID”\n"),
                (char *) g_ptr_array_index (mappings, i), integration->id,
                (char *) g_ptr_array_index (mappings, i));
    }

  return CP_CLI_EXIT_OK;
}

static int
map_location (CpCli               *cli,
              CpLedger            *ledger,
              const CpIntegration *integration,
              const char          *spec)
{
  g_autoptr(CpLocation) location = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *remote = NULL;
  const char *eq = strchr (spec, '=');

  if (eq == NULL)
    return cp_cli_usage_error (cli, _("“%s” is not a mapping. Write it as LOCAL_CODE=REMOTE_ID, "
                                      "such as MAIN=wh_001."),
                               spec);

  code = g_strstrip (g_strndup (spec, eq - spec));
  remote = g_strstrip (g_strdup (eq + 1));
  if (*code == '\0' || *remote == '\0')
    return cp_cli_usage_error (cli, _("“%s” is not a mapping. Write it as LOCAL_CODE=REMOTE_ID, "
                                      "such as MAIN=wh_001."),
                               spec);

  location = cp_locations_get (ledger, code, &error);
  if (location == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  if (!cp_integrations_set_mapping (ledger, integration->id, LOCATION_KIND, location->code,
                                    remote, NULL, &error))
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  cp_cli_info (cli, _("Stock of %s (%s) now goes to the location %s of “%s”."),
               location->code, location->name, remote, integration->name);
  return CP_CLI_EXIT_OK;
}

/* SKUS: one SKU or several separated by commas. Opts each one's product
 * out of (EXCLUDE) or back into the integration. */
static int
set_excluded (CpCli               *cli,
              CpLedger            *ledger,
              const CpIntegration *integration,
              const char          *skus,
              gboolean             exclude)
{
  g_auto(GStrv) list = g_strsplit (skus, ",", -1);
  guint n = 0;

  for (guint i = 0; list[i] != NULL; i++)
    {
      g_autoptr(CpVariant) variant = NULL;
      g_autoptr(GError) error = NULL;
      char *sku = g_strstrip (list[i]);

      if (*sku == '\0')
        continue;
      n++;
      variant = cp_catalog_get_by_sku (ledger, sku, &error);
      if (variant == NULL)
        {
          if (error == NULL || g_error_matches (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND))
            cp_cli_error (cli, _("There is no product with the SKU “%s”. “counterpart-cli stock "
                                 "show” lists the SKUs."), sku);
          else
            cp_cli_error (cli, "%s", error->message);
          return CP_CLI_EXIT_FAILED;
        }
      if (!cp_stock_publish_set_excluded (ledger, integration->id, variant->product_id, exclude,
                                          &error))
        {
          cp_cli_error (cli, "%s", error->message);
          return CP_CLI_EXIT_FAILED;
        }
      if (exclude)
        cp_cli_info (cli, _("“%s” (%s) is kept off “%s”: its stock and price are no longer "
                            "sent there, for every size or colour of it."),
                     variant->product_name, sku, integration->name);
      else
        cp_cli_info (cli, _("“%s” (%s) goes to “%s” again; its stock is sent at the next sync."),
                     variant->product_name, sku, integration->name);
    }
  if (n == 0)
    return cp_cli_usage_error (cli, "%s", _("Name a SKU, such as --exclude TEE-M."));
  return CP_CLI_EXIT_OK;
}

int
cp_cli_integration_map (CpCli  *cli,
                        int     argc,
                        char  **argv)
{
  g_autofree char *location_spec = NULL;
  g_autofree char *exclude_skus = NULL;
  g_autofree char *include_skus = NULL;
  gboolean show = FALSE;
  const CpCliOption options[] = {
    { "show", FALSE, &show, NULL },
    { "location", TRUE, NULL, &location_spec },
    { "exclude", TRUE, NULL, &exclude_skus },
    { "include", TRUE, NULL, &include_skus },
    { NULL },
  };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpIntegration) integration = NULL;
  int status;

  status = cp_cli_parse_args (cli, options, 1, 1, argc, argv, &positional);
  if (status >= 0)
    return status;

  if (!show && location_spec == NULL && exclude_skus == NULL && include_skus == NULL)
    return cp_cli_usage_error (cli, "%s", _("Say what to do: --show for the mapping report, "
                                            "--location LOCAL_CODE=REMOTE_ID to map a location, "
                                            "or --exclude SKU / --include SKU to keep a product "
                                            "off the store or send it again."));

  integration = cp_cli_integration_load (cli, positional[0], &ledger, &status);
  if (integration == NULL)
    return status;

  if (location_spec != NULL)
    {
      status = map_location (cli, ledger, integration, location_spec);
      if (status != CP_CLI_EXIT_OK)
        return status;
    }
  if (exclude_skus != NULL)
    {
      status = set_excluded (cli, ledger, integration, exclude_skus, TRUE);
      if (status != CP_CLI_EXIT_OK)
        return status;
    }
  if (include_skus != NULL)
    {
      status = set_excluded (cli, ledger, integration, include_skus, FALSE);
      if (status != CP_CLI_EXIT_OK)
        return status;
    }

  if (show)
    {
      g_autoptr(CpSandboxServer) server = NULL;

      if (!cp_cli_integration_start_sandbox (cli, ledger, &integration, &server, &status))
        return status;
      return show_report (cli, ledger, integration);
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(GPtrArray) mappings = NULL;
      g_autoptr(GPtrArray) excluded = NULL;
      g_autoptr(GError) error = NULL;

      mappings = read_location_mappings (ledger, integration, &error);
      if (mappings != NULL)
        excluded = cp_stock_publish_list_excluded_skus (ledger, integration->id, &error);
      if (mappings == NULL || excluded == NULL)
        {
          cp_cli_error (cli, "%s", error->message);
          return CP_CLI_EXIT_FAILED;
        }
      json_builder_begin_object (builder);
      cp_cli_json_add_string (builder, "id", integration->id);
      add_location_mappings (builder, mappings);
      add_string_array (builder, "excluded", excluded);
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
    }

  return CP_CLI_EXIT_OK;
}
