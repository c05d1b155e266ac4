/**
 * The ledger CLI says what is true (#16): human units and right labels in ledger:supply, a malformed address
 * refused, the missing ledger named with the command that builds it, ledger:verify on the in-process network
 * explained, and --follow printing progress only when something changed.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import { Indexer, Ledger, type Progress, type Rpc, type RpcCall } from "../../../sdk/indexer";
import { ADDR, buildFixture } from "./fixture";

async function output(fn: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
  try {
    await fn();
  } finally {
    console.log = log;
  }
  return lines.join("\n");
}

async function refusal(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected a refusal");
}

describe("ledger CLI output", function () {
  this.timeout(60_000);
  let tmp: string;
  let db: string;
  before(async function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "treelion-ledger-cli-"));
    db = path.join(tmp, "ledger.sqlite");
    const l = await Ledger.open(db);
    await buildFixture(l, { retirements: 6 });
    await l.close();
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("ledger:supply prints tonnes, pool tokens and token amounts with their labels", async function () {
    const out = await output(() => hre.run("ledger:supply", { db }));
    // 6 retirements: 3 × 1.5 t and 3 × 0.5 t
    expect(out).to.include(
      "Credits: 2 batches, issued 150.000 t, retired 6.000 t, cancelled 0.000 t, outstanding 144.000 t",
    );
    expect(out).to.match(
      /Pool CarbonPool_NBS \(0x[0-9a-f]{40}\): 10\.000 pool tokens in circulation, backed by 10\.000 t of credits held/,
    );
    expect(out).to.include("Open listings: 1, 3.000 t for sale");
    // no token contract on this network: the raw amount says what unit it is in
    expect(out).to.match(/Escrow deals paid in 0x[0-9a-f]{40}: 1 deals, funded 1000000 \(smallest unit of 0x/);
    expect(out).to.match(/Bond 0x[0-9a-f]{40}: 3 units outstanding, coupon rate 5\.00 % \(500 bps\)/);
    expect(out).not.to.match(/supply \d+ wei/);
  });

  it("ledger:retirements --beneficiary 0xBAD refuses the malformed address", async function () {
    const msg = await refusal(() => hre.run("ledger:retirements", { db, beneficiary: "0xBAD" }));
    expect(msg).to.equal("--beneficiary 0xBAD is not an address (0x followed by 40 hex digits)");
    const ok = await output(() => hre.run("ledger:retirements", { db, beneficiary: ADDR.alice.toLowerCase() }));
    expect(ok).to.include("3 retirements");
  });

  it("a missing ledger names the command that builds it, with --network", async function () {
    const none = path.join(tmp, "none.sqlite");
    for (const t of ["ledger:supply", "ledger:retirements", "ledger:project"]) {
      const msg = await refusal(() => hre.run(t, t === "ledger:project" ? { db: none, id: 1 } : { db: none }));
      expect(msg).to.equal(`no ledger at ${none}: run \`npx hardhat indexer --network localhost --db ${none}\` first`);
    }
  });

  it("ledger:verify on the in-process hardhat network explains that it has no history", async function () {
    const msg = await refusal(() => hre.run("ledger:verify", { db }));
    expect(msg).to.match(/in-process hardhat network starts empty on every run and has no history/);
    expect(msg).to.match(/--network localhost/);
  });

  it("--follow prints a progress line only when the checkpoint or the head moved", async function () {
    let head = 5;
    let polls = 0;
    const block = (n: number) => ({
      number: "0x" + n.toString(16),
      hash: "0x" + n.toString(16).padStart(64, "0"),
      parentHash: "0x" + (n - 1).toString(16).padStart(64, "0"),
      timestamp: "0x10",
    });
    const rpc: Rpc = {
      async send(method: string, params: unknown[]) {
        if (method === "eth_chainId") return "0x7a69";
        if (method === "eth_blockNumber") {
          polls++;
          return "0x" + head.toString(16);
        }
        if (method === "eth_getBlockByNumber") return block(parseInt(String(params[0]), 16));
        if (method === "eth_getLogs") return [];
        throw new Error(`unexpected ${method}`);
      },
      async batch(calls: RpcCall[]) {
        return Promise.all(calls.map((c) => this.send(c.method, c.params)));
      },
    };
    const ledger = await Ledger.open(":memory:");
    const lines: Progress[] = [];
    const indexer = new Indexer({
      rpc,
      ledger,
      contracts: [],
      fromBlock: 1,
      follow: true,
      pollIntervalMs: 5,
      onProgress: (p) => lines.push(p),
    });
    const run = indexer.run();
    while (polls < 12) await new Promise((r) => setTimeout(r, 5));
    const idle = lines.length;
    head = 8; // new blocks: one more line once they are indexed
    while (polls < 30) await new Promise((r) => setTimeout(r, 5));
    indexer.stop();
    await run;
    await ledger.close();
    expect(idle, "one line when caught up, none for the idle polls").to.equal(1);
    expect(lines.length).to.equal(2);
    expect(lines.map((p) => p.currentBlock)).to.deep.equal([5, 8]);
  });
});
