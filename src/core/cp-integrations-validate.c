/* cp-integrations-validate.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What an integration may be, before anything is written: its platform
 * name, its own name, its permissions and its store address (https, or
 * plain http only to this computer).
 */

#define G_LOG_DOMAIN "cp-integrations"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "cp-integrations.h"
#include "cp-integrations-private.h"

/* Sorted: list/get return permissions in this order too. */
static const char * const known_permissions[] = {
  CP_PERMISSION_INVENTORY_SYNC,
  CP_PERMISSION_ORDERS_PULL,
  CP_PERMISSION_ORDERS_PUSH,
  CP_PERMISSION_PRODUCTS_SYNC,
  NULL
};

static const char * const default_permissions[] = {
  CP_PERMISSION_INVENTORY_SYNC,
  CP_PERMISSION_ORDERS_PULL,
  NULL
};

/* Longer than any address a person types; keeps absurd input out of the
 * ledger and out of messages. */
#define MAX_BASE_URL_LENGTH 2048
#define MAX_NAME_LENGTH     200
#define MAX_PLATFORM_LENGTH 32

const char * const *
cp_integrations_default_permissions (void)
{
  return default_permissions;
}

gboolean
cp_integrations_validate_permissions (const char * const  *permissions,
                                      GError             **error)
{
  for (guint i = 0; permissions != NULL && permissions[i] != NULL; i++)
    {
      if (!g_strv_contains (known_permissions, permissions[i]))
        {
          g_set_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID_PERMISSION,
                       _("“%s” is not a permission. Use products.sync, orders.pull, "
                         "orders.push or inventory.sync."),
                       permissions[i]);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  const char *percent;

  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  /* An IPv6 literal may carry a zone ("::1%lo"); the zone does not make a
   * remote address local, the address decides. */
  percent = strchr (host, '%');
  bare = percent != NULL ? g_strndup (host, percent - host) : g_strdup (host);

  /* Only literal addresses: "127.0.0.1.example.com" is a name that any DNS
   * server may point anywhere. GInetAddress parses strictly (no "0x7f.1",
   * no "2130706433"), so nothing unusual passes as loopback. */
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
has_blank_or_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || *p == 0x7f)
      return TRUE;

  return FALSE;
}

gboolean
cp_integrations_validate_base_url (const char  *base_url,
                                   GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (base_url == NULL || *base_url == '\0')
    {
      g_set_error_literal (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID_URL,
                           _("The address is empty. Enter the address of the shop, such as "
                             "https://shop.example.com."));
      return FALSE;
    }

  if (strlen (base_url) > MAX_BASE_URL_LENGTH)
    {
      g_set_error_literal (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID_URL,
                           _("The address is too long. Enter only the address of the shop, "
                             "such as https://shop.example.com."));
      return FALSE;
    }

  /* G_URI_FLAGS_NONE: strict parsing. GUri still lets spaces and control
   * characters through in the path, which a browser would quietly fix:
   * refuse them rather than guess. */
  if (!has_blank_or_control (base_url))
    uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (uri == NULL || host == NULL || *host == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID_URL,
                   _("“%s” is not a web address. Enter it with https://, such as "
                     "https://shop.example.com."),
                   base_url);
      return FALSE;
    }

  /* A password in the address would end up in the ledger, in logs and on
   * screen; credentials go to the keyring instead. */
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID_URL,
                           _("The address contains a user name or password. Enter the address "
                             "without them; the credentials are asked for separately."));
      return FALSE;
    }

  /* Connectors append their own paths and parameters. */
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID_URL,
                   _("“%s” has a “?” or “#” part. Enter only the address of the shop, "
                     "without anything after “?” or “#”."),
                   base_url);
      return FALSE;
    }

  /* Plain http would send the credentials readable to anyone on the way;
   * only this computer itself (the sandbox, a test server) is safe. */
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !host_is_loopback (host))
    {
      g_set_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID_URL,
                   _("“%s” is not encrypted (http). Use the https:// address of the shop; "
                     "plain http is only accepted for this computer (localhost)."),
                   base_url);
      return FALSE;
    }

  return TRUE;
}

/* The platform name becomes part of the id and of the keyring entry's
 * attribute, so it is kept to plain identifiers. Whether this build has a
 * connector for it is the caller's question (the registry): a ledger may
 * hold integrations of a platform another build supports. */
gboolean
cp_integrations_platform_is_valid (const char *platform)
{
  gsize len;

  if (platform == NULL || !g_ascii_islower (platform[0]))
    return FALSE;

  len = strlen (platform);
  if (len > MAX_PLATFORM_LENGTH)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_islower (platform[i]) && !g_ascii_isdigit (platform[i]) && platform[i] != '_')
      return FALSE;

  return TRUE;
}

gboolean
cp_integrations_check_name (const char  *name,
                            GError     **error)
{
  g_autofree char *stripped = name != NULL ? g_strstrip (g_strdup (name)) : NULL;

  if (stripped == NULL || *stripped == '\0')
    {
      g_set_error_literal (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID,
                           _("The integration needs a name, such as “Web shop”, so you can tell "
                             "it from others on the same platform."));
      return FALSE;
    }

  if (!g_utf8_validate (name, -1, NULL) || g_utf8_strlen (name, -1) > MAX_NAME_LENGTH)
    {
      g_set_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID,
                   _("The name is too long. Use at most %d characters."), MAX_NAME_LENGTH);
      return FALSE;
    }

  return TRUE;
}
