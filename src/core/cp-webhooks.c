/* cp-webhooks.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading a store's webhook delivery: its signature, its meta (delivery
 * id, topic, resource and modified time), WooCommerce's ping. Nothing
 * here touches the ledger; storage and processing are in
 * cp-webhooks-store.c and cp-webhooks-process.c.
 */

#define G_LOG_DOMAIN "cp-webhooks"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cp-webhooks.h"

G_DEFINE_QUARK (cp-webhooks-error-quark, cp_webhooks_error)

static const char * const kind_names[] = { "orders", "products", "inventory" };

const char *
cp_webhook_kind_to_string (CpWebhookKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), "orders");
  return kind_names[kind];
}

gboolean
cp_webhook_kind_from_string (const char    *text,
                             CpWebhookKind *out_kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (text, kind_names[i]) == 0)
      {
        *out_kind = (CpWebhookKind) i;
        return TRUE;
      }
  return FALSE;
}

/* --- Signatures ------------------------------------------------------------ */

static void
hmac_sha256 (const char   *secret,
             const void   *body,
             gsize         length,
             guint8        digest[32])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret));
  gsize digest_len = 32;

  g_hmac_update (hmac, body, (gssize) length);
  g_hmac_get_digest (hmac, digest, &digest_len);
  g_assert (digest_len == 32);
}

char *
cp_webhooks_sign (const char *secret,
                  const void *body,
                  gsize       length)
{
  guint8 digest[32];
  char *out;

  g_return_val_if_fail (secret != NULL, NULL);

  hmac_sha256 (secret, body, length, digest);
  out = g_base64_encode (digest, sizeof digest);
  explicit_bzero (digest, sizeof digest);
  return out;
}

gboolean
cp_webhooks_equal_ct (const guint8 *a,
                      const guint8 *b,
                      gsize         length)
{
  /* volatile: the compiler may not turn the loop into an early exit. */
  volatile guint8 diff = 0;

  for (gsize i = 0; i < length; i++)
    diff |= a[i] ^ b[i];
  return diff == 0;
}

