/**
 * One PostgreSQL ledger, one writer and two readers, as in production: `hardhat indexer --follow` writes while
 * two `hardhat ledger:serve` processes answer GraphQL from the same database and the chain keeps moving. Every
 * answer is data, each API's checkpoint only moves forward, and at the end both APIs agree with each other,
 * with the ledger and (ledger:verify) with the chain.
 */
import fs from "fs";
import path from "path";
import { expect } from "chai";
import { spawn, type ChildProcess } from "child_process";
import { JsonRpcProvider } from "ethers";
import { startNode, hardhat, killGroup, ROOT, DEPLOYMENTS, type LiveNode } from "./helpers/sdk-node";
import { client, creditTraffic } from "./helpers/sdk-scenario";
import { startLedgerServe } from "./helpers/ledger-backends";
import { freshDatabase, stopPgServer } from "./helpers/pg";
import { Ledger, verify } from "../../sdk/indexer";

const QUERY = `{ checkpoint { blockNumber blockHash } retirements(first: 1000) { totalCount } supply { batches issuedKg retiredKg } }`;

async function ask(url: string): Promise<any> {
  const r = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: QUERY }),
  });
  const body = (await r.json()) as any;
  expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
  expect(r.status).to.equal(200);
  return body.data;
}

describe("two API processes on one PostgreSQL ledger while the indexer writes (live node)", function () {
  this.timeout(600_000);
  let node: LiveNode;
  let provider: JsonRpcProvider;
  const children: ChildProcess[] = [];

  before(async function () {
    // every test file of this process shares DEPLOYMENTS: a fresh node needs fresh records
    fs.rmSync(path.join(DEPLOYMENTS, "localhost"), { recursive: true, force: true });
    node = await startNode();
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    const d = await hardhat(["deploy", "--network", "localhost"], { LOCALHOST_RPC_URL: node.url });
    expect(d.code, d.stdout + d.stderr).to.equal(0);
  });

  after(async function () {
    for (const c of children) await killGroup(c);
    provider?.destroy();
    await node?.stop();
    await stopPgServer();
  });

  it("serves consistent, forward-moving answers from both processes and ends equal to the chain", async function () {
    const db = await freshDatabase("two_apis");
    const env = {
      ...process.env,
      FORCE_COLOR: "0",
      LOCALHOST_RPC_URL: node.url,
      TREELION_DEPLOYMENTS_DIR: DEPLOYMENTS,
    };
    const indexer = spawn(
      "npx",
      ["hardhat", "indexer", "--network", "localhost", "--db", db, "--follow", "--poll-interval", "200", "--quiet"],
      { cwd: ROOT, env, detached: true, stdio: "ignore" },
    );
    children.push(indexer);
    // the readers need the schema: wait for the indexer's first checkpoint
    for (let i = 0; i < 600; i++) {
      const l = await Ledger.open(db, { readonly: true }).catch(() => undefined);
      const cp = await l?.checkpoint();
      await l?.close();
      if (cp) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // the second reader runs without a response cache (--no-cache): both must answer the same
    const apis = await Promise.all([startLedgerServe(db, env), startLedgerServe(db, env, ["--no-cache"])]);
    children.push(...apis.map((a) => a.child));

    const last = [-1, -1];
    let answers = 0;
    let sawProgress = false;
    for (let round = 0; round < 4; round++) {
      const traffic = creditTraffic(provider, { batches: 2, rounds: 6, tag: `two-apis-${round}` });
      let done = false;
      void traffic.finally(() => (done = true));
      while (!done) {
        const r = await Promise.all(apis.map((a) => ask(a.url)));
        r.forEach((x, i) => {
          expect(x.checkpoint.blockNumber, `API ${i} went back`).to.be.at.least(last[i]);
          if (last[i] >= 0 && x.checkpoint.blockNumber > last[i]) sawProgress = true;
          last[i] = x.checkpoint.blockNumber;
          // one answer is one snapshot: the count and the totals belong to the same checkpoint or later
          expect(BigInt(x.supply.retiredKg) <= BigInt(x.supply.issuedKg)).to.equal(true);
        });
        answers += 2;
      }
      await traffic;
    }
    expect(sawProgress, "the APIs saw the indexer's new chunks").to.equal(true);
    expect(answers).to.be.greaterThan(8);

    // the indexer catches up with the head; both APIs then answer the same, and the ledger equals the chain
    const head = parseInt(await provider.send("eth_blockNumber", []), 16);
    let final: any[] = [];
    for (let i = 0; i < 300; i++) {
      final = await Promise.all(apis.map((a) => ask(a.url)));
      if (final.every((x) => x.checkpoint.blockNumber === head)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(final.map((x) => x.checkpoint.blockNumber)).to.deep.equal([head, head]);
    expect(final[0]).to.deep.equal(final[1]);
    const metrics = await Promise.all(apis.map(async (a) => (await fetch(`${a.url}/metrics`)).text()));
    expect(metrics[0]).to.match(/treelion_api_response_cache_total\{result="hit"\} \d+/);
    expect(metrics[1]).not.to.match(/treelion_api_response_cache/);
    const reader = await Ledger.open(db, { readonly: true });
    try {
      const v = await verify(reader, provider);
      expect(v.differences).to.deep.equal([]);
      const [n] = await reader.query<{ n: bigint }>("SELECT COUNT(*) AS n FROM retirements");
      expect(final[0].retirements.totalCount).to.equal(Number(n.n));
      const t = client(provider, null);
      const logs = await t.credit.queryFilter(t.credit.filters.Retired(), 0, head);
      expect(logs.length).to.be.greaterThan(0);
      expect(final[0].retirements.totalCount).to.equal(logs.length);
    } finally {
      await reader.close();
    }
  });
});
