/* cp-activity-page-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Between the Activity page and its words (cp-activity-page-advice.c).
 */

#pragma once

#include <glib.h>

#include "cp-activity.h"
#include "cp-outbox.h"

G_BEGIN_DECLS

/* The kinds the type filter offers, in its order. */
guint        cp_activity_n_types          (void);
const char  *cp_activity_type_at          (guint                  i);

/* What Counterpart does next about EVENT; JOB when it has one. */
char        *cp_activity_describe_next    (const CpActivityEvent *event,
                                           const CpOutboxJob     *job,
                                           gint64                 now_us);
/* What the person can do about EVENT. */
const char  *cp_activity_describe_remedy  (const CpActivityEvent *event,
                                           const CpOutboxJob     *job);

G_END_DECLS
