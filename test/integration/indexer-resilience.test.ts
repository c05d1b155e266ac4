/**
 * Exactly-once and reorg safety of the indexer on a live node: SIGKILL mid-run and resume, injected crashes
 * inside a chunk's transaction, snapshot/revert reorgs, and a provider that refuses large ranges / times out.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { spawn } from "child_process";
import Database from "better-sqlite3";
import { JsonRpcProvider } from "ethers";
import { startNode, hardhat, killGroup, ROOT, DEPLOYMENTS, type LiveNode } from "./helpers/sdk-node";
import { creditTraffic } from "./helpers/sdk-scenario";
import { HttpRpc, Ledger, openIndexer, verify, RpcError, type Rpc, type RpcCall } from "../../sdk/indexer";

/** Dump of every table, keyed by table name, rows in primary-key order. */
function dumpFile(db: string): Record<string, unknown[]> {
  const l = new Ledger(db);
  try {
    return l.dump();
  } finally {
    l.close();
  }
}

async function indexTo(db: string, url: string, toBlock: number, extra: Record<string, unknown> = {}) {
  const { indexer, ledger } = openIndexer({
    db,
    network: "localhost",
    deploymentsDir: DEPLOYMENTS,
    rpc: new HttpRpc(url),
    toBlock,
    ...extra,
  });
  try {
    return await indexer.run();
  } finally {
    ledger.close();
  }
}

/** An Rpc that refuses eth_getLogs over more than `maxRange` blocks and times out every `timeoutEvery`-th call. */
class FaultyRpc implements Rpc {
  calls = 0;
  refused = 0;
  timeouts = 0;
  constructor(
    readonly inner: Rpc,
    readonly maxRange: number,
    readonly timeoutEvery: number,
  ) {}
  private fault(method: string, params: any[]) {
    this.calls++;
    if (method === "eth_getLogs") {
      const f = params[0];
      if (parseInt(f.toBlock, 16) - parseInt(f.fromBlock, 16) + 1 > this.maxRange) {
        this.refused++;
        throw new RpcError("query returned more than 10000 results. Try with this block range [0x1, 0x2].", -32005);
      }
    }
    if (this.calls % this.timeoutEvery === 0) {
      this.timeouts++;
      throw new RpcError("request timeout after 30000 ms", -32099);
    }
    if (this.calls % (this.timeoutEvery + 2) === 0) throw new Error("socket hang up");
  }
  async send(method: string, params: unknown[]) {
    this.fault(method, params as any[]);
    return this.inner.send(method, params);
  }
  async batch(calls: RpcCall[]) {
    for (const c of calls) this.fault(c.method, c.params as any[]);
    return this.inner.batch(calls);
  }
}

