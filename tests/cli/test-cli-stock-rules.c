/* test-cli-stock-rules.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stock rules from the command line, against the ecomv2 fake on
 * loopback (served by this test process): `sync --reconcile` finds and
 * fixes a store's drift and says what it fixed, and exits 3 when the
 * store could not be reached; `integration map
 * --exclude/--include` keeps a product off a store and brings it back.
 */

#define G_LOG_DOMAIN "test-cli-stock-rules"

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "cli-fixture.h"
#include "cp-sandbox-ecomv2.h"
#include "cp-sandbox-server.h"

typedef struct
{
  Fixture          f;
  CpSandboxServer *server;
  CpSandboxEcomv2 *ecomv2;
  char            *url;
  char            *id;
} RulesFixture;

static const char catalog_csv[] =
  "sku,name,price,on_hand:MAIN\n"
  "EC-00001,Thing one,10.00,1000\n"
  "EC-00002,Thing two,12.00,1000\n"
  "EC-00003,Thing three,14.00,1000\n";

/* Integration ids count per ledger while the keyring is the session's:
 * start this ledger's ids where no other test's are. */
static void
make_ids_unique (RulesFixture *s)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = NULL;

  g_assert_cmpint (sqlite3_open (s->f.ledger, &db), ==, SQLITE_OK);
  sql = g_strdup_printf ("INSERT INTO sqlite_sequence (name, seq) VALUES ('integrations', %d)",
                         (int) getpid () * 10 + g_random_int_range (0, 10));
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
rules_set_up (RulesFixture  *s,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(JsonNode) node = NULL;

  fixture_set_up (&s->f, data);

  s->server = cp_sandbox_server_new ();
  s->ecomv2 = cp_sandbox_ecomv2_new_sized (10, 0);
  cp_sandbox_server_add_platform (s->server, CP_SANDBOX_PLATFORM (s->ecomv2));
  g_assert_true (cp_sandbox_server_start (s->server, 0, &error));
  g_assert_no_error (error);
  s->url = cp_sandbox_server_dup_platform_url (s->server, "ecomv2");

  init_ledger (&s->f);
  csv = path_in (&s->f, "catalog.csv");
  write_file (csv, catalog_csv, -1);
  g_assert_cmpint (RUN (&s->f, "catalog", "import", csv), ==, 0);
  make_ids_unique (s);

  g_assert_cmpint (RUN_STDIN (&s->f, "{\"api_key\": \"" CP_SANDBOX_ECOMV2_DEFAULT_KEY "\"}",
                              "--json", "integration", "add", "ecomv2", "--name", "Web shop",
                              "--base-url", s->url, "--credentials-stdin",
                              "--permissions", "inventory.sync"), ==, 0);
  node = parse_out (&s->f);
  s->id = g_strdup (json_object_get_string_member (root_object (node), "id"));

  /* The store starts with the shop's quantities. */
  g_assert_cmpint (RUN (&s->f, "sync", "--once", "--full", "--max-wait", "60"), ==, 0);
}

static void
rules_tear_down (RulesFixture  *s,
                 gconstpointer  data)
{
  RUN (&s->f, "integration", "remove", s->id);
  cp_sandbox_server_stop (s->server);
  g_clear_object (&s->server);
  g_clear_object (&s->ecomv2);
  g_free (s->url);
  g_free (s->id);
  fixture_tear_down (&s->f, data);
}

static gint64
ledger_available (RulesFixture *s,
                  const char   *sku)
{
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (RUN (&s->f, "--json", "stock", "show", sku, "--location", "MAIN"), ==, 0);
  node = parse_out (&s->f);
  return json_object_get_int_member (first_row (node), "available");
}

static gint64
store_available (RulesFixture *s,
                 const char   *sku)
{
  return cp_sandbox_ecomv2_get_available (s->ecomv2, sku, "wh_001");
}

/* Someone changes the stock in the store's admin. */
static void
edit_in_store (RulesFixture *s,
               const char   *sku,
               gint64        delta)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/inventory/%s/adjust", s->url, sku);
  g_autofree char *body = g_strdup_printf ("{\"quantity\":%" G_GINT64_FORMAT ",\"reason\":"
                                           "\"correction\",\"location\":\"wh_001\"}", delta);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " CP_SANDBOX_ECOMV2_DEFAULT_KEY);
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 201);
}

