/* cp-engine-reconcile.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Full reconciliation (issue 4, stock rules): change-driven pushes miss
 * what changed on the store's side (an edit in its admin, a sale while
 * a push was held back, a lost write), so now and then every mapped SKU
 * is compared with what the store shows, and each that drifted gets a
 * stock push through the outbox, like any other change: coalesced,
 * retried, isolated when refused. One InventoryReconciled event says
 * what was compared and what was fixed.
 *
 * It runs when asked (counterpart-cli sync --reconcile, the window) and,
 * in the watch loop, every "schedule": {"reconcile_hours": N} (24 by
 * default) counted from the last one, kept in the integration's cursors
 * so the schedule survives restarts.
 */

#define G_LOG_DOMAIN "cp-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cp-activity.h"
#include "cp-engine-private.h"
#include "cp-outbox.h"
#include "cp-sql.h"
#include "cp-stock-publish.h"

/* SKUs named in the event's details, per list; the counts say the rest. */
#define MAX_LISTED_SKUS 20

void
cp_engine_reconcile (CpEngine   *self,
                     const char *integration_id)
{
  g_return_if_fail (CP_IS_ENGINE (self));

  g_mutex_lock (&self->mutex);
  if (integration_id == NULL)
    self->reconcile_all = TRUE;
  else
    {
      if (self->reconcile_ids == NULL)
        self->reconcile_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_add (self->reconcile_ids, g_strdup (integration_id));
    }
  g_mutex_unlock (&self->mutex);

  /* Wakes the watch loop with a request, so the pass comes now. */
  cp_engine_sync_now (self, integration_id);
}

void
cp_engine_reconcile_clear (CpEngine *self)
{
  g_clear_pointer (&self->reconcile_ids, g_hash_table_unref);
}

void
cp_engine_reconcile_take_requests (CpEngineRun *run,
                                   GPtrArray   *integrations)
{
  CpEngine *engine = run->engine;
  g_autoptr(GHashTable) ids = NULL;
  gboolean all;

  g_mutex_lock (&engine->mutex);
  all = engine->reconcile_all;
  engine->reconcile_all = FALSE;
  ids = g_steal_pointer (&engine->reconcile_ids);
  g_mutex_unlock (&engine->mutex);

  if (!all && ids == NULL)
    return;
  for (guint i = 0; i < integrations->len; i++)
    {
      CpIntegration *integration = g_ptr_array_index (integrations, i);
      CpEngineSlot *slot;

      if (run->only_id != NULL && !g_str_equal (run->only_id, integration->id))
        continue;
      if (!all && !g_hash_table_contains (ids, integration->id))
        continue;
      slot = cp_engine_slot_get (run, integration);
      slot->reconcile_due = TRUE;
      slot->integration = NULL;
    }
}

/* ---- Comparing --------------------------------------------------------- */

typedef struct
{
  guint       checked;     /* variants compared */
  GHashTable *fixed;       /* variant id (gint64*) → NULL: a push queued */
  GPtrArray  *fixed_skus;
  guint       missing;     /* variants the store does not show */
  GPtrArray  *missing_skus;
  guint       in_flight;   /* differed, but a push was on its way already */
} Tally;

static void
tally_clear (Tally *tally)
{
  g_clear_pointer (&tally->fixed, g_hash_table_unref);
  g_clear_pointer (&tally->fixed_skus, g_ptr_array_unref);
  g_clear_pointer (&tally->missing_skus, g_ptr_array_unref);
}

static char *
pair_key (gint64      variant_id,
          const char *location)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "\x1f%s", variant_id, location ? location : "");
}

/* Variants with a stock push pending or under way: the store will hear
 * of them anyway, so a difference there is not drift. */
