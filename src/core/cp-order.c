/* cp-order.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CpOrder, the value every source fills in before cp_orders_record(),
 * and its totals: whole minor units with every sum checked for overflow,
 * because an order from outside may carry any number.
 */

#define G_LOG_DOMAIN "cp-orders"

#include "config.h"

#include "cp-orders.h"
#include "cp-orders-private.h"

/* Value types */

static void
order_line_free (gpointer data)
{
  CpOrderLine *line = data;

  g_free (line->sku);
  g_free (line->name);
  g_free (line);
}

static void
payment_free (gpointer data)
{
  CpPayment *payment = data;

  g_free (payment->method);
  g_free (payment->reference);
  g_free (payment);
}

static void
refund_free (gpointer data)
{
  CpRefund *refund = data;

  g_free (refund->reason);
  g_free (refund);
}

static void
order_tax_free (gpointer data)
{
  CpOrderTax *tax = data;

  g_free (tax->name);
  g_free (tax);
}

static void
order_discount_free (gpointer data)
{
  CpOrderDiscount *discount = data;

  g_free (discount->code);
  g_free (discount->description);
  g_free (discount);
}

CpOrder *
cp_order_new (void)
{
  CpOrder *order = g_new0 (CpOrder, 1);

  order->lines = g_ptr_array_new_with_free_func (order_line_free);
  order->payments = g_ptr_array_new_with_free_func (payment_free);
  order->refunds = g_ptr_array_new_with_free_func (refund_free);
  order->taxes = g_ptr_array_new_with_free_func (order_tax_free);
  order->discounts = g_ptr_array_new_with_free_func (order_discount_free);

  return order;
}

void
cp_order_free (CpOrder *order)
{
  if (order == NULL)
    return;

  g_free (order->number);
  g_free (order->source);
  g_free (order->external_id);
  g_free (order->status);
  g_free (order->location_code);
  g_free (order->customer_name);
  g_free (order->customer_email);
  g_clear_pointer (&order->lines, g_ptr_array_unref);
  g_clear_pointer (&order->payments, g_ptr_array_unref);
  g_clear_pointer (&order->refunds, g_ptr_array_unref);
  g_clear_pointer (&order->taxes, g_ptr_array_unref);
  g_clear_pointer (&order->discounts, g_ptr_array_unref);
  g_free (order);
}

void
cp_order_add_line (CpOrder    *order,
                   const char *sku,
                   const char *name,
                   gint64      quantity,
                   gint64      unit_price_minor,
                   gint64      discount_minor,
                   gint64      tax_minor)
{
  CpOrderLine *line;

  g_return_if_fail (order != NULL && order->lines != NULL);

  line = g_new0 (CpOrderLine, 1);
  line->sku = g_strdup (sku);
  line->name = g_strdup (name);
  line->quantity = quantity;
  line->unit_price_minor = unit_price_minor;
  line->discount_minor = discount_minor;
  line->tax_minor = tax_minor;
  g_ptr_array_add (order->lines, line);
}

void
cp_order_add_payment (CpOrder    *order,
                      const char *method,
                      gint64      amount_minor,
                      const char *reference)
{
  CpPayment *payment;

  g_return_if_fail (order != NULL && order->payments != NULL);

  payment = g_new0 (CpPayment, 1);
  payment->method = g_strdup (method);
  payment->amount_minor = amount_minor;
  payment->reference = g_strdup (reference);
  g_ptr_array_add (order->payments, payment);
}

void
cp_order_add_refund (CpOrder    *order,
                     gint64      amount_minor,
                     const char *reason,
                     gint64      at_us)
{
  CpRefund *refund;

  g_return_if_fail (order != NULL && order->refunds != NULL);

  refund = g_new0 (CpRefund, 1);
  refund->amount_minor = amount_minor;
  refund->reason = g_strdup (reason);
  refund->at_us = at_us;
  g_ptr_array_add (order->refunds, refund);
}

void
cp_order_add_tax (CpOrder    *order,
                  const char *name,
                  gint64      rate_bp,
                  gint64      amount_minor)
{
  CpOrderTax *tax;

  g_return_if_fail (order != NULL);

  if (order->taxes == NULL)
    order->taxes = g_ptr_array_new_with_free_func (order_tax_free);

  tax = g_new0 (CpOrderTax, 1);
  tax->name = g_strdup (name);
  tax->rate_bp = rate_bp;
  tax->amount_minor = amount_minor;
  g_ptr_array_add (order->taxes, tax);
}

void
cp_order_add_discount (CpOrder    *order,
                       const char *code,
                       const char *description,
                       gint64      amount_minor)
{
  CpOrderDiscount *discount;

  g_return_if_fail (order != NULL);

  if (order->discounts == NULL)
    order->discounts = g_ptr_array_new_with_free_func (order_discount_free);

  discount = g_new0 (CpOrderDiscount, 1);
  discount->code = g_strdup (code);
  discount->description = g_strdup (description);
  discount->amount_minor = amount_minor;
  g_ptr_array_add (order->discounts, discount);
}

/* Totals */

gboolean
cp_order_compute_totals (const CpOrder *order,
                         CpOrderTotals *out)
{
  gint64 subtotal = 0;
  gint64 tax = 0;
  gint64 refunded = 0;
  gint64 total;

  for (guint i = 0; order->lines != NULL && i < order->lines->len; i++)
    {
      const CpOrderLine *line = g_ptr_array_index (order->lines, i);
      gint64 gross, line_total;

      /* The line's own total is stored too, so it must fit as well. */
      if (__builtin_mul_overflow (line->quantity, line->unit_price_minor, &gross) ||
          __builtin_sub_overflow (gross, line->discount_minor, &gross) ||
          __builtin_add_overflow (gross, line->tax_minor, &line_total) ||
          __builtin_add_overflow (subtotal, gross, &subtotal) ||
          __builtin_add_overflow (tax, line->tax_minor, &tax))
        return FALSE;
    }

  for (guint i = 0; order->refunds != NULL && i < order->refunds->len; i++)
    {
      const CpRefund *refund = g_ptr_array_index (order->refunds, i);

      if (__builtin_add_overflow (refunded, refund->amount_minor, &refunded))
        return FALSE;
    }

  if (__builtin_add_overflow (subtotal, tax, &total) ||
      __builtin_add_overflow (total, order->shipping_minor, &total) ||
      __builtin_sub_overflow (total, order->order_discount_minor, &total))
    return FALSE;

  out->subtotal = subtotal;
  out->tax = tax;
  out->total = total;
  out->refunded = refunded;
  return TRUE;
}

gint64
cp_order_compute_total (const CpOrder *order)
{
  CpOrderTotals totals;

  g_return_val_if_fail (order != NULL, 0);

  if (!cp_order_compute_totals (order, &totals))
    return G_MAXINT64;

  return totals.total;
}
