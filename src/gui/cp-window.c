/* cp-window.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window. It opens the ledger off the UI thread
 * (cp-window-ledger.c) so it appears at once with a loading state, then
 * builds each page around the open ledger the first time it is shown: on a
 * big ledger a page's first load costs real time, and a page nobody looks
 * at should not delay the one they do. A ledger that cannot be opened is
 * explained on an error page, never a crash.
 */

#define G_LOG_DOMAIN "cp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-activity-page.h"
#include "cp-catalog-page.h"
#include "cp-credentials.h"
#include "cp-empty-page.h"
#include "cp-fault-panel.h"
#include "cp-integrations-page.h"
#include "cp-order-sources.h"
#include "cp-orders-page.h"
#include "cp-overview-page.h"
#include "cp-window.h"
#include "cp-window-private.h"

/* How often to look for commits by other processes (counterpart-cli). */
#define DATA_VERSION_POLL_SECONDS 3

typedef struct
{
  const char *name;
  const char *icon_name;
  const char *title;
} PageInfo;

/* The sidebar, in the order of UX.md. Alt+1…7 follow this order too. */
static const PageInfo page_infos[] = {
  { "overview", "go-home-symbolic", N_("Overview") },
  { "orders", "emblem-documents-symbolic", N_("Orders") },
  { "catalog", "package-x-generic-symbolic", N_("Catalog & Stock") },
  { "integrations", "network-workgroup-symbolic", N_("Integrations") },
  { "accounting", "accessories-calculator-symbolic", N_("Accounting") },
  { "devices", "printer-symbolic", N_("Devices") },
  { "activity", "document-open-recent-symbolic", N_("Activity") },
};
G_STATIC_ASSERT (G_N_ELEMENTS (page_infos) == CP_WINDOW_N_PAGES);


G_DEFINE_FINAL_TYPE (CpWindow, cp_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DATA_DIR,
  PROP_SANDBOX,
  PROP_STATUS,
  PROP_LEDGER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
page_index (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (page_infos); i++)
    if (g_strcmp0 (page_infos[i].name, name) == 0)
      return i;
  return -1;
}

void
_cp_window_set_status (CpWindow       *self,
                       CpWindowStatus  status)
{
  g_autoptr(GVariant) state = NULL;

  /* Without an open ledger the pages are not there to pick. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->sidebar_list), status == CP_WINDOW_STATUS_READY);
  if (status == CP_WINDOW_STATUS_READY)
    {
      state = g_action_group_get_action_state (G_ACTION_GROUP (self), "show-page");
      adw_window_title_set_title (self->page_title,
                                  _(page_infos[page_index (g_variant_get_string (state, NULL))].title));
    }
  else
    {
      adw_window_title_set_title (self->page_title, _("Counterpart"));
    }

  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

/* Badges */

static void
set_badge (CpWindow   *self,
           const char *page,
           gint64      count,
           const char *description)
{
  GtkLabel *badge = self->badges[page_index (page)];
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (badge), count > 0);
  text = g_strdup_printf ("%" G_GINT64_FORMAT, count);
  gtk_label_set_label (badge, text);
  /* A bare number means little to a screen reader or a new user. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (badge), description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (badge),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
}

static void
update_badges (CpWindow *self)
{
  g_autoptr(GError) error = NULL;
  gint64 waiting;

  if (self->ledger == NULL)
    return;

  /* Orders waiting for a decision: for now the ones not paid yet. Counted,
   * not listed: listing builds every order, the count reads an index. */
  waiting = cp_order_status_count (self->ledger, "awaiting_payment", &error);
  if (waiting < 0)
    g_warning ("Could not count the orders awaiting payment: %s", error->message);
  {
    guint n = waiting > 0 ? (guint) MIN (waiting, G_MAXUINT) : 0;
    g_autofree char *count = g_strdup_printf ("%u", n);
    g_autofree char *description = NULL;

    /* Translators: %s is a number of orders. */
    description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%s order awaiting payment",
                                                "%s orders awaiting payment", n),
                                   count);
    set_badge (self, "orders", n, description);
  }

  /* Things a person must act on now: jobs given up on, integrations
   * waiting for a fix. */
  {
    g_autoptr(GError) local_error = NULL;
    gint64 attention = cp_activity_attention_count (self->ledger, &local_error);
    guint n = attention > 0 ? (guint) MIN (attention, G_MAXUINT) : 0;
    g_autofree char *count = g_strdup_printf ("%u", n);
    g_autofree char *description = NULL;

    if (attention < 0)
      g_warning ("Could not count what needs attention: %s", local_error->message);
    /* Translators: %s is a number of problems to look at. */
    description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%s thing needs your attention",
                                                "%s things need your attention", n),
                                   count);
    set_badge (self, "activity", n, description);
  }
}

