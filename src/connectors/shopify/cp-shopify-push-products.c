/* cp-shopify-push-products.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalog and fulfillments to Shopify. A product goes whole through
 * productSet (its variants are a list Shopify replaces wholesale, so all
 * of the ledger product's variants go every time), with the module fields
 * of seed 003 as metafields in the "counterpart" namespace and the
 * category's name as its productType. An order the
 * shop marked shipped or completed is fulfilled with fulfillmentCreate,
 * tracking included. Both carry @idempotent where the version has it, so a
 * resend after a crash never creates a second product or fulfillment.
 */

#define G_LOG_DOMAIN "cp-shopify"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-categories.h"
#include "cp-integrations.h"
#include "cp-money.h"
#include "cp-sql.h"
#include "cp-stock-publish.h"

#include "cp-shopify-private.h"

#define METAFIELD_NAMESPACE "counterpart"

static const char product_set_query_idempotent[] =
  "mutation CounterpartProductSet($input: ProductSetInput!, $key: String!) {"
  " productSet(input: $input, synchronous: true) @idempotent(key: $key) {"
  "  product { id variants(first: 250) { nodes { id sku inventoryItem { id } } } }"
  "  userErrors { field message code } } }";
static const char product_set_query[] =
  "mutation CounterpartProductSet($input: ProductSetInput!) {"
  " productSet(input: $input, synchronous: true) {"
  "  product { id variants(first: 250) { nodes { id sku inventoryItem { id } } } }"
  "  userErrors { field message code } } }";

static void
fail_jobs (ShopifyPush *push,
           GArray      *jobs,
           GError      *error)
{
  for (guint i = 0; i < jobs->len; i++)
    shopify_job_fail (push, g_array_index (jobs, guint, i), g_error_copy (error));
  g_error_free (error);
}

static char *
mapping (ShopifyPush *push,
         const char  *kind,
         gint64       local_id)
{
  g_autofree char *local = g_strdup_printf ("%" G_GINT64_FORMAT, local_id);

  return cp_integrations_get_remote_id (push->ledger, push->self->integration_id, kind, local, NULL);
}

static gboolean
set_mapping_if_new (ShopifyPush *push,
                    const char  *kind,
                    gint64       local_id,
                    const char  *remote,
                    GError     **error)
{
  g_autofree char *current = mapping (push, kind, local_id);
  g_autofree char *local = g_strdup_printf ("%" G_GINT64_FORMAT, local_id);

  /* A mapping already right keeps its last_hash (the last quantities). */
  if (remote == NULL || g_strcmp0 (current, remote) == 0)
    return TRUE;
  return cp_integrations_set_mapping (push->ledger, push->self->integration_id, kind, local,
                                      remote, NULL, error);
}

/* The module fields (variants.attributes) as metafields. */
static void
add_metafields (JsonBuilder *b,
                const char  *attributes)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_builder_set_member_name (b, "metafields");
  json_builder_begin_array (b);
  if (attributes != NULL && json_parser_load_from_data (parser, attributes, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      json_object_iter_init (&iter, json_node_get_object (json_parser_get_root (parser)));
      while (json_object_iter_next (&iter, &name, &value))
        {
          g_autofree char *text = NULL;

          if (json_node_get_value_type (value) == G_TYPE_STRING)
            text = g_strdup (json_node_get_string (value));
          else if (JSON_NODE_HOLDS_VALUE (value))
            text = json_to_string (value, FALSE);
          else
            continue;
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "namespace");
          json_builder_add_string_value (b, METAFIELD_NAMESPACE);
          json_builder_set_member_name (b, "key");
          json_builder_add_string_value (b, name);
          json_builder_set_member_name (b, "type");
          json_builder_add_string_value (b, "single_line_text_field");
          json_builder_set_member_name (b, "value");
          json_builder_add_string_value (b, text);
          json_builder_end_object (b);
        }
    }
  json_builder_end_array (b);
}

