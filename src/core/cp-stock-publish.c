/* cp-stock-publish.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stock rules shared by every store connector. Each read is one
 * statement for a whole push request (ids passed as a JSON array to
 * json_each), as a push reads a hundred variants or more at a time.
 */

#define G_LOG_DOMAIN "cp-stock-publish"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cp-connector.h"
#include "cp-integrations.h"
#include "cp-packed.h"
#include "cp-sql.h"
#include "cp-stock.h"
#include "cp-stock-publish.h"

void
cp_stock_published_free (CpStockPublished *published)
{
  if (published == NULL)
    return;
  /* A string replaced after cp_stock_publish_compute() lies outside the
   * block and is freed; the block's own go with it. */
  cp_packed_free (published + 1, published->packed_len, published->sku);
  cp_packed_free (published + 1, published->packed_len, published->location);
  cp_packed_free (published + 1, published->packed_len, published->remote_id);
  g_free (published);
}

/* A CpStockPublished and its three strings in one allocation: a push
 * reads up to two thousand at a time, and four allocations each were
 * 800 instructions per pushed item (callgrind, tests/bench). */
static CpStockPublished *
published_new (gint64      variant_id,
               const char *sku,
               const char *location,
               const char *remote_id,
               gint64      quantity)
{
  const char *texts[] = { sku, location, remote_id };
  gssize lengths[] = { -1, -1, -1 };
  gsize packed_len = cp_packed_size (texts, lengths, G_N_ELEMENTS (texts));
  CpStockPublished *published = g_malloc (sizeof *published + packed_len);
  char **fields[] = { &published->sku, &published->location, &published->remote_id };

  published->variant_id = variant_id;
  published->quantity = quantity;
  published->packed_len = packed_len;
  cp_packed_fill ((char *) (published + 1), fields, texts, lengths, G_N_ELEMENTS (texts));
  return published;
}

/* ---- Settings ---------------------------------------------------------- */

/* The member PATH[0].PATH[1] of SETTINGS_JSON, or NULL. Settings are
 * written by people and older versions: anything unexpected is absent. */
static JsonNode *
settings_member (JsonParser *parser,
                 const char *settings_json,
                 const char *group,
                 const char *member)
{
  JsonNode *root;
  JsonObject *object;

  if (settings_json == NULL ||
      !json_parser_load_from_data (parser, settings_json, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, group))
    return NULL;
  root = json_object_get_member (object, group);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, member))
    return NULL;
  return json_object_get_member (object, member);
}

gboolean
cp_stock_publish_settings_pos_is_master (const char *settings_json,
                                         const char *field)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *node = settings_member (parser, settings_json, "master", field);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return TRUE;
  return g_strcmp0 (json_node_get_string (node), "store") != 0;
}

static guint
settings_schedule (const char *settings_json,
                   const char *member,
                   guint       default_value)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *node = settings_member (parser, settings_json, "schedule", member);
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return default_value;
  value = json_node_get_int (node);
  /* A year is plenty; more is a typo, not a wish. */
  if (value < 1 || value > 24 * 366)
    return default_value;
  return (guint) value;
}

guint
cp_stock_publish_settings_pull_minutes (const char *settings_json)
{
  return settings_schedule (settings_json, "pull_minutes", CP_SCHEDULE_DEFAULT_PULL_MINUTES);
}

guint
cp_stock_publish_settings_reconcile_hours (const char *settings_json)
{
  return settings_schedule (settings_json, "reconcile_hours", CP_SCHEDULE_DEFAULT_RECONCILE_HOURS);
}

static char *
read_settings (CpLedger    *ledger,
               const char  *integration_id,
               GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  stmt = cp_ledger_prepare_cached (ledger, "SELECT settings FROM integrations WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  cp_sql_bind_text (stmt, 1, integration_id);
  rc = cp_sql_step (ledger, stmt, _("Could not read the integration"), error);
  if (rc == SQLITE_ROW)
    return cp_sql_dup_text (stmt, 0);
  if (rc == SQLITE_DONE)
    g_set_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_NOT_FOUND,
                 _("There is no store connection “%s”. See counterpart-cli integration list."),
                 integration_id);
  return NULL;
}

