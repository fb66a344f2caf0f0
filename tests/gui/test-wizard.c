/* test-wizard.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The connection wizard in the real window under Xvfb, driven through
 * its widgets as a person would, against the sandbox fakes on loopback
 * and the harness's Secret Service: a wrong key shows the store's own
 * message and stores nothing, the right one goes through every page and
 * stores the integration, its settings, its mappings and its key (in the
 * keyring only); Cancel on the last question stores nothing; Edit
 * changes an integration with its stored key. Every page is saved as a
 * screenshot (<dir>/<lang>-<scheme>-wizard-<page>.png).
 *
 * Run once per variant: --lang=en|ar --scheme=light|dark.
 */

#define G_LOG_DOMAIN "test-wizard"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "cp-catalog.h"
#include "cp-connector.h"
#include "cp-connectors.h"
#include "cp-credentials.h"
#include "cp-gui-test.h"
#include "cp-integration-detail-mapping.h"
#include "cp-integration-detail.h"
#include "cp-integration-wizard.h"
#include "cp-integrations-page.h"
#include "cp-integrations.h"
#include "cp-sandbox-demo.h"
#include "cp-sandbox-ecomv2.h"
#include "cp-window.h"
#include "test-integrations-fixture.h"

static char *opt_lang = NULL;
static char *opt_scheme = NULL;
static char *opt_screenshot_dir = NULL;
static char *opt_localedir = NULL;

#define MATCHED_SKU "EC-00002"
#define LOCAL_SKU   "WIZ-LOCAL-ONLY"

static gboolean
is_english (void)
{
  return g_strcmp0 (opt_lang, "ar") != 0;
}

/* A screenshot for a person, and the check a person would make first. */
static void
shoot (GtkWidget  *toplevel,
       const char *name)
{
  cp_test_save_screenshot (toplevel, name);
  cp_test_assert_text_fits (toplevel);
}

/* A ledger with one location, one product the store has and one it has
 * not. */
static void
seed_catalog (CpLedger *ledger)
{
  g_autoptr(GPtrArray) locations = NULL;
  g_autoptr(GError) error = NULL;
  const char *skus[] = { MATCHED_SKU, LOCAL_SKU };

  locations = cp_locations_list (ledger, &error);
  g_assert_no_error (error);
  if (locations->len == 0)
    {
      cp_locations_add (ledger, "MAIN", "Main Shop", "", NULL, &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (skus); i++)
    {
      g_autoptr(CpVariant) variant = cp_variant_new ();

      variant->sku = g_strdup (skus[i]);
      variant->product_name = g_strdup_printf ("Product %s", skus[i]);
      variant->price_minor = 1500;
      cp_catalog_upsert_variant (ledger, variant, NULL, NULL, &error);
      g_assert_no_error (error);
    }
}

static GtkWidget *
find (GtkWidget  *wizard,
      const char *name)
{
  GtkWidget *widget = cp_test_find_widget_by_name (wizard, name);

  if (widget == NULL)
    {
      g_autofree char *text = cp_test_visible_text (wizard);

      g_error ("No widget “%s” in the wizard; on screen:\n%s", name, text);
    }
  return widget;
}

/* The matched row of the report says CONSEQUENCE (in English, or as
 * translated). */
static void
assert_matched_says (GtkWidget  *wizard,
                     const char *consequence)
{
  const char *subtitle = adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (find (wizard, "report-matched")));

  if (strstr (subtitle, gettext (consequence)) == NULL)
    g_error ("The matched products “%s”, not “%s”", subtitle, consequence);
}

typedef struct
{
  GtkWidget  *wizard;
  const char *page;
} PageWait;

static gboolean
on_page (gpointer data)
{
  PageWait *wait = data;

  return !cp_integration_wizard_get_busy (CP_INTEGRATION_WIZARD (wait->wizard)) &&
         g_strcmp0 (cp_integration_wizard_get_page (CP_INTEGRATION_WIZARD (wait->wizard)), wait->page) == 0;
}

/* Waits for PAGE: a button's activation clicks it a moment later. */
static void
assert_page (GtkWidget  *wizard,
             const char *page)
{
  PageWait wait = { wizard, page };

  cp_test_wait_until (on_page, &wait);
  g_assert_cmpstr (cp_integration_wizard_get_page (CP_INTEGRATION_WIZARD (wizard)), ==, page);
  g_assert_false (cp_integration_wizard_get_busy (CP_INTEGRATION_WIZARD (wizard)));
}

