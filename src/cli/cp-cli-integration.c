/* cp-cli-integration.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `integration platforms|add|list|show|test|pause|resume|remove`.
 * Credentials come as a JSON object on standard input and go to the
 * Secret Service only: never argv, the ledger, a log or the output.
 */

#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>

#include "cp-cli-integration.h"
#include "cp-cli-output.h"
#include "cp-credentials.h"
#include "cp-json-limits.h"

/* Credentials are a few short strings; anything near this is a wrong
 * file piped in by mistake. */
#define MAX_CREDENTIALS_SIZE (64 * 1024)
#define MAX_CREDENTIALS_DEPTH 4

/* Where a platform has one address for every account (CLI.md). Shop
 * platforms (Shopify, WooCommerce) have none: the shop is the address. */
static const struct
{
  const char *platform;
  const char *base_url;
} default_base_urls[] = {
  { "ecomv2", "https://api.ecommerce-platform.com/v2" },
  { "doordash", "https://openapi.doordash.com" },
  { "ubereats", "https://api.uber.com" },
  { "quickbooks", "https://quickbooks.api.intuit.com" },
  { "xero", "https://api.xero.com" },
  { "stripe", "https://api.stripe.com" },
};

static const struct
{
  CpConnectorCaps  cap;
  const char      *key;
  const char      *words;
} capability_names[] = {
  { CP_CONNECTOR_CAP_PUSH_STOCK, "push_stock", N_("send stock levels") },
  { CP_CONNECTOR_CAP_PUSH_PRODUCTS, "push_products", N_("send products") },
  { CP_CONNECTOR_CAP_PULL_ORDERS, "pull_orders", N_("receive orders") },
  { CP_CONNECTOR_CAP_PUSH_ORDER_STATUS, "push_order_status", N_("send order status") },
  { CP_CONNECTOR_CAP_REMOTE_CATALOG, "remote_catalog", N_("match products by SKU") },
  { CP_CONNECTOR_CAP_IDEMPOTENCY_KEYS, "idempotency_keys", NULL },
  { CP_CONNECTOR_CAP_FIND_BY_REFERENCE, "find_by_reference", NULL },
};

static const char *
default_base_url (const char *platform)
{
  for (gsize i = 0; i < G_N_ELEMENTS (default_base_urls); i++)
    if (g_str_equal (default_base_urls[i].platform, platform))
      return default_base_urls[i].base_url;

  return NULL;
}

/* Overwrites a secret before freeing it, so it does not linger in freed
 * memory (core dumps, a later allocation's garbage). */
static void
wipe_free (char *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

typedef char WipedString;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WipedString, wipe_free)

/* Health */

const char *
cp_cli_integration_health (const CpIntegration *integration,
                           gint64               now)
{
  if (integration->attention != NULL)
    return "needs_attention";
  if (cp_integration_is_paused (integration))
    return "paused";
  if (integration->wait_until > now)
    return "waiting";
  if (integration->last_error_at > integration->last_success_at)
    return "failing";
  if (integration->last_success_at > 0)
    return "ok";
  return "never_synced";
}

char *
cp_cli_format_ago (gint64 at_us,
                   gint64 now)
{
  gint64 seconds = (now - at_us) / G_USEC_PER_SEC;

  if (seconds < 60)
    return g_strdup (_("just now"));
  if (seconds < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago",
                                         seconds / 60),
                            (int) (seconds / 60));
  if (seconds < 48 * 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago",
                                         seconds / 3600),
                            (int) (seconds / 3600));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago",
                                       seconds / 86400),
                          (int) MIN (seconds / 86400, G_MAXINT));
}

