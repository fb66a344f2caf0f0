/* cp-customers.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Customers and their consent to be contacted. Consent is a history: each
 * grant or withdrawal is a new record with its source and evidence, and
 * the latest one per channel and purpose is in force.
 */

#pragma once

#include "cp-ledger.h"

G_BEGIN_DECLS

typedef enum
{
  CP_CONSENT_CHANNEL_EMAIL,
  CP_CONSENT_CHANNEL_SMS,
  CP_CONSENT_CHANNEL_PHONE,
  CP_CONSENT_CHANNEL_POST,
  CP_N_CONSENT_CHANNELS
} CpConsentChannel;

const char *cp_consent_channel_to_string   (CpConsentChannel  channel);
gboolean    cp_consent_channel_from_string (const char       *text,
                                            CpConsentChannel *out_channel);

typedef struct
{
  gint64  id;
  char   *name;           /* NULL when unknown */
  char   *email;          /* NULL when unknown */
  char   *phone;          /* NULL when unknown */
  gint64  created_at_us;
} CpCustomer;

void        cp_customer_free (CpCustomer *customer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpCustomer, cp_customer_free)

/* Finds the customer by EMAIL (case does not matter) and updates NAME and
 * PHONE when given and different, or creates one. Without EMAIL a new
 * customer is always created and needs a NAME or PHONE. */
gboolean    cp_customers_upsert       (CpLedger    *ledger,
                                       const char  *email,
                                       const char  *name,
                                       const char  *phone,
                                       gint64      *out_id,
                                       gboolean    *out_created,
                                       GError     **error);
CpCustomer *cp_customers_get          (CpLedger    *ledger,
                                       gint64       id,
                                       GError     **error);
/* NULL with CP_LEDGER_ERROR_NOT_FOUND when nobody has EMAIL. */
CpCustomer *cp_customers_get_by_email (CpLedger    *ledger,
                                       const char  *email,
                                       GError     **error);

typedef struct
{
  gint64            id;
  gint64            customer_id;
  CpConsentChannel  channel;
  char             *purpose;
  gboolean          granted;
  gint64            at_us;
  char             *source;    /* where it was given: "pos", "web", an integration id… */
  char             *evidence;  /* what proves it: the form text, a signature ref… */
} CpConsent;

void        cp_consent_free (CpConsent *consent);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpConsent, cp_consent_free)

/* Appends a grant (GRANTED) or withdrawal. PURPOSE defaults to
 * "marketing"; SOURCE is required. */
gboolean    cp_customers_record_consent (CpLedger          *ledger,
                                         gint64             customer_id,
                                         CpConsentChannel   channel,
                                         const char        *purpose,
                                         gboolean           granted,
                                         const char        *source,
                                         const char        *evidence,
                                         gint64            *out_id,
                                         GError           **error);
/* The record in force for CHANNEL and PURPOSE (NULL: "marketing"), or
 * NULL without an error when none was ever recorded. */
CpConsent  *cp_customers_get_consent    (CpLedger          *ledger,
                                         gint64             customer_id,
                                         CpConsentChannel   channel,
                                         const char        *purpose,
                                         GError           **error);
/* TRUE only when the record in force is a grant: no record is no consent. */
gboolean    cp_customers_has_consent    (CpLedger          *ledger,
                                         gint64             customer_id,
                                         CpConsentChannel   channel,
                                         const char        *purpose);

G_END_DECLS
