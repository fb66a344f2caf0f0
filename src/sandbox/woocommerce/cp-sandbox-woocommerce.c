/* cp-sandbox-woocommerce.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The WooCommerce fake's front door: authentication as the platform does
 * it on plain http (OAuth 1.0a one-legged, the signature checked over the
 * URL and query the fake itself received, timestamps within 15 minutes,
 * nonces used once), the key's read/write permission, an optional rate
 * limit, and routing. When the sandbox server serves https, HTTP Basic
 * with the consumer key and secret (or the consumer_key/consumer_secret
 * query pair) is accepted first, as WC_REST_Authentication does when
 * is_ssl(); over plain http Basic logs nobody in, as there.
 */

#define G_LOG_DOMAIN "cp-sandbox-woocommerce"

#include "config.h"

#include <string.h>

#include "cp-sandbox-woocommerce-private.h"

#define API_PREFIX "/wp-json/wc/v3/"
#define OAUTH_MAX_SKEW_S (15 * 60)


static void platform_iface_init (CpSandboxPlatformInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CpSandboxWoocommerce, cp_sandbox_woocommerce, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CP_TYPE_SANDBOX_PLATFORM, platform_iface_init))

typedef struct
{
  const char *method;
  const char *pattern;   /* after /wp-json/wc/v3/; {id} matches digits */
  const char *label;
  WooHandler  handler;
} Route;

static const Route routes[] = {
  { "GET", "products", "GET /products", woo_products_list },
  { "POST", "products", "POST /products", woo_product_create },
  { "POST", "products/batch", "POST /products/batch", woo_products_batch },
  { "GET", "products/categories", "GET /products/categories", woo_categories_list },
  { "POST", "products/categories", "POST /products/categories", woo_category_create },
  { "GET", "products/{id}", "GET /products/{id}", woo_product_get },
  { "PUT", "products/{id}", "PUT /products/{id}", woo_product_update },
  { "GET", "products/{id}/variations", "GET /products/{id}/variations", woo_variations_list },
  { "POST", "products/{id}/variations/batch", "POST /products/{id}/variations/batch", woo_variations_batch },
  { "PUT", "products/{id}/variations/{id}", "PUT /products/{id}/variations/{id}", woo_variation_update },
  { "GET", "orders", "GET /orders", woo_orders_list },
  { "GET", "orders/{id}", "GET /orders/{id}", woo_order_get },
  { "PUT", "orders/{id}", "PUT /orders/{id}", woo_order_update },
  { "GET", "orders/{id}/refunds", "GET /orders/{id}/refunds", woo_refunds_list },
  { "POST", "orders/{id}/refunds", "POST /orders/{id}/refunds", woo_refund_create },
  { "GET", "settings/general", "GET /settings/general", woo_settings_general },
};

static gboolean
is_digits (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static const Route *
find_route (const char  *method,
            char       **segments)
{
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_auto(GStrv) pattern = g_strsplit (routes[i].pattern, "/", -1);
      guint n = g_strv_length (pattern);
      gboolean match = g_strv_length (segments) == n && g_str_equal (method, routes[i].method);

      for (guint k = 0; match && k < n; k++)
        match = g_str_equal (pattern[k], "{id}") ? is_digits (segments[k])
                                                 : g_str_equal (pattern[k], segments[k]);
      if (match)
        return &routes[i];
    }
  return NULL;
}

static char **
split_api_path (const char *path)
{
  g_autofree char *trimmed = NULL;
  gsize len;

  if (!g_str_has_prefix (path, API_PREFIX))
    return NULL;
  trimmed = g_strdup (path + strlen (API_PREFIX));
  len = strlen (trimmed);
  while (len > 0 && trimmed[len - 1] == '/')
    trimmed[--len] = '\0';
  return g_strsplit (trimmed, "/", -1);
}

void
woo_error_body (SoupServerMessage *msg,
                guint              status,
                const char        *code,
                const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  char *body;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "data");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, status);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = json_to_string (root, FALSE);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=UTF-8", SOUP_MEMORY_TAKE,
                                    body, strlen (body));
}

