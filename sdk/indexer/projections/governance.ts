/**
 * Governance operations of the TreelionTimelock (issue #18; OpenZeppelin TimelockController events): one row per
 * operation id with its calls. CallScheduled (one per call, index 0…n−1) schedules it, ready at the block's time +
 * delay (the timelock's `getTimestamp`); CallSalt records a non-zero salt; CallExecuted marks it done; Cancelled
 * marks it cancelled. A cancelled id may be scheduled again (the timelock forgets it on cancel): pending again.
 */
import { p, stmt } from "../db";
import { big, str, type HandlerTable } from "./context";

const ZERO_WORD = "0x" + "0".repeat(64);

/** the columns a (re)scheduling sets */
const SCHEDULED = {
  status: "pending",
  calls: p("calls"),
  predecessor: p("predecessor"),
  salt: ZERO_WORD,
  delay: p("delay"),
  ready_at: p("readyAt"),
  scheduled_block: p("blockNumber"),
  scheduled_log: p("logIndex"),
  scheduled_tx: p("txHash"),
  scheduled_at: p("timestamp"),
};

const q = {
  schedule: stmt("scheduleOperation", (db) =>
    db
      .insertInto("gov_operations")
      .values({ operation_id: p("id"), timelock: p("self"), ...SCHEDULED })
      .onConflict((oc) =>
        oc.column("operation_id").doUpdateSet({
          ...SCHEDULED,
          executed_block: null,
          executed_tx: null,
          executed_at: null,
          cancelled_block: null,
          cancelled_tx: null,
          cancelled_at: null,
        }),
      ),
  ),
  addCall: stmt("addOperationCall", (db) =>
    db
      .insertInto("gov_calls")
      .values({ operation_id: p("id"), idx: p("index"), target: p("target"), value: p("value"), data: p("data") })
      .onConflict((oc) => oc.columns(["operation_id", "idx"]).doNothing()),
  ),
  /** a later call of the same scheduleBatch: the count grows, the first call's position stays */
  moreCalls: stmt("operationMoreCalls", (db) =>
    db
      .updateTable("gov_operations")
      .set({ calls: p("calls") })
      .where("operation_id", "=", p("id")),
  ),
  salt: stmt("operationSalt", (db) =>
    db
      .updateTable("gov_operations")
      .set({ salt: p("salt") })
      .where("operation_id", "=", p("id")),
  ),
  executed: stmt("operationExecuted", (db) =>
    db
      .updateTable("gov_operations")
      .set({ status: "done", executed_block: p("blockNumber"), executed_tx: p("txHash"), executed_at: p("timestamp") })
      .where("operation_id", "=", p("id")),
  ),
  cancelled: stmt("operationCancelled", (db) =>
    db
      .updateTable("gov_operations")
      .set({
        status: "cancelled",
        cancelled_block: p("blockNumber"),
        cancelled_tx: p("txHash"),
        cancelled_at: p("timestamp"),
      })
      .where("operation_id", "=", p("id")),
  ),
};

export const governanceHandlers: HandlerTable = {
  "timelock.CallScheduled": function* (c) {
    const index = Number(c.a.index);
    const id = str(c.a.id).toLowerCase();
    const delay = big(c.a.delay);
    if (index === 0)
      yield c.run(q.schedule, {
        id,
        calls: 1,
        predecessor: str(c.a.predecessor).toLowerCase(),
        delay,
        readyAt: BigInt(c.e.blockTime) + delay,
      });
    else yield c.run(q.moreCalls, { id, calls: index + 1 });
    yield c.run(q.addCall, {
      id,
      index,
      target: str(c.a.target).toLowerCase(),
      value: str(c.a.value),
      data: str(c.a.data).toLowerCase(),
    });
  },
  "timelock.CallSalt": (c) => c.run(q.salt, { id: str(c.a.id).toLowerCase(), salt: str(c.a.salt).toLowerCase() }),
  "timelock.CallExecuted": (c) => c.run(q.executed, { id: str(c.a.id).toLowerCase() }),
  "timelock.Cancelled": (c) => c.run(q.cancelled, { id: str(c.a.id).toLowerCase() }),
};
