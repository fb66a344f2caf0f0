/* cp-connector-prefetch.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A thread a page: a pull of 100,000 orders 200 a page starts 500 of
 * them, each ~20 µs, against the milliseconds a page takes to fetch.
 * A plain GThread, not GTask's pool: the engine's worker itself runs in
 * that pool, and waiting there for another of its threads could wait for
 * a thread the pool never frees.
 */

#define G_LOG_DOMAIN "cp-connectors"

#include "config.h"

#include "cp-connector-prefetch.h"

struct _CpConnectorPrefetch
{
  CpConnectorFetchFunc  func;
  GObject              *connector;
  GStrv                 args;
  GCancellable         *cancellable;
  GThread              *thread;
  gpointer              result;
  GError               *error;
};

static gpointer
prefetch_run (gpointer user_data)
{
  CpConnectorPrefetch *self = user_data;

  self->result = self->func (self->connector, (const char * const *) self->args,
                             self->cancellable, &self->error);
  return NULL;
}

CpConnectorPrefetch *
cp_connector_prefetch_start (GObject             *connector,
                             CpConnectorFetchFunc func,
                             GStrv                args,
                             GCancellable        *cancellable)
{
  CpConnectorPrefetch *self;

  g_return_val_if_fail (G_IS_OBJECT (connector) && func != NULL, NULL);

  self = g_new0 (CpConnectorPrefetch, 1);
  self->func = func;
  self->connector = g_object_ref (connector);
  self->args = args;
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  self->thread = g_thread_try_new ("cp-prefetch", prefetch_run, self, NULL);
  if (self->thread == NULL)
    prefetch_run (self);
  return self;
}

static void
prefetch_join (CpConnectorPrefetch *self)
{
  if (self->thread != NULL)
    g_thread_join (g_steal_pointer (&self->thread));
}

/* On the caller's thread, after the join: the connector is never let go
 * (and so never finalized) on the prefetch thread. */
static void
prefetch_free (CpConnectorPrefetch *self)
{
  g_clear_object (&self->connector);
  g_clear_pointer (&self->args, g_strfreev);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_free (self);
}

gpointer
cp_connector_prefetch_finish (CpConnectorPrefetch *self,
                              GError             **error)
{
  gpointer result;

  g_return_val_if_fail (self != NULL, NULL);

  prefetch_join (self);
  result = g_steal_pointer (&self->result);
  if (result == NULL)
    {
      if (self->error != NULL)
        g_propagate_error (error, g_steal_pointer (&self->error));
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The page was not read");
    }
  prefetch_free (self);
  return result;
}

void
cp_connector_prefetch_discard (CpConnectorPrefetch *self,
                               GDestroyNotify       result_free)
{
  if (self == NULL)
    return;
  prefetch_join (self);
  if (self->result != NULL && result_free != NULL)
    result_free (g_steal_pointer (&self->result));
  prefetch_free (self);
}
