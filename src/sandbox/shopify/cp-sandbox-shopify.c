/* cp-sandbox-shopify.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Shopify fake's front door: access tokens and their scopes, the API
 * version in the path (echoed in X-Shopify-API-Version, a retired one
 * served by the oldest supported), the calculated-cost leaky bucket of
 * the GraphQL Admin API, @idempotent replays, and the REST 2024-01 leaky
 * bucket of the two REST endpoints kept for the benchmark's per-item
 * comparison.
 */

#define G_LOG_DOMAIN "cp-sandbox-shopify"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cp-sandbox-shopify-private.h"

/* From this version on @idempotent is honoured (platforms.md §1). */
#define IDEMPOTENT_SINCE "2026-01"
/* A cached idempotent answer is kept this long; Shopify does not say. */
#define MAX_IDEMPOTENT_KEYS 100000

static void platform_iface_init (CpSandboxPlatformInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CpSandboxShopify, cp_sandbox_shopify, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CP_TYPE_SANDBOX_PLATFORM, platform_iface_init))

/* ---- Buckets ------------------------------------------------------------- */

static void
bucket_refill (Bucket *b,
               gint64  now)
{
  b->available = MIN (b->size, b->available + (now - b->last_us) * b->rate / G_USEC_PER_SEC);
  b->last_us = now;
}

static void
rest_leak (Bucket *b,
           gint64  now)
{
  b->available = MAX (0.0, b->available - (now - b->last_us) * b->rate / G_USEC_PER_SEC);
  b->last_us = now;
}

/* ---- Responses ----------------------------------------------------------- */

static void
respond_text (SoupServerMessage *msg,
              guint              status,
              char              *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                    body, strlen (body));
}

static void
respond_builder (SoupServerMessage *msg,
                 guint              status,
                 JsonBuilder       *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);

  respond_text (msg, status, json_to_string (root, FALSE));
}

static void
add_cost (JsonBuilder *b,
          Bucket      *bucket,
          double       requested,
          double       actual)   /* < 0: null */
{
  json_builder_set_member_name (b, "extensions");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "cost");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "requestedQueryCost");
  json_builder_add_int_value (b, (gint64) requested);
  json_builder_set_member_name (b, "actualQueryCost");
  if (actual >= 0)
    json_builder_add_int_value (b, (gint64) actual);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "throttleStatus");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "maximumAvailable");
  json_builder_add_double_value (b, bucket->size);
  json_builder_set_member_name (b, "currentlyAvailable");
  json_builder_add_int_value (b, (gint64) floor (bucket->available));
  json_builder_set_member_name (b, "restoreRate");
  json_builder_add_double_value (b, bucket->rate);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

/* {"errors":[{message, locations?, path?, extensions{code,…}}], …}. */
static void
begin_errors (JsonBuilder *b,
              const char  *message,
              const char  *code,
              const char  *path)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "errors");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "locations");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "line");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "column");
  json_builder_add_int_value (b, 1);
  json_builder_end_object (b);
  json_builder_end_array (b);
  if (path != NULL)
    {
      json_builder_set_member_name (b, "path");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, path);
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "extensions");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  if (g_str_equal (code, "THROTTLED"))
    {
      json_builder_set_member_name (b, "documentation");
      json_builder_add_string_value (b, "https://shopify.dev/api/usage/rate-limits");
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
}

static void
graphql_error (SoupServerMessage *msg,
               const char        *message,
               const char        *code)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  begin_errors (b, message, code, NULL);
  json_builder_end_object (b);
  respond_builder (msg, SOUP_STATUS_OK, b);
}

/* ---- Versions ------------------------------------------------------------ */

static gboolean
valid_version (const char *v)
{
  return g_str_equal (v, "unstable") ||
         (strlen (v) == 7 && g_ascii_isdigit (v[0]) && g_ascii_isdigit (v[1]) &&
          g_ascii_isdigit (v[2]) && g_ascii_isdigit (v[3]) && v[4] == '-' &&
          (g_str_has_suffix (v, "01") || g_str_has_suffix (v, "04") ||
           g_str_has_suffix (v, "07") || g_str_has_suffix (v, "10")));
}

