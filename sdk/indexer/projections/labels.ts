/**
 * Quality labels of credit batches (issue #17, CarbonCredit LabelsSet): the bits each batch carries now and every
 * change with the bits it added and removed (names: sdk/buffer `labelNames`).
 */
import { p, stmt } from "../db";
import { AT, big, type HandlerTable } from "./context";
import { projectOfBatch } from "./credits";

const q = {
  current: stmt("batchLabelsOf", (db) =>
    db.selectFrom("batch_labels").select("labels").where("batch_id", "=", p("batchId")),
  ),
  set: stmt("setBatchLabels", (db) =>
    db
      .insertInto("batch_labels")
      .values({
        batch_id: p("batchId"),
        project_id: p("projectId"),
        labels: p("labels"),
        block_number: p("blockNumber"),
        tx_hash: p("txHash"),
        timestamp: p("timestamp"),
      })
      .onConflict((oc) =>
        oc.column("batch_id").doUpdateSet({
          labels: p("labels"),
          block_number: p("blockNumber"),
          tx_hash: p("txHash"),
          timestamp: p("timestamp"),
        }),
      ),
  ),
  change: stmt("insLabelChange", (db) =>
    db.insertInto("label_changes").values({
      ...AT,
      batch_id: p("batchId"),
      project_id: p("projectId"),
      labels: p("labels"),
      added: p("added"),
      removed: p("removed"),
    }),
  ),
};

export const labelHandlers: HandlerTable = {
  "credit.LabelsSet": function* (c) {
    const batchId = big(c.a.batchId);
    const labels = Number(c.a.labels);
    const before = Number((yield* c.get<{ labels: bigint }>(q.current, { batchId }))?.labels ?? 0);
    const args = {
      batchId,
      projectId: yield* projectOfBatch(c, batchId),
      labels,
      added: labels & ~before,
      removed: before & ~labels,
    };
    yield c.run(q.set, args);
    yield c.run(q.change, args);
  },
};
