/* json-tree-compare.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A strict equality of two json-glib trees, for the differential tests of
 * cp-json-parse (tests/core/test-json-parse.c, tests/fuzz/fuzz-json-parse.c).
 * json_node_equal() is not enough: it calls 1 and 1.0 equal, and ignores
 * member order, parents and sealing. Here int64 and double differ, doubles
 * compare bit for bit (so -0.0 is not 0.0), strings byte for byte, members
 * in their order, and each node's parent and immutability must match.
 */

#pragma once

#include <string.h>

#include <json-glib/json-glib.h>

/* NULL when A and B are the same tree, else a new text saying where they
 * first differ. */
static inline char *
json_tree_difference (JsonNode   *a,
                      JsonNode   *b,
                      JsonNode   *parent_a,
                      JsonNode   *parent_b,
                      const char *path)
{
  if (a == NULL || b == NULL)
    return a == b ? NULL : g_strdup_printf ("%s: one root is missing", path);
  if (json_node_get_node_type (a) != json_node_get_node_type (b))
    return g_strdup_printf ("%s: node types %s and %s", path,
                            json_node_type_name (a), json_node_type_name (b));
  if (!json_node_is_immutable (a) != !json_node_is_immutable (b))
    return g_strdup_printf ("%s: one is sealed, the other not", path);
  if ((json_node_get_parent (a) == parent_a) != (json_node_get_parent (b) == parent_b))
    return g_strdup_printf ("%s: parents differ", path);

  switch (json_node_get_node_type (a))
    {
    case JSON_NODE_NULL:
      return NULL;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (a) != json_node_get_value_type (b))
        return g_strdup_printf ("%s: value types %s and %s", path,
                                g_type_name (json_node_get_value_type (a)),
                                g_type_name (json_node_get_value_type (b)));
      switch (json_node_get_value_type (a))
        {
        case G_TYPE_INT64:
          if (json_node_get_int (a) != json_node_get_int (b))
            return g_strdup_printf ("%s: %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT, path,
                                    json_node_get_int (a), json_node_get_int (b));
          return NULL;
        case G_TYPE_DOUBLE:
          {
            double da = json_node_get_double (a);
            double db = json_node_get_double (b);

            if (memcmp (&da, &db, sizeof da) != 0)
              return g_strdup_printf ("%s: %.17g and %.17g", path, da, db);
            return NULL;
          }
        case G_TYPE_BOOLEAN:
          if (!json_node_get_boolean (a) != !json_node_get_boolean (b))
            return g_strdup_printf ("%s: booleans differ", path);
          return NULL;
        case G_TYPE_STRING:
          if (g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) != 0)
            return g_strdup_printf ("%s: strings “%s” and “%s”", path,
                                    json_node_get_string (a), json_node_get_string (b));
          return NULL;
        default:
          return g_strdup_printf ("%s: unexpected value type %s", path,
                                  g_type_name (json_node_get_value_type (a)));
        }

    case JSON_NODE_ARRAY:
      {
        JsonArray *aa = json_node_get_array (a);
        JsonArray *ab = json_node_get_array (b);
        guint n = json_array_get_length (aa);

        if (n != json_array_get_length (ab))
          return g_strdup_printf ("%s: %u and %u elements", path, n, json_array_get_length (ab));
        for (guint i = 0; i < n; i++)
          {
            g_autofree char *sub = g_strdup_printf ("%s[%u]", path, i);
            char *diff = json_tree_difference (json_array_get_element (aa, i),
                                               json_array_get_element (ab, i), a, b, sub);

            if (diff != NULL)
              return diff;
          }
        return NULL;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *oa = json_node_get_object (a);
        JsonObject *ob = json_node_get_object (b);
        g_autoptr(GList) ma = json_object_get_members (oa);
        g_autoptr(GList) mb = json_object_get_members (ob);
        GList *la, *lb;

        if (json_object_get_size (oa) != json_object_get_size (ob) ||
            g_list_length (ma) != g_list_length (mb) ||
            g_list_length (ma) != json_object_get_size (oa))
          return g_strdup_printf ("%s: member counts differ", path);
        for (la = ma, lb = mb; la != NULL; la = la->next, lb = lb->next)
          {
            g_autofree char *sub = g_strdup_printf ("%s.%s", path, (const char *) la->data);
            char *diff;

            if (strcmp (la->data, lb->data) != 0)
              return g_strdup_printf ("%s: members “%s” and “%s”", sub,
                                      (const char *) la->data, (const char *) lb->data);
            diff = json_tree_difference (json_object_get_member (oa, la->data),
                                         json_object_get_member (ob, lb->data), a, b, sub);
            if (diff != NULL)
              return diff;
          }
        return NULL;
      }

    default:
      return g_strdup_printf ("%s: unknown node type", path);
    }
}

/* Parses DATA both ways and compares. Returns whether the fast path took
 * it; a new text in *DIFFERENCE when it returned a tree json-glib would
 * not have returned. */
static inline gboolean
json_tree_differential (const char        *data,
                        gsize              length,
                        gboolean           immutable,
                        char             **difference)
{
  g_autoptr(JsonNode) fast = cp_json_parse_fast (data, length,
                                                 immutable ? CP_JSON_PARSE_IMMUTABLE
                                                           : CP_JSON_PARSE_NONE);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;

  *difference = NULL;
  if (fast == NULL)
    return FALSE;
  parser = immutable ? json_parser_new_immutable () : json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &error))
    *difference = g_strdup_printf ("json-glib refused what the fast path read: %s",
                                   error->message);
  else
    *difference = json_tree_difference (fast, json_parser_get_root (parser), NULL, NULL, "$");
  return TRUE;
}