static const char *
served_version (const char *requested)
{
  if (g_str_equal (requested, "unstable") || strcmp (requested, CP_SANDBOX_SHOPIFY_OLDEST_VERSION) >= 0)
    return requested;
  /* Retired: the oldest supported one answers [unconfirmed]. */
  return CP_SANDBOX_SHOPIFY_OLDEST_VERSION;
}

/* ---- GraphQL ------------------------------------------------------------- */

/* TEXT, {"data":{FIELD:null},…}, with RAW in the null's place: an
 * operation that wrote its value as JSON itself (a page of orders). */
static char *
splice_raw (char       *text,
            const char *field,
            GString    *raw)
{
  g_autoptr(GString) head = g_string_new ("{\"data\":{");
  g_autofree char *owned = text;
  GString *out;

  cp_sandbox_json_append_string (head, field);
  g_string_append (head, ":null");
  /* the builder wrote the envelope; nothing else can come first */
  g_return_val_if_fail (g_str_has_prefix (text, head->str), g_steal_pointer (&owned));
  out = g_string_sized_new (strlen (text) + raw->len);
  g_string_append_len (out, head->str, head->len - strlen ("null"));
  g_string_append_len (out, raw->str, raw->len);
  g_string_append (out, text + head->len);
  return g_string_free (out, FALSE);
}

static void
serve_graphql (CpSandboxShopify  *self,
               CpSandboxServer   *server,
               SoupServerMessage *msg,
               const char        *version,
               GStrv              scopes)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonObject) empty = json_object_new ();
  g_autofree char *message = NULL;
  JsonObject *root;
  JsonNode *query, *vars;
  const char *code = NULL, *scope;
  ShopifyOp op = { 0 };
  gboolean idempotent;
  gint64 now = g_get_monotonic_time ();

  if (body->length == 0 || !json_parser_load_from_data (parser, body->data, body->length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      respond_text (msg, SOUP_STATUS_BAD_REQUEST,
                    g_strdup ("{\"errors\":{\"query\":\"Required parameter missing or invalid\"}}"));
      return;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  query = json_object_get_member (root, "query");
  vars = json_object_get_member (root, "variables");
  if (query == NULL || json_node_get_value_type (query) != G_TYPE_STRING)
    {
      respond_text (msg, SOUP_STATUS_BAD_REQUEST,
                    g_strdup ("{\"errors\":{\"query\":\"Required parameter missing or invalid\"}}"));
      return;
    }

  op.server = server;
  op.store = self->store;
  op.query = json_node_get_string (query);
  op.variables = vars != NULL && JSON_NODE_HOLDS_OBJECT (vars) ? json_node_get_object (vars) : empty;
  op.version = version;
  op.scopes = scopes;
  op.mutation_cost = self->mutation_cost;
  op.per_input_cost = self->per_input_cost;
  op.connection_base = self->connection_base;

  if (!shopify_op_parse (&op, &message))
    {
      graphql_error (msg, message, "undefinedField");
      g_free (op.idempotency_key);
      return;
    }
  idempotent = op.mutation && op.idempotency_key != NULL &&
               strcmp (version, IDEMPOTENT_SINCE) >= 0;

  scope = shopify_op_required_scope (&op);
  if (scope != NULL && !g_strv_contains ((const char * const *) scopes, scope))
    {
      g_autofree char *denied = g_strdup_printf ("Access denied for %s field. Required access: "
                                                 "`%s` access scope.", op.field, scope);

      begin_errors (b, denied, "ACCESS_DENIED", op.field);
      json_builder_set_member_name (b, "data");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, op.field);
      json_builder_add_null_value (b);
      json_builder_end_object (b);
      json_builder_end_object (b);
      respond_builder (msg, SOUP_STATUS_OK, b);
      g_free (op.idempotency_key);
      return;
    }

  op.requested = shopify_op_requested_cost (&op, &message, &code);
  if (op.requested < 0)
    {
      graphql_error (msg, message, code);
      g_free (op.idempotency_key);
      return;
    }
  bucket_refill (&self->bucket, now);
  if (op.requested > CP_SANDBOX_SHOPIFY_MAX_QUERY_COST)
    {
      g_autofree char *text = g_strdup_printf ("Query cost is %.0f, which exceeds the single "
                                               "query max cost limit (%d).", op.requested,
                                               CP_SANDBOX_SHOPIFY_MAX_QUERY_COST);

      begin_errors (b, text, "MAX_COST_EXCEEDED", NULL);
      add_cost (b, &self->bucket, op.requested, -1);
      json_builder_end_object (b);
      respond_builder (msg, SOUP_STATUS_OK, b);
      g_free (op.idempotency_key);
      return;
    }
  if (op.requested > self->bucket.available)
    {
      /* Nothing runs; the whole answer is the error and the bucket. */
      self->n_throttled++;
      begin_errors (b, "Throttled", "THROTTLED", NULL);
      add_cost (b, &self->bucket, op.requested, -1);
      json_builder_end_object (b);
      respond_builder (msg, self->throttle_429 ? CP_SANDBOX_STATUS_TOO_MANY_REQUESTS
                                               : SOUP_STATUS_OK, b);
      g_free (op.idempotency_key);
      return;
    }
  self->bucket.available -= op.requested;

  if (idempotent && g_hash_table_contains (self->replies, op.idempotency_key))
    {
      /* The same key: the first answer again, no second effect. */
      self->bucket.available += op.requested - 1;
      self->points += 1;
      respond_text (msg, SOUP_STATUS_OK,
                    g_strdup (g_hash_table_lookup (self->replies, op.idempotency_key)));
      g_free (op.idempotency_key);
      return;
    }
  if (!idempotent)
    g_clear_pointer (&op.idempotency_key, g_free);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "data");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, op.field);
  shopify_op_run (&op, b);
  json_builder_end_object (b);
  /* The requested cost was reserved; what the query did not use comes back. */
  self->bucket.available = MIN (self->bucket.size,
                                self->bucket.available + op.requested - op.actual);
  self->points += op.actual;
  self->n_mutations += op.n_effects;
  add_cost (b, &self->bucket, op.requested, op.actual);
  json_builder_end_object (b);

  {
    g_autoptr(JsonNode) out = json_builder_get_root (b);
    char *text = json_to_string (out, FALSE);

    if (op.raw != NULL)
      text = splice_raw (text, op.field, op.raw);

    if (idempotent && g_hash_table_size (self->replies) < MAX_IDEMPOTENT_KEYS)
      g_hash_table_insert (self->replies, g_steal_pointer (&op.idempotency_key), g_strdup (text));
    respond_text (msg, SOUP_STATUS_OK, text);
  }
  if (op.raw != NULL)
    g_string_free (op.raw, TRUE);
  g_free (op.idempotency_key);
}

