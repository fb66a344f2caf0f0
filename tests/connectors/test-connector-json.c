/* test-connector-json.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The JSON string literals the connectors write into request bodies
 * (cp_connector_json_append_string): what a product name or SKU holds
 * arrives as it is, whatever it holds.
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "cp-connector-http.h"

/* TEXT written as a literal and read back by json-glib. */
static char *
round_trip (const char *text,
            char      **out_literal)
{
  g_autoptr(GString) body = g_string_new ("{\"v\":");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *obj;

  cp_connector_json_append_string (body, text);
  g_string_append_c (body, '}');
  g_assert_true (json_parser_load_from_data (parser, body->str, body->len, &error));
  g_assert_no_error (error);
  obj = json_node_get_object (json_parser_get_root (parser));
  if (out_literal != NULL)
    *out_literal = g_strndup (body->str + 5, body->len - 6);
  return g_strdup (json_object_get_string_member (obj, "v"));
}

static void
test_round_trip (void)
{
  static const char * const texts[] = {
    "", "Tee", "Tee \"Classic\" 5\\6", "Café — 𝄞 ٣", "a\nb\rc\td", "{\"sku\":1}",
  };
  g_autoptr(GString) controls = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *back = round_trip (texts[i], NULL);

      g_assert_cmpstr (back, ==, texts[i]);
    }

  /* Every control character, which strict parsers refuse unescaped
   * (json-glib itself lets U+001F through). */
  for (int c = 1; c < 0x20; c++)
    g_string_append_c (controls, (char) c);
  g_string_append_c (controls, 0x7f);
  {
    g_autofree char *literal = NULL;
    g_autofree char *back = round_trip (controls->str, &literal);

    g_assert_cmpstr (back, ==, controls->str);
    for (const char *p = literal; *p != '\0'; p++)
      g_assert_cmpint ((guchar) *p, >=, 0x20);
    g_assert_nonnull (strstr (literal, "\\u001f"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/connectors/json/string-round-trip", test_round_trip);
  return g_test_run ();
}
