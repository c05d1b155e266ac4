/**
 * Ledger schema (SQLite and PostgreSQL: one text, see schemaFor). `events` is the source of truth (every decoded suite log, args as JSON); every other
 * table is derived from it by deterministic handlers, so a rollback deletes events above the common block
 * and rebuilds the derived tables by replay. Amounts in kg are INTEGER; token amounts (wei / smallest unit)
 * are TEXT decimal strings because they can exceed 64 bits.
 */
/**
 * 2: BufferPool and TreelionTimelock events are indexed (buffer, reversals, cancellations, labels, governance
 * operations); a version-1 ledger never fetched them, so it is refused (`use a new --db`).
 */
export const SCHEMA_VERSION = 2;

/** Tables that only hold derived state (wiped and replayed on rollback). */
export const DERIVED_TABLES = [
  "contracts_discovered",
  "projects",
  "project_status_history",
  "batches",
  "credit_transfers",
  "credit_balances",
  "retirements",
  "certificates",
  "pool_deposits",
  "pool_redemptions",
  "pool_retirements",
  "token_transfers",
  "token_balances",
  "listings",
  "purchases",
  "deals",
  "milestones",
  "milestone_attestations",
  "escrow_withdrawals",
  "escrow_owed",
  "escrow_state",
  "investors",
  "bonds",
  "bond_subscriptions",
  "coupon_payments",
  "coupon_claims",
  "bond_kpi_reports",
  "bond_redemptions",
  "bond_events",
  // climate integrity and governance (projections/buffer.ts, projections/labels.ts, projections/governance.ts)
  "buffer_rates",
  "buffer_holdings",
  "buffer_movements",
  "reversals",
  "cancellations",
  "batch_labels",
  "label_changes",
  "gov_operations",
  "gov_calls",
] as const;

/** The schema in SQLite's words (INTEGER is 64-bit there). */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  block_number INTEGER NOT NULL,
  block_hash TEXT NOT NULL
);
-- contracts from the deployment records (static configuration of the ledger)
CREATE TABLE IF NOT EXISTS contracts (address TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL);
-- headers of every block that holds an indexed event (reorg detection walks these back)
CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, hash TEXT NOT NULL, parent_hash TEXT NOT NULL, timestamp INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, tx_hash TEXT NOT NULL, block_time INTEGER NOT NULL,
  address TEXT NOT NULL, contract TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, args TEXT NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE INDEX IF NOT EXISTS events_name ON events(name);

