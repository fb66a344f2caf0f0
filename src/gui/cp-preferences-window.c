/* cp-preferences-window.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every row is bound to a GSettings key, so a change is saved at once
 * and there is no Apply button. Keys the installed schema lacks leave
 * their row insensitive rather than crashing on an unknown key.
 */

#define G_LOG_DOMAIN "cp-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-api-preferences.h"
#include "cp-application.h"
#include "cp-catalog.h"
#include "cp-preferences-window.h"

/* The order of the rows of the Style combo. */
static const char *color_schemes[] = { "default", "light", "dark" };

struct _CpPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkSwitch            *background_switch;
  GtkWidget            *background_row;
  GtkSwitch            *autostart_switch;
  GtkWidget            *autostart_row;
  AdwComboRow          *style_row;
  AdwComboRow          *location_row;

  GSettings            *settings;
  CpLedger             *ledger;
  GPtrArray            *location_codes;  /* index of location_row → code; "" first */
};

G_DEFINE_FINAL_TYPE (CpPreferencesWindow, cp_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_LEDGER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
has_key (CpPreferencesWindow *self,
         const char          *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  if (self->settings == NULL)
    return FALSE;
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  return g_settings_schema_has_key (schema, key);
}

static gboolean
string_to_index (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  const char *text = g_variant_get_string (variant, NULL);
  GPtrArray *choices = user_data;

  for (guint i = 0; i < choices->len; i++)
    if (g_strcmp0 (g_ptr_array_index (choices, i), text) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
index_to_string (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  GPtrArray *choices = user_data;
  guint index = g_value_get_uint (value);

  if (index >= choices->len)
    return NULL;
  return g_variant_new_string (g_ptr_array_index (choices, index));
}

static void
bind_switch (CpPreferencesWindow *self,
             const char          *key,
             GtkSwitch           *toggle,
             GtkWidget           *row)
{
  if (!has_key (self, key))
    {
      gtk_widget_set_sensitive (row, FALSE);
      return;
    }
  g_settings_bind (self->settings, key, toggle, "active", G_SETTINGS_BIND_DEFAULT);
}

static void
setup_style_row (CpPreferencesWindow *self)
{
  GPtrArray *choices;

  if (!has_key (self, "color-scheme"))
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->style_row), FALSE);
      return;
    }

  choices = g_ptr_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (color_schemes); i++)
    g_ptr_array_add (choices, (gpointer) color_schemes[i]);

  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                self->style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                string_to_index, index_to_string,
                                choices, (GDestroyNotify) g_ptr_array_unref);
}

static void
setup_location_row (CpPreferencesWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) locations = NULL;

  /* "" means: the ledger's first location, as counterpart-cli does. */
  gtk_string_list_append (names, _("First Location"));
  g_ptr_array_add (self->location_codes, g_strdup (""));

  if (self->ledger != NULL)
    locations = cp_locations_list (self->ledger, NULL);

  for (guint i = 0; locations != NULL && i < locations->len; i++)
    {
      const CpLocation *location = g_ptr_array_index (locations, i);
      g_autofree char *label = NULL;

      /* Translators: a location's name and its code, "Main Store (MAIN)". */
      label = g_strdup_printf (_("%s (%s)"), location->name, location->code);
      gtk_string_list_append (names, label);
      g_ptr_array_add (self->location_codes, g_strdup (location->code));
    }

  adw_combo_row_set_model (self->location_row, G_LIST_MODEL (names));

  if (!has_key (self, "default-location"))
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->location_row), FALSE);
      return;
    }

  g_settings_bind_with_mapping (self->settings, "default-location",
                                self->location_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                string_to_index, index_to_string,
                                g_ptr_array_ref (self->location_codes),
                                (GDestroyNotify) g_ptr_array_unref);
}

/* The Local API page (cp-api-preferences.c) shows the server the app
 * runs, so it needs the app; a window made without one shows the page
 * with the switch alone. */
static void
add_api_page (CpPreferencesWindow *self)
{
  GApplication *app = g_application_get_default ();
  GtkWidget *page;

  page = cp_api_preferences_new (self->settings, self->ledger,
                                 CP_IS_APPLICATION (app) ? CP_APPLICATION (app) : NULL);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));
}

static void
cp_preferences_window_constructed (GObject *object)
{
  CpPreferencesWindow *self = CP_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (cp_preferences_window_parent_class)->constructed (object);

  bind_switch (self, "run-in-background", self->background_switch, self->background_row);
  bind_switch (self, "autostart", self->autostart_switch, self->autostart_row);
  setup_style_row (self);
  setup_location_row (self);
  add_api_page (self);
}

static void
cp_preferences_window_dispose (GObject *object)
{
  CpPreferencesWindow *self = CP_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->ledger);
  g_clear_pointer (&self->location_codes, g_ptr_array_unref);

  G_OBJECT_CLASS (cp_preferences_window_parent_class)->dispose (object);
}

static void
cp_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CpPreferencesWindow *self = CP_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_LEDGER:
      g_value_set_object (value, self->ledger);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CpPreferencesWindow *self = CP_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_set_object (&self->settings, g_value_get_object (value));
      break;
    case PROP_LEDGER:
      g_set_object (&self->ledger, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_preferences_window_class_init (CpPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cp_preferences_window_constructed;
  object_class->dispose = cp_preferences_window_dispose;
  object_class->get_property = cp_preferences_window_get_property;
  object_class->set_property = cp_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LEDGER] =
    g_param_spec_object ("ledger", NULL, NULL, CP_TYPE_LEDGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cp-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, background_row);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, autostart_switch);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, autostart_row);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, CpPreferencesWindow, location_row);
}

static void
cp_preferences_window_init (CpPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->location_codes = g_ptr_array_new_with_free_func (g_free);
}

GtkWidget *
cp_preferences_window_new (GSettings *settings,
                           CpLedger  *ledger)
{
  return g_object_new (CP_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       "ledger", ledger,
                       NULL);
}