char *
cp_cli_integration_describe (const CpIntegration *integration,
                             gint64               now)
{
  const char *health = cp_cli_integration_health (integration, now);

  if (g_str_equal (health, "needs_attention"))
    return g_strdup_printf (_("Needs attention: %s"), integration->attention);
  if (g_str_equal (health, "paused"))
    return g_strdup (_("Paused: changes are kept and sent when it is resumed"));
  if (g_str_equal (health, "waiting"))
    {
      gint64 seconds = (integration->wait_until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

      return g_strdup_printf (_("Waiting: the platform asked us to slow down, resuming in %d s"),
                              (int) MIN (seconds, G_MAXINT));
    }
  if (g_str_equal (health, "failing"))
    return g_strdup_printf (_("The last sync failed: %s"),
                            integration->last_error != NULL ? integration->last_error : "");
  if (g_str_equal (health, "ok"))
    {
      g_autofree char *ago = cp_cli_format_ago (integration->last_success_at, now);

      return g_strdup_printf (_("Up to date, synced %s"), ago);
    }
  return g_strdup (_("Not synced yet"));
}

static const char *
status_of (const CpIntegration *integration)
{
  if (integration->attention != NULL)
    return "needs_attention";
  return cp_integration_is_paused (integration) ? "paused" : "active";
}

void
cp_cli_integration_add_members (JsonBuilder         *builder,
                                const CpIntegration *integration)
{
  gint64 now = cp_ledger_now_us ();

  cp_cli_json_add_string (builder, "id", integration->id);
  cp_cli_json_add_string (builder, "name", integration->name);
  cp_cli_json_add_string (builder, "platform", integration->platform);
  cp_cli_json_add_string (builder, "status", status_of (integration));
  json_builder_set_member_name (builder, "permissions");
  json_builder_begin_array (builder);
  for (guint i = 0; integration->permissions[i] != NULL; i++)
    json_builder_add_string_value (builder, integration->permissions[i]);
  json_builder_end_array (builder);
  cp_cli_json_add_string (builder, "base_url", integration->base_url);
  cp_cli_json_add_string (builder, "health", cp_cli_integration_health (integration, now));
  cp_cli_json_add_string (builder, "attention_kind", integration->attention_kind);
  cp_cli_json_add_string (builder, "attention", integration->attention);
  cp_cli_json_add_int (builder, "queue_depth", integration->queue_depth);
  cp_cli_json_add_int (builder, "dead_jobs", integration->dead_jobs);
  cp_cli_json_add_time (builder, "last_sync", integration->last_success_at);
  cp_cli_json_add_time (builder, "last_error_at", integration->last_error_at);
  cp_cli_json_add_string (builder, "last_error", integration->last_error);
  cp_cli_json_add_time (builder, "wait_until", integration->wait_until);
  cp_cli_json_add_time (builder, "next_run_at", integration->next_run_at);
  cp_cli_json_add_time (builder, "created_at", integration->created_at);
}

void
cp_cli_integration_print_json (const CpIntegration *integration)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  cp_cli_integration_add_members (builder, integration);
  json_builder_end_object (builder);
  cp_cli_print_builder (builder);
}

/* Loading and connecting */

CpIntegration *
cp_cli_integration_load (CpCli       *cli,
                         const char  *id,
                         CpLedger   **out_ledger,
                         int         *out_exit)
{
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  CpIntegration *integration;

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, out_exit);
  if (ledger == NULL)
    return NULL;

  integration = cp_integrations_get (ledger, id, &error);
  if (integration == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      *out_exit = CP_CLI_EXIT_FAILED;
      return NULL;
    }

  *out_ledger = g_steal_pointer (&ledger);
  *out_exit = CP_CLI_EXIT_OK;
  return integration;
}

CpIntegration *
cp_cli_integration_load_arg (CpCli       *cli,
                             int          argc,
                             char       **argv,
                             CpLedger   **out_ledger,
                             int         *out_exit)
{
  const CpCliOption options[] = { { NULL } };
  g_auto(GStrv) positional = NULL;

  *out_exit = cp_cli_parse_args (cli, options, 1, 1, argc, argv, &positional);
  if (*out_exit >= 0)
    return NULL;

  return cp_cli_integration_load (cli, positional[0], out_ledger, out_exit);
}

