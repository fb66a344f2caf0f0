/* test-pages.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Catalog & Stock and Orders pages in a real window under Xvfb, over a
 * real ledger in a temporary directory, driven as a person would: search,
 * select, adjust stock (and undo), import and export, filter orders.
 */

#define G_LOG_DOMAIN "test-pages"

#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>

#include "counterpart-resources.h"

#include "cp-catalog-model.h"
#include "cp-catalog-page-private.h"
#include "cp-catalog.h"
#include "cp-demo.h"
#include "cp-order-model.h"
#include "cp-orders-page-private.h"
#include "cp-orders.h"
#include "cp-page-toast.h"
#include "cp-relative-time.h"
#include "cp-safety-stock-dialog.h"
#include "cp-stock.h"
#include "pages-fixture.h"

/* Catalog & Stock */

static GListModel *
catalog_items (Fixture *fixture)
{
  return G_LIST_MODEL (gtk_column_view_get_model (
    _cp_catalog_page_get_column_view (CP_CATALOG_PAGE (fixture->page))));
}

static void
catalog_search (Fixture    *fixture,
                const char *text)
{
  GtkSearchEntry *entry = _cp_catalog_page_get_search_entry (CP_CATALOG_PAGE (fixture->page));

  /* Typed text goes through the entry's own debounce. */
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
}

static guint
find_sku (GListModel *model,
          const char *sku)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CpVariantItem) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (cp_variant_item_get_sku (item), sku) == 0)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
select_sku (Fixture    *fixture,
            const char *sku)
{
  GListModel *model = catalog_items (fixture);
  guint pos = find_sku (model, sku);

  g_assert_cmpuint (pos, !=, GTK_INVALID_LIST_POSITION);
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (model), pos, TRUE);
  drain ();
}

static void
test_catalog_search (void)
{
  Fixture fixture = { 0 };
  GListModel *model;

  fixture_open (&fixture, TRUE);
  fixture_show (&fixture, cp_catalog_page_new (fixture.ledger));
  model = catalog_items (&fixture);

  wait_for_n_items (model, 3);
  g_assert_cmpstr (_cp_catalog_page_get_state (CP_CATALOG_PAGE (fixture.page)), ==, "list");

  catalog_search (&fixture, "helm");
  wait_for_n_items (model, 1);
  g_assert_cmpuint (find_sku (model, "HELM-RED-L"), ==, 0);

  catalog_search (&fixture, "nothing-like-this");
  wait_for_n_items (model, 0);
  g_assert_cmpstr (_cp_catalog_page_get_state (CP_CATALOG_PAGE (fixture.page)), ==, "no-results");

  catalog_search (&fixture, "");
  wait_for_n_items (model, 3);
  g_assert_cmpstr (_cp_catalog_page_get_state (CP_CATALOG_PAGE (fixture.page)), ==, "list");

  fixture_close (&fixture);
}

static void
test_catalog_empty (void)
{
  Fixture fixture = { 0 };

  fixture_open (&fixture, FALSE);
  fixture_show (&fixture, cp_catalog_page_new (fixture.ledger));

  g_assert_cmpuint (g_list_model_get_n_items (catalog_items (&fixture)), ==, 0);
  g_assert_cmpstr (_cp_catalog_page_get_state (CP_CATALOG_PAGE (fixture.page)), ==, "empty");
  maybe_screenshot (fixture.window, "catalog-empty");

  fixture_close (&fixture);
}

static gint64
list_on_hand (GListModel *model,
              const char *sku)
{
  guint pos = find_sku (model, sku);
  g_autoptr(CpVariantItem) item = NULL;

  g_assert_cmpuint (pos, !=, GTK_INVALID_LIST_POSITION);
  item = g_list_model_get_item (model, pos);
  return cp_variant_item_get_on_hand (item);
}

typedef struct
{
  GListModel *model;
  const char *sku;
  gint64      on_hand;
} OnHandWait;

static gboolean
list_shows_on_hand (gpointer data)
{
  OnHandWait *wait = data;
  guint pos = find_sku (wait->model, wait->sku);
  g_autoptr(CpVariantItem) item = NULL;

  if (pos == GTK_INVALID_LIST_POSITION)
    return FALSE;
  item = g_list_model_get_item (wait->model, pos);
  return cp_variant_item_get_on_hand (item) == wait->on_hand;
}

static gboolean
adjust_dialog_gone (gpointer data)
{
  return _cp_catalog_page_get_adjust_dialog (data) == NULL;
}

static CpStockAdjustDialog *
open_adjust_dialog (Fixture *fixture)
{
  CpStockAdjustDialog *dialog;

  g_assert_true (gtk_widget_activate_action (fixture->page, "page.adjust-stock", NULL));
  drain ();
  dialog = _cp_catalog_page_get_adjust_dialog (CP_CATALOG_PAGE (fixture->page));
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  return dialog;
}

static gint64
on_hand (Fixture    *fixture,
         const char *sku,
         const char *location)
{
  g_autoptr(CpStockLevel) level = NULL;
  g_autoptr(GError) error = NULL;

  level = cp_stock_get (fixture->ledger, sku, location, &error);
  g_assert_no_error (error);
  return level->on_hand;
}

