/* cp-cli-sync.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `sync`: the engine, headless. --once pulls what is due and drains the
 * outbox, waiting out rate limits and backoffs up to --max-wait, then
 * says what is left: exit 0 when everything is done, 3 when jobs are
 * dead or still pending (listed), 4 when an integration needs a person.
 * --watch keeps syncing until SIGINT or SIGTERM, and stops cleanly.
 * With --sandbox the fake platforms run in this process.
 */

#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "cp-activity.h"
#include "cp-cli-output.h"
#include "cp-cli-private.h"
#include "cp-connectors.h"
#include "cp-engine.h"
#include "cp-integrations.h"
#include "cp-outbox.h"
#include "cp-sandbox-demo.h"

/* Jobs listed by name when some are left; the rest are counted. */
#define MAX_LISTED_JOBS 50
#define DEFAULT_MAX_WAIT_S 300

typedef struct
{
  CpCli           *cli;
  GMainLoop       *loop;
  GCancellable    *cancellable;
  CpEngine        *engine;
  gboolean         finished;
  gboolean         ok;
  CpEngineOutcome  outcome;
  GError          *error;
} SyncRun;

static void
run_once_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SyncRun *run = user_data;

  run->ok = cp_engine_run_once_finish (CP_ENGINE (source), result, &run->outcome, &run->error);
  run->finished = TRUE;
  g_main_loop_quit (run->loop);
}

static gboolean
on_signal_cb (gpointer user_data)
{
  SyncRun *run = user_data;

  g_cancellable_cancel (run->cancellable);
  if (run->engine != NULL && cp_engine_is_running (run->engine))
    g_main_loop_quit (run->loop);
  return G_SOURCE_CONTINUE;
}

static void
on_attention_cb (CpEngine   *engine,
                 const char *integration_id,
                 const char *message,
                 SyncRun    *run)
{
  cp_cli_error (run->cli, "%s: %s", integration_id, message);
}

static void
on_job_dead_cb (CpEngine   *engine,
                const char *integration_id,
                gint64      job_id,
                const char *message,
                SyncRun    *run)
{
  if (!run->cli->quiet)
    cp_cli_error (run->cli, "%s: %s", integration_id, message);
}

/* The sandbox's platforms live as long as this process: start them and
 * point the sandbox integrations at them (creating the demo one). */
