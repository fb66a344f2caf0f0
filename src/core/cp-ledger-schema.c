/* cp-ledger-schema.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ledger's schema as a list of migrations. Times are Unix µs UTC,
 * money is minor units with a currency column, quantities whole units.
 */

#include "config.h"

#include "cp-ledger.h"
#include "cp-ledger-schema.h"

static const char migration_1[] =
  "CREATE TABLE settings ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ");"

  "CREATE TABLE locations ("
  "  id         INTEGER PRIMARY KEY,"
  "  code       TEXT NOT NULL UNIQUE CHECK (length (code) BETWEEN 1 AND 32),"
  "  name       TEXT NOT NULL,"
  "  currency   TEXT NOT NULL CHECK (length (currency) = 3),"
  "  created_at INTEGER NOT NULL"
  ");"

  "CREATE TABLE products ("
  "  id         INTEGER PRIMARY KEY,"
  "  handle     TEXT NOT NULL UNIQUE,"
  "  name       TEXT NOT NULL,"
  "  module     TEXT NOT NULL DEFAULT 'general' CHECK (module IN"
  "               ('general', 'motorcycle', 'spares', 'wood', 'rental', 'manufacturing')),"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL"
  ");"

  /* The SKU is the master identifier (seed 003). A barcode is unique when
   * present; NULLs do not collide in a UNIQUE column. */
  "CREATE TABLE variants ("
  "  id          INTEGER PRIMARY KEY,"
  "  product_id  INTEGER NOT NULL REFERENCES products (id) ON DELETE RESTRICT,"
  "  sku         TEXT NOT NULL UNIQUE CHECK (length (sku) BETWEEN 1 AND 64),"
  "  barcode     TEXT UNIQUE,"
  "  option1     TEXT,"
  "  option2     TEXT,"
  "  option3     TEXT,"
  "  price_minor INTEGER NOT NULL,"
  "  cost_minor  INTEGER,"
  "  currency    TEXT NOT NULL CHECK (length (currency) = 3),"
  "  tax_class   TEXT,"
  "  attributes  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (attributes)),"
  "  created_at  INTEGER NOT NULL,"
  "  updated_at  INTEGER NOT NULL"
  ");"
  "CREATE INDEX variants_product ON variants (product_id);"

  "CREATE TABLE stock_levels ("
  "  variant_id   INTEGER NOT NULL REFERENCES variants (id) ON DELETE CASCADE,"
  "  location_id  INTEGER NOT NULL REFERENCES locations (id) ON DELETE RESTRICT,"
  "  on_hand      INTEGER NOT NULL DEFAULT 0,"
  "  reserved     INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),"
  "  safety_stock INTEGER NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),"
  "  updated_at   INTEGER NOT NULL,"
  "  PRIMARY KEY (variant_id, location_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX stock_levels_location ON stock_levels (location_id, variant_id);"

  /* Append-only: a correction is a new movement, never an edit. The
   * reason CHECK is a chain of ORs, not IN (...): SQLite builds a
   * temporary b-tree for an IN list of more than two constants on every
   * execution of the INSERT, which doubled the cost of recording a sale's
   * stock movement (measured). */
  "CREATE TABLE stock_movements ("
  "  id            INTEGER PRIMARY KEY,"
  "  at            INTEGER NOT NULL,"
  "  variant_id    INTEGER NOT NULL REFERENCES variants (id) ON DELETE CASCADE,"
  "  location_id   INTEGER NOT NULL REFERENCES locations (id) ON DELETE RESTRICT,"
  "  delta         INTEGER NOT NULL,"
  "  on_hand_after INTEGER NOT NULL,"
  "  reason        TEXT NOT NULL CHECK (reason = 'sold' OR reason = 'received'"
  "                  OR reason = 'returned' OR reason = 'damaged' OR reason = 'lost'"
  "                  OR reason = 'count' OR reason = 'correction' OR reason = 'transfer'),"
  "  note          TEXT,"
  "  reference     TEXT,"
  "  actor         TEXT"
  ");"
  "CREATE INDEX stock_movements_variant ON stock_movements (variant_id, location_id, id);"
  "CREATE TRIGGER stock_movements_no_update BEFORE UPDATE ON stock_movements"
  "  BEGIN SELECT RAISE (ABORT, 'the stock journal is append-only'); END;"
  "CREATE TRIGGER stock_movements_no_delete BEFORE DELETE ON stock_movements"
  "  WHEN (SELECT count (*) FROM variants WHERE id = OLD.variant_id) > 0"
  "  BEGIN SELECT RAISE (ABORT, 'the stock journal is append-only'); END;"

  "CREATE TABLE customers ("
  "  id         INTEGER PRIMARY KEY,"
  "  name       TEXT,"
  "  email      TEXT UNIQUE COLLATE NOCASE,"
  "  phone      TEXT,"
  "  created_at INTEGER NOT NULL"
  ");"

  /* Consent is a history: the latest row per (customer, channel, purpose)
   * is in force; earlier rows stay as evidence. */
  "CREATE TABLE customer_consents ("
  "  id          INTEGER PRIMARY KEY,"
  "  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,"
  "  channel     TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'phone', 'post')),"
  "  purpose     TEXT NOT NULL DEFAULT 'marketing',"
  "  granted     INTEGER NOT NULL CHECK (granted IN (0, 1)),"
  "  at          INTEGER NOT NULL,"
  "  source      TEXT NOT NULL,"
  "  evidence    TEXT"
  ");"
  "CREATE INDEX customer_consents_customer ON customer_consents (customer_id, channel, purpose, id);"

  /* source is 'pos' or an integration id; external_id is the register's
   * sale id or the platform's order id. Unique together: recording the
   * same sale twice finds the first. */
  "CREATE TABLE orders ("
  "  id             INTEGER PRIMARY KEY,"
  "  number         TEXT NOT NULL,"
  "  source         TEXT NOT NULL,"
  "  external_id    TEXT NOT NULL,"
  "  status         TEXT NOT NULL,"
  "  location_id    INTEGER REFERENCES locations (id) ON DELETE RESTRICT,"
  "  customer_id    INTEGER REFERENCES customers (id) ON DELETE SET NULL,"
  "  customer_name  TEXT,"
  "  placed_at      INTEGER NOT NULL,"
  "  currency       TEXT NOT NULL CHECK (length (currency) = 3),"
  "  subtotal_minor INTEGER NOT NULL,"
  "  discount_minor INTEGER NOT NULL DEFAULT 0,"
  "  tax_minor      INTEGER NOT NULL DEFAULT 0,"
  "  shipping_minor INTEGER NOT NULL DEFAULT 0,"
  "  total_minor    INTEGER NOT NULL,"
  "  refunded_minor INTEGER NOT NULL DEFAULT 0,"
  "  n_lines        INTEGER NOT NULL DEFAULT 0,"
  "  created_at     INTEGER NOT NULL,"
  "  updated_at     INTEGER NOT NULL,"
  "  UNIQUE (source, external_id)"
  ");"
  "CREATE INDEX orders_placed ON orders (placed_at, id);"
  "CREATE INDEX orders_source_placed ON orders (source, placed_at, id);"
  "CREATE INDEX orders_status_placed ON orders (status, placed_at, id);"

  "CREATE TABLE order_lines ("
  "  id               INTEGER PRIMARY KEY,"
  "  order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
  "  position         INTEGER NOT NULL,"
  "  variant_id       INTEGER REFERENCES variants (id) ON DELETE SET NULL,"
  "  sku              TEXT,"
  "  name             TEXT NOT NULL,"
  "  quantity         INTEGER NOT NULL CHECK (quantity >= 0),"
  "  unit_price_minor INTEGER NOT NULL,"
  "  discount_minor   INTEGER NOT NULL DEFAULT 0,"
  "  tax_minor        INTEGER NOT NULL DEFAULT 0,"
  "  total_minor      INTEGER NOT NULL"
  ");"
  "CREATE INDEX order_lines_order ON order_lines (order_id, position);"
  /* No index on variant_id: nothing reads lines by variant, and keeping
   * one cost a quarter of the time of recording a sale (each line lands
   * on a random page of it, rewritten to the WAL every batch). The foreign
   * key still holds: deleting a variant, which Counterpart never does
   * today, scans the lines to clear theirs. Whatever comes to report sales
   * per variant adds the index in its own migration. */

  "CREATE TABLE order_taxes ("
  "  id           INTEGER PRIMARY KEY,"
  "  order_id     INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
  "  name         TEXT NOT NULL,"
  "  rate_bp      INTEGER,"
  "  amount_minor INTEGER NOT NULL"
  ");"
  "CREATE INDEX order_taxes_order ON order_taxes (order_id);"

  "CREATE TABLE order_discounts ("
  "  id           INTEGER PRIMARY KEY,"
  "  order_id     INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
  "  code         TEXT,"
  "  description  TEXT,"
  "  amount_minor INTEGER NOT NULL"
  ");"
  "CREATE INDEX order_discounts_order ON order_discounts (order_id);"

  /* Split tender: any number of payments per order. */
  "CREATE TABLE payments ("
  "  id           INTEGER PRIMARY KEY,"
  "  order_id     INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
  "  method       TEXT NOT NULL,"
  "  amount_minor INTEGER NOT NULL,"
  "  currency     TEXT NOT NULL CHECK (length (currency) = 3),"
  "  reference    TEXT,"
  "  at           INTEGER NOT NULL"
  ");"
  "CREATE INDEX payments_order ON payments (order_id);"

  "CREATE TABLE refunds ("
  "  id           INTEGER PRIMARY KEY,"
  "  order_id     INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
  "  external_id  TEXT,"
  "  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),"
  "  currency     TEXT NOT NULL CHECK (length (currency) = 3),"
  "  reason       TEXT,"
  "  at           INTEGER NOT NULL,"
  "  UNIQUE (order_id, external_id)"
  ");"
  "CREATE INDEX refunds_order ON refunds (order_id);"

  /* One open session per register at a location, for end-of-day. */
  "CREATE TABLE cash_sessions ("
  "  id                  INTEGER PRIMARY KEY,"
  "  location_id         INTEGER NOT NULL REFERENCES locations (id) ON DELETE RESTRICT,"
  "  register            TEXT NOT NULL,"
  "  currency            TEXT NOT NULL CHECK (length (currency) = 3),"
  "  opened_at           INTEGER NOT NULL,"
  "  opened_by           TEXT,"
  "  opening_float_minor INTEGER NOT NULL DEFAULT 0,"
  "  closed_at           INTEGER,"
  "  closed_by           TEXT,"
  "  expected_minor      INTEGER,"
  "  counted_minor       INTEGER"
  ");"
  "CREATE UNIQUE INDEX cash_sessions_open ON cash_sessions (location_id, register)"
  "  WHERE closed_at IS NULL;"

  /* Full-text search. rowid = variants.id / orders.id; kept in step by
   * the code that writes those tables (the title is computed there).
   * orders_fts keeps no column sizes (columnsize = 0): they only serve
   * ranking, and orders are listed by time, never by rank; skipping them
   * saves a row write per recorded order. */
  "CREATE VIRTUAL TABLE variants_fts USING fts5 ("
  "  sku, barcode, title, attributes,"
  "  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"
  ");"
  "CREATE VIRTUAL TABLE orders_fts USING fts5 ("
  "  number, customer, skus,"
  "  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3', columnsize = 0"
  ");";