/* Shows the page, saves its screenshot, and goes on with Next. */
static void
next (GtkWidget  *wizard,
      const char *page)
{
  g_autofree char *shot = g_strdup_printf ("wizard-%s", page);

  assert_page (wizard, page);
  cp_test_wait_for_frames (wizard);
  shoot (wizard, shot);
  g_assert_true (gtk_widget_get_sensitive (find (wizard, "next-button")));
  g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
}

static void
choose (GtkWidget  *wizard,
        const char *row_name)
{
  GtkWidget *check = cp_test_find_widget_of_type (find (wizard, row_name), GTK_TYPE_CHECK_BUTTON);

  g_assert_nonnull (check);
  g_assert_true (gtk_widget_get_sensitive (check));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
}

static void
set_text (GtkWidget  *wizard,
          const char *name,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (find (wizard, name)), text);
}

static GtkWidget *
open_wizard (CpWindow *window)
{
  GtkWidget *page = show_page (window, "integrations");
  GtkWidget *wizard;

  g_assert_true (gtk_widget_activate (cp_test_find_widget_by_name (page, "empty-add-button")));
  wizard = cp_test_wait_for_toplevel (CP_TYPE_INTEGRATION_WIZARD);
  cp_test_wait_for_frames (wizard);
  return wizard;
}

static gboolean
wizard_gone (gpointer data)
{
  return cp_test_find_toplevel_of_type (CP_TYPE_INTEGRATION_WIZARD) == NULL;
}

static guint
count_integrations (CpLedger *ledger)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = cp_integrations_list (ledger, &error);

  g_assert_no_error (error);
  return all->len;
}

/* Nothing in the keyring under the ids a new integration would get. */
static void
assert_no_credentials (CpLedger *ledger)
{
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("ecomv2-%u", i);
      g_autofree char *key = cp_integrations_credential_key (ledger, id, NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *stored = cp_credentials_lookup_sync (key, NULL, &error);

      g_assert_null (stored);
      g_assert_error (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_NOT_FOUND);
    }
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return g_strstr_len (contents, length, needle) != NULL;
}

static const char *
combo_text (GtkWidget *row)
{
  GObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (row));

  return item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

/* Live against the fake: a wrong key, then the right one, every page,
 * and what ends up where. */