static void
test_catalog_detail_and_adjust (void)
{
  Fixture fixture = { 0 };
  CpCatalogPage *page;
  CpVariantDetail *detail;
  CpStockAdjustDialog *dialog;
  AdwToast *toast;
  g_autoptr(GPtrArray) movements = NULL;
  g_autoptr(GError) error = NULL;
  CpStockMovement *undo;
  g_autofree char *expected_note = NULL;
  guint n_movements;

  fixture_open (&fixture, TRUE);
  fixture_show (&fixture, cp_catalog_page_new (fixture.ledger));
  page = CP_CATALOG_PAGE (fixture.page);
  detail = _cp_catalog_page_get_detail (page);
  wait_for_n_items (catalog_items (&fixture), 3);

  /* Nothing selected: nothing to adjust. */
  g_assert_cmpstr (cp_variant_detail_get_shown_sku (detail), ==, "");
  g_assert_false (gtk_widget_activate_action (fixture.page, "page.adjust-stock", NULL)
                  && _cp_catalog_page_get_adjust_dialog (page) != NULL);

  select_sku (&fixture, "HELM-RED-L");
  g_assert_cmpstr (cp_variant_detail_get_shown_sku (detail), ==, "HELM-RED-L");
  n_movements = cp_variant_detail_get_n_movements (detail);
  maybe_screenshot (fixture.window, "catalog");
  g_assert_cmpuint (n_movements, ==, 1);

  dialog = open_adjust_dialog (&fixture);
  /* No reason chosen yet: the button stays insensitive. */
  cp_stock_adjust_dialog_set_values (dialog, "MAIN", -3, -1, NULL);
  g_assert_false (cp_stock_adjust_dialog_can_submit (dialog));
  g_assert_false (cp_stock_adjust_dialog_submit (dialog));
  g_assert_cmpint (on_hand (&fixture, "HELM-RED-L", "MAIN"), ==, 12);

  cp_stock_adjust_dialog_set_values (dialog, "MAIN", -3, CP_STOCK_REASON_DAMAGED, "Dropped");
  g_assert_true (cp_stock_adjust_dialog_can_submit (dialog));
  g_assert_true (cp_stock_adjust_dialog_submit (dialog));
  g_assert_true (wait_until (adjust_dialog_gone, page));
  g_assert_cmpint (on_hand (&fixture, "HELM-RED-L", "MAIN"), ==, 9);

  toast = cp_page_get_last_toast (fixture.page);
  g_assert_nonnull (toast);
  g_assert_nonnull (strstr (adw_toast_get_title (toast), "HELM-RED-L"));
  g_assert_nonnull (strstr (adw_toast_get_title (toast), "12 → 9"));
  g_assert_nonnull (adw_toast_get_button_label (toast));

  /* The list and the pane follow the change. */
  {
    OnHandWait wait = { catalog_items (&fixture), "HELM-RED-L", 9 };
    g_assert_true (wait_until (list_shows_on_hand, &wait));
  }
  /* The row stays selected through the reload. */
  {
    CpVariantItem *selected = gtk_single_selection_get_selected_item (
      GTK_SINGLE_SELECTION (catalog_items (&fixture)));
    g_assert_nonnull (selected);
    g_assert_cmpstr (cp_variant_item_get_sku (selected), ==, "HELM-RED-L");
  }
  g_assert_cmpuint (cp_variant_detail_get_n_movements (detail), ==, n_movements + 1);

  /* Undo: a compensating movement, never a deleted one. */
  g_signal_emit_by_name (toast, "button-clicked");
  drain ();
  g_assert_cmpint (on_hand (&fixture, "HELM-RED-L", "MAIN"), ==, 12);
  movements = cp_stock_movements (fixture.ledger, "HELM-RED-L", "MAIN", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (movements->len, ==, 3);
  undo = g_ptr_array_index (movements, 0);
  g_assert_cmpint (undo->delta, ==, 3);
  g_assert_cmpint (undo->reason, ==, CP_STOCK_REASON_CORRECTION);
  expected_note = g_strdup_printf ("Undo of movement %" G_GINT64_FORMAT,
                                   ((CpStockMovement *) g_ptr_array_index (movements, 1))->id);
  g_assert_cmpstr (undo->note, ==, expected_note);

  /* A second press does not undo twice. */
  g_signal_emit_by_name (toast, "button-clicked");
  drain ();
  g_assert_cmpint (on_hand (&fixture, "HELM-RED-L", "MAIN"), ==, 12);

  fixture_close (&fixture);
}

static void
test_catalog_adjust_refused (void)
{
  Fixture fixture = { 0 };
  CpStockAdjustDialog *dialog;
  const char *message;

  fixture_open (&fixture, TRUE);
  fixture_show (&fixture, cp_catalog_page_new (fixture.ledger));
  wait_for_n_items (catalog_items (&fixture), 3);
  select_sku (&fixture, "HELM-RED-L");

  dialog = open_adjust_dialog (&fixture);
  cp_stock_adjust_dialog_set_values (dialog, "MAIN", -100, CP_STOCK_REASON_DAMAGED, NULL);
  g_assert_true (cp_stock_adjust_dialog_can_submit (dialog));
  g_assert_false (cp_stock_adjust_dialog_submit (dialog));
  drain ();

  /* The ledger's own message, inline, and the dialog stays open. */
  message = cp_stock_adjust_dialog_get_error (dialog);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "12"));
  g_assert_nonnull (strstr (message, "HELM-RED-L"));
  g_assert_true (_cp_catalog_page_get_adjust_dialog (CP_CATALOG_PAGE (fixture.page)) == dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpint (on_hand (&fixture, "HELM-RED-L", "MAIN"), ==, 12);
  maybe_screenshot (GTK_WIDGET (dialog), "adjust-refused");

  /* Changing the numbers clears the message. */
  cp_stock_adjust_dialog_set_values (dialog, "MAIN", -2, CP_STOCK_REASON_DAMAGED, NULL);
  g_assert_null (cp_stock_adjust_dialog_get_error (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));

  fixture_close (&fixture);
}

