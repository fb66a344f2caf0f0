/* cp-order-currency.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Store orders in another currency than the books': kept aside, never
 * converted, and the shop owner told what to do (cp-order-currency.h).
 */

#define G_LOG_DOMAIN "cp-orders"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "cp-activity.h"
#include "cp-order-currency.h"
#include "cp-orders-import.h"
#include "cp-orders-reserve.h"
#include "cp-orders-private.h"
#include "cp-sql.h"

/* At most this many order numbers in an event's details: a store that
 * switched currency a week ago may bring hundreds at once. */
#define MAX_NUMBERS_IN_DETAILS 50

gboolean
cp_order_currency_is_foreign (CpLedger      *ledger,
                              const CpOrder *order)
{
  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (order != NULL, FALSE);

  /* An order with no currency is cp_orders_record's to refuse, not a
   * currency of its own. */
  if (order->currency[0] == '\0')
    return FALSE;
  return g_ascii_strcasecmp (order->currency, cp_ledger_get_currency (ledger)) != 0;
}

gboolean
cp_order_currency_hold (CpLedger       *ledger,
                        const CpOrder  *order,
                        GPtrArray      *search_rows,
                        gint64         *out_id,
                        gboolean       *out_existed,
                        GError        **error)
{
  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (order != NULL && order->source != NULL, FALSE);

  /* Known already, reserving (it has a location), and now cancelled on
   * the store (a pull reads it again): its reservation ends, as a webhook
   * saying so would do. */
  if (search_rows != NULL && order->external_id != NULL &&
      (g_strcmp0 (order->status, "cancelled") == 0 || g_strcmp0 (order->status, "refunded") == 0))
    {
      g_autofree char *status = NULL;
      gint64 location_id = 0;
      gint64 id = 0;
      int found = cp_orders_reserve_find (ledger, order, &id, &status, &location_id, error);

      if (found < 0)
        return FALSE;
      if (found > 0 && location_id > 0 &&
          g_strcmp0 (status, CP_ORDER_STATUS_HELD_CURRENCY) == 0)
        {
          if (out_existed != NULL)
            *out_existed = TRUE;
          return cp_orders_import (ledger, NULL, order, out_id, NULL, NULL, error);
        }
    }

  /* Recorded with what makes it "kept aside", its own status; everything
   * else stays as the store sent it, in its currency. The store took its
   * units from its own stock when it was placed: they are reserved here
   * too (cp-orders-reserve.h), or the next full push would offer them
   * again; never sold, so a cancellation only releases them. */
  return cp_orders_reserve_record (ledger, order, CP_ORDER_STATUS_HELD_CURRENCY, search_rows,
                                   out_id, out_existed, error);
}

static gint64
count_held (CpLedger    *ledger,
            const char  *source,
            GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  /* orders_source_placed narrows to the source; its held orders are few. */
  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT count (*) FROM orders"
                                   " WHERE source = ?1 AND status = '"
                                   CP_ORDER_STATUS_HELD_CURRENCY "'",
                                   error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, source, -1, SQLITE_STATIC);
  if (cp_sql_step (ledger, stmt, _("Could not read the orders"), error) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

gint64
cp_order_currency_count_held (CpLedger   *ledger,
                              const char *source)
{
  g_return_val_if_fail (CP_IS_LEDGER (ledger), -1);

  return count_held (ledger, source, NULL);
}

/* Where the store's currency is set, in the platform's own words. */
static char *
what_to_do (const char *platform,
            const char *books_currency)
{
  if (g_strcmp0 (platform, "woocommerce") == 0)
    /* Translators: %s is the books' currency code ("USD"). */
    return g_strdup_printf (_("Set the shop’s currency back to %s in WordPress admin → "
                              "WooCommerce → Settings → General → Currency options, or contact "
                              "support to move your books to the new currency."),
                            books_currency);
  if (g_strcmp0 (platform, "shopify") == 0)
    return g_strdup_printf (_("Set the store’s currency back to %s in Shopify admin → Settings → "
                              "Store details, or contact support to move your books to the new "
                              "currency."),
                            books_currency);
  return g_strdup_printf (_("Set the store’s currency back to %s in the store’s settings, or "
                            "contact support to move your books to the new currency."),
                          books_currency);
}

char *
cp_order_currency_message (const char *platform,
                           const char *store_name,
                           const char *store_currency,
                           const char *books_currency,
                           gint64      n_held)
{
  g_autofree char *mismatch = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *action = what_to_do (platform, books_currency);

  /* Translators: a store's name, then two currency codes. */
  mismatch = g_strdup_printf (_("“%s” sells in %s but your books are in %s."),
                              store_name, store_currency, books_currency);
  kept = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%" PRId64 " order was kept aside and not added to your "
                                       "sales; nothing was converted.",
                                       "%" PRId64 " orders were kept aside and not added to your "
                                       "sales; nothing was converted.",
                                       (gulong) CLAMP (n_held, 0, G_MAXLONG)),
                          (int64_t) n_held);
  return g_strjoin (" ", mismatch, kept, action, NULL);
}

