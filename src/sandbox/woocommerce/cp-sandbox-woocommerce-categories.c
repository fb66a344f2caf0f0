/* cp-sandbox-woocommerce-categories.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The WooCommerce fake's product categories (the product_cat taxonomy):
 * GET and POST wc/v3/products/categories as WordPress answers them.
 * What a client must cope with is kept: names come back with & < >
 * as HTML entities (WordPress's pre_term_name filters); a name is unique
 * only among its siblings, compared without case; creating a twin is
 * 400 term_exists with the sibling's id in data.resource_id; a missing
 * parent is 400 missing_parent; slugs are unique in the whole taxonomy
 * (a second "Brakes" under another parent gets "brakes-2"); a product
 * given the id of no category silently keeps none.
 */

#define G_LOG_DOMAIN "cp-sandbox-woocommerce"

#include "config.h"

#include <string.h>

#include "cp-sandbox-woocommerce-private.h"

void
woo_category_free (WooCategory *category)
{
  g_free (category->name);
  g_free (category->slug);
  g_free (category);
}

WooCategory *
woo_store_find_category (WooStore *store,
                         guint     id)
{
  for (guint i = 0; i < store->categories->len; i++)
    {
      WooCategory *c = g_ptr_array_index (store->categories, i);

      if (c->id == id)
        return c;
    }
  return NULL;
}

/* _wp_specialchars() with ENT_NOQUOTES: &, < and > as entities, an
 * entity already there left alone. */
static char *
escape_name (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '&' && (g_str_has_prefix (p, "&amp;") || g_str_has_prefix (p, "&lt;") ||
                        g_str_has_prefix (p, "&gt;") || g_str_has_prefix (p, "&#")))
        g_string_append_c (out, '&');
      else if (*p == '&')
        g_string_append (out, "&amp;");
      else if (*p == '<')
        g_string_append (out, "&lt;");
      else if (*p == '>')
        g_string_append (out, "&gt;");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static char *
make_slug (WooStore   *store,
           const char *name)
{
  g_autofree char *lower = g_utf8_strdown (name, -1);
  g_autoptr(GString) base = g_string_new (NULL);
  char *slug;

  for (const char *p = lower; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || (guchar) *p >= 0x80)
        g_string_append_c (base, *p);
      else if (base->len > 0 && base->str[base->len - 1] != '-')
        g_string_append_c (base, '-');
    }
  while (base->len > 0 && base->str[base->len - 1] == '-')
    g_string_truncate (base, base->len - 1);
  if (base->len == 0)
    g_string_append (base, "category");

  slug = g_strdup (base->str);
  for (guint n = 2; ; n++)
    {
      gboolean taken = FALSE;

      for (guint i = 0; i < store->categories->len && !taken; i++)
        taken = g_str_equal (((WooCategory *) g_ptr_array_index (store->categories, i))->slug, slug);
      if (!taken)
        return slug;
      g_free (slug);
      slug = g_strdup_printf ("%s-%u", base->str, n);
    }
}

WooCategory *
woo_store_add_category (WooStore   *store,
                        const char *name,
                        guint       parent,
                        guint      *out_existing)
{
  g_autofree char *stored = escape_name (name);
  g_autofree char *folded = g_utf8_casefold (stored, -1);
  WooCategory *c;

  *out_existing = 0;
  if (parent != 0 && woo_store_find_category (store, parent) == NULL)
    return NULL;
  for (guint i = 0; i < store->categories->len; i++)
    {
      WooCategory *sibling = g_ptr_array_index (store->categories, i);
      g_autofree char *other = g_utf8_casefold (sibling->name, -1);

      if (sibling->parent == parent && g_str_equal (other, folded))
        {
          *out_existing = sibling->id;
          return NULL;
        }
    }

  c = g_new0 (WooCategory, 1);
  c->id = store->next_term_id++;
  c->parent = parent;
  c->name = g_steal_pointer (&stored);
  c->slug = make_slug (store, name);
  g_ptr_array_add (store->categories, c);
  return c;
}

