/**
 * Buffer: BufferPool (the non-permanence buffer) and what it needs of CarbonCredit.
 *
 * Seeded state (ids in w.ids): bufferProject (Active, owner alice, buffer rate 1 bp, so each 1 t batch is withheld
 * whole): 23 batches of 1 t (all in the buffer) and compBatch (20 t: 1 t withheld, 19 t to alice, who approved the
 * BufferPool for compensation); openReversal (unavoidable, 21 t reported: 20 batches cancelled, 1 t still open for
 * settleReversal); owingReversal (avoidable, 0.5 t, settled at once, 0.5 t owed: bufferProject cannot be issued).
 */
import { ethers, network } from "hardhat";
import type { Area, World } from "../types";
import { MAX, accessControlSpecs, pauseSpecs } from "../common";
import { projectInput } from "../../suite";

const EVIDENCE = ethers.id("fire-report");
const buffer = (w: World) => w.contracts.BufferPool;

async function send(p: Promise<any>) {
  return (await p).wait();
}

/** Makes the BufferPool's address a signer (for CarbonCredit's BufferPool-only functions), in w.data.bufferSigner. */
export async function impersonateBuffer(w: World): Promise<void> {
  const addr = buffer(w).target as string;
  await network.provider.send("hardhat_impersonateAccount", [addr]);
  await network.provider.send("hardhat_setBalance", [addr, "0x56BC75E2D63100000"]);
  w.data.bufferSigner = await ethers.getSigner(addr);
}

