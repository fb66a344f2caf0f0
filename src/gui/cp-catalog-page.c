/* cp-catalog-page.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PLACEHOLDER until its author replaces it: only the type and the
 * "ledger" property, so the window can be built around it.
 */

#define G_LOG_DOMAIN "cp-catalog-page"

#include "config.h"

#include "cp-catalog-page.h"

struct _CpCatalogPage
{
  AdwBin    parent_instance;
  CpLedger *ledger;
};

G_DEFINE_FINAL_TYPE (CpCatalogPage, cp_catalog_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LEDGER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cp_catalog_page_dispose (GObject *object)
{
  CpCatalogPage *self = (CpCatalogPage *) object;

  g_clear_object (&self->ledger);
  G_OBJECT_CLASS (cp_catalog_page_parent_class)->dispose (object);
}

static void
cp_catalog_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CpCatalogPage *self = (CpCatalogPage *) object;

  switch (prop_id)
    {
    case PROP_LEDGER:
      g_value_set_object (value, self->ledger);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_catalog_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  CpCatalogPage *self = (CpCatalogPage *) object;

  switch (prop_id)
    {
    case PROP_LEDGER:
      g_set_object (&self->ledger, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_catalog_page_class_init (CpCatalogPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cp_catalog_page_dispose;
  object_class->get_property = cp_catalog_page_get_property;
  object_class->set_property = cp_catalog_page_set_property;

  properties[PROP_LEDGER] =
    g_param_spec_object ("ledger", NULL, NULL,
                         CP_TYPE_LEDGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cp_catalog_page_init (CpCatalogPage *self)
{
}

GtkWidget *
cp_catalog_page_new (CpLedger *ledger)
{
  return g_object_new (CP_TYPE_CATALOG_PAGE, "ledger", ledger, NULL);
}