static void
ledger_changed_cb (CpWindow   *self,
                   const char *table)
{
  if (g_strcmp0 (table, "orders") == 0 || g_strcmp0 (table, "integrations") == 0 ||
      g_strcmp0 (table, "outbox") == 0 || g_strcmp0 (table, "activity") == 0)
    update_badges (self);
}

static gboolean
poll_data_version_cb (gpointer user_data)
{
  CpWindow *self = user_data;
  gint64 version;

  if (self->ledger == NULL)
    return G_SOURCE_CONTINUE;

  /* PRAGMA data_version moves when another connection committed, e.g.
   * counterpart-cli recorded sales: tell the pages to refresh. */
  version = cp_ledger_data_version (self->ledger);
  if (version != self->data_version)
    {
      self->data_version = version;
      cp_ledger_emit_changed (self->ledger, "orders");
      cp_ledger_emit_changed (self->ledger, "stock");
      cp_ledger_emit_changed (self->ledger, "variants");
      /* The engine writes on a connection of its own. */
      cp_ledger_emit_changed (self->ledger, "integrations");
      cp_ledger_emit_changed (self->ledger, "outbox");
      cp_ledger_emit_changed (self->ledger, "activity");
    }

  return G_SOURCE_CONTINUE;
}

/* Navigation */

static GtkWidget *
create_page (CpWindow   *self,
             const char *name)
{
  if (g_str_equal (name, "overview"))
    return cp_overview_page_new (self->ledger, self->sandbox);
  if (g_str_equal (name, "orders"))
    return cp_orders_page_new (self->ledger);
  if (g_str_equal (name, "catalog"))
    return cp_catalog_page_new (self->ledger);
  if (g_str_equal (name, "integrations"))
    {
      GtkWidget *page = cp_integrations_page_new (self->ledger, self->sandbox);

      cp_integrations_page_set_warning (CP_INTEGRATIONS_PAGE (page), self->credentials_warning);
      return page;
    }
  if (g_str_equal (name, "activity"))
    return cp_activity_page_new (self->ledger);
  return cp_empty_page_new (name, self->sandbox);
}

/* The page called NAME, built now if it was never shown; NULL while no
 * ledger is open. */
static GtkWidget *
ensure_page (CpWindow   *self,
             const char *name)
{
  GtkWidget *page;

  if (self->ledger == NULL || page_index (name) < 0)
    return NULL;

  page = gtk_stack_get_child_by_name (self->pages_stack, name);
  if (page == NULL)
    {
      page = create_page (self, name);
      gtk_stack_add_named (self->pages_stack, page, name);
    }

  return page;
}

static void
show_page (CpWindow   *self,
           const char *name)
{
  int index = page_index (name);
  GtkListBoxRow *row;
  GtkWidget *page;

  g_return_if_fail (index >= 0);

  row = gtk_list_box_get_row_at_index (self->sidebar_list, index);
  if (gtk_list_box_get_selected_row (self->sidebar_list) != row)
    gtk_list_box_select_row (self->sidebar_list, row);

  if (self->status == CP_WINDOW_STATUS_READY)
    adw_window_title_set_title (self->page_title, _(page_infos[index].title));

  page = ensure_page (self, name);
  if (page != NULL)
    gtk_stack_set_visible_child (self->pages_stack, page);

  if (self->settings != NULL && self->save_page)
    g_settings_set_string (self->settings, "sidebar-page", name);
}

static void
show_page_change_state (GSimpleAction *action,
                        GVariant      *value,
                        gpointer       user_data)
{
  CpWindow *self = user_data;
  const char *name = g_variant_get_string (value, NULL);

  if (page_index (name) < 0)
    {
      g_warning ("There is no page called “%s”", name);
      return;
    }

  g_simple_action_set_state (action, value);
  show_page (self, name);

  /* Folded, a page asked for (Alt+2, a button) slides into view; the
   * state restored before the window is shown does not. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

static void
search_activated (GSimpleAction *action,
                  GVariant      *param,
                  gpointer      user_data)
{
  CpWindow *self = user_data;
  GtkWidget *page = gtk_stack_get_visible_child (self->pages_stack);

  /* See the convention in cp-window.h: pages that list things install
   * "page.search"; on the others Ctrl+F does nothing. */
  if (page != NULL && self->status == CP_WINDOW_STATUS_READY)
    gtk_widget_activate_action (page, "page.search", NULL);
}

