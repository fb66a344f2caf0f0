/* test-api-keys.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keys of the local API in a real ledger: created with scopes, shown once,
 * stored only as a hash (the database files are searched for the secret),
 * listed, revoked, verified.
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cp-api-keys.h"
#include "cp-sql.h"

typedef struct
{
  char     *dir;
  char     *path;
  CpLedger *ledger;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("cp-api-keys-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "ledger.sqlite3", NULL);
  f->ledger = cp_ledger_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->ledger);
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static CpApiKey *
create (Fixture     *f,
        const char  *name,
        const char  *scopes,
        char       **out_secret)
{
  g_auto(GStrv) list = g_strsplit (scopes, ",", -1);
  g_autoptr(GError) error = NULL;
  CpApiKey *key;

  key = cp_api_keys_create (f->ledger, name, (const char * const *) list, out_secret, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}

static void
test_create_and_verify (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *secret = NULL;
  g_autoptr(CpApiKey) key = create (f, "  Website widget ", "orders.read,integrations.read,orders.read", &secret);
  g_autoptr(CpApiKey) verified = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (key->name, ==, "Website widget");
  g_assert_cmpuint (g_strv_length (key->scopes), ==, 2);
  g_assert_cmpstr (key->scopes[0], ==, "integrations.read");
  g_assert_cmpstr (key->scopes[1], ==, "orders.read");
  g_assert_cmpint (key->created_at, >, 0);
  g_assert_cmpint (key->revoked_at, ==, 0);

  /* cpk_<12 hex id>_<64 hex> */
  g_assert_cmpuint (strlen (secret), ==, 4 + 12 + 1 + 64);
  g_assert_true (g_str_has_prefix (secret, CP_API_KEY_PREFIX));
  g_assert_true (strncmp (secret + 4, key->id, 12) == 0);

  verified = cp_api_keys_verify (f->ledger, secret, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (verified->id, ==, key->id);
  g_assert_true (cp_api_key_has_scope (verified, CP_API_SCOPE_ORDERS_READ));
  g_assert_false (cp_api_key_has_scope (verified, CP_API_SCOPE_INTEGRATIONS_SYNC));
}

static void
test_wrong_secrets (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *secret = NULL;
  g_autoptr(CpApiKey) key = create (f, "Script", "integrations.sync", &secret);
  g_autofree char *flipped = g_strdup (secret);
  g_autofree char *upper = g_ascii_strup (secret, -1);
  g_autofree char *longer = g_strconcat (secret, "0", NULL);
  g_autofree char *shorter = g_strndup (secret, strlen (secret) - 1);
  g_autofree char *other_id = g_strdup (secret);
  const char *wrong[] = { flipped, upper, longer, shorter, other_id, "", "Bearer", NULL };

  /* The same id with one secret digit changed, at the end, where a
   * comparison that stops early would take longest. */
  flipped[strlen (flipped) - 1] = flipped[strlen (flipped) - 1] == '0' ? '1' : '0';
  other_id[5] = other_id[5] == 'a' ? 'b' : 'a';
  memcpy (upper, "cpk_", 4);

  for (guint i = 0; wrong[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CpApiKey) none = cp_api_keys_verify (f->ledger, wrong[i], &error);

      g_assert_null (none);
      g_assert_error (error, CP_API_KEYS_ERROR, CP_API_KEYS_ERROR_UNAUTHORIZED);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (cp_api_keys_verify (f->ledger, NULL, &error));
    g_assert_error (error, CP_API_KEYS_ERROR, CP_API_KEYS_ERROR_UNAUTHORIZED);
  }
}