gboolean
cp_stock_publish_pos_is_master (CpLedger    *ledger,
                                const char  *integration_id,
                                const char  *field,
                                gboolean    *out_pos_is_master,
                                GError     **error)
{
  g_autofree char *settings = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (integration_id != NULL && field != NULL, FALSE);

  settings = read_settings (ledger, integration_id, error);
  if (settings == NULL)
    return FALSE;
  *out_pos_is_master = cp_stock_publish_settings_pos_is_master (settings, field);
  return TRUE;
}

/* ---- Locations --------------------------------------------------------- */

typedef struct
{
  gint64  location_id;
  guint   remote;       /* index into the remote locations */
} Target;

/* Which ledger locations feed which remote location: TARGETS (Target)
 * and REMOTES (char*, NULL for the default location). */
static gboolean
load_targets (CpLedger    *ledger,
              const char  *integration_id,
              GArray      *targets,
              GPtrArray   *remotes,
              GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  gint64 only_location = 0;
  guint n_locations = 0;
  int rc;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT l.id, m.remote_id FROM locations l "
                                   "LEFT JOIN integration_mappings m ON m.integration_id = ?1 "
                                   "AND m.kind = '" CP_MAPPING_KIND_LOCATION "' AND m.local_id = l.code "
                                   "ORDER BY l.id",
                                   error);
  if (stmt == NULL)
    return FALSE;
  cp_sql_bind_text (stmt, 1, integration_id);
  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the locations"), error)) == SQLITE_ROW)
    {
      const char *remote = (const char *) sqlite3_column_text (stmt, 1);
      Target t = { sqlite3_column_int64 (stmt, 0), 0 };
      gboolean seen = FALSE;

      n_locations++;
      only_location = t.location_id;
      if (remote == NULL || *remote == '\0')
        continue;
      for (guint r = 0; r < remotes->len && !seen; r++)
        if (g_str_equal (g_ptr_array_index (remotes, r), remote))
          {
            t.remote = r;
            seen = TRUE;
          }
      if (!seen)
        {
          t.remote = remotes->len;
          g_ptr_array_add (remotes, g_strdup (remote));
        }
      g_array_append_val (targets, t);
    }
  if (rc != SQLITE_DONE)
    return FALSE;

  if (targets->len > 0)
    return TRUE;
  /* One place on each side needs no mapping (CLI.md). */
  if (n_locations == 1)
    {
      Target t = { only_location, 0 };

      g_array_append_val (targets, t);
      g_ptr_array_add (remotes, NULL);
      return TRUE;
    }
  cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL,
                          _("The shop has several locations and none is linked to a location "
                            "of the store. Link them, for example with counterpart-cli "
                            "integration map %s --location MAIN=REMOTE_LOCATION_ID."),
                          integration_id);
  return FALSE;
}

GPtrArray *
cp_stock_publish_locations (CpLedger    *ledger,
                            const char  *integration_id,
                            GError     **error)
{
  g_autoptr(GArray) targets = g_array_new (FALSE, FALSE, sizeof (Target));
  g_autoptr(GPtrArray) remotes = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (integration_id != NULL, NULL);

  if (!load_targets (ledger, integration_id, targets, remotes, error))
    return NULL;
  return g_steal_pointer (&remotes);
}

/* ---- Quantities -------------------------------------------------------- */

typedef struct
{
  gint64  variant_id;  /* the key of the table */
  gint64  position;    /* in the ids given: a repeat's rows are not counted again */
  char   *sku;         /* these two after the sums, in the same allocation */
  char   *remote_id;
  gboolean used;
  gint64  sums[];      /* per remote location */
} Levels;

