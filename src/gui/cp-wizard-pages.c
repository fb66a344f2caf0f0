/* cp-wizard-pages.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The wizard's pages, built in code because most of their rows depend on
 * the platform and on what the store answered. Each row a test drives
 * has a widget name.
 */

#define G_LOG_DOMAIN "cp-integration-wizard"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cp-sandbox-demo.h"
#include "cp-wizard-private.h"

static const CpPermissionInfo permission_infos[] = {
  { CP_PERMISSION_INVENTORY_SYNC, N_("Stock Levels"),
    N_("Send stock levels to this store, so it never sells what you do not have") },
  { CP_PERMISSION_ORDERS_PULL, N_("Orders"),
    N_("Bring this store’s orders into Counterpart, and take their items from stock") },
  { CP_PERMISSION_ORDERS_PUSH, N_("Order Updates"),
    N_("Tell this store when an order is paid, sent or cancelled") },
  { CP_PERMISSION_PRODUCTS_SYNC, N_("Products and Prices"),
    N_("Create and change products and prices in this store to match Counterpart") },
};

const CpPermissionInfo *
cp_permission_infos (guint *out_n)
{
  if (out_n != NULL)
    *out_n = G_N_ELEMENTS (permission_infos);
  return permission_infos;
}

const char *
cp_credential_field_title (const char *field)
{
  static const struct { const char *field; const char *title; } titles[] = {
    { "api_key", N_("API Key") },
    { "access_token", N_("Access Token") },
    { "consumer_key", N_("Consumer Key") },
    { "consumer_secret", N_("Consumer Secret") },
    { "secret_key", N_("Secret Key") },
    { "client_id", N_("Client ID") },
    { "client_secret", N_("Client Secret") },
    { "webhook_secret", N_("Webhook Secret (optional)") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_strcmp0 (field, titles[i].field) == 0)
      return _(titles[i].title);
  return field;
}

gboolean
cp_credential_field_is_secret (const char *field)
{
  /* An id or a domain may show; anything that opens the store may not. */
  return field != NULL &&
         (strstr (field, "key") != NULL || strstr (field, "secret") != NULL ||
          strstr (field, "token") != NULL || strstr (field, "password") != NULL);
}

static const guint pull_choices[] = { 5, 15, 30, 60 };
static const guint reconcile_choices[] = { 6, 12, 24, 48 };

/* Where to find the credentials, in two or three steps (seed 003). */
static const char *
credentials_help (const char *platform)
{
  if (g_strcmp0 (platform, "shopify") == 0)
    return _("In Shopify admin open Settings → Apps and sales channels → Develop apps → Create an app. "
             "Under Configuration give the Admin API the scopes read_products, write_products, "
             "read_inventory, write_inventory, read_orders, write_orders, read_fulfillments, "
             "write_fulfillments and read_locations, install the app, then copy its Admin API access "
             "token (it starts with “shpat_”). The webhook secret is the app’s API secret key; it is optional.");
  if (g_strcmp0 (platform, "woocommerce") == 0)
    return _("In WordPress admin open WooCommerce → Settings → Advanced → REST API → Add key. "
             "Pick a user who manages the shop, set Permissions to Read/Write, generate the key, then "
             "copy the consumer key (“ck_…”) and the consumer secret (“cs_…”): the secret is shown only once.");
  if (g_strcmp0 (platform, "ecomv2") == 0)
    return _("In your store’s admin, open Settings → API Keys, create a key for Counterpart and copy it here. "
             "Keys that start with “test_” belong to the store’s test mode.");
  return _("Your store’s admin lists these under its API or apps settings. Create a key for Counterpart and copy it here.");
}

static const char *
address_help (const char *platform)
{
  if (g_strcmp0 (platform, "shopify") == 0)
    return _("Your shop’s myshopify.com address, such as https://your-shop.myshopify.com.");
  if (g_strcmp0 (platform, "woocommerce") == 0)
    return _("The address of your WordPress site, such as https://shop.example.com.");
  return _("The address of the store’s API, as its admin shows it.");
}

/* Optional fields may stay empty; the test says if the store needs them. */
static gboolean
field_is_optional (const char *field)
{
  return g_strcmp0 (field, "webhook_secret") == 0;
}

/* The webhook secret verifies what the store pushes to us (issue 4's
 * shared agreement): asked for on the platforms that sign webhooks, even
 * when the connector needs only the rest to talk to the store. */
static gboolean
asks_webhook_secret (const CpPlatformInfo *info)
{
  if (g_strcmp0 (info->platform, "shopify") != 0 && g_strcmp0 (info->platform, "woocommerce") != 0)
    return FALSE;
  return info->credential_fields == NULL ||
         !g_strv_contains ((const char * const *) info->credential_fields, "webhook_secret");
}

GtkWidget *
cp_wizard_new_page (CpIntegrationWizard *self,
                    CpWizardPage         page,
                    const char          *name,
                    GtkWidget           *widget)
{
  gtk_stack_add_named (self->stack, widget, name);
  self->pages[page] = widget;
  return widget;
}

/* The label under WIDGET that shows TEXT (a group's own description). */
static GtkLabel *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* GTK 4.8 measures a word-char-wrapped right-to-left paragraph with a
 * left-to-right word in it ("Counterpart") as needing fewer lines than
 * it does, and its box then gives it more width than the group has: in
 * a narrow window the Arabic lines run off the left edge. Wrapping at
 * words, natural width included, measures it right. */
static void
set_description (AdwPreferencesGroup *group,
                 const char          *description)
{
  GtkLabel *label;

  adw_preferences_group_set_description (group, description);
  label = find_label (GTK_WIDGET (group), description);
  if (label == NULL)
    return;
  gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD);
  gtk_label_set_natural_wrap_mode (label, GTK_NATURAL_WRAP_WORD);
}

