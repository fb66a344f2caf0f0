/* cp-crash-point.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-crash-point"

#include "config.h"

#include "cp-crash-point.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct
{
  gboolean  armed;        /* either variable set */

  char     *at_name;      /* CP_CRASH_AT without the ":N" */
  guint     at_count;     /* the Nth time; 1 when no ":N" */
  guint     at_seen;      /* hits of at_name so far (under lock) */

  gboolean  random;
  guint64   random_state; /* xorshift64*; never 0 */
  guint     permille;

  GMutex    lock;
} CrashConfig;

static CrashConfig *config;

static CrashConfig *
parse_environment (void)
{
  CrashConfig *c = g_new0 (CrashConfig, 1);
  const char *at = g_getenv ("CP_CRASH_AT");
  const char *random = g_getenv ("CP_CRASH_RANDOM");

  g_mutex_init (&c->lock);

  if (at != NULL && at[0] != '\0')
    {
      const char *colon = strrchr (at, ':');
      guint64 n = 0;

      /* Only a trailing ":digits" is a count, so a name could still hold a
       * colon of its own. */
      if (colon != NULL && colon[1] != '\0' &&
          g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT, &n, NULL))
        {
          c->at_name = g_strndup (at, colon - at);
          c->at_count = (guint) n;
        }
      else
        {
          c->at_name = g_strdup (at);
          c->at_count = 1;
        }
      c->armed = TRUE;
    }

  if (random != NULL && random[0] != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (random, ":", 2);
      guint64 seed = 0, permille = 0;

      if (g_strv_length (parts) == 2 &&
          g_ascii_string_to_unsigned (parts[0], 10, 0, G_MAXUINT64, &seed, NULL) &&
          g_ascii_string_to_unsigned (parts[1], 10, 0, 1000, &permille, NULL))
        {
          /* splitmix64 of the seed, so that seeds 0, 1, 2 … start far
           * apart and the state is never the forbidden 0. */
          guint64 z = seed + G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
          z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
          z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
          z ^= z >> 31;
          c->random_state = z != 0 ? z : 1;
          c->permille = (guint) permille;
          c->random = TRUE;
          c->armed = TRUE;
        }
      else
        {
          g_warning ("CP_CRASH_RANDOM=%s is not SEED:PERMILLE; ignored", random);
        }
    }

  return c;
}

static guint
next_permille (CrashConfig *c)
{
  guint64 x = c->random_state;

  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  c->random_state = x;

  return (guint) (((x * G_GUINT64_CONSTANT (0x2545F4914F6CDD1D)) >> 32) % 1000);
}

G_GNUC_NORETURN static void
die_at (const char *name)
{
  /* write (2) rather than stdio: nothing buffered survives SIGKILL. */
  g_autofree char *line = g_strdup_printf ("cp-crash-point: killed at %s\n", name);
  ssize_t unused G_GNUC_UNUSED = write (STDERR_FILENO, line, strlen (line));

  kill (getpid (), SIGKILL);
  /* SIGKILL cannot be caught or blocked; this is only reached if kill ()
   * itself failed, and then dying by other means is still the point. */
  _exit (137);
}

void
cp_crash_point (const char *name)
{
  CrashConfig *c;
  gboolean die = FALSE;

  g_return_if_fail (name != NULL);

  if (g_once_init_enter (&config))
    g_once_init_leave (&config, parse_environment ());

  c = config;
  if (G_LIKELY (!c->armed))
    return;

  g_mutex_lock (&c->lock);

  if (c->at_name != NULL && strcmp (c->at_name, name) == 0)
    {
      c->at_seen++;
      if (c->at_seen == c->at_count)
        die = TRUE;
    }

  if (!die && c->random && next_permille (c) < c->permille)
    die = TRUE;

  g_mutex_unlock (&c->lock);

  if (die)
    die_at (name);
}
