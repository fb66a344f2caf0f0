/* cp-background-notifier.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CP_TYPE_BACKGROUND_NOTIFIER (cp_background_notifier_get_type ())
G_DECLARE_FINAL_TYPE (CpBackgroundNotifier, cp_background_notifier, CP, BACKGROUND_NOTIFIER, GObject)

/* Desktop notifications for what needs a person, never for success. Each
 * opens the page to act on through APP's "show-page" action (a string:
 * "integrations", "activity"). */
CpBackgroundNotifier *cp_background_notifier_new          (GApplication         *app);

/* Connects to ENGINE's "attention" and "job-dead" signals and its
 * "state" property by name (NULL stops following). */
void      cp_background_notifier_follow_engine (CpBackgroundNotifier *self,
                                                GObject              *engine);

/* An integration needs a person. FALSE when this cause (integration and
 * message) was already told and not resolved since: nothing is sent. */
gboolean  cp_background_notifier_attention     (CpBackgroundNotifier *self,
                                                const char           *integration_id,
                                                const char           *message);
/* A job gave up. FALSE for a job already told about. */
gboolean  cp_background_notifier_job_dead      (CpBackgroundNotifier *self,
                                                const char           *integration_id,
                                                gint64                job_id,
                                                const char           *message);
/* Nothing needs attention any more: withdraws those notifications, and a
 * cause that comes back is told again. */
void      cp_background_notifier_resolved      (CpBackgroundNotifier *self);

G_END_DECLS
