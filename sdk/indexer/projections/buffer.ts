/**
 * The non-permanence buffer (issue #17): buffer rates (registry), what the BufferPool holds per batch (own withheld
 * buffer and pooled compensations), every buffer movement, reversals with their outcome, and the cancellations
 * CarbonCredit books. Mirrors BufferPool's accounting event by event, so `ledger:verify` can compare it with
 * `heldKg`, `bufferOf`, `totalBufferKg`, `reversal(id)` and `cancelledKg`.
 */
import { sql } from "kysely";
import { p, stmt } from "../db";
import { AT, addr, big, type EventContext, type HandlerTable, type Work } from "./context";
import { projectOfBatch } from "./credits";

const q = {
  setRate: stmt("setBufferRate", (db) =>
    db
      .insertInto("buffer_rates")
      .values({
        project_id: p("projectId"),
        buffer_bps: p("bps"),
        block_number: p("blockNumber"),
        tx_hash: p("txHash"),
        timestamp: p("timestamp"),
      })
      .onConflict((oc) =>
        oc.column("project_id").doUpdateSet({
          buffer_bps: p("bps"),
          block_number: p("blockNumber"),
          tx_hash: p("txHash"),
          timestamp: p("timestamp"),
        }),
      ),
  ),
  addHolding: stmt("addBufferHolding", (db) =>
    db
      .insertInto("buffer_holdings")
      .values({
        batch_id: p("batchId"),
        pooled: p("pooled"),
        project_id: p("projectId"),
        balance_kg: p("kg"),
        added_kg: p("kg"),
        block_number: p("blockNumber"),
      })
      .onConflict((oc) =>
        oc.columns(["batch_id", "pooled"]).doUpdateSet({
          balance_kg: sql`buffer_holdings.balance_kg + excluded.balance_kg`,
          added_kg: sql`buffer_holdings.added_kg + excluded.added_kg`,
        }),
      ),
  ),
  takeHolding: stmt("takeBufferHolding", (db) =>
    db
      .updateTable("buffer_holdings")
      .set({ balance_kg: sql`balance_kg - ${p("kg")}`, cancelled_kg: sql`cancelled_kg + ${p("kg")}` })
      .where("batch_id", "=", p("batchId"))
      .where("pooled", "=", p("pooled")),
  ),
  insMovement: stmt("insBufferMovement", (db) =>
    db.insertInto("buffer_movements").values({
      ...AT,
      kind: p("kind"),
      batch_id: p("batchId"),
      pooled: p("pooled"),
      project_id: p("projectId"),
      reversal_id: p("reversalId"),
      account: p("account"),
      amount_kg: p("kg"),
    }),
  ),
  insReversal: stmt("insReversal", (db) =>
    db.insertInto("reversals").values({
      reversal_id: p("reversalId"),
      project_id: p("projectId"),
      amount_kg: p("kg"),
      avoidable: p("avoidable"),
      evidence: p("evidence"),
      owed_kg: p("owed"),
      block_number: p("blockNumber"),
      tx_hash: p("txHash"),
      timestamp: p("timestamp"),
    }),
  ),
  reversalProject: stmt("reversalProject", (db) =>
    db.selectFrom("reversals").select("project_id").where("reversal_id", "=", p("reversalId")),
  ),
  revCancelled: stmt("reversalCancelled", (db) =>
    db
      .updateTable("reversals")
      .set({ cancelled_kg: sql`cancelled_kg + ${p("kg")}` })
      .where("reversal_id", "=", p("reversalId")),
  ),
  revUncovered: stmt("reversalUncovered", (db) =>
    db
      .updateTable("reversals")
      .set({ uncovered_kg: sql`uncovered_kg + ${p("kg")}` })
      .where("reversal_id", "=", p("reversalId")),
  ),
  revCompensated: stmt("reversalCompensated", (db) =>
    db
      .updateTable("reversals")
      .set({ owed_kg: sql`owed_kg - ${p("kg")}`, compensated_kg: sql`compensated_kg + ${p("kg")}` })
      .where("reversal_id", "=", p("reversalId")),
  ),
  revSettled: stmt("reversalSettled", (db) =>
    db
      .updateTable("reversals")
      .set({ settled: 1, settled_block: p("blockNumber") })
      .where("reversal_id", "=", p("reversalId")),
  ),
  insCancellation: stmt("insCancellation", (db) =>
    db.insertInto("cancellations").values({
      ...AT,
      batch_id: p("batchId"),
      project_id: p("projectId"),
      account: p("account"),
      amount_kg: p("kg"),
      reason: p("reason"),
    }),
  ),
};