void
woo_error (WooRequest *r,
           guint       status,
           const char *code,
           const char *message)
{
  woo_error_body (r->msg, status, code, message);
}

void
woo_respond (WooRequest  *r,
             guint        status,
             JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  char *body = json_to_string (root, FALSE);

  soup_server_message_set_status (r->msg, status, NULL);
  soup_server_message_set_response (r->msg, "application/json; charset=UTF-8", SOUP_MEMORY_TAKE,
                                    body, strlen (body));
}

JsonObject *
woo_read_body (WooRequest  *r,
               JsonParser **out_parser)
{
  SoupMessageBody *body = soup_server_message_get_request_body (r->msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (body->length == 0 ||
      !json_parser_load_from_data (parser, body->data, body->length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      woo_error (r, SOUP_STATUS_BAD_REQUEST, "rest_invalid_json",
                 "Invalid JSON body passed.");
      return NULL;
    }
  *out_parser = g_steal_pointer (&parser);
  return json_node_get_object (root);
}

static gboolean
read_uint_param (GHashTable *query,
                 const char *name,
                 guint       fallback,
                 guint       min,
                 guint       max,
                 guint      *out)
{
  const char *text = g_hash_table_lookup (query, name);
  guint64 value;

  if (text == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

gboolean
woo_read_paging (WooRequest *r,
                 guint      *out_per_page,
                 guint      *out_page)
{
  if (!read_uint_param (r->query, "per_page", 10, 1, CP_SANDBOX_WOOCOMMERCE_MAX_PAGE, out_per_page))
    {
      woo_error (r, SOUP_STATUS_BAD_REQUEST, "rest_invalid_param",
                 "Invalid parameter(s): per_page");
      return FALSE;
    }
  if (!read_uint_param (r->query, "page", 1, 1, G_MAXINT, out_page))
    {
      woo_error (r, SOUP_STATUS_BAD_REQUEST, "rest_invalid_param", "Invalid parameter(s): page");
      return FALSE;
    }
  return TRUE;
}

static char *
page_link (SoupServerMessage *msg,
           guint              page)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *base = g_uri_to_string_partial (uri, G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT);
  g_auto(GStrv) parts = query ? g_strsplit (query, "&", -1) : g_new0 (char *, 1);

  g_string_append (out, base);
  g_string_append_printf (out, "?page=%u", page);
  for (guint i = 0; parts[i] != NULL; i++)
    if (!g_str_has_prefix (parts[i], "page=") && !g_str_has_prefix (parts[i], "oauth_"))
      g_string_append_printf (out, "&%s", parts[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
woo_set_paging_headers (WooRequest *r,
                        guint       total,
                        guint       per_page,
                        guint       page)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (r->msg);
  guint pages = (total + per_page - 1) / per_page;
  g_autofree char *total_text = g_strdup_printf ("%u", total);
  g_autofree char *pages_text = g_strdup_printf ("%u", pages);
  g_autoptr(GString) link = g_string_new (NULL);

  soup_message_headers_replace (headers, "X-WP-Total", total_text);
  soup_message_headers_replace (headers, "X-WP-TotalPages", pages_text);
  if (page > 1)
    {
      g_autofree char *prev = page_link (r->msg, MIN (page - 1, MAX (pages, 1)));

      g_string_append_printf (link, "<%s>; rel=\"prev\"", prev);
    }
  if (page < pages)
    {
      g_autofree char *next = page_link (r->msg, page + 1);

      g_string_append_printf (link, "%s<%s>; rel=\"next\"", link->len ? ", " : "", next);
    }
  if (link->len > 0)
    soup_message_headers_replace (headers, "Link", link->str);
}

/* RFC 3986 percent-encoding, as OAuth 1.0a wants it. */
static char *
pct (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The signature WooCommerce computes for the request (class
 * WC_REST_Authentication::check_oauth_signature): the base string of
 * method, URL and the sorted, encoded parameters less the signature. */
static char *
expected_signature (SoupServerMessage *msg,
                    GHashTable        *query,
                    const char        *secret,
                    GChecksumType      type)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *url = g_uri_to_string_partial (uri, G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT |
                                                        G_URI_HIDE_USERINFO);
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) params = g_string_new (NULL);
  g_autofree char *enc_url = pct (url);
  g_autofree char *enc_params = NULL;
  g_autofree char *base = NULL;
  g_autofree char *key = g_strconcat (secret, "&", NULL);
  GHashTableIter iter;
  gpointer k, v;
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autoptr(GHmac) hmac = g_hmac_new (type, (const guchar *) key, strlen (key));

  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      g_autofree char *ek = NULL, *ev = NULL;

      if (g_str_equal (k, "oauth_signature"))
        continue;
      ek = pct (k);
      ev = pct (v);
      g_ptr_array_add (pairs, g_strconcat (ek, "=", ev, NULL));
    }
  g_ptr_array_sort (pairs, compare_pairs);
  for (guint i = 0; i < pairs->len; i++)
    g_string_append_printf (params, "%s%s", i ? "&" : "", (char *) g_ptr_array_index (pairs, i));
  enc_params = pct (params->str);
  base = g_strconcat (soup_server_message_get_method (msg), "&", enc_url, "&", enc_params, NULL);
  g_hmac_update (hmac, (const guchar *) base, strlen (base));
  g_hmac_get_digest (hmac, digest, &len);
  return g_base64_encode (digest, len);
}

static gboolean
constant_time_equal (const char *a,
                     const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  guint8 diff = la != lb;

  for (gsize i = 0; i < MIN (la, lb); i++)
    diff |= (guint8) (a[i] ^ b[i]);
  return diff == 0;
}

/* The key and secret of an "Authorization: Basic" header (PHP's
 * PHP_AUTH_USER and PHP_AUTH_PW), else of the consumer_key and
 * consumer_secret query parameters, as perform_basic_authentication()
 * reads them. FALSE when the request carries neither. */
static gboolean
basic_credentials (SoupServerMessage  *msg,
                   GHashTable         *query,
                   char              **out_key,
                   char              **out_secret)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");

  if (header != NULL && g_ascii_strncasecmp (header, "Basic ", 6) == 0)
    {
      gsize len = 0;
      g_autofree guchar *decoded = g_base64_decode (header + 6, &len);
      g_autofree char *pair = g_strndup ((const char *) decoded, len);
      char *colon = strchr (pair, ':');

      if (decoded != NULL)
        memset (decoded, 0, len);
      if (colon != NULL)
        {
          *colon = '\0';
          *out_key = g_strdup (pair);
          *out_secret = g_strdup (colon + 1);
          memset (colon + 1, 0, strlen (colon + 1));
          return TRUE;
        }
    }
  if (g_hash_table_contains (query, "consumer_key") &&
      g_hash_table_contains (query, "consumer_secret"))
    {
      *out_key = g_strdup (g_hash_table_lookup (query, "consumer_key"));
      *out_secret = g_strdup (g_hash_table_lookup (query, "consumer_secret"));
      return TRUE;
    }
  return FALSE;
}

/* Over https: TRUE when Basic credentials were given and are right,
 * FALSE after answering 401 when they were given and are wrong; *TRIED
 * FALSE when there were none (OAuth may still follow, as on
 * WooCommerce). Called with the mutex held. */
static gboolean
authenticate_basic (CpSandboxWoocommerce *self,
                    SoupServerMessage    *msg,
                    GHashTable           *query,
                    gboolean             *tried)
{
  g_autofree char *key = NULL;
  g_autofree char *secret = NULL;
  gboolean ok;

  *tried = basic_credentials (msg, query, &key, &secret);
  if (!*tried)
    return FALSE;
  if (g_strcmp0 (key, self->consumer_key) != 0)
    {
      woo_error_body (msg, SOUP_STATUS_UNAUTHORIZED, "woocommerce_rest_authentication_error",
                      "Consumer key is invalid.");
      ok = FALSE;
    }
  else if (!constant_time_equal (secret, self->consumer_secret))
    {
      woo_error_body (msg, SOUP_STATUS_UNAUTHORIZED, "woocommerce_rest_authentication_error",
                      "Consumer secret is invalid.");
      ok = FALSE;
    }
  else
    {
      self->n_basic_logins++;
      ok = TRUE;
    }
  memset (secret, 0, strlen (secret));
  return ok;
}

/* Returns FALSE after answering 401. Called with the mutex held. */
static gboolean
authenticate (CpSandboxWoocommerce *self,
              SoupServerMessage    *msg,
              GHashTable           *query,
              gboolean              https)
{
  const char *key = g_hash_table_lookup (query, "oauth_consumer_key");
  const char *signature = g_hash_table_lookup (query, "oauth_signature");
  const char *method = g_hash_table_lookup (query, "oauth_signature_method");
  const char *timestamp = g_hash_table_lookup (query, "oauth_timestamp");
  const char *nonce = g_hash_table_lookup (query, "oauth_nonce");
  g_autofree char *expected = NULL;
  g_autofree char *nonce_key = NULL;
  GChecksumType type;
  gint64 ts, now = g_get_real_time () / G_USEC_PER_SEC;

  if (https)
    {
      gboolean tried = FALSE;
      gboolean ok = authenticate_basic (self, msg, query, &tried);

      if (tried)
        return ok;
    }
  if (key == NULL)
    {
      /* No OAuth: on plain http Basic, query-string keys or nothing;
       * over https nothing at all. None of them logs anyone in. */
      woo_error_body (msg, SOUP_STATUS_UNAUTHORIZED, "woocommerce_rest_cannot_view",
                      "Sorry, you cannot list resources.");
      return FALSE;
    }
  if (g_strcmp0 (key, self->consumer_key) != 0)
    {
      woo_error_body (msg, SOUP_STATUS_UNAUTHORIZED, "woocommerce_rest_authentication_error",
                      "Consumer key is invalid.");
      return FALSE;
    }
  if (g_strcmp0 (method, "HMAC-SHA1") == 0)
    type = G_CHECKSUM_SHA1;
  else if (g_strcmp0 (method, "HMAC-SHA256") == 0)
    type = G_CHECKSUM_SHA256;
  else
    {
      woo_error_body (msg, SOUP_STATUS_UNAUTHORIZED, "woocommerce_rest_authentication_error",
                      "Invalid signature - signature method is invalid.");
      return FALSE;
    }
  if (signature == NULL || nonce == NULL || timestamp == NULL ||
      !g_ascii_string_to_signed (timestamp, 10, 0, G_MAXINT64, &ts, NULL) ||
      ts < now - OAUTH_MAX_SKEW_S || ts > now + OAUTH_MAX_SKEW_S)
    {
      woo_error_body (msg, SOUP_STATUS_UNAUTHORIZED, "woocommerce_rest_authentication_error",
                      "Invalid timestamp.");
      return FALSE;
    }
  expected = expected_signature (msg, query, self->consumer_secret, type);
  if (!constant_time_equal (expected, signature))
    {
      woo_error_body (msg, SOUP_STATUS_UNAUTHORIZED, "woocommerce_rest_authentication_error",
                      "Invalid signature - provided signature does not match.");
      return FALSE;
    }
  nonce_key = g_strconcat (timestamp, ":", nonce, NULL);
  if (g_hash_table_contains (self->nonces, nonce_key))
    {
      woo_error_body (msg, SOUP_STATUS_UNAUTHORIZED, "woocommerce_rest_authentication_error",
                      "Invalid nonce - nonce has already been used.");
      return FALSE;
    }
  g_hash_table_add (self->nonces, g_steal_pointer (&nonce_key));
  self->n_oauth_logins++;
  return TRUE;
}

guint
cp_sandbox_woocommerce_get_n_logins (CpSandboxWoocommerce *self,
                                     const char           *method)
{
  guint n;

  g_return_val_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self), 0);
  g_return_val_if_fail (g_strcmp0 (method, "basic") == 0 || g_strcmp0 (method, "oauth") == 0, 0);

  g_mutex_lock (&self->mutex);
  n = g_str_equal (method, "basic") ? self->n_basic_logins : self->n_oauth_logins;
  g_mutex_unlock (&self->mutex);
  return n;
}

