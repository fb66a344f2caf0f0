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

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CpApplication) app = NULL;

  setlocale (LC_ALL, "");
  cp_application_init_i18n ();

  app = cp_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
