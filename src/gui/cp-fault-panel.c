/* cp-fault-panel.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every change goes straight to the server's fault injector
 * (cp_sandbox_faults_set_spec is thread-safe), so the next request the
 * engine sends already sees it.
 */

#define G_LOG_DOMAIN "cp-fault-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-fault-panel.h"

typedef enum
{
  FIELD_5XX,
  FIELD_429,
  FIELD_RETRY_AFTER,
  FIELD_RESET,
  FIELD_TRUNCATE,
  FIELD_MALFORMED,
  FIELD_LATENCY,
  FIELD_SPIKE,
  FIELD_SPIKE_MS,
  N_FIELDS
} Field;

static const struct {
  const char *name;
  const char *title;
  const char *subtitle;
  double      max;
} fields[N_FIELDS] = {
  { "5xx", N_("Server errors"), N_("Percent of requests answered with 500 or 503"), 100 },
  { "429", N_("Slow down"), N_("Percent of requests answered with 429"), 100 },
  { "retry-after", N_("Wait asked for"), N_("Seconds in the Retry-After of a 429"), 3600 },
  { "reset", N_("Connection resets"), N_("Percent of requests applied, then cut off without an answer"), 100 },
  { "truncate", N_("Cut-off answers"), N_("Percent of answers shorter than they say"), 100 },
  { "malformed", N_("Garbled answers"), N_("Percent of answers that are not valid JSON"), 100 },
  { "latency", N_("Latency"), N_("Milliseconds added to every request"), 60000 },
  { "spike", N_("Latency spikes"), N_("Percent of requests that are much slower"), 100 },
  { "spike-ms", N_("Spike length"), N_("Milliseconds a spike adds"), 60000 },
};

struct _CpFaultPanel
{
  AdwWindow        parent_instance;

  CpSandboxServer *server;
  GtkSpinButton   *spins[N_FIELDS];
  GtkLabel        *spec_label;
  gboolean         updating;
};

G_DEFINE_FINAL_TYPE (CpFaultPanel, cp_fault_panel, ADW_TYPE_WINDOW)

static guint32
percent_to_ppm (double percent)
{
  return (guint32) CLAMP (percent * 10000.0 + 0.5, 0, 1000000);
}

static void
show_spec (CpFaultPanel *self)
{
  CpSandboxFaultSpec spec;
  g_autofree char *text = NULL;

  cp_sandbox_faults_get_spec (cp_sandbox_server_get_faults (self->server), &spec);
  text = cp_sandbox_fault_spec_to_string (&spec);
  /* The same string counterpart-cli sandbox serve --faults takes. */
  gtk_label_set_label (self->spec_label, text);

  self->updating = TRUE;
  gtk_spin_button_set_value (self->spins[FIELD_5XX], spec.p_5xx / 10000.0);
  gtk_spin_button_set_value (self->spins[FIELD_429], spec.p_429 / 10000.0);
  gtk_spin_button_set_value (self->spins[FIELD_RETRY_AFTER], spec.retry_after_s);
  gtk_spin_button_set_value (self->spins[FIELD_RESET], spec.p_reset / 10000.0);
  gtk_spin_button_set_value (self->spins[FIELD_TRUNCATE], spec.p_truncate / 10000.0);
  gtk_spin_button_set_value (self->spins[FIELD_MALFORMED], spec.p_malformed / 10000.0);
  gtk_spin_button_set_value (self->spins[FIELD_LATENCY], spec.latency_ms);
  gtk_spin_button_set_value (self->spins[FIELD_SPIKE], spec.p_spike / 10000.0);
  gtk_spin_button_set_value (self->spins[FIELD_SPIKE_MS], spec.spike_ms);
  self->updating = FALSE;
}