static void
test_catalog_filters_and_sort (void)
{
  Fixture fixture = { 0 };
  GtkDropDown *location, *module, *sort;
  GtkToggleButton *descending;
  GListModel *model;
  g_autoptr(CpVariantItem) first = NULL;
  g_autoptr(CpVariantItem) last = NULL;

  fixture_open (&fixture, TRUE);
  fixture_show (&fixture, cp_catalog_page_new (fixture.ledger));
  model = catalog_items (&fixture);
  wait_for_n_items (model, 3);
  _cp_catalog_page_get_controls (CP_CATALOG_PAGE (fixture.page), &location, &module, &sort, &descending);

  /* All locations sums the stock; "West store" (MAIN, WEST by code) shows
   * only what is there. */
  g_assert_cmpint (list_on_hand (model, "HELM-RED-L"), ==, 12);
  g_assert_cmpint (list_on_hand (model, "GLOVE-M"), ==, 4);
  gtk_drop_down_set_selected (location, 2);
  drain ();
  g_assert_cmpint (list_on_hand (model, "HELM-RED-L"), ==, 0);
  g_assert_cmpint (list_on_hand (model, "GLOVE-M"), ==, 4);
  gtk_drop_down_set_selected (location, 1);
  drain ();
  g_assert_cmpint (list_on_hand (model, "HELM-RED-L"), ==, 12);
  g_assert_cmpint (list_on_hand (model, "GLOVE-M"), ==, 0);
  gtk_drop_down_set_selected (location, 0);

  /* "Spare parts": position 0 is every kind, then the modules in order. */
  gtk_drop_down_set_selected (module, 1 + CP_MODULE_SPARES);
  wait_for_n_items (model, 1);
  g_assert_cmpuint (find_sku (model, "CHAIN-520"), ==, 0);
  gtk_drop_down_set_selected (module, 0);
  wait_for_n_items (model, 3);

  /* Price, dearest first: sorted by SQLite, shown in that order. */
  gtk_drop_down_set_selected (sort, 2);
  gtk_toggle_button_set_active (descending, TRUE);
  drain ();
  first = g_list_model_get_item (model, 0);
  last = g_list_model_get_item (model, 2);
  g_assert_cmpstr (cp_variant_item_get_sku (first), ==, "HELM-RED-L");
  g_assert_cmpstr (cp_variant_item_get_sku (last), ==, "GLOVE-M");

  fixture_close (&fixture);
}

static void
test_catalog_other_process (void)
{
  Fixture fixture = { 0 };
  g_autoptr(CpLedger) other = NULL;
  g_autoptr(GError) error = NULL;
  OnHandWait wait;

  fixture_open (&fixture, TRUE);
  fixture_show (&fixture, cp_catalog_page_new (fixture.ledger));
  wait_for_n_items (catalog_items (&fixture), 3);

  /* counterpart-cli adjusts through its own connection: no signal reaches
   * the page, only PRAGMA data_version changes. */
  other = cp_ledger_open (fixture.path, &error);
  g_assert_no_error (error);
  g_assert_true (cp_stock_adjust (other, "CHAIN-520", "MAIN", 5, CP_STOCK_REASON_RECEIVED,
                                  NULL, NULL, "cli", NULL, &error));
  g_assert_no_error (error);

  _cp_catalog_page_poll (CP_CATALOG_PAGE (fixture.page));
  wait = (OnHandWait) { catalog_items (&fixture), "CHAIN-520", 5 };
  g_assert_true (wait_until (list_shows_on_hand, &wait));

  fixture_close (&fixture);
}