/* The sync engine (issue 3): integrations and what they need to stay in
 * agreement with the ledger, the outbox, the activity log and the keys
 * of the local API. */
static const char migration_2[] =
  /* One connected account on one platform. id is what orders.source,
   * the CLI and the local API show ("ecomv2-3"): built from seq, which
   * AUTOINCREMENT never hands out twice, so the orders of a removed
   * integration are never attributed to a new one. Credentials are not
   * here: they live in the Secret Service under this id. */
  "CREATE TABLE integrations ("
  "  seq             INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id              TEXT NOT NULL UNIQUE,"
  "  platform        TEXT NOT NULL,"
  "  name            TEXT NOT NULL,"
  "  base_url        TEXT NOT NULL,"
  "  state           TEXT NOT NULL DEFAULT 'active'"
  "                    CHECK (state = 'active' OR state = 'paused'),"
  "  attention       TEXT,"             /* why a person must act; NULL when healthy */
  "  attention_kind  TEXT,"             /* 'credentials', 'permission', 'mapping', ... */
  "  settings        TEXT NOT NULL DEFAULT '{}',"   /* JSON: schedule, policies */
  "  wait_until      INTEGER,"          /* a rate limit or backoff in force until */
  "  last_success_at INTEGER,"
  "  last_error_at   INTEGER,"
  "  last_error      TEXT,"
  "  next_run_at     INTEGER,"
  "  created_at      INTEGER NOT NULL,"
  "  updated_at      INTEGER NOT NULL"
  ");"

  /* Seed 003's permissions, one row each, so triggers can join on them. */
  "CREATE TABLE integration_permissions ("
  "  integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,"
  "  permission     TEXT NOT NULL,"
  "  PRIMARY KEY (integration_id, permission)"
  ") WITHOUT ROWID;"
  "CREATE INDEX integration_permissions_permission ON integration_permissions (permission, integration_id);"

  /* local id <-> remote id per kind ('variant', 'location', 'tax', ...),
   * with a hash of what was last sent so an unchanged value is not sent
   * again. */
  "CREATE TABLE integration_mappings ("
  "  integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,"
  "  kind           TEXT NOT NULL,"
  "  local_id       TEXT NOT NULL,"
  "  remote_id      TEXT NOT NULL,"
  "  last_hash      TEXT,"
  "  updated_at     INTEGER NOT NULL,"
  "  PRIMARY KEY (integration_id, kind, local_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX integration_mappings_remote ON integration_mappings (integration_id, kind, remote_id);"

  /* Where incremental pulls resume (a watermark, a page cursor). */
  "CREATE TABLE integration_cursors ("
  "  integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,"
  "  name           TEXT NOT NULL,"
  "  value          TEXT NOT NULL,"
  "  updated_at     INTEGER NOT NULL,"
  "  PRIMARY KEY (integration_id, name)"
  ") WITHOUT ROWID;"

  /* The outbox. States follow OCA queue_job: pending -> started -> done,
   * or failed back to pending with a later next_attempt_at, or dead once
   * attempts run out (a person retries it), or cancelled.
   * coalesce_key merges many changes into one push of the latest value:
   * at most one pending job per (integration, key) — the partial unique
   * index below — while a started job for the same key may be in flight
   * with an older value. The payload names what to send (a variant id),
   * not the value: the connector reads the latest value when it sends.
   * idempotency_key and request_fingerprint are committed before the
   * first byte is sent (sent_at), so a resend after a crash reuses the
   * key. lease_epoch is the boot epoch of the run that claimed the job:
   * leases of an earlier run are requeued at start-up. */
  "CREATE TABLE outbox_jobs ("
  "  id                  INTEGER PRIMARY KEY,"
  "  integration_id      TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,"
  "  kind                TEXT NOT NULL,"   /* 'stock.push', 'product.push', 'order.status.push', ... */
  "  coalesce_key        TEXT NOT NULL,"
  "  payload             TEXT NOT NULL DEFAULT '{}',"
  "  state               TEXT NOT NULL DEFAULT 'pending'"
  "                        CHECK (state = 'pending' OR state = 'started' OR state = 'done'"
  "                               OR state = 'dead' OR state = 'cancelled'),"
  "  idempotency_key     TEXT NOT NULL,"
  "  request_fingerprint TEXT,"
  "  attempts            INTEGER NOT NULL DEFAULT 0,"
  "  max_attempts        INTEGER NOT NULL DEFAULT 8,"
  "  next_attempt_at     INTEGER NOT NULL,"
  "  lease_epoch         INTEGER,"
  "  lease_until         INTEGER,"
  "  sent_at             INTEGER,"
  "  last_error          TEXT,"
  "  last_error_kind     TEXT,"
  "  created_at          INTEGER NOT NULL,"
  "  updated_at          INTEGER NOT NULL,"
  "  done_at             INTEGER"
  ");"
  /* kind is part of the key: a stock push and a product push of the same
   * variant ("variant:7") are different work and must not merge. */
  "CREATE UNIQUE INDEX outbox_jobs_coalesce ON outbox_jobs (integration_id, kind, coalesce_key)"
  "  WHERE state = 'pending';"
  /* Partial indexes, one per state that is looked up: a job's state
   * change then touches only the (small) index it leaves and the one it
   * enters, instead of rewriting entries in indexes that hold every job
   * ever queued. Index upkeep was most of the cost of a claim and a
   * completion (tests/bench engine-overhead). The done and cancelled
   * jobs, by far the most, sat only in outbox_jobs_finished, read by the
   * purge (dropped in migration 6). */
  "CREATE INDEX outbox_jobs_due ON outbox_jobs (integration_id, next_attempt_at)"
  "  WHERE state = 'pending';"
  "CREATE INDEX outbox_jobs_started ON outbox_jobs (integration_id) WHERE state = 'started';"
  "CREATE INDEX outbox_jobs_dead ON outbox_jobs (integration_id) WHERE state = 'dead';"
  "CREATE INDEX outbox_jobs_finished ON outbox_jobs (state, done_at)"
  "  WHERE state = 'done' OR state = 'cancelled';"

  /* Stock that changed must reach every channel allowed to receive it,
   * in the same transaction as the change: a trigger cannot be forgotten
   * by a new writer (import, sale, adjustment, pulled order). */
  "CREATE TRIGGER outbox_stock_insert AFTER INSERT ON stock_levels"
  "  WHEN EXISTS (SELECT 1 FROM integration_permissions WHERE permission = 'inventory.sync')"
  "  BEGIN"
  "    INSERT INTO outbox_jobs (integration_id, kind, coalesce_key, payload, idempotency_key,"
  "                             next_attempt_at, created_at, updated_at)"
  "      SELECT p.integration_id, 'stock.push', 'variant:' || NEW.variant_id,"
  "             json_object ('variant_id', NEW.variant_id), lower (hex (randomblob (16))),"
  "             NEW.updated_at, NEW.updated_at, NEW.updated_at"
  "        FROM integration_permissions p WHERE p.permission = 'inventory.sync'"
  "      ON CONFLICT (integration_id, kind, coalesce_key) WHERE state = 'pending'"
  "      DO UPDATE SET updated_at = excluded.updated_at;"
  "  END;"
  "CREATE TRIGGER outbox_stock_update"
  "  AFTER UPDATE OF on_hand, reserved, safety_stock ON stock_levels"
  "  WHEN (OLD.on_hand != NEW.on_hand OR OLD.reserved != NEW.reserved"
  "        OR OLD.safety_stock != NEW.safety_stock)"
  "   AND EXISTS (SELECT 1 FROM integration_permissions WHERE permission = 'inventory.sync')"
  "  BEGIN"
  "    INSERT INTO outbox_jobs (integration_id, kind, coalesce_key, payload, idempotency_key,"
  "                             next_attempt_at, created_at, updated_at)"
  "      SELECT p.integration_id, 'stock.push', 'variant:' || NEW.variant_id,"
  "             json_object ('variant_id', NEW.variant_id), lower (hex (randomblob (16))),"
  "             NEW.updated_at, NEW.updated_at, NEW.updated_at"
  "        FROM integration_permissions p WHERE p.permission = 'inventory.sync'"
  "      ON CONFLICT (integration_id, kind, coalesce_key) WHERE state = 'pending'"
  "      DO UPDATE SET updated_at = excluded.updated_at;"
  "  END;"

  /* A changed name, price or SKU reaches the channels allowed to change
   * products (seed 003: products.sync). */
  "CREATE TRIGGER outbox_variant_update"
  "  AFTER UPDATE OF sku, barcode, price_minor, currency ON variants"
  "  WHEN EXISTS (SELECT 1 FROM integration_permissions WHERE permission = 'products.sync')"
  "  BEGIN"
  "    INSERT INTO outbox_jobs (integration_id, kind, coalesce_key, payload, idempotency_key,"
  "                             next_attempt_at, created_at, updated_at)"
  "      SELECT p.integration_id, 'product.push', 'variant:' || NEW.id,"
  "             json_object ('variant_id', NEW.id), lower (hex (randomblob (16))),"
  "             NEW.updated_at, NEW.updated_at, NEW.updated_at"
  "        FROM integration_permissions p WHERE p.permission = 'products.sync'"
  "      ON CONFLICT (integration_id, kind, coalesce_key) WHERE state = 'pending'"
  "      DO UPDATE SET updated_at = excluded.updated_at;"
  "  END;"

  /* An order's new status goes back to the channel it came from, when
   * that channel allows it (orders.push). */
  "CREATE TRIGGER outbox_order_status AFTER UPDATE OF status ON orders"
  "  WHEN OLD.status != NEW.status AND NEW.source != 'pos'"
  "  BEGIN"
  "    INSERT INTO outbox_jobs (integration_id, kind, coalesce_key, payload, idempotency_key,"
  "                             next_attempt_at, created_at, updated_at)"
  "      SELECT p.integration_id, 'order.status.push', 'order:' || NEW.id,"
  "             json_object ('order_id', NEW.id, 'status', NEW.status),"
  "             lower (hex (randomblob (16))), NEW.updated_at, NEW.updated_at, NEW.updated_at"
  "        FROM integration_permissions p"
  "       WHERE p.permission = 'orders.push' AND p.integration_id = NEW.source"
  "      ON CONFLICT (integration_id, kind, coalesce_key) WHERE state = 'pending'"
  "      DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at;"
  "  END;"

  /* The activity log: typed events, kept when their integration goes
   * (no foreign key), with the redacted request and response of a
   * failure in details (JSON). */
  "CREATE TABLE activity ("
  "  id             INTEGER PRIMARY KEY,"
  "  at             INTEGER NOT NULL,"
  "  type           TEXT NOT NULL,"
  "  severity       TEXT NOT NULL CHECK (severity = 'info' OR severity = 'warning'"
  "                                      OR severity = 'error'),"
  "  integration_id TEXT,"
  "  job_id         INTEGER,"
  "  message        TEXT NOT NULL,"
  "  details        TEXT"
  ");"
  "CREATE INDEX activity_at ON activity (at);"
  "CREATE INDEX activity_integration ON activity (integration_id, at);"
  "CREATE INDEX activity_type ON activity (type, at);"

  /* Keys of the local API: only a hash of the secret is stored. */
  "CREATE TABLE api_keys ("
  "  id           TEXT PRIMARY KEY,"
  "  name         TEXT NOT NULL,"
  "  secret_hash  TEXT NOT NULL UNIQUE,"
  "  scopes       TEXT NOT NULL,"
  "  created_at   INTEGER NOT NULL,"
  "  last_used_at INTEGER,"
  "  revoked_at   INTEGER"
  ");";

