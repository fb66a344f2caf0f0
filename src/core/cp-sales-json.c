/* cp-sales-json.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `counterpart-cli sales record`: POS sales as a JSON document, as a
 * register would send them. The document comes from outside, so its size
 * and nesting depth are checked before json-glib sees it (json-glib 1.6
 * has no depth limit and crashes at ~75,000 nested arrays). Money is never
 * a JSON number: json-glib would hand it to us as a double.
 */

#define G_LOG_DOMAIN "cp-sales-json"

#include "config.h"

#include <inttypes.h>

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cp-json-limits.h"
#include "cp-money.h"
#include "cp-orders.h"

#define MAX_DOCUMENT_BYTES (64 * 1024 * 1024)
#define MAX_DEPTH 64

void
cp_sale_result_free (CpSaleResult *result)
{
  if (result == NULL)
    return;

  g_free (result->sale_id);
  g_free (result->error);
  g_free (result);
}

/* Reading one sale. Each helper sets *MESSAGE (for people, without the
 * "sale X:" prefix) and returns FALSE when the field is unusable. */

static gboolean
member_string (JsonObject  *object,
               const char  *name,
               const char  *where,
               const char **out_value,
               char       **message)
{
  JsonNode *node = json_object_get_member (object, name);

  *out_value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *message = g_strdup_printf (_("%s%s must be a string"), where, name);
      return FALSE;
    }

  *out_value = json_node_get_string (node);
  return TRUE;
}

static gboolean
member_quantity (JsonObject  *object,
                 const char  *name,
                 const char  *where,
                 gint64      *out_value,
                 char       **message)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *message = g_strdup_printf (_("%s%s is missing; give it as a whole number"), where, name);
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      *message = g_strdup_printf (_("%s%s must be a whole number, such as 2"), where, name);
      return FALSE;
    }

  *out_value = json_node_get_int (node);
  if (*out_value < 0)
    {
      *message = g_strdup_printf (_("%s%s %" PRId64 " is negative; record a return "
                                    "as a refund instead"), where, name, *out_value);
      return FALSE;
    }

  return TRUE;
}

/* A decimal string in the sale's currency, or {"amount_minor": N,
 * "currency": C} with C the sale's currency. Absent is 0 unless REQUIRED. */
static gboolean
member_money (JsonObject  *object,
              const char  *name,
              const char  *where,
              const char  *currency,
              gboolean     required,
              gint64      *out_minor,
              char       **message)
{
  JsonNode *node = json_object_get_member (object, name);

  *out_minor = 0;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      *message = g_strdup_printf (_("%s%s is missing; give it as a decimal string such as "
                                    "\"19.99\""), where, name);
      return FALSE;
    }

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autoptr(GError) error = NULL;
      const char *text = json_node_get_string (node);

      if (!cp_money_parse (text, currency, out_minor, &error))
        {
          if (g_error_matches (error, CP_MONEY_ERROR, CP_MONEY_ERROR_SYNTAX))
            *message = g_strdup_printf (_("%s%s “%s” is not an amount; write it with digits "
                                          "and a dot, such as \"19.99\""), where, name, text);
          else
            *message = g_strdup_printf (_("%s%s “%s” is not an amount in %s: %s"),
                                        where, name, text, currency, error->message);
          return FALSE;
        }
      return TRUE;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *money = json_node_get_object (node);
      JsonNode *amount = json_object_get_member (money, "amount_minor");
      JsonNode *code = json_object_get_member (money, "currency");
      const char *code_text;

      if (amount == NULL || !JSON_NODE_HOLDS_VALUE (amount) ||
          json_node_get_value_type (amount) != G_TYPE_INT64)
        {
          *message = g_strdup_printf (_("%s%s.amount_minor must be a whole number of minor "
                                        "units, such as 1999"), where, name);
          return FALSE;
        }

      code_text = code != NULL && JSON_NODE_HOLDS_VALUE (code) &&
                  json_node_get_value_type (code) == G_TYPE_STRING ?
                  json_node_get_string (code) : NULL;
      if (code_text == NULL || g_strcmp0 (code_text, currency) != 0)
        {
          *message = g_strdup_printf (_("%s%s is in %s but the sale is in %s; give every "
                                        "amount of a sale in its currency"),
                                      where, name, code_text != NULL ? code_text : "?", currency);
          return FALSE;
        }

      *out_minor = json_node_get_int (amount);
      return TRUE;
    }

  if (JSON_NODE_HOLDS_VALUE (node))
    *message = g_strdup_printf (_("%s%s must be a decimal string such as \"19.99\", not a "
                                  "JSON number (numbers lose cents)"), where, name);
  else
    *message = g_strdup_printf (_("%s%s is not an amount; give a decimal string such as "
                                  "\"19.99\""), where, name);
  return FALSE;
}

