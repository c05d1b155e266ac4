/**
 * Climate-integrity and governance events appended to the API fixture (./fixture): a buffer rate and an issuance
 * with withholding, labels set three times, an avoidable reversal covered by the project's own buffer and partly
 * compensated, an unavoidable reversal that spends the pooled rest and leaves a shortfall, a later withholding,
 * and four timelock operations (pending, done as a batch of two calls, cancelled, ready). EXPECTED is what the
 * contracts would report after them.
 */
import { Interface } from "ethers";
import { abiOfKind } from "../../../sdk";
import type { Ledger } from "../../../sdk/indexer";
import { ADDR, chainOf, commit } from "./fixture";

const word = (n: number) => "0x" + n.toString(16).padStart(64, "0");
const market = new Interface(abiOfKind("market") as any);
const credit = new Interface(abiOfKind("credit") as any);

export const OPS = { pending: word(0xa1), done: word(0xa2), cancelled: word(0xa3), ready: word(0xa4) };
export const EVIDENCE = { fire: word(0xf1), storm: word(0xf2) };
export const CALLS = {
  pause: market.encodeFunctionData("pause"),
  unpause: market.encodeFunctionData("unpause"),
  labels: credit.encodeFunctionData("setLabels", [1n, 8]),
};

export const EXPECTED = {
  buffer: { totalKg: "5000", ownKg: "5000", pooledKg: "0", owedKg: "2500", uncoveredKg: "500", reversals: 2 },
  reversal1: { amountKg: "4000", cancelledKg: "4000", uncoveredKg: "0", owedKg: "2500", compensatedKg: "1500" },
  reversal2: { amountKg: "8000", cancelledKg: "7500", uncoveredKg: "500", owedKg: "0", compensatedKg: "0" },
  cancelledKg: { batch2: "1500", batch3: "10000", total: "11500" },
};