AdwPreferencesGroup *
cp_wizard_add_group (GtkWidget  *page,
                     const char *title,
                     const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    set_description (ADW_PREFERENCES_GROUP (group), description);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  return ADW_PREFERENCES_GROUP (group);
}

static GtkWidget *
add_check_row (AdwPreferencesGroup *group,
               const char          *name,
               const char          *title,
               const char          *subtitle,
               GtkCheckButton      *group_with,
               GtkCheckButton     **out_check)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  if (group_with != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group_with);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  adw_preferences_group_add (group, row);
  *out_check = GTK_CHECK_BUTTON (check);
  return row;
}

const CpPlatformInfo *
cp_wizard_selected_platform (CpIntegrationWizard *self)
{
  if (self->editing != NULL)
    return cp_connector_lookup_platform (self->editing->platform);
  for (guint i = 0; i < self->platform_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->platform_checks, i)))
      return g_ptr_array_index (self->platforms, i);
  return NULL;
}

gboolean
cp_wizard_is_sandbox (CpIntegrationWizard *self)
{
  if (self->editing != NULL)
    return cp_sandbox_demo_is_sandbox_integration (self->editing);
  return gtk_check_button_get_active (self->sandbox_check);
}

/* Platform */

static void
choice_changed_cb (CpIntegrationWizard *self)
{
  cp_wizard_reset_check (self);
  cp_wizard_update_mode (self);
  cp_wizard_update_buttons (self);
}

static void
build_platform_page (CpIntegrationWizard *self)
{
  GtkWidget *page = cp_wizard_new_page (self, CP_WIZARD_PAGE_PLATFORM, "platform", adw_preferences_page_new ());
  AdwPreferencesGroup *group;
  const CpPlatformInfo * const *platforms;
  GtkCheckButton *first = NULL;
  guint n = 0;

  group = cp_wizard_add_group (page, _("Online Stores"),
                               _("Choose where you sell. You can connect more stores later, even several on one platform."));
  /* Only what is registered: a platform without a connector cannot work. */
  platforms = cp_connector_list_platforms (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("platform-%s", platforms[i]->platform);
      GtkCheckButton *check;

      add_check_row (group, name, _(platforms[i]->display_name), NULL, first, &check);
      if (first == NULL)
        {
          first = check;
          gtk_check_button_set_active (check, TRUE);
        }
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (choice_changed_cb), self);
      g_ptr_array_add (self->platforms, (gpointer) platforms[i]);
      g_ptr_array_add (self->platform_checks, check);
    }
}

/* Sandbox or live, and the name */

static void
name_changed_cb (CpIntegrationWizard *self)
{
  cp_wizard_update_buttons (self);
}