-- contracts found at run time (bonds created by the factory)
CREATE TABLE IF NOT EXISTS contracts_discovered (address TEXT PRIMARY KEY, kind TEXT NOT NULL, block_number INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS projects (
  project_id INTEGER PRIMARY KEY, owner TEXT NOT NULL, name TEXT NOT NULL, category INTEGER NOT NULL,
  country TEXT NOT NULL, standard TEXT NOT NULL, external_id TEXT NOT NULL, status INTEGER NOT NULL,
  metadata_uri TEXT, registered_block INTEGER NOT NULL, registered_tx TEXT NOT NULL, registered_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS project_status_history (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, project_id INTEGER NOT NULL,
  from_status INTEGER NOT NULL, to_status INTEGER NOT NULL, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE TABLE IF NOT EXISTS batches (
  batch_id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, vintage INTEGER NOT NULL,
  serial_start INTEGER NOT NULL, serial_end INTEGER NOT NULL, issued_to TEXT NOT NULL, attestation TEXT NOT NULL,
  issued_kg INTEGER NOT NULL, retired_kg INTEGER NOT NULL DEFAULT 0,
  block_number INTEGER NOT NULL, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS batches_project ON batches(project_id);
CREATE TABLE IF NOT EXISTS credit_transfers (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, seq INTEGER NOT NULL, tx_hash TEXT NOT NULL,
  operator TEXT NOT NULL, from_addr TEXT NOT NULL, to_addr TEXT NOT NULL, batch_id INTEGER NOT NULL, amount_kg INTEGER NOT NULL,
  PRIMARY KEY (block_number, log_index, seq)
);
CREATE TABLE IF NOT EXISTS credit_balances (
  batch_id INTEGER NOT NULL, account TEXT NOT NULL, balance_kg INTEGER NOT NULL, PRIMARY KEY (batch_id, account)
);
CREATE INDEX IF NOT EXISTS credit_balances_account ON credit_balances(account);
CREATE TABLE IF NOT EXISTS retirements (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, certificate_id INTEGER NOT NULL, batch_id INTEGER NOT NULL,
  project_id INTEGER NOT NULL, vintage INTEGER NOT NULL, account TEXT NOT NULL, via TEXT NOT NULL, beneficiary TEXT NOT NULL,
  beneficiary_name TEXT NOT NULL, reason TEXT NOT NULL, amount_kg INTEGER NOT NULL, tonnes TEXT NOT NULL,
  tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
-- the API pages retirements of a beneficiary / a project in block order: the index holds that order
DROP INDEX IF EXISTS retirements_beneficiary;
DROP INDEX IF EXISTS retirements_project;
CREATE INDEX IF NOT EXISTS retirements_by_beneficiary ON retirements(beneficiary, block_number, log_index);
CREATE INDEX IF NOT EXISTS retirements_by_project ON retirements(project_id, block_number, log_index);
CREATE TABLE IF NOT EXISTS certificates (
  certificate_id INTEGER PRIMARY KEY, account TEXT NOT NULL, beneficiary TEXT NOT NULL, beneficiary_name TEXT NOT NULL,
  reason TEXT NOT NULL, amount_kg INTEGER NOT NULL, batch_count INTEGER NOT NULL,
  block_number INTEGER NOT NULL, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS certificates_beneficiary ON certificates(beneficiary);
CREATE TABLE IF NOT EXISTS pool_deposits (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, pool TEXT NOT NULL, account TEXT NOT NULL,
  batch_id INTEGER NOT NULL, amount_kg INTEGER NOT NULL, minted TEXT NOT NULL, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE TABLE IF NOT EXISTS pool_redemptions (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, pool TEXT NOT NULL, account TEXT NOT NULL,
  batch_id INTEGER NOT NULL, amount_kg INTEGER NOT NULL, burned TEXT NOT NULL, fee TEXT NOT NULL, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE TABLE IF NOT EXISTS pool_retirements (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, pool TEXT NOT NULL, account TEXT NOT NULL,
  batch_id INTEGER NOT NULL, amount_kg INTEGER NOT NULL, certificate_id INTEGER, burned TEXT, fee TEXT, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
-- ERC-20 transfers of pool tokens and bond units (token = the pool / bond address)
CREATE TABLE IF NOT EXISTS token_transfers (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, token TEXT NOT NULL, from_addr TEXT NOT NULL,
  to_addr TEXT NOT NULL, value TEXT NOT NULL, tx_hash TEXT NOT NULL, PRIMARY KEY (block_number, log_index)
);
CREATE TABLE IF NOT EXISTS token_balances (token TEXT NOT NULL, account TEXT NOT NULL, balance TEXT NOT NULL, PRIMARY KEY (token, account));
CREATE INDEX IF NOT EXISTS token_balances_account ON token_balances(account);
CREATE TABLE IF NOT EXISTS listings (
  listing_id INTEGER PRIMARY KEY, seller TEXT NOT NULL, batch_id INTEGER NOT NULL, amount_kg INTEGER NOT NULL,
  sold_kg INTEGER NOT NULL DEFAULT 0, remaining_kg INTEGER NOT NULL, payment_token TEXT NOT NULL, price_per_tonne TEXT NOT NULL,
  status TEXT NOT NULL, block_number INTEGER NOT NULL, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS listings_batch ON listings(batch_id, listing_id);
CREATE TABLE IF NOT EXISTS purchases (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, listing_id INTEGER NOT NULL, buyer TEXT NOT NULL,
  amount_kg INTEGER NOT NULL, total_price TEXT NOT NULL, fee TEXT NOT NULL, retired INTEGER NOT NULL,
  tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL, PRIMARY KEY (block_number, log_index)
);
CREATE TABLE IF NOT EXISTS deals (
  deal_id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, funder TEXT NOT NULL, beneficiary TEXT NOT NULL,
  token TEXT NOT NULL, total TEXT NOT NULL, threshold INTEGER NOT NULL, funded TEXT NOT NULL DEFAULT '0',
  status TEXT NOT NULL, arbiter TEXT, dispute_window INTEGER, fee_bps INTEGER, verifiers TEXT, escrow TEXT NOT NULL, block_number INTEGER NOT NULL, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS deals_funder ON deals(funder, deal_id);
CREATE INDEX IF NOT EXISTS deals_beneficiary ON deals(beneficiary, deal_id);
CREATE TABLE IF NOT EXISTS milestones (
  deal_id INTEGER NOT NULL, idx INTEGER NOT NULL, status TEXT NOT NULL, amount TEXT, deadline INTEGER, description TEXT,
  attestations INTEGER NOT NULL DEFAULT 0,
  to_beneficiary TEXT NOT NULL DEFAULT '0', fee TEXT NOT NULL DEFAULT '0', refunded TEXT NOT NULL DEFAULT '0',
  release_bps INTEGER, disputed_by TEXT, dispute_reason TEXT, updated_block INTEGER NOT NULL,
  PRIMARY KEY (deal_id, idx)
);
CREATE TABLE IF NOT EXISTS milestone_attestations (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, deal_id INTEGER NOT NULL, idx INTEGER NOT NULL,
  verifier TEXT NOT NULL, evidence TEXT NOT NULL, attestations INTEGER NOT NULL, tx_hash TEXT NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE TABLE IF NOT EXISTS escrow_withdrawals (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, escrow TEXT NOT NULL, account TEXT NOT NULL, token TEXT NOT NULL,
  amount TEXT NOT NULL, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL, PRIMARY KEY (block_number, log_index)
);
-- what each account can withdraw from an escrow, per token (credits minus withdrawals)
CREATE TABLE IF NOT EXISTS escrow_owed (escrow TEXT NOT NULL, account TEXT NOT NULL, token TEXT NOT NULL, owed TEXT NOT NULL, PRIMARY KEY (escrow, account, token));
CREATE INDEX IF NOT EXISTS escrow_owed_account ON escrow_owed(account);
CREATE TABLE IF NOT EXISTS escrow_state (escrow TEXT PRIMARY KEY, treasury TEXT NOT NULL, fee_bps INTEGER);
CREATE TABLE IF NOT EXISTS investors (
  account TEXT PRIMARY KEY, verified INTEGER NOT NULL, country TEXT NOT NULL, expires_at INTEGER NOT NULL, updated_block INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS bonds (
  address TEXT PRIMARY KEY, issuer TEXT NOT NULL, payment_token TEXT NOT NULL, terms TEXT NOT NULL,
  coupon_rate_bps INTEGER, kpi_met INTEGER, defaulted_period INTEGER, status TEXT NOT NULL DEFAULT 'subscription',
  escrow_deal_id INTEGER,
  block_number INTEGER NOT NULL, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS bond_subscriptions (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, bond TEXT NOT NULL, investor TEXT NOT NULL,
  units TEXT NOT NULL, paid TEXT NOT NULL, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL, PRIMARY KEY (block_number, log_index)
);
CREATE INDEX IF NOT EXISTS bond_subscriptions_bond ON bond_subscriptions(bond);
CREATE TABLE IF NOT EXISTS coupon_payments (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, bond TEXT NOT NULL, period INTEGER NOT NULL,
  amount TEXT NOT NULL, rate_bps INTEGER NOT NULL, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL, PRIMARY KEY (block_number, log_index)
);
CREATE TABLE IF NOT EXISTS coupon_claims (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, bond TEXT NOT NULL, holder TEXT NOT NULL,
  amount TEXT NOT NULL, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL, PRIMARY KEY (block_number, log_index)
);
CREATE TABLE IF NOT EXISTS bond_kpi_reports (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, bond TEXT NOT NULL, kind TEXT NOT NULL,
  met INTEGER, evidence TEXT, new_rate_bps INTEGER, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL, PRIMARY KEY (block_number, log_index)
);
CREATE TABLE IF NOT EXISTS bond_redemptions (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, bond TEXT NOT NULL, holder TEXT NOT NULL,
  units TEXT NOT NULL, paid TEXT NOT NULL, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL, PRIMARY KEY (block_number, log_index)
);
-- other bond cash-flow and agent events (SubscriptionClosed, Refunded, PrincipalFunded, Frozen, ForcedTransfer, …).
-- PrincipalFunded marks the principal pot reaching the face value: its amount is what completed it, an issuer deposit,
-- or escrow refunds when the same tx_hash also holds EscrowRefundsPulled (do not add the two amounts up).
CREATE TABLE IF NOT EXISTS bond_events (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, bond TEXT NOT NULL, name TEXT NOT NULL, account TEXT,
  units TEXT, amount TEXT, details TEXT NOT NULL, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL, PRIMARY KEY (block_number, log_index)
);

-- ── climate integrity (issue #17) ──
-- a project's buffer rate (GreenProjectRegistry BufferRateSet; absent = 0 bps)
CREATE TABLE IF NOT EXISTS buffer_rates (
  project_id INTEGER PRIMARY KEY, buffer_bps INTEGER NOT NULL, block_number INTEGER NOT NULL, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL
);
-- what the BufferPool holds of each batch, as BufferPool.heldKg(batchId) tells it: pooled = 0 is the batch's own
-- withheld buffer (project_id = the batch's project), pooled = 1 its compensation credits (project_id = 0). Rows
-- stay when they reach 0 (added_kg / cancelled_kg keep the history).
CREATE TABLE IF NOT EXISTS buffer_holdings (
  batch_id INTEGER NOT NULL, pooled INTEGER NOT NULL, project_id INTEGER NOT NULL, balance_kg INTEGER NOT NULL,
  added_kg INTEGER NOT NULL, cancelled_kg INTEGER NOT NULL DEFAULT 0, block_number INTEGER NOT NULL,
  PRIMARY KEY (batch_id, pooled)
);
CREATE INDEX IF NOT EXISTS buffer_holdings_project ON buffer_holdings(project_id, batch_id);
-- every change of the buffer: withheld (issuance, CarbonCredit BufferWithheld), compensated, cancelled (a reversal's
-- BufferCancelled) and shortfall (BufferShortfall: no batch, what the whole buffer could not cover)
CREATE TABLE IF NOT EXISTS buffer_movements (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, kind TEXT NOT NULL, batch_id INTEGER, pooled INTEGER,
  project_id INTEGER NOT NULL, reversal_id INTEGER, account TEXT, amount_kg INTEGER NOT NULL, tx_hash TEXT NOT NULL,
  timestamp INTEGER NOT NULL, PRIMARY KEY (block_number, log_index)
);
CREATE INDEX IF NOT EXISTS buffer_movements_reversal ON buffer_movements(reversal_id, block_number, log_index);
CREATE INDEX IF NOT EXISTS buffer_movements_batch ON buffer_movements(batch_id, block_number, log_index);
CREATE INDEX IF NOT EXISTS buffer_movements_project ON buffer_movements(project_id, block_number, log_index);
-- reported reversals with what happened to them (BufferPool.reversal(id)); owed_kg > 0 blocks the project's issuance
CREATE TABLE IF NOT EXISTS reversals (
  reversal_id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, amount_kg INTEGER NOT NULL, avoidable INTEGER NOT NULL,
  evidence TEXT NOT NULL, cancelled_kg INTEGER NOT NULL DEFAULT 0, uncovered_kg INTEGER NOT NULL DEFAULT 0,
  owed_kg INTEGER NOT NULL, compensated_kg INTEGER NOT NULL DEFAULT 0, settled INTEGER NOT NULL DEFAULT 0,
  settled_block INTEGER, block_number INTEGER NOT NULL, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reversals_project ON reversals(project_id, reversal_id);
-- CarbonCredit CreditsCancelled: units burned out of circulation (per batch Σ = CarbonCredit.cancelledKg(batchId))
CREATE TABLE IF NOT EXISTS cancellations (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, batch_id INTEGER NOT NULL, project_id INTEGER NOT NULL,
  account TEXT NOT NULL, amount_kg INTEGER NOT NULL, reason TEXT NOT NULL, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE INDEX IF NOT EXISTS cancellations_batch ON cancellations(batch_id, block_number, log_index);
CREATE INDEX IF NOT EXISTS cancellations_project ON cancellations(project_id, block_number, log_index);
-- quality labels of a batch now (CarbonCredit.labelsOf: bits of sdk/buffer LABEL_BITS); a batch never labelled has no row
CREATE TABLE IF NOT EXISTS batch_labels (
  batch_id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, labels INTEGER NOT NULL, block_number INTEGER NOT NULL,
  tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS batch_labels_project ON batch_labels(project_id, batch_id);
-- every LabelsSet with the bits it added and removed
CREATE TABLE IF NOT EXISTS label_changes (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, batch_id INTEGER NOT NULL, project_id INTEGER NOT NULL,
  labels INTEGER NOT NULL, added INTEGER NOT NULL, removed INTEGER NOT NULL, tx_hash TEXT NOT NULL, timestamp INTEGER NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE INDEX IF NOT EXISTS label_changes_batch ON label_changes(batch_id, block_number, log_index);
-- ── governance (issue #18) ──
-- one row per TreelionTimelock operation id: status 'pending' (scheduled; ready once ready_at has passed), 'done'
-- (CallExecuted) or 'cancelled'; a cancelled id scheduled again is pending again (the timelock allows it)
CREATE TABLE IF NOT EXISTS gov_operations (
  operation_id TEXT PRIMARY KEY, timelock TEXT NOT NULL, status TEXT NOT NULL, calls INTEGER NOT NULL,
  predecessor TEXT NOT NULL, salt TEXT NOT NULL, delay INTEGER NOT NULL, ready_at INTEGER NOT NULL,
  scheduled_block INTEGER NOT NULL, scheduled_log INTEGER NOT NULL, scheduled_tx TEXT NOT NULL, scheduled_at INTEGER NOT NULL,
  executed_block INTEGER, executed_tx TEXT, executed_at INTEGER,
  cancelled_block INTEGER, cancelled_tx TEXT, cancelled_at INTEGER
);
CREATE INDEX IF NOT EXISTS gov_operations_order ON gov_operations(scheduled_block, scheduled_log);
CREATE INDEX IF NOT EXISTS gov_operations_status ON gov_operations(status, scheduled_block, scheduled_log);
-- the calls of an operation (index = CallScheduled's index; one for schedule, n for scheduleBatch)
CREATE TABLE IF NOT EXISTS gov_calls (
  operation_id TEXT NOT NULL, idx INTEGER NOT NULL, target TEXT NOT NULL, value TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (operation_id, idx)
);
`;

/** The same schema for a backend: PostgreSQL's 64-bit integer is BIGINT (its INTEGER has 32 bits). */
export function schemaFor(backend: "sqlite" | "postgres"): string {
  return backend === "postgres" ? SCHEMA.replace(/\bINTEGER\b/g, "BIGINT") : SCHEMA;
}