/* ---- REST 2024-01 ------------------------------------------------------------ */

static void
rest_error (SoupServerMessage *msg,
            guint              status,
            const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "errors");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  respond_builder (msg, status, b);
}

/* Returns FALSE after answering 429. */
static gboolean
rest_admit (CpSandboxShopify  *self,
            SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *limit = NULL;

  rest_leak (&self->rest, g_get_monotonic_time ());
  if (self->rest.available + 1 > self->rest.size)
    {
      g_autofree char *retry = g_strdup_printf ("%.3f", (self->rest.available + 1 - self->rest.size) /
                                                        self->rest.rate);
      g_autofree char *text = g_strdup_printf ("Exceeded %.0f calls per second for api client. "
                                               "Reduce request rates to resume uninterrupted "
                                               "service.", self->rest.rate);

      self->n_rest_throttled++;
      soup_message_headers_replace (headers, "Retry-After", retry);
      rest_error (msg, CP_SANDBOX_STATUS_TOO_MANY_REQUESTS, text);
      return FALSE;
    }
  self->rest.available += 1;
  limit = g_strdup_printf ("%.0f/%.0f", ceil (self->rest.available), self->rest.size);
  soup_message_headers_replace (headers, "X-Shopify-Shop-Api-Call-Limit", limit);
  return TRUE;
}

