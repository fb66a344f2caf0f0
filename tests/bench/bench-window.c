/* bench-window.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window: cold start of the real `counterpart` binary to its first
 * painted frame on a ledger with 1,000,000 orders (goal < 500 ms, peak
 * RSS < 150 MB), and memory while its orders list is scrolled from top to
 * bottom (goal: no growth). The baseline, in the same run, is the same
 * start on an empty ledger, so the ratio isolates what a million orders
 * cost. Runs alternate between the two ledgers so noise hits both alike.
 *
 * The app reports the moments from inside through two hooks that are
 * inert unless their variable is set: CP_BENCH_FIRST_FRAME=1 prints
 *   first-frame <g_get_monotonic_time () µs> vmhwm-kb <kB>
 * on stderr after the first frame, then quits; with CP_BENCH_SCROLL_ORDERS=1
 * it then scrolls the orders list and prints
 *   scroll-rss start|middle <kB>
 *   scroll-rss end <kB> steps <n> reached-end <0|1> vmhwm-kb <kB>
 * g_get_monotonic_time () is CLOCK_MONOTONIC in both processes, so the
 * difference from the moment of spawning is the start-up time.
 *
 * The 1 M-order ledger takes minutes to build, so it is kept in the build
 * directory (CP_BENCH_CACHE_DIR) under a name that carries its version
 * and size; reruns reuse it.
 */

#define G_LOG_DOMAIN "cp-bench"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "cp-ledger.h"
#include "cp-ledger-schema.h"
#include "cp-orders.h"
#include "cp-demo.h"
#include "cp-bench.h"

#define FULL_ORDERS      G_GUINT64_CONSTANT (1000000)
#define RUNS             5
/* Bump when the way the cached ledger is built changes. */
#define CACHE_VERSION    "1"
#define DEMO_SEED        20260101
#define DEMO_END_US      G_GINT64_CONSTANT (1793491200000000) /* 2026-11-01 */
#define START_TIMEOUT_S  120
#define SCROLL_TIMEOUT_S 1500

typedef struct
{
  double   first_frame_ms;   /* < 0: never reported */
  gint64   hook_vmhwm_kb;    /* VmHWM the app read at its first frame */
  double   ready_ms;         /* first frame with the ledger open; < 0: never */
  gint64   ready_vmhwm_kb;
  gboolean failed;           /* the app said its window or scroll failed */
  gint64   maxrss_kb;        /* peak RSS over the whole life (wait4) */
  gint64   scroll_start_kb;
  gint64   scroll_middle_kb;
  gint64   scroll_end_kb;
  gint64   scroll_steps;
  gint64   scroll_reached_end;
  gint64   scroll_vmhwm_kb;
  int      exit_status;
} AppRun;