static void
test_catalog_safety_stock (void)
{
  Fixture fixture = { 0 };
  g_autoptr(CpStockLevel) level = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  fixture_open (&fixture, TRUE);
  fixture_show (&fixture, cp_catalog_page_new (fixture.ledger));
  wait_for_n_items (catalog_items (&fixture), 3);
  select_sku (&fixture, "HELM-RED-L");

  dialog = cp_safety_stock_dialog_present (fixture.page, fixture.ledger, "HELM-RED-L", "MAIN");
  cp_safety_stock_dialog_set_quantity (dialog, 2);
  adw_message_dialog_response (dialog, "set");
  drain ();

  level = cp_stock_get (fixture.ledger, "HELM-RED-L", "MAIN", &error);
  g_assert_no_error (error);
  g_assert_cmpint (level->safety_stock, ==, 2);
  g_assert_cmpint (level->available, ==, 10);
  g_assert_nonnull (strstr (adw_toast_get_title (cp_page_get_last_toast (fixture.page)), "HELM-RED-L"));

  fixture_close (&fixture);
}

static void
test_catalog_search_action (void)
{
  Fixture fixture = { 0 };
  GtkWidget *focus;
  GtkSearchEntry *entry;

  fixture_open (&fixture, TRUE);
  fixture_show (&fixture, cp_catalog_page_new (fixture.ledger));
  entry = _cp_catalog_page_get_search_entry (CP_CATALOG_PAGE (fixture.page));

  /* What Ctrl+F in the window ends up activating. */
  g_assert_true (gtk_widget_activate_action (fixture.page, "page.search", NULL));
  drain ();
  focus = gtk_root_get_focus (GTK_ROOT (fixture.window));
  g_assert_nonnull (focus);
  g_assert_true (focus == GTK_WIDGET (entry) || gtk_widget_is_ancestor (focus, GTK_WIDGET (entry)));

  fixture_close (&fixture);
}

static gboolean
transfer_idle (gpointer data)
{
  return !cp_catalog_transfer_is_busy (data);
}

static void
test_catalog_import_problems (void)
{
  Fixture fixture = { 0 };
  CpCatalogTransfer *transfer;
  g_autofree char *csv = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;

  fixture_open (&fixture, TRUE);
  fixture_show (&fixture, cp_catalog_page_new (fixture.ledger));
  wait_for_n_items (catalog_items (&fixture), 3);
  transfer = _cp_catalog_page_get_transfer (CP_CATALOG_PAGE (fixture.page));

  csv = g_build_filename (fixture.dir, "bad.csv", NULL);
  g_assert_true (g_file_set_contents (csv,
                                      "sku,name,price\n"
                                      "NEW-1,New thing,4.50\n"
                                      "NEW-2,Other thing,not-a-price\n"
                                      "NEW-3,Third,1.00\n"
                                      "NEW-4,,2.00\n"
                                      "NEW-5,Fifth,x\n"
                                      "NEW-6,Sixth,y\n"
                                      "NEW-7,Seventh,z\n"
                                      "NEW-8,Eighth,w\n"
                                      "NEW-9,Ninth,v\n",
                                      -1, &error));
  file = g_file_new_for_path (csv);
  cp_catalog_transfer_import_file (transfer, file);
  g_assert_true (cp_catalog_transfer_is_busy (transfer));
  g_assert_true (wait_until (transfer_idle, transfer));
  drain ();

  g_assert_nonnull (cp_catalog_transfer_get_problem_dialog (transfer));
  maybe_screenshot (GTK_WIDGET (cp_catalog_transfer_get_problem_dialog (transfer)), "import-problems");
  text = cp_catalog_transfer_get_problem_text (transfer);
  g_assert_nonnull (text);
  /* Every problem, one a line, with its line and column. */
  {
    g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 7);
    g_assert_nonnull (strstr (lines[0], "line 3"));
    g_assert_nonnull (strstr (lines[0], "price"));
    g_assert_nonnull (strstr (text, "line 5"));   /* the missing name */
    g_assert_nonnull (strstr (text, "line 10"));
  }
  g_assert_cmpint (cp_catalog_count_variants (fixture.ledger), ==, 3);
  g_assert_null (cp_catalog_get_by_sku (fixture.ledger, "NEW-1", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (catalog_items (&fixture)), ==, 3);

  gtk_window_destroy (GTK_WINDOW (cp_catalog_transfer_get_problem_dialog (transfer)));
  fixture_close (&fixture);
}

static void
test_catalog_import_cancelled (void)
{
  Fixture fixture = { 0 };
  CpCatalogTransfer *transfer;
  g_autofree char *csv = NULL;
  g_autoptr(GString) rows = g_string_new ("sku,name,price\n");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  fixture_open (&fixture, TRUE);
  fixture_show (&fixture, cp_catalog_page_new (fixture.ledger));
  wait_for_n_items (catalog_items (&fixture), 3);
  transfer = _cp_catalog_page_get_transfer (CP_CATALOG_PAGE (fixture.page));

  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (rows, "BULK-%05u,Bulk item %u,1.00\n", i, i);
  csv = g_build_filename (fixture.dir, "bulk.csv", NULL);
  g_assert_true (g_file_set_contents (csv, rows->str, rows->len, &error));
  file = g_file_new_for_path (csv);

  cp_catalog_transfer_import_file (transfer, file);
  cp_catalog_transfer_cancel (transfer);
  g_assert_true (wait_until (transfer_idle, transfer));
  drain ();

  toast = cp_page_get_last_toast (GTK_WIDGET (transfer));
  g_assert_nonnull (toast);
  g_assert_nonnull (strstr (adw_toast_get_title (toast), "cancelled"));
  g_assert_null (cp_catalog_transfer_get_problem_dialog (transfer));
  g_assert_cmpint (cp_catalog_count_variants (fixture.ledger), ==, 3);

  fixture_close (&fixture);
}

