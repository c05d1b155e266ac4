import { expect } from "chai";
import hre, { deployments, ethers, getNamedAccounts } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { CreditMarketplace, TreelionTimelock } from "../../../typechain-types";
import { decodeTimelockTx } from "../../../sdk/governance";
import { expectRefused, runTask } from "../../helpers/tasks";

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
    const credit = async () => (await deployments.get("CarbonCredit")).address;
    return { named, market, timelock, credit };
  }

  const run = runTask;
  const refused = expectRefused;

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

  it("schedules a batch as one operation (scheduleBatch), executes it after the delay: both calls apply; the id is the timelock's hashOperationBatch", async function () {
    const s = await loadFixture(suite);
    const batch = "CreditMarketplace.setFee(300, treasury); CreditMarketplace.setPaymentToken(CarbonCredit, true)";
    const out = await run("gov:schedule", { batch, salt: "fees-2027" });
    const id = idOf(out);
    const data = [
      s.market.interface.encodeFunctionData("setFee", [300, s.named.treasury]),
      s.market.interface.encodeFunctionData("setPaymentToken", [await s.credit(), true]),
    ];
    const target = await s.market.getAddress();
    expect(id).to.equal(
      await s.timelock.hashOperationBatch([target, target], [0, 0], data, ethers.ZeroHash, ethers.id("fees-2027")),
    );
    expect(out).to.include(`call      CreditMarketplace.setFee(300, ${s.named.treasury})`);
    expect(out).to.include("call      CreditMarketplace.setPaymentToken(");
    const status = await run("gov:status", { batch, salt: "fees-2027" });
    expect(status).to.include(`${id}  PENDING`).and.include("1 operation(s)");
    await time.increase(60);
    const exec = await run("gov:execute", { batch, salt: "fees-2027" });
    expect(exec).to.include(`event TreelionTimelock.CallExecuted(id=${id}, index=1`);
    expect(await s.market.feeBps()).to.equal(300);
    expect(await s.market.paymentTokenAllowed(await s.credit())).to.equal(true);
    expect(await run("gov:status", { id })).to.include(`${id}  DONE`);
  });

  it("names operations by their call instead of an id, a batch of one call included; --print-only encodes scheduleBatch / executeBatch", async function () {
    const s = await loadFixture(suite);
    const one = { batch: "CreditMarketplace.setFee(400, treasury)" };
    const printed = await run("gov:schedule", { ...one, printOnly: true });
    const tx = JSON.parse(printed.slice(printed.indexOf("{")));
    const decoded = decodeTimelockTx(tx.data);
    expect(decoded.method).to.equal("scheduleBatch");
    expect(decoded.calls).to.have.length(1);
    const id = idOf(await run("gov:schedule", one));
    expect(id).to.equal(idOf(printed));
    await time.increase(60);
    const execTx = await run("gov:execute", { ...one, printOnly: true });
    expect(decodeTimelockTx(JSON.parse(execTx.slice(execTx.indexOf("{"))).data).method).to.equal("executeBatch");
    await run("gov:execute", one);
    expect(await s.market.feeBps()).to.equal(400);
    // a single call, cancelled by naming it
    const single = { contract: "CreditMarketplace", call: "setFee(500, treasury)" };
    const sid = idOf(await run("gov:schedule", single));
    expect(await run("gov:cancel", single)).to.include(`event TreelionTimelock.Cancelled(id=${sid})`);
  });

  it("--predecessor: the operation waits for it; execute is refused until the predecessor is executed", async function () {
    const s = await loadFixture(suite);
    const first = idOf(await run("gov:schedule", { contract: "CreditMarketplace", call: "setFee(200, treasury)" }));
    const second = { contract: "CreditMarketplace", call: "setFee(300, treasury)", predecessor: first };
    const out = await run("gov:schedule", second);
    const id = idOf(out);
    expect(out).to.include(`after     ${first} (pending)`);
    const target = await s.market.getAddress();
    const data = s.market.interface.encodeFunctionData("setFee", [300, s.named.treasury]);
    expect(id).to.equal(await s.timelock.hashOperation(target, 0, data, first, ethers.ZeroHash));
    await time.increase(60);
    await refused("gov:execute", second, new RegExp(`runs after ${first}, which is ready, not executed`));
    await run("gov:execute", { id: first });
    await run("gov:execute", second);
    expect(await s.market.feeBps()).to.equal(300);
  });

  it("refuses, sending nothing: --value on a non-payable function or one per call missing, --batch with --contract, a malformed batch, an unknown predecessor, no operation named, --id with a call, gov:status with --salt/--predecessor but no call", async function () {
    const s = await loadFixture(suite);
    const fee = { contract: "CreditMarketplace", call: "setFee(250, treasury)" };
    await refused("gov:schedule", { ...fee, value: "1" }, /setFee\(uint16,address\) is not payable/);
    await refused("gov:schedule", { ...fee, value: "lots" }, /--value: "lots" is not an amount/);
    await refused(
      "gov:schedule",
      { batch: "CreditMarketplace.setFee(250, treasury); CreditMarketplace.setFee(260, treasury)", value: "0" },
      /1 amount\(s\) for 2 call\(s\)/,
    );
    await refused("gov:schedule", { ...fee, batch: "CreditMarketplace.unpause()" }, /--batch replaces --contract/);
    await refused("gov:schedule", { batch: "setFee(250, treasury)" }, /is not Contract.function/);
    await refused("gov:schedule", { contract: "CreditMarketplace" }, /--call is missing/);
    await refused(
      "gov:schedule",
      { ...fee, predecessor: "0x" + "ab".repeat(32) },
      /--predecessor: 0xabab.* is not an operation of TreelionTimelock/,
    );
    await refused("gov:schedule", { ...fee, predecessor: "0x12" }, /--predecessor: 0x12 is not a 32-byte operation id/);
    await refused("gov:execute", {}, /name the operation: --id/);
    await refused("gov:cancel", { ...fee, id: "0x" + "12".repeat(32) }, /give --id or the operation's call/);
    await refused("gov:execute", fee, /no operation 0x[0-9a-f]{64} on TreelionTimelock/);
    await refused(
      "gov:status",
      { salt: "7", predecessor: "0x" + "ab".repeat(32) },
      /--salt, --predecessor only describe an operation together with --contract\/--call or --batch/,
    );
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
