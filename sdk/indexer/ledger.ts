/**
 * The ledger's store: the checkpoint, atomic chunk commits (block headers + events + everything the projections
 * derive from them + the checkpoint, in one transaction), rollback to a block on a reorg (delete + replay) and
 * the contract list. The derived tables belong to the projections (./projections, one module per area).
 * Runs unchanged on SQLite and PostgreSQL (./db).
 */
import { sql } from "kysely";
import { Op, openDatabase, p, stmt, type Executor, type LedgerDb, type OpenOptions, type Work } from "./db";
import { SCHEMA_VERSION, DERIVED_TABLES, schemaFor } from "./schema";
import { EventContext, HANDLERS, addr, type HandlerTable, type StoredEvent } from "./projections";

export type { StoredEvent } from "./projections";

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

const q = {
  getMeta: stmt("getMeta", (db) => db.selectFrom("meta").select("value").where("key", "=", p("key"))),
  setMeta: stmt("setMeta", (db) =>
    db
      .insertInto("meta")
      .values({ key: p("key"), value: p("value") })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: p("value") })),
  ),
  contracts: stmt("contracts", (db) =>
    db.selectFrom("contracts").select(["address", "name", "kind"]).orderBy("address"),
  ),
  insContract: stmt("insContract", (db) =>
    db
      .insertInto("contracts")
      .values({ address: p("address"), name: p("name"), kind: p("kind") })
      .onConflict((oc) => oc.doNothing()),
  ),
  discovered: stmt("discovered", (db) =>
    db
      .selectFrom("contracts_discovered")
      .select(["address", "kind", "block_number"])
      .orderBy("block_number")
      .orderBy("address"),
  ),
  checkpoint: stmt("checkpoint", (db) =>
    db.selectFrom("checkpoint").select(["block_number", "block_hash"]).where("id", "=", 1),
  ),
  setCheckpoint: stmt("setCheckpoint", (db) =>
    db
      .insertInto("checkpoint")
      .values({ id: 1, block_number: p("number"), block_hash: p("hash") })
      .onConflict((oc) => oc.column("id").doUpdateSet({ block_number: p("number"), block_hash: p("hash") })),
  ),
  delCheckpoint: stmt("delCheckpoint", (db) => db.deleteFrom("checkpoint")),
  storedBlocks: stmt("storedBlocks", (db) =>
    db.selectFrom("blocks").selectAll().where("number", "<=", p("below")).orderBy("number", "desc").limit(p("limit")),
  ),
  insBlock: stmt("insBlock", (db) =>
    db
      .insertInto("blocks")
      .values({ number: p("number"), hash: p("hash"), parent_hash: p("parentHash"), timestamp: p("timestamp") })
      .onConflict((oc) =>
        oc.column("number").doUpdateSet({
          hash: p("hash"),
          parent_hash: p("parentHash"),
          timestamp: p("timestamp"),
        }),
      ),
  ),
  insEvent: stmt("insEvent", (db) =>
    db.insertInto("events").values({
      block_number: p("blockNumber"),
      log_index: p("logIndex"),
      tx_hash: p("txHash"),
      block_time: p("blockTime"),
      address: p("address"),
      contract: p("contract"),
      kind: p("kind"),
      name: p("name"),
      args: p("args"),
    }),
  ),
  delEvents: stmt("delEvents", (db) => db.deleteFrom("events").where("block_number", ">", p("common"))),
  delBlocks: stmt("delBlocks", (db) => db.deleteFrom("blocks").where("number", ">", p("common"))),
  /** events after (block, logIndex), in order (keyset pages for the replay) */
  eventsAfter: stmt("eventsAfter", (db) =>
    db
      .selectFrom("events")
      .selectAll()
      .where(sql<boolean>`(block_number > ${p("block")} OR (block_number = ${p("block")} AND log_index > ${p("log")}))`)
      .orderBy("block_number")
      .orderBy("log_index")
      .limit(p("limit")),
  ),
};

/** A row of `events` as the event it stores. */
export function eventFromRow(r: Record<string, any>): StoredEvent {
  return {
    blockNumber: Number(r.block_number),
    logIndex: Number(r.log_index),
    txHash: r.tx_hash,
    blockTime: Number(r.block_time),
    address: r.address,
    contract: r.contract,
    kind: r.kind,
    name: r.name,
    args: JSON.parse(r.args),
  };
}

