/**
 * The buffer tasks against a real `hardhat node`, set up with tasks only: buffer rate, issuance with withholding,
 * quality labels, an avoidable forest-fire reversal, the refusals before anything is sent (block and nonce
 * unchanged), compensation with its approval, and the show commands. Every task's --help prints its example.
 */
import { expect } from "chai";
import { Contract, JsonRpcProvider } from "ethers";
import { HardhatNode } from "./helpers/node";
import { BUFFER_TASKS, L, grab, ok, refused, startTaskNode, type TaskNode } from "./helpers/cli";

const TASKS = BUFFER_TASKS;

describe("buffer tasks (real hardhat node)", function () {
  this.timeout(300_000);
  let node: HardhatNode;
  let provider: JsonRpcProvider;
  let acc: string[];
  let projectId: string;
  let batchId: string;
  let reversalId: string;
  let t: TaskNode;
  const run = (...args: string[]) => t.run(...args);
  const record = (name: string) => t.record(name);

  before(async function () {
    t = await startTaskNode({ name: "Fire Forest", country: "BR", externalId: "VCS-FIRE-1" });
    ({ node, provider, acc, projectId } = t);
  });

  after(() => t?.stop());

  it("every buffer task has --help with an example", function () {
    for (const t of TASKS) {
      const out = ok(node.hardhat([t, "--help"]));
      expect(out, t).to.include(`Example: npx hardhat ${t}`);
    }
  });

  it("project:buffer refuses a rate above 5,000 bps and a non-verifier, then sets the rate", async function () {
    await refused(node, provider, acc[0], ["project:buffer", ...L, "--id", projectId, "--bps", "5001"], "--bps");
    await refused(
      node,
      provider,
      acc[5],
      ["project:buffer", ...L, "--id", projectId, "--bps", "1000", "--from", "5"],
      "lacks VERIFIER_ROLE",
    );
    const out = run("project:buffer", "--id", projectId, "--bps", "1000", "--from", "verifier");
    expect(out).to.match(/BufferRateSet\(/);
    expect(out).to.include("buffer rate 1000 bps");
    expect(run("project:buffer", "--id", projectId, "--bps", "1000", "--from", "verifier")).to.include("nothing sent");
  });

  it("credits:issue withholds 10 % into the buffer; credits:labels sets and shows labels", async function () {
    const issued = run(
      "credits:issue",
      "--project",
      projectId,
      "--vintage",
      "2022",
      "--serials",
      "1-50",
      "--to",
      acc[3],
      "--attestation",
      "ipfs://report",
      "--from",
      "verifier",
    );
    batchId = grab(issued, /batch id (\d+)/);
    expect(issued).to.match(/BufferWithheld\(batchId=\d+, projectId=\d+, amountKg=5000 \(5\.000 t\)\)/);
    await refused(
      node,
      provider,
      acc[0],
      ["credits:labels", ...L, "--batch", batchId, "--set", "GOLD"],
      'unknown label "GOLD"',
    );
    await refused(
      node,
      provider,
      acc[0],
      ["credits:labels", ...L, "--batch", "99", "--set", "REMOVAL"],
      "BatchNotFound(99)",
    );
    const out = run(
      "credits:labels",
      "--batch",
      batchId,
      "--set",
      "corsia-eligible, CCP_APPROVED",
      "--from",
      "verifier",
    );
    expect(out).to.include("labels CORSIA_ELIGIBLE, CCP_APPROVED");
    expect(run("credits:labels", "--batch", batchId)).to.include(
      `batch ${batchId}: labels CORSIA_ELIGIBLE, CCP_APPROVED`,
    );
  });

  it("buffer:reversal reports an avoidable fire; issuance is then refused with ReversalOutstanding", async function () {
    await refused(
      node,
      provider,
      acc[5],
      ["buffer:reversal", ...L, "--project", projectId, "--tonnes", "3", "--evidence", "ipfs://fire", "--from", "5"],
      "lacks VERIFIER_ROLE",
    );
    await refused(
      node,
      provider,
      acc[0],
      ["buffer:reversal", ...L, "--project", "99", "--tonnes", "3", "--evidence", "ipfs://fire"],
      "ProjectNotFound(99)",
    );
    const out = run(
      "buffer:reversal",
      "--project",
      projectId,
      "--tonnes",
      "3",
      "--evidence",
      "ipfs://fire-2026",
      "--avoidable",
      "--from",
      "verifier",
    );
    reversalId = grab(out, /reversal (\d+) of project/);
    expect(out).to.include("cancelled   3.000 t");
    expect(out).to.include("owed        3.000 t");
    await refused(
      node,
      provider,
      acc[1],
      [
        "credits:issue",
        ...L,
        "--project",
        projectId,
        "--vintage",
        "2022",
        "--serials",
        "51-60",
        "--to",
        acc[3],
        "--attestation",
        "ipfs://r",
        "--from",
        "verifier",
      ],
      `ReversalOutstanding(${projectId}, ${reversalId})`,
    );
    await refused(node, provider, acc[0], ["buffer:settle", ...L, "--id", reversalId], "already settled");
  });

  it("buffer:compensate refuses more than owed or without the credits, then sends the approval and pays back", async function () {
    await refused(
      node,
      provider,
      acc[3],
      ["buffer:compensate", ...L, "--reversal", reversalId, "--batch", batchId, "--tonnes", "3.001", "--from", "3"],
      "owes 3.000 t",
    );
    await refused(
      node,
      provider,
      acc[4],
      ["buffer:compensate", ...L, "--reversal", reversalId, "--batch", batchId, "--tonnes", "1", "--from", "4"],
      "holds 0.000 t",
    );
    const out = run("buffer:compensate", "--reversal", reversalId, "--batch", batchId, "--tonnes", "3", "--from", "3");
    expect(out).to.include("approve BufferPool for CarbonCredit (setApprovalForAll)");
    expect(out).to.match(/Compensated\(/);
    expect(out).to.include("owed        0.000 t");
    const credit = new Contract(record("CarbonCredit").address, record("CarbonCredit").abi, provider);
    expect(await credit.outstandingReversalOf(projectId)).to.equal(0n);
    const show = run("buffer:show", "--project", projectId, "--id", reversalId);
    expect(show).to.include("buffer      5.000 t"); // 5 t withheld − 3 t cancelled + 3 t compensation
    expect(show).to.include("(3.000 t pooled compensation)");
    expect(show).to.include(`project ${projectId}: rate 1000 bps, own buffer 2.000 t`);
    expect(show).to.include("owes 0.000 t");
  });
});