static void
serve_rest (CpSandboxShopify  *self,
            CpSandboxServer   *server,
            SoupServerMessage *msg,
            const char        *method,
            char             **segments)   /* after the version */
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint n = g_strv_length (segments);

  if (!rest_admit (self, msg))
    return;
  if (g_str_equal (method, "GET") && n == 2 && g_str_equal (segments[0], "variants") &&
      g_str_has_suffix (segments[1], ".json"))
    {
      gint64 id = g_ascii_strtoll (segments[1], NULL, 10);
      ShopifyVariant *v = g_hash_table_lookup (self->store->by_variant, &id);
      g_autofree char *price = NULL;

      if (v == NULL)
        {
          rest_error (msg, SOUP_STATUS_NOT_FOUND, "Not Found");
          return;
        }
      price = shopify_money (v->price_minor);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "variant");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, v->id);
      json_builder_set_member_name (b, "product_id");
      json_builder_add_int_value (b, v->product_id);
      json_builder_set_member_name (b, "sku");
      json_builder_add_string_value (b, v->sku ? v->sku : "");
      json_builder_set_member_name (b, "price");
      json_builder_add_string_value (b, price);
      json_builder_set_member_name (b, "inventory_item_id");
      json_builder_add_int_value (b, v->inventory_item_id);
      json_builder_end_object (b);
      json_builder_end_object (b);
      respond_builder (msg, SOUP_STATUS_OK, b);
      return;
    }
  if (g_str_equal (method, "POST") && n == 2 && g_str_equal (segments[0], "inventory_levels") &&
      g_str_equal (segments[1], "set.json"))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *obj;
      gint64 item, location, available;
      ShopifyVariant *v;
      guint l;

      if (body->length == 0 || !json_parser_load_from_data (parser, body->data, body->length, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          rest_error (msg, SOUP_STATUS_BAD_REQUEST, "Bad Request");
          return;
        }
      obj = json_node_get_object (json_parser_get_root (parser));
      item = json_object_get_int_member_with_default (obj, "inventory_item_id", 0);
      location = json_object_get_int_member_with_default (obj, "location_id", 0);
      available = json_object_get_int_member_with_default (obj, "available", 0);
      v = g_hash_table_lookup (self->store->by_item, &item);
      for (l = 0; l < SHOPIFY_N_LOCATIONS && shopify_location_ids[l] != location; l++)
        ;
      if (v == NULL || l == SHOPIFY_N_LOCATIONS)
        {
          rest_error (msg, 422, "Inventory item or location not found");
          return;
        }
      v->available[l] = available;
      self->n_mutations++;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "inventory_level");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "inventory_item_id");
      json_builder_add_int_value (b, item);
      json_builder_set_member_name (b, "location_id");
      json_builder_add_int_value (b, location);
      json_builder_set_member_name (b, "available");
      json_builder_add_int_value (b, available);
      json_builder_end_object (b);
      json_builder_end_object (b);
      respond_builder (msg, SOUP_STATUS_OK, b);
      return;
    }
  rest_error (msg, SOUP_STATUS_NOT_FOUND, "Not Found");
}

/* ---- The platform -------------------------------------------------------- */

/* "/admin/api/{version}/…" → the segments after the version; *OUT_VERSION. */
static char **
split_path (const char  *path,
            char       **out_version)
{
  g_auto(GStrv) parts = NULL;
  guint n;

  if (!g_str_has_prefix (path, "/admin/api/"))
    return NULL;
  parts = g_strsplit (path + strlen ("/admin/api/"), "/", -1);
  n = g_strv_length (parts);
  if (n < 2 || !valid_version (parts[0]))
    return NULL;
  *out_version = g_strdup (parts[0]);
  return g_strdupv (parts + 1);
}

static void
shopify_handle (CpSandboxPlatform *platform,
                CpSandboxServer   *server,
                SoupServerMessage *msg,
                const char        *path)
{
  CpSandboxShopify *self = CP_SANDBOX_SHOPIFY (platform);
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  const char *token = soup_message_headers_get_one (req, "X-Shopify-Access-Token");
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *version = NULL;
  g_auto(GStrv) segments = split_path (path, &version);
  GStrv scopes;

  g_mutex_lock (&self->mutex);
  scopes = token != NULL ? g_hash_table_lookup (self->tokens, token) : NULL;
  if (scopes == NULL)
    {
      rest_error (msg, SOUP_STATUS_UNAUTHORIZED,
                  "[API] Invalid API key or access token (unrecognized login or wrong password)");
    }
  else if (segments == NULL)
    rest_error (msg, SOUP_STATUS_NOT_FOUND, "Not Found");
  else if (g_str_equal (segments[0], "graphql.json") && segments[1] == NULL)
    {
      soup_message_headers_replace (resp, "X-Shopify-API-Version", served_version (version));
      g_hash_table_insert (self->versions, g_strdup (version),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->versions,
                                                                                    version)) + 1));
      if (!g_str_equal (method, "POST"))
        rest_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed");
      else
        serve_graphql (self, server, msg, served_version (version), scopes);
    }
  else
    {
      soup_message_headers_replace (resp, "X-Shopify-API-Version", version);
      serve_rest (self, server, msg, method, segments);
    }
  g_mutex_unlock (&self->mutex);
}

