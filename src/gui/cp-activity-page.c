/* cp-activity-page.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Never everything at once: the list holds the pages read so far, each
 * read with cp_activity_query() keyed on the last id shown (an index
 * seek, however long the log). When something new happens, only the
 * newest page is read again and what is new goes on top, so rows a
 * person opened stay open.
 */

#define G_LOG_DOMAIN "cp-activity-page"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cp-activity-page-private.h"
#include "cp-activity-page.h"
#include "cp-application.h"
#include "cp-integration-row.h"
#include "cp-integrations.h"
#include "cp-outbox.h"
#include "cp-page-toast.h"
#include "cp-relative-time.h"

/* Time filter: seconds back from now, 0 for any time. */
static const struct { const char *title; gint64 seconds; } time_ranges[] = {
  { N_("Any time"), 0 },
  { N_("Last hour"), 3600 },
  { N_("Last 24 hours"), 24 * 3600 },
  { N_("Last 7 days"), 7 * 24 * 3600 },
  { N_("Last 30 days"), 30 * 24 * 3600 },
};

gint64
cp_activity_attention_count (CpLedger  *ledger,
                             GError   **error)
{
  g_autoptr(GPtrArray) integrations = NULL;
  guint dead = 0;
  gint64 count = 0;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), -1);

  /* What needs a person now, not what once went wrong: jobs given up on
   * (each needs a Retry) and integrations waiting for a fix. */
  if (!cp_outbox_count (ledger, NULL, NULL, NULL, &dead, error))
    return -1;
  integrations = cp_integrations_list (ledger, error);
  if (integrations == NULL)
    return -1;

  count = dead;
  for (guint i = 0; i < integrations->len; i++)
    if (((CpIntegration *) g_ptr_array_index (integrations, i))->attention != NULL)
      count++;
  return count;
}

struct _CpActivityPage
{
  AdwBin          parent_instance;

  GtkDropDown    *integration_dropdown;
  GtkDropDown    *type_dropdown;
  GtkDropDown    *severity_dropdown;
  GtkDropDown    *time_dropdown;
  GtkButton      *retry_all_button;
  GtkStack       *stack;
  AdwStatusPage  *empty_status;
  GtkListBox     *list;
  GtkWidget      *more_button;

  CpLedger       *ledger;
  GPtrArray      *integration_ids;   /* char*, index 0 is NULL: all */
  GHashTable     *integration_names; /* id → name */

  char           *filter_integration;
  char           *filter_type;
  gboolean        filter_has_severity;
  CpActivitySeverity filter_severity;
  gint64          filter_since;

  gint64          newest_id;
  gint64          oldest_id;
  guint           n_events;
  gboolean        setting_filter;
  guint           refresh_id;
};

G_DEFINE_FINAL_TYPE (CpActivityPage, cp_activity_page, ADW_TYPE_BIN)

/* One event */

static char *
pretty_details (const char *details)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = NULL;

  /* Written by Counterpart itself, already redacted and cut short. */
  if (!json_parser_load_from_data (parser, details, -1, NULL) || json_parser_get_root (parser) == NULL)
    return g_strdup (details);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, json_parser_get_root (parser));
  return json_generator_to_data (generator, NULL);
}

static GtkWidget *
add_section (GtkWidget  *box,
             const char *heading,
             const char *text,
             gboolean    monospace)
{
  GtkWidget *title = gtk_label_new (heading);
  GtkWidget *body = gtk_label_new (text);

  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (body), 0);
  gtk_label_set_wrap (GTK_LABEL (body), TRUE);
  gtk_label_set_selectable (GTK_LABEL (body), TRUE);
  if (monospace)
    {
      /* JSON reads left to right, and breaks anywhere. */
      gtk_widget_add_css_class (body, "monospace");
      gtk_widget_add_css_class (body, "activity-details");
      gtk_label_set_wrap_mode (GTK_LABEL (body), PANGO_WRAP_CHAR);
      gtk_widget_set_direction (body, GTK_TEXT_DIR_LTR);
    }
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), body);
  return body;
}

static void retry_clicked_cb (GtkButton *button, CpActivityPage *self);