static char *
build_sandbox (const char *data_dir,
               guint64     n_orders)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cp_ledger_path_for_data_dir (data_dir);
  g_autoptr(CpLedger) ledger = NULL;
  CpDemoOptions options;
  gint64 start = g_get_monotonic_time ();

  ledger = cp_ledger_open (path, &error);
  if (ledger == NULL)
    cp_bench_fail ("cannot create the sandbox ledger: %s", error->message);

  cp_demo_options_init (&options);
  options.seed = DEMO_SEED;
  options.end_us = DEMO_END_US;
  if (!cp_demo_populate (ledger, &options, &error) ||
      !cp_demo_add_orders (ledger, n_orders, DEMO_SEED, &error))
    cp_bench_fail ("cannot fill the sandbox ledger: %s", error->message);

  return g_strdup_printf ("built in %.0f s", (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

static gint64
count_orders (const char *data_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cp_ledger_path_for_data_dir (data_dir);
  g_autoptr(CpLedger) ledger = cp_ledger_open (path, &error);

  if (ledger == NULL)
    cp_bench_fail ("cannot open %s: %s", path, error->message);
  return cp_orders_count (ledger);
}

static void
remove_partial (gpointer data)
{
  cp_bench_rm_rf (data);
}

/* The data dir of the 1 M-order ledger: reused from CACHE_DIR when a run
 * built it before, else built next to it and renamed into place only
 * when complete, so an interrupted build is never mistaken for one. */
static char *
sandbox_data_dir (const char  *cache_dir,
                  guint64      n_orders,
                  char       **out_how)
{
  g_autoptr(GChecksum) schema = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *name = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *partial = NULL;

  /* The schema's text is in the key, not only its version: before a
   * release the migrations are still edited in place. */
  for (guint i = 0; i < cp_ledger_n_migrations; i++)
    g_checksum_update (schema, (const guchar *) cp_ledger_migrations[i], -1);
  name = g_strdup_printf ("window-sandbox-v%s-schema%d-%.8s-%" G_GUINT64_FORMAT "-orders",
                          CACHE_VERSION, CP_LEDGER_SCHEMA_VERSION,
                          g_checksum_get_string (schema), n_orders);
  dir = g_build_filename (cache_dir, name, NULL);

  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      *out_how = g_strdup ("reused from the build directory");
      return g_steal_pointer (&dir);
    }

  partial = g_strdup_printf ("%s.partial-%d", dir, (int) getpid ());
  if (g_mkdir_with_parents (partial, 0700) != 0)
    cp_bench_fail ("cannot create %s: %s", partial, g_strerror (errno));
  cp_bench_on_fail (remove_partial, g_strdup (partial));
  *out_how = build_sandbox (partial, n_orders);
  if (g_rename (partial, dir) != 0)
    cp_bench_fail ("cannot move %s into place: %s", partial, g_strerror (errno));

  return g_steal_pointer (&dir);
}

static gboolean
parse_field (char       **words,
             const char  *key,
             gint64      *out)
{
  for (guint i = 0; words[i] != NULL && words[i + 1] != NULL; i++)
    {
      if (g_str_equal (words[i], key))
        {
          *out = g_ascii_strtoll (words[i + 1], NULL, 10);
          return TRUE;
        }
    }
  return FALSE;
}

static void
parse_line (AppRun     *run,
            const char *line,
            gint64      spawned_us)
{
  g_auto(GStrv) words = g_strsplit (line, " ", -1);
  gint64 value = 0;

  if (g_str_has_prefix (line, "first-frame ") && parse_field (words, "first-frame", &value))
    {
      run->first_frame_ms = (value - spawned_us) / 1000.0;
      parse_field (words, "vmhwm-kb", &run->hook_vmhwm_kb);
    }
  else if (g_str_has_prefix (line, "ready-frame ") && parse_field (words, "ready-frame", &value))
    {
      run->ready_ms = (value - spawned_us) / 1000.0;
      parse_field (words, "vmhwm-kb", &run->ready_vmhwm_kb);
    }
  else if (g_str_has_prefix (line, "window-failed") || g_str_has_prefix (line, "scroll-failed"))
    {
      run->failed = TRUE;
      g_printerr ("  counterpart: %s\n", line);
    }
  else if (g_str_has_prefix (line, "scroll-rss start "))
    parse_field (words, "start", &run->scroll_start_kb);
  else if (g_str_has_prefix (line, "scroll-rss middle "))
    parse_field (words, "middle", &run->scroll_middle_kb);
  else if (g_str_has_prefix (line, "scroll-rss end "))
    {
      parse_field (words, "end", &run->scroll_end_kb);
      parse_field (words, "steps", &run->scroll_steps);
      parse_field (words, "reached-end", &run->scroll_reached_end);
      parse_field (words, "vmhwm-kb", &run->scroll_vmhwm_kb);
    }
  else
    g_printerr ("  counterpart: %s\n", line);
}

/* In the child: die with this process, so a benchmark killed by a
 * timeout leaves no window or X server behind. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Runs the real binary on DATA_DIR until it quits by itself, reading its
 * stderr as it comes. wait4() gives the child's peak RSS from the
 * kernel, whatever the app prints. */
static AppRun
run_app (const char *counterpart,
         const char *data_dir,
         const char *renderer,
         gboolean    scroll)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GString) pending = g_string_new (NULL);
  const char *argv[] = { counterpart, "--data-dir", data_dir, NULL };
  AppRun run = { .first_frame_ms = -1, .ready_ms = -1, .scroll_reached_end = -1, .exit_status = -1 };
  struct rusage usage;
  gint64 spawned_us, deadline;
  GPid pid;
  int err_fd = -1;
  int status = 0;

  env = g_environ_setenv (env, "CP_BENCH_FIRST_FRAME", "1", TRUE);
  if (renderer != NULL)
    env = g_environ_setenv (env, "GSK_RENDERER", renderer, TRUE);
  if (scroll)
    env = g_environ_setenv (env, "CP_BENCH_SCROLL_ORDERS", "1", TRUE);
  else
    env = g_environ_unsetenv (env, "CP_BENCH_SCROLL_ORDERS");

  spawned_us = g_get_monotonic_time ();
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, env,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                 die_with_parent, NULL, &pid, NULL, NULL, &err_fd, &error))
    cp_bench_fail ("cannot start %s: %s", counterpart, error->message);

  deadline = spawned_us + (gint64) (scroll ? SCROLL_TIMEOUT_S : START_TIMEOUT_S) * G_USEC_PER_SEC;
  for (;;)
    {
      struct pollfd fds = { .fd = err_fd, .events = POLLIN };
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
      char buffer[4096];
      ssize_t n;
      char *newline;

      if (left_ms <= 0)
        {
          kill (pid, SIGKILL);
          waitpid (pid, NULL, 0);
          cp_bench_fail ("counterpart did not quit within %d s (is the CP_BENCH_FIRST_FRAME hook "
                         "in the app?)", scroll ? SCROLL_TIMEOUT_S : START_TIMEOUT_S);
        }
      if (poll (&fds, 1, (int) MIN (left_ms, 1000)) <= 0)
        continue;

      n = read (err_fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_string_append_len (pending, buffer, n);
      while ((newline = strchr (pending->str, '\n')) != NULL)
        {
          *newline = '\0';
          parse_line (&run, pending->str, spawned_us);
          g_string_erase (pending, 0, newline - pending->str + 1);
        }
    }
  if (pending->len > 0)
    parse_line (&run, pending->str, spawned_us);
  close (err_fd);

  if (wait4 (pid, &status, 0, &usage) < 0)
    cp_bench_fail ("cannot wait for counterpart: %s", g_strerror (errno));
  g_spawn_close_pid (pid);

  run.maxrss_kb = usage.ru_maxrss;
  run.exit_status = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);

  if (run.exit_status != 0)
    cp_bench_fail ("counterpart on %s exited with status %d", data_dir, run.exit_status);
  if (run.first_frame_ms < 0)
    cp_bench_fail ("counterpart never printed “first-frame”: the CP_BENCH_FIRST_FRAME hook "
                   "is missing or the window never drew");
  if (run.failed || run.ready_ms < 0)
    cp_bench_fail ("counterpart on %s never showed its pages (the ledger did not open, or the "
                   "orders list was not found)", data_dir);
  if (scroll && (run.scroll_start_kb <= 0 || run.scroll_end_kb <= 0 || run.scroll_steps <= 0))
    cp_bench_fail ("counterpart did not report scrolling the orders list (CP_BENCH_SCROLL_ORDERS hook)");

  return run;
}

