/* cp-woocommerce-push-products.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Products and order statuses sent to WooCommerce: names, prices (when
 * the POS is their master), the product's category and seed 003's
 * module fields as meta_data, through the same batch endpoints as stock;
 * a product the store lacks looked for by SKU and created once; an
 * order's status with PUT orders/{id}.
 *
 * Categories: the ledger's path is matched level by level against the
 * store's product categories by name under the same parent, the missing
 * ones created parent first, and each remembered as a "category"
 * mapping. The store's list is read once per push that files a product
 * (100 a page: one request for most shops), because WooCommerce drops a
 * category id it no longer has without a word: a mapping whose category
 * the owner deleted, or moved under another parent, is matched again
 * instead of filing the product nowhere. A product without a category
 * in the ledger is sent without "categories": what the store owner
 * filed it under there stays.
 */

#define G_LOG_DOMAIN "cp-woocommerce"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-categories.h"
#include "cp-integrations.h"
#include "cp-money.h"
#include "cp-sql.h"
#include "cp-stock-publish.h"

#include "cp-woocommerce-private.h"

#define KIND_VARIANT "variant"
#define KIND_CATEGORY "category"
#define CATEGORY_PAGE 100

/* ---- Categories -------------------------------------------------------- */

typedef struct
{
  gint64  id;
  gint64  parent;
  char   *name;   /* decoded */
} RemoteCategory;

typedef struct
{
  GPtrArray  *remote;    /* RemoteCategory*, NULL until read */
  GHashTable *resolved;  /* local category id (gint64*) → remote id (gint64*) */
} WooCategories;

static void
remote_category_free (RemoteCategory *c)
{
  g_free (c->name);
  g_free (c);
}

static void
woo_categories_clear (WooCategories *cats)
{
  g_clear_pointer (&cats->remote, g_ptr_array_unref);
  g_clear_pointer (&cats->resolved, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WooCategories, woo_categories_clear)

/* WordPress keeps a term name with &, <, > (and quotes, from some
 * plugins) as HTML entities: undone before comparing with the ledger. */
static char *
decode_entities (const char *text)
{
  static const struct { const char *entity; char c; } entities[] = {
    { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' },
    { "&#039;", '\'' }, { "&#39;", '\'' },
  };
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; )
    {
      gboolean done = FALSE;

      for (guint i = 0; *p == '&' && !done && i < G_N_ELEMENTS (entities); i++)
        if (g_str_has_prefix (p, entities[i].entity))
          {
            g_string_append_c (out, entities[i].c);
            p += strlen (entities[i].entity);
            done = TRUE;
          }
      if (!done)
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* A failed category request: a refusal fails the job (TRUE), anything
 * else (transport, credentials, rate limit) is the whole push's. */
static gboolean
category_failed (WooPush  *push,
                 guint     job,
                 GError   *local_error,
                 GError  **error)
{
  if (woo_is_record_error (local_error))
    {
      woo_job_fail (push, job, local_error);
      return TRUE;
    }
  g_propagate_error (error, local_error);
  return FALSE;
}

static gboolean
load_remote_categories (WooPush        *push,
                        WooCategories  *cats,
                        guint           job,
                        gboolean       *out_failed,
                        GError        **error)
{
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (WooItem));
  WooItem item = { job, 0, NULL, NULL };

  *out_failed = FALSE;
  if (cats->remote != NULL)
    return TRUE;
  g_array_append_val (items, item);
  cats->remote = g_ptr_array_new_with_free_func ((GDestroyNotify) remote_category_free);
  for (guint page = 1; ; page++)
    {
      g_autofree char *path = g_strdup_printf ("/products/categories?per_page=%u&page=%u",
                                               CATEGORY_PAGE, page);
      g_auto(WooResponse) response = { 0 };
      GError *local_error = NULL;
      JsonArray *array;
      guint pages;

      if (!woo_send_for_items (push, items, "GET", path, NULL, &response, &local_error))
        {
          g_clear_pointer (&cats->remote, g_ptr_array_unref);
          *out_failed = TRUE;
          g_prefix_error (&local_error, _("The store’s product categories could not be read: "));
          return category_failed (push, job, local_error, error);
        }
      if (response.root == NULL || !JSON_NODE_HOLDS_ARRAY (response.root))
        {
          g_clear_pointer (&cats->remote, g_ptr_array_unref);
          cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0,
                                  woo_response_get_exchange (&response),
                                  _("WooCommerce answered the list of product categories with "
                                    "something else."));
          return FALSE;
        }
      array = json_node_get_array (response.root);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *obj = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *name = obj != NULL ? json_object_get_string_member_with_default (obj, "name", NULL)
                                         : NULL;
          RemoteCategory *c;

          if (name == NULL || json_object_get_int_member_with_default (obj, "id", 0) <= 0)
            continue;
          c = g_new0 (RemoteCategory, 1);
          c->id = json_object_get_int_member (obj, "id");
          c->parent = json_object_get_int_member_with_default (obj, "parent", 0);
          c->name = decode_entities (name);
          g_ptr_array_add (cats->remote, c);
        }
      pages = woo_response_total_pages (&response);
      /* X-WP-TotalPages when the site sends it; a short page otherwise. */
      if (json_array_get_length (array) < CATEGORY_PAGE || (pages > 0 && page >= pages))
        return TRUE;
    }
}

