/* cp-credentials.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Credentials are JSON objects kept by the Secret Service. The value is
 * checked before it is stored and after it is read, but never printed:
 * not in errors, not in debug output.
 */

#define G_LOG_DOMAIN "cp-credentials"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "cp-credentials.h"

#define SECRET_BUS_NAME "org.freedesktop.secrets"
#define SECRET_PATH "/org/freedesktop/secrets"
#define SECRET_SERVICE_IFACE "org.freedesktop.Secret.Service"

G_DEFINE_QUARK (cp-credentials-error-quark, cp_credentials_error)

static const SecretSchema credential_schema = {
  "io.github.counterpart.Credential",
  SECRET_SCHEMA_NONE,
  {
    { "integration-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    /* Added later (compatible): integration ids repeat across ledgers. */
    { "ledger-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

static gboolean
is_unavailable_error (const GError *error)
{
  if (error->domain == G_DBUS_ERROR)
    {
      switch ((GDBusError) error->code)
        {
        case G_DBUS_ERROR_SERVICE_UNKNOWN:
        case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
        case G_DBUS_ERROR_NO_SERVER:
        case G_DBUS_ERROR_DISCONNECTED:
        case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
        case G_DBUS_ERROR_SPAWN_FORK_FAILED:
        case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
        case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
        case G_DBUS_ERROR_SPAWN_FAILED:
        case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
        case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
        case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
        case G_DBUS_ERROR_SPAWN_FILE_INVALID:
        case G_DBUS_ERROR_SPAWN_NO_MEMORY:
          return TRUE;
        case G_DBUS_ERROR_FAILED:
        case G_DBUS_ERROR_NO_MEMORY:
        case G_DBUS_ERROR_NO_REPLY:
        case G_DBUS_ERROR_IO_ERROR:
        case G_DBUS_ERROR_BAD_ADDRESS:
        case G_DBUS_ERROR_NOT_SUPPORTED:
        case G_DBUS_ERROR_LIMITS_EXCEEDED:
        case G_DBUS_ERROR_ACCESS_DENIED:
        case G_DBUS_ERROR_AUTH_FAILED:
        case G_DBUS_ERROR_TIMEOUT:
        case G_DBUS_ERROR_NO_NETWORK:
        case G_DBUS_ERROR_ADDRESS_IN_USE:
        case G_DBUS_ERROR_INVALID_ARGS:
        case G_DBUS_ERROR_FILE_NOT_FOUND:
        case G_DBUS_ERROR_FILE_EXISTS:
        case G_DBUS_ERROR_UNKNOWN_METHOD:
        case G_DBUS_ERROR_TIMED_OUT:
        case G_DBUS_ERROR_MATCH_RULE_NOT_FOUND:
        case G_DBUS_ERROR_MATCH_RULE_INVALID:
        case G_DBUS_ERROR_UNIX_PROCESS_ID_UNKNOWN:
        case G_DBUS_ERROR_INVALID_SIGNATURE:
        case G_DBUS_ERROR_INVALID_FILE_CONTENT:
        case G_DBUS_ERROR_SELINUX_SECURITY_CONTEXT_UNKNOWN:
        case G_DBUS_ERROR_ADT_AUDIT_DATA_UNKNOWN:
        case G_DBUS_ERROR_OBJECT_PATH_IN_USE:
        case G_DBUS_ERROR_UNKNOWN_OBJECT:
        case G_DBUS_ERROR_UNKNOWN_INTERFACE:
        case G_DBUS_ERROR_UNKNOWN_PROPERTY:
        case G_DBUS_ERROR_PROPERTY_READ_ONLY:
        default:
          return FALSE;
        }
    }

  /* Reaching the session bus itself failed: no DBUS_SESSION_BUS_ADDRESS
   * and no way to autolaunch one, or a socket nobody listens on. Every
   * other I/O failure of a bus call comes back in G_DBUS_ERROR. */
  if (error->domain == G_IO_ERROR)
    return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  return FALSE;
}

static void
set_locked (GError **error)
{
  g_set_error_literal (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_LOCKED,
                       _("The keyring is locked. Unlock it (for example in Passwords "
                         "and Keys, or by logging in again), then try again."));
}

/* Takes LOCAL_ERROR and puts it into CP_CREDENTIALS_ERROR (cancellation
 * stays G_IO_ERROR_CANCELLED, as every GIO caller expects). */
static void
propagate_error (GError  **error,
                 GError   *local_error)
{
  g_debug ("Secret Service call failed: %s", local_error->message);

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, local_error);
  else if (is_unavailable_error (local_error))
    {
      g_set_error_literal (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_UNAVAILABLE,
                           _("No keyring (Secret Service) is running, so Counterpart "
                             "cannot store passwords. Install and start GNOME Keyring "
                             "(or another Secret Service), then try again."));
      g_error_free (local_error);
    }
  else if (g_error_matches (local_error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    {
      set_locked (error);
      g_error_free (local_error);
    }
  else
    {
      g_set_error (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_FAILED,
                   _("The keyring refused the request: %s"), local_error->message);
      g_error_free (local_error);
    }
}

/* A key is "<ledger id>/<integration id>" (cp_integrations_credential_key);
 * the ledger id is a UUID, so the first "/" ends it. A key without one
 * belongs to no ledger (ledger-id ""). Both attributes are always given,
 * so a lookup matches exactly one ledger's entry. */
typedef struct
{
  char *ledger_id;
  char *integration_id;
} Key;

static void
key_clear (Key *key)
{
  g_free (key->ledger_id);
  g_free (key->integration_id);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Key, key_clear)

static void
key_parse (const char *text,
           Key        *key)
{
  const char *slash = strchr (text, '/');

  if (slash == NULL)
    {
      key->ledger_id = g_strdup ("");
      key->integration_id = g_strdup (text);
    }
  else
    {
      key->ledger_id = g_strndup (text, slash - text);
      key->integration_id = g_strdup (slash + 1);
    }
}

static gboolean
check_id (const char  *integration_id,
          GError     **error)
{
  if (integration_id == NULL || *integration_id == '\0' ||
      !g_utf8_validate (integration_id, -1, NULL))
    {
      g_set_error_literal (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_FAILED,
                           _("No integration was named for the credentials."));
      return FALSE;
    }

  return TRUE;
}

/* The payload is never echoed: a parser message could quote it. */
static gboolean
check_json_object (const char  *secret_json,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (secret_json == NULL ||
      !json_parser_load_from_data (parser, secret_json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_INVALID,
                           _("The credentials must be a JSON object, for example "
                             "{\"api_key\": \"…\"}."));
      return FALSE;
    }

  return TRUE;
}

/* libsecret hands out passwords in memory that must be wiped with
 * secret_password_free (); callers of this module use g_free (). */
static char *
take_password (char     *password,
               GError  **error)
{
  char *copy;

  if (!check_json_object (password, NULL))
    {
      secret_password_free (password);
      g_set_error_literal (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_INVALID,
                           _("The stored credentials are damaged (not a JSON object). "
                             "Enter them again in the integration's settings."));
      return NULL;
    }

  copy = g_strdup (password);
  secret_password_free (password);
  return copy;
}

/* A lookup finds nothing both when nothing is stored and when the item is
 * in a locked keyring that could not be unlocked (no prompt can show).
 * The service's SearchItems lists locked items apart, which tells the
 * two cases apart. Asked over D-Bus directly: libsecret's own search
 * builds item proxies for locked items and leaks them. */
static GVariant *
search_items_parameters (const char *integration_id)
{
  g_auto(Key) key = { 0 };
  GVariantBuilder attributes;

  key_parse (integration_id, &key);

  g_variant_builder_init (&attributes, G_VARIANT_TYPE ("a{ss}"));
  /* libsecret stores the schema name as this attribute. */
  g_variant_builder_add (&attributes, "{ss}", "xdg:schema", credential_schema.name);
  g_variant_builder_add (&attributes, "{ss}", "integration-id", key.integration_id);
  g_variant_builder_add (&attributes, "{ss}", "ledger-id", key.ledger_id);

  return g_variant_new ("(a{ss})", &attributes);
}

static gboolean
has_locked_items (GVariant *reply)
{
  g_autoptr(GVariant) locked = NULL;

  if (reply == NULL)
    return FALSE;

  locked = g_variant_get_child_value (reply, 1);
  return g_variant_n_children (locked) > 0;
}

static gboolean
is_locked_sync (const char   *integration_id,
                GCancellable *cancellable)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GVariant) reply = NULL;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, cancellable, NULL);
  if (service == NULL)
    return FALSE;

  reply = g_dbus_connection_call_sync (g_dbus_proxy_get_connection (G_DBUS_PROXY (service)),
                                       SECRET_BUS_NAME, SECRET_PATH, SECRET_SERVICE_IFACE,
                                       "SearchItems", search_items_parameters (integration_id),
                                       G_VARIANT_TYPE ("(aoao)"), G_DBUS_CALL_FLAGS_NONE, 10000,
                                       cancellable, NULL);
  return has_locked_items (reply);
}

static void
set_not_found (GError     **error,
               const char  *integration_id)
{
  g_auto(Key) key = { 0 };

  key_parse (integration_id, &key);
  g_set_error (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_NOT_FOUND,
               _("No credentials are stored for the integration “%s”. Enter them "
                 "again in the integration's settings."),
               key.integration_id);
}

gboolean
cp_credentials_store_sync (const char    *integration_id,
                           const char    *label,
                           const char    *secret_json,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_auto(Key) key = { 0 };
  GError *local_error = NULL;

  g_return_val_if_fail (label != NULL, FALSE);

  if (!check_id (integration_id, error) || !check_json_object (secret_json, error))
    return FALSE;
  key_parse (integration_id, &key);

  if (!secret_password_store_sync (&credential_schema, SECRET_COLLECTION_DEFAULT,
                                   label, secret_json, cancellable, &local_error,
                                   "integration-id", key.integration_id,
                                   "ledger-id", key.ledger_id,
                                   NULL))
    {
      propagate_error (error, local_error);
      return FALSE;
    }

  return TRUE;
}

char *
cp_credentials_lookup_sync (const char    *integration_id,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_auto(Key) key = { 0 };
  GError *local_error = NULL;
  char *password;

  if (!check_id (integration_id, error))
    return NULL;
  key_parse (integration_id, &key);

  password = secret_password_lookup_sync (&credential_schema, cancellable, &local_error,
                                          "integration-id", key.integration_id,
                                          "ledger-id", key.ledger_id,
                                          NULL);
  if (local_error != NULL)
    {
      propagate_error (error, local_error);
      return NULL;
    }
  if (password == NULL)
    {
      if (is_locked_sync (integration_id, cancellable))
        set_locked (error);
      else
        set_not_found (error, integration_id);
      return NULL;
    }

  return take_password (password, error);
}

/* Clearing what is not there is not an error: removing an integration
 * whose credentials are already gone must still succeed. */
gboolean
cp_credentials_clear_sync (const char    *integration_id,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_auto(Key) key = { 0 };
  GError *local_error = NULL;

  if (!check_id (integration_id, error))
    return FALSE;
  key_parse (integration_id, &key);

  if (!secret_password_clear_sync (&credential_schema, cancellable, &local_error,
                                   "integration-id", key.integration_id,
                                   "ledger-id", key.ledger_id,
                                   NULL) &&
      local_error != NULL)
    {
      propagate_error (error, local_error);
      return FALSE;
    }

  return TRUE;
}

/* secret_service_get () succeeds without a service on the bus (it only
 * makes a proxy), so ask the service for something every implementation
 * must answer: its Collections property. */
static GVariant *
collections_call_sync (SecretService  *service,
                       GCancellable   *cancellable,
                       GError        **error)
{
  return g_dbus_connection_call_sync (g_dbus_proxy_get_connection (G_DBUS_PROXY (service)),
                                      SECRET_BUS_NAME, SECRET_PATH,
                                      "org.freedesktop.DBus.Properties", "Get",
                                      g_variant_new ("(ss)", SECRET_SERVICE_IFACE, "Collections"),
                                      G_VARIANT_TYPE ("(v)"),
                                      G_DBUS_CALL_FLAGS_NONE, 10000,
                                      cancellable, error);
}

gboolean
cp_credentials_check_sync (GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GVariant) reply = NULL;
  GError *local_error = NULL;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, cancellable, &local_error);
  if (service == NULL)
    {
      propagate_error (error, local_error);
      return FALSE;
    }

  reply = collections_call_sync (service, cancellable, &local_error);
  if (reply == NULL)
    {
      propagate_error (error, local_error);
      return FALSE;
    }

  return TRUE;
}