static void
test_live (void)
{
  g_autofree char *dir = make_dir ();
  CpWindow *window = open_window (dir);
  CpLedger *ledger = cp_window_get_ledger (window);
  g_autofree char *url = fixture_ecomv2_url ();
  const char *secret = CP_SANDBOX_ECOMV2_DEFAULT_KEY;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *excluded = NULL;
  g_autoptr(CpVariant) local = NULL;
  g_autofree char *product_id = NULL;
  const CpIntegration *integration;
  GtkWidget *wizard;
  GtkWidget *page;

  seed_catalog (ledger);
  wizard = open_wizard (window);

  choose (wizard, "platform-ecomv2");
  next (wizard, "platform");
  assert_page (wizard, "mode");
  choose (wizard, "live-row");
  /* No name, no Next. */
  g_assert_false (gtk_widget_get_sensitive (find (wizard, "next-button")));
  set_text (wizard, "name-row", "Web Shop");
  cp_test_wait_for_frames (wizard);
  shoot (wizard, "wizard-mode");
  /* Enter in the name answers the page. */
  gtk_widget_grab_focus (find (wizard, "name-row"));
  g_signal_emit_by_name (cp_test_find_widget_of_type (find (wizard, "name-row"), GTK_TYPE_TEXT), "activate");

  assert_page (wizard, "credentials");
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (find (wizard, "api_key")));
  set_text (wizard, "url-row", url);
  set_text (wizard, "api_key", "test_wrong_key");
  next (wizard, "credentials");

  /* The wrong key: the store's own message, Try Again, no Next, and
   * nothing stored anywhere. */
  assert_page (wizard, "test");
  g_assert_false (cp_integration_wizard_get_check_passed (CP_INTEGRATION_WIZARD (wizard)));
  g_assert_nonnull (cp_integration_wizard_get_check_result (CP_INTEGRATION_WIZARD (wizard)));
  if (is_english ())
    g_assert_nonnull (strstr (cp_integration_wizard_get_check_result (CP_INTEGRATION_WIZARD (wizard)), "refused the API key"));
  else
    /* The store's English words inside the Arabic sentence read as one
     * left-to-right unit: "(HTTP 401, …)" isolated, not scrambled. */
    g_assert_nonnull (strstr (cp_integration_wizard_get_check_result (CP_INTEGRATION_WIZARD (wizard)),
                              "\u2068HTTP 401"));
  cp_test_assert_shows (wizard, cp_integration_wizard_get_check_result (CP_INTEGRATION_WIZARD (wizard)));
  g_assert_true (gtk_widget_get_mapped (find (wizard, "retry-button")));
  g_assert_false (gtk_widget_get_sensitive (find (wizard, "next-button")));
  cp_test_wait_for_frames (wizard);
  shoot (wizard, "wizard-test-failed");
  g_assert_cmpuint (count_integrations (ledger), ==, 0);
  assert_no_credentials (ledger);

  /* Back, the right key, and the test passes. */
  g_assert_true (gtk_widget_activate (find (wizard, "back-button")));
  assert_page (wizard, "credentials");
  set_text (wizard, "api_key", secret);
  g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
  assert_page (wizard, "test");
  if (!cp_integration_wizard_get_check_passed (CP_INTEGRATION_WIZARD (wizard)))
    g_error ("The test failed: %s", cp_integration_wizard_get_check_result (CP_INTEGRATION_WIZARD (wizard)));
  next (wizard, "test");

  /* Permissions: CLI.md's defaults. */
  assert_page (wizard, "permissions");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (cp_test_find_widget_of_type (find (wizard, CP_PERMISSION_ORDERS_PULL), GTK_TYPE_SWITCH))));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (cp_test_find_widget_of_type (find (wizard, CP_PERMISSION_PRODUCTS_SYNC), GTK_TYPE_SWITCH))));
  next (wizard, "permissions");

  assert_page (wizard, "locations");
  /* One location here: mapped to the store's first warehouse at once. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find (wizard, "location-MAIN"))), ==, 1);
  remote = g_strdup (combo_text (find (wizard, "location-MAIN")));
  next (wizard, "locations");

  assert_page (wizard, "products");
  /* The matching report: one matched, one only here, the store's many. */
  cp_test_assert_shows (wizard, "1 ");
  /* Prices are not allowed: the matched products get stock levels only. */
  assert_matched_says (wizard, "stock levels are sent, prices are left as they are");
  /* Allow them, and the report says they go too; then back as it was. */
  for (guint round = 0; round < 2; round++)
    {
      GtkWidget *prices;

      g_assert_true (gtk_widget_activate (find (wizard, "back-button")));
      assert_page (wizard, "locations");
      g_assert_true (gtk_widget_activate (find (wizard, "back-button")));
      assert_page (wizard, "permissions");
      prices = cp_test_find_widget_of_type (find (wizard, CP_PERMISSION_PRODUCTS_SYNC), GTK_TYPE_SWITCH);
      gtk_switch_set_active (GTK_SWITCH (prices), round == 0);
      g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
      assert_page (wizard, "locations");
      g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
      assert_page (wizard, "products");
      assert_matched_says (wizard, round == 0 ? "stock levels and prices are sent"
                                              : "stock levels are sent, prices are left as they are");
    }
  g_assert_true (gtk_widget_get_sensitive (find (wizard, "report-matched")));
  g_assert_true (gtk_widget_get_sensitive (find (wizard, "report-unmatched-local")));
  g_assert_true (gtk_widget_get_sensitive (find (wizard, "report-unmatched-remote")));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (find (wizard, "report-unmatched-local")), TRUE);
  cp_test_wait_for_frames (wizard);
  cp_test_assert_shows (wizard, LOCAL_SKU);
  /* Leave the product only here out of this store. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find (wizard, "unmatched-row"))), ==, 0);
  next (wizard, "products");

  assert_page (wizard, "policy");
  /* The store wins on stock; orders every 15 minutes. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (wizard, "stock-master-row")), 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (wizard, "pull-row")), 1);
  /* As narrow as the window goes, for the screenshot. */
  gtk_window_set_default_size (GTK_WINDOW (wizard), 360, 640);
  cp_test_wait_for_frames (wizard);
  shoot (wizard, "wizard-policy-narrow");
  gtk_window_set_default_size (GTK_WINDOW (wizard), 600, 640);
  next (wizard, "policy");

  assert_page (wizard, "done");
  cp_test_wait_for_frames (wizard);
  shoot (wizard, "wizard-done");
  g_assert_true (gtk_widget_get_mapped (find (wizard, "sync-button")));

  /* What was stored: the integration and its answers in the ledger... */
  all = cp_integrations_list (ledger, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  integration = g_ptr_array_index (all, 0);
  g_assert_cmpstr (integration->name, ==, "Web Shop");
  g_assert_cmpstr (integration->platform, ==, "ecomv2");
  g_assert_cmpstr (integration->base_url, ==, url);
  g_assert_true (cp_integration_has_permission (integration, CP_PERMISSION_ORDERS_PULL));
  g_assert_true (cp_integration_has_permission (integration, CP_PERMISSION_INVENTORY_SYNC));
  g_assert_false (cp_integration_has_permission (integration, CP_PERMISSION_PRODUCTS_SYNC));
  g_assert_nonnull (strstr (integration->settings, "\"stock\":\"store\""));
  g_assert_nonnull (strstr (integration->settings, "\"price\":\"pos\""));
  g_assert_nonnull (strstr (integration->settings, "\"pull_minutes\":15"));
  g_assert_nonnull (strstr (integration->settings, "\"reconcile_hours\":24"));
  g_assert_null (strstr (integration->settings, "sandbox"));
  {
    g_autofree char *mapped = cp_integrations_get_remote_id (ledger, integration->id, "location", "MAIN", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (mapped, ==, remote);
  }
  local = cp_catalog_get_by_sku (ledger, LOCAL_SKU, &error);
  g_assert_no_error (error);
  product_id = g_strdup_printf ("%" G_GINT64_FORMAT, local->product_id);
  excluded = cp_integrations_get_remote_id (ledger, integration->id, "product.excluded", product_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (excluded, ==, "");

  /* ...its key in the Secret Service, and nowhere in the ledger. */
  key = cp_integrations_credential_key (ledger, integration->id, &error);
  g_assert_no_error (error);
  stored = cp_credentials_lookup_sync (key, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (stored, secret));
  {
    g_autofree char *path = cp_ledger_path_for_data_dir (dir);
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);

    g_assert_false (file_contains (path, secret));
    g_assert_false (file_contains (wal, secret));
  }

  /* The integrations page shows the new one; Done closes. */
  page = cp_window_get_page (window, "integrations");
  g_assert_cmpstr (cp_integrations_page_get_shown (CP_INTEGRATIONS_PAGE (page)), ==, integration->id);
  g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
  g_assert_true (cp_test_wait_until (wizard_gone, NULL));

  g_assert_true (cp_credentials_clear_sync (key, NULL, NULL));
  close_window (window);
  cp_test_rm_rf (dir);
}

/* The sandbox up to the last question, then Cancel: nothing anywhere. */
static void
test_cancel (void)
{
  g_autofree char *dir = make_dir ();
  CpWindow *window = open_window (dir);
  CpLedger *ledger = cp_window_get_ledger (window);
  GtkWidget *wizard;

  seed_catalog (ledger);
  wizard = open_wizard (window);
  choose (wizard, "platform-ecomv2");
  next (wizard, "platform");
  assert_page (wizard, "mode");
  choose (wizard, "sandbox-row");
  set_text (wizard, "name-row", "Try Out");
  g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
  /* The sandbox needs no credentials: straight to the test. */
  assert_page (wizard, "test");
  if (!cp_integration_wizard_get_check_passed (CP_INTEGRATION_WIZARD (wizard)))
    g_error ("The sandbox test failed: %s", cp_integration_wizard_get_check_result (CP_INTEGRATION_WIZARD (wizard)));
  g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
  assert_page (wizard, "permissions");
  g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
  assert_page (wizard, "locations");
  g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
  assert_page (wizard, "products");
  g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
  assert_page (wizard, "policy");

  g_assert_true (gtk_widget_activate (find (wizard, "cancel-button")));
  g_assert_true (cp_test_wait_until (wizard_gone, NULL));
  g_assert_cmpuint (count_integrations (ledger), ==, 0);
  assert_no_credentials (ledger);

  close_window (window);
  cp_test_rm_rf (dir);
}

/* The sandbox of PLATFORM all the way, in WINDOW with nothing yet: the
 * integration is marked as one and its demo key is in the keyring. */
static void
sandbox_through (CpWindow   *window,
                 const char *platform,
                 GtkWidget  *wizard)
{
  CpLedger *ledger = cp_window_get_ledger (window);
  g_autofree char *row = g_strdup_printf ("platform-%s", platform);
  const char *pages[] = { "mode", "test", "permissions", "locations", "products", "policy" };
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *key = NULL;
  const CpIntegration *integration;
  GtkWidget *page;

  if (wizard == NULL)
    wizard = open_wizard (window);

  choose (wizard, row);
  next (wizard, "platform");
  assert_page (wizard, "mode");
  choose (wizard, "sandbox-row");
  set_text (wizard, "name-row", "Sandbox store");
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      assert_page (wizard, pages[i]);
      if (i == 1 && !cp_integration_wizard_get_check_passed (CP_INTEGRATION_WIZARD (wizard)))
        g_error ("The %s sandbox failed its test: %s", platform,
                 cp_integration_wizard_get_check_result (CP_INTEGRATION_WIZARD (wizard)));
      /* Locations read as places, not as API ids. */
      if (i == 3 && cp_test_find_widget_by_name (wizard, "location-MAIN") != NULL)
        g_assert_false (g_str_has_prefix (combo_text (find (wizard, "location-MAIN")), "gid://"));
      g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
    }
  assert_page (wizard, "done");

  all = cp_integrations_list (ledger, NULL);
  g_assert_cmpuint (all->len, ==, 1);
  integration = g_ptr_array_index (all, 0);
  g_assert_cmpstr (integration->platform, ==, platform);
  g_assert_nonnull (strstr (integration->settings, "\"sandbox\":true"));
  key = cp_integrations_credential_key (ledger, integration->id, NULL);
  {
    g_autofree char *stored = cp_credentials_lookup_sync (key, NULL, NULL);

    g_assert_nonnull (stored);
  }
  /* Behind the wizard, the window shows the new store's page. */
  page = cp_window_get_page (window, "integrations");
  g_assert_cmpstr (cp_integrations_page_get_shown (CP_INTEGRATIONS_PAGE (page)), ==, integration->id);
  g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
  g_assert_true (cp_test_wait_until (wizard_gone, NULL));
  g_assert_true (cp_credentials_clear_sync (key, NULL, NULL));
}