/* Whether the store still has category ID under PARENT. */
static gboolean
remote_category_is (WooCategories *cats,
                    gint64         id,
                    gint64         parent)
{
  for (guint i = 0; i < cats->remote->len; i++)
    {
      RemoteCategory *c = g_ptr_array_index (cats->remote, i);

      if (c->id == id)
        return c->parent == parent;
    }
  return FALSE;
}

static gint64
find_remote_category (WooCategories *cats,
                      gint64         parent,
                      const char    *name)
{
  for (guint i = 0; i < cats->remote->len; i++)
    {
      RemoteCategory *c = g_ptr_array_index (cats->remote, i);

      /* ASCII case only, as the ledger's NOCASE compares. */
      if (c->parent == parent && g_ascii_strcasecmp (c->name, name) == 0)
        return c->id;
    }
  return 0;
}

/* The resource_id of a 400 term_exists: WordPress's answer when the
 * category was made meanwhile (by a person, or by a create whose answer
 * was lost). 0 for any other refusal. */
static gint64
term_exists_id (WooResponse *response)
{
  g_autoptr(JsonNode) root = NULL;
  const char *code = NULL, *message = NULL;
  JsonObject *obj, *data;
  JsonNode *node;
  gsize size = 0;
  const char *body;

  if (response->status != 400 || response->body == NULL)
    return 0;
  body = g_bytes_get_data (response->body, &size);
  root = woo_parse_json (body, size, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  woo_parse_error_body (root, &code, &message);
  obj = json_node_get_object (root);
  node = json_object_get_member (obj, "data");
  if (g_strcmp0 (code, "term_exists") != 0 || node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return 0;
  data = json_node_get_object (node);
  return json_object_get_int_member_with_default (data, "resource_id", 0);
}

static gboolean
create_remote_category (WooPush        *push,
                        WooCategories  *cats,
                        guint           job,
                        gint64          parent,
                        const char     *name,
                        gint64         *out_id,
                        GError        **error)
{
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (WooItem));
  g_autoptr(GString) body = g_string_new ("{\"name\":");
  g_auto(WooResponse) response = { 0 };
  GError *local_error = NULL;
  WooItem item = { job, 0, NULL, NULL };
  RemoteCategory *c;

  *out_id = 0;
  g_array_append_val (items, item);
  woo_json_append_string (body, name);
  g_string_append_printf (body, ",\"parent\":%" G_GINT64_FORMAT "}", parent);
  if (woo_send_for_items (push, items, "POST", "/products/categories", body->str, &response,
                          &local_error))
    {
      JsonObject *obj = response.root != NULL && JSON_NODE_HOLDS_OBJECT (response.root)
                          ? json_node_get_object (response.root) : NULL;

      *out_id = obj != NULL ? json_object_get_int_member_with_default (obj, "id", 0) : 0;
      if (*out_id <= 0)
        {
          cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0,
                                  woo_response_get_exchange (&response),
                                  _("WooCommerce answered a new product category without its "
                                    "id."));
          return FALSE;
        }
    }
  else if ((*out_id = term_exists_id (&response)) > 0)
    g_clear_error (&local_error);
  else
    {
      /* Say which category, so the owner can look at it in WooCommerce. */
      g_prefix_error (&local_error, _("The product category “%s” could not be added in "
                                      "WooCommerce (Products → Categories): "), name);
      return category_failed (push, job, local_error, error);
    }

  c = g_new0 (RemoteCategory, 1);
  c->id = *out_id;
  c->parent = parent;
  c->name = g_strdup (name);
  g_ptr_array_add (cats->remote, c);
  return TRUE;
}

