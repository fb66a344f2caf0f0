/* cp-cli-api-keys.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `api-keys create NAME --scopes S,S`, `api-keys list`, `api-keys revoke
 * ID`: keys for the local API (`serve`). The secret is printed once, by
 * create, on stdout only; the ledger keeps a hash of it.
 */

#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-api-keys.h"
#include "cp-cli-output.h"
#include "cp-cli-private.h"

static void
add_key_members (JsonBuilder    *builder,
                 const CpApiKey *key)
{
  cp_cli_json_add_string (builder, "id", key->id);
  cp_cli_json_add_string (builder, "name", key->name);
  json_builder_set_member_name (builder, "scopes");
  json_builder_begin_array (builder);
  for (guint i = 0; key->scopes[i] != NULL; i++)
    json_builder_add_string_value (builder, key->scopes[i]);
  json_builder_end_array (builder);
  cp_cli_json_add_time (builder, "created_at", key->created_at);
}

static char **
split_scopes (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

int
cp_cli_api_keys_create (CpCli  *cli,
                        int     argc,
                        char  **argv)
{
  g_autofree char *scopes_text = NULL;
  const CpCliOption options[] = {
    { "scopes", TRUE, NULL, &scopes_text },
    { NULL },
  };
  g_auto(GStrv) positional = NULL;
  g_auto(GStrv) scopes = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpApiKey) key = NULL;
  g_autoptr(GError) error = NULL;
  char *secret = NULL;
  int status;

  status = cp_cli_parse_args (cli, options, 1, 1, argc, argv, &positional);
  if (status >= 0)
    return status;

  if (scopes_text == NULL)
    {
      g_autofree char *known = g_strjoinv (",", (char **) cp_api_keys_all_scopes ());

      return cp_cli_usage_error (cli, _("Say what the key may do with --scopes, from: %s."), known);
    }
  scopes = split_scopes (scopes_text);
  if (!cp_api_keys_validate_scopes ((const char * const *) scopes, &error))
    return cp_cli_usage_error (cli, "%s", error->message);

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;

  key = cp_api_keys_create (ledger, positional[0], (const char * const *) scopes, &secret, &error);
  if (key == NULL)
    {
      if (g_error_matches (error, CP_API_KEYS_ERROR, CP_API_KEYS_ERROR_INVALID))
        return cp_cli_usage_error (cli, "%s", error->message);
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_key_members (builder, key);
      /* The only time the secret is shown (shared/CLI.md). */
      cp_cli_json_add_string (builder, "secret", secret);
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
    }
  else
    {
      g_autofree char *joined = g_strjoinv (", ", key->scopes);

      cp_cli_info (cli, _("Created the API key %s (“%s”) for: %s."), key->id, key->name, joined);
      cp_cli_info (cli, "%s", _("Its secret follows. It is shown only now: copy it into the program "
                                "that will use it. Counterpart keeps only a fingerprint of it; if it "
                                "is lost, revoke the key and create another."));
      /* Even with --quiet: it is what was asked for. */
      printf ("%s\n", secret);
    }

  cp_api_keys_secret_free (secret);
  return CP_CLI_EXIT_OK;
}

int
cp_cli_api_keys_list (CpCli  *cli,
                      int     argc,
                      char  **argv)
{
  const CpCliOption options[] = { { NULL } };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = cp_cli_parse_args (cli, options, 0, 0, argc, argv, &positional);
  if (status >= 0)
    return status;

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;

  keys = cp_api_keys_list (ledger, &error);
  if (keys == NULL)
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
      for (guint i = 0; i < keys->len; i++)
        {
          CpApiKey *key = g_ptr_array_index (keys, i);

          json_builder_begin_object (builder);
          add_key_members (builder, key);
          cp_cli_json_add_time (builder, "last_used_at", key->last_used_at);
          cp_cli_json_add_time (builder, "revoked_at", key->revoked_at);
          cp_cli_json_add_string (builder, "state", cp_api_key_is_revoked (key) ? "revoked" : "active");
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
    }
  else if (keys->len == 0)
    printf ("%s\n", _("No API keys yet. Create one with “counterpart-cli api-keys create NAME --scopes S,S”."));
  else
    {
      g_autoptr(CpCliTable) table = cp_cli_table_new (_("ID"), _("NAME"), _("SCOPES"), _("CREATED"),
                                                      _("LAST USED"), _("STATE"), NULL);

      for (guint i = 0; i < keys->len; i++)
        {
          CpApiKey *key = g_ptr_array_index (keys, i);
          g_autofree char *scopes = g_strjoinv (",", key->scopes);
          g_autofree char *created = cp_cli_format_time_utc (key->created_at);
          g_autofree char *used = key->last_used_at != 0 ? cp_cli_format_time_utc (key->last_used_at)
                                                         : g_strdup (_("never"));

          cp_cli_table_add_row (table, key->id, key->name, scopes, created, used,
                                cp_api_key_is_revoked (key) ? _("revoked") : _("active"), NULL);
        }
      cp_cli_table_print (table);
    }

  return CP_CLI_EXIT_OK;
}

int
cp_cli_api_keys_revoke (CpCli  *cli,
                        int     argc,
                        char  **argv)
{
  const CpCliOption options[] = { { NULL } };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpApiKey) key = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = cp_cli_parse_args (cli, options, 1, 1, argc, argv, &positional);
  if (status >= 0)
    return status;

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;

  if (!cp_api_keys_revoke (ledger, positional[0], &error) ||
      (key = cp_api_keys_get (ledger, positional[0], &error)) == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_key_members (builder, key);
      cp_cli_json_add_time (builder, "revoked_at", key->revoked_at);
      cp_cli_json_add_string (builder, "state", "revoked");
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
    }
  else
    cp_cli_info (cli, _("Revoked the API key %s (“%s”). Programs using it are refused from now on."),
                 key->id, key->name);

  return CP_CLI_EXIT_OK;
}