static char *
details_json (const char *store_currency,
              const char *books_currency,
              GPtrArray  *numbers)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "store_currency");
  json_builder_add_string_value (b, store_currency);
  json_builder_set_member_name (b, "books_currency");
  json_builder_add_string_value (b, books_currency);
  json_builder_set_member_name (b, "orders");
  json_builder_begin_array (b);
  for (guint i = 0; i < numbers->len && i < MAX_NUMBERS_IN_DETAILS; i++)
    json_builder_add_string_value (b, g_ptr_array_index (numbers, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "orders_kept_aside_now");
  json_builder_add_int_value (b, numbers->len);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

char *
cp_order_currency_report (CpLedger             *ledger,
                          const CpIntegration  *integration,
                          const char           *store_currency,
                          GPtrArray            *numbers,
                          GError              **error)
{
  g_autofree char *message = NULL;
  g_autofree char *details = NULL;
  const char *books = cp_ledger_get_currency (ledger);
  gint64 n_held;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (integration != NULL && store_currency != NULL && numbers != NULL, NULL);

  n_held = count_held (ledger, integration->id, error);
  if (n_held < 0)
    return NULL;

  message = cp_order_currency_message (integration->platform, integration->name, store_currency,
                                       books, n_held);
  details = details_json (store_currency, books, numbers);

  if (cp_activity_log (ledger, CP_ACTIVITY_STORE_CURRENCY_MISMATCH, CP_ACTIVITY_WARNING,
                       integration->id, 0, message, details, error) == 0 ||
      !cp_integrations_set_attention (ledger, integration->id, CP_ATTENTION_CURRENCY, message,
                                      error))
    return NULL;
  return g_steal_pointer (&message);
}

gboolean
cp_order_currency_resolve (CpLedger             *ledger,
                           const CpIntegration  *integration,
                           gint64                newest_us,
                           gboolean             *out_cleared,
                           GError              **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autofree char *message = NULL;
  gint64 newest_held;
  gint64 n_held;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (integration != NULL, FALSE);

  *out_cleared = FALSE;
  if (g_strcmp0 (integration->attention_kind, CP_ATTENTION_CURRENCY) != 0)
    return TRUE;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT coalesce (max (placed_at), 0), count (*) FROM orders"
                                   " WHERE source = ?1 AND status = '"
                                   CP_ORDER_STATUS_HELD_CURRENCY "'",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, integration->id, -1, SQLITE_STATIC);
  rc = cp_sql_step (ledger, stmt, _("Could not read the orders"), error);
  if (rc != SQLITE_ROW)
    return FALSE;
  newest_held = sqlite3_column_int64 (stmt, 0);
  n_held = sqlite3_column_int64 (stmt, 1);

  /* An older order in the books' currency (refunded today, so read
   * again) says nothing of what the store sells in now. */
  if (newest_us <= newest_held)
    return TRUE;

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "“%s” sells in %s again. The %" PRId64 " order kept "
                                          "aside in another currency stays out of your sales; "
                                          "find it in Orders, or with “counterpart-cli orders "
                                          "list --status held_currency”.",
                                          "“%s” sells in %s again. The %" PRId64 " orders kept "
                                          "aside in another currency stay out of your sales; "
                                          "find them in Orders, or with “counterpart-cli orders "
                                          "list --status held_currency”.",
                                          (gulong) CLAMP (n_held, 0, G_MAXLONG)),
                             integration->name, cp_ledger_get_currency (ledger),
                             (int64_t) n_held);
  if (!cp_integrations_set_attention (ledger, integration->id, NULL, NULL, error) ||
      cp_activity_log (ledger, CP_ACTIVITY_STORE_CURRENCY_MISMATCH, CP_ACTIVITY_INFO,
                       integration->id, 0, message, NULL, error) == 0)
    return FALSE;
  *out_cleared = TRUE;
  return TRUE;
}
