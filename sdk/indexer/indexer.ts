/**
 * The Treelion event indexer: eth_getLogs in adaptive block ranges → decode → ledger (SQLite or PostgreSQL), one transaction
 * per chunk together with the checkpoint (exactly-once), `confirmations`-deep blocks only, rollback to the
 * last common block when a parent hash changed (reorg).
 */
import { AbiCoder, type InterfaceAbi } from "ethers";
import { SuiteEventDecoder, type RawLog } from "../events";
export { jsonSafe } from "../events";
import type { ContractKind } from "../abi";
import { Ledger, type BlockHeader, type StoredEvent } from "./ledger";
import { isRangeTooLarge, type Rpc } from "./rpc";

export interface IndexedContract {
  address: string;
  name: string;
  kind: ContractKind;
}

export interface Progress {
  fromBlock: number;
  currentBlock: number;
  targetBlock: number;
  blocksDone: number;
  blocksTotal: number;
  events: number;
  eventsPerSecond: number;
  etaSeconds: number | undefined;
  chunkSize: number;
}

export interface IndexerOptions {
  rpc: Rpc;
  ledger: Ledger;
  contracts: IndexedContract[];
  /** real ABIs per kind (deployment records / artifacts); the issue signatures are the fallback */
  abis?: Partial<Record<ContractKind, InterfaceAbi>>;
  /** first block to index (only used on an empty ledger) */
  fromBlock: number;
  /** stop at this block (default: head − confirmations, moving in follow mode) */
  toBlock?: number;
  confirmations?: number;
  follow?: boolean;
  pollIntervalMs?: number;
  initialChunk?: number;
  maxChunk?: number;
  /** successes in a row before the chunk doubles again */
  growAfter?: number;
  /** attempts for other (transient) errors before giving up */
  maxRetries?: number;
  /** shrink the block range when a chunk returns more events than this (memory bound); default 4,000 */
  targetLogsPerChunk?: number;
  /** base delay of the exponential backoff on transient errors (ms) */
  retryDelayMs?: number;
  onProgress?: (p: Progress) => void;
  /** called on reorg rollbacks / chunk-size changes */
  log?: (msg: string) => void;
  /** test hook: called after each committed chunk */
  afterChunk?: (from: number, to: number, events: number) => void | Promise<void>;
}

export interface RunStats {
  fromBlock: number;
  toBlock: number;
  chunks: number;
  events: number;
  reorgs: number;
  rangeErrors: number;
  seconds: number;
}

class ChainMoved extends Error {}

const hex = (n: number) => "0x" + n.toString(16);
const num = (h: string) => parseInt(h, 16);

export class Indexer {
  readonly decoder: SuiteEventDecoder;
  private chunk: number;
  private streak = 0;
  private stopped = false;
  private addresses = new Set<string>();
  readonly stats: RunStats = { fromBlock: 0, toBlock: 0, chunks: 0, events: 0, reorgs: 0, rangeErrors: 0, seconds: 0 };

  constructor(readonly o: IndexerOptions) {
    this.decoder = new SuiteEventDecoder(o.abis ?? {});
    this.topicList = this.decoder.topics([
      "registry",
      "credit",
      "pool",
      "market",
      "escrow",
      "compliance",
      "bondFactory",
      "bond",
      "buffer",
      "timelock",
    ]);
    this.decoder.interfaces.get("bondFactory")!.forEachEvent((e) => {
      if (e.name === "BondCreated") this.bondCreatedTopics.add(e.topicHash);
    });
    this.chunk = o.initialChunk ?? 10;
    for (const c of o.contracts) {
      this.decoder.register(c.address, c.kind, c.name);
      if (c.kind !== "certificate" && c.kind !== "token") this.addresses.add(c.address.toLowerCase());
    }
  }

  /** Asks a running `run()` to stop after the current chunk. */
  stop(): void {
    this.stopped = true;
  }

  private async loadDiscovered(): Promise<void> {
    for (const d of await this.o.ledger.discovered()) {
      this.decoder.register(d.address, d.kind as ContractKind, `GreenBond@${d.address}`);
      this.addresses.add(d.address);
    }
  }

  private readonly topicList: string[];
  private readonly bondCreatedTopics = new Set<string>();

  private async target(): Promise<number> {
    const head = num(await this.o.rpc.send("eth_blockNumber", []));
    const safe = head - (this.o.confirmations ?? 0);
    return this.o.toBlock !== undefined ? Math.min(this.o.toBlock, safe) : safe;
  }