static void
build_mode_page (CpIntegrationWizard *self)
{
  GtkWidget *page = cp_wizard_new_page (self, CP_WIZARD_PAGE_MODE, "mode", adw_preferences_page_new ());
  AdwPreferencesGroup *group;

  group = cp_wizard_add_group (page, _("Sandbox or Your Real Store"), NULL);
  self->sandbox_row = add_check_row (group, "sandbox-row", _("Sandbox"),
                                     _("A test store inside Counterpart: nothing to enter, nothing touches your real accounts"),
                                     NULL, &self->sandbox_check);
  add_check_row (group, "live-row", _("My Store"),
                 _("Connect to your store with its address and credentials"),
                 self->sandbox_check, &self->live_check);
  gtk_check_button_set_active (self->live_check, TRUE);
  g_signal_connect_swapped (self->sandbox_check, "toggled", G_CALLBACK (choice_changed_cb), self);

  group = cp_wizard_add_group (page, _("Name"), _("How Counterpart shows this store, such as “Web Shop”."));
  self->name_row = adw_entry_row_new ();
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (self->name_row), TRUE);
  gtk_widget_set_name (self->name_row, "name-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->name_row), _("Store Name"));
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (name_changed_cb), self);
  adw_preferences_group_add (group, self->name_row);
}

void
cp_wizard_update_mode (CpIntegrationWizard *self)
{
  const CpPlatformInfo *info = cp_wizard_selected_platform (self);
  g_autofree char *demo = info != NULL ? cp_sandbox_demo_dup_credentials (info->platform) : NULL;

  /* The sandbox has a test version of some platforms only. */
  gtk_widget_set_sensitive (self->sandbox_row, demo != NULL);
  if (demo != NULL || info == NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->sandbox_row),
                                 _("A test store inside Counterpart: nothing to enter, nothing touches your real accounts"));
  else
    {
      /* Translators: %s is a platform, such as "Shopify". */
      g_autofree char *text = g_strdup_printf (_("The sandbox has no test store for %s yet"), _(info->display_name));

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->sandbox_row), text);
    }
  if (demo == NULL && gtk_check_button_get_active (self->sandbox_check))
    gtk_check_button_set_active (self->live_check, TRUE);
}

/* Credentials */

static void
credential_changed_cb (CpIntegrationWizard *self)
{
  cp_wizard_reset_check (self);
}

static void
build_credentials_page (CpIntegrationWizard *self)
{
  GtkWidget *page = cp_wizard_new_page (self, CP_WIZARD_PAGE_CREDENTIALS, "credentials", adw_preferences_page_new ());
  AdwPreferencesGroup *group;

  group = cp_wizard_add_group (page, _("Store Address"), NULL);
  g_object_set_data (G_OBJECT (self), "address-group", group);
  self->url_row = adw_entry_row_new ();
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (self->url_row), TRUE);
  gtk_widget_set_name (self->url_row, "url-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->url_row), _("Address"));
  g_signal_connect_swapped (self->url_row, "changed", G_CALLBACK (credential_changed_cb), self);
  adw_preferences_group_add (group, self->url_row);

  self->credentials_group = cp_wizard_add_group (page, _("Credentials"), NULL);
}

void
cp_wizard_update_credentials (CpIntegrationWizard *self)
{
  const CpPlatformInfo *info = cp_wizard_selected_platform (self);
  AdwPreferencesGroup *address_group = g_object_get_data (G_OBJECT (self), "address-group");
  guint n_fields;

  if (info == self->rows_platform)
    return;
  self->rows_platform = info;

  for (guint i = 0; i < self->credential_rows->len; i++)
    adw_preferences_group_remove (self->credentials_group, g_ptr_array_index (self->credential_rows, i));
  g_ptr_array_set_size (self->credential_rows, 0);
  if (info == NULL)
    return;

  set_description (address_group, address_help (info->platform));
  gtk_widget_set_visible (GTK_WIDGET (address_group), self->editing == NULL);
  if (self->editing != NULL)
    set_description (self->credentials_group,
                                           _("Leave these empty to keep the credentials Counterpart has. "
                                             "To change them, enter all of them."));
  else
    set_description (self->credentials_group, credentials_help (info->platform));

  n_fields = info->credential_fields != NULL ? g_strv_length ((char **) info->credential_fields) : 0;
  for (guint i = 0; i < n_fields + (asks_webhook_secret (info) ? 1 : 0); i++)
    {
      const char *field = i < n_fields ? info->credential_fields[i] : "webhook_secret";
      GtkWidget *row = cp_credential_field_is_secret (field) ? adw_password_entry_row_new ()
                                                              : adw_entry_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cp_credential_field_title (field));
      adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), TRUE);
      gtk_widget_set_name (row, field);
      g_object_set_data_full (G_OBJECT (row), "field", g_strdup (field), g_free);
      g_signal_connect_swapped (row, "changed", G_CALLBACK (credential_changed_cb), self);
      adw_preferences_group_add (self->credentials_group, row);
      g_ptr_array_add (self->credential_rows, row);
    }
  /* Editing shows where to find them too, under the fields. */
  if (self->editing != NULL)
    {
      GtkWidget *help = gtk_label_new (credentials_help (info->platform));

      gtk_label_set_wrap (GTK_LABEL (help), TRUE);
      gtk_label_set_xalign (GTK_LABEL (help), 0);
      gtk_widget_add_css_class (help, "dim-label");
      gtk_widget_set_margin_top (help, 12);
      adw_preferences_group_add (self->credentials_group, help);
      g_ptr_array_add (self->credential_rows, help);
    }
}

