/* cp-cli.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * counterpart-cli: the window's work, headless, for scripts, spreadsheets
 * and servers. The command names, flags, exit codes and --json shapes are
 * a contract (shared/CLI.md); this file reads the global flags and hands
 * each command to its own file.
 */

#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cp-catalog.h"
#include "cp-cli-output.h"
#include "cp-cli-private.h"
#include "cp-connectors.h"
#if CP_HAVE_DEMO
#include "cp-demo.h"
#endif

typedef int (*CpCliCommandFunc) (CpCli *cli, int argc, char **argv);

typedef struct
{
  const char       *group;   /* NULL for a one-word command */
  const char       *name;
  CpCliCommandFunc  func;
  const char       *usage;
  const char       *help;
} CpCliCommand;

static const CpCliCommand commands[] = {
  { NULL, "init", cp_cli_init,
    N_("init [--demo] [--currency CODE]"),
    N_("Create the ledger and its first location, MAIN.\n\n"
       "  --demo           fill the new ledger with the demo shop\n"
       "  --currency CODE  the shop's currency (ISO 4217, default USD)") },
  { NULL, "status", cp_cli_status,
    N_("status"),
    N_("Show the ledger's path and size, what it holds, and the integrations.") },
  { "locations", "list", cp_cli_locations_list,
    N_("locations list"),
    N_("List the shop's locations.") },
  { "locations", "add", cp_cli_locations_add,
    N_("locations add CODE --name NAME [--currency CODE]"),
    N_("Add a location. CODE is short, such as WAREHOUSE-2.\n\n"
       "  --name NAME      what people call it\n"
       "  --currency CODE  its currency (default: the shop's)") },
  { "catalog", "import", cp_cli_catalog_import,
    N_("catalog import FILE.csv"),
    N_("Import or update products and variants by SKU. Nothing is imported\n"
       "unless every row is valid; each problem names its line and column.") },
  { "catalog", "export", cp_cli_catalog_export,
    N_("catalog export FILE [--format csv|xlsx|json]"),
    N_("Export the catalog with stock per location.\n\n"
       "  --format FORMAT  csv, xlsx or json (default: from FILE's extension, else csv)") },
  { "stock", "show", cp_cli_stock_show,
    N_("stock show [SKU] [--location CODE]"),
    N_("Show on hand, reserved, safety stock and available.\n\n"
       "  --location CODE  only this location") },
  { "stock", "adjust", cp_cli_stock_adjust,
    N_("stock adjust SKU --location CODE --delta N --reason REASON [--note TEXT]"),
    N_("Record a stock movement in the journal.\n\n"
       "  --location CODE  where the stock is\n"
       "  --delta N        units in (positive) or out (negative)\n"
       "  --reason REASON  received, sold, returned, damaged, lost, count,\n"
       "                   correction or transfer\n"
       "  --note TEXT      a note kept with the movement") },
  { "stock", "set-safety", cp_cli_stock_set_safety,
    N_("stock set-safety SKU --location CODE --quantity N"),
    N_("Set the safety stock held back when publishing availability.\n\n"
       "  --location CODE  where\n"
       "  --quantity N     units held back (0 or more)") },
  { "sales", "record", cp_cli_sales_record,
    N_("sales record FILE.json"),
    N_("Record POS sales from a JSON document (\"-\" reads standard input).\n"
       "A sale recorded before is left as it is.") },
  { "orders", "list", cp_cli_orders_list,
    N_("orders list [--source S] [--status S] [--since T] [--limit N] [--needs-mapping]"),
    N_("List orders from every source, newest first.\n\n"
       "  --source S   pos or an integration id\n"
       "  --status S   completed, awaiting_payment, cancelled, refunded, …\n"
       "  --since T    an ISO 8601 date or date and time\n"
       "  --limit N    at most N orders (default 50; no limit with --json)\n"
       "  --needs-mapping  instead, the lines of store orders whose SKU names\n"
       "               no product (imported, but not counted in stock)") },
  { "jobs", "list", cp_cli_jobs_list,
    N_("jobs list [--state pending|dead|done] [--integration ID] [--limit N]"),
    N_("List the outbox: changes waiting to be sent to the stores, and the ones\n"
       "that gave up (dead), with their last error. Without --state: pending,\n"
       "started and dead jobs.\n\n"
       "  --state S         pending, started, dead, done or cancelled\n"
       "  --integration ID  only this integration's jobs\n"
       "  --limit N         at most N jobs (default 100; no limit with --json)") },
  { "jobs", "retry", cp_cli_jobs_retry,
    N_("jobs retry ID | --all-dead [--integration ID]"),
    N_("Send dead jobs again at the next sync, with all their attempts.\n\n"
       "  --all-dead        every dead job (of --integration ID, when given)") },
  { NULL, "activity", cp_cli_activity,
    N_("activity [--integration ID] [--type T] [--since T] [--limit N] [--severity S]"),
    N_("Show the activity log, newest first: what was synced and what went wrong.\n\n"
       "  --integration ID  only this integration's events\n"
       "  --type T          only events of this type, such as StoreConnectionFailed\n"
       "  --since T         an ISO 8601 date or date and time\n"
       "  --limit N         at most N events (default 50; no limit with --json)\n"
       "  --severity S      info, warning or error: this severity and worse") },
  { "api-keys", "create", cp_cli_api_keys_create,
    N_("api-keys create NAME --scopes S,S"),
    N_("Create a key for the local API (see serve). Its secret is printed once,\n"
       "now; Counterpart keeps only a fingerprint of it.\n\n"
       "  --scopes S,S  what the key may do: integrations.read (GET /api/v1/integrations),\n"
       "                integrations.sync (POST /api/v1/integrations/ID/sync),\n"
       "                orders.read, webhooks.write") },
  { "api-keys", "list", cp_cli_api_keys_list,
    N_("api-keys list"),
    N_("List the keys of the local API, with their scopes and last use (never\n"
       "their secrets).") },
  { "api-keys", "revoke", cp_cli_api_keys_revoke,
    N_("api-keys revoke ID"),
    N_("Revoke a key: programs using it are refused from then on.") },
  { NULL, "serve", cp_cli_serve,
    N_("serve [--listen ADDR:PORT] [--tls-certificate FILE [--tls-key FILE]]"),
    N_("Run the local API and the sync engine without a window, until interrupted.\n"
       "Other programs call http://127.0.0.1:8787/api/v1/ with a key from\n"
       "“api-keys create” (GET /api/v1/health needs none).\n\n"
       "  --listen ADDR:PORT      where to listen (default 127.0.0.1:8787: this computer\n"
       "                          only; port 0 picks a free one)\n"
       "  --tls-certificate FILE  a PEM certificate, needed to listen beyond this\n"
       "                          computer (such as 0.0.0.0:8787)\n"
       "  --tls-key FILE          its private key, unless FILE holds both") },
  { NULL, "sync", cp_cli_sync,
    N_("sync [--integration ID] [--once | --watch] [--full] [--reconcile] [--max-wait SECONDS]"),
    N_("Send the outbox and fetch orders from the stores.\n\n"
       "  --integration ID    only this integration\n"
       "  --once              every due pull, then the outbox until it is empty (the default)\n"
       "  --watch             keep syncing as changes come, until interrupted\n"
       "  --full              send the stock (and products) of every variant first\n"
       "  --reconcile         compare the stock of every linked product with the store\n"
       "                      first and correct what differs (--watch also does it\n"
       "                      every reconcile_hours, 24 by default)\n"
       "  --max-wait SECONDS  how long --once waits out rate limits and retries (default 300)\n\n"
       "Exit status: 0 all done, 3 some jobs failed or still wait (listed),\n"
       "4 an integration needs attention (credentials, mapping).") },
  { "integration", "platforms", cp_cli_integration_platforms,
    N_("integration platforms"),
    N_("List the platforms this version can connect to, what it can do with each\n"
       "and the credentials each needs.") },
  { "integration", "add", cp_cli_integration_add,
    N_("integration add PLATFORM --name NAME [--base-url URL] [--credentials-stdin] [--permissions P,P] [--no-test]"),
    N_("Connect an account on PLATFORM. The credentials are tested first; nothing is\n"
       "saved when they are rejected (exit status 4).\n\n"
       "  --name NAME          what to call it, such as \"Web shop\"\n"
       "  --base-url URL       the shop's address (https://; http only for this computer)\n"
       "  --credentials-stdin  read the credentials as a JSON object from standard input;\n"
       "                       they are kept in the keyring only\n"
       "  --permissions P,P    products.sync, orders.pull, orders.push, inventory.sync\n"
       "                       (default: orders.pull,inventory.sync)\n"
       "  --no-test            save without testing; the next sync tests it") },
  { "integration", "list", cp_cli_integration_list,
    N_("integration list"),
    N_("List the integrations with their state and queue.") },
  { "integration", "show", cp_cli_integration_show,
    N_("integration show ID"),
    N_("Show one integration: address, permissions, state, queue, last sync.") },
  { "integration", "test", cp_cli_integration_test,
    N_("integration test ID"),
    N_("Check that the platform accepts the stored credentials (exit status 4 when not).") },
  { "integration", "pause", cp_cli_integration_pause,
    N_("integration pause ID"),
    N_("Stop syncing an integration. Changes are still recorded and sent on resume.") },
  { "integration", "resume", cp_cli_integration_resume,
    N_("integration resume ID"),
    N_("Sync a paused integration again.") },
  { "integration", "remove", cp_cli_integration_remove,
    N_("integration remove ID"),
    N_("Remove an integration and its credentials. Its orders and activity stay.") },
  { "integration", "map", cp_cli_integration_map,
    N_("integration map ID --show | --location LOCAL_CODE=REMOTE_ID | --exclude SKU | --include SKU"),
    N_("Match products by SKU and map locations.\n\n"
       "  --show                          list what matched and what did not\n"
       "  --location LOCAL_CODE=REMOTE_ID send the stock of a location to the\n"
       "                                  platform's location REMOTE_ID\n"
       "  --exclude SKU[,SKU]             keep the SKU's product (every variant of it)\n"
       "                                  off this store: no stock, no price\n"
       "  --include SKU[,SKU]             send it to this store again") },
  { "sandbox", "serve", cp_cli_sandbox_serve,
    N_("sandbox serve [--platform P] [--port N] [--faults SPEC]"),
    N_("Run one fake platform on 127.0.0.1 until interrupted, with its demo data,\n"
       "for demos and for testing other tools. Needs no ledger.\n\n"
       "  --platform P   the platform to fake (default ecomv2)\n"
       "  --port N       the port (default 0: any free one, printed at start)\n"
       "  --faults SPEC  faults to inject, such as\n"
       "                 5xx=0.1,429=0.05,reset=0.02,truncate=0.01,malformed=0.01,\n"
       "                 latency=50ms,spike=0.01:2s,retry_after=2,seed=42") },
};