/* Cheaper outbox triggers (issue 3's figures). The stock and variant
 * triggers of schema 2 answered a change to a key that already had a
 * pending job with DO UPDATE SET updated_at: that rewrote the job's row,
 * dirtying its page, on every change of a SKU that changes all day. The
 * payload only names the variant (the connector reads the value when it
 * sends), so the pending job already says everything: DO NOTHING. A job
 * that is started (in flight, maybe with an older value) is not in the
 * partial unique index, so a change during its flight still queues a new
 * pending job and a later push, as before. The order status trigger
 * keeps its DO UPDATE: its payload carries the status. */
static const char migration_3[] =
  "DROP TRIGGER outbox_stock_insert;"
  "DROP TRIGGER outbox_stock_update;"
  "DROP TRIGGER outbox_variant_update;"

  "CREATE TRIGGER outbox_stock_insert AFTER INSERT ON stock_levels"
  "  WHEN EXISTS (SELECT 1 FROM integration_permissions WHERE permission = 'inventory.sync')"
  "  BEGIN"
  "    INSERT INTO outbox_jobs (integration_id, kind, coalesce_key, payload, idempotency_key,"
  "                             next_attempt_at, created_at, updated_at)"
  "      SELECT p.integration_id, 'stock.push', 'variant:' || NEW.variant_id,"
  "             json_object ('variant_id', NEW.variant_id), lower (hex (randomblob (16))),"
  "             NEW.updated_at, NEW.updated_at, NEW.updated_at"
  "        FROM integration_permissions p WHERE p.permission = 'inventory.sync'"
  "      ON CONFLICT (integration_id, kind, coalesce_key) WHERE state = 'pending'"
  "      DO NOTHING;"
  "  END;"
  "CREATE TRIGGER outbox_stock_update"
  "  AFTER UPDATE OF on_hand, reserved, safety_stock ON stock_levels"
  "  WHEN (OLD.on_hand != NEW.on_hand OR OLD.reserved != NEW.reserved"
  "        OR OLD.safety_stock != NEW.safety_stock)"
  "   AND EXISTS (SELECT 1 FROM integration_permissions WHERE permission = 'inventory.sync')"
  "  BEGIN"
  "    INSERT INTO outbox_jobs (integration_id, kind, coalesce_key, payload, idempotency_key,"
  "                             next_attempt_at, created_at, updated_at)"
  "      SELECT p.integration_id, 'stock.push', 'variant:' || NEW.variant_id,"
  "             json_object ('variant_id', NEW.variant_id), lower (hex (randomblob (16))),"
  "             NEW.updated_at, NEW.updated_at, NEW.updated_at"
  "        FROM integration_permissions p WHERE p.permission = 'inventory.sync'"
  "      ON CONFLICT (integration_id, kind, coalesce_key) WHERE state = 'pending'"
  "      DO NOTHING;"
  "  END;"
  "CREATE TRIGGER outbox_variant_update"
  "  AFTER UPDATE OF sku, barcode, price_minor, currency ON variants"
  "  WHEN EXISTS (SELECT 1 FROM integration_permissions WHERE permission = 'products.sync')"
  "  BEGIN"
  "    INSERT INTO outbox_jobs (integration_id, kind, coalesce_key, payload, idempotency_key,"
  "                             next_attempt_at, created_at, updated_at)"
  "      SELECT p.integration_id, 'product.push', 'variant:' || NEW.id,"
  "             json_object ('variant_id', NEW.id), lower (hex (randomblob (16))),"
  "             NEW.updated_at, NEW.updated_at, NEW.updated_at"
  "        FROM integration_permissions p WHERE p.permission = 'products.sync'"
  "      ON CONFLICT (integration_id, kind, coalesce_key) WHERE state = 'pending'"
  "      DO NOTHING;"
  "  END;";