static GHashTable *
load_in_flight (CpEngineRun   *run,
                const char    *integration_id,
                GError       **error)
{
  g_autoptr(GHashTable) out = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(CpSqlStmt) stmt = NULL;
  int rc;

  stmt = cp_ledger_prepare (run->ledger,
                            "SELECT json_extract (payload, '$.variant_id') FROM outbox_jobs "
                            "WHERE integration_id = ?1 AND kind = '" CP_JOB_STOCK_PUSH "' "
                            "AND closed_at IS NULL AND state IN ('pending', 'started')",
                            error);
  if (stmt == NULL)
    return NULL;
  cp_sql_bind_text (stmt, 1, integration_id);
  while ((rc = cp_sql_step (run->ledger, stmt, _("Could not read the outbox"), error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_hash_table_add (out, g_memdup2 (&id, sizeof id));
    }
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&out);
}

static void
compare_chunk (GPtrArray  *wanted,
               GPtrArray  *found,
               GHashTable *in_flight,
               Tally      *tally)
{
  g_autoptr(GHashTable) remote = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) missing = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < found->len; i++)
    {
      CpStockPublished *row = g_ptr_array_index (found, i);

      g_hash_table_insert (remote, pair_key (row->variant_id, row->location),
                           g_memdup2 (&row->quantity, sizeof row->quantity));
    }

  for (guint i = 0; i < wanted->len; i++)
    {
      CpStockPublished *row = g_ptr_array_index (wanted, i);
      g_autofree char *key = pair_key (row->variant_id, row->location);
      const gint64 *there = g_hash_table_lookup (remote, key);

      if (g_hash_table_add (seen, &row->variant_id))
        tally->checked++;
      if (there == NULL)
        {
          if (g_hash_table_add (missing, &row->variant_id))
            {
              tally->missing++;
              if (tally->missing_skus->len < MAX_LISTED_SKUS)
                g_ptr_array_add (tally->missing_skus, g_strdup (row->sku));
            }
          continue;
        }
      if (*there == row->quantity || g_hash_table_contains (tally->fixed, &row->variant_id))
        continue;
      if (g_hash_table_contains (in_flight, &row->variant_id))
        {
          tally->in_flight++;
          continue;
        }
      g_hash_table_add (tally->fixed, g_memdup2 (&row->variant_id, sizeof row->variant_id));
      if (tally->fixed_skus->len < MAX_LISTED_SKUS)
        g_ptr_array_add (tally->fixed_skus, g_strdup (row->sku));
    }
}

static void
add_sku_array (JsonBuilder *builder,
               const char  *member,
               GPtrArray   *skus)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < skus->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (skus, i));
  json_builder_end_array (builder);
}

static char *
tally_to_json (const Tally *tally)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "checked");
  json_builder_add_int_value (builder, tally->checked);
  json_builder_set_member_name (builder, "fixed");
  json_builder_add_int_value (builder, g_hash_table_size (tally->fixed));
  json_builder_set_member_name (builder, "missing");
  json_builder_add_int_value (builder, tally->missing);
  json_builder_set_member_name (builder, "in_flight");
  json_builder_add_int_value (builder, tally->in_flight);
  add_sku_array (builder, "skus_fixed", tally->fixed_skus);
  add_sku_array (builder, "skus_missing", tally->missing_skus);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static char *
tally_message (const Tally  *tally,
               CpEngineSlot *slot)
{
  guint fixed = g_hash_table_size (tally->fixed);
  g_autofree char *compared = NULL;
  g_autofree char *skus = NULL;
  g_autofree char *missing = NULL;

  compared = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Compared the stock of %u product with “%s”",
                                           "Compared the stock of %u products with “%s”",
                                           tally->checked),
                              tally->checked, cp_engine_slot_name (slot));
  if (tally->missing > 0)
    missing = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            " %u product is not on the store; see "
                                            "“counterpart-cli integration map %s --show”.",
                                            " %u products are not on the store; see "
                                            "“counterpart-cli integration map %s --show”.",
                                            tally->missing),
                               tally->missing, slot->id);
  if (fixed == 0)
    /* Translators: the first %s is "Compared the stock of N products with “Shop”" */
    return g_strdup_printf (_("%s: all agree.%s"), compared, missing ? missing : "");

  {
    /* Borrowed strings: the array must not free them. */
    g_autoptr(GPtrArray) names = g_ptr_array_new ();

    for (guint i = 0; i < tally->fixed_skus->len; i++)
      g_ptr_array_add (names, g_ptr_array_index (tally->fixed_skus, i));
    g_ptr_array_add (names, NULL);
    skus = g_strjoinv (", ", (char **) names->pdata);
  }
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       /* Translators: the first %s is "Compared the stock of N
                                        * products with “Shop”", the last the SKUs */
                                       "%s: %u differed and is being corrected (%s%s).%s",
                                       "%s: %u differed and are being corrected (%s%s).%s",
                                       fixed),
                          compared, fixed, skus, fixed > tally->fixed_skus->len ? ", …" : "",
                          missing ? missing : "");
}

/* Queues the fixes, moves the schedule and logs the event, in one
 * transaction: a reconciliation is recorded exactly when its fixes are. */
