/* cp-catalog-io.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the catalog import and exports share (the report, the columns),
 * and their async variants: a worker thread with its own connection to
 * the ledger's file, reporting progress on the caller's main context.
 */

#define G_LOG_DOMAIN "cp-catalog-io"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cp-catalog-io.h"
#include "cp-catalog-io-private.h"
#include "cp-catalog.h"

G_DEFINE_QUARK (cp-catalog-io-error-quark, cp_catalog_io_error)

/* Column order of an export, which the import reads back unchanged. */
const char * const cp_catalog_io_fixed_columns[CP_CATALOG_IO_N_FIXED] = {
  "sku", "name", "product", "option1", "option2", "option3",
  "price", "currency", "cost", "barcode", "tax_class", "module", "category",
};

/* Report */

static void
problem_free (gpointer data)
{
  CpImportProblem *problem = data;

  g_free (problem->column_name);
  g_free (problem->message);
  g_free (problem);
}

CpImportReport *
cp_import_report_new (void)
{
  CpImportReport *report = g_new0 (CpImportReport, 1);

  report->problems = g_ptr_array_new_with_free_func (problem_free);
  return report;
}

void
cp_import_report_free (CpImportReport *report)
{
  if (report == NULL)
    return;

  g_ptr_array_unref (report->problems);
  g_free (report);
}

char *
cp_import_problem_to_string (const CpImportProblem *problem)
{
  g_return_val_if_fail (problem != NULL, NULL);

  if (problem->column > 0 && problem->column_name != NULL)
    return g_strdup_printf (_("line %u, column %u (%s): %s"), problem->line, problem->column,
                            problem->column_name, problem->message);
  if (problem->column > 0)
    return g_strdup_printf (_("line %u, column %u: %s"), problem->line, problem->column,
                            problem->message);
  return g_strdup_printf (_("line %u: %s"), problem->line, problem->message);
}

/* The union of every module's fields, in module order, each once. */
GPtrArray *
cp_catalog_io_all_fields (void)
{
  GPtrArray *fields = g_ptr_array_new ();

  for (guint m = 0; m < CP_N_MODULES; m++)
    for (const char * const *f = cp_module_fields (m); *f != NULL; f++)
      if (!g_ptr_array_find_with_equal_func (fields, *f, g_str_equal, NULL))
        g_ptr_array_add (fields, (gpointer) *f);

  return fields;
}

char *
cp_catalog_io_attribute_text (JsonNode *node)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");

  if (!JSON_NODE_HOLDS_VALUE (node))
    return json_to_string (node, FALSE);

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_DOUBLE:
      /* Not money: a measurement someone typed, such as a weight. */
      return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
    default:
      return json_to_string (node, FALSE);
    }
}


/* Async: the work runs in a thread on its own connection (SQLite
 * connections are not shared between threads), progress is handed to the
 * caller's main context, and the caller's ledger announces the change
 * when it is done, since its own connection did not make it. */

typedef struct
{
  char            *db_path;
  char            *path;
  CpExportFormat   format;
  CpProgressFunc   progress;
  gpointer         progress_data;
  GMainContext    *context;
  CpImportReport  *report;
} IoTaskData;

typedef struct
{
  CpProgressFunc  func;
  gpointer        data;
  guint64         done;
  guint64         total;
} ProgressCall;

static void
io_task_data_free (gpointer user_data)
{
  IoTaskData *data = user_data;

  g_free (data->db_path);
  g_free (data->path);
  g_main_context_unref (data->context);
  g_clear_pointer (&data->report, cp_import_report_free);
  g_free (data);
}

static IoTaskData *
io_task_data_new (CpLedger       *ledger,
                  const char     *path,
                  CpProgressFunc  progress,
                  gpointer        progress_data)
{
  IoTaskData *data = g_new0 (IoTaskData, 1);

  data->db_path = g_strdup (cp_ledger_get_path (ledger));
  data->path = g_strdup (path);
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();

  return data;
}