CpSandboxServer *
cp_cli_start_sandbox (CpCli     *cli,
                      CpLedger  *ledger,
                      int       *out_exit)
{
  g_autoptr(CpSandboxServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  *out_exit = CP_CLI_EXIT_FAILED;
  server = cp_sandbox_demo_start_server (&error);
  if (server == NULL)
    {
      cp_cli_error (cli, _("Could not start the sandbox’s test stores: %s"), error->message);
      return NULL;
    }
  id = cp_sandbox_demo_ensure (ledger, server, NULL, &error);
  if (id == NULL)
    {
      cp_cli_error (cli, _("Could not set up the sandbox store: %s"), error->message);
      return NULL;
    }
  *out_exit = CP_CLI_EXIT_OK;
  return g_steal_pointer (&server);
}

static void
add_job_json (JsonBuilder       *builder,
              const CpOutboxJob *job)
{
  json_builder_begin_object (builder);
  cp_cli_json_add_id (builder, "id", job->id);
  cp_cli_json_add_string (builder, "integration_id", job->integration_id);
  cp_cli_json_add_string (builder, "kind", job->kind);
  cp_cli_json_add_string (builder, "state", cp_job_state_to_string (job->state));
  cp_cli_json_add_int (builder, "attempts", job->attempts);
  cp_cli_json_add_time (builder, "next_attempt_at", job->next_attempt_at);
  cp_cli_json_add_string (builder, "last_error", job->last_error);
  json_builder_end_object (builder);
}

/* Up to MAX_LISTED_JOBS jobs in STATE of the integrations in scope. */
static GPtrArray *
list_jobs (CpLedger    *ledger,
           const char  *integration_id,
           CpJobState   state,
           GError     **error)
{
  CpOutboxQuery query = { 0 };

  query.integration_id = integration_id;
  query.has_state = TRUE;
  query.state = state;
  query.limit = MAX_LISTED_JOBS;
  return cp_outbox_list (ledger, &query, error);
}

static const char *
outcome_to_string (CpEngineOutcome outcome)
{
  switch (outcome)
    {
    case CP_ENGINE_OUTCOME_DONE:
      return "done";
    case CP_ENGINE_OUTCOME_PARTIAL:
      return "partial";
    case CP_ENGINE_OUTCOME_ATTENTION:
      return "attention";
    default:
      return "unknown";
    }
}

/* The InventoryReconciled events of this run (since SINCE), oldest
 * first. */
static GPtrArray *
list_reconciled (CpLedger    *ledger,
                 const char  *integration_id,
                 gint64       since,
                 GError     **error)
{
  CpActivityQuery query = { 0 };
  GPtrArray *events;

  query.integration_id = integration_id;
  query.type = CP_ACTIVITY_INVENTORY_RECONCILED;
  query.since = since;
  events = cp_activity_query (ledger, &query, error);
  if (events != NULL)
    for (guint i = 0; i < events->len / 2; i++)
      {
        gpointer tmp = events->pdata[i];

        events->pdata[i] = events->pdata[events->len - 1 - i];
        events->pdata[events->len - 1 - i] = tmp;
      }
  return events;
}

static void
add_reconciled_json (JsonBuilder     *builder,
                     GPtrArray       *events)
{
  json_builder_set_member_name (builder, "reconciled");
  json_builder_begin_array (builder);
  for (guint i = 0; i < events->len; i++)
    {
      CpActivityEvent *event = g_ptr_array_index (events, i);
      g_autoptr(JsonParser) parser = json_parser_new ();

      json_builder_begin_object (builder);
      cp_cli_json_add_string (builder, "integration_id", event->integration_id);
      cp_cli_json_add_string (builder, "message", event->message);
      /* The counts and SKUs: checked, fixed, missing, in_flight,
       * skus_fixed, skus_missing (none when it could not compare). */
      if (event->details != NULL && json_parser_load_from_data (parser, event->details, -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          JsonObject *details = json_node_get_object (json_parser_get_root (parser));
          g_autoptr(GList) members = json_object_get_members (details);

          for (GList *l = members; l != NULL; l = l->next)
            {
              json_builder_set_member_name (builder, l->data);
              json_builder_add_value (builder,
                                      json_node_copy (json_object_get_member (details, l->data)));
            }
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* Whether EVENTS has one for INTEGRATION_ID. */
static gboolean
has_event_for (GPtrArray  *events,
               const char *integration_id)
{
  for (guint i = 0; i < events->len; i++)
    if (g_strcmp0 (((CpActivityEvent *) g_ptr_array_index (events, i))->integration_id,
                   integration_id) == 0)
      return TRUE;
  return FALSE;
}

/* Why INTEGRATION was not compared in a run started at SINCE: the error
 * the engine recorded in the run, else what waits for a person, else
 * the time ran out first. */
static const char *
not_reconciled_reason (const CpIntegration *integration,
                       gint64               since)
{
  if (integration->last_error != NULL && integration->last_error_at >= since)
    return integration->last_error;
  if (integration->attention != NULL)
    return integration->attention;
  return _("the store did not answer within --max-wait");
}

/* The integrations in scope that were asked to reconcile and have no
 * InventoryReconciled event of this run (a paused one is not asked).
 * Borrowed from INTEGRATIONS. */
static GPtrArray *
list_not_reconciled (GPtrArray  *integrations,
                     const char *integration_id,
                     GPtrArray  *reconciled)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < integrations->len; i++)
    {
      CpIntegration *integration = g_ptr_array_index (integrations, i);

      if (integration_id != NULL && !g_str_equal (integration_id, integration->id))
        continue;
      if (cp_integration_is_paused (integration) || has_event_for (reconciled, integration->id))
        continue;
      g_ptr_array_add (out, integration);
    }
  return out;
}

static int
report_once (CpCli           *cli,
             CpLedger        *ledger,
             const char      *integration_id,
             CpEngineOutcome  outcome,
             gint64           reconciled_since)
{
  g_autoptr(GPtrArray) reconciled = NULL;
  g_autoptr(GPtrArray) not_reconciled = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GPtrArray) dead = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) started = NULL;
  g_autoptr(GError) error = NULL;
  guint n_pending = 0, n_started = 0, n_dead = 0;

  integrations = cp_integrations_list (ledger, &error);
  if (integrations == NULL ||
      !cp_outbox_count (ledger, integration_id, &n_pending, &n_started, &n_dead, &error) ||
      (dead = list_jobs (ledger, integration_id, CP_JOB_DEAD, &error)) == NULL ||
      (pending = list_jobs (ledger, integration_id, CP_JOB_PENDING, &error)) == NULL ||
      (started = list_jobs (ledger, integration_id, CP_JOB_STARTED, &error)) == NULL ||
      (reconciled_since > 0 &&
       (reconciled = list_reconciled (ledger, integration_id, reconciled_since, &error)) == NULL))
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }
  g_ptr_array_extend_and_steal (pending, g_steal_pointer (&started));

  /* A reconciliation asked for and not done (the store was down, the
   * time ran out) is work left undone, like a job still pending: the
   * run is partial, and a later one does it. */
  if (reconciled != NULL)
    {
      not_reconciled = list_not_reconciled (integrations, integration_id, reconciled);
      if (not_reconciled->len > 0 && outcome == CP_ENGINE_OUTCOME_DONE)
        outcome = CP_ENGINE_OUTCOME_PARTIAL;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cp_cli_json_add_string (builder, "outcome", outcome_to_string (outcome));
      json_builder_set_member_name (builder, "integrations");
      json_builder_begin_array (builder);
      for (guint i = 0; i < integrations->len; i++)
        {
          CpIntegration *integration = g_ptr_array_index (integrations, i);

          if (integration_id != NULL && !g_str_equal (integration_id, integration->id))
            continue;
          json_builder_begin_object (builder);
          cp_cli_json_add_string (builder, "id", integration->id);
          cp_cli_json_add_string (builder, "name", integration->name);
          cp_cli_json_add_string (builder, "platform", integration->platform);
          cp_cli_json_add_string (builder, "status", integration->state);
          cp_cli_json_add_string (builder, "attention", integration->attention);
          cp_cli_json_add_string (builder, "attention_kind", integration->attention_kind);
          cp_cli_json_add_int (builder, "queue_depth", integration->queue_depth);
          cp_cli_json_add_int (builder, "dead_jobs", integration->dead_jobs);
          cp_cli_json_add_time (builder, "last_success_at", integration->last_success_at);
          cp_cli_json_add_time (builder, "wait_until", integration->wait_until);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      cp_cli_json_add_int (builder, "pending", n_pending + n_started);
      cp_cli_json_add_int (builder, "dead", n_dead);
      json_builder_set_member_name (builder, "dead_jobs");
      json_builder_begin_array (builder);
      for (guint i = 0; i < dead->len; i++)
        add_job_json (builder, g_ptr_array_index (dead, i));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "pending_jobs");
      json_builder_begin_array (builder);
      for (guint i = 0; i < pending->len; i++)
        add_job_json (builder, g_ptr_array_index (pending, i));
      json_builder_end_array (builder);
      if (reconciled != NULL)
        {
          add_reconciled_json (builder, reconciled);
          json_builder_set_member_name (builder, "not_reconciled");
          json_builder_begin_array (builder);
          for (guint i = 0; i < not_reconciled->len; i++)
            {
              CpIntegration *integration = g_ptr_array_index (not_reconciled, i);

              json_builder_begin_object (builder);
              cp_cli_json_add_string (builder, "integration_id", integration->id);
              cp_cli_json_add_string (builder, "reason",
                                      not_reconciled_reason (integration, reconciled_since));
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
    }
  else
    {
      for (guint i = 0; reconciled != NULL && i < reconciled->len; i++)
        {
          CpActivityEvent *event = g_ptr_array_index (reconciled, i);

          cp_cli_info (cli, "%s: %s", event->integration_id, event->message);
        }
      for (guint i = 0; not_reconciled != NULL && i < not_reconciled->len; i++)
        {
          CpIntegration *integration = g_ptr_array_index (not_reconciled, i);
          g_autofree char *reason = g_strdup (not_reconciled_reason (integration,
                                                                     reconciled_since));
          gsize len = strlen (g_strchomp (reason));

          /* Quoted inside a sentence of ours, which has its own full stop. */
          if (len > 0 && reason[len - 1] == '.')
            reason[len - 1] = '\0';
          cp_cli_error (cli, _("The stock of %s (%s) could not be compared: %s. Run “counterpart-cli "
                               "sync --once --reconcile” again once the store can be reached."),
                        integration->name, integration->id, reason);
        }

      for (guint i = 0; i < integrations->len; i++)
        {
          CpIntegration *integration = g_ptr_array_index (integrations, i);

          if (integration_id != NULL && !g_str_equal (integration_id, integration->id))
            continue;
          if (integration->attention != NULL)
            cp_cli_error (cli, _("%s (%s) needs attention: %s"), integration->name,
                          integration->id, integration->attention);
        }

      if (n_dead > 0)
        {
          g_autoptr(CpCliTable) table = cp_cli_table_new (_("JOB"), _("INTEGRATION"), _("KIND"),
                                                          _("ATTEMPTS"), _("REASON"), NULL);

          cp_cli_info (cli, g_dngettext (GETTEXT_PACKAGE,
                                         "%u job failed and was set aside; retry it with "
                                         "“counterpart-cli jobs retry ID” once fixed:",
                                         "%u jobs failed and were set aside; retry them with "
                                         "“counterpart-cli jobs retry ID” or “--all-dead” once fixed:",
                                         n_dead), n_dead);
          for (guint i = 0; i < dead->len; i++)
            {
              CpOutboxJob *job = g_ptr_array_index (dead, i);
              g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, job->id);
              g_autofree char *attempts = g_strdup_printf ("%u", job->attempts);

              cp_cli_table_add_row (table, id, job->integration_id, job->kind, attempts,
                                    job->last_error != NULL ? job->last_error : "", NULL);
            }
          if (!cli->json && !cli->quiet)
            cp_cli_table_print (table);
        }

      if (n_pending + n_started > 0)
        {
          g_autoptr(CpCliTable) table = cp_cli_table_new (_("JOB"), _("INTEGRATION"), _("KIND"),
                                                          _("ATTEMPTS"), _("NEXT ATTEMPT"),
                                                          _("LAST ERROR"), NULL);

          cp_cli_info (cli, g_dngettext (GETTEXT_PACKAGE,
                                         "%u job is still waiting; the next sync sends it:",
                                         "%u jobs are still waiting; the next sync sends them:",
                                         n_pending + n_started), n_pending + n_started);
          for (guint i = 0; i < pending->len; i++)
            {
              CpOutboxJob *job = g_ptr_array_index (pending, i);
              g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, job->id);
              g_autofree char *attempts = g_strdup_printf ("%u", job->attempts);
              g_autofree char *next = cp_cli_format_time_utc (job->next_attempt_at);

              cp_cli_table_add_row (table, id, job->integration_id, job->kind, attempts,
                                    next != NULL ? next : "",
                                    job->last_error != NULL ? job->last_error : "", NULL);
            }
          if (!cli->json && !cli->quiet)
            cp_cli_table_print (table);
        }

      if (outcome == CP_ENGINE_OUTCOME_DONE)
        cp_cli_info (cli, "%s", _("Everything is in sync."));
    }

  switch (outcome)
    {
    case CP_ENGINE_OUTCOME_DONE:
      return CP_CLI_EXIT_OK;
    case CP_ENGINE_OUTCOME_PARTIAL:
      return CP_CLI_EXIT_PARTIAL;
    case CP_ENGINE_OUTCOME_ATTENTION:
    default:
      return CP_CLI_EXIT_ATTENTION;
    }
}