static gboolean
check_permission (CpSandboxWoocommerce *self,
                  SoupServerMessage    *msg)
{
  gboolean reading = g_str_equal (soup_server_message_get_method (msg), "GET") ||
                     g_str_equal (soup_server_message_get_method (msg), "HEAD");

  if (reading && g_str_equal (self->permission, "write"))
    {
      woo_error_body (msg, SOUP_STATUS_UNAUTHORIZED, "woocommerce_rest_authentication_error",
                      "The API key provided does not have read permissions.");
      return FALSE;
    }
  if (!reading && g_str_equal (self->permission, "read"))
    {
      woo_error_body (msg, SOUP_STATUS_UNAUTHORIZED, "woocommerce_rest_authentication_error",
                      "The API key provided does not have write permissions.");
      return FALSE;
    }
  return TRUE;
}

/* Returns FALSE after answering 429. Called with the mutex held. */
static gboolean
check_rate (CpSandboxWoocommerce *self,
            SoupServerMessage    *msg)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (self->limit == 0)
    return TRUE;
  if (now >= self->window_start + self->window_s)
    {
      self->window_start = now - now % self->window_s;
      self->window_count = 0;
    }
  if (self->window_count >= self->limit)
    {
      g_autofree char *after = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                MAX (1, self->window_start + self->window_s - now));

      woo_error_body (msg, CP_SANDBOX_STATUS_TOO_MANY_REQUESTS, "rest_too_many_requests",
                      "Too many requests. Please try again later.");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", after);
      return FALSE;
    }
  self->window_count++;
  return TRUE;
}