/* Store webhooks (issue 4): each accepted delivery's raw body, committed
 * before the store gets its 200 and before anything is processed, so an
 * acknowledged delivery survives a crash and is processed at restart.
 * UNIQUE (integration_id, delivery_id) drops a replayed delivery; the
 * resource index finds a redelivery of the same resource at the same
 * modified time under another delivery id. */
static const char migration_4[] =
  "CREATE TABLE webhook_deliveries ("
  "  id                INTEGER PRIMARY KEY,"
  "  integration_id    TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,"
  "  kind              TEXT NOT NULL CHECK (kind = 'orders' OR kind = 'products'"
  "                                         OR kind = 'inventory'),"
  "  delivery_id       TEXT NOT NULL,"
  "  topic             TEXT NOT NULL,"
  "  resource_id       TEXT,"
  "  resource_modified TEXT,"
  "  received_at       INTEGER NOT NULL,"
  "  body              BLOB NOT NULL,"
  "  state             TEXT NOT NULL DEFAULT 'received'"
  "                      CHECK (state = 'received' OR state = 'processed'"
  "                             OR state = 'duplicate' OR state = 'failed'),"
  "  error             TEXT,"
  "  processed_at      INTEGER,"
  "  UNIQUE (integration_id, delivery_id)"
  ");"
  "CREATE INDEX webhook_deliveries_received ON webhook_deliveries (id)"
  "  WHERE state = 'received';"
  "CREATE INDEX webhook_deliveries_resource"
  "  ON webhook_deliveries (integration_id, resource_id, resource_modified)"
  "  WHERE resource_id IS NOT NULL;";


