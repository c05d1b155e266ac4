import { expect } from "chai";
import { execFileSync } from "child_process";
import fs from "fs";
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
