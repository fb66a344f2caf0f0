/* cp-cli-orders.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `orders list [--source S] [--status S] [--since T] [--limit N]
 * [--needs-mapping]`.
 */

#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <inttypes.h>

#include <string.h>
#include <glib/gi18n.h>

#include "cp-cli-output.h"
#include "cp-cli-private.h"
#include "cp-money.h"
#include "cp-orders.h"
#include "cp-orders-import.h"

/* The human list stops here unless --limit says otherwise, so a shop
 * with years of sales does not scroll for minutes. */
#define DEFAULT_HUMAN_LIMIT 50

static void
add_order_json (JsonBuilder   *builder,
                const CpOrder *order)
{
  gboolean pos = g_strcmp0 (order->source, "pos") == 0;

  json_builder_begin_object (builder);
  cp_cli_json_add_id (builder, "id", order->id);
  cp_cli_json_add_string (builder, "number", order->number);
  cp_cli_json_add_string (builder, "source", order->source);
  cp_cli_json_add_string (builder, "external_id", pos ? NULL : order->external_id);
  cp_cli_json_add_string (builder, "status", order->status);
  cp_cli_json_add_time (builder, "placed_at", order->placed_at_us);
  cp_cli_json_add_money (builder, "total", order->total_minor, order->currency);
  cp_cli_json_add_money (builder, "refunded_total", order->refunded_minor, order->currency);
  cp_cli_json_add_string (builder, "currency", order->currency);
  cp_cli_json_add_int (builder, "lines", order->n_lines);
  cp_cli_json_add_string (builder, "location", order->location_code);
  cp_cli_json_add_string (builder, "customer_name", order->customer_name);
  json_builder_end_object (builder);
}

static char *
format_local_time (gint64 at_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (at_us / G_USEC_PER_SEC);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : g_strdup ("");
}

/* --needs-mapping: the store order lines whose SKU no product has. */
static int
list_needs_mapping (CpCli      *cli,
                    CpLedger   *ledger,
                    const char *source,
                    gint64      limit)
{
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  gboolean more = FALSE;

  lines = cp_orders_list_needs_mapping (ledger, source, limit > 0 ? (guint) limit + 1 : 0, &error);
  if (lines == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }
  if (limit > 0 && lines->len > (guint) limit)
    {
      g_ptr_array_set_size (lines, (guint) limit);
      more = TRUE;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "data");
      json_builder_begin_array (builder);
      for (guint i = 0; i < lines->len; i++)
        {
          CpUnmappedLine *line = g_ptr_array_index (lines, i);

          json_builder_begin_object (builder);
          cp_cli_json_add_id (builder, "order_id", line->order_id);
          cp_cli_json_add_string (builder, "number", line->number);
          cp_cli_json_add_string (builder, "source", line->source);
          cp_cli_json_add_string (builder, "sku", line->sku);
          cp_cli_json_add_string (builder, "name", line->name);
          cp_cli_json_add_int (builder, "quantity", line->quantity);
          cp_cli_json_add_time (builder, "placed_at", line->placed_at_us);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "has_more");
      json_builder_add_boolean_value (builder, more);
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
      return CP_CLI_EXIT_OK;
    }

  if (lines->len == 0)
    {
      printf ("%s\n", _("Every SKU of the stores' orders names a product."));
      return CP_CLI_EXIT_OK;
    }

  {
    g_autoptr(CpCliTable) table = cp_cli_table_new (_("NUMBER"), _("PLACED"), _("SOURCE"),
                                                    _("SKU"), _("NAME"), _(">QUANTITY"), NULL);

    for (guint i = 0; i < lines->len; i++)
      {
        CpUnmappedLine *line = g_ptr_array_index (lines, i);
        g_autofree char *placed = format_local_time (line->placed_at_us);
        g_autofree char *quantity = g_strdup_printf ("%" G_GINT64_FORMAT, line->quantity);

        cp_cli_table_add_row (table, line->number, placed, line->source, line->sku, line->name,
                              quantity, NULL);
      }
    cp_cli_table_print (table);
  }

  if (!cli->quiet)
    printf ("%s\n", _("These SKUs name no product: add the products (or correct the SKUs on "
                      "the store), then these lines are counted in stock from the next order."));
  if (more && !cli->quiet)
    printf (_("Showing the newest %" PRId64 " lines; use --limit N to see more.\n"), limit);
  return CP_CLI_EXIT_OK;
}