describe("indexer exactly-once and reorg safety (live node)", function () {
  this.timeout(600_000);
  let node: LiveNode;
  let provider: JsonRpcProvider;
  let tmp: string;
  let head: number;

  before(async function () {
    node = await startNode();
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "treelion-resilience-"));
    fs.rmSync(path.join(DEPLOYMENTS, "localhost"), { recursive: true, force: true });
    const d = await hardhat(["deploy", "--network", "localhost"], { LOCALHOST_RPC_URL: node.url });
    expect(d.code, d.stdout + d.stderr).to.equal(0);
    await creditTraffic(provider, { batches: 4, rounds: 160, tag: "resilience" });
    head = parseInt(await provider.send("eth_blockNumber", []), 16);
  });

  after(async function () {
    provider?.destroy();
    await node?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("a run killed with SIGKILL mid-way and restarted yields the same database as an uninterrupted run", async function () {
    const reference = path.join(tmp, "reference.sqlite");
    await indexTo(reference, node.url, head);
    const db = path.join(tmp, "killed.sqlite");
    const env = {
      ...process.env,
      LOCALHOST_RPC_URL: node.url,
      FORCE_COLOR: "0",
      TREELION_DEPLOYMENTS_DIR: DEPLOYMENTS,
    };
    const args = [
      "hardhat",
      "indexer",
      "--network",
      "localhost",
      "--db",
      db,
      "--to-block",
      String(head),
      "--chunk",
      "2",
      "--max-chunk",
      "2",
    ];
    let kills = 0;
    for (let attempt = 0; attempt < 2; attempt++) {
      const child = spawn("npx", args, { cwd: ROOT, env, detached: true, stdio: "ignore" });
      const started = fs.existsSync(db) ? (readCheckpoint(db) ?? 0) : 0;
      // wait until it committed a few chunks past where it started, then kill it hard
      for (let i = 0; i < 1200; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const cp = fs.existsSync(db) ? readCheckpoint(db) : undefined;
        if (cp !== undefined && cp > started + 6 && cp < head) break;
        if (child.exitCode !== null) break;
      }
      const cpBefore = readCheckpoint(db);
      if (child.exitCode === null) {
        await killGroup(child, "SIGKILL");
        kills++;
      }
      expect(cpBefore, "the run made progress before the kill").to.be.greaterThan(0);
    }
    expect(kills).to.be.greaterThan(0);
    expect(readCheckpoint(db)).to.be.lessThan(head);
    const resumed = await hardhat(args.slice(1), { LOCALHOST_RPC_URL: node.url });
    expect(resumed.code, resumed.stderr).to.equal(0);
    expect(readCheckpoint(db)).to.equal(head);
    expect(dumpFile(db)).to.deep.equal(dumpFile(reference));
  });

  it("a crash inside a chunk's transaction leaves no partial rows; the resumed ledger equals the reference", async function () {
    const reference = dumpFile(path.join(tmp, "reference.sqlite"));
    const db = path.join(tmp, "crash.sqlite");
    for (const crashAt of [1, 17, 95, 260]) {
      const { indexer, ledger } = openIndexer({
        db,
        network: "localhost",
        deploymentsDir: DEPLOYMENTS,
        rpc: new HttpRpc(node.url),
        toBlock: head,
        initialChunk: 7,
      });
      let applied = 0;
      const original = ledger.apply.bind(ledger);
      ledger.apply = (e) => {
        if (++applied === crashAt) throw new Error(`simulated crash at event ${crashAt}`);
        original(e);
      };
      const cpBefore = ledger.checkpoint()?.blockNumber ?? -1;
      let crashed = false;
      try {
        await indexer.run();
      } catch (err) {
        crashed = /simulated crash/.test((err as Error).message);
      }
      ledger.close();
      expect(crashed, `crash at ${crashAt}`).to.equal(true);
      // nothing of the failed chunk is visible: events end exactly at the checkpoint
      const raw = new Database(db, { readonly: true });
      const cp = raw.prepare("SELECT block_number FROM checkpoint").get() as { block_number: number } | undefined;
      const maxEv = raw.prepare("SELECT MAX(block_number) AS b FROM events").get() as { b: number | null };
      raw.close();
      expect(cp?.block_number ?? -1).to.be.at.least(cpBefore);
      if (maxEv.b !== null) expect(maxEv.b).to.be.at.most(cp!.block_number);
    }
    await indexTo(db, node.url, head, { initialChunk: 5 });
    expect(dumpFile(db)).to.deep.equal(reference);
  });

  it("eth_getLogs refusals and timeouts shrink the range, and the ledger is still exact", async function () {
    const db = path.join(tmp, "faulty.sqlite");
    const rpc = new FaultyRpc(new HttpRpc(node.url), 12, 9);
    const messages: string[] = [];
    const { indexer, ledger } = openIndexer({
      db,
      network: "localhost",
      deploymentsDir: DEPLOYMENTS,
      rpc,
      toBlock: head,
      initialChunk: 100,
      maxRetries: 20,
      retryDelayMs: 5,
      log: (m) => messages.push(m),
    });
    const stats = await indexer.run();
    ledger.close();
    expect(rpc.refused).to.be.greaterThan(0);
    expect(rpc.timeouts).to.be.greaterThan(0);
    expect(stats.rangeErrors).to.be.greaterThan(0);
    expect(messages.some((m) => /chunk → \d+ blocks/.test(m))).to.equal(true);
    expect(dumpFile(db)).to.deep.equal(dumpFile(path.join(tmp, "reference.sqlite")));
  });

  it("a reorg (evm_snapshot / evm_revert + new blocks) rolls the ledger back to the common block", async function () {
    const db = path.join(tmp, "reorg.sqlite");
    await indexTo(db, node.url, head);
    const snap = await provider.send("evm_snapshot", []);
    await creditTraffic(provider, { batches: 2, rounds: 8, tag: "fork-a" }); // blocks that will vanish
    const forkAHead = parseInt(await provider.send("eth_blockNumber", []), 16);
    const { indexer, ledger } = openIndexer({
      db,
      network: "localhost",
      deploymentsDir: DEPLOYMENTS,
      rpc: new HttpRpc(node.url),
      confirmations: 0,
    });
    await indexer.run();
    expect(ledger.checkpoint()!.blockNumber).to.equal(forkAHead);
    const forkAProjects = Number((ledger.db.prepare("SELECT COUNT(*) AS n FROM projects").get() as any).n);

    expect(await provider.send("evm_revert", [snap])).to.equal(true);
    await provider.send("evm_mine", []); // a different block at head + 1
    await creditTraffic(provider, { batches: 1, rounds: 3, tag: "fork-b" }); // a shorter, different fork
    const logs: string[] = [];
    const again = openIndexer({
      db,
      network: "localhost",
      deploymentsDir: DEPLOYMENTS,
      rpc: new HttpRpc(node.url),
      confirmations: 0,
      log: (m) => logs.push(m),
    });
    ledger.close();
    const stats = await again.indexer.run();
    expect(stats.reorgs).to.be.greaterThan(0);
    expect(logs.some((m) => /reorg below block \d+: rolling back to block \d+/.test(m))).to.equal(true);
    const newHead = parseInt(await provider.send("eth_blockNumber", []), 16);
    expect(again.ledger.checkpoint()!.blockNumber).to.equal(newHead);
    expect(Number((again.ledger.db.prepare("SELECT COUNT(*) AS n FROM projects").get() as any).n)).to.equal(
      forkAProjects,
    ); // fork-a's project replaced by fork-b's
    const names = (again.ledger.db.prepare("SELECT name FROM projects").all() as { name: string }[]).map((r) => r.name);
    expect(names.some((n) => n.includes("fork-a"))).to.equal(false);
    expect(names.some((n) => n.includes("fork-b"))).to.equal(true);
    const v = await verify(again.ledger, provider);
    expect(v.differences).to.deep.equal([]);
    again.ledger.close();

    // the rolled-back ledger equals a ledger built from scratch on the new chain
    const fresh = path.join(tmp, "reorg-fresh.sqlite");
    await indexTo(fresh, node.url, newHead);
    expect(dumpFile(db)).to.deep.equal(dumpFile(fresh));
  });
});

function readCheckpoint(db: string): number | undefined {
  try {
    const raw = new Database(db, { readonly: true, fileMustExist: true });
    try {
      const r = raw.prepare("SELECT block_number FROM checkpoint WHERE id = 1").get() as
        { block_number: number } | undefined;
      return r?.block_number;
    } finally {
      raw.close();
    }
  } catch {
    return undefined;
  }
}