/* Closing the window while an import runs must neither crash nor leave
 * half a catalog: the import finishes (or not) as a whole, and its result
 * arrives at a widget no longer on screen. */
static void
test_catalog_import_page_closed (void)
{
  Fixture fixture = { 0 };
  CpCatalogTransfer *transfer;
  g_autofree char *csv = NULL;
  g_autoptr(GString) rows = g_string_new ("sku,name,price\n");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  fixture_open (&fixture, TRUE);
  fixture_show (&fixture, cp_catalog_page_new (fixture.ledger));
  transfer = _cp_catalog_page_get_transfer (CP_CATALOG_PAGE (fixture.page));

  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (rows, "BULK-%05u,Bulk item %u,1.00\n", i, i);
  csv = g_build_filename (fixture.dir, "bulk.csv", NULL);
  g_assert_true (g_file_set_contents (csv, rows->str, rows->len, &error));
  file = g_file_new_for_path (csv);

  cp_catalog_transfer_import_file (transfer, file);
  gtk_window_destroy (GTK_WINDOW (fixture.window));
  fixture.window = NULL;

  /* Let the worker finish and its callback run. */
  g_timeout_add (3000, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (cp_catalog_count_variants (fixture.ledger) == 3
                 || cp_catalog_count_variants (fixture.ledger) == 2003);
  fixture_close (&fixture);
}

static void
test_catalog_import_and_export (void)
{
  Fixture fixture = { 0 };
  CpCatalogTransfer *transfer;
  g_autofree char *csv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *exported = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) out_file = NULL;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  fixture_open (&fixture, TRUE);
  fixture_show (&fixture, cp_catalog_page_new (fixture.ledger));
  wait_for_n_items (catalog_items (&fixture), 3);
  transfer = _cp_catalog_page_get_transfer (CP_CATALOG_PAGE (fixture.page));

  csv = g_build_filename (fixture.dir, "good.csv", NULL);
  g_assert_true (g_file_set_contents (csv,
                                      "sku,name,price,on_hand:MAIN\n"
                                      "NEW-1,New thing,4.50,7\n"
                                      "GLOVE-M,Gloves,39.00,\n",
                                      -1, &error));
  file = g_file_new_for_path (csv);
  cp_catalog_transfer_import_file (transfer, file);
  g_assert_true (wait_until (transfer_idle, transfer));
  drain ();

  g_assert_null (cp_catalog_transfer_get_problem_dialog (transfer));
  toast = cp_page_get_last_toast (GTK_WIDGET (transfer));
  g_assert_nonnull (toast);
  g_assert_nonnull (strstr (adw_toast_get_title (toast), "Imported 2 products"));
  g_assert_nonnull (strstr (adw_toast_get_title (toast), "1 new"));
  /* The list shows the new product without a restart. */
  wait_for_n_items (catalog_items (&fixture), 4);
  g_assert_cmpuint (find_sku (catalog_items (&fixture), "NEW-1"), !=, GTK_INVALID_LIST_POSITION);

  out = g_build_filename (fixture.dir, "export.csv", NULL);
  out_file = g_file_new_for_path (out);
  cp_catalog_transfer_export_file (transfer, out_file, CP_EXPORT_CSV);
  g_assert_true (wait_until (transfer_idle, transfer));
  drain ();
  g_assert_true (g_file_get_contents (out, &exported, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (exported, "HELM-RED-L"));
  g_assert_nonnull (strstr (exported, "NEW-1"));
  toast = cp_page_get_last_toast (GTK_WIDGET (transfer));
  g_assert_nonnull (strstr (adw_toast_get_title (toast), "export.csv"));

  /* The other formats, as the file chooser's choice would ask. */
  {
    g_autofree char *xlsx = g_build_filename (fixture.dir, "export.xlsx", NULL);
    g_autofree char *json = g_build_filename (fixture.dir, "export.json", NULL);
    g_autoptr(GFile) xlsx_file = g_file_new_for_path (xlsx);
    g_autoptr(GFile) json_file = g_file_new_for_path (json);
    g_autofree char *bytes = NULL;
    gsize length = 0;

    cp_catalog_transfer_export_file (transfer, xlsx_file, CP_EXPORT_XLSX);
    g_assert_true (wait_until (transfer_idle, transfer));
    g_assert_true (g_file_get_contents (xlsx, &bytes, &length, &error));
    g_assert_cmpuint (length, >, 4);
    g_assert_cmpmem (bytes, 2, "PK", 2);   /* a zip, as XLSX is */
    g_clear_pointer (&bytes, g_free);

    cp_catalog_transfer_export_file (transfer, json_file, CP_EXPORT_JSON);
    g_assert_true (wait_until (transfer_idle, transfer));
    g_assert_true (g_file_get_contents (json, &bytes, &length, &error));
    g_assert_nonnull (strstr (bytes, "\"NEW-1\""));
  }

  fixture_close (&fixture);
}

static void
test_export_format_from_filename (void)
{
  CpExportFormat format = CP_EXPORT_CSV;

  g_assert_true (cp_export_format_from_filename ("stock.XLSX", &format));
  g_assert_cmpint (format, ==, CP_EXPORT_XLSX);
  g_assert_true (cp_export_format_from_filename ("a.json", &format));
  g_assert_cmpint (format, ==, CP_EXPORT_JSON);
  g_assert_true (cp_export_format_from_filename ("a.csv", &format));
  g_assert_cmpint (format, ==, CP_EXPORT_CSV);
  g_assert_false (cp_export_format_from_filename ("catalog", &format));
}

/* Orders */

static GListModel *
order_items (Fixture *fixture)
{
  return G_LIST_MODEL (gtk_column_view_get_model (
    _cp_orders_page_get_column_view (CP_ORDERS_PAGE (fixture->page))));
}

static guint
find_number (GListModel *model,
             const char *number)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CpOrderItem) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (cp_order_item_get_number (item), number) == 0)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
