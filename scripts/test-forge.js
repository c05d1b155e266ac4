#!/usr/bin/env node
/**
 * `npm run test:forge`: the Foundry invariant and fuzz suite (test/foundry/).
 *
 *   npm run test:forge                         CI profile: every invariant 256 runs × depth 64, fuzz tests 1,024 runs
 *   FOUNDRY_PROFILE=deep npm run test:forge    5,000 runs × depth 64, fuzz tests 20,000 runs
 *   FORGE_SEED=0x… npm run test:forge          replays a run's random sequences (the seed is printed)
 *   npm run test:forge -- --match-contract PoolInvariants   any further arguments go to `forge test`
 *
 * Every run draws a new seed (printed first) unless FORGE_SEED is set. After forge finishes, this script reads forge's
 * per-function call/revert table of every invariant campaign and fails if a handler function reverted in more than
 * half of its calls (a handler that mostly reverts explores nothing). A failing run prints the failing tests, the
 * counterexample forge shrank (above, in forge's output) and the commands that replay it, and exits 1.
 *
 * forge runs as the platform package's binary (`@foundry-rs/forge-<os>-<arch>`), not through the npm wrapper
 * `@foundry-rs/forge/bin.mjs`: the wrapper does not pass forge's exit code on, so a failing run exited 0 through it.
 * Whatever the exit code, a run whose summary counts a failed test, names a failing test or has no summary fails.
 */
"use strict";
const { spawn } = require("child_process");
const crypto = require("crypto");
const path = require("path");

const HELP = `Usage: npm run test:forge [-- <forge test arguments>]

Environment:
  FOUNDRY_PROFILE=deep   5,000 runs per invariant (default profile: 256 runs × depth 64)
  FORGE_SEED=0x…         the fuzz seed (default: a new random seed, printed)
  FORGE_MAX_REVERT_SHARE the largest share of reverted calls a handler function may have (default 0.5)
  FORGE_BIN=path         the forge executable (default: the @foundry-rs/forge-<os>-<arch> package's binary)`;

/** The forge executable and the arguments before forge's own: the platform package's binary, else (no such package
 * for this platform) node running the npm wrapper, whose exit code is always 0: the summary decides then. */
function forgeCommand() {
  if (process.env.FORGE_BIN) return { file: process.env.FORGE_BIN, pre: [] };
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch];
  const exe = process.platform === "win32" ? "forge.exe" : "forge";
  try {
    return { file: require.resolve(`@foundry-rs/forge-${process.platform}-${arch}/bin/${exe}`), pre: [] };
  } catch {
    const wrapper = path.join(path.dirname(require.resolve("@foundry-rs/forge/package.json")), "bin.mjs");
    return { file: process.execPath, pre: [wrapper] };
  }
}

/** Rows of forge's invariant metrics tables: | Contract | Selector | Calls | Reverts | Discards |. */
function parseMetrics(output) {
  const rows = [];
  let test = "";
  for (const line of output.split("\n")) {
    const t = line.match(/^\[(?:PASS|FAIL.*)\] (invariant\w*)\(\)/);
    if (t) test = t[1];
    const m = line.match(/^\|\s*(\w+)\s*\|\s*(\w+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|$/);
    if (m) rows.push({ test, handler: m[1], selector: m[2], calls: +m[3], reverts: +m[4] });
  }
  return rows;
}

/** The failing tests: "Ran N tests for test/foundry/x.t.sol:Contract", then "[FAIL…] name(args)" or an invariant's
 * "[FAIL: reason]" with its sequence and " name() (runs: …)" below. */
function failures(output) {
  const out = [];
  let contract = "";
  let pending = null; // an invariant's "[FAIL: reason]" line: its name follows on a later line
  const add = (test, reason) => {
    if (!out.some((o) => o.contract === contract && o.test === test)) out.push({ contract, test, reason });
  };
  for (const line of output.split("\n")) {
    const r = line.match(/^(?:Ran \d+ tests? for|Encountered \d+ failing tests? in) (\S+):(\w+)/);
    if (r) contract = r[2];
    // [FAIL: reason; counterexample: … args=[…]] name(types) (runs: …) — the reason may hold brackets
    const f = line.match(/^\[FAIL:? ?(.*)\] (\w+)\([^)]*\)/);
    if (f) {
      add(f[2], f[1].split("; counterexample")[0].trim());
      continue;
    }
    const bare = line.match(/^\[FAIL:? ?(.*)\]\s*$/);
    if (bare) pending = bare[1].trim();
    const named = pending !== null && line.match(/^\s*(\w+)\([^)]*\) \(runs:/);
    if (named) {
      add(named[1], pending);
      pending = null;
    }
  }
  return out;
}

