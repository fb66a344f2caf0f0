/* test-connector-prefetch.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page read ahead of a pull (cp-connector-prefetch.h): it runs while
 * the caller goes on, keeps its connector alive until it has run, its
 * result or error comes back once, and a result nobody wants is freed.
 */

#include "config.h"

#include "cp-connector-prefetch.h"

typedef struct
{
  GMutex   lock;
  GCond    cond;
  gboolean released;   /* set by the test once start() has returned */
  gboolean waited;     /* the fetch saw the release: it ran alongside */
  gboolean fail;
  guint    freed;
} Gate;

static void
gate_init (Gate *gate)
{
  *gate = (Gate) { 0 };
  g_mutex_init (&gate->lock);
  g_cond_init (&gate->cond);
}

static void
gate_clear (Gate *gate)
{
  g_mutex_clear (&gate->lock);
  g_cond_clear (&gate->cond);
}

static gpointer
gated_fetch (GObject             *owner,
             const char * const  *args,
             GCancellable        *cancellable,
             GError             **error)
{
  Gate *gate = g_object_get_data (owner, "gate");
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  /* Blocks until the test, which is past cp_connector_prefetch_start(),
   * lets it go: run in the caller's thread it would wait here until the
   * deadline and report that it never ran alongside. */
  g_mutex_lock (&gate->lock);
  while (!gate->released)
    if (!g_cond_wait_until (&gate->cond, &gate->lock, deadline))
      break;
  gate->waited = gate->released;
  g_mutex_unlock (&gate->lock);

  if (gate->fail)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "refused");
      return NULL;
    }
  return g_strdup (args[0]);
}

static void
count_release (gpointer  data,
               GObject  *where_the_object_was)
{
  ((Gate *) data)->freed++;
}

static void
gate_release (Gate *gate)
{
  g_mutex_lock (&gate->lock);
  gate->released = TRUE;
  g_cond_signal (&gate->cond);
  g_mutex_unlock (&gate->lock);
}

/* The connector the fetch runs for, holding GATE; counts its release in
 * GATE->freed. */
static GObject *
gate_owner (Gate *gate)
{
  GObject *owner = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_set_data (owner, "gate", gate);
  g_object_weak_ref (owner, count_release, gate);
  return owner;
}

static void
test_runs_alongside (void)
{
  Gate gate;
  CpConnectorPrefetch *prefetch;
  GObject *owner;
  g_autofree char *page = NULL;
  g_autoptr(GError) error = NULL;

  gate_init (&gate);
  owner = gate_owner (&gate);
  prefetch = cp_connector_prefetch_start (owner, gated_fetch, g_strsplit ("page 2", ",", -1), NULL);
  /* The prefetch keeps the connector alive while it runs. */
  g_object_unref (owner);
  gate_release (&gate);
  page = cp_connector_prefetch_finish (prefetch, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (page, ==, "page 2");
  g_assert_true (gate.waited);
  g_assert_cmpuint (gate.freed, ==, 1);
  gate_clear (&gate);
}

static void
test_error (void)
{
  Gate gate;
  CpConnectorPrefetch *prefetch;
  GObject *owner;
  g_autoptr(GError) error = NULL;

  gate_init (&gate);
  gate.fail = TRUE;
  owner = gate_owner (&gate);
  prefetch = cp_connector_prefetch_start (owner, gated_fetch, g_strsplit ("page 2", ",", -1), NULL);
  /* The prefetch keeps the connector alive while it runs. */
  g_object_unref (owner);
  gate_release (&gate);
  g_assert_null (cp_connector_prefetch_finish (prefetch, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_cmpuint (gate.freed, ==, 1);
  gate_clear (&gate);
}

static guint n_results_freed;

static void
result_free (gpointer data)
{
  g_free (data);
  n_results_freed++;
}

static void
test_discard (void)
{
  Gate gate;
  CpConnectorPrefetch *prefetch;
  GObject *owner;

  gate_init (&gate);
  owner = gate_owner (&gate);
  prefetch = cp_connector_prefetch_start (owner, gated_fetch, g_strsplit ("page 2", ",", -1), NULL);
  /* The prefetch keeps the connector alive while it runs. */
  g_object_unref (owner);
  gate_release (&gate);
  n_results_freed = 0;
  cp_connector_prefetch_discard (prefetch, result_free);
  g_assert_cmpuint (n_results_freed, ==, 1);
  g_assert_cmpuint (gate.freed, ==, 1);
  gate_clear (&gate);
  /* Nothing to discard is no error. */
  cp_connector_prefetch_discard (NULL, result_free);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/connectors/prefetch/runs-alongside", test_runs_alongside);
  g_test_add_func ("/connectors/prefetch/error", test_error);
  g_test_add_func ("/connectors/prefetch/discard", test_discard);
  return g_test_run ();
}
