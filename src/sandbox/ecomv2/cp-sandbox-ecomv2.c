/* cp-sandbox-ecomv2.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ecomv2 fake's front door: Bearer API keys, the per-key rate limit
 * with its 2× burst, routing, ETags. The seed documents the limit as
 * "requests per window" with X-RateLimit-Reset as the window's end, so the
 * limiter counts in fixed windows rather than with a token bucket.
 */

#define G_LOG_DOMAIN "cp-sandbox-ecomv2"

#include "config.h"

#include <string.h>

#include <gnutls/crypto.h>

#include "cp-sandbox-ecomv2-private.h"

typedef struct
{
  gint64 window_start;   /* Unix seconds */
  guint  count;          /* requests let through in this window */
} RateState;

struct _CpSandboxEcomv2
{
  GObject      parent_instance;

  GMutex       mutex;      /* the store and the settings: the server thread
                            * serves while a test reads and reconfigures */
  Ecomv2Store *store;
  GStrv        api_keys;
  guint        limit;
  guint        window_s;
  guint        burst;      /* requests pass until burst × limit */
  GHashTable  *rates;      /* api key → RateState */
  guint64      next_request;
  guint        n_rate_limited; /* 429s of the limiter itself, not injected */
};

static void platform_iface_init (CpSandboxPlatformInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CpSandboxEcomv2, cp_sandbox_ecomv2, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CP_TYPE_SANDBOX_PLATFORM, platform_iface_init))

typedef struct
{
  const char    *method;
  const char    *pattern;   /* after /v2; {x} matches one segment */
  const char    *label;
  Ecomv2Handler  handler;
} Route;

static const Route routes[] = {
  { "GET", "/products", "GET /products", ecomv2_products_list },
  { "POST", "/products", "POST /products", ecomv2_product_create },
  { "GET", "/products/{id}", "GET /products/{id}", ecomv2_product_get },
  { "PUT", "/products/{id}", "PUT /products/{id}", ecomv2_product_update },
  { "GET", "/inventory/{product_id}", "GET /inventory/{product_id}", ecomv2_inventory_get },
  { "POST", "/inventory/{product_id}/adjust", "POST /inventory/{product_id}/adjust", ecomv2_inventory_adjust },
  { "GET", "/orders", "GET /orders", ecomv2_orders_list },
  { "GET", "/orders/{id}", "GET /orders/{id}", ecomv2_order_get },
  { "PATCH", "/orders/{id}/status", "PATCH /orders/{id}/status", ecomv2_order_status },
  { "PATCH", "/batch/update", "PATCH /batch/update", ecomv2_batch_update },
};

/* PATH as the server passes it ("/v2/products/42"): the segments after the
 * version, or NULL when it is not under /v2. */
static char **
split_api_path (const char *path)
{
  if (!g_str_has_prefix (path, "/v2/"))
    return NULL;
  return g_strsplit (path + strlen ("/v2/"), "/", -1);
}

static const Route *
find_route (const char  *method,
            char       **segments)
{
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_auto(GStrv) pattern = g_strsplit (routes[i].pattern + 1, "/", -1);
      guint n = g_strv_length (pattern);
      gboolean match = g_strv_length (segments) == n && g_str_equal (method, routes[i].method);

      for (guint k = 0; match && k < n; k++)
        {
          if (pattern[k][0] == '{')
            match = segments[k][0] != '\0';
          else
            match = g_str_equal (pattern[k], segments[k]);
        }
      if (match)
        return &routes[i];
    }
  return NULL;
}

void
ecomv2_error_body (SoupServerMessage *msg,
                   guint              status,
                   const char        *code,
                   const char        *message,
                   const char        *field,
                   const char        *field_message,
                   const char        *request_id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  gsize len = 0;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  if (field != NULL)
    {
      json_builder_set_member_name (b, "details");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, field);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, field_message ? field_message : message);
      json_builder_end_object (b);
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "request_id");
  json_builder_add_string_value (b, request_id);
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  body = json_to_string (root, FALSE);
  len = strlen (body);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&body), len);
}

