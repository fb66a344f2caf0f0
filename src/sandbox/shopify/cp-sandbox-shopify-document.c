/* cp-sandbox-shopify-document.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading a GraphQL document the way the Shopify fake needs: not a
 * parser of the language, only what the fake answers by (the one root
 * field, an @idempotent key, an argument of a nested field). Arguments
 * come from "variables" or from literals.
 */

#define G_LOG_DOMAIN "cp-sandbox-shopify"

#include "config.h"

#include <string.h>

#include "cp-sandbox-shopify-private.h"

/* ---- The document ------------------------------------------------------ */

static const char *
skip_space (const char *p)
{
  for (;;)
    {
      while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ',')
        p++;
      if (*p != '#')
        return p;
      while (*p != '\0' && *p != '\n')
        p++;
    }
}

static const char *
read_name (const char *p,
           char      **out)
{
  const char *start = p;

  while (g_ascii_isalnum (*p) || *p == '_')
    p++;
  *out = p > start ? g_strndup (start, p - start) : NULL;
  return p;
}

/* Skips a balanced (…) or {…} starting at P, strings included. */
static const char *
skip_balanced (const char *p)
{
  char open = *p, close = open == '(' ? ')' : '}';
  int depth = 0;

  for (; *p != '\0'; p++)
    {
      if (*p == '"')
        {
          for (p++; *p != '\0' && *p != '"'; p++)
            if (*p == '\\' && p[1] != '\0')
              p++;
          if (*p == '\0')
            return NULL;
          continue;
        }
      if (*p == open)
        depth++;
      else if (*p == close && --depth == 0)
        return p + 1;
    }
  return NULL;
}

static const char * const query_fields[] = {
  "shop", "currentAppInstallation", "locations", "productVariants", "nodes", "orders", "order", NULL
};
static const char * const mutation_fields[] = {
  "inventorySetQuantities", "productSet", "fulfillmentCreate", NULL
};

static char *
read_idempotency_key (ShopifyOp  *op,
                      const char *p)
{
  const char *at = strstr (p, "@idempotent");
  g_autofree char *var = NULL;
  JsonNode *node;

  if (at == NULL)
    return NULL;
  at = skip_space (at + strlen ("@idempotent"));
  if (*at != '(')
    return NULL;
  at = skip_space (at + 1);
  if (!g_str_has_prefix (at, "key"))
    return NULL;
  at = skip_space (at + 3);
  if (*at != ':')
    return NULL;
  at = skip_space (at + 1);
  if (*at == '"')
    {
      const char *end = strchr (at + 1, '"');

      return end != NULL ? g_strndup (at + 1, end - at - 1) : NULL;
    }
  if (*at != '$')
    return NULL;
  read_name (at + 1, &var);
  node = var != NULL ? json_object_get_member (op->variables, var) : NULL;
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

gboolean
shopify_op_parse (ShopifyOp  *op,
                  char      **out_message)
{
  const char *p = skip_space (op->query);
  g_autofree char *word = NULL;
  g_autofree char *field = NULL;
  const char * const *known;

  if (g_str_has_prefix (p, "mutation") || g_str_has_prefix (p, "query"))
    {
      op->mutation = g_str_has_prefix (p, "mutation");
      p = skip_space (p + (op->mutation ? 8 : 5));
      p = skip_space (read_name (p, &word));
      if (*p == '(')
        p = skip_balanced (p);
      if (p != NULL)
        p = skip_space (p);
    }
  if (p == NULL || *p != '{')
    {
      *out_message = g_strdup ("syntax error, unexpected end of file or token");
      return FALSE;
    }
  p = skip_space (read_name (skip_space (p + 1), &field));
  if (field != NULL && *p == ':')
    {
      /* An alias: the field follows. */
      g_clear_pointer (&field, g_free);
      p = skip_space (read_name (skip_space (p + 1), &field));
    }
  known = op->mutation ? mutation_fields : query_fields;
  if (field == NULL || !g_strv_contains (known, field))
    {
      *out_message = g_strdup_printf ("Field '%s' doesn't exist on type '%s'",
                                      field ? field : "", op->mutation ? "Mutation" : "QueryRoot");
      return FALSE;
    }
  op->field = g_intern_string (field);
  if (*p == '(')
    p = p != NULL ? skip_balanced (p) : NULL;
  if (p != NULL)
    p = skip_space (p);
  if (p != NULL && *p == '@')
    {
      /* Directives sit between the arguments and the selection. */
      const char *q = p;

      while (*q == '@')
        {
          g_autofree char *d = NULL;

          q = skip_space (read_name (q + 1, &d));
          if (*q == '(')
            q = skip_balanced (q);
          if (q == NULL)
            break;
          q = skip_space (q);
        }
      op->idempotency_key = read_idempotency_key (op, p);
      p = q;
    }
  if (p != NULL && *p == '{')
    p = skip_balanced (p);
  if (p == NULL || *skip_space (p) != '}')
    {
      *out_message = g_strdup ("Counterpart's Shopify sandbox serves one root field per "
                               "operation; this document has more or is malformed");
      return FALSE;
    }
  return TRUE;
}

/* The value of argument ARG of FIELD(…) in the document: a $variable's
 * value from "variables", or a "literal". NULL when the document has no
 * FIELD with that argument. */
char *
shopify_op_argument (ShopifyOp  *op,
                     const char *field,
                     const char *arg)
{
  gsize len = strlen (field);

  for (const char *p = strstr (op->query, field); p != NULL; p = strstr (p + len, field))
    {
      const char *q = skip_space (p + len);

      /* A whole name ("inventoryLevel", not "inventoryLevels"). */
      if (*q != '(' || (p > op->query && (g_ascii_isalnum (p[-1]) || p[-1] == '_')))
        continue;
      for (q = skip_space (q + 1); *q != '\0' && *q != ')'; q = skip_space (q))
        {
          g_autofree char *name = NULL;
          gboolean wanted;

          q = skip_space (read_name (q, &name));
          if (name == NULL || *q != ':')
            return NULL;
          wanted = g_str_equal (name, arg);
          q = skip_space (q + 1);
          if (*q == '$')
            {
              g_autofree char *var = NULL;

              q = read_name (q + 1, &var);
              if (wanted)
                {
                  JsonNode *value = var != NULL ? json_object_get_member (op->variables, var) : NULL;

                  return value != NULL && json_node_get_value_type (value) == G_TYPE_STRING
                         ? g_strdup (json_node_get_string (value)) : NULL;
                }
            }
          else if (*q == '"')
            {
              const char *end = strchr (q + 1, '"');

              if (end == NULL)
                return NULL;
              if (wanted)
                return g_strndup (q + 1, end - q - 1);
              q = end + 1;
            }
          else
            {
              /* A number, an enum, a list: not what is looked for here. */
              while (*q != '\0' && *q != ',' && *q != ')')
                q++;
            }
        }
      return NULL;
    }
  return NULL;
}

/* nodes(ids:) asking for one location's level of each item
 * (inventoryLevel(locationId:)) rather than the levels connection. */
gboolean
shopify_op_selects_one_level (ShopifyOp *op)
{
  const char *p = strstr (op->query, "inventoryLevel");

  for (; p != NULL; p = strstr (p + 1, "inventoryLevel"))
    if (*skip_space (p + strlen ("inventoryLevel")) == '(')
      return TRUE;
  return FALSE;
}
