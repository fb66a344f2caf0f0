/* cp-integration-row.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One integration in a list (the Integrations page, the Overview, the
 * sync indicator): its name, platform and state in shop words, with the
 * button that fixes it right there. Also the words themselves, and the
 * fixes, shared by every place that shows an integration.
 */

#pragma once

#include <adwaita.h>

#include "cp-engine.h"
#include "cp-integrations.h"
#include "cp-ledger.h"

G_BEGIN_DECLS

typedef enum
{
  CP_INTEGRATION_HEALTH_OK,         /* up to date */
  CP_INTEGRATION_HEALTH_NEW,        /* never synced yet */
  CP_INTEGRATION_HEALTH_BUSY,       /* changes waiting to go out */
  CP_INTEGRATION_HEALTH_WAITING,    /* a rate limit or a backoff */
  CP_INTEGRATION_HEALTH_TROUBLE,    /* the last try failed; it will try again */
  CP_INTEGRATION_HEALTH_PAUSED,
  CP_INTEGRATION_HEALTH_ATTENTION,  /* a person must act */
} CpIntegrationHealth;

typedef enum
{
  CP_INTEGRATION_FIX_NONE,
  CP_INTEGRATION_FIX_RESUME,
  CP_INTEGRATION_FIX_CREDENTIALS,
  CP_INTEGRATION_FIX_RETRY,         /* dead jobs: retry them all */
  CP_INTEGRATION_FIX_DETAILS,       /* open the integration to see why */
} CpIntegrationFix;

typedef struct
{
  CpIntegrationHealth  health;
  char                *summary;    /* "Up to date, 2 minutes ago" */
  char                *tooltip;    /* the exact time, or NULL */
  CpIntegrationFix     fix;
  const char          *fix_label;  /* translated, or NULL */
  const char          *icon_name;
} CpIntegrationStatus;

void        cp_integration_status_describe (const CpIntegration *integration,
                                            gint64               now_us,
                                            CpIntegrationStatus *out);
void        cp_integration_status_clear    (CpIntegrationStatus *status);
/* A CSS class for the health ("success", "warning", "error"), or NULL. */
const char *cp_integration_health_css_class (CpIntegrationHealth health);

/* The platform's name for people ("E-Commerce Platform"), translated. */
const char *cp_integration_platform_name   (const char *platform);
/* "40 seconds", "3 minutes", "2 hours". */
char       *cp_integration_format_wait     (gint64 wait_us);

/* The app's engine, found from any widget in the window; NULL in tests
 * that show a page without an application, or before a ledger opened. */
CpEngine   *cp_widget_get_engine           (GtkWidget *widget);

/* Applies FIX to the integration ID (resume, retry the dead jobs, ask
 * for the credentials again, or open it on the Integrations page), with
 * a toast where it helps. FROM is the widget the person pressed. */
void        cp_integration_apply_fix       (GtkWidget        *from,
                                            CpLedger         *ledger,
                                            const char       *id,
                                            CpIntegrationFix  fix);
/* Pauses or resumes ID, with a toast offering Undo. */
void        cp_integration_set_paused_with_undo (GtkWidget  *from,
                                                 CpLedger   *ledger,
                                                 const char *id,
                                                 gboolean    paused);

#define CP_TYPE_INTEGRATION_ROW (cp_integration_row_get_type ())
G_DECLARE_FINAL_TYPE (CpIntegrationRow, cp_integration_row, CP, INTEGRATION_ROW, AdwActionRow)

/* A row for INTEGRATION. Activating it emits CpIntegrationRow::open; its
 * fix button goes through cp_integration_apply_fix() on LEDGER. */
GtkWidget  *cp_integration_row_new         (CpLedger            *ledger,
                                            const CpIntegration *integration,
                                            gint64               now_us);
const char *cp_integration_row_get_id     (CpIntegrationRow    *self);
CpIntegrationHealth cp_integration_row_get_health (CpIntegrationRow *self);

G_END_DECLS
