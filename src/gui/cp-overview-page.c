/* cp-overview-page.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here is read from the ledger when it changes; the page keeps
 * no copy of its own so the numbers are always the ledger's.
 */

#define G_LOG_DOMAIN "cp-overview-page"

#include "config.h"

#include <glib/gi18n.h>

#include <json-glib/json-glib.h>

#include "cp-application.h"
#include "cp-catalog.h"
#include "cp-integration-row.h"
#include "cp-integration-wizard.h"
#include "cp-integrations.h"
#include "cp-money.h"
#include "cp-orders.h"
#include "cp-orders-reserve.h"
#include "cp-outbox.h"
#include "cp-overview-page.h"
#include "cp-page-toast.h"

/* More alerts than this go behind "see Catalog & Stock". */
#define MAX_ALERT_ROWS 8
/* Dead jobs listed; the rest are behind Retry All and Activity. */
#define MAX_DEAD_ROWS 5
/* "Up to date, 2 minutes ago" ages without any change. */
#define CLOCK_SECONDS 30

struct _CpOverviewPage
{
  AdwBin                parent_instance;

  GtkWidget            *connect_status;
  GtkLabel             *connect_description;
  GtkWidget            *try_sandbox_button;
  GtkWidget            *integrations_group;
  GtkListBox           *integrations_list;
  AdwPreferencesGroup  *dead_group;
  AdwPreferencesGroup  *today_group;
  AdwPreferencesGroup  *alerts_group;

  GPtrArray            *today_rows;
  GPtrArray            *alert_rows;
  GPtrArray            *dead_rows;
  guint                 n_integrations;
  guint                 integrations_refresh_id;
  guint                 clock_id;

  CpLedger             *ledger;
  gboolean              sandbox;
  guint                 refresh_id;
  guint                 midnight_id;
};

G_DEFINE_FINAL_TYPE (CpOverviewPage, cp_overview_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LEDGER,
  PROP_SANDBOX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The figures */

void
cp_channel_total_free (CpChannelTotal *total)
{
  if (total == NULL)
    return;
  g_free (total->source);
  g_free (total);
}

gint64
cp_overview_today_start_us (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = NULL;

  midnight = g_date_time_new_local (g_date_time_get_year (now),
                                    g_date_time_get_month (now),
                                    g_date_time_get_day_of_month (now),
                                    0, 0, 0);
  return g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
}

static int
compare_channel_totals (gconstpointer a,
                        gconstpointer b)
{
  const CpChannelTotal *ta = *(const CpChannelTotal **) a;
  const CpChannelTotal *tb = *(const CpChannelTotal **) b;
  gboolean pos_a = g_strcmp0 (ta->source, "pos") == 0;
  gboolean pos_b = g_strcmp0 (tb->source, "pos") == 0;
  int cmp;

  if (pos_a != pos_b)
    return pos_a ? -1 : 1;
  cmp = g_strcmp0 (ta->source, tb->source);
  if (cmp != 0)
    return cmp;
  return strcmp (ta->currency, tb->currency);
}

GPtrArray *
cp_overview_channel_totals (CpLedger  *ledger,
                            gint64     since_us,
                            GError   **error)
{
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GPtrArray) totals = NULL;
  CpOrderFilter filter = { 0 };

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  filter.since_us = since_us;
  orders = cp_orders_list (ledger, &filter, error);
  if (orders == NULL)
    return NULL;

  totals = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_channel_total_free);

  for (guint i = 0; i < orders->len; i++)
    {
      const CpOrder *order = g_ptr_array_index (orders, i);
      CpChannelTotal *total = NULL;
      gint64 net;

      /* A cancelled order was never a sale; one awaiting payment or kept
       * aside for its currency is not one yet. A refunded one was. */
      if (!cp_order_status_is_sale (order->status))
        continue;

      for (guint j = 0; j < totals->len && total == NULL; j++)
        {
          CpChannelTotal *candidate = g_ptr_array_index (totals, j);

          if (g_strcmp0 (candidate->source, order->source) == 0 &&
              strcmp (candidate->currency, order->currency) == 0)
            total = candidate;
        }

      if (total == NULL)
        {
          total = g_new0 (CpChannelTotal, 1);
          total->source = g_strdup (order->source);
          g_strlcpy (total->currency, order->currency, sizeof total->currency);
          g_ptr_array_add (totals, total);
        }

      /* Net of what was refunded: a refunded order stays an order of the
       * day, but not money the shop kept. */
      total->n_orders++;
      net = order->total_minor - order->refunded_minor;
      if (__builtin_add_overflow (total->total_minor, net, &total->total_minor))
        total->total_minor = net > 0 ? G_MAXINT64 : G_MININT64;
    }

  g_ptr_array_sort (totals, compare_channel_totals);
  return g_steal_pointer (&totals);
}