static void
add_category (JsonBuilder *b,
              WooCategory *c)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, c->id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, c->name);
  json_builder_set_member_name (b, "slug");
  json_builder_add_string_value (b, c->slug);
  json_builder_set_member_name (b, "parent");
  json_builder_add_int_value (b, c->parent);
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, "");
  json_builder_set_member_name (b, "display");
  json_builder_add_string_value (b, "default");
  json_builder_set_member_name (b, "image");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "menu_order");
  json_builder_add_int_value (b, 0);
  json_builder_end_object (b);
}

JsonNode *
woo_categories_resolve (WooStore *store,
                        JsonNode *request)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonArray *array = json_node_get_array (request);

  json_builder_begin_array (b);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *obj = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      JsonNode *id = obj != NULL ? json_object_get_member (obj, "id") : NULL;
      WooCategory *c = NULL;

      if (id != NULL && JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_INT64 &&
          json_node_get_int (id) > 0 && json_node_get_int (id) <= G_MAXUINT)
        c = woo_store_find_category (store, (guint) json_node_get_int (id));
      if (c == NULL)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, c->id);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, c->name);
      json_builder_set_member_name (b, "slug");
      json_builder_add_string_value (b, c->slug);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  const WooCategory *ca = *(WooCategory * const *) a;
  const WooCategory *cb = *(WooCategory * const *) b;
  int c = g_ascii_strcasecmp (ca->name, cb->name);

  return c != 0 ? c : (ca->id < cb->id ? -1 : ca->id > cb->id);
}

/* GET products/categories: ordered by name (WooCommerce's default),
 * per_page at most 100, optionally only the children of parent. */
void
woo_categories_list (WooRequest *r)
{
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *parent_text = g_hash_table_lookup (r->query, "parent");
  guint64 parent = 0;
  guint per_page, page;

  if (!woo_read_paging (r, &per_page, &page))
    return;
  if (parent_text != NULL &&
      !g_ascii_string_to_unsigned (parent_text, 10, 0, G_MAXUINT, &parent, NULL))
    {
      woo_error (r, SOUP_STATUS_BAD_REQUEST, "rest_invalid_param", "Invalid parameter(s): parent");
      return;
    }

  for (guint i = 0; i < r->store->categories->len; i++)
    {
      WooCategory *c = g_ptr_array_index (r->store->categories, i);

      if (parent_text == NULL || c->parent == parent)
        g_ptr_array_add (matches, c);
    }
  g_ptr_array_sort (matches, compare_by_name);

  json_builder_begin_array (b);
  for (guint i = (page - 1) * per_page; i < matches->len && i < (guint64) page * per_page; i++)
    add_category (b, g_ptr_array_index (matches, i));
  json_builder_end_array (b);
  woo_set_paging_headers (r, matches->len, per_page, page);
  woo_respond (r, SOUP_STATUS_OK, b);
}

static void
term_error (WooRequest *r,
            const char *code,
            const char *message,
            guint       resource_id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "data");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, 400);
  if (resource_id != 0)
    {
      json_builder_set_member_name (b, "resource_id");
      json_builder_add_int_value (b, resource_id);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  woo_respond (r, SOUP_STATUS_BAD_REQUEST, b);
}

/* POST products/categories {"name", "parent"?}. */
void
woo_category_create (WooRequest *r)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonObject *body = woo_read_body (r, &parser);
  const char *name;
  JsonNode *parent_node;
  gint64 parent = 0;
  guint existing = 0;
  WooCategory *c;

  if (body == NULL)
    return;
  name = woo_member_string (body, "name");
  if (name == NULL)
    {
      woo_error (r, SOUP_STATUS_BAD_REQUEST, "rest_missing_callback_param",
                 "Missing parameter(s): name");
      return;
    }
  if (*name == '\0')
    {
      term_error (r, "empty_term_name", "A name is required for this term.", 0);
      return;
    }
  parent_node = json_object_get_member (body, "parent");
  if (parent_node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (parent_node) ||
          json_node_get_value_type (parent_node) != G_TYPE_INT64 ||
          json_node_get_int (parent_node) < 0 || json_node_get_int (parent_node) > G_MAXUINT)
        {
          woo_error (r, SOUP_STATUS_BAD_REQUEST, "rest_invalid_param",
                     "Invalid parameter(s): parent");
          return;
        }
      parent = json_node_get_int (parent_node);
    }

  c = woo_store_add_category (r->store, name, (guint) parent, &existing);
  if (c == NULL && existing != 0)
    {
      term_error (r, "term_exists", "A term with the name provided already exists with this parent.",
                  existing);
      return;
    }
  if (c == NULL)
    {
      term_error (r, "missing_parent", "Parent term does not exist.", 0);
      return;
    }

  {
    g_autofree char *effect = g_strdup_printf ("category.create:%s", c->name);

    cp_sandbox_server_record_effect (r->server, effect);
  }
  add_category (b, c);
  woo_respond (r, SOUP_STATUS_CREATED, b);
}