gboolean
cp_cli_integration_start_sandbox (CpCli            *cli,
                                  CpLedger         *ledger,
                                  CpIntegration   **integration,
                                  CpSandboxServer **out_server,
                                  int              *out_exit)
{
  g_autoptr(CpSandboxServer) server = NULL;
  g_autoptr(GError) error = NULL;
  CpIntegration *again;

  *out_exit = CP_CLI_EXIT_OK;
  if (!cli->sandbox)
    return TRUE;

  server = cp_cli_start_sandbox (cli, ledger, out_exit);
  if (server == NULL)
    return FALSE;

  again = cp_integrations_get (ledger, (*integration)->id, &error);
  if (again == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      *out_exit = CP_CLI_EXIT_FAILED;
      return FALSE;
    }

  cp_integration_free (*integration);
  *integration = again;
  *out_server = g_steal_pointer (&server);
  return TRUE;
}

int
cp_cli_integration_report_error (CpCli        *cli,
                                 const char   *doing,
                                 const GError *error)
{
  if (error->domain == CP_CONNECTOR_ERROR)
    {
      switch ((CpConnectorError) error->code)
        {
        case CP_CONNECTOR_ERROR_AUTH:
          /* The connector's message says what the platform refused and
           * what to do; the word "credentials" is what scripts look for. */
          cp_cli_error (cli, _("%s: the credentials were rejected. %s"), doing, error->message);
          return CP_CLI_EXIT_ATTENTION;
        case CP_CONNECTOR_ERROR_PERMISSION:
          cp_cli_error (cli, _("%s: the credentials lack a permission. %s"), doing, error->message);
          return CP_CLI_EXIT_ATTENTION;
        case CP_CONNECTOR_ERROR_CONFIG:
          cp_cli_error (cli, "%s: %s", doing, error->message);
          return CP_CLI_EXIT_ATTENTION;
        case CP_CONNECTOR_ERROR_RATE_LIMITED:
          {
            gint64 wait_s = cp_connector_error_get_wait_us (error) / G_USEC_PER_SEC;

            cp_cli_error (cli, _("%s: the platform asked us to slow down. Try again in %d s."),
                          doing, (int) MAX (1, MIN (wait_s, G_MAXINT)));
            return CP_CLI_EXIT_FAILED;
          }
        case CP_CONNECTOR_ERROR_TRANSIENT:
          cp_cli_error (cli, _("%s: the platform could not be reached or did not answer. %s "
                               "Check the address and the network, then try again."),
                        doing, error->message);
          return CP_CLI_EXIT_FAILED;
        case CP_CONNECTOR_ERROR_INVALID_DATA:
        case CP_CONNECTOR_ERROR_REMOTE_BUG:
        case CP_CONNECTOR_ERROR_NOT_FOUND:
        default:
          break;
        }
    }

  cp_cli_error (cli, "%s: %s", doing, error->message);
  return CP_CLI_EXIT_FAILED;
}

static const CpPlatformInfo *
lookup_platform (CpCli      *cli,
                 const char *platform,
                 int        *out_exit)
{
  const CpPlatformInfo *info = cp_connector_lookup_platform (platform);
  const CpPlatformInfo * const *all;
  g_autoptr(GString) names = NULL;
  guint n = 0;

  if (info != NULL)
    return info;

  all = cp_connector_list_platforms (&n);
  names = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", all[i]->platform);

  cp_cli_error (cli, _("This version of Counterpart cannot connect to “%s”. It can connect to: %s. "
                       "See “counterpart-cli integration platforms”."),
                platform, names->str);
  *out_exit = CP_CLI_EXIT_FAILED;
  return NULL;
}

