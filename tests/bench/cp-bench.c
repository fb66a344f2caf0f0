/* cp-bench.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-bench"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <sqlite3.h>

#include "cp-bench.h"

static double
parse_scale (const char *text)
{
  char *end = NULL;
  double value;

  errno = 0;
  value = g_ascii_strtod (text, &end);
  if (errno != 0 || end == text || *end != '\0' || !(value > 0.0) || value > 100.0)
    {
      g_printerr ("The scale “%s” is not a number between 0 and 100 (exclusive of 0). "
                  "Use e.g. CP_BENCH_SCALE=0.01 for a quick check.\n", text);
      exit (2);
    }
  return value;
}

void
cp_bench_config_init (CpBenchConfig *config,
                      int            argc,
                      char         **argv)
{
  const char *env;
  gboolean have_scale = FALSE;

  config->scale = 1.0;
  config->smoke = FALSE;
  config->prepare = FALSE;
  config->results_path = NULL;

  env = g_getenv ("CP_BENCH_SCALE");
  if (env != NULL && *env != '\0')
    {
      config->scale = parse_scale (env);
      have_scale = TRUE;
    }

  for (int i = 1; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--scale="))
        {
          config->scale = parse_scale (argv[i] + strlen ("--scale="));
          have_scale = TRUE;
        }
      else if (g_str_equal (argv[i], "--smoke"))
        config->smoke = TRUE;
      else if (g_str_equal (argv[i], "--prepare"))
        config->prepare = TRUE;
      else
        {
          g_printerr ("Unknown argument “%s”. Use --scale=F (or CP_BENCH_SCALE=F), --smoke and --prepare.\n",
                      argv[i]);
          exit (2);
        }
    }

  if (config->smoke && !have_scale)
    config->scale = 0.001;

  /* A smoke run checks the code, its figures are meaningless: keep them
   * out of the file the README quotes. */
  env = g_getenv ("CP_BENCH_RESULTS");
  if (!config->smoke && env != NULL && *env != '\0')
    config->results_path = env;
}

guint64
cp_bench_scaled (const CpBenchConfig *config,
                 guint64              size,
                 guint64              minimum)
{
  double value = (double) size * config->scale + 0.5;

  return MAX ((guint64) value, minimum);
}

gint64
cp_bench_cpu_us (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return 0;

  return (gint64) usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec +
         (gint64) usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

double
cp_bench_percentile (GArray *samples,
                     double  p)
{
  guint rank;

  if (samples->len == 0)
    return 0.0;

  g_array_sort (samples, compare_doubles);

  /* Nearest rank: the smallest sample with at least P % at or below it. */
  rank = (guint) ((p / 100.0) * samples->len + 0.999999);
  rank = CLAMP (rank, 1, samples->len);
  return g_array_index (samples, double, rank - 1);
}

char *
cp_bench_thousands (double value)
{
  g_autofree char *digits = g_strdup_printf ("%.0f", value);
  GString *out = g_string_new (NULL);
  const char *p = digits;
  gsize n;

  if (*p == '-')
    g_string_append_c (out, *p++);
  n = strlen (p);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, p[i]);
    }

  return g_string_free (out, FALSE);
}

void
cp_bench_report (const CpBenchConfig *config,
                 const char          *line)
{
  FILE *file;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL;

  g_print ("%s\n", line);
  fflush (stdout);

  if (config->results_path == NULL)
    return;

  file = fopen (config->results_path, "a");
  if (file == NULL)
    {
      g_printerr ("Could not append to %s: %s\n", config->results_path, g_strerror (errno));
      return;
    }

  now = g_date_time_new_now_utc ();
  stamp = g_date_time_format (now, "%Y-%m-%d %H:%M:%SZ");
  if (config->scale != 1.0)
    fprintf (file, "[%s scale %g] %s\n", stamp, config->scale, line);
  else
    fprintf (file, "[%s] %s\n", stamp, line);
  fclose (file);
}

