/* cp-cli-jobs.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `jobs list [--state pending|dead|done] [--integration ID]` and
 * `jobs retry ID | --all-dead`: the outbox, what is waiting to reach the
 * stores and what gave up.
 */

#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "cp-cli-output.h"
#include "cp-cli-private.h"
#include "cp-integrations.h"
#include "cp-outbox.h"

/* The human list stops here unless --limit says otherwise. */
#define DEFAULT_HUMAN_LIMIT 100
/* Rows read per query while paging through the outbox. */
#define PAGE_SIZE 500

static void
add_job_json (JsonBuilder   *builder,
              gconstpointer  row)
{
  const CpOutboxJob *job = row;

  json_builder_begin_object (builder);
  cp_cli_json_add_id (builder, "id", job->id);
  cp_cli_json_add_string (builder, "integration_id", job->integration_id);
  cp_cli_json_add_string (builder, "kind", job->kind);
  cp_cli_json_add_string (builder, "state", cp_job_state_to_string (job->state));
  cp_cli_json_add_int (builder, "attempts", job->attempts);
  cp_cli_json_add_int (builder, "max_attempts", job->max_attempts);
  /* Only a pending job has a next attempt; the column keeps the last one. */
  cp_cli_json_add_time (builder, "next_attempt_at",
                        job->state == CP_JOB_PENDING ? job->next_attempt_at : 0);
  cp_cli_json_add_string (builder, "last_error", job->last_error);
  cp_cli_json_add_string (builder, "last_error_kind", job->last_error_kind);
  cp_cli_json_add_string (builder, "coalesce_key", job->coalesce_key);
  cp_cli_json_add_time (builder, "created_at", job->created_at);
  cp_cli_json_add_time (builder, "updated_at", job->updated_at);
  cp_cli_json_add_time (builder, "done_at", job->done_at);
  json_builder_end_object (builder);
}

/* An integration named on the command line must exist: a typo should
 * say so, not list nothing. */
static gboolean
check_integration (CpCli       *cli,
                   CpLedger    *ledger,
                   const char  *integration_id)
{
  g_autoptr(CpIntegration) integration = NULL;
  g_autoptr(GError) error = NULL;

  if (integration_id == NULL)
    return TRUE;

  integration = cp_integrations_get (ledger, integration_id, &error);
  if (integration != NULL)
    return TRUE;

  cp_cli_error (cli, _("There is no integration “%s”. See “counterpart-cli integration list” for "
                       "their ids."), integration_id);
  return FALSE;
}