gboolean
cp_wizard_typed_credentials (CpIntegrationWizard *self)
{
  for (guint i = 0; i < self->credential_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->credential_rows, i);

      if (GTK_IS_EDITABLE (row) && *gtk_editable_get_text (GTK_EDITABLE (row)) != '\0')
        return TRUE;
    }
  return FALSE;
}

char *
cp_wizard_build_credentials (CpIntegrationWizard *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (cp_wizard_is_sandbox (self))
    return cp_sandbox_demo_dup_credentials (cp_wizard_selected_platform (self)->platform);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  for (guint i = 0; i < self->credential_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->credential_rows, i);
      const char *field = g_object_get_data (G_OBJECT (row), "field");
      g_autofree char *value = NULL;

      if (field == NULL)
        continue;
      value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
      if (*value == '\0' && field_is_optional (field))
        continue;
      json_builder_set_member_name (builder, field);
      json_builder_add_string_value (builder, value);
      explicit_bzero (value, strlen (value));
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Test */

static void
build_test_page (CpIntegrationWizard *self)
{
  GtkWidget *status = cp_wizard_new_page (self, CP_WIZARD_PAGE_TEST, "test", adw_status_page_new ());
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);

  self->test_status = ADW_STATUS_PAGE (status);
  adw_status_page_set_icon_name (self->test_status, "network-transmit-receive-symbolic");
  adw_status_page_set_title (self->test_status, _("Testing the Connection"));

  /* A label of our own, not the description: the store's message is
   * plain text and may contain “<” or “&”. */
  self->test_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->test_label), "test-label");
  gtk_label_set_wrap (self->test_label, TRUE);
  gtk_label_set_justify (self->test_label, GTK_JUSTIFY_CENTER);
  gtk_label_set_selectable (self->test_label, TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->test_label));

  self->test_spinner = gtk_spinner_new ();
  gtk_widget_set_size_request (self->test_spinner, 32, 32);
  gtk_widget_set_halign (self->test_spinner, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), self->test_spinner);

  self->retry_button = gtk_button_new_with_mnemonic (_("_Try Again"));
  gtk_widget_set_name (self->retry_button, "retry-button");
  gtk_widget_set_halign (self->retry_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->retry_button, "pill");
  g_signal_connect_swapped (self->retry_button, "clicked", G_CALLBACK (cp_wizard_run_check), self);
  gtk_box_append (GTK_BOX (box), self->retry_button);

  adw_status_page_set_child (self->test_status, box);
}

/* Permissions */

static void
build_permissions_page (CpIntegrationWizard *self)
{
  GtkWidget *page = cp_wizard_new_page (self, CP_WIZARD_PAGE_PERMISSIONS, "permissions", adw_preferences_page_new ());
  AdwPreferencesGroup *group;
  const char * const *defaults = cp_integrations_default_permissions ();
  const CpPermissionInfo *infos;
  guint n;

  group = cp_wizard_add_group (page, _("What Counterpart May Do"),
                               _("You can change these at any time on the store’s page."));
  infos = cp_permission_infos (&n);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(infos[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(infos[i].consequence));
      gtk_widget_set_name (row, infos[i].permission);
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (toggle), g_strv_contains (defaults, infos[i].permission));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      g_object_set_data (G_OBJECT (row), "switch", toggle);
      g_object_set_data (G_OBJECT (row), "permission", (gpointer) infos[i].permission);
      adw_preferences_group_add (group, row);
      g_ptr_array_add (self->permission_rows, row);
    }
}

