/* test-cli-jobs.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `jobs list`, `jobs retry` and `activity` through the built binary, on
 * a ledger whose stock changes queue real outbox jobs (the schema's
 * triggers) for an integration written straight into the file.
 */

#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "cli-fixture.h"

#define DAY_US (G_GINT64_CONSTANT (86400) * 1000000)

static void
exec_sql (Fixture    *f,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (f->ledger, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static gint64
query_int (Fixture    *f,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open (f->ledger, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* Two integrations that receive stock (as integration add would leave
 * them), the demo catalog, and sales that queue stock pushes. */
static void
set_up_shop (Fixture *f)
{
  init_ledger (f);
  import_good_catalog (f);
  exec_sql (f,
            "INSERT INTO integrations (id, platform, name, base_url, created_at, updated_at)"
            " VALUES ('ecomv2-1', 'ecomv2', 'Web shop', 'http://127.0.0.1:9/v2', 1, 1),"
            "        ('ecomv2-2', 'ecomv2', 'Outlet', 'http://127.0.0.1:9/v2', 1, 1);"
            "INSERT INTO integration_permissions (integration_id, permission)"
            " VALUES ('ecomv2-1', 'inventory.sync'), ('ecomv2-2', 'inventory.sync');");

  /* Three sales of TEE-S: one job per integration, coalesced. */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-S", "--location", "MAIN", "--delta", "-1",
                          "--reason", "sold"), ==, 0);
  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-M", "--location", "MAIN", "--delta", "-1",
                        "--reason", "sold"), ==, 0);
}

static JsonArray *
list_json (Fixture    *f,
           JsonNode  **out_node,
           const char *first,
           ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  g_ptr_array_add (args, (gpointer) "--json");
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  g_assert_cmpint (run_argv (f, TRUE, NULL, (const char * const *) args->pdata), ==, 0);
  g_assert_cmpstr (f->err, ==, "");
  *out_node = parse_out (f);
  return data_array (*out_node);
}

static void
assert_iso_utc (const char *text)
{
  g_autoptr(GDateTime) dt = NULL;

  g_assert_nonnull (text);
  g_assert_true (g_str_has_suffix (text, "Z"));
  dt = g_date_time_new_from_iso8601 (text, NULL);
  g_assert_nonnull (dt);
}

static void
test_jobs_list (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *rows;
  JsonObject *row;

  set_up_shop (f);

  rows = list_json (f, &node, "jobs", "list", NULL);
  g_assert_cmpuint (json_array_get_length (rows), ==, 4);   /* 2 variants × 2 integrations */
  row = json_array_get_object_element (rows, 0);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (row, "id")), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_object_get_string_member (row, "integration_id"), ==, "ecomv2-1");
  g_assert_cmpstr (json_object_get_string_member (row, "kind"), ==, "stock.push");
  g_assert_cmpstr (json_object_get_string_member (row, "state"), ==, "pending");
  g_assert_cmpint (json_object_get_int_member (row, "attempts"), ==, 0);
  assert_iso_utc (json_object_get_string_member (row, "next_attempt_at"));
  g_assert_true (json_object_has_member (row, "last_error"));
  g_assert_true (json_object_get_null_member (row, "last_error"));
  g_clear_pointer (&node, json_node_unref);

  /* One integration; then a dead job with its reason. */
  rows = list_json (f, &node, "jobs", "list", "--integration", "ecomv2-2", NULL);
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, i),
                                                    "integration_id"), ==, "ecomv2-2");
  g_clear_pointer (&node, json_node_unref);

  exec_sql (f, "UPDATE outbox_jobs SET state = 'dead', attempts = 8,"
               " last_error = 'The store refused the quantity.', last_error_kind = 'invalid'"
               " WHERE integration_id = 'ecomv2-1' AND coalesce_key = 'variant:1';"
               "UPDATE outbox_jobs SET state = 'done', done_at = 5"
               " WHERE integration_id = 'ecomv2-2' AND coalesce_key = 'variant:1';");
  rows = list_json (f, &node, "jobs", "list", "--state", "dead", NULL);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  row = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "state"), ==, "dead");
  g_assert_cmpint (json_object_get_int_member (row, "attempts"), ==, 8);
  g_assert_cmpstr (json_object_get_string_member (row, "last_error"), ==,
                   "The store refused the quantity.");
  g_assert_true (json_object_get_null_member (row, "next_attempt_at"));
  g_clear_pointer (&node, json_node_unref);

  /* Without --state: what is not finished. Done ones on request. */
  rows = list_json (f, &node, "jobs", "list", NULL);
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
  g_clear_pointer (&node, json_node_unref);
  rows = list_json (f, &node, "jobs", "list", "--state", "done", NULL);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  g_clear_pointer (&node, json_node_unref);
  rows = list_json (f, &node, "jobs", "list", "--state", "pending", "--limit", "1", NULL);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  g_assert_true (json_object_get_boolean_member (root_object (node), "has_more"));

  /* People read a table, with the reason and what to do. */
  g_assert_cmpint (RUN (f, "jobs", "list"), ==, 0);
  g_assert_nonnull (strstr (f->out, "stock.push"));
  g_assert_nonnull (strstr (f->out, "The store refused the quantity."));
  g_assert_nonnull (strstr (f->out, "jobs retry"));
  g_assert_cmpint (RUN (f, "jobs", "list", "--state", "cancelled"), ==, 0);
  g_assert_nonnull (strstr (f->out, "No cancelled jobs"));

  /* Mistakes. */
  g_assert_cmpint (RUN (f, "jobs", "list", "--state", "failed"), ==, 2);
  g_assert_nonnull (strstr (f->err, "pending"));
  g_assert_cmpint (RUN (f, "jobs", "list", "--limit", "0"), ==, 2);
  g_assert_cmpint (RUN (f, "jobs", "list", "extra"), ==, 2);
  g_assert_cmpint (RUN (f, "--json", "jobs", "list", "--integration", "shopify-9"), ==, 1);
  g_assert_cmpstr (f->out, ==, "");
  g_assert_nonnull (strstr (f->err, "integration list"));
  g_assert_cmpint (RUN (f, "jobs"), ==, 2);
}

