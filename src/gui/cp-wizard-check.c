/* cp-wizard-check.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The wizard's check, in a worker thread: the connection test, then the
 * SKU matching report against a scratch copy of the catalog
 * (cp-wizard-preview.c). A change to the answers while the store is
 * answering makes that answer stale: a serial number tells.
 */

#define G_LOG_DOMAIN "cp-integration-wizard"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-application.h"
#include "cp-credentials.h"
#include "cp-wizard-preview.h"
#include "cp-wizard-private.h"

/* The address to connect to, or NULL with a toast saying what is wrong. */
char *
cp_wizard_get_base_url (CpIntegrationWizard *self,
                        gboolean             toast)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (self->editing != NULL)
    return g_strdup (self->editing->base_url);

  if (cp_wizard_is_sandbox (self))
    {
      GApplication *app = g_application_get_default ();
      CpSandboxServer *server = NULL;

      if (app != NULL && CP_IS_APPLICATION (app))
        server = cp_application_get_sandbox_server (CP_APPLICATION (app), &error);
      if (server == NULL)
        {
          if (toast)
            cp_wizard_show_toast (self, error != NULL ? error->message : _("The sandbox is not running."));
          return NULL;
        }
      return cp_sandbox_server_dup_platform_url (server, cp_wizard_selected_platform (self)->platform);
    }

  url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));
  if (*url == '\0')
    {
      if (toast)
        cp_wizard_show_toast (self, _("Enter the store’s address, as you would type it in a browser."));
      return NULL;
    }
  if (!cp_integrations_validate_base_url (url, &error))
    {
      if (toast)
        cp_wizard_show_toast (self, error->message);
      return NULL;
    }
  return g_steal_pointer (&url);
}

/* The check */

typedef struct
{
  guint  serial;
  char  *platform;
  char  *base_url;
  char  *credentials;   /* NULL: the stored ones, under key */
  char  *key;
  char  *ledger_path;
  char  *account;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_free (data->platform);
  g_free (data->base_url);
  /* The credentials are wiped, not just freed. */
  if (data->credentials != NULL)
    explicit_bzero (data->credentials, strlen (data->credentials));
  g_free (data->credentials);
  g_free (data->key);
  g_free (data->ledger_path);
  g_free (data->account);
  g_free (data);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *data = task_data;
  CpMappingReport *report;
  GError *error = NULL;

  if (data->credentials == NULL)
    {
      data->credentials = cp_credentials_lookup_sync (data->key, cancellable, &error);
      if (data->credentials == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  report = cp_wizard_preview_run (data->ledger_path, data->platform, data->base_url,
                                  data->credentials, &data->account, cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) cp_mapping_report_free);
}


/* Right to left, a store's own words inside our sentence ("(HTTP 401,
 * authentication_error: …, request req_…)") are reordered with it:
 * its commas, colons and parentheses jump about. Each run of text that
 * starts with a letter or digit of a left-to-right script is isolated
 * (FSI…PDI) so it reads as one unit; punctuation after its last word,
 * and a closing parenthesis it did not open, stay with the sentence. */
static gboolean
is_rtl_char (gunichar c)
{
  GUnicodeScript script = g_unichar_get_script (c);

  /* A translator's direction marks (LRM, RLM, ALM) say where the
   * sentence's own punctuation belongs: they end a run too. */
  return script == G_UNICODE_SCRIPT_ARABIC || script == G_UNICODE_SCRIPT_HEBREW ||
         c == '\n' || c == 0x2068 || c == 0x2069 || c == 0x200E || c == 0x200F || c == 0x061C;
}

static char *
isolate_latin_runs (const char *text)
{
  GString *out = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);
      const char *start = p;
      const char *end = p;
      int depth = 0;

      if (!g_unichar_isalnum (c) || is_rtl_char (c))
        {
          const char *next = g_utf8_next_char (p);

          g_string_append_len (out, p, next - p);
          p = next;
          continue;
        }
      for (; *p != '\0' && !is_rtl_char (c = g_utf8_get_char (p)); p = g_utf8_next_char (p))
        {
          if (c == '(')
            depth++;
          else if (c == ')' && depth > 0)
            {
              depth--;
              end = g_utf8_next_char (p);
            }
          else if (g_unichar_isalnum (c))
            end = g_utf8_next_char (p);
        }
      g_string_append (out, "\u2068");
      g_string_append_len (out, start, end - start);
      g_string_append (out, "\u2069");
      g_string_append_len (out, end, p - end);
    }
  return g_string_free (out, FALSE);
}

/* TEXT as WIDGET shows it: isolated where it reads right to left. */
static char *
isolate_for_direction (GtkWidget  *widget,
                       const char *text)
{
  if (gtk_widget_get_direction (widget) != GTK_TEXT_DIR_RTL)
    return g_strdup (text);
  return isolate_latin_runs (text);
}