CpConnector *
cp_cli_integration_connect (CpCli               *cli,
                            CpLedger            *ledger,
                            const CpIntegration *integration,
                            int                 *out_exit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WipedString) credentials = NULL;
  g_autofree char *key = NULL;
  CpConnector *connector;

  *out_exit = CP_CLI_EXIT_FAILED;
  if (lookup_platform (cli, integration->platform, out_exit) == NULL)
    return NULL;

  key = cp_integrations_credential_key (ledger, integration->id, &error);
  credentials = key != NULL ? cp_credentials_lookup_sync (key, NULL, &error) : NULL;
  if (credentials == NULL)
    {
      if (g_error_matches (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_NOT_FOUND))
        {
          cp_cli_error (cli, _("No credentials are stored for “%s” (%s). Enter them in the window "
                               "(Integrations → Edit credentials), or remove the integration and "
                               "add it again with --credentials-stdin."),
                        integration->name, integration->id);
          *out_exit = CP_CLI_EXIT_ATTENTION;
        }
      else
        cp_cli_error (cli, _("Could not read the credentials of “%s” from the keyring: %s"),
                      integration->name, error->message);
      return NULL;
    }

  connector = cp_connector_new_for_platform (integration->platform, integration->id,
                                             integration->base_url, credentials, &error);
  if (connector == NULL)
    {
      *out_exit = cp_cli_integration_report_error (cli, _("Could not connect"), error);
      return NULL;
    }

  *out_exit = CP_CLI_EXIT_OK;
  return connector;
}

/* integration platforms */

int
cp_cli_integration_platforms (CpCli  *cli,
                              int     argc,
                              char  **argv)
{
  const CpCliOption options[] = { { NULL } };
  g_auto(GStrv) positional = NULL;
  const CpPlatformInfo * const *platforms;
  guint n = 0;
  int status;

  status = cp_cli_parse_args (cli, options, 0, 0, argc, argv, &positional);
  if (status >= 0)
    return status;

  platforms = cp_connector_list_platforms (&n);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "data");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          const CpPlatformInfo *info = platforms[i];

          json_builder_begin_object (builder);
          cp_cli_json_add_string (builder, "platform", info->platform);
          cp_cli_json_add_string (builder, "name", _(info->display_name));
          json_builder_set_member_name (builder, "capabilities");
          json_builder_begin_array (builder);
          for (gsize c = 0; c < G_N_ELEMENTS (capability_names); c++)
            if (info->capabilities & capability_names[c].cap)
              json_builder_add_string_value (builder, capability_names[c].key);
          json_builder_end_array (builder);
          json_builder_set_member_name (builder, "credential_fields");
          json_builder_begin_array (builder);
          for (guint f = 0; info->credential_fields != NULL && info->credential_fields[f] != NULL; f++)
            json_builder_add_string_value (builder, info->credential_fields[f]);
          json_builder_end_array (builder);
          cp_cli_json_add_string (builder, "default_base_url", default_base_url (info->platform));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
    }
  else if (n == 0)
    printf ("%s\n", _("This build of Counterpart has no connectors, so it cannot connect to any "
                      "platform."));
  else
    {
      g_autoptr(CpCliTable) table = cp_cli_table_new (_("PLATFORM"), _("NAME"), _("CAN"),
                                                      _("CREDENTIALS"), NULL);

      for (guint i = 0; i < n; i++)
        {
          const CpPlatformInfo *info = platforms[i];
          g_autoptr(GString) can = g_string_new (NULL);
          g_autofree char *fields = info->credential_fields != NULL
                                    ? g_strjoinv (", ", (char **) info->credential_fields)
                                    : g_strdup ("");

          for (gsize c = 0; c < G_N_ELEMENTS (capability_names); c++)
            if ((info->capabilities & capability_names[c].cap) && capability_names[c].words != NULL)
              g_string_append_printf (can, "%s%s", can->len > 0 ? ", " : "",
                                      _(capability_names[c].words));
          cp_cli_table_add_row (table, info->platform, _(info->display_name), can->str, fields, NULL);
        }
      cp_cli_table_print (table);
    }

  return CP_CLI_EXIT_OK;
}

/* integration add */

/* Reads at most MAX_CREDENTIALS_SIZE bytes of standard input, NUL-terminated. */
static char *
read_credentials (GError **error)
{
  g_autoptr(GInputStream) input = g_unix_input_stream_new (0, FALSE);
  gsize capacity = MAX_CREDENTIALS_SIZE + 1;
  char *buffer = g_malloc0 (capacity + 1);
  gsize length = 0;

  if (!g_input_stream_read_all (input, buffer, capacity, &length, NULL, error))
    {
      wipe_free (buffer);
      return NULL;
    }

  if (length > MAX_CREDENTIALS_SIZE)
    {
      explicit_bzero (buffer, capacity);
      g_free (buffer);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Standard input holds more than %d KB; credentials are a short JSON object "
                     "such as {\"api_key\": \"…\"}."),
                   MAX_CREDENTIALS_SIZE / 1024);
      return NULL;
    }

  buffer[length] = '\0';
  return buffer;
}