CpStockAlert
cp_stock_alert_for_level (const CpStockLevel *level)
{
  g_return_val_if_fail (level != NULL, CP_STOCK_ALERT_NONE);

  if (level->on_hand < 0)
    return CP_STOCK_ALERT_OVERSOLD;
  if (level->available > 0)
    return CP_STOCK_ALERT_NONE;
  if (level->on_hand == 0)
    return CP_STOCK_ALERT_OUT;
  if (level->on_hand <= level->safety_stock)
    return CP_STOCK_ALERT_BELOW_SAFETY;
  /* Nothing free only because units are held for unpaid orders. */
  return CP_STOCK_ALERT_NONE;
}

static int
compare_alerts (gconstpointer a,
                gconstpointer b)
{
  const CpStockLevel *la = *(const CpStockLevel **) a;
  const CpStockLevel *lb = *(const CpStockLevel **) b;
  CpStockAlert aa = cp_stock_alert_for_level (la);
  CpStockAlert ab = cp_stock_alert_for_level (lb);
  int cmp;

  if (aa != ab)
    return aa < ab ? -1 : 1;
  if (la->on_hand != lb->on_hand)
    return la->on_hand < lb->on_hand ? -1 : 1;
  cmp = g_strcmp0 (la->sku, lb->sku);
  if (cmp != 0)
    return cmp;
  return g_strcmp0 (la->location_code, lb->location_code);
}

GPtrArray *
cp_overview_stock_alerts (CpLedger  *ledger,
                          GError   **error)
{
  g_autoptr(GPtrArray) levels = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  levels = cp_stock_list (ledger, NULL, NULL, error);
  if (levels == NULL)
    return NULL;

  /* Walk backwards so removing keeps the indexes of what is left. */
  for (guint i = levels->len; i > 0; i--)
    if (cp_stock_alert_for_level (g_ptr_array_index (levels, i - 1)) == CP_STOCK_ALERT_NONE)
      g_ptr_array_remove_index (levels, i - 1);

  g_ptr_array_sort (levels, compare_alerts);
  return g_steal_pointer (&levels);
}

char *
cp_overview_channel_name (const char *source)
{
  if (g_strcmp0 (source, "pos") == 0)
    return g_strdup (_("Register"));
  return g_strdup (source);
}

/* The widgets */

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static GtkWidget *
add_row (AdwPreferencesGroup *group,
         GPtrArray           *rows,
         const char          *title,
         const char          *subtitle,
         const char          *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (value != NULL)
    {
      GtkWidget *label = gtk_label_new (value);

      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_add_css_class (label, "overview-value");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }

  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
  return row;
}

static void
refresh_today (CpOverviewPage *self)
{
  g_autoptr(GPtrArray) totals = NULL;
  g_autoptr(GError) error = NULL;

  clear_rows (self->today_group, self->today_rows);

  totals = cp_overview_channel_totals (self->ledger, cp_overview_today_start_us (), &error);
  if (totals == NULL)
    {
      add_row (self->today_group, self->today_rows,
               _("Today’s sales could not be read"), error->message, NULL);
      return;
    }

  if (totals->len == 0)
    {
      add_row (self->today_group, self->today_rows, _("No sales yet today"),
               _("Sales from the register and connected stores appear here as they happen."),
               NULL);
      return;
    }

  for (guint i = 0; i < totals->len; i++)
    {
      const CpChannelTotal *total = g_ptr_array_index (totals, i);
      g_autofree char *name = cp_overview_channel_name (total->source);
      g_autofree char *count = NULL;
      g_autofree char *amount = cp_money_format (total->total_minor, total->currency);

      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u order", "%u orders", total->n_orders),
                               total->n_orders);
      add_row (self->today_group, self->today_rows, name, count, amount);
    }
}