  private async headers(numbers: number[]): Promise<Map<number, BlockHeader>> {
    const out = new Map<number, BlockHeader>();
    const uniq = [...new Set(numbers)];
    for (let i = 0; i < uniq.length; i += 100) {
      const part = uniq.slice(i, i + 100);
      const res = await this.o.rpc.batch(
        part.map((n) => ({ method: "eth_getBlockByNumber", params: [hex(n), false] })),
      );
      res.forEach((b, j) => {
        if (!b) throw new ChainMoved(`block ${part[j]} not available`);
        out.set(part[j], {
          number: num(b.number),
          hash: b.hash,
          parentHash: b.parentHash,
          timestamp: num(b.timestamp),
        });
      });
    }
    return out;
  }

  private async getLogs(addresses: string[], from: number, to: number): Promise<RawLog[]> {
    return this.o.rpc.send("eth_getLogs", [
      { address: addresses, fromBlock: hex(from), toBlock: hex(to), topics: [this.topicList] },
    ]);
  }

  /** Fetches and decodes [from, to]; checks it hangs off `parentHash`; discovers bonds created inside. */
  private async fetchChunk(from: number, to: number, parentHash: string | undefined) {
    const ends = await this.headers(from === to ? [from] : [from, to]);
    const first = ends.get(from)!;
    if (parentHash !== undefined && first.parentHash !== parentHash) return { reorg: true as const };
    const last = ends.get(to)!;

    const logs: RawLog[] = await this.getLogs([...this.addresses], from, to);
    // bonds created by the factory inside this range: fetch their logs from their creation block on
    const known = new Set(this.addresses);
    let scan = logs.slice();
    for (;;) {
      const fresh = new Map<string, number>();
      for (const l of scan) {
        if (!this.bondCreatedTopics.has(l.topics[0])) continue;
        const ev = this.decoder.decodeJson(l);
        const bond = ev?.name === "BondCreated" ? String((ev.args as any).bond).toLowerCase() : undefined;
        if (bond && !known.has(bond)) {
          fresh.set(bond, Math.min(fresh.get(bond) ?? Infinity, num(String(l.blockNumber))));
          this.decoder.register(bond, "bond", `GreenBond@${bond}`);
        }
      }
      if (fresh.size === 0) break;
      fresh.forEach((_, a) => known.add(a));
      scan = await this.getLogs([...fresh.keys()], Math.min(...fresh.values()), to);
      logs.push(...scan);
    }
    logs.sort(
      (a, b) =>
        num(String(a.blockNumber)) - num(String(b.blockNumber)) || num(String(a.logIndex)) - num(String(b.logIndex)),
    );

    // headers of every block with logs (timestamps) + `to` again: all must still be on one chain
    const blockNums = [...new Set(logs.map((l) => num(String(l.blockNumber))))];
    const hdrs = await this.headers([...blockNums, to]);
    if (hdrs.get(to)!.hash !== last.hash) throw new ChainMoved(`block ${to} changed during the fetch`);
    const events: StoredEvent[] = [];
    const seen = new Set<string>();
    for (const l of logs) {
      const bn = num(String(l.blockNumber));
      const h = hdrs.get(bn)!;
      if (l.blockHash !== h.hash) throw new ChainMoved(`log of block ${bn} from another fork`);
      const li = num(String(l.logIndex));
      const key = `${bn}:${li}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const ev = this.decoder.decodeJson(l);
      if (!ev) continue;
      events.push({
        blockNumber: bn,
        logIndex: li,
        txHash: String(l.transactionHash),
        blockTime: h.timestamp,
        address: l.address.toLowerCase(),
        contract: ev.contract,
        kind: ev.kind,
        name: ev.name,
        args: ev.args,
      });
    }
    const headers = blockNums.map((n) => hdrs.get(n)!);
    return { reorg: false as const, events, headers, last, fresh: [...known].filter((a) => !this.addresses.has(a)) };
  }

  private async onChain(n: number, hash: string): Promise<boolean> {
    const b = await this.o.rpc.send("eth_getBlockByNumber", [hex(n), false]);
    return !!b && b.hash === hash;
  }

  /** Finds the newest stored block still on the chain and rolls the ledger back to it. */
  private async handleReorg(): Promise<void> {
    this.stats.reorgs++;
    const cp = await this.o.ledger.checkpoint();
    let below = cp ? cp.blockNumber : this.o.fromBlock - 1;
    let common: BlockHeader | undefined;
    while (!common) {
      const stored = await this.o.ledger.storedBlocks(below, 50);
      if (stored.length === 0) break;
      const chain = await this.o.rpc.batch(
        stored.map((b) => ({ method: "eth_getBlockByNumber", params: [hex(b.number), false] })),
      );
      common = stored.find((b, i) => chain[i]?.hash === b.hash);
      below = stored[stored.length - 1].number - 1;
    }
    this.o.log?.(
      `reorg below block ${cp?.blockNumber}: rolling back to ${common ? `block ${common.number}` : "the start"}`,
    );
    await this.o.ledger.rollback(common ? common.number : this.o.fromBlock - 1, common?.hash);
    this.addresses = new Set(
      this.o.contracts
        .filter((c) => c.kind !== "certificate" && c.kind !== "token")
        .map((c) => c.address.toLowerCase()),
    );
    await this.loadDiscovered();
  }

  /**
   * ERC-20 name and symbol of pools and bonds (not in any event) into the ledger's meta (`token:<address>`),
   * once per token, for the API. A token that does not answer is skipped (retried on the next run).
   */
  private async recordTokenInfo(addresses: string[]): Promise<void> {
    const todo: string[] = [];
    for (const a of addresses) if ((await this.o.ledger.getMeta(`token:${a}`)) === undefined) todo.push(a);
    if (!todo.length) return;
    const coder = AbiCoder.defaultAbiCoder();
    const call = (to: string, data: string) => ({ method: "eth_call", params: [{ to, data }, "latest"] });
    try {
      const res = await this.o.rpc.batch(todo.flatMap((a) => [call(a, "0x06fdde03"), call(a, "0x95d89b41")]));
      for (let i = 0; i < todo.length; i++) {
        const [name] = coder.decode(["string"], res[2 * i]);
        const [symbol] = coder.decode(["string"], res[2 * i + 1]);
        await this.o.ledger.setMeta(`token:${todo[i]}`, JSON.stringify({ name, symbol }));
      }
    } catch (err) {
      this.o.log?.(`token name/symbol lookup failed (${(err as Error).message}); retried on the next run`);
    }
  }

  /** Indexes up to the target (and keeps following new blocks with `follow`). */
  async run(): Promise<RunStats> {
    const t0 = Date.now();
    const o = this.o;
    await o.ledger.setContracts(o.contracts);
    await this.loadDiscovered();
    await this.recordTokenInfo([
      ...o.contracts.filter((c) => c.kind === "pool").map((c) => c.address.toLowerCase()),
      ...(await o.ledger.discovered()).map((d) => d.address),
    ]);
    const chainId = String(parseInt(await o.rpc.send("eth_chainId", []), 16));
    const stored = await o.ledger.getMeta("chain_id");
    if (stored === undefined) await o.ledger.setMeta("chain_id", chainId);
    else if (stored !== chainId)
      throw new Error(`this ledger belongs to chain ${stored}, the node is chain ${chainId}: use another --db`);
    const start = (await o.ledger.checkpoint())?.blockNumber ?? o.fromBlock - 1;
    this.stats.fromBlock = start + 1;
    let target = await this.target();
    let lastReport = 0;
    let eventsAtStart = 0;
    let retries = 0;
    let cpNow = start;
    /** what the last progress line showed: an idle poll in --follow mode prints only when this changed */
    let lastShown: string | undefined;
    const report = (force = false) => {
      if (!o.onProgress) return;
      const now = Date.now();
      if (!force && now - lastReport < 1000) return;
      const shown = `${cpNow}/${target}`;
      if (force && shown === lastShown) return;
      lastReport = now;
      lastShown = shown;
      const cp = cpNow;
      const secs = Math.max((now - t0) / 1000, 1e-3);
      const done = Math.max(0, cp - start);
      const total = Math.max(0, target - start);
      const rate = done / secs;
      o.onProgress({
        fromBlock: start + 1,
        currentBlock: cp,
        targetBlock: target,
        blocksDone: done,
        blocksTotal: total,
        events: this.stats.events - eventsAtStart,
        eventsPerSecond: (this.stats.events - eventsAtStart) / secs,
        etaSeconds: rate > 0 ? (total - done) / rate : undefined,
        chunkSize: this.chunk,
      });
    };
    while (!this.stopped) {
      const cp = await o.ledger.checkpoint();
      cpNow = cp?.blockNumber ?? o.fromBlock - 1;
      const next = cp ? cp.blockNumber + 1 : o.fromBlock;
      if (next > target) {
        // nothing new: a reorg can still have replaced (or removed) the checkpoint block
        let moved: boolean;
        try {
          moved = !!cp && !(await this.onChain(cp.blockNumber, cp.blockHash));
        } catch (err) {
          // a transient RPC error while idle: retried like any other
          if (++retries > (o.maxRetries ?? 8)) throw err;
          o.log?.(`RPC error while checking block ${cp?.blockNumber}: ${(err as Error).message}; retry ${retries}`);
          await sleep(Math.min((o.retryDelayMs ?? 200) * 2 ** retries, 5_000));
          continue;
        }
        if (moved) {
          await this.handleReorg();
          target = await this.target();
          continue;
        }
        report(true);
        if (!o.follow) break;
        await sleep(o.pollIntervalMs ?? 2_000);
        if (this.stopped) break;
        target = await this.target();
        continue;
      }
      const to = Math.min(next + this.chunk - 1, target);
      let r: Awaited<ReturnType<Indexer["fetchChunk"]>>;
      try {
        r = await this.fetchChunk(next, to, cp?.blockHash);
      } catch (err) {
        this.streak = 0;
        if (err instanceof ChainMoved) {
          o.log?.(`chain moved while fetching ${next}-${to}: ${err.message}; retrying`);
          if (++retries > (o.maxRetries ?? 8)) throw err;
          await sleep(o.retryDelayMs ?? 200);
          continue;
        }
        if (isRangeTooLarge(err) && to > next) {
          this.stats.rangeErrors++;
          this.chunk = Math.max(1, Math.floor((to - next + 1) / 2));
          o.log?.(`provider refused ${next}-${to} (${(err as Error).message}); chunk → ${this.chunk} blocks`);
          continue;
        }
        if (++retries > (o.maxRetries ?? 8)) throw err;
        o.log?.(`RPC error on ${next}-${to}: ${(err as Error).message}; retry ${retries}`);
        await sleep(Math.min((o.retryDelayMs ?? 200) * 2 ** retries, 5_000));
        continue;
      }
      if (r.reorg) {
        await this.handleReorg();
        target = await this.target();
        continue;
      }
      // a failure here (disk, bug) is not retried: the transaction rolled back, the checkpoint is unchanged
      await o.ledger.commitChunk(r.events, r.headers, { blockNumber: to, blockHash: r.last.hash });
      cpNow = to;
      for (const a of r.fresh) this.addresses.add(a);
      if (r.fresh.length) await this.recordTokenInfo(r.fresh);
      this.stats.chunks++;
      this.stats.events += r.events.length;
      retries = 0;
      const target_ = o.targetLogsPerChunk ?? 4_000;
      if (r.events.length > target_ && this.chunk > 1) {
        // dense range: smaller chunks keep memory flat (the whole getLogs answer is held at once)
        this.chunk = Math.max(1, Math.floor(((to - next + 1) * target_) / r.events.length));
        this.streak = 0;
      } else if (
        r.events.length < target_ / 2 &&
        ++this.streak >= (o.growAfter ?? 2) &&
        this.chunk < (o.maxChunk ?? 100_000)
      ) {
        this.chunk = Math.min(this.chunk * 2, o.maxChunk ?? 100_000);
        this.streak = 0;
      }
      await o.afterChunk?.(next, to, r.events.length);
      report();
    }
    this.stats.toBlock = (await o.ledger.checkpoint())?.blockNumber ?? start;
    this.stats.seconds = (Date.now() - t0) / 1000;
    return this.stats;
  }
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

/** "blocks 1,200/5,000 (24.0%) · 3,412 events · 2,150 ev/s · ETA 12s" */
export function formatProgress(p: Progress): string {
  const pct = p.blocksTotal ? ((100 * p.blocksDone) / p.blocksTotal).toFixed(1) : "100.0";
  const eta = p.etaSeconds === undefined ? "?" : p.etaSeconds < 1 ? "0s" : `${Math.round(p.etaSeconds)}s`;
  return `indexer: blocks ${p.blocksDone.toLocaleString("en-US")}/${p.blocksTotal.toLocaleString("en-US")} (${pct}%) · block ${p.currentBlock}/${p.targetBlock} · ${p.events.toLocaleString("en-US")} events · ${Math.round(p.eventsPerSecond).toLocaleString("en-US")} ev/s · ETA ${eta} · chunk ${p.chunkSize}`;
}
