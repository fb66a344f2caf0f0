/* cp-demo.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo shop: a motorcycle and timber shop with a workshop, so every
 * data module of seed 003 has something real-looking in it. Everything
 * comes from one GRand seeded by the caller (never the clock), so the
 * same seed gives the same shop, orders and stock, for stable tests and
 * screenshots.
 *
 * The sales are planned before the stock is received: the opening stock
 * is what the 90 days will sell plus what should be left, so the shop
 * ends with believable levels, a few items below safety stock and a
 * couple oversold, instead of whatever random sales happen to leave.
 */

#define G_LOG_DOMAIN "cp-demo"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cp-demo-private.h"
#include "cp-orders.h"
#include "cp-stock.h"

#define DAY_US (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)
#define HOUR_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define TAX_BP 825          /* 8.25 % sales tax */
#define ORDERS_PER_BATCH 10000


static void
item_free (gpointer data)
{
  CpDemoItem *item = data;

  g_free (item->sku);
  g_free (item->name);
  g_free (item);
}

void
cp_demo_options_init (CpDemoOptions *options)
{
  g_return_if_fail (options != NULL);

  options->n_products = 300;
  options->days = 90;
  options->seed = 2026;
  options->end_us = 0;
}

/* Sales */

static void
build_weights (CpDemoState *demo)
{
  g_free (demo->cumulative);
  demo->cumulative = g_new (guint64, demo->items->len);
  demo->total_weight = 0;
  for (guint i = 0; i < demo->items->len; i++)
    {
      CpDemoItem *item = g_ptr_array_index (demo->items, i);

      demo->total_weight += MAX (item->weight, 1);
      demo->cumulative[i] = demo->total_weight;
    }
}

