/* cp-api-keys.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keys of the local API in the ledger's api_keys table. The secret never
 * reaches SQLite: only the hex SHA-256 of the whole key string is stored
 * (why no slow KDF: see cp-api-keys.h).
 */

#define G_LOG_DOMAIN "cp-api-keys"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <glib/gi18n-lib.h>

#include "cp-api-keys.h"
#include "cp-sql.h"

G_DEFINE_QUARK (cp-api-keys-error-quark, cp_api_keys_error)

G_DEFINE_BOXED_TYPE (CpApiKey, cp_api_key, cp_api_key_copy, cp_api_key_free)

/* Sorted. */
static const char * const all_scopes[] = {
  CP_API_SCOPE_INTEGRATIONS_READ,
  CP_API_SCOPE_INTEGRATIONS_SYNC,
  CP_API_SCOPE_ORDERS_READ,
  CP_API_SCOPE_WEBHOOKS_WRITE,
  NULL
};

#define ID_BYTES       6                      /* 12 hex digits */
#define SECRET_BYTES   32                     /* 256 bits */
#define ID_HEX_LEN     (ID_BYTES * 2)
#define SECRET_HEX_LEN (SECRET_BYTES * 2)
#define KEY_LEN        (sizeof CP_API_KEY_PREFIX - 1 + ID_HEX_LEN + 1 + SECRET_HEX_LEN)
#define MAX_NAME_LEN   200
/* A use is recorded at most this often per key. */
#define TOUCH_INTERVAL_US ((gint64) 60 * G_USEC_PER_SEC)

CpApiKey *
cp_api_key_copy (const CpApiKey *self)
{
  CpApiKey *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (CpApiKey, 1);
  *copy = *self;
  copy->id = g_strdup (self->id);
  copy->name = g_strdup (self->name);
  copy->scopes = g_strdupv (self->scopes);
  return copy;
}

void
cp_api_key_free (CpApiKey *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->name);
  g_strfreev (self->scopes);
  g_free (self);
}

gboolean
cp_api_key_has_scope (const CpApiKey *self,
                      const char     *scope)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return scope != NULL && self->scopes != NULL &&
         g_strv_contains ((const char * const *) self->scopes, scope);
}

gboolean
cp_api_key_is_revoked (const CpApiKey *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->revoked_at != 0;
}

const char * const *
cp_api_keys_all_scopes (void)
{
  return all_scopes;
}

gboolean
cp_api_keys_validate_scopes (const char * const  *scopes,
                             GError             **error)
{
  g_autofree char *known = g_strjoinv (", ", (char **) all_scopes);

  if (scopes == NULL || scopes[0] == NULL)
    {
      g_set_error (error, CP_API_KEYS_ERROR, CP_API_KEYS_ERROR_INVALID_SCOPE,
                   _("A key needs at least one scope. The scopes are: %s."), known);
      return FALSE;
    }

  for (guint i = 0; scopes[i] != NULL; i++)
    if (!g_strv_contains (all_scopes, scopes[i]))
      {
        g_set_error (error, CP_API_KEYS_ERROR, CP_API_KEYS_ERROR_INVALID_SCOPE,
                     _("“%s” is not a scope of the local API. The scopes are: %s."),
                     scopes[i], known);
        return FALSE;
      }

  return TRUE;
}

/* Sorted and without duplicates, as stored: "a,b". */
static char *
join_scopes (const char * const *scopes)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; all_scopes[i] != NULL; i++)
    if (g_strv_contains (scopes, all_scopes[i]))
      {
        if (joined->len > 0)
          g_string_append_c (joined, ',');
        g_string_append (joined, all_scopes[i]);
      }
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static char **
split_scopes (const char *stored)
{
  if (stored == NULL || *stored == '\0')
    return g_new0 (char *, 1);
  return g_strsplit (stored, ",", -1);
}

/* The kernel's CSPRNG: GRand is predictable and must never make secrets. */
static gboolean
random_bytes (guint8   *buf,
              gsize     len,
              GError  **error)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = getrandom (buf + done, len - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not get random numbers from the system for a new key: %s"),
                       g_strerror (saved_errno));
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

static void
append_hex (GString      *out,
            const guint8 *bytes,
            gsize         len)
{
  static const char digits[] = "0123456789abcdef";

  for (gsize i = 0; i < len; i++)
    {
      g_string_append_c (out, digits[bytes[i] >> 4]);
      g_string_append_c (out, digits[bytes[i] & 0xf]);
    }
}

/* The raw SHA-256 of SECRET into DIGEST. */
static void
hash_secret (const char *secret,
             guint8      digest[32])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = 32;

  g_checksum_update (checksum, (const guchar *) secret, strlen (secret));
  g_checksum_get_digest (checksum, digest, &len);
  g_assert (len == 32);
}