static void
stop_xvfb (gpointer data)
{
  GSubprocess *xvfb = data;

  /* SIGTERM, so it removes its socket and lock file. */
  g_subprocess_send_signal (xvfb, SIGTERM);
  g_subprocess_wait (xvfb, NULL, NULL);
}

static void
xvfb_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
stop_bus (gpointer data)
{
  g_test_dbus_down (data);
}

/* An Xvfb of our own when the harness gave us no display: the first free
 * display from :90, ready once its socket exists. */
static GSubprocess *
start_xvfb (void)
{
  for (guint n = 90; n < 140; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GSubprocess) xvfb = NULL;
      g_autofree char *display = g_strdup_printf (":%u", n);
      g_autofree char *lock = g_strdup_printf ("/tmp/.X%u-lock", n);
      g_autofree char *socket = g_strdup_printf ("/tmp/.X11-unix/X%u", n);
      gint64 deadline;

      if (g_file_test (lock, G_FILE_TEST_EXISTS) || g_file_test (socket, G_FILE_TEST_EXISTS))
        continue;

      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);
      /* SIGTERM, not SIGKILL: it then removes its socket and lock. */
      g_subprocess_launcher_set_child_setup (launcher, xvfb_child_setup, NULL, NULL);
      xvfb = g_subprocess_launcher_spawn (launcher, &error, "Xvfb", display, "-screen", "0",
                                          "1280x800x24", "-nolisten", "tcp", NULL);
      if (xvfb == NULL)
        cp_bench_fail ("no DISPLAY and cannot start Xvfb: %s", error->message);

      deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      while (!g_file_test (socket, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline &&
             g_subprocess_get_identifier (xvfb) != NULL)
        g_usleep (20000);

      if (g_file_test (socket, G_FILE_TEST_EXISTS))
        {
          cp_bench_on_fail (stop_xvfb, g_object_ref (xvfb));
          g_setenv ("DISPLAY", display, TRUE);
          g_unsetenv ("WAYLAND_DISPLAY");
          return g_steal_pointer (&xvfb);
        }

      /* Lost a race for this display: try the next. */
      stop_xvfb (xvfb);
    }

  cp_bench_fail ("no DISPLAY and no free display for Xvfb between :90 and :139");
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static const char *
verdict (gboolean met)
{
  return met ? "goal met" : "GOAL MISSED";
}