/* Commands of the contract that later versions bring. They say so and
 * fail, never pretend to succeed. Groups take their subcommand along in
 * the message. */
static const struct
{
  const char *name;
  gboolean    group;
} unavailable[] = {
  { "external-orders", TRUE },
  { "export", FALSE },
  { "report", TRUE },
  { "devices", TRUE },
  { "print", TRUE },
};

/* Options of any command that take a value: the global flags are looked
 * for anywhere, and must not be found inside another option's value
 * (`--note --json`). */
static const char * const value_options[] = {
  "base-url", "permissions",
  "data-dir", "name", "currency", "format", "location", "delta", "reason",
  "note", "quantity", "source", "status", "since", "limit",
  "state", "type", "severity",
  "integration",
  "scopes", "listen", "tls-certificate", "tls-key",
  "platform", "port", "faults", "max-wait", NULL
};

static void
print_global_help (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: counterpart-cli [OPTIONS] COMMAND [ARGUMENTS]"));
  fprintf (out, "%s\n\n", _("Run the shop's back office from the command line."));
  fprintf (out, "%s\n", _("Options:"));
  fprintf (out, "  --data-dir DIR  %s\n", _("use the ledger in DIR"));
  fprintf (out, "  --json          %s\n", _("print one JSON document on standard output"));
  fprintf (out, "  --sandbox       %s\n", _("use the sandbox and its demo shop, apart from your data"));
  fprintf (out, "  --quiet         %s\n", _("print only what was asked for and errors"));
  fprintf (out, "  --version       %s\n", _("print the version"));
  fprintf (out, "  --help          %s\n\n", _("print this help; COMMAND --help for a command's"));
  fprintf (out, "%s\n", _("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %s\n", _(commands[i].usage));
  fprintf (out, "\n%s\n", _("Exit status: 0 done, 1 failed, 2 usage error, 3 partly done, 4 needs attention."));
}

static void
print_command_help (const CpCliCommand *command,
                    FILE               *out)
{
  fprintf (out, _("Usage: counterpart-cli [OPTIONS] %s"), _(command->usage));
  fprintf (out, "\n\n%s\n", _(command->help));
}

static void
print_group_help (const char *group,
                  FILE       *out)
{
  fprintf (out, "%s\n", _("Usage:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].group, group) == 0)
      fprintf (out, "  counterpart-cli [OPTIONS] %s\n", _(commands[i].usage));
}

void
cp_cli_error (CpCli      *cli,
              const char *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fflush (stdout);
  fprintf (stderr, "counterpart-cli: %s\n", message);
}

void
cp_cli_info (CpCli      *cli,
             const char *format,
             ...)
{
  va_list args;

  if (cli->json || cli->quiet)
    return;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  fputc ('\n', stdout);
}

int
cp_cli_usage_error (CpCli      *cli,
                    const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fflush (stdout);
  fprintf (stderr, "counterpart-cli: %s\n", message);
  if (cli->usage != NULL)
    fprintf (stderr, _("Usage: counterpart-cli [OPTIONS] %s"), _(cli->usage));
  else
    fprintf (stderr, "%s", _("Usage: counterpart-cli [OPTIONS] COMMAND [ARGUMENTS]"));
  fprintf (stderr, "\n%s\n", _("Run “counterpart-cli --help” to see every command."));

  return CP_CLI_EXIT_USAGE;
}

gboolean
cp_cli_parse_int64 (const char *text,
                    gint64      min,
                    gint64      max,
                    gint64     *out_value)
{
  gint64 value;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, min, max, &value, NULL))
    return FALSE;

  *out_value = value;
  return TRUE;
}

/* An ISO 8601 date (midnight, local time: what a shop owner means by a
 * day) or date and time (local unless it names its zone). */
gboolean
cp_cli_parse_since (const char *text,
                    gint64     *out_us)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();

  if (text == NULL || *text == '\0')
    return FALSE;

  if (strchr (text, 'T') == NULL && strchr (text, 't') == NULL && strchr (text, ' ') == NULL)
    {
      g_autofree char *midnight = g_strconcat (text, "T00:00:00", NULL);

      dt = g_date_time_new_from_iso8601 (midnight, local);
    }
  else
    {
      g_autofree char *copy = g_strdup (text);

      /* "2026-11-01 09:30" is how people type it. */
      g_strdelimit (copy, " ", 'T');
      dt = g_date_time_new_from_iso8601 (copy, local);
    }

  if (dt == NULL)
    return FALSE;

  *out_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

int
cp_cli_parse_args (CpCli              *cli,
                   const CpCliOption  *options,
                   guint               min_positional,
                   guint               max_positional,
                   int                 argc,
                   char              **argv,
                   char             ***out_positional)
{
  g_autoptr(GStrvBuilder) positional = g_strv_builder_new ();
  gboolean options_done = FALSE;
  guint n_positional = 0;

  for (int i = 0; i < argc; i++)
    {
      const char *arg = argv[i];
      g_autofree char *name = NULL;
      const char *value = NULL;
      const char *eq;
      const CpCliOption *option = NULL;

      if (options_done || arg[0] != '-' || arg[1] == '\0')
        {
          g_strv_builder_add (positional, arg);
          n_positional++;
          continue;
        }

      if (g_str_equal (arg, "--"))
        {
          options_done = TRUE;
          continue;
        }

      if (g_str_equal (arg, "--help") || g_str_equal (arg, "-h"))
        {
          fprintf (stdout, _("Usage: counterpart-cli [OPTIONS] %s"), _(cli->usage));
          fprintf (stdout, "\n\n%s\n", _(cli->help));
          return CP_CLI_EXIT_OK;
        }

      if (!g_str_has_prefix (arg, "--"))
        return cp_cli_usage_error (cli, _("Unknown option “%s”."), arg);

      eq = strchr (arg, '=');
      name = eq != NULL ? g_strndup (arg + 2, eq - arg - 2) : g_strdup (arg + 2);
      for (const CpCliOption *o = options; o != NULL && o->name != NULL; o++)
        if (g_str_equal (o->name, name))
          option = o;

      if (option == NULL)
        return cp_cli_usage_error (cli, _("“%s” has no option “--%s”."), cli->command, name);

      if (!option->takes_value)
        {
          if (eq != NULL)
            return cp_cli_usage_error (cli, _("The option “--%s” takes no value."), name);
          *option->flag = TRUE;
          continue;
        }

      if (eq != NULL)
        value = eq + 1;
      else if (i + 1 < argc)
        value = argv[++i];
      else
        return cp_cli_usage_error (cli, _("The option “--%s” needs a value."), name);

      g_free (*option->value);
      *option->value = g_strdup (value);
    }

  if (n_positional < min_positional)
    return cp_cli_usage_error (cli, _("“%s” needs more arguments: see its usage below."),
                               cli->command);
  *out_positional = g_strv_builder_end (positional);
  if (n_positional > max_positional)
    {
      g_autofree char *extra = g_strdup ((*out_positional)[max_positional]);

      g_clear_pointer (out_positional, g_strfreev);
      return cp_cli_usage_error (cli, _("“%s” does not take the argument “%s”."),
                                 cli->command, extra);
    }
  return -1;
}

char *
cp_cli_get_data_dir (CpCli *cli)
{
  if (cli->data_dir != NULL)
    return g_strdup (cli->data_dir);
  if (cli->sandbox)
    return g_build_filename (g_get_user_data_dir (), "counterpart-sandbox", NULL);
  return cp_ledger_default_data_dir ();
}

/* The sandbox fills its own ledger with the demo shop once, as the
 * window's --sandbox does. */
static gboolean
prepare_sandbox (CpCli     *cli,
                 CpLedger  *ledger,
                 GError   **error)
{
  g_autofree char *demo = cp_ledger_get_setting (ledger, "demo");

  if (g_strcmp0 (demo, "1") == 0)
    return TRUE;

#if CP_HAVE_DEMO
  {
    CpDemoOptions options;

    if (!cli->quiet)
      fprintf (stderr, "%s\n", _("Creating the sandbox’s demo shop…"));
    cp_demo_options_init (&options);
    return cp_demo_populate (ledger, &options, error);
  }
#else
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("This build of Counterpart has no demo shop yet, so the sandbox "
                         "cannot be created. Use --data-dir with a ledger of your own."));
  return FALSE;
#endif
}