static char *
hash_secret_hex (const char *secret)
{
  guint8 digest[32];
  g_autoptr(GString) hex = g_string_sized_new (64);

  hash_secret (secret, digest);
  append_hex (hex, digest, sizeof digest);
  return g_string_free (g_steal_pointer (&hex), FALSE);
}

static gboolean
is_lower_hex (const char *s,
              gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (s[i]) || g_ascii_isupper (s[i]))
      return FALSE;
  return TRUE;
}

/* Decodes 64 hex digits; FALSE for anything else. */
static gboolean
decode_digest (const char *hex,
               guint8      digest[32])
{
  if (hex == NULL || strlen (hex) != 64 || !is_lower_hex (hex, 64))
    return FALSE;
  for (guint i = 0; i < 32; i++)
    digest[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]));
  return TRUE;
}

/* Every byte is looked at whatever the first difference, so the time
 * taken says nothing about where two digests differ. */
static gboolean
digests_equal (const guint8 *a,
               const guint8 *b)
{
  volatile guint8 diff = 0;

  for (guint i = 0; i < 32; i++)
    diff |= a[i] ^ b[i];
  return diff == 0;
}

void
cp_api_keys_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static CpApiKey *
key_from_row (sqlite3_stmt *stmt)
{
  CpApiKey *key = g_new0 (CpApiKey, 1);
  g_autofree char *scopes = cp_sql_dup_text (stmt, 2);

  key->id = cp_sql_dup_text (stmt, 0);
  key->name = cp_sql_dup_text (stmt, 1);
  key->scopes = split_scopes (scopes);
  key->created_at = sqlite3_column_int64 (stmt, 3);
  key->last_used_at = sqlite3_column_int64 (stmt, 4);
  key->revoked_at = sqlite3_column_int64 (stmt, 5);
  return key;
}

#define KEY_COLUMNS "id, name, scopes, created_at, last_used_at, revoked_at"

CpApiKey *
cp_api_keys_create (CpLedger            *ledger,
                    const char          *name,
                    const char * const  *scopes,
                    char               **out_secret,
                    GError             **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(GString) id = g_string_sized_new (ID_HEX_LEN);
  g_autoptr(GString) secret = g_string_sized_new (KEY_LEN);
  g_autofree char *stripped = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *joined = NULL;
  guint8 raw[ID_BYTES + SECRET_BYTES];
  CpApiKey *key;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (out_secret != NULL, NULL);

  stripped = g_strstrip (g_strdup (name != NULL ? name : ""));
  if (*stripped == '\0' || g_utf8_strlen (stripped, -1) > MAX_NAME_LEN ||
      !g_utf8_validate (stripped, -1, NULL))
    {
      g_set_error (error, CP_API_KEYS_ERROR, CP_API_KEYS_ERROR_INVALID,
                   _("A key needs a name of 1 to %d characters that says who uses it, "
                     "such as “Website stock widget”."), MAX_NAME_LEN);
      return NULL;
    }
  if (!cp_api_keys_validate_scopes (scopes, error))
    return NULL;

  if (!random_bytes (raw, sizeof raw, error))
    return NULL;
  append_hex (id, raw, ID_BYTES);
  g_string_append (secret, CP_API_KEY_PREFIX);
  g_string_append (secret, id->str);
  g_string_append_c (secret, '_');
  append_hex (secret, raw + ID_BYTES, SECRET_BYTES);
  explicit_bzero (raw, sizeof raw);
  g_assert (secret->len == KEY_LEN);

  hash = hash_secret_hex (secret->str);
  joined = join_scopes (scopes);

  key = g_new0 (CpApiKey, 1);
  key->id = g_strdup (id->str);
  key->name = g_strdup (stripped);
  key->scopes = split_scopes (joined);
  key->created_at = cp_ledger_now_us ();

  stmt = cp_ledger_prepare_cached (ledger,
                                   "INSERT INTO api_keys (id, name, secret_hash, scopes, created_at) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5)",
                                   error);
  if (stmt != NULL)
    {
      cp_sql_bind_text (stmt, 1, key->id);
      cp_sql_bind_text (stmt, 2, key->name);
      cp_sql_bind_text (stmt, 3, hash);
      cp_sql_bind_text (stmt, 4, joined);
      sqlite3_bind_int64 (stmt, 5, key->created_at);
    }
  if (stmt == NULL || !cp_sql_run (ledger, stmt, _("Could not save the new key"), error))
    {
      explicit_bzero (secret->str, secret->len);
      cp_api_key_free (key);
      return NULL;
    }

  cp_ledger_emit_changed (ledger, "api_keys");
  *out_secret = g_string_free (g_steal_pointer (&secret), FALSE);
  return key;
}

GPtrArray *
cp_api_keys_list (CpLedger  *ledger,
                  GError   **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_api_key_free);
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT " KEY_COLUMNS " FROM api_keys ORDER BY created_at, id",
                                   error);
  if (stmt == NULL)
    return NULL;

  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the API keys"), error)) == SQLITE_ROW)
    g_ptr_array_add (keys, key_from_row (stmt));
  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&keys);
}

