/**
 * The Treelion demo: the whole green-finance story, act by act, on the embedded Hardhat network
 * (default) or on a running node (`npm run demo -- --network localhost`).
 * Prints readable tables per act and writes demo-report.json (every tx hash, gas used and event).
 */
import fs from "fs";
import path from "path";
import hre from "hardhat";
import { CAST, DemoContext, type Act, type CastName } from "./demo/context";
import { isLocalNetwork } from "../config/networks";
import { suiteDeployments } from "../config/deploy-utils";

async function loadActs(): Promise<Act[]> {
  const dir = path.join(__dirname, "demo", "acts");
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^\d+-.*\.ts$/.test(f))
    .sort();
  const acts: Act[] = [];
  for (const f of files) acts.push((await import(path.join(dir, f))).default as Act);
  return acts;
}

export async function runDemo(options: { quiet?: boolean; reportPath?: string } = {}): Promise<DemoContext> {
  const started = Date.now();
  if (!isLocalNetwork(hre.network.name)) {
    throw new Error(
      `The demo mints test tokens and uses local accounts: run it on hardhat or localhost, not ${hre.network.name}.`,
    );
  }
  // Deploy (or reuse) the full suite with the real deploy scripts.
  if (hre.network.name === "hardhat") await hre.deployments.fixture();
  else await hre.deployments.run(undefined, { resetMemory: false, writeDeploymentsToFiles: true });

  const signers = await hre.ethers.getSigners();
  const cast = Object.fromEntries(CAST.map(([key], i) => [key, signers[i]])) as Record<
    CastName,
    (typeof signers)[number]
  >;
  const all = await suiteDeployments(hre);
  const sources = Object.entries(all).map(([name, d]) => ({ name, address: d.address, abi: d.abi as any[] }));
  const ctx = new DemoContext(hre, cast, sources, options.quiet);
  ctx.state.addresses = Object.fromEntries(sources.map((s) => [s.name, s.address]));

  const acts = await loadActs();
  ctx.print(`Treelion demo on "${hre.network.name}" — ${acts.length} acts\n`);
  for (let i = 0; i < acts.length; i++) {
    const act = acts[i];
    const t0 = Date.now();
    ctx.current = { title: act.title, durationMs: 0, transactions: [], notes: {} };
    ctx.print(`━━━ [${i + 1}/${acts.length}] ${act.title} ━━━`);
    await act.run(ctx);
    ctx.current.durationMs = Date.now() - t0;
    ctx.acts.push(ctx.current);
    ctx.print(
      `  ✓ act ${i + 1}/${acts.length} done: ${ctx.current.transactions.length} transactions in ${ctx.current.durationMs} ms\n`,
    );
  }

  const report = {
    network: hre.network.name,
    chainId: Number((await hre.ethers.provider.getNetwork()).chainId),
    generatedAt: new Date().toISOString(),
    durationMs: Date.now() - started,
    addresses: ctx.state.addresses,
    acts: ctx.acts,
  };
  const out =
    options.reportPath ?? process.env.DEMO_REPORT_PATH ?? path.join(hre.config.paths.root, "demo-report.json");
  fs.writeFileSync(out, JSON.stringify(report, null, 2) + "\n");
  const txCount = ctx.acts.reduce((n, a) => n + a.transactions.length, 0);
  ctx.print(
    `Demo finished in ${((Date.now() - started) / 1000).toFixed(1)} s: ${txCount} transactions; report written to ${path.relative(process.cwd(), out)}`,
  );
  return ctx;
}

if (require.main === module) {
  runDemo().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
