/**
 * Hardhat tasks of the indexer, the ledger queries and the ledger's GraphQL API. Heavy modules (ethers
 * contracts, the SQL drivers, the GraphQL server) are imported lazily inside the actions so `npx hardhat`
 * stays fast. `--db` is a SQLite file (default ledger.sqlite) or a `postgres://` URL.
 */
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

const DEFAULT_DB = "ledger.sqlite";
const DB_HELP = "SQLite file or postgres:// URL";
const LOCAL = ["hardhat", "localhost"];

async function rpcFor(hre: HardhatRuntimeEnvironment, timeoutMs: number) {
  const { HttpRpc, Eip1193Rpc } = await import("../sdk/indexer");
  const url = (hre.network.config as { url?: string }).url;
  return url ? new HttpRpc(url, timeoutMs) : new Eip1193Rpc(hre.network.provider);
}

/** The network flag as a user would type it again (`--network X`; nothing for the default). */
function networkFlag(hre: HardhatRuntimeEnvironment): string {
  return hre.network.name === "hardhat" ? "--network localhost" : `--network ${hre.network.name}`;
}

/** Opens an existing ledger; a missing SQLite file names the command that builds it. */
async function openLedger(hre: HardhatRuntimeEnvironment, db: string) {
  const { Ledger, backendOf } = await import("../sdk/indexer");
  if (backendOf(db) === "sqlite") {
    const fs = await import("fs");
    if (!fs.existsSync(db))
      throw new Error(`no ledger at ${db}: run \`npx hardhat indexer ${networkFlag(hre)} --db ${db}\` first`);
  }
  return Ledger.open(db, { readonly: true });
}

/** Refuses a malformed address (before any query). */
async function checkAddress(flag: string, v: string | undefined): Promise<void> {
  if (v === undefined) return;
  const { isAddress } = await import("ethers");
  if (!isAddress(v)) throw new Error(`${flag} ${v} is not an address (0x followed by 40 hex digits)`);
}

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x), 2);

task(
  "indexer",
  "Indexes the suite's events into a ledger (SQLite file or PostgreSQL; resumable, reorg-safe)\n" +
    "  Example: npx hardhat indexer --network localhost --db stories-ledger.sqlite",
)
  .addOptionalParam("fromBlock", "first block (default: the earliest deployment block)", undefined, types.int)
  .addOptionalParam("toBlock", "stop at this block (default: head − confirmations)", undefined, types.int)
  .addOptionalParam("db", DB_HELP, DEFAULT_DB)
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
    const { openIndexer, formatProgress, displayTarget } = await import("../sdk/indexer");
    const { readDeployments } = await import("../sdk/node");
    const local = LOCAL.includes(hre.network.name);
    const rpc = await rpcFor(hre, args.timeout);
    const records = readDeployments(hre.network.name, hre.config.paths.deployments);
    let bondAbi;
    try {
      bondAbi = (await hre.artifacts.readArtifact("GreenBond")).abi;
    } catch {
      bondAbi = undefined;
    }
    const { indexer, ledger } = await openIndexer({
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
          `${s.reorgs ? `, ${s.reorgs} reorg rollbacks` : ""}${s.rangeErrors ? `, ${s.rangeErrors} range reductions` : ""} → ${displayTarget(args.db)}\n`,
      );
    } finally {
      process.removeListener("SIGINT", stop);
      process.removeListener("SIGTERM", stop);
      await ledger.close();
    }
  });

task(
  "ledger:retirements",
  "Lists retirements from the ledger (of a beneficiary, of a project)\n" +
    "  Example: npx hardhat ledger:retirements --network localhost --db stories-ledger.sqlite --beneficiary 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
)
  .addOptionalParam("db", DB_HELP, DEFAULT_DB)
  .addOptionalParam("beneficiary", "beneficiary address")
  .addOptionalParam("project", "project id", undefined, types.int)
  .addFlag("json", "JSON output")
  .setAction(async (args, hre) => {
    await checkAddress("--beneficiary", args.beneficiary);
    const { retirements } = await import("../sdk/indexer");
    const ledger = await openLedger(hre, args.db);
    try {
      const rows = await retirements(ledger, { beneficiary: args.beneficiary, project: args.project });
      if (args.json) return console.log(json(rows));
      const { table } = await import("../scripts/lib/format");
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
      await ledger.close();
    }
  });