int
cp_cli_sync (CpCli  *cli,
             int     argc,
             char  **argv)
{
  g_autofree char *integration_id = NULL;
  g_autofree char *max_wait_text = NULL;
  gboolean once = FALSE, watch = FALSE, full = FALSE, reconcile = FALSE;
  const CpCliOption options[] = {
    { "integration", TRUE, NULL, &integration_id },
    { "once", FALSE, &once, NULL },
    { "watch", FALSE, &watch, NULL },
    { "full", FALSE, &full, NULL },
    { "reconcile", FALSE, &reconcile, NULL },
    { "max-wait", TRUE, NULL, &max_wait_text },
    { NULL }
  };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpSandboxServer) server = NULL;
  g_autoptr(CpEngine) engine = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GError) error = NULL;
  gint64 max_wait_s = DEFAULT_MAX_WAIT_S;
  gint64 started_at = cp_ledger_now_us ();
  SyncRun run = { 0 };
  guint sigint, sigterm;
  int status;

  status = cp_cli_parse_args (cli, options, 0, 0, argc, argv, &positional);
  if (status >= 0)
    return status;

  if (once && watch)
    return cp_cli_usage_error (cli, "%s", _("Choose either --once or --watch, not both."));
  if (max_wait_text != NULL &&
      !cp_cli_parse_int64 (max_wait_text, 0, G_GINT64_CONSTANT (7) * 24 * 3600, &max_wait_s))
    return cp_cli_usage_error (cli, _("--max-wait takes whole seconds from 0 to 604800, not “%s”."),
                               max_wait_text);

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;

  cp_connectors_register_all ();

  if (cli->sandbox)
    {
      server = cp_cli_start_sandbox (cli, ledger, &status);
      if (server == NULL)
        return status;
    }

  if (integration_id != NULL)
    {
      g_autoptr(CpIntegration) integration = cp_integrations_get (ledger, integration_id, &error);

      if (integration == NULL)
        {
          if (g_error_matches (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_NOT_FOUND))
            cp_cli_error (cli, _("There is no integration “%s”. “counterpart-cli integration "
                                 "list” shows them."), integration_id);
          else
            cp_cli_error (cli, "%s", error->message);
          return CP_CLI_EXIT_FAILED;
        }
    }

  engine = cp_engine_new (cp_ledger_get_path (ledger));
  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  run.cli = cli;
  run.loop = loop;
  run.cancellable = cancellable;
  run.engine = engine;
  g_signal_connect (engine, "attention", G_CALLBACK (on_attention_cb), &run);
  g_signal_connect (engine, "job-dead", G_CALLBACK (on_job_dead_cb), &run);
  sigint = g_unix_signal_add (SIGINT, on_signal_cb, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_signal_cb, &run);

  if (reconcile)
    cp_engine_reconcile (engine, integration_id);

  if (watch)
    {
      if (full)
        cp_engine_full_sync (engine, integration_id);
      cp_engine_start (engine);
      cp_cli_info (cli, "%s", _("Syncing as changes come. Press Ctrl+C to stop."));
      fflush (stdout);
      g_main_loop_run (loop);
      cp_engine_stop (engine);
      status = CP_CLI_EXIT_OK;
    }
  else
    {
      cp_engine_run_once_async (engine, integration_id, full, max_wait_s * G_USEC_PER_SEC,
                                cancellable, run_once_cb, &run);
      while (!run.finished)
        g_main_loop_run (loop);

      if (!run.ok)
        {
          cp_cli_error (cli, "%s", run.error->message);
          g_clear_error (&run.error);
          status = CP_CLI_EXIT_FAILED;
        }
      else
        status = report_once (cli, ledger, integration_id, run.outcome,
                              reconcile ? started_at : 0);
    }

  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_signal_handlers_disconnect_by_data (engine, &run);
  /* Let the engine's last notifications run before it goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (server != NULL)
    cp_sandbox_server_stop (server);
  return status;
}