static void
refresh_alerts (CpOverviewPage *self)
{
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  clear_rows (self->alerts_group, self->alert_rows);

  alerts = cp_overview_stock_alerts (self->ledger, &error);
  if (alerts == NULL)
    {
      adw_preferences_group_set_description (self->alerts_group, NULL);
      add_row (self->alerts_group, self->alert_rows,
               _("Stock levels could not be read"), error->message, NULL);
      return;
    }

  if (alerts->len == 0)
    {
      adw_preferences_group_set_description (self->alerts_group, NULL);
      add_row (self->alerts_group, self->alert_rows, _("Stock is fine"),
               _("Nothing is oversold, out of stock or below its safety stock."), NULL);
      return;
    }

  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u item needs attention",
                                              "%u items need attention",
                                              alerts->len),
                                 alerts->len);
  adw_preferences_group_set_description (self->alerts_group, description);

  for (guint i = 0; i < alerts->len && i < MAX_ALERT_ROWS; i++)
    {
      const CpStockLevel *level = g_ptr_array_index (alerts, i);
      g_autoptr(CpVariant) variant = cp_catalog_get_by_id (self->ledger, level->variant_id, NULL);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *value = NULL;
      /* Numbers go in as strings: xgettext cannot read G_GINT64_FORMAT. */
      g_autofree char *on_hand = g_strdup_printf ("%" G_GINT64_FORMAT, level->on_hand);
      g_autofree char *safety = g_strdup_printf ("%" G_GINT64_FORMAT, level->safety_stock);
      GtkWidget *row;

      if (variant != NULL && variant->product_name != NULL)
        /* Translators: a product name and its SKU. */
        title = g_strdup_printf (_("%s (%s)"), variant->product_name, level->sku);
      else
        title = g_strdup (level->sku);

      switch (cp_stock_alert_for_level (level))
        {
        case CP_STOCK_ALERT_OVERSOLD:
          /* Translators: %s is a location code such as MAIN. */
          subtitle = g_strdup_printf (_("Oversold at %s: more was sold than was on hand"),
                                      level->location_code);
          break;
        case CP_STOCK_ALERT_OUT:
          subtitle = g_strdup_printf (_("Out of stock at %s"), level->location_code);
          break;
        case CP_STOCK_ALERT_BELOW_SAFETY:
          /* Translators: a location code, then a number of units. */
          subtitle = g_strdup_printf (_("Below safety stock at %s (safety stock %s)"),
                                      level->location_code, safety);
          break;
        case CP_STOCK_ALERT_NONE:
        default:
          g_assert_not_reached ();
        }

      /* Translators: %s is a number of units, possibly negative. */
      value = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s on hand", "%s on hand",
                                            (gulong) MIN (ABS (level->on_hand), G_MAXULONG)),
                               on_hand);
      row = add_row (self->alerts_group, self->alert_rows, title, subtitle, value);
      if (cp_stock_alert_for_level (level) == CP_STOCK_ALERT_OVERSOLD)
        gtk_widget_add_css_class (row, "oversold");
    }

  if (alerts->len > MAX_ALERT_ROWS)
    {
      g_autofree char *more = NULL;
      GtkWidget *row;
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

      more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more item", "%u more items",
                                           alerts->len - MAX_ALERT_ROWS),
                              alerts->len - MAX_ALERT_ROWS);
      row = add_row (self->alerts_group, self->alert_rows, more,
                     _("See them all in Catalog & Stock"), NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      /* Target first: GTK 4.8 warns when the name meets a NULL target. */
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", "catalog");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.show-page");
    }
}

static void refresh_integrations (CpOverviewPage *self);

