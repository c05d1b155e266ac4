/**
 * The SQLite ledger: writes chunks of decoded events atomically with the checkpoint, derives the relational
 * tables, rolls back to a block on a reorg (delete + replay), and answers queries.
 */
import Database from "better-sqlite3";
import { SCHEMA, SCHEMA_VERSION, DERIVED_TABLES } from "./schema";
import { kgToTonnesString } from "../units";

type DB = Database.Database;

/** A decoded event as stored in `events` (args: JSON-safe, integers as decimal strings). */
export interface StoredEvent {
  blockNumber: number;
  logIndex: number;
  txHash: string;
  blockTime: number;
  address: string;
  contract: string;
  kind: string;
  name: string;
  args: Record<string, any>;
}

export interface BlockHeader {
  number: number;
  hash: string;
  parentHash: string;
  timestamp: number;
}

export interface Checkpoint {
  blockNumber: number;
  blockHash: string;
}

const ZERO = "0x0000000000000000000000000000000000000000";

/** Lower-cased address (the ledger stores addresses lower-case so SQL comparisons are simple). */
const addr = (a: unknown) => String(a).toLowerCase();
const big = (v: unknown) => BigInt(v as string);

/** bytes2 "0x4b45" → "KE" */
function bytes2ToText(hex: string): string {
  const h = hex.replace(/^0x/, "");
  let s = "";
  for (let i = 0; i < h.length; i += 2) {
    const c = parseInt(h.slice(i, i + 2), 16);
    if (c) s += String.fromCharCode(c);
  }
  return s;
}

export class Ledger {
  readonly db: DB;
  private st: Record<string, Database.Statement>;
  /** address → kind for `via` of retirements (pool/market retiring on a user's behalf) */
  private kinds = new Map<string, string>();

  constructor(file: string | DB) {
    this.db = typeof file === "string" ? new Database(file) : file;
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.defaultSafeIntegers(true);
    this.db.exec(SCHEMA);
    const v = this.getMeta("schema_version");
    if (v === undefined) this.setMeta("schema_version", String(SCHEMA_VERSION));
    else if (Number(v) !== SCHEMA_VERSION)
      throw new Error(`ledger schema version ${v}, this indexer writes ${SCHEMA_VERSION}: use a new --db`);
    for (const r of this.db.prepare("SELECT address, kind FROM contracts").all() as any[])
      this.kinds.set(r.address, r.kind);
    this.st = this.prepare();
  }

  close(): void {
    this.db.close();
  }

  getMeta(key: string): string | undefined {
    const r = this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
    return r?.value;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .run(key, value);
  }

  /** Records the static contracts (from the deployment records); refuses a ledger built for other addresses. */
  setContracts(list: { address: string; name: string; kind: string }[]): void {
    const existing = this.db.prepare("SELECT address, name, kind FROM contracts ORDER BY address").all() as any[];
    const wanted = [...list]
      .map((c) => ({ address: addr(c.address), name: c.name, kind: c.kind }))
      .sort((a, b) => (a.address < b.address ? -1 : 1));
    if (existing.length && JSON.stringify(existing) !== JSON.stringify(wanted)) {
      const changed = wanted.filter((w) => !existing.some((e) => e.address === w.address)).map((w) => w.name);
      // only additions are allowed (a later deployment); a new contract's events are picked up from the next chunk on
      if (existing.some((e) => !wanted.some((w) => w.address === e.address))) {
        throw new Error(`this ledger indexes other contract addresses; use a new --db (new: ${changed.join(", ")})`);
      }
    }
    const ins = this.db.prepare("INSERT OR IGNORE INTO contracts(address, name, kind) VALUES (?, ?, ?)");
    this.db.transaction(() => wanted.forEach((w) => ins.run(w.address, w.name, w.kind)))();
    for (const w of wanted) this.kinds.set(w.address, w.kind);
  }

