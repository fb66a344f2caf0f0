/* cp-cli-init.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `init [--demo] [--currency C]`: the ledger and its first location.
 * Running it again is harmless, so setup scripts may always call it.
 */

#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "cp-catalog.h"
#include "cp-cli-output.h"
#include "cp-cli-private.h"
#include "cp-money.h"
#if CP_HAVE_DEMO
#include "cp-demo.h"
#endif

static gboolean
populate_demo (CpCli     *cli,
               CpLedger  *ledger,
               GError   **error)
{
#if CP_HAVE_DEMO
  CpDemoOptions options;

  if (!cli->quiet && !cli->json)
    fprintf (stderr, "%s\n", _("Creating the demo shop…"));
  cp_demo_options_init (&options);
  return cp_demo_populate (ledger, &options, error);
#else
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("This build of Counterpart has no demo shop yet. Run init without --demo."));
  return FALSE;
#endif
}

int
cp_cli_init (CpCli  *cli,
             int     argc,
             char  **argv)
{
  gboolean demo = FALSE;
  g_autofree char *currency = NULL;
  const CpCliOption options[] = {
    { "demo", FALSE, &demo, NULL },
    { "currency", TRUE, NULL, &currency },
    { NULL },
  };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpLocation) main_location = NULL;
  g_autoptr(GError) error = NULL;
  gboolean created = FALSE;
  gboolean added_main = FALSE;
  gboolean had_main;
  int status;

  status = cp_cli_parse_args (cli, options, 0, 0, argc, argv, &positional);
  if (status >= 0)
    return status;

  if (currency != NULL)
    {
      char *upper = g_ascii_strup (currency, -1);

      g_free (currency);
      currency = upper;
      if (!cp_currency_is_valid (currency))
        return cp_cli_usage_error (cli, _("“%s” is not a currency code. Use a three-letter "
                                          "ISO 4217 code such as USD, EUR or JPY."), currency);
    }

  ledger = cp_cli_open_ledger (cli, TRUE, &created, &status);
  if (ledger == NULL)
    return status;

  main_location = cp_locations_get (ledger, "MAIN", NULL);
  had_main = main_location != NULL;

  if (currency != NULL && g_strcmp0 (currency, cp_ledger_get_currency (ledger)) != 0)
    {
      /* Prices and orders are in the shop currency: changing it under an
       * existing shop would silently change what every amount means. */
      if (had_main || cp_catalog_count_variants (ledger) > 0)
        {
          cp_cli_error (cli, _("The shop in %s already uses %s; init does not change it. "
                               "Use another --data-dir for a shop in %s."),
                        cp_ledger_get_path (ledger), cp_ledger_get_currency (ledger), currency);
          return CP_CLI_EXIT_FAILED;
        }
      if (!cp_ledger_set_currency (ledger, currency, &error))
        {
          cp_cli_error (cli, "%s", error->message);
          return CP_CLI_EXIT_FAILED;
        }
    }

  if (demo)
    {
      gint64 n_products = cp_catalog_count_products (ledger);

      if (n_products > 0)
        {
          cp_cli_error (cli, g_dngettext (GETTEXT_PACKAGE,
                                          "The ledger in %s already holds %" PRId64 " product; "
                                          "the demo shop never mixes with a real catalog. Use --sandbox "
                                          "or another --data-dir to try the demo.",
                                          "The ledger in %s already holds %" PRId64 " products; "
                                          "the demo shop never mixes with a real catalog. Use --sandbox "
                                          "or another --data-dir to try the demo.",
                                          n_products),
                        cp_ledger_get_path (ledger), n_products);
          return CP_CLI_EXIT_FAILED;
        }

      if (!populate_demo (cli, ledger, &error))
        {
          cp_cli_error (cli, "%s", error->message);
          return CP_CLI_EXIT_FAILED;
        }
    }

  /* After the demo shop, which brings its own locations. */
  g_clear_pointer (&main_location, cp_location_free);
  main_location = cp_locations_get (ledger, "MAIN", NULL);
  if (main_location == NULL)
    {
      if (!cp_locations_add (ledger, "MAIN", _("Main"), cp_ledger_get_currency (ledger),
                             NULL, &error))
        {
          cp_cli_error (cli, "%s", error->message);
          return CP_CLI_EXIT_FAILED;
        }
      added_main = TRUE;
      main_location = cp_locations_get (ledger, "MAIN", NULL);
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cp_cli_json_add_string (builder, "path", cp_ledger_get_path (ledger));
      json_builder_set_member_name (builder, "created");
      json_builder_add_boolean_value (builder, created);
      cp_cli_json_add_int (builder, "schema_version", cp_ledger_get_schema_version (ledger));
      cp_cli_json_add_string (builder, "currency", cp_ledger_get_currency (ledger));
      json_builder_set_member_name (builder, "main_location_created");
      json_builder_add_boolean_value (builder, added_main);
      json_builder_set_member_name (builder, "demo");
      json_builder_add_boolean_value (builder, demo);
      cp_cli_json_add_int (builder, "products", cp_catalog_count_products (ledger));
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
      return CP_CLI_EXIT_OK;
    }

  if (created)
    cp_cli_info (cli, _("Created the ledger %s (currency %s)."),
                 cp_ledger_get_path (ledger), cp_ledger_get_currency (ledger));
  else
    cp_cli_info (cli, _("The ledger %s exists already; it was left as it is."),
                 cp_ledger_get_path (ledger));
  if (added_main && main_location != NULL)
    cp_cli_info (cli, _("Added the location %s (%s, %s)."),
                 main_location->code, main_location->name, main_location->currency);
  if (demo)
    cp_cli_info (cli, _("Filled it with the demo shop: %" PRId64 " products."),
                 cp_catalog_count_products (ledger));

  return CP_CLI_EXIT_OK;
}