static GtkWidget *
create_row (CpActivityPage        *self,
            const CpActivityEvent *event,
            gint64                 now_us)
{
  g_autofree char *when = cp_relative_time_format (event->at, now_us);
  g_autofree char *exact = cp_exact_time_format (event->at);
  g_autofree char *subtitle = NULL;
  const char *integration_name = NULL;
  const char *icon_name;
  GtkWidget *row;
  GtkWidget *icon;

  if (event->integration_id != NULL)
    {
      integration_name = g_hash_table_lookup (self->integration_names, event->integration_id);
      if (integration_name == NULL)
        integration_name = event->integration_id;
    }
  if (integration_name != NULL)
    {
      /* A store's name reads in its own direction (FSI…PDI). */
      g_autofree char *isolated = g_strdup_printf ("\u2068%s\u2069", integration_name);

      /* Translators: the kind of event, the integration, then when. */
      subtitle = g_strdup_printf (_("%s · %s · %s"), cp_activity_type_title (event->type),
                                  isolated, when);
    }
  else
    subtitle = g_strdup_printf (_("%s · %s"), cp_activity_type_title (event->type), when);

  icon_name = event->severity == CP_ACTIVITY_ERROR ? "dialog-error-symbolic"
              : event->severity == CP_ACTIVITY_WARNING ? "dialog-warning-symbolic"
              : "emblem-ok-symbolic";
  icon = gtk_image_new_from_icon_name (icon_name);
  gtk_widget_add_css_class (icon, event->severity == CP_ACTIVITY_ERROR ? "error"
                                  : event->severity == CP_ACTIVITY_WARNING ? "warning"
                                  : "dim-label");

  if (event->severity == CP_ACTIVITY_INFO)
    {
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), event->message);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  else
    {
      g_autoptr(CpOutboxJob) job = NULL;
      g_autofree char *next = NULL;
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *next_label;

      /* A failure opens to the four answers a person looks for. */
      if (event->job_id > 0)
        job = cp_outbox_get (self->ledger, event->job_id, NULL);
      next = cp_activity_describe_next (event, job, now_us);

      row = adw_expander_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), event->message);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), icon);
      gtk_widget_add_css_class (row, "activity-failure");

      gtk_widget_set_margin_start (box, 18);
      gtk_widget_set_margin_end (box, 18);
      gtk_widget_set_margin_top (box, 12);
      gtk_widget_set_margin_bottom (box, 12);
      add_section (box, _("What happened"), event->message, FALSE);
      next_label = add_section (box, _("What Counterpart will do"), next, FALSE);
      add_section (box, _("What you can do"), cp_activity_describe_remedy (event, job), FALSE);
      if (event->details != NULL && *event->details != '\0')
        {
          g_autofree char *pretty = pretty_details (event->details);

          add_section (box, _("Details for whoever helps you"), pretty, TRUE);
        }

      if (job != NULL && job->state == CP_JOB_DEAD)
        {
          GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Retry"));

          gtk_widget_set_name (retry, "retry-button");
          gtk_widget_set_halign (retry, GTK_ALIGN_START);
          gtk_widget_set_margin_top (retry, 6);
          gtk_widget_add_css_class (retry, "suggested-action");
          g_object_set_data (G_OBJECT (retry), "job-id", GINT_TO_POINTER (0));
          g_object_set_data_full (G_OBJECT (retry), "job", g_memdup2 (&event->job_id, sizeof event->job_id), g_free);
          g_object_set_data (G_OBJECT (retry), "next-label", next_label);
          g_signal_connect (retry, "clicked", G_CALLBACK (retry_clicked_cb), self);
          gtk_box_append (GTK_BOX (box), retry);
        }

      {
        GtkWidget *child = gtk_list_box_row_new ();

        gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (child), FALSE);
        gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (child), box);
        adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);
      }
    }

  gtk_widget_set_tooltip_text (row, exact);
  g_object_set_data_full (G_OBJECT (row), "event-id", g_memdup2 (&event->id, sizeof event->id), g_free);
  return row;
}

/* Loading */

static GPtrArray *
query (CpActivityPage  *self,
       gint64           before_id,
       GError         **error)
{
  CpActivityQuery q = { 0 };

  q.integration_id = self->filter_integration;
  q.type = self->filter_type;
  q.has_min_severity = self->filter_has_severity;
  q.min_severity = self->filter_severity;
  q.since = self->filter_since > 0 ? g_get_real_time () - self->filter_since * G_USEC_PER_SEC : 0;
  q.before_id = before_id;
  q.limit = CP_ACTIVITY_PAGE_SIZE;
  return cp_activity_query (self->ledger, &q, error);
}