static gboolean
member_array (JsonObject  *object,
              const char  *name,
              JsonArray  **out_array,
              char       **message)
{
  JsonNode *node = json_object_get_member (object, name);

  *out_array = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      *message = g_strdup_printf (_("%s must be a list"), name);
      return FALSE;
    }

  *out_array = json_node_get_array (node);
  return TRUE;
}

static gboolean
read_lines (JsonArray  *lines,
            CpOrder    *order,
            char      **message)
{
  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    {
      JsonNode *node = json_array_get_element (lines, i);
      g_autofree char *where = g_strdup_printf (_("line %u: "), i + 1);
      JsonObject *line;
      const char *sku, *name;
      gint64 quantity, unit, discount, tax;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          *message = g_strdup_printf (_("line %u is not an object"), i + 1);
          return FALSE;
        }
      line = json_node_get_object (node);

      if (!member_string (line, "sku", where, &sku, message) ||
          !member_string (line, "name", where, &name, message) ||
          !member_quantity (line, "quantity", where, &quantity, message) ||
          !member_money (line, "unit_price", where, order->currency, TRUE, &unit, message) ||
          !member_money (line, "discount", where, order->currency, FALSE, &discount, message) ||
          !member_money (line, "tax", where, order->currency, FALSE, &tax, message))
        return FALSE;

      if ((sku == NULL || *sku == '\0') && (name == NULL || *name == '\0'))
        {
          *message = g_strdup_printf (_("line %u has neither a sku nor a name"), i + 1);
          return FALSE;
        }

      cp_order_add_line (order, sku, name, quantity, unit, discount, tax);
    }

  return TRUE;
}

static gboolean
read_payments (JsonArray  *payments,
               CpOrder    *order,
               char      **message)
{
  for (guint i = 0; payments != NULL && i < json_array_get_length (payments); i++)
    {
      JsonNode *node = json_array_get_element (payments, i);
      g_autofree char *where = g_strdup_printf (_("payment %u: "), i + 1);
      JsonObject *payment;
      const char *method, *reference;
      gint64 amount;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          *message = g_strdup_printf (_("payment %u is not an object"), i + 1);
          return FALSE;
        }
      payment = json_node_get_object (node);

      if (!member_string (payment, "method", where, &method, message) ||
          !member_string (payment, "reference", where, &reference, message) ||
          !member_money (payment, "amount", where, order->currency, TRUE, &amount, message))
        return FALSE;

      cp_order_add_payment (order, method != NULL ? method : "cash", amount, reference);
    }

  return TRUE;
}

static gboolean
read_placed_at (JsonObject  *sale,
                CpOrder     *order,
                char       **message)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) when = NULL;
  const char *text;

  if (!member_string (sale, "placed_at", "", &text, message))
    return FALSE;

  if (text == NULL)
    {
      order->placed_at_us = cp_ledger_now_us ();
      return TRUE;
    }

  /* A register that leaves out the offset means the shop's own clock. */
  local = g_time_zone_new_local ();
  when = g_date_time_new_from_iso8601 (text, local);
  if (when == NULL)
    {
      *message = g_strdup_printf (_("placed_at “%s” is not an ISO 8601 date and time; write "
                                    "it like 2026-11-23T14:05:00+01:00"), text);
      return FALSE;
    }

  order->placed_at_us = g_date_time_to_unix (when) * G_USEC_PER_SEC +
                        g_date_time_get_microsecond (when);
  return TRUE;
}

static gboolean
read_sale (CpLedger    *ledger,
           JsonObject  *sale,
           CpOrder     *order,
           char       **message)
{
  JsonNode *customer_node;
  JsonArray *lines, *payments;
  const char *number, *location, *currency, *status;

  if (!member_string (sale, "number", "", &number, message) ||
      !member_string (sale, "location", "", &location, message) ||
      !member_string (sale, "currency", "", &currency, message) ||
      !member_string (sale, "status", "", &status, message))
    return FALSE;

  if (currency == NULL)
    currency = cp_ledger_get_currency (ledger);
  if (!cp_currency_is_valid (currency))
    {
      *message = g_strdup_printf (_("currency “%s” is not a three-letter ISO 4217 code such as "
                                    "USD or EUR"), currency);
      return FALSE;
    }
  g_strlcpy (order->currency, currency, sizeof order->currency);

  order->number = g_strdup (number);
  order->location_code = g_strdup (location);
  order->status = g_strdup (status);

  if (!read_placed_at (sale, order, message))
    return FALSE;

  customer_node = json_object_get_member (sale, "customer");
  if (customer_node != NULL && !JSON_NODE_HOLDS_NULL (customer_node))
    {
      JsonObject *customer;
      const char *name, *email;

      if (!JSON_NODE_HOLDS_OBJECT (customer_node))
        {
          *message = g_strdup (_("customer must be an object with a name and an email"));
          return FALSE;
        }
      customer = json_node_get_object (customer_node);
      if (!member_string (customer, "name", _("customer: "), &name, message) ||
          !member_string (customer, "email", _("customer: "), &email, message))
        return FALSE;
      order->customer_name = g_strdup (name);
      order->customer_email = g_strdup (email);
    }

  if (!member_money (sale, "shipping", "", order->currency, FALSE, &order->shipping_minor, message) ||
      !member_money (sale, "discount", "", order->currency, FALSE,
                     &order->order_discount_minor, message))
    return FALSE;

  if (!member_array (sale, "lines", &lines, message) ||
      !member_array (sale, "payments", &payments, message))
    return FALSE;

  if (lines == NULL && g_strcmp0 (status, "cancelled") != 0)
    {
      *message = g_strdup (_("lines is missing; list what was sold"));
      return FALSE;
    }

  return read_lines (lines, order, message) && read_payments (payments, order, message);
}

