/* cp-integration-row.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The state of an integration is worked out from its ledger row alone
 * (attention, pause, waits, errors, queue), so every place that shows it
 * says the same thing in the same words.
 */

#define G_LOG_DOMAIN "cp-integration-row"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-application.h"
#include "cp-connector.h"
#include "cp-integration-row.h"
#include "cp-integration-wizard.h"
#include "cp-integrations-page.h"
#include "cp-outbox.h"
#include "cp-page-toast.h"
#include "cp-relative-time.h"
#include "cp-window.h"

/* The words */

const char *
cp_integration_platform_name (const char *platform)
{
  const CpPlatformInfo *info = cp_connector_lookup_platform (platform);

  if (info == NULL || info->display_name == NULL)
    return platform;
  return _(info->display_name);
}

char *
cp_integration_format_wait (gint64 wait_us)
{
  gint64 seconds = MAX (1, (wait_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  gint64 n;

  if (seconds < 120)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d second", "%d seconds", seconds),
                            (int) seconds);
  if (seconds < 2 * 3600)
    {
      n = (seconds + 59) / 60;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", n), (int) n);
    }
  n = (seconds + 3599) / 3600;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", n), (int) n);
}

/* "the API key", from the platform's first credential field. */
static const char *
credential_words (const char *platform)
{
  const CpPlatformInfo *info = cp_connector_lookup_platform (platform);
  const char *field = info != NULL && info->credential_fields != NULL ? info->credential_fields[0] : NULL;

  if (g_strcmp0 (field, "api_key") == 0)
    return _("the API key was rejected — enter it again");
  if (g_strcmp0 (field, "access_token") == 0)
    return _("the access token was rejected — enter it again");
  return _("the keys were rejected — enter them again");
}

void
cp_integration_status_describe (const CpIntegration *integration,
                                gint64               now_us,
                                CpIntegrationStatus *out)
{
  g_return_if_fail (integration != NULL);
  g_return_if_fail (out != NULL);

  memset (out, 0, sizeof *out);

  if (cp_integration_is_paused (integration))
    {
      out->health = CP_INTEGRATION_HEALTH_PAUSED;
      out->summary = g_strdup (_("Paused"));
      out->fix = CP_INTEGRATION_FIX_RESUME;
      out->fix_label = _("_Resume");
      out->icon_name = "media-playback-pause-symbolic";
      return;
    }

  if (integration->attention != NULL)
    {
      out->health = CP_INTEGRATION_HEALTH_ATTENTION;
      out->icon_name = "dialog-warning-symbolic";
      if (g_strcmp0 (integration->attention_kind, CP_ATTENTION_CREDENTIALS) == 0)
        {
          /* Translators: %s says what was rejected and what to do. */
          out->summary = g_strdup_printf (_("Needs attention: %s"), credential_words (integration->platform));
          out->fix = CP_INTEGRATION_FIX_CREDENTIALS;
          out->fix_label = _("_Enter Again");
        }
      else
        {
          out->summary = g_strdup_printf (_("Needs attention: %s"), integration->attention);
          out->fix = CP_INTEGRATION_FIX_DETAILS;
          out->fix_label = _("_Details");
        }
      return;
    }

  if (integration->dead_jobs > 0)
    {
      out->health = CP_INTEGRATION_HEALTH_ATTENTION;
      out->icon_name = "dialog-warning-symbolic";
      out->summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "Needs attention: %u change could not be sent",
                                                   "Needs attention: %u changes could not be sent",
                                                   integration->dead_jobs),
                                      integration->dead_jobs);
      out->fix = CP_INTEGRATION_FIX_RETRY;
      out->fix_label = _("_Retry");
      return;
    }

  if (integration->wait_until > now_us)
    {
      g_autofree char *wait = cp_integration_format_wait (integration->wait_until - now_us);

      out->health = CP_INTEGRATION_HEALTH_WAITING;
      out->icon_name = "alarm-symbolic";
      if (integration->last_error_at > integration->last_success_at && integration->last_error != NULL)
        /* Translators: %s is a duration such as "40 seconds". */
        out->summary = g_strdup_printf (_("Waiting: the last try failed, trying again in %s"), wait);
      else
        /* Translators: the first %s is the store's name, the second a
         * duration such as "40 seconds". */
        out->summary = g_strdup_printf (_("Waiting: %s asked us to slow down, resuming in %s"),
                                        integration->name, wait);
      return;
    }

  if (integration->last_error_at > integration->last_success_at && integration->last_error != NULL)
    {
      out->health = CP_INTEGRATION_HEALTH_TROUBLE;
      out->icon_name = "dialog-information-symbolic";
      /* Translators: %s is what went wrong, from the store. */
      out->summary = g_strdup_printf (_("Trying again: %s"), integration->last_error);
      out->tooltip = cp_exact_time_format (integration->last_error_at);
      out->fix = CP_INTEGRATION_FIX_DETAILS;
      out->fix_label = _("_Details");
      return;
    }

  if (integration->queue_depth > 0)
    {
      out->health = CP_INTEGRATION_HEALTH_BUSY;
      out->icon_name = "emblem-synchronizing-symbolic";
      out->summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "Syncing: %u change to send",
                                                   "Syncing: %u changes to send",
                                                   integration->queue_depth),
                                      integration->queue_depth);
      return;
    }

  if (integration->last_success_at == 0)
    {
      out->health = CP_INTEGRATION_HEALTH_NEW;
      out->icon_name = "emblem-synchronizing-symbolic";
      out->summary = g_strdup (_("Not synced yet"));
      return;
    }

  out->health = CP_INTEGRATION_HEALTH_OK;
  out->icon_name = "emblem-ok-symbolic";
  out->tooltip = cp_exact_time_format (integration->last_success_at);
  if (now_us - integration->last_success_at < 60 * G_USEC_PER_SEC)
    out->summary = g_strdup (_("Up to date, just now"));
  else
    {
      g_autofree char *when = cp_relative_time_format (integration->last_success_at, now_us);

      /* Translators: %s is a time such as "2 minutes ago". */
      out->summary = g_strdup_printf (_("Up to date, %s"), when);
    }
}