test_orders_search_and_detail (void)
{
  Fixture fixture = { 0 };
  CpOrdersPage *page;
  CpOrderDetail *detail;
  GListModel *model;
  GtkSearchEntry *entry;
  g_auto(GStrv) skus = NULL;
  guint pos;

  fixture_open (&fixture, TRUE);
  fixture_show (&fixture, cp_orders_page_new (fixture.ledger));
  page = CP_ORDERS_PAGE (fixture.page);
  detail = _cp_orders_page_get_detail (page);
  model = order_items (&fixture);
  entry = _cp_orders_page_get_search_entry (page);

  wait_for_n_items (model, 2);
  g_assert_cmpstr (_cp_orders_page_get_state (page), ==, "list");

  gtk_editable_set_text (GTK_EDITABLE (entry), "1001");
  wait_for_n_items (model, 1);
  pos = find_number (model, "#1001");
  g_assert_cmpuint (pos, ==, 0);

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (model), pos, TRUE);
  drain ();
  g_assert_cmpstr (cp_order_detail_get_shown_number (detail), ==, "#1001");
  skus = cp_order_detail_dup_shown_skus (detail);
  g_assert_cmpuint (g_strv_length (skus), ==, 1);
  g_assert_cmpstr (skus[0], ==, "HELM-RED-L");
  g_assert_cmpuint (cp_order_detail_get_n_payments (detail), ==, 2);
  g_assert_cmpuint (cp_order_detail_get_n_refunds (detail), ==, 1);
  maybe_screenshot (fixture.window, "orders");

  /* By customer and by SKU too. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "Lovelace");
  wait_for_n_items (model, 1);
  gtk_editable_set_text (GTK_EDITABLE (entry), "GLOVE");
  wait_for_n_items (model, 1);
  g_assert_cmpuint (find_number (model, "R1-000001"), ==, 0);

  gtk_editable_set_text (GTK_EDITABLE (entry), "zzzz");
  wait_for_n_items (model, 0);
  g_assert_cmpstr (_cp_orders_page_get_state (page), ==, "no-results");

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  wait_for_n_items (model, 2);

  fixture_close (&fixture);
}

static void
test_orders_channels (void)
{
  Fixture fixture = { 0 };
  CpOrdersPage *page;
  GPtrArray *channels;
  GListModel *model;
  guint web = GTK_INVALID_LIST_POSITION;

  fixture_open (&fixture, TRUE);
  fixture_show (&fixture, cp_orders_page_new (fixture.ledger));
  page = CP_ORDERS_PAGE (fixture.page);
  model = order_items (&fixture);
  wait_for_n_items (model, 2);

  /* All channels, the register, then what the ledger has. */
  channels = _cp_orders_page_get_channels (page);
  g_assert_cmpuint (channels->len, ==, 3);
  g_assert_null (g_ptr_array_index (channels, 0));
  g_assert_cmpstr (g_ptr_array_index (channels, 1), ==, "pos");
  for (guint i = 0; i < channels->len; i++)
    if (g_strcmp0 (g_ptr_array_index (channels, i), "shop-web") == 0)
      web = i;
  g_assert_cmpuint (web, !=, GTK_INVALID_LIST_POSITION);

  gtk_drop_down_set_selected (_cp_orders_page_get_channel_dropdown (page), web);
  wait_for_n_items (model, 1);
  g_assert_cmpuint (find_number (model, "#1001"), ==, 0);

  fixture_close (&fixture);
}

