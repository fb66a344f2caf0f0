/* cp-cli-stock.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `stock show`, `stock adjust` (a journaled movement) and
 * `stock set-safety`.
 */

#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "cp-cli-output.h"
#include "cp-cli-private.h"
#include "cp-stock.h"

static void
add_level_members (JsonBuilder        *builder,
                   const CpStockLevel *level)
{
  cp_cli_json_add_string (builder, "sku", level->sku);
  cp_cli_json_add_string (builder, "location", level->location_code);
  cp_cli_json_add_int (builder, "on_hand", level->on_hand);
  cp_cli_json_add_int (builder, "reserved", level->reserved);
  cp_cli_json_add_int (builder, "safety_stock", level->safety_stock);
  cp_cli_json_add_int (builder, "available", level->available);
}

static void
print_level_json (const CpStockLevel *level,
                  void              (*extra) (JsonBuilder *, gpointer),
                  gpointer            extra_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_level_members (builder, level);
  if (extra != NULL)
    extra (builder, extra_data);
  json_builder_end_object (builder);
  cp_cli_print_builder (builder);
}

static char *
int_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

int
cp_cli_stock_show (CpCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autofree char *location = NULL;
  const CpCliOption options[] = {
    { "location", TRUE, NULL, &location },
    { NULL },
  };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(GPtrArray) levels = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = cp_cli_parse_args (cli, options, 0, 1, argc, argv, &positional);
  if (status >= 0)
    return status;

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;

  levels = cp_stock_list (ledger, positional[0], location, &error);
  if (levels == NULL)
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
      for (guint i = 0; i < levels->len; i++)
        {
          json_builder_begin_object (builder);
          add_level_members (builder, g_ptr_array_index (levels, i));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
    }
  else if (levels->len == 0)
    {
      printf ("%s\n", _("No stock to show: the catalog is empty. Import one with "
                        "“counterpart-cli catalog import FILE.csv”."));
    }
  else
    {
      g_autoptr(CpCliTable) table = cp_cli_table_new (_("SKU"), _("LOCATION"), _(">ON HAND"),
                                                      _(">RESERVED"), _(">SAFETY"),
                                                      _(">AVAILABLE"), NULL);

      for (guint i = 0; i < levels->len; i++)
        {
          CpStockLevel *level = g_ptr_array_index (levels, i);
          g_autofree char *on_hand = int_text (level->on_hand);
          g_autofree char *reserved = int_text (level->reserved);
          g_autofree char *safety = int_text (level->safety_stock);
          g_autofree char *available = int_text (level->available);

          cp_cli_table_add_row (table, level->sku, level->location_code, on_hand, reserved,
                                safety, available, NULL);
        }
      cp_cli_table_print (table);
    }

  return CP_CLI_EXIT_OK;
}

typedef struct
{
  gint64         movement_id;
  gint64         delta;
  CpStockReason  reason;
  const char    *note;
} AdjustInfo;

static void
add_adjust_members (JsonBuilder *builder,
                    gpointer     user_data)
{
  AdjustInfo *info = user_data;

  json_builder_set_member_name (builder, "movement");
  json_builder_begin_object (builder);
  cp_cli_json_add_id (builder, "id", info->movement_id);
  cp_cli_json_add_int (builder, "delta", info->delta);
  cp_cli_json_add_string (builder, "reason", cp_stock_reason_to_string (info->reason));
  cp_cli_json_add_string (builder, "note", info->note);
  json_builder_end_object (builder);
}

static int
usage_needs (CpCli      *cli,
             const char *option)
{
  return cp_cli_usage_error (cli, _("“%s” needs the option “--%s”."), cli->command, option);
}

int
cp_cli_stock_adjust (CpCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autofree char *location = NULL;
  g_autofree char *delta_text = NULL;
  g_autofree char *reason_text = NULL;
  g_autofree char *note = NULL;
  const CpCliOption options[] = {
    { "location", TRUE, NULL, &location },
    { "delta", TRUE, NULL, &delta_text },
    { "reason", TRUE, NULL, &reason_text },
    { "note", TRUE, NULL, &note },
    { NULL },
  };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpStockLevel) before = NULL;
  g_autoptr(CpStockLevel) after = NULL;
  g_autoptr(GError) error = NULL;
  AdjustInfo info = { 0 };
  int status;

  status = cp_cli_parse_args (cli, options, 1, 1, argc, argv, &positional);
  if (status >= 0)
    return status;

  if (location == NULL)
    return usage_needs (cli, "location");
  if (delta_text == NULL)
    return usage_needs (cli, "delta");
  if (reason_text == NULL)
    return usage_needs (cli, "reason");

  /* Whole units, and a bound no real shop reaches: far from overflow when
   * added to on hand. */
  if (!cp_cli_parse_int64 (delta_text, -1000000000000, 1000000000000, &info.delta) ||
      info.delta == 0)
    return cp_cli_usage_error (cli, _("“%s” is not a quantity to move. Give --delta a whole "
                                      "number other than 0, such as 12 or -3."), delta_text);
  if (!cp_stock_reason_from_string (reason_text, &info.reason))
    return cp_cli_usage_error (cli, _("“%s” is not a reason. Use one of received, sold, returned, "
                                      "damaged, lost, count, correction or transfer."),
                               reason_text);
  info.note = note;

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;

  before = cp_stock_get (ledger, positional[0], location, &error);
  if (before == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  if (!cp_stock_adjust (ledger, positional[0], location, info.delta, info.reason, note, NULL,
                        "counterpart-cli", &info.movement_id, &error))
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  after = cp_stock_get (ledger, positional[0], location, &error);
  if (after == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  if (cli->json)
    print_level_json (after, add_adjust_members, &info);
  else if (!cli->quiet)
    printf (_("%s at %s: on hand %" PRId64 " (was %" PRId64 "), "
              "available %" PRId64 ".\n"),
            after->sku, after->location_code, after->on_hand, before->on_hand,
            after->available);

  return CP_CLI_EXIT_OK;
}

int
cp_cli_stock_set_safety (CpCli  *cli,
                         int     argc,
                         char  **argv)
{
  g_autofree char *location = NULL;
  g_autofree char *quantity_text = NULL;
  const CpCliOption options[] = {
    { "location", TRUE, NULL, &location },
    { "quantity", TRUE, NULL, &quantity_text },
    { NULL },
  };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpStockLevel) level = NULL;
  g_autoptr(GError) error = NULL;
  gint64 quantity;
  int status;

  status = cp_cli_parse_args (cli, options, 1, 1, argc, argv, &positional);
  if (status >= 0)
    return status;

  if (location == NULL)
    return usage_needs (cli, "location");
  if (quantity_text == NULL)
    return usage_needs (cli, "quantity");
  if (!cp_cli_parse_int64 (quantity_text, 0, 1000000000000, &quantity))
    return cp_cli_usage_error (cli, _("“%s” is not a safety stock. Give --quantity a whole "
                                      "number, 0 or more."), quantity_text);

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;

  if (!cp_stock_set_safety (ledger, positional[0], location, quantity, &error))
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  level = cp_stock_get (ledger, positional[0], location, &error);
  if (level == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }

  if (cli->json)
    print_level_json (level, NULL, NULL);
  else if (!cli->quiet)
    printf (_("%s at %s: safety stock %" PRId64 ", available %" PRId64 ".\n"),
            level->sku, level->location_code, level->safety_stock, level->available);

  return CP_CLI_EXIT_OK;
}
