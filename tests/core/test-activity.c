/* test-activity.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The activity log on a real ledger: keyset paging newest first and the
 * filters; and redaction, by putting a known secret through every way
 * an exchange can carry one and looking for it in the stored row.
 */

#define G_LOG_DOMAIN "test-activity"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cp-activity.h"

#define SECRET "S3cr3tVaLuE42xyz"

typedef struct
{
  char     *dir;
  CpLedger *ledger;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("test-activity-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "ledger.sqlite3", NULL);
  f->ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_strdup (cp_ledger_get_path (f->ledger));
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_clear_object (&f->ledger);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* The whole stored row as one text: what a backup or a support bundle
 * would carry. */
static char *
stored_row (CpLedger *ledger,
            gint64    id)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (cp_ledger_get_db (ledger),
                                       "SELECT at || type || severity || ifnull (integration_id, '')"
                                       " || ifnull (job_id, '') || message || ifnull (details, '')"
                                       " FROM activity WHERE id = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

static JsonObject *
parse_object (const char *text,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

/* Logs DETAILS and checks that no trace of SECRET (nor of its escaped
 * forms) is in the stored row. Returns the details as stored. */
static char *
assert_stored_without (Fixture    *f,
                       const char *details,
                       const char *secret)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *row = NULL;
  g_autoptr(GPtrArray) events = NULL;
  CpActivityQuery query = { .limit = 1 };
  gint64 id;

  id = cp_activity_log (f->ledger, CP_ACTIVITY_STORE_CONNECTION_FAILED, CP_ACTIVITY_ERROR,
                        "ecomv2-1", 0, "The store did not answer.", details, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  row = stored_row (f->ledger, id);
  if (strstr (row, secret) != NULL)
    g_error ("secret %s is in the stored row: %s", secret, row);

  events = cp_activity_query (f->ledger, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  return g_strdup (((CpActivityEvent *) g_ptr_array_index (events, 0))->details);
}

typedef struct
{
  const char *what;
  const char *method;
  const char *url;
  const char *request_headers[8];
  const char *request_body;
  guint       status;
  const char *response_headers[8];
  const char *response_body;
} Exchange;

/* Each way a secret travels, on its own: no other part of the exchange
 * gives it away, so the mechanism for that path alone must catch it. */
static const Exchange paths[] = {
  { "Authorization", "GET", "https://api.example.com/v2/products",
    { "Authorization", "Bearer " SECRET }, NULL, 200, { NULL }, NULL },
  { "Proxy-Authorization", "GET", "https://api.example.com/",
    { "Proxy-Authorization", "Basic " SECRET }, NULL, 200, { NULL }, NULL },
  { "Cookie", "GET", "https://api.example.com/",
    { "Cookie", "session=" SECRET "; theme=dark" }, NULL, 200, { NULL }, NULL },
  { "Set-Cookie", "GET", "https://api.example.com/", { NULL }, NULL, 200,
    { "Set-Cookie", "sid=" SECRET "; HttpOnly", "Set-Cookie", "b=2" }, NULL },
  { "X-Api-Key", "GET", "https://api.example.com/", { "X-Api-Key", SECRET }, NULL, 200,
    { NULL }, NULL },
  { "X-*-Key", "GET", "https://api.example.com/", { "X-Store-Key", SECRET }, NULL, 200,
    { NULL }, NULL },
  { "*token* header", "GET", "https://api.example.com/",
    { "X-Shopify-Access-Token", SECRET }, NULL, 200, { NULL }, NULL },
  { "*secret* header", "GET", "https://api.example.com/", { "Client-Secret", SECRET }, NULL, 200,
    { NULL }, NULL },
  { "*password* header", "GET", "https://api.example.com/", { "X-Password", SECRET }, NULL, 200,
    { NULL }, NULL },
  { "*signature* header", "POST", "https://api.example.com/hooks", { NULL }, "{}", 200,
    { "X-Webhook-Signature", "sha256=" SECRET }, NULL },
  { "query parameter", "GET", "https://api.example.com/v2/orders?page=2&access_token=" SECRET,
    { NULL }, NULL, 200, { NULL }, NULL },
  { "query api_key", "GET", "https://api.example.com/v2/orders?api_key=" SECRET "&limit=5",
    { NULL }, NULL, 200, { NULL }, NULL },
  { "fragment", "GET", "https://shop.example.com/callback#token=" SECRET "&state=1",
    { NULL }, NULL, 200, { NULL }, NULL },
  { "userinfo", "GET", "https://admin:" SECRET "@api.example.com/v2/", { NULL }, NULL, 200,
    { NULL }, NULL },
  { "Location header", "POST", "https://api.example.com/oauth", { NULL }, NULL, 302,
    { "Location", "https://shop.example.com/cb?code=1&refresh_token=" SECRET }, NULL },
  { "JSON member", "POST", "https://api.example.com/v2/products", { NULL },
    "{\"name\":\"Tee\",\"api_key\":\"" SECRET "\"}", 400, { NULL }, NULL },
  { "nested JSON member", "POST", "https://api.example.com/v2/products", { NULL },
    "{\"data\":[{\"auth\":{\"client_secret\":\"" SECRET "\"}},{\"user\":{\"password\":\""
    SECRET "\"}}]}", 400, { NULL }, NULL },
  { "JSON object under a secret name", "POST", "https://api.example.com/", { NULL },
    "{\"credentials\":{\"id\":\"a\",\"value\":\"" SECRET "\"}}", 400, { NULL }, NULL },
  { "JSON response", "POST", "https://api.example.com/oauth/token", { NULL }, NULL, 200,
    { "Content-Type", "application/json" },
    "{\"access_token\":\"" SECRET "\",\"token_type\":\"bearer\",\"expires_in\":3600}" },
  { "URL inside JSON", "POST", "https://api.example.com/", { NULL },
    "{\"callback\":\"https://x.example.com/cb?signature=" SECRET "&a=1\"}", 400, { NULL }, NULL },
  { "JSON inside a JSON string", "POST", "https://api.example.com/", { NULL },
    "{\"raw\":\"{\\\"password\\\":\\\"" SECRET "\\\"}\"}", 400, { NULL }, NULL },
  { "truncated JSON", "GET", "https://api.example.com/", { NULL }, NULL, 200, { NULL },
    "{\"data\":{\"name\":\"Tee\",\"secret_key\":\"" SECRET },
  { "malformed JSON", "GET", "https://api.example.com/", { NULL }, NULL, 200, { NULL },
    "{\"token\": " SECRET ",, }" },
  { "form body", "POST", "https://api.example.com/oauth/token", { NULL },
    "grant_type=refresh_token&client_id=abc&client_secret=" SECRET, 400, { NULL }, NULL },
  { "echoed header line", "GET", "https://api.example.com/", { NULL }, NULL, 400, { NULL },
    "Bad request\nAuthorization: Bearer " SECRET "\nHost: api.example.com" },
  { "binary body", "POST", "https://api.example.com/", { NULL },
    "\x01\x02password=" SECRET "\x03", 400, { NULL }, NULL },
};

static void
test_redact_every_path (Fixture       *f,
                        gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      const Exchange *e = &paths[i];
      g_autofree char *details = NULL;
      g_autofree char *stored = NULL;

      g_test_message ("path: %s", e->what);
      details = cp_activity_redact_exchange (e->method, e->url, e->request_headers,
                                             e->request_body, e->status, e->response_headers,
                                             e->response_body, 4096);
      if (strstr (details, SECRET) != NULL)
        g_error ("%s: the secret survived redaction: %s", e->what, details);
      g_assert_true (strstr (details, "[redacted]") != NULL || strstr (details, "not text") != NULL);

      stored = assert_stored_without (f, details, SECRET);
      g_assert_cmpstr (stored, !=, NULL);
    }
}

/* Redaction keeps what troubleshooting needs. */
static void
test_redact_keeps_the_rest (void)
{
  const char *request_headers[] = {
    "Authorization", "Bearer " SECRET, "Content-Type", "application/json",
    "Idempotency-Key", "6f1c0d2e9a", NULL
  };
  const char *response_headers[] = {
    "X-Request-Id", "req_81", "X-RateLimit-Remaining", "0", "Set-Cookie", "a=" SECRET,
    "Set-Cookie", "b=" SECRET, NULL
  };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *details = NULL;
  JsonObject *root, *request, *response, *headers;

  details = cp_activity_redact_exchange ("POST", "https://api.example.com/v2/inventory?page=2&token=" SECRET,
                                         request_headers,
                                         "{\"sku\":\"TEE-S\",\"quantity\":4,\"password\":\"" SECRET "\"}",
                                         429, response_headers,
                                         "{\"error\":{\"code\":\"rate_limited\",\"message\":\"Slow down\","
                                         "\"request_id\":\"req_81\"}}",
                                         4096);
  g_assert_null (strstr (details, SECRET));
  root = parse_object (details, parser);
  request = json_object_get_object_member (root, "request");
  response = json_object_get_object_member (root, "response");

  g_assert_cmpstr (json_object_get_string_member (request, "method"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (request, "url"), ==,
                   "https://api.example.com/v2/inventory?page=2&token=[redacted]");
  headers = json_object_get_object_member (request, "headers");
  g_assert_cmpstr (json_object_get_string_member (headers, "Authorization"), ==, "[redacted]");
  g_assert_cmpstr (json_object_get_string_member (headers, "Content-Type"), ==, "application/json");
  g_assert_cmpstr (json_object_get_string_member (headers, "Idempotency-Key"), ==, "6f1c0d2e9a");
  g_assert_cmpstr (json_object_get_string_member (request, "body"), ==,
                   "{\"sku\":\"TEE-S\",\"quantity\":4,\"password\":\"[redacted]\"}");

  g_assert_cmpint (json_object_get_int_member (response, "status"), ==, 429);
  headers = json_object_get_object_member (response, "headers");
  g_assert_cmpstr (json_object_get_string_member (headers, "X-Request-Id"), ==, "req_81");
  g_assert_cmpstr (json_object_get_string_member (headers, "X-RateLimit-Remaining"), ==, "0");
  g_assert_cmpstr (json_object_get_string_member (headers, "Set-Cookie"), ==,
                   "[redacted], [redacted]");
  g_assert_nonnull (strstr (json_object_get_string_member (response, "body"), "rate_limited"));
}

/* A secret learned in one place is scrubbed from every other: a token
 * the platform echoes back in a plain-text error. */
static void
test_redact_scrubs_echoes (void)
{
  const char *request_headers[] = { "X-Api-Key", SECRET, NULL };
  g_autofree char *details = NULL;

  details = cp_activity_redact_exchange ("GET", "https://api.example.com/v2/me", request_headers,
                                         NULL, 401, NULL,
                                         "<html>The key " SECRET " is not valid</html>", 4096);
  g_assert_null (strstr (details, SECRET));
  g_assert_nonnull (strstr (details, "is not valid"));
}

static void
test_redact_cuts_bodies (void)
{
  g_autofree char *body = g_strnfill (10000, 'a');
  g_autofree char *long_json = g_strdup_printf ("{\"note\":\"%s\",\"token\":\"" SECRET "\"}", body);
  g_autofree char *binary = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *details = NULL;
  JsonObject *request;
  const char *kept;

  details = cp_activity_redact_exchange ("POST", "https://api.example.com/", NULL, long_json,
                                         500, NULL, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3);
  g_assert_null (strstr (details, SECRET));
  request = json_object_get_object_member (parse_object (details, parser), "request");
  kept = json_object_get_string_member (request, "body");
  g_assert_cmpuint (strlen (kept), <=, 3 + strlen ("…"));
  g_assert_cmpint (json_object_get_int_member (request, "body_bytes"), ==, strlen (long_json));
  /* Cut on a character boundary: still UTF-8 (the parser said so), and
   * "é" is two bytes, so 3 keeps one. */
  kept = json_object_get_string_member (json_object_get_object_member (
                                          json_node_get_object (json_parser_get_root (parser)),
                                          "response"), "body");
  g_assert_cmpstr (kept, ==, "\xc3\xa9…");

  /* Bytes that are not text are not kept. */
  binary = cp_activity_redact_exchange ("GET", "https://api.example.com/", NULL, NULL, 200, NULL,
                                        "\x89PNG\r\n\x1a\n\x01\x02", 4096);
  g_assert_nonnull (strstr (binary, "not text"));
  g_assert_null (strstr (binary, "PNG"));
}

/* 100,000 nested arrays: json-glib never sees them (it would crash);
 * the lexical pass still finds the secret. */
static void
test_redact_deep_json (void)
{
  GString *deep = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autofree char *redacted = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  g_string_append (deep, "{\"password\":\"" SECRET "\"}");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  text = g_string_free (deep, FALSE);

  redacted = cp_activity_redact_json (text);
  g_assert_nonnull (redacted);
  g_assert_null (strstr (redacted, SECRET));
}

static void
test_redact_json (void)
{
  g_autofree char *a = cp_activity_redact_json ("{\"user\":\"ann\",\"Password\":\"" SECRET "\","
                                                "\"list\":[{\"refresh_token\":\"" SECRET "\"}],"
                                                "\"idempotency_key\":\"k1\",\"count\":3}");
  g_autofree char *again = NULL;

  g_assert_cmpstr (a, ==, "{\"user\":\"ann\",\"Password\":\"[redacted]\","
                          "\"list\":[{\"refresh_token\":\"[redacted]\"}],"
                          "\"idempotency_key\":\"k1\",\"count\":3}");
  /* Idempotent: logging redacted details redacts nothing more. */
  again = cp_activity_redact_json (a);
  g_assert_cmpstr (again, ==, a);
  g_assert_null (cp_activity_redact_json (NULL));

  /* Words that merely look alike are left alone. */
  g_clear_pointer (&again, g_free);
  again = cp_activity_redact_json ("{\"message\":\"Invalid token: enter it again\","
                                   "\"author\":\"Ann\",\"keyboard\":\"us\"}");
  g_assert_cmpstr (again, ==, "{\"message\":\"Invalid token: enter it again\","
                              "\"author\":\"Ann\",\"keyboard\":\"us\"}");
}

/* Details logged without redaction are redacted anyway. */
static void
test_log_redacts (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *stored = assert_stored_without (f, "{\"request\":{\"headers\":{\"Authorization\":"
                                                   "\"Bearer " SECRET "\"}}}", SECRET);

  g_assert_nonnull (strstr (stored, "[redacted]"));
  g_free (assert_stored_without (f, "not json, api_key=" SECRET, SECRET));
}

static void
set_at (Fixture *f,
        gint64   id,
        gint64   at)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE activity SET at = %" G_GINT64_FORMAT
                                          " WHERE id = %" G_GINT64_FORMAT, at, id);

  g_assert_cmpint (sqlite3_exec (cp_ledger_get_db (f->ledger), sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

static void
test_query (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  CpActivityQuery query = { .limit = 40 };
  gint64 last_id = G_MAXINT64;
  gint64 now = cp_ledger_now_us ();
  guint total = 0;
  guint pages = 0;

  /* 250 events, oldest first: every 5th on ecomv2-2, every 10th an error,
   * every 3rd a warning; the first 50 a day old. */
  for (guint i = 0; i < 250; i++)
    {
      CpActivitySeverity severity = i % 10 == 0 ? CP_ACTIVITY_ERROR
                                    : i % 3 == 0 ? CP_ACTIVITY_WARNING : CP_ACTIVITY_INFO;
      g_autofree char *message = g_strdup_printf ("event %u", i);
      gint64 id = cp_activity_log (f->ledger,
                                   i % 2 ? CP_ACTIVITY_PRODUCT_SYNCED_TO_STORE
                                         : CP_ACTIVITY_ORDER_RECEIVED_FROM_STORE,
                                   severity, i % 5 == 0 ? "ecomv2-2" : "ecomv2-1",
                                   i == 7 ? 42 : 0, message, NULL, &error);

      g_assert_no_error (error);
      set_at (f, id, i < 50 ? now - G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC + i : now + i);
    }

  /* Newest first, in pages that never overlap or skip. */
  do
    {
      g_clear_pointer (&page, g_ptr_array_unref);
      page = cp_activity_query (f->ledger, &query, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        {
          CpActivityEvent *event = g_ptr_array_index (page, i);

          g_assert_cmpint (event->id, <, last_id);
          last_id = event->id;
          if (total == 0)
            g_assert_cmpstr (event->message, ==, "event 249");
          if (g_str_equal (event->message, "event 7"))
            g_assert_cmpint (event->job_id, ==, 42);
          total++;
        }
      if (page->len > 0)
        query.before_id = last_id;
      pages++;
    }
  while (page->len == 40);
  g_assert_cmpuint (total, ==, 250);
  g_assert_cmpuint (pages, ==, 7);

  /* Filters, alone and together. */
#define COUNT(...) G_STMT_START { \
    CpActivityQuery q = { .limit = 1000, __VA_ARGS__ }; \
    g_clear_pointer (&page, g_ptr_array_unref); \
    page = cp_activity_query (f->ledger, &q, &error); \
    g_assert_no_error (error); \
  } G_STMT_END

  COUNT (.integration_id = "ecomv2-2");
  g_assert_cmpuint (page->len, ==, 50);
  COUNT (.type = CP_ACTIVITY_PRODUCT_SYNCED_TO_STORE);
  g_assert_cmpuint (page->len, ==, 125);
  COUNT (.has_min_severity = TRUE, .min_severity = CP_ACTIVITY_ERROR);
  g_assert_cmpuint (page->len, ==, 25);
  for (guint i = 0; i < page->len; i++)
    g_assert_cmpint (((CpActivityEvent *) g_ptr_array_index (page, i))->severity, ==,
                     CP_ACTIVITY_ERROR);
  COUNT (.has_min_severity = TRUE, .min_severity = CP_ACTIVITY_WARNING);
  g_assert_cmpuint (page->len, ==, 25 + 75);
  COUNT (.since = now);
  g_assert_cmpuint (page->len, ==, 200);
  COUNT (.since = now, .integration_id = "ecomv2-2", .type = CP_ACTIVITY_ORDER_RECEIVED_FROM_STORE,
         .has_min_severity = TRUE, .min_severity = CP_ACTIVITY_ERROR);
  g_assert_cmpuint (page->len, ==, 20);   /* i % 10 == 0, i ≥ 50 */
  COUNT (.type = "NoSuchEvent");
  g_assert_cmpuint (page->len, ==, 0);
#undef COUNT

  /* The badge: warnings and errors since a time. */
  g_assert_cmpuint (cp_activity_count_attention (f->ledger, now, &error), ==, 20 + 60);
  g_assert_no_error (error);

  /* Purge drops the old ones only. */
  g_assert_true (cp_activity_purge (f->ledger, now, &error));
  g_clear_pointer (&page, g_ptr_array_unref);
  query.before_id = 0;
  query.limit = 1000;
  page = cp_activity_query (f->ledger, &query, &error);
  g_assert_cmpuint (page->len, ==, 200);
}

static void
test_severity_names (void)
{
  CpActivitySeverity severity;

  for (CpActivitySeverity s = CP_ACTIVITY_INFO; s <= CP_ACTIVITY_ERROR; s++)
    {
      g_assert_true (cp_activity_severity_from_string (cp_activity_severity_to_string (s), &severity));
      g_assert_cmpint (severity, ==, s);
    }
  g_assert_false (cp_activity_severity_from_string ("fatal", &severity));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/activity/severity-names", test_severity_names);
  g_test_add_func ("/activity/redact/keeps-the-rest", test_redact_keeps_the_rest);
  g_test_add_func ("/activity/redact/scrubs-echoes", test_redact_scrubs_echoes);
  g_test_add_func ("/activity/redact/cuts-bodies", test_redact_cuts_bodies);
  g_test_add_func ("/activity/redact/deep-json", test_redact_deep_json);
  g_test_add_func ("/activity/redact/json", test_redact_json);
  g_test_add ("/activity/redact/every-path", Fixture, NULL, fixture_setup,
              test_redact_every_path, fixture_teardown);
  g_test_add ("/activity/log-redacts", Fixture, NULL, fixture_setup, test_log_redacts,
              fixture_teardown);
  g_test_add ("/activity/query", Fixture, NULL, fixture_setup, test_query, fixture_teardown);

  return g_test_run ();
}
