/* cp-wizard-mapping.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The wizard's locations and products pages: what the check's matching
 * report says, the location mapping, and the products left out.
 */

#define G_LOG_DOMAIN "cp-integration-wizard"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-catalog.h"
#include "cp-sql.h"
#include "cp-wizard-private.h"

/* At most this many SKUs per list: the counts say the rest. */
#define MAX_LISTED 50

/* Locations */

void
cp_wizard_build_locations_page (CpIntegrationWizard *self)
{
  GtkWidget *page = cp_wizard_new_page (self, CP_WIZARD_PAGE_LOCATIONS, "locations", adw_preferences_page_new ());

  self->locations_group = cp_wizard_add_group (page, _("Locations"),
                                               _("Choose which of the store’s locations gets the stock of each of yours."));
}

static char *
current_location_mapping (CpIntegrationWizard *self,
                          const char          *code)
{
  if (self->editing == NULL)
    return NULL;
  return cp_integrations_get_remote_id (self->ledger, self->editing->id, CP_WIZARD_KIND_LOCATION, code, NULL);
}

/* A location as a person reads it: Shopify's "gid://shopify/Location/42"
 * is "Location 42"; a plain id such as "wh_001" stays as it is. */
char *
cp_wizard_location_label (const char *remote_id)
{
  const char *slash = strrchr (remote_id, '/');

  if (g_str_has_prefix (remote_id, "gid://") && slash != NULL && slash[1] != '\0')
    /* Translators: %s is the number a store gives one of its locations. */
    return g_strdup_printf (_("Location %s"), slash + 1);
  return g_strdup (remote_id);
}

static void
show_locations (CpIntegrationWizard *self)
{
  g_autoptr(GPtrArray) locations = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *remote = self->report != NULL ? self->report->locations : NULL;
  guint n_remote = remote != NULL ? remote->len : 0;

  for (guint i = 0; i < self->location_rows->len; i++)
    adw_preferences_group_remove (self->locations_group, g_ptr_array_index (self->location_rows, i));
  g_ptr_array_set_size (self->location_rows, 0);

  locations = cp_locations_list (self->ledger, &error);
  if (locations == NULL || n_remote == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     locations == NULL ? error->message
                                     : _("The store has no separate locations: it gets the stock of all of yours together."));
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      adw_preferences_group_add (self->locations_group, row);
      g_ptr_array_add (self->location_rows, row);
      return;
    }

  for (guint i = 0; i < locations->len; i++)
    {
      CpLocation *location = g_ptr_array_index (locations, i);
      g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
      g_autofree char *name = g_strdup_printf ("location-%s", location->code);
      g_autofree char *current = current_location_mapping (self, location->code);
      GtkWidget *row = adw_combo_row_new ();
      guint selected = 0;

      gtk_string_list_append (model, _("Not sent to this store"));
      for (guint j = 0; j < n_remote; j++)
        {
          g_autofree char *label = cp_wizard_location_label (g_ptr_array_index (remote, j));

          gtk_string_list_append (model, label);
          if (g_strcmp0 (current, g_ptr_array_index (remote, j)) == 0)
            selected = j + 1;
        }
      /* One location here: it is the store's first, as the connector
       * itself would map it (CLI.md: automatic with one on each side). */
      if (current == NULL && locations->len == 1)
        selected = 1;

      gtk_widget_set_name (row, name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), location->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), location->code);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
      g_object_set_data_full (G_OBJECT (row), "code", g_strdup (location->code), g_free);
      adw_preferences_group_add (self->locations_group, row);
      g_ptr_array_add (self->location_rows, row);
    }
}

GPtrArray *
cp_wizard_dup_locations (CpIntegrationWizard *self)
{
  GPtrArray *pairs = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < self->location_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->location_rows, i);
      const char *code = g_object_get_data (G_OBJECT (row), "code");
      guint selected;

      if (code == NULL)
        continue;
      selected = adw_combo_row_get_selected (ADW_COMBO_ROW (row));
      g_ptr_array_add (pairs, g_strdup (code));
      g_ptr_array_add (pairs, g_strdup (selected > 0 && selected != GTK_INVALID_LIST_POSITION
                                        ? g_ptr_array_index (self->report->locations, selected - 1) : ""));
    }
  return pairs;
}

/* Products */


void
cp_wizard_build_products_page (CpIntegrationWizard *self)
{
  GtkWidget *page = cp_wizard_new_page (self, CP_WIZARD_PAGE_PRODUCTS, "products", adw_preferences_page_new ());
  AdwPreferencesGroup *group;
  const char *choices[] = { _("Leave Them Out"), _("Create Them") };

  self->report_group = cp_wizard_add_group (page, _("Matching Products"),
                                            _("Products are matched by SKU. Counterpart’s catalog is the master: "
                                              "what you allowed is sent from here to the matched products."));
  group = cp_wizard_add_group (page, NULL, NULL);
  self->unmatched_row = ADW_COMBO_ROW (cp_wizard_new_combo_row ("unmatched-row", _("Products Only in Counterpart"),
                                                                _("Created in the store, or left out of it"),
                                                                choices, G_N_ELEMENTS (choices), 0));
  adw_preferences_group_add (group, GTK_WIDGET (self->unmatched_row));
}

