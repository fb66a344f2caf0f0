/* cp-background-notifier.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The shop keeps syncing while nobody watches the window, so what needs a
 * person has to reach them: an integration whose credentials were
 * rejected, a change that could not be sent. Success never notifies, and
 * a cause is told once: the engine retries and re-reports, and a
 * notification every retry would teach people to ignore them all.
 */

#define G_LOG_DOMAIN "cp-background-notifier"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-background-notifier.h"
#include "cp-engine.h"

struct _CpBackgroundNotifier
{
  GObject       parent_instance;

  GApplication *app;
  GHashTable   *told;          /* cause keys already notified */
  GHashTable   *sent_ids;      /* notification ids to withdraw when resolved */
  GHashTable   *dead_counts;   /* integration id → jobs dead, for the text */

  GObject      *engine;        /* weak */
  gulong        attention_id;
  gulong        dead_id;
  gulong        state_id;
};

G_DEFINE_FINAL_TYPE (CpBackgroundNotifier, cp_background_notifier, G_TYPE_OBJECT)

static void
send (CpBackgroundNotifier *self,
      const char           *id,
      GNotification        *notification)
{
  if (self->app == NULL)
    return;
  g_application_send_notification (self->app, id, notification);
  g_hash_table_add (self->sent_ids, g_strdup (id));
}

gboolean
cp_background_notifier_attention (CpBackgroundNotifier *self,
                                  const char           *integration_id,
                                  const char           *message)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *key = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (CP_IS_BACKGROUND_NOTIFIER (self), FALSE);
  g_return_val_if_fail (integration_id != NULL, FALSE);

  key = g_strdup_printf ("attention\x1f%s\x1f%s", integration_id, message != NULL ? message : "");
  if (g_hash_table_contains (self->told, key))
    return FALSE;
  g_hash_table_add (self->told, g_steal_pointer (&key));

  /* One notification per integration: a new cause replaces the old. */
  id = g_strdup_printf ("attention-%s", integration_id);
  notification = g_notification_new (_("A connected store needs you"));
  g_notification_set_body (notification, message != NULL && *message != '\0'
                                           ? message
                                           : _("Syncing stopped for this store until you look at it."));
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.show-page", "s", "integrations");
  g_notification_add_button_with_target (notification, _("Open Integrations"),
                                         "app.show-page", "s", "integrations");
  send (self, id, notification);
  return TRUE;
}

gboolean
cp_background_notifier_job_dead (CpBackgroundNotifier *self,
                                 const char           *integration_id,
                                 gint64                job_id,
                                 const char           *message)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *key = NULL;
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  guint count;

  g_return_val_if_fail (CP_IS_BACKGROUND_NOTIFIER (self), FALSE);
  g_return_val_if_fail (integration_id != NULL, FALSE);

  key = g_strdup_printf ("job-dead\x1f%" G_GINT64_FORMAT, job_id);
  if (g_hash_table_contains (self->told, key))
    return FALSE;
  g_hash_table_add (self->told, g_steal_pointer (&key));

  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->dead_counts, integration_id)) + 1;
  g_hash_table_insert (self->dead_counts, g_strdup (integration_id), GUINT_TO_POINTER (count));

  /* Many dead jobs of one store make one notification that counts them,
   * not a stack of them. */
  if (count == 1 && message != NULL && *message != '\0')
    body = g_strdup (message);
  else
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u change could not be sent. Activity says why and can retry it.",
                                         "%u changes could not be sent. Activity says why and can retry them.",
                                         count),
                            count);

  id = g_strdup_printf ("job-dead-%s", integration_id);
  notification = g_notification_new (_("A change could not be sent to a store"));
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.show-page", "s", "activity");
  g_notification_add_button_with_target (notification, _("Open Activity"),
                                         "app.show-page", "s", "activity");
  send (self, id, notification);
  return TRUE;
}