function main() {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const profile = process.env.FOUNDRY_PROFILE || "default";
  const seed = process.env.FORGE_SEED || `0x${crypto.randomBytes(8).toString("hex")}`;
  const maxShare = Number(process.env.FORGE_MAX_REVERT_SHARE || "0.5");
  process.stdout.write(`forge: profile ${profile}, seed ${seed}\n`);
  const started = Date.now();
  const forge = forgeCommand();
  const child = spawn(forge.file, [...forge.pre, "test", "--fuzz-seed", seed, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env: process.env,
  });
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
    process.stdout.write(chunk);
  });
  child.on("close", (code) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    const rows = parseMetrics(output);
    // a replayed failure prints a table of a few calls: judge only full campaigns
    const noisy = rows.filter((r) => r.calls >= 100 && r.reverts / r.calls > maxShare);
    process.stdout.write(`\nforge: ${rows.length} handler functions measured in ${seconds} s; `);
    const full = rows.filter((r) => r.calls >= 100);
    if (full.length) {
      const worst = full.reduce((a, b) => (b.reverts / b.calls > a.reverts / a.calls ? b : a));
      const share = ((100 * worst.reverts) / worst.calls).toFixed(1);
      process.stdout.write(`most reverts: ${worst.handler}.${worst.selector} ${share} % (${worst.test})\n`);
    } else process.stdout.write("no full campaign ran (every function under 100 calls)\n");
    for (const r of noisy) {
      process.stdout.write(
        `forge: ${r.handler}.${r.selector} reverted in ${r.reverts} of ${r.calls} calls (${r.test}): ` +
          `more than ${maxShare * 100} %, the handler explores too little\n`,
      );
    }
    const failed = failures(output);
    if (failed.length) {
      const prefix = profile === "default" ? "" : `FOUNDRY_PROFILE=${profile} `;
      process.stdout.write("\nforge: failing tests (the shrunk counterexample sequence is printed above):\n");
      for (const f of failed) {
        process.stdout.write(`  ${f.contract}.${f.test}${f.reason ? `: ${f.reason}` : ""}\n`);
        process.stdout.write(
          `    replay:  ${prefix}FORGE_SEED=${seed} npm run test:forge -- --match-contract ${f.contract} ` +
            `--match-test ${f.test} -vvv\n`,
        );
      }
      process.stdout.write(
        "    (forge also stores each failure under cache/forge/ and replays it first on the next run of that test;\n" +
          "     delete cache/forge/invariant* and cache/forge/fuzz* to start from fresh sequences)\n",
      );
    }
    const summary = output.match(/(\d+) tests passed, (\d+) failed, (\d+) skipped/);
    if (summary) process.stdout.write(`forge: ${summary[1]} passed, ${summary[2]} failed, ${summary[3]} skipped\n`);
    else process.stdout.write("forge: no test summary in forge's output (the tests did not run to the end)\n");
    const failedRun = code !== 0 || !summary || +summary[2] > 0 || failed.length > 0;
    if (failedRun && code === 0) process.stdout.write("forge: exited 0, but the run failed (see above)\n");
    process.exit(failedRun ? code || 1 : noisy.length ? 1 : 0);
  });
}

main();