CpApiKey *
cp_api_keys_get (CpLedger    *ledger,
                 const char  *id,
                 GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT " KEY_COLUMNS " FROM api_keys WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return NULL;
  cp_sql_bind_text (stmt, 1, id != NULL ? id : "");

  rc = cp_sql_step (ledger, stmt, _("Could not read the API key"), error);
  if (rc == SQLITE_ROW)
    return key_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, CP_API_KEYS_ERROR, CP_API_KEYS_ERROR_NOT_FOUND,
                 _("There is no API key “%s”. “counterpart-cli api-keys list” shows the keys."),
                 id != NULL ? id : "");
  return NULL;
}

gboolean
cp_api_keys_revoke (CpLedger    *ledger,
                    const char  *id,
                    GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(CpApiKey) key = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  key = cp_api_keys_get (ledger, id, error);
  if (key == NULL)
    return FALSE;
  if (key->revoked_at != 0)
    return TRUE;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "UPDATE api_keys SET revoked_at = ?2 "
                                   "WHERE id = ?1 AND revoked_at IS NULL",
                                   error);
  if (stmt == NULL)
    return FALSE;
  cp_sql_bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, cp_ledger_now_us ());
  if (!cp_sql_run (ledger, stmt, _("Could not revoke the key"), error))
    return FALSE;

  cp_ledger_emit_changed (ledger, "api_keys");
  return TRUE;
}

CpApiKey *
cp_api_keys_verify (CpLedger    *ledger,
                    const char  *secret,
                    GError     **error)
{
  /* Compared against when the id is unknown, so that case costs the
   * same hash and comparison as a wrong secret. */
  static const guint8 no_digest[32] = { 0 };
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autofree char *id = NULL;
  g_autofree char *stored_hex = NULL;
  guint8 presented[32];
  guint8 stored[32];
  const guint8 *against = no_digest;
  CpApiKey *key = NULL;
  gboolean equal;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  if (secret == NULL || strlen (secret) != KEY_LEN ||
      !g_str_has_prefix (secret, CP_API_KEY_PREFIX) ||
      secret[sizeof CP_API_KEY_PREFIX - 1 + ID_HEX_LEN] != '_' ||
      !is_lower_hex (secret + sizeof CP_API_KEY_PREFIX - 1, ID_HEX_LEN) ||
      !is_lower_hex (secret + KEY_LEN - SECRET_HEX_LEN, SECRET_HEX_LEN))
    {
      g_set_error_literal (error, CP_API_KEYS_ERROR, CP_API_KEYS_ERROR_UNAUTHORIZED,
                           "malformed API key");
      return NULL;
    }

  id = g_strndup (secret + sizeof CP_API_KEY_PREFIX - 1, ID_HEX_LEN);
  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT " KEY_COLUMNS ", secret_hash FROM api_keys WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return NULL;
  cp_sql_bind_text (stmt, 1, id);
  rc = cp_sql_step (ledger, stmt, _("Could not read the API keys"), error);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return NULL;
  if (rc == SQLITE_ROW)
    {
      stored_hex = cp_sql_dup_text (stmt, 6);
      if (decode_digest (stored_hex, stored))
        against = stored;
      key = key_from_row (stmt);
    }

  hash_secret (secret, presented);
  equal = digests_equal (presented, against);
  explicit_bzero (presented, sizeof presented);

  if (key == NULL || against == no_digest || !equal)
    {
      cp_api_key_free (key);
      g_set_error_literal (error, CP_API_KEYS_ERROR, CP_API_KEYS_ERROR_UNAUTHORIZED,
                           "unknown API key");
      return NULL;
    }
  if (key->revoked_at != 0)
    {
      g_set_error (error, CP_API_KEYS_ERROR, CP_API_KEYS_ERROR_UNAUTHORIZED,
                   "revoked API key %s", key->id);
      cp_api_key_free (key);
      return NULL;
    }

  return key;
}

gboolean
cp_api_keys_touch (CpLedger  *ledger,
                   CpApiKey  *key,
                   gint64     now_us,
                   GError   **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (key->last_used_at != 0 && now_us - key->last_used_at < TOUCH_INTERVAL_US)
    return TRUE;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1 "
                                   "AND (last_used_at IS NULL OR last_used_at < ?3)",
                                   error);
  if (stmt == NULL)
    return FALSE;
  cp_sql_bind_text (stmt, 1, key->id);
  sqlite3_bind_int64 (stmt, 2, now_us);
  sqlite3_bind_int64 (stmt, 3, now_us - TOUCH_INTERVAL_US);
  if (!cp_sql_run (ledger, stmt, _("Could not record the key’s use"), error))
    return FALSE;

  key->last_used_at = now_us;
  return TRUE;
}