static const GActionEntry win_actions[] = {
  { "show-page", NULL, "s", "'overview'", show_page_change_state },
  { "search", search_activated },
};

static void
sidebar_row_selected_cb (CpWindow      *self,
                         GtkListBoxRow *row)
{
  const char *name;

  if (row == NULL)
    return;

  name = page_infos[gtk_list_box_row_get_index (row)].name;
  g_action_group_change_action_state (G_ACTION_GROUP (self), "show-page",
                                      g_variant_new_string (name));
}

static void
sidebar_row_activated_cb (CpWindow      *self,
                          GtkListBoxRow *row)
{
  /* Folded, picking a page slides over to it. */
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

static void
back_clicked_cb (CpWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
fault_clicked_cb (CpWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GError) error = NULL;
  CpSandboxServer *server;
  GtkWidget *panel;

  if (app == NULL || !CP_IS_APPLICATION (app))
    return;
  server = cp_application_get_sandbox_server (CP_APPLICATION (app), &error);
  if (server == NULL)
    {
      cp_window_add_toast (self, adw_toast_new (error->message));
      return;
    }
  panel = cp_fault_panel_new (server);
  gtk_window_set_transient_for (GTK_WINDOW (panel), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (panel));
}

static GtkWidget *
create_sidebar_row (CpWindow *self,
                    guint     index)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name (page_infos[index].icon_name);
  GtkWidget *label = gtk_label_new (_(page_infos[index].title));
  GtkWidget *badge = gtk_label_new ("0");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (badge, "badge");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (badge, FALSE);

  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), badge);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_name (row, page_infos[index].name);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                  -1);

  self->badges[index] = GTK_LABEL (badge);
  return row;
}

/* The keyring */

static void
credentials_checked_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(CpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWidget *page;

  if (cp_credentials_check_finish (result, &error))
    g_debug ("The keyring is available");
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  /* The core's messages (no keyring, locked) already say what to do:
   * install or start GNOME Keyring, or unlock it. */
  if (error != NULL)
    {
      g_message ("Credentials cannot be stored: %s", error->message);
      g_free (self->credentials_warning);
      self->credentials_warning = g_strdup (error->message);
    }
  self->credentials_checked = TRUE;

  /* Only Integrations asks for passwords; if it is not built yet it takes
   * the message when it is. */
  page = gtk_stack_get_child_by_name (self->pages_stack, "integrations");
  if (page != NULL)
    cp_integrations_page_set_warning (CP_INTEGRATIONS_PAGE (page), self->credentials_warning);
}

/* Once, after the ledger opened, and never waited for: a missing Secret
 * Service must not keep the shop's books from opening. */
static void
check_credentials (CpWindow *self)
{
  if (self->credentials_check_started)
    return;
  self->credentials_check_started = TRUE;
  cp_credentials_check_async (self->cancellable, credentials_checked_cb, g_object_ref (self));
}

/* The ledger is open */

/* The sync engine lives in the application (it goes on with the window
 * closed); the window starts it for its ledger and shows what it does. */
static void
engine_changed_cb (CpWindow *self)
{
  update_badges (self);
}