static void
update_retry_all (CpActivityPage *self)
{
  guint dead = 0;
  g_autofree char *label = NULL;

  if (!cp_outbox_count (self->ledger, self->filter_integration, NULL, NULL, &dead, NULL))
    dead = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->retry_all_button), dead > 0);
  label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Retry %u Change", "_Retry All %u Changes", dead), dead);
  gtk_button_set_label (self->retry_all_button, label);
}

static void
update_empty (CpActivityPage *self)
{
  gboolean filtered = self->filter_integration != NULL || self->filter_type != NULL ||
                      self->filter_has_severity || self->filter_since > 0;

  if (self->n_events > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
      return;
    }
  if (filtered)
    {
      adw_status_page_set_title (self->empty_status, _("Nothing Matches"));
      adw_status_page_set_description (self->empty_status,
                                       _("No activity matches these filters. Choose “All” in a filter to see more."));
    }
  else
    {
      adw_status_page_set_title (self->empty_status, _("Nothing to Report"));
      adw_status_page_set_description (self->empty_status,
                                       _("Every sync with your stores and services is listed here: what went well, "
                                         "what failed, what Counterpart will do next and what you can do."));
    }
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
append_events (CpActivityPage *self,
               GPtrArray      *events)
{
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < events->len; i++)
    {
      const CpActivityEvent *event = g_ptr_array_index (events, i);

      gtk_list_box_append (self->list, create_row (self, event, now));
      self->n_events++;
      if (self->newest_id == 0 || event->id > self->newest_id)
        self->newest_id = event->id;
      if (self->oldest_id == 0 || event->id < self->oldest_id)
        self->oldest_id = event->id;
    }
  gtk_widget_set_visible (self->more_button, events->len == CP_ACTIVITY_PAGE_SIZE);
}

static void
reload (CpActivityPage *self)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  self->n_events = 0;
  self->newest_id = 0;
  self->oldest_id = 0;

  events = query (self, 0, &error);
  if (events == NULL)
    {
      g_warning ("Could not read the activity: %s", error->message);
      events = g_ptr_array_new ();
    }
  append_events (self, events);
  update_retry_all (self);
  update_empty (self);
}

gboolean
cp_activity_page_load_more (CpActivityPage *self)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CP_IS_ACTIVITY_PAGE (self), FALSE);

  if (self->oldest_id <= 0)
    return FALSE;
  events = query (self, self->oldest_id, &error);
  if (events == NULL)
    {
      cp_page_add_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return FALSE;
    }
  append_events (self, events);
  return events->len > 0;
}

void
cp_activity_page_refresh (CpActivityPage *self)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  gint64 newest = self->newest_id;

  g_return_if_fail (CP_IS_ACTIVITY_PAGE (self));
  g_clear_handle_id (&self->refresh_id, g_source_remove);

  if (self->n_events == 0)
    {
      reload (self);
      return;
    }

  events = query (self, 0, &error);
  if (events == NULL)
    {
      g_warning ("Could not read the activity: %s", error->message);
      return;
    }
  /* Newest first: insert the new ones above, oldest of them lowest. */
  for (guint i = events->len; i > 0; i--)
    {
      const CpActivityEvent *event = g_ptr_array_index (events, i - 1);

      if (event->id <= newest)
        continue;
      gtk_list_box_prepend (self->list, create_row (self, event, now));
      self->n_events++;
      self->newest_id = MAX (self->newest_id, event->id);
    }
  update_retry_all (self);
  update_empty (self);
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  CpActivityPage *self = user_data;

  self->refresh_id = 0;
  cp_activity_page_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
changed_cb (CpActivityPage *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_idle_cb, self);
}

/* Filters */

static void
fill_integrations (CpActivityPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) integrations = cp_integrations_list (self->ledger, NULL);

  g_ptr_array_set_size (self->integration_ids, 0);
  g_hash_table_remove_all (self->integration_names);
  gtk_string_list_append (names, _("All integrations"));
  g_ptr_array_add (self->integration_ids, NULL);
  for (guint i = 0; integrations != NULL && i < integrations->len; i++)
    {
      const CpIntegration *integration = g_ptr_array_index (integrations, i);

      gtk_string_list_append (names, integration->name);
      g_ptr_array_add (self->integration_ids, g_strdup (integration->id));
      g_hash_table_insert (self->integration_names, g_strdup (integration->id), g_strdup (integration->name));
    }
  self->setting_filter = TRUE;
  gtk_drop_down_set_model (self->integration_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->integration_dropdown, 0);
  for (guint i = 1; i < self->integration_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->integration_ids, i), self->filter_integration) == 0)
      gtk_drop_down_set_selected (self->integration_dropdown, i);
  self->setting_filter = FALSE;
}

