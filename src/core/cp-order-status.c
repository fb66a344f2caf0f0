/* cp-order-status.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cp-order-status.h"

char *
cp_order_status_label (const char *status)
{
  static const struct { const char *status; const char *label; } statuses[] = {
    { "completed", N_("Completed") },
    { "awaiting_payment", N_("Awaiting payment") },
    /* A store order in another currency than the books': not a sale. */
    { "held_currency", N_("Kept aside: other currency") },
    { "pending", N_("Pending") },
    { "paid", N_("Paid") },
    /* WooCommerce: paid, waiting to be sent. */
    { "processing", N_("Processing") },
    { "fulfilled", N_("Fulfilled") },
    { "shipped", N_("Shipped") },
    { "cancelled", N_("Cancelled") },
    { "refunded", N_("Refunded") },
    { "partially_refunded", N_("Partly refunded") },
  };
  g_autofree char *text = NULL;

  if (status == NULL || *status == '\0')
    return g_strdup (_("Unknown"));

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (g_str_equal (statuses[i].status, status))
      return g_strdup (_(statuses[i].label));

  /* A platform's own status: readable rather than snake_case. */
  text = g_strdelimit (g_strdup (status), "_-", ' ');
  if (text[0] != '\0')
    {
      g_autofree char *first = g_utf8_strup (text, 1);
      return g_strconcat (first, text + 1, NULL);
    }
  return g_steal_pointer (&text);
}