static void
connect_engine (CpWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  CpEngine *engine = NULL;

  if (app != NULL && CP_IS_APPLICATION (app))
    {
      cp_application_start_engine (CP_APPLICATION (app), self->ledger);
      engine = cp_application_get_engine (CP_APPLICATION (app));
    }
  if (engine != NULL)
    {
      g_signal_connect_object (engine, "integration-changed", G_CALLBACK (engine_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (engine, "job-dead", G_CALLBACK (engine_changed_cb),
                               self, G_CONNECT_SWAPPED);
    }
  cp_sync_indicator_set_ledger (self->sync_indicator, self->ledger);
  cp_sync_indicator_set_engine (self->sync_indicator, engine);
}

/* Only the page on screen: the others are built when first shown. */
static void
build_pages (CpWindow *self)
{
  g_autoptr(GVariant) state = NULL;

  state = g_action_group_get_action_state (G_ACTION_GROUP (self), "show-page");
  show_page (self, g_variant_get_string (state, NULL));
}

void
_cp_window_ledger_opened (CpWindow *self,
                          CpLedger *ledger)
{
  self->ledger = g_object_ref (ledger);
  /* The ledger keeps up to 64 MiB of pages per connection, sized for bulk
   * writes. The window's connection mostly reads pages of a list: with a
   * million orders, scrolling the list end to end would fill all of it
   * and leave it resident. 8 MiB holds the indexes' upper levels and the
   * pages on screen. A constant statement: no bound values. */
  if (sqlite3_exec (cp_ledger_get_db (self->ledger), "PRAGMA cache_size = -8192", NULL, NULL, NULL) != SQLITE_OK)
    g_debug ("Could not shrink the window's page cache: %s",
             sqlite3_errmsg (cp_ledger_get_db (self->ledger)));
  self->data_version = cp_ledger_data_version (self->ledger);
  g_signal_connect_object (self->ledger, "changed", G_CALLBACK (ledger_changed_cb),
                           self, G_CONNECT_SWAPPED);
  self->poll_id = g_timeout_add_seconds (DATA_VERSION_POLL_SECONDS, poll_data_version_cb, self);

  connect_engine (self);
  build_pages (self);
  update_badges (self);

  gtk_stack_set_visible_child_name (self->main_stack, "ready");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEDGER]);
  _cp_window_set_status (self, CP_WINDOW_STATUS_READY);

  check_credentials (self);
}

static void
retry_clicked_cb (CpWindow *self)
{
  _cp_window_start_loading (self);
}

/* Window state */

static void
restore_window_state (CpWindow *self)
{
  GSettingsSchema *schema;
  g_autofree char *page = NULL;

  if (self->settings == NULL)
    return;

  g_object_get (self->settings, "settings-schema", &schema, NULL);

  if (g_settings_schema_has_key (schema, "window-width") &&
      g_settings_schema_has_key (schema, "window-height"))
    gtk_window_set_default_size (GTK_WINDOW (self),
                                 g_settings_get_int (self->settings, "window-width"),
                                 g_settings_get_int (self->settings, "window-height"));
  if (g_settings_schema_has_key (schema, "window-maximized") &&
      g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (g_settings_schema_has_key (schema, "sidebar-page"))
    {
      page = g_settings_get_string (self->settings, "sidebar-page");
      if (page_index (page) >= 0)
        g_action_group_change_action_state (G_ACTION_GROUP (self), "show-page",
                                            g_variant_new_string (page));
      self->save_page = TRUE;
    }

  g_settings_schema_unref (schema);
}

static void
save_window_state (CpWindow *self)
{
  GSettingsSchema *schema;
  int width, height;

  if (self->settings == NULL)
    return;

  g_object_get (self->settings, "settings-schema", &schema, NULL);
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  if (g_settings_schema_has_key (schema, "window-maximized"))
    g_settings_set_boolean (self->settings, "window-maximized",
                            gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) &&
      g_settings_schema_has_key (schema, "window-width") &&
      g_settings_schema_has_key (schema, "window-height"))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }

  g_settings_schema_unref (schema);
}

static void
cp_window_unrealize (GtkWidget *widget)
{
  /* Here rather than in close-request: app.quit and gtk_window_destroy()
   * never ask to close, but every way out unrealizes the window. */
  save_window_state (CP_WINDOW (widget));
  GTK_WIDGET_CLASS (cp_window_parent_class)->unrealize (widget);
}

/* GObject */

static void
cp_window_constructed (GObject *object)
{
  CpWindow *self = CP_WINDOW (object);

  G_OBJECT_CLASS (cp_window_parent_class)->constructed (object);

  gtk_revealer_set_reveal_child (self->sandbox_revealer, self->sandbox);
  /* Developers only: make the sandbox stores misbehave. */
  gtk_widget_set_visible (self->fault_button, DEVELOPMENT_BUILD && self->sandbox);
  if (self->sandbox)
    gtk_widget_add_css_class (GTK_WIDGET (self), "sandbox");

  _cp_window_start_loading (self);
}

static void
cp_window_dispose (GObject *object)
{
  CpWindow *self = CP_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->ledger);

  G_OBJECT_CLASS (cp_window_parent_class)->dispose (object);
}

