/**
 * Exactly-once and reorg safety of the indexer on a live node: SIGKILL mid-run and resume, injected crashes
 * inside a chunk's transaction, snapshot/revert reorgs, and a provider that refuses large ranges / times out.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { spawn } from "child_process";
import { JsonRpcProvider } from "ethers";
import { startNode, hardhat, killGroup, ROOT, DEPLOYMENTS, type LiveNode } from "./helpers/sdk-node";
import { creditTraffic } from "./helpers/sdk-scenario";
import { HttpRpc, openIndexer, verify, RpcError, type Rpc, type RpcCall } from "../../sdk/indexer";
import { BACKENDS, dumpLedger, newLedgerTarget, readCheckpoint } from "./helpers/ledger-backends";
import { stopPgServer } from "./helpers/pg";

async function indexTo(db: string, url: string, toBlock: number, extra: Record<string, unknown> = {}) {
  const { indexer, ledger } = await openIndexer({
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
    await ledger.close();
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

  after(() => stopPgServer());

  for (const backend of BACKENDS)
    describe(`on ${backend}`, function () {
      let reference: string;
      const target = (name: string) => newLedgerTarget(backend, tmp, name);
      before(async function () {
        head = parseInt(await provider.send("eth_blockNumber", []), 16);
        reference = await target("reference");
        await indexTo(reference, node.url, head);
      });

      it("a run killed with SIGKILL mid-way and restarted yields the same database as an uninterrupted run", async function () {
        const db = await target("killed");
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
          const started = (await readCheckpoint(db)) ?? 0;
          // wait until it committed a few chunks past where it started, then kill it hard
          for (let i = 0; i < 1200; i++) {
            await new Promise((r) => setTimeout(r, 50));
            const cp = await readCheckpoint(db);
            if (cp !== undefined && cp > started + 6 && cp < head) break;
            if (child.exitCode !== null) break;
          }
          const cpBefore = await readCheckpoint(db);
          if (child.exitCode === null) {
            await killGroup(child, "SIGKILL");
            kills++;
          }
          expect(cpBefore, "the run made progress before the kill").to.be.greaterThan(0);
        }
        expect(kills).to.be.greaterThan(0);
        expect(await readCheckpoint(db)).to.be.lessThan(head);
        const resumed = await hardhat(args.slice(1), { LOCALHOST_RPC_URL: node.url });
        expect(resumed.code, resumed.stderr).to.equal(0);
        expect(await readCheckpoint(db)).to.equal(head);
        expect(await dumpLedger(db)).to.deep.equal(await dumpLedger(reference));
      });

      it("a crash inside a chunk's transaction leaves no partial rows; the resumed ledger equals the reference", async function () {
        const expected = await dumpLedger(reference);
        const db = await target("crash");
        for (const crashAt of [1, 17, 95, 260]) {
          const { indexer, ledger } = await openIndexer({
            db,
            network: "localhost",
            deploymentsDir: DEPLOYMENTS,
            rpc: new HttpRpc(node.url),
            toBlock: head,
            initialChunk: 7,
          });
          let applied = 0;
          const original = ledger.apply.bind(ledger);
          ledger.apply = function* (e) {
            if (++applied === crashAt) throw new Error(`simulated crash at event ${crashAt}`);
            yield* original(e);
          };
          const cpBefore = (await ledger.checkpoint())?.blockNumber ?? -1;
          let crashed = false;
          try {
            await indexer.run();
          } catch (err) {
            crashed = /simulated crash/.test((err as Error).message);
          }
          expect(crashed, `crash at ${crashAt}`).to.equal(true);
          // nothing of the failed chunk is visible: events end exactly at the checkpoint
          const cp = await ledger.checkpoint();
          const [maxEv] = await ledger.query<{ b: bigint | null }>("SELECT MAX(block_number) AS b FROM events");
          await ledger.close();
          expect(cp?.blockNumber ?? -1).to.be.at.least(cpBefore);
          if (maxEv.b !== null) expect(Number(maxEv.b)).to.be.at.most(cp!.blockNumber);
        }
        await indexTo(db, node.url, head, { initialChunk: 5 });
        expect(await dumpLedger(db)).to.deep.equal(expected);
      });

      it("eth_getLogs refusals and timeouts shrink the range, and the ledger is still exact", async function () {
        const db = await target("faulty");
        const rpc = new FaultyRpc(new HttpRpc(node.url), 12, 9);
        const messages: string[] = [];
        const { indexer, ledger } = await openIndexer({
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
        await ledger.close();
        expect(rpc.refused).to.be.greaterThan(0);
        expect(rpc.timeouts).to.be.greaterThan(0);
        expect(stats.rangeErrors).to.be.greaterThan(0);
        expect(messages.some((m) => /chunk → \d+ blocks/.test(m))).to.equal(true);
        expect(await dumpLedger(db)).to.deep.equal(await dumpLedger(reference));
      });

      it("a reorg (evm_snapshot / evm_revert + new blocks) rolls the ledger back to the common block", async function () {
        const db = await target("reorg");
        await indexTo(db, node.url, head);
        const snap = await provider.send("evm_snapshot", []);
        await creditTraffic(provider, { batches: 2, rounds: 8, tag: `fork-a-${backend}` }); // blocks that will vanish
        const forkAHead = parseInt(await provider.send("eth_blockNumber", []), 16);
        const { indexer, ledger } = await openIndexer({
          db,
          network: "localhost",
          deploymentsDir: DEPLOYMENTS,
          rpc: new HttpRpc(node.url),
          confirmations: 0,
        });
        await indexer.run();
        expect((await ledger.checkpoint())!.blockNumber).to.equal(forkAHead);
        const projectCount = async (l: typeof ledger) =>
          Number((await l.query<{ n: bigint }>("SELECT COUNT(*) AS n FROM projects"))[0].n);
        const forkAProjects = await projectCount(ledger);
        await ledger.close();

        expect(await provider.send("evm_revert", [snap])).to.equal(true);
        await provider.send("evm_mine", []); // a different block at head + 1
        await creditTraffic(provider, { batches: 1, rounds: 3, tag: `fork-b-${backend}` }); // a shorter, different fork
        const logs: string[] = [];
        const again = await openIndexer({
          db,
          network: "localhost",
          deploymentsDir: DEPLOYMENTS,
          rpc: new HttpRpc(node.url),
          confirmations: 0,
          log: (m) => logs.push(m),
        });
        const stats = await again.indexer.run();
        expect(stats.reorgs).to.be.greaterThan(0);
        expect(logs.some((m) => /reorg below block \d+: rolling back to block \d+/.test(m))).to.equal(true);
        const newHead = parseInt(await provider.send("eth_blockNumber", []), 16);
        expect((await again.ledger.checkpoint())!.blockNumber).to.equal(newHead);
        expect(await projectCount(again.ledger)).to.equal(forkAProjects); // fork-a's project replaced by fork-b's
        const names = (await again.ledger.query<{ name: string }>("SELECT name FROM projects")).map((r) => r.name);
        expect(names.some((n) => n.includes(`fork-a-${backend}`))).to.equal(false);
        expect(names.some((n) => n.includes(`fork-b-${backend}`))).to.equal(true);
        const v = await verify(again.ledger, provider);
        expect(v.differences).to.deep.equal([]);
        await again.ledger.close();

        // the rolled-back ledger equals a ledger built from scratch on the new chain
        const fresh = await target("reorg-fresh");
        await indexTo(fresh, node.url, newHead);
        expect(await dumpLedger(db)).to.deep.equal(await dumpLedger(fresh));
      });
    });
});