static gboolean
commit_tally (CpEngineRun  *run,
              CpEngineSlot *slot,
              const Tally  *tally,
              GError      **error)
{
  g_autofree char *message = tally_message (tally, slot);
  g_autofree char *details = tally_to_json (tally);
  g_autofree char *now_text = NULL;
  GHashTableIter iter;
  gpointer key;
  gint64 now = cp_ledger_now_us ();

  if (!cp_ledger_begin (run->ledger, error))
    return FALSE;
  g_hash_table_iter_init (&iter, tally->fixed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gint64 variant_id = *(gint64 *) key;
      g_autofree char *coalesce = g_strdup_printf ("variant:%" G_GINT64_FORMAT, variant_id);
      g_autofree char *payload = g_strdup_printf ("{\"variant_id\":%" G_GINT64_FORMAT "}", variant_id);

      /* The same key as the stock triggers': it merges with a change. */
      if (cp_outbox_enqueue (run->ledger, slot->id, CP_JOB_STOCK_PUSH, coalesce, payload, now,
                             error) == 0)
        goto failed;
    }
  now_text = g_strdup_printf ("%" G_GINT64_FORMAT, now);
  if (!cp_integrations_set_cursor (run->ledger, slot->id, CP_ENGINE_CURSOR_RECONCILED, now_text,
                                   error) ||
      cp_activity_log (run->ledger, CP_ACTIVITY_INVENTORY_RECONCILED,
                       g_hash_table_size (tally->fixed) > 0 || tally->missing > 0
                       ? CP_ACTIVITY_WARNING : CP_ACTIVITY_INFO,
                       slot->id, 0, message, details, error) == 0 ||
      !cp_ledger_commit (run->ledger, error))
    goto failed;
  return TRUE;

failed:
  if (cp_ledger_in_transaction (run->ledger))
    cp_ledger_rollback (run->ledger);
  return FALSE;
}

/* Logs why an integration asked for cannot be compared, and moves its
 * schedule so the watch loop does not ask again every pass. */
static gboolean
skip_with_reason (CpEngineRun  *run,
                  CpEngineSlot *slot,
                  const char   *message,
                  gboolean      log)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *now_text = g_strdup_printf ("%" G_GINT64_FORMAT, cp_ledger_now_us ());

  slot->reconcile_due = FALSE;
  if (!cp_ledger_begin (run->ledger, &error) ||
      !cp_integrations_set_cursor (run->ledger, slot->id, CP_ENGINE_CURSOR_RECONCILED, now_text,
                                   &error) ||
      (log && cp_activity_log (run->ledger, CP_ACTIVITY_INVENTORY_RECONCILED, CP_ACTIVITY_INFO,
                               slot->id, 0, message, NULL, &error) == 0) ||
      !cp_ledger_commit (run->ledger, &error))
    {
      if (cp_ledger_in_transaction (run->ledger))
        cp_ledger_rollback (run->ledger);
      return !cp_engine_run_check_stop (run, error);
    }
  return TRUE;
}

/* When the next scheduled one is due (wall µs), or 0 when it is now.
 * The clock of an integration never reconciled starts at its first
 * sight: a fresh connection has just been pushed in full anyway. */
static gint64
scheduled_due (CpEngineRun  *run,
               CpEngineSlot *slot,
               GError      **error)
{
  g_autofree char *last = NULL;
  gint64 now = cp_ledger_now_us ();
  gint64 interval = (gint64) cp_stock_publish_settings_reconcile_hours (slot->integration->settings)
                    * 3600 * G_USEC_PER_SEC;
  gint64 at;

  last = cp_integrations_get_cursor (run->ledger, slot->id, CP_ENGINE_CURSOR_RECONCILED, error);
  if (last == NULL)
    {
      g_autofree char *now_text = NULL;

      if (error != NULL && *error != NULL)
        return -1;
      now_text = g_strdup_printf ("%" G_GINT64_FORMAT, now);
      if (!cp_integrations_set_cursor (run->ledger, slot->id, CP_ENGINE_CURSOR_RECONCILED,
                                       now_text, error))
        return -1;
      return now + interval;
    }
  at = g_ascii_strtoll (last, NULL, 10);
  /* A clock set back must not postpone it for years. */
  if (at > now)
    at = now;
  return at + interval <= now ? 0 : at + interval;
}

