/* cp-engine-lock.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One syncing engine per ledger. cp_outbox_start_epoch() requeues every
 * job "started" under an earlier epoch, which is right after a crash but
 * wrong while another process (the window, serve, a `sync --once`) is
 * still working on them: it would count an attempt against each and send
 * them twice. So the engine takes an exclusive flock() on a file next to
 * the ledger before it starts its epoch.
 *
 * flock(), not fcntl() locks, and not on the ledger itself: POSIX locks
 * belong to the process and are dropped when ANY descriptor of that file
 * is closed, which SQLite does on its own. A flock belongs to our open
 * file description only, two descriptors in one process exclude each
 * other too, and the kernel releases it when the process dies, so a
 * crashed run's leases can still be requeued by the next run.
 */

#define G_LOG_DOMAIN "cp-engine"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cp-engine-private.h"

/* How often a waiting engine looks whether the other one has finished. */
#define LOCK_POLL_US (500 * G_TIME_SPAN_MILLISECOND)

char *
cp_engine_lock_path (const char *ledger_path)
{
  return g_strconcat (ledger_path, ".sync-lock", NULL);
}

/* Returns the locked descriptor, or -1: with *out_busy set when another
 * engine holds the lock, with ERROR set otherwise. */
static int
try_lock (const char  *ledger_path,
          gboolean    *out_busy,
          GError     **error)
{
  g_autofree char *path = cp_engine_lock_path (ledger_path);
  int fd;
  int saved;

  *out_busy = FALSE;
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not start syncing: cannot create “%s”: %s"),
                   path, g_strerror (saved));
      return -1;
    }

  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      saved = errno;
      if (saved == EINTR)
        continue;
      close (fd);
      if (saved == EWOULDBLOCK)
        *out_busy = TRUE;
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                     _("Could not start syncing: cannot lock “%s”: %s"),
                     path, g_strerror (saved));
      return -1;
    }

  return fd;
}

gboolean
cp_engine_run_lock (CpEngineRun  *run,
                    GError      **error)
{
  g_return_val_if_fail (run->lock_fd < 0, FALSE);

  for (;;)
    {
      gboolean busy;
      gint64 now, until;

      run->lock_fd = try_lock (run->engine->ledger_path, &busy, error);
      if (run->lock_fd >= 0)
        return TRUE;
      if (!busy)
        return FALSE;

      /* The window and serve wait quietly for their turn; a run_once
       * waits no longer than it was allowed to. */
      now = g_get_monotonic_time ();
      until = now + LOCK_POLL_US;
      if (!run->watch)
        {
          if (now >= run->deadline_mono)
            {
              g_set_error_literal (error, CP_ENGINE_ERROR, CP_ENGINE_ERROR_BUSY,
                                   _("Counterpart is already syncing this shop (the window "
                                     "or another command). Try again when it has finished."));
              return FALSE;
            }
          until = MIN (until, run->deadline_mono);
        }

      if (!cp_engine_run_sleep (run, until))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Syncing was cancelled."));
          return FALSE;
        }
    }
}

void
cp_engine_run_unlock (CpEngineRun *run)
{
  /* Closing the only descriptor of our open file description releases
   * the flock. The file stays: removing it would let a waiting engine
   * lock an unlinked file while a third one creates a new one. */
  if (run->lock_fd >= 0)
    close (run->lock_fd);
  run->lock_fd = -1;
}