GtkSwitch *
cp_wizard_permission_switch (CpIntegrationWizard *self,
                             const char          *permission)
{
  for (guint i = 0; i < self->permission_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->permission_rows, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "permission"), permission) == 0)
        return g_object_get_data (G_OBJECT (row), "switch");
    }
  return NULL;
}

gboolean
cp_wizard_create_unmatched (CpIntegrationWizard *self)
{
  return adw_combo_row_get_selected (self->unmatched_row) == 1;
}

char **
cp_wizard_dup_permissions (CpIntegrationWizard *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->permission_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->permission_rows, i);
      const char *permission = g_object_get_data (G_OBJECT (row), "permission");

      /* Creating the missing products needs the products permission. */
      if (gtk_switch_get_active (g_object_get_data (G_OBJECT (row), "switch")) ||
          (g_str_equal (permission, CP_PERMISSION_PRODUCTS_SYNC) && cp_wizard_create_unmatched (self)))
        g_strv_builder_add (builder, permission);
    }
  return g_strv_builder_end (builder);
}

GtkWidget *
cp_wizard_new_combo_row (const char  *name,
                         const char  *title,
                         const char  *subtitle,
                         const char **choices,
                         guint        n_choices,
                         guint        selected)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  GtkWidget *row = adw_combo_row_new ();

  for (guint i = 0; i < n_choices; i++)
    gtk_string_list_append (model, choices[i]);
  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  return row;
}

/* Policy */

static char *
format_minutes (guint n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Every %u minute", "Every %u minutes", n), n);
}