static const char *
shopify_classify (CpSandboxPlatform *platform,
                  const char        *method,
                  const char        *path)
{
  g_autofree char *version = NULL;
  g_auto(GStrv) segments = split_path (path, &version);

  if (segments == NULL)
    return NULL;
  if (g_str_equal (segments[0], "graphql.json"))
    return "POST /admin/api/{version}/graphql.json";
  if (g_str_equal (segments[0], "variants"))
    return "GET /admin/api/{version}/variants/{id}.json";
  if (g_str_equal (segments[0], "inventory_levels"))
    return "POST /admin/api/{version}/inventory_levels/set.json";
  return NULL;
}

static const char *
shopify_get_name (CpSandboxPlatform *platform)
{
  return "shopify";
}

static const char *
shopify_get_api_path (CpSandboxPlatform *platform)
{
  /* The base URL is the shop's; the connector adds /admin/api/{version}. */
  return "";
}

static void
shopify_write_error (CpSandboxPlatform *platform,
                     SoupServerMessage *msg,
                     guint              status,
                     const char        *code,
                     const char        *message)
{
  if (status == CP_SANDBOX_STATUS_TOO_MANY_REQUESTS)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Retry-After", "2.0");
  rest_error (msg, status, message);
}

static void
platform_iface_init (CpSandboxPlatformInterface *iface)
{
  iface->get_name = shopify_get_name;
  iface->get_api_path = shopify_get_api_path;
  iface->classify = shopify_classify;
  iface->handle = shopify_handle;
  iface->write_error = shopify_write_error;
}

static void
cp_sandbox_shopify_finalize (GObject *object)
{
  CpSandboxShopify *self = CP_SANDBOX_SHOPIFY (object);

  shopify_store_free (self->store);
  g_hash_table_unref (self->tokens);
  g_hash_table_unref (self->replies);
  g_hash_table_unref (self->versions);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cp_sandbox_shopify_parent_class)->finalize (object);
}

static void
cp_sandbox_shopify_class_init (CpSandboxShopifyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_sandbox_shopify_finalize;
}

static void
cp_sandbox_shopify_init (CpSandboxShopify *self)
{
  gint64 now = g_get_monotonic_time ();

  g_mutex_init (&self->mutex);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  g_hash_table_insert (self->tokens, g_strdup (CP_SANDBOX_SHOPIFY_DEFAULT_TOKEN),
                       g_strsplit (CP_SANDBOX_SHOPIFY_ALL_SCOPES, ",", -1));
  self->default_token = TRUE;
  self->replies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->bucket = (Bucket) { CP_SANDBOX_SHOPIFY_DEFAULT_BUCKET, CP_SANDBOX_SHOPIFY_DEFAULT_BUCKET,
                            CP_SANDBOX_SHOPIFY_DEFAULT_RESTORE, now };
  self->rest = (Bucket) { 0, 40, 2, now };
  self->mutation_cost = CP_SANDBOX_SHOPIFY_DEFAULT_MUTATION_COST;
  self->per_input_cost = 1;
  self->connection_base = 2;
}

CpSandboxShopify *
cp_sandbox_shopify_new_sized (guint n_products,
                              guint n_orders)
{
  CpSandboxShopify *self = g_object_new (CP_TYPE_SANDBOX_SHOPIFY, NULL);

  self->store = shopify_store_new (n_products, n_orders);
  return self;
}

CpSandboxShopify *
cp_sandbox_shopify_new (void)
{
  return cp_sandbox_shopify_new_sized (40, 30);
}

