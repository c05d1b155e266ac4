import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";

import { SOLC_VERSION } from "../../../config/solc";

const ROOT = path.join(__dirname, "..", "..", "..");
const FORGE = path.join(path.dirname(require.resolve("@foundry-rs/forge/package.json")), "bin.mjs");
const BRIDGE = path.join(ROOT, "scripts", "forge-solc.js");

interface ForgeConfig {
  solc: string;
  offline: boolean;
  evm_version: string;
  optimizer: boolean;
  optimizer_runs: number;
  remappings: string[];
  fuzz: { runs: number };
  invariant: { runs: number; depth: number; fail_on_revert: boolean; show_metrics: boolean };
}

/** The configuration forge itself resolves from foundry.toml for a profile. */
function forgeConfig(profile: string): ForgeConfig {
  const out = execFileSync(process.execPath, [FORGE, "config", "--json"], {
    cwd: ROOT,
    env: { ...process.env, FOUNDRY_PROFILE: profile },
    encoding: "utf8",
  });
  return JSON.parse(out) as ForgeConfig;
}

describe("foundry.toml (forge invariant and fuzz suite)", function () {
  this.timeout(60_000);
  let ci: ForgeConfig;
  let deep: ForgeConfig;

  before(function () {
    ci = forgeConfig("default");
    deep = forgeConfig("deep");
  });

  it("compiles with the same EVM version and optimizer settings as hardhat.config.ts", function () {
    // hardhat.config.ts as written (hre.userConfig): `hardhat coverage` rewrites the runtime settings (no optimizer)
    const hh = hre.userConfig.solidity as { version: string; settings: { evmVersion: string; optimizer: any } };
    expect(hh.version).to.equal(SOLC_VERSION);
    for (const c of [ci, deep]) {
      expect(c.evm_version).to.equal(hh.settings.evmVersion);
      expect(c.optimizer).to.equal(hh.settings.optimizer.enabled);
      expect(c.optimizer_runs).to.equal(hh.settings.optimizer.runs);
    }
  });

  it("never downloads a compiler: offline, with solc pointing at the project's solc-js bridge", function () {
    expect(ci.offline).to.equal(true);
    expect(path.resolve(ROOT, ci.solc)).to.equal(BRIDGE);
    expect(fs.statSync(BRIDGE).mode & 0o111, "the bridge is executable").to.not.equal(0);
  });

  it("the bridge answers --version like native solc, with the pinned solc npm package's version", function () {
    const out = execFileSync(BRIDGE, ["--version"], { encoding: "utf8" });
    const lines = out.trim().split("\n");
    expect(lines[0]).to.equal("solc, the solidity compiler commandline interface");
    expect(lines[1]).to.match(new RegExp(`^Version: ${SOLC_VERSION.replace(/\./g, "\\.")}\\+commit\\.[0-9a-f]{8}`));
  });

  it("the bridge compiles standard JSON from stdin (and reads an import forge did not send from disk)", function () {
    const input = {
      language: "Solidity",
      sources: {
        "A.sol": {
          content:
            'pragma solidity 0.8.28; import {Roles} from "contracts/libraries/Roles.sol"; ' +
            "contract A { function r() external pure returns (bytes32) { return Roles.ISSUER; } }",
        },
      },
      settings: { evmVersion: "cancun", outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
    };
    const out = JSON.parse(
      execFileSync(BRIDGE, ["--standard-json", "--base-path", ROOT], {
        input: JSON.stringify(input),
        encoding: "utf8",
        cwd: ROOT,
      }),
    ) as { errors?: { severity: string; message: string }[]; contracts: Record<string, Record<string, unknown>> };
    const errors = (out.errors ?? []).filter((e) => e.severity === "error");
    expect(errors, JSON.stringify(errors)).to.deep.equal([]);
    expect(out.contracts["A.sol"]).to.have.property("A");
  });

  it("takes forge-std 1.9.7 from @layerzerolabs/toolbox-foundry, and the suite never imports forge-std/Test.sol", function () {
    const std = ci.remappings.find((r) => r.startsWith("forge-std/="));
    expect(std).to.equal("forge-std/=node_modules/@layerzerolabs/toolbox-foundry/lib/forge-std/");
    const pkg = JSON.parse(
      fs.readFileSync(
        path.join(ROOT, "node_modules/@layerzerolabs/toolbox-foundry/lib/forge-std/package.json"),
        "utf8",
      ),
    ) as { version: string };
    expect(pkg.version).to.equal("1.9.7");
    const files = fs.readdirSync(path.join(ROOT, "test/foundry"), { recursive: true }) as string[];
    const sol = files.filter((f) => f.endsWith(".sol"));
    expect(sol.length).to.be.greaterThan(5);
    for (const f of sol) {
      const text = fs.readFileSync(path.join(ROOT, "test/foundry", f), "utf8");
      expect(text, f).to.not.match(/import[^;]*forge-std\/(Test|safeconsole)\.sol/);
    }
  });

  it("runs every invariant at least 256 runs x depth 64 in CI and 5,000 runs in the deep profile", function () {
    expect(ci.invariant.runs).to.be.at.least(256);
    expect(ci.invariant.depth).to.be.at.least(64);
    expect(deep.invariant.runs).to.be.at.least(5000);
    expect(deep.invariant.depth).to.be.at.least(64);
    expect(deep.fuzz.runs).to.be.at.least(ci.fuzz.runs);
    expect(ci.invariant.show_metrics, "per-function calls/reverts are reported").to.equal(true);
  });
});

describe("npm run test:forge (scripts/test-forge.js)", function () {
  this.timeout(30_000);
  const SCRIPT = path.join(ROOT, "scripts", "test-forge.js");
  let dir: string;

  /** A stand-in forge that prints `output` and exits with `code` (as the npm wrapper did: 0 whatever happened). */
  function fakeForge(output: string, code: number): string {
    const out = path.join(dir, `forge-${code}-${output.length}.txt`);
    fs.writeFileSync(out, output);
    const bin = path.join(dir, `forge-${code}-${output.length}.js`);
    const body = `process.stdout.write(require("fs").readFileSync(${JSON.stringify(out)}, "utf8"));`;
    fs.writeFileSync(bin, `#!${process.execPath}\n${body}\nprocess.exitCode = ${code};\n`, { mode: 0o755 });
    return bin;
  }

  /** Runs the script against a stand-in forge: its exit code and what it printed. */
  function run(bin: string): { status: number | null; stdout: string } {
    const r = spawnSync(process.execPath, [SCRIPT], {
      cwd: ROOT,
      env: { ...process.env, FORGE_BIN: bin, FORGE_SEED: "0x1" },
      encoding: "utf8",
    });
    return { status: r.status, stdout: r.stdout };
  }

  const metrics = (reverts: number): string =>
    [
      "| Contract      | Selector     | Calls | Reverts | Discards |",
      `| EscrowHandler | escrowAttest | 1000  | ${reverts}     | 0        |`,
    ].join("\n");
  const failing = [
    "Ran 1 test for test/foundry/invariants/Escrow.inv.t.sol:EscrowInvariants",
    "[FAIL: milestone state differs: 3 != 1]",
    "\t[Sequence] (original: 9, shrunk: 2)",
    " invariant_escrowBooks() (runs: 1, calls: 64, reverts: 0)",
    "Ran 1 test suite in 1.00s (1.00s CPU time): 0 tests passed, 1 failed, 0 skipped (1 total tests)",
    "",
  ].join("\n");
  const passing = [
    "Ran 1 test for test/foundry/invariants/Escrow.inv.t.sol:EscrowInvariants",
    "[PASS] invariant_escrowBooks() (runs: 256, calls: 16384, reverts: 10)",
    metrics(10),
    "Ran 1 test suite in 1.00s (1.00s CPU time): 1 tests passed, 0 failed, 0 skipped (1 total tests)",
    "",
  ].join("\n");

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "test-forge-"));
  });
  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("runs the platform package's forge binary, not the npm wrapper that drops forge's exit code", function () {
    const text = fs.readFileSync(SCRIPT, "utf8");
    expect(text).to.contain("@foundry-rs/forge-${process.platform}-${arch}/bin/${exe}");
    const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string];
    expect(() => require.resolve(`@foundry-rs/forge-${process.platform}-${arch}/bin/forge`)).to.not.throw();
  });

  it("fails a run whose summary counts a failed test even when forge exits 0, naming the test and its replay", function () {
    const r = run(fakeForge(failing, 0));
    expect(r.status).to.equal(1);
    expect(r.stdout).to.contain("EscrowInvariants.invariant_escrowBooks: milestone state differs: 3 != 1");
    expect(r.stdout).to.contain(
      "replay:  FORGE_SEED=0x1 npm run test:forge -- --match-contract EscrowInvariants --match-test invariant_escrowBooks",
    );
  });

  it("passes forge's exit code on, and fails a run that printed no summary", function () {
    expect(run(fakeForge(failing, 3)).status).to.equal(3);
    const r = run(fakeForge("Compiler run failed:\nError: boom\n", 0));
    expect(r.status).to.equal(1);
    expect(r.stdout).to.contain("no test summary");
  });

  it("passes a green run and fails one where a handler function reverted in more than half its calls", function () {
    expect(run(fakeForge(passing, 0)).status).to.equal(0);
    const noisy = run(fakeForge(passing.replace(metrics(10), metrics(600)), 0));
    expect(noisy.status).to.equal(1);
    expect(noisy.stdout).to.contain("EscrowHandler.escrowAttest reverted in 600 of 1000 calls");
  });
});