static void
test_orders_period (void)
{
  Fixture fixture = { 0 };
  g_autoptr(CpOrder) order = cp_order_new ();
  g_autoptr(GError) error = NULL;
  GtkDropDown *period;
  GListModel *model;

  fixture_open (&fixture, TRUE);
  order->source = g_strdup ("pos");
  order->external_id = g_strdup ("sale-old");
  order->number = g_strdup ("R1-000000");
  order->placed_at_us = g_get_real_time () - 10 * G_TIME_SPAN_DAY;
  memcpy (order->currency, "EUR", 4);
  cp_order_add_line (order, "CHAIN-520", "Chain", 1, 5400, 0, 0);
  g_assert_true (cp_orders_record (fixture.ledger, order, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);

  fixture_show (&fixture, cp_orders_page_new (fixture.ledger));
  model = order_items (&fixture);
  period = _cp_orders_page_get_period_dropdown (CP_ORDERS_PAGE (fixture.page));
  /* All time by default: nothing hidden by surprise. */
  g_assert_cmpuint (gtk_drop_down_get_selected (period), ==, 3);
  wait_for_n_items (model, 3);

  gtk_drop_down_set_selected (period, 0);   /* Today */
  wait_for_n_items (model, 2);
  g_assert_cmpuint (find_number (model, "R1-000000"), ==, GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (period, 1);   /* Last 7 days */
  wait_for_n_items (model, 2);
  gtk_drop_down_set_selected (period, 2);   /* Last 30 days */
  wait_for_n_items (model, 3);

  fixture_close (&fixture);
}

static void
test_orders_other_process (void)
{
  Fixture fixture = { 0 };
  g_autoptr(CpLedger) other = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model;

  fixture_open (&fixture, TRUE);
  fixture_show (&fixture, cp_orders_page_new (fixture.ledger));
  model = order_items (&fixture);
  wait_for_n_items (model, 2);

  /* counterpart-cli writes through its own connection: no signal reaches
   * the window, only PRAGMA data_version changes. */
  other = cp_ledger_open (fixture.path, &error);
  g_assert_no_error (error);
  record_order (other, "pos", "sale-2", "R1-000002", "Walk-in", "CHAIN-520", 1, 5400, FALSE);

  _cp_orders_page_poll (CP_ORDERS_PAGE (fixture.page));
  wait_for_n_items (model, 3);
  g_assert_cmpuint (find_number (model, "R1-000002"), !=, GTK_INVALID_LIST_POSITION);

  fixture_close (&fixture);
}

static void
test_orders_empty (void)
{
  Fixture fixture = { 0 };

  fixture_open (&fixture, FALSE);
  fixture_show (&fixture, cp_orders_page_new (fixture.ledger));
  g_assert_cmpuint (g_list_model_get_n_items (order_items (&fixture)), ==, 0);
  g_assert_cmpstr (_cp_orders_page_get_state (CP_ORDERS_PAGE (fixture.page)), ==, "empty");
  maybe_screenshot (fixture.window, "orders-empty");
  fixture_close (&fixture);
}

/* The demo shop: a screenful of real-looking rows, for the screenshots
 * and to see that paging over a few thousand orders holds up. */
static void
test_demo_shop (void)
{
  Fixture fixture = { 0 };
  CpDemoOptions options;
  g_autoptr(GError) error = NULL;
  GListModel *model;
  guint n_orders;

  fixture_open (&fixture, FALSE);
  cp_demo_options_init (&options);
  options.n_products = 60;
  options.days = 14;
  g_assert_true (cp_demo_populate (fixture.ledger, &options, &error));
  g_assert_no_error (error);

  fixture_show (&fixture, cp_catalog_page_new (fixture.ledger));
  model = catalog_items (&fixture);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, cp_catalog_count_variants (fixture.ledger));
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (model), 1, TRUE);
  drain ();
  g_assert_cmpstr (_cp_catalog_page_get_state (CP_CATALOG_PAGE (fixture.page)), ==, "list");
  maybe_screenshot (fixture.window, "catalog-demo");
  gtk_window_destroy (GTK_WINDOW (fixture.window));
  fixture.window = NULL;

  fixture_show (&fixture, cp_orders_page_new (fixture.ledger));
  model = order_items (&fixture);
  n_orders = g_list_model_get_n_items (model);
  g_assert_cmpuint (n_orders, ==, cp_orders_count (fixture.ledger));
  g_assert_cmpuint (n_orders, >, 0);
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (model), 0, TRUE);
  drain ();
  g_assert_cmpstr (cp_order_detail_get_shown_number (_cp_orders_page_get_detail (CP_ORDERS_PAGE (fixture.page))),
                   !=, "");
  maybe_screenshot (fixture.window, "orders-demo");

  fixture_close (&fixture);
}

static gboolean
is_narrow (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) <= 360;
}

static gboolean
detail_on_top (gpointer data)
{
  GtkWidget *detail = GTK_WIDGET (_cp_catalog_page_get_detail (data));
  graphene_point_t point;

  /* The detail is on screen and the leaflet shows it at the page's start. */
  return gtk_widget_get_mapped (detail)
         && gtk_widget_compute_point (detail, GTK_WIDGET (data), &GRAPHENE_POINT_INIT (0, 0), &point)
         && point.x < 10;
}