/* One productSet for PRODUCT_ID, for the jobs JOBS. */
static gboolean
push_product (ShopifyPush  *push,
              gint64        product_id,
              GArray       *jobs,
              GError      **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_auto(ShopifyResponse) response = { 0 };
  g_autoptr(GPtrArray) user_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) shopify_user_error_free);
  g_autofree char *remote_product = mapping (push, SHOPIFY_KIND_PRODUCT, product_id);
  g_autofree char *title = NULL, *attributes = NULL, *key = NULL, *product_type = NULL;
  gint64 category_id = 0;
  g_autoptr(GArray) variant_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean idempotent = shopify_supports_idempotency (push->self);
  gboolean pos_prices = TRUE;
  JsonArray *nodes;
  GError *local_error = NULL;
  guint n = 0;
  int rc;

  /* With "master": {"price": "store"} Shopify's prices stand. */
  if (!cp_stock_publish_pos_is_master (push->ledger, push->self->integration_id,
                                       CP_MASTER_FIELD_PRICE, &pos_prices, error))
    return FALSE;

  stmt = cp_ledger_prepare_cached (push->ledger,
                                   "SELECT p.name, v.id, v.sku, v.price_minor, v.currency, v.option1, "
                                   "v.option2, v.option3, v.attributes, p.category_id FROM products p "
                                   "JOIN variants v ON v.product_id = p.id WHERE p.id = ?1 ORDER BY v.id",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, product_id);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "input");
  json_builder_begin_object (b);
  if (remote_product != NULL)
    {
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, remote_product);
    }
  json_builder_set_member_name (b, "variants");
  json_builder_begin_array (b);
  while ((rc = cp_sql_step (push->ledger, stmt, _("Could not read the catalog"), error)) == SQLITE_ROW)
    {
      gint64 variant_id = sqlite3_column_int64 (stmt, 1);
      const char *currency = (const char *) sqlite3_column_text (stmt, 4);
      g_autofree char *price = NULL, *remote_variant = NULL;
      g_autoptr(GString) label = g_string_new (NULL);

      if (title == NULL)
        title = cp_sql_dup_text (stmt, 0);
      if (attributes == NULL)
        attributes = cp_sql_dup_text (stmt, 8);
      category_id = sqlite3_column_int64 (stmt, 9);
      if (push->self->ledger_currency[0] != '\0' && g_strcmp0 (currency, push->self->ledger_currency) != 0)
        continue;   /* never converted; such a variant is not priced for this store */
      price = cp_money_format_plain (sqlite3_column_int64 (stmt, 3), currency);
      for (int c = 5; c <= 7; c++)
        if (sqlite3_column_text (stmt, c) != NULL)
          g_string_append_printf (label, "%s%s", label->len > 0 ? " / " : "",
                                  (const char *) sqlite3_column_text (stmt, c));
      if (label->len == 0)
        g_string_append (label, (const char *) sqlite3_column_text (stmt, 2));
      remote_variant = mapping (push, SHOPIFY_KIND_VARIANT, variant_id);
      json_builder_begin_object (b);
      if (remote_variant != NULL)
        {
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, remote_variant);
        }
      json_builder_set_member_name (b, "sku");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 2));
      if (pos_prices)
        {
          json_builder_set_member_name (b, "price");
          json_builder_add_string_value (b, price);
        }
      json_builder_set_member_name (b, "optionValues");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "optionName");
      json_builder_add_string_value (b, "Variant");
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, label->str);
      json_builder_end_object (b);
      json_builder_end_array (b);
      json_builder_end_object (b);
      g_array_append_val (variant_ids, variant_id);
      n++;
    }
  g_clear_pointer (&stmt, sqlite3_reset);
  if (rc != SQLITE_DONE)
    return FALSE;
  json_builder_end_array (b);
  if (n == 0)
    return TRUE;   /* deleted here since, or nothing in this currency */
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, title);
  /* The ledger's category as Shopify's own word for it: the product type
   * is one free text per product, so the leaf ("Brakes", not the whole
   * path) is what a merchant would type there. None in the ledger: the
   * store's stays. */
  if (category_id != 0)
    {
      g_autoptr(GPtrArray) chain = cp_categories_get_chain (push->ledger, category_id, error);

      if (chain == NULL)
        return FALSE;
      product_type = g_strdup (((CpCategory *) g_ptr_array_index (chain, chain->len - 1))->name);
      json_builder_set_member_name (b, "productType");
      json_builder_add_string_value (b, product_type);
    }
  json_builder_set_member_name (b, "productOptions");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "Variant");
  json_builder_end_object (b);
  json_builder_end_array (b);
  add_metafields (b, attributes);
  json_builder_end_object (b);
  if (idempotent)
    {
      key = shopify_idempotency_key (push, jobs);
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, key);
    }
  json_builder_end_object (b);

  if (!shopify_send_for_jobs (push, jobs, "productSet",
                              idempotent ? product_set_query_idempotent : product_set_query,
                              json_builder_get_root (b), 10.0 + n, &response, &local_error))
    {
      if (local_error->code == CP_CONNECTOR_ERROR_INVALID_DATA && jobs->len > 0)
        {
          fail_jobs (push, jobs, local_error);
          return TRUE;
        }
      g_propagate_error (error, local_error);
      return FALSE;
    }
  shopify_parse_user_errors (shopify_get_object (response.data, "productSet"), user_errors);
  if (user_errors->len > 0)
    {
      ShopifyUserError *ue = g_ptr_array_index (user_errors, 0);

      if (g_strcmp0 (ue->code, "PRODUCT_DOES_NOT_EXIST") == 0)
        {
          g_autofree char *local = g_strdup_printf ("%" G_GINT64_FORMAT, product_id);

          /* Deleted on Shopify: forget it, so the next push creates it. */
          cp_integrations_clear_mapping (push->ledger, push->self->integration_id,
                                         SHOPIFY_KIND_PRODUCT, local, NULL);
          cp_connector_set_error (&local_error, CP_CONNECTOR_ERROR_NOT_FOUND, 0,
                                  shopify_response_get_exchange (&response),
                                  _("“%s” was deleted on Shopify. Counterpart will create it "
                                    "again at the next product sync; exclude the product from "
                                    "this store if it should stay off."), title);
        }
      else
        cp_connector_set_error (&local_error, CP_CONNECTOR_ERROR_INVALID_DATA, 0,
                                shopify_response_get_exchange (&response),
                                _("Shopify refused “%s” (%s: %s). Check the product in "
                                  "Counterpart."), title, ue->code ? ue->code : "error",
                                ue->message ? ue->message : "");
      fail_jobs (push, jobs, local_error);
      return TRUE;
    }

  if (!cp_ledger_begin (push->ledger, error))
    return FALSE;
  if (!set_mapping_if_new (push, SHOPIFY_KIND_PRODUCT, product_id,
                           shopify_get_string (response.data, "productSet.product.id"), error))
    goto fail;
  /* The answer lists the variants in the order they were sent. */
  nodes = shopify_get_array (response.data, "productSet.product.variants.nodes");
  for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes) && i < variant_ids->len; i++)
    {
      JsonNode *node = json_array_get_element (nodes, i);
      JsonObject *v = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gint64 variant_id = g_array_index (variant_ids, gint64, i);

      if (!set_mapping_if_new (push, SHOPIFY_KIND_VARIANT, variant_id, shopify_get_string (v, "id"), error) ||
          !set_mapping_if_new (push, SHOPIFY_KIND_ITEM, variant_id,
                               shopify_get_string (v, "inventoryItem.id"), error))
        goto fail;
    }
  return cp_ledger_commit (push->ledger, error);