static void
checked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CpIntegrationWizard *self = CP_INTEGRATION_WIZARD (source);
  CheckData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  CpMappingReport *report = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_set_spinning (GTK_SPINNER (self->test_spinner), FALSE);
  gtk_widget_set_visible (self->test_spinner, FALSE);
  cp_wizard_set_busy (self, FALSE);
  /* Changed while the store was answering: that answer is for before. */
  if (data->serial != GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self), "check-serial")))
    {
      g_clear_pointer (&report, cp_mapping_report_free);
      if (cp_wizard_current_page (self) == CP_WIZARD_PAGE_TEST)
        cp_wizard_run_check (self);
      return;
    }

  g_clear_pointer (&self->check_result, g_free);
  if (report == NULL)
    {
      g_message ("Testing the connection failed: %s", error->message);
      /* The connectors' messages name the cause and the fix: as they are. */
      self->check_result = isolate_for_direction (GTK_WIDGET (self->test_label), error->message);
      adw_status_page_set_icon_name (self->test_status, "dialog-error-symbolic");
      adw_status_page_set_title (self->test_status, _("Could Not Connect"));
      gtk_label_set_text (self->test_label, self->check_result);
      gtk_widget_set_visible (self->retry_button, TRUE);
      /* The focus goes to what comes next, not into the message. */
      gtk_widget_grab_focus (self->retry_button);
      return;
    }

  self->check_passed = TRUE;
  g_clear_pointer (&self->report, cp_mapping_report_free);
  self->report = report;
  g_free (self->account_name);
  self->account_name = g_strdup (data->account);
  {
    guint matched = report->matched != NULL ? report->matched->len : 0;
    g_autofree char *matching = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "%u of your SKUs is in its catalog.",
                                                              "%u of your SKUs are in its catalog.", matched),
                                                 matched);

    if (data->account != NULL && *data->account != '\0')
      /* Translators: %s is the store's own name for itself; the second
       * is a sentence such as "12 of your SKUs are in its catalog." */
      text = g_strdup_printf (_("The store calls itself “%s”. %s"), data->account, matching);
    else
      text = g_strdup_printf (_("The store accepted the credentials. %s"), matching);
  }
  self->check_result = isolate_for_direction (GTK_WIDGET (self->test_label), text);
  adw_status_page_set_icon_name (self->test_status, "emblem-ok-symbolic");
  adw_status_page_set_title (self->test_status, _("Connected"));
  gtk_label_set_text (self->test_label, self->check_result);
  gtk_widget_set_visible (self->retry_button, FALSE);
  cp_wizard_show_report (self);
  cp_wizard_update_buttons (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->next_button));
}

void
cp_wizard_run_check (CpIntegrationWizard *self)
{
  const CpPlatformInfo *info = cp_wizard_selected_platform (self);
  g_autoptr(GTask) task = NULL;
  CheckData *data;
  char *url;

  if (info == NULL || self->busy)
    return;

  g_clear_pointer (&self->check_result, g_free);
  self->check_passed = FALSE;
  gtk_widget_set_visible (self->retry_button, FALSE);
  adw_status_page_set_icon_name (self->test_status, "network-transmit-receive-symbolic");
  adw_status_page_set_title (self->test_status, _("Testing the Connection"));

  url = cp_wizard_get_base_url (self, FALSE);
  if (url == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->check_result = g_strdup (_("The store’s address is missing or wrong. Go back and check it."));
      if (cp_wizard_is_sandbox (self))
        {
          GApplication *app = g_application_get_default ();

          if (app == NULL || !CP_IS_APPLICATION (app) ||
              cp_application_get_sandbox_server (CP_APPLICATION (app), &error) == NULL)
            {
              g_free (self->check_result);
              self->check_result = g_strdup (error != NULL ? error->message : _("The sandbox is not running."));
            }
        }
      adw_status_page_set_icon_name (self->test_status, "dialog-error-symbolic");
      adw_status_page_set_title (self->test_status, _("Could Not Connect"));
      gtk_label_set_text (self->test_label, self->check_result);
      gtk_widget_set_visible (self->retry_button, TRUE);
      return;
    }

  data = g_new0 (CheckData, 1);
  data->serial = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self), "check-serial"));
  data->platform = g_strdup (info->platform);
  data->base_url = url;
  data->ledger_path = g_strdup (cp_ledger_get_path (self->ledger));
  if (self->editing != NULL && !cp_wizard_is_sandbox (self) && !cp_wizard_typed_credentials (self))
    data->key = cp_integrations_credential_key (self->ledger, self->editing->id, NULL);
  else
    data->credentials = cp_wizard_build_credentials (self);
  if (data->credentials == NULL && data->key == NULL)
    data->key = g_strdup ("");

  gtk_label_set_text (self->test_label, _("Asking the store, then reading its catalog to match it with yours…"));
  gtk_widget_set_visible (self->test_spinner, TRUE);
  gtk_spinner_set_spinning (GTK_SPINNER (self->test_spinner), TRUE);
  cp_wizard_set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, checked_cb, NULL);
  g_task_set_source_tag (task, cp_wizard_run_check);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  g_task_run_in_thread (task, check_thread);
}

void
cp_wizard_reset_check (CpIntegrationWizard *self)
{
  guint serial = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self), "check-serial"));

  g_object_set_data (G_OBJECT (self), "check-serial", GUINT_TO_POINTER (serial + 1));
  self->check_passed = FALSE;
  g_clear_pointer (&self->check_result, g_free);
  g_clear_pointer (&self->report, cp_mapping_report_free);
}
