/* cp-bench-hooks.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Measurement hooks for tests/bench/bench-window.c. Inert unless the
 * environment asks for them (CP_BENCH_FIRST_FRAME=1, optionally with
 * CP_BENCH_SCROLL_ORDERS=1), so they cost a getenv () at start-up.
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void cp_bench_hooks_install (GtkApplication *application);

G_END_DECLS