CpLedger *
cp_cli_open_ledger (CpCli     *cli,
                    gboolean   create,
                    gboolean  *out_created,
                    int       *out_exit)
{
  g_autofree char *data_dir = cp_cli_get_data_dir (cli);
  g_autofree char *path = cp_ledger_path_for_data_dir (data_dir);
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  gboolean exists;

  *out_exit = CP_CLI_EXIT_FAILED;
  exists = g_file_test (path, G_FILE_TEST_EXISTS);
  if (out_created != NULL)
    *out_created = !exists;

  /* Only init (and the sandbox) create a ledger: a mistyped --data-dir
   * must not leave an empty shop behind that a script then fills. */
  if (!exists && !create && !cli->sandbox)
    {
      cp_cli_error (cli, _("There is no ledger in %s. Run “counterpart-cli init” to create one, "
                           "or pass --data-dir with the folder that holds yours."), data_dir);
      return NULL;
    }

  if (!exists && g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      cp_cli_error (cli, _("Could not create the folder %s: %s. Check that you may write there, "
                           "or pass another --data-dir."), data_dir, g_strerror (saved_errno));
      return NULL;
    }

  ledger = cp_ledger_open (path, &error);
  if (ledger == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      return NULL;
    }

  if (cli->sandbox && !prepare_sandbox (cli, ledger, &error))
    {
      cp_cli_error (cli, "%s", error->message);
      return NULL;
    }

  *out_exit = CP_CLI_EXIT_OK;
  return g_steal_pointer (&ledger);
}

