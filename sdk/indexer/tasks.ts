/**
 * Hardhat tasks of the indexer and the ledger queries. Heavy modules (ethers contracts, TypeChain,
 * better-sqlite3) are imported lazily inside the actions so `npx hardhat` stays fast.
 */
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

const DEFAULT_DB = "ledger.sqlite";

async function rpcFor(hre: HardhatRuntimeEnvironment, timeoutMs: number) {
  const { HttpRpc, Eip1193Rpc } = await import("./index");
  const url = (hre.network.config as { url?: string }).url;
  return url ? new HttpRpc(url, timeoutMs) : new Eip1193Rpc(hre.network.provider);
}

async function openLedger(db: string) {
  const fs = await import("fs");
  if (!fs.existsSync(db)) throw new Error(`no ledger at ${db}: run \`npx hardhat indexer --db ${db}\` first`);
  const { Ledger } = await import("./ledger");
  return new Ledger(db);
}

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x), 2);

task("indexer", "Indexes the suite's events into a SQLite ledger (resumable, reorg-safe)")
  .addOptionalParam("fromBlock", "first block (default: the earliest deployment block)", undefined, types.int)
  .addOptionalParam("toBlock", "stop at this block (default: head − confirmations)", undefined, types.int)
  .addOptionalParam("db", "SQLite file", DEFAULT_DB)
  .addOptionalParam(
    "confirmations",
    "only index blocks this deep (default: 0 on local networks, 12 elsewhere)",
    undefined,
    types.int,
  )
  .addOptionalParam(
    "chunk",
    "initial eth_getLogs block range (adapts: grows on sparse ranges, shrinks on dense ones)",
    10,
    types.int,
  )
  .addOptionalParam("maxChunk", "largest eth_getLogs block range", 100_000, types.int)
  .addOptionalParam("timeout", "RPC request timeout (ms)", 30_000, types.int)
  .addOptionalParam("pollInterval", "poll interval in --follow mode (ms)", 2000, types.int)
  .addFlag("follow", "keep following new blocks (Ctrl-C stops after the current chunk)")
  .addFlag("quiet", "no progress line")
  .setAction(async (args, hre) => {
    const { openIndexer, formatProgress } = await import("./index");
    const { readDeployments } = await import("../node");
    const local = ["hardhat", "localhost"].includes(hre.network.name);
    const rpc = await rpcFor(hre, args.timeout);
    const records = readDeployments(hre.network.name, hre.config.paths.deployments);
    let bondAbi;
    try {
      bondAbi = (await hre.artifacts.readArtifact("GreenBond")).abi;
    } catch {
      bondAbi = undefined;
    }
    const { indexer, ledger } = openIndexer({
      db: args.db,
      records,
      rpc,
      fromBlock: args.fromBlock,
      toBlock: args.toBlock,
      confirmations: args.confirmations ?? (local ? 0 : 12),
      follow: args.follow,
      pollIntervalMs: args.pollInterval,
      initialChunk: args.chunk,
      maxChunk: args.maxChunk,
      abis: bondAbi ? { bond: bondAbi } : {},
      onProgress: args.quiet ? undefined : (p) => process.stderr.write(formatProgress(p) + "\n"),
      log: (m) => process.stderr.write(`indexer: ${m}\n`),
    });
    const stop = () => indexer.stop();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      const s = await indexer.run();
      process.stderr.write(
        `indexer: done: blocks ${s.fromBlock}..${s.toBlock}, ${s.events} events in ${s.chunks} chunks, ${s.seconds.toFixed(1)} s` +
          `${s.reorgs ? `, ${s.reorgs} reorg rollbacks` : ""}${s.rangeErrors ? `, ${s.rangeErrors} range reductions` : ""} → ${args.db}\n`,
      );
    } finally {
      process.removeListener("SIGINT", stop);
      process.removeListener("SIGTERM", stop);
      ledger.close();
    }
  });

task("ledger:retirements", "Lists retirements from the ledger")
  .addOptionalParam("db", "SQLite file", DEFAULT_DB)
  .addOptionalParam("beneficiary", "beneficiary address")
  .addOptionalParam("project", "project id", undefined, types.int)
  .addFlag("json", "JSON output")
  .setAction(async (args) => {
    const { retirements } = await import("./queries");
    const ledger = await openLedger(args.db);
    try {
      const rows = retirements(ledger, { beneficiary: args.beneficiary, project: args.project });
      if (args.json) return console.log(json(rows));
      const { table } = await import("../../scripts/lib/format");
      console.log(
        table(
          rows.map((r) => ({
            certificate: r.certificate_id,
            batch: r.batch_id,
            project: r.project_id,
            vintage: r.vintage,
            tonnes: r.tonnes,
            beneficiary: r.beneficiary_name ? `${r.beneficiary_name} (${r.beneficiary.slice(0, 8)}…)` : r.beneficiary,
            reason: r.reason.length > 40 ? r.reason.slice(0, 39) + "…" : r.reason,
            via: r.via,
            block: r.block_number,
          })),
        ),
      );
      console.log(`${rows.length} retirements`);
    } finally {
      ledger.close();
    }
  });