int
cp_cli_jobs_list (CpCli  *cli,
                  int     argc,
                  char  **argv)
{
  g_autofree char *state_text = NULL;
  g_autofree char *integration_id = NULL;
  g_autofree char *limit_text = NULL;
  const CpCliOption options[] = {
    { "state", TRUE, NULL, &state_text },
    { "integration", TRUE, NULL, &integration_id },
    { "limit", TRUE, NULL, &limit_text },
    { NULL },
  };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outbox_job_free);
  g_autoptr(GError) error = NULL;
  CpOutboxQuery query = { 0 };
  gint64 limit = 0;
  gboolean more = FALSE;
  int status;

  status = cp_cli_parse_args (cli, options, 0, 0, argc, argv, &positional);
  if (status >= 0)
    return status;

  if (state_text != NULL && !cp_job_state_from_string (state_text, &query.state))
    return cp_cli_usage_error (cli, _("“%s” is not a job state. Use pending, started, dead, done "
                                      "or cancelled."), state_text);
  query.has_state = state_text != NULL;
  query.unfinished_only = TRUE;
  if (limit_text != NULL && !cp_cli_parse_int64 (limit_text, 1, G_MAXINT, &limit))
    return cp_cli_usage_error (cli, _("“%s” is not a limit. Give --limit a whole number, "
                                      "1 or more."), limit_text);
  if (limit_text == NULL && !cli->json)
    limit = DEFAULT_HUMAN_LIMIT;

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;
  if (!check_integration (cli, ledger, integration_id))
    return CP_CLI_EXIT_FAILED;

  /* Keyset pages until the limit (one more than shown: are there more?). */
  query.integration_id = integration_id;
  for (;;)
    {
      g_autoptr(GPtrArray) page = NULL;

      query.limit = limit > 0 ? (guint) MIN (PAGE_SIZE, limit + 1 - jobs->len) : PAGE_SIZE;
      page = cp_outbox_list (ledger, &query, &error);
      if (page == NULL)
        {
          cp_cli_error (cli, "%s", error->message);
          return CP_CLI_EXIT_FAILED;
        }
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (jobs, g_steal_pointer (&g_ptr_array_index (page, i)));
      if (page->len < query.limit || (limit > 0 && jobs->len > (guint) limit))
        break;
      query.after_id = ((CpOutboxJob *) g_ptr_array_index (jobs, jobs->len - 1))->id;
    }
  if (limit > 0 && jobs->len > (guint) limit)
    {
      g_ptr_array_set_size (jobs, (guint) limit);
      more = TRUE;
    }

  if (cli->json)
    {
      cp_cli_print_rows (jobs, add_job_json, more);
      return CP_CLI_EXIT_OK;
    }

  if (jobs->len == 0)
    {
      if (state_text != NULL)
        printf (_("No %s jobs.\n"), state_text);
      else
        printf ("%s\n", _("Nothing is waiting to be sent, and no job has given up."));
      return CP_CLI_EXIT_OK;
    }

  {
    g_autoptr(CpCliTable) table = cp_cli_table_new (_(">ID"), _("INTEGRATION"), _("KIND"),
                                                    _("STATE"), _(">ATTEMPTS"),
                                                    _("NEXT ATTEMPT"), _("LAST ERROR"), NULL);
    guint dead = 0;

    for (guint i = 0; i < jobs->len; i++)
      {
        CpOutboxJob *job = g_ptr_array_index (jobs, i);
        g_autofree char *id = g_strdup_printf ("%" PRId64, job->id);
        g_autofree char *attempts = g_strdup_printf ("%u/%u", job->attempts, job->max_attempts);
        g_autofree char *next = cp_cli_format_time_local (job->state == CP_JOB_PENDING
                                                   ? job->next_attempt_at : 0);

        dead += job->state == CP_JOB_DEAD;
        cp_cli_table_add_row (table, id, job->integration_id, job->kind,
                              cp_job_state_to_string (job->state), attempts, next,
                              job->last_error != NULL ? job->last_error : "", NULL);
      }
    cp_cli_table_print (table);

    if (more && !cli->quiet)
      printf (_("Showing the first %" PRId64 " jobs; use --limit N to see more.\n"), limit);
    if (dead > 0 && !cli->quiet)
      printf ("%s\n", _("Dead jobs are not sent again until you retry them: "
                        "“counterpart-cli jobs retry ID” or “jobs retry --all-dead”."));
  }

  return CP_CLI_EXIT_OK;
}

int
cp_cli_jobs_retry (CpCli  *cli,
                   int     argc,
                   char  **argv)
{
  gboolean all_dead = FALSE;
  g_autofree char *integration_id = NULL;
  const CpCliOption options[] = {
    { "all-dead", FALSE, &all_dead, NULL },
    { "integration", TRUE, NULL, &integration_id },
    { NULL },
  };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  gint64 job_id = 0;
  guint retried;
  int status;

  status = cp_cli_parse_args (cli, options, 0, 1, argc, argv, &positional);
  if (status >= 0)
    return status;

  if (all_dead == (positional[0] != NULL))
    return cp_cli_usage_error (cli, "%s", _("Give either the id of a dead job or --all-dead."));
  if (positional[0] != NULL && !cp_cli_parse_int64 (positional[0], 1, G_MAXINT64, &job_id))
    return cp_cli_usage_error (cli, _("“%s” is not a job id. “counterpart-cli jobs list --state "
                                      "dead” shows them."), positional[0]);
  if (integration_id != NULL && !all_dead)
    return cp_cli_usage_error (cli, "%s", _("--integration goes with --all-dead."));

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;
  if (!check_integration (cli, ledger, integration_id))
    return CP_CLI_EXIT_FAILED;

  if (all_dead)
    {
      retried = cp_outbox_retry_all_dead (ledger, integration_id, &error);
      if (error != NULL)
        {
          cp_cli_error (cli, "%s", error->message);
          return CP_CLI_EXIT_FAILED;
        }
    }
  else
    {
      if (!cp_outbox_retry (ledger, job_id, &error))
        {
          cp_cli_error (cli, "%s", error->message);
          return CP_CLI_EXIT_FAILED;
        }
      retried = 1;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      if (job_id != 0)
        cp_cli_json_add_id (builder, "id", job_id);
      cp_cli_json_add_int (builder, "retried", retried);
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
    }
  else if (job_id != 0)
    cp_cli_info (cli, _("Job %" PRId64 " will be sent again at the next sync."), job_id);
  else if (retried == 0)
    cp_cli_info (cli, "%s", _("There are no dead jobs to retry."));
  else
    cp_cli_info (cli, g_dngettext (GETTEXT_PACKAGE,
                                   "%u dead job will be sent again at the next sync.",
                                   "%u dead jobs will be sent again at the next sync.",
                                   retried),
                 retried);

  return CP_CLI_EXIT_OK;
}