static gboolean
progress_dispatch (gpointer user_data)
{
  ProgressCall *call = user_data;

  call->func (call->done, call->total, call->data);
  return G_SOURCE_REMOVE;
}

/* Runs in the worker: queue the call for the caller's context. Sources of
 * one priority run in the order they were added, so every progress call
 * arrives before the task's callback. */
static void
thread_progress (guint64  done,
                 guint64  total,
                 gpointer user_data)
{
  IoTaskData *data = user_data;
  ProgressCall *call = g_new (ProgressCall, 1);

  call->func = data->progress;
  call->data = data->progress_data;
  call->done = done;
  call->total = total;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, progress_dispatch, call, g_free);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  IoTaskData *data = task_data;
  g_autoptr(CpLedger) ledger = NULL;
  GError *error = NULL;

  ledger = cp_ledger_open (data->db_path, &error);
  if (ledger == NULL)
    {
      data->report = cp_import_report_new ();
      g_task_return_error (task, error);
      return;
    }

  if (!cp_catalog_import_csv (ledger, data->path,
                              data->progress != NULL ? thread_progress : NULL, data,
                              cancellable, &data->report, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  IoTaskData *data = task_data;
  g_autoptr(CpLedger) ledger = NULL;
  GError *error = NULL;

  ledger = cp_ledger_open (data->db_path, &error);
  if (ledger == NULL ||
      !cp_catalog_export (ledger, data->path, data->format,
                          data->progress != NULL ? thread_progress : NULL, data,
                          cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Back on the caller's context: announce, then complete the outer task. */
static void
worker_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  CpLedger *ledger = g_task_get_source_object (outer);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      return;
    }

  if (g_task_get_source_tag (outer) == cp_catalog_import_csv_async)
    {
      cp_ledger_emit_changed (ledger, "variants");
      cp_ledger_emit_changed (ledger, "stock");
    }
  g_task_return_boolean (outer, TRUE);
}

static void
run_worker (GTask           *outer,
            IoTaskData      *data,
            GTaskThreadFunc  func)
{
  g_autoptr(GTask) inner = NULL;

  inner = g_task_new (NULL, g_task_get_cancellable (outer), worker_done, g_object_ref (outer));
  g_task_set_task_data (inner, data, NULL);
  /* Cancelling must roll back, not abandon a thread mid-transaction. */
  g_task_set_return_on_cancel (inner, FALSE);
  g_task_run_in_thread (inner, func);
}

void
cp_catalog_import_csv_async (CpLedger            *ledger,
                             const char          *path,
                             CpProgressFunc       progress,
                             gpointer             progress_data,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  IoTaskData *data;

  g_return_if_fail (CP_IS_LEDGER (ledger));
  g_return_if_fail (path != NULL);

  task = g_task_new (ledger, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_catalog_import_csv_async);
  data = io_task_data_new (ledger, path, progress, progress_data);
  g_task_set_task_data (task, data, io_task_data_free);

  run_worker (task, data, import_thread);
}

gboolean
cp_catalog_import_csv_finish (CpLedger         *ledger,
                              GAsyncResult     *result,
                              CpImportReport  **out_report,
                              GError          **error)
{
  IoTaskData *data;

  g_return_val_if_fail (g_task_is_valid (result, ledger), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cp_catalog_import_csv_async,
                        FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (out_report != NULL)
    *out_report = data->report != NULL ? g_steal_pointer (&data->report) : cp_import_report_new ();

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cp_catalog_export_async (CpLedger            *ledger,
                         const char          *path,
                         CpExportFormat       format,
                         CpProgressFunc       progress,
                         gpointer             progress_data,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  IoTaskData *data;

  g_return_if_fail (CP_IS_LEDGER (ledger));
  g_return_if_fail (path != NULL);

  task = g_task_new (ledger, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_catalog_export_async);
  data = io_task_data_new (ledger, path, progress, progress_data);
  data->format = format;
  g_task_set_task_data (task, data, io_task_data_free);

  run_worker (task, data, export_thread);
}

gboolean
cp_catalog_export_finish (CpLedger      *ledger,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, ledger), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cp_catalog_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
