/* cp-cli-locations.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `locations list` and `locations add CODE --name NAME [--currency C]`.
 */

#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-catalog.h"
#include "cp-cli-output.h"
#include "cp-cli-private.h"
#include "cp-money.h"

static void
add_location_members (JsonBuilder      *builder,
                      const CpLocation *location)
{
  cp_cli_json_add_id (builder, "id", location->id);
  cp_cli_json_add_string (builder, "code", location->code);
  cp_cli_json_add_string (builder, "name", location->name);
  cp_cli_json_add_string (builder, "currency", location->currency);
}

int
cp_cli_locations_list (CpCli  *cli,
                       int     argc,
                       char  **argv)
{
  const CpCliOption options[] = { { NULL } };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(GPtrArray) locations = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = cp_cli_parse_args (cli, options, 0, 0, argc, argv, &positional);
  if (status >= 0)
    return status;

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;

  locations = cp_locations_list (ledger, &error);
  if (locations == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "data");
      json_builder_begin_array (builder);
      for (guint i = 0; i < locations->len; i++)
        {
          json_builder_begin_object (builder);
          add_location_members (builder, g_ptr_array_index (locations, i));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
    }
  else if (locations->len == 0)
    {
      printf ("%s\n", _("No locations yet. Add one with “counterpart-cli locations add CODE --name NAME”."));
    }
  else
    {
      g_autoptr(CpCliTable) table = cp_cli_table_new (_("CODE"), _("NAME"), _("CURRENCY"), NULL);

      for (guint i = 0; i < locations->len; i++)
        {
          CpLocation *location = g_ptr_array_index (locations, i);

          cp_cli_table_add_row (table, location->code, location->name, location->currency, NULL);
        }
      cp_cli_table_print (table);
    }

  return CP_CLI_EXIT_OK;
}

int
cp_cli_locations_add (CpCli  *cli,
                      int     argc,
                      char  **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *currency = NULL;
  const CpCliOption options[] = {
    { "name", TRUE, NULL, &name },
    { "currency", TRUE, NULL, &currency },
    { NULL },
  };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpLocation) location = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = cp_cli_parse_args (cli, options, 1, 1, argc, argv, &positional);
  if (status >= 0)
    return status;

  if (name == NULL || *g_strstrip (name) == '\0')
    return cp_cli_usage_error (cli, "%s", _("A location needs a name: add --name NAME."));

  if (currency != NULL)
    {
      char *upper = g_ascii_strup (currency, -1);

      g_free (currency);
      currency = upper;
      if (!cp_currency_is_valid (currency))
        return cp_cli_usage_error (cli, _("“%s” is not a currency code. Use a three-letter "
                                          "ISO 4217 code such as USD, EUR or JPY."), currency);
    }

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;

  if (!cp_locations_add (ledger, positional[0], name,
                         currency != NULL ? currency : cp_ledger_get_currency (ledger),
                         NULL, &error))
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  location = cp_locations_get (ledger, positional[0], &error);
  if (location == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_location_members (builder, location);
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
    }
  else
    cp_cli_info (cli, _("Added the location %s (%s, %s)."),
                 location->code, location->name, location->currency);

  return CP_CLI_EXIT_OK;
}