static Levels *
levels_new (sqlite3_stmt *stmt,
            guint         n_remotes,
            gboolean      mapped)
{
  const char *texts[2];
  gssize lengths[2];
  gsize sums_len = n_remotes * sizeof (gint64);
  Levels *levels;
  char **fields[2];

  /* After sqlite3_column_text (), as SQLite asks: each text's length. */
  texts[0] = (const char *) sqlite3_column_text (stmt, 2);
  lengths[0] = sqlite3_column_bytes (stmt, 2);
  texts[1] = mapped ? (const char *) sqlite3_column_text (stmt, 7) : NULL;
  lengths[1] = mapped ? sqlite3_column_bytes (stmt, 7) : 0;
  levels = g_malloc0 (sizeof (Levels) + sums_len + cp_packed_size (texts, lengths, 2));
  fields[0] = &levels->sku;
  fields[1] = &levels->remote_id;
  cp_packed_fill ((char *) levels->sums + sums_len, fields, texts, lengths, 2);
  return levels;
}

/* One statement for the whole request, driven by the ids (json_each
 * first, CROSS JOIN keeps it first): a primary-key lookup per id, where
 * "IN (SELECT …)" first built and sorted a temporary index of them.
 * Ids that are one run (a catalog's variants are numbered as they were
 * made, and a stock count or an import changes them in that order) are
 * named by their ends instead, with no JSON to write and read: 500
 * instructions less per pushed item (callgrind, tests/bench). Either
 * way the first column is the id's position in the list.
 * Opted-out products are rare: the per-variant NOT EXISTS only runs
 * when the integration has any (the first NOT EXISTS does not depend on
 * the row, so SQLite evaluates it once per run). */
#define COMPUTE_LIST_FROM \
  "FROM json_each (?1) j CROSS JOIN variants v ON v.id = j.value "
#define COMPUTE_RUN_FROM \
  "FROM variants v "
#define COMPUTE_STOCK \
  "LEFT JOIN stock_levels s ON s.variant_id = v.id "
/* A join, not a subquery per row: 1,100 instructions less per item. One
 * mapping at most (the primary key). */
#define COMPUTE_MAPPING \
  "LEFT JOIN integration_mappings m ON m.local_id = CAST (v.id AS TEXT) AND m.kind = ?3 " \
  "AND m.integration_id = ?2 "
#define COMPUTE_INCLUDED \
  "(NOT EXISTS (SELECT 1 FROM integration_mappings x WHERE x.integration_id = ?2 " \
  "AND x.kind = '" CP_MAPPING_KIND_PRODUCT_EXCLUDED "') " \
  "OR NOT EXISTS (SELECT 1 FROM integration_mappings x WHERE x.integration_id = ?2 " \
  "AND x.kind = '" CP_MAPPING_KIND_PRODUCT_EXCLUDED "' " \
  "AND x.local_id = CAST (v.product_id AS TEXT)))"
#define COMPUTE_COLUMNS(position) \
  "SELECT " position ", v.id, v.sku, s.location_id, s.on_hand, s.reserved, s.safety_stock"
#define COMPUTE_LIST_POSITION "j.key"
#define COMPUTE_RUN_POSITION "v.id - ?1"
#define COMPUTE_RUN_WHERE "WHERE v.id BETWEEN ?1 AND ?4 AND "

static const char * const compute_sql[2][2] = {
  /* [run][mapped] */
  {
    COMPUTE_COLUMNS (COMPUTE_LIST_POSITION) " " COMPUTE_LIST_FROM COMPUTE_STOCK
    "WHERE " COMPUTE_INCLUDED,
    COMPUTE_COLUMNS (COMPUTE_LIST_POSITION) ", m.remote_id " COMPUTE_LIST_FROM COMPUTE_STOCK
    COMPUTE_MAPPING "WHERE " COMPUTE_INCLUDED,
  },
  {
    COMPUTE_COLUMNS (COMPUTE_RUN_POSITION) " " COMPUTE_RUN_FROM COMPUTE_STOCK
    COMPUTE_RUN_WHERE COMPUTE_INCLUDED,
    COMPUTE_COLUMNS (COMPUTE_RUN_POSITION) ", m.remote_id " COMPUTE_RUN_FROM COMPUTE_STOCK
    COMPUTE_MAPPING COMPUTE_RUN_WHERE COMPUTE_INCLUDED,
  },
};