static void
cp_window_finalize (GObject *object)
{
  CpWindow *self = CP_WINDOW (object);

  /* Kept until here: callbacks still pending after dispose check it. */
  g_clear_object (&self->cancellable);
  g_free (self->data_dir);
  g_free (self->credentials_warning);
  G_OBJECT_CLASS (cp_window_parent_class)->finalize (object);
}

static void
cp_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CpWindow *self = CP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      g_value_set_string (value, self->data_dir);
      break;
    case PROP_SANDBOX:
      g_value_set_boolean (value, self->sandbox);
      break;
    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case PROP_LEDGER:
      g_value_set_object (value, self->ledger);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CpWindow *self = CP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      self->data_dir = g_value_dup_string (value);
      break;
    case PROP_SANDBOX:
      self->sandbox = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_window_class_init (CpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cp_window_constructed;
  object_class->dispose = cp_window_dispose;
  object_class->finalize = cp_window_finalize;
  object_class->get_property = cp_window_get_property;
  object_class->set_property = cp_window_set_property;
  widget_class->unrealize = cp_window_unrealize;

  properties[PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SANDBOX] =
    g_param_spec_boolean ("sandbox", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL,
                      CP_WINDOW_STATUS_LOADING, CP_WINDOW_STATUS_FAILED, CP_WINDOW_STATUS_LOADING,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LEDGER] =
    g_param_spec_object ("ledger", NULL, NULL, CP_TYPE_LEDGER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CP_TYPE_OVERVIEW_PAGE);
  g_type_ensure (CP_TYPE_SYNC_INDICATOR);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CpWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, page_title);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, sync_indicator);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, fault_button);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, sandbox_revealer);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, error_path_label);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, CpWindow, pages_stack);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, fault_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
}

static void
cp_window_init (CpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);

  for (guint i = 0; i < G_N_ELEMENTS (page_infos); i++)
    gtk_list_box_append (self->sidebar_list, create_sidebar_row (self, i));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

CpWindow *
cp_window_new (CpApplication *application,
               const char    *data_dir,
               gboolean       sandbox)
{
  CpWindow *self;
  GSettings *settings;
  g_autoptr(GVariant) state = NULL;

  g_return_val_if_fail (CP_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (data_dir != NULL, NULL);

  settings = cp_application_get_settings (application);

  self = g_object_new (CP_TYPE_WINDOW,
                       "application", application,
                       "data-dir", data_dir,
                       "sandbox", sandbox,
                       NULL);

  /* GtkWindow:application is set after constructed(), so the settings
   * come in here. */
  if (settings != NULL)
    self->settings = g_object_ref (settings);
  restore_window_state (self);
  /* Select the sidebar row and title even before the pages exist. */
  state = g_action_group_get_action_state (G_ACTION_GROUP (self), "show-page");
  show_page (self, g_variant_get_string (state, NULL));

  return self;
}

CpLedger *
cp_window_get_ledger (CpWindow *self)
{
  g_return_val_if_fail (CP_IS_WINDOW (self), NULL);
  return self->ledger;
}

CpWindowStatus
cp_window_get_status (CpWindow *self)
{
  g_return_val_if_fail (CP_IS_WINDOW (self), CP_WINDOW_STATUS_LOADING);
  return self->status;
}

gboolean
cp_window_get_sandbox (CpWindow *self)
{
  g_return_val_if_fail (CP_IS_WINDOW (self), FALSE);
  return self->sandbox;
}

const char *
cp_window_get_visible_page (CpWindow *self)
{
  g_autoptr(GVariant) state = NULL;

  g_return_val_if_fail (CP_IS_WINDOW (self), NULL);

  state = g_action_group_get_action_state (G_ACTION_GROUP (self), "show-page");
  return g_intern_string (g_variant_get_string (state, NULL));
}

gboolean
cp_window_get_credentials_checked (CpWindow *self)
{
  g_return_val_if_fail (CP_IS_WINDOW (self), FALSE);
  return self->credentials_checked;
}

GtkWidget *
cp_window_get_page (CpWindow   *self,
                    const char *name)
{
  g_return_val_if_fail (CP_IS_WINDOW (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  /* Pages are built when first shown; asking for one builds it. */
  return ensure_page (self, name);
}

void
cp_window_add_toast (CpWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (CP_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