/* Async: libsecret's own async calls, wrapped in a GTask so errors are
 * mapped the same way as the sync ones. */

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *local_error = NULL;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &local_error))
    {
      propagate_error (&error, local_error);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
cp_credentials_store_async (const char          *integration_id,
                            const char          *label,
                            const char          *secret_json,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_auto(Key) key = { 0 };
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (label != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_credentials_store_async);

  if (!check_id (integration_id, &error) || !check_json_object (secret_json, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  key_parse (integration_id, &key);

  secret_password_store (&credential_schema, SECRET_COLLECTION_DEFAULT,
                         label, secret_json, cancellable,
                         store_cb, g_steal_pointer (&task),
                         "integration-id", key.integration_id,
                         "ledger-id", key.ledger_id,
                         NULL);
}

gboolean
cp_credentials_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_search_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);
  if (has_locked_items (reply))
    set_locked (&error);
  else
    set_not_found (&error, g_task_get_task_data (task));
  g_task_return_error (task, error);
}

static void
lookup_service_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SecretService) service = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  const char *integration_id = g_task_get_task_data (task);
  GError *error = NULL;

  service = secret_service_get_finish (result, NULL);
  if (service == NULL)
    {
      set_not_found (&error, integration_id);
      g_task_return_error (task, error);
      return;
    }

  g_dbus_connection_call (g_dbus_proxy_get_connection (G_DBUS_PROXY (service)),
                          SECRET_BUS_NAME, SECRET_PATH, SECRET_SERVICE_IFACE,
                          "SearchItems", search_items_parameters (integration_id),
                          G_VARIANT_TYPE ("(aoao)"), G_DBUS_CALL_FLAGS_NONE, 10000, cancellable,
                          lookup_search_cb, g_steal_pointer (&task));
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *local_error = NULL;
  GError *error = NULL;
  char *password;
  char *copy;

  password = secret_password_lookup_finish (result, &local_error);
  if (local_error != NULL)
    {
      propagate_error (&error, local_error);
      g_task_return_error (task, error);
      return;
    }
  if (password == NULL)
    {
      secret_service_get (SECRET_SERVICE_NONE, g_task_get_cancellable (task),
                          lookup_service_cb, g_object_ref (task));
      return;
    }

  copy = take_password (password, &error);
  if (copy == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, copy, g_free);
}