static CpDemoItem *
pick_item (CpDemoState *demo)
{
  guint64 target = (guint64) (g_rand_double (demo->rand) * demo->total_weight);
  guint low = 0, high = demo->items->len - 1;

  while (low < high)
    {
      guint mid = (low + high) / 2;

      if (demo->cumulative[mid] > target)
        high = mid;
      else
        low = mid + 1;
    }

  return g_ptr_array_index (demo->items, low);
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 ta = *(const gint64 *) a;
  gint64 tb = *(const gint64 *) b;

  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

static gint64
round_div (gint64 value,
           gint64 divisor)
{
  return (value + divisor / 2) / divisor;
}

/* One POS sale at PLACED_AT; NUMBERS counts receipts per register. */
static CpOrder *
plan_order (CpDemoState *demo,
            guint        index,
            gint64       placed_at,
            gint64       end_us,
            guint       *numbers,
            gboolean     count_sold)
{
  static const char * const first_names[] = {
    "Ana", "Ben", "Chloé", "Dmitri", "Emeka", "Fatima", "Grace", "Hiro", "Ines", "Jonas",
    "Kiri", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq",
  };
  static const char * const last_names[] = {
    "Alvarez", "Brown", "Chen", "Dubois", "Eriksen", "Fischer", "García", "Haddad", "Ito",
    "Jensen", "Kowalski", "Lopez", "Murphy", "Nguyen", "Okafor", "Patel", "Rossi", "Silva",
  };
  static const char * const refund_reasons[] = {
    "Wrong size", "Damaged in the box", "Changed mind", "Charged twice", "Part did not fit",
  };
  CpOrder *order = cp_order_new ();
  guint n_lines = PICK (demo, ((const guint[]) { 1, 1, 1, 1, 1, 2, 2, 2, 3, 4 }));
  gboolean discount = chance (demo, 5);
  CpDemoItem *first = NULL;
  int loc;
  gint64 total;

  order->source = g_strdup ("pos");
  order->external_id = g_strdup_printf ("%s-%u-%07u", demo->id_prefix, demo->seed, index);
  order->placed_at_us = placed_at;
  g_strlcpy (order->currency, "USD", sizeof order->currency);

  for (guint l = 0; l < n_lines; l++)
    {
      CpDemoItem *item = pick_item (demo);
      gint64 quantity = 1;
      gint64 line_discount = 0;
      gint64 net;
      gboolean duplicate = FALSE;

      for (guint k = 0; k < order->lines->len; k++)
        duplicate |= g_str_equal (((CpOrderLine *) g_ptr_array_index (order->lines, k))->sku, item->sku);
      if (duplicate)
        continue;

      if (item->module == CP_MODULE_WOOD)
        quantity = rand_range (demo, 1, 12);
      else if (item->module == CP_MODULE_MANUFACTURING)
        quantity = rand_range (demo, 1, 5);
      else if (item->module != CP_MODULE_MOTORCYCLE && chance (demo, 10))
        quantity = 2;

      if (discount)
        line_discount = round_div (item->price * quantity, 10);
      net = item->price * quantity - line_discount;
      cp_order_add_line (order, item->sku, item->name, quantity, item->price, line_discount,
                         round_div (net * TAX_BP, 10000));
      if (first == NULL)
        first = item;
    }

  /* The warehouse has a trade counter, mostly for timber and materials. */
  loc = (first->module == CP_MODULE_WOOD || first->module == CP_MODULE_MANUFACTURING)
          ? (chance (demo, 40) ? LOC_WH : LOC_MAIN)
          : (chance (demo, 5) ? LOC_WH : LOC_MAIN);
  order->location_code = g_strdup (demo->location_codes[loc]);
  order->number = g_strdup_printf ("R%d-%06u", loc + 1, ++numbers[loc]);

  if (count_sold)
    for (guint k = 0; k < order->lines->len; k++)
      {
        CpOrderLine *line = g_ptr_array_index (order->lines, k);
        CpDemoItem *item = g_hash_table_lookup (demo->by_sku, line->sku);

        item->sold[loc] += line->quantity;
      }

  if (chance (demo, 25))
    {
      const char *given = PICK (demo, first_names);
      const char *family = PICK (demo, last_names);
      /* ASCII only in the address: é and í are fine in names, not here. */
      g_autofree char *ascii_given = g_str_to_ascii (given, "C");
      g_autofree char *ascii_family = g_str_to_ascii (family, "C");
      g_autofree char *email = g_strdup_printf ("%s.%s@example.com", ascii_given, ascii_family);

      order->customer_name = g_strdup_printf ("%s %s", given, family);
      order->customer_email = g_ascii_strdown (email, -1);
    }

  total = cp_order_compute_total (order);
  if (chance (demo, 4) && total > 3000)
    {
      /* Split tender: part on a gift card or in cash, the rest by card. */
      gint64 part = MIN (total / 2, (gint64) PICK (demo, ((const int[]) { 2500, 5000, 2000 })));

      cp_order_add_payment (order, chance (demo, 50) ? "gift_card" : "cash", part, NULL);
      cp_order_add_payment (order, "card", total - part, NULL);
    }
  else
    cp_order_add_payment (order, chance (demo, 62) ? "card" : "cash", total, NULL);

  if (chance (demo, 2) || (index % 97 == 13 && chance (demo, 50)))
    {
      gboolean full = chance (demo, 40);
      const CpOrderLine *line = g_ptr_array_index (order->lines, 0);
      gint64 amount = full ? total
                           : line->unit_price_minor - line->discount_minor / MAX (line->quantity, 1);
      gint64 at = MIN (placed_at + rand_range (demo, 1, 72) * HOUR_US, end_us);

      cp_order_add_refund (order, MIN (amount, total), PICK (demo, refund_reasons), at);
      order->status = g_strdup (full ? "refunded" : "completed");
    }

  return order;
}

/* The days of history and their orders, oldest first. */
static GPtrArray *
plan_history (CpDemoState         *demo,
              const CpDemoOptions *options)
{
  GPtrArray *orders = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free);
  gint64 end_us = options->end_us > 0 ? options->end_us : g_get_real_time ();
  gint64 last_day = end_us - end_us % DAY_US;
  guint numbers[N_LOCS] = { 0, 0 };
  guint index = 0;

  for (guint d = 0; d < options->days; d++)
    {
      gint64 day = last_day - (gint64) (options->days - 1 - d) * DAY_US;
      g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (day / G_USEC_PER_SEC);
      int weekday = g_date_time_get_day_of_week (date);  /* 1 Monday … 7 Sunday */
      guint n = rand_range (demo, 20, 40);
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));

      /* Saturdays are the busiest, Sundays a little busier than weekdays. */
      if (weekday == 6)
        n = n * 3 / 2;
      else if (weekday == 7)
        n = n * 6 / 5;

      for (guint i = 0; i < n; i++)
        {
          gint64 t = day + 9 * HOUR_US + (gint64) (g_rand_double (demo->rand) * 9.5 * HOUR_US);

          if (t <= end_us)
            g_array_append_val (times, t);
        }
      g_array_sort (times, compare_times);

      for (guint i = 0; i < times->len; i++)
        g_ptr_array_add (orders, plan_order (demo, index++, g_array_index (times, gint64, i),
                                             end_us, numbers, TRUE));
    }

  return orders;
}

