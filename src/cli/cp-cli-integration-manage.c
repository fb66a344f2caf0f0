/* cp-cli-integration-manage.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `integration list|show|test|pause|resume|remove`: the integrations that
 * are there, and what a person does with one.
 */

#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-cli-integration.h"
#include "cp-cli-output.h"
#include "cp-credentials.h"

static void
add_row (JsonBuilder   *builder,
         gconstpointer  row)
{
  json_builder_begin_object (builder);
  cp_cli_integration_add_members (builder, row);
  json_builder_end_object (builder);
}

int
cp_cli_integration_list (CpCli  *cli,
                         int     argc,
                         char  **argv)
{
  const CpCliOption options[] = { { NULL } };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = cp_ledger_now_us ();
  int status;

  status = cp_cli_parse_args (cli, options, 0, 0, argc, argv, &positional);
  if (status >= 0)
    return status;

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;

  list = cp_integrations_list (ledger, &error);
  if (list == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  if (cli->json)
    cp_cli_print_rows (list, add_row, FALSE);
  else if (list->len == 0)
    {
      printf ("%s\n", _("No integrations yet. See what Counterpart can connect to with "
                        "“counterpart-cli integration platforms”, then add one with "
                        "“counterpart-cli integration add PLATFORM --name NAME --credentials-stdin”."));
    }
  else
    {
      g_autoptr(CpCliTable) table = cp_cli_table_new (_("ID"), _("NAME"), _("PLATFORM"),
                                                      _(">WAITING"), _(">DEAD"), _("STATE"),
                                                      NULL);

      for (guint i = 0; i < list->len; i++)
        {
          CpIntegration *integration = g_ptr_array_index (list, i);
          g_autofree char *queue = g_strdup_printf ("%u", integration->queue_depth);
          g_autofree char *dead = g_strdup_printf ("%u", integration->dead_jobs);
          g_autofree char *state = cp_cli_integration_describe (integration, now);

          cp_cli_table_add_row (table, integration->id, integration->name, integration->platform,
                                queue, dead, state, NULL);
        }
      cp_cli_table_print (table);
    }

  return CP_CLI_EXIT_OK;
}

static void
print_time_line (const char *label,
                 gint64      at_us,
                 gint64      now,
                 const char *when_never)
{
  g_autofree char *exact = NULL;
  g_autofree char *ago = NULL;

  if (at_us == 0)
    {
      printf ("%-14s %s\n", label, when_never);
      return;
    }

  exact = cp_cli_format_time_local (at_us);
  if (at_us <= now)
    {
      ago = cp_cli_format_ago (at_us, now);
      printf ("%-14s %s (%s)\n", label, ago, exact);
    }
  else
    printf ("%-14s %s\n", label, exact);
}

int
cp_cli_integration_show (CpCli  *cli,
                         int     argc,
                         char  **argv)
{
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpIntegration) integration = NULL;
  g_autofree char *health = NULL;
  g_autofree char *permissions = NULL;
  const CpPlatformInfo *info;
  gint64 now = cp_ledger_now_us ();
  int status;

  integration = cp_cli_integration_load_arg (cli, argc, argv, &ledger, &status);
  if (integration == NULL)
    return status;

  if (cli->json)
    {
      cp_cli_integration_print_json (integration);
      return CP_CLI_EXIT_OK;
    }

  info = cp_connector_lookup_platform (integration->platform);
  health = cp_cli_integration_describe (integration, now);
  permissions = integration->permissions[0] != NULL
                ? g_strjoinv (", ", integration->permissions)
                : g_strdup (_("none (it may only read the platform’s catalog)"));

  /* What the user asked to see: --quiet does not hide it. */
  printf ("%-14s %s\n", _("ID:"), integration->id);
  printf ("%-14s %s\n", _("Name:"), integration->name);
  if (info != NULL)
    printf ("%-14s %s (%s)\n", _("Platform:"), _(info->display_name), integration->platform);
  else
    printf ("%-14s %s\n", _("Platform:"), integration->platform);
  printf ("%-14s %s\n", _("Address:"), integration->base_url);
  printf ("%-14s %s\n", _("State:"), health);
  printf ("%-14s %s\n", _("Permissions:"), permissions);
  printf ("%-14s ", _("Queue:"));
  printf (g_dngettext (GETTEXT_PACKAGE, "%u change waiting to be sent", "%u changes waiting to be sent",
                       integration->queue_depth),
          integration->queue_depth);
  if (integration->dead_jobs > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "; %u failed for good", "; %u failed for good",
                         integration->dead_jobs),
            integration->dead_jobs);
  printf ("\n");
  print_time_line (_("Last sync:"), integration->last_success_at, now, _("never"));
  if (integration->last_error != NULL)
    {
      print_time_line (_("Last error:"), integration->last_error_at, now, "");
      printf ("%-14s %s\n", "", integration->last_error);
    }
  if (integration->next_run_at != 0)
    print_time_line (_("Next sync:"), integration->next_run_at, now, "");
  print_time_line (_("Added:"), integration->created_at, now, "");

  return CP_CLI_EXIT_OK;
}

