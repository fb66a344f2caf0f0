/* cp-bench-catalog.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-bench"

#include "config.h"

#include <string.h>

#include "cp-bench-catalog.h"

static const char * const brands[] = {
  "Shoei", "Arai", "Bell", "Alpinestars", "Dainese", "Brembo", "Bosch", "Makita",
  "Hitachi", "Stanley", "Festool", "Husqvarna", "Stihl", "Yamaha", "Honda", "Kawasaki",
  "Suzuki", "Ducati", "Triumph", "Michelin", "Pirelli", "Continental", "Castrol", "Motul",
  "Fjällräven", "Patagonia", "Vaude", "Deuter", "Osprey", "Leatherman", "Victorinox", "Gerber",
  "Nordwood", "Eichenhof", "Skandi", "Atelier Roux", "Café Olé", "Bäckerei Sommer", "Lumen", "Orbit",
};

static const char * const product_lines[] = {
  "Touring", "Racing", "Classic", "Urban", "Pro", "Sport", "Adventure", "Heritage",
  "Compact", "Premium", "Essential", "Expedition", "Workshop", "Garden", "Studio", "Rally",
  "Trail", "Coastal", "Alpine", "Nordic", "Vintage", "Carbon", "Titanium", "Oak",
  "Walnut", "Maple", "Linen", "Merino", "Canvas", "Leather", "Storm", "Summit",
  "Harbour", "Meadow", "Ember", "Frost", "Granite", "Velvet", "Cobalt", "Saffron",
};

/* A kind of product and the three letters its SKUs start with. */
static const struct { const char *name; const char *code; } kinds[] = {
  { "Helmet", "HLM" }, { "Jacket", "JKT" }, { "Gloves", "GLV" }, { "Boots", "BTS" },
  { "Brake Pad", "BRK" }, { "Brake Disc", "BDS" }, { "Chain Kit", "CHN" }, { "Sprocket", "SPR" },
  { "Oil Filter", "OFL" }, { "Air Filter", "AFL" }, { "Spark Plug", "SPK" }, { "Battery", "BAT" },
  { "Tyre", "TYR" }, { "Inner Tube", "TUB" }, { "Mirror", "MIR" }, { "Lever", "LVR" },
  { "Cordless Drill", "DRL" }, { "Circular Saw", "SAW" }, { "Jigsaw", "JIG" }, { "Sander", "SND" },
  { "Chisel Set", "CHS" }, { "Hand Plane", "PLN" }, { "Router Bit", "RTB" }, { "Clamp", "CLP" },
  { "Oak Board", "OAK" }, { "Pine Plank", "PIN" }, { "Plywood Sheet", "PLY" }, { "Dowel", "DWL" },
  { "Backpack", "BPK" }, { "Tent", "TNT" }, { "Sleeping Bag", "SLB" }, { "Head Torch", "TOR" },
  { "Pocket Knife", "KNF" }, { "Multitool", "MTL" }, { "Water Bottle", "BTL" }, { "Camping Stove", "STV" },
  { "Coffee Beans", "COF" }, { "Espresso Cup", "CUP" }, { "Tea Towel", "TWL" }, { "Candle", "CND" },
  { "Desk Lamp", "LMP" }, { "Notebook", "NBK" }, { "Fountain Pen", "PEN" }, { "Wall Clock", "CLK" },
  { "Rental Scooter", "RSC" }, { "Rental E-Bike", "REB" }, { "Kayak Hire", "KYK" }, { "Ski Set Hire", "SKI" },
  { "Steel Bracket", "BRC" }, { "Hinge", "HNG" }, { "Cabinet Handle", "HDL" }, { "Shelf", "SHF" },
  { "Trousers", "TRS" }, { "Hoodie", "HOD" }, { "T-Shirt", "TSH" }, { "Beanie", "BNE" },
  { "Socks", "SCK" }, { "Rain Cover", "RNC" }, { "Saddle Bag", "SDB" }, { "Phone Mount", "PHM" },
};

static const char * const colours[] = {
  "Black", "White", "Red", "Blue", "Green", "Grey", "Orange", "Yellow", "Navy", "Olive",
  "Sand", "Burgundy",
};

static const char * const sizes[] = { "XS", "S", "M", "L", "XL", "XXL" };

/* A 64-bit mix (splitmix64's finaliser): neighbouring products get
 * unrelated names, as in a real catalog. */