static gboolean
is_value_option (const char *arg)
{
  return g_str_has_prefix (arg, "--") &&
         strchr (arg, '=') == NULL &&
         g_strv_contains (value_options, arg + 2);
}

static int
run_command (CpCli  *cli,
             int     argc,
             char  **argv)
{
  const char *first = argv[0];
  const char *second = argc > 1 ? argv[1] : NULL;
  gboolean is_group = FALSE;

  if (g_str_equal (first, "help"))
    {
      for (gsize i = 0; second != NULL && i < G_N_ELEMENTS (commands); i++)
        {
          const char *word = commands[i].group != NULL ? commands[i].group : commands[i].name;

          if (g_str_equal (word, second))
            {
              if (commands[i].group == NULL)
                print_command_help (&commands[i], stdout);
              else if (argc > 2)
                {
                  for (gsize j = i; j < G_N_ELEMENTS (commands); j++)
                    if (g_strcmp0 (commands[j].group, second) == 0 &&
                        g_str_equal (commands[j].name, argv[2]))
                      {
                        print_command_help (&commands[j], stdout);
                        return CP_CLI_EXIT_OK;
                      }
                  print_group_help (second, stdout);
                }
              else
                print_group_help (second, stdout);
              return CP_CLI_EXIT_OK;
            }
        }
      print_global_help (stdout);
      return CP_CLI_EXIT_OK;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (unavailable); i++)
    if (g_str_equal (first, unavailable[i].name))
      {
        g_autofree char *name = NULL;

        if (unavailable[i].group && second != NULL && second[0] != '-')
          name = g_strdup_printf ("%s %s", first, second);
        else
          name = g_strdup (first);
        cp_cli_error (cli, _("“%s” is not available in this version of Counterpart."), name);
        return CP_CLI_EXIT_FAILED;
      }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const CpCliCommand *command = &commands[i];

      if (command->group == NULL && g_str_equal (first, command->name))
        {
          cli->command = g_strdup (command->name);
          cli->usage = command->usage;
          cli->help = command->help;
          return command->func (cli, argc - 1, argv + 1);
        }

      if (command->group != NULL && g_str_equal (first, command->group))
        {
          is_group = TRUE;
          if (second != NULL && g_str_equal (second, command->name))
            {
              cli->command = g_strdup_printf ("%s %s", command->group, command->name);
              cli->usage = command->usage;
              cli->help = command->help;
              return command->func (cli, argc - 2, argv + 2);
            }
        }
    }

  if (is_group)
    {
      if (second != NULL && (g_str_equal (second, "--help") || g_str_equal (second, "-h")))
        {
          print_group_help (first, stdout);
          return CP_CLI_EXIT_OK;
        }

      fflush (stdout);
      if (second == NULL)
        fprintf (stderr, _("counterpart-cli: “%s” needs a subcommand."), first);
      else
        fprintf (stderr, _("counterpart-cli: “%s” has no subcommand “%s”."), first, second);
      fputc ('\n', stderr);
      print_group_help (first, stderr);
      return CP_CLI_EXIT_USAGE;
    }

  if (first[0] == '-')
    return cp_cli_usage_error (cli, _("Unknown option “%s”."), first);
  return cp_cli_usage_error (cli, _("Unknown command “%s”."), first);
}

