/* cp-bench.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small shared helpers of the benchmarks: the scale knob, timing,
 * percentiles, and the results file. Benchmarks never fail on speed: they
 * fail only when the work they timed produced wrong results, so the smoke
 * variants (suite 'bench-smoke') catch benchmark code that rotted.
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct
{
  double      scale;        /* 1.0 = the sizes the issue states */
  gboolean    smoke;        /* run as a test: tiny, checks results */
  gboolean    prepare;      /* only build cached inputs, measure nothing */
  const char *results_path; /* NULL: do not append results */
} CpBenchConfig;

/* Reads --scale=F / --smoke / --prepare from ARGV and CP_BENCH_SCALE,
 * CP_BENCH_RESULTS from the environment. --smoke without a scale means
 * scale 0.001. Exits with a message on a bad value. */
void     cp_bench_config_init   (CpBenchConfig *config,
                                 int            argc,
                                 char         **argv);

/* SIZE × scale, at least MINIMUM. */
guint64  cp_bench_scaled        (const CpBenchConfig *config,
                                 guint64              size,
                                 guint64              minimum);

/* Process CPU time (user + system) in µs: on a shared machine the wall
 * clock also counts other people's work, the CPU time does not. */
gint64   cp_bench_cpu_us        (void);

/* Sorts SAMPLES (double, ms) and returns the P-th percentile (0..100),
 * nearest-rank. */
double   cp_bench_percentile    (GArray *samples,
                                 double  p);

/* "1,234,567": easier to read than 1234567 in a report. */
char    *cp_bench_thousands     (double value);

/* Prints LINE on stdout and appends it, stamped with the date and the
 * scale, to the results file when there is one. */
void     cp_bench_report        (const CpBenchConfig *config,
                                 const char          *line);

/* Aborts the benchmark: the work it timed went wrong, so the figures
 * would mean nothing. */
G_GNUC_NORETURN G_GNUC_PRINTF (1, 2)
void     cp_bench_fail          (const char *format,
                                 ...);

/* FUNC (DATA) runs when cp_bench_fail() ends the process (last added,
 * first run): stop what the benchmark started. */
void     cp_bench_on_fail       (GDestroyNotify func,
                                 gpointer       data);

/* A new temporary directory; cp_bench_rm_rf() removes it, and so does
 * cp_bench_fail(). */
char    *cp_bench_make_tmp_dir  (const char *prefix);
void     cp_bench_rm_rf         (const char *path);

/* With CP_BENCH_PROFILE=1: time spent per SQL statement on DB (SQLite's
 * own profile trace), printed by _print() as the top statements, so a
 * slow figure comes with where the time went. A no-op otherwise. */
void     cp_bench_sql_profile_attach (sqlite3    *db);
void     cp_bench_sql_profile_print  (const char *title);

G_END_DECLS