/* RUNS starts on each ledger, alternating, after one uncounted start of
 * each (so both find the binary and libraries in the page cache, as a
 * person's second start does). RENDERER NULL: GTK's default. */
static void
measure_starts (const CpBenchConfig *config,
                const char          *counterpart,
                const char          *empty_dir,
                const char          *full_dir,
                const char          *orders_text,
                const char          *renderer,
                guint                runs)
{
  double full_ms[RUNS], empty_ms[RUNS], full_ready_ms[RUNS], empty_ready_ms[RUNS];
  double full_median, empty_median, full_ready, empty_ready;
  gint64 full_rss = 0, empty_rss = 0;
  g_autofree char *line = NULL;
  g_autofree char *renderer_text = NULL;

  if (renderer != NULL)
    renderer_text = g_strdup_printf ("%s renderer", renderer);
  else if (g_getenv ("GSK_RENDERER") != NULL)
    renderer_text = g_strdup_printf ("%s renderer", g_getenv ("GSK_RENDERER"));
  else
    renderer_text = g_strdup ("default renderer");

  if (!config->smoke)
    {
      run_app (counterpart, empty_dir, renderer, FALSE);
      run_app (counterpart, full_dir, renderer, FALSE);
    }

  for (guint i = 0; i < runs; i++)
    {
      AppRun empty = run_app (counterpart, empty_dir, renderer, FALSE);
      AppRun full = run_app (counterpart, full_dir, renderer, FALSE);

      empty_ms[i] = empty.first_frame_ms;
      full_ms[i] = full.first_frame_ms;
      empty_ready_ms[i] = empty.ready_ms;
      full_ready_ms[i] = full.ready_ms;
      empty_rss = MAX (empty_rss, empty.maxrss_kb);
      full_rss = MAX (full_rss, full.maxrss_kb);
    }

  full_median = median (full_ms, runs);
  empty_median = median (empty_ms, runs);
  full_ready = median (full_ready_ms, runs);
  empty_ready = median (empty_ready_ms, runs);

  /* The first frame may show the loading state while the ledger opens;
   * the ready frame is the first one with the pages built: both count. */
  line = g_strdup_printf ("window-start (%s): %s orders: first frame %.0f ms, pages ready %.0f ms "
                          "(medians of %u; min %.0f / %.0f), peak RSS %.1f MB (goal < 500 ms: "
                          "first frame %s, ready %s; goal < 150 MB: %s); empty ledger: first frame %.0f ms, "
                          "ready %.0f ms, peak RSS %.1f MB; ratio full/empty: first frame %.2f, "
                          "ready %.2f, RSS %.2f",
                          renderer_text, orders_text, full_median, full_ready, runs, full_ms[0],
                          full_ready_ms[0], full_rss / 1024.0,
                          verdict (full_median < 500), verdict (full_ready < 500),
                          verdict (full_rss < 150 * 1024),
                          empty_median, empty_ready, empty_rss / 1024.0,
                          full_median / empty_median, full_ready / empty_ready,
                          (double) full_rss / MAX (empty_rss, 1));
  cp_bench_report (config, line);
}

