/**
 * Every `--help` example of the governance tasks (gov:*) and the buffer tasks (tasks/buffer.ts: project:buffer,
 * credits:labels, buffer:*) runs exactly as written, in order, against a real `hardhat node` set up with tasks
 * (deploy, one Active project). Between examples the test only does what a user would do in the meantime: issue
 * credits, and wait the timelock's delay. Each example must exit 0 and leave the state it promises.
 */
import { expect } from "chai";
import hre from "hardhat";
import { Contract, id } from "ethers";
import { rpc } from "./helpers/node";
import { BUFFER_TASKS, helpExamples, ok, startTaskNode, type TaskNode } from "./helpers/cli";

const GOV_TASKS = ["gov:schedule", "gov:status", "gov:execute", "gov:cancel"];

const examplesOf = (task: string) => helpExamples(hre.tasks[task].description ?? "");

describe("--help examples of gov:* and buffer:* run as written (real hardhat node)", function () {
  this.timeout(600_000);
  let t: TaskNode;
  const ran = new Set<string>();
  /** Runs every example of `task` as written; returns their outputs. */
  const runExamples = (task: string) =>
    examplesOf(task).map((argv) => {
      expect(argv[0], `an example of ${task} runs another task`).to.equal(task);
      ran.add(task);
      return ok(t.node.hardhat(argv, {}, 600_000));
    });
  const contract = (name: string) => new Contract(t.record(name).address, t.record(name).abi, t.provider);

  before(async function () {
    t = await startTaskNode({ name: "Example Forest", country: "BR", externalId: "VCS-HELP-1" });
    expect(t.projectId, "the examples name project 1").to.equal("1");
  });

  after(() => t?.stop());

  it("every gov:* and buffer:* task (and project:buffer, credits:labels) has at least one example", function () {
    const ours = Object.keys(hre.tasks).filter((n) => n.startsWith("gov:") || n.startsWith("buffer:"));
    expect(ours).to.have.members([...GOV_TASKS, ...BUFFER_TASKS.filter((n) => n.includes("buffer:"))]);
    for (const task of [...GOV_TASKS, ...BUFFER_TASKS]) expect(examplesOf(task), task).to.not.be.empty;
  });

  it("runs the buffer examples in order: rate, labels, an avoidable fire over 25 batches, settle, compensate, show", async function () {
    const [rate] = runExamples("project:buffer");
    expect(rate).to.match(/BufferRateSet\(/);
    // meanwhile the verifier issues 25 batches of 10 t to the project owner (account 3): 1 t of each is withheld
    const credit = contract("CarbonCredit").connect(await t.provider.getSigner(t.acc[1])) as Contract;
    for (let i = 0; i < 25; i++) {
      const p = { projectId: 1, vintage: 2022, serialStart: i * 10 + 1, serialEnd: i * 10 + 10, to: t.acc[3] };
      await (await credit.issue({ ...p, attestation: id(`report ${i}`) })).wait();
    }
    const buffer = contract("BufferPool");
    expect(await buffer.bufferOf(1)).to.equal(25_000n);

    expect(runExamples("credits:labels")[0]).to.match(/LabelsSet\(/);
    expect(await contract("CarbonCredit").labelsOf(1)).to.equal(3n); // CORSIA_ELIGIBLE | CCP_APPROVED
    runExamples("buffer:reversal");
    const open = await buffer.reversal(1);
    expect(open.cancelledKg, "one transaction cancels at most 20 batches").to.equal(20_000n);
    runExamples("buffer:settle");
    const settled = await buffer.reversal(1);
    expect(settled.cancelledKg).to.equal(25_000n);
    expect(settled.owedKg).to.equal(25_000n);
    runExamples("buffer:compensate");
    expect((await buffer.reversal(1)).owedKg).to.equal(23_000n);
    expect(runExamples("buffer:show")[0]).to.include("project 1");
  });

  it("runs the gov examples in order: schedule a call and a batch, status, execute after the delay, cancel the batch", async function () {
    const market = contract("CreditMarketplace");
    const timelock = contract("TreelionTimelock");
    const scheduled = runExamples("gov:schedule");
    const ids = scheduled.map((out) => /operation (0x[0-9a-f]{64})/.exec(out)![1]);
    expect(ids).to.have.length(2);
    for (const opId of ids) expect(await timelock.isOperationPending(opId)).to.equal(true);
    const status = runExamples("gov:status");
    expect(status[0]).to.include(`${ids[0]}  PENDING`).and.include(`${ids[1]}  PENDING`);
    expect(status[1]).to.include(`${ids[0]}  PENDING`).and.not.include(ids[1]);
    // meanwhile the timelock's delay (60 s on localhost) passes
    await rpc(t.node.url, "evm_increaseTime", [60]);
    await rpc(t.node.url, "evm_mine", []);
    runExamples("gov:execute");
    expect(await market.feeBps()).to.equal(250n);
    expect(await timelock.isOperationDone(ids[0])).to.equal(true);
    runExamples("gov:cancel");
    expect(await timelock.isOperation(ids[1])).to.equal(false);
    expect(await market.feeBps()).to.equal(250n);
  });

  it("ran every example of every task listed", function () {
    expect([...ran]).to.have.members([...BUFFER_TASKS, ...GOV_TASKS]);
  });
});