fail:
  cp_ledger_rollback (push->ledger);
  return FALSE;
}

gboolean
shopify_push_products (ShopifyPush  *push,
                       GError      **error)
{
  g_autoptr(GHashTable) by_product = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                            (GDestroyNotify) g_array_unref);
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint j = 0; j < push->jobs->len; j++)
    {
      gint64 variant_id = shopify_payload_int (g_ptr_array_index (push->jobs, j), "variant_id");
      g_autoptr(CpSqlCachedStmt) stmt = NULL;
      gint64 product_id = 0;
      GArray *jobs;

      stmt = cp_ledger_prepare_cached (push->ledger,
                                       "SELECT v.product_id FROM variants v WHERE v.id = ?1 "
                                       "AND NOT EXISTS (SELECT 1 FROM integration_mappings x "
                                       " WHERE x.integration_id = ?2 AND x.kind = 'product.excluded' "
                                       " AND x.local_id = CAST (v.product_id AS TEXT))", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, variant_id);
      cp_sql_bind_text (stmt, 2, push->self->integration_id);
      if (cp_sql_step (push->ledger, stmt, _("Could not read the catalog"), NULL) == SQLITE_ROW)
        product_id = sqlite3_column_int64 (stmt, 0);
      if (product_id <= 0)
        continue;   /* deleted since, or kept off this store */
      jobs = g_hash_table_lookup (by_product, &product_id);
      if (jobs == NULL)
        {
          jobs = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (by_product, g_memdup2 (&product_id, sizeof product_id), jobs);
          g_array_append_val (order, product_id);
        }
      g_array_append_val (jobs, j);
    }
  for (guint i = 0; i < order->len; i++)
    if (!push_product (push, g_array_index (order, gint64, i),
                       g_hash_table_lookup (by_product, &g_array_index (order, gint64, i)), error))
      return FALSE;
  return TRUE;
}