static void
filter_changed_cb (CpActivityPage *self)
{
  guint integration = gtk_drop_down_get_selected (self->integration_dropdown);
  guint type = gtk_drop_down_get_selected (self->type_dropdown);
  guint severity = gtk_drop_down_get_selected (self->severity_dropdown);
  guint range = gtk_drop_down_get_selected (self->time_dropdown);

  if (self->setting_filter || self->ledger == NULL)
    return;

  g_free (self->filter_integration);
  self->filter_integration = integration > 0 && integration < self->integration_ids->len
                             ? g_strdup (g_ptr_array_index (self->integration_ids, integration)) : NULL;
  g_free (self->filter_type);
  self->filter_type = type > 0 && type <= cp_activity_n_types () ? g_strdup (cp_activity_type_at (type - 1)) : NULL;
  self->filter_has_severity = severity > 0 && severity != GTK_INVALID_LIST_POSITION;
  self->filter_severity = severity == 2 ? CP_ACTIVITY_ERROR : CP_ACTIVITY_WARNING;
  self->filter_since = range < G_N_ELEMENTS (time_ranges) ? time_ranges[range].seconds : 0;
  reload (self);
}

void
cp_activity_page_set_filter (CpActivityPage     *self,
                             const char         *integration_id,
                             const char         *type,
                             gboolean            has_min_severity,
                             CpActivitySeverity  min_severity,
                             gint64              since_us)
{
  g_return_if_fail (CP_IS_ACTIVITY_PAGE (self));

  /* Through the drop-downs, so what they show is what is filtered. */
  self->setting_filter = TRUE;
  gtk_drop_down_set_selected (self->integration_dropdown, 0);
  for (guint i = 1; i < self->integration_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->integration_ids, i), integration_id) == 0)
      gtk_drop_down_set_selected (self->integration_dropdown, i);
  gtk_drop_down_set_selected (self->type_dropdown, 0);
  for (guint i = 0; i < cp_activity_n_types (); i++)
    if (g_strcmp0 (cp_activity_type_at (i), type) == 0)
      gtk_drop_down_set_selected (self->type_dropdown, i + 1);
  gtk_drop_down_set_selected (self->severity_dropdown,
                              !has_min_severity ? 0 : min_severity == CP_ACTIVITY_ERROR ? 2 : 1);
  gtk_drop_down_set_selected (self->time_dropdown, 0);
  self->setting_filter = FALSE;

  filter_changed_cb (self);
  /* A bound of its own (the drop-down has set ranges). */
  if (since_us > 0)
    {
      self->filter_since = MAX (1, (g_get_real_time () - since_us) / G_USEC_PER_SEC);
      reload (self);
    }
}

/* Retry */

static void
retry_clicked_cb (GtkButton      *button,
                  CpActivityPage *self)
{
  gint64 job_id = *(gint64 *) g_object_get_data (G_OBJECT (button), "job");
  GtkLabel *next_label = g_object_get_data (G_OBJECT (button), "next-label");
  g_autoptr(GError) error = NULL;
  GApplication *app = g_application_get_default ();
  g_autoptr(CpOutboxJob) job = NULL;

  /* One row: tiny. */
  if (!cp_outbox_retry (self->ledger, job_id, &error))
    {
      cp_page_add_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  job = cp_outbox_get (self->ledger, job_id, NULL);
  gtk_label_set_label (next_label, _("It will try again in a moment."));
  gtk_widget_set_visible (GTK_WIDGET (button), FALSE);
  cp_ledger_emit_changed (self->ledger, "outbox");
  if (app != NULL && CP_IS_APPLICATION (app) && cp_application_get_engine (CP_APPLICATION (app)) != NULL)
    cp_engine_sync_now (cp_application_get_engine (CP_APPLICATION (app)),
                        job != NULL ? job->integration_id : NULL);
  cp_page_add_toast (GTK_WIDGET (self), adw_toast_new (_("Sending it again")));
  update_retry_all (self);
}

static void
retry_all_clicked_cb (CpActivityPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  GApplication *app = g_application_get_default ();
  guint n;

  n = cp_outbox_retry_all_dead (self->ledger, self->filter_integration, &error);
  if (error != NULL)
    {
      cp_page_add_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  cp_ledger_emit_changed (self->ledger, "outbox");
  if (app != NULL && CP_IS_APPLICATION (app) && cp_application_get_engine (CP_APPLICATION (app)) != NULL)
    cp_engine_sync_now (cp_application_get_engine (CP_APPLICATION (app)), self->filter_integration);
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Sending %u change again",
                                        "Sending %u changes again", n), n);
  cp_page_add_toast (GTK_WIDGET (self), adw_toast_new (title));
  /* Their rows say what happens next now. */
  reload (self);
}

