/* cp-wizard-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by cp-integration-wizard.c (navigation, the check, storing) and
 * cp-wizard-pages.c (the pages' widgets).
 */

#pragma once

#include "cp-connector.h"
#include "cp-integration-wizard.h"
#include "cp-stock-publish.h"

G_BEGIN_DECLS

typedef enum
{
  CP_WIZARD_PAGE_PLATFORM,
  CP_WIZARD_PAGE_MODE,
  CP_WIZARD_PAGE_CREDENTIALS,
  CP_WIZARD_PAGE_TEST,
  CP_WIZARD_PAGE_PERMISSIONS,
  CP_WIZARD_PAGE_LOCATIONS,
  CP_WIZARD_PAGE_PRODUCTS,
  CP_WIZARD_PAGE_POLICY,
  CP_WIZARD_PAGE_DONE,
  CP_WIZARD_N_PAGES
} CpWizardPage;

/* The mapping kinds of issue 4's shared agreement. */
#define CP_WIZARD_KIND_LOCATION CP_MAPPING_KIND_LOCATION
#define CP_WIZARD_KIND_EXCLUDED CP_MAPPING_KIND_PRODUCT_EXCLUDED

struct _CpIntegrationWizard
{
  AdwWindow            parent_instance;

  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkWidget           *cancel_button;
  GtkWidget           *back_button;
  GtkButton           *next_button;
  GtkStack            *stack;
  GtkWidget           *pages[CP_WIZARD_N_PAGES];

  /* Platform and mode */
  GPtrArray           *platforms;         /* const CpPlatformInfo* */
  GPtrArray           *platform_checks;   /* GtkCheckButton*, same order */
  GtkWidget           *sandbox_row;
  GtkCheckButton      *sandbox_check;
  GtkCheckButton      *live_check;
  GtkWidget           *name_row;

  /* Credentials */
  AdwPreferencesGroup *credentials_group;
  GtkWidget           *url_row;
  GPtrArray           *credential_rows;
  const CpPlatformInfo *rows_platform;    /* the platform the rows are for */

  /* Test */
  AdwStatusPage       *test_status;
  GtkWidget           *test_spinner;
  GtkLabel            *test_label;
  GtkWidget           *retry_button;

  /* Permissions, locations, products, policy */
  GPtrArray           *permission_rows;
  AdwPreferencesGroup *locations_group;
  GPtrArray           *location_rows;
  AdwPreferencesGroup *report_group;
  GPtrArray           *report_rows;
  AdwComboRow         *unmatched_row;
  AdwComboRow         *stock_master_row;
  AdwComboRow         *price_master_row;
  AdwComboRow         *pull_row;
  AdwComboRow         *reconcile_row;

  /* Done */
  AdwStatusPage       *done_status;

  GArray              *history;           /* CpWizardPage shown before */
  CpLedger            *ledger;
  CpIntegration       *editing;
  GCancellable        *cancellable;
  gboolean             busy;
  gboolean             storing;     /* the keyring is writing */
  gboolean             check_passed;
  char                *check_result;
  char                *account_name;
  CpMappingReport     *report;
  char                *created_id;
};

/* cp-wizard-pages.c */
void                  cp_wizard_build_pages        (CpIntegrationWizard *self);
GtkWidget            *cp_wizard_new_page           (CpIntegrationWizard *self,
                                                    CpWizardPage         page,
                                                    const char          *name,
                                                    GtkWidget           *widget);
AdwPreferencesGroup  *cp_wizard_add_group          (GtkWidget           *page,
                                                    const char          *title,
                                                    const char          *description);
GtkWidget            *cp_wizard_new_combo_row      (const char          *name,
                                                    const char          *title,
                                                    const char          *subtitle,
                                                    const char         **choices,
                                                    guint                n_choices,
                                                    guint                selected);
GtkSwitch            *cp_wizard_permission_switch  (CpIntegrationWizard *self,
                                                    const char          *permission);
/* Whether the products only here are to be created in the store. */
gboolean              cp_wizard_create_unmatched   (CpIntegrationWizard *self);
const CpPlatformInfo *cp_wizard_selected_platform  (CpIntegrationWizard *self);
gboolean              cp_wizard_is_sandbox         (CpIntegrationWizard *self);
void                  cp_wizard_update_mode        (CpIntegrationWizard *self);
void                  cp_wizard_update_credentials (CpIntegrationWizard *self);
void                  cp_wizard_show_report        (CpIntegrationWizard *self);
void                  cp_wizard_load_integration   (CpIntegrationWizard *self);
/* cp-wizard-mapping.c: the locations and products pages. */
void                  cp_wizard_build_locations_page (CpIntegrationWizard *self);
void                  cp_wizard_build_products_page  (CpIntegrationWizard *self);

/* What the pages say, for storing. */
char                **cp_wizard_dup_permissions    (CpIntegrationWizard *self);
char                 *cp_wizard_build_settings     (CpIntegrationWizard *self,
                                                    const char          *old_settings);
char                 *cp_wizard_build_credentials  (CpIntegrationWizard *self);
gboolean              cp_wizard_typed_credentials  (CpIntegrationWizard *self);
/* Location code → remote id ("" for not sent), in pairs. */
GPtrArray            *cp_wizard_dup_locations      (CpIntegrationWizard *self);
gboolean              cp_wizard_exclude_unmatched  (CpIntegrationWizard *self);

/* cp-integration-wizard.c */
CpWizardPage          cp_wizard_current_page       (CpIntegrationWizard *self);
void                  cp_wizard_update_buttons     (CpIntegrationWizard *self);
void                  cp_wizard_set_busy           (CpIntegrationWizard *self,
                                                    gboolean             busy);
void                  cp_wizard_show_toast         (CpIntegrationWizard *self,
                                                    const char          *text);
void                  cp_wizard_sync_now           (CpIntegrationWizard *self);

/* cp-wizard-check.c: the connection test and the matching report. */
char                 *cp_wizard_get_base_url       (CpIntegrationWizard *self,
                                                    gboolean             toast);
void                  cp_wizard_run_check          (CpIntegrationWizard *self);
void                  cp_wizard_reset_check        (CpIntegrationWizard *self);

G_END_DECLS