/* The store's id of local category LOCAL_ID, its parents found or made
 * first. *OUT_REMOTE stays 0 when job JOB failed on the way. */
static gboolean
resolve_category (WooPush        *push,
                  WooCategories  *cats,
                  guint           job,
                  gint64          local_id,
                  gint64         *out_remote,
                  GError        **error)
{
  g_autoptr(GPtrArray) chain = NULL;
  gint64 *cached;
  gint64 parent = 0;

  *out_remote = 0;
  if (cats->resolved == NULL)
    cats->resolved = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  cached = g_hash_table_lookup (cats->resolved, &local_id);
  if (cached != NULL)
    {
      *out_remote = *cached;
      return TRUE;
    }

  chain = cp_categories_get_chain (push->ledger, local_id, error);
  if (chain == NULL)
    return FALSE;
  {
    gboolean failed = FALSE;

    if (!load_remote_categories (push, cats, job, &failed, error))
      return FALSE;
    if (failed)
      return TRUE;
  }
  for (guint i = 0; i < chain->len; i++)
    {
      CpCategory *c = g_ptr_array_index (chain, i);
      g_autofree char *local = g_strdup_printf ("%" G_GINT64_FORMAT, c->id);
      g_autofree char *mapped = NULL;
      g_autofree char *remote_text = NULL;
      GError *local_error = NULL;
      gint64 remote = 0;

      mapped = cp_integrations_get_remote_id (push->ledger, push->self->integration_id,
                                              KIND_CATEGORY, local, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (mapped != NULL && g_ascii_string_to_signed (mapped, 10, 1, G_MAXINT64, &remote, NULL) &&
          remote_category_is (cats, remote, parent))
        {
          parent = remote;
          continue;
        }

      remote = find_remote_category (cats, parent, c->name);
      if (remote == 0 && !create_remote_category (push, cats, job, parent, c->name, &remote, error))
        return FALSE;
      if (remote == 0)
        return TRUE;
      remote_text = g_strdup_printf ("%" G_GINT64_FORMAT, remote);
      if (!cp_integrations_set_mapping (push->ledger, push->self->integration_id, KIND_CATEGORY,
                                        local, remote_text, NULL, error))
        return FALSE;
      parent = remote;
    }

  g_hash_table_insert (cats->resolved, g_memdup2 (&local_id, sizeof local_id),
                       g_memdup2 (&parent, sizeof parent));
  *out_remote = parent;
  return TRUE;
}

/* ---- Products ---------------------------------------------------------- */

typedef struct
{
  char   *sku;
  char   *name;
  char   *price;       /* "19.99", written from minor units */
  char   *module;
  char   *attributes;  /* JSON object text */
  gint64  product_id;
} LocalProduct;

static void
local_product_clear (LocalProduct *p)
{
  g_free (p->sku);
  g_free (p->name);
  g_free (p->price);
  g_free (p->module);
  g_free (p->attributes);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LocalProduct, local_product_clear)

static gboolean
read_product (WooPush       *push,
              gint64         variant_id,
              LocalProduct  *out,
              GError       **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(GString) name = NULL;
  guint n_options = 0;
  int rc;

  stmt = cp_ledger_prepare_cached (push->ledger,
                                   "SELECT v.sku, p.name, v.option1, v.option2, v.option3, "
                                   "v.price_minor, v.currency, p.module, v.attributes, p.id "
                                   "FROM variants v JOIN products p ON p.id = v.product_id "
                                   "WHERE v.id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, variant_id);
  rc = cp_sql_step (push->ledger, stmt, _("Could not read the catalog"), error);
  if (rc == SQLITE_DONE)
    return TRUE;   /* deleted since: out->sku stays NULL */
  if (rc != SQLITE_ROW)
    return FALSE;
  out->sku = cp_sql_dup_text (stmt, 0);
  name = g_string_new ((const char *) sqlite3_column_text (stmt, 1));
  for (int c = 2; c <= 4; c++)
    {
      const char *option = (const char *) sqlite3_column_text (stmt, c);

      if (option == NULL || *option == '\0')
        continue;
      g_string_append (name, n_options++ == 0 ? " (" : " / ");
      g_string_append (name, option);
    }
  if (n_options > 0)
    g_string_append_c (name, ')');
  out->name = g_string_free (g_steal_pointer (&name), FALSE);
  out->price = cp_money_format_plain (sqlite3_column_int64 (stmt, 5),
                                      (const char *) sqlite3_column_text (stmt, 6));
  out->module = cp_sql_dup_text (stmt, 7);
  out->attributes = cp_sql_dup_text (stmt, 8);
  out->product_id = sqlite3_column_int64 (stmt, 9);
  return TRUE;
}

/* Seed 003's module fields ride as meta_data, one entry per field plus
 * the module's name, so a theme or plugin can show them. */
static void
append_meta (GString            *out,
             const LocalProduct *p)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *obj = NULL;

  g_string_append (out, ",\"meta_data\":[{\"key\":\"counterpart_module\",\"value\":");
  woo_json_append_string (out, p->module != NULL ? p->module : "general");
  g_string_append_c (out, '}');
  if (p->attributes != NULL && json_parser_load_from_data (parser, p->attributes, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    obj = json_node_get_object (json_parser_get_root (parser));
  if (obj != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (obj);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *value = json_to_string (json_object_get_member (obj, l->data), FALSE);
          g_autofree char *key = g_strconcat ("counterpart_", (const char *) l->data, NULL);

          g_string_append (out, ",{\"key\":");
          woo_json_append_string (out, key);
          g_string_append (out, ",\"value\":");
          g_string_append (out, value);
          g_string_append_c (out, '}');
        }
    }
  g_string_append_c (out, ']');
}

static char *
product_json (gint64              remote_id,
              const LocalProduct *p,
              gboolean            variation,
              gboolean            price,
              gint64              category)
{
  GString *out = g_string_new ("{");

  if (remote_id > 0)
    g_string_append_printf (out, "\"id\":%" G_GINT64_FORMAT ",", remote_id);
  else
    g_string_append (out, "\"type\":\"simple\",\"manage_stock\":true,");
  g_string_append (out, "\"sku\":");
  woo_json_append_string (out, p->sku);
  /* A variation's name is its parent's and its attributes'. */
  if (!variation)
    {
      g_string_append (out, ",\"name\":");
      woo_json_append_string (out, p->name);
    }
  if (price)
    {
      g_string_append (out, ",\"regular_price\":");
      woo_json_append_string (out, p->price);
    }
  /* A variation is filed with its parent product. */
  if (category > 0 && !variation)
    g_string_append_printf (out, ",\"categories\":[{\"id\":%" G_GINT64_FORMAT "}]", category);
  append_meta (out, p);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* A product the store lacks: looked for by SKU first (a create whose
 * answer was lost left it there), created otherwise, then mapped. */
static gboolean
create_product (WooPush       *push,
                guint          job,
                LocalProduct  *p,
                gint64         variant_id,
                gboolean       price,
                gint64         category,
                GError       **error)
{
  g_autofree char *escaped = g_uri_escape_string (p->sku, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/products?sku=%s", escaped);
  g_autofree char *local = g_strdup_printf ("%" G_GINT64_FORMAT, variant_id);
  g_autofree char *remote = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) woo_product_free);
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (WooItem));
  g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func ((GDestroyNotify) woo_item_result_free);
  g_auto(WooResponse) lookup = { 0 };
  g_auto(WooResponse) response = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *body = NULL;
  WooItem item = { job, 0, NULL, NULL };

  g_array_append_val (items, item);
  if (!woo_send_for_items (push, items, "GET", path, NULL, &lookup, error))
    return FALSE;
  if (!woo_parse_products (lookup.root, found, error))
    {
      woo_attach_exchange (error, &lookup);
      return FALSE;
    }
  if (found->len > 0)
    {
      WooProduct *w = g_ptr_array_index (found, 0);

      remote = g_strdup_printf ("%" G_GINT64_FORMAT, w->id);
    }
  else
    {
      g_autofree char *json = product_json (0, p, FALSE, TRUE, category);

      body = g_strdup_printf ("{\"create\":[%s]}", json);
      if (!woo_send_for_items (push, items, "POST", "/products/batch", body, &response, &local_error))
        {
          if (woo_is_record_error (local_error))
            {
              woo_job_fail (push, job, g_steal_pointer (&local_error));
              return TRUE;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!woo_parse_batch_results (response.root, "create", created, error) || created->len != 1)
        {
          if (error != NULL && *error == NULL)
            cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0, NULL,
                                    _("WooCommerce answered a product creation without the product."));
          woo_attach_exchange (error, &response);
          return FALSE;
        }
      if (!((WooItemResult *) g_ptr_array_index (created, 0))->ok)
        {
          woo_job_fail (push, job, woo_item_error (g_ptr_array_index (created, 0), FALSE, p->sku,
                                           woo_response_get_exchange (&response)));
          return TRUE;
        }
      remote = g_strdup_printf ("%" G_GINT64_FORMAT, ((WooItemResult *) g_ptr_array_index (created, 0))->id);
    }
  return cp_integrations_set_mapping (push->ledger, push->self->integration_id, KIND_VARIANT,
                                      local, remote, NULL, error);
}

gboolean
woo_push_products (WooPush  *push,
                   GError  **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) mapped = NULL;
  g_auto(WooGrouped) grouped = { 0 };
  g_auto(WooCategories) cats = { 0 };
  g_autoptr(GHashTable) filed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gboolean price = TRUE;

  woo_grouped_init (&grouped);
  if (!woo_ensure_mapped (push, error) ||
      !cp_stock_publish_pos_is_master (push->ledger, push->self->integration_id,
                                       CP_MASTER_FIELD_PRICE, &price, error))
    return FALSE;
  for (guint j = 0; j < push->jobs->len; j++)
    {
      gint64 id = woo_payload_int (g_ptr_array_index (push->jobs, j), "variant_id");

      g_array_append_val (ids, id);
    }
  mapped = woo_map_variants (push, (const gint64 *) ids->data, ids->len, error);
  if (mapped == NULL)
    return FALSE;

  for (guint j = 0; j < ids->len; j++)
    {
      gint64 id = g_array_index (ids, gint64, j);
      g_auto(LocalProduct) p = { 0 };
      const char *remote = g_hash_table_lookup (mapped, &id);
      gint64 parent = 0, remote_id = 0;
      gint64 category_id = 0, category = 0;
      gboolean excluded = FALSE;
      WooItem item = { j, 0, NULL, NULL };

      if (id <= 0)
        {
          GError *local_error = NULL;

          cp_connector_set_error (&local_error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                                  _("This product change names no product variant."));
          woo_job_fail (push, j, local_error);
          continue;
        }
      if (!read_product (push, id, &p, error))
        return FALSE;
      /* Opted out of this store: nothing of it is sent there. */
      if (p.sku != NULL &&
          !cp_stock_publish_is_excluded (push->ledger, push->self->integration_id, p.product_id,
                                         &excluded, error))
        return FALSE;
      if (p.sku == NULL || excluded)
        continue;
      if (remote != NULL && !woo_split_remote_id (remote, &parent, &remote_id))
        remote = NULL;
      if (!cp_categories_get_for_variant (push->ledger, id, NULL, &category_id, error))
        return FALSE;
      if (category_id != 0)
        {
          if (!resolve_category (push, &cats, j, category_id, &category, error))
            return FALSE;
          if (category == 0)
            continue;   /* the store refused the category: the job says why */
        }
      if (remote == NULL)
        {
          if (!create_product (push, j, &p, id, price, category, error))
            return FALSE;
          continue;
        }
      /* A variation is filed through its variable product, once a push. */
      if (parent > 0 && category > 0 && !g_hash_table_contains (filed, &parent))
        {
          WooItem filing = { j, parent, g_strdup (p.sku), NULL };

          filing.json = g_strdup_printf ("{\"id\":%" G_GINT64_FORMAT ",\"categories\":[{\"id\":%"
                                         G_GINT64_FORMAT "}]}", parent, category);
          woo_grouped_add (&grouped, 0, &filing);
          g_hash_table_add (filed, g_memdup2 (&parent, sizeof parent));
        }
      item.remote_id = remote_id;
      item.sku = g_strdup (p.sku);
      item.json = product_json (remote_id, &p, parent > 0, price, category);
      woo_grouped_add (&grouped, parent, &item);
    }
  return woo_send_grouped (push, &grouped, FALSE, error);
}

