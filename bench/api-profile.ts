/**
 * Profiles one API process on the API bench's ledger and queries (bench/api-ledger.ts):
 * `TS_NODE_TRANSPILE_ONLY=1 npx ts-node bench/api-profile.ts` fills a PostgreSQL ledger (PROFILE_EVENTS,
 * default 102,000), starts one `hardhat ledger:serve --no-cache` under `node --cpu-prof` (profiles in
 * PROFILE_DIR, default a temporary directory, printed), loads it with autocannon (10 connections, PROFILE_SECONDS
 * per query, default 10) and prints per query the requests/s, p50/p99 and the API process's CPU per request
 * (from its /metrics). PROFILE_CACHE=1: with the response cache; PROFILE_QUERY=<name>: that query only;
 * PROFILE_DB=<postgres://…>: a ledger filled before (printed by a run without it; needs TREELION_TEST_PG_URL).
 */
import fs from "fs";
import os from "os";
import path from "path";
import { spawn } from "child_process";
import { freePort, killGroup } from "../test/integration/helpers/sdk-node";
import { freshDatabase, stopPgServer } from "../test/integration/helpers/pg";
import { Ledger } from "../sdk/indexer";
import { fillApiLedger, QUERIES, loadQuery, processCpuSeconds } from "./api-ledger";

async function main() {
  const events = Number(process.env.PROFILE_EVENTS ?? 102_000);
  const seconds = Number(process.env.PROFILE_SECONDS ?? 10);
  const dir = process.env.PROFILE_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "treelion-api-profile-"));
  let db = process.env.PROFILE_DB;
  if (!db) {
    db = await freshDatabase("api_profile");
    const writer = await Ledger.open(db);
    console.error(`API ledger: ${await fillApiLedger(writer, events)} events in ${db}`);
    await writer.close();
  }
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      "--cpu-prof",
      `--cpu-prof-dir=${dir}`,
      require.resolve("hardhat/internal/cli/bootstrap.js"),
      "ledger:serve",
      "--db",
      db,
      "--port",
      String(port),
      ...(process.env.PROFILE_CACHE ? [] : ["--no-cache"]),
    ],
    { detached: true, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "1" } },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => String(d).includes("ledger API on") && resolve());
    child.once("exit", (code) => reject(new Error(`ledger:serve exited ${code}`)));
  });
  const api = { url: `http://127.0.0.1:${port}`, child };
  try {
    for (const [name, query] of Object.entries(QUERIES)) {
      if (process.env.PROFILE_QUERY && !name.startsWith(process.env.PROFILE_QUERY)) continue;
      const cpu0 = await processCpuSeconds(api.url);
      const r = await loadQuery(api.url, query, 10, seconds);
      const cpu1 = await processCpuSeconds(api.url);
      console.log(
        `${name}: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ` +
          `CPU ${(((cpu1 - cpu0) * 1000) / r.requests.total).toFixed(3)} ms/request (${r.non2xx + r.errors} failed)`,
      );
    }
  } finally {
    await killGroup(api.child);
    await stopPgServer();
  }
  console.log(`profiles: ${dir}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