/* ---- Fulfillment ------------------------------------------------------------ */

static const char fulfillment_orders_query[] =
  "query CounterpartFulfillmentOrders($id: ID!) {"
  " order(id: $id) { id fulfillmentOrders(first: 5) { nodes { id status"
  "  lineItems(first: 50) { nodes { id remainingQuantity } } } } } }";
static const char fulfill_query_idempotent[] =
  "mutation CounterpartFulfill($fulfillment: FulfillmentInput!, $key: String!) {"
  " fulfillmentCreate(fulfillment: $fulfillment) @idempotent(key: $key) {"
  "  fulfillment { id status trackingInfo { number url company } }"
  "  userErrors { field message } } }";
static const char fulfill_query[] =
  "mutation CounterpartFulfill($fulfillment: FulfillmentInput!) {"
  " fulfillmentCreate(fulfillment: $fulfillment) {"
  "  fulfillment { id status trackingInfo { number url company } }"
  "  userErrors { field message } } }";

static gboolean
is_fulfilled_status (const char *status)
{
  static const char * const words[] = { "shipped", "fulfilled", "completed", "delivered", NULL };

  return status != NULL && g_strv_contains (words, status);
}

gboolean
shopify_push_order_status (ShopifyPush  *push,
                           guint         index,
                           GError      **error)
{
  CpOutboxJob *job = g_ptr_array_index (push->jobs, index);
  gint64 order_id = shopify_payload_int (job, "order_id");
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_auto(ShopifyResponse) fo = { 0 };
  g_auto(ShopifyResponse) response = { 0 };
  g_autoptr(JsonBuilder) vars = json_builder_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonParser) p1 = NULL, p2 = NULL, p3 = NULL;
  g_autoptr(GArray) one = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *source = NULL, *external_id = NULL, *status = NULL;
  const char *number, *company, *url;
  gboolean idempotent = shopify_supports_idempotency (push->self);
  JsonArray *nodes, *errors;
  GError *local_error = NULL;
  guint n_open = 0;
  int rc;

  g_array_append_val (one, index);
  stmt = cp_ledger_prepare_cached (push->ledger,
                                   "SELECT source, external_id, status FROM orders WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  rc = cp_sql_step (push->ledger, stmt, _("Could not read the order"), error);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return FALSE;
  source = cp_sql_dup_text (stmt, 0);
  external_id = cp_sql_dup_text (stmt, 1);
  status = cp_sql_dup_text (stmt, 2);
  g_clear_pointer (&stmt, sqlite3_reset);

  if (g_strcmp0 (source, push->self->integration_id) != 0)
    {
      cp_connector_set_error (&local_error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                              _("This order did not come from this Shopify store, so its status "
                                "is not sent there."));
      shopify_job_fail (push, index, local_error);
      return TRUE;
    }
  if (g_strcmp0 (status, "cancelled") == 0 || g_strcmp0 (status, "refunded") == 0)
    {
      cp_connector_set_error (&local_error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                              _("Counterpart does not cancel or refund Shopify orders: do it in "
                                "Shopify admin → Orders, where the customer is paid back."));
      shopify_job_fail (push, index, local_error);
      return TRUE;
    }
  if (!is_fulfilled_status (status))
    return TRUE;   /* nothing Shopify needs to hear */

  json_builder_begin_object (vars);
  json_builder_set_member_name (vars, "id");
  json_builder_add_string_value (vars, external_id);
  json_builder_end_object (vars);
  if (!shopify_graphql (push->self, "order", fulfillment_orders_query, json_builder_get_root (vars),
                        270, &fo, push->cancellable, error))
    return FALSE;
  if (shopify_get_object (fo.data, "order") == NULL)
    {
      cp_connector_set_error (&local_error, CP_CONNECTOR_ERROR_NOT_FOUND, 0,
                              shopify_response_get_exchange (&fo),
                              _("The order is no longer on Shopify, so it cannot be marked "
                                "shipped there."));
      shopify_job_fail (push, index, local_error);
      return TRUE;
    }

  number = shopify_payload_string (job, "tracking_number", &p1);
  company = shopify_payload_string (job, "tracking_company", &p2);
  url = shopify_payload_string (job, "tracking_url", &p3);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fulfillment");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "lineItemsByFulfillmentOrder");
  json_builder_begin_array (b);
  nodes = shopify_get_array (fo.data, "order.fulfillmentOrders.nodes");
  for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
    {
      JsonNode *node = json_array_get_element (nodes, i);
      JsonObject *f = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *fstatus = shopify_get_string (f, "status");

      if (f == NULL || shopify_get_string (f, "id") == NULL ||
          !(g_strcmp0 (fstatus, "OPEN") == 0 || g_strcmp0 (fstatus, "IN_PROGRESS") == 0))
        continue;
      /* No line list: every remaining item of that fulfillment order. */
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "fulfillmentOrderId");
      json_builder_add_string_value (b, shopify_get_string (f, "id"));
      json_builder_end_object (b);
      n_open++;
    }
  json_builder_end_array (b);
  if (number != NULL)
    {
      json_builder_set_member_name (b, "trackingInfo");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "number");
      json_builder_add_string_value (b, number);
      if (company != NULL)
        {
          json_builder_set_member_name (b, "company");
          json_builder_add_string_value (b, company);
        }
      if (url != NULL)
        {
          json_builder_set_member_name (b, "url");
          json_builder_add_string_value (b, url);
        }
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "notifyCustomer");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_end_object (b);
  if (idempotent)
    {
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, job->idempotency_key);
    }
  json_builder_end_object (b);
  if (n_open == 0)
    return TRUE;   /* fulfilled already (on Shopify, or by an earlier send) */

  if (!shopify_send_for_jobs (push, one, "fulfillmentCreate",
                              idempotent ? fulfill_query_idempotent : fulfill_query,
                              json_builder_get_root (b), 10 + n_open, &response, error))
    return FALSE;
  errors = shopify_get_array (response.data, "fulfillmentCreate.userErrors");
  if (errors != NULL && json_array_get_length (errors) > 0)
    {
      JsonNode *e = json_array_get_element (errors, 0);
      const char *message = JSON_NODE_HOLDS_OBJECT (e)
                            ? shopify_get_string (json_node_get_object (e), "message") : NULL;

      cp_connector_set_error (&local_error, CP_CONNECTOR_ERROR_INVALID_DATA, 0,
                              shopify_response_get_exchange (&response),
                              _("Shopify did not mark the order shipped (%s). Fulfill it in "
                                "Shopify admin → Orders."), message ? message : "error");
      shopify_job_fail (push, index, local_error);
    }
  return TRUE;
}