/* Product categories (issue 4: "map categories"): a tree, a product in
 * at most one of its nodes. Stores keep categories as a tree too
 * (WooCommerce's parent, Shopify's collections), matched by name under
 * the same parent, so a name is unique among its siblings — and, since
 * NULLs never collide in a UNIQUE constraint, among the roots through
 * the partial index. NOCASE: "Helmets" and "helmets" are one shelf, as
 * a store's own term lookup also has it. RESTRICT: a category still
 * holding products or children is not deleted from under them. */
static const char migration_5[] =
  "CREATE TABLE categories ("
  "  id         INTEGER PRIMARY KEY,"
  "  parent_id  INTEGER REFERENCES categories (id) ON DELETE RESTRICT,"
  "  name       TEXT NOT NULL COLLATE NOCASE CHECK (length (name) BETWEEN 1 AND 200),"
  "  created_at INTEGER NOT NULL,"
  "  UNIQUE (parent_id, name)"
  ");"
  "CREATE UNIQUE INDEX categories_root_name ON categories (name) WHERE parent_id IS NULL;"
  /* ADD COLUMN may carry a foreign key only with a NULL default: every
   * existing product starts without a category. */
  "ALTER TABLE products ADD COLUMN category_id INTEGER"
  "  REFERENCES categories (id) ON DELETE RESTRICT;"
  "CREATE INDEX products_category ON products (category_id) WHERE category_id IS NOT NULL;"

  /* A product moved to another category is a change the stores that
   * take products must hear about, for each of its variants. */
  "CREATE TRIGGER outbox_product_category AFTER UPDATE OF category_id ON products"
  "  WHEN OLD.category_id IS NOT NEW.category_id"
  "   AND EXISTS (SELECT 1 FROM integration_permissions WHERE permission = 'products.sync')"
  "  BEGIN"
  "    INSERT INTO outbox_jobs (integration_id, kind, coalesce_key, payload, idempotency_key,"
  "                             next_attempt_at, created_at, updated_at)"
  "      SELECT p.integration_id, 'product.push', 'variant:' || v.id,"
  "             json_object ('variant_id', v.id), lower (hex (randomblob (16))),"
  "             NEW.updated_at, NEW.updated_at, NEW.updated_at"
  "        FROM integration_permissions p, variants v"
  "       WHERE p.permission = 'products.sync' AND v.product_id = NEW.id"
  "      ON CONFLICT (integration_id, kind, coalesce_key) WHERE state = 'pending'"
  "      DO NOTHING;"
  "  END;";