static GPtrArray *
compute (CpLedger      *ledger,
         const char    *integration_id,
         const char    *mapping_kind,
         const gint64  *variant_ids,
         guint          n_variant_ids,
         GError       **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_stock_published_free);
  g_autoptr(GArray) targets = g_array_new (FALSE, FALSE, sizeof (Target));
  g_autoptr(GPtrArray) remotes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) levels = NULL;
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autofree char *settings = NULL;
  const char *what;
  gboolean run;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (integration_id != NULL, NULL);
  g_return_val_if_fail (variant_ids != NULL || n_variant_ids == 0, NULL);

  settings = read_settings (ledger, integration_id, error);
  if (settings == NULL)
    return NULL;
  /* The store keeps its own count: the POS tells it nothing. */
  if (!cp_stock_publish_settings_pos_is_master (settings, CP_MASTER_FIELD_STOCK) ||
      n_variant_ids == 0)
    return g_steal_pointer (&out);

  if (!load_targets (ledger, integration_id, targets, remotes, error))
    return NULL;

  /* Keyed by the variant id inside each value: no key of its own. */
  levels = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  run = cp_sql_ids_are_run (variant_ids, n_variant_ids);
  stmt = cp_ledger_prepare_cached (ledger, compute_sql[run][mapping_kind != NULL], error);
  if (stmt == NULL)
    return NULL;
  cp_sql_bind_ids_or_run (stmt, 1, 4, variant_ids, n_variant_ids, run);
  cp_sql_bind_text (stmt, 2, integration_id);
  if (mapping_kind != NULL)
    cp_sql_bind_text (stmt, 3, mapping_kind);
  /* Translated once, not on every row. */
  what = _("Could not read the stock");
  while ((rc = cp_sql_step (ledger, stmt, what, error)) == SQLITE_ROW)
    {
      gint64 position = sqlite3_column_int64 (stmt, 0);
      gint64 variant_id = sqlite3_column_int64 (stmt, 1);
      Levels *item = g_hash_table_lookup (levels, &variant_id);
      gint64 location_id;

      if (item == NULL)
        {
          item = levels_new (stmt, remotes->len, mapping_kind != NULL);
          item->variant_id = variant_id;
          item->position = position;
          g_hash_table_insert (levels, &item->variant_id, item);
        }
      else if (item->position != position)
        continue;  /* the same variant again: its stock is counted once */
      if (sqlite3_column_type (stmt, 3) == SQLITE_NULL)
        continue;
      location_id = sqlite3_column_int64 (stmt, 3);
      for (guint t = 0; t < targets->len; t++)
        {
          const Target *target = &g_array_index (targets, Target, t);

          /* Each location is floored at zero before the sum: an oversold
           * shelf does not eat what another location can still sell. */
          if (target->location_id == location_id)
            item->sums[target->remote] +=
              cp_stock_available (sqlite3_column_int64 (stmt, 4), sqlite3_column_int64 (stmt, 5),
                                  sqlite3_column_int64 (stmt, 6));
        }
    }
  if (rc != SQLITE_DONE)
    return NULL;

  for (guint i = 0; i < n_variant_ids; i++)
    {
      gint64 variant_id = variant_ids[i];
      Levels *item;

      /* Used once: a repeated id adds nothing the second time. */
      item = g_hash_table_lookup (levels, &variant_id);
      if (item == NULL || item->used)
        continue;
      item->used = TRUE;
      for (guint r = 0; r < remotes->len; r++)
        g_ptr_array_add (out, published_new (variant_id, item->sku, g_ptr_array_index (remotes, r),
                                             item->remote_id, item->sums[r]));
    }
  return g_steal_pointer (&out);
}

GPtrArray *
cp_stock_publish_compute (CpLedger      *ledger,
                          const char    *integration_id,
                          const gint64  *variant_ids,
                          guint          n_variant_ids,
                          GError       **error)
{
  return compute (ledger, integration_id, NULL, variant_ids, n_variant_ids, error);
}