static void
more_clicked_cb (CpActivityPage *self)
{
  cp_activity_page_load_more (self);
}

/* GObject */

static void
cp_activity_page_dispose (GObject *object)
{
  CpActivityPage *self = CP_ACTIVITY_PAGE (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  /* The bin lets go of its child first: the template may hold it too. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_ACTIVITY_PAGE);
  g_clear_pointer (&self->integration_ids, g_ptr_array_unref);
  g_clear_pointer (&self->integration_names, g_hash_table_unref);
  g_clear_object (&self->ledger);
  G_OBJECT_CLASS (cp_activity_page_parent_class)->dispose (object);
}

static void
cp_activity_page_finalize (GObject *object)
{
  CpActivityPage *self = CP_ACTIVITY_PAGE (object);

  g_free (self->filter_integration);
  g_free (self->filter_type);
  G_OBJECT_CLASS (cp_activity_page_parent_class)->finalize (object);
}

static void
cp_activity_page_class_init (CpActivityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_activity_page_dispose;
  object_class->finalize = cp_activity_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cp-activity-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CpActivityPage, integration_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CpActivityPage, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CpActivityPage, severity_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CpActivityPage, time_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CpActivityPage, retry_all_button);
  gtk_widget_class_bind_template_child (widget_class, CpActivityPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CpActivityPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, CpActivityPage, list);
  gtk_widget_class_bind_template_child (widget_class, CpActivityPage, more_button);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_all_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, more_clicked_cb);
}

static void
cp_activity_page_init (CpActivityPage *self)
{
  g_autoptr(GtkStringList) types = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) severities = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) ranges = gtk_string_list_new (NULL);

  self->setting_filter = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->integration_ids = g_ptr_array_new_with_free_func (g_free);
  self->integration_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  gtk_string_list_append (types, _("All kinds"));
  for (guint i = 0; i < cp_activity_n_types (); i++)
    gtk_string_list_append (types, cp_activity_type_title (cp_activity_type_at (i)));
  gtk_drop_down_set_model (self->type_dropdown, G_LIST_MODEL (types));

  gtk_string_list_append (severities, _("Everything"));
  gtk_string_list_append (severities, _("Problems"));
  gtk_string_list_append (severities, _("Failures only"));
  gtk_drop_down_set_model (self->severity_dropdown, G_LIST_MODEL (severities));

  for (guint i = 0; i < G_N_ELEMENTS (time_ranges); i++)
    gtk_string_list_append (ranges, _(time_ranges[i].title));
  gtk_drop_down_set_model (self->time_dropdown, G_LIST_MODEL (ranges));
  self->setting_filter = FALSE;
}

static void
integrations_changed_cb (CpActivityPage *self)
{
  fill_integrations (self);
  changed_cb (self);
}

GtkWidget *
cp_activity_page_new (CpLedger *ledger)
{
  CpActivityPage *self;
  GApplication *app = g_application_get_default ();

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  self = g_object_new (CP_TYPE_ACTIVITY_PAGE, NULL);
  self->ledger = g_object_ref (ledger);
  fill_integrations (self);

  g_signal_connect_object (ledger, "changed::activity", G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (ledger, "changed::outbox", G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (ledger, "changed::integrations", G_CALLBACK (integrations_changed_cb),
                           self, G_CONNECT_SWAPPED);
  if (app != NULL && CP_IS_APPLICATION (app) && cp_application_get_engine (CP_APPLICATION (app)) != NULL)
    g_signal_connect_object (cp_application_get_engine (CP_APPLICATION (app)), "integration-changed",
                             G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);

  reload (self);
  return GTK_WIDGET (self);
}

guint
cp_activity_page_get_n_events (CpActivityPage *self)
{
  g_return_val_if_fail (CP_IS_ACTIVITY_PAGE (self), 0);
  return self->n_events;
}
