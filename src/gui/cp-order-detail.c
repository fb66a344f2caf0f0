/* cp-order-detail.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-order-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-money.h"
#include "cp-order-detail.h"
#include "cp-order-status.h"
#include "cp-orders.h"
#include "cp-relative-time.h"

struct _CpOrderDetail
{
  AdwBin                parent_instance;

  CpLedger             *ledger;
  gint64                order_id;
  guint                 n_lines;
  guint                 n_payments;
  guint                 n_refunds;

  GtkStack             *stack;
  GtkLabel             *number_label;
  GtkLabel             *summary_label;
  GtkGrid              *lines_grid;
  GtkGrid              *totals_grid;
  AdwPreferencesGroup  *payments_group;
  GtkListBox           *payments_list;
  AdwPreferencesGroup  *refunds_group;
  GtkListBox           *refunds_list;
  AdwActionRow         *channel_row;
  AdwActionRow         *external_row;
  AdwActionRow         *location_row;
  AdwActionRow         *customer_row;
};

G_DEFINE_FINAL_TYPE (CpOrderDetail, cp_order_detail, ADW_TYPE_BIN)

char *
cp_order_channel_label (const char *source)
{
  if (source == NULL || *source == '\0')
    return g_strdup (_("Unknown"));
  if (g_str_equal (source, "pos"))
    return g_strdup (_("Register"));

  return g_strdup (source);
}

static void
clear_container (GtkWidget *container)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (container)) != NULL)
    {
      if (GTK_IS_GRID (container))
        gtk_grid_remove (GTK_GRID (container), child);
      else
        gtk_list_box_remove (GTK_LIST_BOX (container), child);
    }
}

static GtkWidget *
cell (const char *text,
      gboolean    numeric,
      gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0f : 0.0f);
  gtk_widget_set_halign (label, numeric ? GTK_ALIGN_END : GTK_ALIGN_FILL);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  else
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (heading)
    gtk_widget_add_css_class (label, "dim-label");

  return label;
}

/* A line as a person reads a receipt: the name, its SKU, then
 * "2 × $129.00 · discount −$5.00 · tax $3.00", with the line total at the
 * end. Six number columns side by side do not fit a narrow pane. */