void
ecomv2_error (Ecomv2Request *r,
              guint          status,
              const char    *code,
              const char    *message,
              const char    *field,
              const char    *field_message)
{
  ecomv2_error_body (r->msg, status, code, message, field, field_message, r->request_id);
}

void
ecomv2_respond (Ecomv2Request *r,
                guint          status,
                JsonBuilder   *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  char *body = json_to_string (root, FALSE);

  soup_server_message_set_status (r->msg, status, NULL);
  soup_server_message_set_response (r->msg, "application/json", SOUP_MEMORY_TAKE,
                                    body, strlen (body));
}

void
ecomv2_respond_text (Ecomv2Request *r,
                     guint          status,
                     GString       *body)
{
  gsize len = body->len;

  soup_server_message_set_status (r->msg, status, NULL);
  soup_server_message_set_response (r->msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_string_free (body, FALSE), len);
}

JsonObject *
ecomv2_read_body (Ecomv2Request *r,
                  JsonParser   **out_parser)
{
  SoupMessageBody *body = soup_server_message_get_request_body (r->msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (body->length == 0 ||
      !json_parser_load_from_data (parser, body->data, body->length, &error))
    {
      ecomv2_error (r, SOUP_STATUS_BAD_REQUEST, "validation_error",
                    "The request body must be a JSON object", NULL, NULL);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      ecomv2_error (r, SOUP_STATUS_BAD_REQUEST, "validation_error",
                    "The request body must be a JSON object", NULL, NULL);
      return NULL;
    }
  *out_parser = g_steal_pointer (&parser);
  return json_node_get_object (root);
}

static void
set_header_uint (SoupMessageHeaders *headers,
                 const char         *name,
                 gint64              value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  soup_message_headers_replace (headers, name, text);
}

/* Returns FALSE after answering 429. Called with the mutex held. */
static gboolean
check_rate (CpSandboxEcomv2   *self,
            SoupServerMessage *msg,
            const char        *key,
            const char        *request_id)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  RateState *state;
  gint64 reset;

  /* Off, but still seed 001's headers on every answer ("Rate limit
   * information is included in response headers"), reporting a budget no
   * client reaches: without them a client must assume the cautious
   * default of seed 003 (60 a minute), so the unlimited fake would be the
   * slowest one to sync with. */
  if (self->limit == 0)
    {
      set_header_uint (headers, "X-RateLimit-Limit", G_MAXINT32);
      set_header_uint (headers, "X-RateLimit-Remaining", G_MAXINT32);
      set_header_uint (headers, "X-RateLimit-Reset", now - now % self->window_s + self->window_s);
      return TRUE;
    }

  state = g_hash_table_lookup (self->rates, key);
  if (state == NULL)
    {
      state = g_new0 (RateState, 1);
      g_hash_table_insert (self->rates, g_strdup (key), state);
    }
  if (now >= state->window_start + self->window_s)
    {
      state->window_start = now - now % self->window_s;
      state->count = 0;
    }
  reset = state->window_start + self->window_s;

  set_header_uint (headers, "X-RateLimit-Limit", self->limit);
  set_header_uint (headers, "X-RateLimit-Reset", reset);

  /* "Short bursts above your limit are allowed (up to 2x)": requests past
   * the limit still pass, with Remaining at 0, until twice the limit. */
  if (state->count >= self->burst * self->limit)
    {
      set_header_uint (headers, "X-RateLimit-Remaining", 0);
      set_header_uint (headers, "Retry-After", MAX (1, reset - now));
      self->n_rate_limited++;
      ecomv2_error_body (msg, CP_SANDBOX_STATUS_TOO_MANY_REQUESTS, "rate_limit_exceeded",
                         "Too many requests: wait until the rate limit window resets",
                         NULL, NULL, request_id);
      return FALSE;
    }
  state->count++;
  set_header_uint (headers, "X-RateLimit-Remaining",
                   state->count >= self->limit ? 0 : self->limit - state->count);
  return TRUE;
}