void
cp_overview_page_refresh (CpOverviewPage *self)
{
  g_return_if_fail (CP_IS_OVERVIEW_PAGE (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->ledger == NULL)
    return;

  refresh_integrations (self);
  refresh_today (self);
  refresh_alerts (self);
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  CpOverviewPage *self = user_data;

  self->refresh_id = 0;
  cp_overview_page_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
ledger_changed_cb (CpOverviewPage *self,
                   const char     *table)
{
  /* A sale changes orders and stock at once: refresh once for both. */
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_idle_cb, self);
}

static gboolean
midnight_cb (gpointer user_data)
{
  CpOverviewPage *self = user_data;
  gint64 today = cp_overview_today_start_us ();

  /* "Today" starts again at midnight even if nothing was sold. */
  if (g_object_get_data (G_OBJECT (self), "today") != NULL &&
      *(gint64 *) g_object_get_data (G_OBJECT (self), "today") != today)
    cp_overview_page_refresh (self);

  g_object_set_data_full (G_OBJECT (self), "today", g_memdup2 (&today, sizeof today), g_free);
  return G_SOURCE_CONTINUE;
}

/* Integrations and what could not be sent */

static char *
describe_job (CpOverviewPage    *self,
              const CpOutboxJob *job)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gint64 variant_id = 0;
  JsonNode *root;

  /* The payload is the trigger's own small JSON object. */
  if (job->payload != NULL && json_parser_load_from_data (parser, job->payload, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
      json_object_has_member (json_node_get_object (root), "variant_id"))
    variant_id = json_object_get_int_member (json_node_get_object (root), "variant_id");

  if (variant_id > 0)
    {
      g_autoptr(CpVariant) variant = cp_catalog_get_by_id (self->ledger, variant_id, NULL);

      if (variant != NULL && g_strcmp0 (job->kind, CP_JOB_STOCK_PUSH) == 0)
        /* Translators: %s is a SKU. */
        return g_strdup_printf (_("Stock of %s"), variant->sku);
      if (variant != NULL)
        return g_strdup_printf (_("Product %s"), variant->sku);
    }
  if (g_strcmp0 (job->kind, CP_JOB_ORDER_STATUS_PUSH) == 0)
    return g_strdup (_("An order’s status"));
  if (g_strcmp0 (job->kind, CP_JOB_STOCK_PUSH) == 0)
    return g_strdup (_("A stock level"));
  return g_strdup (_("A product"));
}

static void
retry_job_clicked_cb (GtkButton      *button,
                      CpOverviewPage *self)
{
  gint64 job_id = *(gint64 *) g_object_get_data (G_OBJECT (button), "job-id");
  const char *integration_id = g_object_get_data (G_OBJECT (button), "integration-id");
  CpEngine *engine = cp_widget_get_engine (GTK_WIDGET (self));
  g_autoptr(GError) error = NULL;

  if (!cp_outbox_retry (self->ledger, job_id, &error))
    {
      cp_page_add_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  cp_ledger_emit_changed (self->ledger, "outbox");
  if (engine != NULL)
    cp_engine_sync_now (engine, integration_id);
  cp_page_add_toast (GTK_WIDGET (self), adw_toast_new (_("Sending it again")));
}

static void
refresh_dead (CpOverviewPage *self,
              GHashTable     *names)
{
  CpOutboxQuery query = { 0 };
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  guint dead = 0;

  clear_rows (self->dead_group, self->dead_rows);

  if (!cp_outbox_count (self->ledger, NULL, NULL, NULL, &dead, &error) || dead == 0)
    {
      if (error != NULL)
        g_warning ("Could not count the jobs that could not be sent: %s", error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->dead_group), FALSE);
      return;
    }

  query.has_state = TRUE;
  query.state = CP_JOB_DEAD;
  query.limit = MAX_DEAD_ROWS;
  jobs = cp_outbox_list (self->ledger, &query, &error);
  if (jobs == NULL)
    {
      g_warning ("Could not list the jobs that could not be sent: %s", error->message);
      return;
    }

  {
    g_autofree char *description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                 "%u change gave up after several tries. Retry it once the cause is fixed.",
                                                                 "%u changes gave up after several tries. Retry them once the cause is fixed.",
                                                                 dead),
                                                    dead);
    adw_preferences_group_set_description (self->dead_group, description);
  }

  for (guint i = 0; i < jobs->len; i++)
    {
      const CpOutboxJob *job = g_ptr_array_index (jobs, i);
      g_autofree char *title = describe_job (self, job);
      const char *name = g_hash_table_lookup (names, job->integration_id);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;
      GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Retry"));

      /* Translators: the store's name, then why the change failed. */
      subtitle = g_strdup_printf (_("%s: %s"), name != NULL ? name : job->integration_id,
                                  job->last_error != NULL ? job->last_error : _("no reason given"));
      row = add_row (self->dead_group, self->dead_rows, title, subtitle, NULL);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      gtk_widget_set_valign (retry, GTK_ALIGN_CENTER);
      gtk_widget_set_name (retry, "retry-button");
      g_object_set_data_full (G_OBJECT (retry), "job-id", g_memdup2 (&job->id, sizeof job->id), g_free);
      g_object_set_data_full (G_OBJECT (retry), "integration-id", g_strdup (job->integration_id), g_free);
      g_signal_connect (retry, "clicked", G_CALLBACK (retry_job_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), retry);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->dead_group), TRUE);
}

