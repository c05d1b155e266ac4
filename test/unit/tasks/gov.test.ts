import { expect } from "chai";
import hre, { deployments, ethers, getNamedAccounts } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { CreditMarketplace, TreelionTimelock } from "../../../typechain-types";
import { decodeTimelockTx } from "../../../sdk/governance";

/**
 * gov:schedule / gov:status / gov:execute / gov:cancel run in process against the local deploy (the timelock,
 * minDelay 60 s, holds DEFAULT_ADMIN_ROLE everywhere; the named `admin` proposes and executes), plus the pointer
 * from roles:grant / unpause to gov:schedule. Every refusal is shown to send nothing (no new block).
 */
describe("tasks: gov:schedule, gov:status, gov:execute, gov:cancel", function () {
  async function suite() {
    await deployments.fixture();
    const named = await getNamedAccounts();
    const market = (await ethers.getContractAt(
      "CreditMarketplace",
      (await deployments.get("CreditMarketplace")).address,
    )) as unknown as CreditMarketplace;
    const timelock = (await ethers.getContractAt(
      "TreelionTimelock",
      (await deployments.get("TreelionTimelock")).address,
    )) as unknown as TreelionTimelock;
    return { named, market, timelock };
  }

  /** Runs a task and returns what it printed. */
  async function run(name: string, args: Record<string, unknown>): Promise<string> {
    const lines: string[] = [];
    const orig = console.log;
    console.log = (...a: unknown[]) => void lines.push(a.join(" "));
    try {
      await hre.run(name, args);
    } finally {
      console.log = orig;
    }
    return lines.join("\n");
  }

  /** Expects the task to fail with `message` and to send no transaction. */
  async function refused(name: string, args: Record<string, unknown>, message: RegExp | string) {
    const block = await ethers.provider.getBlockNumber();
    await expect(run(name, args)).to.be.rejectedWith(message);
    expect(await ethers.provider.getBlockNumber(), "a refusal sent a transaction").to.equal(block);
  }

  const idOf = (out: string) => /operation (0x[0-9a-f]{64})/.exec(out)![1];

  it("schedules a fee change with the decoded call and ready time, refuses to execute it early, executes it after the delay", async function () {
    const s = await loadFixture(suite);
    const out = await run("gov:schedule", { contract: "CreditMarketplace", call: "setFee(250, treasury)" });
    expect(out).to.include(`CreditMarketplace.setFee(250, ${s.named.treasury})`);
    expect(out).to.match(/ready at\s+\d{4}-\d\d-\d\dT\S+ \(in 1 min\)/);
    const id = idOf(out);
    expect(await s.timelock.isOperationPending(id)).to.equal(true);

    await refused("gov:execute", { id }, /is not ready: (1 min|\d+ s) left \(ready at .*\) — nothing was sent/);
    await time.increase(60);
    const exec = await run("gov:execute", { id });
    expect(exec).to.include("event CreditMarketplace.FeeUpdated(feeBps=250");
    expect(exec).to.include(`event TreelionTimelock.CallExecuted(id=${id}, index=0`);
    expect(await s.market.feeBps()).to.equal(250);
    const status = await run("gov:status", { id });
    expect(status).to.include(`${id}  DONE`).and.include(`CreditMarketplace.setFee(250, ${s.named.treasury})`);
    await refused("gov:execute", { id }, /is already executed/);
  });

  it("cancels a pending operation: status says CANCELLED and execute is refused", async function () {
    const s = await loadFixture(suite);
    const id = idOf(
      await run("gov:schedule", { contract: "CreditMarketplace", call: "setFee(900, treasury)", salt: "try" }),
    );
    expect(await run("gov:status", {})).to.include(`${id}  PENDING`);
    expect(await run("gov:cancel", { id })).to.include(`event TreelionTimelock.Cancelled(id=${id})`);
    expect(await run("gov:status", {})).to.include(`${id}  CANCELLED`);
    await time.increase(60);
    await refused("gov:execute", { id }, /was cancelled/);
    await refused("gov:cancel", { id }, /already cancelled/);
    expect(await s.market.feeBps()).to.equal(100);
  });

  it("--print-only prints { to, value, data } of the schedule for a multisig and sends nothing", async function () {
    const s = await loadFixture(suite);
    await run("pause", { contract: "CreditMarketplace", from: "guardian" }); // the guardian stops, governance resumes
    const block = await ethers.provider.getBlockNumber();
    const out = await run("gov:schedule", { contract: "CreditMarketplace", call: "unpause()", printOnly: true });
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
    const tx = JSON.parse(out.slice(out.indexOf("{")));
    expect(tx.to).to.equal(await s.timelock.getAddress());
    expect(tx.value).to.equal("0");
    const decoded = decodeTimelockTx(tx.data);
    expect(decoded.method).to.equal("schedule");
    expect(decoded.call!.target).to.equal(await s.market.getAddress());
    expect(decoded.delay).to.equal(60n);
    expect(out).to.include(idOf(out));
  });

  it("refuses, sending nothing: unknown function, wrong argument count or type, bad checksum, short delay, reverting call, missing timelock role, non-proposer, duplicate", async function () {
    const s = await loadFixture(suite);
    const sched = (call: string, extra: Record<string, unknown> = {}, contract = "CreditMarketplace") => ({
      contract,
      call,
      ...extra,
    });
    await refused("gov:schedule", sched("setFees(1, 2)"), /has no function "setFees"/);
    await refused("gov:schedule", sched("setFee(250)"), /setFee takes setFee\(uint16,address\), not 1 argument/);
    await refused("gov:schedule", sched("setFee(lots, treasury)"), /"lots" is not an integer/);
    await refused(
      "gov:schedule",
      sched("setFee(250, 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD)"),
      /bad EIP-55 checksum/,
    );
    await refused("gov:schedule", sched("feeBps()"), /is a view function: nothing to schedule/);
    await refused(
      "gov:schedule",
      sched("setFee(250, treasury)", { delay: "30" }),
      /30 s is below the timelock's minDelay of 1 min/,
    );
    await refused(
      "gov:schedule",
      sched("setFee(5000, treasury)"),
      /reverted with FeeTooHigh\(5000, 1000\).* — nothing was sent/,
    );
    await refused(
      "gov:schedule",
      sched("setFees(50, 50, treasury)", {}, "NatureCarbonPool"),
      /TreelionTimelock does not hold POOL_ADMIN_ROLE on NatureCarbonPool/,
    );
    await refused(
      "gov:schedule",
      sched("setFee(250, treasury)", { from: "verifier" }),
      /does not hold PROPOSER_ROLE.*--print-only/,
    );
    await run("gov:schedule", sched("setFee(250, treasury)"));
    await refused("gov:schedule", sched("setFee(250, treasury)"), /already scheduled \(pending\).*--salt/);
    await refused("gov:execute", { id: "0x" + "12".repeat(32) }, /no operation 0x1212/);
    await refused("gov:execute", { id: "0x1234" }, /not a 32-byte operation id/);
    expect(await s.market.feeBps()).to.equal(100);
  });

  it("roles:grant and unpause by an account without the role point to gov:schedule when the timelock holds it", async function () {
    const s = await loadFixture(suite);
    await refused(
      "roles:grant",
      { contract: "CreditMarketplace", role: "PAUSER", account: s.named.verifier, from: "verifier" },
      /does not hold DEFAULT_ADMIN_ROLE; on hardhat it belongs to the TreelionTimelock[\s\S]*gov:schedule --network hardhat --contract CreditMarketplace --call "grantRole\(PAUSER_ROLE, 0x/,
    );
    await run("pause", { contract: "CreditMarketplace", from: "guardian" });
    expect(await s.market.paused()).to.equal(true);
    await refused("unpause", { contract: "CreditMarketplace", from: "guardian" }, /--call "unpause\(\)"/);
    expect(await s.market.paused()).to.equal(true);
  });
});