static void
test_invalid_input (Fixture       *f,
                    gconstpointer  data)
{
  const char *none[] = { NULL };
  const char *unknown[] = { "integrations.read", "everything", NULL };
  const char *good[] = { "webhooks.write", NULL };
  g_autofree char *long_name = g_strnfill (201, 'n');
  char *secret = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (cp_api_keys_create (f->ledger, "x", none, &secret, &error));
  g_assert_error (error, CP_API_KEYS_ERROR, CP_API_KEYS_ERROR_INVALID_SCOPE);
  g_assert_nonnull (strstr (error->message, "integrations.sync"));
  g_clear_error (&error);

  g_assert_null (cp_api_keys_create (f->ledger, "x", unknown, &secret, &error));
  g_assert_error (error, CP_API_KEYS_ERROR, CP_API_KEYS_ERROR_INVALID_SCOPE);
  g_assert_nonnull (strstr (error->message, "everything"));
  g_clear_error (&error);

  g_assert_null (cp_api_keys_create (f->ledger, "   ", good, &secret, &error));
  g_assert_error (error, CP_API_KEYS_ERROR, CP_API_KEYS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (cp_api_keys_create (f->ledger, long_name, good, &secret, &error));
  g_assert_error (error, CP_API_KEYS_ERROR, CP_API_KEYS_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (secret);
  g_assert_cmpint (cp_sql_query_int (f->ledger, "SELECT count(*) FROM api_keys", -1), ==, 0);
}

static void
test_list_and_revoke (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;
  g_autoptr(CpApiKey) k1 = create (f, "First", "integrations.read", &s1);
  g_autoptr(CpApiKey) k2 = create (f, "Second", "integrations.sync", &s2);
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(CpApiKey) revoked = NULL;
  g_autoptr(CpApiKey) still = NULL;
  g_autoptr(CpApiKey) none = NULL;
  g_autoptr(GError) error = NULL;
  gint64 first_revocation;

  keys = cp_api_keys_list (f->ledger, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 2);
  g_assert_cmpstr (((CpApiKey *) keys->pdata[0])->name, ==, "First");
  g_assert_cmpstr (((CpApiKey *) keys->pdata[1])->name, ==, "Second");

  g_assert_true (cp_api_keys_revoke (f->ledger, k1->id, &error));
  g_assert_no_error (error);
  revoked = cp_api_keys_get (f->ledger, k1->id, &error);
  g_assert_no_error (error);
  g_assert_true (cp_api_key_is_revoked (revoked));
  first_revocation = revoked->revoked_at;

  /* Revoking again changes nothing. */
  g_assert_true (cp_api_keys_revoke (f->ledger, k1->id, &error));
  g_clear_pointer (&revoked, cp_api_key_free);
  revoked = cp_api_keys_get (f->ledger, k1->id, &error);
  g_assert_cmpint (revoked->revoked_at, ==, first_revocation);

  none = cp_api_keys_verify (f->ledger, s1, &error);
  g_assert_null (none);
  g_assert_error (error, CP_API_KEYS_ERROR, CP_API_KEYS_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  still = cp_api_keys_verify (f->ledger, s2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (still);

  g_assert_false (cp_api_keys_revoke (f->ledger, "000000000000", &error));
  g_assert_error (error, CP_API_KEYS_ERROR, CP_API_KEYS_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "api-keys list"));
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize len;

  gsize needle_len = strlen (needle);

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  /* The files hold NULs: no str* search. */
  for (gsize i = 0; i + needle_len <= len; i++)
    if (memcmp (data + i, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

/* The secret, its random part alone, and its hex are nowhere in the
 * database or its journal; the id (not secret) is, which proves the
 * search looks in the right place. */
static void
test_secret_never_stored (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *secret = NULL;
  g_autoptr(CpApiKey) key = create (f, "Checked", "integrations.read", &secret);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  const char *random_part = secret + 4 + 12 + 1;
  g_autofree char *half = g_strndup (random_part, 32);
  g_autoptr(CpApiKey) verified = NULL;
  const char *files[] = { f->path, wal };

  /* A use recorded as well: that write must not carry it either. */
  verified = cp_api_keys_verify (f->ledger, secret, NULL);
  g_assert_nonnull (verified);
  g_assert_true (cp_api_keys_touch (f->ledger, verified, cp_ledger_now_us (), NULL));

  g_assert_true (file_contains (wal, key->id) || file_contains (f->path, key->id));
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_assert_false (file_contains (files[i], secret));
      g_assert_false (file_contains (files[i], random_part));
      g_assert_false (file_contains (files[i], half));
    }

  /* After a checkpoint, in the main file too. */
  g_assert_true (cp_sql_exec (f->ledger, "PRAGMA wal_checkpoint(TRUNCATE)", "checkpoint", NULL));
  g_assert_true (file_contains (f->path, key->id));
  g_assert_false (file_contains (f->path, secret));
  g_assert_false (file_contains (f->path, random_part));
  g_assert_false (file_contains (f->path, half));

  /* Only 64 hex digits of hash are kept. */
  g_assert_cmpint (cp_sql_query_int (f->ledger, "SELECT length(secret_hash) FROM api_keys", -1), ==, 64);
}

static void
test_touch_at_most_once_a_minute (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *secret = NULL;
  g_autoptr(CpApiKey) key = create (f, "Busy", "integrations.read", &secret);
  g_autoptr(CpApiKey) row = NULL;
  gint64 t0 = cp_ledger_now_us ();
  gint64 version;

  g_assert_true (cp_api_keys_touch (f->ledger, key, t0, NULL));
  g_assert_cmpint (key->last_used_at, ==, t0);
  version = cp_sql_query_int (f->ledger, "SELECT total_changes()", -1);
  g_assert_true (cp_api_keys_touch (f->ledger, key, t0 + 30 * G_USEC_PER_SEC, NULL));
  g_assert_cmpint (cp_sql_query_int (f->ledger, "SELECT total_changes()", -1), ==, version);
  g_assert_true (cp_api_keys_touch (f->ledger, key, t0 + 61 * G_USEC_PER_SEC, NULL));

  row = cp_api_keys_get (f->ledger, key->id, NULL);
  g_assert_cmpint (row->last_used_at, ==, t0 + 61 * G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define TEST(name, func) \
  g_test_add ("/api-keys/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  TEST ("create-and-verify", test_create_and_verify);
  TEST ("wrong-secrets", test_wrong_secrets);
  TEST ("invalid-input", test_invalid_input);
  TEST ("list-and-revoke", test_list_and_revoke);
  TEST ("secret-never-stored", test_secret_never_stored);
  TEST ("touch", test_touch_at_most_once_a_minute);
#undef TEST

  return g_test_run ();
}
