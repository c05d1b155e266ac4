/**
 * Access-control matrix, generated from the ABIs of every deployment of the full suite
 * (`deployments.fixture()`) plus the contracts created at run time: every state-changing function is
 * called by a fresh account that holds no role, no token and no allowance. It must revert — role-gated
 * functions with AccessControlUnauthorizedAccount(stranger, role), the others with the contract's own
 * authorization error — unless it is on the explicit allow-list of public functions (printed below).
 * A function that appears in an ABI without being classified in test/helpers/security/areas fails the test.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { FunctionFragment } from "ethers";
import { ROLES } from "../../config/deploy-utils";
import { table } from "../../scripts/lib/format";
import type { Access, World } from "../helpers/security/types";
import {
  describe as outcomeText,
  dummyArgs,
  fnKey,
  send,
  simulate,
  specOf,
  stateChanging,
  world,
} from "../helpers/security/world";

/** This file's own fixture (loadFixture keys snapshots by function: sharing one across files breaks when
 * another file's hardhat-deploy fixture reverts to an earlier snapshot). */
async function suite() {
  return world();
}

type Row = {
  contract: string;
  function: string;
  access: string;
  outcome: string;
};

function accessText(a: Access): string {
  if ("role" in a) return typeof a.role === "string" ? `role ${a.role}` : `role ${a.role.custom}`;
  if ("auth" in a) return `own check → ${a.auth}`;
  if ("disabled" in a) return `disabled → ${a.disabled}`;
  return `PUBLIC: ${a.open}`;
}

describe("security: access-control matrix over every deployed contract", function () {
  it("classifies every state-changing function of every contract (no function escapes the matrix)", async function () {
    const w = await loadFixture(suite);
    const problems: string[] = [];
    for (const [name, c] of Object.entries(w.contracts)) {
      const artifact = w.artifactOf[name];
      const spec = specOf(artifact);
      if (!spec) {
        problems.push(`${name} (${artifact}): no description in test/helpers/security/areas`);
        continue;
      }
      const keys = new Set(stateChanging(c).map((f) => fnKey(c, f)));
      for (const k of keys) if (!spec.functions[k]) problems.push(`${name}.${k}: not classified`);
      for (const k of Object.keys(spec.functions))
        if (!keys.has(k)) problems.push(`${name}.${k}: classified but not in the ABI (stale)`);
    }
    expect(problems, problems.join("\n")).to.deep.equal([]);
  });

  it("refuses every non-public state-changing function to an account with no role, and prints the matrix", async function () {
    const w = await loadFixture(suite);
    const rows: Row[] = [];
    const failures: string[] = [];
    for (const [name, c] of Object.entries(w.contracts)) {
      const spec = specOf(w.artifactOf[name]);
      if (!spec) continue; // reported by the completeness test
      for (const fn of stateChanging(c)) {
        const key = fnKey(c, fn);
        const fs = spec.functions[key];
        if (!fs) continue;
        const row = await check(w, name, fn, fs.access, failures);
        rows.push({
          contract: name,
          function: key.length > 48 ? key.slice(0, 45) + "…" : key,
          access: accessText(fs.access),
          outcome: row,
        });
      }
    }
    console.log(
      `\n      access matrix (caller: fresh account ${w.stranger.address.slice(0, 10)}…, no role, no tokens)\n`,
    );
    console.log(
      table(rows)
        .split("\n")
        .map((l) => "      " + l)
        .join("\n"),
    );
    const pub = rows.filter((r) => r.access.startsWith("PUBLIC"));
    console.log(
      `\n      ${rows.length} state-changing functions; ${pub.length} public by design (allow-list), ${rows.length - pub.length} refused\n`,
    );
    expect(failures, failures.join("\n")).to.deep.equal([]);
    expect(rows.length).to.be.greaterThan(0);
  });
});

/** Runs one function as the stranger (simulation, then a real mined transaction) and checks the outcome. */
async function check(
  w: World,
  name: string,
  fn: FunctionFragment,
  access: Access,
  failures: string[],
): Promise<string> {
  if ("auth" in access && access.before) {
    // the check is only reachable in another state (e.g. an Active bond): start from a fresh fixture
    w = await loadFixture(suite);
    await access.before(w);
  }
  const c = w.contracts[name];
  const args = "args" in access && access.args ? access.args(w) : dummyArgs(fn, w.alice.address);
  const sim = await simulate(c, fn, args, w.stranger.address);
  const tx = await send(c, fn, args, w.stranger);
  const where = `${name}.${fn.name}`;
  if (sim.ok !== tx.ok || (sim.error?.name ?? sim.other) !== (tx.error?.name ?? tx.other)) {
    failures.push(`${where}: simulation (${outcomeText(sim)}) and transaction (${outcomeText(tx)}) disagree`);
  }
  if ("open" in access) {
    // public: anything goes except a non-decodable revert (a stranger must get a named reason)
    if (!tx.ok && !tx.error)
      failures.push(`${where}: public function reverts without a named custom error (${tx.other})`);
    return outcomeText(tx);
  }
  if (tx.ok) {
    failures.push(`${where}: a stranger's call SUCCEEDED (expected ${accessText(access)})`);
    return "SUCCEEDED";
  }
  if ("role" in access) {
    const role = typeof access.role === "string" ? ROLES[access.role] : access.role.custom;
    const e = tx.error;
    if (e?.name !== "AccessControlUnauthorizedAccount")
      failures.push(`${where}: expected AccessControlUnauthorizedAccount, got ${outcomeText(tx)}`);
    else if (String(e.args[0]).toLowerCase() !== w.stranger.address.toLowerCase() || e.args[1] !== role) {
      failures.push(`${where}: AccessControlUnauthorizedAccount(${e.args[0]}, ${e.args[1]}) ≠ (stranger, ${role})`);
    }
    return outcomeText(tx);
  }
  const expected = "auth" in access ? access.auth : access.disabled;
  if (tx.error?.name !== expected) failures.push(`${where}: expected ${expected}, got ${outcomeText(tx)}`);
  return outcomeText(tx);
}