gboolean
cp_webhooks_verify (const char *secret,
                    const void *body,
                    gsize       length,
                    const char *signature)
{
  g_autofree char *trimmed = NULL;
  g_autofree guchar *given = NULL;
  guint8 expected[32];
  gsize given_len = 0;
  gboolean ok;

  if (secret == NULL || *secret == '\0' || signature == NULL)
    return FALSE;

  trimmed = g_strstrip (g_strdup (signature));
  /* 32 bytes are 44 base64 characters; anything else cannot match, and
   * refusing it before decoding keeps g_base64_decode off odd input. */
  if (strlen (trimmed) != 44)
    return FALSE;
  for (const char *p = trimmed; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      return FALSE;

  given = g_base64_decode (trimmed, &given_len);
  if (given == NULL || given_len != sizeof expected)
    return FALSE;

  hmac_sha256 (secret, body, length, expected);
  ok = cp_webhooks_equal_ct (given, expected, sizeof expected);
  explicit_bzero (expected, sizeof expected);
  return ok;
}

gboolean
cp_webhooks_is_ping (const void *body,
                     gsize       length)
{
  const char *text = body;
  static const char prefix[] = "webhook_id=";
  gsize n = strlen (prefix);

  if (length <= n || length > n + 20 || memcmp (text, prefix, n) != 0)
    return FALSE;
  for (gsize i = n; i < length; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

char *
cp_webhooks_secret_from_credentials (const char  *credentials_json,
                                     GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonNode *member;

  if (credentials_json != NULL &&
      json_parser_load_from_data (parser, credentials_json, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
      (member = json_object_get_member (json_node_get_object (root), "webhook_secret")) != NULL &&
      JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING &&
      *json_node_get_string (member) != '\0')
    return g_strdup (json_node_get_string (member));

  g_set_error_literal (error, CP_WEBHOOKS_ERROR, CP_WEBHOOKS_ERROR_NO_SECRET,
                       _("This store has no webhook secret in Counterpart, so its webhooks "
                         "cannot be trusted. Copy the secret from the store's webhook settings "
                         "and add it as “webhook_secret” to the integration's credentials "
                         "(counterpart-cli integration edit … --credentials-stdin)."));
  return NULL;
}

/* --- Meta ------------------------------------------------------------------ */

void
cp_webhook_meta_clear (CpWebhookMeta *meta)
{
  g_clear_pointer (&meta->delivery_id, g_free);
  g_clear_pointer (&meta->topic, g_free);
  g_clear_pointer (&meta->resource_id, g_free);
  g_clear_pointer (&meta->modified, g_free);
}

const char *
cp_webhooks_signature_header (CpWebhookHeaderFunc get_header,
                              gpointer            header_data)
{
  const char *value = get_header ("X-Shopify-Hmac-Sha256", header_data);

  if (value == NULL)
    value = get_header ("X-WC-Webhook-Signature", header_data);
  return value;
}

/* A member as text: strings as they are, integers in decimal. */
static char *
member_text (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return *json_node_get_string (node) != '\0' ? g_strdup (json_node_get_string (node)) : NULL;
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    default:
      return NULL;
    }
}

static const char *
resource_prefix (CpWebhookKind kind)
{
  switch (kind)
    {
    case CP_WEBHOOK_KIND_PRODUCTS:
      return "product";
    case CP_WEBHOOK_KIND_INVENTORY:
      return "inventory";
    case CP_WEBHOOK_KIND_ORDERS:
    default:
      return "order";
    }
}

/* The resource and its modified time, from the body. Shopify sends the
 * REST shape (id, updated_at; an inventory level is inventory_item_id and
 * location_id); WooCommerce the v3 shape (id, date_modified_gmt). A body
 * that wraps the resource ({"order": {…}}, the legacy v1/v2 shape) is
 * read inside the wrapper. */
static void
read_resource (CpWebhookKind  kind,
               JsonObject    *object,
               CpWebhookMeta *meta)
{
  static const char * const wrappers[] = { "order", "product", "inventory_level" };
  static const char * const modified_names[] = {
    "updated_at", "date_modified_gmt", "date_modified", "modified_at",
  };
  g_autofree char *id = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (wrappers); i++)
    {
      JsonNode *inner = json_object_get_member (object, wrappers[i]);

      if (inner != NULL && JSON_NODE_HOLDS_OBJECT (inner) && json_object_get_size (object) == 1)
        {
          object = json_node_get_object (inner);
          break;
        }
    }

  id = member_text (object, "id");
  if (id == NULL && kind == CP_WEBHOOK_KIND_INVENTORY)
    {
      g_autofree char *item = member_text (object, "inventory_item_id");
      g_autofree char *location = member_text (object, "location_id");

      if (item != NULL)
        id = g_strdup_printf ("%s@%s", item, location != NULL ? location : "");
    }
  if (id != NULL)
    meta->resource_id = g_strdup_printf ("%s:%s", resource_prefix (kind), id);

  for (guint i = 0; i < G_N_ELEMENTS (modified_names) && meta->modified == NULL; i++)
    meta->modified = member_text (object, modified_names[i]);
}

gboolean
cp_webhooks_read_meta (CpWebhookKind        kind,
                       CpWebhookHeaderFunc  get_header,
                       gpointer             header_data,
                       const void          *body,
                       gsize                length,
                       CpWebhookMeta       *out_meta,
                       GError             **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  const char *shopify_id = get_header ("X-Shopify-Webhook-Id", header_data);
  const char *wc_id = get_header ("X-WC-Webhook-Delivery-ID", header_data);
  const char *topic = get_header ("X-Shopify-Topic", header_data);
  JsonNode *root;

  memset (out_meta, 0, sizeof *out_meta);

  if (!json_parser_load_from_data (parser, body, (gssize) length, &local_error) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CP_WEBHOOKS_ERROR, CP_WEBHOOKS_ERROR_INVALID,
                   _("The webhook body is not a JSON object (%s). Check that the store's "
                     "webhook sends JSON."),
                   local_error != NULL ? local_error->message : _("another JSON value"));
      return FALSE;
    }

  if (topic == NULL)
    topic = get_header ("X-WC-Webhook-Topic", header_data);
  out_meta->topic = g_strdup (topic != NULL ? topic : cp_webhook_kind_to_string (kind));
  read_resource (kind, json_node_get_object (root), out_meta);

  if (shopify_id != NULL && *shopify_id != '\0')
    out_meta->delivery_id = g_strdup_printf ("shopify:%s", shopify_id);
  else if (wc_id != NULL && *wc_id != '\0')
    /* wp_hash (webhook id . second): two events of one webhook within a
     * second share it, so alone it would drop the second event. */
    out_meta->delivery_id = g_strdup_printf ("wc:%s/%s/%s", wc_id,
                                             out_meta->resource_id != NULL ? out_meta->resource_id : "",
                                             out_meta->modified != NULL ? out_meta->modified : "");
  else
    {
      g_autofree char *hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, body, length);

      out_meta->delivery_id = g_strdup_printf ("sha256:%s", hash);
    }
  return TRUE;
}