static GtkWidget *
item_cell (const char *name,
           const char *sku,
           const char *detail)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name_label = gtk_label_new (name);
  GtkWidget *sku_label = gtk_label_new (sku);
  GtkWidget *detail_label = gtk_label_new (detail);

  gtk_label_set_xalign (GTK_LABEL (name_label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (name_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (name_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (sku_label), 0.0f);
  gtk_label_set_selectable (GTK_LABEL (sku_label), TRUE);
  gtk_widget_add_css_class (sku_label, "caption");
  gtk_widget_add_css_class (sku_label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (detail_label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (detail_label), TRUE);
  gtk_widget_add_css_class (detail_label, "caption");
  gtk_widget_add_css_class (detail_label, "numeric");
  gtk_box_append (GTK_BOX (box), name_label);
  gtk_box_append (GTK_BOX (box), sku_label);
  gtk_box_append (GTK_BOX (box), detail_label);
  gtk_widget_set_hexpand (box, TRUE);

  return box;
}

static char *
money (gint64      minor,
       const char *currency)
{
  return cp_money_format (minor, currency);
}

static void
fill_lines (CpOrderDetail *self,
            CpOrder       *order)
{
  clear_container (GTK_WIDGET (self->lines_grid));
  self->n_lines = 0;

  gtk_grid_attach (self->lines_grid, cell (_("Item"), FALSE, TRUE), 0, 0, 1, 1);
  gtk_grid_attach (self->lines_grid, cell (_("Total"), TRUE, TRUE), 1, 0, 1, 1);

  for (guint i = 0; i < order->lines->len; i++)
    {
      CpOrderLine *line = g_ptr_array_index (order->lines, i);
      gint64 total = line->quantity * line->unit_price_minor - line->discount_minor + line->tax_minor;
      g_autofree char *unit = money (line->unit_price_minor, order->currency);
      g_autofree char *line_total = money (total, order->currency);
      g_autoptr(GString) detail = g_string_new (NULL);

      g_autofree char *qty = g_strdup_printf ("%" G_GINT64_FORMAT, line->quantity);

      /* TRANSLATORS: quantity × unit price, e.g. "2 × $129.00" */
      g_string_printf (detail, _("%s × %s"), qty, unit);
      if (line->discount_minor != 0)
        {
          g_autofree char *discount = money (-line->discount_minor, order->currency);
          g_string_append (detail, " · ");
          g_string_append_printf (detail, _("discount %s"), discount);
        }
      {
        g_autofree char *tax = money (line->tax_minor, order->currency);
        g_string_append (detail, " · ");
        g_string_append_printf (detail, _("tax %s"), tax);
      }

      gtk_grid_attach (self->lines_grid,
                       item_cell (line->name != NULL ? line->name : "",
                                  line->sku != NULL ? line->sku : "",
                                  detail->str),
                       0, i + 1, 1, 1);
      gtk_grid_attach (self->lines_grid, cell (line_total, TRUE, FALSE), 1, i + 1, 1, 1);
      self->n_lines++;
    }
}

static void
add_total (CpOrderDetail *self,
           int            row,
           const char    *title,
           gint64         minor,
           const char    *currency,
           gboolean       strong)
{
  g_autofree char *text = money (minor, currency);
  GtkWidget *name = cell (title, FALSE, !strong);
  GtkWidget *value = cell (text, TRUE, FALSE);

  if (strong)
    {
      gtk_widget_add_css_class (name, "heading");
      gtk_widget_add_css_class (value, "heading");
    }
  gtk_grid_attach (self->totals_grid, name, 0, row, 1, 1);
  gtk_grid_attach (self->totals_grid, value, 1, row, 1, 1);
}

static void
fill_totals (CpOrderDetail *self,
             CpOrder       *order)
{
  int row = 0;

  clear_container (GTK_WIDGET (self->totals_grid));

  add_total (self, row++, _("Subtotal"), order->subtotal_minor, order->currency, FALSE);
  if (order->order_discount_minor != 0)
    add_total (self, row++, _("Order discount"), -order->order_discount_minor, order->currency, FALSE);
  /* The codes behind the discounts, as the platform listed them. */
  for (guint i = 0; order->discounts != NULL && i < order->discounts->len; i++)
    {
      CpOrderDiscount *discount = g_ptr_array_index (order->discounts, i);
      g_autofree char *title = NULL;

      title = g_strdup_printf (_("Code %s"), discount->code != NULL ? discount->code : "—");
      add_total (self, row++, title, -discount->amount_minor, order->currency, FALSE);
    }
  add_total (self, row++, _("Tax"), order->tax_minor, order->currency, FALSE);
  /* The tax breakdown ("VAT 20 %"); the total above comes from the lines. */
  for (guint i = 0; order->taxes != NULL && i < order->taxes->len; i++)
    {
      CpOrderTax *tax = g_ptr_array_index (order->taxes, i);
      g_autofree char *title = NULL;

      if (tax->rate_bp >= 0)
        {
          g_autofree char *rate = g_strdup_printf ("%" G_GINT64_FORMAT ".%02" G_GINT64_FORMAT,
                                                   tax->rate_bp / 100, tax->rate_bp % 100);
          /* TRANSLATORS: a tax and its rate, e.g. "VAT 20.00 %" */
          title = g_strdup_printf (_("%s %s %%"), tax->name != NULL ? tax->name : "", rate);
        }
      else
        {
          title = g_strdup (tax->name != NULL ? tax->name : "");
        }
      add_total (self, row++, title, tax->amount_minor, order->currency, FALSE);
    }
  if (order->shipping_minor != 0)
    add_total (self, row++, _("Shipping"), order->shipping_minor, order->currency, FALSE);
  add_total (self, row++, _("Total"), order->total_minor, order->currency, TRUE);
  if (order->refunded_minor != 0)
    add_total (self, row++, _("Refunded"), -order->refunded_minor, order->currency, FALSE);
}

static GtkWidget *
money_row (const char *title,
           const char *subtitle,
           gint64      minor,
           const char *currency)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *amount = money (minor, currency);
  GtkWidget *label = gtk_label_new (amount);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

  return row;
}

static char *
method_label (const char *method)
{
  if (g_strcmp0 (method, "cash") == 0)
    return g_strdup (_("Cash"));
  if (g_strcmp0 (method, "card") == 0)
    return g_strdup (_("Card"));
  if (g_strcmp0 (method, "gift_card") == 0)
    return g_strdup (_("Gift card"));

  return cp_order_status_label (method);
}

static void
fill_payments (CpOrderDetail *self,
               CpOrder       *order)
{
  gint64 now = g_get_real_time ();

  clear_container (GTK_WIDGET (self->payments_list));
  clear_container (GTK_WIDGET (self->refunds_list));
  self->n_payments = 0;
  self->n_refunds = 0;

  for (guint i = 0; i < order->payments->len; i++)
    {
      CpPayment *payment = g_ptr_array_index (order->payments, i);
      g_autofree char *title = method_label (payment->method);

      gtk_list_box_append (self->payments_list,
                           money_row (title, payment->reference, payment->amount_minor, order->currency));
      self->n_payments++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->payments_group), order->payments->len > 0);

  for (guint i = 0; i < order->refunds->len; i++)
    {
      CpRefund *refund = g_ptr_array_index (order->refunds, i);
      g_autofree char *when = refund->at_us > 0 ? cp_relative_time_format (refund->at_us, now) : NULL;
      const char *reason = refund->reason != NULL && *refund->reason != '\0' ? refund->reason : _("Refund");

      gtk_list_box_append (self->refunds_list,
                           money_row (reason, when, -refund->amount_minor, order->currency));
      self->n_refunds++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->refunds_group), order->refunds->len > 0);
}

static void
set_row (AdwActionRow *row,
         const char   *text)
{
  adw_action_row_set_subtitle (row, text != NULL && *text != '\0' ? text : "—");
}