/* GET /wp-json/: the WordPress index, public, with the site's name. */
static void
serve_index (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *home = g_uri_to_string_partial (uri, G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT);
  g_autofree char *body = NULL;
  char *cut = strstr (home, "/wp-json");
  gsize len;

  if (cut != NULL)
    *cut = '\0';
  body = g_strdup_printf ("{\"name\":\"%s\",\"description\":\"Just another WordPress site\","
                          "\"url\":\"%s\",\"home\":\"%s\",\"namespaces\":[\"wp/v2\",\"wc/v3\"]}",
                          CP_SANDBOX_WOOCOMMERCE_SITE_NAME, home, home);
  len = strlen (body);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json; charset=UTF-8", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&body), len);
}

static void
woo_handle (CpSandboxPlatform *platform,
            CpSandboxServer   *server,
            SoupServerMessage *msg,
            const char        *path)
{
  CpSandboxWoocommerce *self = CP_SANDBOX_WOOCOMMERCE (platform);
  const char *method = soup_server_message_get_method (msg);
  const char *query_text = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) query = NULL;
  g_auto(GStrv) segments = NULL;
  const Route *route;
  WooRequest r = { 0 };

  if (g_str_equal (path, "/wp-json") || g_str_equal (path, "/wp-json/"))
    {
      serve_index (msg);
      return;
    }

  if (query_text != NULL)
    query = g_uri_parse_params (query_text, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  if (query == NULL)
    query = g_hash_table_new (g_str_hash, g_str_equal);

  g_mutex_lock (&self->mutex);
  if (!check_rate (self, msg) ||
      !authenticate (self, msg, query, cp_sandbox_server_is_tls (server)) ||
      !check_permission (self, msg))
    {
      g_mutex_unlock (&self->mutex);
      return;
    }

  segments = split_api_path (path);
  route = segments != NULL ? find_route (method, segments) : NULL;
  if (route == NULL)
    {
      woo_error_body (msg, SOUP_STATUS_NOT_FOUND, "rest_no_route",
                      "No route was found matching the URL and request method.");
      g_mutex_unlock (&self->mutex);
      return;
    }

  r.server = server;
  r.msg = msg;
  r.store = self->store;
  r.query = query;
  r.segments = segments;
  r.batch_limit = CP_SANDBOX_WOOCOMMERCE_MAX_BATCH;
  r.fake = self;
  route->handler (&r);
  g_mutex_unlock (&self->mutex);
}