/** One row of buffer_movements (the columns a kind does not have are null). */
function movement(
  c: EventContext,
  m: {
    kind: string;
    kg: bigint;
    projectId: bigint;
    batchId?: bigint;
    pooled?: number;
    reversalId?: bigint;
    account?: string;
  },
) {
  return c.run(q.insMovement, {
    batchId: null,
    pooled: null,
    reversalId: null,
    account: null,
    ...m,
  });
}

function* reversalProjectOf(c: EventContext, reversalId: bigint): Work<bigint> {
  const r = yield* c.get<{ project_id: bigint }>(q.reversalProject, { reversalId });
  return r?.project_id ?? 0n;
}

export const bufferHandlers: HandlerTable = {
  "registry.BufferRateSet": (c) => c.run(q.setRate, { projectId: big(c.a.projectId), bps: Number(c.a.bufferBps) }),
  // issuance minted the withheld share to the BufferPool: the batch's own buffer
  "credit.BufferWithheld": function* (c) {
    const h = { batchId: big(c.a.batchId), pooled: 0, projectId: big(c.a.projectId), kg: big(c.a.amountKg) };
    yield c.run(q.addHolding, h);
    yield movement(c, { kind: "withheld", ...h });
  },
  "credit.CreditsCancelled": function* (c) {
    const batchId = big(c.a.batchId);
    yield c.run(q.insCancellation, {
      batchId,
      projectId: yield* projectOfBatch(c, batchId),
      account: addr(c.a.account),
      kg: big(c.a.amountKg),
      reason: c.a.reason,
    });
  },
  "buffer.ReversalReported": (c) => {
    const kg = big(c.a.amountKg);
    const avoidable = c.a.avoidable === true || c.a.avoidable === "true";
    return c.run(q.insReversal, {
      reversalId: big(c.a.reversalId),
      projectId: big(c.a.projectId),
      kg,
      avoidable,
      evidence: c.a.evidence,
      owed: avoidable ? kg : 0n,
    });
  },
  // fromProjectId = the project whose own buffer the units were, 0 for pooled (compensation) units
  "buffer.BufferCancelled": function* (c) {
    const fromProject = big(c.a.fromProjectId);
    const m = {
      batchId: big(c.a.batchId),
      pooled: fromProject === 0n ? 1 : 0,
      projectId: fromProject,
      reversalId: big(c.a.reversalId),
      kg: big(c.a.amountKg),
    };
    yield c.run(q.takeHolding, m);
    yield c.run(q.revCancelled, m);
    yield movement(c, { kind: "cancelled", ...m });
  },
  "buffer.BufferShortfall": function* (c) {
    const reversalId = big(c.a.reversalId);
    const kg = big(c.a.amountKg);
    yield c.run(q.revUncovered, { reversalId, kg });
    yield movement(c, { kind: "shortfall", reversalId, kg, projectId: yield* reversalProjectOf(c, reversalId) });
  },
  "buffer.ReversalSettled": (c) => c.run(q.revSettled, { reversalId: big(c.a.reversalId) }),
  // compensation credits join the pooled buffer (no project's own)
  "buffer.Compensated": function* (c) {
    const m = {
      batchId: big(c.a.batchId),
      pooled: 1,
      projectId: 0n,
      reversalId: big(c.a.reversalId),
      account: addr(c.a.from),
      kg: big(c.a.amountKg),
    };
    yield c.run(q.addHolding, m);
    yield c.run(q.revCompensated, m);
    yield movement(c, { kind: "compensated", ...m });
  },
};
