/* cp-cli-catalog.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `catalog import FILE.csv` (all or nothing; every problem named by line
 * and column, in the FILE:LINE:COLUMN form editors jump to) and
 * `catalog export FILE [--format csv|xlsx|json]`.
 */

#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <inttypes.h>

#include <unistd.h>
#include <glib/gi18n.h>

#include "cp-catalog.h"
#include "cp-catalog-io.h"
#include "cp-cli-output.h"
#include "cp-cli-private.h"

typedef struct
{
  const char *what;      /* "Importing", "Exporting" */
  gint64      last_us;
  gboolean    shown;
} Progress;

/* A line on the terminal that counts rows, at most a few times a second,
 * so a long import shows it is working. Only on a terminal: logs and
 * pipes get the summary alone. */
static void
progress_cb (guint64  done,
             guint64  total,
             gpointer user_data)
{
  Progress *progress = user_data;
  gint64 now = g_get_monotonic_time ();

  if (now - progress->last_us < G_USEC_PER_SEC / 4 && done != total)
    return;
  progress->last_us = now;
  progress->shown = TRUE;

  if (total > 0)
    fprintf (stderr, _("\r%s… %" PRIu64 " of %" PRIu64 " rows"),
             _(progress->what), done, total);
  else
    fprintf (stderr, _("\r%s… %" PRIu64 " rows"), _(progress->what), done);
  fflush (stderr);
}

static CpProgressFunc
progress_for (CpCli    *cli,
              Progress *progress)
{
  if (cli->quiet || !isatty (STDERR_FILENO))
    return NULL;
  return progress_cb;
}

static void
progress_end (Progress *progress)
{
  if (progress->shown)
    {
      /* Clear the line so what follows starts clean. */
      fputs ("\r\033[K", stderr);
      fflush (stderr);
    }
}

static void
print_problems (CpCli                *cli,
                const char           *path,
                const CpImportReport *report)
{
  fflush (stdout);
  for (guint i = 0; i < report->problems->len; i++)
    {
      const CpImportProblem *problem = g_ptr_array_index (report->problems, i);

      if (problem->column > 0 && problem->column_name != NULL)
        fprintf (stderr, _("%s:%u:%u: column “%s”: %s"), path, problem->line, problem->column,
                 problem->column_name, problem->message);
      else if (problem->column > 0)
        fprintf (stderr, "%s:%u:%u: %s", path, problem->line, problem->column, problem->message);
      else
        fprintf (stderr, "%s:%u: %s", path, problem->line, problem->message);
      fputc ('\n', stderr);
    }
}

static void
print_problems_json (const CpImportReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "imported");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; report != NULL && i < report->problems->len; i++)
    {
      const CpImportProblem *problem = g_ptr_array_index (report->problems, i);

      json_builder_begin_object (builder);
      cp_cli_json_add_int (builder, "line", problem->line);
      cp_cli_json_add_int (builder, "column", problem->column);
      cp_cli_json_add_string (builder, "column_name", problem->column_name);
      cp_cli_json_add_string (builder, "message", problem->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  cp_cli_print_builder (builder);
}

int
cp_cli_catalog_import (CpCli  *cli,
                       int     argc,
                       char  **argv)
{
  const CpCliOption options[] = { { NULL } };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress = { N_("Importing"), 0, FALSE };
  const char *path;
  gboolean ok;
  int status;

  status = cp_cli_parse_args (cli, options, 1, 1, argc, argv, &positional);
  if (status >= 0)
    return status;
  path = positional[0];

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      cp_cli_error (cli, _("Cannot read %s: there is no such file. Check the name and the folder."), path);
      return CP_CLI_EXIT_FAILED;
    }

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;

  ok = cp_catalog_import_csv (ledger, path, progress_for (cli, &progress), &progress, NULL,
                              &report, &error);
  progress_end (&progress);
  if (!ok)
    {
      guint n = report != NULL ? report->problems->len : 0;

      if (cli->json)
        print_problems_json (report);

      if (n > 0)
        {
          print_problems (cli, path, report);
          cp_cli_error (cli, g_dngettext (GETTEXT_PACKAGE,
                                          "Nothing was imported: fix the %u problem above in %s "
                                          "and import it again.",
                                          "Nothing was imported: fix the %u problems above in %s "
                                          "and import it again.", n),
                        n, path);
        }
      else
        cp_cli_error (cli, _("Nothing was imported from %s: %s"), path, error->message);
      return CP_CLI_EXIT_FAILED;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "imported");
      json_builder_add_boolean_value (builder, TRUE);
      cp_cli_json_add_int (builder, "rows", report->rows);
      cp_cli_json_add_int (builder, "created", report->created);
      cp_cli_json_add_int (builder, "updated", report->updated);
      cp_cli_json_add_int (builder, "unchanged", report->unchanged);
      json_builder_set_member_name (builder, "problems");
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
    }
  else
    cp_cli_info (cli, _("Imported %u rows from %s: %u created, %u updated, %u unchanged."),
                 report->rows, path, report->created, report->updated, report->unchanged);

  return CP_CLI_EXIT_OK;
}

static CpExportFormat
format_from_extension (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".xlsx"))
    return CP_EXPORT_XLSX;
  if (g_str_has_suffix (lower, ".json"))
    return CP_EXPORT_JSON;
  return CP_EXPORT_CSV;
}

static const char *
format_name (CpExportFormat format)
{
  switch (format)
    {
    case CP_EXPORT_XLSX:
      return "xlsx";
    case CP_EXPORT_JSON:
      return "json";
    case CP_EXPORT_CSV:
    default:
      return "csv";
    }
}

int
cp_cli_catalog_export (CpCli  *cli,
                       int     argc,
                       char  **argv)
{
  g_autofree char *format_text = NULL;
  const CpCliOption options[] = {
    { "format", TRUE, NULL, &format_text },
    { NULL },
  };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress = { N_("Exporting"), 0, FALSE };
  CpExportFormat format;
  const char *path;
  gboolean ok;
  int status;

  status = cp_cli_parse_args (cli, options, 1, 1, argc, argv, &positional);
  if (status >= 0)
    return status;
  path = positional[0];

  if (format_text != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (format_text, -1);

      if (!cp_export_format_from_string (lower, &format))
        return cp_cli_usage_error (cli, _("“%s” is not an export format. Use csv, xlsx or json."),
                                   format_text);
    }
  else
    format = format_from_extension (path);

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;

  ok = cp_catalog_export (ledger, path, format, progress_for (cli, &progress), &progress, NULL,
                          &error);
  progress_end (&progress);
  if (!ok)
    {
      cp_cli_error (cli, _("Could not export the catalog to %s: %s"), path, error->message);
      return CP_CLI_EXIT_FAILED;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "exported");
      json_builder_add_boolean_value (builder, TRUE);
      cp_cli_json_add_string (builder, "path", path);
      cp_cli_json_add_string (builder, "format", format_name (format));
      cp_cli_json_add_int (builder, "variants", cp_catalog_count_variants (ledger));
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
    }
  else
    cp_cli_info (cli, _("Exported %" PRId64 " variants to %s (%s)."),
                 cp_catalog_count_variants (ledger), path, format_name (format));

  return CP_CLI_EXIT_OK;
}