static const char *
woo_classify (CpSandboxPlatform *platform,
              const char        *method,
              const char        *path)
{
  g_auto(GStrv) segments = split_api_path (path);
  const Route *route = segments ? find_route (method, segments) : NULL;

  if (route == NULL && (g_str_equal (path, "/wp-json") || g_str_equal (path, "/wp-json/")))
    return "GET /wp-json/";
  return route ? route->label : NULL;
}

static const char *
woo_get_name (CpSandboxPlatform *platform)
{
  return "woocommerce";
}

static const char *
woo_get_api_path (CpSandboxPlatform *platform)
{
  /* The integration's address is the site's; the connector appends
   * /wp-json/wc/v3/ itself. */
  return "";
}

static void
woo_write_error (CpSandboxPlatform *platform,
                 SoupServerMessage *msg,
                 guint              status,
                 const char        *code,
                 const char        *message)
{
  woo_error_body (msg, status, code, message);
}

static void
platform_iface_init (CpSandboxPlatformInterface *iface)
{
  iface->get_name = woo_get_name;
  iface->get_api_path = woo_get_api_path;
  iface->classify = woo_classify;
  iface->handle = woo_handle;
  iface->write_error = woo_write_error;
}

static void
cp_sandbox_woocommerce_finalize (GObject *object)
{
  CpSandboxWoocommerce *self = CP_SANDBOX_WOOCOMMERCE (object);

  woo_webhook_shutdown (self);
  woo_store_free (self->store);
  g_free (self->webhook_url);
  g_free (self->webhook_secret);
  g_cond_clear (&self->webhook_cond);
  g_free (self->consumer_key);
  g_free (self->consumer_secret);
  g_free (self->permission);
  g_hash_table_unref (self->nonces);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cp_sandbox_woocommerce_parent_class)->finalize (object);
}