  /** Bonds (and any other run-time contracts) discovered so far. */
  discovered(): { address: string; kind: string; blockNumber: number }[] {
    return (
      this.db
        .prepare("SELECT address, kind, block_number FROM contracts_discovered ORDER BY block_number, address")
        .all() as any[]
    ).map((r) => ({ address: r.address, kind: r.kind, blockNumber: Number(r.block_number) }));
  }

  checkpoint(): Checkpoint | undefined {
    const r = this.db.prepare("SELECT block_number, block_hash FROM checkpoint WHERE id = 1").get() as any;
    return r ? { blockNumber: Number(r.block_number), blockHash: r.block_hash } : undefined;
  }

  /** Stored headers at or below `block`, newest first (for the reorg walk-back). */
  storedBlocks(atOrBelow: number, limit: number): BlockHeader[] {
    return (
      this.db
        .prepare("SELECT * FROM blocks WHERE number <= ? ORDER BY number DESC LIMIT ?")
        .all(atOrBelow, limit) as any[]
    ).map((r) => ({
      number: Number(r.number),
      hash: r.hash,
      parentHash: r.parent_hash,
      timestamp: Number(r.timestamp),
    }));
  }

  /**
   * Writes one chunk atomically: its block headers, its events (and everything derived from them) and the
   * checkpoint (`to`, its hash). Either all of it is in the database afterwards, or none of it.
   */
  commitChunk(events: StoredEvent[], headers: BlockHeader[], to: Checkpoint): void {
    this.db.transaction(() => {
      const cp = this.checkpoint();
      if (cp && to.blockNumber <= cp.blockNumber)
        throw new Error(`chunk ends at ${to.blockNumber}, ledger is at ${cp.blockNumber}`);
      for (const h of headers) this.st.insBlock.run(h.number, h.hash, h.parentHash, h.timestamp);
      for (const e of events) {
        this.st.insEvent.run(
          e.blockNumber,
          e.logIndex,
          e.txHash,
          e.blockTime,
          addr(e.address),
          e.contract,
          e.kind,
          e.name,
          JSON.stringify(e.args),
        );
        this.apply(e);
      }
      this.st.setCheckpoint.run(to.blockNumber, to.blockHash);
    })();
  }