/* FALSE: stop this integration's pass (the ledger refused a write). */
static gboolean
reconcile (CpEngineRun  *run,
           CpEngineSlot *slot,
           gboolean      asked,
           gint64       *out_next_mono)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) variants = NULL;
  g_autoptr(GHashTable) in_flight = NULL;
  Tally tally = { 0 };
  gboolean ok = TRUE;

  tally.fixed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  tally.fixed_skus = g_ptr_array_new_with_free_func (g_free);
  tally.missing_skus = g_ptr_array_new_with_free_func (g_free);

  variants = cp_stock_publish_list_mapped_variants (run->ledger, slot->id, &error);
  if (variants != NULL)
    in_flight = load_in_flight (run, slot->id, &error);
  if (variants == NULL || in_flight == NULL)
    {
      ok = !cp_engine_run_check_stop (run, error);
      if (ok)
        g_warning ("Could not start the reconciliation of %s: %s", slot->id, error->message);
      slot->reconcile_due = FALSE;
      goto out;
    }

  /* Nothing linked, nothing compared, and the store not even asked:
   * "all agree" would claim what was never checked. */
  if (variants->len == 0)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Nothing is linked to “%s” yet: link products first "
                                   "(“counterpart-cli integration map %s --show” lists what "
                                   "matches), then reconcile again."),
                                 cp_engine_slot_name (slot), slot->id);
      ok = skip_with_reason (run, slot, message, asked);
      goto out;
    }

  for (guint first = 0; first < variants->len; first += CP_CONNECTOR_READ_STOCK_MAX)
    {
      guint n = MIN (CP_CONNECTOR_READ_STOCK_MAX, variants->len - first);
      g_autoptr(GPtrArray) wanted = NULL;
      g_autoptr(GPtrArray) found =
        g_ptr_array_new_with_free_func ((GDestroyNotify) cp_stock_published_free);

      if (cp_engine_run_cancelled (run))
        goto out;
      wanted = cp_stock_publish_compute (run->ledger, slot->id,
                                         &g_array_index (variants, gint64, first), n, &error);
      if (wanted == NULL ||
          !cp_connector_read_stock (slot->connector, run->ledger, wanted, found,
                                    run->cancellable, &error))
        {
          /* A wait or a backoff: the whole comparison again after it. */
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            goto out;
          ok = cp_engine_note_request_failure (run, slot, error, _("read the stock of"));
          if (slot->blocked)
            slot->reconcile_due = FALSE;
          else
            *out_next_mono = MAX (slot->backoff_until, slot->wait_until_mono);
          goto out;
        }
      compare_chunk (wanted, found, in_flight, &tally);
    }

  if (!commit_tally (run, slot, &tally, &error))
    {
      ok = !cp_engine_run_check_stop (run, error);
      if (ok)
        g_warning ("Could not record the reconciliation of %s: %s", slot->id, error->message);
      goto out;
    }
  slot->reconcile_due = FALSE;
  cp_engine_note_request_success (run, slot);
  cp_engine_emit_integration_changed (run->engine, slot->id);
  g_debug ("Reconciled %s: %u compared, %u fixed, %u missing", slot->id, tally.checked,
           g_hash_table_size (tally.fixed), tally.missing);

out:
  tally_clear (&tally);
  return ok && run->stopped == NULL;
}

gboolean
cp_engine_reconcile_step (CpEngineRun  *run,
                          CpEngineSlot *slot,
                          gint64       *out_next_mono)
{
  g_autoptr(GError) error = NULL;
  gboolean asked = slot->reconcile_due;
  gboolean pos_master;
  gint64 wait;

  *out_next_mono = 0;
  if (slot->connector == NULL || slot->integration == NULL)
    return TRUE;

  if (!asked)
    {
      gint64 due;

      if (!run->watch)
        return TRUE;
      due = scheduled_due (run, slot, &error);
      if (due < 0)
        return !cp_engine_run_check_stop (run, error);
      if (due > 0)
        {
          *out_next_mono = cp_engine_wall_to_mono (due);
          return TRUE;
        }
      slot->reconcile_due = TRUE;
    }

  /* What the engine would never push is not compared. */
  pos_master = cp_stock_publish_settings_pos_is_master (slot->integration->settings,
                                                        CP_MASTER_FIELD_STOCK);
  if (!pos_master)
    return skip_with_reason (run, slot, _("The store keeps its own stock count (the store is "
                                          "the master of stock), so Counterpart did not compare "
                                          "it."), asked);
  if (!cp_integration_has_permission (slot->integration, CP_PERMISSION_INVENTORY_SYNC) ||
      !(cp_connector_get_capabilities (slot->connector) & CP_CONNECTOR_CAP_PUSH_STOCK))
    return skip_with_reason (run, slot, _("This store connection may not receive stock "
                                          "(inventory.sync), so Counterpart did not compare it. "
                                          "Give it that permission in Integrations, then "
                                          "reconcile again."), asked);
  if (!cp_connector_can_read_stock (slot->connector))
    return skip_with_reason (run, slot, _("This kind of store cannot report its stock, so "
                                          "Counterpart cannot compare it; a full sync sends every "
                                          "quantity again."), asked);

  wait = cp_engine_slot_wait_us (run, slot);
  if (wait > 0)
    {
      *out_next_mono = g_get_monotonic_time () + wait;
      return TRUE;
    }
  return reconcile (run, slot, asked, out_next_mono);
}