export interface LedgerOpenOptions extends OpenOptions {
  /** projections to apply (default: every area's) */
  handlers?: HandlerTable;
}

export class Ledger {
  /** address → kind for `via` of retirements (pool/market retiring on a user's behalf) */
  private kinds = new Map<string, string>();
  private handlers: HandlerTable;

  private constructor(
    readonly db: LedgerDb,
    o: LedgerOpenOptions,
  ) {
    this.handlers = o.handlers ?? HANDLERS;
  }

  /**
   * Opens (and, unless read-only, creates) a ledger: a SQLite file path, ":memory:", a `postgres://` URL or an
   * open database. Refuses a ledger written by another schema version.
   */
  static async open(target: string | LedgerDb, o: LedgerOpenOptions = {}): Promise<Ledger> {
    const db = typeof target === "string" ? openDatabase(target, o) : target;
    const l = new Ledger(db, o);
    try {
      if (!o.readonly) await db.script(schemaFor(db.backend));
      const v = await l.getMeta("schema_version");
      if (v === undefined && !o.readonly) await l.setMeta("schema_version", String(SCHEMA_VERSION));
      else if (v === undefined)
        throw new Error(`${db.target} is not a ledger (no schema_version): run the indexer first`);
      else if (Number(v) !== SCHEMA_VERSION)
        throw new Error(`ledger schema version ${v}, this indexer writes ${SCHEMA_VERSION}: use a new --db`);
      for (const r of await db.all(q.contracts)) l.kinds.set(r.address, r.kind);
    } catch (err) {
      await db.close();
      throw err;
    }
    return l;
  }

  get backend() {
    return this.db.backend;
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /** Raw SQL with `?` placeholders on either backend (rows as the driver returns them: integers are bigint). */
  query<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
    return this.db.query<T>(text, params);
  }

  async getMeta(key: string): Promise<string | undefined> {
    return (await this.db.get<{ value: string }>(q.getMeta, { key }))?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.db.run(q.setMeta, { key, value });
  }

  /** Records the static contracts (from the deployment records); refuses a ledger built for other addresses. */
  async setContracts(list: { address: string; name: string; kind: string }[]): Promise<void> {
    const existing = await this.db.all<{ address: string; name: string; kind: string }>(q.contracts);
    const wanted = [...list]
      .map((c) => ({ address: addr(c.address), name: c.name, kind: c.kind }))
      .sort((a, b) => (a.address < b.address ? -1 : 1));
    // only additions are allowed (a later deployment); a new contract's events are picked up from the next chunk on
    if (existing.some((e) => !wanted.some((w) => w.address === e.address))) {
      const changed = wanted.filter((w) => !existing.some((e) => e.address === w.address)).map((w) => w.name);
      throw new Error(`this ledger indexes other contract addresses; use a new --db (new: ${changed.join(", ")})`);
    }
    await this.db.transaction(async (x) => {
      for (const w of wanted) await x.run(q.insContract, w);
    });
    for (const w of wanted) this.kinds.set(w.address, w.kind);
  }

  /** Bonds (and any other run-time contracts) discovered so far. */
  async discovered(): Promise<{ address: string; kind: string; blockNumber: number }[]> {
    return (await this.db.all(q.discovered)).map((r) => ({
      address: r.address,
      kind: r.kind,
      blockNumber: Number(r.block_number),
    }));
  }

  async checkpoint(x: Executor = this.db): Promise<Checkpoint | undefined> {
    const r = await x.get(q.checkpoint);
    return r ? { blockNumber: Number(r.block_number), blockHash: r.block_hash } : undefined;
  }