task(
  "ledger:project",
  "Issued, retired, cancelled (reversals) and outstanding credits of a project per vintage\n" +
    "  Example: npx hardhat ledger:project --network localhost --db stories-ledger.sqlite 1",
)
  .addPositionalParam("id", "project id", undefined, types.int)
  .addOptionalParam("db", DB_HELP, DEFAULT_DB)
  .addFlag("json", "JSON output")
  .setAction(async (args, hre) => {
    const { projectSummary } = await import("../sdk/indexer");
    const ledger = await openLedger(hre, args.db);
    try {
      const s = await projectSummary(ledger, args.id);
      if (!s) {
        console.error(`project ${args.id} is not in the ledger`);
        process.exitCode = 1;
        return;
      }
      if (args.json) return console.log(json(s));
      const { table } = await import("../scripts/lib/format");
      const { ENUMS } = await import("../sdk/generated");
      const STATUS = ENUMS.ProjectStatus;
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
            cancelled_t: v.cancelled_t,
            outstanding_t: v.outstanding_t,
          })),
        ),
      );
    } finally {
      await ledger.close();
    }
  });

task(
  "ledger:supply",
  "Credit supply, pool tokens, open listings, escrow and bonds from the ledger\n" +
    "  Example: npx hardhat ledger:supply --network localhost --db stories-ledger.sqlite",
)
  .addOptionalParam("db", DB_HELP, DEFAULT_DB)
  .addFlag("json", "JSON output")
  .setAction(async (args, hre) => {
    const { supply } = await import("../sdk/indexer");
    const { table, tonnes, formatUnits } = await import("../scripts/lib/format");
    const ledger = await openLedger(hre, args.db);
    try {
      const s = await supply(ledger);
      if (args.json) return console.log(json(s));
      // payment tokens' symbol and decimals from the chain when it is the ledger's chain; raw units otherwise
      const tokens = await tokenInfo(hre, await ledger.getMeta("chain_id"));
      const money = async (token: string, v: bigint) => {
        const t = await tokens(token);
        return t ? `${formatUnits(v, t.decimals, 2)} ${t.symbol}` : `${v} (smallest unit of ${token})`;
      };
      console.log(`Ledger at block ${s.block}`);
      console.log(
        `Credits: ${s.credits.batches} batches, issued ${tonnes(s.credits.issued_kg)}, retired ${tonnes(s.credits.retired_kg)}, cancelled ${tonnes(s.credits.cancelled_kg)}, outstanding ${tonnes(s.credits.outstanding_kg)}`,
      );
      console.log(
        table(
          s.byProject.map((p) => ({
            project: p.project_id,
            name: p.name,
            issued_t: formatUnits(p.issued_kg, 3, 3),
            retired_t: formatUnits(p.retired_kg, 3, 3),
            outstanding_t: formatUnits(p.outstanding_kg, 3, 3),
          })),
        ),
      );
      // pool tokens and bond units have 18 decimals; 1 pool token = 1 t of credits held
      for (const p of s.pools)
        console.log(
          `Pool ${p.name} (${p.address}): ${formatUnits(p.totalSupply, 18, 3)} pool tokens in circulation, backed by ${tonnes(p.heldKg)} of credits held`,
        );
      console.log(`Open listings: ${s.listings.open}, ${tonnes(s.listings.remaining_kg)} for sale`);
      for (const e of s.escrow)
        console.log(
          `Escrow deals paid in ${(await tokens(e.token))?.symbol ?? e.token}: ${e.deals} deals, funded ${await money(e.token, e.funded)}, withdrawn ${await money(e.token, e.withdrawn)}, held ${await money(e.token, e.funded - e.withdrawn)}`,
        );
      for (const b of s.bonds)
        console.log(
          `Bond ${b.address}: ${formatUnits(b.unitsOutstanding, 18)} units outstanding, coupon rate ${b.couponRateBps === null ? "unknown" : `${(b.couponRateBps / 100).toFixed(2)} % (${b.couponRateBps} bps)`}${b.defaulted ? ", DEFAULTED" : ""}`,
        );
    } finally {
      await ledger.close();
    }
  });

