/* cp-connector-prefetch.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading the next page of a pull while the engine stores the last one.
 * A pull is a chain of waits: the platform prepares a page, the
 * connector reads and parses it, the ledger stores it, and only then is
 * the next page asked for. Fetching page N + 1 on a thread of its own
 * while page N is stored lets the two halves run on two cores; the
 * pages still reach the ledger one at a time and in order, so what a
 * crash leaves is what it left before.
 *
 * Only a read may be fetched ahead (a GET has no effect on the
 * platform); the prefetch is always finished, its result used or
 * dropped, before the pull returns.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Runs on the prefetch thread with the connector and ARGS (the page's
 * path, cursor…) given to cp_connector_prefetch_start(): returns the
 * fetched page (owned by the caller of cp_connector_prefetch_finish), or
 * NULL with ERROR set. */
typedef gpointer (*CpConnectorFetchFunc) (GObject             *connector,
                                          const char * const  *args,
                                          GCancellable        *cancellable,
                                          GError             **error);

typedef struct _CpConnectorPrefetch CpConnectorPrefetch;

/* Starts FUNC (CONNECTOR, ARGS, CANCELLABLE) on a thread of its own.
 * CONNECTOR is kept alive until the prefetch is finished or discarded
 * (and let go on this thread); ARGS (a NULL-terminated
 * array, a NULL entry ending it early) belongs to the prefetch from here
 * on. Where no thread can be started, FUNC runs at once in this one. */
CpConnectorPrefetch *cp_connector_prefetch_start   (GObject             *connector,
                                                    CpConnectorFetchFunc func,
                                                    GStrv                args,
                                                    GCancellable        *cancellable);

/* Waits for the fetch and returns what FUNC returned, or NULL with
 * ERROR. Frees PREFETCH. */
gpointer             cp_connector_prefetch_finish  (CpConnectorPrefetch *prefetch,
                                                    GError             **error);

/* Waits for the fetch and drops its result with RESULT_FREE (a pull that
 * stops early: the page fetched ahead is not wanted). Frees PREFETCH. */
void                 cp_connector_prefetch_discard (CpConnectorPrefetch *prefetch,
                                                    GDestroyNotify       result_free);

G_END_DECLS