/* The window folds to one pane at 360 px: the pages must fit in that. */
static void
test_narrow (void)
{
  Fixture fixture = { 0 };
  int minimum = 0;

  fixture_open (&fixture, TRUE);
  fixture_show (&fixture, cp_catalog_page_new (fixture.ledger));
  gtk_widget_measure (fixture.page, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("Catalog & Stock needs %d px", minimum);
  g_assert_cmpint (minimum, <=, 360);
  gtk_window_set_default_size (GTK_WINDOW (fixture.window), 360, 640);
  g_assert_true (wait_until (is_narrow, fixture.page));
  wait_for_n_items (catalog_items (&fixture), 3);
  maybe_screenshot (fixture.window, "catalog-narrow");
  /* Folded: choosing a product shows its detail instead of the list. */
  select_sku (&fixture, "GLOVE-M");
  g_assert_true (wait_until (detail_on_top, fixture.page));
  g_assert_cmpstr (cp_variant_detail_get_shown_sku (_cp_catalog_page_get_detail (CP_CATALOG_PAGE (fixture.page))),
                   ==, "GLOVE-M");
  maybe_screenshot (fixture.window, "catalog-narrow-detail");
  gtk_window_destroy (GTK_WINDOW (fixture.window));
  fixture.window = NULL;

  fixture_show (&fixture, cp_orders_page_new (fixture.ledger));
  gtk_widget_measure (fixture.page, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("Orders needs %d px", minimum);
  g_assert_cmpint (minimum, <=, 360);

  fixture_close (&fixture);
}

static void
test_relative_time (void)
{
  gint64 now = G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC;
  struct { gint64 ago_s; const char *expected; } cases[] = {
    { 0, "Just now" },
    { 59, "Just now" },
    { 60, "1 minute ago" },
    { 125, "2 minutes ago" },
    { 3600, "1 hour ago" },
    { 2 * 3600 + 59, "2 hours ago" },
    { 86400, "1 day ago" },
    { 29 * 86400, "29 days ago" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cp_relative_time_format (now - cases[i].ago_s * G_USEC_PER_SEC, now);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  /* Older than a month, and a clock ahead: the date, not "ago". */
  {
    g_autofree char *old = cp_relative_time_format (now - 40 * G_TIME_SPAN_DAY, now);
    g_autofree char *ahead = cp_relative_time_format (now + 5 * G_USEC_PER_SEC, now);
    g_assert_null (strstr (old, "ago"));
    g_assert_null (strstr (ahead, "ago"));
    g_assert_cmpstr (old, !=, "");
  }
}

static void
test_no_display (void)
{
  if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
    g_error ("CP_TEST_HARNESS=1 but there is no usable display (DISPLAY=%s): the harness must start Xvfb",
             g_getenv ("DISPLAY"));
  g_test_skip ("No display: run under Xvfb (build-aux/test-session.sh) to test the pages");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  setlocale (LC_ALL, "");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gui/pages/export-format", test_export_format_from_filename);
  g_test_add_func ("/gui/pages/relative-time", test_relative_time);

  if (g_getenv ("DISPLAY") == NULL || !gtk_init_check ())
    {
      g_test_add_func ("/gui/pages/display", test_no_display);
      return g_test_run ();
    }

  adw_init ();
  /* To look at the mirrored layout: CP_PAGES_RTL=1. */
  if (g_strcmp0 (g_getenv ("CP_PAGES_RTL"), "1") == 0)
    gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  if (g_strcmp0 (g_getenv ("CP_PAGES_DARK"), "1") == 0)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  /* Make sure the linker keeps the bundle that registers the .ui files. */
  g_assert_nonnull (counterpart_get_resource ());
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/gui/pages/catalog/search", test_catalog_search);
  g_test_add_func ("/gui/pages/catalog/empty", test_catalog_empty);
  g_test_add_func ("/gui/pages/catalog/detail-and-adjust", test_catalog_detail_and_adjust);
  g_test_add_func ("/gui/pages/catalog/adjust-refused", test_catalog_adjust_refused);
  g_test_add_func ("/gui/pages/catalog/filters-and-sort", test_catalog_filters_and_sort);
  g_test_add_func ("/gui/pages/catalog/other-process", test_catalog_other_process);
  g_test_add_func ("/gui/pages/catalog/safety-stock", test_catalog_safety_stock);
  g_test_add_func ("/gui/pages/catalog/search-action", test_catalog_search_action);
  g_test_add_func ("/gui/pages/catalog/import-problems", test_catalog_import_problems);
  g_test_add_func ("/gui/pages/catalog/import-cancelled", test_catalog_import_cancelled);
  g_test_add_func ("/gui/pages/catalog/import-page-closed", test_catalog_import_page_closed);
  g_test_add_func ("/gui/pages/catalog/import-and-export", test_catalog_import_and_export);
  g_test_add_func ("/gui/pages/orders/search-and-detail", test_orders_search_and_detail);
  g_test_add_func ("/gui/pages/orders/channels", test_orders_channels);
  g_test_add_func ("/gui/pages/orders/period", test_orders_period);
  g_test_add_func ("/gui/pages/orders/other-process", test_orders_other_process);
  g_test_add_func ("/gui/pages/orders/empty", test_orders_empty);
  g_test_add_func ("/gui/pages/demo-shop", test_demo_shop);
  g_test_add_func ("/gui/pages/narrow", test_narrow);

  return g_test_run ();
}
