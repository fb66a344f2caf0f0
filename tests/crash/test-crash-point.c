/* test-crash-point.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cp_crash_point(): the crash harness relies on it dying exactly where
 * and when it is told to, and never otherwise.
 */

#define G_LOG_DOMAIN "test-crash"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <gio/gio.h>

#include "cp-crash-point.h"

/* Runs the points A, B, A, A, B in a child with the given environment;
 * returns the child's stderr and whether SIGKILL ended it. */
static char *
run_points (const char *crash_at,
            const char *crash_random,
            gboolean   *out_killed)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *err = NULL;
  GError *error = NULL;

  g_subprocess_launcher_unsetenv (launcher, "CP_CRASH_AT");
  g_subprocess_launcher_unsetenv (launcher, "CP_CRASH_RANDOM");
  if (crash_at != NULL)
    g_subprocess_launcher_setenv (launcher, "CP_CRASH_AT", crash_at, TRUE);
  if (crash_random != NULL)
    g_subprocess_launcher_setenv (launcher, "CP_CRASH_RANDOM", crash_random, TRUE);

  process = g_subprocess_launcher_spawn (launcher, &error, self, "--run-points", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);

  *out_killed = g_subprocess_get_if_signaled (process) &&
                g_subprocess_get_term_sig (process) == SIGKILL;
  if (!*out_killed)
    g_assert_true (g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 0);
  return g_steal_pointer (&err);
}

static void
test_unset (void)
{
  gboolean killed;
  g_autofree char *err = run_points (NULL, NULL, &killed);

  g_assert_false (killed);
  g_assert_cmpstr (err, ==, "A\nB\nA\nA\nB\ndone\n");
}

static void
test_at_first (void)
{
  gboolean killed;
  g_autofree char *err = run_points ("B", NULL, &killed);

  g_assert_true (killed);
  g_assert_cmpstr (err, ==, "A\nB\ncp-crash-point: killed at B\n");
}

static void
test_at_nth (void)
{
  gboolean killed;
  g_autofree char *err = run_points ("A:3", NULL, &killed);

  g_assert_true (killed);
  g_assert_cmpstr (err, ==, "A\nB\nA\nA\ncp-crash-point: killed at A\n");

  g_free (err);
  err = run_points ("A:4", NULL, &killed);
  g_assert_false (killed);
  g_assert_cmpstr (err, ==, "A\nB\nA\nA\nB\ndone\n");

  g_free (err);
  err = run_points ("C", NULL, &killed);
  g_assert_false (killed);
}

static void
test_random (void)
{
  gboolean killed;
  g_autofree char *err = NULL;
  g_autofree char *again = NULL;
  guint n_killed = 0;

  err = run_points (NULL, "7:1000", &killed);
  g_assert_true (killed);
  g_assert_cmpstr (err, ==, "A\ncp-crash-point: killed at A\n");

  g_clear_pointer (&err, g_free);
  err = run_points (NULL, "7:0", &killed);
  g_assert_false (killed);

  /* The same seed dies at the same point, so a failure replays. */
  for (guint seed = 0; seed < 20; seed++)
    {
      g_autofree char *spec = g_strdup_printf ("%u:300", seed);

      g_clear_pointer (&err, g_free);
      g_clear_pointer (&again, g_free);
      err = run_points (NULL, spec, &killed);
      n_killed += killed;
      again = run_points (NULL, spec, &killed);
      g_assert_cmpstr (err, ==, again);
    }
  /* 1 − 0.7^5 of the runs die somewhere: not all, not none. */
  g_assert_cmpuint (n_killed, >, 0);
  g_assert_cmpuint (n_killed, <, 20);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 2 && g_str_equal (argv[1], "--run-points"))
    {
      static const char * const points[] = { "A", "B", "A", "A", "B" };

      for (guint i = 0; i < G_N_ELEMENTS (points); i++)
        {
          g_printerr ("%s\n", points[i]);
          cp_crash_point (points[i]);
        }
      g_printerr ("done\n");
      return 0;
    }

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crash-point/unset", test_unset);
  g_test_add_func ("/crash-point/at-first", test_at_first);
  g_test_add_func ("/crash-point/at-nth", test_at_nth);
  g_test_add_func ("/crash-point/random", test_random);

  return g_test_run ();
}