  /** Stored headers at or below `block`, newest first (for the reorg walk-back). */
  async storedBlocks(atOrBelow: number, limit: number): Promise<BlockHeader[]> {
    return (await this.db.all(q.storedBlocks, { below: atOrBelow, limit })).map((r) => ({
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
  commitChunk(events: StoredEvent[], headers: BlockHeader[], to: Checkpoint): Promise<void> {
    return this.db.transaction((x) => x.drive(this.chunkWork(events, headers, to)));
  }

  private *chunkWork(events: StoredEvent[], headers: BlockHeader[], to: Checkpoint): Work<void> {
    const [cp] = yield new Op(q.checkpoint, {});
    if (cp && to.blockNumber <= Number(cp.block_number))
      throw new Error(`chunk ends at ${to.blockNumber}, ledger is at ${cp.block_number}`);
    for (const h of headers) yield new Op(q.insBlock, { ...h });
    for (const e of events) {
      yield new Op(q.insEvent, {
        blockNumber: e.blockNumber,
        logIndex: e.logIndex,
        txHash: e.txHash,
        blockTime: e.blockTime,
        address: addr(e.address),
        contract: e.contract,
        kind: e.kind,
        name: e.name,
        args: JSON.stringify(e.args),
      });
      yield* this.apply(e);
    }
    yield new Op(q.setCheckpoint, { number: to.blockNumber, hash: to.blockHash });
  }

  /**
   * Reorg: forgets every block above `common` and rebuilds the derived tables from the remaining events
   * (one transaction). `commonHash` undefined → the ledger goes back to empty (before the start block).
   */
  rollback(common: number, commonHash: string | undefined): Promise<void> {
    return this.db.transaction(async (x) => {
      await x.run(q.delEvents, { common });
      await x.run(q.delBlocks, { common });
      await this.replay(x);
      if (commonHash === undefined) await x.run(q.delCheckpoint);
      else await x.run(q.setCheckpoint, { number: common, hash: commonHash });
    });
  }

  /** Wipes every derived table and replays `events` in order (one transaction; the same rows as the live path). */
  rebuildDerived(): Promise<void> {
    return this.db.transaction((x) => this.replay(x));
  }

  private async replay(x: Executor): Promise<void> {
    for (const t of DERIVED_TABLES) await x.query(`DELETE FROM ${t}`);
    this.kinds = new Map();
    for (const r of await x.all(q.contracts)) this.kinds.set(r.address, r.kind);
    await x.drive(this.replayWork());
  }

  private *replayWork(): Work<void> {
    const PAGE = 2_000;
    let block = -1;
    let log = -1;
    for (;;) {
      const rows = yield new Op(q.eventsAfter, { block, log, limit: PAGE });
      for (const r of rows) yield* this.apply(eventFromRow(r));
      if (rows.length < PAGE) break;
      block = Number(rows[rows.length - 1].block_number);
      log = Number(rows[rows.length - 1].log_index);
    }
  }

  /** Applies one event to the derived tables (its area's handler). Unknown events stay in `events` only. */
  *apply(e: StoredEvent): Work<void> {
    const h = this.handlers[`${e.kind}.${e.name}`];
    if (!h) return;
    const w = h(new EventContext(e, this.kinds));
    if (w instanceof Op) yield w;
    else yield* w;
  }

  /** Every table's rows in primary-key order (for comparisons / exports). */
  async dump(tables?: string[]): Promise<Record<string, unknown[]>> {
    const names =
      tables ??
      (
        await this.query<{ name: string }>(
          this.backend === "postgres"
            ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name"
            : "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
        )
      ).map((r) => r.name);
    const out: Record<string, unknown[]> = {};
    for (const t of names) {
      const rows = (await this.query(`SELECT * FROM ${t}`)).map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v])),
      );
      // every column in order (the primary key leads every table): the same order on both backends
      const cols = rows.length ? Object.keys(rows[0]) : [];
      const cmp = (a: unknown, b: unknown) => {
        if (a === b) return 0;
        if (a === null || a === undefined) return -1;
        if (b === null || b === undefined) return 1;
        const x = String(a);
        const y = String(b);
        if (/^-?\d+$/.test(x) && /^-?\d+$/.test(y)) return BigInt(x) < BigInt(y) ? -1 : 1;
        return x < y ? -1 : 1;
      };
      rows.sort((a, b) => {
        for (const c of cols) {
          const d = cmp(a[c], b[c]);
          if (d) return d;
        }
        return 0;
      });
      out[t] = rows;
    }
    return out;
  }
}
