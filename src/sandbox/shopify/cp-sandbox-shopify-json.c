/* cp-sandbox-shopify-json.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small JSON helpers the Shopify fake's GraphQL files share: reading
 * arguments from "variables" and writing gids, times and userErrors the
 * way the Admin API spells them.
 */

#define G_LOG_DOMAIN "cp-sandbox-shopify"

#include "config.h"

#include "cp-sandbox-shopify-private.h"

JsonObject *
shopify_var_object (ShopifyOp  *op,
                    const char *name)
{
  JsonNode *node = json_object_get_member (op->variables, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
shopify_member_array (JsonObject *obj,
                      const char *name)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char *
shopify_member_string (JsonObject *obj,
                       const char *name)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

gboolean
shopify_member_int (JsonObject *obj,
                    const char *name,
                    gint64     *out)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

void
shopify_add_str (JsonBuilder *b,
                 const char  *name,
                 const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
shopify_add_gid (JsonBuilder *b,
                 const char  *name,
                 const char  *type,
                 gint64       id)
{
  g_autofree char *gid = shopify_gid (type, id);

  shopify_add_str (b, name, gid);
}

void
shopify_add_id_object (JsonBuilder *b,
                       const char  *name,
                       const char  *type,
                       gint64       id)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  shopify_add_gid (b, "id", type, id);
  json_builder_end_object (b);
}

void
shopify_add_time (JsonBuilder *b,
                  const char  *name,
                  gint64       us)
{
  g_autofree char *t = us > 0 ? shopify_fake_format_time (us) : NULL;

  shopify_add_str (b, name, t);
}

void
shopify_begin_user_errors (JsonBuilder *b)
{
  json_builder_set_member_name (b, "userErrors");
  json_builder_begin_array (b);
}

void
shopify_add_user_error (JsonBuilder *b,
                        const char  *code,
                        const char  *message,
                        const char  *field0,
                        int          index,
                        const char  *field2)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "field");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "input");
  if (field0 != NULL)
    json_builder_add_string_value (b, field0);
  if (index >= 0)
    {
      g_autofree char *i = g_strdup_printf ("%d", index);

      json_builder_add_string_value (b, i);
    }
  if (field2 != NULL)
    json_builder_add_string_value (b, field2);
  json_builder_end_array (b);
  shopify_add_str (b, "message", message);
  shopify_add_str (b, "code", code);
  json_builder_end_object (b);
}