/* `sync --once --reconcile`: the drift is fixed in the same run and
 * reported, by SKU in --json and in words otherwise; exit 0. */
static void
test_reconcile (RulesFixture  *s,
                gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *reconciled;
  JsonObject *entry;
  JsonArray *fixed;

  g_assert_cmpint (store_available (s, "EC-00002"), ==, ledger_available (s, "EC-00002"));
  edit_in_store (s, "EC-00002", 5);
  g_assert_cmpint (store_available (s, "EC-00002"), !=, ledger_available (s, "EC-00002"));

  /* Without the flag nothing is compared. */
  g_assert_cmpint (RUN (&s->f, "--json", "sync", "--once", "--max-wait", "60"), ==, 0);
  node = parse_out (&s->f);
  g_assert_false (json_object_has_member (root_object (node), "reconciled"));
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpint (store_available (s, "EC-00002"), !=, ledger_available (s, "EC-00002"));

  g_assert_cmpint (RUN (&s->f, "--json", "sync", "--once", "--reconcile", "--max-wait", "60"), ==, 0);
  node = parse_out (&s->f);
  g_assert_cmpstr (json_object_get_string_member (root_object (node), "outcome"), ==, "done");
  reconciled = json_object_get_array_member (root_object (node), "reconciled");
  g_assert_cmpuint (json_array_get_length (reconciled), ==, 1);
  entry = json_array_get_object_element (reconciled, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "integration_id"), ==, s->id);
  g_assert_cmpint (json_object_get_int_member (entry, "checked"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (entry, "fixed"), ==, 1);
  fixed = json_object_get_array_member (entry, "skus_fixed");
  g_assert_cmpuint (json_array_get_length (fixed), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (fixed, 0), ==, "EC-00002");
  g_assert_cmpint (store_available (s, "EC-00002"), ==, ledger_available (s, "EC-00002"));

  g_assert_cmpint (RUN (&s->f, "sync", "--once", "--reconcile", "--integration", s->id), ==, 0);
  g_assert_nonnull (strstr (s->f.out, "all agree"));
  g_assert_nonnull (strstr (s->f.out, "Everything is in sync"));
}

/* `sync --once --reconcile` with the store down compares nothing: it
 * must not say so with exit 0. It exits 3 (work left, nothing lost),
 * names the store in --json and says why on stderr. */
static void
test_reconcile_store_down (RulesFixture  *s,
                           gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *missed;
  JsonObject *entry;

  cp_sandbox_server_stop (s->server);

  g_assert_cmpint (RUN (&s->f, "--json", "sync", "--once", "--reconcile", "--max-wait", "0"), ==, 3);
  node = parse_out (&s->f);
  g_assert_cmpstr (json_object_get_string_member (root_object (node), "outcome"), ==, "partial");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root_object (node),
                                                                         "reconciled")), ==, 0);
  missed = json_object_get_array_member (root_object (node), "not_reconciled");
  g_assert_nonnull (missed);
  g_assert_cmpuint (json_array_get_length (missed), ==, 1);
  entry = json_array_get_object_element (missed, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "integration_id"), ==, s->id);
  g_assert_nonnull (json_object_get_string_member (entry, "reason"));

  g_assert_cmpint (RUN (&s->f, "sync", "--once", "--reconcile", "--max-wait", "0",
                        "--integration", s->id), ==, 3);
  g_assert_nonnull (strstr (s->f.err, "could not be compared"));
  g_assert_null (strstr (s->f.out, "Everything is in sync"));

  /* A run without --reconcile asked nothing of it: nothing left undone. */
  g_assert_cmpint (RUN (&s->f, "sync", "--once", "--max-wait", "0"), ==, 0);
}

/* Nothing linked to the store (its mappings gone) and the store down:
 * nothing was compared, so the run must not say "all agree". It says
 * plainly that products need linking, asks nothing of the store, and,
 * nothing being left undone, keeps exit 0. */