void
cp_order_detail_refresh (CpOrderDetail *self)
{
  g_autoptr(CpOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *channel = NULL;
  g_autofree char *status = NULL;
  g_autofree char *when = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *customer = NULL;

  g_return_if_fail (CP_IS_ORDER_DETAIL (self));

  if (self->ledger == NULL || self->order_id <= 0
      || (order = cp_orders_get (self->ledger, self->order_id, &error)) == NULL)
    {
      if (error != NULL)
        g_warning ("Could not read order %" G_GINT64_FORMAT ": %s", self->order_id, error->message);
      gtk_label_set_text (self->number_label, "");
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }

  channel = cp_order_channel_label (order->source);
  status = cp_order_status_label (order->status);
  when = cp_exact_time_format (order->placed_at_us);
  /* "Completed · Register · 23 Nov 2026 14:05" */
  summary = g_strdup_printf ("%s · %s · %s", status, channel, when);

  gtk_label_set_text (self->number_label, order->number);
  gtk_label_set_text (self->summary_label, summary);

  fill_lines (self, order);
  fill_totals (self, order);
  fill_payments (self, order);

  set_row (self->channel_row, channel);
  set_row (self->external_row, order->external_id);
  set_row (self->location_row, order->location_code);
  if (order->customer_email != NULL && *order->customer_email != '\0')
    customer = g_strdup_printf ("%s <%s>", order->customer_name != NULL ? order->customer_name : "",
                                order->customer_email);
  else
    customer = g_strdup (order->customer_name);
  set_row (self->customer_row, customer);

  gtk_stack_set_visible_child_name (self->stack, "order");
}

void
cp_order_detail_set_ledger (CpOrderDetail *self,
                            CpLedger      *ledger)
{
  g_return_if_fail (CP_IS_ORDER_DETAIL (self));

  g_set_object (&self->ledger, ledger);
  cp_order_detail_refresh (self);
}

void
cp_order_detail_show_order (CpOrderDetail *self,
                            gint64         order_id)
{
  g_return_if_fail (CP_IS_ORDER_DETAIL (self));

  self->order_id = order_id;
  cp_order_detail_refresh (self);
}

gint64
cp_order_detail_get_order_id (CpOrderDetail *self)
{
  g_return_val_if_fail (CP_IS_ORDER_DETAIL (self), 0);

  return self->order_id;
}

const char *
cp_order_detail_get_shown_number (CpOrderDetail *self)
{
  g_return_val_if_fail (CP_IS_ORDER_DETAIL (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "order") != 0)
    return "";

  return gtk_label_get_text (self->number_label);
}

GStrv
cp_order_detail_dup_shown_skus (CpOrderDetail *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (CP_IS_ORDER_DETAIL (self), NULL);

  /* Row 0 holds the headings. */
  for (guint row = 1; row <= self->n_lines; row++)
    {
      GtkWidget *item = gtk_grid_get_child_at (self->lines_grid, 0, row);
      GtkWidget *name = item != NULL ? gtk_widget_get_first_child (item) : NULL;
      GtkWidget *sku = name != NULL ? gtk_widget_get_next_sibling (name) : NULL;

      if (GTK_IS_LABEL (sku))
        g_strv_builder_add (builder, gtk_label_get_text (GTK_LABEL (sku)));
    }

  return g_strv_builder_end (builder);
}

guint
cp_order_detail_get_n_refunds (CpOrderDetail *self)
{
  g_return_val_if_fail (CP_IS_ORDER_DETAIL (self), 0);

  return self->n_refunds;
}

guint
cp_order_detail_get_n_payments (CpOrderDetail *self)
{
  g_return_val_if_fail (CP_IS_ORDER_DETAIL (self), 0);

  return self->n_payments;
}

static void
cp_order_detail_dispose (GObject *object)
{
  CpOrderDetail *self = (CpOrderDetail *) object;

  g_clear_object (&self->ledger);

  G_OBJECT_CLASS (cp_order_detail_parent_class)->dispose (object);
}

static void
cp_order_detail_class_init (CpOrderDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_order_detail_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cp-order-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, CpOrderDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, CpOrderDetail, number_label);
  gtk_widget_class_bind_template_child (widget_class, CpOrderDetail, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CpOrderDetail, lines_grid);
  gtk_widget_class_bind_template_child (widget_class, CpOrderDetail, totals_grid);
  gtk_widget_class_bind_template_child (widget_class, CpOrderDetail, payments_group);
  gtk_widget_class_bind_template_child (widget_class, CpOrderDetail, payments_list);
  gtk_widget_class_bind_template_child (widget_class, CpOrderDetail, refunds_group);
  gtk_widget_class_bind_template_child (widget_class, CpOrderDetail, refunds_list);
  gtk_widget_class_bind_template_child (widget_class, CpOrderDetail, channel_row);
  gtk_widget_class_bind_template_child (widget_class, CpOrderDetail, external_row);
  gtk_widget_class_bind_template_child (widget_class, CpOrderDetail, location_row);
  gtk_widget_class_bind_template_child (widget_class, CpOrderDetail, customer_row);
}

static void
cp_order_detail_init (CpOrderDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cp_order_detail_new (void)
{
  return g_object_new (CP_TYPE_ORDER_DETAIL, NULL);
}