/* ---- For tests --------------------------------------------------------- */

guint
cp_sandbox_woocommerce_add_category (CpSandboxWoocommerce *self,
                                     const char           *name,
                                     guint                 parent)
{
  WooCategory *c;
  guint existing, id;

  g_return_val_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self), 0);

  g_mutex_lock (&self->mutex);
  c = woo_store_add_category (self->store, name, parent, &existing);
  id = c != NULL ? c->id : 0;
  g_mutex_unlock (&self->mutex);
  return id;
}

guint
cp_sandbox_woocommerce_get_n_categories (CpSandboxWoocommerce *self)
{
  guint n;

  g_return_val_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->store->categories->len;
  g_mutex_unlock (&self->mutex);
  return n;
}

char *
cp_sandbox_woocommerce_dup_category (CpSandboxWoocommerce *self,
                                     guint                 id,
                                     guint                *out_parent)
{
  WooCategory *c;
  char *name = NULL;

  g_return_val_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self), NULL);

  g_mutex_lock (&self->mutex);
  c = woo_store_find_category (self->store, id);
  if (c != NULL)
    {
      name = g_strdup (c->name);
      if (out_parent != NULL)
        *out_parent = c->parent;
    }
  g_mutex_unlock (&self->mutex);
  return name;
}

char *
cp_sandbox_woocommerce_dup_product_categories (CpSandboxWoocommerce *self,
                                               const char           *sku)
{
  WooProduct *p;
  GString *ids = NULL;

  g_return_val_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self), NULL);

  g_mutex_lock (&self->mutex);
  p = woo_store_find_sku (self->store, sku);
  /* A variation is filed with its variable product. */
  if (p != NULL && p->parent_id != 0)
    p = woo_store_find (self->store, p->parent_id);
  if (p != NULL)
    {
      JsonArray *array = p->categories != NULL ? json_node_get_array (p->categories) : NULL;

      ids = g_string_new (NULL);
      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                                json_object_get_int_member (json_array_get_object_element (array, i),
                                                            "id"));
    }
  g_mutex_unlock (&self->mutex);
  return ids != NULL ? g_string_free (ids, FALSE) : NULL;
}

gboolean
cp_sandbox_woocommerce_delete_category (CpSandboxWoocommerce *self,
                                        guint                 id)
{
  WooCategory *c;
  guint parent;

  g_return_val_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self), FALSE);

  g_mutex_lock (&self->mutex);
  c = woo_store_find_category (self->store, id);
  if (c == NULL)
    {
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }
  parent = c->parent;
  /* wp_delete_term(): the children move up to the deleted one's parent,
   * and products simply lose it. */
  for (guint i = 0; i < self->store->categories->len; i++)
    {
      WooCategory *child = g_ptr_array_index (self->store->categories, i);

      if (child->parent == id)
        child->parent = parent;
    }
  for (guint i = 0; i < self->store->products->len; i++)
    {
      WooProduct *p = g_ptr_array_index (self->store->products, i);
      JsonArray *array = p->categories != NULL ? json_node_get_array (p->categories) : NULL;

      for (guint k = array != NULL ? json_array_get_length (array) : 0; k > 0; k--)
        if (json_object_get_int_member (json_array_get_object_element (array, k - 1), "id") == id)
          json_array_remove_element (array, k - 1);
    }
  g_ptr_array_remove (self->store->categories, c);
  g_mutex_unlock (&self->mutex);
  return TRUE;
}