/* Stock */

typedef struct
{
  const char *sku;
  int         loc;
  gint64      quantity;
} Safety;

static gboolean
receive_opening_stock (CpDemoState  *demo,
                       GError      **error)
{
  static const int ranges[CP_N_MODULES][N_LOCS][2] = {
    [CP_MODULE_GENERAL] = { { 2, 25 }, { 5, 60 } },
    [CP_MODULE_MOTORCYCLE] = { { 0, 2 }, { 0, 2 } },
    [CP_MODULE_SPARES] = { { 1, 15 }, { 5, 40 } },
    [CP_MODULE_WOOD] = { { 10, 60 }, { 40, 250 } },
    [CP_MODULE_RENTAL] = { { 1, 3 }, { 0, 0 } },
    [CP_MODULE_MANUFACTURING] = { { 3, 30 }, { 10, 120 } },
  };
  guint n = demo->items->len;
  g_autofree gint64 *target = g_new0 (gint64, n * N_LOCS);
  g_autoptr(GArray) safety = g_array_new (FALSE, FALSE, sizeof (Safety));
  guint n_oversold = 0, n_below = 0;
  guint start = g_rand_int_range (demo->rand, 0, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      CpDemoItem *item = g_ptr_array_index (demo->items, i);

      for (int loc = 0; loc < N_LOCS; loc++)
        target[i * N_LOCS + loc] = rand_range (demo, ranges[item->module][loc][0],
                                               ranges[item->module][loc][1]);
      /* Now and then the shop shelf is empty. */
      if (chance (demo, 3))
        target[i * N_LOCS + LOC_MAIN] = 0;
    }

  for (guint k = 0; k < n; k++)
    {
      guint i = (start + k) % n;
      CpDemoItem *item = g_ptr_array_index (demo->items, i);
      gint64 *main_target = &target[i * N_LOCS + LOC_MAIN];

      if (item->module == CP_MODULE_MOTORCYCLE || item->module == CP_MODULE_RENTAL)
        continue;

      /* Two popular items sold more than arrived: oversold. */
      if (n_oversold < 2 && item->sold[LOC_MAIN] >= 3)
        {
          *main_target = -rand_range (demo, 1, 2);
          n_oversold++;
        }
      /* A handful fell below their safety stock. */
      else if (n_below < 6 && *main_target >= 1)
        {
          Safety s = { item->sku, LOC_MAIN, *main_target + rand_range (demo, 1, 4) };

          g_array_append_val (safety, s);
          n_below++;
        }
      /* Others keep a safety stock they are above. */
      else if (*main_target >= 4 && chance (demo, 20))
        {
          Safety s = { item->sku, LOC_MAIN, rand_range (demo, 1, *main_target / 2) };

          g_array_append_val (safety, s);
        }
    }

  for (guint i = 0; i < n; i++)
    {
      CpDemoItem *item = g_ptr_array_index (demo->items, i);

      for (int loc = 0; loc < N_LOCS; loc++)
        {
          gint64 received = item->sold[loc] + target[i * N_LOCS + loc];

          if (received <= 0 || demo->location_ids[loc] == 0)
            continue;
          if (!cp_stock_adjust_ids (demo->ledger, item->id, demo->location_ids[loc], received,
                                    CP_STOCK_REASON_RECEIVED, _("Opening stock"), "demo:opening",
                                    NULL, NULL, error))
            return FALSE;
        }
    }

  for (guint i = 0; i < safety->len; i++)
    {
      Safety *s = &g_array_index (safety, Safety, i);

      if (!cp_stock_set_safety (demo->ledger, s->sku, demo->location_codes[s->loc], s->quantity,
                                error))
        return FALSE;
    }

  return TRUE;
}