void
cp_integration_status_clear (CpIntegrationStatus *status)
{
  g_clear_pointer (&status->summary, g_free);
  g_clear_pointer (&status->tooltip, g_free);
}

const char *
cp_integration_health_css_class (CpIntegrationHealth health)
{
  switch (health)
    {
    case CP_INTEGRATION_HEALTH_OK:
      return "success";
    case CP_INTEGRATION_HEALTH_WAITING:
    case CP_INTEGRATION_HEALTH_TROUBLE:
      return "warning";
    case CP_INTEGRATION_HEALTH_ATTENTION:
      return "error";
    case CP_INTEGRATION_HEALTH_NEW:
    case CP_INTEGRATION_HEALTH_BUSY:
    case CP_INTEGRATION_HEALTH_PAUSED:
    default:
      return NULL;
    }
}

/* The fixes */

CpEngine *
cp_widget_get_engine (GtkWidget *widget)
{
  GtkRoot *root = widget != NULL ? gtk_widget_get_root (widget) : NULL;
  GtkApplication *app;

  if (root == NULL || !GTK_IS_WINDOW (root))
    return NULL;
  /* A dialog belongs to the main window. */
  if (gtk_window_get_transient_for (GTK_WINDOW (root)) != NULL)
    root = GTK_ROOT (gtk_window_get_transient_for (GTK_WINDOW (root)));
  app = gtk_window_get_application (GTK_WINDOW (root));
  if (app == NULL || !CP_IS_APPLICATION (app))
    return NULL;
  return cp_application_get_engine (CP_APPLICATION (app));
}

typedef struct
{
  CpLedger *ledger;
  char     *id;
  gboolean  paused;
} PauseUndo;

static void
pause_undo_free (gpointer data)
{
  PauseUndo *undo = data;

  g_object_unref (undo->ledger);
  g_free (undo->id);
  g_free (undo);
}