static void
test_jobs_retry (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *one = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *sql = NULL;
  gint64 dead_id;
  gint64 pending_id;

  set_up_shop (f);
  exec_sql (f, "UPDATE outbox_jobs SET state = 'dead', attempts = 8, last_error = 'Refused.'"
               " WHERE coalesce_key = 'variant:1';");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM outbox_jobs WHERE state = 'dead'"), ==, 2);
  dead_id = query_int (f, "SELECT id FROM outbox_jobs WHERE state = 'dead'"
                          " AND integration_id = 'ecomv2-1'");
  pending_id = query_int (f, "SELECT id FROM outbox_jobs WHERE state = 'pending' LIMIT 1");
  one = g_strdup_printf ("%" G_GINT64_FORMAT, dead_id);
  pending = g_strdup_printf ("%" G_GINT64_FORMAT, pending_id);

  /* Usage mistakes change nothing. */
  g_assert_cmpint (RUN (f, "jobs", "retry"), ==, 2);
  g_assert_cmpint (RUN (f, "jobs", "retry", one, "--all-dead"), ==, 2);
  g_assert_cmpint (RUN (f, "jobs", "retry", "twelve"), ==, 2);
  g_assert_cmpint (RUN (f, "jobs", "retry", one, "--integration", "ecomv2-1"), ==, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM outbox_jobs WHERE state = 'dead'"), ==, 2);

  /* Only dead jobs, only jobs that exist. */
  g_assert_cmpint (RUN (f, "jobs", "retry", pending), ==, 1);
  g_assert_nonnull (strstr (f->err, "not dead"));
  g_assert_cmpint (RUN (f, "jobs", "retry", "999999"), ==, 1);
  g_assert_nonnull (strstr (f->err, "999999"));

  /* One. */
  g_assert_cmpint (RUN (f, "--json", "jobs", "retry", one), ==, 0);
  node = parse_out (f);
  g_assert_cmpstr (json_object_get_string_member (root_object (node), "id"), ==, one);
  g_assert_cmpint (json_object_get_int_member (root_object (node), "retried"), ==, 1);
  g_clear_pointer (&node, json_node_unref);
  sql = g_strdup_printf ("SELECT attempts FROM outbox_jobs WHERE id = %s AND state = 'pending'", one);
  g_assert_cmpint (query_int (f, sql), ==, 0);

  /* All the rest. */
  g_assert_cmpint (RUN (f, "jobs", "retry", "--all-dead"), ==, 0);
  g_assert_nonnull (strstr (f->out, "1 dead job"));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM outbox_jobs WHERE state = 'dead'"), ==, 0);
  g_assert_cmpint (RUN (f, "--json", "jobs", "retry", "--all-dead", "--integration", "ecomv2-2"), ==, 0);
  node = parse_out (f);
  g_assert_cmpint (json_object_get_int_member (root_object (node), "retried"), ==, 0);
  g_clear_pointer (&node, json_node_unref);

  /* Each retry is in the activity log. */
  g_assert_cmpint (RUN (f, "--json", "activity", "--type", "JobRetried"), ==, 0);
  node = parse_out (f);
  g_assert_cmpuint (json_array_get_length (data_array (node)), ==, 2);
}

static void
test_activity (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autofree char *since = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *sql = NULL;
  gint64 now_us = g_date_time_to_unix (now) * 1000000;
  JsonArray *rows;
  JsonObject *row;

  init_ledger (f);
  g_assert_cmpint (RUN (f, "activity"), ==, 0);
  g_assert_nonnull (strstr (f->out, "Nothing in the activity log yet"));

  /* Two days of events; the old ones two days back. */
  sql = g_strdup_printf ("INSERT INTO activity (at, type, severity, integration_id, job_id, message,"
                         " details) VALUES"
                         " (%" G_GINT64_FORMAT ", 'OrderReceivedFromStore', 'info', 'ecomv2-1', NULL,"
                         "  'Order #1001 received.', NULL),"
                         " (%" G_GINT64_FORMAT ", 'StoreConnectionFailed', 'error', 'ecomv2-1', 7,"
                         "  'The store did not answer.', '{\"response\":{\"status\":503}}'),"
                         " (%" G_GINT64_FORMAT ", 'InventorySyncCompleted', 'info', 'ecomv2-2', NULL,"
                         "  'Stock sent for 3 variants.', NULL),"
                         " (%" G_GINT64_FORMAT ", 'RateLimited', 'warning', 'ecomv2-2', NULL,"
                         "  'Waiting 30 s for the store.', NULL)",
                         now_us - 2 * DAY_US, now_us - 2 * DAY_US + 1, now_us - 1000, now_us);
  exec_sql (f, sql);

  /* Newest first, with the documented keys. */
  rows = list_json (f, &node, "activity", NULL);
  g_assert_cmpuint (json_array_get_length (rows), ==, 4);
  row = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "type"), ==, "RateLimited");
  g_assert_cmpstr (json_object_get_string_member (row, "severity"), ==, "warning");
  g_assert_cmpstr (json_object_get_string_member (row, "integration_id"), ==, "ecomv2-2");
  g_assert_cmpstr (json_object_get_string_member (row, "message"), ==, "Waiting 30 s for the store.");
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (row, "id")), ==, G_TYPE_STRING);
  assert_iso_utc (json_object_get_string_member (row, "at"));
  row = json_array_get_object_element (rows, 2);
  g_assert_cmpstr (json_object_get_string_member (row, "job_id"), ==, "7");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_object_get_object_member (row, "details"), "response"), "status"), ==, 503);
  g_clear_pointer (&node, json_node_unref);

  /* Filters. */
  rows = list_json (f, &node, "activity", "--integration", "ecomv2-1", NULL);
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  g_clear_pointer (&node, json_node_unref);
  rows = list_json (f, &node, "activity", "--type", "StoreConnectionFailed", NULL);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  g_clear_pointer (&node, json_node_unref);
  rows = list_json (f, &node, "activity", "--since", since, NULL);
  g_assert_cmpuint (json_array_get_length (rows), >=, 1);
  g_assert_cmpuint (json_array_get_length (rows), <=, 2);
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&since, g_free);
  since = g_date_time_format_iso8601 (yesterday);
  rows = list_json (f, &node, "activity", "--since", since, NULL);
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  g_clear_pointer (&node, json_node_unref);
  rows = list_json (f, &node, "activity", "--severity", "warning", NULL);
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  g_clear_pointer (&node, json_node_unref);
  rows = list_json (f, &node, "activity", "--limit", "3", NULL);
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
  g_assert_true (json_object_get_boolean_member (root_object (node), "has_more"));
  g_clear_pointer (&node, json_node_unref);

  /* People read a table. */
  g_assert_cmpint (RUN (f, "activity", "--limit", "2"), ==, 0);
  g_assert_nonnull (strstr (f->out, "Waiting 30 s for the store."));
  g_assert_nonnull (strstr (f->out, "InventorySyncCompleted"));
  g_assert_null (strstr (f->out, "Order #1001"));
  g_assert_nonnull (strstr (f->out, "--limit"));
  g_assert_cmpint (RUN (f, "activity", "--type", "Nope"), ==, 0);
  g_assert_nonnull (strstr (f->out, "matches"));

  /* Mistakes. */
  g_assert_cmpint (RUN (f, "activity", "--since", "last tuesday"), ==, 2);
  g_assert_cmpint (RUN (f, "activity", "--limit", "0"), ==, 2);
  g_assert_cmpint (RUN (f, "activity", "--severity", "loud"), ==, 2);
  g_assert_cmpint (RUN (f, "activity", "extra"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  cli_fixture_init (argc, argv);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli/jobs/list", test_jobs_list);
  ADD ("/cli/jobs/retry", test_jobs_retry);
  ADD ("/cli/activity", test_activity);

#undef ADD

  return g_test_run ();
}