/* Setup */

static gboolean
ensure_location (CpDemoState  *demo,
                 int           loc,
                 const char   *code,
                 const char   *name,
                 GError      **error)
{
  g_autoptr(CpLocation) location = NULL;
  GError *local_error = NULL;

  demo->location_codes[loc] = g_strdup (code);

  location = cp_locations_get (demo->ledger, code, &local_error);
  if (location != NULL)
    {
      demo->location_ids[loc] = location->id;
      return TRUE;
    }
  if (!g_error_matches (local_error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  g_clear_error (&local_error);

  return cp_locations_add (demo->ledger, code, name, "USD", &demo->location_ids[loc], error);
}

static void
demo_init (CpDemoState *demo,
           CpLedger    *ledger,
           guint32      seed)
{
  demo->ledger = ledger;
  demo->seed = seed;
  demo->rand = g_rand_new_with_seed (seed);
  demo->items = g_ptr_array_new_with_free_func (item_free);
  demo->by_sku = g_hash_table_new (g_str_hash, g_str_equal);
  demo->id_prefix = "demo";
}

static void
demo_clear (CpDemoState *demo)
{
  g_clear_pointer (&demo->rand, g_rand_free);
  g_clear_pointer (&demo->by_sku, g_hash_table_unref);
  g_clear_pointer (&demo->items, g_ptr_array_unref);
  g_clear_pointer (&demo->cumulative, g_free);
  for (int loc = 0; loc < N_LOCS; loc++)
    g_clear_pointer (&demo->location_codes[loc], g_free);
}

static gboolean
populate (CpDemoState          *demo,
          const CpDemoOptions  *options,
          GError              **error)
{
  g_autoptr(GPtrArray) orders = NULL;

  if (!cp_ledger_set_setting (demo->ledger, "shop_name", "Corner Cycle & Timber", error) ||
      !cp_ledger_set_currency (demo->ledger, "USD", error) ||
      !ensure_location (demo, LOC_MAIN, "MAIN", _("Main Street shop"), error) ||
      !ensure_location (demo, LOC_WH, "WH", _("Warehouse"), error))
    return FALSE;

  if (!cp_demo_add_catalog (demo, options->n_products, error))
    return FALSE;

  if (demo->items->len == 0)
    return cp_ledger_set_setting (demo->ledger, "demo", "1", error);

  build_weights (demo);
  orders = plan_history (demo, options);

  if (!receive_opening_stock (demo, error))
    return FALSE;

  for (guint i = 0; i < orders->len; i++)
    if (!cp_orders_record (demo->ledger, g_ptr_array_index (orders, i), TRUE, NULL, NULL, error))
      return FALSE;

  return cp_ledger_set_setting (demo->ledger, "demo", "1", error);
}

gboolean
cp_demo_populate (CpLedger             *ledger,
                  const CpDemoOptions  *options,
                  GError              **error)
{
  CpDemoState demo = { 0, };
  CpDemoOptions defaults;
  gboolean ok;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  if (options == NULL)
    {
      cp_demo_options_init (&defaults);
      options = &defaults;
    }

  if (cp_catalog_count_products (ledger) > 0)
    {
      g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                           _("This ledger already has products, and the demo shop never mixes "
                             "with a real catalog. Use an empty data folder for the demo "
                             "(counterpart-cli --data-dir DIR init --demo)."));
      return FALSE;
    }

  /* One transaction: a demo shop is there completely or not at all. */
  if (!cp_ledger_begin (ledger, error))
    return FALSE;

  demo_init (&demo, ledger, options->seed);
  ok = populate (&demo, options, error);
  demo_clear (&demo);

  if (!ok)
    {
      cp_ledger_rollback (ledger);
      return FALSE;
    }

  return cp_ledger_commit (ledger, error);
}

/* Benchmarks */

static gboolean
collect_item (const CpVariant *variant,
              gpointer         user_data)
{
  CpDemoState *demo = user_data;
  CpDemoItem *item = g_new0 (CpDemoItem, 1);
  static const guint weights[CP_N_MODULES] = { 8, 1, 6, 5, 2, 3 };

  item->sku = g_strdup (variant->sku);
  item->name = variant->option1 != NULL
                 ? g_strdup_printf ("%s — %s", variant->product_name, variant->option1)
                 : g_strdup (variant->product_name);
  item->price = variant->price_minor;
  item->module = variant->module;
  item->id = variant->id;
  item->weight = weights[variant->module] * rand_range (demo, 1, 5);
  g_ptr_array_add (demo->items, item);
  g_hash_table_insert (demo->by_sku, item->sku, item);

  return TRUE;
}

static gboolean
add_orders (CpDemoState  *demo,
            guint64       n_orders,
            GError      **error)
{
  g_autoptr(GPtrArray) locations = NULL;
  gint64 now = g_get_real_time ();
  guint numbers[N_LOCS];
  guint64 start;

  if (!cp_catalog_foreach (demo->ledger, collect_item, demo, error))
    return FALSE;
  if (demo->items->len == 0)
    {
      g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                           _("The ledger has no products to sell. Create the demo shop first "
                             "(counterpart-cli init --demo)."));
      return FALSE;
    }

  locations = cp_locations_list (demo->ledger, error);
  if (locations == NULL)
    return FALSE;
  if (locations->len == 0)
    {
      g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                           _("The ledger has no location to sell from. Add one with "
                             "counterpart-cli locations add."));
      return FALSE;
    }
  for (int loc = 0; loc < N_LOCS; loc++)
    {
      CpLocation *location = g_ptr_array_index (locations, MIN ((guint) loc, locations->len - 1));

      demo->location_codes[loc] = g_strdup (location->code);
    }

  build_weights (demo);

  /* Counting on: a second run adds orders instead of finding the first's. */
  start = cp_orders_count (demo->ledger);
  numbers[LOC_MAIN] = numbers[LOC_WH] = (guint) start;

  for (guint64 done = 0; done < n_orders;)
    {
      guint64 batch_end = MIN (n_orders, done + ORDERS_PER_BATCH);

      if (!cp_ledger_begin (demo->ledger, error))
        return FALSE;

      for (; done < batch_end; done++)
        {
          gint64 placed = now - (gint64) (g_rand_double (demo->rand) * 365 * DAY_US);
          g_autoptr(CpOrder) order = plan_order (demo, (guint) (start + done), placed, now,
                                                 numbers, FALSE);

          /* Stock is left alone: a million sales would only drive every
           * item deep below zero. */
          if (!cp_orders_record (demo->ledger, order, FALSE, NULL, NULL, error))
            {
              cp_ledger_rollback (demo->ledger);
              return FALSE;
            }
        }

      if (!cp_ledger_commit (demo->ledger, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
cp_demo_add_orders (CpLedger  *ledger,
                    guint64    n_orders,
                    guint32    seed,
                    GError   **error)
{
  CpDemoState demo = { 0, };
  gboolean ok;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  demo_init (&demo, ledger, seed);
  demo.id_prefix = "bench";
  ok = add_orders (&demo, n_orders, error);
  demo_clear (&demo);

  return ok;
}
