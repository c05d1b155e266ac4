/**
 * Pause, for every pausable contract of the suite (described in test/helpers/security/areas):
 *  - every function marked `stops` is first shown valid (its call succeeds in simulation while unpaused),
 *    then reverts EnforcedPause once the contract is paused — nothing moves;
 *  - every function marked `exits` (money or credits leaving to their rightful owner: escrow withdraw /
 *    refund / resolve / cancel, bond refund / claim / redeem, listing cancel, …) still succeeds while paused;
 *  - every state-changing function has a policy (a new one without a policy fails the test);
 *  - stop fast, resume slowly: the guardian (PAUSER_ROLE) pauses every pausable contract and cannot unpause it;
 *    only DEFAULT_ADMIN_ROLE (the timelock on public networks) resumes.
 */
import { expect } from "chai";
import hre, { deployments, ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ROLES } from "../../config/deploy-utils";
import type { Contract, FunctionFragment } from "ethers";
import { table } from "../../scripts/lib/format";
import type { ContractSpec, World } from "../helpers/security/types";
import { areas, describe as outcomeText, fnKey, send, simulate, stateChanging, world } from "../helpers/security/world";

/** This file's own fixture (loadFixture keys snapshots by function: sharing one across files breaks when
 * another file's hardhat-deploy fixture reverts to an earlier snapshot). */
async function suite() {
  return world();
}

function instancesOf(w: World, artifact: string): string[] {
  return Object.keys(w.artifactOf)
    .filter((n) => w.artifactOf[n] === artifact)
    .sort();
}

async function pauseIt(w: World, c: Contract, spec: ContractSpec) {
  await (await (c.connect(spec.pauser!(w)) as any).pause()).wait();
  expect(await (c as any).paused()).to.equal(true);
}

describe("security: pause stops everything but the exits to rightful owners", function () {
  it("knows every pausable contract of the suite", async function () {
    const w = await loadFixture(suite);
    const problems: string[] = [];
    for (const [name, c] of Object.entries(w.contracts)) {
      const pausable = c.interface.getFunction("paused") !== null && c.interface.getFunction("pause") !== null;
      const spec = areas()
        .map((a) => a.specs[w.artifactOf[name]])
        .find((s) => s);
      if (pausable && !spec?.pauser) problems.push(`${name}: pausable but no pauser in its description`);
    }
    expect(problems, problems.join("\n")).to.deep.equal([]);
  });

  it("the guardian pauses every pausable contract at once and cannot unpause it; only DEFAULT_ADMIN_ROLE resumes", async function () {
    const w = await loadFixture(suite);
    const guardian = await ethers.getSigner((await hre.getNamedAccounts()).guardian);
    const deployed = new Set(Object.keys(await deployments.all()));
    const grantedLater: string[] = [];
    let pausable = 0;
    for (const [name, c0] of Object.entries(w.contracts)) {
      if (!c0.interface.getFunction("paused") || !c0.interface.getFunction("pause")) continue;
      const c = c0 as any;
      if (!(await c.hasRole(ROLES.PAUSER, guardian.address))) {
        // created after the deploy (a bond from the factory): its admin grants the guardian, through the timelock
        // on public networks (gov:schedule … grantRole(PAUSER_ROLE, guardian))
        grantedLater.push(name);
        await (await c.connect(w.deployer).grantRole(ROLES.PAUSER, guardian.address)).wait();
      }
      await expect(c.connect(guardian).pause()).to.emit(c, "Paused").withArgs(guardian.address);
      await expect(c.connect(guardian).unpause())
        .to.be.revertedWithCustomError(c, "AccessControlUnauthorizedAccount")
        .withArgs(guardian.address, ROLES.DEFAULT_ADMIN);
      expect(await c.paused(), name).to.equal(true);
      await expect(c.connect(w.deployer).unpause()).to.emit(c, "Unpaused").withArgs(w.deployer.address);
      pausable++;
    }
    expect(pausable).to.be.greaterThanOrEqual(6); // credits, two pools, market, escrow, a bond
    expect(
      grantedLater.filter((n) => deployed.has(n)),
      "deployed contracts without the guardian",
    ).to.deep.equal([]);
  });

  for (const area of areas()) {
    for (const [artifact, spec] of Object.entries(area.specs)) {
      if (!spec.pauser) continue;
      it(`${artifact}: while paused, every entry point reverts EnforcedPause except the exits, which keep paying out`, async function () {
        const w0 = await loadFixture(suite);
        const names = instancesOf(w0, artifact);
        expect(names.length, `${artifact} not deployed`).to.be.greaterThan(0);
        const rows: Record<string, string>[] = [];
        const failures: string[] = [];
        const c0 = w0.contracts[names[0]];
        const fragments = new Map<string, FunctionFragment>(stateChanging(c0).map((f) => [fnKey(c0, f), f]));
        for (const key of fragments.keys())
          if (!spec.functions[key]?.pause) failures.push(`${artifact}.${key}: no pause policy`);

        for (const [key, fs] of Object.entries(spec.functions)) {
          const fn = fragments.get(key);
          const policy = fs.pause;
          if (!fn || !policy) continue;
          if ("free" in policy) {
            rows.push({ function: key.slice(0, 40), policy: "free", result: policy.free });
            continue;
          }
          const w = await loadFixture(suite);
          const c = w.contracts[names[0]];
          const call = "stops" in policy ? policy.stops : policy.exits;
          if (call.before) await call.before(w);
          const signer = call.signer(w);
          const args = await call.args(w);
          if ("stops" in policy) {
            const unpaused = await simulate(c, fn, args, await signer.getAddress());
            if (!unpaused.ok)
              failures.push(
                `${artifact}.${key}: the reference call is not valid while unpaused (${outcomeText(unpaused)})`,
              );
            await pauseIt(w, c, spec);
            const paused = await send(c, fn, args, signer);
            if (paused.error?.name !== "EnforcedPause")
              failures.push(`${artifact}.${key}: while paused ${outcomeText(paused)} (expected EnforcedPause)`);
            rows.push({
              function: key.slice(0, 40),
              policy: "stops",
              result: `unpaused ${outcomeText(unpaused)}; paused ${outcomeText(paused)}`,
            });
          } else {
            await pauseIt(w, c, spec);
            const paused = await send(c, fn, args, signer);
            if (!paused.ok)
              failures.push(`${artifact}.${key}: an exit is blocked while paused (${outcomeText(paused)})`);
            else if (policy.exits.check) await policy.exits.check(w);
            rows.push({
              function: key.slice(0, 40),
              policy: "exits",
              result: `paused ${outcomeText(paused)} — ${policy.why}`,
            });
          }
        }
        console.log(
          "\n" +
            table(rows)
              .split("\n")
              .map((l) => "      " + l)
              .join("\n") +
            "\n",
        );
        expect(failures, failures.join("\n")).to.deep.equal([]);
      });
    }
  }
});