GPtrArray *
cp_stock_publish_compute_mapped (CpLedger      *ledger,
                                 const char    *integration_id,
                                 const char    *mapping_kind,
                                 const gint64  *variant_ids,
                                 guint          n_variant_ids,
                                 GError       **error)
{
  g_return_val_if_fail (mapping_kind != NULL, NULL);

  return compute (ledger, integration_id, mapping_kind, variant_ids, n_variant_ids, error);
}

GArray *
cp_stock_publish_list_mapped_variants (CpLedger    *ledger,
                                       const char  *integration_id,
                                       GError     **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autofree char *settings = NULL;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (integration_id != NULL, NULL);

  settings = read_settings (ledger, integration_id, error);
  if (settings == NULL)
    return NULL;
  if (!cp_stock_publish_settings_pos_is_master (settings, CP_MASTER_FIELD_STOCK))
    return g_steal_pointer (&out);

  stmt = cp_ledger_prepare (ledger,
                            "SELECT v.id FROM integration_mappings m "
                            "JOIN variants v ON v.id = CAST (m.local_id AS INTEGER) "
                            "WHERE m.integration_id = ?1 AND m.kind = '" CP_MAPPING_KIND_VARIANT "' "
                            "AND NOT EXISTS (SELECT 1 FROM integration_mappings x "
                            "WHERE x.integration_id = ?1 "
                            "AND x.kind = '" CP_MAPPING_KIND_PRODUCT_EXCLUDED "' "
                            "AND x.local_id = CAST (v.product_id AS TEXT)) "
                            "ORDER BY v.id",
                            error);
  if (stmt == NULL)
    return NULL;
  cp_sql_bind_text (stmt, 1, integration_id);
  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the mappings"), error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (out, id);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&out);
}

/* ---- Opt-out ----------------------------------------------------------- */

static gboolean
check_product (CpLedger    *ledger,
               gint64       product_id,
               GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  stmt = cp_ledger_prepare_cached (ledger, "SELECT 1 FROM products WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, product_id);
  rc = cp_sql_step (ledger, stmt, _("Could not read the products"), error);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND,
                 _("There is no product %" PRId64 " in the catalog."), (int64_t) product_id);
  return FALSE;
}

static gboolean
write_excluded (CpLedger    *ledger,
                const char  *integration_id,
                const char  *local_id,
                gboolean     excluded,
                GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  gint64 now = cp_ledger_now_us ();

  if (excluded)
    /* The remote id is empty: an opt-out names nothing on the store, and
     * cp_integrations_set_mapping() refuses an empty one. */
    stmt = cp_ledger_prepare_cached (ledger,
                                     "INSERT INTO integration_mappings (integration_id, kind, "
                                     "local_id, remote_id, updated_at) "
                                     "VALUES (?1, '" CP_MAPPING_KIND_PRODUCT_EXCLUDED "', ?2, '', ?3) "
                                     "ON CONFLICT (integration_id, kind, local_id) DO NOTHING",
                                     error);
  else
    stmt = cp_ledger_prepare_cached (ledger,
                                     "DELETE FROM integration_mappings WHERE integration_id = ?1 "
                                     "AND kind = '" CP_MAPPING_KIND_PRODUCT_EXCLUDED "' "
                                     "AND local_id = ?2",
                                     error);
  if (stmt == NULL)
    return FALSE;
  cp_sql_bind_text (stmt, 1, integration_id);
  cp_sql_bind_text (stmt, 2, local_id);
  if (excluded)
    sqlite3_bind_int64 (stmt, 3, now);
  return cp_sql_run (ledger, stmt, _("Could not save the mapping"), error);
}

/* Back on the store: queue a stock push of each variant, so the store
 * learns the quantity it missed while the product was opted out. */