/* Finished jobs leave no index behind (issue 3's engine-overhead
 * figure). outbox_jobs_finished took an entry for every job marked done,
 * one index insert per pushed item, only for the purge to find what is
 * more than 30 days old. The purge now walks the table in id order,
 * which is the order jobs were queued in, and stops where they were
 * queued too recently to be due (cp_outbox_purge()). */
static const char migration_6[] =
  "DROP INDEX outbox_jobs_finished;";

/* One index for the open jobs (issue 3's engine-overhead figure). A
 * claim moved a job from outbox_jobs_due (pending) to outbox_jobs_started
 * and a completion took it out again: with the partial unique index of
 * coalescing keys, three index entries moved per job claimed, one more
 * per job done. outbox_jobs_open holds every job not closed yet
 * (pending or started) by when it is due, and a job leaves it once, when
 * it is closed (done, cancelled or dead: closed_at). Its WHERE names
 * closed_at, not state, so a claim (pending -> started) leaves it alone.
 * Every query still says which state it wants; closed_at only lets it
 * walk the open jobs instead of the outbox. */
static const char migration_7[] =
  "ALTER TABLE outbox_jobs ADD COLUMN closed_at INTEGER;"
  "UPDATE outbox_jobs SET closed_at = coalesce (done_at, updated_at)"
  "  WHERE state = 'done' OR state = 'cancelled' OR state = 'dead';"
  "DROP INDEX outbox_jobs_due;"
  "DROP INDEX outbox_jobs_started;"
  "CREATE INDEX outbox_jobs_open ON outbox_jobs (integration_id, next_attempt_at)"
  "  WHERE closed_at IS NULL;";