int
cp_cli_integration_test (CpCli  *cli,
                         int     argc,
                         char  **argv)
{
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpIntegration) integration = NULL;
  g_autoptr(CpSandboxServer) server = NULL;
  g_autoptr(CpConnector) connector = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) save_error = NULL;
  g_autofree char *account = NULL;
  int status;

  integration = cp_cli_integration_load_arg (cli, argc, argv, &ledger, &status);
  if (integration == NULL ||
      !cp_cli_integration_start_sandbox (cli, ledger, &integration, &server, &status))
    return status;

  connector = cp_cli_integration_connect (cli, ledger, integration, &status);
  if (connector == NULL)
    return status;

  if (!cp_connector_test (connector, &account, NULL, &error))
    {
      g_autofree char *doing = g_strdup_printf (_("Testing “%s” failed"), integration->name);

      /* What the engine would conclude, so the window and the next sync
       * show it too. */
      if (g_error_matches (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_AUTH) &&
          !cp_integrations_set_attention (ledger, integration->id, CP_ATTENTION_CREDENTIALS,
                                          _("The platform rejected the credentials. Enter them "
                                            "again."),
                                          &save_error))
        g_debug ("Could not record the rejected credentials: %s", save_error->message);
      return cp_cli_integration_report_error (cli, doing, error);
    }

  /* Working credentials settle a credentials problem, nothing else. */
  if (g_strcmp0 (integration->attention_kind, CP_ATTENTION_CREDENTIALS) == 0 &&
      !cp_integrations_set_attention (ledger, integration->id, NULL, NULL, &save_error))
    g_debug ("Could not clear the attention: %s", save_error->message);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cp_cli_json_add_string (builder, "id", integration->id);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, TRUE);
      cp_cli_json_add_string (builder, "account_name", account);
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
    }
  else
    cp_cli_info (cli, _("“%s” (%s) works: connected as “%s”."),
                 integration->name, integration->id, account != NULL ? account : "");

  return CP_CLI_EXIT_OK;
}

static int
set_paused (CpCli     *cli,
            int        argc,
            char     **argv,
            gboolean   paused)
{
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpIntegration) integration = NULL;
  g_autoptr(CpIntegration) after = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  integration = cp_cli_integration_load_arg (cli, argc, argv, &ledger, &status);
  if (integration == NULL)
    return status;

  if (!cp_integrations_set_paused (ledger, integration->id, paused, &error) ||
      (after = cp_integrations_get (ledger, integration->id, &error)) == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  if (cli->json)
    cp_cli_integration_print_json (after);
  else if (paused)
    cp_cli_info (cli, _("Paused “%s” (%s). Nothing is sent to it or fetched from it until you "
                        "resume it; changes in the meantime are kept and sent then."),
                 after->name, after->id);
  else
    cp_cli_info (cli, g_dngettext (GETTEXT_PACKAGE,
                                   "Resumed “%s” (%s). %u change waits for the next sync.",
                                   "Resumed “%s” (%s). %u changes wait for the next sync.",
                                   after->queue_depth),
                 after->name, after->id, after->queue_depth);

  return CP_CLI_EXIT_OK;
}

int
cp_cli_integration_pause (CpCli  *cli,
                          int     argc,
                          char  **argv)
{
  return set_paused (cli, argc, argv, TRUE);
}

int
cp_cli_integration_resume (CpCli  *cli,
                           int     argc,
                           char  **argv)
{
  return set_paused (cli, argc, argv, FALSE);
}

int
cp_cli_integration_remove (CpCli  *cli,
                           int     argc,
                           char  **argv)
{
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpIntegration) integration = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  integration = cp_cli_integration_load_arg (cli, argc, argv, &ledger, &status);
  if (integration == NULL)
    return status;

  /* The credentials go first: a row without credentials asks for them,
   * while credentials without a row would stay in the keyring unseen.
   * With no keyring running at all (a server) nothing can be deleted and
   * nothing was stored by this machine's `add`: say so and go on. */
  key = cp_integrations_credential_key (ledger, integration->id, &error);
  if ((key == NULL || !cp_credentials_clear_sync (key, NULL, &error)) &&
      g_error_matches (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_UNAVAILABLE))
    cp_cli_error (cli, _("No keyring is running, so credentials kept for “%s” elsewhere were not "
                         "deleted. If there are any, delete “Counterpart: %s (%s)” in Passwords "
                         "and Keys."),
                  integration->name, integration->name, integration->id);
  else if (error != NULL &&
           !g_error_matches (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_NOT_FOUND))
    {
      cp_cli_error (cli, _("Nothing was removed: the credentials of “%s” could not be deleted "
                           "from the keyring (%s). Unlock the keyring (Passwords and Keys), then "
                           "run the command again."),
                    integration->name, error->message);
      return CP_CLI_EXIT_FAILED;
    }
  g_clear_error (&error);

  if (!cp_integrations_remove (ledger, integration->id, &error))
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cp_cli_json_add_string (builder, "id", integration->id);
      json_builder_set_member_name (builder, "removed");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
    }
  else
    cp_cli_info (cli, _("Removed “%s” (%s) and its credentials. Its orders and activity stay in "
                        "the ledger."),
                 integration->name, integration->id);

  return CP_CLI_EXIT_OK;
}
