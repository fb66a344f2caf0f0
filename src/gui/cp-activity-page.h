/* cp-activity-page.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Activity: the timeline of what syncing did, newest first, filterable
 * by integration, type, severity and time, read a page at a time. A
 * failure opens to what happened, what Counterpart will do next, what
 * the person can do, and the redacted exchange for whoever supports
 * them; jobs that were given up on can be retried one by one or all.
 */

#pragma once

#include <adwaita.h>

#include "cp-activity.h"
#include "cp-ledger.h"

G_BEGIN_DECLS

/* Rows read per page ("Show Older" reads the next). */
#define CP_ACTIVITY_PAGE_SIZE 50

#define CP_TYPE_ACTIVITY_PAGE (cp_activity_page_get_type ())
G_DECLARE_FINAL_TYPE (CpActivityPage, cp_activity_page, CP, ACTIVITY_PAGE, AdwBin)

GtkWidget *cp_activity_page_new          (CpLedger       *ledger);
/* Reads the newest events again (new ones are added on top). */
void       cp_activity_page_refresh      (CpActivityPage *self);
/* Filters; NULL / FALSE / 0 for "all". */
void       cp_activity_page_set_filter   (CpActivityPage     *self,
                                          const char         *integration_id,
                                          const char         *type,
                                          gboolean            has_min_severity,
                                          CpActivitySeverity  min_severity,
                                          gint64              since_us);
/* Reads the next page of older events; FALSE when there are none. */
gboolean   cp_activity_page_load_more    (CpActivityPage *self);
guint      cp_activity_page_get_n_events (CpActivityPage *self);

/* What the sidebar's Activity badge counts: jobs given up on (dead) plus
 * integrations that need a person. -1 with ERROR set on failure. */
gint64     cp_activity_attention_count   (CpLedger  *ledger,
                                          GError   **error);
/* People's name for an event type ("Order received"). */
const char *cp_activity_type_title       (const char *type);

G_END_DECLS