void
cp_background_notifier_resolved (CpBackgroundNotifier *self)
{
  GHashTableIter iter;
  const char *id;

  g_return_if_fail (CP_IS_BACKGROUND_NOTIFIER (self));

  g_hash_table_iter_init (&iter, self->sent_ids);
  while (self->app != NULL && g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    g_application_withdraw_notification (self->app, id);
  g_hash_table_remove_all (self->sent_ids);
  g_hash_table_remove_all (self->dead_counts);
  /* Dead jobs stay dead until retried (with a new job): only the
   * attention causes may be told again. */
  {
    GHashTableIter told;
    const char *key;

    g_hash_table_iter_init (&told, self->told);
    while (g_hash_table_iter_next (&told, (gpointer *) &key, NULL))
      if (g_str_has_prefix (key, "attention\x1f"))
        g_hash_table_iter_remove (&told);
  }
}

/* --- Following the engine --------------------------------------------------- */

static void
engine_attention_cb (GObject              *engine,
                     const char           *integration_id,
                     const char           *message,
                     CpBackgroundNotifier *self)
{
  cp_background_notifier_attention (self, integration_id, message);
}

static void
engine_job_dead_cb (GObject              *engine,
                    const char           *integration_id,
                    gint64                job_id,
                    const char           *message,
                    CpBackgroundNotifier *self)
{
  cp_background_notifier_job_dead (self, integration_id, job_id, message);
}

static void
engine_state_cb (GObject              *engine,
                 GParamSpec           *pspec,
                 CpBackgroundNotifier *self)
{
  int state = CP_ENGINE_STATE_IDLE;

  g_object_get (engine, "state", &state, NULL);
  if (state == CP_ENGINE_STATE_IDLE)
    cp_background_notifier_resolved (self);
}

static void
stop_following (CpBackgroundNotifier *self)
{
  if (self->engine == NULL)
    return;
  g_clear_signal_handler (&self->attention_id, self->engine);
  g_clear_signal_handler (&self->dead_id, self->engine);
  g_clear_signal_handler (&self->state_id, self->engine);
  g_object_remove_weak_pointer (self->engine, (gpointer *) &self->engine);
  self->engine = NULL;
}

void
cp_background_notifier_follow_engine (CpBackgroundNotifier *self,
                                      GObject              *engine)
{
  GType type;

  g_return_if_fail (CP_IS_BACKGROUND_NOTIFIER (self));
  g_return_if_fail (engine == NULL || G_IS_OBJECT (engine));

  stop_following (self);
  if (engine == NULL)
    return;

  self->engine = engine;
  g_object_add_weak_pointer (engine, (gpointer *) &self->engine);
  type = G_OBJECT_TYPE (engine);
  if (g_signal_lookup ("attention", type) != 0)
    self->attention_id = g_signal_connect (engine, "attention", G_CALLBACK (engine_attention_cb), self);
  if (g_signal_lookup ("job-dead", type) != 0)
    self->dead_id = g_signal_connect (engine, "job-dead", G_CALLBACK (engine_job_dead_cb), self);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (engine), "state") != NULL)
    self->state_id = g_signal_connect (engine, "notify::state", G_CALLBACK (engine_state_cb), self);
}

/* --- GObject ----------------------------------------------------------------- */

static void
cp_background_notifier_dispose (GObject *object)
{
  CpBackgroundNotifier *self = CP_BACKGROUND_NOTIFIER (object);

  stop_following (self);
  if (self->app != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->app), (gpointer *) &self->app);
  self->app = NULL;
  G_OBJECT_CLASS (cp_background_notifier_parent_class)->dispose (object);
}

static void
cp_background_notifier_finalize (GObject *object)
{
  CpBackgroundNotifier *self = CP_BACKGROUND_NOTIFIER (object);

  g_hash_table_unref (self->told);
  g_hash_table_unref (self->sent_ids);
  g_hash_table_unref (self->dead_counts);
  G_OBJECT_CLASS (cp_background_notifier_parent_class)->finalize (object);
}

static void
cp_background_notifier_class_init (CpBackgroundNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cp_background_notifier_dispose;
  object_class->finalize = cp_background_notifier_finalize;
}

static void
cp_background_notifier_init (CpBackgroundNotifier *self)
{
  self->told = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sent_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->dead_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

CpBackgroundNotifier *
cp_background_notifier_new (GApplication *app)
{
  CpBackgroundNotifier *self;

  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);

  self = g_object_new (CP_TYPE_BACKGROUND_NOTIFIER, NULL);
  /* Weakly: the app owns the notifier. */
  self->app = app;
  g_object_add_weak_pointer (G_OBJECT (app), (gpointer *) &self->app);
  return self;
}