static char *
format_hours (guint n)
{
  if (n == 24)
    return g_strdup (_("Once a day"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Every %u hour", "Every %u hours", n), n);
}

static AdwComboRow *
new_schedule_row (const char  *name,
                  const char  *title,
                  const char  *subtitle,
                  const guint *values,
                  guint        n_values,
                  char      *(*format) (guint))
{
  const char *labels[8];
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);

  g_assert (n_values <= G_N_ELEMENTS (labels));
  for (guint i = 0; i < n_values; i++)
    {
      char *label = format (values[i]);

      g_ptr_array_add (owned, label);
      labels[i] = label;
    }
  return ADW_COMBO_ROW (cp_wizard_new_combo_row (name, title, subtitle, labels, n_values, 0));
}

static void
build_policy_page (CpIntegrationWizard *self)
{
  GtkWidget *page = cp_wizard_new_page (self, CP_WIZARD_PAGE_POLICY, "policy", adw_preferences_page_new ());
  AdwPreferencesGroup *group;
  const char *masters[] = { _("Counterpart"), _("The Store") };

  group = cp_wizard_add_group (page, _("When Both Sides Change"),
                               _("Which side wins when the same thing changed in Counterpart and in the store. "
                                 "Counterpart counts what is on your shelves, so it usually wins on stock."));
  self->stock_master_row = ADW_COMBO_ROW (cp_wizard_new_combo_row ("stock-master-row", _("Stock"), NULL,
                                                                   masters, G_N_ELEMENTS (masters), 0));
  adw_preferences_group_add (group, GTK_WIDGET (self->stock_master_row));
  self->price_master_row = ADW_COMBO_ROW (cp_wizard_new_combo_row ("price-master-row", _("Prices"), NULL,
                                                                   masters, G_N_ELEMENTS (masters), 0));
  adw_preferences_group_add (group, GTK_WIDGET (self->price_master_row));

  group = cp_wizard_add_group (page, _("How Often"),
                               _("Stock and order changes are sent at once; these are the regular checks."));
  self->pull_row = new_schedule_row ("pull-row", _("Fetch New Orders"), NULL,
                                     pull_choices, G_N_ELEMENTS (pull_choices), format_minutes);
  adw_preferences_group_add (group, GTK_WIDGET (self->pull_row));
  self->reconcile_row = new_schedule_row ("reconcile-row", _("Compare Everything"),
                                          _("Finds and fixes what went out of step"),
                                          reconcile_choices, G_N_ELEMENTS (reconcile_choices), format_hours);
  adw_combo_row_set_selected (self->reconcile_row, 2);
  adw_preferences_group_add (group, GTK_WIDGET (self->reconcile_row));
}

static guint
choice_index (const guint *values,
              guint        n,
              gint64       value,
              guint        fallback)
{
  for (guint i = 0; i < n; i++)
    if (values[i] == value)
      return i;
  return fallback;
}

/* The settings with the policy's keys replaced, the others kept
 * ("sandbox", "api_version", what other parts store there). */
char *
cp_wizard_build_settings (CpIntegrationWizard *self,
                          const char          *old_settings)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *master = json_object_new ();
  JsonObject *schedule = json_object_new ();
  guint pull = adw_combo_row_get_selected (self->pull_row);
  guint reconcile = adw_combo_row_get_selected (self->reconcile_row);

  if (old_settings != NULL && json_parser_load_from_data (parser, old_settings, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    object = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  else
    object = json_object_new ();

  json_object_set_string_member (master, "stock",
                                 adw_combo_row_get_selected (self->stock_master_row) == 1 ? "store" : "pos");
  json_object_set_string_member (master, "price",
                                 adw_combo_row_get_selected (self->price_master_row) == 1 ? "store" : "pos");
  json_object_set_object_member (object, "master", master);
  json_object_set_int_member (schedule, "pull_minutes", pull_choices[MIN (pull, G_N_ELEMENTS (pull_choices) - 1)]);
  json_object_set_int_member (schedule, "reconcile_hours",
                              reconcile_choices[MIN (reconcile, G_N_ELEMENTS (reconcile_choices) - 1)]);
  json_object_set_object_member (object, "schedule", schedule);
  if (self->editing == NULL && cp_wizard_is_sandbox (self))
    json_object_set_boolean_member (object, "sandbox", TRUE);

  json_node_set_object (root, object);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Editing: the pages start from what the integration has. */
void
cp_wizard_load_integration (CpIntegrationWizard *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = NULL;

  for (guint i = 0; i < self->permission_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->permission_rows, i);

      gtk_switch_set_active (g_object_get_data (G_OBJECT (row), "switch"),
                             cp_integration_has_permission (self->editing,
                                                            g_object_get_data (G_OBJECT (row), "permission")));
    }

  if (self->editing->settings != NULL &&
      json_parser_load_from_data (parser, self->editing->settings, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    object = json_node_get_object (json_parser_get_root (parser));
  if (object == NULL)
    return;

  if (json_object_has_member (object, "master") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "master")))
    {
      JsonObject *master = json_object_get_object_member (object, "master");

      adw_combo_row_set_selected (self->stock_master_row,
                                  g_strcmp0 (json_object_get_string_member_with_default (master, "stock", "pos"), "store") == 0);
      adw_combo_row_set_selected (self->price_master_row,
                                  g_strcmp0 (json_object_get_string_member_with_default (master, "price", "pos"), "store") == 0);
    }
  if (json_object_has_member (object, "schedule") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "schedule")))
    {
      JsonObject *schedule = json_object_get_object_member (object, "schedule");

      adw_combo_row_set_selected (self->pull_row,
                                  choice_index (pull_choices, G_N_ELEMENTS (pull_choices),
                                                json_object_get_int_member_with_default (schedule, "pull_minutes", 5), 0));
      adw_combo_row_set_selected (self->reconcile_row,
                                  choice_index (reconcile_choices, G_N_ELEMENTS (reconcile_choices),
                                                json_object_get_int_member_with_default (schedule, "reconcile_hours", 24), 2));
    }
}

/* Done */

static void
build_done_page (CpIntegrationWizard *self)
{
  GtkWidget *status = cp_wizard_new_page (self, CP_WIZARD_PAGE_DONE, "done", adw_status_page_new ());
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Sync Now"));

  self->done_status = ADW_STATUS_PAGE (status);
  adw_status_page_set_icon_name (self->done_status, "emblem-ok-symbolic");
  gtk_widget_set_name (button, "sync-button");
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "pill");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (cp_wizard_sync_now), self);
  adw_status_page_set_child (self->done_status, button);
}

void
cp_wizard_build_pages (CpIntegrationWizard *self)
{
  build_platform_page (self);
  build_mode_page (self);
  build_credentials_page (self);
  build_test_page (self);
  build_permissions_page (self);
  cp_wizard_build_locations_page (self);
  cp_wizard_build_products_page (self);
  build_policy_page (self);
  build_done_page (self);
}