/** ERC-20 symbol/decimals lookups on the selected network, only when it is the ledger's chain. */
async function tokenInfo(hre: HardhatRuntimeEnvironment, ledgerChain: string | undefined) {
  const cache = new Map<string, Promise<{ symbol: string; decimals: number } | undefined>>();
  let sameChain: Promise<boolean> | undefined;
  const { Contract } = await import("ethers");
  return (token: string) => {
    sameChain ??= hre.network.provider
      .request({ method: "eth_chainId" })
      .then((id) => String(parseInt(String(id), 16)) === ledgerChain)
      .catch(() => false);
    let r = cache.get(token);
    if (!r) {
      r = sameChain.then(async (ok) => {
        if (!ok) return undefined;
        try {
          const c = new Contract(
            token,
            ["function symbol() view returns (string)", "function decimals() view returns (uint8)"],
            hre.ethers.provider,
          );
          return { symbol: String(await c.symbol()), decimals: Number(await c.decimals()) };
        } catch {
          return undefined;
        }
      });
      cache.set(token, r);
    }
    return r;
  };
}

task(
  "ledger:verify",
  "Cross-checks the ledger against contract views at its block (projects, batches, balances, per-batch conservation Σ balances == issued − retired − cancelled, labels, certificates, pools, bonds, escrow, listings, the buffer and its reversals, timelock operations) and prints what it checked; exits non-zero on any difference\n" +
    "  Example: npx hardhat ledger:verify --network localhost --db stories-ledger.sqlite",
)
  .addOptionalParam("db", DB_HELP, DEFAULT_DB)
  .addFlag("json", "JSON output")
  .setAction(async (args, hre) => {
    if (hre.network.name === "hardhat")
      throw new Error(
        "ledger:verify needs the chain the ledger was built from: the in-process hardhat network starts empty on every run and has no history. " +
          "Start a node (`npx hardhat node`) and use --network localhost, or name your network.",
      );
    const { verify } = await import("../sdk/indexer");
    const ledger = await openLedger(hre, args.db);
    try {
      const r = await verify(ledger, hre.ethers.provider);
      if (args.json) console.log(json(r));
      else {
        for (const d of r.differences) console.log(`DIFF ${d.check} [${d.key}]: ledger ${d.ledger} ≠ chain ${d.chain}`);
        console.log(
          "checked (ledger vs contract views at the ledger's block, or two ledger tables against each other):",
        );
        for (const c of r.checked) console.log(`  ${c.check}: ${c.count.toLocaleString("en-US")}`);
        console.log(`ledger:verify at block ${r.block}: ${r.checks} checks, ${r.differences.length} differences`);
      }
      if (r.differences.length) process.exitCode = 1;
    } finally {
      await ledger.close();
    }
  });

task(
  "ledger:serve",
  "Serves the ledger read-only over HTTP: GraphQL at /graphql, /health, /metrics (until Ctrl-C)\n" +
    "  Example: npx hardhat ledger:serve --network localhost --db stories-ledger.sqlite --port 0",
)
  .addOptionalParam("db", DB_HELP, DEFAULT_DB)
  .addOptionalParam("host", "interface to bind (another than 127.0.0.1 exposes the API to the network)", "127.0.0.1")
  .addOptionalParam("port", "TCP port (0 = a free port, printed)", 4000, types.int)
  .addOptionalParam(
    "corsOrigin",
    'browser origins allowed to call the API, comma-separated (e.g. "https://app.example.org"); "*" = any, "none" = no CORS headers',
    "*",
  )
  .addOptionalParam("maxDepth", "deepest GraphQL selection allowed", 10, types.int)
  .addOptionalParam("maxCost", "largest GraphQL query cost allowed (fields × page sizes)", 50_000, types.int)
  .addFlag("noCache", "no response cache: every GraphQL request is computed from the ledger (a bench's uncached run)")
  .setAction(async (args, hre) => {
    const { createLedgerServer, displayTarget } = await import("../sdk/indexer");
    const ledger = await openLedger(hre, args.db);
    const cors =
      args.corsOrigin === "*"
        ? "*"
        : args.corsOrigin === "none"
          ? false
          : String(args.corsOrigin)
              .split(",")
              .map((x: string) => x.trim())
              .filter(Boolean);
    const url = (hre.network.config as { url?: string }).url;
    const api = await createLedgerServer({
      db: ledger,
      host: args.host,
      port: args.port,
      cors,
      rpcUrl: url,
      limits: { maxDepth: args.maxDepth, maxCost: args.maxCost },
      responseCache: args.noCache ? false : undefined,
    });
    const s = await api.listen().catch(async (err) => {
      await ledger.close();
      throw err;
    });
    console.log(`ledger API on ${displayTarget(args.db)}: ${s.url}/graphql · ${s.url}/health · ${s.url}/metrics`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    await s.close();
    await ledger.close();
  });
