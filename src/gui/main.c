/* main.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "counterpart"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "cp-application.h"
#include "cp-bench-hooks.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CpApplication) app = NULL;

  setlocale (LC_ALL, "");
  cp_application_init_i18n ();

  app = cp_application_new ();
  /* Inert unless CP_BENCH_FIRST_FRAME=1 (tests/bench/bench-window.c). */
  cp_bench_hooks_install (GTK_APPLICATION (app));
  return g_application_run (G_APPLICATION (app), argc, argv);
}