  /**
   * Reorg: forgets every block above `common` and rebuilds the derived tables from the remaining events
   * (one transaction). `commonHash` undefined → the ledger goes back to empty (before the start block).
   */
  rollback(common: number, commonHash: string | undefined): void {
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM events WHERE block_number > ?").run(common);
      this.db.prepare("DELETE FROM blocks WHERE number > ?").run(common);
      this.rebuildDerived();
      if (commonHash === undefined) this.db.prepare("DELETE FROM checkpoint").run();
      else this.st.setCheckpoint.run(common, commonHash);
    })();
  }

  /** Wipes every derived table and replays `events` in order (deterministic: same rows as the live path). */
  rebuildDerived(): void {
    for (const t of DERIVED_TABLES) this.db.prepare(`DELETE FROM ${t}`).run();
    const rows = this.db.prepare("SELECT * FROM events ORDER BY block_number, log_index").iterate() as Iterable<any>;
    const all: StoredEvent[] = [];
    for (const r of rows) {
      all.push({
        blockNumber: Number(r.block_number),
        logIndex: Number(r.log_index),
        txHash: r.tx_hash,
        blockTime: Number(r.block_time),
        address: r.address,
        contract: r.contract,
        kind: r.kind,
        name: r.name,
        args: JSON.parse(r.args),
      });
    }
    for (const e of all) this.apply(e);
  }

  // ───────────────────────────── handlers ─────────────────────────────

  private prepare(): Record<string, Database.Statement> {
    const p = (sql: string) => this.db.prepare(sql);
    return {
      insBlock: p("INSERT OR REPLACE INTO blocks(number, hash, parent_hash, timestamp) VALUES (?, ?, ?, ?)"),
      insEvent: p(
        "INSERT INTO events(block_number, log_index, tx_hash, block_time, address, contract, kind, name, args) VALUES (?,?,?,?,?,?,?,?,?)",
      ),
      setCheckpoint: p(
        "INSERT INTO checkpoint(id, block_number, block_hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash",
      ),
      insProject: p(
        "INSERT INTO projects(project_id, owner, name, category, country, standard, external_id, status, registered_block, registered_tx, registered_at) VALUES (?,?,?,?,?,?,?,0,?,?,?)",
      ),
      insStatus: p("INSERT INTO project_status_history VALUES (?,?,?,?,?,?,?)"),
      setStatus: p("UPDATE projects SET status = ? WHERE project_id = ?"),
      setMetadata: p("UPDATE projects SET metadata_uri = ? WHERE project_id = ?"),
      insBatch: p(
        "INSERT INTO batches(batch_id, project_id, vintage, serial_start, serial_end, issued_to, attestation, issued_kg, block_number, tx_hash, timestamp) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
      ),
      insCreditTransfer: p("INSERT INTO credit_transfers VALUES (?,?,?,?,?,?,?,?,?)"),
      addCredit: p(
        "INSERT INTO credit_balances(batch_id, account, balance_kg) VALUES (?,?,?) ON CONFLICT(batch_id, account) DO UPDATE SET balance_kg = balance_kg + excluded.balance_kg RETURNING balance_kg",
      ),
      delCredit: p("DELETE FROM credit_balances WHERE batch_id = ? AND account = ?"),
      batchInfo: p("SELECT project_id, vintage FROM batches WHERE batch_id = ?"),
      insRetirement: p("INSERT INTO retirements VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
      addRetired: p("UPDATE batches SET retired_kg = retired_kg + ? WHERE batch_id = ?"),
      upCertificate: p(
        "INSERT INTO certificates VALUES (?,?,?,?,?,?,1,?,?,?) ON CONFLICT(certificate_id) DO UPDATE SET amount_kg = amount_kg + excluded.amount_kg, batch_count = batch_count + 1",
      ),
      insDeposit: p("INSERT INTO pool_deposits VALUES (?,?,?,?,?,?,?,?,?)"),
      insRedemption: p("INSERT INTO pool_redemptions VALUES (?,?,?,?,?,?,?,?,?,?)"),
      insPoolRetirement: p("INSERT INTO pool_retirements VALUES (?,?,?,?,?,?,?,?,?,?,?)"),
      insTokenTransfer: p("INSERT INTO token_transfers VALUES (?,?,?,?,?,?,?)"),
      getTokenBalance: p("SELECT balance FROM token_balances WHERE token = ? AND account = ?"),
      setTokenBalance: p(
        "INSERT INTO token_balances VALUES (?,?,?) ON CONFLICT(token, account) DO UPDATE SET balance = excluded.balance",
      ),
      delTokenBalance: p("DELETE FROM token_balances WHERE token = ? AND account = ?"),
      insListing: p(
        "INSERT INTO listings(listing_id, seller, batch_id, amount_kg, remaining_kg, payment_token, price_per_tonne, status, block_number, tx_hash, timestamp) VALUES (?,?,?,?,?,?,?,'open',?,?,?)",
      ),
      insPurchase: p("INSERT INTO purchases VALUES (?,?,?,?,?,?,?,?,?,?)"),
      buyListing: p(
        "UPDATE listings SET sold_kg = sold_kg + ?, remaining_kg = remaining_kg - ?, status = CASE WHEN remaining_kg - ? = 0 THEN 'sold' ELSE status END WHERE listing_id = ?",
      ),
      cancelListing: p("UPDATE listings SET status = 'cancelled', remaining_kg = 0 WHERE listing_id = ?"),
      priceListing: p("UPDATE listings SET price_per_tonne = ? WHERE listing_id = ?"),
      insDeal: p(
        "INSERT INTO deals(deal_id, project_id, funder, beneficiary, token, total, threshold, status, escrow, block_number, tx_hash, timestamp) VALUES (?,?,?,?,?,?,?,'created',?,?,?,?)",
      ),
      dealTerms: p("UPDATE deals SET arbiter = ?, dispute_window = ?, fee_bps = ?, verifiers = ? WHERE deal_id = ?"),
      msTerms: p(
        "INSERT INTO milestones(deal_id, idx, status, amount, deadline, description, updated_block) VALUES (?,?,'pending',?,?,?,?) ON CONFLICT(deal_id, idx) DO UPDATE SET amount = excluded.amount, deadline = excluded.deadline, description = excluded.description",
      ),
      msCancel: p("UPDATE milestones SET status = 'cancelled', refunded = ? WHERE deal_id = ? AND idx = ?"),
      dealOf: p("SELECT funder, beneficiary, token FROM deals WHERE deal_id = ?"),
      getOwed: p("SELECT owed FROM escrow_owed WHERE escrow = ? AND account = ? AND token = ?"),
      setOwed: p(
        "INSERT INTO escrow_owed VALUES (?,?,?,?) ON CONFLICT(escrow, account, token) DO UPDATE SET owed = excluded.owed",
      ),
      delOwed: p("DELETE FROM escrow_owed WHERE escrow = ? AND account = ? AND token = ?"),
      setTreasury: p(
        "INSERT INTO escrow_state(escrow, treasury) VALUES (?, ?) ON CONFLICT(escrow) DO UPDATE SET treasury = excluded.treasury",
      ),
      setEscrowFee: p(
        "INSERT INTO escrow_state(escrow, treasury, fee_bps) VALUES (?, '', ?) ON CONFLICT(escrow) DO UPDATE SET fee_bps = excluded.fee_bps",
      ),
      treasuryOf: p("SELECT treasury FROM escrow_state WHERE escrow = ?"),
      fundDeal: p("UPDATE deals SET funded = ?, status = 'funded' WHERE deal_id = ?"),
      setDealStatus: p("UPDATE deals SET status = ? WHERE deal_id = ?"),
      upMilestone: p(
        "INSERT INTO milestones(deal_id, idx, status, updated_block) VALUES (?,?,'pending',?) ON CONFLICT(deal_id, idx) DO UPDATE SET updated_block = excluded.updated_block",
      ),
      insAttestation: p("INSERT INTO milestone_attestations VALUES (?,?,?,?,?,?,?,?)"),
      msAttest: p("UPDATE milestones SET attestations = ? WHERE deal_id = ? AND idx = ?"),
      msRelease: p(
        "UPDATE milestones SET status = 'released', to_beneficiary = ?, fee = ? WHERE deal_id = ? AND idx = ?",
      ),
      msResolveAmounts: p(
        "UPDATE milestones SET to_beneficiary = ?, fee = ?, refunded = ? WHERE deal_id = ? AND idx = ?",
      ),
      msRefund: p(
        "UPDATE milestones SET status = CASE WHEN status = 'resolved' THEN status ELSE 'refunded' END, refunded = ? WHERE deal_id = ? AND idx = ?",
      ),
      msDispute: p(
        "UPDATE milestones SET status = 'disputed', disputed_by = ?, dispute_reason = ? WHERE deal_id = ? AND idx = ?",
      ),
      msResolve: p("UPDATE milestones SET status = 'resolved', release_bps = ? WHERE deal_id = ? AND idx = ?"),
      insWithdrawal: p("INSERT INTO escrow_withdrawals VALUES (?,?,?,?,?,?,?,?)"),
      upInvestor: p(
        "INSERT INTO investors VALUES (?,?,?,?,?) ON CONFLICT(account) DO UPDATE SET verified = excluded.verified, country = excluded.country, expires_at = excluded.expires_at, updated_block = excluded.updated_block",
      ),
      insBond: p(
        "INSERT OR IGNORE INTO bonds(address, issuer, payment_token, terms, coupon_rate_bps, block_number, tx_hash, timestamp) VALUES (?,?,?,?,?,?,?,?)",
      ),
      insDiscovered: p("INSERT OR IGNORE INTO contracts_discovered VALUES (?,?,?)"),
      insSubscription: p("INSERT INTO bond_subscriptions VALUES (?,?,?,?,?,?,?,?)"),
      insCoupon: p("INSERT INTO coupon_payments VALUES (?,?,?,?,?,?,?,?)"),
      insClaim: p("INSERT INTO coupon_claims VALUES (?,?,?,?,?,?,?)"),
      insKpi: p("INSERT INTO bond_kpi_reports VALUES (?,?,?,?,?,?,?,?,?)"),
      bondRate: p("UPDATE bonds SET coupon_rate_bps = ? WHERE address = ?"),
      bondKpi: p("UPDATE bonds SET kpi_met = ? WHERE address = ?"),
      bondDefault: p("UPDATE bonds SET defaulted_period = ? WHERE address = ?"),
      insBondEvent: p("INSERT INTO bond_events VALUES (?,?,?,?,?,?,?,?,?,?)"),
      bondClosed: p("UPDATE bonds SET status = ?, escrow_deal_id = ? WHERE address = ?"),
      bondStatus: p("UPDATE bonds SET status = ? WHERE address = ?"),
      insBondRedemption: p("INSERT INTO bond_redemptions VALUES (?,?,?,?,?,?,?,?)"),
    };
  }

  private creditDelta(batchId: bigint, account: string, delta: bigint): void {
    if (account === ZERO || delta === 0n) return;
    const r = this.st.addCredit.get(batchId, account, delta) as { balance_kg: bigint };
    if (r.balance_kg === 0n) this.st.delCredit.run(batchId, account);
  }

  private tokenDelta(token: string, account: string, delta: bigint): void {
    if (account === ZERO || delta === 0n) return;
    const r = this.st.getTokenBalance.get(token, account) as { balance: string } | undefined;
    const next = (r ? BigInt(r.balance) : 0n) + delta;
    if (next === 0n) this.st.delTokenBalance.run(token, account);
    else this.st.setTokenBalance.run(token, account, next.toString());
  }

  /** Applies one event to the derived tables. Unknown events stay in `events` only. */
  apply(e: StoredEvent): void {
    const a = e.args;
    const s = this.st;
    const at = [e.blockNumber, e.logIndex] as const;
    const self = addr(e.address);
    switch (`${e.kind}.${e.name}`) {
      case "registry.ProjectRegistered":
        s.insProject.run(
          big(a.projectId),
          addr(a.owner),
          a.name,
          Number(a.category),
          bytes2ToText(a.country),
          a.standard,
          a.externalId,
          e.blockNumber,
          e.txHash,
          e.blockTime,
        );
        break;
      case "registry.ProjectStatusChanged":
        s.insStatus.run(...at, big(a.projectId), Number(a.from), Number(a.to), e.txHash, e.blockTime);
        s.setStatus.run(Number(a.to), big(a.projectId));
        break;
      case "registry.ProjectMetadataUpdated":
        s.setMetadata.run(a.metadataURI, big(a.projectId));
        break;
      case "credit.BatchIssued": {
        const kg = (big(a.serialEnd) - big(a.serialStart) + 1n) * 1000n;
        s.insBatch.run(
          big(a.batchId),
          big(a.projectId),
          Number(a.vintage),
          big(a.serialStart),
          big(a.serialEnd),
          addr(a.to),
          a.attestation,
          kg,
          e.blockNumber,
          e.txHash,
          e.blockTime,
        );
        break;
      }
      case "credit.TransferSingle":
        this.creditTransfer(e, 0, a.operator, a.from, a.to, big(a.id), big(a.value));
        break;
      case "credit.TransferBatch":
        (a.ids as string[]).forEach((id, i) =>
          this.creditTransfer(e, i, a.operator, a.from, a.to, big(id), big(a.values[i])),
        );
        break;
      case "credit.Retired": {
        const batchId = big(a.batchId);
        const info = s.batchInfo.get(batchId) as { project_id: bigint; vintage: bigint } | undefined;
        const account = addr(a.account);
        const amount = big(a.amountKg);
        const via = this.kinds.get(account) ?? "holder";
        s.insRetirement.run(
          ...at,
          big(a.certificateId),
          batchId,
          info?.project_id ?? 0n,
          info?.vintage ?? 0n,
          account,
          via,
          addr(a.beneficiary),
          a.beneficiaryName,
          a.reason,
          amount,
          kgToTonnesString(amount),
          e.txHash,
          e.blockTime,
        );
        s.addRetired.run(amount, batchId);
        s.upCertificate.run(
          big(a.certificateId),
          account,
          addr(a.beneficiary),
          a.beneficiaryName,
          a.reason,
          amount,
          e.blockNumber,
          e.txHash,
          e.blockTime,
        );
        break;
      }
      case "pool.Deposited":
        s.insDeposit.run(
          ...at,
          self,
          addr(a.account),
          big(a.batchId),
          big(a.amountKg),
          String(a.minted),
          e.txHash,
          e.blockTime,
        );
        break;
      case "pool.Redeemed":
        s.insRedemption.run(
          ...at,
          self,
          addr(a.account),
          big(a.batchId),
          big(a.amountKg),
          String(a.burned),
          String(a.fee),
          e.txHash,
          e.blockTime,
        );
        break;
      case "pool.RetiredFromPool":
        s.insPoolRetirement.run(
          ...at,
          self,
          addr(a.account),
          big(a.batchId),
          big(a.amountKg),
          a.certificateId !== undefined ? big(a.certificateId) : null,
          a.burned ?? null,
          a.fee ?? null,
          e.txHash,
          e.blockTime,
        );
        break;
      case "pool.Transfer":
      case "bond.Transfer":
        s.insTokenTransfer.run(...at, self, addr(a.from), addr(a.to), String(a.value), e.txHash);
        this.tokenDelta(self, addr(a.from), -big(a.value));
        this.tokenDelta(self, addr(a.to), big(a.value));
        break;
      case "market.Listed":
        s.insListing.run(
          big(a.listingId),
          addr(a.seller),
          big(a.batchId),
          big(a.amountKg),
          big(a.amountKg),
          addr(a.paymentToken),
          String(a.pricePerTonne),
          e.blockNumber,
          e.txHash,
          e.blockTime,
        );
        break;
      case "market.Purchased": {
        const kg = big(a.amountKg);
        s.insPurchase.run(
          ...at,
          big(a.listingId),
          addr(a.buyer),
          kg,
          String(a.totalPrice),
          String(a.fee),
          a.retired ? 1 : 0,
          e.txHash,
          e.blockTime,
        );
        s.buyListing.run(kg, kg, kg, big(a.listingId));
        break;
      }
      case "market.ListingCancelled":
        s.cancelListing.run(big(a.listingId));
        break;
      case "market.PriceUpdated":
        s.priceListing.run(String(a.newPricePerTonne), big(a.listingId));
        break;
      case "escrow.DealCreated":
        s.insDeal.run(
          big(a.dealId),
          big(a.projectId),
          addr(a.funder),
          addr(a.beneficiary),
          addr(a.token),
          String(a.total),
          Number(a.threshold),
          self,
          e.blockNumber,
          e.txHash,
          e.blockTime,
        );
        break;
      case "escrow.DealTerms":
        s.dealTerms.run(
          addr(a.arbiter),
          big(a.disputeWindow),
          Number(a.feeBps),
          JSON.stringify((a.verifiers as string[]).map(addr)),
          big(a.dealId),
        );
        (a.milestones as any[]).forEach((m, i) =>
          s.msTerms.run(big(a.dealId), i, String(m.amount), big(m.deadline), m.description, e.blockNumber),
        );
        break;
      case "escrow.DisputeSettled": {
        const d = this.deal(a.dealId);
        s.msResolveAmounts.run(String(a.toBeneficiary), String(a.fee), String(a.toFunder), big(a.dealId), big(a.index));
        this.owe(self, d.beneficiary, d.token, big(a.toBeneficiary));
        this.owe(self, this.treasury(self), d.token, big(a.fee));
        this.owe(self, d.funder, d.token, big(a.toFunder));
        break;
      }
      case "escrow.MilestoneCancelled":
        s.msCancel.run(String(a.amount), big(a.dealId), big(a.index));
        break;
      case "escrow.DealCancelled": {
        const d = this.deal(a.dealId);
        s.setDealStatus.run("cancelled", big(a.dealId));
        this.owe(self, d.funder, d.token, big(a.refunded));
        break;
      }
      case "escrow.TreasuryUpdated":
        s.setTreasury.run(self, addr(a.newTreasury));
        break;
      case "escrow.FeeUpdated":
        s.setEscrowFee.run(self, Number(a.newFeeBps));
        break;
      case "escrow.DealFunded":
        s.fundDeal.run(String(a.amount), big(a.dealId));
        break;
      case "escrow.MilestoneAttested":
        s.upMilestone.run(big(a.dealId), big(a.index), e.blockNumber);
        s.insAttestation.run(
          ...at,
          big(a.dealId),
          big(a.index),
          addr(a.verifier),
          a.evidence,
          Number(a.attestations),
          e.txHash,
        );
        s.msAttest.run(Number(a.attestations), big(a.dealId), big(a.index));
        break;
      case "escrow.MilestoneReleased":
        s.upMilestone.run(big(a.dealId), big(a.index), e.blockNumber);
        s.msRelease.run(String(a.toBeneficiary), String(a.fee), big(a.dealId), big(a.index));
        {
          const d = this.deal(a.dealId);
          this.owe(self, d.beneficiary, d.token, big(a.toBeneficiary));
          this.owe(self, this.treasury(self), d.token, big(a.fee));
        }
        break;
      case "escrow.MilestoneRefunded":
        s.upMilestone.run(big(a.dealId), big(a.index), e.blockNumber);
        s.msRefund.run(String(a.amount), big(a.dealId), big(a.index));
        {
          const d = this.deal(a.dealId);
          this.owe(self, d.funder, d.token, big(a.amount));
        }
        break;
      case "escrow.DisputeRaised":
        s.upMilestone.run(big(a.dealId), big(a.index), e.blockNumber);
        s.msDispute.run(addr(a.by), a.reason, big(a.dealId), big(a.index));
        break;
      case "escrow.DisputeResolved":
        s.upMilestone.run(big(a.dealId), big(a.index), e.blockNumber);
        s.msResolve.run(Number(a.releaseBps), big(a.dealId), big(a.index));
        break;
      case "escrow.Withdrawn":
        s.insWithdrawal.run(...at, self, addr(a.account), addr(a.token), String(a.amount), e.txHash, e.blockTime);
        this.owe(self, addr(a.account), addr(a.token), -big(a.amount));
        break;
      case "compliance.InvestorUpdated":
        s.upInvestor.run(addr(a.account), a.verified ? 1 : 0, bytes2ToText(a.country), big(a.expiresAt), e.blockNumber);
        break;
      case "bondFactory.BondCreated": {
        const bond = addr(a.bond);
        const terms = a.terms as { couponRateBps: unknown };
        const rate = terms.couponRateBps;
        s.insBond.run(
          bond,
          addr(a.issuer),
          addr(a.paymentToken),
          JSON.stringify(terms),
          rate !== undefined ? Number(rate) : null,
          e.blockNumber,
          e.txHash,
          e.blockTime,
        );
        s.insDiscovered.run(bond, "bond", e.blockNumber);
        this.kinds.set(bond, "bond");
        break;
      }
      case "bond.Subscribed":
        s.insSubscription.run(...at, self, addr(a.investor), String(a.units), String(a.paid), e.txHash, e.blockTime);
        break;
      case "bond.CouponFunded":
        s.insCoupon.run(...at, self, big(a.period), String(a.amount), Number(a.rateBps), e.txHash, e.blockTime);
        break;
      case "bond.CouponClaimed":
        s.insClaim.run(...at, self, addr(a.holder), String(a.amount), e.txHash, e.blockTime);
        break;
      case "bond.KpiReported":
        s.insKpi.run(...at, self, "report", a.met ? 1 : 0, a.evidence, null, e.txHash, e.blockTime);
        s.bondKpi.run(a.met ? 1 : 0, self);
        break;
      case "bond.CouponStepUp":
        s.insKpi.run(...at, self, "step-up", null, null, Number(a.newRateBps), e.txHash, e.blockTime);
        s.bondRate.run(Number(a.newRateBps), self);
        break;
      case "bond.Redeemed":
        s.insBondRedemption.run(...at, self, addr(a.holder), String(a.units), String(a.paid), e.txHash, e.blockTime);
        break;
      case "bond.Defaulted":
        s.bondDefault.run(big(a.period), self);
        s.bondStatus.run("defaulted", self);
        break;
      case "bond.SubscriptionClosed":
        s.bondClosed.run(a.success ? "active" : "refunding", a.success ? big(a.dealId) : null, self);
        s.insBondEvent.run(
          ...at,
          self,
          e.name,
          null,
          String(a.units),
          String(a.proceeds),
          JSON.stringify(a),
          e.txHash,
          e.blockTime,
        );
        break;
      case "bond.Refunded":
        s.insBondEvent.run(
          ...at,
          self,
          e.name,
          addr(a.investor),
          String(a.units),
          String(a.paid),
          JSON.stringify(a),
          e.txHash,
          e.blockTime,
        );
        break;
      case "bond.PrincipalFunded":
      case "bond.EscrowRefundsPulled":
        s.insBondEvent.run(...at, self, e.name, null, null, String(a.amount), JSON.stringify(a), e.txHash, e.blockTime);
        break;
      case "bond.IssuerSurplusWithdrawn":
        s.insBondEvent.run(
          ...at,
          self,
          e.name,
          addr(a.issuer),
          null,
          String(a.amount),
          JSON.stringify(a),
          e.txHash,
          e.blockTime,
        );
        break;
      case "bond.Frozen":
        s.insBondEvent.run(...at, self, e.name, addr(a.account), null, null, JSON.stringify(a), e.txHash, e.blockTime);
        break;
      case "bond.ForcedTransfer":
        s.insBondEvent.run(
          ...at,
          self,
          e.name,
          addr(a.from),
          String(a.units),
          null,
          JSON.stringify(a),
          e.txHash,
          e.blockTime,
        );
        break;
      default:
        break; // kept in `events` (e.g. admin events) but no derived table
    }
  }

  private deal(id: unknown): { funder: string; beneficiary: string; token: string } {
    const d = this.st.dealOf.get(big(id)) as { funder: string; beneficiary: string; token: string } | undefined;
    if (!d) throw new Error(`escrow event for unknown deal ${id}`);
    return d;
  }

  private treasury(escrow: string): string {
    return (this.st.treasuryOf.get(escrow) as { treasury: string } | undefined)?.treasury || ZERO;
  }

  private owe(escrow: string, account: string, token: string, delta: bigint): void {
    if (delta === 0n) return;
    const r = this.st.getOwed.get(escrow, account, token) as { owed: string } | undefined;
    const next = (r ? BigInt(r.owed) : 0n) + delta;
    if (next === 0n) this.st.delOwed.run(escrow, account, token);
    else this.st.setOwed.run(escrow, account, token, next.toString());
  }

  private creditTransfer(
    e: StoredEvent,
    seq: number,
    operator: string,
    from: string,
    to: string,
    id: bigint,
    value: bigint,
  ): void {
    this.st.insCreditTransfer.run(
      e.blockNumber,
      e.logIndex,
      seq,
      e.txHash,
      addr(operator),
      addr(from),
      addr(to),
      id,
      value,
    );
    this.creditDelta(id, addr(from), -value);
    this.creditDelta(id, addr(to), value);
  }

  /** Every table's rows in primary-key order (for comparisons / exports). */
  dump(tables?: string[]): Record<string, unknown[]> {
    const names =
      tables ??
      (
        this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
      ).map((r) => r.name);
    const out: Record<string, unknown[]> = {};
    for (const t of names) {
      out[t] = (this.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all() as Record<string, unknown>[]).map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v])),
      );
    }
    return out;
  }
}
