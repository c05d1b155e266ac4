/**
 * One measured indexing run in its own process (so peak RSS is the indexer's alone):
 *   node -r ts-node/register/transpile-only bench/indexer-worker.ts <indexer|naive> <url> <db> <toBlock> <deploymentsDir>
 * Prints one JSON line: { mode, events, seconds, eventsPerSecond, peakRssMB }.
 */
import { Contract, JsonRpcProvider } from "ethers";
import path from "path";

async function main() {
  const [mode, url, db, toBlockArg, dir] = process.argv.slice(2);
  const toBlock = Number(toBlockArg);
  const deploymentsDir = dir ?? path.resolve(__dirname, "../deployments");
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  const { openIndexer, HttpRpc } = await import("../sdk/indexer");
  const { readDeployments } = await import("../sdk/node");
  const t0 = process.hrtime.bigint(); // after module loading: throughput of the indexing itself
  let events = 0;
  if (mode === "indexer") {
    const inner = new HttpRpc(url, 120_000);
    const timing: Record<string, { calls: number; ms: number }> = {};
    const track = async <T>(m: string, p: Promise<T>) => {
      const t = Date.now();
      try {
        return await p;
      } finally {
        timing[m] ??= { calls: 0, ms: 0 };
        timing[m].calls++;
        timing[m].ms += Date.now() - t;
      }
    };
    const rpc = {
      send: (m: string, p: unknown[]) => track(m, inner.send(m, p)),
      batch: (c: { method: string; params: unknown[] }[]) => track(`batch:${c[0]?.method}`, inner.batch(c)),
    };
    const { indexer, ledger } = await openIndexer({
      db,
      network: "localhost",
      deploymentsDir,
      rpc,
      toBlock,
      log: (m) => process.stderr.write(m + "\n"),
    });
    const s = await indexer.run();
    events = s.events;
    await ledger.close();
    process.stderr.write(`rpc time: ${JSON.stringify(timing)}; chunks ${s.chunks}; range errors ${s.rangeErrors}\n`);
  } else {
    // naive baseline: queryFilter("*") over the whole range per contract, decoding only (no storage)
    const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true });
    const records = readDeployments("localhost", deploymentsDir);
    for (const r of Object.values(records)) {
      if (!r.kind || r.kind === "token" || r.kind === "certificate") continue;
      const c = new Contract(r.address, r.abi, provider);
      const logs = await c.queryFilter("*", 0, toBlock);
      events += logs.filter((l) => "fragment" in l).length;
    }
    provider.destroy();
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  console.log(JSON.stringify({ mode, events, seconds, eventsPerSecond: events / seconds, peakRssMB: peak / 2 ** 20 }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
