/**
 * What every projection module shares: the event context (named values of the event's position, its contract
 * and its arguments), the handler-table type and the small value helpers.
 */
import { Op, p, type Stmt, type Work } from "../db";

export type { Work } from "../db";

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

export const ZERO = "0x0000000000000000000000000000000000000000";

/** Lower-cased address (the ledger stores addresses lower-case so SQL comparisons are simple). */
export const addr = (a: unknown) => String(a).toLowerCase();
export const big = (v: unknown) => BigInt(v as string);
export const str = (v: unknown) => String(v);

/** bytes2 "0x4b45" → "KE" */
export function bytes2ToText(hex: string): string {
  const h = hex.replace(/^0x/, "");
  let s = "";
  for (let i = 0; i < h.length; i += 2) {
    const c = parseInt(h.slice(i, i + 2), 16);
    if (c) s += String.fromCharCode(c);
  }
  return s;
}

/** The columns every event row has, as named parameters: block_number, log_index, tx_hash, timestamp. */
export const AT = {
  block_number: p("blockNumber"),
  log_index: p("logIndex"),
  tx_hash: p("txHash"),
  timestamp: p("timestamp"),
};

/**
 * One event being applied: its handler yields statements that run inside the chunk's transaction with the
 * event's named values (`blockNumber`, `logIndex`, `txHash`, `timestamp`, `self` = the emitting contract) under
 * the handler's `args`.
 */
export class EventContext {
  readonly a: Record<string, any>;
  readonly self: string;
  private readonly base: Record<string, unknown>;
  constructor(
    readonly e: StoredEvent,
    /** address → kind of every known contract (the `via` of retirements) */
    readonly kinds: Map<string, string>,
  ) {
    this.a = e.args;
    this.self = addr(e.address);
    this.base = {
      blockNumber: e.blockNumber,
      logIndex: e.logIndex,
      txHash: e.txHash,
      timestamp: e.blockTime,
      self: this.self,
    };
  }
  /** the statement with these values (yield it) */
  run(s: Stmt, args: Record<string, unknown> = {}): Op {
    return new Op(s, args, this.base);
  }
  /** its first row (`const r = yield* c.get(…)`) */
  *get<T = Record<string, any>>(s: Stmt, args: Record<string, unknown> = {}): Work<T | undefined> {
    const rows = yield new Op(s, args, this.base);
    return rows[0] as T | undefined;
  }
}

/** A handler yields its statements (one statement: it may return it). */
export type Handler = (c: EventContext) => Op | Work<void>;
/** `"<kind>.<EventName>"` → handler. */
export type HandlerTable = Record<string, Handler>;