static void
refresh_integrations (CpOverviewPage *self)
{
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  GtkWidget *child;

  g_clear_handle_id (&self->integrations_refresh_id, g_source_remove);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->integrations_list))) != NULL)
    gtk_list_box_remove (self->integrations_list, child);

  integrations = cp_integrations_list (self->ledger, &error);
  if (integrations == NULL)
    {
      g_warning ("Could not list the integrations: %s", error->message);
      integrations = g_ptr_array_new ();
    }

  self->n_integrations = integrations->len;
  for (guint i = 0; i < integrations->len; i++)
    {
      const CpIntegration *integration = g_ptr_array_index (integrations, i);

      g_hash_table_insert (names, integration->id, integration->name);
      gtk_list_box_append (self->integrations_list, cp_integration_row_new (self->ledger, integration, now));
    }

  /* Nothing connected: one clear way to start, and a safe one to try. */
  gtk_widget_set_visible (self->connect_status, integrations->len == 0);
  gtk_widget_set_visible (self->integrations_group, integrations->len > 0);

  refresh_dead (self, names);
}

static gboolean
integrations_idle_cb (gpointer user_data)
{
  CpOverviewPage *self = user_data;

  self->integrations_refresh_id = 0;
  refresh_integrations (self);
  return G_SOURCE_REMOVE;
}

static void
integrations_changed_cb (CpOverviewPage *self)
{
  if (self->integrations_refresh_id == 0)
    self->integrations_refresh_id = g_idle_add (integrations_idle_cb, self);
}

static gboolean
clock_cb (gpointer user_data)
{
  CpOverviewPage *self = user_data;

  if (self->n_integrations > 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    integrations_changed_cb (self);
  return G_SOURCE_CONTINUE;
}

static void
integration_activated_cb (CpOverviewPage *self,
                          GtkListBoxRow  *row)
{
  if (CP_IS_INTEGRATION_ROW (row))
    cp_integration_apply_fix (GTK_WIDGET (self), self->ledger,
                              cp_integration_row_get_id (CP_INTEGRATION_ROW (row)),
                              CP_INTEGRATION_FIX_DETAILS);
}

static void
integration_created_cb (CpOverviewPage *self,
                        const char     *id)
{
  cp_integration_apply_fix (GTK_WIDGET (self), self->ledger, id, CP_INTEGRATION_FIX_DETAILS);
}

static void
add_integration_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CpOverviewPage *self = CP_OVERVIEW_PAGE (widget);
  CpIntegrationWizard *wizard;

  /* "Try with the sandbox" is the same wizard with the test store
   * chosen: nothing to type but a name. */
  wizard = cp_integration_wizard_open (widget, self->ledger,
                                       self->sandbox || g_str_equal (action_name, "overview.try-sandbox"));
  /* Once connected, the store's page is where its first sync shows. */
  g_signal_connect_object (wizard, "created", G_CALLBACK (integration_created_cb), self, G_CONNECT_SWAPPED);
}

static void
retry_all_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CpOverviewPage *self = CP_OVERVIEW_PAGE (widget);
  CpEngine *engine = cp_widget_get_engine (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  guint n;

  n = cp_outbox_retry_all_dead (self->ledger, NULL, &error);
  if (error != NULL)
    {
      cp_page_add_toast (widget, adw_toast_new (error->message));
      return;
    }
  cp_ledger_emit_changed (self->ledger, "outbox");
  if (engine != NULL)
    cp_engine_sync_now (engine, NULL);
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Sending %u change again",
                                        "Sending %u changes again", n), n);
  cp_page_add_toast (widget, adw_toast_new (title));
}

static void
update_connect_status (CpOverviewPage *self)
{
  if (self->sandbox)
    gtk_label_set_label (self->connect_description,
                         _("This is the sandbox: the shop below is made up, so try anything. "
                           "Connect its test store to see orders and stock flow."));
  else
    gtk_label_set_label (self->connect_description,
                         _("Counterpart keeps orders and stock in step between this shop and your "
                           "online stores. Connect one, or first try it with a test store that runs "
                           "inside Counterpart."));
  /* In the sandbox everything is a test already. */
  gtk_widget_set_visible (self->try_sandbox_button, !self->sandbox);
}