/* ---- Order status ------------------------------------------------------ */

gboolean
woo_push_order_status (WooPush  *push,
                       guint     index,
                       GError  **error)
{
  CpOutboxJob *job = g_ptr_array_index (push->jobs, index);
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (WooItem));
  g_auto(WooResponse) response = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *source = NULL, *external_id = NULL, *status = NULL;
  g_autofree char *path = NULL, *body = NULL;
  WooItem item = { index, 0, NULL, NULL };
  const char *remote;
  gint64 order_number;
  int rc;

  stmt = cp_ledger_prepare_cached (push->ledger,
                                   "SELECT source, external_id, status FROM orders WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, woo_payload_int (job, "order_id"));
  rc = cp_sql_step (push->ledger, stmt, _("Could not read the order"), error);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return FALSE;
  source = cp_sql_dup_text (stmt, 0);
  external_id = cp_sql_dup_text (stmt, 1);
  status = cp_sql_dup_text (stmt, 2);   /* now, not the payload's: the latest wins */
  g_clear_pointer (&stmt, sqlite3_reset);

  if (g_strcmp0 (source, push->self->integration_id) != 0 || external_id == NULL ||
      !g_ascii_string_to_signed (external_id, 10, 1, G_MAXINT64, &order_number, NULL))
    {
      cp_connector_set_error (&local_error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                              _("This order did not come from this WooCommerce store, so its "
                                "status is not sent there."));
      woo_job_fail (push, index, g_steal_pointer (&local_error));
      return TRUE;
    }
  remote = woo_status_to_remote (status);
  if (remote == NULL)
    {
      cp_connector_set_error (&local_error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                              _("WooCommerce has no order status for “%s”. Change the order in "
                                "WooCommerce itself."), status);
      woo_job_fail (push, index, g_steal_pointer (&local_error));
      return TRUE;
    }

  path = g_strdup_printf ("/orders/%" G_GINT64_FORMAT, order_number);
  body = g_strdup_printf ("{\"status\":\"%s\"}", remote);
  g_array_append_val (items, item);
  if (woo_send_for_items (push, items, "PUT", path, body, &response, &local_error))
    return TRUE;
  if (woo_is_record_error (local_error))
    {
      woo_job_fail (push, index, g_steal_pointer (&local_error));
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