static void
test_sandbox (void)
{
  g_autofree char *dir = make_dir ();
  CpWindow *window = open_window (dir);

  GtkWidget *overview = show_page (window, "overview");
  GtkWidget *wizard;

  /* From the Overview's "Try With the Sandbox": the sandbox is chosen. */
  seed_catalog (cp_window_get_ledger (window));
  wait_for_named (overview, "try-sandbox-button");
  g_assert_true (gtk_widget_activate (cp_test_find_widget_by_name (overview, "try-sandbox-button")));
  wizard = cp_test_wait_for_toplevel (CP_TYPE_INTEGRATION_WIZARD);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (cp_test_find_widget_of_type (find (wizard, "sandbox-row"),
                                                                                            GTK_TYPE_CHECK_BUTTON))));
  sandbox_through (window, "ecomv2", wizard);
  close_window (window);
  cp_test_rm_rf (dir);
}

static gboolean
mapping_checked (gpointer data)
{
  return cp_test_find_widget_by_name (data, "report-matched") != NULL &&
         !cp_integration_detail_mapping_get_busy (data);
}

/* Edit from the integration's page: the stored key is used when the
 * fields stay empty; the answers change, the key stays. */
static void
test_edit (void)
{
  g_autofree char *dir = make_dir ();
  CpWindow *window = open_window (dir);
  CpLedger *ledger = cp_window_get_ledger (window);
  g_autofree char *id = NULL;
  g_autofree char *key = NULL;
  g_autofree char *credentials = g_strdup_printf ("{\"api_key\":\"%s\"}", CP_SANDBOX_ECOMV2_DEFAULT_KEY);
  g_autoptr(CpIntegration) integration = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *page;
  GtkWidget *wizard;

  seed_catalog (ledger);
  id = add_integration (ledger, "Outlet");
  key = cp_integrations_credential_key (ledger, id, &error);
  g_assert_no_error (error);
  g_assert_true (cp_credentials_store_sync (key, "Counterpart: Outlet", credentials, NULL, &error));
  g_assert_no_error (error);

  page = show_page (window, "integrations");
  cp_integrations_page_show_integration (CP_INTEGRATIONS_PAGE (page), id);
  wait_for_named (page, "edit-button");
  g_assert_true (gtk_widget_activate (cp_test_find_widget_by_name (page, "edit-button")));
  wizard = cp_test_wait_for_toplevel (CP_TYPE_INTEGRATION_WIZARD);
  cp_test_wait_for_frames (wizard);

  /* Empty fields keep the stored key. */
  assert_page (wizard, "credentials");
  g_assert_false (gtk_widget_get_visible (find (wizard, "back-button")));
  shoot (wizard, "wizard-edit");
  g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
  assert_page (wizard, "test");
  if (!cp_integration_wizard_get_check_passed (CP_INTEGRATION_WIZARD (wizard)))
    g_error ("The test with the stored key failed: %s", cp_integration_wizard_get_check_result (CP_INTEGRATION_WIZARD (wizard)));
  g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
  assert_page (wizard, "permissions");
  gtk_switch_set_active (GTK_SWITCH (cp_test_find_widget_of_type (find (wizard, CP_PERMISSION_ORDERS_PUSH), GTK_TYPE_SWITCH)), FALSE);
  g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
  assert_page (wizard, "locations");
  g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
  assert_page (wizard, "products");
  g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
  assert_page (wizard, "policy");
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (wizard, "price-master-row")), 1);
  g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
  assert_page (wizard, "done");

  integration = cp_integrations_get (ledger, id, &error);
  g_assert_no_error (error);
  g_assert_false (cp_integration_has_permission (integration, CP_PERMISSION_ORDERS_PUSH));
  g_assert_nonnull (strstr (integration->settings, "\"price\":\"store\""));
  {
    g_autofree char *stored = cp_credentials_lookup_sync (key, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (stored, ==, credentials);
  }
  g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
  g_assert_true (cp_test_wait_until (wizard_gone, NULL));

  /* The integration's page: Match Again reads the store's catalog and
   * shows the matching report, and where the location's stock goes. */
  {
    GtkWidget *mapping = cp_test_find_widget_of_type (page, CP_TYPE_INTEGRATION_DETAIL_MAPPING);
    GtkWidget *matched;

    g_assert_nonnull (mapping);
    g_assert_null (cp_test_find_widget_by_name (mapping, "report-matched"));
    g_assert_true (gtk_widget_activate (cp_test_find_widget_by_name (mapping, "check-mapping-button")));
    g_assert_true (cp_test_wait_until (mapping_checked, mapping));
    matched = cp_test_find_widget_by_name (mapping, "report-matched");
    g_assert_nonnull (matched);
    g_assert_true (gtk_widget_get_sensitive (matched));
    cp_test_assert_shows (mapping, "Main Shop");
    if (is_english ())
      cp_test_assert_shows (mapping, "1 SKU matched");
    /* Scrolled to the report for the screenshot. */
    gtk_widget_grab_focus (cp_test_find_widget_by_name (mapping, "check-mapping-button"));
    cp_test_wait_for_frames (page);
    shoot (GTK_WIDGET (window), "integration-detail-mapping");
  }

  g_assert_true (cp_credentials_clear_sync (key, NULL, NULL));
  close_window (window);
  cp_test_rm_rf (dir);
}