void
cp_credentials_lookup_async (const char          *integration_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_auto(Key) key = { 0 };
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_credentials_lookup_async);

  if (!check_id (integration_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  key_parse (integration_id, &key);

  g_task_set_task_data (task, g_strdup (integration_id), g_free);
  secret_password_lookup (&credential_schema, cancellable,
                          lookup_cb, g_steal_pointer (&task),
                          "integration-id", key.integration_id,
                          "ledger-id", key.ledger_id,
                          NULL);
}

char *
cp_credentials_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *local_error = NULL;
  GError *error = NULL;

  if (!secret_password_clear_finish (result, &local_error) && local_error != NULL)
    {
      propagate_error (&error, local_error);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
cp_credentials_clear_async (const char          *integration_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_auto(Key) key = { 0 };
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_credentials_clear_async);

  if (!check_id (integration_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  key_parse (integration_id, &key);

  secret_password_clear (&credential_schema, cancellable,
                         clear_cb, g_steal_pointer (&task),
                         "integration-id", key.integration_id,
                         "ledger-id", key.ledger_id,
                         NULL);
}

gboolean
cp_credentials_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
check_call_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  GError *local_error = NULL;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &local_error);
  if (reply == NULL)
    {
      propagate_error (&error, local_error);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
check_service_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SecretService) service = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *local_error = NULL;
  GError *error = NULL;

  service = secret_service_get_finish (result, &local_error);
  if (service == NULL)
    {
      propagate_error (&error, local_error);
      g_task_return_error (task, error);
      return;
    }

  g_dbus_connection_call (g_dbus_proxy_get_connection (G_DBUS_PROXY (service)),
                          SECRET_BUS_NAME, SECRET_PATH,
                          "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", SECRET_SERVICE_IFACE, "Collections"),
                          G_VARIANT_TYPE ("(v)"),
                          G_DBUS_CALL_FLAGS_NONE, 10000, cancellable,
                          check_call_cb, g_steal_pointer (&task));
}

void
cp_credentials_check_async (GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_credentials_check_async);

  secret_service_get (SECRET_SERVICE_NONE, cancellable, check_service_cb, task);
}

gboolean
cp_credentials_check_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