task("ledger:project", "Issued, retired and outstanding credits of a project per vintage")
  .addPositionalParam("id", "project id", undefined, types.int)
  .addOptionalParam("db", "SQLite file", DEFAULT_DB)
  .addFlag("json", "JSON output")
  .setAction(async (args) => {
    const { projectSummary } = await import("./queries");
    const ledger = await openLedger(args.db);
    try {
      const s = projectSummary(ledger, args.id);
      if (!s) {
        console.error(`project ${args.id} is not in the ledger`);
        process.exitCode = 1;
        return;
      }
      if (args.json) return console.log(json(s));
      const { table } = await import("../../scripts/lib/format");
      const STATUS = ["Pending", "Active", "Suspended", "Closed"];
      console.log(
        `Project ${args.id}: ${s.project.name} (${s.project.standard} ${s.project.external_id}, ${s.project.country}) — ${STATUS[Number(s.project.status)]}`,
      );
      console.log(
        table(
          s.vintages.map((v) => ({
            vintage: v.vintage,
            batches: v.batches,
            issued_t: v.issued_t,
            retired_t: v.retired_t,
            outstanding_t: v.outstanding_t,
          })),
        ),
      );
    } finally {
      ledger.close();
    }
  });

task("ledger:supply", "Credit supply, pool tokens, open listings, escrow and bonds from the ledger")
  .addOptionalParam("db", "SQLite file", DEFAULT_DB)
  .addFlag("json", "JSON output")
  .setAction(async (args) => {
    const { supply } = await import("./queries");
    const { kgToTonnesString } = await import("../units");
    const ledger = await openLedger(args.db);
    try {
      const s = supply(ledger);
      if (args.json) return console.log(json(s));
      const { table } = await import("../../scripts/lib/format");
      console.log(`Ledger at block ${s.block}`);
      console.log(
        `Credits: ${s.credits.batches} batches, issued ${kgToTonnesString(s.credits.issued_kg)} t, retired ${kgToTonnesString(s.credits.retired_kg)} t, outstanding ${kgToTonnesString(s.credits.outstanding_kg)} t`,
      );
      console.log(
        table(
          s.byProject.map((p) => ({
            project: p.project_id,
            name: p.name,
            issued_t: kgToTonnesString(p.issued_kg),
            retired_t: kgToTonnesString(p.retired_kg),
            outstanding_t: kgToTonnesString(p.outstanding_kg),
          })),
        ),
      );
      for (const p of s.pools)
        console.log(`Pool ${p.name}: supply ${p.totalSupply} wei, backing ${kgToTonnesString(p.heldKg)} t`);
      console.log(`Open listings: ${s.listings.open} (${kgToTonnesString(s.listings.remaining_kg)} t)`);
      for (const e of s.escrow)
        console.log(`Escrow ${e.token}: ${e.deals} deals, funded ${e.funded}, withdrawn ${e.withdrawn}`);
      for (const b of s.bonds)
        console.log(
          `Bond ${b.address}: ${b.unitsOutstanding} units outstanding, rate ${b.couponRateBps ?? "?"} bps${b.defaulted ? ", DEFAULTED" : ""}`,
        );
    } finally {
      ledger.close();
    }
  });

task("ledger:verify", "Cross-checks the ledger against contract views; exits non-zero on any difference")
  .addOptionalParam("db", "SQLite file", DEFAULT_DB)
  .addFlag("json", "JSON output")
  .setAction(async (args, hre) => {
    const { verify } = await import("./queries");
    const ledger = await openLedger(args.db);
    try {
      const r = await verify(ledger, hre.ethers.provider);
      if (args.json) console.log(json(r));
      else {
        for (const d of r.differences) console.log(`DIFF ${d.check} [${d.key}]: ledger ${d.ledger} ≠ chain ${d.chain}`);
        console.log(`ledger:verify at block ${r.block}: ${r.checks} checks, ${r.differences.length} differences`);
      }
      if (r.differences.length) process.exitCode = 1;
    } finally {
      ledger.close();
    }
  });