typedef struct
{
  GDestroyNotify func;
  gpointer       data;
} FailHook;

static GArray *fail_hooks;

void
cp_bench_on_fail (GDestroyNotify func,
                  gpointer       data)
{
  FailHook hook = { func, data };

  if (fail_hooks == NULL)
    fail_hooks = g_array_new (FALSE, FALSE, sizeof (FailHook));
  g_array_append_val (fail_hooks, hook);
}

void
cp_bench_fail (const char *format,
               ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("BENCHMARK FAILED: %s\n", message);

  for (guint i = fail_hooks != NULL ? fail_hooks->len : 0; i > 0; i--)
    {
      FailHook *hook = &g_array_index (fail_hooks, FailHook, i - 1);

      hook->func (hook->data);
    }
  exit (1);
}

static void
remove_tmp_dir (gpointer data)
{
  cp_bench_rm_rf (data);
}

char *
cp_bench_make_tmp_dir (const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("%s-XXXXXX", prefix);
  char *path;

  path = g_dir_make_tmp (template, &error);
  if (path == NULL)
    cp_bench_fail ("cannot create a temporary directory: %s", error->message);

  /* Kept for the process's life: the hook needs the path after the
   * caller freed its copy. */
  cp_bench_on_fail (remove_tmp_dir, g_strdup (path));
  return path;
}

void
cp_bench_rm_rf (const char *path)
{
  GDir *dir;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          cp_bench_rm_rf (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

typedef struct
{
  char   *sql;
  guint64 calls;
  guint64 ns;
} Profile;

static GHashTable *profiles;

static int
on_profile (unsigned  type,
            void     *context,
            void     *p,
            void     *x)
{
  sqlite3_stmt *stmt = p;
  const char *sql = sqlite3_sql (stmt);
  Profile *profile;

  if (type != SQLITE_TRACE_PROFILE || sql == NULL)
    return 0;

  profile = g_hash_table_lookup (profiles, sql);
  if (profile == NULL)
    {
      profile = g_new0 (Profile, 1);
      profile->sql = g_strdup (sql);
      g_hash_table_insert (profiles, profile->sql, profile);
    }
  profile->calls++;
  profile->ns += *(sqlite3_int64 *) x;
  return 0;
}

void
cp_bench_sql_profile_attach (sqlite3 *db)
{
  if (g_strcmp0 (g_getenv ("CP_BENCH_PROFILE"), "1") != 0)
    return;

  if (profiles == NULL)
    profiles = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  sqlite3_trace_v2 (db, SQLITE_TRACE_PROFILE, on_profile, NULL);
}

static int
compare_profiles (gconstpointer a,
                  gconstpointer b)
{
  const Profile *x = *(Profile * const *) a;
  const Profile *y = *(Profile * const *) b;

  return (x->ns < y->ns) - (x->ns > y->ns);
}

void
cp_bench_sql_profile_print (const char *title)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  guint64 total = 0;

  if (profiles == NULL)
    return;

  g_hash_table_iter_init (&iter, profiles);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (sorted, value);
  g_ptr_array_sort (sorted, compare_profiles);
  for (guint i = 0; i < sorted->len; i++)
    total += ((Profile *) g_ptr_array_index (sorted, i))->ns;

  g_print ("SQL profile (%s): %.2f s in SQLite\n", title, total / 1e9);
  for (guint i = 0; i < MIN (sorted->len, 15); i++)
    {
      Profile *profile = g_ptr_array_index (sorted, i);
      g_autofree char *flat = g_strndup (profile->sql, 110);

      g_strdelimit (flat, "\n", ' ');
      g_print ("  %5.1f %%  %8.3f s  %9" G_GUINT64_FORMAT " calls  %s\n",
               total > 0 ? 100.0 * profile->ns / total : 0.0, profile->ns / 1e9,
               profile->calls, flat);
    }
  g_hash_table_remove_all (profiles);
}