/* Checks that TEXT is a JSON object with a non-empty string for each of
 * the platform's fields and returns it compact. Messages never quote the
 * input: it is a secret. */
static char *
check_credentials (const CpPlatformInfo  *info,
                   const char            *text,
                   GError               **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = NULL;
  JsonObject *object;

  if (!cp_json_check_limits (text, strlen (text), MAX_CREDENTIALS_SIZE, MAX_CREDENTIALS_DEPTH, NULL) ||
      !json_parser_load_from_data (parser, text, -1, NULL) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Standard input must hold the credentials as one JSON object, such as "
                     "{\"%s\": \"…\"}."),
                   info->credential_fields != NULL && info->credential_fields[0] != NULL
                   ? info->credential_fields[0] : "api_key");
      return NULL;
    }

  object = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; info->credential_fields != NULL && info->credential_fields[i] != NULL; i++)
    {
      const char *field = info->credential_fields[i];
      JsonNode *member = json_object_get_member (object, field);

      if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING ||
          *json_node_get_string (member) == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The credentials for %s need “%s” as a text value in the JSON object "
                         "on standard input."),
                       info->platform, field);
          return NULL;
        }
    }

  generator = json_generator_new ();
  json_generator_set_root (generator, json_parser_get_root (parser));
  return json_generator_to_data (generator, NULL);
}

static gboolean
parse_permissions (const char  *text,
                   GStrv       *out_permissions,
                   GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);

      if (*part != '\0')
        g_strv_builder_add (builder, part);
    }

  result = g_strv_builder_end (builder);
  if (!cp_integrations_validate_permissions ((const char * const *) result, error))
    return FALSE;

  *out_permissions = g_steal_pointer (&result);
  return TRUE;
}

/* Tests the credentials before anything is saved. */
static int
test_new_credentials (CpCli       *cli,
                      const char  *platform,
                      const char  *base_url,
                      const char  *credentials,
                      char       **out_account)
{
  g_autoptr(CpConnector) connector = NULL;
  g_autoptr(GError) error = NULL;
  /* Not an id anything is stored under: the integration does not exist
   * until the test passed. */
  g_autofree char *provisional_id = g_strdup_printf ("%s-new", platform);

  connector = cp_connector_new_for_platform (platform, provisional_id, base_url, credentials, &error);
  if (connector == NULL ||
      !cp_connector_test (connector, out_account, NULL, &error))
    {
      int status = cp_cli_integration_report_error (cli, _("Nothing was added"), error);

      if (status != CP_CLI_EXIT_ATTENTION)
        cp_cli_error (cli, "%s", _("To add it anyway and test later, run the command again "
                                   "with --no-test."));
      return status;
    }

  return CP_CLI_EXIT_OK;
}

