/* cp-bench-hooks.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With CP_BENCH_FIRST_FRAME=1 the app reports on stderr, then quits:
 *   first-frame <g_get_monotonic_time () µs> vmhwm-kb <kB>
 *       after the first frame of the main window was painted (it may still
 *       show the loading state);
 *   ready-frame <µs> vmhwm-kb <kB>
 *       after the first frame painted once the ledger is open and the
 *       pages are built (or "window-failed" when the ledger did not open).
 * With CP_BENCH_SCROLL_ORDERS=1 as well, it then shows the Orders page and
 * scrolls its list from top to bottom, one step per frame, and reports
 *   scroll-rss start <kB>
 *   scroll-rss middle <kB>
 *   scroll-rss end <kB> steps <n> reached-end <0|1> vmhwm-kb <kB>
 * g_get_monotonic_time () is CLOCK_MONOTONIC, the clock the benchmark
 * reads when it spawns the app, so the difference is the start-up time.
 */

#define G_LOG_DOMAIN "cp-bench-hooks"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp-bench-hooks.h"
#include "cp-window.h"

/* 1,000,000 rows in ~2,000 frames: every part of the list is drawn,
 * in ~30 s instead of the ~15 min of one page per frame. */
#define SCROLL_FRAMES       2000
#define MAX_SCROLL_STEPS    20000
/* Frames to wait for the list to have rows at all. */
#define MAX_WAIT_FRAMES     600

typedef struct
{
  GtkApplication *application;
  CpWindow       *window;
  gboolean        scroll;
  gboolean        first_frame_seen;
  gulong          after_paint_id;
  GdkFrameClock  *frame_clock;
  GtkAdjustment  *adjustment;
  guint           steps;
  guint           waited;
  guint           at_end;
  gboolean        middle_seen;
} Hooks;

static gint64
proc_status_kb (const char *key)
{
  g_autofree char *contents = NULL;
  const char *line;
  gsize key_len = strlen (key);

  if (!g_file_get_contents ("/proc/self/status", &contents, NULL, NULL))
    return -1;

  for (line = contents; line != NULL && *line != '\0'; line = strchr (line, '\n'))
    {
      if (*line == '\n')
        line++;
      if (strncmp (line, key, key_len) == 0 && line[key_len] == ':')
        return g_ascii_strtoll (line + key_len + 1, NULL, 10);
    }
  return -1;
}

static void
report (const char *format,
        ...) G_GNUC_PRINTF (1, 2);

static void
report (const char *format,
        ...)
{
  va_list args;

  /* Straight to stderr, unbuffered: the benchmark reads it as it comes. */
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  fflush (stderr);
}

static void
finish (Hooks *hooks)
{
  g_application_quit (G_APPLICATION (hooks->application));
}

/* The GtkScrolledWindow that holds the list (a GtkColumnView or
 * GtkListView) somewhere under WIDGET, not counting popovers: a
 * GtkDropDown's popup has a list of its own. */
