/* cp-customers.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Consent records are only ever appended: when a customer complains, the
 * shop must be able to show what was agreed, when, where and how.
 */

#define G_LOG_DOMAIN "cp-customers"

#include "config.h"

#include <inttypes.h>

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cp-customers.h"
#include "cp-sql.h"

static const char * const channel_names[CP_N_CONSENT_CHANNELS] = {
  "email", "sms", "phone", "post",
};

const char *
cp_consent_channel_to_string (CpConsentChannel channel)
{
  g_return_val_if_fail (channel < CP_N_CONSENT_CHANNELS, NULL);

  return channel_names[channel];
}

gboolean
cp_consent_channel_from_string (const char       *text,
                                CpConsentChannel *out_channel)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < CP_N_CONSENT_CHANNELS; i++)
    {
      if (g_str_equal (text, channel_names[i]))
        {
          if (out_channel != NULL)
            *out_channel = i;
          return TRUE;
        }
    }

  return FALSE;
}

void
cp_customer_free (CpCustomer *customer)
{
  if (customer == NULL)
    return;

  g_free (customer->name);
  g_free (customer->email);
  g_free (customer->phone);
  g_free (customer);
}

void
cp_consent_free (CpConsent *consent)
{
  if (consent == NULL)
    return;

  g_free (consent->purpose);
  g_free (consent->source);
  g_free (consent->evidence);
  g_free (consent);
}

static const char *
empty_to_null (const char *text)
{
  return (text != NULL && *text != '\0') ? text : NULL;
}

/* Enough to catch a name typed into the email column; the real check is
 * whether mail arrives. */
static gboolean
is_plausible_email (const char *email)
{
  const char *at = strchr (email, '@');

  if (at == NULL || at == email || at[1] == '\0' || strchr (at + 1, '@') != NULL)
    return FALSE;

  for (const char *p = email; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return FALSE;

  return g_utf8_validate (email, -1, NULL);
}

static CpCustomer *
customer_from_row (sqlite3_stmt *stmt)
{
  CpCustomer *customer = g_new0 (CpCustomer, 1);

  customer->id = sqlite3_column_int64 (stmt, 0);
  customer->name = cp_sql_dup_text (stmt, 1);
  customer->email = cp_sql_dup_text (stmt, 2);
  customer->phone = cp_sql_dup_text (stmt, 3);
  customer->created_at_us = sqlite3_column_int64 (stmt, 4);

  return customer;
}

static CpCustomer *
get_customer (CpLedger    *ledger,
              const char  *sql,
              const char  *email,
              gint64       id,
              GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  stmt = cp_ledger_prepare_cached (ledger, sql, error);
  if (stmt == NULL)
    return NULL;

  if (email != NULL)
    cp_sql_bind_text (stmt, 1, email);
  else
    sqlite3_bind_int64 (stmt, 1, id);

  rc = cp_sql_step (ledger, stmt, _("Could not read the customers"), error);
  if (rc == SQLITE_ROW)
    return customer_from_row (stmt);

  if (rc == SQLITE_DONE)
    {
      if (email != NULL)
        g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND,
                     _("No customer has the email address %s."), email);
      else
        g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND,
                     _("The customer %" PRId64 " no longer exists."), id);
    }

  return NULL;
}

CpCustomer *
cp_customers_get (CpLedger  *ledger,
                  gint64     id,
                  GError   **error)
{
  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  return get_customer (ledger,
                       "SELECT id, name, email, phone, created_at FROM customers WHERE id = ?1",
                       NULL, id, error);
}

CpCustomer *
cp_customers_get_by_email (CpLedger    *ledger,
                           const char  *email,
                           GError     **error)
{
  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  return get_customer (ledger,
                       "SELECT id, name, email, phone, created_at FROM customers WHERE email = ?1",
                       email != NULL ? email : "", 0, error);
}