static gboolean
set_paused (CpLedger   *ledger,
            const char *id,
            gboolean    paused,
            CpEngine   *engine,
            GError    **error)
{
  /* One UPDATE on the window's connection: small enough for the UI
   * thread, and the page shows the new state at once. */
  if (!cp_integrations_set_paused (ledger, id, paused, error))
    return FALSE;
  cp_ledger_emit_changed (ledger, "integrations");
  if (!paused && engine != NULL)
    cp_engine_sync_now (engine, id);
  return TRUE;
}

static void
pause_undo_clicked_cb (AdwToast *toast,
                       gpointer  user_data)
{
  PauseUndo *undo = user_data;
  g_autoptr(GError) error = NULL;

  if (!set_paused (undo->ledger, undo->id, !undo->paused, NULL, &error))
    g_warning ("Could not undo: %s", error->message);
}

void
cp_integration_set_paused_with_undo (GtkWidget  *from,
                                     CpLedger   *ledger,
                                     const char *id,
                                     gboolean    paused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpIntegration) integration = NULL;
  AdwToast *toast;
  PauseUndo *undo;
  g_autofree char *title = NULL;

  g_return_if_fail (CP_IS_LEDGER (ledger));

  integration = cp_integrations_get (ledger, id, &error);
  if (integration == NULL || !set_paused (ledger, id, paused, cp_widget_get_engine (from), &error))
    {
      cp_page_add_toast (from, adw_toast_new (error->message));
      return;
    }

  if (paused)
    /* Translators: %s is the integration's name. */
    title = g_strdup_printf (_("%s is paused: nothing is sent or fetched"), integration->name);
  else
    title = g_strdup_printf (_("%s is syncing again"), integration->name);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  undo = g_new0 (PauseUndo, 1);
  undo->ledger = g_object_ref (ledger);
  undo->id = g_strdup (id);
  undo->paused = paused;
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (pause_undo_clicked_cb),
                         undo, (GClosureNotify) (void (*) (void)) pause_undo_free, 0);
  cp_page_add_toast (from, toast);
}

static void
open_integration (GtkWidget  *from,
                  const char *id)
{
  GtkWidget *window = gtk_widget_get_ancestor (from, CP_TYPE_WINDOW);
  GtkWidget *page;

  if (window == NULL)
    return;
  gtk_widget_activate_action (window, "win.show-page", "s", "integrations");
  page = cp_window_get_page (CP_WINDOW (window), "integrations");
  if (page != NULL && CP_IS_INTEGRATIONS_PAGE (page))
    cp_integrations_page_show_integration (CP_INTEGRATIONS_PAGE (page), id);
}

void
cp_integration_apply_fix (GtkWidget        *from,
                          CpLedger         *ledger,
                          const char       *id,
                          CpIntegrationFix  fix)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GTK_IS_WIDGET (from));
  g_return_if_fail (CP_IS_LEDGER (ledger));

  switch (fix)
    {
    case CP_INTEGRATION_FIX_RESUME:
      cp_integration_set_paused_with_undo (from, ledger, id, FALSE);
      break;

    case CP_INTEGRATION_FIX_CREDENTIALS:
      {
        g_autoptr(CpIntegration) integration = cp_integrations_get (ledger, id, &error);

        if (integration == NULL)
          cp_page_add_toast (from, adw_toast_new (error->message));
        else
          cp_integration_wizard_edit (from, ledger, integration);
      }
      break;

    case CP_INTEGRATION_FIX_RETRY:
      {
        guint n;
        g_autofree char *title = NULL;
        CpEngine *engine = cp_widget_get_engine (from);

        n = cp_outbox_retry_all_dead (ledger, id, &error);
        if (error != NULL)
          {
            cp_page_add_toast (from, adw_toast_new (error->message));
            break;
          }
        cp_ledger_emit_changed (ledger, "integrations");
        cp_ledger_emit_changed (ledger, "outbox");
        if (engine != NULL)
          cp_engine_sync_now (engine, id);
        title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Sending %u change again",
                                              "Sending %u changes again", n),
                                 n);
        cp_page_add_toast (from, adw_toast_new (title));
      }
      break;

    case CP_INTEGRATION_FIX_DETAILS:
      open_integration (from, id);
      break;

    case CP_INTEGRATION_FIX_NONE:
    default:
      break;
    }
}

/* The row */

struct _CpIntegrationRow
{
  AdwActionRow         parent_instance;