/* The column that tells keys apart first (issue 3's engine-overhead
 * figure). Both keys below began with the integration and the kind,
 * which are the same for nearly every entry an index holds, so each
 * comparison of a b-tree search read two equal strings before the one
 * that differs, for a claim's removal of each job from
 * outbox_jobs_coalesce and for the read of each pushed variant's remote
 * id. With the new order a pushed item costs 2,000 and 2,600
 * instructions less in those two (callgrind, tests/bench). Every
 * lookup of either names all three columns; ON CONFLICT's target is a
 * set of columns, in any order. What asks for an integration's mappings
 * of one kind (counts, "is anything mapped") reads
 * integration_mappings_remote, whose key begins with both. */
static const char migration_8[] =
  "DROP INDEX outbox_jobs_coalesce;"
  "CREATE UNIQUE INDEX outbox_jobs_coalesce ON outbox_jobs (coalesce_key, kind, integration_id)"
  "  WHERE state = 'pending';"
  "CREATE TABLE integration_mappings_by_local ("
  "  integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,"
  "  kind           TEXT NOT NULL,"
  "  local_id       TEXT NOT NULL,"
  "  remote_id      TEXT NOT NULL,"
  "  last_hash      TEXT,"
  "  updated_at     INTEGER NOT NULL,"
  "  PRIMARY KEY (local_id, kind, integration_id)"
  ") WITHOUT ROWID;"
  "INSERT INTO integration_mappings_by_local (integration_id, kind, local_id, remote_id, last_hash,"
  "                                           updated_at)"
  "  SELECT integration_id, kind, local_id, remote_id, last_hash, updated_at"
  "    FROM integration_mappings;"
  "DROP TABLE integration_mappings;"
  "ALTER TABLE integration_mappings_by_local RENAME TO integration_mappings;"
  "CREATE INDEX integration_mappings_remote ON integration_mappings (integration_id, kind, remote_id);";

const char * const cp_ledger_migrations[] = {
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_5,
  migration_6,
  migration_7,
  migration_8,
};

const guint cp_ledger_n_migrations = G_N_ELEMENTS (cp_ledger_migrations);

G_STATIC_ASSERT (G_N_ELEMENTS (cp_ledger_migrations) == CP_LEDGER_SCHEMA_VERSION);