gboolean
cp_customers_upsert (CpLedger    *ledger,
                     const char  *email,
                     const char  *name,
                     const char  *phone,
                     gint64      *out_id,
                     gboolean    *out_created,
                     GError     **error)
{
  g_autoptr(CpCustomer) existing = NULL;
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  gint64 id;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  email = empty_to_null (email);
  name = empty_to_null (name);
  phone = empty_to_null (phone);

  if (email != NULL && !is_plausible_email (email))
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("“%s” is not an email address. Write it as name@example.com, or leave it "
                     "empty."),
                   email);
      return FALSE;
    }

  if (email == NULL && name == NULL && phone == NULL)
    {
      g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                           _("A customer needs at least a name, an email address or a phone "
                             "number."));
      return FALSE;
    }

  if (email != NULL)
    existing = cp_customers_get_by_email (ledger, email, NULL);

  if (existing != NULL)
    {
      id = existing->id;

      if ((name == NULL || g_strcmp0 (name, existing->name) == 0) &&
          (phone == NULL || g_strcmp0 (phone, existing->phone) == 0))
        {
          if (out_id != NULL)
            *out_id = id;
          if (out_created != NULL)
            *out_created = FALSE;
          return TRUE;
        }

      /* What is not given is kept: a sale with only an email must not
       * erase the phone number taken at the counter. */
      stmt = cp_ledger_prepare_cached (ledger,
                                       "UPDATE customers SET name = coalesce (?2, name), "
                                       "phone = coalesce (?3, phone) WHERE id = ?1",
                                       error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      cp_sql_bind_text (stmt, 2, name);
      cp_sql_bind_text (stmt, 3, phone);

      if (!cp_sql_run (ledger, stmt, _("Could not save the customer"), error))
        return FALSE;
    }
  else
    {
      stmt = cp_ledger_prepare_cached (ledger,
                                       "INSERT INTO customers (name, email, phone, created_at) "
                                       "VALUES (?1, ?2, ?3, ?4)",
                                       error);
      if (stmt == NULL)
        return FALSE;
      cp_sql_bind_text (stmt, 1, name);
      cp_sql_bind_text (stmt, 2, email);
      cp_sql_bind_text (stmt, 3, phone);
      sqlite3_bind_int64 (stmt, 4, cp_ledger_now_us ());

      if (!cp_sql_run (ledger, stmt, _("Could not save the customer"), error))
        return FALSE;
      id = sqlite3_last_insert_rowid (cp_ledger_get_db (ledger));
    }

  if (out_id != NULL)
    *out_id = id;
  if (out_created != NULL)
    *out_created = existing == NULL;

  cp_ledger_emit_changed (ledger, "customers");
  return TRUE;
}

gboolean
cp_customers_record_consent (CpLedger          *ledger,
                             gint64             customer_id,
                             CpConsentChannel   channel,
                             const char        *purpose,
                             gboolean           granted,
                             const char        *source,
                             const char        *evidence,
                             gint64            *out_id,
                             GError           **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(CpCustomer) customer = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  if (channel >= CP_N_CONSENT_CHANNELS)
    {
      g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                           _("Unknown way of contacting a customer. Use email, sms, phone or post."));
      return FALSE;
    }

  if (empty_to_null (source) == NULL)
    {
      g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                           _("Say where the consent was given (at the till, on the web shop…): "
                             "without it the record proves nothing."));
      return FALSE;
    }

  customer = cp_customers_get (ledger, customer_id, error);
  if (customer == NULL)
    return FALSE;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "INSERT INTO customer_consents (customer_id, channel, purpose, "
                                   "granted, at, source, evidence) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, customer_id);
  cp_sql_bind_text (stmt, 2, channel_names[channel]);
  cp_sql_bind_text (stmt, 3, empty_to_null (purpose) != NULL ? purpose : "marketing");
  sqlite3_bind_int (stmt, 4, granted ? 1 : 0);
  sqlite3_bind_int64 (stmt, 5, cp_ledger_now_us ());
  cp_sql_bind_text (stmt, 6, source);
  cp_sql_bind_text_or_null (stmt, 7, evidence);

  if (!cp_sql_run (ledger, stmt, _("Could not record the consent"), error))
    return FALSE;

  if (out_id != NULL)
    *out_id = sqlite3_last_insert_rowid (cp_ledger_get_db (ledger));

  cp_ledger_emit_changed (ledger, "customers");
  return TRUE;
}

CpConsent *
cp_customers_get_consent (CpLedger          *ledger,
                          gint64             customer_id,
                          CpConsentChannel   channel,
                          const char        *purpose,
                          GError           **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  CpConsent *consent;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (channel < CP_N_CONSENT_CHANNELS, NULL);

  /* The latest record wins, by insertion order: two records within the
   * same microsecond still have an order. */
  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT id, granted, at, source, evidence, purpose "
                                   "FROM customer_consents "
                                   "WHERE customer_id = ?1 AND channel = ?2 AND purpose = ?3 "
                                   "ORDER BY id DESC LIMIT 1",
                                   error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, customer_id);
  cp_sql_bind_text (stmt, 2, channel_names[channel]);
  cp_sql_bind_text (stmt, 3, empty_to_null (purpose) != NULL ? purpose : "marketing");

  rc = cp_sql_step (ledger, stmt, _("Could not read the consent"), error);
  if (rc != SQLITE_ROW)
    return NULL;

  consent = g_new0 (CpConsent, 1);
  consent->id = sqlite3_column_int64 (stmt, 0);
  consent->customer_id = customer_id;
  consent->channel = channel;
  consent->granted = sqlite3_column_int (stmt, 1) != 0;
  consent->at_us = sqlite3_column_int64 (stmt, 2);
  consent->source = cp_sql_dup_text (stmt, 3);
  consent->evidence = cp_sql_dup_text (stmt, 4);
  consent->purpose = cp_sql_dup_text (stmt, 5);

  return consent;
}

gboolean
cp_customers_has_consent (CpLedger          *ledger,
                          gint64             customer_id,
                          CpConsentChannel   channel,
                          const char        *purpose)
{
  g_autoptr(CpConsent) consent = cp_customers_get_consent (ledger, customer_id, channel,
                                                           purpose, NULL);

  return consent != NULL && consent->granted;
}
