/* cp-cli-activity.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `activity [--integration ID] [--type T] [--since T] [--limit N]`: the
 * activity log, newest first.
 */

#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "cp-activity.h"
#include "cp-cli-output.h"
#include "cp-cli-private.h"

/* The human list stops here unless --limit says otherwise. */
#define DEFAULT_HUMAN_LIMIT 50
#define PAGE_SIZE 500

static void
add_event_json (JsonBuilder   *builder,
                gconstpointer  row)
{
  const CpActivityEvent *event = row;

  json_builder_begin_object (builder);
  cp_cli_json_add_id (builder, "id", event->id);
  cp_cli_json_add_time (builder, "at", event->at);
  cp_cli_json_add_string (builder, "type", event->type);
  cp_cli_json_add_string (builder, "severity", cp_activity_severity_to_string (event->severity));
  cp_cli_json_add_string (builder, "integration_id", event->integration_id);
  cp_cli_json_add_string (builder, "message", event->message);
  if (event->job_id > 0)
    cp_cli_json_add_id (builder, "job_id", event->job_id);
  else
    cp_cli_json_add_string (builder, "job_id", NULL);

  /* Details are redacted JSON: embedded as JSON, so a script reads the
   * request and response without parsing twice. */
  json_builder_set_member_name (builder, "details");
  if (event->details == NULL)
    json_builder_add_null_value (builder);
  else
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, event->details, -1, NULL) &&
          json_parser_get_root (parser) != NULL)
        json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
      else
        json_builder_add_string_value (builder, event->details);
    }
  json_builder_end_object (builder);
}

int
cp_cli_activity (CpCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autofree char *integration_id = NULL;
  g_autofree char *type = NULL;
  g_autofree char *since = NULL;
  g_autofree char *limit_text = NULL;
  g_autofree char *severity = NULL;
  const CpCliOption options[] = {
    { "integration", TRUE, NULL, &integration_id },
    { "type", TRUE, NULL, &type },
    { "since", TRUE, NULL, &since },
    { "limit", TRUE, NULL, &limit_text },
    { "severity", TRUE, NULL, &severity },
    { NULL },
  };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_activity_event_free);
  g_autoptr(GError) error = NULL;
  CpActivityQuery query = { 0 };
  gint64 limit = 0;
  gboolean more = FALSE;
  int status;

  status = cp_cli_parse_args (cli, options, 0, 0, argc, argv, &positional);
  if (status >= 0)
    return status;

  if (since != NULL && !cp_cli_parse_since (since, &query.since))
    return cp_cli_usage_error (cli, _("“%s” is not a date. Give --since an ISO 8601 date such "
                                      "as 2026-11-01, or a date and time such as "
                                      "2026-11-01T09:30:00Z."), since);
  if (limit_text != NULL && !cp_cli_parse_int64 (limit_text, 1, G_MAXINT, &limit))
    return cp_cli_usage_error (cli, _("“%s” is not a limit. Give --limit a whole number, "
                                      "1 or more."), limit_text);
  if (severity != NULL)
    {
      if (!cp_activity_severity_from_string (severity, &query.min_severity))
        return cp_cli_usage_error (cli, _("“%s” is not a severity. Use info, warning or error."),
                                   severity);
      query.has_min_severity = TRUE;
    }
  if (limit_text == NULL && !cli->json)
    limit = DEFAULT_HUMAN_LIMIT;

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;

  query.integration_id = integration_id;
  query.type = type;
  for (;;)
    {
      g_autoptr(GPtrArray) page = NULL;

      query.limit = limit > 0 ? (guint) MIN (PAGE_SIZE, limit + 1 - events->len) : PAGE_SIZE;
      page = cp_activity_query (ledger, &query, &error);
      if (page == NULL)
        {
          cp_cli_error (cli, "%s", error->message);
          return CP_CLI_EXIT_FAILED;
        }
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (events, g_steal_pointer (&g_ptr_array_index (page, i)));
      if (page->len < query.limit || (limit > 0 && events->len > (guint) limit))
        break;
      query.before_id = ((CpActivityEvent *) g_ptr_array_index (events, events->len - 1))->id;
    }
  if (limit > 0 && events->len > (guint) limit)
    {
      g_ptr_array_set_size (events, (guint) limit);
      more = TRUE;
    }

  if (cli->json)
    {
      cp_cli_print_rows (events, add_event_json, more);
      return CP_CLI_EXIT_OK;
    }

  if (events->len == 0)
    {
      if (integration_id != NULL || type != NULL || since != NULL || severity != NULL)
        printf ("%s\n", _("Nothing in the activity log matches these filters."));
      else
        printf ("%s\n", _("Nothing in the activity log yet."));
      return CP_CLI_EXIT_OK;
    }

  {
    g_autoptr(CpCliTable) table = cp_cli_table_new (_("WHEN"), _("SEVERITY"), _("TYPE"),
                                                    _("INTEGRATION"), _("MESSAGE"), NULL);

    for (guint i = 0; i < events->len; i++)
      {
        CpActivityEvent *event = g_ptr_array_index (events, i);
        g_autofree char *at = cp_cli_format_time_local (event->at);

        cp_cli_table_add_row (table, at, cp_activity_severity_to_string (event->severity),
                              event->type, event->integration_id != NULL ? event->integration_id : "",
                              event->message, NULL);
      }
    cp_cli_table_print (table);
  }

  if (more && !cli->quiet)
    printf (_("Showing the newest %" PRId64 " events; use --limit N to see more.\n"), limit);

  return CP_CLI_EXIT_OK;
}