static void
value_changed_cb (CpFaultPanel *self)
{
  CpSandboxFaultSpec spec;

  if (self->updating)
    return;

  /* Keep the seed: the same faults in the same order on a rerun. */
  cp_sandbox_faults_get_spec (cp_sandbox_server_get_faults (self->server), &spec);
  spec.p_5xx = percent_to_ppm (gtk_spin_button_get_value (self->spins[FIELD_5XX]));
  spec.p_429 = percent_to_ppm (gtk_spin_button_get_value (self->spins[FIELD_429]));
  spec.retry_after_s = gtk_spin_button_get_value_as_int (self->spins[FIELD_RETRY_AFTER]);
  spec.p_reset = percent_to_ppm (gtk_spin_button_get_value (self->spins[FIELD_RESET]));
  spec.p_truncate = percent_to_ppm (gtk_spin_button_get_value (self->spins[FIELD_TRUNCATE]));
  spec.p_malformed = percent_to_ppm (gtk_spin_button_get_value (self->spins[FIELD_MALFORMED]));
  spec.latency_ms = gtk_spin_button_get_value_as_int (self->spins[FIELD_LATENCY]);
  spec.p_spike = percent_to_ppm (gtk_spin_button_get_value (self->spins[FIELD_SPIKE]));
  spec.spike_ms = gtk_spin_button_get_value_as_int (self->spins[FIELD_SPIKE_MS]);
  cp_sandbox_faults_set_spec (cp_sandbox_server_get_faults (self->server), &spec);
  show_spec (self);
}

static void
preset (CpFaultPanel *self,
        const char   *text)
{
  g_autoptr(GError) error = NULL;

  if (!cp_sandbox_faults_set_from_string (cp_sandbox_server_get_faults (self->server), text, &error))
    g_warning ("Bad fault preset “%s”: %s", text, error->message);
  show_spec (self);
}

static void
none_clicked_cb (CpFaultPanel *self)
{
  preset (self, "none");
}

static void
everything_clicked_cb (CpFaultPanel *self)
{
  /* The "every fault at once" mix. */
  preset (self, "5xx=0.1,429=0.05,reset=0.02,truncate=0.01,malformed=0.01,latency=20ms,spike=0.01:2s,retry_after=2");
}

static void
cp_fault_panel_dispose (GObject *object)
{
  CpFaultPanel *self = CP_FAULT_PANEL (object);

  g_clear_object (&self->server);
  G_OBJECT_CLASS (cp_fault_panel_parent_class)->dispose (object);
}

static void
cp_fault_panel_class_init (CpFaultPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cp_fault_panel_dispose;
}

static void
cp_fault_panel_init (CpFaultPanel *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *presets = adw_preferences_group_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *none = gtk_button_new_with_mnemonic (_("All _Off"));
  GtkWidget *everything = gtk_button_new_with_mnemonic (_("_Everything at Once"));
  GtkWidget *spec_row = adw_action_row_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Sandbox Faults"));
  gtk_window_set_default_size (GTK_WINDOW (self), 460, 640);
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Make the Sandbox Stores Misbehave"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("For developers: what can go wrong between Counterpart and a real store, "
                                           "on demand. Changes apply to the next request."));
  for (guint i = 0; i < N_FIELDS; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *spin = gtk_spin_button_new_with_range (0, fields[i].max, fields[i].max > 100 ? 1 : 0.5);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(fields[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(fields[i].subtitle));
      gtk_widget_set_name (spin, fields[i].name);
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      if (fields[i].max <= 100)
        gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
      g_signal_connect_swapped (spin, "value-changed", G_CALLBACK (value_changed_cb), self);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      self->spins[i] = GTK_SPIN_BUTTON (spin);
    }

  g_signal_connect_swapped (none, "clicked", G_CALLBACK (none_clicked_cb), self);
  g_signal_connect_swapped (everything, "clicked", G_CALLBACK (everything_clicked_cb), self);
  gtk_widget_add_css_class (everything, "destructive-action");
  gtk_box_append (GTK_BOX (buttons), none);
  gtk_box_append (GTK_BOX (buttons), everything);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (presets), buttons);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (presets), _("Presets"));

  self->spec_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_selectable (self->spec_label, TRUE);
  gtk_label_set_wrap (self->spec_label, TRUE);
  gtk_label_set_wrap_mode (self->spec_label, PANGO_WRAP_CHAR);
  gtk_label_set_xalign (self->spec_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->spec_label), "monospace");
  gtk_widget_set_direction (GTK_WIDGET (self->spec_label), GTK_TEXT_DIR_LTR);
  gtk_widget_set_margin_top (GTK_WIDGET (self->spec_label), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->spec_label), 12);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (spec_row), _("As --faults"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (spec_row), GTK_WIDGET (self->spec_label));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (presets), spec_row);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (presets));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (self), box);
}

GtkWidget *
cp_fault_panel_new (CpSandboxServer *server)
{
  CpFaultPanel *self;

  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (server), NULL);

  self = g_object_new (CP_TYPE_FAULT_PANEL, NULL);
  self->server = g_object_ref (server);
  show_spec (self);
  return GTK_WIDGET (self);
}