/** Appends the events (three chunks) to a ledger filled by buildFixture. */
export async function climateAndGovernance(ledger: Ledger) {
  const c = chainOf(ledger);
  const burn = (batch: string, kg: string) =>
    c.ev(ADDR.credit, "TransferSingle", {
      operator: ADDR.buffer,
      from: ADDR.buffer,
      to: ADDR.zero,
      id: batch,
      value: kg,
    });
  const cancel = (reversal: string, batch: string, fromProject: string, kg: string, evidence: string) => {
    c.ev(ADDR.buffer, "BufferCancelled", {
      reversalId: reversal,
      batchId: batch,
      fromProjectId: fromProject,
      amountKg: kg,
    });
    burn(batch, kg);
    c.ev(ADDR.credit, "CreditsCancelled", { batchId: batch, account: ADDR.buffer, amountKg: kg, reason: evidence });
  };

  /** a buffer rate and a 100 t batch (serials from `serial`) of which `bps` is withheld into the buffer */
  const issueWithBuffer = (batch: string, project: string, bps: number, serial: number) => {
    const withheld = String((100_000 * bps) / 10_000);
    const mint = (to: string, value: string) =>
      c.ev(ADDR.credit, "TransferSingle", { operator: ADDR.issuer, from: ADDR.zero, to, id: batch, value });
    c.ev(ADDR.registry, "BufferRateSet", { projectId: project, bufferBps: String(bps) });
    c.ev(ADDR.credit, "BatchIssued", {
      batchId: batch,
      projectId: project,
      vintage: "2023",
      serialStart: String(serial),
      serialEnd: String(serial + 99),
      to: ADDR.issuer,
      attestation: "0x" + "ef".repeat(32),
    });
    mint(ADDR.buffer, withheld);
    c.ev(ADDR.credit, "BufferWithheld", { batchId: batch, projectId: project, amountKg: withheld });
    mint(ADDR.issuer, String(100_000 - Number(withheld)));
  };

  // project 1 withholds 10 %: batch 3 (100 t) puts 10 t into the buffer; labels on batches 1 and 3
  c.next();
  issueWithBuffer("3", "1", 1000, 2001);
  c.ev(ADDR.credit, "LabelsSet", { batchId: "3", labels: "3" }); // CORSIA_ELIGIBLE | CCP_APPROVED
  c.ev(ADDR.credit, "LabelsSet", { batchId: "1", labels: "1" }); // CORSIA_ELIGIBLE
  c.next();
  c.ev(ADDR.credit, "LabelsSet", { batchId: "1", labels: "9" }); // + REMOVAL
  // an avoidable fire on project 1: 4 t from its own buffer (batch 3), owed back
  c.ev(ADDR.buffer, "ReversalReported", {
    reversalId: "1",
    projectId: "1",
    amountKg: "4000",
    avoidable: true,
    evidence: EVIDENCE.fire,
  });
  cancel("1", "3", "1", "4000", EVIDENCE.fire);
  c.ev(ADDR.buffer, "ReversalSettled", { reversalId: "1", cancelledKg: "4000", uncoveredKg: "0" });
  await commit(ledger, c);

  // the issuer compensates 1.5 t with batch 2 (pooled)
  c.next();
  c.ev(ADDR.buffer, "Compensated", { reversalId: "1", from: ADDR.issuer, batchId: "2", amountKg: "1500" });
  c.ev(ADDR.credit, "TransferSingle", {
    operator: ADDR.buffer,
    from: ADDR.issuer,
    to: ADDR.buffer,
    id: "2",
    value: "1500",
  });
  // an unavoidable storm on project 2 (no own buffer): the pooled rest, oldest first, then a shortfall
  c.next();
  c.ev(ADDR.buffer, "ReversalReported", {
    reversalId: "2",
    projectId: "2",
    amountKg: "8000",
    avoidable: false,
    evidence: EVIDENCE.storm,
  });
  cancel("2", "3", "1", "6000", EVIDENCE.storm);
  cancel("2", "2", "0", "1500", EVIDENCE.storm);
  c.ev(ADDR.buffer, "BufferShortfall", { reversalId: "2", amountKg: "500" });
  c.ev(ADDR.buffer, "ReversalSettled", { reversalId: "2", cancelledKg: "7500", uncoveredKg: "500" });
  c.ev(ADDR.credit, "LabelsSet", { batchId: "1", labels: "8" }); // − CORSIA_ELIGIBLE
  // project 3 withholds 5 t of batch 4
  issueWithBuffer("4", "3", 500, 3001);
  await commit(ledger, c);

  // governance: four operations on the timelock
  const scheduled = (id: string, index: number, target: string, data: string, delay: number) =>
    c.ev(ADDR.timelock, "CallScheduled", {
      id,
      index: String(index),
      target,
      value: "0",
      data,
      predecessor: word(0),
      delay: String(delay),
    });
  c.next();
  scheduled(OPS.pending, 0, ADDR.market, CALLS.pause, 300_000_000); // ready in 2036
  c.ev(ADDR.timelock, "CallSalt", { id: OPS.pending, salt: word(7) });
  scheduled(OPS.done, 0, ADDR.market, CALLS.pause, 12);
  scheduled(OPS.done, 1, ADDR.market, CALLS.unpause, 12);
  scheduled(OPS.cancelled, 0, ADDR.credit, CALLS.labels, 60);
  scheduled(OPS.ready, 0, ADDR.credit, CALLS.labels, 24);
  c.next();
  c.ev(ADDR.timelock, "Cancelled", { id: OPS.cancelled });
  c.next();
  c.next();
  c.ev(ADDR.timelock, "CallExecuted", { id: OPS.done, index: "0", target: ADDR.market, value: "0", data: CALLS.pause });
  c.ev(ADDR.timelock, "CallExecuted", {
    id: OPS.done,
    index: "1",
    target: ADDR.market,
    value: "0",
    data: CALLS.unpause,
  });
  await commit(ledger, c);
}