static void
cp_overview_page_constructed (GObject *object)
{
  CpOverviewPage *self = CP_OVERVIEW_PAGE (object);

  G_OBJECT_CLASS (cp_overview_page_parent_class)->constructed (object);

  update_connect_status (self);
  if (self->ledger != NULL)
    {
      GApplication *app = g_application_get_default ();

      g_signal_connect_object (self->ledger, "changed::integrations",
                               G_CALLBACK (integrations_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->ledger, "changed::outbox",
                               G_CALLBACK (integrations_changed_cb), self, G_CONNECT_SWAPPED);
      if (app != NULL && CP_IS_APPLICATION (app) && cp_application_get_engine (CP_APPLICATION (app)) != NULL)
        g_signal_connect_object (cp_application_get_engine (CP_APPLICATION (app)), "integration-changed",
                                 G_CALLBACK (integrations_changed_cb), self, G_CONNECT_SWAPPED);
      self->clock_id = g_timeout_add_seconds (CLOCK_SECONDS, clock_cb, self);
      g_signal_connect_object (self->ledger, "changed::orders",
                               G_CALLBACK (ledger_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->ledger, "changed::stock",
                               G_CALLBACK (ledger_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->ledger, "changed::variants",
                               G_CALLBACK (ledger_changed_cb), self, G_CONNECT_SWAPPED);
      cp_overview_page_refresh (self);
    }
  midnight_cb (self);
  self->midnight_id = g_timeout_add_seconds (60, midnight_cb, self);
}

static void
cp_overview_page_dispose (GObject *object)
{
  CpOverviewPage *self = CP_OVERVIEW_PAGE (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->midnight_id, g_source_remove);
  g_clear_handle_id (&self->integrations_refresh_id, g_source_remove);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_OVERVIEW_PAGE);
  g_clear_pointer (&self->today_rows, g_ptr_array_unref);
  g_clear_pointer (&self->alert_rows, g_ptr_array_unref);
  g_clear_pointer (&self->dead_rows, g_ptr_array_unref);
  g_clear_object (&self->ledger);

  G_OBJECT_CLASS (cp_overview_page_parent_class)->dispose (object);
}

static void
cp_overview_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CpOverviewPage *self = CP_OVERVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_LEDGER:
      g_value_set_object (value, self->ledger);
      break;
    case PROP_SANDBOX:
      g_value_set_boolean (value, self->sandbox);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_overview_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CpOverviewPage *self = CP_OVERVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_LEDGER:
      g_set_object (&self->ledger, g_value_get_object (value));
      break;
    case PROP_SANDBOX:
      self->sandbox = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_overview_page_class_init (CpOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cp_overview_page_constructed;
  object_class->dispose = cp_overview_page_dispose;
  object_class->get_property = cp_overview_page_get_property;
  object_class->set_property = cp_overview_page_set_property;

  properties[PROP_LEDGER] =
    g_param_spec_object ("ledger", NULL, NULL, CP_TYPE_LEDGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SANDBOX] =
    g_param_spec_boolean ("sandbox", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cp-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CpOverviewPage, connect_status);
  gtk_widget_class_bind_template_child (widget_class, CpOverviewPage, connect_description);
  gtk_widget_class_bind_template_child (widget_class, CpOverviewPage, try_sandbox_button);
  gtk_widget_class_bind_template_child (widget_class, CpOverviewPage, integrations_group);
  gtk_widget_class_bind_template_child (widget_class, CpOverviewPage, integrations_list);
  gtk_widget_class_bind_template_child (widget_class, CpOverviewPage, dead_group);
  gtk_widget_class_bind_template_callback (widget_class, integration_activated_cb);

  gtk_widget_class_install_action (widget_class, "overview.add-integration", NULL, add_integration_activated);
  gtk_widget_class_install_action (widget_class, "overview.try-sandbox", NULL, add_integration_activated);
  gtk_widget_class_install_action (widget_class, "overview.retry-all", NULL, retry_all_activated);
  gtk_widget_class_bind_template_child (widget_class, CpOverviewPage, today_group);
  gtk_widget_class_bind_template_child (widget_class, CpOverviewPage, alerts_group);
}

static void
cp_overview_page_init (CpOverviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->today_rows = g_ptr_array_new ();
  self->alert_rows = g_ptr_array_new ();
  self->dead_rows = g_ptr_array_new ();
}

GtkWidget *
cp_overview_page_new (CpLedger *ledger,
                      gboolean  sandbox)
{
  return g_object_new (CP_TYPE_OVERVIEW_PAGE,
                       "ledger", ledger,
                       "sandbox", sandbox,
                       NULL);
}