static guint64
mix (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

typedef struct
{
  const char *brand;
  const char *line;
  guint       kind;
} ProductName;

static void
product_name (guint64      product,
              ProductName *out)
{
  guint64 h = mix (product);

  out->brand = brands[h % G_N_ELEMENTS (brands)];
  out->line = product_lines[(h >> 16) % G_N_ELEMENTS (product_lines)];
  out->kind = (guint) ((h >> 32) % G_N_ELEMENTS (kinds));
}

char *
cp_bench_catalog_sku (guint64 index)
{
  guint64 product = index / CP_BENCH_VARIANTS_PER_PRODUCT;
  ProductName name;

  product_name (product, &name);
  return g_strdup_printf ("%s-%06" G_GUINT64_FORMAT "-%u", kinds[name.kind].code, product,
                          (guint) (index % CP_BENCH_VARIANTS_PER_PRODUCT) + 1);
}

static char *
ean13 (guint64 index)
{
  char digits[14];
  guint sum = 0;

  /* Prefix 20–29 is for in-store numbering, so these never collide with
   * a real product's code. */
  g_snprintf (digits, sizeof digits, "20%010" G_GUINT64_FORMAT, index % G_GUINT64_CONSTANT (10000000000));
  for (guint i = 0; i < 12; i++)
    sum += (guint) (digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
  digits[12] = (char) ('0' + (10 - sum % 10) % 10);
  digits[13] = '\0';

  return g_strdup (digits);
}

void
cp_bench_catalog_fill_variant (CpVariant *variant,
                               guint64    index)
{
  guint64 product = index / CP_BENCH_VARIANTS_PER_PRODUCT;
  guint v = (guint) (index % CP_BENCH_VARIANTS_PER_PRODUCT);
  guint64 h = mix (product);
  ProductName name;

  product_name (product, &name);

  g_free (variant->product_handle);
  variant->product_handle = g_strdup_printf ("p-%06" G_GUINT64_FORMAT, product);
  g_free (variant->product_name);
  variant->product_name = g_strdup_printf ("%s %s %s", name.brand, name.line, kinds[name.kind].name);
  g_free (variant->sku);
  variant->sku = cp_bench_catalog_sku (index);
  g_free (variant->barcode);
  variant->barcode = ean13 (index);
  g_free (variant->option1);
  variant->option1 = g_strdup (colours[((h >> 48) + v) % G_N_ELEMENTS (colours)]);
  g_free (variant->option2);
  variant->option2 = g_strdup (sizes[v % G_N_ELEMENTS (sizes)]);
  g_clear_pointer (&variant->option3, g_free);
  variant->price_minor = 499 + (gint64) ((h >> 8) % 40000) + v * 100;
  variant->cost_minor = variant->price_minor * 55 / 100;
  memcpy (variant->currency, "USD", 4);
  variant->module = CP_MODULE_GENERAL;
  g_free (variant->attributes_json);
  variant->attributes_json = g_strdup ("{}");
}

/* The first LEN characters of WORD (UTF-8 aware), lower-cased. */
static char *
prefix_of (const char *word,
           glong       len)
{
  g_autofree char *down = g_utf8_strdown (word, -1);
  const char *end = g_utf8_offset_to_pointer (down, MIN (len, g_utf8_strlen (down, -1)));

  return g_strndup (down, end - down);
}

/* The last word typed is often incomplete: keep 2 characters or more. */
static char *
typed (GRand      *rand,
       const char *word)
{
  glong n = g_utf8_strlen (word, -1);

  if (n <= 2 || g_rand_int_range (rand, 0, 3) == 0)
    return g_utf8_strdown (word, -1);
  return prefix_of (word, g_rand_int_range (rand, 2, (gint32) n + 1));
}

char *
cp_bench_catalog_query (GRand   *rand,
                        guint64  n_variants)
{
  guint64 index = (guint64) (g_rand_double (rand) * (double) n_variants);
  guint64 product;
  ProductName name;
  const char *kind;
  int pattern = g_rand_int_range (rand, 0, 100);

  index = MIN (index, n_variants - 1);
  product = index / CP_BENCH_VARIANTS_PER_PRODUCT;
  product_name (product, &name);
  kind = kinds[name.kind].name;

  if (pattern < 35)
    {
      /* "brake pa" */
      return typed (rand, kind);
    }
  else if (pattern < 60)
    {
      g_autofree char *brand = g_utf8_strdown (name.brand, -1);
      g_autofree char *last = typed (rand, kind);

      return g_strdup_printf ("%s %s", brand, last);
    }
  else if (pattern < 80)
    {
      g_autofree char *line = g_utf8_strdown (name.line, -1);
      g_autofree char *last = typed (rand, kind);

      return g_strdup_printf ("%s %s", line, last);
    }
  else if (pattern < 90)
    {
      return typed (rand, name.brand);
    }
  else
    {
      g_autofree char *sku = cp_bench_catalog_sku (index);

      /* "OFL-0042": the code and the start of the product number. */
      return g_strndup (sku, 8);
    }
}