static void
test_reconcile_nothing_linked (RulesFixture  *s,
                               gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;
  JsonArray *reconciled;
  JsonObject *entry;

  g_assert_cmpint (sqlite3_open (s->f.ledger, &db), ==, SQLITE_OK);
  sql = g_strdup_printf ("DELETE FROM integration_mappings WHERE integration_id = '%s'"
                         " AND kind = 'variant'", s->id);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  cp_sandbox_server_stop (s->server);

  g_assert_cmpint (RUN (&s->f, "--json", "sync", "--once", "--reconcile", "--max-wait", "0",
                        "--integration", s->id), ==, 0);
  node = parse_out (&s->f);
  reconciled = json_object_get_array_member (root_object (node), "reconciled");
  g_assert_cmpuint (json_array_get_length (reconciled), ==, 1);
  entry = json_array_get_object_element (reconciled, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "integration_id"), ==, s->id);
  g_assert_nonnull (strstr (json_object_get_string_member (entry, "message"),
                            "Nothing is linked to “Web shop” yet: link products first"));
  g_assert_false (json_object_has_member (entry, "checked"));

  g_assert_cmpint (RUN (&s->f, "sync", "--once", "--reconcile", "--max-wait", "0",
                        "--integration", s->id), ==, 0);
  g_assert_nonnull (strstr (s->f.out, "Nothing is linked"));
  g_assert_null (strstr (s->f.out, "all agree"));
}

/* --exclude keeps a product's stock off the store, --show lists it,
 * --include sends it again at the next sync. */
static void
test_exclude (RulesFixture  *s,
              gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *excluded;
  gint64 before = store_available (s, "EC-00001");

  g_assert_cmpint (RUN (&s->f, "integration", "map", s->id, "--exclude", "EC-00001"), ==, 0);
  g_assert_nonnull (strstr (s->f.out, "EC-00001"));
  g_assert_cmpint (RUN (&s->f, "--json", "integration", "map", s->id, "--show"), ==, 0);
  node = parse_out (&s->f);
  excluded = json_object_get_array_member (root_object (node), "excluded");
  g_assert_cmpuint (json_array_get_length (excluded), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (excluded, 0), ==, "EC-00001");
  g_clear_pointer (&node, json_node_unref);

  g_assert_cmpint (RUN (&s->f, "stock", "adjust", "EC-00001", "--location", "MAIN",
                        "--delta", "-9", "--reason", "sold"), ==, 0);
  g_assert_cmpint (RUN (&s->f, "stock", "adjust", "EC-00003", "--location", "MAIN",
                        "--delta", "-2", "--reason", "sold"), ==, 0);
  g_assert_cmpint (RUN (&s->f, "sync", "--once", "--max-wait", "60"), ==, 0);
  g_assert_cmpint (store_available (s, "EC-00001"), ==, before);
  g_assert_cmpint (store_available (s, "EC-00003"), ==, ledger_available (s, "EC-00003"));

  g_assert_cmpint (RUN (&s->f, "--json", "integration", "map", s->id, "--include", "EC-00001"), ==, 0);
  node = parse_out (&s->f);
  excluded = json_object_get_array_member (root_object (node), "excluded");
  g_assert_cmpuint (json_array_get_length (excluded), ==, 0);
  g_assert_cmpint (RUN (&s->f, "sync", "--once", "--max-wait", "60"), ==, 0);
  g_assert_cmpint (store_available (s, "EC-00001"), ==, ledger_available (s, "EC-00001"));

  /* A SKU that does not exist is refused, saying so. */
  g_assert_cmpint (RUN (&s->f, "integration", "map", s->id, "--exclude", "NO-SUCH-SKU"), ==, 1);
  g_assert_nonnull (strstr (s->f.err, "NO-SUCH-SKU"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  cli_fixture_init (argc, argv);

#define ADD(name, func) \
  g_test_add ("/cli/stock-rules/" name, RulesFixture, NULL, rules_set_up, func, rules_tear_down)
  ADD ("reconcile", test_reconcile);
  ADD ("reconcile-store-down", test_reconcile_store_down);
  ADD ("reconcile-nothing-linked", test_reconcile_nothing_linked);
  ADD ("exclude", test_exclude);
#undef ADD

  return g_test_run ();
}