int
cp_cli_integration_add (CpCli  *cli,
                        int     argc,
                        char  **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *base_url_arg = NULL;
  g_autofree char *permissions_arg = NULL;
  gboolean credentials_stdin = FALSE;
  gboolean no_test = FALSE;
  const CpCliOption options[] = {
    { "name", TRUE, NULL, &name },
    { "base-url", TRUE, NULL, &base_url_arg },
    { "permissions", TRUE, NULL, &permissions_arg },
    { "credentials-stdin", FALSE, &credentials_stdin, NULL },
    { "no-test", FALSE, &no_test, NULL },
    { NULL },
  };
  g_auto(GStrv) positional = NULL;
  g_auto(GStrv) permissions = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpIntegration) integration = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WipedString) credentials = NULL;
  g_autofree char *account = NULL;
  g_autofree char *id = NULL;
  g_autofree char *label = NULL;
  const CpPlatformInfo *info;
  const char *platform;
  const char *base_url;
  gboolean needs_credentials;
  int status;

  status = cp_cli_parse_args (cli, options, 1, 1, argc, argv, &positional);
  if (status >= 0)
    return status;

  platform = positional[0];
  info = lookup_platform (cli, platform, &status);
  if (info == NULL)
    return CP_CLI_EXIT_USAGE;

  if (name == NULL || *g_strstrip (name) == '\0')
    return cp_cli_usage_error (cli, "%s", _("An integration needs a name, such as “Web shop”: "
                                            "add --name NAME."));

  /* A refused address or permission is a mistake in the command line,
   * found before anything is read, tested or written: a usage error. */
  base_url = base_url_arg != NULL ? base_url_arg : default_base_url (platform);
  if (base_url == NULL)
    return cp_cli_usage_error (cli, _("%s has no single address: give the shop’s with "
                                      "--base-url, such as https://shop.example.com."),
                               platform);
  if (!cp_integrations_validate_base_url (base_url, &error))
    return cp_cli_usage_error (cli, "%s", error->message);

  if (permissions_arg != NULL && !parse_permissions (permissions_arg, &permissions, &error))
    return cp_cli_usage_error (cli, "%s", error->message);

  needs_credentials = info->credential_fields != NULL && info->credential_fields[0] != NULL;
  if (needs_credentials && !credentials_stdin && !no_test)
    return cp_cli_usage_error (cli, _("Give the credentials as a JSON object on standard input "
                                      "with --credentials-stdin (they are never accepted as "
                                      "arguments), or add --no-test to enter them later."));

  if (credentials_stdin)
    {
      g_autoptr(WipedString) text = read_credentials (&error);

      if (text != NULL)
        credentials = check_credentials (info, text, &error);
      if (credentials == NULL)
        return cp_cli_usage_error (cli, "%s", error->message);

      /* Find out now, before testing and saving, that they could not be
       * kept. */
      if (!cp_credentials_check_sync (NULL, &error))
        {
          /* The keyring's message says what to do about it. */
          cp_cli_error (cli, _("Nothing was added: the credentials cannot be kept safely. %s"),
                        error->message);
          return CP_CLI_EXIT_FAILED;
        }
    }

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;

  if (!no_test)
    {
      status = test_new_credentials (cli, platform, base_url, credentials, &account);
      if (status != CP_CLI_EXIT_OK)
        return status;
    }

  id = cp_integrations_add (ledger, platform, name, base_url,
                            (const char * const *) permissions, &error);
  if (id == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  if (credentials != NULL)
    {
      g_autofree char *key = cp_integrations_credential_key (ledger, id, &error);

      label = g_strdup_printf (_("Counterpart: %s (%s)"), name, id);
      if (key == NULL || !cp_credentials_store_sync (key, label, credentials, NULL, &error))
        {
          g_autoptr(GError) remove_error = NULL;

          /* No integration without its credentials: take the row back. */
          if (!cp_integrations_remove (ledger, id, &remove_error))
            cp_cli_error (cli, _("Could not take back the integration %s: %s. Remove it with "
                                 "“counterpart-cli integration remove %s”."),
                          id, remove_error->message, id);
          cp_cli_error (cli, _("Nothing was added: the keyring did not store the credentials (%s). "
                               "Unlock the keyring (Passwords and Keys), then run the command "
                               "again."),
                        error->message);
          return CP_CLI_EXIT_FAILED;
        }
    }

  integration = cp_integrations_get (ledger, id, &error);
  if (integration == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  if (cli->json)
    cp_cli_integration_print_json (integration);
  else if (account != NULL)
    cp_cli_info (cli, _("Connected “%s” (%s) to %s as “%s”. It syncs on the next "
                        "“counterpart-cli sync”."),
                 integration->name, integration->id, _(info->display_name), account);
  else
    cp_cli_info (cli, _("Added “%s” (%s) without testing it. The next “counterpart-cli sync” "
                        "tests it, and says so when the credentials need attention."),
                 integration->name, integration->id);

  return CP_CLI_EXIT_OK;
}