/* The sandbox's fake of PLATFORM, as the window's sandbox serves it. */
static char *
fake_url (const char *platform)
{
  g_autoptr(GError) error = NULL;
  CpSandboxServer *server = cp_application_get_sandbox_server (CP_APPLICATION (g_application_get_default ()), &error);

  g_assert_no_error (error);
  return cp_sandbox_server_dup_platform_url (server, platform);
}

/* Every registered platform with a fake: wrong credentials show the
 * connector's message and store nothing; the sandbox goes through. */
static void
test_platform (gconstpointer data)
{
  const char *platform = data;
  g_autofree char *dir = make_dir ();
  CpWindow *window = open_window (dir);
  CpLedger *ledger = cp_window_get_ledger (window);
  g_autofree char *url = fake_url (platform);
  g_autofree char *row = g_strdup_printf ("platform-%s", platform);
  g_autofree char *shot = g_strdup_printf ("wizard-credentials-%s", platform);
  const CpPlatformInfo *info = cp_connector_lookup_platform (platform);
  GtkWidget *wizard;

  seed_catalog (ledger);
  wizard = open_wizard (window);
  choose (wizard, row);
  next (wizard, "platform");
  assert_page (wizard, "mode");
  choose (wizard, "live-row");
  set_text (wizard, "name-row", "Wrong");
  g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
  assert_page (wizard, "credentials");
  set_text (wizard, "url-row", url);
  for (guint i = 0; info->credential_fields[i] != NULL; i++)
    set_text (wizard, info->credential_fields[i], "test_wrong_credential");
  cp_test_wait_for_frames (wizard);
  shoot (wizard, shot);
  g_assert_true (gtk_widget_activate (find (wizard, "next-button")));
  assert_page (wizard, "test");
  g_assert_false (cp_integration_wizard_get_check_passed (CP_INTEGRATION_WIZARD (wizard)));
  g_assert_nonnull (cp_integration_wizard_get_check_result (CP_INTEGRATION_WIZARD (wizard)));
  cp_test_assert_shows (wizard, cp_integration_wizard_get_check_result (CP_INTEGRATION_WIZARD (wizard)));
  g_assert_cmpuint (count_integrations (ledger), ==, 0);
  gtk_window_destroy (GTK_WINDOW (wizard));
  g_assert_true (cp_test_wait_until (wizard_gone, NULL));
  g_assert_cmpuint (count_integrations (ledger), ==, 0);

  /* The sandbox, all the way. */
  sandbox_through (window, platform, NULL);
  close_window (window);
  cp_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  GOptionEntry entries[] = {
    { "lang", 0, 0, G_OPTION_ARG_STRING, &opt_lang, "en or ar", "LANG" },
    { "scheme", 0, 0, G_OPTION_ARG_STRING, &opt_scheme, "light or dark", "SCHEME" },
    { "screenshot-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_screenshot_dir, "Where to save PNGs", "DIR" },
    { "localedir", 0, 0, G_OPTION_ARG_FILENAME, &opt_localedir, "The build's po dir", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean dark;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  g_option_context_set_help_enabled (context, FALSE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  dark = g_strcmp0 (opt_scheme, "dark") == 0;
  /* The build's own translations: without them the Arabic variant shows
   * English words in a mirrored layout, which proves nothing. */
  if (opt_localedir != NULL)
    g_setenv ("CP_LOCALEDIR", opt_localedir, TRUE);

  if (!fixture_init (&argc, &argv, "wizard"))
    return g_test_run ();

  /* After the fixture's English: gettext reads LANGUAGE at each call,
   * and GTK took its direction from English, so set it too. */
  if (!is_english ())
    {
      g_setenv ("LANGUAGE", "ar", TRUE);
      gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
    }
  if (cp_application_get_settings (CP_APPLICATION (g_application_get_default ())) != NULL)
    g_settings_set_string (cp_application_get_settings (CP_APPLICATION (g_application_get_default ())),
                           "color-scheme", dark ? "dark" : "light");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  {
    g_autofree char *prefix = g_strdup_printf ("%s-%s", is_english () ? "en" : "ar", dark ? "dark" : "light");
    g_autofree char *shots = g_build_filename (g_get_tmp_dir (), "counterpart-screenshots", NULL);

    cp_test_set_screenshots (opt_screenshot_dir != NULL ? opt_screenshot_dir : shots, prefix);
  }

  /* Every variant: the pages of a whole run and of Edit, for their
   * screenshots; what does not depend on the language or the colours runs
   * in the English light variant only, to keep the suite quick. */
  g_test_add_func ("/gui/wizard/live", test_live);
  g_test_add_func ("/gui/wizard/edit", test_edit);
  if (!is_english () || dark)
    return fixture_run ();
  g_test_add_func ("/gui/wizard/cancel", test_cancel);
  g_test_add_func ("/gui/wizard/sandbox", test_sandbox);
  {
    const CpPlatformInfo * const *platforms;
    guint n = 0;

    /* Each platform registered by now that the sandbox has a fake of. */
    cp_connectors_register_all ();
    platforms = cp_connector_list_platforms (&n);
    for (guint i = 0; i < n; i++)
      {
        g_autofree char *demo = cp_sandbox_demo_dup_credentials (platforms[i]->platform);
        g_autofree char *path = NULL;

        if (demo == NULL || g_str_equal (platforms[i]->platform, "ecomv2"))
          continue;
        path = g_strdup_printf ("/gui/wizard/platform/%s", platforms[i]->platform);
        g_test_add_data_func (path, platforms[i]->platform, test_platform);
      }
  }
  return fixture_run ();
}