static gboolean
enqueue_product_stock (CpLedger    *ledger,
                       const char  *integration_id,
                       gint64       product_id,
                       GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  gint64 now = cp_ledger_now_us ();

  stmt = cp_ledger_prepare_cached (ledger,
                                   "INSERT INTO outbox_jobs (integration_id, kind, coalesce_key, "
                                   "payload, idempotency_key, next_attempt_at, created_at, updated_at) "
                                   "SELECT p.integration_id, 'stock.push', 'variant:' || v.id, "
                                   "json_object ('variant_id', v.id), lower (hex (randomblob (16))), "
                                   "?3, ?3, ?3 "
                                   "FROM integration_permissions p JOIN variants v ON v.product_id = ?2 "
                                   "WHERE p.integration_id = ?1 AND p.permission = '"
                                   CP_PERMISSION_INVENTORY_SYNC "' "
                                   "ON CONFLICT (integration_id, kind, coalesce_key) "
                                   "WHERE state = 'pending' DO UPDATE SET updated_at = excluded.updated_at",
                                   error);
  if (stmt == NULL)
    return FALSE;
  cp_sql_bind_text (stmt, 1, integration_id);
  sqlite3_bind_int64 (stmt, 2, product_id);
  sqlite3_bind_int64 (stmt, 3, now);
  return cp_sql_run (ledger, stmt, _("Could not queue the stock push"), error);
}

gboolean
cp_stock_publish_set_excluded (CpLedger    *ledger,
                               const char  *integration_id,
                               gint64       product_id,
                               gboolean     excluded,
                               GError     **error)
{
  g_autofree char *settings = NULL;
  g_autofree char *local_id = NULL;
  gboolean was_excluded = FALSE;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (integration_id != NULL, FALSE);

  if (!cp_ledger_begin (ledger, error))
    return FALSE;
  settings = read_settings (ledger, integration_id, error);
  if (settings == NULL ||
      !check_product (ledger, product_id, error) ||
      !cp_stock_publish_is_excluded (ledger, integration_id, product_id, &was_excluded, error))
    goto fail;
  if (!was_excluded == !excluded)
    return cp_ledger_commit (ledger, error);

  local_id = g_strdup_printf ("%" G_GINT64_FORMAT, product_id);
  if (!write_excluded (ledger, integration_id, local_id, excluded, error) ||
      (!excluded && !enqueue_product_stock (ledger, integration_id, product_id, error)))
    goto fail;
  if (!cp_ledger_commit (ledger, error))
    return FALSE;
  cp_ledger_emit_changed (ledger, "integration_mappings");
  return TRUE;

fail:
  cp_ledger_rollback (ledger);
  return FALSE;
}

gboolean
cp_stock_publish_is_excluded (CpLedger    *ledger,
                              const char  *integration_id,
                              gint64       product_id,
                              gboolean    *out_excluded,
                              GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (integration_id != NULL && out_excluded != NULL, FALSE);

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT 1 FROM integration_mappings WHERE integration_id = ?1 "
                                   "AND kind = '" CP_MAPPING_KIND_PRODUCT_EXCLUDED "' "
                                   "AND local_id = CAST (?2 AS TEXT)",
                                   error);
  if (stmt == NULL)
    return FALSE;
  cp_sql_bind_text (stmt, 1, integration_id);
  sqlite3_bind_int64 (stmt, 2, product_id);
  rc = cp_sql_step (ledger, stmt, _("Could not read the mappings"), error);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return FALSE;
  *out_excluded = rc == SQLITE_ROW;
  return TRUE;
}

GPtrArray *
cp_stock_publish_list_excluded_skus (CpLedger    *ledger,
                                     const char  *integration_id,
                                     GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CpSqlStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (integration_id != NULL, NULL);

  stmt = cp_ledger_prepare (ledger,
                            "SELECT v.sku FROM integration_mappings x "
                            "JOIN variants v ON v.product_id = CAST (x.local_id AS INTEGER) "
                            "WHERE x.integration_id = ?1 "
                            "AND x.kind = '" CP_MAPPING_KIND_PRODUCT_EXCLUDED "' "
                            "ORDER BY v.sku",
                            error);
  if (stmt == NULL)
    return NULL;
  cp_sql_bind_text (stmt, 1, integration_id);
  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the mappings"), error)) == SQLITE_ROW)
    g_ptr_array_add (out, cp_sql_dup_text (stmt, 0));
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&out);
}