int
main (int   argc,
      char *argv[])
{
  CpBenchConfig config;
  g_autoptr(GTestDBus) bus = NULL;
  g_autoptr(GSubprocess) xvfb = NULL;
  g_autofree char *display = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree char *full_dir = NULL;
  g_autofree char *empty_dir = NULL;
  g_autofree char *how = NULL;
  g_autofree char *orders_text = NULL;
  g_autofree char *line = NULL;
  const char *counterpart;
  guint runs;
  guint64 n_orders;
  gint64 stored;
  AppRun scroll;

  cp_bench_config_init (&config, argc, argv);
  n_orders = cp_bench_scaled (&config, FULL_ORDERS, 200);
  runs = config.smoke ? 1 : RUNS;

  counterpart = g_getenv ("CP_BENCH_COUNTERPART");
  if (counterpart == NULL || !g_file_test (counterpart, G_FILE_TEST_IS_EXECUTABLE))
    cp_bench_fail ("set CP_BENCH_COUNTERPART to the built counterpart binary (meson does); got “%s”",
                   counterpart != NULL ? counterpart : "(unset)");

  /* A private session bus: a Counterpart already running on the
   * session's bus (a GUI test, the developer's own) would otherwise take
   * the activation and this process would measure nothing.
   * g_test_dbus_up() clears DISPLAY, so keep it. */
  display = g_strdup (g_getenv ("DISPLAY"));
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  cp_bench_on_fail (stop_bus, bus);
  if (display != NULL && *display != '\0')
    g_setenv ("DISPLAY", display, TRUE);
  else if (g_getenv ("CP_TEST_HARNESS") != NULL && config.smoke)
    cp_bench_fail ("CP_TEST_HARNESS is set but there is no DISPLAY");
  else
    xvfb = start_xvfb ();

  tmp_dir = cp_bench_make_tmp_dir ("cp-bench-window");
  cache_dir = g_strdup (g_getenv ("CP_BENCH_CACHE_DIR"));
  if (cache_dir == NULL || *cache_dir == '\0' || config.smoke)
    {
      g_free (cache_dir);
      cache_dir = g_strdup (tmp_dir);
    }

  full_dir = sandbox_data_dir (cache_dir, n_orders, &how);
  stored = count_orders (full_dir);
  if (stored < (gint64) n_orders)
    cp_bench_fail ("the sandbox ledger in %s holds %" G_GINT64_FORMAT " orders, expected at least %"
                   G_GUINT64_FORMAT "; delete it to rebuild", full_dir, stored, n_orders);

  /* The baseline: a ledger with its schema and nothing in it. */
  empty_dir = g_build_filename (tmp_dir, "empty", NULL);
  if (g_mkdir_with_parents (empty_dir, 0700) != 0 || count_orders (empty_dir) != 0)
    cp_bench_fail ("cannot make an empty ledger in %s", empty_dir);

  orders_text = cp_bench_thousands ((double) stored);
  line = g_strdup_printf ("window: sandbox ledger with %s orders (%s)", orders_text, how);
  cp_bench_report (&config, line);

  /* --prepare: only build the cached ledger (minutes), e.g. ahead of a
   * quiet moment for the measurements. */
  if (config.prepare)
    {
      g_test_dbus_down (bus);
      if (xvfb != NULL)
        stop_xvfb (xvfb);
      cp_bench_rm_rf (tmp_dir);
      return 0;
    }

  /* Under Xvfb GTK's default renderer is GL on llvmpipe, a software GL
   * that costs ~70 MB and a lot of CPU per frame no GPU would; the cairo
   * renderer is what a machine without GL gets. Both are measured, and
   * the scroll (2,000 frames) uses cairo to finish in minutes. */
  measure_starts (&config, counterpart, empty_dir, full_dir, orders_text, NULL, runs);
  measure_starts (&config, counterpart, empty_dir, full_dir, orders_text, "cairo", runs);

  scroll = run_app (counterpart, full_dir, "cairo", TRUE);
  g_free (line);
  line = g_strdup_printf ("window-scroll (cairo renderer): orders list of %s orders scrolled top to bottom in %"
                          G_GINT64_FORMAT " steps (reached end: %s): VmRSS start %.1f MB, middle "
                          "%.1f MB, end %.1f MB, growth %+.1f MB; peak RSS %.1f MB (goal: no growth: %s)",
                          orders_text, scroll.scroll_steps,
                          scroll.scroll_reached_end == 1 ? "yes" : "NO",
                          scroll.scroll_start_kb / 1024.0, scroll.scroll_middle_kb / 1024.0,
                          scroll.scroll_end_kb / 1024.0,
                          (scroll.scroll_end_kb - scroll.scroll_start_kb) / 1024.0,
                          scroll.maxrss_kb / 1024.0,
                          /* Allocator noise is not growth; 10 % or 8 MB is. */
                          verdict (scroll.scroll_end_kb - scroll.scroll_start_kb <
                                   MAX (8 * 1024, scroll.scroll_start_kb / 10)));
  cp_bench_report (&config, line);

  if (scroll.scroll_reached_end != 1)
    cp_bench_fail ("the orders list was not scrolled to its end");

  if (xvfb != NULL)
    stop_xvfb (xvfb);
  g_test_dbus_down (bus);
  cp_bench_rm_rf (tmp_dir);
  return 0;
}