int
cp_cli_orders_list (CpCli  *cli,
                    int     argc,
                    char  **argv)
{
  g_autofree char *source = NULL;
  g_autofree char *order_status = NULL;
  g_autofree char *since = NULL;
  g_autofree char *limit_text = NULL;
  gboolean needs_mapping = FALSE;
  const CpCliOption options[] = {
    { "source", TRUE, NULL, &source },
    { "status", TRUE, NULL, &order_status },
    { "since", TRUE, NULL, &since },
    { "limit", TRUE, NULL, &limit_text },
    { "needs-mapping", FALSE, &needs_mapping, NULL },
    { NULL },
  };
  g_auto(GStrv) positional = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GError) error = NULL;
  CpOrderFilter filter = { 0 };
  gint64 limit = 0;
  gboolean more = FALSE;
  int status;

  status = cp_cli_parse_args (cli, options, 0, 0, argc, argv, &positional);
  if (status >= 0)
    return status;

  if (since != NULL && !cp_cli_parse_since (since, &filter.since_us))
    return cp_cli_usage_error (cli, _("“%s” is not a date. Give --since an ISO 8601 date such "
                                      "as 2026-11-01, or a date and time such as "
                                      "2026-11-01T09:30:00Z."), since);
  if (limit_text != NULL && !cp_cli_parse_int64 (limit_text, 1, G_MAXUINT - 1, &limit))
    return cp_cli_usage_error (cli, _("“%s” is not a limit. Give --limit a whole number, "
                                      "1 or more."), limit_text);
  if (limit_text == NULL && !cli->json)
    limit = DEFAULT_HUMAN_LIMIT;

  ledger = cp_cli_open_ledger (cli, FALSE, NULL, &status);
  if (ledger == NULL)
    return status;

  if (needs_mapping)
    return list_needs_mapping (cli, ledger, source, limit);

  filter.source = source;
  filter.status = order_status;
  /* One more than shown tells whether there are more. */
  filter.limit = limit > 0 ? (guint) limit + 1 : 0;
  orders = cp_orders_list (ledger, &filter, &error);
  if (orders == NULL)
    {
      cp_cli_error (cli, "%s", error->message);
      return CP_CLI_EXIT_FAILED;
    }
  if (limit > 0 && orders->len > (guint) limit)
    {
      g_ptr_array_set_size (orders, (guint) limit);
      more = TRUE;
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "data");
      json_builder_begin_array (builder);
      for (guint i = 0; i < orders->len; i++)
        add_order_json (builder, g_ptr_array_index (orders, i));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "has_more");
      json_builder_add_boolean_value (builder, more);
      json_builder_end_object (builder);
      cp_cli_print_builder (builder);
      return CP_CLI_EXIT_OK;
    }

  if (orders->len == 0)
    {
      if (source != NULL || order_status != NULL || since != NULL)
        printf ("%s\n", _("No orders match these filters."));
      else
        printf ("%s\n", _("No orders yet."));
      return CP_CLI_EXIT_OK;
    }

  {
    g_autoptr(CpCliTable) table = cp_cli_table_new (_("NUMBER"), _("PLACED"), _("SOURCE"),
                                                    _("STATUS"), _(">LINES"), _(">TOTAL"),
                                                    _(">REFUNDED"), NULL);

    for (guint i = 0; i < orders->len; i++)
      {
        CpOrder *order = g_ptr_array_index (orders, i);
        g_autofree char *placed = format_local_time (order->placed_at_us);
        g_autofree char *lines = g_strdup_printf ("%u", order->n_lines);
        g_autofree char *total = cp_money_format (order->total_minor, order->currency);
        g_autofree char *refunded = order->refunded_minor != 0
                                      ? cp_money_format (order->refunded_minor, order->currency)
                                      : g_strdup ("");

        cp_cli_table_add_row (table, order->number, placed, order->source, order->status,
                              lines, total, refunded, NULL);
      }
    cp_cli_table_print (table);
  }

  if (more && !cli->quiet)
    printf (_("Showing the newest %" PRId64 " orders; use --limit N to see more.\n"),
            limit);

  return CP_CLI_EXIT_OK;
}
