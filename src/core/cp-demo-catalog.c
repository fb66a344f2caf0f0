/* cp-demo-catalog.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo shop's catalog: a motorcycle and timber shop with a workshop,
 * so every data module of seed 003 has something real-looking in it.
 */

#define G_LOG_DOMAIN "cp-demo"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cp-categories.h"
#include "cp-demo-private.h"

/* A shelf price in cents between LOW and HIGH dollars: .99 endings for
 * small things, whole dollars ending in 9 for big ones. */
static gint64
shelf_price (CpDemoState *demo,
             int          low,
             int          high)
{
  gint64 dollars = rand_range (demo, low, high);

  if (dollars >= 1000)
    return ((dollars / 10) * 10 + 9) * 100;
  if (dollars >= 100)
    return dollars * 100 - (chance (demo, 60) ? 1 : 0);
  return dollars * 100 + PICK (demo, ((const int[]) { 99, 95, 49, 0 }));
}

/* EAN-13 in the 200–299 "in-store" range, with its check digit. */
static char *
make_ean13 (CpDemoState *demo)
{
  char digits[14];
  guint sum = 0;

  g_snprintf (digits, sizeof digits, "2%02u%09u", demo->seed % 100, demo->next_barcode++);
  for (guint i = 0; i < 12; i++)
    sum += (digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
  digits[12] = '0' + (10 - sum % 10) % 10;
  digits[13] = '\0';

  return g_strdup (digits);
}

/* A JSON object from NULL-terminated key, value pairs (NULL values are
 * left out). */
static char *
attributes (const char *first_key,
            ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  const char *key = first_key;
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_key);
  while (key != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (value != NULL)
        {
          json_builder_set_member_name (builder, key);
          json_builder_add_string_value (builder, value);
        }
      key = va_arg (args, const char *);
    }
  va_end (args);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

typedef struct
{
  const char *option1;
  const char *option2;
  gint64      price;      /* 0: the product's price */
  const char *attributes; /* NULL: the product's */
} VariantSpec;

/* Adds one product with N variants to the catalog, in the category at
 * path CATEGORY. */
static gboolean
add_product (CpDemoState        *demo,
             CpModule            module,
             const char         *category,
             const char         *name,
             gint64              price,
             const char         *product_attributes,
             const VariantSpec  *variants,
             guint               n_variants,
             guint               weight,
             GError            **error)
{
  static const char * const prefixes[CP_N_MODULES] = { "GN", "MC", "SP", "WD", "RN", "MF" };
  guint product = ++demo->n_products;
  gint64 category_id;

  if (!cp_categories_find_or_create (demo->ledger, category, &category_id, error))
    return FALSE;

  for (guint v = 0; v < MAX (n_variants, 1); v++)
    {
      g_autoptr(CpVariant) variant = cp_variant_new ();
      const VariantSpec *spec = n_variants > 0 ? &variants[v] : NULL;
      CpDemoItem *item = g_new0 (CpDemoItem, 1);
      gint64 variant_price = spec != NULL && spec->price > 0 ? spec->price : price;

      variant->product_handle = g_strdup_printf ("%s-%04u", prefixes[module], product);
      variant->product_name = g_strdup (name);
      variant->sku = n_variants > 1
                       ? g_strdup_printf ("%s-%04u-%u", prefixes[module], product, v + 1)
                       : g_strdup_printf ("%s-%04u", prefixes[module], product);
      variant->option1 = spec != NULL ? g_strdup (spec->option1) : NULL;
      variant->option2 = spec != NULL ? g_strdup (spec->option2) : NULL;
      variant->price_minor = variant_price;
      /* Margins of 30–55 %: cost is 45–70 % of the price. */
      variant->cost_minor = variant_price * rand_range (demo, 45, 70) / 100;
      g_strlcpy (variant->currency, "USD", sizeof variant->currency);
      variant->module = module;
      g_free (variant->attributes_json);
      variant->attributes_json = g_strdup (spec != NULL && spec->attributes != NULL
                                             ? spec->attributes
                                             : product_attributes != NULL ? product_attributes : "{}");
      /* Rentals and kits are booked, not scanned. */
      if (module != CP_MODULE_RENTAL)
        variant->barcode = make_ean13 (demo);

      if (!cp_catalog_upsert_variant (demo->ledger, variant, &item->id, NULL, error))
        {
          g_free (item);
          return FALSE;
        }
      if (v == 0)
        {
          gint64 product_id;

          if (!cp_categories_get_for_variant (demo->ledger, item->id, &product_id, NULL, error) ||
              !cp_categories_set_product (demo->ledger, product_id, category_id, error))
            {
              g_free (item);
              return FALSE;
            }
        }

      item->sku = g_strdup (variant->sku);
      item->name = spec != NULL && spec->option1 != NULL
                     ? g_strdup_printf ("%s — %s%s%s", name, spec->option1,
                                        spec->option2 != NULL ? " / " : "",
                                        spec->option2 != NULL ? spec->option2 : "")
                     : g_strdup (name);
      item->price = variant_price;
      item->module = module;
      item->weight = weight * rand_range (demo, 1, 5);
      g_ptr_array_add (demo->items, item);
      g_hash_table_insert (demo->by_sku, item->sku, item);
    }

  return TRUE;
}

/* Motorcycles: brand, model, year; a colour or two. */
static gboolean
add_motorcycles (CpDemoState  *demo,
                 guint         n,
                 GError      **error)
{
  static const struct { const char *brand, *model; int low, high; } models[] = {
    { "Honda", "CB500F", 6500, 7500 }, { "Honda", "CB650R", 9000, 10000 },
    { "Honda", "Rebel 500", 6500, 7200 }, { "Honda", "CRF300L", 5400, 6000 },
    { "Honda", "NC750X", 9000, 9800 }, { "Honda", "Africa Twin", 14500, 16500 },
    { "Yamaha", "MT-07", 7600, 8400 }, { "Yamaha", "MT-09", 10000, 11000 },
    { "Yamaha", "Ténéré 700", 10500, 11500 }, { "Yamaha", "XSR700", 8900, 9500 },
    { "Yamaha", "YZF-R7", 9000, 9800 }, { "Kawasaki", "Z650", 7600, 8200 },
    { "Kawasaki", "Z900", 9300, 10000 }, { "Kawasaki", "Ninja 650", 8000, 8800 },
    { "Kawasaki", "Versys 650", 9000, 9600 }, { "Kawasaki", "KLR650", 6900, 7500 },
    { "Suzuki", "SV650", 7400, 7900 }, { "Suzuki", "V-Strom 650", 9000, 9700 },
    { "Suzuki", "GSX-8S", 8800, 9400 }, { "Triumph", "Street Twin", 10000, 10800 },
    { "Triumph", "Trident 660", 8100, 8700 }, { "Triumph", "Bonneville T100", 12000, 12800 },
    { "BMW", "R 1250 GS", 18500, 21000 }, { "BMW", "F 900 R", 9900, 10800 },
    { "KTM", "390 Duke", 5500, 6100 }, { "KTM", "890 Adventure", 13000, 14200 },
    { "Royal Enfield", "Classic 350", 4400, 4800 }, { "Royal Enfield", "Himalayan", 5300, 5800 },
    { "Royal Enfield", "Interceptor 650", 6000, 6600 }, { "Ducati", "Scrambler Icon", 10500, 11300 },
  };
  static const char * const colours[] = {
    "Matte Black", "Pearl White", "Candy Red", "Racing Blue", "Graphite Grey", "Olive Green",
  };

  for (guint i = 0; i < n; i++)
    {
      guint m = i % G_N_ELEMENTS (models);
      g_autofree char *year = g_strdup_printf ("%d", rand_range (demo, 2019, 2025));
      g_autofree char *name = g_strdup_printf ("%s %s %s", models[m].brand, models[m].model, year);
      g_autofree char *attrs = attributes ("brand", models[m].brand, "model", models[m].model,
                                           "year", year, NULL);
      guint n_colours = rand_range (demo, 1, 3);
      guint first = rand_range (demo, 0, G_N_ELEMENTS (colours) - 1);
      VariantSpec specs[3] = { { NULL, }, };
      g_autofree char *category = g_strdup_printf ("Motorcycles > Bikes > %s", models[m].brand);

      for (guint c = 0; c < n_colours; c++)
        specs[c].option1 = colours[(first + c) % G_N_ELEMENTS (colours)];

      if (!add_product (demo, CP_MODULE_MOTORCYCLE, category, name,
                        shelf_price (demo, models[m].low, models[m].high),
                        attrs, specs, n_colours, 1, error))
        return FALSE;
    }

  return TRUE;
}

/* Spare parts: part number and what they fit. */
static gboolean
add_spares (CpDemoState  *demo,
            guint         n,
            GError      **error)
{
  /* group: the shelf under "Spare parts" (the category). */
  static const struct { const char *part; int low, high; gboolean compound; const char *group; } parts[] = {
    { "Brake pads, front", 28, 55, TRUE, "Brakes" }, { "Brake pads, rear", 24, 45, TRUE, "Brakes" },
    { "Oil filter", 9, 18, FALSE, "Filters" }, { "Air filter", 19, 45, FALSE, "Filters" },
    { "Spark plug", 8, 16, FALSE, "Engine" }, { "Chain and sprocket kit", 120, 240, FALSE, "Drive" },
    { "Clutch cable", 18, 35, FALSE, "Controls" }, { "Brake lever", 25, 60, FALSE, "Controls" },
    { "Mirror, left", 22, 48, FALSE, "Body" }, { "Mirror, right", 22, 48, FALSE, "Body" },
    { "Battery 12 V", 65, 140, FALSE, "Electrical" }, { "Fork seal kit", 25, 45, FALSE, "Suspension" },
    { "Brake disc, front", 110, 260, FALSE, "Brakes" }, { "Throttle cable", 18, 32, FALSE, "Controls" },
    { "Gasket set", 35, 90, FALSE, "Engine" }, { "Radiator hose", 20, 45, FALSE, "Engine" },
    { "Fuel filter", 12, 25, FALSE, "Filters" }, { "Clutch plates", 70, 150, FALSE, "Drive" },
    { "Wheel bearing kit", 30, 60, FALSE, "Wheels" }, { "Brake fluid reservoir cap", 12, 25, FALSE, "Brakes" },
  };
  static const struct { const char *brand, *code, *model, *years; } fits[] = {
    { "Honda", "HN", "CB500F", "2016–2024" }, { "Honda", "HN", "Rebel 500", "2017–2024" },
    { "Yamaha", "YM", "MT-07", "2014–2024" }, { "Yamaha", "YM", "Ténéré 700", "2019–2024" },
    { "Kawasaki", "KW", "Z650", "2017–2024" }, { "Kawasaki", "KW", "Ninja 650", "2017–2024" },
    { "Suzuki", "SZ", "SV650", "2016–2024" }, { "Triumph", "TR", "Street Twin", "2016–2024" },
    { "KTM", "KT", "390 Duke", "2017–2024" }, { "Royal Enfield", "RE", "Himalayan", "2018–2024" },
  };

  for (guint i = 0; i < n; i++)
    {
      guint p = g_rand_int_range (demo->rand, 0, G_N_ELEMENTS (parts));
      guint f = (i + p) % G_N_ELEMENTS (fits);
      g_autofree char *name = g_strdup_printf ("%s — %s %s", parts[p].part, fits[f].brand, fits[f].model);
      g_autofree char *number = g_strdup_printf ("%s-%05d-%c%c%c", fits[f].code,
                                                 rand_range (demo, 10000, 99999),
                                                 'A' + rand_range (demo, 0, 25),
                                                 'A' + rand_range (demo, 0, 25),
                                                 '0' + rand_range (demo, 0, 9));
      g_autofree char *fit = g_strdup_printf ("%s %s %s", fits[f].brand, fits[f].model, fits[f].years);
      g_autofree char *attrs = attributes ("part_number", number, "compatibility", fit, NULL);
      gint64 price = shelf_price (demo, parts[p].low, parts[p].high);
      g_autofree char *category = g_strdup_printf ("Spare parts > %s", parts[p].group);
      VariantSpec compounds[2] = {
        { "Organic", NULL, price, NULL },
        { "Sintered", NULL, price + 800, NULL },
      };

      if (!add_product (demo, CP_MODULE_SPARES, category, name, price, attrs,
                        parts[p].compound ? compounds : NULL, parts[p].compound ? 2 : 0,
                        6, error))
        return FALSE;
    }

  return TRUE;
}

/* Timber: species and dimensions; lengths or thicknesses as variants. */
static gboolean
add_wood (CpDemoState  *demo,
          guint         n,
          GError      **error)
{
  static const struct { const char *species, *type; int per_ft_cents; } lumber[] = {
    { "Pine", "softwood", 90 }, { "Spruce", "softwood", 85 }, { "Douglas fir", "softwood", 120 },
    { "Western red cedar", "softwood", 260 }, { "White oak", "hardwood", 650 },
    { "Ash", "hardwood", 480 }, { "Hard maple", "hardwood", 520 }, { "Black walnut", "hardwood", 1150 },
    { "Cherry", "hardwood", 820 }, { "Beech", "hardwood", 450 },
  };
  static const char * const sections[] = { "1x4", "1x6", "2x4", "2x6", "4x4", "1x12", "2x10" };
  static const struct { const char *name; int low, high; } sheets[] = {
    { "Birch plywood", 45, 95 }, { "MDF", 28, 55 }, { "OSB", 22, 40 }, { "Marine plywood", 80, 150 },
  };
  static const char * const lengths[] = { "6 ft", "8 ft", "10 ft", "12 ft" };
  static const char * const thicknesses[] = { "9 mm", "12 mm", "18 mm" };

  for (guint i = 0; i < n; i++)
    {
      if (i % 5 == 4)
        {
          guint s = (i / 5) % G_N_ELEMENTS (sheets);
          g_autofree char *name = g_strdup_printf ("%s sheet 4×8 ft", sheets[s].name);
          gint64 base = shelf_price (demo, sheets[s].low, sheets[s].high);
          VariantSpec specs[G_N_ELEMENTS (thicknesses)] = { { NULL, }, };
          g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);

          for (guint t = 0; t < G_N_ELEMENTS (thicknesses); t++)
            {
              g_autofree char *dims = g_strdup_printf ("4×8 ft, %s", thicknesses[t]);

              specs[t].attributes = attributes ("dimensions", dims, "type", "sheet", NULL);
              g_ptr_array_add (owned, (char *) specs[t].attributes);
              specs[t].option1 = thicknesses[t];
              specs[t].price = base * (t + 2) / 3;
            }
          if (!add_product (demo, CP_MODULE_WOOD, "Wood > Sheet goods", name, base, NULL, specs,
                            G_N_ELEMENTS (specs), 4, error))
            return FALSE;
        }
      else
        {
          guint l = g_rand_int_range (demo->rand, 0, G_N_ELEMENTS (lumber));
          const char *section = sections[(i + l) % G_N_ELEMENTS (sections)];
          g_autofree char *name = g_strdup_printf ("%s %s", lumber[l].species, section);
          guint n_lengths = rand_range (demo, 2, 4);
          VariantSpec specs[G_N_ELEMENTS (lengths)] = { { NULL, }, };
          g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);

          for (guint k = 0; k < n_lengths; k++)
            {
              int feet = 6 + 2 * k;
              g_autofree char *dims = g_strdup_printf ("%s × %d ft", section, feet);

              specs[k].attributes = attributes ("dimensions", dims, "type", lumber[l].type, NULL);
              g_ptr_array_add (owned, (char *) specs[k].attributes);
              specs[k].option1 = lengths[k];
              /* Whole dollars and 49 cents: priced per board at the rack. */
              specs[k].price = (lumber[l].per_ft_cents * feet * (section[0] == '1' ? 1 : 2) / 100)
                               * 100 + 49;
            }
          if (!add_product (demo, CP_MODULE_WOOD,
                            g_str_equal (lumber[l].type, "hardwood") ? "Wood > Boards > Hardwood"
                                                                     : "Wood > Boards > Softwood",
                            name, specs[0].price, NULL, specs, n_lengths, 5, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* Rental units: a day, a weekend or a week, with a deposit. */
static gboolean
add_rentals (CpDemoState  *demo,
             guint         n,
             GError      **error)
{
  static const struct { const char *name; int day, deposit; } units[] = {
    { "Car trailer", 65, 300 }, { "Box trailer", 45, 200 }, { "Motorcycle trailer", 40, 200 },
    { "Tile saw", 35, 150 }, { "Concrete mixer", 40, 150 }, { "Floor sander", 55, 250 },
    { "Pressure washer", 45, 150 }, { "Scaffold tower", 60, 400 }, { "Wood chipper", 95, 500 },
    { "Post hole digger", 70, 300 }, { "Plate compactor", 65, 300 }, { "Generator 3 kW", 50, 250 },
    { "Moving dolly", 12, 50 }, { "Extension ladder 6 m", 20, 100 }, { "Paddock stand", 10, 50 },
  };
  static const struct { const char *label, *duration; int times_day_x10; } durations[] = {
    { "Day", "1 day", 10 }, { "Weekend", "2 days", 16 }, { "Week", "7 days", 45 },
  };

  for (guint i = 0; i < n; i++)
    {
      guint u = i % G_N_ELEMENTS (units);
      g_autofree char *name = g_strdup_printf (_("%s rental"), units[u].name);
      g_autofree char *deposit = g_strdup_printf ("%d.00", units[u].deposit);
      VariantSpec specs[G_N_ELEMENTS (durations)] = { { NULL, }, };
      g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);

      for (guint d = 0; d < G_N_ELEMENTS (durations); d++)
        {
          specs[d].attributes = attributes ("rental_duration", durations[d].duration, "deposit",
                                            deposit, NULL);
          g_ptr_array_add (owned, (char *) specs[d].attributes);
          specs[d].option1 = durations[d].label;
          specs[d].price = (gint64) units[u].day * durations[d].times_day_x10 * 10;
        }
      if (!add_product (demo, CP_MODULE_RENTAL,
                        strstr (units[u].name, "trailer") != NULL ? "Rentals > Trailers"
                                                                  : "Rentals > Equipment",
                        name, specs[0].price, NULL, specs,
                        G_N_ELEMENTS (specs), 2, error))
        return FALSE;
    }

  return TRUE;
}

/* Workshop materials, and kits made of them (the BOM). */
static gboolean
add_materials (CpDemoState  *demo,
               guint         n,
               GError      **error)
{
  static const struct { const char *name, *type; int low, high; } materials[] = {
    { "Steel tube 25×25 mm, 2 m", "metal", 18, 30 }, { "Aluminium sheet 2 mm, 1×2 m", "metal", 60, 95 },
    { "Steel flat bar 40×5 mm, 2 m", "metal", 12, 22 }, { "Brass rod 10 mm, 1 m", "metal", 25, 45 },
    { "Epoxy resin 1 L", "resin", 35, 55 }, { "Epoxy hardener 500 ml", "resin", 20, 32 },
    { "Wood screws 4×40 mm, box of 200", "fastener", 9, 16 }, { "Hex bolts M8×40, box of 50", "fastener", 11, 19 },
    { "Powder coat, black, 1 kg", "finish", 28, 45 }, { "Linseed oil 1 L", "finish", 14, 24 },
    { "Shellac flakes 500 g", "finish", 22, 36 }, { "Welding wire 0.8 mm, 5 kg", "consumable", 38, 60 },
    { "Butt hinges 75 mm, pair", "hardware", 6, 12 }, { "Drawer slides 450 mm, pair", "hardware", 14, 28 },
    { "Caster wheels 75 mm, set of 4", "hardware", 24, 40 }, { "Leather offcuts 1 kg", "leather", 18, 30 },
  };
  static const struct { const char *name, *bom; int low, high; } kits[] = {
    { "Workbench kit", "4× pine 4x4 legs; 1× birch plywood 18 mm top; 16× wood screws; 4× caster wheels", 180, 260 },
    { "Motorcycle paddock stand kit", "2× steel tube 25×25 mm; 2× caster wheels; 4× hex bolts M8", 90, 140 },
    { "Wall shelving kit", "3× pine 1x12 boards; 6× steel brackets; 24× wood screws", 70, 110 },
    { "Garden bench kit", "5× cedar 2x4; 2× cedar 4x4; 32× wood screws; linseed oil", 150, 220 },
  };

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *attrs = NULL;

      if (i % 8 == 7)
        {
          guint k = (i / 8) % G_N_ELEMENTS (kits);

          attrs = attributes ("material_type", "kit", "bom", kits[k].bom, NULL);
          if (!add_product (demo, CP_MODULE_MANUFACTURING, "Workshop > Kits", kits[k].name,
                            shelf_price (demo, kits[k].low, kits[k].high), attrs, NULL, 0, 2, error))
            return FALSE;
        }
      else
        {
          guint m = i % G_N_ELEMENTS (materials);

          attrs = attributes ("material_type", materials[m].type, NULL);
          if (!add_product (demo, CP_MODULE_MANUFACTURING, "Workshop > Materials", materials[m].name,
                            shelf_price (demo, materials[m].low, materials[m].high), attrs,
                            NULL, 0, 3, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* General goods: riding gear in sizes and colours, tools, care products,
 * gift cards. */
static gboolean
add_general (CpDemoState  *demo,
             guint         n,
             GError      **error)
{
  static const char * const helmets = "Motorcycles > Helmets";
  static const char * const gear = "Motorcycles > Riding gear";
  static const char * const clothing = "Clothing";
  static const char * const care = "Motorcycles > Care";
  static const char * const tools = "Tools";
  static const char * const woodworking = "Tools > Woodworking";
  static const struct { const char *name; int low, high; int kind; const char *category; } goods[] = {
    /* kind 0: single; 1: sizes × colours; 2: sizes; 3: colours */
    { "Full-face helmet", 180, 420, 1, helmets }, { "Open-face helmet", 110, 240, 1, helmets },
    { "Riding gloves", 35, 90, 1, gear }, { "Textile riding jacket", 180, 380, 1, gear },
    { "Rain over-suit", 60, 110, 2, gear }, { "Workshop T-shirt", 18, 25, 1, clothing },
    { "Corner Cycle hoodie", 45, 60, 1, clothing }, { "Beanie", 15, 22, 3, clothing },
    { "Work boots", 90, 160, 2, clothing }, { "Safety glasses", 9, 18, 3, tools },
    { "Chain lube 400 ml", 12, 18, 0, care }, { "Degreaser 1 L", 10, 16, 0, care },
    { "Microfibre cloths, 3-pack", 8, 12, 0, care }, { "Hand cleaner 500 ml", 9, 14, 0, care },
    { "Tyre pressure gauge", 12, 28, 0, tools }, { "Torque wrench 1/2 in", 70, 140, 0, tools },
    { "Socket set, 40 pieces", 45, 90, 0, tools }, { "Tape measure 8 m", 12, 22, 0, tools },
    { "Carpenter's pencils, 10-pack", 5, 9, 0, woodworking }, { "Wood glue 750 ml", 9, 15, 0, woodworking },
    { "Sandpaper assortment", 12, 20, 0, woodworking }, { "LED work light", 25, 55, 0, tools },
    { "Bungee cords, 6-pack", 10, 18, 0, gear }, { "Tie-down straps, 4-pack", 20, 38, 0, gear },
    { "Bench chisel set", 45, 110, 0, woodworking }, { "Japanese pull saw", 35, 70, 0, woodworking },
    { "Block plane", 55, 140, 0, woodworking }, { "Spirit level 60 cm", 18, 40, 0, tools },
    { "Quick clamps, pair", 22, 40, 0, woodworking }, { "Disc lock", 40, 80, 3, gear },
  };
  static const char * const sizes[] = { "S", "M", "L", "XL" };
  static const char * const colours[] = { "Black", "Grey", "Red", "Navy" };
  static const gint64 gift_cards[] = { 2500, 5000, 10000 };

  for (guint i = 0; i < n; i++)
    {
      guint g = i % G_N_ELEMENTS (goods);
      g_autofree char *name = NULL;
      VariantSpec specs[16] = { { NULL, }, };
      guint n_specs = 0;
      gint64 price = shelf_price (demo, goods[g].low, goods[g].high);

      if (i == n - 1)
        {
          /* One gift card product, in three values. */
          g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);

          for (guint c = 0; c < G_N_ELEMENTS (gift_cards); c++)
            {
              specs[c].option1 = g_strdup_printf ("$%" G_GINT64_FORMAT, gift_cards[c] / 100);
              g_ptr_array_add (owned, (char *) specs[c].option1);
              specs[c].price = gift_cards[c];
            }
          if (!add_product (demo, CP_MODULE_GENERAL, "Gift cards", _("Gift card"), gift_cards[0],
                            NULL, specs,
                            G_N_ELEMENTS (gift_cards), 3, error))
            return FALSE;
          continue;
        }

      /* The list repeats for big shops: later rounds are other ranges. */
      name = i < G_N_ELEMENTS (goods)
               ? g_strdup (goods[g].name)
               : g_strdup_printf ("%s, %s", goods[g].name,
                                  PICK (demo, ((const char * const[]) { "Pro", "Classic", "Trail", "Urban", "Heritage" })));

      switch (goods[g].kind)
        {
        case 1:
          {
            guint n_colours = rand_range (demo, 1, 3);
            guint n_sizes = rand_range (demo, 2, 4);

            /* At most six variants: a realistic rack, not a matrix. */
            while (n_colours * n_sizes > 6)
              n_sizes--;
            for (guint c = 0; c < n_colours; c++)
              for (guint s = 0; s < n_sizes; s++, n_specs++)
                {
                  specs[n_specs].option1 = sizes[s + (4 - n_sizes) / 2];
                  specs[n_specs].option2 = colours[c];
                }
          }
          break;
        case 2:
          for (guint s = 0; s < 4; s++, n_specs++)
            specs[n_specs].option1 = sizes[s];
          break;
        case 3:
          for (guint c = 0; c < 3; c++, n_specs++)
            specs[n_specs].option1 = colours[c];
          break;
        default:
          break;
        }

      if (!add_product (demo, CP_MODULE_GENERAL, goods[g].category, name, price, NULL, specs,
                        n_specs,
                        goods[g].kind == 0 ? 10 : 6, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
cp_demo_add_catalog (CpDemoState  *demo,
                     guint         n_products,
                     GError      **error)
{
  /* Shares of the catalog per module, in percent. */
  static const guint shares[CP_N_MODULES] = {
    [CP_MODULE_GENERAL] = 31, [CP_MODULE_MOTORCYCLE] = 10, [CP_MODULE_SPARES] = 27,
    [CP_MODULE_WOOD] = 15, [CP_MODULE_RENTAL] = 5, [CP_MODULE_MANUFACTURING] = 12,
  };
  guint counts[CP_N_MODULES];
  guint assigned = 0;

  for (guint m = 0; m < CP_N_MODULES; m++)
    {
      counts[m] = MAX (n_products * shares[m] / 100, n_products >= 12 ? 1 : 0);
      assigned += counts[m];
    }
  counts[CP_MODULE_GENERAL] += n_products > assigned ? n_products - assigned : 0;

  return add_motorcycles (demo, counts[CP_MODULE_MOTORCYCLE], error) &&
         add_spares (demo, counts[CP_MODULE_SPARES], error) &&
         add_wood (demo, counts[CP_MODULE_WOOD], error) &&
         add_rentals (demo, counts[CP_MODULE_RENTAL], error) &&
         add_materials (demo, counts[CP_MODULE_MANUFACTURING], error) &&
         add_general (demo, counts[CP_MODULE_GENERAL], error);
}