/* The sale's id as text: registers send it as a string or a number. */
static char *
sale_id_of (JsonObject *sale)
{
  JsonNode *node = json_object_get_member (sale, "id");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
    }

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

  return NULL;
}

static CpSaleResult *
record_sale (CpLedger *ledger,
             JsonNode *node,
             guint     index)
{
  CpSaleResult *result = g_new0 (CpSaleResult, 1);
  g_autoptr(CpOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  JsonObject *sale;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      result->error = g_strdup_printf (_("sale %u is not an object; give each sale as "
                                         "{\"id\": …, \"lines\": […]}"), index + 1);
      return result;
    }
  sale = json_node_get_object (node);

  result->sale_id = sale_id_of (sale);
  if (result->sale_id == NULL)
    {
      result->error = g_strdup_printf (_("sale %u has no id; give every sale the register's "
                                         "id for it, so recording it twice is harmless"),
                                       index + 1);
      return result;
    }

  order = cp_order_new ();
  order->source = g_strdup ("pos");
  order->external_id = g_strdup (result->sale_id);

  if (!read_sale (ledger, sale, order, &message))
    {
      result->error = g_strdup_printf (_("sale %s: %s"), result->sale_id, message);
      return result;
    }

  /* Shops oversell: "sold" may take stock below zero, which is the truth. */
  if (!cp_orders_record (ledger, order, TRUE, &result->order_id, &result->existed, &error))
    {
      result->order_id = 0;
      result->error = g_strdup_printf (_("sale %s: %s"), result->sale_id, error->message);
    }

  return result;
}

GPtrArray *
cp_sales_record_json (CpLedger    *ledger,
                      const char  *json_text,
                      gssize       length,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;
  JsonArray *sales = NULL;
  g_autoptr(GError) limits_error = NULL;
  gsize size;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (json_text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  size = length >= 0 ? (gsize) length : strnlen (json_text, MAX_DOCUMENT_BYTES + 1);

  if (!cp_json_check_limits (json_text, size, MAX_DOCUMENT_BYTES, MAX_DEPTH, &limits_error))
    {
      /* The pre-scan's own message does not know this is a sales file;
       * say what to do with one. */
      if (g_error_matches (limits_error, CP_JSON_LIMITS_ERROR, CP_JSON_LIMITS_ERROR_TOO_LARGE))
        g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                     _("The sales document is larger than %d MiB. Split it into smaller files "
                       "and record them one after the other."),
                     MAX_DOCUMENT_BYTES / (1024 * 1024));
      else
        g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                     _("The sales document nests lists or objects more than %d levels deep, so "
                       "it is not a sales document. Check what wrote it."),
                     MAX_DEPTH);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json_text, size, &parse_error))
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("The sales document is not valid JSON: %s"), parse_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *list = json_object_get_member (json_node_get_object (root), "sales");

      if (list != NULL)
        {
          if (!JSON_NODE_HOLDS_ARRAY (list))
            {
              g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                                   _("“sales” in the sales document must be a list of sales."));
              return NULL;
            }
          sales = json_node_get_array (list);
        }
    }
  else if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    sales = json_node_get_array (root);
  else
    {
      g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                           _("The sales document must be one sale object or {\"sales\": [ … ]}."));
      return NULL;
    }

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_sale_result_free);

  if (sales == NULL)
    g_ptr_array_add (results, record_sale (ledger, root, 0));
  else
    for (guint i = 0; i < json_array_get_length (sales); i++)
      g_ptr_array_add (results, record_sale (ledger, json_array_get_element (sales, i), i));

  return g_steal_pointer (&results);
}