static gboolean
etag_matches (const char *if_none_match,
              const char *etag)
{
  g_auto(GStrv) tags = NULL;

  if (if_none_match == NULL)
    return FALSE;
  tags = g_strsplit (if_none_match, ",", -1);
  for (guint i = 0; tags[i] != NULL; i++)
    {
      const char *tag = g_strstrip (tags[i]);

      if (g_str_has_prefix (tag, "W/"))
        tag += 2;
      if (g_str_equal (tag, "*") || g_str_equal (tag, etag))
        return TRUE;
    }
  return FALSE;
}

/* "All GET endpoints return an ETag header": a hash of the body, so that it
 * changes exactly when the representation does. GnuTLS hashes it: GLib's
 * SHA-256 took the fake half its time serving a page of 200 orders, and
 * GnuTLS's uses the CPU's SHA instructions where it has them. The same
 * digest either way, so the same ETag. */
static void
apply_etag (SoupServerMessage *msg)
{
  static const char hex[] = "0123456789abcdef";
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (body, &len);
  guint8 digest[32];
  char etag[1 + 32 + 1 + 1];

  if (len == 0 || gnutls_hash_fast (GNUTLS_DIG_SHA256, data, len, digest) < 0)
    {
      GChecksum *checksum = g_checksum_new (G_CHECKSUM_SHA256);
      gsize digest_len = sizeof digest;

      g_checksum_update (checksum, data, len);
      g_checksum_get_digest (checksum, digest, &digest_len);
      g_checksum_free (checksum);
    }
  /* the first 16 bytes in hex, quoted */
  etag[0] = '"';
  for (guint i = 0; i < 16; i++)
    {
      etag[1 + 2 * i] = hex[digest[i] >> 4];
      etag[2 + 2 * i] = hex[digest[i] & 0xf];
    }
  etag[33] = '"';
  etag[34] = '\0';

  soup_message_headers_replace (resp, "ETag", etag);
  soup_message_headers_replace (resp, "Cache-Control", "private, no-cache");

  if (etag_matches (soup_message_headers_get_one (req, "If-None-Match"), etag))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
    }
}

static gboolean
key_accepted (CpSandboxEcomv2 *self,
              const char      *key)
{
  return key != NULL && *key != '\0' && g_strv_contains ((const char * const *) self->api_keys, key);
}