int
main (int   argc,
      char *argv[])
{
  CpCli cli = { 0 };
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  gboolean version = FALSE;
  gboolean help = FALSE;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("counterpart-cli");
  cp_connectors_register_all ();

  /* Global flags count wherever they are; everything else is the
   * command's, in order. */
  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (g_str_equal (arg, "--"))
        {
          for (; i < argc; i++)
            g_ptr_array_add (rest, argv[i]);
          break;
        }
      else if (g_str_equal (arg, "--json"))
        cli.json = TRUE;
      else if (g_str_equal (arg, "--quiet") || g_str_equal (arg, "-q"))
        cli.quiet = TRUE;
      else if (g_str_equal (arg, "--sandbox"))
        cli.sandbox = TRUE;
      else if (g_str_equal (arg, "--version"))
        version = TRUE;
      else if ((g_str_equal (arg, "--help") || g_str_equal (arg, "-h")) && rest->len == 0)
        help = TRUE;
      else if (g_str_has_prefix (arg, "--data-dir="))
        {
          if (arg[strlen ("--data-dir=")] == '\0')
            {
              status = cp_cli_usage_error (&cli, "%s", _("The option “--data-dir” needs a folder."));
              goto out;
            }
          g_free (cli.data_dir);
          cli.data_dir = g_strdup (arg + strlen ("--data-dir="));
        }
      else if (g_str_equal (arg, "--data-dir"))
        {
          if (i + 1 >= argc || argv[i + 1][0] == '\0')
            {
              status = cp_cli_usage_error (&cli, "%s", _("The option “--data-dir” needs a folder."));
              goto out;
            }
          g_free (cli.data_dir);
          cli.data_dir = g_strdup (argv[++i]);
        }
      else if (is_value_option (arg) && i + 1 < argc)
        {
          g_ptr_array_add (rest, argv[i]);
          g_ptr_array_add (rest, argv[++i]);
        }
      else
        g_ptr_array_add (rest, (char *) arg);
    }

  if (version)
    {
      if (cli.json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          cp_cli_json_add_string (builder, "version", PACKAGE_VERSION);
          json_builder_end_object (builder);
          cp_cli_print_builder (builder);
        }
      else
        printf ("counterpart-cli %s\n", PACKAGE_VERSION);
      status = CP_CLI_EXIT_OK;
    }
  else if (help)
    {
      print_global_help (stdout);
      status = CP_CLI_EXIT_OK;
    }
  else if (rest->len == 0)
    {
      fprintf (stderr, "counterpart-cli: %s\n\n", _("No command given."));
      print_global_help (stderr);
      status = CP_CLI_EXIT_USAGE;
    }
  else
    {
      g_ptr_array_add (rest, NULL);
      status = run_command (&cli, rest->len - 1, (char **) rest->pdata);
    }

out:
  fflush (stdout);
  g_free (cli.data_dir);
  g_free (cli.command);
  return status;
}