static GtkScrolledWindow *
find_list_scroller (GtkWidget *widget)
{
  if (GTK_IS_POPOVER (widget))
    return NULL;

  if (GTK_IS_SCROLLED_WINDOW (widget))
    {
      GtkWidget *child = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (widget));

      if (GTK_IS_COLUMN_VIEW (child) || GTK_IS_LIST_VIEW (child))
        return GTK_SCROLLED_WINDOW (widget);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkScrolledWindow *found = find_list_scroller (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
scroll_tick (GtkWidget     *widget,
             GdkFrameClock *frame_clock,
             gpointer       user_data)
{
  Hooks *hooks = user_data;
  double upper = gtk_adjustment_get_upper (hooks->adjustment);
  double page = gtk_adjustment_get_page_size (hooks->adjustment);
  double value = gtk_adjustment_get_value (hooks->adjustment);
  double last = MAX (0.0, upper - page);

  /* The list may still be counting its rows. */
  if (last <= 0.0 && hooks->steps == 0 && hooks->waited++ < MAX_WAIT_FRAMES)
    return G_SOURCE_CONTINUE;

  if (hooks->steps == 0)
    report ("scroll-rss start %" G_GINT64_FORMAT, proc_status_kb ("VmRSS"));

  if (!hooks->middle_seen && value >= last / 2)
    {
      hooks->middle_seen = TRUE;
      report ("scroll-rss middle %" G_GINT64_FORMAT, proc_status_kb ("VmRSS"));
    }

  if (value >= last || hooks->steps >= MAX_SCROLL_STEPS)
    {
      /* At the bottom for a few frames in a row: upper no longer grows. */
      if (value >= last && hooks->at_end++ < 3)
        return G_SOURCE_CONTINUE;

      report ("scroll-rss end %" G_GINT64_FORMAT " steps %u reached-end %d vmhwm-kb %" G_GINT64_FORMAT,
              proc_status_kb ("VmRSS"), hooks->steps, value >= last ? 1 : 0,
              proc_status_kb ("VmHWM"));
      finish (hooks);
      return G_SOURCE_REMOVE;
    }

  hooks->at_end = 0;
  hooks->steps++;
  gtk_adjustment_set_value (hooks->adjustment,
                            MIN (last, value + MAX (page, upper / SCROLL_FRAMES)));
  return G_SOURCE_CONTINUE;
}

static void
start_scrolling (Hooks *hooks)
{
  GtkWidget *page;
  GtkScrolledWindow *scroller;

  g_action_group_change_action_state (G_ACTION_GROUP (hooks->window), "show-page",
                                      g_variant_new_string ("orders"));
  page = cp_window_get_page (hooks->window, "orders");
  scroller = page != NULL ? find_list_scroller (page) : NULL;
  if (scroller == NULL)
    {
      report ("scroll-failed no orders list");
      finish (hooks);
      return;
    }

  hooks->adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  gtk_widget_add_tick_callback (GTK_WIDGET (hooks->window), scroll_tick, hooks, NULL);
}

static void
after_paint_cb (GdkFrameClock *frame_clock,
                Hooks         *hooks)
{
  gint64 now = g_get_monotonic_time ();
  CpWindowStatus status = cp_window_get_status (hooks->window);

  if (!hooks->first_frame_seen)
    {
      hooks->first_frame_seen = TRUE;
      report ("first-frame %" G_GINT64_FORMAT " vmhwm-kb %" G_GINT64_FORMAT,
              now, proc_status_kb ("VmHWM"));
    }

  if (status == CP_WINDOW_STATUS_LOADING)
    return;

  g_clear_signal_handler (&hooks->after_paint_id, frame_clock);

  if (status == CP_WINDOW_STATUS_FAILED)
    {
      report ("window-failed");
      finish (hooks);
      return;
    }

  report ("ready-frame %" G_GINT64_FORMAT " vmhwm-kb %" G_GINT64_FORMAT,
          now, proc_status_kb ("VmHWM"));

  if (hooks->scroll)
    start_scrolling (hooks);
  else
    finish (hooks);
}

/* Painting only happens after the window is mapped; the frame clock only
 * exists once it is realized. */
static void
window_map_cb (GtkWidget *widget,
               Hooks     *hooks)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (widget);

  if (hooks->after_paint_id != 0 || frame_clock == NULL)
    return;

  hooks->after_paint_id = g_signal_connect (frame_clock, "after-paint",
                                            G_CALLBACK (after_paint_cb), hooks);
}

static void
window_added_cb (GtkApplication *application,
                 GtkWindow      *window,
                 Hooks          *hooks)
{
  if (hooks->window != NULL || !CP_IS_WINDOW (window))
    return;

  hooks->window = CP_WINDOW (window);
  g_signal_connect_after (window, "map", G_CALLBACK (window_map_cb), hooks);
}

void
cp_bench_hooks_install (GtkApplication *application)
{
  Hooks *hooks;

  if (g_strcmp0 (g_getenv ("CP_BENCH_FIRST_FRAME"), "1") != 0)
    return;

  /* Lives as long as the process. */
  hooks = g_new0 (Hooks, 1);
  hooks->application = application;
  hooks->scroll = g_strcmp0 (g_getenv ("CP_BENCH_SCROLL_ORDERS"), "1") == 0;
  g_signal_connect (application, "window-added", G_CALLBACK (window_added_cb), hooks);
}
