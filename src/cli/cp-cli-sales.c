/* cp-cli-sales.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `sales record FILE.json`: POS sales as a register sends them. Each sale
 * stands alone, so one bad sale is listed and the others still count
 * (exit 3); recording a file twice changes nothing the second time.
 */

#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <inttypes.h>

#include <stdio.h>
#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>

#include "cp-cli-output.h"
#include "cp-cli-private.h"
#include "cp-orders.h"

/* Sales documents are small; far beyond this is a wrong file. */
#define MAX_DOCUMENT_SIZE (256 * 1024 * 1024)

static char *
read_stdin (gsize   *out_length,
            GError **error)
{
  g_autoptr(GInputStream) input = g_unix_input_stream_new (0, FALSE);
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  gssize n;

  n = g_output_stream_splice (output, input, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error);
  if (n < 0)
    return NULL;

  /* A terminating NUL, so the text is a C string too. */
  *out_length = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (output));
  if (*out_length > MAX_DOCUMENT_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Standard input holds more than %d MB; this is not a sales document."),
                   MAX_DOCUMENT_SIZE / (1024 * 1024));
      return NULL;
    }
  return g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (output)),
                    *out_length);
}

static const char *
result_state (const CpSaleResult *result)
{
  if (result->error != NULL)
    return "failed";
  return result->existed ? "already_recorded" : "recorded";
}

int
cp_cli_sales_record (CpCli  *cli,
                     int     argc,
                     char  **argv)
{
  const CpCliOption options[] = { { NULL } };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *path;
  const char *shown_path;
  gsize length = 0;
  guint n_recorded = 0, n_existed = 0, n_failed = 0;
  int status;

  status = cp_cli_parse_args (cli, options, 1, 1, argc, argv, &positional);
  if (status >= 0)
    return status;
  path = positional[0];
  shown_path = g_str_equal (path, "-") ? _("standard input") : path;

  if (g_str_equal (path, "-"))
    text = read_stdin (&length, &error);
  else
    g_file_get_contents (path, &text, &length, &error);
  if (text == NULL)
    {
      cp_cli_error (cli, _("Cannot read %s: %s"), shown_path, error->message);
      return CP_CLI_EXIT_FAILED;
    }

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;

  results = cp_sales_record_json (ledger, text, length, &error);
  if (results == NULL)
    {
      cp_cli_error (cli, _("Nothing was recorded from %s: %s"), shown_path, error->message);
      return CP_CLI_EXIT_FAILED;
    }

  for (guint i = 0; i < results->len; i++)
    {
      const CpSaleResult *result = g_ptr_array_index (results, i);

      if (result->error != NULL)
        n_failed++;
      else if (result->existed)
        n_existed++;
      else
        n_recorded++;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "data");
      json_builder_begin_array (builder);
      for (guint i = 0; i < results->len; i++)
        {
          const CpSaleResult *result = g_ptr_array_index (results, i);

          json_builder_begin_object (builder);
          cp_cli_json_add_string (builder, "sale_id", result->sale_id);
          cp_cli_json_add_string (builder, "result", result_state (result));
          if (result->order_id != 0)
            cp_cli_json_add_id (builder, "order_id", result->order_id);
          else
            cp_cli_json_add_string (builder, "order_id", NULL);
          cp_cli_json_add_string (builder, "error", result->error);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      cp_cli_json_add_int (builder, "recorded", n_recorded);
      cp_cli_json_add_int (builder, "already_recorded", n_existed);
      cp_cli_json_add_int (builder, "failed", n_failed);
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
    }
  else
    {
      for (guint i = 0; i < results->len; i++)
        {
          const CpSaleResult *result = g_ptr_array_index (results, i);
          const char *sale_id = result->sale_id != NULL ? result->sale_id : "?";

          if (result->error == NULL && !cli->quiet)
            printf (result->existed
                      ? _("Sale %s: already recorded (order %" PRId64 "); nothing changed.\n")
                      : _("Sale %s: recorded as order %" PRId64 ".\n"),
                    sale_id, result->order_id);
        }
    }

  /* Failures go to stderr in both modes: they are what needs doing. */
  for (guint i = 0; i < results->len; i++)
    {
      const CpSaleResult *result = g_ptr_array_index (results, i);

      if (result->error != NULL)
        cp_cli_error (cli, _("Sale %s failed: %s"),
                      result->sale_id != NULL ? result->sale_id : _("(without an id)"),
                      result->error);
    }

  if (n_failed > 0 && n_recorded + n_existed > 0)
    {
      cp_cli_error (cli, _("%u of %u sales failed and were not recorded; the others were. "
                           "Fix the failed sales and run the same command again: sales already "
                           "recorded are left as they are."), n_failed, results->len);
      return CP_CLI_EXIT_PARTIAL;
    }
  if (n_failed > 0)
    {
      cp_cli_error (cli, _("No sale was recorded. Fix the sales above and run the command again."));
      return CP_CLI_EXIT_FAILED;
    }
  if (results->len == 0)
    {
      cp_cli_error (cli, _("%s holds no sales: nothing was recorded. Give one sale object or "
                           "{\"sales\": [ … ]}."), shown_path);
      return CP_CLI_EXIT_FAILED;
    }

  if (!cli->json && !cli->quiet)
    printf (_("%u recorded, %u already recorded.\n"), n_recorded, n_existed);

  return CP_CLI_EXIT_OK;
}