static void
ecomv2_handle (CpSandboxPlatform *platform,
               CpSandboxServer   *server,
               SoupServerMessage *msg,
               const char        *path)
{
  CpSandboxEcomv2 *self = CP_SANDBOX_ECOMV2 (platform);
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  const char *auth = soup_message_headers_get_one (req, "Authorization");
  const char *method = soup_server_message_get_method (msg);
  const char *query_text = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autofree char *request_id = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_auto(GStrv) segments = split_api_path (path);
  const char *key = NULL;
  const Route *route;
  Ecomv2Request r = { 0 };

  g_mutex_lock (&self->mutex);
  request_id = g_strdup_printf ("req_%06" G_GINT64_MODIFIER "x%08x",
                                ++self->next_request, g_random_int ());

  if (auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    key = auth + 7;
  if (!key_accepted (self, key))
    {
      ecomv2_error_body (msg, SOUP_STATUS_UNAUTHORIZED, "authentication_error",
                         auth == NULL ? "Missing API key: send Authorization: Bearer YOUR_API_KEY"
                                      : "Invalid API key or token",
                         NULL, NULL, request_id);
      g_mutex_unlock (&self->mutex);
      return;
    }

  if (!check_rate (self, msg, key, request_id))
    {
      g_mutex_unlock (&self->mutex);
      return;
    }

  route = segments ? find_route (method, segments) : NULL;
  if (route == NULL)
    {
      ecomv2_error_body (msg, SOUP_STATUS_NOT_FOUND, "not_found",
                         "No such endpoint in API v2", NULL, NULL, request_id);
      g_mutex_unlock (&self->mutex);
      return;
    }

  if (query_text != NULL)
    query = g_uri_parse_params (query_text, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  if (query == NULL)
    query = g_hash_table_new (g_str_hash, g_str_equal);

  r.server = server;
  r.msg = msg;
  r.store = self->store;
  r.query = query;
  r.segments = segments;
  r.request_id = request_id;
  route->handler (&r);
  g_mutex_unlock (&self->mutex);

  if (g_str_equal (method, "GET") && soup_server_message_get_status (msg) == SOUP_STATUS_OK)
    apply_etag (msg);
}

static const char *
ecomv2_classify (CpSandboxPlatform *platform,
                 const char        *method,
                 const char        *path)
{
  g_auto(GStrv) segments = split_api_path (path);
  const Route *route = segments ? find_route (method, segments) : NULL;

  return route ? route->label : NULL;
}

static const char *
ecomv2_get_name (CpSandboxPlatform *platform)
{
  return "ecomv2";
}

static const char *
ecomv2_get_api_path (CpSandboxPlatform *platform)
{
  return "/v2";
}

static void
ecomv2_write_error (CpSandboxPlatform *platform,
                    SoupServerMessage *msg,
                    guint              status,
                    const char        *code,
                    const char        *message)
{
  CpSandboxEcomv2 *self = CP_SANDBOX_ECOMV2 (platform);
  g_autofree char *request_id = NULL;

  g_mutex_lock (&self->mutex);
  request_id = g_strdup_printf ("req_%06" G_GINT64_MODIFIER "x%08x",
                                ++self->next_request, g_random_int ());
  g_mutex_unlock (&self->mutex);
  ecomv2_error_body (msg, status, code, message, NULL, NULL, request_id);
}

static void
platform_iface_init (CpSandboxPlatformInterface *iface)
{
  iface->get_name = ecomv2_get_name;
  iface->get_api_path = ecomv2_get_api_path;
  iface->classify = ecomv2_classify;
  iface->handle = ecomv2_handle;
  iface->write_error = ecomv2_write_error;
}

static void
cp_sandbox_ecomv2_finalize (GObject *object)
{
  CpSandboxEcomv2 *self = CP_SANDBOX_ECOMV2 (object);

  ecomv2_store_free (self->store);
  g_strfreev (self->api_keys);
  g_hash_table_unref (self->rates);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cp_sandbox_ecomv2_parent_class)->finalize (object);
}

static void
cp_sandbox_ecomv2_class_init (CpSandboxEcomv2Class *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_sandbox_ecomv2_finalize;
}

static void
cp_sandbox_ecomv2_init (CpSandboxEcomv2 *self)
{
  const char *keys[] = { CP_SANDBOX_ECOMV2_DEFAULT_KEY, NULL };

  g_mutex_init (&self->mutex);
  self->api_keys = g_strdupv ((char **) keys);
  self->limit = CP_SANDBOX_ECOMV2_DEFAULT_LIMIT;
  self->window_s = CP_SANDBOX_ECOMV2_DEFAULT_WINDOW_S;
  self->burst = 2;
  self->rates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

CpSandboxEcomv2 *
cp_sandbox_ecomv2_new_sized (guint n_products,
                             guint n_orders)
{
  CpSandboxEcomv2 *self = g_object_new (CP_TYPE_SANDBOX_ECOMV2, NULL);

  self->store = ecomv2_store_new (n_products, n_orders);
  return self;
}

CpSandboxEcomv2 *
cp_sandbox_ecomv2_new (void)
{
  return cp_sandbox_ecomv2_new_sized (300, 120);
}

void
cp_sandbox_ecomv2_set_api_keys (CpSandboxEcomv2    *self,
                                const char * const *keys)
{
  g_return_if_fail (CP_IS_SANDBOX_ECOMV2 (self));

  g_mutex_lock (&self->mutex);
  g_strfreev (self->api_keys);
  self->api_keys = g_strdupv ((char **) keys);
  g_mutex_unlock (&self->mutex);
}

void
cp_sandbox_ecomv2_set_rate_limit (CpSandboxEcomv2 *self,
                                  guint            limit,
                                  guint            window_s)
{
  g_return_if_fail (CP_IS_SANDBOX_ECOMV2 (self));
  g_return_if_fail (window_s > 0);

  g_mutex_lock (&self->mutex);
  self->limit = limit;
  self->window_s = window_s;
  g_hash_table_remove_all (self->rates);
  g_mutex_unlock (&self->mutex);
}

void
cp_sandbox_ecomv2_set_burst_factor (CpSandboxEcomv2 *self,
                                    guint            factor)
{
  g_return_if_fail (CP_IS_SANDBOX_ECOMV2 (self));
  g_return_if_fail (factor >= 1);

  g_mutex_lock (&self->mutex);
  self->burst = factor;
  g_mutex_unlock (&self->mutex);
}

guint
cp_sandbox_ecomv2_get_n_products (CpSandboxEcomv2 *self)
{
  guint n;

  g_return_val_if_fail (CP_IS_SANDBOX_ECOMV2 (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->store->products->len;
  g_mutex_unlock (&self->mutex);
  return n;
}

guint
cp_sandbox_ecomv2_get_n_orders (CpSandboxEcomv2 *self)
{
  guint n;

  g_return_val_if_fail (CP_IS_SANDBOX_ECOMV2 (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->store->orders->len;
  g_mutex_unlock (&self->mutex);
  return n;
}

guint
cp_sandbox_ecomv2_get_n_rate_limited (CpSandboxEcomv2 *self)
{
  guint n;

  g_return_val_if_fail (CP_IS_SANDBOX_ECOMV2 (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->n_rate_limited;
  g_mutex_unlock (&self->mutex);
  return n;
}

void
cp_sandbox_ecomv2_add_orders (CpSandboxEcomv2 *self,
                              guint            n_orders,
                              guint32          seed)
{
  g_return_if_fail (CP_IS_SANDBOX_ECOMV2 (self));

  g_mutex_lock (&self->mutex);
  ecomv2_store_add_orders (self->store, n_orders, seed);
  g_mutex_unlock (&self->mutex);
}

void
cp_sandbox_ecomv2_set_currency (CpSandboxEcomv2 *self,
                                const char      *currency)
{
  g_return_if_fail (CP_IS_SANDBOX_ECOMV2 (self));
  g_return_if_fail (currency != NULL && strlen (currency) == 3);

  g_mutex_lock (&self->mutex);
  g_strlcpy (self->store->currency, currency, sizeof self->store->currency);
  g_mutex_unlock (&self->mutex);
}

gint64
cp_sandbox_ecomv2_get_available (CpSandboxEcomv2 *self,
                                 const char      *sku,
                                 const char      *warehouse)
{
  Ecomv2Product *p;
  int w = ecomv2_warehouse_index (warehouse);
  gint64 n = -1;

  g_return_val_if_fail (CP_IS_SANDBOX_ECOMV2 (self), -1);

  g_mutex_lock (&self->mutex);
  p = ecomv2_store_find_product (self->store, sku);
  if (p != NULL && w >= 0)
    n = p->available[w];
  g_mutex_unlock (&self->mutex);
  return n;
}

char *
cp_sandbox_ecomv2_dup_product_status (CpSandboxEcomv2 *self,
                                      const char      *sku)
{
  Ecomv2Product *p;
  char *status = NULL;

  g_return_val_if_fail (CP_IS_SANDBOX_ECOMV2 (self), NULL);

  g_mutex_lock (&self->mutex);
  p = ecomv2_store_find_product (self->store, sku);
  if (p != NULL)
    status = g_strdup (p->status);
  g_mutex_unlock (&self->mutex);
  return status;
}

char *
cp_sandbox_ecomv2_dup_order_status (CpSandboxEcomv2 *self,
                                    const char      *order_id)
{
  Ecomv2Order *o;
  char *status = NULL;

  g_return_val_if_fail (CP_IS_SANDBOX_ECOMV2 (self), NULL);

  g_mutex_lock (&self->mutex);
  o = ecomv2_store_find_order (self->store, order_id);
  if (o != NULL)
    status = g_strdup (o->status);
  g_mutex_unlock (&self->mutex);
  return status;
}