static void
cp_sandbox_woocommerce_class_init (CpSandboxWoocommerceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_sandbox_woocommerce_finalize;
}

static void
cp_sandbox_woocommerce_init (CpSandboxWoocommerce *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->webhook_cond);
  self->consumer_key = g_strdup (CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY);
  self->consumer_secret = g_strdup (CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET);
  self->permission = g_strdup ("read_write");
  self->nonces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->window_s = 60;
}

CpSandboxWoocommerce *
cp_sandbox_woocommerce_new_sized (guint n_products,
                                  guint variable_every,
                                  guint n_orders)
{
  CpSandboxWoocommerce *self = g_object_new (CP_TYPE_SANDBOX_WOOCOMMERCE, NULL);

  self->store = woo_store_new (n_products, variable_every, n_orders);
  return self;
}

CpSandboxWoocommerce *
cp_sandbox_woocommerce_new (void)
{
  return cp_sandbox_woocommerce_new_sized (300, 4, 120);
}

void
cp_sandbox_woocommerce_set_key (CpSandboxWoocommerce *self,
                                const char           *consumer_key,
                                const char           *consumer_secret,
                                const char           *permission)
{
  g_return_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self));
  g_return_if_fail (g_strcmp0 (permission, "read") == 0 || g_strcmp0 (permission, "write") == 0 ||
                    g_strcmp0 (permission, "read_write") == 0);

  g_mutex_lock (&self->mutex);
  g_free (self->consumer_key);
  g_free (self->consumer_secret);
  g_free (self->permission);
  self->consumer_key = g_strdup (consumer_key);
  self->consumer_secret = g_strdup (consumer_secret);
  self->permission = g_strdup (permission);
  g_mutex_unlock (&self->mutex);
}

void
cp_sandbox_woocommerce_set_rate_limit (CpSandboxWoocommerce *self,
                                       guint                 limit,
                                       guint                 window_s)
{
  g_return_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self));
  g_return_if_fail (window_s > 0);

  g_mutex_lock (&self->mutex);
  self->limit = limit;
  self->window_s = window_s;
  self->window_start = 0;
  self->window_count = 0;
  g_mutex_unlock (&self->mutex);
}

void
cp_sandbox_woocommerce_set_currency (CpSandboxWoocommerce *self,
                                     const char           *currency)
{
  g_return_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self));
  g_return_if_fail (currency != NULL && strlen (currency) == 3);

  g_mutex_lock (&self->mutex);
  g_strlcpy (self->store->currency, currency, sizeof self->store->currency);
  g_mutex_unlock (&self->mutex);
}