GtkWidget *
cp_wizard_report_row_new (const char *name,
                          const char *title,
                          const char *consequence,
                          GPtrArray  *skus)
{
  GtkWidget *row = adw_expander_row_new ();
  guint n = skus != NULL ? skus->len : 0;
  g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u SKU", "%u SKUs", n), n);
  g_autofree char *subtitle = g_strdup_printf ("%s — %s", count, consequence);

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  gtk_widget_set_sensitive (row, n > 0);
  for (guint i = 0; i < n && i < MAX_LISTED; i++)
    {
      GtkWidget *child = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (child), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), g_ptr_array_index (skus, i));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);
    }
  if (n > MAX_LISTED)
    {
      GtkWidget *child = adw_action_row_new ();
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more",
                                                            n - MAX_LISTED), n - MAX_LISTED);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), more);
      gtk_widget_add_css_class (child, "dim-label");
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);
    }
  return row;
}

const char *
cp_wizard_matched_consequence (gboolean sends_stock,
                               gboolean sends_prices)
{
  /* Only what the permissions let through: a shop owner who kept prices
   * to themselves must not read that Counterpart will change them. */
  if (sends_stock && sends_prices)
    return _("stock levels and prices are sent");
  if (sends_stock)
    return _("stock levels are sent, prices are left as they are");
  if (sends_prices)
    return _("prices are sent, stock levels are left as they are");
  return _("nothing is sent: turn on Stock Levels or Products and Prices to send them");
}

void
cp_wizard_report_add_rows_sending (CpMappingReport *report,
                                   gboolean         sends_stock,
                                   gboolean         sends_prices,
                                   GPtrArray       *out_rows)
{
  g_ptr_array_add (out_rows, cp_wizard_report_row_new ("report-matched", _("In Both"),
                                                       cp_wizard_matched_consequence (sends_stock, sends_prices),
                                                       report->matched));
  g_ptr_array_add (out_rows, cp_wizard_report_row_new ("report-unmatched-local", _("Only in Counterpart"),
                                                       _("created in the store or left out"),
                                                       report->unmatched_local));
  g_ptr_array_add (out_rows, cp_wizard_report_row_new ("report-unmatched-remote", _("Only in the Store"),
                                                       _("left as they are"), report->unmatched_remote));
  g_ptr_array_add (out_rows, cp_wizard_report_row_new ("report-duplicates", _("More Than Once in the Store"),
                                                       _("nothing is sent until only one is left"),
                                                       report->duplicates));
}

void
cp_wizard_show_report (CpIntegrationWizard *self)
{
  CpMappingReport *report = self->report;
  GtkSwitch *products = cp_wizard_permission_switch (self, CP_PERMISSION_PRODUCTS_SYNC);
  GtkSwitch *stock = cp_wizard_permission_switch (self, CP_PERMISSION_INVENTORY_SYNC);
  gboolean sends_prices = products != NULL && gtk_switch_get_active (products);
  gboolean sends_stock = stock != NULL && gtk_switch_get_active (stock);

  for (guint i = 0; i < self->report_rows->len; i++)
    adw_preferences_group_remove (self->report_group, g_ptr_array_index (self->report_rows, i));
  g_ptr_array_set_size (self->report_rows, 0);

  if (report != NULL)
    {
      cp_wizard_report_add_rows_sending (report, sends_stock, sends_prices, self->report_rows);
      for (guint i = 0; i < self->report_rows->len; i++)
        adw_preferences_group_add (self->report_group, g_ptr_array_index (self->report_rows, i));
    }
  adw_combo_row_set_selected (self->unmatched_row, sends_prices ? 1 : 0);
  show_locations (self);
}

/* The products whose every variant is only here, left out of the store
 * (or let in again when they are to be created). */
gboolean
cp_wizard_exclude_unmatched (CpIntegrationWizard *self)
{
  g_autoptr(GHashTable) matched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) unmatched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *id = self->created_id;
  gboolean create = cp_wizard_create_unmatched (self);
  GHashTableIter iter;
  gpointer key;

  if (self->report == NULL || id == NULL)
    return TRUE;

  for (guint pass = 0; pass < 2; pass++)
    {
      GPtrArray *skus = pass == 0 ? self->report->matched : self->report->unmatched_local;
      GHashTable *into = pass == 0 ? matched : unmatched;

      for (guint i = 0; skus != NULL && i < skus->len; i++)
        {
          g_autoptr(CpSqlStmt) stmt = cp_ledger_prepare (self->ledger, "SELECT product_id FROM variants WHERE sku = ?", NULL);

          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, g_ptr_array_index (skus, i), -1, SQLITE_TRANSIENT);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            g_hash_table_add (into, g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0)));
        }
    }

  g_hash_table_iter_init (&iter, unmatched);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      if (g_hash_table_contains (matched, key))
        continue;
      if (create)
        ok = cp_integrations_clear_mapping (self->ledger, id, CP_WIZARD_KIND_EXCLUDED, key, &error);
      else
        ok = cp_integrations_set_mapping (self->ledger, id, CP_WIZARD_KIND_EXCLUDED, key, "", NULL, &error);
      if (!ok)
        {
          g_warning ("Could not record product %s of %s: %s", (char *) key, id, error->message);
          return FALSE;
        }
    }
  return TRUE;
}
