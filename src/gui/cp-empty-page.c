/* cp-empty-page.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-empty-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-empty-page.h"

typedef struct
{
  const char *page_name;
  const char *icon_name;
  const char *title;
  const char *description;
  const char *sandbox_description;  /* NULL: the same in the sandbox */
} EmptyState;

/* Say what will be there and how to get it; never promise a button that
 * does nothing. */
static const EmptyState empty_states[] = {
  { "integrations", "network-workgroup-symbolic",
    N_("No Integrations Yet"),
    N_("Connect Shopify, WooCommerce, delivery apps, payment and accounting services here, "
       "and Counterpart keeps their orders and stock in step with this shop. "
       "Connecting arrives in the next version of Counterpart; until then, start it with "
       "“counterpart --sandbox” to explore the demo shop."),
    N_("Connect Shopify, WooCommerce, delivery apps, payment and accounting services here, "
       "and Counterpart keeps their orders and stock in step with this shop. "
       "Connecting arrives in the next version of Counterpart, and the sandbox will then "
       "offer a test version of each platform to try it on safely.") },
  { "accounting", "accessories-calculator-symbolic",
    N_("Accounting Is Not Here Yet"),
    N_("Daily sales summaries, taxes, payouts and fees, ready to post to your accounting "
       "service, will appear here together with what still needs reconciling. "
       "Your sales are already kept in the ledger, so nothing will be missing when this "
       "arrives in a later version."), NULL },
  { "devices", "printer-symbolic",
    N_("No Devices Yet"),
    N_("Receipt printers, label printers and barcode scanners for the register will be "
       "set up and tested here. Device support arrives in a later version of Counterpart."), NULL },
  { "activity", "document-open-recent-symbolic",
    N_("Nothing to Report"),
    N_("Every sync with your stores and services will be listed here: what went well, "
       "what failed, what Counterpart will do next and what you can do. "
       "Nothing is connected yet, so there is no activity."), NULL },
};

struct _CpEmptyPage
{
  AdwBin         parent_instance;

  AdwStatusPage *status_page;
  GtkWidget     *warning;
  GtkLabel      *warning_label;
  char          *page_name;
  gboolean       sandbox;
};

G_DEFINE_FINAL_TYPE (CpEmptyPage, cp_empty_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PAGE_NAME,
  PROP_SANDBOX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cp_empty_page_constructed (GObject *object)
{
  CpEmptyPage *self = CP_EMPTY_PAGE (object);

  G_OBJECT_CLASS (cp_empty_page_parent_class)->constructed (object);

  for (guint i = 0; i < G_N_ELEMENTS (empty_states); i++)
    {
      if (g_strcmp0 (empty_states[i].page_name, self->page_name) != 0)
        continue;

      adw_status_page_set_icon_name (self->status_page, empty_states[i].icon_name);
      adw_status_page_set_title (self->status_page, _(empty_states[i].title));
      if (self->sandbox && empty_states[i].sandbox_description != NULL)
        adw_status_page_set_description (self->status_page, _(empty_states[i].sandbox_description));
      else
        adw_status_page_set_description (self->status_page, _(empty_states[i].description));
      return;
    }

  g_critical ("No empty state for the page “%s”", self->page_name);
}

static void
cp_empty_page_finalize (GObject *object)
{
  CpEmptyPage *self = CP_EMPTY_PAGE (object);

  g_free (self->page_name);
  G_OBJECT_CLASS (cp_empty_page_parent_class)->finalize (object);
}

static void
cp_empty_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CpEmptyPage *self = CP_EMPTY_PAGE (object);

  switch (prop_id)
    {
    case PROP_PAGE_NAME:
      g_value_set_string (value, self->page_name);
      break;
    case PROP_SANDBOX:
      g_value_set_boolean (value, self->sandbox);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_empty_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CpEmptyPage *self = CP_EMPTY_PAGE (object);

  switch (prop_id)
    {
    case PROP_PAGE_NAME:
      self->page_name = g_value_dup_string (value);
      break;
    case PROP_SANDBOX:
      self->sandbox = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_empty_page_class_init (CpEmptyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cp_empty_page_constructed;
  object_class->finalize = cp_empty_page_finalize;
  object_class->get_property = cp_empty_page_get_property;
  object_class->set_property = cp_empty_page_set_property;

  properties[PROP_PAGE_NAME] =
    g_param_spec_string ("page-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SANDBOX] =
    g_param_spec_boolean ("sandbox", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/* A card under the description, hidden until the window learns that
 * something this page needs is missing (the keyring, on Integrations). */
static void
build_warning (CpEmptyPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (_("Passwords Cannot Be Stored"));
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_name (box, "credentials-warning");
  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (box, 300, -1);
  gtk_widget_set_margin_start (texts, 6);
  gtk_widget_set_margin_end (texts, 18);
  gtk_widget_set_margin_top (texts, 12);
  gtk_widget_set_margin_bottom (texts, 12);

  gtk_widget_add_css_class (icon, "warning");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_margin_start (icon, 18);
  gtk_widget_set_margin_top (icon, 14);
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 24);

  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_add_css_class (heading, "warning");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);

  gtk_box_append (GTK_BOX (texts), heading);
  gtk_box_append (GTK_BOX (texts), label);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_widget_set_visible (box, FALSE);

  self->warning = box;
  self->warning_label = GTK_LABEL (label);
  adw_status_page_set_child (self->status_page, box);
}

static void
cp_empty_page_init (CpEmptyPage *self)
{
  self->status_page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->status_page));
  build_warning (self);
}

GtkWidget *
cp_empty_page_new (const char *page_name,
                   gboolean    sandbox)
{
  return g_object_new (CP_TYPE_EMPTY_PAGE,
                       "page-name", page_name,
                       "sandbox", sandbox,
                       NULL);
}

const char *
cp_empty_page_get_title (CpEmptyPage *self)
{
  g_return_val_if_fail (CP_IS_EMPTY_PAGE (self), NULL);
  return adw_status_page_get_title (self->status_page);
}

void
cp_empty_page_set_warning (CpEmptyPage *self,
                           const char  *message)
{
  g_return_if_fail (CP_IS_EMPTY_PAGE (self));

  gtk_label_set_label (self->warning_label, message != NULL ? message : "");
  gtk_widget_set_visible (self->warning, message != NULL);
}