const area: Area = {
  name: "buffer",
  deployments: ["BufferPool"],

  async setup(w) {
    const r = w.contracts.GreenProjectRegistry;
    const c = w.contracts.CarbonCredit.connect(w.verifier) as any;
    const b = buffer(w).connect(w.verifier) as any;
    const input = projectInput(w.alice.address, { name: "Buffer forest" });
    const projectId = await (r.connect(w.deployer) as any).registerProject.staticCall(input);
    await send((r.connect(w.deployer) as any).registerProject(input));
    await send((r.connect(w.verifier) as any).setProjectStatus(projectId, 1));
    await send((r.connect(w.verifier) as any).setBufferRate(projectId, 1));
    w.ids.bufferProject = projectId;
    const issue = async (start: bigint, end: bigint) => {
      const p = {
        projectId,
        vintage: 2020,
        serialStart: start,
        serialEnd: end,
        to: w.alice.address,
        attestation: ethers.id("verification-report"),
      };
      const id = await c.issue.staticCall(p);
      await send(c.issue(p));
      return id as bigint;
    };
    const first = await issue(1n, 1n);
    for (let s = 2n; s <= 23n; s++) await issue(s, s);
    w.ids.bufferBatch = first;
    w.ids.compBatch = await issue(100n, 119n);
    await send((w.contracts.CarbonCredit.connect(w.alice) as any).setApprovalForAll(buffer(w).target, true));
    w.ids.openReversal = await b.reportReversal.staticCall(projectId, 21_000n, false, EVIDENCE);
    await send(b.reportReversal(projectId, 21_000n, false, EVIDENCE));
    w.ids.owingReversal = await b.reportReversal.staticCall(projectId, 500n, true, EVIDENCE);
    await send(b.reportReversal(projectId, 500n, true, EVIDENCE));
    w.probeIds.push(first, first + 20n, first + 21n, first + 22n, w.ids.compBatch);
  },

  specs: {
    BufferPool: {
      pauser: (w) => w.deployer,
      functions: {
        ...accessControlSpecs(),
        reportReversal: {
          access: {
            auth: "VerifierRoleMissing",
            args: (w) => [w.ids.bufferProject, 1n, false, EVIDENCE],
          },
          pause: { stops: { signer: (w) => w.verifier, args: (w) => [w.ids.bufferProject, 100n, false, EVIDENCE] } },
          bad: [
            {
              kind: "zero amount",
              what: "amount = 0",
              signer: (w) => w.verifier,
              args: (w) => [w.ids.bufferProject, 0n, false, EVIDENCE],
              error: "ZeroAmount",
            },
            {
              kind: "max amount",
              what: "amount = max uint",
              signer: (w) => w.verifier,
              args: (w) => [w.ids.bufferProject, MAX, true, EVIDENCE],
              error: "SafeCastOverflowedUintDowncast",
            },
            {
              kind: "invalid value",
              what: "evidence = 0",
              signer: (w) => w.verifier,
              args: (w) => [w.ids.bufferProject, 1n, false, ethers.ZeroHash],
              error: "MissingEvidence",
            },
            {
              kind: "unknown id",
              what: "unknown project",
              signer: (w) => w.verifier,
              args: () => [999n, 1n, false, EVIDENCE],
              error: "ProjectNotFound",
              errorArgs: () => [999n],
            },
          ],
        },
        settleReversal: {
          access: { open: "anyone continues an open reversal: it only cancels the buffer's own credits" },
          pause: { stops: { signer: (w) => w.alice, args: (w) => [w.ids.openReversal] } },
          bad: [
            {
              kind: "unknown id",
              what: "unknown reversal",
              signer: (w) => w.alice,
              args: () => [999n],
              error: "ReversalNotFound",
              errorArgs: () => [999n],
            },
            {
              kind: "wrong state",
              what: "a settled reversal",
              signer: (w) => w.alice,
              args: (w) => [w.ids.owingReversal],
              error: "ReversalAlreadySettled",
            },
          ],
        },
        compensate: {
          access: {
            open: "moves the caller's own credits into the buffer (a stranger has approved nothing: ERC1155MissingApprovalForAll)",
            args: (w) => [w.ids.owingReversal, w.ids.compBatch, 1n],
          },
          pause: {
            exits: { signer: (w) => w.alice, args: (w) => [w.ids.owingReversal, w.ids.compBatch, 100n] },
            why: "compensation always stays open: it only pays the buffer back",
          },
          bad: [
            {
              kind: "zero amount",
              what: "amount = 0",
              signer: (w) => w.alice,
              args: (w) => [w.ids.owingReversal, w.ids.compBatch, 0n],
              error: "ZeroAmount",
            },
            {
              kind: "max amount",
              what: "more than owed",
              signer: (w) => w.alice,
              args: (w) => [w.ids.owingReversal, w.ids.compBatch, MAX],
              error: "CompensationExceedsOwed",
              errorArgs: (w) => [w.ids.owingReversal, 500n, MAX],
            },
            {
              kind: "unknown id",
              what: "unknown reversal",
              signer: (w) => w.alice,
              args: (w) => [999n, w.ids.compBatch, 1n],
              error: "ReversalNotFound",
            },
            {
              kind: "unknown id",
              what: "unknown batch",
              signer: (w) => w.alice,
              args: (w) => [w.ids.owingReversal, 999n, 1n],
              error: "BatchNotFound",
            },
            {
              kind: "wrong state",
              what: "an unavoidable reversal (nothing owed)",
              signer: (w) => w.alice,
              args: (w) => [w.ids.openReversal, w.ids.compBatch, 1n],
              error: "NothingToCompensate",
            },
            {
              kind: "wrong state",
              what: "a batch of a Suspended project",
              signer: (w) => w.alice,
              args: (w) => [w.ids.owingReversal, w.ids.suspendedBatch, 1n],
              error: "ProjectNotActive",
            },
          ],
        },
        onERC1155Received: {
          access: {
            auth: "UnsolicitedTransfer",
            args: (w) => [w.stranger.address, w.stranger.address, w.ids.batch, 1n, "0x"],
          },
          pause: { free: "only CarbonCredit's buffer mints and the pool's own compensation pulls pass; moves nothing" },
          bad: [
            {
              kind: "invalid value",
              what: "a direct call shaped like a buffer mint",
              signer: (w) => w.alice,
              args: (w) => [
                w.alice.address,
                ethers.ZeroAddress,
                w.ids.batch,
                1n,
                ethers.AbiCoder.defaultAbiCoder().encode(["uint256"], [w.ids.project]),
              ],
              error: "UnsolicitedTransfer",
            },
          ],
        },
        ...pauseSpecs(),
      },
    },
  },
};

export default area;