  CpLedger            *ledger;
  char                *id;
  CpIntegrationHealth  health;
  CpIntegrationFix     fix;
};

G_DEFINE_FINAL_TYPE (CpIntegrationRow, cp_integration_row, ADW_TYPE_ACTION_ROW)

static void
fix_clicked_cb (GtkButton        *button,
                CpIntegrationRow *self)
{
  cp_integration_apply_fix (GTK_WIDGET (self), self->ledger, self->id, self->fix);
}

static void
cp_integration_row_dispose (GObject *object)
{
  CpIntegrationRow *self = CP_INTEGRATION_ROW (object);

  g_clear_object (&self->ledger);
  G_OBJECT_CLASS (cp_integration_row_parent_class)->dispose (object);
}

static void
cp_integration_row_finalize (GObject *object)
{
  CpIntegrationRow *self = CP_INTEGRATION_ROW (object);

  g_free (self->id);
  G_OBJECT_CLASS (cp_integration_row_parent_class)->finalize (object);
}

static void
cp_integration_row_class_init (CpIntegrationRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cp_integration_row_dispose;
  object_class->finalize = cp_integration_row_finalize;
}

static void
cp_integration_row_init (CpIntegrationRow *self)
{
}

GtkWidget *
cp_integration_row_new (CpLedger            *ledger,
                        const CpIntegration *integration,
                        gint64               now_us)
{
  CpIntegrationRow *self;
  CpIntegrationStatus status;
  GtkWidget *avatar;
  GtkWidget *icon;
  g_autofree char *subtitle = NULL;
  g_autofree char *platform = NULL;
  const char *css;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (integration != NULL, NULL);

  self = g_object_new (CP_TYPE_INTEGRATION_ROW,
                       "use-markup", FALSE,
                       "title", integration->name,
                       "subtitle-lines", 3,
                       NULL);
  self->ledger = g_object_ref (ledger);
  self->id = g_strdup (integration->id);
  gtk_widget_set_name (GTK_WIDGET (self), integration->id);
  gtk_widget_add_css_class (GTK_WIDGET (self), "integration-row");

  cp_integration_status_describe (integration, now_us, &status);
  self->health = status.health;
  self->fix = status.fix;

  /* Logo-like: the store's initials on a color of its own. */
  avatar = adw_avatar_new (32, integration->name, TRUE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (self), avatar);

  /* The platform's name is isolated (FSI…PDI): a Latin name first must
   * not turn an Arabic line left to right. */
  platform = g_strdup_printf ("\u2068%s\u2069", cp_integration_platform_name (integration->platform));
  /* Translators: a platform's name, then the integration's state. */
  subtitle = g_strdup_printf (_("%s · %s"), platform, status.summary);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  if (status.tooltip != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), status.tooltip);

  icon = gtk_image_new_from_icon_name (status.icon_name);
  gtk_widget_add_css_class (icon, "integration-state-icon");
  css = cp_integration_health_css_class (status.health);
  if (css != NULL)
    gtk_widget_add_css_class (icon, css);
  gtk_widget_add_css_class (GTK_WIDGET (self), status.health == CP_INTEGRATION_HEALTH_ATTENTION
                                               ? "needs-attention" : "healthy");

  if (status.fix_label != NULL && status.fix != CP_INTEGRATION_FIX_DETAILS)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (status.fix_label);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_name (button, "fix-button");
      if (status.health == CP_INTEGRATION_HEALTH_ATTENTION)
        gtk_widget_add_css_class (button, "suggested-action");
      g_signal_connect (button, "clicked", G_CALLBACK (fix_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (self), button);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), TRUE);

  cp_integration_status_clear (&status);
  return GTK_WIDGET (self);
}

const char *
cp_integration_row_get_id (CpIntegrationRow *self)
{
  g_return_val_if_fail (CP_IS_INTEGRATION_ROW (self), NULL);
  return self->id;
}

CpIntegrationHealth
cp_integration_row_get_health (CpIntegrationRow *self)
{
  g_return_val_if_fail (CP_IS_INTEGRATION_ROW (self), CP_INTEGRATION_HEALTH_OK);
  return self->health;
}
